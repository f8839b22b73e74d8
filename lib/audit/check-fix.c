/* check-fix.c: claw-audit check, --fix: permissions tightened, open policies closed, a preset's
 * keys applied. */
#include "audit/seccheck-int.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "core/cfgedit.h"
#include "core/clawmove.h"
#include "core/fsutil.h"
#include "session/session.h"

static void action_add(struct fix_result *fx, const char *path, unsigned mode, bool ok,
                       const char *skipped, const char *error)
{
	ALLOC_GROW(fx->actions, fx->nactions + 1, fx->capactions);
	fx->actions[fx->nactions++] =
	    (struct fix_action){ xstrdup(path), mode, ok, skipped, error ? xstrdup(error) : NULL };
}

/* Removes the bits MODE does not have; never adds one. */
static void safe_chmod(struct fix_result *fx, const char *path, unsigned mode, bool dir)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			action_add(fx, path, mode, false, "missing", NULL);
		else
			action_add(fx, path, mode, false, NULL, strerror(errno));
		return;
	}
	if (S_ISLNK(st.st_mode))
		return action_add(fx, path, mode, false, "symlink", NULL);
	if (dir && !S_ISDIR(st.st_mode))
		return action_add(fx, path, mode, false, "not-a-directory", NULL);
	if (!dir && !S_ISREG(st.st_mode))
		return action_add(fx, path, mode, false, "not-a-file", NULL);
	unsigned cur = (unsigned)st.st_mode & 07777;
	if ((cur & ~mode & 0777) == 0)
		return action_add(fx, path, mode, false, "already", NULL);
	if (chmod(path, cur & mode) < 0)
		return action_add(fx, path, mode, false, NULL, strerror(errno));
	action_add(fx, path, mode, true, NULL, NULL);
}

static void chmod_dir_files(struct fix_result *fx, const char *dir, const char *suffix)
{
	char *cmd_dir = xstrdup(dir);
	DIR *d = opendir(cmd_dir);
	struct dirent *e;

	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.' || (suffix && !str_has_suffix(e->d_name, suffix)))
				continue;
			char *p = xasprintf("%s/%s", dir, e->d_name);
			struct stat st;
			if (lstat(p, &st) == 0 && S_ISREG(st.st_mode))
				safe_chmod(fx, p, 0600, false);
			free(p);
		}
		closedir(d);
	}
	free(cmd_dir);
}

static void fix_permissions(struct ctx *c, struct fix_result *fx)
{
	const char *state = c->cfg->state_dir;
	const cJSON *a;

	safe_chmod(fx, state, 0700, true);
	if (c->cfg->exists) {
		safe_chmod(fx, c->cfg->path, 0600, false);
		if (fx->backup)
			safe_chmod(fx, fx->backup, 0600, false);
	}
	safe_chmod(fx, c->approvals_path, 0600, false);
	char *p = xasprintf("%s/approvals", state);
	if (perm_of(p).dir) {
		safe_chmod(fx, p, 0700, true);
		chmod_dir_files(fx, p, NULL);
	}
	free(p);
	p = xasprintf("%s/audit", state);
	safe_chmod(fx, p, 0700, true);
	chmod_dir_files(fx, p, NULL);
	free(p);
	p = credentials_dir(c);
	safe_chmod(fx, p, 0700, true);
	chmod_dir_files(fx, p, ".json");
	free(p);
	struct strvec ids = { 0 };
	strvec_push(&ids, cfg_default_agent(c->cfg));
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a))
			strvec_push(&ids, agent_id(a));
	}
	for (size_t i = 0; i < ids.n; i++) {
		char id[SESSION_ID_MAX];
		bool dup = false;
		norm_agent_id(ids.v[i], id);
		for (size_t k = 0; k < i && !dup; k++) {
			char other[SESSION_ID_MAX];
			dup = strcmp(norm_agent_id(ids.v[k], other), id) == 0;
		}
		if (dup)
			continue;
		static const struct {
			const char *suffix;
			unsigned mode;
			bool dir;
		} agent_paths[] = {
			{ "", 0700, true },
			{ "/agent", 0700, true },
			{ "/agent/auth-profiles.json", 0600, false },
			{ "/sessions", 0700, true },
			{ "/sessions/sessions.json", 0600, false },
		};
		for (size_t k = 0; k < NELEM(agent_paths); k++) {
			char *ap = xasprintf("%s/agents/%s%s", state, id, agent_paths[k].suffix);
			struct stat st;
			if (lstat(ap, &st) == 0) /* OpenClaw's state; claw makes none of it */
				safe_chmod(fx, ap, agent_paths[k].mode, agent_paths[k].dir);
			free(ap);
		}
		char *sessions = xasprintf("%s/agents/%s/sessions", state, id);
		if (perm_of(sessions).dir)
			chmod_dir_files(fx, sessions, ".jsonl");
		free(sessions);
	}
	strvec_clear(&ids);
}

struct edit {
	char *path, *value, *change;
};

struct edits {
	struct edit *v;
	size_t n, cap;
};

static void edit_add(struct edits *e, const char *path, const char *value, const char *change)
{
	ALLOC_GROW(e->v, e->n + 1, e->cap);
	e->v[e->n++] = (struct edit){ xstrdup(path), xstrdup(value), xstrdup(change) };
}

static void edits_free(struct edits *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].path);
		free(e->v[i].value);
		free(e->v[i].change);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static void group_policy_fn(struct ctx *c, const char *channel, const cJSON *s, const char *base,
                            void *arg)
{
	struct edits *e = arg;
	struct buf path = { 0 }, change = { 0 };

	(void)c;
	(void)channel;
	if (sget(s, "groupPolicy") && strcmp(sget(s, "groupPolicy"), "open") == 0) {
		buf_printf(&path, "%s.groupPolicy", base);
		buf_printf(&change, "%s=open -> allowlist", path.p);
		edit_add(e, path.p, "\"allowlist\"", change.p);
	}
	buf_free(&path);
	buf_free(&change);
}

/* The changes --fix makes to the config: OpenClaw's safe fixes, and the preset's. */
static void plan_edits(struct ctx *c, const cJSON *root, struct edits *e)
{
	const cJSON *saved = c->root;

	c->root = root;
	each_section(c, group_policy_fn, e);
	if (c->o->preset != NULL) {
		struct config p;
		struct gaps g = { 0 };
		if (parse_preset(c->o->preset, &p) == 0) {
			preset_gaps(c->cfg, root, p.root, false, &g);
			for (size_t i = 0; i < g.n; i++) {
				struct buf change = { 0 };
				buf_printf(&change, "%s=%s -> %s (preset %s)", g.v[i].path,
				           g.v[i].have ? g.v[i].have : "(unset)", g.v[i].want,
				           c->o->preset);
				edit_add(e, g.v[i].path, g.v[i].want, change.p);
				buf_free(&change);
			}
			gaps_free(&g);
			config_free(&p);
		}
	}
	c->root = saved;
}

static void fix_error(struct fix_result *fx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fix_error(struct fix_result *fx, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	strvec_push(&fx->errors, b.p);
	buf_free(&b);
}

/* The claw keys the check found in openclaw.json (its warnings). */
static size_t claw_keys_found(const struct config *cfg)
{
	size_t n = 0;

	for (size_t i = 0; i < cfg->problems.n; i++)
		n += cfg->problems.v[i].warning;
	return n;
}

/*
 * claw's keys in openclaw.json (TEXT, as NOW read it) go to claw.json, which
 * is written here, under its lock, before openclaw.json is: until that is
 * rewritten both hold them, and claw.json's values are the ones that apply.
 * A claw.json that does not parse, or is a symlink, is never rewritten.
 */
static int fix_claw_json(struct ctx *c, struct fix_result *fx, const struct config *now,
                         struct buf *text)
{
	const char *path = c->cfg->claw_path;
	struct buf claw = { 0 }, orig = { 0 };
	struct json5_doc doc = { 0 };
	struct stat st;
	char *raw = NULL;
	size_t len;
	int lock, rc = -1;
	bool existed = lstat(path, &st) == 0;

	if ((lock = lock_file(path, true)) < 0) {
		fix_error(fx, "%s", claw_error());
		return -1;
	}
	if (existed && S_ISLNK(st.st_mode)) {
		fix_error(fx, "%s is a symlink; not rewriting through it", path);
		goto out;
	}
	if (existed && read_file(path, 16UL * 1024 * 1024, &raw, &len) < 0) {
		fix_error(fx, "%s", claw_error());
		goto out;
	}
	buf_put(&claw, existed ? raw : claw_json_template,
	        existed ? len : strlen(claw_json_template));
	buf_put(&orig, claw.p, claw.len);
	if (config_parse_claw(path, claw.p, &doc) < 0) {
		fix_error(fx, "%s; not rewriting it", claw_error());
		goto out;
	}
	if (claw_keys_move(now, text, &claw) < 0) {
		fix_error(fx, "moving claw's keys to %s: %s; nothing was changed", path,
		          claw_error());
		goto out;
	}
	/* The old claw.json is kept as the next numbered backup, never over an earlier one. */
	char *bak = existed ? backup_numbered(path, orig.p, orig.len, st.st_mode & 0777) : NULL;
	if (existed && bak == NULL)
		fix_error(fx, "%s; nothing was changed", claw_error());
	else if (atomic_write(path, claw.p, claw.len, 0600) < 0)
		fix_error(fx, "%s; nothing was changed", claw_error());
	else
		rc = 0;
	if (rc == 0 && bak != NULL) {
		char *note = xasprintf("%s kept as %s", path, bak);
		strvec_push(&fx->changes, note);
		free(note);
	}
	free(bak);
out:
	json5_free(&doc);
	free(raw);
	buf_free(&claw);
	buf_free(&orig);
	unlock_file(lock);
	return rc;
}

/* Rewrites the config under its lock, from the file as it is now. */
static void fix_config(struct ctx *c, struct fix_result *fx)
{
	const char *path = c->cfg->path;
	struct config now;
	struct edits e = { 0 };
	struct buf text = { 0 };
	struct stat st;
	int lock;

	if (!c->cfg->exists) {
		if (c->o->preset)
			fix_error(fx,
			          "no config file at %s: the built-in secure preset applies; "
			          "`claw init --preset %s` writes one",
			          path, c->o->preset);
		return;
	}
	if ((lock = lock_file(path, true)) < 0) {
		fix_error(fx, "%s", claw_error());
		return;
	}
	if (lstat(path, &st) < 0) {
		fix_error(fx, "%s: %s", path, strerror(errno));
		goto out;
	}
	char *raw = NULL;
	size_t len;
	if (read_file(path, 16UL * 1024 * 1024, &raw, &len) < 0) {
		fix_error(fx, "%s", claw_error());
		goto out;
	}
	buf_put(&text, raw, len);
	free(raw);
	/* A file that does not parse, or that the config check refuses, is never overwritten. */
	if (config_load_text(&now, path, text.p) < 0) {
		fix_error(fx, "%s; not rewriting it", claw_error());
		config_free(&now);
		goto out;
	}
	plan_edits(c, now.root, &e);
	size_t moves = claw_keys_found(&now);
	if (e.n + moves == 0) {
		config_free(&now);
		goto out;
	}
	if (S_ISLNK(st.st_mode)) {
		fix_error(fx,
		          "%s is a symlink; not rewriting through it (fix its target: %zu "
		          "change%s pending)",
		          path, e.n + moves, e.n + moves == 1 ? "" : "s");
		config_free(&now);
		goto out;
	}
	struct buf orig = { 0 };
	buf_put(&orig, text.p, text.len);
	for (size_t i = 0; i < e.n; i++) {
		if (cfgedit_set(&text, e.v[i].path, e.v[i].value) < 0) {
			fix_error(fx, "%s: %s; the config was not changed", path, claw_error());
			buf_free(&orig);
			config_free(&now);
			goto out;
		}
	}
	if (moves > 0 && fix_claw_json(c, fx, &now, &text) < 0) {
		buf_free(&orig);
		config_free(&now);
		goto out;
	}
	struct strvec moved = { 0 };
	for (size_t i = 0; i < now.problems.n; i++) {
		if (!now.problems.v[i].warning)
			continue;
		char *change = xasprintf("%s -> %s", now.problems.v[i].path, c->cfg->claw_path);
		strvec_push(&moved, change);
		free(change);
	}
	config_free(&now);
	mode_t mode = st.st_mode & 0777;
	char *bak = backup_numbered(path, orig.p, orig.len, mode);
	if (bak == NULL) {
		fix_error(fx, "%s; the config was not changed", claw_error());
	} else if (atomic_write(path, text.p, text.len, mode) < 0) {
		fix_error(fx, "%s; the config was not changed (backup in %s)", claw_error(), bak);
		free(bak);
	} else {
		fx->config_written = true;
		fx->backup = bak;
		for (size_t i = 0; i < e.n; i++)
			strvec_push(&fx->changes, e.v[i].change);
		for (size_t i = 0; i < moved.n; i++)
			strvec_push(&fx->changes, moved.v[i]);
	}
	strvec_clear(&moved);
	buf_free(&orig);
out:
	edits_free(&e);
	buf_free(&text);
	unlock_file(lock);
}

void run_fix(struct ctx *c, struct fix_result *fx)
{
	fx->ran = true;
	fx->state_dir = xstrdup(c->cfg->state_dir);
	fx->config_path = xstrdup(c->cfg->path);
	fix_config(c, fx);
	fix_permissions(c, fx);
	fx->ok = fx->errors.n == 0;
	for (size_t i = 0; i < fx->nactions; i++)
		if (fx->actions[i].error)
			fx->ok = false;
}
