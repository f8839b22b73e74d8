/*
 * ptyrelay.c: the sandbox's own terminal (ptyrelay.h).
 *
 * Like ssh -t or script(1): the command's terminal is a pseudo-terminal the
 * launcher made, set up as the operator's is; a relay process copies bytes
 * between its master and the operator's terminal, which it puts in raw mode
 * for the run (so that ^C, ^Z and the rest reach the command's terminal as
 * keys) and back as it was at the end. The relay ends when the launcher
 * closes its control pipe (the sandbox is gone) or dies, so a process the
 * command handed its terminal to cannot hold the run: the master is closed
 * and that process reads end of file.
 */
#include "native/ptyrelay.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "core/util.h"

/* The relay's descriptors, moved out of the way of the launcher's before it closes the rest. */
enum { R_MASTER = 100, R_IN, R_OUT, R_CONTROL, R_SIGNALS, R_LAST = R_SIGNALS };

struct relay {
	bool input; /* keys are copied in: stdin is the operator's terminal, ours to read */
	bool raw;   /* ... and it was put in raw mode, to be put back */
	struct termios saved; /* its settings before */
	char pending[4096];   /* keys read, not yet taken by the sandbox's terminal */
	size_t npending;
};

/* What the command wrote, to the operator. Returns false once the pty has no slave left. */
static bool copy_out(void)
{
	char buf[16384];
	ssize_t n = read(R_MASTER, buf, sizeof(buf));

	if (n > 0)
		(void)write_all(R_OUT, buf, (size_t)n); /* the terminal gone: nothing to show */
	return n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR));
}

/* What is still buffered, without waiting for more. */
static void drain(void)
{
	char buf[16384];
	ssize_t n;

	while ((n = read(R_MASTER, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			(void)write_all(R_OUT, buf, (size_t)n);
}

/* Keys from the operator: read only when the last ones were taken (the pty may be full). */
static void copy_in(struct relay *r, short events)
{
	if ((events & POLLIN) && r->npending == 0) {
		ssize_t n = read(R_IN, r->pending, sizeof(r->pending));
		if (n > 0)
			r->npending = (size_t)n;
		else if (n == 0 || (errno != EAGAIN && errno != EINTR))
			r->input = false; /* the operator's terminal hung up */
	}
	if (r->npending > 0) {
		ssize_t w = write(R_MASTER, r->pending, r->npending);
		if (w > 0) {
			memmove(r->pending, r->pending + w, r->npending - (size_t)w);
			r->npending -= (size_t)w;
		}
	}
}

/* The operator resized the window: the sandbox's terminal follows (and signals its group). */
static void copy_size(int term)
{
	struct winsize ws;

	if (ioctl(term, TIOCGWINSZ, &ws) == 0)
		ioctl(R_MASTER, TIOCSWINSZ, &ws);
}

/* Raw: every key is a byte for the sandbox's terminal, whose own settings decide its meaning. */
static void enter_raw(struct relay *r)
{
	struct termios raw;

	if (tcgetattr(R_IN, &r->saved) < 0)
		return;
	raw = r->saved;
	raw.c_iflag &=
	    ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	raw.c_oflag &= ~(tcflag_t)OPOST;
	raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	r->raw = tcsetattr(R_IN, TCSADRAIN, &raw) == 0;
}

static void relay_loop(struct relay *r, int term)
{
	struct signalfd_siginfo si;

	for (;;) {
		struct pollfd p[4] = {
			{ R_MASTER, POLLIN | (r->npending ? POLLOUT : 0), 0 },
			{ R_CONTROL, POLLIN, 0 },
			{ R_SIGNALS, POLLIN, 0 },
			{ R_IN, POLLIN, 0 },
		};
		nfds_t n = r->input ? 4 : 3;
		if (poll(p, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if ((p[0].revents & (POLLIN | POLLHUP | POLLERR)) && !copy_out())
			return; /* no slave left: the sandbox has ended */
		if (p[1].revents)
			return; /* the launcher is done, or gone */
		if ((p[2].revents & POLLIN) && read(R_SIGNALS, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo != SIGWINCH)
				return; /* SIGTERM, SIGHUP */
			copy_size(term);
		}
		if (r->input &&
		    ((p[3].revents & (POLLIN | POLLHUP | POLLERR)) || (p[0].revents & POLLOUT)))
			copy_in(r, p[3].revents);
	}
}

/* The relay's descriptors at R_*: the rest of the launcher's closed. */
static int relay_fds(int master, int in, int out, int control)
{
	const int from[] = { master, in, out, control };
	sigset_t set;

	for (size_t i = 0; i < NELEM(from); i++)
		if (from[i] >= 0 && dup2(from[i], R_MASTER + (int)i) < 0)
			return -1;
	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    dup2(signalfd(-1, &set, SFD_CLOEXEC), R_SIGNALS) < 0)
		return -1;
	syscall(SYS_close_range, 3, R_MASTER - 1, 0);
	syscall(SYS_close_range, R_LAST + 1, ~0U, 0);
	return 0;
}

static void relay_main(int master, int in, int out, int control, uid_t uid, gid_t gid)
{
	struct relay r = { .input = in >= 0 };

	/* ^C from a terminal not in raw mode is the launcher's to act on; a terminal from the
	 * background is written to all the same. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	if (relay_fds(master, in, out, control) < 0)
		_exit(1);
	/* It only copies bytes: as root, it does that as the sandbox's user. */
	if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
	                       setresuid(uid, uid, uid) < 0))
		_exit(1);
	fcntl(R_MASTER, F_SETFL, fcntl(R_MASTER, F_GETFL) | O_NONBLOCK);
	if (r.input)
		enter_raw(&r);
	relay_loop(&r, r.input ? R_IN : R_OUT);
	/* What the command wrote before it ended, then the hang-up. */
	drain();
	close(R_MASTER);
	if (r.raw)
		tcsetattr(R_IN, TCSADRAIN, &r.saved);
	_exit(0);
}

/* The pty: its master, and its slave set up as the operator's terminal TERM is. */
static int open_pty(int term, uid_t uid, gid_t gid, int *master, int *slave)
{
	struct termios t;
	struct winsize ws;

	*slave = -1;
	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0 || unlockpt(*master) < 0 ||
	    (*slave = ioctl(*master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		int e = errno;
		if (*master >= 0)
			close(*master);
		return claw_fail("cannot make the sandbox's terminal (/dev/ptmx): %s", strerror(e));
	}
	if (tcgetattr(term, &t) == 0)
		tcsetattr(*slave, TCSANOW, &t);
	if (ioctl(term, TIOCGWINSZ, &ws) == 0)
		ioctl(*slave, TIOCSWINSZ, &ws);
	/* The user's terminal, as a login's is (programs that check its owner accept it). */
	if (geteuid() == 0 && fchown(*slave, uid, gid) < 0) {
		int e = errno;
		close(*master), close(*slave);
		return claw_fail("cannot give the sandbox's terminal to uid %u: %s", (unsigned)uid,
		                 strerror(e));
	}
	return 0;
}

int pty_relay_start(const int fds[3], uid_t uid, gid_t gid, int out[3], struct pty_relay *r)
{
	int term = -1, master, ctl[2];

	*r = (struct pty_relay){ 0, -1, -1, -1 };
	for (int i = 0; i < 3; i++) {
		out[i] = fds[i];
		if (isatty(fds[i]) && term < 0)
			term = fds[i], r->tty = i;
	}
	if (term < 0)
		return 0;
	if (open_pty(term, uid, gid, &master, &r->slave) < 0)
		return -1;
	if (pipe2(ctl, O_CLOEXEC) < 0) {
		close(master), close(r->slave);
		return claw_fail("pipe: %s", strerror(errno));
	}
	/* Output to the operator's terminal (stdout's, else stderr's, else stdin's); keys
	 * from stdin when it is that terminal and ours, the foreground's, to read. */
	int to = isatty(fds[1]) ? fds[1] : isatty(fds[2]) ? fds[2] : fds[0];
	int from = isatty(fds[0]) && tcgetpgrp(fds[0]) == getpgrp() ? fds[0] : -1;
	for (int i = 0; i < 3; i++)
		if (isatty(fds[i]))
			out[i] = r->slave;
	pid_t pid = fork();
	if (pid == 0) {
		close(ctl[1]);
		relay_main(master, from, to, ctl[0], uid, gid);
	}
	int e = errno;
	close(master);
	close(ctl[0]);
	if (pid < 0) {
		close(ctl[1]), close(r->slave);
		r->slave = -1;
		return claw_fail("fork: %s", strerror(e));
	}
	r->pid = pid;
	r->control = ctl[1];
	return 0;
}

void pty_relay_started(struct pty_relay *r)
{
	if (r->slave >= 0)
		close(r->slave);
	r->slave = -1;
}

void pty_relay_finish(struct pty_relay *r)
{
	pty_relay_started(r);
	if (r->control >= 0)
		close(r->control);
	r->control = -1;
	if (r->pid > 0)
		while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
			;
	r->pid = 0;
}
