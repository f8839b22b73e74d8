/* abi: the filter seen through another ABI (claw-sandbox(1) threat 5): an i386 system call
 * (int 0x80) and an x32 one must kill the process, not slip past. */
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"

static void i386_keyctl(void)
{
	long rc;
	/* i386 keyctl is 288; under the x86_64 table it would be another call. */
	__asm__ volatile("int $0x80" : "=a"(rc) : "a"(288L), "b"(0L), "c"(0L) : "memory");
	_exit(rc < 0 ? 3 : 4);
}

static void x32_getpid(void)
{
	long rc = syscall(0x40000000L | SYS_getpid);
	_exit(rc < 0 ? 3 : 4);
}

static void run(void (*fn)(void), const char *what)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		fn();
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		check(WTERMSIG(status) == SIGSYS, "%s: killed by signal %d", what,
		      WTERMSIG(status));
	else
		check(0, "%s: returned (exit %d)", what, WEXITSTATUS(status));
}

int main(void)
{
	run(i386_keyctl, "i386 int 0x80");
	run(x32_getpid, "x32 system call");
	return done();
}
