/*
 * request.c: what a record says about who is asking, read one way for every
 * stage, and a cache of the sessions a stream repeats.
 *
 * claw-session computes the session member from these fields, and
 * claw-policy recomputes the session from the very same fields rather than
 * trust a member that arrives with the record: two readers could disagree,
 * and a forged member must not move a request out of the sandbox.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/record.h"
#include "session/session.h"

static const struct {
	const char *name;
	enum chat_kind kind;
} chat_kinds[] = {
	{ "direct", CHAT_DIRECT },
	{ "dm", CHAT_DIRECT }, /* OpenClaw's other spelling of direct */
	{ "group", CHAT_GROUP },
	{ "channel", CHAT_CHANNEL },
};

int session_chat_kind(const char *s, enum chat_kind *kind)
{
	if (s == NULL) {
		*kind = CHAT_DIRECT; /* no kind: a direct chat, as OpenClaw defaults a peer */
		return 0;
	}
	/* OpenClaw trims and lower-cases a kind before it compares it. */
	const char *b = s, *e = s + strlen(s);
	while (b < e && (*b == ' ' || (*b >= '\t' && *b <= '\r')))
		b++;
	while (e > b && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r')))
		e--;
	for (size_t i = 0; i < NELEM(chat_kinds); i++) {
		if (strlen(chat_kinds[i].name) == (size_t)(e - b) &&
		    strncasecmp(b, chat_kinds[i].name, (size_t)(e - b)) == 0) {
			*kind = chat_kinds[i].kind;
			return 0;
		}
	}
	/* OpenClaw keys an unknown kind like a group; claw refuses to guess. */
	return claw_fail("unknown chat kind \"%s\" (expected direct, dm, group or channel)", s);
}

/* origin.roles: the sender's roles (Discord), an array of strings. */
static int read_roles(const cJSON *roles, struct session_record *sr)
{
	const cJSON *r;

	if (roles == NULL || cJSON_IsNull(roles))
		return 0;
	if (!cJSON_IsArray(roles))
		return claw_fail("member \"roles\" must be an array of strings");
	cJSON_ArrayForEach(r, roles)
	{
		if (!cJSON_IsString(r))
			return claw_fail("member \"roles\" must be an array of strings");
		if (sr->rq.nroles == SESSION_MAX_ROLES)
			return claw_fail("member \"roles\" has more than %d entries",
			                 SESSION_MAX_ROLES);
		sr->roles[sr->rq.nroles++] = r->valuestring;
	}
	sr->rq.roles = sr->roles;
	return 0;
}

enum {
	O_CHANNEL,
	O_ACCOUNT,
	O_CHAT,
	O_PEER,
	O_THREAD,
	O_SENDER,
	O_GUILD,
	O_TEAM,
	O_OWNER,
	O_GROUP,
	O_PARENT,
	O_ROLES,
	NORIGIN
};
static const char *const origin_names[NORIGIN] = {
	[O_CHANNEL] = "channel", [O_ACCOUNT] = "account", [O_CHAT] = "chat",
	[O_PEER] = "peer",       [O_THREAD] = "thread",   [O_SENDER] = "sender",
	[O_GUILD] = "guild",     [O_TEAM] = "team",       [O_OWNER] = "owner",
	[O_GROUP] = "group",     [O_PARENT] = "parent",   [O_ROLES] = "roles",
};

/* Each id member and where its value goes. */
static const struct {
	int member;
	size_t offset;
} id_members[] = {
	{ O_ACCOUNT, offsetof(struct session_request, account) },
	{ O_PEER, offsetof(struct session_request, peer) },
	{ O_THREAD, offsetof(struct session_request, thread) },
	{ O_SENDER, offsetof(struct session_request, sender) },
	{ O_PARENT, offsetof(struct session_request, parent) },
	{ O_GUILD, offsetof(struct session_request, guild) },
	{ O_TEAM, offsetof(struct session_request, team) },
};

static int read_origin(const cJSON *origin, struct session_record *sr)
{
	const cJSON *m[NORIGIN];
	struct session_request *rq = &sr->rq;
	const char *chat = NULL;
	int owner = 0;

	rq->has_origin = true;
	rec_pick(origin, origin_names, m, NORIGIN);
	static const int chat_members[] = { O_CHAT, O_PEER,  O_THREAD, O_GUILD,
		                            O_TEAM, O_GROUP, O_PARENT };
	sr->names_chat = false;
	for (size_t i = 0; i < NELEM(chat_members); i++)
		if (m[chat_members[i]] != NULL && !cJSON_IsNull(m[chat_members[i]]))
			sr->names_chat = true;
	if (rec_str(m[O_CHANNEL], "channel", &rq->channel) < 0 ||
	    rec_str(m[O_CHAT], "chat", &chat) < 0 || rec_bool(m[O_OWNER], "owner", &owner) < 0 ||
	    read_roles(m[O_ROLES], sr) < 0)
		return claw_fail("origin: %s", claw_error());
	for (size_t i = 0; i < NELEM(id_members); i++) {
		const char **out = (const char **)((char *)rq + id_members[i].offset);
		if (rec_id(m[id_members[i].member], origin_names[id_members[i].member], sr->ids[i],
		           sizeof(sr->ids[i]), out) < 0)
			return claw_fail("origin: %s", claw_error());
	}
	if (session_chat_kind(chat, &rq->chat) < 0)
		return claw_fail("origin: %s", claw_error());
	/* A group may be named by "group" rather than "peer". */
	if (rq->peer == NULL && rq->chat != CHAT_DIRECT &&
	    rec_id(m[O_GROUP], "group", sr->ids[NELEM(id_members)], sizeof(sr->ids[0]), &rq->peer) <
	        0)
		return claw_fail("origin: %s", claw_error());
	sr->owner = owner == 1;
	return 0;
}

enum { R_AGENT, R_SESSION_KEY, R_ORIGIN, NRECORD };
static const char *const record_names[NRECORD] = { "agent", "sessionKey", "origin" };

int session_record_read(const cJSON *root, struct session_record *sr)
{
	const cJSON *m[NRECORD];

	rec_pick(root, record_names, m, NRECORD);
	return session_record_read_members(m[R_AGENT], m[R_SESSION_KEY], m[R_ORIGIN], sr);
}

int session_record_read_members(const cJSON *agent, const cJSON *session_key,
                                const cJSON *origin_member, struct session_record *sr)
{
	const cJSON *origin = NULL;

	memset(&sr->rq, 0, sizeof(sr->rq));
	sr->session_key = NULL;
	sr->owner = true; /* no origin: the local operator */
	sr->names_chat = false;
	if (rec_str(agent, "agent", &sr->rq.agent) < 0 ||
	    rec_str(session_key, "sessionKey", &sr->session_key) < 0 ||
	    rec_obj(origin_member, "origin", &origin) < 0)
		return -1;
	if (origin != NULL && read_origin(origin, sr) < 0)
		return -1;
	/*
	 * With an origin that names the chat, the origin decides (and a
	 * sessionKey must agree with it): a caller cannot talk its way into the
	 * owner's main session by also sending sessionKey "main". An origin that
	 * names only who asks (channel, account, sender, owner, roles: what an
	 * agent runtime's hook knows) beside a sessionKey is a runtime that knows
	 * the session but not the chat: the key names it, and a chat sender in
	 * the main session is still judged on their own (session_resolve). It
	 * gains nothing a sessionKey alone would not give, and it says who is
	 * not the owner.
	 */
	sr->rq.session_key = origin != NULL && sr->names_chat ? NULL : sr->session_key;
	return 0;
}

/* ---- the cache ---- */

/*
 * Open addressing over a small index (hash, entry), emptied when three
 * quarters full: constant memory, room for the ten thousand sessions a busy
 * stream cycles through, and a probe that stays in the CPU's cache.
 */
#define CACHE_SLOTS 16384
#define CACHE_MAX   12288

#define FIELDS_INLINE 112 /* most requests' fields fit: one cache line less to miss */

struct entry {
	size_t len;
	char *fields;                      /* the request fields, as put_fields() writes them */
	char inline_fields[FIELDS_INLINE]; /* where they are when they fit */
	struct session_entry e;
};

struct session_cache {
	struct {
		unsigned hash;
		unsigned entry; /* 1 + index into entries; 0: free */
	} index[CACHE_SLOTS];
	struct entry *entries; /* grown as sessions come, to CACHE_MAX at most */
	unsigned used, cap;
	struct buf fields;
	struct session_info scratch;
};

static void put_field(struct buf *b, const char *s)
{
	/* A presence mark keeps an absent field apart from an empty one. */
	size_t n = s ? strlen(s) : 0;

	buf_reserve(b, n + 2);
	b->p[b->len++] = s ? '+' : '-';
	memcpy(b->p + b->len, s ? s : "", n);
	b->len += n;
	b->p[b->len++] = '\0';
	b->p[b->len] = '\0';
}

/* Every field session_resolve() reads, and nothing else. */
static void put_fields(const struct session_request *rq, struct buf *b)
{
	const char *const fields[] = { rq->agent,  rq->session_key, rq->channel, rq->account,
		                       rq->peer,   rq->thread,      rq->guild,   rq->team,
		                       rq->sender, rq->parent };

	buf_reset(b);
	buf_reserve(b, 2);
	b->p[b->len++] = rq->has_origin ? 'o' : 'n';
	b->p[b->len++] = (char)('0' + rq->chat);
	for (size_t i = 0; i < NELEM(fields); i++)
		put_field(b, fields[i]);
	for (size_t i = 0; i < rq->nroles; i++)
		put_field(b, rq->roles[i]);
}

struct session_cache *session_cache_new(void)
{
	return xcalloc(1, sizeof(struct session_cache));
}

void session_cache_free(struct session_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->cap; i++) {
		if (c->entries[i].fields != c->entries[i].inline_fields)
			free(c->entries[i].fields);
		session_info_free(&c->entries[i].e.si);
		buf_free(&c->entries[i].e.text);
	}
	free(c->entries);
	buf_free(&c->fields);
	session_info_free(&c->scratch);
	free(c);
}

/* A word at a time; memcmp() decides, the hash only spreads. */
static unsigned fields_hash(const struct buf *b)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ b->len, w;
	size_t i = 0;

	for (; i + 8 <= b->len; i += 8) {
		memcpy(&w, b->p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	for (; i < b->len; i++)
		h = (h ^ (unsigned char)b->p[i]) * 0xc4ceb9fe1a85ec53u;
	h ^= h >> 29;
	h *= 0x94d049bb133111ebu;
	h ^= h >> 32;
	return (unsigned)h;
}

/* The index slot of the fields in C->fields: theirs, or the free one to take. */
static unsigned cache_find(const struct session_cache *c, unsigned hash)
{
	for (unsigned i = hash % CACHE_SLOTS;; i = (i + 1) % CACHE_SLOTS) {
		unsigned e = c->index[i].entry;
		if (e == 0)
			return i;
		const struct entry *en = &c->entries[e - 1];
		if (c->index[i].hash == hash && en->len == c->fields.len &&
		    memcmp(en->fields, c->fields.p, en->len) == 0)
			return i;
	}
}

struct session_entry *session_cache_resolve(struct session_cache *c, struct session_settings *s,
                                            const struct session_request *rq)
{
	put_fields(rq, &c->fields);
	unsigned hash = fields_hash(&c->fields);
	unsigned i = cache_find(c, hash);
	if (c->index[i].entry != 0)
		return &c->entries[c->index[i].entry - 1].e;
	if (session_resolve(s, rq, &c->scratch) < 0)
		return NULL;
	if (c->used == CACHE_MAX) {
		/* Start over rather than grow; the entries keep their buffers. */
		memset(c->index, 0, sizeof(c->index));
		c->used = 0;
		i = cache_find(c, hash);
	}
	if (c->used == c->cap) {
		/* Grown, not made whole at once: memory follows the sessions seen.
		 * An entry's inline fields move with it: point them anew. */
		unsigned cap = c->cap ? 2 * c->cap : 64;
		c->entries =
		    xrealloc(c->entries, (cap < CACHE_MAX ? cap : CACHE_MAX) * sizeof(*c->entries));
		for (unsigned k = 0; k < c->cap; k++)
			if (c->entries[k].len <= FIELDS_INLINE)
				c->entries[k].fields = c->entries[k].inline_fields;
		memset(c->entries + c->cap, 0,
		       ((cap < CACHE_MAX ? cap : CACHE_MAX) - c->cap) * sizeof(*c->entries));
		c->cap = cap < CACHE_MAX ? cap : CACHE_MAX;
	}
	struct entry *en = &c->entries[c->used];
	/* The entry's old info becomes the next scratch. */
	struct session_info old = en->e.si;
	en->e.si = c->scratch;
	c->scratch = old;
	buf_reset(&en->e.text);
	if (en->fields != en->inline_fields)
		free(en->fields);
	en->fields = c->fields.len <= FIELDS_INLINE ? en->inline_fields : xmalloc(c->fields.len);
	memcpy(en->fields, c->fields.p, c->fields.len);
	en->len = c->fields.len;
	c->index[i].hash = hash;
	c->index[i].entry = ++c->used;
	return &en->e;
}
