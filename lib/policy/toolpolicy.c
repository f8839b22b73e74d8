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
 * toolconfig.c has compiled the config's lists into items with a bitset
 * over the catalog. Here a request context (agent, provider, group, sender,
 * sandbox, subagent role, owner) becomes one rule per layer and a verdict
 * per catalog tool, built on first use and cached in a table of fixed size,
 * so a stream of any length runs in constant memory.
 */
#include "policy/toolpolicy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/record.h"
#include "policy/toolpolicy-int.h"

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

/* '*' matches any run of characters; everything else is literal. */
bool tp_glob(const char *pat, const char *s)
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

/* ---- matching ---- */

/*
 * A deny entry that no core tool answers to may be a plugin's id or a plugin
 * group (group:plugins), which OpenClaw expands to that plugin's tools.
 * claw cannot tell which tools a plugin has, so such an entry denies every
 * tool that is no core tool: stricter than OpenClaw, never looser.
 */
static bool item_matches(const struct tp_item *it, const char *name, int idx)
{
	if (idx >= 0)
		return toolset_has(&it->tools, (unsigned)idx);
	if (it->plugin_scope)
		return true;
	for (unsigned i = 0; i < it->npats; i++)
		if (tp_glob(it->pats[i], name))
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

bool tp_names_has(const struct tp_names *n, const char *tool)
{
	struct buf name = { 0 };

	if (tp_names_empty(n))
		return false;
	int idx = catalog_norm_name(tool, &name);
	bool has = name.len > 0 && list_matches(&n->pl.list, name.p, idx);
	buf_free(&name);
	return has;
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
	cands[0] = tp_sender_norm(sender, false);
	cands[1] = tp_sender_norm(sender, true);
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

/* ---- the context cache ---- */

static void context_free(struct tp_context *cx)
{
	for (int l = 0; l < TP_NLAYERS; l++) {
		free(cx->rules[l].allow.items);
		free(cx->rules[l].deny.items);
	}
	buf_free(&cx->texts);
	free(cx);
}

void tp_cache_clear(struct tp_config *tc)
{
	for (unsigned i = 0; i < CACHE_SLOTS; i++) {
		if (tc->cache[i] != NULL)
			context_free(tc->cache[i]);
		tc->cache[i] = NULL;
	}
	tc->ncached = 0;
}

/* ---- rules of a context ---- */

static void rule_push(struct tp_list *l, const struct tp_item *it)
{
	// NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
	ALLOC_GROW(l->items, l->n + 1, l->cap);
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
			int idx = catalog_find(name);
			if ((allow && list_matches(&allow->list, name, idx)) ||
			    (also && list_matches(&also->list, name, idx)))
				continue;
			rule_push(&r->deny, it);
		}
	}
	/* A deny list that matches an old name also denies what it became. */
	for (unsigned i = 0; i < tc->nsb_expand; i++) {
		const char *from = tc->sb_expand[i].from, *to = tc->sb_expand[i].item->text;
		if (list_matches(&r->deny, from, catalog_find(from)) &&
		    !list_matches(&r->deny, to, catalog_find(to)))
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
		int via = catalog_find(with);
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

	int idx = catalog_norm_name(tool, b);
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

/* The roster entry of agent ID, compared as OpenClaw compares agent ids:
 * normalised ("WORK" is agents.list[id=work]). */
static int find_agent(struct tp_config *tc, const char *given)
{
	char id[SESSION_ID_MAX];

	if (given == NULL)
		return -1;
	if (tc->last_agent >= 0 && strcmp(tc->agents[tc->last_agent].id, given) == 0)
		return tc->last_agent;
	norm_agent_id(given, id);
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

	while (ascii_space(*s))
		s++;
	e = s + strlen(s);
	while (e > s && ascii_space(e[-1]))
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
		char *k = tp_provider_key(b->p);
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

static unsigned char mode_id(const char *mode)
{
	if (mode == NULL)
		return 0;
	return str_eq(mode, "off") ? 1 : str_eq(mode, "non-main") ? 2 : str_eq(mode, "all") ? 3 : 4;
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
	k.depth = rq->depth;
	k.role = k.depth == 0                              ? TP_ROLE_MAIN
	         : k.depth < (unsigned)tc->max_spawn_depth ? TP_ROLE_ORCHESTRATOR
	                                                   : TP_ROLE_LEAF;

	unsigned h = key_hash(&k) % CACHE_SLOTS;
	for (; tc->cache[h] != NULL; h = (h + 1) % CACHE_SLOTS)
		if (memcmp(&tc->cache[h]->key, &k, sizeof(k)) == 0)
			return tc->cache[h];
	if (tc->ncached >= CACHE_MAX) {
		/* Constant memory: start over rather than grow. */
		tp_cache_clear(tc);
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
	return list_matches(&cx->tc->sub_leaf, tool, catalog_find(tool));
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
		if (v->item->plugin_scope && strcmp(v->item->pats[0], tool) != 0)
			buf_puts(b,
			         ", which no core tool answers to: it may name a plugin, whose "
			         "tools claw cannot tell, so it denies every tool that is no core "
			         "tool");
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

	int idx = catalog_norm_name(tool, name);
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
