/*
 * toolpolicy.c: OpenClaw's layered tool policy, as 2026.9.6 runs it.
 *
 * The layers (tp_layer in toolpolicy.h) each only remove tools. Within one
 * layer OpenClaw's matcher decides: a deny entry that matches removes the
 * tool; otherwise an allow list with entries must match it (apply_patch also
 * passes where write does); no allow list, or an empty one, allows all.
 * Names are trimmed and lower-cased, aliases applied (bash -> exec), groups
 * expanded, and "*" in an entry matches any run of characters.
 *
 * Everything here is compiled once. The config's lists become items with a
 * bitset over the catalog; a request context (agent, provider, group,
 * sender, sandbox, subagent role, owner) becomes one rule per layer and a
 * verdict per catalog tool, built on first use and cached in a table of fixed
 * size, so a stream of any length runs in constant memory.
 */
#include "toolpolicy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "session.h"

const char *const tp_layer_ids[TP_NLAYERS] = {
	"profile", "provider-profile", "global",  "global-provider", "agent",    "agent-provider",
	"group",   "sender",           "sandbox", "owner-only",      "subagent",
};

/* How a layer is named in a denial: "Tool "x" blocked by <this>: ...". */
static const char *const layer_phrase[TP_NLAYERS] = {
	"tool profile",           "provider tool profile", "tool policy",
	"provider tool policy",   "agent tool policy",     "agent provider tool policy",
	"group tool policy",      "sender tool policy",    "sandbox tool policy",
	"owner-only tool policy", "subagent tool policy",
};

#define CACHE_SLOTS 1024 /* compiled contexts kept; a full table is emptied */
#define CACHE_MAX   768

/* ---- names ---- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The catalog by name: a small open-addressed table, built once. */
#define NAME_SLOTS 256
static struct {
	const char *name;
	int idx;
} name_table[NAME_SLOTS];
static bool name_table_ready;

static unsigned name_hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void build_name_table(void)
{
	for (unsigned i = 0; i < catalog_ntools; i++) {
		unsigned h = name_hash(catalog_tools[i].name) % NAME_SLOTS;
		while (name_table[h].name != NULL)
			h = (h + 1) % NAME_SLOTS;
		name_table[h].name = catalog_tools[i].name;
		name_table[h].idx = (int)i;
	}
	name_table_ready = true;
}

static int find_tool(const char *name)
{
	if (!name_table_ready)
		build_name_table();
	for (unsigned h = name_hash(name) % NAME_SLOTS; name_table[h].name != NULL;
	     h = (h + 1) % NAME_SLOTS)
		if (strcmp(name_table[h].name, name) == 0)
			return name_table[h].idx;
	return -1;
}

/* OpenClaw's normalizeToolPolicyName into OUT: trimmed, lower-cased, aliased.
 * Returns the catalog index of the name, or -1. */
static int normalize_into(const char *s, struct buf *out)
{
	const char *e;

	buf_reset(out);
	buf_reserve(out, 0);
	while (is_space(*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_space(e[-1]))
		e--;
	buf_put(out, s, (size_t)(e - s));
	str_lower(out->p);
	int idx = find_tool(out->p);
	if (idx >= 0)
		return idx; /* a core tool's name is nobody's alias */
	const char *alias = catalog_alias_of(out->p);
	if (alias == out->p)
		return -1;
	buf_reset(out);
	buf_puts(out, alias);
	return find_tool(out->p);
}

/* '*' matches any run of characters; everything else is literal. */
static bool glob_match(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*pat == '*') {
			star = pat++;
			resume = s;
		} else if (*pat == *s) {
			pat++;
			s++;
		} else if (star) {
			pat = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

int tp_normalize(const char *name, char *out, size_t size)
{
	struct buf b = { 0 };
	int idx = normalize_into(name, &b);

	snprintf(out, size, "%s", b.p);
	buf_free(&b);
	return idx;
}

/* ---- the compiled config ---- */

/* A policy list of the config: "tools.allow" and the like. */
struct plist {
	bool defined; /* present as an array */
	int raw_n;    /* its length as written, blank entries included */
	const cJSON *node;
	char *key;
	struct tp_list list;
};

/* An object of {profile?, allow, alsoAllow, deny}. */
struct policycfg {
	int id; /* unique: contexts are keyed by the policies they use */
	char *path;
	const struct catalog_profile *profile;
	char *profile_key;
	struct plist allow, also, deny;
};

struct provider {
	char *key; /* normalised */
	bool canonical;
	struct policycfg *pc;
};

enum sender_type { S_CHANNEL, S_ID, S_E164, S_USERNAME, S_NAME, NSENDER_TYPES };

struct bysender {
	struct {
		enum sender_type type;
		char *key;
		struct policycfg *pc;
	} * e;
	unsigned n;
	struct policycfg *wildcard;
	bool present;
};

/* The tools of the whole config, or of one agent. */
struct scope {
	bool present;
	struct policycfg *tools;
	struct provider *prov;
	unsigned nprov;
	struct bysender bysender;
	struct policycfg *sandbox;   /* tools.sandbox.tools */
	struct policycfg *subagents; /* tools.subagents.tools (global only) */
};

struct agent {
	char id[SESSION_ID_MAX];
	char *path; /* "agents.list[2]" */
	struct scope scope;
};

struct groupcfg {
	char *id;
	struct policycfg *tools;
	struct bysender bysender;
};

struct groups {
	bool present;
	struct groupcfg *g;
	unsigned n;
	int star; /* index of "*", or -1 */
};

struct account {
	char id[SESSION_ID_MAX];
	struct groups groups;
};

struct channel {
	char *name;
	struct groups groups;
	struct account *acc;
	unsigned nacc;
};

/* The key of a context: what the layers depend on, besides the tool. */
struct ctxkey {
	int agent;                       /* index into agents, or -1 */
	int gprov, aprov, group, sender; /* policycfg ids, or -1 */
	unsigned char mode, sandboxed, role, owner;
	unsigned depth;
};

struct text {
	unsigned off, len, doff, dlen;
	bool made;
};

struct tp_context {
	struct ctxkey key;
	struct tp_config *tc;
	const struct agent *agent;
	const char *mode;
	unsigned depth;
	struct tp_rule rules[TP_NLAYERS];
	struct tp_verdict v[TOOLSET_WORDS * 64];
	struct text text[TOOLSET_WORDS * 64];
	struct buf texts;
};

struct tp_config {
	const struct config *cfg;
	void **owned;           /* everything allocated at load, freed at once */
	struct tp_list **lists; /* the config's lists, whose arrays grow */
	size_t nlists;
	size_t nowned, capowned;
	int next_id;
	struct scope global;
	struct scope
	    defaults; /* agents.defaults.tools: the agent's tools when agents.list is absent */
	bool has_agent_list;
	struct agent *agents;
	unsigned nagents;
	int last_agent;
	struct channel *channels;
	unsigned nchannels;
	bool any_groups;
	int max_spawn_depth;
	/* OpenClaw's built-in lists, as items. */
	struct tp_list profile_items[8];
	struct tp_list sandbox_allow, sandbox_deny, owner_deny, sub_always, sub_leaf;
	const struct tp_item *all_item, *sandbox_implied_item;
	struct {
		const char *from;
		const struct tp_item *item;
	} sb_expand[8]; /* sandbox deny lists: "image" also denies view_image */
	unsigned nsb_expand;
	/* Unknown names already warned about. */
	char **warned;
	unsigned nwarned;
	struct tp_context *cache[CACHE_SLOTS];
	unsigned ncached;
	unsigned long compiled;
	struct buf scratch, scratch2, unknown;
};

static void *own(struct tp_config *tc, void *p)
{
	if (tc->nowned == tc->capowned) {
		tc->capowned = tc->capowned ? 2 * tc->capowned : 64;
		tc->owned = xrealloc(tc->owned, tc->capowned * sizeof(*tc->owned));
	}
	tc->owned[tc->nowned++] = p;
	return p;
}

static char *own_str(struct tp_config *tc, char *s)
{
	return own(tc, s);
}

static void *own_zalloc(struct tp_config *tc, size_t n)
{
	return own(tc, xcalloc(1, n));
}

static void list_grow(struct tp_list *l)
{
	if (l->n < l->cap)
		return;
	l->cap = l->cap ? 2 * l->cap : 8;
	l->items = xrealloc(l->items, l->cap * sizeof(const struct tp_item *));
}

/* Lists of the config: their arrays are freed with it. */
static void list_push(struct tp_config *tc, struct tp_list *l, const struct tp_item *it)
{
	if (l->cap == 0) {
		tc->lists = xrealloc(tc->lists, (tc->nlists + 1) * sizeof(struct tp_list *));
		tc->lists[tc->nlists++] = l;
	}
	list_grow(l);
	l->items[l->n++] = it;
}

/* ---- items ---- */

static void add_pattern(struct tp_config *tc, struct tp_item *it, const char *pat)
{
	for (unsigned i = 0; i < it->npats; i++)
		if (strcmp(it->pats[i], pat) == 0)
			return;
	it->pats[it->npats++] = own_str(tc, xstrdup(pat));
	if (strcmp(pat, "*") == 0)
		it->all = true;
	for (unsigned i = 0; i < catalog_ntools; i++)
		if (glob_match(pat, catalog_tools[i].name))
			toolset_add(&it->tools, i);
}

/* A name after OpenClaw's renames (update_plan -> progress_card, canvas ->
 * canvas + show_widget), which apply inside every policy list. */
static void add_renamed(struct tp_config *tc, struct tp_item *it, const char *name)
{
	for (unsigned i = 0; i < catalog_nlist_renames; i++) {
		if (strcmp(catalog_list_renames[i].from, name) == 0) {
			for (const char *const *to = catalog_list_renames[i].to; *to; to++)
				add_pattern(tc, it, *to);
			return;
		}
	}
	add_pattern(tc, it, name);
}

/* The patterns of one normalised entry: a group's members, or itself. */
static void expand_entry(struct tp_config *tc, struct tp_item *it, const char *norm)
{
	int g = catalog_find_group(norm);

	if (g >= 0) {
		struct toolset members;
		catalog_group_members((unsigned)g, &members);
		for (unsigned i = 0; i < catalog_ntools; i++)
			if (toolset_has(&members, i))
				add_renamed(tc, it, catalog_tools[i].name);
		return;
	}
	add_renamed(tc, it, norm);
}

static struct tp_item *new_item(struct tp_config *tc, const char *text, const char *key,
                                bool builtin)
{
	struct tp_item *it = own_zalloc(tc, sizeof(*it));

	it->text = own_str(tc, xstrdup(text));
	/* Room for the largest expansion: a group, each member renamed. */
	it->pats = own(tc, xcalloc(2 * (size_t)catalog_ntools + 2, sizeof(*it->pats)));
	it->key = key;
	it->builtin = builtin;
	normalize_into(text, &tc->scratch);
	if (tc->scratch.len > 0) {
		char *norm = xstrdup(tc->scratch.p);
		expand_entry(tc, it, norm);
		free(norm);
	}
	return it;
}

static bool item_matches(const struct tp_item *it, const char *name, int idx)
{
	if (idx >= 0)
		return toolset_has(&it->tools, (unsigned)idx);
	for (unsigned i = 0; i < it->npats; i++)
		if (glob_match(it->pats[i], name))
			return true;
	return false;
}

static bool list_has_pattern(const struct tp_list *l, const char *pat)
{
	for (unsigned i = 0; i < l->n; i++)
		for (unsigned j = 0; j < l->items[i]->npats; j++)
			if (strcmp(l->items[i]->pats[j], pat) == 0)
				return true;
	return false;
}

static bool list_matches(const struct tp_list *l, const char *name, int idx)
{
	for (unsigned i = 0; i < l->n; i++)
		if (item_matches(l->items[i], name, idx))
			return true;
	return false;
}

/* ---- built-in lists ---- */

static void builtin_list(struct tp_config *tc, struct tp_list *l, unsigned flag, const char *key)
{
	for (unsigned i = 0; i < catalog_ntools; i++)
		if (catalog_tools[i].flags & flag)
			list_push(tc, l, new_item(tc, catalog_tools[i].name, key, true));
}

static void load_builtins(struct tp_config *tc)
{
	static const char sb_allow[] = "tools.sandbox.tools.allow (default)";
	static const char sb_deny[] = "tools.sandbox.tools.deny (default)";

	for (unsigned p = 0; p < catalog_nprofiles && p < NELEM(tc->profile_items); p++) {
		const struct catalog_profile *prof = &catalog_profiles[p];
		struct tp_list *l = &tc->profile_items[p];
		if (prof->bit == 0) {
			list_push(tc, l, new_item(tc, "*", NULL, true));
			continue;
		}
		for (unsigned i = 0; i < catalog_ntools; i++)
			if (catalog_tools[i].profiles & prof->bit)
				list_push(tc, l, new_item(tc, catalog_tools[i].name, NULL, true));
		for (const char *const *x = prof->extra; *x; x++)
			list_push(tc, l, new_item(tc, *x, NULL, true));
	}
	builtin_list(tc, &tc->sandbox_allow, TOOL_SANDBOX_ALLOW, sb_allow);
	builtin_list(tc, &tc->sandbox_deny, TOOL_SANDBOX_DENY, sb_deny);
	for (unsigned i = 0; i < catalog_nchannel_ids; i++)
		list_push(tc, &tc->sandbox_deny,
		          new_item(tc, catalog_channel_ids[i], sb_deny, true));
	builtin_list(tc, &tc->owner_deny, TOOL_OWNER_ONLY, "owner-only tools");
	builtin_list(tc, &tc->sub_always, TOOL_SUBAGENT_ALWAYS, "the subagent deny list");
	builtin_list(tc, &tc->sub_leaf, TOOL_SUBAGENT_LEAF, "the leaf subagent deny list");
	tc->all_item = new_item(tc, "*", NULL, true);
	tc->sandbox_implied_item =
	    new_item(tc, catalog_sandbox_implied, "the sandbox (added to every allow list)", true);
	for (unsigned i = 0; i < catalog_nsandbox_deny_expand; i++) {
		const struct catalog_alias *x = &catalog_sandbox_deny_expand[i];
		for (const char *const *to = x->to; *to && tc->nsb_expand < NELEM(tc->sb_expand);
		     to++) {
			if (strcmp(*to, x->from) == 0)
				continue;
			char *key =
			    own_str(tc, xasprintf("the sandbox (\"%s\" is denied)", x->from));
			tc->sb_expand[tc->nsb_expand].from = x->from;
			tc->sb_expand[tc->nsb_expand++].item = new_item(tc, *to, key, true);
		}
	}
}

/* ---- loading ---- */

static bool known_name(const char *norm)
{
	if (find_tool(norm) >= 0 || catalog_find_group(norm) >= 0 || catalog_is_channel_id(norm))
		return true;
	for (unsigned i = 0; i < catalog_nknown_names; i++)
		if (strcmp(catalog_known_names[i], norm) == 0)
			return true;
	for (unsigned i = 0; i < catalog_nlist_renames; i++)
		if (strcmp(catalog_list_renames[i].from, norm) == 0)
			return true;
	for (unsigned i = 0; i < catalog_nsandbox_deny_expand; i++)
		if (strcmp(catalog_sandbox_deny_expand[i].from, norm) == 0)
			return true;
	return false;
}

/* A name no core tool has is allowed (a plugin may have it) but likely a
 * typo: say so once per name. */
static void warn_unknown(struct tp_config *tc, const cJSON *node, const char *norm, const char *key)
{
	if (strchr(norm, '*') != NULL || known_name(norm))
		return;
	for (unsigned i = 0; i < tc->nwarned; i++)
		if (strcmp(tc->warned[i], norm) == 0)
			return;
	tc->warned = xrealloc(tc->warned, (tc->nwarned + 1) * sizeof(*tc->warned));
	tc->warned[tc->nwarned++] = own_str(tc, xstrdup(norm));
	cfg_warn(tc->cfg, node,
	         "unknown tool \"%s\" in %s: no core tool of %s has this name; it can match only a "
	         "plugin tool",
	         norm, key, catalog_version);
}

static int load_entry(struct tp_config *tc, const cJSON *entry, struct plist *pl)
{
	if (!cJSON_IsString(entry))
		return cfg_error(tc->cfg, entry, "%s must be an array of strings", pl->key);
	normalize_into(entry->valuestring, &tc->scratch);
	if (tc->scratch.len == 0)
		return 0; /* blank entries mean nothing (OpenClaw drops them) */
	if (str_has_prefix(tc->scratch.p, "group:") && catalog_find_group(tc->scratch.p) < 0 &&
	    !known_name(tc->scratch.p))
		return cfg_error(tc->cfg, entry, "unknown tool group \"%s\" in %s", tc->scratch.p,
		                 pl->key);
	warn_unknown(tc, entry, tc->scratch.p, pl->key);
	char *trimmed = str_trim_dup(entry->valuestring);
	list_push(tc, &pl->list, new_item(tc, trimmed, pl->key, false));
	free(trimmed);
	return 0;
}

static int load_list(struct tp_config *tc, const cJSON *obj, const char *name, const char *path,
                     struct plist *pl)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(obj, name);
	const cJSON *entry;

	pl->key = own_str(tc, xasprintf("%s.%s", path, name));
	if (node == NULL || cJSON_IsNull(node))
		return 0;
	if (!cJSON_IsArray(node))
		return cfg_error(tc->cfg, node, "%s must be an array of strings", pl->key);
	pl->defined = true;
	pl->node = node;
	pl->raw_n = cJSON_GetArraySize(node);
	cJSON_ArrayForEach(entry, node)
	{
		if (load_entry(tc, entry, pl) < 0)
			return -1;
	}
	return 0;
}

enum {
	K_PROFILE = 1, /* may name a profile */
	K_STRICT = 2,  /* nothing but the policy's keys */
	K_UNION = 4,   /* allow and alsoAllow together are a union (channel groups: their
	                  schemas are the channel plugins', which accept both) */
};

static int check_keys(struct tp_config *tc, const cJSON *node, const char *path, unsigned flags)
{
	const cJSON *c;

	if (!(flags & K_STRICT))
		return 0;
	cJSON_ArrayForEach(c, node)
	{
		if (strcmp(c->string, "allow") == 0 || strcmp(c->string, "alsoAllow") == 0 ||
		    strcmp(c->string, "deny") == 0 ||
		    ((flags & K_PROFILE) && strcmp(c->string, "profile") == 0))
			continue;
		return cfg_error(tc->cfg, c,
		                 "unknown key \"%s\" in %s (expected %sallow, alsoAllow, deny)",
		                 c->string, path, (flags & K_PROFILE) ? "profile, " : "");
	}
	return 0;
}

static int load_profile(struct tp_config *tc, const cJSON *node, struct policycfg *pc)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(node, "profile");
	const char *name = NULL;

	pc->profile_key = own_str(tc, xasprintf("%s.profile", pc->path));
	if (cfg_str(tc->cfg, p, pc->profile_key, &name) < 0)
		return -1;
	if (name == NULL)
		return 0;
	pc->profile = catalog_find_profile(name);
	if (pc->profile == NULL)
		return cfg_error(
		    tc->cfg, p,
		    "unknown tool profile \"%s\" in %s (expected one of: minimal, coding, "
		    "messaging, full)",
		    name, pc->profile_key);
	return 0;
}

/* An object with allow / alsoAllow / deny (and profile where FLAGS say). */
static struct policycfg *load_policy(struct tp_config *tc, const cJSON *node, const char *path,
                                     unsigned flags, int *rc)
{
	struct policycfg *pc;

	*rc = 0;
	if (node == NULL || cJSON_IsNull(node))
		return NULL;
	if (!cJSON_IsObject(node)) {
		*rc = cfg_error(tc->cfg, node, "%s must be an object", path);
		return NULL;
	}
	pc = own_zalloc(tc, sizeof(*pc));
	pc->id = tc->next_id++;
	pc->path = own_str(tc, xstrdup(path));
	if (check_keys(tc, node, path, flags) < 0 ||
	    ((flags & K_PROFILE) && load_profile(tc, node, pc) < 0) ||
	    load_list(tc, node, "allow", path, &pc->allow) < 0 ||
	    load_list(tc, node, "alsoAllow", path, &pc->also) < 0 ||
	    load_list(tc, node, "deny", path, &pc->deny) < 0) {
		*rc = -1;
		return NULL;
	}
	/* OpenClaw's schema refuses both in one scope: what was meant is a guess. */
	if (!(flags & K_UNION) && pc->allow.raw_n > 0 && pc->also.raw_n > 0) {
		*rc = cfg_error(
		    tc->cfg, pc->also.node,
		    "%s cannot set both allow and alsoAllow (merge alsoAllow into allow, or "
		    "remove allow and use profile + alsoAllow)",
		    path);
		return NULL;
	}
	return pc;
}

/* OpenClaw's normalizeToolProviderPolicyKey: lower-cased, trimmed, provider part too. */
static char *provider_key(const char *raw)
{
	char *k = str_trim_dup(raw);
	str_lower(k);
	char *slash = strchr(k, '/');
	if (slash != NULL && slash != k) {
		char *head = xstrndup(k, (size_t)(slash - k));
		char *prov = str_trim_dup(head);
		char *model = xstrdup(slash + 1);
		free(head);
		char *out = model[0] ? xasprintf("%s/%s", prov, model) : xstrdup(prov);
		free(prov);
		free(model);
		free(k);
		return out;
	}
	return k;
}

static int load_providers(struct tp_config *tc, const cJSON *tools, const char *path,
                          struct scope *sc)
{
	const cJSON *bp = cJSON_GetObjectItemCaseSensitive(tools, "byProvider");
	const cJSON *entry;
	int rc;

	if (bp == NULL || cJSON_IsNull(bp))
		return 0;
	if (!cJSON_IsObject(bp))
		return cfg_error(tc->cfg, bp, "%s.byProvider must be an object", path);
	sc->prov = own(tc, xcalloc((size_t)cJSON_GetArraySize(bp) + 1, sizeof(*sc->prov)));
	cJSON_ArrayForEach(entry, bp)
	{
		char *where = xasprintf("%s.byProvider.%s", path, entry->string);
		struct policycfg *pc = load_policy(tc, entry, where, K_PROFILE | K_STRICT, &rc);
		free(where);
		if (rc < 0)
			return -1;
		char *key = provider_key(entry->string);
		bool canonical = strcmp(key, entry->string) == 0;
		if (pc == NULL || key[0] == '\0') {
			free(key);
			continue;
		}
		/* Two spellings of one key: the canonical one wins, else the first. */
		unsigned i = 0;
		while (i < sc->nprov && strcmp(sc->prov[i].key, key) != 0)
			i++;
		if (i < sc->nprov && (sc->prov[i].canonical || !canonical)) {
			free(key);
			continue;
		}
		if (i == sc->nprov)
			sc->nprov++;
		sc->prov[i].key = own_str(tc, key);
		sc->prov[i].canonical = canonical;
		sc->prov[i].pc = pc;
	}
	return 0;
}

/* ---- toolsBySender ---- */

static const char *const sender_prefixes[NSENDER_TYPES] = { "channel:", "id:", "e164:", "username:",
	                                                    "name:" };

/* Trimmed, lower-cased, a leading "@" dropped when STRIP_AT. */
static char *sender_norm(const char *s, bool strip_at)
{
	char *t = str_trim_dup(s);

	if (strip_at && t[0] == '@')
		memmove(t, t + 1, strlen(t));
	return str_lower(t);
}

static char *sender_key(const char *raw, enum sender_type *type)
{
	char *t = str_trim_dup(raw), *low = str_lower(xstrdup(t)), *out = NULL;

	*type = S_ID;
	for (int i = 0; i < NSENDER_TYPES; i++) {
		size_t n = strlen(sender_prefixes[i]);
		if (strncmp(low, sender_prefixes[i], n) != 0)
			continue;
		*type = (enum sender_type)i;
		if (i == S_CHANNEL) {
			/* "channel:<channel>:<sender id>" */
			const char *rest = t + n, *colon = strchr(rest, ':');
			if (colon != NULL && colon != rest && colon[1] != '\0') {
				char *head = xstrndup(rest, (size_t)(colon - rest));
				char *ch = sender_norm(head, false);
				char *id = sender_norm(colon + 1, false);
				free(head);
				if (ch[0] && id[0])
					out = xasprintf("%s:%s", ch, id);
				free(ch);
				free(id);
			}
		} else {
			out = sender_norm(t + n, i == S_USERNAME);
		}
		goto done;
	}
	/* Untyped keys are OpenClaw's legacy form: an id, "@" dropped. */
	*type = NSENDER_TYPES;
	out = sender_norm(t, true);
done:
	free(t);
	free(low);
	if (out != NULL && out[0] == '\0') {
		free(out);
		out = NULL;
	}
	return out;
}

static int load_bysender(struct tp_config *tc, const cJSON *node, const char *path, unsigned flags,
                         struct bysender *bs)
{
	const cJSON *entry;
	int rc;

	if (node == NULL || cJSON_IsNull(node))
		return 0;
	if (!cJSON_IsObject(node))
		return cfg_error(tc->cfg, node, "%s must be an object", path);
	bs->present = true;
	bs->e = own(tc, xcalloc((size_t)cJSON_GetArraySize(node) + 1, sizeof(*bs->e)));
	cJSON_ArrayForEach(entry, node)
	{
		char *where = xasprintf("%s.%s", path, entry->string);
		struct policycfg *pc = load_policy(tc, entry, where, K_STRICT | flags, &rc);
		free(where);
		if (rc < 0)
			return -1;
		char *trimmed = str_trim_dup(entry->string);
		bool wildcard = strcmp(trimmed, "*") == 0;
		free(trimmed);
		if (pc == NULL)
			continue;
		if (wildcard) {
			bs->wildcard = pc;
			continue;
		}
		enum sender_type type;
		char *key = sender_key(entry->string, &type);
		if (key == NULL)
			continue;
		if (type == NSENDER_TYPES) {
			cfg_warn(
			    tc->cfg, entry,
			    "toolsBySender key \"%s\" has no type prefix: it is matched as an id "
			    "only (write id:, channel:, e164:, username: or name:)",
			    entry->string);
			type = S_ID;
		}
		bs->e[bs->n].type = type;
		bs->e[bs->n].key = own_str(tc, key);
		bs->e[bs->n].pc = pc;
		bs->n++;
	}
	return 0;
}

static struct policycfg *match_bysender(const struct bysender *bs, const char *sender,
                                        const char *channel)
{
	char *cands[2];
	struct policycfg *found = NULL;

	if (!bs->present)
		return NULL;
	if (sender == NULL || strspn(sender, " \t") == strlen(sender))
		return bs->wildcard;
	cands[0] = sender_norm(sender, false);
	cands[1] = sender_norm(sender, true);
	for (int pass = 0; pass < 2 && found == NULL; pass++) {
		enum sender_type want = pass == 0 ? S_CHANNEL : S_ID;
		if (want == S_CHANNEL && (channel == NULL || channel[0] == '\0'))
			continue;
		for (int c = 0; c < 2 && found == NULL; c++) {
			char *k = want == S_CHANNEL ? xasprintf("%s:%s", channel, cands[c])
			                            : xstrdup(cands[c]);
			for (unsigned i = 0; i < bs->n && found == NULL; i++)
				if (bs->e[i].type == want && strcmp(bs->e[i].key, k) == 0)
					found = bs->e[i].pc;
			free(k);
		}
	}
	free(cands[0]);
	free(cands[1]);
	return found ? found : bs->wildcard;
}

/* ---- scopes ---- */

static int load_sub_policy(struct tp_config *tc, const cJSON *tools, const char *path,
                           const char *name, struct policycfg **out)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(tools, name);
	const cJSON *c;
	int rc;
	char *where = xasprintf("%s.%s", path, name);

	if (node != NULL && !cJSON_IsNull(node) && !cJSON_IsObject(node)) {
		rc = cfg_error(tc->cfg, node, "%s must be an object", where);
		free(where);
		return rc;
	}
	cJSON_ArrayForEach(c, node)
	{
		if (strcmp(c->string, "tools") != 0) {
			rc = cfg_error(tc->cfg, c, "unknown key \"%s\" in %s (expected tools)",
			               c->string, where);
			free(where);
			return rc;
		}
	}
	char *tools_path = xasprintf("%s.tools", where);
	*out = load_policy(tc, cJSON_GetObjectItemCaseSensitive(node, "tools"), tools_path,
	                   K_STRICT, &rc);
	free(tools_path);
	free(where);
	return rc;
}

static int load_scope(struct tp_config *tc, const cJSON *tools, const char *path, bool global,
                      struct scope *sc)
{
	int rc;
	char *where;

	if (tools == NULL || cJSON_IsNull(tools))
		return 0;
	if (!cJSON_IsObject(tools))
		return cfg_error(tc->cfg, tools, "%s must be an object", path);
	sc->present = true;
	sc->tools = load_policy(tc, tools, path, K_PROFILE, &rc);
	if (rc < 0 || load_providers(tc, tools, path, sc) < 0)
		return -1;
	where = xasprintf("%s.toolsBySender", path);
	rc = load_bysender(tc, cJSON_GetObjectItemCaseSensitive(tools, "toolsBySender"), where, 0,
	                   &sc->bysender);
	free(where);
	if (rc < 0 || load_sub_policy(tc, tools, path, "sandbox", &sc->sandbox) < 0)
		return -1;
	if (global && load_sub_policy(tc, tools, path, "subagents", &sc->subagents) < 0)
		return -1;
	return 0;
}

/* The roster is agents.entries (keyed by id) or agents.list (entries with
 * "id"); the session settings have checked its shape. */
static int load_agents(struct tp_config *tc)
{
	const cJSON *roster = cfg_roster(tc->cfg), *entry;
	bool keyed = cJSON_IsObject(roster);
	int i = 0;

	if (load_scope(tc, cfg_get(tc->cfg->root, "agents.defaults.tools"), "agents.defaults.tools",
	               false, &tc->defaults) < 0)
		return -1;
	if (roster == NULL)
		return 0;
	tc->has_agent_list = true;
	tc->agents = own(tc, xcalloc((size_t)cJSON_GetArraySize(roster) + 1, sizeof(*tc->agents)));
	cJSON_ArrayForEach(entry, roster)
	{
		const cJSON *idn = cJSON_GetObjectItemCaseSensitive(entry, "id");
		const char *id = cJSON_IsString(idn) ? idn->valuestring
		                 : keyed             ? entry->string
		                                     : NULL;
		struct agent *a = &tc->agents[tc->nagents];
		int index = i++;
		if (id == NULL || !cJSON_IsObject(entry))
			continue;
		norm_agent_id(id, a->id);
		a->path = own_str(tc, keyed ? xasprintf("agents.entries.%s", entry->string)
		                            : xasprintf("agents.list[%d]", index));
		char *where = xasprintf("%s.tools", a->path);
		int rc = load_scope(tc, cJSON_GetObjectItemCaseSensitive(entry, "tools"), where,
		                    false, &a->scope);
		free(where);
		if (rc < 0)
			return -1;
		tc->nagents++;
	}
	return 0;
}

static int load_groups(struct tp_config *tc, const cJSON *node, const char *path, struct groups *gs)
{
	const cJSON *g;
	int rc;

	gs->star = -1;
	if (node == NULL || cJSON_IsNull(node))
		return 0;
	if (!cJSON_IsObject(node))
		return cfg_error(tc->cfg, node, "%s must be an object", path);
	gs->present = true;
	gs->g = own(tc, xcalloc((size_t)cJSON_GetArraySize(node) + 1, sizeof(*gs->g)));
	cJSON_ArrayForEach(g, node)
	{
		struct groupcfg *gc = &gs->g[gs->n];
		char *where = xasprintf("%s.%s", path, g->string);
		if (!cJSON_IsObject(g)) {
			rc = cfg_error(tc->cfg, g, "%s must be an object", where);
			free(where);
			return rc;
		}
		char *tools_path = xasprintf("%s.tools", where);
		char *by_path = xasprintf("%s.toolsBySender", where);
		gc->tools = load_policy(tc, cJSON_GetObjectItemCaseSensitive(g, "tools"),
		                        tools_path, K_STRICT | K_UNION, &rc);
		if (rc == 0)
			rc = load_bysender(tc, cJSON_GetObjectItemCaseSensitive(g, "toolsBySender"),
			                   by_path, K_UNION, &gc->bysender);
		free(tools_path);
		free(by_path);
		free(where);
		if (rc < 0)
			return -1;
		gc->id = own_str(tc, xstrdup(g->string));
		if (strcmp(g->string, "*") == 0)
			gs->star = (int)gs->n;
		if (gc->tools != NULL || gc->bysender.present)
			tc->any_groups = true;
		gs->n++;
	}
	return 0;
}

static int load_accounts(struct tp_config *tc, const cJSON *node, const char *path,
                         struct channel *ch)
{
	const cJSON *a;

	if (node == NULL || cJSON_IsNull(node))
		return 0;
	if (!cJSON_IsObject(node))
		return cfg_error(tc->cfg, node, "%s must be an object", path);
	ch->acc = own(tc, xcalloc((size_t)cJSON_GetArraySize(node) + 1, sizeof(*ch->acc)));
	cJSON_ArrayForEach(a, node)
	{
		struct account *acc = &ch->acc[ch->nacc++];
		norm_account_id(a->string, acc->id);
		if (!cJSON_IsObject(a))
			continue; /* not ours: the channel's own settings */
		char *where = xasprintf("%s.%s.groups", path, a->string);
		int rc = load_groups(tc, cJSON_GetObjectItemCaseSensitive(a, "groups"), where,
		                     &acc->groups);
		free(where);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int load_channels(struct tp_config *tc)
{
	const cJSON *chans = cJSON_GetObjectItemCaseSensitive(tc->cfg->root, "channels");
	const cJSON *c;

	if (!cJSON_IsObject(chans))
		return 0; /* channels themselves are other commands' business */
	tc->channels =
	    own(tc, xcalloc((size_t)cJSON_GetArraySize(chans) + 1, sizeof(*tc->channels)));
	cJSON_ArrayForEach(c, chans)
	{
		struct channel *ch = &tc->channels[tc->nchannels];
		if (!cJSON_IsObject(c))
			continue;
		ch->name = own_str(tc, str_lower(str_trim_dup(c->string)));
		char *gpath = xasprintf("channels.%s.groups", c->string);
		char *apath = xasprintf("channels.%s.accounts", c->string);
		int rc = load_groups(tc, cJSON_GetObjectItemCaseSensitive(c, "groups"), gpath,
		                     &ch->groups);
		if (rc == 0)
			rc = load_accounts(tc, cJSON_GetObjectItemCaseSensitive(c, "accounts"),
			                   apath, ch);
		free(gpath);
		free(apath);
		if (rc < 0)
			return -1;
		tc->nchannels++;
	}
	return 0;
}

static int load_spawn_depth(struct tp_config *tc)
{
	const cJSON *n = cfg_get(tc->cfg->root, "agents.defaults.subagents.maxSpawnDepth");
	double d = catalog_max_spawn_depth;

	if (cfg_num(tc->cfg, n, "agents.defaults.subagents.maxSpawnDepth", &d) < 0)
		return -1;
	/* OpenClaw floors it and keeps it at least 1. */
	if (!isfinite(d))
		d = catalog_max_spawn_depth;
	d = floor(d);
	tc->max_spawn_depth = d < 1 ? 1 : d > 1000000 ? 1000000 : (int)d;
	return 0;
}

struct tp_config *tp_load(const struct config *cfg)
{
	struct tp_config *tc = xcalloc(1, sizeof(*tc));

	tc->cfg = cfg;
	tc->last_agent = -1;
	load_builtins(tc);
	if (load_scope(tc, cJSON_GetObjectItemCaseSensitive(cfg->root, "tools"), "tools", true,
	               &tc->global) < 0 ||
	    load_agents(tc) < 0 || load_channels(tc) < 0 || load_spawn_depth(tc) < 0) {
		tp_free(tc);
		return NULL;
	}
	return tc;
}

static void context_free(struct tp_context *cx)
{
	for (int l = 0; l < TP_NLAYERS; l++) {
		free(cx->rules[l].allow.items);
		free(cx->rules[l].deny.items);
	}
	buf_free(&cx->texts);
	free(cx);
}

static void cache_clear(struct tp_config *tc)
{
	for (unsigned i = 0; i < CACHE_SLOTS; i++) {
		if (tc->cache[i] != NULL)
			context_free(tc->cache[i]);
		tc->cache[i] = NULL;
	}
	tc->ncached = 0;
}

void tp_free(struct tp_config *tc)
{
	if (tc == NULL)
		return;
	cache_clear(tc);
	for (size_t i = 0; i < tc->nlists; i++)
		free(tc->lists[i]->items);
	free(tc->lists);
	free(tc->warned);
	for (size_t i = 0; i < tc->nowned; i++)
		free(tc->owned[i]);
	free(tc->owned);
	buf_free(&tc->scratch);
	buf_free(&tc->scratch2);
	buf_free(&tc->unknown);
	free(tc);
}

unsigned long tp_compiled_contexts(const struct tp_config *tc)
{
	return tc->compiled;
}

/* ---- rules of a context ---- */

static void rule_push(struct tp_list *l, const struct tp_item *it)
{
	list_grow(l);
	l->items[l->n++] = it;
}

static void rule_append(struct tp_list *l, const struct tp_list *from)
{
	for (unsigned i = 0; i < from->n; i++)
		rule_push(l, from->items[i]);
}

/*
 * OpenClaw's pickSandboxToolPolicy, the general layer: allow plus alsoAllow
 * (alsoAllow alone, or with an empty allow, means "*" and alsoAllow), deny.
 */
static void pick_policy(const struct tp_config *tc, const struct policycfg *pc, struct tp_rule *r)
{
	if (pc == NULL)
		return;
	if (pc->allow.defined || pc->also.raw_n > 0) {
		r->has_allow = true;
		r->allow_key = pc->allow.defined ? pc->allow.key : pc->also.key;
		if ((!pc->allow.defined || pc->allow.raw_n == 0) && pc->also.raw_n > 0)
			rule_push(&r->allow, tc->all_item);
		rule_append(&r->allow, &pc->allow.list);
		rule_append(&r->allow, &pc->also.list);
	}
	if (pc->deny.defined) {
		r->deny_key = pc->deny.key;
		rule_append(&r->deny, &pc->deny.list);
	}
	r->active = r->has_allow || pc->deny.defined;
}

/* A profile layer: the profile's allow list, merged with alsoAllow. */
static void profile_rule(const struct tp_config *tc, const struct policycfg *pc,
                         const struct plist *also, struct tp_rule *r)
{
	r->active = r->has_allow = true;
	r->allow_key = pc->profile_key;
	r->profile = pc->profile->name;
	rule_append(&r->allow, &tc->profile_items[pc->profile - catalog_profiles]);
	if (also != NULL && also->defined)
		rule_append(&r->allow, &also->list);
}

static const struct scope *agent_scope(const struct tp_context *cx)
{
	if (cx->agent != NULL)
		return &cx->agent->scope;
	/* Without agents.list, agents.defaults.tools is every agent's tools. */
	return cx->tc->has_agent_list ? NULL : &cx->tc->defaults;
}

static struct policycfg *scope_tools(const struct scope *sc)
{
	return sc != NULL ? sc->tools : NULL;
}

static const struct provider *find_provider(const struct scope *sc, int id)
{
	if (sc == NULL || id < 0)
		return NULL;
	for (unsigned i = 0; i < sc->nprov; i++)
		if (sc->prov[i].pc->id == id)
			return &sc->prov[i];
	return NULL;
}

/* The first policy of A and G (agent over global) that has a profile. */
static const struct policycfg *with_profile(const struct policycfg *a, const struct policycfg *g)
{
	return a && a->profile ? a : g && g->profile ? g : NULL;
}

/* alsoAllow of A when it has one, else of G. */
static const struct plist *also_of(const struct policycfg *a, const struct policycfg *g)
{
	return a && a->also.defined ? &a->also : g ? &g->also : NULL;
}

static void build_profiles(struct tp_context *cx)
{
	const struct tp_config *tc = cx->tc;
	const struct policycfg *g = tc->global.tools, *a = scope_tools(agent_scope(cx));
	const struct provider *gp = find_provider(&tc->global, cx->key.gprov);
	const struct provider *ap = find_provider(agent_scope(cx), cx->key.aprov);
	const struct policycfg *gpc = gp ? gp->pc : NULL, *apc = ap ? ap->pc : NULL;
	const struct policycfg *p;

	if ((p = with_profile(a, g)) != NULL)
		profile_rule(tc, p, also_of(a, g), &cx->rules[TP_PROFILE]);
	if ((p = with_profile(apc, gpc)) != NULL)
		profile_rule(tc, p, also_of(apc, gpc), &cx->rules[TP_PROVIDER_PROFILE]);
}

/* The policies of a config node id, looked up among the group and sender ones. */
static const struct policycfg *policy_by_id(const struct tp_config *tc, int id);

static void build_sandbox(struct tp_context *cx)
{
	const struct tp_config *tc = cx->tc;
	const struct scope *as = agent_scope(cx);
	const struct policycfg *a = as ? as->sandbox : NULL, *g = tc->global.sandbox;
	struct tp_rule *r = &cx->rules[TP_SANDBOX];
	/* Each list comes from the agent when it has it, else from the global config. */
	const struct plist *allow = a && a->allow.defined   ? &a->allow
	                            : g && g->allow.defined ? &g->allow
	                                                    : NULL;
	const struct plist *also = a && a->also.defined   ? &a->also
	                           : g && g->also.defined ? &g->also
	                                                  : NULL;
	const struct plist *deny = a && a->deny.defined   ? &a->deny
	                           : g && g->deny.defined ? &g->deny
	                                                  : NULL;

	r->active = true;
	if (allow != NULL) {
		r->allow_key = allow->key;
		if (allow->raw_n > 0) {
			rule_append(&r->allow, &allow->list);
			if (also != NULL)
				rule_append(&r->allow, &also->list);
		}
	} else {
		r->allow_key =
		    also != NULL && also->raw_n > 0 ? also->key : tc->sandbox_allow.items[0]->key;
		rule_append(&r->allow, &tc->sandbox_allow);
		if (also != NULL)
			rule_append(&r->allow, &also->list);
	}
	if (deny != NULL) {
		r->deny_key = deny->key;
		rule_append(&r->deny, &deny->list);
	} else {
		/* The default deny list, less what an explicit allow names. */
		r->deny_key = tc->sandbox_deny.items[0]->key;
		for (unsigned i = 0; i < tc->sandbox_deny.n; i++) {
			const struct tp_item *it = tc->sandbox_deny.items[i];
			const char *name = it->pats[0]; /* the entry itself, before renames */
			int idx = find_tool(name);
			if ((allow && list_matches(&allow->list, name, idx)) ||
			    (also && list_matches(&also->list, name, idx)))
				continue;
			rule_push(&r->deny, it);
		}
	}
	/* A deny list that matches an old name also denies what it became. */
	for (unsigned i = 0; i < tc->nsb_expand; i++) {
		const char *from = tc->sb_expand[i].from, *to = tc->sb_expand[i].item->text;
		if (list_matches(&r->deny, from, find_tool(from)) &&
		    !list_matches(&r->deny, to, find_tool(to)))
			rule_push(&r->deny, tc->sb_expand[i].item);
	}
	if (r->allow.n > 0 && !list_has_pattern(&r->deny, catalog_sandbox_implied) &&
	    !list_has_pattern(&r->allow, catalog_sandbox_implied))
		rule_push(&r->allow, tc->sandbox_implied_item);
	r->has_allow = r->allow.n > 0;
}

static void build_subagent(struct tp_context *cx)
{
	const struct tp_config *tc = cx->tc;
	const struct policycfg *s = tc->global.subagents;
	struct tp_rule *r = &cx->rules[TP_SUBAGENT];

	r->active = true;
	r->deny_key = s && s->deny.defined ? s->deny.key : "tools.subagents.tools.deny";
	rule_append(&r->deny, &tc->sub_always);
	if (cx->key.role == TP_ROLE_LEAF)
		rule_append(&r->deny, &tc->sub_leaf);
	if (s == NULL)
		return;
	rule_append(&r->deny, &s->deny.list);
	/* Here alsoAllow counts only beside allow (mergeConfiguredSubagentAllow). */
	if (s->allow.defined) {
		r->has_allow = true;
		r->allow_key = s->allow.key;
		rule_append(&r->allow, &s->allow.list);
		if (s->also.defined)
			rule_append(&r->allow, &s->also.list);
	}
}

static void build_rules(struct tp_context *cx)
{
	const struct tp_config *tc = cx->tc;
	const struct scope *as = agent_scope(cx);

	build_profiles(cx);
	pick_policy(tc, tc->global.tools, &cx->rules[TP_GLOBAL]);
	if (cx->key.gprov >= 0)
		pick_policy(tc, find_provider(&tc->global, cx->key.gprov)->pc,
		            &cx->rules[TP_GLOBAL_PROVIDER]);
	pick_policy(tc, scope_tools(as), &cx->rules[TP_AGENT]);
	if (cx->key.aprov >= 0)
		pick_policy(tc, find_provider(as, cx->key.aprov)->pc,
		            &cx->rules[TP_AGENT_PROVIDER]);
	pick_policy(tc, policy_by_id(tc, cx->key.group), &cx->rules[TP_GROUP]);
	pick_policy(tc, policy_by_id(tc, cx->key.sender), &cx->rules[TP_SENDER]);
	if (cx->key.sandboxed)
		build_sandbox(cx);
	if (!cx->key.owner) {
		struct tp_rule *r = &cx->rules[TP_OWNER];
		r->active = true;
		r->deny_key = "owner-only tools";
		rule_append(&r->deny, &tc->owner_deny);
	}
	if (cx->key.role != TP_ROLE_MAIN)
		build_subagent(cx);
}

/* ---- judging ---- */

static bool allow_restricts(const struct tp_rule *r)
{
	for (unsigned i = 0; i < r->allow.n; i++)
		if (r->allow.items[i]->npats > 0)
			return true;
	return false;
}

bool tp_layer_allows(const struct tp_rule *r, const char *name, int idx, struct tp_verdict *v)
{
	v->item = NULL;
	v->via = NULL;
	for (unsigned i = 0; i < r->deny.n; i++) {
		if (item_matches(r->deny.items[i], name, idx)) {
			v->item = r->deny.items[i];
			return false;
		}
	}
	if (!r->has_allow || !allow_restricts(r))
		return true;
	for (unsigned i = 0; i < r->allow.n; i++) {
		if (item_matches(r->allow.items[i], name, idx)) {
			v->item = r->allow.items[i];
			return true;
		}
	}
	/* OpenClaw: an allow list that allows write allows apply_patch too. */
	const char *with = idx >= 0 ? catalog_allowed_with(name) : NULL;
	if (with != NULL) {
		int via = find_tool(with);
		for (unsigned i = 0; i < r->allow.n; i++) {
			if (item_matches(r->allow.items[i], with, via)) {
				v->item = r->allow.items[i];
				v->via = with;
				return true;
			}
		}
	}
	return false;
}

static void judge(const struct tp_context *cx, const char *name, int idx, struct tp_verdict *v)
{
	struct tp_verdict step, grant = { .allowed = true };

	for (int l = 0; l < TP_NLAYERS; l++) {
		const struct tp_rule *r = &cx->rules[l];
		if (!r->active)
			continue;
		if (!tp_layer_allows(r, name, idx, &step)) {
			*v = step;
			v->allowed = false;
			v->layer = (enum tp_layer)l;
			v->decided_by_layer = true;
			return;
		}
		/* The narrowest grant: a named entry, not "*". */
		if (step.item != NULL && !step.item->all) {
			grant = step;
			grant.layer = (enum tp_layer)l;
			grant.decided_by_layer = true;
		}
	}
	*v = grant;
	v->allowed = true;
}

void tp_decide(const struct tp_context *cx, const char *tool, struct tp_verdict *v)
{
	struct buf *b = &cx->tc->scratch2;

	int idx = normalize_into(tool, b);
	if (idx >= 0)
		*v = cx->v[idx];
	else
		judge(cx, b->p, -1, v);
}

const struct tp_rule *tp_rule_of(const struct tp_context *cx, enum tp_layer layer)
{
	return &cx->rules[layer];
}

enum tp_role tp_context_role(const struct tp_context *cx, unsigned *depth, unsigned *max_depth)
{
	*depth = cx->depth;
	*max_depth = (unsigned)cx->tc->max_spawn_depth;
	return (enum tp_role)cx->key.role;
}

const char *tp_context_agent_key(const struct tp_context *cx)
{
	const struct scope *as = agent_scope(cx);

	if (cx->agent != NULL)
		return cx->agent->path;
	return as != NULL && as->present ? "agents.defaults" : NULL;
}

/* ---- request to context ---- */

static const struct policycfg *find_policy_in(const struct bysender *bs, int id)
{
	if (bs->wildcard && bs->wildcard->id == id)
		return bs->wildcard;
	for (unsigned i = 0; i < bs->n; i++)
		if (bs->e[i].pc->id == id)
			return bs->e[i].pc;
	return NULL;
}

static const struct policycfg *find_in_groups(const struct groups *gs, int id)
{
	for (unsigned i = 0; i < gs->n; i++) {
		if (gs->g[i].tools && gs->g[i].tools->id == id)
			return gs->g[i].tools;
		const struct policycfg *p = find_policy_in(&gs->g[i].bysender, id);
		if (p)
			return p;
	}
	return NULL;
}

static const struct policycfg *policy_by_id(const struct tp_config *tc, int id)
{
	const struct policycfg *p;

	if (id < 0)
		return NULL;
	if ((p = find_policy_in(&tc->global.bysender, id)) != NULL)
		return p;
	for (unsigned i = 0; i < tc->nagents; i++)
		if ((p = find_policy_in(&tc->agents[i].scope.bysender, id)) != NULL)
			return p;
	if ((p = find_policy_in(&tc->defaults.bysender, id)) != NULL)
		return p;
	for (unsigned c = 0; c < tc->nchannels; c++) {
		const struct channel *ch = &tc->channels[c];
		if ((p = find_in_groups(&ch->groups, id)) != NULL)
			return p;
		for (unsigned a = 0; a < ch->nacc; a++)
			if ((p = find_in_groups(&ch->acc[a].groups, id)) != NULL)
				return p;
	}
	return NULL;
}

static int find_agent(struct tp_config *tc, const char *id)
{
	if (id == NULL)
		return -1;
	if (tc->last_agent >= 0 && strcmp(tc->agents[tc->last_agent].id, id) == 0)
		return tc->last_agent;
	for (unsigned i = 0; i < tc->nagents; i++) {
		if (strcmp(tc->agents[i].id, id) == 0) {
			tc->last_agent = (int)i;
			return (int)i;
		}
	}
	return -1;
}

/* S trimmed and lower-cased, appended to B. */
static void put_token(struct buf *b, const char *s)
{
	const char *e;

	while (is_space(*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_space(e[-1]))
		e--;
	size_t n = (size_t)(e - s);
	buf_reserve(b, n);
	for (char *o = b->p + b->len; s < e; s++)
		*o++ = (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s;
	b->len += n;
	b->p[b->len] = '\0';
}

static int provider_id(const struct scope *sc, const char *key)
{
	for (unsigned i = 0; sc != NULL && i < sc->nprov; i++)
		if (strcmp(sc->prov[i].key, key) == 0)
			return sc->prov[i].pc->id;
	return -1;
}

/*
 * OpenClaw's resolveProviderToolPolicy for the global and the agent's
 * byProvider: "provider/model" first, then "provider", each scope on its own.
 * Built in B, so no allocation per record.
 */
static void match_providers(const struct scope *g, const struct scope *a,
                            const struct tp_request *rq, struct buf *b, int *gid, int *aid)
{
	*gid = *aid = -1;
	if (rq->provider == NULL || ((g == NULL || g->nprov == 0) && (a == NULL || a->nprov == 0)))
		return;
	buf_reset(b);
	put_token(b, rq->provider);
	if (b->len == 0 || b->p == NULL)
		return;
	if (strchr(b->p, '/') != NULL) {
		/* A provider spelt "a / b": normalised as a key would be. */
		char *k = provider_key(b->p);
		buf_reset(b);
		buf_puts(b, k);
		free(k);
	}
	size_t plen = b->len;
	if (rq->model != NULL) {
		buf_putc(b, '/');
		put_token(b, rq->model);
		if (b->len > plen + 1) {
			*gid = provider_id(g, b->p);
			*aid = provider_id(a, b->p);
		}
		b->p[plen] = '\0';
	}
	if (*gid < 0)
		*gid = provider_id(g, b->p);
	if (*aid < 0)
		*aid = provider_id(a, b->p);
}

/*
 * The group context of a session key (resolveGroupContextFromSessionKey):
 * "agent:<a>:<channel>:group|channel:<id>[:thread:<t>]". Leaves in B the
 * channel, then the candidate group ids (for a topic, the topic and then its
 * chat), each NUL-terminated; returns how many ids, or 0.
 */
static unsigned group_context(const char *key, struct buf *b, const char *ids[2])
{
	char *k, *parts[64], *thread;
	unsigned n = 0, nids = 0;

	if (key == NULL)
		return 0;
	k = str_trim_dup(key);
	if ((thread = strstr(k, ":thread:")) != NULL)
		*thread = '\0';
	for (char *save = NULL, *t = strtok_r(k, ":", &save); t && n < NELEM(parts);
	     t = strtok_r(NULL, ":", &save))
		parts[n++] = t;
	unsigned at = n >= 2 && strcmp(parts[0], "agent") == 0 ? 2 : 0;
	if (at < n && strcmp(parts[at], "subagent") == 0)
		at++;
	if (n < at + 3 ||
	    (strcmp(parts[at + 1], "group") != 0 && strcmp(parts[at + 1], "channel") != 0)) {
		free(k);
		return 0;
	}
	buf_reset(b);
	buf_puts(b, str_lower(parts[at]));
	buf_putc(b, '\0');
	size_t id_off = b->len, chat_off = 0, chat_len = 0;
	for (unsigned i = at + 2; i < n; i++) {
		if (i > at + 2)
			buf_putc(b, ':');
		buf_puts(b, parts[i]);
	}
	buf_putc(b, '\0');
	const char *topic = strstr(b->p + id_off, ":topic:");
	if (topic != NULL) {
		chat_len = (size_t)(topic - (b->p + id_off));
		char *chat = xstrndup(b->p + id_off, chat_len);
		chat_off = b->len;
		buf_puts(b, chat);
		buf_putc(b, '\0');
		free(chat);
	}
	ids[nids++] = b->p + id_off;
	if (chat_len > 0)
		ids[nids++] = b->p + chat_off;
	free(k);
	return nids;
}

static const struct groupcfg *find_group(const struct groups *gs, const char *id)
{
	for (unsigned i = 0; i < gs->n; i++)
		if ((int)i != gs->star && strcmp(gs->g[i].id, id) == 0)
			return &gs->g[i];
	/* Session keys are lower-cased; the config may spell an id otherwise. */
	for (unsigned i = 0; i < gs->n; i++)
		if ((int)i != gs->star && strcasecmp(gs->g[i].id, id) == 0)
			return &gs->g[i];
	return NULL;
}

/* channels.<c>.accounts.<a>.groups when the account has some, else the channel's. */
static const struct groups *channel_groups(const struct channel *ch, const char *account)
{
	char acct[SESSION_ID_MAX];

	norm_account_id(account, acct);
	for (unsigned i = 0; i < ch->nacc; i++) {
		const struct groups *g = &ch->acc[i].groups;
		if (strcmp(ch->acc[i].id, acct) == 0 && g->present && (g->n > 0 || ch->nacc > 1))
			return g;
	}
	return &ch->groups;
}

static int match_group(struct tp_config *tc, const struct tp_request *rq)
{
	const char *ids[2];
	const struct policycfg *pc = NULL;
	unsigned nids;

	if (!tc->any_groups || (nids = group_context(rq->key, &tc->scratch, ids)) == 0)
		return -1;
	const char *channel = tc->scratch.p;
	for (unsigned c = 0; c < tc->nchannels; c++) {
		if (strcmp(tc->channels[c].name, channel) != 0)
			continue;
		const struct groups *gs = channel_groups(&tc->channels[c], rq->account);
		const struct groupcfg *g = NULL;
		for (unsigned i = 0; i < nids && g == NULL; i++)
			g = find_group(gs, ids[i]);
		/* The group's sender rule, its tools, then the same of "*". */
		if (g != NULL && (pc = match_bysender(&g->bysender, rq->sender, channel)) == NULL)
			pc = g->tools;
		if (pc == NULL && gs->star >= 0) {
			g = &gs->g[gs->star];
			if ((pc = match_bysender(&g->bysender, rq->sender, channel)) == NULL)
				pc = g->tools;
		}
		break;
	}
	return pc ? pc->id : -1;
}

static int match_sender(struct tp_config *tc, const struct scope *as, const struct tp_request *rq)
{
	const struct policycfg *pc = NULL;
	struct buf *channel = &tc->scratch;

	if ((as == NULL || !as->bysender.present) && !tc->global.bysender.present)
		return -1;
	buf_reset(channel);
	buf_reserve(channel, 0);
	if (rq->channel != NULL)
		put_token(channel, rq->channel);
	if (as != NULL)
		pc = match_bysender(&as->bysender, rq->sender, channel->p);
	if (pc == NULL)
		pc = match_bysender(&tc->global.bysender, rq->sender, channel->p);
	return pc ? pc->id : -1;
}

/* Subagent depth: how many "subagent:" segments the key's rest holds. */
static unsigned subagent_depth(const char *key)
{
	const char *rest = key;
	unsigned depth = 0;

	if (key == NULL)
		return 0;
	if (strncasecmp(rest, "agent:", 6) == 0) {
		const char *colon = strchr(rest + 6, ':');
		rest = colon ? colon + 1 : rest + strlen(rest);
	}
	if (strncasecmp(rest, "subagent:", 9) != 0)
		return 0; /* OpenClaw: only a key whose rest starts so is a subagent's */
	for (const char *p = rest; *p; p++)
		if ((p == rest || p[-1] == ':') && strncasecmp(p, "subagent:", 9) == 0)
			depth++;
	return depth;
}

static unsigned char mode_id(const char *mode)
{
	if (mode == NULL)
		return 0;
	return strcmp(mode, "off") == 0        ? 1
	       : strcmp(mode, "non-main") == 0 ? 2
	       : strcmp(mode, "all") == 0      ? 3
	                                       : 4;
}

static const char *const mode_names[] = { "unknown", "off", "non-main", "all", "unknown" };

static unsigned key_hash(const struct ctxkey *k)
{
	const unsigned char *p = (const unsigned char *)k;
	unsigned h = 2166136261u;

	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void compile_context(struct tp_context *cx)
{
	build_rules(cx);
	for (unsigned i = 0; i < catalog_ntools; i++)
		judge(cx, catalog_tools[i].name, (int)i, &cx->v[i]);
	cx->tc->compiled++;
}

struct tp_context *tp_context_of(struct tp_config *tc, const struct tp_request *rq)
{
	struct ctxkey k;
	int ai;

	memset(&k, 0, sizeof(k)); /* padding too: the key is hashed and compared as bytes */
	ai = find_agent(tc, rq->agent);
	k.agent = ai;
	const struct scope *as = ai >= 0              ? &tc->agents[ai].scope
	                         : tc->has_agent_list ? NULL
	                                              : &tc->defaults;
	match_providers(&tc->global, as, rq, &tc->scratch, &k.gprov, &k.aprov);
	k.group = match_group(tc, rq);
	k.sender = match_sender(tc, as, rq);
	k.mode = mode_id(rq->mode);
	k.sandboxed = rq->sandboxed;
	k.owner = rq->owner;
	k.depth = subagent_depth(rq->policy_key);
	k.role = k.depth == 0                              ? TP_ROLE_MAIN
	         : k.depth < (unsigned)tc->max_spawn_depth ? TP_ROLE_ORCHESTRATOR
	                                                   : TP_ROLE_LEAF;

	unsigned h = key_hash(&k) % CACHE_SLOTS;
	for (; tc->cache[h] != NULL; h = (h + 1) % CACHE_SLOTS)
		if (memcmp(&tc->cache[h]->key, &k, sizeof(k)) == 0)
			return tc->cache[h];
	if (tc->ncached >= CACHE_MAX) {
		/* Constant memory: start over rather than grow. */
		cache_clear(tc);
		h = key_hash(&k) % CACHE_SLOTS;
	}
	struct tp_context *cx = xcalloc(1, sizeof(*cx));
	cx->key = k;
	cx->tc = tc;
	cx->agent = ai >= 0 ? &tc->agents[ai] : NULL;
	cx->mode = mode_names[k.mode];
	cx->depth = k.depth;
	compile_context(cx);
	tc->cache[h] = cx;
	tc->ncached++;
	return cx;
}

/* ---- texts ---- */

static bool in_leaf_list(const struct tp_context *cx, const char *tool)
{
	return list_matches(&cx->tc->sub_leaf, tool, find_tool(tool));
}

/* Where the deciding entry sits: its own list, or the layer's (a profile's
 * built-in entries carry no key of their own). */
static void put_where(const struct tp_rule *r, const struct tp_verdict *v, struct buf *b)
{
	if (v->item != NULL && v->item->key != NULL) {
		buf_puts(b, v->item->key);
		return;
	}
	buf_puts(b, v->item == NULL || v->allowed ? r->allow_key : r->deny_key);
	if (r->profile != NULL)
		buf_printf(b, " \"%s\"", r->profile);
}

void tp_rule_text(const struct tp_context *cx, const struct tp_verdict *v, struct buf *b)
{
	const struct tp_rule *r = &cx->rules[v->layer];

	if (!v->decided_by_layer) {
		buf_puts(b, "no layer restricts this tool");
		return;
	}
	put_where(r, v, b);
	if (v->item == NULL) {
		buf_puts(b, " (no entry matches)");
		return;
	}
	buf_printf(b, ": \"%s\"", v->item->text);
	if (v->via != NULL)
		buf_printf(b, " (it allows %s, and so this)", v->via);
}

static void sandbox_reason(const struct tp_context *cx, const char *tool,
                           const struct tp_verdict *v, struct buf *b)
{
	const struct tp_rule *r = &cx->rules[TP_SANDBOX];

	/* OpenClaw's own words (formatSandboxToolPolicyBlockedMessage), then which list. */
	buf_printf(b, "Tool \"%s\" blocked by sandbox tool policy (mode=%s). Reason: %s list (",
	           tool, cx->mode, v->item != NULL ? "deny" : "allow");
	put_where(r, v, b);
	if (v->item != NULL)
		buf_printf(b, " has \"%s\").", v->item->text);
	else
		buf_puts(b, " does not include it).");
}

void tp_reason(const struct tp_context *cx, const char *tool, const struct tp_verdict *v,
               struct buf *b)
{
	const struct tp_rule *r = &cx->rules[v->layer];

	if (v->allowed) {
		buf_printf(b, "Tool \"%s\" allowed", tool);
		if (v->decided_by_layer) {
			buf_printf(b, " by %s (", layer_phrase[v->layer]);
			put_where(r, v, b);
			buf_printf(b, " has \"%s\")", v->item->text);
		}
		buf_putc(b, '.');
		return;
	}
	if (v->layer == TP_SANDBOX) {
		sandbox_reason(cx, tool, v, b);
		return;
	}
	buf_printf(b, "Tool \"%s\" blocked by %s: ", tool, layer_phrase[v->layer]);
	if (v->layer == TP_OWNER) {
		buf_puts(b, "only the owner may use it, and the sender is not the owner");
	} else if (v->layer == TP_SUBAGENT && v->item != NULL && v->item->builtin) {
		buf_printf(b, "denied to %s subagents (depth %u, maxSpawnDepth %d)",
		           cx->key.role == TP_ROLE_LEAF && in_leaf_list(cx, tool) ? "leaf" : "all",
		           cx->depth, cx->tc->max_spawn_depth);
	} else if (v->item != NULL) {
		put_where(r, v, b);
		buf_printf(b, " has \"%s\"", v->item->text);
	} else {
		buf_puts(b, "not in ");
		put_where(r, v, b);
	}
	if (cx->agent != NULL && (v->layer == TP_AGENT || v->layer == TP_AGENT_PROVIDER))
		buf_printf(b, " (agent \"%s\")", cx->agent->id);
	buf_putc(b, '.');
}

static void sandbox_fix(const struct tp_context *cx, const char *tool, const struct tp_verdict *v,
                        struct buf *b)
{
	const struct tp_rule *r = &cx->rules[TP_SANDBOX];

	if (v->item != NULL && !v->item->builtin)
		buf_printf(b, "remove \"%s\" from %s", v->item->text, v->item->key);
	else if (v->item != NULL)
		buf_printf(b,
		           "add \"%s\" to tools.sandbox.tools.alsoAllow (that lifts it from the "
		           "default deny list)",
		           tool);
	else if (str_has_suffix(r->allow_key, "(default)"))
		buf_printf(b, "add \"%s\" to tools.sandbox.tools.alsoAllow", tool);
	else
		buf_printf(b, "add \"%s\" to %s (or set it to [] to allow all)", tool,
		           r->allow_key);
	buf_printf(b, "; or keep this session out of the sandbox (%s.sandbox.mode)",
	           cx->agent ? cx->agent->path : "agents.defaults");
}

static void subagent_fix(const struct tp_context *cx, const char *tool, const struct tp_verdict *v,
                         struct buf *b)
{
	const struct tp_rule *r = &cx->rules[TP_SUBAGENT];

	if (v->item != NULL && !v->item->builtin)
		buf_printf(b, "remove \"%s\" from %s", v->item->text, v->item->key);
	else if (v->item == NULL)
		buf_printf(b, "add \"%s\" to %s", tool, r->allow_key);
	else if (cx->key.role == TP_ROLE_LEAF && in_leaf_list(cx, tool))
		buf_printf(b,
		           "raise agents.defaults.subagents.maxSpawnDepth above %u, so that this "
		           "subagent may orchestrate",
		           cx->depth);
	else
		buf_puts(b, "none in the config: OpenClaw never gives this tool to a subagent");
}

void tp_fix(const struct tp_context *cx, const char *tool, const struct tp_verdict *v,
            struct buf *b)
{
	const struct tp_rule *r = &cx->rules[v->layer];

	if (v->allowed)
		return;
	if (v->layer == TP_SANDBOX) {
		sandbox_fix(cx, tool, v, b);
	} else if (v->layer == TP_SUBAGENT) {
		subagent_fix(cx, tool, v, b);
	} else if (v->layer == TP_OWNER) {
		buf_puts(b,
		         "none in the config: only the owner's own messages (origin.owner) may use "
		         "owner-only tools");
	} else if (v->item != NULL) {
		buf_printf(b, "remove \"%s\" from ", v->item->text);
		put_where(r, v, b);
	} else if (r->profile != NULL) {
		size_t n = strlen(r->allow_key) - strlen(".profile");
		buf_printf(b, "add \"%s\" to %.*s.alsoAllow, or choose a wider profile in %s", tool,
		           (int)n, r->allow_key, r->allow_key);
	} else {
		buf_printf(b, "add \"%s\" to %s", tool, r->allow_key);
	}
}

static void put_member(const struct tp_context *cx, const char *tool, const struct tp_verdict *v,
                       struct buf *b, struct buf *tmp)
{
	buf_puts(b, v->allowed ? "{\"decision\":\"allow\",\"layer\":"
	                       : "{\"decision\":\"deny\",\"layer\":");
	buf_json_str(b, v->decided_by_layer ? tp_layer_ids[v->layer] : "none");
	buf_puts(b, ",\"rule\":");
	buf_reset(tmp);
	tp_rule_text(cx, v, tmp);
	buf_json_str(b, tmp->p);
	buf_puts(b, ",\"reason\":");
	buf_reset(tmp);
	tp_reason(cx, tool, v, tmp);
	buf_json_str(b, tmp->p);
	buf_putc(b, '}');
}

static void put_deny(const struct tp_context *cx, const char *tool, const struct tp_verdict *v,
                     struct buf *b, struct buf *tmp)
{
	buf_puts(b, "{\"by\":");
	buf_json_str(b, record_stage_name);
	buf_puts(b, ",\"reason\":");
	buf_reset(tmp);
	tp_reason(cx, tool, v, tmp);
	buf_json_str(b, tmp->p);
	buf_putc(b, '}');
}

/* Both texts of a verdict into OUT; offsets of the deny part in *DOFF. */
static void put_texts(const struct tp_context *cx, const char *tool, const struct tp_verdict *v,
                      struct buf *out, struct buf *tmp, size_t *doff)
{
	put_member(cx, tool, v, out, tmp);
	*doff = out->len;
	if (!v->allowed)
		put_deny(cx, tool, v, out, tmp);
}

void tp_member(struct tp_context *cx, const char *tool, const char **policy_json,
               size_t *policy_len, const char **deny_json, size_t *deny_len)
{
	struct tp_config *tc = cx->tc;
	struct buf *name = &tc->scratch2, *tmp = &tc->scratch, *out = &tc->unknown;
	struct tp_verdict v;
	size_t doff;

	int idx = normalize_into(tool, name);
	if (idx < 0) {
		/* Not a core tool: judged by the patterns each time, and not
		 * cached (the names are the caller's and unbounded). */
		judge(cx, name->p, -1, &v);
		buf_reset(out);
		put_texts(cx, name->p, &v, out, tmp, &doff);
		*policy_json = out->p;
		*policy_len = doff;
		*deny_json = v.allowed ? NULL : out->p + doff;
		*deny_len = out->len - doff;
		return;
	}
	struct text *t = &cx->text[idx];
	if (!t->made) {
		t->off = (unsigned)cx->texts.len;
		put_texts(cx, name->p, &cx->v[idx], &cx->texts, tmp, &doff);
		t->len = (unsigned)(doff - t->off);
		t->doff = (unsigned)doff;
		t->dlen = (unsigned)(cx->texts.len - doff);
		t->made = true;
	}
	*policy_json = cx->texts.p + t->off;
	*policy_len = t->len;
	*deny_json = cx->v[idx].allowed ? NULL : cx->texts.p + t->doff;
	*deny_len = t->dlen;
}
