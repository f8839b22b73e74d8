/* session.h: OpenClaw's session keys, main-session rule, sandbox scope keys and slugs. */
#ifndef CLAW_SESSION_H
#define CLAW_SESSION_H

#include <stdbool.h>

#include "core/config.h"
#include "core/ids.h"
#include "core/util.h"

#define SESSION_SLUG_MAX 48   /* "workspace-" + 32 hex, or 32 + "-" + 8 hex; + NUL */
#define SESSION_KEY_MAX  1024 /* longest session key accepted in a record */

/*
 * OpenClaw's slug of a sandbox scope key. A key that ends in
 * ":workspace:<32 hex>" (every scope key since OpenClaw binds sandboxes to
 * the agent's workspace) gives "workspace-" and the first 32 hex of its
 * SHA-256. Any other: lower-cased, runs outside [a-z0-9._-] as "-", trimmed of
 * "-", cut to 32 ("session" when empty), then "-" and 8 hex of its SHA-256.
 */
void session_slug(const char *key, char out[SESSION_SLUG_MAX]);

enum chat_kind { CHAT_DIRECT, CHAT_GROUP, CHAT_CHANNEL };

/* Who is asking, as the record says. Absent strings are NULL. */
struct session_request {
	const char *agent;       /* "agent" */
	const char *session_key; /* "sessionKey": cron, subagent, hook keys */
	bool has_origin;         /* no origin: the local operator, on the main session */
	const char *channel, *account, *peer, *thread, *guild, *team;
	const char *sender;       /* who wrote: names a DM's sender for the policy key */
	const char *parent;       /* the parent conversation of a thread, for bindings */
	const char *const *roles; /* the sender's roles (Discord), for bindings */
	size_t nroles;
	enum chat_kind chat;
};

struct binding;
struct agent_sandbox;

/* The session settings of a config, read and checked once. */
struct session_settings {
	const struct config *cfg;
	const char *dm_scope;    /* main | per-peer | per-channel-peer | per-account-channel-peer */
	const char *group_scope; /* per-group | main */
	bool global;             /* session.scope = "global" */
	char *main_key;          /* session.mainKey, lower-cased; "main" */
	const cJSON *identity_links;
	struct binding *bindings;
	size_t nbindings;
	bool roster;                        /* agents.list or agents.entries exists */
	char default_agent[SESSION_ID_MAX]; /* "" when the config names no default */
	char *no_default;                   /* why, then */
	struct agent_sandbox *agents;       /* slot 0: the defaults, then each roster entry */
	unsigned nagents;
};

struct session_info {
	char agent[SESSION_ID_MAX];
	struct buf key;        /* the conversation's session key */
	struct buf main_key;   /* the agent's main key (or "global") */
	struct buf policy_key; /* the key sandbox and tool policy judge (see session.c) */
	struct buf
	    scope_key;     /* sandbox scope key: <key>:workspace:<hash>, agent:<id>:..., shared */
	unsigned depth;    /* subagents below the agent in policy_key (session_subagent_depth) */
	bool main;         /* policy_key is the agent's main session */
	bool sandboxed;    /* the agent's sandbox mode puts this session in a sandbox */
	const char *mode;  /* off | non-main | all */
	const char *scope; /* session | agent | shared */
	const char *matched_by; /* which binding tier chose the agent, or "default" / "record" */
	char slug[SESSION_SLUG_MAX];
};

/* Reads and checks session.*, bindings, the roster and every agent's sandbox
 * mode and scope. Returns 0 or -1 with claw_error() as FILE:LINE:COL: message. */
int session_settings_load(struct session_settings *s, const struct config *cfg);
void session_settings_free(struct session_settings *s);

/*
 * Computes the session of one request. Returns 0, or -1 with claw_error() when
 * the request cannot name a session (an agent that is not configured, a
 * sessionKey of another agent, no default agent, ...): the record is then
 * denied.
 */
int session_resolve(struct session_settings *s, const struct session_request *rq,
                    struct session_info *out);
void session_info_free(struct session_info *si);

/* OpenClaw's getSubagentDepth for a key whose rest starts with "subagent:"
 * (isSubagentSessionKey): how many "subagent:" segments it holds; else 0. */
unsigned session_subagent_depth(const char *key);

/*
 * OpenClaw's resolveSandboxScope, the one rule for a sandbox's scope:
 * sandbox.scope (an agent's, AGENT_SB, over agents.defaults', DEFAULTS_SB;
 * either may be NULL), else the retired perSession (true: "session", false:
 * "shared"), else "agent". The schema refuses perSession, so the stages never
 * run with it; claw-audit check, which reads a refused config, means what
 * they would once it is renamed as the schema says. 0, or -1 (cfg_error).
 */
int session_sandbox_scope(const struct config *cfg, const cJSON *agent_sb, const cJSON *defaults_sb,
                          const char **scope);

/* The sandbox mode and scope of AGENT (normalised id). */
void session_agent_sandbox(const struct session_settings *s, const char *agent, const char **mode,
                           const char **scope);

/* ---- a record's request (request.c): one reader for every stage ---- */

#define SESSION_MAX_ROLES 64

/* What a record says about who is asking. Valid while the record is. */
struct session_record {
	/* With an origin that names the chat, rq.session_key is NULL: the origin decides. */
	struct session_request rq;
	const char *session_key; /* the record's "sessionKey", origin or not */
	bool owner;              /* origin.owner, or no origin: the local operator */
	bool names_chat;         /* the origin names the chat, not only who asks */
	char ids[10][32];        /* numeric ids, written as text */
	const char *roles[SESSION_MAX_ROLES];
};

/*
 * Reads "agent", "sessionKey" and "origin" of ROOT as every stage reads them.
 * Returns 0, or -1 with claw_error() for a member of the wrong type or a chat
 * kind OpenClaw does not know.
 */
int session_record_read(const cJSON *root, struct session_record *sr);
/* The same, from the members a stage has already picked (NULL: absent). */
int session_record_read_members(const cJSON *agent, const cJSON *session_key, const cJSON *origin,
                                struct session_record *sr);

/* OpenClaw's normalizeChatType: trimmed, in any case; "dm" is "direct". */
int session_chat_kind(const char *s, enum chat_kind *kind);

/*
 * Streams repeat their sessions: a cache of resolved sessions, keyed by the
 * request fields the session depends on, in constant memory. TEXT is the
 * caller's, empty when the entry is new (claw-session keeps its member there).
 */
struct session_entry {
	struct session_info si;
	struct buf text;
};
struct session_cache;

struct session_cache *session_cache_new(void);
void session_cache_free(struct session_cache *c);
/* The session of RQ, computed or remembered; NULL with claw_error() when the
 * request cannot name one (not remembered: such denials stay explicit). Valid
 * until the next call. */
struct session_entry *session_cache_resolve(struct session_cache *c, struct session_settings *s,
                                            const struct session_request *rq);

#endif
