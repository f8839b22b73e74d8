/* limits.h: the native sandbox's resource limits, and what enforces each. */
#ifndef CLAW_LIMITS_H
#define CLAW_LIMITS_H

#include <stdbool.h>
#include <stddef.h>

#include "native/native-types.h"

struct buf;

/*
 * What would enforce S's limits if a run started now, without making
 * anything (explain, doctor; limits_start() decides the same way), counting
 * the scope exec and the filter ask systemd for as they start.
 */
void limits_probe(const struct native_spec *s, struct native_limits *l);

/* The assurance level of L, as a word: "cgroup-v1", "cgroup-v2-delegated", "systemd-scope",
 * "rlimits-only", ... (claw-sandbox(1), LIMITS). */
const char *limits_assurance(const struct native_limits *l);
const char *limits_via_name(enum native_via via); /* NULL for VIA_UNSET */

/* Why a run with S's limits as L enforces them is refused (into BUF), or NULL: it is not. */
const char *limits_refusal(const struct native_spec *s, const struct native_limits *l, char *buf,
                           size_t n);

/* L for people, as explain shows it. */
void limits_explain(struct buf *b, const struct native_spec *s, const struct native_limits *l);

/* L as the JSON object of a record's sandbox.limits. */
void limits_json(struct buf *b, const struct native_limits *l);

/* Bytes the run's scratch tmpfs (tmpfs entries, /dev/shm) share: the file-size limit
 * (docker.ulimits.fsize, else 1 GiB), or docker.memory when that is less. */
long long limits_scratch_budget(const struct native_spec *s);

/*
 * Before the clone: the run's cgroups made, limits written and the launcher
 * in them (C->limits says what enforces what). A memory or CPU limit that no
 * cgroup can enforce refuses the run unless S->rlimits_only. 0, or -1 with
 * claw_error() and C->refused.
 */
int limits_start(const struct native_spec *s, struct native_child *c);

/* The launcher's thread into C's cgroups (ENTER) or back out of them. 0 or -1. */
int limits_cgroups_enter(struct native_child *c, bool enter);

/* Removes C's cgroups, unless they are the scope's (kept), and forgets them. */
void limits_cgroups_remove(struct native_child *c);

/* Shows the detached TREE to the ids of the user namespace USERNS as its owner's
 * (MOUNT_ATTR_IDMAP, as root). 0 or -1 (claw_error). */
int limits_idmap(int tree, int userns);

/*
 * clone(FLAGS) with a pidfd, born in C's v2 cgroup when it has one, the
 * launcher's signal handlers cleared (clone3, CLONE_CLEAR_SIGHAND). Where
 * the kernel or a filter refuses clone3, a plain clone: the child then finds
 * LIMITS_CLEARED_HANDLERS false and clears them itself.
 */
long limits_clone(unsigned long flags, int *pidfd, const struct native_child *c);
extern bool limits_cleared_handlers;

/*
 * As claw-sandbox starts (before it reads anything): where no cgroup can be
 * had and a systemd manager can make one, runs itself again with the same
 * ARGV in a new delegated scope (systemd-run --scope -p Delegate=yes, --user
 * when not root), once, and waits for it: returns 1 with its wait status in
 * *STATUS. Returns 0 when that is not needed, cannot be done (systemd-run
 * failed: go on without a scope), or this is the placed one.
 */
int limits_place_self(char **argv, int *status);

/* Removes a scope's kept cgroups (claw-sandbox rm and prune). 0 or -1 (claw_error). */
int native_cgroups_remove(const char *name);

#endif
