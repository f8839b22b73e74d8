/* check-approvals.c: claw-audit check, the approvals file (exec-approvals.json). */
#include "audit/seccheck-int.h"

#include <errno.h>
#include <stdlib.h>

#include "approve/risk.h"
#include "approve/wrappers.h"
#include "core/fsutil.h"
#include "core/glob.h"

/* The first name in WORDS (space-separated, space-framed) that PATTERN matches. */
static const char *glob_hits_word(const char *pattern, const char *words, char *hit, size_t size)
{
	for (const char *p = words; *p;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n == 0)
			break;
		if (n < size) {
			memcpy(hit, p, n);
			hit[n] = '\0';
			if (glob_match(pattern, hit))
				return hit;
		}
		p += n;
	}
	return NULL;
}

static char *basename_lower(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *b = str_lower(xstrdup(slash ? slash + 1 : path));
	size_t n = strlen(b);

	if (n > 4 && strcmp(b + n - 4, ".exe") == 0)
		b[n - 4] = '\0';
	return b;
}

static bool strict_inline_eval(const struct ctx *c, const char *agent)
{
	const cJSON *a;

	if (agent != NULL && strcmp(agent, "*") != 0) {
		cJSON_ArrayForEach(a, get(c->root, "agents.list"))
		{
			const cJSON *v = get(a, "tools.exec.strictInlineEval");
			if (agent_id(a) && strcmp(agent_id(a), agent) == 0 && cJSON_IsBool(v))
				return cJSON_IsTrue(v);
		}
	}
	return is_true(c->root, "tools.exec.strictInlineEval");
}

void check_approvals(struct ctx *c)
{
	const cJSON *agents, *a, *e;
	struct strvec autos = { 0 }, interp = { 0 }, shellish = { 0 }, wild = { 0 };
	struct buf line = { 0 }, d = { 0 };
	char hit[64];

	if (c->approvals == NULL)
		return;
	if (is_true(c->approvals, "defaults.autoAllowSkills"))
		strvec_push(&autos, "defaults.autoAllowSkills");
	agents = get(c->approvals, "agents");
	cJSON_ArrayForEach(a, agents)
	{
		if (is_true(a, "autoAllowSkills")) {
			buf_reset(&line);
			buf_printf(&line, "agents.%s.autoAllowSkills", a->string);
			strvec_push(&autos, line.p);
		}
		cJSON_ArrayForEach(e, get(a, "allowlist"))
		{
			const char *pat = sget(e, "pattern");
			if (pat == NULL)
				continue;
			char *base = basename_lower(pat);
			buf_reset(&line);
			buf_printf(&line, "agents.%s.allowlist: %s", a->string, pat);
			if (strcmp(base, "*") == 0 || strstr(base, "**") || base[0] == '\0')
				strvec_push(&wild, line.p);
			else if (glob_hits_word(base, wrap_shell_names(), hit, sizeof(hit)))
				strvec_push(&shellish, line.p);
			else if ((glob_hits_word(base, risk_inline_eval_names(), hit,
			                         sizeof(hit)) ||
			          risk_inline_eval_program(base)) &&
			         !strict_inline_eval(c, a->string))
				strvec_push(&interp, line.p);
			free(base);
		}
	}
	if (autos.n) {
		buf_puts(&d, "Skill binaries are allow-listed implicitly at:");
		detail_lines(&d, &autos);
		buf_puts(&d, "\nThat widens what runs on the host beyond the entries you wrote.");
		report_add(
		    c, "tools.exec.auto_allow_skills_enabled", SEV_WARN,
		    "autoAllowSkills is enabled for exec approvals", d.p,
		    "Set autoAllowSkills to false in exec-approvals.json and allow-list what you "
		    "need by path.");
	}
	if (interp.n) {
		buf_reset(&d);
		buf_puts(&d, "Interpreter entries are allow-listed without strictInlineEval:");
		detail_lines(&d, &interp);
		buf_puts(&d, "\nWith them, `python3 -c '...'` or `node -e '...'` runs any program "
		             "without asking.");
		report_add(
		    c, "tools.exec.allowlist_interpreter_without_strict_inline_eval", SEV_WARN,
		    "Interpreter allowlist entries are missing strictInlineEval hardening", d.p,
		    "Set tools.exec.strictInlineEval=true (or per agent) when allow-listing "
		    "interpreters such as python, node, ruby, perl, php, lua or osascript.");
	}
	if (shellish.n) {
		buf_reset(&d);
		buf_puts(&d, "These allow-list entries match a shell:");
		detail_lines(&d, &shellish);
		buf_puts(&d, "\nA shell runs whatever script or standard input it is given, so the "
		             "entry allows any command.");
		report_add(
		    c, "tools.exec.allowlist_shell", SEV_WARN, "Exec allowlist matches shells", d.p,
		    "Remove the entries and allow-list the programs the scripts need, or the "
		    "scripts themselves by path.");
	}
	if (wild.n) {
		buf_reset(&d);
		buf_puts(&d, "These allow-list entries match every program in a directory tree:");
		detail_lines(&d, &wild);
		buf_puts(&d,
		         "\nShells, interpreters, sudo and rm are all in such a tree: exec runs "
		         "anything there without asking.");
		report_add(c, "tools.exec.allowlist_wildcard", SEV_CRITICAL,
		           "Exec allowlist allows every program", d.p,
		           "Replace each wildcard by the programs actually needed, by full path.");
	}
	strvec_clear(&autos);
	strvec_clear(&interp);
	strvec_clear(&shellish);
	strvec_clear(&wild);
	buf_free(&line);
	buf_free(&d);
}

void load_approvals(struct ctx *c)
{
	char *text = NULL;
	size_t len;

	if (read_file(c->approvals_path, 16UL * 1024 * 1024, &text, &len) < 0) {
		if (errno != ENOENT)
			report_addf(
			    c, "exec_approvals.unreadable", SEV_WARN,
			    "Exec approvals file cannot be read",
			    "Fix its permissions or restore it from a backup.",
			    "%s. claw-approve then fails closed: every host command that needs the "
			    "allow-list is refused.",
			    claw_error());
		return;
	}
	c->approvals = cJSON_ParseWithLength(text, len);
	if (!cJSON_IsObject(c->approvals) || !cJSON_IsNumber(get(c->approvals, "version"))) {
		report_addf(
		    c, "exec_approvals.invalid", SEV_WARN, "Exec approvals file is not valid",
		    "Restore exec-approvals.json from a backup, or remove it and allow-list again "
		    "(claw-approve allowlist).",
		    "%s is not an OpenClaw exec approvals file (JSON with \"version\": 1). "
		    "claw-approve fails closed: every host command that needs the allow-list is "
		    "refused.",
		    c->approvals_path);
		cJSON_Delete(c->approvals);
		c->approvals = NULL;
	}
	free(text);
}
