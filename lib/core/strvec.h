/*
 * strvec.h: a list of strings it owns, git's strvec.
 *
 * Zero-initialised it is empty (v == NULL); once a string is pushed, v[n] is
 * NULL, so v can be an argv or an envp. Every string in it is its own copy,
 * freed by strvec_clear(), which leaves it empty again.
 */
#ifndef CLAW_STRVEC_H
#define CLAW_STRVEC_H

#include <stdbool.h>
#include <stddef.h>

struct strvec {
	char **v;
	size_t n, cap;
};

/* Appends a copy of S. */
void strvec_push(struct strvec *sv, const char *s);
/* Appends S itself, which the vector now owns (xasprintf()'s result, ...). */
void strvec_push_nodup(struct strvec *sv, char *s);
/* Appends the formatted string. */
void strvec_pushf(struct strvec *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether a string equal to S is in it. */
bool strvec_has(const struct strvec *sv, const char *s);
/* Frees every string and the array; the vector is empty again. */
void strvec_clear(struct strvec *sv);
/* The array, NULL-terminated (and allocated when nothing was pushed), the caller's to free
 * with its strings; the vector is empty again. */
char **strvec_detach(struct strvec *sv);

#endif
