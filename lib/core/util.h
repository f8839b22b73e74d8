/* util.h: memory, growable buffers, JSON string output and the library's error convention. */
#ifndef CLAW_UTIL_H
#define CLAW_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Library functions never print and never exit. One that fails records a
 * message with claw_fail() and returns -1 (or NULL); the command decides what
 * to do with claw_error(). Messages are plain sentences without the program
 * name: commands add it through err(3)/warnx(3).
 */
int claw_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *claw_error(void);

/*
 * Ownership. A char * or a pointer a function hands back is the caller's, to
 * free; a const char * points into something that outlives it (the config
 * tree, a table, the struct it came with). T_free(struct T *p) releases what
 * T's loader or builder put in *P (buffers, lists, trees), zeroes it where it
 * says so, and leaves *P itself to its owner, mostly the caller's stack
 * (config_free, session_settings_free, buf_free). A type that exists only
 * behind a pointer (tp_load's struct tp_config, ask_settings_load's struct
 * ask_settings) is the exception: its T_free frees the struct too, and takes
 * NULL.
 */

/* Allocation that cannot fail: out of memory ends the program (status 125). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer, always NUL-terminated when p != NULL. */
struct buf {
	char *p;
	size_t len, cap;
};
void buf_grow(struct buf *b, size_t extra);

/* The appends are inline: filters call them a dozen times per record. */
static inline void buf_reserve(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		buf_grow(b, extra);
}

static inline void buf_put(struct buf *b, const void *data, size_t n)
{
	buf_reserve(b, n);
	if (n)                                  /* buf_reserve has allocated b->p: */
		memcpy(b->p + b->len, data, n); // NOLINT(clang-analyzer-core.NonNullParamChecker)
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

static inline void buf_putc(struct buf *b, char c)
{
	buf_reserve(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

/* ASCII white space as JavaScript's trim() and C's isspace() in the C locale see it,
 * whatever the locale. */
static inline bool ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* strcmp(a, b) == 0, inline, for the short names a filter compares a dozen
 * times per record: most pairs part at the first byte, where a call to
 * strcmp would cost more than the comparison. */
static inline bool str_eq(const char *a, const char *b)
{
	while (*a == *b) {
		if (*a == '\0')
			return true;
		a++;
		b++;
	}
	return false;
}

void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends s as a JSON string literal, quotes included. */
void buf_json_str(struct buf *b, const char *s);
void buf_json_strn(struct buf *b, const char *s, size_t n);
/* Appends N bytes as base64 (RFC 4648, with padding), no quotes. */
void buf_base64(struct buf *b, const void *data, size_t n);
/* Whether the N bytes at S are valid UTF-8 (shortest forms, no surrogates) without a NUL. */
bool utf8_text(const char *s, size_t n);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
char *buf_steal(struct buf *b);

/* Bytes from the kernel's random generator (getrandom(2)); cannot fail
 * short of the kernel refusing (exit 125). */
void random_bytes(void *buf, size_t n);
/* Milliseconds since the epoch (timestamps in records and files), and on a
 * clock that never goes back (deadlines, waits, retries). */
long long clock_wall_ms(void);
long long clock_mono_ms(void);

/* A random (version 4) UUID, lower-case, 36 characters and a NUL. */
void uuid4(char out[37]);

/* The value of hexadecimal digit C, or -1 (inline: the record parser calls it per \u escape). */
static inline int hex_value(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

bool str_has_prefix(const char *s, const char *prefix);
bool str_has_suffix(const char *s, const char *suffix);
/* ASCII lower-casing in place; returns s. */
char *str_lower(char *s);
/* Returns a copy of s without leading and trailing ASCII white space. */
char *str_trim_dup(const char *s);

#endif
