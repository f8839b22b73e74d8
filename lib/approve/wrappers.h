/*
 * wrappers.h: commands that are not what they seem. Shell builtins (which run
 * instead of any file of the same name), dispatch wrappers that run another
 * command (`nice`, `timeout`, `sudo`), carriers (`env`, `command`), shells,
 * and programs that run a command named in their arguments or input.
 *
 * Each is a row of a table in wrappers.c, with the reason it is there.
 * OpenClaw 2026.9.6's lists (DEFAULT_SAFE_BUILTINS, DISPATCH_WRAPPER_SPEC_BY_NAME,
 * COMMAND_CARRIER_EXECUTABLES, POSIX_SHELL_WRAPPERS) are kept; claw adds rows,
 * never drops them.
 */
#ifndef CLAW_WRAPPERS_H
#define CLAW_WRAPPERS_H

#include <limits.h>
#include <stdbool.h>

enum wrap_kind {
	WRAP_NONE,         /* an ordinary program: resolve it and judge it */
	WRAP_UNWRAP,       /* a transparent wrapper: judge argv[next] instead */
	WRAP_PROMPT,       /* never runs without a human (reason) */
	WRAP_SHELL,        /* a shell: never runs without a human; see script */
	WRAP_BUILTIN_SAFE, /* a safe builtin, honoured when builtins are on */
};

struct wrap {
	enum wrap_kind kind;
	const char *name;   /* the wrapper, shell or builtin, for the report */
	const char *reason; /* WRAP_PROMPT: why */
	int next;           /* WRAP_UNWRAP: index of the inner command word */
	bool builtin_only;  /* WRAP_UNWRAP from `builtin`: the inner word must be a builtin */
	bool changes_dir;   /* WRAP_BUILTIN_SAFE: the builtin is cd */
	/* WRAP_SHELL */
	const char *script; /* the -c script, or NULL */
	int script_file;    /* argv index of a script file operand, or -1 */
	bool parseable;     /* the shell reads POSIX sh, so the script can be analysed */
};

/*
 * A bare command word that names a shell builtin: fills W and returns true.
 * BUILTINS_ON: OpenClaw's safe builtins are honoured (approvals.exec.allowShellBuiltins).
 * Builtins that are also ordinary programs (echo, test, ...) give WRAP_NONE:
 * the shell's builtin and the file behave alike, so the file is judged.
 */
bool wrap_builtin(char *const *argv, int argc, bool builtins_on, struct wrap *w);

/*
 * Wrappers, carriers, shells and runners. NAMES are the N names of the
 * program, each an exec_name(): the word it was called by, its resolved
 * path, and last its real path ("" where there is none). What always needs a
 * person (sudo, a shell, an editor) is found by any name; a transparent
 * wrapper (nice, env) only by its real file's name, and the caller must
 * check that file is the system's own.
 */
void wrap_program(const char *const *names, int n, char *const *argv, int argc, struct wrap *w);

/* The shells' names, " sh bash ... busybox toybox ", for the audit's matching of allow-list globs.
 */
const char *wrap_shell_names(void);

/* The name a table knows a command by: its basename, lower-cased, without ".exe". */
void exec_name(const char *word, char out[NAME_MAX + 1]);

#endif
