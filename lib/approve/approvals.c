/* approvals.c: exec-approvals.json, read strictly and written whole (see approvals.h). */
#include "approve/approvals.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approve/allowmatch.h"
#include "core/fsutil.h"
#include "core/json5.h"
#include "core/alloc.h"
#include "core/util.h"

#define APPROVALS_MAX_BYTES (16UL * 1024 * 1024)

/* ---- enumerations ---- */

static const char *const security_names[] = { "deny", "allowlist", "full" };
static const char *const ask_names[] = { "off", "on-miss", "always" };

const char *security_name(enum exec_security s)
{
	return security_names[s];
}

const char *ask_name(enum exec_ask a)
{
	return ask_names[a];
}

bool security_parse(const char *s, enum exec_security *out)
{
	for (size_t i = 0; s != NULL && i < NELEM(security_names); i++)
		if (strcmp(s, security_names[i]) == 0)
			return *out = (enum exec_security)i, true;
	return false;
}

bool ask_parse(const char *s, enum exec_ask *out)
{
	for (size_t i = 0; s != NULL && i < NELEM(ask_names); i++)
		if (strcmp(s, ask_names[i]) == 0)
			return *out = (enum exec_ask)i, true;
	return false;
}

/* ---- reading ---- */

static int read_fd(int fd, const char *path, struct buf *b)
{
	for (;;) {
		buf_reserve(b, 65536);
		ssize_t n = read(fd, b->p + b->len, b->cap - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return claw_fail("%s: %s", path, strerror(errno));
		if (n == 0)
			return 0;
		b->len += (size_t)n;
		b->p[b->len] = '\0';
		if (b->len > APPROVALS_MAX_BYTES)
			return claw_fail("%s: larger than %lu bytes", path, APPROVALS_MAX_BYTES);
	}
}

/* Line and column of byte AT, for messages people can act on. */
static void position(const char *text, size_t at, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < at && text[i]; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

/*
 * A \u0000 inside a string would end it early for C and not for JavaScript:
 * a pattern or argPattern would mean less to claw than to OpenClaw.
 */
static const char *find_nul_escape(const char *s, size_t len)
{
	bool in = false;

	for (size_t i = 0; i < len; i++) {
		if (!in) {
			in = s[i] == '"';
			continue;
		}
		if (s[i] == '"') {
			in = false;
		} else if (s[i] == '\\') {
			if (i + 5 < len && s[i + 1] == 'u' && strncmp(s + i + 2, "0000", 4) == 0)
				return s + i;
			i++;
		}
	}
	return NULL;
}

static int dup_members(const cJSON *node, const char **name)
{
	for (const cJSON *c = node->child; c != NULL; c = c->next) {
		if (cJSON_IsObject(node))
			for (const cJSON *d = c->next; d != NULL; d = d->next)
				if (strcmp(c->string, d->string) == 0)
					return *name = c->string, -1;
		if (c->child != NULL && dup_members(c, name) < 0)
			return -1;
	}
	return 0;
}

static int parse_text(struct approvals *a, const char *text, size_t len)
{
	const char *end = NULL, *dup = NULL, *nul = find_nul_escape(text, len);
	unsigned line, col;

	if (nul != NULL) {
		position(text, (size_t)(nul - text), &line, &col);
		return claw_fail("%s:%u:%u: \\u0000 inside a string", a->path, line, col);
	}
	a->root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1); /* the NUL too: see cJSON */
	if (a->root == NULL) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= text && at <= text + len ? (size_t)(at - text) : 0;
		position(text, off, &line, &col);
		return claw_fail("%s:%u:%u: not valid JSON", a->path, line, col);
	}
	if (dup_members(a->root, &dup) < 0)
		return claw_fail("%s: member \"%s\" given twice (JSON.parse would take the last, "
		                 "cJSON the first)",
		                 a->path, dup);
	return 0;
}

/* ---- validation ---- */

/*
 * A structural error: the node it is about and what is wrong, placed by
 * approvals_load() at the node's line and column (struct_error()).
 */
static const cJSON *bad_node;

__attribute__((format(printf, 2, 3))) static int bad(const cJSON *node, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bad_node = node;
	return claw_fail("%s", msg);
}

static int check_entry(const cJSON *e, const char *where)
{
	static const char *const strings[] = { "id",          "pattern",         "argPattern",
		                               "source",      "lastUsedCommand", "lastResolvedPath",
		                               "cwd",         "sha256",          "script",
		                               "scriptSha256" };
	const cJSON *m;

	if (!cJSON_IsObject(e))
		return bad(e, "%s must be an object", where);
	if (cJSON_GetObjectItemCaseSensitive(e, "pattern") == NULL)
		return bad(e, "%s needs a \"pattern\" string", where);
	for (size_t i = 0; i < NELEM(strings); i++)
		if ((m = cJSON_GetObjectItemCaseSensitive(e, strings[i])) && !cJSON_IsString(m))
			return bad(m, "%s.%s must be a string", where, strings[i]);
	if ((m = cJSON_GetObjectItemCaseSensitive(e, "lastUsedAt")) && !cJSON_IsNumber(m))
		return bad(m, "%s.lastUsedAt must be a number", where);
	if ((m = cJSON_GetObjectItemCaseSensitive(e, "runs")) != NULL) {
		const cJSON *r;
		if (!cJSON_IsArray(m))
			return bad(m, "%s.runs must be an array of {path, sha256}", where);
		cJSON_ArrayForEach(r, m)
		{
			if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r, "path")) ||
			    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r, "sha256")))
				return bad(r, "%s.runs must be an array of {path, sha256}", where);
		}
	}
	if ((m = cJSON_GetObjectItemCaseSensitive(e, "argv")) != NULL) {
		const cJSON *w;
		if (!cJSON_IsArray(m))
			return bad(m, "%s.argv must be an array of strings", where);
		cJSON_ArrayForEach(w, m)
		{
			if (!cJSON_IsString(w))
				return bad(w, "%s.argv must be an array of strings", where);
		}
	}
	return 0;
}

static int check_agent(const cJSON *ag)
{
	char where[256];
	const cJSON *list, *e;
	int i = 0;

	snprintf(where, sizeof(where), "agents.%s", ag->string);
	if (!cJSON_IsObject(ag))
		return bad(ag, "%s must be an object", where);
	list = cJSON_GetObjectItemCaseSensitive(ag, "allowlist");
	if (list == NULL)
		return 0;
	if (!cJSON_IsArray(list))
		return bad(list, "%s.allowlist must be an array", where);
	cJSON_ArrayForEach(e, list)
	{
		snprintf(where, sizeof(where), "agents.%s.allowlist[%d]", ag->string, i++);
		if (check_entry(e, where) < 0)
			return -1;
	}
	return 0;
}

static int validate(const cJSON *root)
{
	const cJSON *v, *agents, *ag;

	if (!cJSON_IsObject(root))
		return bad(root, "the file must hold a JSON object");
	v = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (!cJSON_IsNumber(v) || v->valuedouble != 1)
		return bad(v ? v : root, "\"version\" must be 1 (claw reads only version 1)");
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "defaults")) && !cJSON_IsObject(v))
		return bad(v, "defaults must be an object");
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "socket")) && !cJSON_IsObject(v))
		return bad(v, "socket must be an object");
	agents = cJSON_GetObjectItemCaseSensitive(root, "agents");
	if (agents == NULL)
		return 0;
	if (!cJSON_IsObject(agents))
		return bad(agents, "agents must be an object");
	cJSON_ArrayForEach(ag, agents)
	{
		if (check_agent(ag) < 0)
			return -1;
	}
	return 0;
}

/* The child indexes from ROOT down to NODE; -1 when NODE is not in the tree. */
static int path_to(const cJSON *root, const cJSON *node, int *idx, int depth, int max)
{
	int k = 0;

	if (root == node)
		return depth;
	if (depth == max)
		return -1;
	for (const cJSON *c = root->child; c != NULL; c = c->next, k++) {
		idx[depth] = k;
		int d = path_to(c, node, idx, depth + 1, max);
		if (d >= 0)
			return d;
	}
	return -1;
}

/*
 * "PATH:LINE:COL: what": the same text read again by lib/json5 (which keeps
 * positions and reads JSON alike), down the same child indexes to the node.
 */
static int struct_error(const struct approvals *a, const char *text, size_t len)
{
	char *msg = xstrdup(claw_error());
	struct json5_doc doc = { 0 };
	unsigned line = 0, col = 0;
	int idx[64], depth = path_to(a->root, bad_node, idx, 0, (int)NELEM(idx));

	if (depth >= 0 && json5_parse(text, len, &doc, &line, &col) == 0) {
		const cJSON *n = doc.root;
		for (int d = 0; d < depth && n != NULL; d++) {
			n = n->child;
			for (int k = 0; k < idx[d] && n != NULL; k++)
				n = n->next;
		}
		if (n == NULL || json5_pos_of(&doc, n, &line, &col) < 0)
			line = 0;
	} else {
		line = 0;
	}
	json5_free(&doc);
	int rc = line ? claw_fail("%s:%u:%u: %s", a->path, line, col, msg)
	              : claw_fail("%s: %s", a->path, msg);
	free(msg);
	return rc;
}

int approvals_load(struct approvals *a, const char *path)
{
	struct buf b = { 0 };
	int fd, rc = 0;

	memset(a, 0, sizeof(*a));
	a->path = xstrdup(path);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno != ENOENT)
		return claw_fail("%s: %s", path, strerror(errno));
	if (fd < 0) {
		/* No file: what OpenClaw starts from. */
		a->root = cJSON_Parse("{\"version\":1,\"agents\":{}}");
		sha256_hex("", 0, a->hash);
		return a->root ? 0 : claw_fail("out of memory");
	}
	a->exists = true;
	if (fstat(fd, &a->st) < 0)
		rc = claw_fail("%s: %s", path, strerror(errno));
	if (rc == 0)
		rc = read_fd(fd, path, &b);
	close(fd);
	if (rc == 0) {
		sha256_hex(b.p ? b.p : "", b.len, a->hash);
		rc = parse_text(a, b.p ? b.p : "", b.len);
	}
	if (rc == 0 && validate(a->root) < 0)
		rc = struct_error(a, b.p ? b.p : "", b.len);
	buf_free(&b);
	return rc;
}

void approvals_free(struct approvals *a)
{
	cJSON_Delete(a->root);
	free(a->path);
	memset(a, 0, sizeof(*a));
}

bool approvals_changed(const struct approvals *a)
{
	struct stat st;

	if (stat(a->path, &st) < 0)
		return a->exists;
	return !a->exists || st.st_dev != a->st.st_dev || st.st_ino != a->st.st_ino ||
	       st.st_size != a->st.st_size || st.st_mtim.tv_sec != a->st.st_mtim.tv_sec ||
	       st.st_mtim.tv_nsec != a->st.st_mtim.tv_nsec ||
	       st.st_ctim.tv_sec != a->st.st_ctim.tv_sec ||
	       st.st_ctim.tv_nsec != a->st.st_ctim.tv_nsec;
}

/* ---- resolution for an agent ---- */

static const cJSON *member(const cJSON *obj, const char *name)
{
	return obj ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
}

/* agents[X].f -> (legacy agents.default.f for main) -> agents["*"].f -> defaults.f;
 * a value that is not one of the field's words counts as absent. */
static const char *field(const cJSON *const chain[4], const char *name, bool is_ask)
{
	for (int i = 0; i < 4; i++) {
		const cJSON *v = member(chain[i], name);
		enum exec_security s;
		enum exec_ask k;
		if (cJSON_IsString(v) &&
		    (is_ask ? ask_parse(v->valuestring, &k) : security_parse(v->valuestring, &s)))
			return v->valuestring;
	}
	return NULL;
}

static const char *home(void)
{
	const char *h = getenv("HOME");
	return h && h[0] ? h : "/";
}

static void set_pattern(struct allow_entry *e, const char *raw)
{
	char *t = str_trim_dup(raw);

	if (strcmp(t, "~") == 0 || strncmp(t, "~/", 2) == 0) {
		e->pattern = xasprintf("%s%s", home(), t + 1);
		free(t);
	} else {
		e->pattern = t;
	}
}

/* argPattern: OpenClaw's JavaScript expression, as a POSIX one that matches no more (allowmatch.h).
 */
static void compile_arg_pattern(struct allow_entry *e)
{
	const char *why;

	if (e->arg_pattern == NULL || e->arg_pattern[0] == '\0')
		return;
	if (strncmp(e->arg_pattern, "sha256:", 7) == 0) {
		e->never = "argPattern is an OpenClaw argv hash claw cannot check";
		return;
	}
	e->re = xmalloc(sizeof(*e->re)); /* apart: the entries array moves as it grows */
	if (allowmatch_compile(e->arg_pattern, e->re, &why) == 0) {
		e->has_re = true;
	} else {
		e->never = why;
		free(e->re);
		e->re = NULL;
	}
}

static void read_binding(struct allow_entry *e, const cJSON *j)
{
	const cJSON *argv = member(j, "argv"), *sha = member(j, "sha256");

	if (cJSON_IsArray(argv) && cJSON_IsString(sha)) {
		e->bound = true;
		e->argv = argv;
		e->sha256 = sha->valuestring;
		e->cwd = cJSON_GetStringValue(member(j, "cwd"));
		e->script = cJSON_GetStringValue(member(j, "script"));
		e->script_sha256 = cJSON_GetStringValue(member(j, "scriptSha256"));
		e->runs = member(j, "runs");
	}
}

static void add_entry(struct approvals_agent *ag, const char *list, int index, const cJSON *j)
{
	struct allow_entry *e;
	const char *source = cJSON_GetStringValue(member(j, "source"));

	ALLOC_GROW(ag->entries, ag->nentries + 1, ag->capentries);
	e = &ag->entries[ag->nentries++];
	memset(e, 0, sizeof(*e));
	e->list = list;
	e->index = index;
	e->id = cJSON_GetStringValue(member(j, "id"));
	e->raw_pattern = cJSON_GetStringValue(member(j, "pattern"));
	set_pattern(e, e->raw_pattern);
	e->arg_pattern = cJSON_GetStringValue(member(j, "argPattern"));
	read_binding(e, j);
	compile_arg_pattern(e);
	if (e->pattern[0] == '\0')
		e->never = "empty pattern";
	else if (e->pattern[0] == '=')
		e->never = "an OpenClaw command marker claw cannot check";
	/* OpenClaw 2026.9.6 skips these too (matchAllowlist): only a bare "*" matches anything. */
	else if (strcmp(e->pattern, "*") == 0 && e->arg_pattern != NULL && e->arg_pattern[0])
		e->never = "pattern \"*\" with an argPattern (OpenClaw never matches it either)";
	else if (source && strcmp(source, "allow-always") == 0 && !e->bound)
		e->never = "an allow-always entry without a binding claw can check";
}

/* Whether entries [FROM, TO) have J's pattern (trimmed, lower-cased) and argPattern. */
static bool seen_before(const struct approvals_agent *ag, size_t from, size_t to, const cJSON *j)
{
	char *p = str_lower(str_trim_dup(cJSON_GetStringValue(member(j, "pattern"))));
	const char *ap = cJSON_GetStringValue(member(j, "argPattern"));
	bool seen = false;

	for (size_t i = from; i < to && !seen; i++) {
		char *q = str_lower(str_trim_dup(ag->entries[i].pattern));
		const char *bp = ag->entries[i].arg_pattern;
		seen = strcmp(p, q) == 0 && strcmp(ap ? ap : "", bp ? bp : "") == 0;
		free(q);
	}
	free(p);
	return seen;
}

/*
 * Adds AGENT's allowlist under KEY. The legacy agents.default list is merged
 * after main's own, leaving out what main already has (from OWN_FROM on).
 */
static void add_list(struct approvals_agent *ag, const cJSON *agent, const char *key, bool legacy,
                     size_t own_from)
{
	const cJSON *list = member(agent, "allowlist"), *j;
	size_t own_to = ag->nentries;
	int i = 0;

	if (!cJSON_IsArray(list))
		return;
	cJSON_ArrayForEach(j, list)
	{
		if (!legacy || !seen_before(ag, own_from, own_to, j))
			add_entry(ag, key, i, j);
		i++;
	}
}

void approvals_for_agent(const struct approvals *a, const char *agent, struct approvals_agent *out)
{
	const cJSON *agents = member(a->root, "agents");
	const cJSON *own = member(agents, agent);
	const cJSON *legacy = strcmp(agent, "main") == 0 ? member(agents, "default") : NULL;
	const cJSON *wild = member(agents, "*");
	const cJSON *chain[4] = { own, legacy, wild, member(a->root, "defaults") };
	const char *v;

	memset(out, 0, sizeof(*out));
	if ((v = field(chain, "security", false)) != NULL)
		out->has_security = security_parse(v, &out->security);
	if ((v = field(chain, "askFallback", false)) != NULL)
		out->has_fallback = security_parse(v, &out->fallback);
	if ((v = field(chain, "ask", true)) != NULL)
		out->has_ask = ask_parse(v, &out->ask);
	for (int i = 0; i < 4; i++) {
		const cJSON *s = member(chain[i], "autoAllowSkills");
		if (cJSON_IsBool(s)) {
			out->auto_allow_skills = cJSON_IsTrue(s);
			break;
		}
	}
	add_list(out, wild, "*", false, 0);
	if (strcmp(agent, "*") != 0) {
		size_t own_from = out->nentries;
		add_list(out, own, agent, false, 0);
		add_list(out, legacy, "default", true, own_from);
	}
}

void approvals_agent_free(struct approvals_agent *ag)
{
	for (size_t i = 0; i < ag->nentries; i++) {
		if (ag->entries[i].has_re) {
			regfree(ag->entries[i].re);
			free(ag->entries[i].re);
		}
		free(ag->entries[i].pattern);
	}
	free(ag->entries);
	memset(ag, 0, sizeof(*ag));
}

/* ---- writing ---- */

static void indent(struct buf *b, int depth)
{
	for (int i = 0; i < depth; i++)
		buf_puts(b, "  ");
}

static void render_number(const cJSON *n, struct buf *b)
{
	double d = n->valuedouble;

	/* Whole numbers (timestamps in ms) as integers, as JSON.stringify writes them. */
	if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(long long)d)
		buf_printf(b, "%lld", (long long)d);
	else if (isfinite(d))
		buf_printf(b, "%.17g", d);
	else
		buf_puts(b, "null"); /* as JSON.stringify writes NaN and Infinity */
}

static void render(const cJSON *n, struct buf *b, int depth)
{
	if (n == NULL) {
		buf_puts(b, "null");
		return;
	}
	if (cJSON_IsObject(n) || cJSON_IsArray(n)) {
		bool obj = cJSON_IsObject(n);
		if (n->child == NULL) {
			buf_puts(b, obj ? "{}" : "[]");
			return;
		}
		buf_putc(b, obj ? '{' : '[');
		for (const cJSON *c = n->child; c != NULL; c = c->next) {
			buf_putc(b, '\n');
			indent(b, depth + 1);
			if (obj) {
				buf_json_str(b, c->string);
				buf_puts(b, ": ");
			}
			render(c, b, depth + 1);
			if (c->next != NULL)
				buf_putc(b, ',');
		}
		buf_putc(b, '\n');
		indent(b, depth);
		buf_putc(b, obj ? '}' : ']');
	} else if (cJSON_IsString(n)) {
		buf_json_str(b, n->valuestring);
	} else if (cJSON_IsNumber(n)) {
		render_number(n, b);
	} else if (cJSON_IsBool(n)) {
		buf_puts(b, cJSON_IsTrue(n) ? "true" : "false");
	} else {
		buf_puts(b, "null");
	}
}

void approvals_render(const cJSON *root, struct buf *out)
{
	render(root, out, 0);
	buf_putc(out, '\n');
}

cJSON *approvals_list(cJSON *root, const char *agent_key)
{
	cJSON *agents = cJSON_GetObjectItemCaseSensitive(root, "agents");
	cJSON *agent, *list;

	if (agents == NULL)
		agents = cJSON_AddObjectToObject(root, "agents");
	agent = cJSON_GetObjectItemCaseSensitive(agents, agent_key);
	if (agent == NULL)
		agent = cJSON_AddObjectToObject(agents, agent_key);
	list = cJSON_GetObjectItemCaseSensitive(agent, "allowlist");
	if (list == NULL)
		list = cJSON_AddArrayToObject(agent, "allowlist");
	if (list == NULL)
		errx(125, "out of memory");
	return list;
}

static char *dir_of(const char *path)
{
	char *copy = xstrdup(path), *d = xstrdup(dirname(copy));
	free(copy);
	return d;
}

int approvals_update(const char *path, int (*fn)(cJSON *root, void *ctx), void *ctx)
{
	struct approvals a;
	struct buf b = { 0 };
	char *dir = dir_of(path);
	int lock, rc;

	rc = mkdir_p(dir, 0700);
	free(dir);
	if (rc < 0)
		return -1;
	if ((lock = lock_file(path, true)) < 0)
		return -1;
	rc = approvals_load(&a, path);
	if (rc == 0)
		rc = fn(a.root, ctx);
	if (rc == 1) {
		approvals_render(a.root, &b);
		rc = atomic_write(path, b.p, b.len, 0600);
	}
	approvals_free(&a);
	unlock_file(lock);
	buf_free(&b);
	return rc < 0 ? -1 : 0;
}
