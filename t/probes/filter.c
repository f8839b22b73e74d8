/* filter: the sandbox's seccomp filter itself (claw-sandbox(1) threats 1, 4, 6, 8). Inside
 * the sandbox most of these calls fail without it (no capability, no
 * controlling terminal, a new session), so a row taken out of the filter
 * would go unnoticed there. This probe loads the exact program claw-sandbox
 * installs (claw-sandbox features --filter > FILE) into a process that still
 * has root's capabilities and a controlling terminal (run it on a pty:
 * t/ptyrun.py), in a mount namespace of its own so that a call let through
 * changes nothing outside, and makes each call in a child: each must fail
 * with the filter's errno, and the allowed forms must work. Argument: FILE. */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/keyctl.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "probe.h"

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

static long tiocsti(void)
{
	char c = '#';
	return syscall(SYS_ioctl, 0, TIOCSTI, &c);
}

static long tiocsti_high(void)
{
	char c = '#';
	return syscall(SYS_ioctl, 0, (unsigned long)TIOCSTI | (1UL << 32), &c);
}

static long tioclinux(void)
{
	char sel[2] = { 6, 0 };
	return syscall(SYS_ioctl, 0, TIOCLINUX, sel);
}

static long tiocsetd(void)
{
	int ldisc = 0; /* N_TTY, what it has: without the filter, root may set it */
	return syscall(SYS_ioctl, 0, TIOCSETD, &ldisc);
}

/* A file of a tmpfs of this probe's own (main mounts it on /tmp), made setuid. */
static long chmod_setuid(void)
{
	int fd = open("/tmp/setid", O_WRONLY | O_CREAT, 0755);
	if (fd < 0)
		return -2;
	close(fd);
	return chmod("/tmp/setid", 04755);
}

static long create_setgid(void)
{
	return open("/tmp/setgid", O_WRONLY | O_CREAT, 02755);
}

static long do_openat2(void)
{
	struct open_how how = { .flags = O_RDONLY };
	return syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));
}

static long do_mount(void)
{
	return mount("none", "/tmp", "tmpfs", 0, NULL);
}

static long do_open_tree(void)
{
	return syscall(SYS_open_tree, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */);
}

static long do_fsopen(void)
{
	return syscall(SYS_fsopen, "tmpfs", 0);
}

static long do_umount(void)
{
	return umount2("/proc", MNT_DETACH);
}

static long do_unshare_user(void)
{
	return unshare(CLONE_NEWUSER);
}

static long do_setns(void)
{
	int fd = open("/proc/self/ns/net", O_RDONLY);
	return syscall(SYS_setns, fd, CLONE_NEWNET);
}

static long clone_flags(unsigned long flags)
{
	long pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return pid;
}

static long clone_user(void)
{
	return clone_flags(CLONE_NEWUSER);
}

static long clone_mount(void)
{
	return clone_flags(CLONE_NEWNS);
}

static long clone_net(void)
{
	return clone_flags(CLONE_NEWNET);
}

static long do_clone3(void)
{
	struct clone_args ca = { .exit_signal = SIGCHLD };
	long pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid == 0)
		_exit(0);
	return pid;
}

static long do_io_uring(void)
{
	char params[120] = { 0 };
	return syscall(SYS_io_uring_setup, 8, params);
}

static long do_keyctl(void)
{
	return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
}

static long do_bpf(void)
{
	char attr[128] = { 0 };
	return syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, attr, sizeof(attr));
}

static long do_ptrace(void)
{
	return ptrace(PTRACE_TRACEME, 0, 0, 0);
}

static long persona(unsigned long p)
{
	return syscall(SYS_personality, p);
}

static long persona_aslr_off(void)
{
	return persona(ADDR_NO_RANDOMIZE);
}

static long persona_exec(void)
{
	return persona(READ_IMPLIES_EXEC);
}

static long persona_high(void)
{
	return persona(1UL << 32 | ADDR_NO_RANDOMIZE);
}

/* The two values at the ends of the rules' round of bits. */
static long persona_top(void)
{
	return persona(0x80000000UL);
}

static long persona_all_but_top(void)
{
	return persona(0x7fffffffUL);
}

static long persona_query(void)
{
	return persona(0xffffffffUL);
}

static long persona_linux(void)
{
	return persona(PER_LINUX);
}

static long sock_netlink(void)
{
	return socket(AF_NETLINK, SOCK_RAW, 0);
}

static long sock_packet(void)
{
	return socket(AF_PACKET, SOCK_RAW, 0);
}

static long sock_vsock(void)
{
	return socket(AF_VSOCK, SOCK_STREAM, 0);
}

static long sock_inet(void)
{
	return socket(AF_INET, SOCK_STREAM, 0);
}

static long sock_unix(void)
{
	return socket(AF_UNIX, SOCK_STREAM, 0);
}

static const struct {
	const char *what;
	int want; /* the errno the filter gives; 0: the call must work */
	long (*call)(void);
} calls[] = {
	{ "TIOCSTI on the controlling terminal", EPERM, tiocsti },
	{ "TIOCSTI with bits above 32 set", EPERM, tiocsti_high },
	{ "TIOCLINUX", EPERM, tioclinux },
	{ "TIOCSETD", EPERM, tiocsetd },
	{ "chmod(04755)", EPERM, chmod_setuid },
	{ "open(O_CREAT, 02755)", EPERM, create_setgid },
	{ "openat2", ENOSYS, do_openat2 },
	{ "mount", EPERM, do_mount },
	{ "open_tree", EPERM, do_open_tree },
	{ "fsopen", EPERM, do_fsopen },
	{ "umount2", EPERM, do_umount },
	{ "unshare(CLONE_NEWUSER)", EPERM, do_unshare_user },
	{ "setns", EPERM, do_setns },
	{ "clone(CLONE_NEWUSER)", EPERM, clone_user },
	{ "clone(CLONE_NEWNS)", EPERM, clone_mount },
	{ "clone(CLONE_NEWNET)", EPERM, clone_net },
	{ "clone3", ENOSYS, do_clone3 },
	{ "io_uring_setup", EPERM, do_io_uring },
	{ "keyctl", EPERM, do_keyctl },
	{ "bpf", EPERM, do_bpf },
	{ "ptrace(PTRACE_TRACEME)", EPERM, do_ptrace },
	{ "personality(ADDR_NO_RANDOMIZE)", EPERM, persona_aslr_off },
	{ "personality(READ_IMPLIES_EXEC)", EPERM, persona_exec },
	{ "personality(ADDR_NO_RANDOMIZE | 1 << 32)", EPERM, persona_high },
	{ "personality(0x80000000)", EPERM, persona_top },
	{ "personality(0x7fffffff)", EPERM, persona_all_but_top },
	{ "personality(0xffffffff), the query", 0, persona_query },
	{ "personality(PER_LINUX)", 0, persona_linux },
	{ "socket(AF_NETLINK)", EAFNOSUPPORT, sock_netlink },
	{ "socket(AF_PACKET)", EAFNOSUPPORT, sock_packet },
	{ "socket(AF_VSOCK)", EAFNOSUPPORT, sock_vsock },
	{ "socket(AF_INET) without a network", EAFNOSUPPORT, sock_inet },
	{ "socket(AF_UNIX)", 0, sock_unix },
};

/* Each call in a child of its own: one the filter lets through changes nothing for the next. */
static void try_call(size_t i)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		errno = 0;
		long rc = calls[i].call();
		int e = errno;
		if (calls[i].want == 0)
			check(rc >= 0, "%s: %s", calls[i].what, rc >= 0 ? "works" : strerror(e));
		else
			refused(rc, calls[i].want, calls[i].what);
		_exit(done());
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		escapes++;
}

static int load(const char *file, struct sock_fprog *prog)
{
	static struct sock_filter code[4096];
	int fd = open(file, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, code, sizeof(code));

	if (fd >= 0)
		close(fd);
	if (n <= 0 || n % (ssize_t)sizeof(code[0]) != 0)
		return -1;
	prog->len = (unsigned short)(n / (ssize_t)sizeof(code[0]));
	prog->filter = code;
	return 0;
}

static int has_cap_sys_admin(void)
{
	char line[256];
	unsigned long long eff = 0;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "CapEff:", 7) == 0)
			eff = strtoull(line + 7, NULL, 16);
	if (f)
		fclose(f);
	return (eff >> 21) & 1; /* CAP_SYS_ADMIN */
}

int main(int argc, char **argv)
{
	struct sock_fprog prog;

	if (argc != 2 || load(argv[1], &prog) < 0) {
		fprintf(stderr, "usage: filter BPF-FILE (from claw-sandbox features --filter)\n");
		return 2;
	}
	/* What makes the test mean something: without the filter each call would work. */
	check(has_cap_sys_admin(), "precondition: CAP_SYS_ADMIN");
	check(isatty(0) && tcgetsid(0) == getsid(0), "precondition: a controlling terminal");
	check(unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	          mount("tmpfs", "/tmp", "tmpfs", 0, NULL) == 0,
	      "precondition: a private mount namespace, with a /tmp of its own");
	if (escapes)
		return 2;
	check(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0,
	      "the filter loads (%u "
	      "instructions)",
	      prog.len);
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		try_call(i);
	return done();
}
