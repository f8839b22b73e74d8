/*
 * keep.h: what the trash keeps of a host run (approvals.exec.trash).
 *
 * The models say what each segment of a command deletes or overwrites
 * (model.h). Before an approved command runs on the host, claw-sandbox
 * moves what it will delete into the user's trash, and copies what it will
 * rewrite there (trash.h); this module decides, at approval time, what that
 * takes, and whether it is enough. It is enough only when claw can name
 * every file the command destroys before the command starts:
 *
 *   - the program is one whose losses the trash can take (keep_rows[] in
 *     keep.c: rm and its kin by a move, anything that rewrites a named file
 *     by a copy, git clean and git reset --hard by asking git first);
 *   - the path is known (no cd before it, a file system with a usable
 *     trash);
 *   - nothing that may run before it, or beside it in a pipeline, writes
 *     where it destroys (mv a x; rm -rf x would lose a), and everything
 *     that runs before it is understood (a program without a model may
 *     write anything anywhere).
 *
 * Anything else is "not recoverable", and claw-approve asks a person,
 * whatever the allow list says.
 */
#ifndef CLAW_KEEP_H
#define CLAW_KEEP_H

#include <limits.h>
#include <stdbool.h>

#include "approve/approve-types.h"

struct approve_result;
struct buf;

/*
 * Fills PLAN for the analysed command in RES. A segment whose losses cannot
 * all be kept is marked (need a person, why "not recoverable: ...") and
 * PLAN->unrecoverable says why.
 */
void keep_plan(struct approve_result *res, struct keep_plan *plan);
void keep_plan_free(struct keep_plan *plan);

/* The approval member's "trash": {"keep": [...], "unrecoverable": "..."}. */
void keep_plan_render(const struct approve_result *res, const struct keep_plan *plan,
                      struct buf *b);

/* The names of the ways, as the record spells them: "move", "copy", "git-clean", ... */
const char *keep_how_name(enum keep_how how);
bool keep_how_parse(const char *name, enum keep_how *how);

#endif
