/*
 * model-awk.c: awk programs, read by a conservative tokenizer.
 *
 * Strings, regular expressions and comments are skipped as awk skips them;
 * everything else is code. A program passes when it only reads its input
 * and prints: no system(), no pipe (`print | cmd`, `cmd | getline`, gawk's
 * |&), no output redirection (`print > file`, `>>`), no getline from a file
 * (`getline < file`), no @ directive (@load, @include, indirect calls).
 * A `>` is a redirection only inside a print or printf statement and
 * outside parentheses, as awk's grammar has it: `$3 > 100` is a comparison.
 *
 * Where a `/` may start a regular expression or divide, it divides unless
 * the token before it cannot end an operand: reading a regular expression
 * as code can only find more, reading code as a regular expression could
 * skip a system() call.
 */
#include <ctype.h>
#include <string.h>

#include "approve/model-int.h"

enum tok { T_START, T_OPERAND, T_OPERATOR, T_PRINT, T_OPEN, T_CLOSE, T_END };

struct awk {
	const char *s;
	size_t i;
	enum tok prev;
	bool in_print; /* inside a print or printf statement */
	int depth;     /* parentheses open */
	int print_depth;
	bool getline; /* a getline in this statement */
	const char *why;
};

/* A string ("...") or a regular expression (/.../) up to its closing END,
 * escapes skipped; WHY when it does not close on its line. */
static const char *skip_literal(struct awk *a, char end, const char *why)
{
	for (a->i++;; a->i++) {
		char c = a->s[a->i];
		if (c == '\0' || c == '\n')
			return why;
		if (c == '\\' && a->s[a->i + 1] != '\0') {
			a->i++;
			continue;
		}
		if (c == end) {
			a->i++;
			return NULL;
		}
	}
}

static void end_statement(struct awk *a)
{
	a->in_print = false;
	a->getline = false;
}

/* A word: a keyword or builtin that matters, or a name (an operand). */
static const char *word(struct awk *a)
{
	size_t start = a->i, n;

	while (isalnum((unsigned char)a->s[a->i]) || a->s[a->i] == '_')
		a->i++;
	n = a->i - start;
	const char *w = a->s + start;
#define IS(k) (n == sizeof(k) - 1 && strncmp(w, k, n) == 0)
	if (IS("system"))
		return "an awk program that runs a command (system)";
	if (IS("print") || IS("printf")) {
		a->in_print = true;
		a->print_depth = a->depth;
		a->prev = T_PRINT;
		return NULL;
	}
	if (IS("getline")) {
		a->getline = true;
		a->prev = T_OPERAND;
		return NULL;
	}
	if (IS("return") || IS("in") || IS("if") || IS("while") || IS("for") || IS("do") ||
	    IS("else") || IS("delete") || IS("exit") || IS("next") || IS("nextfile") ||
	    IS("function") || IS("func") || IS("BEGIN") || IS("END") || IS("BEGINFILE") ||
	    IS("ENDFILE")) {
		a->prev = T_OPERATOR;
		return NULL;
	}
#undef IS
	a->prev = T_OPERAND;
	return NULL;
}

static const char *operator(struct awk *a)
{
	const char *s = a->s + a->i;
	char c = s[0];

	if (c == '|') {
		if (s[1] == '|') {
			a->i += 2;
			a->prev = T_OPERATOR;
			return NULL;
		}
		return "an awk program with a pipe (it runs a command)";
	}
	if (c == '@')
		return "an awk @ directive (@load, @include, an indirect call)";
	if (c == '>') {
		if (a->in_print && a->depth == a->print_depth)
			return "an awk program that redirects its output to a file";
		a->i += s[1] == '=' ? 2 : 1;
		a->prev = T_OPERATOR;
		return NULL;
	}
	if (c == '<') {
		if (a->getline)
			return "an awk getline that reads a file";
		a->i += s[1] == '=' ? 2 : 1;
		a->prev = T_OPERATOR;
		return NULL;
	}
	if (c == '(' || c == '[') {
		a->depth += c == '(';
		a->i++;
		a->prev = T_OPEN;
		return NULL;
	}
	if (c == ')' || c == ']') {
		a->depth -= c == ')';
		a->i++;
		a->prev = T_CLOSE;
		return NULL;
	}
	if (c == ';' || c == '\n' || c == '{' || c == '}') {
		end_statement(a);
		a->i++;
		a->prev = T_START;
		return NULL;
	}
	if ((c == '+' && s[1] == '+') || (c == '-' && s[1] == '-')) {
		a->i += 2; /* postfix or prefix: a / after it divides, which is the safe reading */
		a->prev = T_OPERAND;
		return NULL;
	}
	if (c == '$') {
		a->i++;
		a->prev = T_OPERATOR;
		return NULL;
	}
	if (strchr("+-*%^!~=?:,&", c) != NULL) {
		a->i++;
		a->prev = T_OPERATOR;
		return NULL;
	}
	return "a character in an awk program the model does not know";
}

static const char *token(struct awk *a)
{
	char c = a->s[a->i];

	if (c == ' ' || c == '\t') {
		a->i++;
		return NULL;
	}
	if (c == '\\' && a->s[a->i + 1] == '\n') {
		a->i += 2;
		return NULL;
	}
	if (c == '#') {
		a->i += strcspn(a->s + a->i, "\n");
		return NULL;
	}
	if (c == '"') {
		a->prev = T_OPERAND;
		return skip_literal(a, '"', "an awk string the model cannot read to its end");
	}
	if (c == '/') {
		if (a->prev == T_OPERAND || a->prev == T_CLOSE) {
			a->i += a->s[a->i + 1] == '=' ? 2 : 1;
			a->prev = T_OPERATOR;
			return NULL;
		}
		a->prev = T_OPERAND;
		return skip_literal(a, '/',
		                    "an awk regular expression the model cannot read to its end");
	}
	if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)a->s[a->i + 1]))) {
		while (isalnum((unsigned char)a->s[a->i]) || a->s[a->i] == '.')
			a->i++;
		a->prev = T_OPERAND;
		return NULL;
	}
	if (isalpha((unsigned char)c) || c == '_')
		return word(a);
	return operator(a);
}

const char *awk_program_risk(const char *program)
{
	struct awk a = { .s = program, .prev = T_START };

	while (a.s[a.i] != '\0') {
		const char *why = token(&a);
		if (why != NULL)
			return why;
	}
	return NULL;
}
