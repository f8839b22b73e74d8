/*
 * hostkeep.h: a host run that loses nothing (approvals.exec.trash).
 *
 * claw-approve says in the approval member what a command will delete or
 * overwrite and how the trash keeps it (approve/keep.h): "trash":{"keep":
 * [{"how","path",...}]}. Before the command runs, claw-sandbox carries that
 * out, and after it, tidies up:
 *
 *   move         the file or tree goes into the trash (one rename) and an
 *                empty stand-in of the same kind takes its place, so the
 *                command does exactly what it would have done (rm without -f
 *                finds its file, prints what it prints, exits as it exits)
 *                and what it removes is the stand-in. A stand-in still there
 *                afterwards, untouched, means the command left the path
 *                alone: what the trash holds is put back.
 *   copy         a copy goes into the trash and the command rewrites the
 *                original; a file the command left unchanged (same inode,
 *                size, times) has its copy dropped again.
 *   git-clean    `git clean -n` with the command's own options, in its
 *                directory, lists what it will remove: each is moved.
 *   git-changes  the tracked files that differ from HEAD (git diff) are
 *                copied.
 *
 * If any of it cannot be done, all that was done is undone and the command
 * does not run: it was approved as recoverable.
 */
#ifndef CLAW_HOSTKEEP_H
#define CLAW_HOSTKEEP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "approve/keep.h"
#include "core/trash.h"

struct kept {
	struct trash_entry e;
	enum keep_how how;
	bool standin;    /* move: a stand-in was left at e.path */
	struct stat was; /* the stand-in, or (copy) the original, as claw left it */
	bool gone;       /* put back or dropped after the run: nothing was lost */
};

struct host_keep {
	struct kept *k;
	size_t n, cap;
};

/*
 * Carries out TRASH (the approval's "trash" member, or NULL: nothing to do)
 * for a run with environment ENVP. Returns 0, or -1 with claw_error() and
 * everything put back as it was.
 */
int hostkeep_before(const cJSON *trash, char *const *envp, struct host_keep *hk);

/* After the run: puts back what the command left alone, drops copies of
 * what it did not change, and measures the rest. */
void hostkeep_after(struct host_keep *hk);

/* ,"trashed":[{"path","how","bytes","files","trash","name"}] for the result member,
 * or nothing when nothing was kept. */
struct buf;
void hostkeep_render(const struct host_keep *hk, struct buf *b);

void hostkeep_free(struct host_keep *hk);

#endif
