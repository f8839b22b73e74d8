/*
 * model.h: what a program's arguments do, read the way the program reads them.
 *
 * For every program claw knows to be risky (git, sed, awk, find, make, tar,
 * the interpreters, cp and rm, ...: claw-approve(1), THE MODELS) a model
 * parses argv with the program's own rules (GNU getopt_long, git's
 * parse-options, find's expressions, sed's and awk's languages) and allows
 * only what it fully understands to be harmless. An option, subcommand or
 * operand the model does not know needs a person: unknown asks.
 *
 * What it finds is a struct model_report, one per segment (struct
 * seg_report's member `model`, filled for every segment the analyser
 * judges). The rest of claw reads it from there: self-protection (which
 * files a segment reads, writes, deletes or runs), bound approvals (which
 * script or module a segment runs) and the trash (what a segment deletes or
 * overwrites, and whether it can be brought back).
 */
#ifndef CLAW_MODEL_H
#define CLAW_MODEL_H

#include <limits.h>
#include <stdbool.h>

/* What a segment does with one file. */
enum model_use {
	MODEL_READ,      /* reads it (the tree below it when .tree) */
	MODEL_WRITE,     /* creates it or adds to it */
	MODEL_OVERWRITE, /* replaces its contents when it exists: cp or mv onto it, sed -i, dd of=
	                  */
	MODEL_DELETE,    /* removes it (the tree below it when .tree) */
	MODEL_SCRIPT, /* runs it: a script, a makefile, a file of code (python3 x.py, make -f F) */
	MODEL_MODULE, /* runs the module of that name, found the program's way (python3 -m NAME) */
	MODEL_STDIN,  /* runs code read from standard input (python3 -, sh -s); path is "-" */
};

/* For MODEL_DELETE and MODEL_OVERWRITE: can what is lost be brought back? */
enum model_recover {
	RECOVER_NONE,  /* not destructive */
	RECOVER_TRASH, /* yes, by moving the path to a trash before the program runs */
	RECOVER_NEVER, /* no: shred, truncate, dd of= a device, what git keeps in its own store */
};

struct model_path {
	enum model_use use;
	enum model_recover recover;
	bool tree;    /* the whole tree below the path: rm -r, cp -r, grep -r, find */
	bool implied; /* not on the command line: a default the program uses (make's Makefile) */
	int arg;      /* index in the judged argv (seg_argv()) of the word naming it; -1: implied */
	/*
	 * The path as the program will use it: argv[arg] itself, or the part of
	 * it past "--opt=", "-oVALUE" or "of="; a static string when implied.
	 * Relative paths are relative to BASE when it is set (a -C option's
	 * directory, itself relative to the working directory), else to the
	 * segment's working directory. Never freed: it points into the argv.
	 */
	const char *path;
	const char *base;
	const char *what; /* for people: "rm removes it", "sed -i rewrites it" */
};

/* Paths kept per segment; a segment naming more is not complete. */
#define MODEL_MAX_PATHS 32

enum model_verdict {
	MODEL_NONE,   /* no model: the allow list decides, as for any program */
	MODEL_PLAIN,  /* understood, and nothing in it needs a person: the allow list decides */
	MODEL_EXACT,  /* needs a person, or an allow-always entry bound to this exact argv */
	MODEL_PERSON, /* needs a person, each time */
};

struct model_report {
	enum model_verdict verdict;
	const char *name;  /* the model used ("git", "sed"), or NULL */
	const char *sub;   /* its subcommand ("commit"), or NULL */
	int sub_end;       /* with sub: index of the first word after the subcommand's name */
	const char *why;   /* for MODEL_EXACT and MODEL_PERSON: what needs a person */
	const char *asked; /* the word for asking when not allowlist-miss ("strict-inline-eval") */
	struct model_path paths[MODEL_MAX_PATHS];
	int npaths;
	bool complete; /* paths[] holds every file the model knows the segment touches */
};

/* The working directory's real path: realpath(3) costs a readlink per
 * component, so it is found once per command, and only if a path needs it. */
struct model_cwd {
	bool done;
	char path[PATH_MAX]; /* "" when it cannot be had */
};

/* How a segment is judged: where it runs and the policy's switches. */
struct model_ctx {
	const char *cwd;         /* the working directory, absolute and normalised */
	struct model_cwd *real;  /* its real path, found when a model first needs it */
	bool cwd_known;          /* false after a cd: relative paths lead somewhere unknown */
	bool strict_inline_eval; /* tools.exec.strictInlineEval */
	bool trash; /* approvals.exec.trash: what the trash can keep need not be asked for */
};

/*
 * Judges ARGV (ARGC words, argv[0] the program) with the model of the
 * program named NAME (exec_name() of the word, or of its real path), and
 * fills OUT. A program without a model gives MODEL_NONE and no paths.
 */
void model_judge(const struct model_ctx *ctx, const char *name, char *const *argv, int argc,
                 struct model_report *out);

/* True when NAME (exec_name()) has a model: git, sed, python3.12, ... */
bool model_known(const char *name);

/* The programs whose models know code on the command line (OpenClaw's
 * inline-eval interpreters among them), as " python python3 ... ", and
 * whether NAME is one. For the audit's reading of allow-list globs. */
const char *model_inline_names(void);
bool model_inline_program(const char *name);

/* True when the segment deletes or overwrites a file. */
bool model_destructive(const struct model_report *r);

/*
 * The tables, for people and for tests: every row whose program is PROGRAM
 * (NULL: all), as JSON Lines (one row an object: program, sub, also,
 * grammar, allows, plain[], options[{names, arg, effect, why, sample}],
 * riskyOperand, after), as text, or as the scdoc of claw-approve(1)'s
 * section THE MODELS.
 */
struct buf;
void model_tables_json(struct buf *out, const char *program);
void model_tables_text(struct buf *out, const char *program);
void model_tables_scdoc(struct buf *out);

/* The use's name, for reports: "read", "write", "overwrite", "delete", "script", ... */
const char *model_use_name(enum model_use use);
const char *model_recover_name(enum model_recover r);

/* ---- what the trash can keep of a program's losses (model.c's table; keep.h plans) ---- */

/* How one thing is kept before the command runs. */
enum keep_how {
	KEEP_MOVE,        /* moved into the trash; an empty stand-in of the same kind left */
	KEEP_COPY,        /* copied into the trash; dropped again if the run left it alone */
	KEEP_GIT_CLEAN,   /* what `git clean -n` with the same options lists, moved */
	KEEP_GIT_CHANGES, /* tracked files that differ from HEAD, copied */
};
/* One row: what program NAME (subcommand SUB; NULL: any) loses with USE, and how it is kept. */
struct keep_row {
	const char *name, *sub;
	unsigned char use;   /* MODEL_DELETE or MODEL_OVERWRITE */
	unsigned char where; /* K_NAMED, K_IMPLIED or K_ANY (model.c) */
	bool trees;          /* also for a whole tree (rm -r) */
	unsigned char how;   /* enum keep_how */
	const char *why;
};

/* The first row for NAME's loss of a path (IMPLIED: one it was not told; TREE: a whole tree). */
const struct keep_row *keep_row_find(const char *name, const char *sub, enum model_use use,
                                     bool implied, bool tree);

/*
 * True when the trash can keep what program NAME (subcommand SUB) does to
 * a path with USE, named on its command line or IMPLIED (git clean's ".").
 * The models ask this (mp_destroy) before they ask a person.
 */
bool keep_known(const char *name, const char *sub, enum model_use use, bool implied);

#endif
