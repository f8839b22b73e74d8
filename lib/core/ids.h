/* ids.h: OpenClaw's agent and account ids (below the config, which names agents by id). */
#ifndef CLAW_IDS_H
#define CLAW_IDS_H

#include <stdbool.h>
#include <stddef.h>

#define SESSION_ID_MAX 65 /* a normalised agent or account id: 64 characters + NUL */

/* OpenClaw's id normalisation: valid ids are lower-cased; otherwise runs of
 * invalid characters become "-", edges trimmed, cut to 64; "main" / "default"
 * when nothing is left. Both return OUT. */
char *norm_agent_id(const char *in, char out[SESSION_ID_MAX]);
char *norm_account_id(const char *in, char out[SESSION_ID_MAX]);

/* The extent of S without leading and trailing ASCII white space: *START and the length. */
size_t id_trimmed(const char *s, const char **start);
/*
 * OpenClaw's sanitising, in its order: lower-case, each run of characters
 * outside [a-z0-9_-] (and '.' when ALLOW_DOT) becomes one "-", leading and
 * trailing "-" go, then the result is cut to MAX (which may leave a "-" at
 * the end). Returns the length written to OUT (at most MAX, NUL-terminated).
 */
size_t id_sanitize(const char *s, size_t n, bool allow_dot, char *out, size_t max);

#endif
