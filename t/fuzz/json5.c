/* Fuzz target: the JSON5 parser. No crash, no leak, and what it accepts is a
 * tree whose every node has a position. */
#include <stdint.h>
#include <stdlib.h>

#include "core/json5.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_positions(const struct json5_doc *doc, const cJSON *node)
{
	unsigned line, col;

	if (!json5_pos_of(doc, node, &line, &col) || line == 0 || col == 0)
		abort();
	for (const cJSON *c = node->child; c != NULL; c = c->next)
		check_positions(doc, c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json5_doc doc;
	unsigned line = 0, col = 0;

	if (json5_parse((const char *)data, size, &doc, &line, &col) == 0) {
		if (doc.root == NULL || doc.npos > 4 * size + 8)
			abort();
		if (size < 4096)
			check_positions(&doc, doc.root);
		json5_free(&doc);
	} else if (line == 0 || col == 0) {
		abort(); /* an error always has a position */
	}
	return 0;
}
