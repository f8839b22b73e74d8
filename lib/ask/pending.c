/* pending.c: pending approvals as files (see pending.h). */
#include "ask/pending.h"

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ask/asktext.h"
#include "core/alloc.h"
#include "core/fsutil.h"
#include "core/util.h"

#define REQUEST_MAX (4UL * 1024 * 1024)
/* A pending file past its expiry by this much has lost its process (or the pid was reused). */
#define STALE_GRACE_MS (60LL * 1000)
/* The shortest prefix resolve accepts: one or two characters name the wrong request too easily. */
#define PREFIX_MIN 4

bool pending_valid_id(const char *s)
{
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-'
		         : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return s[36] == '\0';
}

static char *file_of(const char *dir, const char *id, const char *ext)
{
	return xasprintf("%s/%s.%s", dir, id, ext);
}

static int lock_dir(const char *dir)
{
	char *path = xasprintf("%s/claim", dir);
	int fd = lock_file(path, true);

	free(path);
	return fd;
}

int pending_write(const char *dir, const char *id, const char *json, size_t len)
{
	if (mkdir_p(dir, 0700) < 0)
		return -1;
	char *path = file_of(dir, id, "json");
	int rc = atomic_write(path, json, len, 0600);
	free(path);
	return rc;
}

cJSON *pending_read(const char *dir, const char *id)
{
	char *path = file_of(dir, id, "json"), *text;
	size_t len;

	if (read_file(path, REQUEST_MAX, &text, &len) < 0) {
		free(path);
		return NULL;
	}
	cJSON *req = cJSON_ParseWithLength(text, len);
	if (req == NULL || !cJSON_IsObject(req)) {
		claw_fail("%s: not a pending approval claw can read", path);
		cJSON_Delete(req);
		req = NULL;
	}
	free(path);
	free(text);
	return req;
}

static long long num_member(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsNumber(v) ? (long long)v->valuedouble : 0;
}

/* Whether the process waiting for REQ is gone: dead, or long past its expiry. */
static bool stale(const cJSON *req, long long now)
{
	long long pid = num_member(req, "pid"), expires = num_member(req, "expiresAtMs");

	if (expires != 0 && now > expires + STALE_GRACE_MS)
		return true;
	return pid <= 0 || (kill((pid_t)pid, 0) < 0 && errno == ESRCH);
}

static void unlink_all(const char *dir, const char *id)
{
	static const char *const exts[] = { "json", "sock", "answer" };

	/* The request first: nothing is listed without it. */
	for (size_t i = 0; i < NELEM(exts); i++) {
		char *path = file_of(dir, id, exts[i]);
		unlink(path);
		free(path);
	}
}

bool pending_forged(const char *dir, const char *id)
{
	char *path = file_of(dir, id, "answer");
	struct stat st;
	bool found = lstat(path, &st) == 0;

	free(path);
	return found;
}

void pending_remove(const char *dir, const char *id)
{
	int fd = lock_dir(dir);

	unlink_all(dir, id);
	unlock_file(fd);
}

static int by_created(const void *a, const void *b)
{
	const struct pending_entry *x = a, *y = b;
	long long cx = num_member(x->req, "createdAtMs"), cy = num_member(y->req, "createdAtMs");

	return cx < cy ? -1 : cx > cy ? 1 : strcmp(x->id, y->id);
}

static void scan_one(const char *dir, const char *id, long long now, struct pending_entry **out,
                     size_t *n, size_t *cap)
{
	cJSON *req = pending_read(dir, id);

	if (req == NULL)
		return;
	if (stale(req, now)) {
		cJSON_Delete(req);
		unlink_all(dir, id);
		return;
	}
	ALLOC_GROW(*out, *n + 1, *cap);
	snprintf((*out)[*n].id, sizeof((*out)[*n].id), "%s", id);
	(*out)[(*n)++].req = req;
}

int pending_scan(const char *dir, struct pending_entry **out, size_t *n)
{
	size_t cap = 0;
	long long now = clock_wall_ms();
	DIR *d;

	*out = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : claw_fail("%s: %s", dir, strerror(errno));
	int fd = lock_dir(dir);
	if (fd < 0) {
		closedir(d);
		return -1;
	}
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		char id[37];
		size_t len = strlen(e->d_name);
		if (len != 36 + 5 || !str_has_suffix(e->d_name, ".json"))
			continue;
		memcpy(id, e->d_name, 36);
		id[36] = '\0';
		if (pending_valid_id(id))
			scan_one(dir, id, now, out, n, &cap);
	}
	unlock_file(fd);
	closedir(d);
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), by_created);
	return 0;
}

void pending_entries_free(struct pending_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cJSON_Delete(e[i].req);
	free(e);
}

int pending_find(const char *dir, const char *key, char id[37])
{
	struct pending_entry *e;
	size_t n, hits = 0, len = strlen(key);
	struct buf which = { 0 };
	char want[37];

	if (len < PREFIX_MIN || len > 36)
		return claw_fail("\"%s\": give the approval's slug (8 characters), its id, or at "
		                 "least %d characters of either",
		                 key, PREFIX_MIN);
	snprintf(want, sizeof(want), "%s", key);
	str_lower(want);
	if (pending_scan(dir, &e, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (strncmp(e[i].id, want, len) != 0)
			continue;
		if (hits++ == 0)
			snprintf(id, 37, "%s", e[i].id);
		buf_printf(&which, "%s%.8s", hits > 1 ? ", " : "", e[i].id);
	}
	pending_entries_free(e, n);
	int rc = 0;
	if (hits == 0)
		rc =
		    claw_fail("no pending approval matches \"%s\" (see claw-approve pending)", key);
	else if (hits > 1)
		rc = claw_fail("\"%s\" matches %zu pending approvals (%s): give more characters",
		               key, hits, which.p);
	buf_free(&which);
	return rc;
}

int pending_lock_try(const char *dir, const char *name, int *fd)
{
	if (*fd < 0) {
		char *path = xasprintf("%s/%s.lock", dir, name);
		if (mkdir_p(dir, 0700) < 0) {
			free(path);
			return -1;
		}
		/* Opened for writing, so that its close is an inotify event. */
		*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (*fd < 0) {
			claw_fail("%s: %s", path, strerror(errno));
			free(path);
			return -1;
		}
		free(path);
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
		return 1;
	if (errno == EWOULDBLOCK || errno == EINTR)
		return 0;
	return claw_fail("cannot lock %s/%s.lock: %s", dir, name, strerror(errno));
}
