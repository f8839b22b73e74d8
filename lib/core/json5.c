/*
 * json5.c: JSON5 (https://spec.json5.org) into cJSON, with the position of
 * every value so that config errors can say FILE:LINE:COL.
 *
 * Small on purpose: a recursive descent over the bytes, depth-limited, one
 * function per production. Anything the spec does not allow is an error;
 * so are duplicate keys and NUL characters inside strings (cJSON strings are
 * C strings: a NUL would silently cut the value short).
 */
#include "core/json5.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/util.h"

#define JSON5_MAX_DEPTH 128

struct parser {
	const char *p, *end;
	const char *line_start;
	unsigned line;
	struct json5_doc *doc;
	unsigned depth;
	const char *text; /* for byte offsets */
};

static unsigned column(const struct parser *ps, const char *at)
{
	unsigned col = 1;

	/* Count code points, not bytes: UTF-8 continuation bytes do not advance. */
	for (const char *q = ps->line_start; q < at; q++)
		if (((unsigned char)*q & 0xc0) != 0x80)
			col++;
	return col;
}

static int fail(const char *msg)
{
	return claw_fail("%s", msg);
}

static void note_pos(struct parser *ps, const cJSON *node, unsigned line, unsigned col,
                     const char *at)
{
	struct json5_doc *d = ps->doc;

	ALLOC_GROW(d->pos, d->npos + 1, d->cap);
	d->pos[d->npos++] = (struct json5_pos){ node, line, col, (size_t)(at - ps->text), 0, 0, 0 };
}

/* Length of a line terminator at p (LF, CR, CRLF, U+2028, U+2029), or 0. */
static size_t line_break(const struct parser *ps, const char *p)
{
	if (p >= ps->end)
		return 0;
	if (*p == '\n')
		return 1;
	if (*p == '\r')
		return (p + 1 < ps->end && p[1] == '\n') ? 2 : 1;
	if (ps->end - p >= 3 && (unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 &&
	    ((unsigned char)p[2] == 0xa8 || (unsigned char)p[2] == 0xa9))
		return 3;
	return 0;
}

static void new_line(struct parser *ps, const char *after)
{
	ps->line++;
	ps->line_start = after;
}

/* Length of JSON5 white space at p other than line breaks, or 0. */
static size_t white(const struct parser *ps, const char *p)
{
	if (p >= ps->end)
		return 0;
	switch (*p) {
	case ' ':
	case '\t':
	case '\v':
	case '\f':
		return 1;
	}
	const unsigned char *u = (const unsigned char *)p;
	if (ps->end - p >= 2 && u[0] == 0xc2 && u[1] == 0xa0) /* U+00A0 */
		return 2;
	if (ps->end - p >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) /* U+FEFF */
		return 3;
	return 0;
}

static int skip_space(struct parser *ps)
{
	for (;;) {
		size_t n;
		if ((n = white(ps, ps->p)) > 0) {
			ps->p += n;
		} else if ((n = line_break(ps, ps->p)) > 0) {
			ps->p += n;
			new_line(ps, ps->p);
		} else if (ps->end - ps->p >= 2 && ps->p[0] == '/' && ps->p[1] == '/') {
			while (ps->p < ps->end && line_break(ps, ps->p) == 0)
				ps->p++;
		} else if (ps->end - ps->p >= 2 && ps->p[0] == '/' && ps->p[1] == '*') {
			ps->p += 2;
			for (;;) {
				if (ps->p >= ps->end)
					return fail("unterminated /* comment");
				if (ps->end - ps->p >= 2 && ps->p[0] == '*' && ps->p[1] == '/') {
					ps->p += 2;
					break;
				}
				if ((n = line_break(ps, ps->p)) > 0) {
					ps->p += n;
					new_line(ps, ps->p);
				} else {
					ps->p++;
				}
			}
		} else {
			return 0;
		}
	}
}

static int read_hex(struct parser *ps, int digits, uint32_t *out)
{
	uint32_t v = 0;

	if (ps->end - ps->p < digits)
		return fail("truncated escape sequence");
	for (int i = 0; i < digits; i++) {
		int d = hex_value(ps->p[i]);
		if (d < 0)
			return fail("bad hexadecimal digit in escape sequence");
		v = v * 16 + (uint32_t)d;
	}
	ps->p += digits;
	*out = v;
	return 0;
}

static void put_utf8(struct buf *b, uint32_t cp)
{
	char s[4];

	if (cp < 0x80) {
		buf_putc(b, (char)cp);
		return;
	}
	if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		buf_put(b, s, 2);
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		buf_put(b, s, 3);
	} else {
		s[0] = (char)(0xf0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		buf_put(b, s, 4);
	}
}

/* \uXXXX, with a surrogate pair when the first half asks for one. */
static int unicode_escape(struct parser *ps, struct buf *b)
{
	uint32_t cp = 0, lo = 0;

	if (read_hex(ps, 4, &cp) < 0)
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail("lone low surrogate in \\u escape");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
			return fail("high surrogate without its low half in \\u escape");
		ps->p += 2;
		if (read_hex(ps, 4, &lo) < 0)
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail("high surrogate without its low half in \\u escape");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp == 0)
		return fail("NUL character in string");
	put_utf8(b, cp);
	return 0;
}

static int escape(struct parser *ps, struct buf *b)
{
	size_t n;
	uint32_t cp = 0;

	if (ps->p >= ps->end)
		return fail("unterminated string");
	if ((n = line_break(ps, ps->p)) > 0) { /* line continuation: the break vanishes */
		ps->p += n;
		new_line(ps, ps->p);
		return 0;
	}
	char c = *ps->p++;
	switch (c) {
	case 'b':
		buf_putc(b, '\b');
		return 0;
	case 'f':
		buf_putc(b, '\f');
		return 0;
	case 'n':
		buf_putc(b, '\n');
		return 0;
	case 'r':
		buf_putc(b, '\r');
		return 0;
	case 't':
		buf_putc(b, '\t');
		return 0;
	case 'v':
		buf_putc(b, '\v');
		return 0;
	case '0':
		if (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			return fail("octal escapes are not allowed");
		return fail("NUL character in string");
	case 'x':
		if (read_hex(ps, 2, &cp) < 0)
			return -1;
		if (cp == 0)
			return fail("NUL character in string");
		put_utf8(b, cp);
		return 0;
	case 'u':
		return unicode_escape(ps, b);
	default:
		if (c >= '1' && c <= '9')
			return fail("digits cannot be escaped");
		buf_putc(b, c); /* \' \" \\ \/ and any other character stand for themselves */
		return 0;
	}
}

/* A quoted string (either quote). Returns an allocated C string or NULL. */
static char *string_literal(struct parser *ps)
{
	char quote = *ps->p++;
	struct buf b = { 0 };

	buf_reserve(&b, 16);
	for (;;) {
		if (ps->p >= ps->end) {
			fail("unterminated string");
			break;
		}
		char c = *ps->p;
		if (c == quote) {
			ps->p++;
			return buf_steal(&b);
		}
		if (c == '\\') {
			ps->p++;
			if (escape(ps, &b) < 0)
				break;
			continue;
		}
		/* U+2028/2029 are allowed raw in JSON5 strings; LF and CR are not. */
		if (c == '\n' || c == '\r') {
			fail("line break inside a string (escape it)");
			break;
		}
		if (c == '\0') {
			fail("NUL character in string");
			break;
		}
		buf_putc(&b, c);
		ps->p++;
	}
	buf_free(&b);
	return NULL;
}

static int ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
	       (unsigned char)c >= 0x80;
}

static int ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static char *identifier(struct parser *ps)
{
	const char *s = ps->p;

	if (ps->p >= ps->end || !ident_start(*ps->p)) {
		fail("expected a member name");
		return NULL;
	}
	while (ps->p < ps->end && ident_char(*ps->p))
		ps->p++;
	return xstrndup(s, (size_t)(ps->p - s));
}

static cJSON *value(struct parser *ps);

static int expect(struct parser *ps, char c, const char *msg)
{
	if (skip_space(ps) < 0)
		return -1;
	if (ps->p >= ps->end || *ps->p != c)
		return fail(msg);
	ps->p++;
	return 0;
}

static int object_members(struct parser *ps, cJSON *obj)
{
	for (;;) {
		if (skip_space(ps) < 0)
			return -1;
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			return 0;
		}
		const char *key_at = ps->p;
		unsigned kline = ps->line, kcol = column(ps, key_at);
		char *key;
		if (ps->p < ps->end && (*ps->p == '"' || *ps->p == '\''))
			key = string_literal(ps);
		else
			key = identifier(ps);
		if (key == NULL)
			return -1;
		if (cJSON_GetObjectItemCaseSensitive(obj, key) != NULL) {
			ps->p = key_at;
			claw_fail("duplicate member \"%s\"", key);
			free(key);
			return -1;
		}
		if (expect(ps, ':', "expected ':' after the member name") < 0 ||
		    skip_space(ps) < 0) {
			free(key);
			return -1;
		}
		cJSON *v = value(ps);
		if (v == NULL) {
			free(key);
			return -1;
		}
		/* value() noted v last: its member name starts at key_at. */
		struct json5_pos *vp = &ps->doc->pos[ps->doc->npos - 1];
		vp->kline = kline;
		vp->kcol = kcol;
		vp->koff = (size_t)(key_at - ps->text);
		cJSON_AddItemToObject(obj, key, v);
		free(key);
		if (skip_space(ps) < 0)
			return -1;
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		return expect(ps, '}', "expected ',' or '}' in object");
	}
}

static int array_items(struct parser *ps, cJSON *arr)
{
	for (;;) {
		if (skip_space(ps) < 0)
			return -1;
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return 0;
		}
		cJSON *v = value(ps);
		if (v == NULL)
			return -1;
		cJSON_AddItemToArray(arr, v);
		if (skip_space(ps) < 0)
			return -1;
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		return expect(ps, ']', "expected ',' or ']' in array");
	}
}

static cJSON *container(struct parser *ps, int is_object)
{
	if (++ps->depth > JSON5_MAX_DEPTH) {
		fail("nested too deeply");
		return NULL;
	}
	ps->p++;
	cJSON *node = is_object ? cJSON_CreateObject() : cJSON_CreateArray();
	if (node == NULL)
		return NULL;
	if ((is_object ? object_members(ps, node) : array_items(ps, node)) < 0) {
		cJSON_Delete(node);
		return NULL;
	}
	ps->depth--;
	return node;
}

static int word_at(const struct parser *ps, const char *w)
{
	size_t n = strlen(w);
	return (size_t)(ps->end - ps->p) >= n && memcmp(ps->p, w, n) == 0 &&
	       (ps->p + n == ps->end || !ident_char(ps->p[n]));
}

static int digits(struct parser *ps)
{
	const char *s = ps->p;
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	return ps->p > s;
}

static cJSON *number(struct parser *ps)
{
	double sign = 1;
	const char *start;

	if (*ps->p == '+' || *ps->p == '-') {
		sign = *ps->p == '-' ? -1 : 1;
		ps->p++;
	}
	if (word_at(ps, "Infinity")) {
		ps->p += 8;
		return cJSON_CreateNumber(sign * INFINITY);
	}
	if (word_at(ps, "NaN")) {
		ps->p += 3;
		return cJSON_CreateNumber(NAN);
	}
	start = ps->p;
	if (ps->end - ps->p >= 2 && ps->p[0] == '0' && (ps->p[1] == 'x' || ps->p[1] == 'X')) {
		ps->p += 2;
		double v = 0;
		int d, any = 0;
		while (ps->p < ps->end && (d = hex_value(*ps->p)) >= 0) {
			v = v * 16 + d;
			ps->p++;
			any = 1;
		}
		if (!any) {
			fail("expected hexadecimal digits after 0x");
			return NULL;
		}
		return cJSON_CreateNumber(sign * v);
	}
	int int_part = 0;
	if (ps->p < ps->end && *ps->p == '0') {
		ps->p++;
		int_part = 1;
		if (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
			fail("numbers cannot have leading zeros");
			return NULL;
		}
	} else {
		int_part = digits(ps);
	}
	int frac_part = 0;
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		frac_part = digits(ps);
	}
	if (!int_part && !frac_part) {
		fail("expected a value");
		return NULL;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (!digits(ps)) {
			fail("expected digits in the exponent");
			return NULL;
		}
	}
	if (ps->p < ps->end && ident_char(*ps->p)) {
		fail("unexpected character after a number");
		return NULL;
	}
	char *text = xstrndup(start, (size_t)(ps->p - start));
	double v = strtod(text, NULL);
	free(text);
	return cJSON_CreateNumber(sign * v);
}

static cJSON *value(struct parser *ps)
{
	cJSON *node = NULL;
	const char *at;

	if (skip_space(ps) < 0)
		return NULL;
	at = ps->p;
	/* Where the value starts: a container ends lines later. */
	unsigned line = ps->line, col = column(ps, at);
	if (ps->p >= ps->end) {
		fail("unexpected end of input, expected a value");
		return NULL;
	}
	switch (*ps->p) {
	case '{':
		node = container(ps, 1);
		break;
	case '[':
		node = container(ps, 0);
		break;
	case '"':
	case '\'': {
		char *s = string_literal(ps);
		if (s == NULL)
			return NULL;
		node = cJSON_CreateString(s);
		free(s);
		break;
	}
	default:
		if (word_at(ps, "true")) {
			ps->p += 4;
			node = cJSON_CreateTrue();
		} else if (word_at(ps, "false")) {
			ps->p += 5;
			node = cJSON_CreateFalse();
		} else if (word_at(ps, "null")) {
			ps->p += 4;
			node = cJSON_CreateNull();
		} else if (strchr("+-.0123456789IN", *ps->p) != NULL) {
			node = number(ps);
		} else {
			fail("unexpected character, expected a value");
			return NULL;
		}
	}
	if (node != NULL)
		note_pos(ps, node, line, col, at);
	return node;
}

int json5_parse(const char *text, size_t len, struct json5_doc *doc, unsigned *line, unsigned *col)
{
	struct parser ps = { text, text + len, text, 1, doc, 0, text };

	memset(doc, 0, sizeof(*doc));
	if (memchr(text, '\0', len) != NULL) {
		const char *nul = memchr(text, '\0', len);
		for (const char *q = text; q < nul; q++)
			if (*q == '\n')
				new_line(&ps, q + 1);
		*line = ps.line;
		*col = column(&ps, nul);
		return claw_fail("NUL byte in file");
	}
	doc->root = value(&ps);
	if (doc->root != NULL && skip_space(&ps) == 0 && ps.p < ps.end) {
		claw_fail("unexpected text after the end of the document");
		cJSON_Delete(doc->root);
		doc->root = NULL;
	}
	if (doc->root == NULL) {
		*line = ps.line;
		*col = column(&ps, ps.p < ps.end ? ps.p : ps.end);
		json5_free(doc);
		return -1;
	}
	return 0;
}

void json5_free(struct json5_doc *doc)
{
	cJSON_Delete(doc->root);
	free(doc->pos);
	memset(doc, 0, sizeof(*doc));
}

static const struct json5_pos *find(const struct json5_doc *doc, const cJSON *node)
{
	for (size_t i = 0; i < doc->npos; i++)
		if (doc->pos[i].node == node)
			return &doc->pos[i];
	return NULL;
}

int json5_offset_of(const struct json5_doc *doc, const cJSON *node, size_t *off)
{
	const struct json5_pos *p = find(doc, node);

	if (p == NULL)
		return 0;
	*off = p->off;
	return 1;
}

int json5_pos_of(const struct json5_doc *doc, const cJSON *node, unsigned *line, unsigned *col)
{
	const struct json5_pos *p = find(doc, node);

	if (p == NULL)
		return 0;
	*line = p->line;
	*col = p->col;
	return 1;
}

int json5_key_pos_of(const struct json5_doc *doc, const cJSON *node, unsigned *line, unsigned *col)
{
	const struct json5_pos *p = find(doc, node);

	if (p == NULL)
		return 0;
	*line = p->kline ? p->kline : p->line;
	*col = p->kline ? p->kcol : p->col;
	return 1;
}

int json5_key_offset_of(const struct json5_doc *doc, const cJSON *node, size_t *off)
{
	const struct json5_pos *p = find(doc, node);

	if (p == NULL)
		return 0;
	*off = p->kline ? p->koff : p->off;
	return 1;
}
