/*
 * claw-policy: may this tool be used here?
 *
 * As a filter it gives each record a policy member: OpenClaw's layered tool
 * policy (profile, byProvider, global, agent, group, sender, sandbox,
 * owner-only, subagent) judged for the record's tool, agent and session, and
 * a deny member when a layer removes the tool. One-shot, it explains a
 * decision layer by layer, or lists the tools that survive.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/opts.h"
#include "core/record.h"
#include "session/session.h"
#include "policy/toolcatalog.h"
#include "policy/toolpolicy.h"
#include "core/util.h"

static const char usage[] =
    "usage: claw-policy [--config FILE] [--state-dir DIR] [--max-record BYTES]\n"
    "       claw-policy explain [REQUEST OPTIONS] [--json] TOOL\n"
    "       claw-policy tools [REQUEST OPTIONS] [--json]\n"
    "       claw-policy catalog [--json]\n"
    "\n"
    "Without a subcommand, reads records (JSON Lines) on standard input and writes\n"
    "them with a \"policy\" member added, and \"deny\" when tool policy removes the tool:\n"
    "  policy {decision, layer, rule, reason}\n";

static const char usage_tail[] =
    "Exit status: 0 the stream was processed (explain: the tool is allowed);\n"
    "1 some lines were not valid records (explain: the tool is denied);\n"
    "2 usage or config error. See claw-policy(1), claw-record(7).\n";

enum {
	OPT_AGENT = OPT_FIRST_COMMAND_OPTION,
	OPT_SESSION,
	OPT_SANDBOXED,
	OPT_CHANNEL,
	OPT_GROUP,
	OPT_ACCOUNT,
	OPT_SENDER,
	OPT_OWNER,
	OPT_NOT_OWNER,
	OPT_PROVIDER,
	OPT_MODEL,
};

static const struct opt_row options[] = {
	OPT_HEADING("Request options (explain, tools):"),
	OPT_VALUE("agent", OPT_AGENT, "A", "the agent (default: the default agent)"),
	OPT_VALUE("session", OPT_SESSION, "KEY",
	          "the session key (sandbox and subagent follow from it)"),
	OPT_FLAG("sandboxed", OPT_SANDBOXED, "judge as a sandboxed session"),
	OPT_VALUE("channel", OPT_CHANNEL, "C",
	          "a message from a chat on channel C (then not the owner\nunless --owner)"),
	OPT_VALUE("group", OPT_GROUP, "G", "... in group G (else a DM)"),
	OPT_VALUE("account", OPT_ACCOUNT, "X", "... through the channel account X"),
	OPT_VALUE("sender", OPT_SENDER, "S", "... from the sender S"),
	OPT_FLAG("owner", OPT_OWNER, "the sender is the owner"),
	OPT_FLAG("not-owner", OPT_NOT_OWNER, "the sender is not the owner"),
	OPT_VALUE("provider", OPT_PROVIDER, "P", "the model's provider, for tools.byProvider"),
	OPT_VALUE("model", OPT_MODEL, "M", "the model, for tools.byProvider"),
	OPT_HEADING("Common options:"),
	OPT_FLAG("json", OPT_JSON, "machine-readable output (explain, tools, catalog)"),
	OPT_ROW_MAX_RECORD,
	OPT_ROWS_COMMON,
	OPT_END,
};

struct cli {
	struct common_opts co;
	const struct opts_command *cmd; /* the subcommand, or NULL: the filter */
	const char *tool;
	const char *agent, *session, *channel, *group, *account, *sender, *provider, *model;
	bool sandboxed;
	int owner; /* -1 unset, 0, 1 */
	struct config cfg;
	struct tp_config *tc;
};

struct filter {
	struct tp_config *tc;
	struct session_settings settings;
	struct session_cache *cache;
};

/*
 * The tool policy request of a session. The stream and the one-shot
 * subcommands both come here, after session_resolve() on what the record or
 * the options say: explain cannot disagree with the filter.
 */
static void request_of(const struct session_info *si, const struct session_request *srq, bool owner,
                       const char *provider, const char *model, struct tp_request *rq)
{
	rq->agent = si->agent;
	rq->key = si->key.p;
	rq->depth = si->depth;
	rq->mode = si->mode;
	rq->sandboxed = si->sandboxed;
	rq->channel = srq->channel;
	rq->account = srq->account;
	rq->sender = srq->sender;
	rq->owner = owner;
	rq->provider = provider;
	rq->model = model;
}

/* ---- the filter ---- */

enum { R_TOOL, R_SESSION, R_MODEL, R_AGENT, R_SESSION_KEY, R_ORIGIN };
static const char *const record_names[] = { "tool",  "session",    "model",
	                                    "agent", "sessionKey", "origin" };

static int read_model(const cJSON *model, const char **provider, const char **id)
{
	static const char *const names[] = { "provider", "id" };
	const cJSON *m[NELEM(names)];

	if (model == NULL)
		return 0;
	rec_pick(model, names, m, NELEM(m));
	return rec_str(m[0], "model.provider", provider) < 0 || rec_str(m[1], "model.id", id) < 0
	           ? -1
	           : 0;
}

/*
 * A record names its session by its origin, its sessionKey or its agent, as
 * claw-session reads them; the session is computed again from these, never
 * taken from a session member (claw-session's output, which a caller could
 * forge or leave half empty). Only a record that names nothing else is
 * judged by the key of its session member, and its agent is then the key's,
 * as OpenClaw derives it (resolveSessionAgentId).
 */
static int read_session_member(const cJSON *session, struct session_record *sr)
{
	static const char *const names[] = { "key", "agent" };
	const cJSON *m[NELEM(names)];
	const char *key = NULL, *agent = NULL;

	if (session == NULL || sr->rq.has_origin || sr->rq.session_key != NULL)
		return 0;
	rec_pick(session, names, m, NELEM(m));
	if (rec_str(m[0], "session.key", &key) < 0 || rec_str(m[1], "session.agent", &agent) < 0)
		return -1;
	sr->rq.session_key = key;
	if (sr->rq.agent == NULL)
		sr->rq.agent = agent;
	return 0;
}

/* A record whose session cannot be computed (an agent that is not
 * configured, ...) is denied, and its policy member says why. */
static void deny_without_session(struct record *rec, const char *why)
{
	struct buf b = { 0 };

	buf_puts(&b, "{\"decision\":\"deny\",\"layer\":\"session\",\"rule\":"
	             "\"no session for this record\",\"reason\":");
	buf_json_str(&b, why);
	buf_putc(&b, '}');
	record_add_raw(rec, "policy", b.p, b.len);
	record_deny(rec, why);
	buf_free(&b);
}

/* The request of a record: 0, -1 (not a valid record) or 1 (denied here). */
static int read_request(struct filter *f, struct record *rec, const cJSON *const *m,
                        struct session_record *sr, struct tp_request *rq)
{
	const cJSON *session = NULL, *model = NULL;
	const char *provider = NULL, *model_id = NULL;

	if (rec_obj(m[R_SESSION], "session", &session) < 0 ||
	    rec_obj(m[R_MODEL], "model", &model) < 0 ||
	    read_model(model, &provider, &model_id) < 0 ||
	    session_record_read_members(m[R_AGENT], m[R_SESSION_KEY], m[R_ORIGIN], sr) < 0 ||
	    read_session_member(session, sr) < 0)
		return -1;
	struct session_entry *e = session_cache_resolve(f->cache, &f->settings, &sr->rq);
	if (e == NULL) {
		deny_without_session(rec, claw_error());
		return 1;
	}
	request_of(&e->si, &sr->rq, sr->owner, provider, model_id, rq);
	return 0;
}

static int handle(struct record *rec, void *ctx)
{
	struct filter *f = ctx;
	const cJSON *m[NELEM(record_names)];
	struct tp_request rq = { 0 };
	struct session_record sr;
	const char *tool = NULL, *policy, *deny;
	size_t plen, dlen;

	rec_pick(rec->root, record_names, m, NELEM(m));
	if (rec_str(m[R_TOOL], "tool", &tool) < 0)
		return -1;
	if (tool == NULL || strspn(tool, " \t\r\n") == strlen(tool))
		return claw_fail("the record names no tool (member \"tool\")");
	int rc = read_request(f, rec, m, &sr, &rq);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct tp_context *cx = tp_context_of(f->tc, &rq);
	tp_member(cx, tool, &policy, &plen, &deny, &dlen);
	record_add_raw(rec, "policy", policy, plen);
	if (deny != NULL) {
		record_add_raw(rec, "deny", deny, dlen);
		rec->denied = true;
	}
	return 0;
}

static int run_filter(struct cli *c)
{
	struct tp_config *tc = c->tc;
	const struct config *cfg = &c->cfg;
	struct filter f = { .tc = tc };
	struct stage stage = { .name = "claw-policy", .handle = handle, .ctx = &f };
	struct record_opts ro = { .max_record = c->co.max_record, .in_fd = 0, .out_fd = 1 };

	if (session_settings_load(&f.settings, cfg) < 0)
		errx(2, "%s", claw_error());
	f.cache = session_cache_new();
	int status = record_loop(&stage, &ro);
	session_cache_free(f.cache);
	session_settings_free(&f.settings);
	return status;
}

/* ---- one-shot: the request the options describe ---- */

struct oneshot {
	struct session_settings settings;
	struct session_info si;
	struct tp_request rq;
};

static void resolve_cli(struct cli *c, const struct config *cfg, struct oneshot *o)
{
	struct session_request srq = { .agent = c->agent,
		                       .session_key = c->session,
		                       .channel = c->channel,
		                       .account = c->account,
		                       .sender = c->sender };

	if (session_settings_load(&o->settings, cfg) < 0)
		errx(2, "%s", claw_error());
	if (c->session != NULL && (c->channel || c->group))
		usage_error("--session and --channel/--group describe the session twice");
	if (c->channel != NULL || c->group != NULL) {
		srq.has_origin = true;
		srq.chat = c->group ? CHAT_GROUP : CHAT_DIRECT;
		srq.peer = c->group ? c->group : c->sender;
	}
	if (session_resolve(&o->settings, &srq, &o->si) < 0)
		errx(2, "%s", claw_error());
	/* A message from a chat is not the operator's unless said so. */
	bool owner = c->owner >= 0 ? c->owner == 1 : !(c->channel || c->group || c->sender);
	request_of(&o->si, &srq, owner, c->provider, c->model, &o->rq);
	if (c->sandboxed)
		o->rq.sandboxed = true; /* --sandboxed only ever adds the sandbox layer */
}

static void oneshot_free(struct oneshot *o)
{
	session_info_free(&o->si);
	session_settings_free(&o->settings);
}

/* ---- output helpers ---- */

struct style {
	bool color;
};

static const char *paint(const struct style *st, const char *code)
{
	return st->color ? code : "";
}

#define RED   "\033[31m"
#define GREEN "\033[32m"
#define BOLD  "\033[1m"
#define DIM   "\033[2m"
#define RESET "\033[0m"

static void put_request_json(const struct oneshot *o, const struct tp_context *cx, struct buf *b)
{
	unsigned depth, max;
	static const char *const roles[] = { "main", "orchestrator", "leaf" };
	enum tp_role role = tp_context_role(cx, &depth, &max);

	buf_puts(b, "{\"agent\":");
	buf_json_str(b, o->rq.agent);
	buf_puts(b, ",\"session\":");
	buf_json_str(b, o->rq.key);
	buf_printf(b, ",\"sandboxed\":%s,\"mode\":", o->rq.sandboxed ? "true" : "false");
	buf_json_str(b, o->rq.mode);
	buf_printf(b, ",\"owner\":%s,\"subagent\":", o->rq.owner ? "true" : "false");
	buf_json_str(b, roles[role]);
	buf_printf(b, ",\"depth\":%u,\"maxSpawnDepth\":%u", depth, max);
	buf_puts(b, ",\"provider\":");
	if (o->rq.provider)
		buf_json_str(b, o->rq.provider);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"model\":");
	if (o->rq.model)
		buf_json_str(b, o->rq.model);
	else
		buf_puts(b, "null");
	buf_putc(b, '}');
}

static void describe_request(const struct oneshot *o, const struct tp_context *cx, struct buf *b)
{
	unsigned depth, max;
	enum tp_role role = tp_context_role(cx, &depth, &max);

	buf_printf(b, "agent \"%s\", session %s, %s (mode=%s), %s", o->rq.agent, o->rq.key,
	           o->rq.sandboxed ? "sandboxed" : "not sandboxed", o->rq.mode,
	           o->rq.owner ? "the owner" : "not the owner");
	if (role != TP_ROLE_MAIN)
		buf_printf(b, ", %s subagent (depth %u of %u)",
		           role == TP_ROLE_LEAF ? "leaf" : "orchestrator", depth, max);
	if (o->rq.provider)
		buf_printf(b, ", model %s%s%s", o->rq.provider, o->rq.model ? "/" : "",
		           o->rq.model ? o->rq.model : "");
}

/* Why a layer does not apply here. */
static const char *skip_note(enum tp_layer l)
{
	static const char *const notes[TP_NLAYERS] = {
		"no tools.profile",
		"no tools.byProvider profile for this model",
		"no tools.allow, alsoAllow or deny",
		"no tools.byProvider entry for this model",
		"the agent sets no tools.allow, alsoAllow or deny",
		"no byProvider entry of the agent for this model",
		"no group tool policy for this session",
		"no toolsBySender entry for this sender",
		"the session is not sandboxed",
		"the sender is the owner",
		"not a subagent session",
	};
	return notes[l];
}

/* ---- explain ---- */

struct row {
	enum tp_layer layer;
	bool active, allows;
	struct tp_verdict v;
};

static void explain_rows(const struct tp_context *cx, const char *name, int idx,
                         struct row rows[TP_NLAYERS])
{
	for (int l = 0; l < TP_NLAYERS; l++) {
		const struct tp_rule *r = tp_rule_of(cx, (enum tp_layer)l);
		rows[l].layer = (enum tp_layer)l;
		rows[l].active = r->active;
		rows[l].allows = true;
		memset(&rows[l].v, 0, sizeof(rows[l].v));
		if (!r->active)
			continue;
		rows[l].allows = tp_layer_allows(r, name, idx, &rows[l].v);
		rows[l].v.allowed = rows[l].allows;
		rows[l].v.layer = (enum tp_layer)l;
		rows[l].v.decided_by_layer = true;
	}
}

static const char *row_verdict(const struct row *r)
{
	if (!r->active)
		return "-";
	if (!r->allows)
		return "deny";
	return r->v.item != NULL && !r->v.item->all ? "allow" : "pass";
}

static void row_rule(const struct tp_context *cx, const struct row *r, struct buf *b)
{
	const struct tp_rule *rule = tp_rule_of(cx, r->layer);

	if (!r->active) {
		buf_puts(b, skip_note(r->layer));
	} else if (r->v.item != NULL && !r->v.item->all) {
		tp_rule_text(cx, &r->v, b);
	} else if (!r->allows) {
		tp_rule_text(cx, &r->v, b);
	} else if (rule->deny_key != NULL) {
		buf_printf(b, "not in %s", rule->deny_key);
	} else if (rule->has_allow && r->v.item != NULL) {
		buf_printf(b, "%s allows all (\"*\")", rule->allow_key);
	} else {
		buf_puts(b, "no entry restricts it");
	}
}

static void explain_json(const struct oneshot *o, const struct tp_context *cx, const char *tool,
                         const char *name, int idx, const struct row *rows,
                         const struct tp_verdict *v, struct buf *b)
{
	struct buf t = { 0 };

	buf_puts(b, "{\"tool\":");
	buf_json_str(b, tool);
	buf_puts(b, ",\"name\":");
	buf_json_str(b, name);
	buf_printf(b, ",\"core\":%s,\"group\":", idx >= 0 ? "true" : "false");
	if (idx >= 0)
		buf_json_str(b, catalog_tools[idx].group);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"request\":");
	put_request_json(o, cx, b);
	buf_puts(b, ",\"layers\":[");
	for (int l = 0; l < TP_NLAYERS; l++) {
		buf_puts(b, l ? ",{\"layer\":" : "{\"layer\":");
		buf_json_str(b, tp_layer_ids[l]);
		buf_printf(b, ",\"applies\":%s,\"verdict\":", rows[l].active ? "true" : "false");
		buf_json_str(b, row_verdict(&rows[l]));
		buf_puts(b, ",\"rule\":");
		buf_reset(&t);
		row_rule(cx, &rows[l], &t);
		buf_json_str(b, t.p ? t.p : "");
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"decision\":");
	buf_json_str(b, v->allowed ? "allow" : "deny");
	buf_puts(b, ",\"layer\":");
	buf_json_str(b, v->decided_by_layer ? tp_layer_ids[v->layer] : "none");
	buf_puts(b, ",\"rule\":");
	buf_reset(&t);
	tp_rule_text(cx, v, &t);
	buf_json_str(b, t.p);
	buf_puts(b, ",\"reason\":");
	buf_reset(&t);
	tp_reason(cx, name, v, &t);
	buf_json_str(b, t.p);
	buf_puts(b, ",\"fix\":");
	buf_reset(&t);
	tp_fix(cx, name, v, &t);
	if (t.len > 0)
		buf_json_str(b, t.p);
	else
		buf_puts(b, "null");
	buf_puts(b, "}\n");
	buf_free(&t);
}

static void explain_text(const struct oneshot *o, const struct tp_context *cx, const char *name,
                         int idx, const struct row *rows, const struct tp_verdict *v,
                         const struct style *st, struct buf *b)
{
	struct buf t = { 0 };

	buf_printf(b, "%s%s%s: %s%s%s\n", paint(st, BOLD), name, paint(st, RESET),
	           paint(st, v->allowed ? GREEN : RED), v->allowed ? "allowed" : "denied",
	           paint(st, RESET));
	buf_puts(b, "request: ");
	describe_request(o, cx, b);
	if (idx >= 0)
		buf_printf(b, "\ntool:    core tool, %s (%s)\n\n", catalog_tools[idx].group,
		           catalog_tools[idx].why);
	else
		buf_puts(b, "\ntool:    not a core tool of OpenClaw (a plugin's, or a typo)\n\n");
	for (int l = 0; l < TP_NLAYERS; l++) {
		const char *verdict = row_verdict(&rows[l]);
		bool deciding = !v->allowed && v->layer == (enum tp_layer)l;
		const char *color = !rows[l].active                 ? DIM
		                    : strcmp(verdict, "deny") == 0  ? RED
		                    : strcmp(verdict, "allow") == 0 ? GREEN
		                                                    : "";
		buf_reset(&t);
		row_rule(cx, &rows[l], &t);
		buf_printf(b, "%2d %-17s %s%-5s%s %s%s\n", l + 1, tp_layer_ids[l], paint(st, color),
		           deciding ? "DENY" : verdict, paint(st, RESET), t.p ? t.p : "",
		           deciding ? "   <- decides" : "");
	}
	buf_reset(&t);
	tp_reason(cx, name, v, &t);
	buf_printf(b, "\ndecision: %s\n", t.p);
	buf_reset(&t);
	tp_fix(cx, name, v, &t);
	if (t.len > 0)
		buf_printf(b, "fix:      %s\n", t.p);
	buf_free(&t);
}

static int run_explain(struct cli *c)
{
	struct tp_config *tc = c->tc;
	const struct config *cfg = &c->cfg;
	struct oneshot o = { 0 };
	struct row rows[TP_NLAYERS];
	struct tp_verdict v;
	struct buf b = { 0 };
	struct style st = { .color = !c->co.json && opts_color(1) };
	char name[256];

	if (c->tool == NULL)
		usage_error("explain: TOOL is missing");
	if (strspn(c->tool, " \t") == strlen(c->tool))
		usage_error("explain: TOOL is empty");
	resolve_cli(c, cfg, &o);
	struct tp_context *cx = tp_context_of(tc, &o.rq);
	int idx = catalog_normalize(c->tool, name, sizeof(name));
	explain_rows(cx, name, idx, rows);
	tp_decide(cx, c->tool, &v);
	if (c->co.json)
		explain_json(&o, cx, c->tool, name, idx, rows, &v, &b);
	else
		explain_text(&o, cx, name, idx, rows, &v, &st, &b);
	fputs(b.p, stdout);
	buf_free(&b);
	oneshot_free(&o);
	return v.allowed ? 0 : 1;
}

/* ---- tools ---- */

static void tools_json(const struct oneshot *o, const struct tp_context *cx, struct buf *b)
{
	struct tp_verdict v;
	struct buf t = { 0 };
	bool first = true;

	buf_puts(b, "{\"request\":");
	put_request_json(o, cx, b);
	buf_puts(b, ",\"allowed\":[");
	for (unsigned i = 0; i < catalog_ntools; i++) {
		tp_decide(cx, catalog_tools[i].name, &v);
		if (!v.allowed)
			continue;
		buf_puts(b, first ? "" : ",");
		buf_json_str(b, catalog_tools[i].name);
		first = false;
	}
	buf_puts(b, "],\"groups\":{");
	for (unsigned g = 0; g < catalog_ngroups; g++) {
		struct toolset members;
		catalog_group_members(g, &members);
		buf_puts(b, g ? "," : "");
		buf_json_str(b, catalog_groups[g].name);
		buf_puts(b, ":[");
		first = true;
		for (unsigned i = 0; i < catalog_ntools; i++) {
			tp_decide(cx, catalog_tools[i].name, &v);
			if (!toolset_has(&members, i) || !v.allowed)
				continue;
			buf_puts(b, first ? "" : ",");
			buf_json_str(b, catalog_tools[i].name);
			first = false;
		}
		buf_putc(b, ']');
	}
	buf_puts(b, "},\"denied\":[");
	first = true;
	for (unsigned i = 0; i < catalog_ntools; i++) {
		tp_decide(cx, catalog_tools[i].name, &v);
		if (v.allowed)
			continue;
		buf_puts(b, first ? "{\"tool\":" : ",{\"tool\":");
		buf_json_str(b, catalog_tools[i].name);
		buf_puts(b, ",\"layer\":");
		buf_json_str(b, tp_layer_ids[v.layer]);
		buf_puts(b, ",\"rule\":");
		buf_reset(&t);
		tp_rule_text(cx, &v, &t);
		buf_json_str(b, t.p);
		buf_putc(b, '}');
		first = false;
	}
	buf_puts(b, "]}\n");
	buf_free(&t);
}

static void tools_text(const struct oneshot *o, const struct tp_context *cx, const struct style *st,
                       struct buf *b)
{
	struct tp_verdict v;
	unsigned allowed = 0;

	for (unsigned i = 0; i < catalog_ntools; i++) {
		tp_decide(cx, catalog_tools[i].name, &v);
		allowed += v.allowed;
	}
	buf_printf(b, "%u of %u core tools (%s) for ", allowed, catalog_ntools, catalog_version);
	describe_request(o, cx, b);
	buf_puts(b, "\n\n");
	/* The section groups cover every tool once; group:openclaw spans them. */
	for (unsigned g = 0; g < catalog_ngroups; g++) {
		struct toolset members;
		unsigned n = 0;
		if (!catalog_groups[g].section)
			continue;
		catalog_group_members(g, &members);
		buf_printf(b, "%-17s", catalog_groups[g].name);
		for (unsigned i = 0; i < catalog_ntools; i++) {
			tp_decide(cx, catalog_tools[i].name, &v);
			if (toolset_has(&members, i) && v.allowed) {
				buf_printf(b, " %s", catalog_tools[i].name);
				n++;
			}
		}
		if (n == 0)
			buf_printf(b, " %s(none)%s", paint(st, DIM), paint(st, RESET));
		buf_putc(b, '\n');
	}
	if (allowed == catalog_ntools)
		return;
	buf_printf(b, "\n%sdenied:%s\n", paint(st, RED), paint(st, RESET));
	for (unsigned i = 0; i < catalog_ntools; i++) {
		tp_decide(cx, catalog_tools[i].name, &v);
		if (v.allowed)
			continue;
		buf_printf(b, "  %-22s %-16s ", catalog_tools[i].name, tp_layer_ids[v.layer]);
		tp_rule_text(cx, &v, b);
		buf_putc(b, '\n');
	}
}

static int run_tools(struct cli *c)
{
	struct tp_config *tc = c->tc;
	const struct config *cfg = &c->cfg;
	struct oneshot o = { 0 };
	struct buf b = { 0 };
	struct style st = { .color = !c->co.json && opts_color(1) };

	if (c->tool != NULL)
		usage_error("tools: unexpected argument \"%s\"", c->tool);
	resolve_cli(c, cfg, &o);
	struct tp_context *cx = tp_context_of(tc, &o.rq);
	if (c->co.json)
		tools_json(&o, cx, &b);
	else
		tools_text(&o, cx, &st, &b);
	fputs(b.p, stdout);
	buf_free(&b);
	oneshot_free(&o);
	return 0;
}

/* ---- catalog ---- */

static const struct {
	unsigned flag;
	const char *name;
} flag_names[] = {
	{ TOOL_OWNER_ONLY, "owner-only" },
	{ TOOL_SANDBOX_ALLOW, "sandbox-allow" },
	{ TOOL_SANDBOX_DENY, "sandbox-deny" },
	{ TOOL_SUBAGENT_ALWAYS, "subagent-deny" },
	{ TOOL_SUBAGENT_LEAF, "leaf-subagent-deny" },
	{ TOOL_GATED, "gated" },
};

static void put_profiles(const struct catalog_tool *t, struct buf *b, bool json)
{
	bool first = true;

	for (unsigned p = 0; p < catalog_nprofiles; p++) {
		if (catalog_profiles[p].bit != 0 && !(t->profiles & catalog_profiles[p].bit))
			continue;
		buf_puts(b, first ? "" : json ? "," : " ");
		if (json)
			buf_json_str(b, catalog_profiles[p].name);
		else
			buf_puts(b, catalog_profiles[p].name);
		first = false;
	}
}

static void put_flags(const struct catalog_tool *t, struct buf *b, bool json)
{
	bool first = true;

	for (size_t f = 0; f < NELEM(flag_names); f++) {
		if (!(t->flags & flag_names[f].flag))
			continue;
		buf_puts(b, first ? "" : json ? "," : " ");
		if (json)
			buf_json_str(b, flag_names[f].name);
		else
			buf_puts(b, flag_names[f].name);
		first = false;
	}
	if (!json && first)
		buf_putc(b, '-');
}

static void catalog_json(struct buf *b)
{
	buf_puts(b, "{\"version\":");
	buf_json_str(b, catalog_version);
	buf_puts(b, ",\"tools\":[");
	for (unsigned i = 0; i < catalog_ntools; i++) {
		const struct catalog_tool *t = &catalog_tools[i];
		buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
		buf_json_str(b, t->name);
		buf_puts(b, ",\"group\":");
		buf_json_str(b, t->group);
		buf_puts(b, ",\"profiles\":[");
		put_profiles(t, b, true);
		buf_puts(b, "],\"flags\":[");
		put_flags(t, b, true);
		buf_printf(b, "],\"openclawGroup\":%s,\"why\":",
		           t->flags & TOOL_NOT_OPENCLAW ? "false" : "true");
		buf_json_str(b, t->why);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"aliases\":{");
	for (unsigned i = 0; i < catalog_naliases; i++) {
		buf_puts(b, i ? "," : "");
		buf_json_str(b, catalog_aliases[i].from);
		buf_putc(b, ':');
		buf_json_str(b, catalog_aliases[i].to[0]);
	}
	buf_puts(b, "},\"channelIds\":[");
	for (unsigned i = 0; i < catalog_nchannel_ids; i++) {
		buf_puts(b, i ? "," : "");
		buf_json_str(b, catalog_channel_ids[i]);
	}
	buf_puts(b, "]}\n");
}

static void catalog_text(struct buf *b)
{
	buf_printf(b, "%u core tools of %s\n\n", catalog_ntools, catalog_version);
	buf_printf(b, "%-22s %-16s %-26s %s\n", "tool", "group", "profiles", "lists");
	for (unsigned i = 0; i < catalog_ntools; i++) {
		const struct catalog_tool *t = &catalog_tools[i];
		struct buf p = { 0 }, f = { 0 };
		put_profiles(t, &p, false);
		put_flags(t, &f, false);
		buf_printf(b, "%-22s %-16s %-26s %s\n", t->name, t->group, p.p, f.p);
		buf_free(&p);
		buf_free(&f);
	}
	buf_puts(b, "\naliases:");
	for (unsigned i = 0; i < catalog_naliases; i++)
		buf_printf(b, " %s=%s", catalog_aliases[i].from, catalog_aliases[i].to[0]);
	buf_puts(b, "\nin policy lists:");
	for (unsigned i = 0; i < catalog_nlist_renames; i++) {
		buf_printf(b, " %s=", catalog_list_renames[i].from);
		for (const char *const *to = catalog_list_renames[i].to; *to; to++)
			buf_printf(b, "%s%s", to == catalog_list_renames[i].to ? "" : "+", *to);
	}
	buf_puts(b, "\nchannel ids (sandbox-deny):");
	for (unsigned i = 0; i < catalog_nchannel_ids; i++)
		buf_printf(b, " %s", catalog_channel_ids[i]);
	buf_puts(b, "\n");
}

static int run_catalog(struct cli *c)
{
	struct buf b = { 0 };

	if (c->tool != NULL)
		usage_error("catalog: unexpected argument \"%s\"", c->tool);
	if (c->co.json)
		catalog_json(&b);
	else
		catalog_text(&b);
	fputs(b.p, stdout);
	buf_free(&b);
	return 0;
}

/* ---- main ---- */

static void set_arg(struct cli *c, int ch, const char *arg)
{
	switch (ch) {
	case OPT_AGENT:
		c->agent = arg;
		break;
	case OPT_SESSION:
		c->session = arg;
		break;
	case OPT_SANDBOXED:
		c->sandboxed = true;
		break;
	case OPT_CHANNEL:
		c->channel = arg;
		break;
	case OPT_GROUP:
		c->group = arg;
		break;
	case OPT_ACCOUNT:
		c->account = arg;
		break;
	case OPT_SENDER:
		c->sender = arg;
		break;
	case OPT_OWNER:
		c->owner = 1;
		break;
	case OPT_NOT_OWNER:
		c->owner = 0;
		break;
	case OPT_PROVIDER:
		c->provider = arg;
		break;
	case OPT_MODEL:
		c->model = arg;
		break;
	default:
		usage_error("unexpected option");
	}
}

static const struct opts_command commands[] = {
	{ "explain", run_explain,
	  "every layer in OpenClaw's order, its verdict and config key, and\na fix for a denial" },
	{ "tools", run_tools, "the tools that survive, by group" },
	{ "catalog", run_catalog, "OpenClaw's tool catalog as claw knows it" },
	{ NULL, NULL, NULL },
};

static const struct opts_spec spec = { usage, commands, options, usage_tail };

static void parse_args(int argc, char **argv, struct cli *c)
{
	int ch;

	while ((ch = opts_next(argc, argv, &c->co)) != -1) {
		if (ch != 1) {
			set_arg(c, ch, optarg);
		} else if (c->cmd == NULL) {
			c->cmd = opts_command_get(commands, optarg);
		} else if (c->tool == NULL) {
			c->tool = optarg;
		} else {
			usage_error("unexpected argument \"%s\"", optarg);
		}
	}
	if (optind < argc) {
		if (c->cmd == NULL || c->tool != NULL || optind + 1 < argc)
			usage_error("unexpected argument \"%s\"", argv[optind]);
		c->tool = argv[optind];
	}
	if (c->cmd == NULL && (c->agent || c->session || c->sandboxed || c->channel || c->group ||
	                       c->sender || c->provider || c->model || c->owner >= 0 || c->co.json))
		usage_error("request options need a subcommand (explain or tools)");
}

int main(int argc, char **argv)
{
	struct cli c = { .owner = -1 };

	opts_use(&spec);
	parse_args(argc, argv, &c);
	if (config_load(&c.cfg, &c.co) < 0)
		errx(2, "%s", claw_error());
	/* Every config error ends here, before a single record is read. */
	c.tc = tp_load(&c.cfg);
	if (c.tc == NULL)
		errx(2, "%s", claw_error());
	int status = c.cmd ? c.cmd->run(&c) : run_filter(&c);
	tp_free(c.tc);
	config_free(&c.cfg);
	return status;
}
