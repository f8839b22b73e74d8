/* sysfilter.h: the sandbox's system call filter (one table, every row with the threat it answers).
 */
#ifndef CLAW_SYSFILTER_H
#define CLAW_SYSFILTER_H

#include <linux/filter.h>
#include <stdbool.h>

/*
 * The filter's BPF program, compiled from the table of sysfilter.c by
 * libseccomp when claw is built (share/claw/sysfilter-gen.c), so a sandbox
 * pays nothing to build it: foreign ABIs killed, the table's calls refused.
 * NETWORK allows AF_INET/AF_INET6 sockets besides AF_UNIX.
 */
const struct sock_fprog *seccomp_program(bool network);
/* The same filter as libseccomp's pseudo-code, for `claw-sandbox explain`. */
const char *seccomp_pseudocode(bool network);

/* Build-time use: the table compiled by libseccomp, as BPF or pseudo-code, written to FD. */
int sysfilter_export(bool network, int fd);
int sysfilter_print(bool network, int fd);

#endif
