/*
 * jsregex.h: the JavaScript regular expressions of OpenClaw's config schema.
 *
 * OpenClaw checks a config's "pattern" keywords with JavaScript's RegExp (in
 * Unicode mode), which POSIX regex(3) cannot stand in for: the patterns use
 * \d, \s, \S, (?:...), negative lookahead (?!...) and \p{Cc}, and count
 * characters, not bytes. This is a small backtracking matcher for that
 * subset, over code points: literals and escapes, ., classes with ranges and
 * \d \w \s \p{Cc} \p{Cs}, groups, |, * + ? {n} {n,} {n,m}, ^ $ and
 * lookahead. A pattern outside the subset does not compile, so the table
 * generator finds it, not a user. Matching has a step budget: a value that
 * needs more is refused, never waited on.
 */
#ifndef CLAW_JSREGEX_H
#define CLAW_JSREGEX_H

#include <stddef.h>

struct jsre;

/* Compiles PATTERN. Returns it, or NULL with claw_error() saying what is unsupported. */
struct jsre *jsre_compile(const char *pattern);
/*
 * Whether the pattern matches anywhere in S (LEN bytes of UTF-8), as
 * RegExp.prototype.test does: 1 yes, 0 no, -1 the step budget ran out.
 */
int jsre_test(const struct jsre *re, const char *s, size_t len);
void jsre_free(struct jsre *re);

#endif
