/* Fuzz target: the /approve parser and the text a person is shown. No crash, and:
 * an accepted /approve has an id; shown text has no control or invisible
 * character left; a redacted secret is gone. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ask/asktext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			abort();
		/* U+202A..U+202E and U+2066..U+2069 (bidi), U+200B..U+200F (zero width, marks) */
		if (p[0] == 0xe2 && p[1] == 0x80 &&
		    ((p[2] >= 0xaa && p[2] <= 0xae) || (p[2] >= 0x8b && p[2] <= 0x8f)))
			abort();
		if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), id[64];
	enum ask_decision d;
	struct buf b = { 0 };

	memcpy(s, data, size);
	s[size] = '\0';
	if (approve_parse(s, "claw_test_bot", id, sizeof(id), &d) == APPROVE_OK &&
	    (id[0] == '\0' || d > ASK_DENY))
		abort();
	text_clean(&b, s, size % 2 ? 0 : size / 2);
	check_clean(b.p ? b.p : "");
	if (size > 8) {
		char secret[5], copy[256];
		memcpy(secret, s, 4);
		secret[4] = '\0';
		if (strlen(secret) == 4) {
			snprintf(copy, sizeof(copy), "%s", s);
			text_redact(copy, sizeof(copy), secret);
			if (strpbrk(secret, "<>redact") == NULL && strstr(copy, secret) != NULL)
				abort();
		}
	}
	buf_free(&b);
	free(s);
	return 0;
}
