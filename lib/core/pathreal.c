/* pathreal.c: where a word names (see pathreal.h). */
#include "core/pathreal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/execpath.h"

/* Whether the names in TAIL hold a `..`: through a name that does not exist, it leads nowhere. */
static int has_dotdot(const char *tail)
{
	for (const char *p = tail; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == tail || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return 1;
	return 0;
}

/* A missing path: its deepest existing directory and the names after it. */
static enum path_found resolve_new(const char *path, const char *here, char *real)
{
	char head[PATH_MAX], dir[PATH_MAX], rdir[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(head))
		return PATH_UNKNOWN;
	memcpy(head, path, len + 1);
	for (;;) {
		char *slash = strrchr(head, '/');
		const char *tail = path + (slash ? (size_t)(slash - head) + 1 : 0), *base;
		if (has_dotdot(tail))
			return PATH_NOTHING;
		if (slash == head) {
			base = "/";
		} else if (slash != NULL) {
			*slash = '\0';
			base = realpath(head, rdir);
		} else {
			base = here ? here : realpath(".", rdir);
		}
		if (base != NULL) {
			snprintf(dir, sizeof(dir), "%s", base);
			return path_join(dir, tail, real, PATH_MAX) < 0 ? PATH_UNKNOWN : PATH_NEW;
		}
		if (errno == ENOTDIR)
			return PATH_NOTHING;
		if (errno != ENOENT || slash == NULL)
			return PATH_UNKNOWN;
	}
}

enum path_found path_real(const char *base, const char *here, const char *word, char real[PATH_MAX],
                          struct stat *st)
{
	char joined[PATH_MAX];
	const char *path = word;

	if (word[0] == '\0')
		return PATH_NOTHING;
	if (base != NULL && word[0] != '/') {
		int n = snprintf(joined, sizeof(joined), "%s/%s", base, word);
		if (n < 0 || (size_t)n >= sizeof(joined))
			return PATH_UNKNOWN;
		path = joined;
	}
	if (stat(path, st) == 0)
		return realpath(path, real) != NULL ? PATH_OBJECT : PATH_UNKNOWN;
	if (errno == ENOTDIR)
		return PATH_NOTHING;
	if (errno != ENOENT)
		return PATH_UNKNOWN;
	return resolve_new(path, base != NULL ? NULL : here, real);
}
