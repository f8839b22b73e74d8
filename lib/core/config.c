/* config.c: finding and reading OpenClaw's config, and typed access with positions. */
#include "core/config.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "core/preset.h"
#include "core/ids.h"
#include "core/util.h"

#define CONFIG_MAX_BYTES (16UL * 1024 * 1024)

static const char *home_dir(void)
{
	const char *home = getenv("HOME");

	if (home != NULL && home[0] != '\0')
		return home;
	struct passwd *pw = getpwuid(getuid());
	return pw != NULL && pw->pw_dir != NULL ? pw->pw_dir : "/";
}

static const char *nonempty_env(const char *name)
{
	const char *v = getenv(name);
	return v != NULL && v[0] != '\0' ? v : NULL;
}

static int parse(struct config *cfg)
{
	unsigned line = 0, col = 0;

	if (json5_parse(cfg->text, cfg->textlen, &cfg->doc, &line, &col) < 0)
		return claw_fail("%s:%u:%u: %s", cfg->source, line, col, claw_error());
	cfg->root = cfg->doc.root;
	if (!cJSON_IsObject(cfg->root))
		return cfg_error(cfg, cfg->root, "the config must be an object ({ ... })");
	return 0;
}

int config_parse_claw(const char *source, const char *text, struct json5_doc *doc)
{
	unsigned line = 0, col = 0;

	if (json5_parse(text, strlen(text), doc, &line, &col) < 0)
		return claw_fail("%s:%u:%u: %s", source, line, col, claw_error());
	if (!cJSON_IsObject(doc->root)) {
		json5_pos_of(doc, doc->root, &line, &col);
		json5_free(doc);
		return claw_fail("%s:%u:%u: claw.json must be an object ({ ... })", source, line,
		                 col);
	}
	return 0;
}

static int parse_claw(struct config *cfg)
{
	return config_parse_claw(cfg->claw_source, cfg->claw_text, &cfg->claw_doc);
}

static void use_preset_claw(struct config *cfg, const struct preset *p)
{
	cfg->claw_exists = false;
	cfg->claw_source = xasprintf("preset:%s (claw.json)", p->name);
	cfg->claw_text = xstrdup(p->claw_text);
	cfg->claw_textlen = strlen(cfg->claw_text);
}

static int load_preset(struct config *cfg, const char *name)
{
	const struct preset *p = preset_find(name);

	if (p == NULL)
		return claw_fail("no built-in preset \"%s\"", name);
	cfg->exists = false;
	cfg->source = xasprintf("preset:%s", name);
	cfg->text = xstrdup(p->text);
	cfg->textlen = strlen(cfg->text);
	return parse(cfg);
}

char *config_state_dir(const struct common_opts *co)
{
	const char *dir = co->state_dir ? co->state_dir : nonempty_env("OPENCLAW_STATE_DIR");

	return dir ? cfg_user_path(dir) : xasprintf("%s/.openclaw", home_dir());
}

static int read_openclaw(struct config *cfg, const struct common_opts *co)
{
	const char *path = co->config ? co->config : nonempty_env("OPENCLAW_CONFIG_PATH");
	size_t len;

	cfg->path = path ? cfg_user_path(path) : xasprintf("%s/openclaw.json", cfg->state_dir);
	if (read_file(cfg->path, CONFIG_MAX_BYTES, &cfg->text, &len) < 0) {
		/* No file at all is a new installation, and a new installation is secure. */
		if (errno == ENOENT && co->config == NULL)
			return load_preset(cfg, CLAW_DEFAULT_PRESET);
		if (errno == ENOENT)
			return claw_fail("%s: no such config file", cfg->path);
		return -1;
	}
	cfg->exists = true;
	cfg->source = xstrdup(cfg->path);
	cfg->textlen = len;
	return parse(cfg);
}

/*
 * claw.json. Without one, claw's keys have their defaults; but with neither
 * file, both are the preset's (a new installation gets all of secure).
 */
static int read_claw(struct config *cfg, const struct common_opts *co)
{
	const char *path = co->claw_config ? co->claw_config : nonempty_env("CLAW_CONFIG_PATH");
	size_t len;

	if (read_file(cfg->claw_path, CONFIG_MAX_BYTES, &cfg->claw_text, &len) < 0) {
		/* A file named on purpose must be there: claw's keys would silently default. */
		if (errno == ENOENT && co->claw_config != NULL)
			return claw_fail("%s: no such claw config file", cfg->claw_path);
		if (errno == ENOENT && path != NULL)
			return claw_fail(
			    "%s: no such claw config file ($CLAW_CONFIG_PATH names it)",
			    cfg->claw_path);
		if (errno != ENOENT)
			return -1;
		if (!cfg->exists)
			use_preset_claw(cfg, preset_find(CLAW_DEFAULT_PRESET));
		return cfg->claw_text ? parse_claw(cfg) : 0;
	}
	cfg->claw_exists = true;
	cfg->claw_source = xstrdup(cfg->claw_path);
	cfg->claw_textlen = len;
	return parse_claw(cfg);
}

/* ---- claw.json's keys into openclaw.json's tree ---- */

static void merge_object(struct config *cfg, cJSON *dst, cJSON *src);

/* Moves member M (detached from claw.json's tree) into DST, claw.json's value winning. */
static void merge_member(struct config *cfg, cJSON *dst, cJSON *m)
{
	cJSON *have = cJSON_GetObjectItemCaseSensitive(dst, m->string);

	if (cJSON_IsObject(have) && cJSON_IsObject(m)) {
		merge_object(cfg, have, m);
		cJSON_Delete(m);
	} else if (have != NULL) {
		cJSON_ReplaceItemViaPointer(dst, have, m);
	} else {
		cJSON_AddItemToObject(dst, m->string, m);
		/* cJSON_AddItemToObject copies the name; the old one goes with m's. */
	}
}

static void merge_object(struct config *cfg, cJSON *dst, cJSON *src)
{
	cJSON *m;

	while ((m = src->child) != NULL) {
		cJSON_DetachItemViaPointer(src, m);
		merge_member(cfg, dst, m);
	}
}

static void merge_problem(struct config *cfg, const cJSON *node, const char *path, const char *fmt,
                          ...) __attribute__((format(printf, 4, 5)));

static void merge_problem(struct config *cfg, const cJSON *node, const char *path, const char *fmt,
                          ...)
{
	struct buf where = { 0 }, msg = { 0 };
	va_list ap;

	cfg_where(cfg, node, false, &where);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	cfg_problem_add(&cfg->problems, buf_steal(&where), path, buf_steal(&msg), false);
}

/* One agent's claw keys (ENTRY of claw.json, for agent ID) into openclaw.json's roster. */
static void merge_agent(struct config *cfg, cJSON *entry, const char *id, const char *path)
{
	cJSON *mine = (cJSON *)cfg_agent(cfg, id);

	if (mine == NULL) {
		merge_problem(
		    cfg, entry, path,
		    "%s: openclaw.json has no agent \"%s\": claw.json sets claw's keys "
		    "of the agents openclaw.json has (use agents.defaults for every agent)",
		    path, id);
		return;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(entry, "id");
	merge_object(cfg, mine, entry);
}

/* agents.defaults merges as any object; agents.list[] and agents.entries by agent id. */
static void merge_agents(struct config *cfg, cJSON *agents)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(agents, "list");
	cJSON *entries = cJSON_GetObjectItemCaseSensitive(agents, "entries");
	cJSON *e;

	if (!cJSON_IsArray(list))
		list = NULL;
	if (!cJSON_IsObject(entries))
		entries = NULL;
	int i = 0;
	char path[160];

	cJSON_ArrayForEach(e, list)
	{
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
		snprintf(path, sizeof(path), "agents.list[%d]", i++);
		if (cJSON_IsObject(e) && id != NULL)
			merge_agent(cfg, e, id, path);
	}
	cJSON_ArrayForEach(e, entries)
	{
		snprintf(path, sizeof(path), "agents.entries.%.100s", e->string);
		if (cJSON_IsObject(e))
			merge_agent(cfg, e, e->string, path);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(agents, "list");
	cJSON_DeleteItemFromObjectCaseSensitive(agents, "entries");
}

/*
 * Puts claw.json's keys into openclaw.json's tree, so every reader finds a
 * key where it always has. The nodes move (their positions stay known:
 * cfg_where looks in both files).
 */
static void merge_claw(struct config *cfg)
{
	cJSON *croot = cfg->claw_doc.root;
	cJSON *agents = cJSON_GetObjectItemCaseSensitive(croot, "agents");

	if (croot == NULL)
		return;
	if (cJSON_IsObject(agents))
		merge_agents(cfg, agents);
	merge_object(cfg, cfg->root, croot);
}

/* The first error, as the load's error: "FILE:LINE:COL: message (and N more ...)". */
static int first_error(const struct config *cfg)
{
	for (size_t i = 0; i < cfg->problems.n; i++) {
		const struct cfg_problem *p = &cfg->problems.v[i];
		if (p->warning)
			continue;
		if (cfg->problems.errors == 1)
			return claw_fail("%s: %s", p->where, p->message);
		return claw_fail("%s: %s (and %zu more: claw config check lists them all)",
		                 p->where, p->message, cfg->problems.errors - 1);
	}
	return 0;
}

static void print_warnings(const struct config *cfg)
{
	for (size_t i = 0; i < cfg->problems.n; i++)
		if (cfg->problems.v[i].warning)
			fprintf(stderr, "%s: warning: %s: %s\n", program_invocation_short_name,
			        cfg->problems.v[i].where, cfg->problems.v[i].message);
}

enum check_mode {
	CHECK_STRICT,       /* an error fails the load; warnings go to stderr */
	CHECK_STRICT_QUIET, /* an error fails the load; warnings stay in cfg->problems */
	CHECK_REPORT,       /* everything stays in cfg->problems */
};

static void where_in(const void *cfg, const cJSON *node, bool key, struct buf *out)
{
	cfg_where(cfg, node, key, out);
}

/* Checks what was read and puts both files into one tree. */
static int check_and_merge(struct config *cfg, enum check_mode mode)
{
	struct schema_input in = { cfg->doc.root,  cfg->claw_doc.root, cfg->path,
		                   cfg->claw_path, where_in,           cfg };

	schema_check(&in, &cfg->problems);
	merge_claw(cfg);
	if (mode == CHECK_REPORT)
		return 0;
	if (cfg->problems.errors)
		return first_error(cfg);
	if (mode == CHECK_STRICT)
		print_warnings(cfg);
	return 0;
}

static int load(struct config *cfg, const struct common_opts *co, enum check_mode mode)
{
	const char *claw = co->claw_config ? co->claw_config : nonempty_env("CLAW_CONFIG_PATH");

	memset(cfg, 0, sizeof(*cfg));
	cfg->state_dir = config_state_dir(co);
	/* Both paths are set whatever happens next (the sandbox keeps every config file out). */
	cfg->claw_path = claw ? cfg_user_path(claw) : xasprintf("%s/claw.json", cfg->state_dir);
	if (read_openclaw(cfg, co) < 0 || read_claw(cfg, co) < 0)
		return -1;
	if (cfg->exists)
		cfg->files[cfg->nfiles++] = cfg->path;
	if (cfg->claw_exists)
		cfg->files[cfg->nfiles++] = cfg->claw_path;
	return check_and_merge(cfg, mode);
}

size_t cfg_files(const struct config *cfg, const char *const **out)
{
	*out = cfg->files;
	return cfg->nfiles;
}

int config_load(struct config *cfg, const struct common_opts *co)
{
	return load(cfg, co, CHECK_STRICT);
}

int config_load_report(struct config *cfg, const struct common_opts *co)
{
	return load(cfg, co, CHECK_REPORT);
}

int config_load_preset(struct config *cfg, const char *name)
{
	const struct preset *p = preset_find(name);

	memset(cfg, 0, sizeof(*cfg));
	cfg->state_dir = xasprintf("%s/.openclaw", home_dir());
	cfg->path = xasprintf("preset:%s", name);
	cfg->claw_path = xasprintf("%s/claw.json", cfg->state_dir);
	if (load_preset(cfg, name) < 0)
		return -1;
	use_preset_claw(cfg, p);
	if (parse_claw(cfg) < 0)
		return -1;
	return check_and_merge(cfg, CHECK_STRICT_QUIET);
}

int config_load_texts(struct config *cfg, const char *source, const char *text,
                      const char *claw_source, const char *claw_text)
{
	bool with_claw = claw_source != NULL && claw_text != NULL;

	memset(cfg, 0, sizeof(*cfg));
	cfg->state_dir = xasprintf("%s/.openclaw", home_dir());
	cfg->path = xstrdup(source);
	cfg->claw_path = with_claw ? xstrdup(claw_source)
	                           : xasprintf("%s/claw.json", cfg->state_dir); /* always set */
	cfg->source = xstrdup(source);
	cfg->exists = true;
	cfg->text = xstrdup(text);
	cfg->textlen = strlen(text);
	if (parse(cfg) < 0)
		return -1;
	if (with_claw) {
		cfg->claw_source = xstrdup(claw_source);
		cfg->claw_exists = true;
		cfg->claw_text = xstrdup(claw_text);
		cfg->claw_textlen = strlen(claw_text);
		if (parse_claw(cfg) < 0)
			return -1;
	}
	return check_and_merge(cfg, CHECK_STRICT_QUIET);
}

int config_load_text(struct config *cfg, const char *source, const char *text)
{
	return config_load_texts(cfg, source, text, NULL, NULL);
}

void config_free(struct config *cfg)
{
	json5_free(&cfg->doc);
	json5_free(&cfg->claw_doc);
	free(cfg->state_dir);
	free(cfg->path);
	free(cfg->source);
	free(cfg->text);
	free(cfg->claw_path);
	free(cfg->claw_source);
	free(cfg->claw_text);
	cfg_problems_free(&cfg->problems);
	memset(cfg, 0, sizeof(*cfg));
}

const cJSON *cfg_get(const cJSON *node, const char *dotted)
{
	const char *p = dotted;

	while (node != NULL && *p != '\0') {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		char key[128];
		if (n >= sizeof(key) || !cJSON_IsObject(node))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		node = cJSON_GetObjectItemCaseSensitive(node, key);
		p += n + (dot != NULL);
	}
	return node;
}

const cJSON *cfg_roster(const struct config *cfg)
{
	const cJSON *entries = cfg_get(cfg->root, "agents.entries");

	if (cJSON_IsObject(entries))
		return entries;
	const cJSON *list = cfg_get(cfg->root, "agents.list");
	return cJSON_IsArray(list) ? list : NULL;
}

/* The configured id of a roster entry: its "id", or its key in agents.entries. */
static const char *entry_id(const cJSON *entry)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(entry, "id");

	if (cJSON_IsString(id))
		return id->valuestring;
	return entry->string;
}

const cJSON *cfg_agent(const struct config *cfg, const char *agent)
{
	const cJSON *roster = cfg_roster(cfg), *entry;
	char want[SESSION_ID_MAX], id[SESSION_ID_MAX];

	if (roster == NULL)
		return NULL;
	norm_agent_id(agent, want);
	cJSON_ArrayForEach(entry, roster)
	{
		const char *eid = entry_id(entry);
		if (cJSON_IsObject(entry) && eid != NULL &&
		    strcmp(norm_agent_id(eid, id), want) == 0)
			return entry;
	}
	return NULL;
}

const cJSON *cfg_agent_get(const struct config *cfg, const char *agent, const char *dotted)
{
	const cJSON *v = agent ? cfg_get(cfg_agent(cfg, agent), dotted) : NULL;

	return v != NULL ? v : cfg_get(cfg_get(cfg->root, "agents.defaults"), dotted);
}

const char *cfg_default_agent(const struct config *cfg)
{
	const cJSON *roster = cfg_roster(cfg), *entry, *only = NULL, *chosen = NULL;
	int n = 0, defaults = 0;

	if (roster == NULL)
		return "main";
	const char *ownership = cJSON_GetStringValue(cfg_get(cfg->root, "agents.ownership"));
	if (ownership != NULL && strcmp(ownership, "explicit") == 0) {
		const char *sys =
		    cJSON_GetStringValue(cfg_get(cfg->root, "agents.defaults.systemAgent.agentId"));
		if (sys != NULL && cfg_agent(cfg, sys) != NULL)
			return sys;
		claw_fail("agents.ownership is \"explicit\" but "
		          "agents.defaults.systemAgent.agentId names no "
		          "configured agent");
		return NULL;
	}
	cJSON_ArrayForEach(entry, roster)
	{
		if (!cJSON_IsObject(entry) || entry_id(entry) == NULL)
			continue;
		n++;
		only = entry;
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(entry, "default"))) {
			defaults++;
			chosen = entry;
		}
	}
	if (defaults == 1)
		return entry_id(chosen);
	if (n == 1)
		return entry_id(only);
	if (n == 0)
		claw_fail("No agents configured (agents.list is empty)");
	else
		claw_fail("Multiple agents are configured, but %s. Mark one agent default: true, "
		          "or name the agent",
		          defaults > 1 ? "more than one is default: true"
		                       : "none is default: true");
	return NULL;
}

char *cfg_user_path(const char *path)
{
	struct buf out = { 0 };
	char *raw;

	if (strcmp(path, "~") == 0 || str_has_prefix(path, "~/"))
		raw = xasprintf("%s%s", home_dir(), path + 1);
	else if (path[0] == '/')
		raw = xstrdup(path);
	else {
		char *cwd = getcwd(NULL, 0);
		raw = xasprintf("%s/%s", cwd ? cwd : "/", path);
		free(cwd);
	}
	/* Fold the path component by component, as path.resolve does. */
	for (char *save = NULL, *part = strtok_r(raw, "/", &save); part != NULL;
	     part = strtok_r(NULL, "/", &save)) {
		if (strcmp(part, ".") == 0)
			continue;
		if (strcmp(part, "..") == 0) { /* up one, never above the root */
			while (out.len > 0 && out.p[out.len - 1] != '/')
				out.len--;
			if (out.len > 0)
				out.p[--out.len] = '\0';
			continue;
		}
		buf_putc(&out, '/');
		buf_puts(&out, part);
	}
	if (out.len == 0)
		buf_putc(&out, '/');
	free(raw);
	return buf_steal(&out);
}

char *cfg_agent_workspace(const struct config *cfg, const char *agent)
{
	char id[SESSION_ID_MAX], owner[SESSION_ID_MAX];
	const char *own = cJSON_GetStringValue(cfg_get(cfg_agent(cfg, agent), "workspace"));
	const char *fallback =
	    cJSON_GetStringValue(cfg_get(cfg->root, "agents.defaults.workspace"));
	const char *def = cfg_default_agent(cfg);
	const char *env = nonempty_env("OPENCLAW_WORKSPACE_DIR");

	norm_agent_id(agent, id);
	if (own != NULL && own[strspn(own, " \t")] != '\0')
		return cfg_user_path(own);
	if (fallback != NULL && fallback[strspn(fallback, " \t")] == '\0')
		fallback = NULL;
	/* The default agent owns the plain workspace; the others get their own. */
	if (def != NULL && strcmp(norm_agent_id(def, owner), id) == 0) {
		if (fallback != NULL)
			return cfg_user_path(fallback);
		if (env != NULL)
			return cfg_user_path(env);
		return xasprintf("%s/workspace", cfg->state_dir);
	}
	if (fallback != NULL) {
		char *base = cfg_user_path(fallback), *p = xasprintf("%s/%s", base, id);
		free(base);
		return p;
	}
	return xasprintf("%s/workspace-%s", cfg->state_dir, id);
}

void cfg_where(const struct config *cfg, const cJSON *node, bool key, struct buf *out)
{
	int (*pos)(const struct json5_doc *, const cJSON *, unsigned *, unsigned *) =
	    key ? json5_key_pos_of : json5_pos_of;
	unsigned line, col;

	if (node != NULL && pos(&cfg->doc, node, &line, &col))
		buf_printf(out, "%s:%u:%u", cfg->source, line, col);
	else if (node != NULL && cfg->claw_source && pos(&cfg->claw_doc, node, &line, &col))
		buf_printf(out, "%s:%u:%u", cfg->claw_source, line, col);
	else
		buf_puts(out, cfg->source);
}

static void where(const struct config *cfg, const cJSON *node, struct buf *b)
{
	cfg_where(cfg, node, false, b);
	buf_puts(b, ": ");
}

int cfg_error(const struct config *cfg, const cJSON *node, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	where(cfg, node, &b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	claw_fail("%s", b.p);
	buf_free(&b);
	return -1;
}

void cfg_warn(const struct config *cfg, const cJSON *node, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	where(cfg, node, &b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: warning: %s\n", program_invocation_short_name, b.p);
	buf_free(&b);
}

int cfg_str(const struct config *cfg, const cJSON *node, const char *what, const char **out)
{
	if (node == NULL || cJSON_IsNull(node))
		return 0;
	if (!cJSON_IsString(node))
		return cfg_error(cfg, node, "%s must be a string", what);
	*out = node->valuestring;
	return 0;
}

int cfg_bool(const struct config *cfg, const cJSON *node, const char *what, bool *out)
{
	if (node == NULL || cJSON_IsNull(node))
		return 0;
	if (!cJSON_IsBool(node))
		return cfg_error(cfg, node, "%s must be true or false", what);
	*out = cJSON_IsTrue(node);
	return 0;
}

int cfg_num(const struct config *cfg, const cJSON *node, const char *what, double *out)
{
	if (node == NULL || cJSON_IsNull(node))
		return 0;
	if (!cJSON_IsNumber(node))
		return cfg_error(cfg, node, "%s must be a number", what);
	*out = node->valuedouble;
	return 0;
}

int cfg_enum(const struct config *cfg, const cJSON *node, const char *what,
             const char *const *choices, const char **out)
{
	const char *s = NULL;
	struct buf list = { 0 };

	if (cfg_str(cfg, node, what, &s) < 0)
		return -1;
	if (s == NULL)
		return 0;
	for (const char *const *c = choices; *c != NULL; c++) {
		if (strcmp(s, *c) == 0) {
			*out = *c;
			return 0;
		}
	}
	for (const char *const *c = choices; *c != NULL; c++)
		buf_printf(&list, "%s%s", c == choices ? "" : ", ", *c);
	cfg_error(cfg, node, "unknown %s \"%s\" (expected one of: %s)", what, s, list.p);
	buf_free(&list);
	return -1;
}

char *state_path(const struct config *cfg, const char *name)
{
	return xasprintf("%s/%s", cfg->state_dir, name);
}
