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

/*
 * cfgedit_set with VALUE as JSON5 text (comments kept as written), and
 * COMMENT, when not NULL, as lines (each "// ...") put above the new member
 * when it gets lines of its own. The result must hold VALUE at PATH.
 */
int cfgedit_put(struct buf *text, const char *path, const char *value, const char *comment);

/*
 * Takes the member at PATH (an object's member, not an array element) out of
 * the JSON5 document in TEXT: its name, its value and the comma that goes
 * with it. When it stands on lines of its own, those lines go, with the
 * comment lines right above it and a comment after it on its last line.
 * *VALUE gets the value as written (its comments kept), *COMMENT those
 * comments as lines, or NULL; both allocated. Everything else is kept as it
 * is (a strict JSON file stays strict JSON), and the result is parsed again
 * to check that PATH is gone and nothing else changed. Returns 0, or -1 with
 * claw_error() and TEXT unchanged.
 */
int cfgedit_take(struct buf *text, const char *path, char **value, char **comment);

#endif
