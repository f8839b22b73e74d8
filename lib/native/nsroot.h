/* nsroot.h: the native sandbox's file system, assembled as one tree of mounts. */
#ifndef CLAW_NSROOT_H
#define CLAW_NSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/hash.h"
#include "native/native-types.h"

/* The user's trees and their persistence paths (48 names in each writable tree, at each
 * place it shows): mounts in one run at the most. */
#define NSROOT_MAX_TREES 512

struct persist_watch;

/* A detached copy of a host tree (open_tree), and where it goes inside. */
struct nsroot_tree {
	int fd;
	char *dst;
	bool is_dir;
	bool overlay; /* an overlay of the tree (journal.h), idmapped in its layers already */
	bool guard;   /* a persistence path: passed over where the sandbox's user can never reach */
};

/*
 * The user's trees of S: the workspace, /agent, the binds, then the
 * persistence paths of each writable one (read-only over themselves,
 * wherever the tree shows), each opened once and cloned from its
 * descriptor; a writable directory's from the one W (the run's guard,
 * persist.c) opened and protected. A tree S shows through an overlay
 * (S->overlays, journal.h) is that overlay, idmapped with IDMAP_NS (NULL:
 * not; journal_overlay()). Returns how many were captured into OUT, or
 * -1 (claw_error).
 */
int nsroot_user_trees(const struct native_spec *s, const struct persist_watch *w,
                      struct nsroot_tree *out, size_t max, const int *idmap_ns);
void nsroot_trees_close(struct nsroot_tree *t, size_t n);

/* Whether the kernel mounts into detached trees (Linux 6.15), as nsroot_build() does
 * without ATTACH_AT. */
bool nsroot_detached_mounts(void);

/*
 * Builds the root: a fresh tmpfs with /usr & co read-only, an allow-listed
 * /etc, a minimal /dev, the tmpfs entries and the user's trees (consumed).
 * PRIVILEGED (the launcher as root) makes device nodes with mknod instead of
 * binding the host's. With ATTACH_AT the tmpfs is mounted there first;
 * without, the tree stays detached (Linux 6.15 mounts into detached trees).
 * /proc is left for init, whose pid namespace it must show. Returns 0 with
 * *ROOTFD, or -1 (claw_error; errno EINVAL when the kernel cannot mount into
 * a detached tree).
 */
int nsroot_build(const struct native_spec *s, uid_t uid, gid_t gid, struct nsroot_tree *user,
                 size_t nuser, bool privileged, const char *attach_at, int *rootfd);

/*
 * A read-only root kept between runs (as root, for a read-only root): what
 * nsroot_build() makes alike for every run, mounted at AT, with a mount
 * point for everything a run mounts of its own (the tmpfs entries, /dev/shm,
 * devpts, the places of USER's trees). nsroot_dress() then mounts those on
 * ROOT: SCRATCH (nsroot_scratch), devpts, USER. 0, or -1 with claw_error.
 */
/* What a kept root for S is made of, as a hex digest: the host /etc and system
 * directories it copies (as they are now), the ids, the mount points. */
void nsroot_kept_key(const struct native_spec *s, uid_t uid, gid_t gid,
                     const struct nsroot_tree *user, size_t nuser, char out[SHA256_HEX]);
int nsroot_build_kept(const struct native_spec *s, uid_t uid, gid_t gid,
                      const struct nsroot_tree *user, size_t nuser, const char *at);
int nsroot_dress(const struct native_spec *s, int root, struct nsroot_tree *scratch,
                 size_t nscratch, struct nsroot_tree *user, size_t nuser);

/*
 * A run's scratch space, made apart so that the launcher can make it while
 * init starts: a fresh tmpfs for each tmpfs entry, and with SHM for
 * /dev/shm (a kept root's /dev has none), into OUT (nsroot_nscratch() of
 * them). 0, or -1 with claw_error. With SHARED_FD, the tmpfs they are
 * directories of is left open there (or -1) for the caller to close once
 * nothing waits on it: closing it unmounts it, which waits out an RCU grace
 * period.
 */
size_t nsroot_nscratch(const struct native_spec *s, bool shm);
/* Where the Ith of them goes: the tmpfs entries in order, then /dev/shm. */
const char *nsroot_scratch_dst(const struct native_spec *s, size_t i);
int nsroot_scratch(const struct native_spec *s, bool shm, struct nsroot_tree *out, int *shared_fd);

#endif
