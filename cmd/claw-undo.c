/*
 * claw-undo: puts a sandboxed run's writable trees back as they were before it.
 *
 * A sandboxed run writes into an overlay of the workspace (and of each
 * read-write bind); claw-sandbox merges it at the end and keeps in the
 * run's journal whatever the merge replaced or deleted (lib/native/journal.h).
 * `claw undo SEQ` takes the run by its seq in the decision log, finds its
 * journal, and reverses it, unless a later run, or anyone, changed the same
 * paths since.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/auditlog.h"
#include "core/config.h"
#include "core/opts.h"
#include "core/util.h"
#include "native/journal.h"

static const char usage[] =
    "usage: claw-undo [--force] SEQ\n"
    "       claw-undo list [--json]\n"
    "\n"
    "Puts the workspace and the read-write binds of the sandboxed run SEQ (its seq in\n"
    "the decision log, as claw-audit show lists it; or its journal's id) back as they\n"
    "were before it ran: what it deleted or replaced comes back, what it created goes\n"
    "(kept in the journal). Refused where a later run, or anyone, changed the same\n"
    "paths since; --force undoes it anyway (what is in the way is kept in the journal).\n";

static const char usage_tail[] =
    "Exit status: 0 undone; 1 refused or undone only in part; 2 usage, or no such run.\n"
    "See claw-undo(1).\n";

enum { OPT_FORCE = OPT_FIRST_COMMAND_OPTION };

static const struct opt_row options[] = {
	OPT_FLAG("force", OPT_FORCE, "undo SEQ even where the paths changed since"),
	OPT_FLAG("json", OPT_JSON, "list: as JSON Lines"),
	OPT_HEADING("Common options:"),
	OPT_ROWS_COMMON,
	OPT_END,
};

struct cli {
	struct common_opts co;
	const char *words[2];
	int nwords;
	bool force;
	char *state; /* the state dir */
};

static void parse_args(int argc, char **argv, struct cli *c)
{
	int ch;

	while ((ch = opts_next(argc, argv, &c->co)) != -1) {
		switch (ch) {
		case OPT_FORCE:
			c->force = true;
			break;
		case 1:
			if (c->nwords == 2)
				usage_error("too many operands");
			c->words[c->nwords++] = optarg;
			break;
		default:
			usage_error("unexpected option");
		}
	}
	for (; optind < argc; optind++) {
		if (c->nwords == 2)
			usage_error("too many operands");
		c->words[c->nwords++] = argv[optind];
	}
	if (c->nwords == 0)
		usage_error("SEQ is missing (claw-audit show lists the runs; claw-undo list those "
		            "that can be undone)");
}

/* ---- from the decision log ---- */

/* The journal id in a logged entry's result, or NULL. */
static const char *journal_of(const cJSON *entry)
{
	const cJSON *result = cJSON_GetObjectItemCaseSensitive(entry, "result");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(result, "journal"), "id");

	return cJSON_IsString(id) ? id->valuestring : NULL;
}

static unsigned long long number_at(const cJSON *entry, const char *member, const char *name)
{
	const cJSON *v =
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(entry, member), name);

	return cJSON_IsNumber(v) && v->valuedouble >= 0 ? (unsigned long long)v->valuedouble : 0;
}

/*
 * The run's seq is its decision's: the entry of that seq holds the result
 * itself (claw-audit log after claw-sandbox), or an entry that names it as
 * its decision does ({"end": {"decision": SEQ}}, the write-ahead log).
 * FN is called with each entry that carries a journal and the seq it is for.
 */
typedef void each_fn(unsigned long long seq, const char *journal, void *ctx);

static int each_journal(const char *log, each_fn *fn, void *ctx)
{
	struct alog_map m;
	size_t off = 0, len;
	const char *line;
	bool term;

	if (alog_map(log, &m) < 0)
		return errno == ENOENT ? 0 : -1;
	while (alog_next_line(m.data, m.len, &off, &line, &len, &term) && term) {
		cJSON *entry = cJSON_ParseWithLength(line, len);
		const char *id = journal_of(entry);
		if (id != NULL) {
			unsigned long long seq = number_at(entry, "end", "decision");
			fn(seq ? seq : number_at(entry, "audit", "seq"), id, ctx);
		}
		cJSON_Delete(entry);
	}
	alog_unmap(&m);
	return 0;
}

struct find {
	unsigned long long seq;
	char id[48];
};

static void find_one(unsigned long long seq, const char *journal, void *ctx)
{
	struct find *f = ctx;

	if (seq == f->seq)
		snprintf(f->id, sizeof(f->id), "%s", journal);
}

/* The journal of WORD: a seq in the log, or a journal id itself. */
static int journal_id(const char *state, const char *word, char out[48])
{
	struct find f = { 0 };
	char *end, *log = xasprintf("%s/audit/decisions.jsonl", state);

	errno = 0;
	f.seq = strtoull(word, &end, 10);
	if (strchr(word, '-') != NULL && strlen(word) < sizeof(f.id)) {
		snprintf(out, 48, "%s", word);
		free(log);
		return 0;
	}
	if (errno != 0 || end == word || *end != '\0' || f.seq == 0)
		usage_error("%s: not a seq of the decision log", word);
	int rc = each_journal(log, find_one, &f);
	if (rc == 0 && f.id[0] == '\0')
		rc = claw_fail(
		    "%s: no sandboxed run of seq %llu kept a journal (it ran on the host, "
		    "changed no writable tree, or is not in the log)",
		    log, f.seq);
	free(log);
	if (rc == 0)
		snprintf(out, 48, "%s", f.id);
	return rc;
}

/* ---- list ---- */

struct lister {
	const char *state;
	bool json;
	struct buf out;
};

static void list_one(unsigned long long seq, const char *journal, void *ctx)
{
	struct lister *l = ctx;
	time_t t = (time_t)(strtoll(journal, NULL, 10) / 1000);
	struct tm tm;
	char when[32] = "?";

	if (journal_state(l->state, journal) != JOURNAL_UNDOABLE)
		return;
	if (localtime_r(&t, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	if (l->json) {
		buf_printf(&l->out, "{\"seq\":%llu,\"journal\":", seq);
		buf_json_str(&l->out, journal);
		buf_puts(&l->out, ",\"started\":");
		buf_json_str(&l->out, when);
		buf_puts(&l->out, "}\n");
	} else {
		buf_printf(&l->out, "%6llu  %s  %s\n", seq, when, journal);
	}
}

static int run_list(struct cli *c)
{
	const char *state = c->state;
	struct lister l = { .state = state, .json = c->co.json };
	char *log = xasprintf("%s/audit/decisions.jsonl", state);

	if (!l.json)
		buf_printf(&l.out, "%6s  %-19s  %s\n", "SEQ", "STARTED", "JOURNAL");
	int rc = each_journal(log, list_one, &l);
	free(log);
	if (rc < 0)
		errx(2, "%s", claw_error());
	fputs(l.out.p ? l.out.p : "", stdout);
	buf_free(&l.out);
	return 0;
}

/* ---- undo ---- */

static int run_undo(const struct cli *c, const char *state)
{
	char id[48];
	struct buf out = { 0 };

	if (journal_id(state, c->words[0], id) < 0)
		errx(2, "%s", claw_error());
	int rc = journal_undo(state, id, c->force, &out);
	if (rc < 0 && out.len == 0)
		errx(2, "%s", claw_error());
	if (rc == 1) {
		fprintf(stderr, "%s", out.p);
		errx(1,
		     "run %s not undone: the paths above changed after it (--force undoes it "
		     "anyway; what is in the way is kept in the journal)",
		     c->words[0]);
	}
	fputs(out.p ? out.p : "", stdout);
	buf_free(&out);
	if (rc < 0)
		errx(1, "%s", claw_error());
	return 0;
}

static const struct opts_command commands[] = {
	{ "list", run_list, "the runs that can still be undone, oldest first" },
	{ NULL, NULL, NULL },
};

static const struct opts_spec spec = { usage, commands, options, usage_tail };

int main(int argc, char **argv)
{
	struct cli c = { 0 };

	opts_use(&spec);
	parse_args(argc, argv, &c);
	c.state = config_state_dir(&c.co);
	const struct opts_command *cmd = opts_command_find(commands, c.words[0]);
	if (cmd != NULL && (c.nwords > 1 || c.force))
		usage_error("%s takes no operand and no --force", cmd->name);
	if (cmd == NULL && c.nwords > 1)
		usage_error("one run at a time");
	if (cmd == NULL && c.co.json)
		usage_error("--json is an option of list");
	int status = cmd ? cmd->run(&c) : run_undo(&c, c.state);
	free(c.state);
	return status;
}
