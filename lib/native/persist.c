/*
 * persist.c: persistence paths (claw-sandbox(1) threat 10, CVE-2026-25725's class).
 *
 * Some names in a tree the host uses later are run by the host on its own:
 * .git (hooks, core.fsmonitor), shell rc files, .envrc, an editor's or
 * another agent's settings, claw's own config. In every writable tree of a
 * sandbox each of them is read-only inside by construction: it is bound
 * read-only over itself (nsroot.c), whatever it is, so it can be neither
 * written, nor replaced, removed or renamed. A mount needs something to
 * stand on, so a name that does not exist gets a placeholder first: an
 * empty file or directory, read-only, dated 1970-01-01 00:00:00 UTC, which
 * is how it is known again (nothing a sandbox can make is at that name, and
 * nothing else has that date). The user's trees get them for the run only:
 * every run holds the tree's lock shared, and the last one out (the lock
 * taken exclusive without waiting) removes them; a run that never gets to
 * (a launcher killed with SIGKILL) leaves them, harmless, for the next
 * one's. The scope's own workspace, which claw made, keeps them.
 *
 * What a protected symlink (or a .git file naming a gitdir) leads through
 * stays put as well: each entry of a writable tree on its way is read-only
 * too, so the host's later lookup finds what it finds now. A FIFO, socket
 * or device at a protected name (a shell reading .bashrc from a FIFO would
 * run what is written into it) is moved aside to an unpredictable name
 * before the run, or removed, and reported.
 */
#include "native/persist.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "native/sources.h"
#include "core/alloc.h"
#include "core/fsutil.h"
#include "core/gitconfig.h"
#include "core/util.h"

/* Symlinks followed from one protected name, as the kernel's own limit. */
#define MAX_HOPS 40

static bool is_placeholder(const struct stat *st)
{
	bool dated = st->st_mtim.tv_sec == 0 && st->st_mtim.tv_nsec == 0;

	if (S_ISDIR(st->st_mode))
		return dated && (st->st_mode & 07777) == 0555 && st->st_nlink == 2;
	return dated && S_ISREG(st->st_mode) && (st->st_mode & 07777) == 0444 && st->st_size == 0;
}

/* An empty file or directory at NAME of DIR, made read-only and dated 0. 0 or an errno. */
static int make_placeholder(int dir, const struct native_protect *p)
{
	static const struct timespec epoch[2] = { { 0, 0 }, { 0, 0 } };
	int rc = 0;

	if (p->dir) {
		if (mkdirat(dir, p->name, 0555) < 0)
			return errno;
	} else {
		int fd = openat(dir, p->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		                0444);
		if (fd < 0)
			return errno;
		close(fd);
	}
	/* The mode as asked, whatever the umask; the date that marks it. */
	if (fchmodat(dir, p->name, p->dir ? 0555 : 0444, 0) < 0 ||
	    utimensat(dir, p->name, epoch, AT_SYMLINK_NOFOLLOW) < 0)
		rc = errno;
	return rc;
}

/* NAME.claw-quarantine-<64 random bits>: a name no one can have made beforehand. */
static int quarantine_name(const char *name, char *out, size_t size)
{
	uint64_t r;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -1;
	snprintf(out, size, "%s.claw-quarantine-%016llx", name, (unsigned long long)r);
	return 0;
}

/* A special file at a protected name moved aside, else removed; reported either way. */
static int quarantine(struct persist_watch *w, const struct persist_root *r, const char *name)
{
	char to[NAME_MAX + 1];
	int rc = -1;

	ALLOC_GROW(w->moved, w->nmoved + 1, w->capmoved);
	struct native_moved *m = &w->moved[w->nmoved++];
	*m = (struct native_moved){ xasprintf("%s/%s", r->host, name), NULL, NULL };
	for (int i = 0; i < 8 && rc < 0; i++) {
		if (quarantine_name(name, to, sizeof(to)) < 0)
			break;
		/* rename never follows a symlink, and never replaces what is there. */
		rc = renameat2(r->fd, name, r->fd, to, RENAME_NOREPLACE);
		if (rc < 0 && errno != EEXIST)
			break;
	}
	if (rc == 0) {
		m->moved_to = xasprintf("%s/%s", r->host, to);
		return 0;
	}
	m->error = xasprintf("could not be moved aside (%s), so it was removed", strerror(errno));
	if (unlinkat(r->fd, name, 0) == 0)
		return 0;
	free(m->error);
	m->error = xasprintf("could be neither moved aside nor removed: %s", strerror(errno));
	return claw_fail("%s/%s is a special file at a persistence path and %s; nothing ran",
	                 r->host, name, m->error);
}

/* The directory FD's path now. Allocated, or NULL. */
static char *fd_path(int fd)
{
	char link[64], path[PATH_MAX];

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return NULL;
	path[n] = '\0';
	return xstrdup(path);
}

/*
 * HOST's entry of the top level of the innermost writable tree it lies in,
 * kept read-only there too (and so wherever that tree shows inside another:
 * nsroot.c); DIR: a directory, should a placeholder stand in for it.
 */
static void keep_entry(struct persist_watch *w, const char *host, bool dir)
{
	struct persist_root *r = NULL;
	size_t len = 0;

	for (size_t i = 0; i < w->n; i++) {
		size_t n = strlen(w->roots[i].real);
		if (strncmp(host, w->roots[i].real, n) != 0)
			continue;
		/* A tree's own directory guards itself (its names are read-only wherever it
		 * shows); read-only in the tree it lies in, it would be taken from the run. */
		if (host[n] == '\0')
			return;
		if (n >= len && host[n] == '/' && host[n + 1] != '\0')
			r = &w->roots[i], len = n;
	}
	if (r == NULL)
		return;
	char *top = xstrndup(host + len + 1, strcspn(host + len + 1, "/"));
	/* Below the top: the top is a directory. */
	if ((dir || host[len + 1 + strlen(top)] == '/') && !strvec_has(&r->extra_dirs, top))
		strvec_push(&r->extra_dirs, top);
	bool seen = strvec_has(&r->extra, top);
	for (size_t j = 0; j < w->nnames && !seen; j++)
		seen = strcmp(top, w->names[j].name) == 0;
	if (seen)
		free(top);
	else
		strvec_push_nodup(&r->extra, top);
}

/*
 * Walks PATH as the host will, component by component, following symlinks,
 * and keeps every entry of a writable tree on the way read-only for the
 * run: what the host finds there later is what is there now. DIR: PATH
 * names a directory.
 */
static void keep_path(struct persist_watch *w, const char *path, bool dir)
{
	char cur[PATH_MAX] = "", rest[PATH_MAX], target[PATH_MAX];
	struct stat st;
	int hops = 0;

	snprintf(rest, sizeof(rest), "%s", path);
	for (char *p = rest; *p;) {
		size_t n = strcspn(p, "/");
		char comp[NAME_MAX + 1];
		snprintf(comp, sizeof(comp), "%.*s", (int)(n < NAME_MAX ? n : NAME_MAX), p);
		p += n + (p[n] == '/');
		if (comp[0] == '\0' || strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			char *slash = strrchr(cur, '/');
			if (slash)
				*slash = '\0';
			continue;
		}
		size_t len = strlen(cur);
		snprintf(cur + len, sizeof(cur) - len, "/%s", comp);
		keep_entry(w, cur, dir || *p != '\0');
		if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
			continue;
		ssize_t t = readlink(cur, target, sizeof(target) - 1);
		if (t <= 0 || ++hops > MAX_HOPS)
			return;
		target[t] = '\0';
		/* The link's target, then what was left of the path (too long: not followed). */
		char next[PATH_MAX];
		cur[len] = '\0';
		if (strlen(target) + 1 + strlen(p) >= sizeof(next))
			return;
		memcpy(next, target, (size_t)t);
		next[t] = '/';
		memcpy(next + t + 1, p, strlen(p) + 1);
		memcpy(rest, next, strlen(next) + 1);
		if (target[0] == '/')
			cur[0] = '\0';
		p = rest;
	}
}

/* A .git file's "gitdir: PATH" (a worktree's, a submodule's), or NULL. Allocated. */
static char *gitdir_of(int dir)
{
	char text[PATH_MAX + 16];
	int fd = openat(dir, ".git", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);

	if (fd >= 0)
		close(fd);
	if (n < 8 || strncmp(text, "gitdir: ", 8) != 0)
		return NULL;
	text[n] = '\0';
	text[8 + strcspn(text + 8, "\r\n")] = '\0';
	return xstrdup(text + 8);
}

/* Where a protected symlink or .git file of R leads, kept as it is. */
static void keep_target(struct persist_watch *w, const struct persist_root *r, const char *name,
                        bool link)
{
	char *gitdir = link ? NULL : gitdir_of(r->fd);
	char *path;

	if (link)
		path = xasprintf("%s/%s", r->real, name);
	else if (gitdir == NULL)
		return;
	else if (gitdir[0] == '/')
		path = xstrdup(gitdir);
	else
		path = xasprintf("%s/%s", r->real, gitdir);
	keep_path(w, path, !link);
	free(path);
	free(gitdir);
}

/*
 * What git runs, or reads more config from, where its config names it
 * (git-config(1)). A repository's .git is read-only in the sandbox, but what
 * its config names in the tree is not, unless kept: core.hooksPath = .husky/_
 * makes .husky/ the hooks the host's next commit runs, an include in the
 * tree makes all of this the sandbox's to choose, a filter's or a diff
 * driver's program runs on the host's next add, checkout or diff.
 */
enum git_use {
	GIT_HOOKS,   /* a directory of hooks, relative to the work tree's top */
	GIT_INCLUDE, /* more config, relative to the file that names it */
	GIT_COMMAND, /* a command line run from the work tree's top: each word with a '/' */
	GIT_SHELL,   /* the same when it starts with '!' (else it names a git command) */
};

static const struct {
	const char *section;
	const char *key; /* NULL: any key of the section */
	enum git_use use;
	bool sub; /* the key is in [section "any"] */
	const char *why;
} git_runs[] = {
	{ "core", "hookspath", GIT_HOOKS, false, "the hooks every commit, checkout, merge runs" },
	{ "include", "path", GIT_INCLUDE, false, "more config, naming any of these" },
	{ "includeif", "path", GIT_INCLUDE, true, "the same, its condition taken as met" },
	{ "core", "fsmonitor", GIT_COMMAND, false, "runs on every status" },
	{ "core", "sshcommand", GIT_COMMAND, false, "runs on fetch and push" },
	{ "core", "gitproxy", GIT_COMMAND, false, "runs on fetch" },
	{ "core", "pager", GIT_COMMAND, false, "runs on log, diff, show" },
	{ "core", "editor", GIT_COMMAND, false, "runs on commit" },
	{ "core", "askpass", GIT_COMMAND, false, "runs when a password is asked" },
	{ "sequence", "editor", GIT_COMMAND, false, "runs on rebase -i" },
	{ "pager", NULL, GIT_COMMAND, false, "a command's own pager" },
	{ "gpg", "program", GIT_COMMAND, false, "runs on signed commits and tags, and on log" },
	{ "gpg", "program", GIT_COMMAND, true, "the same, per format" },
	{ "filter", "clean", GIT_COMMAND, true, "runs on add, status, diff" },
	{ "filter", "smudge", GIT_COMMAND, true, "runs on checkout" },
	{ "filter", "process", GIT_COMMAND, true, "the same, long-running" },
	{ "diff", "external", GIT_COMMAND, false, "runs on diff" },
	{ "diff", "command", GIT_COMMAND, true, "runs on diff" },
	{ "diff", "textconv", GIT_COMMAND, true, "runs on diff, log -p, blame" },
	{ "interactive", "difffilter", GIT_COMMAND, false, "runs on add -p" },
	{ "merge", "driver", GIT_COMMAND, true, "runs on merge" },
	{ "mergetool", "cmd", GIT_COMMAND, true, "runs on mergetool" },
	{ "difftool", "cmd", GIT_COMMAND, true, "runs on difftool" },
	{ "credential", "helper", GIT_COMMAND, false, "runs on fetch and push" },
	{ "credential", "helper", GIT_COMMAND, true, "the same, per URL" },
	{ "remote", "uploadpack", GIT_COMMAND, true, "runs on fetch" },
	{ "remote", "receivepack", GIT_COMMAND, true, "runs on push" },
	{ "alias", NULL, GIT_SHELL, false, "a shell alias" },
	{ "submodule", "update", GIT_SHELL, true, "runs on submodule update" },
};

/* Config files read from one, as git reads includes: at most this deep. */
#define GIT_INCLUDE_DEPTH 10

struct git_scan {
	struct persist_watch *w;
	const char *top; /* the work tree's top (its realpath) */
	const char *dir; /* the directory of the config file being read */
	int depth;
};

static void git_read(struct git_scan *g, const char *path);

/*
 * PATH as git takes it: ~/ is the home, %(prefix)/ git's own installation
 * (never a tree of the sandbox's), else relative to BASE. Allocated, or NULL.
 */
static char *git_path(const char *path, const char *base)
{
	const char *home = getenv("HOME");

	if (path[0] == '/')
		return xstrdup(path);
	if (strncmp(path, "%(prefix)/", 10) == 0)
		return NULL;
	if (path[0] == '~')
		return path[1] == '/' && home && home[0] == '/' ? xasprintf("%s%s", home, path + 1)
		                                                : NULL;
	return xasprintf("%s/%s", base, path);
}

/*
 * Each word of the command line CMD that names a file by a path, kept there
 * or not. Words are split at blanks, quotes, '=' and the shell's operators,
 * so that --file=creds/store and ProxyCommand="./proxy.sh %h" name theirs.
 */
static void git_command(struct git_scan *g, const char *cmd)
{
	char *copy = xstrdup(cmd);

	for (char *save = NULL, *word = strtok_r(copy, " \t\n'\"=;&|<>()`!", &save); word;
	     word = strtok_r(NULL, " \t\n'\"=;&|<>()`!", &save)) {
		if (strchr(word, '/') == NULL || word[0] == '-' || word[0] == '$' ||
		    strstr(word, "://") != NULL)
			continue; /* a name looked up in PATH, an option, a variable, a URL */
		char *path = git_path(word, g->top);
		if (path)
			keep_path(g->w, path, false);
		free(path);
	}
	free(copy);
}

static void git_variable(void *ctx, const char *section, const char *sub, const char *key,
                         const char *value)
{
	struct git_scan *g = ctx;

	if (value == NULL || value[0] == '\0')
		return;
	for (size_t i = 0; i < NELEM(git_runs); i++) {
		if (strcmp(section, git_runs[i].section) != 0 || git_runs[i].sub != (sub != NULL) ||
		    (git_runs[i].key && strcmp(key, git_runs[i].key) != 0))
			continue;
		char *path = NULL;
		switch (git_runs[i].use) {
		case GIT_HOOKS:
			if ((path = git_path(value, g->top)) != NULL)
				keep_path(g->w, path, true);
			break;
		case GIT_INCLUDE:
			if ((path = git_path(value, g->dir)) != NULL)
				git_read(g, path);
			break;
		case GIT_SHELL:
			if (value[0] == '!')
				git_command(g, value + 1);
			break;
		case GIT_COMMAND:
			git_command(g, value);
			break;
		}
		free(path);
	}
}

/*
 * PATH's contents when it is a regular file of at most 1 MiB (no git config
 * is larger), NUL-terminated, in *LEN; nothing else is ever opened (a device
 * can act on being opened): looked at through an O_PATH descriptor first,
 * then that very file read. Allocated, or NULL.
 */
static char *read_regular(const char *path, size_t *len)
{
	char again[64];
	struct stat st;
	char *data = NULL;
	int at = open(path, O_PATH | O_CLOEXEC);

	if (at < 0)
		return NULL;
	snprintf(again, sizeof(again), "/proc/self/fd/%d", at);
	if (fstat(at, &st) == 0 && S_ISREG(st.st_mode) && read_file(again, 1 << 20, &data, len) < 0)
		data = NULL;
	close(at);
	return data;
}

/*
 * The config file PATH: kept as it is (it may lie in the tree, or a
 * symlink may lead there), and what it names.
 */
static void git_read(struct git_scan *g, const char *path)
{
	size_t len;
	char *text;

	keep_path(g->w, path, false);
	if (g->depth >= GIT_INCLUDE_DEPTH || (text = read_regular(path, &len)) == NULL)
		return;
	char *dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	struct git_scan inner = { g->w, g->top, dir, g->depth + 1 };
	gitconfig_parse(text, len, git_variable, &inner);
	free(dir);
	free(text);
}

static void git_worktree_of(void *ctx, const char *section, const char *sub, const char *key,
                            const char *value)
{
	char **worktree = ctx;

	if (sub == NULL && value != NULL && value[0] != '\0' && strcmp(section, "core") == 0 &&
	    strcmp(key, "worktree") == 0) {
		free(*worktree);
		*worktree = xstrdup(value);
	}
}

/* A file holding one path (a gitdir file, commondir), relative to BASE. Allocated, or NULL. */
static char *git_pointer(const char *file, const char *prefix, const char *base)
{
	size_t len, skip = strlen(prefix);
	char *text = read_regular(file, &len), *path = NULL;

	if (text != NULL && len > skip && strncmp(text, prefix, skip) == 0) {
		text[skip + strcspn(text + skip, "\r\n")] = '\0';
		path = text[skip] ? git_path(text + skip, base) : NULL;
	}
	free(text);
	return path;
}

/*
 * The .git of R's top: what git, run there later by the host, reads as its
 * config (the repository's, a linked work tree's, the user's, the system's)
 * and what that config names for it to run, each kept read-only for the
 * run, there or not; and the hooks' default directory, which a symlink may
 * lead out of .git.
 */
static void keep_git(struct persist_watch *w, const struct persist_root *r, bool file)
{
	struct git_scan g = { w, r->real, r->real, 0 }, there = g;
	char *top = NULL;
	char *dotgit = xasprintf("%s/.git", r->real);
	char *gitdir = file ? git_pointer(dotgit, "gitdir: ", r->real) : xstrdup(dotgit);
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (gitdir != NULL) {
		char *common_file = xasprintf("%s/commondir", gitdir);
		char *common = git_pointer(common_file, "", gitdir);
		const char *repo = common ? common : gitdir;
		char *config = xasprintf("%s/config", repo);
		char *worktree = xasprintf("%s/config.worktree", gitdir);
		char *hooks = xasprintf("%s/hooks", repo);
		keep_path(w, common_file, false);
		keep_path(w, hooks, true);
		/* core.worktree: the work tree's top is elsewhere (relative to the gitdir), and
		 * what the config names relative to it is read from there as well. */
		size_t len;
		char *text = read_regular(config, &len), *wt = NULL;
		if (text != NULL)
			gitconfig_parse(text, len, git_worktree_of, &wt);
		free(text);
		top = wt ? git_path(wt, repo) : NULL;
		free(wt);
		git_read(&g, config);
		git_read(&g, worktree);
		there.top = top;
		if (top) {
			git_read(&there, config);
			git_read(&there, worktree);
		}
		free(common_file), free(common), free(config), free(worktree), free(hooks);
	}
	git_read(&g, "/etc/gitconfig");
	char *user = xdg && xdg[0] == '/'     ? xasprintf("%s/git/config", xdg)
	             : home && home[0] == '/' ? xasprintf("%s/.config/git/config", home)
	                                      : NULL;
	if (user)
		git_read(&g, user);
	free(user);
	if (home && home[0] == '/') {
		user = xasprintf("%s/.gitconfig", home);
		git_read(&g, user);
		free(user);
	}
	free(top);
	free(gitdir);
	free(dotgit);
}

/*
 * Whether ST, an entry of R, is out of the reach of the sandbox's user
 * (host ids U:G) by its ownership alone, with no mount, as root. Shown
 * through the sandbox's id map, a file whose owner or group the map does not
 * name (only U:G are, as the sandbox's own) is one the kernel lets it neither
 * write nor remove nor rename (HAS_UNMAPPED_ID). Otherwise: root's
 * placeholder (nobody may write it) in a sticky directory that is neither
 * U's nor writable by others, where U may not remove or rename what is not
 * its own. No capability is left inside to say otherwise.
 */
static bool out_of_reach(const struct persist_root *r, const struct stat *st, uid_t u, gid_t g)
{
	if (geteuid() != 0 || u == 0)
		return false;
	if (r->idmapped)
		return st->st_uid != u || st->st_gid != g;
	return r->sticky && st->st_uid == 0 && is_placeholder(st);
}

/*
 * Protected entry P of R exists, as something a read-only mount can hold, or
 * fails. BIT: P's bit in R's by_mode, for a protected name; 0 for an entry
 * kept because of where one leads or what one names, which is always mounted.
 */
static int guard_entry(struct persist_watch *w, struct persist_root *r,
                       const struct native_protect *p, uint64_t bit, uid_t u, gid_t g)
{
	struct stat st;

	for (int tries = 0; tries < 3; tries++) {
		if (fstatat(r->fd, p->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (bit && out_of_reach(r, &st, u, g))
				r->by_mode |= bit;
			if (S_ISLNK(st.st_mode) ||
			    (S_ISREG(st.st_mode) && strcmp(p->name, ".git") == 0))
				keep_target(w, r, p->name, S_ISLNK(st.st_mode));
			if ((S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) &&
			    strcmp(p->name, ".git") == 0)
				keep_git(w, r, S_ISREG(st.st_mode));
			if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode))
				return 0;
			if (quarantine(w, r, p->name) < 0)
				return -1;
		} else if (errno != ENOENT) {
			return claw_fail("%s/%s: %s", r->host, p->name, strerror(errno));
		}
		int e = make_placeholder(r->fd, p);
		/* A read-only file system: the sandbox can make nothing there either. */
		if (e == EROFS)
			return 0;
		if (e == 0)
			continue; /* and looked at again: whose it is */
		if (e != EEXIST)
			return claw_fail("cannot protect %s/%s (a persistence path) with a "
			                 "placeholder: %s; nothing ran",
			                 r->host, p->name, strerror(e));
	}
	return claw_fail("%s/%s keeps changing; nothing ran", r->host, p->name);
}

/* Every entry kept in any tree, after the names: each exists too. Those it leads to in
 * turn are kept as they are found, until no more come. */
static int guard_extras(struct persist_watch *w, uid_t u, gid_t g)
{
	size_t seen = 0, now;

	for (;;) {
		now = 0;
		for (size_t i = 0; i < w->n; i++) {
			struct persist_root *r = &w->roots[i];
			for (size_t j = 0; j < r->extra.n; j++) {
				const char *name = r->extra.v[j];
				struct native_protect p = { name,
					                    strvec_has(&r->extra_dirs, name) };
				if (guard_entry(w, r, &p, 0, u, g) < 0)
					return -1;
			}
			now += r->extra.n;
		}
		if (now == seen)
			return 0;
		seen = now;
	}
}

/*
 * As root, the scope's own workspace, which claw made, is laid out so that
 * root's placeholders in it are out of its user's reach (out_of_reach): its
 * user's own, 0700, where the sandbox sees it through its id map (a
 * directory of another owner would be one it may not write in); else root's
 * with the user's group, sticky, 1770.
 */
static int lay_out(int fd, const struct native_spec *s, bool idmapped, struct stat *st)
{
	uid_t owner = idmapped ? s->uid : 0;
	mode_t mode = idmapped ? S_IRWXU : S_ISVTX | S_IRWXU | S_IRWXG;

	if (st->st_uid == owner && st->st_gid == s->gid && (st->st_mode & 07777) == mode)
		return 0;
	if (fchown(fd, owner, s->gid) < 0 || fchmod(fd, mode) < 0 || fstat(fd, st) < 0)
		return claw_fail("the scope's workspace: %s", strerror(errno));
	return 0;
}

/* Source I opened as a root of W when it is a writable directory; 0, or -1. */
static int open_root(const struct native_spec *s, const struct nsroot_source *src, size_t i,
                     bool idmapped, struct persist_watch *w)
{
	struct stat st;
	int path = nsroot_open_source(src->src, src->real);

	if (path < 0)
		return -1;
	if (fstat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		close(path);
		return 0;
	}
	int fd = openat(path, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(path);
	if (fd < 0)
		return claw_fail("%s: %s", src->src, strerror(errno));
	struct persist_root *r = &w->roots[w->n++];
	*r = (struct persist_root){ .source = i,
		                    .fd = fd,
		                    .host = xstrdup(src->src),
		                    .real = fd_path(fd),
		                    .dst = src->dst };
	if (r->real == NULL)
		r->real = xstrdup(src->src);
	r->kept = i == 0 && s->workspace_kept;
	r->idmapped = idmapped;
	if (r->kept && geteuid() == 0 && lay_out(fd, s, idmapped, &st) < 0)
		return -1;
	r->sticky = (st.st_mode & S_ISVTX) && st.st_uid != s->uid && !(st.st_mode & S_IWOTH);
	/* One lock per directory, however many times it is shown. */
	bool shared = false;
	struct stat other;
	for (size_t k = 0; k + 1 < w->n && !shared; k++)
		shared = fstat(w->roots[k].fd, &other) == 0 && other.st_dev == st.st_dev &&
		         other.st_ino == st.st_ino;
	if (!r->kept && !shared) {
		while (flock(fd, LOCK_SH) < 0)
			if (errno != EINTR)
				return claw_fail("%s: cannot lock: %s", src->src, strerror(errno));
		r->locked = true;
	}
	return 0;
}

int persist_watch_start(const struct native_spec *s, bool idmapped, struct persist_watch *w)
{
	struct nsroot_source *src = xcalloc(s->nbinds + 2, sizeof(*src));
	size_t n = nsroot_sources(s, src);
	int rc = 0;

	memset(w, 0, sizeof(*w));
	w->names = s->protect;
	w->nnames = s->nprotect;
	w->roots = xcalloc(n + 1, sizeof(*w->roots));
	for (size_t i = 0; i < n && rc == 0; i++)
		if (!src[i].ro)
			rc = open_root(s, &src[i], i, idmapped, w);
	/* Every root known first: where a symlink leads is judged against all of them. */
	for (size_t i = 0; i < w->n && rc == 0; i++)
		for (size_t j = 0; j < w->nnames && rc == 0; j++)
			rc = guard_entry(w, &w->roots[i], &w->names[j], UINT64_C(1) << j, s->uid,
			                 s->gid);
	if (rc == 0)
		rc = guard_extras(w, s->uid, s->gid);
	free(src);
	if (rc < 0)
		persist_watch_close(w);
	return rc;
}

const struct persist_root *persist_root_of(const struct persist_watch *w, size_t i)
{
	for (size_t k = 0; w && k < w->n; k++)
		if (w->roots[k].source == i)
			return &w->roots[k];
	return NULL;
}

/* The placeholders of R, when no other run uses the tree any more. */
static void remove_placeholders(const struct persist_watch *w, const struct persist_root *r)
{
	struct stat st;

	if (!r->locked || flock(r->fd, LOCK_EX | LOCK_NB) < 0)
		return;
	for (size_t j = 0; j < w->nnames + r->extra.n; j++) {
		const char *name = j < w->nnames ? w->names[j].name : r->extra.v[j - w->nnames];
		if (fstatat(r->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && is_placeholder(&st))
			unlinkat(r->fd, name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0);
	}
}

size_t persist_watch_finish(struct persist_watch *w, struct native_moved **out)
{
	size_t n = w->nmoved;

	for (size_t i = 0; i < w->n; i++)
		remove_placeholders(w, &w->roots[i]);
	*out = w->moved;
	w->moved = NULL;
	w->nmoved = w->capmoved = 0;
	persist_watch_close(w);
	return n;
}

void persist_watch_close(struct persist_watch *w)
{
	for (size_t i = 0; i < w->n; i++) {
		close(w->roots[i].fd);
		free(w->roots[i].host);
		free(w->roots[i].real);
		strvec_clear(&w->roots[i].extra);
		strvec_clear(&w->roots[i].extra_dirs);
	}
	native_moved_free(w->moved, w->nmoved);
	free(w->moved);
	free(w->roots);
	memset(w, 0, sizeof(*w));
}

void native_moved_free(struct native_moved *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].path);
		free(m[i].moved_to);
		free(m[i].error);
		m[i] = (struct native_moved){ NULL, NULL, NULL };
	}
}
