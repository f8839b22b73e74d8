/* without: runs a command on a kernel that lacks what host runs need, the way
 * real hosts lack it: `without userns CMD...` as Docker's default seccomp
 * profile (unshare and clone with CLONE_NEWUSER fail with EPERM, clone3 with
 * ENOSYS so that libc falls back to clone); `without landlock CMD...` as a
 * kernel booted without the Landlock LSM (its calls fail with ENOSYS). */
#include <errno.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif

static int deny_userns(scmp_filter_ctx f)
{
	return seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
	                        SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)) ||
	       seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
	                        SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)) ||
	       seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
}

static int deny_landlock(scmp_filter_ctx f)
{
	return seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), __NR_landlock_create_ruleset, 0);
}

int main(int argc, char **argv)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
	int rc;

	if (argc < 3 || f == NULL) {
		fprintf(stderr, "usage: without userns|landlock CMD [ARG...]\n");
		return 2;
	}
	if (strcmp(argv[1], "userns") == 0)
		rc = deny_userns(f);
	else if (strcmp(argv[1], "landlock") == 0)
		rc = deny_landlock(f);
	else
		rc = -1;
	if (rc != 0 || seccomp_load(f) != 0) {
		fprintf(stderr, "without: cannot load the filter\n");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
