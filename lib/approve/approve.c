/* approve.c: the decision table, the policy it reads, and what it writes (see approve.h). */
#include "approve/approve.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "approve/analyse.h"
#include "approve/keep.h"
#include "ask/ask.h"
#include "session/session.h"
#include "core/alloc.h"
#include "core/util.h"

static enum exec_security min_security(enum exec_security a, enum exec_security b)
{
	return a < b ? a : b;
}

static enum exec_ask max_ask(enum exec_ask a, enum exec_ask b)
{
	return a > b ? a : b;
}

/* ---- the policy of one agent ---- */

static const char *const security_choices[] = { "deny", "allowlist", "full", NULL };
static const char *const ask_choices[] = { "off", "on-miss", "always", NULL };

/* tools.exec.mode: OpenClaw's shorthands (resolveExecPolicyForMode). claw has no
 * automatic reviewer, so "auto" asks as "ask" does. */
static const struct {
	const char *mode;
	enum exec_security security;
	enum exec_ask ask;
} modes[] = {
	{ "deny", SEC_DENY, ASK_OFF },         { "allowlist", SEC_ALLOWLIST, ASK_OFF },
	{ "ask", SEC_ALLOWLIST, ASK_ON_MISS }, { "auto", SEC_ALLOWLIST, ASK_ON_MISS },
	{ "full", SEC_FULL, ASK_OFF },
};
static const char *const mode_choices[] = { "deny", "allowlist", "ask", "auto", "full", NULL };

const char *approve_mode_security(const char *mode)
{
	for (size_t i = 0; i < NELEM(modes); i++)
		if (strcmp(mode, modes[i].mode) == 0)
			return security_name(modes[i].security);
	return NULL;
}

/* The agent's tools.exec.KEY when it sets one, else the global one. */
static const cJSON *pick(const cJSON *agent_exec, const cJSON *exec, const char *key)
{
	const cJSON *v = agent_exec ? cJSON_GetObjectItemCaseSensitive(agent_exec, key) : NULL;
	return v != NULL ? v : exec ? cJSON_GetObjectItemCaseSensitive(exec, key) : NULL;
}

static int object_or_absent(const struct config *cfg, const cJSON *node, const char *what)
{
	if (node != NULL && !cJSON_IsObject(node))
		return cfg_error(cfg, node, "%s must be an object", what);
	return 0;
}

/*
 * security, ask and mode combine stricter-wins: a mode and an explicit value
 * that disagree give the stricter of the two, never the looser.
 */
static int load_exec(struct agent_policy *p, const struct config *cfg, const cJSON *aexec,
                     const cJSON *gexec)
{
	const char *sec = NULL, *ask = NULL, *mode = NULL;
	bool strict = false;

	if (cfg_enum(cfg, pick(aexec, gexec, "security"), "tools.exec.security", security_choices,
	             &sec) < 0 ||
	    cfg_enum(cfg, pick(aexec, gexec, "ask"), "tools.exec.ask", ask_choices, &ask) < 0 ||
	    cfg_enum(cfg, pick(aexec, gexec, "mode"), "tools.exec.mode", mode_choices, &mode) < 0 ||
	    cfg_bool(cfg, pick(aexec, gexec, "strictInlineEval"), "tools.exec.strictInlineEval",
	             &strict) < 0)
		return -1;
	p->security = SEC_FULL;
	p->ask = ASK_OFF;
	for (size_t i = 0; mode && i < NELEM(modes); i++) {
		if (strcmp(mode, modes[i].mode) == 0) {
			p->has_security = true;
			p->security = modes[i].security;
			p->ask = modes[i].ask;
		}
	}
	enum exec_security s;
	enum exec_ask a;
	if (sec && security_parse(sec, &s)) {
		p->security = p->has_security ? min_security(p->security, s) : s;
		p->has_security = true;
	}
	if (ask && ask_parse(ask, &a))
		p->ask = max_ask(p->ask, a);
	p->explicit_deny = (sec && strcmp(sec, "deny") == 0) || (mode && strcmp(mode, "deny") == 0);
	p->strict_inline_eval = strict;
	return 0;
}

static int load_elevated(struct agent_policy *p, const struct config *cfg, const cJSON *agent)
{
	const cJSON *g = cfg_get(cfg->root, "tools.elevated");
	const cJSON *a = cfg_get(agent, "tools.elevated");
	bool enabled = true, agent_enabled = true;

	if (object_or_absent(cfg, g, "tools.elevated") < 0 ||
	    object_or_absent(cfg, a, "agents.list[].tools.elevated") < 0 ||
	    cfg_bool(cfg, cfg_get(g, "enabled"), "tools.elevated.enabled", &enabled) < 0 ||
	    cfg_bool(cfg, cfg_get(a, "enabled"), "tools.elevated.enabled", &agent_enabled) < 0 ||
	    object_or_absent(cfg, cfg_get(g, "allowFrom"), "tools.elevated.allowFrom") < 0 ||
	    object_or_absent(cfg, cfg_get(a, "allowFrom"), "tools.elevated.allowFrom") < 0)
		return -1;
	p->elevated.enabled = enabled;
	p->elevated.agent_disabled = !agent_enabled;
	p->elevated.allow_from = cfg_get(g, "allowFrom");
	p->elevated.agent_allow = cfg_get(a, "allowFrom");
	return 0;
}

static int load_policy(struct approve_ctx *ctx, struct agent_policy *p, const char *id)
{
	const struct config *cfg = ctx->cfg;
	const cJSON *agent = cfg_agent(cfg, id);
	const cJSON *gexec = cfg_get(cfg->root, "tools.exec");
	const cJSON *aexec = cfg_get(agent, "tools.exec");

	memset(p, 0, sizeof(*p));
	p->id = xstrdup(id);
	if (object_or_absent(cfg, gexec, "tools.exec") < 0 ||
	    object_or_absent(cfg, aexec, "agents.list[].tools.exec") < 0 ||
	    load_exec(p, cfg, aexec, gexec) < 0 || load_elevated(p, cfg, agent) < 0 ||
	    safebins_load(&p->safebins, cfg, aexec, gexec) < 0)
		return -1;
	approvals_for_agent(&ctx->file, p->id, &p->file); /* p->id: the entries keep it */
	p->file_gen = ctx->file_gen;
	return 0;
}

static void free_policy(struct agent_policy *p)
{
	free(p->id);
	safebins_free(&p->safebins);
	approvals_agent_free(&p->file);
}

static struct agent_policy *policy_for(struct approve_ctx *ctx, const char *id)
{
	struct agent_policy *p = NULL;

	for (size_t i = 0; i < ctx->nagents && p == NULL; i++)
		if (strcmp(ctx->agents[i].id, id) == 0)
			p = &ctx->agents[i];
	if (p == NULL) {
		ALLOC_GROW(ctx->agents, ctx->nagents + 1, ctx->capagents);
		p = &ctx->agents[ctx->nagents];
		if (load_policy(ctx, p, id) < 0) {
			free_policy(p);
			return NULL;
		}
		ctx->nagents++;
	}
	if (p->file_gen != ctx->file_gen) {
		approvals_agent_free(&p->file);
		approvals_for_agent(&ctx->file, p->id, &p->file); /* p->id: the entries keep it */
		p->file_gen = ctx->file_gen;
	}
	return p;
}

/* ---- set-up ---- */

static int read_settings(struct approve_ctx *ctx)
{
	const struct config *cfg = ctx->cfg;
	const cJSON *ax = cfg_get(cfg->root, "approvals.exec");

	if (object_or_absent(cfg, cfg_get(cfg->root, "approvals"), "approvals") < 0 ||
	    object_or_absent(cfg, ax, "approvals.exec") < 0 ||
	    cfg_bool(cfg, cfg_get(ax, "applyInSandbox"), "approvals.exec.applyInSandbox",
	             &ctx->apply_in_sandbox) < 0 ||
	    cfg_bool(cfg, cfg_get(ax, "allowShellBuiltins"), "approvals.exec.allowShellBuiltins",
	             &ctx->builtins_on) < 0 ||
	    cfg_bool(cfg, cfg_get(ax, "trash"), "approvals.exec.trash", &ctx->trash) < 0)
		return -1;
	return 0;
}

/* Every agent the config names is read now, so a config error stops claw
 * before the first record rather than at the first record of that agent. */
static int check_agents(struct approve_ctx *ctx)
{
	const cJSON *list = cfg_get(ctx->cfg->root, "agents.list"), *e;
	char id[SESSION_ID_MAX];

	if (policy_for(ctx, norm_agent_id(cfg_default_agent(ctx->cfg), id)) == NULL)
		return -1;
	if (!cJSON_IsArray(list))
		return 0;
	cJSON_ArrayForEach(e, list)
	{
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "id");
		if (cJSON_IsString(n) && policy_for(ctx, norm_agent_id(n->valuestring, id)) == NULL)
			return -1;
	}
	return 0;
}

int approve_init(struct approve_ctx *ctx, const struct config *cfg)
{
	char cwd[PATH_MAX];
	const char *path = getenv("PATH");

	memset(ctx, 0, sizeof(*ctx));
	ctx->cfg = cfg;
	guard_init(&ctx->guard, cfg);
	if (read_settings(ctx) < 0)
		return -1;
	ctx->approvals_path = state_path(cfg, "exec-approvals.json");
	if (approvals_load(&ctx->file, ctx->approvals_path) < 0)
		return claw_fail("%s (claw never rewrites a file it cannot read: fix it or move it "
		                 "away)",
		                 claw_error());
	ctx->file_ok = true;
	ctx->file_gen = 1;
	ctx->process_path = path ? xstrdup(path) : NULL;
	ctx->process_cwd = xstrdup(getcwd(cwd, sizeof(cwd)) ? cwd : "/");
	return check_agents(ctx);
}

void approve_free(struct approve_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nagents; i++)
		free_policy(&ctx->agents[i]);
	for (size_t i = 0; i < ctx->nuses; i++) {
		struct approve_use *u = &ctx->uses[i];
		free(u->list);
		free(u->id);
		free(u->pattern);
		free(u->arg_pattern);
		free(u->command);
		free(u->resolved);
	}
	free(ctx->uses);
	free(ctx->agents);
	approvals_free(&ctx->file);
	free(ctx->approvals_path);
	free(ctx->file_error);
	free(ctx->process_path);
	free(ctx->process_cwd);
	if (ctx->watching)
		exec_cache_disable();
	memset(ctx, 0, sizeof(*ctx));
}

void approve_watch(struct approve_ctx *ctx)
{
	ctx->watching = exec_cache_enable() == 0 && exec_cache_watch(ctx->guard.state) == 0;
	if (!ctx->watching)
		exec_cache_disable();
	ctx->unseen = true; /* a change made before the watch began sends no event */
}

int approve_refresh(struct approve_ctx *ctx)
{
	struct approvals fresh;

	/* Drains the change events; with none, neither file nor PATH changed. */
	if (!exec_cache_check() && ctx->watching && !ctx->unseen)
		return ctx->file_ok ? 0 : -1;
	ctx->unseen = false;
	/* A state directory made since the last look is watched from now on. */
	if (ctx->watching && exec_cache_watch(ctx->guard.state) < 0)
		ctx->watching = false;
	if (!approvals_changed(&ctx->file))
		return ctx->file_ok ? 0 : -1;
	if (approvals_load(&fresh, ctx->approvals_path) < 0) {
		/* Refused from now on; the stat of the bad file is kept so it is
		 * read again only once it changes. */
		free(ctx->file_error);
		ctx->file_error = xstrdup(claw_error());
		ctx->file_ok = false;
		ctx->file.exists = fresh.exists;
		ctx->file.st = fresh.st;
		approvals_free(&fresh);
		return -1;
	}
	approvals_free(&ctx->file);
	ctx->file = fresh;
	ctx->file_ok = true;
	ctx->file_gen++;
	return 0;
}

/* ---- the request ---- */

/* Environment overrides a human need not see: OpenClaw's pass list for
 * shell-wrapper runs (system.run on a node host). Any other name can change what
 * a program loads or where it goes (LD_PRELOAD, GIT_SSH_COMMAND, PATH). */
static const char *const env_pass[] = {
	"TERM", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "COLORTERM", "NO_COLOR", "FORCE_COLOR",
};

static const char *env_needing_human(const cJSON *env)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, env)
	{
		bool pass = strncmp(v->string, "LC_", 3) == 0;
		for (size_t i = 0; i < NELEM(env_pass) && !pass; i++)
			pass = strcmp(v->string, env_pass[i]) == 0;
		/* A pager that is cat, or none, shows nothing new (OpenClaw's exception). */
		if ((strcmp(v->string, "PAGER") == 0 || strcmp(v->string, "GIT_PAGER") == 0) &&
		    cJSON_IsString(v) && (strcmp(v->valuestring, "cat") == 0 || !v->valuestring[0]))
			pass = true;
		if (!pass)
			return v->string;
	}
	return NULL;
}

static int set_cwd(struct approve_ctx *ctx, const char *cwd, struct approve_result *res)
{
	if (cwd == NULL)
		cwd = ctx->process_cwd;
	if (cwd[0] != '/')
		return claw_fail("args.workdir must be an absolute path");
	/* `..` after a symlink is the parent of its target: only the kernel knows. */
	if (strstr(cwd, "..") != NULL && realpath(cwd, res->cwd) != NULL)
		return 0;
	if (path_join("/", cwd, res->cwd, sizeof(res->cwd)) < 0)
		return claw_fail("args.workdir is too long");
	return 0;
}

static const char *path_of(const struct approve_ctx *ctx, const cJSON *env)
{
	const cJSON *p = env ? cJSON_GetObjectItemCaseSensitive(env, "PATH") : NULL;
	return p != NULL && cJSON_IsString(p) ? p->valuestring : ctx->process_path;
}

/* ---- outcomes ---- */

static void decide(struct approve_result *res, enum approve_decision d, const char *via,
                   const char *reason)
{
	res->decision = d;
	res->via = via;
	res->reason = reason;
}

__attribute__((format(printf, 3, 4))) static void deny(struct approve_result *res, const char *via,
                                                       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->reason_buf, sizeof(res->reason_buf), fmt, ap);
	va_end(ap);
	decide(res, DECIDE_DENY, via, res->reason_buf);
}

/* ---- elevated ---- */

/* One tools.elevated.allowFrom entry against the sender: "*", or the id with
 * any of OpenClaw's prefixes (names compare without case, usernames without @). */
static bool allow_from_entry(const char *entry, const char *sender)
{
	static const char *const exact[] = { "id:", "from:", "e164:" };
	static const char *const folded[] = { "name:", "username:", "tag:" };

	if (strcmp(entry, "*") == 0)
		return true;
	if (sender == NULL)
		return false;
	for (size_t i = 0; i < NELEM(exact); i++)
		if (strncmp(entry, exact[i], strlen(exact[i])) == 0)
			return strcmp(entry + strlen(exact[i]), sender) == 0;
	for (size_t i = 0; i < NELEM(folded); i++) {
		if (strncmp(entry, folded[i], strlen(folded[i])) == 0) {
			const char *e = entry + strlen(folded[i]);
			e += *e == '@';
			return strcasecmp(e, sender + (*sender == '@')) == 0;
		}
	}
	return strcmp(entry, sender) == 0;
}

static bool allow_from(const cJSON *table, const char *channel, const char *sender)
{
	const cJSON *list = channel ? cJSON_GetObjectItemCaseSensitive(table, channel) : NULL, *e;

	if (!cJSON_IsArray(list))
		return false;
	cJSON_ArrayForEach(e, list)
	{
		if (cJSON_IsString(e) && allow_from_entry(e->valuestring, sender))
			return true;
	}
	return false;
}

/* The tools.elevated gates; false when the request is refused (res says why). */
static bool elevated_allowed(const struct agent_policy *p, const struct approve_request *req,
                             struct approve_result *res)
{
	const struct elevated_settings *e = &p->elevated;

	if (!e->enabled || e->agent_disabled) {
		deny(res, "policy", "elevated-not-allowed (tools.elevated.enabled is false)");
		return false;
	}
	/* No origin: the local operator, who needs no allowFrom entry. */
	if (req->has_origin &&
	    (!allow_from(e->allow_from, req->channel, req->sender) ||
	     (e->agent_allow && !allow_from(e->agent_allow, req->channel, req->sender)))) {
		deny(res, "policy",
		     "elevated-not-allowed (sender not in tools.elevated.allowFrom.%s)",
		     req->channel ? req->channel : "<channel>");
		return false;
	}
	res->elevated = true;
	return true;
}

/* ---- the decision ---- */

static int effective(const struct approve_ctx *ctx, const struct agent_policy *p,
                     const struct approve_request *req, struct approve_result *res)
{
	enum exec_security s;
	enum exec_ask a;

	(void)ctx;
	res->security = p->has_security ? p->security : SEC_FULL;
	res->ask = p->ask;
	if (p->file.has_security)
		res->security = min_security(res->security, p->file.security);
	if (p->file.has_ask)
		res->ask = max_ask(res->ask, p->file.ask);
	/* Per call: security can only tighten, ask only rise. */
	if (req->call_security != NULL) {
		if (!security_parse(req->call_security, &s))
			return claw_fail("args.security must be deny, allowlist or full");
		res->security = min_security(res->security, s);
	}
	if (req->call_ask != NULL) {
		if (!ask_parse(req->call_ask, &a))
			return claw_fail("args.ask must be off, on-miss or always");
		res->ask = max_ask(res->ask, a);
	}
	res->fallback =
	    min_security(p->file.has_fallback ? p->file.fallback : SEC_DENY, res->security);
	return 0;
}

static const char *via_of_segments(const struct approve_result *res)
{
	bool bins = true, builtins = true;

	for (int i = 0; i < res->nsegs; i++) {
		bins &= res->segs[i].satisfied == SAT_SAFE_BINS;
		builtins &= res->segs[i].satisfied == SAT_SAFE_BUILTINS;
	}
	return bins ? "safe-bin" : builtins ? "safe-builtin" : "allowlist";
}

/* The word for asking when the allow list is not satisfied. */
static const char *miss_word(const struct approve_result *res, const char *env_name)
{
	if (env_name != NULL)
		return "env-override";
	for (int i = 0; i < res->nsegs; i++)
		if (res->segs[i].asked != NULL && res->segs[i].satisfied == SAT_NONE)
			return res->segs[i].asked;
	return "allowlist-miss";
}

/* No one could be asked: askFallback, never looser than security. */
static void fallback(struct approve_result *res, bool satisfied)
{
	if (res->human_only) {
		deny(res, "fallback", "approval-timeout (%s)", res->asked);
		return;
	}
	switch (res->fallback) {
	case SEC_FULL:
		decide(res, DECIDE_ALLOW, "fallback", "askFallback=full");
		break;
	case SEC_ALLOWLIST:
		if (satisfied)
			decide(res, DECIDE_ALLOW, "fallback", "askFallback=allowlist");
		else
			decide(res, DECIDE_DENY, "fallback", "approval-timeout (allowlist-miss)");
		break;
	case SEC_DENY:
		decide(res, DECIDE_DENY, "fallback", "approval-timeout");
		break;
	}
}

/* The question, as lib/ask.c puts it to a person: each segment not allowed
 * without asking, with its resolved program and why. */
static void ask_question(const struct approve_ctx *ctx, const struct approve_request *req,
                         const struct approve_result *res, struct ask_request *q,
                         struct ask_segment *segs, struct buf *words)
{
	size_t *starts = xcalloc((size_t)res->nsegs + 1, sizeof(*starts));
	size_t n = 0;

	for (int i = 0; i < res->nsegs; i++) {
		const struct seg_report *s = &res->segs[i];
		if (s->satisfied != SAT_NONE)
			continue;
		starts[n] = words->len;
		for (int w = 0; w < s->argc; w++) {
			if (w > 0)
				buf_putc(words, ' ');
			shell_quote(words, s->argv[w]);
		}
		buf_putc(words, '\0');
		segs[n].path = s->file.found ? s->file.path : NULL;
		segs[n].why = s->why ? s->why : "not allowed without asking";
		n++;
	}
	/* The words live in one buffer that may have moved: point into it last. */
	for (size_t i = 0; i < n; i++)
		segs[i].argv = words->p + starts[i];
	free(starts);
	*q = (struct ask_request){
		.agent = req->agent,
		.session_key = req->session_key,
		.command = req->command,
		.cwd = res->cwd,
		.host = req->sandboxed ? "sandbox" : "host",
		.security = security_name(res->security),
		.ask = ask_name(res->ask),
		.segments = segs,
		.nsegments = n,
		/* OpenClaw offers only once and deny under ask=always; a guard hit is
		 * never made permanent. */
		.offer_always =
		    res->ask != ASK_ALWAYS && !res->human_only && res->security == SEC_ALLOWLIST,
		.fallback = security_name(res->fallback),
		.origin_channel = req->has_origin ? req->channel : NULL,
		.origin_to = req->origin_to,
		.origin_account = req->origin_account,
		.origin_thread = req->origin_thread,
	};
	(void)ctx;
}

/* Puts the question to a person, if anyone can be asked. */
static enum ask_decision ask_person(struct approve_ctx *ctx, const struct approve_request *req,
                                    struct approve_result *res)
{
	struct ask_request q;
	struct ask_result answer = { .decision = ASK_UNAVAILABLE };
	struct ask_segment *segs;
	struct buf words = { 0 };

	if (ctx->ask == NULL) {
		snprintf(res->note, sizeof(res->note), "no way to ask");
		return ASK_UNAVAILABLE;
	}
	segs = xcalloc((size_t)res->nsegs + 1, sizeof(*segs));
	ask_question(ctx, req, res, &q, segs, &words);
	if (ask_human(ctx->ask, &q, &answer) < 0) {
		snprintf(answer.note, sizeof(answer.note), "%s", claw_error());
		answer.decision = ASK_UNAVAILABLE;
	}
	snprintf(res->by, sizeof(res->by), "%s", answer.by);
	snprintf(res->id, sizeof(res->id), "%s", answer.id);
	snprintf(res->note, sizeof(res->note), "%s", answer.note);
	res->waited_ms = answer.waited_ms;
	res->forged = answer.forged;
	if (answer.via[0] != '\0')
		snprintf(res->via_buf, sizeof(res->via_buf), "%s", answer.via);
	buf_free(&words);
	free(segs);
	return answer.decision;
}

static void ask(struct approve_ctx *ctx, const struct approve_request *req,
                struct approve_result *res, bool satisfied)
{
	switch (ask_person(ctx, req, res)) {
	case ASK_UNAVAILABLE:
	case ASK_TIMEOUT:
		fallback(res, satisfied);
		break;
	case ASK_DEFERRED:
		/* --defer: the caller's own prompt asks; claw allows nothing itself. */
		decide(res, DECIDE_DENY, "runtime", "deferred");
		break;
	case ASK_DENY:
		/* Ctrl-C at the prompt is a refusal too, said as such. */
		decide(res, DECIDE_DENY, res->via_buf,
		       strcmp(res->via_buf, "signal") == 0 ? "interrupted" : "user-denied");
		break;
	case ASK_ALLOW_ALWAYS:
		/* Persisted only under security=allowlist, and never for a guard hit. */
		decide(res, DECIDE_ALLOW, res->via_buf, "allow-always");
		if (res->security == SEC_ALLOWLIST && !res->human_only &&
		    approve_persist(ctx, res, req->agent) < 0) {
			snprintf(res->reason_buf, sizeof(res->reason_buf),
			         "allow-always (not saved: %s)", claw_error());
			res->reason = res->reason_buf;
		}
		break;
	case ASK_ALLOW_ONCE:
		decide(res, DECIDE_ALLOW, res->via_buf, "allow-once");
		break;
	}
}

static void decide_host(struct approve_ctx *ctx, const struct approve_request *req,
                        struct approve_result *res)
{
	const char *env_name = res->security == SEC_ALLOWLIST ? env_needing_human(req->env) : NULL;
	bool satisfied = analyse_satisfied(res) && env_name == NULL;
	/* strictInlineEval: code on the command line needs a person whatever
	 * security says, and no fallback or allow-always stands in (OpenClaw). */
	bool inline_eval = analyse_inline_eval(res);

	if (res->guard.verdict == GUARD_DENY) {
		deny(res, "policy", "%s", res->guard.reason);
		return;
	}
	if (res->security == SEC_DENY) {
		decide(res, DECIDE_DENY, "policy", "security=deny");
		return;
	}
	res->human_only = inline_eval;
	if (res->guard.verdict == GUARD_ASK) {
		res->asked = res->guard.reason;
		res->human_only = true;
	} else if (res->keep.unrecoverable != NULL) {
		/* approvals.exec.trash: what cannot be brought back is never lost unseen. */
		res->asked = "not recoverable";
		if (res->ask == ASK_OFF) {
			deny(res, "policy", "not recoverable (%s)", res->keep.unrecoverable);
			return;
		}
	} else if (res->ask == ASK_ALWAYS) {
		res->asked = "ask=always";
	} else if (inline_eval) {
		res->asked = "strict-inline-eval";
	} else if (res->security == SEC_FULL) {
		decide(res, DECIDE_ALLOW,
		       res->elevated && req->elevated && strcmp(req->elevated, "full") == 0
		           ? "elevated"
		           : "full",
		       "security=full");
		return;
	} else if (satisfied) {
		decide(res, DECIDE_ALLOW, via_of_segments(res), "allowlist");
		return;
	} else {
		res->asked = miss_word(res, env_name);
		if (res->ask == ASK_OFF) {
			decide(res, DECIDE_DENY, "policy", "allowlist-miss");
			return;
		}
	}
	ask(ctx, req, res, satisfied);
}

static void reset(struct approve_result *res)
{
	res->decision = DECIDE_DENY;
	res->via = res->reason = res->asked = NULL;
	res->by[0] = res->id[0] = res->note[0] = res->via_buf[0] = '\0';
	res->waited_ms = 0;
	res->forged = false;
	res->human_only = res->elevated = res->analysed = res->analysis_ok = false;
	res->analysis_error[0] = '\0';
	res->cwd[0] = '\0';
	memset(&res->guard, 0, sizeof(res->guard));
	res->nsegs = 0;
	res->nshells = 0;
	res->keep.on = false;
	res->keep.n = 0;
	res->keep.unrecoverable = NULL;
}

int approve_decide(struct approve_ctx *ctx, const struct approve_request *req,
                   struct approve_result *res)
{
	struct agent_policy *p;

	reset(res);
	if ((p = policy_for(ctx, req->agent)) == NULL || effective(ctx, p, req, res) < 0)
		return -1;
	bool elevated = req->elevated != NULL && strcmp(req->elevated, "off") != 0;
	if (req->sandboxed && !elevated && !ctx->apply_in_sandbox) {
		if (p->explicit_deny || res->security == SEC_DENY)
			decide(res, DECIDE_DENY, "policy", "security=deny");
		else
			decide(res, DECIDE_ALLOW, "sandbox",
			       "runs in the sandbox: approvals do not apply");
		return 0;
	}
	if (!ctx->file_ok) {
		deny(res, "policy", "exec-approvals.json refused: %s", ctx->file_error);
		return 0;
	}
	if (elevated && !elevated_allowed(p, req, res))
		return 0;
	if (set_cwd(ctx, req->cwd, res) < 0)
		return -1;
	struct analyse_in in = { ctx, p, req->command, path_of(ctx, req->env) };
	analyse_command(&in, res);
	/* Only a run on the host is the trash's: the sandbox keeps its own journal. */
	res->keep.on = ctx->trash && (!req->sandboxed || elevated);
	keep_plan(res, &res->keep);
	decide_host(ctx, req, res);
	return 0;
}

void approve_result_free(struct approve_result *res)
{
	for (size_t i = 0; i < res->shellcap; i++)
		shell_free(&res->shells[i]);
	free(res->shells);
	free(res->segs);
	keep_plan_free(&res->keep);
	memset(res, 0, sizeof(*res));
}

/* ---- the approval member ---- */

static const char *const need_names[] = { "any", "bound", "human" };
static const char *const satisfied_names[] = { NULL, "allowlist", "safeBins", "safeBuiltins" };

static void put_str_member(struct buf *b, const char *name, const char *value)
{
	buf_puts(b, ",\"");
	buf_puts(b, name);
	buf_puts(b, "\":");
	if (value != NULL)
		buf_json_str(b, value);
	else
		buf_puts(b, "null");
}

/* What a segment deletes or replaces, for the trash and for people:
 * "destroys":[{"path","use","recover","tree","base"}]. */
static void render_destroys(const struct model_report *m, struct buf *b)
{
	bool first = true;

	buf_puts(b, ",\"destroys\":[");
	for (int i = 0; i < m->npaths; i++) {
		const struct model_path *p = &m->paths[i];
		if (p->use != MODEL_DELETE && p->use != MODEL_OVERWRITE)
			continue;
		buf_puts(b, first ? "{\"path\":" : ",{\"path\":");
		first = false;
		buf_json_str(b, p->path);
		put_str_member(b, "use", model_use_name(p->use));
		put_str_member(b, "recover", model_recover_name(p->recover));
		if (p->tree)
			buf_puts(b, ",\"tree\":true");
		if (p->base != NULL)
			put_str_member(b, "base", p->base);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

static void render_segment(const struct seg_report *s, struct buf *b)
{
	buf_puts(b, "{\"argv\":[");
	for (int i = 0; i < s->argc; i++) {
		if (i > 0)
			buf_putc(b, ',');
		buf_json_str(b, s->argv[i]);
	}
	buf_putc(b, ']');
	if (s->depth > 0)
		buf_printf(b, ",\"depth\":%d", s->depth);
	if (s->nwrappers > 0) {
		buf_puts(b, ",\"wrappers\":[");
		for (int i = 0; i < s->nwrappers; i++) {
			if (i > 0)
				buf_putc(b, ',');
			buf_json_str(b, s->wrappers[i]);
		}
		buf_putc(b, ']');
	}
	put_str_member(b, "path", s->file.found ? s->file.path : NULL);
	if (s->file.found && s->file.real[0] && strcmp(s->file.real, s->file.path) != 0)
		put_str_member(b, "realpath", s->file.real);
	put_str_member(b, "match", s->match ? s->match->raw_pattern : NULL);
	if (s->match && s->match->id)
		put_str_member(b, "entry", s->match->id);
	put_str_member(b, "satisfiedBy", satisfied_names[s->satisfied]);
	if (s->need != NEED_ANY)
		put_str_member(b, "need", need_names[s->need]);
	if (s->satisfied == SAT_NONE && s->why != NULL)
		put_str_member(b, "why", s->why);
	if (s->script_set)
		put_str_member(b, "script", s->script.path);
	if (model_destructive(&s->model))
		render_destroys(&s->model, b);
	buf_putc(b, '}');
}

void approve_render(const struct approve_result *res, struct buf *b)
{
	buf_puts(b, "{\"decision\":");
	buf_puts(b, res->decision == DECIDE_ALLOW ? "\"allow\"" : "\"deny\"");
	put_str_member(b, "via", res->via);
	put_str_member(b, "reason", res->reason);
	if (res->id[0] != '\0')
		put_str_member(b, "id", res->id);
	if (res->by[0] != '\0')
		put_str_member(b, "by", res->by);
	if (res->id[0] != '\0')
		buf_printf(b, ",\"waitedMs\":%ld", res->waited_ms);
	if (res->forged)
		buf_puts(b, ",\"forgedAnswer\":true");
	if (res->note[0] != '\0' && res->via != NULL && strcmp(res->via, "fallback") == 0)
		put_str_member(b, "note", res->note);
	if (res->asked != NULL)
		put_str_member(b, "asked", res->asked);
	put_str_member(b, "security", security_name(res->security));
	put_str_member(b, "ask", ask_name(res->ask));
	put_str_member(b, "askFallback", security_name(res->fallback));
	if (res->elevated)
		buf_puts(b, ",\"elevated\":true");
	if (!res->analysed) {
		buf_putc(b, '}');
		return;
	}
	put_str_member(b, "cwd", res->cwd);
	buf_puts(b,
	         res->analysis_ok ? ",\"analysis\":{\"ok\":true}" : ",\"analysis\":{\"ok\":false");
	if (!res->analysis_ok) {
		put_str_member(b, "error", res->analysis_error);
		buf_putc(b, '}');
	}
	if (res->guard.verdict != GUARD_PASS) {
		buf_puts(b, ",\"guard\":{\"reason\":");
		buf_json_str(b, res->guard.reason);
		put_str_member(b, "detail", res->guard.detail);
		buf_putc(b, '}');
	}
	buf_puts(b, ",\"segments\":[");
	for (int i = 0; i < res->nsegs; i++) {
		if (i > 0)
			buf_putc(b, ',');
		render_segment(&res->segs[i], b);
	}
	buf_putc(b, ']');
	if (res->keep.on)
		keep_plan_render(res, &res->keep, b);
	buf_putc(b, '}');
}
