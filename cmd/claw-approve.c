/*
 * claw-approve: may this command run?
 *
 * As a filter it gives each exec record an approval member, decided by the
 * shell analyser, the allow list and the decision table (lib/approve/approve.c), and
 * refuses with deny what may not run. One-shot, it explains a decision or
 * edits the allow list.
 */
#include <err.h>
#include <pwd.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "approve/analyse.h"
#include "approve/approvals.h"
#include "approve/approve.h"
#include "approve/toolgate.h"
#include "approve/model.h"
#include "ask/ask.h"
#include "core/config.h"
#include "core/glob.h"
#include "core/opts.h"
#include "core/record.h"
#include "session/session.h"
#include "core/shell.h"
#include "policy/toolpolicy.h"
#include "core/util.h"

static const char usage[] =
    "usage: claw-approve [--config FILE] [--state-dir DIR] [--max-record BYTES]\n"
    "       claw-approve check [--agent A] [--cwd DIR] [--json] [--] COMMAND [ARG...]\n"
    "       claw-approve allowlist ls [--agent A|*] [--json]\n"
    "       claw-approve allowlist add [--agent A|*] [--arg-pattern REGEX] PATTERN\n"
    "       claw-approve allowlist add --bind [--agent A|*] [--cwd DIR] [--] COMMAND [ARG...]\n"
    "       claw-approve allowlist rm [--agent A|*] PATTERN|ID\n"
    "       claw-approve pending [--json]\n"
    "       claw-approve resolve [--by WHO] ID|SLUG|PREFIX allow-once|allow-always|deny\n"
    "       claw-approve grants [ls] [--json] | grants rm SESSION [TOOL]\n"
    "       claw-approve models [--json] [PROGRAM]\n"
    "       claw-approve [--no-tty] [--wait] [--defer | --ask-fd N] [--timeout SECONDS]\n"
    "                                            (the filter, asking options)\n"
    "\n"
    "Without a subcommand, reads request records (JSON Lines) on standard input and\n"
    "writes them with an \"approval\" member added to each exec request, and \"deny\"\n"
    "where the command may not run:\n"
    "  approval {decision, via, reason, asked, security, ask, askFallback, cwd,\n"
    "            analysis, guard, segments[{argv, path, realpath, match, satisfiedBy, why}]}\n"
    "A tool named in approvals.tools waits for a person too (message, sessions_send):\n"
    "  approval {decision, via, reason, tool, id, by, waitedMs, note}\n";

static const char usage_tail[] =
    "Exit status: 0 the stream was processed; 1 some lines were not valid records;\n"
    "2 usage or config error. See claw-approve(1), claw-record(7).\n";

enum {
	OPT_AGENT = OPT_FIRST_COMMAND_OPTION,
	OPT_CWD,
	OPT_ARG_PATTERN,
	OPT_BIND,
	OPT_NO_TTY,
	OPT_WAIT,
	OPT_DEFER,
	OPT_ASK_FD,
	OPT_TIMEOUT,
	OPT_BY,
	OPT_SCDOC,
};

static const struct opt_row options[] = {
	OPT_HEADING("Options of the subcommands:"),
	OPT_VALUE("agent", OPT_AGENT, "A",
	          "check: the agent (default: the default agent); allowlist:\n"
	          "the agent's list, or \"*\", every agent's (the default)"),
	OPT_VALUE("cwd", OPT_CWD, "DIR",
	          "check, allowlist add --bind: where COMMAND runs (default:\n"
	          "the current directory)"),
	OPT_VALUE("arg-pattern", OPT_ARG_PATTERN, "REGEX", "allowlist add: the entry's argPattern"),
	OPT_FLAG("bind", OPT_BIND,
	         "allowlist add: entries bound to COMMAND's argv, directory and\n"
	         "program contents, as allow-always adds them"),
	OPT_VALUE("by", OPT_BY, "WHO", "resolve: who answered (default: cli:LOGIN)"),
	OPT_FLAG("json", OPT_JSON, "machine-readable output"),
	OPT_FLAG("scdoc", OPT_SCDOC, "models: claw-approve(1)'s generated part, in scdoc"),
	OPT_HEADING(
	    "When a person must be asked, the filter asks every way available at once:\n"
	    "the terminal (/dev/tty; --no-tty turns it off), the chat and webhook targets\n"
	    "of approvals.exec, and `claw-approve resolve` from a shell of the same user\n"
	    "(with no other way, only with --wait). The first answer wins; no command claw\n"
	    "runs, and no file, can answer. With no way to ask, or no answer within\n"
	    "approvals.exec.timeoutSeconds (120), askFallback decides."),
	OPT_FLAG("no-tty", OPT_NO_TTY, "do not ask at the terminal"),
	OPT_FLAG("wait", OPT_WAIT,
	         "put a request up for resolve even with no terminal and no\nchat target"),
	OPT_FLAG("defer", OPT_DEFER,
	         "ask nobody: what needs a person is refused with via \"runtime\",\n"
	         "for a caller that asks in its own prompt (claw-hook(1))"),
	OPT_VALUE("ask-fd", OPT_ASK_FD, "N",
	          "the caller asks and answers with resolve: each request is put\n"
	          "up and announced as a line of JSON on fd N; no terminal, no chat"),
	OPT_VALUE("timeout", OPT_TIMEOUT, "SECONDS",
	          "wait at most SECONDS (less than approvals.exec.timeoutSeconds)"),
	OPT_HEADING("Common options:"),
	OPT_ROW_MAX_RECORD,
	OPT_ROWS_COMMON,
	OPT_END,
};

struct cli {
	struct common_opts co;
	const struct opts_command *cmd; /* the subcommand, or NULL: the filter */
	const char *action;
	const char *agent, *cwd, *arg_pattern, *by;
	bool bind, scdoc;
	struct ask_opts ask;
	char **words; /* positional words after the subcommand (and action) */
	int nwords;
	struct config cfg; /* loaded for every subcommand but models */
};

/* ---- the filter ---- */

struct filter {
	struct approve_ctx ctx;
	struct toolgate *gate; /* approvals.tools, or NULL */
	struct approve_result res;
	struct buf member;
	char default_agent[SESSION_ID_MAX];
	time_t last_flush;
	unsigned long requests; /* exec records decided so far */
};

static volatile sig_atomic_t woken;

static void on_alarm(int sig)
{
	(void)sig;
	woken = 1;
}

/* What a request record says, checked member by member. */
struct req_fields {
	char agent[SESSION_ID_MAX];
	char sender[64], peer[64], account[64], thread[64];
	struct approve_request rq;
};

static int read_elevated(const cJSON *args, struct approve_request *rq)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(args, "elevated");
	static const char *const levels[] = { "on", "off", "ask", "full" };

	if (e == NULL || cJSON_IsNull(e) || cJSON_IsFalse(e))
		return 0;
	if (cJSON_IsTrue(e)) {
		rq->elevated = "on";
		return 0;
	}
	for (size_t i = 0; cJSON_IsString(e) && i < NELEM(levels); i++)
		if (strcmp(e->valuestring, levels[i]) == 0)
			return rq->elevated = levels[i], 0;
	return claw_fail("args.elevated must be true, false, \"on\", \"off\", \"ask\" or \"full\"");
}

static int read_env(const cJSON *args, struct approve_request *rq)
{
	const cJSON *v;

	if (rec_get_obj(args, "env", &rq->env) < 0)
		return -1;
	cJSON_ArrayForEach(v, rq->env)
	{
		if (!cJSON_IsString(v))
			return claw_fail("args.env.%s must be a string", v->string);
	}
	return 0;
}

static int read_args(const cJSON *args, struct approve_request *rq)
{
	if (rec_get_str(args, "command", &rq->command) < 0 ||
	    rec_get_str(args, "workdir", &rq->cwd) < 0 ||
	    rec_get_str(args, "security", &rq->call_security) < 0 ||
	    rec_get_str(args, "ask", &rq->call_ask) < 0 || read_env(args, rq) < 0 ||
	    read_elevated(args, rq) < 0)
		return claw_fail("args: %s", claw_error());
	if (rq->command == NULL)
		return claw_fail("an exec request needs args.command (a string)");
	return 0;
}

/* Who asks: session.agent (claw-session's answer) over the record's agent. */
static int read_who(const struct filter *f, const cJSON *root, struct req_fields *r)
{
	const cJSON *session = NULL, *origin = NULL;
	const char *agent = NULL, *channel = NULL, *sender = NULL;
	int sandboxed = 0;

	if (rec_get_obj(root, "session", &session) < 0 ||
	    rec_get_obj(root, "origin", &origin) < 0 || rec_get_str(root, "agent", &agent) < 0 ||
	    (session && (rec_get_str(session, "agent", &agent) < 0 ||
	                 rec_get_bool(session, "sandboxed", &sandboxed) < 0)))
		return -1;
	if (origin != NULL &&
	    (rec_get_str(origin, "channel", &channel) < 0 ||
	     rec_get_id(origin, "sender", r->sender, sizeof(r->sender), &sender) < 0 ||
	     rec_get_id(origin, "peer", r->peer, sizeof(r->peer), &r->rq.origin_to) < 0 ||
	     rec_get_id(origin, "account", r->account, sizeof(r->account), &r->rq.origin_account) <
	         0 ||
	     rec_get_id(origin, "thread", r->thread, sizeof(r->thread), &r->rq.origin_thread) < 0))
		return claw_fail("origin: %s", claw_error());
	if (sender == NULL)
		sender = r->rq.origin_to;
	if (session != NULL && rec_get_str(session, "key", &r->rq.session_key) < 0)
		return claw_fail("session: %s", claw_error());
	norm_agent_id(agent ? agent : f->default_agent, r->agent);
	r->rq.agent = r->agent;
	r->rq.sandboxed = sandboxed;
	r->rq.has_origin = origin != NULL;
	r->rq.channel = channel;
	r->rq.sender = sender;
	return 0;
}

/*
 * A tool of approvals.tools: a person's yes first (toolgate.h). Who asks
 * and where the chat prompt goes come from the record as for exec.
 */
static int gate_tool(struct filter *f, struct record *rec, const char *tool)
{
	struct req_fields r = { 0 };
	struct tool_verdict v;
	const cJSON *args = NULL, *session = NULL;
	const char *policy_key = NULL;

	if (rec_get_obj(rec->root, "args", &args) < 0 || read_who(f, rec->root, &r) < 0 ||
	    rec_get_obj(rec->root, "session", &session) < 0 ||
	    (session && rec_get_str(session, "policyKey", &policy_key) < 0))
		return -1;
	struct tool_call c = {
		.tool = tool,
		.args = args,
		.agent = r.rq.agent,
		.key = r.rq.session_key,
		.policy = policy_key,
		.origin_channel = r.rq.has_origin ? r.rq.channel : NULL,
		.origin_to = r.rq.origin_to,
		.origin_account = r.rq.origin_account,
		.origin_thread = r.rq.origin_thread,
	};
	if (toolgate_decide(f->gate, f->ctx.ask, &c, &v) < 0)
		return -1;
	buf_reset(&f->member);
	toolgate_render(&v, tool, &f->member);
	record_add_raw(rec, "approval", f->member.p, f->member.len);
	if (!v.allow)
		record_deny(rec, v.reason);
	return 0;
}

static void refresh(struct filter *f)
{
	/* The file's tree outlives the record: built outside the record arena. */
	record_arena_pause();
	/*
	 * Lookups are kept, and watched, from the second request on: one
	 * request (claw exec) gains nothing from a cache, and closing an
	 * inotify instance costs its process an RCU grace period at exit
	 * (15 ms measured) that the whole pipeline would wait for.
	 */
	if (++f->requests == 2)
		approve_watch(&f->ctx);
	if (approve_refresh(&f->ctx) < 0 && f->ctx.file_error != NULL)
		warnx("%s", f->ctx.file_error);
	record_arena_resume();
}

static int handle(struct record *rec, void *arg)
{
	struct filter *f = arg;
	struct req_fields r = { 0 };
	const char *tool = NULL;
	const cJSON *args = NULL;

	if (rec_get_str(rec->root, "tool", &tool) < 0)
		return -1;
	if (tool != NULL && toolgate_covers(f->gate, tool))
		return gate_tool(f, rec, tool);
	if (tool == NULL || !catalog_is_exec(tool))
		return 0; /* not a command, nor a tool that asks: nothing to approve */
	if (rec_get_obj(rec->root, "args", &args) < 0 || read_args(args, &r.rq) < 0 ||
	    read_who(f, rec->root, &r) < 0)
		return -1;
	refresh(f);
	if (approve_decide(&f->ctx, &r.rq, &f->res) < 0)
		return -1;
	buf_reset(&f->member);
	approve_render(&f->res, &f->member);
	record_add_raw(rec, "approval", f->member.p, f->member.len);
	if (f->res.decision == DECIDE_ALLOW)
		approve_note_uses(&f->ctx, &f->res, r.rq.command);
	else
		record_deny(rec, f->res.reason);
	return 0;
}

static void flush_uses(struct filter *f)
{
	record_arena_pause();
	if (approve_flush_uses(&f->ctx) < 0)
		warnx("cannot note allow-list use: %s", claw_error());
	record_arena_resume();
	f->last_flush = time(NULL);
}

/*
 * Hits are written when the input goes idle, at most once a second: a stream
 * makes one write per second, not one per record. When a write is due later,
 * an alarm wakes the loop so the file does not wait for the next record.
 */
static void idle(void *arg)
{
	struct filter *f = arg;

	woken = 0;
	if (f->ctx.nuses == 0)
		return;
	if (time(NULL) - f->last_flush >= 1)
		flush_uses(f);
	else
		alarm(1);
}

static int run_filter(struct cli *c)
{
	struct config *cfg = &c->cfg;
	struct filter f = { 0 };
	struct stage stage = { .name = "claw-approve", .handle = handle, .idle = idle, .ctx = &f };
	struct record_opts ro = { .max_record = c->co.max_record, .in_fd = 0, .out_fd = 1 };
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART: the read returns */

	if (approve_init(&f.ctx, cfg) < 0 || ask_settings_load(&f.ctx.ask, cfg, &c->ask) < 0 ||
	    toolgate_load(&f.gate, cfg) < 0)
		errx(2, "%s", claw_error());
	norm_agent_id(cfg_default_agent(cfg), f.default_agent);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	int status = record_loop(&stage, &ro);
	alarm(0);
	if (f.ctx.nuses > 0 && approve_flush_uses(&f.ctx) < 0)
		warnx("cannot note allow-list use: %s", claw_error());
	approve_result_free(&f.res);
	buf_free(&f.member);
	ask_settings_free(f.ctx.ask);
	f.ctx.ask = NULL;
	toolgate_free(f.gate);
	approve_free(&f.ctx);
	/* Interrupted at a prompt: the denials are passed on; now end as the signal would. */
	int sig = ask_interrupted();
	if (sig != 0) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return status;
}

/* ---- check ---- */

/* One word is the command line; several are its words, quoted back into one. */
static char *command_line(char **words, int n)
{
	struct buf b = { 0 };

	if (n == 1)
		return xstrdup(words[0]);
	for (int i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&b, ' ');
		shell_quote(&b, words[i]);
	}
	return buf_steal(&b);
}

static void print_argv(char *const *argv, int argc)
{
	struct buf b = { 0 };

	for (int i = 0; i < argc; i++) {
		if (i > 0)
			buf_putc(&b, ' ');
		shell_quote(&b, argv[i]);
	}
	fputs(b.p ? b.p : "", stdout);
	buf_free(&b);
}

/* What the segment deletes or replaces, and whether a trash could keep it. */
static void explain_destroys(const struct seg_report *s)
{
	for (int i = 0; i < s->model.npaths; i++) {
		const struct model_path *p = &s->model.paths[i];
		if (p->use != MODEL_DELETE && p->use != MODEL_OVERWRITE)
			continue;
		printf("%*s     %s ", 2 * s->depth, "",
		       p->use == MODEL_DELETE ? "deletes" : "replaces");
		print_argv((char *const[]){ (char *)p->path }, 1);
		if (p->base != NULL)
			printf(" in %s", p->base);
		printf("%s (%s; %s)\n", p->tree ? " and all below it" : "", p->what,
		       p->recover == RECOVER_TRASH ? "a trash could keep it" : "not recoverable");
	}
}

static void explain_segment(int n, const struct seg_report *s)
{
	printf("%*s%d  ", 2 * s->depth, "", n);
	print_argv(s->argv, s->argc);
	putchar('\n');
	printf("%*s     ", 2 * s->depth, "");
	for (int i = 0; i < s->nwrappers; i++)
		printf("[%s] ", s->wrappers[i]);
	if (s->file.found) {
		printf("%s", s->file.path);
		if (s->file.real[0] && strcmp(s->file.real, s->file.path) != 0)
			printf(" (-> %s)", s->file.real);
	} else {
		print_argv(s->argv + s->exec, 1);
	}
	switch (s->satisfied) {
	case SAT_ALLOWLIST:
		printf(": allowed by the allow-list entry \"%s\"\n", s->match->raw_pattern);
		break;
	case SAT_SAFE_BINS:
		printf(": allowed as a safe bin\n");
		break;
	case SAT_SAFE_BUILTINS:
		printf(": allowed as a safe shell builtin\n");
		break;
	default:
		printf(": not allowed: %s\n", s->why ? s->why : "no allow-list entry matches");
	}
	explain_destroys(s);
}

static void explain(const char *command, const char *agent, const struct approve_result *res)
{
	printf("command: %s\n", command);
	printf("agent: %s  cwd: %s  security: %s  ask: %s  askFallback: %s\n", agent, res->cwd,
	       security_name(res->security), ask_name(res->ask), security_name(res->fallback));
	if (res->analysed && !res->analysis_ok)
		printf("analysis failed: %s (never allowed by the allow list)\n",
		       res->analysis_error);
	if (res->guard.verdict != GUARD_PASS)
		printf("self-protection (%s): %s\n", res->guard.reason, res->guard.detail);
	for (int i = 0; i < res->nsegs; i++)
		explain_segment(i + 1, &res->segs[i]);
	if (res->asked != NULL) {
		printf("decision: ask (%s)\n", res->asked);
		printf("nobody can be asked: %s, %s\n", res->reason,
		       res->decision == DECIDE_ALLOW ? "allowed" : "refused");
	} else {
		printf("decision: %s (%s)\n", res->decision == DECIDE_ALLOW ? "allow" : "deny",
		       res->reason);
	}
}

static int run_check(struct cli *c)
{
	struct config *cfg = &c->cfg;
	struct approve_ctx ctx;
	struct approve_result res = { 0 };
	char agent[SESSION_ID_MAX], cwd[PATH_MAX];
	int status;

	if (c->nwords == 0)
		usage_error("check: COMMAND is missing");
	if (approve_init(&ctx, cfg) < 0)
		errx(2, "%s", claw_error());
	char *command = command_line(c->words, c->nwords);
	norm_agent_id(c->agent ? c->agent : cfg_default_agent(cfg), agent);
	if (c->cwd == NULL && getcwd(cwd, sizeof(cwd)) == NULL)
		err(2, "getcwd");
	struct approve_request rq = { .agent = agent,
		                      .command = command,
		                      .cwd = c->cwd ? c->cwd : cwd };
	if (approve_decide(&ctx, &rq, &res) < 0)
		errx(2, "%s", claw_error());
	if (c->co.json) {
		struct buf b = { 0 };
		approve_render(&res, &b);
		puts(b.p);
		buf_free(&b);
	} else {
		explain(command, agent, &res);
	}
	status = res.decision == DECIDE_ALLOW && res.asked == NULL ? 0 : 1;
	approve_result_free(&res);
	approve_free(&ctx);
	free(command);
	return status;
}

/* ---- allowlist ---- */

static void print_entry(const struct allow_entry *e, const cJSON *j)
{
	const cJSON *used = cJSON_GetObjectItemCaseSensitive(j, "lastUsedAt");

	printf("%-8s %s", e->list, e->raw_pattern);
	if (e->arg_pattern)
		printf("  argPattern %s", e->arg_pattern);
	if (e->bound)
		printf("  bound (argv, cwd, sha256)");
	if (cJSON_IsNumber(used)) {
		time_t t = (time_t)(used->valuedouble / 1000);
		char when[32];
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", localtime(&t));
		printf("  last used %s", when);
	}
	if (e->never)
		printf("  (never matches: %s)", e->never);
	putchar('\n');
}

static void json_entry(struct buf *b, const struct allow_entry *e, const cJSON *j)
{
	cJSON *copy = cJSON_Duplicate(j, 1);
	char *text;

	cJSON_AddStringToObject(copy, "agent", e->list);
	if (e->never)
		cJSON_AddStringToObject(copy, "neverMatches", e->never);
	text = cJSON_PrintUnformatted(copy);
	buf_puts(b, text);
	cJSON_free(text);
	cJSON_Delete(copy);
}

static const cJSON *entry_json(const struct approvals *a, const struct allow_entry *e)
{
	const cJSON *agents = cJSON_GetObjectItemCaseSensitive(a->root, "agents");
	const cJSON *agent = cJSON_GetObjectItemCaseSensitive(agents, e->list);
	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(agent, "allowlist"), e->index);
}

static int allowlist_ls(struct cli *c, const struct approvals *a)
{
	const cJSON *agents = cJSON_GetObjectItemCaseSensitive(a->root, "agents"), *ag;
	struct buf b = { 0 };
	bool first = true;

	buf_putc(&b, '[');
	cJSON_ArrayForEach(ag, agents)
	{
		struct approvals_agent view;
		if (c->agent && strcmp(c->agent, ag->string) != 0 && strcmp(ag->string, "*") != 0)
			continue;
		approvals_for_agent(a, ag->string, &view);
		for (size_t i = 0; i < view.nentries; i++) {
			const struct allow_entry *e = &view.entries[i];
			if (strcmp(e->list, ag->string) != 0)
				continue; /* each list once, under its own key */
			if (c->co.json) {
				buf_puts(&b, first ? "" : ",");
				json_entry(&b, e, entry_json(a, e));
				first = false;
			} else {
				print_entry(e, entry_json(a, e));
			}
		}
		approvals_agent_free(&view);
	}
	buf_putc(&b, ']');
	if (c->co.json)
		puts(b.p);
	buf_free(&b);
	return 0;
}

struct edit {
	const char *agent, *pattern, *arg_pattern;
	int count;
	char other[SESSION_ID_MAX + 8]; /* rm: a list that has the entry, when this one has not */
};

static bool same_pattern(const cJSON *e, const char *pattern, const char *arg_pattern)
{
	const char *p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "pattern"));
	const char *ap = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "argPattern"));
	char *t = p ? str_trim_dup(p) : NULL;
	bool same = t && strcmp(t, pattern) == 0 &&
	            strcmp(ap ? ap : "", arg_pattern ? arg_pattern : "") == 0;
	free(t);
	return same;
}

static int add_entry(cJSON *root, void *arg)
{
	struct edit *ed = arg;
	cJSON *list = approvals_list(root, ed->agent), *e;
	char id[37];

	cJSON_ArrayForEach(e, list)
	{
		if (same_pattern(e, ed->pattern, ed->arg_pattern))
			return 0;
	}
	uuid4(id);
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "id", id);
	cJSON_AddStringToObject(e, "pattern", ed->pattern);
	if (ed->arg_pattern)
		cJSON_AddStringToObject(e, "argPattern", ed->arg_pattern);
	cJSON_AddItemToArray(list, e);
	ed->count = 1;
	return 1;
}

static bool matches_rm(const cJSON *e, const char *what)
{
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
	const char *p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "pattern"));
	char *t = p ? str_trim_dup(p) : NULL;
	bool m = (id && strcmp(id, what) == 0) || (t && strcmp(t, what) == 0);
	free(t);
	return m;
}

static int rm_entries(cJSON *root, void *arg)
{
	struct edit *ed = arg;
	cJSON *agents = cJSON_GetObjectItemCaseSensitive(root, "agents"), *ag;

	cJSON_ArrayForEach(ag, agents)
	{
		cJSON *list = cJSON_GetObjectItemCaseSensitive(ag, "allowlist");
		for (int i = cJSON_GetArraySize(list) - 1; i >= 0; i--) {
			if (!matches_rm(cJSON_GetArrayItem(list, i), ed->pattern))
				continue;
			if (strcmp(ag->string, ed->agent) != 0) {
				snprintf(ed->other, sizeof(ed->other), "%s", ag->string);
				continue;
			}
			cJSON_DeleteItemFromArray(list, i);
			ed->count++;
		}
	}
	return ed->count > 0;
}

static bool control_chars(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/*
 * A path entry matches the program's real file (symlinks resolved), as in
 * OpenClaw: an entry given as a link names the file it leads to, and says so.
 */
static char *entry_pattern(const char *given)
{
	char *pattern = str_trim_dup(given), real[PATH_MAX];

	if (pattern[0] != '/' || glob_has_wildcard(pattern) || realpath(pattern, real) == NULL ||
	    strcmp(real, pattern) == 0)
		return pattern;
	printf("%s leads to %s: the entry names that file, since a path entry matches the "
	       "program's real file\n",
	       pattern, real);
	free(pattern);
	return xstrdup(real);
}

static int allowlist_add(struct cli *c, const char *path)
{
	char *pattern = entry_pattern(c->words[0]);
	struct edit ed = { c->agent ? c->agent : "*", pattern, c->arg_pattern, 0, "" };
	regex_t re;

	if (pattern[0] == '\0' || control_chars(pattern))
		errx(1, "allowlist add: the pattern is empty or holds control characters");
	if (c->arg_pattern != NULL) {
		char *anchored = xasprintf("^(%s)$", c->arg_pattern);
		if (regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB) != 0)
			errx(1, "--arg-pattern: not a POSIX extended regular expression: %s",
			     c->arg_pattern);
		regfree(&re);
		free(anchored);
	}
	if (approvals_update(path, add_entry, &ed) < 0)
		errx(1, "%s", claw_error());
	printf(ed.count ? "added %s to agent %s\n" : "%s is already allow-listed for agent %s\n",
	       pattern, ed.agent);
	free(pattern);
	return 0;
}

static int allowlist_rm(struct cli *c, const char *path)
{
	struct edit ed = { c->agent ? c->agent : "*", c->words[0], NULL, 0, "" };

	if (approvals_update(path, rm_entries, &ed) < 0)
		errx(1, "%s", claw_error());
	if (ed.count == 0 && ed.other[0])
		errx(1, "no entry \"%s\" for agent %s (agent %s has one: --agent %s)", ed.pattern,
		     ed.agent, ed.other, ed.other);
	if (ed.count == 0)
		errx(1, "no entry \"%s\" for agent %s", ed.pattern, ed.agent);
	printf("removed %d entr%s from agent %s\n", ed.count, ed.count == 1 ? "y" : "ies",
	       ed.agent);
	return 0;
}

/* allow-always from the command line: entries bound to what COMMAND runs now. */
static int allowlist_bind(struct cli *c, struct config *cfg)
{
	struct approve_ctx ctx;
	struct approve_result res = { 0 };
	char agent[SESSION_ID_MAX], cwd[PATH_MAX];
	const char *key = c->agent ? c->agent : "*";

	if (approve_init(&ctx, cfg) < 0)
		errx(2, "%s", claw_error());
	char *command = command_line(c->words, c->nwords);
	norm_agent_id(strcmp(key, "*") == 0 ? cfg_default_agent(cfg) : key, agent);
	if (c->cwd == NULL && getcwd(cwd, sizeof(cwd)) == NULL)
		err(2, "getcwd");
	struct approve_request rq = { .agent = agent,
		                      .command = command,
		                      .cwd = c->cwd ? c->cwd : cwd };
	if (approve_decide(&ctx, &rq, &res) < 0)
		errx(2, "%s", claw_error());
	if (!res.analysis_ok)
		errx(1, "cannot bind a command claw does not understand: %s", res.analysis_error);
	if (res.guard.verdict != GUARD_PASS)
		errx(1, "%s: %s: a person must allow this each time", res.guard.reason,
		     res.guard.detail);
	for (int i = 0; i < res.nsegs; i++)
		if (res.segs[i].need == NEED_HUMAN)
			warnx("not bound (%s): %s", res.segs[i].why,
			      res.segs[i].argv[res.segs[i].exec]);
	int added = approve_persist(&ctx, &res, key);
	if (added < 0)
		errx(1, "%s", claw_error());
	if (added == 0)
		errx(1, "nothing bound: every part of this command needs a person each time");
	printf("bound %d entr%s for agent %s\n", added, added == 1 ? "y" : "ies", key);
	approve_result_free(&res);
	approve_free(&ctx);
	free(command);
	return 0;
}

static int run_allowlist(struct cli *c)
{
	struct config *cfg = &c->cfg;
	struct approvals a;
	char *path = state_path(cfg, "exec-approvals.json");
	int status = 0;

	if (c->action == NULL)
		usage_error("allowlist: ls, add or rm?");
	if (strcmp(c->action, "ls") == 0) {
		if (c->nwords > 0)
			usage_error("allowlist ls takes no arguments");
		if (approvals_load(&a, path) < 0)
			errx(1, "%s", claw_error());
		status = allowlist_ls(c, &a);
		approvals_free(&a);
	} else if (strcmp(c->action, "add") == 0 && c->bind) {
		if (c->nwords == 0)
			usage_error("allowlist add --bind: COMMAND is missing");
		status = allowlist_bind(c, cfg);
	} else if (strcmp(c->action, "add") == 0 || strcmp(c->action, "rm") == 0) {
		if (c->nwords != 1)
			usage_error("allowlist %s: exactly one PATTERN%s", c->action,
			            c->action[0] == 'r' ? " or ID" : "");
		status = c->action[0] == 'a' ? allowlist_add(c, path) : allowlist_rm(c, path);
	} else {
		usage_error("allowlist: unknown action \"%s\" (ls, add or rm)", c->action);
	}
	free(path);
	return status;
}

/* ---- pending, resolve ---- */

static int run_pending(struct cli *c)
{
	struct config *cfg = &c->cfg;
	if (c->nwords > 0)
		usage_error("pending: unexpected argument \"%s\"", c->words[0]);
	if (ask_pending_list(cfg, c->co.json, stdout) < 0) {
		warnx("pending: %s", claw_error());
		return 1;
	}
	return 0;
}

/* Who answers from the command line: cli:<login name>. */
static void cli_answerer(char *by, size_t size)
{
	const char *user = getenv("USER");
	struct passwd *pw = getpwuid(getuid());

	if (pw != NULL && pw->pw_name != NULL)
		user = pw->pw_name;
	snprintf(by, size, "cli:%s", user && *user ? user : "unknown");
}

static int run_resolve(struct cli *c)
{
	struct config *cfg = &c->cfg;
	char by[96], id[37];

	if (c->nwords != 2)
		usage_error(
		    "resolve: ID|SLUG|PREFIX and a decision (allow-once, allow-always, deny)");
	if (c->by != NULL)
		snprintf(by, sizeof(by), "%s", c->by);
	else
		cli_answerer(by, sizeof(by));
	if (ask_resolve(cfg, c->words[0], c->words[1], by, id) < 0) {
		warnx("resolve: %s", claw_error());
		return 1;
	}
	printf("%s %s\n", id, c->words[1]);
	return 0;
}

/* ---- grants ---- */

static int run_grants(struct cli *c)
{
	struct config *cfg = &c->cfg;
	const char *action = c->nwords > 0 ? c->words[0] : "ls";

	if (strcmp(action, "ls") == 0 && c->nwords <= 1) {
		if (toolgate_grants_list(cfg, c->co.json, stdout) < 0) {
			warnx("grants: %s", claw_error());
			return 1;
		}
		return 0;
	}
	if (strcmp(action, "rm") != 0 || c->nwords < 2 || c->nwords > 3)
		usage_error("grants: ls, or rm SESSION [TOOL]");
	int n = toolgate_grants_rm(cfg, c->words[1], c->nwords == 3 ? c->words[2] : NULL);
	if (n < 0) {
		warnx("grants: %s", claw_error());
		return 1;
	}
	if (n == 0) {
		warnx("grants: no grant for session %s%s%s", c->words[1],
		      c->nwords == 3 ? " and tool " : "", c->nwords == 3 ? c->words[2] : "");
		return 1;
	}
	printf("removed %d grant%s\n", n, n == 1 ? "" : "s");
	return 0;
}

/* ---- models ---- */

/* The model tables: as text, as JSON Lines (--json), or as claw-approve(1)'s
 * section (--scdoc, for the man page's generated part). */
static int run_models(struct cli *c)
{
	struct buf b = { 0 };
	const char *program = c->nwords > 0 ? c->words[0] : NULL;

	if (c->nwords > 1)
		usage_error("models: one PROGRAM at most");
	if (c->scdoc)
		model_tables_scdoc(&b);
	else if (c->co.json)
		model_tables_json(&b, program);
	else
		model_tables_text(&b, program);
	if (b.len == 0 && program != NULL) {
		warnx("no model for \"%s\": the allow list alone decides for it", program);
		buf_free(&b);
		return 1;
	}
	fputs(b.p, stdout);
	buf_free(&b);
	return 0;
}

/* ---- main ---- */

static const struct opts_command commands[] = {
	{ "check", run_check,
	  "explain the decision for COMMAND, segment by segment (exit 0: it\n"
	  "would run without asking; 1: it would ask or be refused)" },
	{ "allowlist", run_allowlist,
	  "list, add or remove exec-approvals.json entries (--agent defaults\n"
	  "to \"*\", every agent); --bind adds entries bound to COMMAND's argv,\n"
	  "directory and program contents, as allow-always does" },
	{ "pending", run_pending, "the requests waiting for a person's answer" },
	{ "resolve", run_resolve,
	  "answer one (OpenClaw's words and aliases: once, always, deny, ...)" },
	{ "grants", run_grants,
	  "the tools a person allowed for the rest of a session; rm takes them back" },
	{ "models", run_models,
	  "the argument models: each risky program's options and what they do" },
	{ NULL, NULL, NULL },
};

static const struct opts_spec spec = { usage, commands, options, usage_tail };

static void positional(struct cli *c, char *word, int argc)
{
	if (c->cmd == NULL) {
		c->cmd = opts_command_get(commands, word);
	} else if (opts_is(c->cmd, "allowlist") && c->action == NULL) {
		c->action = word;
	} else {
		if (c->words == NULL)
			c->words = xcalloc((size_t)argc, sizeof(*c->words));
		c->words[c->nwords++] = word;
	}
}

static void parse_args(int argc, char **argv, struct cli *c)
{
	int ch;

	while ((ch = opts_next(argc, argv, &c->co)) != -1) {
		switch (ch) {
		case 1:
			positional(c, optarg, argc);
			break;
		case OPT_AGENT:
			c->agent = optarg;
			break;
		case OPT_CWD:
			c->cwd = optarg;
			break;
		case OPT_ARG_PATTERN:
			c->arg_pattern = optarg;
			break;
		case OPT_BIND:
			c->bind = true;
			break;
		case OPT_NO_TTY:
			c->ask.no_tty = true;
			break;
		case OPT_WAIT:
			c->ask.wait = true;
			break;
		case OPT_DEFER:
			c->ask.defer = true;
			break;
		case OPT_ASK_FD:
			c->ask.announce_fd = (int)opts_number("--ask-fd", optarg, 1024);
			break;
		case OPT_TIMEOUT:
			c->ask.timeout_ms =
			    (long)opts_number("--timeout", optarg, 7UL * 24 * 3600) * 1000;
			break;
		case OPT_BY:
			c->by = optarg;
			break;
		case OPT_SCDOC:
			c->scdoc = true;
			break;
		default:
			usage_error("unexpected option");
		}
	}
	for (; optind < argc; optind++)
		positional(c, argv[optind], argc);
}

int main(int argc, char **argv)
{
	struct cli c = { .ask.announce_fd = -1 };
	int status;

	opts_use(&spec);
	parse_args(argc, argv, &c);
	if (c.cmd == NULL && (c.agent || c.cwd || c.arg_pattern || c.bind))
		usage_error("these options need a subcommand (check or allowlist)");
	if (c.cmd != NULL && (c.ask.no_tty || c.ask.wait || c.ask.defer || c.ask.announce_fd >= 0 ||
	                      c.ask.timeout_ms > 0))
		usage_error("--no-tty, --wait, --defer, --ask-fd and --timeout are for the filter");
	if (c.ask.defer && c.ask.announce_fd >= 0)
		usage_error(
		    "--defer and --ask-fd: the caller either asks itself or through resolve");
	if (c.by != NULL && !opts_is(c.cmd, "resolve"))
		usage_error("--by is for resolve");
	if (c.ask.announce_fd >= 0 && fcntl(c.ask.announce_fd, F_GETFD) < 0)
		usage_error("--ask-fd %d: not an open file descriptor", c.ask.announce_fd);
	bool models = opts_is(c.cmd, "models"); /* the tables need no config */
	if (c.scdoc && !models)
		usage_error("--scdoc is for models");
	if (!models && config_load(&c.cfg, &c.co) < 0)
		errx(2, "%s", claw_error());
	status = c.cmd ? c.cmd->run(&c) : run_filter(&c);
	if (!models)
		config_free(&c.cfg);
	free(c.words);
	return status;
}
