/*
 * schema-keys: every key of the schema tables, refused as it should be.
 *
 * For each key of schema_openclaw (every member of every row reachable from
 * the sections claw checks) and each row of claw_keys, this builds the
 * smallest config that holds the key with a valid value, and checks that
 *   - it is accepted (no error: the table and the check agree);
 *   - an unknown sibling beside it is refused: "PARENT: unknown key ...";
 *   - a value of a type the key does not take is refused at the key:
 *     "KEY: expected ...", or "KEY: ... is not one of ...".
 * A claw key is also checked in openclaw.json, where it works with a warning.
 *
 * usage: schema-keys [-v]   (t/schema.bats runs it; -v lists every key)
 * Exit 0 when every key passed; 1 with each failure on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/jsregex.h"
#include "core/schema.h"

#define MAX_DEPTH 24
#define UNKNOWN   "zzUnknownKey"

static const struct schema_table *T = &schema_openclaw;
static int verbose;
static unsigned keys, refused_sibling, refused_value, no_valid, no_invalid, lenient_keys, failures;

/* ---- valid values ---- */

static const char *const string_candidates[] = {
	"a", "main", "x1", "1", "A", "AB", "ABC_1", "default", "https://example.com",
	"http://127.0.0.1:1", "wss://example.com", "/a", "a@example.com", "openai:x",
	"ghp_0123456789abcdef0123456789abcdef", "00000000-0000-4000-8000-000000000000",
	"hey claw", "7d", "off", NULL,
};

static int pattern_ok(unsigned pattern, const char *s)
{
	static struct jsre **re;

	if (re == NULL)
		re = calloc(T->npatterns, sizeof(*re));
	if (re[pattern] == NULL)
		re[pattern] = jsre_compile(T->patterns[pattern]);
	return re[pattern] != NULL && jsre_test(re[pattern], s, strlen(s)) == 1;
}

static int string_fits(const struct schema_node *n, const char *s)
{
	size_t len = strlen(s);

	return len >= n->min_len && (!(n->flags & SF_MAX_LEN) || len <= n->max_len) &&
	       (!(n->flags & SF_PATTERN) || pattern_ok(n->pattern, s));
}

static cJSON *valid_string(const struct schema_node *n)
{
	char pad[512];

	for (const char *const *c = string_candidates; *c; c++)
		if (string_fits(n, *c))
			return cJSON_CreateString(*c);
	if (n->min_len < sizeof(pad)) {
		memset(pad, 'a', n->min_len);
		pad[n->min_len] = '\0';
		if (string_fits(n, pad))
			return cJSON_CreateString(pad);
	}
	return NULL;
}

static cJSON *valid_number(const struct schema_node *n)
{
	const struct schema_bounds *b = &T->bounds[n->bounds];
	double v = 1;

	if (n->flags & SF_MIN && (v < b->min || (n->flags & SF_EXCL_MIN && v <= b->min)))
		v = n->flags & SF_EXCL_MIN ? b->min + 1 : b->min;
	if (n->flags & SF_MAX && (v > b->max || (n->flags & SF_EXCL_MAX && v >= b->max)))
		v = n->flags & SF_EXCL_MAX ? b->max - 1 : b->max;
	return cJSON_CreateNumber(v);
}

static cJSON *valid_value(unsigned idx, int depth);

static cJSON *const_value(const struct schema_const *c)
{
	if (c->type == S_STR)
		return cJSON_CreateString(T->text + c->s);
	if (c->type == S_BOOL)
		return cJSON_CreateBool(c->n != 0);
	return cJSON_CreateNumber(c->n);
}

/* An object with its required members. */
static cJSON *valid_object(const struct schema_node *n, int depth)
{
	cJSON *o = cJSON_CreateObject();

	for (unsigned i = 0; i < n->nreq; i++) {
		const char *name = T->text + T->strings[n->req + i];
		unsigned child = 0;
		for (unsigned p = 0; p < n->nprops; p++)
			if (strcmp(T->text + T->props[n->props + p].name, name) == 0)
				child = T->props[n->props + p].node;
		cJSON *v = valid_value(child, depth + 1);
		if (v == NULL) {
			cJSON_Delete(o);
			return NULL;
		}
		cJSON_AddItemToObject(o, name, v);
	}
	return o;
}

/* allOf: a string each part takes (the parts here are all strings). */
static cJSON *valid_all(const struct schema_node *n)
{
	for (const char *const *c = string_candidates; *c; c++) {
		bool fits = true;
		for (unsigned i = 0; i < n->nall && fits; i++) {
			const struct schema_node *part = &T->nodes[T->lists[n->all + i]];
			fits = part->types & S_STR && string_fits(part, *c);
		}
		if (fits)
			return cJSON_CreateString(*c);
	}
	return NULL;
}

static cJSON *valid_value(unsigned idx, int depth)
{
	const struct schema_node *n = &T->nodes[idx];

	if (depth > MAX_DEPTH)
		return NULL;
	if (n->nall)
		return valid_all(n);
	if (n->nconsts)
		return const_value(&T->consts[n->consts]);
	for (unsigned i = 0; i < n->nalts; i++) {
		cJSON *v = valid_value(T->lists[n->alts + i], depth + 1);
		if (v != NULL)
			return v;
	}
	if (n->nalts)
		return NULL;
	if (n->types & S_BOOL)
		return cJSON_CreateTrue();
	if (n->types & (S_INT | S_NUM))
		return valid_number(n);
	if (n->types & S_STR)
		return valid_string(n);
	if (n->types & S_OBJ)
		return valid_object(n, depth);
	if (n->types & S_ARR) {
		cJSON *a = cJSON_CreateArray();
		for (unsigned i = 0; i < n->min_items; i++) {
			cJSON *v = valid_value(n->items, depth + 1);
			if (v == NULL) {
				cJSON_Delete(a);
				return NULL;
			}
			cJSON_AddItemToArray(a, v);
		}
		return a;
	}
	return cJSON_CreateNull();
}

/* A member name an object of row N takes as one of its other members. */
static const char *map_key(const struct schema_node *n)
{
	if (n->keys == 0)
		return "a";
	for (const char *const *c = string_candidates; *c; c++)
		if (string_fits(&T->nodes[n->keys], *c))
			return *c;
	return NULL;
}

/* ---- checking one config ---- */

struct result {
	unsigned errors, warnings;
	char *first;      /* the first error, "WHERE: MESSAGE" */
	int found;        /* an error for WANT_PATH whose message holds WANT */
};

/* As config.c hands the check where a node is. */
static void where_in(const void *cfg, const cJSON *node, bool key, struct buf *out)
{
	cfg_where(cfg, node, key, out);
}

static void check_text(const char *oc, const char *claw, const char *want_path, const char *want,
                       struct result *r)
{
	struct config cfg;

	memset(r, 0, sizeof(*r));
	memset(&cfg, 0, sizeof(cfg));
	cfg.source = strdup("openclaw.json");
	cfg.path = strdup("openclaw.json");
	cfg.text = strdup(oc);
	cfg.textlen = strlen(oc);
	unsigned line, col;
	if (json5_parse(cfg.text, cfg.textlen, &cfg.doc, &line, &col) < 0) {
		r->errors = 1;
		r->first = strdup("does not parse");
		config_free(&cfg);
		return;
	}
	cfg.root = cfg.doc.root;
	if (claw != NULL) {
		cfg.claw_source = strdup("claw.json");
		cfg.claw_path = strdup("claw.json");
		cfg.claw_text = strdup(claw);
		if (config_parse_claw("claw.json", claw, &cfg.claw_doc) < 0)
			abort();
	}
	struct schema_input in = { cfg.doc.root, cfg.claw_doc.root, cfg.path, cfg.claw_path,
		                   where_in, &cfg };
	schema_check(&in, &cfg.problems);
	for (size_t i = 0; i < cfg.problems.n; i++) {
		const struct cfg_problem *p = &cfg.problems.v[i];
		if (p->warning) {
			r->warnings++;
			continue;
		}
		if (r->errors++ == 0)
			r->first = xasprintf("%s: %s", p->path, p->message);
		if (want_path && strcmp(p->path, want_path) == 0 && strstr(p->message, want))
			r->found = 1;
	}
	config_free(&cfg);
}

static void fail(const char *path, const char *what, const char *text, const struct result *r)
{
	failures++;
	fprintf(stderr, "%s: %s\n  config: %s\n  first error: %s\n", path, what, text,
	        r->first ? r->first : "(none)");
}

/* ---- the keys of OpenClaw's table ---- */

/*
 * A value of a type row IDX does not take (the caller owns it), or NULL when
 * it takes every type and no constant is wrong for it.
 */
static cJSON *invalid_value(unsigned idx)
{
	unsigned types = T->nodes[idx].types;
	const struct schema_node *n = &T->nodes[idx];

	for (unsigned i = 0; i < n->nalts; i++)
		types = i == 0 ? T->nodes[T->lists[n->alts]].types
		               : types | T->nodes[T->lists[n->alts + i]].types;
	for (unsigned i = 0; i < n->nall; i++)
		types &= T->nodes[T->lists[n->all + i]].types;
	if (!(types & S_OBJ))
		return cJSON_CreateObject();
	if (!(types & S_STR))
		return cJSON_CreateString("zz-invalid");
	if (!(types & (S_NUM | S_INT)))
		return cJSON_CreateNumber(7);
	if (!(types & S_ARR))
		return cJSON_CreateArray();
	if (!(types & S_BOOL))
		return cJSON_CreateTrue();
	return NULL;
}

static char *print(const cJSON *root)
{
	return cJSON_PrintUnformatted(root);
}

/*
 * The key NAME of the object PARENT (of row PARENT_IDX, at PARENT_PATH) in
 * the config ROOT, of row IDX: its three checks.
 */
static void check_key(cJSON *root, cJSON *parent, unsigned parent_idx, const char *parent_path,
                      const char *name, unsigned idx, const char *path, bool lenient)
{
	struct result r;
	char *text;
	cJSON *v = valid_value(idx, 0), *bad;

	keys++;
	if (verbose)
		printf("%s\n", path);
	if (v == NULL) {
		no_valid++;
		return;
	}
	cJSON_AddItemToObject(parent, name, v);
	text = print(root);
	check_text(text, NULL, NULL, NULL, &r);
	if (r.errors)
		fail(path, "a valid value is refused", text, &r);
	free(text);
	free(r.first);
	if (lenient) { /* another alternative above takes any object: nothing is refused */
		lenient_keys++;
		cJSON_DeleteItemFromObjectCaseSensitive(parent, name);
		return;
	}
	if (T->nodes[parent_idx].flags & SF_CLOSED) {
		char *upath = parent_path[0] ? xasprintf("%s.%s", parent_path, UNKNOWN)
		                             : xstrdup(UNKNOWN);
		cJSON_AddItemToObject(parent, UNKNOWN, cJSON_CreateTrue());
		text = print(root);
		check_text(text, NULL, upath, "unknown key \"" UNKNOWN "\"", &r);
		if (r.found && r.errors == 1)
			refused_sibling++;
		else
			fail(path, "an unknown sibling is not refused as it should be", text, &r);
		cJSON_DeleteItemFromObjectCaseSensitive(parent, UNKNOWN);
		free(text);
		free(r.first);
		free(upath);
	}
	if ((bad = invalid_value(idx)) != NULL) {
		cJSON_ReplaceItemInObjectCaseSensitive(parent, name, bad);
		text = print(root);
		check_text(text, NULL, path, "expected ", &r);
		if (!r.found)
			check_text(text, NULL, path, "is not one of", &r);
		if (r.found && r.errors == 1)
			refused_value++;
		else
			fail(path, "a value of the wrong type is not refused at the key", text, &r);
		free(text);
		free(r.first);
	} else {
		no_invalid++;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(parent, name);
}

/* The object row a value of row IDX may be (itself, or an alternative), or 0. */
static unsigned object_row(unsigned idx)
{
	const struct schema_node *n = &T->nodes[idx];

	if (idx == 0 || n->flags & SF_UNCHECKED)
		return 0;
	if (n->nalts == 0)
		return n->types == S_OBJ && n->nconsts == 0 && (n->nprops || n->extra) ? idx : 0;
	for (unsigned i = 0; i < n->nalts; i++)
		if (object_row(T->lists[n->alts + i]))
			return object_row(T->lists[n->alts + i]);
	return 0;
}

/* The row of a list's elements, when a value of row IDX may be a list: else 0. */
static unsigned list_items(unsigned idx)
{
	const struct schema_node *n = &T->nodes[idx];

	if (n->nalts == 0)
		return n->types == S_ARR ? n->items : 0;
	for (unsigned i = 0; i < n->nalts; i++)
		if (list_items(T->lists[n->alts + i]))
			return list_items(T->lists[n->alts + i]);
	return 0;
}

/* Whether a value of row IDX may be any object at all (an alternative says so). */
static bool takes_any_object(unsigned idx)
{
	const struct schema_node *n = &T->nodes[idx];

	if (idx == 0)
		return true;
	for (unsigned i = 0; i < n->nalts; i++)
		if (takes_any_object(T->lists[n->alts + i]))
			return true;
	return n->nalts == 0 && n->types & S_OBJ && !(n->flags & SF_CLOSED) && n->nreq == 0 &&
	       n->nconsts == 0 && (n->extra == 0 || T->nodes[n->extra].types == S_ANY);
}

static void walk_object(cJSON *root, cJSON *holder, unsigned idx, const char *path, int depth,
                        bool lenient);

/* Goes into member NAME of HOLDER, of row IDX at PATH: an object's keys, a list's element's. */
static void descend(cJSON *root, cJSON *holder, const char *name, unsigned idx, const char *path,
                    int depth, bool lenient)
{
	unsigned obj = object_row(idx), items = list_items(idx);

	if (depth > MAX_DEPTH)
		return;
	if (obj) {
		cJSON *inner = cJSON_AddObjectToObject(holder, name);
		walk_object(root, inner, obj, path, depth, lenient || takes_any_object(idx));
	} else if (items && object_row(items)) {
		cJSON *list = cJSON_AddArrayToObject(holder, name), *elem = cJSON_CreateObject();
		char *sub = xasprintf("%s[0]", path);
		cJSON_AddItemToArray(list, elem);
		walk_object(root, elem, object_row(items), sub, depth,
		            lenient || takes_any_object(items));
		free(sub);
	} else {
		return;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(holder, name);
}

/*
 * Each member of the object row IDX at PATH, the object itself made as
 * HOLDER. LENIENT: an alternative above takes any object, so a wrong key
 * below is no error.
 */
static void walk_object(cJSON *root, cJSON *holder, unsigned idx, const char *path, int depth,
                        bool lenient)
{
	const struct schema_node *n = &T->nodes[idx];

	/* The required members stay, so that only the key under test is wrong. */
	cJSON *req = valid_object(n, depth);
	if (req == NULL)
		return;
	for (cJSON *m = req->child; m; m = m->next)
		cJSON_AddItemToObject(holder, m->string, cJSON_Duplicate(m, 1));
	cJSON_Delete(req);
	for (unsigned i = 0; i < n->nprops; i++) {
		const char *name = T->text + T->props[n->props + i].name;
		unsigned child = T->props[n->props + i].node;
		char *sub = path[0] ? xasprintf("%s.%s", path, name) : xstrdup(name);
		cJSON *saved = cJSON_DetachItemFromObjectCaseSensitive(holder, name);
		if (!(T->nodes[child].flags & SF_UNCHECKED)) {
			check_key(root, holder, idx, path, name, child, sub, lenient);
			descend(root, holder, name, child, sub, depth + 1, lenient);
		}
		if (saved)
			cJSON_AddItemToObject(holder, name, saved);
		free(sub);
	}
	if (n->extra != 0 && !(n->flags & SF_CLOSED)) {
		const char *key = map_key(n);
		if (key == NULL)
			return;
		char *sub = xasprintf("%s.%s", path, key);
		check_key(root, holder, idx, path, key, n->extra, sub, lenient);
		descend(root, holder, key, n->extra, sub, depth + 1, lenient);
		free(sub);
	}
}

/* ---- claw's keys ---- */

static const char *const scopes[] = { "agents.defaults", "agents.list[0]", "agents.entries.a" };

/* TEXT with VALUE at the dotted PATH ("agents.list[0]" makes the list, with id "a"). */
static cJSON *config_with(const char *path, cJSON *value)
{
	cJSON *root = cJSON_CreateObject(), *node = root;
	char *copy = xstrdup(path), *save = NULL;

	for (char *seg = strtok_r(copy, ".", &save); seg; seg = strtok_r(NULL, ".", &save)) {
		bool last = save == NULL || *save == '\0';
		if (strcmp(seg, "list[0]") == 0) {
			cJSON *list = cJSON_AddArrayToObject(node, "list");
			cJSON *entry = cJSON_CreateObject();
			cJSON_AddStringToObject(entry, "id", "a");
			cJSON_AddItemToArray(list, entry);
			node = entry;
			continue;
		}
		if (last) {
			cJSON_AddItemToObject(node, seg, value);
			break;
		}
		cJSON *next = cJSON_GetObjectItemCaseSensitive(node, seg);
		node = next ? next : cJSON_AddObjectToObject(node, seg);
	}
	free(copy);
	return root;
}

static cJSON *claw_valid(const struct claw_key *k)
{
	switch (k->type) {
	case CK_BOOL:
		return cJSON_CreateTrue();
	case CK_NUMBER:
		return cJSON_CreateNumber(k->max);
	case CK_STRING:
		return cJSON_CreateString("x");
	case CK_ENUM:
		return cJSON_CreateString(k->choices[0]);
	case CK_STRINGS:
		return cJSON_CreateStringArray((const char *[]){ "x" }, 1);
	}
	return NULL;
}

static cJSON *claw_invalid(const struct claw_key *k)
{
	return k->type == CK_STRING || k->type == CK_ENUM ? cJSON_CreateNumber(1)
	                                                  : cJSON_CreateString("zz-invalid");
}

/* One claw key at PATH: valid in claw.json, a warning in openclaw.json, refused when wrong. */
static void check_claw_key(const struct claw_key *k, const char *path, const char *oc_base)
{
	struct result r;
	cJSON *cfg = config_with(path, claw_valid(k));
	char *claw = print(cfg);
	char *parent = xstrndup(path, (size_t)(strrchr(path, '.') - path));
	char *upath = xasprintf("%s.%s", parent, UNKNOWN);

	keys++;
	if (verbose)
		printf("claw: %s\n", path);
	check_text(oc_base, claw, NULL, NULL, &r);
	if (r.errors)
		fail(path, "a valid value in claw.json is refused", claw, &r);
	free(r.first);
	check_text(claw, NULL, NULL, NULL, &r);
	if (r.errors || r.warnings == 0)
		fail(path, "in openclaw.json it should work, with a warning", claw, &r);
	free(r.first);
	free(claw);
	cJSON_Delete(cfg);

	cfg = config_with(path, claw_invalid(k));
	claw = print(cfg);
	check_text(oc_base, claw, path, "expected ", &r);
	if (r.found && r.errors == 1)
		refused_value++;
	else
		fail(path, "a wrong value in claw.json is not refused at the key", claw, &r);
	free(r.first);
	free(claw);
	cJSON_Delete(cfg);

	cfg = config_with(upath, cJSON_CreateTrue());
	claw = print(cfg);
	check_text(oc_base, claw, upath, "unknown key \"" UNKNOWN "\"", &r);
	if (r.found)
		refused_sibling++;
	else
		fail(path, "an unknown sibling in claw.json is not refused", claw, &r);
	free(r.first);
	free(claw);
	cJSON_Delete(cfg);
	free(parent);
	free(upath);
}

static void check_claw_keys(void)
{
	/* openclaw.json names the agent "a" that claw.json's agents.list[0] and agents.entries.a set. */
	const char *oc = "{\"agents\":{\"list\":[{\"id\":\"a\"}]}}";

	for (size_t i = 0; i < claw_nkeys; i++) {
		const struct claw_key *k = &claw_keys[i];
		if (k->scope == CK_ROOT) {
			check_claw_key(k, k->path, oc);
			continue;
		}
		for (size_t s = 0; s < NELEM(scopes); s++) {
			char *path = xasprintf("%s.%s", scopes[s], k->path);
			check_claw_key(k, path, oc);
			free(path);
		}
	}
}

int main(int argc, char **argv)
{
	cJSON *root = cJSON_CreateObject();

	verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	walk_object(root, root, T->root, "", 0, false);
	cJSON_Delete(root);
	check_claw_keys();
	printf("%u keys: %u unknown siblings refused, %u wrong values refused; "
	       "%u without a valid value to try, %u that take any type, %u under an "
	       "alternative that takes any object; %u failures\n",
	       keys, refused_sibling, refused_value, no_valid, no_invalid, lenient_keys, failures);
	return failures ? 1 : 0;
}
