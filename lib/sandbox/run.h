/* run.h: running one command, on the host or in the native sandbox, and reporting what happened. */
#ifndef CLAW_RUN_H
#define CLAW_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "native/native.h"
#include "sandbox/hostview.h"

/* Bytes kept of each output stream for the record, the tail (an error message
 * comes last): OpenClaw's exec cap of 200,000 characters, counted in bytes. */
#define RUN_OUTPUT_KEEP 200000

struct run_spec {
	char *const *argv;
	char *const *envp; /* the whole environment: nothing is inherited */
	const char *cwd;   /* inside the sandbox, or on the host */
	double timeout;    /* seconds of wall clock; 0: none */
	bool capture;      /* collect stdout/stderr; else pass the terminal's through */
	/*
	 * With capture: also pass each stream through, byte for byte and as it
	 * comes, to this process's own standard output and error (claw exec).
	 * When their reader has gone, the command's stream is closed too, so it
	 * gets SIGPIPE as it would have without claw. The caller catches SIGPIPE.
	 */
	bool pass_through;
	const struct native_spec *sandbox; /* NULL: run on the host */
	bool sync_log; /* sandboxed: LOG_FD is synced before the command may start, while */
	int log_fd;    /* the sandbox sets up (native_spec's sync_log) */
	const struct hostview *hostview; /* on the host: the view of claw it runs in (hostview.h) */
};

struct run_result {
	int exit;       /* exit status, or -1 when a signal ended it */
	int signal;     /* the signal that ended it, or 0 */
	bool timed_out; /* killed at the timeout (signal is SIGKILL) */
	long ms;        /* wall clock, start to end */
	/* The last RUN_OUTPUT_KEEP bytes of each stream as written (any bytes, NULs
	 * too), NUL-terminated; NULL without capture. */
	char *out, *err;
	size_t out_len, err_len;
	unsigned long long out_total, err_total; /* bytes each stream carried in all */
	bool truncated;                          /* some output was dropped from the head */
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

struct buf;
/*
 * The record's "result" member for R: {"exit", "signal", "timedOut", "ms",
 * "stdout", "stderr", "stdoutBytes", "stderrBytes", "truncated"} and
 * "quarantined" when paths were moved aside. A stream that is not UTF-8
 * text (or holds a NUL) is given in base64, with "stdoutEncoding" (or
 * "stderrEncoding") "base64". B is reset first.
 */
void run_result_json(struct buf *b, const struct run_result *r);

/* Appends ARGV to B as one JSON array and a newline (what --dry-run prints). */
void run_argv_json(struct buf *b, char *const *argv);

/* The name of a signal as "SIGKILL" (or "SIG<n>"). */
const char *run_signal_name(int sig);

#endif
