/*
 * toolconfig.c: reading tools.* (and the agents' and channels' tool
 * policies) into compiled items, once, before any record is read.
 *
 * Every list entry becomes an item: its text as written, the config key it
 * came from, and its normalised patterns with a bitset over the catalog, so
 * that judging a core tool is a bit test. Everything allocated here is owned
 * by the tp_config and freed at once. A config error stops the load with
 * FILE:LINE:COL; a name no core tool has is a warning, once per name.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/toolpolicy-int.h"

#include "core/alloc.h"

static void *own(struct tp_config *tc, void *p)
{
	ALLOC_GROW(tc->owned, tc->nowned + 1, tc->capowned);
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

/* Lists of the config: their arrays are freed with it. */
static void list_push(struct tp_config *tc, struct tp_list *l, const struct tp_item *it)
{
	if (l->cap == 0) {
		// NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
		ALLOC_GROW(tc->lists, tc->nlists + 1, tc->caplists);
		tc->lists[tc->nlists++] = l;
	}
	// NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
	ALLOC_GROW(l->items, l->n + 1, l->cap);
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
		if (tp_glob(pat, catalog_tools[i].name))
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
	catalog_norm_name(text, &tc->scratch);
	if (tc->scratch.len > 0) {
		char *norm = xstrdup(tc->scratch.p);
		expand_entry(tc, it, norm);
		free(norm);
	}
	return it;
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
	if (catalog_find(norm) >= 0 || catalog_find_group(norm) >= 0 || catalog_is_channel_id(norm))
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
	if (strvec_has(&tc->warned, norm))
		return;
	strvec_push(&tc->warned, norm);
	cfg_warn(tc->cfg, node,
	         "unknown tool \"%s\" in %s: no core tool of %s has this name; it can match only a "
	         "plugin tool%s",
	         norm, key, catalog_version,
	         str_has_suffix(key, ".deny")
	             ? " (it may name a plugin: claw denies every tool that is no core tool)"
	             : "");
}

static int load_entry(struct tp_config *tc, const cJSON *entry, struct plist *pl)
{
	if (!cJSON_IsString(entry))
		return cfg_error(tc->cfg, entry, "%s must be an array of strings", pl->key);
	catalog_norm_name(entry->valuestring, &tc->scratch);
	if (tc->scratch.len == 0)
		return 0; /* blank entries mean nothing (OpenClaw drops them) */
	if (str_has_prefix(tc->scratch.p, "group:") && catalog_find_group(tc->scratch.p) < 0 &&
	    !known_name(tc->scratch.p))
		return cfg_error(tc->cfg, entry, "unknown tool group \"%s\" in %s", tc->scratch.p,
		                 pl->key);
	warn_unknown(tc, entry, tc->scratch.p, pl->key);
	bool maybe_plugin =
	    strchr(tc->scratch.p, '*') == NULL && !catalog_is_channel_id(tc->scratch.p);
	char *trimmed = str_trim_dup(entry->valuestring);
	struct tp_item *it = new_item(tc, trimmed, pl->key, false);
	free(trimmed);
	it->plugin_scope =
	    maybe_plugin && str_has_suffix(pl->key, ".deny") && toolset_empty(&it->tools);
	list_push(tc, &pl->list, it);
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
char *tp_provider_key(const char *raw)
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
		char *key = tp_provider_key(entry->string);
		/* OpenClaw's isCanonicalToolProviderPolicyKey: the key trimmed and
		 * lower-cased is already its normal form. */
		char *plain = str_lower(str_trim_dup(entry->string));
		bool canonical = strcmp(key, plain) == 0;
		free(plain);
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
char *tp_sender_norm(const char *s, bool strip_at)
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
				char *ch = tp_sender_norm(head, false);
				char *id = tp_sender_norm(colon + 1, false);
				free(head);
				if (ch[0] && id[0])
					out = xasprintf("%s:%s", ch, id);
				free(ch);
				free(id);
			}
		} else {
			out = tp_sender_norm(t + n, i == S_USERNAME);
		}
		goto done;
	}
	/* Untyped keys are OpenClaw's legacy form: an id, "@" dropped. */
	*type = NSENDER_TYPES;
	out = tp_sender_norm(t, true);
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

/* A key OpenClaw does not know under "tools" is most likely a typo (alow): said once. */
static void warn_unknown_keys(const struct config *cfg, const cJSON *tools)
{
	const cJSON *k;

	if (!cJSON_IsObject(tools))
		return;
	cJSON_ArrayForEach(k, tools)
	{
		bool known = false;
		for (const char *const *w = catalog_tools_keys; *w != NULL && !known; w++)
			known = strcmp(*w, k->string) == 0;
		if (!known)
			cfg_warn(cfg, k,
			         "unknown key tools.%s: claw ignores it, and %s refuses a config "
			         "that has it",
			         k->string, catalog_version);
	}
}

struct tp_config *tp_load(const struct config *cfg)
{
	struct tp_config *tc = xcalloc(1, sizeof(*tc));

	tc->cfg = cfg;
	tc->last_agent = -1;
	load_builtins(tc);
	warn_unknown_keys(cfg, cJSON_GetObjectItemCaseSensitive(cfg->root, "tools"));
	if (load_scope(tc, cJSON_GetObjectItemCaseSensitive(cfg->root, "tools"), "tools", true,
	               &tc->global) < 0 ||
	    load_agents(tc) < 0 || load_channels(tc) < 0 || load_spawn_depth(tc) < 0) {
		tp_free(tc);
		return NULL;
	}
	return tc;
}

struct tp_names *tp_names_load(const struct config *cfg, const char *path, const char *name)
{
	struct tp_names *n = xcalloc(1, sizeof(*n));

	n->tc = xcalloc(1, sizeof(*n->tc));
	n->tc->cfg = cfg;
	if (load_list(n->tc, cfg_get(cfg->root, path), name, path, &n->pl) < 0) {
		tp_names_free(n);
		return NULL;
	}
	return n;
}

bool tp_names_empty(const struct tp_names *n)
{
	return n == NULL || n->pl.list.n == 0;
}

void tp_names_free(struct tp_names *n)
{
	if (n == NULL)
		return;
	tp_free(n->tc);
	free(n);
}

void tp_free(struct tp_config *tc)
{
	if (tc == NULL)
		return;
	tp_cache_clear(tc);
	for (size_t i = 0; i < tc->nlists; i++)
		free(tc->lists[i]->items);
	free(tc->lists);
	strvec_clear(&tc->warned);
	for (size_t i = 0; i < tc->nowned; i++)
		free(tc->owned[i]);
	free(tc->owned);
	buf_free(&tc->scratch);
	buf_free(&tc->scratch2);
	buf_free(&tc->unknown);
	free(tc);
}
