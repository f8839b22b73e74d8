/* tiocsti: terminal injection (peers.md 1): TIOCSTI and TIOCLINUX on every
 * inherited descriptor, also with junk in the ioctl's upper 32 bits, and no
 * controlling terminal to open. */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe.h"

int main(void)
{
	char c = 'x';
	unsigned long high = 1UL << 32;

	for (int fd = 0; fd < 3; fd++) {
		errno = 0;
		refused(syscall(SYS_ioctl, fd, TIOCSTI, &c), EPERM, "TIOCSTI");
		refused(syscall(SYS_ioctl, fd, TIOCSTI | high, &c), EPERM,
		        "TIOCSTI, high bits set");
		char sel[2] = { 6, 0 };
		refused(syscall(SYS_ioctl, fd, TIOCLINUX, sel), EPERM, "TIOCLINUX");
	}
	refused(open("/dev/tty", O_RDWR), 0, "open /dev/tty");
	/* A new session: a terminal on stdin is not our controlling terminal. */
	pid_t sid;
	refused(ioctl(0, TIOCGSID, &sid), 0, "stdin as controlling terminal (TIOCGSID)");
	return done();
}
