/* check-exec.c: claw-audit check, elevated, exec security and safe bins. */
#include "audit/seccheck-int.h"

#include <stdio.h>
#include <stdlib.h>

#include "approve/approve.h"
#include "approve/risk.h"
#include "approve/safebin.h"
#include "session/session.h"

void check_elevated(struct ctx *c)
{
	const cJSON *from = get(c->root, "tools.elevated.allowFrom"), *list;

	if (cJSON_IsFalse(get(c->root, "tools.elevated.enabled")))
		return;
	cJSON_ArrayForEach(list, from)
	{
		bool wild;
		size_t n = list_distinct(list, &wild);
		struct buf id = { 0 };
		if (wild) {
			buf_printf(&id, "tools.elevated.allowFrom.%s.wildcard", list->string);
			report_addf(
			    c, id.p, SEV_CRITICAL, "Elevated exec allowlist contains wildcard",
			    "Name the few senders who may leave the sandbox, or set "
			    "tools.elevated.enabled=false.",
			    "tools.elevated.allowFrom.%s includes \"*\": anyone on that channel "
			    "may "
			    "run commands on the host, outside the sandbox.",
			    list->string);
		} else if (n > 25) {
			buf_printf(&id, "tools.elevated.allowFrom.%s.large", list->string);
			report_addf(
			    c, id.p, SEV_WARN, "Elevated exec allowlist is large",
			    "Keep elevated access to the few people who need it.",
			    "tools.elevated.allowFrom.%s has %zu entries; each of them may run "
			    "commands on the host, outside the sandbox.",
			    list->string, n);
		}
		buf_free(&id);
	}
}

/* OpenClaw's audit view of a scope's exec security: tools.exec.mode wins, then
 * security, then what the scope inherits ("deny" at the top). */
const char *exec_security(const cJSON *exec, const char *inherited)
{
	const char *mode = sget(exec, "mode"), *sec = sget(exec, "security");

	/* The mode's security as claw-approve maps it (approve_mode_security). */
	if (mode != NULL && approve_mode_security(mode) != NULL)
		return approve_mode_security(mode);
	return sec ? sec : inherited;
}

struct exec_scope {
	char id[SESSION_ID_MAX + 8];
	const char *security, *host;
};

static size_t exec_scopes(const struct ctx *c, struct exec_scope *out, size_t max)
{
	const cJSON *gexec = get(c->root, "tools.exec"), *a;
	const char *gsec = exec_security(gexec, "deny");
	const char *ghost = sget(gexec, "host") ? sget(gexec, "host") : "auto";
	size_t n = 0;

	snprintf(out[n].id, sizeof(out->id), "%s", cfg_default_agent(c->cfg));
	out[n].security = gsec;
	out[n++].host = ghost;
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		const char *id = agent_id(a);
		const cJSON *exec = get(a, "tools.exec");
		size_t k;
		if (id == NULL)
			continue;
		for (k = 0; k < n && strcmp(out[k].id, id) != 0; k++)
			;
		if (k == n) {
			if (n == max)
				break;
			snprintf(out[n++].id, sizeof(out->id), "%s", id);
		}
		out[k].security = exec_security(exec, gsec);
		out[k].host = sget(exec, "host") ? sget(exec, "host") : ghost;
	}
	return n;
}

void check_exec(struct ctx *c)
{
	struct exec_scope *sc = xcalloc(MAX_CONTEXTS, sizeof(*sc));
	size_t n = exec_scopes(c, sc, MAX_CONTEXTS);
	struct strvec open = { 0 }, hosts = { 0 };
	struct buf full = { 0 }, enabled = { 0 }, d = { 0 };
	const cJSON *a;

	if (sget(c->root, "tools.exec.host") &&
	    strcmp(sget(c->root, "tools.exec.host"), "sandbox") == 0 &&
	    strcmp(sandbox_setting(c, NULL, "mode", "off"), "off") == 0)
		report_add(
		    c, "tools.exec.host_sandbox_no_sandbox_defaults", SEV_WARN,
		    "Exec host is sandbox but sandbox mode is off",
		    "tools.exec.host is \"sandbox\" while agents.defaults.sandbox.mode is off: "
		    "there is no sandbox to run in, so every exec fails (closed).",
		    "Set agents.defaults.sandbox.mode=\"non-main\" or \"all\", or tools.exec.host "
		    "to \"gateway\" with approvals.");
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a) && sget(a, "tools.exec.host") &&
		    strcmp(sget(a, "tools.exec.host"), "sandbox") == 0 &&
		    strcmp(sandbox_setting(c, a, "mode", "off"), "off") == 0 && hosts.n < 5)
			strvec_push(&hosts, agent_id(a));
	}
	if (hosts.n > 0) {
		buf_puts(&d, "agents.list[].tools.exec.host is \"sandbox\" for:");
		detail_lines(&d, &hosts);
		buf_puts(&d, "\nTheir sandbox mode is off, so their exec fails (closed).");
		report_add(
		    c, "tools.exec.host_sandbox_no_sandbox_agents", SEV_WARN,
		    "Agent exec host uses sandbox while sandbox mode is off", d.p,
		    "Turn on sandbox mode for these agents (agents.list[].sandbox.mode) or set "
		    "their tools.exec.host to \"gateway\".");
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(sc[i].security, "full") == 0)
			buf_printf(&full, "%s%s", full.len ? ", " : "", sc[i].id);
		if (strcmp(sc[i].security, "deny") != 0)
			buf_printf(&enabled, "\n- %s: security=%s, host=%s", sc[i].id,
			           sc[i].security, sc[i].host);
	}
	open_policies(c, &open);
	if (full.len > 0) {
		buf_reset(&d);
		buf_printf(&d, "Every command runs without a check for: %s.", full.p);
		if (open.n > 0) {
			buf_puts(&d, " Open channel access was also found at:");
			detail_lines(&d, &open);
		}
		report_add(
		    c, "tools.exec.security_full_configured", open.n ? SEV_CRITICAL : SEV_WARN,
		    "Exec security=full is configured", d.p,
		    "Prefer tools.exec.security=\"allowlist\" with ask \"on-miss\" (the secure "
		    "preset), and keep \"full\" for a tightly scoped break-glass agent.");
	}
	if (open.n > 0 && enabled.len > 0) {
		buf_reset(&d);
		buf_puts(&d, "Open DM/group access at:");
		detail_lines(&d, &open);
		buf_printf(&d, "\nExec-enabled scopes:%s", enabled.p);
		report_add(
		    c, "security.exposure.open_channels_with_exec",
		    full.len ? SEV_CRITICAL : SEV_WARN,
		    "Open channels can reach exec-enabled agents", d.p,
		    "Tighten dmPolicy/groupPolicy to pairing or allowlist, or deny exec to agents "
		    "that shared or public channels reach.");
	}
	strvec_clear(&open);
	strvec_clear(&hosts);
	buf_free(&full);
	buf_free(&enabled);
	buf_free(&d);
	free(sc);
}

/*
 * OpenClaw's own audit counts an unset tools.exec.security as "deny"; at run
 * time it is "full" on the host, unless exec-approvals.json sets a floor.
 * With no floor and no sandbox for the main session, every host command runs
 * unchecked: that deserves more than the info line of the defaults check.
 */
void check_exec_default(struct ctx *c)
{
	const cJSON *exec = get(c->root, "tools.exec");
	const char *floor = sget(c->approvals, "defaults.security");

	if (!c->cfg->exists || sget(exec, "security") || sget(exec, "mode"))
		return;
	if (floor == NULL)
		floor = sget(get(get(c->approvals, "agents"), "*"), "security");
	if (floor != NULL && strcmp(floor, "full") != 0)
		return;
	if (strcmp(sandbox_setting(c, NULL, "mode", "off"), "all") == 0)
		return;
	report_add(
	    c, "tools.exec.security_default_full", SEV_WARN,
	    "Exec security is not set: host commands run unchecked",
	    "tools.exec.security is not set and exec-approvals.json sets no floor, so OpenClaw's "
	    "default applies: \"full\" on the host, where the main session runs. Every command "
	    "it asks for runs without an allow-list or a question.",
	    "Set tools.exec.security=\"allowlist\" and tools.exec.ask=\"on-miss\" (claw-audit "
	    "check --fix --preset secure does it).");
}

static const char *risky_trusted_dir(const char *dir)
{
	char *low = str_lower(xstrdup(dir));
	const char *why = NULL;

	if (dir[0] != '/')
		why = "relative path (what it means depends on the current directory)";
	else if (strcmp(low, "/tmp") == 0 || str_has_prefix(low, "/tmp/") ||
	         strcmp(low, "/var/tmp") == 0 || str_has_prefix(low, "/var/tmp/") ||
	         strcmp(low, "/private/tmp") == 0 || str_has_prefix(low, "/private/tmp/"))
		why = "temporary directory: anyone can put a program there";
	else if (strcmp(low, "/usr/local/bin") == 0 || strcmp(low, "/opt/homebrew/bin") == 0 ||
	         strcmp(low, "/opt/local/bin") == 0 ||
	         strcmp(low, "/home/linuxbrew/.linuxbrew/bin") == 0)
		why = "package-manager bin directory (often writable without root)";
	else if (str_has_prefix(low, "/users/") || str_has_prefix(low, "/home/") ||
	         strstr(low, "/.local/bin") != NULL)
		why = "home-scoped bin directory (writable by its user)";
	free(low);
	return why;
}

struct safebin_hits {
	struct strvec interp, risky, dirs, untrusted;
};

/* A scope's safe bins as claw-approve loads them (safebins_load), judged by its own rules. */
static void scope_safe_bins(const struct ctx *c, const cJSON *gexec, const cJSON *aexec,
                            const char *label, struct safebin_hits *h)
{
	struct safebins sb;
	struct buf interp = { 0 }, line = { 0 };
	const cJSON *list = get(aexec ? aexec : gexec, "safeBinTrustedDirs"), *e;

	if (aexec != NULL && get(aexec, "safeBins") == NULL && list == NULL)
		return; /* the agent inherits: already judged with the global scope */
	if (safebins_load(&sb, c->cfg, aexec, gexec) < 0)
		return; /* a config error: config.invalid reports it */
	if (list == NULL && aexec != NULL)
		list = get(gexec, "safeBinTrustedDirs");
	cJSON_ArrayForEach(e, list)
	{
		if (!cJSON_IsString(e))
			continue;
		char *t = str_trim_dup(e->valuestring);
		const char *why = t[0] ? risky_trusted_dir(t) : NULL;
		if (why) {
			buf_reset(&line);
			buf_printf(&line, "%s.safeBinTrustedDirs: %s (%s)", label, t, why);
			strvec_push(&h->dirs, line.p);
		}
		free(t);
	}
	for (size_t i = 0; i < sb.names.n; i++) {
		const char *b = sb.names.v[i], *never = safebin_never_safe(b);
		struct exec_file f;
		if (risk_interpreter(b) && !safebin_has_custom_profile(&sb, b))
			buf_printf(&interp, "%s%s", interp.len ? ", " : "", b);
		if (never != NULL) {
			buf_reset(&line);
			buf_printf(&line, "%s.safeBins: %s (%s)", label, b, never);
			strvec_push(&h->risky, line.p);
		}
		if (strchr(b, '/') == NULL && exec_resolve(b, "/", getenv("PATH"), &f) == 0 &&
		    f.found && !safebin_trusted_dir(&sb, f.path)) {
			buf_reset(&line);
			buf_printf(&line, "%s.safeBins: %s resolves to %s", label, b, f.path);
			strvec_push(&h->untrusted, line.p);
		}
	}
	if (interp.len) {
		buf_reset(&line);
		buf_printf(&line, "%s.safeBins: %s", label, interp.p);
		strvec_push(&h->interp, line.p);
	}
	safebins_free(&sb);
	buf_free(&interp);
	buf_free(&line);
}

void check_safe_bins(struct ctx *c)
{
	struct safebin_hits h = { 0 };
	const cJSON *gexec = get(c->root, "tools.exec"), *a;
	struct buf d = { 0 }, label = { 0 };

	scope_safe_bins(c, gexec, NULL, "tools.exec", &h);
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a) == NULL || get(a, "tools.exec") == NULL)
			continue;
		buf_reset(&label);
		buf_printf(&label, "agents.list.%s.tools.exec", agent_id(a));
		scope_safe_bins(c, gexec, get(a, "tools.exec"), label.p, &h);
	}
	if (h.interp.n) {
		buf_puts(&d, "These safeBins are interpreters with no profile of their own:");
		detail_lines(&d, &h.interp);
		buf_puts(&d, "\nA safe bin runs without asking; an interpreter there runs whatever "
		             "program its arguments carry.");
		report_add(
		    c, "tools.exec.safe_bins_interpreter_unprofiled", SEV_WARN,
		    "safeBins includes interpreter/runtime binaries without explicit profiles", d.p,
		    "Remove interpreters from safeBins (allow-list the scripts you need instead), "
		    "or "
		    "give each a strict tools.exec.safeBinProfiles.<bin>.");
	}
	if (h.risky.n) {
		buf_reset(&d);
		buf_puts(&d, "These safeBins do more than filter a stream:");
		detail_lines(&d, &h.risky);
		buf_puts(&d, "\nOpenClaw never treats them as safe bins; claw does the same.");
		report_add(
		    c, "tools.exec.safe_bins_broad_behavior", SEV_WARN,
		    "safeBins includes binaries with broader semantics than low-risk stream "
		    "filters",
		    d.p,
		    "Remove them from safeBins and allow-list specific uses, or leave them to "
		    "approval.");
	}
	if (h.dirs.n) {
		buf_reset(&d);
		buf_puts(&d, "These safeBinTrustedDirs can be written by more than root:");
		detail_lines(&d, &h.dirs);
		report_add(
		    c, "tools.exec.safe_bin_trusted_dirs_risky", SEV_WARN,
		    "safeBinTrustedDirs includes risky mutable directories", d.p,
		    "Keep the default trusted dirs (/bin, /usr/bin): root-owned, and not on a "
		    "user's PATH ahead of them.");
	}
	if (h.untrusted.n) {
		buf_reset(&d);
		buf_puts(&d, "These safe bins are found outside the trusted directories (/bin, "
		             "/usr/bin and safeBinTrustedDirs):");
		detail_lines(&d, &h.untrusted);
		buf_puts(&d, "\nA directory earlier on PATH shadows the system copy: whoever can "
		             "write there decides what a \"safe\" bin does.");
		report_add(
		    c, "tools.exec.safe_bins_untrusted_path", SEV_WARN,
		    "Safe bins resolve outside the trusted directories", d.p,
		    "Remove the shadowing program or that directory from PATH, or drop the bin "
		    "from safeBins.");
	}
	strvec_clear(&h.interp);
	strvec_clear(&h.risky);
	strvec_clear(&h.dirs);
	strvec_clear(&h.untrusted);
	buf_free(&d);
	buf_free(&label);
}
