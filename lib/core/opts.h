/*
 * opts.h: a command's options and subcommands, each written once, in a table
 * whose rows carry their --help text (nsjail's custom_option, git's OPT_*
 * rows and commands[]); the options every command shares (--config,
 * --state-dir, --help, --version, --json).
 */
#ifndef CLAW_OPTS_H
#define CLAW_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdnoreturn.h>

enum {
	OPT_CONFIG = 0x1000,
	OPT_STATE_DIR,
	OPT_VERSION,
	OPT_JSON,
	OPT_MAX_RECORD,
	OPT_CLAW_CONFIG,
	OPT_FIRST_COMMAND_OPTION = 0x1100 /* commands number their own options from here */
};

/*
 * One option: what getopt_long takes, and what --help says of it. An ASCII
 * letter as opt.val makes it a short option too (-h). A row with neither a
 * name nor a val is a heading: HELP is printed as it is, before the rows
 * that follow. A row without HELP is accepted and not shown.
 */
struct opt_row {
	struct option opt;
	const char *arg;  /* the argument's name in --help ("FILE") */
	const char *help; /* lines separated by \n */
};

#define OPT_FLAG(name, val, help)                                                                  \
	{                                                                                          \
		{ (name), no_argument, NULL, (val) }, NULL, (help)                                 \
	}
#define OPT_VALUE(name, val, arg, help)                                                            \
	{                                                                                          \
		{ (name), required_argument, NULL, (val) }, (arg), (help)                          \
	}
#define OPT_HEADING(text)                                                                          \
	{                                                                                          \
		{ NULL, 0, NULL, 0 }, NULL, (text)                                                 \
	}
#define OPT_END                                                                                    \
	{                                                                                          \
		{ NULL, 0, NULL, 0 }, NULL, NULL                                                   \
	}

/* The shared options, in the words every command's --help uses. */
#define OPT_ROW_CONFIG                                                                             \
	OPT_VALUE("config", OPT_CONFIG, "FILE",                                                    \
	          "OpenClaw config (default $OPENCLAW_CONFIG_PATH or\n"                            \
	          "<state>/openclaw.json; none at all: the secure preset)")
#define OPT_ROW_CLAW_CONFIG                                                                        \
	OPT_VALUE("claw-config", OPT_CLAW_CONFIG, "FILE",                                          \
	          "claw's own keys (default $CLAW_CONFIG_PATH or\n<state>/claw.json)")
#define OPT_ROW_STATE_DIR                                                                          \
	OPT_VALUE("state-dir", OPT_STATE_DIR, "DIR",                                               \
	          "state directory (default $OPENCLAW_STATE_DIR or ~/.openclaw)")
#define OPT_ROW_MAX_RECORD                                                                         \
	OPT_VALUE("max-record", OPT_MAX_RECORD, "N",                                               \
	          "longest record accepted, in bytes (default 1048576)")
#define OPT_ROW_HELP    OPT_FLAG("help", 'h', "this text")
#define OPT_ROW_VERSION OPT_FLAG("version", OPT_VERSION, "the version")
/* --config, --claw-config, --state-dir, --help and --version. */
#define OPT_ROWS_COMMON                                                                            \
	OPT_ROW_CONFIG, OPT_ROW_CLAW_CONFIG, OPT_ROW_STATE_DIR, OPT_ROW_HELP, OPT_ROW_VERSION

/*
 * One subcommand (git's commands[]): its name, the function that runs it
 * with what the command parsed and loaded (each command's own struct cli),
 * and what --help says of it. A table ends with a row whose name is NULL.
 */
struct cli;
struct opts_command {
	const char *name;
	int (*run)(struct cli *c);
	const char *help; /* lines separated by \n */
};

/* The row of NAME in TABLE, or NULL. */
const struct opts_command *opts_command_find(const struct opts_command *table, const char *name);
/* The row of NAME in TABLE; an unknown NAME is a usage error naming the ones there are. */
const struct opts_command *opts_command_get(const struct opts_command *table, const char *name);
/* Whether CMD (NULL: none) is the subcommand NAME: for an option that belongs to one. */
bool opts_is(const struct opts_command *cmd, const char *name);

/*
 * A command's --help: USAGE (its synopsis and what it does), the
 * subcommands, the options, then TAIL (exit status, see also). The usage
 * lines stay text: they show which options go with which subcommand, and
 * the shell completions read the subcommands from them.
 */
struct opts_spec {
	const char *usage;
	const struct opts_command *commands; /* NULL: no subcommands */
	const struct opt_row *options;       /* ends with OPT_END */
	const char *tail;
};

/* The command's table, set once at the start of main(): its first call, so it
 * also makes sure descriptors 0-2 are open (stdfds_open). */
void opts_use(const struct opts_spec *spec);

struct common_opts {
	const char *config;      /* --config FILE */
	const char *claw_config; /* --claw-config FILE */
	const char *state_dir;   /* --state-dir DIR */
	bool json;               /* --json, for commands that have it */
	size_t max_record;       /* --max-record BYTES, for filters */
};

/*
 * getopt_long(3) over ARGV with the table's options: the next option of the
 * command's own, as its opt.val, or 1 for a positional word (they arrive in
 * order, so options may come before and after a subcommand), or -1. The
 * shared options go into CO on the way; --help and --version print and exit
 * 0, and an option getopt refuses (it has said why) exits 2.
 */
int opts_next(int argc, char **argv, struct common_opts *co);

/* Appends the --help text of the table in use to B. */
struct buf;
void opts_help(struct buf *b);

/* "PROG: message" and "Try 'PROG --help'." on stderr, exit 2. */
noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses a positive size/count/seconds or exits with a usage error naming OPT. */
unsigned long opts_number(const char *opt, const char *arg, unsigned long max);

/* True when the human output should use colour: a terminal and no NO_COLOR. */
bool opts_color(int fd);

#endif
