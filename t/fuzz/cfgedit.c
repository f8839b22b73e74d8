/*
 * Fuzz target: the config editor behind `claw-audit check --fix`. The first
 * byte picks a path and a value, the rest is a JSON5 config. When the edit
 * succeeds, the new file must mean exactly the old one with that one value
 * set (objects created along the way), and nothing else.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cfgedit.h"
#include "core/json5.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
	"logging.redactSensitive",
	"agents.defaults.sandbox.mode",
	"session.dmScope",
	"tools.deny",
	"channels.telegram.groupPolicy",
	"agents.list[0].sandbox.mode",
	"a",
	"tools.exec.security",
};
static const char *const values[] = { "\"tools\"", "false", "[\"exec\",\"group:memory\"]",
	                              "\"a\\\"b\"" };

/* The expected tree: ROOT with PATH set to VALUE, as cfgedit promises. */
static int expect(cJSON *root, const char *path, const char *value)
{
	char *copy = strdup(path), *save = NULL;
	cJSON *node = root;
	int rc = -1;

	for (char *seg = strtok_r(copy, ".", &save); seg; seg = strtok_r(NULL, ".", &save)) {
		char *bracket = strchr(seg, '[');
		long index = -1;
		if (bracket) {
			index = strtol(bracket + 1, NULL, 10);
			*bracket = '\0';
		}
		bool last = save == NULL || *save == '\0';
		if (!cJSON_IsObject(node))
			goto out;
		cJSON *next = cJSON_GetObjectItemCaseSensitive(node, seg);
		if (index >= 0) {
			if (!cJSON_IsArray(next) ||
			    (next = cJSON_GetArrayItem(next, (int)index)) == NULL)
				goto out;
		}
		if (last) {
			cJSON *v = cJSON_Parse(value);
			if (index >= 0) {
				/* Only the member of an existing element is ever set; not reached.
				 */
				cJSON_Delete(v);
				goto out;
			}
			if (next)
				cJSON_ReplaceItemInObjectCaseSensitive(node, seg, v);
			else
				cJSON_AddItemToObject(node, seg, v);
			rc = 0;
			goto out;
		}
		if (next == NULL)
			next = cJSON_AddObjectToObject(node, seg);
		node = next;
	}
out:
	free(copy);
	return rc;
}

static int depth(const cJSON *n)
{
	int d = 0;

	for (const cJSON *c = n ? n->child : NULL; c; c = c->next) {
		int k = depth(c);
		d = k > d ? k : d;
	}
	return d + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf text = { 0 };
	struct json5_doc before = { 0 }, after = { 0 };
	unsigned line, col;

	if (size < 1)
		return 0;
	const char *path = paths[data[0] % 8];
	const char *value = values[(data[0] >> 3) % 4];
	buf_put(&text, data + 1, size - 1);
	if (json5_parse(text.p, text.len, &before, &line, &col) < 0) {
		if (cfgedit_set(&text, path, value) == 0)
			abort(); /* a file that does not parse is never edited */
		buf_free(&text);
		return 0;
	}
	/* Infinity and NaN never compare equal, not even to themselves, and
	 * cJSON_Compare takes time exponential in the depth: such trees are
	 * only parsed again. */
	bool comparable = false;
	if (depth(before.root) <= 8) {
		cJSON *twin = cJSON_Duplicate(before.root, 1); /* same pointer: always equal */
		comparable = cJSON_Compare(before.root, twin, 1);
		cJSON_Delete(twin);
	}
	if (cfgedit_set(&text, path, value) == 0) {
		if (json5_parse(text.p, text.len, &after, &line, &col) < 0)
			abort();
		if (comparable && (expect(before.root, path, value) < 0 ||
		                   !cJSON_Compare(before.root, after.root, 1)))
			abort();
		json5_free(&after);
	}
	json5_free(&before);
	buf_free(&text);
	return 0;
}
