/* telegram.h: approvals through the Telegram Bot API (sendMessage, getUpdates, buttons). */
#ifndef CLAW_TELEGRAM_H
#define CLAW_TELEGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "ask/ask-types.h"
#include "ask/http.h"
#include "core/strvec.h"

/* A bot: its token (never shown), its API, and who may answer through it. */
struct tg_bot {
	char *account;       /* the accountId it serves ("default") */
	char *token;         /* secret: goes into URLs only */
	char *api_root;      /* channels.telegram.apiRoot, default https://api.telegram.org */
	char host[128];      /* api_root's host, for messages */
	char key[17];        /* names its poll lock and offset file without revealing the token */
	struct strvec allow; /* channels.telegram.allowFrom: numeric user ids */
};

/* Whether SENDER (a Telegram user id, decimal) is in the bot's allowFrom. */
bool tg_allowed(const struct tg_bot *b, const char *sender);

/* Where a prompt goes: a chat (id or @channel) and optionally a forum topic. */
struct tg_target {
	const struct tg_bot *bot;
	const char *chat;
	const char *thread; /* message_thread_id, or NULL */
};

struct tg_ask;

/*
 * Sends PROMPT with Allow once / Allow always / Deny buttons to each target
 * and, while this process holds the bot's poll lock, reads the bot's updates.
 * Button presses and "/approve" messages from authorised senders in a chat
 * the request went to are claimed in DIR (for this approval or for any other
 * pending one: one process polls a bot, whoever asked). The waiting loop sees
 * the claim through inotify like any other answer.
 */
struct tg_ask *tg_ask_start(struct http *h, const char *dir, const char *id, const char *prompt,
                            bool offer_always, const struct tg_target *t, size_t n,
                            long timeout_ms);
/* Prompts delivered or still being sent, on bots that still work. */
size_t tg_ask_live(const struct tg_ask *a);
/* Called when something in DIR changed (a poll lock may be free) and on timers. */
void tg_ask_wake(struct tg_ask *a, long long now_ms);
/* When tg_ask_wake() next needs calling without any event (a retry), or -1. */
long long tg_ask_next_ms(const struct tg_ask *a);
/* Stops polling and replaces each prompt with OUTCOME (buttons removed). */
void tg_ask_finish(struct tg_ask *a, const char *outcome);
void tg_ask_free(struct tg_ask *a);

/* The pending file's record of where the prompt went: [{"bot":KEY,"chat":CHAT}, ...]. */
void tg_targets_json(struct buf *b, const struct tg_target *t, size_t n);

#endif
