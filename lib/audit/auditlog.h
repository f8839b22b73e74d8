/* auditlog.h: the hash-chained decision log: its entry format, the appender, the verifier. */
#ifndef CLAW_AUDITLOG_H
#define CLAW_AUDITLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/hash.h"
#include "core/util.h"

/*
 * An entry is one line: the record, whose last member is
 *   "audit":{"seq":N,"ts":"2026-11-22T08:00:44.123Z","prev":"<64 hex>","hash":"<64 hex>"}
 * and "hash" is the SHA-256 of every byte of the line before ,"hash":" (so of
 * the record, seq, ts and prev). The first entry's prev is 64 zeros.
 */
#define ALOG_TS_LEN       24 /* 2026-11-22T08:00:44.123Z */
#define ALOG_HEX_LEN      64
#define ALOG_HASH_SUFFIX  76 /* ,"hash":"<64 hex>"}} after the hashed bytes */
#define ALOG_MEMBER_MAX   160
#define ALOG_GENESIS      "0000000000000000000000000000000000000000000000000000000000000000"
#define ALOG_MAX_LINE_DEF ((size_t)64 * 1024 * 1024) /* longest line the appender re-reads */

/* An entry's audit member, found by reading its line from the end. */
struct alog_entry {
	unsigned long long seq;
	const char *ts;    /* ALOG_TS_LEN bytes, not NUL-terminated */
	const char *prev;  /* ALOG_HEX_LEN bytes */
	const char *hash;  /* ALOG_HEX_LEN bytes */
	size_t hashed_len; /* bytes at the start of the line that the hash covers */
	size_t member_off; /* offset of "audit": in the line */
};

/* Reads the audit member at the end of LINE (no newline). 0, or -1 with claw_error(). */
int alog_parse(const char *line, size_t len, struct alog_entry *e);
/* Whether the entry's hash is the SHA-256 of its hashed bytes. */
bool alog_hash_ok(const char *line, const struct alog_entry *e);

/* ---- appending ---- */

enum alog_fsync { ALOG_FSYNC_ALWAYS, ALOG_FSYNC_BATCH, ALOG_FSYNC_NEVER };

struct alog {
	char *path;
	int fd;
	enum alog_fsync fsync;
	bool locked;            /* between alog_begin() and alog_commit() */
	unsigned long long seq; /* the last entry's seq, read under the lock */
	char prev[SHA256_HEX];  /* the last entry's hash, read under the lock */
	off_t size;             /* the log's size when the lock was taken */
	struct buf pending;     /* entries made since alog_begin(), not yet written */
	unsigned npending;
	bool dirty; /* written since the last fsync */
	/* A torn tail set aside by the last alog_begin(), for the caller to report. */
	char *torn_path;
	size_t torn_bytes;
};

/*
 * Opens (creating: directory 0700, file 0600) the log at PATH for appending.
 * A symlink or anything but a regular file is refused. 0 or -1 (claw_error()).
 */
int alog_open(struct alog *a, const char *path, enum alog_fsync mode);
/*
 * Takes the exclusive lock and reads the chain's last seq and hash from the
 * file itself. A torn tail (bytes after the last newline, left by a writer
 * killed mid-write) is moved to a side file PATH.torn-<time>-<pid>, cut off,
 * and an entry saying so is chained first: a->torn_path names the side file.
 * A last line that is not an entry is refused: nothing is chained onto it.
 */
int alog_begin(struct alog *a);
/*
 * Chains one entry: BODY is the record up to and including "audit": (the
 * record with its audit member's value cut off). Appends the audit member's
 * value to MEMBER (which the caller adds to the record it passes on). The
 * entry is written by alog_commit().
 */
void alog_add(struct alog *a, const char *body, size_t len, struct buf *member);
/* Writes the pending entries (fsync if "always"), releases the lock. */
int alog_commit(struct alog *a);
/* fsync if anything was written since the last one ("batch" at idle and exit). */
int alog_sync(struct alog *a);
/* Starts writing out what was written since, without waiting for the disk
 * (sync_file_range): for entries whose durability may follow (a run's start
 * and end: the decision is synced). The next alog_sync() of any writer makes
 * them durable. */
int alog_write_out(struct alog *a);
void alog_close(struct alog *a);

/* ---- reading ---- */

/* A consistent snapshot of a log: its size taken under the shared lock, mapped. */
struct alog_map {
	const char *data;
	size_t len;
};
/* 0, or -1 with errno kept (ENOENT: no log) and claw_error(). */
int alog_map(const char *path, struct alog_map *m);
void alog_unmap(struct alog_map *m);

/* Walks the lines of DATA: *LINE and *LEN get the next line without its
 * newline; *TERMINATED says whether it had one. Returns false at the end. */
bool alog_next_line(const char *data, size_t size, size_t *off, const char **line, size_t *len,
                    bool *terminated);

struct alog_head {
	bool set;
	unsigned long long seq; /* 0: any entry */
	char hash[SHA256_HEX];
};

/* A run whose start entry has no end entry (killed, or still running). */
struct alog_open_run {
	unsigned long long decision, start; /* the decision's seq, the start entry's */
	unsigned long line;                 /* the start entry's line */
};

#define ALOG_OPEN_SHOWN 16

struct alog_report {
	bool ok;
	/* Runs started with no result: how many, and the first ALOG_OPEN_SHOWN. */
	unsigned long long nopen;
	struct alog_open_run open[ALOG_OPEN_SHOWN];
	unsigned long long entries; /* intact entries before the first problem */
	unsigned long long head_seq;
	char head_hash[SHA256_HEX]; /* the last intact entry, "" for none */
	const char *kind;           /* edited, deleted, reordered, torn, head */
	unsigned long long seq;     /* the first bad seq */
	unsigned long line;         /* and its line */
	char message[320];
};

/* Parses --head's "HASH" or "SEQ:HASH". 0 or -1 (claw_error()). */
int alog_head_parse(const char *arg, struct alog_head *h);
/* Called now and then while a long log is verified: how many of its bytes are done. */
struct alog_progress {
	void (*fn)(size_t done, size_t total, void *arg);
	void *arg;
};

/* Verifies the chain in DATA; HEAD and PROGRESS may be NULL. Fills R; returns 0 (intact) or 1. */
int alog_verify(const char *data, size_t len, const struct alog_head *head,
                const struct alog_progress *progress, struct alog_report *r);

/* Now as the log writes it. */
void alog_now(char out[ALOG_TS_LEN + 1]);

/* ---- runs: the entries claw-sandbox chains to a decision ----
 *
 * Write-ahead: claw-audit log chains each decision (and fsyncs) before it is
 * passed on; claw-sandbox runs nothing whose decision the log does not hold
 * byte for byte, and chains two entries of its own that name the decision by
 * seq and hash: a start entry before the command starts, an end entry after
 * it (or an end entry alone when claw-sandbox refuses it). A decision has at
 * most one start: a second claim of it (a replayed line) is refused.
 *
 *   {"start":{"decision":12,"hash":"<64 hex>"},"id":...,"sandbox":{...},"audit":{...}}
 *   {"end":{"decision":12,"hash":"<64 hex>"},"id":...,"result":{...},"audit":{...}}
 */
#define ALOG_START "start"
#define ALOG_END   "end"

/* A decision entry: its seq and hash. */
struct alog_ref {
	unsigned long long seq;
	char hash[SHA256_HEX];
};

enum alog_kind { ALOG_OTHER, ALOG_RUN_START, ALOG_RUN_END };
/* Whether LINE is a start or an end entry, and then the decision it names. */
enum alog_kind alog_run_ref(const char *line, size_t len, struct alog_ref *ref);
/* Appends {"start":{"decision":N,"hash":"H"} (KIND "start" or "end") to B: the
 * beginning of a run entry's body; the caller adds members and ,"audit":. */
void alog_run_open(struct buf *b, const char *kind, const struct alog_ref *ref);

/*
 * Finds entry SEQ in the log's bytes DATA (lines in seq order, one chain):
 * *OFF and *LEN get its line without the newline. 0, or -1 (claw_error()).
 */
int alog_find(const char *data, size_t size, unsigned long long seq, size_t *off, size_t *len);

/*
 * Claims the decision LINE (a record exactly as claw-audit log passed it on)
 * for one run. Takes the log's lock (alog_begin) and checks, against the log
 * itself: LINE's audit member is whole and its hash matches LINE; the log
 * holds LINE, byte for byte, as entry seq; no start or end entry names it
 * yet. On success *REF names the decision and the lock is held: chain the
 * start (or end) entry with alog_add() and alog_commit(). On failure the lock
 * is released and claw_error() says why. Returns 0; -1 when LINE may not run;
 * -2 when the log itself cannot be used (locked, read or written).
 */
int alog_claim(struct alog *a, const char *line, size_t len, struct alog_ref *ref);

/*
 * Whether the log at PATH accepts entries now, without writing one: the
 * appender's own checks (a regular file, not a symlink, writable, its last
 * line a whole entry or a torn tail it can set aside; or no log yet in a
 * directory it can create or write). 0, or -1 with claw_error().
 */
int alog_probe(const char *path);

#endif
