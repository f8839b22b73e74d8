/*
 * toolgate.h: asking a person before a tool other than exec runs.
 *
 * approvals.tools (claw's own key) names the tools, and groups, that need a
 * person's yes before each call: OpenClaw's "ask before sending", for the
 * message and sessions_send tools above all. The person sees the whole call
 * (a message's text in full) and answers allow once, allow this tool for the
 * rest of the session, or deny. Session grants live in
 * <state>/tool-grants.json, keyed by the session's policy key: the key the
 * sandbox and tool policy judge, so a stranger's DM in the main session
 * never inherits the owner's grant.
 *
 * Exec has its own path (approve.h); nothing here looks at a command line.
 */
#ifndef CLAW_TOOLGATE_H
#define CLAW_TOOLGATE_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "ask/ask.h"
#include "core/config.h"
#include "core/util.h"

struct toolgate;

/* One call of a gated tool, as the record says. Strings may be NULL. */
struct tool_call {
	const char *tool;   /* as the record writes it */
	const cJSON *args;  /* shown whole to the person */
	const char *agent;  /* session.agent */
	const char *key;    /* session.key, shown */
	const char *policy; /* session.policyKey: what a grant is bound to */
	const char *origin_channel, *origin_to, *origin_account, *origin_thread;
};

struct tool_verdict {
	bool allow;
	const char *via;    /* session | tty | chat | webhook | cli | runtime | fallback */
	const char *reason; /* session-grant | allow-once | allow-session | user-denied |
	                       approval-timeout | deferred */
	char id[37];        /* the approval's id when a person was asked */
	char by[128];
	char note[160]; /* why nobody answered, or why a grant was not kept */
	long waited_ms;
	char via_buf[16];
};

/*
 * approvals.tools from CFG (NULL *OUT: no tool is gated), and where the
 * grants are kept. -1 with claw_error() (FILE:LINE:COL) for a config error.
 */
int toolgate_load(struct toolgate **out, const struct config *cfg);
void toolgate_free(struct toolgate *g);

/* Whether approvals.tools names TOOL. Never true for exec. */
bool toolgate_covers(const struct toolgate *g, const char *tool);

/*
 * Decides one call: a grant of this session allows it; otherwise a person is
 * asked through ASK (every way claw-approve was given), and no answer, no
 * way to ask or a deferral refuses it. Returns 0, or -1 (claw_error()) when
 * the call cannot be shown (its arguments cannot be printed).
 */
int toolgate_decide(const struct toolgate *g, const struct ask_settings *ask,
                    const struct tool_call *c, struct tool_verdict *v);

/* The approval member: {decision, via, reason, tool, id, by, waitedMs, note}. */
void toolgate_render(const struct tool_verdict *v, const char *tool, struct buf *member);

/* The grants, one line each (JSON Lines with JSON), and their removal. */
int toolgate_grants_list(const struct config *cfg, bool json, FILE *out);
/* Removes the grants of session KEY (of TOOL only, when not NULL); the count, or -1. */
int toolgate_grants_rm(const struct config *cfg, const char *key, const char *tool);

#endif
