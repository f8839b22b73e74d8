/*
 * Fuzz target: the shell analyser. No crash, no leak, and two invariants on
 * what it accepts:
 *   - an independent scan finds no unquoted shell metacharacter in it (no
 *     expansion, redirection, grouping, globbing, comment or control byte);
 *   - its segments, quoted back into a command line, parse to the same words
 *     and operators (the analyser reads words exactly, not roughly).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/shell.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool ends_word(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == ';' || c == '&' || c == '|';
}

/* Whether unquoted C at S[I] is a metacharacter, given where the word began. */
static bool meta(const char *s, size_t i, size_t word_start, bool first_word)
{
	unsigned char c = (unsigned char)s[i];

	if (c < 0x20 || c == 0x7f)
		return true;
	if (c == '$') { /* expands nothing before a blank, an operator or the end */
		char n = s[i + 1];
		return !(n == '\0' || n == ' ' || n == '\t' || n == ';' || n == '&' || n == '|');
	}
	if (strchr("$`(){}<>*?!", c))
		return true;
	if (c == '[' || c == ']')
		return !(i == word_start && ends_word(s[i + 1]));
	if (c == '~')
		return i == word_start || s[i - 1] == '=' || s[i - 1] == ':';
	if (c == '#')
		return i == word_start;
	if (c == '=')
		return first_word;
	return false;
}

/* The independent scan: true when S has an unquoted metacharacter, or an
 * operator other than && || ; |. */
static bool has_unquoted_meta(const char *s)
{
	size_t word_start = 0;
	bool in_word = false, first_word = true, quoted = false;

	for (size_t i = 0; s[i] != '\0'; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t') {
			if (in_word)
				first_word = false;
			in_word = false;
			continue;
		}
		if (c == ';' || c == '&' || c == '|') {
			if (c == '&' && s[i + 1] != '&')
				return true;
			if (c == ';' && (s[i + 1] == ';' || s[i + 1] == '&'))
				return true;
			if (c == '|' && s[i + 1] == '&')
				return true;
			if (s[i + 1] == c && c != ';')
				i++;
			in_word = false;
			first_word = true;
			quoted = false;
			continue;
		}
		if (!in_word) {
			word_start = i;
			in_word = true;
			quoted = false;
		}
		if (c == '\'') {
			const char *end = strchr(s + i + 1, '\'');
			if (end == NULL)
				return true;
			for (const char *p = s + i + 1; p < end; p++)
				if ((unsigned char)*p < 0x20 && *p != '\t')
					return true;
			i = (size_t)(end - s);
			quoted = true;
		} else if (c == '"') {
			for (i++; s[i] != '"'; i++) {
				if (s[i] == '$' && (s[i + 1] == ' ' || s[i + 1] == '\t' ||
				                    s[i + 1] == '"' || s[i + 1] == '\''))
					continue; /* a $ that expands nothing */
				if (s[i] == '\0' || s[i] == '$' || s[i] == '`' ||
				    ((unsigned char)s[i] < 0x20 && s[i] != '\t'))
					return true;
				if (s[i] == '\\' && s[i + 1] != '\0')
					i++;
			}
			quoted = true;
		} else if (c == '\\') {
			if ((unsigned char)s[i + 1] < 0x20)
				return true;
			i++;
			quoted = true;
		} else if (meta(s, i, quoted ? SIZE_MAX : word_start, first_word && !quoted)) {
			return true;
		}
	}
	return false;
}

static void requote(const struct shell_cmd *c, struct buf *b)
{
	for (int i = 0; i < c->nseg; i++) {
		for (int w = 0; w < c->seg[i].argc; w++) {
			if (w > 0)
				buf_putc(b, ' ');
			shell_quote(b, c->seg[i].argv[w]);
		}
		if (c->seg[i].op != SHELL_END) {
			buf_putc(b, ' ');
			buf_puts(b, shell_op_text(c->seg[i].op));
			buf_putc(b, ' ');
		}
	}
}

static void same(const struct shell_cmd *a, const struct shell_cmd *b)
{
	if (a->nseg != b->nseg)
		abort();
	for (int i = 0; i < a->nseg; i++) {
		if (a->seg[i].argc != b->seg[i].argc || a->seg[i].op != b->seg[i].op ||
		    a->seg[i].argv[a->seg[i].argc] != NULL)
			abort();
		for (int w = 0; w < a->seg[i].argc; w++)
			if (strcmp(a->seg[i].argv[w], b->seg[i].argv[w]) != 0)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	struct shell_cmd a = { 0 }, b = { 0 };
	struct buf again = { 0 };

	if (shell_parse(&a, s) == 0) {
		if (has_unquoted_meta(s) || a.nseg < 1 || a.nseg > SHELL_MAX_SEGMENTS)
			abort();
		requote(&a, &again);
		if (shell_parse(&b, again.p) != 0)
			abort();
		same(&a, &b);
	} else if (a.reason == NULL || a.at > size) {
		abort(); /* a refusal always says why and where */
	}
	shell_free(&a);
	shell_free(&b);
	buf_free(&again);
	free(s);
	return 0;
}
