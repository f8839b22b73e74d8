/* ids.c: OpenClaw's agent and account ids, and the trimming and sanitising they share with
 * session keys and slugs (session.c). */
#include "core/ids.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

static bool is_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* The trimmed extent of S: *start and the length. */
size_t id_trimmed(const char *s, const char **start)
{
	size_t n;

	while (ascii_space(*s))
		s++;
	n = strlen(s);
	while (n > 0 && ascii_space(s[n - 1]))
		n--;
	*start = s;
	return n;
}

/*
 * OpenClaw's sanitising, in its order: lower-case, each run of characters
 * outside the allowed set becomes one "-", leading and trailing "-" go, then
 * the result is cut to MAX (which may leave a "-" at the end). Returns the
 * length written to OUT (at most MAX, NUL-terminated).
 */
size_t id_sanitize(const char *s, size_t n, bool allow_dot, char *out, size_t max)
{
	size_t o, start = 0, end;
	struct buf tmp = { 0 };

	buf_reserve(&tmp, n);
	for (size_t i = 0; i < n;) {
		char c = lower(s[i]);
		if (is_id_char(c) || (allow_dot && c == '.')) {
			buf_putc(&tmp, c);
			i++;
			continue;
		}
		while (i < n && !(is_id_char(lower(s[i])) || (allow_dot && s[i] == '.')))
			i++;
		buf_putc(&tmp, '-');
	}
	end = tmp.len;
	while (start < end && tmp.p[start] == '-')
		start++;
	while (end > start && tmp.p[end - 1] == '-')
		end--;
	o = end - start > max ? max : end - start;
	if (o > 0)
		memcpy(out, tmp.p + start, o);
	out[o] = '\0';
	buf_free(&tmp);
	return o;
}

static char *norm_id(const char *in, char out[SESSION_ID_MAX], const char *fallback)
{
	const char *s;
	size_t n = id_trimmed(in ? in : "", &s);
	bool valid = n > 0 && n <= 64;

	for (size_t i = 0; i < n && valid; i++) {
		char c = lower(s[i]);
		valid = i == 0 ? (is_id_char(c) && c != '_' && c != '-') : is_id_char(c);
	}
	if (valid) {
		for (size_t i = 0; i < n; i++)
			out[i] = lower(s[i]);
		out[n] = '\0';
		return out;
	}
	/* Names JavaScript objects already have are not ids (OpenClaw's guard). */
	if (id_sanitize(s, n, false, out, 64) == 0 || strcmp(out, "__proto__") == 0 ||
	    strcmp(out, "constructor") == 0 || strcmp(out, "prototype") == 0)
		snprintf(out, SESSION_ID_MAX, "%s", fallback);
	return out;
}

char *norm_agent_id(const char *in, char out[SESSION_ID_MAX])
{
	return norm_id(in, out, "main");
}

char *norm_account_id(const char *in, char out[SESSION_ID_MAX])
{
	return norm_id(in, out, "default");
}
