/*
 * toolpolicy.h: OpenClaw's layered tool policy (tools.*), compiled once from
 * the config and evaluated per request context.
 *
 * A context is everything besides the tool that the layers depend on: the
 * agent, the byProvider entries the model selects, the group and sender
 * policies, the sandbox, the subagent role and whether the sender is the
 * owner. Each context is compiled once into per-tool verdicts over the
 * catalog; a stream of records then only looks them up.
 */
#ifndef CLAW_TOOLPOLICY_H
#define CLAW_TOOLPOLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "policy/toolcatalog.h"
#include "core/util.h"

/* The layers, in OpenClaw 2026.9.6's order (conversation-tool-policy-pipeline). */
enum tp_layer {
	TP_PROFILE,          /* tools.profile (+ alsoAllow) */
	TP_PROVIDER_PROFILE, /* tools.byProvider[..].profile (+ its alsoAllow) */
	TP_GLOBAL,           /* tools.allow / alsoAllow / deny */
	TP_GLOBAL_PROVIDER,  /* tools.byProvider[..].allow / deny */
	TP_AGENT,            /* agents.list[].tools.allow / deny */
	TP_AGENT_PROVIDER,   /* agents.list[].tools.byProvider[..] */
	TP_GROUP,            /* channels.<c>.groups.<id>.tools / toolsBySender */
	TP_SENDER,           /* tools.toolsBySender (agent's, else global) */
	TP_SANDBOX,          /* tools.sandbox.tools, only when sandboxed */
	TP_OWNER,            /* owner-only tools, only when the sender is not the owner */
	TP_SUBAGENT,         /* subagent deny lists, only for subagent sessions */
	TP_NLAYERS
};

/* "profile", "provider-profile", ...: the names in policy.layer. */
extern const char *const tp_layer_ids[TP_NLAYERS];

enum tp_role { TP_ROLE_MAIN, TP_ROLE_ORCHESTRATOR, TP_ROLE_LEAF };

/* One entry of a policy list, as the config (or OpenClaw's defaults) wrote it. */
struct tp_item {
	const char *text;     /* trimmed, as written: "group:runtime", "web_*" */
	const char *key;      /* where it comes from: "tools.deny", "agents.list[1].tools.allow" */
	bool builtin;         /* from OpenClaw's built-in lists, not the config */
	bool all;             /* matches everything ("*") */
	bool plugin_scope;    /* a deny entry no core tool answers to: may name a plugin */
	struct toolset tools; /* catalog tools it matches */
	char **pats;          /* normalised patterns (aliases, groups, renames applied) */
	unsigned npats;
};

struct tp_list {
	const struct tp_item **items;
	size_t n, cap;
};

/* One layer's policy in one context: OpenClaw's {allow, deny}. */
struct tp_rule {
	bool active;           /* the layer applies here */
	bool has_allow;        /* an allow list was given (it may still allow all) */
	const char *allow_key; /* the allow list's config key, for messages */
	const char *deny_key;
	const char *profile; /* the profile's name, in a profile layer */
	struct tp_list allow, deny;
};

/* What a context says about one tool. */
struct tp_verdict {
	bool allowed;
	enum tp_layer layer;        /* the layer that denied, or whose allow list admitted */
	bool decided_by_layer;      /* false: allowed and no allow list restricts the tool */
	const struct tp_item *item; /* the entry that matched, or NULL (not in an allow list) */
	const char *via; /* admitted because the list allows this tool (apply_patch: write) */
};

/* The request, as far as tool policy needs it. Strings may be NULL. */
struct tp_request {
	const char *agent; /* normalised agent id */
	const char *key;   /* the conversation's session key (group context) */
	unsigned depth;    /* subagent depth of the key policy judges (session_info.depth) */
	const char *mode;  /* the agent's sandbox mode, for messages */
	bool sandboxed;
	bool owner;
	const char *provider, *model; /* model.provider, model.id */
	const char *channel, *account, *sender;
};

struct tp_config;
struct tp_context;

/*
 * Reads and checks every tools.* key (and the agents' and channels' tool
 * policies). Returns NULL with claw_error() as FILE:LINE:COL: message for a
 * config error; unknown tool names are warnings on stderr, once each.
 */
struct tp_config *tp_load(const struct config *cfg);
void tp_free(struct tp_config *tc);

/*
 * The compiled context of a request: cached, so the same context is compiled
 * once. Valid until the next tp_context_of() call (the cache may evict).
 */
struct tp_context *tp_context_of(struct tp_config *tc, const struct tp_request *rq);

/* The verdict for a tool name (any spelling: trimmed, case and aliases). */
void tp_decide(const struct tp_context *cx, const char *tool, struct tp_verdict *v);
/* The rule of one layer in a context, for explain. */
const struct tp_rule *tp_rule_of(const struct tp_context *cx, enum tp_layer layer);
/* How a single layer judges a tool: 1 allows, 0 denies (v says why). */
bool tp_layer_allows(const struct tp_rule *r, const char *name, int idx, struct tp_verdict *v);

/*
 * The policy member and, for a denial, the deny reason, as JSON text. For a
 * catalog tool these are made once per context and returned from the cache.
 */
void tp_member(struct tp_context *cx, const char *tool, const char **policy_json,
               size_t *policy_len, const char **deny_json, size_t *deny_len);

/* Sentences for people: the reason, the rule, a fix. Append to B. */
void tp_reason(const struct tp_context *cx, const char *tool, const struct tp_verdict *v,
               struct buf *b);
void tp_rule_text(const struct tp_context *cx, const struct tp_verdict *v, struct buf *b);
void tp_fix(const struct tp_context *cx, const char *tool, const struct tp_verdict *v,
            struct buf *b);

/* The context's subagent role, depth and the leaf depth, for explain. */
enum tp_role tp_context_role(const struct tp_context *cx, unsigned *depth, unsigned *max_depth);

/*
 * A list of tool names at PATH.NAME in the config, read exactly as OpenClaw
 * reads its policy lists (trimmed, any case, aliases, group:NAME, * globs;
 * an unknown group is an error, an unknown name a warning): for claw's own
 * keys that name tools (approvals.tools). Absent, it is empty. NULL with
 * claw_error() (FILE:LINE:COL) for a config error.
 */
struct tp_names;
struct tp_names *tp_names_load(const struct config *cfg, const char *path, const char *name);
bool tp_names_empty(const struct tp_names *n);
/* Whether the list names TOOL (any spelling OpenClaw accepts for it). */
bool tp_names_has(const struct tp_names *n, const char *tool);
void tp_names_free(struct tp_names *n);

#endif
