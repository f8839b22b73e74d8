/*
 * approve.h: may this command run on the host? The decision of claw-approve.
 *
 * The order is fixed and each step can only make the answer stricter:
 *   1. sandboxed sessions: approvals do not apply (unless applyInSandbox);
 *   2. elevated requests: the tools.elevated gates;
 *   3. self-protection (guard.h), before the allow list, whatever it says;
 *   4. security=deny refuses;
 *   5. ask=always asks; security=full runs;
 *   6. security=allowlist: every segment of every chain and pipeline must be
 *      satisfied (allow list, safe bin, safe builtin), or a human is asked
 *      (ask=on-miss) or it is refused (ask=off);
 *   7. asking goes through ask.h; when nobody can be asked, askFallback
 *      applies at once, never looser than security.
 */
#ifndef CLAW_APPROVE_H
#define CLAW_APPROVE_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "approve/approvals.h"
#include "core/config.h"
#include "core/execpath.h"
#include "approve/guard.h"
#include "approve/model.h"
#include "approve/safebin.h"
#include "core/shell.h"

/* How deep `sh -c '...'` scripts inside scripts are analysed. */
#define APPROVE_MAX_DEPTH 3
/* Wrappers unwrapped around one command (nice timeout env ... cmd). */
#define APPROVE_MAX_WRAPPERS 8
/* Segments analysed in all, nested scripts included. */
#define APPROVE_MAX_SEGMENTS 256

enum approve_decision { DECIDE_ALLOW, DECIDE_DENY, DECIDE_ASK };

/* Who may satisfy a segment. */
enum seg_need {
	NEED_ANY,   /* any matching allow-list entry, a safe bin, a safe builtin */
	NEED_BOUND, /* only an entry bound to this exact argv and file contents */
	NEED_HUMAN, /* nothing in a file: a person, each time */
};

enum satisfied_by { SAT_NONE, SAT_ALLOWLIST, SAT_SAFE_BINS, SAT_SAFE_BUILTINS };

struct seg_report {
	char **argv; /* the segment's words */
	int argc;
	int exec;      /* index in argv of the command judged, after wrappers */
	int depth;     /* 0: the command line; 1...: inside sh -c scripts */
	bool after_cd; /* a cd ran before it: its working directory is not known */
	const char *wrappers[APPROVE_MAX_WRAPPERS];
	int nwrappers;
	struct exec_file file;   /* argv[exec], resolved */
	struct exec_file script; /* a script operand, when script_set */
	bool script_set;
	enum seg_need need;
	const char *why;   /* why it is not satisfied (or what the human must know) */
	const char *asked; /* the word for asking, when not the default allowlist-miss */
	enum satisfied_by satisfied;
	const struct allow_entry *match;
	struct model_report model; /* what its arguments do (model.h) */
};

struct elevated_settings {
	bool enabled;             /* tools.elevated.enabled (unset: true, as OpenClaw) */
	const cJSON *allow_from;  /* tools.elevated.allowFrom */
	bool agent_disabled;      /* agents.list[].tools.elevated.enabled: false */
	const cJSON *agent_allow; /* agents.list[].tools.elevated.allowFrom (narrows) */
};

/* One agent's policy: its config (read once) and the file's view of it. */
struct agent_policy {
	char *id;
	bool has_security, explicit_deny, strict_inline_eval;
	enum exec_security security;
	enum exec_ask ask;
	struct safebins safebins;
	struct elevated_settings elevated;
	struct approvals_agent file;
	unsigned file_gen;
};

/* A hit to record in the file as lastUsedAt/lastUsedCommand/lastResolvedPath. */
struct approve_use {
	char *list, *id, *pattern, *arg_pattern, *command, *resolved;
	int index;
	double at; /* epoch ms */
};

struct ask_settings;

struct approve_ctx {
	const struct config *cfg;
	struct guard guard;
	bool apply_in_sandbox; /* approvals.exec.applyInSandbox (ours) */
	bool builtins_on;      /* approvals.exec.allowShellBuiltins (ours) */
	char *approvals_path;
	struct approvals file;
	bool file_ok;
	char *file_error; /* why the file is refused, while it is */
	unsigned file_gen;
	struct agent_policy *agents;
	size_t nagents;
	bool watching;      /* approve_watch(): inotify tells when to look again */
	bool unseen;        /* watching since the last look: look once regardless */
	char *process_path; /* PATH of claw itself, for requests without one */
	char *process_cwd;
	/* hits not yet written (approve_flush_uses) */
	struct approve_use *uses;
	size_t nuses;
	/* How a person is asked (lib/ask.h); NULL: nobody can be asked, so
	 * askFallback decides at once (claw-approve check). */
	struct ask_settings *ask;
};

struct approve_request {
	const char *agent; /* normalised id */
	const char *command;
	const char *cwd;      /* args.workdir, or NULL */
	const cJSON *env;     /* args.env, or NULL */
	bool sandboxed;       /* session.sandboxed */
	const char *elevated; /* NULL, "on", "ask" or "full" */
	bool has_origin;      /* no origin: the local operator */
	const char *channel, *sender;
	const char *session_key;                                /* session.key, for the prompt */
	const char *origin_to, *origin_account, *origin_thread; /* forwarding mode "session" */
	const char *call_security, *call_ask;                   /* args.security, args.ask */
};

struct approve_result {
	enum approve_decision decision; /* the final answer: allow or deny */
	const char *via;
	const char *reason;
	char reason_buf[256];
	/* When a person was asked: who answered, the approval's id, how long
	 * the wait was; or why nobody answered. */
	char by[128], id[37], note[160], via_buf[16];
	long waited_ms;
	bool forged;       /* a file tried to answer the question (lib/ask/answer.h) */
	const char *asked; /* why a human would have been asked, or NULL */
	bool human_only;   /* a guard hit: no fallback may allow it */
	enum exec_security security, fallback;
	enum exec_ask ask;
	bool elevated;
	bool analysed, analysis_ok;
	char analysis_error[256];
	char cwd[PATH_MAX];
	struct guard_hit guard;
	struct seg_report *segs;
	int nsegs;
	/* storage */
	int segcap;
	struct shell_cmd *shells;
	int nshells, shellcap;
};

/*
 * Reads the settings claw-approve needs from CFG and opens the approvals
 * file. Returns 0, or -1 with claw_error() (a config error, or an approvals
 * file claw refuses).
 */
int approve_init(struct approve_ctx *ctx, const struct config *cfg);
void approve_free(struct approve_ctx *ctx);

/*
 * For a long-running filter: keeps resolutions between decisions and looks
 * at the approvals file again only when inotify reports a change (see
 * exec_cache_enable()). Without inotify, everything is looked up each time.
 * May be called after decisions were made: the next refresh looks anyway.
 */
void approve_watch(struct approve_ctx *ctx);

/*
 * Reloads the approvals file when it changed on disk. A file that has become
 * unreadable is refused: until it is fixed, every decision that needs it is
 * a denial naming it. Returns 0, or -1 when the file is refused now.
 * cJSON trees are built here: a filter calls it outside its record arena.
 */
int approve_refresh(struct approve_ctx *ctx);

/* Decides REQ. RES is reusable across calls. Returns 0, or -1 for a request
 * that is not valid (an unknown args.security, say), with claw_error(). */
int approve_decide(struct approve_ctx *ctx, const struct approve_request *req,
                   struct approve_result *res);
void approve_result_free(struct approve_result *res);

/* The approval member for RES, as JSON. */
struct buf;
void approve_render(const struct approve_result *res, struct buf *out);

/*
 * Notes the allow-list entries an allowed RES matched, for lastUsedAt,
 * lastUsedCommand (COMMAND) and lastResolvedPath. Nothing is written yet.
 */
void approve_note_uses(struct approve_ctx *ctx, const struct approve_result *res,
                       const char *command);

/*
 * Writes the recorded hits to the approvals file (lastUsedAt, ...), all in
 * one update under the lock. Returns 0, or -1 with claw_error().
 */
int approve_flush_uses(struct approve_ctx *ctx);

/*
 * Whether allow-always entry E binds segment S run in CWD: the same argv,
 * working directory and program, and the same files run besides it, with
 * the same contents (approvestore.c: the script, the module, the makefiles;
 * never code read from standard input; never after a cd).
 */
bool approve_binding_holds(const struct allow_entry *e, const struct seg_report *s,
                           const char *cwd);

/*
 * Allow-always: adds an entry bound to the argv, cwd and sha256 of each
 * segment of RES that can be persisted (never a shell, a wrapper that
 * needs a human, a self-protection hit, or a segment whose runs cannot be
 * bound) to AGENT_KEY's list. Returns the number of entries added, or -1
 * with claw_error().
 */
int approve_persist(struct approve_ctx *ctx, const struct approve_result *res,
                    const char *agent_key);

#endif
