/*
 * session.c: which session a request belongs to, computed as OpenClaw
 * 2026.9.6 routes a message, and whether that session runs in a sandbox.
 *
 * The key decides isolation: two requests with the same key share a
 * conversation and (scope "session") a sandbox. So every rule here follows
 * OpenClaw's routing exactly, and where claw is unsure it errs towards a
 * separate, sandboxed session, never towards the owner's main one.
 */
#include "session/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/hash.h"
#include "core/ids.h"

struct agent_sandbox {
	char id[SESSION_ID_MAX];
	const char *mode, *scope;
};

/* Where a binding sits in OpenClaw's order; the first tier with a match wins. */
enum tier {
	TIER_PEER,        /* the conversation itself */
	TIER_PARENT,      /* a thread's parent conversation (same bindings as TIER_PEER) */
	TIER_PEER_ANY,    /* peer id "*" of a kind */
	TIER_GUILD_ROLES, /* a guild, for members with one of the roles */
	TIER_GUILD,
	TIER_TEAM,
	TIER_ACCOUNT, /* a channel account */
	TIER_CHANNEL, /* a whole channel (accountId "*") */
	NTIERS
};

static const char *const tier_names[] = {
	"binding.peer",  "binding.peer.parent", "binding.peer.wildcard", "binding.guild+roles",
	"binding.guild", "binding.team",        "binding.account",       "binding.channel",
};

struct binding {
	const cJSON *node;
	const char *agent; /* agentId as configured */
	char *channel;     /* lower-cased */
	enum { ACCOUNT_DEFAULT, ACCOUNT_ANY, ACCOUNT_ONE } account_rule;
	char account[SESSION_ID_MAX];
	enum tier tier;
	bool has_peer;
	enum chat_kind peer_kind;
	char *peer_id; /* trimmed, case kept: OpenClaw compares peer ids exactly */
	char *guild, *team;
	const cJSON *roles;
	const char *dm_scope, *group_scope; /* binding.session overrides, or NULL */
};

struct workspace_hash {
	char agent[SESSION_ID_MAX];
	char hex[33];
};

static const char *const dm_scopes[] = { "main", "per-peer", "per-channel-peer",
	                                 "per-account-channel-peer", NULL };
static const char *const group_scopes[] = { "per-group", "main", NULL };
static const char *const session_scopes[] = { "per-sender", "global", NULL };
static const char *const sandbox_modes[] = { "off", "non-main", "all", NULL };
static const char *const sandbox_scopes[] = { "session", "agent", "shared", NULL };
static const char *const peer_kinds[] = { "direct", "dm", "group", "channel", NULL };

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool blank(const char *s)
{
	const char *t;
	return s == NULL || id_trimmed(s, &t) == 0;
}

/* An agent a record names: OpenClaw's normalizeAgentIdStrict refuses what
 * normalises to nothing ("", "!!!") rather than fall back to "main". */
static int record_agent(const char *in, char out[SESSION_ID_MAX])
{
	const char *s;
	size_t n = id_trimmed(in, &s);
	char tmp[SESSION_ID_MAX];

	if (n == 0 || id_sanitize(s, n, false, tmp, 64) == 0)
		return claw_fail("agent \"%s\" is not an agent id (letters, digits, _ and -)", in);
	norm_agent_id(in, out);
	/* norm_id's guard turns JavaScript's own names into "main": not here. */
	if (strcmp(out, "main") == 0 && strcmp(tmp, "main") != 0)
		return claw_fail("agent \"%s\" is not an agent id", in);
	return 0;
}

/* ---- slugs ---- */

static bool is_workspace_key(const char *s, size_t n)
{
	static const char tag[] = ":workspace:";
	const size_t tl = sizeof(tag) - 1;

	if (n < tl + 32 || memcmp(s + n - 32 - tl, tag, tl) != 0)
		return false;
	for (size_t i = n - 32; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static void compute_slug(const char *key, char out[SESSION_SLUG_MAX])
{
	char hex[SHA256_HEX];
	const char *s;
	size_t n = id_trimmed(key, &s), o;

	if (n == 0) {
		s = "session";
		n = 7;
	}
	sha256_hex(s, n, hex);
	if (is_workspace_key(s, n)) {
		snprintf(out, SESSION_SLUG_MAX, "workspace-%.32s", hex);
		return;
	}
	if ((o = id_sanitize(s, n, true, out, 32)) == 0) {
		memcpy(out, "session", 7);
		o = 7;
	}
	out[o++] = '-';
	memcpy(out + o, hex, 8);
	out[o + 8] = '\0';
}

/* Streams repeat their sessions: remember recent slugs rather than hash again. */
#define SLUG_CACHE 4096
static struct {
	char *key;
	char slug[SESSION_SLUG_MAX];
} slug_cache[SLUG_CACHE];

static unsigned fnv1a(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

void session_slug(const char *key, char out[SESSION_SLUG_MAX])
{
	unsigned h = fnv1a(key) % SLUG_CACHE;

	if (slug_cache[h].key == NULL || strcmp(slug_cache[h].key, key) != 0) {
		free(slug_cache[h].key);
		slug_cache[h].key = xstrdup(key);
		compute_slug(key, slug_cache[h].slug);
	}
	memcpy(out, slug_cache[h].slug, SESSION_SLUG_MAX);
}

/* ---- settings ---- */

static int check_string_array(const struct config *cfg, const cJSON *arr, const char *what)
{
	const cJSON *item;

	if (!cJSON_IsArray(arr))
		return cfg_error(cfg, arr, "%s must be an array of strings", what);
	cJSON_ArrayForEach(item, arr)
	{
		if (!cJSON_IsString(item))
			return cfg_error(cfg, item, "%s must be an array of strings", what);
	}
	return 0;
}

static int load_identity_links(struct session_settings *s)
{
	const cJSON *links = cfg_get(s->cfg->root, "session.identityLinks");
	const cJSON *entry;

	if (links == NULL || cJSON_IsNull(links))
		return 0;
	if (!cJSON_IsObject(links))
		return cfg_error(s->cfg, links, "session.identityLinks must be an object");
	cJSON_ArrayForEach(entry, links)
	{
		if (check_string_array(s->cfg, entry, "session.identityLinks entries") < 0)
			return -1;
	}
	s->identity_links = links;
	return 0;
}

/* A match string (or whole number: OpenClaw stringifies ids), trimmed; NULL if absent. */
static int match_id(const struct config *cfg, const cJSON *match, const char *name, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(match, name);
	const char *t;
	char num[32];

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsNumber(v) && v->valuedouble == (double)(long long)v->valuedouble) {
		snprintf(num, sizeof(num), "%lld", (long long)v->valuedouble);
		*out = xstrdup(num);
		return 0;
	}
	if (!cJSON_IsString(v))
		return cfg_error(cfg, v, "bindings[].match.%s must be a string", name);
	size_t n = id_trimmed(v->valuestring, &t);
	if (n > 0)
		*out = xstrndup(t, n);
	return 0;
}

static int parse_peer(const struct config *cfg, const cJSON *peer, struct binding *b)
{
	const char *kind = NULL;

	if (peer == NULL || cJSON_IsNull(peer))
		return 0;
	if (!cJSON_IsObject(peer))
		return cfg_error(cfg, peer, "bindings[].match.peer must be an object");
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(peer, "kind");
	if (k == NULL)
		return cfg_error(cfg, peer, "bindings[].match.peer.kind is missing");
	if (cJSON_IsString(k)) { /* OpenClaw compares kinds lower-cased */
		char low[16];
		snprintf(low, sizeof(low), "%s", k->valuestring);
		str_lower(low);
		for (const char *const *c = peer_kinds; *c && kind == NULL; c++)
			if (strcmp(low, *c) == 0)
				kind = *c;
	}
	if (kind == NULL) /* not a string, or not a kind: let cfg_enum say which */
		return cfg_enum(cfg, k, "bindings[].match.peer.kind", peer_kinds, &kind);
	if (match_id(cfg, peer, "id", &b->peer_id) < 0)
		return -1;
	if (b->peer_id == NULL)
		return cfg_error(cfg, peer, "bindings[].match.peer.id is missing or empty");
	b->has_peer = true;
	b->peer_kind = strcmp(kind, "group") == 0     ? CHAT_GROUP
	               : strcmp(kind, "channel") == 0 ? CHAT_CHANNEL
	                                              : CHAT_DIRECT;
	return 0;
}

static int parse_binding_session(const struct config *cfg, const cJSON *b, struct binding *out)
{
	const cJSON *sess = cJSON_GetObjectItemCaseSensitive(b, "session");

	if (sess == NULL || cJSON_IsNull(sess))
		return 0;
	if (!cJSON_IsObject(sess))
		return cfg_error(cfg, sess, "bindings[].session must be an object");
	return cfg_enum(cfg, cJSON_GetObjectItemCaseSensitive(sess, "dmScope"),
	                "bindings[].session.dmScope", dm_scopes, &out->dm_scope) < 0 ||
	               cfg_enum(cfg, cJSON_GetObjectItemCaseSensitive(sess, "groupScope"),
	                        "bindings[].session.groupScope", group_scopes,
	                        &out->group_scope) < 0
	           ? -1
	           : 0;
}

static enum tier binding_tier(const struct binding *b)
{
	if (b->has_peer)
		return strcmp(b->peer_id, "*") == 0 ? TIER_PEER_ANY : TIER_PEER;
	if (b->guild != NULL)
		return cJSON_GetArraySize(b->roles) > 0 ? TIER_GUILD_ROLES : TIER_GUILD;
	if (b->team != NULL)
		return TIER_TEAM;
	return b->account_rule == ACCOUNT_ANY ? TIER_CHANNEL : TIER_ACCOUNT;
}

/* One binding; *keep is false for bindings OpenClaw does not route by. */
static int parse_binding(const struct config *cfg, const cJSON *node, struct binding *b, bool *keep)
{
	const char *type = NULL, *agent = NULL, *channel = NULL;
	char *account = NULL;
	const cJSON *match;

	memset(b, 0, sizeof(*b));
	b->node = node;
	*keep = false;
	if (!cJSON_IsObject(node))
		return cfg_error(cfg, node, "bindings entries must be objects");
	if (cfg_str(cfg, cJSON_GetObjectItemCaseSensitive(node, "type"), "bindings[].type", &type) <
	        0 ||
	    cfg_str(cfg, cJSON_GetObjectItemCaseSensitive(node, "agentId"), "bindings[].agentId",
	            &agent) < 0)
		return -1;
	match = cJSON_GetObjectItemCaseSensitive(node, "match");
	if (match != NULL && !cJSON_IsNull(match) && !cJSON_IsObject(match))
		return cfg_error(cfg, match, "bindings[].match must be an object");
	if (cfg_str(cfg, cJSON_GetObjectItemCaseSensitive(match, "channel"),
	            "bindings[].match.channel", &channel) < 0 ||
	    match_id(cfg, match, "accountId", &account) < 0 ||
	    match_id(cfg, match, "guildId", &b->guild) < 0 ||
	    match_id(cfg, match, "teamId", &b->team) < 0 ||
	    parse_peer(cfg, cJSON_GetObjectItemCaseSensitive(match, "peer"), b) < 0 ||
	    parse_binding_session(cfg, node, b) < 0) {
		free(account);
		return -1;
	}
	b->roles = cJSON_GetObjectItemCaseSensitive(match, "roles");
	if (b->roles != NULL && check_string_array(cfg, b->roles, "bindings[].match.roles") < 0) {
		free(account);
		return -1;
	}
	b->agent = agent;
	b->account_rule = account == NULL             ? ACCOUNT_DEFAULT
	                  : strcmp(account, "*") == 0 ? ACCOUNT_ANY
	                                              : ACCOUNT_ONE;
	norm_account_id(account, b->account);
	free(account);
	if (channel != NULL && !blank(channel)) {
		const char *t;
		size_t n = id_trimmed(channel, &t);
		b->channel = str_lower(xstrndup(t, n));
	}
	b->tier = binding_tier(b);
	/* ACP bindings and bindings without an agent or channel never route. */
	*keep = (type == NULL || strcmp(type, "acp") != 0) && agent != NULL && b->channel != NULL;
	return 0;
}

static void free_binding(struct binding *b)
{
	free(b->channel);
	free(b->peer_id);
	free(b->guild);
	free(b->team);
}

static int load_bindings(struct session_settings *s)
{
	const cJSON *bindings = cJSON_GetObjectItemCaseSensitive(s->cfg->root, "bindings");
	const cJSON *node;

	if (bindings == NULL || cJSON_IsNull(bindings))
		return 0;
	if (!cJSON_IsArray(bindings))
		return cfg_error(s->cfg, bindings, "bindings must be an array");
	s->bindings = xcalloc((size_t)cJSON_GetArraySize(bindings) + 1, sizeof(*s->bindings));
	cJSON_ArrayForEach(node, bindings)
	{
		bool keep;
		struct binding *b = &s->bindings[s->nbindings];
		if (parse_binding(s->cfg, node, b, &keep) < 0) {
			free_binding(b);
			return -1;
		}
		if (keep)
			s->nbindings++;
		else
			free_binding(b);
	}
	return 0;
}

/* The mode from one sandbox object (agents.defaults.sandbox or an agent's). */
static int read_mode(const struct config *cfg, const cJSON *sb, const char *where,
                     const char **mode)
{
	char what[96];

	if (sb == NULL || cJSON_IsNull(sb))
		return 0;
	if (!cJSON_IsObject(sb))
		return cfg_error(cfg, sb, "%s.sandbox must be an object", where);
	snprintf(what, sizeof(what), "%s.sandbox.mode", where);
	return cfg_enum(cfg, cJSON_GetObjectItemCaseSensitive(sb, "mode"), what, sandbox_modes,
	                mode);
}

int session_sandbox_scope(const struct config *cfg, const cJSON *agent_sb, const cJSON *defaults_sb,
                          const char **scope)
{
	const cJSON *v = cfg_get(agent_sb, "scope");
	bool per_session = false;

	*scope = NULL;
	if (cfg_enum(cfg, v ? v : cfg_get(defaults_sb, "scope"), "sandbox.scope", sandbox_scopes,
	             scope) < 0)
		return -1;
	if (*scope != NULL)
		return 0;
	if ((v = cfg_get(agent_sb, "perSession")) == NULL)
		v = cfg_get(defaults_sb, "perSession");
	if (cfg_bool(cfg, v, "sandbox.perSession", &per_session) < 0)
		return -1;
	*scope = v == NULL ? "agent" : per_session ? "session" : "shared";
	return 0;
}

static int load_roster_entry(struct session_settings *s, const cJSON *entry, const char *mode,
                             const cJSON *defaults_sb)
{
	const struct config *cfg = s->cfg;
	const char *id = NULL;
	struct agent_sandbox *a = &s->agents[s->nagents];

	if (!cJSON_IsObject(entry))
		return cfg_error(cfg, entry, "agents.list entries must be objects");
	if (cfg_str(cfg, cJSON_GetObjectItemCaseSensitive(entry, "id"), "agents.list[].id", &id) <
	    0)
		return -1;
	if (id == NULL)
		id = entry->string; /* agents.entries: the key is the id */
	if (id == NULL)
		return cfg_error(cfg, entry, "agents.list entry without an id");
	norm_agent_id(id, a->id);
	a->mode = mode;
	const cJSON *sb = cJSON_GetObjectItemCaseSensitive(entry, "sandbox");
	if (read_mode(cfg, sb, "agents.list[]", &a->mode) < 0 ||
	    session_sandbox_scope(cfg, sb, defaults_sb, &a->scope) < 0)
		return -1;
	s->nagents++;
	return 0;
}

static int load_agents(struct session_settings *s)
{
	const struct config *cfg = s->cfg;
	const cJSON *agents = cJSON_GetObjectItemCaseSensitive(cfg->root, "agents");
	const cJSON *defaults, *list, *entries, *roster, *entry;
	const char *mode = "off", *scope = NULL;

	if (agents != NULL && !cJSON_IsNull(agents) && !cJSON_IsObject(agents))
		return cfg_error(cfg, agents, "agents must be an object");
	defaults = cfg_get(cfg->root, "agents.defaults");
	if (defaults != NULL && !cJSON_IsNull(defaults) && !cJSON_IsObject(defaults))
		return cfg_error(cfg, defaults, "agents.defaults must be an object");
	const cJSON *defaults_sb = cfg_get(defaults, "sandbox");
	if (read_mode(cfg, defaults_sb, "agents.defaults", &mode) < 0 ||
	    session_sandbox_scope(cfg, NULL, defaults_sb, &scope) < 0)
		return -1;
	list = cfg_get(cfg->root, "agents.list");
	entries = cfg_get(cfg->root, "agents.entries");
	if (list != NULL && !cJSON_IsNull(list) && !cJSON_IsArray(list))
		return cfg_error(cfg, list, "agents.list must be an array");
	if (entries != NULL && !cJSON_IsNull(entries) && !cJSON_IsObject(entries))
		return cfg_error(cfg, entries, "agents.entries must be an object");
	roster = cfg_roster(cfg);
	s->roster = roster != NULL;
	s->agents = xcalloc((size_t)cJSON_GetArraySize(roster) + 1, sizeof(*s->agents));
	/* Slot 0: the defaults, for agents that no roster names. */
	s->agents[0] = (struct agent_sandbox){ "", mode, scope };
	s->nagents = 1;
	cJSON_ArrayForEach(entry, roster)
	{
		if (load_roster_entry(s, entry, mode, defaults_sb) < 0)
			return -1;
	}
	const char *def = cfg_default_agent(cfg);
	if (def != NULL)
		norm_agent_id(def, s->default_agent);
	else
		s->no_default = xstrdup(claw_error());
	return 0;
}

int session_settings_load(struct session_settings *s, const struct config *cfg)
{
	const cJSON *session = cJSON_GetObjectItemCaseSensitive(cfg->root, "session");
	const char *scope = "per-sender", *main_key = NULL;

	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->dm_scope = "main";
	s->group_scope = "per-group";
	if (session != NULL && !cJSON_IsNull(session) && !cJSON_IsObject(session))
		return cfg_error(cfg, session, "session must be an object");
	if (cfg_enum(cfg, cfg_get(session, "dmScope"), "session.dmScope", dm_scopes, &s->dm_scope) <
	        0 ||
	    cfg_enum(cfg, cfg_get(session, "groupScope"), "session.groupScope", group_scopes,
	             &s->group_scope) < 0 ||
	    cfg_enum(cfg, cfg_get(session, "scope"), "session.scope", session_scopes, &scope) < 0 ||
	    cfg_str(cfg, cfg_get(session, "mainKey"), "session.mainKey", &main_key) < 0)
		return -1;
	s->global = strcmp(scope, "global") == 0;
	s->main_key = str_trim_dup(main_key ? main_key : "");
	str_lower(s->main_key);
	if (s->main_key[0] == '\0') {
		free(s->main_key);
		s->main_key = xstrdup("main");
	}
	if (load_identity_links(s) < 0 || load_bindings(s) < 0 || load_agents(s) < 0)
		return -1;
	return 0;
}

void session_settings_free(struct session_settings *s)
{
	for (size_t i = 0; i < s->nbindings; i++)
		free_binding(&s->bindings[i]);
	free(s->bindings);
	free(s->main_key);
	free(s->agents);
	free(s->no_default);
	memset(s, 0, sizeof(*s));
}

static const struct agent_sandbox *find_agent(const struct session_settings *s, const char *id)
{
	for (unsigned i = 1; i < s->nagents; i++)
		if (strcmp(s->agents[i].id, id) == 0)
			return &s->agents[i];
	return NULL;
}

void session_agent_sandbox(const struct session_settings *s, const char *agent, const char **mode,
                           const char **scope)
{
	const struct agent_sandbox *a = find_agent(s, agent);

	if (a == NULL)
		a = &s->agents[0];
	*mode = a->mode;
	*scope = a->scope;
}

/* ---- routing ---- */

/* Trimmed, lower-cased copy into a buffer (OpenClaw's normalizeToken). */
static void token(struct buf *b, const char *s)
{
	const char *t;
	size_t n;

	buf_reset(b);
	buf_reserve(b, 1);
	if (s == NULL)
		return;
	n = id_trimmed(s, &t);
	buf_reserve(b, n);
	for (size_t i = 0; i < n; i++)
		buf_putc(b, lower(t[i]));
}

static bool same_trimmed(const char *a, const char *b)
{
	const char *ta;
	size_t n = id_trimmed(a, &ta);
	return strlen(b) == n && memcmp(ta, b, n) == 0;
}

/* Group and channel peers are interchangeable in a binding; direct is apart. */
static bool kinds_match(enum chat_kind a, enum chat_kind b)
{
	return a == b || (a != CHAT_DIRECT && b != CHAT_DIRECT);
}

static bool has_role(const struct binding *b, const struct session_request *rq)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, b->roles)
	{
		for (size_t i = 0; i < rq->nroles; i++)
			if (strcmp(r->valuestring, rq->roles[i]) == 0)
				return true;
	}
	return false;
}

/* A binding's own constraints beyond its tier: guild, team, roles. */
static bool constraints_hold(const struct binding *b, const struct session_request *rq)
{
	if (b->guild != NULL && (rq->guild == NULL || !same_trimmed(rq->guild, b->guild)))
		return false;
	if (b->team != NULL && (rq->team == NULL || !same_trimmed(rq->team, b->team)))
		return false;
	if (cJSON_GetArraySize(b->roles) > 0 && !has_role(b, rq))
		return false;
	return true;
}

static bool binding_matches(const struct binding *b, enum tier tier,
                            const struct session_request *rq)
{
	switch (tier) {
	case TIER_PEER:
		return b->tier == TIER_PEER && rq->peer != NULL &&
		       kinds_match(b->peer_kind, rq->chat) && same_trimmed(rq->peer, b->peer_id);
	case TIER_PARENT:
		return b->tier == TIER_PEER && rq->parent != NULL &&
		       kinds_match(b->peer_kind, rq->chat) && same_trimmed(rq->parent, b->peer_id);
	case TIER_PEER_ANY:
		return b->tier == TIER_PEER_ANY && kinds_match(b->peer_kind, rq->chat);
	case TIER_GUILD_ROLES:
		return b->tier == TIER_GUILD_ROLES && rq->nroles > 0;
	default:
		return b->tier == tier;
	}
}

static bool binding_applies(const struct binding *b, const char *channel, const char *account)
{
	if (strcmp(b->channel, channel) != 0)
		return false;
	switch (b->account_rule) {
	case ACCOUNT_ANY:
		return true;
	case ACCOUNT_DEFAULT:
		return strcmp(account, "default") == 0;
	default:
		return strcmp(account, b->account) == 0;
	}
}

static int pick_agent(const struct session_settings *s, const char *id, char out[SESSION_ID_MAX]);

/* OpenClaw's order: the peer, its parent, any peer, guild and roles, guild, team,
 * account, channel; within a tier the first binding in the file. */
static const struct binding *route(const struct session_settings *s,
                                   const struct session_request *rq, const char *channel,
                                   const char *account, enum tier *tier)
{
	for (int t = 0; t < NTIERS; t++) {
		for (size_t i = 0; i < s->nbindings; i++) {
			const struct binding *b = &s->bindings[i];
			if (binding_applies(b, channel, account) &&
			    binding_matches(b, (enum tier)t, rq) && constraints_hold(b, rq)) {
				*tier = (enum tier)t;
				return b;
			}
		}
	}
	return NULL;
}

/* A binding's agent: configured, or "main", or (no roster) itself; else an error. */
static int pick_agent(const struct session_settings *s, const char *id, char out[SESSION_ID_MAX])
{
	norm_agent_id(id, out);
	if (!s->roster || find_agent(s, out) != NULL || strcmp(out, "main") == 0)
		return 0;
	return claw_fail("Multiple agents are configured, but route binding has no explicit owner. "
	                 "Update the binding agentId \"%s\" to a configured agent.",
	                 id);
}

static int default_agent(const struct session_settings *s, const struct session_request *rq,
                         const char *channel, const char *account, char out[SESSION_ID_MAX])
{
	if (s->default_agent[0] != '\0') {
		memcpy(out, s->default_agent, SESSION_ID_MAX);
		return 0;
	}
	if (rq->has_origin)
		return claw_fail("%s (%s account %s has no binding either: add one, e.g. "
		                 "{\"agentId\":\"<agent>\",\"match\":{\"channel\":\"%s\","
		                 "\"accountId\":\"%s\"}})",
		                 s->no_default, channel[0] ? channel : "unknown", account,
		                 channel[0] ? channel : "unknown", account);
	return claw_fail("%s, and the request names no agent", s->no_default);
}

static int check_agent(const struct session_settings *s, const char *agent)
{
	if (s->roster && find_agent(s, agent) == NULL)
		return claw_fail("agent \"%s\" is not configured (agents.list)", agent);
	return 0;
}

/* identityLinks: the canonical name whose list holds the peer (alone or as channel:peer). */
static const char *linked_peer(const struct session_settings *s, const char *channel,
                               const char *peer)
{
	const cJSON *entry, *id;
	struct buf raw = { 0 }, scoped = { 0 }, cand = { 0 };
	const char *found = NULL;

	if (s->identity_links == NULL || peer == NULL)
		return NULL;
	token(&raw, peer);
	if (raw.len == 0)
		goto out;
	if (channel[0] != '\0') {
		const char *t;
		size_t n = id_trimmed(peer, &t);
		char *both = xasprintf("%s:%.*s", channel, (int)n, t);
		token(&scoped, both);
		free(both);
	}
	cJSON_ArrayForEach(entry, s->identity_links)
	{
		if (blank(entry->string))
			continue;
		cJSON_ArrayForEach(id, entry)
		{
			token(&cand, id->valuestring);
			if (cand.len > 0 && (strcmp(cand.p, raw.p) == 0 ||
			                     (scoped.len > 0 && strcmp(cand.p, scoped.p) == 0))) {
				found = entry->string;
				goto out;
			}
		}
	}
out:
	buf_free(&raw);
	buf_free(&scoped);
	buf_free(&cand);
	return found;
}

/* agent:<agent>:<mainKey>, whatever session.scope says. */
static void put_agent_main_key(const struct session_settings *s, const char *agent, struct buf *b)
{
	buf_reset(b);
	buf_puts(b, "agent:");
	buf_puts(b, agent);
	buf_putc(b, ':');
	buf_puts(b, s->main_key);
}

/* The agent's main session: "global" under session.scope global. */
static void put_main_key(const struct session_settings *s, const char *agent, struct buf *b)
{
	if (!s->global) {
		put_agent_main_key(s, agent, b);
		return;
	}
	buf_reset(b);
	buf_puts(b, "global");
}

static void put_prefix(struct buf *b, const char *agent, const char *channel)
{
	buf_reset(b);
	buf_puts(b, "agent:");
	buf_puts(b, agent);
	buf_putc(b, ':');
	if (channel != NULL) {
		buf_puts(b, channel[0] ? channel : "unknown");
		buf_putc(b, ':');
	}
}

/*
 * The DM key for a dmScope. A DM whose peer is empty is "unknown" (as
 * OpenClaw routes it), never the main one; only a caller that names no peer
 * at all (no origin) gets the main session.
 */
static void put_dm_key(const struct session_settings *s, const char *dm_scope, const char *agent,
                       const char *channel, const char *account, const char *peer, struct buf *b)
{
	struct buf p = { 0 };
	const char *link = strcmp(dm_scope, "main") != 0 ? linked_peer(s, channel, peer) : NULL;

	if (peer == NULL || strcmp(dm_scope, "main") == 0) {
		put_main_key(s, agent, b);
		return;
	}
	token(&p, link ? link : peer);
	if (strcmp(dm_scope, "per-peer") == 0) {
		put_prefix(b, agent, NULL);
	} else {
		put_prefix(b, agent, channel);
		if (strcmp(dm_scope, "per-account-channel-peer") == 0) {
			buf_puts(b, account);
			buf_putc(b, ':');
		}
	}
	buf_puts(b, "direct:");
	buf_puts(b, p.len ? p.p : "unknown");
	buf_free(&p);
}

/* Signal group ids and Matrix room ids are case-sensitive: OpenClaw keeps their case. */
static bool keeps_case(const char *channel, enum chat_kind kind)
{
	return (strcmp(channel, "signal") == 0 && kind == CHAT_GROUP) ||
	       (strcmp(channel, "matrix") == 0 && kind != CHAT_DIRECT);
}

static const char *kind_name(enum chat_kind k)
{
	return k == CHAT_DIRECT ? "direct" : k == CHAT_GROUP ? "group" : "channel";
}

static void put_group_key(const char *agent, const char *channel, const struct session_request *rq,
                          struct buf *b)
{
	struct buf id = { 0 };
	const char *t;
	size_t n = id_trimmed(rq->peer ? rq->peer : "", &t);

	if (keeps_case(channel, rq->chat)) {
		buf_put(&id, t, n);
		buf_putc(&id, '\0');
		id.len = n;
	} else {
		token(&id, rq->peer);
	}
	put_prefix(b, agent, channel);
	buf_puts(b, kind_name(rq->chat));
	buf_putc(b, ':');
	buf_puts(b, id.len ? id.p : "unknown");
	buf_free(&id);
}

/*
 * Threads get a session of their own. A Telegram forum topic is part of its
 * group's id (":topic:"); a Telegram DM thread names its chat too.
 */
static void put_thread(const struct session_request *rq, const char *channel, struct buf *b)
{
	struct buf t = { 0 }, chat = { 0 };

	token(&t, rq->thread);
	if (t.len > 0) {
		bool telegram = strcmp(channel, "telegram") == 0;
		if (telegram && rq->chat == CHAT_GROUP) {
			buf_puts(b, ":topic:");
		} else if (telegram && rq->chat == CHAT_DIRECT) {
			/* The chat the thread is in: the record's peer (OpenClaw's chatId). */
			token(&chat, rq->peer != NULL ? rq->peer : rq->sender);
			buf_puts(b, ":thread:");
			buf_puts(b, chat.p);
			buf_putc(b, ':');
		} else {
			buf_puts(b, ":thread:");
		}
		buf_puts(b, t.p);
	}
	buf_free(&t);
	buf_free(&chat);
}

/*
 * The main-key aliases of OpenClaw: these spellings all mean the agent's main
 * session. Compared exactly (case-sensitive, as OpenClaw's sandbox does): a
 * mis-cased "MAIN" lands in a separate, sandboxed session, not the owner's.
 */
static bool is_main_alias(const struct session_settings *s, const char *key, const char *agent)
{
	char *forms[6];
	bool hit = false;

	forms[0] = xstrdup("main");
	forms[1] = xstrdup(s->main_key);
	forms[2] = xasprintf("agent:%s:%s", agent, s->main_key);
	forms[3] = xasprintf("agent:%s:main", agent);
	forms[4] = xasprintf("agent:main:%s", s->main_key);
	forms[5] = xstrdup("agent:main:main");
	for (size_t i = 0; i < NELEM(forms); i++) {
		hit = hit || strcmp(key, forms[i]) == 0;
		free(forms[i]);
	}
	return hit || (s->global && strcmp(key, "global") == 0);
}

static int resolve_explicit(struct session_settings *s, const struct session_request *rq,
                            struct session_info *out)
{
	const char *k;
	size_t n = id_trimmed(rq->session_key, &k);
	char *raw = xstrndup(k, n), named[SESSION_ID_MAX];
	int rc = -1;

	if (n == 0) {
		claw_fail("sessionKey is empty");
		goto out;
	}
	if (n > SESSION_KEY_MAX) {
		claw_fail("sessionKey is longer than %d bytes", SESSION_KEY_MAX);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)raw[i] < 0x20 || raw[i] == 0x7f) {
			claw_fail("sessionKey contains a control character");
			goto out;
		}
	}
	if (strncasecmp(raw, "agent:", 6) == 0) {
		const char *id = raw + 6, *colon = strchr(id, ':');
		char *copy = xstrndup(id, colon ? (size_t)(colon - id) : strlen(id));
		norm_agent_id(copy, out->agent);
		free(copy);
		if (colon == NULL || colon[1] == '\0') {
			claw_fail("sessionKey \"%s\" has nothing after the agent id", raw);
			goto out;
		}
		if (rq->agent != NULL && record_agent(rq->agent, named) < 0)
			goto out;
		if (rq->agent != NULL && strcmp(named, out->agent) != 0) {
			claw_fail(
			    "sessionKey belongs to agent \"%s\", but the record says agent \"%s\"",
			    out->agent, named);
			goto out;
		}
		out->matched_by = "sessionKey";
	} else if (rq->agent != NULL) {
		if (record_agent(rq->agent, out->agent) < 0)
			goto out;
		out->matched_by = "record";
	} else if (default_agent(s, rq, "", "default", out->agent) < 0) {
		goto out;
	} else {
		out->matched_by = "default";
	}
	if (check_agent(s, out->agent) < 0)
		goto out;
	put_main_key(s, out->agent, &out->main_key);
	out->main = is_main_alias(s, raw, out->agent);
	buf_reset(&out->key);
	if (out->main)
		buf_puts(&out->key, out->main_key.p);
	else
		buf_puts(&out->key, str_lower(raw));
	rc = 0;
out:
	free(raw);
	return rc;
}

/* Telegram's default account: defaultAccount, else "default" if configured,
 * else the first account configured, else "default". */
static void telegram_default_account(const struct config *cfg, char out[SESSION_ID_MAX])
{
	const char *def =
	    cJSON_GetStringValue(cfg_get(cfg->root, "channels.telegram.defaultAccount"));
	const cJSON *accounts = cfg_get(cfg->root, "channels.telegram.accounts");

	if (def == NULL && cJSON_IsObject(accounts) && accounts->child != NULL &&
	    cJSON_GetObjectItemCaseSensitive(accounts, "default") == NULL)
		def = accounts->child->string;
	norm_account_id(def, out);
}

static int pick_route_agent(struct session_settings *s, const struct session_request *rq,
                            const char *channel, const char *account, struct session_info *out,
                            const struct binding **bound)
{
	enum tier tier;

	*bound = NULL;
	if (rq->agent != NULL) {
		if (record_agent(rq->agent, out->agent) < 0)
			return -1;
		out->matched_by = "record";
		return check_agent(s, out->agent);
	}
	if (!rq->has_origin) {
		out->matched_by = "default";
		return default_agent(s, rq, channel, account, out->agent);
	}
	*bound = route(s, rq, channel, account, &tier);
	if (*bound == NULL) {
		out->matched_by = "default";
		return default_agent(s, rq, channel, account, out->agent);
	}
	out->matched_by = tier_names[tier];
	return pick_agent(s, (*bound)->agent, out->agent);
}

/*
 * A DM from a chat channel that lands in the main session is still judged on
 * its own (OpenClaw #70342): sandbox and tool policy use a
 * per-account-channel-peer key, so a stranger's DM is not the owner's main
 * session. It applies to the owner's own DMs too (OpenClaw has no exemption);
 * only webchat, the local UI, is left alone. The sender names the DM.
 * Stricter than OpenClaw, which leaves the main session alone when the
 * message names no channel or no one: such a DM is "unknown", judged apart.
 */
static void policy_key_of_dm(struct session_settings *s, const struct session_request *rq,
                             const char *channel, const char *account, struct session_info *out)
{
	const char *who = !blank(rq->sender) ? rq->sender : rq->peer;

	if (!rq->has_origin || rq->chat != CHAT_DIRECT || !out->main ||
	    strcmp(channel, "webchat") == 0)
		return;
	put_dm_key(s, "per-account-channel-peer", out->agent, channel, account,
	           who != NULL ? who : "", &out->policy_key);
	out->main = false;
}

/*
 * A sessionKey beside an origin that names only who asks (an agent runtime's
 * hook knows the session and the sender, not the chat): the key is the
 * session, and a chat message that lands in the main session is judged as
 * the sender's DM (#70342), as resolve_origin judges one.
 */
static void judge_sender_in_main(struct session_settings *s, const struct session_request *rq,
                                 struct session_info *out)
{
	struct buf channel = { 0 };
	char account[SESSION_ID_MAX];

	token(&channel, rq->channel);
	norm_account_id(rq->account, account);
	policy_key_of_dm(s, rq, channel.p, account, out);
	buf_free(&channel);
}

/*
 * A chat channel always names the peer of a DM to OpenClaw: the sender (a
 * record may carry only that). A DM that names no one is "unknown", a
 * session of its own, never the owner's main one. Telegram keys a DM by its
 * sender even where the chat is another (a channel's direct messages, where
 * many senders share one chat), else by the chat (resolveTelegramDirectPeerId).
 */
static void effective_request(const struct session_request *rq, const char *channel,
                              struct session_request *eff)
{
	*eff = *rq;
	if (!eff->has_origin || eff->chat != CHAT_DIRECT)
		return;
	if (strcmp(channel, "telegram") == 0 && !blank(eff->sender))
		eff->peer = eff->sender;
	else if (eff->peer == NULL)
		eff->peer = eff->sender != NULL ? eff->sender : "";
}

static int resolve_origin(struct session_settings *s, const struct session_request *given,
                          struct session_info *out)
{
	struct buf channel = { 0 };
	char account[SESSION_ID_MAX], tg_default[SESSION_ID_MAX];
	const struct binding *bound;
	struct session_request eff;
	const struct session_request *rq = &eff;
	int rc = -1;

	token(&channel, given->has_origin ? given->channel : NULL);
	effective_request(given, channel.p, &eff);
	norm_account_id(rq->account, account);
	if (pick_route_agent(s, rq, channel.p, account, out, &bound) < 0)
		goto out;
	const char *dm_scope = bound && bound->dm_scope ? bound->dm_scope : s->dm_scope;
	const char *group_scope = bound && bound->group_scope ? bound->group_scope : s->group_scope;
	/* A Telegram DM on another than the default account, routed by default,
	 * keeps the account in its key whatever dmScope says. */
	if (rq->has_origin && rq->chat == CHAT_DIRECT && bound == NULL && rq->agent == NULL &&
	    strcmp(channel.p, "telegram") == 0) {
		telegram_default_account(s->cfg, tg_default);
		if (strcmp(account, tg_default) != 0)
			dm_scope = "per-account-channel-peer";
	}
	put_main_key(s, out->agent, &out->main_key);
	if (!rq->has_origin)
		put_main_key(s, out->agent, &out->key);
	else if (rq->chat == CHAT_DIRECT)
		put_dm_key(s, dm_scope, out->agent, channel.p, account, rq->peer, &out->key);
	else if (strcmp(group_scope, "main") == 0)
		put_main_key(s, out->agent, &out->key);
	else
		put_group_key(out->agent, channel.p, rq, &out->key);
	/* A thread is a session of its own, also where groupScope folds its group
	 * into the main session (OpenClaw: "...:main:thread:<id>"). */
	if (rq->has_origin && !blank(rq->thread)) {
		/* OpenClaw names only the bare main session "global"; its threads
		 * hang off the agent's main key (canonicalizeMainSessionAlias). */
		if (s->global && strcmp(out->key.p, "global") == 0)
			put_agent_main_key(s, out->agent, &out->key);
		put_thread(given, channel.p, &out->key);
	}
	out->main = strcmp(out->key.p, out->main_key.p) == 0;
	policy_key_of_dm(s, rq, channel.p, account, out);
	rc = 0;
out:
	buf_free(&channel);
	return rc;
}

/* ---- sandbox scope ---- */

static struct workspace_hash *ws_cache;
static size_t ws_count, ws_cap;

/* First 32 hex of sha256(the agent's workspace dir): OpenClaw binds a sandbox
 * to the workspace it serves, so a moved workspace gets a fresh sandbox. */
static const char *workspace_hash(const struct session_settings *s, const char *agent)
{
	for (size_t i = 0; i < ws_count; i++)
		if (strcmp(ws_cache[i].agent, agent) == 0)
			return ws_cache[i].hex;
	char *dir = cfg_agent_workspace(s->cfg, agent), hex[SHA256_HEX];
	sha256_hex(dir, strlen(dir), hex);
	free(dir);
	ALLOC_GROW(ws_cache, ws_count + 1, ws_cap);
	snprintf(ws_cache[ws_count].agent, SESSION_ID_MAX, "%s", agent);
	snprintf(ws_cache[ws_count].hex, sizeof(ws_cache[ws_count].hex), "%.32s", hex);
	return ws_cache[ws_count++].hex;
}

/*
 * OpenClaw 2026.9.6's resolveSandboxScopeKey (dist/shared-*.mjs): the scope
 * key ends in ":workspace:" and the first 32 hex digits of the SHA-256 of
 * the agent's workspace, so two agents' sandboxes never share a directory;
 * the slug of such a key is "workspace-" and 32 hex digits of the key's own
 * SHA-256 (compute_slug). Older releases used the session key alone.
 */
static void put_scope_key(const struct session_settings *s, struct session_info *out)
{
	buf_reset(&out->scope_key);
	if (strcmp(out->scope, "shared") == 0) {
		buf_puts(&out->scope_key, "shared");
		return;
	}
	if (strcmp(out->scope, "agent") == 0) {
		buf_puts(&out->scope_key, "agent:");
		buf_puts(&out->scope_key, out->agent);
	} else {
		buf_puts(&out->scope_key, out->policy_key.p);
	}
	buf_puts(&out->scope_key, ":workspace:");
	buf_puts(&out->scope_key, workspace_hash(s, out->agent));
}

/* S begins with the lower-case LIT, in any case (ASCII). */
static bool has_prefix_ci(const char *s, const char *lit)
{
	for (; *lit; s++, lit++)
		if (*s != *lit && !(*s >= 'A' && *s <= 'Z' && *s - 'A' + 'a' == *lit))
			return false;
	return true;
}

unsigned session_subagent_depth(const char *key)
{
	const char *rest = key;
	unsigned depth = 0;

	if (key == NULL)
		return 0;
	if (has_prefix_ci(rest, "agent:")) {
		const char *colon = strchr(rest + 6, ':');
		rest = colon ? colon + 1 : rest + strlen(rest);
	}
	if (!has_prefix_ci(rest, "subagent:"))
		return 0; /* OpenClaw: only a key whose rest starts so is a subagent's */
	for (const char *p = rest; *p; p++)
		if ((p == rest || p[-1] == ':') && has_prefix_ci(p, "subagent:"))
			depth++;
	return depth;
}

int session_resolve(struct session_settings *s, const struct session_request *rq,
                    struct session_info *out)
{
	buf_reset(&out->key);
	buf_reset(&out->main_key);
	buf_reset(&out->policy_key);
	buf_reset(&out->scope_key);
	out->agent[0] = '\0';
	out->matched_by = "default";
	if ((rq->session_key ? resolve_explicit(s, rq, out) : resolve_origin(s, rq, out)) < 0)
		return -1;
	if (rq->session_key != NULL && rq->has_origin)
		judge_sender_in_main(s, rq, out);
	if (out->policy_key.len == 0)
		buf_puts(&out->policy_key, out->key.p);
	out->depth = session_subagent_depth(out->policy_key.p);
	session_agent_sandbox(s, out->agent, &out->mode, &out->scope);
	out->sandboxed =
	    strcmp(out->mode, "all") == 0 || (strcmp(out->mode, "non-main") == 0 && !out->main);
	put_scope_key(s, out);
	session_slug(out->scope_key.p, out->slug);
	return 0;
}

void session_info_free(struct session_info *si)
{
	buf_free(&si->key);
	buf_free(&si->main_key);
	buf_free(&si->policy_key);
	buf_free(&si->scope_key);
}
