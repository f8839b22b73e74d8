/* answer.c: the answer channel (see answer.h for the threats each step answers). */
#include "ask/answer.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "ask/asktext.h"
#include "core/util.h"

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77 /* Linux 6.5 */
#endif

/* How long either side waits for the other's one line. */
#define LINE_WAIT_MS    3000
#define ANSWER_LINE_MAX 1024

/* This process's own request, while it waits (one at a time). */
static struct {
	int lfd, dirfd;
	char id[37];
	bool offer_always, taken;
	struct pending_answer a;
	char path[PATH_MAX]; /* the socket, for unlink, also from a signal handler */
} own = { .lfd = -1, .dirfd = -1 };

/* ---- who is at the other end ---- */

/* The namespace NAME of process PID ("self" when PID is 0) as device and inode. */
static int ns_of(pid_t pid, const char *name, struct stat *st)
{
	char path[64];

	if (pid == 0)
		snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	else
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, name);
	return stat(path, st);
}

static bool same_ns(pid_t pid, const char *name)
{
	struct stat mine, theirs;

	return ns_of(0, name, &mine) == 0 && ns_of(pid, name, &theirs) == 0 &&
	       mine.st_dev == theirs.st_dev && mine.st_ino == theirs.st_ino;
}

/* A descriptor that stays with the peer process itself, whatever becomes of its pid. */
static int peer_pidfd(int fd, pid_t pid)
{
	int pidfd = -1;
	socklen_t len = sizeof(pidfd);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) == 0 && pidfd >= 0)
		return pidfd;
	/* Before Linux 6.5: taken now, so a pid reused after the checks is still seen. */
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static bool still_there(int pidfd)
{
	return syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0;
}

/*
 * Whether the process at the other end of FD may take part: the same user
 * (or root), in this process's user and mount namespaces (answer.h, 3 and
 * 4). WHY says what failed.
 */
static bool peer_ok(int fd, char *why, size_t size)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0) {
		snprintf(why, size, "its credentials cannot be read: %s", strerror(errno));
		return false;
	}
	if (cr.uid != geteuid() && cr.uid != 0) {
		snprintf(why, size, "pid %d runs as uid %u", (int)cr.pid, (unsigned)cr.uid);
		return false;
	}
	if (cr.pid <= 0) {
		snprintf(why, size, "%s", "it runs in another pid namespace");
		return false;
	}
	int pidfd = peer_pidfd(fd, cr.pid);
	if (pidfd < 0) {
		snprintf(why, size, "pid %d cannot be checked: %s", (int)cr.pid, strerror(errno));
		return false;
	}
	bool ok = same_ns(cr.pid, "user") && same_ns(cr.pid, "mnt");
	if (!ok)
		snprintf(why, size,
		         "pid %d runs in another user or mount namespace (a command claw runs, or "
		         "one that cannot be checked)",
		         (int)cr.pid);
	else if (!(ok = still_there(pidfd)))
		snprintf(why, size, "pid %d is gone", (int)cr.pid);
	close(pidfd);
	return ok;
}

/* ---- one line each way ---- */

static int send_line(int fd, const char *line)
{
	size_t n = strlen(line);

	while (n > 0) {
		ssize_t w = send(fd, line, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		line += w, n -= (size_t)w;
	}
	return 0;
}

/* Reads one line (without its newline) into BUF within LINE_WAIT_MS. */
static int recv_line(int fd, char *buf, size_t size)
{
	size_t got = 0;

	while (got + 1 < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int rc = poll(&p, 1, LINE_WAIT_MS);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return -1;
		ssize_t n = recv(fd, buf + got, size - 1 - got, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
		buf[got] = '\0';
		char *nl = memchr(buf, '\n', got);
		if (nl != NULL) {
			*nl = '\0';
			return 0;
		}
	}
	return -1;
}

static void answer_json(struct buf *b, const char *lead, const struct pending_answer *a)
{
	buf_puts(b, lead);
	buf_puts(b, "\"decision\":");
	buf_json_str(b, decision_word(a->decision));
	buf_puts(b, ",\"via\":");
	buf_json_str(b, a->via);
	buf_puts(b, ",\"by\":");
	buf_json_str(b, a->by);
	buf_puts(b, "}\n");
}

static int answer_from_json(const cJSON *j, struct pending_answer *a)
{
	const char *d = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "decision"));
	const char *via = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "via"));
	const char *by = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "by"));

	memset(a, 0, sizeof(*a));
	if (d == NULL || decision_from_word(d, &a->decision) < 0)
		return -1;
	snprintf(a->via, sizeof(a->via), "%s", via ? via : "");
	snprintf(a->by, sizeof(a->by), "%s", by ? by : "");
	return 0;
}

/* ---- the waiting side ---- */

/* Takes A as this process's answer if none came first (answer.h, 1). */
static int own_take(const struct pending_answer *a, struct pending_answer *winner)
{
	if (own.taken) {
		if (winner != NULL)
			*winner = own.a;
		return 0;
	}
	if (a->decision == ASK_ALLOW_ALWAYS && !own.offer_always)
		return claw_fail("allow-always is not offered for approval %s (ask=always and "
		                 "self-protection allow only allow-once or deny)",
		                 own.id);
	own.a = *a;
	own.taken = true;
	return 1;
}

/* A socket path that fits sun_path: DIR/NAME, or through a descriptor of DIR when too long. */
static int sock_addr(const char *dir, int dirfd, const char *id, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	int n = snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/%s.sock", dir, id);
	if (n > 0 && (size_t)n < sizeof(sa->sun_path))
		return 0;
	if (dirfd < 0)
		return claw_fail("%s: the path is too long for a socket", dir);
	snprintf(sa->sun_path, sizeof(sa->sun_path), "/proc/self/fd/%d/%s.sock", dirfd, id);
	return 0;
}

int answer_open(const char *dir, const char *id, bool offer_always)
{
	struct sockaddr_un sa;

	answer_close();
	snprintf(own.id, sizeof(own.id), "%s", id);
	own.offer_always = offer_always;
	own.taken = false;
	own.dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (own.dirfd < 0)
		return claw_fail("%s: %s", dir, strerror(errno));
	snprintf(own.path, sizeof(own.path), "%s/%s.sock", dir, id);
	if (sock_addr(dir, own.dirfd, id, &sa) < 0)
		return -1;
	own.lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	mode_t old = umask(077);
	int rc = own.lfd < 0 ? -1 : bind(own.lfd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || listen(own.lfd, 16) < 0) {
		int e = errno;
		answer_close();
		return claw_fail("%s: cannot wait for answers there: %s", own.path, strerror(e));
	}
	return own.lfd;
}

static void refuse(int fd, const char *why)
{
	struct buf b = { 0 };

	buf_puts(&b, "{\"error\":");
	buf_json_str(&b, why);
	buf_puts(&b, "}\n");
	send_line(fd, b.p);
	buf_free(&b);
}

/* One connection: who it is, what it says, what becomes of it. */
static void serve_one(int fd)
{
	char why[200], line[ANSWER_LINE_MAX];
	struct pending_answer a, first = { .decision = ASK_TIMEOUT };

	if (!peer_ok(fd, why, sizeof(why))) {
		ask_warn("approval %.8s: refused an answer: %s", own.id, why);
		refuse(fd, "refused: answer from a shell outside any command claw runs");
		return;
	}
	if (recv_line(fd, line, sizeof(line)) < 0)
		return;
	cJSON *j = cJSON_Parse(line);
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "id"));
	if (id == NULL || strcmp(id, own.id) != 0 || answer_from_json(j, &a) < 0 ||
	    (a.decision != ASK_ALLOW_ONCE && a.decision != ASK_ALLOW_ALWAYS &&
	     a.decision != ASK_DENY)) {
		refuse(fd, "not an answer to this approval");
		cJSON_Delete(j);
		return;
	}
	cJSON_Delete(j);
	struct buf b = { 0 };
	int rc = own_take(&a, &first);
	if (rc > 0)
		buf_puts(&b, "{\"taken\":true}\n");
	else if (rc == 0)
		answer_json(&b, "{\"taken\":false,", &first);
	if (rc < 0)
		refuse(fd, claw_error());
	else
		send_line(fd, b.p);
	buf_free(&b);
}

void answer_serve(void)
{
	int fd;

	if (own.lfd < 0)
		return;
	while ((fd = accept4(own.lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		serve_one(fd);
		close(fd);
	}
}

bool answer_taken(struct pending_answer *a)
{
	if (own.taken && a != NULL)
		*a = own.a;
	return own.taken;
}

void answer_close(void)
{
	if (own.lfd >= 0) {
		/* Whoever is still connecting learns the outcome rather than a reset. */
		if (own.taken)
			answer_serve();
		close(own.lfd);
		unlink(own.path);
	}
	if (own.dirfd >= 0)
		close(own.dirfd);
	own.lfd = own.dirfd = -1;
	own.path[0] = '\0';
	own.id[0] = '\0';
}

const char *answer_sock_path(void)
{
	return own.path;
}

/* ---- the answering side ---- */

static int connect_waiter(const char *dir, const char *id)
{
	struct sockaddr_un sa;
	int dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -1;
	char why[200];

	if (dirfd < 0 || sock_addr(dir, dirfd, id, &sa) < 0)
		goto gone;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto gone;
	close(dirfd);
	if (!peer_ok(fd, why, sizeof(why))) {
		close(fd);
		return claw_fail("approval %.8s: the process waiting on it is not claw's (%s): "
		                 "answer not sent",
		                 id, why);
	}
	return fd;
gone:
	if (fd >= 0)
		close(fd);
	if (dirfd >= 0)
		close(dirfd);
	return claw_fail("approval %s is not pending (it was answered, expired or never asked)",
	                 id);
}

static int send_answer(const char *dir, const char *id, const struct pending_answer *a,
                       struct pending_answer *winner)
{
	struct buf req = { 0 };
	char line[ANSWER_LINE_MAX];
	int fd = connect_waiter(dir, id), rc = -1;

	if (fd < 0)
		return -1;
	buf_puts(&req, "{\"id\":");
	buf_json_str(&req, id);
	answer_json(&req, ",", a);
	if (send_line(fd, req.p) < 0 || recv_line(fd, line, sizeof(line)) < 0) {
		claw_fail("approval %.8s: no reply from the process waiting on it", id);
		goto out;
	}
	cJSON *j = cJSON_Parse(line);
	const cJSON *taken = cJSON_GetObjectItemCaseSensitive(j, "taken");
	const char *err = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "error"));
	struct pending_answer first;
	if (cJSON_IsTrue(taken)) {
		rc = 1;
	} else if (cJSON_IsFalse(taken) && answer_from_json(j, &first) == 0) {
		if (winner != NULL)
			*winner = first;
		rc = 0;
	} else {
		claw_fail("approval %.8s: %s", id, err ? err : "an answer claw cannot read");
	}
	cJSON_Delete(j);
out:
	close(fd);
	buf_free(&req);
	return rc;
}

int answer_give(const char *dir, const char *id, const struct pending_answer *a,
                struct pending_answer *winner)
{
	if (own.lfd >= 0 && strcmp(id, own.id) == 0)
		return own_take(a, winner);
	return send_answer(dir, id, a, winner);
}
