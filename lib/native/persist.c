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

/* HOST's entry of the top level of a writable tree it lies in, kept read-only there too. */
static void keep_entry(struct persist_watch *w, const char *host)
{
	for (size_t i = 0; i < w->n; i++) {
		struct persist_root *r = &w->roots[i];
		size_t len = strlen(r->real);
		if (strncmp(host, r->real, len) != 0 || host[len] != '/' || host[len + 1] == '\0')
			continue;
		char *top = xstrndup(host + len + 1, strcspn(host + len + 1, "/"));
		bool seen = false;
		for (size_t j = 0; j < w->nnames && !seen; j++)
			seen = strcmp(top, w->names[j].name) == 0;
		seen = seen || strvec_has(&r->extra, top);
		if (seen) {
			free(top);
			continue;
		}
		strvec_push_nodup(&r->extra, top);
	}
}

/*
 * Walks PATH as the host will, component by component, following symlinks,
 * and keeps every entry of a writable tree on the way read-only for the
 * run: what the host finds there later is what is there now.
 */
static void keep_path(struct persist_watch *w, const char *path)
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
		keep_entry(w, cur);
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
	keep_path(w, path);
	free(path);
	free(gitdir);
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

/* Protected name J of R exists, as something a read-only mount can hold, or fails. */
static int guard_name(struct persist_watch *w, struct persist_root *r, size_t j, uid_t u, gid_t g)
{
	const struct native_protect *p = &w->names[j];
	struct stat st;

	for (int tries = 0; tries < 3; tries++) {
		if (fstatat(r->fd, p->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (out_of_reach(r, &st, u, g))
				r->by_mode |= UINT32_C(1) << j;
			if (S_ISLNK(st.st_mode) ||
			    (S_ISREG(st.st_mode) && strcmp(p->name, ".git") == 0))
				keep_target(w, r, p->name, S_ISLNK(st.st_mode));
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
			rc = guard_name(w, &w->roots[i], j, s->uid, s->gid);
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
	for (size_t j = 0; j < w->nnames; j++)
		if (fstatat(r->fd, w->names[j].name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    is_placeholder(&st))
			unlinkat(r->fd, w->names[j].name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0);
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
