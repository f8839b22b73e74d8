/*
 * approvals.h: OpenClaw's exec-approvals.json (version 1), read and written.
 *
 * Reading is strict where OpenClaw would fail closed: JSON that does not
 * parse, a version other than 1, a member of the wrong type, a name given
 * twice, a NUL inside a string. Such a file is refused with the reason and
 * never written over: the person who owns it decides what it should say.
 *
 * Writing happens only under the file's lock, on a copy re-read under that
 * lock, and in one step (temporary file, fsync, rename), as OpenClaw writes
 * it: 2-space JSON and a newline, mode 0600.
 */
#ifndef CLAW_APPROVALS_H
#define CLAW_APPROVALS_H

#include <cjson/cJSON.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "core/hash.h"

enum exec_security { SEC_DENY, SEC_ALLOWLIST, SEC_FULL }; /* in order: stricter first */
enum exec_ask { ASK_OFF, ASK_ON_MISS, ASK_ALWAYS };       /* in order: asks more last */

const char *security_name(enum exec_security s);
const char *ask_name(enum exec_ask a);
/* Parses a value; returns false (leaving *out) when S is not one. */
bool security_parse(const char *s, enum exec_security *out);
bool ask_parse(const char *s, enum exec_ask *out);

/* One allow-list entry, as the decision needs it. Strings point into the tree. */
struct allow_entry {
	const char *list;        /* the agent key of its list: "*" or an agent id */
	int index;               /* its place in that list */
	const char *id;          /* NULL when the entry has none */
	const char *raw_pattern; /* as the file has it */
	char *pattern;           /* trimmed, `~` expanded (owned) */
	const char *arg_pattern;
	regex_t *re; /* compiled argPattern, or NULL */
	bool has_re;
	/* claw's binding (written by claw for allow-always) */
	bool bound;
	const cJSON *argv;
	const char *cwd, *sha256, *script, *script_sha256;
	const cJSON *runs; /* [{path, sha256}]: every file the segment runs besides the program */
	/* An entry that can never match, and why (shown by `allowlist ls`). */
	const char *never;
};

/* What the file says for one agent. */
struct approvals_agent {
	bool has_security, has_ask, has_fallback;
	enum exec_security security, fallback;
	enum exec_ask ask;
	bool auto_allow_skills;
	struct allow_entry *entries; /* agents["*"] first, then the agent's own */
	size_t nentries, capentries;
};

struct approvals {
	char *path;
	bool exists;
	struct stat st;        /* identity of what was read, to notice a newer file */
	char hash[SHA256_HEX]; /* sha256 of the text ("" hashed when missing) */
	cJSON *root;           /* never NULL after a load */
};

/*
 * Loads PATH (missing: an empty version-1 file). Returns 0, or -1 with
 * claw_error() naming the file and what is wrong with it.
 */
int approvals_load(struct approvals *a, const char *path);
void approvals_free(struct approvals *a);
/* True when the file on disk is no longer the one loaded (cheap: one stat). */
bool approvals_changed(const struct approvals *a);

/* The agent's settings and allow list. Free with approvals_agent_free(). */
void approvals_for_agent(const struct approvals *a, const char *agent, struct approvals_agent *out);
void approvals_agent_free(struct approvals_agent *ag);

/*
 * Read-modify-write under the lock: re-reads the file, calls FN on its tree,
 * and writes it back when FN returns 1 (0: nothing changed, -1: failed with
 * claw_error()). A file that cannot be read is never written.
 */
int approvals_update(const char *path, int (*fn)(cJSON *root, void *ctx), void *ctx);

/* The agent's allowlist array in ROOT, created when missing. */
cJSON *approvals_list(cJSON *root, const char *agent_key);

/* Renders ROOT as OpenClaw writes it: 2-space JSON and a newline. */
struct buf;
void approvals_render(const cJSON *root, struct buf *out);

#endif
