/* risk.c: the argument tables (see risk.h). */
#include "approve/risk.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

static bool in_list(const char *const *list, const char *s)
{
	for (; list != NULL && *list != NULL; list++)
		if ((*list)[0] == s[0] && strcmp(*list, s) == 0)
			return true;
	return false;
}

/* python3.12 -> python, node22 -> node: OpenClaw counts versioned names too. */
static const char *unversioned(const char *name, char *buf, size_t size)
{
	static const char *const families[] = { "python", "ruby", "perl", "php", "node" };

	for (size_t f = 0; f < NELEM(families); f++) {
		if (name[0] != families[f][0])
			continue;
		size_t n = strlen(families[f]);
		if (strncmp(name, families[f], n) != 0 || name[n] == '\0')
			continue;
		const char *p = name + n;
		size_t digits = strspn(p, "0123456789");
		if (digits == 0)
			continue;
		p += digits;
		if (*p == '.' && isdigit((unsigned char)p[1]))
			p += 1 + strspn(p + 1, "0123456789");
		if (*p == '\0' && n < size) {
			memcpy(buf, families[f], n + 1);
			return buf;
		}
	}
	return name;
}

/* ---- OpenClaw's inline-eval interpreters (strictInlineEval) ---- */

static const struct inline_spec {
	const char *const *names;
	const char *cluster;           /* short letters that take code, also inside -Ic */
	const char *const *flags;      /* exact options (long ones also as --flag=...) */
	const char *const *joined;     /* short options whose code may be attached (-e'...') */
	const char *const *file_flags; /* options that read the program from a file */
	const char *subcommand;        /* deno eval */
	/*
	 * claw: options whose value is the next word (python3 -W ignore -c ...
	 * would otherwise end the scan at "ignore"), and one after which the rest
	 * belongs to a module (python3 -m venv x is no inline code).
	 */
	const char *const *valued;
	const char *module_flag;
	bool positional_program; /* the first operand is the program (awk, sed) */
	bool positional_command; /* the first operand is a command (xargs) */
	bool scan_all;           /* options may follow operands (find, make) */
	/* claw: with no program operand (or "-"), the program is read from
	 * standard input: inline code too (echo ... | python3). */
	bool stdin_program;
} inline_specs[] = {
	{ (const char *const[]){ "python", "python2", "python3", "pypy", "pypy3", NULL },
	  .cluster = "c", .valued = (const char *const[]){ "-W", "-X", "-Q", NULL },
	  .module_flag = "-m", .stdin_program = true },
	{ (const char *const[]){ "node", "nodejs", "bun", "deno", NULL },
	  .flags = (const char *const[]){ "-e", "--eval", "-p", "--print", NULL }, .cluster = "ep",
	  .valued = (const char *const[]){ "-r", "--require", "--import", "--loader",
	                                   "--experimental-loader", "-C", "--conditions",
	                                   "--input-type", "--env-file", "--title", NULL },
	  .subcommand = "eval", .stdin_program = true },
	{ (const char *const[]){ "awk", "gawk", "mawk", "nawk", NULL },
	  .flags = (const char *const[]){ "-e", "--source", "--s", "--so", "--sou", "--sour",
	                                  "--sourc", NULL },
	  .file_flags = (const char *const[]){ "-f", "--file", NULL }, .positional_program = true },
	{ (const char *const[]){ "ruby", NULL }, .cluster = "e",
	  .valued = (const char *const[]){ "-I", "-r", "-C", NULL }, .stdin_program = true },
	{ (const char *const[]){ "perl", NULL }, .cluster = "eE",
	  .valued = (const char *const[]){ "-I", NULL }, .stdin_program = true },
	{ (const char *const[]){ "php", NULL },
	  .flags = (const char *const[]){ "-r", "-B", "-E", "-R", NULL },
	  .joined = (const char *const[]){ "-r", NULL },
	  .valued = (const char *const[]){ "-c", "-d", "-z", NULL }, .stdin_program = true },
	{ (const char *const[]){ "r", "rscript", NULL },
	  .flags = (const char *const[]){ "-e", NULL } },
	{ (const char *const[]){ "julia", NULL },
	  .flags = (const char *const[]){ "-e", "--eval", "--print", "-E", NULL } },
	{ (const char *const[]){ "elixir", "iex", NULL },
	  .flags = (const char *const[]){ "-e", "--eval", "--rpc-eval", NULL } },
	{ (const char *const[]){ "guile", NULL },
	  .flags = (const char *const[]){ "-c", "-e", NULL } },
	{ (const char *const[]){ "groovy", NULL }, .flags = (const char *const[]){ "-e", NULL } },
	{ (const char *const[]){ "scala", "scala-cli", NULL },
	  .flags =
	      (const char *const[]){ "-e", "--script-snippet", "--execute-script", "--execute-sc",
	                             "--execute-scala-script", "--scala-snippet", "--execute-scala",
	                             "--java-snippet", "--execute-java", "--markdown-snippet",
	                             "--md-snippet", "--execute-markdown", "--execute-md", NULL } },
	{ (const char *const[]){ "clojure", "clj", NULL },
	  .flags = (const char *const[]){ "-e", "--eval", NULL } },
	{ (const char *const[]){ "raku", "perl6", NULL },
	  .flags = (const char *const[]){ "-e", NULL },
	  .joined = (const char *const[]){ "-e", NULL } },
	{ (const char *const[]){ "ghc", "ghci", NULL },
	  .flags = (const char *const[]){ "-e", NULL } },
	{ (const char *const[]){ "erl", "werl", NULL },
	  .flags = (const char *const[]){ "-eval", "-run", "-s", NULL } },
	{ (const char *const[]){ "gdb", NULL },
	  .flags = (const char *const[]){ "-ex", "-iex", "-eiex", "-eval-command", "--eval-command",
	                                  "-init-eval-command", "--init-eval-command",
	                                  "-early-init-eval-command", "--early-init-eval-command",
	                                  NULL },
	  .scan_all = true },
	{ (const char *const[]){ "expect", NULL }, .flags = (const char *const[]){ "-c", NULL } },
	{ (const char *const[]){ "lua", NULL }, .flags = (const char *const[]){ "-e", NULL },
	  .valued = (const char *const[]){ "-l", NULL }, .stdin_program = true },
	{ (const char *const[]){ "osascript", NULL },
	  .flags = (const char *const[]){ "-e", NULL } },
	{ (const char *const[]){ "find", NULL },
	  .flags = (const char *const[]){ "-exec", "-execdir", "-ok", "-okdir", NULL },
	  .scan_all = true },
	{ (const char *const[]){ "make", "gmake", NULL },
	  .flags = (const char *const[]){ "-f", "--file", "--makefile", "--eval", "-E", NULL },
	  .joined = (const char *const[]){ "-f", NULL }, .scan_all = true },
	{ (const char *const[]){ "sed", "gsed", NULL },
	  .flags = (const char *const[]){ "--expression", NULL },
	  .joined = (const char *const[]){ "-e", NULL },
	  .file_flags = (const char *const[]){ "-f", "--file", NULL }, .positional_program = true },
	{ (const char *const[]){ "xargs", NULL }, .positional_command = true },
};

static bool flag_hit(const struct inline_spec *s, const char *a)
{
	if (in_list(s->flags, a))
		return true;
	const char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
	if (eq != NULL) {
		char name[64];
		size_t n = (size_t)(eq - a);
		if (n < sizeof(name)) {
			memcpy(name, a, n);
			name[n] = '\0';
			if (in_list(s->flags, name))
				return true;
		}
	}
	for (const char *const *j = s->joined; j != NULL && *j != NULL; j++)
		if (strncmp(a, *j, strlen(*j)) == 0)
			return true;
	if (s->cluster != NULL && a[1] != '-')
		for (const char *p = a + 1; *p; p++)
			if (strchr(s->cluster, *p))
				return true;
	return false;
}

static const char *inline_hit(const struct inline_spec *s, char *const *argv, int argc)
{
	bool program_file = false, options = true, operand = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (options && strcmp(a, "--") == 0) {
			options = s->scan_all;
			continue;
		}
		if (options && a[0] == '-' && a[1] != '\0') {
			if (flag_hit(s, a))
				return a;
			if (s->module_flag &&
			    strncmp(a, s->module_flag, strlen(s->module_flag)) == 0)
				return NULL; /* python3 -m MODULE [ARG...] */
			if (in_list(s->valued, a))
				i++; /* its value is not an operand */
			program_file |= in_list(s->file_flags, a) ||
			                (s->file_flags && strncmp(a, "--file=", 7) == 0);
			continue;
		}
		if (s->subcommand && strcmp(a, s->subcommand) == 0)
			return a;
		if (s->positional_command || (s->positional_program && !program_file))
			return a;
		if (s->stdin_program && strcmp(a, "-") == 0)
			return "- (the program on standard input)";
		operand = true;
		if (!s->scan_all)
			break;
	}
	if (s->stdin_program && !operand)
		return "(the program on standard input)";
	return NULL;
}

const char *risk_inline_eval(const char *name, char *const *argv, int argc)
{
	char buf[16];
	const char *base = unversioned(name, buf, sizeof(buf));

	for (size_t i = 0; i < NELEM(inline_specs); i++)
		if (in_list(inline_specs[i].names, base))
			return inline_hit(&inline_specs[i], argv, argc);
	return NULL;
}

/* ---- interpreters ---- */

static const char *const interpreters[] = {
	/* OpenClaw's INTERPRETER_LIKE_SAFE_BINS */
	"ash",
	"awk",
	"bash",
	"busybox",
	"bun",
	"cmd",
	"cmd.exe",
	"cscript",
	"dash",
	"deno",
	"fish",
	"gawk",
	"gsed",
	"ksh",
	"lua",
	"mawk",
	"nawk",
	"node",
	"nodejs",
	"perl",
	"php",
	"powershell",
	"powershell.exe",
	"pypy",
	"pwsh",
	"pwsh.exe",
	"python",
	"python2",
	"python3",
	"ruby",
	"sed",
	"sh",
	"toybox",
	"wscript",
	"zsh",
	/* claw: the other interpreters of the inline-eval table, and a few more */
	"pypy3",
	"r",
	"rscript",
	"julia",
	"elixir",
	"iex",
	"guile",
	"groovy",
	"scala",
	"scala-cli",
	"clojure",
	"clj",
	"raku",
	"perl6",
	"ghci",
	"runghc",
	"erl",
	"escript",
	"expect",
	"osascript",
	"tclsh",
	"wish",
	"mksh",
	"yash",
	"tcsh",
	"csh",
};

bool risk_interpreter(const char *name)
{
	char buf[16];
	const char *base = unversioned(name, buf, sizeof(buf));

	for (size_t i = 0; i < NELEM(interpreters); i++)
		if (interpreters[i][0] == base[0] && strcmp(interpreters[i], base) == 0)
			return true;
	return false;
}

/* " a b c ": every name in LISTS, each list NULL-terminated. */
static void join_names(struct buf *b, const char *const *const *lists, size_t n)
{
	buf_putc(b, ' ');
	for (size_t i = 0; i < n; i++)
		for (const char *const *w = lists[i]; *w != NULL; w++)
			buf_printf(b, "%s ", *w);
}

const char *risk_inline_eval_names(void)
{
	static struct buf b;

	if (b.len == 0) {
		const char *const *lists[NELEM(inline_specs)];
		for (size_t i = 0; i < NELEM(inline_specs); i++)
			lists[i] = inline_specs[i].names;
		join_names(&b, lists, NELEM(lists));
	}
	return b.p;
}

bool risk_inline_eval_program(const char *name)
{
	char buf[16];
	const char *base = unversioned(name, buf, sizeof(buf));

	for (size_t i = 0; i < NELEM(inline_specs); i++)
		if (in_list(inline_specs[i].names, base))
			return true;
	return false;
}

/* ---- claw's argument rules ---- */

/*
 * One option of one program (optionally of one subcommand). A long option
 * also matches as --opt=VALUE and as any abbreviation of two letters or more
 * (GNU getopt and git accept unambiguous prefixes: `tar --to-com=sh`). A
 * short one also matches with its value attached and, when CLUSTER, inside a
 * cluster of short options (`rsync -avze`).
 */
static const struct arg_rule {
	const char *prog;
	const char *sub; /* git subcommand, or NULL */
	const char *opt; /* NULL: the subcommand itself */
	bool cluster;
	const char *reason;
} arg_rules[] = {
	{ "find", NULL, "-exec", false, "find -exec runs a command for each file" },
	{ "find", NULL, "-execdir", false, "find -execdir runs a command for each file" },
	{ "find", NULL, "-ok", false, "find -ok runs a command for each file" },
	{ "find", NULL, "-okdir", false, "find -okdir runs a command for each file" },
	{ "find", NULL, "-delete", false, "find -delete removes files" },
	{ "find", NULL, "-fprint", false, "find -fprint writes a file" },
	{ "find", NULL, "-fprint0", false, "find -fprint0 writes a file" },
	{ "find", NULL, "-fprintf", false, "find -fprintf writes a file" },
	{ "find", NULL, "-fls", false, "find -fls writes a file" },
	{ "rg", NULL, "--pre", false, "rg --pre runs a program on every file" },
	{ "rg", NULL, "--search-zip", false, "rg --search-zip runs decompression programs" },
	{ "rg", NULL, "-z", true, "rg -z runs decompression programs" },
	{ "rg", NULL, "--hostname-bin", false, "rg --hostname-bin runs a program" },
	{ "tar", NULL, "--to-command", false, "tar --to-command runs a program" },
	{ "tar", NULL, "--checkpoint-action", false, "tar --checkpoint-action can run a program" },
	{ "tar", NULL, "--use-compress-program", false,
	  "tar --use-compress-program runs a program" },
	{ "tar", NULL, "-I", true, "tar -I runs a compression program" },
	{ "tar", NULL, "--info-script", false, "tar --info-script runs a program" },
	{ "tar", NULL, "--new-volume-script", false, "tar --new-volume-script runs a program" },
	{ "tar", NULL, "-F", true, "tar -F runs a program" },
	{ "tar", NULL, "--rsh-command", false, "tar --rsh-command runs a program" },
	{ "tar", NULL, "--rmt-command", false, "tar --rmt-command runs a program" },
	{ "rsync", NULL, "-e", true, "rsync -e runs the remote shell it names" },
	{ "rsync", NULL, "--rsh", false, "rsync --rsh runs the remote shell it names" },
	{ "rsync", NULL, "--rsync-path", false, "rsync --rsync-path runs a remote program" },
	{ "sort", NULL, "--compress-program", false, "sort --compress-program runs a program" },
	{ "zip", NULL, "-TT", false, "zip -TT runs the test command it names" },
	{ "zip", NULL, "--unzip-command", false, "zip --unzip-command runs a program" },
	{ "man", NULL, "-P", false, "man -P runs the pager it names" },
	{ "man", NULL, "--pager", false, "man --pager runs the pager it names" },
	{ "man", NULL, "-H", false, "man -H runs the browser it names" },
	{ "man", NULL, "--html", false, "man --html runs the browser it names" },
	{ "scp", NULL, "-S", false, "scp -S runs the program it names" },
	{ "sftp", NULL, "-S", false, "sftp -S runs the program it names" },
	{ "sftp", NULL, "-D", false, "sftp -D runs the server program it names" },
	{ "ssh", NULL, "-F", false, "ssh -F reads a config that can run commands" },
	{ "scp", NULL, "-F", false, "scp -F reads a config that can run commands" },
	{ "sftp", NULL, "-F", false, "sftp -F reads a config that can run commands" },
	{ "git", "config", NULL, false,
	  "git config sets aliases, pagers and hooks that later git commands run" },
	{ "git", "credential", NULL, false, "git credential prints stored passwords" },
	{ "git", "filter-branch", NULL, false, "git filter-branch runs its filters as commands" },
	{ "git", "submodule", "foreach", false, "git submodule foreach runs a command" },
	{ "git", "bisect", "run", false, "git bisect run runs a command" },
	{ "git", "rebase", "--exec", false, "git rebase --exec runs a command" },
	{ "git", "rebase", "-x", false, "git rebase -x runs a command" },
	{ "git", "difftool", "--extcmd", false, "git difftool --extcmd runs a command" },
	{ "git", "difftool", "-x", false, "git difftool -x runs a command" },
	{ "git", "grep", "--open-files-in-pager", false, "git grep -O runs a pager" },
	{ "git", "grep", "-O", false, "git grep -O runs a pager" },
	{ "git", "send-email", "--sendmail-cmd", false,
	  "git send-email runs the command it names" },
	{ "git", "send-email", "--smtp-server", false,
	  "git send-email may run the server it names" },
	{ "git", "send-email", "--to-cmd", false, "git send-email runs the command it names" },
	{ "git", "send-email", "--cc-cmd", false, "git send-email runs the command it names" },
	{ "git", "clone", "-u", false, "git clone -u runs the upload program it names" },
	{ "git", NULL, "--upload-pack", false, "--upload-pack runs the program it names" },
	{ "git", NULL, "--receive-pack", false, "--receive-pack runs the program it names" },
	{ "git", NULL, "--exec", false, "--exec runs the program it names" },
	{ "git", NULL, "--output", false, "--output writes the file it names" },
	{ "git", "format-patch", "-o", false, "git format-patch -o writes files where it says" },
	{ "git", "archive", "-o", false, "git archive -o writes the file it names" },
	{ "npm", "exec", NULL, false, "npm exec runs the command it is given" },
	{ "npm", "x", NULL, false, "npm x runs the command it is given" },
	{ "npm", "explore", NULL, false, "npm explore runs a shell command" },
	{ "npm", NULL, "--script-shell", false,
	  "npm --script-shell runs scripts with that program" },
	{ "npx", NULL, NULL, false, "npx runs the package command it is given" },
#define CC_RULES(cc)                                                                               \
	{ cc, NULL, "-wrapper", false, "-wrapper runs the compiler's tools under a program" },     \
	    { cc, NULL, "-fplugin=", false, "-fplugin loads code into the compiler" },             \
	    { cc, NULL, "-B", false, "-B makes the compiler run tools from another directory" },   \
	    { cc, NULL, "-specs=", false, "-specs can make the compiler run other programs" },     \
	{                                                                                          \
		cc, NULL, "@", false, "@FILE reads options that are not on the command line"       \
	}
	CC_RULES("cc"),
	CC_RULES("gcc"),
	CC_RULES("g++"),
	CC_RULES("c++"),
	CC_RULES("clang"),
	CC_RULES("clang++"),
#undef CC_RULES
};

static bool long_match(const char *arg, const char *opt)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);

	return n >= 4 && n <= strlen(opt) && strncmp(arg, opt, n) == 0;
}

static bool opt_match(const struct arg_rule *r, const char *arg)
{
	const char *opt = r->opt;
	size_t n = strlen(opt);

	if (strcmp(arg, opt) == 0)
		return true;
	if (opt[n - 1] == '=' || strcmp(opt, "@") == 0) /* -fplugin=PATH, @FILE */
		return strncmp(arg, opt, n) == 0;
	if (opt[1] == '-') /* --long */
		return arg[0] == '-' && arg[1] == '-' && long_match(arg, opt);
	if (opt[2] != '\0') /* find's -exec: exact only */
		return false;
	if (arg[0] != '-' || arg[1] == '-')
		return false;
	if (arg[1] == opt[1])
		return true; /* -Xvalue */
	return r->cluster && strchr(arg + 1, opt[1]) != NULL;
}

static const char *rules_for(const char *prog, const char *sub, char *const *argv, int argc,
                             int from)
{
	for (size_t k = 0; k < NELEM(arg_rules); k++) {
		const struct arg_rule *r = &arg_rules[k];
		if (r->prog[0] != prog[0] || strcmp(r->prog, prog) != 0)
			continue;
		if (r->sub != NULL && (sub == NULL || strcmp(r->sub, sub) != 0))
			continue;
		if (r->opt == NULL)
			return r->reason;
		for (int i = from; i < argc; i++) {
			if (strcmp(argv[i], "--") == 0 && strcmp(prog, "find") != 0)
				break;
			if (r->opt[0] == '-' || r->opt[0] == '@' ? opt_match(r, argv[i])
			                                         : strcmp(argv[i], r->opt) == 0)
				return r->reason;
		}
	}
	return NULL;
}

/* tar's first argument may be a cluster without a dash: `tar xIf prog`. */
static const char *tar_old_style(char *const *argv, int argc)
{
	if (argc > 1 && argv[1][0] != '-' && strpbrk(argv[1], "IF") != NULL)
		return "tar I/F runs a program";
	return NULL;
}

/* git's options before the subcommand: only these are plain. */
static const char *const git_plain_globals[] = {
	"--no-pager",
	"-P",
	"--no-replace-objects",
	"--literal-pathspecs",
	"--glob-pathspecs",
	"--noglob-pathspecs",
	"--icase-pathspecs",
	"--no-optional-locks",
	"--version",
	"--help",
	"-v",
	"-h",
	"--html-path",
	"--man-path",
	"--info-path",
	NULL,
};

static const char *git_risk(char *const *argv, int argc)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-C") == 0) {
			i++;
			continue;
		}
		if (!in_list(git_plain_globals, argv[i]))
			return "git options before the subcommand (-c, --exec-path, --git-dir, "
			       "...) "
			       "can make git run other programs";
	}
	if (i >= argc)
		return NULL;
	return rules_for("git", argv[i], argv, argc, i + 1);
}

/* ssh -o ProxyCommand=... and friends run a local command. */
static const char *ssh_risk(char *const *argv, int argc)
{
	static const char *const keys[] = { "proxycommand", "localcommand", "knownhostscommand",
		                            "permitlocalcommand" };

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		if (strcmp(a, "-o") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(a, "-o", 2) == 0)
			v = a + 2;
		for (size_t k = 0; v != NULL && k < NELEM(keys); k++)
			if (strcasestr(v, keys[k]) != NULL)
				return "an ssh option that runs a local command";
	}
	return NULL;
}

/* ---- sed scripts ---- */

static size_t skip_sed_address(const char *s, size_t i)
{
	for (int part = 0; part < 2; part++) {
		if (s[i] == '/' || s[i] == '\\') {
			char d = s[i] == '\\' ? s[++i] : '/';
			if (d == '\0')
				return i;
			for (i++; s[i] && s[i] != d; i++)
				if (s[i] == '\\' && s[i + 1])
					i++;
			if (s[i])
				i++;
			while (s[i] == 'I' || s[i] == 'M')
				i++;
		} else {
			while (isdigit((unsigned char)s[i]) || s[i] == '$' || s[i] == '~' ||
			       (part == 1 && s[i] == '+'))
				i++;
		}
		if (s[i] != ',')
			break;
		i++;
	}
	while (s[i] == ' ' || s[i] == '!')
		i++;
	return i;
}

/* The end of a s or y part delimited by D, or 0 when it does not end. */
static size_t sed_part(const char *s, size_t i, char d)
{
	for (; s[i] && s[i] != d; i++)
		if (s[i] == '\\' && s[i + 1])
			i++;
	return s[i] ? i + 1 : 0;
}

/* Flags after s///: e runs the pattern space, w writes a file. */
static bool sed_s_flags(const char *s, size_t *i)
{
	for (; s[*i] && !strchr(";}\n ", s[*i]); (*i)++) {
		if (s[*i] == 'e' || s[*i] == 'w' || s[*i] == 'W')
			return true;
		if (!strchr("gpiImM0123456789", s[*i]))
			return true; /* not understood */
	}
	return false;
}

/*
 * True when a sed script runs commands (e, s///e) or writes files (w, W,
 * s///w), or holds anything the scanner does not understand. The scanner
 * stops short rather than reads too far, so a misread shows up as an
 * unknown command: it errs on the side of asking.
 */
static bool sed_script_risky(const char *s)
{
	size_t i = 0;

	for (;;) {
		while (s[i] && strchr(" \t\n;{}", s[i]))
			i++;
		if (s[i] == '\0')
			return false;
		if (s[i] == '#') {
			i += strcspn(s + i, "\n");
			continue;
		}
		i = skip_sed_address(s, i);
		char c = s[i++];
		if (c == 's' || c == 'y') {
			char d = s[i];
			if (d == '\0' || d == '\\' || d == '\n')
				return true;
			size_t a = sed_part(s, i + 1, d), b = a ? sed_part(s, a, d) : 0;
			if (b == 0)
				return true;
			i = b;
			if (c == 's' && sed_s_flags(s, &i))
				return true;
		} else if (strchr("aic:btTrR", c) && c != '\0') {
			i += strcspn(s + i,
			             c == 'b' || c == 't' || c == 'T' || c == ':' ? ";\n" : "\n");
		} else if (strchr("qQlL", c) && c != '\0') {
			i += strspn(s + i, " 0123456789");
		} else if (c == '\0' || !strchr("=dDgGhHnNpPxzF", c)) {
			return true; /* e, w, W, or not understood */
		}
	}
}

/* The script an option of sed's carries (-e S, -eS, --expression=S), moving *i
 * past it; NULL when ARGV[*i] carries none. */
static const char *sed_option_script(char *const *argv, int argc, int *i)
{
	const char *a = argv[*i], *e;

	if (strcmp(a, "-e") == 0 || strcmp(a, "--expression") == 0)
		return *i + 1 < argc ? argv[++*i] : "";
	if (strncmp(a, "--expression=", 13) == 0)
		return a + 13;
	if (a[0] == '-' && a[1] != '-' && (e = strchr(a, 'e')) != NULL)
		return e[1] != '\0' ? e + 1 : *i + 1 < argc ? argv[++*i] : "";
	return NULL;
}

static bool sed_file_option(const char *a)
{
	return strcmp(a, "-f") == 0 || strncmp(a, "--file", 6) == 0 ||
	       (a[0] == '-' && a[1] != '-' && strchr(a, 'f') != NULL && strchr(a, 'e') == NULL);
}

static const char *sed_risk(char *const *argv, int argc)
{
	bool script_seen = false, sandbox = false;
	const char *risky = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *script;
		if (strcmp(a, "--") == 0)
			break;
		if (sed_file_option(a))
			return "sed reads its script from a file claw cannot see";
		sandbox |= strcmp(a, "--sandbox") == 0;
		script = sed_option_script(argv, argc, &i);
		if (script == NULL && (strcmp(a, "-l") == 0 || strcmp(a, "--line-length") == 0))
			i++;
		else if (script == NULL && a[0] != '-' && !script_seen)
			script = a; /* without -e, the first operand is the script */
		if (script != NULL) {
			script_seen = true;
			if (sed_script_risky(script))
				risky = "a sed script that runs commands or writes files (e, w, W)";
		}
	}
	/* --sandbox makes sed itself refuse e, w and r. */
	return sandbox ? NULL : risky;
}

/* ---- awk programs ---- */

/*
 * awk: options that load code from files are refused outright; then every
 * argument is searched for what runs commands, writes files or reads the
 * environment. Every argument, not only the program: an option the table
 * does not know may take a value, and then the program is a later word.
 * Comparisons with > are caught too; asking for those is the price.
 */
static const char *awk_risk(char *const *argv, int argc)
{
	static const char *const words[] = { "system", "|", ">", "getline", "ENVIRON" };
	static const char *const loaders[] = { "-f",        "--file", "-E",     "--exec", "-i",
		                               "--include", "-l",     "--load", NULL };

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a == NULL)
			break;
		if (in_list(loaders, a) || (a[0] == '-' && a[1] != '\0' && strchr("fEil", a[1])))
			return "awk loads program text or extensions from files";
		for (size_t k = 0; k < NELEM(words); k++)
			if (strstr(a, words[k]) != NULL)
				return "an awk program that can run commands, write files or read "
				       "the "
				       "environment";
	}
	return NULL;
}

/* npm's subcommand is its first word that is not an option. */
static const char *npm_risk(char *const *argv, int argc)
{
	const char *why = rules_for("npm", NULL, argv, argc, 1);
	int i = 1;

	while (i < argc && argv[i][0] == '-')
		i++;
	if (why == NULL && i < argc)
		why = rules_for("npm", argv[i], argv, argc, i + 1);
	return why;
}

const char *risk_arguments(const char *name, char *const *argv, int argc)
{
	const char *why;

	if (strcmp(name, "git") == 0)
		return git_risk(argv, argc);
	if (strcmp(name, "npm") == 0)
		return npm_risk(argv, argc);
	if (strcmp(name, "ssh") == 0 || strcmp(name, "scp") == 0 || strcmp(name, "sftp") == 0)
		if ((why = ssh_risk(argv, argc)) != NULL)
			return why;
	if (strcmp(name, "sed") == 0 || strcmp(name, "gsed") == 0)
		return sed_risk(argv, argc);
	if (strcmp(name, "awk") == 0 || strcmp(name, "gawk") == 0 || strcmp(name, "mawk") == 0 ||
	    strcmp(name, "nawk") == 0)
		return awk_risk(argv, argc);
	if (strcmp(name, "tar") == 0 && (why = tar_old_style(argv, argc)) != NULL)
		return why;
	return rules_for(name, NULL, argv, argc, 1);
}
