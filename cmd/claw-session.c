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
#include <unistd.h>

#include "core/config.h"
#include "core/opts.h"
#include "core/record.h"
#include "session/session.h"
#include "core/util.h"

static const char usage[] =
    "usage: claw-session [--config FILE] [--state-dir DIR] [--max-record BYTES]\n"
    "       claw-session key [--agent A] [--channel C] [--chat direct|group|channel]\n"
    "                        [--peer P] [--account X] [--thread T] [--guild G] [--team T]\n"
    "                        [--session KEY] [--json]\n"
    "       claw-session new [the options of key] [--sender S] [--owner] [--cwd DIR]\n"
    "                        [--timeout SECONDS] [--] COMMAND [ARG...]\n"
    "\n"
    "Without a subcommand, reads request records (JSON Lines) on standard input and\n"
    "writes them with an \"id\" (if missing) and a \"session\" member added:\n"
    "  session {key, mainKey, main, sandboxed, scopeKey, slug, agent, policyKey, mode, scope}\n"
    "\n"
    "  key   print the session key of the conversation described by the options\n"
    "        (--json: the whole session member)\n"
    "  new   print an exec request record for COMMAND, arguments shell-quoted\n"
    "\n"
    "Common options:\n"
    "  --config FILE      OpenClaw config (default $OPENCLAW_CONFIG_PATH or\n"
    "                     <state>/openclaw.json; none at all: the secure preset)\n"
    "  --state-dir DIR    state directory (default $OPENCLAW_STATE_DIR or ~/.openclaw)\n"
    "  --max-record N     longest record accepted, in bytes (default 1048576)\n"
    "  --help, --version\n"
    "\n"
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
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "json", no_argument, NULL, OPT_JSON },
	{ "max-record", required_argument, NULL, OPT_MAX_RECORD },
	{ "agent", required_argument, NULL, OPT_AGENT },
	{ "channel", required_argument, NULL, OPT_CHANNEL },
	{ "chat", required_argument, NULL, OPT_CHAT },
	{ "peer", required_argument, NULL, OPT_PEER },
	{ "account", required_argument, NULL, OPT_ACCOUNT },
	{ "thread", required_argument, NULL, OPT_THREAD },
	{ "guild", required_argument, NULL, OPT_GUILD },
	{ "team", required_argument, NULL, OPT_TEAM },
	{ "session", required_argument, NULL, OPT_SESSION },
	{ "sender", required_argument, NULL, OPT_SENDER },
	{ "parent", required_argument, NULL, OPT_PARENT },
	{ "owner", no_argument, NULL, OPT_OWNER },
	{ "cwd", required_argument, NULL, OPT_CWD },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ NULL, 0, NULL, 0 },
};

struct cli {
	struct common_opts co;
	const char *sub;
	struct session_request rq;
	const char *chat, *sender, *cwd;
	bool owner;
	unsigned long timeout;
	char **command; /* new: COMMAND [ARG...] */
	int ncommand;
};

/*
 * The session member depends only on a handful of request fields, and a
 * stream repeats its sessions: remember recent members by those fields.
 */
#define MEMBER_CACHE 4096
struct cached_member {
	char *fields; /* the request fields, as built by cache_fields() */
	size_t fields_len;
	char *member; /* the session member's JSON */
	size_t member_len;
};

struct filter {
	struct session_settings settings;
	struct session_info si;
	char id_prefix[16];
	unsigned long long seq;
	struct buf member;
	struct buf fields;
	struct cached_member *cache;
};

/* OpenClaw calls a direct chat "dm" in places; both spellings mean the same. */
static int chat_kind(const char *s, enum chat_kind *kind)
{
	if (s == NULL || strcmp(s, "direct") == 0 || strcmp(s, "dm") == 0)
		*kind = CHAT_DIRECT;
	else if (strcmp(s, "group") == 0)
		*kind = CHAT_GROUP;
	else if (strcmp(s, "channel") == 0)
		*kind = CHAT_CHANNEL;
	else
		return claw_fail("unknown chat kind \"%s\" (expected direct, dm, group or channel)",
		                 s);
	return 0;
}

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

#define MAX_ROLES 64
struct origin_ids {
	char peer[32], thread[32], account[32], guild[32], team[32], sender[32], group[32],
	    parent[32];
	const char *roles[MAX_ROLES];
	bool conversation; /* the origin names the chat, not only who asks */
};

enum {
	O_CHANNEL,
	O_ACCOUNT,
	O_CHAT,
	O_PEER,
	O_THREAD,
	O_SENDER,
	O_GUILD,
	O_TEAM,
	O_OWNER,
	O_GROUP,
	O_PARENT,
	O_ROLES
};
static const char *const origin_names[] = { "channel", "account", "chat",   "peer",
	                                    "thread",  "sender",  "guild",  "team",
	                                    "owner",   "group",   "parent", "roles" };

/* origin.roles: the sender's roles (Discord), an array of strings. */
static int read_roles(const cJSON *roles, struct session_request *rq, struct origin_ids *ids)
{
	const cJSON *r;

	if (roles == NULL || cJSON_IsNull(roles))
		return 0;
	if (!cJSON_IsArray(roles))
		return claw_fail("member \"roles\" must be an array of strings");
	cJSON_ArrayForEach(r, roles)
	{
		if (!cJSON_IsString(r))
			return claw_fail("member \"roles\" must be an array of strings");
		if (rq->nroles == MAX_ROLES)
			return claw_fail("member \"roles\" has more than %d entries", MAX_ROLES);
		ids->roles[rq->nroles++] = r->valuestring;
	}
	rq->roles = ids->roles;
	return 0;
}

static int read_origin(const cJSON *origin, struct session_request *rq, struct origin_ids *ids)
{
	const cJSON *m[NELEM(origin_names)];
	const char *chat = NULL;
	int owner = 0;

	rq->has_origin = true;
	rec_pick(origin, origin_names, m, NELEM(m));
	static const int conversation[] = { O_CHAT, O_PEER,  O_THREAD, O_GUILD,
		                            O_TEAM, O_GROUP, O_PARENT };
	ids->conversation = false;
	for (size_t i = 0; i < NELEM(conversation); i++)
		if (m[conversation[i]] != NULL && !cJSON_IsNull(m[conversation[i]]))
			ids->conversation = true;
	if (rec_str(m[O_CHANNEL], "channel", &rq->channel) < 0 ||
	    rec_id(m[O_ACCOUNT], "account", ids->account, sizeof(ids->account), &rq->account) < 0 ||
	    rec_str(m[O_CHAT], "chat", &chat) < 0 ||
	    rec_id(m[O_PEER], "peer", ids->peer, sizeof(ids->peer), &rq->peer) < 0 ||
	    rec_id(m[O_THREAD], "thread", ids->thread, sizeof(ids->thread), &rq->thread) < 0 ||
	    rec_id(m[O_SENDER], "sender", ids->sender, sizeof(ids->sender), &rq->sender) < 0 ||
	    rec_id(m[O_PARENT], "parent", ids->parent, sizeof(ids->parent), &rq->parent) < 0 ||
	    read_roles(m[O_ROLES], rq, ids) < 0 ||
	    rec_id(m[O_GUILD], "guild", ids->guild, sizeof(ids->guild), &rq->guild) < 0 ||
	    rec_id(m[O_TEAM], "team", ids->team, sizeof(ids->team), &rq->team) < 0 ||
	    rec_bool(m[O_OWNER], "owner", &owner) < 0)
		return claw_fail("origin: %s", claw_error());
	if (chat_kind(chat, &rq->chat) < 0)
		return claw_fail("origin: %s", claw_error());
	/* A group may be named by "group" rather than "peer". */
	if (rq->peer == NULL && rq->chat != CHAT_DIRECT &&
	    rec_id(m[O_GROUP], "group", ids->group, sizeof(ids->group), &rq->peer) < 0)
		return claw_fail("origin: %s", claw_error());
	return 0;
}

/* Assigns "<random>-<n>": unique across processes without a syscall per record. */
static void assign_id(struct filter *f, struct record *rec)
{
	char id[48];

	snprintf(id, sizeof(id), "%s-%llu", f->id_prefix, ++f->seq);
	record_add_string(rec, "id", id);
}

/* A record with both origin and sessionKey: the key must be the origin's. */
static int check_explicit_matches(struct filter *f, const struct session_request *from_origin,
                                  const char *key)
{
	struct session_info mine = { 0 }, theirs = { 0 };
	int rc = 0;

	if (session_resolve(&f->settings, from_origin, &mine) < 0) {
		session_info_free(&mine);
		return -1;
	}
	struct session_request rq = { .session_key = key, .agent = mine.agent };
	if (session_resolve(&f->settings, &rq, &theirs) < 0 ||
	    strcmp(theirs.key.p, mine.key.p) != 0)
		rc = claw_fail("sessionKey \"%s\" does not match the origin's session \"%s\"", key,
		               mine.key.p);
	session_info_free(&mine);
	session_info_free(&theirs);
	return rc;
}

enum { R_ID, R_AGENT, R_SESSION_KEY, R_ORIGIN };
static const char *const record_names[] = { "id", "agent", "sessionKey", "origin" };

static void put_field(struct buf *b, const char *s)
{
	/* A presence mark keeps an absent field apart from an empty one. */
	buf_putc(b, s ? '+' : '-');
	if (s)
		buf_puts(b, s);
	buf_putc(b, '\0');
}

static void cache_fields(const struct session_request *rq, struct buf *b)
{
	buf_reset(b);
	buf_putc(b, rq->has_origin ? 'o' : 'n');
	buf_putc(b, (char)('0' + rq->chat));
	put_field(b, rq->agent);
	put_field(b, rq->session_key);
	put_field(b, rq->channel);
	put_field(b, rq->account);
	put_field(b, rq->peer);
	put_field(b, rq->thread);
	put_field(b, rq->guild);
	put_field(b, rq->team);
	put_field(b, rq->sender);
	put_field(b, rq->parent);
	for (size_t i = 0; i < rq->nroles; i++)
		put_field(b, rq->roles[i]);
}

static struct cached_member *cache_slot(struct filter *f)
{
	unsigned h = 2166136261u;

	for (size_t i = 0; i < f->fields.len; i++)
		h = (h ^ (unsigned char)f->fields.p[i]) * 16777619u;
	return &f->cache[h % MEMBER_CACHE];
}

static bool cache_hit(const struct cached_member *c, const struct buf *fields)
{
	return c->fields != NULL && c->fields_len == fields->len &&
	       memcmp(c->fields, fields->p, fields->len) == 0;
}

static void cache_store(struct cached_member *c, const struct buf *fields, const struct buf *member)
{
	free(c->fields);
	free(c->member);
	c->fields = xmalloc(fields->len);
	memcpy(c->fields, fields->p, fields->len);
	c->fields_len = fields->len;
	c->member = xstrndup(member->p, member->len);
	c->member_len = member->len;
}

/* The session member for RQ, from the cache or computed; -1 when the request
 * cannot name a session (not cached: denials stay rare and explicit). */
static int session_member(struct filter *f, const struct session_request *rq, const char **member,
                          size_t *len)
{
	cache_fields(rq, &f->fields);
	struct cached_member *c = cache_slot(f);
	if (!cache_hit(c, &f->fields)) {
		if (session_resolve(&f->settings, rq, &f->si) < 0)
			return -1;
		put_session_member(&f->si, &f->member);
		cache_store(c, &f->fields, &f->member);
	}
	*member = c->member;
	*len = c->member_len;
	return 0;
}

static int handle(struct record *rec, void *ctx)
{
	struct filter *f = ctx;
	struct session_request rq = { 0 };
	struct origin_ids ids;
	const cJSON *m[NELEM(record_names)], *origin = NULL;
	const char *id = NULL, *key = NULL;

	rec_pick(rec->root, record_names, m, NELEM(m));
	if (rec_str(m[R_ID], "id", &id) < 0 || rec_str(m[R_AGENT], "agent", &rq.agent) < 0 ||
	    rec_str(m[R_SESSION_KEY], "sessionKey", &key) < 0 ||
	    rec_obj(m[R_ORIGIN], "origin", &origin) < 0)
		return -1;
	if (origin != NULL && read_origin(origin, &rq, &ids) < 0)
		return -1;
	if (id == NULL)
		assign_id(f, rec);
	/*
	 * With an origin that names the conversation, the origin decides and a
	 * sessionKey must agree: a caller cannot talk its way into the owner's
	 * main session by also sending sessionKey "main". An origin that names
	 * only who asks (channel, account, sender, owner, roles: what an agent
	 * runtime's hook knows) beside a sessionKey is a runtime that knows the
	 * session: the key names it, and a chat message in the main session is
	 * still judged as the sender's own (session_resolve). It gains nothing
	 * a sessionKey alone would not give, and it names a sender who is not
	 * the owner.
	 */
	bool who_only = origin != NULL && key != NULL && !ids.conversation;
	rq.session_key = origin != NULL && !who_only ? NULL : key;
	const char *member;
	size_t len;
	if (session_member(f, &rq, &member, &len) < 0 ||
	    (origin != NULL && !who_only && key != NULL &&
	     check_explicit_matches(f, &rq, key) < 0)) {
		record_deny(rec, claw_error());
		return 0;
	}
	record_add_raw(rec, "session", member, len);
	return 0;
}

static int run_filter(struct cli *c, struct config *cfg)
{
	struct filter f = { 0 };
	unsigned char rnd[6];
	struct stage stage = { .name = "claw-session", .handle = handle, .ctx = &f };
	struct record_opts ro = { .max_record = c->co.max_record, .in_fd = 0, .out_fd = 1 };

	if (session_settings_load(&f.settings, cfg) < 0)
		errx(2, "%s", claw_error());
	f.cache = xcalloc(MEMBER_CACHE, sizeof(*f.cache));
	random_bytes(rnd, sizeof(rnd));
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(f.id_prefix + 2 * i, 3, "%02x", rnd[i]);
	int status = record_loop(&stage, &ro);
	for (size_t i = 0; i < MEMBER_CACHE; i++) {
		free(f.cache[i].fields);
		free(f.cache[i].member);
	}
	free(f.cache);
	session_info_free(&f.si);
	buf_free(&f.member);
	buf_free(&f.fields);
	session_settings_free(&f.settings);
	return status;
}

/* ---- one-shot ---- */

static void load_cli_session(struct cli *c, struct config *cfg, struct session_settings *s,
                             struct session_info *si)
{
	if (session_settings_load(s, cfg) < 0)
		errx(2, "%s", claw_error());
	if (chat_kind(c->chat, &c->rq.chat) < 0)
		usage_error("--chat: %s", claw_error());
	/* A peer without its channel would make a key no chat ever has ("unknown"). */
	if (c->rq.peer != NULL && c->rq.channel == NULL)
		usage_error("--peer needs --channel (telegram, discord, slack, ...)");
	c->rq.has_origin = c->rq.channel != NULL || c->rq.peer != NULL;
	if (session_resolve(s, &c->rq, si) < 0)
		errx(1, "%s", claw_error());
}

static int run_key(struct cli *c, struct config *cfg)
{
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

/* Characters that never need quoting in sh; everything else is single-quoted. */
static bool shell_safe(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!strchr(
		        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-",
		        *s))
			return false;
	return true;
}

static void shell_quote(struct buf *b, const char *s)
{
	if (shell_safe(s) && s[0] != '=' && strchr(s, '=') == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '\'');
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

static int run_new(struct cli *c, struct config *cfg)
{
	struct buf b = { 0 }, cmd = { 0 };
	char id[37], *cwd = NULL;

	/* Check the options describe a session now, rather than fail downstream. */
	struct session_settings s;
	struct session_info si = { 0 };
	load_cli_session(c, cfg, &s, &si);
	session_info_free(&si);
	session_settings_free(&s);
	if (c->ncommand == 0)
		usage_error("new: COMMAND is missing");
	for (int i = 0; i < c->ncommand; i++) {
		if (i > 0)
			buf_putc(&cmd, ' ');
		shell_quote(&cmd, c->command[i]);
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
	if (c->rq.has_origin || c->sender || c->owner)
		put_origin(c, &b);
	buf_puts(&b, ",\"tool\":\"exec\",\"args\":{\"command\":");
	buf_json_str(&b, cmd.p);
	buf_puts(&b, ",\"workdir\":");
	buf_json_str(&b, c->cwd ? c->cwd : cwd);
	if (c->timeout)
		buf_printf(&b, ",\"timeout\":%lu", c->timeout);
	buf_puts(&b, "}}");
	puts(b.p);
	buf_free(&b);
	buf_free(&cmd);
	free(cwd);
	return 0;
}

/* ---- main ---- */

static void parse_args(int argc, char **argv, struct cli *c)
{
	int ch;

	while ((ch = getopt_long(argc, argv, "-h", longopts, NULL)) != -1) {
		if (opts_common(ch, optarg, &c->co))
			continue;
		switch (ch) {
		case 1:
			if (c->sub == NULL) {
				c->sub = optarg;
				if (strcmp(c->sub, "key") != 0 && strcmp(c->sub, "new") != 0)
					usage_error("unknown subcommand \"%s\"", c->sub);
				continue;
			}
			if (strcmp(c->sub, "new") != 0)
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
		case OPT_TIMEOUT:
			c->timeout = opts_number("--timeout", optarg, 7UL * 24 * 3600);
			break;
		default:
			usage_error("unexpected option");
		}
	}
	if (optind < argc) {
		if (c->sub == NULL || strcmp(c->sub, "new") != 0)
			usage_error("unexpected argument \"%s\"", argv[optind]);
		c->command = &argv[optind];
		c->ncommand = argc - optind;
	}
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	struct config cfg;

	opts_usage = usage;
	parse_args(argc, argv, &c);
	if (c.sub == NULL && (c.rq.agent || c.rq.channel || c.chat || c.rq.peer || c.cwd))
		usage_error("session options need a subcommand (key or new)");
	if (config_load(&cfg, &c.co) < 0)
		errx(2, "%s", claw_error());
	int status;
	if (c.sub == NULL)
		status = run_filter(&c, &cfg);
	else if (strcmp(c.sub, "key") == 0)
		status = run_key(&c, &cfg);
	else
		status = run_new(&c, &cfg);
	config_free(&cfg);
	return status;
}
