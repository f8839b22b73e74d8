/*
 * cfgedit.c: setting one value in a JSON5 config without rewriting the rest.
 *
 * A config is a file a person keeps, with comments that say why; printing
 * the parsed tree back would throw them away. So an edit is a splice of the
 * text: the parser says where the value starts, a small scanner finds where
 * it ends, and the new text goes in its place (or, for a key the file does
 * not have yet, before the closing brace of the nearest object it does
 * have, indented like its neighbours). The result is parsed again and must
 * hold the new value, or nothing is changed.
 */
#include "core/cfgedit.h"

#include <stdlib.h>
#include <string.h>

#include "core/json5.h"

#define MAX_SEGS 16

struct seg {
	char key[128];
	long index; /* >= 0: an array element; -1: the member KEY */
};

static int parse_path(const char *path, struct seg *segs, size_t *n)
{
	const char *p = path;

	memset(segs, 0, MAX_SEGS * sizeof(*segs));
	*n = 0;
	while (*p) {
		if (*n == MAX_SEGS)
			return claw_fail("%s: path too deep", path);
		struct seg *s = &segs[(*n)++];
		if (*p == '[') {
			char *end;
			s->index = strtol(p + 1, &end, 10);
			if (end == p + 1 || *end != ']' || s->index < 0)
				return claw_fail("%s: bad array index", path);
			s->key[0] = '\0';
			p = end + 1;
		} else {
			size_t k = strcspn(p, ".[");
			if (k == 0 || k >= sizeof(s->key))
				return claw_fail("%s: bad key", path);
			memcpy(s->key, p, k);
			s->key[k] = '\0';
			s->index = -1;
			p += k;
		}
		if (*p == '.')
			p++;
	}
	return *n ? 0 : claw_fail("empty path");
}

/* ---- scanning JSON5 text ---- */

/* Length of a line break at p (LF, CR, CRLF, U+2028, U+2029), as json5.c counts them. */
static size_t line_break(const char *t, size_t len, size_t i)
{
	if (i >= len)
		return 0;
	if (t[i] == '\n')
		return 1;
	if (t[i] == '\r')
		return i + 1 < len && t[i + 1] == '\n' ? 2 : 1;
	if (len - i >= 3 && (unsigned char)t[i] == 0xe2 && (unsigned char)t[i + 1] == 0x80 &&
	    ((unsigned char)t[i + 2] == 0xa8 || (unsigned char)t[i + 2] == 0xa9))
		return 3;
	return 0;
}

/* White space and comments from i on. */
static size_t skip_blank(const char *t, size_t len, size_t i)
{
	while (i < len) {
		unsigned char c = (unsigned char)t[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
			i++;
		} else if (c == 0xc2 && i + 1 < len && (unsigned char)t[i + 1] == 0xa0) {
			i += 2;
		} else if (c == 0xef && i + 2 < len && (unsigned char)t[i + 1] == 0xbb &&
		           (unsigned char)t[i + 2] == 0xbf) {
			i += 3;
		} else if (line_break(t, len, i)) {
			i += line_break(t, len, i);
		} else if (c == '/' && i + 1 < len && t[i + 1] == '/') {
			while (i < len && !line_break(t, len, i))
				i++;
		} else if (c == '/' && i + 1 < len && t[i + 1] == '*') {
			const char *end = memmem(t + i + 2, len - i - 2, "*/", 2);
			i = end ? (size_t)(end - t) + 2 : len;
		} else {
			break;
		}
	}
	return i;
}

static size_t skip_string(const char *t, size_t len, size_t i)
{
	char q = t[i++];

	while (i < len && t[i] != q)
		i += t[i] == '\\' ? 2 : 1;
	return i < len ? i + 1 : len;
}

/* The end of the value that starts at i (already known to parse). */
static size_t skip_value(const char *t, size_t len, size_t i)
{
	if (i >= len)
		return len;
	if (t[i] == '"' || t[i] == '\'')
		return skip_string(t, len, i);
	if (t[i] == '{' || t[i] == '[') {
		int depth = 0;
		while (i < len) {
			char c = t[i];
			if (c == '"' || c == '\'') {
				i = skip_string(t, len, i);
				continue;
			}
			if (c == '/' && i + 1 < len && (t[i + 1] == '/' || t[i + 1] == '*')) {
				i = skip_blank(t, len, i);
				continue;
			}
			if (c == '{' || c == '[')
				depth++;
			else if ((c == '}' || c == ']') && --depth == 0)
				return i + 1;
			i++;
		}
		return len;
	}
	while (i < len && !strchr(",}] \t\r\n/", t[i]))
		i++;
	return i;
}

static size_t line_start(const char *t, size_t i)
{
	while (i > 0 && t[i - 1] != '\n' && t[i - 1] != '\r')
		i--;
	return i;
}

static size_t indent_len(const char *t, size_t len, size_t ls)
{
	size_t i = ls;

	while (i < len && (t[i] == ' ' || t[i] == '\t'))
		i++;
	return i - ls;
}

/* Whether only spaces and tabs come before offset i on its line. */
static int first_on_line(const char *t, size_t i)
{
	size_t ls = line_start(t, i);

	for (size_t k = ls; k < i; k++)
		if (t[k] != ' ' && t[k] != '\t')
			return 0;
	return 1;
}

/* ---- editing ---- */

struct splice {
	size_t at, cut;
	struct buf text;
};

static void apply(struct buf *out, const char *t, size_t len, struct splice *sp, size_t n)
{
	size_t from = 0;

	/* Splices are given in increasing offset order. */
	for (size_t i = 0; i < n; i++) {
		buf_put(out, t + from, sp[i].at - from);
		buf_put(out, sp[i].text.p ? sp[i].text.p : "", sp[i].text.len);
		from = sp[i].at + sp[i].cut;
	}
	buf_put(out, t + from, len - from);
}

static int is_ident(const char *k)
{
	if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_' || *k == '$'))
		return 0;
	for (k++; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
		      (*k >= '0' && *k <= '9') || *k == '_' || *k == '$'))
			return 0;
	return 1;
}

static void put_key(struct buf *b, const char *key, int quoted)
{
	if (quoted || !is_ident(key))
		buf_json_str(b, key);
	else
		buf_puts(b, key);
}

/* key: { key2: { ... value } } for the path's remaining keys. */
static void member_text(struct buf *b, const struct seg *segs, size_t n, const char *value,
                        int quoted)
{
	put_key(b, segs[0].key, quoted);
	buf_puts(b, ": ");
	if (n == 1) {
		buf_puts(b, value);
		return;
	}
	buf_puts(b, quoted ? "{" : "{ ");
	member_text(b, segs + 1, n - 1, value, quoted);
	buf_puts(b, quoted ? "}" : " }");
}

/* Whether the members of the object at OFF have quoted keys. */
static int quoted_style(const char *t, size_t len, size_t off)
{
	size_t k = skip_blank(t, len, off + 1);
	return k < len && (t[k] == '"' || t[k] == '\'');
}

static size_t pos(const struct json5_doc *doc, const cJSON *node, const char *t, size_t len)
{
	size_t off = len;

	(void)t;
	if (!json5_offset_of(doc, node, &off) || off > len)
		return len;
	return off;
}

static int insert_member(const char *t, size_t len, const struct json5_doc *doc, const cJSON *obj,
                         const struct seg *segs, size_t n, const char *value, struct buf *out)
{
	size_t open = pos(doc, obj, t, len);
	if (open >= len || t[open] != '{')
		return claw_fail("cannot find the object to add \"%s\" to", segs[0].key);
	size_t close = skip_value(t, len, open) - 1;
	const cJSON *last = obj->child;
	struct splice sp[2] = { 0 };
	size_t nsp = 0;
	int quoted =
	    last ? quoted_style(t, len, open) : quoted_style(t, len, pos(doc, doc->root, t, len));
	struct buf member = { 0 };

	while (last != NULL && last->next != NULL)
		last = last->next;
	member_text(&member, segs, n, value, quoted);
	if (last != NULL) {
		size_t s = pos(doc, last, t, len), e = skip_value(t, len, s);
		size_t k = skip_blank(t, len, e);
		int comma = k < len && t[k] == ',';
		if (first_on_line(t, close) && line_start(t, close) > e) {
			size_t ls = line_start(t, s);
			if (!comma) {
				sp[nsp].at = e;
				buf_putc(&sp[nsp++].text, ',');
			}
			sp[nsp].at = line_start(t, close);
			buf_put(&sp[nsp].text, t + ls, indent_len(t, len, ls));
			buf_put(&sp[nsp].text, member.p, member.len);
			buf_puts(&sp[nsp++].text, comma ? ",\n" : "\n");
		} else if (!comma) {
			sp[nsp].at = e;
			buf_puts(&sp[nsp].text, ", ");
			buf_put(&sp[nsp++].text, member.p, member.len);
		} else {
			sp[nsp].at = k + 1;
			buf_putc(&sp[nsp].text, ' ');
			buf_put(&sp[nsp].text, member.p, member.len);
			buf_putc(&sp[nsp++].text, ',');
		}
	} else if (first_on_line(t, close) && line_start(t, close) > open) {
		size_t ls = line_start(t, close), il = indent_len(t, len, ls);
		sp[nsp].at = ls;
		buf_put(&sp[nsp].text, t + ls, il);
		buf_puts(&sp[nsp].text, memchr(t + ls, '\t', il) ? "\t" : "  ");
		buf_put(&sp[nsp].text, member.p, member.len);
		buf_putc(&sp[nsp++].text, '\n');
	} else {
		sp[nsp].at = close;
		if (close > 0 && t[close - 1] != ' ')
			buf_putc(&sp[nsp].text, ' ');
		buf_put(&sp[nsp].text, member.p, member.len);
		buf_putc(&sp[nsp++].text, ' ');
	}
	apply(out, t, len, sp, nsp);
	for (size_t i = 0; i < nsp; i++)
		buf_free(&sp[i].text);
	buf_free(&member);
	return 0;
}

static const cJSON *walk(const cJSON *node, const struct seg *segs, size_t n, size_t *found)
{
	*found = 0;
	for (size_t i = 0; i < n; i++) {
		const cJSON *next;
		if (segs[i].index >= 0)
			next = cJSON_IsArray(node) ? cJSON_GetArrayItem(node, (int)segs[i].index)
			                           : NULL;
		else
			next = cJSON_IsObject(node)
			           ? cJSON_GetObjectItemCaseSensitive(node, segs[i].key)
			           : NULL;
		if (next == NULL)
			return node;
		node = next;
		(*found)++;
	}
	return node;
}

static int check_result(const char *text, size_t len, const struct seg *segs, size_t n,
                        const char *path, const char *value)
{
	struct json5_doc doc = { 0 };
	unsigned line, col;
	size_t found;
	int rc = 0;
	cJSON *want = cJSON_Parse(value);

	if (json5_parse(text, len, &doc, &line, &col) < 0) {
		rc = claw_fail("setting %s would break the file at %u:%u (%s)", path, line, col,
		               claw_error());
	} else {
		const cJSON *got = walk(doc.root, segs, n, &found);
		if (found != n || want == NULL || !cJSON_Compare(got, want, 1))
			rc = claw_fail("setting %s did not take: the file was not changed", path);
	}
	cJSON_Delete(want);
	json5_free(&doc);
	return rc;
}

int cfgedit_set(struct buf *text, const char *path, const char *value)
{
	struct seg segs[MAX_SEGS];
	size_t n, found;
	struct json5_doc doc = { 0 };
	unsigned line, col;
	struct buf out = { 0 };
	int rc = -1;
	const char *t = text->p ? text->p : "";

	if (parse_path(path, segs, &n) < 0)
		return -1;
	if (json5_parse(t, text->len, &doc, &line, &col) < 0)
		return claw_fail("%u:%u: %s", line, col, claw_error());
	const cJSON *node = walk(doc.root, segs, n, &found);
	if (found == n) {
		size_t s = pos(&doc, node, t, text->len), e = skip_value(t, text->len, s);
		struct splice sp = { .at = s, .cut = e - s };
		buf_puts(&sp.text, value);
		apply(&out, t, text->len, &sp, 1);
		buf_free(&sp.text);
	} else if (!cJSON_IsObject(node)) {
		claw_fail("%s: %s is not an object", path,
		          found ? segs[found - 1].key : "the config");
		goto done;
	} else {
		for (size_t i = found; i < n; i++)
			if (segs[i].index >= 0) {
				claw_fail("%s: no such array element", path);
				goto done;
			}
		if (insert_member(t, text->len, &doc, node, segs + found, n - found, value, &out) <
		    0)
			goto done;
	}
	if (check_result(out.p, out.len, segs, n, path, value) < 0)
		goto done;
	buf_free(text);
	*text = out;
	out = (struct buf){ 0 };
	rc = 0;
done:
	buf_free(&out);
	json5_free(&doc);
	return rc;
}
