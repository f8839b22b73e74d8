/* journal.c: sandboxed runs that can be undone (see journal.h). */
#include "native/journal.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mount.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "core/util.h"
#include "native/native-types.h"
#include "native/nspin.h"

/* Directories deeper than this are not merged (each level holds three descriptors). */
#define MERGE_DEPTH 256

static int root_of(const char *state_dir, char *out, size_t size)
{
	if (snprintf(out, size, "%s/journal", state_dir) >= (int)size)
		return claw_fail("%s: name too long", state_dir);
	return 0;
}

/* A lock over every journal (in ROOT): merges, undos and prunes take turns. */
static int lock_journals(const char *root)
{
	if (mkdir_p(root, 0700) < 0)
		return -1;
	return lock_file(root, true);
}

/* ---- run.json ---- */

/*
 * run.json, written once the run has changed something. Not synced: the
 * journal keeps what a run replaced, and a crash before the kernel writes it
 * loses no more than the run's own unsynced writes would.
 */
static int write_meta(const char *dir, const char *agent, const struct journal_run *r,
                      const char *state, uint64_t kept)
{
	char path[PATH_MAX + 16];
	struct buf b = { 0 };

	snprintf(path, sizeof(path), "%s/run.json", dir);
	buf_puts(&b, "{\"id\":");
	buf_json_str(&b, r->id);
	buf_puts(&b, ",\"agent\":");
	buf_json_str(&b, agent);
	buf_puts(&b, ",\"state\":");
	buf_json_str(&b, state);
	buf_printf(&b, ",\"kept\":%llu,\"at\":%lld,\"trees\":[", (unsigned long long)kept,
	           clock_wall_ms());
	for (size_t i = 0; i < r->ntrees; i++) {
		if (i > 0)
			buf_putc(&b, ',');
		buf_json_str(&b, r->tree[i].host);
	}
	buf_puts(&b, "]}\n");
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	int rc = fd >= 0 && write(fd, b.p, b.len) == (ssize_t)b.len ? 0 : -1;
	if (fd >= 0 && close(fd) < 0)
		rc = -1;
	if (rc < 0)
		claw_fail("%s: %s", path, strerror(errno));
	buf_free(&b);
	return rc;
}

static cJSON *read_meta(const char *dir)
{
	char path[PATH_MAX + 16], *text = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s/run.json", dir);
	if (read_file(path, 1 << 20, &text, &len) < 0)
		return NULL;
	cJSON *j = cJSON_Parse(text);
	free(text);
	if (j == NULL)
		claw_fail("%s: not JSON", path);
	return j;
}

static const char *meta_str(const cJSON *meta, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(meta, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* Rewrites run.json's "state" (and "kept"), the rest as it was. */
static int set_state(const char *dir, const char *state, double kept)
{
	char path[PATH_MAX + 16];
	cJSON *meta = read_meta(dir);

	if (meta == NULL)
		return -1;
	cJSON_DeleteItemFromObjectCaseSensitive(meta, "state");
	cJSON_AddStringToObject(meta, "state", state);
	if (kept >= 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(meta, "kept");
		cJSON_AddNumberToObject(meta, "kept", kept);
	}
	char *text = cJSON_PrintUnformatted(meta);
	cJSON_Delete(meta);
	snprintf(path, sizeof(path), "%s/run.json", dir);
	int rc = atomic_write(path, text, strlen(text), 0600);
	cJSON_free(text); /* cJSON's allocator: a filter's record arena */
	return rc;
}

/* ---- begin ---- */

/*
 * Each writable tree has layers of its own, <root>/layers/<hash of its path>,
 * reused run after run: a run that writes nothing then costs no directory
 * made or removed but overlayfs's scratch (work/work, renamed into garbage/
 * and swept later). A second run of the same tree at the same time gets
 * layers of its own, removed after it.
 */

/* The overlay's top directory is the upper layer's: it must be the tree's owner and mode. */
static int like_tree(const char *tree, const char *upper)
{
	struct stat st, up;

	if (stat(tree, &st) < 0 || stat(upper, &up) < 0)
		return -1;
	if (geteuid() == 0 && (up.st_uid != st.st_uid || up.st_gid != st.st_gid) &&
	    chown(upper, st.st_uid, st.st_gid) < 0)
		return -1;
	return (up.st_mode & 07777) == (st.st_mode & 07777) ? 0 : chmod(upper, st.st_mode & 07777);
}

static int make_dir(const char *path, mode_t mode)
{
	return mkdir(path, mode) == 0 || errno == EEXIST ? 0 : -1;
}

/* LAYERS/upper and LAYERS/work, made if missing, and LAYERS/lock taken without waiting. */
static int open_layers(struct journal_tree *t, bool *busy)
{
	char lock[PATH_MAX + 16];

	*busy = false;
	if (make_dir(t->layers, 0700) < 0 ||
	    snprintf(t->upper, sizeof(t->upper), "%s/upper", t->layers) >= (int)sizeof(t->upper) ||
	    snprintf(t->work, sizeof(t->work), "%s/work", t->layers) >= (int)sizeof(t->work) ||
	    snprintf(lock, sizeof(lock), "%s/lock", t->layers) >= (int)sizeof(lock))
		return -1;
	t->lock = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (t->lock < 0)
		return -1;
	if (flock(t->lock, LOCK_EX | LOCK_NB) < 0) {
		*busy = errno == EWOULDBLOCK;
		close(t->lock);
		t->lock = -1;
		return -1;
	}
	if (make_dir(t->upper, 0755) < 0 || make_dir(t->work, 0700) < 0 ||
	    like_tree(t->host, t->upper) < 0)
		return -1;
	return 0;
}

/* Runs whose scratch is swept at once, when that many wait. */
#define GARBAGE_SWEEP 64

/* What clear_work() put aside: removed. */
static void sweep_garbage(const char *root)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	(void)remove_tree_at(fd, "garbage", "garbage");
	close(fd);
}

/*
 * overlayfs makes its scratch (work/work, and incompat/volatile in it) mode
 * 0: an ordinary user could neither move it (a directory moved to another
 * parent must be writable, for its "..") nor remove it later. Root need not.
 */
static void make_ours(const char *path, int depth)
{
	if (chmod(path, 0700) < 0 || depth == 0)
		return;
	DIR *d = opendir(path);
	for (struct dirent *de; d != NULL && (de = readdir(d)) != NULL;) {
		char sub[PATH_MAX];
		if (de->d_type == DT_DIR && strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0 &&
		    snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) < (int)sizeof(sub))
			make_ours(sub, depth - 1);
	}
	if (d != NULL)
		closedir(d);
}

/* overlayfs's scratch of the last run (and its volatile mark, which refuses a second
 * mount): out of the way in one rename, removed by journal_prune() or, once
 * GARBAGE_SWEEP wait, here. */
static int clear_work(const struct journal_run *r, const struct journal_tree *t, size_t i)
{
	char work[PATH_MAX + 16], garbage[PATH_MAX + 64];
	struct stat st;

	snprintf(work, sizeof(work), "%s/work", t->work);
	if (lstat(work, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	snprintf(garbage, sizeof(garbage), "%s/garbage", r->root);
	if (make_dir(garbage, 0700) < 0 || lstat(garbage, &st) < 0)
		return -1;
	if (st.st_nlink > 2 + GARBAGE_SWEEP) {
		sweep_garbage(r->root);
		if (make_dir(garbage, 0700) < 0)
			return -1;
	}
	if (geteuid() != 0)
		make_ours(work, 3);
	snprintf(garbage, sizeof(garbage), "%s/garbage/%s-%zu", r->root, r->id, i);
	return rename(work, garbage);
}

static int begin_tree(struct journal_run *r, size_t i, const char *tree)
{
	struct journal_tree *t = &r->tree[i];
	char key[SHA256_HEX];
	bool busy;

	t->lock = -1;
	snprintf(t->host, sizeof(t->host), "%s", tree);
	sha256_hex(tree, strlen(tree), key);
	if (snprintf(t->layers, sizeof(t->layers), "%s/layers/%.16s", r->root, key) >=
	    (int)sizeof(t->layers))
		return claw_fail("%s: name too long", r->root);
	if (open_layers(t, &busy) < 0 && busy) {
		/* Another run of this tree holds them: layers of this run's own. */
		if (snprintf(t->layers, sizeof(t->layers), "%s/layers/%.16s.%s", r->root, key,
		             r->id) >= (int)sizeof(t->layers))
			return claw_fail("%s: name too long", r->root);
		t->own = true;
		if (open_layers(t, &busy) < 0)
			return claw_fail("%s: %s", t->layers, strerror(errno));
	} else if (t->lock < 0) {
		return claw_fail("%s: %s", t->layers, strerror(errno));
	}
	if (clear_work(r, t, i) < 0)
		return claw_fail("%s: cannot clear overlayfs's work directory: %s", t->work,
		                 strerror(errno));
	return 0;
}

int journal_begin(const char *state_dir, const char *agent, const char *const *trees, size_t n,
                  struct journal_run *r)
{
	char layers[PATH_MAX + 16];
	unsigned char rnd[4];

	memset(r, 0, sizeof(*r));
	if (n > JOURNAL_MAX_TREES)
		return claw_fail("more than %d writable trees: the run could not be undone",
		                 JOURNAL_MAX_TREES);
	random_bytes(rnd, sizeof(rnd));
	snprintf(r->id, sizeof(r->id), "%013lld-%02x%02x%02x%02x", clock_wall_ms(), rnd[0], rnd[1],
	         rnd[2], rnd[3]);
	snprintf(r->agent, sizeof(r->agent), "%s", agent);
	if (root_of(state_dir, r->root, sizeof(r->root)) < 0 ||
	    snprintf(r->dir, sizeof(r->dir), "%s/%s", r->root, r->id) >= (int)sizeof(r->dir))
		return -1;
	snprintf(layers, sizeof(layers), "%s/layers", r->root);
	if (make_dir(r->root, 0700) < 0 || make_dir(layers, 0700) < 0)
		return claw_fail("%s: cannot make the undo journal: %s", layers, strerror(errno));
	for (size_t i = 0; i < n; i++) {
		r->ntrees++;
		if (begin_tree(r, i, trees[i]) < 0) {
			char why[PATH_MAX + 128];
			snprintf(why, sizeof(why), "%s", claw_error());
			journal_discard(r);
			return claw_fail("%s (agents.defaults.sandbox.native.undoMaxMb: 0 runs "
			                 "without the undo journal)",
			                 why);
		}
	}
	return 0;
}

/* The layers are free for the next run; a run's own go. */
static void release(struct journal_tree *t)
{
	if (t->own) {
		char parent[PATH_MAX];
		const char *slash = strrchr(t->layers, '/');
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - t->layers), t->layers);
		if (geteuid() != 0)
			make_ours(t->work, 4);
		int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			(void)remove_tree_at(fd, slash + 1, t->layers);
			close(fd);
		}
	}
	if (t->lock >= 0)
		close(t->lock);
	t->lock = -1;
}

void journal_discard(struct journal_run *r)
{
	for (size_t i = 0; i < r->ntrees; i++)
		release(&r->tree[i]);
	r->ntrees = 0;
}

/* ---- merge ---- */

struct merge {
	struct journal_summary *sum;
	const struct native_protect *protect;
	size_t nprotect;
	const struct journal_tree *t;
	FILE *changes;      /* changes.jsonl */
	char old[PATH_MAX]; /* tN/old */
	struct buf rel;     /* the path being merged, relative to the tree */
	int failed;         /* names that could not be merged */
	int quarantined;    /* names left in the upper layer on purpose */
};

static bool whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == 0;
}

/* overlayfs's mark of a directory that hides the lower one (rm -r, then mkdir). */
static bool opaque(int dir, const char *name)
{
	char v[4];
	int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return false;
	ssize_t n = fgetxattr(fd, "user.overlay.opaque", v, sizeof(v));
	if (n < 0)
		n = fgetxattr(fd, "trusted.overlay.opaque", v, sizeof(v));
	close(fd);
	return n >= 1 && v[0] == 'y';
}

/* overlayfs's own marks (origin, opaque, impure) must not follow a file into the tree. */
static void strip_marks(int dir, const char *name)
{
	char list[4096];
	int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return;
	ssize_t n = flistxattr(fd, list, sizeof(list));
	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(list + i) + 1)
		if (str_has_prefix(list + i, "user.overlay.") ||
		    str_has_prefix(list + i, "trusted.overlay."))
			(void)fremovexattr(fd, list + i);
	close(fd);
}

static uint64_t size_at(int dir, const char *name, int depth)
{
	struct stat st;
	uint64_t n = 0;

	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (!S_ISDIR(st.st_mode) || depth > MERGE_DEPTH)
		return (uint64_t)st.st_size;
	int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	for (struct dirent *de; (de = readdir(d)) != NULL;)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n += size_at(dirfd(d), de->d_name, depth + 1);
	closedir(d);
	return n;
}

/* rename, or across file systems a copy and a removal. */
static int move_at(int from, const char *fname, int to, const char *tname)
{
	if (renameat2(from, fname, to, tname, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EXDEV)
		return -1;
	if (copy_tree_at(from, fname, to, tname) < 0) {
		int e = errno;
		(void)remove_tree_at(to, tname, tname);
		errno = e;
		return -1;
	}
	return remove_tree_at(from, fname, fname) < 0 ? -1 : 0;
}

/* The directory of tN/old where REL's parent goes, made as needed. */
static int old_parent(struct merge *m, const char *rel, const char **base)
{
	char path[PATH_MAX * 2];
	const char *slash = strrchr(rel, '/');

	*base = slash ? slash + 1 : rel;
	if (snprintf(path, sizeof(path), "%s/%.*s", m->old, slash ? (int)(slash - rel) : 0, rel) >=
	        (int)sizeof(path) ||
	    mkdir_p(path, 0700) < 0)
		return -1;
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static void note(struct merge *m, const char *change, bool dir, uint64_t bytes, int tree,
                 const char *name)
{
	struct journal_summary *s = m->sum;
	struct stat st;

	ALLOC_GROW(s->c, s->n + 1, s->cap);
	s->c[s->n++] =
	    (struct journal_change){ xasprintf("%s/%s", m->t->host, m->rel.p), change, dir, bytes };
	if (strcmp(change, "created") != 0 && strcmp(change, "quarantined") != 0)
		s->kept += bytes;
	/* What the run left there: undo puts the old back only over that. */
	bool left = strcmp(change, "deleted") != 0 && strcmp(change, "quarantined") != 0 &&
	            fstatat(tree, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
	fputs("{\"tree\":", m->changes);
	struct buf b = { 0 };
	buf_json_str(&b, m->t->host);
	buf_puts(&b, ",\"path\":");
	buf_json_str(&b, m->rel.p);
	buf_printf(&b, ",\"change\":\"%s\",\"dir\":%s,\"bytes\":%llu", change,
	           dir ? "true" : "false", (unsigned long long)bytes);
	if (left)
		buf_printf(&b,
		           ",\"ino\":%llu,\"size\":%lld,\"mtime\":%lld.%09ld,\"ctime\":%lld.%09ld",
		           (unsigned long long)st.st_ino, (long long)st.st_size,
		           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		           (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
	buf_puts(&b, "}\n");
	fputs(b.p, m->changes);
	buf_free(&b);
}

/* What is at NAME in the tree goes into tN/old, at the same relative path. */
static int keep_old(struct merge *m, int tree, const char *name, uint64_t *bytes)
{
	const char *base;
	int old = old_parent(m, m->rel.p, &base);

	if (old < 0)
		return -1;
	*bytes = size_at(tree, name, 0);
	int rc = move_at(tree, name, old, base);
	close(old);
	return rc;
}

static void merge_dir(struct merge *m, int up, int tree, int depth);

/* The run made or replaced NAME: it goes into the tree, and what was there into old. */
static void install(struct merge *m, int up, int tree, const char *name, bool dir, bool existed)
{
	uint64_t kept = 0;

	if (existed && keep_old(m, tree, name, &kept) < 0) {
		m->failed++;
		return;
	}
	uint64_t made = size_at(up, name, 0);
	if (move_at(up, name, tree, name) < 0) {
		m->failed++;
		return;
	}
	strip_marks(tree, name);
	note(m, existed ? "replaced" : "created", dir, existed ? kept : made, tree, name);
}

static bool protected_name(const struct merge *m, const char *name)
{
	for (size_t i = 0; i < m->nprotect; i++)
		if (strcmp(m->protect[i].name, name) == 0)
			return true;
	return false;
}

static void merge_entry(struct merge *m, int up, int tree, const char *name, int depth)
{
	struct stat us, ts;
	bool exists = fstatat(tree, name, &ts, AT_SYMLINK_NOFOLLOW) == 0;

	if (fstatat(up, name, &us, AT_SYMLINK_NOFOLLOW) < 0) {
		m->failed++;
		return;
	}
	/* A persistence path the run made: the host would run it. It stays here. */
	if (depth == 0 && !whiteout(&us) && protected_name(m, name)) {
		m->quarantined++;
		note(m, "quarantined", S_ISDIR(us.st_mode), size_at(up, name, 0), up, name);
		return;
	}
	if (whiteout(&us)) {
		uint64_t kept = 0;
		if (exists && keep_old(m, tree, name, &kept) == 0)
			note(m, "deleted", S_ISDIR(ts.st_mode), kept, tree, name);
		else if (exists)
			m->failed++;
		(void)unlinkat(up, name, 0);
		return;
	}
	if (!S_ISDIR(us.st_mode) || !exists || !S_ISDIR(ts.st_mode) || opaque(up, name)) {
		install(m, up, tree, name, S_ISDIR(us.st_mode), exists);
		return;
	}
	/* A directory of the tree that the run changed something in: down into it. */
	int u = openat(up, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int t = openat(tree, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (u < 0 || t < 0 || depth >= MERGE_DEPTH) {
		m->failed++;
	} else {
		merge_dir(m, u, t, depth + 1);
		/* Its mode and times as the run left them. */
		struct timespec times[2] = { us.st_atim, us.st_mtim };
		(void)fchmod(t, us.st_mode & 07777);
		(void)futimens(t, times);
		if (unlinkat(up, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
			m->failed++;
	}
	if (u >= 0)
		close(u);
	if (t >= 0)
		close(t);
}

/* The names in directory FD, NUL-separated: read whole before any is moved away. */
static int names_of(int fd, struct buf *out)
{
	int dup_fd = dup(fd);
	DIR *d = dup_fd < 0 ? NULL : fdopendir(dup_fd);

	if (d == NULL) {
		if (dup_fd >= 0)
			close(dup_fd);
		return -1;
	}
	for (struct dirent *de; (de = readdir(d)) != NULL;)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			buf_put(out, de->d_name, strlen(de->d_name) + 1);
	closedir(d);
	return 0;
}

static void merge_dir(struct merge *m, int up, int tree, int depth)
{
	struct buf names = { 0 };
	size_t len = m->rel.len;

	if (names_of(up, &names) < 0) {
		m->failed++;
		return;
	}
	for (size_t at = 0; at < names.len; at += strlen(names.p + at) + 1) {
		const char *name = names.p + at;
		if (len > 0)
			buf_putc(&m->rel, '/');
		buf_puts(&m->rel, name);
		merge_entry(m, up, tree, name, depth);
		m->rel.len = len;
		m->rel.p[len] = '\0';
	}
	buf_free(&names);
}

/* Whether the run wrote anything into T's upper layer. */
static bool wrote(const struct journal_tree *t)
{
	DIR *d = opendir(t->upper);
	bool any = false;

	for (struct dirent *de; d != NULL && !any && (de = readdir(d)) != NULL;)
		any = strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	if (d != NULL)
		closedir(d);
	return any;
}

/*
 * What is left in the upper layer after the merge (quarantined names, what
 * could not be merged) leaves with the run's journal: the layers are reused,
 * and the next run must start from the tree alone.
 */
static void empty_upper(struct merge *m, const struct journal_tree *t, const char *tdir)
{
	char left[PATH_MAX + 32];

	if (!wrote(t))
		return;
	if (snprintf(left, sizeof(left), "%s/left", tdir) >= (int)sizeof(left) ||
	    rename(t->upper, left) < 0 || mkdir(t->upper, 0755) < 0 ||
	    like_tree(t->host, t->upper) < 0)
		m->failed++;
}

static void merge_tree(struct merge *m, const struct journal_tree *t, size_t i, const char *dir)
{
	char tdir[PATH_MAX + 32];

	if (!wrote(t))
		return;
	int up = open(t->upper, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int tree = open(t->host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	m->t = t;
	if (snprintf(tdir, sizeof(tdir), "%s/t%zu", dir, i) >= (int)sizeof(tdir) ||
	    snprintf(m->old, sizeof(m->old), "%s/old", tdir) >= (int)sizeof(m->old) ||
	    make_dir(tdir, 0700) < 0)
		m->old[0] = '\0';
	buf_reset(&m->rel);
	buf_puts(&m->rel, "");
	if (up >= 0 && tree >= 0 && m->old[0] != '\0')
		merge_dir(m, up, tree, 0);
	else
		m->failed++;
	if (up >= 0)
		close(up);
	if (tree >= 0)
		close(tree);
	empty_upper(m, t, tdir);
}

static void write_changes_meta(const struct journal_run *r, const struct journal_summary *sum,
                               int *rc)
{
	if (write_meta(r->dir, r->agent, r, sum->incomplete ? "incomplete" : "merged", sum->kept) <
	    0)
		*rc = -1;
}

int journal_merge(struct journal_run *r, const struct native_protect *protect, size_t nprotect,
                  struct journal_summary *sum)
{
	char path[PATH_MAX + 32];
	struct merge m = { .sum = sum, .protect = protect, .nprotect = nprotect };
	bool any = false;

	memset(sum, 0, sizeof(*sum));
	for (size_t i = 0; i < r->ntrees; i++)
		any |= wrote(&r->tree[i]);
	if (!any) {
		journal_discard(r); /* nothing written, nothing to undo: no journal */
		return 0;
	}
	int state_lock = lock_journals(r->root);
	snprintf(path, sizeof(path), "%s/changes.jsonl", r->dir);
	int fd = state_lock < 0 || mkdir(r->dir, 0700) < 0
	             ? -1
	             : open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	m.changes = fd < 0 ? NULL : fdopen(fd, "w");
	if (m.changes == NULL) {
		int e = errno;
		unlock_file(state_lock);
		journal_discard(r);
		sum->incomplete = true;
		return claw_fail("%s: %s: the run's writes stay in its layers", path, strerror(e));
	}
	for (size_t i = 0; i < r->ntrees; i++)
		merge_tree(&m, &r->tree[i], i, r->dir);
	int rc = fclose(m.changes) == 0 ? 0 : claw_fail("%s: %s", path, strerror(errno));
	buf_free(&m.rel);
	sum->incomplete = m.failed > 0;
	if (rc == 0 && m.failed > 0)
		rc = claw_fail("%d changes of the run could not be merged: they are in %s",
		               m.failed, r->dir);
	write_changes_meta(r, sum, &rc);
	unlock_file(state_lock);
	journal_discard(r);
	return rc;
}

void journal_summary_free(struct journal_summary *sum)
{
	for (size_t i = 0; i < sum->n; i++)
		free(sum->c[i].path);
	free(sum->c);
	memset(sum, 0, sizeof(*sum));
}

void journal_render(const struct journal_run *r, const struct journal_summary *sum, struct buf *b)
{
	buf_puts(b, ",\"journal\":{\"id\":");
	buf_json_str(b, r->id);
	buf_printf(b, ",\"kept\":%llu,\"changes\":[", (unsigned long long)sum->kept);
	for (size_t i = 0; i < sum->n; i++) {
		const struct journal_change *c = &sum->c[i];
		buf_puts(b, i ? ",{\"path\":" : "{\"path\":");
		buf_json_str(b, c->path);
		buf_printf(b, ",\"change\":\"%s\",\"dir\":%s,\"bytes\":%llu}", c->change,
		           c->dir ? "true" : "false", (unsigned long long)c->bytes);
	}
	buf_putc(b, ']');
	if (sum->incomplete)
		buf_puts(b, ",\"incomplete\":true");
	buf_putc(b, '}');
}

/* ---- state, undo, prune ---- */

static int run_dir(const char *state_dir, const char *id, char *out, size_t size)
{
	char root[PATH_MAX];

	/* An id is ours only as journal_begin() makes them: no '/' nor "..". */
	if (strlen(id) != 22 || strspn(id, "0123456789abcdef-") != 22)
		return claw_fail("\"%s\" is not a journal id", id);
	if (root_of(state_dir, root, sizeof(root)) < 0 ||
	    snprintf(out, size, "%s/%s", root, id) >= (int)size)
		return claw_fail("%s: name too long", state_dir);
	return 0;
}

enum journal_state journal_state(const char *state_dir, const char *id)
{
	char dir[PATH_MAX];
	cJSON *meta;

	if (run_dir(state_dir, id, dir, sizeof(dir)) < 0 || (meta = read_meta(dir)) == NULL)
		return JOURNAL_GONE;
	const char *s = meta_str(meta, "state");
	enum journal_state st = strcmp(s, "merged") == 0 || strcmp(s, "incomplete") == 0
	                            ? JOURNAL_UNDOABLE
	                        : strcmp(s, "undone") == 0 ? JOURNAL_UNDONE
	                                                   : JOURNAL_OPEN;
	cJSON_Delete(meta);
	return st;
}

/* One line of changes.jsonl. */
struct change {
	char *tree, *path, *change;
	bool dir, left; /* left: the run left something there, whose identity follows */
	unsigned long long ino;
	long long size;
	double mtime, ctime;
};

static void changes_free(struct change *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].tree);
		free(c[i].path);
		free(c[i].change);
	}
	free(c);
}

static char *dup_member(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return xstrdup(cJSON_IsString(v) ? v->valuestring : "");
}

static double num_member(const cJSON *o, const char *name, bool *has)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (has != NULL)
		*has = cJSON_IsNumber(v);
	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static int read_changes(const char *dir, struct change **out, size_t *n)
{
	char path[PATH_MAX + 32], *text = NULL;
	size_t len, cap = 0;

	*out = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "%s/changes.jsonl", dir);
	if (read_file(path, 0, &text, &len) < 0)
		return errno == ENOENT ? 0 : -1;
	for (char *line = text, *nl; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		cJSON *j = cJSON_Parse(line);
		if (j == NULL)
			continue;
		ALLOC_GROW(*out, *n + 1, cap);
		struct change *c = &(*out)[(*n)++];
		c->tree = dup_member(j, "tree");
		c->path = dup_member(j, "path");
		c->change = dup_member(j, "change");
		c->dir = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "dir"));
		c->ino = (unsigned long long)num_member(j, "ino", &c->left);
		c->size = (long long)num_member(j, "size", NULL);
		c->mtime = num_member(j, "mtime", NULL);
		c->ctime = num_member(j, "ctime", NULL);
		cJSON_Delete(j);
	}
	free(text);
	return 0;
}

static bool overlaps(const struct change *a, const struct change *b)
{
	size_t na = strlen(a->path), nb = strlen(b->path), n = na < nb ? na : nb;

	if (strcmp(a->tree, b->tree) != 0 || strncmp(a->path, b->path, n) != 0)
		return false;
	return na == nb || (na > nb ? a->path[nb] == '/' : b->path[na] == '/');
}

/* The tree's directory that holds REL, opened beneath the tree, never through a symlink. */
static int parent_in(const char *tree, const char *rel, bool make, const char **base)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(rel, '/');
	int top = open(tree, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	*base = slash ? slash + 1 : rel;
	if (top < 0 || slash == NULL)
		return top;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - rel), rel);
	if (make) {
		char full[PATH_MAX * 2];
		snprintf(full, sizeof(full), "%s/%s", tree, dir);
		(void)mkdir_p(full, 0755);
	}
	int fd = openat_beneath(top, dir, O_RDONLY | O_DIRECTORY, 0);
	close(top);
	return fd;
}

/* Whether what is at C's path is still what the run left there. */
static bool as_left(const struct change *c)
{
	const char *base;
	struct stat st;
	int dir = parent_in(c->tree, c->path, false, &base);
	bool there = dir >= 0 && fstatat(dir, base, &st, AT_SYMLINK_NOFOLLOW) == 0;

	if (dir >= 0)
		close(dir);
	if (!c->left || !there)
		return !there && !c->left;
	double mt = (double)st.st_mtim.tv_sec + (double)st.st_mtim.tv_nsec / 1e9;
	return st.st_ino == c->ino && st.st_size == c->size &&
	       (mt - c->mtime < 1e-6 && c->mtime - mt < 1e-6);
}

/* Later runs, not undone, whose changes meet RUN's. */
static void later_conflicts(const char *root, const char *id, const struct change *c, size_t n,
                            struct buf *out, int *count)
{
	DIR *d = opendir(root);

	if (d == NULL)
		return;
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		char dir[PATH_MAX * 2];
		if (strlen(de->d_name) != 22 || strcmp(de->d_name, id) <= 0)
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", root, de->d_name);
		cJSON *meta = read_meta(dir);
		bool undone = meta == NULL || strcmp(meta_str(meta, "state"), "undone") == 0;
		cJSON_Delete(meta);
		struct change *lc;
		size_t ln;
		if (undone || read_changes(dir, &lc, &ln) < 0)
			continue;
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < ln; k++)
				if (overlaps(&c[i], &lc[k])) {
					buf_printf(out,
					           "%s/%s: changed again by the later run %s\n",
					           c[i].tree, c[i].path, de->d_name);
					(*count)++;
					k = ln;
				}
		changes_free(lc, ln);
	}
	closedir(d);
}

/* What is at C's path now goes into the journal's undone/ (nothing is lost by an undo). */
static int set_aside(const char *dir, const struct change *c)
{
	char where[PATH_MAX * 2];
	const char *base;
	int from = parent_in(c->tree, c->path, false, &base);

	if (from < 0)
		return errno == ENOENT ? 0 : -1;
	snprintf(where, sizeof(where), "%s/undone/%s", dir, c->path);
	char *slash = strrchr(where, '/');
	*slash = '\0';
	int rc = mkdir_p(where, 0700);
	int to = rc < 0 ? -1 : open(where, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	if (to >= 0 && fstatat(from, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    move_at(from, base, to, base) < 0)
		rc = -1;
	if (to >= 0)
		close(to);
	close(from);
	return rc;
}

/* The old of C, from tN/old, back in the tree. */
static int put_back(const char *dir, size_t tree_index, const struct change *c)
{
	char old[PATH_MAX * 2];
	const char *base;

	snprintf(old, sizeof(old), "%s/t%zu/old/%s", dir, tree_index, c->path);
	char *slash = strrchr(old, '/');
	*slash = '\0';
	int from = open(old, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int to = parent_in(c->tree, c->path, true, &base);
	int rc = from >= 0 && to >= 0 ? move_at(from, slash + 1, to, base) : -1;
	if (rc < 0)
		claw_fail("%s/%s: cannot put it back: %s", c->tree, c->path, strerror(errno));
	if (from >= 0)
		close(from);
	if (to >= 0)
		close(to);
	return rc;
}

static size_t tree_index(const cJSON *meta, const char *tree)
{
	const cJSON *trees = cJSON_GetObjectItemCaseSensitive(meta, "trees"), *t;
	size_t i = 0;

	cJSON_ArrayForEach(t, trees)
	{
		if (cJSON_IsString(t) && strcmp(t->valuestring, tree) == 0)
			return i;
		i++;
	}
	return i;
}

static int undo_changes(const char *dir, const cJSON *meta, const struct change *c, size_t n,
                        struct buf *out)
{
	int rc = 0;

	for (size_t i = n; i-- > 0;) {
		const struct change *x = &c[i];
		bool created = strcmp(x->change, "created") == 0;
		if (strcmp(x->change, "deleted") != 0 && set_aside(dir, x) < 0) {
			buf_printf(out, "%s/%s: could not be set aside: %s\n", x->tree, x->path,
			           strerror(errno));
			rc = -1;
			continue;
		}
		if (!created && put_back(dir, tree_index(meta, x->tree), x) < 0) {
			buf_printf(out, "%s\n", claw_error());
			rc = -1;
			continue;
		}
		buf_printf(out, "%s/%s%s: %s\n", x->tree, x->path, x->dir ? "/" : "",
		           created ? "removed (kept in the journal)" : "put back");
	}
	return rc;
}

int journal_undo(const char *state_dir, const char *id, bool force, struct buf *out)
{
	char dir[PATH_MAX], root[PATH_MAX];
	struct change *c = NULL;
	size_t n = 0;
	int conflicts = 0, rc = -1;

	if (run_dir(state_dir, id, dir, sizeof(dir)) < 0 ||
	    root_of(state_dir, root, sizeof(root)) < 0)
		return -1;
	int lock = lock_journals(root);
	if (lock < 0)
		return -1;
	cJSON *meta = read_meta(dir);
	if (meta == NULL) {
		claw_fail("run %s has no journal (pruned, or it changed nothing undoable)", id);
		goto out;
	}
	const char *state = meta_str(meta, "state");
	if (strcmp(state, "undone") == 0 || strcmp(state, "open") == 0) {
		claw_fail(strcmp(state, "undone") == 0
		              ? "run %s is undone already"
		              : "run %s has not ended: nothing to undo yet",
		          id);
		goto out;
	}
	if (read_changes(dir, &c, &n) < 0)
		goto out;
	later_conflicts(root, id, c, n, out, &conflicts);
	for (size_t i = 0; i < n; i++)
		if (!as_left(&c[i])) {
			buf_printf(out, "%s/%s: changed since the run\n", c[i].tree, c[i].path);
			conflicts++;
		}
	if (conflicts > 0 && !force) {
		rc = 1;
		goto out;
	}
	rc = undo_changes(dir, meta, c, n, out);
	if (set_state(dir, "undone", -1) < 0)
		rc = -1;
	if (rc < 0)
		claw_fail("run %s was undone only in part: see above", id);
out:
	changes_free(c, n);
	cJSON_Delete(meta);
	unlock_file(lock);
	return rc;
}

struct journal_entry {
	char id[32];
	double kept;
	bool open;
};

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct journal_entry *)a)->id, ((const struct journal_entry *)b)->id);
}

static int drop(const char *root, const char *id)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	int rc = remove_tree_at(fd, id, id);
	close(fd);
	return rc;
}

int journal_prune(const char *state_dir, const char *agent, uint64_t budget, double max_age_s)
{
	char root[PATH_MAX];
	struct journal_entry *e = NULL;
	size_t n = 0, cap = 0;
	double total = 0;
	int gone = 0;

	if (root_of(state_dir, root, sizeof(root)) < 0)
		return -1;
	DIR *d = opendir(root);
	if (d == NULL)
		return errno == ENOENT ? 0 : claw_fail("%s: %s", root, strerror(errno));
	int lock = lock_journals(root);
	sweep_garbage(root);
	for (struct dirent *de; lock >= 0 && (de = readdir(d)) != NULL;) {
		char dir[PATH_MAX * 2];
		if (strlen(de->d_name) != 22)
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", root, de->d_name);
		cJSON *meta = read_meta(dir);
		if (meta == NULL || strcmp(meta_str(meta, "agent"), agent) != 0) {
			cJSON_Delete(meta);
			continue;
		}
		ALLOC_GROW(e, n + 1, cap);
		memcpy(e[n].id, de->d_name, 23); /* 22 characters, checked above, and the NUL */
		e[n].kept = num_member(meta, "kept", NULL);
		e[n].open = strcmp(meta_str(meta, "state"), "open") == 0;
		total += e[n].kept;
		n++;
		cJSON_Delete(meta);
	}
	closedir(d);
	if (n > 1)
		qsort(e, n, sizeof(*e), by_id);
	double now = (double)clock_wall_ms() / 1000;
	for (size_t i = 0; i < n; i++) {
		double started = strtod(e[i].id, NULL) / 1000;
		bool old = max_age_s > 0 && now - started > max_age_s;
		/* An open journal is a run still going (or cut short: its writes are in it). */
		if (e[i].open || (!old && total <= (double)budget))
			continue;
		if (drop(root, e[i].id) == 0) {
			total -= e[i].kept;
			gone++;
		}
	}
	free(e);
	unlock_file(lock);
	return lock < 0 ? -1 : gone;
}

/* ---- the overlay ---- */

const struct native_overlay *journal_overlay_of(const struct native_spec *s, const char *tree)
{
	for (size_t i = 0; i < s->noverlays; i++)
		if (strcmp(s->overlays[i].tree, tree) == 0)
			return &s->overlays[i];
	return NULL;
}

static int fsconfig_fd(int fs, const char *key, int fd)
{
	return (int)syscall(SYS_fsconfig, fs, FSCONFIG_SET_FD, key, NULL, fd);
}

static int fsconfig_flag(int fs, const char *key)
{
	return (int)syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, key, NULL, 0);
}

/* What overlayfs said, after a failed create: its log on the context's descriptor. */
static void overlay_says(int fs, char *out, size_t size)
{
	char line[256];
	ssize_t n;

	out[0] = '\0';
	while ((n = read(fs, line, sizeof(line) - 1)) > 0) {
		line[n] = '\0';
		snprintf(out, size, "%s", line + (n > 2 && line[1] == ' ' ? 2 : 0));
	}
}

static int idmap(int tree, int ns)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (__u64)(unsigned)ns };

	return (int)syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof(attr));
}

int journal_overlay(int lower, const char *layers, const int *idmap_ns)
{
	char why[256] = "";
	const char *step = "open_tree";
	int low = (int)syscall(SYS_open_tree, lower, "",
	                       AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	int lay = low < 0 ? -1
	                  : (int)syscall(SYS_open_tree, AT_FDCWD, layers,
	                                 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	int up = -1, work = -1, fs = -1, mnt = -1;

	if (lay < 0)
		goto out;
	step = "idmap its layers";
	if (idmap_ns != NULL && (idmap(low, idmap_ns[0]) < 0 || idmap(lay, idmap_ns[1]) < 0))
		goto out;
	step = "open its layers";
	up = openat(lay, "upper", O_PATH | O_DIRECTORY | O_CLOEXEC);
	work = openat(lay, "work", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (up < 0 || work < 0)
		goto out;
	step = "fsopen overlay";
	fs = (int)syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC);
	if (fs < 0)
		goto out;
	step = "configure overlayfs (Linux 6.13: layers by descriptor)";
	if (fsconfig_fd(fs, "lowerdir+", low) < 0 || fsconfig_fd(fs, "upperdir", up) < 0 ||
	    fsconfig_fd(fs, "workdir", work) < 0 || fsconfig_flag(fs, "userxattr") < 0 ||
	    fsconfig_flag(fs, "volatile") < 0)
		goto out;
	step = "create the overlay";
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		int e = errno;
		overlay_says(fs, why, sizeof(why));
		errno = e;
		goto out;
	}
	step = "fsmount";
	mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
out:
	if (mnt < 0)
		claw_fail("the undo journal's overlay of the workspace: %s: %s%s%s", step,
		          strerror(errno), why[0] ? ": " : "", why);
	int fds[] = { low, lay, up, work, fs };
	for (size_t i = 0; i < NELEM(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return mnt;
}

int journal_idmap_ns(uid_t inside, uid_t host, gid_t ginside, gid_t ghost, bool root,
                     const char *pin_dir)
{
	char uids[96], gids[96];
	int fd = -1;

	snprintf(uids, sizeof(uids), "%s%u %u 1\n", root ? "0 0 1\n" : "", (unsigned)inside,
	         (unsigned)host);
	snprintf(gids, sizeof(gids), "%s%u %u 1\n", root ? "0 0 1\n" : "", (unsigned)ginside,
	         (unsigned)ghost);
	/* Kept between runs where namespaces are (as root): named after its maps, which
	 * never change, it costs an open instead of a process. */
	if (pin_dir != NULL) {
		char *pin =
		    xasprintf("%s/userns/%u-%u-%u-%u%s", pin_dir, (unsigned)inside, (unsigned)host,
		              (unsigned)ginside, (unsigned)ghost, root ? "-root" : "");
		fd = nspin_user(pin, uids, gids);
		free(pin);
	}
	if (fd < 0 && (fd = nspin_user_new(uids, gids)) < 0)
		return claw_fail("a user namespace for the journal's id map: %s", strerror(errno));
	return fd;
}
