/* tty.h: the approval prompt on the controlling terminal (/dev/tty, never stdin). */
#ifndef CLAW_TTY_H
#define CLAW_TTY_H

#include <stdbool.h>

#include "ask/ask-types.h"

struct tty;

/*
 * Opens the controlling terminal for a prompt. -1 (claw_error() says why)
 * when there is none, or when this process is not in its foreground (a
 * background job would be stopped by the first read). LOCKDIR holds the lock
 * that keeps two prompts off one terminal at the same time.
 */
int tty_open(struct tty **out, const char *lockdir);

/*
 * Shows the prompt once the terminal is free: 1 when shown; 0 when another
 * claw-approve is asking on it (call again when a lock in LOCKDIR is let
 * go); -1 (claw_error()) when the terminal cannot be used. Typed-ahead keys are discarded: only
 * keys pressed after the prompt appeared count. Sets the terminal to read single keys without echo;
 * every way out (tty_end, the signals ask.c catches, SIGTSTP) puts it back as it was.
 */
int tty_begin(struct tty *t, const struct ask_request *rq, const char *id, long remaining_ms);

/* The fd to poll for keys, -1 until the prompt is shown. */
int tty_fd(const struct tty *t);

/*
 * Reads what was typed. Returns 1 and *D for a decision key (o, a when
 * offered, d; Enter means the fallback: ASK_TIMEOUT), 0 when nothing decided,
 * -1 when the terminal has gone (hang-up).
 */
int tty_read(struct tty *t, enum ask_decision *d);

/* Redraws the line that shows the time left (after SIGCONT, the whole prompt). */
void tty_tick(struct tty *t, long remaining_ms);

/* Prints OUTCOME under the prompt, restores the terminal, lets the lock go, closes. */
void tty_end(struct tty *t, const char *outcome);

/* Async-signal-safe: the terminal back as it was, from a signal handler. */
void tty_emergency_restore(void);

/* The user at the terminal, for "by": "tty:alice". */
void tty_who(char *out, size_t size);

#endif
