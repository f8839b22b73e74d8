/* util.c: memory, buffers, JSON string output, error messages. */
#include "core/util.h"
#include "core/alloc.h"

#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <sys/random.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local char last_error[1024];

int claw_fail(const char *fmt, ...)
{
	char msg[sizeof(last_error)];
	va_list ap;

	/* Through a copy: callers often wrap the last error in a new one. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(last_error, msg, sizeof(msg));
	return -1;
}

const char *claw_error(void)
{
	return last_error[0] ? last_error : "unknown error";
}

static void *check(void *p)
{
	if (p == NULL)
		errx(125, "out of memory");
	return p;
}

void *xmalloc(size_t n)
{
	return check(malloc(n ? n : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return check(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t n)
{
	return check(realloc(p, n ? n : 1));
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		errx(125, "out of memory: %zu elements of %zu bytes", n, size);
	return xrealloc(p, n * size);
}

size_t alloc_nr(size_t alloc, size_t nr)
{
	size_t more = alloc / 2 + 16;
	size_t grown = alloc > SIZE_MAX - more ? SIZE_MAX : alloc + more;
	return grown < nr ? nr : grown;
}

char *xstrdup(const char *s)
{
	return check(strdup(s));
}

char *xstrndup(const char *s, size_t n)
{
	return check(strndup(s, n));
}

char *xasprintf(const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_steal(&b);
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
	b->p[b->len] = '\0'; /* the promise: always a C string once allocated */
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list copy;

	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* What each byte becomes inside a JSON string: 0 itself, 'u' a \u00XX escape,
 * anything else a two-character escape. */
static const char json_escape[256] = {
	['\b'] = 'b',  ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f', ['\r'] = 'r', ['"'] = '"',
	['\\'] = '\\', [0x7f] = 'u', [0x00] = 'u', [0x01] = 'u', [0x02] = 'u', [0x03] = 'u',
	[0x04] = 'u',  [0x05] = 'u', [0x06] = 'u', [0x07] = 'u', [0x0b] = 'u', [0x0e] = 'u',
	[0x0f] = 'u',  [0x10] = 'u', [0x11] = 'u', [0x12] = 'u', [0x13] = 'u', [0x14] = 'u',
	[0x15] = 'u',  [0x16] = 'u', [0x17] = 'u', [0x18] = 'u', [0x19] = 'u', [0x1a] = 'u',
	[0x1b] = 'u',  [0x1c] = 'u', [0x1d] = 'u', [0x1e] = 'u', [0x1f] = 'u',
};

void buf_json_strn(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	buf_reserve(b, 6 * n + 2); /* the worst case, so the loop writes directly */
	char *o = b->p + b->len;
	*o++ = '"';
	for (size_t i = 0; i < n;) {
		size_t run = i;
		while (run < n && json_escape[(unsigned char)s[run]] == 0)
			run++;
		memcpy(o, s + i, run - i); /* most strings are one plain run */
		o += run - i;
		if (run == n)
			break;
		unsigned char c = (unsigned char)s[run];
		char e = json_escape[c];
		if (e == 'u') {
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		} else {
			o[0] = '\\';
			o[1] = e;
			o += 2;
		}
		i = run + 1;
	}
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->p);
}

void buf_base64(struct buf *b, const void *data, size_t n)
{
	static const char digits[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;

	buf_reserve(b, (n + 2) / 3 * 4);
	char *o = b->p + b->len;
	for (; n >= 3; p += 3, n -= 3) {
		unsigned v = (unsigned)p[0] << 16 | (unsigned)p[1] << 8 | p[2];
		*o++ = digits[v >> 18];
		*o++ = digits[(v >> 12) & 63];
		*o++ = digits[(v >> 6) & 63];
		*o++ = digits[v & 63];
	}
	if (n > 0) {
		unsigned v = (unsigned)p[0] << 16 | (n > 1 ? (unsigned)p[1] << 8 : 0);
		*o++ = digits[v >> 18];
		*o++ = digits[(v >> 12) & 63];
		*o++ = n > 1 ? digits[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	b->len = (size_t)(o - b->p);
}

bool utf8_text(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		unsigned c = *p;
		if (c >= 0x01 && c < 0x80) {
			p++;
			continue;
		}
		size_t len = (c & 0xe0) == 0xc0   ? 2
		             : (c & 0xf0) == 0xe0 ? 3
		             : (c & 0xf8) == 0xf0 ? 4
		                                  : 0;
		if (len == 0 || (size_t)(end - p) < len || (len == 2 && c < 0xc2) ||
		    (len == 4 && c > 0xf4))
			return false; /* a NUL, a stray continuation byte, a cut or overlong form */
		for (size_t i = 1; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false;
		if ((len == 3 && c == 0xe0 && p[1] < 0xa0) ||
		    (len == 3 && c == 0xed && p[1] > 0x9f) ||
		    (len == 4 && c == 0xf0 && p[1] < 0x90) ||
		    (len == 4 && c == 0xf4 && p[1] > 0x8f))
			return false;
		p += len;
	}
	return true;
}

void buf_json_str(struct buf *b, const char *s)
{
	buf_json_strn(b, s, strlen(s));
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

char *buf_steal(struct buf *b)
{
	char *p = b->p ? b->p : xstrdup("");

	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

/* getrandom(2), not RAND_bytes: the kernel's generator is what libcrypto seeds
 * from, and starting libcrypto's own generator (its library context and
 * providers) costs a command 1.7 ms, measured, for sixteen bytes. */
void random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			errx(125, "cannot get random bytes: %s", strerror(errno));
		p += got;
		n -= (size_t)got;
	}
}

void uuid4(char out[37])
{
	unsigned char r[16];

	random_bytes(r, sizeof(r));
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40); /* version 4 */
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
	         r[13], r[14], r[15]);
}

bool str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

char *str_lower(char *s)
{
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

char *str_trim_dup(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
	                 s[n - 1] == '\r' || s[n - 1] == '\f' || s[n - 1] == '\v'))
		n--;
	return xstrndup(s, n);
}

static long long ms_of(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long clock_wall_ms(void)
{
	return ms_of(CLOCK_REALTIME);
}

long long clock_mono_ms(void)
{
	return ms_of(CLOCK_MONOTONIC);
}
