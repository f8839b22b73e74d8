/*
 * model-doc.c: the model tables written out, for `claw-approve models`, for
 * the generated tests, and for claw-approve(1)'s section THE MODELS. The
 * tables are the one place the models are written; this file only reads
 * them.
 */
#include <stdint.h>
#include <string.h>

#include "approve/model-int.h"
#include "core/util.h"

static const char *const effect_names[E_COUNT] = {
	[E_NONE] = "none",     [E_READ] = "reads",
	[E_WRITE] = "writes",  [E_OVERWRITE] = "overwrites",
	[E_SCRIPT] = "script", [E_MODULE] = "module",
	[E_INLINE] = "inline", [E_STDIN] = "stdin",
	[E_RUN] = "runs",      [E_SYSTEM] = "system",
	[E_ASK] = "asks",      [E_NET] = "network",
	[E_CHDIR] = "chdir",   [E_CODE] = "code",
};

/* What an effect means for the verdict, in the man page's words. */
static const char *const effect_verdicts[E_COUNT] = {
	[E_NONE] = "",
	[E_READ] = " (asks for a file outside the working directory)",
	[E_WRITE] = " (asks)",
	[E_OVERWRITE] = " (asks)",
	[E_SCRIPT] = " (runs it)",
	[E_MODULE] = " (asks under strictInlineEval)",
	[E_INLINE] = " (asks under strictInlineEval)",
	[E_STDIN] = " (asks under strictInlineEval)",
	[E_RUN] = " (asks)",
	[E_SYSTEM] = " (asks)",
	[E_ASK] = " (asks)",
	[E_NET] = "",
	[E_CHDIR] = " (later paths are relative to it)",
	[E_CODE] = " (the model reads it)",
};

static const char *const grammar_names[] = {
	[G_GNU] = "getopt_long",
	[G_POSIX] = "getopt_long, options before the first operand",
	[G_GIT] = "git parse-options",
	[G_NONE] = "its own",
};

/* Rows a hook parses with, and the words that make a command of them. */
struct row_ref {
	const struct model *m;
	const char *after; /* words after the option, for a command that runs (git OPT status) */
};

static size_t rows(struct row_ref *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < model_nrows && n < cap; i++)
		out[n++] = (struct row_ref){ &model_rows[i], NULL };
	if (n < cap)
		out[n++] = (struct row_ref){ &model_git_globals, "status" };
	for (size_t i = 0; i < model_git_nrows && n < cap; i++)
		out[n++] = (struct row_ref){ &model_git_rows[i], NULL };
	if (n < cap)
		out[n++] = (struct row_ref){ &model_cmake_configure, "." };
	return n;
}

/* Calls FN for each name of the option group at SPELL (LEN bytes). */
static void group_names(const char *spell, size_t len, struct buf *b, bool json)
{
	bool first = true;
	char arg = ' ';

	/* The group's marker is its last name's. */
	const char *eq = memchr(spell, '=', len);
	if (eq != NULL)
		arg = eq + 1 < spell + len && (eq[1] == '?' || eq[1] == '#') ? '?' : '=';
	for (const char *s = spell; s < spell + len;) {
		size_t n = strcspn(s, "|= ");
		if (n > (size_t)(spell + len - s))
			n = (size_t)(spell + len - s);
		if (json) {
			buf_puts(b, first ? "\"" : ",\"");
			buf_put(b, s, n);
			buf_putc(b, '"');
		} else {
			buf_puts(b, first ? "" : ", ");
			buf_put(b, s, n);
		}
		first = false;
		s += n;
		while (s < spell + len && *s != '|')
			s++;
		if (s < spell + len)
			s++;
	}
	if (json)
		buf_printf(b, "],\"arg\":\"%s\"",
		           arg == '='   ? "required"
		           : arg == '?' ? "optional"
		                        : "none");
	else if (arg != ' ')
		buf_puts(b, arg == '=' ? " VALUE" : "[=VALUE]");
}

static void json_row(struct buf *b, const struct row_ref *r)
{
	const struct model *m = r->m;

	buf_puts(b, "{\"program\":");
	buf_json_str(b, m->name);
	buf_puts(b, ",\"sub\":");
	if (m->sub)
		buf_json_str(b, m->sub);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"also\":[");
	for (const char *s = m->also; s && *s;) {
		size_t n = strcspn(s, " ");
		buf_puts(b, s == m->also ? "" : ",");
		buf_json_strn(b, s, n);
		s += n;
		s += strspn(s, " ");
	}
	buf_printf(b, "],\"grammar\":\"%s\",\"digits\":%s,\"allows\":", grammar_names[m->grammar],
	           m->digits ? "true" : "false");
	buf_json_str(b, m->allows ? m->allows : "");
	buf_puts(b, ",\"plain\":[");
	bool first = true;
	for (const char *s = m->plain; s && *s;) {
		s += strspn(s, " ");
		size_t n = strcspn(s, " ");
		if (n == 0)
			break;
		buf_puts(b, first ? "{\"names\":[" : ",{\"names\":[");
		first = false;
		group_names(s, n, b, true);
		buf_putc(b, '}');
		s += n;
	}
	buf_puts(b, "],\"options\":[");
	for (const struct effect *e = m->effects; e && e->spell; e++) {
		buf_puts(b, e == m->effects ? "{\"names\":[" : ",{\"names\":[");
		group_names(e->spell, strlen(e->spell), b, true);
		buf_printf(b, ",\"effect\":\"%s\",\"why\":", effect_names[e->eff]);
		buf_json_str(b, e->why ? e->why : "");
		buf_puts(b, ",\"sample\":");
		if (e->sample)
			buf_json_str(b, e->sample);
		else
			buf_puts(b, "null");
		buf_puts(b, e->flags & F_INLINE ? ",\"inline\":true}" : "}");
	}
	buf_puts(b, "],\"riskyOperand\":");
	if (m->risky_operand)
		buf_json_str(b, m->risky_operand);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"after\":");
	if (r->after)
		buf_json_str(b, r->after);
	else
		buf_puts(b, "null");
	buf_puts(b, "}\n");
}

static bool wanted(const struct model *m, const char *program)
{
	return program == NULL || strcmp(m->name, program) == 0 ||
	       mp_word_in(m->also, program, strlen(program));
}

void model_tables_json(struct buf *out, const char *program)
{
	struct row_ref r[256];
	size_t n = rows(r, NELEM(r));

	for (size_t i = 0; i < n; i++)
		if (wanted(r[i].m, program))
			json_row(out, &r[i]);
}

static void text_row(struct buf *b, const struct row_ref *r)
{
	const struct model *m = r->m;

	buf_printf(b, "%s%s%s", m->name, m->sub ? " " : "", m->sub ? m->sub : "");
	if (m == &model_git_globals)
		buf_puts(b, " (its own options, before the subcommand)");
	if (m->also)
		buf_printf(b, " (also %s)", m->also);
	buf_printf(b, ": %s\n", m->allows ? m->allows : "");
	if (m->plain && *m->plain)
		buf_printf(b, "  harmless: %s\n", m->plain);
	for (const struct effect *e = m->effects; e && e->spell; e++) {
		buf_puts(b, "  ");
		group_names(e->spell, strlen(e->spell), b, false);
		buf_printf(b, ": %s%s\n", e->why ? e->why : "", effect_verdicts[e->eff]);
	}
}

void model_tables_text(struct buf *out, const char *program)
{
	struct row_ref r[256];
	size_t n = rows(r, NELEM(r));

	for (size_t i = 0; i < n; i++)
		if (wanted(r[i].m, program))
			text_row(out, &r[i]);
}

/* scdoc: * and _ are markup, \ escapes. */
static void scdoc_text(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		if (s[i] == '*' || s[i] == '_' || s[i] == '\\')
			buf_putc(b, '\\');
		buf_putc(b, s[i]);
	}
}

static void scdoc_row(struct buf *b, const struct row_ref *r)
{
	const struct model *m = r->m;

	buf_puts(b, "*");
	scdoc_text(b, m->name, strlen(m->name));
	if (m->sub) {
		buf_puts(b, " ");
		scdoc_text(b, m->sub, strlen(m->sub));
	}
	buf_puts(b, "*");
	if (m == &model_git_globals)
		buf_puts(b, " (its own options)");
	if (m->also) {
		buf_puts(b, " (also ");
		scdoc_text(b, m->also, strlen(m->also));
		buf_puts(b, ")");
	}
	buf_puts(b, ": ");
	scdoc_text(b, m->allows ? m->allows : "", SIZE_MAX);
	buf_puts(b, ".\n");
	for (const struct effect *e = m->effects; e && e->spell; e++) {
		struct buf names = { 0 };
		if (e->eff == E_NONE && e->why == NULL)
			continue;
		group_names(e->spell, strlen(e->spell), &names, false);
		buf_puts(b, "- *");
		scdoc_text(b, names.p, names.len);
		buf_puts(b, "*: ");
		scdoc_text(b, e->why ? e->why : "", SIZE_MAX);
		buf_puts(b, effect_verdicts[e->eff]);
		buf_putc(b, '\n');
		buf_free(&names);
	}
	buf_putc(b, '\n');
}

void model_tables_scdoc(struct buf *out)
{
	struct row_ref r[256];
	size_t n = rows(r, NELEM(r));

	for (size_t i = 0; i < n; i++)
		scdoc_row(out, &r[i]);
}
