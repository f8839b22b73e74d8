/*
 * wrappers.c: the tables of commands that run other commands (see wrappers.h).
 *
 * A transparent wrapper is only unwrapped when every option before its
 * command is one the table knows: an option it does not know might take a
 * value, and then the "command" found after it would be the wrong word.
 * Anything unknown needs a human.
 */
#include "approve/wrappers.h"

#include <ctype.h>
#include <string.h>

#include "core/util.h"

void exec_name(const char *word, char out[NAME_MAX + 1])
{
	const char *base = strrchr(word, '/');
	size_t n;

	base = base ? base + 1 : word;
	n = strlen(base);
	if (n > NAME_MAX)
		n = NAME_MAX;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)base[i]);
	out[n] = '\0';
	if (n > 4 && strcmp(out + n - 4, ".exe") == 0)
		out[n - 4] = '\0';
}

static bool in_list(const char *const *list, const char *s, size_t n)
{
	for (; list != NULL && *list != NULL; list++)
		if (strlen(*list) == n && strncmp(*list, s, n) == 0)
			return true;
	return false;
}

/* ---- shell builtins ---- */

enum builtin_kind {
	B_SAFE_ONLY,    /* OpenClaw safe builtin with no file behind it */
	B_SAFE_UTILITY, /* OpenClaw safe builtin that is also a program */
	B_UTILITY,      /* a builtin that behaves as the program of the same name */
	B_CARRIER,      /* runs the command that follows */
	B_REFUSED,      /* runs code, or changes what later commands mean */
};

static const struct builtin {
	const char *name;
	enum builtin_kind kind;
	const char *reason;
} builtins[] = {
	{ ":", B_SAFE_ONLY, "does nothing" },
	{ "cd", B_SAFE_ONLY, "changes the directory later commands run in" },
	{ "true", B_SAFE_UTILITY, "does nothing" },
	{ "false", B_SAFE_UTILITY, "does nothing" },
	{ "pwd", B_SAFE_UTILITY, "prints the directory" },
	{ "test", B_SAFE_UTILITY, "evaluates an expression" },
	{ "[", B_SAFE_UTILITY, "evaluates an expression" },
	{ "echo", B_UTILITY, "prints its arguments, as /usr/bin/echo does" },
	{ "printf", B_UTILITY, "prints, as /usr/bin/printf does (but -v sets a variable)" },
	{ "kill", B_UTILITY, "sends a signal, as /usr/bin/kill does" },
	{ "command", B_CARRIER, "runs the command that follows" },
	{ "builtin", B_CARRIER, "runs the builtin that follows" },
	{ "eval", B_REFUSED, "shell builtin 'eval' runs its arguments as shell code" },
	{ "exec", B_REFUSED, "shell builtin 'exec' replaces the shell (and -a renames argv[0])" },
	{ ".", B_REFUSED, "shell builtin '.' runs a file as shell code" },
	{ "source", B_REFUSED, "shell builtin 'source' runs a file as shell code" },
	{ "trap", B_REFUSED, "shell builtin 'trap' runs code when a signal arrives" },
	{ "fc", B_REFUSED, "shell builtin 'fc' runs commands from the history" },
	{ "export", B_REFUSED, "shell builtin 'export' changes the environment of later commands" },
	{ "readonly", B_REFUSED, "shell builtin 'readonly' changes shell variables" },
	{ "unset", B_REFUSED, "shell builtin 'unset' changes shell variables (PATH, IFS)" },
	{ "set", B_REFUSED, "shell builtin 'set' changes shell options" },
	{ "shopt", B_REFUSED, "shell builtin 'shopt' changes shell options" },
	{ "alias", B_REFUSED, "shell builtin 'alias' renames commands" },
	{ "unalias", B_REFUSED, "shell builtin 'unalias' renames commands" },
	{ "local", B_REFUSED, "shell builtin 'local' changes shell variables" },
	{ "declare", B_REFUSED, "shell builtin 'declare' changes shell variables" },
	{ "typeset", B_REFUSED, "shell builtin 'typeset' changes shell variables" },
	{ "let", B_REFUSED, "shell builtin 'let' changes shell variables" },
	{ "read", B_REFUSED, "shell builtin 'read' sets shell variables from input" },
	{ "readarray", B_REFUSED, "shell builtin 'readarray' sets shell variables from input" },
	{ "mapfile", B_REFUSED, "shell builtin 'mapfile' sets shell variables from input" },
	{ "getopts", B_REFUSED, "shell builtin 'getopts' changes shell variables" },
	{ "hash", B_REFUSED, "shell builtin 'hash' changes where later commands are found" },
	{ "enable", B_REFUSED, "shell builtin 'enable' loads or hides builtins" },
	{ "umask", B_REFUSED, "shell builtin 'umask' changes the mode of files made later" },
	{ "ulimit", B_REFUSED, "shell builtin 'ulimit' changes resource limits" },
	{ "shift", B_REFUSED, "shell builtin 'shift' changes the positional parameters" },
	{ "pushd", B_REFUSED, "shell builtin 'pushd' changes the directory" },
	{ "popd", B_REFUSED, "shell builtin 'popd' changes the directory" },
	{ "dirs", B_REFUSED, "shell builtin 'dirs' works on the directory stack" },
	{ "wait", B_REFUSED, "shell builtin 'wait' waits for jobs" },
	{ "jobs", B_REFUSED, "shell builtin 'jobs' works on background jobs" },
	{ "fg", B_REFUSED, "shell builtin 'fg' works on background jobs" },
	{ "bg", B_REFUSED, "shell builtin 'bg' works on background jobs" },
	{ "disown", B_REFUSED, "shell builtin 'disown' detaches jobs" },
	{ "suspend", B_REFUSED, "shell builtin 'suspend' stops the shell" },
	{ "logout", B_REFUSED, "shell builtin 'logout' ends the shell" },
	{ "exit", B_REFUSED, "shell builtin 'exit' ends the shell" },
	{ "return", B_REFUSED, "shell builtin 'return' changes control flow" },
	{ "break", B_REFUSED, "shell builtin 'break' changes control flow" },
	{ "continue", B_REFUSED, "shell builtin 'continue' changes control flow" },
	{ "times", B_REFUSED, "shell builtin 'times' (not analysed)" },
	{ "history", B_REFUSED, "shell builtin 'history' (not analysed)" },
	{ "bind", B_REFUSED, "shell builtin 'bind' changes key bindings" },
	{ "complete", B_REFUSED, "shell builtin 'complete' (not analysed)" },
	{ "compgen", B_REFUSED, "shell builtin 'compgen' (not analysed)" },
	{ "compopt", B_REFUSED, "shell builtin 'compopt' (not analysed)" },
	{ "caller", B_REFUSED, "shell builtin 'caller' (not analysed)" },
	{ "help", B_REFUSED, "shell builtin 'help' (not analysed)" },
	{ "type", B_REFUSED, "shell builtin 'type' (not analysed)" },
};

static void prompt(struct wrap *w, const char *name, const char *reason)
{
	w->kind = WRAP_PROMPT;
	w->name = name;
	w->reason = reason;
}

/* `command [--] CMD ...` runs CMD; its options look commands up or change PATH. */
static void carrier(const struct builtin *b, char *const *argv, int argc, struct wrap *w)
{
	int i = 1;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i < argc && argv[i][0] == '-') {
		prompt(w, b->name, "'command' or 'builtin' with options (-p changes PATH)");
		return;
	}
	if (i >= argc) {
		prompt(w, b->name, "'command' or 'builtin' without a command");
		return;
	}
	w->kind = WRAP_UNWRAP;
	w->name = b->name;
	w->next = i;
	w->builtin_only = strcmp(b->name, "builtin") == 0;
}

bool wrap_builtin(char *const *argv, int argc, bool builtins_on, struct wrap *w)
{
	const struct builtin *b = NULL;

	memset(w, 0, sizeof(*w));
	for (size_t i = 0; i < NELEM(builtins) && b == NULL; i++)
		if (argv[0][0] == builtins[i].name[0] && strcmp(argv[0], builtins[i].name) == 0)
			b = &builtins[i];
	if (b == NULL)
		return false;
	w->name = b->name;
	w->script_file = -1;
	switch (b->kind) {
	case B_SAFE_ONLY:
		if (builtins_on) {
			w->kind = WRAP_BUILTIN_SAFE;
			w->changes_dir = strcmp(b->name, "cd") == 0;
		} else {
			prompt(w, b->name,
			       "shell builtin: safe builtins are off "
			       "(approvals.exec.allowShellBuiltins)");
		}
		break;
	case B_SAFE_UTILITY:
		/* `[` is only the test builtin when its last word closes it. */
		if (builtins_on && (strcmp(b->name, "[") != 0 || strcmp(argv[argc - 1], "]") == 0))
			w->kind = WRAP_BUILTIN_SAFE;
		break;
	case B_UTILITY:
		if (strcmp(b->name, "printf") == 0 && argc > 1 && strncmp(argv[1], "-v", 2) == 0)
			prompt(w, b->name, "printf -v sets a shell variable");
		break;
	case B_CARRIER:
		carrier(b, argv, argc, w);
		break;
	case B_REFUSED:
		prompt(w, b->name, b->reason);
		break;
	}
	return true;
}

/* ---- dispatch wrappers ---- */

struct dispatch {
	const char *name;
	const char *blocked; /* reason it is never unwrapped, or NULL */
	/* The grammar of a transparent one: options before the command. */
	const char *short_val, *short_bool;
	const char *const *long_val, *const *long_bool;
	const char *forbid_short;
	const char *const *forbid_long;
	const char *forbid_reason;
	const char *shell_short; /* option whose value is a sh -c script */
	const char *const *shell_long;
	int operands;     /* words between the options and the command */
	bool need_option; /* at least one option (stdbuf) */
	bool numeric;     /* -N is an option (nice -5) */
};

static const struct dispatch dispatchers[] = {
	/* Transparent on Linux in OpenClaw 2026.9.6: the inner command is judged. */
	{ .name = "nice",
	  .short_val = "n",
	  .long_val = (const char *const[]){ "adjustment", NULL },
	  .numeric = true },
	{ .name = "nohup" },
	{ .name = "timeout",
	  .short_val = "sk",
	  .short_bool = "v",
	  .long_val = (const char *const[]){ "signal", "kill-after", NULL },
	  .long_bool = (const char *const[]){ "preserve-status", "foreground", "verbose", NULL },
	  .operands = 1 },
	{ .name = "time",
	  .short_val = "f",
	  .short_bool = "pvq",
	  .long_val = (const char *const[]){ "format", NULL },
	  .long_bool = (const char *const[]){ "portability", "verbose", "quiet", NULL },
	  .forbid_short = "oa",
	  .forbid_long = (const char *const[]){ "output", "append", NULL },
	  .forbid_reason = "time -o/--output writes a file" },
	{ .name = "caffeinate", .short_val = "tw", .short_bool = "dimsu" },
	{ .name = "sandbox-exec", .short_val = "fpDn" },
	/* Recognised by OpenClaw 2026.9.6 and never resolved through: they change
	 * who, where or how the command runs, so a human sees each use. */
	{ .name = "sudo", .blocked = "runs the command as another user" },
	{ .name = "su", .blocked = "runs a command as another user" },
	{ .name = "doas", .blocked = "runs the command as another user" },
	{ .name = "pkexec", .blocked = "runs the command as another user" },
	{ .name = "runuser", .blocked = "runs the command as another user" },
	{ .name = "gosu", .blocked = "runs the command as another user" },
	{ .name = "chroot", .blocked = "runs the command under another root" },
	{ .name = "unshare", .blocked = "runs the command in new namespaces" },
	{ .name = "nsenter", .blocked = "runs the command in other namespaces" },
	{ .name = "bwrap", .blocked = "runs the command in a sandbox it builds" },
	{ .name = "firejail", .blocked = "runs the command in a sandbox it builds" },
	{ .name = "proot", .blocked = "runs the command under another root" },
	{ .name = "setsid", .blocked = "detaches the command from the session and terminal" },
	{ .name = "setpriv", .blocked = "changes the command's privileges" },
	{ .name = "setarch", .blocked = "changes the command's personality" },
	{ .name = "linux32", .blocked = "changes the command's personality" },
	{ .name = "linux64", .blocked = "changes the command's personality" },
	{ .name = "arch", .blocked = "changes the command's architecture (macOS)" },
	{ .name = "chrt", .blocked = "changes the command's scheduling" },
	{ .name = "ionice", .blocked = "changes the command's I/O scheduling" },
	{ .name = "taskset", .blocked = "pins the command to CPUs" },
	{ .name = "numactl", .blocked = "changes the command's memory placement" },
	{ .name = "cpulimit", .blocked = "throttles the command" },
	{ .name = "systemd-run", .blocked = "runs the command as a system service" },
	{ .name = "watch", .blocked = "runs the command again and again" },
	{ .name = "torify", .blocked = "redirects the command's network" },
	{ .name = "torsocks", .blocked = "redirects the command's network" },
	{ .name = "proxychains", .blocked = "redirects the command's network" },
	{ .name = "proxychains4", .blocked = "redirects the command's network" },
	{ .name = "eatmydata", .blocked = "preloads a library into the command" },
	{ .name = "catchsegv", .blocked = "preloads a library into the command" },
	{ .name = "unbuffer", .blocked = "runs the command on a pseudo-terminal" },
	{ .name = "script", .blocked = "runs a shell on a pseudo-terminal" },
	{ .name = "xvfb-run", .blocked = "runs the command with an X server" },
	{ .name = "xcrun", .blocked = "runs a developer tool by name (macOS)" },
	/* claw: unwrapped by OpenClaw 2026.9.6, never by claw. */
	{ .name = "stdbuf",
	  .blocked = "preloads a library into the command (LD_PRELOAD), as OpenClaw says" },
	{ .name = "flock", .blocked = "runs a command while holding a lock (-c through sh)" },
	{ .name = "prlimit", .blocked = "runs the command with other resource limits" },
	{ .name = "capsh", .blocked = "runs a shell or command with other capabilities" },
	{ .name = "logsave", .blocked = "runs the command and writes its output to a file" },
	{ .name = "start-stop-daemon", .blocked = "starts the command as a daemon" },
	{ .name = "daemonize", .blocked = "starts the command as a daemon" },
	{ .name = "schroot", .blocked = "runs the command in a chroot" },
	{ .name = "run-parts", .blocked = "runs every program in a directory" },
	{ .name = "sudoedit", .blocked = "edits files as another user" },
};

/* nice -5, nice --5: an adjustment in the old spelling. */
static bool numeric_option(const char *a)
{
	const char *p = a + 1 + (a[1] == '-');
	if (*p == '\0')
		return false;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

/* A long option; *i moves past its value. Returns 0, 1 for a shell script, -1 to prompt. */
static int long_option(const struct dispatch *d, char *const *argv, int argc, int *i,
                       const char **why)
{
	const char *a = argv[*i] + 2, *eq = strchr(a, '=');
	size_t n = eq ? (size_t)(eq - a) : strlen(a);

	if (in_list(d->forbid_long, a, n))
		return *why = d->forbid_reason, -1;
	bool shell = in_list(d->shell_long, a, n);
	if (shell || in_list(d->long_val, a, n)) {
		if (eq == NULL && ++*i >= argc)
			return *why = "an option's value is missing", -1;
		return shell ? 1 : 0;
	}
	if (in_list(d->long_bool, a, n) && eq == NULL)
		return 0;
	return *why = "an option the table does not know (it might take a value)", -1;
}

/* A cluster of short options; same returns as long_option(). */
static int short_options(const struct dispatch *d, char *const *argv, int argc, int *i,
                         const char **why)
{
	const char *a = argv[*i];

	for (size_t k = 1; a[k] != '\0'; k++) {
		char c = a[k];
		if (d->forbid_short && strchr(d->forbid_short, c))
			return *why = d->forbid_reason, -1;
		bool shell = d->shell_short && strchr(d->shell_short, c);
		if (shell || (d->short_val && strchr(d->short_val, c))) {
			if (a[k + 1] == '\0' && ++*i >= argc)
				return *why = "an option's value is missing", -1;
			return shell ? 1 : 0;
		}
		if (!d->short_bool || !strchr(d->short_bool, c))
			return *why = "an option the table does not know (it might take a value)",
			       -1;
	}
	return 0;
}

static void script_value(char *const *argv, int i, struct wrap *w)
{
	const char *a = argv[i];
	const char *eq = a[0] == '-' && a[1] == '-' ? strchr(a, '=') : NULL;

	w->kind = WRAP_SHELL;
	w->parseable = true; /* flock -c runs /bin/sh -c */
	w->reason = "runs its argument with sh -c";
	if (eq != NULL) {
		w->script = eq + 1;
	} else if (a[1] != '-') {
		const char *c = strchr(a + 1, 'c'); /* -c SCRIPT, -cSCRIPT, -xc SCRIPT */
		w->script = c[1] != '\0' ? c + 1 : argv[i + 1];
	} else {
		w->script = argv[i + 1];
	}
}

static void unwrap(const struct dispatch *d, char *const *argv, int argc, struct wrap *w)
{
	int i = 1, nopt = 0;
	const char *why = NULL;

	w->name = d->name;
	for (; i < argc; i++, nopt++) {
		const char *a = argv[i];
		int rc = 0, at = i;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (d->numeric && numeric_option(a))
			continue;
		rc = a[1] == '-' ? long_option(d, argv, argc, &i, &why)
		                 : short_options(d, argv, argc, &i, &why);
		if (rc < 0) {
			prompt(w, d->name, why);
			return;
		}
		if (rc > 0) {
			script_value(argv, at, w);
			return;
		}
	}
	if (d->need_option && nopt == 0) {
		prompt(w, d->name, "stdbuf without an option");
		return;
	}
	i += d->operands;
	if (i >= argc)
		return; /* no inner command: the program runs alone, judged as itself */
	/* flock FILE -c SCRIPT: the script option may follow the file. */
	if (d->shell_short && argv[i][0] == '-' && i + 1 < argc &&
	    ((argv[i][1] != '-' && strchr(d->shell_short, argv[i][1]) && argv[i][2] == '\0') ||
	     (argv[i][1] == '-' && in_list(d->shell_long, argv[i] + 2, strlen(argv[i] + 2))))) {
		script_value(argv, i, w);
		return;
	}
	w->kind = WRAP_UNWRAP;
	w->next = i;
}

/* env without options or assignments only runs its command. */
static void env_carrier(char *const *argv, int argc, struct wrap *w)
{
	int i = 1;

	w->name = "env";
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i < argc && (argv[i][0] == '-' || strchr(argv[i], '=') != NULL)) {
		prompt(w, "env", "env with options or assignments changes what the command sees");
		return;
	}
	if (i < argc) {
		w->kind = WRAP_UNWRAP;
		w->next = i;
	}
}

/* ---- shells ---- */

static const struct shell {
	const char *name;
	bool parseable; /* reads POSIX sh, so a -c script can be analysed for the report */
} shells[] = {
	{ "sh", true },          { "bash", true },  { "dash", true },   { "ash", true },
	{ "ksh", true },         { "mksh", true },  { "yash", true },   { "zsh", true },
	{ "fish", false },       { "csh", false },  { "tcsh", false },  { "elvish", false },
	{ "nu", false },         { "osh", false },  { "xonsh", false }, { "cmd", false },
	{ "powershell", false }, { "pwsh", false },
};

const char *wrap_shell_names(void)
{
	static struct buf b;

	if (b.len == 0) {
		buf_putc(&b, ' ');
		for (size_t i = 0; i < NELEM(shells); i++)
			buf_printf(&b, "%s ", shells[i].name);
		/* Multiplexers that are a shell by another name. */
		buf_puts(&b, "busybox toybox ");
	}
	return b.p;
}

/* Options a shell reads before its script; -o, +o, -O, +O and two long ones take a value. */
static void shell_invocation(const struct shell *s, char *const *argv, int argc, struct wrap *w)
{
	bool inline_c = false, from_stdin = false;
	int i = 1;

	w->kind = WRAP_SHELL;
	w->name = s->name;
	w->parseable = s->parseable;
	w->reason = "a shell never runs without asking";
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0 || strcmp(a, "-") == 0) {
			from_stdin = a[1] == '\0'; /* `sh - x`: the script is the input, x is $1 */
			i++;
			break;
		}
		if (a[0] == '-' && a[1] == '-') {
			if (strcmp(a, "--rcfile") == 0 || strcmp(a, "--init-file") == 0)
				i++;
			continue;
		}
		if ((a[0] != '-' && a[0] != '+') || a[1] == '\0')
			break;
		for (size_t k = 1; a[k]; k++) {
			inline_c |= a[0] == '-' && a[k] == 'c';
			from_stdin |= a[0] == '-' && a[k] == 's';
			if (a[k] == 'o' || a[k] == 'O')
				i++;
		}
	}
	if (i < argc && inline_c)
		w->script = argv[i];
	else if (i < argc && !from_stdin) /* -s: the operands are $1..., the script is the input */
		w->script_file = i;
}

/* ---- programs that run what their arguments or input name (claw) ---- */

static const struct runner {
	const char *name;
	const char *reason;
} runners[] = {
	{ "xargs", "xargs runs a command with arguments read from its input" },
	{ "busybox", "busybox runs the program its first argument names (sh among them)" },
	{ "toybox", "toybox runs the program its first argument names (sh among them)" },
	{ "parallel", "parallel runs commands built from its arguments and input" },
	{ "strace", "strace runs the command it traces" },
	{ "ltrace", "ltrace runs the command it traces" },
	{ "valgrind", "valgrind runs the command it checks" },
	{ "perf", "perf runs the command it measures" },
	{ "gdb", "gdb runs programs and shell commands" },
	{ "lldb", "lldb runs programs and shell commands" },
	{ "faketime", "faketime runs a command with a preloaded library" },
	{ "fakeroot", "fakeroot runs a command with a preloaded library" },
	{ "fakechroot", "fakechroot runs a command with a preloaded library" },
	{ "nocache", "nocache runs a command with a preloaded library" },
	{ "sg", "sg runs a command with another group" },
	{ "newgrp", "newgrp starts a shell with another group" },
	{ "runcon", "runcon runs a command in another security context" },
	{ "chpst", "chpst runs a command with other privileges" },
	{ "dbus-launch", "dbus-launch runs a command" },
	{ "dbus-run-session", "dbus-run-session runs a command" },
	{ "ssh-agent", "ssh-agent runs a command" },
	{ "at", "at runs commands later, outside claw" },
	{ "batch", "batch runs commands later, outside claw" },
	{ "crontab", "crontab schedules commands, outside claw" },
	{ "tmux", "tmux runs commands in a terminal multiplexer" },
	{ "screen", "screen runs commands in a terminal multiplexer" },
	{ "xdg-open", "xdg-open runs whatever program handles its argument" },
	{ "expect", "expect runs the programs its script spawns" },
	{ "socat", "socat runs programs (EXEC:, SYSTEM:) and opens connections" },
	{ "nc", "nc -e runs a program on a connection" },
	{ "ncat", "ncat -e runs a program on a connection" },
	{ "netcat", "netcat -e runs a program on a connection" },
	{ "ld.so", "the dynamic loader runs the program it is given" },
	{ "ld-linux*", "the dynamic loader runs the program it is given" },
	{ "entr", "entr runs a command when files change" },
	/* Editors run shell commands given in their arguments or input: by any
	 * name, through alternatives (/usr/bin/editor -> vim.basic). */
	{ "editor", "an editor runs shell commands given in its arguments or input" },
	{ "sensible-editor", "an editor runs shell commands given in its arguments or input" },
	{ "select-editor", "an editor runs shell commands given in its arguments or input" },
	{ "vi", "an editor runs shell commands given in its arguments or input" },
	{ "vim*", "an editor runs shell commands given in its arguments or input" },
	{ "nvim*", "an editor runs shell commands given in its arguments or input" },
	{ "gvim*", "an editor runs shell commands given in its arguments or input" },
	{ "rvim", "an editor runs shell commands given in its arguments or input" },
	{ "view", "an editor runs shell commands given in its arguments or input" },
	{ "ex", "an editor runs shell commands given in its arguments or input" },
	{ "ed", "an editor runs shell commands given in its input" },
	{ "red", "an editor runs shell commands given in its input" },
	{ "emacs*", "an editor runs code given in its arguments" },
	{ "nano", "an editor runs commands given in its input" },
	{ "rnano", "an editor" },
	{ "pico", "an editor" },
	{ "joe", "an editor runs shell commands given in its input" },
	{ "jed", "an editor runs code given in its arguments" },
	{ "mcedit", "an editor runs shell commands given in its input" },
	{ "micro", "an editor runs shell commands given in its input" },
	{ "kak", "an editor runs shell commands given in its arguments or input" },
	{ "hx", "an editor runs shell commands given in its input" },
	{ "helix", "an editor runs shell commands given in its input" },
	{ "vis", "an editor runs shell commands given in its input" },
	{ "mg", "an editor runs shell commands given in its input" },
	{ "ne", "an editor" },
};

/* NAME is the table's word, or begins with its stem when the word ends in '*'. */
static bool name_matches(const char *word, const char *name)
{
	size_t i = 0;

	/* Most pairs part at the first byte: compare by hand, no strlen. */
	for (; word[i] == name[i]; i++)
		if (word[i] == '\0')
			return true;
	return word[i] == '*' && word[i + 1] == '\0' && i > 0;
}

/* The first of NAMES (N of them, "" for none) that a table row matches. */
static const struct dispatch *blocked_dispatcher(const char *const *names, int n)
{
	for (int k = 0; k < n; k++)
		for (size_t i = 0; names[k][0] && i < NELEM(dispatchers); i++)
			if (dispatchers[i].blocked && name_matches(dispatchers[i].name, names[k]))
				return &dispatchers[i];
	return NULL;
}

void wrap_program(const char *const *all, int nall, char *const *argv, int argc, struct wrap *w)
{
	const char *real = all[nall - 1][0] ? all[nall - 1] : "";
	const char *names[8];
	const struct dispatch *d;
	int n = 0;

	memset(w, 0, sizeof(*w));
	w->script_file = -1;
	/* Each name once: the word, its path and its real path are mostly one name. */
	for (int i = 0; i < nall && n < (int)NELEM(names); i++) {
		bool seen = all[i][0] == '\0';
		for (int k = 0; k < n && !seen; k++)
			seen = strcmp(names[k], all[i]) == 0;
		if (!seen)
			names[n++] = all[i];
	}
	/* What always needs a person is known by any of its names. */
	if ((d = blocked_dispatcher(names, n)) != NULL) {
		prompt(w, d->name, d->blocked);
		return;
	}
	for (int k = 0; k < n; k++) {
		for (size_t i = 0; names[k][0] && i < NELEM(shells); i++) {
			if (name_matches(shells[i].name, names[k])) {
				shell_invocation(&shells[i], argv, argc, w);
				return;
			}
		}
		for (size_t i = 0; names[k][0] && i < NELEM(runners); i++) {
			if (name_matches(runners[i].name, names[k])) {
				prompt(w, runners[i].name, runners[i].reason);
				return;
			}
		}
	}
	/* A transparent wrapper is the file it resolves to, by its real name. */
	if (strcmp(real, "env") == 0) {
		env_carrier(argv, argc, w);
		return;
	}
	for (size_t i = 0; real[0] && i < NELEM(dispatchers); i++) {
		if (!dispatchers[i].blocked && strcmp(dispatchers[i].name, real) == 0) {
			unwrap(&dispatchers[i], argv, argc, w);
			return;
		}
	}
}
