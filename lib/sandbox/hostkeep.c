/* hostkeep.c: a host run that loses nothing (see hostkeep.h). */
#include "sandbox/hostkeep.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/util.h"

/* How long git may take to list what a command will lose. */
#define LISTING_MS 60000
/* The most a listing may print. */
#define LISTING_MAX (64u << 20)

static struct kept *new_kept(struct host_keep *hk)
{
	ALLOC_GROW(hk->k, hk->n + 1, hk->cap);
	struct kept *k = &hk->k[hk->n++];
	memset(k, 0, sizeof(*k));
	return k;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* ---- move, with a stand-in ---- */

/* An empty file, directory or link of the same kind and mode where E was. */
static int make_standin(const struct trash_entry *e, const struct stat *st)
{
	char target[PATH_MAX], files[PATH_MAX * 2];
	mode_t mode = st->st_mode & 0777;

	if (S_ISDIR(st->st_mode))
		return mkdir(e->path, mode);
	if (S_ISLNK(st->st_mode)) {
		snprintf(files, sizeof(files), "%s/files/%s", e->dir.path, e->name);
		ssize_t n = readlink(files, target, sizeof(target) - 1);
		if (n < 0)
			return -1;
		target[n] = '\0';
		return symlink(target, e->path);
	}
	int fd = open(e->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	return close(fd);
}

static int keep_move(struct host_keep *hk, const char *path)
{
	struct stat st;
	struct trash_dir td;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : claw_fail("%s: %s", path, strerror(errno));
	struct kept *k = new_kept(hk);
	k->how = KEEP_MOVE;
	if (trash_find(path, &td) < 0 || trash_put(&td, path, false, &k->e) < 0) {
		hk->n--;
		return -1;
	}
	if (make_standin(&k->e, &st) < 0 || lstat(path, &k->was) < 0) {
		int saved = errno;
		(void)trash_unput(&k->e, true);
		hk->n--;
		return claw_fail("%s: cannot leave a stand-in: %s", path, strerror(saved));
	}
	k->standin = true;
	return 0;
}

/* ---- copy ---- */

static int copy_one(struct host_keep *hk, const char *path, const struct stat *st)
{
	struct trash_dir td;
	struct kept *k = new_kept(hk);

	k->how = KEEP_COPY;
	k->was = *st;
	if (trash_find(path, &td) < 0 || trash_put(&td, path, true, &k->e) < 0) {
		hk->n--;
		return -1;
	}
	return 0;
}

static int keep_copy(struct host_keep *hk, const char *path)
{
	struct stat st, target;
	char real[PATH_MAX];

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : claw_fail("%s: %s", path, strerror(errno));
	if (copy_one(hk, path, &st) < 0)
		return -1;
	/* cp onto a link writes through it: its target is kept too. */
	if (S_ISLNK(st.st_mode) && realpath(path, real) != NULL && lstat(real, &target) == 0 &&
	    S_ISREG(target.st_mode))
		return copy_one(hk, real, &target);
	return 0;
}

/* ---- asking git ---- */

/* The environment of the run, with messages in English (they are parsed). */
static char **listing_env(char *const *envp)
{
	size_t n = 0;

	while (envp != NULL && envp[n] != NULL)
		n++;
	char **env = xcalloc(n + 2, sizeof(*env));
	size_t o = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(envp[i], "LC_ALL=", 7) != 0 && strncmp(envp[i], "LANGUAGE=", 9) != 0)
			env[o++] = envp[i];
	env[o++] = "LC_ALL=C";
	env[o] = NULL;
	return env;
}

static int read_listing(int fd, pid_t pid, struct buf *out)
{
	long long deadline = clock_mono_ms() + LISTING_MS;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (;;) {
		long long left = deadline - clock_mono_ms();
		int r = left > 0 ? poll(&p, 1, (int)left) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || out->len > LISTING_MAX) {
			kill(pid, SIGKILL);
			return claw_fail("git took too long to list what the command loses");
		}
		buf_reserve(out, 65536);
		ssize_t n = read(fd, out->p + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		out->len += (size_t)n;
		out->p[out->len] = '\0';
	}
}

/* Runs ARGV in DIR with the run's environment; its standard output into OUT. */
static int listing(char *const *argv, char *const *envp, const char *dir, struct buf *out)
{
	posix_spawn_file_actions_t fa;
	int fds[2], status = 0;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return claw_fail("pipe: %s", strerror(errno));
	char **env = listing_env(envp);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		return claw_fail("%s: %s", argv[0], strerror(rc));
	}
	rc = read_listing(fds[0], pid, out);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = claw_fail("`%s %s` failed in %s: claw cannot tell what the command loses",
		               argv[0], argv[1] ? argv[1] : "", dir);
	return rc;
}

/* git's C-style quoting of a path ("a\"b", "\303\251"), undone in place. */
static bool git_unquote(char *s)
{
	static const char esc[] = "a\ab\bt\tn\nv\vf\fr\r\"\"\\\\";
	char *o = s;

	if (*s != '"')
		return true;
	for (s++; *s && *s != '"'; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		s++;
		const char *e = *s ? strchr(esc, *s) : NULL;
		if (*s >= '0' && *s <= '3' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' &&
		    s[2] <= '7') {
			*o++ = (char)((s[0] - '0') * 64 + (s[1] - '0') * 8 + (s[2] - '0'));
			s += 2;
		} else if (e != NULL && (e - esc) % 2 == 0) {
			*o++ = e[1];
		} else {
			return false;
		}
	}
	if (*s != '"')
		return false;
	*o = '\0';
	return true;
}

/* ARGV[0..END) with ARGV[0] replaced by PROGRAM, then the words of MORE (NULL-terminated). */
static char **git_argv(const cJSON *step, int end, const char *const *more, int rest_from)
{
	const cJSON *argv = cJSON_GetObjectItemCaseSensitive(step, "argv");
	const cJSON *program = cJSON_GetObjectItemCaseSensitive(step, "program");
	int n = cJSON_GetArraySize(argv), m = 0, o = 0;

	while (more[m] != NULL)
		m++;
	char **out = xcalloc((size_t)n + (size_t)m + 2, sizeof(*out));
	out[o++] = program->valuestring;
	for (int i = 1; i < end && i < n; i++)
		out[o++] = cJSON_GetArrayItem(argv, i)->valuestring;
	for (int i = 0; i < m; i++)
		out[o++] = (char *)more[i];
	for (int i = rest_from; rest_from > 0 && i < n; i++)
		out[o++] = cJSON_GetArrayItem(argv, i)->valuestring;
	return out;
}

static bool git_step_valid(const cJSON *step, int *sub_end)
{
	const cJSON *argv = cJSON_GetObjectItemCaseSensitive(step, "argv"), *w;
	const cJSON *program = cJSON_GetObjectItemCaseSensitive(step, "program");
	const cJSON *end = cJSON_GetObjectItemCaseSensitive(step, "subEnd");

	if (!cJSON_IsArray(argv) || !cJSON_IsString(program) || program->valuestring[0] != '/' ||
	    !cJSON_IsNumber(end))
		return false;
	cJSON_ArrayForEach(w, argv)
	{
		if (!cJSON_IsString(w))
			return false;
	}
	*sub_end = end->valueint;
	return *sub_end >= 2 && *sub_end <= cJSON_GetArraySize(argv);
}

/* git clean -n, with the command's own options: "Would remove PATH" for each it removes. */
static int keep_git_clean(struct host_keep *hk, const cJSON *step, const char *dir,
                          char *const *envp)
{
	static const char *const dry[] = { "-n", NULL };
	struct buf out = { 0 };
	int end, rc = 0;

	if (!git_step_valid(step, &end))
		return claw_fail("approval.trash: a git step without its command");
	char **argv = git_argv(step, end, dry, end);
	if (listing(argv, envp, dir, &out) < 0) {
		free(argv);
		buf_free(&out);
		return -1;
	}
	for (char *line = out.p, *nl; rc == 0 && line != NULL && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		char victim[PATH_MAX];
		if (!str_has_prefix(line, "Would remove "))
			continue; /* "Would skip repository X": git leaves it */
		char *name = line + strlen("Would remove ");
		if (!git_unquote(name)) {
			rc = claw_fail("git clean -n printed a name claw cannot read: %s", name);
			break;
		}
		int found = trash_victim(dir, name, victim);
		if (found < 0)
			rc = -1;
		else if (found == 0)
			rc = keep_move(hk, victim);
	}
	free(argv);
	buf_free(&out);
	return rc;
}

/* git diff HEAD: tracked files whose contents differ from the last commit, from the top. */
static int keep_git_changes(struct host_keep *hk, const cJSON *step, const char *dir,
                            char *const *envp)
{
	static const char *const top_words[] = { "rev-parse", "--show-toplevel", NULL };
	static const char *const diff_words[] = { "diff", "-z", "--name-only", "--no-renames",
		                                  "HEAD", "--", NULL };
	struct buf top = { 0 }, out = { 0 };
	int end, rc = -1;

	if (!git_step_valid(step, &end))
		return claw_fail("approval.trash: a git step without its command");
	char **targv = git_argv(step, end - 1, top_words, 0);
	char **dargv = git_argv(step, end - 1, diff_words, 0);
	if (listing(targv, envp, dir, &top) < 0 || listing(dargv, envp, dir, &out) < 0)
		goto out;
	while (top.len > 0 && top.p[top.len - 1] == '\n')
		top.p[--top.len] = '\0';
	rc = 0;
	for (size_t at = 0; rc == 0 && at < out.len; at += strlen(out.p + at) + 1) {
		char victim[PATH_MAX];
		int found = trash_victim(top.p, out.p + at, victim);
		if (found < 0)
			rc = -1;
		else if (found == 0)
			rc = keep_copy(hk, victim);
	}
out:
	free(targv);
	free(dargv);
	buf_free(&top);
	buf_free(&out);
	return rc;
}

/* ---- before and after ---- */

static void undo_all(struct host_keep *hk)
{
	for (size_t i = hk->n; i-- > 0;) {
		struct kept *k = &hk->k[i];
		if (k->standin)
			(void)trash_unput(&k->e, true);
		else
			(void)trash_drop(&k->e);
	}
	hk->n = 0;
}

static int keep_step(struct host_keep *hk, const cJSON *step, char *const *envp)
{
	const cJSON *how = cJSON_GetObjectItemCaseSensitive(step, "how");
	const cJSON *path = cJSON_GetObjectItemCaseSensitive(step, "path");
	enum keep_how h;

	if (!cJSON_IsString(how) || !keep_how_parse(how->valuestring, &h) ||
	    !cJSON_IsString(path) || path->valuestring[0] != '/')
		return claw_fail("approval.trash: a step claw does not know");
	switch (h) {
	case KEEP_MOVE:
		return keep_move(hk, path->valuestring);
	case KEEP_COPY:
		return keep_copy(hk, path->valuestring);
	case KEEP_GIT_CLEAN:
		return keep_git_clean(hk, step, path->valuestring, envp);
	case KEEP_GIT_CHANGES:
		return keep_git_changes(hk, step, path->valuestring, envp);
	}
	return -1;
}

int hostkeep_before(const cJSON *trash, char *const *envp, struct host_keep *hk)
{
	const cJSON *keep = trash ? cJSON_GetObjectItemCaseSensitive(trash, "keep") : NULL, *step;

	hk->n = 0;
	if (keep == NULL)
		return 0;
	if (!cJSON_IsArray(keep))
		return claw_fail("approval.trash.keep is not a list");
	cJSON_ArrayForEach(step, keep)
	{
		if (keep_step(hk, step, envp) < 0) {
			char why[1024];
			snprintf(why, sizeof(why), "%s", claw_error());
			undo_all(hk);
			return claw_fail("not recoverable (%s): the command did not run", why);
		}
	}
	return 0;
}

void hostkeep_after(struct host_keep *hk)
{
	for (size_t i = 0; i < hk->n; i++) {
		struct kept *k = &hk->k[i];
		struct stat now;
		bool there = lstat(k->e.path, &now) == 0;
		if (k->standin && there && now.st_dev == k->was.st_dev &&
		    now.st_ino == k->was.st_ino && now.st_ctim.tv_sec == k->was.st_ctim.tv_sec &&
		    now.st_ctim.tv_nsec == k->was.st_ctim.tv_nsec)
			k->gone = trash_unput(&k->e, true) == 0; /* the command left it alone */
		else if (!k->standin && there && same_file(&now, &k->was))
			k->gone = trash_drop(&k->e) == 0; /* unchanged: the copy is not needed */
		if (!k->gone)
			(void)trash_measure(&k->e);
	}
}

void hostkeep_render(const struct host_keep *hk, struct buf *b)
{
	bool first = true;

	for (size_t i = 0; i < hk->n; i++) {
		const struct kept *k = &hk->k[i];
		if (k->gone)
			continue;
		buf_puts(b, first ? ",\"trashed\":[{\"path\":" : ",{\"path\":");
		first = false;
		buf_json_str(b, k->e.path);
		buf_puts(b, ",\"how\":");
		buf_json_str(b, keep_how_name(k->how == KEEP_COPY ? KEEP_COPY : KEEP_MOVE));
		buf_printf(b, ",\"bytes\":%llu,\"files\":%llu,\"trash\":",
		           (unsigned long long)k->e.size.bytes,
		           (unsigned long long)k->e.size.files);
		buf_json_str(b, k->e.dir.path);
		buf_puts(b, ",\"name\":");
		buf_json_str(b, k->e.name);
		buf_putc(b, '}');
	}
	if (!first)
		buf_putc(b, ']');
}

void hostkeep_free(struct host_keep *hk)
{
	free(hk->k);
	memset(hk, 0, sizeof(*hk));
}
