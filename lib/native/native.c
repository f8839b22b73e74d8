/*
 * native.c: the native sandbox.
 *
 * One clone() creates every namespace at once; the child becomes the
 * sandbox's init (pid 1), maps the user's own ids, assembles a fresh root
 * from a handful of read-only binds, drops every privilege, installs
 * Landlock and seccomp, then starts the command and waits for it. When init
 * exits, the kernel kills whatever the command left behind.
 *
 * As in bubblewrap, every isolation step carries a comment naming the
 * threat it answers, by its row in claw-sandbox(1)'s table THREATS AND WHAT
 * STOPS THEM ("threat 8").
 */
#include "native/native.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/nsfs.h>
#include <linux/seccomp.h>
#include <linux/sched.h>
#include <net/if.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/hash.h"
#include "native/journal.h"
#include "native/landlock.h"
#include "native/limits.h"
#include "native/nspin.h"
#include "native/nsroot.h"
#include "native/persist.h"
#include "native/sysfilter.h"
#include "core/util.h"

/* Most mounts the launcher sends init at once: a kept root's scratch space (tmpfs entries and
 * /dev/shm). */
#define MOUNTS_MAX 65

/* The new root is assembled on a tmpfs mounted here, in the sandbox's own mount namespace. */
#define NEWROOT "/tmp"

/* What init needs from the launcher, inherited through the clone. */
struct build {
	struct nsroot_tree user[NSROOT_MAX_TREES]; /* the user's trees, cloned as root */
	size_t nuser;
	bool have_user; /* the launcher cloned them (it is root) */
	bool parallel;  /* the launcher builds the root while init sets up its namespaces */
	int report;     /* pipe to the launcher */
	int channel;    /* socket from the launcher: the built root's mount fd */
	int proc;       /* the host's /proc: init's own may show another pid namespace */
	bool net_ready; /* born in the scope's kept network namespace: no helper needed */
	bool kept;      /* born in a base with a kept root at NEWROOT: nothing to receive */
	const struct persist_watch *watch; /* the writable trees, guarded: mounted from its fds */
	uid_t uid;                         /* the user inside */
	gid_t gid;
	uid_t host_uid; /* ... and on the host: distinct where limits.c could pick (threat 22) */
	gid_t host_gid;
	const struct sock_fprog *filter;
	int scratch; /* the launcher's scratch tmpfs, closed once init may go (nsroot_scratch) */
};

static int report_fd = -1;

/* Tells the launcher why the sandbox could not start, and ends init. */
static noreturn void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static noreturn void die(int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	msg[0] = 'E';
	msg[1] = (char)code;
	va_start(ap, fmt);
	int n = vsnprintf(msg + 2, sizeof(msg) - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	size_t len = 2 + ((size_t)n < sizeof(msg) - 2 ? (size_t)n : sizeof(msg) - 3);
	if (write(report_fd, msg, len) < 0)
		_exit(code);
	_exit(code);
}

/*
 * User namespace: the user's own uid and gid are the only ids inside (threats 2, 3).
 * WHO is "self" (init, without root) or init's pid (the launcher, as root,
 * while init starts). 0, or -1 with errno.
 */
static int write_proc(int proc, const char *who, const char *file, const char *text)
{
	char path[64];
	size_t len = strlen(text);

	snprintf(path, sizeof(path), "%s/%s", who, file);
	int fd = openat(proc, path, O_WRONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : write(fd, text, len);
	int e = errno;
	if (fd >= 0)
		close(fd);
	errno = e;
	return n == (ssize_t)len ? 0 : -1;
}

static int write_maps(int proc, const char *who, const struct build *b)
{
	char uids[32], gids[32];

	snprintf(uids, sizeof(uids), "%u %u 1\n", (unsigned)b->uid, (unsigned)b->host_uid);
	snprintf(gids, sizeof(gids), "%u %u 1\n", (unsigned)b->gid, (unsigned)b->host_gid);
	/* setgroups denied: nobody inside can drop a group to escape a group-deny rule. */
	return write_proc(proc, who, "setgroups", "deny") < 0 ||
	               write_proc(proc, who, "uid_map", uids) < 0 ||
	               write_proc(proc, who, "gid_map", gids) < 0
	           ? -1
	           : 0;
}

/* The launcher kept root as its saved id to clean up after us: not ours to keep. */
static void become_mapped(const struct build *b)
{
	if (setresgid(b->gid, b->gid, b->gid) < 0 || setresuid(b->uid, b->uid, b->uid) < 0)
		die(125, "cannot become uid %u: %s", (unsigned)b->uid, strerror(errno));
}

static void map_ids(const struct build *b)
{
	/* Writing our own maps (and joining the helper's network) needs a dumpable
	 * process; seal_init() takes that back before the command starts. */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		die(125, "prctl(PR_SET_DUMPABLE): %s", strerror(errno));
	if (b->parallel)
		return; /* the launcher writes them, and sends the mounts after */
	if (write_maps(b->proc, "self", b) < 0)
		die(125, "/proc/self/uid_map: %s", strerror(errno));
	become_mapped(b);
}

/* Init's memory holds the launcher's environment: not readable through /proc/1 (threats 13, 14). */
static void seal_init(void)
{
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die(125, "prctl(PR_SET_DUMPABLE): %s", strerror(errno));
}

/* Die with the launcher (threat 15): set after the last credential change, which clears it. */
static void watch_launcher(const struct build *b)
{
	struct pollfd p = { .fd = b->report, .events = 0 };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		die(125, "prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
	/* The launcher may have died before the line above: its end of the pipe is gone. */
	if (poll(&p, 1, 0) > 0 && (p.revents & POLLERR))
		_exit(125);
}

/* Loopback up in this network namespace, the only interface it has (threat 8). */
static int loopback_up(void *unused)
{
	(void)unused;
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	int e = errno;
	if (fd >= 0)
		close(fd);
	errno = e;
	return rc;
}

/*
 * The network namespace is the slowest one to create (about half a
 * millisecond of sysctl registration here). A helper process creates it on
 * the other CPU while init assembles the root, and init joins it after.
 */
struct net_helper {
	pid_t pid;
	int pidfd;
	int ready; /* helper writes one byte once loopback is up */
};

static int net_helper_main(void *arg)
{
	int ready = *(int *)arg;
	char ok = 'y';

	/* Network namespace: loopback only, no route out, no host sockets (threat 8). */
	if (unshare(CLONE_NEWNET) < 0 || loopback_up(NULL) < 0)
		ok = 'n';
	if (write(ready, &ok, 1) != 1)
		_exit(1);
	pause(); /* until init has joined the namespace and kills us */
	_exit(0);
}

static void net_helper_start(struct net_helper *h)
{
	/* The helper shares init's memory (no copy to make) and runs on this stack. */
	static _Alignas(16) char stack[64 * 1024];
	static int ready;
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		die(125, "pipe: %s", strerror(errno));
	ready = p[1];
	h->pidfd = -1;
	pid_t pid = clone(net_helper_main, stack + sizeof(stack), CLONE_VM | CLONE_PIDFD | SIGCHLD,
	                  &ready, &h->pidfd);
	if (pid < 0)
		die(125, "clone: %s", strerror(errno));
	close(p[1]); /* the helper has its own descriptor table, with its copy */
	h->pid = pid;
	h->ready = p[0];
}

static void net_helper_join(struct net_helper *h)
{
	char ok = 0;

	if (read(h->ready, &ok, 1) != 1 || ok != 'y')
		die(125, "cannot create the network namespace (CONFIG_NET_NS)");
	if (setns(h->pidfd, CLONE_NEWNET) < 0)
		die(125, "setns(network): %s", strerror(errno));
	kill(h->pid, SIGKILL);
	waitpid(h->pid, NULL, 0);
	close(h->ready);
	close(h->pidfd);
}

/*
 * Takes what the launcher made for us: up to MAX mount descriptors into FDS.
 * Returns how many, or -1 when the kernel cannot mount into a detached tree
 * and the root is ours to build; anything else the launcher could not make
 * ends the run with its reason.
 */
static int receive_mounts(const struct build *b, int *fds, size_t max)
{
	char text[1024] = "";
	char ctl[CMSG_SPACE(MOUNTS_MAX * sizeof(int))];
	struct iovec iov = { text, sizeof(text) - 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)
	};

	if (recvmsg(b->channel, &msg, MSG_CMSG_CLOEXEC) < 1)
		_exit(125); /* the launcher is gone */
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (text[0] != 'T' || !c || c->cmsg_type != SCM_RIGHTS) {
		if (text[1] != '\0')
			die(125, "%s", text + 1);
		return -1;
	}
	size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	if (n > max)
		die(125, "the launcher sent %zu mounts, not %zu", n, max);
	memcpy(fds, CMSG_DATA(c), n * sizeof(int));
	return (int)n;
}

/* Our own /proc: only the sandbox's processes, none of the host's environ or root (threat 13). */
static void mount_proc(const char *at)
{
	if (mount("proc", at, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		die(125, "mount proc: %s", strerror(errno));
}

/*
 * Born in a base with a kept root: it is our root already, read-only, and
 * only this run's own mounts go on it. Under /proc lies the base's, of a
 * pid namespace with no process left (base_setup).
 */
static void dress_kept_root(struct build *b, const struct native_spec *s)
{
	struct nsroot_tree scratch[MOUNTS_MAX];
	int fds[MOUNTS_MAX];
	size_t n = nsroot_nscratch(s, true);

	if (receive_mounts(b, fds, NELEM(fds)) != (int)n)
		die(125, "the launcher sent no scratch space");
	become_mapped(b); /* the maps are written once the launcher sends */
	for (size_t i = 0; i < n; i++)
		scratch[i] = (struct nsroot_tree){ fds[i], (char *)nsroot_scratch_dst(s, i), true,
			                           false, false };
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0 || nsroot_dress(s, root, scratch, n, b->user, b->nuser) < 0)
		die(125, "%s", root < 0 ? strerror(errno) : claw_error());
	close(root);
	mount_proc("/proc");
	if (chdir("/") < 0)
		die(125, "chdir /: %s", strerror(errno));
}

static void build_root(struct build *b, const struct native_spec *s)
{
	/* Private propagation: mounts made here never reach the host, and back (threat 7). */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die(125, "make / private: %s", strerror(errno));
	if (b->kept) {
		dress_kept_root(b, s);
		return;
	}
	int root = -1;
	if (b->parallel && receive_mounts(b, &root, 1) < 0)
		root = -1;
	if (b->parallel)
		become_mapped(b); /* the maps are written once the launcher sends */
	if (root >= 0) {
		if (syscall(SYS_move_mount, root, "", AT_FDCWD, NEWROOT, MOVE_MOUNT_F_EMPTY_PATH) <
		    0)
			die(125, "mount the new root: %s", strerror(errno));
		close(root);
	} else {
		if (!b->have_user) {
			int n = nsroot_user_trees(s, b->watch, b->user, NELEM(b->user), NULL);
			if (n < 0)
				die(125, "%s", claw_error());
			b->nuser = (size_t)n;
		}
		if (nsroot_build(s, b->uid, b->gid, b->user, b->nuser, false, NEWROOT, &root) < 0)
			die(125, "%s", claw_error());
		close(root);
	}
	mount_proc(NEWROOT "/proc");
	/* pivot_root, not chroot: the old root is detached, no fd or ".." leads back
	 * (threats 11, 12). */
	if (chdir(NEWROOT) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		die(125, "pivot_root: %s", strerror(errno));
}

/* Nested user namespaces refused a second time, by the kernel's own count (threats 4, 7). */
static void forbid_user_namespaces(void)
{
	int fd = open("/proc/sys/user/max_user_namespaces", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "0", 1) != 1)
		die(125, "user.max_user_namespaces: %s", strerror(errno));
	close(fd);
}

/* Limits every run gets where docker.ulimits says nothing (threat 15). */
static const struct {
	int resource;
	rlim_t soft, hard;
} default_limits[] = {
	{ RLIMIT_CORE, 0, 0 },         /* no core files: a crash writes no memory (secrets) out */
	{ RLIMIT_NOFILE, 1024, 4096 }, /* descriptors: a leak or a flood of them stays small */
	{ RLIMIT_FSIZE, 1U << 30, 1U << 30 }, /* one runaway file cannot fill the disk: 1 GiB */
};

/* Processes (threads count) a run may have when docker.pidsLimit is not set. */
#define DEFAULT_PIDS 512

/*
 * A configured limit must take (an error otherwise); a default is lowered to
 * what the launcher itself may grant, which is never raised for it.
 */
static void set_rlimit(int resource, rlim_t soft, rlim_t hard, bool configured)
{
	struct rlimit rl = { soft, hard }, now;

	if (!configured && getrlimit(resource, &now) == 0) {
		rl.rlim_max = hard < now.rlim_max ? hard : now.rlim_max;
		rl.rlim_cur = soft < rl.rlim_max ? soft : rl.rlim_max;
	}
	if (setrlimit(resource, &rl) < 0)
		die(125, "setrlimit(%d): %s", resource, strerror(errno));
}

static void apply_limits(const struct native_spec *s, const struct native_limits *l)
{
	for (size_t i = 0; i < NELEM(default_limits); i++)
		set_rlimit(default_limits[i].resource, default_limits[i].soft,
		           default_limits[i].hard, false);
	/* Runaway CPU: no process may use more CPU time than the whole run may last. */
	if (s->timeout > 0) {
		rlim_t cpu = (rlim_t)s->timeout + (s->timeout > (double)(rlim_t)s->timeout);
		set_rlimit(RLIMIT_CPU, cpu, cpu, false);
	}
	/* Fork bombs: pidsLimit is the run's cgroup's where one could be made; else, and
	 * by default, RLIMIT_NPROC, which counts per user namespace: per run. */
	if (l->via[LIMIT_PIDS] == VIA_RLIMIT_RUN) {
		rlim_t pids = (rlim_t)(s->pids_max > 0 ? s->pids_max : DEFAULT_PIDS);
		set_rlimit(RLIMIT_NPROC, pids, pids, s->pids_max > 0);
	}
	/* Memory hogs without cgroups, where native.rlimitsOnly accepts it: RLIMIT_DATA
	 * counts what a process can write (heap, private mappings), not the address space
	 * runtimes reserve (a JVM's heap, V8's cage), which RLIMIT_AS counts and so breaks
	 * them. Per process, and not shared memory: limits.c says so wherever it reports. */
	if (l->via[LIMIT_MEMORY] == VIA_RLIMIT_PROCESS)
		set_rlimit(RLIMIT_DATA, (rlim_t)s->memory_max, (rlim_t)s->memory_max, true);
	for (size_t i = 0; i < s->nulimits; i++)
		set_rlimit(s->ulimits[i].resource, s->ulimits[i].soft, s->ulimits[i].hard, true);
}

/* No capabilities left, none to regain (threats 2, 7). */
static void drop_capabilities(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };

	for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			die(125, "drop capability %d: %s", cap, strerror(errno));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 ||
	    syscall(SYS_capset, &hdr, data) < 0)
		die(125, "drop capabilities: %s", strerror(errno));
}

static void restrict_writes(const struct native_spec *s, const char *writable[], size_t n)
{
	if (s->landlock == LANDLOCK_OFF)
		return;
	int abi = landlock_restrict(writable, n);
	if (abi < 0)
		die(125, "landlock: %s", strerror(errno));
	/* landlock "required" fails closed on a kernel without it. */
	if (abi == 0 && s->landlock == LANDLOCK_REQUIRED)
		die(125, "the kernel has no Landlock (CONFIG_SECURITY_LANDLOCK, lsm=landlock); "
		         "set sandbox.native.landlock to \"auto\" to run without it");
}

static size_t writable_paths(const struct native_spec *s, const char *out[], size_t max)
{
	size_t n = 0;

	out[n++] = "/dev/null", out[n++] = "/dev/zero", out[n++] = "/dev/full";
	out[n++] = "/dev/shm";
	if (s->pts) /* its own terminals: written to, and their ioctls (termios) */
		out[n++] = "/dev/pts", out[n++] = "/dev/tty";
	if (!s->read_only_root)
		out[n++] = "/";
	if (s->workspace_rw)
		out[n++] = s->workdir;
	if (s->agent_dir && s->agent_rw)
		out[n++] = "/agent";
	for (size_t i = 0; i < s->ntmpfs && n < max; i++)
		out[n++] = s->tmpfs[i];
	for (size_t i = 0; i < s->nbinds && n < max; i++)
		if (!s->binds[i].ro)
			out[n++] = s->binds[i].dst;
	return n;
}

/* Privileges gone, then the kernel's own walls: no_new_privs, Landlock, seccomp last. */
static void confine(const struct build *b, const struct native_spec *s)
{
	const char *writable[8 + 64 + 64];
	size_t n = writable_paths(s, writable, NELEM(writable));

	drop_capabilities();
	/* no_new_privs: setuid binaries and file capabilities grant nothing (threat 2). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die(125, "no_new_privs: %s", strerror(errno));
	restrict_writes(s, writable, n);
	/* Seccomp last, so the steps above may still use what it forbids (threats 1, 3-8). */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, b->filter) < 0)
		die(125, "seccomp: %s", strerror(errno));
}

static const char *env_path(char *const *envp)
{
	for (char *const *e = envp; *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			return *e + 5;
	return "/usr/local/bin:/usr/bin:/bin";
}

int native_exec(char *const *argv, char *const *envp)
{
	char path[PATH_MAX];
	const char *dirs = env_path(envp);
	int saved = ENOENT;

	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, envp);
		return errno;
	}
	for (const char *p = dirs;; p++) {
		const char *end = strchrnul(p, ':');
		int len = (int)(end - p);
		if (snprintf(path, sizeof(path), "%.*s/%s", len ? len : 1, len ? p : ".", argv[0]) <
		    (int)sizeof(path)) {
			execve(path, argv, envp);
			if (errno != ENOENT && errno != ENOTDIR)
				saved = errno;
		}
		if (*end == '\0')
			break;
		p = end;
	}
	return saved;
}

/* The command's stack while it shares init's memory, until its execve. */
static char spawn_stack[64 * 1024] __attribute__((aligned(16)));

struct spawn {
	char *const *argv, *const *envp;
	int error; /* why no execve succeeded, read by init once the child is gone */
};

static int spawn_child(void *arg)
{
	struct spawn *sp = arg;
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	sp->error = native_exec(sp->argv, sp->envp);
	_exit(127);
}

/*
 * Starts the command as init's child: a clone that shares init's memory
 * until its execve (CLONE_VM | CLONE_VFORK, as posix_spawn does), searching
 * the command's own PATH in the child. Init has no signal handler that could
 * run in the child meanwhile (clear_handlers), so there is none to reset
 * there; signals stay blocked until just before the execve. 0 or an errno.
 */
static int spawn_command(char *const *argv, char *const *envp, pid_t *pid)
{
	struct spawn sp = { argv, envp, 0 };
	sigset_t all, old;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	int p = clone(spawn_child, spawn_stack + sizeof(spawn_stack),
	              CLONE_VM | CLONE_VFORK | SIGCHLD, &sp);
	int e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (p < 0)
		return e;
	if (sp.error != 0) {
		while (waitpid(p, NULL, __WALL) < 0 && errno == EINTR)
			;
		return sp.error;
	}
	*pid = p;
	return 0;
}

/*
 * The launcher's signal handlers, inherited by the clone unless the kernel
 * cleared them (CLONE_CLEAR_SIGHAND, limits_clone): reset, so that none runs
 * in init or in the command's child before its execve. Ignored signals stay
 * ignored, as across any execve.
 */
static void clear_handlers(void)
{
	if (limits_cleared_handlers)
		return;
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL &&
		    sa.sa_handler != SIG_IGN) {
			sa.sa_handler = SIG_DFL;
			sa.sa_flags = 0;
			(void)sigaction(sig, &sa, NULL);
		}
	}
}

/*
 * Init's one job after setup: wait for the command, reaping orphans. Then
 * what the command left behind (daemons, setsid'd or not) is killed and
 * reaped here, as the kernel would at init's exit (threat 15), and init lets go of
 * the terminal and the output pipes: the status it reports is the end of the
 * whole run, so the launcher need not wait for the namespaces' teardown.
 */
static noreturn void supervise(pid_t command)
{
	char msg[1 + sizeof(int)];
	int status = 0, st;

	for (;;) {
		pid_t p = waitpid(-1, &st, __WALL);
		if (p == command) {
			status = st;
			break;
		}
		if (p < 0 && errno != EINTR)
			die(125, "waitpid: %s", strerror(errno));
	}
	(void)kill(-1, SIGKILL);
	for (;;)
		if (waitpid(-1, &st, __WALL) < 0 && errno != EINTR)
			break;
	for (int fd = 0; fd < 3; fd++)
		close(fd);
	msg[0] = 'S';
	memcpy(msg + 1, &status, sizeof(status));
	if (write(report_fd, msg, sizeof(msg)) < 0)
		_exit(125);
	_exit(0);
}

static void setup_stdio(const int fds[3])
{
	for (int i = 0; i < 3; i++)
		if (fds[i] != i && dup2(fds[i], i) < 0)
			die(125, "dup2: %s", strerror(errno));
}

static void close_range_of(unsigned lo, unsigned hi)
{
	if (lo <= hi && syscall(SYS_close_range, lo, hi, 0) < 0)
		die(125, "close_range: %s", strerror(errno));
}

static void close_inherited(int report, int channel)
{
	unsigned lo = (unsigned)(report < channel ? report : channel);
	unsigned hi = (unsigned)(report < channel ? channel : report);

	/* Every other descriptor closed: nothing of the launcher leaks in (threat 12, runc
	 * CVE-2024-21626). The pipe to the launcher stays, close-on-exec, and the
	 * socket from it until its word to begin (wait_go). */
	close_range_of(3, lo - 1);
	close_range_of(lo + 1, hi - 1);
	close_range_of(hi + 1, ~0U);
}

/*
 * The launcher's word that the command may start: the decision log's entries
 * for it are on the disk (write-ahead, claw-record(7)), synced while init set
 * up. Without it the launcher is gone or gave up, and says why.
 */
static void wait_go(int channel)
{
	char go = 0;
	ssize_t n;

	do
		n = read(channel, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1 || go != 'G')
		_exit(125);
	close(channel);
}

/* The command's working directory, or why it cannot be entered, host directory and user named. */
static void enter_workdir(const struct native_spec *s, const char *cwd)
{
	size_t n = strlen(s->workdir);

	if (chdir(cwd) == 0)
		return;
	int e = errno;
	if (strncmp(cwd, s->workdir, n) == 0 && (cwd[n] == '/' || cwd[n] == '\0'))
		die(126,
		    "cannot enter the working directory %s (%s%s on the host): %s; the command "
		    "runs "
		    "as uid %u, gid %u, and the directory must be open to that user",
		    cwd, s->workspace, cwd + n, strerror(e), (unsigned)s->uid, (unsigned)s->gid);
	die(126, "cannot enter the working directory %s: %s (the command runs as uid %u, gid %u)",
	    cwd, strerror(e), (unsigned)s->uid, (unsigned)s->gid);
}

struct launch {
	const struct native_spec *spec;
	char *const *argv, *const *envp;
	const char *cwd;
	const int *fds;
	int ctty; /* which of fds is the sandbox's own terminal, to be init's (-1: none) */
	struct build b;
	const struct native_limits *limits; /* what enforces each limit */
	bool moved;     /* init was sent to another CPU than the launcher's ... */
	cpu_set_t cpus; /* ... and takes the launcher's CPUs back: the command gets them all */
};

static noreturn void init_main(struct launch *l)
{
	const struct native_spec *s = l->spec;
	struct net_helper net = { -1, -1, -1 };
	bool helper = !s->network && !l->b.net_ready; /* a fresh network namespace, by a helper */

	report_fd = l->b.report;
	clear_handlers();
	map_ids(&l->b);
	watch_launcher(&l->b);
	setup_stdio(l->fds);
	if (helper)
		net_helper_start(&net);
	/* A new session: no controlling terminal to push keystrokes into (threat 1). Handed a
	 * terminal, it is one of the sandbox's own (ptyrelay.c), never the operator's:
	 * its controlling terminal, so that ^C there signals the command. */
	if (setsid() < 0)
		die(125, "setsid: %s", strerror(errno));
	if (l->ctty >= 0 && ioctl(l->ctty, TIOCSCTTY, 0) < 0)
		die(125, "TIOCSCTTY: %s", strerror(errno));
	build_root(&l->b, s);
	/* After the root came, so after the launcher moved us (move_away). */
	if (l->moved)
		(void)sched_setaffinity(0, sizeof(l->cpus), &l->cpus);
	/* Its own host name (uts namespace): the host's is not revealed. */
	if (sethostname("sandbox", 7) < 0)
		die(125, "sethostname: %s", strerror(errno));
	if (helper)
		net_helper_join(&net);
	close_inherited(report_fd, l->b.channel);
	seal_init();
	forbid_user_namespaces();
	apply_limits(s, l->limits);
	confine(&l->b, s);
	enter_workdir(s, l->cwd);
	wait_go(l->b.channel);
	pid_t pid = -1;
	int e = spawn_command(l->argv, l->envp, &pid);
	if (e != 0)
		die(e == ENOENT ? 127 : 126, "%s: %s", l->argv[0],
		    e == ENOENT ? "not found" : strerror(e));
	supervise(pid);
}

/* --- the launcher's side: cgroups, credentials, clone --- */

/*
 * Init to another CPU than the launcher's, while the launcher writes its id
 * maps and makes its root or scratch space (feed_init). On an otherwise idle
 * machine the kernel queues a new child on its parent's CPU, where it would
 * wait for the launcher to finish; moved, it sets up its namespaces
 * meanwhile. It takes the launcher's CPUs back once the mounts have come,
 * which are sent after this.
 */
static void move_away(pid_t pid, const cpu_set_t *cpus)
{
	cpu_set_t others = *cpus;
	int here = sched_getcpu();

	if (here < 0)
		return;
	CPU_CLR((size_t)here, &others);
	(void)sched_setaffinity(pid, sizeof(others), &others);
}

struct saved_ids {
	gid_t *groups; /* on the heap: NGROUPS_MAX of them would be 256 KiB of stack to touch */
	int ngroups;
	bool switched;
};

/* Never as host root (threat 2): the user namespace is created by, and owned by, the user. */
static int become_user(uid_t uid, gid_t gid, struct saved_ids *saved)
{
	saved->switched = false;
	saved->groups = NULL;
	if (geteuid() != 0)
		return 0;
	saved->ngroups = getgroups(0, NULL);
	if (saved->ngroups > 0) {
		saved->groups = xcalloc((size_t)saved->ngroups, sizeof(gid_t));
		saved->ngroups = getgroups(saved->ngroups, saved->groups);
	}
	/* Saved ids stay root so the launcher can come back to clean up; init clears its own. */
	if (saved->ngroups < 0 || setgroups(0, NULL) < 0 || setresgid(gid, gid, 0) < 0 ||
	    setresuid(uid, uid, 0) < 0) {
		free(saved->groups);
		return claw_fail("cannot switch to uid %u: %s", (unsigned)uid, strerror(errno));
	}
	saved->switched = true;
	return 0;
}

static void become_root_again(const struct saved_ids *saved)
{
	if (!saved->switched)
		return;
	if (setresuid(0, 0, 0) < 0 || setresgid(0, 0, 0) < 0 ||
	    setgroups((size_t)saved->ngroups, saved->groups) < 0)
		abort(); /* cannot happen with root as the saved id; never go on half-switched */
	free(saved->groups);
}

static int clone_error(int e)
{
	if (e == EPERM || e == ENOSPC || e == EUSERS)
		return claw_fail(
		    "cannot create the sandbox's user namespace (%s): user namespaces "
		    "are disabled or exhausted; check sysctl user.max_user_namespaces, "
		    "kernel.unprivileged_userns_clone and "
		    "kernel.apparmor_restrict_unprivileged_userns",
		    strerror(e));
	if (e == EINVAL)
		return claw_fail("cannot create the sandbox's namespaces (%s): the kernel lacks "
		                 "user, pid, mount, ipc, uts, network or cgroup namespaces "
		                 "(CONFIG_USER_NS, CONFIG_PID_NS, ...)",
		                 strerror(e));
	return claw_fail("clone: %s", strerror(e));
}

/* Sends init the N mounts of FDS (closed here), or with N < 0 WHY there are none ("": the
 * root is init's to build). */
static void send_mounts(int sock, int *fds, int n, const char *why)
{
	char text[1024] = "T";
	char ctl[CMSG_SPACE(MOUNTS_MAX * sizeof(int))] = { 0 };
	struct iovec iov = { text, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (n < 0) {
		int len = snprintf(text, sizeof(text), "B%s", why);
		iov.iov_len = len < (int)sizeof(text) ? (size_t)len : sizeof(text) - 1;
	} else {
		msg.msg_control = ctl;
		msg.msg_controllen = CMSG_SPACE((size_t)n * sizeof(int));
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
		memcpy(CMSG_DATA(c), fds, (size_t)n * sizeof(int));
	}
	/* If this fails, init sees the socket close and gives up: nothing runs. */
	(void)sendmsg(sock, &msg, MSG_NOSIGNAL);
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

/*
 * The root, built here as root (device nodes made, not bound). A kernel that
 * cannot mount into a detached tree (before Linux 6.15) answers EINVAL at
 * the first mount: init then builds it itself. Any other failure ends the
 * run with its reason.
 */
static void send_root(const struct native_spec *s, struct build *b, int sock)
{
	int root = -1;
	int rc = nsroot_build(s, b->uid, b->gid, b->user, b->nuser, true, NULL, &root);

	/* Only a kernel without mounts into detached trees leaves it to init. */
	send_mounts(sock, &root, rc < 0 ? -1 : 1, errno == EINVAL ? "" : claw_error());
}

/* With a kept root, only the run's scratch space: made here while init starts. */
static void send_scratch(const struct native_spec *s, struct build *b, int sock)
{
	size_t n = nsroot_nscratch(s, true);
	struct nsroot_tree *t = xcalloc(n + 1, sizeof(*t));
	int fds[MOUNTS_MAX] = { 0 };
	int rc = n <= MOUNTS_MAX ? nsroot_scratch(s, true, t, &b->scratch)
	                         : claw_fail("more than %d tmpfs entries", MOUNTS_MAX - 1);

	for (size_t i = 0; rc == 0 && i < n; i++)
		fds[i] = t[i].fd, t[i].fd = -1; /* sent, and closed, by send_mounts */
	send_mounts(sock, fds, rc < 0 ? -1 : (int)n, claw_error());
	if (rc == 0)
		nsroot_trees_close(t, n);
	free(t);
}

/*
 * The id maps of the undo journal's overlays (journal_overlay()), as root
 * where the run is a host id of its own, into NS: 0 (NS[0] < 0 where none is
 * needed), or -1.
 */
static int overlay_idmap(const struct native_spec *s, const struct build *b, int ns[2])
{
	ns[0] = ns[1] = -1;
	if (s->noverlays == 0 || (b->host_uid == b->uid && b->host_gid == b->gid))
		return 0;
	ns[0] = journal_idmap_ns(b->uid, b->host_uid, b->gid, b->host_gid, false, s->pin_dir);
	ns[1] = ns[0] < 0
	            ? -1
	            : journal_idmap_ns(b->uid, b->host_uid, b->gid, b->host_gid, true, s->pin_dir);
	return ns[1] < 0 ? -1 : 0;
}

/*
 * Run as a host id of its own (threat 22), the sandbox sees the user's trees through
 * its own id map, as their owner's: what it writes there is the operator's on
 * disk. Init holds the same detached trees (a kept root's are inherited), so
 * this is done before it is sent anything to mount.
 */
static int idmap_user_trees(const struct build *b, const char *who)
{
	char path[64];

	if (b->host_uid == b->uid && b->host_gid == b->gid)
		return 0;
	snprintf(path, sizeof(path), "%s/ns/user", who);
	int ns = openat(b->proc, path, O_RDONLY | O_CLOEXEC), rc = ns < 0 ? -1 : 0;
	for (size_t i = 0; rc == 0 && i < b->nuser; i++)
		if (!b->user[i].overlay) /* its layers are (journal_idmap_ns) */
			rc = limits_idmap(b->user[i].fd, ns);
	if (ns < 0)
		claw_fail("/proc/%s: %s", path, strerror(errno));
	else
		close(ns);
	return rc;
}

/*
 * While init sets up its namespaces on the other CPU: its id maps, then its
 * root or, for a kept one, the scratch space.
 */
static void feed_init(const struct native_spec *s, struct build *b, pid_t pid, int sock)
{
	char who[16];

	snprintf(who, sizeof(who), "%d", (int)pid);
	if (write_maps(b->proc, who, b) < 0) {
		claw_fail("/proc/%d/uid_map: %s", (int)pid, strerror(errno));
		send_mounts(sock, NULL, -1, claw_error());
	} else if (idmap_user_trees(b, who) < 0) {
		send_mounts(sock, NULL, -1, claw_error());
	} else if (b->kept) {
		send_scratch(s, b, sock);
	} else {
		send_root(s, b, sock);
	}
}

/*
 * The scope's network namespace, kept between runs (as root only).
 *
 * A fresh network namespace costs about half a millisecond to make and as
 * much to tear down, mostly sysctl registration: the largest single cost of
 * a run. As root, claw keeps one per scope under /run/claw/INSTALLATION/netns (nspin.c),
 * loopback up. Runs of one scope may therefore reach each other over
 * loopback while they overlap; they share the workspace anyway. Other
 * scopes and the host stay out of reach (threat 8).
 */
static int netns_enter(const char *pin)
{
	return nspin_enter(pin, CLONE_NEWNET, loopback_up, NULL);
}

/*
 * The base mount namespace (as root only), which init is cloned from
 * rather than from the host's, so the kernel copies a handful of mounts
 * instead of all of the host's. For a read-only root its root is a kept
 * root (nsroot_build_kept: /usr & co, /etc, /dev, every mount point), made
 * once from the host as it is then: init mounts only what is its own (tmpfs
 * entries, shm, devpts, the user's trees, /proc) on it and is done, with no
 * root to assemble, send or pivot to per run. Runs share it read-only; the
 * kernel locks it read-only in their user namespaces (threat 7). Under its /proc
 * lies the base's own, of a pid namespace with no process left: the kernel
 * lets a user namespace mount a proc only where one is fully visible, and
 * this one shows nothing (threat 13). Otherwise (a writable root) the base is a
 * read-only tmpfs with the host's /proc and an empty NEWROOT, which init's
 * pivot_root leaves behind.
 */
struct base {
	const struct native_spec *spec; /* with a kept root: what it is made for */
	const struct build *b;
};

static int empty_proc_main(void *at)
{
	return mount("proc", at, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0;
}

/* A proc of a pid namespace whose only process, its init, has exited: it shows nothing. */
static int empty_proc(const char *at)
{
	static _Alignas(16) char stack[16 * 1024];
	int status = -1;
	pid_t pid =
	    clone(empty_proc_main, stack + sizeof(stack), CLONE_NEWPID | SIGCHLD, (void *)at);

	return pid < 0 || waitpid(pid, &status, 0) < 0 || status != 0 ? -1 : 0;
}

/* What is mounted at NSPIN_DIR becomes the base's root; the host's tree is detached. */
static int become_base(void)
{
	return chdir(NSPIN_DIR) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	               umount2(".", MNT_DETACH) < 0 || chdir("/") < 0
	           ? -1
	           : 0;
}

static int base_setup(void *arg)
{
	const struct base *base = arg;

	/* Without mounts into detached trees, init builds its own root from a copy of the
	 * host's tree, which it cannot have here: no base on this kernel. */
	if (!nsroot_detached_mounts())
		return 1;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	/* A kept root, made here from the host's tree before the pivot takes it away. */
	if (base->spec)
		return nsroot_build_kept(base->spec, base->b->uid, base->b->gid, base->b->user,
		                         base->b->nuser, NSPIN_DIR) < 0 ||
		               empty_proc(NSPIN_DIR "/proc") < 0 || become_base() < 0
		           ? -1
		           : 0;
	return mount("tmpfs", NSPIN_DIR, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	             "mode=0755,size=16k") < 0 ||
	               mkdir(NSPIN_DIR NEWROOT, 0755) < 0 || mkdir(NSPIN_DIR "/proc", 0755) < 0 ||
	               mount("proc", NSPIN_DIR "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	                     NULL) < 0 ||
	               become_base() < 0 ||
	               mount(NULL, "/", NULL,
	                     MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
	                     NULL) < 0
	           ? -1
	           : 0;
}

/* The launcher's place to come back to: setns() moves its root and cwd to the base's. */
struct mount_place {
	int ns, root, cwd;
};

/* The base without a kept root, beside the kept ones (named by their digests). */
#define EMPTY_BASE "empty"

/* At most this many kept roots: one per configuration in use, and /etc as it was. */
#define KEPT_MAX 16

/* The oldest kept root in DIR unpinned when there are KEPT_MAX: edits of /etc do not pile
 * them up. */
static void prune_kept(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char oldest[NAME_MAX + 1] = "";
	struct timespec when = { 0, 0 };
	size_t n = 0;
	struct stat st;

	/* A pin's time is its namespace's, which the kernel stamps when it is first pinned. */
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, EMPTY_BASE) == 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		n++;
		if (!oldest[0] || st.st_mtim.tv_sec < when.tv_sec ||
		    (st.st_mtim.tv_sec == when.tv_sec && st.st_mtim.tv_nsec < when.tv_nsec)) {
			snprintf(oldest, sizeof(oldest), "%s", e->d_name);
			when = st.st_mtim;
		}
	}
	if (d)
		closedir(d);
	if (n >= KEPT_MAX) {
		char *pin = xasprintf("%s/%s", dir, oldest);
		nspin_remove(pin);
		free(pin);
	}
}

/* Enters the base: with a kept root for S when it has a read-only one, else the empty one. */
static void basens_enter(struct mount_place *p, const struct native_spec *s, struct build *b)
{
	struct base base = { s->read_only_root ? s : NULL, b };
	char key[SHA256_HEX], *pin;

	p->ns = -1;
	p->root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	p->cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (p->root < 0 || p->cwd < 0 || s->pin_dir == NULL)
		return;
	char *dir = xasprintf("%s/mntns", s->pin_dir);
	if (base.spec) {
		nsroot_kept_key(s, b->uid, b->gid, b->user, b->nuser, key);
		pin = xasprintf("%s/%.32s", dir, key);
		if (access(pin, F_OK) != 0)
			prune_kept(dir); /* room for the one about to be made */
		p->ns = nspin_enter(pin, CLONE_NEWNS, base_setup, &base);
		free(pin);
		b->kept = p->ns >= 0;
	}
	if (p->ns < 0) {
		base.spec = NULL;
		pin = xasprintf("%s/" EMPTY_BASE, dir);
		p->ns = nspin_enter(pin, CLONE_NEWNS, base_setup, &base);
		free(pin);
	}
	free(dir);
}

static void basens_leave(struct mount_place *p)
{
	if (p->ns >= 0) {
		nspin_leave(p->ns, CLONE_NEWNS);
		if (fchdir(p->root) < 0 || chroot(".") < 0 || fchdir(p->cwd) < 0)
			abort(); /* the launcher must not go on in the wrong place */
	}
	if (p->root >= 0)
		close(p->root);
	if (p->cwd >= 0)
		close(p->cwd);
}

/* Back in the launcher's own mount and network namespaces. */
static void leave_all(struct mount_place *place, int own_net)
{
	basens_leave(place);
	nspin_leave(own_net, CLONE_NEWNET);
}

static void unwatch(struct native_child *c)
{
	if (c->watch)
		persist_watch_close(c->watch);
	free(c->watch);
	c->watch = NULL;
}

/*
 * Lets init start the command (wait_go), once the decision log holds the
 * run's entries on the disk: synced here while init set up, not before the
 * clone. If the log cannot be synced, init is killed and nothing runs.
 */
static int let_begin(const struct native_spec *s, struct native_child *c, int sock)
{
	if (s->sync_log && fdatasync(s->log_fd) < 0) {
		int e = errno;
		native_kill(c);
		while (waitpid(c->pid, NULL, __WALL) < 0 && errno == EINTR)
			;
		close(c->pidfd);
		return claw_fail("not run: the decision log cannot be written: fsync: %s",
		                 strerror(e));
	}
	/* If init is gone, it said why on the report pipe. */
	(void)send(sock, "G", 1, MSG_NOSIGNAL);
	return 0;
}

/*
 * Inits whose report came (supervise): each tears its namespaces down on its
 * own while the launcher logs the run's end, and is reaped without waiting
 * when the next run starts or ends (a pipeline runs many), and at the latest
 * before the launcher exits (native_reap_all): none is left a zombie that
 * would hold a pid of a kept cgroup for a parent that never reaps.
 */
static pid_t lingering[32];
static size_t nlingering;

static void reap_lingering(void)
{
	size_t k = 0;

	for (size_t i = 0; i < nlingering; i++)
		if (waitpid(lingering[i], NULL, __WALL | WNOHANG) == 0)
			lingering[k++] = lingering[i];
	nlingering = k;
}

void native_reap_all(void)
{
	for (size_t i = 0; i < nlingering; i++)
		while (waitpid(lingering[i], NULL, __WALL) < 0 && errno == EINTR)
			;
	nlingering = 0;
}

static void linger(pid_t pid)
{
	reap_lingering();
	if (nlingering == NELEM(lingering)) {
		while (waitpid(lingering[0], NULL, __WALL) < 0 && errno == EINTR)
			;
		memmove(lingering, lingering + 1, --nlingering * sizeof(*lingering));
	}
	lingering[nlingering++] = pid;
}

int native_start(const struct native_spec *s, char *const *argv, char *const *envp, const char *cwd,
                 const int fds[3], struct native_child *c)
{
	struct launch l = { .spec = s,
		            .argv = argv,
		            .envp = envp,
		            .cwd = cwd,
		            .fds = fds,
		            .b.proc = -1,
		            .b.scratch = -1 };
	int rep[2], chan[2], pidfd = -1;
	struct saved_ids saved;
	int fds_in[3];

	reap_lingering();
	memset(c, 0, sizeof(*c));
	c->pidfd = c->report_fd = c->cgroup_fd = -1;
	c->tty = (struct pty_relay){ 0, -1, -1, -1 };
	if (s->uid == 0)
		return claw_fail("refusing to run a sandboxed command as root");
	if (pipe2(rep, O_CLOEXEC) < 0)
		return claw_fail("pipe: %s", strerror(errno));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, chan) < 0) {
		close(rep[0]), close(rep[1]);
		return claw_fail("socketpair: %s", strerror(errno));
	}
	l.b.report = rep[1];
	l.b.proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	l.b.channel = chan[1];
	l.b.filter = seccomp_program(s->network);
	l.b.uid = l.b.host_uid = s->uid;
	l.b.gid = l.b.host_gid = s->gid;
	/* Memory, pids and CPU limits in the run's cgroups, or the run refused (threats 15, 23). */
	l.limits = &c->limits;
	if (limits_start(s, c) < 0)
		goto fail;
	l.b.host_uid = c->limits.host_uid;
	l.b.host_gid = c->limits.host_gid;
	/* Persistence paths, there or not, made read-only inside by construction (threat 10); the
	 * trees are idmapped when the sandbox runs as ids of its own. */
	c->watch = xcalloc(1, sizeof(*c->watch));
	if (persist_watch_start(s, c->limits.distinct, c->watch) < 0) {
		free(c->watch);
		c->watch = NULL;
		goto fail;
	}
	l.b.watch = c->watch;
	/* The operator's terminal is not the sandbox's: it gets one of its own, its user's
	 * (threat 16). */
	if (pty_relay_start(fds, l.b.host_uid, l.b.host_gid, fds_in, &c->tty) < 0)
		goto fail;
	l.fds = fds_in;
	l.ctty = c->tty.pid > 0 ? c->tty.tty : -1;
	if (geteuid() == 0) {
		int ns[2];
		int n = overlay_idmap(s, &l.b, ns) < 0
		            ? -1
		            : nsroot_user_trees(s, c->watch, l.b.user, NELEM(l.b.user),
		                                ns[0] >= 0 ? ns : NULL);
		for (size_t i = 0; i < 2; i++)
			if (ns[i] >= 0)
				close(ns[i]);
		if (n < 0)
			goto fail;
		l.b.nuser = (size_t)n;
		l.b.have_user = l.b.parallel = true;
	}
	int own_net = -1;
	if (!s->network && s->netns_pin && geteuid() == 0) {
		own_net = netns_enter(s->netns_pin);
		l.b.net_ready = own_net >= 0; /* else: a fresh one per run, by init's helper */
	}
	/* Else (not root, or it cannot be had) init starts from a copy of the host's. */
	struct mount_place place = { -1, -1, -1 };
	if (l.b.parallel)
		basens_enter(&place, s, &l.b);
	if (become_user(l.b.host_uid, l.b.host_gid, &saved) < 0) {
		leave_all(&place, own_net);
		goto fail;
	}
	/* One clone, every namespace: user, mount, pid, uts, cgroup, network unless the
	 * host's is configured (threats 3, 7, 8, 13), and IPC: System V objects and POSIX
	 * message queues of this run's own, which go with its last process, so none outlives
	 * the run, pins host memory or passes anything to the next one (threat 19). */
	unsigned long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS |
	                      CLONE_NEWCGROUP | CLONE_NEWIPC | CLONE_PIDFD | SIGCHLD;
	l.moved = l.b.parallel && sched_getaffinity(0, sizeof(l.cpus), &l.cpus) == 0 &&
	          CPU_COUNT(&l.cpus) > 1;
	long pid = limits_clone(flags, &pidfd, c);
	if (pid == 0)
		init_main(&l);
	int e = errno;
	become_root_again(&saved);
	pty_relay_started(&c->tty); /* init has its copy */
	if (pid > 0) {
		if (l.moved)
			move_away((pid_t)pid, &l.cpus);
		/* What init waits for first (a kept root's needs nothing of the host's tree). */
		if (l.b.kept)
			feed_init(s, &l.b, (pid_t)pid, chan[0]);
	}
	leave_all(&place, own_net);
	if (c->ncgroups > 0)
		limits_cgroups_enter(c, false);
	if (pid < 0) {
		clone_error(e);
		goto fail;
	}
	if (!l.b.kept && l.b.parallel)
		feed_init(s, &l.b, (pid_t)pid, chan[0]);
	c->pid = (pid_t)pid;
	c->pidfd = pidfd;
	if (let_begin(s, c, chan[0]) < 0) {
		c->pid = 0;
		c->pidfd = -1;
		goto fail;
	}
	c->wait_teardown = (c->ncgroups > 0 && !c->cgroups_kept) || s->noverlays > 0;
	if (l.b.scratch >= 0)
		close(l.b.scratch);
	close(rep[1]);
	close(chan[1]);
	c->report_fd = rep[0];
	close(l.b.proc);
	nsroot_trees_close(l.b.user, l.b.nuser);
	close(chan[0]);
	return 0;
fail:
	nsroot_trees_close(l.b.user, l.b.nuser);
	close(rep[0]), close(rep[1]), close(chan[0]), close(chan[1]), close(l.b.proc);
	if (l.b.scratch >= 0)
		close(l.b.scratch);
	limits_cgroups_remove(c);
	pty_relay_finish(&c->tty);
	unwatch(c);
	return -1;
}

bool native_report(struct native_child *c)
{
	ssize_t n;

	if (c->reported)
		return true;
	do
		n = read(c->report_fd, c->msg + c->msglen, sizeof(c->msg) - 1 - c->msglen);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		c->msglen += (size_t)n;
	c->reported = n <= 0 || c->msglen == sizeof(c->msg) - 1 ||
	              (c->msglen >= 1 + sizeof(int) && c->msg[0] == 'S');
	return c->reported;
}

/*
 * Init reaped: at once if it is gone (INIT_STATUS), or waited for where the
 * run's cgroups are removed or an overlay merged after it, or where it never
 * said how the command ended; else left to finish on its own (linger).
 */
static int reap_init(struct native_child *c, const int *init_status, bool said)
{
	int status = init_status ? *init_status : 0;

	if (init_status == NULL && (c->wait_teardown || !said))
		while (waitpid(c->pid, &status, __WALL) < 0 && errno == EINTR)
			;
	else if (init_status == NULL)
		linger(c->pid);
	return status;
}

int native_finish(struct native_child *c, const int *init_status, int *status, int *code)
{
	int rc = 0;

	while (!native_report(c))
		;
	c->msg[c->msglen] = '\0';
	*code = 0;
	bool said = c->msglen >= 1 + sizeof(int) && c->msg[0] == 'S';
	int init = reap_init(c, init_status, said);
	if (said) {
		memcpy(status, c->msg + 1, sizeof(int));
	} else if (c->msglen >= 2 && c->msg[0] == 'E') {
		*code = (unsigned char)c->msg[1];
		rc = claw_fail("sandbox: %s", c->msg + 2);
	} else {
		/* Init itself died (killed at the timeout, or by the OOM killer): so did the rest.
		 */
		*status = init;
	}
	close(c->report_fd);
	close(c->pidfd);
	c->report_fd = c->pidfd = -1;
	/* The sandbox is gone: what it wrote to its terminal is shown, the operator's
	 * terminal is put back as it was. */
	pty_relay_finish(&c->tty);
	limits_cgroups_remove(c);
	/* Every process of the sandbox has exited (supervise), or init with them: nothing
	 * writes any more. */
	c->nmoved = persist_watch_finish(c->watch, &c->moved);
	free(c->watch);
	c->watch = NULL;
	reap_lingering();
	return rc;
}

void native_kill(struct native_child *c)
{
	/* SIGKILL to init ends the pid namespace: the whole tree, however deep (threat 15). */
	if (syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0) < 0)
		kill(c->pid, SIGKILL);
}

int native_check_kernel(void)
{
	struct stat st;

	if (stat("/proc/self/ns/user", &st) < 0)
		return claw_fail("the kernel has no user namespaces (CONFIG_USER_NS)");
	if (stat("/proc/self/ns/cgroup", &st) < 0)
		return claw_fail("the kernel has no cgroup namespaces (CONFIG_CGROUPS)");
	return 0;
}
