/* opts.h: options every command shares (--config, --state-dir, --help, --version, --json). */
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

/* getopt_long entries for the common options; put first in a command's table. */
#define COMMON_LONGOPTS                                                                            \
	{ "config", required_argument, NULL, OPT_CONFIG },                                         \
	    { "claw-config", required_argument, NULL, OPT_CLAW_CONFIG },                           \
	    { "state-dir", required_argument, NULL, OPT_STATE_DIR },                               \
	    { "help", no_argument, NULL, 'h' },                                                    \
	{                                                                                          \
		"version", no_argument, NULL, OPT_VERSION                                          \
	}

struct common_opts {
	const char *config;      /* --config FILE */
	const char *claw_config; /* --claw-config FILE */
	const char *state_dir;   /* --state-dir DIR */
	bool json;               /* --json, for commands that have it */
	size_t max_record;       /* --max-record BYTES, for filters */
};

/*
 * The usage text a command prints for --help (to stdout, exit 0) and points to
 * after a usage error. Set once at the start of main().
 */
extern const char *opts_usage;

/*
 * Handles a common option returned by getopt_long: returns true when C was one.
 * --help and --version print and exit 0; '?' (getopt has said what was wrong)
 * exits 2. Use optstring "-h" (plus the command's short options) so that
 * options may come before and after the subcommand and that positional words
 * arrive in order as 1.
 */
bool opts_common(int c, const char *arg, struct common_opts *co);

/* "PROG: message" and "Try 'PROG --help'." on stderr, exit 2. */
noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses a positive size/count/seconds or exits with a usage error naming OPT. */
unsigned long opts_number(const char *opt, const char *arg, unsigned long max);

/* True when the human output should use colour: a terminal and no NO_COLOR. */
bool opts_color(int fd);

#endif
