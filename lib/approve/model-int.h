/*
 * model-int.h: the models' own types, shared by the engine (model.c), the
 * tables (models.c, model-git.c) and the embedded languages (model-sed.c,
 * model-awk.c). Nothing outside lib/approve/model*.c includes it.
 *
 * A model is a row: the program's names, how it reads its options (its
 * grammar), the options it knows, what its operands are, and a hook for
 * what only code can say (sed's script, cp's target). Options are written in
 * one spelling, the one people read in the program's --help:
 *
 *   -x        a short option without argument
 *   -x=       a short option with an argument (attached -xVAL or the next word)
 *   -x=?      a short option with an optional argument (attached only)
 *   -x=#      a short option with an optional number attached, after which
 *             the cluster goes on (perl's -l015 in -lane)
 *   --long    a long option without argument
 *   --long=   a long option with an argument (--long=VAL or the next word)
 *   --long=?  a long option with an optional argument (--long=VAL only)
 *   -x|--long=   the same option under two names
 *
 * The harmless options of a row are one string of such spellings (`plain`);
 * every option that does something else is a row of its own in `effects`,
 * with what it does and why that matters. An option in neither is unknown,
 * and unknown asks.
 */
#ifndef CLAW_MODEL_INT_H
#define CLAW_MODEL_INT_H

#include <limits.h>
#include <stddef.h>

#include "approve/model.h"

/* How a program reads its argv. */
enum grammar {
	G_GNU,   /* getopt_long: clusters, unique prefixes, `--`, options anywhere (permutation) */
	G_POSIX, /* the same, but options end at the first operand (python3, env, ssh) */
	G_GIT,   /* git's parse-options: G_GNU, and every long option also as --no-NAME */
	G_NONE,  /* no options at all: every word goes to the hook (find, dd) */
};

/* What an option (or, in a hook, an operand) does. */
enum eff {
	E_NONE,      /* harmless: it changes what is printed, or how */
	E_READ,      /* reads the file its value names */
	E_WRITE,     /* writes the file its value names */
	E_OVERWRITE, /* replaces the file its value names */
	E_SCRIPT,    /* its value is a file of code the program runs (php -f F) */
	E_MODULE,    /* its value names a module the program runs (python3 -m M) */
	E_INLINE,    /* its value is code (python3 -c): asks under strictInlineEval */
	E_STDIN,     /* the program reads code from standard input (python3 -i) */
	E_RUN,       /* runs a program or code it names or carries: a person must see it */
	E_SYSTEM,    /* changes the system (date -s): a person must see it */
	E_ASK,       /* known, but what it does is not modelled: a person must see it */
	E_NET,       /* talks to the network: noted, allowed */
	E_CHDIR,     /* later relative paths are relative to its value (-C DIR) */
	E_CODE,      /* its value is code in the program's own language: the hook reads it */
	E_COUNT
};

/* Option flags. */
enum {
	F_STOP = 1,   /* no options after this one: the rest belong to the code it runs */
	F_INLINE = 2, /* also code on the command line, for strictInlineEval (make --eval) */
};

struct effect {
	const char *spell; /* the option, as in the plain list ("-o|--output=") */
	unsigned char eff;
	unsigned char flags;
	const char *why;    /* what it does, for people ("sort -o writes the file it names") */
	const char *sample; /* a value that shows the risk, for the generated test ("id") */
};

struct mparse;
typedef void model_hook(struct mparse *p);

struct model {
	const char *name;      /* the program's name: "sed" */
	const char *also;      /* its other names, space-separated ("gsed"), or NULL */
	const char *sub;       /* the subcommand this row is for (git's "commit"), or NULL */
	unsigned char grammar; /* enum grammar */
	unsigned char
	    operands;      /* what operands are when the hook does not say: E_NONE, E_READ, E_ASK */
	bool digits;       /* -NUM is an option (git log -5, grep -3) */
	const char *plain; /* harmless options */
	const struct effect *effects; /* the others, ending with a row whose spell is NULL */
	model_hook *hook;             /* operands and checks only code can make, or NULL */
	const char *allows;           /* claw-approve(1): what the row allows, in a sentence */
	const char *risky_operand;    /* for the generated test: an operand the row must refuse */
	bool oldstyle;                /* the first word may be a cluster without a dash (tar cvf) */
	bool destroys;                /* removing and replacing files is its trade (rm, mv, dd) */
	bool inline_eval; /* in OpenClaw's inline-eval table: code on the command line */
};

/* One option met in argv. */
struct occ {
	const char *spell; /* its spelling group in the table ("-o|--output=") */
	size_t spell_len;
	const struct effect *e; /* its effect row, or NULL: a plain option */
	int arg;                /* index of the word it is in */
	const char *value;      /* its value, or NULL */
	int value_arg;          /* index of the word its value is in */
	bool negated;           /* git's --no-NAME */
};

#define MODEL_MAX_OCC      64
#define MODEL_MAX_OPERANDS 256

struct mparse {
	const struct model_ctx *ctx;
	const struct model *m;
	char *const *argv;
	int argc;
	int first; /* the first word the grammar reads (1, or after a subcommand) */
	struct model_report *out;
	struct occ occ[MODEL_MAX_OCC];
	int nocc;
	int operand[MODEL_MAX_OPERANDS]; /* indexes of the operands, in order */
	int noperand;
	int dashdash;     /* index of the first operand after `--`, or -1 */
	const char *base; /* the last -C's directory, or NULL */
};

/* ---- for hooks ---- */

/* The verdict rises to V with WHY (never falls). */
void mp_need(struct mparse *p, enum model_verdict v, const char *why);
/* Code on the command line: under strictInlineEval a person must see it. */
void mp_inline(struct mparse *p, const char *why);
/* Records PATH (in argv[ARG], or implied when ARG < 0) and checks where it is. */
void mp_path(struct mparse *p, enum model_use use, int arg, const char *path, const char *what);
/*
 * A path the segment removes or replaces, with how it could be kept. When
 * that is not the program's trade (find -delete, git clean, rsync --delete,
 * tar --remove-files), a person must see it: the allow list let the program
 * in for what it usually does.
 */
void mp_destroy(struct mparse *p, enum model_use use, enum model_recover r, bool tree, int arg,
                const char *path, const char *what);
/* A file the segment rewrites because it was asked to in so many words:
 * sed -i, sort -o, tee. Recorded as destructive, not asked for. */
void mp_rewrite(struct mparse *p, int arg, const char *path, const char *what);
/* A file an option reads: recorded, and outside the working directory it asks. */
void mp_read_value(struct mparse *p, int arg, const char *path, const char *why);
/* The occurrence of the option spelt NAME ("-i" or "--in-place"), or NULL. */
const struct occ *mp_option(const struct mparse *p, const char *name);
/* Every operand with USE. */
void mp_operands(struct mparse *p, int from, enum model_use use, const char *what);

/* PATH as the segment names it: below DIR (NULL: the last -C's directory,
 * else the working directory) unless absolute, nothing folded. False when
 * it does not fit in OUT. */
bool mp_full_path(const struct mparse *p, const char *dir, const char *path, char out[PATH_MAX]);
/* True when WORD (N bytes) is one of LIST's space-separated words. */
bool mp_word_in(const char *list, const char *word, size_t n);

/* Parses argv from FIRST with model M's grammar; returns false when it
 * met something it does not understand (the verdict says what). */
bool mp_parse(struct mparse *p, const struct model *m, int first);

/* Finds the row for NAME (and, for programs with subcommands, SUB). */
const struct model *model_row(const char *name, const char *sub);

/* The tables. */
extern const struct model model_rows[];
extern const size_t model_nrows;
extern const struct model model_git_rows[];
extern const size_t model_git_nrows;

/* Rows a hook parses with: git's own options, cmake's configure and build mode. */
extern const struct model model_git_globals;
extern const struct model model_cmake_configure;

/* git, judged from its global options on (model-git.c). */
void model_git(struct mparse *p);

/* Embedded languages: NULL when SCRIPT only prints and edits the stream,
 * else what it does that needs a person (model-sed.c, model-awk.c). */
const char *sed_script_risk(const char *script);
const char *awk_program_risk(const char *program);

#endif
