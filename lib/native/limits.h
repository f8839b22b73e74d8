/* limits.h: the native sandbox's resource limits (cgroups made by the launcher). */
#ifndef CLAW_LIMITS_H
#define CLAW_LIMITS_H

#include <stdbool.h>

#include "native/native.h"

/*
 * Fork bombs and memory hogs: S's pids, memory and cpu limits in cgroups
 * under the launcher's own, noted in C. True when they were made; false
 * when they cannot be (not root, no controller): rlimits stand in.
 */
bool limits_cgroups_create(const struct native_spec *s, struct native_child *c);

/* The launcher's thread into C's cgroups (ENTER) or back out of them. 0 or -1. */
int limits_cgroups_enter(struct native_child *c, bool enter);

/* Removes C's cgroups, unless they are the scope's (kept), and forgets them. */
void limits_cgroups_remove(struct native_child *c);

#endif
