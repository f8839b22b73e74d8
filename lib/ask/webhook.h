/* webhook.h: approvals posted to a generic webhook, and to Slack and Discord incoming webhooks. */
#ifndef CLAW_WEBHOOK_H
#define CLAW_WEBHOOK_H

#include <stddef.h>

#include "ask/ask-types.h"
#include "ask/http.h"

enum hook_kind { HOOK_WEBHOOK, HOOK_SLACK, HOOK_DISCORD };

struct hook_target {
	enum hook_kind kind;
	const char *url; /* a secret: Slack's and Discord's URLs carry their token */
};

struct hooks;

/*
 * Posts the approval to each target: the generic webhook gets REQUEST_JSON
 * (an object: the request, to which "event":"exec.approval.requested" is
 * added) and may answer at once or after a while (long polling) with
 * {"decision": ...}: that answer is claimed in DIR like any other. Slack gets
 * PROMPT, Discord PROMPT_SHORT (under its 2000 characters), each in its own
 * message format. A failure is reported on stderr; the others carry on.
 */
struct hooks *hooks_start(struct http *h, const char *dir, const char *id, const char *request_json,
                          const char *prompt, const char *prompt_short, const struct hook_target *t,
                          size_t n, long timeout_ms);
/* Targets that were reached, or are being reached. */
size_t hooks_live(const struct hooks *k);
/* Tells every target the outcome; D, VIA and BY for the generic webhook, TEXT for chat. */
void hooks_finish(struct hooks *k, enum ask_decision d, const char *via, const char *by,
                  const char *text);
void hooks_free(struct hooks *k);

#endif
