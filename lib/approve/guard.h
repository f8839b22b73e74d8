/*
 * guard.h: self-protection. An agent must never reach, read, change or
 * answer claw's own gate, so these are checked before the allow list,
 * whatever it says, and a hit needs a person each time (never a fallback,
 * never allow-always):
 *
 *   - a command that runs one of claw's programs, found by the identity of
 *     the file it resolves to (device and inode, or the same bytes), or any
 *     program named claw, claw-* or openclaw;
 *   - a word that leads to claw's state (core/clawstate.h), resolved the way
 *     the kernel will resolve it for the command: relative to its working
 *     directory (and to where an earlier `cd` may have moved it), through
 *     symlinks, `..`, /proc/self/cwd and /proc/self/root, and compared by
 *     identity: inside the state dir (by its real path), the config file or
 *     claw.json (by device and inode, so a hard link counts), a directory
 *     that holds the state dir when the program may walk it, one of claw's
 *     programs when it may be changed;
 *   - a word that may be written to where claw cannot resolve it;
 *   - a working directory inside the state dir;
 *   - `security.audit.suppressions` anywhere in the command (OpenClaw:
 *     security-audit-suppression);
 *   - a segment that is `/approve ...` is refused (OpenClaw: approve), and
 *     so is `openclaw channels login` (OpenClaw: channel-login).
 *
 * Which words are paths: those the program's model (model.h) says it
 * reads, writes or runs, when the model knows the whole command; otherwise
 * every word, and every value after a `=`, as a path that may be walked or
 * written. Searching for things named claw (`grep -rn claw .`) names no
 * state and passes.
 */
#ifndef CLAW_GUARD_H
#define CLAW_GUARD_H

#include <limits.h>
#include <stdbool.h>

#include "approve/model.h"
#include "core/clawstate.h"
#include "core/execpath.h"

struct config;

enum guard_verdict { GUARD_PASS, GUARD_ASK, GUARD_DENY };

struct guard_hit {
	enum guard_verdict verdict;
	const char *reason; /* OpenClaw's word: self-protection, security-audit-suppression, ... */
	char detail[160];   /* what was found, for people */
};

struct guard {
	char state[PATH_MAX]; /* the state directory, absolute and normalised */
	struct claw_state cs;
};

/* Sets up the guard for CFG's state, config and claw.json. */
void guard_init(struct guard *g, const struct config *cfg);

/*
 * The raw command text. PARSED: the analyser read it, so guard_words() sees
 * its words; otherwise the text itself is searched for claw's names too.
 */
void guard_command(const struct guard *g, const char *command, bool parsed, struct guard_hit *hit);

/*
 * One segment: ARGC words, the judged program at ARGV[EXEC] (wrappers
 * before it), and what its model says (M, may be NULL). CWDS (NCWD of them)
 * are the directories relative words may be resolved against: the working
 * directory and those a `cd` earlier in the command may have moved to.
 */
void guard_words(const struct guard *g, char *const *argv, int argc, int exec,
                 const struct model_report *m, const char *const *cwds, int ncwd,
                 struct guard_hit *hit);

/* A command word and the file it resolves to (F->found): claw's own programs. */
void guard_program(const struct guard *g, const char *word, const struct exec_file *f,
                   struct guard_hit *hit);

/* The working directory itself. */
void guard_cwd(const struct guard *g, const char *cwd, struct guard_hit *hit);

#endif
