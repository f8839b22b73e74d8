/*
 * run.c: one command, start to end, the same way on the host and in the
 * sandbox: a clean environment, a wall-clock timeout that kills the whole
 * tree, output captured up to OpenClaw's cap (the tail is kept: an error
 * message comes last), and the exit, signal and time reported.
 */
#include "sandbox/run.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"

/* Bytes kept while reading: enough for RUN_OUTPUT_CHARS of 4-byte characters. */
#define KEEP_BYTES (4 * (size_t)RUN_OUTPUT_CHARS)

struct capture {
	struct buf b;
	bool dropped;
	int fd;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

/* Reads what is there; keeps only the last KEEP_BYTES, in amortised constant time.
 * Returns whether it read anything (at the end, the pipe is closed). */
static bool capture_read(struct capture *c)
{
	char chunk[65536];
	ssize_t n = read(c->fd, chunk, sizeof(chunk));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return false;
	if (n <= 0) {
		close(c->fd);
		c->fd = -1;
		return false;
	}
	buf_put(&c->b, chunk, (size_t)n);
	if (c->b.len > 2 * KEEP_BYTES) {
		memmove(c->b.p, c->b.p + c->b.len - KEEP_BYTES, KEEP_BYTES);
		c->b.len = KEEP_BYTES;
		c->dropped = true;
	}
	return true;
}

/* Length of the valid UTF-8 sequence at P (at most N bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] < 0x80             ? 1
	             : (p[0] & 0xe0) == 0xc0 ? 2
	             : (p[0] & 0xf0) == 0xe0 ? 3
	             : (p[0] & 0xf8) == 0xf0 ? 4
	                                     : 0;
	if (len == 0 || len > n || (len == 2 && p[0] < 0xc2) || (len == 4 && p[0] > 0xf4))
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((len == 3 && p[0] == 0xe0 && p[1] < 0xa0) ||
	    (len == 3 && p[0] == 0xed && p[1] > 0x9f) ||
	    (len == 4 && p[0] == 0xf0 && p[1] < 0x90) || (len == 4 && p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	return len;
}

/* The capture as valid UTF-8 (bad bytes become U+FFFD), cut to its last RUN_OUTPUT_CHARS. */
static char *capture_finish(struct capture *c, bool *truncated)
{
	const unsigned char *p = (const unsigned char *)(c->b.p ? c->b.p : "");
	size_t n = c->b.len, start = n > KEEP_BYTES ? n - KEEP_BYTES : 0;
	struct buf out = { 0 };
	size_t chars = 0;

	if (start > 0 || c->dropped)
		while (start < n && (p[start] & 0xc0) == 0x80) /* begin on a character */
			start++;
	size_t *offsets = xcalloc(n - start + 1, sizeof(*offsets));
	for (size_t i = start; i < n;) {
		size_t len = utf8_len(p + i, n - i);
		offsets[chars++] = out.len;
		if (len == 0) {
			buf_put(&out, "\xef\xbf\xbd", 3);
			i++;
		} else {
			buf_put(&out, p + i, len);
			i += len;
		}
	}
	size_t skip = chars > RUN_OUTPUT_CHARS ? offsets[chars - RUN_OUTPUT_CHARS] : 0;
	*truncated |= c->dropped || start > 0 || skip > 0;
	free(offsets);
	char *s = xstrdup(out.p ? out.p + skip : "");
	buf_free(&out);
	buf_free(&c->b);
	return s;
}

/* --- host runs --- */

/* Everything the command started, however it detached, comes back to us to be killed (15). */
static void become_subreaper(void)
{
	static bool done;

	if (!done && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
		done = true;
}

static size_t read_children(pid_t *pids, size_t max)
{
	char path[64], text[4096];
	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;

	if (fd < 0)
		return 0;
	ssize_t len = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	text[len] = '\0';
	for (char *save = NULL, *t = strtok_r(text, " \n", &save); t && n < max;
	     t = strtok_r(NULL, " \n", &save))
		pids[n++] = (pid_t)atol(t);
	return n;
}

/* Kills the command's descendants until none is left: each death hands its children to us. */
static void kill_descendants(void)
{
	pid_t pids[256];
	size_t n;

	while ((n = read_children(pids, NELEM(pids))) > 0) {
		for (size_t i = 0; i < n; i++)
			kill(pids[i], SIGKILL);
		for (size_t i = 0; i < n; i++)
			waitpid(pids[i], NULL, 0);
	}
}

static void host_child(const struct run_spec *s, const int fds[3], int report)
{
	char msg[512];

	/* A session of its own: no controlling terminal, and its process group is its own (1). */
	setsid();
	for (int i = 0; i < 3; i++)
		if (fds[i] != i)
			dup2(fds[i], i);
	/* No descriptor of the launcher leaks in (12). */
	if (report > 3)
		syscall(SYS_close_range, 3, report - 1, 0);
	syscall(SYS_close_range, report + 1, ~0U, 0);
	struct rlimit core = { 0, 0 };
	setrlimit(RLIMIT_CORE, &core);
	int code = 126, e = 0;
	if (s->hostview && hostview_enter(s->hostview, msg + 2, sizeof(msg) - 2) < 0) {
		code = 125; /* claw's state cannot be hidden from it: it does not run */
	} else if (s->cwd && chdir(s->cwd) < 0) {
		e = errno;
		snprintf(msg + 2, sizeof(msg) - 2, "%s: %s%s", s->cwd, strerror(e),
		         hostview_hides(s->hostview, s->cwd)
		             ? " (claw's state directory is not in a host run's view)"
		             : "");
	} else {
		e = native_exec(s->argv, s->envp);
		code = e == ENOENT ? 127 : 126;
		snprintf(msg + 2, sizeof(msg) - 2, "%s: %s", s->argv[0],
		         e == ENOENT ? "not found" : strerror(e));
	}
	msg[0] = 'E';
	msg[1] = (char)code;
	if (write(report, msg, 2 + strlen(msg + 2)) < 0)
		_exit(code);
	_exit(code);
}

static int host_start(const struct run_spec *s, const int fds[3], pid_t *pid, int *pidfd,
                      int *report)
{
	int rep[2];

	become_subreaper();
	if (pipe2(rep, O_CLOEXEC) < 0)
		return claw_fail("pipe: %s", strerror(errno));
	long p = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, NULL, pidfd, NULL, NULL);
	if (p == 0)
		host_child(s, fds, rep[1]);
	close(rep[1]);
	if (p < 0) {
		close(rep[0]);
		return claw_fail("fork: %s", strerror(errno));
	}
	*pid = (pid_t)p;
	*report = rep[0];
	return 0;
}

static int host_finish(int report, int *code)
{
	char msg[512];
	ssize_t n = read(report, msg, sizeof(msg) - 1);

	close(report);
	*code = 0;
	if (n >= 2 && msg[0] == 'E') {
		msg[n] = '\0';
		*code = (unsigned char)msg[1];
		return claw_fail("%s", msg + 2);
	}
	return 0;
}

/* --- both --- */

struct running {
	const struct run_spec *s;
	struct native_child sandbox;
	pid_t pid;
	int pidfd, report;
	bool exited;
	int status;
	struct capture out, err;
};

static void kill_all(struct running *run)
{
	if (run->s->sandbox)
		native_kill(&run->sandbox);
	else
		kill(-run->pid, SIGKILL), kill(run->pid, SIGKILL);
}

/*
 * What is in the pipe now, without waiting for its end: the command's tree
 * is gone, but a process it handed the pipe to (over a socket of a shared
 * workspace, to another run) would hold it open for as long as it likes,
 * and each of its writes after this would land in this run's output.
 */
static void drain(struct capture *c)
{
	if (c->fd < 0)
		return;
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	while (capture_read(c))
		;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static void reap(struct running *run)
{
	while (waitpid(run->pid, &run->status, 0) < 0 && errno == EINTR)
		;
	run->exited = true;
	/* On the host the tree is ours to end; in the sandbox the kernel ended it with init:
	 * every process of it has exited by the time init has, its descriptors closed. */
	if (run->s->sandbox == NULL)
		kill_descendants();
	drain(&run->out);
	drain(&run->err);
}

static int start(struct running *run, const int fds[3])
{
	const struct run_spec *s = run->s;

	if (s->sandbox == NULL)
		return host_start(s, fds, &run->pid, &run->pidfd, &run->report);
	if (native_start(s->sandbox, s->argv, s->envp, s->cwd, fds, &run->sandbox) < 0)
		return -1;
	run->pid = run->sandbox.pid;
	run->pidfd = run->sandbox.pidfd;
	run->report = run->sandbox.report_fd;
	return 0;
}

/* Waits for the command and its output, killing everything at the deadline. */
static void wait_loop(struct running *run, struct run_result *r, long deadline)
{
	while (!run->exited || run->out.fd >= 0 || run->err.fd >= 0) {
		struct pollfd p[3];
		nfds_t n = 0;
		if (!run->exited)
			p[n++] = (struct pollfd){ .fd = run->pidfd, .events = POLLIN };
		if (run->out.fd >= 0)
			p[n++] = (struct pollfd){ .fd = run->out.fd, .events = POLLIN };
		if (run->err.fd >= 0)
			p[n++] = (struct pollfd){ .fd = run->err.fd, .events = POLLIN };
		long left = deadline ? deadline - clock_mono_ms() : -1;
		int rc = poll(p, n, deadline ? (int)(left > 0 ? left : 0) : -1);
		if (rc < 0 && errno == EINTR && interrupted && !r->interrupted) {
			r->interrupted = interrupted;
			kill_all(run);
		}
		if (rc == 0 && deadline) {
			r->timed_out = true;
			deadline = 0;
			kill_all(run);
		}
		for (nfds_t i = 0; rc > 0 && i < n; i++) {
			if (p[i].revents == 0)
				continue;
			if (p[i].fd == run->pidfd)
				reap(run); /* which drains and closes the pipes */
			else if (p[i].fd == run->out.fd)
				capture_read(&run->out);
			else if (p[i].fd == run->err.fd)
				capture_read(&run->err);
		}
	}
}

static void decode_status(int status, struct run_result *r)
{
	if (WIFSIGNALED(status)) {
		r->exit = -1;
		r->signal = WTERMSIG(status);
	} else {
		r->exit = WEXITSTATUS(status);
	}
}

static int finish(struct running *run, struct run_result *r)
{
	int status = run->status, code = 0, rc;

	if (run->s->sandbox) {
		r->limits = run->sandbox.limits;
		rc = native_finish(&run->sandbox, run->status, &status, &code);
		r->moved = run->sandbox.moved;
		r->nmoved = run->sandbox.nmoved;
	} else {
		close(run->pidfd);
		rc = host_finish(run->report, &code);
	}
	if (rc < 0 && !r->timed_out && !r->interrupted) {
		r->failed = code ? code : 125;
		return -1;
	}
	decode_status(status, r);
	return 0;
}

static void signals(bool install, struct sigaction old[3])
{
	static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], install ? &sa : &old[i], install ? &old[i] : NULL);
}

int run_command(const struct run_spec *s, struct run_result *r)
{
	struct running run = { .s = s, .out.fd = -1, .err.fd = -1 };
	int fds[3] = { 0, 1, 2 }, opipe[2] = { -1, -1 }, epipe[2] = { -1, -1 };
	struct sigaction old[3];

	memset(r, 0, sizeof(*r));
	if (s->capture) {
		fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fds[0] < 0 || pipe2(opipe, O_CLOEXEC) < 0 || pipe2(epipe, O_CLOEXEC) < 0) {
			r->failed = 125;
			return claw_fail("pipe: %s", strerror(errno));
		}
		fds[1] = opipe[1], fds[2] = epipe[1];
		run.out.fd = opipe[0], run.err.fd = epipe[0];
	}
	interrupted = 0;
	signals(true, old);
	long t0 = clock_mono_ms();
	int rc = start(&run, fds);
	if (s->capture) {
		close(fds[0]), close(opipe[1]), close(epipe[1]);
		if (rc < 0)
			close(opipe[0]), close(epipe[0]);
	}
	if (rc < 0) {
		signals(false, old);
		r->failed = s->sandbox && run.sandbox.refused ? 126 : 125;
		return -1;
	}
	wait_loop(&run, r, s->timeout > 0 ? t0 + (long)(s->timeout * 1000) : 0);
	r->ms = clock_mono_ms() - t0;
	signals(false, old);
	if (s->capture) {
		r->out = capture_finish(&run.out, &r->truncated);
		r->err = capture_finish(&run.err, &r->truncated);
	}
	return finish(&run, r);
}

void run_result_free(struct run_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
	native_moved_free(r->moved, r->nmoved);
	free(r->moved);
	r->moved = NULL;
	r->nmoved = 0;
}

int run_exit_status(const struct run_result *r)
{
	if (r->failed)
		return r->failed;
	if (r->timed_out)
		return 124;
	if (r->signal)
		return 128 + r->signal;
	return r->exit;
}

const char *run_signal_name(int sig)
{
	static char other[16];
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev == NULL) {
		snprintf(other, sizeof(other), "SIG%d", sig);
		return other;
	}
	snprintf(other, sizeof(other), "SIG%s", abbrev);
	return other;
}

void run_argv_json(struct buf *b, char *const *argv)
{
	buf_putc(b, '[');
	for (char *const *v = argv; *v; v++) {
		if (v != argv)
			buf_putc(b, ',');
		buf_json_str(b, *v);
	}
	buf_puts(b, "]\n");
}
