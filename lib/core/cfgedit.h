/* cfgedit.h: changing one value of a JSON5 config in place, keeping its comments and layout. */
#ifndef CLAW_CFGEDIT_H
#define CLAW_CFGEDIT_H

#include "core/util.h"

/*
 * Sets the value at PATH in the JSON5 document in TEXT to VALUE (JSON text).
 * PATH is dotted, with [N] for an array element: "agents.list[1].sandbox.mode".
 * Objects missing along the path are created (in the file's own quoting
 * style); array elements never are. Everything else in the file (comments,
 * order, spacing) is kept, and the result is parsed again to check that the
 * path now holds VALUE. Returns 0, or -1 with claw_error() and TEXT unchanged.
 */
int cfgedit_set(struct buf *text, const char *path, const char *value);

#endif
