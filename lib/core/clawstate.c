/* clawstate.c: what is claw's own (see clawstate.h). */
#include "core/clawstate.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/execpath.h"
#include "core/util.h"

/* PATH made absolute (against the working directory) and normalised. */
static void absolute(const char *path, char *out)
{
	char cwd[PATH_MAX];

	if (getcwd(cwd, sizeof(cwd)) == NULL)
		strcpy(cwd, "/");
	if (path_join(cwd, path, out, PATH_MAX) < 0)
		snprintf(out, PATH_MAX, "%s", path);
}

/* The real path of PATH; of a missing file, its directory's real path and its name. */
static void real_of(const char *path, char *out)
{
	char dir[PATH_MAX], rdir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (realpath(path, out) != NULL)
		return;
	snprintf(dir, sizeof(dir), "%.*s", slash && slash != path ? (int)(slash - path) : 1, path);
	if (slash == NULL || realpath(dir, rdir) == NULL ||
	    path_join(rdir, slash + 1, out, PATH_MAX) < 0)
		snprintf(out, PATH_MAX, "%s", path);
}

static void add_file(struct claw_state *cs, const char *path, const char *what)
{
	struct claw_file *f = &cs->files[cs->nfiles++];

	absolute(path, f->path);
	real_of(f->path, f->real);
	f->what = what;
	f->exists = stat(f->path, &f->st) == 0;
}

static void add_workspace(struct claw_state *cs, const struct config *cfg, const char *agent)
{
	char *ws = cfg_agent_workspace(cfg, agent), real[PATH_MAX];

	real_of(ws, real);
	free(ws);
	/* A workspace that is the state dir, or holds it, carves nothing out of it. */
	if (!path_within(real, cs->state_real[0] ? cs->state_real : cs->state) ||
	    path_within(cs->state_real[0] ? cs->state_real : cs->state, real))
		return;
	for (size_t i = 0; i < cs->nworkspaces; i++)
		if (strcmp(cs->workspaces[i], real) == 0)
			return;
	/* Past the last slot a workspace stays hidden: refused, never shown by mistake. */
	if (cs->nworkspaces < CLAW_WORKSPACES)
		snprintf(cs->workspaces[cs->nworkspaces++], PATH_MAX, "%s", real);
}

/* Every agent's workspace: the roster's, and the default agent's. */
static void add_workspaces(struct claw_state *cs, const struct config *cfg)
{
	const cJSON *roster = cfg_roster(cfg), *e;
	const char *def = cfg_default_agent(cfg);

	add_workspace(cs, cfg, def ? def : "main");
	cJSON_ArrayForEach(e, roster)
	{
		const char *id =
		    cJSON_IsObject(roster) ? e->string : cJSON_GetStringValue(cfg_get(e, "id"));
		if (id != NULL)
			add_workspace(cs, cfg, id);
	}
}

/* claw and claw-* in the directory this program was run from. */
static void add_programs(struct claw_state *cs)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;
	DIR *d;

	if (n <= 0)
		return;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return;
	*slash = '\0';
	if ((d = opendir(self[0] ? self : "/")) == NULL)
		return;
	for (struct dirent *e; (e = readdir(d)) != NULL && cs->nprograms < CLAW_PROGRAMS;) {
		if (strcmp(e->d_name, "claw") != 0 && strncmp(e->d_name, "claw-", 5) != 0)
			continue;
		struct claw_program *p = &cs->programs[cs->nprograms];
		if (fstatat(dirfd(d), e->d_name, &p->st, 0) == 0 && S_ISREG(p->st.st_mode) &&
		    path_join(self, e->d_name, p->path, sizeof(p->path)) == 0)
			cs->nprograms++;
	}
	closedir(d);
}

void claw_state_load(struct claw_state *cs, const struct config *cfg)
{
	/* claw.json as the config loader found it (--claw-config, $CLAW_CONFIG_PATH, <state>). */
	const char *claw_json = cfg->claw_path ? cfg->claw_path : getenv("CLAW_CONFIG_PATH");
	char *def_json = NULL;

	memset(cs, 0, sizeof(*cs));
	absolute(cfg->state_dir, cs->state);
	if (realpath(cs->state, cs->state_real) == NULL || stat(cs->state_real, &cs->state_st) < 0)
		cs->state_real[0] = '\0';
	add_file(cs, cfg->path, "claw's config file");
	if (claw_json == NULL || claw_json[0] == '\0')
		claw_json = def_json = xasprintf("%s/claw.json", cs->state);
	add_file(cs, claw_json, "claw.json");
	free(def_json);
	char *approvals = state_path(cfg, "exec-approvals.json");
	char *log = state_path(cfg, "audit/decisions.jsonl");
	add_file(cs, approvals, "the allow-list (exec-approvals.json)");
	add_file(cs, log, "the decision log");
	free(approvals);
	free(log);
	add_workspaces(cs, cfg);
	add_programs(cs);
}

bool claw_state_holds(const struct claw_state *cs, const char *real)
{
	if (!path_within(real, cs->state_real[0] ? cs->state_real : cs->state))
		return false;
	for (size_t i = 0; i < cs->nworkspaces; i++)
		if (path_within(real, cs->workspaces[i]))
			return false;
	return true;
}

bool claw_state_below(const struct claw_state *cs, const char *real)
{
	return path_within(cs->state_real[0] ? cs->state_real : cs->state, real);
}

const struct claw_file *claw_state_file(const struct claw_state *cs, const struct stat *st)
{
	for (size_t i = 0; i < cs->nfiles; i++)
		if (cs->files[i].exists && cs->files[i].st.st_dev == st->st_dev &&
		    cs->files[i].st.st_ino == st->st_ino)
			return &cs->files[i];
	return NULL;
}

const struct claw_program *claw_state_program(const struct claw_state *cs, const struct stat *st)
{
	for (size_t i = 0; i < cs->nprograms; i++)
		if (cs->programs[i].st.st_dev == st->st_dev &&
		    cs->programs[i].st.st_ino == st->st_ino)
			return &cs->programs[i];
	return NULL;
}
