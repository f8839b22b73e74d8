/*
 * seccheck.c: claw-audit check, OpenClaw's `security audit` for this stack:
 * runs the checks, keeps the report, applies suppressions.
 *
 * Each check adds findings in OpenClaw's shape: a check id, a severity, a
 * title, a detail that names the key or the path, and what to do. Where
 * OpenClaw has the same check, the id, severity and trigger are OpenClaw's;
 * claw's own checks (kernel features, the approvals file, the decision log,
 * presets) use ids in the same style. A check never keeps a copy of a rule a
 * stage enforces: it asks that stage's module (tp_decide, binds_blocked,
 * safebin_never_safe, sandbox_settings_basics, session_sandbox_scope), as
 * doas -C checks a config with the parser and matcher that enforce it.
 *
 * The checks live in check-*.c, one concern each, and share seccheck-int.h;
 * the lists a check judges by are tables at the top of its file, one row
 * per entry, each with the reason it is there.
 */
#include "audit/seccheck-int.h"

#include <stdlib.h>

void detail_lines(struct buf *b, const struct strvec *l)
{
	for (size_t i = 0; i < l->n; i++)
		buf_printf(b, "\n- %s", l->v[i]);
}

void report_add(struct ctx *c, const char *id, enum sev sev, const char *title, const char *detail,
                const char *remediation)
{
	struct check_report *r = c->r;

	ALLOC_GROW(r->f, r->n + 1, r->cap);
	r->f[r->n++] = (struct finding){ xstrdup(id), sev, xstrdup(title), xstrdup(detail),
		                         remediation ? xstrdup(remediation) : NULL };
}

void report_addf(struct ctx *c, const char *id, enum sev sev, const char *title,
                 const char *remediation, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	report_add(c, id, sev, title, b.p, remediation);
	buf_free(&b);
}

/* Whether NEEDLE (trimmed, any case) is in HAY; an empty needle is. */
static bool includes_ci(const char *hay, const cJSON *needle)
{
	if (!cJSON_IsString(needle))
		return true;
	char *n = str_lower(str_trim_dup(needle->valuestring));
	char *h = str_lower(xstrdup(hay));
	bool hit = n[0] == '\0' || strstr(h, n) != NULL;
	free(n);
	free(h);
	return hit;
}

static const cJSON *suppression_for(const cJSON *list, const struct finding *f)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, list)
	{
		const char *id = sget(s, "checkId");
		if (id == NULL)
			continue;
		char *t = str_trim_dup(id);
		bool same = t[0] != '\0' && strcmp(t, f->check_id) == 0;
		free(t);
		if (same && includes_ci(f->title, get(s, "titleIncludes")) &&
		    includes_ci(f->detail, get(s, "detailIncludes")))
			return s;
	}
	return NULL;
}

/* OpenClaw's security.audit.suppressions: accepted risks move to
 * suppressedFindings, and an info finding says how many. */
static void apply_suppressions(struct ctx *c)
{
	const cJSON *list = get(c->root, "security.audit.suppressions");
	struct check_report *r = c->r;
	size_t kept = 0;

	if (cJSON_GetArraySize(list) == 0)
		return;
	r->nsuppressions = cJSON_GetArraySize(list);
	r->sup = xcalloc(r->n, sizeof(*r->sup));
	r->sup_reason = xcalloc(r->n, sizeof(*r->sup_reason));
	for (size_t i = 0; i < r->n; i++) {
		const cJSON *s = suppression_for(list, &r->f[i]);
		if (s == NULL) {
			r->f[kept++] = r->f[i];
			continue;
		}
		const char *why = sget(s, "reason");
		char *t = why ? str_trim_dup(why) : NULL;
		if (t != NULL && t[0] == '\0') {
			free(t);
			t = NULL;
		}
		r->sup_reason[r->nsup] = t;
		r->sup[r->nsup++] = r->f[i];
	}
	r->n = kept;
	report_addf(
	    c, "security.audit.suppressions.active", SEV_INFO,
	    "Security audit suppressions configured",
	    "Review suppressedFindings, and remove a suppression when the risk it accepted has "
	    "changed.",
	    "security.audit.suppressions has %d configured suppression(s); %zu finding(s) moved "
	    "to suppressedFindings.",
	    r->nsuppressions, r->nsup);
}

static void ctx_init(struct ctx *c, struct config *cfg, const struct check_opts *o,
                     struct check_report *r)
{
	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->root = cfg->root;
	c->o = o;
	c->r = r;
	c->approvals_path = state_path(cfg, "exec-approvals.json");
	c->log_path = state_path(cfg, "audit/decisions.jsonl");
	c->tp = tp_load(cfg);
}

static void ctx_free(struct ctx *c)
{
	cJSON_Delete(c->approvals);
	free(c->approvals_path);
	free(c->log_path);
	tp_free(c->tp);
}

int check_run(struct config *cfg, const struct check_opts *o, struct check_report *r)
{
	struct ctx c;

	memset(r, 0, sizeof(*r));
	if (o->fix) {
		ctx_init(&c, cfg, o, r);
		run_fix(&c, &r->fix);
		ctx_free(&c);
		/* Check what is there now. */
		config_free(cfg);
		if (config_load_report(cfg, o->co) < 0)
			return -1;
	}
	ctx_init(&c, cfg, o, r);
	r->ts = clock_wall_ms();
	check_config_files(&c);
	if (o->only_config) {
		ctx_free(&c);
		return 0;
	}
	check_summary(&c);
	check_filesystem(&c);
	check_audit_log(&c);
	load_approvals(&c);
	check_elevated(&c);
	check_exec(&c);
	check_safe_bins(&c);
	check_approvals(&c);
	check_exec_default(&c);
	check_sandbox_config(&c);
	check_workspaces(&c);
	check_kernel(&c);
	check_hostview(&c);
	check_tools_misc(&c);
	check_dangerous_flags(&c);
	check_exposure(&c);
	check_trust_model(&c);
	each_section(&c, check_channel_dm, NULL);
	if (o->preset != NULL)
		check_preset(&c, o->preset);
	else
		check_defaults(&c);
	apply_suppressions(&c);
	ctx_free(&c);
	return 0;
}

int check_worst(const struct check_report *r)
{
	int worst = -1;

	for (size_t i = 0; i < r->n; i++)
		if ((int)r->f[i].sev > worst)
			worst = (int)r->f[i].sev;
	return worst;
}

static void finding_free(struct finding *f)
{
	free(f->check_id);
	free(f->title);
	free(f->detail);
	free(f->remediation);
}

void check_report_free(struct check_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		finding_free(&r->f[i]);
	free(r->f);
	for (size_t i = 0; i < r->nsup; i++) {
		finding_free(&r->sup[i]);
		free(r->sup_reason[i]);
	}
	free(r->sup);
	free(r->sup_reason);
	for (size_t i = 0; i < r->fix.nactions; i++) {
		free(r->fix.actions[i].path);
		free(r->fix.actions[i].error);
	}
	free(r->fix.actions);
	strvec_clear(&r->fix.changes);
	strvec_clear(&r->fix.errors);
	free(r->fix.state_dir);
	free(r->fix.config_path);
	free(r->fix.backup);
	memset(r, 0, sizeof(*r));
}
