/* gitconfig.c: git-config(1)'s syntax, as git's own parser (config.c) reads it. */
#include "core/gitconfig.h"

#include <stdbool.h>

#include "core/util.h"

struct cursor {
	const char *p, *end;
};

/* The next character, a CR LF as LF (as git reads it), or -1 at the end. */
static int next(struct cursor *c)
{
	if (c->p >= c->end)
		return -1;
	int ch = (unsigned char)*c->p++;
	if (ch == '\r' && c->p < c->end && *c->p == '\n')
		ch = (unsigned char)*c->p++;
	return ch;
}

static int peek(const struct cursor *c)
{
	struct cursor copy = *c;
	return next(&copy);
}

static bool blank(int ch)
{
	return ch == ' ' || ch == '\t';
}

static bool alpha(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool alnum(int ch)
{
	return alpha(ch) || (ch >= '0' && ch <= '9');
}

static char lower(int ch)
{
	return (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
}

static void skip_line(struct cursor *c)
{
	int ch;

	do
		ch = next(c);
	while (ch != '\n' && ch != -1);
}

/* A quoted subsection's text up to its closing quote; false at a line's end. */
static bool quoted_sub(struct cursor *c, struct buf *sub)
{
	for (;;) {
		int ch = next(c);
		if (ch == '"')
			return true;
		if (ch == '\\')
			ch = next(c);
		if (ch == '\n' || ch == -1)
			return false;
		buf_putc(sub, (char)ch);
	}
}

/* After '[': [section], [section "subsection"], [section.subsection]. */
static bool header(struct cursor *c, struct buf *sec, struct buf *sub, bool *has_sub)
{
	bool dotted = false;

	buf_reset(sec);
	buf_reset(sub);
	*has_sub = false;
	for (;;) {
		int ch = next(c);
		if (ch == ']')
			return sec->len > 0;
		if (blank(ch)) {
			while (blank(peek(c)))
				next(c);
			if (sec->len == 0 || dotted || next(c) != '"' || !quoted_sub(c, sub))
				return false;
			*has_sub = true;
			return next(c) == ']';
		}
		if (ch == '.' && sec->len > 0 && !dotted) {
			dotted = *has_sub = true; /* the old syntax: the rest, in lower case */
			continue;
		}
		if (!alnum(ch) && ch != '-' && ch != '.')
			return false;
		buf_putc(dotted ? sub : sec, lower(ch));
	}
}

/* After '=': the value up to the line's end (git's parse_value). False: malformed. */
static bool value(struct cursor *c, struct buf *v)
{
	bool quote = false, comment = false;
	size_t spaces = 0;

	buf_reset(v);
	for (;;) {
		int ch = next(c);
		if (ch == '\n' || ch == -1)
			return !quote;
		if (comment)
			continue;
		if (blank(ch) && !quote) {
			if (v->len > 0)
				spaces++;
			continue;
		}
		if (!quote && (ch == ';' || ch == '#')) {
			comment = true;
			continue;
		}
		for (; spaces > 0; spaces--)
			buf_putc(v, ' ');
		if (ch == '\\') {
			ch = next(c);
			if (ch == '\n')
				continue; /* the value goes on on the next line */
			if (ch == 't')
				ch = '\t';
			else if (ch == 'b')
				ch = '\b';
			else if (ch == 'n')
				ch = '\n';
			else if (ch != '\\' && ch != '"')
				return false;
		} else if (ch == '"') {
			quote = !quote;
			continue;
		}
		buf_putc(v, (char)ch);
	}
}

void gitconfig_parse(const char *text, size_t len, gitconfig_fn *fn, void *ctx)
{
	struct cursor c = { text, text + len };
	struct buf sec = { 0 }, sub = { 0 }, key = { 0 }, val = { 0 };
	bool in_section = false, has_sub = false;

	/* Allocated from the start: an empty value is "", never NULL (a bare key). */
	buf_grow(&sec, 0);
	buf_grow(&sub, 0);
	buf_grow(&key, 0);
	buf_grow(&val, 0);
	while (c.p < c.end) {
		int ch = next(&c);
		if (ch == '\n' || blank(ch))
			continue;
		if (ch == '#' || ch == ';') {
			skip_line(&c);
			continue;
		}
		if (ch == '[') {
			in_section = header(&c, &sec, &sub, &has_sub);
			if (!in_section)
				skip_line(&c);
			continue; /* a variable may follow on the same line */
		}
		if (!alpha(ch) || !in_section) {
			skip_line(&c);
			continue;
		}
		buf_reset(&key);
		for (; alnum(ch) || ch == '-'; ch = next(&c))
			buf_putc(&key, lower(ch));
		while (blank(ch))
			ch = next(&c);
		if (ch == '=') {
			if (value(&c, &val))
				fn(ctx, sec.p, has_sub ? sub.p : NULL, key.p, val.p);
			continue;
		}
		if (ch == '#' || ch == ';')
			skip_line(&c);
		else if (ch != '\n' && ch != -1) {
			skip_line(&c); /* malformed: passed over */
			continue;
		}
		fn(ctx, sec.p, has_sub ? sub.p : NULL, key.p, NULL);
	}
	buf_free(&sec);
	buf_free(&sub);
	buf_free(&key);
	buf_free(&val);
}
