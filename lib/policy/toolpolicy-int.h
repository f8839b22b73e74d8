/*
 * toolpolicy-int.h: what the two halves of the tool policy share, and no one
 * else: toolconfig.c reads tools.* into compiled items and policies;
 * toolpolicy.c judges requests with them.
 */
#ifndef CLAW_TOOLPOLICY_INT_H
#define CLAW_TOOLPOLICY_INT_H

#include <stdbool.h>

#include "session/session.h"
#include "policy/toolpolicy.h"
#include "core/strvec.h"

#define CACHE_SLOTS 1024 /* compiled contexts kept; a full table is emptied */
#define CACHE_MAX   768

/* ---- the compiled config ---- */

/* A policy list of the config: "tools.allow" and the like. */
struct plist {
	bool defined; /* present as an array */
	int raw_n;    /* its length as written, blank entries included */
	const cJSON *node;
	char *key;
	struct tp_list list;
};

/* A name list of claw's own keys (tp_names_load): its items live in TC. */
struct tp_names {
	struct tp_config *tc;
	struct plist pl;
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
	size_t nlists, caplists;
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
	struct strvec warned;
	struct tp_context *cache[CACHE_SLOTS];
	unsigned ncached;
	struct buf scratch, scratch2, unknown;
};

/* '*' matches any run of characters; everything else is literal. */
bool tp_glob(const char *pat, const char *s);
/* OpenClaw's normalizeToolProviderPolicyKey. Allocated. */
char *tp_provider_key(const char *raw);
/* A toolsBySender key or sender: trimmed, lower-cased, "@" dropped when STRIP_AT. Allocated. */
char *tp_sender_norm(const char *s, bool strip_at);
/* Frees every compiled context. */
void tp_cache_clear(struct tp_config *tc);

#endif
