/*
 * Fuzz target: git's config syntax (lib/core/gitconfig.c), which claw-sandbox
 * reads from a sandbox's writable tree (an include there) to keep what it
 * names read-only. No crash, bounded time, and every variable it reports is
 * one git could have: a section of letters, digits, '-' and '.', a key that
 * starts with a letter and has only letters, digits and '-', both in lower
 * case.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/gitconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(void *ctx, const char *section, const char *sub, const char *key,
                  const char *value)
{
	(void)ctx;
	(void)sub;
	(void)value;
	if (section[0] == '\0' ||
	    strspn(section, "abcdefghijklmnopqrstuvwxyz0123456789-.") != strlen(section))
		abort();
	if (key[0] < 'a' || key[0] > 'z' ||
	    strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(key))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gitconfig_parse((const char *)data, size, check, NULL);
	return 0;
}
