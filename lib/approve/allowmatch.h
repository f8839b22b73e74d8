/*
 * allowmatch.h: whether an allow-list entry matches a program and its
 * arguments, never more loosely than OpenClaw 2026.9.6 would.
 *
 * A path pattern. OpenClaw matches the program's real path (symlinks
 * resolved). claw does too, and also the path the shell runs when every
 * link on the way from it to the real file is root's, in a directory only
 * root may change (/usr/bin/python3 -> python3.11; /usr/bin/awk ->
 * /etc/alternatives/awk -> /usr/bin/mawk): only root can make such a name
 * lead elsewhere, and root can change the real file as well. A glob must
 * hold for both paths.
 *
 * An argPattern. OpenClaw tests a JavaScript regular expression against
 * the arguments joined by spaces, anywhere in them. claw matches the whole
 * string (anchored), and only with what it can translate into a POSIX
 * extended expression that matches no more than the JavaScript one would:
 * lookarounds, backreferences, \b, named groups and non-ASCII classes are
 * refused (the entry never matches); `.`, negated classes, \S, \D and \W
 * match printable ASCII only. And the expression must hold twice: for the
 * arguments as written, and for them with each path argument normalised to
 * where it leads (`/var/log/../../etc/shadow` is /etc/shadow; a symlink is
 * where it points).
 */
#ifndef CLAW_ALLOWMATCH_H
#define CLAW_ALLOWMATCH_H

#include <regex.h>
#include <stdbool.h>

#include "core/execpath.h"

/*
 * Compiles ARG_PATTERN (JavaScript syntax) into RE. Returns 0, or -1 with
 * *WHY saying what claw cannot match exactly as OpenClaw would.
 */
int allowmatch_compile(const char *arg_pattern, regex_t *re, const char **why);

/* Whether RE holds for ARGV[1..ARGC) as written and normalised against CWD. */
bool allowmatch_args(const regex_t *re, char *const *argv, int argc, const char *cwd);

/* Whether path PATTERN (with a `/`, trimmed) matches the resolved program F: its real path. */
bool allowmatch_path(const char *pattern, const struct exec_file *f);

#endif
