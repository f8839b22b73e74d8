/* persist.h: persistence paths of a sandbox's writable trees, kept from being planted. */
#ifndef CLAW_PERSIST_H
#define CLAW_PERSIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "native/native-types.h"
#include "core/strvec.h"

/* One writable directory tree of a run, guarded. */
struct persist_root {
	size_t source;    /* its index among nsroot_sources() */
	int fd;           /* the directory (O_RDONLY: lockable), opened once, mounted from */
	char *host;       /* its host path, for reports */
	char *real;       /* its realpath, to tell in which tree a path lies */
	const char *dst;  /* where it is inside */
	bool kept;        /* claw's own directory: its placeholders stay */
	bool locked;      /* it holds the tree's shared lock for the run */
	bool sticky;      /* as root: a sticky directory neither the sandbox user's nor others' */
	bool idmapped;    /* shown to the sandbox through its own id map: only its user's ids */
	uint64_t by_mode; /* bit j: name j is out of the sandbox user's reach by ownership
	                     alone (persist.c, out_of_reach), with no mount */
	struct strvec extra;      /* further entries of its top level to keep read-only: where a
	                             protected symlink or gitdir file leads, what the tree's git
	                             config names for git to run (persist.c, keep_git) */
	struct strvec extra_dirs; /* those of them a placeholder makes a directory */
};

struct persist_watch {
	struct persist_root *roots;
	size_t n;
	const struct native_protect *names; /* the spec's protect list (at most 32) */
	size_t nnames;
	struct native_moved *moved; /* special files found at protected names, moved aside */
	size_t nmoved, capmoved;
};

/*
 * Before the sandbox starts, for each writable directory tree of S (the
 * workspace, read-write binds; a bind as its check judged it): opens it,
 * and makes every protected name exist there, so that inside it can be
 * bound read-only over itself (nsroot.c) and never planted: a name that is
 * missing gets a placeholder (an empty file or directory, mode 0444 or
 * 0555, dated 1970-01-01 00:00:00 UTC); a special file (FIFO, socket,
 * device) is moved aside to NAME.claw-quarantine-RANDOM, or removed if it
 * cannot be, and reported; a symlink or a .git file naming a gitdir keeps
 * where it leads read-only too when that is in a writable tree, and so does
 * a .git for what its config (and the user's and the system's) names for
 * git to run or read as config: the hooks' directory, includes, filters,
 * commands; each there or not (a placeholder then). The user's
 * trees are locked shared for the run; a tree claw made (the scope's own
 * workspace) keeps its placeholders. IDMAPPED: the trees will be shown
 * through the sandbox's id map (it runs as host ids of its own). 0, or -1
 * (claw_error) when a name cannot be protected: nothing may run then.
 */
int persist_watch_start(const struct native_spec *s, bool idmapped, struct persist_watch *w);

/*
 * After every process of the sandbox is gone: the last run out of a user's
 * tree (its lock taken exclusive without waiting) removes the placeholders
 * there. Returns the special files moved aside at the start, in *OUT (to
 * free with native_moved_free() and free()), and closes W.
 */
size_t persist_watch_finish(struct persist_watch *w, struct native_moved **out);
void persist_watch_close(struct persist_watch *w);

/* The root of W for source I of nsroot_sources(), or NULL (not a writable directory). */
const struct persist_root *persist_root_of(const struct persist_watch *w, size_t i);

#endif
