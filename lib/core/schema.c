/*
 * schema.c: the config check every command runs (schema.h says what and why).
 *
 * One walk per file. openclaw.json is walked against OpenClaw's table: a
 * member the table has is checked against its row; one it lacks is either
 * claw's own (claw_keys: it still works, with a warning, since OpenClaw
 * refuses the file) or unknown (an error, with the closest valid name).
 * claw.json is walked against claw_keys alone, with OpenClaw's table beside
 * it to tell a key that belongs in openclaw.json from one nobody knows.
 *
 * Each position is kept twice: the path as written (agents.list[2].sandbox)
 * for messages, and the canonical path (agents.list[].sandbox,
 * agents.entries.*.sandbox) that names a claw key row.
 */
#include "core/schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/jsregex.h"

#define NO_NODE ((unsigned)-1) /* no row of OpenClaw's table: not one of its keys */

/* A pattern of the table, compiled when a value first meets it. */
struct pattern {
	struct jsre *re;
};

struct walk {
	const struct schema_input *in;
	const struct schema_table *t;
	struct cfg_problems *out;
	bool claw_file; /* walking claw.json */
	int quiet;      /* > 0: trying one of several alternatives: count, do not report */
	size_t errors;  /* errors found, reported or not */
	struct buf path, canon;
	struct pattern *re; /* one per pattern of the table */
};

/* ---- problems ---- */

void cfg_problem_add(struct cfg_problems *out, char *where, const char *path, char *msg,
                     bool warning)
{
	ALLOC_GROW(out->v, out->n + 1, out->cap);
	out->v[out->n++] = (struct cfg_problem){ where, xstrdup(path), msg, warning };
	if (!warning)
		out->errors++;
}

void cfg_problems_free(struct cfg_problems *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].where);
		free(p->v[i].path);
		free(p->v[i].message);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/*
 * Reports a problem at NODE (at its member name when KEY) about the key at
 * the current path (PATH, when it is another: an unknown key's own).
 */
static void report_at(struct walk *w, const cJSON *node, bool key, bool warning, const char *path,
                      const char *fmt, va_list ap)
{
	struct buf msg = { 0 }, where = { 0 };

	if (!warning)
		w->errors++;
	if (w->quiet > 0)
		return;
	w->in->where(w->in->arg, node, key, &where);
	if (path == NULL)
		path = w->path.p;
	buf_vprintf(&msg, fmt, ap);
	cfg_problem_add(w->out, buf_steal(&where), path, buf_steal(&msg), warning);
}

static void report(struct walk *w, const cJSON *node, bool key, bool warning, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void report(struct walk *w, const cJSON *node, bool key, bool warning, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_at(w, node, key, warning, NULL, fmt, ap);
	va_end(ap);
}

static void report_key(struct walk *w, const cJSON *member, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An error at MEMBER's name about the key PATH (not the current path). */
static void report_key(struct walk *w, const cJSON *member, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_at(w, member, true, false, path, fmt, ap);
	va_end(ap);
}

/* ---- paths ---- */

/* Goes down to member NAME (canonically "*" when it is one of a map's). */
static void push_key(struct walk *w, const char *name, bool as_star)
{
	if (w->path.len)
		buf_putc(&w->path, '.');
	buf_puts(&w->path, name);
	if (w->canon.len)
		buf_putc(&w->canon, '.');
	buf_puts(&w->canon, as_star ? "*" : name);
}

struct mark {
	size_t path, canon;
};

static struct mark mark_of(const struct walk *w)
{
	return (struct mark){ w->path.len, w->canon.len };
}

static void pop(struct walk *w, struct mark m)
{
	w->path.len = m.path;
	w->canon.len = m.canon;
	if (w->path.p)
		w->path.p[m.path] = '\0';
	if (w->canon.p)
		w->canon.p[m.canon] = '\0';
}

static void push_index(struct walk *w, int i)
{
	buf_printf(&w->path, "[%d]", i);
	buf_puts(&w->canon, "[]");
}

/* "the top level" or the path, for messages about the object at the current path. */
static const char *here(const struct walk *w)
{
	return w->path.len ? w->path.p : "the top level";
}

/* ---- claw's keys ---- */

static const char *const agent_scopes[] = { "agents.defaults.", "agents.list[].",
	                                    "agents.entries.*." };

/* CANON with the agent scope it starts with taken off, for a CK_AGENT row; or NULL. */
static const char *agent_relative(const char *canon)
{
	for (size_t i = 0; i < NELEM(agent_scopes); i++)
		if (str_has_prefix(canon, agent_scopes[i]))
			return canon + strlen(agent_scopes[i]);
	return NULL;
}

/* Whether PATH is ROWPATH, or (PREFIX) a key above it. */
static bool path_match(const char *path, const char *rowpath, bool prefix)
{
	size_t n = strlen(path);

	if (!prefix)
		return strcmp(path, rowpath) == 0;
	return strncmp(path, rowpath, n) == 0 && (rowpath[n] == '.' || rowpath[n] == '[');
}

/* The agent scope PATH is (or is above): "agents", "agents.list", "agents.list[]", ... */
static bool above_agent_scope(const char *canon)
{
	for (size_t i = 0; i < NELEM(agent_scopes); i++) {
		size_t n = strlen(canon);
		if (n < strlen(agent_scopes[i]) && strncmp(canon, agent_scopes[i], n) == 0 &&
		    (agent_scopes[i][n] == '.' || agent_scopes[i][n] == '['))
			return true;
	}
	return false;
}

static bool row_match(const struct claw_key *k, const char *canon, bool prefix)
{
	if (k->scope == CK_ROOT)
		return path_match(canon, k->path, prefix);
	const char *rel = agent_relative(canon);
	if (rel != NULL)
		return path_match(rel, k->path, prefix);
	return prefix && above_agent_scope(canon);
}

const struct claw_key *claw_key_find(const char *canon)
{
	for (size_t i = 0; i < claw_nkeys; i++)
		if (row_match(&claw_keys[i], canon, false))
			return &claw_keys[i];
	return NULL;
}

/* Whether CANON is above some claw key (an object that holds claw keys). */
static bool claw_prefix(const char *canon)
{
	for (size_t i = 0; i < claw_nkeys; i++)
		if (row_match(&claw_keys[i], canon, true))
			return true;
	return false;
}

/* ---- suggestions ---- */

/*
 * Keys OpenClaw once had, or its runtime reads but its schema refuses: what
 * to write instead. The agent-scope rows (CK_AGENT) match under
 * agents.defaults and each agent, as claw_keys' rows do.
 */
static const struct {
	enum claw_key_scope scope;
	const char *path;
	const char *hint;
} retired[] = {
	{ CK_AGENT, "sandbox.perSession",
	  "OpenClaw's old name: use scope, \"session\" for true, \"shared\" for false" },
	{ CK_ROOT, "agents.defaults.tools",
	  "OpenClaw's schema has no such key: set tools (every agent) or agents.list[].tools" },
	{ CK_ROOT, "logging.redactSensitive", "OpenClaw 2026.9.6 has no such setting: remove it" },
};

static const char *retired_hint(const char *canon)
{
	const char *last = strrchr(canon, '.');

	/* OpenClaw's split config: claw reads one file, and would miss the rest. */
	if (strcmp(last ? last + 1 : canon, "$include") == 0)
		return "claw does not follow OpenClaw's $include: put the included keys in this "
		       "file";
	for (size_t i = 0; i < NELEM(retired); i++) {
		const char *rel = retired[i].scope == CK_AGENT ? agent_relative(canon) : canon;
		if (rel != NULL && strcmp(rel, retired[i].path) == 0)
			return retired[i].hint;
	}
	return NULL;
}

/*
 * OpenClaw's rules across the members of one object, which its schema cannot
 * say, for the objects claw reads. Each row: where (CK_AGENT: under each
 * agent too), whether the object breaks it, and OpenClaw's message.
 */
static bool mode_with_security(const cJSON *exec)
{
	return cJSON_GetObjectItemCaseSensitive(exec, "mode") != NULL &&
	       (cJSON_GetObjectItemCaseSensitive(exec, "security") != NULL ||
	        cJSON_GetObjectItemCaseSensitive(exec, "ask") != NULL);
}

static const struct {
	enum claw_key_scope scope;
	const char *path;
	bool (*broken)(const cJSON *obj);
	const char *message;
} rules[] = {
	{ CK_ROOT, "tools.exec", mode_with_security,
	  "mode cannot be combined with security or ask in the same exec object (OpenClaw "
	  "refuses it): keep mode, or security and ask" },
	{ CK_AGENT, "tools.exec", mode_with_security,
	  "mode cannot be combined with security or ask in the same exec object (OpenClaw "
	  "refuses it): keep mode, or security and ask" },
};

static void check_rules(struct walk *w, const cJSON *obj)
{
	for (size_t i = 0; i < NELEM(rules); i++) {
		const char *rel =
		    rules[i].scope == CK_AGENT ? agent_relative(w->canon.p) : w->canon.p;
		if (rel != NULL && strcmp(rel, rules[i].path) == 0 && rules[i].broken(obj))
			report(w, obj, false, false, "%s: %s", here(w), rules[i].message);
	}
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Edit distance (insert, delete, change, swap two neighbours), ignoring case. */
static size_t distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 64 || m > 64)
		return 99;
	size_t d[65][65];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			size_t cost = lower(a[i - 1]) != lower(b[j - 1]);
			size_t v = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
			    lower(a[i - 2]) == lower(b[j - 1]) && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[n][m];
}

struct suggestion {
	char best[128]; /* "" when nothing is close */
	size_t dist;
};

/* Considers CANDIDATE for a misspelt NAME: close enough, and closer than the best so far. */
static void consider(struct suggestion *s, const char *name, const char *candidate)
{
	size_t len = strlen(candidate), d = distance(name, candidate);
	size_t limit = len / 3 < 1 ? 1 : len / 3 > 3 ? 3 : len / 3;

	if (strcmp(name, candidate) != 0 && d <= limit && len < sizeof(s->best) &&
	    (s->best[0] == '\0' || d < s->dist)) {
		memcpy(s->best, candidate, len + 1);
		s->dist = d;
	}
}

/* " (did you mean \"X\"?)", or "" */
static void did_you_mean(struct buf *b, const struct suggestion *s)
{
	if (s->best[0] != '\0')
		buf_printf(b, " (did you mean \"%s\"?)", s->best);
}

/* The names of the claw keys right below CANON (the part of each row's path after it). */
static void claw_children(const char *canon, const char *name, struct suggestion *s)
{
	char buf[256];

	for (size_t i = 0; i < claw_nkeys; i++) {
		const struct claw_key *k = &claw_keys[i];
		const char *rel = k->scope == CK_AGENT ? agent_relative(canon) : canon;
		const char *rest;
		if (rel == NULL && k->scope == CK_AGENT)
			continue;
		size_t n = strlen(rel);
		if (n == 0)
			rest = k->path;
		else if (strncmp(k->path, rel, n) == 0 && k->path[n] == '.')
			rest = k->path + n + 1;
		else
			continue;
		size_t len = strcspn(rest, ".");
		if (len >= sizeof(buf))
			continue;
		memcpy(buf, rest, len);
		buf[len] = '\0';
		consider(s, name, buf);
	}
}

/* ---- OpenClaw's table ---- */

static const char *text_at(const struct schema_table *t, uint32_t off)
{
	return t->text + off;
}

/* The row of member NAME of row N, or NO_NODE (binary search: props are sorted). */
static unsigned prop_node(const struct schema_table *t, const struct schema_node *n,
                          const char *name)
{
	size_t lo = n->props, hi = (size_t)n->props + n->nprops;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, text_at(t, t->props[mid].name));
		if (c == 0)
			return t->props[mid].node;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NO_NODE;
}

/* The row for member NAME of an object checked against row N; *AS_STAR when it is one of
 * the object's other members (a map's). NO_NODE when N has no place for it. */
static unsigned member_node(const struct schema_table *t, unsigned idx, const char *name,
                            bool *as_star)
{
	const struct schema_node *n;
	unsigned p;

	*as_star = false;
	if (idx == NO_NODE)
		return NO_NODE;
	n = &t->nodes[idx];
	/* An object row with alternatives: the member of the first that has it. */
	for (unsigned i = 0; i < n->nalts; i++)
		if ((p = member_node(t, t->lists[n->alts + i], name, as_star)) != NO_NODE)
			return p;
	if ((p = prop_node(t, n, name)) != NO_NODE)
		return p;
	if (n->flags & SF_CLOSED || !(n->types & S_OBJ) || n->nalts)
		return NO_NODE;
	*as_star = n->extra != 0 || n->nprops == 0;
	return n->extra;
}

static unsigned json_type(const cJSON *v)
{
	if (cJSON_IsNull(v))
		return S_NULL;
	if (cJSON_IsBool(v))
		return S_BOOL;
	if (cJSON_IsNumber(v)) { /* Infinity and NaN (JSON5 has them) are no number here */
		double d = v->valuedouble;
		return !isfinite(d) ? 0 : d == floor(d) ? S_NUM | S_INT : S_NUM;
	}
	if (cJSON_IsString(v))
		return S_STR;
	if (cJSON_IsArray(v))
		return S_ARR;
	return S_OBJ;
}

/* The types row IDX (with its alternatives) accepts. */
static unsigned accepts(const struct schema_table *t, unsigned idx)
{
	const struct schema_node *n = &t->nodes[idx];
	unsigned types = 0;

	if (n->nalts == 0)
		return n->types;
	for (unsigned i = 0; i < n->nalts; i++)
		types |= accepts(t, t->lists[n->alts + i]);
	return types & n->types;
}

static bool type_ok(unsigned types, const cJSON *v)
{
	unsigned have = json_type(v);

	if (have & S_INT && types & S_INT)
		return true;
	return (have & ~(unsigned)S_INT & types) != 0;
}

static void type_words(unsigned types, struct buf *b)
{
	static const struct {
		unsigned bit;
		const char *word;
	} words[] = {
		{ S_STR, "a string" },       { S_INT, "a whole number" }, { S_NUM, "a number" },
		{ S_BOOL, "true or false" }, { S_ARR, "a list" },         { S_OBJ, "an object" },
		{ S_NULL, "null" },
	};
	size_t n = 0, total = 0;

	if (types & S_NUM)
		types &= ~(unsigned)S_INT;
	for (size_t i = 0; i < NELEM(words); i++)
		total += (types & words[i].bit) != 0;
	for (size_t i = 0; i < NELEM(words); i++) {
		if (!(types & words[i].bit))
			continue;
		buf_printf(b, "%s%s", n == 0 ? "" : n + 1 == total ? " or " : ", ", words[i].word);
		n++;
	}
}

static const char *got_word(const cJSON *v)
{
	unsigned t = json_type(v);

	return t & S_STR          ? "a string"
	       : t & S_NUM        ? "a number"
	       : cJSON_IsTrue(v)  ? "true"
	       : cJSON_IsFalse(v) ? "false"
	       : t & S_ARR        ? "a list"
	       : t & S_OBJ        ? "an object"
	                          : "null";
}

static void check_value(struct walk *w, const cJSON *v, unsigned idx);

static void check_type(struct walk *w, const cJSON *v, unsigned types)
{
	struct buf want = { 0 };

	type_words(types, &want);
	if (cJSON_IsNumber(v) && !isfinite(v->valuedouble))
		report(w, v, false, false, "%s: expected %s, got %g (not a finite number)", here(w),
		       want.p, v->valuedouble);
	else if (types == S_INT && cJSON_IsNumber(v))
		report(w, v, false, false, "%s: expected a whole number, got %g", here(w),
		       v->valuedouble);
	else
		report(w, v, false, false, "%s: expected %s, got %s", here(w), want.p, got_word(v));
	buf_free(&want);
}

static bool const_match(const struct schema_table *t, const struct schema_const *c, const cJSON *v)
{
	if (c->type == S_STR)
		return cJSON_IsString(v) && strcmp(v->valuestring, text_at(t, c->s)) == 0;
	if (c->type == S_BOOL)
		return cJSON_IsBool(v) && cJSON_IsTrue(v) == (c->n != 0);
	return cJSON_IsNumber(v) && v->valuedouble == c->n;
}

static void check_consts(struct walk *w, const cJSON *v, const struct schema_node *n)
{
	const struct schema_table *t = w->t;
	struct buf list = { 0 }, msg = { 0 };
	struct suggestion s = { 0 };

	for (unsigned i = 0; i < n->nconsts; i++)
		if (const_match(t, &t->consts[n->consts + i], v))
			return;
	for (unsigned i = 0; i < n->nconsts; i++) {
		const struct schema_const *c = &t->consts[n->consts + i];
		if (i)
			buf_puts(&list, ", ");
		if (c->type == S_STR) {
			buf_puts(&list, text_at(t, c->s));
			if (cJSON_IsString(v))
				consider(&s, v->valuestring, text_at(t, c->s));
		} else if (c->type == S_BOOL) {
			buf_puts(&list, c->n ? "true" : "false");
		} else {
			buf_printf(&list, "%g", c->n);
		}
	}
	did_you_mean(&msg, &s);
	if (cJSON_IsString(v))
		report(w, v, false, false, "%s: \"%s\" is not one of %s%s", here(w), v->valuestring,
		       list.p, msg.p ? msg.p : "");
	else
		report(w, v, false, false, "%s: expected one of %s", here(w), list.p);
	buf_free(&list);
	buf_free(&msg);
}

static void check_number(struct walk *w, const cJSON *v, const struct schema_node *n)
{
	const struct schema_bounds *b = &w->t->bounds[n->bounds];
	double d = v->valuedouble;

	if (n->flags & SF_MIN && (n->flags & SF_EXCL_MIN ? d <= b->min : d < b->min))
		report(w, v, false, false, "%s: %g is too small (it must be %s %g)", here(w), d,
		       n->flags & SF_EXCL_MIN ? "more than" : "at least", b->min);
	else if (n->flags & SF_MAX && (n->flags & SF_EXCL_MAX ? d >= b->max : d > b->max))
		report(w, v, false, false, "%s: %g is too large (it must be %s %g)", here(w), d,
		       n->flags & SF_EXCL_MAX ? "less than" : "at most", b->max);
}

/* Characters (code points) in S, as JavaScript's length counts them closely enough. */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Whether S matches pattern I of the table: 1, 0, or -1 (too costly to tell). */
static int pattern_test(struct walk *w, unsigned i, const char *s)
{
	if (w->re == NULL)
		w->re = xcalloc(w->t->npatterns, sizeof(*w->re));
	if (w->re[i].re == NULL && (w->re[i].re = jsre_compile(w->t->patterns[i])) == NULL)
		return -1; /* schema-gen compiles every pattern; this cannot happen */
	return jsre_test(w->re[i].re, s, strlen(s));
}

/* A string value, or (AT a member's name, KEY) a member name. */
static void check_string(struct walk *w, const cJSON *v, const struct schema_node *n,
                         const char *what, const cJSON *at, bool key)
{
	const char *s = v->valuestring;
	size_t len = chars(s);
	int m;

	if (len < n->min_len)
		report(w, at, key, false,
		       n->min_len == 1 ? "%s: %s must not be empty"
		                       : "%s: %s must be at least %u characters long",
		       here(w), what, n->min_len);
	else if (n->flags & SF_MAX_LEN && len > n->max_len)
		report(w, at, key, false, "%s: %s must be at most %u characters long", here(w),
		       what, n->max_len);
	else if (n->flags & SF_PATTERN && (m = pattern_test(w, n->pattern, s)) != 1)
		report(w, at, key, false, "%s: %s \"%s\" %s%s%s", here(w), what, s,
		       m < 0                             ? "is too costly to match against /"
		       : w->t->pattern_names[n->pattern] ? "is not "
		                                         : "does not match /",
		       m == 0 && w->t->pattern_names[n->pattern] ? w->t->pattern_names[n->pattern]
		                                                 : w->t->patterns[n->pattern],
		       m == 0 && w->t->pattern_names[n->pattern] ? "" : "/");
}

static void check_array(struct walk *w, const cJSON *v, const struct schema_node *n)
{
	int i = 0, count = cJSON_GetArraySize(v);
	const cJSON *item;

	if ((unsigned)count < n->min_items)
		report(w, v, false, false, "%s: needs at least %u entries", here(w), n->min_items);
	else if (n->flags & SF_MAX_ITEMS && (unsigned)count > n->max_items)
		report(w, v, false, false, "%s: may have at most %u entries", here(w),
		       n->max_items);
	cJSON_ArrayForEach(item, v)
	{
		struct mark m = mark_of(w);
		push_index(w, i++);
		check_value(w, item, n->items);
		pop(w, m);
	}
}

/* The claw.json a claw key goes to, for messages. */
static const char *claw_file(const struct walk *w)
{
	return w->in->claw_path ? w->in->claw_path : "claw.json";
}

static void check_claw_value(struct walk *w, const cJSON *v, const struct claw_key *k);
static void check_claw_tree(struct walk *w, const cJSON *v);

/*
 * MEMBER (the current path) is a key nobody knows: reported at its name, with
 * the closest name the object it is in may have. PARENT marks that object;
 * IDX is its row (NO_NODE: claw's keys only). Leaves the path at PARENT.
 */
static void unknown_key(struct walk *w, const cJSON *member, struct mark parent, unsigned idx)
{
	struct suggestion s = { 0 };
	struct buf hint = { 0 };
	const struct schema_table *t = w->t;
	char *full = xstrdup(w->path.p);
	const char *retired_as = retired_hint(w->canon.p);

	pop(w, parent);
	if (retired_as != NULL) {
		report_key(w, member, full, "%s: unknown key \"%s\" (%s)", here(w), member->string,
		           retired_as);
		free(full);
		return;
	}
	if (idx != NO_NODE) {
		const struct schema_node *n = &t->nodes[idx];
		for (unsigned i = 0; i < n->nprops; i++)
			consider(&s, member->string, text_at(t, t->props[n->props + i].name));
	}
	claw_children(w->canon.p, member->string, &s);
	did_you_mean(&hint, &s);
	if (s.best[0] == '\0')
		buf_printf(&hint, " (%s; remove it)",
		           w->claw_file ? "claw has no such key" : "OpenClaw refuses it too");
	report_key(w, member, full, "%s: unknown key \"%s\"%s", here(w), member->string, hint.p);
	buf_free(&hint);
	free(full);
}

static void check_required(struct walk *w, const cJSON *v, const struct schema_node *n)
{
	for (unsigned i = 0; i < n->nreq; i++) {
		const char *name = text_at(w->t, w->t->strings[n->req + i]);
		if (cJSON_GetObjectItemCaseSensitive(v, name) == NULL)
			report(w, v, false, false, "%s: \"%s\" is missing", here(w), name);
	}
}

static void check_member_name(struct walk *w, const cJSON *member, const struct schema_node *n)
{
	cJSON name = { 0 };

	if (n->keys == 0)
		return;
	/* The name, checked as a string value would be, reported at the name. */
	name.type = cJSON_String;
	name.valuestring = member->string;
	check_string(w, &name, &w->t->nodes[n->keys], "the key", member, true);
}

static void claw_key_in_openclaw(struct walk *w, const cJSON *member)
{
	report(w, member, true, true,
	       "%s is claw's own setting, and OpenClaw %s refuses a file that holds it: move it "
	       "to %s (claw-audit check --fix moves it)",
	       w->path.p, w->t->version, claw_file(w));
	check_claw_tree(w, member);
}

static void check_object(struct walk *w, const cJSON *v, unsigned idx)
{
	const struct schema_node *n = &w->t->nodes[idx];
	const cJSON *m;

	if (n->flags & SF_MAX_PROPS && (unsigned)cJSON_GetArraySize(v) > n->max_props)
		report(w, v, false, false, "%s: may have at most %u keys", here(w), n->max_props);
	check_required(w, v, n);
	check_rules(w, v);
	cJSON_ArrayForEach(m, v)
	{
		struct mark mk = mark_of(w);
		bool star;
		unsigned child = member_node(w->t, idx, m->string, &star);
		if (child != NO_NODE && star)
			check_member_name(w, m, n);
		push_key(w, m->string, star);
		if (child != NO_NODE)
			check_value(w, m, child);
		else if (claw_key_find(w->canon.p) != NULL || claw_prefix(w->canon.p))
			claw_key_in_openclaw(w, m);
		else
			unknown_key(w, m, mk, idx);
		pop(w, mk);
	}
}

/* A value several alternatives might accept: the one that does, else the closest miss. */
static void check_alternatives(struct walk *w, const cJSON *v, const struct schema_node *n)
{
	const struct schema_table *t = w->t;
	unsigned cands[64], ncands = 0, best = 0;
	size_t best_errors = (size_t)-1;

	for (unsigned i = 0; i < n->nalts && ncands < NELEM(cands); i++)
		if (type_ok(accepts(t, t->lists[n->alts + i]), v))
			cands[ncands++] = t->lists[n->alts + i];
	if (ncands == 0) {
		unsigned types = 0;
		for (unsigned i = 0; i < n->nalts; i++)
			types |= accepts(t, t->lists[n->alts + i]);
		check_type(w, v, types);
		return;
	}
	for (unsigned i = 0; i < ncands && ncands > 1; i++) {
		size_t before = w->errors;
		w->quiet++;
		check_value(w, v, cands[i]);
		w->quiet--;
		size_t e = w->errors - before;
		w->errors = before;
		if (e < best_errors) {
			best_errors = e;
			best = i;
		}
		if (e == 0)
			break;
	}
	check_value(w, v, cands[best]);
}

static void check_value(struct walk *w, const cJSON *v, unsigned idx)
{
	const struct schema_node *n = &w->t->nodes[idx];

	if (idx == 0 || n->flags & SF_UNCHECKED)
		return;
	if (!type_ok(n->types, v)) {
		check_type(w, v, n->types);
		return;
	}
	if (n->nalts) {
		size_t before = w->errors;
		check_alternatives(w, v, n);
		if (w->errors != before)
			return;
	}
	/* allOf: each part must take it; the first that does not says why. */
	size_t before = w->errors;
	for (unsigned i = 0; i < n->nall && w->errors == before; i++)
		check_value(w, v, w->t->lists[n->all + i]);
	if (n->nconsts) {
		check_consts(w, v, n);
		return;
	}
	if (cJSON_IsNumber(v))
		check_number(w, v, n);
	else if (cJSON_IsString(v))
		check_string(w, v, n, "the value", v, false);
	else if (cJSON_IsArray(v))
		check_array(w, v, n);
	else if (cJSON_IsObject(v) && n->nalts == 0)
		check_object(w, v, idx);
}

/* ---- claw's keys, in either file ---- */

static void check_claw_value(struct walk *w, const cJSON *v, const struct claw_key *k)
{
	static const unsigned types[] = {
		[CK_BOOL] = S_BOOL, [CK_NUMBER] = S_NUM,  [CK_STRING] = S_STR,
		[CK_ENUM] = S_STR,  [CK_STRINGS] = S_ARR,
	};
	const cJSON *item;
	int i = 0;

	if (!type_ok(types[k->type], v) || (cJSON_IsNumber(v) && !isfinite(v->valuedouble))) {
		check_type(w, v, types[k->type]);
		return;
	}
	switch (k->type) {
	case CK_NUMBER:
		if (!(v->valuedouble > k->min && v->valuedouble <= k->max))
			report(w, v, false, false,
			       "%s: %g is out of range (more than %g, at most %g)", here(w),
			       v->valuedouble, k->min, k->max);
		break;
	case CK_STRING:
		if (v->valuestring[0] == '\0')
			report(w, v, false, false, "%s: the value must not be empty", here(w));
		break;
	case CK_ENUM: {
		struct buf list = { 0 }, hint = { 0 };
		struct suggestion s = { 0 };
		for (const char *const *c = k->choices; *c; c++)
			if (strcmp(*c, v->valuestring) == 0)
				return;
		for (const char *const *c = k->choices; *c; c++) {
			buf_printf(&list, "%s%s", c == k->choices ? "" : ", ", *c);
			consider(&s, v->valuestring, *c);
		}
		did_you_mean(&hint, &s);
		report(w, v, false, false, "%s: \"%s\" is not one of %s%s", here(w), v->valuestring,
		       list.p, hint.p ? hint.p : "");
		buf_free(&list);
		buf_free(&hint);
		break;
	}
	case CK_STRINGS:
		cJSON_ArrayForEach(item, v)
		{
			struct mark m = mark_of(w);
			push_index(w, i++);
			if (!cJSON_IsString(item))
				check_type(w, item, S_STR);
			pop(w, m);
		}
		break;
	case CK_BOOL:
		break;
	}
}

/* A value at a claw key, or an object above claw keys only (sandbox.native). */
static void check_claw_tree(struct walk *w, const cJSON *v)
{
	const struct claw_key *k = claw_key_find(w->canon.p);
	const cJSON *m;

	if (k != NULL) {
		check_claw_value(w, v, k);
		return;
	}
	if (!cJSON_IsObject(v)) {
		check_type(w, v, S_OBJ);
		return;
	}
	cJSON_ArrayForEach(m, v)
	{
		struct mark mk = mark_of(w);
		push_key(w, m->string, false);
		if (claw_key_find(w->canon.p) != NULL || claw_prefix(w->canon.p))
			check_claw_tree(w, m);
		else
			unknown_key(w, m, mk, NO_NODE);
		pop(w, mk);
	}
}

static void check_claw_member(struct walk *w, const cJSON *m, struct mark parent, unsigned child);

/* An object of claw.json: IDX is OpenClaw's row for the same place (NO_NODE: none). */
static void check_claw_object(struct walk *w, const cJSON *v, unsigned idx)
{
	const cJSON *m;

	if (!cJSON_IsObject(v)) {
		check_type(w, v, S_OBJ);
		return;
	}
	cJSON_ArrayForEach(m, v)
	{
		struct mark mk = mark_of(w);
		bool star;
		unsigned child = member_node(w->t, idx, m->string, &star);
		push_key(w, m->string, star);
		check_claw_member(w, m, mk, child);
		pop(w, mk);
	}
}

/* An agent of agents.list[] in claw.json: its "id" says which of openclaw.json's it sets. */
static void check_claw_agent_list(struct walk *w, const cJSON *v, unsigned idx)
{
	const cJSON *item;
	int i = 0;
	unsigned entry = idx == NO_NODE ? NO_NODE : w->t->nodes[idx].items;

	if (!cJSON_IsArray(v)) {
		check_type(w, v, S_ARR);
		return;
	}
	cJSON_ArrayForEach(item, v)
	{
		struct mark m = mark_of(w);
		push_index(w, i++);
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
		if (cJSON_IsObject(item) && !cJSON_IsString(id))
			report(w, item, false, false,
			       "%s: needs the \"id\" of the agent of openclaw.json it sets",
			       here(w));
		check_claw_object(w, item, entry);
		pop(w, m);
	}
}

static void check_claw_member(struct walk *w, const cJSON *m, struct mark parent, unsigned child)
{
	const char *canon = w->canon.p;

	if (claw_key_find(canon) != NULL) {
		check_claw_tree(w, m);
	} else if (strcmp(canon, "agents.list") == 0) {
		check_claw_agent_list(w, m, child);
	} else if (strcmp(canon, "agents.list[].id") == 0) {
		if (!cJSON_IsString(m))
			check_type(w, m, S_STR);
	} else if (claw_prefix(canon)) {
		check_claw_object(w, m, child);
	} else if (child != NO_NODE) {
		report(
		    w, m, true, false,
		    "%s is OpenClaw's setting, not claw's: move it to %s (claw reads both files, "
		    "OpenClaw only that one)",
		    w->path.p, w->in->path ? w->in->path : "openclaw.json");
	} else {
		unknown_key(w, m, parent, NO_NODE);
	}
}

/* ---- the walks ---- */

static void walk_init(struct walk *w, const struct schema_input *in, struct cfg_problems *out,
                      bool claw_file)
{
	memset(w, 0, sizeof(*w));
	w->in = in;
	w->t = &schema_openclaw;
	w->out = out;
	w->claw_file = claw_file;
	buf_puts(&w->path, "");
	buf_puts(&w->canon, "");
}

static void walk_free(struct walk *w)
{
	if (w->re != NULL)
		for (size_t i = 0; i < w->t->npatterns; i++)
			jsre_free(w->re[i].re);
	free(w->re);
	buf_free(&w->path);
	buf_free(&w->canon);
}

size_t schema_check(const struct schema_input *in, struct cfg_problems *out)
{
	struct walk w;
	size_t errors = out->errors;

	walk_init(&w, in, out, false);
	if (cJSON_IsObject(in->root))
		check_object(&w, in->root, w.t->root);
	walk_free(&w);
	walk_init(&w, in, out, true);
	if (in->claw_root != NULL)
		check_claw_object(&w, in->claw_root, w.t->root);
	walk_free(&w);
	return out->errors - errors;
}
