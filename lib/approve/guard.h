/*
 * guard.h: self-protection. An agent must never approve itself or loosen its
 * own guard, so these are checked before the allow list, whatever it says:
 *
 *   - a command that runs claw (`claw`, `claw-*`) or OpenClaw's CLI, under
 *     any name that resolves to one, needs a human;
 *   - a command that names claw's state (openclaw.json, exec-approvals.json,
 *     approvals/, audit/, the state directory, the config file) needs a human;
 *   - `security.audit.suppressions` anywhere in the command needs a human
 *     (OpenClaw: security-audit-suppression);
 *   - a segment that is `/approve ...` is refused (OpenClaw: approve), and
 *     so is `openclaw channels login` (OpenClaw: channel-login).
 */
#ifndef CLAW_GUARD_H
#define CLAW_GUARD_H

#include <limits.h>
#include <stdbool.h>

enum guard_verdict { GUARD_PASS, GUARD_ASK, GUARD_DENY };

struct guard_hit {
	enum guard_verdict verdict;
	const char *reason; /* OpenClaw's word: self-protection, security-audit-suppression, ... */
	char detail[160];   /* what was found, for people */
};

struct guard {
	char state[PATH_MAX];      /* the state directory, absolute and normalised */
	char state_real[PATH_MAX]; /* its real path ("" when it does not exist) */
	char config[PATH_MAX];     /* the config file */
	char config_real[PATH_MAX];
};

/* Sets up the guard for STATE_DIR and CONFIG_PATH. */
void guard_init(struct guard *g, const char *state_dir, const char *config_path);

/*
 * The raw command text. PARSED: the analyser read it, so guard_words() sees
 * its words; otherwise the text itself is searched for claw's names too.
 */
void guard_command(const struct guard *g, const char *command, bool parsed, struct guard_hit *hit);

/*
 * One segment's words. CWDS (NCWD of them) are the directories relative words
 * may be resolved against: the working directory and those a `cd` earlier in
 * the command may have moved to.
 */
void guard_words(const struct guard *g, char *const *argv, int argc, const char *const *cwds,
                 int ncwd, struct guard_hit *hit);

/* A command word, its resolved path and real path: claw's own programs. */
void guard_program(const char *word, const char *path, const char *real, struct guard_hit *hit);

/* The working directory itself. */
void guard_cwd(const struct guard *g, const char *cwd, struct guard_hit *hit);

#endif
