/* opts.c: options and subcommands from a command's table; the options every command shares. */
#include "core/opts.h"

#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "core/util.h"

/* Where an option's help starts in --help: after "  --claw-config FILE ". */
#define HELP_COLUMN 21

static const struct opts_spec *spec;
static struct option *longopts; /* the table's, for getopt_long */
static char shortopts[64];      /* "-" and the letters */

static bool row_end(const struct opt_row *r)
{
	return r->opt.name == NULL && r->opt.val == 0 && r->help == NULL;
}

static bool is_heading(const struct opt_row *r)
{
	return r->opt.name == NULL && r->opt.val == 0;
}

static bool is_letter(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void opts_use(const struct opts_spec *s)
{
	size_t n = 0, k = 0, len = 0;

	stdfds_open();
	spec = s;
	for (const struct opt_row *r = s->options; !row_end(r); r++)
		n++;
	longopts = xcalloc(n + 1, sizeof(*longopts));
	memset(shortopts, 0, sizeof(shortopts));
	shortopts[len++] = '-';
	for (const struct opt_row *r = s->options; !row_end(r); r++) {
		if (r->opt.name != NULL)
			longopts[k++] = r->opt;
		if (is_letter(r->opt.val) && strchr(shortopts, r->opt.val) == NULL &&
		    len + 4 < sizeof(shortopts)) {
			shortopts[len++] = (char)r->opt.val;
			if (r->opt.has_arg != no_argument)
				shortopts[len++] = ':';
			if (r->opt.has_arg == optional_argument)
				shortopts[len++] = ':';
		}
	}
	shortopts[len] = '\0';
}

const struct opts_command *opts_command_find(const struct opts_command *table, const char *name)
{
	for (const struct opts_command *c = table; c != NULL && c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

const struct opts_command *opts_command_get(const struct opts_command *table, const char *name)
{
	const struct opts_command *cmd = opts_command_find(table, name);
	struct buf names = { 0 };

	if (cmd != NULL)
		return cmd;
	for (const struct opts_command *c = table; c->name != NULL; c++)
		buf_printf(&names, "%s%s", c == table ? "" : c[1].name ? ", " : " or ", c->name);
	usage_error("unknown subcommand \"%s\" (%s)", name, names.p ? names.p : "none");
}

bool opts_is(const struct opts_command *cmd, const char *name)
{
	return cmd != NULL && strcmp(cmd->name, name) == 0;
}

/* TEXT, its lines after the first indented by INDENT. */
static void put_lines(struct buf *b, const char *text, size_t indent)
{
	for (const char *s = text; *s != '\0';) {
		size_t n = strcspn(s, "\n");
		if (s != text)
			buf_printf(b, "%*s", (int)indent, "");
		buf_put(b, s, n);
		buf_putc(b, '\n');
		s += n + (s[n] == '\n');
	}
}

static void put_commands(struct buf *b, const struct opts_command *table)
{
	size_t width = 0;

	for (const struct opts_command *c = table; c->name != NULL; c++)
		if (strlen(c->name) > width)
			width = strlen(c->name);
	buf_putc(b, '\n');
	for (const struct opts_command *c = table; c->name != NULL; c++) {
		buf_printf(b, "  %-*s  ", (int)width, c->name);
		put_lines(b, c->help, width + 4);
	}
}

static void put_option(struct buf *b, const struct opt_row *r)
{
	size_t start = b->len;

	buf_puts(b, "  ");
	if (is_letter(r->opt.val))
		buf_printf(b, "-%c%s", r->opt.val, r->opt.name ? ", " : "");
	if (r->opt.name != NULL)
		buf_printf(b, "--%s", r->opt.name);
	if (r->arg != NULL)
		buf_printf(b, r->opt.has_arg == optional_argument ? "[=%s]" : " %s", r->arg);
	size_t width = b->len - start;
	if (width >= HELP_COLUMN) {
		buf_putc(b, '\n');
		width = 0;
	}
	buf_printf(b, "%*s", (int)(HELP_COLUMN - width), "");
	put_lines(b, r->help, HELP_COLUMN);
}

void opts_help(struct buf *b)
{
	bool heading = false;

	buf_puts(b, spec->usage);
	if (spec->commands != NULL)
		put_commands(b, spec->commands);
	for (const struct opt_row *r = spec->options; !row_end(r); r++) {
		if (is_heading(r)) {
			buf_putc(b, '\n');
			put_lines(b, r->help, 0);
			heading = true;
			continue;
		}
		if (r->help == NULL)
			continue;
		if (!heading)
			buf_puts(b, "\nOptions:\n");
		heading = true;
		put_option(b, r);
	}
	buf_putc(b, '\n');
	buf_puts(b, spec->tail);
}

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

static noreturn void print_help(void)
{
	struct buf b = { 0 };

	opts_help(&b);
	fputs(b.p, stdout);
	buf_free(&b);
	exit(0);
}

/* Takes the shared option C: true when it was one. */
static bool opts_common(int c, const char *arg, struct common_opts *co)
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
		print_help();
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

int opts_next(int argc, char **argv, struct common_opts *co)
{
	int c;

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1)
		if (!opts_common(c, optarg, co))
			break;
	return c;
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
