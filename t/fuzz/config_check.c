/*
 * Fuzz target: the config check every command runs (lib/core/schema.c) and
 * the merge of claw.json into openclaw.json. The input is openclaw.json, and
 * after a 0x01 byte, claw.json. No crash, no leak, no endless walk; every
 * problem names its file and, when the node is known, a line and column; the
 * count of errors is the count of problems that are not warnings; and a
 * config that loads is one object with claw.json's keys in it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int starts_with(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *claw = NULL;
	struct config cfg;

	memcpy(text, data, size);
	text[size] = '\0';
	if (strlen(text) != size) { /* NUL bytes are the parser's business (json5.c) */
		free(text);
		return 0;
	}
	char *split = strchr(text, '\x01');
	if (split != NULL) {
		*split = '\0';
		claw = split + 1;
	}
	int rc = config_load_texts(&cfg, "oc.json", text, claw ? "claw.json" : NULL, claw);
	size_t errors = 0;
	for (size_t i = 0; i < cfg.problems.n; i++) {
		const struct cfg_problem *p = &cfg.problems.v[i];
		if (!starts_with(p->where, "oc.json") && !starts_with(p->where, "claw.json"))
			abort();
		if (p->message == NULL || p->message[0] == '\0' || p->path == NULL)
			abort();
		errors += !p->warning;
	}
	if (errors != cfg.problems.errors)
		abort();
	if (rc == 0 && (errors != 0 || !cJSON_IsObject(cfg.root)))
		abort();
	if (rc < 0 && claw_error()[0] == '\0')
		abort();
	config_free(&cfg);
	free(text);
	return 0;
}
