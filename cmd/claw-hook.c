/*
 * claw-hook: claw in front of an agent runtime.
 *
 * Each tool call the runtime is about to make becomes a claw request,
 * decided by claw-session | claw-policy | claw-approve (claw-sandbox
 * --dry-run says where an exec would run) and logged by claw-audit. The
 * answer goes back in the runtime's own terms: Claude Code's PreToolUse
 * protocol here (claude-code), OpenClaw's plugin hooks through the plugin in
 * share/claw/openclaw-plugin, which runs `claw-hook decide` and reads the
 * verdict member it adds to each decided record.
 *
 * Nothing here decides anything the stages decide: the verdict only reads
 * their members. Anything that cannot be read or decided is a refusal.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/fsutil.h"
#include "core/opts.h"
#include "core/stagepipe.h"
#include "core/record.h"
#include "core/shell.h"
#include "core/util.h"
#include "approve/toolgate.h"
#include "policy/toolcatalog.h"

static const char usage[] =
    "usage: claw-hook claude-code [--agent A] [--timeout SECONDS]\n"
    "       claw-hook claude-code --install [--project] [--print] [--timeout SECONDS]\n"
    "       claw-hook decide [--defer | --ask-fd N] [--timeout SECONDS] [--deliveries]\n"
    "       claw-hook settings [--json]\n";

static const char usage_tail[] =
    "Exit status: claude-code: 0 with a decision on standard output, 2 refused\n"
    "(claw could not read or decide); decide: as a filter (0, 1, 2).\n"
    "See claw-hook(1).\n";

enum {
	OPT_TIMEOUT = OPT_FIRST_COMMAND_OPTION,
	OPT_DEFER,
	OPT_ASK_FD,
	OPT_DELIVERIES,
	OPT_AGENT,
	OPT_INSTALL,
	OPT_PROJECT,
	OPT_PRINT,
};

static const struct opt_row options[] = {
	OPT_VALUE("timeout", OPT_TIMEOUT, "SECONDS",
	          "claude-code: decide within SECONDS or refuse (default 55);\n"
	          "decide: a person is waited for at most SECONDS"),
	OPT_FLAG("defer", OPT_DEFER,
	         "decide: what needs a person is left to the runtime's own prompt\n"
	         "(verdict ask), when approvals.askVia is \"runtime\""),
	OPT_VALUE("ask-fd", OPT_ASK_FD, "N",
	          "decide: the runtime asks and answers with claw-approve resolve;\n"
	          "each question is announced on fd N (approvals.askVia \"runtime\")"),
	OPT_FLAG("deliveries", OPT_DELIVERIES,
	         "decide: outgoing messages, not tool calls: no tool policy, no\n"
	         "sandbox; approvals.tools decides whether a person is asked"),
	OPT_VALUE("agent", OPT_AGENT, "A", "claude-code: the agent whose config applies"),
	OPT_FLAG("install", OPT_INSTALL,
	         "claude-code: merge the hook into ~/.claude/settings.json,\n"
	         "keeping a numbered backup"),
	OPT_FLAG("project", OPT_PROJECT, "--install: into .claude/settings.json here"),
	OPT_FLAG("print", OPT_PRINT, "--install: show the result and write nothing"),
	OPT_FLAG("json", OPT_JSON, "settings: as JSON"),
	OPT_HEADING("Common options:"),
	OPT_ROWS_COMMON,
	OPT_END,
};

#define CLAUDE_TIMEOUT_DEFAULT 55
#define INPUT_MAX              ((size_t)16 * 1024 * 1024)
/* Longer strings in a non-exec tool's arguments are logged as their size and digest. */
#define ARG_STRING_MAX ((size_t)64 * 1024)

struct cli {
	struct common_opts co;
	const char *sub; /* as given; check_args() finds its row */
	const struct opts_command *cmd;
	struct hook *h; /* the config, loaded for every subcommand but claude-code --install */
	const char *agent;
	long timeout_s; /* 0: not given */
	bool defer, deliveries, install, project, print;
	int ask_fd;
};

/* What every subcommand shares: the config, and what it says about asking. */
struct hook {
	struct config cfg;
	bool ask_claw;     /* approvals.askVia "claw": claw's own ways ask, not the runtime */
	char *sandbox;     /* claw-sandbox's path, for the sandboxed command line */
	char *state_dir;   /* absolute */
	char *config;      /* absolute, or NULL when there is no file */
	char *claw_config; /* claw.json, absolute, or NULL when there is no file */
	/* claw-approve's arguments for this run */
	const char *approve_args[8];
	char fd_arg[16], timeout_arg[24];
};

/* ---- the config ---- */

static int hook_load(struct hook *h, const struct cli *c)
{
	static const char *const vias[] = { "runtime", "claw", NULL };
	const char *via = "runtime";

	if (config_load(&h->cfg, &c->co) < 0 ||
	    cfg_enum(&h->cfg, cfg_get(h->cfg.root, "approvals.askVia"), "approvals.askVia", vias,
	             &via) < 0)
		return -1;
	h->ask_claw = strcmp(via, "claw") == 0;
	h->state_dir = cfg_user_path(h->cfg.state_dir);
	h->config = h->cfg.exists ? cfg_user_path(h->cfg.path) : NULL;
	h->claw_config = h->cfg.claw_exists ? cfg_user_path(h->cfg.claw_path) : NULL;
	h->sandbox = stagepipe_find("claw-sandbox");
	/* The stages read the same files, whatever the caller's environment says. */
	setenv("OPENCLAW_STATE_DIR", h->state_dir, 1);
	if (c->co.config != NULL)
		setenv("OPENCLAW_CONFIG_PATH", c->co.config, 1);
	if (c->co.claw_config != NULL)
		setenv("CLAW_CONFIG_PATH", c->co.claw_config, 1);
	return 0;
}

static void hook_free(struct hook *h)
{
	free(h->sandbox);
	free(h->state_dir);
	free(h->config);
	free(h->claw_config);
	config_free(&h->cfg);
}

/*
 * How claw-approve asks. The runtime's own prompt (--defer: Claude Code's;
 * --ask-fd: OpenClaw's plugin approvals, answered through resolve) when
 * approvals.askVia says so and the runtime can; otherwise claw's own ways:
 * chat targets and claw-approve resolve, never the terminal, which is the
 * runtime's.
 */
static void approve_args(struct hook *h, bool defer, int ask_fd, long timeout_s)
{
	size_t n = 0;

	if (!h->ask_claw && defer) {
		h->approve_args[n++] = "--defer";
	} else if (!h->ask_claw && ask_fd >= 0) {
		snprintf(h->fd_arg, sizeof(h->fd_arg), "%d", ask_fd);
		h->approve_args[n++] = "--ask-fd";
		h->approve_args[n++] = h->fd_arg;
	} else {
		h->approve_args[n++] = "--no-tty";
		h->approve_args[n++] = "--wait";
	}
	if (timeout_s > 0) {
		snprintf(h->timeout_arg, sizeof(h->timeout_arg), "%ld", timeout_s);
		h->approve_args[n++] = "--timeout";
		h->approve_args[n++] = h->timeout_arg;
	}
	h->approve_args[n] = NULL;
}

/* The decision pipeline: the porcelain's, with claw-sandbox only saying where. */
static size_t stages_of(const struct hook *h, bool deliveries, bool keep_fd,
                        struct stagepipe_stage *st)
{
	static const char *const dry_run[] = { "--dry-run", NULL };
	static const char *const log[] = { "log", NULL };
	size_t n = 0;

	st[n++] = (struct stagepipe_stage){ .name = "claw-session" };
	/* An outgoing message is not a tool call: no tool policy, and nothing runs. */
	if (!deliveries)
		st[n++] = (struct stagepipe_stage){ .name = "claw-policy" };
	st[n++] = (struct stagepipe_stage){ .name = "claw-approve",
		                            .args = h->approve_args,
		                            .keep_fd = keep_fd };
	if (!deliveries)
		st[n++] = (struct stagepipe_stage){ .name = "claw-sandbox",
			                            .args = dry_run,
			                            .quiet = true };
	st[n++] = (struct stagepipe_stage){ .name = "claw-audit", .args = log };
	return n;
}

/* ---- the verdict ---- */

enum verdict_kind { V_ALLOW, V_DENY, V_ASK, V_SANDBOX };
static const char *const verdict_names[] = {
	[V_ALLOW] = "allow", [V_DENY] = "deny", [V_ASK] = "ask", [V_SANDBOX] = "sandbox"
};

struct verdict {
	enum verdict_kind kind;
	const char *by;      /* the stage that refused */
	const char *reason;  /* claw's reason */
	const char *via;     /* approval.via: who or what allowed it */
	const char *backend; /* V_SANDBOX: sandbox.backend, native or docker */
	struct buf command;  /* V_SANDBOX: the command line that runs it in claw's sandbox */
};

static const char *member_str(const cJSON *obj, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, name));
}

/*
 * The command line that runs COMMAND in claw's native sandbox of session
 * KEY: the runtime's own exec tool runs this on its host, and claw-sandbox
 * does the rest. Every word is quoted; the state and config are named, so
 * the runtime's environment cannot point claw-sandbox elsewhere.
 */
static void sandbox_command(const struct hook *h, const char *key, const char *command,
                            const cJSON *timeout, struct buf *b)
{
	buf_puts(b, "exec ");
	shell_quote(b, h->sandbox);
	buf_puts(b, " --state-dir ");
	shell_quote(b, h->state_dir);
	if (h->config != NULL) {
		buf_puts(b, " --config ");
		shell_quote(b, h->config);
	}
	if (h->claw_config != NULL) {
		buf_puts(b, " --claw-config ");
		shell_quote(b, h->claw_config);
	}
	buf_puts(b, " exec --session ");
	shell_quote(b, key);
	if (cJSON_IsNumber(timeout) && timeout->valuedouble >= 1 && timeout->valuedouble <= 604800)
		buf_printf(b, " --timeout %ld", (long)timeout->valuedouble);
	buf_puts(b, " -- /bin/sh -c ");
	shell_quote(b, command);
}

/*
 * Reads the decided record's members. A record that carries deny was
 * refused, unless claw-approve left it to the runtime's prompt (via
 * "runtime"); an exec that claw-sandbox would run in the sandbox is handed
 * back rewritten; everything else passes as it came.
 */
static int verdict_of(const struct hook *h, const cJSON *rec, struct verdict *v)
{
	const cJSON *deny = cJSON_GetObjectItemCaseSensitive(rec, "deny");
	const cJSON *approval = cJSON_GetObjectItemCaseSensitive(rec, "approval");
	const cJSON *sandbox = cJSON_GetObjectItemCaseSensitive(rec, "sandbox");
	const cJSON *session = cJSON_GetObjectItemCaseSensitive(rec, "session");
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(rec, "args");
	const char *via = member_str(approval, "via");

	buf_reset(&v->command);
	v->by = v->reason = v->backend = NULL;
	v->via = via;
	if (deny != NULL) {
		v->kind = via && strcmp(via, "runtime") == 0 ? V_ASK : V_DENY;
		v->by = member_str(deny, "by");
		v->reason = member_str(deny, "reason");
		if (v->kind == V_ASK && member_str(approval, "asked") != NULL)
			v->reason = member_str(approval, "asked");
		if (v->reason == NULL)
			v->reason = "refused";
		return 0;
	}
	v->kind = V_ALLOW;
	const char *where = member_str(sandbox, "where");
	if (where == NULL || strcmp(where, "sandbox") != 0)
		return 0;
	const char *key = member_str(session, "policyKey");
	const char *command = member_str(args, "command");
	if (key == NULL || command == NULL || h->sandbox == NULL) {
		v->kind = V_DENY;
		v->by = "claw-hook";
		v->reason = h->sandbox == NULL ? "claw-sandbox is not installed: nothing may run"
		                               : "a sandboxed exec without a session or a command";
		return 0;
	}
	v->kind = V_SANDBOX;
	v->backend = member_str(sandbox, "backend");
	sandbox_command(h, key, command, cJSON_GetObjectItemCaseSensitive(args, "timeout"),
	                &v->command);
	return 0;
}

static void verdict_json(const struct verdict *v, struct buf *b)
{
	buf_printf(b, "{\"decision\":\"%s\"", verdict_names[v->kind]);
	if (v->by != NULL) {
		buf_puts(b, ",\"by\":");
		buf_json_str(b, v->by);
	}
	if (v->reason != NULL) {
		buf_puts(b, ",\"reason\":");
		buf_json_str(b, v->reason);
	}
	if (v->via != NULL) {
		buf_puts(b, ",\"via\":");
		buf_json_str(b, v->via);
	}
	if (v->backend != NULL) {
		buf_puts(b, ",\"backend\":");
		buf_json_str(b, v->backend);
	}
	if (v->kind == V_SANDBOX) {
		buf_puts(b, ",\"command\":");
		buf_json_str(b, v->command.p);
	}
	buf_putc(b, '}');
}

/* ---- decide: the filter ---- */

struct decide_ctx {
	struct hook *h;
	struct verdict v;
	struct buf member;
};

static int decide_handle(struct record *rec, void *arg)
{
	struct decide_ctx *d = arg;

	verdict_of(d->h, rec->root, &d->v);
	buf_reset(&d->member);
	verdict_json(&d->v, &d->member);
	record_add_raw(rec, "verdict", d->member.p, d->member.len);
	return 0;
}

static int run_decide(struct cli *c)
{
	struct hook *h = c->h;
	struct stagepipe_stage st[STAGEPIPE_MAX];
	struct stagepipe p;
	struct decide_ctx d = { .h = h };
	struct stage stage = {
		.name = "claw-hook", .handle = decide_handle, .handle_denied = true, .ctx = &d
	};
	bool keep = !h->ask_claw && c->ask_fd >= 0;

	/* An fd the stages do not need is not left open in them. */
	if (c->ask_fd >= 0 && !keep)
		fcntl(c->ask_fd, F_SETFD, FD_CLOEXEC);
	approve_args(h, c->defer, c->ask_fd, c->timeout_s);
	size_t n = stages_of(h, c->deliveries, keep, st);
	/* In claw-hook's own process group: whoever ends claw-hook's group ends them. */
	if (stagepipe_start(&p, st, n, 0, -1, keep ? c->ask_fd : -1, false) < 0)
		errx(2, "%s", claw_error());
	close(0); /* the stages read the requests; holding them open would hide their end */
	struct record_opts ro = { .max_record = c->co.max_record, .in_fd = p.out, .out_fd = 1 };
	int status = record_loop(&stage, &ro);
	if (stagepipe_end(&p) < 0) {
		warnx("%s", claw_error());
		status = 2;
	}
	buf_free(&d.v.command);
	buf_free(&d.member);
	return status;
}

/* ---- claude-code: the PreToolUse hook ---- */

/* Claude Code's answer refused: the reason on stderr, exit 2 (Claude Code blocks). */
noreturn static void refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

noreturn static void refuse(const char *fmt, ...)
{
	va_list ap;

	fputs("claw: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* Waits until FD is ready for EVENTS, or the deadline: false then. */
static bool ready(int fd, short events, long long deadline)
{
	for (;;) {
		long long left = deadline - clock_mono_ms();
		if (left <= 0)
			return false;
		struct pollfd pfd = { .fd = fd, .events = events };
		int rc = poll(&pfd, 1, (int)(left > 60000 ? 60000 : left));
		if (rc > 0)
			return true;
		if (rc < 0 && errno != EINTR)
			return true; /* the read or write says what is wrong */
	}
}

/* Appends what FD has to B; read(2)'s result. */
static ssize_t read_some(int fd, struct buf *b)
{
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n > 0)
		buf_put(b, chunk, (size_t)n);
	return n;
}

static void read_input(struct buf *in, long long deadline, long timeout_s)
{
	for (;;) {
		if (!ready(0, POLLIN, deadline))
			refuse("no complete tool call on standard input within %lds", timeout_s);
		ssize_t n = read_some(0, in);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			refuse("standard input: %s", strerror(errno));
		if (n == 0)
			return;
		if (in->len > INPUT_MAX)
			refuse("the tool call is larger than %zu bytes", INPUT_MAX);
	}
}

static const char *need_str(const cJSON *obj, const char *name, bool required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (cJSON_IsString(v))
		return v->valuestring;
	if (v == NULL && !required)
		return NULL;
	refuse("the hook input's \"%s\" must be a string", name);
}

/*
 * A string argument too long for a record (a whole file being written) is
 * logged by its size and SHA-256: the decision about a tool that is not exec
 * never depends on it, and the record stays within claw's limit.
 */
static cJSON *bounded_args(const cJSON *input)
{
	cJSON *args = cJSON_Duplicate(input, true), *m;

	cJSON_ArrayForEach(m, args)
	{
		if (!cJSON_IsString(m) || strlen(m->valuestring) <= ARG_STRING_MAX)
			continue;
		char *note = xasprintf("(%zu bytes, not logged)", strlen(m->valuestring));
		cJSON_SetValuestring(m, note);
		free(note);
	}
	return args;
}

/* OpenClaw's exec arguments of a Bash call: command, workdir, timeout in seconds. */
static cJSON *exec_args(const cJSON *input, const char *cwd)
{
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(input, "command");
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(input, "timeout");
	cJSON *args = cJSON_CreateObject();

	if (!cJSON_IsString(cmd))
		refuse("a Bash call without a command (tool_input.command must be a string)");
	cJSON_AddStringToObject(args, "command", cmd->valuestring);
	if (cwd != NULL)
		cJSON_AddStringToObject(args, "workdir", cwd);
	if (cJSON_IsNumber(ms) && ms->valuedouble >= 1000)
		cJSON_AddNumberToObject(args, "timeout", (double)(long)(ms->valuedouble / 1000));
	return args;
}

/*
 * The claw request of a Claude Code tool call: the local operator's (no
 * origin: Claude Code runs on the operator's machine, for the operator, in
 * the agent's main session), the tool as OpenClaw names it, and the call as
 * it came under "runtime".
 */
static char *request_of(const cJSON *in, const char *agent)
{
	const char *tool = need_str(in, "tool_name", true);
	const char *cwd = need_str(in, "cwd", false);
	const char *id = need_str(in, "tool_use_id", false);
	const char *sid = need_str(in, "session_id", false);
	const cJSON *input = cJSON_GetObjectItemCaseSensitive(in, "tool_input");
	const struct catalog_runtime_tool *row = catalog_runtime_tool("claude-code", tool);
	const char *as = row && row->tool ? row->tool : tool;

	if (!cJSON_IsObject(input))
		refuse("the hook input's \"tool_input\" must be an object");
	cJSON *rq = cJSON_CreateObject(), *runtime;
	if (id != NULL)
		cJSON_AddStringToObject(rq, "id", id);
	if (agent != NULL)
		cJSON_AddStringToObject(rq, "agent", agent);
	cJSON_AddStringToObject(rq, "tool", as);
	cJSON_AddItemToObject(
	    rq, "args", strcmp(as, "exec") == 0 ? exec_args(input, cwd) : bounded_args(input));
	runtime = cJSON_AddObjectToObject(rq, "runtime");
	cJSON_AddStringToObject(runtime, "name", "claude-code");
	cJSON_AddStringToObject(runtime, "tool", tool);
	if (sid != NULL)
		cJSON_AddStringToObject(runtime, "session", sid);
	char *line = cJSON_PrintUnformatted(rq);
	cJSON_Delete(rq);
	if (line == NULL)
		refuse("cannot write the request");
	return line;
}

/*
 * Writes REQUEST to the pipeline and reads the one decided record, both
 * under the deadline (a large request and its record move at once, so
 * neither side's pipe can fill and stop the other).
 */
static bool exchange(struct stagepipe *p, const char *request, struct buf *out, long long deadline)
{
	size_t len = strlen(request), off = 0;
	bool eof = false;

	while (!eof && memchr(out->p ? out->p : "", '\n', out->len) == NULL) {
		struct pollfd fds[2] = { { .fd = p->out, .events = POLLIN },
			                 { .fd = p->in, .events = POLLOUT } };
		long long left = deadline - clock_mono_ms();
		if (left <= 0)
			return false;
		int rc = poll(fds, p->in >= 0 ? 2 : 1, (int)(left > 60000 ? 60000 : left));
		if (rc < 0 && errno != EINTR)
			return true;
		if (p->in >= 0 && fds[1].revents) {
			ssize_t n = write(p->in, request + off, len - off);
			if (n > 0)
				off += (size_t)n;
			if (n < 0 || off == len) {
				close(p->in); /* the end of the request: the stages finish */
				p->in = -1;
			}
		}
		if (fds[0].revents) {
			ssize_t n = read_some(p->out, out);
			eof = n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN);
		}
	}
	return true;
}

static void print_decision(const char *decision, const char *reason, const cJSON *updated)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *o = cJSON_AddObjectToObject(root, "hookSpecificOutput");

	cJSON_AddStringToObject(o, "hookEventName", "PreToolUse");
	cJSON_AddStringToObject(o, "permissionDecision", decision);
	cJSON_AddStringToObject(o, "permissionDecisionReason", reason);
	if (updated != NULL)
		cJSON_AddItemToObject(o, "updatedInput", cJSON_Duplicate(updated, true));
	char *text = cJSON_PrintUnformatted(root);
	if (text == NULL || printf("%s\n", text) < 0 || fflush(stdout) != 0)
		refuse("cannot write the decision");
	cJSON_free(text);
	cJSON_Delete(root);
}

/* Allowed by something that answers for the command: an allow list, a safe
 * bin or builtin, a person, a session grant. */
static bool vouched(const char *via)
{
	static const char *const vias[] = { "allowlist", "safe-bin", "safe-builtin", "tty",
		                            "chat",      "cli",      "webhook",      "session" };

	for (size_t i = 0; via != NULL && i < NELEM(vias); i++)
		if (strcmp(via, vias[i]) == 0)
			return true;
	return false;
}

/*
 * Claude Code's answer. A refusal is "deny" with claw's reason (Claude sees
 * it); what needs a person is "ask" (Claude Code's own prompt); a sandboxed
 * Bash call is "allow" with the command rewritten to run in claw's sandbox.
 * What claw allows because something answers for it is "allow"; what it
 * merely lets pass (a tool no policy restricts, security "full") gets no
 * decision, so Claude Code's own permission rules still apply: claw never
 * makes the runtime looser than it is alone.
 */
static void answer_claude(const struct verdict *v, const cJSON *in)
{
	struct buf why = { 0 };
	const cJSON *input = cJSON_GetObjectItemCaseSensitive(in, "tool_input");

	switch (v->kind) {
	case V_DENY:
		buf_printf(&why, "claw (%s): %s", v->by ? v->by : "claw", v->reason);
		print_decision("deny", why.p, NULL);
		break;
	case V_ASK:
		buf_printf(&why, "claw: a person must allow this (%s)", v->reason);
		print_decision("ask", why.p, NULL);
		break;
	case V_SANDBOX: {
		cJSON *updated = cJSON_Duplicate(input, true);
		cJSON_ReplaceItemInObjectCaseSensitive(updated, "command",
		                                       cJSON_CreateString(v->command.p));
		print_decision("allow", "claw: runs in claw's sandbox for this session", updated);
		cJSON_Delete(updated);
		break;
	}
	case V_ALLOW:
		if (vouched(v->via)) {
			buf_printf(&why, "claw: allowed (%s)", v->via);
			print_decision("allow", why.p, NULL);
		}
		break;
	}
	buf_free(&why);
}

static int run_claude(struct cli *c)
{
	struct hook *h = c->h;
	long timeout_s = c->timeout_s > 0 ? c->timeout_s : CLAUDE_TIMEOUT_DEFAULT;
	long long deadline = clock_mono_ms() + timeout_s * 1000;
	struct buf in = { 0 }, out = { 0 };
	struct stagepipe_stage st[STAGEPIPE_MAX];
	struct stagepipe p;
	struct verdict v = { 0 };

	read_input(&in, deadline, timeout_s);
	cJSON *root = cJSON_ParseWithLength(in.p ? in.p : "", in.len);
	if (!cJSON_IsObject(root))
		refuse("the hook input is not a JSON object");
	const char *event = need_str(root, "hook_event_name", true);
	if (strcmp(event, "PreToolUse") != 0)
		refuse("claw answers PreToolUse, not %s", event);
	char *request = request_of(root, c->agent);
	/* claw's own ways must answer before Claude Code gives up on the hook. */
	approve_args(h, true, -1, timeout_s > 6 ? timeout_s - 5 : 1);
	size_t n = stages_of(h, false, false, st);
	signal(SIGPIPE, SIG_IGN);
	if (stagepipe_start(&p, st, n, -1, -1, -1, true) < 0)
		refuse("%s", claw_error());
	if (!exchange(&p, request, &out, deadline)) {
		stagepipe_kill(&p);
		refuse("no decision within %lds", timeout_s);
	}
	char *nl = out.p ? memchr(out.p, '\n', out.len) : NULL;
	if (nl == NULL) {
		int ok = stagepipe_wait(&p);
		refuse("no decision: %s", ok < 0 ? claw_error() : "the pipeline ended without one");
	}
	cJSON *rec = cJSON_ParseWithLength(out.p, (size_t)(nl - out.p));
	if (!cJSON_IsObject(rec))
		refuse("the pipeline's record cannot be read");
	verdict_of(h, rec, &v);
	(void)stagepipe_wait(&p); /* the record is logged: how the stages end changes nothing */
	answer_claude(&v, root);
	cJSON_Delete(rec);
	cJSON_Delete(root);
	free(request);
	buf_free(&v.command);
	buf_free(&in);
	buf_free(&out);
	return 0;
}

/* ---- claude-code --install ---- */

static char *settings_path(bool project)
{
	if (project)
		return xstrdup(".claude/settings.json");
	const char *home = getenv("HOME");
	struct passwd *pw = home == NULL ? getpwuid(getuid()) : NULL;
	if (pw != NULL)
		home = pw->pw_dir;
	if (home == NULL || home[0] == '\0')
		errx(1, "--install: no home directory (set HOME, or use --project)");
	return xasprintf("%s/.claude/settings.json", home);
}

/* The hook's command line: claw next to this program, and a crash is a refusal. */
static char *hook_command(long timeout_s)
{
	char *claw = stagepipe_find("claw");
	struct buf b = { 0 };

	if (claw == NULL)
		errx(1, "--install: claw is not installed next to claw-hook nor on PATH");
	shell_quote(&b, claw);
	buf_puts(&b, " hook claude-code");
	if (timeout_s > 0)
		buf_printf(&b, " --timeout %ld", timeout_s);
	/* Claude Code lets a tool run when its hook fails any other way than exit 2. */
	buf_puts(&b, " || exit 2");
	free(claw);
	return buf_steal(&b);
}

static bool is_ours(const cJSON *entry)
{
	const cJSON *hooks = cJSON_GetObjectItemCaseSensitive(entry, "hooks"), *hk;

	cJSON_ArrayForEach(hk, hooks)
	{
		const char *cmd = member_str(hk, "command");
		if (cmd != NULL && strstr(cmd, "hook claude-code") != NULL)
			return true;
	}
	return false;
}

/* Adds (or replaces) claw's PreToolUse entry; everything else is kept. */
static int merge_hook(cJSON *root, const char *command, long timeout_s)
{
	cJSON *hooks = cJSON_GetObjectItemCaseSensitive(root, "hooks");
	if (hooks == NULL)
		hooks = cJSON_AddObjectToObject(root, "hooks");
	if (!cJSON_IsObject(hooks))
		return claw_fail("\"hooks\" is not an object");
	cJSON *pre = cJSON_GetObjectItemCaseSensitive(hooks, "PreToolUse");
	if (pre == NULL)
		pre = cJSON_AddArrayToObject(hooks, "PreToolUse");
	if (!cJSON_IsArray(pre))
		return claw_fail("\"hooks.PreToolUse\" is not an array");
	for (int i = cJSON_GetArraySize(pre) - 1; i >= 0; i--)
		if (is_ours(cJSON_GetArrayItem(pre, i)))
			cJSON_DeleteItemFromArray(pre, i);
	cJSON *entry = cJSON_CreateObject(), *list, *hk;
	cJSON_AddStringToObject(entry, "matcher", "*");
	list = cJSON_AddArrayToObject(entry, "hooks");
	hk = cJSON_CreateObject();
	cJSON_AddStringToObject(hk, "type", "command");
	cJSON_AddStringToObject(hk, "command", command);
	/* Claude Code's own limit comes after claw's, which refuses in time. */
	cJSON_AddNumberToObject(hk, "timeout", (double)(timeout_s + 5));
	cJSON_AddItemToArray(list, hk);
	cJSON_AddItemToArray(pre, entry);
	return 0;
}

/* FILE.~N~, the first N free, as cp --backup=numbered names them. */
static void backup(const char *path, const char *text, size_t len, mode_t mode)
{
	for (int n = 1; n < 1000; n++) {
		char *bak = xasprintf("%s.~%d~", path, n);
		struct stat st;
		if (lstat(bak, &st) < 0 && errno == ENOENT) {
			if (atomic_write(bak, text, len, mode) < 0)
				errx(1, "--install: %s", claw_error());
			printf("kept %s\n", bak);
			free(bak);
			return;
		}
		free(bak);
	}
	errx(1, "--install: %s: too many backups", path);
}

static int run_install(struct cli *c)
{
	long timeout_s = c->timeout_s > 0 ? c->timeout_s : CLAUDE_TIMEOUT_DEFAULT;
	char *path = settings_path(c->project), *text = NULL, *command = hook_command(c->timeout_s);
	size_t len = 0;
	struct stat st;
	mode_t mode = 0600;
	cJSON *root;

	if (read_file(path, 0, &text, &len) == 0) {
		root = cJSON_ParseWithLength(text, len);
		if (!cJSON_IsObject(root))
			errx(1, "--install: %s is not a JSON object; nothing written", path);
		if (stat(path, &st) == 0)
			mode = st.st_mode & 07777;
	} else if (errno == ENOENT) {
		root = cJSON_CreateObject();
	} else {
		errx(1, "--install: %s", claw_error());
	}
	if (merge_hook(root, command, timeout_s) < 0)
		errx(1, "--install: %s: %s; nothing written", path, claw_error());
	char *merged = cJSON_Print(root);
	struct buf out = { 0 };
	buf_puts(&out, merged);
	buf_putc(&out, '\n');
	if (c->print) {
		fputs(out.p, stdout);
	} else if (text != NULL && len == out.len && memcmp(text, out.p, len) == 0) {
		printf("%s: already installed\n", path);
	} else {
		char *dir = xstrdup(path), *slash = strrchr(dir, '/');
		if (slash != NULL) {
			*slash = '\0';
			if (mkdir_p(dir, 0700) < 0)
				errx(1, "--install: %s", claw_error());
		}
		free(dir);
		if (text != NULL)
			backup(path, text, len, mode);
		if (atomic_write(path, out.p, out.len, mode) < 0)
			errx(1, "--install: %s", claw_error());
		printf("wrote %s: PreToolUse runs %s\n", path, command);
	}
	cJSON_free(merged);
	cJSON_Delete(root);
	buf_free(&out);
	free(text);
	free(command);
	free(path);
	return 0;
}

/* ---- settings ---- */

static int run_settings(struct cli *c)
{
	struct hook *h = c->h;
	char *claw_json = cfg_user_path(h->cfg.claw_path);
	struct toolgate *gate;
	struct buf b = { 0 };

	if (toolgate_load(&gate, &h->cfg) < 0)
		errx(2, "%s", claw_error());
	/* Outgoing messages wait for a person when approvals.tools names the message tool. */
	bool deliveries = toolgate_covers(gate, "message");
	toolgate_free(gate);
	if (!c->co.json) {
		printf(
		    "askVia      %s\ndeliveries  %s\nstateDir    %s\nconfig      %s\nsandbox     "
		    "%s\n",
		    h->ask_claw ? "claw" : "runtime", deliveries ? "asked" : "not asked",
		    h->state_dir, h->config ? h->config : "(none: the secure preset)",
		    h->sandbox ? h->sandbox : "(not installed)");
		free(claw_json);
		return 0;
	}
	buf_printf(&b, "{\"askVia\":\"%s\",\"deliveries\":%s,\"stateDir\":",
	           h->ask_claw ? "claw" : "runtime", deliveries ? "true" : "false");
	buf_json_str(&b, h->state_dir);
	buf_puts(&b, ",\"config\":");
	if (h->config)
		buf_json_str(&b, h->config);
	else
		buf_puts(&b, "null");
	buf_puts(&b, ",\"sandbox\":");
	if (h->sandbox)
		buf_json_str(&b, h->sandbox);
	else
		buf_puts(&b, "null");
	/* The files whose change means a running decision pipeline is out of date. */
	char *config = cfg_user_path(h->cfg.path);
	buf_puts(&b, ",\"watch\":[");
	buf_json_str(&b, config);
	buf_putc(&b, ',');
	buf_json_str(&b, claw_json);
	buf_puts(&b, "]}");
	puts(b.p);
	free(config);
	free(claw_json);
	buf_free(&b);
	return 0;
}

/* ---- main ---- */

static const struct opts_command commands[] = {
	{ "claude-code", run_claude,
	  "Claude Code's PreToolUse hook: the tool call on standard input\n"
	  "(JSON), claw's decision on standard output; exit 2 refuses with\n"
	  "the reason on standard error; --install merges the hook into\n"
	  "Claude Code's settings" },
	{ "decide", run_decide,
	  "the filter the OpenClaw plugin runs: request records in, each\n"
	  "decided and logged, with a verdict member added:\n"
	  "verdict {decision: allow|deny|ask|sandbox, by, reason, command}" },
	{ "settings", run_settings, "what a runtime needs to know of claw's config (--json)" },
	{ NULL, NULL, NULL },
};

static const struct opts_spec spec = { usage, commands, options, usage_tail };

static void parse_args(int argc, char **argv, struct cli *c)
{
	int ch;

	while ((ch = opts_next(argc, argv, &c->co)) != -1) {
		switch (ch) {
		case 1:
			if (c->sub != NULL)
				usage_error("unexpected argument \"%s\"", optarg);
			c->sub = optarg;
			break;
		case OPT_TIMEOUT:
			c->timeout_s = (long)opts_number("--timeout", optarg, 7UL * 24 * 3600);
			break;
		case OPT_DEFER:
			c->defer = true;
			break;
		case OPT_ASK_FD:
			c->ask_fd = (int)opts_number("--ask-fd", optarg, 1024);
			break;
		case OPT_DELIVERIES:
			c->deliveries = true;
			break;
		case OPT_AGENT:
			c->agent = optarg;
			break;
		case OPT_INSTALL:
			c->install = true;
			break;
		case OPT_PROJECT:
			c->project = true;
			break;
		case OPT_PRINT:
			c->print = true;
			break;
		default:
			usage_error("unexpected option");
		}
	}
	if (optind < argc)
		usage_error("unexpected argument \"%s\"", argv[optind]);
}

static void check_args(struct cli *c)
{
	c->cmd = opts_command_get(commands, c->sub);
	bool claude = opts_is(c->cmd, "claude-code"), decide = opts_is(c->cmd, "decide");

	if (!decide && (c->defer || c->ask_fd >= 0 || c->deliveries))
		usage_error("--defer, --ask-fd and --deliveries are for decide");
	if (c->defer && c->ask_fd >= 0)
		usage_error(
		    "--defer or --ask-fd: the runtime either asks itself or through resolve");
	if (!claude && (c->install || c->agent))
		usage_error("--install and --agent are for claude-code");
	if (!c->install && (c->project || c->print))
		usage_error("--project and --print go with --install");
	if (c->ask_fd >= 0 && (c->ask_fd <= 2 || fcntl(c->ask_fd, F_GETFD) < 0))
		usage_error("--ask-fd %d: not an open file descriptor above 2", c->ask_fd);
}

int main(int argc, char **argv)
{
	struct cli c = { .ask_fd = -1 };
	struct hook h = { 0 };
	int status;

	opts_use(&spec);
	parse_args(argc, argv, &c);
	if (c.sub == NULL)
		usage_error("a subcommand is missing (claude-code, decide or settings)");
	check_args(&c);
	bool claude = opts_is(c.cmd, "claude-code");
	if (claude && c.install)
		return run_install(&c);
	/* Claude Code blocks only on exit 2: a config claw cannot read is that. */
	if (hook_load(&h, &c) < 0) {
		if (claude)
			refuse("%s", claw_error());
		errx(2, "%s", claw_error());
	}
	c.h = &h;
	status = c.cmd->run(&c);
	hook_free(&h);
	return status;
}
