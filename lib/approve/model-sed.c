/*
 * model-sed.c: sed's command language, read as GNU sed 4.9 compiles it
 * (compile.c): addresses, commands, blocks, labels, s and y with any
 * delimiter, and the flags after s.
 *
 * The reader accepts only commands that print and edit the stream. e (run
 * a command), r R (read a file), w W (write one) and s///e, s///w need a
 * person; so does anything the reader does not follow to the end of its
 * command, because GNU sed would either refuse it or read it some other
 * way. It stops short rather than reads too far.
 */
#include <ctype.h>
#include <string.h>

#include "approve/model-int.h"

struct sed {
	const char *s;
	size_t i;
	const char *why; /* the first thing that needs a person */
};

static bool fail(struct sed *x, const char *why)
{
	if (x->why == NULL)
		x->why = why;
	return false;
}

static void blanks(struct sed *x)
{
	while (x->s[x->i] == ' ' || x->s[x->i] == '\t')
		x->i++;
}

/* A regular expression or s/y part ending at delimiter D (GNU's match_slash). */
static bool delimited(struct sed *x, char d)
{
	for (;; x->i++) {
		char c = x->s[x->i];
		if (c == '\0' || c == '\n')
			return fail(x, "a sed script the model cannot read to its end");
		if (c == '\\') {
			if (x->s[x->i + 1] == '\0')
				return fail(x, "a sed script the model cannot read to its end");
			x->i++;
			continue;
		}
		if (c == d) {
			x->i++;
			return true;
		}
	}
}

/* The two parts of s/RE/TEXT/ or y/SRC/DST/ after the first delimiter D. */
static bool two_parts(struct sed *x, char d)
{
	for (int part = 0; part < 2; part++)
		if (!delimited(x, d))
			return false;
	return true;
}

/* One address: N, first~step, $, /re/ or \cREc with I and M flags. */
static bool address(struct sed *x, bool *had)
{
	const char *s = x->s;

	*had = true;
	if (isdigit((unsigned char)s[x->i])) {
		while (isdigit((unsigned char)s[x->i]))
			x->i++;
		if (s[x->i] == '~') {
			x->i++;
			while (isdigit((unsigned char)s[x->i]))
				x->i++;
		}
		return true;
	}
	if (s[x->i] == '$') {
		x->i++;
		return true;
	}
	if (s[x->i] == '/' || s[x->i] == '\\') {
		char d = '/';
		if (s[x->i] == '\\') {
			d = s[++x->i];
			if (d == '\0' || d == '\n' || d == '\\')
				return fail(x, "a sed address the model cannot read");
		}
		x->i++;
		if (!delimited(x, d))
			return false;
		while (s[x->i] == 'I' || s[x->i] == 'M')
			x->i++;
		return true;
	}
	*had = false;
	return true;
}

static bool addresses(struct sed *x)
{
	bool had;

	if (!address(x, &had))
		return false;
	blanks(x);
	if (had && x->s[x->i] == ',') {
		x->i++;
		blanks(x);
		if (x->s[x->i] == '+' || x->s[x->i] == '~') {
			x->i++;
			if (!isdigit((unsigned char)x->s[x->i]))
				return fail(x, "a sed address the model cannot read");
			while (isdigit((unsigned char)x->s[x->i]))
				x->i++;
		} else if (!address(x, &had) || !had) {
			return fail(x, "a sed address the model cannot read");
		}
	}
	blanks(x);
	while (x->s[x->i] == '!') {
		x->i++;
		blanks(x);
	}
	return true;
}

/* After a command: blanks, then the end of it (GNU's read_end_of_cmd). */
static bool end_of_command(struct sed *x)
{
	blanks(x);
	char c = x->s[x->i];
	if (c == '\0' || c == '}' || c == '#')
		return true;
	if (c == ';' || c == '\n') {
		x->i++;
		return true;
	}
	return fail(x, "a sed command the model cannot read to its end");
}

/* A label of : b t T: up to a blank, ;, } or the end (GNU's read_label). */
static void label(struct sed *x)
{
	blanks(x);
	while (x->s[x->i] && !strchr(" \t\n;}#", x->s[x->i]))
		x->i++;
}

static bool subst(struct sed *x)
{
	char d = x->s[x->i];

	if (d == '\0' || d == '\n' || d == '\\')
		return fail(x, "a sed s command the model cannot read");
	x->i++;
	if (!two_parts(x, d))
		return false;
	for (;; x->i++) {
		char c = x->s[x->i];
		if (c == 'e')
			return fail(x, "sed s///e runs the pattern space as a command");
		if (c == 'w')
			return fail(x, "sed s///w writes a file");
		if (c == '\0' || !strchr("gpiImM0123456789", c))
			return end_of_command(x);
	}
}

/* Text of a, i, c: the rest of the line (the analyser lets no newline through). */
static bool text(struct sed *x)
{
	x->i += strcspn(x->s + x->i, "\n");
	return true;
}

static bool command(struct sed *x, int *depth)
{
	char c = x->s[x->i++];

	switch (c) {
	case '{':
		++*depth;
		return true;
	case '}':
		if (--*depth < 0)
			return fail(x, "a sed } without {");
		return end_of_command(x);
	case '=':
	case 'd':
	case 'D':
	case 'g':
	case 'G':
	case 'h':
	case 'H':
	case 'n':
	case 'N':
	case 'p':
	case 'P':
	case 'x':
	case 'z':
	case 'F':
		return end_of_command(x);
	case 'l':
	case 'q':
	case 'Q':
	case 'L':
		blanks(x);
		while (isdigit((unsigned char)x->s[x->i]))
			x->i++;
		return end_of_command(x);
	case 'a':
	case 'i':
	case 'c':
		return text(x);
	case ':':
		label(x);
		return end_of_command(x);
	case 'b':
	case 't':
	case 'T':
		label(x);
		return end_of_command(x);
	case 's':
		return subst(x);
	case 'y':
		if (x->s[x->i] == '\0' || x->s[x->i] == '\\')
			return fail(x, "a sed y command the model cannot read");
		{
			char d = x->s[x->i++];
			if (!two_parts(x, d))
				return false;
		}
		return end_of_command(x);
	case 'v':
		label(x);
		return end_of_command(x);
	case 'e':
		return fail(x, "sed e runs a command");
	case 'r':
	case 'R':
		return fail(x, "sed r and R read a file into the output");
	case 'w':
	case 'W':
		return fail(x, "sed w and W write a file");
	default:
		return fail(x, "a sed command the model does not know");
	}
}

const char *sed_script_risk(const char *script)
{
	struct sed x = { script, 0, NULL };
	int depth = 0;

	for (;;) {
		while (x.s[x.i] && strchr(" \t\n;", x.s[x.i]))
			x.i++;
		if (x.s[x.i] == '\0')
			break;
		if (x.s[x.i] == '#') {
			x.i += strcspn(x.s + x.i, "\n");
			continue;
		}
		if (!addresses(&x) || !command(&x, &depth))
			return x.why;
	}
	return depth == 0 ? NULL : "a sed { without }";
}
