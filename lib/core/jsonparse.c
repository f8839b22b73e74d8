/* jsonparse.c: strict JSON into cJSON trees, in one pass (see jsonparse.h). */
#include "core/jsonparse.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/util.h"

#define MAX_DEPTH  1000 /* cJSON's CJSON_NESTING_LIMIT */
#define MAX_NUMBER 63   /* longest number spelling converted (cJSON reads 63 too) */
#define NAMES_KEPT 16   /* member names an object remembers in its own table */
#define POOL_NODES 16   /* nodes taken from ALLOC at a time */
#define SCAN_PAD   16   /* bytes after the sentinel, for wide loads */

/*
 * The parser reads a copy of the text that ends in a NUL sentinel (and
 * SCAN_PAD bytes more), and P never passes END. The sentinel is nothing JSON
 * expects at any point, so a test for the byte that must come next needs no
 * test of the bound as well.
 */
struct parser {
	char *p, *end; /* in the copy: strings are decoded where they stand */
	unsigned depth;
	enum json_fault fault;
	const char *duplicate;
	void *(*alloc)(size_t);
	cJSON *pool; /* nodes taken from ALLOC, not yet used */
	unsigned pooled;
};

static cJSON *parse_value(struct parser *ps);

/* Every failure comes through here, once, where it is found. */
static void *fail(struct parser *ps, char *at, enum json_fault fault)
{
	ps->p = at;
	ps->fault = fault;
	return NULL;
}

static inline void skip_ws(struct parser *ps)
{
	if ((unsigned char)*ps->p > ' ')
		return; /* records from a program have no white space at all */
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static inline cJSON *new_node(struct parser *ps, int type)
{
	if (ps->pooled == 0) {
		if ((ps->pool = ps->alloc(POOL_NODES * sizeof(cJSON))) == NULL)
			return fail(ps, ps->p, JSON_NO_MEMORY);
		ps->pooled = POOL_NODES;
	}
	cJSON *n = ps->pool++;
	ps->pooled--;
	memset(n, 0, sizeof(*n));
	n->type = type;
	return n;
}

/* The length of the UTF-8 sequence at S, or -1: no overlong forms, no UTF-16
 * surrogates, nothing beyond U+10FFFF. */
static int utf8_seq(const char *s, const char *end)
{
	const unsigned char *u = (const unsigned char *)s;
	ptrdiff_t n = end - s;

	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		return n >= 2 && (u[1] & 0xc0) == 0x80 ? 2 : -1;
	if (u[0] >= 0xe0 && u[0] <= 0xef) {
		if (n < 3 || (u[1] & 0xc0) != 0x80 || (u[2] & 0xc0) != 0x80)
			return -1;
		if ((u[0] == 0xe0 && u[1] < 0xa0) || (u[0] == 0xed && u[1] > 0x9f))
			return -1;
		return 3;
	}
	if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		if (n < 4 || (u[1] & 0xc0) != 0x80 || (u[2] & 0xc0) != 0x80 ||
		    (u[3] & 0xc0) != 0x80)
			return -1;
		if ((u[0] == 0xf0 && u[1] < 0x90) || (u[0] == 0xf4 && u[1] > 0x8f))
			return -1;
		return 4;
	}
	return -1;
}

/* A byte where JSON's grammar has no place for it, named as closely as it can be. */
static void *unexpected(struct parser *ps, char *at)
{
	unsigned char c = at < ps->end ? (unsigned char)*at : ' ';

	if (c == 0)
		return fail(ps, at, JSON_NUL);
	if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
		return fail(ps, at, JSON_CONTROL);
	if (c >= 0x80 && utf8_seq(at, ps->end) < 0)
		return fail(ps, at, JSON_UTF8);
	return fail(ps, at, JSON_SYNTAX);
}

static long hex4(const char *s, const char *end)
{
	long v = 0;

	if (end - s < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int d = hex_value(s[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static char *put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | (cp >> 18));
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/* A \u escape at *s (after the "\u"): its code point, a surrogate pair joined.
 * Advances *s past it; -1 with *FAULT set for \u0000, a lone surrogate or bad
 * hex. */
static long unicode_escape(char **s, const char *end, enum json_fault *fault)
{
	long hi = hex4(*s, end), lo;

	*fault = hi < 0 ? JSON_BAD_U : hi == 0 ? JSON_U0000 : JSON_LONE_LOW;
	if (hi <= 0 || (hi >= 0xdc00 && hi <= 0xdfff))
		return -1;
	*s += 4;
	if (hi < 0xd800 || hi > 0xdbff)
		return hi;
	*fault = JSON_LONE_HIGH;
	if (end - *s < 6 || (*s)[0] != '\\' || (*s)[1] != 'u')
		return -1;
	lo = hex4(*s + 2, end);
	if (lo < 0xdc00 || lo > 0xdfff)
		return -1;
	*s += 6;
	return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
}

/* One escape after the backslash at *s, decoded at *o (never past *s: no
 * escape is shorter than what it stands for). */
static bool escape(char **s, const char *end, char **o, enum json_fault *fault)
{
	static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	char c = **s;

	(*s)++;
	if (c == 'u') {
		long cp = unicode_escape(s, end, fault);
		if (cp < 0)
			return false;
		*o = put_utf8(*o, (unsigned long)cp);
		return true;
	}
	for (const char *e = simple; *e; e += 2) {
		if (e[0] == c) {
			*(*o)++ = e[1];
			return true;
		}
	}
	*fault = JSON_SYNTAX;
	return false;
}

/*
 * The bytes from P that need no attention inside a string: printable ASCII
 * other than '"' and '\\'. The scan needs no bound of its own: it always
 * stops at the sentinel, and its wide loads never leave the block.
 */
#ifdef __SSE2__
static inline char *plain_run(char *p)
{
	const __m128i quote = _mm_set1_epi8('"'), slash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(0x20);

	for (;; p += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* Signed: bytes from 0x80 up compare below the space too. */
		__m128i hit =
		    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, slash)),
		                 _mm_cmplt_epi8(v, space));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);
		if (mask != 0)
			return p + __builtin_ctz(mask);
	}
}
#else
static inline char *plain_run(char *p)
{
	while (*p != '"' && *p != '\\' && (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x80)
		p++;
	return p;
}
#endif

/* The rest of a string from Q, the first byte plain_run stopped at that was
 * not its closing quote: escapes, UTF-8 and what may not be there. Until the
 * first escape the text already stands where it belongs; after one, each
 * run moves down to the write position O. */
static char *string_rest(struct parser *ps, char *s, char *q, size_t *len)
{
	char *o = NULL;

	for (;;) {
		if (q >= ps->end)
			return fail(ps, ps->end, JSON_SYNTAX);
		unsigned char c = (unsigned char)*q;
		if (c == '"')
			break;
		if (c == '\\') {
			char *at = q++;
			enum json_fault fault;
			if (o == NULL)
				o = at;
			if (!escape(&q, ps->end, &o, &fault))
				return fail(ps, at, fault);
		} else if (c >= 0x80) {
			int n = utf8_seq(q, ps->end);
			if (n < 0)
				return fail(ps, q, JSON_UTF8);
			if (o != NULL) {
				memmove(o, q, (size_t)n);
				o += n;
			}
			q += n;
		} else {
			return fail(ps, q, c == 0 ? JSON_NUL : JSON_CONTROL);
		}
		char *run = plain_run(q);
		if (o != NULL) {
			memmove(o, q, (size_t)(run - q));
			o += run - q;
		}
		q = run;
	}
	if (o == NULL)
		o = q;
	*o = '\0';
	*len = (size_t)(o - s);
	ps->p = q + 1;
	return s;
}

/* The string at ps->p (on its opening quote), decoded in place and ended
 * with a NUL where its closing quote was; its length in *LEN. */
static inline char *parse_string(struct parser *ps, size_t *len)
{
	char *s = ps->p + 1, *q = plain_run(s);

	if (*q != '"') /* the sentinel included */
		return string_rest(ps, s, q, len);
	*q = '\0';
	*len = (size_t)(q - s);
	ps->p = q + 1;
	return s;
}

static inline cJSON *parse_string_value(struct parser *ps)
{
	cJSON *n = new_node(ps, cJSON_String);
	size_t len;

	if (n == NULL || (n->valuestring = parse_string(ps, &len)) == NULL)
		return NULL;
	return n;
}

static const char *digits(const char *p, const char *end)
{
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p;
}

/* JSON's number grammar, then strtod on a copy, as cJSON converts. */
static cJSON *parse_number(struct parser *ps)
{
	char *s = ps->p;
	const char *p = s, *e = ps->end, *d;
	char buf[MAX_NUMBER + 1];

	if (p < e && *p == '-')
		p++;
	if (p < e && *p == '0')
		p++;
	else if ((d = digits(p, e)) > p && *p != '0')
		p = d;
	else
		return unexpected(ps, (char *)p);
	if (p < e && *p == '.') {
		if ((d = digits(p + 1, e)) == p + 1)
			return unexpected(ps, (char *)d);
		p = d;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if ((d = digits(p, e)) == p)
			return unexpected(ps, (char *)d);
		p = d;
	}
	if (p - s > MAX_NUMBER)
		return fail(ps, s, JSON_SYNTAX);
	memcpy(buf, s, (size_t)(p - s));
	buf[p - s] = '\0';
	cJSON *n = new_node(ps, cJSON_Number);
	if (n == NULL)
		return NULL;
	n->valuedouble = strtod(buf, NULL);
	n->valueint = n->valuedouble >= INT_MAX           ? INT_MAX
	              : n->valuedouble <= (double)INT_MIN ? INT_MIN
	                                                  : (int)n->valuedouble;
	ps->p = s + (p - s);
	return n;
}

static cJSON *parse_literal(struct parser *ps, const char *word, size_t n, int type)
{
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return unexpected(ps, ps->p);
	cJSON *node = new_node(ps, type);
	if (node != NULL) {
		if (type == cJSON_True)
			node->valueint = 1;
		ps->p += n;
	}
	return node;
}

/*
 * The member names an object has seen: the first NAMES_KEPT in a table of
 * prints (length and first bytes, which tell names apart without a strcmp
 * almost always), any after that by walking the members from REST.
 */
struct names {
	unsigned n;
	uint64_t seen; /* a bit per print, hashed: most names are new at a glance */
	uint64_t print[NAMES_KEPT];
	const char *name[NAMES_KEPT];
	const cJSON *rest;
};

/* The first eight bytes of a name (fewer if it is shorter) and its length.
 * The load may run past the name: the copy is padded, and the bytes past
 * the name are masked off, so equal names always print alike. */
static uint64_t name_print(const char *s, size_t n)
{
	uint64_t v;

	memcpy(&v, s, sizeof(v));
	if (n < 8)
		v &= ((uint64_t)1 << (8 * n)) - 1;
	return v ^ ((uint64_t)n << 56);
}

/* Whether NAME, of print PRINT, is among the names NM has seen. */
static bool name_seen(const struct names *nm, const char *name, uint64_t print)
{
	unsigned kept = nm->n < NAMES_KEPT ? nm->n : NAMES_KEPT;

	for (unsigned i = 0; i < kept; i++)
		if (nm->print[i] == print && strcmp(nm->name[i], name) == 0)
			return true;
	for (const cJSON *c = nm->rest; c != NULL; c = c->next)
		if (strcmp(c->string, name) == 0)
			return true;
	return false;
}

/* Whether NAME (N bytes) is already a member's; if not, it is remembered.
 * Every name sets its bit in SEEN, so a clear bit means a new name. */
static bool name_taken(struct names *nm, const char *name, size_t n)
{
	uint64_t print = name_print(name, n);
	uint64_t bit = (uint64_t)1 << ((print * 0x9e3779b97f4a7c15ULL) >> 58);

	if ((nm->seen & bit) != 0 && name_seen(nm, name, print))
		return true;
	nm->seen |= bit;
	if (nm->n < NAMES_KEPT) {
		nm->print[nm->n] = print;
		nm->name[nm->n] = name;
	}
	nm->n++;
	return false;
}

/* Appends ITEM to the children of PARENT, keeping cJSON's tail in child->prev. */
static void append(cJSON *parent, cJSON **tail, cJSON *item)
{
	if (*tail == NULL) {
		parent->child = item;
	} else {
		(*tail)->next = item;
		item->prev = *tail;
	}
	*tail = item;
	parent->child->prev = item;
}

/* The member name at ps->p and its colon; NULL if it is not one, or taken. */
static char *member_name(struct parser *ps, struct names *nm)
{
	char *at = ps->p, *key;
	size_t n;

	if (*ps->p != '"')
		return unexpected(ps, ps->p);
	if ((key = parse_string(ps, &n)) == NULL)
		return NULL;
	if (name_taken(nm, key, n)) {
		ps->duplicate = key;
		return fail(ps, at, JSON_DUPLICATE);
	}
	skip_ws(ps);
	if (*ps->p != ':')
		return unexpected(ps, ps->p);
	ps->p++;
	skip_ws(ps);
	return key;
}

/* An object (NM given) or an array, its opening bracket at ps->p. */
static cJSON *parse_container(struct parser *ps, struct names *nm)
{
	char close = nm != NULL ? '}' : ']';
	cJSON *node, *tail = NULL;

	if (ps->depth >= MAX_DEPTH) /* as cJSON counts */
		return fail(ps, ps->p, JSON_TOO_DEEP);
	if ((node = new_node(ps, nm != NULL ? cJSON_Object : cJSON_Array)) == NULL)
		return NULL;
	ps->depth++;
	ps->p++;
	skip_ws(ps);
	if (*ps->p == close) {
		ps->p++;
		ps->depth--;
		return node;
	}
	for (;;) {
		char *key = NULL;
		skip_ws(ps);
		if (nm != NULL && (key = member_name(ps, nm)) == NULL)
			return NULL;
		/* Most values are strings: no call through parse_value for them. */
		cJSON *item = *ps->p == '"' ? parse_string_value(ps) : parse_value(ps);
		if (item == NULL)
			return NULL;
		item->string = key;
		append(node, &tail, item);
		if (nm != NULL && nm->n == NAMES_KEPT + 1)
			nm->rest = item;
		skip_ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p == close) {
			ps->p++;
			ps->depth--;
			return node;
		}
		return unexpected(ps, ps->p);
	}
}

static cJSON *parse_object(struct parser *ps)
{
	struct names nm;

	nm.n = 0;
	nm.seen = 0;
	nm.rest = NULL;
	return parse_container(ps, &nm);
}

static cJSON *parse_value(struct parser *ps)
{
	switch (*ps->p) {
	case '{':
		return parse_object(ps);
	case '[':
		return parse_container(ps, NULL);
	case '"':
		return parse_string_value(ps);
	case 't':
		return parse_literal(ps, "true", 4, cJSON_True);
	case 'f':
		return parse_literal(ps, "false", 5, cJSON_False);
	case 'n':
		return parse_literal(ps, "null", 4, cJSON_NULL);
	default:
		return parse_number(ps);
	}
}

cJSON *json_parse(const char *s, size_t len, void *(*alloc)(size_t), struct json_result *r)
{
	char *copy = alloc(len + 1 + SCAN_PAD);

	r->end = 0;
	r->fault = JSON_NO_MEMORY;
	r->name = NULL;
	if (copy == NULL)
		return NULL;
	memcpy(copy, s, len);
	memset(copy + len, 0, 1 + SCAN_PAD); /* the sentinel: every scan stops there */
	struct parser ps = { copy, copy + len, 0, JSON_SYNTAX, NULL, alloc, NULL, 0 };
	skip_ws(&ps);
	cJSON *root = parse_value(&ps);
	r->end = (size_t)(ps.p - copy);
	r->fault = ps.fault;
	r->name = ps.duplicate;
	return root;
}

const char *json_fault_text(enum json_fault f)
{
	switch (f) {
	case JSON_SYNTAX:
		return "not valid JSON";
	case JSON_NUL:
		return "NUL byte";
	case JSON_CONTROL:
		return "control character";
	case JSON_UTF8:
		return "invalid UTF-8";
	case JSON_BAD_U:
		return "bad \\u escape";
	case JSON_U0000:
		return "\\u0000 inside a string";
	case JSON_LONE_HIGH:
		return "lone high surrogate";
	case JSON_LONE_LOW:
		return "lone low surrogate";
	case JSON_TOO_DEEP:
		return "nested more than 1000 deep";
	case JSON_DUPLICATE:
		return "duplicate member";
	case JSON_NO_MEMORY:
		return "out of memory";
	}
	return "not valid JSON";
}
