/* binds.h: OpenClaw's sandbox security validation (binds, network, profiles), for every backend. */
#ifndef CLAW_BINDS_H
#define CLAW_BINDS_H

#include <stdbool.h>
#include <stddef.h>

/* A bind as "host:container[:options]", split at the first two colons. */
struct bind {
	char *host;      /* as written, trimmed */
	char *container; /* "" when the spec has no colon */
	char *options;   /* "" when absent */
	bool read_only;  /* options name "ro" */
};

/* Splits SPEC; returns 0, or -1 (claw_error) for options the native backend cannot honour. */
int bind_parse(const char *spec, struct bind *b);
void bind_free(struct bind *b);

struct bind_policy {
	const char *const *allowed_roots; /* the workspace dirs; sources must lie inside one */
	size_t nroots;
	bool allow_external;    /* dangerouslyAllowExternalBindSources */
	bool allow_reserved;    /* dangerouslyAllowReservedContainerTargets */
	const char *extra_home; /* the home of the user the command runs as, or NULL */
	char **resolved;        /* if set: gets each bind's source as judged (its realpath) */
	const char *state_dir;  /* claw's state dir: never bound, whatever the overrides say */
	const char *const *config_files; /* every file claw's config is read from: the same */
	size_t nconfig_files;
};

/*
 * OpenClaw's validateBindMounts: refuses relative sources, sources at, under
 * or above a blocked host path (system dirs, Docker socket dirs, credential
 * dirs in each home), targets at or under /workspace or /agent, and sources
 * outside the allowed roots; and, whatever the dangerous overrides say,
 * claw's state: this installation's state dir and any home's default state
 * dir (.openclaw, .clawdbot: at, under or above one, except inside an
 * allowed root: the agent workspace may live there) and every config file
 * (at or above); each check on the normalised path and again on the
 * realpath of its deepest existing ancestor. Returns 0, or -1 with
 * claw_error() set to OpenClaw's message for the first bad bind. With
 * P->resolved, fills it (N entries, to free) with the realpaths judged, for
 * the mount to check again: a path is a name, and names can be swapped.
 */
int binds_validate(const char *const *binds, size_t n, const struct bind_policy *p);

/*
 * The rule binds_validate() refuses a source by, as a query (claw-audit check
 * asks it): a blocked host path or credential dir at, under or above SOURCE,
 * or claw's state (as binds_validate() judges it against P's allowed roots);
 * on the normalised path, then on its realpath. A relative SOURCE is BIND_SAFE
 * here (binds_validate() refuses it as relative). OUT->path is allocated.
 */
enum bind_block { BIND_SAFE, BIND_BLOCKED, BIND_STATE };
struct bind_blocked {
	enum bind_block what;
	bool covers;     /* SOURCE lies above the path (else at or under it) */
	char *path;      /* the blocked path, or the state path */
	const char *why; /* what it holds, or whose state it is */
};
enum bind_block binds_blocked(const char *source, const struct bind_policy *p,
                              struct bind_blocked *out);

/* A host tree claw itself shows to a sandbox, and what it is ("workspace", for messages). */
struct bind_tree {
	const char *path;
	const char *what;
};

/*
 * A place's trees (the workspace, the agent workspace at /agent), judged by
 * the very rules a bind source is: blocked paths and claw's state (each is
 * an allowed root itself, so only what lies at or above it, or a blocked
 * path it lies in, counts); then its BINDS as binds_validate() judges them.
 * One set of rules, built once. 0, or -1 with claw_error() for the first.
 */
int binds_validate_place(const struct bind_tree *trees, size_t ntrees, const char *const *binds,
                         size_t n, const struct bind_policy *p);

/* "host" refused always; "container:*" unless ALLOW_JOIN. OpenClaw's messages. */
int network_validate(const char *network, bool allow_join);
/* KIND is "seccomp" or "apparmor"; "unconfined" is refused. */
int profile_validate(const char *kind, const char *profile);

/* POSIX normalisation as OpenClaw's: ".", "..", "//" resolved, trailing "/" dropped. */
char *host_path_normalize(const char *raw);
/* The realpath of the deepest existing ancestor, with the rest appended. */
char *host_path_resolve(const char *normalized);
/* ROOT equals TARGET or is a directory prefix of it ("/srv/a" is not inside "/srv/ab"). */
bool host_path_inside(const char *root, const char *target);

#endif
