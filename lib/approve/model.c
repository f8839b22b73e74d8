/*
 * model.c: the option-grammar engine and the verdict (see model.h and
 * model-int.h).
 *
 * The engine reads argv as getopt_long(3) does: short options cluster
 * (`-qx CMD` is -q, then -x with CMD), an option's argument is attached or
 * the next word, an optional one only attached, a long option may be any
 * unique prefix of its name (`--to-com=sh`), `--` ends the options, and
 * options and operands mix unless the program stops at its first operand.
 * Wherever the program would read a word differently from the table, or
 * fail, the engine does not guess: the segment needs a person.
 */
#include "approve/model-int.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/execpath.h"
#include "core/util.h"

/* ---- the spelling of options ---- */

enum arg_kind {
	ARG_NO,  /* -x, --long */
	ARG_REQ, /* -x VALUE, -xVALUE, --long VALUE, --long=VALUE */
	ARG_OPT, /* -xVALUE, --long=VALUE, or nothing */
	ARG_NUM, /* -x017, -x0x1f or nothing, and the cluster goes on (perl -lane) */
};

/* One name of an option group: "-x", "--long", with what follows it. */
struct spelling {
	const char *name; /* without dashes */
	size_t len;
	bool is_long;
	bool marked; /* the name carries its own argument marker */
	enum arg_kind arg;
};

/*
 * Reads the name at S (inside a group) into SP; returns the end of it. A
 * name without a marker takes the group's, the marker of its last name:
 * "-m|--message=" is -m and --message, both with an argument.
 */
static const char *read_spelling(const char *s, struct spelling *sp)
{
	sp->is_long = s[1] == '-';
	sp->name = s + (sp->is_long ? 2 : 1);
	sp->len = strcspn(sp->name, "=| ");
	const char *e = sp->name + sp->len;
	sp->arg = ARG_NO;
	sp->marked = *e == '=';
	if (*e == '=') {
		e++;
		sp->arg = ARG_REQ;
		if (*e == '?' || *e == '#') {
			sp->arg = *e == '?' ? ARG_OPT : ARG_NUM;
			e++;
		}
	}
	return e;
}

/* A group of names for one option, as it stands in a table string. */
struct group {
	const char *start;
	size_t len;
	const struct effect *e; /* its effect row, or NULL */
};

/* What a lookup found: the option's group and the name that matched. */
struct found {
	struct group g;
	struct spelling sp;
	int count; /* distinct groups that match as prefixes */
	bool exact;
};

/*
 * A row's option names, read once from its strings: a short option is one
 * array lookup, a long one a pass over the long names that share its first
 * letter's start. Rows are static, so the index lives as long as they do.
 */
struct optname {
	struct spelling sp;
	size_t group;
};

struct rowindex {
	const struct model *m;
	struct group *groups;
	size_t ngroups, capgroups;
	struct optname *longs;
	size_t nlongs, caplongs;
	int shorts[128]; /* index + 1 in shortnames of each short option, 0: none */
	struct optname shortnames[128];
	int nshorts;
};

static void index_group(struct rowindex *ix, const char *start, size_t len, const struct effect *e)
{
	struct group g = { start, len, e };
	struct spelling sp = { 0 };
	enum arg_kind last = ARG_NO;
	size_t gi = ix->ngroups;

	ALLOC_GROW(ix->groups, ix->ngroups + 1, ix->capgroups);
	ix->groups[ix->ngroups++] = g;
	/* The group's marker is its last name's. */
	for (const char *s = start; s < start + len;) {
		s = read_spelling(s, &sp);
		s += *s == '|';
	}
	last = sp.arg;
	for (const char *s = start; s < start + len;) {
		s = read_spelling(s, &sp);
		s += *s == '|';
		if (!sp.marked)
			sp.arg = last;
		if (!sp.is_long) {
			unsigned char c = (unsigned char)sp.name[0];
			if (sp.len == 1 && c < 128 && ix->shorts[c] == 0 && ix->nshorts < 128) {
				ix->shortnames[ix->nshorts] = (struct optname){ sp, gi };
				ix->shorts[c] = ++ix->nshorts;
			}
			continue;
		}
		ALLOC_GROW(ix->longs, ix->nlongs + 1, ix->caplongs);
		ix->longs[ix->nlongs++] = (struct optname){ sp, gi };
	}
}

static const struct rowindex *row_index(const struct model *m)
{
	static struct rowindex *slots[512];
	size_t h = ((uintptr_t)m >> 4) % NELEM(slots);

	while (slots[h] != NULL && slots[h]->m != m)
		h = (h + 1) % NELEM(slots);
	if (slots[h] != NULL)
		return slots[h];
	struct rowindex *ix = xcalloc(1, sizeof(*ix));
	ix->m = m;
	for (const char *s = m->plain; s != NULL && *s != '\0';) {
		s += strspn(s, " ");
		size_t len = strcspn(s, " ");
		if (len == 0)
			break;
		index_group(ix, s, len, NULL);
		s += len;
	}
	for (const struct effect *e = m->effects; e != NULL && e->spell != NULL; e++)
		index_group(ix, e->spell, strlen(e->spell), e);
	slots[h] = ix;
	return ix;
}

/*
 * The option NAME (N bytes) of M, as getopt_long finds it: a short one by
 * its letter; a long one by its exact name, else by the one group whose
 * name it is a prefix of (F->count > 1: several, which getopt refuses).
 */
static void each_group(const struct model *m, const char *name, size_t n, bool is_long,
                       struct found *f)
{
	const struct rowindex *ix = row_index(m);

	memset(f, 0, sizeof(*f));
	if (!is_long) {
		unsigned char c = (unsigned char)name[0];
		int k = c < 128 ? ix->shorts[c] : 0;
		if (k > 0) {
			const struct optname *o = &ix->shortnames[k - 1];
			f->g = ix->groups[o->group];
			f->sp = o->sp;
			f->exact = true;
			f->count = 1;
		}
		return;
	}
	for (size_t i = 0; i < ix->nlongs; i++) {
		const struct optname *o = &ix->longs[i];
		if (o->sp.name[0] != name[0] || n > o->sp.len || strncmp(o->sp.name, name, n) != 0)
			continue;
		if (n == o->sp.len) {
			f->g = ix->groups[o->group];
			f->sp = o->sp;
			f->exact = true;
			f->count = 1;
			return;
		}
		if (f->count == 0 || f->g.start != ix->groups[o->group].start) {
			f->g = ix->groups[o->group];
			f->sp = o->sp;
			f->count++;
		}
	}
}

/* ---- the verdict ---- */

void mp_need(struct mparse *p, enum model_verdict v, const char *why)
{
	if (v > p->out->verdict) {
		p->out->verdict = v;
		p->out->why = why;
	}
}

void mp_inline(struct mparse *p, const char *why)
{
	if (!p->ctx->strict_inline_eval)
		return;
	if (p->out->verdict < MODEL_PERSON) {
		p->out->verdict = MODEL_PERSON;
		p->out->why = why;
		p->out->asked = "strict-inline-eval";
	}
}

/* ---- where a path leads ---- */

static bool git_component(const char *path)
{
	for (const char *s = path; (s = strchr(s, '/')) != NULL; s++)
		if (strncasecmp(s + 1, ".git", 4) == 0 && (s[5] == '/' || s[5] == '\0'))
			return true;
	return false;
}

static bool has_dotdot(const char *s)
{
	for (const char *p = s; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == s || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return true;
	return false;
}

bool mp_full_path(const struct mparse *p, const char *dir, const char *path, char out[PATH_MAX])
{
	const char *cwd = p->ctx->cwd;
	int n;

	if (dir == NULL)
		dir = p->base;
	if (path[0] == '/')
		n = snprintf(out, PATH_MAX, "%s", path);
	else if (dir != NULL && dir[0] == '/')
		n = snprintf(out, PATH_MAX, "%s/%s", dir, path);
	else if (dir != NULL)
		n = snprintf(out, PATH_MAX, "%s/%s/%s", cwd, dir, path);
	else
		n = snprintf(out, PATH_MAX, "%s/%s", cwd, path);
	return n > 0 && n < PATH_MAX;
}

/*
 * Where PATH leads, the way the kernel will follow it: the deepest part of
 * it that exists, by its real path (so `link/..` is the parent of the
 * link's target, not the directory holding the link), and the rest as
 * written. Fails for a dangling symlink (writing through one creates its
 * target, wherever that is) and for `..` below a part that does not exist.
 */
static bool kernel_path(const struct mparse *p, const char *path, char out[PATH_MAX])
{
	char raw[PATH_MAX], cut[PATH_MAX];

	if (!mp_full_path(p, NULL, path, raw))
		return false;
	memcpy(cut, raw, strlen(raw) + 1);
	for (size_t len = strlen(raw);;) {
		struct stat st;
		if (lstat(cut, &st) == 0) {
			char real[PATH_MAX];
			const char *rest = raw + len;
			if (realpath(cut, real) == NULL || has_dotdot(rest))
				return false;
			return path_join(real, rest[0] == '/' ? rest + 1 : rest, out, PATH_MAX) ==
			       0;
		}
		char *slash = strrchr(cut, '/');
		if (slash == NULL)
			return false;
		len = (size_t)(slash - cut);
		if (len == 0) {
			cut[0] = '/';
			cut[1] = '\0';
			len = 1;
		} else {
			*slash = '\0';
		}
	}
}

/* The system's temporary directories, by their real paths: places anyone may write. */
static bool temporary(const char *real)
{
	static char tmp[2][PATH_MAX];
	static bool done;

	if (!done) {
		if (realpath("/tmp", tmp[0]) == NULL)
			tmp[0][0] = '\0';
		if (realpath("/var/tmp", tmp[1]) == NULL)
			tmp[1][0] = '\0';
		done = true;
	}
	for (size_t i = 0; i < NELEM(tmp); i++)
		if (tmp[i][0] != '\0' && path_within(real, tmp[i]) && strcmp(real, tmp[i]) != 0)
			return true;
	return false;
}

/*
 * True when PATH, as the kernel will follow it, lies in the working
 * directory, or, when TMP, below /tmp or /var/tmp (where anyone may make
 * files: `tar -xf a.tar -C /tmp/x`).
 */
static bool inside(const struct mparse *p, const char *path, bool tmp, bool *git_dir)
{
	char real[PATH_MAX];

	*git_dir = git_component(path);
	if (!kernel_path(p, path, real))
		return false;
	*git_dir |= git_component(real);
	struct model_cwd *cwd = p->ctx->real;
	if (!cwd->done) {
		if (realpath(p->ctx->cwd, cwd->path) == NULL)
			cwd->path[0] = '\0';
		cwd->done = true;
	}
	return (cwd->path[0] != '\0' && path_within(real, cwd->path)) || (tmp && temporary(real));
}

static bool relative_after_cd(const struct mparse *p, const char *path)
{
	return !p->ctx->cwd_known && path[0] != '/' && (p->base == NULL || p->base[0] != '/');
}

/* A path written to, removed or replaced must stay in the working directory. */
/* A regular file with more than one name: a write through this one reaches all. */
static bool hard_linked(const struct mparse *p, const char *path)
{
	char full[PATH_MAX];
	struct stat st;

	return mp_full_path(p, NULL, path, full) && stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
	       st.st_nlink > 1;
}

static void check_write(struct mparse *p, enum model_use use, const char *path)
{
	bool git_dir = false;

	if (use == MODEL_WRITE || use == MODEL_OVERWRITE) {
		if (strcmp(path, "/dev/null") == 0)
			return;
	}
	if (relative_after_cd(p, path)) {
		mp_need(p, MODEL_EXACT, "a path relative to a directory a cd changed");
		return;
	}
	/* Below /tmp a segment may make new files, never remove or replace any. */
	if (!inside(p, path, use == MODEL_WRITE, &git_dir))
		mp_need(p, MODEL_EXACT,
		        use == MODEL_WRITE ? "writes a file outside the working directory"
		                           : "deletes or replaces a file outside the working "
		                             "directory");
	else if (git_dir)
		mp_need(p, MODEL_EXACT,
		        "writes into a .git directory (git runs the hooks and config there)");
	else if (use != MODEL_DELETE && hard_linked(p, path))
		mp_need(p, MODEL_EXACT,
		        "writes a file with other hard links (writing it writes them, wherever "
		        "they are)");
}

static void add_path(struct mparse *p, enum model_use use, enum model_recover r, bool tree, int arg,
                     const char *path, const char *what)
{
	struct model_report *o = p->out;

	if (o->npaths == MODEL_MAX_PATHS) {
		o->complete = false;
		return;
	}
	o->paths[o->npaths++] = (struct model_path){
		.use = use,
		.recover = r,
		.tree = tree,
		.implied = arg < 0,
		.arg = arg,
		.path = path,
		.base = p->base,
		.what = what,
	};
}

/* ---- what the trash can keep (keep.h plans it) ---- */

enum where {
	K_NAMED,   /* a path the command line names */
	K_IMPLIED, /* a path the program takes without being told (git's ".") */
	K_ANY,
};

/*
 * The losses the trash can take, one row per program (NULL: any program),
 * first match wins. A row that is not here is not recoverable: find -delete
 * and rsync --delete pick what they remove as they go, tar --remove-files
 * must read what it removes, git stash drop loses a commit, shred exists to
 * leave nothing behind.
 */
static const struct keep_row keep_rows[] = {
	{ "rm", NULL, MODEL_DELETE, K_NAMED, true, KEEP_MOVE,
	  "rm removes exactly what it names: moved first, an empty stand-in is what it removes" },
	{ "rmdir", NULL, MODEL_DELETE, K_NAMED, false, KEEP_MOVE,
	  "rmdir removes only an empty directory: there is nothing to lose" },
	{ "unlink", NULL, MODEL_DELETE, K_NAMED, false, KEEP_MOVE,
	  "unlink removes the one file it names" },
	{ "git", "rm", MODEL_DELETE, K_NAMED, false, KEEP_MOVE,
	  "git rm -f removes the file it names; with -r it would leave untracked files, which a "
	  "move of the tree would not" },
	{ "git", "clean", MODEL_DELETE, K_ANY, true, KEEP_GIT_CLEAN,
	  "git clean -n with the same options lists what git clean removes" },
	{ "git", "reset", MODEL_OVERWRITE, K_IMPLIED, true, KEEP_GIT_CHANGES,
	  "back to HEAD, git reset --hard loses only what git diff HEAD lists" },
	{ "git", "checkout", MODEL_OVERWRITE, K_IMPLIED, true, KEEP_GIT_CHANGES,
	  "git checkout -f alone loses only what git diff HEAD lists" },
	{ NULL, NULL, MODEL_OVERWRITE, K_NAMED, true, KEEP_COPY,
	  "a program that replaces or rewrites a file it names loses only its old contents" },
};

const struct keep_row *keep_row_find(const char *name, const char *sub, enum model_use use,
                                     bool implied, bool tree)
{
	for (size_t i = 0; i < NELEM(keep_rows); i++) {
		const struct keep_row *r = &keep_rows[i];
		if (r->name != NULL && (name == NULL || strcmp(r->name, name) != 0))
			continue;
		if (r->sub != NULL && (sub == NULL || strcmp(r->sub, sub) != 0))
			continue;
		if (r->use != use || (r->where != K_ANY && (r->where == K_IMPLIED) != implied))
			continue;
		return tree && !r->trees ? NULL : r;
	}
	return NULL;
}

bool keep_known(const char *name, const char *sub, enum model_use use, bool implied)
{
	return keep_row_find(name, sub, use, implied, false) != NULL;
}

void mp_path(struct mparse *p, enum model_use use, int arg, const char *path, const char *what)
{
	add_path(p, use, RECOVER_NONE, false, arg, path, what);
	if (use == MODEL_WRITE)
		check_write(p, use, path);
}

void mp_destroy(struct mparse *p, enum model_use use, enum model_recover r, bool tree, int arg,
                const char *path, const char *what)
{
	add_path(p, use, r, tree, arg, path, what);
	check_write(p, use, path);
	/* With the trash on, what it keeps is no loss: the program's trade or not. */
	if (p->m->destroys || (p->ctx->trash && r == RECOVER_TRASH &&
	                       keep_known(p->m->name, p->m->sub, use, arg < 0)))
		return;
	mp_need(p, MODEL_EXACT, what);
}

void mp_rewrite(struct mparse *p, int arg, const char *path, const char *what)
{
	add_path(p, MODEL_OVERWRITE, RECOVER_TRASH, false, arg, path, what);
	check_write(p, MODEL_OVERWRITE, path);
}

void mp_read_value(struct mparse *p, int arg, const char *path, const char *why)
{
	bool git_dir;

	mp_path(p, MODEL_READ, arg, path, why);
	if (relative_after_cd(p, path) || !inside(p, path, false, &git_dir))
		mp_need(p, MODEL_EXACT, why);
}

void mp_operands(struct mparse *p, int from, enum model_use use, const char *what)
{
	for (int i = from; i < p->noperand; i++) {
		int a = p->operand[i];
		if (use == MODEL_DELETE)
			mp_destroy(p, use, RECOVER_TRASH, false, a, p->argv[a], what);
		else if (use == MODEL_OVERWRITE)
			mp_rewrite(p, a, p->argv[a], what);
		else
			mp_path(p, use, a, p->argv[a], what);
	}
}

const struct occ *mp_option(const struct mparse *p, const char *name)
{
	const struct occ *hit = NULL;
	size_t n = strlen(name);

	for (int i = 0; i < p->nocc; i++) {
		const struct occ *o = &p->occ[i];
		for (const char *s = o->spell; s < o->spell + o->spell_len;) {
			const char *start = s;
			struct spelling sp;
			s = read_spelling(s, &sp);
			size_t len = (size_t)(sp.name + sp.len - start);
			if (*s == '|')
				s++;
			if (len == n && strncmp(start, name, n) == 0 && !o->negated)
				hit = o;
		}
	}
	return hit;
}

/* ---- reading argv ---- */

/* What an option's effect adds to the report. */
static void apply(struct mparse *p, const struct occ *o)
{
	const struct effect *e = o->e;

	if (e == NULL || o->negated)
		return;
	if (e->flags & F_INLINE)
		mp_inline(p, e->why);
	switch (e->eff) {
	case E_READ:
		if (o->value != NULL)
			mp_read_value(p, o->value_arg, o->value, e->why);
		break;
	case E_WRITE:
	case E_OVERWRITE:
		/* An option that makes a reader write a file (sort -o, git --output,
		 * find -fprint) is never what the allow list let it in for. */
		if (o->value != NULL)
			add_path(p, e->eff == E_WRITE ? MODEL_WRITE : MODEL_OVERWRITE,
			         e->eff == E_WRITE ? RECOVER_NONE : RECOVER_TRASH, false,
			         o->value_arg, o->value, e->why);
		mp_need(p, MODEL_EXACT, e->why);
		break;
	case E_SCRIPT:
		if (o->value != NULL)
			mp_path(p, MODEL_SCRIPT, o->value_arg, o->value, e->why);
		break;
	case E_MODULE:
		if (o->value != NULL)
			mp_path(p, MODEL_MODULE, o->value_arg, o->value, e->why);
		mp_inline(p, e->why);
		break;
	case E_INLINE:
		mp_inline(p, e->why);
		break;
	case E_STDIN:
		mp_path(p, MODEL_STDIN, -1, "-", e->why);
		mp_inline(p, e->why);
		break;
	case E_RUN:
	case E_SYSTEM:
	case E_ASK:
		mp_need(p, MODEL_EXACT, e->why);
		break;
	case E_CHDIR:
		if (o->value == NULL)
			break;
		if (p->base != NULL && o->value[0] != '/')
			mp_need(p, MODEL_EXACT, "several -C options (claw follows one)");
		p->base = o->value;
		break;
	default:
		break;
	}
}

static bool add_occ(struct mparse *p, const struct found *f, int arg, const char *value,
                    int value_arg, bool negated)
{
	if (p->nocc == MODEL_MAX_OCC) {
		mp_need(p, MODEL_EXACT, "more options than claw models");
		return false;
	}
	struct occ *o = &p->occ[p->nocc++];
	*o = (struct occ){ f->g.start, f->g.len, f->g.e, arg, value, value_arg, negated };
	apply(p, o);
	return true;
}

static bool add_operand(struct mparse *p, int i)
{
	if (p->noperand == MODEL_MAX_OPERANDS) {
		mp_need(p, MODEL_EXACT, "more operands than claw models");
		return false;
	}
	p->operand[p->noperand++] = i;
	return true;
}

static bool unknown(struct mparse *p, const char *why)
{
	mp_need(p, MODEL_EXACT, why);
	return false;
}

/* A long option at argv[*i]. Returns -1 (stop: the verdict says why), 0, or 1 for F_STOP. */
static int long_option(struct mparse *p, int *i)
{
	const char *a = p->argv[*i] + 2, *eq = strchr(a, '=');
	size_t n = eq ? (size_t)(eq - a) : strlen(a);
	bool negated = false;
	struct found f;

	each_group(p->m, a, n, true, &f);
	if (f.count == 0 && p->m->grammar == G_GIT && n > 3 && strncmp(a, "no-", 3) == 0) {
		each_group(p->m, a + 3, n - 3, true, &f);
		negated = true;
	}
	if (f.count == 0)
		return unknown(p, "an option the model does not know"), -1;
	if (f.count > 1)
		return unknown(p, "an abbreviation that fits several options"), -1;
	const char *value = NULL;
	int value_arg = *i;
	if (negated) {
		if (eq != NULL)
			return unknown(p, "a --no- option given a value"), -1;
	} else if (f.sp.arg == ARG_NO && eq != NULL) {
		return unknown(p, "an option given a value it does not take"), -1;
	} else if (eq != NULL) {
		value = eq + 1;
	} else if (f.sp.arg == ARG_REQ) { /* ARG_OPT and ARG_NUM: only with = */
		if (*i + 1 >= p->argc)
			return unknown(p, "an option without its value"), -1;
		value = p->argv[++*i];
		value_arg = *i;
	}
	if (!add_occ(p, &f, value_arg == *i && value == NULL ? *i : value_arg, value, value_arg,
	             negated))
		return -1;
	return f.g.e != NULL && (f.g.e->flags & F_STOP) && !negated ? 1 : 0;
}

static bool all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* A cluster of short options at argv[*i]; same returns as long_option(). */
static int short_options(struct mparse *p, int *i)
{
	const char *a = p->argv[*i];
	int at = *i;

	if (p->m->digits && all_digits(a + 1))
		return 0; /* -NUM: a count (git log -5, grep -3) */
	for (size_t k = 1; a[k] != '\0'; k++) {
		struct found f;
		each_group(p->m, a + k, 1, false, &f);
		if (f.count == 0)
			return unknown(p, "an option the model does not know"), -1;
		const char *value = NULL;
		int value_arg = at;
		if (f.sp.arg == ARG_REQ) {
			if (a[k + 1] != '\0') {
				value = a + k + 1;
			} else if (*i + 1 < p->argc) {
				value = p->argv[++*i];
				value_arg = *i;
			} else {
				return unknown(p, "an option without its value"), -1;
			}
		} else if (f.sp.arg == ARG_OPT && a[k + 1] != '\0') {
			value = a + k + 1;
		}
		if (!add_occ(p, &f, at, value, value_arg, false))
			return -1;
		if (f.g.e != NULL && (f.g.e->flags & F_STOP))
			return 1;
		if (f.sp.arg == ARG_NUM) {
			const char *n = a + k + 1;
			k += n[0] == 'x' ? 1 + strspn(n + 1, "0123456789abcdefABCDEF")
			                 : strspn(n, "0123456789");
			continue;
		}
		if (f.sp.arg != ARG_NO)
			break;
	}
	return 0;
}

/*
 * tar cvf ARCHIVE: the first word is a cluster without its dash, and the
 * values of its options are the words after it, in order. Returns the
 * index of the first word after them, or -1.
 */
static int old_style(struct mparse *p)
{
	const char *a = p->argv[1];
	int next = 2;

	for (size_t k = 0; a[k] != '\0'; k++) {
		struct found f;
		const char *value = NULL;
		int value_arg = 1;
		each_group(p->m, a + k, 1, false, &f);
		if (f.count == 0)
			return unknown(p, "an option the model does not know"), -1;
		if (f.sp.arg == ARG_REQ) {
			if (next >= p->argc)
				return unknown(p, "an option without its value"), -1;
			value = p->argv[next];
			value_arg = next++;
		}
		if (!add_occ(p, &f, 1, value, value_arg, false))
			return -1;
	}
	return next;
}

bool mp_parse(struct mparse *p, const struct model *m, int first)
{
	bool options = m->grammar != G_NONE;

	p->m = m;
	p->first = first;
	p->dashdash = -1;
	p->noperand = 0;
	for (int i = first; i < p->argc; i++) {
		const char *a = p->argv[i];
		if (!options || a[0] != '-' || a[1] == '\0') {
			if (!add_operand(p, i))
				return false;
			options &= m->grammar != G_POSIX;
			continue;
		}
		if (strcmp(a, "--") == 0 ||
		    (m->grammar == G_GIT && strcmp(a, "--end-of-options") == 0)) {
			options = false;
			if (a[2] == '\0')
				p->dashdash = p->noperand;
			continue;
		}
		int rc = a[1] == '-' ? long_option(p, &i) : short_options(p, &i);
		if (rc < 0)
			return false;
		if (rc > 0)
			options = false;
	}
	return true;
}

/* ---- rows ---- */

bool mp_word_in(const char *list, const char *word, size_t n)
{
	for (const char *s = list; s != NULL && *s != '\0';) {
		size_t len = strcspn(s, " ");
		if (len == n && strncmp(s, word, n) == 0)
			return true;
		s += len;
		s += strspn(s, " ");
	}
	return false;
}

/* python3.12 -> python3 -> python, node22 -> node: a version is not another program. */
static size_t unversioned_len(const char *name)
{
	size_t n = strlen(name);

	while (n > 1 && (isdigit((unsigned char)name[n - 1]) || name[n - 1] == '.'))
		n--;
	return n;
}

const struct model *model_row(const char *name, const char *sub)
{
	size_t n = strlen(name), u = unversioned_len(name);

	for (size_t i = 0; i < model_nrows; i++) {
		const struct model *m = &model_rows[i];
		if ((sub == NULL) != (m->sub == NULL) || (sub != NULL && strcmp(sub, m->sub) != 0))
			continue;
		if ((strlen(m->name) == n && strcmp(m->name, name) == 0) ||
		    mp_word_in(m->also, name, n))
			return m;
		if (u < n && ((strlen(m->name) == u && strncmp(m->name, name, u) == 0) ||
		              mp_word_in(m->also, name, u)))
			return m;
	}
	return NULL;
}

bool model_known(const char *name)
{
	return model_row(name, NULL) != NULL || strncmp(name, "git-", 4) == 0;
}

void model_judge(const struct model_ctx *ctx, const char *name, char *const *argv, int argc,
                 struct model_report *out)
{
	const struct model *m = model_row(name, NULL);
	struct mparse p;

	out->verdict = MODEL_NONE;
	out->name = out->sub = out->why = out->asked = NULL;
	out->sub_end = 0;
	out->npaths = 0;
	out->complete = true;
	if (m == NULL && strncmp(name, "git-", 4) == 0)
		m = model_row("git", NULL);
	if (m == NULL)
		return;
	p.ctx = ctx;
	p.out = out;
	p.argv = argv;
	p.argc = argc;
	p.nocc = 0;
	p.base = NULL;
	out->verdict = MODEL_PLAIN;
	out->name = m->name;
	if (m->grammar == G_NONE) {
		p.m = m;
		p.first = 1;
		p.noperand = 0;
		p.dashdash = -1;
		m->hook(&p);
		return;
	}
	int first = 1;
	p.m = m;
	if (m->oldstyle && argc > 1 && argv[1][0] != '-' && (first = old_style(&p)) < 0)
		return;
	if (!mp_parse(&p, m, first))
		return;
	if (m->hook != NULL)
		m->hook(&p);
	else if (m->operands == E_READ)
		mp_operands(&p, 0, MODEL_READ, "read");
	else if (m->operands == E_ASK && p.noperand > 0)
		mp_need(&p, MODEL_EXACT, "an operand the model does not know");
}

const char *model_inline_names(void)
{
	static struct buf b;

	if (b.len == 0) {
		for (size_t i = 0; i < model_nrows; i++) {
			if (!model_rows[i].inline_eval)
				continue;
			buf_printf(&b, "%s ", model_rows[i].name);
			if (model_rows[i].also != NULL)
				buf_printf(&b, "%s ", model_rows[i].also);
		}
	}
	return b.p;
}

bool model_inline_program(const char *name)
{
	const struct model *m = model_row(name, NULL);

	return m != NULL && m->inline_eval;
}

bool model_destructive(const struct model_report *r)
{
	for (int i = 0; i < r->npaths; i++)
		if (r->paths[i].use == MODEL_DELETE || r->paths[i].use == MODEL_OVERWRITE)
			return true;
	return false;
}

const char *model_use_name(enum model_use use)
{
	static const char *const names[] = {
		[MODEL_READ] = "read",           [MODEL_WRITE] = "write",
		[MODEL_OVERWRITE] = "overwrite", [MODEL_DELETE] = "delete",
		[MODEL_SCRIPT] = "script",       [MODEL_MODULE] = "module",
		[MODEL_STDIN] = "stdin",
	};
	return (size_t)use < NELEM(names) ? names[use] : "?";
}

const char *model_recover_name(enum model_recover r)
{
	static const char *const names[] = {
		[RECOVER_NONE] = "none",
		[RECOVER_TRASH] = "trash",
		[RECOVER_NEVER] = "never",
	};
	return (size_t)r < NELEM(names) ? names[r] : "?";
}
