/*
 * sysfilter.c: the system calls a sandboxed command may not make.
 *
 * A deny list on top of a default allow, as flatpak and bubblewrap's callers
 * keep it: each row names the threat (and a CVE where one shows it). The
 * namespaces, the file system and the dropped capabilities already stop most
 * of these; the filter removes the kernel surface itself, so a kernel bug
 * behind one of these calls is out of reach too.
 */
#include "native/sysfilter.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/util.h"

enum arg_test {
	ANY,          /* every call */
	A0_HAS_BIT,   /* argument 0 has bit VALUE set (clone flags) */
	A1_IOCTL_CMD, /* ioctl request VALUE, compared on the low 32 bits as the kernel does */
	A0_PERSONA,   /* personality: any argument but 0 (PER_LINUX) and 0xffffffff (the query) */
	MODE_SXID,    /* argument VALUE, a mode, has S_ISUID or S_ISGID */
	CREATE_SXID,  /* ... and open's flags, the argument before it, create a file */
};

struct rule {
	const char *name; /* system call, as libseccomp names it */
	int nr;           /* x86_64 number, for calls newer than libseccomp (0: none) */
	int err;          /* errno returned */
	enum arg_test test;
	unsigned long long value;
	const char *why;
};

static const struct rule rules[] = {
	/* Terminal injection. */
	{ "ioctl", 0, EPERM, A1_IOCTL_CMD, TIOCSTI,
	  "TIOCSTI pushes keystrokes into the caller's terminal (CVE-2017-5226, CVE-2016-7545)" },
	{ "ioctl", 0, EPERM, A1_IOCTL_CMD, TIOCLINUX,
	  "TIOCLINUX pastes text into a virtual console (CVE-2023-28100)" },
	{ "ioctl", 0, EPERM, A1_IOCTL_CMD, TIOCSETD,
	  "line disciplines are kernel code any terminal can be switched to (n_hdlc "
	  "CVE-2017-2636, n_gsm CVE-2023-6546)" },

	/* Setuid and setgid files: made inside, run by someone else outside, where no
	 * nosuid mount and no no_new_privs stand in the way (systemd's RestrictSUIDSGID,
	 * flatpak's filter). A file's mode is set by these calls only. */
	{ "chmod", 0, EPERM, MODE_SXID, 1, "sets a setuid or setgid bit" },
	{ "fchmod", 0, EPERM, MODE_SXID, 1, "sets a setuid or setgid bit" },
	{ "fchmodat", 0, EPERM, MODE_SXID, 2, "sets a setuid or setgid bit" },
	{ "fchmodat2", 452, EPERM, MODE_SXID, 2, "sets a setuid or setgid bit (Linux 6.6)" },
	{ "mkdir", 0, EPERM, MODE_SXID, 1,
	  "a setgid directory hands its group on (the kernel drops the bits today; refused "
	  "as systemd does, whatever a later kernel keeps)" },
	{ "mkdirat", 0, EPERM, MODE_SXID, 2, "a setgid directory hands its group on" },
	{ "mknod", 0, EPERM, MODE_SXID, 1, "makes a file setuid or setgid" },
	{ "mknodat", 0, EPERM, MODE_SXID, 2, "makes a file setuid or setgid" },
	{ "creat", 0, EPERM, MODE_SXID, 1, "makes a file setuid or setgid" },
	{ "open", 0, EPERM, CREATE_SXID, 2, "makes a file setuid or setgid" },
	{ "openat", 0, EPERM, CREATE_SXID, 3, "makes a file setuid or setgid" },
	{ "openat2", 0, ENOSYS, ANY, 0,
	  "its mode sits in memory a filter cannot read (struct open_how); ENOSYS makes "
	  "callers fall back to openat, whose mode the filter reads" },

	/* Kernel state shared with the host, not namespaced. */
	{ "keyctl", 0, EPERM, ANY, 0, "kernel keyrings are not namespaced (CVE-2016-0728)" },
	{ "add_key", 0, EPERM, ANY, 0, "kernel keyrings are not namespaced" },
	{ "request_key", 0, EPERM, ANY, 0, "kernel keyrings are not namespaced" },
	{ "syslog", 0, EPERM, ANY, 0, "the kernel log leaks addresses that defeat KASLR" },
	{ "acct", 0, EPERM, ANY, 0, "process accounting is host-wide" },
	{ "quotactl", 0, EPERM, ANY, 0, "quotas are host-wide" },
	{ "swapon", 0, EPERM, ANY, 0, "swap is host-wide" },
	{ "swapoff", 0, EPERM, ANY, 0, "swap is host-wide" },
	{ "reboot", 0, EPERM, ANY, 0, "reboots or kexecs the host" },
	{ "vhangup", 0, EPERM, ANY, 0, "hangs up the controlling terminal" },

	/* Kernel attack surface that exploits lean on. */
	{ "bpf", 0, EPERM, ANY, 0, "eBPF verifier bugs (CVE-2021-3490, CVE-2023-2163)" },
	{ "perf_event_open", 0, EPERM, ANY, 0,
	  "perf side channels and bugs (CVE-2013-2094, CVE-2023-5717)" },
	{ "userfaultfd", 0, EPERM, ANY, 0,
	  "stalls the kernel mid-copy so an exploit wins its race (CVE-2021-22555)" },
	{ "io_uring_setup", 0, EPERM, ANY, 0,
	  "io_uring runs socket/openat operations this filter never sees (CVE-2023-2598)" },
	{ "io_uring_enter", 0, EPERM, ANY, 0, "io_uring bypasses the filter" },
	{ "io_uring_register", 0, EPERM, ANY, 0, "io_uring bypasses the filter" },
	{ "uselib", 0, EPERM, ANY, 0, "obsolete loader entry point (CVE-2004-1235)" },
	{ "lookup_dcookie", 0, EPERM, ANY, 0, "obsolete profiling interface" },
	{ "personality", 0, EPERM, A0_PERSONA, 0,
	  "READ_IMPLIES_EXEC / ADDR_NO_RANDOMIZE undo exploit mitigations (CVE-2009-2692); "
	  "the query, personality(0xffffffff), stays allowed, as in Docker's profile" },
	{ "move_pages", 0, EPERM, ANY, 0, "reveals the physical layout of memory" },
	{ "migrate_pages", 0, EPERM, ANY, 0, "moves other processes' memory" },
	{ "name_to_handle_at", 0, EPERM, ANY, 0,
	  "file handles open files outside the visible tree (the Docker 'shocker' escape)" },
	{ "open_by_handle_at", 0, EPERM, ANY, 0, "opens files by handle, around the mount tree" },

	/* Replacing the kernel. */
	{ "kexec_load", 0, EPERM, ANY, 0, "loads a new kernel" },
	{ "kexec_file_load", 0, EPERM, ANY, 0, "loads a new kernel" },
	{ "init_module", 0, EPERM, ANY, 0, "loads kernel code" },
	{ "finit_module", 0, EPERM, ANY, 0, "loads kernel code" },
	{ "delete_module", 0, EPERM, ANY, 0, "unloads kernel code" },

	/* Other processes. */
	{ "ptrace", 0, EPERM, ANY, 0, "reads or steers another process (CVE-2019-13272)" },
	{ "process_vm_readv", 0, EPERM, ANY, 0, "reads another process's memory" },
	{ "process_vm_writev", 0, EPERM, ANY, 0, "writes another process's memory" },

	/* The mount tree: old and new APIs alike (CVE-2021-41133: the new API slipped a filter). */
	{ "mount", 0, EPERM, ANY, 0, "remounts read-only paths, shadows files" },
	{ "umount2", 0, EPERM, ANY, 0, "uncovers what a mount hides" },
	{ "pivot_root", 0, EPERM, ANY, 0, "changes the root" },
	{ "chroot", 0, EPERM, ANY, 0, "changes the root" },
	{ "open_tree", 0, EPERM, ANY, 0, "clones mounts (new mount API)" },
	{ "move_mount", 0, EPERM, ANY, 0, "attaches mounts (new mount API)" },
	{ "fsopen", 0, EPERM, ANY, 0, "creates file systems (new mount API)" },
	{ "fsconfig", 0, EPERM, ANY, 0, "configures file systems (new mount API)" },
	{ "fsmount", 0, EPERM, ANY, 0, "creates mounts (new mount API)" },
	{ "fspick", 0, EPERM, ANY, 0, "reconfigures mounts (new mount API)" },
	{ "mount_setattr", 0, EPERM, ANY, 0, "clears read-only on mounts (new mount API)" },
	{ "open_tree_attr", 467, EPERM, ANY, 0, "clones mounts with new flags (Linux 6.15)" },

	/* Namespaces: a nested user namespace hands out CAP_SYS_ADMIN again (CVE-2022-0185). */
	{ "unshare", 0, EPERM, ANY, 0, "creates namespaces" },
	{ "setns", 0, EPERM, ANY, 0, "joins namespaces" },
	{ "clone", 0, EPERM, A0_HAS_BIT, CLONE_NEWUSER, "nested user namespace" },
	{ "clone", 0, EPERM, A0_HAS_BIT, CLONE_NEWNS, "new mount namespace" },
	{ "clone", 0, EPERM, A0_HAS_BIT, CLONE_NEWPID, "new pid namespace" },
	{ "clone", 0, EPERM, A0_HAS_BIT, CLONE_NEWNET, "new network namespace" },
	{ "clone", 0, EPERM, A0_HAS_BIT, CLONE_NEWUTS, "new uts namespace" },
	{ "clone", 0, EPERM, A0_HAS_BIT, CLONE_NEWIPC, "new ipc namespace" },
	{ "clone", 0, EPERM, A0_HAS_BIT, CLONE_NEWCGROUP, "new cgroup namespace" },
	{ "clone3", 0, ENOSYS, ANY, 0,
	  "its flags sit in memory a filter cannot read; ENOSYS makes libc fall back to clone" },
};

/*
 * Socket families. AF_UNIX always; AF_INET and AF_INET6 only with a network.
 * Everything else is refused: netlink (kernel configuration, CVE-2022-0435),
 * packet (raw frames, CVE-2020-14386), vsock (the host/VM channel,
 * CVE-2021-26708), and every rarely used family with its own bugs.
 */
static int add_socket_rules(scmp_filter_ctx ctx, bool network)
{
	int nr = SCMP_SYS(socket), rc = 0;
	int last_allowed = network ? AF_INET6 : AF_UNIX;

	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), nr, 1,
	                       SCMP_A0(SCMP_CMP_EQ, AF_UNSPEC));
	for (int family = AF_UNIX + 1; family < last_allowed; family++)
		if (!(network && family == AF_INET))
			rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), nr, 1,
			                       SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)family));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), nr, 1,
	                       SCMP_A0(SCMP_CMP_GT, (scmp_datum_t)last_allowed));
	return rc;
}

/*
 * personality(X) refused unless X is 0 or 0xffffffff. libseccomp takes one
 * comparison per argument and rule, and its rules are or-ed: so X above 32
 * bits is refused, and an X of 32 bits that is neither all zeros nor all ones
 * is one with a 0 followed by a 1 somewhere going round its bits: bit I
 * clear and bit I+1 (mod 32) set, one masked rule per I.
 */
static int add_persona_rules(scmp_filter_ctx ctx, uint32_t action, int nr)
{
	int rc = seccomp_rule_add(ctx, action, nr, 1, SCMP_A0(SCMP_CMP_GT, 0xffffffffULL));

	for (unsigned i = 0; i < 32 && rc == 0; i++) {
		scmp_datum_t next = 1ULL << ((i + 1) % 32);
		rc = seccomp_rule_add(ctx, action, nr, 1,
		                      SCMP_A0(SCMP_CMP_MASKED_EQ, (1ULL << i) | next, next));
	}
	return rc;
}

/* Mode argument ARG has S_ISUID or S_ISGID; with CREATES, the flags before it create. */
static int add_sxid_rules(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned arg, bool creates)
{
	static const scmp_datum_t bits[] = { S_ISUID, S_ISGID };
	/* O_TMPFILE: both its bits (it includes O_DIRECTORY), as the kernel requires them. */
	static const scmp_datum_t creating[] = { O_CREAT, O_TMPFILE };
	int rc = 0;

	for (size_t b = 0; b < NELEM(bits) && rc == 0; b++) {
		struct scmp_arg_cmp mode = { arg, SCMP_CMP_MASKED_EQ, bits[b], bits[b] };
		if (!creates) {
			rc = seccomp_rule_add_array(ctx, action, nr, 1, &mode);
			continue;
		}
		for (size_t c = 0; c < NELEM(creating) && rc == 0; c++) {
			struct scmp_arg_cmp both[2] = {
				{ arg - 1, SCMP_CMP_MASKED_EQ, creating[c], creating[c] }, mode
			};
			rc = seccomp_rule_add_array(ctx, action, nr, 2, both);
		}
	}
	return rc;
}

static int add_rule(scmp_filter_ctx ctx, const struct rule *r)
{
	int nr = seccomp_syscall_resolve_name(r->name);
	uint32_t action = SCMP_ACT_ERRNO((uint32_t)r->err);

	if (nr == __NR_SCMP_ERROR)
		nr = r->nr;
	if (nr <= 0)
		return claw_fail("seccomp: libseccomp does not know the system call %s", r->name);
	switch (r->test) {
	case A0_HAS_BIT:
		return seccomp_rule_add(ctx, action, nr, 1,
		                        SCMP_A0(SCMP_CMP_MASKED_EQ, r->value, r->value));
	case A0_PERSONA:
		return add_persona_rules(ctx, action, nr);
	case MODE_SXID:
	case CREATE_SXID:
		return add_sxid_rules(ctx, action, nr, (unsigned)r->value, r->test == CREATE_SXID);
	case A1_IOCTL_CMD:
		return seccomp_rule_add(ctx, action, nr, 1,
		                        SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffULL, r->value));
	case ANY:
		break;
	}
	return seccomp_rule_add(ctx, action, nr, 0);
}

static scmp_filter_ctx build(bool network)
{
	/* Default allow; a call from another ABI (i386's int 0x80, x32) kills the process,
	 * since the table's numbers mean other calls there (the x32 socketcall bypass). */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (ctx == NULL) {
		claw_fail("seccomp: cannot initialise libseccomp");
		return NULL;
	}
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
	    /* A binary tree of syscall numbers, not a list: the kernel walks the program
	     * for every number when it loads it (its allow cache), and the filter runs on
	     * every call the command makes. */
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
		goto fail;
	for (size_t i = 0; i < NELEM(rules); i++)
		if (add_rule(ctx, &rules[i]) < 0)
			goto fail;
	if (add_socket_rules(ctx, network) < 0)
		goto fail;
	return ctx;
fail:
	if (claw_error()[0] == '\0' || strncmp(claw_error(), "seccomp:", 8) != 0)
		claw_fail("seccomp: cannot build the filter");
	seccomp_release(ctx);
	return NULL;
}

int sysfilter_export(bool network, int fd)
{
	scmp_filter_ctx ctx = build(network);

	if (ctx == NULL)
		return -1;
	int rc = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	return rc < 0 ? claw_fail("seccomp: cannot export the filter") : 0;
}

int sysfilter_print(bool network, int fd)
{
	scmp_filter_ctx ctx = build(network);

	if (ctx == NULL)
		return -1;
	int rc = seccomp_export_pfc(ctx, fd);
	seccomp_release(ctx);
	return rc < 0 ? claw_fail("seccomp: cannot print the filter") : 0;
}
