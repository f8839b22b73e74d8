/*
 * glob.c: allow-list pattern matching (see glob.h).
 *
 * The pattern is read token by token while a set of reachable text positions
 * is carried along, so the cost is length(pattern) x length(text) at worst
 * and never exponential, whatever the pattern (it comes from a file an
 * operator edits, and the fuzzer feeds it anything).
 */
#include "core/glob.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

bool glob_has_wildcard(const char *pattern)
{
	return strpbrk(pattern, "*?") != NULL;
}

/* One token: fills NEXT from CUR (both n + 1 long). Returns the pattern bytes used. */
static size_t step(const char *p, const char *text, size_t n, const unsigned char *cur,
                   unsigned char *next)
{
	if (p[0] == '*' && p[1] == '*') {
		/* Any run, slashes included. */
		next[0] = cur[0];
		for (size_t j = 1; j <= n; j++)
			next[j] = cur[j] | next[j - 1];
		return 2;
	}
	if (p[0] == '*') {
		/* Any run inside one component. */
		next[0] = cur[0];
		for (size_t j = 1; j <= n; j++)
			next[j] = cur[j] | (next[j - 1] & (text[j - 1] != '/'));
		return 1;
	}
	next[0] = 0;
	for (size_t j = 1; j <= n; j++) {
		char t = text[j - 1];
		next[j] = cur[j - 1] & (p[0] == '?' ? t != '/' : t == p[0]);
	}
	return 1;
}

bool glob_match(const char *pattern, const char *text)
{
	if (!glob_has_wildcard(pattern))
		return strcmp(pattern, text) == 0;

	/* The literal head must match as it is: most patterns end here. */
	size_t head = strcspn(pattern, "*?");
	if (strncmp(pattern, text, head) != 0)
		return false;
	pattern += head;
	text += head;

	size_t n = strlen(text);
	unsigned char stack[2][512];
	unsigned char *a = stack[0], *b = stack[1];
	if (n + 1 > sizeof(stack[0])) {
		a = xmalloc(n + 1);
		b = xmalloc(n + 1);
	}
	memset(a, 0, n + 1);
	a[0] = 1;
	for (const char *p = pattern; *p != '\0';) {
		p += step(p, text, n, a, b);
		unsigned char *t = a;
		a = b;
		b = t;
	}
	bool match = a[n] != 0;
	if (n + 1 > sizeof(stack[0])) {
		free(a);
		free(b);
	}
	return match;
}
