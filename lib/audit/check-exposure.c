/* check-exposure.c: claw-audit check, which tools open conversations reach, asked of claw-policy.
 */
#include "audit/seccheck-int.h"

#include <stdio.h>
#include <stdlib.h>

#include "sandbox/sandbox.h"

/* Tools that run commands, touch files, or change the gateway (OpenClaw's exposure checks). */
static const char *const runtime_tools[] = { "exec", "process" };
static const char *const fs_tools[] = { "read", "write", "edit", "apply_patch" };
static const char *const control_plane_tools[] = { "automations", "gateway", "plugins" };

/* Whether LIST names TOOL (both normalised as the policy does: trimmed, lower-cased,
 * aliases applied). */
bool list_has_name(const cJSON *list, const char *tool)
{
	const cJSON *e;
	char want[128], have[128];

	catalog_normalize(tool, want, sizeof(want));
	cJSON_ArrayForEach(e, list)
	{
		if (!cJSON_IsString(e))
			continue;
		catalog_normalize(e->valuestring, have, sizeof(have));
		if (strcmp(have, want) == 0)
			return true;
	}
	return false;
}

/*
 * Whether claw-policy lets AGENT (NULL: agents.defaults, no agent's own
 * layer) use TOOL: tp_decide in the context of the agent's main session, its
 * owner asking, outside a sandbox. A config claw-policy refuses allows nothing
 * (config.invalid says why).
 */
static bool tool_allowed(const struct ctx *c, const cJSON *agent, const char *tool)
{
	struct tp_request rq = { .agent = agent ? agent_id(agent) : NULL, .owner = true };
	struct tp_verdict v;

	if (c->tp == NULL)
		return false;
	tp_decide(tp_context_of(c->tp, &rq), tool, &v);
	return v.allowed;
}

/* AGENT's (NULL: the default agent's) sandbox KEY (mode, scope, backend or
 * workspaceAccess) as claw-sandbox reads it; DEF when the config is refused. */
const char *sandbox_setting(const struct ctx *c, const cJSON *agent, const char *key,
                            const char *def)
{
	struct sandbox_settings s;
	const char *v = NULL;

	if (sandbox_settings_basics(c->cfg, agent ? agent_id(agent) : NULL, &s) == 0)
		v = strcmp(key, "mode") == 0      ? s.mode
		    : strcmp(key, "scope") == 0   ? s.scope
		    : strcmp(key, "backend") == 0 ? s.backend
		                                  : s.access;
	sandbox_settings_free(&s);
	return v ? v : def;
}

static void allowed_of(const struct ctx *c, const cJSON *agent, const char *const *tools, size_t n,
                       struct buf *out)
{
	for (size_t i = 0; i < n; i++)
		if (tool_allowed(c, agent, tools[i]))
			buf_printf(out, "%s%s", out->len ? ", " : "", tools[i]);
}

size_t tool_contexts(const struct ctx *c, struct tool_ctx *out, size_t max)
{
	const cJSON *a;
	size_t n = 0;

	out[n].agent = NULL;
	snprintf(out[n++].label, sizeof(out->label), "agents.defaults");
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a) == NULL || n == max)
			continue;
		out[n].agent = a;
		snprintf(out[n++].label, sizeof(out->label), "agents.list.%s", agent_id(a));
	}
	return n;
}

/* OpenClaw's "risky tool exposure": exec/process outside sandbox mode all, or fs
 * tools outside it without tools.fs.workspaceOnly. */
static bool risky_contexts(const struct ctx *c, struct strvec *out)
{
	struct tool_ctx *ctxs = xcalloc(MAX_CONTEXTS, sizeof(*ctxs));
	size_t n = tool_contexts(c, ctxs, MAX_CONTEXTS);
	bool runtime_risk = false;
	struct buf rt = { 0 }, fs = { 0 }, line = { 0 };

	for (size_t i = 0; i < n; i++) {
		const char *mode = sandbox_setting(c, ctxs[i].agent, "mode", "off");
		const cJSON *wo = get(get(ctxs[i].agent, "tools"), "fs.workspaceOnly");
		if (wo == NULL)
			wo = get(c->root, "tools.fs.workspaceOnly");
		buf_reset(&rt);
		buf_reset(&fs);
		allowed_of(c, ctxs[i].agent, runtime_tools, NELEM(runtime_tools), &rt);
		allowed_of(c, ctxs[i].agent, fs_tools, NELEM(fs_tools), &fs);
		bool all = strcmp(mode, "all") == 0;
		bool rt_bad = rt.len > 0 && !all, fs_bad = fs.len > 0 && !all && !cJSON_IsTrue(wo);
		if (!rt_bad && !fs_bad)
			continue;
		runtime_risk |= rt_bad;
		buf_reset(&line);
		buf_printf(&line, "%s (sandbox=%s; runtime=[%s]; fs=[%s]; fs.workspaceOnly=%s)",
		           ctxs[i].label, mode, rt.len ? rt.p : "off", fs.len ? fs.p : "off",
		           cJSON_IsTrue(wo) ? "true" : "false");
		strvec_push(out, line.p);
	}
	buf_free(&rt);
	buf_free(&fs);
	buf_free(&line);
	free(ctxs);
	return runtime_risk;
}

void check_exposure(struct ctx *c)
{
	struct strvec open = { 0 }, risky = { 0 }, cp = { 0 };
	struct buf d = { 0 };

	open_inbound(c, &open);
	if (open.n == 0)
		goto done;
	if (!cJSON_IsFalse(get(c->root, "tools.elevated.enabled"))) {
		buf_puts(&d, "Found inbound policy=\"open\" at:");
		detail_lines(&d, &open);
		buf_puts(&d, "\nWith tools.elevated enabled, a prompt injection in one of those "
		             "conversations can run commands on the host, outside the sandbox.");
		report_add(c, "security.exposure.open_groups_with_elevated", SEV_CRITICAL,
		           "Open group/DM policy with elevated tools enabled", d.p,
		           "Set each listed policy to \"allowlist\" (or \"pairing\" for DMs) and "
		           "tools.elevated.enabled=false.");
	}
	bool runtime = risky_contexts(c, &risky);
	if (risky.n > 0) {
		buf_reset(&d);
		buf_puts(&d, "Found inbound policy=\"open\" at:");
		detail_lines(&d, &open);
		buf_puts(&d, "\nRisky tool exposure contexts:");
		detail_lines(&d, &risky);
		buf_puts(&d, "\nA prompt injection in an open conversation can run commands or "
		             "change files in these contexts.");
		report_add(
		    c, "security.exposure.open_groups_with_runtime_or_fs",
		    runtime ? SEV_CRITICAL : SEV_WARN,
		    "Open group/DM policy with runtime/filesystem tools exposed", d.p,
		    "For open groups or DMs deny group:runtime and group:fs (or use "
		    "tools.profile=\"messaging\"), set tools.fs.workspaceOnly=true, and "
		    "agents.defaults.sandbox.mode=\"all\" (the public preset does all of this).");
	}
	struct tool_ctx *ctxs = xcalloc(MAX_CONTEXTS, sizeof(*ctxs));
	size_t n = tool_contexts(c, ctxs, MAX_CONTEXTS);
	for (size_t i = 0; i < n; i++) {
		struct buf t = { 0 }, line = { 0 };
		allowed_of(c, ctxs[i].agent, control_plane_tools, NELEM(control_plane_tools), &t);
		if (t.len > 0) {
			const char *profile = sget(get(ctxs[i].agent, "tools"), "profile");
			if (profile == NULL)
				profile = sget(c->root, "tools.profile");
			buf_printf(&line, "%s (profile=%s; controlPlane=[%s])", ctxs[i].label,
			           profile ? profile : "none", t.p);
			strvec_push(&cp, line.p);
		}
		buf_free(&t);
		buf_free(&line);
	}
	free(ctxs);
	if (cp.n > 0) {
		buf_reset(&d);
		buf_puts(&d, "Found inbound policy=\"open\" at:");
		detail_lines(&d, &open);
		buf_puts(&d, "\nControl-plane tool exposure contexts:");
		detail_lines(&d, &cp);
		buf_puts(&d, "\nA prompt injection in an open conversation can schedule jobs, "
		             "change plugins or reconfigure the gateway.");
		report_add(
		    c, "security.exposure.open_groups_with_control_plane_tools", SEV_CRITICAL,
		    "Open group/DM policy with control-plane tools exposed", d.p,
		    "Deny automations, gateway and plugins (group:automation) where conversations "
		    "are open, and tighten dmPolicy/groupPolicy to pairing or allowlist.");
	}
done:
	strvec_clear(&open);
	strvec_clear(&risky);
	strvec_clear(&cp);
	buf_free(&d);
}

static bool has_group_targets(const cJSON *s)
{
	static const char *const keys[] = { "groups", "guilds", "channels", "rooms" };

	for (size_t i = 0; i < NELEM(keys); i++)
		if (cJSON_GetArraySize(get(s, keys[i])) > 0 && cJSON_IsObject(get(s, keys[i])))
			return true;
	return false;
}

/* A member of an account, or of its channel when the account leaves it out. */
static const cJSON *merged(const cJSON *channel, const cJSON *s, const char *key)
{
	const cJSON *v = get(s, key);
	return v ? v : (s != channel ? get(channel, key) : NULL);
}

static void multi_user_fn(struct ctx *c, const char *channel_name, const cJSON *s, const char *base,
                          void *arg)
{
	struct strvec *out = arg;
	const cJSON *channel = get(c->root, "channels");
	struct buf b = { 0 };

	channel = cJSON_GetObjectItemCaseSensitive(channel, channel_name);
	const cJSON *gp = merged(channel, s, "groupPolicy");
	const cJSON *dp = merged(channel, s, "dmPolicy");
	const cJSON *dm = merged(channel, s, "dm");
	if (cJSON_IsString(gp) && strcmp(gp->valuestring, "open") == 0)
		buf_printf(&b, "%s.groupPolicy=\"open\"", base);
	else if (cJSON_IsString(gp) && strcmp(gp->valuestring, "allowlist") == 0 &&
	         has_group_targets(s))
		buf_printf(&b, "%s.groupPolicy=\"allowlist\" with configured group targets", base);
	if (b.len) {
		strvec_push(out, b.p);
		buf_reset(&b);
	}
	if (cJSON_IsString(dp) && strcmp(dp->valuestring, "open") == 0)
		strvec_push(out, (buf_printf(&b, "%s.dmPolicy=\"open\"", base), b.p));
	buf_reset(&b);
	if (list_has_wildcard(merged(channel, s, "allowFrom")))
		strvec_push(out, (buf_printf(&b, "%s.allowFrom includes \"*\"", base), b.p));
	buf_reset(&b);
	if (list_has_wildcard(merged(channel, s, "groupAllowFrom")))
		strvec_push(out, (buf_printf(&b, "%s.groupAllowFrom includes \"*\"", base), b.p));
	buf_reset(&b);
	if (sget(dm, "policy") && strcmp(sget(dm, "policy"), "open") == 0)
		strvec_push(out, (buf_printf(&b, "%s.dm.policy=\"open\"", base), b.p));
	buf_reset(&b);
	if (list_has_wildcard(get(dm, "allowFrom")))
		strvec_push(out, (buf_printf(&b, "%s.dm.allowFrom includes \"*\"", base), b.p));
	buf_free(&b);
}

void check_trust_model(struct ctx *c)
{
	struct strvec signals = { 0 }, risky = { 0 };
	struct buf d = { 0 };

	if (sget(c->root, "session.groupScope") &&
	    strcmp(sget(c->root, "session.groupScope"), "main") == 0)
		report_add(
		    c, "security.trust_model.group_scope_main", SEV_WARN,
		    "Group rooms share the main session",
		    "session.groupScope=\"main\" merges every group and channel room into the "
		    "agent's main session: every member of every room shares its context, and "
		    "under sandbox mode non-main those rooms run on the host.",
		    "Set session.groupScope=\"per-group\", or keep \"main\" only for rooms whose "
		    "members you trust.");
	each_section(c, multi_user_fn, &signals);
	if (signals.n == 0)
		goto done;
	bool runtime = risky_contexts(c, &risky);
	buf_puts(&d, "These settings let more than one person reach the agent:");
	detail_lines(&d, &signals);
	buf_printf(&d, "\n%s",
	           runtime ? "Runtime tools (exec, process) are reachable outside a full sandbox "
	                     "in at least one context."
	                   : "No runtime tool is reachable outside a full sandbox.");
	if (risky.n) {
		buf_puts(&d, "\nContexts with tools that reach the host:");
		detail_lines(&d, &risky);
	}
	buf_puts(&d, "\nOpenClaw's model, and claw's, is one trusted operator per installation; it "
	             "does not isolate mutually untrusted users from each other on one gateway.");
	report_add(
	    c, "security.trust_model.multi_user_heuristic", SEV_WARN,
	    "Potential multi-user setup detected (personal-assistant model warning)", d.p,
	    "For mutually untrusted users run separate installations (separate OS users or "
	    "hosts). For a shared bot use the public preset: sandbox mode all, no runtime or "
	    "filesystem tools, no network (claw-audit check --preset public).");
done:
	strvec_clear(&signals);
	strvec_clear(&risky);
	buf_free(&d);
}
