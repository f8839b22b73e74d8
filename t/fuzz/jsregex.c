/*
 * Fuzz target: the JavaScript regular expressions of OpenClaw's schema
 * (lib/core/jsregex.c). The input is a pattern, a NUL, and a subject. Any
 * pattern either compiles or is refused with a message; a test answers 1, 0
 * or -1 (over budget), never hangs; and every pattern of the schema table
 * is tried on the subject too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsregex.h"
#include "core/schema.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void try(const char *pattern, const char *subject, size_t len)
{
	struct jsre *re = jsre_compile(pattern);

	if (re == NULL) {
		if (claw_error()[0] == '\0')
			abort();
		return;
	}
	int r = jsre_test(re, subject, len);
	if (r < -1 || r > 1)
		abort();
	jsre_free(re);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	size_t plen = strlen(buf);
	const char *subject = plen < size ? buf + plen + 1 : "";
	size_t slen = plen < size ? size - plen - 1 : 0;

	try(buf, subject, slen);
	for (size_t i = 0; i < schema_openclaw.npatterns; i++)
		try(schema_openclaw.patterns[i], subject, slen);
	free(buf);
	return 0;
}
