/*
 * toolgate.c: approvals.tools, a person's yes before a gated tool runs, and
 * the grants that last a session.
 */
#include "approve/toolgate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/fsutil.h"
#include "policy/toolpolicy.h"

#define GRANTS_FILE "tool-grants.json"
#define GRANTS_MAX  (4UL * 1024 * 1024)
#define TOOL_MAX    256

struct toolgate {
	struct tp_names *names; /* approvals.tools */
	char *grants;           /* <state>/tool-grants.json */
};

int toolgate_load(struct toolgate **out, const struct config *cfg)
{
	struct tp_names *names = tp_names_load(cfg, "approvals", "tools");

	*out = NULL;
	if (names == NULL)
		return -1;
	if (tp_names_empty(names)) {
		tp_names_free(names);
		return 0;
	}
	*out = xcalloc(1, sizeof(**out));
	(*out)->names = names;
	(*out)->grants = state_path(cfg, GRANTS_FILE);
	return 0;
}

void toolgate_free(struct toolgate *g)
{
	if (g == NULL)
		return;
	tp_names_free(g->names);
	free(g->grants);
	free(g);
}

bool toolgate_covers(const struct toolgate *g, const char *tool)
{
	return g != NULL && !catalog_is_exec(tool) && tp_names_has(g->names, tool);
}

/* ---- the grants file ---- */

/*
 * {"version": 1, "grants": [{"sessionKey", "tool", "at", "by"}]}. A file that
 * is not this is never used to allow anything, and never written over.
 */
static cJSON *grants_read(const char *path, bool *missing)
{
	char *text;
	size_t len;

	*missing = false;
	if (read_file(path, GRANTS_MAX, &text, &len) < 0) {
		*missing = errno == ENOENT;
		return NULL;
	}
	cJSON *root = cJSON_ParseWithLength(text, len);
	free(text);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "grants")) ||
	    !cJSON_IsNumber(v) || v->valuedouble != 1) {
		cJSON_Delete(root);
		claw_fail("%s: not a grants file of claw's (version 1); it is left as it is", path);
		return NULL;
	}
	return root;
}

static bool grant_matches(const cJSON *e, const char *key, const char *tool)
{
	const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "sessionKey"));
	const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "tool"));

	return k != NULL && t != NULL && strcmp(k, key) == 0 &&
	       (tool == NULL || strcmp(t, tool) == 0);
}

static bool has_grant(const struct toolgate *g, const char *key, const char *tool)
{
	bool missing, found = false;
	cJSON *root = grants_read(g->grants, &missing);
	const cJSON *e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "grants"))
	{
		if (grant_matches(e, key, tool))
			found = true;
	}
	cJSON_Delete(root);
	return found;
}

static int grants_write(const char *path, const cJSON *root)
{
	char *text = cJSON_Print(root);
	struct buf b = { 0 };

	buf_puts(&b, text);
	buf_putc(&b, '\n');
	cJSON_free(text);
	int rc = atomic_write(path, b.p, b.len, 0600);
	buf_free(&b);
	return rc;
}

/* Edits the file under its lock, on a copy read again under it. EDIT returns
 * 1 to write, 0 to leave the file, -1 for an error. */
static int grants_update(const char *path, int (*edit)(cJSON *root, void *arg), void *arg)
{
	int lock = lock_file(path, true), rc;
	bool missing;

	if (lock < 0)
		return -1;
	cJSON *root = grants_read(path, &missing);
	if (root == NULL && missing) {
		root = cJSON_CreateObject();
		cJSON_AddNumberToObject(root, "version", 1);
		cJSON_AddArrayToObject(root, "grants");
	}
	rc = root == NULL ? -1 : edit(root, arg);
	if (rc > 0)
		rc = grants_write(path, root) < 0 ? -1 : 1;
	cJSON_Delete(root);
	unlock_file(lock);
	return rc;
}

struct grant_edit {
	const char *key, *tool, *by;
	int count;
};

static int add_grant(cJSON *root, void *arg)
{
	struct grant_edit *ed = arg;
	cJSON *grants = cJSON_GetObjectItemCaseSensitive(root, "grants"), *e;
	struct timespec ts;

	cJSON_ArrayForEach(e, grants)
	{
		if (grant_matches(e, ed->key, ed->tool))
			return 0;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "sessionKey", ed->key);
	cJSON_AddStringToObject(e, "tool", ed->tool);
	long long ms = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
	cJSON_AddNumberToObject(e, "at", (double)ms);
	cJSON_AddStringToObject(e, "by", ed->by);
	cJSON_AddItemToArray(grants, e);
	return 1;
}

static int rm_grants(cJSON *root, void *arg)
{
	struct grant_edit *ed = arg;
	cJSON *grants = cJSON_GetObjectItemCaseSensitive(root, "grants");

	for (int i = cJSON_GetArraySize(grants) - 1; i >= 0; i--) {
		if (grant_matches(cJSON_GetArrayItem(grants, i), ed->key, ed->tool)) {
			cJSON_DeleteItemFromArray(grants, i);
			ed->count++;
		}
	}
	return ed->count > 0;
}

/* ---- deciding ---- */

/*
 * The call as a person reads it: the tool, then each argument on its own
 * line, strings as they are (the prompt makes control characters visible),
 * anything else as JSON.
 */
static int render_call(struct buf *b, const char *tool, const cJSON *args)
{
	const cJSON *m;

	buf_puts(b, tool);
	if (args == NULL)
		return 0;
	if (!cJSON_IsObject(args)) {
		char *text = cJSON_PrintUnformatted(args);
		if (text == NULL)
			return claw_fail("cannot show the call's arguments");
		buf_printf(b, " %s", text);
		cJSON_free(text);
		return 0;
	}
	cJSON_ArrayForEach(m, args)
	{
		buf_printf(b, "\n%s: ", m->string);
		if (cJSON_IsString(m)) {
			buf_puts(b, m->valuestring);
			continue;
		}
		char *text = cJSON_PrintUnformatted(m);
		if (text == NULL)
			return claw_fail("cannot show the call's arguments");
		buf_puts(b, text);
		cJSON_free(text);
	}
	return 0;
}

static void verdict(struct tool_verdict *v, bool allow, const char *via, const char *reason)
{
	v->allow = allow;
	v->via = via;
	v->reason = reason;
}

static void answered(const struct toolgate *g, const struct tool_call *c, const char *name,
                     const struct ask_result *r, struct tool_verdict *v)
{
	snprintf(v->via_buf, sizeof(v->via_buf), "%s", r->via);
	switch (r->decision) {
	case ASK_ALLOW_ONCE:
		verdict(v, true, v->via_buf, "allow-once");
		break;
	case ASK_ALLOW_ALWAYS: {
		struct grant_edit ed = { c->policy ? c->policy : c->key, name, r->by, 0 };
		verdict(v, true, v->via_buf, "allow-session");
		/* Only offered where a session names the grant (toolgate_decide). */
		if (ed.key == NULL)
			snprintf(v->note, sizeof(v->note), "no session to keep the grant for");
		else if (grants_update(g->grants, add_grant, &ed) < 0)
			snprintf(v->note, sizeof(v->note), "the grant was not kept: %s",
			         claw_error());
		break;
	}
	case ASK_DENY:
		verdict(v, false, v->via_buf, "user-denied");
		break;
	case ASK_DEFERRED:
		verdict(v, false, "runtime", "deferred");
		break;
	case ASK_TIMEOUT:
	case ASK_UNAVAILABLE:
		/* A tool has no allow list to fall back to: no answer is a no. */
		verdict(v, false, "fallback", "approval-timeout");
		break;
	}
}

int toolgate_decide(const struct toolgate *g, const struct ask_settings *ask,
                    const struct tool_call *c, struct tool_verdict *v)
{
	const char *grant_key = c->policy ? c->policy : c->key;
	struct ask_result r = { .decision = ASK_UNAVAILABLE };
	char name[TOOL_MAX];
	struct buf call = { 0 };

	memset(v, 0, sizeof(*v));
	catalog_normalize(c->tool, name, sizeof(name));
	if (grant_key != NULL && has_grant(g, grant_key, name)) {
		verdict(v, true, "session", "session-grant");
		return 0;
	}
	if (render_call(&call, name, c->args) < 0) {
		buf_free(&call);
		return -1;
	}
	struct ask_request q = {
		.tool = name,
		.agent = c->agent,
		.session_key = c->key,
		.command = call.p,
		/* Allow Always is "this session": only where a session names the grant. */
		.offer_always = grant_key != NULL,
		.fallback = "deny",
		.origin_channel = c->origin_channel,
		.origin_to = c->origin_to,
		.origin_account = c->origin_account,
		.origin_thread = c->origin_thread,
	};
	if (ask == NULL)
		snprintf(r.note, sizeof(r.note), "no way to ask");
	else if (ask_human(ask, &q, &r) < 0)
		snprintf(r.note, sizeof(r.note), "%s", claw_error());
	snprintf(v->id, sizeof(v->id), "%s", r.id);
	snprintf(v->by, sizeof(v->by), "%s", r.by);
	snprintf(v->note, sizeof(v->note), "%s", r.note);
	v->waited_ms = r.waited_ms;
	answered(g, c, name, &r, v);
	buf_free(&call);
	return 0;
}

static void put_member(struct buf *b, const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	buf_printf(b, ",\"%s\":", name);
	buf_json_str(b, value);
}

void toolgate_render(const struct tool_verdict *v, const char *tool, struct buf *member)
{
	buf_printf(member, "{\"decision\":\"%s\"", v->allow ? "allow" : "deny");
	put_member(member, "via", v->via);
	put_member(member, "reason", v->reason);
	put_member(member, "tool", tool);
	put_member(member, "id", v->id);
	put_member(member, "by", v->by);
	if (v->id[0] != '\0')
		buf_printf(member, ",\"waitedMs\":%ld", v->waited_ms);
	put_member(member, "note", v->note);
	buf_putc(member, '}');
}

/* ---- the grants, from the command line ---- */

int toolgate_grants_list(const struct config *cfg, bool json, FILE *out)
{
	char *path = state_path(cfg, GRANTS_FILE);
	bool missing;
	cJSON *root = grants_read(path, &missing);
	const cJSON *e;

	free(path);
	if (root == NULL && !missing)
		return -1;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "grants"))
	{
		if (json) {
			char *line = cJSON_PrintUnformatted(e);
			fprintf(out, "%s\n", line ? line : "{}");
			cJSON_free(line);
			continue;
		}
		const char *k =
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "sessionKey"));
		const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "tool"));
		const char *by = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "by"));
		fprintf(out, "%-16s %s  (by %s)\n", t ? t : "?", k ? k : "?", by && *by ? by : "?");
	}
	cJSON_Delete(root);
	return 0;
}

int toolgate_grants_rm(const struct config *cfg, const char *key, const char *tool)
{
	char *path = state_path(cfg, GRANTS_FILE);
	char name[TOOL_MAX];
	struct grant_edit ed = { key, NULL, NULL, 0 };

	if (tool != NULL) {
		catalog_normalize(tool, name, sizeof(name));
		ed.tool = name;
	}
	int rc = grants_update(path, rm_grants, &ed);
	free(path);
	return rc < 0 ? -1 : ed.count;
}
