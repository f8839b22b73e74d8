/* pending.h: pending approvals as files in <state>/approvals/, and the one claim that answers each.
 */
#ifndef CLAW_PENDING_H
#define CLAW_PENDING_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "ask/ask.h"

/*
 * The directory holds, for each approval ID being waited for:
 *   ID.json    the request (0600), written before anyone is asked;
 *   ID.answer  the answer, created under the claim lock only while ID.json
 *              exists and no answer does: so exactly one answer ever counts.
 * The waiting process removes both (under the lock) once it has read the
 * answer. Its own timeout is an answer like any other, claimed the same way,
 * so an answer that comes at the last moment either wins or is told it came
 * too late; it is never half applied.
 */

struct pending_answer {
	enum ask_decision decision;
	char via[16];
	char by[128];
};

/* Whether a string is an approval id: a UUID v4 (uuid4()) in lower-case hex. */
bool pending_valid_id(const char *s);

/* Writes ID.json (0600); the directory is created 0700 when missing. */
int pending_write(const char *dir, const char *id, const char *json, size_t len);

/*
 * Answers ID with A, if nobody has. Returns 1 when A is the answer, 0 when
 * another answer came first (*WINNER, when not NULL, is that answer), -1
 * with claw_error() when there is no such pending approval (never asked,
 * expired, its claw-approve gone) or the decision is not offered.
 */
int pending_claim(const char *dir, const char *id, const struct pending_answer *a,
                  struct pending_answer *winner);

/* 1 and *A when ID has an answer, 0 when not yet, -1 when it cannot be read. */
int pending_read_answer(const char *dir, const char *id, struct pending_answer *a);

/* The stored request of ID (cJSON tree to delete), or NULL when there is none. */
cJSON *pending_read(const char *dir, const char *id);

/* Removes ID.json and ID.answer, under the claim lock. */
void pending_remove(const char *dir, const char *id);

struct pending_entry {
	char id[37];
	cJSON *req;
};

/*
 * The pending approvals, oldest first. Those whose claw-approve has gone
 * (killed before it could clean up) are removed on the way.
 */
int pending_scan(const char *dir, struct pending_entry **out, size_t *n);
void pending_entries_free(struct pending_entry *e, size_t n);

/*
 * The id of the one pending approval that KEY names: the whole id, the slug
 * or a prefix of either. -1 with a message that says what to do when none or
 * several match.
 */
int pending_find(const char *dir, const char *key, char id[37]);

/*
 * A lock that one process at a time holds: DIR/NAME.lock (the terminal, a
 * bot's poller). Never waits. The fd stays open between tries and closes to
 * let go; the close is what other waiters see through inotify
 * (IN_CLOSE_WRITE), so they try again at once rather than on a timer.
 * Returns 1 when held, 0 when another process holds it, -1 (claw_error()).
 */
int pending_lock_try(const char *dir, const char *name, int *fd);

/* Milliseconds since the epoch, for the files. */
long long pending_now_ms(void);

#endif
