/*
 * runs.h: the files a segment runs besides its program, for allow-always
 * bindings. An approval is for what was approved: when a file that runs
 * changes, the binding no longer applies, however the file is reached:
 *
 *   - the script: `sh x.sh`, `python3 -W ignore x.py` (model.h's
 *     MODEL_SCRIPT, and the analyser's own script operand);
 *   - the module `python3 -m NAME` runs, found as Python will find it: the
 *     working directory first, then a virtualenv's, the user's and the
 *     system's site directories; the package's __init__.py files with it;
 *   - the makefiles make reads: the one it picks, -f's, and each file they
 *     include, named literally (a computed name cannot be bound);
 *
 * and never, so the binding does not apply:
 *   - code read from standard input (`echo CMD | sh -s deploy.sh`, `python3 -`);
 *   - a segment after a `cd` (`cd other && sh deploy.sh`): its working
 *     directory, where relative names lead, is not known;
 *   - a file that does not exist, or a name made at run time.
 */
#ifndef CLAW_RUNS_H
#define CLAW_RUNS_H

#include <limits.h>

#include "approve/approve-types.h"
#include "core/hash.h"

#define RUNS_MAX 16

struct runs {
	int n;
	struct run {
		char path[PATH_MAX];
		char sha256[SHA256_HEX];
	} r[RUNS_MAX];
	const char *why; /* when they cannot be bound */
};

/*
 * The files segment S runs, with CWD its working directory. Returns 0, or
 * -1 with OUT->why when they cannot be bound (the binding must not apply).
 */
int runs_of(const struct seg_report *s, const char *cwd, struct runs *out);

/*
 * Whether allow-always entry E binds segment S run in CWD: the same argv,
 * working directory and program, and the same files run besides it, with
 * the same contents (the script, the module, the makefiles;
 * never code read from standard input; never after a cd).
 */
bool approve_binding_holds(const struct allow_entry *e, const struct seg_report *s,
                           const char *cwd);

#endif
