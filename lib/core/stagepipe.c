/* stagepipe.c: claw's stage commands as one pipeline, started from C. */
#include "core/stagepipe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"

extern char **environ;

static bool executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

char *stagepipe_find(const char *name)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	/* Next to the running program: a build tree works without install. */
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash != NULL) {
			*slash = '\0';
			char *p = xasprintf("%s/%s", self, name);
			if (executable(p))
				return p;
			free(p);
		}
	}
	const char *path = getenv("PATH");
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *d = path; *d != '\0';) {
		size_t len = strcspn(d, ":");
		if (len > 0 && d[0] == '/') {
			char *p = xasprintf("%.*s/%s", (int)len, d, name);
			if (executable(p))
				return p;
			free(p);
		}
		d += len + (d[len] == ':');
	}
	return NULL;
}

/* The stages get the signals a shell would give them, whatever ours are. */
static void spawn_attrs(posix_spawnattr_t *at, bool new_group, pid_t group)
{
	sigset_t none, dfl;
	static const int reset[] = { SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGCHLD };

	sigemptyset(&none);
	sigemptyset(&dfl);
	for (size_t i = 0; i < NELEM(reset); i++)
		sigaddset(&dfl, reset[i]);
	posix_spawnattr_init(at);
	posix_spawnattr_setflags(at, (new_group ? POSIX_SPAWN_SETPGROUP : 0) |
	                                 POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	if (new_group)
		posix_spawnattr_setpgroup(at, group);
	posix_spawnattr_setsigmask(at, &none);
	posix_spawnattr_setsigdefault(at, &dfl);
}

static int spawn_stage(struct stagepipe *p, const struct stagepipe_stage *st, int in, int out,
                       int keep, bool new_group)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	char *path = stagepipe_find(st->name);
	size_t argc = 1;
	pid_t pid;

	if (path == NULL)
		return claw_fail("%s is not installed next to this program nor on PATH", st->name);
	for (const char *const *a = st->args; a && *a; a++)
		argc++;
	const char **argv = xcalloc(argc + 1, sizeof(*argv));
	argv[0] = st->name;
	for (size_t i = 1; i < argc; i++)
		argv[i] = st->args[i - 1];
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	if (st->quiet)
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (keep >= 0) {
		/* dup2 onto itself clears close-on-exec: only this stage keeps it. */
		if (st->keep_fd)
			posix_spawn_file_actions_adddup2(&fa, keep, keep);
		else
			posix_spawn_file_actions_addclose(&fa, keep);
	}
	spawn_attrs(&at, new_group, p->group);
	int rc = posix_spawn(&pid, path, &fa, &at, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	free(argv);
	free(path);
	if (rc != 0)
		return claw_fail("cannot start %s: %s", st->name, strerror(rc));
	if (new_group && p->group == 0)
		p->group = pid;
	p->name[p->n] = st->name;
	p->pid[p->n++] = pid;
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int stagepipe_start(struct stagepipe *p, const struct stagepipe_stage *stages, size_t n, int in_fd,
                    int out_fd, int keep, bool new_group)
{
	int fds[2], in = in_fd, next_in = -1, out;

	memset(p, 0, sizeof(*p));
	p->in = p->out = -1;
	if (n == 0 || n > STAGEPIPE_MAX)
		return claw_fail("a pipeline has 1 to %d stages", STAGEPIPE_MAX);
	if (in_fd < 0) {
		if (pipe2(fds, O_CLOEXEC) < 0)
			return claw_fail("pipe: %s", strerror(errno));
		in = fds[0];
		p->in = fds[1];
	}
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n || out_fd < 0) {
			if (pipe2(fds, O_CLOEXEC) < 0) {
				claw_fail("pipe: %s", strerror(errno));
				goto fail;
			}
			out = fds[1];
			next_in = fds[0];
		} else {
			out = out_fd;
		}
		int rc = spawn_stage(p, &stages[i], in, out, keep, new_group);
		if (in != in_fd)
			close(in);
		if (out != out_fd)
			close(out);
		in = next_in;
		next_in = -1;
		if (rc < 0)
			goto fail;
	}
	if (out_fd < 0)
		p->out = in;
	else
		close_fd(&in);
	return 0;
fail:
	if (in != in_fd)
		close_fd(&in);
	close_fd(&p->in);
	stagepipe_kill(p);
	return -1;
}

/* Waits for every stage; a stage that stopped at our SIGTERM (TERMED) did not fail. */
static int wait_all(struct stagepipe *p, size_t termed)
{
	int rc = 0;

	close_fd(&p->in);
	close_fd(&p->out);
	for (size_t i = 0; i < p->n; i++) {
		int status;
		pid_t r;
		while ((r = waitpid(p->pid[i], &status, 0)) < 0 && errno == EINTR)
			;
		p->status[i] = r < 0 ? 0 : status;
		if (r < 0 || rc < 0)
			continue;
		char how[64];
		if ((WIFEXITED(status) && WEXITSTATUS(status) != 0) ||
		    (WIFSIGNALED(status) && !(i < termed && WTERMSIG(status) == SIGTERM)))
			rc =
			    claw_fail("%s %s", p->name[i], stagepipe_how(status, how, sizeof(how)));
	}
	p->n = 0;
	return rc;
}

int stagepipe_wait(struct stagepipe *p)
{
	return wait_all(p, 0);
}

int stagepipe_end(struct stagepipe *p)
{
	for (size_t i = 0; i + 1 < p->n; i++)
		kill(p->pid[i], SIGTERM);
	return wait_all(p, p->n - 1);
}

const char *stagepipe_how(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status)) {
		const char *name = sigabbrev_np(WTERMSIG(status));
		snprintf(buf, size, "was killed by SIG%s", name ? name : "?");
	} else {
		snprintf(buf, size, "exited %d", WEXITSTATUS(status));
	}
	return buf;
}

void stagepipe_kill(struct stagepipe *p)
{
	int saved = errno;

	if (p->group > 0)
		kill(-p->group, SIGKILL);
	else /* in the caller's group: each stage on its own */
		for (size_t i = 0; i < p->n; i++)
			kill(p->pid[i], SIGKILL);
	close_fd(&p->in);
	close_fd(&p->out);
	for (size_t i = 0; i < p->n; i++)
		while (waitpid(p->pid[i], NULL, 0) < 0 && errno == EINTR)
			;
	p->n = 0;
	errno = saved;
}
