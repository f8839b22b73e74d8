/* check-preset.c: claw-audit check, presets: where the config is weaker than a preset, or than the
 * secure defaults. */
#include "audit/seccheck-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/preset.h"
#include "sandbox/sandbox.h"

/*
 * What a preset key means for safety: its values from loosest to tightest,
 * and OpenClaw's default when a config leaves it out (for the sandbox's keys,
 * NULL: claw-sandbox's loader says, sandbox_default()). --fix --preset only
 * ever moves a value to the right.
 */
enum rule_kind { RULE_ORDER, RULE_NETWORK, RULE_FALSE_TIGHT, RULE_SUPERSET, RULE_AT_MOST };
static const struct rule {
	const char *key; /* under agents.defaults. / tools. / session. */
	enum rule_kind kind;
	const char *order[5];
	const char *def; /* OpenClaw's default, as JSON; NULL: sandbox_default() */
	const char *why;
} preset_rules[] = {
	{ "agents.defaults.sandbox.mode",
	  RULE_ORDER,
	  { "off", "non-main", "all" },
	  NULL,
	  "which sessions run in a sandbox" },
	{ "agents.defaults.sandbox.scope",
	  RULE_ORDER,
	  { "shared", "agent", "session" },
	  NULL,
	  "what one sandbox is shared by" },
	{ "agents.defaults.sandbox.workspaceAccess",
	  RULE_ORDER,
	  { "rw", "ro", "none" },
	  NULL,
	  "what of the host workspace a sandbox sees" },
	{ "agents.defaults.sandbox.docker.network",
	  RULE_NETWORK,
	  { 0 },
	  NULL,
	  "whether a sandbox reaches the network" },
	{ "agents.defaults.sandbox.docker.pidsLimit",
	  RULE_AT_MOST,
	  { 0 },
	  NULL,
	  "how many processes a sandbox may run" },
	{ "agents.defaults.sandbox.docker.memory",
	  RULE_AT_MOST,
	  { 0 },
	  NULL,
	  "how much memory a sandbox may use" },
	{ "session.dmScope",
	  RULE_ORDER,
	  { "main", "per-peer", "per-channel-peer", "per-account-channel-peer" },
	  "\"main\"",
	  "whether DM senders share one conversation" },
	{ "tools.exec.security",
	  RULE_ORDER,
	  { "full", "allowlist", "deny" },
	  "\"full\"",
	  "which host commands run without asking" },
	{ "tools.exec.ask",
	  RULE_ORDER,
	  { "off", "on-miss", "always" },
	  "\"off\"",
	  "when a human is asked" },
	{ "tools.elevated.enabled",
	  RULE_FALSE_TIGHT,
	  { 0 },
	  "true",
	  "the escape hatch from the sandbox to the host" },
	{ "tools.deny", RULE_SUPERSET, { 0 }, "[]", "tools no session may use" },
};

static int order_index(const struct rule *r, const char *v)
{
	for (int i = 0; i < (int)NELEM(r->order) && r->order[i]; i++)
		if (strcmp(r->order[i], v) == 0)
			return i;
	return -1;
}

static char *json_text(const cJSON *v)
{
	char *t = cJSON_PrintUnformatted(v);
	char *copy = xstrdup(t ? t : "null");

	cJSON_free(t);
	return copy;
}

/* A limit as a number: pids, or bytes for "512m"; 0 or less, or not one, is no limit. */
static long long limit_value(const cJSON *v)
{
	if (cJSON_IsNumber(v))
		return (long long)v->valuedouble;
	if (cJSON_IsString(v))
		return sandbox_parse_size(v->valuestring);
	return -1;
}

/*
 * A sandbox key's value when the config leaves it out, as claw-sandbox's
 * loader has it (the "default" rows of claw-sandbox explain), as JSON; no
 * limit is "unlimited". NULL for a key it does not read.
 */
static const char *sandbox_default(const char *key)
{
	static struct config empty;
	static struct sandbox_settings s;
	static bool loaded;

	if (!loaded) {
		loaded = true;
		if (config_load_text(&empty, "defaults", "{}") < 0 ||
		    sandbox_settings_load(&empty, NULL, &s) < 0)
			s.nsrc = 0;
	}
	for (size_t i = 0; i < s.nsrc; i++)
		if (strcmp(s.src[i].key, key) == 0)
			return strcmp(s.src[i].value, "null") == 0 ? "\"unlimited\""
			                                           : s.src[i].value;
	return NULL;
}

/* R's default, as JSON. */
static const char *rule_def(const struct rule *r)
{
	const char *d = r->def;

	if (d == NULL && str_has_prefix(r->key, "agents.defaults.sandbox."))
		d = sandbox_default(r->key + strlen("agents.defaults.sandbox."));
	return d ? d : "null";
}

/* Whether HAVE (NULL: OpenClaw's default) is weaker than WANT for rule R. On true,
 * *FIX is the JSON to set (NULL when the rule cannot order the values). */
static bool weaker(const struct rule *r, const cJSON *have, const cJSON *want, char **fix)
{
	cJSON *def = have ? NULL : cJSON_Parse(rule_def(r));
	const cJSON *h = have ? have : def;
	bool weak = false;

	*fix = NULL;
	switch (r->kind) {
	case RULE_ORDER: {
		int hi = cJSON_IsString(h) ? order_index(r, h->valuestring) : -1;
		int wi = cJSON_IsString(want) ? order_index(r, want->valuestring) : -1;
		if (wi >= 0 && hi < wi) {
			weak = true;
			*fix = json_text(want);
		}
		break;
	}
	case RULE_NETWORK:
		if (cJSON_IsString(want) && strcmp(want->valuestring, "none") == 0 &&
		    !(cJSON_IsString(h) && strcmp(h->valuestring, "none") == 0)) {
			weak = true;
			*fix = json_text(want);
		}
		break;
	case RULE_FALSE_TIGHT:
		if (cJSON_IsFalse(want) && !cJSON_IsFalse(h)) {
			weak = true;
			*fix = json_text(want);
		}
		break;
	case RULE_AT_MOST: {
		long long hv = limit_value(h), wv = limit_value(want);
		if (wv > 0 && (hv <= 0 || hv > wv)) {
			weak = true;
			*fix = json_text(want);
		}
		break;
	}
	case RULE_SUPERSET: {
		cJSON *u = cJSON_IsArray(h) ? cJSON_Duplicate(h, 1) : cJSON_CreateArray();
		const cJSON *e;
		cJSON_ArrayForEach(e, want)
		{
			if (cJSON_IsString(e) && !list_has_name(h, e->valuestring)) {
				weak = true;
				cJSON_AddItemToArray(u, cJSON_CreateString(e->valuestring));
			}
		}
		if (weak)
			*fix = json_text(u);
		cJSON_Delete(u);
		break;
	}
	}
	cJSON_Delete(def);
	return weak;
}

static void gap_add(struct gaps *g, const char *path, const cJSON *have, char *want,
                    const struct rule *r)
{
	ALLOC_GROW(g->v, g->n + 1, g->cap);
	struct gap *x = &g->v[g->n++];
	snprintf(x->path, sizeof(x->path), "%s", path);
	x->have = have ? json_text(have) : NULL;
	x->want = want;
	x->rule = r;
}

void gaps_free(struct gaps *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].have);
		free(g->v[i].want);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}

/* Where a per-agent override of KEY lives in an agents.list entry, or NULL. */
static const char *agent_suffix(const char *key)
{
	if (str_has_prefix(key, "agents.defaults."))
		return key + strlen("agents.defaults.");
	if (str_has_prefix(key, "tools.") && strcmp(key, "tools.deny") != 0)
		return key; /* agents.list[].tools.exec.security, ... */
	return NULL;
}

/*
 * KEY's value as the stages derive it when the config sets it under another
 * name: the scope the retired perSession gives (session_sandbox_scope). NULL
 * when there is none; to cJSON_Delete.
 */
static cJSON *derived(const struct config *cfg, const cJSON *root, const char *key)
{
	const cJSON *sb = get(root, "agents.defaults.sandbox");
	const char *scope;

	if (strcmp(key, "agents.defaults.sandbox.scope") != 0 || get(sb, "perSession") == NULL ||
	    session_sandbox_scope(cfg, NULL, sb, &scope) < 0)
		return NULL;
	return cJSON_CreateString(scope);
}

/* Every key of PRESET's root that ROOT (a config, CFG's tree or an edit of it) leaves
 * weaker. */
void preset_gaps(const struct config *cfg, const cJSON *root, const cJSON *preset,
                 bool missing_only, struct gaps *g)
{
	for (size_t i = 0; i < NELEM(preset_rules); i++) {
		const struct rule *r = &preset_rules[i];
		const cJSON *want = get(preset, r->key), *have = get(root, r->key), *a;
		char *fix;
		int idx = 0;

		if (want == NULL)
			continue;
		/* A deny-all exec makes ask moot. */
		if (strcmp(r->key, "tools.exec.ask") == 0 && sget(root, "tools.exec.security") &&
		    strcmp(sget(root, "tools.exec.security"), "deny") == 0)
			continue;
		cJSON *legacy = have ? NULL : derived(cfg, root, r->key);
		if (legacy != NULL)
			have = legacy;
		if ((!missing_only || have == NULL) && weaker(r, have, want, &fix))
			gap_add(g, r->key, have, fix, r);
		const char *suffix = agent_suffix(r->key);
		cJSON_ArrayForEach(a, get(root, "agents.list"))
		{
			const cJSON *mine = suffix ? get(a, suffix) : NULL;
			char path[160];
			if (mine != NULL && !missing_only && weaker(r, mine, want, &fix)) {
				snprintf(path, sizeof(path), "agents.list[%d].%s", idx, suffix);
				gap_add(g, path, mine, fix, r);
			}
			idx++;
		}
		cJSON_Delete(legacy);
	}
}

int parse_preset(const char *name, struct config *p)
{
	const struct preset *ps = preset_find(name);
	char *source;

	memset(p, 0, sizeof(*p));
	if (ps == NULL) {
		check_preset_valid(name);
		return -1;
	}
	source = xasprintf("preset:%s", name);
	int rc = config_load_text(p, source, ps->text);
	free(source);
	return rc;
}

int check_preset_valid(const char *name)
{
	struct buf names = { 0 };

	if (preset_find(name) != NULL)
		return 0;
	for (unsigned i = 0; i < claw_npresets; i++)
		buf_printf(&names, "%s%s", i ? ", " : "", claw_presets[i].name);
	claw_fail("no preset \"%s\" (there are: %s)", name, names.p ? names.p : "none");
	buf_free(&names);
	return -1;
}

void check_preset(struct ctx *c, const char *name)
{
	struct config p;
	struct gaps g = { 0 };

	if (parse_preset(name, &p) < 0)
		return;
	preset_gaps(c->cfg, c->root, p.root, false, &g);
	for (size_t i = 0; i < g.n; i++) {
		struct buf id = { 0 }, title = { 0 }, d = { 0 }, rem = { 0 };
		buf_printf(&id, "preset.%s.%s", name, g.v[i].path);
		buf_printf(&title, "Config is weaker than preset \"%s\": %s", name, g.v[i].path);
		if (g.v[i].have)
			buf_printf(&d, "%s is %s", g.v[i].path, g.v[i].have);
		else
			buf_printf(&d, "%s is not set (OpenClaw's default is %s)", g.v[i].path,
			           rule_def(g.v[i].rule));
		buf_printf(&d, "; preset \"%s\" has %s (%s).", name, g.v[i].want, g.v[i].rule->why);
		buf_printf(&rem, "Set %s=%s (claw-audit check --fix --preset %s does it).",
		           g.v[i].path, g.v[i].want, name);
		report_add(c, id.p, SEV_WARN, title.p, d.p, rem.p);
		buf_free(&id);
		buf_free(&title);
		buf_free(&d);
		buf_free(&rem);
	}
	gaps_free(&g);
	config_free(&p);
}

/* A config that leaves a key out gets OpenClaw's default: say where that is weaker than secure. */
void check_defaults(struct ctx *c)
{
	struct config p;
	struct gaps g = { 0 };
	struct buf d = { 0 };

	if (!c->cfg->exists || parse_preset(CLAW_DEFAULT_PRESET, &p) < 0)
		return;
	preset_gaps(c->cfg, c->root, p.root, true, &g);
	if (g.n > 0) {
		buf_puts(&d,
		         "The config leaves these keys out, so OpenClaw's defaults apply, which "
		         "are weaker than the secure preset's:");
		for (size_t i = 0; i < g.n; i++)
			buf_printf(&d, "\n- %s: default %s, secure %s", g.v[i].path,
			           rule_def(g.v[i].rule), g.v[i].want);
		report_add(c, "config.defaults_weaker_than_secure", SEV_INFO,
		           "Keys left out fall back to weaker defaults", d.p,
		           "Set them, or run claw-audit check --fix --preset secure.");
	}
	gaps_free(&g);
	config_free(&p);
	buf_free(&d);
}
