/* procfs: /proc and /sys (claw-sandbox(1) threat 13): only the sandbox's processes, init's
 * environment unreadable, no /sys, no cgroup files. Argument: a secret that
 * is in the launcher's environment. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "probe.h"

int main(int argc, char **argv)
{
	char buf[65536];
	int pids = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;

	while (d && (de = readdir(d)) != NULL)
		pids += de->d_name[0] >= '1' && de->d_name[0] <= '9';
	if (d)
		closedir(d);
	check(pids > 0 && pids <= 4, "%d processes visible in /proc", pids);
	int fd = open("/proc/1/environ", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\0')
				buf[i] = '\n';
		check(argc < 2 || strstr(buf, argv[1]) == NULL,
		      "the secret is not in /proc/1/environ");
	} else {
		check(1, "/proc/1/environ unreadable");
	}
	refused(open("/proc/1/root/etc/shadow", O_RDONLY), 0, "/proc/1/root/etc/shadow");
	refused(access("/sys/kernel", F_OK), ENOENT, "/sys");
	refused(access("/sys/fs/cgroup", F_OK), ENOENT, "cgroup files");
	refused(open("/proc/sysrq-trigger", O_WRONLY), 0, "/proc/sysrq-trigger");
	refused(open("/proc/sys/kernel/hostname", O_WRONLY), 0, "write a sysctl");
	return done();
}
