/* setid: no setuid or setgid file leaves the sandbox (claw-sandbox(1)
 * threat 18). Every call that sets a file's mode tries S_ISUID and S_ISGID in
 * the directory given (the workspace); each must fail with EPERM (openat2:
 * ENOSYS, so callers fall back to openat), and the same calls without the
 * bits must work. The test then looks for such files on the host.
 * Argument: the directory. */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe.h"

static const char *dir;
static char path[512];

static const char *at(const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static int dirfd_of(void)
{
	static int fd = -1;
	if (fd < 0)
		fd = open(dir, O_PATH | O_DIRECTORY);
	return fd;
}

/* A plain file to change the mode of. */
static void plain(const char *name)
{
	int fd = open(at(name), O_WRONLY | O_CREAT | O_TRUNC, 0755);
	check(fd >= 0, "a plain file %s can be made", name);
	if (fd >= 0)
		close(fd);
}

static void modes(mode_t bit, const char *what)
{
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "chmod-%s", what);
	plain(name);
	refused(chmod(at(name), 0755 | bit), EPERM, "chmod");
	refused(fchmodat(dirfd_of(), name, 0755 | bit, 0), EPERM, "fchmodat");
	refused(syscall(452 /* fchmodat2 */, dirfd_of(), name, 0755 | bit, 0), EPERM, "fchmodat2");
	fd = open(at(name), O_RDONLY);
	refused(fchmod(fd, 0755 | bit), EPERM, "fchmod");
	close(fd);
	snprintf(name, sizeof(name), "open-%s", what);
	refused(open(at(name), O_WRONLY | O_CREAT, 0755 | bit), EPERM, "open(O_CREAT)");
	refused(openat(dirfd_of(), name, O_WRONLY | O_CREAT | O_EXCL, 0755 | bit), EPERM,
	        "openat(O_CREAT)");
	refused(syscall(SYS_open, at(name), O_WRONLY | O_CREAT, 0755 | bit), EPERM, "open");
	refused(creat(at(name), 0755 | bit), EPERM, "creat");
	refused(openat(dirfd_of(), ".", O_TMPFILE | O_WRONLY, 0755 | bit), EPERM,
	        "openat(O_TMPFILE)");
	struct open_how how = { .flags = O_WRONLY | O_CREAT, .mode = 0755 | bit };
	refused(syscall(SYS_openat2, dirfd_of(), name, &how, sizeof(how)), ENOSYS, "openat2");
	snprintf(name, sizeof(name), "mkdir-%s", what);
	refused(mkdir(at(name), 0755 | bit), EPERM, "mkdir");
	refused(mkdirat(dirfd_of(), name, 0755 | bit), EPERM, "mkdirat");
	snprintf(name, sizeof(name), "mknod-%s", what);
	refused(mknod(at(name), S_IFREG | 0755 | bit, 0), EPERM, "mknod");
	refused(mknodat(dirfd_of(), name, S_IFREG | 0755 | bit, 0), EPERM, "mknodat");
}

int main(int argc, char **argv)
{
	dir = argc > 1 ? argv[1] : "/workspace";
	modes(S_ISUID, "setuid");
	modes(S_ISGID, "setgid");
	/* Without the bits, each works: the rows refuse the bits, not the calls. */
	plain("plain");
	check(chmod(at("plain"), 0700) == 0, "chmod 0700 works");
	int fd = openat(dirfd_of(), "plain2", O_WRONLY | O_CREAT, 0644);
	check(fd >= 0, "openat(O_CREAT, 0644) works");
	check(mkdir(at("plaindir"), 0755) == 0, "mkdir 0755 works");
	return done();
}
