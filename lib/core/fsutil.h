/* fsutil.h: whole-file reads, atomic writes and advisory locks. */
#ifndef CLAW_FSUTIL_H
#define CLAW_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Reads a whole file (at most MAX bytes; 0 = 64 MiB). Returns 0, or -1 with
 * errno kept (ENOENT: no such file) and claw_error() set.
 */
int read_file(const char *path, size_t max, char **data, size_t *len);

/*
 * Writes all N bytes of P to FD, again after EINTR and short writes. Returns
 * 0, or -1 with errno set (nothing recorded: callers that only show output
 * ignore it, callers that keep data report it).
 */
int write_all(int fd, const void *p, size_t n);

/*
 * Makes sure descriptors 0-2 are open, each one the caller closed on
 * /dev/null. A command started with one closed (from cron, by a daemon)
 * would otherwise give that number to the next file, pipe or socket it
 * opens, and hand it on as a sandboxed command's stdin, stdout or stderr:
 * the pipe that reports init's status among them. Exits 125 when /dev/null
 * cannot be opened. opts_use() calls it, so every command does first.
 */
void stdfds_open(void);

/* Syncs the directory PATH is in (a name made or renamed there); errors ignored. */
void fsync_dir_of(const char *path);

/*
 * Replaces PATH with DATA in one step: a temporary file in the same directory,
 * written, fsync'd, given MODE, renamed over PATH, directory fsync'd. A failure
 * leaves the old file as it was. Returns 0 or -1 (claw_error()).
 */
int atomic_write(const char *path, const void *data, size_t len, mode_t mode);

/*
 * Keeps DATA (the contents PATH had before a rewrite) as the next numbered
 * backup, PATH.bak.N: one more than the highest N beside it, so no earlier
 * backup is ever replaced (claw init --force twice keeps the original in
 * .bak.1). Written whole with MODE (temporary file, fsync, link(2) to a name
 * no one holds, directory fsync'd). Every claw command that rewrites a
 * user's file calls this first. Returns the backup's path (allocated), or
 * NULL (claw_error()).
 */
char *backup_numbered(const char *path, const void *data, size_t len, mode_t mode);
/* The same for the file PATH as it is now, with its own mode. */
char *backup_file(const char *path);

/*
 * Takes an advisory lock on PATH".lock" (created 0600), shared or exclusive,
 * waiting for it. The lock file is separate because atomic_write replaces the
 * file itself. Returns the fd to pass to unlock_file(), or -1 (claw_error()).
 */
int lock_file(const char *path, bool exclusive);
void unlock_file(int fd);

/*
 * openat2(2) of PATH under DIRFD that never leaves it and never follows a
 * symlink, not even a trailing one (with O_PATH|O_NOFOLLOW a trailing symlink
 * is opened itself), plus RESOLVE (RESOLVE_NO_XDEV, ...). Linux 5.6. The fd is
 * close-on-exec. Returns it, or -1 with errno (ELOOP: a symlink on the way,
 * EXDEV: a mount point with RESOLVE_NO_XDEV).
 */
int openat_beneath(int dirfd, const char *path, int flags, unsigned long long resolve);

/*
 * rm -r of NAME under DIR (WHAT names it in messages), by descriptors only:
 * each directory opened with openat_beneath(..., RESOLVE_NO_XDEV), so a
 * symlink is removed and never followed, and a mount point is refused with
 * what lies beneath it left alone. A missing NAME is not an error. 0 or -1
 * (claw_error).
 */
int remove_tree_at(int dir, const char *name, const char *what);

/*
 * cp -a of SNAME under SDIR to DNAME under DDIR (which must not exist):
 * files, symlinks and directories, never following a symlink; mode and
 * timestamps kept, and the owner when run as root. Devices, fifos and
 * sockets are refused (EINVAL). 0, or -1 with errno (what was made is left:
 * the caller removes it).
 */
int copy_tree_at(int sdir, const char *sname, int ddir, const char *dname);

/* mkdir -p with MODE for the directories it creates. Returns 0 or -1 (claw_error()). */
int mkdir_p(const char *path, mode_t mode);

#endif
