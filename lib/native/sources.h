/* sources.h: the host trees a sandbox shows (the workspace, /agent, the binds), as nsroot.c
 * mounts them and persist.c guards them. */
#ifndef CLAW_SOURCES_H
#define CLAW_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "native/native-types.h"

/* A user's tree of a sandbox: where it comes from, where it goes. */
struct nsroot_source {
	const char *src;  /* host path */
	const char *real; /* the realpath a bind check judged, or NULL */
	const char *dst;  /* inside */
	bool ro;
};

/* The user's trees of S in mount order (workspace, /agent, binds); OUT has room for nbinds + 2. */
size_t nsroot_sources(const struct native_spec *s, struct nsroot_source *out);

/*
 * Opens the host path SRC (O_PATH, close-on-exec, symlinks followed). With
 * REAL, the realpath a bind check judged, the descriptor must still lead
 * there: else -1 (claw_error), since a symlink was swapped in after the check.
 */
int nsroot_open_source(const char *src, const char *real);

#endif
