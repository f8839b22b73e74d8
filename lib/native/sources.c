/* sources.c: the host trees a sandbox shows, listed and opened as they were checked. */
#include "native/sources.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

int nsroot_open_source(const char *src, const char *real)
{
	char link[64], now[PATH_MAX];
	int fd = open(src, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return claw_fail("%s: %s", src, strerror(errno));
	if (real == NULL)
		return fd;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, now, sizeof(now) - 1);
	if (n < 0) {
		int e = errno;
		close(fd);
		return claw_fail("%s: %s: %s", src, link, strerror(e));
	}
	now[n] = '\0';
	/* Checked by its realpath, opened now: a symlink swapped in meanwhile shows here
	 * (claw-sandbox(1) threat 11). */
	if (strcmp(now, real) != 0) {
		close(fd);
		return claw_fail("bind mount source %s changed after it was checked (it led to %s, "
		                 "now to %s): nothing was mounted",
		                 src, real, now);
	}
	return fd;
}

size_t nsroot_sources(const struct native_spec *s, struct nsroot_source *out)
{
	size_t n = 0;

	/* The workspace: the only host files a command sees, as workspaceAccess says
	 * (claw-sandbox(1) threat 10). */
	out[n++] = (struct nsroot_source){ s->workspace, NULL, s->workdir, !s->workspace_rw };
	if (s->agent_dir)
		out[n++] = (struct nsroot_source){ s->agent_dir, NULL, "/agent", !s->agent_rw };
	for (size_t i = 0; i < s->nbinds; i++)
		out[n++] = (struct nsroot_source){ s->binds[i].src, s->binds[i].real,
			                           s->binds[i].dst, s->binds[i].ro };
	return n;
}
