/*
 * kernel.c: probing the kernel for what the native sandbox needs.
 *
 * Each probe asks the kernel itself rather than reading a version number:
 * distributions turn features off (user namespaces by sysctl, by AppArmor
 * policy; Landlock by the lsm= boot parameter) whatever the version says.
 */
#include "native/kernel.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#define LANDLOCK_CREATE_RULESET_VERSION_FLAG (1U << 0)

/* The first number in a /proc/sys file, or -1 when it cannot be read. */
static long read_sysctl(const char *path)
{
	char text[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	return strtol(text, NULL, 10);
}

/*
 * A child makes a user namespace and a mount namespace inside it, as the
 * sandbox does. Ubuntu's AppArmor policy lets the first succeed and then
 * withholds the capabilities the second needs, so both are tried.
 */
static void probe_userns(struct kernel_features *k)
{
	int fds[2], report[2] = { 0, 0 }, status;
	long max = read_sysctl("/proc/sys/user/max_user_namespaces");

	k->userns = false;
	if (max == 0) {
		snprintf(k->userns_why, sizeof(k->userns_why),
		         "user namespaces are disabled (sysctl user.max_user_namespaces=0)");
		return;
	}
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(k->userns_why, sizeof(k->userns_why), "cannot probe: pipe: %s",
		         strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(k->userns_why, sizeof(k->userns_why), "cannot probe: fork: %s",
		         strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		int r[2] = { 0, 0 };
		close(fds[0]);
		if (unshare(CLONE_NEWUSER) < 0)
			r[0] = 1, r[1] = errno;
		else if (unshare(CLONE_NEWNS) < 0)
			r[0] = 2, r[1] = errno;
		if (write(fds[1], r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	ssize_t n = read(fds[0], report, sizeof(report));
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(report)) {
		snprintf(k->userns_why, sizeof(k->userns_why), "cannot probe: the child died");
		return;
	}
	if (report[0] == 0) {
		k->userns = true;
		return;
	}
	if (report[0] == 1 && read_sysctl("/proc/sys/kernel/unprivileged_userns_clone") == 0)
		snprintf(k->userns_why, sizeof(k->userns_why),
		         "unprivileged user namespaces are disabled (sysctl "
		         "kernel.unprivileged_userns_clone=0)");
	else if (report[0] == 2 &&
	         read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1)
		snprintf(k->userns_why, sizeof(k->userns_why),
		         "AppArmor restricts unprivileged user namespaces (sysctl "
		         "kernel.apparmor_restrict_unprivileged_userns=1)");
	else
		snprintf(k->userns_why, sizeof(k->userns_why), "unshare(%s) fails: %s",
		         report[0] == 1 ? "CLONE_NEWUSER" : "CLONE_NEWNS in a user namespace",
		         strerror(report[1]));
}

static void probe_seccomp(struct kernel_features *k)
{
	uint32_t action = SECCOMP_RET_ERRNO;

	k->seccomp_filter = false;
	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0) {
		k->seccomp_filter = true;
		return;
	}
	if (errno == ENOSYS || errno == EINVAL) {
		/* Before seccomp(2) (Linux 3.17): prctl says whether filters exist;
		 * a NULL program is EFAULT where they do, EINVAL where they do not. */
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL, 0, 0) < 0 && errno == EFAULT) {
			k->seccomp_filter = true;
			return;
		}
		snprintf(k->seccomp_why, sizeof(k->seccomp_why),
		         "the kernel has no seccomp filters (CONFIG_SECCOMP_FILTER)");
		return;
	}
	snprintf(k->seccomp_why, sizeof(k->seccomp_why), "seccomp(2) fails: %s", strerror(errno));
}

static void probe_landlock(struct kernel_features *k)
{
	long abi =
	    syscall(__NR_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION_FLAG);

	k->landlock_abi = abi > 0 ? (int)abi : 0;
	if (abi > 0)
		return;
	if (errno == ENOSYS)
		snprintf(k->landlock_why, sizeof(k->landlock_why),
		         "the kernel has no Landlock (CONFIG_SECURITY_LANDLOCK, Linux 5.13 or "
		         "later)");
	else if (errno == EOPNOTSUPP)
		snprintf(k->landlock_why, sizeof(k->landlock_why),
		         "Landlock is built in but not enabled (add landlock to the lsm= boot "
		         "parameter)");
	else
		snprintf(k->landlock_why, sizeof(k->landlock_why), "landlock_create_ruleset: %s",
		         strerror(errno));
}

void kernel_probe(struct kernel_features *k)
{
	struct stat st;

	memset(k, 0, sizeof(*k));
	probe_userns(k);
	k->cgroupns = stat("/proc/self/ns/cgroup", &st) == 0;
	probe_seccomp(k);
	probe_landlock(k);
}
