/*
 * execpath.h: which file a command word runs, as the shell would find it.
 *
 * OpenClaw's rule for an allow-list match: a word with a `/` names a file,
 * absolute or relative to the working directory; any other word is looked up
 * in PATH, in order, and the first regular executable file wins. Unlike
 * OpenClaw, `~` is not expanded: the analyser refuses an unquoted `~`, and a
 * quoted one is a literal `~` to the shell too. The real path (symlinks
 * resolved) is kept beside the path the shell uses.
 */
#ifndef CLAW_EXECPATH_H
#define CLAW_EXECPATH_H

#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "core/hash.h"

struct exec_file {
	bool found;
	bool via_path;       /* a bare name, looked up in PATH */
	bool cwd_dependent;  /* the answer depends on the working directory */
	const char *error;   /* when !found: why, for people */
	char path[PATH_MAX]; /* the file the shell runs (absolute) */
	char real[PATH_MAX]; /* its real path ("" when it cannot be had) */
	struct stat st;      /* of the file, symlinks followed */
};

/*
 * Resolves WORD (argv[0]) against CWD (absolute) and PATH_ENV (NULL: unset).
 * Returns 0 (look at out->found), or -1 only when a path is too long.
 */
int exec_resolve(const char *word, const char *cwd, const char *path_env, struct exec_file *out);

/* A script operand (`sh x.sh`): the regular file WORD names, relative to CWD. */
int exec_resolve_file(const char *word, const char *cwd, struct exec_file *out);

/*
 * The resolution cache. Resolving a name costs a stat per PATH entry and a
 * readlink per symlink hop: too much for a stream of records. Once enabled,
 * answers are kept and reused while nothing they depend on can have changed:
 * every directory a lookup looked in, every directory a symlink hop passed
 * through, and all their ancestors are watched with inotify, and any event
 * from any of them drops the whole cache. Answers that depend on the working
 * directory are never kept. Without inotify there is simply no cache.
 * (A mount over a watched directory is not seen; only root can do that.)
 *
 * exec_cache_enable() returns 0, or -1 when inotify is not available.
 * exec_cache_check() reads the pending events: call it before each decision.
 * It returns true when something watched changed since the last call.
 * exec_cache_watch() adds DIR (and its ancestors) to what is watched, for
 * other files whose changes matter (the approvals file's directory).
 */
int exec_cache_enable(void);
bool exec_cache_check(void);
int exec_cache_watch(const char *dir);
void exec_cache_disable(void);

/*
 * OUT = DIR joined with REL (REL itself when absolute), with `.` components
 * and repeated slashes removed and `..` folded lexically. Returns 0, or -1
 * when the result would not fit in SIZE.
 */
int path_join(const char *dir, const char *rel, char *out, size_t size);

/* True when PATH is DIR or lies below it (both absolute and normalised). */
bool path_within(const char *path, const char *dir);

/*
 * The sha256 of the file resolved in F, read through a descriptor that must
 * still be the same file (device and inode) as when it was resolved; cached
 * by device, inode, size, mtime and ctime, so a file that changes is hashed
 * again. Returns 0, or -1 with claw_error().
 */
int exec_sha256(const struct exec_file *f, char hex[SHA256_HEX]);

#endif
