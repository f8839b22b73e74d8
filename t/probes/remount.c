/* remount: read-only paths made writable again (claw-sandbox(1) threat 7): by a remount,
 * or from a nested user namespace where we would hold CAP_SYS_ADMIN. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>

#include "probe.h"

int main(void)
{
	char buf[32] = "";
	int fd = open("/proc/sys/user/max_user_namespaces", O_RDONLY);

	refused(open("/usr/claw-probe", O_WRONLY | O_CREAT, 0644), EROFS, "write under /usr");
	/* /dev is read-only (a kept root), or a small writable tmpfs where Landlock keeps
	 * writes to /dev/shm. */
	int dev = open("/dev/claw-probe", O_WRONLY | O_CREAT, 0644), e = errno;
	check(dev < 0 && (e == EACCES || e == EROFS), "create a file in /dev: %s",
	      dev < 0 ? strerror(e) : "succeeded");
	refused(mount(NULL, "/usr", NULL, MS_REMOUNT | MS_BIND, NULL), EPERM, "remount /usr rw");
	refused(unshare(CLONE_NEWUSER | CLONE_NEWNS), EPERM, "unshare(user+mount)");
	if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0)
		check(atoi(buf) == 0, "user.max_user_namespaces is %d", atoi(buf));
	else
		check(0, "cannot read user.max_user_namespaces");
	return done();
}
