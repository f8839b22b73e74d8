/* clawmove.h: moving claw's own keys from openclaw.json to claw.json (claw-audit check --fix). */
#ifndef CLAW_CLAWMOVE_H
#define CLAW_CLAWMOVE_H

#include "core/config.h"
#include "core/util.h"

/* The first lines of a claw.json that claw writes. */
extern const char claw_json_template[];

/*
 * Moves each claw key the check of CFG found in openclaw.json (its warnings)
 * from OC, openclaw.json's text as CFG read it, to CLAW, claw.json's text
 * (claw_json_template for a new file). A key goes to the same path (an
 * agent's of agents.list[N] to agents.entries.<id>, as claw.json names
 * agents), with its comments; what claw.json already has is only taken out
 * of openclaw.json, since claw.json's value was the one that applied.
 * Returns the number of keys moved (the warnings' paths), or -1 with
 * claw_error() and both texts as they were.
 */
int claw_keys_move(const struct config *cfg, struct buf *oc, struct buf *claw);

#endif
