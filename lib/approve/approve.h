/*
 * approve.h: may this command run on the host? The decision of claw-approve.
 *
 * The order is fixed and each step can only make the answer stricter:
 *   1. sandboxed sessions: approvals do not apply (unless applyInSandbox);
 *   2. elevated requests: the tools.elevated gates;
 *   3. self-protection (guard.h), before the allow list, whatever it says;
 *   4. security=deny refuses;
 *   5. ask=always asks; security=full runs;
 *   6. with approvals.exec.trash, a host run whose losses the trash cannot
 *      keep (keep.h) asks, whatever security and the allow list say;
 *   7. security=allowlist: every segment of every chain and pipeline must be
 *      satisfied (allow list, safe bin, safe builtin), or a human is asked
 *      (ask=on-miss) or it is refused (ask=off);
 *   8. asking goes through ask.h; when nobody can be asked, askFallback
 *      applies at once, never looser than security.
 */
#ifndef CLAW_APPROVE_H
#define CLAW_APPROVE_H

#include "approve/approve-types.h"

/* The security tools.exec.mode MODE sets ("deny", "allowlist", "full"), or NULL when
 * MODE is none of OpenClaw's shorthands (claw-audit check asks). */
const char *approve_mode_security(const char *mode);

/*
 * Reads the settings claw-approve needs from CFG and opens the approvals
 * file. Returns 0, or -1 with claw_error() (a config error, or an approvals
 * file claw refuses).
 */
int approve_init(struct approve_ctx *ctx, const struct config *cfg);
void approve_free(struct approve_ctx *ctx);

/*
 * For a long-running filter: keeps resolutions between decisions and looks
 * at the approvals file again only when inotify reports a change (see
 * exec_cache_enable()). Without inotify, everything is looked up each time.
 * May be called after decisions were made: the next refresh looks anyway.
 */
void approve_watch(struct approve_ctx *ctx);

/*
 * Reloads the approvals file when it changed on disk. A file that has become
 * unreadable is refused: until it is fixed, every decision that needs it is
 * a denial naming it. Returns 0, or -1 when the file is refused now.
 * cJSON trees are built here: a filter calls it outside its record arena.
 */
int approve_refresh(struct approve_ctx *ctx);

/* Decides REQ. RES is reusable across calls. Returns 0, or -1 for a request
 * that is not valid (an unknown args.security, say), with claw_error(). */
int approve_decide(struct approve_ctx *ctx, const struct approve_request *req,
                   struct approve_result *res);
void approve_result_free(struct approve_result *res);

/* The approval member for RES, as JSON. */
struct buf;
void approve_render(const struct approve_result *res, struct buf *out);

/*
 * Notes the allow-list entries an allowed RES matched, for lastUsedAt,
 * lastUsedCommand (COMMAND) and lastResolvedPath. Nothing is written yet.
 */
void approve_note_uses(struct approve_ctx *ctx, const struct approve_result *res,
                       const char *command);

/*
 * Writes the recorded hits to the approvals file (lastUsedAt, ...), all in
 * one update under the lock. Returns 0, or -1 with claw_error().
 */
int approve_flush_uses(struct approve_ctx *ctx);

/*
 * Allow-always: adds an entry bound to the argv, cwd and sha256 of each
 * segment of RES that can be persisted (never a shell, a wrapper that
 * needs a human, a self-protection hit, or a segment whose runs cannot be
 * bound) to AGENT_KEY's list. Returns the number of entries added, or -1
 * with claw_error().
 */
int approve_persist(struct approve_ctx *ctx, const struct approve_result *res,
                    const char *agent_key);

#endif
