/*
 * sandbox.c: OpenClaw's sandbox settings (agents.defaults.sandbox and
 * agents.list[].sandbox), resolved as OpenClaw resolves them, and the places
 * (names, directories) a scope runs in. Shared by every backend.
 */
#include "sandbox/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/fsuid.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/binds.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "native/nspin.h"
#include "core/util.h"

/*
 * OpenClaw's resolved docker object (resolveSandboxDockerConfig), key by key:
 * the agent's value over the global one over this default (JSON text; NULL:
 * no default, the key is left out). env, ulimits and binds are merged apart.
 * The docker backend builds its arguments and the config hash from it, so the
 * defaults live here once.
 */
static const struct {
	const char *key;
	const char *dflt;
} docker_keys[] = {
	{ "docker.image", "\"openclaw-sandbox:bookworm-slim\"" },
	{ "docker.containerPrefix", "\"openclaw-sbx-\"" },
	{ "docker.workdir", "\"/workspace\"" },
	{ "docker.readOnlyRoot", "true" },
	{ "docker.tmpfs", "[\"/tmp\",\"/var/tmp\",\"/run\"]" },
	{ "docker.network", "\"none\"" },
	{ "docker.user", NULL },
	{ "docker.capDrop", "[\"ALL\"]" },
	{ "docker.setupCommand", NULL },
	{ "docker.pidsLimit", NULL },
	{ "docker.memory", NULL },
	{ "docker.memorySwap", NULL },
	{ "docker.cpus", NULL },
	{ "docker.seccompProfile", NULL },
	{ "docker.apparmorProfile", NULL },
	{ "docker.dns", NULL },
	{ "docker.extraHosts", NULL },
	{ "docker.dangerouslyAllowReservedContainerTargets", NULL },
	{ "docker.dangerouslyAllowExternalBindSources", NULL },
	{ "docker.dangerouslyAllowContainerNamespaceJoin", NULL },
};

/* claw's own docker key, kept out of OpenClaw's object (and so out of the config hash). */
#define DEFAULT_DOCKER_BINARY "docker"

/* Files of the agent workspace copied into a new sandbox workspace, never over one. */
static const char *const bootstrap_files[] = {
	"AGENTS.md", "SOUL.md",      "TOOLS.md",     "IDENTITY.md",
	"USER.md",   "BOOTSTRAP.md", "HEARTBEAT.md",
};

/*
 * Names at the top of a writable tree that the host runs on its own later:
 * read-only inside the sandbox whether they exist or not (persist.c), so a
 * command cannot plant code there (claw-sandbox(1) threat 10). DIR: a directory by nature,
 * so a placeholder for it is an empty directory (an empty .git file would
 * break git there; an empty directory is passed over).
 */
static const struct native_protect persistence_names[] = {
	{ ".git", true },           /* hooks and config run by the host's git (core.hooksPath,
	                               core.fsmonitor, core.pager); a .git file names a gitdir */
	{ ".gitmodules", false },   /* submodule URLs and update commands */
	{ ".gitconfig", false },    /* git's config, where the tree is a home */
	{ ".hg", true },            /* Mercurial's hooks and config (.hg/hgrc) */
	{ ".github", true },        /* workflows a push runs (.github/workflows) */
	{ ".bashrc", false },       /* sourced by the host's interactive shells */
	{ ".bash_profile", false }, /* sourced by login shells */
	{ ".bash_login", false },   /* the same */
	{ ".bash_logout", false },  /* sourced as a login shell exits */
	{ ".profile", false },      /* the same as .bash_profile, for sh */
	{ ".zshrc", false },        /* zsh */
	{ ".zshenv", false },       /* zsh, every shell */
	{ ".zprofile", false },     /* zsh login */
	{ ".zlogin", false },       /* zsh login, after .zshrc */
	{ ".envrc", false },        /* direnv runs it on cd */
	{ ".npmrc", false },        /* npm's config: scripts, registries, tokens */
	{ ".yarnrc.yml", false },   /* yarn's: yarnPath runs any file */
	{ ".yarnrc", false },       /* yarn 1's: yarn-path, the same */
	{ ".pre-commit-config.yaml", false }, /* what pre-commit's installed hook runs on commit */
	{ "lefthook.yml", false },            /* the same for lefthook's */
	{ ".lefthook.yml", false },           /* the same */
	{ "lefthook-local.yml", false },      /* the same, merged in */
	{ ".lefthook-local.yml", false },     /* the same */
	{ ".lefthook", true },                /* lefthook's scripts */
	{ "mise.toml", false },    /* mise's hooks and env, run on cd once the file is trusted */
	{ ".mise.toml", false },   /* the same */
	{ ".jj", true },           /* Jujutsu's repository and config (aliases, editor, pager) */
	{ ".cargo", true },        /* cargo's config: build.rustc-wrapper, aliases */
	{ ".vscode", true },       /* tasks and settings an editor runs */
	{ ".idea", true },         /* the same for JetBrains */
	{ ".cursor", true },       /* the same for Cursor, and its MCP servers */
	{ ".zed", true },          /* Zed's: the language servers it starts */
	{ ".helix", true },        /* Helix's: the same */
	{ ".devcontainer", true }, /* the commands a dev container runs, the tree mounted */
	{ ".kiro", true },         /* Kiro's hooks, run as files change */
	{ ".mcp.json", false },    /* MCP servers an agent starts (Claude Code, others) */
	{ ".claude", true },       /* another agent's settings and hooks (CVE-2026-25725's class) */
	{ ".codex", true },        /* the same */
	{ ".gemini", true },       /* the same for Gemini CLI */
	{ ".opencode", true },     /* the same for opencode: its plugins run as it starts */
	{ "opencode.json", false },       /* the same */
	{ ".continue", true },            /* Continue's MCP servers */
	{ ".roo", true },                 /* Roo Code's */
	{ ".amazonq", true },             /* Amazon Q's */
	{ ".openclaw", true },            /* OpenClaw's own config and approvals */
	{ "openclaw.json", false },       /* the same, at the top */
	{ "exec-approvals.json", false }, /* the approval allow-list */
	{ "claw.json", false },           /* claw's own settings */
};
_Static_assert(NELEM(persistence_names) <= 64, "persist.c keeps a bit for each");

static const struct {
	const char *name;
	int resource;
} ulimit_names[] = {
	{ "core", RLIMIT_CORE },         { "cpu", RLIMIT_CPU },
	{ "data", RLIMIT_DATA },         { "fsize", RLIMIT_FSIZE },
	{ "locks", RLIMIT_LOCKS },       { "memlock", RLIMIT_MEMLOCK },
	{ "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE },
	{ "nofile", RLIMIT_NOFILE },     { "nproc", RLIMIT_NPROC },
	{ "rss", RLIMIT_RSS },           { "rtprio", RLIMIT_RTPRIO },
	{ "rttime", RLIMIT_RTTIME },     { "sigpending", RLIMIT_SIGPENDING },
	{ "stack", RLIMIT_STACK },       { "as", RLIMIT_AS },
};

static const char *const modes[] = { "off", "non-main", "all", NULL };
static const char *const accesses[] = { "none", "ro", "rw", NULL };
static const char *const backends[] = { "native", "docker", NULL };
static const char *const landlock_modes[] = { "auto", "required", "off", NULL };

/* ---- where a key comes from ---- */

struct lookup {
	const cJSON *agent_sb;    /* agents.list[i].sandbox, or NULL */
	const cJSON *defaults_sb; /* agents.defaults.sandbox, or NULL */
	int agent_index;
};

static void note(struct sandbox_settings *s, const char *key, const char *from, const cJSON *value)
{
	if (s->nsrc == SANDBOX_MAX_SOURCES)
		return;
	s->src[s->nsrc].key = key;
	s->src[s->nsrc].from = xstrdup(from);
	s->src[s->nsrc].value = value ? cJSON_PrintUnformatted(value) : xstrdup("null");
	s->nsrc++;
}

/* agents.list[i].sandbox.KEY over agents.defaults.sandbox.KEY, as written; NULL when neither
 * has it. */
static const cJSON *written(const struct lookup *l, const char *key, bool agent_may_override)
{
	const cJSON *v = agent_may_override ? cfg_get(l->agent_sb, key) : NULL;

	return v ? v : cfg_get(l->defaults_sb, key);
}

/* written(), and noted with where it came from (for explain). */
static const cJSON *pick(struct sandbox_settings *s, const struct lookup *l, const char *key,
                         bool agent_may_override)
{
	const cJSON *v = agent_may_override ? cfg_get(l->agent_sb, key) : NULL;
	char from[256];

	if (v != NULL) {
		snprintf(from, sizeof(from), "agents.list[%d].sandbox.%s", l->agent_index, key);
	} else if ((v = cfg_get(l->defaults_sb, key)) != NULL) {
		snprintf(from, sizeof(from), "agents.defaults.sandbox.%s", key);
	} else {
		snprintf(from, sizeof(from), "default");
	}
	note(s, key, from, v);
	return v;
}

static int pick_str(struct sandbox_settings *s, const struct lookup *l, const char *key, bool agent,
                    const char *dflt, const char **out)
{
	const cJSON *v = pick(s, l, key, agent);

	*out = dflt;
	return cfg_str(s->cfg, v, key, out);
}

static int pick_enum(struct sandbox_settings *s, const struct lookup *l, const char *key,
                     bool agent, const char *const *choices, const char *dflt, const char **out)
{
	const cJSON *v = pick(s, l, key, agent);

	*out = dflt;
	return cfg_enum(s->cfg, v, key, choices, out);
}

static int pick_num(struct sandbox_settings *s, const struct lookup *l, const char *key, bool agent,
                    double dflt, double *out)
{
	*out = dflt;
	return cfg_num(s->cfg, pick(s, l, key, agent), key, out);
}

static int string_list(struct sandbox_settings *s, const cJSON *arr, const char *what,
                       struct strvec *out)
{
	const cJSON *item;

	if (arr == NULL)
		return 0;
	if (!cJSON_IsArray(arr))
		return cfg_error(s->cfg, arr, "%s must be a list of strings", what);
	cJSON_ArrayForEach(item, arr)
	{
		if (!cJSON_IsString(item))
			return cfg_error(s->cfg, item, "%s must be a list of strings", what);
		strvec_push(out, item->valuestring);
	}
	return 0;
}

/* ---- the pieces ---- */

static int load_scope(struct sandbox_settings *s, const struct lookup *l)
{
	/* Noted for explain; the rule itself is session_sandbox_scope(). */
	if (pick(s, l, "scope", true) == NULL && written(l, "perSession", true) != NULL)
		pick(s, l, "perSession", true);
	return session_sandbox_scope(s->cfg, l->agent_sb, l->defaults_sb, &s->scope);
}

static int load_paths(struct sandbox_settings *s, const struct lookup *l)
{
	const char *root = NULL, *ws = NULL;
	const cJSON *wsnode;
	char from[256];

	if (pick_str(s, l, "workspaceRoot", true, NULL, &root) < 0)
		return -1;
	s->workspace_root = root ? cfg_user_path(root) : state_path(s->cfg, "sandboxes");
	/* The agent workspace, as OpenClaw resolves it (the default agent's is <state>/workspace).
	 */
	wsnode = cfg_get(cfg_agent(s->cfg, s->agent), "workspace");
	if (wsnode)
		snprintf(from, sizeof(from), "agents.list[%d].workspace", l->agent_index);
	else if ((wsnode = cfg_get(s->cfg->root, "agents.defaults.workspace")) != NULL)
		snprintf(from, sizeof(from), "agents.defaults.workspace");
	else
		snprintf(from, sizeof(from), "default");
	note(s, "workspace", from, wsnode);
	if (cfg_str(s->cfg, wsnode, "workspace", &ws) < 0)
		return -1;
	s->agent_workspace = cfg_agent_workspace(s->cfg, s->agent);
	if (s->workspace_root[0] != '/' || s->agent_workspace[0] != '/')
		return cfg_error(s->cfg, wsnode,
		                 "workspace and workspaceRoot must be absolute paths");
	return 0;
}

/* docker.memory and friends: a number of bytes, or Docker's "512m", "1g". */
long long sandbox_parse_size(const char *text)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	long long mult = 1;

	if (errno || end == text || v < 0)
		return -1;
	switch (*end) {
	case 'b':
	case 'B':
		mult = 1;
		end++;
		break;
	case 'k':
	case 'K':
		mult = 1LL << 10;
		end++;
		break;
	case 'm':
	case 'M':
		mult = 1LL << 20;
		end++;
		break;
	case 'g':
	case 'G':
		mult = 1LL << 30;
		end++;
		break;
	case '\0':
		break;
	default:
		return -1;
	}
	if (*end == 'b' || *end == 'B')
		end++;
	return *end == '\0' ? (long long)(v * (double)mult) : -1;
}

static int size_value(struct sandbox_settings *s, const cJSON *v, const char *what, long long *out)
{
	*out = 0;
	if (v == NULL)
		return 0;
	if (cJSON_IsNumber(v) && v->valuedouble >= 0)
		*out = (long long)v->valuedouble;
	else if (cJSON_IsString(v) && (*out = sandbox_parse_size(v->valuestring)) >= 0)
		return 0;
	else
		return cfg_error(s->cfg, v, "%s must be a size such as 512m or 1g", what);
	return 0;
}

static int ulimit_value(struct sandbox_settings *s, const cJSON *v, const char *name,
                        struct native_ulimit *u)
{
	if (cJSON_IsNumber(v) && v->valuedouble >= 0) {
		u->soft = u->hard = (rlim_t)v->valuedouble;
	} else if (cJSON_IsString(v)) {
		unsigned long long soft, hard;
		int n = sscanf(v->valuestring, "%llu:%llu", &soft, &hard);
		if (n < 1)
			return cfg_error(s->cfg, v, "docker.ulimits.%s must be N or SOFT:HARD",
			                 name);
		u->soft = (rlim_t)soft;
		u->hard = (rlim_t)(n == 2 ? hard : soft);
	} else if (cJSON_IsObject(v)) {
		const cJSON *soft = cJSON_GetObjectItemCaseSensitive(v, "soft");
		const cJSON *hard = cJSON_GetObjectItemCaseSensitive(v, "hard");
		if (!cJSON_IsNumber(soft) && !cJSON_IsNumber(hard))
			return cfg_error(s->cfg, v, "docker.ulimits.%s needs soft or hard", name);
		u->soft = (rlim_t)(cJSON_IsNumber(soft) ? soft->valuedouble : hard->valuedouble);
		u->hard = (rlim_t)(cJSON_IsNumber(hard) ? hard->valuedouble : soft->valuedouble);
	} else {
		return cfg_error(
		    s->cfg, v, "docker.ulimits.%s must be N, \"SOFT:HARD\" or {soft, hard}", name);
	}
	return 0;
}

/* One layer of docker.ulimits (the global one, then the agent's: OpenClaw merges them by name). */
static int load_ulimits(struct sandbox_settings *s, const cJSON *obj)
{
	const cJSON *item;

	if (obj == NULL)
		return 0;
	if (!cJSON_IsObject(obj))
		return cfg_error(s->cfg, obj, "docker.ulimits must be an object");
	cJSON_ArrayForEach(item, obj)
	{
		size_t i = 0, j = 0;
		while (i < NELEM(ulimit_names) && strcmp(ulimit_names[i].name, item->string) != 0)
			i++;
		if (i == NELEM(ulimit_names))
			return cfg_error(s->cfg, item, "docker.ulimits: unknown limit \"%s\"",
			                 item->string);
		while (j < s->nulimits && s->ulimits[j].resource != ulimit_names[i].resource)
			j++;
		if (j == NATIVE_MAX_ULIMITS)
			return cfg_error(s->cfg, item, "docker.ulimits: too many limits");
		struct native_ulimit *u = &s->ulimits[j];
		u->resource = ulimit_names[i].resource;
		if (ulimit_value(s, item, item->string, u) < 0)
			return -1;
		if (j == s->nulimits)
			s->nulimits++;
	}
	return 0;
}

static void warn(struct sandbox_settings *s, char *msg)
{
	strvec_push_nodup(&s->warnings, msg);
}

/*
 * docker.env: OpenClaw merges the agent's over the global one, and the global
 * one is LANG=C.UTF-8 when it is not set. Names that look like credentials or
 * steer loaders are dropped with a warning (stricter than OpenClaw, which
 * checks only the values of these explicit names).
 */
static int load_env(struct sandbox_settings *s, const struct lookup *l, bool agent)
{
	const cJSON *global = cfg_get(l->defaults_sb, "docker.env");
	const cJSON *mine = agent ? cfg_get(l->agent_sb, "docker.env") : NULL;
	const cJSON *layers[2] = { global, mine };
	const cJSON *item;

	note(s, "docker.env",
	     mine     ? "agents.list[].sandbox.docker.env over agents.defaults"
	     : global ? "agents.defaults.sandbox.docker.env"
	              : "default",
	     mine ? mine : global);
	if (global == NULL)
		env_set(&s->env, "LANG", "C.UTF-8");
	for (int i = 0; i < 2; i++) {
		if (layers[i] && !cJSON_IsObject(layers[i]))
			return cfg_error(s->cfg, layers[i],
			                 "docker.env must be an object of strings");
		cJSON_ArrayForEach(item, layers[i])
		{
			const char *why = NULL;
			if (!cJSON_IsString(item))
				return cfg_error(s->cfg, item, "docker.env.%s must be a string",
				                 item->string);
			if (!envsan_valid_name(item->string))
				why = "not a valid name";
			else if (envsan_secret_name(item->string))
				why = "looks like a credential";
			else
				why = envsan_override_blocked(item->string);
			if (why) {
				warn(s, xasprintf("docker.env.%s dropped: %s", item->string, why));
				continue;
			}
			env_set(&s->env, item->string, item->valuestring);
		}
	}
	return 0;
}

/* OpenClaw's object merge: B's members over A's (either may be NULL). */
static cJSON *merged(const cJSON *a, const cJSON *b, const char *dflt)
{
	cJSON *out = a ? cJSON_Duplicate(a, true) : dflt ? cJSON_Parse(dflt) : cJSON_CreateObject();
	const cJSON *item;

	cJSON_ArrayForEach(item, b)
	{
		cJSON_DeleteItemFromObjectCaseSensitive(out, item->string);
		cJSON_AddItemToObject(out, item->string, cJSON_Duplicate(item, true));
	}
	return out;
}

/*
 * s->docker: OpenClaw's resolved docker object. Keys are noted for explain
 * here; their types are checked by load_docker, which reads them back.
 */
static void resolve_docker(struct sandbox_settings *s, const struct lookup *l, bool agent)
{
	const cJSON *genv = cfg_get(l->defaults_sb, "docker.env");
	const cJSON *aenv = agent ? cfg_get(l->agent_sb, "docker.env") : NULL;
	const cJSON *gul = cfg_get(l->defaults_sb, "docker.ulimits");
	const cJSON *aul = agent ? cfg_get(l->agent_sb, "docker.ulimits") : NULL;

	s->docker = cJSON_CreateObject();
	for (size_t i = 0; i < NELEM(docker_keys); i++) {
		const cJSON *v = pick(s, l, docker_keys[i].key, agent);
		cJSON *copy = v && !cJSON_IsNull(v) ? cJSON_Duplicate(v, true)
		              : docker_keys[i].dflt ? cJSON_Parse(docker_keys[i].dflt)
		                                    : NULL;
		if (copy)
			cJSON_AddItemToObject(s->docker, docker_keys[i].key + strlen("docker."),
			                      copy);
	}
	cJSON_AddItemToObject(s->docker, "env", merged(genv, aenv, "{\"LANG\":\"C.UTF-8\"}"));
	if (gul || aul)
		cJSON_AddItemToObject(s->docker, "ulimits", merged(gul, aul, NULL));
	cJSON *binds = cJSON_CreateArray();
	for (size_t i = 0; i < s->binds.n; i++)
		cJSON_AddItemToArray(binds, cJSON_CreateString(s->binds.v[i]));
	if (s->binds.n > 0)
		cJSON_AddItemToObject(s->docker, "binds", binds);
	else
		cJSON_Delete(binds);
}

/* The node a docker key's value comes from: as written, or OpenClaw's default. */
static const cJSON *docker_node(const struct sandbox_settings *s, const struct lookup *l,
                                const char *key, bool agent)
{
	const cJSON *v = written(l, key, agent);
	return v ? v : cJSON_GetObjectItemCaseSensitive(s->docker, key + strlen("docker."));
}

static int docker_str(struct sandbox_settings *s, const struct lookup *l, const char *key,
                      bool agent, const char **out)
{
	*out = NULL;
	return cfg_str(s->cfg, docker_node(s, l, key, agent), key, out);
}

static int docker_bool(struct sandbox_settings *s, const struct lookup *l, const char *key,
                       bool agent, bool *out)
{
	*out = false;
	return cfg_bool(s->cfg, docker_node(s, l, key, agent), key, out);
}

static int docker_num(struct sandbox_settings *s, const struct lookup *l, const char *key,
                      bool agent, double *out)
{
	*out = 0;
	return cfg_num(s->cfg, docker_node(s, l, key, agent), key, out);
}

static int docker_list(struct sandbox_settings *s, const struct lookup *l, const char *key,
                       bool agent, struct strvec *out)
{
	return string_list(s, docker_node(s, l, key, agent), key, out);
}

/*
 * A path inside the sandbox with a ".." component: the native backend mounts
 * at the path as written, relative to the new root, and ".." there could
 * reach past it before the pivot. Refused, not normalised (claw-sandbox(1)
 * threat 22).
 */
#define DOTDOT "%s: \"%s\" has a \"..\" component; write the path without it"

static bool has_dotdot(const char *path)
{
	for (const char *p = path; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return true;
	return false;
}

static int load_docker_strings(struct sandbox_settings *s, const struct lookup *l, bool agent)
{
	double pids = 0, cpus = 0;

	if (docker_str(s, l, "docker.network", agent, &s->network) < 0 ||
	    docker_str(s, l, "docker.image", agent, &s->image) < 0 ||
	    docker_str(s, l, "docker.containerPrefix", agent, &s->prefix) < 0 ||
	    docker_str(s, l, "docker.workdir", agent, &s->workdir) < 0 ||
	    docker_str(s, l, "docker.user", agent, &s->user) < 0 ||
	    docker_str(s, l, "docker.seccompProfile", agent, &s->seccomp_profile) < 0 ||
	    docker_str(s, l, "docker.apparmorProfile", agent, &s->apparmor_profile) < 0 ||
	    docker_str(s, l, "docker.setupCommand", agent, &s->setup_command) < 0 ||
	    docker_bool(s, l, "docker.readOnlyRoot", agent, &s->read_only_root) < 0 ||
	    docker_num(s, l, "docker.pidsLimit", agent, &pids) < 0 ||
	    docker_num(s, l, "docker.cpus", agent, &cpus) < 0 ||
	    docker_bool(s, l, "docker.dangerouslyAllowExternalBindSources", agent,
	                &s->allow_external_binds) < 0 ||
	    docker_bool(s, l, "docker.dangerouslyAllowReservedContainerTargets", agent,
	                &s->allow_reserved_targets) < 0 ||
	    docker_bool(s, l, "docker.dangerouslyAllowContainerNamespaceJoin", agent,
	                &s->allow_container_join) < 0 ||
	    docker_list(s, l, "docker.capDrop", agent, &s->cap_drop) < 0 ||
	    docker_list(s, l, "docker.dns", agent, &s->dns) < 0 ||
	    docker_list(s, l, "docker.extraHosts", agent, &s->extra_hosts) < 0 ||
	    pick_str(s, l, "docker.binary", agent, DEFAULT_DOCKER_BINARY, &s->binary) < 0)
		return -1;
	s->pids_limit = pids > 0 ? (long)pids : 0;
	s->cpus = cpus > 0 ? cpus : 0;
	if (s->workdir[0] != '/')
		return cfg_error(s->cfg, written(l, "docker.workdir", agent),
		                 "docker.workdir must be an absolute path");
	if (has_dotdot(s->workdir))
		return cfg_error(s->cfg, written(l, "docker.workdir", agent), DOTDOT,
		                 "docker.workdir", s->workdir);
	if (s->binary[0] == '\0')
		return cfg_error(s->cfg, written(l, "docker.binary", agent),
		                 "docker.binary must name a program");
	return 0;
}

static int load_docker(struct sandbox_settings *s, const struct lookup *l)
{
	/* With scope "shared" every agent shares one sandbox: per-agent docker keys are ignored. */
	bool agent = strcmp(s->scope, "shared") != 0;

	/* Binds: the global list, then the agent's (not concatenated under scope shared). */
	note(s, "docker.binds", "agents.defaults + agents.list[] (concatenated)", NULL);
	if (string_list(s, cfg_get(l->defaults_sb, "docker.binds"), "docker.binds", &s->binds) <
	        0 ||
	    (agent &&
	     string_list(s, cfg_get(l->agent_sb, "docker.binds"), "docker.binds", &s->binds) < 0))
		return -1;
	resolve_docker(s, l, agent);
	note(s, "docker.ulimits", "agents.defaults + agents.list[] (merged)",
	     cJSON_GetObjectItemCaseSensitive(s->docker, "ulimits"));
	if (load_docker_strings(s, l, agent) < 0 ||
	    size_value(s, docker_node(s, l, "docker.memory", agent), "docker.memory", &s->memory) <
	        0 ||
	    size_value(s, docker_node(s, l, "docker.memorySwap", agent), "docker.memorySwap",
	               &s->memory_swap) < 0 ||
	    load_ulimits(s, cfg_get(l->defaults_sb, "docker.ulimits")) < 0 ||
	    (agent && load_ulimits(s, cfg_get(l->agent_sb, "docker.ulimits")) < 0) ||
	    load_env(s, l, agent) < 0 ||
	    docker_list(s, l, "docker.tmpfs", agent, &s->tmpfs_spec) < 0)
		return -1;
	/* Docker's "--tmpfs /run:size=64m": the native backend takes the path. */
	for (size_t i = 0; i < s->tmpfs_spec.n; i++) {
		const char *spec = s->tmpfs_spec.v[i];
		strvec_push_nodup(&s->tmpfs, xstrndup(spec, strcspn(spec, ":")));
		if (s->tmpfs.v[i][0] != '/')
			return cfg_error(s->cfg, written(l, "docker.tmpfs", agent),
			                 "docker.tmpfs entries must be absolute paths");
		if (has_dotdot(s->tmpfs.v[i]))
			return cfg_error(s->cfg, written(l, "docker.tmpfs", agent), DOTDOT,
			                 "docker.tmpfs", s->tmpfs.v[i]);
	}
	s->parsed_binds = xcalloc(s->binds.n + 1, sizeof(*s->parsed_binds));
	for (size_t i = 0; i < s->binds.n; i++) {
		if (bind_parse(s->binds.v[i], &s->parsed_binds[i]) < 0)
			return cfg_error(s->cfg, cfg_get(l->defaults_sb, "docker.binds"), "%s",
			                 claw_error());
		if (has_dotdot(s->parsed_binds[i].container))
			return cfg_error(s->cfg, cfg_get(l->defaults_sb, "docker.binds"), DOTDOT,
			                 "docker.binds", s->parsed_binds[i].container);
	}
	/* OpenClaw's network and profile checks, with its messages. */
	if (network_validate(s->network, s->allow_container_join) < 0 ||
	    profile_validate("seccomp", s->seccomp_profile) < 0 ||
	    profile_validate("apparmor", s->apparmor_profile) < 0)
		return cfg_error(s->cfg, NULL, "%s", claw_error());
	return 0;
}

static int load_native(struct sandbox_settings *s, const struct lookup *l)
{
	const char *ll = "auto";

	if (string_list(s, pick(s, l, "native.etc", true), "native.etc", &s->etc) < 0 ||
	    pick_enum(s, l, "native.landlock", true, landlock_modes, "auto", &ll) < 0 ||
	    cfg_bool(s->cfg, pick(s, l, "native.pts", true), "native.pts", &s->pts) < 0 ||
	    cfg_bool(s->cfg, pick(s, l, "native.rlimitsOnly", true), "native.rlimitsOnly",
	             &s->rlimits_only) < 0 ||
	    pick_num(s, l, "native.undoMaxMb", true, 1024, &s->undo_max_mb) < 0 ||
	    pick_num(s, l, "native.undoMaxAgeDays", true, 7, &s->undo_max_age_days) < 0)
		return -1;
	if (s->undo_max_mb < 0 || s->undo_max_age_days < 0)
		return cfg_error(
		    s->cfg,
		    pick(s, l, s->undo_max_mb < 0 ? "native.undoMaxMb" : "native.undoMaxAgeDays",
		         true),
		    "native.undoMaxMb and native.undoMaxAgeDays are 0 or more");
	s->landlock = strcmp(ll, "required") == 0 ? LANDLOCK_REQUIRED
	              : strcmp(ll, "off") == 0    ? LANDLOCK_OFF
	                                          : LANDLOCK_AUTO;
	for (size_t i = 0; i < s->etc.n; i++)
		if (strchr(s->etc.v[i], '/') || s->etc.v[i][0] == '.' || s->etc.v[i][0] == '\0' ||
		    strcmp(s->etc.v[i], "shadow") == 0 || strcmp(s->etc.v[i], "gshadow") == 0 ||
		    strcmp(s->etc.v[i], "sudoers") == 0)
			return cfg_error(s->cfg, pick(s, l, "native.etc", true),
			                 "native.etc: \"%s\" is not an /etc entry claw will expose",
			                 s->etc.v[i]);
	return 0;
}

static void init_lookup(const struct config *cfg, const char *agent, struct lookup *l)
{
	const cJSON *list = cfg_get(cfg->root, "agents.list");
	const cJSON *entry = cfg_agent(cfg, agent);
	int i = 0;

	l->agent_index = -1;
	l->agent_sb = cfg_get(entry, "sandbox");
	l->defaults_sb = cfg_get(cfg->root, "agents.defaults.sandbox");
	for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e; e = e->next, i++)
		if (e == entry)
			l->agent_index = i;
}

static char *json_string(const char *v)
{
	struct buf b = { 0 };

	if (v == NULL)
		return xstrdup("null");
	buf_json_str(&b, v);
	return buf_steal(&b);
}

static char *json_list(char **v, size_t n)
{
	struct buf b = { 0 };

	buf_putc(&b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		buf_json_str(&b, v[i]);
	}
	buf_putc(&b, ']');
	return buf_steal(&b);
}

/* The value a key has in effect, as JSON, for the keys explain shows defaulted. */
static char *effective(const struct sandbox_settings *s, const char *key)
{
	const struct {
		const char *key;
		const char *value;
	} strings[] = {
		{ "mode", s->mode },
		{ "scope", s->scope },
		{ "workspaceAccess", s->access },
		{ "backend", s->backend },
		{ "workspaceRoot", s->workspace_root },
		{ "workspace", s->agent_workspace },
		{ "docker.binary", s->binary },
	};
	const cJSON *docker = str_has_prefix(key, "docker.")
	                          ? cJSON_GetObjectItemCaseSensitive(s->docker, key + 7)
	                          : NULL;

	for (size_t i = 0; i < NELEM(strings); i++)
		if (strcmp(key, strings[i].key) == 0)
			return json_string(strings[i].value);
	if (strcmp(key, "docker.env") == 0) /* after sanitising: what a command gets */
		return json_list(s->env.vars.v, s->env.vars.n);
	if (docker != NULL)
		return cJSON_PrintUnformatted(docker);
	if (strcmp(key, "native.pts") == 0)
		return xstrdup(s->pts ? "true" : "false");
	if (strcmp(key, "native.rlimitsOnly") == 0)
		return xstrdup(s->rlimits_only ? "true" : "false");
	if (strcmp(key, "native.landlock") == 0)
		return json_string(s->landlock == LANDLOCK_REQUIRED ? "required"
		                   : s->landlock == LANDLOCK_OFF    ? "off"
		                                                    : "auto");
	if (strcmp(key, "prune.idleHours") == 0)
		return xasprintf("%g", s->idle_hours);
	if (strcmp(key, "prune.maxAgeDays") == 0)
		return xasprintf("%g", s->max_age_days);
	if (str_has_prefix(key, "docker.dangerously"))
		return xstrdup("false");
	return NULL;
}

static void fill_effective(struct sandbox_settings *s)
{
	for (size_t i = 0; i < s->nsrc; i++) {
		if (strcmp(s->src[i].from, "default") != 0)
			continue;
		char *v = effective(s, s->src[i].key);
		if (v) {
			cJSON_free(s->src[i].value);
			s->src[i].value = v;
		}
	}
}

int sandbox_settings_basics(const struct config *cfg, const char *agent, struct sandbox_settings *s)
{
	struct lookup l;

	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	norm_agent_id(agent ? agent : cfg_default_agent(cfg), s->agent);
	init_lookup(cfg, s->agent, &l);
	if (load_scope(s, &l) < 0 || pick_enum(s, &l, "mode", true, modes, "off", &s->mode) < 0 ||
	    pick_enum(s, &l, "workspaceAccess", true, accesses, "none", &s->access) < 0)
		return -1;
	return pick_enum(s, &l, "backend", true, backends, "native", &s->backend);
}

int sandbox_settings_load(const struct config *cfg, const char *agent, struct sandbox_settings *s)
{
	struct lookup l;
	double idle = 24, age = 7;

	if (sandbox_settings_basics(cfg, agent, s) < 0)
		return -1;
	init_lookup(cfg, s->agent, &l);
	bool agent_keys = strcmp(s->scope, "shared") != 0;
	if (load_paths(s, &l) < 0 || load_docker(s, &l) < 0 || load_native(s, &l) < 0 ||
	    pick_num(s, &l, "prune.idleHours", agent_keys, 24, &idle) < 0 ||
	    pick_num(s, &l, "prune.maxAgeDays", agent_keys, 7, &age) < 0)
		return -1;
	s->idle_hours = idle;
	s->max_age_days = age;
	fill_effective(s);
	return 0;
}

void sandbox_settings_free(struct sandbox_settings *s)
{
	free(s->workspace_root);
	free(s->agent_workspace);
	strvec_clear(&s->tmpfs);
	strvec_clear(&s->tmpfs_spec);
	strvec_clear(&s->cap_drop);
	strvec_clear(&s->dns);
	strvec_clear(&s->extra_hosts);
	cJSON_Delete(s->docker);
	for (size_t i = 0; s->parsed_binds && i < s->binds.n; i++)
		bind_free(&s->parsed_binds[i]);
	free(s->parsed_binds);
	strvec_clear(&s->binds);
	strvec_clear(&s->etc);
	strvec_clear(&s->warnings);
	env_free(&s->env);
	for (size_t i = 0; i < s->nsrc; i++) {
		free(s->src[i].from);
		cJSON_free(s->src[i].value); /* cJSON's free is free() unless hooks say otherwise */
	}
	memset(s, 0, sizeof(*s));
}

bool sandbox_host_network(const struct sandbox_settings *s)
{
	return strcmp(s->network, "none") != 0;
}

/* ---- places ---- */

size_t sandbox_config_files(const struct config *cfg, const char *out[4])
{
	const char *const *read;
	size_t n = 0, nread = cfg_files(cfg, &read);

	out[n++] = cfg->path;
	if (cfg->claw_path)
		out[n++] = cfg->claw_path;
	for (size_t i = 0; i < nread && n < 4; i++)
		if (strcmp(read[i], cfg->path) != 0 &&
		    (cfg->claw_path == NULL || strcmp(read[i], cfg->claw_path) != 0))
			out[n++] = read[i];
	return n;
}

/*
 * What a scope shows of the host is judged as binds are (binds.c): the
 * workspace and /agent by the rule for a bind source (no system directory,
 * no credential directory of a home, none of claw's state: its state dir,
 * another installation's, a config file), and the configured binds by all of
 * OpenClaw's rules against the scope's directories. One rule for both, so a
 * path refused as a bind is refused as a workspace.
 */
static int validate_shown(const struct sandbox_settings *s, struct sandbox_place *p, bool binds)
{
	const char *roots[2] = { p->workspace_dir, s->agent_workspace };
	const char *files[4];
	size_t nfiles = sandbox_config_files(s->cfg, files);
	uid_t uid;
	gid_t gid;

	/* As root, the home of the user the command runs as counts too. */
	sandbox_owner(s, &uid, &gid);
	const struct passwd *pw = uid != getuid() ? getpwuid(uid) : NULL;
	char *home = pw && pw->pw_dir ? xstrdup(pw->pw_dir) : NULL;
	p->bind_real = xcalloc(s->binds.n + 1, sizeof(*p->bind_real));
	p->nbinds = s->binds.n;
	struct bind_policy bp = { .allowed_roots = roots,
		                  .nroots = 2,
		                  .allow_external = s->allow_external_binds,
		                  .allow_reserved = s->allow_reserved_targets,
		                  .extra_home = home,
		                  .resolved = p->bind_real,
		                  .state_dir = s->cfg->state_dir,
		                  .config_files = files,
		                  .nconfig_files = nfiles };
	struct bind_tree trees[2] = {
		{ p->workspace_dir, p->workspace_rw ? "workspace" : "read-only workspace" },
		{ p->agent_dir, "agent workspace" },
	};
	int rc = binds_validate_place(trees, p->agent_dir ? 2 : 1, (const char *const *)s->binds.v,
	                              binds ? s->binds.n : 0, &bp);
	free(home);
	return rc;
}

void sandbox_installation(const struct config *cfg, char out[SANDBOX_INSTALLATION])
{
	struct stat st;
	struct buf b = { 0 };
	char hex[SHA256_HEX];

	/* Identity, not text: the same directory by any path is one installation, and two
	 * directories never are, even if one is later moved to the other's path. */
	if (stat(cfg->state_dir, &st) == 0)
		buf_printf(&b, "claw installation\ndev %llu ino %llu\n",
		           (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	else
		buf_printf(&b, "claw installation\npath %s\n", cfg->state_dir);
	sha256_hex(b.p, b.len, hex);
	buf_free(&b);
	snprintf(out, SANDBOX_INSTALLATION, "%.16s", hex);
}

char *sandbox_pin_dir(const struct config *cfg)
{
	char id[SANDBOX_INSTALLATION];

	sandbox_installation(cfg, id);
	return xasprintf("%s/%s", NSPIN_DIR, id);
}

const char *sandbox_dir_name(const char *scope_key, const char *slug)
{
	return strcmp(scope_key, "shared") == 0 ? "shared" : slug;
}

/* P's names and directories for SCOPE_KEY. */
static void place_fill(const struct sandbox_settings *s, const char *scope_key,
                       struct sandbox_place *p)
{
	memset(p, 0, sizeof(*p));
	p->scope_key = xstrdup(scope_key);
	session_slug(scope_key, p->slug);
	bool shared = strcmp(s->scope, "shared") == 0;
	const char *dir = sandbox_dir_name(shared ? "shared" : scope_key, p->slug);
	char *name = xasprintf("%s%s", s->prefix, dir);
	if (strlen(name) > 63)
		name[63] = '\0';
	p->name = name;
	/* A shared sandbox gets a directory of its own too: the workspace root itself would show
	 * every other scope's workspace to it. */
	p->sandbox_dir = xasprintf("%s/%s", s->workspace_root, dir);
	char id[SANDBOX_INSTALLATION];
	sandbox_installation(s->cfg, id);
	p->pin_dir = xasprintf("%s/%s", NSPIN_DIR, id);
	p->netns_pin = xasprintf("%s/netns/%s", p->pin_dir, dir);
	p->cgroup = xasprintf("%s.%s", id, p->slug);
	if (strcmp(s->access, "rw") == 0) {
		p->workspace_dir = xstrdup(s->agent_workspace);
		p->workspace_rw = true;
	} else {
		p->workspace_dir = xstrdup(p->sandbox_dir);
		p->workspace_rw = true; /* the scope's own workspace; the agent's stays protected */
		if (strcmp(s->access, "ro") == 0)
			p->agent_dir = xstrdup(s->agent_workspace);
	}
}

int sandbox_place(const struct sandbox_settings *s, const char *scope_key, struct sandbox_place *p)
{
	place_fill(s, scope_key, p);
	if (validate_shown(s, p, true) < 0) {
		sandbox_place_free(p);
		return -1;
	}
	return 0;
}

int sandbox_trees_validate(const struct sandbox_settings *s, const char *scope_key)
{
	struct sandbox_place p;

	place_fill(s, scope_key, &p);
	int rc = validate_shown(s, &p, false);
	sandbox_place_free(&p);
	return rc;
}

void sandbox_place_free(struct sandbox_place *p)
{
	free(p->scope_key);
	free(p->name);
	free(p->sandbox_dir);
	free(p->workspace_dir);
	free(p->agent_dir);
	free(p->pin_dir);
	free(p->netns_pin);
	free(p->cgroup);
	for (size_t i = 0; p->bind_real && i < p->nbinds; i++)
		free(p->bind_real[i]);
	free(p->bind_real);
	memset(p, 0, sizeof(*p));
}

static int parse_id(const char *text, bool group, unsigned *id)
{
	char *end;
	unsigned long v = strtoul(text, &end, 10);

	if (*text != '\0' && *end == '\0') {
		*id = (unsigned)v;
		return 0;
	}
	if (group) {
		const struct group *gr = getgrnam(text);
		if (gr == NULL)
			return claw_fail("docker.user: no group \"%s\"", text);
		*id = gr->gr_gid;
	} else {
		const struct passwd *pw = getpwnam(text);
		if (pw == NULL)
			return claw_fail("docker.user: no user \"%s\"", text);
		*id = pw->pw_uid;
	}
	return 0;
}

static int configured_user(const char *spec, uid_t *uid, gid_t *gid)
{
	char *copy = xstrdup(spec), *colon = strchr(copy, ':');
	unsigned u = 0, g = 0;
	int rc = 0;

	if (colon)
		*colon++ = '\0';
	if (parse_id(copy, false, &u) < 0 || (colon && parse_id(colon, true, &g) < 0)) {
		rc = -1;
	} else {
		const struct passwd *pw = colon ? NULL : getpwuid(u);
		*uid = u;
		*gid = colon ? g : pw ? pw->pw_gid : u;
	}
	free(copy);
	return rc;
}

void sandbox_owner(const struct sandbox_settings *s, uid_t *uid, gid_t *gid)
{
	struct stat st;

	if (geteuid() != 0) {
		/* Not root: a sandbox can only be the caller. */
		*uid = getuid();
		*gid = getgid();
		return;
	}
	if (stat(s->cfg->state_dir, &st) == 0) {
		*uid = st.st_uid; /* the state dir's owner: the operator the agent works for */
		*gid = st.st_gid;
	} else {
		*uid = *gid = 0;
	}
	/* Never host root inside a sandbox (claw-sandbox(1) threat 2): nobody instead. */
	if (*uid == 0) {
		*uid = 65534;
		*gid = 65534;
	}
}

int sandbox_user(const struct sandbox_settings *s, uid_t *uid, gid_t *gid)
{
	uid_t want;
	gid_t wantg;

	sandbox_owner(s, uid, gid);
	if (s->user == NULL)
		return 0;
	if (geteuid() != 0) {
		if (configured_user(s->user, &want, &wantg) == 0 && want != *uid)
			return claw_fail("docker.user \"%s\" needs claw to run as root", s->user);
		return 0;
	}
	if (configured_user(s->user, uid, gid) < 0)
		return -1;
	if (*uid == 0) {
		*uid = 65534;
		*gid = 65534;
	}
	return 0;
}

char *sandbox_meta_path(const struct sandbox_settings *s, const char *slug)
{
	return xasprintf("%s/%s.json", s->workspace_root, slug);
}

/* The largest bootstrap file copied into a new workspace. */
#define SEED_MAX (1 << 20)

/*
 * PATH's file (an O_PATH descriptor) opened for reading with the file-system
 * identity of the sandbox's user, UID:GID and no supplementary group, as it
 * has inside: a hardlink to a file only root may read stays unread (claw-sandbox(1)
 * threat 11).
 * Without root the launcher is that user already.
 */
static int open_as_user(int path, uid_t uid, gid_t gid)
{
	char link[64];
	int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", path);
	if (geteuid() != 0)
		return open(link, flags);
	int n = getgroups(0, NULL);
	gid_t *groups = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*groups));
	if (n < 0 || getgroups(n, groups) < 0 || setgroups(0, NULL) < 0) {
		free(groups);
		return -1;
	}
	setfsgid(gid);
	setfsuid(uid);
	int fd = open(link, flags), e = errno;
	setfsuid(0);
	setfsgid(0);
	if (setgroups((size_t)n, groups) < 0 || setfsuid(0) != 0 || setfsgid(0) != 0)
		abort(); /* root as the saved and real id: cannot fail; never go on half-switched */
	free(groups);
	errno = e;
	return fd;
}

/*
 * A bootstrap file of the agent workspace DIR, or -1. Found without following
 * any symlink (an earlier read-write sandbox may have made AGENTS.md a link to
 * /etc/shadow: 11), a regular file (a FIFO would hold the launcher forever, a
 * device would read the host's) of at most SEED_MAX bytes, readable by the user.
 */
static int open_seed(int dir, const char *name, uid_t uid, gid_t gid)
{
	struct stat st;
	int path = openat_beneath(dir, name, O_PATH | O_NOFOLLOW, 0);

	if (path < 0)
		return -1;
	int fd = -1;
	if (fstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= SEED_MAX)
		fd = open_as_user(path, uid, gid);
	close(path);
	return fd;
}

/*
 * Copies NAME from the agent workspace AGENT into the new workspace WS, never
 * over a file; DATA has room for SEED_MAX + 1 bytes.
 */
static void seed_file(int agent, int ws, const char *name, uid_t uid, gid_t gid, char *data)
{
	size_t len = 0;
	ssize_t n = 0;
	int in = open_seed(agent, name, uid, gid);

	if (in < 0)
		return;
	while (len <= SEED_MAX &&
	       ((n = read(in, data + len, SEED_MAX + 1 - len)) > 0 || (n < 0 && errno == EINTR)))
		len += n > 0 ? (size_t)n : 0;
	close(in);
	if (n < 0 || len > SEED_MAX)
		return;
	/* Written where it is named, never through a symlink (O_EXCL, O_NOFOLLOW). */
	int out = openat(ws, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0)
		return;
	if (write(out, data, len) != (ssize_t)len || (geteuid() == 0 && fchown(out, uid, gid) < 0))
		unlinkat(ws, name, 0);
	close(out);
}

/* The agent's bootstrap files into the new workspace WS: the sandbox gets them, not its edits. */
static void seed_workspace(const struct sandbox_settings *s, int ws, uid_t uid, gid_t gid)
{
	int agent = open(s->agent_workspace, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (agent < 0)
		return;
	char *data = xmalloc(SEED_MAX + 1);
	for (size_t i = 0; i < NELEM(bootstrap_files); i++)
		seed_file(agent, ws, bootstrap_files[i], uid, gid, data);
	free(data);
	close(agent);
}

static int write_meta(const struct sandbox_settings *s, const struct sandbox_place *p)
{
	char *path = sandbox_meta_path(s, p->slug);
	struct buf b = { 0 };
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	buf_puts(&b, "{\"scopeKey\":");
	buf_json_str(&b, p->scope_key);
	buf_puts(&b, ",\"agent\":");
	buf_json_str(&b, s->agent);
	buf_puts(&b, ",\"name\":");
	buf_json_str(&b, p->name);
	/* Whose it is: list, rm and prune of another installation leave it alone. */
	char id[SANDBOX_INSTALLATION], *state = realpath(s->cfg->state_dir, NULL);
	sandbox_installation(s->cfg, id);
	buf_printf(&b, ",\"installation\":\"%s\",\"stateDir\":", id);
	buf_json_str(&b, state ? state : s->cfg->state_dir);
	free(state);
	buf_printf(&b, ",\"createdAtMs\":%lld}\n",
	           (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000);
	int rc = atomic_write(path, b.p, b.len, 0600);
	buf_free(&b);
	free(path);
	return rc;
}

/* Marks the scope used now (prune's idle rule), without rewriting anything. */
static void touch_meta(const struct sandbox_settings *s, const struct sandbox_place *p)
{
	char *path = sandbox_meta_path(s, p->slug);
	utimensat(AT_FDCWD, path, NULL, AT_SYMLINK_NOFOLLOW);
	free(path);
}

static int make_private_dir(const char *dir, uid_t uid, gid_t gid, bool *created)
{
	struct stat st;

	*created = false;
	if (mkdir(dir, 0700) == 0) {
		*created = true;
		if (geteuid() == 0 && chown(dir, uid, gid) < 0)
			return claw_fail("chown %s: %s", dir, strerror(errno));
		return 0;
	}
	if (errno != EEXIST)
		return claw_fail("mkdir %s: %s", dir, strerror(errno));
	/* A symlink planted here would send the sandbox somewhere else
	 * (claw-sandbox(1) threat 11). */
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return claw_fail("%s exists and is not a directory", dir);
	return 0;
}

/*
 * The scope's workspace DIR, opened and locked shared for as long as the
 * sandbox runs: rm and prune take the lock exclusive, so they never remove a
 * workspace a command is using. A directory rm removed while we waited is
 * made again (it is gone once we hold the lock: no links left).
 */
static int open_locked(const char *dir, uid_t uid, gid_t gid, bool *created)
{
	struct stat st;

	for (int tries = 0; tries < 3; tries++) {
		if (make_private_dir(dir, uid, gid, created) < 0)
			return -1;
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return claw_fail("%s: %s", dir, strerror(errno));
		if (flock(fd, LOCK_SH) == 0 && fstat(fd, &st) == 0 && st.st_nlink > 0)
			return fd;
		close(fd);
	}
	return claw_fail("%s: removed while the sandbox started", dir);
}

/* The agent workspace, made (for the sandbox's user, as its own workspace is) when missing. */
static int make_agent_workspace(const char *dir, uid_t uid, gid_t gid)
{
	char *parent = xstrdup(dir), *slash = strrchr(parent, '/');
	bool made;
	int rc = 0;

	if (slash && slash != parent) {
		*slash = '\0';
		rc = mkdir_p(parent, 0700);
	}
	free(parent);
	return rc < 0 ? -1 : make_private_dir(dir, uid, gid, &made);
}

int sandbox_prepare(const struct sandbox_settings *s, const struct sandbox_place *p, uid_t uid,
                    gid_t gid, int *lock)
{
	bool created;

	*lock = -1;
	if (mkdir_p(s->workspace_root, 0700) < 0)
		return -1;
	int ws = open_locked(p->sandbox_dir, uid, gid, &created);
	if (ws < 0)
		return -1;
	if (created) {
		seed_workspace(s, ws, uid, gid);
		if (write_meta(s, p) < 0) {
			close(ws);
			return -1;
		}
	} else {
		touch_meta(s, p);
	}
	if (strcmp(s->access, "none") != 0 &&
	    make_agent_workspace(s->agent_workspace, uid, gid) < 0) {
		close(ws);
		return -1;
	}
	*lock = ws;
	return 0;
}

void sandbox_native_spec(const struct sandbox_settings *s, const struct sandbox_place *p, uid_t uid,
                         gid_t gid, double timeout, struct native_spec *ns,
                         struct native_bind *binds)
{
	memset(ns, 0, sizeof(*ns));
	ns->uid = uid;
	ns->gid = gid;
	ns->workspace = p->workspace_dir;
	ns->workdir = s->workdir;
	ns->workspace_rw = p->workspace_rw;
	ns->agent_dir = p->agent_dir;
	ns->agent_rw = false;
	for (size_t i = 0; i < s->binds.n; i++)
		binds[i] = (struct native_bind){ s->parsed_binds[i].host, p->bind_real[i],
			                         s->parsed_binds[i].container,
			                         s->parsed_binds[i].read_only };
	ns->nbinds = s->binds.n;
	ns->binds = binds;
	ns->etc = (const char *const *)s->etc.v;
	ns->netc = s->etc.n;
	ns->tmpfs = (const char *const *)s->tmpfs.v;
	ns->ntmpfs = s->tmpfs.n;
	ns->protect = persistence_names;
	ns->nprotect = NELEM(persistence_names);
	ns->workspace_kept = strcmp(p->workspace_dir, p->sandbox_dir) == 0;
	ns->read_only_root = s->read_only_root;
	ns->network = sandbox_host_network(s);
	ns->pin_dir = p->pin_dir;
	ns->netns_pin = p->netns_pin;
	ns->cgroup_name = p->cgroup;
	ns->landlock = s->landlock;
	ns->pts = s->pts;
	ns->pids_max = s->pids_limit;
	ns->memory_max = s->memory;
	ns->memswap_max = s->memory_swap;
	ns->cpus = s->cpus;
	ns->rlimits_only = s->rlimits_only;
	ns->timeout = timeout;
	memcpy(ns->ulimits, s->ulimits, sizeof(ns->ulimits));
	ns->nulimits = s->nulimits;
}
