/* inventory.h: the sandboxes there are: workspaces on disk, containers in the engines. */
#ifndef CLAW_INVENTORY_H
#define CLAW_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strvec.h"
#include "sandbox/docker.h"
#include "sandbox/sandbox.h"

struct sandbox_entry {
	char *name;      /* the sandbox's (and its container's) name */
	char *scope_key; /* "" when not known */
	char *agent;     /* "" when not known */
	char *slug;      /* the scope's slug: its workspace and metadata file are named after it */
	char *root;      /* the workspace root holding its workspace, or NULL: none on disk */
	long long created_ms, used_ms; /* used_ms -1: not known (a container with no workspace) */
	struct docker_container *container; /* NULL: none */
	const char *binary;                 /* the engine program that has the container */
	int image_match, hash_match;        /* 1 or 0 against its agent's config; -1 unknown */
};

struct sandbox_inventory {
	struct sandbox_entry *v;
	size_t n, cap;
	char installation[SANDBOX_INSTALLATION]; /* whose: only its workspaces are listed */
	char *pin_dir;                           /* its kept namespaces (as root) */
	struct strvec errors; /* an engine that could not be asked, in words: for stderr */
};

/*
 * Every workspace of this installation under the agents' workspace roots (a
 * workspace another installation made there, as its metadata says, is not
 * this one's to list or remove), and every sandbox container (label
 * openclaw.sandbox=1) of the engine of each agent whose backend is docker,
 * one entry per name. AGENTS[0] stands for a scope that names no agent
 * (shared); N is at least 1.
 */
void inventory_scan(const struct sandbox_settings *const *agents, size_t n,
                    struct sandbox_inventory *inv);
void inventory_free(struct sandbox_inventory *inv);

/*
 * Removes a sandbox: its container (docker rm -f), then, unless
 * CONTAINER_ONLY, its workspace and metadata, and as root the native
 * backend's kept network namespace and cgroups. Symlinks are removed, never
 * followed. 0 or -1 (claw_error).
 */
int inventory_remove(const struct sandbox_inventory *inv, const struct sandbox_entry *e,
                     bool container_only);

/* Everything INV's installation keeps under NSPIN_DIR unpinned (rm --all, as root). */
int inventory_unpin_all(const struct sandbox_inventory *inv);

#endif
