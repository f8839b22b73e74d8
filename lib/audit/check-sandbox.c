/* check-sandbox.c: claw-audit check, the sandbox settings, binds, workspaces and the kernel
 * features they need. */
#include "audit/seccheck-int.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "native/kernel.h"
#include "native/limits.h"
#include "sandbox/hostview.h"
#include "sandbox/sandbox.h"

static bool has_docker_settings(const cJSON *docker)
{
	return cJSON_IsObject(docker) && docker->child != NULL;
}

static void check_docker_noop(struct ctx *c)
{
	struct strvec paths = { 0 };
	const cJSON *a;
	bool any_on = false;
	struct buf d = { 0 }, p = { 0 };

	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a) && strcmp(sandbox_setting(c, a, "mode", "off"), "off") != 0)
			any_on = true;
	}
	if (has_docker_settings(get(c->root, "agents.defaults.sandbox.docker")) &&
	    strcmp(sandbox_setting(c, NULL, "mode", "off"), "off") == 0 && !any_on)
		strvec_push(&paths, "agents.defaults.sandbox.docker");
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a) && has_docker_settings(get(a, "sandbox.docker")) &&
		    strcmp(sandbox_setting(c, a, "mode", "off"), "off") == 0) {
			buf_reset(&p);
			buf_printf(&p, "agents.list.%s.sandbox.docker", agent_id(a));
			strvec_push(&paths, p.p);
		}
	}
	if (paths.n) {
		buf_puts(&d, "These sandbox settings do nothing while sandbox mode is off:");
		detail_lines(&d, &paths);
		report_add(
		    c, "sandbox.docker_config_mode_off", SEV_WARN,
		    "Sandbox docker settings configured while sandbox mode is off", d.p,
		    "Turn sandboxing on where it was meant to be (agents.defaults.sandbox.mode="
		    "\"non-main\" or \"all\"), or remove the unused settings.");
	}
	strvec_clear(&paths);
	buf_free(&d);
	buf_free(&p);
}

/* The bind policy claw-sandbox judges AGENT's binds by, as far as the config says it. */
static void bind_policy_of(const struct ctx *c, const cJSON *agent, struct bind_policy *bp,
                           struct sandbox_settings *s, const char *roots[2], const char *files[4])
{
	const char *id = agent ? agent_id(agent) : cfg_default_agent(c->cfg);
	bool have = sandbox_settings_load(c->cfg, id, s) == 0;

	roots[0] = have ? s->agent_workspace : NULL;
	roots[1] = have ? s->workspace_root : NULL;
	*bp = (struct bind_policy){ .allowed_roots = roots,
		                    .nroots = have ? 2 : 0,
		                    .state_dir = c->cfg->state_dir,
		                    .config_files = files,
		                    .nconfig_files = sandbox_config_files(c->cfg, files) };
}

static void bind_finding(struct ctx *c, const char *source, const char *spec,
                         const struct bind_blocked *v)
{
	char *rem =
	    xasprintf("Remove \"%s\" from %s.binds; bind project directories only.", spec, source);
	const char *how = v->covers ? "covers" : "targets";

	if (v->what == BIND_STATE)
		report_addf(
		    c, "sandbox.state_dir_bind", SEV_CRITICAL,
		    "Sandbox bind mount exposes claw's state directory", rem,
		    "%s.binds has \"%s\", which %s %s \"%s\": a sandboxed agent could edit its "
		    "own config, approve its own commands, or rewrite the decision log.",
		    source, spec, how, v->why, v->path);
	else
		report_addf(c, "sandbox.dangerous_bind_mount", SEV_CRITICAL,
		            "Dangerous bind mount in sandbox config", rem,
		            "%s.binds has \"%s\", which %s blocked path \"%s\" (%s).", source, spec,
		            how, v->path, v->why);
	free(rem);
}

/* Each bind source judged by claw-sandbox's own rule (binds_blocked). */
static void check_binds(struct ctx *c, const char *source, const cJSON *agent, const cJSON *docker)
{
	const cJSON *b;
	struct sandbox_settings s = { 0 };
	struct bind_policy bp;
	const char *roots[2], *files[4];

	bind_policy_of(c, agent, &bp, &s, roots, files);
	cJSON_ArrayForEach(b, get(docker, "binds"))
	{
		struct bind_blocked v = { 0 };
		if (!cJSON_IsString(b))
			continue;
		char *src = xstrndup(b->valuestring, strcspn(b->valuestring, ":"));
		if (src[0] != '/') {
			char *rem = xasprintf("Rewrite \"%s\" with an absolute host path (for "
			                      "example /home/user/project:/project:ro).",
			                      b->valuestring);
			report_addf(
			    c, "sandbox.bind_mount_non_absolute", SEV_WARN,
			    "Sandbox bind mount uses a non-absolute source path", rem,
			    "%s.binds has \"%s\" with source \"%s\": a relative source depends on "
			    "the directory the sandbox is started from and cannot be checked.",
			    source, b->valuestring, src);
			free(rem);
		} else if (binds_blocked(src, &bp, &v) != BIND_SAFE) {
			bind_finding(c, source, b->valuestring, &v);
		}
		free(v.path);
		free(src);
	}
	sandbox_settings_free(&s);
}

/*
 * The native backend has no bridge: any network but "none" is the host's own,
 * its loopback services included (claw-sandbox(1)). Docker users moving to
 * claw with network "bridge" must hear that.
 */
static void check_native_network(struct ctx *c, const char *source, const cJSON *agent,
                                 const char *net)
{
	struct buf rem = { 0 };

	if (strcmp(sandbox_setting(c, agent, "backend", "native"), "native") != 0 ||
	    strcmp(sandbox_setting(c, agent, "mode", "off"), "off") == 0)
		return;
	buf_printf(&rem,
	           "Set %s.network to \"none\", or use agents.defaults.sandbox.backend "
	           "\"docker\" for a bridged network.",
	           source);
	report_addf(c, "sandbox.native_host_network", SEV_WARN,
	            "Native sandbox shares the host network", rem.p,
	            "%s.network is \"%s\": the native sandbox has no bridge, so it runs on the "
	            "host's network, loopback services included.",
	            source, net);
	buf_free(&rem);
}

static void check_docker_one(struct ctx *c, const char *source, const cJSON *agent,
                             const cJSON *docker)
{
	const char *net = sget(docker, "network");
	struct buf rem = { 0 };
	bool native = strcmp(sandbox_setting(c, agent, "backend", "native"), "native") == 0;

	check_binds(c, source, agent, docker);
	if (net != NULL) {
		char *low = str_lower(str_trim_dup(net));
		bool host = strcmp(low, "host") == 0;
		bool join = str_has_prefix(low, "container:") &&
		            !is_true(docker, "dangerouslyAllowContainerNamespaceJoin");
		if (!host && !join && strcmp(low, "none") != 0)
			check_native_network(c, source, agent, net);
		if (host || join) {
			buf_printf(&rem,
			           native ? "Set %s.network to \"none\"."
			                  : "Set %s.network to \"none\" (or \"bridge\", or a "
			                    "network of your own).",
			           source);
			report_addf(
			    c, "sandbox.dangerous_network_mode", SEV_CRITICAL,
			    "Dangerous network mode in sandbox config", rem.p,
			    host ? "%s.network is \"%s\": the sandbox shares the host's network, "
			           "its local services included."
			         : "%s.network is \"%s\": the sandbox joins another container's "
			           "network namespace.",
			    source, net);
		}
		free(low);
	}
	static const char *const profiles[][3] = {
		{ "seccompProfile", "sandbox.dangerous_seccomp_profile",
		  "Seccomp unconfined in sandbox config" },
		{ "apparmorProfile", "sandbox.dangerous_apparmor_profile",
		  "AppArmor unconfined in sandbox config" },
	};
	for (size_t i = 0; i < NELEM(profiles); i++) {
		const char *v = sget(docker, profiles[i][0]);
		if (v == NULL || strcasecmp(v, "unconfined") != 0)
			continue;
		buf_reset(&rem);
		buf_printf(&rem, "Remove %s.%s, or name a profile of your own.", source,
		           profiles[i][0]);
		report_addf(
		    c, profiles[i][1], SEV_CRITICAL, profiles[i][2], rem.p,
		    "%s.%s is \"unconfined\": the sandbox runs without that layer of protection.",
		    source, profiles[i][0]);
	}
	buf_free(&rem);
}

void check_sandbox_config(struct ctx *c)
{
	const cJSON *a;
	struct buf src = { 0 };

	check_docker_noop(c);
	if (cJSON_IsObject(get(c->root, "agents.defaults.sandbox.docker")))
		check_docker_one(c, "agents.defaults.sandbox.docker", NULL,
		                 get(c->root, "agents.defaults.sandbox.docker"));
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a) == NULL || !cJSON_IsObject(get(a, "sandbox.docker")))
			continue;
		buf_reset(&src);
		buf_printf(&src, "agents.list.%s.sandbox.docker", agent_id(a));
		check_docker_one(c, src.p, a, get(a, "sandbox.docker"));
	}
	buf_free(&src);
}

/* Whether DIR has a repository below its top: a directory of it holds a .git. */
static bool holds_repository(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	bool found = false;

	while (d && !found && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || strcmp(e->d_name, "..") == 0))
			continue;
		char *git = xasprintf("%s/.git", e->d_name);
		found = fstatat(dirfd(d), git, &st, AT_SYMLINK_NOFOLLOW) == 0;
		free(git);
	}
	if (d)
		closedir(d);
	return found;
}

/*
 * The trees each agent's sandbox shows (its workspace, the agent workspace at
 * /agent), judged by the rule claw-sandbox refuses a run by (binds.c, the rule
 * for a bind source): no credential directory of a home, no claw state dir,
 * no config file claw reads, at, under or above.
 */
static void check_workspace_one(struct ctx *c, const char *agent, const char *label)
{
	struct sandbox_settings s;
	struct buf rem = { 0 }, key = { 0 };

	if (sandbox_settings_load(c->cfg, agent, &s) < 0) {
		sandbox_settings_free(
		    &s); /* a broken sandbox config is reported where it is read */
		return;
	}
	buf_printf(&key, "agent:%s:main", s.agent);
	if (strcmp(s.mode, "off") != 0 && sandbox_trees_validate(&s, key.p) < 0) {
		buf_printf(
		    &rem,
		    "Give %s a workspace of its own (agents.*.workspace) outside every home's "
		    "credential directories and claw's state, keep config files "
		    "(OPENCLAW_CONFIG_PATH, claw.json) out of every workspace, or set "
		    "workspaceAccess to \"none\".",
		    label);
		report_addf(c, "sandbox.workspace_exposed", SEV_CRITICAL,
		            "Sandbox workspace shows credentials or claw's own state", rem.p,
		            "%s: %s", label, claw_error());
	}
	/* Persistence paths are protected at the top of each writable tree (claw-sandbox(1)):
	 * a repository deeper inside keeps its hooks and config writable. */
	const char *nested = NULL;
	if (strcmp(s.access, "rw") == 0 && holds_repository(s.agent_workspace))
		nested = s.agent_workspace;
	for (size_t i = 0; i < s.binds.n && nested == NULL; i++)
		if (!s.parsed_binds[i].read_only && holds_repository(s.parsed_binds[i].host))
			nested = s.parsed_binds[i].host;
	if (strcmp(s.mode, "off") != 0 && nested) {
		buf_reset(&rem);
		buf_printf(
		    &rem, "Bind each repository the agent works on as a tree of its own "
		          "(agents.*.sandbox.docker.binds: \"/home/you/repos/app:/repos/app:rw\"), "
		          "so its .git is read-only inside; or set core.hooksPath and check "
		          ".git/config before running git on the host in a repository a sandbox "
		          "wrote to.");
		report_addf(
		    c, "sandbox.nested_repositories", SEV_WARN,
		    "Repositories inside a writable tree keep their hooks writable", rem.p,
		    "%s: %s, read-write in the sandbox, holds repositories; persistence paths "
		    "(.git, .envrc, rc files, ...) are read-only only at the top of each writable "
		    "tree: a repository deeper inside (repos/app/.git) keeps .git/hooks and "
		    ".git/config writable, and the host's git runs them.",
		    label, nested);
	}
	buf_free(&rem);
	buf_free(&key);
	sandbox_settings_free(&s);
}

void check_workspaces(struct ctx *c)
{
	const cJSON *a;
	const char *def = cfg_default_agent(c->cfg);

	check_workspace_one(c, def ? def : "main", "agents.defaults");
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		char label[160];
		if (agent_id(a) == NULL || (def && strcmp(agent_id(a), def) == 0))
			continue;
		snprintf(label, sizeof(label), "agents.list.%s", agent_id(a));
		check_workspace_one(c, agent_id(a), label);
	}
}

/* native.rlimitsOnly of AGENT's sandbox (over agents.defaults'). */
/* native.rlimitsOnly as claw-sandbox reads it for AGENT (NULL: the default agent). */
static bool rlimits_only(const struct ctx *c, const cJSON *agent)
{
	struct sandbox_settings s;
	bool on = sandbox_settings_load(c->cfg, agent ? agent_id(agent) : NULL, &s) == 0 &&
	          s.rlimits_only;

	sandbox_settings_free(&s);
	return on;
}

/* Contexts that accept rlimits where no cgroup can be had, and what that means here. */
static void check_rlimits_only(struct ctx *c, const struct strvec *who)
{
	struct native_spec all = { .pids_max = 1, .memory_max = 1, .cpus = 1 };
	struct native_limits l;
	struct buf d = { 0 };

	if (who->n == 0)
		return;
	limits_probe(&all, &l);
	buf_puts(&d, "native.rlimitsOnly is true for:");
	detail_lines(&d, who);
	if (strcmp(limits_assurance(&l), "rlimits-only") == 0)
		buf_printf(&d,
		           "\nOn this host no cgroup can be had (%s), so these runs have "
		           "rlimits only: docker.memory is per process (N processes may use N "
		           "times it, and shared memory is not counted) and docker.cpus is "
		           "not enforced.",
		           l.why);
	else
		buf_printf(&d,
		           "\nOn this host cgroups serve (%s); elsewhere these runs would "
		           "fall back to rlimits.",
		           limits_assurance(&l));
	report_add(c, "sandbox.native.rlimits_only", SEV_WARN,
	           "The sandbox may run with per-process rlimits instead of cgroup limits", d.p,
	           "Run claw where cgroups can be had (as root, or in a delegated cgroup: "
	           "claw-sandbox(1), LIMITS) and remove native.rlimitsOnly, so that memory and CPU "
	           "limits hold for the whole run.");
	buf_free(&d);
}

/* What the native backend needs from the kernel, for each agent that uses it. */
void check_kernel(struct ctx *c)
{
	struct tool_ctx *ctxs = xcalloc(MAX_CONTEXTS, sizeof(*ctxs));
	size_t n = tool_contexts(c, ctxs, MAX_CONTEXTS);
	struct strvec users = { 0 }, strict = { 0 }, rlimits = { 0 };
	struct kernel_features k;
	struct buf d = { 0 }, line = { 0 };

	for (size_t i = 0; i < n; i++) {
		const char *mode = sandbox_setting(c, ctxs[i].agent, "mode", "off");
		const char *backend = sandbox_setting(c, ctxs[i].agent, "backend", "native");
		const char *ll = sandbox_setting(c, ctxs[i].agent, "native.landlock", "auto");
		if (strcmp(mode, "off") == 0 || strcmp(backend, "native") != 0)
			continue;
		buf_reset(&line);
		buf_printf(&line, "%s (sandbox mode %s, backend native)", ctxs[i].label, mode);
		strvec_push(&users, line.p);
		if (strcmp(ll, "required") == 0)
			strvec_push(&strict, ctxs[i].label);
		if (rlimits_only(c, ctxs[i].agent))
			strvec_push(&rlimits, ctxs[i].label);
	}
	free(ctxs);
	check_rlimits_only(c, &rlimits);
	if (users.n == 0)
		goto done;
	kernel_probe(&k);
	struct strvec missing = { 0 };
	if (!k.userns)
		strvec_push(&missing, k.userns_why);
	if (!k.cgroupns)
		strvec_push(&missing, "the kernel has no cgroup namespaces (CONFIG_CGROUPS)");
	if (!k.seccomp_filter)
		strvec_push(&missing, k.seccomp_why);
	if (k.landlock_abi == 0 && strict.n > 0) {
		buf_reset(&line);
		buf_printf(&line, "%s, and sandbox.native.landlock is \"required\"",
		           k.landlock_why);
		strvec_push(&missing, line.p);
	}
	if (missing.n) {
		buf_puts(&d, "The native sandbox cannot start on this kernel:");
		detail_lines(&d, &missing);
		buf_puts(&d,
		         "\nThese sessions are meant to run in it, so each of their commands is "
		         "refused (claw fails closed):");
		detail_lines(&d, &users);
		report_add(c, "sandbox.native.kernel_unsupported", SEV_CRITICAL,
		           "Kernel lacks features the native sandbox needs", d.p,
		           "Enable them (sysctl, kernel build, boot parameters), or use the docker "
		           "backend (agents.defaults.sandbox.backend=\"docker\").");
	} else if (k.landlock_abi == 0) {
		report_addf(
		    c, "sandbox.native.landlock_unavailable", SEV_INFO,
		    "Landlock is not available; the native sandbox runs without it", NULL,
		    "%s. File access inside the sandbox is limited by its own mount namespace "
		    "alone (sandbox.native.landlock is \"auto\").",
		    k.landlock_why);
	}
	strvec_clear(&missing);
done:
	strvec_clear(&users);
	strvec_clear(&strict);
	strvec_clear(&rlimits);
	buf_free(&d);
	buf_free(&line);
}

/* Host runs need a view without claw's state (sandbox/hostview.h); without it they are refused. */
void check_hostview(struct ctx *c)
{
	struct tool_ctx *ctxs = xcalloc(MAX_CONTEXTS, sizeof(*ctxs));
	size_t n = tool_contexts(c, ctxs, MAX_CONTEXTS);
	struct strvec host = { 0 };
	char why[256];

	for (size_t i = 0; i < n; i++)
		if (strcmp(sandbox_setting(c, ctxs[i].agent, "mode", "off"), "all") != 0)
			strvec_push(&host, ctxs[i].label);
	free(ctxs);
	if (host.n > 0 && !hostview_probe(why, sizeof(why))) {
		struct buf d = { 0 };
		buf_printf(&d,
		           "%s.\nSo every command these would run on the host is refused "
		           "(claw fails closed):",
		           why);
		detail_lines(&d, &host);
		report_add(
		    c, "exec.host.view_unavailable", SEV_CRITICAL,
		    "Host runs cannot hide claw's state, so they are refused", d.p,
		    "Allow user namespaces (sysctl kernel.unprivileged_userns_clone=1, "
		    "user.max_user_namespaces) and boot with Landlock (lsm=...,landlock), or "
		    "sandbox every session (agents.defaults.sandbox.mode=\"all\").");
		buf_free(&d);
	}
	strvec_clear(&host);
}
