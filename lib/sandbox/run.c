/*
 * run.c: one command, start to end, the same way on the host and in the
 * sandbox: a clean environment, a wall-clock timeout that kills the whole
 * tree, output captured (its tail kept for the record, up to OpenClaw's cap:
 * an error message comes last) and, for claw exec, passed through byte for
 * byte as it comes; and the exit, signal and time reported.
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

/*
 * One output stream of the command: its last bytes for the record, and, when
 * passed through, the bytes read but not yet written on (written only when
 * the reader can take them, so a stalled reader never stops the clock).
 */
struct capture {
	struct buf b;             /* the tail, up to 2 * RUN_OUTPUT_KEEP before a trim */
	unsigned long long total; /* bytes read in all */
	int fd;                   /* the command's end, or -1 once it is closed */
	int tee;                  /* where the stream passes through, or -1 */
	bool draining;            /* the command has exited: an empty pipe is its end */
	char *pend;               /* read, not yet passed on */
	size_t npend, pend_off;
};

/* Pass-through writes of at most a pipe's atomic size: after POLLOUT one never blocks. */
#define TEE_CHUNK ((size_t)4096)

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

static void capture_close(struct capture *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* The reader of the pass-through is gone (or failed): the command's stream goes too. */
static void tee_stop(struct capture *c, bool close_stream)
{
	c->tee = -1;
	c->npend = c->pend_off = 0;
	if (close_stream)
		capture_close(c); /* its next write gets SIGPIPE, as without claw */
}

/* Reads what is there; keeps only the last RUN_OUTPUT_KEEP bytes, in amortised constant time.
 * Returns whether it read anything (at the end, or once drained, the pipe is closed). */
static bool capture_read(struct capture *c)
{
	if (c->pend == NULL)
		c->pend = xmalloc(65536);
	ssize_t n = read(c->fd, c->pend, 65536);

	if (n < 0 && (errno == EINTR || (errno == EAGAIN && !c->draining)))
		return false;
	if (n <= 0) {
		capture_close(c);
		return false;
	}
	c->total += (unsigned long long)n;
	buf_put(&c->b, c->pend, (size_t)n);
	if (c->b.len > 2 * (size_t)RUN_OUTPUT_KEEP) {
		memmove(c->b.p, c->b.p + c->b.len - RUN_OUTPUT_KEEP, RUN_OUTPUT_KEEP);
		c->b.len = RUN_OUTPUT_KEEP;
	}
	if (c->tee >= 0) {
		c->npend = (size_t)n;
		c->pend_off = 0;
	}
	return true;
}

/* Passes on the next piece of what was read (the reader said it can take it). */
static void tee_write(struct capture *c)
{
	size_t n = c->npend - c->pend_off;
	ssize_t w = write(c->tee, c->pend + c->pend_off, n < TEE_CHUNK ? n : TEE_CHUNK);

	if (w < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (w < 0) {
		tee_stop(c, errno == EPIPE);
		return;
	}
	c->pend_off += (size_t)w;
	if (c->pend_off == c->npend)
		c->npend = c->pend_off = 0;
}

/* The kept tail as the record holds it: cut to RUN_OUTPUT_KEEP bytes, and when cut
 * inside a character, from the next one on. */
static char *capture_finish(struct capture *c, size_t *len, unsigned long long *total,
                            bool *truncated)
{
	const char *p = c->b.p ? c->b.p : "";
	size_t n = c->b.len, start = n > RUN_OUTPUT_KEEP ? n - RUN_OUTPUT_KEEP : 0;

	if (c->total > n - start) {
		size_t at = start;
		for (int i = 0; i < 3 && at < n && ((unsigned char)p[at] & 0xc0) == 0x80; i++)
			at++;
		if (at > start && utf8_text(p + at, n - at))
			start = at; /* text cut inside a character: from the next one on */
	}
	*truncated |= c->total > n - start;
	*total = c->total;
	*len = n - start;
	char *out = xmalloc(*len + 1);
	memcpy(out, p + start, *len);
	out[*len] = '\0';
	buf_free(&c->b);
	free(c->pend);
	c->pend = NULL;
	return out;
}

/* --- host runs --- */

/* Everything the command started, however it detached, comes back to us to be killed
 * (claw-sandbox(1) threat 15). */
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

/* Children the launcher had before the command started (claw run's stages): never the
 * command's. Their pids cannot be reused while they are our children. */
struct own_children {
	pid_t pid[64];
	size_t n;
};

static bool is_own(const struct own_children *own, pid_t pid)
{
	for (size_t i = 0; i < own->n; i++)
		if (own->pid[i] == pid)
			return true;
	return false;
}

/* Kills the command's descendants until none is left: each death hands its children to us. */
static void kill_descendants(const struct own_children *own)
{
	pid_t pids[256];
	size_t n, k;

	do {
		n = read_children(pids, NELEM(pids));
		k = 0;
		for (size_t i = 0; i < n; i++)
			if (!is_own(own, pids[i]))
				pids[k++] = pids[i];
		for (size_t i = 0; i < k; i++)
			kill(pids[i], SIGKILL);
		for (size_t i = 0; i < k; i++)
			waitpid(pids[i], NULL, 0);
	} while (k > 0);
}

static void host_child(const struct run_spec *s, const int fds[3], int report)
{
	char msg[512];

	/* A session of its own: no controlling terminal, and its process group is its own
	 * (claw-sandbox(1) threat 1). */
	setsid();
	for (int i = 0; i < 3; i++)
		if (fds[i] != i)
			dup2(fds[i], i);
	/* No descriptor of the launcher leaks in (claw-sandbox(1) threat 12). */
	if (report > 3)
		syscall(SYS_close_range, 3, report - 1, 0);
	syscall(SYS_close_range, report + 1, ~0U, 0);
	struct rlimit core = { 0, 0 };
	setrlimit(RLIMIT_CORE, &core);
	int code = 126, e = 0;
	if (s->hostview && hostview_enter(s->hostview, msg + 2, sizeof(msg) - 2) < 0) {
		code = 126; /* refused: claw's state cannot be hidden from it, so it does not run */
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
	bool exited; /* the run is over: reaped, or (sandboxed) init's report came */
	bool reaped;
	int status;
	struct capture out, err;
	struct own_children own;
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
 * and each of its writes after this would land in this run's output. Reads
 * until the pipe is empty (then closes it) or until a piece waits for the
 * pass-through's reader.
 */
static void drain(struct capture *c)
{
	if (c->fd >= 0 && !c->draining) {
		c->draining = true;
		fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	}
	while (c->fd >= 0 && c->npend == 0 && capture_read(c))
		;
}

static void reap(struct running *run)
{
	while (waitpid(run->pid, &run->status, 0) < 0 && errno == EINTR)
		;
	run->exited = run->reaped = true;
	/* On the host the tree is ours to end; in the sandbox the kernel ended it with init:
	 * every process of it has exited by the time init has, its descriptors closed. */
	if (run->s->sandbox == NULL)
		kill_descendants(&run->own);
}

static int start(struct running *run, const int fds[3])
{
	const struct run_spec *s = run->s;

	if (s->sandbox == NULL) {
		run->own.n = read_children(run->own.pid, NELEM(run->own.pid));
		return host_start(s, fds, &run->pid, &run->pidfd, &run->report);
	}
	if (native_start(s->sandbox, s->argv, s->envp, s->cwd, fds, &run->sandbox) < 0)
		return -1;
	run->pid = run->sandbox.pid;
	run->pidfd = run->sandbox.pidfd;
	run->report = run->sandbox.report_fd;
	return 0;
}

/* What the wait polls for a stream: its reader's room while bytes wait, else the stream. */
static void poll_capture(const struct capture *c, struct pollfd *p, nfds_t *n)
{
	if (c->npend > 0)
		p[(*n)++] = (struct pollfd){ .fd = c->tee, .events = POLLOUT };
	else if (c->fd >= 0)
		p[(*n)++] = (struct pollfd){ .fd = c->fd, .events = POLLIN };
}

static bool capture_busy(const struct capture *c)
{
	return c->fd >= 0 || c->npend > 0;
}

/* The clock ran out, or a signal came: kill it all; what waits to be passed on is dropped. */
static void stop_run(struct running *run, bool timed_out, struct run_result *r)
{
	if (!run->exited) {
		r->timed_out |= timed_out;
		kill_all(run);
	}
	tee_stop(&run->out, false);
	tee_stop(&run->err, false);
}

/* Waits for the command and its output, killing everything at the deadline. */
static void wait_loop(struct running *run, struct run_result *r, long deadline)
{
	while (!run->exited || capture_busy(&run->out) || capture_busy(&run->err)) {
		struct pollfd p[4];
		nfds_t n = 0;
		if (run->exited) { /* what is in the pipes now is all: no waiting for their end */
			drain(&run->out);
			drain(&run->err);
			if (!capture_busy(&run->out) && !capture_busy(&run->err))
				break;
		}
		if (!run->exited)
			p[n++] = (struct pollfd){ .fd = run->pidfd, .events = POLLIN };
		/* Sandboxed, init's report ends the run: its namespaces' teardown is not waited
		 * for. */
		if (!run->exited && run->s->sandbox)
			p[n++] = (struct pollfd){ .fd = run->report, .events = POLLIN };
		poll_capture(&run->out, p, &n);
		poll_capture(&run->err, p, &n);
		long left = deadline ? deadline - clock_mono_ms() : -1;
		int rc = poll(p, n, deadline ? (int)(left > 0 ? left : 0) : -1);
		if (rc < 0 && errno == EINTR && interrupted && !r->interrupted) {
			r->interrupted = interrupted;
			stop_run(run, false, r);
		}
		if (rc == 0 && deadline) {
			deadline = 0;
			stop_run(run, true, r);
		}
		for (nfds_t i = 0; rc > 0 && i < n; i++) {
			if (p[i].revents == 0)
				continue;
			if (p[i].fd == run->pidfd)
				reap(run);
			else if (p[i].fd == run->report)
				run->exited |= native_report(&run->sandbox);
			else if (p[i].events == POLLOUT)
				tee_write(p[i].fd == run->out.tee ? &run->out : &run->err);
			else
				capture_read(p[i].fd == run->out.fd ? &run->out : &run->err);
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
		rc =
		    native_finish(&run->sandbox, run->reaped ? &run->status : NULL, &status, &code);
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
	struct running run = { .s = s,
		               .out = { .fd = -1, .tee = s->pass_through ? 1 : -1 },
		               .err = { .fd = -1, .tee = s->pass_through ? 2 : -1 } };
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
		r->out = capture_finish(&run.out, &r->out_len, &r->out_total, &r->truncated);
		r->err = capture_finish(&run.err, &r->err_len, &r->err_total, &r->truncated);
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

/* "stdout":"text", or "stdout":"<base64>","stdoutEncoding":"base64" for other bytes. */
static void put_stream(struct buf *b, const char *name, const char *p, size_t n)
{
	buf_printf(b, ",\"%s\":", name);
	if (utf8_text(p, n)) {
		buf_json_strn(b, p, n);
		return;
	}
	buf_putc(b, '"');
	buf_base64(b, p, n);
	buf_printf(b, "\",\"%sEncoding\":\"base64\"", name);
}

void run_result_json(struct buf *b, const struct run_result *r)
{
	buf_reset(b);
	if (r->signal)
		buf_printf(b, "{\"exit\":null,\"signal\":\"%s\"", run_signal_name(r->signal));
	else
		buf_printf(b, "{\"exit\":%d,\"signal\":null", r->exit);
	buf_printf(b, ",\"timedOut\":%s,\"ms\":%ld", r->timed_out ? "true" : "false", r->ms);
	if (r->out != NULL) { /* captured; else the terminal had it */
		put_stream(b, "stdout", r->out, r->out_len);
		put_stream(b, "stderr", r->err ? r->err : "", r->err_len);
		buf_printf(b, ",\"stdoutBytes\":%llu,\"stderrBytes\":%llu", r->out_total,
		           r->err_total);
	}
	buf_printf(b, ",\"truncated\":%s", r->truncated ? "true" : "false");
	if (r->nmoved > 0) {
		buf_puts(b, ",\"quarantined\":[");
		for (size_t i = 0; i < r->nmoved; i++) {
			buf_puts(b, i ? ",{\"path\":" : "{\"path\":");
			buf_json_str(b, r->moved[i].path);
			buf_puts(b, r->moved[i].moved_to ? ",\"movedTo\":" : ",\"error\":");
			buf_json_str(b, r->moved[i].moved_to ? r->moved[i].moved_to
			                                     : r->moved[i].error);
			buf_putc(b, '}');
		}
		buf_putc(b, ']');
	}
	buf_putc(b, '}');
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
