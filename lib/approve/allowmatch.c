/* allowmatch.c: allow-list entries against programs and arguments (see allowmatch.h). */
#include "approve/allowmatch.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/execpath.h"
#include "core/glob.h"
#include "core/pathreal.h"
#include "core/util.h"

/* ---- JavaScript regular expressions, translated into POSIX extended ones ---- */

/*
 * A set of ASCII characters. Everything an argument can hold is in the
 * universe: tab and the printable characters (the shell analyser refuses
 * other control characters). Bytes of other characters are never in a set:
 * where JavaScript would match one, claw does not (stricter, never looser).
 */
struct cset {
	uint64_t w[2];
};

#define QUANT_MAX 255 /* RE_DUP_MAX is 32767; nobody means more */

static void set_add(struct cset *s, int c)
{
	s->w[c >> 6] |= 1ULL << (c & 63);
}

static bool set_has(const struct cset *s, int c)
{
	return (s->w[c >> 6] >> (c & 63)) & 1;
}

static void set_range(struct cset *s, int lo, int hi)
{
	for (int c = lo; c <= hi; c++)
		set_add(s, c);
}

static bool in_universe(int c)
{
	return c == '\t' || (c >= ' ' && c <= '~');
}

/* What a negated set matches: the universe but S. */
static void set_negate(struct cset *s)
{
	struct cset n = { { 0, 0 } };

	for (int c = 0; c < 128; c++)
		if (in_universe(c) && !set_has(s, c))
			set_add(&n, c);
	*s = n;
}

static void set_union(struct cset *s, const struct cset *t)
{
	s->w[0] |= t->w[0];
	s->w[1] |= t->w[1];
}

static int set_size(const struct cset *s)
{
	return __builtin_popcountll(s->w[0]) + __builtin_popcountll(s->w[1]);
}

/* \d \w \s and their negations, as sets. */
static bool class_escape(char e, struct cset *s)
{
	memset(s, 0, sizeof(*s));
	switch (tolower((unsigned char)e)) {
	case 'd':
		set_range(s, '0', '9');
		break;
	case 'w':
		set_range(s, '0', '9'), set_range(s, 'A', 'Z'), set_range(s, 'a', 'z');
		set_add(s, '_');
		break;
	case 's':
		set_add(s, ' '), set_range(s, '\t', '\r');
		break;
	default:
		return false;
	}
	if (isupper((unsigned char)e))
		set_negate(s);
	return true;
}

/* Characters that mean themselves outside brackets in both syntaxes. */
static bool plain(int c)
{
	return isalnum(c) || (c != '\0' && strchr(" _/:=,@%!\"#&',;<>`~-", c) != NULL);
}

/*
 * S as one bracket expression that means S and nothing else: `]` first, `[`
 * and `^` where they cannot start a class or negate it, `-` last.
 */
static void emit_set(struct buf *b, const struct cset *s)
{
	int n = set_size(s);

	for (int c = 0; c < 128 && n == 1; c++)
		if (set_has(s, c) && plain(c))
			return (void)buf_putc(b, (char)c);
	if (n == 1 && set_has(s, '^'))
		return (void)buf_puts(b, "\\^");
	buf_putc(b, '[');
	bool first = true;
	if (set_has(s, ']'))
		buf_putc(b, ']'), first = false;
	for (int c = 0; c < 128; c++)
		if (set_has(s, c) && !strchr("]-[^", c))
			buf_putc(b, (char)c), first = false;
	if (set_has(s, '['))
		buf_putc(b, '['), first = false;
	if (set_has(s, '^') && first && set_has(s, '-'))
		buf_puts(b, "-^");
	else if (set_has(s, '^'))
		buf_putc(b, '^');
	if (set_has(s, '-') && !(set_has(s, '^') && first))
		buf_putc(b, '-');
	buf_putc(b, ']');
}

struct tr {
	const char *p;
	struct buf *out;
	const char *why;
	int depth;
};

static int refuse(struct tr *t, const char *why)
{
	if (t->why == NULL)
		t->why = why;
	return -1;
}

static int hex(const char *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)p[i]))
			return -1;
		v = v * 16 + (isdigit((unsigned char)p[i]) ? p[i] - '0' : tolower(p[i]) - 'a' + 10);
	}
	return v;
}

/*
 * One escape, T->p just past the backslash: a set (*S) or a character
 * (returned). IN_CLASS: inside brackets, where \b is a backspace.
 */
static int escape(struct tr *t, struct cset *s, bool *is_set, bool in_class)
{
	char e = *t->p++;
	int v;

	*is_set = false;
	if (e == '\0')
		return refuse(
		    t,
		    "argPattern: a backslash at the end (claw cannot match it as OpenClaw does)");
	if (class_escape(e, s))
		return *is_set = true, 0;
	switch (e) {
	case 't':
		return '\t';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 'v':
		return '\v';
	case 'f':
		return '\f';
	case 'b':
		return in_class ? '\b'
		                : refuse(t, "argPattern: \\b (word boundaries) (claw cannot match "
		                            "it as OpenClaw does)");
	case 'B':
		return refuse(
		    t, "argPattern: \\B (word boundaries) (claw cannot match it as OpenClaw does)");
	case 'c':
		return refuse(
		    t,
		    "argPattern: \\c (control characters) (claw cannot match it as OpenClaw does)");
	case 'x':
	case 'u':
		v = hex(t->p, e == 'x' ? 2 : 4);
		if (v < 0)
			return e; /* not an escape in JavaScript either: the letter */
		if (v == 0 || v >= 0x80)
			return refuse(t, "argPattern: \\x or \\u of a character outside ASCII "
			                 "(claw cannot match it as OpenClaw does)");
		t->p += e == 'x' ? 2 : 4;
		return v;
	default:
		if (e >= '0' && e <= '9')
			return refuse(t, "argPattern: backreferences or \\0 (claw cannot match it "
			                 "as OpenClaw does)");
		if ((unsigned char)e >= 0x80)
			return refuse(t, "argPattern: a non-ASCII character after a backslash "
			                 "(claw cannot match it as OpenClaw does)");
		return e; /* an identity escape: \. \/ \- \$ ... */
	}
}

/* [...] with T->p just past the `[`. */
static int bracket(struct tr *t)
{
	struct cset s = { { 0, 0 } }, e;
	bool neg = *t->p == '^', is_set;

	t->p += neg;
	if (*t->p == ']')
		return refuse(t, "argPattern: [] or [^] (a class of nothing, or of everything) "
		                 "(claw cannot match it as OpenClaw does)");
	while (*t->p != ']') {
		int lo;
		if (*t->p == '\0')
			return refuse(
			    t, "argPattern: an unclosed [ (claw cannot match it as OpenClaw does)");
		if ((unsigned char)*t->p >= 0x80)
			return refuse(t, "argPattern: a non-ASCII character in brackets (claw "
			                 "cannot match it as OpenClaw does)");
		if (*t->p == '\\') {
			t->p++;
			if ((lo = escape(t, &e, &is_set, true)) < 0)
				return -1;
			if (is_set) {
				set_union(&s, &e);
				continue;
			}
		} else {
			lo = (unsigned char)*t->p++;
		}
		if (t->p[0] == '-' && t->p[1] != ']' && t->p[1] != '\0' && t->p[1] != '\\') {
			int hi = (unsigned char)t->p[1];
			if (hi >= 0x80 || hi < lo)
				return refuse(t, "argPattern: a range out of order or outside "
				                 "ASCII (claw cannot match it as OpenClaw does)");
			set_range(&s, lo, hi);
			t->p += 2;
		} else {
			set_add(&s, lo);
		}
	}
	t->p++;
	if (neg)
		set_negate(&s);
	else /* what no argument holds cannot count */
		for (int c = 0; c < 128; c++)
			if (!in_universe(c) && set_has(&s, c))
				s.w[c >> 6] &= ~(1ULL << (c & 63));
	if (set_size(&s) == 0)
		return refuse(t, "argPattern: a class no argument can match (claw cannot match it "
		                 "as OpenClaw does)");
	emit_set(t->out, &s);
	return 0;
}

/* {n}, {n,}, {n,m} at T->p: 1 and emitted when it is a quantifier, 0 when `{` is a literal. */
static int braces(struct tr *t)
{
	char *end;
	long n = strtol(t->p + 1, &end, 10), m = n;

	if (!isdigit((unsigned char)t->p[1]))
		return 0;
	if (*end == ',') {
		m = isdigit((unsigned char)end[1]) ? strtol(end + 1, &end, 10) : -1;
		if (m == -1)
			end++;
	}
	if (*end != '}')
		return 0;
	if (n > QUANT_MAX || m > QUANT_MAX || (m >= 0 && m < n))
		return refuse(t, "argPattern: a repetition count out of order or over 255 (claw "
		                 "cannot match it as OpenClaw does)");
	buf_put(t->out, t->p, (size_t)(end + 1 - t->p));
	t->p = end + 1;
	return 1;
}

static int alternatives(struct tr *t);

/* One atom; *QUANTIFIABLE says whether a quantifier may follow it. */
static int atom(struct tr *t, bool *quantifiable)
{
	struct cset s;
	bool is_set;
	int c = (unsigned char)*t->p;

	*quantifiable = true;
	switch (c) {
	case '(':
		if (t->p[1] == '?' && t->p[2] != ':')
			return refuse(t, "argPattern: lookarounds or named groups (claw cannot "
			                 "match it as OpenClaw does)");
		t->p += t->p[1] == '?' ? 3 : 1;
		buf_putc(t->out, '(');
		if (alternatives(t) < 0)
			return -1;
		if (*t->p != ')')
			return refuse(
			    t, "argPattern: an unclosed ( (claw cannot match it as OpenClaw does)");
		t->p++;
		buf_putc(t->out, ')');
		return 0;
	case '[':
		t->p++;
		return bracket(t);
	case '.':
		t->p++;
		memset(&s, 0, sizeof(s));
		set_negate(&s);
		emit_set(t->out, &s);
		return 0;
	case '^':
	case '$':
		t->p++;
		*quantifiable = false;
		buf_putc(t->out, (char)c);
		return 0;
	case '*':
	case '+':
	case '?':
		return refuse(
		    t,
		    "argPattern: a repetition of nothing (claw cannot match it as OpenClaw does)");
	case '\\':
		t->p++;
		if ((c = escape(t, &s, &is_set, false)) < 0)
			return -1;
		if (!is_set) {
			memset(&s, 0, sizeof(s));
			set_add(&s, c);
		}
		emit_set(t->out, &s);
		return 0;
	default:
		if (c >= 0x80) { /* a whole UTF-8 character, as one atom */
			size_t n = 1;
			while ((t->p[n] & 0xc0) == 0x80)
				n++;
			buf_putc(t->out, '(');
			buf_put(t->out, t->p, n);
			buf_putc(t->out, ')');
			t->p += n;
			return 0;
		}
		memset(&s, 0, sizeof(s));
		set_add(&s, c);
		emit_set(t->out, &s);
		t->p++;
		return 0;
	}
}

/* At most one quantifier after an atom, lazy or not: JavaScript refuses a second. */
static int quantifier(struct tr *t, bool quantifiable)
{
	int q = 0;

	if (*t->p == '*' || *t->p == '+' || *t->p == '?')
		buf_putc(t->out, *t->p++), q = 1;
	else if (*t->p == '{' && (q = braces(t)) < 0)
		return -1;
	if (q == 0)
		return 0;
	if (!quantifiable)
		return refuse(t, "argPattern: a repetition of an anchor (claw cannot match it as "
		                 "OpenClaw does)");
	if (*t->p == '?') /* lazy: for a match of the whole string, the same */
		t->p++;
	if (*t->p == '*' || *t->p == '+' || *t->p == '?' || (*t->p == '{' && braces(t) != 0))
		return refuse(t,
		              "argPattern: a repetition of a repetition (claw cannot match it as "
		              "OpenClaw does)");
	return 0;
}

/* A sequence of atoms, up to `|`, `)` or the end. */
static int sequence(struct tr *t)
{
	size_t start = t->out->len;

	while (*t->p != '\0' && *t->p != '|' && !(*t->p == ')' && t->depth > 0)) {
		bool quantifiable;
		if (*t->p == '{' && braces(t) != 0)
			return refuse(t, "argPattern: a repetition of nothing (claw cannot match "
			                 "it as OpenClaw does)");
		if (*t->p == ')')
			return refuse(
			    t,
			    "argPattern: an unmatched ) (claw cannot match it as OpenClaw does)");
		if (atom(t, &quantifiable) < 0 || quantifier(t, quantifiable) < 0)
			return -1;
	}
	if (t->out->len == start)
		buf_puts(t->out, "()"); /* an empty alternative matches the empty string */
	return 0;
}

static int alternatives(struct tr *t)
{
	t->depth++;
	for (;;) {
		if (sequence(t) < 0)
			return -1;
		if (*t->p != '|')
			break;
		buf_putc(t->out, *t->p++);
	}
	t->depth--;
	return 0;
}

int allowmatch_compile(const char *arg_pattern, regex_t *re, const char **why)
{
	struct buf b = { 0 };
	struct tr t = { .p = arg_pattern, .out = &b };

	buf_puts(&b, "^(");
	t.depth = -1; /* the top level: a `)` there is unmatched */
	int rc = alternatives(&t);
	if (rc == 0 && *t.p != '\0')
		rc = refuse(&t, "an unmatched )");
	buf_puts(&b, ")$");
	if (rc == 0 && regcomp(re, b.p, REG_EXTENDED | REG_NOSUB) != 0)
		rc = refuse(&t, "an expression POSIX cannot compile");
	buf_free(&b);
	*why = t.why;
	return rc;
}

/* ---- arguments, as written and normalised ---- */

/* ARG as where it leads, when it is a path: relative to CWD_REAL when inside it. */
static void normalised(const char *arg, const char *cwd, const char *cwd_real, struct buf *b)
{
	char real[PATH_MAX];
	struct stat st;
	const char *eq = arg[0] == '-' ? strchr(arg, '=') : NULL;
	const char *path = eq ? eq + 1 : arg;
	enum path_found f = path_real(cwd, NULL, path, real, &st);

	if (f == PATH_NOTHING || f == PATH_UNKNOWN || (f == PATH_NEW && !strchr(path, '/'))) {
		buf_puts(b, arg);
		return;
	}
	buf_put(b, arg, (size_t)(path - arg));
	if (path[0] != '/' && cwd_real[0] && path_within(real, cwd_real)) {
		size_t n = strcmp(cwd_real, "/") == 0 ? 0 : strlen(cwd_real);
		buf_puts(b, real[n] == '\0' ? "." : real + n + 1);
	} else {
		buf_puts(b, real);
	}
}

bool allowmatch_args(const regex_t *re, char *const *argv, int argc, const char *cwd)
{
	struct buf raw = { 0 }, norm = { 0 };
	char cwd_real[PATH_MAX];

	buf_puts(&raw, "");
	buf_puts(&norm, "");
	if (cwd == NULL || realpath(cwd, cwd_real) == NULL)
		cwd_real[0] = '\0';
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			buf_putc(&raw, ' '), buf_putc(&norm, ' ');
		buf_puts(&raw, argv[i]);
		normalised(argv[i], cwd ? cwd : "/", cwd_real, &norm);
	}
	bool ok = regexec(re, raw.p, 0, NULL, 0) == 0 && regexec(re, norm.p, 0, NULL, 0) == 0;
	buf_free(&raw);
	buf_free(&norm);
	return ok;
}

/* ---- paths ---- */

/*
 * A path entry names the program's real file, as OpenClaw matches it: an
 * entry naming a symlink (/usr/bin/python3 -> python3.11) does not match,
 * since whoever can change the link chooses what runs. A wildcard must hold
 * for the path the shell runs too, so a link dropped into an allowed
 * directory does not pass.
 */
bool allowmatch_path(const char *pattern, const struct exec_file *f)
{
	if (!f->found || f->real[0] == '\0')
		return false;
	if (glob_has_wildcard(pattern))
		return glob_match(pattern, f->real) && glob_match(pattern, f->path);
	return strcmp(pattern, f->real) == 0;
}
