/* json5.h: a small JSON5 parser that builds cJSON trees and remembers positions. */
#ifndef CLAW_JSON5_H
#define CLAW_JSON5_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct json5_pos {
	const cJSON *node;
	unsigned line, col;   /* 1-based, where the value starts */
	size_t off;           /* the same place as a byte offset */
	unsigned kline, kcol; /* where its member name starts; 0 for a value that has none */
	size_t koff;
};

struct json5_doc {
	cJSON *root;
	struct json5_pos *pos;
	size_t npos, cap;
};

/*
 * Parses JSON5 (comments, trailing commas, unquoted keys, single quotes,
 * hexadecimal numbers, leading/trailing decimal points, +, Infinity, NaN,
 * escaped line breaks). Duplicate keys are an error: a config must not mean
 * two things. Returns 0, or -1 with claw_error() set and the error position in *line and *col.
 */
int json5_parse(const char *text, size_t len, struct json5_doc *doc, unsigned *line, unsigned *col);
void json5_free(struct json5_doc *doc);
/* Byte offset where a node of doc's tree starts (for editing the text); 0 when unknown. */
int json5_offset_of(const struct json5_doc *doc, const cJSON *node, size_t *off);
/* Position of a node of doc's tree; 0 when unknown. */
int json5_pos_of(const struct json5_doc *doc, const cJSON *node, unsigned *line, unsigned *col);
/* Position of the member name of a node of doc's tree (of the value when it
 * has no name); 0 when unknown. */
int json5_key_pos_of(const struct json5_doc *doc, const cJSON *node, unsigned *line, unsigned *col);
/* Byte offset of the member name of a node (of the value when it has none); 0 when unknown. */
int json5_key_offset_of(const struct json5_doc *doc, const cJSON *node, size_t *off);

#endif
