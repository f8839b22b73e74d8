/* native.h: the native sandbox: namespaces, a fresh root, limits, Landlock and seccomp. */
#ifndef CLAW_NATIVE_H
#define CLAW_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "native/native-types.h"

/*
 * Starts ARGV in a new sandbox with environment ENVP, cwd CWD (inside), and
 * FDS[0..2] as its standard streams. Returns 0, or -1 with claw_error() when
 * nothing could be started (the kernel lacks a feature, a path is missing).
 */
int native_start(const struct native_spec *s, char *const *argv, char *const *envp, const char *cwd,
                 const int fds[3], struct native_child *c);

/*
 * Reads what init reports on C->report_fd (readable): true once the run is
 * over, every process of it ended (init's report came whole, or init is
 * gone). Init may still be tearing its namespaces down.
 */
bool native_report(struct native_child *c);

/*
 * After the run is over (native_report, or init exited with *INIT_STATUS,
 * from waitpid; NULL: not reaped yet): the command's own wait status into
 * *STATUS. Returns 0; or -1 with claw_error() and *CODE set (125: the sandbox
 * failed, 126: not executable, 127: not found) when the command never ran.
 * Removes the sandbox's cgroups either way, and moves aside the persistence
 * paths that appeared during the run (C->moved, C->nmoved).
 */
int native_finish(struct native_child *c, const int *init_status, int *status, int *code);

/*
 * Waits for the inits of runs that are over (native_finish leaves each to tear
 * its namespaces down while the caller goes on): call before exiting.
 */
void native_reap_all(void);

/* Kills everything in the sandbox (its init, and with it the pid namespace). */
void native_kill(struct native_child *c);

/*
 * execvpe, searching the PATH of ENVP rather than the caller's. Returns only
 * on failure, with the errno that matters (ENOENT: found nowhere).
 */
int native_exec(char *const *argv, char *const *envp);

/* What this kernel can do, for explain and for errors: 0 or -1 with claw_error(). */
int native_check_kernel(void);

#endif
