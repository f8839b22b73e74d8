/* envsan.h: which environment variables may reach a command (OpenClaw's lists, as data). */
#ifndef CLAW_ENVSAN_H
#define CLAW_ENVSAN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strvec.h"

/*
 * A name that looks like a credential, by OpenClaw's sandbox sanitiser:
 * the named provider keys, *_ADMIN_KEY, and names ending in API_KEY, TOKEN,
 * PASSWORD, PRIVATE_KEY or SECRET. Case-insensitive.
 */
bool envsan_secret_name(const char *name);

/*
 * A name that changes how programs load code or where tools reach (LD_*,
 * BASH_ENV, GIT_SSH_COMMAND, PATH, HOME, ...): OpenClaw's host-exec lists of
 * names a request may never set. Returns a short reason, or NULL.
 */
const char *envsan_override_blocked(const char *name);

/* A valid variable name: [A-Za-z_][A-Za-z0-9_]*. */
bool envsan_valid_name(const char *name);

/*
 * An environment being built: "NAME=value" strings, later entries replacing
 * earlier ones of the same name. vars.v is NULL-terminated, and not NULL once
 * env_finish() ran.
 */
struct envlist {
	struct strvec vars;
};

void env_set(struct envlist *e, const char *name, const char *value);
const char *env_get(const struct envlist *e, const char *name);
char *const *env_finish(struct envlist *e);
void env_free(struct envlist *e);

#endif
