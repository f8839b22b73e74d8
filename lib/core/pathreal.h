/*
 * pathreal.h: where a word names, the way the kernel will resolve it.
 *
 * Symlinks are followed and `..` taken after them (physically), as open(2)
 * does; a name that does not exist yet is the real path of its deepest
 * existing directory and the names after it, for a program that may create
 * it. Relative words resolve against BASE when it is given, else against the
 * working directory of this process (self-protection stands in the
 * command's own, so that /proc/self/cwd means what it will mean to the
 * command: approve/guard.h).
 */
#ifndef CLAW_PATHREAL_H
#define CLAW_PATHREAL_H

#include <limits.h>
#include <sys/stat.h>

enum path_found {
	PATH_NOTHING, /* nothing there, and nothing can be made there */
	PATH_OBJECT,  /* an existing file or directory: REAL and ST are set */
	PATH_NEW,     /* a name that could be created in an existing directory: REAL is set */
	PATH_UNKNOWN, /* cannot be told (no permission, a loop, too long) */
};

/*
 * Resolves WORD (relative to BASE, or to the working directory when BASE is
 * NULL; HERE, when not NULL, is the working directory's real path, which
 * saves a look-up).
 */
enum path_found path_real(const char *base, const char *here, const char *word, char real[PATH_MAX],
                          struct stat *st);

#endif
