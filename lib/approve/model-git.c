/*
 * model-git.c: git, read as git reads its command line.
 *
 * git.c first takes its own options (-C, -c NAME=VALUE, --git-dir, ...)
 * up to the first word that is not one: that word is the subcommand, an
 * alias, or a program git-WORD on the exec path. A subcommand then reads the
 * rest with parse-options: clusters (-qx CMD), unique prefixes of long
 * options (--upload-p=CMD), --no-NAME for every long option, options and
 * operands mixed, `--` before paths. Each subcommand claw knows is a row of
 * its own below; any other word (an alias from the config, a program on the
 * exec path, a subcommand claw does not model) asks. A program that is git
 * under another name is git: `git-config` (a link to git) is `git config`.
 *
 * The rows were first made from `git SUBCOMMAND -h` of git 2.39 and then
 * read one by one: every option that runs a program, writes outside the
 * working directory or reads a file of options is an effect row.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "approve/model-int.h"
#include "core/util.h"

#define END                                                                                        \
	{                                                                                          \
		NULL, 0, 0, NULL, NULL                                                             \
	}
#define HELP " -h --help"

/* ---- shared option lists ---- */

#define DIFF_OPTS                                                                                  \
	" -p|--patch -s|--no-patch -u -U|--unified=? -W|--function-context --raw "                 \
	"--patch-with-raw --patch-with-stat --numstat --shortstat -X|--dirstat=? "                 \
	"--cumulative --dirstat-by-file=? --check --summary --name-only --name-status "            \
	"--stat=? --stat-width= --stat-name-width= --stat-graph-width= --stat-count= "             \
	"--compact-summary --binary --full-index --color=? --no-color --ws-error-highlight= -z "   \
	"--abbrev=? --no-abbrev --src-prefix= --dst-prefix= --line-prefix= --no-prefix "           \
	"--default-prefix --inter-hunk-context= --output-indicator-new= "                          \
	"--output-indicator-old= --output-indicator-context= -B|--break-rewrites=? "               \
	"-M|--find-renames=? -D|--irreversible-delete -C|--find-copies=? "                         \
	"--find-copies-harder --no-renames --rename-empty --follow -l= --minimal "                 \
	"-w|--ignore-all-space -b|--ignore-space-change --ignore-space-at-eol "                    \
	"--ignore-cr-at-eol --ignore-blank-lines -I|--ignore-matching-lines= "                     \
	"--indent-heuristic --patience --histogram --diff-algorithm= --anchored= "                 \
	"--word-diff=? --word-diff-regex= --color-words=? --color-moved=? --color-moved-ws= "      \
	"--relative=? -a|--text -R --exit-code --quiet --ext-diff --textconv "                     \
	"--ignore-submodules=? --submodule=? --ita-invisible-in-index "                            \
	"--ita-visible-in-index -S= -G= --pickaxe-all --pickaxe-regex --rotate-to= "               \
	"--skip-to= --find-object= --diff-filter= -t -c --cc --dd --combined-all-paths -m "        \
	"--diff-merges= --remerge-diff --first-parent"

#define REV_OPTS                                                                                   \
	" -n|--max-count= --skip= --since|--after= --until|--before= --since-as-filter= "          \
	"--author= --committer= --grep= --grep-reflog= --all-match --invert-grep "                 \
	"-i|--regexp-ignore-case --basic-regexp -E|--extended-regexp -F|--fixed-strings "          \
	"-P|--perl-regexp --merges --no-merges --min-parents= --max-parents= "                     \
	"--exclude-first-parent-only --not --all --branches=? --tags=? --remotes=? --glob= "       \
	"--exclude= --reflog --alternate-refs --single-worktree --ignore-missing --bisect "        \
	"--stdin --cherry-mark --cherry-pick --left-only --right-only --cherry "                   \
	"-g|--walk-reflogs --merge --boundary --simplify-by-decoration --show-pulls "              \
	"--full-history --dense --sparse --simplify-merges --ancestry-path=? --date-order "        \
	"--author-date-order --topo-order --reverse --no-walk=? --do-walk "                        \
	"--format= --pretty=? --abbrev-commit --no-abbrev-commit --oneline --encoding= "           \
	"--expand-tabs=? --notes|--show-notes=? --standard-notes --show-signature "                \
	"--relative-date --date= --parents --children --left-right --graph "                       \
	"--show-linear-break=? --log-size --full-diff --count --objects --timestamp "              \
	"--max-age= --min-age= --remove-empty --root --unpacked"

#define LOG_OPTS                                                                                   \
	"-q|--quiet --source --use-mailmap|--mailmap --clear-decorations --decorate-refs= "        \
	"--decorate-refs-exclude= --decorate=? -L=" REV_OPTS DIFF_OPTS HELP

/* ---- effects ---- */

#define DIFF_EFFECTS                                                                               \
	{ "--output=", E_WRITE, 0, "git --output writes the file it names", "/etc/claw-x" },       \
	{                                                                                          \
		"-O=", E_READ, 0, "git -O reads the order of files from the file it names",        \
		    "/etc/claw-x"                                                                  \
	}

static const struct effect log_effects[] = { DIFF_EFFECTS, END };

static const struct effect global_effects[] = {
	{ "-c=", E_CODE, 0, "git -c sets configuration that can name programs", "core.pager=sh" },
	{ "--config-env=", E_ASK, 0, "git --config-env sets configuration from the environment",
	  "core.pager=X" },
	{ "--exec-path=?", E_RUN, 0, "git --exec-path runs git's programs from another directory",
	  "/tmp" },
	{ "--git-dir=", E_ASK, 0,
	  "git --git-dir uses a repository elsewhere (its config and hooks run commands)", "/tmp" },
	{ "--work-tree=", E_ASK, 0, "git --work-tree writes files elsewhere", "/tmp" },
	{ "--super-prefix=", E_ASK, 0, "git --super-prefix is git's own", "x" },
	{ "--shallow-file=", E_ASK, 0, "git --shallow-file is git's own", "x" },
	{ "-C=", E_CHDIR, 0, "git -C works in another directory", NULL },
	END,
};

const struct model model_git_globals = {
	.name = "git",
	.grammar = G_POSIX,
	.plain =
	    "-v|--version -h|--help --html-path --man-path --info-path -p|--paginate "
	    "-P|--no-pager --no-replace-objects --no-lazy-fetch --no-optional-locks --no-advice "
	    "--bare --literal-pathspecs --glob-pathspecs --noglob-pathspecs --icase-pathspecs "
	    "--namespace= --list-cmds= --attr-source=",
	.effects = global_effects,
	.allows = "git's own options: never -c with a key that names a program, --exec-path=, "
	          "--git-dir, --work-tree",
};

#define STRATEGY                                                                                   \
	{                                                                                          \
		"-s|--strategy=", E_CODE, 0, "git runs a merge strategy not its own as a program", \
		    "evil"                                                                         \
	}
#define UPLOAD_PACK                                                                                \
	{                                                                                          \
		"-u|--upload-pack=", E_RUN, 0, "--upload-pack runs the program it names", "id"     \
	}
#define PATHSPEC_FILE                                                                              \
	{                                                                                          \
		"--pathspec-from-file=", E_READ, 0,                                                \
		    "--pathspec-from-file reads the file it names", "/etc/claw-x"                  \
	}

static const struct effect add_effects[] = { PATHSPEC_FILE, END };
static const struct effect apply_effects[] = {
	{ "--unsafe-paths", E_ASK, 0, "git apply --unsafe-paths writes outside the working tree",
	  NULL },
	{ "--build-fake-ancestor=", E_WRITE, 0, "git apply --build-fake-ancestor writes a file",
	  "/etc/claw-x" },
	END,
};
static const struct effect archive_effects[] = {
	{ "-o|--output=", E_WRITE, 0, "git archive -o writes the file it names", "/etc/claw-x" },
	{ "--exec=", E_RUN, 0, "git archive --exec runs a program", "id" },
	{ "--add-file=", E_READ, 0, "git archive --add-file reads the file it names",
	  "/etc/claw-x" },
	{ "--remote=", E_NET, 0, "git archive --remote fetches from a remote", NULL },
	END,
};
static const struct effect blame_effects[] = {
	{ "--ignore-revs-file=", E_READ, 0, "git blame --ignore-revs-file reads the file it names",
	  "/etc/claw-x" },
	{ "-S=", E_READ, 0, "git blame -S reads the file it names", "/etc/claw-x" },
	{ "--contents=", E_READ, 0, "git blame --contents reads the file it names", "/etc/claw-x" },
	END,
};
static const struct effect checkout_effects[] = { PATHSPEC_FILE, END };
/* cherry-pick and revert: -s is --signoff there; the strategy is only --strategy. */
static const struct effect pick_effects[] = {
	{ "--strategy=", E_CODE, 0, "git runs a merge strategy not its own as a program", "evil" },
	END,
};
static const struct effect clone_effects[] = {
	UPLOAD_PACK,
	{ "--template=", E_RUN, 0, "git clone --template copies hooks that git then runs", "/tmp" },
	{ "--separate-git-dir=", E_WRITE, 0, "--separate-git-dir writes the repository there",
	  "/etc/claw-x" },
	{ "-c|--config=", E_ASK, 0,
	  "git clone -c sets configuration (hooks, commands) in the new repository",
	  "core.sshCommand=id" },
	END,
};
static const struct effect commit_effects[] = {
	{ "-F|--file=", E_READ, 0, "git commit -F reads the message from the file it names",
	  "/etc/claw-x" },
	{ "-t|--template=", E_READ, 0, "git commit -t reads the file it names", "/etc/claw-x" },
	PATHSPEC_FILE,
	END,
};
static const struct effect fetch_effects[] = {
	{ "--upload-pack=", E_RUN, 0, "--upload-pack runs the program it names", "id" },
	END,
};
static const struct effect format_patch_effects[] = {
	{ "-o|--output-directory=", E_WRITE, 0, "git format-patch -o writes files there",
	  "/etc/claw-x" },
	{ "--signature-file=", E_READ, 0, "--signature-file reads the file it names",
	  "/etc/claw-x" },
	DIFF_EFFECTS,
	END,
};
static const struct effect grep_effects[] = {
	{ "-O|--open-files-in-pager=?", E_RUN, 0, "git grep -O runs a pager on the files", "id" },
	{ "-f=", E_READ, 0, "git grep -f reads patterns from the file it names", "/etc/claw-x" },
	END,
};
static const struct effect help_effects[] = {
	{ "-w|--web", E_RUN, 0, "git help -w runs a web browser", NULL },
	END,
};
static const struct effect init_effects[] = {
	{ "--template=", E_RUN, 0, "git init --template copies hooks that git then runs", "/tmp" },
	{ "--separate-git-dir=", E_WRITE, 0, "--separate-git-dir writes the repository there",
	  "/etc/claw-x" },
	END,
};
static const struct effect ls_files_effects[] = {
	{ "-X|--exclude-from=", E_READ, 0, "git ls-files -X reads the file it names",
	  "/etc/claw-x" },
	{ "--exclude-per-directory=", E_NONE, 0, "the name of the files of patterns", NULL },
	END,
};
static const struct effect merge_effects[] = {
	STRATEGY,
	{ "-F|--file=", E_READ, 0, "git merge -F reads the message from the file it names",
	  "/etc/claw-x" },
	END,
};
static const struct effect pull_effects[] = {
	STRATEGY,
	{ "--upload-pack=", E_RUN, 0, "--upload-pack runs the program it names", "id" },
	END,
};
static const struct effect push_effects[] = {
	{ "--receive-pack|--exec=", E_RUN, 0, "--receive-pack runs the program it names", "id" },
	END,
};
static const struct effect rebase_effects[] = {
	{ "-x|--exec=", E_RUN, 0, "git rebase --exec runs a command", "id" },
	STRATEGY,
	END,
};
static const struct effect reset_effects[] = { PATHSPEC_FILE, END };
static const struct effect tag_effects[] = {
	{ "-F|--file=", E_READ, 0, "git tag -F reads the message from the file it names",
	  "/etc/claw-x" },
	END,
};
static const struct effect ls_remote_effects[] = {
	{ "--upload-pack|--exec=", E_RUN, 0, "--upload-pack runs the program it names", "id" },
	END,
};

/* ---- hooks ---- */

/* Merge strategies git has; any other name is a program git-merge-NAME. */
static bool known_strategy(const char *s)
{
	static const char *const names[] = { "ort",     "recursive", "resolve",
		                             "octopus", "ours",      "subtree" };

	for (size_t i = 0; i < NELEM(names); i++)
		if (strcmp(s, names[i]) == 0)
			return true;
	return false;
}

static void check_strategies(struct mparse *p)
{
	for (int i = 0; i < p->nocc; i++) {
		const struct occ *o = &p->occ[i];
		if (o->e != NULL && o->e->eff == E_CODE && o->value != NULL &&
		    strstr(o->spell, "--strategy=") != NULL && !o->negated &&
		    !known_strategy(o->value))
			mp_need(p, MODEL_EXACT, o->e->why);
	}
}

/* A repository argument: transport::address runs a remote helper (ext:: runs a command). */
static void check_url(struct mparse *p, const char *url)
{
	if (strstr(url, "::") != NULL)
		mp_need(p, MODEL_EXACT,
		        "a git remote-helper address (TRANSPORT::...) runs a program");
	if (url[0] == '-')
		mp_need(p, MODEL_EXACT, "a repository that looks like an option");
}

static void hook_strategy(struct mparse *p)
{
	check_strategies(p);
}

static void hook_clone(struct mparse *p)
{
	if (p->noperand >= 1)
		check_url(p, p->argv[p->operand[0]]);
	if (p->noperand >= 2)
		mp_path(p, MODEL_WRITE, p->operand[1], p->argv[p->operand[1]],
		        "git clone makes the repository there");
	if (p->noperand > 2)
		mp_need(p, MODEL_EXACT, "git clone with more operands than it takes");
}

static void hook_init(struct mparse *p)
{
	if (p->noperand >= 1)
		mp_path(p, MODEL_WRITE, p->operand[0], p->argv[p->operand[0]],
		        "git init makes the repository there");
}

static void hook_fetch(struct mparse *p)
{
	check_strategies(p);
	if (p->noperand >= 1)
		check_url(p, p->argv[p->operand[0]]);
}

/* Operands after `--` are paths (for checkout and restore: rewritten from the index). */
static bool is_path(const struct mparse *p, int i)
{
	char full[PATH_MAX];
	struct stat st;
	const char *a = p->argv[p->operand[i]];

	if (p->dashdash >= 0 && i >= p->dashdash)
		return true;
	return mp_full_path(p, NULL, a, full) && lstat(full, &st) == 0;
}

static void rewrites_tree(struct mparse *p, const char *what)
{
	mp_destroy(p, MODEL_OVERWRITE, RECOVER_TRASH, true, -1, ".", what);
}

static void hook_checkout(struct mparse *p)
{
	bool force = mp_option(p, "-f") != NULL;

	for (int i = 0; i < p->noperand; i++)
		if (is_path(p, i))
			mp_destroy(p, MODEL_OVERWRITE, RECOVER_TRASH, false, p->operand[i],
			           p->argv[p->operand[i]],
			           "git checkout PATH replaces it with the committed version");
	if (force)
		rewrites_tree(p, "git checkout -f throws away changes to tracked files");
}

static void hook_switch(struct mparse *p)
{
	if (mp_option(p, "-f") || mp_option(p, "--discard-changes"))
		rewrites_tree(p,
		              "git switch --discard-changes throws away changes to tracked files");
}

static void hook_restore(struct mparse *p)
{
	bool staged_only = mp_option(p, "-S") != NULL && mp_option(p, "-W") == NULL;

	if (staged_only)
		return;
	for (int i = 0; i < p->noperand; i++)
		mp_destroy(p, MODEL_OVERWRITE, RECOVER_TRASH, false, p->operand[i],
		           p->argv[p->operand[i]], "git restore replaces it");
}

static void hook_reset(struct mparse *p)
{
	if (mp_option(p, "--hard") || mp_option(p, "--merge") || mp_option(p, "--keep"))
		rewrites_tree(p, "git reset --hard throws away changes to tracked files");
}

static void hook_clean(struct mparse *p)
{
	if (mp_option(p, "-n"))
		return;
	for (int i = 0; i < p->noperand; i++)
		mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, true, p->operand[i],
		           p->argv[p->operand[i]],
		           "git clean removes the untracked files below it");
	if (p->noperand == 0)
		mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, true, -1, ".",
		           "git clean removes the untracked files below it");
}

/* git rm refuses a file with changes not committed, unless -f: then they are lost. */
static void hook_rm(struct mparse *p)
{
	bool force = mp_option(p, "-f") != NULL;

	if (mp_option(p, "--cached") || mp_option(p, "-n"))
		return;
	for (int i = 0; i < p->noperand; i++) {
		const char *a = p->argv[p->operand[i]];
		if (force)
			mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, mp_option(p, "-r") != NULL,
			           p->operand[i], a,
			           "git rm -f removes it with its uncommitted changes");
		else
			mp_path(p, MODEL_WRITE, p->operand[i], a,
			        "git rm removes it (the committed version stays)");
	}
}

static void hook_mv(struct mparse *p)
{
	if (p->noperand < 2)
		return;
	for (int i = 0; i + 1 < p->noperand; i++)
		mp_path(p, MODEL_WRITE, p->operand[i], p->argv[p->operand[i]], "git mv moves it");
	int last = p->operand[p->noperand - 1];
	if (mp_option(p, "-f"))
		mp_destroy(p, MODEL_OVERWRITE, RECOVER_TRASH, false, last, p->argv[last],
		           "git mv -f replaces it");
	else
		mp_path(p, MODEL_WRITE, last, p->argv[last], "git mv puts it there");
}

/* git config: reading is harmless; anything that writes the config asks. */
static bool harmless_setting(const char *key, size_t n, const char *value);

/* `git config KEY VALUE` or `git config set KEY VALUE` of a key that names nothing to run. */
static void config_set(struct mparse *p, int key_at)
{
	const char *why = "git config sets aliases, pagers and hooks that later git commands run";

	if (p->noperand != key_at + 2) {
		mp_need(p, MODEL_EXACT, why);
		return;
	}
	const char *key = p->argv[p->operand[key_at]];
	if (!harmless_setting(key, strlen(key), p->argv[p->operand[key_at + 1]]))
		mp_need(p, MODEL_EXACT, why);
}

static void hook_config(struct mparse *p)
{
	static const char *const writes[] = {
		"--replace-all",    "--add", "--unset", "--unset-all", "--rename-section",
		"--remove-section", "-e"
	};
	static const char *const reads[] = { "--get",          "--get-all", "--get-regexp",
		                             "--get-urlmatch", "-l",        "--get-color",
		                             "--get-colorbool" };
	bool read = false;

	for (size_t i = 0; i < NELEM(writes); i++)
		if (mp_option(p, writes[i]))
			mp_need(p, MODEL_EXACT,
			        "git config sets aliases, pagers and hooks that later git commands "
			        "run");
	for (size_t i = 0; i < NELEM(reads); i++)
		read |= mp_option(p, reads[i]) != NULL;
	if (p->noperand == 0)
		return;
	const char *first = p->argv[p->operand[0]];
	/* git 2.46's subcommands */
	if (strcmp(first, "get") == 0 || strcmp(first, "list") == 0)
		return;
	if (read)
		return;
	if (strcmp(first, "set") == 0)
		config_set(p, 1);
	else if (strcmp(first, "unset") == 0 || strcmp(first, "edit") == 0 ||
	         strcmp(first, "rename-section") == 0 || strcmp(first, "remove-section") == 0)
		mp_need(p, MODEL_EXACT,
		        "git config sets aliases, pagers and hooks that later git commands run");
	else if (p->noperand >= 2)
		config_set(p, 0);
}

static void hook_remote(struct mparse *p)
{
	for (int i = 0; i < p->noperand; i++)
		check_url(p, p->argv[p->operand[i]]);
}

/* ---- subcommands with subcommands of their own ---- */

static void hook_stash_drop(struct mparse *p)
{
	(void)p->noperand;
	mp_destroy(p, MODEL_DELETE, RECOVER_NEVER, false, -1, "refs/stash",
	           "git stash drop removes a stash entry");
}

static void hook_stash_clear(struct mparse *p)
{
	mp_destroy(p, MODEL_DELETE, RECOVER_NEVER, false, -1, "refs/stash",
	           "git stash clear removes every stash entry");
}

static void hook_worktree_add(struct mparse *p)
{
	if (p->noperand >= 1)
		mp_path(p, MODEL_WRITE, p->operand[0], p->argv[p->operand[0]],
		        "git worktree add makes a working tree there");
}

static void hook_worktree_remove(struct mparse *p)
{
	if (p->noperand >= 1)
		mp_destroy(p, MODEL_DELETE, RECOVER_TRASH, true, p->operand[0],
		           p->argv[p->operand[0]], "git worktree remove removes the working tree");
}

static void hook_worktree_move(struct mparse *p)
{
	for (int i = 0; i < p->noperand; i++)
		mp_path(p, MODEL_WRITE, p->operand[i], p->argv[p->operand[i]],
		        "git worktree move moves a working tree");
}

/* PL is a string literal, joined to HELP: it cannot take parentheses. */
#define ROW(s, pl, eff, h, al) /* NOLINT(bugprone-macro-parentheses) */                            \
	{                                                                                          \
		.name = "git", .sub = (s), .grammar = G_GIT, .digits = true, .plain = pl HELP,     \
		.effects = (eff), .hook = (h), .allows = (al)                                      \
	}

const struct model model_git_rows[] = {
	ROW("status",
	    "-v|--verbose -s|--short -b|--branch --show-stash --ahead-behind --porcelain=? "
	    "--long -z|--null -u|--untracked-files=? --ignored=? --ignore-submodules=? "
	    "--column=? --no-renames -M|--find-renames=?",
	    NULL, NULL, "the status of the working tree"),
	ROW("log", LOG_OPTS, log_effects, NULL, "history; --output only in the working directory"),
	ROW("show", LOG_OPTS, log_effects, NULL, "objects; --output only in the working directory"),
	ROW("whatchanged", LOG_OPTS, log_effects, NULL, "history"),
	ROW("diff",
	    "--cached --staged --merge-base --no-index -0 -1 -2 -3 --base --ours "
	    "--theirs" DIFF_OPTS,
	    log_effects, NULL, "differences; --output only in the working directory"),
	ROW("diff-tree", "-r --root --stdin --no-commit-id -v --always -s" DIFF_OPTS REV_OPTS,
	    log_effects, NULL, "differences of trees"),
	ROW("range-diff",
	    "--creation-factor= --no-dual-color --left-only --right-only" DIFF_OPTS REV_OPTS,
	    log_effects, NULL, "differences of ranges"),
	ROW("rev-list",
	    REV_OPTS " --exclude-hidden= --disk-usage=? --header --object-names "
	             "--bisect-vars --bisect-all --quiet --objects-edge --in-commit-order",
	    NULL, NULL, "lists of commits"),
	ROW("rev-parse",
	    "--parseopt --sq-quote --keep-dashdash --stop-at-non-option --stuck-long --verify -q "
	    "--quiet --sq --short=? --not --abbrev-ref=? --symbolic --symbolic-full-name --all "
	    "--branches=? --tags=? --remotes=? --glob= --exclude= --exclude-hidden= "
	    "--disambiguate= "
	    "--local-env-vars --path-format= --git-dir --git-common-dir --resolve-git-dir= "
	    "--git-path= --show-toplevel --show-superproject-working-tree --shared-index-path "
	    "--absolute-git-dir --is-inside-git-dir --is-inside-work-tree --is-bare-repository "
	    "--is-shallow-repository --show-cdup --show-prefix --show-object-format=? "
	    "--show-ref-format --since|--after= --until|--before= --default= --prefix= "
	    "--revs-only --no-revs --flags --no-flags",
	    NULL, NULL, "names of revisions and repository paths"),
	ROW("branch",
	    "-v|--verbose -q|--quiet -t|--track=? -u|--set-upstream-to= --unset-upstream "
	    "--color=? -r|--remotes --contains= --no-contains= --abbrev=? -a|--all "
	    "-d|--delete -D -m|--move -M -c|--copy -C -l|--list --show-current "
	    "--create-reflog --edit-description -f|--force --merged= --no-merged= "
	    "--column=? --sort= --points-at= -i|--ignore-case --recurse-submodules "
	    "--format= -vv",
	    NULL, NULL, "listing and managing branches"),
	ROW("add",
	    "-n|--dry-run -v|--verbose -i|--interactive -p|--patch -e|--edit -f|--force "
	    "-u|--update --renormalize -N|--intent-to-add -A|--all --ignore-removal "
	    "--refresh --ignore-errors --ignore-missing --sparse --chmod= --pathspec-file-nul",
	    add_effects, NULL, "staging changes"),
	ROW("commit",
	    "-q|--quiet -v|--verbose --author= --date= -m|--message= -c|--reedit-message= "
	    "-C|--reuse-message= --fixup= --squash= --reset-author --trailer= -s|--signoff "
	    "-e|--edit --cleanup= --status -S|--gpg-sign=? -a|--all -i|--include "
	    "--interactive -p|--patch -o|--only -n|--no-verify --dry-run --short --branch "
	    "--ahead-behind --porcelain --long -z|--null --amend --no-post-rewrite "
	    "-u|--untracked-files=? --pathspec-file-nul",
	    commit_effects, NULL, "committing; -F and -t only from the working directory"),
	ROW("checkout",
	    "-b= -B= -l --guess --overlay -q|--quiet --recurse-submodules=? --progress "
	    "-m|--merge --conflict= -d|--detach -t|--track=? -f|--force --orphan= "
	    "--overwrite-ignore --ignore-other-worktrees -2|--ours -3|--theirs -p|--patch "
	    "--ignore-skip-worktree-bits --pathspec-file-nul",
	    checkout_effects, hook_checkout,
	    "switching branches; checkout -- PATH and -f are destructive"),
	ROW("switch",
	    "-c|--create= -C|--force-create= --guess --discard-changes -q|--quiet "
	    "--recurse-submodules=? --progress -m|--merge --conflict= -d|--detach "
	    "-t|--track=? -f|--force --orphan= --overwrite-ignore --ignore-other-worktrees",
	    NULL, hook_switch, "switching branches; --discard-changes is destructive"),
	ROW("restore",
	    "-s|--source= -S|--staged -W|--worktree --ignore-unmerged --overlay -q|--quiet "
	    "--recurse-submodules=? --progress -m|--merge --conflict= -2|--ours -3|--theirs "
	    "-p|--patch --ignore-skip-worktree-bits --pathspec-file-nul",
	    checkout_effects, hook_restore, "restoring files (destructive)"),
	ROW("reset",
	    "-q|--quiet --no-refresh --mixed --soft --hard --merge --keep "
	    "--recurse-submodules=? -p|--patch -N|--intent-to-add --pathspec-file-nul",
	    reset_effects, hook_reset, "moving HEAD; --hard is destructive"),
	ROW("clean", "-q|--quiet -n|--dry-run -f|--force -i|--interactive -d -e|--exclude= -x -X",
	    NULL, hook_clean, "removing untracked files (destructive)"),
	ROW("rm",
	    "-n|--dry-run -q|--quiet --cached -f|--force -r --ignore-unmatch --sparse "
	    "--pathspec-file-nul",
	    add_effects, hook_rm, "removing files (destructive)"),
	ROW("mv", "-v|--verbose -n|--dry-run -f|--force -k --sparse", NULL, hook_mv,
	    "moving files in the working tree"),
	ROW("fetch",
	    "-v|--verbose -q|--quiet --all --set-upstream -a|--append --atomic -f|--force "
	    "-m|--multiple -t|--tags -n -j|--jobs= --prefetch -p|--prune -P|--prune-tags "
	    "--recurse-submodules=? --dry-run --write-fetch-head -k|--keep "
	    "-u|--update-head-ok --progress --depth= --shallow-since= --shallow-exclude= "
	    "--deepen= --unshallow --refetch --update-shallow --refmap= -o|--server-option= "
	    "-4|--ipv4 -6|--ipv6 --negotiation-tip= --negotiate-only --filter= "
	    "--auto-maintenance --auto-gc --show-forced-updates --write-commit-graph "
	    "--stdin",
	    fetch_effects, hook_fetch, "fetching; never --upload-pack"),
	ROW("pull",
	    "-v|--verbose -q|--quiet --progress --recurse-submodules=? -r|--rebase=? -n "
	    "--stat --log=? --signoff=? --squash --commit --edit --cleanup= --ff --ff-only "
	    "--verify --verify-signatures --autostash -X|--strategy-option= -S|--gpg-sign=? "
	    "--allow-unrelated-histories --all -a|--append -f|--force -t|--tags -p|--prune "
	    "-j|--jobs=? --dry-run -k|--keep --depth= --shallow-since= --shallow-exclude= "
	    "--deepen= --unshallow --update-shallow --refmap= -o|--server-option= -4|--ipv4 "
	    "-6|--ipv6 --negotiation-tip= --show-forced-updates --set-upstream",
	    pull_effects, hook_fetch, "pulling; git's own merge strategies"),
	ROW("push",
	    "-v|--verbose -q|--quiet --repo= --all --mirror -d|--delete --tags -n|--dry-run "
	    "--porcelain -f|--force --force-with-lease=? --force-if-includes "
	    "--recurse-submodules= --thin -u|--set-upstream --progress --prune --no-verify "
	    "--follow-tags --signed=? --atomic -o|--push-option= -4|--ipv4 -6|--ipv6",
	    push_effects, hook_fetch, "pushing; never --receive-pack"),
	ROW("ls-remote",
	    "-q|--quiet -t|--tags --heads --refs --get-url --sort= --exit-code --symref "
	    "-o|--server-option=",
	    ls_remote_effects, hook_fetch, "listing remote references; never --upload-pack"),
	ROW("clone",
	    "-v|--verbose -q|--quiet --progress --reject-shallow -n|--no-checkout --bare "
	    "--mirror -l|--local --no-hardlinks -s|--shared --recurse-submodules=? "
	    "--recursive=? -j|--jobs= --reference= --reference-if-able= --dissociate "
	    "-o|--origin= -b|--branch= --depth= --shallow-since= --shallow-exclude= "
	    "--single-branch --no-tags --shallow-submodules --server-option= -4|--ipv4 "
	    "-6|--ipv6 --filter= --also-filter-submodules --remote-submodules --sparse "
	    "--bundle-uri=",
	    clone_effects, hook_clone,
	    "cloning into the working directory; never -u, -c, --template"),
	ROW("init", "--bare --shared=? -q|--quiet -b|--initial-branch= --object-format=",
	    init_effects, hook_init, "making a repository in the working directory"),
	ROW("grep",
	    "--cached --no-index --untracked --exclude-standard --recurse-submodules "
	    "-v|--invert-match -i|--ignore-case -w|--word-regexp -a|--text -I --textconv "
	    "-r|--recursive --max-depth= -E|--extended-regexp -G|--basic-regexp "
	    "-F|--fixed-strings -P|--perl-regexp -n|--line-number --column -H "
	    "--full-name -l|--files-with-matches --name-only -L|--files-without-match "
	    "-z|--null -o|--only-matching -c|--count --color=? --break --heading "
	    "-C|--context= -B|--before-context= -A|--after-context= --threads= "
	    "-p|--show-function -W|--function-context -e= --and --or --not -q|--quiet "
	    "--all-match -m|--max-count=",
	    grep_effects, NULL, "searching; never -O"),
	ROW("blame",
	    "--incremental -b --root --show-stats --progress --score-debug -f|--show-name "
	    "-n|--show-number -p|--porcelain --line-porcelain -c -t -l -s -e|--show-email "
	    "-w --ignore-rev= --color-lines --color-by-age --minimal -C=? -M=? -L= "
	    "--abbrev=? --reverse= --first-parent --date= --encoding=",
	    blame_effects, NULL, "annotating lines"),
	ROW("tag",
	    "-l|--list -n=? -d|--delete -v|--verify -a|--annotate -m|--message= -e|--edit "
	    "-s|--sign --cleanup= -u|--local-user= -f|--force --create-reflog --column=? "
	    "--contains= --no-contains= --merged= --no-merged= --sort= --points-at= "
	    "--format= --color=? -i|--ignore-case",
	    tag_effects, NULL, "listing and making tags"),
	ROW("merge",
	    "-n --stat --summary --log=? --squash --commit -e|--edit --cleanup= --ff "
	    "--ff-only --rerere-autoupdate --verify-signatures -X|--strategy-option= "
	    "-m|--message= --into-name= -v|--verbose -q|--quiet --abort --quit --continue "
	    "--allow-unrelated-histories --progress -S|--gpg-sign=? --autostash "
	    "--overwrite-ignore --signoff --no-verify",
	    merge_effects, hook_strategy, "merging with git's own strategies"),
	ROW("rebase",
	    "--onto= --keep-base --no-verify -q|--quiet -v|--verbose -n|--no-stat --signoff "
	    "--committer-date-is-author-date --reset-author-date -C= --ignore-whitespace "
	    "--whitespace= -f|--force-rebase --no-ff --continue --skip --abort --quit "
	    "--edit-todo --show-current-patch --apply -m|--merge -i|--interactive "
	    "--rerere-autoupdate --empty= --autosquash --update-refs -S|--gpg-sign=? "
	    "--autostash -r|--rebase-merges=? --fork-point -X|--strategy-option= --root "
	    "--reschedule-failed-exec --reapply-cherry-picks",
	    rebase_effects, hook_strategy, "rebasing; never --exec"),
	ROW("cherry-pick",
	    "--quit --continue --abort --skip --cleanup= -n|--no-commit -e|--edit "
	    "-s|--signoff -m|--mainline= --rerere-autoupdate -X|--strategy-option= "
	    "-S|--gpg-sign=? -x --ff --allow-empty --allow-empty-message "
	    "--keep-redundant-commits --empty=",
	    pick_effects, hook_strategy, "applying commits"),
	ROW("revert",
	    "--quit --continue --abort --skip --cleanup= -n|--no-commit -e|--edit "
	    "-s|--signoff -m|--mainline= --rerere-autoupdate -X|--strategy-option= "
	    "-S|--gpg-sign=? --reference",
	    pick_effects, hook_strategy, "reverting commits"),
	ROW("describe",
	    "--contains --debug --all --tags --long --first-parent --abbrev=? --exact-match "
	    "--candidates= --match= --exclude= --always --dirty=? --broken=?",
	    NULL, NULL, "naming commits"),
	ROW("shortlog",
	    "-c|--committer -n|--numbered -s|--summary -e|--email -w=? --group=" REV_OPTS, NULL,
	    NULL, "summaries of history"),
	ROW("ls-files",
	    "-z -t -v -f -c|--cached -d|--deleted -m|--modified -o|--others -i|--ignored "
	    "-s|--stage -k|--killed --directory --no-empty-directory --eol --empty-directory "
	    "-u|--unmerged --resolve-undo -x|--exclude= --exclude-standard --full-name "
	    "--recurse-submodules --error-unmatch --with-tree= --abbrev=? --debug "
	    "--deduplicate --sparse --format=",
	    ls_files_effects, NULL, "listing files"),
	ROW("ls-tree",
	    "-d -r -t -z -l|--long --name-only --name-status --object-only --full-name "
	    "--full-tree --format= --abbrev=?",
	    NULL, NULL, "listing trees"),
	ROW("cat-file",
	    "-e -p -t -s --allow-unknown-type --use-mailmap|--mailmap --batch=? "
	    "--batch-check=? -z --batch-command=? --batch-all-objects --buffer "
	    "--follow-symlinks --unordered --textconv --filters --path=",
	    NULL, NULL, "printing objects"),
	ROW("show-ref",
	    "--tags --heads --verify --head -d|--dereference -s|--hash=? --abbrev=? "
	    "-q|--quiet --exclude-existing=?",
	    NULL, NULL, "listing references"),
	ROW("for-each-ref",
	    "-s|--shell -p|--perl --python --tcl --count= --format= --color=? --sort= "
	    "--points-at= --merged= --no-merged= --contains= --no-contains= --ignore-case",
	    NULL, NULL, "listing references"),
	ROW("merge-base", "-a|--all --octopus --independent --is-ancestor --fork-point", NULL, NULL,
	    "finding common ancestors"),
	ROW("name-rev",
	    "--name-only --tags --refs= --exclude= --all --stdin --annotate-stdin "
	    "--undefined --always",
	    NULL, NULL, "naming revisions"),
	ROW("cherry", "--abbrev=? -v|--verbose", NULL, NULL, "finding commits not upstream"),
	ROW("count-objects", "-v|--verbose -H|--human-readable", NULL, NULL, "counting objects"),
	ROW("fsck",
	    "-v|--verbose --unreachable --dangling --tags --root --cache --reflogs --full "
	    "--connectivity-only --strict --lost-found --progress --name-objects",
	    NULL, NULL, "checking the repository"),
	ROW("gc", "-q|--quiet --prune=? --cruft --aggressive --auto --force --keep-largest-pack",
	    NULL, NULL, "tidying the repository"),
	ROW("format-patch",
	    "-n|--numbered -N|--no-numbered -s|--signoff --stdout --cover-letter "
	    "--numbered-files --suffix= --start-number= -v|--reroll-count= "
	    "--filename-max-length= --rfc --cover-from-description= --subject-prefix= "
	    "-k|--keep-subject --no-binary --zero-commit --ignore-if-in-upstream "
	    "--add-header= --to= --cc= --from=? --in-reply-to= --attach=? "
	    "--inline=? --thread=? --signature= --base= -q|--quiet --progress --interdiff= "
	    "--range-diff= --creation-factor= --force-in-body-from" DIFF_OPTS REV_OPTS,
	    format_patch_effects, NULL, "patches; -o only into the working directory"),
	ROW("archive",
	    "--format= --prefix= --add-virtual-file= --worktree-attributes -v|--verbose "
	    "-l|--list -0 -1 -2 -3 -4 -5 -6 -7 -8 -9",
	    archive_effects, NULL, "archives; -o only into the working directory"),
	ROW("apply",
	    "--exclude= --include= -p= --no-add --stat --numstat --summary --check --index "
	    "-N|--intent-to-add --cached --apply -3|--3way -z -C= --whitespace= "
	    "--ignore-space-change --ignore-whitespace -R|--reverse --unidiff-zero --reject "
	    "--allow-overlap -v|--verbose -q|--quiet --inaccurate-eof --recount "
	    "--directory= --allow-empty",
	    apply_effects, NULL, "applying patches inside the working tree"),
	ROW("am",
	    "-i|--interactive -3|--3way -q|--quiet -s|--signoff -u|--utf8 -k|--keep "
	    "--keep-non-patch -m|--message-id --keep-cr --no-keep-cr -c|--scissors "
	    "--quoted-cr= --whitespace= --ignore-space-change --ignore-whitespace "
	    "--directory= --exclude= --include= -C= -p= --patch-format= --reject "
	    "--resolvemsg= --continue -r|--resolved --skip --abort --quit "
	    "--show-current-patch=? --allow-empty --committer-date-is-author-date "
	    "--ignore-date --rerere-autoupdate -S|--gpg-sign=? --empty=",
	    NULL, NULL, "applying mailed patches inside the working tree"),
	ROW("config",
	    "--global --system --local --worktree -f|--file= --blob= --get --get-all "
	    "--get-regexp --get-urlmatch --replace-all --add --unset --unset-all "
	    "--rename-section --remove-section -l|--list --fixed-value -e|--edit "
	    "--get-color --get-colorbool -t|--type= --bool --int --bool-or-int "
	    "--bool-or-str --path --expiry-date -z|--null --name-only --includes "
	    "--show-origin --show-scope --default= --all --regexp --value= --url=",
	    NULL, hook_config, "reading the configuration; never writing it"),
	ROW("remote",
	    "-v|--verbose -t= -m= -f --tags --mirror=? --push --add --delete --all -n "
	    "--dry-run -p|--prune -a|--auto -d|--progress",
	    NULL, hook_remote, "listing and setting remotes"),
	ROW("reflog",
	    "--expire= --expire-unreachable= --rewrite --updateref --stale-fix -n|--dry-run "
	    "--verbose --single-worktree" REV_OPTS DIFF_OPTS,
	    log_effects, NULL, "the reference log"),
	ROW("help",
	    "-a|--all --external-commands --aliases -v|--verbose -g|--guides "
	    "--user-interfaces --developer-interfaces -c|--config -i|--info -m|--man",
	    help_effects, NULL, "help"),
	ROW("version", "--build-options", NULL, NULL, "the version"),
	ROW("var", "-l", NULL, NULL, "git's variables"),
	ROW("symbolic-ref", "-q|--quiet -d|--delete --short --recurse -m=", NULL, NULL,
	    "symbolic references"),
	ROW("notes", "--ref=", NULL, NULL, "notes (list, show)"),
	ROW("stash",
	    "-p|--patch -S|--staged -k|--keep-index -q|--quiet -u|--include-untracked "
	    "-a|--all -m|--message= --pathspec-file-nul --index --only-untracked",
	    add_effects, NULL, "stashing changes"),
	ROW("stash drop", "-q|--quiet", NULL, hook_stash_drop, "dropping a stash (destructive)"),
	ROW("stash clear", "", NULL, hook_stash_clear, "dropping every stash (destructive)"),
	ROW("worktree",
	    "-f|--force --detach --checkout --lock --reason= -b= -B= -v|--verbose --porcelain "
	    "-z -n|--dry-run --expire= --orphan -q|--quiet --track --guess-remote",
	    NULL, NULL, "listing working trees"),
	ROW("worktree add",
	    "-f|--force --detach --checkout --lock --reason= -b= -B= --orphan -q|--quiet "
	    "--track --guess-remote",
	    NULL, hook_worktree_add, "a working tree in the working directory"),
	ROW("worktree remove", "-f|--force", NULL, hook_worktree_remove,
	    "removing a working tree (destructive)"),
	ROW("worktree move", "-f|--force", NULL, hook_worktree_move,
	    "moving a working tree in the working directory"),
	ROW("submodule",
	    "--quiet --cached --recursive --init -N|--no-fetch -f|--force "
	    "--checkout --remote --filter= --files --summary-limit= --single-branch "
	    "--recommend-shallow --depth= --jobs= -j=",
	    NULL, NULL, "submodules (status, summary, init, update, sync)"),
	ROW("bisect",
	    "--term-new|--term-bad= --term-old|--term-good= --no-checkout "
	    "--first-parent",
	    NULL, NULL, "bisecting; never bisect run"),
};

const size_t model_git_nrows = NELEM(model_git_rows);

/* git's subcommands that have their own, with the ones that are harmless. */
static const struct {
	const char *sub;
	const char *plain;    /* sub-subcommands judged by the subcommand's own row */
	const char *own_rows; /* sub-subcommands with a row "SUB NAME" */
	const char *runs;     /* sub-subcommands that run a program: always a person */
} nested[] = {
	{ "stash", "list show push save pop apply branch create store", "drop clear", NULL },
	{ "worktree", "list prune lock unlock repair", "add remove move", NULL },
	{ "submodule", "status summary init update sync", NULL, "foreach" },
	{ "bisect", "help start bad good new old terms skip next reset log", NULL,
	  "run visualize view replay" },
	{ "notes", "list show get-ref", NULL, NULL },
	{ "remote", "add rename remove rm set-head set-branches get-url set-url prune update show",
	  NULL, NULL },
	{ "reflog", "show list exists expire delete", NULL, NULL },
};

/* ---- git -c ---- */

/* Configuration keys that name nothing to run, read or write; everything else asks. */
static const char *const harmless_keys[] = {
	"color.",
	"advice.",
	"i18n.",
	"column.",
	"status.",
	"user.name",
	"user.email",
	"author.name",
	"author.email",
	"committer.name",
	"committer.email",
	"core.quotepath",
	"core.abbrev",
	"core.autocrlf",
	"core.safecrlf",
	"core.filemode",
	"core.ignorecase",
	"core.whitespace",
	"core.commentchar",
	"core.commentstring",
	"core.eol",
	"log.date",
	"log.decorate",
	"log.follow",
	"log.showroot",
	"log.abbrevcommit",
	"log.mailmap",
	"log.showsignature",
	"format.pretty",
	"diff.noprefix",
	"diff.renames",
	"diff.algorithm",
	"diff.mnemonicprefix",
	"diff.relative",
	"diff.statgraphwidth",
	"diff.context",
	"diff.interhunkcontext",
	"diff.colormoved",
	"diff.submodule",
	"diff.indentheuristic",
	"diff.ignoresubmodules",
	"init.defaultbranch",
	"merge.conflictstyle",
	"merge.ff",
	"merge.log",
	"merge.renamelimit",
	"merge.stat",
	"pull.rebase",
	"pull.ff",
	"push.default",
	"push.autosetupremote",
	"fetch.prune",
	"fetch.prunetags",
	"rebase.autosquash",
	"rebase.autostash",
	"rebase.updaterefs",
	"rebase.missingcommitscheck",
	"rebase.instructionformat",
	"commit.verbose",
	"commit.status",
	"commit.cleanup",
	"tag.sort",
	"branch.sort",
	"gc.auto",
	"protocol.version",
	"blame.coloring",
	"blame.date",
	"grep.linenumber",
	"grep.patterntype",
	"grep.extendedregexp",
	"grep.fullname",
	"help.autocorrect",
	"interactive.singlekey",
	"rerere.enabled",
	"pack.threads",
};

/* Keys harmless only when turned off (pager.CMD=false, commit.gpgSign=false). */
static const char *const off_keys[] = { "pager.", "commit.gpgsign", "tag.gpgsign",
	                                "core.hookspath" };

static bool off_value(const char *v)
{
	static const char *const offs[] = { "false", "no", "off", "0" };

	for (size_t i = 0; i < NELEM(offs); i++)
		if (strcasecmp(v, offs[i]) == 0)
			return true;
	return false;
}

static bool key_is(const char *key, size_t n, const char *pattern)
{
	size_t m = strlen(pattern);

	if (pattern[m - 1] == '.')
		return n > m && strncasecmp(key, pattern, m) == 0 &&
		       memchr(key + m, '.', n - m) == NULL;
	return n == m && strncasecmp(key, pattern, m) == 0;
}

/* KEY (N bytes) set to VALUE names nothing git would run, read or write. */
static bool harmless_setting(const char *key, size_t n, const char *value)
{
	for (size_t i = 0; i < NELEM(harmless_keys); i++)
		if (key_is(key, n, harmless_keys[i]))
			return true;
	for (size_t i = 0; i < NELEM(off_keys); i++)
		if (key_is(key, n, off_keys[i]))
			return off_value(value) && strcmp(off_keys[i], "core.hookspath") != 0;
	return false;
}

/* -c NAME=VALUE; NAME alone is NAME=true. */
static bool harmless_config(const char *kv)
{
	const char *eq = strchr(kv, '=');

	return harmless_setting(kv, eq ? (size_t)(eq - kv) : strlen(kv), eq ? eq + 1 : "true");
}

static void check_globals(struct mparse *p)
{
	for (int i = 0; i < p->nocc; i++) {
		const struct occ *o = &p->occ[i];
		if (o->e != NULL && o->e->eff == E_CODE && o->value != NULL &&
		    !harmless_config(o->value))
			mp_need(p, MODEL_EXACT,
			        "git -c sets configuration that can name a program (an alias, a "
			        "pager, a hook, a command)");
	}
}

/* ---- the subcommand ---- */

static const struct model *git_row(const char *sub)
{
	for (size_t i = 0; i < model_git_nrows; i++)
		if (strcmp(model_git_rows[i].sub, sub) == 0)
			return &model_git_rows[i];
	return NULL;
}

static bool word_in(const char *list, const char *w)
{
	return mp_word_in(list, w, strlen(w));
}

/* stash drop, worktree add, bisect run: the word after the subcommand. */
static const struct model *nested_row(struct mparse *p, const struct model *row, int *first)
{
	static char name[64];
	int at;

	for (size_t i = 0; i < NELEM(nested); i++) {
		if (strcmp(nested[i].sub, row->sub) != 0)
			continue;
		/* git submodule --quiet status, git notes --ref R show: options first. */
		at = *first;
		while (at < p->argc && p->argv[at][0] == '-' && strcmp(row->sub, "stash") != 0)
			at += strcmp(p->argv[at], "--ref") == 0 ? 2 : 1;
		if (at >= p->argc || p->argv[at][0] == '-')
			return row; /* git stash -m MSG: push */
		const char *w = p->argv[at];
		if (word_in(nested[i].runs, w)) {
			mp_need(p, MODEL_EXACT, "a git subcommand that runs a command");
			return NULL;
		}
		if (word_in(nested[i].own_rows, w) &&
		    snprintf(name, sizeof(name), "%s %s", row->sub, w) < (int)sizeof(name)) {
			*first = at + 1;
			return git_row(name);
		}
		if (word_in(nested[i].plain, w)) {
			*first = at + 1;
			return row;
		}
		/* git stash -- PATH, git stash MESSAGE (save), git reflog REF (show) */
		if (strcmp(row->sub, "reflog") == 0)
			return row;
		mp_need(p, MODEL_EXACT, "a git subcommand the model does not know");
		return NULL;
	}
	return row;
}

static void judge_sub(struct mparse *p, const char *sub, int first)
{
	const struct model *row = git_row(sub);

	if (row == NULL) {
		mp_need(p, MODEL_EXACT,
		        "a git subcommand the model does not know (an alias, or a program on "
		        "git's path)");
		return;
	}
	p->out->sub = row->sub;
	if ((row = nested_row(p, row, &first)) == NULL)
		return;
	p->out->sub = row->sub;
	if (mp_parse(p, row, first) && row->hook != NULL)
		row->hook(p);
}

void model_git(struct mparse *p)
{
	const char *name = p->argv[0], *slash = strrchr(name, '/');
	char base[NAME_MAX + 1];

	/* git-config: the subcommand by another name; no global options then. */
	name = slash ? slash + 1 : name;
	snprintf(base, sizeof(base), "%s", name);
	if (strncasecmp(base, "git-", 4) == 0 && base[4] != '\0') {
		judge_sub(p, base + 4, 1);
		return;
	}
	if (!mp_parse(p, &model_git_globals, 1))
		return;
	check_globals(p);
	if (p->noperand == 0)
		return; /* git alone prints its usage */
	int at = p->operand[0];
	judge_sub(p, p->argv[at], at + 1);
}
