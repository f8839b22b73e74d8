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

/* COMMENT's lines, each indented with the INDENT bytes of T at LS. */
static void comment_lines(struct buf *b, const char *comment, const char *t, size_t ls, size_t il,
                          const char *extra)
{
	for (const char *c = comment; c != NULL && *c != '\0';) {
		size_t n = strcspn(c, "\n");
		const char *line = c;
		while (line < c + n && (*line == ' ' || *line == '\t'))
			line++;
		buf_put(b, t + ls, il);
		buf_puts(b, extra);
		buf_put(b, line, (size_t)(c + n - line));
		buf_putc(b, '\n');
		c += n + (c[n] == '\n');
	}
}

/*
 * COMMENT's lines as one block comment and a space, for a member that goes
 * inside a line: "// a" and "// b" become "/\* a b *\/ " ("*\/" inside is
 * broken up, so the comment cannot end early).
 */
static void inline_comment(struct buf *b, const char *comment)
{
	bool any = false;

	for (const char *c = comment; c != NULL && *c != '\0';) {
		size_t n = strcspn(c, "\n");
		const char *line = c, *end = c + n;
		while (line < end && (*line == ' ' || *line == '\t'))
			line++;
		if (end - line >= 2 && line[0] == '/' && line[1] == '/')
			line += 2;
		while (line < end && *line == ' ')
			line++;
		if (line < end) {
			buf_puts(b, any ? " " : "/* ");
			for (const char *k = line; k < end; k++) {
				buf_putc(b, *k);
				if (*k == '*' && k + 1 < end && k[1] == '/')
					buf_putc(b, ' ');
			}
			any = true;
		}
		c = end + (*end == '\n');
	}
	if (any)
		buf_puts(b, " */ ");
}

static int insert_member(const char *t, size_t len, const struct json5_doc *doc, const cJSON *obj,
                         const struct seg *segs, size_t n, const char *value, const char *comment,
                         struct buf *out)
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
			comment_lines(&sp[nsp].text, comment, t, ls, indent_len(t, len, ls), "");
			buf_put(&sp[nsp].text, t + ls, indent_len(t, len, ls));
			buf_put(&sp[nsp].text, member.p, member.len);
			buf_puts(&sp[nsp++].text, comma ? ",\n" : "\n");
		} else if (!comma) {
			sp[nsp].at = e;
			buf_puts(&sp[nsp].text, ", ");
			inline_comment(&sp[nsp].text, comment);
			buf_put(&sp[nsp++].text, member.p, member.len);
		} else {
			sp[nsp].at = k + 1;
			buf_putc(&sp[nsp].text, ' ');
			inline_comment(&sp[nsp].text, comment);
			buf_put(&sp[nsp].text, member.p, member.len);
			buf_putc(&sp[nsp++].text, ',');
		}
	} else if (first_on_line(t, close) && line_start(t, close) > open) {
		size_t ls = line_start(t, close), il = indent_len(t, len, ls);
		const char *step = memchr(t + ls, '\t', il) ? "\t" : "  ";
		sp[nsp].at = ls;
		comment_lines(&sp[nsp].text, comment, t, ls, il, step);
		buf_put(&sp[nsp].text, t + ls, il);
		buf_puts(&sp[nsp].text, step);
		buf_put(&sp[nsp].text, member.p, member.len);
		buf_putc(&sp[nsp++].text, '\n');
	} else {
		sp[nsp].at = close;
		if (close > 0 && t[close - 1] != ' ')
			buf_putc(&sp[nsp].text, ' ');
		inline_comment(&sp[nsp].text, comment);
		buf_put(&sp[nsp].text, member.p, member.len);
		buf_putc(&sp[nsp++].text, ' ');
	}
	apply(out, t, len, sp, nsp);
	for (size_t i = 0; i < nsp; i++)
		buf_free(&sp[i].text);
	buf_free(&member);
	return 0;
}

/* TEXT becomes the edited OUT, which is left empty. */
static void take_over(struct buf *text, struct buf *out)
{
	buf_free(text);
	*text = *out;
	*out = (struct buf){ 0 };
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
	struct json5_doc doc = { 0 }, want = { 0 };
	unsigned line, col;
	size_t found;
	int rc = 0;

	if (json5_parse(value, strlen(value), &want, &line, &col) < 0) {
		rc = claw_fail("%s: the value to set is not JSON5 (%u:%u: %s)", path, line, col,
		               claw_error());
	} else if (json5_parse(text, len, &doc, &line, &col) < 0) {
		rc = claw_fail("setting %s would break the file at %u:%u (%s)", path, line, col,
		               claw_error());
	} else {
		const cJSON *got = walk(doc.root, segs, n, &found);
		if (found != n || !cJSON_Compare(got, want.root, 1))
			rc = claw_fail("setting %s did not take: the file was not changed", path);
	}
	json5_free(&want);
	json5_free(&doc);
	return rc;
}

int cfgedit_set(struct buf *text, const char *path, const char *value)
{
	return cfgedit_put(text, path, value, NULL);
}

int cfgedit_put(struct buf *text, const char *path, const char *value, const char *comment)
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
		if (insert_member(t, text->len, &doc, node, segs + found, n - found, value, comment,
		                  &out) < 0)
			goto done;
	}
	if (check_result(out.p, out.len, segs, n, path, value) < 0)
		goto done;
	take_over(text, &out);
	rc = 0;
done:
	buf_free(&out);
	json5_free(&doc);
	return rc;
}

/* ---- taking a member out ---- */

/* Spaces and tabs from I on. */
static size_t skip_spaces(const char *t, size_t len, size_t i)
{
	while (i < len && (t[i] == ' ' || t[i] == '\t'))
		i++;
	return i;
}

/*
 * Where the comment lines right above the line at LS start (LS when none):
 * whole lines of // comments, up to a blank line or anything else.
 */
static size_t comments_above(const char *t, size_t len, size_t ls)
{
	while (ls > 0) {
		size_t prev = line_start(t, ls - 1);
		size_t k = skip_spaces(t, len, prev);
		if (k + 1 >= len || t[k] != '/' || t[k + 1] != '/')
			break;
		ls = prev;
	}
	return ls;
}

/* The span of member NODE in T: what cfgedit_take removes, and its comments. */
struct span {
	size_t from, to;     /* removed */
	size_t vfrom, vto;   /* the value */
	size_t cfrom, cto;   /* comment lines above, inside the removed span */
	size_t tfrom, tto;   /* a // comment after it on its line */
	size_t comma_before; /* a comma before it to remove as well, or (size_t)-1 */
};

static void member_span(const char *t, size_t len, const struct json5_doc *doc, const cJSON *node,
                        struct span *sp)
{
	size_t ks = len, k;

	json5_key_offset_of(doc, node, &ks);
	sp->vfrom = pos(doc, node, t, len);
	sp->vto = skip_value(t, len, sp->vfrom);
	sp->comma_before = (size_t)-1;
	sp->tfrom = sp->tto = 0;
	k = skip_spaces(t, len, sp->vto);
	int comma = k < len && t[k] == ',';
	if (comma)
		k = skip_spaces(t, len, k + 1);
	if (!comma && node->prev != NULL && node->prev != node && node->prev->next == node) {
		/* The last member: the comma after the one before goes instead. */
		size_t e = skip_value(t, len, pos(doc, node->prev, t, len));
		size_t c = skip_spaces(t, len, e);
		if (c < len && t[c] == ',')
			sp->comma_before = c;
	}
	int own_lines = first_on_line(t, ks);
	if (own_lines && k + 1 < len && t[k] == '/' && t[k + 1] == '/') {
		sp->tfrom = k;
		while (k < len && !line_break(t, len, k))
			k++;
		sp->tto = k;
	}
	if (own_lines && (k >= len || line_break(t, len, k))) {
		sp->cto = line_start(t, ks);
		sp->cfrom = comments_above(t, len, sp->cto);
		sp->from = sp->cfrom;
		sp->to = k + line_break(t, len, k);
	} else {
		sp->cfrom = sp->cto = 0;
		sp->from = ks;
		sp->to = k;
	}
}

static char *span_comment(const char *t, const struct span *sp)
{
	struct buf b = { 0 };

	if (sp->cto > sp->cfrom)
		buf_put(&b, t + sp->cfrom, sp->cto - sp->cfrom);
	if (sp->tto > sp->tfrom) {
		buf_put(&b, t + sp->tfrom, sp->tto - sp->tfrom);
		buf_putc(&b, '\n');
	}
	return b.p; /* NULL when there is none */
}

/* The new file means the old one without PATH (its last segment SEGS[N-1]). */
static int check_taken(const char *text, size_t len, const cJSON *old_root, const struct seg *segs,
                       size_t n, const char *path)
{
	struct json5_doc doc = { 0 };
	unsigned line, col;
	int rc = 0;

	if (json5_parse(text, len, &doc, &line, &col) < 0)
		return claw_fail("taking %s out would break the file at %u:%u (%s)", path, line,
		                 col, claw_error());
	cJSON *want = cJSON_Duplicate(old_root, 1);
	size_t found;
	cJSON *parent = (cJSON *)walk(want, segs, n - 1, &found);
	cJSON_DeleteItemFromObjectCaseSensitive(parent, segs[n - 1].key);
	if (!cJSON_Compare(doc.root, want, 1))
		rc =
		    claw_fail("taking %s out changed more than it: the file was not changed", path);
	cJSON_Delete(want);
	json5_free(&doc);
	return rc;
}

int cfgedit_take(struct buf *text, const char *path, char **value, char **comment)
{
	struct seg segs[MAX_SEGS];
	size_t n, found;
	struct json5_doc doc = { 0 };
	unsigned line, col;
	struct buf out = { 0 };
	struct span sp;
	const char *t = text->p ? text->p : "";
	int rc = -1;

	*value = *comment = NULL;
	if (parse_path(path, segs, &n) < 0)
		return -1;
	if (segs[n - 1].index >= 0)
		return claw_fail("%s: an array element cannot be taken out", path);
	if (json5_parse(t, text->len, &doc, &line, &col) < 0)
		return claw_fail("%u:%u: %s", line, col, claw_error());
	const cJSON *node = walk(doc.root, segs, n, &found);
	if (found != n) {
		claw_fail("%s: no such key", path);
		goto done;
	}
	member_span(t, text->len, &doc, node, &sp);
	struct splice cut[2] = { 0 };
	size_t ncut = 0;
	if (sp.comma_before != (size_t)-1)
		cut[ncut++] = (struct splice){ .at = sp.comma_before, .cut = 1 };
	cut[ncut++] = (struct splice){ .at = sp.from, .cut = sp.to - sp.from };
	apply(&out, t, text->len, cut, ncut);
	if (check_taken(out.p, out.len, doc.root, segs, n, path) < 0)
		goto done;
	*value = xstrndup(t + sp.vfrom, sp.vto - sp.vfrom);
	*comment = span_comment(t, &sp);
	take_over(text, &out);
	rc = 0;
done:
	buf_free(&out);
	json5_free(&doc);
	return rc;
}
