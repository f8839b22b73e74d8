/* iouring: io_uring runs socket and open operations no seccomp filter sees
 * (claw-sandbox(1) threat 6): it must not be set up at all. */
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe.h"

int main(void)
{
	char params[120] = { 0 };

	refused(syscall(SYS_io_uring_setup, 8, params), EPERM, "io_uring_setup");
	refused(syscall(SYS_io_uring_enter, 0, 0, 0, 0, NULL, 0), EPERM, "io_uring_enter");
	refused(syscall(SYS_io_uring_register, 0, 0, NULL, 0), EPERM, "io_uring_register");
	return done();
}
