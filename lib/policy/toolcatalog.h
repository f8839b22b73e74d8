/*
 * toolcatalog.h: OpenClaw's core tool catalog as data: tools, groups,
 * profiles, aliases, owner-only tools, the sandbox's default lists and the
 * subagent deny lists. Everything lives in lib/toolcatalog.c, one table per
 * kind of fact, so following a new OpenClaw release is a change to one file.
 */
#ifndef CLAW_TOOLCATALOG_H
#define CLAW_TOOLCATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

/* Profiles that include a tool (bits of catalog_tool.profiles). */
enum {
	PROFILE_MINIMAL = 1 << 0,
	PROFILE_CODING = 1 << 1,
	PROFILE_MESSAGING = 1 << 2,
};

/* What else OpenClaw says about a tool (bits of catalog_tool.flags). */
enum {
	TOOL_OWNER_ONLY = 1 << 0,      /* removed when the sender is not the owner */
	TOOL_SANDBOX_ALLOW = 1 << 1,   /* in the sandbox's default allow list */
	TOOL_SANDBOX_DENY = 1 << 2,    /* in the sandbox's default deny list */
	TOOL_SUBAGENT_ALWAYS = 1 << 3, /* denied to every subagent */
	TOOL_SUBAGENT_LEAF = 1 << 4,   /* denied to leaf subagents too */
	TOOL_NOT_OPENCLAW = 1 << 5,    /* not a member of group:openclaw */
	TOOL_GATED = 1 << 6,           /* exists only with swarm or GitHub publication enabled */
};

struct catalog_tool {
	const char *name;
	const char *group; /* its section group, "group:fs", ... */
	unsigned profiles;
	unsigned flags;
	const char *why; /* what the tool does, and why its flags are what they are */
};

struct catalog_group {
	const char *name;
	bool section; /* one of the catalog's sections; else it spans them */
	const char *why;
};

struct catalog_profile {
	const char *name;
	unsigned bit;         /* 0: "full", which allows everything */
	const char *extra[2]; /* non-core allow entries (plugin ids), NULL-terminated */
	const char *why;
};

/* A name that means another (normalizeToolName), or that a policy list
 * expands to more names (renames, families). */
struct catalog_alias {
	const char *from;
	const char *to[3]; /* NULL-terminated */
	const char *why;
};

extern const struct catalog_tool catalog_tools[];
extern const unsigned catalog_ntools;
extern const struct catalog_group catalog_groups[];
extern const unsigned catalog_ngroups;
extern const struct catalog_profile catalog_profiles[];
extern const unsigned catalog_nprofiles;
extern const struct catalog_alias catalog_aliases[]; /* every name, every list */
extern const unsigned catalog_naliases;
extern const struct catalog_alias catalog_list_renames[]; /* inside policy lists */
extern const unsigned catalog_nlist_renames;
extern const struct catalog_alias catalog_sandbox_deny_expand[]; /* sandbox deny lists only */
extern const unsigned catalog_nsandbox_deny_expand;
extern const char *const catalog_channel_ids[]; /* the sandbox's default deny, after the tools */
extern const unsigned catalog_nchannel_ids;
extern const char *const catalog_known_names[]; /* non-core names policy lists may use */
extern const unsigned catalog_nknown_names;
extern const char catalog_version[];
extern const char *const catalog_tools_keys[]; /* what "tools" may hold, NULL-terminated */

/*
 * A tool of another agent runtime (Claude Code) and the OpenClaw tool that
 * claw judges it as, so that one policy covers both runtimes.
 */
struct catalog_runtime_tool {
	const char *runtime; /* "claude-code" */
	const char *name;    /* the runtime's tool; a trailing '*' matches any name it starts */
	const char *tool;    /* OpenClaw's tool; NULL: judged by the runtime's own name */
	const char *why;
};
extern const struct catalog_runtime_tool catalog_runtime_tools[];
extern const unsigned catalog_nruntime_tools;
/* The row for RUNTIME's tool NAME (case matters, as the runtime spells it), or NULL. */
const struct catalog_runtime_tool *catalog_runtime_tool(const char *runtime, const char *name);

/* The tool that the sandbox adds to every non-empty allow list it builds. */
extern const char catalog_sandbox_implied[];
/* A subagent this deep (or deeper) is a leaf, unless the config says otherwise. */
extern const int catalog_max_spawn_depth;

/* Bits over the catalog, one per tool, in catalog order. */
#define TOOLSET_WORDS 2
struct toolset {
	uint64_t w[TOOLSET_WORDS];
};

static inline bool toolset_has(const struct toolset *s, unsigned i)
{
	return (s->w[i / 64] >> (i % 64)) & 1;
}

static inline void toolset_add(struct toolset *s, unsigned i)
{
	s->w[i / 64] |= (uint64_t)1 << (i % 64);
}

static inline bool toolset_empty(const struct toolset *s)
{
	for (unsigned i = 0; i < TOOLSET_WORDS; i++)
		if (s->w[i] != 0)
			return false;
	return true;
}

/* The tool whose allowance in an allow list carries TOOL's too, or NULL. */
const char *catalog_allowed_with(const char *tool);
/* The index of a canonical core tool name, or -1. */
int catalog_find(const char *name);
/* The index of a group name ("group:fs"), or -1. */
int catalog_find_group(const char *name);
/* The members of a group. */
void catalog_group_members(unsigned group, struct toolset *out);
/* The profile of that name, or NULL. */
const struct catalog_profile *catalog_find_profile(const char *name);
bool catalog_is_channel_id(const char *name);
/* An alias's target ("bash" -> "exec"), or NAME itself. */
const char *catalog_alias_of(const char *name);

/* OpenClaw's normalizeToolPolicyName into OUT: trimmed, lower-cased, aliased.
 * Returns the catalog index of the name, or -1. */
int catalog_norm_name(const char *s, struct buf *out);
/* The same into a fixed buffer. */
int catalog_normalize(const char *name, char *out, size_t size);
/* Whether a record's tool is exec as OpenClaw reads tool names: " Bash " is
 * exec too, so every stage that acts on exec must ask this, not strcmp. */
bool catalog_is_exec(const char *tool);

#endif
