/*
 * shell.c: the command analyser (see shell.h).
 *
 * One pass over the bytes, left to right, as sh's tokeniser reads them. The
 * rule is an allow list of syntax: a byte is accepted only where its meaning
 * to sh is known and plain. Every other case names what sh would have done
 * with it, so a person reading the refusal knows what to rewrite.
 */
#include "core/shell.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct parser {
	struct shell_cmd *cmd;
	const char *s;
	size_t pos;      /* next byte to read */
	char *out;       /* next byte of cmd->text to write */
	size_t nwords;   /* entries used in cmd->words */
	size_t seg_word; /* index in cmd->words of the current segment's first word */
	int seg_argc;
	size_t seg_start;
};

/* Bytes that end a word outside quotes. The other operators (< > ( )) are
 * refused where they appear, so they never get here as separators. */
static bool ends_word(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == ';' || c == '&' || c == '|';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int fail(struct parser *p, size_t at, const char *reason)
{
	p->cmd->reason = reason;
	p->cmd->at = at;
	return claw_fail("%s at byte %zu", reason, at + 1);
}

/* ---- what a byte means where it stands ---- */

static const char *control_reason(unsigned char c)
{
	if (c == '\n')
		return "newline (only one line is analysed)";
	if (c == '\r')
		return "carriage return";
	return "control character";
}

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/*
 * A `$` that starts no expansion is an ordinary character to sh: before a
 * blank, an operator or the end of the command, and inside double quotes
 * before the closing quote (`grep "x$"`) or a single quote (`"$'"` expands
 * nothing there). Every other `$` fails, whatever follows it, rather than
 * being reasoned about.
 */
static bool literal_dollar(char next, bool in_double_quotes)
{
	if (next == ' ' || next == '\t')
		return true;
	if (in_double_quotes)
		return next == '"' || next == '\'';
	return next == '\0' || next == ';' || next == '&' || next == '|';
}

/* What `$` followed by NEXT would expand. */
static const char *dollar_reason(char next)
{
	if (next == '(')
		return "command substitution '$('";
	if (next == '{')
		return "parameter expansion '${'";
	if (next == '\'')
		return "ANSI-C quoting \"$'\"";
	if (next == '"')
		return "locale quoting '$\"'";
	if (next == '[')
		return "arithmetic expansion '$['";
	return "parameter expansion '$'";
}

/*
 * Reason to refuse the unquoted byte at s[i], or NULL when it is a plain word
 * character. AT_START: nothing of the word has been read yet. FIRST_WORD: the
 * word is the first of its command. PREV: the previous byte when it was plain
 * and unquoted, else 0.
 */
static const char *unquoted_reason(const char *s, size_t i, bool at_start, bool first_word,
                                   char prev)
{
	unsigned char c = (unsigned char)s[i];

	if (is_control(c))
		return control_reason(c);
	switch (c) {
	case '<':
		if (s[i + 1] == '(')
			return "process substitution '<('";
		return s[i + 1] == '<' ? "heredoc '<<'" : "redirection '<'";
	case '>':
		return s[i + 1] == '(' ? "process substitution '>('" : "redirection '>'";
	case '(':
	case ')':
		return "subshell or group '(' ')'";
	case '$':
		return literal_dollar(s[i + 1], false) ? NULL : dollar_reason(s[i + 1]);
	case '`':
		return "command substitution '`'";
	case '*':
	case '?':
		return "unquoted glob character '*' or '?'";
	case '[':
	case ']':
		/* A word that is exactly "[" or "]" is literal (test's brackets). */
		if (at_start && ends_word(s[i + 1]))
			return NULL;
		return "unquoted glob character '[' or ']'";
	case '{':
	case '}':
		return "brace '{' '}' (expansion or group)";
	case '~':
		if (at_start || prev == '=' || prev == ':')
			return "tilde expansion '~'";
		return NULL;
	case '#':
		return at_start ? "comment '#'" : NULL;
	case '!':
		return "'!' (negation or history expansion)";
	case '=':
		return first_word ? "variable assignment before the command" : NULL;
	default:
		return NULL;
	}
}

/* ---- quoting ---- */

static int single_quoted(struct parser *p, size_t *i)
{
	size_t open = *i;

	for (size_t j = open + 1;; j++) {
		unsigned char c = (unsigned char)p->s[j];
		if (c == '\0')
			return fail(p, open, "unterminated single quote");
		if (c == '\'') {
			*i = j + 1;
			return 0;
		}
		if (is_control(c) && c != '\t')
			return fail(p, j, control_reason(c));
		*p->out++ = (char)c;
	}
}

static int double_quoted(struct parser *p, size_t *i)
{
	size_t open = *i;

	for (size_t j = open + 1;; j++) {
		unsigned char c = (unsigned char)p->s[j];
		if (c == '\0')
			return fail(p, open, "unterminated double quote");
		if (c == '"') {
			*i = j + 1;
			return 0;
		}
		if (c == '$' && !literal_dollar(p->s[j + 1], true))
			return fail(p, j, dollar_reason(p->s[j + 1]));
		if (c == '`')
			return fail(p, j, "command substitution '`'");
		if (is_control(c) && c != '\t')
			return fail(p, j, control_reason(c));
		if (c == '\\') {
			unsigned char n = (unsigned char)p->s[j + 1];
			if (n == '\0')
				return fail(p, open, "unterminated double quote");
			if (is_control(n) && n != '\t')
				return fail(p, j + 1,
				            n == '\n' ? "line continuation" : control_reason(n));
			/* Inside double quotes a backslash escapes only these four;
			 * before anything else it stays a backslash. */
			if (n == '$' || n == '`' || n == '"' || n == '\\') {
				*p->out++ = (char)n;
				j++;
				continue;
			}
		}
		*p->out++ = (char)c;
	}
}

static int backslash(struct parser *p, size_t *i)
{
	unsigned char n = (unsigned char)p->s[*i + 1];

	if (n == '\0')
		return fail(p, *i, "backslash at the end of the command");
	if (n == '\n' || n == '\r')
		return fail(p, *i, "line continuation");
	if (is_control(n))
		return fail(p, *i + 1, control_reason(n));
	*p->out++ = (char)n;
	*i += 2;
	return 0;
}

/* ---- words and commands ---- */

/* Shell keywords (POSIX and bash). Unquoted as a command's first word they
 * start control flow, which is not analysed. `time` is a bash keyword too, but
 * it only times what follows: it is judged as the time wrapper instead. */
static const char *const keywords[] = {
	"if",    "then",  "else", "elif", "fi",     "do",       "done",   "case", "esac",
	"while", "until", "for",  "in",   "select", "function", "coproc", "[[",   "]]",
};

static bool is_keyword(const char *w)
{
	for (size_t k = 0; k < NELEM(keywords); k++)
		if (strcmp(w, keywords[k]) == 0)
			return true;
	return false;
}

static int parse_word(struct parser *p)
{
	char *word = p->out;
	bool first = p->seg_argc == 0, quoted = false;
	size_t i = p->pos, start = p->pos;

	while (!ends_word(p->s[i])) {
		char c = p->s[i];
		int rc = 0;
		if (c == '\'' || c == '"' || c == '\\') {
			rc = c == '\''  ? single_quoted(p, &i)
			     : c == '"' ? double_quoted(p, &i)
			                : backslash(p, &i);
			quoted = true;
		} else {
			bool at_start = p->out == word && !quoted;
			const char *why = unquoted_reason(p->s, i, at_start, first && !quoted,
			                                  p->out > word ? p->out[-1] : 0);
			if (why != NULL)
				return fail(p, i, why);
			*p->out++ = c;
			i++;
		}
		if (rc < 0)
			return -1;
	}
	*p->out++ = '\0';
	if (first && !quoted && is_keyword(word))
		return fail(p, start, "shell keyword (control flow is not analysed)");
	p->cmd->words[p->nwords++] = word;
	p->seg_argc++;
	p->pos = i;
	return 0;
}

static int end_segment(struct parser *p, enum shell_op op, size_t end)
{
	struct shell_cmd *cmd = p->cmd;

	if (cmd->nseg == SHELL_MAX_SEGMENTS)
		return fail(p, p->seg_start, "more than 64 simple commands");
	struct shell_segment *sg = &cmd->seg[cmd->nseg++];
	sg->argc = p->seg_argc;
	sg->op = op;
	sg->start = p->seg_start;
	sg->end = end;
	/* argv is set once the words array stops moving (it does not: sized up front). */
	sg->argv = &cmd->words[p->seg_word];
	cmd->words[p->nwords++] = NULL;
	p->seg_word = p->nwords;
	p->seg_argc = 0;
	return 0;
}

/* Reads the operator at p->pos into *op and its length into *len. */
static int read_operator(struct parser *p, enum shell_op *op, size_t *len)
{
	const char *s = p->s + p->pos;

	*len = 2;
	if (s[0] == ';') {
		if (s[1] == ';' || s[1] == '&')
			return fail(p, p->pos, "case terminator ';;' or ';&'");
		*op = SHELL_SEQ;
		*len = 1;
	} else if (s[0] == '&') {
		if (s[1] != '&')
			return fail(p, p->pos, "background '&' (or '&>' redirection)");
		*op = SHELL_AND;
	} else {
		if (s[1] == '&')
			return fail(p, p->pos, "'|&' (pipes standard error)");
		*op = s[1] == '|' ? SHELL_OR : SHELL_PIPE;
		*len = s[1] == '|' ? 2 : 1;
	}
	return 0;
}

static void reserve(struct shell_cmd *cmd, size_t len)
{
	/* Words never outgrow their source, each needs one NUL and one pointer,
	 * and each segment one NULL: the sizes below cannot be exceeded. */
	if (cmd->textcap < len + 1) {
		free(cmd->text);
		cmd->textcap = len + 1;
		cmd->text = xmalloc(cmd->textcap);
	}
	if (cmd->wordcap < len + SHELL_MAX_SEGMENTS + 1) {
		free(cmd->words);
		cmd->wordcap = len + SHELL_MAX_SEGMENTS + 1;
		cmd->words = xmalloc(cmd->wordcap * sizeof(*cmd->words));
	}
}

int shell_parse(struct shell_cmd *cmd, const char *command)
{
	size_t len = strlen(command);
	struct parser p = { .cmd = cmd, .s = command };

	reserve(cmd, len);
	p.out = cmd->text;
	cmd->nseg = 0;
	cmd->reason = NULL;
	cmd->at = 0;
	for (;;) {
		while (is_blank(command[p.pos]))
			p.pos++;
		char c = command[p.pos];
		if (c == '\0')
			break;
		if (c != ';' && c != '&' && c != '|') {
			if (p.seg_argc == 0)
				p.seg_start = p.pos;
			if (parse_word(&p) < 0)
				return -1;
			continue;
		}
		enum shell_op op = SHELL_END;
		size_t oplen = 0;
		if (read_operator(&p, &op, &oplen) < 0)
			return -1;
		if (p.seg_argc == 0)
			return fail(&p, p.pos, "empty command before an operator");
		if (end_segment(&p, op, p.pos) < 0)
			return -1;
		p.pos += oplen;
	}
	if (p.seg_argc == 0)
		return fail(&p, p.pos,
		            cmd->nseg ? "empty command after an operator" : "empty command");
	return end_segment(&p, SHELL_END, p.pos);
}

void shell_free(struct shell_cmd *cmd)
{
	free(cmd->text);
	free(cmd->words);
	cmd->text = NULL;
	cmd->words = NULL;
	cmd->textcap = cmd->wordcap = 0;
	cmd->nseg = 0;
}

const char *shell_op_text(enum shell_op op)
{
	static const char *const text[] = { "", ";", "&&", "||", "|" };
	return (size_t)op < NELEM(text) ? text[op] : "";
}

static bool needs_quotes(const char *w)
{
	/* A keyword as a plain word would start control flow where it stands first. */
	if (*w == '\0' || is_keyword(w))
		return true;
	for (; *w; w++)
		if (!strchr(
		        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+:,./-",
		        *w))
			return true;
	return false;
}

void shell_quote(struct buf *b, const char *word)
{
	if (!needs_quotes(word)) {
		buf_puts(b, word);
		return;
	}
	buf_putc(b, '\'');
	for (; *word; word++) {
		if (*word == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *word);
	}
	buf_putc(b, '\'');
}
