/*
 * Fuzz target: the decision log's reader. Whatever the bytes, verify and the
 * entry parser return without crashing; a log that verifies has as many
 * entries as lines, each of which parses and is found by its seq; a log that
 * does not names a kind and a seq; a run's start or end names a decision.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/auditlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct alog_report r;
	struct alog_entry e;
	size_t off = 0, len, lines = 0;
	const char *line;
	bool term;

	int rc = alog_verify(text, size, NULL, NULL, &r);
	while (alog_next_line(text, size, &off, &line, &len, &term)) {
		lines++;
		if (alog_parse(line, len, &e) == 0 &&
		    (e.seq == 0 || e.hashed_len >= len || e.member_off >= e.hashed_len))
			abort();
	}
	if (rc == 0 && (!r.ok || r.entries != lines))
		abort();
	if (rc != 0 && (r.ok || r.kind == NULL || r.seq == 0))
		abort();
	/* Runs started and not ended are among the intact entries. */
	for (unsigned long long i = 0; i < r.nopen && i < ALOG_OPEN_SHOWN; i++)
		if (r.open[i].start == 0 || r.open[i].start > r.entries)
			abort();
	/* Each intact entry is found by its seq, where it is. */
	for (unsigned long long seq = 1; rc == 0 && seq <= r.entries && seq <= 64; seq++) {
		size_t at, n;
		if (alog_find(text, size, seq, &at, &n) < 0 || alog_parse(text + at, n, &e) < 0 ||
		    e.seq != seq)
			abort();
	}
	off = 0;
	while (alog_next_line(text, size, &off, &line, &len, &term)) {
		struct alog_ref ref;
		if (alog_run_ref(line, len, &ref) != ALOG_OTHER &&
		    (ref.seq == 0 || strlen(ref.hash) != 64))
			abort();
	}
	if (r.entries > 0 && strlen(r.head_hash) != 64)
		abort();
	/* With the head it found, an intact log verifies again. */
	if (rc == 0 && r.entries > 0) {
		struct alog_head h = { .set = true, .seq = r.head_seq };
		struct alog_report again;
		memcpy(h.hash, r.head_hash, sizeof(h.hash));
		if (alog_verify(text, size, &h, NULL, &again) != 0)
			abort();
	}
	return 0;
}
