/* analyse.c: from a command line to judged segments (see analyse.h). */
#include "approve/analyse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <unistd.h>

#include "approve/allowmatch.h"
#include "approve/model.h"
#include "approve/risk.h"
#include "approve/runs.h"
#include "approve/wrappers.h"
#include "core/alloc.h"
#include "core/glob.h"
#include "core/util.h"

#define MAX_CWDS 8

struct walk {
	const struct analyse_in *in;
	struct approve_result *res;
	/* Where relative words may point: the working directory and the
	 * directories a `cd` earlier in the command may have moved to. */
	const char *cwds[MAX_CWDS + 1];
	char cwdbuf[MAX_CWDS][PATH_MAX];
	int ncwd;
	bool after_cd;             /* a cd ran before: the working directory is no longer known */
	struct model_cwd cwd_real; /* the working directory's real path, for the models */
	int host;                  /* the segment whose shell runs the script read now, or -1 */
};

__attribute__((format(printf, 2, 3))) static void analysis_error(struct walk *w, const char *fmt,
                                                                 ...)
{
	va_list ap;

	if (!w->res->analysis_ok)
		return; /* the first reason is the one people need */
	w->res->analysis_ok = false;
	va_start(ap, fmt);
	vsnprintf(w->res->analysis_error, sizeof(w->res->analysis_error), fmt, ap);
	va_end(ap);
}

static struct seg_report *new_seg(struct walk *w, char **argv, int argc, int depth)
{
	struct approve_result *res = w->res;

	ALLOC_GROW(res->segs, (size_t)res->nsegs + 1, res->segcap);
	struct seg_report *s = &res->segs[res->nsegs++];
	s->argv = argv;
	s->argc = argc;
	s->exec = 0;
	s->depth = depth;
	s->after_cd = w->after_cd;
	s->parent = w->host;
	s->op = SHELL_END;
	s->nwrappers = 0;
	s->file.found = false;
	s->file.path[0] = s->file.real[0] = '\0';
	s->file.error = NULL;
	s->script_set = false;
	s->need = NEED_ANY;
	s->why = NULL;
	s->asked = NULL;
	s->satisfied = SAT_NONE;
	s->match = NULL;
	s->model.verdict = MODEL_NONE;
	s->model.name = s->model.sub = s->model.why = s->model.asked = NULL;
	s->model.npaths = 0;
	s->model.complete = true;
	return s;
}

static void need(struct seg_report *s, enum seg_need n, const char *why)
{
	if (n >= s->need) {
		s->need = n;
		s->why = why;
	}
}

/* ---- cd ---- */

/* Records where `cd DIR` may lead: relative words after it are judged
 * against every directory it may have reached. */
static void note_cd(struct walk *w, char *const *argv, int argc)
{
	const char *dir = NULL;

	w->after_cd = true;
	for (int i = 1; i < argc; i++)
		if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0)
			dir = argv[i];
	if (dir == NULL)
		dir = getenv("HOME");
	if (dir == NULL)
		dir = "/";
	if (strcmp(dir, "-") == 0)
		return; /* OLDPWD: unknown; after_cd keeps relative commands from passing */
	for (int i = 0, n = w->ncwd; i < n && w->ncwd < MAX_CWDS; i++) {
		if (path_join(w->cwds[i], dir, w->cwdbuf[w->ncwd], PATH_MAX) < 0)
			continue;
		w->cwds[w->ncwd] = w->cwdbuf[w->ncwd];
		w->ncwd++;
	}
}

/* ---- matching ---- */

static bool target_matches(const struct walk *w, const struct allow_entry *e,
                           const struct seg_report *s, const char *word)
{
	const char *p = e->pattern;

	if (!s->file.found)
		return false;
	if (p[0] == '*' && p[1] == '\0')
		return true;
	/* A bare name: a command found through PATH, in a trusted directory (claw:
	 * a same-named program planted earlier on PATH is not the one allowed). */
	if (strchr(p, '/') == NULL)
		return s->file.via_path && glob_match(p, word) &&
		       safebin_trusted_dir(&w->in->policy->safebins, s->file.path);
	return allowmatch_path(p, &s->file);
}

void analyse_join_args(char *const *argv, int argc, struct buf *out)
{
	buf_reset(out);
	buf_puts(out, "");
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			buf_putc(out, ' ');
		buf_puts(out, argv[i]);
	}
}

/* An entry bound by allow-always: what actually runs (approvestore.c). */
static bool binding_holds(const struct walk *w, const struct allow_entry *e,
                          const struct seg_report *s)
{
	return approve_binding_holds(e, s, w->res->cwd);
}

/* True when an entry names the segment's program, whatever its arguments. */
static bool listed(const struct walk *w, const struct seg_report *s)
{
	const struct approvals_agent *f = &w->in->policy->file;

	for (size_t i = 0; i < f->nentries; i++)
		if (!f->entries[i].never && target_matches(w, &f->entries[i], s, seg_argv(s)[0]))
			return true;
	return false;
}

static const struct allow_entry *find_match(const struct walk *w, const struct seg_report *s)
{
	const struct approvals_agent *f = &w->in->policy->file;
	char *const *argv = seg_argv(s);
	int argc = seg_argc(s);

	if (s->need == NEED_HUMAN)
		return NULL;
	/* Entries that pin the arguments come first: they say more. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < f->nentries; i++) {
			const struct allow_entry *e = &f->entries[i];
			bool pinned = e->bound || e->has_re;
			if (e->never || pinned != (pass == 0) || !target_matches(w, e, s, argv[0]))
				continue;
			/* A bound entry pins argv and cwd themselves (binding_holds). */
			if (e->has_re && !e->bound &&
			    !allowmatch_args(e->re, argv, argc, w->res->cwd))
				continue;
			if (e->bound ? !binding_holds(w, e, s) : s->need != NEED_ANY)
				continue;
			return e;
		}
	}
	return NULL;
}

/* ---- judging one program ---- */

/* The script an interpreter without a model runs: its first operand that is a regular file. */
static void find_script(struct walk *w, struct seg_report *s)
{
	char *const *argv = seg_argv(s);

	for (int i = 1; i < seg_argc(s); i++) {
		if (argv[i][0] == '-')
			continue;
		if (exec_resolve_file(argv[i], w->res->cwd, &s->script) == 0 && s->script.found) {
			s->script_set = true;
			if (w->after_cd && s->script.cwd_dependent)
				need(s, NEED_HUMAN,
				     "a script named relative to a directory a cd changed");
		}
		return;
	}
}

/* The script a model says the program runs (python3 x.py, make's Makefile). */
static void model_script(struct walk *w, struct seg_report *s)
{
	for (int i = 0; i < s->model.npaths; i++) {
		const struct model_path *mp = &s->model.paths[i];
		if (mp->use != MODEL_SCRIPT || mp->base != NULL)
			continue;
		if (exec_resolve_file(mp->path, w->res->cwd, &s->script) == 0 && s->script.found) {
			s->script_set = true;
			if (w->after_cd && s->script.cwd_dependent)
				need(s, NEED_HUMAN,
				     "a script named relative to a directory a cd changed");
		}
		return;
	}
}

/*
 * The models judge the program by what it is: the name of its real file
 * (python3 -> python3.11, awk -> mawk, git-config -> git) and the name it
 * was called by, and the stricter answer holds.
 */
static void judge_model(struct walk *w, struct seg_report *s, const char *name, const char *rname)
{
	struct model_ctx mc = {
		.cwd = w->res->cwd,
		.real = &w->cwd_real,
		.cwd_known = !w->after_cd,
		.strict_inline_eval = w->in->policy->strict_inline_eval,
		.trash = w->in->ctx->trash,
	};
	const char *first = rname[0] && model_known(rname) ? rname : name;
	const char *second = first == rname ? name : NULL;

	model_judge(&mc, first, seg_argv(s), seg_argc(s), &s->model);
	if (second != NULL && strcmp(second, first) != 0 && model_known(second)) {
		struct model_report other;
		model_judge(&mc, second, seg_argv(s), seg_argc(s), &other);
		if (other.verdict > s->model.verdict) {
			s->model.verdict = other.verdict;
			s->model.why = other.why;
			s->model.asked = other.asked;
		}
	}
	if (s->model.verdict == MODEL_EXACT)
		need(s, NEED_BOUND, s->model.why);
	else if (s->model.verdict == MODEL_PERSON)
		need(s, NEED_HUMAN, s->model.why);
	if (s->model.asked != NULL)
		s->asked = s->model.asked;
}

/* A program without a model: the argument rules and OpenClaw's inline-eval table. */
static void judge_unmodelled(struct walk *w, struct seg_report *s, const char *name,
                             const char *rname)
{
	char *const *argv = seg_argv(s);
	int argc = seg_argc(s);
	const char *why;

	if ((why = risk_arguments(name, argv, argc)) != NULL ||
	    (rname[0] && (why = risk_arguments(rname, argv, argc)) != NULL))
		need(s, NEED_BOUND, why);
	if (w->in->policy->strict_inline_eval &&
	    (risk_inline_eval(name, argv, argc) != NULL ||
	     (rname[0] && risk_inline_eval(rname, argv, argc) != NULL))) {
		need(s, NEED_HUMAN, "code given on the command line (strictInlineEval)");
		s->asked = "strict-inline-eval";
	}
	if (risk_interpreter(name) || (rname[0] && risk_interpreter(rname)))
		find_script(w, s);
}

static void judge_program(struct walk *w, struct seg_report *s, const char *name, const char *rname)
{
	const struct agent_policy *ap = w->in->policy;
	char *const *argv = seg_argv(s);
	int argc = seg_argc(s);
	const char *why;

	if (model_known(name) || (rname[0] && model_known(rname))) {
		judge_model(w, s, name, rname);
		model_script(w, s);
	} else {
		judge_unmodelled(w, s, name, rname);
	}
	if ((s->match = find_match(w, s)) != NULL) {
		s->satisfied = SAT_ALLOWLIST;
		return;
	}
	if (!s->file.found) {
		s->why = s->why ? s->why : s->file.error;
		return;
	}
	/* What a person needs to hear first: the program is not on the list at all. */
	if (s->need != NEED_HUMAN && !listed(w, s))
		s->why = "no allow-list entry matches";
	if (s->need == NEED_ANY) {
		char base[NAME_MAX + 1];
		exec_name(s->file.path, base);
		why = safebin_check(&ap->safebins, base, &s->file, argv, argc);
		if (why == NULL) {
			s->satisfied = SAT_SAFE_BINS;
			return;
		}
		s->why = strcmp(why, "not a safe bin") == 0 ? "no allow-list entry matches" : why;
	}
}

/* ---- shells ---- */

static void analyse_script(struct walk *w, const char *script, int depth);

static void judge_shell(struct walk *w, struct seg_report *s, const struct wrap *wr, int depth)
{
	if (wr->script != NULL) {
		need(s, NEED_HUMAN, wr->reason);
		if (wr->parseable && depth < APPROVE_MAX_DEPTH) {
			int outer = w->host;
			w->host = (int)(s - w->res->segs);
			analyse_script(w, wr->script, depth + 1); /* s may move */
			w->host = outer;
		} else
			s->why = "a shell never runs without asking (its script is not analysed)";
		return;
	}
	if (wr->script_file >= 0) {
		int i = s->exec + wr->script_file;
		if (exec_resolve_file(s->argv[i], w->res->cwd, &s->script) == 0 && s->script.found)
			s->script_set = true;
		need(s, NEED_BOUND,
		     "a shell script runs only with an approval bound to its contents");
		if ((s->match = find_match(w, s)) != NULL)
			s->satisfied = SAT_ALLOWLIST;
		return;
	}
	need(s, NEED_HUMAN, "a shell reading commands from its input");
}

/* ---- one simple command ---- */

static void resolve(struct walk *w, struct seg_report *s, char *const *argv)
{
	if (exec_resolve(argv[0], w->res->cwd, w->in->path_env, &s->file) < 0)
		analysis_error(w, "%s", claw_error());
	if (w->after_cd && s->file.cwd_dependent)
		analysis_error(w, "'%s' is found relative to a directory a cd changed", argv[0]);
	guard_program(&w->in->ctx->guard, argv[0], &s->file, &w->res->guard);
}

static void push_wrapper(struct seg_report *s, const char *name)
{
	if (s->nwrappers < APPROVE_MAX_WRAPPERS)
		s->wrappers[s->nwrappers++] = name;
}

/* Builtins shadow programs: `cd`, `eval`, `export` are never the file of that name. */
static bool judge_builtin(struct walk *w, struct seg_report *s, bool *unwrapped)
{
	char *const *argv = seg_argv(s);
	struct wrap wr;

	*unwrapped = false;
	if (strchr(argv[0], '/') != NULL ||
	    !wrap_builtin(argv, seg_argc(s), w->in->ctx->builtins_on, &wr))
		return false;
	if (strcmp(argv[0], "cd") == 0)
		note_cd(w, argv, seg_argc(s));
	switch (wr.kind) {
	case WRAP_BUILTIN_SAFE:
		s->satisfied = SAT_SAFE_BUILTINS;
		return true;
	case WRAP_PROMPT:
		need(s, NEED_HUMAN, wr.reason);
		return true;
	case WRAP_UNWRAP:
		push_wrapper(s, wr.name);
		s->exec += wr.next;
		*unwrapped = true;
		if (wr.builtin_only && !wrap_builtin(seg_argv(s), seg_argc(s), false, &wr)) {
			need(s, NEED_HUMAN, "'builtin' names something that is not a builtin");
			return true;
		}
		return false;
	default:
		return false; /* a builtin that behaves as its program: judge the program */
	}
}

/*
 * A wrapper is seen through only when it is the system's own: its real file
 * lies in a trusted directory, and that file and every directory above it
 * belong to root and are writable by no one else. `./nice`, `./NICE` or a
 * copy in the workspace is just an unknown program. An allow-list entry
 * that names the wrapper's own file vouches for it too.
 */
static bool system_file(const struct walk *w, const struct exec_file *f)
{
	char dir[PATH_MAX];
	struct stat st;

	if (!f->found || f->real[0] == '\0' ||
	    !safebin_trusted_dir(&w->in->policy->safebins, f->real))
		return false;
	if (f->st.st_uid != 0 || (f->st.st_mode & 022) != 0)
		return false;
	snprintf(dir, sizeof(dir), "%s", f->real);
	for (char *slash; (slash = strrchr(dir, '/')) != NULL;) {
		slash[slash == dir] = '\0';
		if (stat(dir, &st) != 0 || st.st_uid != 0 || (st.st_mode & 022) != 0)
			return false;
		if (slash == dir)
			break;
	}
	return true;
}

static bool trusted_wrapper(struct walk *w, struct seg_report *s)
{
	return system_file(w, &s->file) || find_match(w, s) != NULL;
}

static void judge_segment(struct walk *w, struct seg_report *s, int depth)
{
	struct wrap wr;

	for (int level = 0;; level++) {
		char name[NAME_MAX + 1], pname[NAME_MAX + 1] = "", rname[NAME_MAX + 1] = "";
		bool unwrapped;
		if (level == APPROVE_MAX_WRAPPERS) {
			need(s, NEED_HUMAN, "too many wrappers around one command");
			return;
		}
		if (judge_builtin(w, s, &unwrapped))
			return;
		if (unwrapped)
			continue;
		resolve(w, s, seg_argv(s));
		exec_name(seg_argv(s)[0], name);
		if (s->file.found)
			exec_name(s->file.path, pname);
		if (s->file.found && s->file.real[0])
			exec_name(s->file.real, rname);
		const char *names[] = { name, pname, rname };
		wrap_program(names, NELEM(names), seg_argv(s), seg_argc(s), &wr);
		if (wr.kind == WRAP_UNWRAP && !trusted_wrapper(w, s))
			wr.kind = WRAP_NONE; /* named like a wrapper, but not the system's */
		switch (wr.kind) {
		case WRAP_UNWRAP:
			push_wrapper(s, wr.name);
			s->exec += wr.next;
			continue;
		case WRAP_PROMPT:
			need(s, NEED_HUMAN, wr.reason);
			return;
		case WRAP_SHELL:
			judge_shell(w, s, &wr, depth);
			return;
		default:
			judge_program(w, s, name, strcmp(rname, name) != 0 ? rname : "");
			return;
		}
	}
}

static void analyse_segment(struct walk *w, char **argv, int argc, int depth)
{
	int at = w->res->nsegs;

	judge_segment(w, new_seg(w, argv, argc, depth), depth);
	/* Self-protection last, with what the model found (a nested script may have moved segs). */
	const struct seg_report *s = &w->res->segs[at];
	guard_words(&w->in->ctx->guard, s->argv, s->argc, s->exec, &s->model, w->cwds, w->ncwd,
	            &w->res->guard);
}

static struct shell_cmd *shell_slot(struct approve_result *res)
{
	size_t had = res->shellcap;

	ALLOC_GROW(res->shells, (size_t)res->nshells + 1, res->shellcap);
	memset(res->shells + had, 0, (res->shellcap - had) * sizeof(*res->shells));
	return &res->shells[res->nshells++];
}

static void analyse_script(struct walk *w, const char *script, int depth)
{
	struct shell_cmd *cmd = shell_slot(w->res);

	if (shell_parse(cmd, script) < 0) {
		if (depth == 0)
			analysis_error(w, "%s", claw_error());
		/* A nested script that does not parse: its shell needs a human anyway. */
		return;
	}
	for (int i = 0; i < cmd->nseg; i++) {
		if (w->res->nsegs == APPROVE_MAX_SEGMENTS) {
			analysis_error(w, "%s", "more segments than claw analyses in one command");
			return;
		}
		int at = w->res->nsegs;
		analyse_segment(w, cmd->seg[i].argv, cmd->seg[i].argc, depth);
		w->res->segs[at].op = cmd->seg[i].op;
	}
}

void analyse_command(const struct analyse_in *in, struct approve_result *res)
{
	struct walk w; /* not zeroed: cwdbuf is 32 KiB and filled as cds are seen */

	w.in = in;
	w.res = res;
	w.after_cd = false;
	w.host = -1;
	w.cwds[0] = res->cwd;
	w.ncwd = 1;
	w.cwd_real.done = false;
	res->nsegs = 0;
	res->nshells = 0;
	res->analysed = true;
	res->analysis_ok = true;
	res->analysis_error[0] = '\0';
	guard_cwd(&in->ctx->guard, res->cwd, &res->guard);
	analyse_script(&w, in->command, 0);
	guard_command(&in->ctx->guard, in->command, res->analysis_ok, &res->guard);
}

bool analyse_inline_eval(const struct approve_result *res)
{
	for (int i = 0; i < res->nsegs; i++)
		if (res->segs[i].asked != NULL &&
		    strcmp(res->segs[i].asked, "strict-inline-eval") == 0)
			return true;
	return false;
}

bool analyse_satisfied(const struct approve_result *res)
{
	if (!res->analysis_ok)
		return false;
	for (int i = 0; i < res->nsegs; i++)
		if (res->segs[i].satisfied == SAT_NONE)
			return false;
	return res->nsegs > 0;
}
