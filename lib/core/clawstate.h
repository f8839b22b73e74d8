/*
 * clawstate.h: what is claw's own, and so neither an agent's command nor
 * its tools may read, change or run behind a person's back. One list for
 * claw-approve's self-protection (approve/guard.h) and for the view host
 * runs get (sandbox/hostview.h):
 *
 *   - the state directory and everything in it: the config with its tokens,
 *     claw.json, the allow-list with its lock and backups, the pending
 *     approvals and their answer sockets, the decision log, and OpenClaw's
 *     own credentials and sessions; but not the agents' workspaces inside it
 *     (<state>/workspace is OpenClaw's default): those are the agents' files;
 *   - the config file and claw.json, wherever they are;
 *   - claw's programs (claw, claw-*), to run or to replace.
 */
#ifndef CLAW_CLAWSTATE_H
#define CLAW_CLAWSTATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

struct config;

/* A file that is claw's, wherever it is. */
struct claw_file {
	char path[PATH_MAX]; /* absolute, as claw opens it */
	char real[PATH_MAX]; /* its real path; when missing, its parent's real path and its name */
	const char *what;    /* for people: "claw's config file" */
	bool exists;
	struct stat st; /* of the file, when it exists */
};

#define CLAW_STATE_FILES 4
#define CLAW_PROGRAMS    8
#define CLAW_WORKSPACES  16

struct claw_state {
	char state[PATH_MAX];      /* the state directory, absolute and normalised */
	char state_real[PATH_MAX]; /* its real path; "" while it does not exist */
	struct stat state_st;
	struct claw_file files[CLAW_STATE_FILES]; /* config, claw.json, allow-list, decision log */
	size_t nfiles;
	/* real paths of the agents' workspaces inside the state dir */
	char workspaces[CLAW_WORKSPACES][PATH_MAX];
	size_t nworkspaces;
	struct claw_program {
		char path[PATH_MAX];
		struct stat st;
	} programs[CLAW_PROGRAMS]; /* claw and claw-* beside this program */
	size_t nprograms;
};

/*
 * Reads what is claw's from CFG: its state dir and config path, claw.json
 * (cfg->claw_path: --claw-config, $CLAW_CONFIG_PATH, else <state>/claw.json), the allow-list and
 * the decision log (by identity too: a hard link elsewhere is the same file), the agents'
 * workspaces, and the programs in the directory this program was run from. Cannot fail: what does
 * not exist is kept by name.
 */
void claw_state_load(struct claw_state *cs, const struct config *cfg);

/* Whether REAL (an absolute real path) lies inside the state dir, outside the workspaces. */
bool claw_state_holds(const struct claw_state *cs, const char *real);

/* Whether REAL is the state dir or a directory above it. */
bool claw_state_below(const struct claw_state *cs, const char *real);

/* The claw file ST is (device and inode), or NULL. */
const struct claw_file *claw_state_file(const struct claw_state *cs, const struct stat *st);

/* The claw program ST is (device and inode), or NULL. */
const struct claw_program *claw_state_program(const struct claw_state *cs, const struct stat *st);

#endif
