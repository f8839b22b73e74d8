/* plant: persistence paths cannot be planted (claw-sandbox(1) threat 10).
 * For each NAME at the top of each DIR: whether it is there or not, as a
 * file, a directory or a link, every way of putting something there fails:
 * create, write, mkdir, symlink, hard link, FIFO, rename onto it, rename or
 * remove it (to make room), change its mode or times. Each attempt that works
 * is an ESCAPE. Arguments: DIR... -- NAME... */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"

static void attempts(const char *dir, const char *name)
{
	char path[512], other[1024], aside[1024];
	struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(other, sizeof(other), "%s/.probe-plant-%d", dir, (int)getpid());
	snprintf(aside, sizeof(aside), "%s/.probe-aside-%d", dir, (int)getpid());
	refused(open(path, O_WRONLY | O_CREAT | O_APPEND, 0644), 0, path);
	refused(mkdir(path, 0755), 0, "mkdir");
	refused(symlink("/tmp/evil", path), 0, "symlink");
	refused(mkfifo(path, 0644), 0, "mkfifo");
	int fd = open(other, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd >= 0)
		close(fd);
	refused(link(other, path), 0, "link onto it");
	refused(rename(other, path), 0, "rename onto it");
	unlink(other);
	refused(rename(path, aside), 0, "rename it aside");
	refused(unlink(path), 0, "unlink");
	refused(rmdir(path), 0, "rmdir");
	refused(chmod(path, 0777), 0, "chmod");
	refused(utimensat(AT_FDCWD, path, now, AT_SYMLINK_NOFOLLOW), 0, "touch");
	snprintf(other, sizeof(other), "%s/hooks", path);
	refused(mkdir(other, 0755), 0, "mkdir inside it");
	snprintf(other, sizeof(other), "%s/config", path);
	refused(open(other, O_WRONLY | O_CREAT | O_APPEND, 0644), 0, "write inside it");
}

int main(int argc, char **argv)
{
	int sep = 1;

	while (sep < argc && strcmp(argv[sep], "--") != 0)
		sep++;
	if (sep == 1 || sep >= argc - 1) {
		fprintf(stderr, "usage: plant DIR... -- NAME...\n");
		return 2;
	}
	for (int d = 1; d < sep; d++)
		for (int n = sep + 1; n < argc; n++)
			attempts(argv[d], argv[n]);
	return done();
}
