/* tiocsti: terminal injection (claw-sandbox(1) threat 1): TIOCSTI and TIOCLINUX on every
 * inherited descriptor, also with junk in the ioctl's upper 32 bits, and no
 * controlling terminal to open by name. A terminal on stdin is the sandbox's
 * own (claw-sandbox(1), threats, 6): the probe prints which it is, for the
 * test to compare with the operator's. */
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
	char name[256];
	ssize_t n = isatty(0) ? readlink("/proc/self/fd/0", name, sizeof(name) - 1) : -1;
	if (n > 0)
		printf("terminal: %.*s\n", (int)n, name);
	return done();
}
