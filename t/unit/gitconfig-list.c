/*
 * gitconfig-list FILE: FILE read by lib/core/gitconfig.c, printed as `git config
 * --file FILE --list` prints it (section[.subsection].key[=value], one a line),
 * so that t/gitconfig.bats can hold it against git itself.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/fsutil.h"
#include "core/gitconfig.h"

static void print(void *ctx, const char *section, const char *sub, const char *key,
                  const char *value)
{
	(void)ctx;
	printf("%s.%s%s%s%s%s\n", section, sub ? sub : "", sub ? "." : "", key, value ? "=" : "",
	       value ? value : "");
}

int main(int argc, char **argv)
{
	char *text;
	size_t len;

	if (argc != 2 || read_file(argv[1], 0, &text, &len) < 0) {
		fprintf(stderr, "usage: gitconfig-list FILE\n");
		return 2;
	}
	gitconfig_parse(text, len, print, NULL);
	free(text);
	return 0;
}
