/* record.h: the record stream every filter shares (JSON Lines in, JSON Lines out). */
#ifndef CLAW_RECORD_H
#define CLAW_RECORD_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

#define RECORD_MAX_DEFAULT ((size_t)1024 * 1024) /* bytes per line, newline excluded */
#define RECORD_MAX_MEMBERS 8                     /* members one stage may add to one record */
#define RECORD_OUT_BATCH   ((size_t)128 * 1024)  /* output bytes held before a write */

struct record {
	cJSON *root;     /* the parsed record; valid only during handle() */
	const char *raw; /* the line as read, newline excluded */
	size_t rawlen;
	unsigned long line; /* 1-based input line number */
	bool denied;        /* the record carries "deny" (from an earlier stage or this one) */
	/* Members this stage adds, in order; see record_add(). */
	unsigned nadd;
	struct {
		const char *name;
		size_t off, len; /* JSON text of the value inside the record's out buffer */
	} add[RECORD_MAX_MEMBERS];
	struct buf vals;
};

struct stage {
	const char *name; /* member the stage owns, e.g. "policy"; also "by" in its errors */
	/*
	 * Also call handle() for records that carry "deny", and for the error
	 * records the loop makes of invalid lines (they carry "deny" too): a
	 * stage that records everything sees everything.
	 */
	bool handle_denied;
	/*
	 * Decides one record: adds members with record_add*() and record_deny().
	 * Returns 0, or -1 when the record is not valid for this stage (wrong member
	 * type, ...): the loop then writes an error record with claw_error().
	 * cJSON values created here live in a per-record arena: keep nothing.
	 */
	int (*handle)(struct record *rec, void *ctx);
	/*
	 * Called when the input goes idle (the next read would block) and at end of
	 * input, after the records so far have been written (at the end, after the
	 * reader has been given end of file): the place for batched work that must
	 * not delay a record. May be NULL.
	 */
	void (*idle)(void *ctx);
	/*
	 * Called before any output is written (at idle, and whenever the output
	 * buffer fills): a stage that holds a lock while records accumulate
	 * releases it here, so it never waits on a slow reader while holding
	 * it. May be NULL.
	 */
	void (*flush)(void *ctx);
	void *ctx;
};

struct record_opts {
	size_t max_record; /* 0 = RECORD_MAX_DEFAULT */
	int in_fd, out_fd;
	/*
	 * When the reader of OUT_FD has gone (EPIPE: the stage must catch or
	 * ignore SIGPIPE), keep reading and handling the input to its end and
	 * drop the output, instead of exiting 2: the decision log records what
	 * it was given, claw-sandbox accounts for every decision. See
	 * record_output_closed.
	 */
	bool drain;
	/* Output bytes held before a write when the input does not pause
	 * (0 = RECORD_OUT_BATCH): the log stage syncs before each write. */
	size_t out_batch;
};

/* Set once the output's reader has gone (with record_opts.drain). */
extern bool record_output_closed;

/*
 * For a stage that must see its input to the end (the decision log, the
 * executor): SIGPIPE becomes EPIPE (see record_opts.drain), and SIGINT,
 * SIGTERM and SIGHUP are noted instead of ending the process, unless IN_FD
 * is a terminal (a person typing ends it with Ctrl-C): the stages before it
 * end on the same signal, so its input ends. Handlers, not SIG_IGN: a
 * program it starts gets the defaults back. A signal already ignored (nohup)
 * stays ignored. ALSO (may be NULL) is called from the handler too: only
 * async-signal-safe calls in it.
 */
void record_hold_signals(int in_fd, void (*also)(int sig));
/* The signal held since (0: none). */
int record_held_signal(void);
/* Ends the process by signal SIG, as it would have ended without the handler (0: returns). */
void record_die_of(int sig);

/*
 * From handle(): writes the records handled so far now (the stage's flush()
 * first). For a stage about to do something slow for this record (run a
 * command): whoever reads sees the earlier ones meanwhile, and a reader that
 * has gone is known before it starts (record_output_closed).
 */
void record_flush(void);

/*
 * Reads records from opts->in_fd until end of input, calls stage->handle() for
 * each valid one, writes each record with the stage's members to out_fd.
 * A line that is not a valid record becomes an error record carrying "deny".
 * Returns the filter's exit status: 0, or 1 when some lines were invalid.
 */
int record_loop(const struct stage *stage, const struct record_opts *opts);

/*
 * Adds member NAME to the record's output. A member of that name already in
 * the input (forged by the caller, or stale) is removed: each stage owns its
 * member. The value is copied.
 */
void record_add(struct record *rec, const char *name, const cJSON *value);
void record_add_raw(struct record *rec, const char *name, const char *json, size_t len);
void record_add_string(struct record *rec, const char *name, const char *s);
/* Adds deny {by: <stage>, reason}. Nothing runs for a record that carries deny. */
void record_deny(struct record *rec, const char *reason);
/* The whole output line as it stands (without newline): for stages that hash it. */
void record_render(const struct record *rec, struct buf *out);

/*
 * Finds several members in one pass over OBJ: out[i] is the member named
 * names[i], or NULL. Cheaper than one cJSON_GetObjectItem per name, which
 * matters at a million records a second.
 */
void rec_pick(const cJSON *obj, const char *const *names, const cJSON **out, size_t n);

/* Typed checks of a picked member (NULL or JSON null: absent). Same returns
 * as the rec_get_* below; NAME is for the message. */
int rec_str(const cJSON *v, const char *name, const char **out);
int rec_obj(const cJSON *v, const char *name, const cJSON **out);
int rec_bool(const cJSON *v, const char *name, int *out);
int rec_id(const cJSON *v, const char *name, char *buf, size_t size, const char **out);

/* Typed member access. Each returns 0 when absent or of the right type, or -1
 * (claw_fail: 'member "NAME" must be a string') when present with another type. */
int rec_get_str(const cJSON *obj, const char *name, const char **out);
int rec_get_obj(const cJSON *obj, const char *name, const cJSON **out);
int rec_get_bool(const cJSON *obj, const char *name, int *out); /* -1/absent leaves *out */
/* A string, or an integer given as a number (chat ids often are): into buf. */
int rec_get_id(const cJSON *obj, const char *name, char *buf, size_t size, const char **out);
/* OBJ's member NAME when it is a string, else NULL, no error: for reading back what a stage
 * wrote (claw-audit's summaries, claw-sandbox's report). */
const char *rec_str_member(const cJSON *obj, const char *name);

/*
 * cJSON trees made while a record is handled live in a per-record arena and
 * vanish after it. A tree that must outlive the record (a file re-read from
 * handle() or idle()) is built between these two calls.
 */
void record_arena_pause(void);
void record_arena_resume(void);

/* The stage's name, for messages that the loop builds (set by record_loop). */
extern const char *record_stage_name;

#endif
