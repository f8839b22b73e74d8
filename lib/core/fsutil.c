/* fsutil.c: whole-file reads, atomic writes and advisory locks. */
#include "core/fsutil.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/util.h"

#define READ_MAX_DEFAULT (64UL * 1024 * 1024)

int read_file(const char *path, size_t max, char **data, size_t *len)
{
	struct buf b = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (max == 0)
		max = READ_MAX_DEFAULT;
	if (fd < 0) {
		int e = errno;
		claw_fail("%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	for (;;) {
		buf_reserve(&b, 65536);
		ssize_t n = read(fd, b.p + b.len, b.cap - b.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			claw_fail("%s: %s", path, strerror(e));
			close(fd);
			buf_free(&b);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		b.p[b.len] = '\0';
		if (b.len > max) {
			claw_fail("%s: file is larger than %zu bytes", path, max);
			close(fd);
			buf_free(&b);
			errno = EFBIG;
			return -1;
		}
	}
	close(fd);
	*len = b.len;
	*data = buf_steal(&b);
	return 0;
}

void stdfds_open(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* The lowest free number: this one, as the lower ones are open. */
		int null = open("/dev/null", O_RDWR | O_NOCTTY);
		if (null == fd)
			continue;
		if (fcntl(STDERR_FILENO, F_GETFD) >= 0)
			warnx("descriptor %d is closed and /dev/null cannot be opened in its "
			      "place: %s",
			      fd, null < 0 ? strerror(errno) : "it took another number");
		_exit(125);
	}
}

int write_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO; /* no progress: never loop on it */
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

void fsync_dir_of(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int atomic_write(const char *path, const void *data, size_t len, mode_t mode)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC);

	if (fd < 0) {
		claw_fail("%s: cannot create a temporary file: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	/* The mode is set before any byte is written: a secret never sits in a 0644 file. */
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		claw_fail("%s: cannot write: %s", tmp, strerror(errno));
		goto undo;
	}
	if (close(fd) < 0) {
		fd = -1;
		claw_fail("%s: cannot write: %s", tmp, strerror(errno));
		goto undo;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		claw_fail("%s: cannot replace: %s", path, strerror(errno));
		goto undo;
	}
	fsync_dir_of(path);
	free(tmp);
	return 0;
undo:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

/* The highest N of the BASE.bak.N files in DIR (0: none). */
static unsigned long highest_backup(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	size_t blen = strlen(base);
	unsigned long max = 0;
	struct dirent *de;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		const char *p = de->d_name;
		char *end;
		if (strncmp(p, base, blen) != 0 || strncmp(p + blen, ".bak.", 5) != 0)
			continue;
		p += blen + 5;
		if (*p < '1' || *p > '9')
			continue;
		errno = 0;
		unsigned long n = strtoul(p, &end, 10);
		if (errno == 0 && *end == '\0' && n > max)
			max = n;
	}
	closedir(d);
	return max;
}

/* Gives TMP the name PATH.bak.N for the first N from FIRST that no file holds. */
static char *claim_backup_name(const char *tmp, const char *path, unsigned long first)
{
	for (unsigned long n = first; n < first + 1000; n++) {
		char *bak = xasprintf("%s.bak.%lu", path, n);
		/* Never over another file: another writer may have taken N meanwhile. */
		int rc = renameat2(AT_FDCWD, tmp, AT_FDCWD, bak, RENAME_NOREPLACE);
		if (rc < 0 && errno == EINVAL && link(tmp, bak) == 0) {
			unlink(tmp); /* a file system without RENAME_NOREPLACE */
			rc = 0;
		}
		if (rc == 0)
			return bak;
		int e = errno;
		free(bak);
		if (e != EEXIST) {
			claw_fail("%s: cannot keep a backup: %s", path, strerror(e));
			return NULL;
		}
	}
	claw_fail("%s: cannot keep a backup: a thousand names are taken", path);
	return NULL;
}

char *backup_numbered(const char *path, const void *data, size_t len, mode_t mode)
{
	char *copy = xstrdup(path), *copy2 = xstrdup(path);
	const char *dir = dirname(copy), *base = basename(copy2);
	char *tmp = xasprintf("%s.bak.tmp.XXXXXX", path), *bak = NULL;
	int fd = mkostemp(tmp, O_CLOEXEC);

	if (fd < 0) {
		claw_fail("%s: cannot keep a backup: %s", path, strerror(errno));
		goto out;
	}
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		claw_fail("%s: cannot keep a backup: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	bak = claim_backup_name(tmp, path, highest_backup(dir, base) + 1);
	if (bak == NULL)
		unlink(tmp);
	else
		fsync_dir_of(path);
out:
	free(tmp);
	free(copy);
	free(copy2);
	return bak;
}

char *backup_file(const char *path)
{
	struct stat st;
	char *data = NULL, *bak = NULL;
	size_t len;

	if (stat(path, &st) < 0) {
		claw_fail("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (read_file(path, 0, &data, &len) == 0)
		bak = backup_numbered(path, data, len, st.st_mode & 0777);
	free(data);
	return bak;
}

int lock_file(const char *path, bool exclusive)
{
	char *lock = xasprintf("%s.lock", path);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0) {
		claw_fail("%s: cannot open lock file: %s", lock, strerror(errno));
		free(lock);
		return -1;
	}
	while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) < 0) {
		if (errno == EINTR)
			continue;
		claw_fail("%s: cannot lock: %s", lock, strerror(errno));
		close(fd);
		free(lock);
		return -1;
	}
	free(lock);
	return fd;
}

void unlock_file(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the flock */
}

int openat_beneath(int dirfd, const char *path, int flags, unsigned long long resolve)
{
	struct open_how how = {
		.flags = (unsigned long long)(unsigned)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | resolve,
	};

	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* Directories deeper than this are not removed (each level holds a descriptor). */
#define REMOVE_DEPTH 512

static int remove_in(int dir, const char *name, const char *what, int depth);

/* The entries of the directory FD (consumed); a second pass picks up what readdir missed. */
static int remove_entries(int fd, const char *what, int depth)
{
	DIR *d = fdopendir(fd);
	int rc = 0;

	if (d == NULL) {
		close(fd);
		return claw_fail("%s: %s", what, strerror(errno));
	}
	for (int pass = 0, removed = 1; pass < 3 && removed && rc == 0; pass++) {
		struct dirent *de;
		removed = 0;
		rewinddir(d);
		while (rc == 0 && (de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			char *sub = xasprintf("%s/%s", what, de->d_name);
			rc = remove_in(dirfd(d), de->d_name, sub, depth + 1);
			free(sub);
			removed = 1;
		}
	}
	closedir(d);
	return rc;
}

static int remove_in(int dir, const char *name, const char *what, int depth)
{
	if (unlinkat(dir, name, 0) == 0 || errno == ENOENT)
		return 0; /* a file, or a symlink itself */
	if (errno != EISDIR)
		return claw_fail("cannot remove %s: %s", what, strerror(errno));
	if (depth > REMOVE_DEPTH)
		return claw_fail("cannot remove %s: more than %d directories deep", what,
		                 REMOVE_DEPTH);
	int fd = openat_beneath(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, RESOLVE_NO_XDEV);
	if (fd < 0 && errno == EXDEV)
		return claw_fail("%s is a mount point: not removed, nor anything under it", what);
	if (fd < 0)
		return errno == ENOENT ? 0
		                       : claw_fail("cannot remove %s: %s", what, strerror(errno));
	if (remove_entries(fd, what, depth) < 0)
		return -1;
	if (unlinkat(dir, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return claw_fail("cannot remove %s: %s", what, strerror(errno));
	return 0;
}

int remove_tree_at(int dir, const char *name, const char *what)
{
	return remove_in(dir, name, what, 0);
}

static int copy_in(int sdir, const char *sname, int ddir, const char *dname, int depth);

/* Directories deeper than this are not copied (each level holds two descriptors). */
#define COPY_DEPTH 512

static int copy_times_mode(int fd, const struct stat *st)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };

	if (geteuid() == 0 && fchown(fd, st->st_uid, st->st_gid) < 0)
		return -1;
	if (fchmod(fd, st->st_mode & 07777) < 0)
		return -1;
	return futimens(fd, ts);
}

static int copy_bytes(int in, int out, off_t size)
{
	off_t left = size;

	while (left > 0) {
		ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		left -= n;
	}
	if (left == 0)
		return 0;
	/* copy_file_range refused (another file system type): read and write. */
	char buf[65536];
	if (lseek(in, size - left, SEEK_SET) < 0)
		return -1;
	for (ssize_t n; (n = read(in, buf, sizeof(buf))) != 0;) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno != EINTR)
				return -1;
			off += w > 0 ? w : 0;
		}
	}
	return 0;
}

static int copy_file(int sdir, const char *sname, const struct stat *st, int ddir,
                     const char *dname)
{
	int in = openat(sdir, sname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int out = in < 0 ? -1
	                 : openat(ddir, dname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	                          0600);
	int rc = -1;

	if (out >= 0 && copy_bytes(in, out, st->st_size) == 0 && copy_times_mode(out, st) == 0)
		rc = 0;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

static int copy_link(int sdir, const char *sname, const struct stat *st, int ddir,
                     const char *dname)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(sdir, sname, target, sizeof(target) - 1);
	struct timespec ts[2] = { st->st_atim, st->st_mtim };

	if (n < 0)
		return -1;
	target[n] = '\0';
	if (symlinkat(target, ddir, dname) < 0)
		return -1;
	if (geteuid() == 0 &&
	    fchownat(ddir, dname, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	return utimensat(ddir, dname, ts, AT_SYMLINK_NOFOLLOW);
}

static int copy_dir(int sdir, const char *sname, const struct stat *st, int ddir, const char *dname,
                    int depth)
{
	int in = openat(sdir, sname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), out = -1;
	DIR *d = in < 0 ? NULL : fdopendir(in);
	int rc = -1;

	if (d == NULL || depth > COPY_DEPTH || mkdirat(ddir, dname, 0700) < 0)
		goto out;
	if ((out = openat(ddir, dname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		goto out;
	rc = 0;
	for (struct dirent *de; rc == 0 && (de = readdir(d)) != NULL;)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			rc = copy_in(dirfd(d), de->d_name, out, de->d_name, depth + 1);
	/* Times last: filling the directory changed its mtime. */
	if (rc == 0)
		rc = copy_times_mode(out, st);
out:
	if (d != NULL)
		closedir(d);
	else if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

static int copy_in(int sdir, const char *sname, int ddir, const char *dname, int depth)
{
	struct stat st;

	if (fstatat(sdir, sname, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if (S_ISDIR(st.st_mode))
		return copy_dir(sdir, sname, &st, ddir, dname, depth);
	if (S_ISLNK(st.st_mode))
		return copy_link(sdir, sname, &st, ddir, dname);
	if (S_ISREG(st.st_mode))
		return copy_file(sdir, sname, &st, ddir, dname);
	errno = EINVAL; /* a device, fifo or socket holds no data to keep */
	return -1;
}

int copy_tree_at(int sdir, const char *sname, int ddir, const char *dname)
{
	return copy_in(sdir, sname, ddir, dname, 0);
}

int mkdir_p(const char *path, mode_t mode)
{
	char *copy = xstrdup(path);
	size_t n = strlen(copy);

	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	for (char *p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, mode) < 0 && errno != EEXIST) {
			claw_fail("%s: cannot create directory: %s", copy, strerror(errno));
			free(copy);
			return -1;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	struct stat st;
	if (stat(copy, &st) < 0 || !S_ISDIR(st.st_mode)) {
		claw_fail("%s: not a directory", copy);
		free(copy);
		return -1;
	}
	free(copy);
	return 0;
}
