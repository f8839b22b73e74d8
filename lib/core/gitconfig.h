/* gitconfig.h: reading git's config files, as git reads them. */
#ifndef CLAW_GITCONFIG_H
#define CLAW_GITCONFIG_H

#include <stddef.h>

/*
 * Called for each variable: SECTION and KEY in lower case (as git compares
 * them), SUBSECTION as written or NULL, VALUE unquoted and unescaped, or NULL
 * for a bare key (git's "true").
 */
typedef void gitconfig_fn(void *ctx, const char *section, const char *subsection, const char *key,
                          const char *value);

/*
 * Parses TEXT (LEN bytes) in git-config(1)'s syntax: [section] and
 * [section "subsection"] headers (and the old [section.subsection]), name =
 * value lines, comments after # or ;, double quotes, the escapes \" \\ \n \t
 * \b, and a backslash at the end of a line going on to the next. A line git
 * would refuse is passed over; what follows it is still read, so a caller
 * that guards what a config names sees at least what git would.
 */
void gitconfig_parse(const char *text, size_t len, gitconfig_fn *fn, void *ctx);

#endif
