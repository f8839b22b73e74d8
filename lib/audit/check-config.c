/* check-config.c: claw-audit check, the config itself: tools, logging, dangerous flags, the files,
 * the summary. */
#include "audit/seccheck-int.h"

#include <sys/stat.h>

void check_tools_misc(struct ctx *c)
{
	const cJSON *a;
	struct strvec over = { 0 };
	struct buf d = { 0 }, line = { 0 };

	if (sget(c->root, "tools.profile") &&
	    strcmp(sget(c->root, "tools.profile"), "minimal") == 0) {
		cJSON_ArrayForEach(a, get(c->root, "agents.list"))
		{
			const char *p = sget(a, "tools.profile");
			if (agent_id(a) && p && strcmp(p, "minimal") != 0) {
				buf_reset(&line);
				buf_printf(&line, "agents.list.%s.tools.profile=%s", agent_id(a),
				           p);
				strvec_push(&over, line.p);
			}
		}
	}
	if (over.n) {
		buf_puts(&d,
		         "tools.profile is \"minimal\", but these agents have a profile of their "
		         "own, which wins:");
		detail_lines(&d, &over);
		report_add(
		    c, "tools.profile_minimal_overridden", SEV_WARN,
		    "Global tools.profile=minimal is overridden by agent profiles", d.p,
		    "Set those agents' tools.profile to \"minimal\" (or remove it) if minimal is "
		    "meant for every agent.");
	}
	strvec_clear(&over);
	buf_free(&d);
	buf_free(&line);
}

static void flag_if(struct strvec *out, const cJSON *root, const char *path, bool want)
{
	const cJSON *v = get(root, path);
	struct buf b = { 0 };

	if (cJSON_IsBool(v) && cJSON_IsTrue(v) == want) {
		buf_printf(&b, "%s=%s", path, want ? "true" : "false");
		strvec_push(out, b.p);
	}
	buf_free(&b);
}

void check_dangerous_flags(struct ctx *c)
{
	static const char *const docker_flags[] = { "dangerouslyAllowReservedContainerTargets",
		                                    "dangerouslyAllowExternalBindSources",
		                                    "dangerouslyAllowContainerNamespaceJoin" };
	struct strvec flags = { 0 };
	struct buf p = { 0 };
	const cJSON *a, *m;
	int i = 0;

	flag_if(&flags, c->root, "gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback",
	        true);
	flag_if(&flags, c->root, "hooks.gmail.allowUnsafeExternalContent", true);
	cJSON_ArrayForEach(m, get(c->root, "hooks.mappings"))
	{
		if (is_true(m, "allowUnsafeExternalContent")) {
			buf_reset(&p);
			buf_printf(&p, "hooks.mappings[%d].allowUnsafeExternalContent=true", i);
			strvec_push(&flags, p.p);
		}
		i++;
	}
	flag_if(&flags, c->root, "tools.exec.applyPatch.workspaceOnly", false);
	if (cJSON_GetArraySize(get(c->root, "security.audit.suppressions")) > 0) {
		buf_reset(&p);
		buf_printf(&p, "security.audit.suppressions configured (%d)",
		           cJSON_GetArraySize(get(c->root, "security.audit.suppressions")));
		strvec_push(&flags, p.p);
	}
	flag_if(&flags, c->root, "hooks.allowRequestSessionKey", true);
	flag_if(&flags, c->root, "browser.ssrfPolicy.dangerouslyAllowPrivateNetwork", true);
	flag_if(&flags, c->root, "tools.fs.workspaceOnly", false);
	for (size_t k = 0; k < NELEM(docker_flags); k++) {
		buf_reset(&p);
		buf_printf(&p, "agents.defaults.sandbox.docker.%s", docker_flags[k]);
		flag_if(&flags, c->root, p.p, true);
		cJSON_ArrayForEach(a, get(c->root, "agents.list"))
		{
			if (agent_id(a) == NULL ||
			    !is_true(get(a, "sandbox.docker"), docker_flags[k]))
				continue;
			buf_reset(&p);
			buf_printf(&p, "agents.list.%s.sandbox.docker.%s=true", agent_id(a),
			           docker_flags[k]);
			strvec_push(&flags, p.p);
		}
	}
	/* One finding per flag, as OpenClaw reports them. */
	for (size_t k = 0; k < flags.n; k++)
		report_addf(
		    c, "config.insecure_or_dangerous_flags", SEV_WARN,
		    "Insecure or dangerous config flag enabled",
		    "Turn the flag off unless you are debugging, and only for as long as you are.",
		    "Detected enabled flag: %s. It turns off a protection.", flags.v[k]);
	strvec_clear(&flags);
	buf_free(&p);
}

static void policy_counts_fn(struct ctx *c, const char *channel, const cJSON *s, const char *base,
                             void *arg)
{
	int *n = arg;
	const char *key, *gp = sget(s, "groupPolicy"), *dp = dm_policy(s, &key);

	(void)c;
	(void)channel;
	(void)base;
	if (gp && strcmp(gp, "open") == 0)
		n[0]++;
	else if (gp && strcmp(gp, "allowlist") == 0)
		n[1]++;
	if (dp && strcmp(dp, "open") == 0)
		n[2]++;
}

/*
 * Every problem the config check found (lib/core/schema.c, the check every
 * command runs): OpenClaw will not start on a file it refuses, and claw will
 * not run on it either (exit 2). A claw key in openclaw.json still works in
 * claw, but OpenClaw refuses the file all the same.
 */
void check_config_files(struct ctx *c)
{
	const struct cfg_problems *p = &c->cfg->problems;

	for (size_t i = 0; i < p->n; i++) {
		const struct cfg_problem *q = &p->v[i];
		struct buf title = { 0 };
		if (q->warning) {
			buf_printf(&title, "openclaw.json holds claw's own key %s", q->path);
			report_addf(
			    c, "config.claw_key_in_openclaw_json", SEV_CRITICAL, title.p,
			    "Move it to claw.json: claw-audit check --fix moves it, keeping "
			    "comments, with a numbered backup of openclaw.json.",
			    "%s: %s", q->where, q->message);
		} else {
			buf_printf(&title, "Config is invalid at %s",
			           q->path[0] ? q->path : "the top");
			report_addf(
			    c, "config.invalid", SEV_CRITICAL, title.p,
			    "Correct the key as the detail says: every claw command refuses this "
			    "config (exit 2), as OpenClaw refuses to start on it.",
			    "%s: %s", q->where, q->message);
		}
		buf_free(&title);
	}
}

void check_summary(struct ctx *c)
{
	int n[3] = { 0, 0, 0 };
	struct buf d = { 0 };
	struct stat st;
	const char *exec_sec = exec_security(get(c->root, "tools.exec"), NULL);
	const char *ask = sget(c->root, "tools.exec.ask");

	each_section(c, policy_counts_fn, n);
	buf_printf(&d, "groups: open=%d, allowlist=%d", n[0], n[1]);
	buf_printf(&d, "\ntools.elevated: %s",
	           cJSON_IsFalse(get(c->root, "tools.elevated.enabled")) ? "disabled" : "enabled");
	buf_printf(&d, "\nhooks.webhooks: %s",
	           is_true(c->root, "hooks.enabled") ? "enabled" : "disabled");
	buf_printf(&d, "\nhooks.internal: %s",
	           is_true(c->root, "hooks.internal.enabled") ? "enabled" : "disabled");
	buf_printf(&d, "\nbrowser control: %s",
	           cJSON_IsFalse(get(c->root, "browser.enabled")) ? "disabled" : "enabled");
	buf_printf(&d, "\nsandbox: mode=%s, scope=%s, backend=%s, workspaceAccess=%s",
	           sandbox_setting(c, NULL, "mode", "off"),
	           sandbox_setting(c, NULL, "scope", "agent"),
	           sandbox_setting(c, NULL, "backend", "native"),
	           sandbox_setting(c, NULL, "workspaceAccess", "none"));
	buf_printf(&d, "\nexec: security=%s, ask=%s", exec_sec ? exec_sec : "unset (host: full)",
	           ask ? ask : "off");
	buf_printf(&d, "\nsession.dmScope: %s", dm_scope(c));
	buf_printf(&d, "\nconfig: %s",
	           c->cfg->exists ? c->cfg->path : "none (built-in secure preset)");
	if (stat(c->log_path, &st) == 0)
		buf_printf(&d, "\ndecision log: %s (%lld bytes)", c->log_path,
		           (long long)st.st_size);
	else
		buf_printf(&d, "\ndecision log: none yet (%s)", c->log_path);
	buf_puts(&d, "\ntrust model: one trusted operator per installation; mutually untrusted "
	             "users need installations of their own");
	report_add(c, "summary.attack_surface", SEV_INFO, "Attack surface summary", d.p, NULL);
	buf_free(&d);
}
