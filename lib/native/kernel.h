/* kernel.h: what the running kernel offers the native sandbox, probed for real. */
#ifndef CLAW_KERNEL_H
#define CLAW_KERNEL_H

#include <stdbool.h>

struct kernel_features {
	bool userns;          /* an unprivileged user namespace, and a mount namespace inside it */
	char userns_why[200]; /* when not: why */
	bool cgroupns;        /* cgroup namespaces */
	bool seccomp_filter;  /* seccomp filters (SECCOMP_SET_MODE_FILTER) */
	char seccomp_why[160];
	int landlock_abi; /* 0: no Landlock */
	char landlock_why[160];
};

/*
 * Probes the kernel: user namespaces by a real unshare(2) in a child process
 * (a sysctl can say yes while a security module says no), seccomp by asking
 * the seccomp(2) call, Landlock by its ABI version. Takes about a millisecond.
 */
void kernel_probe(struct kernel_features *k);

#endif
