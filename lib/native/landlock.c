/*
 * landlock.c: Landlock through raw system calls.
 *
 * Debian's headers stop at ABI 2; the kernel here speaks ABI 7. The
 * definitions below follow the kernel's uapi, and every right is masked by
 * the ABI the kernel reports, so an older kernel gets what it supports.
 */
#include "native/landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/util.h"

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule       445
#define __NR_landlock_restrict_self  446
#endif

#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH      1

/* File-system rights (uapi linux/landlock.h), with the ABI that introduced each. */
#define LL_FS_EXECUTE     (1ULL << 0)
#define LL_FS_WRITE_FILE  (1ULL << 1)
#define LL_FS_READ_FILE   (1ULL << 2)
#define LL_FS_READ_DIR    (1ULL << 3)
#define LL_FS_REMOVE_DIR  (1ULL << 4)
#define LL_FS_REMOVE_FILE (1ULL << 5)
#define LL_FS_MAKE_CHAR   (1ULL << 6)
#define LL_FS_MAKE_DIR    (1ULL << 7)
#define LL_FS_MAKE_REG    (1ULL << 8)
#define LL_FS_MAKE_SOCK   (1ULL << 9)
#define LL_FS_MAKE_FIFO   (1ULL << 10)
#define LL_FS_MAKE_BLOCK  (1ULL << 11)
#define LL_FS_MAKE_SYM    (1ULL << 12)
#define LL_FS_REFER       (1ULL << 13) /* ABI 2 */
#define LL_FS_TRUNCATE    (1ULL << 14) /* ABI 3 */
#define LL_FS_IOCTL_DEV   (1ULL << 15) /* ABI 5 */

#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL               (1ULL << 1) /* ABI 6 */

struct ll_ruleset_attr {
	__u64 handled_access_fs;
	__u64 handled_access_net; /* ABI 4 */
	__u64 scoped;             /* ABI 6 */
};

struct ll_path_beneath_attr {
	__u64 allowed_access;
	__s32 parent_fd;
} __attribute__((packed));

/* Rights that change the file system, by ABI: what "read-only" must take away. */
static __u64 write_rights(int abi)
{
	__u64 r = LL_FS_WRITE_FILE | LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE | LL_FS_MAKE_CHAR |
	          LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO |
	          LL_FS_MAKE_BLOCK | LL_FS_MAKE_SYM;
	if (abi >= 2)
		r |= LL_FS_REFER; /* renames and links across directories */
	if (abi >= 3)
		r |= LL_FS_TRUNCATE; /* truncate(2) without opening for write */
	if (abi >= 5)
		r |= LL_FS_IOCTL_DEV; /* ioctls on devices outside /dev/null & co */
	return r;
}

/* Rights that apply to a file rather than a directory. */
static __u64 file_rights(int abi)
{
	return write_rights(abi) & (LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV);
}

int landlock_abi(void)
{
	long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
	return abi < 0 ? 0 : (int)abi;
}

static int add_path(int ruleset, const char *path, int abi)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1; /* nothing there, nothing to allow */
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	struct ll_path_beneath_attr attr = {
		.allowed_access = S_ISDIR(st.st_mode) ? write_rights(abi) : file_rights(abi),
		.parent_fd = fd,
	};
	long rc = syscall(__NR_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &attr, 0);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc < 0 ? -1 : 0;
}

int landlock_restrict(const char *const *writable, size_t n)
{
	int abi = landlock_abi();

	if (abi <= 0)
		return 0;
	struct ll_ruleset_attr attr = { .handled_access_fs = write_rights(abi) };
	size_t size =
	    abi >= 6 ? sizeof(attr) : offsetof(struct ll_ruleset_attr, handled_access_net);
	if (abi >= 6)
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
	int ruleset = (int)syscall(__NR_landlock_create_ruleset, &attr, size, 0);
	if (ruleset < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (add_path(ruleset, writable[i], abi) < 0)
			goto fail;
	if (syscall(__NR_landlock_restrict_self, ruleset, 0) < 0)
		goto fail;
	close(ruleset);
	return abi;
fail:;
	int saved = errno;
	close(ruleset);
	errno = saved;
	return -1;
}
