/*
 * config.h: finding and reading the config (JSON5), with positions for errors.
 *
 * The config is two files read as one tree: OpenClaw's openclaw.json, and
 * claw.json with claw's own keys (schema.h lists them) at the paths they
 * would have in openclaw.json. Both are checked against what OpenClaw and
 * claw accept before any key is read.
 */
#ifndef CLAW_CONFIG_H
#define CLAW_CONFIG_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "core/json5.h"
#include "core/opts.h"
#include "core/schema.h"

struct config {
	char *state_dir; /* --state-dir, $OPENCLAW_STATE_DIR, or ~/.openclaw */
	char *path;      /* --config, $OPENCLAW_CONFIG_PATH, or <state>/openclaw.json */
	bool exists;     /* false: no file, the embedded default preset applies */
	char *source;    /* what the root came from: the path, or "preset:secure" */
	cJSON *root;     /* never NULL once loaded: openclaw.json with claw.json's keys in it */
	char *text;
	size_t textlen;
	struct json5_doc doc;
	/* claw.json: --claw-config, $CLAW_CONFIG_PATH, or <state>/claw.json; set
	 * (as path is) whether or not the file exists */
	char *claw_path;
	bool claw_exists;  /* false: no file (and with no openclaw.json, the preset's) */
	char *claw_source; /* the path, or "preset:secure (claw.json)"; NULL: none */
	char *claw_text;
	size_t claw_textlen;
	struct json5_doc claw_doc;    /* what is left of its tree once merged into root */
	struct cfg_problems problems; /* what the check found: errors and warnings */
	const char *files[2];         /* the files read (path, claw_path), for cfg_files() */
	size_t nfiles;
};

/*
 * Finds, parses and checks the config. No file at all means a new
 * installation: the embedded secure preset (claw.json included). A --config
 * or --claw-config that names a missing file is an error. Any problem the
 * check finds is an error, but a claw key in openclaw.json, which works and
 * is warned about on stderr. Returns 0, or -1 with claw_error() as
 * "FILE:LINE:COL: message".
 */
int config_load(struct config *cfg, const struct common_opts *co);
/*
 * The same, but what the check finds does not fail the load: it is left in
 * cfg->problems, unprinted, for claw-audit check to report all at once.
 * A file that does not parse still fails (-1).
 */
int config_load_report(struct config *cfg, const struct common_opts *co);
/* The embedded preset NAME, both files of it, checked as config_load_text checks. */
int config_load_preset(struct config *cfg, const char *name);
/* The state dir alone (allocated), for commands that need no config (the
 * decision log must stay readable when the config is broken). */
char *config_state_dir(const struct common_opts *co);
/*
 * Parses and checks TEXT as if read from SOURCE as openclaw.json, without
 * claw.json: an error fails, warnings stay in cfg->problems (unprinted).
 */
int config_load_text(struct config *cfg, const char *source, const char *text);
/* The same with CLAW_TEXT as claw.json read from CLAW_SOURCE (both NULL: none). */
int config_load_texts(struct config *cfg, const char *source, const char *text,
                      const char *claw_source, const char *claw_text);
/*
 * Parses TEXT as claw.json would be read from SOURCE (without checking what
 * it holds): 0, or -1 with claw_error() as "SOURCE:LINE:COL: message".
 */
int config_parse_claw(const char *source, const char *text, struct json5_doc *doc);
void config_free(struct config *cfg);

/*
 * The files the config was read from (openclaw.json and claw.json, each when
 * it exists; none for the built-in preset): *OUT points to CFG's own list.
 */
size_t cfg_files(const struct config *cfg, const char *const **out);

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
/* "FILE:LINE:COL" of NODE (of its member name when KEY), in whichever file it came from. */
void cfg_where(const struct config *cfg, const cJSON *node, bool key, struct buf *out);

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
