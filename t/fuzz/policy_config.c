/*
 * Fuzz target: loading tools.* (and the agents' and channels' tool policies)
 * from a config. Whatever the text, loading either fails with a message or
 * gives a policy that answers for every tool in a few contexts; no crash, no
 * leak. Warnings go to stderr.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "policy/toolpolicy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct tp_request requests[] = {
	{ .agent = "main", .key = "agent:main:main", .owner = true },
	{ .agent = "ops",
	  .key = "agent:ops:telegram:group:-100:topic:7",
	  .mode = "non-main",
	  .sandboxed = true,
	  .channel = "telegram",
	  .sender = "42",
	  .provider = "openai",
	  .model = "gpt-5" },
	{ .agent = "main",
	  .key = "agent:main:subagent:a:subagent:b",
	  .mode = "all",
	  .depth = 2,
	  .sandboxed = true,
	  .provider = "OpenAI/GPT-5",
	  .sender = "@Alice" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	if (config_load_text(&cfg, "fuzz.json", text) == 0) {
		struct tp_config *tc = tp_load(&cfg);
		for (size_t r = 0; tc != NULL && r < sizeof(requests) / sizeof(requests[0]); r++) {
			struct tp_context *cx = tp_context_of(tc, &requests[r]);
			const char *p, *d;
			size_t plen, dlen;
			for (unsigned i = 0; i < catalog_ntools; i++)
				tp_member(cx, catalog_tools[i].name, &p, &plen, &d, &dlen);
			tp_member(cx, " Plugin_* ", &p, &plen, &d, &dlen);
			if (p == NULL || plen == 0 || p[0] != '{')
				abort();
		}
		tp_free(tc);
	}
	config_free(&cfg);
	free(text);
	return 0;
}
