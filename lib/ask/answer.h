/*
 * answer.h: the one way an answer reaches the claw-approve that waits for it.
 *
 * The agent whose command waits for a person runs other commands and tools
 * at the same time, as the same user (two exec calls in flight are normal).
 * Whatever it can write or connect to, it can use to answer its own request.
 * So an answer is never a file, and each step below answers a threat:
 *
 *   1. The waiting claw-approve is the only judge of its request. It keeps
 *      the answer in memory; the first one it takes is the answer, later
 *      ones are told which came first, and its own time limit is decided the
 *      same way. [two answers at once; an answer half applied at the time
 *      limit]
 *   2. Answers from other processes (`claw-approve resolve`, the process
 *      that polls a Telegram bot for every waiting claw-approve) come only
 *      through a unix socket, ID.sock, in the approvals directory (0700).
 *      [a file that any tool of the agent could write, as ID.answer was]
 *   3. The waiter takes an answer only from a peer that runs as the same
 *      user (or root) and lives in the waiter's own user and mount
 *      namespaces. Commands claw runs on the host run in a private mount
 *      namespace (hostview.h), and sandboxed ones in namespaces of their
 *      own: none of them qualifies, even one that reached the socket through
 *      a path or a descriptor it found. [an agent's command answering]
 *   4. The peer is checked through a pidfd taken when it connected, so a
 *      process that takes the pid of one that has gone cannot pass for it.
 *      [pid reuse]
 *   5. The answering side checks the waiter the same way before it says
 *      anything. [a socket planted under a pending id's name, to learn or
 *      swallow answers]
 *   6. A file named ID.answer, as older claw versions wrote, is reported as
 *      forged and never read. [an old answer file, or one planted]
 */
#ifndef CLAW_ANSWER_H
#define CLAW_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include "ask/ask-types.h"

struct pending_answer {
	enum ask_decision decision;
	char via[16];
	char by[128];
};

/*
 * Starts waiting for the answer to ID (this process's own request): listens
 * on DIR/ID.sock. OFFER_ALWAYS false refuses allow-always (ask=always, a
 * guard hit). Returns the listening descriptor to poll, or -1 (claw_error()).
 * One request at a time per process.
 */
int answer_open(const char *dir, const char *id, bool offer_always);

/* Takes the answers waiting on the socket (call when its descriptor is readable). */
void answer_serve(void);

/* True and *A once this process's request has its answer. */
bool answer_taken(struct pending_answer *a);

/*
 * Ends the wait: tells peers still connecting who answered, closes and
 * removes the socket. Idempotent.
 */
void answer_close(void);

/*
 * Answers ID with A, if nobody has: in this process when ID is its own
 * request, else through ID's socket in DIR. Returns 1 when A is the answer,
 * 0 when another answer came first (*WINNER, when not NULL, is that answer),
 * -1 with claw_error() when there is no such request waiting, the decision
 * is not offered, or either side is not who it must be.
 */
int answer_give(const char *dir, const char *id, const struct pending_answer *a,
                struct pending_answer *winner);

/* Async-signal-safe: the socket's path, for a signal handler to remove ("" when none). */
const char *answer_sock_path(void);

#endif
