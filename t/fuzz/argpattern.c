/*
 * Fuzz target: argPattern's translation from JavaScript to POSIX
 * (approve/allowmatch.h). No crash, bounded time, and what compiles is a
 * POSIX expression. The first byte splits the input into a pattern and a
 * subject; the pattern is tried as it is, and a pattern made from the
 * subject with every character other than a letter or digit escaped
 * (\. \[ \$ ...: JavaScript's identity escapes) must compile and match
 * the subject, and only it, the way JavaScript's /^(?:that)$/ would.
 */
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "approve/allowmatch.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The subject as a JavaScript literal: letters and digits as they are, the rest escaped. */
static char *literal(const char *s)
{
	struct buf b = { 0 };

	buf_puts(&b, "");
	for (; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9'))
			buf_putc(&b, *s);
		else
			buf_printf(&b, "\\%c", *s);
	}
	return buf_steal(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 256)
		return 0;
	size_t split = data[0] % size;
	char *pattern = xstrndup((const char *)data + 1, split ? split - 1 : 0);
	char *subject =
	    xstrndup((const char *)data + (split ? split : 1), size - (split ? split : 1));
	const char *why;
	regex_t re;

	if (allowmatch_compile(pattern, &re, &why) == 0)
		regfree(&re);
	else if (why == NULL)
		abort(); /* a refusal always says why */
	/* Printable ASCII subjects only: what an argument holds (the analyser refuses the rest). */
	for (char *p = subject; *p; p++)
		if (*p < ' ' || *p > '~')
			*p = 'x';
	char *lit = literal(subject);
	if (allowmatch_compile(lit, &re, &why) != 0)
		abort();
	char *argv[] = { "prog", subject, NULL };
	if (subject[0] && strchr(subject, ' ') == NULL && strchr(subject, '/') == NULL &&
	    !allowmatch_args(&re, argv, 2, "/nonexistent-claw-fuzz"))
		abort();
	if (regexec(&re, "", 0, NULL, 0) == 0 && subject[0] != '\0')
		abort(); /* matched something else */
	regfree(&re);
	free(lit);
	free(pattern);
	free(subject);
	return 0;
}
