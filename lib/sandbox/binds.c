/*
 * binds.c: what a sandbox may be given from the host, judged as OpenClaw 2026.9.6
 * judges it (validate-sandbox-security, host-paths, bind-spec), with its messages,
 * so a config refused by OpenClaw is refused here for the same reason.
 */
#include "sandbox/binds.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/strvec.h"
#include "core/util.h"

/* Host paths never exposed to a sandbox, at, under or above. */
static const struct {
	const char *path, *why;
} blocked_host_paths[] = {
	{ "/etc", "passwords, keys, system configuration" },
	{ "/private/etc", "system configuration (macOS)" },
	{ "/proc", "other processes, kernel knobs" },
	{ "/sys", "devices and kernel knobs" },
	{ "/dev", "raw devices" },
	{ "/root", "the administrator's home" },
	{ "/boot", "kernels and boot loader" },
	{ "/run", "sockets of system daemons (docker, dbus, ssh agents)" },
	{ "/var/run", "sockets of system daemons, by their old name" },
	{ "/private/var/run", "sockets of system daemons (macOS)" },
	{ "/var/run/docker.sock", "the Docker socket: root on the host" },
	{ "/private/var/run/docker.sock", "the Docker socket: root on the host (macOS)" },
	{ "/run/docker.sock", "the Docker socket: root on the host" },
};

/* Credential directories under each home ("credentials", for messages). */
static const char *const blocked_home_subpaths[] = {
	".aws",    /* cloud credentials */
	".cargo",  /* registry tokens */
	".config", /* tokens of most CLI tools (gh, gcloud, ...) */
	".docker", /* registry auth */
	".gnupg",  /* private keys */
	".netrc",  /* passwords for ftp/http/git */
	".npm",    /* registry tokens, cached packages */
	".ssh",    /* private keys, authorized_keys */
};

/* The state dirs OpenClaw (and so claw) uses under each home when none is set: another
 * installation's config, approvals and tokens, whichever this one's is. */
static const char *const home_state_dirs[] = {
	".openclaw", /* OpenClaw's and claw's default */
	".clawdbot", /* the same, by its former name (OpenClaw still reads it) */
};

/* Container paths the sandbox mounts itself; a bind there would shadow them. */
static const char *const reserved_targets[] = { "/workspace", "/agent" };

/* Mount options a native bind understands besides ro/rw; Docker's labels are accepted and
 * mean nothing without SELinux. */
static const char *const ignored_options[] = {
	"z", "Z", "consistent", "cached", "delegated", "private", "rprivate", "nocopy",
};

char *host_path_normalize(const char *raw)
{
	char *s = str_trim_dup(raw);

	for (char *p = s; *p; p++)
		if (*p == '\\')
			*p = '/';
	if (s[0] != '/') /* relative paths are refused before anyone normalises them */
		return s;
	struct buf out = { 0 };
	size_t *marks = xcalloc(strlen(s) + 1, sizeof(*marks));
	size_t depth = 0;

	for (char *save = NULL, *part = strtok_r(s, "/", &save); part;
	     part = strtok_r(NULL, "/", &save)) {
		if (strcmp(part, ".") == 0)
			continue;
		if (strcmp(part, "..") == 0) {
			if (depth > 0) { /* ".." above the root stays at the root */
				out.len = marks[--depth];
				out.p[out.len] = '\0';
			}
			continue;
		}
		marks[depth++] = out.len;
		buf_putc(&out, '/');
		buf_puts(&out, part);
	}
	free(marks);
	free(s);
	if (out.len == 0)
		buf_putc(&out, '/');
	return buf_steal(&out);
}

bool host_path_inside(const char *root, const char *target)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return true;
	return strncmp(root, target, n) == 0 && (target[n] == '\0' || target[n] == '/');
}

char *host_path_resolve(const char *normalized)
{
	if (normalized[0] != '/')
		return xstrdup(normalized);
	char *head = xstrdup(normalized);
	char real[PATH_MAX];

	/* Walk up until an ancestor exists, so a missing leaf cannot hide a symlinked parent. */
	for (;;) {
		if (realpath(head, real) != NULL) {
			const char *rest = normalized + strlen(head);
			char *joined =
			    xasprintf("%s%s", strcmp(real, "/") == 0 && *rest ? "" : real, rest);
			free(head);
			char *norm = host_path_normalize(joined);
			free(joined);
			return norm;
		}
		char *slash = strrchr(head, '/');
		if (slash == NULL || slash == head) {
			free(head);
			return xstrdup(normalized);
		}
		*slash = '\0';
	}
}

void bind_free(struct bind *b)
{
	free(b->host);
	free(b->container);
	free(b->options);
	memset(b, 0, sizeof(*b));
}

static int parse_options(struct bind *b)
{
	char *opts = xstrdup(b->options);
	int rc = 0;

	for (char *save = NULL, *o = strtok_r(opts, ",", &save); o;
	     o = strtok_r(NULL, ",", &save)) {
		bool known = false;
		if (strcmp(o, "ro") == 0 || strcmp(o, "readonly") == 0)
			b->read_only = known = true;
		else if (strcmp(o, "rw") == 0)
			b->read_only = false, known = true;
		for (size_t i = 0; i < NELEM(ignored_options) && !known; i++)
			known = strcmp(o, ignored_options[i]) == 0;
		if (!known) {
			rc = claw_fail(
			    "bind mount \"%s:%s:%s\": unknown option \"%s\" (use ro or rw)",
			    b->host, b->container, b->options, o);
			break;
		}
	}
	free(opts);
	return rc;
}

int bind_parse(const char *spec, struct bind *b)
{
	char *s = str_trim_dup(spec);
	char *colon = strchr(s, ':');

	memset(b, 0, sizeof(*b));
	if (colon == NULL) {
		b->host = s;
		b->container = xstrdup("");
		b->options = xstrdup("");
		return 0;
	}
	*colon = '\0';
	char *rest = colon + 1, *opt = strchr(rest, ':');
	if (opt)
		*opt++ = '\0';
	b->host = str_trim_dup(s);
	b->container = str_trim_dup(rest);
	b->options = xstrdup(opt ? opt : "");
	free(s);
	return parse_options(b);
}

enum reason { R_NONE, R_TARGETS, R_COVERS, R_NON_ABSOLUTE, R_OUTSIDE, R_RESERVED, R_STATE };

struct verdict {
	enum reason kind;
	const char *path;  /* blocked, reserved or source path, as the message names it */
	const char *whose; /* R_STATE: whose state path is ("claw's own state") */
	const char *why;   /* R_TARGETS, R_COVERS: what the blocked path holds */
};

struct blocked_list {
	struct blocked {
		char *path;
		const char *why; /* what it holds (a static string) */
	} * v;
	size_t n, cap;
};

static void blocked_add(struct blocked_list *l, const char *path, const char *why)
{
	char *norm = host_path_normalize(path);

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].path, norm) == 0) {
			free(norm);
			return;
		}
	ALLOC_GROW(l->v, l->n + 1, l->cap);
	l->v[l->n++] = (struct blocked){ norm, why };
}

/* HOME/NAME for each of the N NAMES, on the home as written and on its realpath. */
static void blocked_add_home(struct blocked_list *l, const char *home, const char *const *names,
                             size_t n, const char *why)
{
	if (home == NULL || home[0] != '/')
		return;
	char *norm = host_path_normalize(home);
	char *real = host_path_resolve(norm);
	const char *roots[] = { norm, real };

	for (size_t r = 0; r < NELEM(roots); r++) {
		if (strcmp(roots[r], "/") == 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			char *p = xasprintf("%s/%s", roots[r], names[i]);
			blocked_add(l, p, why);
			free(p);
		}
	}
	free(norm);
	free(real);
}

/* The caller's home from the password database, looked up once (NSS is not cheap). */
static const char *own_home(void)
{
	static char *home;
	static bool looked;

	if (!looked) {
		const struct passwd *pw = getpwuid(getuid());
		home = pw && pw->pw_dir ? xstrdup(pw->pw_dir) : NULL;
		looked = true;
	}
	return home;
}

/* Every home OpenClaw considers, and the home of the user the command runs as. */
static void blocked_add_homes(struct blocked_list *l, const struct bind_policy *p,
                              const char *const *names, size_t n, const char *why)
{
	const char *homes[] = { getenv("OPENCLAW_HOME"), getenv("HOME"), getenv("USERPROFILE"),
		                own_home(), p->extra_home };

	for (size_t i = 0; i < NELEM(homes); i++)
		blocked_add_home(l, homes[i], names, n, why);
}

/* The system paths, then the credential dirs of every home. */
static void blocked_build(struct blocked_list *l, const struct bind_policy *p)
{
	for (size_t i = 0; i < NELEM(blocked_host_paths); i++)
		blocked_add(l, blocked_host_paths[i].path, blocked_host_paths[i].why);
	blocked_add_homes(l, p, blocked_home_subpaths, NELEM(blocked_home_subpaths), "credentials");
}

static void blocked_free(struct blocked_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
}

static struct verdict blocked_reason(const char *source, const struct blocked_list *l)
{
	if (strcmp(source, "/") == 0)
		return (struct verdict){ R_COVERS, "/", NULL, "the whole host file system" };
	for (size_t i = 0; i < l->n; i++) {
		if (host_path_inside(l->v[i].path, source))
			return (struct verdict){ R_TARGETS, l->v[i].path, NULL, l->v[i].why };
		if (host_path_inside(source, l->v[i].path))
			return (struct verdict){ R_COVERS, l->v[i].path, NULL, l->v[i].why };
	}
	return (struct verdict){ R_NONE, NULL, NULL, NULL };
}

/* LABEL names what is judged: a bind as OpenClaw does ("bind mount \"SPEC\""), or a tree
 * claw shows ("the workspace \"PATH\""). */
static int bind_error(const char *label, const struct verdict *v, const struct bind_policy *p,
                      const char *target)
{
	struct buf roots = { 0 };
	int rc;

	switch (v->kind) {
	case R_NON_ABSOLUTE:
		rc = claw_fail("Sandbox security: %s uses a non-absolute source path \"%s\". Only "
		               "absolute POSIX paths are supported for sandbox binds.",
		               label, v->path);
		break;
	case R_OUTSIDE:
		for (size_t i = 0; i < p->nroots; i++)
			buf_printf(&roots, "%s%s", i ? ", " : "", p->allowed_roots[i]);
		rc = claw_fail("Sandbox security: %s source \"%s\" is outside allowed roots (%s). "
		               "Use a dangerous override only when you fully trust this runtime.",
		               label, v->path, roots.p ? roots.p : "");
		break;
	case R_RESERVED:
		rc = claw_fail("Sandbox security: %s targets reserved container path \"%s\" "
		               "(resolved target: \"%s\"). This can shadow OpenClaw sandbox "
		               "mounts. Use a dangerous override only when you fully trust this "
		               "runtime.",
		               label, v->path, target);
		break;
	case R_STATE:
		rc = claw_fail("Sandbox security: %s reaches %s \"%s\" (its config, approvals and "
		               "decision log). A sandbox never sees it; no dangerous override "
		               "allows that.",
		               label, v->whose, v->path);
		break;
	default:
		rc =
		    claw_fail("Sandbox security: %s %s blocked path \"%s\". Mounting system "
		              "directories, credential paths, or Docker socket paths into sandbox "
		              "containers is not allowed. Use project-specific paths instead (e.g. "
		              "/home/user/myproject).",
		              label, v->kind == R_COVERS ? "covers" : "targets", v->path);
	}
	buf_free(&roots);
	return rc;
}

static bool inside_allowed_roots(const char *source, char *const *roots, size_t n)
{
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		if (host_path_inside(roots[i], source))
			return true;
	return false;
}

struct checker {
	const struct bind_policy *p;
	struct blocked_list blocked;
	struct strvec roots;        /* allowed roots, normalised, plus their realpaths */
	struct blocked_list own;    /* claw's state dir and config files, normalised and real */
	struct blocked_list others; /* the state dirs of other installations in each home */
};

/*
 * Claw's state (DESIGN: the sandbox never sees the state dir), refused even
 * with dangerouslyAllowExternalBindSources: a source at or above a config
 * file, at or above the state dir or another installation's, or under one
 * outside the allowed roots (the agent workspace and the scope's own live in
 * the state dir by default).
 */
static const char *state_hit(const struct checker *c, const struct blocked_list *l,
                             const char *source, bool *covers)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *own = l->v[i].path;
		*covers = host_path_inside(source, own);
		bool under = host_path_inside(own, source) &&
		             !inside_allowed_roots(source, c->roots.v, c->roots.n);
		if (*covers || under)
			return own;
	}
	return NULL;
}

static int check_state(const struct checker *c, const struct blocked_list *l, const char *what,
                       const char *label, const char *source)
{
	bool covers;
	const char *own = state_hit(c, l, source, &covers);

	if (own != NULL) {
		struct verdict v = { R_STATE, own, what, NULL };
		return bind_error(label, &v, c->p, NULL);
	}
	return 0;
}

static int check_own(const struct checker *c, const char *label, const char *source)
{
	return check_state(c, &c->own, "claw's own state", label, source) < 0 ||
	               check_state(c, &c->others, "a claw state directory", label, source) < 0
	           ? -1
	           : 0;
}

/* PATH into L as written and as its realpath. */
static void own_add(struct blocked_list *l, const char *path)
{
	if (path == NULL || path[0] != '/')
		return;
	char *norm = host_path_normalize(path);
	char *real = host_path_resolve(norm);
	blocked_add(l, norm, NULL);
	blocked_add(l, real, NULL);
	free(norm);
	free(real);
}

static void own_build(struct checker *c)
{
	own_add(&c->own, c->p->state_dir);
	for (size_t i = 0; i < c->p->nconfig_files; i++)
		own_add(&c->own, c->p->config_files[i]);
	blocked_add_homes(&c->others, c->p, home_state_dirs, NELEM(home_state_dirs), NULL);
}

static int check_source(const struct checker *c, const char *label, const char *source)
{
	struct verdict v = blocked_reason(source, &c->blocked);

	if (v.kind == R_NONE && !c->p->allow_external &&
	    !inside_allowed_roots(source, c->roots.v, c->roots.n))
		v = (struct verdict){ R_OUTSIDE, source, NULL, NULL };
	return v.kind == R_NONE ? 0 : bind_error(label, &v, c->p, NULL);
}

static int check_reserved(const char *label, const char *target_raw, const struct bind_policy *p)
{
	if (p->allow_reserved || target_raw[0] != '/')
		return 0;
	char *target = host_path_normalize(target_raw);
	int rc = 0;

	for (size_t i = 0; i < NELEM(reserved_targets) && rc == 0; i++)
		if (host_path_inside(reserved_targets[i], target)) {
			struct verdict v = { R_RESERVED, reserved_targets[i], NULL, NULL };
			rc = bind_error(label, &v, p, target);
		}
	free(target);
	return rc;
}

/* The string check: relative sources, then blocked paths on the path and its realpath. */
static int check_blocked(const struct checker *c, const char *label, const char *source_raw)
{
	if (source_raw[0] != '/') {
		struct verdict v = { R_NON_ABSOLUTE, source_raw, NULL, NULL };
		return bind_error(label, &v, c->p, NULL);
	}
	char *norm = host_path_normalize(source_raw);
	char *real = host_path_resolve(norm);
	struct verdict v = blocked_reason(norm, &c->blocked);
	if (v.kind == R_NONE && strcmp(real, norm) != 0)
		v = blocked_reason(real, &c->blocked);
	int rc = v.kind == R_NONE ? 0 : bind_error(label, &v, c->p, NULL);
	free(norm);
	free(real);
	return rc;
}

/* What a source may never be, bind or tree: blocked, or claw's state, on the path as
 * written and on its realpath. */
static int check_path(const struct checker *c, const char *label, const char *path)
{
	char *norm = host_path_normalize(path);
	char *real = host_path_resolve(norm);
	int rc = check_blocked(c, label, path) < 0 || check_own(c, label, norm) < 0 ||
	                 check_own(c, label, real) < 0
	             ? -1
	             : 0;

	free(norm);
	free(real);
	return rc;
}

static int check_one(const struct checker *c, const char *raw, char **resolved)
{
	char *bind = str_trim_dup(raw);
	struct bind b;
	int rc = 0;

	if (bind[0] == '\0') {
		free(bind);
		return 0;
	}
	if (bind_parse(bind, &b) < 0) {
		free(bind);
		return -1;
	}
	char *label = xasprintf("bind mount \"%s\"", bind);
	char *norm = host_path_normalize(b.host);
	char *real = host_path_resolve(norm);
	if (check_blocked(c, label, b.host) < 0 || check_reserved(label, b.container, c->p) < 0 ||
	    check_source(c, label, norm) < 0 || check_source(c, label, real) < 0 ||
	    check_own(c, label, norm) < 0 || check_own(c, label, real) < 0)
		rc = -1;
	if (resolved) {
		*resolved = real;
		real = NULL;
	}
	free(label);
	free(norm);
	free(real);
	bind_free(&b);
	free(bind);
	return rc;
}

static void roots_build(struct checker *c)
{
	for (size_t i = 0; i < c->p->nroots; i++) {
		const char *root = c->p->allowed_roots[i];
		char *trimmed = root ? str_trim_dup(root) : NULL;
		bool absolute = trimmed && trimmed[0] == '/';
		free(trimmed);
		if (!absolute)
			continue;
		char *norm = host_path_normalize(root);
		char *real = host_path_resolve(norm);
		strvec_push_nodup(&c->roots, norm);
		if (strcmp(real, norm) != 0)
			strvec_push_nodup(&c->roots, real);
		else
			free(real);
	}
}

static void checker_init(struct checker *c, const struct bind_policy *p)
{
	memset(c, 0, sizeof(*c));
	c->p = p;
	blocked_build(&c->blocked, p);
	roots_build(c);
	own_build(c);
}

static void checker_free(struct checker *c)
{
	strvec_clear(&c->roots);
	blocked_free(&c->blocked);
	blocked_free(&c->own);
	blocked_free(&c->others);
}

int binds_validate_place(const struct bind_tree *trees, size_t ntrees, const char *const *binds,
                         size_t n, const struct bind_policy *p)
{
	struct checker c;
	int rc = 0;

	if (ntrees == 0 && n == 0)
		return 0;
	checker_init(&c, p);
	for (size_t i = 0; i < ntrees && rc == 0; i++) {
		char *label = xasprintf("the %s \"%s\"", trees[i].what, trees[i].path);
		rc = check_path(&c, label, trees[i].path);
		free(label);
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = check_one(&c, binds[i], p->resolved ? &p->resolved[i] : NULL);
	checker_free(&c);
	return rc;
}

/* The first of blocked_reason() and the state rule that SOURCE (normalised) meets. */
static enum bind_block block_of(const struct checker *c, const char *source,
                                struct bind_blocked *out)
{
	struct verdict v = blocked_reason(source, &c->blocked);
	const char *own;
	bool covers = false;

	if (v.kind != R_NONE) {
		*out = (struct bind_blocked){ BIND_BLOCKED, v.kind == R_COVERS, xstrdup(v.path),
			                      v.why };
		return out->what;
	}
	if ((own = state_hit(c, &c->own, source, &covers)) != NULL)
		*out =
		    (struct bind_blocked){ BIND_STATE, covers, xstrdup(own), "claw's own state" };
	else if ((own = state_hit(c, &c->others, source, &covers)) != NULL)
		*out = (struct bind_blocked){ BIND_STATE, covers, xstrdup(own),
			                      "a claw state directory" };
	if (own != NULL && strcmp(own, source) == 0)
		out->covers = false; /* at it: "targets", as blocked_reason() says */
	return out->what;
}

enum bind_block binds_blocked(const char *source, const struct bind_policy *p,
                              struct bind_blocked *out)
{
	struct checker c;

	*out = (struct bind_blocked){ BIND_SAFE, false, NULL, NULL };
	if (source[0] != '/')
		return BIND_SAFE;
	checker_init(&c, p);
	char *norm = host_path_normalize(source);
	char *real = host_path_resolve(norm);
	if (block_of(&c, norm, out) == BIND_SAFE)
		block_of(&c, real, out);
	free(norm);
	free(real);
	checker_free(&c);
	return out->what;
}

int binds_validate(const char *const *binds, size_t n, const struct bind_policy *p)
{
	return binds_validate_place(NULL, 0, binds, n, p);
}

int network_validate(const char *network, bool allow_join)
{
	if (network == NULL)
		return 0;
	char *t = str_trim_dup(network);
	bool host = strcasecmp(t, "host") == 0;
	bool join = strncasecmp(t, "container:", 10) == 0;
	free(t);
	if (host)
		return claw_fail(
		    "Sandbox security: network mode \"%s\" is blocked. Network \"host\" "
		    "mode bypasses container network isolation. Use \"bridge\" or "
		    "\"none\" instead.",
		    network);
	if (join && !allow_join)
		return claw_fail(
		    "Sandbox security: network mode \"%s\" is blocked by default. "
		    "Network \"container:*\" joins another container namespace and "
		    "bypasses sandbox network isolation. Use a custom bridge network, or "
		    "set dangerouslyAllowContainerNamespaceJoin=true only when you fully "
		    "trust this runtime.",
		    network);
	return 0;
}

int profile_validate(const char *kind, const char *profile)
{
	if (profile == NULL)
		return 0;
	char *t = str_trim_dup(profile);
	bool unconfined = strcasecmp(t, "unconfined") == 0;
	free(t);
	if (!unconfined)
		return 0;
	if (strcmp(kind, "seccomp") == 0)
		return claw_fail(
		    "Sandbox security: seccomp profile \"%s\" is blocked. Disabling "
		    "seccomp removes syscall filtering and weakens sandbox isolation. Use "
		    "a custom seccomp profile file or omit this setting.",
		    profile);
	return claw_fail("Sandbox security: apparmor profile \"%s\" is blocked. Disabling AppArmor "
	                 "removes mandatory access controls and weakens sandbox isolation. Use a "
	                 "named AppArmor profile or omit this setting.",
	                 profile);
}
