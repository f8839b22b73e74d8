/*
 * toolcatalog.c: OpenClaw 2026.9.6's tool catalog, the one place claw keeps it.
 *
 * Source of every row: the running code of openclaw@2026.9.6 (its dist/),
 * read and run:
 *   tools, groups, profiles   listCoreToolSections, CORE_TOOL_GROUPS,
 *                             resolveCoreToolProfilePolicy (tool-catalog-*)
 *   aliases, renames          TOOL_NAME_ALIASES, SHIPPED_CORE_POLICY_RENAMES,
 *                             SHIPPED_PLUGIN_POLICY_FAMILY_CORE_TOOLS
 *   owner-only                GATEWAY_OWNER_ONLY_CORE_TOOLS (dangerous-tools-*)
 *   sandbox defaults          DEFAULT_TOOL_ALLOW, DEFAULT_TOOL_DENY, CHANNEL_IDS
 *   subagent lists            SUBAGENT_TOOL_DENY_ALWAYS, SUBAGENT_TOOL_DENY_LEAF
 *
 * To follow a new release: edit the rows below (and catalog_version), run
 * `make check`. Nothing else in claw names a tool.
 */
#include "policy/toolcatalog.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

const char catalog_version[] = "openclaw 2026.9.6";

/*
 * The keys OpenClaw 2026.9.6's ToolsSchema allows under "tools" (a strict
 * zod object: any other key makes OpenClaw refuse the config). claw warns.
 */
const char *const catalog_tools_keys[] = {
	"profile",       "allow",         "alsoAllow",      "deny",       "byProvider",
	"toolsBySender", "web",           "github",         "media",      "links",
	"sessions",      "loopDetection", "toolSearch",     "codeMode",   "swarm",
	"message",       "agentToAgent",  "elevated",       "exec",       "fs",
	"subagents",     "sandbox",       "sessions_spawn", "updatePlan", NULL,
};

/* resolveSandboxToolPolicyForAgent: view_image joins every non-empty allow list. */
const char catalog_sandbox_implied[] = "view_image";
/* resolveStoredSubagentCapabilities: agents.defaults.subagents.maxSpawnDepth ?? 5. */
const int catalog_max_spawn_depth = 5;

#define C  PROFILE_CODING
#define M  PROFILE_MESSAGING
#define MI PROFILE_MINIMAL

#define OWNER  TOOL_OWNER_ONLY
#define SB_OK  TOOL_SANDBOX_ALLOW
#define SB_NO  TOOL_SANDBOX_DENY
#define SUB    TOOL_SUBAGENT_ALWAYS
#define LEAF   TOOL_SUBAGENT_LEAF
#define NOT_OC TOOL_NOT_OPENCLAW
#define GATED  TOOL_GATED

/*
 * The 61 core tools in catalog order. Columns: name, section group, the
 * profiles that include it, OpenClaw's other lists it is on, and why.
 * Flags mean: OWNER owner-only, SB_OK/SB_NO the sandbox's default allow/deny,
 * SUB denied to every subagent, LEAF denied to leaf subagents, NOT_OC not in
 * group:openclaw, GATED hidden unless swarm or GitHub publication is on.
 */
const struct catalog_tool catalog_tools[] = {
	/* group:fs: the workspace's files */
	{ "ls", "group:fs", C, SB_OK | NOT_OC, "lists files" },
	{ "read", "group:fs", C, SB_OK | NOT_OC, "reads files" },
	{ "write", "group:fs", C, SB_OK | NOT_OC, "writes files" },
	{ "edit", "group:fs", C, SB_OK | NOT_OC, "edits files" },
	{ "apply_patch", "group:fs", C, SB_OK | NOT_OC,
	  "writes files through a patch; an allow list that allows write allows it" },
	/* group:runtime: running code */
	{ "exec", "group:runtime", C, SB_OK | NOT_OC, "runs shell commands" },
	{ "process", "group:runtime", C, SB_OK | NOT_OC, "manages background processes" },
	{ "code_execution", "group:runtime", C, 0, "runs code" },
	{ "secrets", "group:runtime", C | M, 0, "reads configured secrets" },
	/* group:web */
	{ "web_search", "group:web", C, 0, "searches the web" },
	{ "web_fetch", "group:web", C, 0, "fetches web pages" },
	{ "x_search", "group:web", C, 0, "searches X" },
	/* group:memory: long-term memory, shared across sessions */
	{ "memory_search", "group:memory", C, 0, "searches long-term memory" },
	{ "memory_get", "group:memory", C, 0, "reads long-term memory" },
	/* group:sessions: other sessions and subagents */
	{ "sessions", "group:sessions", C | M, OWNER, "manages sessions (owner-only)" },
	{ "sessions_list", "group:sessions", C | M, SB_OK | LEAF,
	  "lists sessions; a leaf subagent has none to manage" },
	{ "sessions_history", "group:sessions", C | M, SB_OK | LEAF,
	  "reads another session's history; not for leaf subagents" },
	{ "sessions_search", "group:sessions", C | M, SB_OK | LEAF,
	  "searches sessions; not for leaf subagents" },
	{ "conversations_list", "group:sessions", C | M, OWNER | SUB,
	  "lists conversations (owner-only; never from a subagent)" },
	{ "conversations_send", "group:sessions", C | M, OWNER | SUB,
	  "posts into a conversation (owner-only; never from a subagent)" },
	{ "conversations_turn", "group:sessions", C | M, OWNER | SUB,
	  "drives a conversation turn (owner-only; never from a subagent)" },
	{ "sessions_send", "group:sessions", C | M, SB_OK | SUB,
	  "sends to another session; subagents report through their parent" },
	{ "sessions_spawn", "group:sessions", C | M, SB_OK | LEAF,
	  "spawns a subagent; a leaf subagent may not spawn" },
	{ "github_identity_status", "group:sessions", C, GATED,
	  "GitHub identity (only with GitHub publication)" },
	{ "github_publish", "group:sessions", C, GATED,
	  "publishes to GitHub (only with GitHub publication)" },
	{ "agents_wait", "group:sessions", C, GATED, "waits for agents (only with swarm)" },
	{ "sessions_yield", "group:sessions", C | M, SB_OK, "yields the turn" },
	{ "subagents", "group:sessions", C | M, SB_OK | LEAF,
	  "manages subagents; a leaf subagent has none" },
	{ "session_status", "group:sessions", MI | C | M, SB_OK | SUB,
	  "reports the session's status; the parent coordinates subagents" },
	{ "suggest_task", "group:sessions", C, 0, "suggests a task" },
	{ "dismiss_task", "group:sessions", C, 0, "dismisses a task" },
	/* group:ui */
	{ "browser", "group:ui", 0, SB_NO, "drives a browser; never inside a sandbox by default" },
	{ "screen", "group:ui", C, OWNER, "sees the screen (owner-only)" },
	{ "theme", "group:ui", C | M, 0, "UI theme" },
	{ "dashboard", "group:ui", C, 0, "dashboard" },
	{ "terminal", "group:ui", C, OWNER, "a terminal (owner-only)" },
	{ "portal", "group:ui", C, OWNER, "portal (owner-only)" },
	{ "canvas", "group:ui", 0, SB_NO | NOT_OC,
	  "canvas; never inside a sandbox by default; not in group:openclaw" },
	{ "show_widget", "group:ui", 0, 0, "shows a widget; part of the canvas family" },
	/* group:messaging */
	{ "message", "group:messaging", M, SUB,
	  "sends chat messages; subagents report through their parent" },
	/* group:automation: the gateway's control plane */
	{ "heartbeat_respond", "group:automation", 0, 0, "answers heartbeats" },
	{ "automations", "group:automation", C, OWNER | SB_NO | SUB,
	  "scheduled jobs (cron): control plane, owner-only, not in sandboxes or subagents" },
	{ "gateway", "group:automation", MI | C | M, OWNER | SB_NO | SUB,
	  "controls the gateway: control plane, owner-only, not in sandboxes or subagents" },
	{ "plugins", "group:automation", C, OWNER, "manages plugins: control plane, owner-only" },
	{ "openclaw", "group:automation", 0, OWNER | SUB,
	  "drives OpenClaw itself (owner-only; never from a subagent)" },
	/* group:nodes: other devices */
	{ "nodes", "group:nodes", 0, OWNER | SB_NO,
	  "remote nodes (owner-only; not in sandboxes by default)" },
	{ "computer", "group:nodes", 0, OWNER | SB_NO,
	  "controls a computer (owner-only; not in sandboxes by default)" },
	{ "mobile_ui", "group:nodes", 0, OWNER | SB_NO,
	  "controls a phone (owner-only; not in sandboxes by default)" },
	/* group:agents */
	{ "agents_list", "group:agents", 0, SUB, "lists agents; not for subagents" },
	{ "get_goal", "group:agents", C, 0, "reads the goal" },
	{ "create_goal", "group:agents", C, 0, "creates a goal" },
	{ "update_goal", "group:agents", C, 0, "updates a goal" },
	{ "progress_card", "group:agents", C, SUB,
	  "the progress card (was update_plan); the parent keeps it" },
	{ "ask_user", "group:agents", C | M, 0, "asks the user" },
	{ "skill_workshop", "group:agents", C, 0, "skill workshop" },
	/* group:media */
	{ "view_image", "group:media", C, SB_OK,
	  "views an image; the sandbox adds it to any allow list it builds" },
	{ "image_generate", "group:media", C, 0, "generates images" },
	{ "music_generate", "group:media", C, 0, "generates music" },
	{ "video_generate", "group:media", C, 0, "generates video" },
	{ "tts", "group:media", 0, 0, "text to speech" },
	{ "pdf", "group:media", 0, 0, "reads PDFs" },
};
const unsigned catalog_ntools = NELEM(catalog_tools);

_Static_assert(NELEM(catalog_tools) <= (size_t)TOOLSET_WORDS * 64, "grow TOOLSET_WORDS");

/* The 12 groups of CORE_TOOL_GROUPS. Members come from the rows above:
 * a section group holds its section, group:openclaw every tool not NOT_OC. */
const struct catalog_group catalog_groups[] = {
	{ "group:fs", true, "the workspace's files" },
	{ "group:runtime", true, "running commands and code" },
	{ "group:web", true, "the web" },
	{ "group:memory", true, "long-term memory" },
	{ "group:sessions", true, "sessions, conversations and subagents" },
	{ "group:ui", true, "browser, screen and canvas" },
	{ "group:messaging", true, "chat messages" },
	{ "group:automation", true, "scheduled jobs and the gateway's control plane" },
	{ "group:nodes", true, "other devices" },
	{ "group:agents", true, "agents, goals and the user" },
	{ "group:media", true, "images, sound, video, PDFs" },
	{ "group:openclaw", false, "every core tool but files, exec, process and canvas" },
};
const unsigned catalog_ngroups = NELEM(catalog_groups);

/* Built-in profiles: allow lists only, none has a deny list. coding and
 * messaging also allow the MCP bundle's tools ("bundle-mcp", a plugin id). */
const struct catalog_profile catalog_profiles[] = {
	{ "minimal", PROFILE_MINIMAL, { NULL }, "session status and the gateway only" },
	{ "coding",
	  PROFILE_CODING,
	  { "bundle-mcp", NULL },
	  "files, runtime, web, sessions, media" },
	{ "messaging",
	  PROFILE_MESSAGING,
	  { "bundle-mcp", NULL },
	  "messages, sessions, secrets, the gateway" },
	{ "full", 0, { NULL }, "everything (\"*\")" },
};
const unsigned catalog_nprofiles = NELEM(catalog_profiles);

/* normalizeToolName's aliases: the only three. shell, sh, spawn and fs_write
 * are not aliases and stay themselves. */
const struct catalog_alias catalog_aliases[] = {
	{ "bash", { "exec", NULL }, "TOOL_NAME_ALIASES" },
	{ "apply-patch", { "apply_patch", NULL }, "TOOL_NAME_ALIASES" },
	{ "cron", { "automations", NULL }, "TOOL_NAME_ALIASES: cron became automations" },
};
const unsigned catalog_naliases = NELEM(catalog_aliases);

/* Names a policy list expands (expandShippedCoreToolPolicyNames). */
const struct catalog_alias catalog_list_renames[] = {
	{ "update_plan", { "progress_card", NULL }, "SHIPPED_CORE_POLICY_RENAMES" },
	{ "canvas", { "canvas", "show_widget", NULL }, "SHIPPED_PLUGIN_POLICY_FAMILY_CORE_TOOLS" },
};
const unsigned catalog_nlist_renames = NELEM(catalog_list_renames);

/* A tool an allow list lets through when it allows another (from -> to[0]). */
static const struct catalog_alias allowed_with[] = {
	{ "apply_patch",
	  { "write", NULL },
	  "createToolPolicyMatcher (writeAllowsApplyPatch); it went with exec in older releases" },
};

/* Only in a sandbox deny list (resolveSandboxToolPolicyForAgent). */
const struct catalog_alias catalog_sandbox_deny_expand[] = {
	{ "image", { "image", "view_image", NULL }, "the old name of view_image" },
};
const unsigned catalog_nsandbox_deny_expand = NELEM(catalog_sandbox_deny_expand);

/* CHANNEL_IDS: a tool named after a chat channel is denied in a sandbox. */
const char *const catalog_channel_ids[] = {
	"feishu",         "googlechat", "nostr", "buzz",          "msteams", "mattermost",
	"nextcloud-talk", "matrix",     "raft",  "a2a",           "line",    "zalo",
	"clickclack",     "zalouser",   "sms",   "synology-chat", "tlon",    "discord",
	"imessage",       "irc",        "reef",  "signal",        "slack",   "telegram",
	"twitch",         "whatsapp",
};
const unsigned catalog_nchannel_ids = NELEM(catalog_channel_ids);

/* Entries a policy list may hold that name no core tool, yet mean something:
 * plugin groups OpenClaw builds at run time. No warning for these. */
const char *const catalog_known_names[] = {
	"bundle-mcp",                        /* the MCP bundle plugin (coding, messaging) */
	"__openclaw_default_plugin_tools__", /* DEFAULT_PLUGIN_TOOLS_ALLOWLIST_ENTRY */
	"group:plugins",                     /* every plugin tool, built at run time */
};
const unsigned catalog_nknown_names = NELEM(catalog_known_names);

/*
 * Claude Code's tools (PreToolUse's tool_name), each judged as the OpenClaw
 * tool that does the same thing, so tools.deny "group:fs" or a sandbox's
 * allow list mean the same for both runtimes. A name with no row is judged
 * by its own name, as a plugin's tool is.
 */
const struct catalog_runtime_tool catalog_runtime_tools[] = {
	{ "claude-code", "Bash", "exec", "runs a shell command: approvals and the sandbox apply" },
	{ "claude-code", "BashOutput", "process", "reads a background shell's output" },
	{ "claude-code", "KillShell", "process", "stops a background shell" },
	{ "claude-code", "KillBash", "process", "stops a background shell (the older name)" },
	{ "claude-code", "Read", "read", "reads a file" },
	{ "claude-code", "NotebookRead", "read", "reads a notebook" },
	{ "claude-code", "Grep", "read", "reads files' contents to search them" },
	{ "claude-code", "Glob", "ls", "lists files by pattern" },
	{ "claude-code", "LS", "ls", "lists a directory" },
	{ "claude-code", "Write", "write", "writes a file" },
	{ "claude-code", "Edit", "edit", "edits a file" },
	{ "claude-code", "MultiEdit", "edit", "edits a file in several places" },
	{ "claude-code", "NotebookEdit", "edit", "edits a notebook's cells" },
	{ "claude-code", "WebFetch", "web_fetch", "fetches a web page" },
	{ "claude-code", "WebSearch", "web_search", "searches the web" },
	{ "claude-code", "Task", "sessions_spawn", "starts a subagent" },
	{ "claude-code", "Agent", "sessions_spawn", "starts a subagent (the newer name of Task)" },
	{ "claude-code", "TodoWrite", "progress_card",
	  "keeps the task list (OpenClaw's update_plan)" },
	{ "claude-code", "AskUserQuestion", "ask_user", "asks the user" },
	{ "claude-code", "mcp__*", NULL,
	  "an MCP server's tool keeps its name: policy lists match it (\"mcp__*\")" },
};
const unsigned catalog_nruntime_tools = NELEM(catalog_runtime_tools);

/* ---- lookups ---- */

const struct catalog_runtime_tool *catalog_runtime_tool(const char *runtime, const char *name)
{
	for (unsigned i = 0; i < catalog_nruntime_tools; i++) {
		const struct catalog_runtime_tool *r = &catalog_runtime_tools[i];
		size_t len = strlen(r->name);
		if (strcmp(r->runtime, runtime) != 0)
			continue;
		if (r->name[len - 1] == '*' ? strncmp(r->name, name, len - 1) == 0
		                            : strcmp(r->name, name) == 0)
			return r;
	}
	return NULL;
}

int catalog_find_group(const char *name)
{
	for (unsigned i = 0; i < catalog_ngroups; i++)
		if (strcmp(catalog_groups[i].name, name) == 0)
			return (int)i;
	return -1;
}

void catalog_group_members(unsigned group, struct toolset *out)
{
	const char *name = catalog_groups[group].name;
	bool section = catalog_groups[group].section;

	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < catalog_ntools; i++) {
		const struct catalog_tool *t = &catalog_tools[i];
		if (section ? strcmp(t->group, name) == 0 : !(t->flags & TOOL_NOT_OPENCLAW))
			toolset_add(out, i);
	}
}

const struct catalog_profile *catalog_find_profile(const char *name)
{
	for (unsigned i = 0; i < catalog_nprofiles; i++)
		if (strcmp(catalog_profiles[i].name, name) == 0)
			return &catalog_profiles[i];
	return NULL;
}

bool catalog_is_channel_id(const char *name)
{
	for (unsigned i = 0; i < catalog_nchannel_ids; i++)
		if (strcmp(catalog_channel_ids[i], name) == 0)
			return true;
	return false;
}

const char *catalog_allowed_with(const char *tool)
{
	for (unsigned i = 0; i < NELEM(allowed_with); i++)
		if (strcmp(allowed_with[i].from, tool) == 0)
			return allowed_with[i].to[0];
	return NULL;
}

const char *catalog_alias_of(const char *name)
{
	for (unsigned i = 0; i < catalog_naliases; i++)
		if (strcmp(catalog_aliases[i].from, name) == 0)
			return catalog_aliases[i].to[0];
	return name;
}

/* ---- names, as OpenClaw normalises them ---- */

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

int catalog_find(const char *name)
{
	if (!name_table_ready)
		build_name_table();
	for (unsigned h = name_hash(name) % NAME_SLOTS; name_table[h].name != NULL;
	     h = (h + 1) % NAME_SLOTS)
		if (str_eq(name_table[h].name, name))
			return name_table[h].idx;
	return -1;
}

/* OpenClaw's normalizeToolPolicyName into OUT: trimmed, lower-cased, aliased.
 * Returns the catalog index of the name, or -1. */
int catalog_norm_name(const char *s, struct buf *out)
{
	const char *e;

	buf_reset(out);
	buf_reserve(out, 0);
	while (ascii_space(*s))
		s++;
	e = s + strlen(s);
	while (e > s && ascii_space(e[-1]))
		e--;
	buf_put(out, s, (size_t)(e - s));
	str_lower(out->p);
	int idx = catalog_find(out->p);
	if (idx >= 0)
		return idx; /* a core tool's name is nobody's alias */
	const char *alias = catalog_alias_of(out->p);
	if (alias == out->p)
		return -1;
	buf_reset(out);
	buf_puts(out, alias);
	return catalog_find(out->p);
}

int catalog_normalize(const char *name, char *out, size_t size)
{
	struct buf b = { 0 };
	int idx = catalog_norm_name(name, &b);

	snprintf(out, size, "%s", b.p);
	buf_free(&b);
	return idx;
}

bool catalog_is_exec(const char *tool)
{
	char name[16];

	if (strcmp(tool, "exec") == 0)
		return true;
	if (strlen(tool) >= 64) /* no spelling of exec is that long */
		return false;
	catalog_normalize(tool, name, sizeof(name));
	return strcmp(name, "exec") == 0;
}
