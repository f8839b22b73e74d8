/*
 * session.c: which session a request belongs to, computed as OpenClaw does,
 * and whether that session runs in a sandbox.
 *
 * The key decides isolation: two requests with the same key share a
 * conversation and (scope "session") a sandbox. So every rule here follows
 * OpenClaw's routing exactly, and where claw is unsure it errs towards a
 * separate, sandboxed session, never towards the owner's main one.
 */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

struct agent_sandbox {
	char id[SESSION_ID_MAX];
	const char *mode, *scope;
};

static const char *const dm_scopes[] = { "main", "per-peer", "per-channel-peer",
	                                 "per-account-channel-peer", NULL };
static const char *const group_scopes[] = { "per-group", "main", NULL };
static const char *const session_scopes[] = { "per-sender", "global", NULL };
static const char *const sandbox_modes[] = { "off", "non-main", "all", NULL };
static const char *const sandbox_scopes[] = { "session", "agent", "shared", NULL };
static const char *const peer_kinds[] = { "direct", "dm", "group", "channel", NULL };

static bool is_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * OpenClaw's sanitising, in its order: lower-case, each run of characters
 * outside the allowed set becomes one "-", leading and trailing "-" go, then
 * the result is cut to MAX (which may leave a "-" at the end). Returns the
 * length written to OUT (at most MAX, NUL-terminated).
 */
static size_t sanitize(const char *s, size_t n, bool allow_dot, char *out, size_t max)
{
	size_t o = 0, start = 0, end;
	struct buf tmp = { 0 };

	buf_reserve(&tmp, n);
	for (size_t i = 0; i < n;) {
		char c = lower(s[i]);
		if (is_id_char(c) || (allow_dot && c == '.')) {
			buf_putc(&tmp, c);
			i++;
			continue;
		}
		while (i < n && !(is_id_char(lower(s[i])) || (allow_dot && s[i] == '.')))
			i++;
		buf_putc(&tmp, '-');
	}
	end = tmp.len;
	while (start < end && tmp.p[start] == '-')
		start++;
	while (end > start && tmp.p[end - 1] == '-')
		end--;
	o = end - start > max ? max : end - start;
	if (o > 0)
		memcpy(out, tmp.p + start, o);
	out[o] = '\0';
	buf_free(&tmp);
	return o;
}

static char *norm_id(const char *in, char out[SESSION_ID_MAX], const char *fallback)
{
	const char *s = in ? in : "";
	size_t n;
	bool valid = true;

	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n == 0 || n > 64)
		valid = false;
	for (size_t i = 0; i < n && valid; i++) {
		char c = lower(s[i]);
		valid = i == 0 ? (is_id_char(c) && c != '_' && c != '-') : is_id_char(c);
	}
	if (valid) {
		for (size_t i = 0; i < n; i++)
			out[i] = lower(s[i]);
		out[n] = '\0';
		return out;
	}
	if (sanitize(s, n, false, out, 64) == 0)
		snprintf(out, SESSION_ID_MAX, "%s", fallback);
	return out;
}

char *norm_agent_id(const char *in, char out[SESSION_ID_MAX])
{
	return norm_id(in, out, "main");
}

char *norm_account_id(const char *in, char out[SESSION_ID_MAX])
{
	return norm_id(in, out, "default");
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

static void compute_slug(const char *key, char out[SESSION_SLUG_MAX]);

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

static void compute_slug(const char *key, char out[SESSION_SLUG_MAX])
{
	char hex[SHA256_HEX];
	const char *s = key;
	size_t n, o;

	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n == 0) {
		s = "session";
		n = 7;
	}
	sha256_hex(s, n, hex);
	if ((o = sanitize(s, n, true, out, 32)) == 0) {
		memcpy(out, "session", 7);
		o = 7;
	}
	out[o++] = '-';
	memcpy(out + o, hex, 8);
	out[o + 8] = '\0';
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

static int check_binding(const struct config *cfg, const cJSON *b)
{
	const char *str = NULL, *kind = NULL;
	const cJSON *match, *peer;

	if (!cJSON_IsObject(b))
		return cfg_error(cfg, b, "bindings entries must be objects");
	if (cfg_str(cfg, cJSON_GetObjectItemCaseSensitive(b, "agentId"), "bindings[].agentId",
	            &str) < 0)
		return -1;
	match = cJSON_GetObjectItemCaseSensitive(b, "match");
	if (match == NULL)
		return 0;
	if (!cJSON_IsObject(match))
		return cfg_error(cfg, match, "bindings[].match must be an object");
	static const char *const strs[] = { "channel", "accountId", "guildId", "teamId" };
	for (size_t i = 0; i < NELEM(strs); i++) {
		char what[64];
		snprintf(what, sizeof(what), "bindings[].match.%s", strs[i]);
		if (cfg_str(cfg, cJSON_GetObjectItemCaseSensitive(match, strs[i]), what, &str) < 0)
			return -1;
	}
	peer = cJSON_GetObjectItemCaseSensitive(match, "peer");
	if (peer == NULL || cJSON_IsNull(peer))
		return 0;
	if (!cJSON_IsObject(peer))
		return cfg_error(cfg, peer, "bindings[].match.peer must be an object");
	if (cfg_enum(cfg, cJSON_GetObjectItemCaseSensitive(peer, "kind"),
	             "bindings[].match.peer.kind", peer_kinds, &kind) < 0 ||
	    cfg_str(cfg, cJSON_GetObjectItemCaseSensitive(peer, "id"), "bindings[].match.peer.id",
	            &str) < 0)
		return -1;
	return 0;
}

static int load_bindings(struct session_settings *s)
{
	const cJSON *bindings = cJSON_GetObjectItemCaseSensitive(s->cfg->root, "bindings");
	const cJSON *b;

	if (bindings == NULL || cJSON_IsNull(bindings))
		return 0;
	if (!cJSON_IsArray(bindings))
		return cfg_error(s->cfg, bindings, "bindings must be an array");
	cJSON_ArrayForEach(b, bindings)
	{
		if (check_binding(s->cfg, b) < 0)
			return -1;
	}
	s->bindings = bindings;
	return 0;
}

/* mode and scope from one sandbox object (agents.defaults.sandbox or an agent's). */
static int read_sandbox(const struct config *cfg, const cJSON *sb, const char *where,
                        const char **mode, const char **scope)
{
	char what[96];
	bool per_session;
	int has_per_session = 0;

	if (sb == NULL || cJSON_IsNull(sb))
		return 0;
	if (!cJSON_IsObject(sb))
		return cfg_error(cfg, sb, "%s.sandbox must be an object", where);
	snprintf(what, sizeof(what), "%s.sandbox.mode", where);
	if (cfg_enum(cfg, cJSON_GetObjectItemCaseSensitive(sb, "mode"), what, sandbox_modes, mode) <
	    0)
		return -1;
	/* Legacy perSession: true meant one sandbox per session, false one for all. */
	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(sb, "perSession");
	snprintf(what, sizeof(what), "%s.sandbox.perSession", where);
	if (cfg_bool(cfg, ps, what, &per_session) < 0)
		return -1;
	has_per_session = cJSON_IsBool(ps);
	if (has_per_session)
		*scope = per_session ? "session" : "shared";
	snprintf(what, sizeof(what), "%s.sandbox.scope", where);
	return cfg_enum(cfg, cJSON_GetObjectItemCaseSensitive(sb, "scope"), what, sandbox_scopes,
	                scope);
}

static int load_agents(struct session_settings *s)
{
	const struct config *cfg = s->cfg;
	const cJSON *agents = cJSON_GetObjectItemCaseSensitive(cfg->root, "agents");
	const cJSON *defaults = NULL, *list = NULL, *entry;
	const char *mode = "off", *scope = "agent";

	if (agents != NULL && !cJSON_IsNull(agents) && !cJSON_IsObject(agents))
		return cfg_error(cfg, agents, "agents must be an object");
	defaults = cfg_get(cfg->root, "agents.defaults");
	if (defaults != NULL && !cJSON_IsNull(defaults) && !cJSON_IsObject(defaults))
		return cfg_error(cfg, defaults, "agents.defaults must be an object");
	if (read_sandbox(cfg, cfg_get(defaults, "sandbox"), "agents.defaults", &mode, &scope) < 0)
		return -1;
	list = cfg_get(cfg->root, "agents.list");
	if (list != NULL && !cJSON_IsNull(list) && !cJSON_IsArray(list))
		return cfg_error(cfg, list, "agents.list must be an array");
	int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : 0;
	s->agents = xcalloc((size_t)n + 1, sizeof(*s->agents));
	/* Slot 0: the defaults, for agents that agents.list does not name. */
	s->agents[0] = (struct agent_sandbox){ "", mode, scope };
	s->nagents = 1;
	if (!cJSON_IsArray(list))
		return 0;
	cJSON_ArrayForEach(entry, list)
	{
		const char *id = NULL;
		struct agent_sandbox *a = &s->agents[s->nagents];
		if (!cJSON_IsObject(entry))
			return cfg_error(cfg, entry, "agents.list entries must be objects");
		if (cfg_str(cfg, cJSON_GetObjectItemCaseSensitive(entry, "id"), "agents.list[].id",
		            &id) < 0)
			return -1;
		if (id == NULL)
			return cfg_error(cfg, entry, "agents.list entry without an id");
		norm_agent_id(id, a->id);
		a->mode = mode;
		a->scope = scope;
		if (read_sandbox(cfg, cJSON_GetObjectItemCaseSensitive(entry, "sandbox"),
		                 "agents.list[]", &a->mode, &a->scope) < 0)
			return -1;
		s->nagents++;
	}
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
	free(s->main_key);
	free(s->agents);
	memset(s, 0, sizeof(*s));
}

static const struct agent_sandbox *find_agent(const struct session_settings *s, const char *id)
{
	for (unsigned i = 1; i < s->nagents; i++)
		if (strcmp(s->agents[i].id, id) == 0)
			return &s->agents[i];
	return NULL;
}

int session_agent_sandbox(struct session_settings *s, const char *agent, const char **mode,
                          const char **scope)
{
	const struct agent_sandbox *a = find_agent(s, agent);

	if (a == NULL)
		a = &s->agents[0];
	*mode = a->mode;
	*scope = a->scope;
	return 0;
}

/* ---- routing ---- */

/* Trimmed, lower-cased copy into a buffer (OpenClaw's normalizeToken). */
static void token(struct buf *b, const char *s)
{
	const char *e;

	buf_reset(b);
	if (s == NULL)
		return;
	while (is_space(*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_space(e[-1]))
		e--;
	buf_reserve(b, (size_t)(e - s));
	for (; s < e; s++)
		buf_putc(b, lower(*s));
}

static bool has_agents_list(const struct session_settings *s)
{
	return s->nagents > 1;
}

/* A binding's agent, or the default agent when it names one that does not exist. */
static void pick_existing(const struct session_settings *s, const char *id,
                          char out[SESSION_ID_MAX])
{
	norm_agent_id(id, out);
	if (has_agents_list(s) && find_agent(s, out) == NULL)
		norm_agent_id(cfg_default_agent(s->cfg), out);
}

static const char *match_str(const cJSON *match, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(match, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool tok_eq(const char *a, const char *b)
{
	struct buf x = { 0 }, y = { 0 };
	bool eq;

	token(&x, a);
	token(&y, b);
	eq = strcmp(x.p ? x.p : "", y.p ? y.p : "") == 0;
	buf_free(&x);
	buf_free(&y);
	return eq;
}

/* A binding applies to the channel it names, and to the account it names:
 * none means the default account only, "*" any account. */
static bool binding_applies(const cJSON *match, const char *channel, const char *account)
{
	const char *ch = match_str(match, "channel"), *acct = match_str(match, "accountId");
	char a[SESSION_ID_MAX];

	if (ch == NULL || !tok_eq(ch, channel))
		return false;
	if (acct == NULL || strspn(acct, " \t") == strlen(acct))
		return strcmp(account, "default") == 0;
	if (tok_eq(acct, "*"))
		return true;
	return strcmp(norm_account_id(acct, a), account) == 0;
}

static const char *kind_name(enum chat_kind k)
{
	return k == CHAT_DIRECT ? "direct" : k == CHAT_GROUP ? "group" : "channel";
}

static bool binding_peer_matches(const cJSON *match, enum chat_kind kind, const char *peer)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(match, "peer");
	const char *k = match_str(p, "kind"), *id = match_str(p, "id");

	if (k == NULL || id == NULL || peer == NULL)
		return false;
	if (strcmp(k, "dm") == 0)
		k = "direct";
	return strcmp(k, kind_name(kind)) == 0 && tok_eq(id, peer);
}

enum binding_tier { TIER_PEER, TIER_GUILD, TIER_TEAM, TIER_ACCOUNT, TIER_CHANNEL, NTIERS };

static bool binding_in_tier(const cJSON *match, enum binding_tier tier,
                            const struct session_request *rq)
{
	bool any_acct =
	    tok_eq(match_str(match, "accountId") ? match_str(match, "accountId") : "", "*");
	bool narrowed = cJSON_GetObjectItemCaseSensitive(match, "peer") != NULL ||
	                match_str(match, "guildId") != NULL || match_str(match, "teamId") != NULL;

	switch (tier) {
	case TIER_PEER:
		return binding_peer_matches(match, rq->chat, rq->peer);
	case TIER_GUILD:
		return rq->guild != NULL && match_str(match, "guildId") != NULL &&
		       tok_eq(match_str(match, "guildId"), rq->guild);
	case TIER_TEAM:
		return rq->team != NULL && match_str(match, "teamId") != NULL &&
		       tok_eq(match_str(match, "teamId"), rq->team);
	case TIER_ACCOUNT:
		return !any_acct && !narrowed;
	case TIER_CHANNEL:
		return any_acct && !narrowed;
	default:
		return false;
	}
}

/* OpenClaw's order: a peer binding, then guild, team, account, channel, then the default. */
static void route_agent(const struct session_settings *s, const struct session_request *rq,
                        const char *channel, const char *account, char out[SESSION_ID_MAX])
{
	for (int tier = 0; tier < NTIERS && s->bindings != NULL; tier++) {
		const cJSON *b;
		cJSON_ArrayForEach(b, s->bindings)
		{
			const cJSON *match = cJSON_GetObjectItemCaseSensitive(b, "match");
			const char *agent = match_str(b, "agentId");
			if (agent == NULL || !cJSON_IsObject(match) ||
			    !binding_applies(match, channel, account) ||
			    !binding_in_tier(match, (enum binding_tier)tier, rq))
				continue;
			pick_existing(s, agent, out);
			return;
		}
	}
	norm_agent_id(cfg_default_agent(s->cfg), out);
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
		char *both = xasprintf("%s:%s", channel, peer);
		token(&scoped, both);
		free(both);
	}
	cJSON_ArrayForEach(entry, s->identity_links)
	{
		if (entry->string == NULL || strspn(entry->string, " \t") == strlen(entry->string))
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

static void put_lower(struct buf *b, const char *s)
{
	for (; *s; s++)
		buf_putc(b, lower(*s));
}

static void put_main_key(const struct session_settings *s, const char *agent, struct buf *b)
{
	buf_reset(b);
	if (s->global) {
		buf_puts(b, "global");
		return;
	}
	buf_puts(b, "agent:");
	buf_puts(b, agent);
	buf_putc(b, ':');
	buf_puts(b, s->main_key);
}

/* The DM key for a dmScope; the trimmed peer, after identityLinks, lower-cased. */
static void put_dm_key(const struct session_settings *s, const char *dm_scope, const char *agent,
                       const char *channel, const char *account, const char *peer, struct buf *b)
{
	struct buf p = { 0 };
	const char *link = strcmp(dm_scope, "main") != 0 ? linked_peer(s, channel, peer) : NULL;

	token(&p, link ? link : peer);
	if (p.len == 0 || strcmp(dm_scope, "main") == 0) {
		put_main_key(s, agent, b);
		buf_free(&p);
		return;
	}
	buf_reset(b);
	buf_puts(b, "agent:");
	buf_puts(b, agent);
	buf_putc(b, ':');
	if (strcmp(dm_scope, "per-peer") != 0) {
		buf_puts(b, channel[0] ? channel : "unknown");
		buf_putc(b, ':');
	}
	if (strcmp(dm_scope, "per-account-channel-peer") == 0) {
		buf_puts(b, account);
		buf_putc(b, ':');
	}
	buf_puts(b, "direct:");
	buf_puts(b, p.p);
	buf_free(&p);
}

static void put_group_key(const struct session_settings *s, const char *agent, const char *channel,
                          const struct session_request *rq, struct buf *b)
{
	struct buf id = { 0 };

	if (strcmp(s->group_scope, "main") == 0) {
		put_main_key(s, agent, b);
		return;
	}
	token(&id, rq->peer);
	buf_reset(b);
	buf_puts(b, "agent:");
	buf_puts(b, agent);
	buf_putc(b, ':');
	buf_puts(b, channel[0] ? channel : "unknown");
	buf_putc(b, ':');
	buf_puts(b, kind_name(rq->chat));
	buf_putc(b, ':');
	buf_puts(b, id.len ? id.p : "unknown");
	buf_free(&id);
}

/* Threads get their own session; a Telegram forum topic is its group's ":topic:". */
static void put_thread(const struct session_request *rq, const char *channel, struct buf *b)
{
	struct buf t = { 0 };

	token(&t, rq->thread);
	if (t.len > 0) {
		bool topic = strcmp(channel, "telegram") == 0 && rq->chat == CHAT_GROUP;
		buf_puts(b, topic ? ":topic:" : ":thread:");
		buf_puts(b, t.p);
	}
	buf_free(&t);
}

/*
 * The main-key aliases of OpenClaw: these spellings all mean the agent's main
 * session. Compared exactly (case-sensitive): "MAIN" is not an alias, so a
 * mis-cased key lands in a separate, sandboxed session rather than the owner's.
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

static int check_agent(const struct session_settings *s, const char *agent)
{
	if (has_agents_list(s) && find_agent(s, agent) == NULL)
		return claw_fail("agent \"%s\" is not configured (agents.list)", agent);
	return 0;
}

static int resolve_explicit(struct session_settings *s, const struct session_request *rq,
                            struct session_info *out)
{
	struct buf raw = { 0 };
	const char *k = rq->session_key;
	char named[SESSION_ID_MAX];
	int rc = -1;

	while (is_space(*k))
		k++;
	buf_puts(&raw, k);
	while (raw.len > 0 && is_space(raw.p[raw.len - 1]))
		raw.p[--raw.len] = '\0';
	if (raw.len == 0) {
		claw_fail("sessionKey is empty");
		goto out;
	}
	for (size_t i = 0; i < raw.len; i++) {
		if ((unsigned char)raw.p[i] < 0x20 || raw.p[i] == 0x7f) {
			claw_fail("sessionKey contains a control character");
			goto out;
		}
	}
	if (str_has_prefix(raw.p, "agent:") || str_has_prefix(raw.p, "AGENT:")) {
		const char *id = raw.p + 6, *colon = strchr(id, ':');
		char *copy = xstrndup(id, colon ? (size_t)(colon - id) : strlen(id));
		norm_agent_id(copy, out->agent);
		free(copy);
		if (colon == NULL || colon[1] == '\0') {
			claw_fail("sessionKey \"%s\" has nothing after the agent id", raw.p);
			goto out;
		}
		if (rq->agent != NULL && strcmp(norm_agent_id(rq->agent, named), out->agent) != 0) {
			claw_fail(
			    "sessionKey belongs to agent \"%s\", but the record says agent \"%s\"",
			    out->agent, named);
			goto out;
		}
	} else {
		norm_agent_id(rq->agent ? rq->agent : cfg_default_agent(s->cfg), out->agent);
	}
	if (check_agent(s, out->agent) < 0)
		goto out;
	put_main_key(s, out->agent, &out->main_key);
	out->main = is_main_alias(s, raw.p, out->agent);
	buf_reset(&out->key);
	if (out->main)
		buf_puts(&out->key, out->main_key.p);
	else
		put_lower(&out->key, raw.p);
	rc = 0;
out:
	buf_free(&raw);
	return rc;
}

static int resolve_origin(struct session_settings *s, const struct session_request *rq,
                          struct session_info *out)
{
	struct buf channel = { 0 };
	char account[SESSION_ID_MAX];

	token(&channel, rq->has_origin ? rq->channel : NULL);
	buf_reserve(&channel, 1);
	norm_account_id(rq->account, account);
	if (rq->agent != NULL) {
		norm_agent_id(rq->agent, out->agent);
		if (check_agent(s, out->agent) < 0) {
			buf_free(&channel);
			return -1;
		}
	} else if (rq->has_origin) {
		route_agent(s, rq, channel.p, account, out->agent);
	} else {
		norm_agent_id(cfg_default_agent(s->cfg), out->agent);
	}
	put_main_key(s, out->agent, &out->main_key);
	if (!rq->has_origin)
		put_main_key(s, out->agent, &out->key);
	else if (rq->chat == CHAT_DIRECT)
		put_dm_key(s, s->dm_scope, out->agent, channel.p, account, rq->peer, &out->key);
	else
		put_group_key(s, out->agent, channel.p, rq, &out->key);
	if (rq->has_origin)
		put_thread(rq, channel.p, &out->key);
	out->main = strcmp(out->key.p, out->main_key.p) == 0;
	/*
	 * A DM from a chat channel that collapses into the main session under
	 * dmScope "main" still has its sender judged on its own (OpenClaw #70342):
	 * sandbox and tool policy use a per-account-channel-peer key, so a
	 * stranger's DM is not the owner's main session. Webchat is the local UI.
	 */
	if (rq->has_origin && rq->chat == CHAT_DIRECT && out->main && channel.len > 0 &&
	    strcmp(channel.p, "webchat") != 0 && rq->peer != NULL &&
	    strspn(rq->peer, " \t") != strlen(rq->peer) && strcmp(s->dm_scope, "main") == 0) {
		put_dm_key(s, "per-account-channel-peer", out->agent, channel.p, account, rq->peer,
		           &out->policy_key);
		put_thread(rq, channel.p, &out->policy_key);
		out->main = false;
	}
	buf_free(&channel);
	return 0;
}

int session_resolve(struct session_settings *s, const struct session_request *rq,
                    struct session_info *out)
{
	buf_reset(&out->key);
	buf_reset(&out->main_key);
	buf_reset(&out->policy_key);
	buf_reset(&out->scope_key);
	out->agent[0] = '\0';
	if ((rq->session_key ? resolve_explicit(s, rq, out) : resolve_origin(s, rq, out)) < 0)
		return -1;
	if (out->policy_key.len == 0)
		buf_puts(&out->policy_key, out->key.p);
	session_agent_sandbox(s, out->agent, &out->mode, &out->scope);
	out->sandboxed =
	    strcmp(out->mode, "all") == 0 || (strcmp(out->mode, "non-main") == 0 && !out->main);
	buf_reset(&out->scope_key);
	if (strcmp(out->scope, "shared") == 0) {
		buf_puts(&out->scope_key, "shared");
	} else if (strcmp(out->scope, "agent") == 0) {
		buf_puts(&out->scope_key, "agent:");
		buf_puts(&out->scope_key, out->agent);
	} else {
		buf_puts(&out->scope_key, out->policy_key.p);
	}
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
