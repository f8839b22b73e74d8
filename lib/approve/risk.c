/* risk.c: the argument tables (see risk.h). */
#include "approve/risk.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "approve/model.h"
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
		buf_puts(&b, model_inline_names()); /* python, node, awk, ...: the models' */
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
	return model_inline_program(name);
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
#define CC_RULES(cc)                                                                               \
	{ cc, NULL, "-wrapper", false, "-wrapper runs the compiler's tools under a program" },     \
	    { cc, NULL, "-fplugin=", false, "-fplugin loads code into the compiler" },             \
	    { cc, NULL, "-B", false, "-B makes the compiler run tools from another directory" },   \
	    { cc, NULL, "-specs=", false, "-specs can make the compiler run other programs" },     \
	{                                                                                          \
		cc, NULL, "@", false, "@FILE reads options that are not on the command line"       \
	}
	CC_RULES("cc"),  CC_RULES("gcc"),   CC_RULES("g++"),
	CC_RULES("c++"), CC_RULES("clang"), CC_RULES("clang++"),
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

const char *risk_arguments(const char *name, char *const *argv, int argc)
{
	return rules_for(name, NULL, argv, argc, 1);
}
