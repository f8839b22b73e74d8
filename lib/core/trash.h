/*
 * trash.h: the user's trash, as the freedesktop.org Trash specification
 * (version 1.0) lays it out, so file managers, `gio trash` and trash-cli see
 * and restore what claw puts there.
 *
 * A trash directory holds files/NAME (what was trashed, as it was) and
 * info/NAME.trashinfo (its original Path, URL-escaped, and DeletionDate).
 * The home trash is $XDG_DATA_HOME/Trash; a file on another mount goes to
 * that mount's own trash: $topdir/.Trash/$uid when the administrator made a
 * sticky $topdir/.Trash, else $topdir/.Trash-$uid. A file is only ever
 * renamed into a trash on its own mount (a rename is cheap and keeps the
 * inode: content, mode, owner and timestamps); a mount with no usable trash
 * is reported, never worked around with a copy elsewhere.
 */
#ifndef CLAW_TRASH_H
#define CLAW_TRASH_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "core/strvec.h"

/* One trash directory. */
struct trash_dir {
	char path[PATH_MAX]; /* .../Trash, $topdir/.Trash/$uid or $topdir/.Trash-$uid */
	char top[PATH_MAX];  /* what relative Paths are relative to: $topdir, or "" (home) */
	uint64_t mnt_id;     /* the mount it lives on */
};

/* Sizes of what a trash entry holds. */
struct trash_size {
	uint64_t bytes;  /* apparent size, the sum of st_size (what people read) */
	uint64_t blocks; /* disk use in bytes, as du -B1 counts (directorysizes) */
	uint64_t files;  /* files, links and directories below and including it */
};

/* One entry put into a trash. */
struct trash_entry {
	struct trash_dir dir;
	char name[NAME_MAX + 1]; /* files/NAME and info/NAME.trashinfo */
	char path[PATH_MAX];     /* where it was: absolute */
	time_t when;
	bool is_dir;
	struct trash_size size; /* filled by trash_measure() */
};

/*
 * The file a program that is given WRITTEN (relative to DIR unless
 * absolute; DIR NULL: the working directory) removes or replaces, as the
 * kernel finds it: the real path of its directory and its own name, not
 * followed, unless WRITTEN ends in "/" (then the name too is followed, as
 * the kernel does). Returns 0 with OUT set, 1 when nothing is there (nor
 * anything to keep), or -1 (claw_error(): ".", "..", a name too long).
 */
int trash_victim(const char *dir, const char *written, char out[PATH_MAX]);

/*
 * Finds the trash for the file at PATH (absolute, not followed when it is a
 * symlink), making its directories as the specification allows. Returns 0,
 * or -1 with claw_error() saying why this file has no usable trash (a mount
 * point, a mount whose top directory the user cannot write, ...).
 */
int trash_find(const char *path, struct trash_dir *td);

/*
 * Moves PATH into the trash TD: the info file first (created exclusively,
 * which also picks the entry's name), then a rename. COPY instead leaves
 * PATH in place and puts a copy of it (mode, owner where allowed and
 * timestamps kept; a tree as a tree) in the trash: what a program that
 * rewrites a file in place is about to lose. Returns 0, or -1 (claw_error(),
 * nothing left behind).
 */
int trash_put(const struct trash_dir *td, const char *path, bool copy, struct trash_entry *e);

/*
 * Takes entry E out of the trash again and puts it back at its path,
 * replacing what is there only when REPLACE (a placeholder claw left).
 * Returns 0, or -1 (claw_error()).
 */
int trash_unput(const struct trash_entry *e, bool replace);

/* Deletes entry E from its trash for good (info file and all). 0 or -1. */
int trash_drop(const struct trash_entry *e);

/* Sizes what E holds (a walk of the tree for a directory) into E->size and,
 * for a directory, records it in the trash's directorysizes. 0 or -1. */
int trash_measure(struct trash_entry *e);

/* ---- every trash of this user, for claw-trash ---- */

struct trash_list {
	struct trash_entry *e;
	size_t n, cap;
	struct strvec problems; /* trashes or info files that could not be read */
};

/* Reads the home trash and the trash of every mounted file system, oldest
 * entry first. Sizes are measured when SIZES. Returns 0, or -1. */
int trash_list_all(struct trash_list *l, bool sizes);
void trash_list_free(struct trash_list *l);

/*
 * Puts E back where it was. Its parent directories are made as needed. When
 * something is already there it is refused, unless FORCE: then that is put
 * in the trash first (so nothing is lost either way). Returns 0, or -1.
 */
int trash_restore(const struct trash_entry *e, bool force);

/* The home trash's directory ($XDG_DATA_HOME/Trash), allocated, or NULL. */
char *trash_home(void);

#endif
