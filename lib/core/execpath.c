/* execpath.c: finding the file a command word runs (see execpath.h). */
#include "core/execpath.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/strvec.h"
#include "core/util.h"

/* ---- paths ---- */

int path_join(const char *dir, const char *rel, char *out, size_t size)
{
	size_t len = 0;
	const char *parts[2] = { rel[0] == '/' ? "" : dir, rel };

	if (size < 2)
		return -1;
	out[len++] = '/';
	for (int k = 0; k < 2; k++) {
		for (const char *p = parts[k]; *p != '\0';) {
			while (*p == '/')
				p++;
			size_t n = strcspn(p, "/");
			if (n == 0 || (n == 1 && p[0] == '.')) {
				p += n;
				continue;
			}
			if (n == 2 && p[0] == '.' && p[1] == '.') {
				/* Back to the previous slash, never above the root. */
				while (len > 1 && out[len - 1] != '/')
					len--;
				if (len > 1)
					len--;
				p += n;
				continue;
			}
			if (len + (len > 1) + n + 1 > size)
				return -1;
			if (len > 1)
				out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
			p += n;
		}
	}
	out[len] = '\0';
	return 0;
}

bool path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static bool has_dotdot(const char *s)
{
	for (const char *p = s; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == s || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return true;
	return false;
}

/*
 * DIR joined with NAME as the kernel would find it. Folding `..` by text is
 * only right when no symlink precedes it (`link/../x` is the parent of the
 * link's target), so a path with `..` takes its directory from realpath(3)
 * and keeps its last component as written. Returns 0, 1 when the directory
 * does not exist, or -1 when the path is too long.
 */
static int kernel_join(const char *dir, const char *name, char *out, size_t size)
{
	if (!has_dotdot(dir) && !has_dotdot(name))
		return path_join(dir, name, out, size);

	char raw[PATH_MAX * 2], real[PATH_MAX];
	int n = snprintf(raw, sizeof(raw), "%s/%s", name[0] == '/' ? "" : dir, name);
	if (n < 0 || (size_t)n >= sizeof(raw))
		return -1;
	char *slash = strrchr(raw, '/');
	const char *base = slash + 1;
	*slash = '\0';
	if (realpath(raw[0] ? raw : "/", real) == NULL)
		return 1; /* no such directory: nothing is found there */
	if (strcmp(base, "..") == 0 || strcmp(base, ".") == 0 || base[0] == '\0')
		return path_join(real, base, out, size);
	n = snprintf(out, size, "%s/%s", strcmp(real, "/") == 0 ? "" : real, base);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* ---- files ---- */

/* Why PATH cannot be the file a shell would run, or NULL when it can. */
static const char *not_runnable(const char *path, struct stat *st, bool need_exec)
{
	if (stat(path, st) < 0)
		return errno == EACCES ? "permission denied" : "no such file";
	if (!S_ISREG(st->st_mode))
		return "not a regular file";
	if (need_exec && faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0)
		return "not executable";
	return NULL;
}

static void found(struct exec_file *out)
{
	out->found = true;
	out->error = NULL;
	if (realpath(out->path, out->real) == NULL)
		out->real[0] = '\0';
}

static void reset(struct exec_file *out)
{
	out->found = out->via_path = out->cwd_dependent = false;
	out->error = NULL;
	out->path[0] = out->real[0] = '\0';
}

static int resolve_named(const char *word, const char *cwd, bool need_exec, struct exec_file *out)
{
	out->cwd_dependent = word[0] != '/';
	int rc = kernel_join(cwd, word, out->path, sizeof(out->path));
	if (rc < 0)
		return claw_fail("path too long: %s", word);
	out->error = rc > 0 ? "no such file" : not_runnable(out->path, &out->st, need_exec);
	if (out->error == NULL)
		found(out);
	return 0;
}

static int search_path(const char *word, const char *cwd, const char *path_env,
                       struct exec_file *out)
{
	out->via_path = true;
	if (path_env == NULL || path_env[0] == '\0') {
		out->error = "PATH is empty or not set";
		return 0;
	}
	for (const char *p = path_env;;) {
		size_t n = strcspn(p, ":");
		char dir[PATH_MAX];
		if (n >= sizeof(dir))
			return claw_fail("PATH entry too long");
		/* An empty entry is the working directory, as for the shell. */
		memcpy(dir, n ? p : ".", n ? n : 1);
		dir[n ? n : 1] = '\0';
		if (dir[0] != '/')
			out->cwd_dependent = true;
		char base[PATH_MAX];
		if (path_join(cwd, dir, base, sizeof(base)) == 0 && dir[0] != '/')
			memcpy(dir, base, strlen(base) + 1);
		if (kernel_join(dir, word, out->path, sizeof(out->path)) == 0 &&
		    not_runnable(out->path, &out->st, true) == NULL) {
			found(out);
			return 0;
		}
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	out->path[0] = '\0';
	out->error = "not found in PATH";
	return 0;
}

static int resolve_uncached(const char *word, const char *cwd, const char *path_env,
                            struct exec_file *out)
{
	reset(out);
	if (word[0] == '\0') {
		out->error = "empty command name";
		return 0;
	}
	if (strchr(word, '/') != NULL)
		return resolve_named(word, cwd, true, out);
	return search_path(word, cwd, path_env, out);
}

int exec_resolve_file(const char *word, const char *cwd, struct exec_file *out)
{
	reset(out);
	return resolve_named(word, cwd, false, out);
}

/* ---- the resolution cache ---- */

#define CACHE_SLOTS 256
/* A directory whose own entries a lookup read (a PATH directory, a file's
 * directory, the state dir): any change in it may change an answer. */
#define LEAF_MASK                                                                                  \
	(IN_ATTRIB | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MODIFY | IN_MOVE_SELF |           \
	 IN_MOVED_FROM | IN_MOVED_TO)
/* A directory above one: only its entry on the way down matters, renamed,
 * replaced, removed or its mode changed. Files written in /tmp or /root do
 * not (those events are filtered by name: see struct watch). */
#define ANCESTOR_MASK                                                                              \
	(IN_ATTRIB | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_MOVED_FROM |       \
	 IN_MOVED_TO | IN_ONLYDIR)

struct watch {
	int wd;
	char *dir;
	bool leaf;           /* watched with LEAF_MASK */
	struct strvec names; /* an ancestor's entries on the way down */
};

struct cache_slot {
	uint64_t hash;
	char *word, *path_env; /* NULL: an empty slot */
	bool found, via_path;
	const char *error;
	char *path, *real;
	struct stat st;
};

static struct {
	int fd; /* inotify, or -1: no cache */
	struct watch *watched;
	size_t nwatched, capwatched;
	struct cache_slot slots[CACHE_SLOTS];
} cache = { .fd = -1 };

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h ^ 0xff) * 1099511628211ULL;
}

static void drop_slot(struct cache_slot *c)
{
	free(c->word);
	free(c->path_env);
	free(c->path);
	free(c->real);
	memset(c, 0, sizeof(*c));
}

static void drop_all(void)
{
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (cache.slots[i].word != NULL)
			drop_slot(&cache.slots[i]);
}

int exec_cache_enable(void)
{
	if (cache.fd >= 0)
		return 0;
	cache.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	return cache.fd < 0 ? claw_fail("inotify: %s", strerror(errno)) : 0;
}

void exec_cache_disable(void)
{
	drop_all();
	for (size_t i = 0; i < cache.nwatched; i++) {
		struct watch *w = &cache.watched[i];
		free(w->dir);
		strvec_clear(&w->names);
	}
	free(cache.watched);
	cache.watched = NULL;
	cache.nwatched = cache.capwatched = 0;
	if (cache.fd >= 0)
		close(cache.fd);
	cache.fd = -1;
}

/*
 * Whether an event can change what a cached lookup found. Two paths may be
 * one directory (/bin and /usr/bin), so every watch of that wd is asked.
 */
static bool event_matters(const struct inotify_event *ev)
{
	bool known = false;

	if (ev->mask & (IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))
		return true;
	for (size_t i = 0; i < cache.nwatched; i++) {
		const struct watch *w = &cache.watched[i];
		if (w->wd != ev->wd)
			continue;
		known = true;
		if (w->leaf || ev->len == 0 || strvec_has(&w->names, ev->name))
			return true;
	}
	return !known;
}

bool exec_cache_check(void)
{
	char events[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	ssize_t n;

	if (cache.fd < 0)
		return true;
	while ((n = read(cache.fd, events, sizeof(events))) > 0)
		for (char *p = events; p < events + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
			changed |= event_matters(ev);
			p += sizeof(*ev) + ev->len;
		}
	if (changed)
		drop_all(); /* which lookup it touched does not matter: all are dropped */
	return changed;
}

static struct watch *find_watch(const char *dir)
{
	for (size_t i = 0; i < cache.nwatched; i++)
		if (strcmp(cache.watched[i].dir, dir) == 0)
			return &cache.watched[i];
	return NULL;
}

/*
 * Watches DIR: as a leaf, or (NAME not NULL) as the ancestor whose entry
 * NAME is on the way down. A directory that is both is a leaf.
 */
static int watch_one(const char *dir, const char *name)
{
	struct watch *w = find_watch(dir);

	if (w != NULL && w->leaf)
		return 0; /* a leaf sees every change */
	if (w != NULL && name != NULL && strvec_has(&w->names, name))
		return 0;
	/* IN_MASK_ADD: the same directory by another path keeps what it had. */
	int wd = inotify_add_watch(cache.fd, dir, (name ? ANCESTOR_MASK : LEAF_MASK) | IN_MASK_ADD);
	if (wd < 0) {
		/* A directory that does not exist yet is seen being made by its parent. */
		if (errno == ENOENT || errno == ENOTDIR || errno == EACCES)
			return 0;
		return -1;
	}
	if (w == NULL) {
		ALLOC_GROW(cache.watched, cache.nwatched + 1, cache.capwatched);
		w = &cache.watched[cache.nwatched++];
		*w = (struct watch){ .dir = xstrdup(dir) };
	}
	w->wd = wd;
	if (name == NULL) {
		w->leaf = true;
		return 0;
	}
	strvec_push(&w->names, name);
	return 0;
}

/* DIR and every directory above it: a rename anywhere up the path changes what it names. */
int exec_cache_watch(const char *dir)
{
	char p[PATH_MAX], name[NAME_MAX + 1];

	if (cache.fd < 0 || dir[0] != '/' || path_join("/", dir, p, sizeof(p)) < 0)
		return -1;
	if (watch_one(p, NULL) < 0)
		return -1;
	while (p[1] != '\0') {
		char *slash = strrchr(p, '/');
		snprintf(name, sizeof(name), "%s", slash + 1);
		slash[slash == p] = '\0';
		if (watch_one(p, name) < 0)
			return -1;
	}
	return 0;
}

static int watch_parent(const char *file)
{
	char d[PATH_MAX], *slash;

	snprintf(d, sizeof(d), "%s", file);
	slash = strrchr(d, '/');
	if (slash == NULL)
		return -1;
	slash[slash == d] = '\0';
	return exec_cache_watch(d);
}

/* The directories of every symlink hop from PATH to the file it ends at. */
static int watch_hops(const char *path)
{
	char cur[PATH_MAX], link[PATH_MAX], next[PATH_MAX], real[PATH_MAX];

	snprintf(cur, sizeof(cur), "%s", path);
	for (int hop = 0; hop < 40; hop++) {
		if (watch_parent(cur) < 0)
			return -1;
		char *slash = strrchr(cur, '/');
		if (slash != NULL && slash != cur) {
			*slash = '\0';
			if (realpath(cur, real) != NULL && exec_cache_watch(real) < 0)
				return -1;
			*slash = '/';
		}
		ssize_t n = readlink(cur, link, sizeof(link) - 1);
		if (n < 0)
			return errno == EINVAL ? 0 : -1; /* not a symlink: the end */
		link[n] = '\0';
		*strrchr(cur, '/') = '\0';
		if (path_join(cur[0] ? cur : "/", link, next, sizeof(next)) < 0)
			return -1;
		memcpy(cur, next, sizeof(cur));
	}
	return -1;
}

/* Watches what a lookup of WORD depended on; -1 when it cannot all be watched. */
static int watch_lookup(const char *word, const char *path_env, const struct exec_file *f)
{
	if (strchr(word, '/') != NULL) {
		if (watch_parent(f->path) < 0)
			return -1;
	} else {
		for (const char *p = path_env;;) {
			size_t n = strcspn(p, ":");
			char dir[PATH_MAX];
			if (n == 0 || n >= sizeof(dir))
				return -1;
			memcpy(dir, p, n);
			dir[n] = '\0';
			if (exec_cache_watch(dir) < 0)
				return -1;
			if (p[n] == '\0')
				break;
			p += n + 1;
		}
	}
	return f->found ? watch_hops(f->path) : 0;
}

static struct cache_slot *slot_for(uint64_t h)
{
	return &cache.slots[h % CACHE_SLOTS];
}

static bool cached(const char *word, const char *key, uint64_t h, struct exec_file *out)
{
	struct cache_slot *c = slot_for(h);

	if (c->word == NULL || c->hash != h || strcmp(c->word, word) != 0 ||
	    strcmp(c->path_env, key) != 0)
		return false;
	out->found = c->found;
	out->via_path = c->via_path;
	out->cwd_dependent = false;
	out->error = c->error;
	snprintf(out->path, sizeof(out->path), "%s", c->path);
	snprintf(out->real, sizeof(out->real), "%s", c->real);
	out->st = c->st;
	return true;
}

static void store(const char *word, const char *key, uint64_t h, const struct exec_file *f)
{
	struct cache_slot *c = slot_for(h);

	if (c->word != NULL)
		drop_slot(c);
	c->hash = h;
	c->word = xstrdup(word);
	c->path_env = xstrdup(key);
	c->found = f->found;
	c->via_path = f->via_path;
	c->error = f->error;
	c->path = xstrdup(f->path);
	c->real = xstrdup(f->real);
	c->st = f->st;
}

int exec_resolve(const char *word, const char *cwd, const char *path_env, struct exec_file *out)
{
	bool bare = strchr(word, '/') == NULL;
	const char *key = bare ? (path_env ? path_env : "") : "";
	bool cacheable =
	    cache.fd >= 0 && word[0] != '\0' && (bare ? path_env != NULL : word[0] == '/');
	uint64_t h = 0;

	if (cacheable) {
		/* The PATH is compared in full on a hit; hashing it byte by byte costs more. */
		h = fnv(14695981039346656037ULL, word) + strlen(key);
		if (cached(word, key, h, out))
			return 0;
	}
	if (resolve_uncached(word, cwd, path_env, out) < 0)
		return -1;
	/* Watches first, then the answer is kept: a change after the watch is seen. */
	if (cacheable && !out->cwd_dependent && watch_lookup(word, path_env, out) == 0) {
		struct exec_file again;
		if (resolve_uncached(word, cwd, path_env, &again) == 0 &&
		    again.found == out->found && strcmp(again.path, out->path) == 0 &&
		    strcmp(again.real, out->real) == 0)
			store(word, key, h, out);
	}
	return 0;
}

/* ---- content hashes ---- */

struct hash_slot {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
	char hex[SHA256_HEX];
};

#define HASH_SLOTS 64
static struct hash_slot slots[HASH_SLOTS];
static unsigned next_slot;

static bool same_version(const struct hash_slot *h, const struct stat *st)
{
	return h->dev == st->st_dev && h->ino == st->st_ino && h->size == st->st_size &&
	       h->mtime.tv_sec == st->st_mtim.tv_sec && h->mtime.tv_nsec == st->st_mtim.tv_nsec &&
	       h->ctime.tv_sec == st->st_ctim.tv_sec && h->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

int exec_sha256(const struct exec_file *f, char hex[SHA256_HEX])
{
	struct stat st;
	int fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return claw_fail("%s: %s", f->path, strerror(errno));
	if (fstat(fd, &st) < 0 || st.st_dev != f->st.st_dev || st.st_ino != f->st.st_ino) {
		close(fd);
		return claw_fail("%s: replaced while it was being checked", f->path);
	}
	for (unsigned i = 0; i < HASH_SLOTS; i++) {
		if (same_version(&slots[i], &st)) {
			memcpy(hex, slots[i].hex, SHA256_HEX);
			close(fd);
			return 0;
		}
	}
	int rc = sha256_fd_hex(fd, f->path, hex);
	struct stat after;
	/* Written to while being read: the digest is of no version at all. */
	if (rc == 0 && (fstat(fd, &after) < 0 || after.st_mtim.tv_nsec != st.st_mtim.tv_nsec ||
	                after.st_mtim.tv_sec != st.st_mtim.tv_sec || after.st_size != st.st_size))
		rc = claw_fail("%s: changed while it was being hashed", f->path);
	close(fd);
	if (rc == 0) {
		struct hash_slot *h = &slots[next_slot++ % HASH_SLOTS];
		h->dev = st.st_dev;
		h->ino = st.st_ino;
		h->size = st.st_size;
		h->mtime = st.st_mtim;
		h->ctime = st.st_ctim;
		memcpy(h->hex, hex, SHA256_HEX);
	}
	return rc;
}
