/* webhook.c: the approval as a webhook POST, and as a Slack or Discord message. */
#include "ask/webhook.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ask/answer.h"
#include "ask/asktext.h"
#include "ask/pending.h"
#include "core/util.h"

#define CHAT_TIMEOUT_MS 10000L
#define DISCORD_MAX     1900 /* of Discord's 2000 characters, room for our lines */
#define BY_MAX          64

enum hook_state { HOOK_SENDING, HOOK_REACHED, HOOK_FAILED };

struct hook {
	struct hooks *owner;
	enum hook_kind kind;
	char *url;
	char host[128];
	enum hook_state state;
	struct http_req *rq;
};

struct hooks {
	struct http *h;
	char *dir;
	char id[37];
	struct hook *list;
	size_t n;
};

static const char *kind_name(enum hook_kind k)
{
	return k == HOOK_SLACK ? "slack" : k == HOOK_DISCORD ? "discord" : "webhook";
}

/* ---- message formats ---- */

/* Slack's mrkdwn: &, < and > are control characters (and <!channel> a mass mention). */
static void slack_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			buf_puts(b, "&amp;");
		else if (*s == '<')
			buf_puts(b, "&lt;");
		else if (*s == '>')
			buf_puts(b, "&gt;");
		else
			buf_putc(b, *s);
	}
}

/*
 * Discord's markdown: a backslash before each character that formats, links
 * ([text](url)) or mentions (<@id>, @everyone; allowed_mentions stops the
 * pings too).
 */
static void discord_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\*_~`|>#[]<@", *s))
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

static void chat_body(struct buf *j, enum hook_kind kind, const char *text)
{
	struct buf t = { 0 };

	if (kind == HOOK_SLACK) {
		slack_escape(&t, text);
		buf_puts(j, "{\"text\":");
		buf_json_str(j, t.p);
		buf_putc(j, '}');
	} else {
		discord_escape(&t, text);
		buf_puts(j, "{\"content\":");
		buf_json_str(j, t.p);
		/* Nobody is pinged, whatever the command says (@everyone). */
		buf_puts(j, ",\"allowed_mentions\":{\"parse\":[]}}");
	}
	buf_free(&t);
}

/* ---- answers ---- */

static void take_decision(struct hook *k, const struct http_reply *r)
{
	cJSON *root = cJSON_ParseWithLength(r->body, r->len);
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "decision");
	const cJSON *by = cJSON_GetObjectItemCaseSensitive(root, "by");
	struct pending_answer pa = { 0 }, first;

	if (d == NULL || cJSON_IsNull(d)) {
		cJSON_Delete(root); /* seen, no decision yet: the other ways stay open */
		return;
	}
	if (!cJSON_IsString(d) || decision_parse(d->valuestring, &pa.decision) < 0) {
		ask_warn(
		    "webhook (%s): the answer's \"decision\" is not allow-once, allow-always or "
		    "deny; ignored",
		    k->host);
		cJSON_Delete(root);
		return;
	}
	snprintf(pa.via, sizeof(pa.via), "webhook");
	if (cJSON_IsString(by) && by->valuestring[0] != '\0') {
		struct buf clean = { 0 };
		text_clean(&clean, by->valuestring, BY_MAX);
		snprintf(pa.by, sizeof(pa.by), "webhook:%.100s", clean.p);
		buf_free(&clean);
	} else {
		snprintf(pa.by, sizeof(pa.by), "webhook:%.100s", k->host);
	}
	if (answer_give(k->owner->dir, k->owner->id, &pa, &first) < 0)
		ask_warn("webhook (%s): answer not taken: %s", k->host, claw_error());
	cJSON_Delete(root);
}

static void on_posted(const struct http_reply *r, void *arg)
{
	struct hook *k = arg;

	k->rq = NULL;
	if (r->error != NULL || r->status < 200 || r->status > 299) {
		if (r->error != NULL)
			ask_warn("%s (%s): posting the approval failed: %s", kind_name(k->kind),
			         k->host, r->error);
		else
			ask_warn("%s (%s): posting the approval failed: HTTP %ld",
			         kind_name(k->kind), k->host, r->status);
		k->state = HOOK_FAILED;
		return;
	}
	k->state = HOOK_REACHED;
	if (k->kind == HOOK_WEBHOOK)
		take_decision(k, r);
}

static void on_told(const struct http_reply *r, void *arg)
{
	struct hook *k = arg;

	if (r->error != NULL)
		ask_warn("%s (%s): telling the outcome failed: %s", kind_name(k->kind), k->host,
		         r->error);
	else if (r->status < 200 || r->status > 299)
		ask_warn("%s (%s): telling the outcome failed: HTTP %ld", kind_name(k->kind),
		         k->host, r->status);
}

struct hooks *hooks_start(struct http *h, const char *dir, const char *id, const char *request_json,
                          const char *prompt, const char *prompt_short, const struct hook_target *t,
                          size_t n, long timeout_ms)
{
	struct hooks *ks = xcalloc(1, sizeof(*ks));
	struct buf j = { 0 };

	ks->h = h;
	ks->dir = xstrdup(dir);
	snprintf(ks->id, sizeof(ks->id), "%s", id);
	ks->list = xcalloc(n, sizeof(*ks->list));
	ks->n = n;
	for (size_t i = 0; i < n; i++) {
		struct hook *k = &ks->list[i];
		k->owner = ks;
		k->kind = t[i].kind;
		k->url = xstrdup(t[i].url);
		http_host(k->url, k->host, sizeof(k->host));
		buf_reset(&j);
		long limit = timeout_ms;
		if (k->kind == HOOK_WEBHOOK) {
			/* The whole wait: a webhook may hold the request until a person decides. */
			buf_puts(&j, "{\"event\":\"exec.approval.requested\",");
			buf_puts(&j, request_json + 1); /* the pending file's members follow */
		} else {
			chat_body(&j, k->kind, k->kind == HOOK_DISCORD ? prompt_short : prompt);
			limit = timeout_ms < CHAT_TIMEOUT_MS ? timeout_ms : CHAT_TIMEOUT_MS;
		}
		k->rq = http_post_json(h, k->url, j.p, limit, on_posted, k);
	}
	buf_free(&j);
	return ks;
}

size_t hooks_live(const struct hooks *ks)
{
	size_t live = 0;

	for (size_t i = 0; ks != NULL && i < ks->n; i++)
		live += ks->list[i].state != HOOK_FAILED;
	return live;
}

void hooks_finish(struct hooks *ks, enum ask_decision d, const char *via, const char *by,
                  const char *text)
{
	struct buf j = { 0 };

	if (ks == NULL)
		return;
	for (size_t i = 0; i < ks->n; i++) {
		struct hook *k = &ks->list[i];
		http_cancel(ks->h, k->rq);
		k->rq = NULL;
		if (k->state != HOOK_REACHED)
			continue;
		buf_reset(&j);
		if (k->kind == HOOK_WEBHOOK) {
			buf_puts(&j, "{\"event\":\"exec.approval.resolved\",\"id\":");
			buf_json_str(&j, ks->id);
			buf_puts(&j, ",\"decision\":");
			buf_json_str(&j, decision_word(d));
			buf_puts(&j, ",\"via\":");
			buf_json_str(&j, via);
			buf_puts(&j, ",\"by\":");
			buf_json_str(&j, by);
			buf_putc(&j, '}');
		} else {
			chat_body(&j, k->kind, text);
		}
		http_post_json(ks->h, k->url, j.p, ASK_TELL_MS, on_told, k);
	}
	buf_free(&j);
}

void hooks_free(struct hooks *ks)
{
	if (ks == NULL)
		return;
	for (size_t i = 0; i < ks->n; i++)
		free(ks->list[i].url);
	free(ks->list);
	free(ks->dir);
	free(ks);
}
