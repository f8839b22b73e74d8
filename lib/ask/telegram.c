/* telegram.c: approvals through the Telegram Bot API. */
#include "ask/telegram.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "ask/answer.h"
#include "ask/asktext.h"
#include "core/fsutil.h"
#include "ask/pending.h"
#include "core/util.h"

#define SEND_TIMEOUT_MS 10000L /* sendMessage, editMessageText, answerCallbackQuery */
#define POLL_SECONDS    25     /* getUpdates long polling */
#define RETRY_FIRST_MS  500LL
#define RETRY_MAX_MS    8000LL
#define GRACE_SECONDS   60 /* an /approve older than the time limit plus this is stale */

enum msg_state { MSG_SENDING, MSG_SENT, MSG_FAILED };

struct tg_msg {
	struct tg_ask *owner;
	const struct tg_bot *bot;
	char *chat, *thread;
	long long message_id;
	enum msg_state state;
	struct http_req *rq;
};

/* Reading one bot's updates: only while this process holds the bot's poll lock. */
struct tg_poll {
	struct tg_ask *owner;
	const struct tg_bot *bot;
	int lock_fd;
	bool held, dead;
	char username[64]; /* the bot's own, from getMe: "/approve@it" is for us */
	bool have_me;
	struct http_req *rq; /* getMe, then getUpdates */
	long long offset, retry_at;
	int failures;
};

struct tg_ask {
	struct http *h;
	char *dir;
	char id[37];
	bool offer_always, finishing;
	long timeout_ms;
	struct tg_msg *msgs;
	size_t nmsgs;
	struct tg_poll *polls;
	size_t npolls;
};

bool tg_allowed(const struct tg_bot *b, const char *sender)
{
	return strvec_has(&b->allow, sender);
}

/* ---- the Bot API ---- */

static char *method_url(const struct tg_bot *b, const char *method)
{
	return xasprintf("%s/bot%s/%s", b->api_root, b->token, method);
}

static void call(struct tg_ask *a, const struct tg_bot *b, const char *method, const char *json,
                 long timeout_ms, http_done_fn done, void *arg, struct http_req **rq)
{
	char *url = method_url(b, method);
	struct http_req *r = http_post_json(a->h, url, json, timeout_ms, done, arg);

	free(url);
	if (rq != NULL)
		*rq = r;
}

/*
 * The "result" of a Bot API answer, or -1 with the cause in ERR: the
 * transport's error, Telegram's own description, or the HTTP status.
 */
static int api_result(const struct http_reply *r, cJSON **root, const cJSON **result, char *err,
                      size_t size, long *code)
{
	*root = NULL;
	*code = r->status;
	if (r->error != NULL) {
		snprintf(err, size, "%s", r->error);
		return -1;
	}
	*root = cJSON_ParseWithLength(r->body, r->len);
	const cJSON *ok = cJSON_GetObjectItemCaseSensitive(*root, "ok");
	const cJSON *desc = cJSON_GetObjectItemCaseSensitive(*root, "description");
	if (r->status == 200 && cJSON_IsTrue(ok)) {
		*result = cJSON_GetObjectItemCaseSensitive(*root, "result");
		return 0;
	}
	if (cJSON_IsString(desc))
		snprintf(err, size, "HTTP %ld: %.300s", r->status, desc->valuestring);
	else
		snprintf(err, size, "HTTP %ld%s", r->status,
		         r->status == 200 ? " without \"ok\": not a Bot API server" : "");
	return -1;
}

/* What a person can do about a failure, where there is something to do. */
static const char *hint(long code)
{
	switch (code) {
	case 401:
	case 404:
		return " (the bot token was refused: check channels.telegram.botToken or "
		       "TELEGRAM_BOT_TOKEN)";
	case 403:
		return " (the bot cannot write there: start a chat with it, or add it to the "
		       "group)";
	case 409:
		return " (another program reads this bot's updates: OpenClaw's gateway, or a "
		       "webhook; give claw its own bot)";
	default:
		return "";
	}
}

static void id_string(const cJSON *v, char *out, size_t size)
{
	if (cJSON_IsNumber(v))
		snprintf(out, size, "%.0f", v->valuedouble);
	else if (cJSON_IsString(v))
		snprintf(out, size, "%s", v->valuestring);
	else
		snprintf(out, size, "?");
}

/* ---- small messages we do not wait on ---- */

static void on_fire_done(const struct http_reply *r, void *arg)
{
	const struct tg_bot *b = arg;
	cJSON *root;
	const cJSON *result;
	char err[512];
	long code;

	if (api_result(r, &root, &result, err, sizeof(err), &code) < 0)
		ask_warn("telegram (%s): %s%s", b->host, err, hint(code));
	cJSON_Delete(root);
}

static void send_text(struct tg_ask *a, const struct tg_bot *b, const char *chat,
                      const cJSON *thread, long long reply_to, const char *text)
{
	struct buf j = { 0 };

	buf_puts(&j, "{\"chat_id\":");
	buf_json_str(&j, chat);
	if (cJSON_IsNumber(thread))
		buf_printf(&j, ",\"message_thread_id\":%.0f", thread->valuedouble);
	if (reply_to > 0)
		buf_printf(&j, ",\"reply_to_message_id\":%lld,\"allow_sending_without_reply\":true",
		           reply_to);
	buf_puts(&j, ",\"text\":");
	buf_json_str(&j, text);
	buf_putc(&j, '}');
	call(a, b, "sendMessage", j.p, SEND_TIMEOUT_MS, on_fire_done, (void *)b, NULL);
	buf_free(&j);
}

static void answer_callback(struct tg_ask *a, const struct tg_bot *b, const char *cq_id,
                            const char *text)
{
	struct buf j = { 0 };

	buf_puts(&j, "{\"callback_query_id\":");
	buf_json_str(&j, cq_id);
	if (text != NULL) {
		buf_puts(&j, ",\"text\":");
		buf_json_str(&j, text);
	}
	buf_putc(&j, '}');
	call(a, b, "answerCallbackQuery", j.p, SEND_TIMEOUT_MS, on_fire_done, (void *)b, NULL);
	buf_free(&j);
}

/* ---- answers ---- */

/* Whether the request REQ was sent to CHAT (id, or @username of a channel) through bot B. */
static bool sent_to(const cJSON *req, const struct tg_bot *b, const char *chat, const char *uname)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(req, "telegram"), *e;

	cJSON_ArrayForEach(e, list)
	{
		const cJSON *bot = cJSON_GetObjectItemCaseSensitive(e, "bot");
		const cJSON *to = cJSON_GetObjectItemCaseSensitive(e, "chat");
		if (!cJSON_IsString(bot) || !cJSON_IsString(to) ||
		    strcmp(bot->valuestring, b->key) != 0)
			continue;
		if (strcmp(to->valuestring, chat) == 0 ||
		    (to->valuestring[0] == '@' && uname != NULL &&
		     strcasecmp(to->valuestring + 1, uname) == 0))
			return true;
	}
	return false;
}

struct answer {
	const char *key; /* id, slug or prefix as typed */
	enum ask_decision d;
	const char *sender, *chat, *uname;
	long long date; /* 0 for a button press */
};

/*
 * Claims one answer that came through bot B. Returns the reply for the
 * sender (allocated), or NULL when the answer is to be ignored silently
 * (an unauthorised sender: logged, never told anything).
 */
static char *take_answer(struct tg_ask *a, const struct tg_bot *b, const struct answer *ans)
{
	struct buf reply = { 0 };
	char id[37];

	if (!tg_allowed(b, ans->sender)) {
		ask_warn("telegram: ignored an answer from %s: not an approver (channels.telegram."
		         "allowFrom)",
		         ans->sender);
		return NULL;
	}
	if (pending_find(a->dir, ans->key, id) < 0) {
		text_failed(&reply, claw_error());
		return buf_steal(&reply);
	}
	cJSON *req = pending_read(a->dir, id);
	if (req == NULL) {
		text_failed(&reply, "unknown or expired approval id");
		return buf_steal(&reply);
	}
	bool here = sent_to(req, b, ans->chat, ans->uname);
	cJSON_Delete(req);
	if (!here) {
		ask_warn("telegram: ignored an answer from %s in chat %s: approval %.8s was not "
		         "sent there",
		         ans->sender, ans->chat, id);
		return NULL;
	}
	struct pending_answer pa = { .decision = ans->d }, first;
	snprintf(pa.via, sizeof(pa.via), "chat");
	snprintf(pa.by, sizeof(pa.by), "telegram:%s", ans->sender);
	int rc = answer_give(a->dir, id, &pa, &first);
	if (rc > 0)
		text_submitted(&reply, ans->d, id);
	else if (rc == 0)
		text_failed(&reply, "it was already answered");
	else
		text_failed(&reply, claw_error());
	return buf_steal(&reply);
}

/*
 * Whether a message dated DATE is older than any request still waiting: a
 * poller that starts late reads what came before it, and none of that can
 * answer anything alive.
 */
static bool too_old(const struct tg_poll *p, const cJSON *date)
{
	long long oldest = (long long)time(NULL) - p->owner->timeout_ms / 1000 - GRACE_SECONDS;

	return cJSON_IsNumber(date) && (long long)date->valuedouble < oldest;
}

/* Who answered, from an update's from and chat objects, into ANS's buffers. */
static void answer_who(struct answer *ans, const cJSON *from, const cJSON *chat, char *sender,
                       char *chat_id, size_t size)
{
	const cJSON *uname = cJSON_GetObjectItemCaseSensitive(chat, "username");

	id_string(cJSON_GetObjectItemCaseSensitive(from, "id"), sender, size);
	id_string(cJSON_GetObjectItemCaseSensitive(chat, "id"), chat_id, size);
	ans->uname = cJSON_IsString(uname) ? uname->valuestring : NULL;
}

static void on_callback(struct tg_poll *p, const cJSON *cq)
{
	const cJSON *from = cJSON_GetObjectItemCaseSensitive(cq, "from");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(cq, "message");
	const cJSON *chat = cJSON_GetObjectItemCaseSensitive(msg, "chat");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(cq, "data");
	const cJSON *cqid = cJSON_GetObjectItemCaseSensitive(cq, "id");
	char sender[32], chat_id[32], key[64];
	struct answer ans = { .key = key, .sender = sender, .chat = chat_id };

	if (too_old(p, cJSON_GetObjectItemCaseSensitive(msg, "date")))
		return; /* a button on a prompt older than any live request: a poller's backlog */
	if (!cJSON_IsString(data) || !cJSON_IsString(cqid) || chat == NULL ||
	    approve_parse(data->valuestring, NULL, key, sizeof(key), &ans.d) != APPROVE_OK)
		return; /* not one of our buttons */
	answer_who(&ans, from, chat, sender, chat_id, sizeof(sender));
	char *reply = take_answer(p->owner, p->bot, &ans);
	/* Always answered, so the button stops spinning; a stranger learns nothing. */
	answer_callback(p->owner, p->bot, cqid->valuestring, reply);
	free(reply);
}

static void on_message(struct tg_poll *p, const cJSON *m)
{
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(m, "text");
	const cJSON *from = cJSON_GetObjectItemCaseSensitive(m, "from");
	const cJSON *chat = cJSON_GetObjectItemCaseSensitive(m, "chat");
	const cJSON *date = cJSON_GetObjectItemCaseSensitive(m, "date");
	const cJSON *mid = cJSON_GetObjectItemCaseSensitive(m, "message_id");
	const cJSON *thread = cJSON_GetObjectItemCaseSensitive(m, "message_thread_id");
	char sender[32], chat_id[32], key[64];
	struct answer ans = { .key = key, .sender = sender, .chat = chat_id };
	long long reply_to = cJSON_IsNumber(mid) ? (long long)mid->valuedouble : 0;

	if (!cJSON_IsString(text) || chat == NULL)
		return;
	enum approve_cmd c =
	    approve_parse(text->valuestring, p->username, key, sizeof(key), &ans.d);
	if (c == APPROVE_NONE)
		return;
	if (too_old(p, date))
		return;
	answer_who(&ans, from, chat, sender, chat_id, sizeof(sender));
	char *reply = NULL;
	if (c == APPROVE_USAGE) {
		if (!tg_allowed(p->bot, sender)) {
			ask_warn("telegram: ignored an answer from %s: not an approver "
			         "(channels.telegram.allowFrom)",
			         sender);
			return;
		}
		struct buf b = { 0 };
		text_usage(&b);
		reply = buf_steal(&b);
	} else {
		reply = take_answer(p->owner, p->bot, &ans);
	}
	if (reply != NULL)
		send_text(p->owner, p->bot, chat_id, thread, reply_to, reply);
	free(reply);
}

/* ---- polling ---- */

static char *offset_path(const struct tg_poll *p)
{
	return xasprintf("%s/telegram-%s.offset", p->owner->dir, p->bot->key);
}

static void load_offset(struct tg_poll *p)
{
	char *path = offset_path(p), *text;
	size_t len;

	if (read_file(path, 64, &text, &len) == 0) {
		p->offset = strtoll(text, NULL, 10);
		free(text);
	}
	free(path);
}

static void save_offset(const struct tg_poll *p)
{
	char *path = offset_path(p), num[32];
	int n = snprintf(num, sizeof(num), "%lld\n", p->offset);

	if (atomic_write(path, num, (size_t)n, 0600) < 0)
		ask_warn("telegram: %s", claw_error());
	free(path);
}

static void poll_start(struct tg_poll *p);

static void poll_failed(struct tg_poll *p, const char *err, long code)
{
	if (code == 401 || code == 404) {
		ask_warn("telegram (%s): reading answers: %s%s", p->bot->host, err, hint(code));
		p->dead = true;
		return;
	}
	if (p->failures++ == 0)
		ask_warn("telegram (%s): reading answers: %s%s; trying again", p->bot->host, err,
		         hint(code));
	long long wait = RETRY_FIRST_MS << (p->failures < 5 ? p->failures - 1 : 4);
	p->retry_at = clock_mono_ms() + (wait < RETRY_MAX_MS ? wait : RETRY_MAX_MS);
}

static void on_updates(const struct http_reply *r, void *arg)
{
	struct tg_poll *p = arg;
	cJSON *root;
	const cJSON *result = NULL, *u;
	char err[512];
	long code;

	p->rq = NULL;
	int rc = api_result(r, &root, &result, err, sizeof(err), &code);
	if (rc == 0 && !cJSON_IsArray(result)) {
		snprintf(err, sizeof(err), "the answer has no list of updates");
		rc = -1;
	}
	if (rc < 0) {
		poll_failed(p, err, code);
		cJSON_Delete(root);
		return;
	}
	p->failures = 0;
	long long before = p->offset;
	cJSON_ArrayForEach(u, result)
	{
		const cJSON *uid = cJSON_GetObjectItemCaseSensitive(u, "update_id");
		if (!cJSON_IsNumber(uid) || (long long)uid->valuedouble < p->offset)
			continue;
		p->offset = (long long)uid->valuedouble + 1;
		const cJSON *cq = cJSON_GetObjectItemCaseSensitive(u, "callback_query");
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(u, "message");
		if (cq != NULL)
			on_callback(p, cq);
		else if (m != NULL)
			on_message(p, m);
	}
	cJSON_Delete(root);
	if (p->offset != before)
		save_offset(p);
	if (!p->owner->finishing)
		poll_start(p);
}

static void on_me(const struct http_reply *r, void *arg)
{
	struct tg_poll *p = arg;
	cJSON *root;
	const cJSON *result = NULL;
	char err[512];
	long code;

	p->rq = NULL;
	if (api_result(r, &root, &result, err, sizeof(err), &code) < 0) {
		poll_failed(p, err, code);
		cJSON_Delete(root);
		return;
	}
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(result, "username");
	snprintf(p->username, sizeof(p->username), "%s",
	         cJSON_IsString(name) ? name->valuestring : "");
	p->have_me = true;
	p->failures = 0;
	cJSON_Delete(root);
	if (!p->owner->finishing)
		poll_start(p);
}

static void poll_start(struct tg_poll *p)
{
	if (!p->have_me) {
		p->retry_at = 0;
		call(p->owner, p->bot, "getMe", "{}", SEND_TIMEOUT_MS, on_me, p, &p->rq);
		return;
	}
	char json[160];

	p->retry_at = 0;
	snprintf(json, sizeof(json),
	         "{\"offset\":%lld,\"timeout\":%d,"
	         "\"allowed_updates\":[\"message\",\"callback_query\"]}",
	         p->offset, POLL_SECONDS);
	call(p->owner, p->bot, "getUpdates", json, (POLL_SECONDS + 10) * 1000L, on_updates, p,
	     &p->rq);
}

/* Whether this process still waits for an answer through P's bot. */
static bool poll_wanted(const struct tg_poll *p)
{
	const struct tg_ask *a = p->owner;

	if (a->finishing || p->dead)
		return false;
	/* Only once a prompt has arrived: there is nothing to answer before. */
	for (size_t i = 0; i < a->nmsgs; i++)
		if (a->msgs[i].bot == p->bot && a->msgs[i].state == MSG_SENT)
			return true;
	return false;
}

static void poll_release(struct tg_poll *p)
{
	http_cancel(p->owner->h, p->rq);
	p->rq = NULL;
	if (p->lock_fd >= 0)
		close(p->lock_fd); /* the next claw-approve waiting on this bot takes over */
	p->lock_fd = -1;
	p->held = false;
}

static void poll_update(struct tg_poll *p, long long now)
{
	if (!poll_wanted(p)) {
		if (p->held || p->lock_fd >= 0)
			poll_release(p);
		return;
	}
	if (!p->held) {
		char name[48];
		snprintf(name, sizeof(name), "telegram-%s.poll", p->bot->key);
		int rc = pending_lock_try(p->owner->dir, name, &p->lock_fd);
		if (rc < 0) {
			ask_warn("telegram: %s", claw_error());
			p->dead = true;
			return;
		}
		if (rc == 0)
			return; /* another process polls; its release wakes us */
		p->held = true;
		load_offset(p);
	}
	if (p->rq == NULL && p->retry_at <= now)
		poll_start(p);
}

/* ---- sending the prompt ---- */

static void on_sent(const struct http_reply *r, void *arg)
{
	struct tg_msg *m = arg;
	cJSON *root;
	const cJSON *result;
	char err[512];
	long code;

	m->rq = NULL;
	if (api_result(r, &root, &result, err, sizeof(err), &code) < 0) {
		ask_warn("telegram (%s): sending the approval to chat %s failed: %s%s",
		         m->bot->host, m->chat, err, hint(code));
		m->state = MSG_FAILED;
	} else {
		const cJSON *mid = cJSON_GetObjectItemCaseSensitive(result, "message_id");
		m->message_id = cJSON_IsNumber(mid) ? (long long)mid->valuedouble : 0;
		m->state = MSG_SENT;
	}
	cJSON_Delete(root);
	tg_ask_wake(m->owner, clock_mono_ms());
}

static void keyboard(struct buf *j, const char *id, bool offer_always)
{
	static const struct {
		const char *label, *word;
		bool always;
	} keys[] = {
		{ "Allow Once", "allow-once", false },
		{ "Allow Always", "allow-always", true },
		{ "Deny", "deny", false },
	};
	bool first = true;

	buf_puts(j, "{\"inline_keyboard\":[[");
	for (size_t i = 0; i < NELEM(keys); i++) {
		if (keys[i].always && !offer_always)
			continue;
		char data[64]; /* Telegram's limit for callback_data */
		snprintf(data, sizeof(data), "/approve %s %s", id, keys[i].word);
		buf_puts(j, first ? "{\"text\":" : ",{\"text\":");
		buf_json_str(j, keys[i].label);
		buf_puts(j, ",\"callback_data\":");
		buf_json_str(j, data);
		buf_putc(j, '}');
		first = false;
	}
	buf_puts(j, "]]}");
}

static void send_prompt(struct tg_msg *m, const char *prompt)
{
	struct tg_ask *a = m->owner;
	struct buf j = { 0 };

	buf_puts(&j, "{\"chat_id\":");
	buf_json_str(&j, m->chat);
	if (m->thread != NULL)
		buf_printf(&j, ",\"message_thread_id\":%lld", strtoll(m->thread, NULL, 10));
	buf_puts(&j, ",\"text\":");
	buf_json_str(&j, prompt);
	buf_puts(&j, ",\"link_preview_options\":{\"is_disabled\":true},\"reply_markup\":");
	keyboard(&j, a->id, a->offer_always);
	buf_putc(&j, '}');
	long t = a->timeout_ms < SEND_TIMEOUT_MS ? a->timeout_ms : SEND_TIMEOUT_MS;
	call(a, m->bot, "sendMessage", j.p, t, on_sent, m, &m->rq);
	buf_free(&j);
}

struct tg_ask *tg_ask_start(struct http *h, const char *dir, const char *id, const char *prompt,
                            bool offer_always, const struct tg_target *t, size_t n, long timeout_ms)
{
	struct tg_ask *a = xcalloc(1, sizeof(*a));

	a->h = h;
	a->dir = xstrdup(dir);
	snprintf(a->id, sizeof(a->id), "%s", id);
	a->offer_always = offer_always;
	a->timeout_ms = timeout_ms;
	a->msgs = xcalloc(n, sizeof(*a->msgs));
	a->polls = xcalloc(n, sizeof(*a->polls));
	for (size_t i = 0; i < n; i++) {
		struct tg_msg *m = &a->msgs[a->nmsgs++];
		m->owner = a;
		m->bot = t[i].bot;
		m->chat = xstrdup(t[i].chat);
		m->thread = t[i].thread ? xstrdup(t[i].thread) : NULL;
		size_t j = 0;
		while (j < a->npolls && a->polls[j].bot != t[i].bot)
			j++;
		if (j == a->npolls) {
			struct tg_poll *p = &a->polls[a->npolls++];
			p->owner = a;
			p->bot = t[i].bot;
			p->lock_fd = -1;
		}
	}
	for (size_t i = 0; i < a->nmsgs; i++)
		send_prompt(&a->msgs[i], prompt);
	return a;
}

size_t tg_ask_live(const struct tg_ask *a)
{
	size_t live = 0;

	if (a == NULL)
		return 0;
	for (size_t i = 0; i < a->nmsgs; i++) {
		const struct tg_msg *m = &a->msgs[i];
		bool dead = false;
		for (size_t j = 0; j < a->npolls; j++)
			if (a->polls[j].bot == m->bot && a->polls[j].dead)
				dead = true;
		if (m->state != MSG_FAILED && !dead)
			live++;
	}
	return live;
}

void tg_ask_wake(struct tg_ask *a, long long now)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->npolls; i++)
		poll_update(&a->polls[i], now);
}

long long tg_ask_next_ms(const struct tg_ask *a)
{
	long long next = -1;

	for (size_t i = 0; a != NULL && i < a->npolls; i++) {
		const struct tg_poll *p = &a->polls[i];
		if (p->held && p->rq == NULL && p->retry_at > 0 && (next < 0 || p->retry_at < next))
			next = p->retry_at;
	}
	return next;
}

void tg_ask_finish(struct tg_ask *a, const char *outcome)
{
	if (a == NULL)
		return;
	a->finishing = true;
	for (size_t i = 0; i < a->npolls; i++)
		poll_release(&a->polls[i]);
	for (size_t i = 0; i < a->nmsgs; i++) {
		struct tg_msg *m = &a->msgs[i];
		http_cancel(a->h, m->rq);
		m->rq = NULL;
		if (m->state != MSG_SENT || m->message_id == 0)
			continue;
		struct buf j = { 0 };
		buf_puts(&j, "{\"chat_id\":");
		buf_json_str(&j, m->chat);
		buf_printf(&j, ",\"message_id\":%lld,\"text\":", m->message_id);
		buf_json_str(&j, outcome);
		buf_puts(&j, ",\"reply_markup\":{\"inline_keyboard\":[]}}");
		call(a, m->bot, "editMessageText", j.p, SEND_TIMEOUT_MS, on_fire_done,
		     (void *)m->bot, NULL);
		buf_free(&j);
	}
}

void tg_ask_free(struct tg_ask *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->npolls; i++)
		if (a->polls[i].lock_fd >= 0)
			close(a->polls[i].lock_fd);
	for (size_t i = 0; i < a->nmsgs; i++) {
		free(a->msgs[i].chat);
		free(a->msgs[i].thread);
	}
	free(a->msgs);
	free(a->polls);
	free(a->dir);
	free(a);
}

void tg_targets_json(struct buf *b, const struct tg_target *t, size_t n)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, i ? ",{\"bot\":" : "{\"bot\":");
		buf_json_str(b, t[i].bot->key);
		buf_puts(b, ",\"chat\":");
		buf_json_str(b, t[i].chat);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}
