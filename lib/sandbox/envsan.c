/*
 * envsan.c: the environment a command may see.
 *
 * Two lists from OpenClaw 2026.9.6, kept as data. The sandbox sanitiser's
 * credential-name rules drop secrets; the host-exec lists name variables that
 * make a program load other code, trust other servers or read other config,
 * which a request may never set (its "env" member is attacker-controlled).
 */
#include "sandbox/envsan.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/util.h"

enum env_class {
	ENV_LOADER,     /* loads code into an interpreter or runtime at start */
	ENV_SHELL,      /* runs shell code or changes how the shell parses */
	ENV_HOOK,       /* names a program that tools run for you (editor, pager, askpass) */
	ENV_VCS,        /* points git/hg/svn at other repositories, hooks or commands */
	ENV_BUILD,      /* swaps the compiler or linker a build runs */
	ENV_TRUST,      /* disables TLS checks, adds CAs, or routes traffic through a proxy */
	ENV_REGISTRY,   /* fetches packages from another index */
	ENV_CONFIG,     /* reads tool configuration or credentials from elsewhere */
	ENV_CREDENTIAL, /* is itself a credential or a channel to one */
};

static const char *const class_reason[] = {
	[ENV_LOADER] = "loads code into a runtime",
	[ENV_SHELL] = "runs shell code",
	[ENV_HOOK] = "names a program that tools run",
	[ENV_VCS] = "redirects version control",
	[ENV_BUILD] = "swaps the compiler or linker",
	[ENV_TRUST] = "changes TLS trust or routes traffic",
	[ENV_REGISTRY] = "changes the package index",
	[ENV_CONFIG] = "redirects tool configuration",
	[ENV_CREDENTIAL] = "carries a credential",
};

/* OpenClaw's blockedEverywhereKeys and blockedOverrideOnlyKeys (host-env-security-policy.json). */
static const struct {
	const char *name;
	enum env_class why;
} blocked_override[] = {
	/* ENV_LOADER */
	{ "NODE_OPTIONS", ENV_LOADER },
	{ "NODE_PATH", ENV_LOADER },
	{ "NODE_REDIRECT_WARNINGS", ENV_LOADER },
	{ "NODE_REPL_EXTERNAL_MODULE", ENV_LOADER },
	{ "NODE_REPL_HISTORY", ENV_LOADER },
	{ "NODE_V8_COVERAGE", ENV_LOADER },
	{ "PYTHONHOME", ENV_LOADER },
	{ "PYTHONPATH", ENV_LOADER },
	{ "PERL5LIB", ENV_LOADER },
	{ "PERL5OPT", ENV_LOADER },
	{ "RUBYLIB", ENV_LOADER },
	{ "RUBYOPT", ENV_LOADER },
	{ "GCONV_PATH", ENV_LOADER },
	{ "JAVA_OPTS", ENV_LOADER },
	{ "JAVA_TOOL_OPTIONS", ENV_LOADER },
	{ "_JAVA_OPTIONS", ENV_LOADER },
	{ "JDK_JAVA_OPTIONS", ENV_LOADER },
	{ "PYTHONBREAKPOINT", ENV_LOADER },
	{ "DOTNET_STARTUP_HOOKS", ENV_LOADER },
	{ "DOTNET_ADDITIONAL_DEPS", ENV_LOADER },
	{ "GLIBC_TUNABLES", ENV_LOADER },
	{ "MAVEN_OPTS", ENV_LOADER },
	{ "SBT_OPTS", ENV_LOADER },
	{ "GRADLE_OPTS", ENV_LOADER },
	{ "ANT_OPTS", ENV_LOADER },
	{ "LUA_INIT", ENV_LOADER },
	{ "LUA_INIT_5_1", ENV_LOADER },
	{ "LUA_INIT_5_2", ENV_LOADER },
	{ "LUA_INIT_5_3", ENV_LOADER },
	{ "LUA_INIT_5_4", ENV_LOADER },
	{ "CATALINA_OPTS", ENV_LOADER },
	{ "CORECLR_PROFILER", ENV_LOADER },
	{ "HELM_PLUGINS", ENV_LOADER },
	{ "PACKER_PLUGIN_PATH", ENV_LOADER },
	{ "VAGRANT_VAGRANTFILE", ENV_LOADER },
	{ "ERL_AFLAGS", ENV_LOADER },
	{ "ERL_FLAGS", ENV_LOADER },
	{ "ERL_ZFLAGS", ENV_LOADER },
	{ "ELIXIR_ERL_OPTIONS", ENV_LOADER },
	{ "R_ENVIRON", ENV_LOADER },
	{ "R_PROFILE", ENV_LOADER },
	{ "R_ENVIRON_USER", ENV_LOADER },
	{ "R_PROFILE_USER", ENV_LOADER },
	{ "TCLLIBPATH", ENV_LOADER },
	{ "PERL5DB", ENV_LOADER },
	{ "PERL5DBCMD", ENV_LOADER },
	{ "PYTHONSTARTUP", ENV_LOADER },
	{ "CLASSPATH", ENV_LOADER },
	{ "CORECLR_PROFILER_PATH", ENV_LOADER },
	{ "LUA_PATH", ENV_LOADER },
	{ "LUA_CPATH", ENV_LOADER },
	{ "ANSIBLE_CONFIG", ENV_LOADER },
	{ "ANSIBLE_LIBRARY", ENV_LOADER },
	{ "ANSIBLE_CALLBACK_PLUGINS", ENV_LOADER },
	{ "ANSIBLE_COLLECTIONS_PATH", ENV_LOADER },
	{ "ANSIBLE_CONNECTION_PLUGINS", ENV_LOADER },
	{ "ANSIBLE_FILTER_PLUGINS", ENV_LOADER },
	{ "ANSIBLE_INVENTORY_PLUGINS", ENV_LOADER },
	{ "ANSIBLE_LOOKUP_PLUGINS", ENV_LOADER },
	{ "ANSIBLE_MODULE_UTILS", ENV_LOADER },
	{ "ANSIBLE_REMOTE_TEMP", ENV_LOADER },
	{ "ANSIBLE_ROLES_PATH", ENV_LOADER },
	{ "ANSIBLE_STRATEGY_PLUGINS", ENV_LOADER },
	/* ENV_SHELL */
	{ "BASHOPTS", ENV_SHELL },
	{ "BASH_ENV", ENV_SHELL },
	{ "ENV", ENV_SHELL },
	{ "KSH_ENV", ENV_SHELL },
	{ "SHELL", ENV_SHELL },
	{ "SHELLOPTS", ENV_SHELL },
	{ "IFS", ENV_SHELL },
	{ "FPATH", ENV_SHELL },
	{ "RUBYSHELL", ENV_SHELL },
	{ "CONFIG_SHELL", ENV_SHELL },
	{ "HOME", ENV_SHELL },
	{ "ZDOTDIR", ENV_SHELL },
	/* ENV_HOOK */
	{ "BROWSER", ENV_HOOK },
	{ "PS4", ENV_HOOK },
	{ "EXINIT", ENV_HOOK },
	{ "VIMINIT", ENV_HOOK },
	{ "MYVIMRC", ENV_HOOK },
	{ "GVIMINIT", ENV_HOOK },
	{ "EMACSLOADPATH", ENV_HOOK },
	{ "SUDO_ASKPASS", ENV_HOOK },
	{ "JULIA_EDITOR", ENV_HOOK },
	{ "SSH_ASKPASS", ENV_HOOK },
	{ "LESSOPEN", ENV_HOOK },
	{ "LESSCLOSE", ENV_HOOK },
	{ "PAGER", ENV_HOOK },
	{ "MANPAGER", ENV_HOOK },
	{ "EDITOR", ENV_HOOK },
	{ "VISUAL", ENV_HOOK },
	{ "FCEDIT", ENV_HOOK },
	{ "SUDO_EDITOR", ENV_HOOK },
	{ "PROMPT_COMMAND", ENV_HOOK },
	{ "HISTFILE", ENV_HOOK },
	{ "WGETRC", ENV_HOOK },
	{ "CURL_HOME", ENV_HOOK },
	/* ENV_VCS */
	{ "GIT_ALLOW_PROTOCOL", ENV_VCS },
	{ "GIT_EDITOR", ENV_VCS },
	{ "GIT_EXTERNAL_DIFF", ENV_VCS },
	{ "GIT_DIR", ENV_VCS },
	{ "GIT_WORK_TREE", ENV_VCS },
	{ "GIT_COMMON_DIR", ENV_VCS },
	{ "GIT_EXEC_PATH", ENV_VCS },
	{ "GIT_INDEX_FILE", ENV_VCS },
	{ "GIT_OBJECT_DIRECTORY", ENV_VCS },
	{ "GIT_ALTERNATE_OBJECT_DIRECTORIES", ENV_VCS },
	{ "GIT_NAMESPACE", ENV_VCS },
	{ "GIT_PROTOCOL_FROM_USER", ENV_VCS },
	{ "GIT_SEQUENCE_EDITOR", ENV_VCS },
	{ "GIT_TEMPLATE_DIR", ENV_VCS },
	{ "HGRCPATH", ENV_VCS },
	{ "HGEDITOR", ENV_VCS },
	{ "HGMERGE", ENV_VCS },
	{ "GIT_HOOK_PATH", ENV_VCS },
	{ "SVN_EDITOR", ENV_VCS },
	{ "SVN_SSH", ENV_VCS },
	{ "BZR_EDITOR", ENV_VCS },
	{ "BZR_SSH", ENV_VCS },
	{ "BZR_PLUGIN_PATH", ENV_VCS },
	{ "GIT_SSH_COMMAND", ENV_VCS },
	{ "GIT_SSH", ENV_VCS },
	{ "GIT_PROXY_COMMAND", ENV_VCS },
	{ "GIT_ASKPASS", ENV_VCS },
	{ "GIT_PAGER", ENV_VCS },
	/* ENV_BUILD */
	{ "CC", ENV_BUILD },
	{ "CPP", ENV_BUILD },
	{ "CXX", ENV_BUILD },
	{ "CXXCPP", ENV_BUILD },
	{ "CARGO_BUILD_RUSTC", ENV_BUILD },
	{ "CARGO_BUILD_RUSTC_WRAPPER", ENV_BUILD },
	{ "CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER", ENV_BUILD },
	{ "CARGO_BUILD_RUSTDOC", ENV_BUILD },
	{ "RUSTC", ENV_BUILD },
	{ "RUSTC_WRAPPER", ENV_BUILD },
	{ "RUSTC_WORKSPACE_WRAPPER", ENV_BUILD },
	{ "RUSTDOC", ENV_BUILD },
	{ "CMAKE_C_COMPILER", ENV_BUILD },
	{ "CMAKE_CXX_COMPILER", ENV_BUILD },
	{ "MAKE", ENV_BUILD },
	{ "MAKEFLAGS", ENV_BUILD },
	{ "MFLAGS", ENV_BUILD },
	{ "CONFIG_SITE", ENV_BUILD },
	{ "CMAKE_TOOLCHAIN_FILE", ENV_BUILD },
	{ "CFLAGS", ENV_BUILD },
	{ "CGO_CFLAGS", ENV_BUILD },
	{ "CGO_LDFLAGS", ENV_BUILD },
	{ "GOFLAGS", ENV_BUILD },
	{ "LIBRARY_PATH", ENV_BUILD },
	{ "LDFLAGS", ENV_BUILD },
	{ "CPATH", ENV_BUILD },
	{ "C_INCLUDE_PATH", ENV_BUILD },
	{ "CPLUS_INCLUDE_PATH", ENV_BUILD },
	{ "OBJC_INCLUDE_PATH", ENV_BUILD },
	{ "RUSTFLAGS", ENV_BUILD },
	/* ENV_TRUST */
	{ "GIT_SSL_NO_VERIFY", ENV_TRUST },
	{ "GIT_SSL_CAINFO", ENV_TRUST },
	{ "GIT_SSL_CAPATH", ENV_TRUST },
	{ "SSLKEYLOGFILE", ENV_TRUST },
	{ "HOSTALIASES", ENV_TRUST },
	{ "OPENSSL_CONF", ENV_TRUST },
	{ "OPENSSL_ENGINES", ENV_TRUST },
	{ "HTTP_PROXY", ENV_TRUST },
	{ "HTTPS_PROXY", ENV_TRUST },
	{ "ALL_PROXY", ENV_TRUST },
	{ "NO_PROXY", ENV_TRUST },
	{ "NODE_TLS_REJECT_UNAUTHORIZED", ENV_TRUST },
	{ "NODE_EXTRA_CA_CERTS", ENV_TRUST },
	{ "SSL_CERT_FILE", ENV_TRUST },
	{ "SSL_CERT_DIR", ENV_TRUST },
	{ "REQUESTS_CA_BUNDLE", ENV_TRUST },
	{ "CURL_CA_BUNDLE", ENV_TRUST },
	{ "DOCKER_HOST", ENV_TRUST },
	{ "DOCKER_TLS_VERIFY", ENV_TRUST },
	{ "DOCKER_CERT_PATH", ENV_TRUST },
	{ "DOCKER_CONTEXT", ENV_TRUST },
	/* ENV_REGISTRY */
	{ "BUN_CONFIG_REGISTRY", ENV_REGISTRY },
	{ "YARN_RC_FILENAME", ENV_REGISTRY },
	{ "PIP_INDEX_URL", ENV_REGISTRY },
	{ "PIP_PYPI_URL", ENV_REGISTRY },
	{ "PIP_EXTRA_INDEX_URL", ENV_REGISTRY },
	{ "PIP_CONFIG_FILE", ENV_REGISTRY },
	{ "PIP_FIND_LINKS", ENV_REGISTRY },
	{ "PIP_TRUSTED_HOST", ENV_REGISTRY },
	{ "UV_INDEX", ENV_REGISTRY },
	{ "UV_INDEX_URL", ENV_REGISTRY },
	{ "UV_PYTHON", ENV_REGISTRY },
	{ "UV_EXTRA_INDEX_URL", ENV_REGISTRY },
	{ "UV_DEFAULT_INDEX", ENV_REGISTRY },
	{ "GOPROXY", ENV_REGISTRY },
	{ "GONOSUMCHECK", ENV_REGISTRY },
	{ "GONOSUMDB", ENV_REGISTRY },
	{ "GONOPROXY", ENV_REGISTRY },
	{ "GOPRIVATE", ENV_REGISTRY },
	{ "RUSTUP_DIST_ROOT", ENV_REGISTRY },
	{ "RUSTUP_DIST_SERVER", ENV_REGISTRY },
	{ "RUSTUP_UPDATE_ROOT", ENV_REGISTRY },
	/* ENV_CONFIG */
	{ "GRADLE_USER_HOME", ENV_CONFIG },
	{ "PHPRC", ENV_CONFIG },
	{ "PHP_INI_SCAN_DIR", ENV_CONFIG },
	{ "DENO_DIR", ENV_CONFIG },
	{ "GOENV", ENV_CONFIG },
	{ "GOPATH", ENV_CONFIG },
	{ "PYTHONUSERBASE", ENV_CONFIG },
	{ "RUSTUP_HOME", ENV_CONFIG },
	{ "RUSTUP_TOOLCHAIN", ENV_CONFIG },
	{ "CARGO_HOME", ENV_CONFIG },
	{ "VIRTUAL_ENV", ENV_CONFIG },
	{ "GEM_HOME", ENV_CONFIG },
	{ "GEM_PATH", ENV_CONFIG },
	{ "BUNDLE_GEMFILE", ENV_CONFIG },
	{ "COMPOSER_HOME", ENV_CONFIG },
	{ "CONDA_DEFAULT_ENV", ENV_CONFIG },
	{ "CONDA_PREFIX", ENV_CONFIG },
	{ "XDG_CACHE_HOME", ENV_CONFIG },
	{ "XDG_CONFIG_DIRS", ENV_CONFIG },
	{ "XDG_CONFIG_HOME", ENV_CONFIG },
	{ "XDG_DATA_DIRS", ENV_CONFIG },
	{ "XDG_DATA_HOME", ENV_CONFIG },
	{ "XDG_RUNTIME_DIR", ENV_CONFIG },
	{ "XDG_STATE_HOME", ENV_CONFIG },
	{ "AWS_CONFIG_FILE", ENV_CONFIG },
	{ "KUBECONFIG", ENV_CONFIG },
	{ "GOOGLE_APPLICATION_CREDENTIALS", ENV_CONFIG },
	{ "AWS_SHARED_CREDENTIALS_FILE", ENV_CONFIG },
	{ "AWS_WEB_IDENTITY_TOKEN_FILE", ENV_CONFIG },
	{ "AZURE_AUTH_LOCATION", ENV_CONFIG },
	{ "HELM_HOME", ENV_CONFIG },
	{ "R_LIBS_USER", ENV_CONFIG },
	{ "TF_CLI_CONFIG_FILE", ENV_CONFIG },
	{ "TF_PLUGIN_CACHE_DIR", ENV_CONFIG },
	{ "SYSTEMROOT", ENV_CONFIG },
	{ "WINDIR", ENV_CONFIG },
	/* ENV_CREDENTIAL */
	{ "AMQP_URL", ENV_CREDENTIAL },
	{ "AWS_ACCESS_KEY_ID", ENV_CREDENTIAL },
	{ "AWS_CONTAINER_CREDENTIALS_FULL_URI", ENV_CREDENTIAL },
	{ "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", ENV_CREDENTIAL },
	{ "AWS_SECRET_ACCESS_KEY", ENV_CREDENTIAL },
	{ "AWS_SECURITY_TOKEN", ENV_CREDENTIAL },
	{ "AWS_SESSION_TOKEN", ENV_CREDENTIAL },
	{ "AZURE_CLIENT_ID", ENV_CREDENTIAL },
	{ "AZURE_CLIENT_SECRET", ENV_CREDENTIAL },
	{ "DATABASE_URL", ENV_CREDENTIAL },
	{ "GH_TOKEN", ENV_CREDENTIAL },
	{ "GITHUB_TOKEN", ENV_CREDENTIAL },
	{ "GITLAB_TOKEN", ENV_CREDENTIAL },
	{ "MONGODB_URI", ENV_CREDENTIAL },
	{ "NODE_AUTH_TOKEN", ENV_CREDENTIAL },
	{ "NPM_TOKEN", ENV_CREDENTIAL },
	{ "REDIS_URL", ENV_CREDENTIAL },
	{ "SSH_AUTH_SOCK", ENV_CREDENTIAL },
};

/* Name prefixes a request may not set, with the reason for each. */
static const struct {
	const char *prefix;
	const char *why;
} blocked_prefix[] = {
	{ "LD_", "steers the dynamic loader (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT)" },
	{ "DYLD_", "steers the macOS dynamic loader" },
	{ "BASH_FUNC_", "defines bash functions on start (Shellshock's channel)" },
	{ "GIT_CONFIG_", "injects git configuration (core.hooksPath, core.sshCommand)" },
	{ "NPM_CONFIG_", "changes npm's registry, scripts or prefix" },
	{ "CARGO_REGISTRIES_", "changes cargo's registries" },
	{ "TF_VAR_", "feeds variables into terraform plans" },
};

/*
 * Credential names by OpenClaw's sandbox sanitiser (sanitize-env-vars):
 * whole names first, then suffixes. Case-insensitive.
 */
static const char *const secret_names[] = {
	"ANTHROPIC_API_KEY",
	"OPENAI_API_KEY",
	"GEMINI_API_KEY",
	"OPENROUTER_API_KEY",
	"MINIMAX_API_KEY",
	"ELEVENLABS_API_KEY",
	"SYNTHETIC_API_KEY",
	"TELEGRAM_BOT_TOKEN",
	"DISCORD_BOT_TOKEN",
	"SLACK_BOT_TOKEN",
	"SLACK_APP_TOKEN",
	"LINE_CHANNEL_SECRET",
	"LINE_CHANNEL_ACCESS_TOKEN",
	"OPENCLAW_GATEWAY_TOKEN",
	"OPENCLAW_GATEWAY_PASSWORD",
	"AWS_SECRET_ACCESS_KEY",
	"AWS_SECRET_KEY",
	"AWS_SESSION_TOKEN",
	"GH_TOKEN",
	"GITHUB_TOKEN",
	"AZURE_API_KEY",
	"AZURE_OPENAI_API_KEY",
	"COHERE_API_KEY",
	"AI_GATEWAY_API_KEY",
};
static const char *const secret_suffixes[] = {
	"_ADMIN_KEY", "API_KEY", "TOKEN", "PASSWORD", "PRIVATE_KEY", "SECRET",
};

static bool has_suffix_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

bool envsan_secret_name(const char *name)
{
	for (size_t i = 0; i < NELEM(secret_names); i++)
		if (strcasecmp(name, secret_names[i]) == 0)
			return true;
	for (size_t i = 0; i < NELEM(secret_suffixes); i++)
		if (has_suffix_ci(name, secret_suffixes[i]))
			return true;
	return false;
}

static bool has_prefix_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* CARGO_TARGET_<triple>_LINKER and _RUNNER run a program of the caller's choosing. */
static bool cargo_target_tool(const char *name)
{
	return has_prefix_ci(name, "CARGO_TARGET_") &&
	       (has_suffix_ci(name, "_LINKER") || has_suffix_ci(name, "_RUNNER"));
}

const char *envsan_override_blocked(const char *name)
{
	if (strcasecmp(name, "PATH") == 0)
		return "chooses which programs run (PATH)";
	for (size_t i = 0; i < NELEM(blocked_override); i++)
		if (strcasecmp(name, blocked_override[i].name) == 0)
			return class_reason[blocked_override[i].why];
	for (size_t i = 0; i < NELEM(blocked_prefix); i++)
		if (has_prefix_ci(name, blocked_prefix[i].prefix))
			return blocked_prefix[i].why;
	if (cargo_target_tool(name))
		return "runs a linker or runner of the caller's choosing";
	return NULL;
}

bool envsan_valid_name(const char *name)
{
	if (!((*name >= 'A' && *name <= 'Z') || (*name >= 'a' && *name <= 'z') || *name == '_'))
		return false;
	for (const char *p = name + 1; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static size_t env_find(const struct envlist *e, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < e->vars.n; i++)
		if (strncmp(e->vars.v[i], name, len) == 0 && e->vars.v[i][len] == '=')
			return i;
	return e->vars.n;
}

void env_set(struct envlist *e, const char *name, const char *value)
{
	char *entry = xasprintf("%s=%s", name, value);
	size_t i = env_find(e, name);

	if (i < e->vars.n) {
		free(e->vars.v[i]);
		e->vars.v[i] = entry;
		return;
	}
	strvec_push_nodup(&e->vars, entry);
}

const char *env_get(const struct envlist *e, const char *name)
{
	size_t i = env_find(e, name);
	return i < e->vars.n ? e->vars.v[i] + strlen(name) + 1 : NULL;
}

char *const *env_finish(struct envlist *e)
{
	if (e->vars.v == NULL) {
		ALLOC_GROW(e->vars.v, 1, e->vars.cap);
		e->vars.v[0] = NULL;
	}
	return e->vars.v;
}

void env_free(struct envlist *e)
{
	strvec_clear(&e->vars);
}
