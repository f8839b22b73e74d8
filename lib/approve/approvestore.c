/*
 * approvestore.c: what claw-approve writes to exec-approvals.json.
 *
 * Hits update lastUsedAt, lastUsedCommand and lastResolvedPath as OpenClaw
 * does, but batched: a stream of records makes one write per flush, not one
 * per record. Allow-always adds entries bound to what was approved, and
 * runs.c says whether such an entry still binds what would run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "approve/analyse.h"
#include "approve/approve.h"
#include "approve/runs.h"
#include "core/alloc.h"
#include "core/util.h"

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void replace(char **slot, const char *s)
{
	free(*slot);
	*slot = xstrdup(s);
}

static void note_one(struct approve_ctx *ctx, const struct allow_entry *e, const char *command,
                     const char *resolved, double at)
{
	for (size_t i = 0; i < ctx->nuses; i++) {
		struct approve_use *u = &ctx->uses[i];
		if (u->index == e->index && strcmp(u->list, e->list) == 0 &&
		    strcmp(u->pattern, e->raw_pattern) == 0) {
			replace(&u->command, command);
			replace(&u->resolved, resolved);
			u->at = at;
			return;
		}
	}
	ALLOC_GROW(ctx->uses, ctx->nuses + 1, ctx->capuses);
	ctx->uses[ctx->nuses++] = (struct approve_use){
		.list = xstrdup(e->list),
		.id = dup_or_null(e->id),
		.pattern = xstrdup(e->raw_pattern),
		.arg_pattern = dup_or_null(e->arg_pattern),
		.command = xstrdup(command),
		.resolved = xstrdup(resolved),
		.index = e->index,
		.at = at,
	};
}

void approve_note_uses(struct approve_ctx *ctx, const struct approve_result *res,
                       const char *command)
{
	double at = (double)clock_wall_ms();

	for (int i = 0; i < res->nsegs; i++)
		if (res->segs[i].match != NULL)
			note_one(ctx, res->segs[i].match, command, res->segs[i].file.path, at);
}

/* ---- writing the hits ---- */

static bool same_entry(const cJSON *e, const struct approve_use *u)
{
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
	const char *pattern = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "pattern"));
	const char *ap = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "argPattern"));

	if (u->id != NULL || id != NULL)
		return u->id != NULL && id != NULL && strcmp(u->id, id) == 0;
	return pattern && strcmp(pattern, u->pattern) == 0 &&
	       strcmp(ap ? ap : "", u->arg_pattern ? u->arg_pattern : "") == 0;
}

/* The entry the use was of: at its old place if still there, else wherever it moved. */
static cJSON *find_entry(cJSON *root, const struct approve_use *u)
{
	cJSON *agents = cJSON_GetObjectItemCaseSensitive(root, "agents");
	cJSON *agent = cJSON_GetObjectItemCaseSensitive(agents, u->list);
	cJSON *list = cJSON_GetObjectItemCaseSensitive(agent, "allowlist"), *e;

	if (!cJSON_IsArray(list))
		return NULL;
	e = cJSON_GetArrayItem(list, u->index);
	if (e != NULL && same_entry(e, u))
		return e;
	cJSON_ArrayForEach(e, list)
	{
		if (same_entry(e, u))
			return e;
	}
	return NULL; /* removed meanwhile: nothing to note */
}

static void set_member(cJSON *obj, const char *name, cJSON *value)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, name) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(obj, name, value);
	else
		cJSON_AddItemToObject(obj, name, value);
}

static int apply_uses(cJSON *root, void *arg)
{
	struct approve_ctx *ctx = arg;
	int changed = 0;

	for (size_t i = 0; i < ctx->nuses; i++) {
		const struct approve_use *u = &ctx->uses[i];
		cJSON *e = find_entry(root, u);
		if (e == NULL)
			continue;
		set_member(e, "lastUsedAt", cJSON_CreateNumber(u->at));
		set_member(e, "lastUsedCommand", cJSON_CreateString(u->command));
		set_member(e, "lastResolvedPath", cJSON_CreateString(u->resolved));
		changed = 1;
	}
	return changed;
}

static void clear_uses(struct approve_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nuses; i++) {
		struct approve_use *u = &ctx->uses[i];
		free(u->list);
		free(u->id);
		free(u->pattern);
		free(u->arg_pattern);
		free(u->command);
		free(u->resolved);
	}
	ctx->nuses = 0;
}

int approve_flush_uses(struct approve_ctx *ctx)
{
	if (ctx->nuses == 0)
		return 0;
	int rc = approvals_update(ctx->approvals_path, apply_uses, ctx);
	clear_uses(ctx); /* noted once; a file that cannot be written loses only timestamps */
	return rc;
}

/* ---- allow-always ---- */

/*
 * ARGS as a regular expression that means the same in POSIX extended and in
 * ECMAScript syntax, so OpenClaw reading a claw entry sees the arguments
 * pinned too: letters and a few plain characters as they are, ] ^ \ escaped,
 * everything else inside brackets.
 */
static void regex_literal(struct buf *b, const char *args)
{
	buf_putc(b, '^');
	for (const unsigned char *p = (const unsigned char *)args; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p >= 0x80 || strchr(" _/:=,@%-", *p))
			buf_putc(b, (char)*p);
		else if (strchr("]^\\", *p))
			buf_printf(b, "\\%c", *p);
		else
			buf_printf(b, "[%c]", *p);
	}
	buf_putc(b, '$');
}

struct persist {
	const struct approve_result *res;
	const char *agent;
	cJSON *entries; /* the entries to add */
	int added;
};

static int entry_for(const struct approve_result *res, const struct seg_report *s,
                     const struct runs *runs, cJSON **out)
{
	char sha[SHA256_HEX], id[37];
	struct buf args = { 0 }, re = { 0 };
	cJSON *e;

	if (exec_sha256(&s->file, sha) < 0)
		return -1;
	analyse_join_args(seg_argv(s), seg_argc(s), &args);
	regex_literal(&re, args.p);
	uuid4(id);
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "id", id);
	/* A path entry matches the real file (allowmatch_path), as OpenClaw's does. */
	cJSON_AddStringToObject(e, "pattern", s->file.real[0] ? s->file.real : s->file.path);
	cJSON_AddStringToObject(e, "argPattern", re.p);
	cJSON_AddStringToObject(e, "source", "allow-always");
	cJSON *argv = cJSON_AddArrayToObject(e, "argv");
	for (int i = 0; i < seg_argc(s); i++)
		cJSON_AddItemToArray(argv, cJSON_CreateString(seg_argv(s)[i]));
	cJSON_AddStringToObject(e, "cwd", res->cwd);
	cJSON_AddStringToObject(e, "sha256", sha);
	if (runs->n > 0) {
		cJSON *list = cJSON_AddArrayToObject(e, "runs");
		for (int i = 0; i < runs->n; i++) {
			cJSON *r = cJSON_CreateObject();
			cJSON_AddStringToObject(r, "path", runs->r[i].path);
			cJSON_AddStringToObject(r, "sha256", runs->r[i].sha256);
			cJSON_AddItemToArray(list, r);
		}
	}
	cJSON_AddNumberToObject(e, "lastUsedAt", (double)clock_wall_ms());
	buf_free(&args);
	buf_free(&re);
	*out = e;
	return 0;
}

/* The same binding: pattern, argv, cwd, program and script. */
static bool same_binding(const cJSON *a, const cJSON *b)
{
	static const char *const keys[] = { "pattern", "cwd", "sha256" };

	for (size_t i = 0; i < NELEM(keys); i++) {
		const char *x = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, keys[i]));
		const char *y = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, keys[i]));
		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
			return false;
	}
	return cJSON_Compare(cJSON_GetObjectItemCaseSensitive(a, "argv"),
	                     cJSON_GetObjectItemCaseSensitive(b, "argv"), 1) &&
	       cJSON_Compare(cJSON_GetObjectItemCaseSensitive(a, "runs"),
	                     cJSON_GetObjectItemCaseSensitive(b, "runs"), 1);
}

static int add_entries(cJSON *root, void *arg)
{
	struct persist *p = arg;
	cJSON *list = approvals_list(root, p->agent), *e, *have;

	p->added = 0;
	cJSON_ArrayForEach(e, p->entries)
	{
		bool dup = false;
		cJSON_ArrayForEach(have, list)
		{
			dup |= same_binding(have, e);
		}
		if (dup)
			continue;
		cJSON_AddItemToArray(list, cJSON_Duplicate(e, 1));
		p->added++;
	}
	return p->added > 0;
}

/*
 * A segment allow-always may persist: a program that ran, not a shell or
 * anything else only a person may allow, and whose runs can be bound (runs.h).
 */
static bool persistable(const struct approve_result *res, const struct seg_report *s,
                        struct runs *runs)
{
	return s->need != NEED_HUMAN && s->file.found && runs_of(s, res->cwd, runs) == 0;
}

int approve_persist(struct approve_ctx *ctx, const struct approve_result *res,
                    const char *agent_key)
{
	struct persist p = { res, agent_key, cJSON_CreateArray(), 0 };
	struct runs *runs = xmalloc(sizeof(*runs));
	int rc = 0;

	for (int i = 0; i < res->nsegs && rc == 0; i++) {
		cJSON *e;
		if (!persistable(res, &res->segs[i], runs))
			continue;
		if ((rc = entry_for(res, &res->segs[i], runs, &e)) == 0)
			cJSON_AddItemToArray(p.entries, e);
	}
	free(runs);
	if (rc == 0 && cJSON_GetArraySize(p.entries) > 0)
		rc = approvals_update(ctx->approvals_path, add_entries, &p);
	cJSON_Delete(p.entries);
	return rc < 0 ? -1 : p.added;
}
