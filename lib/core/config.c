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
#include "session/session.h"
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

int config_load(struct config *cfg, const struct common_opts *co)
{
	const char *path = co->config ? co->config : nonempty_env("OPENCLAW_CONFIG_PATH");
	size_t len;

	memset(cfg, 0, sizeof(*cfg));
	cfg->state_dir = config_state_dir(co);
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

int config_load_text(struct config *cfg, const char *source, const char *text)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->state_dir = xasprintf("%s/.openclaw", home_dir());
	cfg->path = xstrdup(source);
	cfg->source = xstrdup(source);
	cfg->exists = true;
	cfg->text = xstrdup(text);
	cfg->textlen = strlen(text);
	return parse(cfg);
}

void config_free(struct config *cfg)
{
	json5_free(&cfg->doc);
	free(cfg->state_dir);
	free(cfg->path);
	free(cfg->source);
	free(cfg->text);
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

static void where(const struct config *cfg, const cJSON *node, struct buf *b)
{
	unsigned line, col;

	if (node != NULL && json5_pos_of(&cfg->doc, node, &line, &col))
		buf_printf(b, "%s:%u:%u: ", cfg->source, line, col);
	else
		buf_printf(b, "%s: ", cfg->source);
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
