/* ask.h: asking a person whether a command may run (terminal, chat, webhook, resolve). */
#ifndef CLAW_ASK_H
#define CLAW_ASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ask/ask-types.h"
#include "core/config.h"

/* approvals.exec.*, channels.telegram.*, the time limit and the asking options. */
struct ask_settings;

/* The filter's asking options (claw-approve(1)). */
struct ask_opts {
	bool no_tty; /* --no-tty: not at the terminal */
	bool wait;   /* --wait: put up for resolve even with no other way to ask */
	/*
	 * --defer: ask nobody; a request that needs a person is answered
	 * ASK_DEFERRED at once, and the caller (an agent runtime with a prompt
	 * of its own, Claude Code's) asks.
	 */
	bool defer;
	/*
	 * --ask-fd N: the caller asks (OpenClaw's plugin approvals) and answers
	 * through resolve. Each request is put up as with --wait and announced
	 * on fd N as one line of JSON, the pending file's members; the terminal
	 * and the chat targets are not used. -1: off.
	 */
	int announce_fd;
	long
	    timeout_ms; /* --timeout: at most this long (ms), below the config's; 0: the config's */
};

/*
 * Reads the settings from CFG once, before the record loop. A wrong type or
 * value is a config error (-1, claw_error() as FILE:LINE:COL). Settings that
 * are valid but useless (a Telegram target without a bot token, an empty
 * allowFrom) are warned about on stderr here, once.
 */
int ask_settings_load(struct ask_settings **out, const struct config *cfg,
                      const struct ask_opts *opts);
void ask_settings_free(struct ask_settings *s);
/* approvals.exec.timeoutSeconds in milliseconds. */
long ask_timeout_ms(const struct ask_settings *s);

/*
 * Asks every way that is available at once: the terminal, chat targets,
 * webhooks, and the socket `claw-approve resolve` answers through (answer.h). The
 * first answer wins; the other ways are told. Returns ASK_UNAVAILABLE at
 * once when there is no way to ask (no terminal, no usable chat target, no
 * --wait), and when every way has failed. Waits for an answer at most
 * approvals.exec.timeoutSeconds, then at most ASK_TELL_MS to tell the chat
 * targets the outcome. Failures of a chat target are reported on stderr and
 * the others carry on. Returns 0, or -1 (claw_error()) when the state dir
 * cannot hold the pending file; the caller then applies askFallback.
 */
int ask_human(const struct ask_settings *s, const struct ask_request *rq, struct ask_result *res);

/*
 * The signal (SIGINT, SIGTERM, SIGHUP) that stopped a wait for an answer, or
 * 0. It denied that request (via "signal", by "SIGINT") and denies every later
 * one at once, without asking; the caller passes them on and then dies of it.
 */
int ask_interrupted(void);

/* Lists the pending approvals in <state>/approvals/ (JSON Lines with JSON). */
int ask_pending_list(const struct config *cfg, bool json, FILE *out);

/*
 * Answers one pending approval, named by its id, its slug or a unique
 * prefix, with OpenClaw's decision words and aliases. BY says who answered
 * ("cli:alice", "openclaw"). -1 with claw_error() for an unknown or ambiguous id, an
 * unknown word, a decision the request does not offer, or an approval that
 * was already answered. ID_OUT, when not NULL, receives the full id.
 */
int ask_resolve(const struct config *cfg, const char *id_slug_or_prefix, const char *decision_word,
                const char *by, char id_out[37]);

const char *ask_decision_name(enum ask_decision d);

#endif
