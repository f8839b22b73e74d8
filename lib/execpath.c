/* execpath.c: finding the file a command word runs (see execpath.h). */
#include "execpath.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

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

int exec_resolve(const char *word, const char *cwd, const char *path_env, struct exec_file *out)
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

static int hash_fd(int fd, const char *path, char hex[SHA256_HEX])
{
	unsigned char chunk[65536], d[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = 0;

	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		errx(125, "out of memory");
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = claw_fail("%s: %s", path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		EVP_DigestUpdate(ctx, chunk, (size_t)n);
	}
	if (rc == 0) {
		EVP_DigestFinal_ex(ctx, d, &dlen);
		hex_encode(d, SHA256_LEN, hex);
	}
	EVP_MD_CTX_free(ctx);
	return rc;
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
	int rc = hash_fd(fd, f->path, hex);
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
