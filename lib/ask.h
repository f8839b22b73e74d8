/*
 * ask.h: asking a human. The one place where the decision waits for a person.
 *
 * claw-approve part 1 has no way to ask yet (the terminal, chat and
 * `claw-approve resolve` come with part 2, which replaces ask.c): every
 * question is answered ASK_UNAVAILABLE at once, so askFallback applies at
 * once, exactly as it will later when no terminal, chat target or resolver
 * is available. Nothing ever waits silently.
 */
#ifndef CLAW_ASK_H
#define CLAW_ASK_H

#include "approve.h"

enum ask_answer {
	ASK_UNAVAILABLE, /* nobody can be asked: askFallback decides */
	ASK_ALLOW_ONCE,
	ASK_ALLOW_ALWAYS, /* allow, and persist bound entries (security=allowlist only) */
	ASK_DENY,         /* user-denied */
};

struct ask_reply {
	const char *via; /* tty | chat | cli | webhook */
	const char *by;  /* who answered */
	char id[37];     /* the approval's id */
};

/*
 * Asks about REQ, decided so far as RES says (RES->asked is why). Returns
 * the answer and fills REPLY when one came.
 */
enum ask_answer ask_human(struct approve_ctx *ctx, const struct approve_request *req,
                          const struct approve_result *res, struct ask_reply *reply);

#endif
