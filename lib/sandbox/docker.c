/*
 * docker.c: the Docker/Podman backend. The containers are OpenClaw's, argument
 * for argument (reference, "Docker invocations"), so a container OpenClaw made
 * is one claw can use and the other way round: the same name, labels, mounts
 * and config hash. The docker binary is the only program it starts on the
 * host, always with an argv, never through a shell; what runs inside goes to
 * docker exec as one argument after "-lc".
 */
#include "sandbox/docker.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/execpath.h"
#include "core/fsutil.h"
#include "core/shell.h"
#include "core/strvec.h"
#include "core/util.h"

extern char **environ;

/* Seconds a docker call other than the command may take: an engine that does not answer
 * within this is an error, not a wait without end. */
#define DOCKER_CALL_SECONDS 120

/* OpenClaw's labels, in its order; the values are filled in per container. */
enum { LABEL_SANDBOX, LABEL_SESSION_KEY, LABEL_CREATED, LABEL_MOUNT_FORMAT, LABEL_HASH };
static const char *const labels[] = {
	[LABEL_SANDBOX] = "openclaw.sandbox",                 /* "1": a sandbox, for list/prune */
	[LABEL_SESSION_KEY] = "openclaw.sessionKey",          /* the scope key it serves */
	[LABEL_CREATED] = "openclaw.createdAtMs",             /* for prune's maxAgeDays */
	[LABEL_MOUNT_FORMAT] = "openclaw.mountFormatVersion", /* the -v suffixes used */
	[LABEL_HASH] = "openclaw.configHash",                 /* the recreate rule's input */
};

/*
 * What docker or podman print when the thing asked about does not exist, as
 * against any other failure (the engine is down, a permission is missing):
 * only these make a failed inspect mean "absent". Compared without case.
 */
static const char *const missing_phrases[] = {
	"no such container", /* docker inspect --type container; podman 4 */
	"no such object",    /* docker inspect without --type */
	"no such image",     /* docker image inspect */
	"image not known",   /* podman image inspect */
};

/* Failures that mention "no such" but are the engine's socket, not the object. */
static const char *const engine_phrases[] = {
	"cannot connect",       /* docker: "Cannot connect to the Docker daemon"; podman */
	"failed to connect",    /* docker 27: "failed to connect to the docker API" */
	"error during connect", /* docker on a remote or Windows engine */
	"unable to connect",    /* podman remote */
	"permission denied",    /* the socket is not the caller's */
};

/*
 * The kill for a timed-out exec, run with "docker exec NAME /bin/sh -c".
 * Killing the docker client does not stop what it started in the container
 * (the engine keeps the exec running), so the command's processes must be
 * found inside. They carry DOCKER_EXEC_MARK=<id> in their environment, which
 * children inherit and which a process re-parented to the container's init
 * keeps; the script kills every process whose environment has it, and looks
 * again until none is left, so a fork in flight is caught too. Plain sh: it
 * needs nothing from the image but /bin/sh. A process that both detaches and
 * clears its environment escapes it: it lives on until the container stops
 * (claw-sandbox rm and prune stop it). The alternative, killing the whole
 * container, would also kill the scope's other commands and background jobs.
 */
static const char kill_script[] = "m=\"" DOCKER_EXEC_MARK "=$1\"\n"
                                  "i=0\n"
                                  "while [ \"$i\" -lt 50 ]; do\n"
                                  "\tfound=\n"
                                  "\tfor f in /proc/[0-9]*/environ; do\n"
                                  "\t\twhile IFS= read -r line || [ -n \"$line\" ]; do\n"
                                  "\t\t\tcase $line in *\"$m\"*)\n"
                                  "\t\t\t\tp=${f#/proc/}\n"
                                  "\t\t\t\tkill -9 \"${p%/environ}\" 2>/dev/null && found=1\n"
                                  "\t\t\t\tbreak ;;\n"
                                  "\t\t\tesac\n"
                                  "\t\tdone 2>/dev/null <\"$f\"\n"
                                  "\tdone\n"
                                  "\t[ -n \"$found\" ] || exit 0\n"
                                  "\ti=$((i + 1))\n"
                                  "done\n"
                                  "exit 1\n";

/* ---- JSON as JavaScript writes it: the config hash must be OpenClaw's ---- */

/* Number.prototype.toString for the values a config holds: integers plainly, others shortest. */
static void js_number(struct buf *b, double v)
{
	char text[40];

	if (!isfinite(v)) { /* JSON5 allows Infinity and NaN; JSON.stringify writes null */
		buf_puts(b, "null");
		return;
	}
	if (fabs(v) < 1e18 && v == (double)(long long)v) { /* integers: no exponent, no "-0" */
		buf_printf(b, "%lld", (long long)v);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(text, sizeof(text), "%.*g", prec, v);
		if (strtod(text, NULL) == v)
			break;
	}
	/* C writes "1e-07"; JavaScript "1e-7". */
	char *e = strchr(text, 'e');
	if (e == NULL) {
		buf_puts(b, text);
		return;
	}
	buf_put(b, text, (size_t)(e - text));
	buf_puts(b, e[1] == '-' ? "e-" : "e+");
	const char *digits = e + 2;
	while (*digits == '0' && digits[1] != '\0')
		digits++;
	buf_puts(b, digits);
}

/* JSON.stringify's string escapes: only '"', '\\' and control characters. */
static void js_string(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const char *esc = *p == '"'    ? "\\\""
		                  : *p == '\\' ? "\\\\"
		                  : *p == '\b' ? "\\b"
		                  : *p == '\f' ? "\\f"
		                  : *p == '\n' ? "\\n"
		                  : *p == '\r' ? "\\r"
		                  : *p == '\t' ? "\\t"
		                               : NULL;
		if (esc)
			buf_puts(b, esc);
		else if (*p < 0x20)
			buf_printf(b, "\\u%04x", *p);
		else
			buf_putc(b, (char)*p);
	}
	buf_putc(b, '"');
}

struct member {
	const cJSON *item;
};

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->item->string,
	              ((const struct member *)b)->item->string);
}

/* V as JSON with every object's keys sorted (OpenClaw's normalisation before hashing). */
static void js_sorted(struct buf *b, const cJSON *v)
{
	const cJSON *item;
	size_t n = 0, i = 0;

	if (cJSON_IsObject(v)) {
		cJSON_ArrayForEach(item, v) n++;
		struct member *keys = xcalloc(n + 1, sizeof(*keys));
		cJSON_ArrayForEach(item, v) keys[i++].item = item;
		qsort(keys, n, sizeof(*keys), by_key);
		buf_putc(b, '{');
		for (i = 0; i < n; i++) {
			if (i)
				buf_putc(b, ',');
			js_string(b, keys[i].item->string);
			buf_putc(b, ':');
			js_sorted(b, keys[i].item);
		}
		buf_putc(b, '}');
		free(keys);
	} else if (cJSON_IsArray(v)) {
		buf_putc(b, '[');
		cJSON_ArrayForEach(item, v)
		{
			if (item != v->child)
				buf_putc(b, ',');
			js_sorted(b, item);
		}
		buf_putc(b, ']');
	} else if (cJSON_IsString(v)) {
		js_string(b, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		js_number(b, v->valuedouble);
	} else {
		buf_puts(b, cJSON_IsTrue(v) ? "true" : cJSON_IsFalse(v) ? "false" : "null");
	}
}

void docker_config_hash(const struct sandbox_settings *s, const struct sandbox_place *p,
                        char out[SHA256_HEX])
{
	cJSON *in = cJSON_CreateObject();
	struct buf b = { 0 };

	cJSON_AddStringToObject(in, "agentWorkspaceDir", s->agent_workspace);
	cJSON_AddItemReferenceToObject(in, "docker", s->docker);
	cJSON_AddNumberToObject(in, "mountFormatVersion", DOCKER_MOUNT_FORMAT);
	cJSON_AddStringToObject(in, "workspaceAccess", s->access);
	cJSON_AddStringToObject(in, "workspaceDir", p->workspace_dir);
	js_sorted(&b, in);
	sha256_hex(b.p, b.len, out);
	buf_free(&b);
	cJSON_Delete(in);
}

/* ---- docker create, as OpenClaw builds it ---- */

static const cJSON *dk(const struct sandbox_settings *s, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(s->docker, key);
}

/* A value as OpenClaw passes it: a number as JavaScript prints it, a string trimmed; "" none. */
static char *value_text(const cJSON *v, bool positive_number_only)
{
	struct buf b = { 0 };

	if (cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
	    (!positive_number_only || v->valuedouble > 0)) {
		js_number(&b, v->valuedouble);
	} else if (cJSON_IsString(v) && !positive_number_only) {
		char *t = str_trim_dup(v->valuestring);
		buf_puts(&b, t);
		free(t);
	}
	return buf_steal(&b);
}

/* FLAG VALUE, when the value is not empty. */
static void flag_value(struct strvec *a, const char *flag, const cJSON *v, bool positive_only)
{
	char *t = value_text(v, positive_only);

	if (t[0] != '\0') {
		strvec_push(a, flag);
		strvec_push(a, t);
	}
	free(t);
}

/* OpenClaw's formatUlimitValue: NAME=N, NAME=<string>, or NAME=SOFT:HARD from {soft, hard}. */
static void ulimit_args(struct strvec *a, const cJSON *ulimits)
{
	const cJSON *u;

	cJSON_ArrayForEach(u, ulimits)
	{
		struct buf b = { 0 };
		buf_printf(&b, "%s=", u->string);
		size_t empty = b.len;
		if (cJSON_IsObject(u)) {
			const cJSON *soft = cJSON_GetObjectItemCaseSensitive(u, "soft");
			const cJSON *hard = cJSON_GetObjectItemCaseSensitive(u, "hard");
			if (cJSON_IsNumber(soft))
				js_number(&b, soft->valuedouble < 0 ? 0 : soft->valuedouble);
			if (cJSON_IsNumber(soft) && cJSON_IsNumber(hard))
				buf_putc(&b, ':');
			if (cJSON_IsNumber(hard))
				js_number(&b, hard->valuedouble < 0 ? 0 : hard->valuedouble);
		} else {
			char *t = value_text(u, false);
			buf_puts(&b, t);
			free(t);
		}
		if (b.len > empty) {
			strvec_push(a, "--ulimit");
			strvec_push(a, b.p);
		}
		buf_free(&b);
	}
}

/* FLAG PREFIX+ENTRY for each entry that is not blank (dns, extraHosts, capDrop, tmpfs). */
static void list_args(struct strvec *a, const char *flag, char *const *v, size_t n,
                      const char *prefix)
{
	for (size_t i = 0; i < n; i++) {
		char *t = str_trim_dup(v[i]);
		if (t[0] != '\0') {
			strvec_push(a, flag);
			strvec_pushf(a, "%s%s", prefix, v[i]);
		}
		free(t);
	}
}

/* --user: docker.user as written; unset, the workspace dir's owner (OpenClaw), never uid 0. */
char *docker_user(const struct sandbox_settings *s, const struct sandbox_place *p)
{
	struct stat st;
	uid_t uid;
	gid_t gid;

	if (s->user != NULL)
		return xstrdup(s->user);
	if (stat(p->workspace_dir, &st) == 0) {
		uid = st.st_uid;
		gid = st.st_gid;
	} else {
		sandbox_owner(s, &uid, &gid); /* what sandbox_prepare will give it */
	}
	if (uid == 0) { /* root's workspace: nobody, as the native backend does */
		uid = 65534;
		gid = 65534;
	}
	return xasprintf("%u:%u", (unsigned)uid, (unsigned)gid);
}

/* The whole docker create command line, OpenClaw's order. */
static void create_args(const struct sandbox_settings *s, const struct sandbox_place *p,
                        long long created_ms, const char *hash, struct strvec *a)
{
	strvec_push(a, s->binary);
	strvec_push(a, "create");
	strvec_push(a, "--name");
	strvec_push(a, p->name);
	strvec_push(a, "--label");
	strvec_pushf(a, "%s=1", labels[LABEL_SANDBOX]);
	strvec_push(a, "--label");
	strvec_pushf(a, "%s=%s", labels[LABEL_SESSION_KEY], p->scope_key);
	strvec_push(a, "--label");
	strvec_pushf(a, "%s=%lld", labels[LABEL_CREATED], created_ms);
	strvec_push(a, "--label");
	strvec_pushf(a, "%s=%d", labels[LABEL_MOUNT_FORMAT], DOCKER_MOUNT_FORMAT);
	strvec_push(a, "--label");
	strvec_pushf(a, "%s=%s", labels[LABEL_HASH], hash);
	if (s->read_only_root)
		strvec_push(a, "--read-only");
	list_args(a, "--tmpfs", s->tmpfs_spec.v, s->tmpfs_spec.n, "");
	strvec_push(a, "--network");
	strvec_push(a, s->network);
	char *user = docker_user(s, p);
	strvec_push(a, "--user");
	strvec_push(a, user);
	free(user);
	list_args(a, "--env", s->env.vars.v, s->env.vars.n, "");
	list_args(a, "--cap-drop", s->cap_drop.v, s->cap_drop.n, "");
	strvec_push(a, "--security-opt");
	strvec_push(a, "no-new-privileges");
	if (s->seccomp_profile) {
		strvec_push(a, "--security-opt");
		strvec_pushf(a, "seccomp=%s", s->seccomp_profile);
	}
	if (s->apparmor_profile) {
		strvec_push(a, "--security-opt");
		strvec_pushf(a, "apparmor=%s", s->apparmor_profile);
	}
	list_args(a, "--dns", s->dns.v, s->dns.n, "");
	list_args(a, "--add-host", s->extra_hosts.v, s->extra_hosts.n, "");
	flag_value(a, "--pids-limit", dk(s, "pidsLimit"), true);
	flag_value(a, "--memory", dk(s, "memory"), false);
	flag_value(a, "--memory-swap", dk(s, "memorySwap"), false);
	flag_value(a, "--cpus", dk(s, "cpus"), true);
	ulimit_args(a, dk(s, "ulimits"));
	strvec_push(a, "--workdir");
	strvec_push(a, s->workdir);
	/* The workspace (":z" relabels it for SELinux, mount format 2), then /agent, then binds. */
	strvec_push(a, "-v");
	strvec_pushf(a, "%s:%s:%s", p->workspace_dir, s->workdir, p->workspace_rw ? "z" : "ro,z");
	if (p->agent_dir && strcmp(p->agent_dir, p->workspace_dir) != 0) {
		strvec_push(a, "-v");
		strvec_pushf(a, "%s:/agent:ro,z", p->agent_dir);
	}
	for (size_t i = 0; i < s->binds.n; i++) {
		strvec_push(a, "-v");
		strvec_push(a, s->binds.v[i]);
	}
	strvec_push(a, s->image);
	strvec_push(a, "sleep");
	strvec_push(a, "infinity");
}

void docker_create_json(const struct sandbox_settings *s, const struct sandbox_place *p,
                        long long created_ms, struct buf *out)
{
	struct strvec a = { 0 };
	char hash[SHA256_HEX];

	docker_config_hash(s, p, hash);
	create_args(s, p, created_ms, hash, &a);
	run_argv_json(out, a.v);
	strvec_clear(&a);
}

/* ---- names that reach docker as positional arguments ---- */

/* Docker's own rule for container names; it also keeps a name from reading as an option. */
static bool valid_name(const char *name)
{
	if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
	      (name[0] >= '0' && name[0] <= '9')))
		return false;
	return name[strspn(name,
	                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")] ==
	       '\0';
}

/* An image reference: registry, path, tag and digest characters only, never an option. */
static bool valid_image(const char *image)
{
	return image[0] != '\0' && image[0] != '-' &&
	       image[strspn(image, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	                           "_.-/:@")] == '\0';
}

static int check_names(const struct sandbox_settings *s, const struct sandbox_place *p)
{
	if (!valid_name(p->name))
		return claw_fail("docker.containerPrefix \"%s\" gives the container name \"%s\", "
		                 "which Docker does not allow: letters, digits, \"_\", \".\" and "
		                 "\"-\", beginning with a letter or digit",
		                 s->prefix, p->name);
	if (!valid_image(s->image))
		return claw_fail("docker.image \"%s\" is not an image name", s->image);
	return 0;
}

/* ---- calling docker ---- */

static char *first_line(const char *s)
{
	char *t = str_trim_dup(s ? s : "");
	t[strcspn(t, "\n")] = '\0';
	return t;
}

static bool has_phrase(const char *text, const char *const *phrases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (text && strcasestr(text, phrases[i]) != NULL)
			return true;
	return false;
}

/* A failed inspect that means "there is no such thing", not "the engine failed". */
static bool says_missing(const struct run_result *r)
{
	return !has_phrase(r->err, engine_phrases, NELEM(engine_phrases)) &&
	       has_phrase(r->err, missing_phrases, NELEM(missing_phrases));
}

/* What went wrong with a docker call, in words a person can act on. */
static int call_error(const char *what, const struct run_result *r)
{
	char *line = first_line(r->err);
	int rc;

	if (has_phrase(r->err, engine_phrases, NELEM(engine_phrases)))
		rc = claw_fail("cannot reach the container engine (%s): %s", what, line);
	else
		rc = claw_fail("%s failed (exit %d): %s", what, r->exit,
		               line[0] ? line : "no message");
	free(line);
	return rc;
}

/* Runs one docker call to its end, output captured. 0 (look at r->exit) or -1. */
static int call(char *const *argv, double timeout, struct run_result *r)
{
	struct run_spec rs = { .argv = argv, .envp = environ, .timeout = timeout, .capture = true };

	if (run_command(&rs, r) < 0)
		return -1;
	if (r->timed_out)
		return claw_fail("%s %s did not answer within %g seconds", argv[0], argv[1],
		                 timeout);
	if (r->signal)
		return claw_fail("%s %s was killed by %s", argv[0], argv[1],
		                 run_signal_name(r->signal));
	return 0;
}

/* The binary on PATH, or a message that says what to do. */
static int find_binary(const char *binary)
{
	struct exec_file f;
	char *cwd = getcwd(NULL, 0);

	int rc = exec_resolve(binary, cwd ? cwd : "/", getenv("PATH"), &f);
	free(cwd);
	if (rc == 0 && f.found)
		return 0;
	return claw_fail("the container engine's program \"%s\" is not on PATH: install Docker or "
	                 "Podman, or name it in agents.defaults.sandbox.docker.binary",
	                 binary);
}

/* ---- docker inspect ---- */

static char *label(const cJSON *labels_obj, int which)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(labels_obj, labels[which]);
	return cJSON_IsString(v) && v->valuestring[0] ? xstrdup(v->valuestring) : NULL;
}

static int parse_one(const cJSON *o, struct docker_container *c)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "Name");
	const cJSON *state = cJSON_GetObjectItemCaseSensitive(o, "State");
	const cJSON *config = cJSON_GetObjectItemCaseSensitive(o, "Config");
	const cJSON *image = cJSON_GetObjectItemCaseSensitive(config, "Image");
	const cJSON *lbl = cJSON_GetObjectItemCaseSensitive(config, "Labels");

	if (!cJSON_IsObject(o) || !cJSON_IsString(name))
		return claw_fail("docker inspect: an entry without a name");
	const char *bare = name->valuestring + (name->valuestring[0] == '/');
	/* The name goes back to docker as an argument (rm -f NAME): never one it would not make. */
	if (!valid_name(bare))
		return claw_fail("docker inspect: a container named \"%s\", which Docker would not "
		                 "allow",
		                 name->valuestring);
	c->name = xstrdup(bare);
	c->image = xstrdup(cJSON_IsString(image) ? image->valuestring : "");
	c->running = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(state, "Running"));
	if (!cJSON_IsObject(lbl))
		lbl = NULL;
	char *sb = label(lbl, LABEL_SANDBOX), *created = label(lbl, LABEL_CREATED);
	c->sandbox = sb && strcmp(sb, "1") == 0;
	c->scope_key = label(lbl, LABEL_SESSION_KEY);
	c->config_hash = label(lbl, LABEL_HASH);
	c->created_ms = created ? strtoll(created, NULL, 10) : 0;
	if (c->created_ms < 0)
		c->created_ms = 0;
	free(sb);
	free(created);
	return 0;
}

int docker_inspect_parse(const char *json, size_t len, struct docker_container **out, size_t *n)
{
	const cJSON *item;
	int rc = 0;

	*out = NULL;
	*n = 0;
	/* cJSON would end a string at a NUL and read on: "1\0..." must not pass for "1". */
	if (memchr(json, '\0', len) != NULL)
		return claw_fail("docker inspect printed a NUL byte");
	cJSON *root = cJSON_ParseWithLength(json, len);
	if (!cJSON_IsArray(root)) {
		cJSON_Delete(root);
		return claw_fail("docker inspect did not print a JSON array");
	}
	size_t count = (size_t)cJSON_GetArraySize(root);
	*out = xcalloc(count + 1, sizeof(**out));
	cJSON_ArrayForEach(item, root)
	{
		if (parse_one(item, &(*out)[*n]) < 0) {
			rc = -1;
			break;
		}
		(*n)++;
	}
	cJSON_Delete(root);
	if (rc < 0) {
		docker_containers_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void docker_container_clear(struct docker_container *c)
{
	free(c->name);
	free(c->image);
	free(c->scope_key);
	free(c->config_hash);
	memset(c, 0, sizeof(*c));
}

void docker_containers_free(struct docker_container *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		docker_container_clear(&c[i]);
	free(c);
}

int docker_lookup(const char *binary, const char *name, struct docker_container *c)
{
	char *argv[] = { (char *)binary, "inspect", "--type", "container", (char *)name, NULL };
	struct run_result r;
	struct docker_container *all;
	size_t n;
	int rc;

	memset(c, 0, sizeof(*c));
	if (!valid_name(name))
		return claw_fail("\"%s\" is not a container name", name);
	if (find_binary(binary) < 0)
		return -1;
	if (call(argv, DOCKER_CALL_SECONDS, &r) < 0) {
		run_result_free(&r);
		return -1;
	}
	if (r.exit != 0) {
		rc = says_missing(&r) ? 0 : call_error("docker inspect", &r);
	} else if (docker_inspect_parse(r.out, strlen(r.out), &all, &n) < 0) {
		rc = -1;
	} else if (n != 1 || strcmp(all[0].name, name) != 0) {
		docker_containers_free(all, n);
		rc = claw_fail("docker inspect %s answered about another container", name);
	} else {
		*c = all[0];
		free(all);
		rc = 1;
	}
	run_result_free(&r);
	return rc;
}

int docker_list(const char *binary, struct docker_container **out, size_t *n)
{
	char *ps[] = { (char *)binary, "ps",         "-a", "--filter", "label=openclaw.sandbox=1",
		       "--format",     "{{.Names}}", NULL };
	struct strvec a = { 0 };
	struct run_result r;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (find_binary(binary) < 0 || call(ps, DOCKER_CALL_SECONDS, &r) < 0)
		goto done;
	if (r.exit != 0) {
		call_error("docker ps", &r);
		goto done;
	}
	strvec_push(&a, binary);
	strvec_push(&a, "inspect");
	strvec_push(&a, "--type");
	strvec_push(&a, "container");
	for (char *save = NULL, *t = strtok_r(r.out, "\n", &save); t;
	     t = strtok_r(NULL, "\n", &save))
		if (valid_name(t))
			strvec_push(&a, t);
	run_result_free(&r);
	if (a.n == 4) {
		rc = 0;
		goto done;
	}
	if (call(a.v, DOCKER_CALL_SECONDS, &r) < 0)
		goto done;
	if (r.exit != 0)
		call_error("docker inspect", &r);
	else
		rc = docker_inspect_parse(r.out, strlen(r.out), out, n);
done:
	run_result_free(&r);
	strvec_clear(&a);
	return rc;
}

int docker_remove(const char *binary, const char *name)
{
	char *argv[] = { (char *)binary, "rm", "-f", (char *)name, NULL };
	struct run_result r;
	int rc = 0;

	if (!valid_name(name))
		return claw_fail("\"%s\" is not a container name", name);
	if (call(argv, DOCKER_CALL_SECONDS, &r) < 0)
		rc = -1;
	else if (r.exit != 0 && !says_missing(&r))
		rc = call_error("docker rm", &r);
	run_result_free(&r);
	return rc;
}

char *docker_recreate_hint(const struct sandbox_settings *s, const struct sandbox_place *p)
{
	struct buf b = { 0 };

	buf_puts(&b, "claw-sandbox rm --container ");
	if (strcmp(s->scope, "shared") == 0) {
		buf_puts(&b, "--all");
	} else if (strcmp(s->scope, "agent") == 0) {
		buf_puts(&b, "--agent ");
		shell_quote(&b, s->agent);
	} else {
		/* The scope key is the session key bound to the workspace: rm takes the session. */
		const char *tag = strstr(p->scope_key, ":workspace:");
		char *key = tag ? xstrndup(p->scope_key, (size_t)(tag - p->scope_key))
		                : xstrdup(p->scope_key);
		buf_puts(&b, "--session ");
		shell_quote(&b, key);
		free(key);
	}
	return buf_steal(&b);
}

/* ---- one run: the container made current, then the command ---- */

struct engine {
	const struct docker_run *d;
	bool offline; /* a dry run that cannot ask the engine: it assumes no container */
	int ws_lock;  /* the workspace's shared lock, held while the command runs (rm, prune) */
};

static void note(const struct engine *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void note(const struct engine *e, const char *fmt, ...)
{
	va_list ap;

	if (e->d->notes == NULL)
		return;
	va_start(ap, fmt);
	buf_vprintf(e->d->notes, fmt, ap);
	va_end(ap);
	buf_putc(e->d->notes, '\n');
}

/* A call that changes something: run it, or in a dry run print it. 0 or -1 (claw_error). */
static int act(const struct engine *e, char *const *argv, const char *what)
{
	struct run_result r;
	int rc = 0;

	if (e->d->dry_run) {
		run_argv_json(e->d->dry_run, argv);
		return 0;
	}
	if (call(argv, DOCKER_CALL_SECONDS, &r) < 0)
		rc = -1;
	else if (r.exit != 0)
		rc = call_error(what, &r);
	run_result_free(&r);
	return rc;
}

static int remove_container(const struct engine *e)
{
	char *argv[] = { (char *)e->d->s->binary, "rm", "-f", e->d->p->name, NULL };
	return act(e, argv, "docker rm");
}

/* OpenClaw's image check: present, or "Sandbox image not found". claw never pulls on its own. */
static int check_image(const struct engine *e)
{
	const struct sandbox_settings *s = e->d->s;
	char *argv[] = { (char *)s->binary, "image", "inspect", (char *)s->image, NULL };
	struct run_result r;
	int rc = 0;

	if (e->offline)
		return 0;
	if (call(argv, DOCKER_CALL_SECONDS, &r) < 0)
		rc = -1;
	else if (r.exit != 0 && says_missing(&r))
		rc = claw_fail("Sandbox image not found: %s. Build or pull it first.", s->image);
	else if (r.exit != 0)
		rc = call_error("docker image inspect", &r);
	run_result_free(&r);
	return rc;
}

/*
 * setupCommand, once after create. A failure removes the container: OpenClaw
 * keeps it, and the next run would use a container that was never set up.
 */
static int setup(const struct engine *e)
{
	const struct sandbox_settings *s = e->d->s;
	char *argv[] = { (char *)s->binary,        "exec", "-i", e->d->p->name, "/bin/sh", "-lc",
		         (char *)s->setup_command, NULL };
	struct run_result r;
	int rc = 0;

	if (e->d->dry_run) {
		run_argv_json(e->d->dry_run, argv);
		return 0;
	}
	double limit = e->d->timeout > 0 ? e->d->timeout : DOCKER_CALL_SECONDS;
	if (call(argv, limit, &r) < 0 || r.exit != 0) {
		char *line = first_line(r.err);
		char status[32] = "did not finish";
		if (r.exit != 0)
			snprintf(status, sizeof(status), "exit %d", r.exit);
		char *msg = xasprintf("docker.setupCommand failed in %s (%s): %s; the container is "
		                      "removed, so the next run sets it up again",
		                      e->d->p->name, status, line[0] ? line : claw_error());
		remove_container(e);
		rc = claw_fail("%s", msg);
		free(msg);
		free(line);
	}
	run_result_free(&r);
	return rc;
}

static int create(const struct engine *e, const char *hash)
{
	const struct sandbox_settings *s = e->d->s;
	char *start[] = { (char *)s->binary, "start", e->d->p->name, NULL };
	struct strvec a = { 0 };
	int rc;

	if (check_image(e) < 0)
		return -1;
	create_args(s, e->d->p, clock_wall_ms(), hash, &a);
	rc = act(e, a.v, "docker create");
	strvec_clear(&a);
	if (rc == 0 && act(e, start, "docker start") < 0)
		rc = -1;
	if (rc == 0 && s->setup_command && s->setup_command[0] != '\0')
		rc = setup(e);
	return rc;
}

/*
 * An existing container: it must be a sandbox of this very scope (a name is
 * only a name: another program's container, or one whose name was cut to 63
 * characters, is never entered). Then OpenClaw's recreate rule: a config hash
 * that differs means recreate, unless the container runs and was used within
 * the hot window (a missing use time counts as recent, as in OpenClaw): then
 * it is kept, and the caller is told how to recreate it.
 */
static int reuse(const struct engine *e, const struct docker_container *c, const char *hash,
                 long long last_used, bool *keep)
{
	const struct sandbox_place *p = e->d->p;

	*keep = true;
	if (!c->sandbox)
		return claw_fail("container %s exists but is not an OpenClaw sandbox (it has no "
		                 "label openclaw.sandbox=1): remove or rename it",
		                 p->name);
	if (c->scope_key == NULL || strcmp(c->scope_key, p->scope_key) != 0)
		return claw_fail("container %s serves the scope \"%s\", not \"%s\": remove it "
		                 "(docker rm -f %s) or change docker.containerPrefix",
		                 p->name, c->scope_key ? c->scope_key : "(none)", p->scope_key,
		                 p->name);
	if (c->config_hash && strcmp(c->config_hash, hash) == 0)
		return 0;
	bool hot = c->running && (last_used < 0 || clock_wall_ms() - last_used < DOCKER_HOT_MS);
	if (hot) {
		char *hint = docker_recreate_hint(e->d->s, p);
		note(e, "Sandbox config changed for %s (recently used). Recreate to apply: %s",
		     p->name, hint);
		free(hint);
		return 0;
	}
	*keep = false;
	return remove_container(e);
}

/* When the scope was last used, from its metadata file's time; -1 when unknown. */
static long long last_use(const struct sandbox_settings *s, const struct sandbox_place *p)
{
	char *meta = sandbox_meta_path(s, p->slug);
	struct stat st;
	long long ms = -1;

	if (lstat(meta, &st) == 0 && S_ISREG(st.st_mode))
		ms = (long long)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
	free(meta);
	return ms;
}

/* Looks the container up; a dry run that cannot ask goes on as if there were none. */
static int lookup(struct engine *e, struct docker_container *c)
{
	int found = e->offline ? 0 : docker_lookup(e->d->s->binary, e->d->p->name, c);

	if (found < 0 && e->d->dry_run) {
		note(e, "dry run: %s; assuming no container and the image present", claw_error());
		e->offline = true;
		found = 0;
	}
	return found;
}

static int ensure_locked(struct engine *e)
{
	const struct sandbox_settings *s = e->d->s;
	const struct sandbox_place *p = e->d->p;
	char *start[] = { (char *)s->binary, "start", p->name, NULL };
	char hash[SHA256_HEX];
	struct docker_container c = { 0 };
	uid_t uid;
	gid_t gid;
	bool keep = false;
	int rc = 0;

	docker_config_hash(s, p, hash);
	long long used = last_use(s, p); /* before sandbox_prepare marks this use */
	sandbox_owner(s, &uid, &gid);
	/* The workspace exists before the container: Docker would make a missing one as root. */
	if (!e->d->dry_run && sandbox_prepare(s, p, uid, gid, &e->ws_lock) < 0)
		return -1;
	int found = lookup(e, &c);
	if (found < 0)
		rc = -1;
	else if (found > 0)
		rc = reuse(e, &c, hash, used, &keep);
	if (rc == 0 && !keep)
		rc = create(e, hash);
	else if (rc == 0 && !c.running)
		rc = act(e, start, "docker start");
	docker_container_clear(&c);
	return rc;
}

/* The container made current under the scope's lock, so two runs never create it twice. */
static int ensure(struct engine *e)
{
	const struct sandbox_settings *s = e->d->s;
	int lock = -1, rc;

	if (!e->d->dry_run) {
		char *meta = sandbox_meta_path(s, e->d->p->slug);
		if (mkdir_p(s->workspace_root, 0700) == 0)
			lock = lock_file(meta, true);
		free(meta);
		if (lock < 0)
			return -1;
	}
	rc = ensure_locked(e);
	if (lock >= 0)
		unlock_file(lock);
	return rc;
}

/* After a timeout or an interrupt: the command's processes inside, found by their mark. */
static void kill_inside(const struct engine *e, const char *id)
{
	char *argv[] = { (char *)e->d->s->binary,
		         "exec",
		         e->d->p->name,
		         "/bin/sh",
		         "-c",
		         (char *)kill_script,
		         "claw-sandbox-kill",
		         (char *)id,
		         NULL };
	struct run_result r;

	if (call(argv, 30, &r) < 0 || r.exit != 0) {
		char *line = first_line(r.err);
		note(e, "could not stop the command inside %s: %s", e->d->p->name,
		     line[0] ? line : claw_error());
		free(line);
	}
	run_result_free(&r);
}

/* docker exec -i [-t] -w WORKDIR [-e NAME=value]... NAME COMMAND... */
static int exec_command(const struct engine *e, struct run_result *r)
{
	const struct docker_run *d = e->d;
	struct strvec a = { 0 };
	char id[37];
	int rc = 0;

	uuid4(id);
	strvec_push(&a, d->s->binary);
	strvec_push(&a, "exec");
	strvec_push(&a, "-i");
	if (d->tty)
		strvec_push(&a, "-t");
	strvec_push(&a, "-w");
	strvec_push(&a, d->workdir);
	for (char *const *v = d->envp; v && *v; v++) {
		/* Always NAME=value: a bare "-e NAME" would copy the variable from claw's own
		 * environment into the container. The mark is ours alone. */
		if (strchr(*v, '=') == NULL || str_has_prefix(*v, DOCKER_EXEC_MARK "="))
			continue;
		strvec_push(&a, "-e");
		strvec_push(&a, *v);
	}
	strvec_push(&a, "-e");
	strvec_pushf(&a, "%s=%s", DOCKER_EXEC_MARK, id);
	strvec_push(&a, d->p->name);
	for (char *const *v = d->argv; *v; v++)
		strvec_push(&a, *v);
	if (d->dry_run) {
		run_argv_json(d->dry_run, a.v);
	} else {
		struct run_spec rs = { .argv = a.v,
			               .envp = environ,
			               .timeout = d->timeout,
			               .capture = d->capture,
			               .pass_through = d->pass_through };
		rc = run_command(&rs, r);
		if (rc < 0)
			r->failed = 125;
		else if (r->timed_out || r->interrupted)
			kill_inside(e, id);
	}
	strvec_clear(&a);
	return rc;
}

int docker_run(const struct docker_run *d, struct run_result *r)
{
	struct engine e = { .d = d, .ws_lock = -1 };

	memset(r, 0, sizeof(*r));
	if (check_names(d->s, d->p) < 0) {
		r->failed = 126;
		return -1;
	}
	if (find_binary(d->s->binary) < 0) {
		if (d->dry_run == NULL) {
			r->failed = 125;
			return -1;
		}
		note(&e, "dry run: %s; assuming no container and the image present", claw_error());
		e.offline = true;
	}
	int rc = -1;
	if (ensure(&e) < 0)
		r->failed = 125;
	else
		rc = exec_command(&e, r);
	if (e.ws_lock >= 0)
		close(e.ws_lock);
	return rc;
}
