/*
 * nspin.c: namespaces kept between runs.
 *
 * Some namespaces cost more to make than a whole run should take (a
 * network namespace registers its sysctls) or are the same every time (the
 * empty mount namespace a sandbox's mounts start from). As root, claw keeps
 * them, like `ip netns`: a child is born in a new namespace, sets it up, and
 * its /proc/PID/ns file is bind-mounted over a file under /run/claw, which
 * keeps the namespace alive after the child exits. They belong to the
 * host's user namespace, so nothing inside a sandbox can reconfigure them.
 */
#include "native/nspin.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/util.h"

/* The namespace's name under /proc/PID/ns. */
static const char *ns_name(int nstype)
{
	return nstype == CLONE_NEWNET    ? "net"
	       : nstype == CLONE_NEWIPC  ? "ipc"
	       : nstype == CLONE_NEWUSER ? "user"
	                                 : "mnt";
}

static int nspin_open(const char *pin, int nstype)
{
	int fd = open(pin, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	/* Anything else there (a plain file, another kind of namespace) is not ours to enter. */
	if (fd >= 0 && ioctl(fd, NS_GET_NSTYPE) != nstype) {
		close(fd);
		return -1;
	}
	return fd;
}

struct pin_child {
	int hold[2];  /* read until the launcher has pinned the namespace */
	int ready[2]; /* one byte: 'y' once it is set up, 'n' if not, 'x' never here */
	int (*setup)(void *);
	void *arg;
};

static int pin_child_main(void *arg)
{
	struct pin_child *c = arg;
	char byte = 'n';

	close(c->hold[1]); /* our copy of the write end: EOF comes when the launcher closes its */
	close(c->ready[0]);
	int rc = c->setup ? c->setup(c->arg) : 0;
	if (rc == 0)
		byte = 'y';
	else if (rc > 0)
		byte = 'x';
	if (write(c->ready[1], &byte, 1) != 1 || byte != 'y')
		return 1;
	return read(c->hold[0], &byte, 1) < 0;
}

/* The directories above PIN, each made root's own (0700) if missing. */
static int make_dirs(const char *pin)
{
	char dir[PATH_MAX];

	if (snprintf(dir, sizeof(dir), "%s", pin) >= (int)sizeof(dir))
		return -1;
	for (char *p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		int rc = mkdir(dir, 0700);
		*p = '/';
		if (rc < 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

static void close_pair(int p[2])
{
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0)
			close(p[i]), p[i] = -1;
}

/* Makes the kept namespace: a child in a new one, set up, then bind-mounted over PIN. */
static int nspin_create(const char *pin, int nstype, int (*setup)(void *), void *arg)
{
	/* The child runs SETUP on this stack, in its own copy of our memory: room for a
	 * kept root's build (nsroot.c's frames take some kilobytes each); only what it
	 * uses is ever touched. */
	static _Alignas(16) char stack[256 * 1024];
	struct pin_child c = { { -1, -1 }, { -1, -1 }, setup, arg };
	char ns[64], ready = 'n';
	int fd, rc = -1;

	if (make_dirs(pin) < 0)
		return -1;
	if ((fd = open(pin, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0400)) < 0)
		return errno == EEXIST ? 0 : -1; /* another run made it meanwhile */
	close(fd);
	if (pipe2(c.hold, O_CLOEXEC) < 0 || pipe2(c.ready, O_CLOEXEC) < 0)
		goto out;
	pid_t pid = clone(pin_child_main, stack + sizeof(stack), nstype | SIGCHLD, &c);
	if (pid > 0) {
		close(c.ready[1]);
		c.ready[1] = -1;
		/* Pinned only once set up: no other run ever enters a half-made namespace. */
		if (read(c.ready[0], &ready, 1) == 1 && ready == 'y') {
			snprintf(ns, sizeof(ns), "/proc/%d/ns/%s", (int)pid, ns_name(nstype));
			rc = mount(ns, pin, NULL, MS_BIND, NULL);
		}
		close_pair(c.hold);
		waitpid(pid, NULL, 0);
	}
out:
	close_pair(c.hold);
	close_pair(c.ready);
	/* The plain file stays where this kernel can never have it: later runs see it
	 * is no namespace and go without, at the cost of an open. */
	if (rc < 0 && ready != 'x')
		unlink(pin);
	return rc;
}

int nspin_enter(const char *pin, int nstype, int (*setup)(void *), void *arg)
{
	int fd = nspin_open(pin, nstype), self;
	char own[32];

	if (fd < 0 &&
	    (nspin_create(pin, nstype, setup, arg) < 0 || (fd = nspin_open(pin, nstype)) < 0))
		return -1;
	snprintf(own, sizeof(own), "/proc/self/ns/%s", ns_name(nstype));
	self = open(own, O_RDONLY | O_CLOEXEC);
	if (self < 0 || setns(fd, nstype) < 0) {
		if (self >= 0)
			close(self);
		self = -1;
	}
	close(fd);
	return self;
}

void nspin_leave(int self, int nstype)
{
	if (self >= 0 && setns(self, nstype) < 0)
		abort(); /* the launcher must not stay in a sandbox's namespace */
	if (self >= 0)
		close(self);
}

/* The holder of a new user namespace: it waits until the launcher has opened it. */
static int hold_user(void *arg)
{
	const int *hold = arg;
	char c;

	close(hold[1]); /* its copy of the write end: EOF comes when the launcher closes its */
	while (read(hold[0], &c, 1) < 0 && errno == EINTR)
		;
	return 0;
}

static bool write_proc_map(pid_t pid, const char *file, const char *map)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t n = strlen(map);
	bool ok = fd >= 0 && write(fd, map, n) == (ssize_t)n;
	if (fd >= 0)
		close(fd);
	return ok;
}

int nspin_user_new(const char *uid_map, const char *gid_map)
{
	/* Born in its namespace and sharing our memory: no copy of the launcher is made. */
	static _Alignas(16) char stack[16384];
	int hold[2], ns = -1;
	char path[64];

	if (pipe2(hold, O_CLOEXEC) < 0)
		return -1;
	pid_t pid =
	    clone(hold_user, stack + sizeof(stack), CLONE_NEWUSER | CLONE_VM | SIGCHLD, hold);
	int e = errno;
	if (pid > 0) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
		if (write_proc_map(pid, "uid_map", uid_map) &&
		    write_proc_map(pid, "gid_map", gid_map))
			ns = open(path, O_RDONLY | O_CLOEXEC);
		e = errno;
	}
	close_pair(hold); /* the holder reads EOF and ends */
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	errno = e;
	return ns;
}

/* Makes the user namespace of UID_MAP and GID_MAP, pinned at PIN (its maps never change). */
static int nspin_create_user(const char *pin, const char *uid_map, const char *gid_map)
{
	char self[64];
	int fd, ns, rc = -1;

	if (make_dirs(pin) < 0)
		return -1;
	if ((fd = open(pin, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0400)) < 0)
		return errno == EEXIST ? 0 : -1; /* another run made it meanwhile */
	close(fd);
	if ((ns = nspin_user_new(uid_map, gid_map)) >= 0) {
		snprintf(self, sizeof(self), "/proc/self/fd/%d", ns);
		rc = mount(self, pin, NULL, MS_BIND, NULL);
		close(ns);
	}
	if (rc < 0)
		unlink(pin);
	return rc;
}

int nspin_user(const char *pin, const char *uid_map, const char *gid_map)
{
	int fd = nspin_open(pin, CLONE_NEWUSER);

	if (fd < 0 && nspin_create_user(pin, uid_map, gid_map) == 0)
		fd = nspin_open(pin, CLONE_NEWUSER);
	return fd;
}

int nspin_remove(const char *pin)
{
	if (umount2(pin, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL && errno != ENOENT)
		return claw_fail("umount %s: %s", pin, strerror(errno));
	if (unlink(pin) < 0 && errno != ENOENT)
		return claw_fail("unlink %s: %s", pin, strerror(errno));
	return 0;
}

int nspin_remove_all(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : claw_fail("%s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *pin = xasprintf("%s/%s", dir, e->d_name);
		rc |= nspin_remove(pin);
		free(pin);
	}
	closedir(d);
	if (rc == 0 && rmdir(dir) < 0 && errno != ENOTEMPTY && errno != ENOENT)
		rc = claw_fail("rmdir %s: %s", dir, strerror(errno));
	return rc;
}
