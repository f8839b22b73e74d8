/* check-render.c: claw-audit check, the report as OpenClaw lays it out, and its JSON. */
#include "audit/seccheck-int.h"

static const char *const sev_names[] = { "info", "warn", "critical" };

/* JSON as JSON.stringify(value, null, 2) writes it. */
static void pretty(const cJSON *v, struct buf *b, int depth)
{
	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		bool obj = cJSON_IsObject(v);
		if (v->child == NULL) {
			buf_puts(b, obj ? "{}" : "[]");
			return;
		}
		buf_putc(b, obj ? '{' : '[');
		for (const cJSON *e = v->child; e; e = e->next) {
			buf_printf(b, "\n%*s", 2 * (depth + 1), "");
			if (obj) {
				buf_json_str(b, e->string);
				buf_puts(b, ": ");
			}
			pretty(e, b, depth + 1);
			if (e->next)
				buf_putc(b, ',');
		}
		buf_printf(b, "\n%*s%c", 2 * depth, "", obj ? '}' : ']');
	} else if (cJSON_IsString(v)) {
		buf_json_str(b, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		buf_printf(b, "%lld", (long long)v->valuedouble);
	} else if (cJSON_IsBool(v)) {
		buf_puts(b, cJSON_IsTrue(v) ? "true" : "false");
	} else {
		buf_puts(b, "null");
	}
}

static void summary_counts(const struct check_report *r, int n[3])
{
	n[0] = n[1] = n[2] = 0;
	for (size_t i = 0; i < r->n; i++)
		n[r->f[i].sev]++;
}

static cJSON *finding_json(const struct finding *x)
{
	cJSON *f = cJSON_CreateObject();

	cJSON_AddStringToObject(f, "checkId", x->check_id);
	cJSON_AddStringToObject(f, "severity", sev_names[x->sev]);
	cJSON_AddStringToObject(f, "title", x->title);
	cJSON_AddStringToObject(f, "detail", x->detail);
	if (x->remediation)
		cJSON_AddStringToObject(f, "remediation", x->remediation);
	return f;
}

static cJSON *report_json(const struct check_report *r)
{
	cJSON *o = cJSON_CreateObject(), *s = cJSON_CreateObject(), *fs = cJSON_CreateArray();
	int n[3];

	summary_counts(r, n);
	cJSON_AddNumberToObject(o, "ts", (double)r->ts);
	cJSON_AddNumberToObject(s, "critical", n[SEV_CRITICAL]);
	cJSON_AddNumberToObject(s, "warn", n[SEV_WARN]);
	cJSON_AddNumberToObject(s, "info", n[SEV_INFO]);
	cJSON_AddItemToObject(o, "summary", s);
	for (size_t i = 0; i < r->n; i++)
		cJSON_AddItemToArray(fs, finding_json(&r->f[i]));
	cJSON_AddItemToObject(o, "findings", fs);
	if (r->nsup > 0) {
		cJSON *sup = cJSON_CreateArray();
		for (size_t i = 0; i < r->nsup; i++) {
			cJSON *f = finding_json(&r->sup[i]), *why = cJSON_CreateObject();
			if (r->sup_reason[i])
				cJSON_AddStringToObject(why, "reason", r->sup_reason[i]);
			cJSON_AddItemToObject(f, "suppression", why);
			cJSON_AddItemToArray(sup, f);
		}
		cJSON_AddItemToObject(o, "suppressedFindings", sup);
	}
	return o;
}

static cJSON *strings_json(const struct strvec *l)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < l->n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(l->v[i]));
	return a;
}

static cJSON *fix_json(const struct fix_result *fx)
{
	cJSON *o = cJSON_CreateObject(), *acts = cJSON_CreateArray();

	cJSON_AddBoolToObject(o, "ok", fx->ok);
	cJSON_AddStringToObject(o, "stateDir", fx->state_dir);
	cJSON_AddStringToObject(o, "configPath", fx->config_path);
	cJSON_AddBoolToObject(o, "configWritten", fx->config_written);
	if (fx->backup)
		cJSON_AddStringToObject(o, "configBackup", fx->backup);
	cJSON_AddItemToObject(o, "changes", strings_json(&fx->changes));
	for (size_t i = 0; i < fx->nactions; i++) {
		const struct fix_action *a = &fx->actions[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "kind", "chmod");
		cJSON_AddStringToObject(j, "path", a->path);
		cJSON_AddNumberToObject(j, "mode", a->mode);
		cJSON_AddBoolToObject(j, "ok", a->ok);
		if (a->skipped)
			cJSON_AddStringToObject(j, "skipped", a->skipped);
		if (a->error)
			cJSON_AddStringToObject(j, "error", a->error);
		cJSON_AddItemToArray(acts, j);
	}
	cJSON_AddItemToObject(o, "actions", acts);
	cJSON_AddItemToObject(o, "errors", strings_json(&fx->errors));
	return o;
}

/* Text for a terminal: control characters other than newline are shown, not obeyed. */
static void put_text(struct buf *b, const char *s, const char *indent)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n') {
			buf_putc(b, '\n');
			buf_puts(b, indent);
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_printf(b, "\\x%02x", *p);
		} else {
			buf_putc(b, (char)*p);
		}
	}
}

/* TEXT in the colour CODE (an SGR parameter) when colour is on. */
static void paint(struct buf *b, const struct check_opts *o, const char *code, const char *text)
{
	if (o->color)
		buf_printf(b, "\033[%sm%s\033[0m", code, text);
	else
		buf_puts(b, text);
}

static void render_fix(const struct fix_result *fx, const struct check_opts *o, struct buf *b)
{
	bool any = fx->errors.n > 0 || fx->changes.n > 0;

	buf_printf(b, "Fix: claw-audit check --fix%s%s\n", o->preset ? " --preset " : "",
	           o->preset ? o->preset : "");
	for (size_t i = 0; i < fx->nactions; i++)
		any |= fx->actions[i].ok || fx->actions[i].error;
	if (!any) {
		buf_puts(b, "Fixes: no changes applied\n");
		return;
	}
	buf_putc(b, '\n');
	paint(b, o, "1", "FIX");
	buf_putc(b, '\n');
	for (size_t i = 0; i < fx->changes.n; i++) {
		buf_puts(b, "  ");
		put_text(b, fx->changes.v[i], "  ");
		buf_putc(b, '\n');
	}
	if (fx->backup)
		buf_printf(b, "  config written: %s (previous version: %s)\n", fx->config_path,
		           fx->backup);
	for (size_t i = 0; i < fx->nactions; i++) {
		const struct fix_action *a = &fx->actions[i];
		if (a->ok)
			buf_printf(b, "  chmod %03o %s\n", a->mode, a->path);
		else if (a->error)
			buf_printf(b, "  chmod %03o %s failed: %s\n", a->mode, a->path, a->error);
		else if (strcmp(a->skipped, "missing") != 0)
			buf_printf(b, "  skip chmod %03o %s (%s)\n", a->mode, a->path, a->skipped);
	}
	for (size_t i = 0; i < fx->errors.n; i++) {
		buf_puts(b, "  error: ");
		put_text(b, fx->errors.v[i], "  ");
		buf_putc(b, '\n');
	}
}

void check_render(const struct check_report *r, const struct check_opts *o, struct buf *b)
{
	static const char *const labels[] = { "INFO", "WARN", "CRITICAL" };
	static const char *const colors[] = { "2", "33", "1;31" };
	int n[3];

	if (o->json) {
		cJSON *root = report_json(r);
		if (r->fix.ran) {
			cJSON *both = cJSON_CreateObject();
			cJSON_AddItemToObject(both, "fix", fix_json(&r->fix));
			cJSON_AddItemToObject(both, "report", root);
			root = both;
		}
		pretty(root, b, 0);
		buf_putc(b, '\n');
		cJSON_Delete(root);
		return;
	}
	summary_counts(r, n);
	paint(b, o, "1", "claw security audit");
	buf_putc(b, '\n');
	if (o->color)
		buf_printf(b,
		           "Summary: \033[1;31m%d critical\033[0m · \033[33m%d warn\033[0m · "
		           "\033[2m%d info\033[0m\n",
		           n[2], n[1], n[0]);
	else
		buf_printf(b, "Summary: %d critical · %d warn · %d info\n", n[2], n[1], n[0]);
	if (r->nsuppressions > 0)
		buf_printf(b, "Suppressed: %d configured\n", r->nsuppressions);
	if (r->fix.ran)
		render_fix(&r->fix, o, b);
	for (int sev = SEV_CRITICAL; sev >= SEV_INFO; sev--) {
		if (n[sev] == 0)
			continue;
		if (o->color)
			buf_printf(b, "\n\033[%sm%s\033[0m\n", colors[sev], labels[sev]);
		else
			buf_printf(b, "\n%s\n", labels[sev]);
		for (size_t i = 0; i < r->n; i++) {
			const struct finding *f = &r->f[i];
			if ((int)f->sev != sev)
				continue;
			buf_printf(b, "%s%s%s ", o->color ? "\033[2m" : "", f->check_id,
			           o->color ? "\033[0m" : "");
			put_text(b, f->title, "");
			buf_puts(b, "\n  ");
			put_text(b, f->detail, "  ");
			buf_putc(b, '\n');
			if (f->remediation) {
				buf_puts(b, o->color ? "  \033[2mFix: " : "  Fix: ");
				put_text(b, f->remediation, "  ");
				buf_puts(b, o->color ? "\033[0m\n" : "\n");
			}
		}
	}
}
