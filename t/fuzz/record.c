/*
 * Fuzz target: the record reader. Whatever the input, every line that is
 * not blank comes out as exactly one line, and every line that comes out is
 * a JSON object (the record with members added, or an error record).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = { "id", "tool", "session", "deny" };

/* A stage that reads members, adds some, replaces a forged one, denies some. */
static int handle(struct record *rec, void *ctx)
{
	const cJSON *m[4];
	const char *tool = NULL;

	(void)ctx;
	rec_pick(rec->root, names, m, 4);
	if (rec_str(m[1], "tool", &tool) < 0)
		return -1;
	record_add_string(rec, "session", tool ? tool : "none");
	if (m[0] == NULL)
		record_add_raw(rec, "id", "\"x\"", 3);
	if (tool != NULL && tool[0] == 'd')
		record_deny(rec, "fuzz says no");
	return 0;
}

static size_t count_lines(const uint8_t *data, size_t size)
{
	size_t n = 0, start = 0;

	for (size_t i = 0; i <= size; i++) {
		if (i < size && data[i] != '\n')
			continue;
		int blank = 1;
		for (size_t j = start; j < i; j++)
			if (data[j] != ' ' && data[j] != '\t' && data[j] != '\r')
				blank = 0;
		if (!blank)
			n++;
		start = i + 1;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stage stage = { .name = "fuzz", .handle = handle };
	int in = memfd_create("in", 0), out = memfd_create("out", 0);
	int kept = dup(out); /* at its end the loop points OUT at /dev/null */

	if (write(in, data, size) != (ssize_t)size)
		abort();
	lseek(in, 0, SEEK_SET);
	struct record_opts ro = { .max_record = 4096, .in_fd = in, .out_fd = out };
	record_loop(&stage, &ro);

	off_t len = lseek(kept, 0, SEEK_END);
	char *text = malloc((size_t)len + 1);
	if (pread(kept, text, (size_t)len, 0) != len)
		abort();
	text[len] = '\0';
	size_t lines = 0;
	for (char *line = text, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			abort(); /* every output line ends with a newline */
		*nl = '\0';
		cJSON *j = cJSON_Parse(line);
		if (!cJSON_IsObject(j))
			abort();
		cJSON_Delete(j);
		lines++;
	}
	/* An over-long line counts once however it was split; allow for that. */
	if (lines > count_lines(data, size) || (size < 4096 && lines != count_lines(data, size)))
		abort();
	free(text);
	close(in);
	close(out);
	close(kept);
	return 0;
}
