/* remount: read-only paths made writable again (peers.md 7): by a remount,
 * or from a nested user namespace where we would hold CAP_SYS_ADMIN. */
#include <fcntl.h>
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
	/* /dev is a small writable tmpfs (for /dev/shm); Landlock keeps writes to shm. */
	refused(open("/dev/claw-probe", O_WRONLY | O_CREAT, 0644), EACCES, "create a file in /dev");
	refused(mount(NULL, "/usr", NULL, MS_REMOUNT | MS_BIND, NULL), EPERM, "remount /usr rw");
	refused(unshare(CLONE_NEWUSER | CLONE_NEWNS), EPERM, "unshare(user+mount)");
	if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0)
		check(atoi(buf) == 0, "user.max_user_namespaces is %d", atoi(buf));
	else
		check(0, "cannot read user.max_user_namespaces");
	return done();
}
