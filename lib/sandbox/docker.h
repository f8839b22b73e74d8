/* docker.h: the Docker/Podman backend: OpenClaw's containers, argument for argument. */
#ifndef CLAW_DOCKER_H
#define CLAW_DOCKER_H

#include <stdbool.h>
#include <stddef.h>

#include "sandbox/envsan.h"
#include "core/hash.h"
#include "sandbox/run.h"
#include "sandbox/sandbox.h"

/* OpenClaw's hot window: a running container used this recently is kept on a config change. */
#define DOCKER_HOT_MS (5LL * 60 * 1000)
/* OpenClaw's mount format (the ":z" suffixes), a label and part of the config hash. */
#define DOCKER_MOUNT_FORMAT 2
/* The variable that marks the processes of one exec, so a timeout can find them. */
#define DOCKER_EXEC_MARK "CLAW_EXEC_ID"

/* A container as docker inspect describes it. */
struct docker_container {
	char *name;           /* without Docker's leading "/" */
	char *image;          /* Config.Image */
	char *scope_key;      /* label openclaw.sessionKey, or NULL */
	char *config_hash;    /* label openclaw.configHash, or NULL */
	long long created_ms; /* label openclaw.createdAtMs, or 0 */
	bool sandbox;         /* label openclaw.sandbox=1 */
	bool running;         /* State.Running */
};

/*
 * Parses the output of docker (or podman) inspect: a JSON array of
 * containers. Returns 0 with *OUT (N entries, allocated), or -1 (claw_error).
 */
int docker_inspect_parse(const char *json, size_t len, struct docker_container **out, size_t *n);
void docker_containers_free(struct docker_container *c, size_t n);
/* Frees what one entry holds. */
void docker_container_clear(struct docker_container *c);

/*
 * OpenClaw's config hash of a scope: the SHA-256 of the JSON, keys sorted, of
 * {agentWorkspaceDir, docker, mountFormatVersion, workspaceAccess, workspaceDir}.
 */
void docker_config_hash(const struct sandbox_settings *s, const struct sandbox_place *p,
                        char out[SHA256_HEX]);

/* One command in the container of a scope. */
struct docker_run {
	const struct sandbox_settings *s;
	const struct sandbox_place *p;
	char *const *argv;   /* inside: {"/bin/sh", "-lc", CMD}, or exec's argv */
	char *const *envp;   /* its variables, each NAME=value, PATH not among them */
	const char *workdir; /* inside */
	double timeout;      /* seconds; 0: none */
	bool capture;        /* collect the output (else the terminal's is passed) */
	bool pass_through;   /* with capture: run_spec's pass_through (claw exec) */
	bool tty;            /* docker exec -t */
	struct buf *dry_run; /* non-NULL: each docker argv a JSON line here, none run */
	struct buf *notes;   /* warnings for the caller to show, one a line */
};

/*
 * Makes sure the scope's container exists, is current and runs (OpenClaw's
 * image check, create, start, setupCommand and recreate rule, under a lock),
 * then runs the command in it with docker exec. Returns 0 when the command
 * ran, whatever its status (in a dry run: when it would have); -1 with
 * claw_error() and r->failed (125 the engine failed, 126 refused) when it never
 * did. Never runs anything on the host but the docker binary.
 */
int docker_run(const struct docker_run *d, struct run_result *r);

/*
 * The container NAME as BINARY's engine knows it: 1 (and *C filled), 0 no such
 * container, -1 the engine could not say (claw_error).
 */
int docker_lookup(const char *binary, const char *name, struct docker_container *c);

/* Every sandbox container (label openclaw.sandbox=1) of BINARY's engine. 0 or -1. */
int docker_list(const char *binary, struct docker_container **out, size_t *n);

/* docker rm -f NAME. 0 or -1 (claw_error). */
int docker_remove(const char *binary, const char *name);

/* The docker create argv for P as a JSON array (explain shows it), CREATED_MS in its label. */
void docker_create_json(const struct sandbox_settings *s, const struct sandbox_place *p,
                        long long created_ms, struct buf *out);

/* docker create's --user: docker.user as written; unset, the workspace's owner uid:gid
 * (OpenClaw's rule), never 0 (65534 instead). Allocated. */
char *docker_user(const struct sandbox_settings *s, const struct sandbox_place *p);

/* The recreate hint for a scope: the claw-sandbox rm command that applies a config change. */
char *docker_recreate_hint(const struct sandbox_settings *s, const struct sandbox_place *p);

#endif
