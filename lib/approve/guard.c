/* guard.c: self-protection (see guard.h). */
#include "approve/guard.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/config.h"
#include "core/pathreal.h"
#include "core/hash.h"
#include "core/util.h"

/* Names of claw's state, searched in command text the analyser could not read. */
static const struct {
	const char *needle, *what;
} state_names[] = {
	{ "openclaw.json", "claw's config file" },
	{ "claw.json", "claw's own settings" },
	{ "exec-approvals", "the approvals file (its socket, lock and backups too)" },
	{ ".openclaw", "the default state directory" },
	{ "decisions.jsonl", "the decision log" },
	{ "openclaw_state_dir", "the variable that moves the state directory" },
	{ "openclaw_config_path", "the variable that moves the config file" },
	{ "claw_config_path", "the variable that moves claw.json" },
};

static const char suppressions[] = "security.audit.suppressions";

__attribute__((format(printf, 4, 5))) static void
raise_hit(struct guard_hit *hit, enum guard_verdict v, const char *reason, const char *fmt, ...)
{
	va_list ap;

	if (v <= hit->verdict)
		return;
	hit->verdict = v;
	hit->reason = reason;
	va_start(ap, fmt);
	vsnprintf(hit->detail, sizeof(hit->detail), fmt, ap);
	va_end(ap);
}

void guard_init(struct guard *g, const struct config *cfg)
{
	memset(g, 0, sizeof(*g));
	claw_state_load(&g->cs, cfg);
	snprintf(g->state, sizeof(g->state), "%s", g->cs.state);
}

void guard_command(const struct guard *g, const char *command, bool parsed, struct guard_hit *hit)
{
	static const char *const programs[] = { "claw", "/approve" };

	if (strcasestr(command, suppressions) != NULL)
		raise_hit(hit, GUARD_ASK, "security-audit-suppression", "%s",
		          "names security.audit.suppressions");
	if (parsed)
		return;
	/* Unparsed text can hide a name behind quotes or substitutions; what can
	 * still be seen makes its question one for a person each time. */
	for (size_t i = 0; i < NELEM(state_names); i++)
		if (strcasestr(command, state_names[i].needle) != NULL)
			raise_hit(hit, GUARD_ASK, "self-protection", "names %s",
			          state_names[i].what);
	for (size_t i = 0; i < NELEM(programs); i++)
		if (strcasestr(command, programs[i]) != NULL)
			raise_hit(hit, GUARD_ASK, "self-protection", "names %s", programs[i]);
	if (strstr(command, g->state) != NULL ||
	    (g->cs.state_real[0] && strstr(command, g->cs.state_real) != NULL))
		raise_hit(hit, GUARD_ASK, "self-protection", "%s", "names claw's state directory");
}

/* ---- standing where the command will stand ---- */

/* What a word leads to. */
struct where {
	char real[PATH_MAX];
	struct stat st;
};

/*
 * Where this process stands for the command while it looks: in its working
 * directory, so that relative words and /proc/self/cwd resolve as they will
 * for the command. It stays there between decisions (claw's own paths are
 * absolute); a stream of requests from one directory then costs one stat
 * each, to see that the path still names the directory this process is in.
 */
static struct {
	char path[PATH_MAX]; /* as the request named it */
	char real[PATH_MAX]; /* where that is ("" while standing nowhere for a command) */
	dev_t dev;
	ino_t ino;
	bool fresh; /* looked at in this decision (guard_cwd() starts each) */
} stand;

/* Goes to CWD; false when it cannot be gone to (the command cannot start there either). */
static bool stand_in(const char *cwd)
{
	struct stat st;

	if (stand.fresh && strcmp(stand.path, cwd) == 0)
		return stand.real[0] != '\0';
	stand.fresh = false;
	if (stat(cwd, &st) < 0 || !S_ISDIR(st.st_mode)) {
		stand.real[0] = '\0';
		snprintf(stand.path, sizeof(stand.path), "%s", cwd);
		return false;
	}
	if (stand.real[0] && st.st_dev == stand.dev && st.st_ino == stand.ino &&
	    strcmp(stand.path, cwd) == 0)
		return true;
	stand.real[0] = '\0';
	if (chdir(cwd) < 0 || stat(".", &st) < 0 ||
	    getcwd(stand.real, sizeof(stand.real)) == NULL) {
		stand.real[0] = '\0';
		return false;
	}
	snprintf(stand.path, sizeof(stand.path), "%s", cwd);
	stand.dev = st.st_dev;
	stand.ino = st.st_ino;
	return true;
}

/* The sha256 of each of claw's programs, taken when a file of the same size first shows up. */
static char program_sha[CLAW_PROGRAMS][SHA256_HEX];

/* ---- judging one path ---- */

enum use {
	USE_READ,    /* read */
	USE_WRITE,   /* written, replaced or removed */
	USE_RUN,     /* run as a program or script */
	USE_UNKNOWN, /* read or written: a program claw has no model of */
};

/* Whether F holds the same bytes as one of claw's programs (a copy under another name). */
static bool copy_of_program(const struct guard *g, const struct exec_file *f)
{
	char hex[SHA256_HEX];
	bool hashed = false;

	for (size_t i = 0; i < g->cs.nprograms; i++) {
		const struct claw_program *p = &g->cs.programs[i];
		if (p->st.st_size != f->st.st_size)
			continue;
		if (!hashed && exec_sha256(f, hex) < 0)
			return false;
		hashed = true;
		if (program_sha[i][0] == '\0') {
			struct exec_file pf = { .found = true, .st = p->st };
			snprintf(pf.path, sizeof(pf.path), "%s", p->path);
			if (exec_sha256(&pf, program_sha[i]) < 0)
				continue;
		}
		if (strcmp(program_sha[i], hex) == 0)
			return true;
	}
	return false;
}

static bool is_program(const struct guard *g, const struct where *w)
{
	if (!S_ISREG(w->st.st_mode))
		return false;
	if (claw_state_program(&g->cs, &w->st) != NULL)
		return true;
	struct exec_file f = { .found = true, .st = w->st };
	snprintf(f.path, sizeof(f.path), "%s", w->real);
	return copy_of_program(g, &f);
}

static const char *new_claw_file(const struct guard *g, const char *real)
{
	for (size_t i = 0; i < g->cs.nfiles; i++)
		if (!g->cs.files[i].exists && strcmp(g->cs.files[i].real, real) == 0)
			return g->cs.files[i].what;
	return NULL;
}

/*
 * WORD used as USE; TREE: the tree below it too (rm -r, grep -r, find), as a
 * model says. Only then does a directory above the state dir count: a
 * program claw has no model of is not assumed to walk its operands (`df -h
 * .` in a home directory), and what such a program does on its own is the
 * host view's to stop (sandbox/hostview.h).
 */
static void judge_path(const struct guard *g, const char *word, enum use use, bool tree,
                       struct guard_hit *hit)
{
	struct where w;
	const struct claw_file *f;
	const char *what;
	enum path_found found = PATH_NOTHING;

	/* Relative words mean nothing where the command cannot start. */
	if (word[0] == '/' || stand.real[0] != '\0')
		found = path_real(NULL, stand.real, word, w.real, &w.st);
	if (found == PATH_NOTHING)
		return;
	if (found == PATH_UNKNOWN) {
		if (use == USE_WRITE || use == USE_UNKNOWN)
			raise_hit(hit, GUARD_ASK, "self-protection",
			          "may write to %.80s, which claw cannot resolve", word);
		return;
	}
	if (claw_state_holds(&g->cs, w.real))
		raise_hit(hit, GUARD_ASK, "self-protection", "%.80s is in claw's state directory",
		          word);
	else if (found == PATH_OBJECT && (f = claw_state_file(&g->cs, &w.st)) != NULL)
		raise_hit(hit, GUARD_ASK, "self-protection", "%.80s is %s", word, f->what);
	else if (found == PATH_NEW && (what = new_claw_file(g, w.real)) != NULL)
		raise_hit(hit, GUARD_ASK, "self-protection", "%.80s would be %s", word, what);
	else if (found == PATH_OBJECT && S_ISDIR(w.st.st_mode) && tree &&
	         claw_state_below(&g->cs, w.real))
		raise_hit(hit, GUARD_ASK, "self-protection",
		          "%.80s holds claw's state directory, and the program may walk it", word);
	else if (found == PATH_OBJECT && use != USE_READ && is_program(g, &w))
		raise_hit(hit, GUARD_ASK, "self-protection", "%s claw's program %.80s",
		          use == USE_RUN ? "runs" : "may change", word);
}

/* A word of a program without a model: the whole word, what follows a `=`, an attached value. */
static void judge_word(const struct guard *g, const char *w, struct guard_hit *hit)
{
	const char *eq = strchr(w, '=');

	judge_path(g, w, USE_UNKNOWN, false, hit);
	if (eq != NULL && eq[1] != '\0')
		judge_path(g, eq + 1, USE_UNKNOWN, false, hit);
	if (w[0] == '-' && w[1] != '-' && w[1] != '\0' && w[2] != '\0' && strchr(w + 2, '/'))
		judge_path(g, w + 2, USE_UNKNOWN, false, hit);
}

static enum use use_of(const struct model_path *p)
{
	switch (p->use) {
	case MODEL_READ:
		return USE_READ;
	case MODEL_WRITE:
	case MODEL_OVERWRITE:
	case MODEL_DELETE:
		return USE_WRITE;
	case MODEL_SCRIPT:
		return USE_RUN;
	default:
		return USE_READ;
	}
}

static void judge_model_path(const struct guard *g, const struct model_path *p,
                             struct guard_hit *hit)
{
	char joined[PATH_MAX];

	if (p->path == NULL || p->use == MODEL_MODULE || p->use == MODEL_STDIN)
		return;
	if (p->base != NULL && p->path[0] != '/') {
		int n = snprintf(joined, sizeof(joined), "%s/%s", p->base, p->path);
		if (n < 0 || (size_t)n >= sizeof(joined)) {
			raise_hit(hit, GUARD_ASK, "self-protection", "%s",
			          "a path too long for claw to resolve");
			return;
		}
		judge_path(g, joined, use_of(p), p->tree, hit);
		return;
	}
	judge_path(g, p->path, use_of(p), p->tree, hit);
}

/*
 * Builtins whose operands are text or a place to stand, never walked or
 * written: `cd ~/proj` must not read as a walk of the directory that holds
 * the state dir.
 */
static bool words_are_text(const char *program)
{
	static const char *const names[] = { "cd", "pushd", "popd",  "echo", "printf", "test",
		                             "[",  "true",  "false", ":",    "type",   "hash" };

	for (size_t i = 0; i < NELEM(names); i++)
		if (strcmp(program, names[i]) == 0)
			return true;
	return false;
}

/* The segment's words from the working directory the process stands in now. */
static void judge_words(const struct guard *g, char *const *argv, int argc, int exec,
                        const struct model_report *m, struct guard_hit *hit)
{
	bool modelled = m != NULL && m->verdict != MODEL_NONE && m->complete;
	bool text = !modelled && exec < argc && words_are_text(argv[exec]);

	for (int i = 1; i < argc; i++) {
		if (i == exec)
			continue;
		/* A model's other words are not its files; whatever lies in claw's state still
		 * asks. */
		if (i > exec && (text || modelled))
			judge_path(g, argv[i], USE_READ, false, hit);
		else
			judge_word(g, argv[i], hit);
	}
	for (int i = 0; modelled && i < m->npaths; i++)
		judge_model_path(g, &m->paths[i], hit);
}

/* `openclaw channels login` (also through npx, pnpm, ...): OpenClaw refuses it. */
static void channel_login(char *const *argv, int argc, struct guard_hit *hit)
{
	for (int i = 0; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');
		base = base ? base + 1 : argv[i];
		if (strcasecmp(base, "openclaw") != 0)
			continue;
		for (int j = i + 1; j + 1 < argc; j++)
			if ((strcasecmp(argv[j], "channels") == 0 ||
			     strcasecmp(argv[j], "channel") == 0) &&
			    strcasecmp(argv[j + 1], "login") == 0)
				raise_hit(hit, GUARD_DENY, "channel-login", "%s",
				          "logs a chat channel in as the agent");
	}
}

static void openclaw_words(char *const *argv, int argc, struct guard_hit *hit)
{
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (strcasestr(w, suppressions) != NULL)
			raise_hit(hit, GUARD_ASK, "security-audit-suppression", "%s",
			          "names security.audit.suppressions");
		if (strncasecmp(w, "/approve", 8) == 0 &&
		    (w[8] == '\0' || w[8] == '@' || w[8] == ' '))
			raise_hit(hit, GUARD_ASK, "self-protection", "%s", "names /approve");
	}
	channel_login(argv, argc, hit);
}

void guard_words(const struct guard *g, char *const *argv, int argc, int exec,
                 const struct model_report *m, const char *const *cwds, int ncwd,
                 struct guard_hit *hit)
{
	bool somewhere = false;

	openclaw_words(argv, argc, hit);
	for (int i = 0; i < ncwd; i++) {
		if (!stand_in(cwds[i]))
			continue; /* the command cannot start there, or the cd fails */
		somewhere = true;
		judge_words(g, argv, argc, exec, m, hit);
	}
	if (!somewhere)
		judge_words(g, argv, argc, exec, m, hit); /* absolute words alone */
}

/* ---- the program ---- */

static bool claw_name(const char *word)
{
	const char *base = strrchr(word, '/');

	base = base ? base + 1 : word;
	return strcasecmp(base, "claw") == 0 || strncasecmp(base, "claw-", 5) == 0 ||
	       strcasecmp(base, "openclaw") == 0;
}

void guard_program(const struct guard *g, const char *word, const struct exec_file *f,
                   struct guard_hit *hit)
{
	if (strcasecmp(word, "/approve") == 0 || strncasecmp(word, "/approve@", 9) == 0)
		raise_hit(hit, GUARD_DENY, "approve", "%s", "a command may not answer an approval");
	if (claw_name(word) || (f->found && (claw_name(f->path) || claw_name(f->real))))
		raise_hit(hit, GUARD_ASK, "self-protection", "runs %s", word);
	else if (f->found && (claw_state_program(&g->cs, &f->st) != NULL || copy_of_program(g, f)))
		raise_hit(hit, GUARD_ASK, "self-protection", "runs claw's program %s (as %.60s)",
		          f->path, word);
}

void guard_cwd(const struct guard *g, const char *cwd, struct guard_hit *hit)
{
	stand.fresh = false;
	bool there = stand_in(cwd);
	stand.fresh = true;
	if (there && claw_state_holds(&g->cs, stand.real))
		raise_hit(hit, GUARD_ASK, "self-protection", "%s",
		          "the working directory is inside claw's state directory");
}
