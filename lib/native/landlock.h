/* landlock.h: write access limited to the sandbox's writable paths, by the kernel's Landlock LSM.
 */
#ifndef CLAW_LANDLOCK_H
#define CLAW_LANDLOCK_H

#include <stddef.h>

/* The Landlock ABI the kernel offers: 0 when it has none (disabled or too old). */
int landlock_abi(void);

/*
 * Restricts the calling thread and its children for good: file-system writes
 * only beneath WRITABLE (directories or files), and from ABI 6 no signals or
 * abstract unix sockets beyond its own domain. Reads are not restricted: the
 * mount tree already decides what is visible. Returns the ABI used, 0 when
 * the kernel has no Landlock, or -1 with errno.
 */
int landlock_restrict(const char *const *writable, size_t n);

#endif
