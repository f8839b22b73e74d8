/*
 * Fuzz target: the fast JSON parser against cJSON. Whatever document the
 * parser accepts (a value and nothing but white space after it, as the record
 * loop requires), cJSON accepts too, with an equal tree and cJSON's tail links
 * (child->prev is the last child). It may refuse more than cJSON (it is
 * stricter), never less.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A tiny arena: what the parser takes is freed after each input. */
static void **blocks;
static size_t nblocks, capblocks;

static void *arena(size_t n)
{
	if (nblocks == capblocks) {
		capblocks = capblocks ? 2 * capblocks : 256;
		blocks = realloc(blocks, capblocks * sizeof(*blocks));
		if (blocks == NULL)
			abort();
	}
	return blocks[nblocks++] = malloc(n);
}

static void arena_drop(void)
{
	for (size_t i = 0; i < nblocks; i++)
		free(blocks[i]);
	nblocks = 0;
}

static void check_links(const cJSON *node)
{
	const cJSON *last = NULL;

	for (const cJSON *c = node->child; c != NULL; c = c->next) {
		if (c->prev != (last ? last : NULL) && c != node->child)
			abort();
		check_links(c);
		last = c;
	}
	if (node->child != NULL && node->child->prev != last)
		abort();
}

static int same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* cJSON_Compare, but numbers equal bit for bit (it calls inf and inf unequal). */
static int same_tree(const cJSON *a, const cJSON *b)
{
	if ((a->type & 0xff) != (b->type & 0xff) || !same_str(a->string, b->string) ||
	    !same_str(a->valuestring, b->valuestring) || a->valueint != b->valueint ||
	    memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) != 0)
		return 0;
	for (a = a->child, b = b->child; a != NULL && b != NULL; a = a->next, b = b->next)
		if (!same_tree(a, b))
			return 0;
	return a == NULL && b == NULL;
}

/* Independent of the parser's table of names: every pair, compared. */
static int has_duplicate(const cJSON *node)
{
	for (const cJSON *c = node->child; c != NULL; c = c->next) {
		if (cJSON_IsObject(node))
			for (const cJSON *d = c->next; d != NULL; d = d->next)
				if (strcmp(c->string, d->string) == 0)
					return 1;
		if (has_duplicate(c))
			return 1;
	}
	return 0;
}

/* UTF-8 by decoding: each sequence's code point must need its length and be
 * a scalar value. */
static int bad_utf8(const char *str)
{
	const unsigned char *u = (const unsigned char *)str;

	while (*u) {
		unsigned long cp;
		int n = *u < 0x80         ? 1
		        : (*u >> 5) == 6  ? 2
		        : (*u >> 4) == 14 ? 3
		        : (*u >> 3) == 30 ? 4
		                          : 0;
		if (n == 0)
			return 1;
		cp = n == 1 ? *u : *u & (0x7f >> n);
		for (int i = 1; i < n; i++) {
			if ((u[i] & 0xc0) != 0x80)
				return 1;
			cp = cp << 6 | (u[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 1;
		u += n;
	}
	return 0;
}

static int has_bad_string(const cJSON *node)
{
	if ((node->string && bad_utf8(node->string)) ||
	    (cJSON_IsString(node) && bad_utf8(node->valuestring)))
		return 1;
	for (const cJSON *c = node->child; c != NULL; c = c->next)
		if (has_bad_string(c))
			return 1;
	return 0;
}

static int only_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p == end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *their_end = NULL;
	struct json_result r;
	cJSON *mine = json_parse(s, size, arena, &r);
	cJSON *theirs = cJSON_ParseWithLengthOpts(s, size, &their_end, 0);

	if (r.end > size)
		abort(); /* the error position is always inside the input */
	if (mine == NULL && (r.fault == JSON_DUPLICATE) != (r.name != NULL))
		abort();
	if (mine != NULL && only_space(s + r.end, s + size)) {
		if (theirs == NULL || !only_space(their_end, s + size) ||
		    !same_tree(mine, theirs) || has_duplicate(mine) || has_bad_string(mine))
			abort();
		check_links(mine);
	}
	cJSON_Delete(theirs);
	arena_drop();
	return 0;
}
