/*
 * clawmove.c: claw's own keys out of openclaw.json, into claw.json.
 *
 * OpenClaw refuses openclaw.json while it holds a key of claw's; claw reads
 * it there still (with a warning) so that a config written before claw.json
 * existed keeps working. claw-audit check --fix ends that: each such key is
 * taken out of openclaw.json's text and put into claw.json's, comments and
 * all, by cfgedit, so both files keep their layout and every other word.
 */
#include "core/clawmove.h"

#include <stdlib.h>
#include <string.h>

#include "core/cfgedit.h"
#include "core/json5.h"
#include "core/ids.h"

const char claw_json_template[] =
    "// claw's own settings: OpenClaw refuses these keys in openclaw.json, so claw\n"
    "// reads them here, at the paths they would have there. See claw-config(5).\n"
    "{\n"
    "}\n";

/*
 * Where the key at PATH of openclaw.json goes in claw.json: the same path,
 * but agents.list[N].REST becomes agents.entries.<id of entry N>.REST.
 * Allocated, or NULL with claw_error() when entry N has no id.
 */
static char *claw_path_for(const struct config *cfg, const char *path)
{
	const char *rest;
	long n;
	char id[SESSION_ID_MAX];

	if (!str_has_prefix(path, "agents.list["))
		return xstrdup(path);
	n = strtol(path + strlen("agents.list["), (char **)&rest, 10);
	const cJSON *entry = cJSON_GetArrayItem(cfg_get(cfg->doc.root, "agents.list"), (int)n);
	const char *raw = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "id"));
	if (raw == NULL || rest[0] != ']') {
		claw_fail("%s: the agent has no id, so claw.json cannot name it", path);
		return NULL;
	}
	return xasprintf("agents.entries.%s%s", norm_agent_id(raw, id), rest + 1);
}

/* Whether PATH names a value in the JSON5 text T. */
static const cJSON *lookup(const struct json5_doc *doc, const char *path)
{
	return cfg_get(doc->root, path);
}

/*
 * Puts VALUE (JSON5, with COMMENT) at PATH of CLAW, unless claw.json has
 * PATH already: then only the members it lacks go in, and for a value that
 * is not an object, nothing (claw.json's applied).
 */
static int put_missing(struct buf *claw, const char *path, const char *value, const char *comment)
{
	struct json5_doc doc = { 0 }, val = { 0 };
	unsigned line, col;
	int rc = 0;

	if (json5_parse(claw->p, claw->len, &doc, &line, &col) < 0)
		return claw_fail("%u:%u: %s", line, col, claw_error());
	const cJSON *have = lookup(&doc, path);
	if (have == NULL) {
		json5_free(&doc);
		return cfgedit_put(claw, path, value, comment);
	}
	bool both_objects = cJSON_IsObject(have) &&
	                    json5_parse(value, strlen(value), &val, &line, &col) == 0 &&
	                    cJSON_IsObject(val.root);
	json5_free(&doc);
	if (!both_objects) {
		json5_free(&val);
		return 0;
	}
	struct buf rest = { 0 };
	buf_puts(&rest, value);
	for (const cJSON *m = val.root->child; m != NULL && rc == 0; m = m->next) {
		char *mv, *mc, *sub = xasprintf("%s.%s", path, m->string);
		rc = cfgedit_take(&rest, m->string, &mv, &mc);
		if (rc == 0)
			rc = put_missing(claw, sub, mv, mc);
		free(mv);
		free(mc);
		free(sub);
	}
	buf_free(&rest);
	json5_free(&val);
	return rc;
}

static int move_one(const struct config *cfg, struct buf *oc, struct buf *claw, const char *path)
{
	char *to = claw_path_for(cfg, path), *value = NULL, *comment = NULL;
	int rc = -1;

	if (to != NULL && cfgedit_take(oc, path, &value, &comment) == 0)
		rc = put_missing(claw, to, value, comment);
	free(to);
	free(value);
	free(comment);
	return rc;
}

int claw_keys_move(const struct config *cfg, struct buf *oc, struct buf *claw)
{
	struct buf oc2 = { 0 }, claw2 = { 0 };
	int n = 0;

	buf_put(&oc2, oc->p ? oc->p : "", oc->len);
	buf_put(&claw2, claw->p ? claw->p : "", claw->len);
	for (size_t i = 0; i < cfg->problems.n; i++) {
		const struct cfg_problem *p = &cfg->problems.v[i];
		if (!p->warning)
			continue;
		if (move_one(cfg, &oc2, &claw2, p->path) < 0) {
			claw_fail("%s: %s", p->path, claw_error());
			buf_free(&oc2);
			buf_free(&claw2);
			return -1;
		}
		n++;
	}
	buf_free(oc);
	buf_free(claw);
	*oc = oc2;
	*claw = claw2;
	return n;
}
