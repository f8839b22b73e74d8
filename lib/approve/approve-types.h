/*
 * approve-types.h: the types claw-approve's decision hands between its parts
 * (approve.c drives; analyse.c, runs.c and approvestore.c fill and read
 * them). Here at the bottom, so no helper includes its driver's header.
 */
#ifndef CLAW_APPROVE_TYPES_H
#define CLAW_APPROVE_TYPES_H

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdbool.h>

#include "approve/approvals.h"
#include "approve/guard.h"
#include "approve/model.h"
#include "approve/safebin.h"
#include "core/config.h"
#include "core/execpath.h"
#include "core/shell.h"

/* What the trash keeps of a host run (keep.h makes and renders it). */
struct keep_step {
	enum keep_how how;
	int seg;             /* the segment it is for */
	bool watch;          /* nothing there now: only checked against what runs first */
	char path[PATH_MAX]; /* MOVE, COPY: the file; GIT_*: the directory git runs in */
};

struct keep_plan {
	bool on;                 /* approvals.exec.trash */
	struct keep_step *steps; /* in the order of the segments */
	size_t n, cap;
	const char *unrecoverable; /* why not all of it can be kept, or NULL */
	int unrecoverable_seg;
	char why[PATH_MAX + 160];
};

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
	int exec;         /* index in argv of the command judged, after wrappers */
	int depth;        /* 0: the command line; 1...: inside sh -c scripts */
	bool after_cd;    /* a cd ran before it: its working directory is not known */
	int parent;       /* the segment whose shell runs it (sh -c), or -1 */
	enum shell_op op; /* what joins it to the next segment of its script */
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
	bool trash;            /* approvals.exec.trash (ours): keep what host runs destroy */
	char *approvals_path;
	struct approvals file;
	bool file_ok;
	char *file_error; /* why the file is refused, while it is */
	unsigned file_gen;
	struct agent_policy *agents;
	size_t nagents, capagents;
	bool watching;      /* approve_watch(): inotify tells when to look again */
	bool unseen;        /* watching since the last look: look once regardless */
	char *process_path; /* PATH of claw itself, for requests without one */
	char *process_cwd;
	/* hits not yet written (approve_flush_uses) */
	struct approve_use *uses;
	size_t nuses, capuses;
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
	struct keep_plan keep; /* what the trash keeps of a host run (keep.h) */
	/* storage */
	size_t segcap;
	struct shell_cmd *shells; /* shellcap of them, zeroed: each keeps its buffers */
	int nshells;
	size_t shellcap;
};

/* The argv an entry binds: the segment's words from the judged command on. */
static inline char *const *seg_argv(const struct seg_report *s)
{
	return s->argv + s->exec;
}

static inline int seg_argc(const struct seg_report *s)
{
	return s->argc - s->exec;
}

#endif
