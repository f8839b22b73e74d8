/* ptyrelay.h: the sandbox's own terminal, relayed to the operator's. */
#ifndef CLAW_PTYRELAY_H
#define CLAW_PTYRELAY_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * A command handed the operator's terminal could change it for good: echo
 * off, ^C undefined, a line discipline, TIOCEXCL, a window size (which
 * signals the host's foreground group), output stopped, typeahead flushed.
 * It gets a pseudo-terminal of its own instead, with the operator's settings
 * and window size, and a relay process copies between the two: keys in
 * (the operator's terminal raw meanwhile, so ^C and ^Z reach the sandbox's
 * terminal as bytes, and its line discipline signals the command), output
 * out, window size changes on SIGWINCH. Whatever the command does to its
 * terminal stays there; the operator's settings are put back when the relay
 * ends.
 */
struct pty_relay {
	pid_t pid;   /* the relay, or 0: no terminal among the command's streams */
	int control; /* the relay runs until this closes (or the launcher dies) */
	int slave;   /* the sandbox's end, until init has its copy */
	int tty;     /* which of the command's descriptors 0-2 is to be its controlling terminal */
};

/*
 * When any of FDS[0..2] is a terminal: a pty whose slave replaces each of
 * them in OUT (the others copied), and the relay started, running as
 * UID:GID when the launcher is root. Returns 0 (R->pid 0 when there was no
 * terminal), or -1 with claw_error().
 */
int pty_relay_start(const int fds[3], uid_t uid, gid_t gid, int out[3], struct pty_relay *r);

/* The launcher's copy of the slave closed, once init has its own. */
void pty_relay_started(struct pty_relay *r);

/*
 * After the sandbox has ended: the relay copies out what the command wrote
 * and is still buffered, hangs up the pty (a process the command handed it
 * to gets end of file), puts the operator's terminal back as it was, and
 * exits; this waits for it.
 */
void pty_relay_finish(struct pty_relay *r);

#endif
