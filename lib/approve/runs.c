/* runs.c: the files a segment runs besides its program (see runs.h). */
#include "approve/runs.h"

#include <ctype.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/execpath.h"
#include "core/fsutil.h"
#include "core/util.h"

#define MAKEFILE_MAX  ((size_t)1024 * 1024)
#define INCLUDE_DEPTH 4
#define MODULE_DIRS   8

static int cannot(struct runs *o, const char *why)
{
	if (o->why == NULL)
		o->why = why;
	return -1;
}

/* WORD (relative to DIR) as a file that runs: hashed and kept once. OPTIONAL: missing is fine. */
static int add_file(struct runs *o, const char *word, const char *dir, bool optional)
{
	struct exec_file f;

	if (exec_resolve_file(word, dir, &f) < 0 || !f.found)
		return optional ? 0 : cannot(o, "a file it runs does not exist");
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->r[i].path, f.path) == 0)
			return 0;
	if (o->n == RUNS_MAX)
		return cannot(o, "it runs more files than claw binds");
	struct run *r = &o->r[o->n];
	if (exec_sha256(&f, r->sha256) < 0)
		return cannot(o, "a file it runs cannot be read");
	snprintf(r->path, sizeof(r->path), "%s", f.path);
	o->n++;
	return 0;
}

/* ---- make ---- */

static int add_makefile(struct runs *o, const char *word, const char *dir, bool optional,
                        int depth);

/* One `include`, `-include` or `sinclude` line's names (LIST), relative to DIR. */
static int add_includes(struct runs *o, char *list, const char *dir, bool optional, int depth)
{
	for (char *save = NULL, *w = strtok_r(list, " \t", &save); w != NULL;
	     w = strtok_r(NULL, " \t", &save)) {
		if (strpbrk(w, "$*?[%") != NULL)
			return cannot(o, "a makefile includes a name made when make runs");
		if (add_makefile(o, w, dir, optional, depth + 1) < 0)
			return -1;
	}
	return 0;
}

/* The include lines of TEXT (continuations joined; recipe lines, which start with a tab, skipped).
 */
static int scan_makefile(struct runs *o, char *text, const char *dir, int depth)
{
	for (char *line = text, *next; line != NULL && *line; line = next) {
		next = strchr(line, '\n');
		while (next != NULL && next > line && next[-1] == '\\') {
			next[-1] = ' ', next[0] = ' ';
			next = strchr(next, '\n');
		}
		if (next != NULL)
			*next++ = '\0';
		if (line[0] == '\t')
			continue;
		char *p = line + strspn(line, " ");
		bool optional = *p == '-' || strncmp(p, "sinclude", 8) == 0;
		p += *p == '-' ? 1 : *p == 's' ? 1 : 0;
		if (strncmp(p, "include", 7) != 0 || (p[7] != ' ' && p[7] != '\t'))
			continue;
		char *hash = strchr(p + 7, '#');
		if (hash != NULL)
			*hash = '\0';
		if (add_includes(o, p + 7, dir, optional, depth) < 0)
			return -1;
	}
	return 0;
}

static int add_makefile(struct runs *o, const char *word, const char *dir, bool optional, int depth)
{
	struct exec_file f;
	char *text;
	size_t len;

	if (depth > INCLUDE_DEPTH)
		return cannot(o, "makefiles include each other deeper than claw follows");
	if (exec_resolve_file(word, dir, &f) < 0 || !f.found)
		return optional
		           ? 0
		           : cannot(o, "a makefile it reads does not exist (make may make it)");
	if (add_file(o, f.path, dir, false) < 0)
		return -1;
	if (read_file(f.path, MAKEFILE_MAX, &text, &len) < 0)
		return cannot(o, "a makefile it reads cannot be read");
	int rc = scan_makefile(o, text, dir, depth);
	free(text);
	return rc;
}

/* ---- python -m ---- */

/* OUT = DIR/REL SUFFIX; false when it would not fit. */
static bool place(char *out, size_t size, const char *dir, const char *rel, const char *suffix)
{
	int n = snprintf(out, size, "%s/%s%s", dir, rel, suffix);

	return n > 0 && (size_t)n < size;
}

/* "3.11" from an interpreter named python3.11 (its real name), or "" when it does not say. */
static void python_version(const struct seg_report *s, char *out, size_t size)
{
	const char *base = strrchr(s->file.real, '/');

	base = base ? base + 1 : s->file.real;
	out[0] = '\0';
	if (strncmp(base, "python", 6) == 0 && isdigit((unsigned char)base[6]) &&
	    strchr(base + 6, '.') != NULL)
		snprintf(out, size, "%s", base + 6);
}

/* Where python looks for a module, in its order: the working directory first. */
static int module_dirs(const struct seg_report *s, const char *cwd, char dirs[][PATH_MAX])
{
	char v[16], venv[PATH_MAX], cfg[PATH_MAX + 16], lib[64];
	const char *home = getenv("HOME");
	struct stat st;
	int n = 0;

	python_version(s, v, sizeof(v));
	snprintf(dirs[n++], PATH_MAX, "%s", cwd);
	/* A virtualenv's interpreter: <venv>/bin/python3, with <venv>/pyvenv.cfg. */
	snprintf(venv, sizeof(venv), "%s", s->file.path);
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(venv, '/');
		if (slash != NULL)
			*slash = '\0';
	}
	snprintf(cfg, sizeof(cfg), "%s/pyvenv.cfg", venv);
	snprintf(lib, sizeof(lib), "lib/python%s/site-packages", v);
	if (v[0] && stat(cfg, &st) == 0 && place(dirs[n], PATH_MAX, venv, lib, ""))
		n++;
	snprintf(lib, sizeof(lib), ".local/lib/python%s/site-packages", v);
	if (v[0] && home != NULL && place(dirs[n], PATH_MAX, home, lib, ""))
		n++;
	if (v[0]) {
		snprintf(dirs[n++], PATH_MAX, "/usr/local/lib/python%s/dist-packages", v);
		snprintf(dirs[n++], PATH_MAX, "/usr/lib/python3/dist-packages");
		snprintf(dirs[n++], PATH_MAX, "/usr/lib/python%s", v);
		snprintf(dirs[n++], PATH_MAX, "/usr/lib/python%s/lib-dynload", v);
	}
	return n;
}

static bool exists(const char *dir, const char *rel, const char *suffix, char *out)
{
	struct stat st;

	return place(out, PATH_MAX, dir, rel, suffix) && stat(out, &st) == 0;
}

/*
 * The module or package NAME in DIR, the last of a dotted name when LAST:
 * 1 found (its files added, *PKG its directory when a package), 0 not
 * there, -1 failed.
 */
static int module_in(struct runs *o, const char *dir, const char *name, bool last, char *pkg)
{
	char path[PATH_MAX], pattern[PATH_MAX + 8];
	glob_t g;

	pkg[0] = '\0';
	if (exists(dir, name, "/__init__.py", path)) {
		if (add_file(o, path, dir, false) < 0)
			return -1;
		if (last && exists(dir, name, "/__main__.py", path) &&
		    add_file(o, path, dir, false) < 0)
			return -1;
		return place(pkg, PATH_MAX, dir, name, "") ? 1
		                                           : cannot(o, "a path too long for claw");
	}
	if (exists(dir, name, ".py", path))
		return add_file(o, path, dir, false) < 0 ? -1 : 1;
	if (place(pattern, sizeof(pattern), dir, name, ".*.so") &&
	    glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc > 0) {
		int rc = add_file(o, g.gl_pathv[0], dir, false) < 0 ? -1 : 1;
		globfree(&g);
		return rc;
	}
	if (exists(dir, name, "", path))
		return cannot(o, "the module is a namespace package (a tree, not a file)");
	return 0;
}

/*
 * python -m NAME as Python finds it: the first part of a dotted name along
 * the search path (a json.py in the working directory hides the json
 * package, and runs), the rest inside the package found.
 */
static int add_module(struct runs *o, const struct seg_report *s, const char *name, const char *cwd)
{
	char dirs[MODULE_DIRS][PATH_MAX], part[NAME_MAX + 1], pkg[PATH_MAX], in[PATH_MAX];
	int n = module_dirs(s, cwd, dirs), rc = 0;
	const char *p = name;

	if (strncmp(s->model.name ? s->model.name : "", "python", 6) != 0)
		return cannot(o, "it runs a module claw cannot find");
	for (bool top = true; *p; top = false) {
		size_t len = strcspn(p, ".");
		if (len == 0 || len > NAME_MAX)
			return cannot(o, "it runs a module claw cannot find");
		snprintf(part, sizeof(part), "%.*s", (int)len, p);
		p += len + (p[len] == '.');
		for (int i = 0; top && i < n && rc == 0; i++)
			rc = module_in(o, dirs[i], part, *p == '\0', pkg);
		if (!top)
			rc = in[0] ? module_in(o, in, part, *p == '\0', pkg) : 0;
		if (rc <= 0)
			return rc < 0 ? -1 : cannot(o, "it runs a module claw cannot find");
		if (*p && pkg[0] == '\0')
			return cannot(o,
			              "the module's parent is not a package (it runs, then fails)");
		snprintf(in, sizeof(in), "%s", pkg);
		rc = 0;
	}
	return 0;
}

/* ---- all of them ---- */

static int add_model_path(struct runs *o, const struct seg_report *s, const struct model_path *p,
                          const char *cwd)
{
	char dir[PATH_MAX];

	if (p->use == MODEL_STDIN)
		return cannot(o, "it runs code read from its standard input");
	if (p->use == MODEL_MODULE)
		return add_module(o, s, p->path, cwd);
	if (p->use != MODEL_SCRIPT)
		return 0;
	if (p->base != NULL && path_join(cwd, p->base, dir, sizeof(dir)) < 0)
		return cannot(o, "a path too long for claw");
	const char *in = p->base ? dir : cwd;
	if (s->model.name != NULL && strcmp(s->model.name, "make") == 0)
		return add_makefile(o, p->path, in, p->implied, 0);
	return add_file(o, p->path, in, p->implied);
}

int runs_of(const struct seg_report *s, const char *cwd, struct runs *out)
{
	out->n = 0;
	out->why = NULL;
	if (s->after_cd)
		return cannot(out, "after a cd, where its names lead is not known");
	if (s->script_set && add_file(out, s->script.path, cwd, false) < 0)
		return -1;
	for (int i = 0; i < s->model.npaths; i++)
		if (add_model_path(out, s, &s->model.paths[i], cwd) < 0)
			return -1;
	return 0;
}

/* ---- bindings ---- */

static bool same_argv(const cJSON *bound, char *const *argv, int argc)
{
	const cJSON *a;
	int i = 0;

	cJSON_ArrayForEach(a, bound)
	{
		if (i >= argc || !cJSON_IsString(a) || strcmp(a->valuestring, argv[i]) != 0)
			return false;
		i++;
	}
	return i == argc;
}

static bool same_hash(const struct exec_file *f, const char *want)
{
	char hex[SHA256_HEX];

	return want != NULL && exec_sha256(f, hex) == 0 && strcasecmp(hex, want) == 0;
}

/* Whether the entry recorded PATH with contents SHA (its runs[], or an older script member). */
static bool recorded(const struct allow_entry *e, const char *path, const char *sha)
{
	const cJSON *r;

	if (e->runs == NULL)
		return e->script != NULL && e->script_sha256 != NULL &&
		       strcmp(e->script, path) == 0 && strcasecmp(e->script_sha256, sha) == 0;
	cJSON_ArrayForEach(r, e->runs)
	{
		const char *p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "path"));
		const char *h = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "sha256"));
		if (p && h && strcmp(p, path) == 0 && strcasecmp(h, sha) == 0)
			return true;
	}
	return false;
}

static int recorded_count(const struct allow_entry *e)
{
	return e->runs != NULL ? cJSON_GetArraySize(e->runs) : e->script != NULL;
}

bool approve_binding_holds(const struct allow_entry *e, const struct seg_report *s, const char *cwd)
{
	struct runs *now;
	bool ok;

	if (!same_argv(e->argv, seg_argv(s), seg_argc(s)) ||
	    (e->cwd != NULL && strcmp(e->cwd, cwd) != 0) || !same_hash(&s->file, e->sha256))
		return false;
	now = xmalloc(sizeof(*now));
	ok = runs_of(s, cwd, now) == 0 && now->n == recorded_count(e);
	for (int i = 0; ok && i < now->n; i++)
		ok = recorded(e, now->r[i].path, now->r[i].sha256);
	free(now);
	return ok;
}
