/*
 * ask-types.h: a question to a person and its answer, as ask.c (which
 * drives the ways of asking) hands them to tty.c, telegram.c, webhook.c,
 * pending.c, answer.c and asktext.c. At the bottom, so none of them includes
 * ask.h.
 */
#ifndef CLAW_ASK_TYPES_H
#define CLAW_ASK_TYPES_H

#include <stdbool.h>
#include <stddef.h>

enum ask_decision {
	ASK_ALLOW_ONCE,
	ASK_ALLOW_ALWAYS,
	ASK_DENY,
	ASK_TIMEOUT,     /* nobody answered in time, or the person chose the fallback (Enter) */
	ASK_UNAVAILABLE, /* there was no way to ask, or every way failed */
	ASK_DEFERRED     /* nobody was asked: the caller's own prompt decides (--defer) */
};

/* One segment of the command as the analyser saw it. */
struct ask_segment {
	const char *argv; /* the segment as words, for display */
	const char *path; /* resolved executable, or NULL */
	const char *why;  /* why it was not allowed without asking */
};

struct ask_request {
	/*
	 * The tool asked about: NULL for exec, whose command line is COMMAND;
	 * else a tool named in approvals.tools, and COMMAND shows the whole
	 * call (its arguments, every character of a message's text).
	 */
	const char *tool;
	const char *agent, *session_key, *command, *cwd, *host, *security, *ask;
	const struct ask_segment *segments;
	size_t nsegments;
	bool offer_always;    /* false when ask=always: only allow-once and deny are offered */
	const char *fallback; /* what no answer means (askFallback), for the prompt; may be NULL */
	/*
	 * Where the request came from (the record's origin), for forwarding
	 * mode "session": channel ("telegram"), chat id, account and thread.
	 * All NULL for the local operator.
	 */
	const char *origin_channel, *origin_to, *origin_account, *origin_thread;
};

struct ask_result {
	enum ask_decision decision;
	char via[16]; /* tty | chat | webhook | cli, or "" when nobody answered */
	char by[128]; /* who answered: "tty:alice", "telegram:12345", "cli:alice", ... */
	long waited_ms;
	char id[37];    /* the approval id (UUID v4); "" when nobody could be asked */
	char note[160]; /* why there was no answer (ASK_TIMEOUT, ASK_UNAVAILABLE), for a reason */
	bool forged;    /* a file tried to answer (answer.h): reported, never read */
};

/* How long the ways that did not answer are told the outcome, at most (ask_human). */
#define ASK_TELL_MS 3000

#endif
