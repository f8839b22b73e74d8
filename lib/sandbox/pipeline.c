/*
 * pipeline.c: the stages before claw-sandbox, for claw run and claw exec.
 *
 * claw-sandbox starts claw-session | claw-policy | claw-approve | claw-audit
 * log itself and reads the last one's output: so the records it runs come
 * from the decision log's own stage, and it learns how every stage ended (a
 * shell pipeline tells only the last one's status).
 */
#include "sandbox/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"

extern char **environ;

/* NAME beside this executable, else on PATH; NULL when neither has it. */
static char *find_program(const char *name)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash != NULL) {
			*slash = '\0';
			char *path = xasprintf("%s/%s", self, name);
			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
	const char *env = getenv("PATH");
	char *dirs = xstrdup(env && *env ? env : "/usr/local/bin:/usr/bin:/bin");
	char *found = NULL;
	for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		char *path = xasprintf("%s/%s", d, name);
		if (d[0] == '/' && access(path, X_OK) == 0)
			found = path;
		else
			free(path);
	}
	free(dirs);
	return found;
}

static int spawn(struct pipeline_stage *st, const char *path, int in, int out)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	int rc;

	if (path == NULL)
		return claw_fail("%s is not built or not on PATH", st->argv[0]);
	sigemptyset(&none);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	char *no_env[] = { NULL };
	rc = posix_spawn(&st->pid, path, &fa, &attr, st->argv, environ ? environ : no_env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		st->pid = 0;
		return claw_fail("%s: %s", path, strerror(rc));
	}
	return 0;
}

int pipeline_start(struct pipeline *p, int in_fd, int *out_fd)
{
	char *paths[PIPELINE_MAX] = { 0 };
	int prev = in_fd, rc = 0;

	for (size_t i = 0; i < p->n && rc == 0; i++)
		if ((paths[i] = find_program(p->stage[i].argv[0])) == NULL)
			rc = claw_fail("%s is not built or not on PATH", p->stage[i].argv[0]);
	for (size_t i = 0; i < p->n && rc == 0; i++) {
		int fds[2];
		if (pipe2(fds, O_CLOEXEC) < 0) {
			rc = claw_fail("pipe: %s", strerror(errno));
			break;
		}
		rc = spawn(&p->stage[i], paths[i], prev, fds[1]);
		close(fds[1]);
		if (prev != in_fd)
			close(prev);
		prev = fds[0];
	}
	for (size_t i = 0; i < p->n; i++)
		free(paths[i]);
	if (rc < 0) {
		if (prev != in_fd)
			close(prev); /* the stages started read end of file, or write to no one */
		pipeline_wait(p);
		return -1;
	}
	*out_fd = prev;
	return 0;
}

void pipeline_wait(struct pipeline *p)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->stage[i].pid <= 0)
			continue;
		while (waitpid(p->stage[i].pid, &p->stage[i].status, 0) < 0 && errno == EINTR)
			;
		p->stage[i].pid = -1;
	}
}

const char *pipeline_how(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status)) {
		const char *name = sigabbrev_np(WTERMSIG(status));
		snprintf(buf, size, "was killed by SIG%s", name ? name : "?");
	} else {
		snprintf(buf, size, "exited %d", WEXITSTATUS(status));
	}
	return buf;
}
