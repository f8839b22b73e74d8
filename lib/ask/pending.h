/* pending.h: pending approvals as files in <state>/approvals/. */
#ifndef CLAW_PENDING_H
#define CLAW_PENDING_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "ask/answer.h"

/*
 * The directory holds, for each approval ID being waited for:
 *   ID.json    the request (0600), written before anyone is asked, for
 *              `claw-approve pending`, resolve and the Telegram poller;
 *   ID.sock    where the waiting claw-approve takes answers (answer.h).
 * The waiting process removes both once it has its answer. An ID.answer
 * file is never read: answer.h says why.
 */

/* Whether a string is an approval id: a UUID v4 (uuid4()) in lower-case hex. */
bool pending_valid_id(const char *s);

/* Writes ID.json (0600); the directory is created 0700 when missing. */
int pending_write(const char *dir, const char *id, const char *json, size_t len);

/* Whether DIR holds a file ID.answer: a forged answer (answer.h, 6). */
bool pending_forged(const char *dir, const char *id);

/* The stored request of ID (cJSON tree to delete), or NULL when there is none. */
cJSON *pending_read(const char *dir, const char *id);

/* Removes ID.json, ID.sock and a forged ID.answer. */
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

#endif
