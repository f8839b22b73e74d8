/*
 * hostview.h: what a command claw runs on the host sees of claw.
 *
 * The command is the agent's, run as the user claw runs as, and claw's state
 * (core/clawstate.h) is files that user owns. claw-approve's self-protection
 * judges the words of a command; this is the wall behind it: the command
 * runs in a view of the file system in which claw's state is not there at
 * all. Each step, in the order hostview_enter() takes them, with the threat
 * it answers:
 *
 *   1. A mount namespace of the command's own; for an ordinary user inside a
 *      user namespace that maps only the user's own uid and gid, the one way
 *      an ordinary user can have one. [the covers below must not reach the
 *      host, where claw itself needs its state]
 *   2. Mounts propagate into it, never out of it. [same]
 *   3. Every directory above a covered path whose parent the user may write
 *      is made a mount point (a rename of a mount point fails). [renaming a
 *      directory above the state dir away, then putting a loose config where
 *      claw will look]
 *   4. The state dir is covered by an empty tmpfs, read-only in the end.
 *      [reading the config's tokens, rewriting the allow-list, answering an
 *      approval through its socket, editing the decision log]
 *   5. The agents' workspaces inside the state dir are bound back where they
 *      were. [OpenClaw's default workspace is <state>/workspace: host runs
 *      work there]
 *   6. The config file and claw.json outside the state dir are covered by an
 *      empty read-only file each. [the same, for files kept elsewhere]
 *   7. Landlock: a domain whose rule set grants every file access beneath /,
 *      so only one thing changes: the command may not reach into processes
 *      outside it (/proc/PID/root, cwd, fd and ns, ptrace). [another
 *      process's root, in which nothing is covered]
 *
 * What it costs the command: as an ordinary user, set-user-ID and file
 * capabilities give no privilege, and files of other users show as
 * nobody:nogroup; other processes' /proc/PID/{root,cwd,fd,environ} cannot be
 * read and they cannot be traced. Root keeps its powers, and with them the
 * means to take the covers down (umount): for root the view hides claw's
 * state from a command that looks, not from one that sets out to undo it.
 *
 * Where the kernel lacks what this needs, host runs are refused with the
 * reason (fail closed); hostview_probe() says so beforehand.
 */
#ifndef CLAW_HOSTVIEW_H
#define CLAW_HOSTVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/strvec.h"

struct config;

struct hostview {
	bool userns; /* an ordinary user: a user namespace first */
	uid_t uid;
	gid_t gid;
	char *state;              /* the state dir's real path (made 0700 when missing) */
	struct strvec workspaces; /* bound back inside it */
	struct strvec
	    files;          /* covered one by one: the config and claw.json outside the state dir */
	struct strvec pins; /* made mount points, outermost first */
};

/*
 * Works out the view from CFG, before any run (the parent's side). Returns 0,
 * or -1 with claw_error() when it cannot be made: a config file outside the
 * state dir that does not exist (a command could create it).
 */
int hostview_plan(struct hostview *v, const struct config *cfg);
void hostview_free(struct hostview *v);

/*
 * Enters the view: in the child, before exec. Returns 0, or -1 with what
 * failed in MSG (the run is then refused: nothing runs outside the view).
 * Allocates nothing.
 */
int hostview_enter(const struct hostview *v, char *msg, size_t size);

/* Whether PATH (as given, absolute) lies where the view hides: the state dir but its workspaces. */
bool hostview_hides(const struct hostview *v, const char *path);

/* Whether this kernel, for this user, can give host runs the view; WHY says what is missing. */
bool hostview_probe(char *why, size_t size);

#endif
