/* jsonparse.c: strict JSON into cJSON trees, in one pass (see jsonparse.h). */
#include "jsonparse.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH  1000 /* cJSON's CJSON_NESTING_LIMIT */
#define MAX_NUMBER 63   /* longest number spelling converted (cJSON reads 63 too) */

struct parser {
	const char *p, *end;
	unsigned depth;
	void *(*alloc)(size_t);
};

static cJSON *parse_value(struct parser *ps);

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static cJSON *new_node(struct parser *ps, int type)
{
	cJSON *n = ps->alloc(sizeof(*n));

	if (n != NULL) {
		memset(n, 0, sizeof(*n));
		n->type = type;
	}
	return n;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

static long hex4(const char *s, const char *end)
{
	long v = 0;

	if (end - s < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int d = hex_digit(s[i]);
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
 * Advances *s past it. -1 for \u0000, a lone surrogate or bad hex. */
static long unicode_escape(const char **s, const char *end)
{
	long hi = hex4(*s, end), lo;

	if (hi <= 0 || (hi >= 0xdc00 && hi <= 0xdfff))
		return -1;
	*s += 4;
	if (hi < 0xd800 || hi > 0xdbff)
		return hi;
	if (end - *s < 6 || (*s)[0] != '\\' || (*s)[1] != 'u')
		return -1;
	lo = hex4(*s + 2, end);
	if (lo < 0xdc00 || lo > 0xdfff)
		return -1;
	*s += 6;
	return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
}

/* One escape after the backslash at *s, written at *o. */
static bool escape(const char **s, const char *end, char **o)
{
	static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	char c = **s;

	(*s)++;
	if (c == 'u') {
		long cp = unicode_escape(s, end);
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
	return false;
}

/*
 * The bytes from P that need no attention inside a string: not '"', not
 * '\\', not a control character. Eight at a time with the usual bit tricks;
 * the lowest byte flagged is exact (a borrow only spills above a real hit),
 * so on a little-endian machine it is found without a second loop.
 */
static const char *plain_run(const char *p, const char *end)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;

	while (end - p >= 8) {
		uint64_t w, quote, slash, hit;
		memcpy(&w, p, 8);
		quote = w ^ (ones * '"');
		slash = w ^ (ones * '\\');
		hit = (((quote - ones) & ~quote) | ((slash - ones) & ~slash) |
		       ((w - ones * 0x20) & ~w)) &
		      highs;
		if (hit != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return p + (__builtin_ctzll(hit) >> 3);
#else
			break;
#endif
		}
		p += 8;
	}
	while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
		p++;
	return p;
}

/* The string at ps->p (on its opening quote), decoded into new memory. */
static char *parse_string(struct parser *ps)
{
	const char *s = ps->p + 1, *q = s;
	bool escaped = false;

	/* Find the closing quote; the decoded string is never longer. */
	for (;;) {
		q = plain_run(q, ps->end);
		if (q >= ps->end || *q == '"')
			break;
		if ((unsigned char)*q < 0x20) {
			ps->p = q;
			return NULL;
		}
		escaped = true; /* a backslash: skip it and what it escapes */
		q += 2;
	}
	if (q >= ps->end) {
		ps->p = ps->end;
		return NULL;
	}
	char *out = ps->alloc((size_t)(q - s) + 1);
	if (out == NULL)
		return NULL;
	if (!escaped) {
		memcpy(out, s, (size_t)(q - s));
		out[q - s] = '\0';
		ps->p = q + 1;
		return out;
	}
	char *o = out;
	while (s < q) {
		if (*s != '\\') {
			*o++ = *s++;
			continue;
		}
		s++;
		if (!escape(&s, q, &o)) {
			ps->p = s;
			return NULL;
		}
	}
	*o = '\0';
	ps->p = q + 1;
	return out;
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
	const char *s = ps->p, *p = s, *e = ps->end, *d;
	char buf[MAX_NUMBER + 1];

	if (p < e && *p == '-')
		p++;
	if (p < e && *p == '0')
		p++;
	else if ((d = digits(p, e)) > p && *p != '0')
		p = d;
	else
		return NULL;
	if (p < e && *p == '.') {
		if ((d = digits(p + 1, e)) == p + 1)
			return NULL;
		p = d;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if ((d = digits(p, e)) == p)
			return NULL;
		p = d;
	}
	if (p - s > MAX_NUMBER)
		return NULL;
	memcpy(buf, s, (size_t)(p - s));
	buf[p - s] = '\0';
	cJSON *n = new_node(ps, cJSON_Number);
	if (n == NULL)
		return NULL;
	n->valuedouble = strtod(buf, NULL);
	n->valueint = n->valuedouble >= INT_MAX           ? INT_MAX
	              : n->valuedouble <= (double)INT_MIN ? INT_MIN
	                                                  : (int)n->valuedouble;
	ps->p = p;
	return n;
}

static cJSON *parse_literal(struct parser *ps, const char *word, int type)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return NULL;
	cJSON *node = new_node(ps, type);
	if (node != NULL) {
		if (type == cJSON_True)
			node->valueint = 1;
		ps->p += n;
	}
	return node;
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

static cJSON *parse_container(struct parser *ps, bool object)
{
	char close = object ? '}' : ']';
	cJSON *node = new_node(ps, object ? cJSON_Object : cJSON_Array), *tail = NULL;

	if (node == NULL || ps->depth >= MAX_DEPTH) /* as cJSON counts */
		return NULL;
	ps->depth++;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return node;
	}
	for (;;) {
		char *key = NULL;
		skip_ws(ps);
		if (object) {
			if (ps->p >= ps->end || *ps->p != '"' || (key = parse_string(ps)) == NULL)
				return NULL;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return NULL;
			ps->p++;
			skip_ws(ps);
		}
		cJSON *item = parse_value(ps);
		if (item == NULL)
			return NULL;
		item->string = key;
		append(node, &tail, item);
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			ps->depth--;
			return node;
		}
		return NULL;
	}
}

static cJSON *parse_value(struct parser *ps)
{
	if (ps->p >= ps->end)
		return NULL;
	switch (*ps->p) {
	case '{':
		return parse_container(ps, true);
	case '[':
		return parse_container(ps, false);
	case '"': {
		cJSON *n = new_node(ps, cJSON_String);
		if (n == NULL || (n->valuestring = parse_string(ps)) == NULL)
			return NULL;
		return n;
	}
	case 't':
		return parse_literal(ps, "true", cJSON_True);
	case 'f':
		return parse_literal(ps, "false", cJSON_False);
	case 'n':
		return parse_literal(ps, "null", cJSON_NULL);
	default:
		return parse_number(ps);
	}
}

cJSON *json_parse(const char *s, size_t len, const char **end, void *(*alloc)(size_t))
{
	struct parser ps = { s, s + len, 0, alloc };

	skip_ws(&ps);
	cJSON *root = parse_value(&ps);
	*end = ps.p;
	return root;
}
