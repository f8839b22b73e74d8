/*
 * Fuzz target: the argument models. Random argv for a row chosen by the
 * input; no crash, no leak, and these invariants:
 *   - an option the row marks as running a program, changing the system,
 *     writing a file, reading one outside the working directory, or code
 *     (under strictInlineEval), put first after the program (or its
 *     subcommand) in any of its spellings, is never allowed, whatever
 *     follows it;
 *   - a path the segment writes, replaces or deletes outside the working
 *     directory and /tmp is never allowed;
 *   - every path the report gives points into the argv word it names.
 *
 * Input: byte 0 picks the row, byte 1 the risky option (0xff: none), byte 2
 * its spelling; the rest is argv, one word a line. FUZZ_SHOW=1 in the
 * environment prints each argv and its verdict (to read a crash).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "approve/model-int.h"
#include "core/execpath.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_WORDS 40

static const char *workdir = "/tmp/claw-fuzz-models/wd";

static size_t nrows(void)
{
	return model_nrows + model_git_nrows + 1;
}

static const struct model *row_at(size_t i)
{
	if (i < model_nrows)
		return &model_rows[i];
	i -= model_nrows;
	if (i < model_git_nrows)
		return &model_git_rows[i];
	return &model_git_globals;
}

static bool risky(const struct effect *e)
{
	switch (e->eff) {
	case E_RUN:
	case E_SYSTEM:
	case E_ASK:
	case E_WRITE:
	case E_OVERWRITE:
	case E_INLINE:
	case E_MODULE:
	case E_STDIN:
		return true;
	case E_READ:
	case E_CODE:
		return e->sample != NULL;
	default:
		return (e->flags & F_INLINE) != 0;
	}
}

/* The N-th name of the option group SPELL, into OUT ("-x" or "--name"), and its marker. */
static bool nth_name(const char *spell, int n, char *out, size_t size, char *marker)
{
	const char *eq = strchr(spell, '=');

	*marker = eq == NULL ? ' ' : eq[1] == '?' ? '?' : '=';
	for (const char *s = spell; *s;) {
		size_t len = strcspn(s, "|=");
		if (n-- == 0) {
			if (len + 1 > size)
				return false;
			memcpy(out, s, len);
			out[len] = '\0';
			return true;
		}
		s += len;
		s += strcspn(s, "|");
		if (*s == '|')
			s++;
	}
	return false;
}

/* Spells effect E as words at W (at most 2); returns how many. */
static int spell(const struct effect *e, unsigned how, char *buf, size_t size, char **w)
{
	char name[64], marker;
	const char *value = e->sample ? e->sample : "x";

	if (!nth_name(e->spell, (int)(how % 2), name, sizeof(name), &marker) &&
	    !nth_name(e->spell, 0, name, sizeof(name), &marker))
		return 0;
	bool is_long = name[1] == '-';
	if (marker == ' ') {
		snprintf(buf, size, "%s", name);
		w[0] = buf;
		return 1;
	}
	if (marker == '?' || (how & 2)) {
		snprintf(buf, size, is_long ? "%s=%s" : "%s%s", name, value);
		w[0] = buf;
		return 1;
	}
	snprintf(buf, size, "%s", name);
	w[0] = buf;
	w[1] = (char *)value;
	return 2;
}

static bool lexically_inside(const char *path)
{
	char abs[PATH_MAX];

	if (path_join(workdir, path, abs, sizeof(abs)) < 0)
		return false;
	return path_within(abs, workdir) ||
	       (path_within(abs, "/tmp") && strcmp(abs, "/tmp") != 0) ||
	       (path_within(abs, "/var/tmp") && strcmp(abs, "/var/tmp") != 0) ||
	       strcmp(abs, "/dev/null") == 0;
}

static void check(const struct model_report *r, char *const *argv, int argc, bool first_risky)
{
	if (first_risky && r->verdict < MODEL_EXACT)
		abort();
	for (int i = 0; i < r->npaths; i++) {
		const struct model_path *p = &r->paths[i];
		if (p->arg >= argc)
			abort();
		if (p->arg >= 0 &&
		    (p->path < argv[p->arg] || p->path > argv[p->arg] + strlen(argv[p->arg])))
			abort();
		bool writes =
		    p->use == MODEL_WRITE || p->use == MODEL_OVERWRITE || p->use == MODEL_DELETE;
		if (writes && p->base == NULL && !lexically_inside(p->path) &&
		    r->verdict < MODEL_EXACT)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	char *argv[MAX_WORDS + 8], *text, opt[128];
	int argc = 0;
	bool first_risky = false;

	if (!ready) {
		mkdir("/tmp/claw-fuzz-models", 0700);
		mkdir(workdir, 0700);
		ready = true;
	}
	if (size < 3)
		return 0;
	const struct model *m = row_at(data[0] % nrows());
	text = xstrndup((const char *)data + 3, size - 3);
	argv[argc++] = (char *)m->name;
	if (m->sub != NULL) {
		/* "stash drop": two words */
		static char sub[64];
		snprintf(sub, sizeof(sub), "%s", m->sub);
		char *sp = strchr(sub, ' ');
		if (sp != NULL)
			*sp = '\0';
		argv[argc++] = sub;
		if (sp != NULL)
			argv[argc++] = sp + 1;
	}
	if (data[1] != 0xff && m->effects != NULL) {
		int n = 0;
		for (const struct effect *e = m->effects; e->spell; e++)
			n += risky(e);
		for (const struct effect *e = m->effects; n > 0 && e->spell; e++) {
			if (!risky(e) || (data[1] % n) != 0) {
				if (risky(e))
					n--;
				continue;
			}
			int k = spell(e, data[2], opt, sizeof(opt), argv + argc);
			argc += k;
			first_risky = k > 0;
			break;
		}
	}
	for (char *s = text, *nl; argc < MAX_WORDS && s != NULL; s = nl) {
		nl = strchr(s, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		argv[argc++] = s;
	}
	argv[argc] = NULL;
	/* git's global options are followed by a subcommand. */
	const char *name = m == &model_git_globals ? "git" : m->name;
	static struct model_cwd real;
	snprintf(real.path, sizeof(real.path), "%s", workdir);
	real.done = true;
	struct model_ctx ctx = {
		.cwd = workdir, .real = &real, .cwd_known = true, .strict_inline_eval = true
	};
	struct model_report r;
	model_judge(&ctx, name, argv, argc, &r);
	if (getenv("FUZZ_SHOW")) {
		for (int i = 0; i < argc; i++)
			fprintf(stderr, "[%s] ", argv[i]);
		fprintf(stderr, "-> %d %s\n", r.verdict, r.why ? r.why : "");
	}
	check(&r, argv, argc, first_risky);
	free(text);
	return 0;
}
