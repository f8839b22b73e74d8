/*
 * claw-serve: claw run as a service.
 *
 * Requests (JSON Lines, each with a string id) come in on standard input;
 * each is handed to a worker of its own, a `claw run` (or, with --decide,
 * a `claw-hook decide`) that holds one request at a time, so a request that
 * waits for a person never delays another. Responses are written as their
 * workers finish them, in whatever order that is, each the worker's record
 * for the request, which carries the request's id.
 *
 * The config is watched: when one of its files changes, or on SIGHUP, it is
 * read again; when it reads, idle workers are retired and the next request
 * gets a worker that reads it afresh; when it does not, that is said once on
 * standard error and the workers that read the old one serve on (no new
 * worker is started on a config that does not read). The allow-list needs
 * no reload: claw-approve reads it again when it changes.
 *
 * Nothing here decides anything: a worker's record is the response. A worker
 * that ends before it answers is a refusal of its request.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/alloc.h"
#include "core/config.h"
#include "core/opts.h"
#include "core/stagepipe.h"
#include "core/util.h"

static const char usage[] =
    "usage: claw-serve [--decide [--ask-fd N]] [--workers N] [--config FILE] [--claw-config FILE]\n"
    "                  [--state-dir DIR] [--max-record BYTES] < requests.jsonl\n"
    "\n"
    "claw run as a service: each request (a JSON object with a string \"id\") goes\n"
    "to a worker of its own, so one that waits for a person never delays another;\n"
    "responses come as they are ready, each carrying its request's id. A change to\n"
    "the config's files, or SIGHUP, reloads it for the next request; a config that\n"
    "no longer reads is reported once and the one loaded before is kept.\n";

static const char usage_tail[] =
    "Exit status: 0; 1 some lines were not requests; 2 usage or config error.\n"
    "See claw-serve(1).\n";

enum {
	OPT_DECIDE = OPT_FIRST_COMMAND_OPTION,
	OPT_WORKERS,
	OPT_ASK_FD,
};

static const struct opt_row options[] = {
	OPT_FLAG("decide", OPT_DECIDE,
	         "decide and log only (claw-hook decide's verdict), run nothing"),
	OPT_VALUE("ask-fd", OPT_ASK_FD, "N",
	          "with --decide: the caller asks the person and answers with\n"
	          "claw-approve resolve; each question is a line of JSON on fd N,\n"
	          "{\"request\": the request's id, \"pending\": the question}"),
	OPT_VALUE("workers", OPT_WORKERS, "N",
	          "requests in flight at once (default 16); more wait their turn"),
	OPT_VALUE("max-record", OPT_MAX_RECORD, "BYTES",
	          "the longest request line (default 16 MiB)"),
	OPT_HEADING("Common options:"),
	OPT_ROWS_COMMON,
	OPT_END,
};

static const struct opts_spec spec = { usage, NULL, options, usage_tail };

#define WORKERS_DEFAULT 16
#define WORKERS_MAX     256
#define IDLE_KEPT       4
#define LINE_DEFAULT    ((size_t)16 * 1024 * 1024)
#define READ_CHUNK      65536
#define WATCH_MAX       8

struct job {
	struct job *next;
	char *line; /* the request as it came, without its newline */
	char *id;
};

struct worker {
	struct worker *next;
	pid_t pid;
	int in, out; /* its standard input (ours to write, non-blocking) and output */
	int ask;     /* --ask-fd: its questions (its fd 3), or -1 */
	unsigned gen;
	bool closing; /* its input is closed: it ends once it has answered */
	bool broken;  /* it answered what it was not asked: ended, and not listened to */
	struct job *job;
	struct buf wbuf; /* what is still to be written to it */
	size_t woff;
	struct buf rbuf; /* its output that is not a whole line yet */
	struct buf abuf; /* its question that is not a whole line yet */
};

struct stamp {
	char path[4096];
	bool exists;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

struct serve {
	struct common_opts co;
	bool decide;
	int ask_fd; /* --ask-fd, or -1 */
	size_t workers_max, line_max;
	char *worker_path; /* claw, or claw-hook for --decide */
	/* The config's state: what was loaded last, and whether the files now read. */
	unsigned gen;
	bool config_bad;
	struct stamp seen[WATCH_MAX];
	size_t nseen;
	/* Requests and workers */
	struct job *queue, **queue_tail;
	struct worker *workers;
	size_t busy; /* workers with a request */
	/* Input */
	struct buf in;
	bool in_open, skipping;
	unsigned long lineno;
	int status;
	int stop; /* the signal that stops it, or -1 when the reader has gone */
	int sfd;
	sigset_t old_mask;
};

/* ---- the config and its files ---- */

static void stamp_of(struct stamp *s, const char *path)
{
	struct stat st;

	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s", path);
	if (stat(path, &st) == 0) {
		s->exists = true;
		s->dev = st.st_dev;
		s->ino = st.st_ino;
		s->size = st.st_size;
		s->mtime = st.st_mtim;
	}
}

static bool stamp_same(const struct stamp *a, const struct stamp *b)
{
	return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* The files CFG came from, or would come from: openclaw.json and claw.json, found or not. */
static void stamps_take(struct serve *sv, const struct config *cfg)
{
	const char *const *files;
	size_t n = cfg_files(cfg, &files);

	sv->nseen = 0;
	stamp_of(&sv->seen[sv->nseen++], cfg->path);
	stamp_of(&sv->seen[sv->nseen++], cfg->claw_path);
	for (size_t i = 0; i < n && sv->nseen < WATCH_MAX; i++)
		if (strcmp(files[i], cfg->path) != 0 && strcmp(files[i], cfg->claw_path) != 0)
			stamp_of(&sv->seen[sv->nseen++], files[i]);
}

static bool stamps_changed(const struct serve *sv)
{
	for (size_t i = 0; i < sv->nseen; i++) {
		struct stamp now;
		stamp_of(&now, sv->seen[i].path);
		if (!stamp_same(&now, &sv->seen[i]))
			return true;
	}
	return false;
}

/*
 * Reads the config again; 0 when it reads. The files are stamped before they
 * are read, so that a change made while they are read is seen next time; a
 * config that does not read keeps those stamps: it is said once, and read
 * again once it changes.
 */
static int config_check(struct serve *sv)
{
	struct config cfg;
	struct stamp before[WATCH_MAX];
	size_t nbefore = sv->nseen;

	for (size_t i = 0; i < nbefore; i++)
		stamp_of(&before[i], sv->seen[i].path);
	if (config_load(&cfg, &sv->co) < 0) {
		config_free(&cfg); /* what was read before the error; claw_error() stays */
		memcpy(sv->seen, before, nbefore * sizeof(before[0]));
		return -1;
	}
	stamps_take(sv, &cfg);
	for (size_t i = 0; i < sv->nseen; i++)
		for (size_t k = 0; k < nbefore; k++)
			if (strcmp(sv->seen[i].path, before[k].path) == 0)
				sv->seen[i] = before[k];
	config_free(&cfg);
	return 0;
}

/* The workers that read the old config are retired as they come free. */
static void retire_idle(struct serve *sv);

/* FORCED (SIGHUP): read it again even when its files look the same. */
static void reload(struct serve *sv, bool forced)
{
	if (!forced && !stamps_changed(sv))
		return;
	if (config_check(sv) < 0) {
		warnx("%s: the config loaded before is kept until this is fixed", claw_error());
		sv->config_bad = true;
		return;
	}
	sv->gen++;
	sv->config_bad = false;
	warnx("config reloaded: the next requests read it afresh");
	retire_idle(sv);
}

/* ---- workers ---- */

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		(void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void close_pipes(int (*p)[2], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
}

/* The worker's side of the pipes: fds 0, 1 and, for its questions, 3. */
static noreturn void worker_exec(const struct serve *sv, int (*p)[2], size_t np,
                                 const char *const *argv)
{
	/* A process group of its own, which its stages share: a stop reaches them all. */
	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &sv->old_mask, NULL);
	if (dup2(p[0][0], 0) < 0 || dup2(p[1][1], 1) < 0 ||
	    (np > 2 && (dup2(p[2][1], 3) < 0 || fcntl(3, F_SETFD, 0) < 0)))
		_exit(125);
	execv(argv[0], (char *const *)argv);
	_exit(127);
}

static struct worker *worker_start(struct serve *sv)
{
	int p[3][2];
	size_t np = sv->ask_fd >= 0 ? 3 : 2;
	const char *argv[14];
	size_t n = 0;

	argv[n++] = sv->worker_path;
	if (sv->decide) {
		argv[n++] = "decide";
		if (sv->ask_fd >= 0) {
			argv[n++] = "--ask-fd";
			argv[n++] = "3";
		}
	} else {
		argv[n++] = "run";
		argv[n++] = "--no-tty";
		argv[n++] = "--wait";
	}
	if (sv->co.config) {
		argv[n++] = "--config";
		argv[n++] = sv->co.config;
	}
	if (sv->co.claw_config) {
		argv[n++] = "--claw-config";
		argv[n++] = sv->co.claw_config;
	}
	if (sv->co.state_dir) {
		argv[n++] = "--state-dir";
		argv[n++] = sv->co.state_dir;
	}
	argv[n] = NULL;
	for (size_t i = 0; i < np; i++)
		if (pipe2(p[i], O_CLOEXEC) < 0) {
			close_pipes(p, i);
			return NULL;
		}
	pid_t pid = fork();
	if (pid == 0)
		worker_exec(sv, p, np, argv);
	if (pid < 0) {
		close_pipes(p, np);
		return NULL;
	}
	close(p[0][0]);
	close(p[1][1]);
	if (np > 2)
		close(p[2][1]);
	setpgid(pid, pid); /* as the child does: whichever runs first */
	struct worker *w = xcalloc(1, sizeof(*w));
	w->pid = pid;
	w->in = p[0][1];
	w->out = p[1][0];
	w->ask = np > 2 ? p[2][0] : -1;
	w->gen = sv->gen;
	set_nonblock(w->in);
	w->next = sv->workers;
	sv->workers = w;
	return w;
}

static void worker_close(struct worker *w)
{
	if (w->closing)
		return;
	w->closing = true;
	if (w->in >= 0)
		close(w->in);
	w->in = -1;
}

static void retire_idle(struct serve *sv)
{
	for (struct worker *w = sv->workers; w; w = w->next)
		if (w->job == NULL && w->gen != sv->gen)
			worker_close(w);
}

static size_t idle_count(const struct serve *sv)
{
	size_t n = 0;

	for (const struct worker *w = sv->workers; w; w = w->next)
		n += !w->closing && w->job == NULL;
	return n;
}

/* ---- responses ---- */

static void write_out(struct serve *sv, const char *p, size_t len)
{
	while (len > 0 && sv->stop != -1) {
		ssize_t k = write(1, p, len);
		if (k > 0) {
			p += k;
			len -= (size_t)k;
		} else if (k < 0 && errno != EINTR) {
			/* The reader has gone: nobody would see what is decided or run now. */
			warnx("standard output: %s: nothing more is started", strerror(errno));
			sv->stop = -1;
			sv->status = 2;
		}
	}
}

/* A refusal of LINE's request by claw-serve itself: its record with a deny. */
static void respond_refused(struct serve *sv, const char *line, const char *reason)
{
	cJSON *rec = line ? cJSON_Parse(line) : NULL;
	cJSON *deny = cJSON_CreateObject();

	if (!cJSON_IsObject(rec)) {
		cJSON_Delete(rec);
		rec = cJSON_CreateObject();
		cJSON_AddNullToObject(rec, "id");
	}
	cJSON_AddStringToObject(deny, "by", "claw-serve");
	cJSON_AddStringToObject(deny, "reason", reason);
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "deny");
	cJSON_AddItemToObject(rec, "deny", deny);
	char *text = cJSON_PrintUnformatted(rec);
	write_out(sv, text, strlen(text));
	write_out(sv, "\n", 1);
	free(text);
	cJSON_Delete(rec);
}

static void job_free(struct job *j)
{
	if (j == NULL)
		return;
	free(j->line);
	free(j->id);
	free(j);
}

/* ---- requests ---- */

static bool in_flight(const struct serve *sv, const char *id)
{
	for (const struct worker *w = sv->workers; w; w = w->next)
		if (w->job && strcmp(w->job->id, id) == 0)
			return true;
	for (const struct job *j = sv->queue; j; j = j->next)
		if (strcmp(j->id, id) == 0)
			return true;
	return false;
}

static void bad_line(struct serve *sv, const char *line, const char *why)
{
	char *reason = xasprintf("invalid request (line %lu): %s", sv->lineno, why);

	warnx("standard input:%lu: %s", sv->lineno, why);
	respond_refused(sv, line, reason);
	free(reason);
	sv->status = 1;
}

static void take_line(struct serve *sv, char *line)
{
	sv->lineno++;
	if (line[strspn(line, " \t\r")] == '\0')
		return;
	cJSON *rec = cJSON_Parse(line);
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "id"));
	if (!cJSON_IsObject(rec)) {
		bad_line(sv, NULL, "not a JSON object");
	} else if (id == NULL || *id == '\0') {
		bad_line(sv, line, "no \"id\" (a string): its response could not be told apart");
	} else if (in_flight(sv, id)) {
		bad_line(sv, line, "a request with this id is in flight already");
	} else {
		struct job *j = xcalloc(1, sizeof(*j));
		j->line = xstrdup(line);
		j->id = xstrdup(id);
		*sv->queue_tail = j;
		sv->queue_tail = &j->next;
		/* The next request reads the config as it is now. */
		reload(sv, false);
	}
	cJSON_Delete(rec);
}

static void read_input(struct serve *sv)
{
	buf_reserve(&sv->in, READ_CHUNK);
	ssize_t k = read(0, sv->in.p + sv->in.len, READ_CHUNK);
	if (k < 0 && errno == EINTR)
		return;
	if (k <= 0) {
		if (k < 0)
			warnx("standard input: %s", strerror(errno));
		if (sv->in.len > 0 && !sv->skipping) {
			buf_putc(&sv->in, '\0');
			take_line(sv, sv->in.p);
		}
		sv->in.len = 0;
		sv->in_open = false;
		return;
	}
	sv->in.len += (size_t)k;
	char *start = sv->in.p, *nl;
	while ((nl = memchr(start, '\n', sv->in.len - (size_t)(start - sv->in.p))) != NULL) {
		*nl = '\0';
		if (sv->skipping)
			sv->skipping = false;
		else
			take_line(sv, start);
		start = nl + 1;
	}
	size_t rest = sv->in.len - (size_t)(start - sv->in.p);
	memmove(sv->in.p, start, rest);
	sv->in.len = rest;
	if (sv->in.len > sv->line_max && !sv->skipping) {
		sv->lineno++;
		char *why = xasprintf("longer than %zu bytes (--max-record)", sv->line_max);
		warnx("standard input:%lu: %s", sv->lineno, why);
		respond_refused(sv, NULL, why);
		free(why);
		sv->status = 1;
		sv->skipping = true;
	}
	if (sv->skipping)
		sv->in.len = 0;
}

/* ---- handing requests to workers ---- */

static void write_worker(struct worker *w);

static struct worker *free_worker(struct serve *sv)
{
	for (struct worker *w = sv->workers; w; w = w->next)
		if (!w->closing && w->job == NULL && w->gen == sv->gen)
			return w;
	/* A config that does not read starts no worker: the old ones serve on. */
	if (sv->config_bad || sv->busy >= sv->workers_max)
		return NULL;
	struct worker *w = worker_start(sv);
	if (w == NULL)
		warn("cannot start a worker");
	return w;
}

static bool any_worker_of_gen(const struct serve *sv)
{
	for (const struct worker *w = sv->workers; w; w = w->next)
		if (!w->closing && w->gen == sv->gen)
			return true;
	return false;
}

static void dispatch(struct serve *sv)
{
	while (sv->queue != NULL && sv->stop == 0) {
		struct worker *w = free_worker(sv);
		if (w == NULL) {
			if (sv->busy > 0 && (!sv->config_bad || any_worker_of_gen(sv)))
				return; /* it waits for a worker to come free */
			struct job *j = sv->queue;
			sv->queue = j->next;
			respond_refused(sv, j->line,
			                sv->config_bad
			                    ? "claw's config cannot be read (see the "
			                      "service's log) and no worker holds the old one"
			                    : "no worker could be started");
			job_free(j);
			continue;
		}
		struct job *j = sv->queue;
		sv->queue = j->next;
		j->next = NULL;
		w->job = j;
		sv->busy++;
		buf_puts(&w->wbuf, j->line);
		buf_putc(&w->wbuf, '\n');
		write_worker(w);
	}
	if (sv->queue == NULL)
		sv->queue_tail = &sv->queue;
}

static void write_worker(struct worker *w)
{
	while (w->woff < w->wbuf.len && w->in >= 0) {
		ssize_t k = write(w->in, w->wbuf.p + w->woff, w->wbuf.len - w->woff);
		if (k > 0) {
			w->woff += (size_t)k;
		} else if (k < 0 && errno == EINTR) {
			continue;
		} else {
			if (k < 0 && errno != EAGAIN) {
				/* It has gone: its output's end says so. */
				w->woff = w->wbuf.len;
			}
			break;
		}
	}
	if (w->woff >= w->wbuf.len) {
		buf_reset(&w->wbuf);
		w->woff = 0;
	}
}

/* A whole line from worker W: its request's response. */
static void worker_line(struct serve *sv, struct worker *w, const char *line, size_t len)
{
	struct job *j = w->job;

	if (w->broken)
		return; /* what it says until it has gone is nobody's answer */
	cJSON *rec = j ? cJSON_ParseWithLength(line, len) : NULL;
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "id"));
	bool mine = j != NULL && id != NULL && strcmp(id, j->id) == 0;
	cJSON_Delete(rec);
	if (!mine) {
		/* Its request is refused once it has gone (worker_ended). */
		warnx("worker %ld answered %s: ended", (long)w->pid,
		      j ? "with a record that is not its request's" : "what nobody asked");
		w->broken = true;
		kill(-w->pid, SIGTERM);
		worker_close(w);
		return;
	}
	write_out(sv, line, len);
	write_out(sv, "\n", 1);
	job_free(j);
	w->job = NULL;
	sv->busy--;
	if (w->gen != sv->gen || idle_count(sv) > IDLE_KEPT || sv->stop != 0)
		worker_close(w);
}

static void worker_ended(struct serve *sv, struct worker *w)
{
	int st = 0;

	/* Its stages that are left see a stop; then it is waited for. */
	kill(-w->pid, SIGTERM);
	while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (w->job != NULL) {
		char why[160];
		if (w->broken)
			snprintf(why, sizeof(why),
			         "claw answered with a record that is not this "
			         "request's: the worker was ended");
		else if (WIFSIGNALED(st))
			snprintf(why, sizeof(why), "claw ended before it answered (%s)",
			         strsignal(WTERMSIG(st)));
		else
			snprintf(why, sizeof(why), "claw ended before it answered (exit %d)",
			         WEXITSTATUS(st));
		warnx("request %s: %s", w->job->id, why);
		respond_refused(sv, w->job->line, why);
		job_free(w->job);
		w->job = NULL;
		sv->busy--;
	}
	worker_close(w);
	close(w->out);
	w->out = -1;
	if (w->ask >= 0)
		close(w->ask);
	w->ask = -1;
}

/* Returns false once the worker's output has ended. */
static bool read_worker(struct serve *sv, struct worker *w)
{
	buf_reserve(&w->rbuf, READ_CHUNK);
	ssize_t k = read(w->out, w->rbuf.p + w->rbuf.len, READ_CHUNK);
	if (k < 0 && errno == EINTR)
		return true;
	if (k <= 0)
		return false;
	w->rbuf.len += (size_t)k;
	char *start = w->rbuf.p, *nl;
	while ((nl = memchr(start, '\n', w->rbuf.len - (size_t)(start - w->rbuf.p))) != NULL) {
		worker_line(sv, w, start, (size_t)(nl - start));
		start = nl + 1;
	}
	size_t rest = w->rbuf.len - (size_t)(start - w->rbuf.p);
	memmove(w->rbuf.p, start, rest);
	w->rbuf.len = rest;
	return true;
}

/*
 * --ask-fd: a question of W's request goes to the caller, named by the
 * request's id. A caller that cannot be told can never answer: the worker is
 * stopped, and its claw-approve refuses the request (logged).
 */
static void worker_question(struct serve *sv, struct worker *w, const char *line, size_t len)
{
	struct buf b = { 0 };

	if (w->job == NULL || w->broken)
		return;
	buf_puts(&b, "{\"request\":");
	buf_json_str(&b, w->job->id);
	buf_puts(&b, ",\"pending\":");
	buf_put(&b, line, len);
	buf_puts(&b, "}\n");
	for (size_t off = 0; off < b.len;) {
		ssize_t k = write(sv->ask_fd, b.p + off, b.len - off);
		if (k > 0) {
			off += (size_t)k;
		} else if (k < 0 && errno != EINTR) {
			warnx("--ask-fd %d: %s: request %s cannot be answered", sv->ask_fd,
			      strerror(errno), w->job->id);
			kill(-w->pid, SIGTERM);
			break;
		}
	}
	buf_free(&b);
}

static void read_questions(struct serve *sv, struct worker *w)
{
	buf_reserve(&w->abuf, READ_CHUNK);
	ssize_t k = read(w->ask, w->abuf.p + w->abuf.len, READ_CHUNK);
	if (k < 0 && errno == EINTR)
		return;
	if (k <= 0) {
		close(w->ask);
		w->ask = -1;
		return;
	}
	w->abuf.len += (size_t)k;
	char *start = w->abuf.p, *nl;
	while ((nl = memchr(start, '\n', w->abuf.len - (size_t)(start - w->abuf.p))) != NULL) {
		worker_question(sv, w, start, (size_t)(nl - start));
		start = nl + 1;
	}
	size_t rest = w->abuf.len - (size_t)(start - w->abuf.p);
	memmove(w->abuf.p, start, rest);
	w->abuf.len = rest;
}

static void reap_dead(struct serve *sv)
{
	for (struct worker **pw = &sv->workers; *pw;) {
		struct worker *w = *pw;
		if (w->out >= 0) {
			pw = &w->next;
			continue;
		}
		*pw = w->next;
		buf_free(&w->wbuf);
		buf_free(&w->rbuf);
		buf_free(&w->abuf);
		free(w);
	}
}

/* ---- the loop ---- */

static void take_signals(struct serve *sv)
{
	struct signalfd_siginfo si;

	while (read(sv->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload(sv, true);
			continue;
		}
		/* The first stop lets the stages refuse and log what they hold; a second
		 * one does not wait for them. */
		int sig = sv->stop > 0 ? SIGKILL : SIGTERM;
		if (sv->stop <= 0) {
			sv->stop = (int)si.ssi_signo;
			warnx(
			    "stopping (%s): %zu request%s in flight; a second signal ends them now",
			    strsignal(sv->stop), sv->busy, sv->busy == 1 ? "" : "s");
		}
		for (struct worker *w = sv->workers; w; w = w->next)
			kill(-w->pid, sig);
	}
}

static void stop_all(struct serve *sv)
{
	while (sv->queue) {
		struct job *j = sv->queue;
		sv->queue = j->next;
		respond_refused(sv, j->line,
		                sv->stop > 0 ? "not run: claw serve was stopped"
		                             : "not run: the reader of the responses has gone");
		job_free(j);
	}
	sv->queue_tail = &sv->queue;
	for (struct worker *w = sv->workers; w; w = w->next)
		worker_close(w);
}

static bool finished(const struct serve *sv)
{
	if (sv->in_open && sv->stop == 0)
		return false;
	return sv->workers == NULL;
}

static void serve_loop(struct serve *sv)
{
	size_t capfds = 0, capwho = 0;
	struct pollfd *fds = NULL;
	struct worker **who = NULL;

	while (!finished(sv)) {
		if (sv->stop != 0)
			stop_all(sv);
		else if (!sv->in_open && sv->queue == NULL)
			for (struct worker *w = sv->workers; w; w = w->next)
				if (w->job == NULL)
					worker_close(w);
		size_t n = 0, need = 2;
		for (struct worker *w = sv->workers; w; w = w->next)
			need += 3;
		ALLOC_GROW(fds, need, capfds);
		// NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
		ALLOC_GROW(who, need, capwho);
		fds[n] = (struct pollfd){ .fd = sv->sfd, .events = POLLIN };
		who[n++] = NULL;
		/* The next request is read once the one before has a worker. */
		bool want = sv->in_open && sv->stop == 0 && sv->queue == NULL;
		fds[n] = (struct pollfd){ .fd = want ? 0 : -1, .events = POLLIN };
		who[n++] = NULL;
		for (struct worker *w = sv->workers; w; w = w->next) {
			fds[n] = (struct pollfd){ .fd = w->out, .events = POLLIN };
			who[n++] = w;
			/* The rest of a long request, as the worker takes it. */
			bool pending = w->wbuf.len > w->woff && w->in >= 0;
			fds[n] = (struct pollfd){ .fd = pending ? w->in : -1, .events = POLLOUT };
			who[n++] = w;
			fds[n] = (struct pollfd){ .fd = w->ask, .events = POLLIN };
			who[n++] = w;
		}
		if (poll(fds, n, -1) < 0 && errno != EINTR)
			err(2, "poll");
		if (fds[0].revents)
			take_signals(sv);
		if (fds[1].revents)
			read_input(sv);
		for (size_t i = 2; i < n; i += 3) {
			struct worker *w = who[i];
			if (fds[i + 1].revents)
				write_worker(w);
			/* A question before the answer that may follow it. */
			if (fds[i + 2].revents)
				read_questions(sv, w);
			if (fds[i].revents && !read_worker(sv, w))
				worker_ended(sv, w);
		}
		reap_dead(sv);
		dispatch(sv);
	}
	free(fds);
	free(who);
}

/* ---- main ---- */

static void parse_args(int argc, char **argv, struct serve *sv)
{
	const char *extra = NULL; /* an argument: refused once every option is read */
	int ch;

	while ((ch = opts_next(argc, argv, &sv->co)) != -1) {
		switch (ch) {
		case 1:
			extra = extra ? extra : optarg;
			break;
		case OPT_DECIDE:
			sv->decide = true;
			break;
		case OPT_ASK_FD:
			sv->ask_fd = (int)opts_number("--ask-fd", optarg, 1024);
			break;
		case OPT_WORKERS:
			sv->workers_max = opts_number("--workers", optarg, WORKERS_MAX);
			break;
		default:
			usage_error("unexpected option");
		}
	}
	if (extra == NULL && optind < argc)
		extra = argv[optind];
	if (extra != NULL)
		usage_error("unexpected argument \"%s\"", extra);
	if (sv->ask_fd >= 0 && !sv->decide)
		usage_error("--ask-fd goes with --decide (claw run asks through its own ways)");
	if (sv->ask_fd >= 0 && (sv->ask_fd <= 2 || fcntl(sv->ask_fd, F_GETFD) < 0))
		usage_error("--ask-fd %d: not an open file descriptor above 2", sv->ask_fd);
	/* The workers' questions come through pipes of their own, never this one. */
	if (sv->ask_fd >= 0)
		(void)fcntl(sv->ask_fd, F_SETFD, FD_CLOEXEC);
}

int main(int argc, char **argv)
{
	struct serve sv = { .workers_max = WORKERS_DEFAULT, .in_open = true, .ask_fd = -1 };
	struct config cfg;
	sigset_t mask;

	opts_use(&spec);
	parse_args(argc, argv, &sv);
	sv.line_max = sv.co.max_record ? sv.co.max_record : LINE_DEFAULT;
	sv.queue_tail = &sv.queue;
	if (config_load(&cfg, &sv.co) < 0)
		errx(2, "%s", claw_error());
	stamps_take(&sv, &cfg);
	config_free(&cfg);
	sv.worker_path = stagepipe_find(sv.decide ? "claw-hook" : "claw");
	if (sv.worker_path == NULL)
		errx(2, "%s is not next to claw-serve nor on PATH",
		     sv.decide ? "claw-hook" : "claw");
	/* A reader that has gone is a write error, not a death. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, &sv.old_mask);
	sv.sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sv.sfd < 0)
		err(2, "signalfd");
	/* One worker from the start: it holds the config as it read, should it break later. */
	if (worker_start(&sv) == NULL)
		err(2, "cannot start %s", sv.worker_path);
	serve_loop(&sv);
	free(sv.worker_path);
	buf_free(&sv.in);
	if (sv.stop > 0) {
		/* Stopped by a signal: dies of it, as the stages do. */
		sigprocmask(SIG_SETMASK, &sv.old_mask, NULL);
		signal(sv.stop, SIG_DFL);
		raise(sv.stop);
	}
	return sv.status;
}
