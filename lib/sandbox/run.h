/* run.h: running one command, on the host or in the native sandbox, and reporting what happened. */
#ifndef CLAW_RUN_H
#define CLAW_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "native/native.h"
#include "sandbox/hostview.h"

/* Characters kept of each output stream, the tail: OpenClaw's exec cap. */
#define RUN_OUTPUT_CHARS 200000

struct run_spec {
	char *const *argv;
	char *const *envp; /* the whole environment: nothing is inherited */
	const char *cwd;   /* inside the sandbox, or on the host */
	double timeout;    /* seconds of wall clock; 0: none */
	bool capture;      /* collect stdout/stderr; else pass the terminal's through */
	const struct native_spec *sandbox; /* NULL: run on the host */
	const struct hostview *hostview; /* on the host: the view of claw it runs in (hostview.h) */
};

struct run_result {
	int exit;        /* exit status, or -1 when a signal ended it */
	int signal;      /* the signal that ended it, or 0 */
	bool timed_out;  /* killed at the timeout (signal is SIGKILL) */
	long ms;         /* wall clock, start to end */
	char *out, *err; /* captured tails, valid UTF-8 (NULL without capture) */
	bool truncated;  /* some output was dropped from the head */
	int interrupted; /* a signal (SIGINT, SIGTERM, SIGHUP) stopped the launcher's wait */
	int failed;      /* 0; or 125, 126, 127 when the command never ran (claw_error()) */
	struct native_limits limits; /* in the sandbox: what enforced each limit */
	int landlock_abi;
	struct native_moved *moved; /* persistence paths that appeared, moved aside */
	size_t nmoved;
};

/* Runs it. Returns 0 when the command ran (whatever its status), -1 when it never did. */
int run_command(const struct run_spec *s, struct run_result *r);
void run_result_free(struct run_result *r);

/* The status a one-shot runner exits with: timeout(1)'s 124, 128+signal, or the exit. */
int run_exit_status(const struct run_result *r);

/* Appends ARGV to B as one JSON array and a newline (what --dry-run prints). */
struct buf;
void run_argv_json(struct buf *b, char *const *argv);

/* The name of a signal as "SIGKILL" (or "SIG<n>"). */
const char *run_signal_name(int sig);

#endif
