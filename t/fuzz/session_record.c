/*
 * Fuzz target: reading a record's agent, sessionKey and origin, and the
 * session they name. Whatever the record: it is read or refused with a
 * message; the cache gives what a fresh resolution gives; and no chat
 * message but a webchat DM is ever the owner's main session, the one that
 * runs on the host under sandbox mode non-main.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/record.h"
#include "session/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char config_text[] =
    "{ session: { dmScope: 'main', identityLinks: { alice: ['telegram:42', '7'] } },"
    "  agents: { defaults: { sandbox: { mode: 'non-main' } },"
    "            list: [ { id: 'main', default: true }, { id: 'ops' } ] },"
    "  bindings: [ { agentId: 'ops', match: { channel: 'discord', guildId: 'g1' } },"
    "              { agentId: 'ops', match: { channel: 'slack', peer: { kind: 'group', id: '*' } } "
    "} ],"
    "  channels: { telegram: { accounts: { work: {} } } } }";

static struct config cfg;
static struct session_settings settings;
static struct session_cache *cache;

static void setup(void)
{
	if (cache != NULL)
		return;
	if (config_load_text(&cfg, "fuzz.json", config_text) < 0 ||
	    session_settings_load(&settings, &cfg) < 0)
		abort();
	cache = session_cache_new();
}

static void check(const struct session_request *rq)
{
	struct session_info si = { 0 };

	if (session_resolve(&settings, rq, &si) < 0) {
		if (session_cache_resolve(cache, &settings, rq) != NULL)
			abort(); /* the cache resolves what the resolver refuses */
		session_info_free(&si);
		return;
	}
	const struct session_entry *e = session_cache_resolve(cache, &settings, rq);
	if (e == NULL || strcmp(e->si.key.p, si.key.p) != 0 ||
	    strcmp(e->si.policy_key.p, si.policy_key.p) != 0 || e->si.sandboxed != si.sandboxed)
		abort(); /* the cache answers otherwise than the resolver */
	if (rq->has_origin && si.main && !si.sandboxed) {
		char *channel = str_lower(str_trim_dup(rq->channel ? rq->channel : ""));
		int webchat_dm = rq->chat == CHAT_DIRECT && strcmp(channel, "webchat") == 0;
		free(channel);
		if (!webchat_dm)
			abort(); /* a stranger on the owner's main session, on the host */
	}
	session_info_free(&si);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session_record sr;

	setup();
	cJSON *root = cJSON_ParseWithLength((const char *)data, size);
	if (cJSON_IsObject(root) && session_record_read(root, &sr) == 0)
		check(&sr.rq);
	cJSON_Delete(root);
	return 0;
}
