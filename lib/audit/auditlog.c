/*
 * auditlog.c: the hash-chained decision log.
 *
 * The log is JSON Lines, one record per line, each ending in an audit member
 * that chains it to the line before: its hash covers the whole line up to
 * the hash itself, prev included. So an edit, a deletion or a reordering
 * anywhere breaks the chain at that point, and anyone can check an entry
 * with head(1) and sha256sum(1).
 *
 * Writers append under an exclusive flock on the log itself and read the
 * chain's last seq and hash from the file each time they take it, never from
 * memory: several pipelines can log at once and still make one chain. A
 * writer killed in the middle of a write leaves a line without a newline;
 * the next writer moves it to a side file, says so in the chain, and carries
 * on from the last whole entry.
 */
#include "audit/auditlog.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/fsutil.h"
#include "core/hash.h"

#define TAIL_CHUNK ((size_t)4096)
#define COPY_CHUNK ((size_t)65536)

/* ---- the entry format ---- */

/* Lower-case hex digits, by table: hashes are random, so a branch per digit
 * would be mispredicted half the time (the reader's main cost at 1M lines/s). */
static const unsigned char hex_digit[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
};

static bool is_hex(const char *s, size_t n)
{
	unsigned ok = 1;

	for (size_t i = 0; i < n; i++)
		ok &= hex_digit[(unsigned char)s[i]];
	return ok != 0;
}

/* Whether the NAME (a literal) ends at P, with at least its length before P in LINE. */
static bool ends_with(const char *line, const char *p, const char *lit, size_t n)
{
	return (size_t)(p - line) >= n && memcmp(p - n, lit, n) == 0;
}

#define ENDS(line, p, lit) ends_with((line), (p), (lit), sizeof(lit) - 1)

static bool ts_shape(const char *t)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";

	for (size_t i = 0; i < ALOG_TS_LEN; i++) {
		if (shape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != shape[i])
			return false;
	}
	return true;
}

/* claw_fail() and -1, visibly to the analyser. */
static int bad(const char *what)
{
	claw_fail("%s", what);
	return -1;
}

int alog_parse(const char *line, size_t len, struct alog_entry *e)
{
	const char *p = line + len;

	/* ,"hash":"<64 hex>"}} */
	if (!ENDS(line, p, "\"}}") || (size_t)(p - line) < 3 + ALOG_HEX_LEN)
		return bad("the line does not end in an audit member");
	p -= 3;
	e->hash = p - ALOG_HEX_LEN;
	if (!is_hex(e->hash, ALOG_HEX_LEN) || !ENDS(line, e->hash, ",\"hash\":\""))
		return bad("the audit member has no hash");
	p = e->hash - 9;
	e->hashed_len = (size_t)(p - line);
	/* ,"prev":"<64 hex>" */
	if (!ENDS(line, p, "\"") || (size_t)(p - line) < 1 + ALOG_HEX_LEN)
		return bad("the audit member has no prev");
	e->prev = p - 1 - ALOG_HEX_LEN;
	if (!is_hex(e->prev, ALOG_HEX_LEN) || !ENDS(line, e->prev, ",\"prev\":\""))
		return bad("the audit member has no prev");
	p = e->prev - 9;
	/* ,"ts":"<24>" */
	if (!ENDS(line, p, "\"") || (size_t)(p - line) < 1 + ALOG_TS_LEN)
		return bad("the audit member has no ts");
	e->ts = p - 1 - ALOG_TS_LEN;
	if (!ts_shape(e->ts) || !ENDS(line, e->ts, ",\"ts\":\""))
		return bad("the audit member has no ts");
	p = e->ts - 7;
	/* "audit":{"seq":<digits> */
	const char *digits = p;
	while (digits > line && digits[-1] >= '0' && digits[-1] <= '9')
		digits--;
	size_t nd = (size_t)(p - digits);
	if (nd == 0 || nd > 19 || (nd > 1 && digits[0] == '0') ||
	    !ENDS(line, digits, "\"audit\":{\"seq\":"))
		return bad("the audit member has no seq");
	e->seq = 0;
	for (const char *d = digits; d < p; d++)
		e->seq = e->seq * 10 + (unsigned long long)(*d - '0');
	if (e->seq == 0)
		return bad("the audit member's seq is 0");
	e->member_off = (size_t)(digits - 15 - line);
	if (e->member_off == 0 ||
	    (line[e->member_off - 1] != ',' && line[e->member_off - 1] != '{'))
		return bad("the audit member is not a member of the record");
	return 0;
}

bool alog_hash_ok(const char *line, const struct alog_entry *e)
{
	char h[SHA256_HEX];

	sha256_hex(line, e->hashed_len, h);
	return memcmp(h, e->hash, ALOG_HEX_LEN) == 0;
}

void alog_now(char out[ALOG_TS_LEN + 1])
{
	static time_t cached = -1;
	static char prefix[20];
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	if (now.tv_sec != cached) {
		struct tm tm;
		gmtime_r(&now.tv_sec, &tm);
		strftime(prefix, sizeof(prefix), "%Y-%m-%dT%H:%M:%S", &tm);
		cached = now.tv_sec;
	}
	memcpy(out, prefix, 19);
	int ms = (int)(now.tv_nsec / 1000000);
	out[19] = '.';
	out[20] = (char)('0' + ms / 100);
	out[21] = (char)('0' + ms / 10 % 10);
	out[22] = (char)('0' + ms % 10);
	out[23] = 'Z';
	out[24] = '\0';
}

/* ---- appending ---- */

static int pread_all(int fd, char *p, size_t n, off_t off)
{
	while (n > 0) {
		ssize_t r = pread(fd, p, n, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
		off += r;
	}
	return 0;
}

static int open_log(const char *path)
{
	int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	bool created = false;
	struct stat st;

	if (fd < 0 && errno == ENOENT) {
		/* The mode is set as it is made: a decision log never sits world-readable. */
		fd =
		    open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		created = fd >= 0;
		if (fd < 0 && errno == EEXIST)
			return open_log(path); /* another writer made it first */
	}
	if (fd < 0)
		return claw_fail("%s: %s%s", path, strerror(errno),
		                 errno == ELOOP ? " (the log may not be a symlink)" : "");
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return claw_fail("%s: not a regular file", path);
	}
	if (created) {
		fchmod(fd, 0600);
		fsync_dir_of(path);
	}
	return fd;
}

int alog_open(struct alog *a, const char *path, enum alog_fsync mode)
{
	char *dir = xstrdup(path);

	memset(a, 0, sizeof(*a));
	a->fd = -1;
	a->fsync = mode;
	a->path = xstrdup(path);
	if (mkdir_p(dirname(dir), 0700) < 0) {
		free(dir);
		return -1;
	}
	free(dir);
	a->fd = open_log(path);
	return a->fd < 0 ? -1 : 0;
}

/* Takes the lock on the file that PATH names now (a rotated log is left alone). */
static int lock_current(struct alog *a)
{
	for (;;) {
		struct stat fst, pst;

		while (flock(a->fd, LOCK_EX) < 0)
			if (errno != EINTR)
				return claw_fail("%s: cannot lock: %s", a->path, strerror(errno));
		if (fstat(a->fd, &fst) < 0)
			return claw_fail("%s: %s", a->path, strerror(errno));
		if (lstat(a->path, &pst) == 0 && pst.st_dev == fst.st_dev &&
		    pst.st_ino == fst.st_ino) {
			a->size = fst.st_size;
			return 0;
		}
		/* Renamed, replaced or deleted since we opened it: follow the name. */
		close(a->fd);
		if ((a->fd = open_log(a->path)) < 0)
			return -1;
	}
}

/* Copies [off, end) of the log to a new side file; returns its name (allocated). */
static char *set_aside(struct alog *a, off_t off, off_t end, char hex[SHA256_HEX])
{
	char stamp[32], *side = NULL, *chunk = xmalloc(COPY_CHUNK);
	struct tm tm;
	time_t now = time(NULL);
	int fd = -1;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (int n = 0; fd < 0 && n < 100; n++) {
		free(side);
		side = n ? xasprintf("%s.torn-%s-%ld-%d", a->path, stamp, (long)getpid(), n)
		         : xasprintf("%s.torn-%s-%ld", a->path, stamp, (long)getpid());
		fd = open(side, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		claw_fail("%s: cannot create a side file for its torn tail: %s", a->path,
		          strerror(errno));
		goto fail;
	}
	for (off_t at = off; at < end;) {
		size_t n = (size_t)(end - at) < COPY_CHUNK ? (size_t)(end - at) : COPY_CHUNK;
		if (pread_all(a->fd, chunk, n, at) < 0 || write_all(fd, chunk, n) < 0) {
			claw_fail("%s: cannot copy its torn tail to %s: %s", a->path, side,
			          strerror(errno));
			goto fail;
		}
		at += (off_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		claw_fail("%s: %s", side, strerror(errno));
		goto fail;
	}
	fd = -1;
	fsync_dir_of(side);
	if (sha256_file_hex(side, hex) < 0)
		goto fail;
	free(chunk);
	return side;
fail:
	if (fd >= 0)
		close(fd);
	if (side != NULL)
		unlink(side);
	free(side);
	free(chunk);
	return NULL;
}

/* The offset just after the last newline before END (0 when there is none). */
static int last_newline_end(struct alog *a, off_t end, off_t *out)
{
	char *chunk = xmalloc(COPY_CHUNK);

	for (off_t hi = end; hi > 0;) {
		off_t lo = hi > (off_t)COPY_CHUNK ? hi - (off_t)COPY_CHUNK : 0;
		if (pread_all(a->fd, chunk, (size_t)(hi - lo), lo) < 0) {
			free(chunk);
			return claw_fail("%s: cannot read: %s", a->path, strerror(errno));
		}
		const char *nl = memrchr(chunk, '\n', (size_t)(hi - lo));
		if (nl != NULL) {
			*out = lo + (nl - chunk) + 1;
			free(chunk);
			return 0;
		}
		hi = lo;
	}
	free(chunk);
	*out = 0;
	return 0;
}

/* A torn tail: moved aside, cut off, and its removal chained as an entry. */
static int handle_torn_tail(struct alog *a, char hex[SHA256_HEX])
{
	char last;
	off_t keep = 0;

	if (a->size == 0)
		return 0;
	if (pread_all(a->fd, &last, 1, a->size - 1) < 0)
		return claw_fail("%s: cannot read: %s", a->path, strerror(errno));
	if (last == '\n')
		return 0;
	if (last_newline_end(a, a->size, &keep) < 0)
		return -1;
	char *side = set_aside(a, keep, a->size, hex);
	if (side == NULL)
		return -1;
	if (ftruncate(a->fd, keep) < 0 || fdatasync(a->fd) < 0) {
		int e = errno;
		free(side);
		return claw_fail("%s: cannot cut off its torn tail: %s", a->path, strerror(e));
	}
	free(a->torn_path);
	a->torn_path = side;
	a->torn_bytes = (size_t)(a->size - keep);
	a->size = keep;
	return 0;
}

static int read_last_entry(struct alog *a)
{
	struct alog_entry e;
	size_t want = TAIL_CHUNK;
	char *data = NULL;

	a->seq = 0;
	memcpy(a->prev, ALOG_GENESIS, sizeof(ALOG_GENESIS));
	if (a->size == 0)
		return 0;
	for (;;) {
		size_t n = (off_t)want < a->size ? want : (size_t)a->size;
		data = xrealloc(data, n);
		if (pread_all(a->fd, data, n, a->size - (off_t)n) < 0) {
			free(data);
			return claw_fail("%s: cannot read: %s", a->path, strerror(errno));
		}
		const char *nl = n > 1 ? memrchr(data, '\n', n - 1) : NULL;
		if (nl != NULL || (off_t)n == a->size) {
			const char *line = nl ? nl + 1 : data;
			size_t len = (size_t)(data + n - 1 - line);
			if (alog_parse(line, len, &e) < 0) {
				claw_fail(
				    "%s: its last line is not a claw-audit entry (%s): it was "
				    "edited, or another program wrote to it; nothing is chained "
				    "onto it (see claw-audit verify)",
				    a->path, claw_error());
				free(data);
				return -1;
			}
			a->seq = e.seq;
			memcpy(a->prev, e.hash, ALOG_HEX_LEN);
			a->prev[ALOG_HEX_LEN] = '\0';
			free(data);
			return 0;
		}
		if (want >= ALOG_MAX_LINE_DEF) {
			free(data);
			return claw_fail("%s: its last line is longer than %zu bytes", a->path,
			                 ALOG_MAX_LINE_DEF);
		}
		want *= 4;
	}
}

int alog_begin(struct alog *a)
{
	if (a->locked)
		return 0;
	if (lock_current(a) < 0)
		return -1;
	a->locked = true;
	buf_reset(&a->pending);
	a->npending = 0;
	free(a->torn_path);
	a->torn_path = NULL;
	char hex[SHA256_HEX];
	if (handle_torn_tail(a, hex) < 0 || read_last_entry(a) < 0) {
		flock(a->fd, LOCK_UN);
		a->locked = false;
		return -1;
	}
	if (a->torn_path != NULL) {
		struct buf body = { 0 }, member = { 0 };
		const char *base = strrchr(a->torn_path, '/');
		buf_puts(&body, "{\"event\":\"torn-tail\",\"file\":");
		buf_json_str(&body, base ? base + 1 : a->torn_path);
		buf_printf(&body, ",\"bytes\":%zu,\"sha256\":\"%s\",\"audit\":", a->torn_bytes,
		           hex);
		alog_add(a, body.p, body.len, &member);
		buf_free(&body);
		buf_free(&member);
	}
	return 0;
}

static void put_ull(struct buf *b, unsigned long long v)
{
	char tmp[24];
	size_t n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	buf_reserve(b, n);
	while (n > 0)
		b->p[b->len++] = tmp[--n];
	b->p[b->len] = '\0';
}

void alog_add(struct alog *a, const char *body, size_t len, struct buf *member)
{
	struct buf *p = &a->pending;
	size_t start = p->len, val;
	char ts[ALOG_TS_LEN + 1], hash[SHA256_HEX];

	alog_now(ts);
	buf_reserve(p, len + ALOG_MEMBER_MAX + 2);
	buf_put(p, body, len);
	val = p->len;
	buf_puts(p, "{\"seq\":");
	put_ull(p, ++a->seq);
	buf_puts(p, ",\"ts\":\"");
	buf_put(p, ts, ALOG_TS_LEN);
	buf_puts(p, "\",\"prev\":\"");
	buf_put(p, a->prev, ALOG_HEX_LEN);
	buf_putc(p, '"');
	sha256_hex(p->p + start, p->len - start, hash);
	buf_puts(p, ",\"hash\":\"");
	buf_put(p, hash, ALOG_HEX_LEN);
	buf_puts(p, "\"}");
	buf_put(member, p->p + val, p->len - val);
	buf_puts(p, "}\n");
	memcpy(a->prev, hash, sizeof(hash));
	a->npending++;
}

int alog_commit(struct alog *a)
{
	int rc = 0;

	if (!a->locked)
		return 0;
	if (a->pending.len > 0) {
		if (write_all(a->fd, a->pending.p, a->pending.len) < 0) {
			int e = errno;
			/* Take back a partial write: the chain must end in a whole entry. */
			if (ftruncate(a->fd, a->size) < 0) {
				/* The next writer will find a torn tail and set it aside. */
			}
			rc = claw_fail("%s: cannot write: %s", a->path, strerror(e));
		} else if (a->fsync == ALOG_FSYNC_ALWAYS && fdatasync(a->fd) < 0) {
			rc = claw_fail("%s: cannot fsync: %s", a->path, strerror(errno));
		} else {
			a->dirty = a->fsync == ALOG_FSYNC_BATCH;
		}
	}
	buf_reset(&a->pending);
	a->npending = 0;
	flock(a->fd, LOCK_UN);
	a->locked = false;
	return rc;
}

int alog_sync(struct alog *a)
{
	if (!a->dirty || a->fd < 0)
		return 0;
	a->dirty = false;
	if (fdatasync(a->fd) < 0)
		return claw_fail("%s: cannot fsync: %s", a->path, strerror(errno));
	return 0;
}

int alog_write_out(struct alog *a)
{
	if (!a->dirty || a->fd < 0)
		return 0;
	a->dirty = false;
	if (sync_file_range(a->fd, 0, 0, SYNC_FILE_RANGE_WRITE) < 0 && errno != ESPIPE)
		return claw_fail("%s: cannot write out: %s", a->path, strerror(errno));
	return 0;
}

void alog_close(struct alog *a)
{
	if (a->fd >= 0)
		close(a->fd);
	buf_free(&a->pending);
	free(a->path);
	free(a->torn_path);
	memset(a, 0, sizeof(*a));
	a->fd = -1;
}

/* ---- runs ---- */

void alog_run_open(struct buf *b, const char *kind, const struct alog_ref *ref)
{
	buf_printf(b, "{\"%s\":{\"decision\":", kind);
	put_ull(b, ref->seq);
	buf_puts(b, ",\"hash\":\"");
	buf_put(b, ref->hash, ALOG_HEX_LEN);
	buf_puts(b, "\"}");
}

/* LINE begins with {"KIND":{"decision":N,"hash":"<64 hex>"}, : the decision in *REF. */
static bool run_ref_of(const char *line, size_t len, const char *lead, size_t n,
                       struct alog_ref *ref)
{
	const char *p = line + n, *end = line + len;
	unsigned long long seq = 0;
	size_t digits = 0;

	if (len < n || memcmp(line, lead, n) != 0)
		return false;
	for (; p < end && *p >= '0' && *p <= '9' && digits < 20; p++, digits++)
		seq = seq * 10 + (unsigned long long)(*p - '0');
	if (digits == 0 || digits > 19 || seq == 0 || (size_t)(end - p) < 10 + ALOG_HEX_LEN + 3 ||
	    memcmp(p, ",\"hash\":\"", 9) != 0 || !is_hex(p + 9, ALOG_HEX_LEN) ||
	    memcmp(p + 9 + ALOG_HEX_LEN, "\"},", 3) != 0)
		return false;
	ref->seq = seq;
	memcpy(ref->hash, p + 9, ALOG_HEX_LEN);
	ref->hash[ALOG_HEX_LEN] = '\0';
	return true;
}

#define START_LEAD "{\"" ALOG_START "\":{\"decision\":"
#define END_LEAD   "{\"" ALOG_END "\":{\"decision\":"

enum alog_kind alog_run_ref(const char *line, size_t len, struct alog_ref *ref)
{
	if (len > 2 && line[2] == 's' &&
	    run_ref_of(line, len, START_LEAD, sizeof(START_LEAD) - 1, ref))
		return ALOG_RUN_START;
	if (len > 2 && line[2] == 'e' && run_ref_of(line, len, END_LEAD, sizeof(END_LEAD) - 1, ref))
		return ALOG_RUN_END;
	return ALOG_OTHER;
}

/* The line around byte AT of DATA: [*S, *E), *E at its newline (or SIZE). */
static void line_around(const char *data, size_t size, size_t at, size_t *s, size_t *e)
{
	const char *nl = at > 0 ? memrchr(data, '\n', at) : NULL;
	const char *next = memchr(data + at, '\n', size - at);

	*s = nl ? (size_t)(nl - data) + 1 : 0;
	*e = next ? (size_t)(next - data) : size;
}

/* The slow way, for a log with a line that is not an entry: from the end back. */
static int find_backwards(const char *data, size_t size, unsigned long long seq, size_t *off,
                          size_t *len)
{
	struct alog_entry e;
	size_t s, end = size;

	while (end > 0 && data[end - 1] == '\n')
		end--;
	while (end > 0) {
		line_around(data, end, end - 1, &s, &end);
		if (alog_parse(data + s, end - s, &e) == 0 && e.seq == seq) {
			*off = s;
			*len = end - s;
			return 0;
		}
		end = s > 0 ? s - 1 : 0;
	}
	return claw_fail("the log holds no entry seq %llu", seq);
}

int alog_find(const char *data, size_t size, unsigned long long seq, size_t *off, size_t *len)
{
	size_t lo = 0, hi = size;
	struct alog_entry e;

	/* Entries are in seq order: a binary search touches a few pages of any log. */
	while (lo < hi) {
		size_t s, end;
		line_around(data, size, lo + (hi - lo) / 2, &s, &end);
		if (s == end || alog_parse(data + s, end - s, &e) < 0)
			return find_backwards(data, size, seq, off, len);
		if (e.seq == seq) {
			*off = s;
			*len = end - s;
			return 0;
		}
		if (e.seq < seq)
			lo = end + 1;
		else
			hi = s;
	}
	return claw_fail("the log holds no entry seq %llu", seq);
}

/* A start or end entry after FROM that names REF: its seq, or 0. */
static unsigned long long find_run(const char *data, size_t size, size_t from,
                                   const struct alog_ref *ref, enum alog_kind *kind)
{
	size_t off = from, n;
	const char *line;
	bool term;
	struct alog_ref r;
	struct alog_entry e;

	while (alog_next_line(data, size, &off, &line, &n, &term)) {
		if (line[0] != '{' || n < 3 || (line[2] != 's' && line[2] != 'e'))
			continue;
		*kind = alog_run_ref(line, n, &r);
		if (*kind != ALOG_OTHER && r.seq == ref->seq &&
		    memcmp(r.hash, ref->hash, ALOG_HEX_LEN) == 0)
			return alog_parse(line, n, &e) == 0 ? e.seq : 1;
	}
	return 0;
}

/* Whether the log (under the lock, A->size bytes) holds LINE as entry REF, and unclaimed. */
static int check_claim(struct alog *a, const char *line, size_t len, const struct alog_ref *ref)
{
	size_t off = 0, n = 0;
	enum alog_kind kind;
	int rc = 0;

	if (a->size == 0)
		return claw_fail("the decision (seq %llu) is not on the decision log %s: it is "
		                 "empty",
		                 ref->seq, a->path);
	void *map = mmap(NULL, (size_t)a->size, PROT_READ, MAP_SHARED, a->fd, 0);
	if (map == MAP_FAILED)
		return claw_fail("%s: cannot map: %s", a->path, strerror(errno));
	const char *data = map;
	if (alog_find(data, (size_t)a->size, ref->seq, &off, &n) < 0)
		rc = claw_fail("the decision (seq %llu) is not on the decision log %s", ref->seq,
		               a->path);
	else if (n != len || memcmp(data + off, line, len) != 0)
		rc = claw_fail("the decision is not the one the decision log %s holds as seq %llu "
		               "(a record must reach claw-sandbox exactly as claw-audit log "
		               "logged it)",
		               a->path, ref->seq);
	else {
		unsigned long long at = find_run(data, (size_t)a->size, off + n + 1, ref, &kind);
		if (at != 0)
			rc =
			    claw_fail("decision seq %llu was %s already (seq %llu): a decision "
			              "runs once",
			              ref->seq, kind == ALOG_RUN_START ? "started" : "refused", at);
	}
	munmap(map, (size_t)a->size);
	return rc;
}

int alog_claim(struct alog *a, const char *line, size_t len, struct alog_ref *ref)
{
	struct alog_entry e;

	if (alog_parse(line, len, &e) < 0)
		return claw_fail("no audit member: the record is not a logged decision (%s); feed "
		                 "claw-sandbox through claw-audit log (claw run, claw exec)",
		                 claw_error());
	if (!alog_hash_ok(line, &e))
		return claw_fail("the audit member's hash does not match the record (seq %llu): "
		                 "it was forged or the record changed after it was logged",
		                 e.seq);
	ref->seq = e.seq;
	memcpy(ref->hash, e.hash, ALOG_HEX_LEN);
	ref->hash[ALOG_HEX_LEN] = '\0';
	if (alog_begin(a) < 0)
		return -2;
	if (check_claim(a, line, len, ref) < 0) {
		char *why = xstrdup(claw_error());
		alog_commit(a); /* a torn-tail entry alog_begin() chained is kept */
		claw_fail("%s", why);
		free(why);
		return -1;
	}
	return 0;
}

/* DIR's parent, in place ("a/b" -> "a", "/a" -> "/", "a" -> "."); DIR has room for ".". */
static void parent_of(char *dir)
{
	char *slash = strrchr(dir, '/');

	if (slash == NULL)
		snprintf(dir, 2, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
}

/* No log yet: the nearest directory above PATH that exists must let the appender make the
 * rest and write. */
static int probe_dir(const char *path)
{
	size_t n = strlen(path);
	char *dir = xmalloc(n + 2); /* room for "." */
	struct stat st;
	int rc = 0;

	memcpy(dir, path, n + 1);
	do
		parent_of(dir);
	while (stat(dir, &st) < 0 && errno == ENOENT && strcmp(dir, "/") != 0 &&
	       strcmp(dir, ".") != 0);
	if (stat(dir, &st) < 0)
		rc = claw_fail("%s: %s", dir, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		rc = claw_fail("%s: not a directory", dir);
	else if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) < 0)
		rc = claw_fail("%s: the decision log cannot be made there: %s", dir,
		               strerror(errno));
	free(dir);
	return rc;
}

int alog_probe(const char *path)
{
	struct alog a = { .path = xstrdup(path), .fd = -1 };
	struct stat st;
	int rc = -1;

	if (lstat(path, &st) < 0 && errno == ENOENT) {
		rc = probe_dir(path);
		goto out;
	}
	a.fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (a.fd < 0) {
		claw_fail("%s: %s%s", path, strerror(errno),
		          errno == ELOOP ? " (the log may not be a symlink)" : "");
		goto out;
	}
	if (fstat(a.fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		claw_fail("%s: not a regular file", path);
		goto out;
	}
	while (flock(a.fd, LOCK_SH) < 0 && errno == EINTR)
		;
	a.size = st.st_size;
	/* A torn tail is set aside by the next writer: what counts is the line before it. */
	char last = '\n';
	if (a.size > 0 && pread_all(a.fd, &last, 1, a.size - 1) < 0)
		claw_fail("%s: cannot read: %s", path, strerror(errno));
	else if (last != '\n' && last_newline_end(&a, a.size, &a.size) < 0)
		;
	else
		rc = read_last_entry(&a);
out:
	if (a.fd >= 0)
		close(a.fd);
	free(a.path);
	return rc;
}

/* ---- reading ---- */

int alog_map(const char *path, struct alog_map *m)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;

	m->data = "";
	m->len = 0;
	if (fd < 0) {
		int e = errno;
		claw_fail("%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	/* Writers hold the lock for whole batches: under it the size is at an
	 * entry boundary (or at a torn tail, which is what is there). */
	while (flock(fd, LOCK_SH) < 0 && errno == EINTR)
		;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int e = errno;
		close(fd);
		claw_fail("%s: not a regular file", path);
		errno = e ? e : EINVAL;
		return -1;
	}
	flock(fd, LOCK_UN);
	if (st.st_size > 0) {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			int e = errno;
			close(fd);
			claw_fail("%s: cannot map: %s", path, strerror(e));
			errno = e;
			return -1;
		}
		madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
		m->data = p;
		m->len = (size_t)st.st_size;
	}
	close(fd);
	return 0;
}

void alog_unmap(struct alog_map *m)
{
	if (m->len > 0)
		munmap((void *)(uintptr_t)m->data, m->len);
	m->data = "";
	m->len = 0;
}

bool alog_next_line(const char *data, size_t size, size_t *off, const char **line, size_t *len,
                    bool *terminated)
{
	if (*off >= size)
		return false;
	const char *start = data + *off;
	const char *nl = memchr(start, '\n', size - *off);
	*line = start;
	*terminated = nl != NULL;
	*len = nl ? (size_t)(nl - start) : size - *off;
	*off += *len + (nl != NULL);
	return true;
}

int alog_head_parse(const char *arg, struct alog_head *h)
{
	const char *colon = strchr(arg, ':');
	const char *hex = colon ? colon + 1 : arg;

	memset(h, 0, sizeof(*h));
	if (colon != NULL) {
		char *end;
		errno = 0;
		h->seq = strtoull(arg, &end, 10);
		if (errno != 0 || end != colon || h->seq == 0 || arg[0] == '-' || arg[0] == '+')
			return claw_fail("--head: expected HASH or SEQ:HASH, got \"%s\"", arg);
	}
	if (strlen(hex) != ALOG_HEX_LEN || !is_hex(hex, ALOG_HEX_LEN))
		return claw_fail("--head: expected 64 lower-case hex digits, got \"%s\"", hex);
	memcpy(h->hash, hex, ALOG_HEX_LEN + 1);
	h->set = true;
	return 0;
}

static int problem(struct alog_report *r, const char *kind, unsigned long long seq,
                   unsigned long line, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int problem(struct alog_report *r, const char *kind, unsigned long long seq,
                   unsigned long line, const char *fmt, ...)
{
	va_list ap;

	r->ok = false;
	r->kind = kind;
	r->seq = seq;
	r->line = line;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	return 1;
}

/* The seq the next line claims, without checking it further; 0 when none. */
static unsigned long long peek_seq(const char *data, size_t len, size_t off)
{
	const char *line;
	size_t n;
	bool term;
	struct alog_entry e;

	if (!alog_next_line(data, len, &off, &line, &n, &term) || alog_parse(line, n, &e) < 0)
		return 0;
	return e.seq;
}

/* Checks one entry against the chain so far (expected seq E, previous hash). */
static int check_entry(const char *data, size_t len, size_t next, const char *line, size_t n,
                       unsigned long lineno, struct alog_report *r)
{
	unsigned long long want = r->entries + 1;
	const char *prev = r->entries ? r->head_hash : ALOG_GENESIS;
	struct alog_entry e;

	if (alog_parse(line, n, &e) < 0)
		return problem(r, "edited", want, lineno,
		               "line %lu (seq %llu expected) is not a log entry: %s; it was edited "
		               "or written by another program",
		               lineno, want, claw_error());
	if (!alog_hash_ok(line, &e))
		return problem(r, "edited", want, lineno,
		               "seq %llu (line %lu) was edited: its hash does not match its "
		               "contents%s",
		               want, lineno, e.seq != want ? " (and it claims another seq)" : "");
	if (e.seq > want) {
		if (peek_seq(data, len, next) == want)
			return problem(r, "reordered", want, lineno,
			               "seq %llu comes before seq %llu (line %lu): entries were "
			               "reordered",
			               e.seq, want, lineno);
		if (e.seq == want + 1)
			return problem(r, "deleted", want, lineno,
			               "seq %llu is missing (deleted): line %lu is seq %llu", want,
			               lineno, e.seq);
		return problem(r, "deleted", want, lineno,
		               "seq %llu to %llu are missing (deleted): line %lu is seq %llu", want,
		               e.seq - 1, lineno, e.seq);
	}
	if (e.seq < want)
		return problem(r, "reordered", want, lineno,
		               "line %lu is seq %llu again, after seq %llu: entries were reordered "
		               "or repeated",
		               lineno, e.seq, want - 1);
	if (memcmp(e.prev, prev, ALOG_HEX_LEN) != 0) {
		if (want == 1)
			return problem(r, "edited", 1, lineno,
			               "seq 1 (line %lu) does not start a chain: its prev is not "
			               "zero (entries before it were removed, or it was rewritten)",
			               lineno);
		return problem(r, "edited", want - 1, lineno - 1,
		               "seq %llu was replaced and its hash recomputed: seq %llu (line "
		               "%lu) names another hash as its prev",
		               want - 1, want, lineno);
	}
	r->entries = want;
	r->head_seq = want;
	memcpy(r->head_hash, e.hash, ALOG_HEX_LEN);
	r->head_hash[ALOG_HEX_LEN] = '\0';
	return 0;
}

/* The runs started and not ended so far: few at any time, so a plain array. */
struct open_runs {
	struct alog_open_run *v;
	size_t n, cap;
};

/* A start entry opens a run of its decision; an end entry closes it. */
static void track_run(struct open_runs *o, const char *line, size_t n, unsigned long lineno,
                      unsigned long long seq)
{
	struct alog_ref ref;
	enum alog_kind kind = n > 2 ? alog_run_ref(line, n, &ref) : ALOG_OTHER;

	if (kind == ALOG_RUN_START) {
		ALLOC_GROW(o->v, o->n + 1, o->cap);
		o->v[o->n++] = (struct alog_open_run){ ref.seq, seq, lineno };
	} else if (kind == ALOG_RUN_END) {
		for (size_t i = o->n; i-- > 0;)
			if (o->v[i].decision == ref.seq) {
				memmove(&o->v[i], &o->v[i + 1], (o->n - i - 1) * sizeof(*o->v));
				o->n--;
				break;
			}
	}
}

static void report_open(struct alog_report *r, struct open_runs *o)
{
	r->nopen = o->n;
	for (size_t i = 0; i < o->n && i < ALOG_OPEN_SHOWN; i++)
		r->open[i] = o->v[i];
	free(o->v);
}

static int verify_lines(const char *data, size_t len, const struct alog_head *head,
                        const struct alog_progress *progress, struct alog_report *r,
                        struct open_runs *o)
{
	size_t off = 0, n;
	const char *line;
	bool term, head_found = false;
	unsigned long lineno = 0;

	while (alog_next_line(data, len, &off, &line, &n, &term)) {
		lineno++;
		if (progress != NULL && (lineno & 0xffff) == 0)
			progress->fn(off, len, progress->arg);
		if (!term)
			return problem(
			    r, "torn", r->entries + 1, lineno,
			    "torn tail: %zu bytes after seq %llu have no newline (a writer "
			    "was killed mid-write; the next claw-audit log sets them aside)",
			    n, r->entries);
		if (check_entry(data, len, off, line, n, lineno, r) != 0)
			return 1;
		track_run(o, line, n, lineno, r->head_seq);
		if (head != NULL && head->set && !head_found &&
		    (head->seq == 0 || head->seq == r->head_seq) &&
		    memcmp(r->head_hash, head->hash, ALOG_HEX_LEN) == 0)
			head_found = true;
	}
	if (head != NULL && head->set && !head_found) {
		if (head->seq != 0)
			return problem(r, "head", head->seq, 0,
			               "the log no longer has seq %llu with hash %.12s...: it was "
			               "truncated or rewritten after that head was recorded",
			               head->seq, head->hash);
		return problem(r, "head", r->entries + 1, 0,
		               "no entry has hash %.12s...: the log was truncated or rewritten "
		               "after that head was recorded",
		               head->hash);
	}
	return 0;
}

int alog_verify(const char *data, size_t len, const struct alog_head *head,
                const struct alog_progress *progress, struct alog_report *r)
{
	struct open_runs o = { 0 };

	memset(r, 0, sizeof(*r));
	r->ok = true;
	int rc = verify_lines(data, len, head, progress, r, &o);
	report_open(r, &o);
	return rc;
}
