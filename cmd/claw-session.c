/*
 * claw-session: who is asking, and is that session sandboxed?
 *
 * As a filter it gives each record an id (when it has none) and its session
 * member, computed from the record's agent, origin or sessionKey exactly as
 * OpenClaw routes a message. One-shot, it prints a key or writes a request.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/config.h"
#include "core/opts.h"
#include "core/record.h"
#include "core/shell.h"
#include "session/session.h"
#include "core/util.h"

static const char usage[] =
    "usage: claw-session [--config FILE] [--state-dir DIR] [--max-record BYTES]\n"
    "       claw-session key [--agent A] [--channel C] [--chat direct|group|channel]\n"
    "                        [--peer P] [--account X] [--thread T] [--guild G] [--team T]\n"
    "                        [--session KEY] [--json]\n"
    "       claw-session new [the options of key] [--sender S] [--owner] [--cwd DIR]\n"
    "                        [--timeout SECONDS] [--through] (-c LINE | [--] COMMAND [ARG...])\n"
    "\n"
    "Without a subcommand, reads request records (JSON Lines) on standard input and\n"
    "writes them with an \"id\" (if missing) and a \"session\" member added:\n"
    "  session {key, mainKey, main, sandboxed, scopeKey, slug, agent, policyKey, mode, scope}\n";

static const char usage_tail[] =
    "Exit status: 0 the stream was processed; 1 some lines were not valid records;\n"
    "2 usage or config error. See claw-session(1), claw-record(7).\n";

enum {
	OPT_AGENT = OPT_FIRST_COMMAND_OPTION,
	OPT_CHANNEL,
	OPT_CHAT,
	OPT_PEER,
	OPT_ACCOUNT,
	OPT_THREAD,
	OPT_GUILD,
	OPT_TEAM,
	OPT_SESSION,
	OPT_SENDER,
	OPT_PARENT,
	OPT_OWNER,
	OPT_CWD,
	OPT_TIMEOUT,
	OPT_THROUGH,
	OPT_COMMAND = 'c',
};

static const struct opt_row options[] = {
	OPT_HEADING("Session options (key, new):"),
	OPT_VALUE("agent", OPT_AGENT, "A", "the agent (else bindings decide)"),
	OPT_VALUE("channel", OPT_CHANNEL, "C", "the channel the message came from"),
	OPT_VALUE("chat", OPT_CHAT, "KIND", "direct (the default), dm, group or channel"),
	OPT_VALUE("peer", OPT_PEER, "P",
	          "the sender of a DM, or the id of a group or channel\n(needs --channel)"),
	OPT_VALUE("account", OPT_ACCOUNT, "X", "the channel account"),
	OPT_VALUE("thread", OPT_THREAD, "T", "the thread or topic"),
	OPT_VALUE("guild", OPT_GUILD, "G", "the Discord guild"),
	OPT_VALUE("team", OPT_TEAM, "T", "the Teams or Slack team"),
	OPT_VALUE("sender", OPT_SENDER, "S",
	          "who wrote: names a DM without --peer, and in the policy\nkey (needs --channel)"),
	OPT_VALUE("parent", OPT_PARENT, "P",
	          "a thread's parent conversation, for bindings\n(needs --channel)"),
	OPT_VALUE("session", OPT_SESSION, "KEY", "an explicit session key instead of an origin"),
	OPT_FLAG("json", OPT_JSON, "key: print the whole session member"),
	OPT_HEADING("Request options (new):"),
	OPT_FLAG("owner", OPT_OWNER,
	         "the sender is the operator; without --channel the request\nhas no origin at all"),
	OPT_VALUE("cwd", OPT_CWD, "DIR", "args.workdir (default: the current directory)"),
	OPT_VALUE("timeout", OPT_TIMEOUT, "SECONDS", "args.timeout"),
	{ { NULL, required_argument, NULL, OPT_COMMAND },
	  "LINE",
	  "the whole command line as args.command, as it is" },
	OPT_VALUE("command", OPT_COMMAND, "LINE", NULL),
	OPT_FLAG("through", OPT_THROUGH,
	         "the record with its session member, as\nnew | claw-session writes it"),
	OPT_HEADING("Common options:"),
	OPT_ROW_MAX_RECORD,
	OPT_ROWS_COMMON,
	OPT_END,
};

struct cli {
	struct common_opts co;
	const struct opts_command *cmd; /* the subcommand, or NULL: the filter */
	struct session_request rq;
	const char *chat, *sender, *cwd;
	bool owner;
	unsigned long timeout;
	char **command; /* new: COMMAND [ARG...] */
	int ncommand;
	const char *line; /* new -c: the command line as it is */
	bool through;     /* new --through: with the session member added */
	struct config cfg;
};

struct filter {
	struct session_settings settings;
	struct session_cache *cache;
	char id_prefix[16];
	unsigned long long seq;
};

static void put_session_member(const struct session_info *si, struct buf *b)
{
	buf_reset(b);
	buf_puts(b, "{\"key\":");
	buf_json_strn(b, si->key.p, si->key.len);
	buf_puts(b, ",\"mainKey\":");
	buf_json_strn(b, si->main_key.p, si->main_key.len);
	buf_puts(b, si->main ? ",\"main\":true" : ",\"main\":false");
	buf_puts(b, si->sandboxed ? ",\"sandboxed\":true" : ",\"sandboxed\":false");
	buf_puts(b, ",\"scopeKey\":");
	buf_json_strn(b, si->scope_key.p, si->scope_key.len);
	buf_puts(b, ",\"slug\":");
	buf_json_str(b, si->slug);
	buf_puts(b, ",\"agent\":");
	buf_json_str(b, si->agent);
	buf_puts(b, ",\"policyKey\":");
	buf_json_strn(b, si->policy_key.p, si->policy_key.len);
	buf_puts(b, ",\"mode\":");
	buf_json_str(b, si->mode);
	buf_puts(b, ",\"scope\":");
	buf_json_str(b, si->scope);
	buf_putc(b, '}');
}

/* ---- the filter ---- */

/* Assigns "<random>-<n>": unique across processes without a syscall per record. */
static void assign_id(struct filter *f, struct record *rec)
{
	char id[48];

	snprintf(id, sizeof(id), "%s-%llu", f->id_prefix, ++f->seq);
	record_add_string(rec, "id", id);
}

/* A record with both origin and sessionKey: the key must be the origin's. */
static int check_explicit_matches(struct filter *f, const struct session_info *mine,
                                  const char *key)
{
	struct session_info theirs = { 0 };
	struct session_request rq = { .session_key = key, .agent = mine->agent };
	int rc = 0;

	if (session_resolve(&f->settings, &rq, &theirs) < 0 ||
	    strcmp(theirs.key.p, mine->key.p) != 0)
		rc = claw_fail("sessionKey \"%s\" does not match the origin's session \"%s\"", key,
		               mine->key.p);
	session_info_free(&theirs);
	return rc;
}

static int handle(struct record *rec, void *ctx)
{
	struct filter *f = ctx;
	struct session_record sr;
	const char *id = NULL;

	if (rec_get_str(rec->root, "id", &id) < 0 || session_record_read(rec->root, &sr) < 0)
		return -1;
	if (id == NULL)
		assign_id(f, rec);
	struct session_entry *e = session_cache_resolve(f->cache, &f->settings, &sr.rq);
	/* Only where the origin decided must a sessionKey agree with it. */
	if (e == NULL || (sr.rq.has_origin && sr.rq.session_key == NULL && sr.session_key != NULL &&
	                  check_explicit_matches(f, &e->si, sr.session_key) < 0)) {
		record_deny(rec, claw_error());
		return 0;
	}
	if (e->text.len == 0)
		put_session_member(&e->si, &e->text);
	record_add_raw(rec, "session", e->text.p, e->text.len);
	return 0;
}

static int run_filter(struct cli *c, struct config *cfg, int in_fd)
{
	struct filter f = { 0 };
	unsigned char rnd[6];
	struct stage stage = { .name = "claw-session", .handle = handle, .ctx = &f };
	struct record_opts ro = { .max_record = c->co.max_record, .in_fd = in_fd, .out_fd = 1 };

	if (session_settings_load(&f.settings, cfg) < 0)
		errx(2, "%s", claw_error());
	f.cache = session_cache_new();
	random_bytes(rnd, sizeof(rnd));
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(f.id_prefix + 2 * i, 3, "%02x", rnd[i]);
	int status = record_loop(&stage, &ro);
	session_cache_free(f.cache);
	session_settings_free(&f.settings);
	return status;
}

/* ---- one-shot ---- */

static void load_cli_session(struct cli *c, struct config *cfg, struct session_settings *s,
                             struct session_info *si)
{
	if (session_settings_load(s, cfg) < 0)
		errx(2, "%s", claw_error());
	if (session_chat_kind(c->chat, &c->rq.chat) < 0)
		usage_error("--chat: %s", claw_error());
	/* A peer without its channel would make a key no chat ever has ("unknown"). */
	if (c->rq.peer != NULL && c->rq.channel == NULL)
		usage_error("--peer needs --channel (telegram, discord, slack, ...)");
	if (c->rq.sender != NULL && c->rq.channel == NULL)
		usage_error("--sender needs --channel (telegram, discord, slack, ...)");
	c->rq.has_origin = c->rq.channel != NULL || c->rq.peer != NULL;
	if (session_resolve(s, &c->rq, si) < 0)
		errx(1, "%s", claw_error());
}

static int run_key(struct cli *c)
{
	struct config *cfg = &c->cfg;
	struct session_settings s;
	struct session_info si = { 0 };
	struct buf b = { 0 };

	load_cli_session(c, cfg, &s, &si);
	if (c->co.json)
		put_session_member(&si, &b);
	else
		buf_puts(&b, si.key.p);
	puts(b.p);
	buf_free(&b);
	session_info_free(&si);
	session_settings_free(&s);
	return 0;
}

static void put_opt_member(struct buf *b, const char *name, const char *value, bool *first)
{
	if (value == NULL)
		return;
	buf_puts(b, *first ? "" : ",");
	buf_json_str(b, name);
	buf_putc(b, ':');
	buf_json_str(b, value);
	*first = false;
}

static void put_origin(const struct cli *c, struct buf *b)
{
	bool first = true;

	buf_puts(b, ",\"origin\":{");
	put_opt_member(b, "channel", c->rq.channel, &first);
	put_opt_member(b, "account", c->rq.account, &first);
	put_opt_member(b, "chat", c->chat ? c->chat : "direct", &first);
	put_opt_member(b, "peer", c->rq.peer, &first);
	put_opt_member(b, "thread", c->rq.thread, &first);
	put_opt_member(b, "sender", c->sender, &first);
	put_opt_member(b, "parent", c->rq.parent, &first);
	put_opt_member(b, "guild", c->rq.guild, &first);
	put_opt_member(b, "team", c->rq.team, &first);
	if (c->owner)
		buf_puts(b, first ? "\"owner\":true" : ",\"owner\":true");
	buf_putc(b, '}');
}

/*
 * new --through: the request as it leaves the filter, session member and all,
 * as `claw-session new ... | claw-session` would write it, in one process
 * (claw exec's: every process it starts costs it time).
 */
static int new_through(struct cli *c, struct config *cfg, const struct buf *line)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		err(2, "pipe");
	/* One request is far less than a pipe holds: this write does not block. */
	if (write(fds[1], line->p, line->len) != (ssize_t)line->len)
		err(2, "pipe");
	close(fds[1]);
	int status = run_filter(c, cfg, fds[0]);
	close(fds[0]);
	return status;
}

static int run_new(struct cli *c)
{
	struct config *cfg = &c->cfg;
	struct buf b = { 0 }, cmd = { 0 };
	char id[37], *cwd = NULL;

	/* Check the options describe a session now, rather than fail downstream. */
	struct session_settings s;
	struct session_info si = { 0 };
	load_cli_session(c, cfg, &s, &si);
	session_info_free(&si);
	session_settings_free(&s);
	if (c->line != NULL && c->ncommand > 0)
		usage_error("new: -c takes the whole command line; no COMMAND after it");
	if (c->line != NULL && c->line[0] == '\0')
		usage_error("new: -c: the command line is empty");
	if (c->line == NULL && c->ncommand == 0)
		usage_error("new: COMMAND is missing");
	if (c->line != NULL)
		buf_puts(&cmd, c->line); /* analysed as an agent's command line is */
	for (int i = 0; i < c->ncommand; i++) {
		if (i > 0)
			buf_putc(&cmd, ' ');
		shell_quote(&cmd, c->command[i]); /* the quoting claw-approve reads back */
	}
	if (c->cwd == NULL && (cwd = getcwd(NULL, 0)) == NULL)
		err(2, "getcwd");
	uuid4(id);
	buf_puts(&b, "{\"id\":");
	buf_json_str(&b, id);
	if (c->rq.agent) {
		buf_puts(&b, ",\"agent\":");
		buf_json_str(&b, c->rq.agent);
	}
	if (c->rq.session_key) {
		buf_puts(&b, ",\"sessionKey\":");
		buf_json_str(&b, c->rq.session_key);
	}
	/* No channel: the local operator, who needs no origin (--owner or not). */
	if (c->rq.has_origin)
		put_origin(c, &b);
	buf_puts(&b, ",\"tool\":\"exec\",\"args\":{\"command\":");
	buf_json_str(&b, cmd.p);
	buf_puts(&b, ",\"workdir\":");
	buf_json_str(&b, c->cwd ? c->cwd : cwd);
	if (c->timeout)
		buf_printf(&b, ",\"timeout\":%lu", c->timeout);
	buf_puts(&b, "}}\n");
	buf_free(&cmd);
	free(cwd);
	int status = c->through ? new_through(c, cfg, &b) : (fputs(b.p, stdout), 0);
	buf_free(&b);
	return status;
}

/* ---- main ---- */

static const struct opts_command commands[] = {
	{ "key", run_key,
	  "print the session key of the conversation described by the options\n"
	  "(--json: the whole session member)" },
	{ "new", run_new,
	  "print an exec request record for COMMAND, arguments shell-quoted; or\n"
	  "with -c, for the command line LINE as it is (pipelines, && and all);\n"
	  "--through: with its session member, as new | claw-session writes it" },
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
			if (!opts_is(c->cmd, "new"))
				usage_error("unexpected argument \"%s\"", optarg);
			/* COMMAND starts here; what follows is its own. */
			c->command = &argv[optind - 1];
			c->ncommand = argc - optind + 1;
			return;
		case OPT_AGENT:
			c->rq.agent = optarg;
			break;
		case OPT_CHANNEL:
			c->rq.channel = optarg;
			break;
		case OPT_CHAT:
			c->chat = optarg;
			break;
		case OPT_PEER:
			c->rq.peer = optarg;
			break;
		case OPT_ACCOUNT:
			c->rq.account = optarg;
			break;
		case OPT_THREAD:
			c->rq.thread = optarg;
			break;
		case OPT_GUILD:
			c->rq.guild = optarg;
			break;
		case OPT_TEAM:
			c->rq.team = optarg;
			break;
		case OPT_SESSION:
			c->rq.session_key = optarg;
			break;
		case OPT_SENDER:
			c->sender = c->rq.sender = optarg;
			break;
		case OPT_PARENT:
			c->rq.parent = optarg;
			break;
		case OPT_OWNER:
			c->owner = true;
			break;
		case OPT_CWD:
			c->cwd = optarg;
			break;
		case OPT_COMMAND:
			c->line = optarg;
			break;
		case OPT_THROUGH:
			c->through = true;
			break;
		case OPT_TIMEOUT:
			c->timeout = opts_number("--timeout", optarg, 7UL * 24 * 3600);
			break;
		default:
			usage_error("unexpected option");
		}
	}
	if (optind < argc) {
		if (!opts_is(c->cmd, "new"))
			usage_error("unexpected argument \"%s\"", argv[optind]);
		c->command = &argv[optind];
		c->ncommand = argc - optind;
	}
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };

	opts_use(&spec);
	parse_args(argc, argv, &c);
	if (c.cmd == NULL && (c.rq.agent || c.rq.channel || c.chat || c.rq.peer || c.cwd || c.line))
		usage_error("session options need a subcommand (key or new)");
	if (config_load(&c.cfg, &c.co) < 0)
		errx(2, "%s", claw_error());
	int status = c.cmd ? c.cmd->run(&c) : run_filter(&c, &c.cfg, 0);
	config_free(&c.cfg);
	return status;
}
