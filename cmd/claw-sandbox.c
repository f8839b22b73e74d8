/*
 * claw-sandbox: where and how does it run? (and runs it)
 *
 * As a filter it executes each exec record that reaches it without a
 * "deny": in the native sandbox when the session is sandboxed, on the host
 * otherwise (or when claw-approve granted an elevated run), and adds the
 * "sandbox" and "result" members. It is the executor: feed it records only
 * through the stages before it (claw run, claw exec). It runs only a
 * decision the log holds, once, between a start and an end entry of its
 * own (write-ahead: claw-record(7)); `pipeline` starts those stages itself.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit/auditlog.h"
#include "core/alloc.h"
#include "core/config.h"
#include "sandbox/docker.h"
#include "native/kernel.h"
#include "sandbox/envsan.h"
#include "core/fsutil.h"
#include "sandbox/hostkeep.h"
#include "native/journal.h"
#include "sandbox/inventory.h"
#include "native/landlock.h"
#include "native/limits.h"
#include "native/native.h"
#include "core/opts.h"
#include "native/nspin.h"
#include "core/record.h"
#include "sandbox/run.h"
#include "sandbox/sandbox.h"
#include "session/session.h"
#include "core/shell.h"
#include "native/sysfilter.h"
#include "policy/toolpolicy.h"
#include "core/stagepipe.h"
#include "core/util.h"
#include "ask/asktext.h"

static const char usage[] =
    "usage: claw-sandbox [--config FILE] [--state-dir DIR] [--log FILE] [--max-record BYTES]\n"
    "                    [--dry-run]\n"
    "       claw-sandbox exec [--agent A] [--session KEY] [--timeout SECONDS] [--dry-run]\n"
    "                         [--] COMMAND [ARG...]\n"
    "       claw-sandbox explain [--agent A] [--session KEY] [--json] [--seccomp]\n"
    "       claw-sandbox list [--json]\n"
    "       claw-sandbox rm [--container] (--all | --session KEY | --agent A)\n"
    "       claw-sandbox prune [--json]\n"
    "       claw-sandbox pipeline [--no-tty] [--wait] [--exec -- NEW-ARGS...]\n"
    "       claw-sandbox report < records\n"
    "       claw-sandbox features [--json | --filter]\n"
    "\n"
    "Without a subcommand, reads records (JSON Lines) on standard input, runs each\n"
    "exec record that carries no \"deny\" (in the sandbox when its session is sandboxed:\n"
    "native, or a container with backend \"docker\"; on the host otherwise) and writes it\n"
    "with \"sandbox\" and \"result\" members added. It runs only a decision that the\n"
    "decision log holds byte for byte (as claw-audit log passed it on), once, and logs\n"
    "a start entry before the command and an end entry after it: feed it through claw\n"
    "run or claw exec.\n";

static const char usage_tail[] =
    "Exit status: the filter and pipeline: 0, 1 some lines were not valid records, 2\n"
    "usage, config or I/O error (a stage failed). exec and pipeline --exec: the\n"
    "command's status; 124 timed out; 125 claw failed; 126 refused or not executable;\n"
    "127 not found; 2 usage or config error. See claw-sandbox(1).\n";

enum {
	OPT_AGENT = OPT_FIRST_COMMAND_OPTION,
	OPT_SESSION,
	OPT_TIMEOUT,
	OPT_ALL,
	OPT_SECCOMP,
	OPT_FILTER,
	OPT_DRY_RUN,
	OPT_CONTAINER,
	OPT_LOG,
	OPT_EXEC,
	OPT_NO_TTY,
	OPT_WAIT,
};

static const struct opt_row options[] = {
	OPT_VALUE("agent", OPT_AGENT, "A",
	          "exec, explain: the agent's main session (default: the default\n"
	          "agent's); rm: that agent's sandboxes"),
	OPT_VALUE("session", OPT_SESSION, "KEY",
	          "exec, explain: the session KEY's sandbox; rm: its scope's"),
	OPT_VALUE("timeout", OPT_TIMEOUT, "SECONDS",
	          "exec: kill the command after SECONDS (default 1800,\nat most 604800)"),
	OPT_FLAG("dry-run", OPT_DRY_RUN,
	         "the filter, exec: run nothing; print the argv of each program\n"
	         "it would start as a JSON array (on stderr; exec: on stdout)"),
	OPT_FLAG("json", OPT_JSON, "explain, list, rm, prune, features: machine-readable output"),
	OPT_FLAG("seccomp", OPT_SECCOMP,
	         "explain: the system call filter, as libseccomp's pseudo-code"),
	OPT_FLAG("all", OPT_ALL, "rm: every scope's sandboxes"),
	OPT_FLAG("container", OPT_CONTAINER,
	         "rm: the container only, so that the next run recreates it"),
	OPT_FLAG("exec", OPT_EXEC,
	         "pipeline: one request made by claw-session new NEW-ARGS (after\n"
	         "--), its output passed through as it comes, for claw exec"),
	OPT_FLAG("no-tty", OPT_NO_TTY, "pipeline: claw-approve does not ask at the terminal"),
	OPT_FLAG("wait", OPT_WAIT,
	         "pipeline: claw-approve puts a request up for resolve even with\n"
	         "no terminal and no chat target"),
	OPT_FLAG("filter", OPT_FILTER,
	         "features: write the seccomp program a sandbox without network\n"
	         "gets (BPF, struct sock_filter[]) to standard output, for tests"),
	OPT_HEADING("Common options:"),
	OPT_VALUE("log", OPT_LOG, "FILE",
	          "the decision log (default <state>/audit/decisions.jsonl)"),
	OPT_ROW_MAX_RECORD,
	OPT_ROWS_COMMON,
	OPT_END,
};

/* Seconds an exec request may run when it does not say (OpenClaw's exec default). */
#define DEFAULT_TIMEOUT 1800

/* The host's default PATH inside a sandbox. */
#define SANDBOX_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct cli {
	struct common_opts co;
	const struct opts_command *cmd; /* the subcommand, or NULL: the filter */
	const char *agent, *session;
	unsigned long timeout;
	bool all, seccomp, filter, dry_run, container_only;
	const char *log;         /* --log */
	bool exec, no_tty, wait; /* pipeline */
	char **command;          /* exec: COMMAND; pipeline --exec: claw-session new's arguments */
	int ncommand;
	struct config cfg;
};

/* ---- the environment a command gets ---- */

/* Variables the host run keeps from claw-sandbox's own environment: nothing else is inherited. */
static const char *const host_inherited[] = {
	"PATH",   "HOME",     "USER",        "LOGNAME", "LANG",
	"LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ",      "TERM",
};

/* PATH, HOME, TERM when asked, docker.env. In a container the image's own PATH stays. */
static void env_base_sandbox(const struct sandbox_settings *s, struct envlist *e, bool term)
{
	const char *t = getenv("TERM");

	if (strcmp(s->backend, "docker") != 0)
		env_set(e, "PATH", SANDBOX_PATH);
	env_set(e, "HOME", s->workdir);
	if (term && t != NULL)
		env_set(e, "TERM", t);
	for (size_t i = 0; i < s->env.vars.n; i++) {
		const char *var = s->env.vars.v[i], *eq = strchr(var, '=');
		char *name = xstrndup(var, (size_t)(eq - var));
		env_set(e, name, eq + 1);
		free(name);
	}
}

static void env_base_host(struct envlist *e)
{
	for (size_t i = 0; i < NELEM(host_inherited); i++) {
		const char *v = getenv(host_inherited[i]);
		if (v != NULL)
			env_set(e, host_inherited[i], v);
	}
	if (env_get(e, "PATH") == NULL)
		env_set(e, "PATH", SANDBOX_PATH);
}

/*
 * The request's env: names that steer loaders, shells or tools are refused
 * (the request is denied, as OpenClaw's host exec refuses them); in a sandbox,
 * names that look like credentials are dropped, as OpenClaw's sanitiser does.
 */
static int env_request(const cJSON *env, bool sandbox, struct envlist *e)
{
	const cJSON *item;

	if (env == NULL || cJSON_IsNull(env))
		return 0;
	if (!cJSON_IsObject(env))
		return claw_fail("args.env must be an object");
	cJSON_ArrayForEach(item, env)
	{
		const char *why;
		if (!cJSON_IsString(item))
			return claw_fail("args.env.%s must be a string", item->string);
		if (!envsan_valid_name(item->string))
			return claw_fail("args.env: \"%s\" is not a valid variable name",
			                 item->string);
		if ((why = envsan_override_blocked(item->string)) != NULL)
			return claw_fail("args.env.%s may not be set: it %s", item->string, why);
		if (sandbox && envsan_secret_name(item->string)) {
			warnx("args.env.%s dropped: it looks like a credential", item->string);
			continue;
		}
		env_set(e, item->string, item->valuestring);
	}
	return 0;
}

/* ---- settings per agent, loaded before the stream starts ---- */

struct agent_settings {
	char agent[SESSION_ID_MAX];
	struct sandbox_settings s;
	char *error; /* a config problem of this agent: its records are denied with it */
};

/* claw exec's account of its one request: what it says, and the status it exits with. */
struct outcome {
	bool seen;
	int status;
};

struct filter {
	struct config *cfg;
	struct agent_settings *agents;
	size_t nagents, capagents;
	struct buf member;
	bool dry_run;
	struct buf dry, notes; /* what a dry run would start; warnings of the docker backend */
	struct host_keep keep; /* what a host run put in the trash (approvals.exec.trash) */
	struct buf journal;    /* a sandboxed run's undo journal, for its result member */
	/* The decision log: a record runs only as the decision it holds (alog_claim). */
	struct alog log;
	struct alog_ref ref; /* the decision being run */
	const char *id;      /* its id, for the start and end entries */
	struct buf where;    /* its sandbox member, for the start entry and the record */
	struct buf entry, scratch;
	int stop;          /* nothing more runs: STOP_* or the signal that came */
	bool log_failed;   /* the log could not be written: exit 2 (claw exec: 125) */
	bool pass_through; /* claw exec: the command's output passes through as it comes */
	int out_fd;        /* where the records go (-1: nowhere a reader could leave) */
	bool stages;       /* pipeline: the stages before are ours (pass_signal()) */
	bool sync_start;   /* exec: its own decision goes with the start: synced */
	bool sync_later;   /* ... by the native sandbox, while it sets up (run_spec's sync_log) */
	struct outcome *outcome;
	/* The view host runs get (hostview.h): planned at the first host run. */
	struct hostview view;
	bool view_planned;
	char *view_error; /* why host runs are refused, when they are */
};

/* Why nothing more runs (besides a signal's number). */
enum { STOP_READER = -1, STOP_LOG = -2 };

/* The host runs' view of claw, or NULL with claw_error() when there can be none. */
static const struct hostview *host_view(struct filter *f)
{
	if (!f->view_planned) {
		f->view_planned = true;
		if (hostview_plan(&f->view, f->cfg) < 0)
			f->view_error = xstrdup(claw_error());
	}
	if (f->view_error != NULL) {
		claw_fail("%s", f->view_error);
		return NULL;
	}
	return &f->view;
}

static void add_agent(struct filter *f, const char *id)
{
	char norm[SESSION_ID_MAX];

	norm_agent_id(id, norm);
	for (size_t i = 0; i < f->nagents; i++)
		if (strcmp(f->agents[i].agent, norm) == 0)
			return;
	ALLOC_GROW(f->agents, f->nagents + 1, f->capagents);
	struct agent_settings *a = &f->agents[f->nagents++];
	memset(a, 0, sizeof(*a));
	memcpy(a->agent, norm, sizeof(norm));
	if (sandbox_settings_load(f->cfg, norm, &a->s) < 0)
		a->error = xstrdup(claw_error());
	for (size_t i = 0; i < a->s.warnings.n; i++)
		warnx("%s", a->s.warnings.v[i]);
}

static void load_all_agents(struct filter *f)
{
	const cJSON *list = cfg_get(f->cfg->root, "agents.list"), *e;

	add_agent(f, cfg_default_agent(f->cfg));
	add_agent(f, "main");
	if (!cJSON_IsArray(list))
		list = NULL;
	cJSON_ArrayForEach(e, list)
	{
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
		if (cJSON_IsString(id))
			add_agent(f, id->valuestring);
	}
}

static struct agent_settings *find_agent(struct filter *f, const char *agent)
{
	char norm[SESSION_ID_MAX];

	norm_agent_id(agent, norm);
	for (size_t i = 0; i < f->nagents; i++)
		if (strcmp(f->agents[i].agent, norm) == 0)
			return &f->agents[i];
	return NULL;
}

/* ---- running one request ---- */

struct request {
	const char *command;
	const char *workdir; /* as the request says, or NULL */
	const cJSON *env;
	double timeout;
	bool sandboxed;
	const char *scope_key;
	struct agent_settings *agent;
};

/* Where inside the sandbox a host workdir lands: inside the workspace, or the workdir. */
static char *inside_workdir(const struct sandbox_settings *s, const struct sandbox_place *p,
                            const char *workdir)
{
	if (workdir == NULL)
		return xstrdup(s->workdir);
	char *norm = host_path_normalize(workdir);
	char *out;
	if (host_path_inside(p->workspace_dir, norm))
		out = xasprintf("%s%s", s->workdir, norm + strlen(p->workspace_dir));
	else if (host_path_inside(s->workdir, norm))
		out = xstrdup(norm);
	else
		out = xstrdup(s->workdir);
	free(norm);
	return out;
}

static void put_sandbox_member(struct buf *b, bool sandbox, const struct sandbox_settings *s,
                               const struct sandbox_place *p, const char *workdir, bool dry,
                               const struct native_limits *limits)
{
	buf_reset(b);
	buf_printf(b, "{\"where\":\"%s\",\"backend\":", sandbox ? "sandbox" : "host");
	if (sandbox) {
		buf_json_str(b, s->backend);
		buf_puts(b, ",\"name\":");
		buf_json_str(b, p->name);
	} else {
		buf_puts(b, "null,\"name\":null");
	}
	buf_puts(b, ",\"workdir\":");
	buf_json_str(b, workdir);
	buf_puts(b, ",\"network\":");
	buf_json_str(b, sandbox ? s->network : "host");
	if (dry)
		buf_puts(b, ",\"dryRun\":true");
	if (limits) {
		buf_puts(b, ",\"limits\":");
		limits_json(b, limits);
	}
	buf_putc(b, '}');
}

/*
 * The result member: run_result_json()'s, with what the trash kept of a host
 * run (KEEP) or the sandboxed run's undo journal (JOURNAL) in it too, so the
 * run's end entry in the decision log lists them.
 */
static void put_result_member(struct buf *b, const struct run_result *r,
                              const struct host_keep *keep, const struct buf *journal)
{
	run_result_json(b, r);
	b->len--; /* its closing brace */
	if (keep != NULL)
		hostkeep_render(keep, b);
	if (journal != NULL && journal->len > 0)
		buf_put(b, journal->p, journal->len);
	buf_putc(b, '}');
}

/* Special files found at persistence paths, moved aside: said on stderr too, for the person. */
static void warn_moved(const struct run_result *r)
{
	struct buf b = { 0 };

	for (size_t i = 0; i < r->nmoved; i++) {
		buf_reset(&b);
		text_clean(&b, r->moved[i].path, 0);
		buf_puts(&b, ", a special file at a persistence path, ");
		if (r->moved[i].moved_to) {
			buf_puts(&b, "was moved to ");
			text_clean(&b, r->moved[i].moved_to, 0);
		} else {
			text_clean(&b, r->moved[i].error, 0);
		}
		buf_puts(&b, " (the host would have run what was written into it)");
		warnx("%s", b.p);
	}
	buf_free(&b);
}

/* The docker backend's warnings (a config change kept for the hot window, ...) on stderr. */
static void show_notes(struct buf *notes)
{
	if (notes->p == NULL)
		return;
	for (char *save = NULL, *l = strtok_r(notes->p, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save))
		warnx("%s", l);
	buf_reset(notes);
}

/* The run's undo journal (journal.h): each of the agent's writable trees through an overlay of its
 * own. */
struct undo {
	bool on;
	struct journal_run jr;
	struct native_overlay ov[JOURNAL_MAX_TREES];
	char *sub[JOURNAL_MAX_TREES]; /* where a tree lies in an earlier one, or NULL */
};

/* Whether A and B are the same file (or the same path, if either cannot be found). */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) < 0 || stat(b, &sb) < 0)
		return strcmp(a, b) == 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Where TREE lies inside OUTER, both by their real paths ("a/b"), or NULL. */
static char *inside_of(const char *tree, const char *outer)
{
	char *t = realpath(tree, NULL), *o = realpath(outer, NULL), *sub = NULL;
	size_t n = o ? strlen(o) : 0;

	if (t && o && strncmp(t, o, n) == 0 && (t[n] == '/' || n == 1) && t[n] != '\0' &&
	    t[n + (n > 1)] != '\0')
		sub = xstrdup(t + n + (n > 1));
	free(t);
	free(o);
	return sub;
}

static int undo_begin(const struct sandbox_settings *s, struct native_spec *ns, struct undo *u)
{
	const char *trees[JOURNAL_MAX_TREES];
	size_t n = 0;

	u->on = false;
	if (s->undo_max_mb <= 0)
		return 0;
	/* The agent's own files: its workspace shown read-write, and read-write binds. A
	 * scope's own workspace (workspaceAccess "none") is its scratch space: not journaled,
	 * which spares every such run the overlay's mount (about 0.9 ms). */
	if (ns->workspace_rw && strcmp(s->access, "rw") == 0)
		trees[n++] = ns->workspace;
	for (size_t i = 0; i < ns->nbinds && n < JOURNAL_MAX_TREES + 1; i++)
		if (!ns->binds[i].ro) {
			if (n == JOURNAL_MAX_TREES)
				return claw_fail(
				    "more than %d writable trees: the run could not be "
				    "undone (agents.defaults.sandbox.native.undoMaxMb: 0 "
				    "runs without the journal)",
				    JOURNAL_MAX_TREES);
			trees[n++] = ns->binds[i].src;
		}
	if (n == 0)
		return 0;
	/* A tree shown twice (the workspace bound again at /repos) is one overlay, shown twice;
	 * a tree that lies in an earlier one (a subdirectory of the workspace bound at /mnt)
	 * is that part of its overlay, so both places show the run one tree. */
	const char *distinct[JOURNAL_MAX_TREES];
	size_t of[JOURNAL_MAX_TREES], nd = 0;
	for (size_t i = 0; i < n; i++) {
		of[i] = nd;
		u->sub[i] = NULL;
		for (size_t k = 0; k < nd && of[i] == nd; k++)
			if (same_file(trees[i], distinct[k]) ||
			    (u->sub[i] = inside_of(trees[i], distinct[k])) != NULL)
				of[i] = k;
		if (of[i] == nd)
			distinct[nd++] = trees[i];
	}
	if (journal_begin(s->cfg->state_dir, s->agent, distinct, nd, &u->jr) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		u->ov[i] = (struct native_overlay){ trees[i], u->jr.tree[of[i]].layers, u->sub[i] };
	ns->overlays = u->ov;
	ns->noverlays = n;
	u->on = true;
	return 0;
}

/* After the run: its writes merged into the trees, what they replaced kept; old journals pruned. */
static void undo_end(const struct sandbox_settings *s, const struct native_spec *ns, struct undo *u,
                     struct buf *out)
{
	struct journal_summary sum;

	if (!u->on)
		return;
	if (journal_merge(&u->jr, ns->protect, ns->nprotect, &sum) < 0)
		warnx("%s", claw_error());
	if (out != NULL && sum.n > 0)
		journal_render(&u->jr, &sum, out);
	else if (sum.n > 0)
		warnx("the run changed %zu paths; `claw undo %s` puts them back", sum.n, u->jr.id);
	/* Only a run that kept something can take the journal past its budget. */
	if (sum.n > 0 &&
	    journal_prune(s->cfg->state_dir, s->agent, (uint64_t)(s->undo_max_mb * 1048576),
	                  s->undo_max_age_days * 86400) < 0)
		warnx("%s", claw_error());
	journal_summary_free(&sum);
}

/* ---- the decision log: a start entry before the command, an end entry after ---- */

/* Chains {"KIND":{"decision":N,"hash":H},"id":...,"NAME":JSON} for the decision being run. */
static int chain_run(struct filter *f, const char *kind, const char *name, const char *json,
                     size_t len)
{
	buf_reset(&f->entry);
	alog_run_open(&f->entry, kind, &f->ref);
	if (f->id != NULL) {
		buf_puts(&f->entry, ",\"id\":");
		buf_json_str(&f->entry, f->id);
	}
	buf_printf(&f->entry, ",\"%s\":", name);
	buf_put(&f->entry, json, len);
	buf_puts(&f->entry, ",\"audit\":");
	if (alog_begin(&f->log) < 0)
		return -1;
	buf_reset(&f->scratch);
	alog_add(&f->log, f->entry.p, f->entry.len, &f->scratch);
	return alog_commit(&f->log);
}

/* The log cannot be written: said once; nothing more runs. */
static void log_broken(struct filter *f)
{
	if (!f->log_failed)
		warnx("%s", claw_error());
	f->log_failed = true;
	f->stop = STOP_LOG;
}

/*
 * The decision starts: its start entry (with where it runs) is written
 * before the command is started, and its way to the disk begun; the decision
 * itself was synced by claw-audit log (or, for exec, is synced with it:
 * F->sync_start). -1: the log cannot be written, nothing runs.
 */
static int start_run(struct filter *f)
{
	if (f->dry_run)
		return 0; /* nothing runs, nothing was claimed */
	if (chain_run(f, ALOG_START, "sandbox", f->where.p, f->where.len) < 0 ||
	    (f->sync_later   ? 0
	     : f->sync_start ? alog_sync(&f->log)
	                     : alog_write_out(&f->log)) < 0) {
		log_broken(f);
		return claw_fail("not run: the decision log cannot be written");
	}
	return 0;
}

/* The decision's end entry: the result member, or the refusal. Synced when input idles. */
static void end_run(struct filter *f, const char *name, const char *json, size_t len)
{
	if (f->dry_run || f->stop == STOP_LOG)
		return;
	if (chain_run(f, ALOG_END, name, json, len) < 0)
		log_broken(f);
}

/* A refusal of a claimed decision: on the record, and as its end entry. */
static void refuse(struct filter *f, struct record *rec, const char *reason)
{
	if (rec != NULL)
		record_deny(rec, reason);
	buf_reset(&f->scratch);
	buf_puts(&f->scratch, "{\"by\":\"claw-sandbox\",\"reason\":");
	buf_json_str(&f->scratch, reason);
	buf_putc(&f->scratch, '}');
	char *deny = buf_steal(&f->scratch);
	end_run(f, "deny", deny, strlen(deny));
	free(deny);
}

static int run_native(const struct sandbox_settings *s, const struct sandbox_place *p,
                      struct run_spec *rs, struct run_result *r, struct buf *journal)
{
	struct native_spec ns;
	struct native_bind *binds = xcalloc(s->binds.n + 1, sizeof(*binds));
	struct undo *u = xcalloc(1, sizeof(*u));
	uid_t uid;
	gid_t gid;
	int rc = -1, lock = -1;

	if (sandbox_user(s, &uid, &gid) == 0 && sandbox_prepare(s, p, uid, gid, &lock) == 0 &&
	    (sandbox_native_spec(s, p, uid, gid, rs->timeout, &ns, binds),
	     undo_begin(s, &ns, u) == 0)) {
		ns.sync_log = rs->sync_log;
		ns.log_fd = rs->log_fd;
		rs->sandbox = &ns;
		rc = run_command(rs, r);
		rs->sandbox = NULL;
		warn_moved(r);
		undo_end(s, &ns, u, journal);
	} else {
		r->failed = 125;
	}
	for (size_t i = 0; i < JOURNAL_MAX_TREES; i++)
		free(u->sub[i]);
	free(u);
	if (lock >= 0)
		close(lock); /* held while the sandbox ran: rm and prune leave it alone */
	free(binds);
	return rc;
}

/*
 * A sandboxed run: the scope's place, then its backend. A dry run starts
 * nothing: the docker backend prints its calls, the native one the command.
 */
static int run_sandboxed(const struct request *q, struct envlist *env, struct run_result *r,
                         struct filter *f, struct record *rec)
{
	const struct sandbox_settings *s = &q->agent->s;
	struct sandbox_place p;
	char *argv[] = { "/bin/sh", strcmp(s->backend, "docker") == 0 ? "-lc" : "-c",
		         (char *)q->command, NULL };
	int rc;

	memset(r, 0, sizeof(*r));
	if (sandbox_place(s, q->scope_key, &p) < 0)
		return -1;
	char *workdir = inside_workdir(s, &p, q->workdir);
	put_sandbox_member(&f->where, true, s, &p, workdir, f->dry_run, NULL);
	if (start_run(f) < 0) {
		rc = -1;
		r->failed = 125;
	} else if (strcmp(s->backend, "docker") == 0) {
		/* OpenClaw's form: the command is one argument after -lc. */
		struct docker_run d = { .s = s,
			                .p = &p,
			                .argv = argv,
			                .envp = env_finish(env),
			                .workdir = workdir,
			                .timeout = q->timeout,
			                .capture = true,
			                .pass_through = f->pass_through,
			                .dry_run = f->dry_run ? &f->dry : NULL,
			                .notes = &f->notes };
		rc = docker_run(&d, r);
		show_notes(&f->notes);
	} else if (f->dry_run) {
		run_argv_json(&f->dry, argv);
		rc = 0;
	} else {
		struct run_spec rs = { .argv = argv,
			               .envp = env_finish(env),
			               .cwd = workdir,
			               .timeout = q->timeout,
			               .capture = true,
			               .pass_through = f->pass_through };
		rc = run_native(s, &p, &rs, r, &f->journal);
	}
	if (rc == 0) {
		/* The record's member says what enforced each limit, known once it ran. */
		bool native = strcmp(s->backend, "native") == 0 && !f->dry_run;
		put_sandbox_member(&f->member, true, s, &p, workdir, f->dry_run,
		                   native ? &r->limits : NULL);
		record_add_raw(rec, "sandbox", f->member.p, f->member.len);
	}
	free(workdir);
	sandbox_place_free(&p);
	return rc;
}

/* approvals.exec.trash: what claw-approve's plan says the trash keeps, kept first. */
static int keep_before(struct filter *f, struct record *rec, char *const *envp)
{
	const cJSON *approval = cJSON_GetObjectItemCaseSensitive(rec->root, "approval");
	const cJSON *trash = cJSON_GetObjectItemCaseSensitive(approval, "trash");

	return hostkeep_before(cJSON_IsObject(trash) ? trash : NULL, envp, &f->keep);
}

static int run_on_host(const struct request *q, struct envlist *env, struct run_result *r,
                       struct filter *f, struct record *rec)
{
	char *cwd = q->workdir ? xstrdup(q->workdir) : getcwd(NULL, 0);
	char *argv[] = { "/bin/sh", "-c", (char *)q->command, NULL };
	struct run_spec rs = { .argv = argv,
		               .envp = env_finish(env),
		               .cwd = cwd,
		               .timeout = q->timeout,
		               .capture = true,
		               .pass_through = f->pass_through };
	int rc = 0;

	memset(r, 0, sizeof(*r));
	put_sandbox_member(&f->where, false, NULL, NULL, cwd ? cwd : "/", f->dry_run, NULL);
	if (f->dry_run)
		run_argv_json(&f->dry, argv);
	else if ((rc = start_run(f)) < 0)
		r->failed = 125;
	else if ((rs.hostview = host_view(f)) == NULL)
		rc =
		    -1; /* fail closed: claw's state would be in its view (claw_error() says why) */
	else if ((rc = keep_before(f, rec, rs.envp)) == 0) {
		rc = run_command(&rs, r);
		hostkeep_after(&f->keep);
	}
	if (rc == 0)
		record_add_raw(rec, "sandbox", f->where.p, f->where.len);
	free(cwd);
	return rc;
}

/* Reads what the request and the earlier stages say. -1: the record is not valid here. */
static int read_request(struct filter *f, const cJSON *root, struct request *q, bool *elevated)
{
	const cJSON *args = NULL, *session = NULL, *approval = NULL, *timeout;
	const char *agent = NULL, *via = NULL;
	int sandboxed = 0, el = 0;

	memset(q, 0, sizeof(*q));
	if (rec_get_obj(root, "args", &args) < 0 || args == NULL)
		return args ? -1 : claw_fail("an exec record needs \"args\"");
	if (rec_get_str(args, "command", &q->command) < 0 || q->command == NULL ||
	    q->command[0] == '\0')
		return claw_fail("args.command must be a non-empty string");
	if (rec_get_str(args, "workdir", &q->workdir) < 0 ||
	    rec_get_bool(args, "elevated", &el) < 0)
		return -1;
	q->env = cJSON_GetObjectItemCaseSensitive(args, "env");
	timeout = cJSON_GetObjectItemCaseSensitive(args, "timeout");
	q->timeout = cJSON_IsNumber(timeout) && timeout->valuedouble > 0 ? timeout->valuedouble
	                                                                 : DEFAULT_TIMEOUT;
	/* Fail closed: without claw-session's member there is no telling where it may run. */
	if (rec_get_obj(root, "session", &session) < 0 || session == NULL)
		return claw_fail("no \"session\" member: feed claw-sandbox through claw-session "
		                 "(claw run, claw exec)");
	if (rec_get_bool(session, "sandboxed", &sandboxed) < 0 ||
	    rec_get_str(session, "scopeKey", &q->scope_key) < 0 ||
	    rec_get_str(session, "agent", &agent) < 0)
		return -1;
	if (q->scope_key == NULL)
		return claw_fail("session has no \"scopeKey\": feed claw-sandbox through "
		                 "claw-session (claw run, claw exec)");
	q->sandboxed = sandboxed;
	q->agent = find_agent(f, agent ? agent : cfg_default_agent(f->cfg));
	if (q->agent == NULL)
		return claw_fail("agent \"%s\" is not configured", agent);
	/* Elevated runs on the host only when claw-approve granted exactly that. */
	if (rec_get_obj(root, "approval", &approval) < 0)
		return -1;
	if (approval && rec_get_str(approval, "via", &via) < 0)
		return -1;
	*elevated = el && via && strcmp(via, "elevated") == 0;
	return 0;
}

static int report_record(const cJSON *rec, bool output);

/*
 * Between runs, a Ctrl-C (or SIGTERM, SIGHUP) stops claw-sandbox from
 * starting anything more; it still reads its input to the end, so that each
 * decision the log holds gets its end entry, then dies of the signal
 * (record_hold_signals()). During a run, run_command() has its own handlers:
 * the command is killed.
 */

/* The status tell_outcome() takes from the record, as `report` does. */
#define FROM_RECORD (-1)

/*
 * claw exec: what the person is told of its one request (the same words as
 * `report`, from the record as it goes out), unless QUIET (the output went
 * through already, or the trouble was said once), and the status it exits
 * with: STATUS, or FROM_RECORD.
 */
static void tell_outcome(struct filter *f, struct record *rec, int status, bool quiet)
{
	struct buf line = { 0 };

	if (f->outcome == NULL)
		return;
	record_render(rec, &line);
	cJSON *root = cJSON_ParseWithLength(line.p, line.len);
	int said = quiet ? 125 : report_record(root, false);
	f->outcome->status = status == FROM_RECORD ? said : status;
	f->outcome->seen = true;
	cJSON_Delete(root);
	buf_free(&line);
}

static const char *stop_reason(int stop)
{
	static char why[64];

	if (stop == STOP_READER)
		return "not run: the reader of the results has gone";
	if (stop == STOP_LOG)
		return "not run: the decision log cannot be written";
	snprintf(why, sizeof(why), "not run: interrupted (%s)", run_signal_name(stop));
	return why;
}

/* Whether the reader of FD (a pipe) has gone: nobody would see what runs now. */
static bool reader_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = 0 };

	return fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & POLLERR) != 0;
}

/* Claims the record's decision on the log; -1 when it may not run (the record is denied). */
static int claim(struct filter *f, struct record *rec)
{
	const char *id = NULL;

	if (f->dry_run)
		return 0; /* nothing runs: nothing to claim */
	if (f->stop == STOP_LOG) {
		record_deny(rec, stop_reason(f->stop));
		return -1;
	}
	int rc = alog_claim(&f->log, rec->raw, rec->rawlen, &f->ref);
	if (rc == -2)
		log_broken(f);
	if (rc < 0) {
		char *why = xasprintf("not run: %s", claw_error());
		record_deny(rec, why);
		free(why);
		return -1;
	}
	rec_get_str(rec->root, "id", &id);
	f->id = id;
	return 0;
}

/* Runs the claimed request: its start entry, the command, its end entry. */
static void run_claimed(struct filter *f, struct record *rec, struct request *q, bool elevated)
{
	struct envlist env = { 0 };
	struct run_result r = { 0 };
	bool sandbox = q->sandboxed && !elevated;

	buf_reset(&f->journal);
	if (sandbox)
		env_base_sandbox(&q->agent->s, &env, false);
	else
		env_base_host(&env);
	if (env_request(q->env, sandbox, &env) < 0) {
		refuse(f, rec, claw_error());
		env_free(&env);
		tell_outcome(f, rec, FROM_RECORD, false);
		return;
	}
	int rc = sandbox ? run_sandboxed(q, &env, &r, f, rec) : run_on_host(q, &env, &r, f, rec);
	env_free(&env);
	if (f->dry.len > 0) {
		fputs(f->dry.p, stderr);
		buf_reset(&f->dry);
	}
	if (rc < 0) {
		/* Nothing ran: the sandbox could not be built, the command could not start,
		 * or the log would not take its start entry. */
		bool quiet = f->stop == STOP_LOG;
		refuse(f, rec, claw_error());
		tell_outcome(f, rec, r.failed ? r.failed : FROM_RECORD, quiet);
	} else if (!f->dry_run) {
		/* Dry run: a sandbox member that says dryRun, and no result: nothing ran. */
		put_result_member(&f->member, &r, sandbox ? NULL : &f->keep,
		                  sandbox ? &f->journal : NULL);
		record_add_raw(rec, "result", f->member.p, f->member.len);
		end_run(f, "result", f->member.p, f->member.len);
		if (r.interrupted)
			f->stop = r.interrupted;
		tell_outcome(f, rec, r.interrupted ? 128 + r.interrupted : run_exit_status(&r),
		             true);
	}
	run_result_free(&r);
}

static int handle(struct record *rec, void *ctx)
{
	struct filter *f = ctx;
	const char *tool = NULL;
	struct request q;
	bool elevated = false;

	if (f->stop == 0 && record_held_signal() != 0)
		f->stop = record_held_signal();
	if (rec->denied) {
		tell_outcome(f, rec, FROM_RECORD, false); /* claw exec: refused before it came */
		return 0;
	}
	if (rec_get_str(rec->root, "tool", &tool) < 0)
		return -1;
	if (tool == NULL || !catalog_is_exec(tool))
		return 0; /* other tools pass through */
	if (read_request(f, rec->root, &q, &elevated) < 0 || q.agent == NULL)
		return -1;
	record_flush(); /* the results so far are out before this one runs (not under the lock) */
	if (f->stop == 0 && (record_output_closed || reader_gone(f->out_fd)))
		f->stop = STOP_READER;
	if (claim(f, rec) < 0) {
		tell_outcome(f, rec, 125, f->stop == STOP_LOG);
		return 0;
	}
	if (f->stop != 0 || q.agent->error) {
		refuse(f, rec, f->stop ? stop_reason(f->stop) : q.agent->error);
		tell_outcome(f, rec, f->stop > 0 ? 128 + f->stop : FROM_RECORD, f->stop != 0);
		return 0;
	}
	run_claimed(f, rec, &q, elevated);
	return 0;
}

/* End entries go to the disk (without waiting for it) when the input pauses, and at the end. */
static void filter_idle(void *ctx)
{
	struct filter *f = ctx;

	if (!f->dry_run && f->stop != STOP_LOG && alog_write_out(&f->log) < 0)
		log_broken(f);
}

/*
 * A signal that reached claw-sandbox pipeline alone (kill PID, a service
 * manager) goes on to the stages it started, once: they end on it (a person
 * being asked is answered: claw-approve(1)), the log stage logs what it was
 * given, and so the input ends. From the terminal they had it already.
 */
static pid_t stage_pids[STAGEPIPE_MAX];
static volatile sig_atomic_t passed;

static void pass_signal(int sig)
{
	if (passed)
		return;
	passed = 1;
	for (size_t i = 0; i < STAGEPIPE_MAX; i++)
		if (stage_pids[i] > 0)
			kill(stage_pids[i], sig);
}

static int filter_begin(struct filter *f, struct cli *c, struct config *cfg)
{
	memset(f, 0, sizeof(*f));
	f->cfg = cfg;
	f->dry_run = c->dry_run;
	f->log.fd = -1;
	if (!f->dry_run) {
		char *path = c->log ? xstrdup(c->log) : state_path(cfg, "audit/decisions.jsonl");
		int rc = alog_open(&f->log, path, ALOG_FSYNC_BATCH);
		free(path);
		if (rc < 0)
			return -1;
	}
	load_all_agents(f);
	return 0;
}

/* Reads records from IN_FD to its end; the filter's exit status (a signal is left to the caller).
 */
static int filter_loop(struct filter *f, struct cli *c, int in_fd, int out_fd)
{
	struct stage stage = { .name = "claw-sandbox",
		               .handle = handle,
		               .handle_denied = true,
		               .idle = filter_idle,
		               .ctx = f };
	struct record_opts ro = {
		.max_record = c->co.max_record, .in_fd = in_fd, .out_fd = out_fd, .drain = true
	};
	f->out_fd = out_fd;
	record_hold_signals(in_fd, f->stages ? pass_signal : NULL);
	int status = record_loop(&stage, &ro);

	if (f->stop == 0 && record_held_signal() != 0)
		f->stop = record_held_signal();
	return f->log_failed ? 2 : status;
}

static void free_agents(struct filter *f)
{
	for (size_t i = 0; i < f->nagents; i++) {
		sandbox_settings_free(&f->agents[i].s);
		free(f->agents[i].error);
	}
	free(f->agents);
}

static void filter_end(struct filter *f)
{
	free_agents(f);
	hostview_free(&f->view);
	free(f->view_error);
	alog_close(&f->log);
	buf_free(&f->member);
	buf_free(&f->where);
	buf_free(&f->entry);
	buf_free(&f->scratch);
	buf_free(&f->dry);
	buf_free(&f->notes);
	hostkeep_free(&f->keep);
	buf_free(&f->journal);
}

static int run_filter(struct cli *c)
{
	struct config *cfg = &c->cfg;
	struct filter f;

	if (filter_begin(&f, c, cfg) < 0)
		errx(2, "%s", claw_error());
	int status = filter_loop(&f, c, 0, 1);
	int sig = f.stop > 0 ? f.stop : 0;
	filter_end(&f);
	native_reap_all();
	record_die_of(sig);
	return status;
}

/* ---- pipeline: claw run and claw exec ---- */

/* One stage's argv: NAME, the common options given to claw-sandbox, then ARGS and MORE. */
static char **stage_argv(const struct cli *c, const char *name, const char *const *args,
                         size_t nargs, char *const *more, size_t nmore)
{
	char **v = xcalloc(nargs + nmore + 8, sizeof(char *));
	size_t n = 0;

	v[n++] = (char *)name;
	if (c->co.config) {
		v[n++] = "--config";
		v[n++] = (char *)c->co.config;
	}
	if (c->co.claw_config) {
		v[n++] = "--claw-config";
		v[n++] = (char *)c->co.claw_config;
	}
	if (c->co.state_dir) {
		v[n++] = "--state-dir";
		v[n++] = (char *)c->co.state_dir;
	}
	for (size_t i = 0; i < nargs; i++)
		if (args[i] != NULL)
			v[n++] = (char *)args[i];
	for (size_t i = 0; i < nmore; i++)
		v[n++] = more[i];
	return v;
}

/* The stages before claw-sandbox, as they will be started. */
struct plan {
	char **argv[STAGEPIPE_MAX]; /* each stage's argv (stage_argv) */
	struct stagepipe_stage stage[STAGEPIPE_MAX];
	size_t n;
};

static void plan_add(struct plan *p, char **argv)
{
	p->argv[p->n] = argv;
	p->stage[p->n++] =
	    (struct stagepipe_stage){ .name = argv[0], .args = (const char *const *)argv + 1 };
}

/* claw-session (exec: claw-session new --through ...) | claw-policy | claw-approve |
 * claw-audit log */
static void plan_stages(const struct cli *c, struct plan *p)
{
	const char *approve[] = { c->no_tty ? "--no-tty" : NULL, c->wait ? "--wait" : NULL };
	const char *log[] = { "log", c->log ? "--log" : NULL, c->log };
	const char *new_[] = { "new", "--through" }; /* the request and its session member */

	p->n = 0;
	if (c->exec)
		plan_add(p, stage_argv(c, "claw-session", new_, NELEM(new_), c->command,
		                       (size_t)c->ncommand));
	else
		plan_add(p, stage_argv(c, "claw-session", NULL, 0, NULL, 0));
	plan_add(p, stage_argv(c, "claw-policy", NULL, 0, NULL, 0));
	plan_add(p, stage_argv(c, "claw-approve", approve, NELEM(approve), NULL, 0));
	plan_add(p, stage_argv(c, "claw-audit", log, c->log ? 3 : 1, NULL, 0));
}

/*
 * How the N stages of SP ended, in pipeline order: the first that failed
 * decides (what failed after it, failed because of it), and says so unless it
 * said so itself. A stage that died of SIGPIPE stopped because a later one
 * did; one that died of the Ctrl-C that claw-sandbox saw too was interrupted.
 */
static int stages_status(const struct cli *c, const struct stagepipe *sp, size_t n, int stop,
                         int *worst)
{
	char how[64];

	*worst = 0;
	for (size_t i = 0; i < n; i++) {
		int st = sp->status[i], sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : 0;
		const char *name = sp->name[i];
		if (sig == SIGPIPE || (sig != 0 && sig == stop) || code == 0)
			continue;
		if (code == 1) {
			*worst = 1; /* some lines were not records: said, and passed on as errors */
			continue;
		}
		/* claw-audit log exits 2 only when the log cannot be written: claw failed. */
		if (code == 2 && strcmp(name, "claw-audit") != 0)
			return 2;
		if (code != 2)
			fprintf(stderr, "claw: %s %s; nothing more was run\n", name,
			        stagepipe_how(st, how, sizeof(how)));
		return c->exec ? 125 : 2;
	}
	return 0;
}

static int run_pipeline(struct cli *c)
{
	struct config *cfg = &c->cfg;
	struct plan p = { 0 };
	struct stagepipe sp;
	struct filter f;
	struct outcome out = { .status = 125 };
	int in = 0, records = -1, null_out = -1, status = 125;

	if (filter_begin(&f, c, cfg) < 0) {
		warnx("%s; nothing was run", claw_error());
		filter_end(&f);
		return c->exec ? 125 : 2;
	}
	if (c->exec) {
		/* One request: its output passes through as it comes; the record is ours. */
		in = open("/dev/null", O_RDONLY | O_CLOEXEC);
		null_out = open("/dev/null", O_WRONLY | O_CLOEXEC);
		f.pass_through = true;
		f.outcome = &out;
	}
	plan_stages(c, &p);
	if (in < 0 || (c->exec && null_out < 0) ||
	    stagepipe_start(&sp, p.stage, p.n, in, -1, -1, false) < 0) {
		warnx("%s; nothing was run", claw_error());
		status = c->exec ? 125 : 2;
	} else {
		for (size_t i = 0; i < sp.n; i++)
			stage_pids[i] = sp.pid[i];
		f.stages = true;
		records = sp.out;
		int filtered = filter_loop(&f, c, records, c->exec ? null_out : 1);
		size_t n = sp.n;
		stagepipe_wait(&sp); /* closes records; how each ended is judged below */
		int worst, failed = stages_status(c, &sp, n, f.stop, &worst);
		if (failed != 0)
			status = failed;
		else if (!c->exec)
			status = filtered > worst ? filtered : worst;
		else if (f.log_failed)
			status = 125;
		else if (out.seen)
			status = out.status;
		else if (f.stop <= 0) {
			fprintf(stderr, "claw: the pipeline gave no result\n");
			status = 125;
		}
	}
	int sig = f.stop > 0 ? f.stop : 0;
	for (size_t i = 0; i < p.n; i++)
		free(p.argv[i]);
	if (in > 0)
		close(in);
	if (null_out >= 0)
		close(null_out);
	filter_end(&f);
	native_reap_all();
	record_die_of(sig);
	return status;
}

/* ---- one-shot: the session of the options ---- */

struct target {
	struct session_settings ss;
	struct session_info si;
	struct sandbox_settings s;
	struct sandbox_place p;
};

static int resolve_target(struct cli *c, struct config *cfg, struct target *t, int fail_status)
{
	struct session_request rq = { .agent = c->agent, .session_key = c->session };

	memset(t, 0, sizeof(*t));
	if (session_settings_load(&t->ss, cfg) < 0)
		errx(2, "%s", claw_error());
	if (session_resolve(&t->ss, &rq, &t->si) < 0)
		errx(fail_status, "%s", claw_error());
	if (sandbox_settings_load(cfg, t->si.agent, &t->s) < 0)
		errx(2, "%s", claw_error());
	for (size_t i = 0; i < t->s.warnings.n; i++)
		warnx("%s", t->s.warnings.v[i]);
	return sandbox_place(&t->s, t->si.scope_key.p, &t->p);
}

static void target_free(struct target *t)
{
	sandbox_place_free(&t->p);
	sandbox_settings_free(&t->s);
	session_info_free(&t->si);
	session_settings_free(&t->ss);
}

/* exec in the scope's container: the argv after the name, not through a shell. */
static int exec_docker(struct cli *c, struct target *t, struct envlist *env, struct run_result *r)
{
	struct buf dry = { 0 }, notes = { 0 };
	struct docker_run d = { .s = &t->s,
		                .p = &t->p,
		                .argv = c->command,
		                .envp = env_finish(env),
		                .workdir = t->s.workdir,
		                .timeout = (double)c->timeout,
		                .tty = isatty(0) == 1,
		                .dry_run = c->dry_run ? &dry : NULL,
		                .notes = &notes };
	int rc = docker_run(&d, r);

	show_notes(&notes);
	if (dry.len > 0)
		fputs(dry.p, stdout);
	buf_free(&dry);
	buf_free(&notes);
	return rc;
}

/*
 * exec logs its own decision (what claw-audit log would have logged: the
 * request and its session, by "claw-sandbox exec") and the run's start
 * entry, and syncs them, before anything runs. -1: the log cannot be
 * written, and nothing runs.
 */
static int exec_log_begin(struct cli *c, struct config *cfg, struct target *t, struct filter *f)
{
	static char id[37];
	struct buf b = { 0 }, cmd = { 0 };
	char *path = c->log ? xstrdup(c->log) : state_path(cfg, "audit/decisions.jsonl");
	int rc = alog_open(&f->log, path, ALOG_FSYNC_BATCH);

	free(path);
	if (rc < 0 || alog_begin(&f->log) < 0)
		return -1;
	uuid4(id);
	f->id = id;
	for (int i = 0; i < c->ncommand; i++) {
		if (i > 0)
			buf_putc(&cmd, ' ');
		shell_quote(&cmd, c->command[i]);
	}
	buf_puts(&b, "{\"id\":");
	buf_json_str(&b, id);
	buf_puts(&b, ",\"by\":\"claw-sandbox exec\",\"tool\":\"exec\",\"args\":{\"command\":");
	buf_json_str(&b, cmd.p);
	buf_puts(&b, ",\"argv\":");
	run_argv_json(&b, c->command);
	b.p[--b.len] = '\0'; /* the newline the dry-run form ends with */
	buf_printf(&b, ",\"timeout\":%lu},\"session\":{\"key\":", c->timeout);
	buf_json_strn(&b, t->si.key.p, t->si.key.len);
	buf_puts(&b, ",\"agent\":");
	buf_json_str(&b, t->si.agent);
	buf_puts(&b, ",\"scopeKey\":");
	buf_json_str(&b, t->p.scope_key);
	buf_puts(&b, "},\"audit\":");
	alog_add(&f->log, b.p, b.len, &f->scratch);
	f->ref.seq = f->log.seq;
	memcpy(f->ref.hash, f->log.prev, sizeof(f->ref.hash));
	put_sandbox_member(&f->where, true, &t->s, &t->p, t->s.workdir, false, NULL);
	buf_free(&b);
	buf_free(&cmd);
	/* The decision and its start in one write, one sync: the native sandbox's
	 * launcher syncs it while the sandbox sets up, before the command starts. */
	f->sync_start = true;
	f->sync_later = strcmp(t->s.backend, "native") == 0;
	return start_run(f);
}

/* exec: always in the sandbox, the terminal passed through, the command's status returned. */
static int run_exec(struct cli *c)
{
	struct config *cfg = &c->cfg;
	struct target t;
	struct envlist env = { 0 };
	struct run_result r = { 0 };
	struct filter f = { .log.fd = -1, .dry_run = c->dry_run, .out_fd = -1 };
	int rc;

	if (c->ncommand == 0)
		usage_error("exec: COMMAND is missing");
	if (resolve_target(c, cfg, &t, 126) < 0)
		errx(126, "%s", claw_error());
	if (!c->dry_run && exec_log_begin(c, cfg, &t, &f) < 0) {
		if (!f.log_failed)
			warnx("%s", claw_error());
		warnx("nothing was run: the decision log cannot be written");
		target_free(&t);
		filter_end(&f);
		return 125;
	}
	env_base_sandbox(&t.s, &env, true);
	if (strcmp(t.s.backend, "docker") == 0) {
		rc = exec_docker(c, &t, &env, &r);
	} else if (c->dry_run) {
		struct buf dry = { 0 };
		run_argv_json(&dry, c->command);
		fputs(dry.p, stdout);
		buf_free(&dry);
		rc = 0;
	} else {
		struct run_spec rs = { .argv = c->command,
			               .envp = env_finish(&env),
			               .cwd = t.s.workdir,
			               .timeout = (double)c->timeout,
			               .sync_log = f.sync_later,
			               .log_fd = f.log.fd };
		rc = run_native(&t.s, &t.p, &rs, &r, &f.journal);
	}
	if (rc < 0) {
		warnx("%s", claw_error());
		refuse(&f, NULL, claw_error());
	} else {
		/* The undo journal in the end entry too: claw undo SEQ and claw undo list find it.
		 */
		put_result_member(&f.member, &r, NULL, &f.journal);
		end_run(&f, "result", f.member.p, f.member.len);
	}
	/* The end entry is written; the kernel's writeback takes it to the disk (only the
	 * start must be there before the run: claw-record(7)). The sandbox's init may
	 * still be tearing down: waited for here, not left a zombie. */
	native_reap_all();
	int status = c->dry_run && rc == 0 ? 0 : run_exit_status(&r);
	if (r.interrupted)
		status = 128 + r.interrupted;
	if (f.log_failed && status == 0)
		status = 125; /* it ran, but its end is not on the log: said above */
	run_result_free(&r);
	env_free(&env);
	target_free(&t);
	filter_end(&f);
	return status;
}

/* ---- what a person sees ---- */

/*
 * Names, keys and paths shown to a person come from configs, chat peers,
 * container labels and workspace metadata: each is shown with its control
 * and invisible characters escaped (text_clean), so that none can redraw the
 * terminal or hide what it says. Machine output (--json) is JSON-escaped.
 */
static void shown_line(struct buf *b, const char *label, const char *value, const char *end)
{
	buf_puts(b, label);
	text_clean(b, value ? value : "", 0);
	buf_puts(b, end);
}

/* warnx(3) of MSG, shown as above. */
static void warn_shown(const char *msg)
{
	struct buf b = { 0 };

	text_clean(&b, msg, 0);
	warnx("%s", b.p ? b.p : "");
	buf_free(&b);
}

/* ---- explain ---- */

static void explain_kernel(struct buf *b, bool json)
{
	int abi = landlock_abi();
	bool userns = native_check_kernel() == 0;

	if (json) {
		buf_printf(b,
		           ",\"kernel\":{\"userNamespaces\":%s,\"landlockAbi\":%d,\"seccomp\":true,"
		           "\"root\":%s}",
		           userns ? "true" : "false", abi, geteuid() == 0 ? "true" : "false");
		return;
	}
	buf_printf(b, "\nkernel:\n  user namespaces   %s\n  landlock          %s (ABI %d)\n",
	           userns ? "yes" : "no", abi > 0 ? "yes" : "no", abi);
}

/* What would enforce the target's limits, worked out as a run works it out (limits.c). */
static void explain_limits(struct buf *b, const struct target *t, uid_t uid, gid_t gid, bool json)
{
	struct native_bind *binds = xcalloc(t->s.binds.n + 1, sizeof(*binds));
	struct native_spec ns;
	struct native_limits l;
	char why[600];

	sandbox_native_spec(&t->s, &t->p, uid, gid, 0, &ns, binds);
	limits_probe(&ns, &l);
	if (json) {
		buf_puts(b, ",\"limits\":");
		limits_json(b, &l);
		const char *refused = limits_refusal(&ns, &l, why, sizeof(why));
		buf_puts(b, ",\"refused\":");
		if (refused)
			buf_json_str(b, refused);
		else
			buf_puts(b, "null");
	} else {
		limits_explain(b, &ns, &l);
	}
	free(binds);
}

/*
 * The container of the target, for explain: what the config would create,
 * and how an existing one compares (openclaw sandbox explain's image and
 * config checks). Asks the engine; one that does not answer is reported, not
 * fatal.
 */
static void explain_docker(struct buf *b, const struct target *t, bool json)
{
	struct docker_container ct;
	char hash[SHA256_HEX];
	int found = docker_lookup(t->s.binary, t->p.name, &ct);
	char *engine_error = found < 0 ? xstrdup(claw_error()) : NULL;
	const char *host = getenv("DOCKER_HOST") ? getenv("DOCKER_HOST") : getenv("CONTAINER_HOST");

	docker_config_hash(&t->s, &t->p, hash);
	if (json) {
		buf_puts(b, ",\"docker\":{\"binary\":");
		buf_json_str(b, t->s.binary);
		buf_puts(b, ",\"image\":");
		buf_json_str(b, t->s.image);
		buf_puts(b, ",\"user\":");
		char *user = docker_user(&t->s, &t->p);
		buf_json_str(b, user);
		free(user);
		buf_printf(b, ",\"configHash\":\"%s\",\"create\":", hash);
		docker_create_json(&t->s, &t->p, (long long)time(NULL) * 1000, b);
		b->p[--b->len] = '\0'; /* the newline the dry-run form ends with */
		buf_puts(b, ",\"container\":");
		if (found > 0) {
			buf_printf(b, "{\"running\":%s,\"image\":", ct.running ? "true" : "false");
			buf_json_str(b, ct.image);
			buf_printf(b, ",\"imageMatch\":%s,\"hashMatch\":%s}",
			           strcmp(ct.image, t->s.image) == 0 ? "true" : "false",
			           ct.config_hash && strcmp(ct.config_hash, hash) == 0 ? "true"
			                                                               : "false");
		} else {
			buf_puts(b, "null");
		}
		buf_puts(b, ",\"engineError\":");
		if (engine_error)
			buf_json_str(b, engine_error);
		else
			buf_puts(b, "null");
		buf_putc(b, '}');
	} else {
		shown_line(b, "\ndocker:\n  engine            ", t->s.binary, host ? " at " : "");
		shown_line(b, "", host, "\n");
		shown_line(b, "  image             ", t->s.image, "\n");
		buf_printf(b, "  config hash       %s\n  container         ", hash);
		if (found > 0)
			buf_printf(
			    b, "%s, %s, %s\n", ct.running ? "running" : "stopped",
			    strcmp(ct.image, t->s.image) == 0 ? "image matches" : "image differs",
			    ct.config_hash && strcmp(ct.config_hash, hash) == 0
			        ? "config hash matches"
			        : "config changed (claw-sandbox rm --container recreates it)");
		else if (found == 0)
			buf_puts(b, "not created yet\n");
		else
			shown_line(b, "unknown: ", engine_error, "\n");
	}
	if (found > 0)
		docker_container_clear(&ct);
	free(engine_error);
}

static int run_explain(struct cli *c)
{
	struct config *cfg = &c->cfg;
	struct target t;
	struct buf b = { 0 };
	uid_t uid = 0;
	gid_t gid = 0;
	bool json = c->co.json;

	if (c->seccomp) {
		fputs(seccomp_pseudocode(false), stdout);
		return 0;
	}
	if (resolve_target(c, cfg, &t, 1) < 0)
		errx(1, "%s", claw_error());
	bool docker = strcmp(t.s.backend, "docker") == 0;
	char *ct_user = docker ? docker_user(&t.s, &t.p) : NULL;
	if (docker)
		sandbox_owner(&t.s, &uid, &gid); /* who owns the workspace; ct_user runs inside */
	else if (sandbox_user(&t.s, &uid, &gid) < 0)
		warnx("%s", claw_error());
	if (json) {
		buf_puts(&b, "{\"agent\":");
		buf_json_str(&b, t.si.agent);
		buf_puts(&b, ",\"sessionKey\":");
		buf_json_strn(&b, t.si.key.p, t.si.key.len);
		buf_printf(&b,
		           ",\"sandboxed\":%s,\"scopeKey\":", t.si.sandboxed ? "true" : "false");
		buf_json_str(&b, t.p.scope_key);
		buf_puts(&b, ",\"name\":");
		buf_json_str(&b, t.p.name);
		buf_puts(&b, ",\"installation\":");
		buf_json_str(&b, strrchr(t.p.pin_dir, '/') + 1);
		buf_puts(&b, ",\"pinDir\":");
		buf_json_str(&b, t.p.pin_dir);
		buf_puts(&b, ",\"workspaceDir\":");
		buf_json_str(&b, t.p.workspace_dir);
		buf_puts(&b, ",\"agentWorkspaceDir\":");
		buf_json_str(&b, t.s.agent_workspace);
		buf_printf(&b, ",\"user\":{\"uid\":%u,\"gid\":%u},\"settings\":[", (unsigned)uid,
		           (unsigned)gid);
		for (size_t i = 0; i < t.s.nsrc; i++) {
			buf_printf(&b, "%s{\"key\":", i ? "," : "");
			buf_json_str(&b, t.s.src[i].key);
			buf_printf(&b, ",\"value\":%s,\"from\":", t.s.src[i].value);
			buf_json_str(&b, t.s.src[i].from);
			buf_putc(&b, '}');
		}
		buf_putc(&b, ']');
		if (docker) {
			explain_docker(&b, &t, true);
		} else {
			explain_kernel(&b, true);
			explain_limits(&b, &t, uid, gid, true);
		}
		buf_puts(&b, "}\n");
	} else {
		shown_line(&b, "agent:       ", t.si.agent, "\n");
		shown_line(&b, "session:     ", t.si.key.p,
		           t.si.sandboxed ? " (sandboxed)\n" : " (runs on the host)\n");
		shown_line(&b, "scope key:   ", t.p.scope_key, "\n");
		shown_line(&b, "name:        ", t.p.name, "\n");
		shown_line(&b, "kept under:  ", t.p.pin_dir,
		           geteuid() == 0 ? " (what is kept between runs)\n"
		                          : " (kept between runs as root only)\n");
		shown_line(&b, "workspace:   ", t.p.workspace_dir, " -> ");
		shown_line(&b, "", t.s.workdir, t.p.workspace_rw ? " (rw)\n" : " (ro)\n");
		if (t.p.agent_dir)
			shown_line(&b, "agent dir:   ", t.p.agent_dir, " -> /agent (ro)\n");
		if (docker)
			shown_line(&b, "runs as:     ", ct_user,
			           " in the container\n\nsettings:\n");
		else
			buf_printf(&b, "runs as:     uid %u, gid %u\n\nsettings:\n", (unsigned)uid,
			           (unsigned)gid);
		for (size_t i = 0; i < t.s.nsrc; i++) {
			struct buf v = { 0 };
			text_clean(&v, t.s.src[i].value, 0);
			buf_printf(&b, "  %-44s %-24s ", t.s.src[i].key, v.p ? v.p : "");
			shown_line(&b, "", t.s.src[i].from, "\n");
			buf_free(&v);
		}
		for (size_t i = 0; i < t.s.warnings.n; i++)
			shown_line(&b, "warning: ", t.s.warnings.v[i], "\n");
		if (docker) {
			explain_docker(&b, &t, false);
		} else {
			explain_kernel(&b, false);
			explain_limits(&b, &t, uid, gid, false);
		}
	}
	fputs(b.p, stdout);
	buf_free(&b);
	free(ct_user);
	target_free(&t);
	return 0;
}

/* ---- list, rm, prune: the workspaces on disk and the containers ---- */

/* Every agent's sandboxes; F keeps the settings the entries are judged by. */
static void inventory(struct config *cfg, struct filter *f, struct sandbox_inventory *inv)
{
	const struct sandbox_settings **all;

	memset(f, 0, sizeof(*f));
	f->cfg = cfg;
	load_all_agents(f);
	all = xcalloc(f->nagents + 1, sizeof(*all)); // NOLINT(bugprone-sizeof-expression): pointers
	for (size_t i = 0; i < f->nagents; i++)
		all[i] = &f->agents[i].s;
	inventory_scan(all, f->nagents, inv);
	free(all);
	for (size_t i = 0; i < inv->errors.n; i++)
		warn_shown(inv->errors.v[i]);
}

static void put_match(struct buf *b, const char *name, int match)
{
	buf_printf(b, ",\"%s\":%s", name, match < 0 ? "null" : match ? "true" : "false");
}

static void put_entry_json(struct buf *b, const struct sandbox_entry *e)
{
	buf_puts(b, "{\"name\":");
	buf_json_str(b, e->name);
	buf_puts(b, ",\"scopeKey\":");
	buf_json_str(b, e->scope_key);
	buf_puts(b, ",\"agent\":");
	buf_json_str(b, e->agent);
	buf_printf(b, ",\"createdAtMs\":%lld,\"lastUsedAtMs\":", e->created_ms);
	if (e->used_ms < 0)
		buf_puts(b, "null");
	else
		buf_printf(b, "%lld", e->used_ms);
	buf_puts(b, ",\"path\":");
	if (e->root) {
		char *path = xasprintf("%s/%s", e->root, sandbox_dir_name(e->scope_key, e->slug));
		buf_json_str(b, path);
		free(path);
	} else {
		buf_puts(b, "null");
	}
	buf_puts(b, ",\"container\":");
	if (e->container) {
		buf_printf(b,
		           "{\"running\":%s,\"image\":", e->container->running ? "true" : "false");
		buf_json_str(b, e->container->image);
		put_match(b, "imageMatch", e->image_match);
		buf_puts(b, ",\"configHash\":");
		if (e->container->config_hash)
			buf_json_str(b, e->container->config_hash);
		else
			buf_puts(b, "null");
		put_match(b, "hashMatch", e->hash_match);
		buf_puts(b, ",\"engine\":");
		buf_json_str(b, e->binary);
		buf_putc(b, '}');
	} else {
		buf_puts(b, "null");
	}
	buf_putc(b, '}');
}

static void format_age(char *out, size_t size, long long ms)
{
	long long now = (long long)time(NULL) * 1000, s = (now - ms) / 1000;

	if (ms < 0)
		snprintf(out, size, "-");
	else if (s < 120)
		snprintf(out, size, "%llds ago", s);
	else if (s < 7200)
		snprintf(out, size, "%lldm ago", s / 60);
	else if (s < 172800)
		snprintf(out, size, "%lldh ago", s / 3600);
	else
		snprintf(out, size, "%lldd ago", s / 86400);
}

/* The CONTAINER column: "-", or running/stopped and how it differs from the config. */
static void format_container(char *out, size_t size, const struct sandbox_entry *e)
{
	if (e->container == NULL) {
		snprintf(out, size, "-");
		return;
	}
	snprintf(out, size, "%s%s%s", e->container->running ? "running" : "stopped",
	         e->image_match == 0 ? ",image-differs" : "",
	         e->hash_match == 0 ? ",config-changed" : "");
}

static int run_list(struct cli *c)
{
	struct config *cfg = &c->cfg;
	struct sandbox_inventory inv;
	struct filter f;
	struct buf b = { 0 };

	inventory(cfg, &f, &inv);
	if (c->co.json) {
		buf_putc(&b, '[');
		for (size_t i = 0; i < inv.n; i++) {
			if (i)
				buf_putc(&b, ',');
			put_entry_json(&b, &inv.v[i]);
		}
		buf_puts(&b, "]\n");
	} else {
		buf_printf(&b, "%-36s %-12s %-12s %-16s %s\n", "NAME", "CREATED", "LAST USED",
		           "CONTAINER", "SCOPE KEY");
		for (size_t i = 0; i < inv.n; i++) {
			char created[32], used[32], ct[64];
			struct buf name = { 0 };
			format_age(created, sizeof(created), inv.v[i].created_ms);
			format_age(used, sizeof(used), inv.v[i].used_ms);
			format_container(ct, sizeof(ct), &inv.v[i]);
			text_clean(&name, inv.v[i].name, 0);
			buf_printf(&b, "%-36s %-12s %-12s %-16s ", name.p ? name.p : "", created,
			           used, ct);
			shown_line(&b, "", inv.v[i].scope_key, "\n");
			buf_free(&name);
		}
	}
	fputs(b.p, stdout);
	buf_free(&b);
	int status = inv.errors.n ? 1 : 0; /* some engine could not be asked: the list is partial */
	inventory_free(&inv);
	free_agents(&f);
	return status;
}

/*
 * Removes one sandbox. When an engine could not be asked, a docker sandbox
 * seen only by its workspace is left alone: its container may be running
 * with that directory mounted, and would go on writing into a removed one.
 */
static int remove_entry(const struct cli *c, struct filter *f, const struct sandbox_inventory *inv,
                        const struct sandbox_entry *e, const char *why)
{
	struct agent_settings *a = find_agent(f, e->agent[0] ? e->agent : "main");

	if (c->container_only && e->container == NULL)
		return 0;
	const char *kept = NULL;
	if (inv->errors.n > 0 && e->container == NULL && a && a->s.backend &&
	    strcmp(a->s.backend, "docker") == 0)
		kept = "its container engine could not be asked";
	else if (inventory_remove(inv, e, c->container_only) < 0)
		kept = claw_error();
	struct buf b = { 0 };
	if (c->co.json) {
		/* One line per sandbox either way, so a caller sees what stayed and why. */
		buf_puts(&b, kept ? "{\"kept\":" : "{\"removed\":");
		buf_json_str(&b, e->name);
		if (kept) {
			buf_puts(&b, ",\"error\":");
			buf_json_str(&b, kept);
		}
		buf_printf(&b, ",\"reason\":\"%s\"}\n", why ? why : "asked");
		fputs(b.p, stdout);
	} else if (kept) {
		shown_line(&b, "", e->name, " kept: ");
		text_clean(&b, kept, 0);
		warnx("%s", b.p);
	} else {
		shown_line(&b, c->container_only ? "removed container " : "removed ", e->name,
		           why ? (strcmp(why, "idle") == 0 ? " (idle)\n" : " (too old)\n") : "\n");
		fputs(b.p, stdout);
	}
	buf_free(&b);
	return kept ? 1 : 0;
}

static int run_rm(struct cli *c)
{
	struct config *cfg = &c->cfg;
	struct sandbox_inventory inv;
	struct filter f;
	char want_slug[SESSION_SLUG_MAX] = "", *want_name = NULL;
	int status = 0;

	if ((c->all ? 1 : 0) + (c->session ? 1 : 0) + (c->agent && !c->session ? 1 : 0) != 1)
		usage_error("rm: give one of --all, --session KEY, --agent A");
	if (c->session) {
		struct target t;
		if (resolve_target(c, cfg, &t, 1) < 0)
			errx(1, "%s", claw_error());
		memcpy(want_slug, t.p.slug, sizeof(want_slug));
		want_name = xstrdup(t.p.name);
		target_free(&t);
	}
	char agent[SESSION_ID_MAX] = "";
	if (c->agent)
		norm_agent_id(c->agent, agent);
	inventory(cfg, &f, &inv);
	for (size_t i = 0; i < inv.n; i++) {
		const struct sandbox_entry *e = &inv.v[i];
		/* want_name: --session was given. */
		bool match = c->all ||
		             (want_name && (strcmp(e->slug, want_slug) == 0 ||
		                            strcmp(e->name, want_name) == 0)) ||
		             (!want_name && c->agent && strcmp(e->agent, agent) == 0);
		if (match)
			status |= remove_entry(c, &f, &inv, e, NULL);
	}
	/* Whatever else this installation keeps (kept roots, the namespaces of scopes whose
	 * workspace went by hand): the next run makes what it needs. Another's stays. */
	if (c->all && status == 0 && geteuid() == 0 && inventory_unpin_all(&inv) < 0) {
		warn_shown(claw_error());
		status = 1;
	}
	free(want_name);
	inventory_free(&inv);
	free_agents(&f);
	return status;
}

static int run_prune(struct cli *c)
{
	struct config *cfg = &c->cfg;
	struct sandbox_inventory inv;
	struct filter f;
	long long now = (long long)time(NULL) * 1000;
	int status = 0;

	inventory(cfg, &f, &inv);
	for (size_t i = 0; i < inv.n; i++) {
		const struct sandbox_entry *e = &inv.v[i];
		struct agent_settings *a = find_agent(&f, e->agent[0] ? e->agent : "main");
		const struct sandbox_settings *s = a ? &a->s : &f.agents[0].s;
		/* OpenClaw's rules: idle longer than idleHours, or older than maxAgeDays; 0 is
		 * off. A container without a workspace has no known last use: age only. */
		bool idle = s->idle_hours > 0 && e->used_ms >= 0 &&
		            now - e->used_ms > (long long)(s->idle_hours * 3600e3);
		bool old = s->max_age_days > 0 && e->created_ms > 0 &&
		           now - e->created_ms > (long long)(s->max_age_days * 86400e3);
		if (idle || old)
			status |= remove_entry(c, &f, &inv, e, idle ? "idle" : "age");
	}
	inventory_free(&inv);
	free_agents(&f);
	return status;
}

/* ---- report: what claw exec shows of the pipeline's last record ---- */

/* Decodes base64 S into B (what a result holds for output that is not text); -1 when bad. */
static int unbase64(const char *s, struct buf *b)
{
	static const char digits[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned v = 0, bits = 0;

	for (; *s && *s != '='; s++) {
		const char *d = strchr(digits, *s);
		if (d == NULL)
			return -1;
		v = (v << 6 | (unsigned)(d - digits)) & 0xffffff;
		if ((bits += 6) >= 8) {
			bits -= 8;
			buf_putc(b, (char)(v >> bits & 0xff));
		}
	}
	return 0;
}

/* A result's stream as its bytes, on FD: text as it is, base64 decoded. */
static void write_stream(int fd, const cJSON *result, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(result, name);
	char *enc_name = xasprintf("%sEncoding", name);
	const cJSON *enc = cJSON_GetObjectItemCaseSensitive(result, enc_name);
	struct buf b = { 0 };

	free(enc_name);
	if (!cJSON_IsString(v))
		return;
	if (!cJSON_IsString(enc)) {
		(void)write_all(fd, v->valuestring, strlen(v->valuestring));
	} else if (strcmp(enc->valuestring, "base64") == 0 && unbase64(v->valuestring, &b) == 0) {
		(void)write_all(fd, b.p ? b.p : "", b.len);
	} else {
		warnx("report: %s: an encoding this claw does not know", name);
	}
	buf_free(&b);
}

/*
 * What would let a segment through, by what it needs (claw-approve(1)): any
 * allow-list entry; an entry bound to these very words and this program;
 * or a person, every time (a shell, a carrier such as sudo, a guard hit).
 */
static void report_fix(const cJSON *seg, const char *path)
{
	const char *need = rec_str_member(seg, "need");
	const cJSON *w;
	struct buf argv = { 0 };

	if (need == NULL) {
		fprintf(stderr, "  to allow it: claw-approve allowlist add %s\n", path);
		return;
	}
	if (strcmp(need, "human") == 0) {
		fprintf(stderr, "  a person must answer each time: run it at a terminal, or use "
		                "--wait and claw-approve resolve\n");
		return;
	}
	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(seg, "argv"))
	{
		buf_putc(&argv, ' ');
		if (cJSON_IsString(w))
			shell_quote(&argv, w->valuestring);
	}
	fprintf(stderr, "  to allow exactly this: claw-approve allowlist add --bind --%s\n",
	        argv.p ? argv.p : "");
	buf_free(&argv);
}

/*
 * An approval denial, segment by segment: which program was not allowed and
 * why, and what would allow it. The person at the terminal should not need
 * to read JSON to act on a refusal.
 */
static void report_approval(const cJSON *approval)
{
	const cJSON *seg, *segments = cJSON_GetObjectItemCaseSensitive(approval, "segments");
	const char *fallback = rec_str_member(approval, "askFallback");

	if (strcmp(rec_str_member(approval, "via") ? rec_str_member(approval, "via") : "",
	           "fallback") == 0)
		fprintf(stderr, "  nobody could be asked, so askFallback=%s applied\n",
		        fallback ? fallback : "deny");
	cJSON_ArrayForEach(seg, segments)
	{
		const char *path = rec_str_member(seg, "path"), *why = rec_str_member(seg, "why");
		if (why == NULL)
			continue;
		fprintf(stderr, "  %s: %s\n", path ? path : "(not found)", why);
		if (path != NULL && rec_str_member(seg, "satisfiedBy") == NULL)
			report_fix(seg, path);
	}
}

/* claw exec's words, not claw-sandbox's: the person ran claw. */
static void report_denial(const cJSON *rec, const cJSON *deny)
{
	const char *by = rec_str_member(deny, "by"), *why = rec_str_member(deny, "reason");
	const cJSON *approval = cJSON_GetObjectItemCaseSensitive(rec, "approval");

	fprintf(stderr, "claw: denied by %s: %s\n", by ? by : "claw",
	        why ? why : "no reason given");
	if (by != NULL && strcmp(by, "claw-approve") == 0 && cJSON_IsObject(approval))
		report_approval(approval);
}

/* A program of the command (not of a script inside it) that is nowhere to be found. */
static const char *not_found(const cJSON *rec)
{
	const cJSON *approval = cJSON_GetObjectItemCaseSensitive(rec, "approval"), *seg;

	cJSON_ArrayForEach(seg, cJSON_GetObjectItemCaseSensitive(approval, "segments"))
	{
		const cJSON *depth = cJSON_GetObjectItemCaseSensitive(seg, "depth");
		const cJSON *path = cJSON_GetObjectItemCaseSensitive(seg, "path");
		const cJSON *argv = cJSON_GetObjectItemCaseSensitive(seg, "argv");
		if ((depth == NULL || (cJSON_IsNumber(depth) && depth->valuedouble == 0)) &&
		    cJSON_IsNull(path) && cJSON_IsString(cJSON_GetArrayItem(argv, 0)))
			return cJSON_GetArrayItem(argv, 0)->valuestring;
	}
	return NULL;
}

/*
 * The status claw exec exits with for REC (env(1)'s: the command's own, 124
 * timed out, 125 claw failed, 126 refused, 127 not found), saying on stderr
 * why it did not run; with OUTPUT, the output it kept too. An error record's
 * message was said by the stage that made it.
 */
static int report_record(const cJSON *rec, bool output)
{
	const cJSON *deny = cJSON_GetObjectItemCaseSensitive(rec, "deny");
	const cJSON *error = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const cJSON *result = cJSON_GetObjectItemCaseSensitive(rec, "result");
	const char *missing;

	if (cJSON_IsObject(error))
		return 125;
	if (cJSON_IsObject(deny) && (missing = not_found(rec)) != NULL) {
		fprintf(stderr, "claw: %s: not found\n", missing);
		return 127;
	}
	if (cJSON_IsObject(deny)) {
		report_denial(rec, deny);
		return 126;
	}
	if (!cJSON_IsObject(result)) {
		warnx("the pipeline gave no result");
		return 125;
	}
	const cJSON *exit = cJSON_GetObjectItemCaseSensitive(result, "exit");
	const cJSON *sig = cJSON_GetObjectItemCaseSensitive(result, "signal");
	if (output) {
		write_stream(1, result, "stdout");
		write_stream(2, result, "stderr");
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(result, "timedOut")))
		return 124;
	if (cJSON_IsString(sig)) {
		for (int n = 1; n < 65; n++)
			if (strcmp(run_signal_name(n), sig->valuestring) == 0)
				return 128 + n;
		return 128 + 9;
	}
	return cJSON_IsNumber(exit) ? (int)exit->valuedouble : 125;
}

static int run_report(struct cli *c)
{
	(void)c;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int status = 125, seen = 0;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		cJSON *rec = cJSON_ParseWithLength(line, (size_t)n);
		if (rec == NULL) {
			warnx("report: a line is not JSON");
			status = 125;
		} else {
			status = report_record(rec, true);
			cJSON_Delete(rec);
		}
		seen++;
	}
	free(line);
	if (seen == 0)
		warnx("report: no record came out of the pipeline");
	return status;
}

/* features --filter: the exact program a sandbox installs, for a test to load elsewhere. */
static int write_filter(void)
{
	const struct sock_fprog *p = seccomp_program(false);
	const char *data = (const char *)p->filter;

	for (size_t left = p->len * sizeof(*p->filter); left > 0;) {
		ssize_t n = write(1, data, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			err(125, "standard output");
		data += n, left -= (size_t)n;
	}
	return 0;
}

/* features: the kernel probe, one "name value" line each, or --json. */
static int run_features(struct cli *c)
{
	struct kernel_features k;
	/* Every limit asked for: what a configuration with them would get here. */
	struct native_spec all = { .pids_max = 1, .memory_max = 1, .cpus = 1 };
	struct native_limits l;
	char why[600], view_why[256];

	if (c->filter)
		return write_filter();
	kernel_probe(&k);
	limits_probe(&all, &l);
	const char *refused = limits_refusal(&all, &l, why, sizeof(why));
	const char *level = refused ? "none" : limits_assurance(&l);
	bool view = hostview_probe(view_why, sizeof(view_why));
	if (c->co.json) {
		struct buf b = { 0 };
		buf_printf(&b, "{\"userns\":%s,\"usernsWhy\":", k.userns ? "true" : "false");
		buf_json_str(&b, k.userns_why);
		buf_printf(&b,
		           ",\"seccomp\":%s,\"seccompWhy\":", k.seccomp_filter ? "true" : "false");
		buf_json_str(&b, k.seccomp_why);
		buf_printf(&b, ",\"landlock\":%d,\"landlockWhy\":", k.landlock_abi);
		buf_json_str(&b, k.landlock_why);
		buf_printf(&b, ",\"cgroupns\":%s,\"limits\":", k.cgroupns ? "true" : "false");
		buf_json_str(&b, level);
		buf_puts(&b, ",\"limitsWhy\":");
		buf_json_str(&b, l.why);
		buf_printf(&b, ",\"hostview\":%s,\"hostviewWhy\":", view ? "true" : "false");
		buf_json_str(&b, view_why);
		buf_putc(&b, '}');
		puts(b.p);
		buf_free(&b);
		return 0;
	}
	printf("userns %s\n", k.userns ? "yes" : k.userns_why);
	printf("seccomp %s\n", k.seccomp_filter ? "yes" : k.seccomp_why);
	if (k.landlock_abi > 0)
		printf("landlock %d\n", k.landlock_abi);
	else
		printf("landlock none (%s)\n", k.landlock_why);
	printf("cgroupns %s\n", k.cgroupns ? "yes" : "no");
	if (refused)
		printf("limits none (%s)\n", l.why);
	else
		printf("limits %s\n", level);
	printf("hostview %s\n", view ? "yes" : view_why);
	return 0;
}

static const struct opts_command commands[] = {
	{ "exec", run_exec,
	  "run COMMAND in the sandbox of the session (default: the agent's main\n"
	  "session), with the terminal passed through, killed after --timeout\n"
	  "seconds (default 1800, at most 604800); exit with its status" },
	{ "explain", run_explain, "the effective sandbox settings and where each came from" },
	{ "list", run_list, "the sandbox workspaces on disk and the sandbox containers" },
	{ "rm", run_rm,
	  "remove sandboxes (workspace and container; --container: the container\n"
	  "only, so that the next run recreates it)" },
	{ "prune", run_prune,
	  "remove sandboxes idle longer than prune.idleHours or older than\n"
	  "prune.maxAgeDays" },
	{ "pipeline", run_pipeline,
	  "the whole pipeline, for claw run: starts claw-session | claw-policy |\n"
	  "claw-approve | claw-audit log and runs what comes out; --exec: one\n"
	  "request made by claw-session new NEW-ARGS, its output passed through\n"
	  "as it comes, for claw exec" },
	{ "report", run_report,
	  "replay the outcome of finished records: their output on stdout and\n"
	  "stderr, a denial's reason on stderr; exit as the last one did (claw exec)" },
	{ "features", run_features,
	  "what this kernel offers the native sandbox: user namespaces,\n"
	  "seccomp, the Landlock ABI, cgroup namespaces (probed for real);\n"
	  "and whether host runs can be given a view without claw's state" },
	{ NULL, NULL, NULL },
};

static const struct opts_spec spec = { usage, commands, options, usage_tail };

static void parse_args(int argc, char **argv, struct cli *c)
{
	int ch;

	while ((ch = opts_next(argc, argv, &c->co)) != -1) {
		switch (ch) {
		case 1:
			if (c->cmd == NULL) {
				c->cmd = opts_command_get(commands, optarg);
				continue;
			}
			if (!opts_is(c->cmd, "exec"))
				usage_error("unexpected argument \"%s\"", optarg);
			/* COMMAND starts here; what follows is its own. */
			c->command = &argv[optind - 1];
			c->ncommand = argc - optind + 1;
			return;
		case OPT_AGENT:
			c->agent = optarg;
			break;
		case OPT_SESSION:
			c->session = optarg;
			break;
		case OPT_TIMEOUT:
			c->timeout = opts_number("--timeout", optarg, 7UL * 24 * 3600);
			break;
		case OPT_ALL:
			c->all = true;
			break;
		case OPT_SECCOMP:
			c->seccomp = true;
			break;
		case OPT_FILTER:
			c->filter = true;
			break;
		case OPT_DRY_RUN:
			c->dry_run = true;
			break;
		case OPT_CONTAINER:
			c->container_only = true;
			break;
		case OPT_LOG:
			c->log = optarg;
			break;
		case OPT_EXEC:
			c->exec = true;
			break;
		case OPT_NO_TTY:
			c->no_tty = true;
			break;
		case OPT_WAIT:
			c->wait = true;
			break;
		default:
			usage_error("unexpected option");
		}
	}
	bool pipeline = opts_is(c->cmd, "pipeline");
	if (optind < argc) {
		if (!opts_is(c->cmd, "exec") && !(pipeline && c->exec))
			usage_error("unexpected argument \"%s\"", argv[optind]);
		c->command = &argv[optind];
		c->ncommand = argc - optind;
	}
	if ((c->exec || c->no_tty || c->wait) && !pipeline)
		usage_error("--exec, --no-tty and --wait are for pipeline");
	if (c->exec && c->ncommand == 0)
		usage_error(
		    "pipeline --exec: the arguments of claw-session new are missing (after --)");
	if (c->dry_run && c->cmd != NULL && !opts_is(c->cmd, "exec"))
		usage_error("--dry-run is for the filter and exec");
	if (c->container_only && !opts_is(c->cmd, "rm"))
		usage_error("--container is for rm");
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };

	opts_use(&spec);
	c.timeout = DEFAULT_TIMEOUT; /* exec's wall clock, as a request's */
	parse_args(argc, argv, &c);
	bool exec = opts_is(c.cmd, "exec");
	if (config_load(&c.cfg, &c.co) < 0)
		errx(exec ? 125 : 2, "%s", claw_error());
	/* Where limits need a cgroup that only systemd can give: again, in a scope of its own. */
	int status;
	if ((c.cmd == NULL || exec) && limits_place_self(argv, &status)) {
		config_free(&c.cfg);
		return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	}
	status = c.cmd ? c.cmd->run(&c) : run_filter(&c);
	config_free(&c.cfg);
	return status;
}
