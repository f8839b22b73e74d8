/*
 * ask.c: asking a person, every available way at once; the first answer wins.
 *
 * The pending file is the meeting point. Every answer, from whichever way,
 * is a claim on it (pending.c), and the waiting loop learns of each claim
 * through inotify on the approvals directory, whoever made it: a key at the
 * terminal, a button in Telegram read by whichever claw-approve polls the
 * bot, a webhook's reply, `claw-approve resolve` from another shell. The
 * loop's own timeout is a claim too, so a late answer is refused rather than
 * half applied.
 */
#include "ask/ask.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "ask/answer.h"
#include "ask/asktext.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "core/strvec.h"
#include "ask/http.h"
#include "ask/pending.h"
#include "session/session.h"
#include "ask/telegram.h"
#include "ask/tty.h"
#include "core/util.h"
#include "ask/webhook.h"

#define TIMEOUT_DEFAULT_S   120
#define TIMEOUT_MAX_S       (7 * 24 * 3600)
#define TG_API_DEFAULT      "https://api.telegram.org"
#define TG_COMMAND_MAX      3000  /* of Telegram's 4096 characters per message */
#define DISCORD_COMMAND_MAX 1200  /* of Discord's 2000 */
#define SLACK_COMMAND_MAX   20000 /* of Slack's 40000 */
#define TARGETS_MAX         16

enum fwd_mode { FWD_SESSION, FWD_TARGETS, FWD_BOTH };

struct target {
	char *channel, *to, *account, *thread;
};

struct session_filter {
	char *text;
	regex_t re;
	bool is_re;
};

struct ask_settings {
	char *dir; /* <state>/approvals */
	bool no_tty, wait, defer, forward, telegram_on;
	int announce_fd; /* --ask-fd, or -1 */
	bool http_on;    /* libcurl loaded (start_http) */
	long timeout_ms;
	enum fwd_mode mode;
	struct strvec agents;            /* agentFilter */
	struct session_filter *sessions; /* sessionFilter */
	size_t nsessions;
	struct target *targets;
	size_t ntargets;
	struct tg_bot *bots; /* one per Telegram account that has a token */
	size_t nbots;
	char tg_default[SESSION_ID_MAX]; /* the account a target without accountId uses */
};

/* ---- settings ---- */

static int str_or_num(const struct config *cfg, const cJSON *v, const char *what, char **out)
{
	*out = NULL;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v))
		*out = xstrdup(v->valuestring);
	else if (cJSON_IsNumber(v))
		*out = xasprintf("%.0f", v->valuedouble);
	else
		return cfg_error(cfg, v, "%s must be a string or a number", what);
	return 0;
}

static int str_list(const struct config *cfg, const cJSON *v, const char *what, struct strvec *out)
{
	const cJSON *e;

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsArray(v))
		return cfg_error(cfg, v, "%s must be a list", what);
	cJSON_ArrayForEach(e, v)
	{
		char *s;
		if (str_or_num(cfg, e, what, &s) < 0)
			return -1;
		if (s != NULL)
			strvec_push_nodup(out, s);
	}
	return 0;
}

/*
 * A Slack, Discord or webhook URL: http or https only, and a secret (an
 * incoming webhook's path is its token), kept out of every message.
 */
static int url_target(const struct config *cfg, const cJSON *e, const char *url)
{
	const char *rest;

	if (str_has_prefix(url, "https://"))
		rest = url + 8;
	else if (str_has_prefix(url, "http://"))
		rest = url + 7;
	else
		return cfg_error(cfg, cfg_get(e, "to"),
		                 "a %s target's \"to\" must be an http(s) URL",
		                 cJSON_GetStringValue(cfg_get(e, "channel")));
	text_secret_add(url);
	rest += strcspn(rest, "/?#");
	if (strlen(rest) >= 8)
		text_secret_add(rest);
	return 0;
}

static int load_targets(struct ask_settings *s, const struct config *cfg, const cJSON *list)
{
	static const char *const channels[] = { "telegram", "slack", "discord", "webhook", NULL };
	const cJSON *e;

	if (list == NULL || cJSON_IsNull(list))
		return 0;
	if (!cJSON_IsArray(list))
		return cfg_error(cfg, list, "approvals.exec.targets must be a list");
	s->targets = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*s->targets));
	cJSON_ArrayForEach(e, list)
	{
		struct target *t = &s->targets[s->ntargets++];
		const char *ch = NULL;
		if (!cJSON_IsObject(e))
			return cfg_error(cfg, e, "approvals.exec.targets[] must be objects");
		if (cfg_str(cfg, cfg_get(e, "channel"), "target channel", &ch) < 0 ||
		    str_or_num(cfg, cfg_get(e, "to"), "target to", &t->to) < 0 ||
		    str_or_num(cfg, cfg_get(e, "accountId"), "target accountId", &t->account) < 0 ||
		    str_or_num(cfg, cfg_get(e, "threadId"), "target threadId", &t->thread) < 0)
			return -1;
		if (ch == NULL || t->to == NULL)
			return cfg_error(cfg, e, "an approvals.exec target needs channel and to");
		t->channel = str_lower(xstrdup(ch));
		bool known = false;
		for (const char *const *c = channels; *c; c++)
			known |= strcmp(*c, t->channel) == 0;
		if (!known)
			cfg_warn(
			    cfg, e,
			    "claw cannot post approvals to channel \"%s\" (it can to telegram, "
			    "slack, discord, webhook): this target is skipped",
			    ch);
		else if (strcmp(t->channel, "telegram") != 0 && url_target(cfg, e, t->to) < 0)
			return -1;
	}
	if (s->ntargets > TARGETS_MAX)
		return cfg_error(cfg, list, "approvals.exec.targets: at most %d targets",
		                 TARGETS_MAX);
	return 0;
}

static int load_filters(struct ask_settings *s, const struct config *cfg, const cJSON *exec)
{
	struct strvec l = { 0 };

	if (str_list(cfg, cfg_get(exec, "agentFilter"), "approvals.exec.agentFilter", &s->agents) <
	    0)
		return -1;
	if (str_list(cfg, cfg_get(exec, "sessionFilter"), "approvals.exec.sessionFilter", &l) < 0) {
		strvec_clear(&l);
		return -1;
	}
	/* OpenClaw's rule: a substring of the session key, or a pattern that matches it. */
	s->sessions = xcalloc(l.n + 1, sizeof(*s->sessions));
	for (size_t i = 0; i < l.n; i++) {
		s->sessions[i].text = xstrdup(l.v[i]);
		s->sessions[i].is_re =
		    regcomp(&s->sessions[i].re, l.v[i], REG_EXTENDED | REG_NOSUB) == 0;
	}
	s->nsessions = l.n;
	strvec_clear(&l);
	return 0;
}

/* A token from TOKEN or from the file TOKENFILE (first line). */
static char *token_of(const struct config *cfg, const cJSON *obj)
{
	const char *token = NULL, *file = NULL;
	char *text;
	size_t len;

	if (cfg_str(cfg, cfg_get(obj, "botToken"), "botToken", &token) < 0 ||
	    cfg_str(cfg, cfg_get(obj, "tokenFile"), "tokenFile", &file) < 0)
		return NULL;
	if (token != NULL && token[0] != '\0')
		return xstrdup(token);
	if (file == NULL || read_file(file, 4096, &text, &len) < 0)
		return NULL;
	text[strcspn(text, "\r\n")] = '\0';
	char *t = str_trim_dup(text);
	free(text);
	if (t[0] == '\0') {
		free(t);
		return NULL;
	}
	return t;
}

static int load_allow(struct tg_bot *b, const struct config *cfg, const cJSON *v, const char *what)
{
	struct strvec l = { 0 };

	if (str_list(cfg, v, what, &l) < 0) {
		strvec_clear(&l);
		return -1;
	}
	for (size_t i = 0; i < l.n; i++) {
		const char *id = l.v[i];
		if (strncasecmp(id, "telegram:", 9) == 0)
			id += 9;
		else if (strncasecmp(id, "tg:", 3) == 0)
			id += 3;
		/*
		 * Approvers are people, named for good: not "*" (anyone who finds the
		 * chat), not a username (it can change hands). OpenClaw 2026.9.6 takes
		 * only numeric ids as approvers too.
		 */
		if (id[0] != '\0' && strspn(id, "0123456789") == strlen(id))
			strvec_push(&b->allow, id);
		else
			cfg_warn(cfg, v,
			         "%s: \"%s\" is not a numeric Telegram user id; claw ignores it "
			         "for approvals",
			         what, l.v[i]);
	}
	strvec_clear(&l);
	return 0;
}

static int add_bot(struct ask_settings *s, const struct config *cfg, const char *account,
                   const cJSON *acct, const cJSON *top)
{
	const char *root = NULL;
	char *token = token_of(cfg, acct);

	if (token == NULL && acct != top && strcmp(account, "default") == 0)
		token = token_of(cfg, top);
	if (token == NULL && strcmp(account, "default") == 0) {
		const char *env = getenv("TELEGRAM_BOT_TOKEN");
		if (env != NULL && env[0] != '\0')
			token = xstrdup(env);
	}
	if (token == NULL)
		return 0;
	if (cfg_str(cfg, cfg_get(acct, "apiRoot"), "apiRoot", &root) < 0 ||
	    (root == NULL && cfg_str(cfg, cfg_get(top, "apiRoot"), "apiRoot", &root) < 0)) {
		free(token);
		return -1;
	}
	struct tg_bot *b = &s->bots[s->nbots++];
	char id[SESSION_ID_MAX];
	b->account = xstrdup(norm_account_id(account, id));
	b->token = token;
	b->api_root = xstrdup(root ? root : TG_API_DEFAULT);
	for (size_t n = strlen(b->api_root); n > 0 && b->api_root[n - 1] == '/'; n--)
		b->api_root[n - 1] = '\0';
	http_host(b->api_root, b->host, sizeof(b->host));
	char *both = xasprintf("%s\n%s", b->api_root, token), hex[SHA256_HEX];
	sha256_hex(both, strlen(both), hex);
	free(both);
	snprintf(b->key, sizeof(b->key), "%.16s", hex);
	text_secret_add(token);
	/*
	 * Who may answer: OpenClaw 2026.9.6's own list of Telegram approvers when
	 * it is set (execApprovals.approvers), else allowFrom; the account's
	 * before the channel's.
	 */
	static const char *const keys[] = { "execApprovals.approvers", "allowFrom" };
	for (size_t k = 0; k < NELEM(keys); k++) {
		const cJSON *v = cfg_get(acct, keys[k]);
		if (v == NULL)
			v = cfg_get(top, keys[k]);
		if (v != NULL) {
			char what[64];
			snprintf(what, sizeof(what), "channels.telegram.%s", keys[k]);
			return load_allow(b, cfg, v, what);
		}
	}
	return 0;
}

static int load_telegram(struct ask_settings *s, const struct config *cfg)
{
	const cJSON *top = cfg_get(cfg->root, "channels.telegram");
	const cJSON *accounts = cfg_get(top, "accounts"), *a;
	bool enabled = true;

	if (cfg_bool(cfg, cfg_get(top, "enabled"), "channels.telegram.enabled", &enabled) < 0)
		return -1;
	s->telegram_on = enabled;
	if (accounts != NULL && !cJSON_IsObject(accounts))
		return cfg_error(cfg, accounts, "channels.telegram.accounts must be an object");
	/* OpenClaw's default account: defaultAccount, else "default" when configured, else the
	 * first account, else "default". */
	const char *def = NULL;
	if (cfg_str(cfg, cfg_get(top, "defaultAccount"), "channels.telegram.defaultAccount", &def) <
	    0)
		return -1;
	if (def == NULL && accounts != NULL && accounts->child != NULL &&
	    cfg_get(accounts, "default") == NULL)
		def = accounts->child->string;
	norm_account_id(def, s->tg_default);
	s->bots = xcalloc((size_t)cJSON_GetArraySize(accounts) + 2, sizeof(*s->bots));
	bool has_default = cfg_get(accounts, "default") != NULL;
	if (!has_default && add_bot(s, cfg, "default", top, top) < 0)
		return -1;
	cJSON_ArrayForEach(a, accounts)
	{
		if (!cJSON_IsObject(a))
			return cfg_error(cfg, a, "channels.telegram.accounts.%s must be an object",
			                 a->string);
		if (add_bot(s, cfg, a->string, a, top) < 0)
			return -1;
	}
	return 0;
}

static const struct tg_bot *bot_for(const struct ask_settings *s, const char *account)
{
	char id[SESSION_ID_MAX];

	norm_account_id(account ? account : s->tg_default, id);
	for (size_t i = 0; i < s->nbots; i++)
		if (strcmp(s->bots[i].account, id) == 0)
			return &s->bots[i];
	return NULL;
}

/* Said once, at start: forwarding to Telegram that could never work. */
static void check_telegram(const struct ask_settings *s, const struct config *cfg)
{
	bool wants = s->forward && s->mode != FWD_TARGETS;

	for (size_t i = 0; i < s->ntargets; i++)
		if (s->forward && s->mode != FWD_SESSION &&
		    strcmp(s->targets[i].channel, "telegram") == 0) {
			wants = true;
			if (bot_for(s, s->targets[i].account) == NULL)
				cfg_warn(
				    cfg, cfg_get(cfg->root, "approvals.exec.targets"),
				    "a Telegram approval target for account \"%s\" has no bot "
				    "token (channels.telegram.botToken or TELEGRAM_BOT_TOKEN): "
				    "claw will not ask there",
				    s->targets[i].account ? s->targets[i].account : "default");
		}
	if (!wants)
		return;
	if (!s->telegram_on)
		cfg_warn(cfg, cfg_get(cfg->root, "channels.telegram.enabled"),
		         "channels.telegram is disabled: claw will not ask in Telegram");
	for (size_t i = 0; i < s->nbots; i++)
		if (s->bots[i].allow.n == 0)
			cfg_warn(
			    cfg, cfg_get(cfg->root, "channels.telegram"),
			    "no Telegram approvers for account \"%s\" (channels.telegram.allowFrom "
			    "has no user ids): no answer in Telegram could count, so claw will not "
			    "ask there",
			    s->bots[i].account);
}

/* The channels that are posted to as webhooks. */
static bool hook_kind_of(const char *channel, enum hook_kind *kind)
{
	static const struct {
		const char *channel;
		enum hook_kind kind;
	} kinds[] = { { "slack", HOOK_SLACK },
		      { "discord", HOOK_DISCORD },
		      { "webhook", HOOK_WEBHOOK } };

	for (size_t i = 0; i < NELEM(kinds); i++)
		if (strcmp(channel, kinds[i].channel) == 0) {
			*kind = kinds[i].kind;
			return true;
		}
	return false;
}

/* libcurl is loaded only when something may be posted. Without it chat is off, said once. */
static void start_http(struct ask_settings *s)
{
	bool posts = s->nbots > 0;

	enum hook_kind kind;

	for (size_t i = 0; i < s->ntargets && !posts; i++)
		posts = hook_kind_of(s->targets[i].channel, &kind);
	if (!s->forward || !posts)
		return;
	if (http_global_init() < 0) {
		ask_warn("%s: claw will not ask in chat", claw_error());
		s->forward = false;
		return;
	}
	s->http_on = true;
}

int ask_settings_load(struct ask_settings **out, const struct config *cfg,
                      const struct ask_opts *opts)
{
	static const char *const modes[] = { "session", "targets", "both", NULL };
	struct ask_settings *s = xcalloc(1, sizeof(*s));
	const cJSON *exec = cfg_get(cfg->root, "approvals.exec");
	const char *mode = "session";
	double secs = TIMEOUT_DEFAULT_S;

	*out = NULL;
	s->dir = state_path(cfg, "approvals");
	/* Asked through the caller, claw asks nobody itself: only resolve answers. */
	s->announce_fd = opts->announce_fd;
	s->no_tty = opts->no_tty || opts->announce_fd >= 0;
	s->wait = opts->wait || opts->announce_fd >= 0;
	s->defer = opts->defer;
	if (exec != NULL && !cJSON_IsObject(exec)) {
		ask_settings_free(s);
		return cfg_error(cfg, exec, "approvals.exec must be an object");
	}
	const cJSON *ts = cfg_get(exec, "timeoutSeconds");
	if (cfg_bool(cfg, cfg_get(exec, "enabled"), "approvals.exec.enabled", &s->forward) < 0 ||
	    cfg_enum(cfg, cfg_get(exec, "mode"), "approvals.exec.mode", modes, &mode) < 0 ||
	    cfg_num(cfg, ts, "approvals.exec.timeoutSeconds", &secs) < 0 ||
	    load_filters(s, cfg, exec) < 0 || load_targets(s, cfg, cfg_get(exec, "targets")) < 0 ||
	    load_telegram(s, cfg) < 0) {
		ask_settings_free(s);
		return -1;
	}
	if (!(secs > 0 && secs <= TIMEOUT_MAX_S)) {
		ask_settings_free(s);
		return cfg_error(cfg, ts,
		                 "approvals.exec.timeoutSeconds must be more than 0 and at "
		                 "most %d (a week)",
		                 TIMEOUT_MAX_S);
	}
	s->timeout_ms = (long)(secs * 1000 + 0.5);
	if (opts->timeout_ms > 0 && opts->timeout_ms < s->timeout_ms)
		s->timeout_ms = opts->timeout_ms;
	s->mode = strcmp(mode, "targets") == 0 ? FWD_TARGETS
	          : strcmp(mode, "both") == 0  ? FWD_BOTH
	                                       : FWD_SESSION;
	check_telegram(s, cfg);
	start_http(s);
	*out = s;
	return 0;
}

void ask_settings_free(struct ask_settings *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->ntargets; i++) {
		free(s->targets[i].channel);
		free(s->targets[i].to);
		free(s->targets[i].account);
		free(s->targets[i].thread);
	}
	free(s->targets);
	for (size_t i = 0; i < s->nsessions; i++) {
		free(s->sessions[i].text);
		if (s->sessions[i].is_re)
			regfree(&s->sessions[i].re);
	}
	free(s->sessions);
	strvec_clear(&s->agents);
	for (size_t i = 0; i < s->nbots; i++) {
		free(s->bots[i].account);
		free(s->bots[i].token);
		free(s->bots[i].api_root);
		strvec_clear(&s->bots[i].allow);
	}
	free(s->bots);
	free(s->dir);
	if (s->http_on)
		http_global_cleanup();
	free(s);
	text_secrets_clear();
}

long ask_timeout_ms(const struct ask_settings *s)
{
	return s->timeout_ms;
}

const char *ask_decision_name(enum ask_decision d)
{
	return decision_word(d);
}

/* ---- where to ask ---- */

struct ways {
	struct tty *tty;
	struct tg_target tg[TARGETS_MAX + 1]; /* + the session's chat */
	size_t ntg;
	struct hook_target hooks[TARGETS_MAX];
	size_t nhooks;
};

static bool filters_pass(const struct ask_settings *s, const struct ask_request *rq)
{
	if (s->agents.n > 0 && (rq->agent == NULL || !strvec_has(&s->agents, rq->agent)))
		return false;
	if (s->nsessions == 0)
		return true;
	for (size_t i = 0; i < s->nsessions && rq->session_key; i++) {
		const struct session_filter *f = &s->sessions[i];
		if (strstr(rq->session_key, f->text) != NULL ||
		    (f->is_re && regexec(&f->re, rq->session_key, 0, NULL, 0) == 0))
			return true;
	}
	return false;
}

/* "telegram:123" and "tg:123" as OpenClaw writes chat targets. */
static const char *tg_chat(const char *to)
{
	if (strncasecmp(to, "telegram:", 9) == 0)
		return to + 9;
	if (strncasecmp(to, "tg:", 3) == 0)
		return to + 3;
	return to;
}

static void add_tg(const struct ask_settings *s, struct ways *w, const char *account,
                   const char *to, const char *thread)
{
	const struct tg_bot *b = bot_for(s, account);

	if (!s->telegram_on || b == NULL || b->allow.n == 0 || w->ntg == NELEM(w->tg))
		return; /* said once at start (check_telegram) */
	to = tg_chat(to);
	for (size_t i = 0; i < w->ntg; i++)
		if (w->tg[i].bot == b && strcmp(w->tg[i].chat, to) == 0)
			return; /* the same chat by session and by target: one prompt */
	w->tg[w->ntg++] = (struct tg_target){ .bot = b, .chat = to, .thread = thread };
}

static void collect_chat(const struct ask_settings *s, const struct ask_request *rq, struct ways *w)
{
	if (!s->forward || s->announce_fd >= 0 || !filters_pass(s, rq))
		return;
	if (s->mode != FWD_TARGETS && rq->origin_channel != NULL && rq->origin_to != NULL &&
	    strcasecmp(rq->origin_channel, "telegram") == 0)
		add_tg(s, w, rq->origin_account, rq->origin_to, rq->origin_thread);
	if (s->mode == FWD_SESSION)
		return;
	for (size_t i = 0; i < s->ntargets; i++) {
		const struct target *t = &s->targets[i];
		enum hook_kind kind;
		if (strcmp(t->channel, "telegram") == 0) {
			add_tg(s, w, t->account, t->to, t->thread);
			continue;
		}
		if (!hook_kind_of(t->channel, &kind))
			continue;
		if (w->nhooks < NELEM(w->hooks))
			w->hooks[w->nhooks++] = (struct hook_target){ .kind = kind, .url = t->to };
	}
}

/* ---- the pending request ---- */

static void put_str(struct buf *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	buf_printf(b, ",\"%s\":", name);
	buf_json_str(b, value);
}

/* The request as stored (W not NULL: with the process and chat bookkeeping) or as posted. */
static void request_json(struct buf *b, const struct ask_request *rq, const char *id,
                         long long created, long long expires, const struct ways *w)
{
	buf_puts(b, "{\"id\":");
	buf_json_str(b, id);
	buf_printf(b, ",\"slug\":\"%.8s\"", id);
	put_str(b, "tool", rq->tool);
	put_str(b, "agent", rq->agent);
	put_str(b, "sessionKey", rq->session_key);
	put_str(b, "command", rq->command);
	put_str(b, "cwd", rq->cwd);
	put_str(b, "host", rq->host);
	put_str(b, "security", rq->security);
	put_str(b, "ask", rq->ask);
	put_str(b, "fallback", rq->fallback);
	buf_puts(b, ",\"segments\":[");
	for (size_t i = 0; i < rq->nsegments; i++) {
		const struct ask_segment *sg = &rq->segments[i];
		buf_puts(b, i ? ",{\"argv\":" : "{\"argv\":");
		buf_json_str(b, sg->argv ? sg->argv : "");
		put_str(b, "path", sg->path);
		put_str(b, "why", sg->why);
		buf_putc(b, '}');
	}
	buf_printf(b, "],\"decisions\":[\"allow-once\",%s\"deny\"]",
	           rq->offer_always ? "\"allow-always\"," : "");
	buf_printf(b, ",\"createdAtMs\":%lld,\"expiresAtMs\":%lld", created, expires);
	if (w != NULL) {
		buf_printf(b, ",\"pid\":%ld,\"telegram\":", (long)getpid());
		tg_targets_json(b, w->tg, w->ntg);
	}
	buf_puts(b, "}\n");
}

/*
 * ---- signals: Ctrl-C at the prompt is an answer ----
 *
 * A Ctrl-C (or SIGTERM, SIGHUP) while a person is being asked denies the
 * request, and every later one that would ask: the record goes on, denied,
 * so that the decision log holds it (the log stage outlives the signal),
 * the prompt ends as every answer ends it, and the pending file goes. The
 * caller dies of the signal once its input ends (ask_interrupted()).
 * SIGQUIT still ends it at once, the terminal restored.
 */

static char sig_json[PATH_MAX];
static const int caught[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static struct sigaction old_actions[NELEM(caught)];
static volatile sig_atomic_t stopped_by;

static void on_signal(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;
	const char *sock = answer_sock_path();

	if (sig != SIGQUIT) {
		stopped_by = sig; /* the wait sees it: its poll returns EINTR */
		return;
	}
	tty_emergency_restore();
	if (sig_json[0] != '\0')
		unlink(sig_json);
	if (sock[0] != '\0')
		unlink(sock);
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

int ask_interrupted(void)
{
	return stopped_by;
}

/* The answer a signal gives: deny, via "signal", by its name. */
static struct pending_answer signal_answer(void)
{
	struct pending_answer a = { .decision = ASK_DENY };
	const char *name = sigabbrev_np(stopped_by);

	snprintf(a.via, sizeof(a.via), "signal");
	snprintf(a.by, sizeof(a.by), "SIG%s", name ? name : "?");
	return a;
}

static void signals_catch(const char *dir, const char *id)
{
	struct sigaction sa = { .sa_handler = on_signal };

	snprintf(sig_json, sizeof(sig_json), "%s/%s.json", dir, id);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NELEM(caught); i++) {
		sigaction(caught[i], NULL, &old_actions[i]);
		if (old_actions[i].sa_handler != SIG_IGN) /* nohup's SIGHUP stays ignored */
			sigaction(caught[i], &sa, NULL);
	}
}

static void signals_restore(void)
{
	for (size_t i = 0; i < NELEM(caught); i++)
		sigaction(caught[i], &old_actions[i], NULL);
	sig_json[0] = '\0';
}

/* ---- the wait ---- */

struct asking {
	const struct ask_settings *s;
	const struct ask_request *rq;
	struct ways w;
	char id[37];
	int ino, sock;
	struct http *h;
	struct tg_ask *tg;
	struct hooks *hooks;
	bool tty_up; /* the prompt is on the terminal */
	char who[128];
	long long deadline, created;
	struct pending_answer answer;
	bool forged; /* an ID.answer file appeared (reported, never read) */
};

/* Answers with D for this process's own reasons (its timeout, no way left, a key). */
static void claim_own(struct asking *a, enum ask_decision d, const char *via, const char *by)
{
	struct pending_answer mine = { .decision = d };

	snprintf(mine.via, sizeof(mine.via), "%s", via);
	snprintf(mine.by, sizeof(mine.by), "%s", by);
	if (answer_give(a->s->dir, a->id, &mine, NULL) < 0)
		ask_warn("approval %.8s: %s", a->id, claw_error());
}

static void drain(int fd)
{
	char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	while (read(fd, ev, sizeof(ev)) > 0)
		;
}

static size_t live_ways(const struct asking *a)
{
	return (a->w.tty != NULL) + tg_ask_live(a->tg) + hooks_live(a->hooks) + a->s->wait;
}

static void tty_gone(struct asking *a)
{
	tty_end(a->w.tty, "");
	a->w.tty = NULL;
	a->tty_up = false;
}

static void show_tty(struct asking *a, long long now)
{
	if (a->w.tty == NULL || a->tty_up)
		return;
	int rc = tty_begin(a->w.tty, a->rq, a->id, (long)(a->deadline - now));
	if (rc < 0) {
		ask_warn("%s", claw_error());
		tty_gone(a);
	}
	a->tty_up = rc > 0;
}

/* An ID.answer file is never read; that one appeared is worth saying, once (answer.h, 6). */
static void look_for_forgery(struct asking *a)
{
	if (a->forged || !pending_forged(a->s->dir, a->id))
		return;
	a->forged = true;
	ask_warn("approval %.8s: ignored the file %s/%s.answer: answers come only from the "
	         "terminal, chat, a webhook or claw-approve resolve (was it forged?)",
	         a->id, a->s->dir, a->id);
}

/* Whether the wait is over: an answer, the deadline, or no way left to get one. */
static bool decided(struct asking *a, long long now)
{
	if (answer_taken(&a->answer))
		return true;
	if (stopped_by != 0) { /* Ctrl-C or a kill: the request is refused, and says so */
		a->answer = signal_answer();
		return true;
	}
	if (now >= a->deadline)
		claim_own(a, ASK_TIMEOUT, "", "");
	else if (live_ways(a) == 0)
		claim_own(a, ASK_UNAVAILABLE, "", "");
	return answer_taken(&a->answer);
}

static void read_key(struct asking *a)
{
	enum ask_decision d;
	int k = tty_read(a->w.tty, &d);

	if (k > 0)
		claim_own(a, d, "tty", a->who);
	else if (k < 0)
		tty_gone(a);
}

/* Waits for an answer or the deadline; returns with a->answer set. */
static void wait_answer(struct asking *a)
{
	for (long long now = clock_mono_ms(); !decided(a, now); now = clock_mono_ms()) {
		long long wake = a->deadline, next = tg_ask_next_ms(a->tg);
		if (a->tty_up) /* the countdown, on the second */
			wake = now + 1000 - (a->deadline - now) % 1000;
		if (next >= 0 && next < wake)
			wake = next;
		struct pollfd fds[3] = { { .fd = a->ino, .events = POLLIN },
			                 { .fd = a->sock, .events = POLLIN },
			                 { .fd = tty_fd(a->w.tty), .events = POLLIN } };
		long long ms = wake - now;
		if (http_wait(a->h, fds, a->tty_up ? 3 : 2, (int)(ms > 0 ? ms : 0)) < 0) {
			ask_warn("%s", claw_error());
			claim_own(a, ASK_UNAVAILABLE, "", "");
			continue;
		}
		now = clock_mono_ms();
		if (fds[1].revents)
			answer_serve();
		if (fds[0].revents) {
			drain(a->ino);
			look_for_forgery(a);
			show_tty(a, now); /* another prompt may have let the terminal go */
		}
		if (a->tty_up && fds[2].revents)
			read_key(a);
		tg_ask_wake(a->tg, now);
		if (a->tty_up)
			tty_tick(a->w.tty, (long)(a->deadline - now));
	}
}

/* What the terminal shows under the prompt once it is decided. */
static void tty_outcome(struct buf *b, const struct asking *a, const char *fallback)
{
	static const char *const done[] = { [ASK_ALLOW_ONCE] = "allowed once",
		                            [ASK_ALLOW_ALWAYS] = "allowed always",
		                            [ASK_DENY] = "denied" };
	enum ask_decision d = a->answer.decision;

	if (d == ASK_TIMEOUT || d == ASK_UNAVAILABLE) {
		buf_printf(b, "%s: fallback%s%s",
		           strcmp(a->answer.via, "tty") == 0 ? "no answer" : "expired",
		           fallback ? " " : "", fallback ? fallback : "");
		return;
	}
	if (strcmp(a->answer.via, "tty") == 0)
		buf_puts(b, done[d]);
	else
		buf_printf(b, "%s by %s", done[d], a->answer.by);
}

/* Tells every way the outcome, for at most ASK_TELL_MS. */
static void tell(struct asking *a)
{
	struct buf text = { 0 }, line = { 0 };

	tty_outcome(&line, a, a->rq->fallback);
	if (a->w.tty != NULL)
		tty_end(a->w.tty, line.p);
	a->w.tty = NULL;
	text_outcome(&text, a->answer.decision, a->answer.by, a->id, a->rq->tool);
	tg_ask_finish(a->tg, text.p);
	hooks_finish(a->hooks, a->answer.decision, a->answer.via, a->answer.by, text.p);
	long long until = clock_mono_ms() + ASK_TELL_MS;
	for (long long now; http_active(a->h) > 0 && (now = clock_mono_ms()) < until;)
		if (http_wait(a->h, NULL, 0, (int)(until - now)) < 0)
			break;
	buf_free(&text);
	buf_free(&line);
}

static int start_pending(struct asking *a)
{
	struct buf json = { 0 };

	if (mkdir_p(a->s->dir, 0700) < 0)
		return -1;
	/* The directory is watched for the locks other prompts let go, and for forgeries. */
	a->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (a->ino < 0 ||
	    inotify_add_watch(a->ino, a->s->dir,
	                      IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE) < 0)
		return claw_fail("%s: cannot watch for answers: %s", a->s->dir, strerror(errno));
	/* Listening before the request is listed: whoever finds it can answer it. */
	if ((a->sock = answer_open(a->s->dir, a->id, a->rq->offer_always)) < 0)
		return -1;
	request_json(&json, a->rq, a->id, a->created, a->created + a->s->timeout_ms, &a->w);
	int rc = pending_write(a->s->dir, a->id, json.p, json.len);
	buf_free(&json);
	return rc;
}

/* Slack and Discord cannot answer: the prompt says how to, from chat or a shell. */
static void hook_prompt(struct buf *b, const struct asking *a, long secs, size_t max_command)
{
	text_prompt(b, a->rq, a->id, secs, max_command);
	buf_printf(b, "\nOr from a shell: claw-approve resolve %.8s %s", a->id,
	           a->rq->offer_always ? "allow-once|allow-always|deny" : "allow-once|deny");
}

static void start_ways(struct asking *a, long long now)
{
	struct buf prompt = { 0 }, json = { 0 };
	long secs = (a->s->timeout_ms + 999) / 1000;

	a->h = http_new();
	if (a->w.ntg > 0) {
		text_prompt(&prompt, a->rq, a->id, secs, TG_COMMAND_MAX);
		a->tg = tg_ask_start(a->h, a->s->dir, a->id, prompt.p, a->rq->offer_always, a->w.tg,
		                     a->w.ntg, a->s->timeout_ms);
	}
	if (a->w.nhooks > 0) {
		struct buf shorter = { 0 };
		buf_reset(&prompt);
		hook_prompt(&prompt, a, secs, SLACK_COMMAND_MAX);
		hook_prompt(&shorter, a, secs, DISCORD_COMMAND_MAX);
		request_json(&json, a->rq, a->id, a->created, a->created + a->s->timeout_ms, NULL);
		a->hooks = hooks_start(a->h, a->s->dir, a->id, json.p, prompt.p, shorter.p,
		                       a->w.hooks, a->w.nhooks, a->s->timeout_ms);
		buf_free(&shorter);
	}
	show_tty(a, now);
	/* Without a prompt on the terminal, the log says what waits and how to answer it
	 * (unless the caller asks: it was told on its own fd). */
	if (!a->tty_up && a->s->announce_fd < 0)
		ask_warn("waiting up to %lds for an answer: claw-approve resolve %.8s %s", secs,
		         a->id,
		         a->rq->offer_always ? "allow-once|allow-always|deny" : "allow-once|deny");
	buf_free(&prompt);
	buf_free(&json);
}

/*
 * --ask-fd: the pending request, as `claw-approve pending --json` shows it,
 * is one line on the caller's fd; the caller asks and answers with resolve.
 * A caller that has gone away (EPIPE) cannot answer: -1, and no way is left.
 */
static int announce(const struct asking *a)
{
	struct buf json = { 0 };
	sigset_t pipe_set, old;
	size_t off = 0;
	int rc = 0;

	request_json(&json, a->rq, a->id, a->created, a->created + a->s->timeout_ms, NULL);
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	while (off < json.len && rc == 0) {
		ssize_t n = write(a->s->announce_fd, json.p + off, json.len - off);
		if (n > 0)
			off += (size_t)n;
		else if (n < 0 && errno != EINTR)
			rc = claw_fail("--ask-fd %d: %s", a->s->announce_fd, strerror(errno));
	}
	if (rc < 0 && errno == EPIPE) {
		/* The SIGPIPE the write raised is taken here, not delivered. */
		struct timespec now = { 0 };
		sigtimedwait(&pipe_set, NULL, &now);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	buf_free(&json);
	return rc;
}

static void result_of(const struct asking *a, struct ask_result *res, long long start)
{
	res->decision = a->answer.decision;
	snprintf(res->via, sizeof(res->via), "%s", a->answer.via);
	snprintf(res->by, sizeof(res->by), "%s", a->answer.by);
	res->waited_ms = (long)(clock_mono_ms() - start);
	res->forged = a->forged;
	snprintf(res->id, sizeof(res->id), "%s", a->id);
	if (res->decision == ASK_TIMEOUT && res->via[0] == '\0')
		snprintf(res->note, sizeof(res->note), "no answer within %lds",
		         (a->s->timeout_ms + 999) / 1000);
	else if (res->decision == ASK_TIMEOUT)
		snprintf(res->note, sizeof(res->note), "%s chose the fallback", res->by);
	else if (res->decision == ASK_UNAVAILABLE)
		snprintf(res->note, sizeof(res->note), "every way to ask failed");
}

int ask_human(const struct ask_settings *s, const struct ask_request *rq, struct ask_result *res)
{
	/* Until an answer is taken, the answer is that nobody could give one. */
	struct asking a = {
		.s = s, .rq = rq, .ino = -1, .sock = -1, .answer.decision = ASK_UNAVAILABLE
	};
	long long start = clock_mono_ms();

	memset(res, 0, sizeof(*res));
	res->decision = ASK_UNAVAILABLE;
	if (stopped_by != 0) { /* interrupted already: nobody is asked any more */
		struct pending_answer sa = signal_answer();
		res->decision = sa.decision;
		snprintf(res->via, sizeof(res->via), "%s", sa.via);
		snprintf(res->by, sizeof(res->by), "%s", sa.by);
		return 0;
	}
	if (s->defer) {
		res->decision = ASK_DEFERRED;
		snprintf(res->note, sizeof(res->note), "left to the caller's own prompt");
		return 0;
	}
	if (!s->no_tty && tty_open(&a.w.tty, s->dir) < 0)
		a.w.tty = NULL; /* no terminal is the normal case for a service or a cron job */
	collect_chat(s, rq, &a.w);
	if (a.w.tty == NULL && a.w.ntg == 0 && a.w.nhooks == 0 && !s->wait) {
		snprintf(res->note, sizeof(res->note),
		         "no terminal, no chat target and no --wait: nobody to ask");
		return 0; /* askFallback at once: nobody would ever see a wait */
	}
	uuid4(a.id);
	tty_who(a.who, sizeof(a.who));
	a.deadline = start + s->timeout_ms;
	a.created = clock_wall_ms();
	if (start_pending(&a) < 0) {
		int saved = errno;
		answer_close();
		tty_end(a.w.tty, "");
		if (a.ino >= 0)
			close(a.ino);
		errno = saved;
		return -1;
	}
	signals_catch(s->dir, a.id);
	start_ways(&a, clock_mono_ms());
	if (s->announce_fd >= 0 && announce(&a) < 0) {
		ask_warn("%s: nobody can answer", claw_error());
		claim_own(&a, ASK_UNAVAILABLE, "", "");
		(void)answer_taken(&a.answer);
	} else {
		wait_answer(&a);
	}
	/* Decided: whoever answers from now on is told it is no longer pending. */
	answer_close();
	pending_remove(s->dir, a.id);
	result_of(&a, res, start);
	tell(&a);
	http_free(a.h);
	tg_ask_free(a.tg);
	hooks_free(a.hooks);
	signals_restore();
	close(a.ino);
	return 0;
}

/* ---- pending and resolve ---- */

static void list_line(FILE *out, const struct pending_entry *e, long long now)
{
	const cJSON *r = e->req;
	const cJSON *agent = cJSON_GetObjectItemCaseSensitive(r, "agent");
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(r, "command");
	const cJSON *cr = cJSON_GetObjectItemCaseSensitive(r, "createdAtMs");
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(r, "expiresAtMs");
	long long age = cJSON_IsNumber(cr) ? (now - (long long)cr->valuedouble) / 1000 : 0;
	long long left = cJSON_IsNumber(ex) ? ((long long)ex->valuedouble - now + 999) / 1000 : 0;
	struct buf b = { 0 };

	buf_printf(&b, "%.8s  %4llds  %4llds  %-10s  ", e->id, age, left < 0 ? 0 : left,
	           cJSON_IsString(agent) ? agent->valuestring : "-");
	text_clean(&b, cJSON_IsString(cmd) ? cmd->valuestring : "", 200);
	fprintf(out, "%s\n", b.p);
	buf_free(&b);
}

int ask_pending_list(const struct config *cfg, bool json, FILE *out)
{
	char *dir = state_path(cfg, "approvals");
	struct pending_entry *e;
	size_t n;
	long long now = clock_wall_ms();

	if (pending_scan(dir, &e, &n) < 0) {
		free(dir);
		return -1;
	}
	if (!json && n > 0)
		fprintf(out, "%-8s  %5s  %5s  %-10s  %s\n", "SLUG", "AGE", "LEFT", "AGENT",
		        "COMMAND");
	for (size_t i = 0; i < n; i++) {
		if (!json) {
			list_line(out, &e[i], now);
			continue;
		}
		/* What a resolver needs; the process and chat bookkeeping stay inside. */
		cJSON_DeleteItemFromObjectCaseSensitive(e[i].req, "pid");
		cJSON_DeleteItemFromObjectCaseSensitive(e[i].req, "telegram");
		char *line = cJSON_PrintUnformatted(e[i].req);
		if (line != NULL)
			fprintf(out, "%s\n", line);
		cJSON_free(line);
	}
	pending_entries_free(e, n);
	free(dir);
	return 0;
}

int ask_resolve(const struct config *cfg, const char *key, const char *word, const char *by,
                char id_out[37])
{
	struct pending_answer pa = { 0 }, first;
	char id[37];
	char *dir = state_path(cfg, "approvals");
	int rc = -1;

	if (decision_parse(word, &pa.decision) < 0) {
		free(dir);
		return claw_fail("unknown decision \"%s\" (expected allow-once, allow-always or "
		                 "deny; also allow, once, always, reject, block)",
		                 word);
	}
	snprintf(pa.via, sizeof(pa.via), "cli");
	snprintf(pa.by, sizeof(pa.by), "%s", by);
	if (pending_find(dir, key, id) == 0) {
		rc = answer_give(dir, id, &pa, &first);
		if (rc == 0)
			rc = claw_fail("approval %.8s was already answered: %s by %s", id,
			               decision_word(first.decision),
			               first.by[0] ? first.by : "its time limit");
		if (id_out != NULL)
			snprintf(id_out, 37, "%s", id);
	}
	free(dir);
	return rc < 0 ? -1 : 0;
}
