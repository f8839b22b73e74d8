/* sandbox.h: OpenClaw's sandbox settings, resolved per agent, and the places a scope runs in. */
#ifndef CLAW_SANDBOX_H
#define CLAW_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "sandbox/binds.h"
#include "core/config.h"
#include "core/strvec.h"
#include "sandbox/envsan.h"
#include "native/native.h"
#include "session/session.h"

#define SANDBOX_MAX_SOURCES 48

/* Every key a sandbox reads, with where its value came from (for explain). */
struct sandbox_source {
	const char *key; /* "docker.network" */
	char *from;      /* "agents.list[1].sandbox.docker.network", or "default" */
	char *value;     /* the effective value, as JSON */
};

struct sandbox_settings {
	const struct config *cfg;
	char agent[SESSION_ID_MAX];
	const char *mode, *scope, *access, *backend; /* off|non-main|all, ..., native|docker */
	char *workspace_root;                        /* ~ expanded; default <state>/sandboxes */
	char *agent_workspace;                       /* ~ expanded; default <state>/workspace */
	/* docker.*: OpenClaw's resolved object (the docker backend's arguments and config hash
	 * come from it), and the values the native backend reads; strings point into the config
	 * or into docker */
	cJSON *docker;
	const char *network, *image, *prefix, *workdir, *user;
	const char *seccomp_profile, *apparmor_profile, *setup_command;
	const char *binary; /* docker.binary (claw's own): docker, podman, or a path */
	bool read_only_root;
	struct strvec tmpfs;      /* the paths */
	struct strvec tmpfs_spec; /* as written: "/run:size=64m" (as many) */
	struct strvec cap_drop, dns, extra_hosts;
	struct strvec binds;       /* as written */
	struct bind *parsed_binds; /* as many */
	struct envlist env;        /* docker.env after sanitising */
	long pids_limit;
	long long memory, memory_swap;
	double cpus;
	struct native_ulimit ulimits[NATIVE_MAX_ULIMITS];
	size_t nulimits;
	bool allow_external_binds, allow_reserved_targets, allow_container_join;
	/* native.* (ours) */
	struct strvec etc;
	enum landlock_mode landlock;
	bool pts; /* native.pts: a private devpts instance, so programs can open terminals */
	bool rlimits_only;  /* native.rlimitsOnly: rlimits accepted where no cgroup can be had */
	double undo_max_mb; /* native.undoMaxMb: the undo journal's budget; 0: no journal */
	double undo_max_age_days; /* native.undoMaxAgeDays: runs older cannot be undone */
	/* prune.* */
	double idle_hours, max_age_days;
	struct sandbox_source src[SANDBOX_MAX_SOURCES];
	size_t nsrc;
	struct strvec warnings; /* dropped docker.env names and the like, for stderr and explain */
};

/*
 * Reads agents.list[AGENT].sandbox over agents.defaults.sandbox over
 * OpenClaw's defaults (with scope "shared", the agent's docker and prune
 * keys are ignored, as OpenClaw does), and checks network and profiles as
 * OpenClaw does. Returns 0, or -1 with claw_error() "FILE:LINE:COL: message".
 */
int sandbox_settings_load(const struct config *cfg, const char *agent, struct sandbox_settings *s);
void sandbox_settings_free(struct sandbox_settings *s);
/* Only mode, scope, workspaceAccess and backend, read as sandbox_settings_load() reads
 * them, without the other keys' checks (claw-audit check summarises a config it judges). */
int sandbox_settings_basics(const struct config *cfg, const char *agent,
                            struct sandbox_settings *s);

/*
 * The installation claw-sandbox serves: its state dir, known by its identity
 * (device and inode; its path while it does not exist), as 16 hex digits.
 * What is kept between runs (namespaces, cgroups, kept roots) and the
 * workspaces it made carry it, so that two installations on one host share
 * none of them, whatever their scopes are called.
 */
#define SANDBOX_INSTALLATION 17
void sandbox_installation(const struct config *cfg, char out[SANDBOX_INSTALLATION]);
/* Its directory of kept namespaces under NSPIN_DIR (allocated). */
char *sandbox_pin_dir(const struct config *cfg);

/*
 * Every file claw's config is read from, found or not (a sandbox must not be
 * able to make one either): openclaw.json and claw.json wherever they were
 * looked for (--config, $OPENCLAW_CONFIG_PATH; --claw-config,
 * $CLAW_CONFIG_PATH; else the state dir), and whatever else the config says
 * it read. Into OUT (pointers into CFG), at most 4; returns how many.
 */
size_t sandbox_config_files(const struct config *cfg, const char *out[4]);

/* Where one scope runs: names and host directories. */
struct sandbox_place {
	char *scope_key;
	char slug[SESSION_SLUG_MAX];
	char *name;          /* containerPrefix + slug, cut to 63 ("shared" for scope shared) */
	char *sandbox_dir;   /* workspaceRoot/<slug>: the scope's own workspace */
	char *workspace_dir; /* what is shown at workdir: the sandbox dir, or (rw) the agent's */
	bool workspace_rw;
	char *agent_dir;  /* what is shown at /agent (ro), or NULL */
	char *pin_dir;    /* where, as root, the installation keeps namespaces (nspin.h) */
	char *netns_pin;  /* ... the scope's network namespace among them */
	char *cgroup;     /* the scope's kept cgroups' name: installation.slug */
	char **bind_real; /* each configured bind's source as validated (its realpath) */
	size_t nbinds;
};

/*
 * The place of SCOPE_KEY, and the validation of the configured binds against
 * it (OpenClaw's rules and messages). No file is touched. 0 or -1 (claw_error).
 */
/* A scope's directory under workspaceRoot, and its kept network namespace's
 * name: the slug, or "shared" for the one sandbox of scope "shared". */
const char *sandbox_dir_name(const char *scope_key, const char *slug);

int sandbox_place(const struct sandbox_settings *s, const char *scope_key, struct sandbox_place *p);
/* The trees alone (the workspace, /agent) of SCOPE_KEY's place, by the rule a bind source
 * is judged by: what claw-audit check reports, by the rule a run refuses by. */
int sandbox_trees_validate(const struct sandbox_settings *s, const char *scope_key);
void sandbox_place_free(struct sandbox_place *p);

/*
 * The user a sandboxed command runs as: docker.user when set, else the owner
 * of the state dir; never root (nobody instead). When the launcher is not
 * root, itself (docker.user must then be the same user). 0 or -1 (claw_error).
 */
int sandbox_user(const struct sandbox_settings *s, uid_t *uid, gid_t *gid);

/*
 * Who owns the workspaces claw makes: the caller, or (as root) the owner of
 * the state dir, never root (nobody instead). docker.user plays no part: in a
 * container it names a user of the image.
 */
void sandbox_owner(const struct sandbox_settings *s, uid_t *uid, gid_t *gid);

/*
 * Creates the scope's workspace (mode 0700, owned by UID), seeds it once
 * from the agent workspace's bootstrap files without overwriting, notes its
 * use for prune, and makes the agent workspace when the access mode shows it
 * and it is missing (mode 0700, owned by UID). *LOCK gets a descriptor that
 * holds the workspace's shared lock: keep it open while the sandbox runs (rm
 * and prune leave a locked workspace alone). 0 or -1 (claw_error).
 */
int sandbox_prepare(const struct sandbox_settings *s, const struct sandbox_place *p, uid_t uid,
                    gid_t gid, int *lock);

/*
 * The native sandbox for P, for a run of at most TIMEOUT seconds (0: none);
 * BINDS has room for s->binds.n. Strings point into S and P.
 */
void sandbox_native_spec(const struct sandbox_settings *s, const struct sandbox_place *p, uid_t uid,
                         gid_t gid, double timeout, struct native_spec *ns,
                         struct native_bind *binds);

/* docker.network as the native backend understands it: true for the host's network. */
bool sandbox_host_network(const struct sandbox_settings *s);

/* The metadata file of a scope's workspace: <workspaceRoot>/<slug>.json. */
char *sandbox_meta_path(const struct sandbox_settings *s, const char *slug);

/* Parses Docker's memory sizes ("512m", "1g", 1048576). -1 when invalid. */
long long sandbox_parse_size(const char *text);

#endif
