/* asktext.h: the words and texts of an approval: decisions, /approve, prompts, outcomes. */
#ifndef CLAW_ASKTEXT_H
#define CLAW_ASKTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "ask/ask-types.h"
#include "core/util.h"

/*
 * OpenClaw's decision words, case-insensitive: allow-once (allow, once,
 * allowonce), allow-always (always, allowalways), deny (reject, block).
 * Returns 0 and sets *d, or -1 for any other word.
 */
int decision_parse(const char *word, enum ask_decision *d);
/* The canonical word: allow-once, allow-always, deny, timeout, unavailable, deferred. */
const char *decision_word(enum ask_decision d);
/* The inverse of decision_word(), for answer files. -1 for an unknown word. */
int decision_from_word(const char *word, enum ask_decision *d);

enum approve_cmd {
	APPROVE_NONE,  /* not an /approve command at all */
	APPROVE_USAGE, /* /approve, but not in a form it accepts */
	APPROVE_OK
};

/*
 * Parses a chat message as OpenClaw 2026.9.6 does: "/approve ID DECISION"
 * or "/approve DECISION ID", the slash optional, any case, aliases accepted;
 * when the first word is a decision it wins and the rest is the id, else the
 * second word must be one. "/approve@BOT" counts only when BOT is this bot
 * (BOT may be NULL: then never). On APPROVE_OK, ID (NUL-terminated, cut to
 * IDSIZE) and *d are set.
 */
enum approve_cmd approve_parse(const char *text, const char *bot, char *id, size_t idsize,
                               enum ask_decision *d);

/*
 * Appends S so that a person sees every character that is there: control
 * characters, C1 controls, bidirectional overrides and invisible characters
 * become visible escapes (\n, \x1b, \u202e), so that no command can redraw
 * a prompt or hide what it does. At most MAX bytes of S are shown (0: all),
 * cut at a character boundary, with a note of what was left out.
 */
void text_clean(struct buf *b, const char *s, size_t max);

/* A time left as OpenClaw shows it: "45s", "2m", "4m 59s", "1h 1m". */
void text_duration(struct buf *b, long seconds);
/* OpenClaw's chat prompt, one field a line, empty fields left out. */
void text_prompt(struct buf *b, const struct ask_request *rq, const char *id, long expires_s,
                 size_t max_command);
/* "Reply with: /approve ID allow-once|allow-always|deny" (without allow-always when not offered).
 */
void text_reply_with(struct buf *b, const char *id, bool offer_always);
/* The outcome, once decided: who resolved it, or that it expired (TOOL: NULL for exec). */
void text_outcome(struct buf *b, enum ask_decision d, const char *by, const char *id,
                  const char *tool);
/* Replies to an /approve message. */
void text_submitted(struct buf *b, enum ask_decision d, const char *id);
void text_failed(struct buf *b, const char *why);
void text_usage(struct buf *b);

/*
 * Replaces every occurrence of SECRET in the NUL-terminated string S (of at
 * most SIZE bytes) by "<redacted>". Messages that might quote a URL or a
 * server's answer pass through this before anyone sees them.
 */
void text_redact(char *s, size_t size, const char *secret);

/*
 * Secrets (bot tokens, webhook URLs) that no message may show. ask_warn()
 * prints "PROG: message" on stderr with every registered secret redacted: the
 * one way the asking code reports chat failures, so none can leak a token.
 */
void text_secret_add(const char *secret);
void text_secrets_clear(void);
void ask_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
