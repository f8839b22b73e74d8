/*
 * seccheck-int.h: what the files of claw-audit check share (lib/audit/check-*.c and
 * seccheck.c, which runs them): the context, the report helpers, and each file's
 * checks. Private to lib/audit.
 */
#ifndef CLAW_SECCHECK_INT_H
#define CLAW_SECCHECK_INT_H

#include "audit/seccheck.h"
#include "core/alloc.h"
#include "policy/toolpolicy.h"

struct rule;

/* One run of the checks: the config, what was asked, the report being filled. */
struct ctx {
	struct config *cfg;
	const cJSON *root;
	const struct check_opts *o;
	struct check_report *r;
	cJSON *approvals; /* exec-approvals.json, or NULL */
	char *approvals_path;
	char *log_path;
	struct tp_config *tp; /* claw-policy's compiled tool policy, or NULL (a config error) */
};

/* Dotted lookups that take a NULL node. */
static inline const cJSON *get(const cJSON *node, const char *dotted)
{
	return node ? cfg_get(node, dotted) : NULL;
}

static inline const char *sget(const cJSON *node, const char *dotted)
{
	const cJSON *v = get(node, dotted);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline bool is_true(const cJSON *node, const char *dotted)
{
	return cJSON_IsTrue(get(node, dotted));
}

static inline const char *agent_id(const cJSON *agent)
{
	return sget(agent, "id");
}

/* The contexts OpenClaw's exposure checks walk: agents.defaults, then each agent. */
struct tool_ctx {
	const cJSON *agent; /* NULL: agents.defaults */
	char label[160];
};

#define MAX_CONTEXTS 256

/* One unmet preset key: where to set it, what it is, what to set. */
struct gap {
	char path[160];
	char *have; /* JSON, or NULL: not set */
	char *want; /* JSON to set */
	const struct rule *rule;
};

struct gaps {
	struct gap *v;
	size_t n, cap;
};

/* Called for each channel section (a channel, or one of its accounts) with its key path. */
typedef void (*section_fn)(struct ctx *c, const char *channel, const cJSON *section,
                           const char *base, void *arg);

/* seccheck.c */
void detail_lines(struct buf *b, const struct strvec *l);
void report_add(struct ctx *c, const char *id, enum sev sev, const char *title, const char *detail,
                const char *remediation);
void report_addf(struct ctx *c, const char *id, enum sev sev, const char *title,
                 const char *remediation, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* A path's permissions, symlinks followed (symlink says it was one); !ok: missing. */
struct perm {
	bool ok, symlink, dir;
	unsigned bits;
};

/* check-fs.c */
struct perm perm_of(const char *path);
char *credentials_dir(const struct ctx *c);
void check_filesystem(struct ctx *c);
void check_audit_log(struct ctx *c);

/* check-channels.c */
void each_section(struct ctx *c, section_fn fn, void *arg);
const char *dm_policy(const cJSON *section, const char **key);
/* Every dmPolicy/groupPolicy set to "open", as OpenClaw lists them. */
void open_inbound(struct ctx *c, struct strvec *out);
void open_policies(struct ctx *c, struct strvec *out);
bool list_has_wildcard(const cJSON *list);
/* Entries of an allowFrom list, trimmed, non-empty, distinct (numbers as ids). */
size_t list_distinct(const cJSON *list, bool *wildcard);
const char *dm_scope(const struct ctx *c);
void check_channel_dm(struct ctx *c, const char *channel, const cJSON *s, const char *base,
                      void *arg);

/* check-exposure.c */
/* Whether LIST names TOOL (both normalised as the policy does: trimmed, lower-cased,
 * aliases applied). */
bool list_has_name(const cJSON *list, const char *tool);
/* AGENT's (NULL: the default agent's) sandbox KEY (mode, scope, backend or
 * workspaceAccess) as claw-sandbox reads it; DEF when the config is refused. */
const char *sandbox_setting(const struct ctx *c, const cJSON *agent, const char *key,
                            const char *def);
size_t tool_contexts(const struct ctx *c, struct tool_ctx *out, size_t max);
void check_exposure(struct ctx *c);
void check_trust_model(struct ctx *c);

/* check-exec.c */
void check_elevated(struct ctx *c);
/* OpenClaw's audit view of a scope's exec security: tools.exec.mode wins, then
 * security, then what the scope inherits ("deny" at the top). */
const char *exec_security(const cJSON *exec, const char *inherited);
void check_exec(struct ctx *c);
/*
 * OpenClaw's own audit counts an unset tools.exec.security as "deny"; at run
 * time it is "full" on the host, unless exec-approvals.json sets a floor.
 * With no floor and no sandbox for the main session, every host command runs
 * unchecked: that deserves more than the info line of the defaults check.
 */
void check_exec_default(struct ctx *c);
void check_safe_bins(struct ctx *c);

/* check-approvals.c */
void check_approvals(struct ctx *c);
void load_approvals(struct ctx *c);

/* check-sandbox.c */
void check_sandbox_config(struct ctx *c);
void check_workspaces(struct ctx *c);
/* What the native backend needs from the kernel, for each agent that uses it. */
void check_kernel(struct ctx *c);
/* Host runs need a view without claw's state (sandbox/hostview.h); without it they are refused. */
void check_hostview(struct ctx *c);

/* check-config.c */
void check_tools_misc(struct ctx *c);
void check_dangerous_flags(struct ctx *c);
/*
 * Every problem the config check found (lib/core/schema.c, the check every
 * command runs): OpenClaw will not start on a file it refuses, and claw will
 * not run on it either (exit 2). A claw key in openclaw.json still works in
 * claw, but OpenClaw refuses the file all the same.
 */
void check_config_files(struct ctx *c);
void check_summary(struct ctx *c);

/* check-preset.c */
void gaps_free(struct gaps *g);
/* Every key of PRESET's root that ROOT (a config, CFG's tree or an edit of it) leaves
 * weaker. */
void preset_gaps(const struct config *cfg, const cJSON *root, const cJSON *preset,
                 bool missing_only, struct gaps *g);
int parse_preset(const char *name, struct config *p);
void check_preset(struct ctx *c, const char *name);
/* A config that leaves a key out gets OpenClaw's default: say where that is weaker than secure. */
void check_defaults(struct ctx *c);

/* check-fix.c */
void run_fix(struct ctx *c, struct fix_result *fx);

#endif
