/*
 * inventory.c: what claw-sandbox list, rm and prune work on. A workspace is
 * known by its metadata file (<workspaceRoot>/<slug>.json, whose time is the
 * last use); a container by its labels, so a container OpenClaw made is seen
 * too. Both are one entry when they have the same name.
 */
#include "sandbox/inventory.h"

#include <dirent.h>
#include <errno.h>
#include <linux/openat2.h>
#include <sys/file.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "native/native.h"
#include "native/limits.h"
#include "native/nspin.h"
#include "session/session.h"
#include "core/alloc.h"
#include "core/util.h"

static char *meta_string(const cJSON *m, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, key);
	return xstrdup(cJSON_IsString(v) ? v->valuestring : "");
}

static struct sandbox_entry *add(struct sandbox_inventory *inv)
{
	ALLOC_GROW(inv->v, inv->n + 1, inv->cap);
	struct sandbox_entry *e = &inv->v[inv->n++];
	memset(e, 0, sizeof(*e));
	e->image_match = e->hash_match = -1;
	return e;
}

/*
 * Whether metadata M is of INV's installation: it names it, or (the device
 * numbers of a state dir can change across boots) the same state dir; or it
 * names none (made before installations were told apart).
 */
static bool ours(const cJSON *m, const struct sandbox_inventory *inv, const char *state)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "installation");
	const cJSON *dir = cJSON_GetObjectItemCaseSensitive(m, "stateDir");

	if (!cJSON_IsString(id))
		return true;
	return strcmp(id->valuestring, inv->installation) == 0 ||
	       (cJSON_IsString(dir) && state && strcmp(dir->valuestring, state) == 0);
}

static void scan_root(const char *root, struct sandbox_inventory *inv, const char *state)
{
	DIR *d = opendir(root);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		char *path = xasprintf("%s/%s", root, de->d_name), *data;
		size_t n;
		struct stat st;
		if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
		    read_file(path, 65536, &data, &n) < 0) {
			free(path);
			continue;
		}
		cJSON *m = cJSON_ParseWithLength(data, n);
		if (!ours(m, inv, state)) {
			cJSON_Delete(m);
			free(data);
			free(path);
			continue;
		}
		const cJSON *created = cJSON_GetObjectItemCaseSensitive(m, "createdAtMs");
		struct sandbox_entry *e = add(inv);
		e->root = xstrdup(root);
		e->slug = xstrndup(de->d_name, len - 5);
		e->scope_key = meta_string(m, "scopeKey");
		e->agent = meta_string(m, "agent");
		e->name = meta_string(m, "name");
		e->created_ms = cJSON_IsNumber(created) ? (long long)created->valuedouble : 0;
		e->used_ms = (long long)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
		cJSON_Delete(m);
		free(data);
		free(path);
	}
	closedir(d);
}

static bool seen_before(struct strvec *seen, const char *s)
{
	if (strvec_has(seen, s))
		return true;
	strvec_push(seen, s);
	return false;
}

/* The agent of a scope key "agent:<id>:...", or "" (shared). */
static char *agent_of(const char *scope_key)
{
	if (!str_has_prefix(scope_key, "agent:"))
		return xstrdup("");
	const char *id = scope_key + 6;
	return xstrndup(id, strcspn(id, ":"));
}

static const struct sandbox_settings *settings_of(const struct sandbox_settings *const *agents,
                                                  size_t n, const char *agent)
{
	for (size_t i = 0; i < n && agent[0]; i++)
		if (strcmp(agents[i]->agent, agent) == 0)
			return agents[i];
	return n ? agents[0] : NULL;
}

/* How the container compares with what its agent's config would make now. */
static void judge(struct sandbox_entry *e, const struct sandbox_settings *s)
{
	struct sandbox_place p;
	char hash[SHA256_HEX];

	if (s == NULL || s->backend == NULL || strcmp(s->backend, "docker") != 0 ||
	    e->scope_key[0] == '\0')
		return;
	e->image_match = strcmp(e->container->image, s->image) == 0;
	if (sandbox_place(s, e->scope_key, &p) < 0)
		return;
	docker_config_hash(s, &p, hash);
	e->hash_match = e->container->config_hash && strcmp(e->container->config_hash, hash) == 0;
	sandbox_place_free(&p);
}

static void attach(struct sandbox_inventory *inv, struct docker_container *c, const char *binary,
                   const struct sandbox_settings *const *agents, size_t n)
{
	struct sandbox_entry *e = NULL;

	for (size_t i = 0; i < inv->n && e == NULL; i++)
		if (inv->v[i].container == NULL && strcmp(inv->v[i].name, c->name) == 0)
			e = &inv->v[i];
	if (e == NULL) {
		char slug[SESSION_SLUG_MAX] = "";
		e = add(inv);
		e->name = xstrdup(c->name);
		e->scope_key = xstrdup(c->scope_key ? c->scope_key : "");
		e->agent = agent_of(e->scope_key);
		if (c->scope_key)
			session_slug(c->scope_key, slug);
		e->slug = xstrdup(slug);
		e->created_ms = c->created_ms;
		e->used_ms = -1;
	}
	e->container = xmalloc(sizeof(*e->container));
	*e->container = *c;
	e->binary = binary;
	judge(e, settings_of(agents, n, e->agent));
}

static void scan_engine(const char *binary, struct sandbox_inventory *inv,
                        const struct sandbox_settings *const *agents, size_t n)
{
	struct docker_container *c;
	size_t nc;

	if (docker_list(binary, &c, &nc) < 0) {
		strvec_push(&inv->errors, claw_error());
		return;
	}
	for (size_t i = 0; i < nc; i++)
		attach(inv, &c[i], binary, agents, n);
	free(c); /* the entries own what the containers pointed to */
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct sandbox_entry *)a)->name,
	              ((const struct sandbox_entry *)b)->name);
}

void inventory_scan(const struct sandbox_settings *const *agents, size_t n,
                    struct sandbox_inventory *inv)
{
	struct strvec roots = { 0 }, engines = { 0 };

	memset(inv, 0, sizeof(*inv));
	sandbox_installation(agents[0]->cfg, inv->installation);
	inv->pin_dir = sandbox_pin_dir(agents[0]->cfg);
	char *state = realpath(agents[0]->cfg->state_dir, NULL);
	for (size_t i = 0; i < n; i++)
		if (agents[i]->workspace_root && !seen_before(&roots, agents[i]->workspace_root))
			scan_root(agents[i]->workspace_root, inv, state);
	free(state);
	for (size_t i = 0; i < n; i++)
		if (agents[i]->backend && strcmp(agents[i]->backend, "docker") == 0 &&
		    agents[i]->binary && !seen_before(&engines, agents[i]->binary))
			scan_engine(agents[i]->binary, inv, agents, n);
	if (inv->n > 1)
		qsort(inv->v, inv->n, sizeof(*inv->v), by_name);
	strvec_clear(&roots);
	strvec_clear(&engines);
}

void inventory_free(struct sandbox_inventory *inv)
{
	for (size_t i = 0; i < inv->n; i++) {
		struct sandbox_entry *e = &inv->v[i];
		free(e->name), free(e->scope_key), free(e->agent), free(e->slug), free(e->root);
		docker_containers_free(e->container, e->container ? 1 : 0);
	}
	strvec_clear(&inv->errors);
	free(inv->pin_dir);
	free(inv->v);
	memset(inv, 0, sizeof(*inv));
}

/*
 * The scope's workspace is held: the launcher keeps its flock shared for the
 * whole run, and this takes it exclusive without waiting. *ROOT and *WS are
 * the workspace root and the workspace (-1: none), for remove_workspace().
 */
static int hold_workspace(const struct sandbox_entry *e, int *root, int *ws)
{
	*ws = -1;
	*root = open(e->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*root < 0)
		return errno == ENOENT ? 0 : claw_fail("%s: %s", e->root, strerror(errno));
	const char *dir = sandbox_dir_name(e->scope_key, e->slug);
	*ws = openat_beneath(*root, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, RESOLVE_NO_XDEV);
	if (*ws < 0 && errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
		return claw_fail("%s/%s: %s", e->root, dir, strerror(errno));
	if (*ws >= 0 && flock(*ws, LOCK_EX | LOCK_NB) < 0)
		return claw_fail(errno == EWOULDBLOCK
		                     ? "%s is running: not removed (its workspace %s/%s is in use)"
		                     : "%s: cannot lock %s/%s",
		                 e->name, e->root, dir);
	return 0;
}

/*
 * The workspace, then what is kept for it: metadata, kept network and IPC
 * namespaces, cgroups. Removal goes by descriptors and never follows a
 * symlink or enters a mount (claw-sandbox(1) threat 11), so nothing a command left in the
 * workspace leads it out. A workspace that cannot be removed (a mount point
 * in it, a file its user may not delete) keeps everything else: the sandbox
 * stays whole and listed, and the reason is reported.
 */
static int remove_workspace(const struct sandbox_inventory *inv, const struct sandbox_entry *e,
                            int root)
{
	const char *name = sandbox_dir_name(e->scope_key, e->slug);
	char *dir = xasprintf("%s/%s", e->root, name);
	char *meta = xasprintf("%s.json", e->slug), *lock = xasprintf("%s.json.lock", e->slug);
	char *pin = xasprintf("%s/netns/%s", inv->pin_dir, name);
	char *cgroup = xasprintf("%s.%s", inv->installation, e->slug);
	int rc = -1;

	if (remove_tree_at(root, name, dir) < 0)
		goto out;
	if (geteuid() == 0 && (nspin_remove(pin) < 0 || native_cgroups_remove(cgroup) < 0))
		goto out;
	if (unlinkat(root, meta, 0) < 0 && errno != ENOENT) {
		claw_fail("cannot remove %s/%s: %s", e->root, meta, strerror(errno));
		goto out;
	}
	/* The docker backend's lock on the scope: nothing to guard once the scope is gone. */
	unlinkat(root, lock, 0);
	rc = 0;
out:
	free(pin);
	free(cgroup);
	free(dir);
	free(meta);
	free(lock);
	return rc;
}

int inventory_unpin_all(const struct sandbox_inventory *inv)
{
	static const char *const kinds[] = { "netns", "mntns", "userns" };
	int rc = 0;

	for (size_t i = 0; i < NELEM(kinds); i++) {
		char *dir = xasprintf("%s/%s", inv->pin_dir, kinds[i]);
		rc |= nspin_remove_all(dir);
		free(dir);
	}
	if (rc == 0 && rmdir(inv->pin_dir) < 0 && errno != ENOENT && errno != ENOTEMPTY)
		rc = claw_fail("rmdir %s: %s", inv->pin_dir, strerror(errno));
	return rc;
}

int inventory_remove(const struct sandbox_inventory *inv, const struct sandbox_entry *e,
                     bool container_only)
{
	int root = -1, ws = -1, rc = 0;

	if (!container_only && e->root != NULL)
		rc = hold_workspace(e, &root, &ws);
	if (rc == 0 && e->container && docker_remove(e->binary, e->name) < 0)
		rc = -1;
	if (rc == 0 && root >= 0)
		rc = remove_workspace(inv, e, root);
	if (ws >= 0)
		close(ws);
	if (root >= 0)
		close(root);
	return rc;
}
