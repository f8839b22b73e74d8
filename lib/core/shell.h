/*
 * shell.h: the command analyser. It reads a command line exactly as a POSIX
 * shell would, or refuses it.
 *
 * Understood: words made of plain characters, single quotes, double quotes and
 * backslash escapes, joined into simple commands by `&&`, `||`, `;` and `|`.
 * Everything else fails with the reason and the byte where it starts:
 * redirections, substitutions and expansions of every kind, unquoted glob
 * and brace characters, `~`, `#`, `!`, subshells and groups, shell keywords,
 * `VAR=value` prefixes, background `&`, newlines and other control
 * characters. A failure is never an allow: the caller asks a human.
 */
#ifndef CLAW_SHELL_H
#define CLAW_SHELL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Most simple commands one command line may hold. Beyond it the analysis
 * fails (one peer fell back to "ask" past 50; nobody types 64 by hand).
 */
#define SHELL_MAX_SEGMENTS 64

/* What joins a segment to the next one. */
enum shell_op {
	SHELL_END,  /* the last segment */
	SHELL_SEQ,  /* ; */
	SHELL_AND,  /* && */
	SHELL_OR,   /* || */
	SHELL_PIPE, /* | */
};

struct shell_segment {
	char **argv; /* argc words after quote removal, then NULL */
	int argc;
	enum shell_op op;  /* the operator after this segment */
	size_t start, end; /* byte range of the segment in the command */
};

/*
 * A parsed command. Reusable: shell_parse() keeps the buffers between calls,
 * so a stream of commands allocates nothing once warm.
 */
struct shell_cmd {
	struct shell_segment seg[SHELL_MAX_SEGMENTS];
	int nseg;
	/* On failure: why, and the 0-based byte offset where the problem starts. */
	const char *reason;
	size_t at;
	/* storage */
	char *text; /* the words, NUL-separated */
	size_t textcap;
	char **words; /* argv arrays of all segments, each NULL-terminated */
	size_t wordcap;
};

/*
 * Parses CMD. Returns 0, or -1 with cmd->reason and cmd->at set and
 * claw_error() as "REASON at byte N" (1-based, as people count).
 */
int shell_parse(struct shell_cmd *cmd, const char *command);
void shell_free(struct shell_cmd *cmd);

/* The operator's spelling ("&&", "|", ...; "" for SHELL_END). */
const char *shell_op_text(enum shell_op op);

/*
 * Appends WORD to B quoted for sh so that it reads back as the same single
 * word (plain when it needs no quoting, otherwise in single quotes).
 */
struct buf;
void shell_quote(struct buf *b, const char *word);

#endif
