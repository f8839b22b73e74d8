/* opts.c: the options every command shares. */
#include "core/opts.h"

#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *opts_usage = "";

noreturn void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help'.\n", program_invocation_short_name);
	exit(2);
}

unsigned long opts_number(const char *opt, const char *arg, unsigned long max)
{
	char *end;

	errno = 0;
	unsigned long v = strtoul(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' || v == 0 || v > max)
		usage_error("%s: expected a number from 1 to %lu, got \"%s\"", opt, max, arg);
	return v;
}

bool opts_common(int c, const char *arg, struct common_opts *co)
{
	switch (c) {
	case OPT_CONFIG:
		co->config = arg;
		return true;
	case OPT_CLAW_CONFIG:
		co->claw_config = arg;
		return true;
	case OPT_STATE_DIR:
		co->state_dir = arg;
		return true;
	case OPT_JSON:
		co->json = true;
		return true;
	case OPT_MAX_RECORD:
		co->max_record = opts_number("--max-record", arg, 1UL << 30);
		return true;
	case 'h':
		fputs(opts_usage, stdout);
		exit(0);
	case OPT_VERSION:
		printf("%s %s\n", program_invocation_short_name, CLAW_VERSION);
		exit(0);
	case '?':
		/* getopt_long has already said what was wrong. */
		fprintf(stderr, "Try '%s --help'.\n", program_invocation_short_name);
		exit(2);
	default:
		return false;
	}
}

bool opts_color(int fd)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (nc != NULL && nc[0] != '\0')
		return false;
	if (term != NULL && strcmp(term, "dumb") == 0)
		return false;
	return isatty(fd) == 1;
}
