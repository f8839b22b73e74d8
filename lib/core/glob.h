/*
 * glob.h: allow-list patterns, as OpenClaw's later releases match them.
 *
 * `*` matches any run of characters inside one path component (never `/`),
 * `**` any run across components, `?` exactly one character other than `/`;
 * every other character, regular-expression ones included, is itself.
 * Matching is case-sensitive and anchored at both ends.
 */
#ifndef CLAW_GLOB_H
#define CLAW_GLOB_H

#include <stdbool.h>

bool glob_match(const char *pattern, const char *text);
/* True when PATTERN has a wildcard (`*` or `?`). */
bool glob_has_wildcard(const char *pattern);

#endif
