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

#include "jsonparse.h"

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

static int only_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p == end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *mine_end = NULL, *their_end = NULL;
	cJSON *mine = json_parse(s, size, &mine_end, arena);
	cJSON *theirs = cJSON_ParseWithLengthOpts(s, size, &their_end, 0);

	if (mine_end == NULL || mine_end < s || mine_end > s + size)
		abort(); /* the error position is always inside the input */
	if (mine != NULL && only_space(mine_end, s + size)) {
		if (theirs == NULL || !only_space(their_end, s + size) || !same_tree(mine, theirs))
			abort();
		check_links(mine);
	}
	cJSON_Delete(theirs);
	arena_drop();
	return 0;
}
