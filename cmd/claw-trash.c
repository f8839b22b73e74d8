/*
 * claw-trash: the user's trash, for people without a trash tool.
 *
 * What claw moves out of an agent's way (approvals.exec.trash) goes to the
 * freedesktop.org trash, where file managers, `gio trash` and trash-cli find
 * it too. This command lists it, puts files in, restores them and empties
 * it, in every trash of the user: the home trash and each mount's own.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/execpath.h"
#include "core/opts.h"
#include "core/util.h"
#include "core/trash.h"

static const char usage[] =
    "usage: claw-trash list [--json]\n"
    "       claw-trash put PATH...\n"
    "       claw-trash restore [--force] PATH...\n"
    "       claw-trash empty [--older-than AGE]\n"
    "\n"
    "The user's trash, as the freedesktop.org Trash specification lays it out (the home\n"
    "trash $XDG_DATA_HOME/Trash, and $topdir/.Trash-$uid on other file systems):\n"
    "\n";

static const char usage_tail[] =
    "Exit status: 0 done; 1 some PATH could not be put, restored or deleted; 2 usage.\n"
    "See claw-trash(1).\n";

enum {
	OPT_FORCE = OPT_FIRST_COMMAND_OPTION,
	OPT_OLDER,
};

static const struct opt_row options[] = {
	OPT_FLAG("force", OPT_FORCE, "restore: first move whatever is in the way into the trash"),
	OPT_VALUE("older-than", OPT_OLDER, "AGE",
	          "empty: only the entries deleted more than AGE ago"),
	OPT_FLAG("json", OPT_JSON, "list: as JSON Lines"),
	OPT_HEADING("Common options:"),
	OPT_VALUE("config", OPT_CONFIG, "FILE", "accepted, as by every claw command (unused)"),
	OPT_VALUE("claw-config", OPT_CLAW_CONFIG, "FILE",
	          "accepted, as by every claw command (unused)"),
	OPT_VALUE("state-dir", OPT_STATE_DIR, "DIR", "accepted, as by every claw command (unused)"),
	OPT_ROW_HELP,
	OPT_ROW_VERSION,
	OPT_END,
};

struct cli {
	struct common_opts co;
	const char *sub;
	char **words;
	int nwords;
	bool force;
	long long older; /* seconds; -1: not given */
};

/* "30d", "12h", "90m", "45s", "2w"; a bare number is days. */
static long long parse_age(const char *arg)
{
	static const struct {
		char unit;
		long long secs;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 } };
	char *end;

	errno = 0;
	long long n = strtoll(arg, &end, 10);
	if (errno != 0 || end == arg || n < 0 || arg[0] == '-' || n > 100LL * 365 * 86400)
		usage_error("--older-than: expected an age such as 30d or 12h, got \"%s\"", arg);
	if (*end == '\0')
		return n * 86400;
	for (size_t i = 0; i < NELEM(units); i++)
		if (end[0] == units[i].unit && end[1] == '\0')
			return n * units[i].secs;
	usage_error("--older-than: unknown unit in \"%s\" (s, m, h, d or w)", arg);
}

static void parse_args(int argc, char **argv, struct cli *c)
{
	int ch;

	c->older = -1;
	c->words = xcalloc((size_t)argc + 1, sizeof(*c->words));
	while ((ch = opts_next(argc, argv, &c->co)) != -1) {
		switch (ch) {
		case OPT_FORCE:
			c->force = true;
			break;
		case OPT_OLDER:
			c->older = parse_age(optarg);
			break;
		case 1:
			if (c->sub == NULL)
				c->sub = optarg;
			else
				c->words[c->nwords++] = optarg;
			break;
		default:
			usage_error("unexpected option");
		}
	}
	for (; optind < argc; optind++) /* after `--` */
		c->words[c->nwords++] = argv[optind];
	if (c->sub == NULL)
		usage_error("a subcommand is needed: list, put, restore or empty");
}

/* ---- list ---- */

static void human_size(uint64_t n, char *out, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	size_t u = 0;

	while (v >= 1024 && u + 1 < NELEM(units)) {
		v /= 1024;
		u++;
	}
	snprintf(out, size, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
}

static void put_entry_json(struct buf *b, const struct trash_entry *e)
{
	char date[32] = "";
	struct tm tm;

	if (e->when != (time_t)-1 && localtime_r(&e->when, &tm) != NULL)
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	buf_puts(b, "{\"path\":");
	buf_json_str(b, e->path);
	buf_puts(b, ",\"deleted\":");
	buf_json_str(b, date);
	buf_printf(
	    b, ",\"dir\":%s,\"bytes\":%llu,\"files\":%llu,\"trash\":", e->is_dir ? "true" : "false",
	    (unsigned long long)e->size.bytes, (unsigned long long)e->size.files);
	buf_json_str(b, e->dir.path);
	buf_puts(b, ",\"name\":");
	buf_json_str(b, e->name);
	buf_puts(b, "}\n");
}

static void put_entry_text(struct buf *b, const struct trash_entry *e)
{
	char date[32] = "?", size[32];
	struct tm tm;

	if (e->when != (time_t)-1 && localtime_r(&e->when, &tm) != NULL)
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	human_size(e->size.bytes, size, sizeof(size));
	buf_printf(b, "%s  %10s  %s%s\n", date, size, e->path, e->is_dir ? "/" : "");
}

static int run_list(struct cli *c)
{
	struct trash_list l;
	struct buf out = { 0 };

	if (c->nwords > 0)
		usage_error("list takes no operands");
	trash_list_all(&l, true);
	for (size_t i = 0; i < l.n; i++) {
		if (c->co.json)
			put_entry_json(&out, &l.e[i]);
		else
			put_entry_text(&out, &l.e[i]);
	}
	fwrite(out.p ? out.p : "", 1, out.len, stdout);
	for (size_t i = 0; i < l.problems.n; i++)
		warnx("%s", l.problems.v[i]);
	buf_free(&out);
	trash_list_free(&l);
	return 0;
}

/* ---- put ---- */

/*
 * Where WORD leads, for restore: as trash_victim() finds it, or (its
 * directory gone too) WORD made absolute as written.
 */
static int restore_path(const char *word, char out[PATH_MAX])
{
	char copy[PATH_MAX], cwd[PATH_MAX];
	size_t n = strlen(word);

	while (n > 1 && word[n - 1] == '/')
		n--;
	if (n >= sizeof(copy))
		return claw_fail("%s: name too long", word);
	memcpy(copy, word, n);
	copy[n] = '\0';
	out[0] = '\0';
	if (trash_victim(NULL, copy, out) < 0)
		return -1;
	if (out[0] != '\0')
		return 0;
	if (getcwd(cwd, sizeof(cwd)) == NULL || path_join(cwd, copy, out, PATH_MAX) < 0)
		return claw_fail("%s: name too long", word);
	return 0;
}

static int run_put(struct cli *c)
{
	int status = 0;

	if (c->nwords == 0)
		usage_error("put needs a PATH");
	for (int i = 0; i < c->nwords; i++) {
		char path[PATH_MAX];
		struct trash_dir td;
		struct trash_entry e;
		int found = trash_victim(NULL, c->words[i], path);
		if (found == 1)
			claw_fail("%s: %s", c->words[i], strerror(ENOENT));
		if (found != 0 || trash_find(path, &td) < 0 ||
		    trash_put(&td, path, false, &e) < 0 || trash_measure(&e) < 0) {
			warnx("%s", claw_error());
			status = 1;
		}
	}
	return status;
}

/* ---- restore ---- */

static bool below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '/' || strcmp(dir, "/") == 0);
}

/* Restores the newest entry of each path that is PATH, or else below it. */
static int restore_one(const struct cli *c, const struct trash_list *l, const char *word)
{
	char path[PATH_MAX];
	bool exact = false, any = false;
	int status = 0;

	if (restore_path(word, path) < 0) {
		warnx("%s", claw_error());
		return 1;
	}
	for (size_t i = 0; i < l->n; i++)
		exact |= strcmp(l->e[i].path, path) == 0;
	/* Newest first, and each path once: an older entry of the same path stays. */
	for (size_t i = l->n; i-- > 0;) {
		const struct trash_entry *e = &l->e[i];
		if (exact ? strcmp(e->path, path) != 0 : !below(e->path, path))
			continue;
		bool newer = false;
		for (size_t j = i + 1; j < l->n && !newer; j++)
			newer = strcmp(l->e[j].path, e->path) == 0;
		if (newer)
			continue;
		any = true;
		if (trash_restore(e, c->force) < 0) {
			warnx("%s", claw_error());
			status = 1;
		}
		if (exact)
			break;
	}
	if (!any) {
		warnx("%s: nothing in the trash came from there", path);
		status = 1;
	}
	return status;
}

static int run_restore(struct cli *c)
{
	struct trash_list l;
	int status = 0;

	if (c->nwords == 0)
		usage_error("restore needs a PATH (claw-trash list shows them)");
	trash_list_all(&l, false);
	for (int i = 0; i < c->nwords; i++)
		status |= restore_one(c, &l, c->words[i]);
	trash_list_free(&l);
	return status;
}

/* ---- empty ---- */

static int run_empty(struct cli *c)
{
	struct trash_list l;
	time_t now = time(NULL);
	int status = 0;

	if (c->nwords > 0)
		usage_error("empty takes no operands (--older-than AGE limits it)");
	trash_list_all(&l, false);
	for (size_t i = 0; i < l.n; i++) {
		const struct trash_entry *e = &l.e[i];
		/* An entry of unknown date is kept unless everything goes. */
		if (c->older >= 0 && (e->when == (time_t)-1 || now - e->when <= c->older))
			continue;
		if (trash_drop(e) < 0) {
			warnx("%s", claw_error());
			status = 1;
		}
	}
	trash_list_free(&l);
	return status;
}

static const struct opts_command commands[] = {
	{ "list", run_list, "what is in it, oldest first: when, size, where it was" },
	{ "put", run_put, "move PATH into the trash of its file system" },
	{ "restore", run_restore,
	  "put PATH back where it was (the newest entry of that path; a\n"
	  "directory that no entry names brings back every entry below it);\n"
	  "--force first moves whatever is in the way into the trash" },
	{ "empty", run_empty,
	  "delete entries for good; --older-than AGE only those deleted more\n"
	  "than AGE ago (a number and s, m, h, d or w: 30d, 12h; a bare number\n"
	  "is days, as trash-empty reads it)" },
	{ NULL, NULL, NULL },
};

static const struct opts_spec spec = { usage, commands, options, usage_tail };

int main(int argc, char **argv)
{
	struct cli c = { 0 };

	opts_use(&spec);
	parse_args(argc, argv, &c);
	if (c.force && strcmp(c.sub, "restore") != 0)
		usage_error("--force is an option of restore");
	if (c.older >= 0 && strcmp(c.sub, "empty") != 0)
		usage_error("--older-than is an option of empty");
	int status = opts_command_get(commands, c.sub)->run(&c);
	free(c.words);
	return status;
}
