/* persist.h: persistence paths that appear in a writable tree during a run, moved aside after it.
 */
#ifndef CLAW_PERSIST_H
#define CLAW_PERSIST_H

#include <stddef.h>
#include <stdint.h>

#include "native/native.h"

/* One writable tree of a run, watched. */
struct persist_root {
	int fd;           /* the directory (O_PATH) */
	char *host;       /* its host path, for reports */
	uint32_t missing; /* bit i: protect[i] was not there when the run started */
};

struct persist_watch {
	struct persist_root *roots;
	size_t n;
	const char *const *names; /* the spec's protect list */
	size_t nnames;
};

/* The protected names W saw missing from the tree at HOST (0: none, or no such tree). */
uint32_t persist_missing(const struct persist_watch *w, const char *host);

/*
 * Before the sandbox starts: opens each writable directory tree of S (the
 * workspace, /agent, read-write binds; a bind as its check judged it) and
 * notes which of S->protect are missing from it. 0, or -1 (claw_error) when a
 * tree cannot be opened: nothing may run then.
 */
int persist_watch_start(const struct native_spec *s, struct persist_watch *w);

/*
 * After every process of the sandbox is gone: each noted name that exists now
 * is renamed to NAME.claw-quarantine-<UTC time> in its directory, never
 * through a symlink. Returns how many, in *OUT (to free with
 * native_moved_free() and free()), and closes W.
 */
size_t persist_watch_finish(struct persist_watch *w, struct native_moved **out);
void persist_watch_close(struct persist_watch *w);

#endif
