/*
 * models.c: the argument models of the programs claw knows to be risky, one
 * row each (model-int.h says how a row reads). git's rows are in
 * model-git.c; sed's and awk's languages in model-sed.c and model-awk.c.
 *
 * A row lists what the program may be given without a person: its harmless
 * options (`plain`), and the options that do more (`effects`), each with
 * what it does. Operands are files read unless the row's hook says
 * otherwise. What a row does not list asks.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "approve/model-int.h"
#include "approve/risk.h"
#include "core/util.h"

#define END                                                                                        \
	{                                                                                          \
		NULL, 0, 0, NULL, NULL                                                             \
	}

/* ---- helpers for hooks ---- */

static bool has(const struct mparse *p, const char *opt)
{
	return mp_option(p, opt) != NULL;
}

static const char *arg(const struct mparse *p, int operand)
{
	return p->argv[p->operand[operand]];
}

/* The target of cp, mv, ln and install: -t DIR, or the last operand. */
static int target_of(struct mparse *p, const struct occ **t)
{
	*t = mp_option(p, "-t");
	if (*t != NULL)
		return -1;
	if (p->noperand < 2 || has(p, "-T"))
		return p->noperand >= 2 ? p->noperand - 1 : -1;
	return p->noperand - 1;
}

/* stat(2) of PATH (DIR/PATH when DIR is set), as the segment will see it; false when absent. */
static bool stat_at(const struct mparse *p, const char *dir, const char *path, struct stat *st)
{
	char full[PATH_MAX];

	return mp_full_path(p, dir, path, full) && stat(full, st) == 0;
}

static bool is_dir(const struct mparse *p, const char *path)
{
	struct stat st;

	return stat_at(p, NULL, path, &st) && S_ISDIR(st.st_mode);
}

static bool exists(const struct mparse *p, const char *path)
{
	struct stat st;

	return stat_at(p, NULL, path, &st);
}

/* True when some source's name already exists in directory DIR. */
static bool clobbers_in(const struct mparse *p, const char *dir, int nsrc)
{
	struct stat st;

	for (int i = 0; i < nsrc; i++) {
		const char *src = p->argv[p->operand[i]], *slash = strrchr(src, '/');
		const char *name = slash && slash[1] ? slash + 1 : src;
		if (stat_at(p, dir, name, &st))
			return true;
	}
	return false;
}

/*
 * Copies and moves: the sources are read (SRC_USE), the target written;
 * onto an existing file, or into a directory where a file of the same name
 * is, the target is replaced (what the trash keeps).
 */
static void copy_like(struct mparse *p, enum model_use src_use, const char *src_what,
                      const char *dst_what, bool clobbers)
{
	const struct occ *t;
	int last = target_of(p, &t);
	int nsrc = t != NULL ? p->noperand : last;

	if (t == NULL && last < 0) {
		if (p->noperand > 0)
			mp_need(p, MODEL_EXACT, "a single operand: no target to check");
		return;
	}
	for (int i = 0; i < nsrc; i++) {
		int a = p->operand[i];
		if (src_use == MODEL_READ)
			mp_path(p, MODEL_READ, a, p->argv[a], src_what);
		else
			mp_path(p, MODEL_WRITE, a, p->argv[a], src_what);
		if (src_use == MODEL_WRITE)
			p->out->paths[p->out->npaths - 1].use = MODEL_WRITE;
	}
	const char *dst = t != NULL ? t->value : arg(p, last);
	int dst_arg = t != NULL ? t->value_arg : p->operand[last];
	bool dir = t != NULL || (is_dir(p, dst) && !has(p, "-T"));
	/* Destructive only where something is already there to be replaced. */
	if (!clobbers || has(p, "-n") || !(dir ? clobbers_in(p, dst, nsrc) : exists(p, dst)))
		mp_path(p, MODEL_WRITE, dst_arg, dst, dst_what);
	else
		mp_destroy(p, MODEL_OVERWRITE, RECOVER_TRASH, false, dst_arg, dst,
		           dir ? "a file of the same name in this directory is replaced"
		               : dst_what);
}

/* ---- coreutils and friends ---- */

static void hook_cp(struct mparse *p)
{
	bool tree = has(p, "-r") || has(p, "-a");

	copy_like(p, MODEL_READ, tree ? "cp copies the tree" : "cp copies it", "cp writes over it",
	          true);
	if (tree)
		for (int i = 0; i < p->out->npaths; i++)
			if (p->out->paths[i].use == MODEL_READ)
				p->out->paths[i].tree = true;
}

static void hook_mv(struct mparse *p)
{
	copy_like(p, MODEL_WRITE, "mv moves it away", "mv moves another file over it", true);
}

static void hook_ln(struct mparse *p)
{
	const struct occ *t;
	int last = target_of(p, &t);

	if (t == NULL && last < 0) {
		if (p->noperand == 1) /* ln TARGET: a link of the same name here */
			mp_path(p, MODEL_WRITE, -1, ".", "ln makes a link here");
		return;
	}
	const char *dst = t != NULL ? t->value : arg(p, last);
	int dst_arg = t != NULL ? t->value_arg : p->operand[last];
	if (has(p, "-f") && exists(p, dst))
		mp_destroy(p, MODEL_OVERWRITE, RECOVER_TRASH, false, dst_arg, dst,
		           "ln -f replaces it with a link");
	else
		mp_path(p, MODEL_WRITE, dst_arg, dst, "ln makes the link");
}

static bool setid_mode(const char *mode);

static void hook_install(struct mparse *p)
{
	const struct occ *m = mp_option(p, "-m");

	if (m != NULL && m->value != NULL && setid_mode(m->value))
		mp_need(p, MODEL_EXACT, "install -m sets a setuid or setgid bit");
	if (has(p, "-d")) {
		mp_operands(p, 0, MODEL_WRITE, "install -d makes the directory");
		return;
	}
	copy_like(p, MODEL_READ, "install copies it", "install writes it", true);
}

static void hook_rm(struct mparse *p)
{
	bool tree = has(p, "-r");

	for (int i = 0; i < p->noperand; i++)
		mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, tree, p->operand[i], arg(p, i),
		           tree ? "rm -r removes it and all below it" : "rm removes it");
}

static void hook_rmdir(struct mparse *p)
{
	for (int i = 0; i < p->noperand; i++)
		mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, false, p->operand[i], arg(p, i),
		           "rmdir removes it");
}

static void hook_unlink(struct mparse *p)
{
	if (p->noperand != 1) {
		mp_need(p, MODEL_EXACT, "unlink takes exactly one file");
		return;
	}
	mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, false, p->operand[0], arg(p, 0),
	           "unlink removes it");
}

static void hook_shred(struct mparse *p)
{
	bool remove = has(p, "-u") || has(p, "--remove");

	for (int i = 0; i < p->noperand; i++)
		mp_destroy(p, remove ? MODEL_DELETE : MODEL_OVERWRITE, RECOVER_NEVER, false,
		           p->operand[i], arg(p, i), "shred overwrites it beyond recovery");
}

static void hook_truncate(struct mparse *p)
{
	for (int i = 0; i < p->noperand; i++)
		mp_destroy(p, MODEL_OVERWRITE, RECOVER_NEVER, false, p->operand[i], arg(p, i),
		           "truncate cuts it to a size");
}

static void hook_tee(struct mparse *p)
{
	bool append = has(p, "-a");

	for (int i = 0; i < p->noperand; i++) {
		if (strcmp(arg(p, i), "-") == 0)
			continue;
		if (append || !exists(p, arg(p, i)))
			mp_path(p, MODEL_WRITE, p->operand[i], arg(p, i), "tee writes it");
		else
			mp_destroy(p, MODEL_OVERWRITE, RECOVER_TRASH, false, p->operand[i],
			           arg(p, i), "tee replaces it");
	}
}

static void hook_mkdir(struct mparse *p)
{
	mp_operands(p, 0, MODEL_WRITE, "makes the directory");
}

static void hook_touch(struct mparse *p)
{
	mp_operands(p, 0, MODEL_WRITE, "touch creates it or sets its times");
}

/* A mode that sets the setuid or setgid bit makes a program others run with our rights. */
static bool setid_mode(const char *mode)
{
	size_t n = strspn(mode, "01234567");

	if (n == strlen(mode) && n >= 4)
		return strchr("2467", mode[n - 4]) != NULL;
	return strchr(mode, 's') != NULL;
}

static void hook_chmod(struct mparse *p)
{
	int from = 0;

	if (!has(p, "--reference")) {
		if (p->noperand == 0)
			return;
		if (setid_mode(arg(p, 0)))
			mp_need(p, MODEL_EXACT, "chmod sets a setuid or setgid bit");
		from = 1;
	}
	for (int i = from; i < p->noperand; i++) {
		mp_path(p, MODEL_WRITE, p->operand[i], arg(p, i), "chmod changes its mode");
		p->out->paths[p->out->npaths - 1].tree = has(p, "-R");
	}
}

/* date +FORMAT prints; any other operand (MMDDhhmm...) sets the clock. */
static void hook_date(struct mparse *p)
{
	for (int i = 0; i < p->noperand; i++)
		if (arg(p, i)[0] != '+')
			mp_need(p, MODEL_EXACT, "date MMDDhhmm sets the system clock");
}

/* dd: every operand is KEY=VALUE; of= is written, if= read. */
static void hook_dd(struct mparse *p)
{
	static const char *const plain[] = { "bs",    "ibs",   "obs",   "cbs",   "count",
		                             "skip",  "seek",  "iseek", "oseek", "conv",
		                             "iflag", "oflag", "status" };

	for (int i = 1; i < p->argc; i++) {
		const char *a = p->argv[i], *eq = strchr(a, '=');
		size_t n = eq ? (size_t)(eq - a) : 0;
		bool known = false;
		if (strcmp(a, "--help") == 0 || strcmp(a, "--version") == 0)
			continue;
		if (eq != NULL && n == 2 && strncmp(a, "if", 2) == 0) {
			mp_path(p, MODEL_READ, i, eq + 1, "dd reads it");
			continue;
		}
		if (eq != NULL && n == 2 && strncmp(a, "of", 2) == 0 &&
		    strcmp(eq + 1, "/dev/null") == 0) {
			mp_path(p, MODEL_WRITE, i, eq + 1, "dd writes into nothing");
			continue;
		}
		if (eq != NULL && n == 2 && strncmp(a, "of", 2) == 0) {
			bool dev = strncmp(eq + 1, "/dev/", 5) == 0;
			mp_destroy(p, MODEL_OVERWRITE, dev ? RECOVER_NEVER : RECOVER_TRASH, false,
			           i, eq + 1,
			           dev ? "dd writes over the device" : "dd writes over it");
			continue;
		}
		for (size_t k = 0; eq != NULL && k < NELEM(plain); k++)
			known |= strlen(plain[k]) == n && strncmp(a, plain[k], n) == 0;
		if (!known)
			mp_need(p, MODEL_EXACT, "a dd operand the model does not know");
	}
}

/* ---- readers with a pattern first: grep, rg ---- */

static void pattern_then_files(struct mparse *p, bool pattern_given, const char *what)
{
	bool tree = has(p, "-r") || has(p, "-R") || strcmp(p->m->name, "rg") == 0;
	int from = pattern_given ? 0 : 1;

	if (!pattern_given && p->noperand == 0)
		return;
	for (int i = from; i < p->noperand; i++) {
		if (strcmp(arg(p, i), "-") == 0)
			continue;
		mp_path(p, MODEL_READ, p->operand[i], arg(p, i), what);
		p->out->paths[p->out->npaths - 1].tree = tree;
	}
	if (tree && p->noperand == from)
		mp_path(p, MODEL_READ, -1, ".", what);
}

static void hook_grep(struct mparse *p)
{
	pattern_then_files(p, has(p, "-e") || has(p, "-f"), "grep reads it");
}

static void hook_rg(struct mparse *p)
{
	pattern_then_files(
	    p, has(p, "-e") || has(p, "-f") || has(p, "--files") || has(p, "--type-list"),
	    "rg reads it");
}

/* ---- sed and awk: their scripts are code ---- */

static void check_sed(struct mparse *p, const char *script)
{
	const char *why = sed_script_risk(script);

	mp_inline(p, "a sed script given on the command line");
	if (why != NULL && !has(p, "--sandbox"))
		mp_need(p, MODEL_EXACT, why);
}

static void hook_sed(struct mparse *p)
{
	bool script = false, inplace = has(p, "-i");
	int from = 0;

	for (int i = 0; i < p->nocc; i++) {
		const struct occ *o = &p->occ[i];
		if (o->e != NULL && o->e->eff == E_CODE && o->value != NULL) {
			check_sed(p, o->value);
			script = true;
		}
	}
	script |= has(p, "-f");
	if (!script) {
		if (p->noperand == 0)
			return;
		check_sed(p, arg(p, 0));
		from = 1;
	}
	for (int i = from; i < p->noperand; i++) {
		if (inplace)
			mp_rewrite(p, p->operand[i], arg(p, i), "sed -i rewrites it");
		else if (strcmp(arg(p, i), "-") != 0)
			mp_path(p, MODEL_READ, p->operand[i], arg(p, i), "sed reads it");
	}
}

static bool awk_assignment(const char *a)
{
	size_t n = strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
	return n > 0 && !isdigit((unsigned char)a[0]) && a[n] == '=';
}

static void check_awk(struct mparse *p, const char *program)
{
	const char *why = awk_program_risk(program);

	mp_inline(p, "an awk program given on the command line");
	if (why != NULL)
		mp_need(p, MODEL_EXACT, why);
}

static void hook_awk(struct mparse *p)
{
	bool program = false;
	int from = 0;

	for (int i = 0; i < p->nocc; i++) {
		const struct occ *o = &p->occ[i];
		if (o->e != NULL && o->e->eff == E_CODE && o->value != NULL) {
			check_awk(p, o->value);
			program = true;
		}
	}
	if (!program) {
		if (p->noperand == 0)
			return;
		check_awk(p, arg(p, 0));
		from = 1;
	}
	for (int i = from; i < p->noperand; i++)
		if (!awk_assignment(arg(p, i)) && strcmp(arg(p, i), "-") != 0)
			mp_path(p, MODEL_READ, p->operand[i], arg(p, i), "awk reads it");
}

/* ---- make ---- */

/* Variables whose value make runs as a program, or that change how it reads makefiles. */
static const char *const make_program_vars[] = {
	"SHELL",
	".SHELLFLAGS",
	"MAKE",
	"MAKEFLAGS",
	"MFLAGS",
	"MAKEFILES",
	"MAKEOVERRIDES",
	"GNUMAKEFLAGS",
	".DEFAULT_GOAL",
	".RECIPEPREFIX",
	"VPATH",
	"CC",
	"CXX",
	"CPP",
	"LD",
	"AR",
	"AS",
	"FC",
	"RM",
	"INSTALL",
	"PYTHON",
	"PERL",
	"RANLIB",
	"STRIP",
	"OBJCOPY",
	"M4",
	"YACC",
	"LEX",
	"TAR",
	"CTANGLE",
	"WEAVE",
	"PC",
	"GET",
	"CO",
	"MAKEINFO",
	"TEX",
	"TEXI2DVI",
};

/*
 * NAME=VALUE on make's command line overrides the makefile. A value that
 * expands ($), names a program (a variable make runs), or carries compiler
 * options that run programs (-wrapper, -B, -fplugin) does more than set a
 * value.
 */
static const char *make_assignment(const char *a)
{
	size_t n = strcspn(a, ":+?!=");
	const char *op = a + n;

	if (n == 0 || *op == '\0')
		return NULL; /* a target */
	if (strncmp(op, "!=", 2) == 0)
		return "make NAME!=... runs a shell command";
	if (strchr(a, '$') != NULL || strchr(a, '`') != NULL)
		return "a make variable whose value expands (it can call $(shell ...))";
	for (size_t i = 0; i < NELEM(make_program_vars); i++)
		if (strlen(make_program_vars[i]) == n && strncmp(a, make_program_vars[i], n) == 0)
			return "a make variable that names a program make runs";
	if (n >= 2 && (strncmp(op - 2, "CC", 2) == 0 || strncmp(op - 2, "LD", 2) == 0))
		return "a make variable that names a program make runs";
	const char *value = op + strspn(op, ":+?=");
	char *copy = xstrdup(value), *words[64], *save = NULL;
	int nw = 1;
	words[0] = (char *)"cc";
	for (char *w = strtok_r(copy, " \t", &save); w != NULL && nw < 63;
	     w = strtok_r(NULL, " \t", &save))
		words[nw++] = w;
	words[nw] = NULL;
	const char *why = risk_arguments("cc", words, nw);
	free(copy);
	return why ? "a make variable carrying compiler options that run programs" : NULL;
}

static void hook_make(struct mparse *p)
{
	static const char *const defaults[] = { "GNUmakefile", "makefile", "Makefile" };
	const char *why;
	bool given = false;

	for (int i = 0; i < p->nocc; i++) {
		const struct occ *o = &p->occ[i];
		if (o->e != NULL && o->e->eff == E_ASK && o->value != NULL &&
		    strncmp(o->spell, "-f|", 3) == 0) {
			mp_path(p, MODEL_SCRIPT, o->value_arg, o->value, o->e->why);
			given = true;
		}
	}
	for (int i = 0; i < p->noperand; i++)
		if ((why = make_assignment(arg(p, i))) != NULL)
			mp_need(p, MODEL_EXACT, why);
	if (given)
		return;
	/* The makefile make will read: the first of its default names that exists. */
	const char *found = "Makefile";
	for (size_t i = 0; i < NELEM(defaults); i++) {
		struct stat st;
		if (stat_at(p, NULL, defaults[i], &st)) {
			found = defaults[i];
			break;
		}
	}
	mp_path(p, MODEL_SCRIPT, -1, found, "make runs the recipes of its makefile");
}

/* ---- find ---- */

/* find's primaries: how many arguments each takes, and what it does. */
static const struct primary {
	const char *name;
	int nargs; /* -1: a command up to ; or + */
	unsigned char eff;
	const char *why;
} primaries[] = {
	/* options and tests */
	{ "-depth", 0, E_NONE, NULL },
	{ "-d", 0, E_NONE, NULL },
	{ "-follow", 0, E_NONE, NULL },
	{ "-mount", 0, E_NONE, NULL },
	{ "-xdev", 0, E_NONE, NULL },
	{ "-noleaf", 0, E_NONE, NULL },
	{ "-ignore_readdir_race", 0, E_NONE, NULL },
	{ "-noignore_readdir_race", 0, E_NONE, NULL },
	{ "-daystart", 0, E_NONE, NULL },
	{ "-warn", 0, E_NONE, NULL },
	{ "-nowarn", 0, E_NONE, NULL },
	{ "-empty", 0, E_NONE, NULL },
	{ "-executable", 0, E_NONE, NULL },
	{ "-readable", 0, E_NONE, NULL },
	{ "-writable", 0, E_NONE, NULL },
	{ "-false", 0, E_NONE, NULL },
	{ "-true", 0, E_NONE, NULL },
	{ "-nogroup", 0, E_NONE, NULL },
	{ "-nouser", 0, E_NONE, NULL },
	{ "-print", 0, E_NONE, NULL },
	{ "-print0", 0, E_NONE, NULL },
	{ "-ls", 0, E_NONE, NULL },
	{ "-prune", 0, E_NONE, NULL },
	{ "-quit", 0, E_NONE, NULL },
	{ "-not", 0, E_NONE, NULL },
	{ "-and", 0, E_NONE, NULL },
	{ "-or", 0, E_NONE, NULL },
	{ "-a", 0, E_NONE, NULL },
	{ "-o", 0, E_NONE, NULL },
	{ "-help", 0, E_NONE, NULL },
	{ "--help", 0, E_NONE, NULL },
	{ "-version", 0, E_NONE, NULL },
	{ "--version", 0, E_NONE, NULL },
	{ "-maxdepth", 1, E_NONE, NULL },
	{ "-mindepth", 1, E_NONE, NULL },
	{ "-regextype", 1, E_NONE, NULL },
	{ "-amin", 1, E_NONE, NULL },
	{ "-anewer", 1, E_NONE, NULL },
	{ "-atime", 1, E_NONE, NULL },
	{ "-cmin", 1, E_NONE, NULL },
	{ "-cnewer", 1, E_NONE, NULL },
	{ "-ctime", 1, E_NONE, NULL },
	{ "-fstype", 1, E_NONE, NULL },
	{ "-gid", 1, E_NONE, NULL },
	{ "-group", 1, E_NONE, NULL },
	{ "-ilname", 1, E_NONE, NULL },
	{ "-iname", 1, E_NONE, NULL },
	{ "-inum", 1, E_NONE, NULL },
	{ "-ipath", 1, E_NONE, NULL },
	{ "-iregex", 1, E_NONE, NULL },
	{ "-iwholename", 1, E_NONE, NULL },
	{ "-links", 1, E_NONE, NULL },
	{ "-lname", 1, E_NONE, NULL },
	{ "-mmin", 1, E_NONE, NULL },
	{ "-mtime", 1, E_NONE, NULL },
	{ "-name", 1, E_NONE, NULL },
	{ "-newer", 1, E_NONE, NULL },
	{ "-path", 1, E_NONE, NULL },
	{ "-perm", 1, E_NONE, NULL },
	{ "-regex", 1, E_NONE, NULL },
	{ "-samefile", 1, E_NONE, NULL },
	{ "-size", 1, E_NONE, NULL },
	{ "-type", 1, E_NONE, NULL },
	{ "-uid", 1, E_NONE, NULL },
	{ "-used", 1, E_NONE, NULL },
	{ "-user", 1, E_NONE, NULL },
	{ "-wholename", 1, E_NONE, NULL },
	{ "-xtype", 1, E_NONE, NULL },
	{ "-context", 1, E_NONE, NULL },
	{ "-printf", 1, E_NONE, NULL },
	/* what does more */
	{ "-files0-from", 1, E_READ,
	  "find -files0-from reads where to start from the file it names" },
	{ "-fprint", 1, E_WRITE, "find -fprint writes the file it names" },
	{ "-fprint0", 1, E_WRITE, "find -fprint0 writes the file it names" },
	{ "-fls", 1, E_WRITE, "find -fls writes the file it names" },
	{ "-fprintf", 2, E_WRITE, "find -fprintf writes the file it names" },
	{ "-delete", 0, E_NONE, "find -delete removes what it finds" },
	{ "-exec", -1, E_RUN, "find -exec runs a command for each file" },
	{ "-execdir", -1, E_RUN, "find -execdir runs a command for each file" },
	{ "-ok", -1, E_RUN, "find -ok runs a command for each file" },
	{ "-okdir", -1, E_RUN, "find -okdir runs a command for each file" },
};

static const struct primary *primary(const char *a)
{
	if (strncmp(a, "-newer", 6) == 0 && strlen(a) == 8)
		a = "-newer"; /* -newerXY: as -newer */
	for (size_t i = 0; i < NELEM(primaries); i++)
		if (strcmp(primaries[i].name, a) == 0)
			return &primaries[i];
	return NULL;
}

/* find [-H|-L|-P] [-D OPTS] [-Olevel] [START...] [EXPRESSION] */
static void hook_find(struct mparse *p)
{
	int i = 1, nstart = 0, start0;
	bool delete = false;

	for (; i < p->argc; i++) {
		const char *a = p->argv[i];
		if (strcmp(a, "-H") == 0 || strcmp(a, "-L") == 0 || strcmp(a, "-P") == 0 ||
		    strncmp(a, "-O", 2) == 0)
			continue;
		if (strcmp(a, "-D") == 0 && i + 1 < p->argc) {
			i++;
			continue;
		}
		break;
	}
	if (i < p->argc && strcmp(p->argv[i], "--") == 0)
		i++;
	start0 = i;
	for (; i < p->argc; i++) {
		const char *a = p->argv[i];
		if ((a[0] == '-' && a[1] != '\0') || strcmp(a, "(") == 0 || strcmp(a, "!") == 0)
			break;
		nstart++;
	}
	for (; i < p->argc; i++) {
		const char *a = p->argv[i];
		if (strcmp(a, "(") == 0 || strcmp(a, ")") == 0 || strcmp(a, "!") == 0 ||
		    strcmp(a, ",") == 0)
			continue;
		const struct primary *pr = primary(a);
		if (pr == NULL) {
			mp_need(p, MODEL_EXACT, "a find expression the model does not know");
			return;
		}
		if (pr->nargs < 0) {
			mp_need(p, MODEL_EXACT, pr->why);
			mp_inline(p, pr->why);
			while (i + 1 < p->argc && strcmp(p->argv[i + 1], ";") != 0 &&
			       strcmp(p->argv[i + 1], "+") != 0)
				i++;
			i++;
			continue;
		}
		if (i + pr->nargs >= p->argc) {
			mp_need(p, MODEL_EXACT, "a find test without its argument");
			return;
		}
		if (pr->eff == E_READ)
			mp_read_value(p, i + 1, p->argv[i + 1], pr->why);
		else if (pr->eff == E_WRITE) {
			mp_path(p, MODEL_WRITE, i + 1, p->argv[i + 1], pr->why);
			mp_need(p, MODEL_EXACT, pr->why);
		}
		delete |= strcmp(a, "-delete") == 0;
		i += pr->nargs;
	}
	for (int k = 0; k < nstart; k++) {
		int a = start0 + k;
		if (delete)
			mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, true, a, p->argv[a],
			           "find -delete removes what it finds below it");
		else
			mp_path(p, MODEL_READ, a, p->argv[a], "find looks through it");
		p->out->paths[p->out->npaths - 1].tree = true;
	}
	if (nstart == 0) {
		if (delete)
			mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, true, -1, ".",
			           "find -delete removes what it finds below it");
		else
			mp_path(p, MODEL_READ, -1, ".", "find looks through it");
	}
}

/* ---- the table ---- */

static const struct effect sort_effects[] = {
	{ "-o|--output=", E_OVERWRITE, 0, "sort -o writes the file it names", "/etc/claw-x" },
	{ "--compress-program=", E_RUN, 0, "sort --compress-program runs a program", "sh" },
	{ "--files0-from=", E_READ, 0, "sort --files0-from reads file names from the file it names",
	  "/etc/claw-x" },
	{ "--random-source=", E_READ, 0, "sort --random-source reads the file it names",
	  "/etc/claw-x" },
	{ "-T|--temporary-directory=", E_WRITE, 0, "sort -T writes temporary files there",
	  "/etc/claw-x" },
	END,
};

static const struct effect grep_effects[] = {
	{ "-f|--file=", E_READ, 0, "grep -f reads patterns from the file it names", "/etc/claw-x" },
	{ "--exclude-from=", E_READ, 0, "grep --exclude-from reads the file it names",
	  "/etc/claw-x" },
	END,
};

static const struct effect rg_effects[] = {
	{ "--pre=", E_RUN, 0, "rg --pre runs a program on every file", "sh" },
	{ "-z|--search-zip", E_RUN, 0, "rg -z runs decompression programs", NULL },
	{ "--hostname-bin=", E_RUN, 0, "rg --hostname-bin runs a program", "sh" },
	{ "-f|--file=", E_READ, 0, "rg -f reads patterns from the file it names", "/etc/claw-x" },
	{ "--ignore-file=", E_READ, 0, "rg --ignore-file reads the file it names", "/etc/claw-x" },
	END,
};

static const struct effect sed_effects[] = {
	{ "-e|--expression=", E_CODE, 0, "a sed script", "1e id" },
	{ "-f|--file=", E_ASK, 0, "sed -f reads its script from a file claw cannot see",
	  "/dev/stdin" },
	{ "-i|--in-place=?", E_NONE, 0, "sed -i rewrites the files it reads", NULL },
	END,
};

static const struct effect awk_effects[] = {
	{ "-e|--source=", E_CODE, 0, "an awk program", "BEGIN{system(\"id\")}" },
	{ "-f|--file=", E_ASK, 0, "awk -f runs a program from a file claw cannot see",
	  "/dev/stdin" },
	{ "-E|--exec=", E_ASK, F_STOP, "awk -E runs a program from a file claw cannot see",
	  "/dev/stdin" },
	{ "-i|--include=", E_ASK, 0, "awk -i loads program text from a file", "/dev/stdin" },
	{ "-l|--load=", E_RUN, 0, "awk -l loads a shared library", "x" },
	{ "-W=", E_ASK, 0, "mawk -W (exec, ...) is not modelled", "exec" },
	{ "-d|--dump-variables=?", E_ASK, 0, "awk -d writes a file", NULL },
	{ "-D|--debug=?", E_ASK, 0, "awk -D runs the debugger", NULL },
	{ "-o|--pretty-print=?", E_ASK, 0, "awk -o writes a file", NULL },
	{ "-p|--profile=?", E_ASK, 0, "awk -p writes a file", NULL },
	END,
};

static const struct effect make_effects[] = {
	{ "-f|--file|--makefile=", E_ASK, F_INLINE, "make -f runs the makefile it names",
	  "/tmp/claw-x.mk" },
	{ "--eval=", E_RUN, F_INLINE, "make --eval runs the text it is given", "x:;id" },
	{ "-E=", E_RUN, F_INLINE, "make -E runs the text it is given", "x:;id" },
	{ "-C|--directory=", E_CHDIR, 0, "make -C works in another directory", NULL },
	END,
};

static const struct effect cp_effects[] = {
	{ "-t|--target-directory=", E_NONE, 0, "the directory it copies into", NULL },
	END,
};

static const struct effect rm_effects[] = {
	{ "--no-preserve-root", E_ASK, 0, "rm --no-preserve-root may remove /", NULL },
	END,
};

static const struct effect shred_effects[] = {
	{ "--random-source=", E_READ, 0, "shred --random-source reads the file it names",
	  "/etc/claw-x" },
	END,
};

static const struct effect date_effects[] = {
	{ "-s|--set=", E_SYSTEM, 0, "date -s sets the system clock", "2020-01-01" },
	{ "-f|--file=", E_READ, 0, "date -f reads dates from the file it names", "/etc/claw-x" },
	END,
};

static const struct effect install_effects[] = {
	{ "-t|--target-directory=", E_NONE, 0, "the directory it installs into", NULL },
	{ "--strip-program=", E_RUN, 0, "install --strip-program runs a program", "sh" },
	END,
};

static const struct effect chmod_effects[] = {
	{ "--reference=", E_NONE, 0, "the file whose mode it copies", NULL },
	END,
};

/* ---- tar ---- */

static const struct effect tar_effects[] = {
	{ "--to-command=", E_RUN, 0, "tar --to-command runs a program", "sh" },
	{ "--checkpoint-action=", E_RUN, 0, "tar --checkpoint-action can run a program",
	  "exec=id" },
	{ "-I|--use-compress-program=", E_RUN, 0, "tar -I runs the program it names", "sh" },
	{ "-F|--info-script|--new-volume-script=", E_RUN, 0, "tar -F runs a program", "id" },
	{ "--rsh-command=", E_RUN, 0, "tar --rsh-command runs a program", "id" },
	{ "--rmt-command=", E_RUN, 0, "tar --rmt-command runs a program", "id" },
	{ "-M|--multi-volume", E_ASK, 0, "tar -M asks for volumes", NULL },
	{ "-L|--tape-length=", E_ASK, 0, "tar -L asks for volumes", "1" },
	{ "-P|--absolute-names", E_ASK, 0, "tar -P writes and reads outside the directory", NULL },
	{ "--recursive-unlink", E_ASK, 0, "tar --recursive-unlink empties directories first",
	  NULL },
	{ "--remove-files", E_NONE, 0, "tar --remove-files removes what it archived", NULL },
	{ "-g|--listed-incremental=", E_WRITE, 0, "tar -g writes the file it names",
	  "/etc/claw-x" },
	{ "--index-file=", E_WRITE, 0, "tar --index-file writes the file it names", "/etc/claw-x" },
	{ "--volno-file=", E_WRITE, 0, "tar --volno-file writes the file it names", "/etc/claw-x" },
	{ "-T|--files-from=", E_READ, 0, "tar -T reads names from the file it names",
	  "/etc/claw-x" },
	{ "-X|--exclude-from=", E_READ, 0, "tar -X reads patterns from the file it names",
	  "/etc/claw-x" },
	{ "--owner-map|--group-map=", E_READ, 0, "tar --owner-map reads the file it names",
	  "/etc/claw-x" },
	{ "-C|--directory=", E_CHDIR, 0, "tar -C works in another directory", NULL },
	{ "-f|--file=", E_NONE, 0, "the archive", NULL },
	END,
};

/* tar's archive: host:path is on another machine, reached through rsh. */
static void tar_archive(struct mparse *p, const struct occ *f, bool writes)
{
	const char *colon = strchr(f->value, ':'), *slash = strchr(f->value, '/');

	if (colon != NULL && (slash == NULL || colon < slash) && !has(p, "--force-local")) {
		mp_need(p, MODEL_EXACT, "a remote tar archive (tar runs rsh to reach it)");
		return;
	}
	if (strcmp(f->value, "-") == 0)
		return;
	if (!writes) {
		mp_path(p, MODEL_READ, f->value_arg, f->value, "tar reads the archive");
		return;
	}
	/* The archive is named before any -C, relative to the working directory. */
	const char *base = p->base;
	p->base = NULL;
	mp_rewrite(p, f->value_arg, f->value, "tar writes the archive");
	p->base = base;
}

static void hook_tar(struct mparse *p)
{
	const struct occ *f = mp_option(p, "-f");
	bool create =
	    has(p, "-c") || has(p, "-r") || has(p, "-u") || has(p, "-A") || has(p, "--delete");
	bool extract = has(p, "-x");

	if (f != NULL && f->value != NULL)
		tar_archive(p, f, create);
	if (extract) {
		const struct occ *top = mp_option(p, "--one-top-level");
		if (has(p, "-O"))
			return;
		if (top != NULL && top->value != NULL)
			mp_path(p, MODEL_WRITE, top->value_arg, top->value,
			        "tar extracts files there");
		else
			mp_path(p, MODEL_WRITE, -1, ".", "tar extracts files here");
		p->out->paths[p->out->npaths - 1].tree = true;
		return;
	}
	if (!create)
		return; /* -t, -d: members are names in the archive */
	bool remove = has(p, "--remove-files");
	for (int i = 0; i < p->noperand; i++) {
		if (remove)
			mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, true, p->operand[i], arg(p, i),
			           "tar --remove-files removes it once archived");
		else
			mp_path(p, MODEL_READ, p->operand[i], arg(p, i), "tar archives it");
		p->out->paths[p->out->npaths - 1].tree = true;
	}
}

/* ---- zip, unzip ---- */

static const struct effect zip_effects[] = {
	{ "-TT|--unzip-command=", E_RUN, 0, "zip -TT runs the command it names", "id" },
	{ "-m|--move", E_NONE, 0, "zip -m removes the files it archived", NULL },
	{ "-O|--output-file|--out=", E_WRITE, 0, "zip -O writes the archive it names",
	  "/etc/claw-x" },
	{ "-b|--temp-path=", E_WRITE, 0, "zip -b writes temporary files there", "/etc/claw-x" },
	{ "-@|--names-stdin", E_NONE, 0, "names read from standard input", NULL },
	END,
};

/*
 * zip reads options its own way: two-letter options (-TT, -FF, -ll) that a
 * getopt reader would split. Every option must be a whole word the table
 * knows; clusters only of the one-letter options that form no two-letter one.
 */
static void hook_zip(struct mparse *p)
{
	static const char *const words[] = {
		"-r",
		"-q",
		"-v",
		"-j",
		"-D",
		"-X",
		"-y",
		"-u",
		"-f",
		"-d",
		"-m",
		"-T",
		"-o",
		"-0",
		"-1",
		"-2",
		"-3",
		"-4",
		"-5",
		"-6",
		"-7",
		"-8",
		"-9",
		"-l",
		"-ll",
		"-k",
		"-A",
		"-F",
		"-FF",
		"-g",
		"-R",
		"-S",
		"-J",
		"-q",
		"-h",
		"-h2",
		"--help",
		"--version",
		"-sf",
		"-su",
		"-so",
		"-sc",
		"-dc",
		"-db",
		"-dd",
		"-dg",
		"-du",
		"-dv",
		"-nw",
		"-ws",
		"-MM",
		"-UN=n",
		"--recurse-paths",
		"--quiet",
		"--verbose",
		"--junk-paths",
		"--no-dir-entries",
		"--no-extra",
		"--symlinks",
		"--update",
		"--freshen",
		"--delete",
		"--test",
		"--filesync",
		"--display-counts",
		"--display-bytes",
		"--display-dots",
		"--show-files",
		"--grow",
	};
	static const char *const valued[] = {
		"-x",        "-i",         "-n",         "-t",
		"-tt",       "-P",         "-Z",         "-s",
		"-sp",       "-ds",        "-I",         "--exclude",
		"--include", "--suffixes", "--password", "--compression-method",
		"-e",        "-L"
	};
	bool list = false, remove = false;
	int nop = 0;

	for (int i = 1; i < p->argc; i++) {
		const char *a = p->argv[i];
		bool ok = false;
		if (a[0] != '-' || a[1] == '\0') {
			if (list)
				continue; /* -x/-i patterns, up to the next option */
			if (nop++ == 0)
				mp_path(p, MODEL_WRITE, i, a, "zip writes the archive");
			else if (!has(p, "-d"))
				mp_path(p, MODEL_READ, i, a, "zip archives it");
			continue;
		}
		list = false;
		if (strcmp(a, "-TT") == 0 || strncmp(a, "--unzip-command", 15) == 0 ||
		    strncmp(a, "--un", 4) == 0) {
			mp_need(p, MODEL_EXACT, zip_effects[0].why);
			return;
		}
		if (strcmp(a, "-O") == 0 || strcmp(a, "--out") == 0 || strcmp(a, "-b") == 0 ||
		    strcmp(a, "--output-file") == 0 || strcmp(a, "--temp-path") == 0) {
			if (++i < p->argc)
				mp_path(p, MODEL_WRITE, i, p->argv[i], "zip writes there");
			continue;
		}
		for (size_t k = 0; k < NELEM(valued) && !ok; k++) {
			if (strcmp(a, valued[k]) == 0) {
				ok = true;
				list = strcmp(a, "-x") == 0 || strcmp(a, "-i") == 0;
				if (!list)
					i++;
			}
		}
		for (size_t k = 0; k < NELEM(words) && !ok; k++)
			ok = strcmp(a, words[k]) == 0;
		/* A cluster of single letters no two of which make a two-letter option. */
		if (!ok && a[1] != '-' && strspn(a + 1, "rqvjDXyuf0123456789") == strlen(a + 1))
			ok = true;
		remove |= strcmp(a, "-m") == 0 || strcmp(a, "--move") == 0;
		if (!ok) {
			mp_need(p, MODEL_EXACT, "a zip option the model does not know");
			return;
		}
	}
	if (remove)
		for (int k = 0; k < p->out->npaths; k++)
			if (p->out->paths[k].use == MODEL_READ)
				mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, true,
				           p->out->paths[k].arg, p->out->paths[k].path,
				           "zip -m removes it once archived");
}

static const struct effect unzip_effects[] = {
	{ "-d=", E_CHDIR, 0, "unzip -d extracts into the directory it names", NULL },
	{ "-K", E_ASK, 0, "unzip -K keeps setuid and setgid bits", NULL },
	{ "-M", E_ASK, 0, "unzip -M runs a pager", NULL },
	END,
};

static void hook_unzip(struct mparse *p)
{
	bool listing = has(p, "-l") || has(p, "-t") || has(p, "-z") || has(p, "-v") ||
	               has(p, "-p") || has(p, "-Z");

	if (p->noperand == 0)
		return;
	const char *base = p->base;
	p->base = NULL; /* the zip file is named relative to the working directory */
	mp_path(p, MODEL_READ, p->operand[0], arg(p, 0), "unzip reads the archive");
	p->base = base;
	if (listing)
		return;
	if (has(p, "-o"))
		mp_destroy(p, MODEL_OVERWRITE, RECOVER_NEVER, true, -1, ".",
		           "unzip -o replaces files without asking");
	else
		mp_path(p, MODEL_WRITE, -1, ".", "unzip extracts files here");
	p->out->paths[p->out->npaths - 1].tree = true;
}

/* ---- rsync ---- */

static const struct effect rsync_effects[] = {
	{ "-e|--rsh=", E_RUN, 0, "rsync -e runs the remote shell it names", "sh -c id" },
	{ "--rsync-path=", E_RUN, 0, "rsync --rsync-path runs a program", "id" },
	{ "--daemon", E_ASK, 0, "rsync --daemon serves files", NULL },
	{ "--config=", E_ASK, 0, "rsync --config reads a daemon's config", "/etc/claw-x" },
	{ "--copy-as=", E_ASK, 0, "rsync --copy-as changes user", "root" },
	{ "--log-file=", E_WRITE, 0, "rsync --log-file writes the file it names", "/etc/claw-x" },
	{ "--write-batch|--only-write-batch=", E_WRITE, 0, "rsync --write-batch writes a file",
	  "/etc/claw-x" },
	{ "--read-batch=", E_READ, 0, "rsync --read-batch reads the file it names", "/etc/claw-x" },
	{ "--exclude-from|--include-from|--files-from=", E_READ, 0,
	  "rsync --files-from reads names from the file it names", "/etc/claw-x" },
	{ "--password-file=", E_READ, 0, "rsync --password-file reads the file it names",
	  "/etc/claw-x" },
	{ "--backup-dir|--partial-dir|-T|--temp-dir=", E_WRITE, 0, "rsync writes there",
	  "/etc/claw-x" },
	{ "--compare-dest|--copy-dest|--link-dest=", E_READ, 0, "rsync reads there",
	  "/etc/claw-x" },
	{ "--delete|--delete-before|--delete-during|--delete-delay|--delete-after|"
	  "--delete-excluded|--del",
	  E_NONE, 0, "rsync --delete removes what the source does not have", NULL },
	{ "--remove-source-files", E_NONE, 0, "rsync --remove-source-files removes the sources",
	  NULL },
	END,
};

static bool remote(const char *a)
{
	const char *colon = strchr(a, ':'), *slash = strchr(a, '/');

	return strncmp(a, "rsync://", 8) == 0 ||
	       (colon != NULL && (slash == NULL || colon < slash));
}

static void hook_rsync(struct mparse *p)
{
	bool delete = false, rm_src = has(p, "--remove-source-files");

	for (int i = 0; i < p->nocc; i++)
		delete |= p->occ[i].e != NULL && strncmp(p->occ[i].spell, "--delete|", 9) == 0;
	if (p->noperand < 2)
		return; /* a listing */
	for (int i = 0; i + 1 < p->noperand; i++) {
		if (remote(arg(p, i)))
			continue;
		if (rm_src)
			mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, true, p->operand[i], arg(p, i),
			           "rsync --remove-source-files removes it once sent");
		else
			mp_path(p, MODEL_READ, p->operand[i], arg(p, i), "rsync sends it");
	}
	int last = p->noperand - 1;
	if (remote(arg(p, last)))
		return;
	if (delete)
		mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, true, p->operand[last], arg(p, last),
		           "rsync --delete removes what the source does not have");
	else
		mp_path(p, MODEL_WRITE, p->operand[last], arg(p, last), "rsync writes into it");
}

/* ---- ssh, scp, sftp ---- */

/* ssh -o options that name no program, file or forwarding. */
static const char *const ssh_plain_options[] = {
	"port",
	"user",
	"connecttimeout",
	"connectionattempts",
	"batchmode",
	"stricthostkeychecking",
	"serveraliveinterval",
	"serveralivecountmax",
	"loglevel",
	"compression",
	"tcpkeepalive",
	"addressfamily",
	"hostkeyalgorithms",
	"pubkeyauthentication",
	"passwordauthentication",
	"kbdinteractiveauthentication",
	"preferredauthentications",
	"ciphers",
	"macs",
	"kexalgorithms",
	"requesttty",
	"sendenv",
	"setenv",
	"checkhostip",
	"visualhostkey",
	"updatehostkeys",
	"hashknownhosts",
	"identitiesonly",
	"numberofpasswordprompts",
	"escapechar",
	"forwardagent",
	"forwardx11",
	"exitonforwardfailure",
	"clearallforwardings",
	"controlmaster",
	"hostname",
};

static void check_ssh_option(struct mparse *p, const char *kv)
{
	size_t n = strcspn(kv, "= ");

	for (size_t i = 0; i < NELEM(ssh_plain_options); i++)
		if (strlen(ssh_plain_options[i]) == n &&
		    strncasecmp(kv, ssh_plain_options[i], n) == 0) {
			/* ControlMaster and ForwardAgent only turned off */
			if ((strncasecmp(kv, "controlmaster", n) == 0 ||
			     strncasecmp(kv, "forwardagent", n) == 0 ||
			     strncasecmp(kv, "forwardx11", n) == 0) &&
			    strcasecmp(kv + n + strspn(kv + n, "= "), "no") != 0)
				break;
			return;
		}
	mp_need(p, MODEL_EXACT,
	        "an ssh -o option the model does not know (ProxyCommand, LocalCommand, ... run "
	        "programs)");
}

static void check_ssh_options(struct mparse *p)
{
	for (int i = 0; i < p->nocc; i++)
		if (p->occ[i].e != NULL && p->occ[i].e->eff == E_CODE && p->occ[i].value != NULL)
			check_ssh_option(p, p->occ[i].value);
}

static const struct effect ssh_effects[] = {
	{ "-o=", E_CODE, 0, "ssh -o sets an option", "ProxyCommand=id" },
	{ "-F=", E_ASK, 0, "ssh -F reads a config that can run commands", "/dev/stdin" },
	{ "-I=", E_RUN, 0, "ssh -I loads a PKCS#11 library", "/tmp/x.so" },
	{ "-S=", E_ASK, 0, "ssh -S uses a control socket", "/tmp/x" },
	{ "-D=", E_ASK, 0, "ssh -D opens a proxy port", "1080" },
	{ "-L=", E_ASK, 0, "ssh -L opens a forwarded port", "1:h:2" },
	{ "-R=", E_ASK, 0, "ssh -R opens a forwarded port", "1:h:2" },
	{ "-W=", E_ASK, 0, "ssh -W forwards standard input", "h:1" },
	{ "-w=", E_ASK, 0, "ssh -w opens a tunnel device", "0" },
	{ "-O=", E_ASK, 0, "ssh -O controls a master connection", "exit" },
	{ "-M", E_ASK, 0, "ssh -M becomes a master connection", NULL },
	{ "-f", E_ASK, 0, "ssh -f goes to the background", NULL },
	{ "-A|-X|-Y", E_ASK, 0, "ssh -A/-X forwards the agent or the display", NULL },
	{ "-E=", E_WRITE, 0, "ssh -E writes the file it names", "/etc/claw-x" },
	{ "-i=", E_READ, 0, "ssh -i reads the key it names", "/etc/claw-x" },
	END,
};

/*
 * ssh reads options, then the destination, then options once more (its own
 * getopt loop starts again after the host, unless -- came first), and only
 * then the command: `ssh host -o ProxyCommand=...` is an option.
 */
static void hook_ssh(struct mparse *p)
{
	if (p->noperand > 1 && p->dashdash < 0 && arg(p, 1)[0] == '-' && arg(p, 1)[1] != '\0')
		mp_parse(p, p->m, p->operand[1]);
	check_ssh_options(p);
}

static const struct effect scp_effects[] = {
	{ "-o=", E_CODE, 0, "scp -o sets an option", "ProxyCommand=id" },
	{ "-F=", E_ASK, 0, "scp -F reads a config that can run commands", "/dev/stdin" },
	{ "-S=", E_RUN, 0, "scp -S runs the program it names", "id" },
	{ "-D=", E_RUN, 0, "scp -D runs the program it names", "id" },
	{ "-X=", E_ASK, 0, "scp -X sets an sftp option", "x" },
	{ "-A", E_ASK, 0, "scp -A forwards the agent", NULL },
	{ "-i=", E_READ, 0, "scp -i reads the key it names", "/etc/claw-x" },
	END,
};

static void hook_scp(struct mparse *p)
{
	bool tree = has(p, "-r");

	check_ssh_options(p);
	if (p->noperand < 2)
		return;
	for (int i = 0; i + 1 < p->noperand; i++) {
		if (!remote(arg(p, i))) {
			mp_path(p, MODEL_READ, p->operand[i], arg(p, i), "scp sends it");
			p->out->paths[p->out->npaths - 1].tree = tree;
		}
	}
	int last = p->noperand - 1;
	if (!remote(arg(p, last)))
		mp_rewrite(p, p->operand[last], arg(p, last),
		           "scp writes it (a file already there is replaced)");
}

/* sftp reads commands from its input or -b, and `!` among them runs local commands. */
static void hook_sftp(struct mparse *p)
{
	mp_need(p, MODEL_EXACT, "sftp reads commands (! runs a local one) from its input");
}

/* ---- pagers and man ---- */

static const struct effect less_effects[] = {
	{ "-o|--log-file=", E_WRITE, 0, "less -o writes the file it names", "/etc/claw-x" },
	{ "-O|--LOG-FILE=", E_OVERWRITE, 0, "less -O writes the file it names", "/etc/claw-x" },
	{ "-k|--lesskey-file=", E_ASK, 0, "less -k reads key bindings (commands)", "/dev/stdin" },
	{ "--lesskey-src|--lesskey-content=", E_ASK, 0, "less --lesskey-src reads key bindings",
	  "/dev/stdin" },
	{ "-T|--tag-file=", E_READ, 0, "less -T reads the file it names", "/etc/claw-x" },
	END,
};

/* +CMD operands are commands to less (+!cmd runs one); files are read. */
static void hook_less(struct mparse *p)
{
	for (int i = 0; i < p->noperand; i++) {
		const char *a = arg(p, i);
		if (a[0] == '+') {
			/* +NUM, +G, +g, +F, +/PATTERN, +?PATTERN: where to start; any
			 * other command (+!CMD, +|CMD, +:e FILE, +v) asks. */
			bool plain = strspn(a + 1, "0123456789") == strlen(a + 1) ||
			             strcmp(a + 1, "G") == 0 || strcmp(a + 1, "g") == 0 ||
			             strcmp(a + 1, "F") == 0 || a[1] == '/' || a[1] == '?';
			if (!plain)
				mp_need(p, MODEL_EXACT,
				        "a less +command (+! runs a shell command)");
			continue;
		}
		mp_path(p, MODEL_READ, p->operand[i], a, "less shows it");
	}
}

static const struct effect man_effects[] = {
	{ "-P|--pager=", E_RUN, 0, "man -P runs the pager it names", "sh -c id" },
	{ "-H|--html=?", E_RUN, 0, "man -H runs a browser", "id" },
	{ "-X|--gxditview=?", E_RUN, 0, "man -X runs a viewer", NULL },
	{ "-C|--config-file=", E_ASK, 0, "man -C reads a config that names programs",
	  "/dev/stdin" },
	{ "-c|--catman", E_ASK, 0, "man -c writes cat pages", NULL },
	{ "-l|--local-file", E_NONE, 0, "operands are files", NULL },
	END,
};

static void hook_man(struct mparse *p)
{
	if (has(p, "-l"))
		mp_operands(p, 0, MODEL_READ, "man shows it");
}

/* ---- interpreters ---- */

static bool stdin_path(const char *a)
{
	return strcmp(a, "/dev/stdin") == 0 || strcmp(a, "/dev/fd/0") == 0 ||
	       strcmp(a, "/proc/self/fd/0") == 0;
}

/*
 * The program an interpreter runs: code given by an option (CODE), or its
 * first operand, a script file; `-` or no operand at all is standard input.
 */
static void interpreter(struct mparse *p, bool code)
{
	const char *name = p->m->name;

	if (code)
		return;
	if (p->noperand == 0 || strcmp(arg(p, 0), "-") == 0) {
		mp_path(p, MODEL_STDIN, p->noperand ? p->operand[0] : -1,
		        p->noperand ? arg(p, 0) : "-", "the program comes from standard input");
		mp_inline(p, "a program read from standard input");
		return;
	}
	mp_path(p, MODEL_SCRIPT, p->operand[0], arg(p, 0), name);
	if (stdin_path(arg(p, 0)))
		mp_inline(p, "a program read from standard input");
}

static bool code_given(const struct mparse *p)
{
	for (int i = 0; i < p->nocc; i++) {
		unsigned char e = p->occ[i].e ? p->occ[i].e->eff : E_NONE;
		if (e == E_INLINE || e == E_MODULE || e == E_SCRIPT)
			return true;
	}
	return false;
}

static void hook_interpreter(struct mparse *p)
{
	const struct occ *x = mp_option(p, "-X");

	/* python3 -X pycache_prefix=DIR writes compiled files under DIR */
	for (int i = 0; x != NULL && i < p->nocc; i++)
		if (p->occ[i].value != NULL && strncmp(p->occ[i].spell, "-X", 2) == 0 &&
		    strncmp(p->occ[i].value, "pycache_prefix", 14) == 0)
			mp_need(p, MODEL_EXACT,
			        "python3 -X pycache_prefix writes files where it says");
	interpreter(p, code_given(p));
}

/* perl and ruby: -i rewrites the files a -n/-p/-e program reads. */
static void hook_perl(struct mparse *p)
{
	bool code = code_given(p);
	const struct occ *c = mp_option(p, "-C");

	/* perl -C takes a number or letters of its own set, then the cluster goes on. */
	if (c != NULL && c->value != NULL && strcmp(p->m->name, "perl") == 0 &&
	    strspn(c->value, "0123456789IOEioDSAaL") != strlen(c->value))
		mp_need(p, MODEL_EXACT, "a perl -C cluster the model cannot split");

	interpreter(p, code);
	if (!has(p, "-i"))
		return;
	for (int i = code ? 0 : 1; i < p->noperand; i++)
		mp_rewrite(p, p->operand[i], arg(p, i), "-i rewrites it");
}

static const struct effect python_effects[] = {
	{ "-c=", E_INLINE, F_STOP, "python3 -c runs the code it is given", "1" },
	{ "-m=", E_MODULE, F_STOP, "python3 -m runs the module it names", "timeit" },
	{ "-i", E_STDIN, 0, "python3 -i reads code from standard input", NULL },
	END,
};

static const struct effect node_effects[] = {
	{ "-e|--eval=", E_INLINE, 0, "node -e runs the code it is given", "1" },
	{ "-p|--print=", E_INLINE, 0, "node -p runs the code it is given", "1" },
	{ "-r|--require=", E_MODULE, 0, "node -r loads the module it names", "fs" },
	{ "--import=", E_MODULE, 0, "node --import loads the module it names",
	  "data:text/javascript,1" },
	{ "--loader|--experimental-loader=", E_MODULE, 0, "node --loader loads a module", "x" },
	{ "-i|--interactive", E_STDIN, 0, "node -i reads code from standard input", NULL },
	{ "--env-file|--env-file-if-exists=", E_ASK, 0,
	  "node --env-file sets variables (NODE_OPTIONS among them) from a file", "/etc/claw-x" },
	{ "--run=", E_RUN, 0, "node --run runs a package script", "x" },
	{ "--inspect|--inspect-brk|--inspect-wait=?", E_ASK, 0,
	  "node --inspect opens a debugger port", NULL },
	{ "--inspect-port|--debug-port=", E_ASK, 0, "node --inspect-port opens a debugger port",
	  "1" },
	{ "--openssl-config=", E_ASK, 0, "node --openssl-config can load engines", "/etc/claw-x" },
	{ "--snapshot-blob=", E_ASK, 0, "node --snapshot-blob loads a heap snapshot", "x" },
	{ "--build-snapshot", E_ASK, 0, "node --build-snapshot writes a snapshot", NULL },
	{ "--experimental-sea-config=", E_ASK, 0, "node --experimental-sea-config builds a binary",
	  "x" },
	{ "--diagnostic-dir|--report-dir|--report-directory|--cpu-prof-dir|--heap-prof-dir=",
	  E_WRITE, 0, "node writes reports there", "/etc/claw-x" },
	{ "--redirect-warnings=", E_WRITE, 0, "node --redirect-warnings writes the file it names",
	  "/etc/claw-x" },
	END,
};

static const struct effect perl_effects[] = {
	{ "-e=", E_INLINE, 0, "perl -e runs the code it is given", "1" },
	{ "-E=", E_INLINE, 0, "perl -E runs the code it is given", "1" },
	{ "-M=", E_MODULE, 0, "perl -M loads the module it names", "strict" },
	{ "-m=", E_MODULE, 0, "perl -m loads the module it names", "strict" },
	{ "-d=?", E_ASK, 0, "perl -d runs the debugger (or a module)", NULL },
	{ "-i=?", E_NONE, 0, "perl -i rewrites the files it reads", NULL },
	END,
};

static const struct effect ruby_effects[] = {
	{ "-e=", E_INLINE, 0, "ruby -e runs the code it is given", "1" },
	{ "-r|--require=", E_MODULE, 0, "ruby -r loads the library it names", "x" },
	{ "-C=", E_CHDIR, 0, "ruby -C works in another directory", NULL },
	{ "-i=?", E_NONE, 0, "ruby -i rewrites the files it reads", NULL },
	{ "--dump=", E_ASK, 0, "ruby --dump is not modelled", "x" },
	END,
};

static const struct effect php_effects[] = {
	{ "-r=", E_INLINE, F_STOP, "php -r runs the code it is given", "1" },
	{ "-B|-R|-E=", E_INLINE, 0, "php -B/-R/-E run the code they are given", "1" },
	{ "-F|-f=", E_SCRIPT, 0, "php -f runs the file it names", NULL },
	{ "-a", E_STDIN, 0, "php -a reads code from standard input", NULL },
	{ "-c=", E_ASK, 0, "php -c reads an ini file (auto_prepend_file runs code)", "/dev/stdin" },
	{ "-d=", E_ASK, 0, "php -d sets ini entries (auto_prepend_file runs code)",
	  "auto_prepend_file=/tmp/x" },
	{ "-z=", E_RUN, 0, "php -z loads a Zend extension", "/tmp/x.so" },
	{ "-S=", E_ASK, 0, "php -S serves the directory on the network", "0:8000" },
	END,
};

/* deno and bun: a subcommand first. */
static void hook_deno(struct mparse *p)
{
	static const char *const plain[] = { "run",         "test",      "fmt",   "lint",
		                             "check",       "bench",     "info",  "doc",
		                             "cache",       "init",      "types", "coverage",
		                             "completions", "--version", "-V",    "--help",
		                             "-h" };
	static const char *const code[] = { "eval", "repl" };

	if (p->argc < 2)
		return;
	const char *sub = p->argv[1];
	for (size_t i = 0; i < NELEM(code); i++)
		if (strcmp(sub, code[i]) == 0) {
			mp_inline(p, "deno eval runs the code it is given");
			return;
		}
	for (size_t i = 0; i < NELEM(plain); i++)
		if (strcmp(sub, plain[i]) == 0) {
			/* deno run URL fetches code from the network */
			for (int k = 2; k < p->argc; k++)
				if (strstr(p->argv[k], "://") != NULL)
					mp_need(p, MODEL_EXACT, "deno runs code from the network");
			return;
		}
	mp_need(p, MODEL_EXACT, "a deno subcommand the model does not know");
}

static void hook_bun(struct mparse *p)
{
	static const char *const plain[] = { "run",       "test",   "install", "i",
		                             "add",       "remove", "rm",      "update",
		                             "build",     "init",   "pm",      "outdated",
		                             "--version", "-v",     "--help",  "-h" };

	if (p->argc < 2)
		return;
	const char *sub = p->argv[1];
	if (strcmp(sub, "-e") == 0 || strcmp(sub, "--eval") == 0 || strcmp(sub, "-p") == 0 ||
	    strcmp(sub, "--print") == 0 || strcmp(sub, "repl") == 0) {
		mp_inline(p, "bun -e runs the code it is given");
		return;
	}
	if (strcmp(sub, "x") == 0 || strcmp(sub, "create") == 0 || strcmp(sub, "exec") == 0) {
		mp_need(p, MODEL_EXACT, "bun x runs the package command it is given");
		return;
	}
	for (size_t i = 0; i < NELEM(plain); i++)
		if (strcmp(sub, plain[i]) == 0)
			return;
	if (sub[0] != '-') {
		mp_path(p, MODEL_SCRIPT, 1, sub, "bun runs the file or package script it names");
		return;
	}
	mp_need(p, MODEL_EXACT, "a bun option the model does not know");
}

/* ---- package managers ---- */

/* npm, yarn and pnpm subcommands; the options the model knows are harmless. */
static const struct pm_sub {
	const char *tools; /* "npm yarn pnpm" */
	const char *names;
	unsigned char eff;
	const char *why;
} pm_subs[] = {
	{ "npm yarn pnpm",
	  "install i add ci uninstall remove rm r un update up upgrade test t tst run run-script "
	  "rum urn start stop restart ls list ll la outdated view info show v search s find audit "
	  "pack prefix root bin help doctor fund explain why query dedupe ddp prune rebuild rb "
	  "install-test it install-ci-test cit ping version init",
	  E_NONE, NULL },
	{ "npm yarn pnpm", "exec x dlx create", E_RUN, "runs the package command it is given" },
	{ "npm", "explore edit", E_RUN, "runs a shell or an editor" },
	{ "npm yarn pnpm", "config c set get", E_ASK,
	  "changes the package manager's config (script-shell, registries)" },
	{ "npm yarn pnpm",
	  "link ln unlink global publish unpublish login logout adduser add-user "
	  "whoami token owner access team org profile star unstar deprecate dist-tag hook setup "
	  "env store repo docs bugs",
	  E_ASK, "changes what is installed for everyone, credentials or the registry" },
};

static const char *const pm_plain_options =
    " --silent -s --quiet -q --loglevel --json --parseable --save-dev -D --save -S --save-exact "
    "-E --no-save --production --omit --include --workspace -w --workspaces -ws --if-present "
    "--ignore-scripts --legacy-peer-deps --force -f --dry-run --no-audit --no-fund --yes -y "
    "--verbose --color --no-color --depth --all -a --long -l --version -v --help -h "
    "--frozen-lockfile --prefer-offline --offline --recursive -r --filter --dev -P --prod ";

static bool pm_option(const char *a)
{
	char word[64];
	size_t n = strcspn(a, "=");

	if (n + 3 > sizeof(word))
		return false;
	word[0] = ' ';
	memcpy(word + 1, a, n);
	word[n + 1] = ' ';
	word[n + 2] = '\0';
	return strstr(pm_plain_options, word) != NULL;
}

static void hook_pm(struct mparse *p)
{
	const char *tool = p->m->name, *sub = NULL;

	if (strcmp(tool, "npx") == 0 || strcmp(tool, "pnpx") == 0) {
		if (p->argc == 2 &&
		    (strcmp(p->argv[1], "--version") == 0 || strcmp(p->argv[1], "--help") == 0))
			return;
		mp_need(p, MODEL_EXACT, "npx runs the package command it is given");
		return;
	}
	int nwords = 0;
	for (int i = 1; i < p->argc; i++) {
		const char *a = p->argv[i];
		if (strcmp(a, "--") == 0)
			break; /* npm run build -- --watch: the script's own arguments */
		if (a[0] == '-' && a[1] != '\0') {
			if (!pm_option(a)) {
				mp_need(p, MODEL_EXACT,
				        "a package manager option the model does not know "
				        "(--script-shell, --node-options run programs)");
				return;
			}
			continue;
		}
		if (sub == NULL)
			sub = a;
		else
			nwords++;
	}
	if (sub == NULL)
		return;
	/* npm init vite is npm exec create-vite */
	if ((strcmp(sub, "init") == 0 || strcmp(sub, "create") == 0) && nwords > 0) {
		mp_need(p, MODEL_EXACT, "init with an initializer runs the package it names");
		return;
	}
	for (size_t i = 0; i < NELEM(pm_subs); i++) {
		const struct pm_sub *s = &pm_subs[i];
		if (!mp_word_in(s->tools, tool, strlen(tool)) ||
		    !mp_word_in(s->names, sub, strlen(sub)))
			continue;
		if (s->eff != E_NONE)
			mp_need(p, MODEL_EXACT, s->why);
		return;
	}
	mp_need(p, MODEL_EXACT, "a package manager subcommand the model does not know");
}

/* ---- cmake ---- */

/* cmake -E COMMAND: the tools that only read or print, and those that write. */
static void cmake_tool(struct mparse *p, int at)
{
	static const char *const plain[] = { "echo",          "echo_append", "capabilities",
		                             "compare_files", "md5sum",      "sha1sum",
		                             "sha224sum",     "sha256sum",   "sha384sum",
		                             "sha512sum",     "true",        "false",
		                             "sleep",         "cat",         "environment" };
	static const char *const writes[] = {
		"copy",           "copy_directory", "copy_if_different", "make_directory", "touch",
		"touch_nocreate", "rename",         "create_symlink",    "create_hardlink"
	};
	static const char *const deletes[] = { "remove", "rm", "remove_directory" };
	const char *cmd = at < p->argc ? p->argv[at] : "";

	for (size_t i = 0; i < NELEM(plain); i++)
		if (strcmp(cmd, plain[i]) == 0)
			return;
	for (size_t i = 0; i < NELEM(writes); i++)
		if (strcmp(cmd, writes[i]) == 0) {
			for (int k = at + 1; k < p->argc; k++)
				if (p->argv[k][0] != '-')
					mp_path(p, k + 1 == p->argc ? MODEL_WRITE : MODEL_READ, k,
					        p->argv[k], "cmake -E copies or makes it");
			return;
		}
	for (size_t i = 0; i < NELEM(deletes); i++)
		if (strcmp(cmd, deletes[i]) == 0) {
			for (int k = at + 1; k < p->argc; k++)
				if (p->argv[k][0] != '-')
					mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, true, k,
					           p->argv[k], "cmake -E rm removes it");
			return;
		}
	if (strcmp(cmd, "env") == 0 || strcmp(cmd, "chdir") == 0 || strcmp(cmd, "time") == 0) {
		mp_need(p, MODEL_PERSON, "cmake -E env runs the command it is given");
		return;
	}
	mp_need(p, MODEL_EXACT, "a cmake -E command the model does not know");
}

/* -D NAME[:TYPE]=VALUE: what names no program, toolchain or script. */
static void cmake_define(struct mparse *p, const char *def)
{
	static const char *const plain[] = { "CMAKE_BUILD_TYPE",
		                             "CMAKE_INSTALL_PREFIX",
		                             "CMAKE_EXPORT_COMPILE_COMMANDS",
		                             "BUILD_SHARED_LIBS",
		                             "BUILD_TESTING",
		                             "CMAKE_C_STANDARD",
		                             "CMAKE_CXX_STANDARD",
		                             "CMAKE_VERBOSE_MAKEFILE",
		                             "CMAKE_COLOR_DIAGNOSTICS",
		                             "CMAKE_POSITION_INDEPENDENT_CODE" };
	size_t n = strcspn(def, ":=");
	const char *value = strchr(def, '=');

	for (size_t i = 0; i < NELEM(plain); i++)
		if (strlen(plain[i]) == n && strncmp(def, plain[i], n) == 0)
			return;
	/* A project's own switch, turned on or off. */
	if (strncmp(def, "CMAKE_", 6) != 0 && value != NULL &&
	    (strcasecmp(value + 1, "ON") == 0 || strcasecmp(value + 1, "OFF") == 0 ||
	     strcasecmp(value + 1, "TRUE") == 0 || strcasecmp(value + 1, "FALSE") == 0 ||
	     strcmp(value + 1, "0") == 0 || strcmp(value + 1, "1") == 0))
		return;
	mp_need(p, MODEL_EXACT,
	        "a cmake -D the model does not know (compilers, launchers and "
	        "toolchains are programs)");
}

const struct model model_cmake_configure = {
	.name = "cmake",
	.grammar = G_GNU,
	.plain =
	    "-S= -B= -G= -T= -A= -U= -W= -L=? -N --preset= --list-presets=? --fresh "
	    "--log-level= --log-context --debug-output --warn-uninitialized --no-warn-unused-cli "
	    "--check-system-vars --install-prefix= --version --help -h --help-full "
	    "--help-command= --help-module= --help-policy= --help-variable= --help-property= "
	    "--help-manual= --help-command-list --help-module-list --system-information "
	    "-j|--parallel=? -t|--target= --config= --clean-first -v|--verbose "
	    "--resolve-package-references=",
	.effects =
	    (const struct effect[]){
	        { "-D=", E_CODE, 0, "cmake -D sets a cache entry", "CMAKE_C_COMPILER=/tmp/x" },
	        { "-C=", E_ASK, 0, "cmake -C runs a cache script", "/tmp/x.cmake" },
	        { "--toolchain=", E_ASK, 0, "cmake --toolchain runs a toolchain file", "/tmp/x" },
	        { "-P=", E_SCRIPT, F_STOP, "cmake -P runs the script it names", NULL },
	        { "--graphviz=", E_WRITE, 0, "cmake --graphviz writes the file it names",
	          "/etc/claw-x" },
	        { "--trace|--trace-expand|--trace-source=?", E_NONE, 0, NULL, NULL },
	        { "--trace-redirect=", E_WRITE, 0, "cmake --trace-redirect writes a file",
	          "/etc/claw-x" },
	        { "--profiling-output=", E_WRITE, 0, "cmake --profiling-output writes a file",
	          "/etc/claw-x" },
	        { "--build=", E_NONE, 0, "the build directory", NULL },
	        END,
	    },
};

static void hook_cmake(struct mparse *p)
{
	if (p->argc >= 2 && strcmp(p->argv[1], "-E") == 0) {
		cmake_tool(p, 2);
		return;
	}
	if (p->argc >= 2 &&
	    (strcmp(p->argv[1], "--install") == 0 || strcmp(p->argv[1], "--open") == 0 ||
	     strcmp(p->argv[1], "--workflow") == 0)) {
		mp_need(p, MODEL_EXACT, "cmake --install writes where its prefix says");
		return;
	}
	if (!mp_parse(p, &model_cmake_configure, 1))
		return;
	if (p->dashdash >= 0) {
		mp_need(p, MODEL_EXACT, "options after -- go to the build tool unread");
		return;
	}
	for (int i = 0; i < p->nocc; i++)
		if (p->occ[i].e != NULL && p->occ[i].e->eff == E_CODE && p->occ[i].value != NULL)
			cmake_define(p, p->occ[i].value);
}

/* ---- the table ---- */

#define PYTHON_PLAIN                                                                               \
	"-b -B -d -E -h|-?|--help -I -O -P -q -s -S -u -v -V|--version -x -R --help-env "          \
	"--help-xoptions --help-all -X= -W= --check-hash-based-pycs="

const struct model model_rows[] = {
	{ .name = "git",
	  .grammar = G_NONE,
	  .hook = model_git,
	  .allows = "git, after its global options, by the row of its subcommand" },
	{ .name = "sed",
	  .inline_eval = true,
	  .also = "gsed",
	  .grammar = G_GNU,
	  .operands = E_READ,
	  .plain = "-n|--quiet|--silent --debug -E|-r|--regexp-extended --posix -s|--separate "
	           "-u|--unbuffered -z|--null-data -l|--line-length= --follow-symlinks -b|--binary "
	           "--help --version --sandbox",
	  .effects = sed_effects,
	  .hook = hook_sed,
	  .allows = "scripts that only print and edit the stream (no e, w, W, r, R, s///e, "
	            "s///w); -i rewrites files in the working directory",
	  .risky_operand = "1e id" },
	{ .name = "awk",
	  .inline_eval = true,
	  .also = "gawk mawk nawk original-awk",
	  .grammar = G_GNU,
	  .operands = E_READ,
	  .plain = "-F|--field-separator= -v|--assign= -b|--characters-as-bytes -c|--traditional "
	           "-C|--copyright -g|--gen-pot -h|--help -M|--bignum -n|--non-decimal-data "
	           "-N|--use-lc-numeric -O|--optimize -P|--posix -r|--re-interval "
	           "-s|--no-optimize -S|--sandbox -t|--lint-old -V|--version -L|--lint=?",
	  .effects = awk_effects,
	  .hook = hook_awk,
	  .allows = "programs that only read their input and print (no system(), pipes, "
	            "redirections, getline from files or commands, @load, @include)",
	  .risky_operand = "BEGIN{system(\"id\")}" },
	{ .name = "find",
	  .inline_eval = true,
	  .grammar = G_NONE,
	  .hook = hook_find,
	  .allows = "tests and -print, -printf, -ls; never -exec, -execdir, -ok, -okdir, -delete, "
	            "-fprint" },
	{ .name = "make",
	  .inline_eval = true,
	  .also = "gmake",
	  .grammar = G_GNU,
	  .plain = "-b -m -B|--always-make -d --debug=? -e|--environment-overrides -h|--help "
	           "-i|--ignore-errors -I|--include-dir= -j|--jobs=? -k|--keep-going "
	           "-l|--load-average|--max-load=? -L|--check-symlink-times "
	           "-n|--just-print|--dry-run|--recon -o|--old-file|--assume-old= "
	           "-O|--output-sync=? -p|--print-data-base -q|--question -r|--no-builtin-rules "
	           "-R|--no-builtin-variables -s|--silent|--quiet --no-silent "
	           "-S|--no-keep-going|--stop -t|--touch -v|--version -w|--print-directory "
	           "--no-print-directory -W|--what-if|--new-file|--assume-new= "
	           "--warn-undefined-variables --trace --shuffle=?",
	  .effects = make_effects,
	  .hook = hook_make,
	  .allows = "the default makefile, targets, and NAME=VALUE without $ for variables "
	            "that name no program; never -f, --eval",
	  .risky_operand = "X!=id" },
	{ .name = "sort",
	  .grammar = G_GNU,
	  .operands = E_READ,
	  .plain = "-b|--ignore-leading-blanks -d|--dictionary-order -f|--ignore-case "
	           "-g|--general-numeric-sort -i|--ignore-nonprinting -M|--month-sort "
	           "-h|--human-numeric-sort -n|--numeric-sort -R|--random-sort -r|--reverse "
	           "--sort= -V|--version-sort --batch-size= -c --check=? -C --debug -k|--key= "
	           "-m|--merge -s|--stable -S|--buffer-size= -t|--field-separator= --parallel= "
	           "-u|--unique -z|--zero-terminated --help --version",
	  .effects = sort_effects,
	  .allows = "sorting; never -o, -T (they write files) or --compress-program" },
	{ .name = "grep",
	  .also = "egrep fgrep rgrep",
	  .grammar = G_GNU,
	  .operands = E_READ,
	  .digits = true,
	  .plain = "-E|--extended-regexp -F|--fixed-strings -G|--basic-regexp -P|--perl-regexp "
	           "-e|--regexp= -i|--ignore-case --no-ignore-case -w|--word-regexp "
	           "-x|--line-regexp -y -s|--no-messages -v|--invert-match -V|--version --help "
	           "-m|--max-count= -b|--byte-offset -n|--line-number --line-buffered "
	           "-H|--with-filename -h|--no-filename --label= -o|--only-matching "
	           "-q|--quiet|--silent --binary-files= -a|--text -I -d|--directories= "
	           "-D|--devices= -r|--recursive -R|--dereference-recursive --include= "
	           "--exclude= --exclude-dir= -L|--files-without-match "
	           "-l|--files-with-matches -c|--count -T|--initial-tab -Z|--null "
	           "-z|--null-data -B|--before-context= -A|--after-context= -C|--context= "
	           "--group-separator= --no-group-separator --color|--colour=? -U|--binary",
	  .effects = grep_effects,
	  .hook = hook_grep,
	  .allows = "searching; -f only from the working directory" },
	{ .name = "rg",
	  .grammar = G_GNU,
	  .operands = E_READ,
	  .plain = "-e|--regexp= -i|--ignore-case -s|--case-sensitive -S|--smart-case "
	           "-F|--fixed-strings -w|--word-regexp -x|--line-regexp -v|--invert-match "
	           "-n|--line-number -N|--no-line-number -c|--count --count-matches "
	           "-l|--files-with-matches --files-without-match -o|--only-matching "
	           "-A|--after-context= -B|--before-context= -C|--context= -g|--glob= --iglob= "
	           "-t|--type= -T|--type-not= --type-list -u|--unrestricted --hidden --no-hidden "
	           "--no-ignore --no-ignore-vcs --no-ignore-parent --no-ignore-global "
	           "--no-ignore-dot --no-ignore-exclude --no-ignore-files -L|--follow "
	           "-m|--max-count= -d|--max-depth= --max-filesize= -j|--threads= --color= "
	           "--colors= -p|--pretty --heading --no-heading -H|--with-filename "
	           "-I|--no-filename --vimgrep --json --stats --sort= --sortr= "
	           "-M|--max-columns= --max-columns-preview --trim -q|--quiet --files "
	           "-0|--null --null-data -U|--multiline --multiline-dotall -P|--pcre2 "
	           "--engine= -a|--text --binary --no-config -V|--version -h|--help --column "
	           "--no-column -b|--byte-offset --passthru -r|--replace= --no-messages --debug "
	           "--trace --crlf -E|--encoding= --one-file-system --no-unicode --type-add=",
	  .effects = rg_effects,
	  .hook = hook_rg,
	  .allows = "searching; never --pre, -z, --hostname-bin" },
	{ .name = "cp",
	  .destroys = true,
	  .grammar = G_GNU,
	  .plain = "-a|--archive --attributes-only --backup=? -b --copy-contents -d -f|--force "
	           "-i|--interactive -H -l|--link -L|--dereference -n|--no-clobber "
	           "-P|--no-dereference -p --preserve=? --no-preserve= --parents "
	           "-R|-r|--recursive --reflink=? --remove-destination --sparse= "
	           "--strip-trailing-slashes -s|--symbolic-link -S|--suffix= "
	           "-T|--no-target-directory -u|--update=? -v|--verbose -x|--one-file-system -Z "
	           "--context=? --debug --keep-directory-symlink --help --version",
	  .effects = cp_effects,
	  .hook = hook_cp,
	  .allows = "copies into the working directory (onto a file there: destructive)",
	  .risky_operand = "/etc/claw-x" },
	{ .name = "mv",
	  .destroys = true,
	  .grammar = G_GNU,
	  .plain = "--backup=? -b -f|--force -i|--interactive -n|--no-clobber "
	           "--strip-trailing-slashes -S|--suffix= -T|--no-target-directory -u|--update=? "
	           "-v|--verbose -Z|--context --debug --exchange --no-copy --help --version",
	  .effects = cp_effects,
	  .hook = hook_mv,
	  .allows = "moves within the working directory (onto a file there: destructive)",
	  .risky_operand = "/etc/claw-x" },
	{
	    .name = "ln",
	    .destroys = true,
	    .grammar = G_GNU,
	    .plain = "--backup=? -b -d|-F|--directory -f|--force -i|--interactive -L|--logical "
	             "-n|--no-dereference -P|--physical -r|--relative -s|--symbolic -S|--suffix= "
	             "-T|--no-target-directory -v|--verbose --help --version",
	    .effects = cp_effects,
	    .hook = hook_ln,
	    .allows = "links made in the working directory",
	},
	{ .name = "install",
	  .destroys = true,
	  .grammar = G_GNU,
	  .plain = "--backup=? -b -c -C|--compare -d|--directory -D -g|--group= -m|--mode= "
	           "-o|--owner= -p|--preserve-timestamps -s|--strip -S|--suffix= "
	           "-T|--no-target-directory -v|--verbose -Z --context=? --debug --help --version",
	  .effects = install_effects,
	  .hook = hook_install,
	  .allows = "installs into the working directory",
	  .risky_operand = "/etc/claw-x" },
	{ .name = "rm",
	  .destroys = true,
	  .grammar = G_GNU,
	  .plain = "-f|--force -i -I --interactive=? --one-file-system --preserve-root=? "
	           "-r|-R|--recursive -d|--dir -v|--verbose --help --version",
	  .effects = rm_effects,
	  .hook = hook_rm,
	  .allows = "removes in the working directory (destructive)",
	  .risky_operand = "/etc/claw-x" },
	{ .name = "rmdir",
	  .destroys = true,
	  .grammar = G_GNU,
	  .plain = "--ignore-fail-on-non-empty -p|--parents -v|--verbose --help --version",
	  .hook = hook_rmdir,
	  .allows = "removes directories in the working directory",
	  .risky_operand = "/etc/claw-x" },
	{ .name = "unlink",
	  .destroys = true,
	  .grammar = G_GNU,
	  .plain = "--help --version",
	  .hook = hook_unlink,
	  .allows = "removes a file in the working directory",
	  .risky_operand = "/etc/claw-x" },
	{ .name = "shred",
	  .destroys = true,
	  .grammar = G_GNU,
	  .plain = "-f|--force -n|--iterations= -s|--size= -u --remove=? -v|--verbose "
	           "-x|--exact -z|--zero --help --version",
	  .effects = shred_effects,
	  .hook = hook_shred,
	  .allows = "overwrites files in the working directory (never recoverable)",
	  .risky_operand = "/etc/claw-x" },
	{ .name = "truncate",
	  .destroys = true,
	  .grammar = G_GNU,
	  .plain = "-c|--no-create -o|--io-blocks -r|--reference= -s|--size= --help --version",
	  .hook = hook_truncate,
	  .allows = "cuts files in the working directory (never recoverable)",
	  .risky_operand = "/etc/claw-x" },
	{ .name = "tee",
	  .destroys = true,
	  .grammar = G_GNU,
	  .plain = "-a|--append -i|--ignore-interrupts -p --output-error=? --help --version",
	  .hook = hook_tee,
	  .allows = "writes files in the working directory",
	  .risky_operand = "/etc/claw-x" },
	{ .name = "mkdir",
	  .grammar = G_GNU,
	  .plain = "-m|--mode= -p|--parents -v|--verbose -Z --context=? --help --version",
	  .hook = hook_mkdir,
	  .allows = "makes directories in the working directory",
	  .risky_operand = "/etc/claw-x" },
	{ .name = "touch",
	  .grammar = G_GNU,
	  .plain = "-a -c|--no-create -d|--date= -f -h|--no-dereference -m -r|--reference= -t= "
	           "--time= --help --version",
	  .hook = hook_touch,
	  .allows = "touches files in the working directory",
	  .risky_operand = "/etc/claw-x" },
	{ .name = "chmod",
	  .grammar = G_GNU,
	  .plain = "-c|--changes -f|--silent|--quiet -v|--verbose --no-preserve-root "
	           "--preserve-root -R|--recursive --help --version",
	  .effects = chmod_effects,
	  .hook = hook_chmod,
	  .allows = "changes modes in the working directory, never a setuid or setgid bit" },
	{ .name = "date",
	  .grammar = G_GNU,
	  .plain = "-d|--date= -I|--iso-8601=? -R|--rfc-email --rfc-3339= -r|--reference= "
	           "-u|--utc|--universal --debug --resolution --help --version",
	  .effects = date_effects,
	  .hook = hook_date,
	  .allows = "printing dates; never -s or MMDDhhmm (the clock)",
	  .risky_operand = "0101000070" },
	{ .name = "dd",
	  .destroys = true,
	  .grammar = G_NONE,
	  .hook = hook_dd,
	  .allows = "copies with of= in the working directory",
	  .risky_operand = "of=/etc/claw-x" },
	{ .name = "tar",
	  .also = "gtar",
	  .grammar = G_GNU,
	  .oldstyle = true,
	  .plain = "-A|--catenate|--concatenate -c|--create --delete -d|--diff|--compare "
	           "-r|--append --test-label -t|--list -u|--update -x|--extract|--get "
	           "--check-device --no-check-device -G|--incremental --hole-detection= "
	           "--ignore-failed-read --level= --no-seek -n|--seek --occurrence=? "
	           "--sparse-version= -S|--sparse --add-file= --exclude= --exclude-backups "
	           "--exclude-caches --exclude-caches-all --exclude-caches-under "
	           "--exclude-ignore= --exclude-ignore-recursive= --exclude-tag= "
	           "--exclude-tag-all= --exclude-tag-under= --exclude-vcs --exclude-vcs-ignores "
	           "--no-null --no-recursion --no-unquote --no-verbatim-files-from --null "
	           "--recursion --unquote --verbatim-files-from --anchored --ignore-case "
	           "--no-anchored --no-ignore-case --no-wildcards --no-wildcards-match-slash "
	           "--wildcards --wildcards-match-slash --keep-directory-symlink "
	           "--keep-newer-files -k|--keep-old-files --no-overwrite-dir --one-top-level=? "
	           "--overwrite --overwrite-dir --skip-old-files -U|--unlink-first -W|--verify "
	           "--ignore-command-error --no-ignore-command-error -O|--to-stdout "
	           "--atime-preserve=? --clamp-mtime --delay-directory-restore --group= --mode= "
	           "--mtime= -m|--touch --no-delay-directory-restore --no-same-owner "
	           "--no-same-permissions --numeric-owner --owner= "
	           "-p|--preserve-permissions|--same-permissions --same-owner --sort= "
	           "-s|--preserve-order|--same-order --acls --no-acls --no-selinux --no-xattrs "
	           "--selinux --xattrs --xattrs-exclude= --xattrs-include= --force-local "
	           "-b|--blocking-factor= -B|--read-full-records -i|--ignore-zeros "
	           "--record-size= -H|--format= --old-archive|--portability --pax-option= "
	           "--posix -V|--label= -a|--auto-compress -j|--bzip2 -J|--xz --lzip --lzma "
	           "--lzop --no-auto-compress --zstd -z|--gzip|--gunzip|--ungzip "
	           "-Z|--compress|--uncompress --backup=? --hard-dereference -h|--dereference "
	           "-K|--starting-file= --newer-mtime= -N|--newer|--after-date= "
	           "--one-file-system --suffix= --strip-components= --transform|--xform= "
	           "--checkpoint=? --full-time -l|--check-links --no-quote-chars= "
	           "--quote-chars= --quoting-style= -R|--block-number --show-defaults "
	           "--show-omitted-dirs --show-snapshot-field-ranges --show-transformed-names "
	           "--show-stored-names --totals=? --utc -v|--verbose --warning= "
	           "-w|--interactive|--confirmation -?|--help --restrict --usage --version",
	  .effects = tar_effects,
	  .hook = hook_tar,
	  .allows = "archives written and extracted in the working directory; never "
	            "--to-command, -I, -F, --checkpoint-action" },
	{ .name = "zip",
	  .grammar = G_NONE,
	  .hook = hook_zip,
	  .allows = "archives of files; never -TT" },
	{ .name = "unzip",
	  .grammar = G_GNU,
	  .plain = "-p -l -f -t -u -z -v -T -x= -n -o -q -a -j -U -C -L -X -V -Z -h",
	  .effects = unzip_effects,
	  .hook = hook_unzip,
	  .allows = "extracting into the working directory" },
	{ .name = "rsync",
	  .grammar = G_GIT,
	  .plain = "-v|--verbose -q|--quiet -c|--checksum -a|--archive -r|--recursive "
	           "-R|--relative --no-implied-dirs -b|--backup --suffix= -u|--update --inplace "
	           "--append --append-verify -d|--dirs -l|--links -L|--copy-links "
	           "--copy-unsafe-links --safe-links --munge-links -k|--copy-dirlinks "
	           "-K|--keep-dirlinks -H|--hard-links -p|--perms -E|--executability --chmod= "
	           "-A|--acls -X|--xattrs -o|--owner -g|--group --devices --specials -D "
	           "-t|--times -O|--omit-dir-times -J|--omit-link-times --super --fake-super "
	           "-S|--sparse --preallocate -n|--dry-run -W|--whole-file -x|--one-file-system "
	           "-B|--block-size= --existing --ignore-existing --ignore-errors --force "
	           "--max-delete= --max-size= --min-size= --partial --delay-updates "
	           "-m|--prune-empty-dirs --numeric-ids --timeout= --contimeout= "
	           "-I|--ignore-times --size-only --modify-window= -y|--fuzzy -z|--compress "
	           "--compress-choice|--zc= --compress-level|--zl= --skip-compress= "
	           "-C|--cvs-exclude -f|--filter= -F --exclude= --include= -0|--from0 "
	           "-s|--protect-args|--secluded-args --address= --port= --sockopts= "
	           "--blocking-io --stats -8|--8-bit-output -h|--human-readable --progress -P "
	           "-i|--itemize-changes --out-format= --log-file-format= --list-only "
	           "--bwlimit= --protocol= --iconv= --checksum-seed= -4|--ipv4 -6|--ipv6 "
	           "--version --help --info= --debug= --no-motd --mkpath --stderr= "
	           "--open-noatime --chown= --usermap= --groupmap= --max-alloc= -U|--atimes "
	           "-N|--crtimes",
	  .effects = rsync_effects,
	  .hook = hook_rsync,
	  .allows = "copies into the working directory; never -e, --rsync-path" },
	{ .name = "ssh",
	  .grammar = G_POSIX,
	  .plain = "-4 -6 -a -C -g -G -k -K -n -N -q -s -t -T -v -V -x -y -B= -b= -c= -e= -J= "
	           "-l= -m= -p= -Q=",
	  .effects = ssh_effects,
	  .hook = hook_ssh,
	  .allows = "connections with -o options that name no program; never -F, -I, -S, "
	            "forwardings" },
	{ .name = "scp",
	  .grammar = G_GNU,
	  .plain = "-3 -4 -6 -B -C -O -p -q -R -r -s -T -v -c= -J= -l= -P=",
	  .effects = scp_effects,
	  .hook = hook_scp,
	  .allows = "copies into the working directory; never -S, -D, -F" },
	{ .name = "sftp",
	  .grammar = G_NONE,
	  .hook = hook_sftp,
	  .allows = "nothing: sftp reads commands that run local programs" },
	{ .name = "less",
	  .also = "pager",
	  .grammar = G_GNU,
	  .digits = true,
	  .plain = "-N|--LINE-NUMBERS -n|--line-numbers -S|--chop-long-lines "
	           "-R|--RAW-CONTROL-CHARS -r|--raw-control-chars -F|--quit-if-one-screen "
	           "-X|--no-init -i|--ignore-case -I|--IGNORE-CASE -M|--LONG-PROMPT "
	           "-m|--long-prompt -E|--QUIT-AT-EOF -e|--quit-at-eof -q|--quiet|--silent "
	           "-Q|--QUIET|--SILENT -s|--squeeze-blank-lines -x|--tabs= -V|--version "
	           "--help -?|--help -K|--quit-on-intr -f|--force -p|--pattern= "
	           "-P|--prompt= -t|--tag= -y|--max-forw-scroll= -z|--window= -b|--buffers= "
	           "-h|--max-back-scroll= -j|--jump-target= -a|--search-skip-screen "
	           "-c|--clear-screen -w|--hilite-unread -W|--HILITE-UNREAD -g|--hilite-search "
	           "-G|--HILITE-SEARCH -J|--status-column -u|--underline-special "
	           "-U|--UNDERLINE-SPECIAL -d|--dumb -D= --mouse --wheel-lines= --use-color "
	           "--incsearch --line-num-width= --status-col-width= --header= --no-vbell "
	           "--redraw-on-quit --rscroll= --save-marks --search-options= --use-backslash "
	           "--exit-follow-on-close --follow-name --no-keypad --no-histdups",
	  .effects = less_effects,
	  .hook = hook_less,
	  .allows = "showing files; never -k, --lesskey-src, +commands" },
	{ .name = "more",
	  .grammar = G_GNU,
	  .digits = true,
	  .plain = "-d|--silent -l|--logical -e|--exit-on-eof -f|--no-pause -p|--print-over "
	           "-c|--clean-print -s|--squeeze -u|--plain -n|--lines= -h|--help -V|--version",
	  .hook = hook_less,
	  .allows = "showing files" },
	{ .name = "man",
	  .grammar = G_GNU,
	  .plain = "-a|--all -f|--whatis -k|--apropos -K|--global-apropos -w|--where|--path|"
	           "--location -W|--where-cat|--location-cat -t|--troff -T|--troff-device=? "
	           "-Z|--ditroff -p|--preprocessor= -M|--manpath= -m|--systems= "
	           "-S|-s|--sections= -e|--extension= -L|--locale= -R|--recode= -E|--encoding= "
	           "--no-subpages -u|--update -7|--ascii --no-hyphenation|--nh "
	           "--no-justification|--nj -i|--ignore-case -I|--match-case --regex "
	           "--wildcard --names-only -D|--default -d|--debug -h|--help -V|--version "
	           "--usage -r|--prompt= -?",
	  .effects = man_effects,
	  .hook = hook_man,
	  .allows = "manual pages; never -P, -H, -C" },
	{ .name = "python",
	  .inline_eval = true,
	  .also = "python3 python2 pypy pypy3",
	  .grammar = G_POSIX,
	  .plain = PYTHON_PLAIN,
	  .effects = python_effects,
	  .hook = hook_interpreter,
	  .allows = "scripts; -c, -m and standard input ask under strictInlineEval" },
	{ .name = "node",
	  .inline_eval = true,
	  .also = "nodejs",
	  .grammar = G_POSIX,
	  .plain = "-v|--version -h|--help -c|--check --no-warnings --enable-source-maps "
	           "--trace-warnings --trace-deprecation --throw-deprecation --no-deprecation "
	           "--pending-deprecation --max-old-space-size= --max-semi-space-size= "
	           "--stack-size= --title= --test --test-only --test-reporter= "
	           "--test-reporter-destination= --test-name-pattern= --test-concurrency= "
	           "--test-timeout= --watch --watch-path= --watch-preserve-output "
	           "--experimental-vm-modules --experimental-strip-types "
	           "--experimental-transform-types --no-experimental-strip-types "
	           "--experimental-test-coverage --input-type= --preserve-symlinks "
	           "--preserve-symlinks-main --abort-on-uncaught-exception "
	           "--unhandled-rejections= --trace-uncaught --zero-fill-buffers "
	           "--frozen-intrinsics --disable-proto= --experimental-default-type= "
	           "--no-addons --conditions|-C= --expose-gc --cpu-prof --heap-prof "
	           "--experimental-permission --permission --allow-fs-read= --allow-fs-write= "
	           "--allow-child-process --allow-worker --allow-addons --allow-wasi "
	           "--no-experimental-fetch --no-experimental-global-webcrypto --v8-options "
	           "--completion-bash --trace-exit --trace-sigint --report-on-signal "
	           "--experimental-wasm-modules --experimental-json-modules",
	  .effects = node_effects,
	  .hook = hook_interpreter,
	  .allows = "scripts; -e, -p, -r, --import and standard input ask under "
	            "strictInlineEval" },
	{ .name = "perl",
	  .inline_eval = true,
	  .grammar = G_POSIX,
	  .plain = "-a -c -n -p -s -S -t -T -u -U -w -W -X -v -V=? -h -l=# -0=# -C=? -D=? -F=? "
	           "-x=? -I=",
	  .effects = perl_effects,
	  .hook = hook_perl,
	  .allows = "scripts; -e, -E, -M and standard input ask under strictInlineEval; -i "
	            "rewrites files in the working directory" },
	{ .name = "ruby",
	  .inline_eval = true,
	  .grammar = G_POSIX,
	  .plain = "-a -c -d -l -n -p -s -S -v -w -W=# -x=? -y -0=# -E= -F=? -I= -U "
	           "--version --help -h --verbose --copyright --disable= --enable= --jit --yjit "
	           "--backtrace-limit= --encoding= --external-encoding= --internal-encoding=",
	  .effects = ruby_effects,
	  .hook = hook_perl,
	  .allows = "scripts; -e, -r and standard input ask under strictInlineEval" },
	{ .name = "php",
	  .inline_eval = true,
	  .grammar = G_POSIX,
	  .plain = "-h -i -l -m -n -q -s -v -w -H --ini --rf= --rc= --re= --rz= --ri= -t=",
	  .effects = php_effects,
	  .hook = hook_interpreter,
	  .allows = "scripts; -r and standard input ask under strictInlineEval; never -c, -d, "
	            "-z" },
	{ .name = "deno",
	  .inline_eval = true,
	  .grammar = G_NONE,
	  .hook = hook_deno,
	  .allows = "run, test, fmt, lint, check of local files; eval asks under "
	            "strictInlineEval" },
	{ .name = "bun",
	  .inline_eval = true,
	  .grammar = G_NONE,
	  .hook = hook_bun,
	  .allows = "run, test, install; bun x asks" },
	{ .name = "npm",
	  .grammar = G_NONE,
	  .hook = hook_pm,
	  .allows = "install, test, run and the read-only subcommands; never exec, explore, "
	            "config set" },
	{ .name = "npx",
	  .also = "pnpx",
	  .grammar = G_NONE,
	  .hook = hook_pm,
	  .allows = "nothing: npx runs the package command it is given" },
	{ .name = "yarn",
	  .grammar = G_NONE,
	  .hook = hook_pm,
	  .allows = "install, test, run and the read-only subcommands; never dlx, exec" },
	{ .name = "pnpm",
	  .grammar = G_NONE,
	  .hook = hook_pm,
	  .allows = "install, test, run and the read-only subcommands; never dlx, exec" },
	{ .name = "cmake",
	  .destroys = true,
	  .grammar = G_NONE,
	  .hook = hook_cmake,
	  .allows = "configuring and building; -E tools that print or write in the working "
	            "directory, never -E env" },
};

const size_t model_nrows = NELEM(model_rows);
