/*
 * safebin.h: safe bins, as OpenClaw 2026.9.6 judges them.
 *
 * A safe bin is a filter that may run without an allow-list entry when its
 * whole argv keeps to its profile: only the options the profile lists, no
 * long option it does not know, at most so many operands and none that looks
 * like a path or a pattern, so it reads standard input only. The program must
 * live in a trusted directory (/bin, /usr/bin and tools.exec.safeBinTrustedDirs),
 * so a same-named program earlier on PATH is not it. jq, awk and sed are never
 * safe bins, whatever the config says; neither (claw) is any interpreter.
 */
#ifndef CLAW_SAFEBIN_H
#define CLAW_SAFEBIN_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "core/config.h"
#include "core/execpath.h"
#include "core/strvec.h"

struct safebin_profile {
	const char *name;
	int min_pos, max_pos; /* -1: no bound */
	const char *const *value_flags;
	const char *const *bool_flags;
	const char *const *denied_flags;
};

struct safebins {
	struct strvec names;            /* the configured set (lower-cased) */
	struct safebin_profile *custom; /* tools.exec.safeBinProfiles: names and lists their own */
	size_t ncustom, capcustom;
	struct strvec trusted; /* trusted directories */
};

/*
 * Reads safeBins, safeBinProfiles and safeBinTrustedDirs, each from the
 * agent's tools.exec (AGENT_EXEC) when set there, else from the global
 * tools.exec (EXEC); either may be NULL. Returns 0 or -1 (claw_error(), a
 * config error).
 */
int safebins_load(struct safebins *sb, const struct config *cfg, const cJSON *agent_exec,
                  const cJSON *exec);
void safebins_free(struct safebins *sb);

/* The defaults, NULL-terminated: safe bins, and the trusted directories. */
extern const char *const safebin_defaults[];
extern const char *const safebin_default_trusted[];

/* True when PATH's directory is one of the trusted directories. */
bool safebin_trusted_dir(const struct safebins *sb, const char *path);

/* Why NAME (lower-cased) is never a safe bin whatever the config says (its argument is
 * a program: jq, awk, sed), or NULL. Interpreters are refused too: risk_interpreter(). */
const char *safebin_never_safe(const char *name);
/* Whether tools.exec.safeBinProfiles (as loaded into SB) has a profile for NAME. */
bool safebin_has_custom_profile(const struct safebins *sb, const char *name);

/*
 * Whether ARGV (argv[0] is the program, NAME its exec_name(), F its
 * resolution) is a safe-bin use. Returns NULL when it is; otherwise why not
 * (for the report).
 */
const char *safebin_check(const struct safebins *sb, const char *name, const struct exec_file *f,
                          char *const *argv, int argc);

#endif
