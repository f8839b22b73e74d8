/*
 * claw-audit: what happened, and is this setup safe?
 *
 * As a filter (claw-audit log) it appends every record it sees, allowed,
 * denied or malformed, to a hash-chained log and passes it on with its
 * audit member. verify proves the chain, show and sessions read it, and
 * check audits the configuration and the state directory as OpenClaw's
 * `security audit` does, plus what claw itself adds.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "audit/auditlog.h"
#include "core/alloc.h"
#include "core/config.h"
#include "core/fsutil.h"
#include "core/opts.h"
#include "core/record.h"
#include "core/strvec.h"
#include "audit/seccheck.h"
#include "native/journal.h"
#include "core/util.h"

static const char usage[] =
    "usage: claw-audit [log] [--log FILE] [--fsync always|batch|never] [--syslog]\n"
    "                  [--syslog-facility F] [--syslog-tag T] [--syslog-socket PATH]\n"
    "       claw-audit verify [FILE] [--head [SEQ:]HASH] [--json]\n"
    "       claw-audit show [FILE] [--session KEY] [--agent A] [--tool T]\n"
    "                       [--decision allow|deny] [--since TIME] [--last N] [--json]\n"
    "       claw-audit sessions [FILE] [--json]\n"
    "       claw-audit check [--json] [--fix] [--preset NAME] [--fail-on warn|critical]\n"
    "                        [--only config]\n"
    "       claw-audit backup FILE...\n";

static const char usage_tail[] =
    "Exit status: log: 0, or 1 when some lines were not valid records; verify: 0\n"
    "intact, 1 not; check: 0, or 1 with --fail-on; 2 usage, config or I/O error.\n"
    "See claw-audit(1), claw-record(7).\n";

enum {
	OPT_LOG = OPT_FIRST_COMMAND_OPTION,
	OPT_FSYNC,
	OPT_SYSLOG,
	OPT_SYSLOG_FACILITY,
	OPT_SYSLOG_TAG,
	OPT_SYSLOG_SOCKET,
	OPT_HEAD,
	OPT_SESSION,
	OPT_AGENT,
	OPT_TOOL,
	OPT_DECISION,
	OPT_SINCE,
	OPT_LAST,
	OPT_FIX,
	OPT_PRESET,
	OPT_FAIL_ON,
	OPT_ONLY,
};

static const struct opt_row options[] = {
	OPT_VALUE("log", OPT_LOG, "FILE",
	          "the decision log (default <state>/audit/decisions.jsonl)"),
	OPT_VALUE("fsync", OPT_FSYNC, "MODE",
	          "log: always (each record), batch (when input idles and at\n"
	          "exit; the default) or never"),
	OPT_FLAG("syslog", OPT_SYSLOG,
	         "log: also send a one-line summary of each record to syslog"),
	OPT_VALUE("syslog-facility", OPT_SYSLOG_FACILITY, "F",
	          "the syslog facility (default authpriv); implies --syslog"),
	OPT_VALUE("syslog-tag", OPT_SYSLOG_TAG, "T",
	          "the syslog tag (default claw-audit); implies --syslog"),
	OPT_VALUE("syslog-socket", OPT_SYSLOG_SOCKET, "PATH",
	          "the syslog socket (default /dev/log); implies --syslog"),
	OPT_VALUE("head", OPT_HEAD, "[SEQ:]HASH",
	          "verify: the log must still contain this earlier head"),
	OPT_VALUE("session", OPT_SESSION, "KEY",
	          "show, sessions: only the records of this session key"),
	OPT_VALUE("agent", OPT_AGENT, "A", "show, sessions: only this agent's records"),
	OPT_VALUE("tool", OPT_TOOL, "T", "show, sessions: only this tool's records"),
	OPT_VALUE("decision", OPT_DECISION, "allow|deny",
	          "show, sessions: only the records decided so"),
	OPT_VALUE("since", OPT_SINCE, "TIME",
	          "show, sessions: from TIME on: 2026-11-22, 2026-11-22T08:00[:SS]\n"
	          "(UTC), @EPOCH, or an age such as 90s, 15m, 2h, 7d"),
	OPT_VALUE("last", OPT_LAST, "N", "show: only the last N matching records"),
	OPT_FLAG("fix", OPT_FIX,
	         "check: apply the safe fixes (only ever tightening; the\n"
	         "config is backed up to FILE.bak.N and rewritten atomically)"),
	OPT_VALUE("preset", OPT_PRESET, "NAME",
	          "check: also report what the config lacks against a preset\n"
	          "(personal, secure, public, dev); with --fix, apply it"),
	OPT_VALUE("fail-on", OPT_FAIL_ON, "LEVEL",
	          "check: exit 1 when a finding is at LEVEL (warn, critical)\nor above"),
	OPT_VALUE("only", OPT_ONLY, "config",
	          "check: only the config files' own problems (unknown keys,\n"
	          "invalid values, claw keys in openclaw.json)"),
	OPT_FLAG("json", OPT_JSON, "machine-readable output (verify, show, sessions, check)"),
	OPT_VALUE("max-record", OPT_MAX_RECORD, "N",
	          "log: longest record accepted, in bytes (default 1048576)"),
	OPT_HEADING("Common options:"),
	OPT_ROWS_COMMON,
	OPT_END,
};

struct cli {
	struct common_opts co;
	const struct opts_command *cmd; /* the subcommand given, else log */
	bool sub_given;
	char *path;          /* the decision log, for log, verify, show and sessions */
	const char *file;    /* --log, or the positional FILE */
	struct strvec files; /* backup: FILE... */
	enum alog_fsync fsync;
	bool syslog;
	const char *facility, *tag, *socket;
	struct alog_head head;
	const char *session, *agent, *tool, *decision;
	char since[ALOG_TS_LEN + 1];
	unsigned long last;
	bool fix;
	const char *preset;
	int fail_on; /* -1 never, else enum sev */
	bool only_config;
};

/* ---- what a record says: shared by syslog, show and sessions ---- */

struct summary {
	const char *id, *session, *agent, *tool, *command, *by, *reason, *ts;
	const char *journal; /* result.journal.id: the run's undo journal (claw undo) */
	bool deny, event;
	unsigned long long seq;
	char who[160];   /* the session, for grouping */
	char sender[96]; /* who asked: "telegram:12345", "operator" */
	char by_buf[64];
	char result[48];
};

enum {
	S_ID,
	S_AGENT,
	S_SKEY,
	S_ORIGIN,
	S_TOOL,
	S_ARGS,
	S_SESSION,
	S_POLICY,
	S_APPROVAL,
	S_RESULT,
	S_DENY,
	S_ERROR,
	S_EVENT,
	S_AUDIT
};
static const char *const summary_names[] = { "id",   "agent",   "sessionKey", "origin",   "tool",
	                                     "args", "session", "policy",     "approval", "result",
	                                     "deny", "error",   "event",      "audit" };

static void summarize_result(const cJSON *result, struct summary *s, const cJSON *event)
{
	const cJSON *v;

	if (cJSON_IsString(event)) {
		snprintf(s->result, sizeof(s->result), "%s", event->valuestring);
		return;
	}
	if (!cJSON_IsObject(result)) {
		snprintf(s->result, sizeof(s->result), "%s", s->deny ? "not run" : "-");
		return;
	}
	s->journal = rec_str_member(cJSON_GetObjectItemCaseSensitive(result, "journal"), "id");
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(result, "timedOut")))
		snprintf(s->result, sizeof(s->result), "timed out");
	else if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(result, "signal")))
		snprintf(s->result, sizeof(s->result), "signal %d", v->valueint);
	else if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(result, "exit")))
		snprintf(s->result, sizeof(s->result), "exit %d", v->valueint);
	else
		snprintf(s->result, sizeof(s->result), "-");
}

/* Who asked: the origin's channel and sender (or peer); no origin is the local operator. */
static void summarize_sender(const cJSON *origin, const cJSON *event, struct summary *s)
{
	const char *channel = rec_str_member(origin, "channel");
	const char *sender = rec_str_member(origin, "sender");

	if (sender == NULL)
		sender = rec_str_member(origin, "peer");
	if (cJSON_IsString(event))
		snprintf(s->sender, sizeof(s->sender), "claw-audit");
	else if (!cJSON_IsObject(origin))
		snprintf(s->sender, sizeof(s->sender), "operator");
	else
		snprintf(s->sender, sizeof(s->sender), "%s:%s", channel ? channel : "?",
		         sender ? sender : "?");
}

static void summarize(const cJSON *root, struct summary *s)
{
	const cJSON *m[NELEM(summary_names)];

	memset(s, 0, sizeof(*s));
	rec_pick(root, summary_names, m, NELEM(m));
	s->id = cJSON_IsString(m[S_ID]) ? m[S_ID]->valuestring : NULL;
	s->tool = cJSON_IsString(m[S_TOOL]) ? m[S_TOOL]->valuestring : NULL;
	s->command = rec_str_member(m[S_ARGS], "command");
	s->session = rec_str_member(m[S_SESSION], "key");
	s->agent = rec_str_member(m[S_SESSION], "agent");
	if (s->agent == NULL && cJSON_IsString(m[S_AGENT]))
		s->agent = m[S_AGENT]->valuestring;
	if (s->session != NULL)
		snprintf(s->who, sizeof(s->who), "%s", s->session);
	else if (cJSON_IsString(m[S_SKEY]))
		snprintf(s->who, sizeof(s->who), "%s", m[S_SKEY]->valuestring);
	else if (cJSON_IsObject(m[S_ORIGIN]))
		snprintf(s->who, sizeof(s->who), "%s:%s",
		         rec_str_member(m[S_ORIGIN], "channel")
		             ? rec_str_member(m[S_ORIGIN], "channel")
		             : "?",
		         rec_str_member(m[S_ORIGIN], "peer") ? rec_str_member(m[S_ORIGIN], "peer")
		                                             : "?");
	else if (cJSON_IsString(m[S_EVENT]))
		snprintf(s->who, sizeof(s->who), "claw-audit");
	else
		snprintf(s->who, sizeof(s->who), "operator");
	summarize_sender(m[S_ORIGIN], m[S_EVENT], s);
	s->deny = m[S_DENY] != NULL;
	s->event = cJSON_IsString(m[S_EVENT]);
	if (s->deny) {
		s->by = rec_str_member(m[S_DENY], "by");
		s->reason = rec_str_member(m[S_DENY], "reason");
	} else if (cJSON_IsObject(m[S_APPROVAL]) && rec_str_member(m[S_APPROVAL], "via")) {
		snprintf(s->by_buf, sizeof(s->by_buf), "approval:%s",
		         rec_str_member(m[S_APPROVAL], "via"));
		s->by = s->by_buf;
	} else if (cJSON_IsObject(m[S_POLICY])) {
		const char *layer = rec_str_member(m[S_POLICY], "layer");
		snprintf(s->by_buf, sizeof(s->by_buf), "policy%s%s", layer ? ":" : "",
		         layer ? layer : "");
		s->by = s->by_buf;
	}
	if (s->tool == NULL && m[S_ERROR] != NULL)
		s->tool = "(invalid)";
	summarize_result(m[S_RESULT], s, m[S_EVENT]);
	if (cJSON_IsObject(m[S_AUDIT])) {
		const cJSON *seq = cJSON_GetObjectItemCaseSensitive(m[S_AUDIT], "seq");
		s->seq = cJSON_IsNumber(seq) ? (unsigned long long)seq->valuedouble : 0;
		s->ts = rec_str_member(m[S_AUDIT], "ts");
	}
}

static const char *decision_of(const struct summary *s)
{
	return s->event ? "event" : s->deny ? "deny" : "allow";
}

/* Appends S for a terminal or a syslog line: control characters escaped, so a
 * command cannot move the cursor or fake a line of its own. */
static void put_safe(struct buf *b, const char *s, size_t max)
{
	size_t total = 0, cols = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		total += *p < 0x20 || *p == 0x7f ? 4 : (*p & 0xc0) != 0x80;
	for (p = (const unsigned char *)s; *p; p++) {
		size_t w = *p < 0x20 || *p == 0x7f ? 4 : (*p & 0xc0) != 0x80;
		if (max && total > max && cols + w > max - 3) {
			buf_puts(b, "...");
			return;
		}
		if (*p < 0x20 || *p == 0x7f)
			buf_printf(b, "\\x%02x", *p);
		else
			buf_putc(b, (char)*p);
		cols += w;
	}
}

/* ---- syslog ---- */

struct slog {
	int fd;
	int pri_base; /* facility << 3 */
	const char *tag;
	const char *socket;
	bool warned;
};

static const struct {
	const char *name;
	int code;
} facilities[] = {
	{ "kern", 0 },      { "user", 1 },    { "mail", 2 },    { "daemon", 3 },  { "auth", 4 },
	{ "syslog", 5 },    { "lpr", 6 },     { "news", 7 },    { "uucp", 8 },    { "cron", 9 },
	{ "authpriv", 10 }, { "ftp", 11 },    { "local0", 16 }, { "local1", 17 }, { "local2", 18 },
	{ "local3", 19 },   { "local4", 20 }, { "local5", 21 }, { "local6", 22 }, { "local7", 23 },
};

static int facility_code(const char *name)
{
	for (size_t i = 0; i < NELEM(facilities); i++)
		if (strcmp(facilities[i].name, name) == 0)
			return facilities[i].code;
	usage_error("--syslog-facility: unknown facility \"%s\" (kern, user, mail, daemon, auth, "
	            "syslog, lpr, news, uucp, cron, authpriv, ftp, local0 ... local7)",
	            name);
}

static void slog_open(struct slog *sl, const struct cli *c)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	sl->pri_base = facility_code(c->facility) << 3;
	sl->tag = c->tag;
	sl->socket = c->socket;
	size_t n = strlen(c->socket);
	if (n >= sizeof(addr.sun_path))
		usage_error("--syslog-socket: path too long");
	memcpy(addr.sun_path, c->socket, n + 1);
	sl->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sl->fd >= 0 && connect(sl->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		/* The log file is the record; syslog is a copy. Say so once, go on. */
		warn("syslog: %s (records are still logged to the file)", c->socket);
		close(sl->fd);
		sl->fd = -1;
		sl->warned = true;
	}
}

static void slog_send(struct slog *sl, const cJSON *root, const char *audit_member)
{
	struct summary s;
	struct buf b = { 0 };
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	if (sl->fd < 0)
		return;
	summarize(root, &s);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	/* RFC 3164 as syslog(3) writes it: <PRI>TIMESTAMP TAG[PID]: MSG */
	buf_printf(&b, "<%d>%s %s[%ld]: ", sl->pri_base | (s.deny ? 5 : 6), stamp, sl->tag,
	           (long)getpid());
	const char *seq = strstr(audit_member, "\"seq\":");
	buf_printf(&b, "seq=%llu decision=%s", seq ? strtoull(seq + 6, NULL, 10) : 0ULL,
	           s.deny ? "deny" : "allow");
	buf_puts(&b, " by=");
	put_safe(&b, s.by ? s.by : "-", 64);
	buf_puts(&b, " who=");
	put_safe(&b, s.who, 160);
	buf_puts(&b, " tool=");
	put_safe(&b, s.tool ? s.tool : "-", 64);
	if (s.id) {
		buf_puts(&b, " id=");
		put_safe(&b, s.id, 64);
	}
	buf_printf(&b, " result=\"%s\"", s.result);
	if (s.command) {
		buf_puts(&b, " command=\"");
		put_safe(&b, s.command, 512);
		buf_putc(&b, '"');
	}
	if (s.reason) {
		buf_puts(&b, " reason=\"");
		put_safe(&b, s.reason, 256);
		buf_putc(&b, '"');
	}
	if (send(sl->fd, b.p, b.len, MSG_NOSIGNAL) < 0 && !sl->warned) {
		warn("syslog: %s (records are still logged to the file)", sl->socket);
		sl->warned = true;
	}
	buf_free(&b);
}

/* ---- log ---- */

#define BATCH_RECORDS 1024
#define BATCH_BYTES   ((size_t)256 * 1024)
/* Records passed on per fsync in a stream that does not pause: 4 MiB, some 12,000. */
#define LOG_OUT_BATCH ((size_t)4 * 1024 * 1024)

struct logger {
	struct alog a;
	struct buf line, member;
	struct slog sl;
	bool syslog;
};

static void log_fail(struct logger *g)
{
	/* Nothing is passed on that is not logged: stop here. */
	errx(2, "%s", claw_error());
}

static void log_commit(struct logger *g)
{
	if (g->a.locked && alog_commit(&g->a) < 0)
		log_fail(g);
}

static int log_handle(struct record *rec, void *ctx)
{
	struct logger *g = ctx;

	if (!g->a.locked) {
		if (alog_begin(&g->a) < 0)
			log_fail(g);
		if (g->a.torn_path != NULL)
			warnx("%s: a torn tail of %zu bytes (a writer killed mid-write) was set "
			      "aside in %s and its removal logged",
			      g->a.path, g->a.torn_bytes, g->a.torn_path);
	}
	/* The record as it will go out, up to its audit member's value. */
	record_add_raw(rec, "audit", "null", 4);
	buf_reset(&g->line);
	record_render(rec, &g->line);
	g->line.len -= 5; /* null} */
	buf_reset(&g->member);
	alog_add(&g->a, g->line.p, g->line.len, &g->member);
	record_add_raw(rec, "audit", g->member.p, g->member.len);
	if (g->syslog)
		slog_send(&g->sl, rec->root, g->member.p);
	if (g->a.fsync == ALOG_FSYNC_ALWAYS || g->a.npending >= BATCH_RECORDS ||
	    g->a.pending.len >= BATCH_BYTES)
		log_commit(g);
	return 0;
}

/*
 * Before any output: the entries are written and the lock released, and
 * (write-ahead) synced, so that no record is passed on, and so nothing runs
 * downstream, before its decision is on disk.
 */
static void log_flush(void *ctx)
{
	struct logger *g = ctx;

	log_commit(g);
	if (alog_sync(&g->a) < 0)
		log_fail(g);
}

static void log_idle(void *ctx)
{
	struct logger *g = ctx;

	log_commit(g);
	if (alog_sync(&g->a) < 0)
		log_fail(g);
}

static char *default_log(const struct cli *c)
{
	char *state = config_state_dir(&c->co);
	char *path = xasprintf("%s/audit/decisions.jsonl", state);

	free(state);
	return path;
}

static int run_log(struct cli *c)
{
	const char *path = c->path;
	struct logger g = { 0 };
	struct stage stage = { .name = "claw-audit",
		               .handle_denied = true,
		               .handle = log_handle,
		               .idle = log_idle,
		               .flush = log_flush,
		               .ctx = &g };
	struct record_opts ro = {
		.max_record = c->co.max_record,
		.in_fd = 0,
		.out_fd = 1,
		.drain = true,
		.out_batch = LOG_OUT_BATCH,
	};

	if (alog_open(&g.a, path, c->fsync) < 0)
		errx(2, "%s", claw_error());
	g.syslog = c->syslog;
	if (c->syslog)
		slog_open(&g.sl, c);
	/* The log stage outlives the pipeline's Ctrl-C and a reader that went: it
	 * logs every record it was given, then dies of the signal. */
	record_hold_signals(0, NULL);
	int status = record_loop(&stage, &ro);
	alog_close(&g.a);
	if (c->syslog && g.sl.fd >= 0)
		close(g.sl.fd);
	buf_free(&g.line);
	buf_free(&g.member);
	record_die_of(record_held_signal());
	return status;
}

/* ---- verify ---- */

static void map_or_die(const char *path, struct alog_map *m)
{
	if (alog_map(path, m) < 0)
		errx(2, "%s%s", claw_error(),
		     errno == ENOENT ? " (nothing has been logged yet?)" : "");
}

/*
 * Progress on a terminal, for a log that takes more than half a second:
 * "verifying 37%" on standard error, redrawn at most five times a second.
 */
struct verify_progress {
	struct timespec start, last;
	bool shown;
};

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void show_progress(size_t done, size_t total, void *arg)
{
	struct verify_progress *p = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (since(&p->start, &now) < 0.5 || (p->shown && since(&p->last, &now) < 0.2))
		return;
	p->last = now;
	p->shown = true;
	fprintf(stderr, "\r%s: verifying %3.0f%%", program_invocation_short_name,
	        100.0 * (double)done / (double)(total ? total : 1));
}

/* Runs that started and never reported back: claw-sandbox was killed, or they still run. */
static void put_open_runs(struct buf *b, const char *path, const struct alog_report *r)
{
	for (unsigned long long i = 0; i < r->nopen && i < ALOG_OPEN_SHOWN; i++)
		buf_printf(b,
		           "\n%s: started, no result: decision seq %llu (its start: seq %llu, line "
		           "%lu): the run never reported back (claw-sandbox was killed, or it "
		           "still runs)",
		           path, r->open[i].decision, r->open[i].start, r->open[i].line);
	if (r->nopen > ALOG_OPEN_SHOWN)
		buf_printf(b, "\n%s: started, no result: %llu more", path,
		           r->nopen - ALOG_OPEN_SHOWN);
}

static void put_open_runs_json(struct buf *b, const struct alog_report *r)
{
	buf_printf(b, ",\"startedNoResult\":{\"count\":%llu,\"runs\":[", r->nopen);
	for (unsigned long long i = 0; i < r->nopen && i < ALOG_OPEN_SHOWN; i++)
		buf_printf(b, "%s{\"decision\":%llu,\"start\":%llu,\"line\":%lu}", i ? "," : "",
		           r->open[i].decision, r->open[i].start, r->open[i].line);
	buf_puts(b, "]}");
}

static int run_verify(struct cli *c)
{
	const char *path = c->path;
	struct alog_map m;
	struct alog_report r;
	struct buf b = { 0 };
	struct verify_progress vp = { 0 };
	struct alog_progress progress = { show_progress, &vp };

	map_or_die(path, &m);
	clock_gettime(CLOCK_MONOTONIC, &vp.start);
	int rc = alog_verify(m.data, m.len, c->head.set ? &c->head : NULL,
	                     isatty(2) ? &progress : NULL, &r);
	if (vp.shown)
		fputs("\r\033[K", stderr);
	alog_unmap(&m);
	if (c->co.json) {
		buf_puts(&b, "{\"file\":");
		buf_json_str(&b, path);
		buf_printf(&b, ",\"ok\":%s,\"entries\":%llu,\"head\":", r.ok ? "true" : "false",
		           r.entries);
		if (r.entries)
			buf_printf(&b, "{\"seq\":%llu,\"hash\":\"%s\"}", r.head_seq, r.head_hash);
		else
			buf_puts(&b, "null");
		if (!r.ok) {
			buf_printf(&b,
			           ",\"problem\":{\"kind\":\"%s\",\"seq\":%llu,\"line\":%lu,"
			           "\"message\":",
			           r.kind, r.seq, r.line);
			buf_json_str(&b, r.message);
			buf_putc(&b, '}');
		}
		put_open_runs_json(&b, &r);
		buf_putc(&b, '}');
	} else if (r.ok) {
		buf_printf(&b, "%s: intact, %llu entries", path, r.entries);
		if (r.entries)
			buf_printf(&b, ", head %llu:%s", r.head_seq, r.head_hash);
		put_open_runs(&b, path, &r);
	} else {
		buf_printf(&b, "%s: %s: %s", path, r.kind, r.message);
		if (r.entries)
			buf_printf(&b, "\n%s: the chain is intact up to seq %llu (head %llu:%s)",
			           path, r.head_seq, r.head_seq, r.head_hash);
		put_open_runs(&b, path, &r);
	}
	puts(b.p);
	buf_free(&b);
	return rc;
}

/* ---- show and sessions ---- */

struct filter {
	const struct cli *c;
};

static bool matches(const struct cli *c, const struct summary *s)
{
	if (c->session && (s->session == NULL || strcmp(c->session, s->session) != 0))
		return false;
	if (c->agent && (s->agent == NULL || strcmp(c->agent, s->agent) != 0))
		return false;
	if (c->tool && (s->tool == NULL || strcmp(c->tool, s->tool) != 0))
		return false;
	if (c->decision && strcmp(c->decision, decision_of(s)) != 0)
		return false;
	if (c->since[0] && (s->ts == NULL || strncmp(s->ts, c->since, ALOG_TS_LEN) < 0))
		return false;
	return true;
}

typedef void (*line_fn)(const char *line, size_t len, const struct summary *s, void *ctx);
typedef void (*run_fn)(const char *line, size_t len, enum alog_kind kind,
                       const struct alog_ref *ref, void *ctx);
/* What becomes of a record's summary before the filters see it (show: its run's end). */
typedef void (*adjust_fn)(struct summary *s, void *ctx);

/*
 * Calls FN for every logged record that the filters select, and RUN (when
 * not NULL) for every start and end entry claw-sandbox chained to a decision:
 * those are not records of their own.
 */
static void each_record(const struct cli *c, const char *path, const struct alog_map *m,
                        adjust_fn adjust, line_fn fn, run_fn run, void *ctx)
{
	size_t off = 0, len;
	const char *line;
	bool term;
	unsigned long lineno = 0;
	struct alog_ref ref;

	while (alog_next_line(m->data, m->len, &off, &line, &len, &term)) {
		lineno++;
		if (!term)
			break; /* a torn tail: not an entry */
		enum alog_kind kind = alog_run_ref(line, len, &ref);
		if (kind != ALOG_OTHER) {
			if (run != NULL)
				run(line, len, kind, &ref, ctx);
			continue;
		}
		if (fn == NULL)
			continue;
		cJSON *root = cJSON_ParseWithLength(line, len);
		if (!cJSON_IsObject(root)) {
			warnx("%s:%lu: not a JSON record (claw-audit verify says more)", path,
			      lineno);
			cJSON_Delete(root);
			continue;
		}
		struct summary s;
		summarize(root, &s);
		if (adjust != NULL)
			adjust(&s, ctx);
		if (matches(c, &s))
			fn(line, len, &s, ctx);
		cJSON_Delete(root);
	}
}

/* A start or end entry, by the decision it names: what show adds to the decision's row. */
struct run_line {
	unsigned long long decision;
	enum alog_kind kind;
	const char *line; /* in the map */
	size_t len;
};

struct show {
	const struct cli *c;
	char *state_dir; /* where the runs' undo journals are */
	struct buf out;
	/* --last N: a ring of the last N rendered rows */
	char **ring;
	unsigned long n, head;
	/* Every start and end entry, sorted by the decision they name (pass one). */
	struct run_line *runs;
	size_t nruns, capruns;
	cJSON *end; /* the end entry merged into the current row */
};

static void collect_run(const char *line, size_t len, enum alog_kind kind,
                        const struct alog_ref *ref, void *ctx)
{
	struct show *sh = ctx;

	ALLOC_GROW(sh->runs, sh->nruns + 1, sh->capruns);
	sh->runs[sh->nruns++] = (struct run_line){ ref->seq, kind, line, len };
}

static int by_decision(const void *a, const void *b)
{
	const struct run_line *x = a, *y = b;

	if (x->decision != y->decision)
		return x->decision < y->decision ? -1 : 1;
	return (int)x->kind - (int)y->kind; /* the start before the end */
}

/* The start and end entries of decision SEQ: *N of them from the returned one. */
static const struct run_line *runs_of(const struct show *sh, unsigned long long seq, size_t *n)
{
	size_t lo = 0, hi = sh->nruns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sh->runs[mid].decision < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (*n = 0; lo + *n < sh->nruns && sh->runs[lo + *n].decision == seq; (*n)++)
		;
	return sh->runs + lo;
}

/*
 * A decision's row with what became of its run: the end entry's result (or
 * claw-sandbox's refusal), or "started, no result" when only a start is there.
 */
static void merge_run(struct summary *s, void *ctx)
{
	struct show *sh = ctx;
	size_t n;
	const struct run_line *r = runs_of(sh, s->seq, &n);
	cJSON **end = &sh->end;

	for (size_t i = 0; i < n; i++) {
		if (r[i].kind == ALOG_RUN_START) {
			snprintf(s->result, sizeof(s->result), "started, no result");
			continue;
		}
		cJSON_Delete(*end);
		*end = cJSON_ParseWithLength(r[i].line, r[i].len);
		const cJSON *deny = cJSON_GetObjectItemCaseSensitive(*end, "deny");
		if (cJSON_IsObject(deny)) {
			s->deny = true;
			s->by = rec_str_member(deny, "by");
			s->reason = rec_str_member(deny, "reason");
		}
		summarize_result(cJSON_GetObjectItemCaseSensitive(*end, "result"), s, NULL);
	}
}

/* One table cell: S made safe, cut to WIDTH columns, padded to it. */
static void put_cell(struct buf *b, const char *s, size_t width)
{
	size_t at = b->len, cols = 0;

	put_safe(b, s, width);
	for (size_t i = at; i < b->len; i++)
		cols += ((unsigned char)b->p[i] & 0xc0) != 0x80;
	for (; cols < width; cols++)
		buf_putc(b, ' ');
	buf_puts(b, "  ");
}

static void show_row(const char *line, size_t len, const struct summary *sum, void *ctx)
{
	struct show *sh = ctx;
	struct buf b = { 0 };
	const struct summary *s = sum;
	size_t nruns;
	const struct run_line *runs = runs_of(sh, s->seq, &nruns);

	if (sh->c->co.json) {
		buf_put(&b, line, len);
		for (size_t i = 0; i < nruns; i++) {
			buf_putc(&b, '\n');
			buf_put(&b, runs[i].line, runs[i].len);
		}
	} else {
		char ts[21] = "-";
		if (s->ts != NULL)
			snprintf(ts, sizeof(ts), "%.19sZ", s->ts);
		char result[64];
		/* A run whose journal is kept can still be undone: claw undo SEQ. */
		bool undo = s->journal != NULL &&
		            journal_state(sh->state_dir, s->journal) == JOURNAL_UNDOABLE;
		snprintf(result, sizeof(result), "%s%s", s->result, undo ? " undo" : "");
		buf_printf(&b, "%6llu  %-20s  %-8s  ", s->seq, ts, decision_of(s));
		put_cell(&b, s->by ? s->by : "-", 20);
		put_cell(&b, result, 18);
		put_cell(&b, s->sender, 20);
		put_cell(&b, s->who, 36);
		put_cell(&b, s->tool ? s->tool : "-", 12);
		put_safe(&b, s->command ? s->command : s->reason ? s->reason : "-", 72);
	}
	buf_putc(&b, '\n');
	if (sh->c->last) {
		free(sh->ring[sh->head]);
		sh->ring[sh->head] = buf_steal(&b);
		sh->head = (sh->head + 1) % sh->c->last;
		sh->n++;
	} else {
		fputs(b.p, stdout);
		buf_free(&b);
	}
}

static int run_show(struct cli *c)
{
	const char *path = c->path;
	struct show sh = { .c = c, .state_dir = config_state_dir(&c->co) };
	struct cli all = { 0 };
	struct alog_map m;

	map_or_die(path, &m);
	each_record(&all, path, &m, NULL, NULL, collect_run, &sh);
	if (sh.nruns > 1)
		qsort(sh.runs, sh.nruns, sizeof(*sh.runs), by_decision);
	if (c->last)
		sh.ring = xcalloc(c->last, sizeof(char *));
	if (!c->co.json)
		printf("%6s  %-20s  %-8s  %-20s  %-18s  %-20s  %-36s  %-12s  %s\n", "SEQ", "TIME",
		       "DECISION", "BY", "RESULT", "WHO", "SESSION", "TOOL", "COMMAND");
	each_record(c, path, &m, merge_run, show_row, NULL, &sh);
	cJSON_Delete(sh.end);
	if (c->last) {
		unsigned long k = sh.n < c->last ? sh.n : c->last;
		unsigned long start = sh.n < c->last ? 0 : sh.head;
		for (unsigned long i = 0; i < k; i++)
			fputs(sh.ring[(start + i) % c->last], stdout);
		for (unsigned long i = 0; i < c->last; i++)
			free(sh.ring[i]);
		free(sh.ring);
	}
	free(sh.state_dir);
	free(sh.runs);
	alog_unmap(&m);
	return 0;
}

struct session_row {
	char *key, *agent;
	unsigned long long records, allowed, denied;
	char first[ALOG_TS_LEN + 1], last[ALOG_TS_LEN + 1];
};

struct sessions {
	struct session_row *rows;
	size_t n, cap;
	size_t *slots; /* open addressing over rows, index + 1 */
	size_t nslots;
};

static size_t str_hash(const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void sessions_grow(struct sessions *ss)
{
	size_t n = ss->nslots ? ss->nslots * 2 : 256;
	size_t *slots = xcalloc(n, sizeof(*slots));

	for (size_t i = 0; i < ss->n; i++) {
		size_t h = str_hash(ss->rows[i].key) & (n - 1);
		while (slots[h])
			h = (h + 1) & (n - 1);
		slots[h] = i + 1;
	}
	free(ss->slots);
	ss->slots = slots;
	ss->nslots = n;
}

static struct session_row *session_row(struct sessions *ss, const char *key)
{
	if (2 * (ss->n + 1) > ss->nslots)
		sessions_grow(ss);
	size_t h = str_hash(key) & (ss->nslots - 1);
	/* A slot is set only once its row is (sessions_grow's start zeroed). */
	for (; ss->slots[h]; h = (h + 1) & (ss->nslots - 1))
		// NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
		if (strcmp(ss->rows[ss->slots[h] - 1].key, key) == 0)
			return &ss->rows[ss->slots[h] - 1];
	ALLOC_GROW(ss->rows, ss->n + 1, ss->cap);
	struct session_row *r = &ss->rows[ss->n];
	memset(r, 0, sizeof(*r));
	r->key = xstrdup(key);
	ss->slots[h] = ++ss->n;
	return r;
}

static void count_session(const char *line, size_t len, const struct summary *s, void *ctx)
{
	struct session_row *r = session_row(ctx, s->who);

	(void)line;
	(void)len;
	if (r->agent == NULL && s->agent != NULL)
		r->agent = xstrdup(s->agent);
	r->records++;
	if (s->deny)
		r->denied++;
	else if (!s->event)
		r->allowed++;
	if (s->ts != NULL) {
		if (r->first[0] == '\0')
			memcpy(r->first, s->ts, ALOG_TS_LEN);
		memcpy(r->last, s->ts, ALOG_TS_LEN);
	}
}

static int by_last_desc(const void *a, const void *b)
{
	const struct session_row *x = a, *y = b;
	int c = strcmp(y->last, x->last);
	return c ? c : strcmp(x->key, y->key);
}

static int run_sessions(struct cli *c)
{
	const char *path = c->path;
	struct sessions ss = { 0 };
	struct buf b = { 0 };

	struct alog_map m;
	map_or_die(path, &m);
	each_record(c, path, &m, NULL, count_session, NULL, &ss);
	alog_unmap(&m);
	if (ss.n > 1)
		qsort(ss.rows, ss.n, sizeof(*ss.rows), by_last_desc);
	if (c->co.json)
		buf_putc(&b, '[');
	else
		buf_printf(&b, "%-48s  %-12s  %8s  %8s  %8s  %s\n", "SESSION", "AGENT", "RECORDS",
		           "ALLOWED", "DENIED", "LAST");
	for (size_t i = 0; i < ss.n; i++) {
		const struct session_row *r = &ss.rows[i];
		if (c->co.json) {
			buf_puts(&b, i ? ",{\"session\":" : "{\"session\":");
			buf_json_str(&b, r->key);
			buf_puts(&b, ",\"agent\":");
			if (r->agent)
				buf_json_str(&b, r->agent);
			else
				buf_puts(&b, "null");
			buf_printf(&b,
			           ",\"records\":%llu,\"allowed\":%llu,\"denied\":%llu,"
			           "\"first\":\"%s\",\"last\":\"%s\"}",
			           r->records, r->allowed, r->denied, r->first, r->last);
		} else {
			put_cell(&b, r->key, 48);
			put_cell(&b, r->agent ? r->agent : "-", 12);
			buf_printf(&b, "%8llu  %8llu  %8llu  %.19s%s\n", r->records, r->allowed,
			           r->denied, r->last[0] ? r->last : "-", r->last[0] ? "Z" : "");
		}
		free(r->key);
		free(r->agent);
	}
	if (c->co.json)
		buf_puts(&b, "]\n");
	fputs(b.p, stdout);
	buf_free(&b);
	free(ss.rows);
	free(ss.slots);
	return 0;
}

/* --since: an ISO date or time (UTC), @EPOCH, or an age (90s, 15m, 2h, 7d). */
static void parse_since(const char *arg, char out[ALOG_TS_LEN + 1])
{
	struct tm tm = { 0 };
	time_t t;
	char *end;

	if (arg[0] == '@' || (arg[0] >= '0' && arg[0] <= '9' &&
	                      strchr("smhdw", arg[strlen(arg) - 1]) && strchr(arg, '-') == NULL)) {
		unsigned long long v;
		errno = 0;
		v = strtoull(arg + (arg[0] == '@'), &end, 10);
		if (errno || end == arg + (arg[0] == '@'))
			usage_error("--since: cannot read \"%s\"", arg);
		if (arg[0] == '@') {
			if (*end != '\0')
				usage_error("--since: cannot read \"%s\"", arg);
			t = (time_t)v;
		} else {
			static const char units[] = "smhdw";
			static const unsigned long long secs[] = { 1, 60, 3600, 86400, 604800 };
			if (end[0] == '\0' || end[1] != '\0')
				usage_error("--since: cannot read \"%s\"", arg);
			t = time(NULL) - (time_t)(v * secs[strchr(units, *end) - units]);
		}
		gmtime_r(&t, &tm);
		strftime(out, ALOG_TS_LEN + 1, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
		return;
	}
	/* 2026-11-22, 2026-11-22T08:00, 2026-11-22 08:00:44 */
	const char *formats[] = { "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M",
		                  "%Y-%m-%d %H:%M", "%Y-%m-%d" };
	for (size_t i = 0; i < NELEM(formats); i++) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(arg, formats[i], &tm);
		if (end != NULL && (*end == '\0' || strcmp(end, "Z") == 0)) {
			strftime(out, ALOG_TS_LEN + 1, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
			return;
		}
	}
	usage_error("--since: cannot read \"%s\" (2026-11-22, 2026-11-22T08:00, @EPOCH, 2h, 7d)",
	            arg);
}

/* ---- check ---- */

static int run_check(struct cli *c)
{
	struct config cfg;
	struct check_opts o = { .co = &c->co,
		                .preset = c->preset,
		                .fix = c->fix,
		                .json = c->co.json,
		                .color = !c->co.json && opts_color(1),
		                .only_config = c->only_config };
	struct check_report rep;

	if (c->preset != NULL && check_preset_valid(c->preset) < 0)
		usage_error("--preset: %s", claw_error());
	/* Every problem of the config is a finding here, not an exit. */
	if (config_load_report(&cfg, &c->co) < 0)
		errx(2, "%s", claw_error());
	if (check_run(&cfg, &o, &rep) < 0) {
		config_free(&cfg);
		errx(2, "%s", claw_error());
	}
	struct buf b = { 0 };
	check_render(&rep, &o, &b);
	fputs(b.p, stdout);
	buf_free(&b);
	int status = 0;
	if (c->fix && !rep.fix.ok)
		status = 2;
	else if (c->fail_on >= 0 && check_worst(&rep) >= c->fail_on)
		status = 1;
	check_report_free(&rep);
	config_free(&cfg);
	return status;
}

/* ---- backup ---- */

static int run_backup(struct cli *c)
{
	int status = 0;

	for (size_t i = 0; i < c->files.n; i++) {
		char *bak = backup_file(c->files.v[i]);
		if (bak == NULL) {
			warnx("%s", claw_error());
			status = 2;
			continue;
		}
		puts(bak);
		free(bak);
	}
	return status;
}

/* ---- main ---- */

static const struct opts_command commands[] = {
	{ "log", run_log,
	  "append every record on standard input to the decision log, adding\n"
	  "audit {seq, ts, prev, hash}, and pass it on (the default)" },
	{ "verify", run_verify,
	  "prove the log's hash chain: exit 0 intact, 1 with the first bad seq" },
	{ "show", run_show, "the logged records as a table (--json: the records themselves)" },
	{ "sessions", run_sessions, "every session in the log, with counts and last activity" },
	{ "check", run_check, "audit the config and the state directory for security problems" },
	{ "backup", run_backup,
	  "keep a numbered copy of each FILE (FILE.bak.N, the next free N) and\n"
	  "print its name: what claw init --force and check --fix do first" },
	{ NULL, NULL, NULL },
};

static const struct opts_spec spec = { usage, commands, options, usage_tail };

static void parse_args(int argc, char **argv, struct cli *c)
{
	int ch;

	c->cmd = &commands[0];
	while ((ch = opts_next(argc, argv, &c->co)) != -1) {
		switch (ch) {
		case 1:
			if (!c->sub_given) {
				c->cmd = opts_command_get(commands, optarg);
				c->sub_given = true;
			} else if (c->file == NULL &&
			           (opts_is(c->cmd, "verify") || opts_is(c->cmd, "show") ||
			            opts_is(c->cmd, "sessions"))) {
				c->file = optarg;
			} else if (opts_is(c->cmd, "backup")) {
				strvec_push(&c->files, optarg);
			} else {
				usage_error("unexpected argument \"%s\"", optarg);
			}
			break;
		case OPT_LOG:
			c->file = optarg;
			break;
		case OPT_FSYNC:
			if (strcmp(optarg, "always") == 0)
				c->fsync = ALOG_FSYNC_ALWAYS;
			else if (strcmp(optarg, "batch") == 0)
				c->fsync = ALOG_FSYNC_BATCH;
			else if (strcmp(optarg, "never") == 0)
				c->fsync = ALOG_FSYNC_NEVER;
			else
				usage_error("--fsync: expected always, batch or never, got \"%s\"",
				            optarg);
			break;
		case OPT_SYSLOG:
			c->syslog = true;
			break;
		case OPT_SYSLOG_FACILITY:
			c->facility = optarg;
			c->syslog = true;
			break;
		case OPT_SYSLOG_TAG:
			c->tag = optarg;
			c->syslog = true;
			break;
		case OPT_SYSLOG_SOCKET:
			c->socket = optarg;
			c->syslog = true;
			break;
		case OPT_HEAD:
			if (alog_head_parse(optarg, &c->head) < 0)
				usage_error("%s", claw_error());
			break;
		case OPT_SESSION:
			c->session = optarg;
			break;
		case OPT_AGENT:
			c->agent = optarg;
			break;
		case OPT_TOOL:
			c->tool = optarg;
			break;
		case OPT_DECISION:
			if (strcmp(optarg, "allow") != 0 && strcmp(optarg, "deny") != 0)
				usage_error("--decision: expected allow or deny, got \"%s\"",
				            optarg);
			c->decision = optarg;
			break;
		case OPT_SINCE:
			parse_since(optarg, c->since);
			break;
		case OPT_LAST:
			c->last = opts_number("--last", optarg, 10000000);
			break;
		case OPT_FIX:
			c->fix = true;
			break;
		case OPT_PRESET:
			c->preset = optarg;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "warn") == 0)
				c->fail_on = SEV_WARN;
			else if (strcmp(optarg, "critical") == 0)
				c->fail_on = SEV_CRITICAL;
			else
				usage_error("--fail-on: expected warn or critical, got \"%s\"",
				            optarg);
			break;
		case OPT_ONLY:
			if (strcmp(optarg, "config") != 0)
				usage_error("--only: expected config, got \"%s\"", optarg);
			c->only_config = true;
			break;
		default:
			usage_error("unexpected option");
		}
	}
	for (; optind < argc && opts_is(c->cmd, "backup"); optind++) { /* after "--" */
		strvec_push(&c->files, argv[optind]);
	}
	if (optind < argc)
		usage_error("unexpected argument \"%s\"", argv[optind]);
}

/* Options that only make sense for one subcommand are refused elsewhere. */
static void check_options(const struct cli *c)
{
	const char *sub = c->cmd->name;

	if (!opts_is(c->cmd, "log") && (c->syslog || c->fsync != ALOG_FSYNC_BATCH))
		usage_error("%s: --fsync and --syslog belong to log", sub);
	if (!opts_is(c->cmd, "verify") && c->head.set)
		usage_error("%s: --head belongs to verify", sub);
	if (!opts_is(c->cmd, "show") && !opts_is(c->cmd, "sessions") &&
	    (c->session || c->agent || c->tool || c->decision || c->since[0] || c->last))
		usage_error("%s: the filters belong to show and sessions", sub);
	if (!opts_is(c->cmd, "show") && c->last)
		usage_error("%s: --last belongs to show", sub);
	if (!opts_is(c->cmd, "check") && (c->fix || c->preset || c->fail_on >= 0 || c->only_config))
		usage_error("%s: --fix, --preset, --fail-on and --only belong to check", sub);
	if (c->only_config && c->preset)
		usage_error("check: --only config and --preset do not go together");
	if (opts_is(c->cmd, "check") && c->file)
		usage_error("check: --log does not apply");
	if (opts_is(c->cmd, "backup") && (c->file || c->co.json))
		usage_error("backup: --log and --json do not apply");
	if (opts_is(c->cmd, "backup") && c->files.n == 0)
		usage_error("backup: FILE is missing");
	if (opts_is(c->cmd, "log") && c->co.json)
		usage_error("log: --json does not apply (records are JSON already)");
}

int main(int argc, char **argv)
{
	struct cli c = { .fsync = ALOG_FSYNC_BATCH,
		         .facility = "authpriv",
		         .tag = "claw-audit",
		         .socket = "/dev/log",
		         .fail_on = -1 };

	opts_use(&spec);
	parse_args(argc, argv, &c);
	check_options(&c);
	/* check reads the config and backup its FILEs; the others read the log alone. */
	if (!opts_is(c.cmd, "check") && !opts_is(c.cmd, "backup"))
		c.path = c.file ? xstrdup(c.file) : default_log(&c);
	int status = c.cmd->run(&c);
	free(c.path);
	strvec_clear(&c.files);
	return status;
}
