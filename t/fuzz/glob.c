/*
 * Fuzz target: the allow-list glob matcher. No crash, bounded time, and the
 * same answer as the regular expression OpenClaw builds from the pattern
 * (** -> .*, * -> [^/]*, ? -> [^/], everything else literal), here compiled
 * by POSIX regcomp. The first byte splits the input into pattern and text.
 */
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/glob.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *to_regex(const char *p)
{
	struct buf b = { 0 };

	buf_puts(&b, "^(");
	for (; *p; p++) {
		if (p[0] == '*' && p[1] == '*') {
			buf_puts(&b, ".*");
			p++;
		} else if (*p == '*') {
			buf_puts(&b, "[^/]*");
		} else if (*p == '?') {
			buf_puts(&b, "[^/]");
		} else if (strchr("]^\\", *p)) {
			buf_printf(&b, "\\%c", *p);
		} else {
			buf_printf(&b, "[%c]", *p);
		}
	}
	buf_puts(&b, ")$");
	return buf_steal(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 512)
		return 0;
	size_t split = data[0] % size;
	char *pattern = xstrndup((const char *)data + 1, split ? split - 1 : 0);
	char *text = xstrndup((const char *)data + (split ? split : 1), size - (split ? split : 1));
	char *re = to_regex(pattern);
	regex_t r;

	bool mine = glob_match(pattern, text);
	if (strlen(pattern) < 64 && regcomp(&r, re, REG_EXTENDED | REG_NOSUB) == 0) {
		if (mine != (regexec(&r, text, 0, NULL, 0) == 0))
			abort();
		regfree(&r);
	}
	free(pattern);
	free(text);
	free(re);
	return 0;
}
