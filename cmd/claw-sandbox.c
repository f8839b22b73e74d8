/*
 * claw-sandbox: where and how does it run? (and runs it)
 *
 * As a filter it executes each exec record that reaches it without a
 * "deny": in the native sandbox when the session is sandboxed, on the host
 * otherwise (or when claw-approve granted an elevated run), and adds the
 * "sandbox" and "result" members. It is the executor: feed it records only
 * through the stages before it (claw run, claw exec).
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "kernel.h"
#include "envsan.h"
#include "fsutil.h"
#include "landlock.h"
#include "opts.h"
#include "record.h"
#include "run.h"
#include "sandbox.h"
#include "session.h"
#include "shell.h"
#include "sysfilter.h"
#include "toolpolicy.h"
#include "util.h"

static const char usage[] =
    "usage: claw-sandbox [--config FILE] [--state-dir DIR] [--max-record BYTES]\n"
    "       claw-sandbox exec [--agent A] [--session KEY] [--timeout SECONDS] [--] COMMAND "
    "[ARG...]\n"
    "       claw-sandbox explain [--agent A] [--session KEY] [--json] [--seccomp]\n"
    "       claw-sandbox list [--json]\n"
    "       claw-sandbox rm (--all | --session KEY | --agent A)\n"
    "       claw-sandbox prune [--json]\n"
    "       claw-sandbox report < records\n"
    "       claw-sandbox features [--json | --filter]\n"
    "\n"
    "Without a subcommand, reads records (JSON Lines) on standard input, runs each\n"
    "exec record that carries no \"deny\" (in the native sandbox when its session is\n"
    "sandboxed, on the host otherwise) and writes it with \"sandbox\" and \"result\"\n"
    "members added. It runs what reaches it: feed it through claw run or claw exec.\n"
    "\n"
    "  exec     run COMMAND in the sandbox of the session (default: the agent's main\n"
    "           session), with the terminal passed through, killed after --timeout\n"
    "           seconds (default 1800, at most 604800); exit with its status\n"
    "  explain  the effective sandbox settings and where each came from\n"
    "  list     the sandbox workspaces on disk\n"
    "  rm       remove sandbox workspaces\n"
    "  prune    remove workspaces idle longer than prune.idleHours or older than\n"
    "           prune.maxAgeDays\n"
    "  report   replay the outcome of finished records: their output on stdout and\n"
    "           stderr, a denial's reason on stderr; exit as the last one did (claw exec)\n"
    "  features what this kernel offers the native sandbox: user namespaces,\n"
    "           seccomp, the Landlock ABI, cgroup namespaces (probed for real);\n"
    "           --filter writes the seccomp program a sandbox without network gets\n"
    "           (BPF, struct sock_filter[]) to standard output, for tests\n"
    "\n"
    "Common options:\n"
    "  --config FILE      OpenClaw config (default $OPENCLAW_CONFIG_PATH or\n"
    "                     <state>/openclaw.json; none at all: the secure preset)\n"
    "  --state-dir DIR    state directory (default $OPENCLAW_STATE_DIR or ~/.openclaw)\n"
    "  --help, --version\n"
    "\n"
    "Exit status: the filter: 0, 1 some lines were not valid records, 2 usage or config\n"
    "error. exec: the command's status; 124 timed out; 125 claw-sandbox failed; 126\n"
    "refused or not executable; 127 not found. See claw-sandbox(1).\n";

enum {
	OPT_AGENT = OPT_FIRST_COMMAND_OPTION,
	OPT_SESSION,
	OPT_TIMEOUT,
	OPT_ALL,
	OPT_SECCOMP,
	OPT_FILTER,
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "json", no_argument, NULL, OPT_JSON },
	{ "max-record", required_argument, NULL, OPT_MAX_RECORD },
	{ "agent", required_argument, NULL, OPT_AGENT },
	{ "session", required_argument, NULL, OPT_SESSION },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "seccomp", no_argument, NULL, OPT_SECCOMP },
	{ "filter", no_argument, NULL, OPT_FILTER },
	{ NULL, 0, NULL, 0 },
};

/* Seconds an exec request may run when it does not say (OpenClaw's exec default). */
#define DEFAULT_TIMEOUT 1800

/* The host's default PATH inside a sandbox. */
#define SANDBOX_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct cli {
	struct common_opts co;
	const char *sub;
	const char *agent, *session;
	unsigned long timeout;
	bool all, seccomp, filter;
	char **command;
	int ncommand;
};

static void parse_args(int argc, char **argv, struct cli *c)
{
	static const char *const subs[] = { "exec",  "explain", "list",    "rm",
		                            "prune", "report",  "features" };
	int ch;

	while ((ch = getopt_long(argc, argv, "-h", longopts, NULL)) != -1) {
		if (opts_common(ch, optarg, &c->co))
			continue;
		switch (ch) {
		case 1:
			if (c->sub == NULL) {
				size_t i = 0;
				while (i < NELEM(subs) && strcmp(subs[i], optarg) != 0)
					i++;
				if (i == NELEM(subs))
					usage_error("unknown subcommand \"%s\"", optarg);
				c->sub = optarg;
				continue;
			}
			if (strcmp(c->sub, "exec") != 0)
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
		default:
			usage_error("unexpected option");
		}
	}
	if (optind < argc) {
		if (c->sub == NULL || strcmp(c->sub, "exec") != 0)
			usage_error("unexpected argument \"%s\"", argv[optind]);
		c->command = &argv[optind];
		c->ncommand = argc - optind;
	}
}

/* ---- the environment a command gets ---- */

/* Variables the host run keeps from claw-sandbox's own environment: nothing else is inherited. */
static const char *const host_inherited[] = {
	"PATH",   "HOME",     "USER",        "LOGNAME", "LANG",
	"LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ",      "TERM",
};

static void env_base_sandbox(const struct sandbox_settings *s, struct envlist *e, bool term)
{
	const char *t = getenv("TERM");

	env_set(e, "PATH", SANDBOX_PATH);
	env_set(e, "HOME", s->workdir);
	if (term && t != NULL)
		env_set(e, "TERM", t);
	for (size_t i = 0; i < s->env.n; i++) {
		char *eq = strchr(s->env.envp[i], '=');
		char *name = xstrndup(s->env.envp[i], (size_t)(eq - s->env.envp[i]));
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

struct filter {
	struct config *cfg;
	struct agent_settings *agents;
	size_t nagents;
	struct buf member;
};

static void add_agent(struct filter *f, const char *id)
{
	char norm[SESSION_ID_MAX];

	norm_agent_id(id, norm);
	for (size_t i = 0; i < f->nagents; i++)
		if (strcmp(f->agents[i].agent, norm) == 0)
			return;
	f->agents = xrealloc(f->agents, (f->nagents + 1) * sizeof(*f->agents));
	struct agent_settings *a = &f->agents[f->nagents++];
	memset(a, 0, sizeof(*a));
	memcpy(a->agent, norm, sizeof(norm));
	if (sandbox_settings_load(f->cfg, norm, &a->s) < 0)
		a->error = xstrdup(claw_error());
	for (size_t i = 0; i < a->s.nwarnings; i++)
		warnx("%s", a->s.warnings[i]);
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
                               const struct sandbox_place *p, const char *workdir)
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
	buf_putc(b, '}');
}

static void put_result_member(struct buf *b, const struct run_result *r)
{
	buf_reset(b);
	if (r->signal)
		buf_printf(b, "{\"exit\":null,\"signal\":\"%s\"", run_signal_name(r->signal));
	else
		buf_printf(b, "{\"exit\":%d,\"signal\":null", r->exit);
	buf_printf(b, ",\"timedOut\":%s,\"ms\":%ld,\"stdout\":", r->timed_out ? "true" : "false",
	           r->ms);
	buf_json_str(b, r->out ? r->out : "");
	buf_puts(b, ",\"stderr\":");
	buf_json_str(b, r->err ? r->err : "");
	buf_printf(b, ",\"truncated\":%s", r->truncated ? "true" : "false");
	if (r->nmoved > 0) {
		buf_puts(b, ",\"quarantined\":[");
		for (size_t i = 0; i < r->nmoved; i++) {
			buf_puts(b, i ? ",{\"path\":" : "{\"path\":");
			buf_json_str(b, r->moved[i].path);
			buf_puts(b, r->moved[i].moved_to ? ",\"movedTo\":" : ",\"error\":");
			buf_json_str(b, r->moved[i].moved_to ? r->moved[i].moved_to
			                                     : r->moved[i].error);
			buf_putc(b, '}');
		}
		buf_putc(b, ']');
	}
	buf_putc(b, '}');
}

/* Persistence paths the run made, moved aside: said on stderr too, for the person. */
static void warn_moved(const struct run_result *r)
{
	for (size_t i = 0; i < r->nmoved; i++)
		if (r->moved[i].moved_to)
			warnx("%s appeared during the run and was moved to %s (a persistence path: "
			      "the host would have run it)",
			      r->moved[i].path, r->moved[i].moved_to);
		else
			warnx("%s appeared during the run and could not be moved aside: %s; remove "
			      "it before the host uses this directory",
			      r->moved[i].path, r->moved[i].error);
}

/* A sandboxed run: the scope's place, its user and workspace, then the native sandbox. */
static int run_sandboxed(const struct request *q, struct envlist *env, struct run_result *r,
                         struct filter *f, struct record *rec)
{
	const struct sandbox_settings *s = &q->agent->s;
	struct sandbox_place p;
	struct native_spec ns;
	struct native_bind *binds = xcalloc(s->nbinds + 1, sizeof(*binds));
	uid_t uid;
	gid_t gid;
	int rc = -1;

	if (strcmp(s->backend, "native") != 0) {
		free(binds);
		return claw_fail("sandbox backend \"%s\" is not available in this claw build; set "
		                 "agents.defaults.sandbox.backend to \"native\"",
		                 s->backend);
	}
	if (sandbox_place(s, q->scope_key, &p) < 0) {
		free(binds);
		return -1;
	}
	char *workdir = inside_workdir(s, &p, q->workdir);
	int lock = -1;
	if (sandbox_user(s, &uid, &gid) == 0 && sandbox_prepare(s, &p, uid, gid, &lock) == 0) {
		sandbox_native_spec(s, &p, uid, gid, q->timeout, &ns, binds);
		char *argv[] = { "/bin/sh", "-c", (char *)q->command, NULL };
		struct run_spec rs = { .argv = argv,
			               .envp = env_finish(env),
			               .cwd = workdir,
			               .timeout = q->timeout,
			               .capture = true,
			               .sandbox = &ns };
		rc = run_command(&rs, r);
		warn_moved(r);
		if (rc == 0) {
			put_sandbox_member(&f->member, true, s, &p, workdir);
			record_add_raw(rec, "sandbox", f->member.p, f->member.len);
		}
	}
	if (lock >= 0)
		close(lock);
	free(workdir);
	free(binds);
	sandbox_place_free(&p);
	return rc;
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
		               .capture = true };
	int rc = run_command(&rs, r);

	if (rc == 0) {
		put_sandbox_member(&f->member, false, NULL, NULL, cwd ? cwd : "/");
		record_add_raw(rec, "sandbox", f->member.p, f->member.len);
	}
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

static int handle(struct record *rec, void *ctx)
{
	struct filter *f = ctx;
	const char *tool = NULL;
	struct request q;
	struct envlist env = { 0 };
	struct run_result r = { 0 };
	bool elevated = false;
	int rc;

	if (rec_get_str(rec->root, "tool", &tool) < 0)
		return -1;
	if (tool == NULL || !tp_is_exec(tool))
		return 0; /* other tools pass through */
	if (read_request(f, rec->root, &q, &elevated) < 0 || q.agent == NULL)
		return -1;
	if (q.agent->error) {
		record_deny(rec, q.agent->error);
		return 0;
	}
	bool sandbox = q.sandboxed && !elevated;
	if (sandbox)
		env_base_sandbox(&q.agent->s, &env, false);
	else
		env_base_host(&env);
	if (env_request(q.env, sandbox, &env) < 0) {
		record_deny(rec, claw_error());
		env_free(&env);
		return 0;
	}
	rc = sandbox ? run_sandboxed(&q, &env, &r, f, rec) : run_on_host(&q, &env, &r, f, rec);
	env_free(&env);
	if (rc < 0) {
		/* Nothing ran: the sandbox could not be built, or the command could not start. */
		record_deny(rec, claw_error());
		run_result_free(&r);
		return 0;
	}
	put_result_member(&f->member, &r);
	record_add_raw(rec, "result", f->member.p, f->member.len);
	run_result_free(&r);
	return 0;
}

static int run_filter(struct cli *c, struct config *cfg)
{
	struct filter f = { .cfg = cfg };
	struct stage stage = { .name = "claw-sandbox", .handle = handle, .ctx = &f };
	struct record_opts ro = { .max_record = c->co.max_record, .in_fd = 0, .out_fd = 1 };

	load_all_agents(&f);
	int status = record_loop(&stage, &ro);
	for (size_t i = 0; i < f.nagents; i++) {
		sandbox_settings_free(&f.agents[i].s);
		free(f.agents[i].error);
	}
	free(f.agents);
	buf_free(&f.member);
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
	for (size_t i = 0; i < t->s.nwarnings; i++)
		warnx("%s", t->s.warnings[i]);
	return sandbox_place(&t->s, t->si.scope_key.p, &t->p);
}

static void target_free(struct target *t)
{
	sandbox_place_free(&t->p);
	sandbox_settings_free(&t->s);
	session_info_free(&t->si);
	session_settings_free(&t->ss);
}

/* exec: always in the sandbox, the terminal passed through, the command's status returned. */
static int run_exec(struct cli *c, struct config *cfg)
{
	struct target t;
	struct envlist env = { 0 };
	struct native_spec ns;
	struct run_result r;
	uid_t uid;
	gid_t gid;

	if (c->ncommand == 0)
		usage_error("exec: COMMAND is missing");
	if (resolve_target(c, cfg, &t, 126) < 0)
		errx(126, "%s", claw_error());
	if (strcmp(t.s.backend, "native") != 0)
		errx(125, "sandbox backend \"%s\" is not available in this claw build",
		     t.s.backend);
	int lock;
	if (sandbox_user(&t.s, &uid, &gid) < 0 || sandbox_prepare(&t.s, &t.p, uid, gid, &lock) < 0)
		errx(125, "%s", claw_error());
	struct native_bind *binds = xcalloc(t.s.nbinds + 1, sizeof(*binds));
	sandbox_native_spec(&t.s, &t.p, uid, gid, (double)c->timeout, &ns, binds);
	env_base_sandbox(&t.s, &env, true);
	struct run_spec rs = { .argv = c->command,
		               .envp = env_finish(&env),
		               .cwd = t.s.workdir,
		               .timeout = (double)c->timeout,
		               .sandbox = &ns };
	int rc = run_command(&rs, &r);
	if (rc < 0)
		warnx("%s", claw_error());
	warn_moved(&r);
	int status = run_exit_status(&r);
	if (r.interrupted)
		status = 128 + r.interrupted;
	run_result_free(&r);
	close(lock);
	env_free(&env);
	free(binds);
	target_free(&t);
	return status;
}

/* ---- explain ---- */

static void explain_kernel(struct buf *b, bool json)
{
	struct native_child probe = { 0 };
	int abi = landlock_abi();
	bool userns = native_check_kernel() == 0;

	(void)probe;
	if (json) {
		buf_printf(b,
		           ",\"kernel\":{\"userNamespaces\":%s,\"landlockAbi\":%d,\"seccomp\":true,"
		           "\"root\":%s}",
		           userns ? "true" : "false", abi, geteuid() == 0 ? "true" : "false");
		return;
	}
	buf_printf(b,
	           "\nkernel:\n  user namespaces   %s\n  landlock          %s (ABI %d)\n"
	           "  limits            %s\n",
	           userns ? "yes" : "no", abi > 0 ? "yes" : "no", abi,
	           geteuid() == 0 ? "cgroups (v1 pids/memory/cpu) where the controllers are mounted"
	                          : "rlimits (not root: cgroups are not writable)");
}

static int run_explain(struct cli *c, struct config *cfg)
{
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
	if (sandbox_user(&t.s, &uid, &gid) < 0)
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
		explain_kernel(&b, true);
		buf_puts(&b, "}\n");
	} else {
		buf_printf(
		    &b,
		    "agent:       %s\nsession:     %s (%s)\nscope key:   %s\nname:        %s\n"
		    "workspace:   %s -> %s (%s)\n",
		    t.si.agent, t.si.key.p, t.si.sandboxed ? "sandboxed" : "runs on the host",
		    t.p.scope_key, t.p.name, t.p.workspace_dir, t.s.workdir,
		    t.p.workspace_rw ? "rw" : "ro");
		if (t.p.agent_dir)
			buf_printf(&b, "agent dir:   %s -> /agent (ro)\n", t.p.agent_dir);
		buf_printf(&b, "runs as:     uid %u, gid %u\n\nsettings:\n", (unsigned)uid,
		           (unsigned)gid);
		for (size_t i = 0; i < t.s.nsrc; i++)
			buf_printf(&b, "  %-44s %-24s %s\n", t.s.src[i].key, t.s.src[i].value,
			           t.s.src[i].from);
		for (size_t i = 0; i < t.s.nwarnings; i++)
			buf_printf(&b, "warning: %s\n", t.s.warnings[i]);
		explain_kernel(&b, false);
	}
	fputs(b.p, stdout);
	buf_free(&b);
	target_free(&t);
	return 0;
}

/* ---- list, rm, prune: the workspaces on disk ---- */

struct entry {
	char *root, *slug, *scope_key, *agent, *name;
	long long created_ms, used_ms;
};

struct entries {
	struct entry *v;
	size_t n;
};

static char *meta_string(const cJSON *m, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, key);
	return xstrdup(cJSON_IsString(v) ? v->valuestring : "");
}

static void scan_root(const char *root, struct entries *out)
{
	DIR *d = opendir(root);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		char *path = xasprintf("%s/%s", root, de->d_name), *data;
		size_t n;
		struct stat st;
		if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
		    read_file(path, 65536, &data, &n) < 0) {
			free(path);
			continue;
		}
		cJSON *m = cJSON_ParseWithLength(data, n);
		const cJSON *created = cJSON_GetObjectItemCaseSensitive(m, "createdAtMs");
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		struct entry *e = &out->v[out->n++];
		e->root = xstrdup(root);
		e->slug = xstrndup(de->d_name, len - 5);
		e->scope_key = meta_string(m, "scopeKey");
		e->agent = meta_string(m, "agent");
		e->name = meta_string(m, "name");
		e->created_ms = cJSON_IsNumber(created) ? (long long)created->valuedouble : 0;
		e->used_ms = (long long)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
		cJSON_Delete(m);
		free(data);
		free(path);
	}
	closedir(d);
}

/* Every workspace root any agent uses, each scanned once. */
static void scan_all(struct config *cfg, struct entries *out)
{
	struct filter f = { .cfg = cfg };
	char **seen = NULL;
	size_t nseen = 0;

	load_all_agents(&f);
	for (size_t i = 0; i < f.nagents; i++) {
		const char *root = f.agents[i].s.workspace_root;
		bool dup = root == NULL;
		for (size_t j = 0; j < nseen && !dup; j++)
			dup = strcmp(seen[j], root) == 0;
		if (!dup) {
			seen = xrealloc(seen, (nseen + 1) * sizeof(*seen));
			seen[nseen++] = xstrdup(root);
			scan_root(root, out);
		}
		sandbox_settings_free(&f.agents[i].s);
		free(f.agents[i].error);
	}
	for (size_t i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	free(f.agents);
}

static void entries_free(struct entries *es)
{
	for (size_t i = 0; i < es->n; i++) {
		struct entry *e = &es->v[i];
		free(e->root), free(e->slug), free(e->scope_key), free(e->agent), free(e->name);
	}
	free(es->v);
}

static void put_entry_json(struct buf *b, const struct entry *e)
{
	buf_puts(b, "{\"name\":");
	buf_json_str(b, e->name);
	buf_puts(b, ",\"scopeKey\":");
	buf_json_str(b, e->scope_key);
	buf_puts(b, ",\"agent\":");
	buf_json_str(b, e->agent);
	buf_printf(b, ",\"createdAtMs\":%lld,\"lastUsedAtMs\":%lld,\"path\":", e->created_ms,
	           e->used_ms);
	char *path = xasprintf("%s/%s", e->root, e->slug);
	buf_json_str(b, path);
	free(path);
	buf_putc(b, '}');
}

static void format_age(char *out, size_t size, long long ms)
{
	long long now = (long long)time(NULL) * 1000, s = (now - ms) / 1000;

	if (s < 120)
		snprintf(out, size, "%llds ago", s);
	else if (s < 7200)
		snprintf(out, size, "%lldm ago", s / 60);
	else if (s < 172800)
		snprintf(out, size, "%lldh ago", s / 3600);
	else
		snprintf(out, size, "%lldd ago", s / 86400);
}

static int run_list(struct cli *c, struct config *cfg)
{
	struct entries es = { 0 };
	struct buf b = { 0 };

	scan_all(cfg, &es);
	if (c->co.json) {
		buf_putc(&b, '[');
		for (size_t i = 0; i < es.n; i++) {
			if (i)
				buf_putc(&b, ',');
			put_entry_json(&b, &es.v[i]);
		}
		buf_puts(&b, "]\n");
	} else {
		buf_printf(&b, "%-36s %-12s %-12s %s\n", "NAME", "CREATED", "LAST USED",
		           "SCOPE KEY");
		for (size_t i = 0; i < es.n; i++) {
			char created[32], used[32];
			format_age(created, sizeof(created), es.v[i].created_ms);
			format_age(used, sizeof(used), es.v[i].used_ms);
			buf_printf(&b, "%-36s %-12s %-12s %s\n", es.v[i].name, created, used,
			           es.v[i].scope_key);
		}
	}
	fputs(b.p, stdout);
	buf_free(&b);
	entries_free(&es);
	return 0;
}

/*
 * One scope's workspace, metadata, kept network namespace and cgroups.
 * Refused while a sandbox of it runs: the launcher holds the workspace's
 * flock shared for the whole run, rm takes it exclusive without waiting.
 * Removal goes by descriptors and never follows a symlink or enters a mount
 * (peers.md 11), so nothing a command left in the workspace leads it out.
 */
static int remove_entry(const struct entry *e)
{
	char *dir = xasprintf("%s/%s", e->root, e->slug);
	char *meta = xasprintf("%s.json", e->slug);
	char *pin = xasprintf("%s/%s", NATIVE_NETNS_DIR, e->slug);
	int root = open(e->root, O_PATH | O_DIRECTORY | O_CLOEXEC), ws = -1, rc = -1;

	if (root < 0) {
		claw_fail("%s: %s", e->root, strerror(errno));
		goto out;
	}
	ws = openat_beneath(root, e->slug, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, RESOLVE_NO_XDEV);
	if (ws < 0 && errno != ENOENT && errno != ENOTDIR && errno != ELOOP) {
		claw_fail("%s: %s", dir, strerror(errno));
		goto out;
	}
	if (ws >= 0 && flock(ws, LOCK_EX | LOCK_NB) < 0) {
		claw_fail(errno == EWOULDBLOCK
		              ? "%s is running: not removed (its workspace %s is in use)"
		              : "%s: cannot lock %s",
		          e->name, dir);
		goto out;
	}
	if (geteuid() == 0 && (native_netns_remove(pin) < 0 || native_cgroups_remove(e->slug) < 0))
		goto out;
	if (remove_tree_at(root, e->slug, dir) < 0)
		goto out;
	if (unlinkat(root, meta, 0) < 0 && errno != ENOENT) {
		claw_fail("cannot remove %s/%s: %s", e->root, meta, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (ws >= 0)
		close(ws);
	if (root >= 0)
		close(root);
	free(pin);
	free(dir);
	free(meta);
	return rc;
}

static int run_rm(struct cli *c, struct config *cfg)
{
	struct entries es = { 0 };
	char want_slug[SESSION_SLUG_MAX] = "";
	int status = 0;

	if ((c->all ? 1 : 0) + (c->session ? 1 : 0) + (c->agent && !c->session ? 1 : 0) != 1)
		usage_error("rm: give one of --all, --session KEY, --agent A");
	if (c->session) {
		struct target t;
		if (resolve_target(c, cfg, &t, 1) < 0)
			errx(1, "%s", claw_error());
		memcpy(want_slug, t.p.slug, sizeof(want_slug));
		target_free(&t);
	}
	char agent[SESSION_ID_MAX] = "";
	if (c->agent)
		norm_agent_id(c->agent, agent);
	scan_all(cfg, &es);
	for (size_t i = 0; i < es.n; i++) {
		const struct entry *e = &es.v[i];
		bool match = c->all || (c->session && strcmp(e->slug, want_slug) == 0) ||
		             (!c->session && c->agent && strcmp(e->agent, agent) == 0);
		if (!match)
			continue;
		if (remove_entry(e) < 0) {
			warnx("%s", claw_error());
			status = 1;
		} else {
			printf("removed %s\n", e->name);
		}
	}
	entries_free(&es);
	return status;
}

static int run_prune(struct cli *c, struct config *cfg)
{
	struct entries es = { 0 };
	struct filter f = { .cfg = cfg };
	long long now = (long long)time(NULL) * 1000;
	int status = 0;

	load_all_agents(&f);
	scan_all(cfg, &es);
	for (size_t i = 0; i < es.n; i++) {
		const struct entry *e = &es.v[i];
		struct agent_settings *a = find_agent(&f, e->agent[0] ? e->agent : "main");
		const struct sandbox_settings *s = a ? &a->s : &f.agents[0].s;
		/* OpenClaw's rules: idle longer than idleHours, or older than maxAgeDays; 0 is off.
		 */
		bool idle =
		    s->idle_hours > 0 && now - e->used_ms > (long long)(s->idle_hours * 3600e3);
		bool old = s->max_age_days > 0 && e->created_ms > 0 &&
		           now - e->created_ms > (long long)(s->max_age_days * 86400e3);
		if (!idle && !old)
			continue;
		if (remove_entry(e) < 0) {
			warnx("%s", claw_error());
			status = 1;
		} else if (c->co.json) {
			printf("{\"removed\":\"%s\",\"reason\":\"%s\"}\n", e->name,
			       idle ? "idle" : "age");
		} else {
			printf("removed %s (%s)\n", e->name, idle ? "idle" : "too old");
		}
	}
	entries_free(&es);
	for (size_t i = 0; i < f.nagents; i++) {
		sandbox_settings_free(&f.agents[i].s);
		free(f.agents[i].error);
	}
	free(f.agents);
	return status;
}

/* ---- report: what claw exec shows of the pipeline's last record ---- */

static void write_all(int fd, const char *s)
{
	for (size_t len = strlen(s); len > 0;) {
		ssize_t n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n, len -= (size_t)n;
	}
}

static const char *str_member(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/*
 * What would let a segment through, by what it needs (claw-approve(1)): any
 * allow-list entry; an entry bound to these very words and this program;
 * or a person, every time (a shell, a carrier such as sudo, a guard hit).
 */
static void report_fix(const cJSON *seg, const char *path)
{
	const char *need = str_member(seg, "need");
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
	const char *fallback = str_member(approval, "askFallback");

	if (strcmp(str_member(approval, "via") ? str_member(approval, "via") : "", "fallback") == 0)
		fprintf(stderr, "  nobody could be asked, so askFallback=%s applied\n",
		        fallback ? fallback : "deny");
	cJSON_ArrayForEach(seg, segments)
	{
		const char *path = str_member(seg, "path"), *why = str_member(seg, "why");
		if (why == NULL)
			continue;
		fprintf(stderr, "  %s: %s\n", path ? path : "(not found)", why);
		if (path != NULL && str_member(seg, "satisfiedBy") == NULL)
			report_fix(seg, path);
	}
}

/* claw exec's words, not claw-sandbox's: the person ran claw. */
static void report_denial(const cJSON *rec, const cJSON *deny)
{
	const char *by = str_member(deny, "by"), *why = str_member(deny, "reason");
	const cJSON *approval = cJSON_GetObjectItemCaseSensitive(rec, "approval");

	fprintf(stderr, "claw: denied by %s: %s\n", by ? by : "claw",
	        why ? why : "no reason given");
	if (by != NULL && strcmp(by, "claw-approve") == 0 && cJSON_IsObject(approval))
		report_approval(approval);
}

static int report_record(const cJSON *rec)
{
	const cJSON *deny = cJSON_GetObjectItemCaseSensitive(rec, "deny");
	const cJSON *error = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const cJSON *result = cJSON_GetObjectItemCaseSensitive(rec, "result");

	if (cJSON_IsObject(deny)) {
		report_denial(rec, deny);
		return cJSON_IsObject(error) ? 125 : 126;
	}
	if (!cJSON_IsObject(result)) {
		warnx("the pipeline gave no result");
		return 125;
	}
	const cJSON *out = cJSON_GetObjectItemCaseSensitive(result, "stdout");
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(result, "stderr");
	const cJSON *exit = cJSON_GetObjectItemCaseSensitive(result, "exit");
	const cJSON *sig = cJSON_GetObjectItemCaseSensitive(result, "signal");
	if (cJSON_IsString(out))
		write_all(1, out->valuestring);
	if (cJSON_IsString(err))
		write_all(2, err->valuestring);
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

static int run_report(void)
{
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
			status = report_record(rec);
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
static int run_features(const struct cli *c)
{
	struct kernel_features k;

	if (c->filter)
		return write_filter();
	kernel_probe(&k);
	if (c->co.json) {
		struct buf b = { 0 };
		buf_printf(&b, "{\"userns\":%s,\"usernsWhy\":", k.userns ? "true" : "false");
		buf_json_str(&b, k.userns_why);
		buf_printf(&b,
		           ",\"seccomp\":%s,\"seccompWhy\":", k.seccomp_filter ? "true" : "false");
		buf_json_str(&b, k.seccomp_why);
		buf_printf(&b, ",\"landlock\":%d,\"landlockWhy\":", k.landlock_abi);
		buf_json_str(&b, k.landlock_why);
		buf_printf(&b, ",\"cgroupns\":%s}", k.cgroupns ? "true" : "false");
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
	return 0;
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	struct config cfg;

	opts_usage = usage;
	c.timeout = DEFAULT_TIMEOUT; /* exec's wall clock, as a request's */
	parse_args(argc, argv, &c);
	if (config_load(&cfg, &c.co) < 0)
		errx(c.sub && strcmp(c.sub, "exec") == 0 ? 125 : 2, "%s", claw_error());
	int status;
	if (c.sub == NULL)
		status = run_filter(&c, &cfg);
	else if (strcmp(c.sub, "exec") == 0)
		status = run_exec(&c, &cfg);
	else if (strcmp(c.sub, "explain") == 0)
		status = run_explain(&c, &cfg);
	else if (strcmp(c.sub, "list") == 0)
		status = run_list(&c, &cfg);
	else if (strcmp(c.sub, "rm") == 0)
		status = run_rm(&c, &cfg);
	else if (strcmp(c.sub, "features") == 0)
		status = run_features(&c);
	else if (strcmp(c.sub, "report") == 0)
		status = run_report();
	else
		status = run_prune(&c, &cfg);
	config_free(&cfg);
	return status;
}
