/*
 * analyse.h: from a command line to judged segments.
 *
 * Parses the command (shell.h), and for every simple command, inside
 * `sh -c` scripts too: peels transparent wrappers, resolves the program
 * (execpath.h), judges the program against the allow list, its argument
 * model (model.h) or, without one, the risk tables (risk.h), safe bins
 * (safebin.h) and safe builtins (wrappers.h), and last runs the
 * self-protection guard over every word with what the model found (guard.h).
 */
#ifndef CLAW_ANALYSE_H
#define CLAW_ANALYSE_H

#include "approve/approve-types.h"

struct analyse_in {
	const struct approve_ctx *ctx;
	const struct agent_policy *policy;
	const char *command;
	const char *path_env; /* the PATH the command will be run with */
};

/*
 * Fills RES's segments, guard hit, analysis_ok and analysis_error; RES->cwd
 * must be set. Matches are recorded in RES; the caller notes the hits in
 * the file with approve_note_uses().
 */
void analyse_command(const struct analyse_in *in, struct approve_result *res);

/* True when a segment has code on the command line under strictInlineEval:
 * a person must see it whatever security says (OpenClaw: strict-inline-eval). */
bool analyse_inline_eval(const struct approve_result *res);

/* True when every segment is satisfied and the analysis succeeded. */
bool analyse_satisfied(const struct approve_result *res);

/* Arguments after the program, joined by spaces: what argPattern sees. */
struct buf;
void analyse_join_args(char *const *argv, int argc, struct buf *out);

#endif
