/* syscalls: dangerous system calls (claw-sandbox(1) threat 4): keyrings, bpf, perf,
 * userfaultfd, the old and new mount APIs, nested user namespaces, and
 * clone3 (ENOSYS, so libc falls back to a clone the filter can read). */
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe.h"

#ifndef SYS_open_tree_attr
#define SYS_open_tree_attr 467
#endif

int main(void)
{
	refused(syscall(SYS_keyctl, 0, 0, 0, 0, 0), EPERM, "keyctl");
	refused(syscall(SYS_add_key, "user", "k", "v", 1, -4), EPERM, "add_key");
	refused(syscall(SYS_request_key, "user", "k", NULL, 0), EPERM, "request_key");
	refused(syscall(SYS_bpf, 0, NULL, 0), EPERM, "bpf");
	refused(syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0), EPERM, "perf_event_open");
	refused(syscall(SYS_userfaultfd, 0), EPERM, "userfaultfd");
	refused(mount("none", "/tmp", "tmpfs", 0, NULL), EPERM, "mount");
	refused(umount2("/proc", MNT_DETACH), EPERM, "umount2");
	refused(syscall(SYS_open_tree, AT_FDCWD, "/usr", 1), EPERM, "open_tree");
	refused(syscall(SYS_move_mount, -1, "", AT_FDCWD, "/tmp", 4), EPERM, "move_mount");
	refused(syscall(SYS_fsopen, "tmpfs", 0), EPERM, "fsopen");
	refused(syscall(SYS_fsconfig, -1, 0, NULL, NULL, 0), EPERM, "fsconfig");
	refused(syscall(SYS_fsmount, -1, 0, 0), EPERM, "fsmount");
	refused(syscall(SYS_fspick, AT_FDCWD, "/usr", 0), EPERM, "fspick");
	refused(syscall(SYS_mount_setattr, AT_FDCWD, "/usr", 0, NULL, 0), EPERM, "mount_setattr");
	refused(syscall(SYS_open_tree_attr, AT_FDCWD, "/usr", 1, NULL, 0), EPERM, "open_tree_attr");
	refused(syscall(SYS_pivot_root, "/tmp", "/tmp"), EPERM, "pivot_root");
	refused(unshare(CLONE_NEWUSER), EPERM, "unshare(CLONE_NEWUSER)");
	refused(unshare(CLONE_NEWNS), EPERM, "unshare(CLONE_NEWNS)");
	refused(syscall(SYS_setns, 0, 0), EPERM, "setns");
	refused(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, 0), EPERM,
	        "clone(CLONE_NEWUSER)");
	struct clone_args ca = { .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };
	refused(syscall(SYS_clone3, &ca, sizeof(ca)), ENOSYS, "clone3");
	return done();
}
