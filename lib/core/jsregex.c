/*
 * jsregex.c: a backtracking matcher for the JavaScript regular expressions
 * of OpenClaw's config schema (jsregex.h says which subset, and why).
 *
 * A pattern is parsed into a tree, the tree compiled into a small program
 * (Thompson's instructions: CHAR, CLASS, SPLIT, JMP, MATCH, plus LOOK for
 * lookahead), and the program run by a backtracking machine over the
 * subject's code points, as Russ Cox's "Regular Expression Matching: the
 * Virtual Machine Approach" describes. Counted repetition is compiled as
 * copies, so {0,63} is 63 optional copies, not a counter.
 */
#include "core/jsregex.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/util.h"

#define RE_MAX_PROG   (1 << 16) /* instructions */
#define RE_MAX_REPEAT 1000      /* the largest {n,m} bound */
#define RE_MAX_DEPTH  64        /* nesting of groups */
#define RE_BUDGET     200000L   /* steps per test: a value needing more is refused */

struct range {
	uint32_t lo, hi;
};

struct cls {
	struct range *r;
	size_t n, cap;
	bool neg;
};

enum kind { K_EMPTY, K_CHAR, K_ANY, K_CLASS, K_BOL, K_EOL, K_CAT, K_ALT, K_REPEAT, K_LOOK };

struct node {
	enum kind kind;
	uint32_t c;   /* K_CHAR: the code point; K_CLASS: the class */
	int min, max; /* K_REPEAT: max -1 is unbounded */
	bool neg;     /* K_LOOK: (?!...) */
	struct node *a, *b;
};

enum op { I_CHAR, I_ANY, I_CLASS, I_BOL, I_EOL, I_SPLIT, I_JMP, I_LOOK, I_MATCH };

struct inst {
	enum op op;
	bool neg;     /* I_LOOK: negative */
	bool in_look; /* inside a lookahead's program */
	uint32_t arg; /* I_CHAR: code point; I_CLASS: class */
	int x, y;     /* I_SPLIT: first x, then y; I_JMP, I_LOOK: x */
};

struct jsre {
	struct inst *prog;
	int nprog;
	size_t cap;
	int looking; /* lookaheads being compiled */
	struct cls *cls;
	size_t ncls, capcls;
	bool anchored; /* starts with ^: try position 0 only */
};

/* ---- the character sets JavaScript names ---- */

static const struct range digit_ranges[] = { { '0', '9' } };
static const struct range word_ranges[] = {
	{ '0', '9' }, { 'A', 'Z' }, { '_', '_' }, { 'a', 'z' }
};
/* WhiteSpace and LineTerminator of ECMA-262, which \s matches. */
static const struct range space_ranges[] = {
	{ 0x09, 0x0d },     { 0x20, 0x20 },     { 0xa0, 0xa0 },     { 0x1680, 0x1680 },
	{ 0x2000, 0x200a }, { 0x2028, 0x2029 }, { 0x202f, 0x202f }, { 0x205f, 0x205f },
	{ 0x3000, 0x3000 }, { 0xfeff, 0xfeff },
};
/* Unicode general categories Cc (control) and Cs (surrogate). */
static const struct range cc_ranges[] = { { 0x00, 0x1f }, { 0x7f, 0x9f } };
static const struct range cs_ranges[] = { { 0xd800, 0xdfff } };

struct named_set {
	const struct range *r;
	size_t n;
};

/* ---- parsing ---- */

struct parser {
	const char *p;
	struct jsre *re;
	int depth;
	const char *err;
};

static struct node *mk(enum kind kind, struct node *a, struct node *b)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->a = a;
	n->b = b;
	return n;
}

static void node_free(struct node *n)
{
	if (n == NULL)
		return;
	node_free(n->a);
	node_free(n->b);
	free(n);
}

/* Records the first error; -1, for the int parsers. */
static int bad(struct parser *ps, const char *msg)
{
	if (ps->err == NULL)
		ps->err = msg;
	return -1;
}

/* The same, NULL for the tree builders. */
static struct node *fail(struct parser *ps, const char *msg)
{
	bad(ps, msg);
	return NULL;
}

/* One UTF-8 code point from *s (at most END); bytes that are not UTF-8 are U+FFFD each. */
static uint32_t utf8_next(const unsigned char **s, const unsigned char *end)
{
	const unsigned char *p = *s;
	uint32_t c = *p;
	int n = c < 0x80             ? 0
	        : (c & 0xe0) == 0xc0 ? 1
	        : (c & 0xf0) == 0xe0 ? 2
	        : (c & 0xf8) == 0xf0 ? 3
	                             : -1;

	if (n <= 0 || end - p <= n) {
		*s = p + 1;
		return n == 0 ? c : 0xfffd;
	}
	c &= 0x3fu >> n; /* the lead byte's bits: 5, 4 or 3 */
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*s = p + 1;
			return 0xfffd;
		}
		c = (c << 6) | (p[i] & 0x3f);
	}
	*s = p + n + 1;
	return c;
}

static void cls_add(struct cls *c, uint32_t lo, uint32_t hi)
{
	ALLOC_GROW(c->r, c->n + 1, c->cap);
	c->r[c->n++] = (struct range){ lo, hi };
}

/* Adds SET, or everything outside it (SET is sorted and does not overlap). */
static void cls_add_set(struct cls *c, struct named_set set, bool complement)
{
	uint32_t next = 0;

	for (size_t i = 0; i < set.n; i++) {
		if (!complement)
			cls_add(c, set.r[i].lo, set.r[i].hi);
		else if (set.r[i].lo > next)
			cls_add(c, next, set.r[i].lo - 1);
		next = set.r[i].hi + 1;
	}
	if (complement && next <= 0x10ffff)
		cls_add(c, next, 0x10ffff);
}

static int hex_escape(struct parser *ps, int digits, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < digits; i++) {
		int h = hex_value(ps->p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + (uint32_t)h;
	}
	ps->p += digits;
	*out = v;
	return 0;
}

/*
 * A class escape after the backslash (\d \D \w \W \s \S \p{..} \P{..}):
 * true with *SET and *COMPLEMENT filled, false when it is not one.
 */
static bool class_escape(struct parser *ps, struct named_set *set, bool *complement)
{
	char e = *ps->p;

	*complement = e == 'D' || e == 'W' || e == 'S' || e == 'P';
	switch (e) {
	case 'd':
	case 'D':
		*set = (struct named_set){ digit_ranges, NELEM(digit_ranges) };
		break;
	case 'w':
	case 'W':
		*set = (struct named_set){ word_ranges, NELEM(word_ranges) };
		break;
	case 's':
	case 'S':
		*set = (struct named_set){ space_ranges, NELEM(space_ranges) };
		break;
	case 'p':
	case 'P':
		if (strncmp(ps->p + 1, "{Cc}", 4) == 0)
			*set = (struct named_set){ cc_ranges, NELEM(cc_ranges) };
		else if (strncmp(ps->p + 1, "{Cs}", 4) == 0)
			*set = (struct named_set){ cs_ranges, NELEM(cs_ranges) };
		else
			return bad(ps, "a Unicode property other than Cc and Cs") == 0;
		ps->p += 4;
		break;
	default:
		return false;
	}
	ps->p++;
	return true;
}

/* A character escape after the backslash: its code point, or -1 (ps->err set). */
static long char_escape(struct parser *ps, bool in_class)
{
	static const char controls[] = "n\nr\rt\tv\vf\f";
	char e = *ps->p;
	uint32_t v;

	if (e == '\0')
		return bad(ps, "a trailing backslash");
	for (const char *c = controls; *c; c += 2)
		if (e == c[0]) {
			ps->p++;
			return (unsigned char)c[1];
		}
	if (e == '0' && !(ps->p[1] >= '0' && ps->p[1] <= '9')) {
		ps->p++;
		return 0;
	}
	if (e == 'x' || e == 'u') {
		ps->p++;
		if (hex_escape(ps, e == 'x' ? 2 : 4, &v) < 0)
			return bad(ps, "a bad \\x or \\u escape");
		return v;
	}
	/* Unicode mode allows identity escapes of syntax characters only ('-' in a class). */
	if (strchr("^$\\.*+?()[]{}|/", e) != NULL || (in_class && e == '-')) {
		ps->p++;
		return (unsigned char)e;
	}
	return bad(ps, "an escape JavaScript's Unicode mode does not allow");
}

/* One class atom: a code point in *CP (returns 1), or a set added to C (returns 0), or -1. */
static int class_atom(struct parser *ps, struct cls *c, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)ps->p;

	if (*ps->p == '\\') {
		struct named_set set = { 0 };
		bool complement;
		ps->p++;
		if (class_escape(ps, &set, &complement)) {
			cls_add_set(c, set, complement);
			return 0;
		}
		if (ps->err != NULL)
			return -1;
		long v = char_escape(ps, true);
		if (v < 0)
			return -1;
		*cp = (uint32_t)v;
		return 1;
	}
	*cp = utf8_next(&s, s + strlen(ps->p));
	ps->p = (const char *)s;
	return 1;
}

static struct node *class_node(struct parser *ps, struct cls *c)
{
	struct node *n = mk(K_CLASS, NULL, NULL);

	ALLOC_GROW(ps->re->cls, ps->re->ncls + 1, ps->re->capcls);
	ps->re->cls[ps->re->ncls] = *c;
	n->c = (uint32_t)ps->re->ncls++;
	return n;
}

static struct node *parse_class(struct parser *ps)
{
	struct cls c = { 0 };

	ps->p++; /* [ */
	if (*ps->p == '^') {
		c.neg = true;
		ps->p++;
	}
	while (*ps->p != ']') {
		uint32_t lo, hi;
		int k;
		if (*ps->p == '\0' || (k = class_atom(ps, &c, &lo)) < 0) {
			free(c.r);
			return fail(ps, "an unterminated or bad character class");
		}
		if (k == 0)
			continue;
		if (ps->p[0] == '-' && ps->p[1] != ']' && ps->p[1] != '\0') {
			ps->p++;
			if (class_atom(ps, &c, &hi) != 1 || hi < lo) {
				free(c.r);
				return fail(ps, "a bad range in a character class");
			}
		} else {
			hi = lo;
		}
		cls_add(&c, lo, hi);
	}
	ps->p++;
	return class_node(ps, &c);
}

static struct node *parse_alt(struct parser *ps);

static struct node *parse_group(struct parser *ps)
{
	struct node *inner, *n;
	enum kind kind = K_EMPTY;
	bool neg = false;

	if (++ps->depth > RE_MAX_DEPTH)
		return fail(ps, "groups nested too deeply");
	ps->p++; /* ( */
	if (strncmp(ps->p, "?:", 2) == 0) {
		ps->p += 2;
	} else if (strncmp(ps->p, "?!", 2) == 0 || strncmp(ps->p, "?=", 2) == 0) {
		kind = K_LOOK;
		neg = ps->p[1] == '!';
		ps->p += 2;
	} else if (*ps->p == '?') {
		return fail(ps, "a group kind other than (?:, (?! and (?=");
	}
	if ((inner = parse_alt(ps)) == NULL)
		return NULL;
	if (*ps->p != ')') {
		node_free(inner);
		return fail(ps, "an unclosed group");
	}
	ps->p++;
	ps->depth--;
	if (kind != K_LOOK)
		return inner;
	n = mk(K_LOOK, inner, NULL);
	n->neg = neg;
	return n;
}

static struct node *parse_atom(struct parser *ps)
{
	struct node *n;
	const unsigned char *s = (const unsigned char *)ps->p;

	switch (*ps->p) {
	case '(':
		return parse_group(ps);
	case '[':
		return parse_class(ps);
	case '.':
		ps->p++;
		return mk(K_ANY, NULL, NULL);
	case '^':
		ps->p++;
		return mk(K_BOL, NULL, NULL);
	case '$':
		ps->p++;
		return mk(K_EOL, NULL, NULL);
	case '\\': {
		struct named_set set = { 0 };
		bool complement;
		ps->p++;
		if (class_escape(ps, &set, &complement)) {
			struct cls c = { 0 };
			cls_add_set(&c, set, complement);
			return class_node(ps, &c);
		}
		if (ps->err != NULL)
			return NULL;
		long v = char_escape(ps, false);
		if (v < 0)
			return NULL;
		n = mk(K_CHAR, NULL, NULL);
		n->c = (uint32_t)v;
		return n;
	}
	case '*':
	case '+':
	case '?':
	case '{':
	case ')':
	case ']':
	case '}':
		return fail(ps, "a quantifier or bracket with nothing before it");
	default:
		n = mk(K_CHAR, NULL, NULL);
		n->c = utf8_next(&s, s + strlen(ps->p));
		ps->p = (const char *)s;
		return n;
	}
}

static int read_count(struct parser *ps, int *out)
{
	long v = 0;

	if (!(*ps->p >= '0' && *ps->p <= '9'))
		return -1;
	while (*ps->p >= '0' && *ps->p <= '9') {
		v = v * 10 + (*ps->p++ - '0');
		if (v > RE_MAX_REPEAT)
			return -1;
	}
	*out = (int)v;
	return 0;
}

/* A quantifier after an atom, if there is one: fills MIN and MAX (-1 unbounded). */
static int parse_quant(struct parser *ps, int *min, int *max)
{
	switch (*ps->p) {
	case '*':
		*min = 0, *max = -1;
		break;
	case '+':
		*min = 1, *max = -1;
		break;
	case '?':
		*min = 0, *max = 1;
		break;
	case '{':
		ps->p++;
		if (read_count(ps, min) < 0)
			return bad(ps, "a bad {n,m} quantifier");
		*max = *min;
		if (*ps->p == ',') {
			ps->p++;
			*max = -1;
			if (*ps->p != '}' && (read_count(ps, max) < 0 || *max < *min))
				return bad(ps, "a bad {n,m} quantifier");
		}
		if (*ps->p != '}')
			return bad(ps, "a bad {n,m} quantifier");
		break;
	default:
		return 0;
	}
	ps->p++;
	if (*ps->p == '?') /* lazy: the same answer for a yes/no test */
		ps->p++;
	return 1;
}

static struct node *parse_cat(struct parser *ps)
{
	struct node *left = mk(K_EMPTY, NULL, NULL);

	while (*ps->p != '\0' && *ps->p != '|' && *ps->p != ')') {
		struct node *atom = parse_atom(ps);
		int min, max, q;
		if (atom == NULL || (q = parse_quant(ps, &min, &max)) < 0) {
			node_free(atom);
			node_free(left);
			return NULL;
		}
		if (q == 1) {
			if (atom->kind == K_BOL || atom->kind == K_EOL || atom->kind == K_LOOK) {
				node_free(atom);
				node_free(left);
				return fail(ps, "a quantified assertion");
			}
			atom = mk(K_REPEAT, atom, NULL);
			atom->min = min;
			atom->max = max;
		}
		left = mk(K_CAT, left, atom);
	}
	return left;
}

static struct node *parse_alt(struct parser *ps)
{
	struct node *left = parse_cat(ps);

	while (left != NULL && *ps->p == '|') {
		ps->p++;
		struct node *right = parse_cat(ps);
		if (right == NULL) {
			node_free(left);
			return NULL;
		}
		left = mk(K_ALT, left, right);
	}
	return left;
}

/* ---- compiling ---- */

static int emit(struct jsre *re, enum op op)
{
	if (re->nprog >= RE_MAX_PROG)
		return -1;
	ALLOC_GROW(re->prog, (size_t)re->nprog + 1, re->cap);
	re->prog[re->nprog] = (struct inst){ .op = op, .in_look = re->looking > 0 };
	return re->nprog++;
}

static int compile(struct jsre *re, const struct node *n);

static int compile_repeat(struct jsre *re, const struct node *n)
{
	int i, split, jmp, first = -1;

	for (i = 0; i < n->min; i++)
		if (compile(re, n->a) < 0)
			return -1;
	if (n->max < 0) { /* L: split body, out; body; jmp L */
		if ((split = emit(re, I_SPLIT)) < 0 || compile(re, n->a) < 0 ||
		    (jmp = emit(re, I_JMP)) < 0)
			return -1;
		re->prog[jmp].x = split;
		re->prog[split].x = split + 1;
		re->prog[split].y = re->nprog;
		return 0;
	}
	/* Each optional copy may end the repetition: its split's y is linked
	 * to the next split through y until the end is known. */
	for (; i < n->max; i++) {
		if ((split = emit(re, I_SPLIT)) < 0 || compile(re, n->a) < 0)
			return -1;
		re->prog[split].x = split + 1;
		re->prog[split].y = first;
		first = split;
	}
	while (first >= 0) {
		int next = re->prog[first].y;
		re->prog[first].y = re->nprog;
		first = next;
	}
	return 0;
}

static int compile(struct jsre *re, const struct node *n)
{
	int at;

	switch (n->kind) {
	case K_EMPTY:
		return 0;
	case K_CHAR:
	case K_CLASS:
		if ((at = emit(re, n->kind == K_CHAR ? I_CHAR : I_CLASS)) < 0)
			return -1;
		re->prog[at].arg = n->c;
		return 0;
	case K_ANY:
		return emit(re, I_ANY) < 0 ? -1 : 0;
	case K_BOL:
		return emit(re, I_BOL) < 0 ? -1 : 0;
	case K_EOL:
		return emit(re, I_EOL) < 0 ? -1 : 0;
	case K_CAT:
		return compile(re, n->a) < 0 || compile(re, n->b) < 0 ? -1 : 0;
	case K_ALT: { /* split L1, L2; L1: a; jmp L3; L2: b; L3: */
		int split, jmp;
		if ((split = emit(re, I_SPLIT)) < 0 || compile(re, n->a) < 0 ||
		    (jmp = emit(re, I_JMP)) < 0)
			return -1;
		re->prog[split].x = split + 1;
		re->prog[split].y = re->nprog;
		if (compile(re, n->b) < 0)
			return -1;
		re->prog[jmp].x = re->nprog;
		return 0;
	}
	case K_REPEAT:
		return compile_repeat(re, n);
	case K_LOOK: { /* look L; a; match; L: */
		int look, rc;
		if ((look = emit(re, I_LOOK)) < 0)
			return -1;
		re->looking++;
		rc = compile(re, n->a) < 0 || emit(re, I_MATCH) < 0 ? -1 : 0;
		re->looking--;
		if (rc < 0)
			return -1;
		re->prog[look].neg = n->neg;
		re->prog[look].x = re->nprog;
		return 0;
	}
	}
	return -1;
}

struct jsre *jsre_compile(const char *pattern)
{
	struct jsre *re = xcalloc(1, sizeof(*re));
	struct parser ps = { pattern, re, 0, NULL };
	struct node *tree = parse_alt(&ps);

	if (tree != NULL && *ps.p != '\0')
		fail(&ps, "an unmatched )");
	if (tree == NULL || ps.err != NULL) {
		claw_fail("pattern /%s/ at offset %td: %s", pattern, ps.p - pattern,
		          ps.err ? ps.err : "a syntax error");
		node_free(tree);
		jsre_free(re);
		return NULL;
	}
	if (compile(re, tree) < 0 || emit(re, I_MATCH) < 0) {
		claw_fail("pattern /%s/ is too large", pattern);
		node_free(tree);
		jsre_free(re);
		return NULL;
	}
	re->anchored = re->nprog > 0 && re->prog[0].op == I_BOL;
	node_free(tree);
	return re;
}

void jsre_free(struct jsre *re)
{
	if (re == NULL)
		return;
	for (size_t i = 0; i < re->ncls; i++)
		free(re->cls[i].r);
	free(re->cls);
	free(re->prog);
	free(re);
}

/* ---- matching ---- */

/*
 * The subject, and the states (pc, sp) already tried. The program has no
 * captures and no back-references, so whether a state reaches MATCH depends
 * on the state alone, and the first MATCH ends the test: a state tried once
 * has failed, and need not be tried again. That makes a test at most
 * (instructions x characters) steps, whatever the pattern. Not inside a
 * lookahead, though: a lookahead's MATCH ends only the lookahead, so its
 * states are tried afresh each time.
 */
struct subject {
	const uint32_t *cp;
	size_t n;
	long budget;
	unsigned char *seen; /* a bit per state, or NULL when that would be too big */
};

#define RE_MAX_SEEN_BITS (8UL << 20)

/* Whether (PC, SP) was tried before; marks it tried. */
static bool seen_before(const struct jsre *re, struct subject *s, int pc, size_t sp)
{
	if (s->seen == NULL || re->prog[pc].in_look)
		return false;
	size_t bit = (size_t)pc * (s->n + 1) + sp;
	unsigned char mask = (unsigned char)(1u << (bit & 7));
	bool was = (s->seen[bit >> 3] & mask) != 0;
	s->seen[bit >> 3] |= mask;
	return was;
}

static bool in_class(const struct cls *c, uint32_t cp)
{
	for (size_t i = 0; i < c->n; i++)
		if (cp >= c->r[i].lo && cp <= c->r[i].hi)
			return !c->neg;
	return c->neg;
}

static bool line_terminator(uint32_t cp)
{
	return cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029;
}

struct thread {
	int pc;
	size_t sp;
};

/* Pushes the other branch of a split, to come back to. */
static void push(struct thread **stack, size_t *depth, size_t *cap, int pc, size_t sp)
{
	ALLOC_GROW(*stack, *depth + 1, *cap);
	(*stack)[(*depth)++] = (struct thread){ pc, sp };
}

/*
 * One instruction of a thread: true when the thread goes on (PC and SP
 * moved), false when it fails. A lookahead runs its own program; its -1
 * (budget) comes back through *ABORT.
 */
static bool step(const struct jsre *re, int *pc, size_t *sp, struct subject *s,
                 struct thread **stack, size_t *depth, size_t *cap, bool *abort_run);

/* Whether the program from PC matches at SP: 1, 0, or -1 when the budget ran out. */
static int run(const struct jsre *re, int pc, size_t sp, struct subject *s)
{
	struct thread *stack = NULL;
	size_t depth = 0, cap = 0;
	bool abort_run = false;
	int result = 0;

	for (;;) {
		if (--s->budget < 0) {
			result = -1;
			break;
		}
		if (re->prog[pc].op == I_MATCH) {
			result = 1;
			break;
		}
		if (!seen_before(re, s, pc, sp) &&
		    step(re, &pc, &sp, s, &stack, &depth, &cap, &abort_run))
			continue;
		if (abort_run) {
			result = -1;
			break;
		}
		if (depth == 0)
			break;
		depth--;
		pc = stack[depth].pc;
		sp = stack[depth].sp;
	}
	free(stack);
	return result;
}

static bool step(const struct jsre *re, int *pc, size_t *sp, struct subject *s,
                 struct thread **stack, size_t *depth, size_t *cap, bool *abort_run)
{
	const struct inst *in = &re->prog[*pc];
	size_t at = *sp;
	int r;

	switch (in->op) {
	case I_CHAR:
		(*pc)++, (*sp)++;
		return at < s->n && s->cp[at] == in->arg;
	case I_ANY:
		(*pc)++, (*sp)++;
		return at < s->n && !line_terminator(s->cp[at]);
	case I_CLASS:
		(*pc)++, (*sp)++;
		return at < s->n && in_class(&re->cls[in->arg], s->cp[at]);
	case I_BOL:
		(*pc)++;
		return at == 0;
	case I_EOL:
		(*pc)++;
		return at == s->n;
	case I_JMP:
		*pc = in->x;
		return true;
	case I_SPLIT:
		push(stack, depth, cap, in->y, at);
		*pc = in->x;
		return true;
	case I_LOOK:
		if ((r = run(re, *pc + 1, at, s)) < 0) {
			*abort_run = true;
			return false;
		}
		*pc = in->x;
		return (r == 1) != in->neg;
	case I_MATCH:
		break;
	}
	return false;
}

int jsre_test(const struct jsre *re, const char *str, size_t len)
{
	const unsigned char *p = (const unsigned char *)str, *end = p + len;
	uint32_t *cp = xmalloc((len + 1) * sizeof(*cp));
	struct subject s = { cp, 0, RE_BUDGET, NULL };
	int r = 0;

	while (p < end)
		cp[s.n++] = utf8_next(&p, end);
	if ((size_t)re->nprog * (s.n + 1) <= RE_MAX_SEEN_BITS)
		s.seen = xcalloc((size_t)re->nprog * (s.n + 1) / 8 + 1, 1);
	for (size_t start = 0; start <= s.n; start++) {
		if ((r = run(re, 0, start, &s)) != 0 || re->anchored)
			break;
	}
	free(s.seen);
	free(cp);
	return r;
}
