/*
 * schema.h: what a config may hold, and the one check every command runs.
 *
 * Two tables say what is allowed. schema_openclaw (schema-oc.c, generated
 * by share/claw/schema-gen from `openclaw config schema`) is what OpenClaw
 * accepts in openclaw.json, for the sections claw reads; claw_keys
 * (clawkeys.c, by hand) is claw's own settings, which live in claw.json.
 * schema_check() walks both files against both tables and reports every
 * key that is unknown, in the wrong file, or has a value the table refuses,
 * with the file, line and column and what to do. config_load() calls it,
 * so a command that runs and claw-audit check that reports read a config
 * through the same code (doas -C: the checker is the enforcer).
 */
#ifndef CLAW_SCHEMA_H
#define CLAW_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/util.h"

/* The JSON types a row accepts (bits). */
enum {
	S_NULL = 1 << 0,
	S_BOOL = 1 << 1,
	S_INT = 1 << 2, /* a number that is a whole number */
	S_NUM = 1 << 3,
	S_STR = 1 << 4,
	S_ARR = 1 << 5,
	S_OBJ = 1 << 6,
	S_ANY = (1 << 7) - 1,
};

enum {
	SF_CLOSED = 1 << 0,    /* no members other than props (additionalProperties: false) */
	SF_EXCL_MIN = 1 << 1,  /* min is exclusive */
	SF_EXCL_MAX = 1 << 2,  /* max is exclusive */
	SF_UNCHECKED = 1 << 3, /* a section claw does not read: left to OpenClaw */
	SF_MIN = 1 << 4,       /* min is set */
	SF_MAX = 1 << 5,
	SF_MAX_LEN = 1 << 6,
	SF_MAX_ITEMS = 1 << 7,
	SF_MAX_PROPS = 1 << 8,
	SF_PATTERN = 1 << 9,
};

/*
 * One subschema. Row 0 accepts anything; a child index of 0 is "anything"
 * too. (start, count) pairs index the table's arrays; names and strings are
 * offsets into its text, so the tables need no relocation at start-up.
 */
struct schema_node {
	uint16_t types, flags;
	uint16_t props, nprops;   /* members, sorted by name */
	uint16_t alts, nalts;     /* anyOf/oneOf: one of these must accept the value */
	uint16_t all, nall;       /* allOf: each must */
	uint16_t consts, nconsts; /* const/enum: the value must be one of these */
	uint16_t req, nreq;       /* required member names (strings) */
	uint16_t items;           /* each array element */
	uint16_t extra;           /* other members (additionalProperties), unless SF_CLOSED */
	uint16_t keys;            /* member names (propertyNames) */
	uint16_t pattern;         /* with SF_PATTERN */
	uint16_t min_len, max_len, min_items, max_items, max_props;
	uint16_t bounds; /* with SF_MIN or SF_MAX */
};

struct schema_prop {
	uint32_t name; /* in text */
	uint16_t node;
};

struct schema_const {
	uint16_t type; /* S_STR, S_NUM or S_BOOL */
	uint32_t s;    /* S_STR: in text */
	double n;      /* S_NUM; S_BOOL: 1 or 0 */
};

struct schema_bounds {
	double min, max;
};

struct schema_table {
	const char *version; /* OpenClaw's release the table was made from */
	const struct schema_node *nodes;
	size_t nnodes;
	const struct schema_prop *props;
	const uint16_t *lists;
	const struct schema_const *consts;
	const uint32_t *strings;
	const struct schema_bounds *bounds;
	const char *const *patterns;
	const char *const *pattern_names; /* a format's name ("a URI"), or NULL */
	size_t npatterns;
	const char *text;
	unsigned root;
};

extern const struct schema_table schema_openclaw;

/* ---- claw's own keys (clawkeys.c) ---- */

enum claw_key_type { CK_BOOL, CK_NUMBER, CK_STRING, CK_ENUM, CK_STRINGS };

/* Where a key is: one place, or in each agent's scope. */
enum claw_key_scope {
	CK_ROOT,  /* PATH from the root */
	CK_AGENT, /* PATH under agents.defaults, agents.list[] and agents.entries.<id> */
};

struct claw_key {
	enum claw_key_scope scope;
	const char *path;
	enum claw_key_type type;
	double min, max;            /* CK_NUMBER: min < value <= max */
	const char *const *choices; /* CK_ENUM: NULL-terminated */
	const char *dflt;           /* the default, as the man page writes it */
	const char *meaning;        /* one line, for the man page and claw config keys */
};

extern const struct claw_key claw_keys[];
extern const size_t claw_nkeys;

/* ---- checking ---- */

/* One thing wrong with the config, or one warning. */
struct cfg_problem {
	char *where;   /* "FILE:LINE:COL" (or "FILE") */
	char *path;    /* the key, as "agents.list[0].sandbox.mode" */
	char *message; /* what is wrong and what to do, without WHERE */
	bool warning;  /* works, but should change (a claw key in openclaw.json) */
};

struct cfg_problems {
	struct cfg_problem *v;
	size_t n, cap;
	size_t errors; /* those that are not warnings */
};

struct buf;

/* What schema_check() reads of a config (config.c hands it over): the
 * files' trees and names, and where a node of them is. */
struct schema_input {
	const cJSON *root;            /* openclaw.json as written, or NULL */
	const cJSON *claw_root;       /* claw.json as written, or NULL */
	const char *path, *claw_path; /* for messages; NULL: "openclaw.json", "claw.json" */
	/* "FILE:LINE:COL" of NODE (of its member name when KEY) into OUT. */
	void (*where)(const void *arg, const cJSON *node, bool key, struct buf *out);
	const void *arg;
};

/*
 * Checks the files (openclaw.json against schema_openclaw and claw_keys,
 * claw.json against claw_keys), appending each problem to OUT. Returns the
 * number of errors added (warnings do not count).
 */
size_t schema_check(const struct schema_input *in, struct cfg_problems *out);
/* Appends a problem: WHERE and MESSAGE are taken over, PATH copied. */
void cfg_problem_add(struct cfg_problems *out, char *where, const char *path, char *message,
                     bool warning);
void cfg_problems_free(struct cfg_problems *p);

/* The claw key row for a canonical PATH ("agents.list[].sandbox.native.pts"), or NULL. */
const struct claw_key *claw_key_find(const char *canon);

#endif
