/* tty.c: the approval prompt on the controlling terminal. */
#include "ask/tty.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ask/asktext.h"
#include "core/fsutil.h"
#include "core/opts.h"
#include "ask/pending.h"
#include "core/util.h"

struct tty {
	int fd, lock_fd;
	char *lockdir;
	char lockname[48];
	bool shown, color;
	int esc;      /* where we are in an escape sequence: 0 none, 1 after ESC, 2 inside */
	long shown_s; /* the seconds the countdown shows */
	const struct ask_request *rq;
	char id[37];
};

/*
 * What the signal handlers need: the terminal whose mode was changed, and
 * the modes. raw_fd is set only after both modes are stored, and cleared
 * before the terminal is closed.
 */
static volatile sig_atomic_t raw_fd = -1;
static struct termios saved_mode, prompt_mode;
static volatile sig_atomic_t continued;
static struct sigaction old_tstp;

void tty_emergency_restore(void)
{
	int fd = raw_fd;

	if (fd >= 0)
		tcsetattr(fd, TCSANOW, &saved_mode);
}

/*
 * Ctrl-Z: the shell gets its terminal back as it gave it, the process stops;
 * on `fg` the prompt's mode returns and the loop redraws the prompt.
 */
static void on_tstp(int sig)
{
	int saved_errno = errno;
	struct sigaction dfl = { .sa_handler = SIG_DFL }, me = { .sa_handler = on_tstp };
	sigset_t set;

	tty_emergency_restore();
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	raise(sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL); /* stops here until SIGCONT */
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigemptyset(&me.sa_mask);
	sigaction(SIGTSTP, &me, NULL);
	int fd = raw_fd;
	if (fd >= 0)
		tcsetattr(fd, TCSANOW, &prompt_mode);
	continued = 1;
	errno = saved_errno;
}

/* The controlling terminal's device number (/proc/self/stat, field 7), for the lock's name. */
static void terminal_name(char *out, size_t size)
{
	char *text = NULL, *p;
	size_t len;
	unsigned long nr = 0;

	if (read_file("/proc/self/stat", 4096, &text, &len) == 0 && (p = strrchr(text, ')')) &&
	    sscanf(p + 1, " %*c %*d %*d %*d %lu", &nr) == 1)
		snprintf(out, size, "tty-%lu", nr);
	else
		snprintf(out, size, "tty");
	free(text);
}

int tty_open(struct tty **out, const char *lockdir)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);

	*out = NULL;
	if (fd < 0)
		return claw_fail("no terminal to ask on (/dev/tty: %s)", strerror(errno));
	if (tcgetpgrp(fd) != getpgrp()) {
		close(fd);
		return claw_fail("not asking on the terminal: this process runs in the background");
	}
	struct tty *t = xcalloc(1, sizeof(*t));
	t->fd = fd;
	t->lock_fd = -1;
	t->lockdir = xstrdup(lockdir);
	t->color = opts_color(fd);
	terminal_name(t->lockname, sizeof(t->lockname));
	*out = t;
	return 0;
}

static void put(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		/* The fd does not block (reads must not): a full terminal (Ctrl-S) gets a second.
		 */
		if (w < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };
			if (poll(&pfd, 1, 1000) > 0)
				continue;
		}
		if (w <= 0)
			return; /* a terminal that has gone: nothing more to say on it */
		s += w;
		n -= (size_t)w;
	}
}

static void row(struct buf *b, const char *label, const char *value, size_t max)
{
	if (value == NULL || value[0] == '\0')
		return;
	buf_printf(b, "  %-8s ", label);
	text_clean(b, value, max);
	buf_putc(b, '\n');
}

static void countdown(struct tty *t, struct buf *b, long remaining_ms)
{
	long s = (remaining_ms + 999) / 1000;

	t->shown_s = s;
	/* Back to the start of the line and over what was there: no escape sequences needed. */
	buf_printf(b, "\r  expires in %lds  ", s < 0 ? 0 : s);
}

static void draw(struct tty *t, long remaining_ms)
{
	const struct ask_request *rq = t->rq;
	struct buf b = { 0 };

	buf_printf(&b, "\n%s%s: %s approval required%s [%.8s]\n", t->color ? "\033[1m" : "",
	           program_invocation_short_name, rq->tool ? "tool" : "exec",
	           t->color ? "\033[0m" : "", t->id);
	row(&b, "agent", rq->agent, 256);
	row(&b, "session", rq->session_key, 256);
	if (rq->tool != NULL)
		row(&b, "tool", rq->tool, 256);
	/* A tool's call in full: a message is read before it is sent. */
	row(&b, rq->tool ? "call" : "command", rq->command, rq->tool ? 0 : 4096);
	row(&b, "cwd", rq->cwd, 1024);
	row(&b, "host", rq->host, 256);
	for (size_t i = 0; i < rq->nsegments; i++) {
		const struct ask_segment *sg = &rq->segments[i];
		row(&b, rq->nsegments > 1 ? "segment" : "runs", sg->argv, 1024);
		if (sg->path != NULL && sg->path[0] != '\0') {
			buf_puts(&b, "           ");
			text_clean(&b, sg->path, 1024);
			buf_putc(&b, '\n');
		}
		if (sg->why != NULL && sg->why[0] != '\0') {
			buf_puts(&b, "           why: ");
			text_clean(&b, sg->why, 1024);
			buf_putc(&b, '\n');
		}
	}
	buf_printf(&b, "  [o] allow once  %s[d] deny  [Enter] %s%s\n",
	           !rq->offer_always ? ""
	           : rq->tool        ? "[a] allow for this session  "
	                             : "[a] allow always  ",
	           rq->fallback ? "fallback: " : "no answer", rq->fallback ? rq->fallback : "");
	countdown(t, &b, remaining_ms);
	put(t->fd, b.p, b.len);
	buf_free(&b);
}

int tty_begin(struct tty *t, const struct ask_request *rq, const char *id, long remaining_ms)
{
	struct sigaction me = { .sa_handler = on_tstp };
	int rc;

	if (t->shown)
		return 1;
	if ((rc = pending_lock_try(t->lockdir, t->lockname, &t->lock_fd)) != 1)
		return rc; /* 0: another prompt is up, and the lock's release wakes us */
	if (tcgetattr(t->fd, &saved_mode) < 0)
		return claw_fail("terminal: %s", strerror(errno));
	prompt_mode = saved_mode;
	prompt_mode.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	prompt_mode.c_cc[VMIN] = 1;
	prompt_mode.c_cc[VTIME] = 0;
	sigemptyset(&me.sa_mask);
	sigaction(SIGTSTP, &me, &old_tstp);
	raw_fd = t->fd;
	/* TCSAFLUSH drops typed-ahead input: a key pressed before the question is no answer. */
	if (tcsetattr(t->fd, TCSAFLUSH, &prompt_mode) < 0) {
		raw_fd = -1;
		sigaction(SIGTSTP, &old_tstp, NULL);
		return claw_fail("terminal: %s", strerror(errno));
	}
	t->rq = rq;
	snprintf(t->id, sizeof(t->id), "%s", id);
	t->shown = true;
	continued = 0;
	draw(t, remaining_ms);
	return 1;
}

int tty_fd(const struct tty *t)
{
	return t != NULL && t->shown ? t->fd : -1;
}

/* One byte of input: a decision, or nothing (keys that mean nothing, escape sequences). */
static int key(struct tty *t, unsigned char c, enum ask_decision *d)
{
	if (t->esc == 1) {
		t->esc = (c == '[' || c == 'O') ? 2 : 0; /* CSI and SS3 go on; Alt+key ends */
		return 0;
	}
	if (t->esc == 2) {
		/* Parameters until the final byte: the 'A' of an arrow key is not "allow always".
		 */
		if (c >= 0x40 && c <= 0x7e)
			t->esc = 0;
		return 0;
	}
	switch (c) {
	case 0x1b:
		t->esc = 1;
		return 0;
	case 'o':
	case 'O':
		*d = ASK_ALLOW_ONCE;
		return 1;
	case 'a':
	case 'A':
		if (!t->rq->offer_always)
			return 0;
		*d = ASK_ALLOW_ALWAYS;
		return 1;
	case 'd':
	case 'D':
		*d = ASK_DENY;
		return 1;
	case '\r':
	case '\n':
		*d = ASK_TIMEOUT;
		return 1;
	default:
		return 0;
	}
}

int tty_read(struct tty *t, enum ask_decision *d)
{
	unsigned char in[64];
	ssize_t n = read(t->fd, in, sizeof(in));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0)
		return -1;
	for (ssize_t i = 0; i < n; i++)
		if (key(t, in[i], d))
			return 1;
	return 0;
}

void tty_tick(struct tty *t, long remaining_ms)
{
	struct buf b = { 0 };

	if (!t->shown)
		return;
	if (continued) {
		continued = 0;
		draw(t, remaining_ms);
		return;
	}
	if ((remaining_ms + 999) / 1000 == t->shown_s)
		return; /* woken for something else within the same second */
	countdown(t, &b, remaining_ms);
	put(t->fd, b.p, b.len);
	buf_free(&b);
}

void tty_end(struct tty *t, const char *outcome)
{
	if (t == NULL)
		return;
	if (t->shown) {
		struct buf b = { 0 };
		buf_puts(&b, "\r  ");
		buf_puts(&b, outcome);
		buf_puts(&b, "                \n");
		put(t->fd, b.p, b.len);
		buf_free(&b);
		tcsetattr(t->fd, TCSANOW, &saved_mode);
		raw_fd = -1;
		sigaction(SIGTSTP, &old_tstp, NULL);
	}
	if (t->lock_fd >= 0)
		close(t->lock_fd); /* lets the next prompt on this terminal in */
	close(t->fd);
	free(t->lockdir);
	free(t);
}

void tty_who(char *out, size_t size)
{
	struct passwd *pw = getpwuid(getuid());

	if (pw != NULL && pw->pw_name != NULL)
		snprintf(out, size, "tty:%s", pw->pw_name);
	else
		snprintf(out, size, "tty:%u", (unsigned)getuid());
}
