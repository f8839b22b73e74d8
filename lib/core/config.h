/* config.h: finding and reading OpenClaw's config (JSON5), with positions for errors. */
#ifndef CLAW_CONFIG_H
#define CLAW_CONFIG_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "core/json5.h"
#include "core/opts.h"

struct config {
	char *state_dir; /* --state-dir, $OPENCLAW_STATE_DIR, or ~/.openclaw */
	char *path;      /* --config, $OPENCLAW_CONFIG_PATH, or <state>/openclaw.json */
	bool exists;     /* false: no file, the embedded default preset applies */
	char *source;    /* what the root came from: the path, or "preset:secure" */
	cJSON *root;     /* never NULL once loaded */
	char *text;
	size_t textlen;
	struct json5_doc doc;
};

/*
 * Finds and parses the config. No file at all means a new installation: the
 * embedded secure preset. A --config that names a missing file is an error.
 * Returns 0, or -1 with claw_error() as "FILE:LINE:COL: message".
 */
int config_load(struct config *cfg, const struct common_opts *co);
/* The state dir alone (allocated), for commands that need no config (the
 * decision log must stay readable when the config is broken). */
char *config_state_dir(const struct common_opts *co);
/* Parses TEXT as if read from SOURCE (presets, tests). */
int config_load_text(struct config *cfg, const char *source, const char *text);
void config_free(struct config *cfg);

/* The node at a dotted path ("agents.defaults.sandbox.mode"), or NULL. */
const cJSON *cfg_get(const cJSON *node, const char *dotted);
/*
 * The agent roster: agents.entries (an object keyed by id) when present, else
 * agents.list (an array of entries with "id"), else NULL (no roster: any agent
 * id names itself, and the default agent is "main").
 */
const cJSON *cfg_roster(const struct config *cfg);
/* The roster entry whose id normalises to AGENT, or NULL. */
const cJSON *cfg_agent(const struct config *cfg, const char *agent);
/* agents.list[AGENT].<dotted> if set, else agents.defaults.<dotted>, else NULL. */
const cJSON *cfg_agent_get(const struct config *cfg, const char *agent, const char *dotted);
/*
 * The default agent as OpenClaw 2026.9.6 decides it: no roster, "main"; with
 * agents.ownership "explicit", agents.defaults.systemAgent.agentId; otherwise
 * the one entry with default:true, or the only agent. Anything else (several
 * agents and no single default, an empty roster) has no default: NULL, with
 * claw_error() saying so. The id returned is as configured (not normalised).
 */
const char *cfg_default_agent(const struct config *cfg);
/*
 * The agent's workspace directory, absolute, as OpenClaw resolves it: the
 * agent's "workspace"; for the default agent agents.defaults.workspace or the
 * default workspace ($OPENCLAW_WORKSPACE_DIR, else <state>/workspace); for
 * others agents.defaults.workspace/<id>, else <state>/workspace-<id>.
 * Allocated.
 */
char *cfg_agent_workspace(const struct config *cfg, const char *agent);
/* "~" expanded, made absolute against the working directory, "." and ".."
 * and repeated "/" folded (no symlinks followed). Allocated. */
char *cfg_user_path(const char *path);

/*
 * claw_fail("FILE:LINE:COL: message") for NODE of the config (or FILE: when
 * the position is unknown). Returns -1, so checks read `return cfg_error(...)`.
 */
int cfg_error(const struct config *cfg, const cJSON *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same text, as a warning on stderr. */
void cfg_warn(const struct config *cfg, const cJSON *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Typed reads that report wrong types as config errors. Each returns 0 and
 * leaves *out untouched when the key is absent. cfg_enum also checks the value
 * against a NULL-terminated list and names the choices in its error.
 */
int cfg_str(const struct config *cfg, const cJSON *node, const char *what, const char **out);
int cfg_bool(const struct config *cfg, const cJSON *node, const char *what, bool *out);
int cfg_num(const struct config *cfg, const cJSON *node, const char *what, double *out);
int cfg_enum(const struct config *cfg, const cJSON *node, const char *what,
             const char *const *choices, const char **out);

/* Paths of the files in the state dir. Returned strings are allocated. */
char *state_path(const struct config *cfg, const char *name);

#endif
