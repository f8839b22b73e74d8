/* trash.c: the freedesktop.org trash (see trash.h). */
#include "core/trash.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/fsutil.h"
#include "core/util.h"

/* Entries of one name tried before giving up ("build", "build.2", ...). */
#define TRASH_MAX_SAME_NAME 10000
/* Directories deeper than this are neither copied nor measured. */
#define TRASH_MAX_DEPTH 512

/* ---- where things are ---- */

/*
 * snprintf for paths and names: one that does not fit is no path at all
 * ("" and -1), never a shorter one that names something else.
 */
__attribute__((format(printf, 3, 4))) static int pathf(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		out[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

char *trash_home(void)
{
	const char *data = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (data != NULL && data[0] == '/')
		return xasprintf("%s/Trash", data);
	if (home == NULL || home[0] != '/') {
		struct passwd *pw = getpwuid(getuid());
		home = pw != NULL ? pw->pw_dir : NULL;
	}
	return home != NULL && home[0] == '/' ? xasprintf("%s/.local/share/Trash", home) : NULL;
}

static int mount_of(const char *path, uint64_t *mnt_id, bool *mount_root)
{
	struct statx sx;

	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &sx) < 0)
		return -1;
	*mnt_id = sx.stx_mnt_id;
	if (mount_root != NULL)
		*mount_root = (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
		              (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
	return 0;
}

/* The mount of the nearest ancestor of PATH that exists. */
static int mount_of_nearest(const char *path, uint64_t *mnt_id)
{
	char dir[PATH_MAX];

	pathf(dir, sizeof(dir), "%s", path);
	while (mount_of(dir, mnt_id, NULL) < 0) {
		char *slash = strrchr(dir, '/');
		if (errno != ENOENT || slash == NULL)
			return -1;
		slash[slash == dir] = '\0';
	}
	return 0;
}

/* The top directory of the mount that holds DIR (a directory, real path). */
static int top_of(const char *dir, char top[PATH_MAX])
{
	uint64_t id;
	bool root;

	pathf(top, PATH_MAX, "%s", dir);
	for (;;) {
		if (mount_of(top, &id, &root) < 0)
			return claw_fail("%s: %s", top, strerror(errno));
		char *slash = strrchr(top, '/');
		if (root || slash == NULL || strcmp(top, "/") == 0)
			return 0;
		slash[slash == top] = '\0';
	}
}

/* A directory of the user's own that nobody else may use: not a symlink. */
static int own_dir(const char *path, bool make)
{
	struct stat st;

	if (make && mkdir(path, 0700) < 0 && errno != EEXIST)
		return claw_fail("cannot make %s: %s", path, strerror(errno));
	if (lstat(path, &st) < 0)
		return claw_fail("%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid())
		return claw_fail("%s is not a directory of user %u's own: the trash "
		                 "specification forbids using it",
		                 path, (unsigned)getuid());
	return 0;
}

/* files/ and info/ inside a trash directory the checks passed. */
static int trash_subdirs(const char *trash)
{
	char sub[PATH_MAX + 8];

	pathf(sub, sizeof(sub), "%s/files", trash);
	if (own_dir(sub, true) < 0)
		return -1;
	pathf(sub, sizeof(sub), "%s/info", trash);
	return own_dir(sub, true);
}

static int home_trash(uint64_t mnt_id, struct trash_dir *td)
{
	char *home = trash_home();
	uint64_t id;
	int rc = -1;

	if (home == NULL || mount_of_nearest(home, &id) < 0 || id != mnt_id)
		goto out;
	if (mkdir_p(home, 0700) < 0 || own_dir(home, false) < 0 || trash_subdirs(home) < 0)
		goto out;
	pathf(td->path, sizeof(td->path), "%s", home);
	td->top[0] = '\0';
	td->mnt_id = mnt_id;
	rc = 0;
out:
	free(home);
	return rc;
}

/* $topdir/.Trash/$uid, when the administrator made .Trash sticky; else $topdir/.Trash-$uid. */
static int top_trash(const char *top, uint64_t mnt_id, struct trash_dir *td)
{
	char admin[PATH_MAX], path[PATH_MAX + 32];
	const char *sep = strcmp(top, "/") == 0 ? "" : "/";
	struct stat st;
	uint64_t id;

	pathf(admin, sizeof(admin), "%s%s.Trash", top, sep);
	if (lstat(admin, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX)) {
		pathf(path, sizeof(path), "%s/%u", admin, (unsigned)getuid());
		if (own_dir(path, true) == 0 && trash_subdirs(path) == 0 &&
		    mount_of(path, &id, NULL) == 0 && id == mnt_id)
			goto found;
	}
	pathf(path, sizeof(path), "%s%s.Trash-%u", top, sep, (unsigned)getuid());
	if (own_dir(path, true) < 0 || trash_subdirs(path) < 0)
		return claw_fail("no usable trash on the file system at %s (%s)", top,
		                 claw_error());
	if (mount_of(path, &id, NULL) < 0 || id != mnt_id)
		return claw_fail("%s is another file system's: not used as a trash", path);
found:
	pathf(td->path, sizeof(td->path), "%s", path);
	pathf(td->top, sizeof(td->top), "%s", top);
	td->mnt_id = mnt_id;
	return 0;
}

int trash_find(const char *path, struct trash_dir *td)
{
	char dir[PATH_MAX], top[PATH_MAX];
	uint64_t id;
	bool root;

	if (mount_of(path, &id, &root) < 0)
		return claw_fail("%s: %s", path, strerror(errno));
	if (root)
		return claw_fail("%s is a mount point: it cannot be moved into a trash", path);
	pathf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash == NULL)
		return claw_fail("%s: not an absolute path", path);
	slash[slash == dir] = '\0';
	if (home_trash(id, td) == 0)
		return 0;
	if (top_of(dir, top) < 0)
		return -1;
	return top_trash(top, id, td);
}

int trash_victim(const char *dir, const char *written, char out[PATH_MAX])
{
	char full[PATH_MAX], real[PATH_MAX];
	struct stat st;

	if (written[0] == '\0')
		return claw_fail("an empty path names nothing");
	if (pathf(full, sizeof(full), "%s%s%s",
	          written[0] == '/' ? ""
	          : dir != NULL     ? dir
	                            : ".",
	          written[0] == '/' ? "" : "/", written) < 0)
		return claw_fail("%s: name too long", written);
	size_t n = strlen(full);
	bool follow = full[n - 1] == '/';
	while (n > 1 && full[n - 1] == '/')
		full[--n] = '\0';
	char *slash = strrchr(full, '/');
	const char *base = slash != NULL ? slash + 1 : full;
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return claw_fail("%s: a program refuses to remove . or ..", written);
	if (follow) {
		if (realpath(full, real) == NULL)
			return errno == ENOENT || errno == ENOTDIR
			           ? 1
			           : claw_fail("%s: %s", written, strerror(errno));
		return pathf(out, PATH_MAX, "%s", real) < 0 ? claw_fail("%s: too long", written)
		                                            : 0;
	}
	if (slash == NULL) /* full has a '/': "./" or DIR "/" was put in front */
		return claw_fail("%s: no directory", written);
	*slash = '\0';
	if (realpath(slash == full ? "/" : full, real) == NULL)
		return errno == ENOENT || errno == ENOTDIR
		           ? 1
		           : claw_fail("%s: %s", written, strerror(errno));
	if (pathf(out, PATH_MAX, "%s/%s", strcmp(real, "/") == 0 ? "" : real, base) < 0)
		return claw_fail("%s: name too long", written);
	return lstat(out, &st) == 0 ? 0 : 1;
}

/* ---- the info file ---- */

/* RFC 2396 escaping, '/' kept: what the specification asks of Path. */
static void url_escape(struct buf *b, const char *s)
{
	static const char keep[] = "-_.!~*'()/";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr(keep, c) != NULL)
			buf_putc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undoes url_escape; false for a bad escape or a NUL byte. */
static bool url_unescape(const char *s, size_t n, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			int hi = i + 2 < n + 1 ? hexval(s[i + 1]) : -1;
			int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
			if (lo < 0 || (hi == 0 && lo == 0))
				return false;
			c = hi * 16 + lo;
			i += 2;
		}
		if (o + 1 >= size)
			return false;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return true;
}

/* What Path= says for E: relative to the top directory on a mount's own trash. */
static void info_path(const struct trash_entry *e, struct buf *b)
{
	const char *p = e->path;
	size_t n = strlen(e->dir.top);

	if (n > 0 && strcmp(e->dir.top, "/") != 0 && strncmp(p, e->dir.top, n) == 0 && p[n] == '/')
		p += n + 1;
	else if (n > 0 && strcmp(e->dir.top, "/") == 0)
		p += 1;
	url_escape(b, p);
}

static int write_info(int fd, const struct trash_entry *e)
{
	struct buf b = { 0 };
	char date[32];
	struct tm tm;

	localtime_r(&e->when, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	buf_puts(&b, "[Trash Info]\nPath=");
	info_path(e, &b);
	buf_printf(&b, "\nDeletionDate=%s\n", date);
	ssize_t w = write(fd, b.p, b.len);
	int rc = w == (ssize_t)b.len ? 0 : -1;
	buf_free(&b);
	return rc;
}

/* The name NAME, or NAME.N: the first whose info file could be made. */
static int claim_name(struct trash_entry *e, const char *base)
{
	char info[PATH_MAX + NAME_MAX + 32], files[PATH_MAX + NAME_MAX + 16];

	for (int i = 1; i <= TRASH_MAX_SAME_NAME; i++) {
		if (i == 1)
			pathf(e->name, sizeof(e->name), "%s", base);
		else
			pathf(e->name, sizeof(e->name), "%.*s.%d", NAME_MAX - 8, base, i);
		pathf(files, sizeof(files), "%s/files/%s", e->dir.path, e->name);
		pathf(info, sizeof(info), "%s/info/%s.trashinfo", e->dir.path, e->name);
		struct stat st;
		if (lstat(files, &st) == 0)
			continue; /* an entry without info: another tool's, left alone */
		int fd = open(info, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			return claw_fail("%s: %s", info, strerror(errno));
		if (write_info(fd, e) < 0 || close(fd) < 0) {
			unlink(info);
			return claw_fail("%s: cannot write: %s", info, strerror(errno));
		}
		return 0;
	}
	return claw_fail("%s: too many entries named %s", e->dir.path, base);
}

static void entry_file(const struct trash_entry *e, const char *sub, char *out, size_t size)
{
	pathf(out, size, "%s/%s/%s%s", e->dir.path, sub, e->name,
	      strcmp(sub, "info") == 0 ? ".trashinfo" : "");
}

/* ---- putting in, taking out ---- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

static int move_or_copy(const struct trash_entry *e, const char *path, bool copy)
{
	char files[PATH_MAX + NAME_MAX + 16];

	entry_file(e, "files", files, sizeof(files));
	if (!copy)
		return rename(path, files);
	int dfd = open(e->dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char sub[PATH_MAX + 8];
	pathf(sub, sizeof(sub), "%s/files", e->dir.path);
	int ffd = open(sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = dfd < 0 || ffd < 0 ? -1 : copy_tree_at(AT_FDCWD, path, ffd, e->name);
	int saved = errno;
	if (rc < 0 && ffd >= 0)
		(void)remove_tree_at(ffd, e->name, files);
	if (dfd >= 0)
		close(dfd);
	if (ffd >= 0)
		close(ffd);
	errno = saved;
	return rc;
}

int trash_put(const struct trash_dir *td, const char *path, bool copy, struct trash_entry *e)
{
	char info[PATH_MAX + NAME_MAX + 32];
	struct stat st;
	const char *base = base_name(path);

	memset(e, 0, sizeof(*e));
	e->dir = *td;
	pathf(e->path, sizeof(e->path), "%s", path);
	e->when = time(NULL);
	if (lstat(path, &st) < 0)
		return claw_fail("%s: %s", path, strerror(errno));
	e->is_dir = S_ISDIR(st.st_mode);
	if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return claw_fail("%s: not a name a trash can hold", path);
	if (claim_name(e, base) < 0)
		return -1;
	if (move_or_copy(e, path, copy) < 0) {
		int saved = errno;
		entry_file(e, "info", info, sizeof(info));
		unlink(info);
		return claw_fail("cannot %s %s into %s: %s", copy ? "copy" : "move", path,
		                 e->dir.path, strerror(saved));
	}
	return 0;
}

static int dirsizes_forget(const struct trash_dir *td, const char *name);

int trash_unput(const struct trash_entry *e, bool replace)
{
	char files[PATH_MAX + NAME_MAX + 16], info[PATH_MAX + NAME_MAX + 32];

	entry_file(e, "files", files, sizeof(files));
	entry_file(e, "info", info, sizeof(info));
	if (renameat2(AT_FDCWD, files, AT_FDCWD, e->path, replace ? 0 : RENAME_NOREPLACE) < 0)
		return claw_fail("cannot put %s back from %s: %s", e->path, files, strerror(errno));
	unlink(info);
	if (e->is_dir)
		(void)dirsizes_forget(&e->dir, e->name);
	return 0;
}

int trash_drop(const struct trash_entry *e)
{
	char files[PATH_MAX + NAME_MAX + 16], info[PATH_MAX + NAME_MAX + 32];
	char sub[PATH_MAX + 8];

	entry_file(e, "files", files, sizeof(files));
	entry_file(e, "info", info, sizeof(info));
	pathf(sub, sizeof(sub), "%s/files", e->dir.path);
	int fd = open(sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return claw_fail("%s: %s", sub, strerror(errno));
	int rc = remove_tree_at(fd, e->name, files);
	close(fd);
	if (rc < 0)
		return -1;
	if (unlink(info) < 0 && errno != ENOENT)
		return claw_fail("%s: %s", info, strerror(errno));
	if (e->is_dir)
		(void)dirsizes_forget(&e->dir, e->name);
	return 0;
}

/* ---- sizes ---- */

static void measure_at(int dir, const char *name, struct trash_size *s, int depth)
{
	struct stat st;

	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	s->bytes += (uint64_t)st.st_size;
	s->blocks += (uint64_t)st.st_blocks * 512;
	s->files++;
	if (!S_ISDIR(st.st_mode) || depth > TRASH_MAX_DEPTH)
		return;
	int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	for (struct dirent *de; (de = readdir(d)) != NULL;)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			measure_at(dirfd(d), de->d_name, s, depth + 1);
	closedir(d);
}

/* directorysizes: "SIZE MTIME NAME" lines, NAME escaped, MTIME the info file's. */
static int dirsizes_rewrite(const struct trash_dir *td, const char *drop, const char *add_line)
{
	char path[PATH_MAX + 16];
	char *old = NULL;
	size_t len = 0;
	struct buf b = { 0 }, esc = { 0 };

	pathf(path, sizeof(path), "%s/directorysizes", td->path);
	int lock = lock_file(path, true);
	if (lock < 0)
		return -1;
	if (drop != NULL)
		url_escape(&esc, drop);
	if (read_file(path, 0, &old, &len) < 0 && errno != ENOENT) {
		unlock_file(lock);
		buf_free(&esc);
		return -1;
	}
	for (char *line = old, *nl; line != NULL && *line; line = nl) {
		nl = strchr(line, '\n');
		nl = nl != NULL ? nl + 1 : line + strlen(line);
		const char *name = strchr(line, ' ');
		name = name != NULL ? strchr(name + 1, ' ') : NULL;
		size_t n = name != NULL ? (size_t)(nl - name - 1) - (nl[-1] == '\n') : 0;
		if (drop != NULL && name != NULL && esc.p != NULL && n == esc.len &&
		    strncmp(name + 1, esc.p, n) == 0)
			continue;
		buf_put(&b, line, (size_t)(nl - line));
	}
	if (add_line != NULL)
		buf_puts(&b, add_line);
	int rc = atomic_write(path, b.p ? b.p : "", b.len, 0600);
	unlock_file(lock);
	free(old);
	buf_free(&b);
	buf_free(&esc);
	return rc;
}

static int dirsizes_forget(const struct trash_dir *td, const char *name)
{
	return dirsizes_rewrite(td, name, NULL);
}

static int measure_entry(struct trash_entry *e)
{
	char sub[PATH_MAX + 8];

	pathf(sub, sizeof(sub), "%s/files", e->dir.path);
	int fd = open(sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return claw_fail("%s: %s", sub, strerror(errno));
	memset(&e->size, 0, sizeof(e->size));
	measure_at(fd, e->name, &e->size, 0);
	close(fd);
	return 0;
}

int trash_measure(struct trash_entry *e)
{
	char info[PATH_MAX + NAME_MAX + 32];
	struct stat st;
	struct buf line = { 0 };

	if (measure_entry(e) < 0)
		return -1;
	if (!e->is_dir)
		return 0;
	entry_file(e, "info", info, sizeof(info));
	if (stat(info, &st) < 0)
		return 0;
	buf_printf(&line, "%llu %lld ", (unsigned long long)e->size.blocks, (long long)st.st_mtime);
	url_escape(&line, e->name);
	buf_putc(&line, '\n');
	int rc = dirsizes_rewrite(&e->dir, e->name, line.p);
	buf_free(&line);
	return rc;
}

/* ---- listing ---- */

static void list_problem(struct trash_list *l, const char *what)
{
	strvec_push(&l->problems, what);
}

static time_t parse_date(const char *s, size_t n)
{
	struct tm tm = { 0 };
	char text[32];

	if (n >= sizeof(text))
		return (time_t)-1;
	memcpy(text, s, n);
	text[n] = '\0';
	const char *end = strptime(text, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end == NULL)
		return (time_t)-1;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* The value of KEY= in the [Trash Info] group of TEXT, or NULL. */
static const char *info_value(const char *text, const char *key, size_t *n)
{
	size_t k = strlen(key);
	bool group = false;

	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		if (len > 0 && line[0] == '[')
			group = len == 12 && strncmp(line, "[Trash Info]", 12) == 0;
		else if (group && len > k && strncmp(line, key, k) == 0 && line[k] == '=') {
			*n = len - k - 1 - (line[len - 1] == '\r');
			return line + k + 1;
		}
		line += len + (nl != NULL);
	}
	return NULL;
}

static int read_entry(const struct trash_dir *td, const char *name, struct trash_entry *e)
{
	char info[PATH_MAX + NAME_MAX + 32], files[PATH_MAX + NAME_MAX + 16], rel[PATH_MAX];
	char *text = NULL;
	size_t len, n = 0, dn = 0;
	struct stat st;

	memset(e, 0, sizeof(*e));
	e->dir = *td;
	pathf(e->name, sizeof(e->name), "%s", name);
	entry_file(e, "info", info, sizeof(info));
	entry_file(e, "files", files, sizeof(files));
	if (read_file(info, 65536, &text, &len) < 0)
		return -1;
	const char *path = info_value(text, "Path", &n);
	const char *date = info_value(text, "DeletionDate", &dn);
	int rc = -1;
	if (path == NULL || !url_unescape(path, n, rel, sizeof(rel))) {
		claw_fail("%s: no Path, or one that is not URL-escaped", info);
		goto out;
	}
	if (rel[0] == '/')
		pathf(e->path, sizeof(e->path), "%s", rel);
	else
		pathf(e->path, sizeof(e->path), "%s/%s", strcmp(td->top, "/") == 0 ? "" : td->top,
		      rel);
	e->when = date != NULL ? parse_date(date, dn) : (time_t)-1;
	if (lstat(files, &st) < 0) {
		claw_fail("%s: an info file whose entry is gone", info);
		goto out;
	}
	e->is_dir = S_ISDIR(st.st_mode);
	rc = 0;
out:
	free(text);
	return rc;
}

static void list_dir(struct trash_list *l, const struct trash_dir *td, bool sizes)
{
	char info[PATH_MAX + 8];

	pathf(info, sizeof(info), "%s/info", td->path);
	DIR *d = opendir(info);
	if (d == NULL)
		return;
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		char name[NAME_MAX + 1];
		size_t n = strlen(de->d_name);
		if (n <= 10 || strcmp(de->d_name + n - 10, ".trashinfo") != 0)
			continue;
		pathf(name, sizeof(name), "%.*s", (int)(n - 10), de->d_name);
		ALLOC_GROW(l->e, l->n + 1, l->cap);
		if (read_entry(td, name, &l->e[l->n]) < 0) {
			list_problem(l, claw_error());
			continue;
		}
		if (sizes)
			(void)measure_entry(&l->e[l->n]);
		l->n++;
	}
	closedir(d);
}

/* Mount points from /proc/self/mountinfo (field 5, with \040-style escapes). */
static void mount_points(struct strvec *out)
{
	char *text = NULL;
	size_t len;

	if (read_file("/proc/self/mountinfo", 0, &text, &len) < 0)
		return;
	for (char *line = text, *nl; line != NULL && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		char *f = line;
		for (int i = 0; i < 4 && f != NULL; i++)
			f = strchr(f, ' ') ? strchr(f, ' ') + 1 : NULL;
		if (f == NULL)
			continue;
		char *end = strchr(f, ' ');
		if (end != NULL)
			*end = '\0';
		char *mp = xstrdup(f), *o = mp;
		for (const char *s = f; *s; s++) {
			if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
				*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
				s += 3;
			} else {
				*o++ = *s;
			}
		}
		*o = '\0';
		strvec_push_nodup(out, mp);
	}
	free(text);
}

/* A mount's trash, when it is one the specification lets this user use; no directory is made. */
static bool existing_top_trash(const char *top, struct trash_dir *td)
{
	const char *sep = strcmp(top, "/") == 0 ? "" : "/";
	char admin[PATH_MAX + 32], path[PATH_MAX + 64];
	struct stat st;

	pathf(admin, sizeof(admin), "%s%s.Trash", top, sep);
	pathf(path, sizeof(path), "%s/%u", admin, (unsigned)getuid());
	if (!(lstat(admin, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) &&
	      lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid()))
		pathf(path, sizeof(path), "%s%s.Trash-%u", top, sep, (unsigned)getuid());
	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid())
		return false;
	pathf(td->path, sizeof(td->path), "%s", path);
	pathf(td->top, sizeof(td->top), "%s", top);
	return mount_of(path, &td->mnt_id, NULL) == 0;
}

static bool seen_trash(const struct trash_dir *seen, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(seen[i].path, path) == 0)
			return true;
	return false;
}

static int by_date(const void *a, const void *b)
{
	const struct trash_entry *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return strcmp(x->path, y->path);
}

int trash_list_all(struct trash_list *l, bool sizes)
{
	struct strvec mps = { 0 };
	mount_points(&mps);
	struct trash_dir *seen = xcalloc(mps.n + 1, sizeof(*seen));
	size_t nseen = 0;
	char *home = trash_home();

	memset(l, 0, sizeof(*l));
	if (home != NULL && mount_of(home, &seen[0].mnt_id, NULL) == 0) {
		pathf(seen[0].path, sizeof(seen[0].path), "%s", home);
		list_dir(l, &seen[nseen++], sizes);
	}
	for (size_t i = 0; i < mps.n; i++) {
		struct trash_dir td;
		if (existing_top_trash(mps.v[i], &td) && !seen_trash(seen, nseen, td.path)) {
			seen[nseen] = td;
			list_dir(l, &seen[nseen++], sizes);
		}
	}
	strvec_clear(&mps);
	free(seen);
	free(home);
	if (l->n > 1)
		qsort(l->e, l->n, sizeof(*l->e), by_date);
	return 0;
}

void trash_list_free(struct trash_list *l)
{
	strvec_clear(&l->problems);
	free(l->e);
	memset(l, 0, sizeof(*l));
}

/* The parent directories of PATH, made as mkdir -p would (0755 less the umask). */
static int make_parents(const char *path)
{
	char dir[PATH_MAX];

	pathf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return 0;
	*slash = '\0';
	return mkdir_p(dir, 0755);
}

int trash_restore(const struct trash_entry *e, bool force)
{
	struct stat st;

	if (lstat(e->path, &st) == 0) {
		if (!force)
			return claw_fail("%s exists: restore refused (--force puts it in the "
			                 "trash first)",
			                 e->path);
		struct trash_dir td;
		struct trash_entry aside;
		if (trash_find(e->path, &td) < 0 || trash_put(&td, e->path, false, &aside) < 0)
			return -1;
	}
	if (make_parents(e->path) < 0)
		return -1;
	return trash_unput(e, false);
}
