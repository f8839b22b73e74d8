/* check-channels.c: claw-audit check, channels: who can reach the agent, and how their DMs are kept
 * apart. */
#include "audit/seccheck-int.h"

#include <stdio.h>
#include <stdlib.h>

/* Calls FN for the channel's root section and for each of its accounts. */

void each_section(struct ctx *c, section_fn fn, void *arg)
{
	const cJSON *ch;
	struct buf base = { 0 };

	cJSON_ArrayForEach(ch, get(c->root, "channels"))
	{
		if (!cJSON_IsObject(ch))
			continue;
		buf_reset(&base);
		buf_printf(&base, "channels.%s", ch->string);
		fn(c, ch->string, ch, base.p, arg);
		const cJSON *acc;
		cJSON_ArrayForEach(acc, get(ch, "accounts"))
		{
			if (!cJSON_IsObject(acc))
				continue;
			buf_reset(&base);
			buf_printf(&base, "channels.%s.accounts.%s", ch->string, acc->string);
			fn(c, ch->string, acc, base.p, arg);
		}
	}
	buf_free(&base);
}

const char *dm_policy(const cJSON *section, const char **key)
{
	const char *p = sget(section, "dmPolicy");

	*key = "dmPolicy";
	if (p == NULL) {
		p = sget(section, "dm.policy");
		*key = "dm.policy";
	}
	return p;
}

static void open_inbound_fn(struct ctx *c, const char *channel, const cJSON *s, const char *base,
                            void *arg)
{
	struct strvec *out = arg;
	const char *key, *dm = dm_policy(s, &key);
	struct buf b = { 0 };

	(void)c;
	(void)channel;
	if (sget(s, "groupPolicy") && strcmp(sget(s, "groupPolicy"), "open") == 0) {
		buf_printf(&b, "%s.groupPolicy", base);
		strvec_push(out, b.p);
		buf_reset(&b);
	}
	if (dm && strcmp(dm, "open") == 0) {
		buf_printf(&b, "%s.%s", base, key);
		strvec_push(out, b.p);
	}
	buf_free(&b);
}

/* Every dmPolicy/groupPolicy set to "open", as OpenClaw lists them. */
void open_inbound(struct ctx *c, struct strvec *out)
{
	each_section(c, open_inbound_fn, out);
}

/* Every groupPolicy or dmPolicy "open" anywhere under channels, sorted: the
 * list OpenClaw's exec checks use (it looks deeper than open_inbound). */
static void open_policies_under(const cJSON *node, struct buf *path, struct strvec *out)
{
	const cJSON *m;
	size_t len = path->len;

	cJSON_ArrayForEach(m, node)
	{
		if (cJSON_IsString(m) && strcmp(m->valuestring, "open") == 0 &&
		    (strcmp(m->string, "groupPolicy") == 0 || strcmp(m->string, "dmPolicy") == 0)) {
			buf_printf(path, ".%s", m->string);
			strvec_push(out, path->p);
		} else if (cJSON_IsObject(m)) {
			buf_printf(path, ".%s", m->string);
			open_policies_under(m, path, out);
		}
		path->len = len;
		path->p[len] = '\0';
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void open_policies(struct ctx *c, struct strvec *out)
{
	struct buf path = { 0 };

	buf_puts(&path, "channels");
	if (cJSON_IsObject(get(c->root, "channels")))
		open_policies_under(get(c->root, "channels"), &path, out);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_str);
	buf_free(&path);
}

bool list_has_wildcard(const cJSON *list)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, list)
	{
		if (cJSON_IsString(e)) {
			char *t = str_trim_dup(e->valuestring);
			bool w = strcmp(t, "*") == 0;
			free(t);
			if (w)
				return true;
		}
	}
	return false;
}

/* Entries of an allowFrom list, trimmed, non-empty, distinct (numbers as ids). */
size_t list_distinct(const cJSON *list, bool *wildcard)
{
	struct strvec seen = { 0 };
	const cJSON *e;

	*wildcard = false;
	cJSON_ArrayForEach(e, list)
	{
		char num[32], *t;
		if (cJSON_IsNumber(e)) {
			snprintf(num, sizeof(num), "%.0f", e->valuedouble);
			t = xstrdup(num);
		} else if (cJSON_IsString(e)) {
			t = str_trim_dup(e->valuestring);
		} else {
			continue;
		}
		bool dup = t[0] == '\0';
		if (strcmp(t, "*") == 0)
			*wildcard = dup = true;
		for (size_t i = 0; i < seen.n && !dup; i++)
			dup = strcmp(seen.v[i], t) == 0;
		if (!dup)
			strvec_push(&seen, t);
		free(t);
	}
	size_t n = seen.n;
	strvec_clear(&seen);
	return n;
}

const char *dm_scope(const struct ctx *c)
{
	const char *s = sget(c->root, "session.dmScope");
	return s ? s : "main";
}

/* OpenClaw's display names of the common channels; others get their id capitalised. */
static void channel_label(const char *channel, char *out, size_t size)
{
	static const struct {
		const char *id, *label;
	} labels[] = { { "telegram", "Telegram" },
		       { "whatsapp", "WhatsApp" },
		       { "discord", "Discord" },
		       { "slack", "Slack" },
		       { "signal", "Signal" },
		       { "imessage", "iMessage" },
		       { "msteams", "Microsoft Teams" },
		       { "matrix", "Matrix" },
		       { "googlechat", "Google Chat" },
		       { "mattermost", "Mattermost" },
		       { "irc", "IRC" },
		       { "line", "LINE" } };

	for (size_t i = 0; i < NELEM(labels); i++)
		if (strcmp(labels[i].id, channel) == 0) {
			snprintf(out, size, "%s", labels[i].label);
			return;
		}
	snprintf(out, size, "%s", channel);
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

void check_channel_dm(struct ctx *c, const char *channel, const cJSON *s, const char *base,
                      void *arg)
{
	const char *key, *policy = dm_policy(s, &key);
	const cJSON *allow = get(s, "allowFrom");
	const char *acc = strstr(base, ".accounts.");
	bool wildcard;
	char label[64];
	struct buf id = { 0 }, title = { 0 };

	(void)arg;
	if (cJSON_IsFalse(get(s, "enabled")))
		return;
	channel_label(channel, label, sizeof(label));
	if (allow == NULL)
		allow = get(s, "dm.allowFrom");
	size_t n = list_distinct(allow, &wildcard);
	if (policy == NULL)
		policy = "pairing"; /* OpenClaw's default: strangers must pair first */
	bool open = strcmp(policy, "open") == 0;
	if (open) {
		buf_printf(&id, "channels.%s.dm.open", channel);
		buf_printf(&title, "%s DMs are open", label);
		report_addf(
		    c, id.p, SEV_CRITICAL, title.p,
		    "Use dmPolicy \"pairing\" or \"allowlist\"; keep \"open\" only for a bot meant "
		    "for strangers, with the public preset.",
		    "%s.%s=\"open\": anyone who finds the bot can talk to the agent and steer its "
		    "tools.",
		    base, key);
		if (!wildcard) {
			buf_reset(&id);
			buf_reset(&title);
			buf_printf(&id, "channels.%s.dm.open_invalid", channel);
			buf_printf(&title, "%s DM config looks inconsistent", label);
			report_addf(c, id.p, SEV_WARN, title.p, NULL,
			            "%s.%s=\"open\" but %s.allowFrom does not include \"*\".", base,
			            key, base);
		}
	} else if (strcmp(policy, "disabled") == 0) {
		buf_printf(&id, "channels.%s.dm.disabled", channel);
		buf_printf(&title, "%s DMs are disabled", label);
		report_addf(c, id.p, SEV_INFO, title.p, NULL,
		            "%s.%s=\"disabled\": inbound DMs are ignored.", base, key);
		goto done;
	}
	/* Several senders admitted, one session: OpenClaw's session-collision check. */
	if (strcmp(dm_scope(c), "main") == 0 && (open || wildcard || n > 1)) {
		bool symbolic = open || wildcard;
		buf_reset(&id);
		buf_reset(&title);
		buf_printf(&id, "channels.dm.session_collision.%s-%s.1", channel,
		           acc ? acc + strlen(".accounts.") : "default");
		buf_puts(&title, symbolic ? "DM principals may share a session"
		                          : "DM principals share a session");
		if (symbolic)
			report_addf(
			    c, id.p, SEV_WARN, title.p,
			    "Set session.dmScope=\"per-channel-peer\" (the secure preset; "
			    "claw-audit check --fix --preset secure does it).",
			    "%s admits anyone to DMs, and session.dmScope is \"main\": every "
			    "sender "
			    "lands in the same conversation of agent \"%s\", sees the others' "
			    "context and can steer it.",
			    base, cfg_default_agent(c->cfg));
		else
			report_addf(
			    c, id.p, SEV_WARN, title.p,
			    "Set session.dmScope=\"per-channel-peer\" (the secure preset; "
			    "claw-audit check --fix --preset secure does it).",
			    "%s admits %zu DM senders, and session.dmScope is \"main\": they share "
			    "one conversation of agent \"%s\", so each sees the others' context "
			    "and "
			    "can steer it.",
			    base, n, cfg_default_agent(c->cfg));
	} else if (strcmp(policy, "pairing") == 0 && n == 0 && !wildcard && allow != NULL) {
		buf_reset(&id);
		buf_reset(&title);
		buf_printf(&id, "channels.%s.dm.locked", channel);
		buf_printf(&title, "%s DMs are locked", label);
		report_addf(
		    c, id.p, SEV_INFO, title.p, NULL,
		    "%s.%s=\"pairing\" has no admitted senders: unknown senders are refused or "
		    "get a pairing code.",
		    base, key);
	}
done:
	buf_free(&id);
	buf_free(&title);
}
