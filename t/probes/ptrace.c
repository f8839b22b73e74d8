/* ptrace: other processes (claw-sandbox(1) threat 3): no ptrace, no process_vm_readv, and
 * the host's processes invisible: signalling the pid given is ESRCH. */
#include <signal.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"

int main(int argc, char **argv)
{
	char buf[8];
	pid_t child = fork();

	if (child == 0) {
		pause();
		_exit(0);
	}
	refused(ptrace(PTRACE_ATTACH, child, 0, 0), EPERM, "ptrace(ATTACH) of our own child");
	refused(ptrace(PTRACE_TRACEME, 0, 0, 0), EPERM, "ptrace(TRACEME)");
	struct iovec local = { buf, sizeof(buf) }, remote = { buf, sizeof(buf) };
	refused(process_vm_readv(child, &local, 1, &remote, 1, 0), EPERM, "process_vm_readv");
	refused(process_vm_writev(child, &local, 1, &remote, 1, 0), EPERM, "process_vm_writev");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	for (int i = 1; i < argc; i++) {
		pid_t host = (pid_t)atoi(argv[i]);
		refused(kill(host, 0), ESRCH, "kill(host pid, 0)");
		refused(kill(host, SIGTERM), ESRCH, "kill(host pid, SIGTERM)");
	}
	refused(kill(-1, 0) == 0 && getpid() == 1 ? 0 : -1, 0, "we are not init");
	return done();
}
