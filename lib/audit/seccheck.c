/*
 * seccheck.c: claw-audit check, OpenClaw's `security audit` for this stack.
 *
 * Every check reads the config with its own small readers (the stages that
 * own these keys are separate programs) and adds findings in OpenClaw's
 * shape: a check id, a severity, a title, a detail that names the key or the
 * path, and what to do. Where OpenClaw has the same check, the id, severity
 * and trigger are OpenClaw's; claw's own checks (kernel features, the
 * approvals file, the decision log, presets) use ids in the same style.
 *
 * The lists the checks judge by are tables at the top, one row per entry,
 * each with the reason it is there.
 */
#include "audit/seccheck.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/cfgedit.h"
#include "core/execpath.h"
#include "core/clawmove.h"
#include "core/fsutil.h"
#include "core/glob.h"
#include "native/kernel.h"
#include "native/limits.h"
#include "sandbox/hostview.h"
#include "core/preset.h"
#include "sandbox/sandbox.h"
#include "session/session.h"
#include "approve/wrappers.h"
#include "approve/safebin.h"
#include "approve/risk.h"
#include "policy/toolcatalog.h"
#include "policy/toolpolicy.h"

/* ---- tables ---- */

/* Tools that run commands, touch files, or change the gateway (OpenClaw's exposure checks). */
static const char *const runtime_tools[] = { "exec", "process" };
static const char *const fs_tools[] = { "read", "write", "edit", "apply_patch" };
static const char *const control_plane_tools[] = { "automations", "gateway", "plugins" };

/* Path fragments of folders that sync to other machines (OpenClaw's fs.synced_dir). */
static const char *const synced_markers[] = { "icloud", "dropbox", "google drive", "googledrive",
	                                      "onedrive" };

/* Exec modes as OpenClaw's resolveExecModePolicy maps them to a security level. */
static const struct {
	const char *mode, *security;
} exec_modes[] = { { "deny", "deny" },
	           { "allowlist", "allowlist" },
	           { "ask", "allowlist" },
	           { "auto", "allowlist" },
	           { "full", "full" } };

/*
 * What a preset key means for safety: its values from loosest to tightest,
 * and OpenClaw's default when a config leaves it out. --fix --preset only
 * ever moves a value to the right.
 */
enum rule_kind { RULE_ORDER, RULE_NETWORK, RULE_FALSE_TIGHT, RULE_SUPERSET, RULE_AT_MOST };
static const struct rule {
	const char *key; /* under agents.defaults. / tools. / session. */
	enum rule_kind kind;
	const char *order[5];
	const char *def; /* OpenClaw's default, as JSON */
	const char *why;
} preset_rules[] = {
	{ "agents.defaults.sandbox.mode",
	  RULE_ORDER,
	  { "off", "non-main", "all" },
	  "\"off\"",
	  "which sessions run in a sandbox" },
	{ "agents.defaults.sandbox.scope",
	  RULE_ORDER,
	  { "shared", "agent", "session" },
	  "\"agent\"",
	  "what one sandbox is shared by" },
	{ "agents.defaults.sandbox.workspaceAccess",
	  RULE_ORDER,
	  { "rw", "ro", "none" },
	  "\"none\"",
	  "what of the host workspace a sandbox sees" },
	{ "agents.defaults.sandbox.docker.network",
	  RULE_NETWORK,
	  { 0 },
	  "\"none\"",
	  "whether a sandbox reaches the network" },
	{ "agents.defaults.sandbox.docker.pidsLimit",
	  RULE_AT_MOST,
	  { 0 },
	  "\"unlimited\"",
	  "how many processes a sandbox may run" },
	{ "agents.defaults.sandbox.docker.memory",
	  RULE_AT_MOST,
	  { 0 },
	  "\"unlimited\"",
	  "how much memory a sandbox may use" },
	{ "session.dmScope",
	  RULE_ORDER,
	  { "main", "per-peer", "per-channel-peer", "per-account-channel-peer" },
	  "\"main\"",
	  "whether DM senders share one conversation" },
	{ "tools.exec.security",
	  RULE_ORDER,
	  { "full", "allowlist", "deny" },
	  "\"full\"",
	  "which host commands run without asking" },
	{ "tools.exec.ask",
	  RULE_ORDER,
	  { "off", "on-miss", "always" },
	  "\"off\"",
	  "when a human is asked" },
	{ "tools.elevated.enabled",
	  RULE_FALSE_TIGHT,
	  { 0 },
	  "true",
	  "the escape hatch from the sandbox to the host" },
	{ "tools.deny", RULE_SUPERSET, { 0 }, "[]", "tools no session may use" },
};

/* ---- small helpers ---- */

struct ctx {
	struct config *cfg;
	const cJSON *root;
	const struct check_opts *o;
	struct check_report *r;
	cJSON *approvals; /* exec-approvals.json, or NULL */
	char *approvals_path;
	char *log_path;
	struct tp_config *tp; /* claw-policy's compiled tool policy, or NULL (a config error) */
};

static const cJSON *get(const cJSON *node, const char *dotted)
{
	return node ? cfg_get(node, dotted) : NULL;
}

static const char *sget(const cJSON *node, const char *dotted)
{
	const cJSON *v = get(node, dotted);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool is_true(const cJSON *node, const char *dotted)
{
	return cJSON_IsTrue(get(node, dotted));
}

static const char *agent_id(const cJSON *agent)
{
	return sget(agent, "id");
}

static void strlist_add(struct strlist *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = xstrdup(s);
}

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void detail_lines(struct buf *b, const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		buf_printf(b, "\n- %s", l->v[i]);
}

static void report_add(struct ctx *c, const char *id, enum sev sev, const char *title,
                       const char *detail, const char *remediation)
{
	struct check_report *r = c->r;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->f = xrealloc(r->f, r->cap * sizeof(*r->f));
	}
	r->f[r->n++] = (struct finding){ xstrdup(id), sev, xstrdup(title), xstrdup(detail),
		                         remediation ? xstrdup(remediation) : NULL };
}

static void report_addf(struct ctx *c, const char *id, enum sev sev, const char *title,
                        const char *remediation, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void report_addf(struct ctx *c, const char *id, enum sev sev, const char *title,
                        const char *remediation, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	report_add(c, id, sev, title, b.p, remediation);
	buf_free(&b);
}

/* The first name in WORDS (space-separated, space-framed) that PATTERN matches. */
static const char *glob_hits_word(const char *pattern, const char *words, char *hit, size_t size)
{
	for (const char *p = words; *p;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n == 0)
			break;
		if (n < size) {
			memcpy(hit, p, n);
			hit[n] = '\0';
			if (glob_match(pattern, hit))
				return hit;
		}
		p += n;
	}
	return NULL;
}

static char *basename_lower(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *b = str_lower(xstrdup(slash ? slash + 1 : path));
	size_t n = strlen(b);

	if (n > 4 && strcmp(b + n - 4, ".exe") == 0)
		b[n - 4] = '\0';
	return b;
}

/* ---- permissions ---- */

struct perm {
	bool ok, symlink, dir;
	unsigned bits;
};

static struct perm perm_of(const char *path)
{
	struct perm p = { 0 };
	struct stat st;

	if (lstat(path, &st) < 0)
		return p;
	p.ok = true;
	p.symlink = S_ISLNK(st.st_mode);
	if (p.symlink) {
		struct stat t;
		if (stat(path, &t) == 0)
			st = t;
	}
	p.dir = S_ISDIR(st.st_mode);
	p.bits = (unsigned)st.st_mode & 0777;
	return p;
}

static void chmod_fix(struct buf *b, unsigned mode, const char *path)
{
	buf_printf(b, "chmod %03o %s (claw-audit check --fix does it)", mode, path);
}

static void check_state_dir(struct ctx *c, const char *dir)
{
	struct perm p = perm_of(dir);
	struct buf fix = { 0 };

	if (!p.ok)
		return;
	chmod_fix(&fix, 0700, dir);
	if (p.symlink)
		report_addf(
		    c, "fs.state_dir.symlink", SEV_WARN, "State dir is a symlink", NULL,
		    "%s is a symlink: whoever controls where it points controls claw's config, "
		    "approvals and decision log.",
		    dir);
	if (p.bits & 0002)
		report_addf(c, "fs.state_dir.perms_world_writable", SEV_CRITICAL,
		            "State dir is world-writable", fix.p,
		            "%s mode=%03o; any user on this machine can replace the config, the "
		            "approvals or the decision log.",
		            dir, p.bits);
	else if (p.bits & 0020)
		report_addf(
		    c, "fs.state_dir.perms_group_writable", SEV_WARN, "State dir is group-writable",
		    fix.p,
		    "%s mode=%03o; members of its group can replace the config, the approvals or "
		    "the decision log.",
		    dir, p.bits);
	else if (p.bits & 0044)
		report_addf(
		    c, "fs.state_dir.perms_readable", SEV_WARN, "State dir is readable by others",
		    fix.p,
		    "%s mode=%03o; other users can list and read claw's state; 700 keeps it "
		    "to you.",
		    dir, p.bits);
	buf_free(&fix);
}

static void check_config_file(struct ctx *c, const char *path)
{
	struct perm p = perm_of(path);
	struct buf fix = { 0 };

	if (!p.ok)
		return;
	chmod_fix(&fix, 0600, path);
	if (p.symlink)
		report_addf(
		    c, "fs.config.symlink", SEV_WARN, "Config file is a symlink", NULL,
		    "%s is a symlink: make sure you trust its target (--fix does not rewrite "
		    "through it).",
		    path);
	if (p.bits & 0022)
		report_addf(
		    c, "fs.config.perms_writable", SEV_CRITICAL,
		    "Config file is writable by others", fix.p,
		    "%s mode=%03o; another user could turn off the sandbox or open the tool "
		    "policy.",
		    path, p.bits);
	else if (!p.symlink && (p.bits & 0004))
		report_addf(c, "fs.config.perms_world_readable", SEV_CRITICAL,
		            "Config file is world-readable", fix.p,
		            "%s mode=%03o; configs hold tokens and private settings.", path,
		            p.bits);
	else if (!p.symlink && (p.bits & 0040))
		report_addf(
		    c, "fs.config.perms_group_readable", SEV_WARN, "Config file is group-readable",
		    fix.p, "%s mode=%03o; configs hold tokens and private settings.", path, p.bits);
	buf_free(&fix);
}

/* A file or directory only its owner should read: writable by others is critical. */
static void check_private(struct ctx *c, const char *path, const char *id, const char *what,
                          unsigned mode, const char *harm_write, const char *harm_read)
{
	struct perm p = perm_of(path);
	struct buf fix = { 0 }, cid = { 0 }, title = { 0 };

	if (!p.ok)
		return;
	chmod_fix(&fix, mode, path);
	if (p.symlink) {
		buf_printf(&cid, "%s.symlink", id);
		buf_printf(&title, "%s is a symlink", what);
		report_addf(
		    c, cid.p, SEV_WARN, title.p, NULL,
		    "%s is a symlink: whoever controls its target controls what claw reads and "
		    "writes there.",
		    path);
		buf_reset(&cid);
		buf_reset(&title);
	}
	if (p.bits & 0022) {
		buf_printf(&cid, "%s.perms_writable", id);
		buf_printf(&title, "%s is writable by others", what);
		report_addf(c, cid.p, SEV_CRITICAL, title.p, fix.p, "%s mode=%03o; %s", path,
		            p.bits, harm_write);
	} else if (p.bits & 0044) {
		buf_printf(&cid, "%s.perms_readable", id);
		buf_printf(&title, "%s is readable by others", what);
		report_addf(c, cid.p, SEV_WARN, title.p, fix.p, "%s mode=%03o; %s", path, p.bits,
		            harm_read);
	}
	buf_free(&fix);
	buf_free(&cid);
	buf_free(&title);
}

static bool looks_synced(const char *path)
{
	char *low = str_lower(xstrdup(path));
	bool hit = false;

	for (size_t i = 0; i < NELEM(synced_markers) && !hit; i++)
		hit = strstr(low, synced_markers[i]) != NULL;
	free(low);
	return hit;
}

static char *credentials_dir(const struct ctx *c)
{
	const char *env = getenv("OPENCLAW_OAUTH_DIR");

	if (env != NULL && env[0] == '/')
		return xstrdup(env);
	return xasprintf("%s/credentials", c->cfg->state_dir);
}

static void check_filesystem(struct ctx *c)
{
	const char *state = c->cfg->state_dir;

	if (looks_synced(state) || looks_synced(c->cfg->path))
		report_addf(
		    c, "fs.synced_dir", SEV_WARN, "State/config path looks like a synced folder",
		    "Keep OPENCLAW_STATE_DIR (and the config) on a local-only volume.",
		    "stateDir=%s, configPath=%s. A synced folder copies tokens, approvals and the "
		    "decision log to other devices, and lets them write back.",
		    state, c->cfg->path);
	check_state_dir(c, state);
	if (c->cfg->exists)
		check_config_file(c, c->cfg->path);
	check_private(c, c->approvals_path, "fs.exec_approvals", "Exec approvals file", 0600,
	              "another user could allow-list any command, or turn approvals off.",
	              "it shows which commands run without asking.");
	char *audit_dir = xasprintf("%s/audit", state);
	check_private(c, audit_dir, "fs.audit_log", "Decision log dir", 0700,
	              "another user could replace the decision log.",
	              "the decision log holds every command and its origin.");
	check_private(c, c->log_path, "fs.audit_log", "Decision log", 0600,
	              "another user could rewrite the history (only a head kept elsewhere, "
	              "claw-audit verify --head, would tell).",
	              "it holds every command, who asked, and what came of it.");
	free(audit_dir);
	char *creds = credentials_dir(c);
	if (perm_of(creds).dir)
		check_private(c, creds, "fs.credentials_dir", "Credentials dir", 0700,
		              "another user could drop or change credential files.",
		              "credentials and allow-lists can be sensitive.");
	free(creds);
	const cJSON *a;
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		char id[SESSION_ID_MAX];
		if (agent_id(a) == NULL)
			continue;
		char *path = xasprintf("%s/agents/%s/agent/auth-profiles.json", state,
		                       norm_agent_id(agent_id(a), id));
		check_private(c, path, "fs.auth_profiles", "auth-profiles.json", 0600,
		              "another user could inject credentials.",
		              "it holds API keys and OAuth tokens.");
		free(path);
	}
}

/* ---- channels and exposure ---- */

/* Calls FN for the channel's root section and for each of its accounts. */
typedef void (*section_fn)(struct ctx *c, const char *channel, const cJSON *section,
                           const char *base, void *arg);

static void each_section(struct ctx *c, section_fn fn, void *arg)
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

static const char *dm_policy(const cJSON *section, const char **key)
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
	struct strlist *out = arg;
	const char *key, *dm = dm_policy(s, &key);
	struct buf b = { 0 };

	(void)c;
	(void)channel;
	if (sget(s, "groupPolicy") && strcmp(sget(s, "groupPolicy"), "open") == 0) {
		buf_printf(&b, "%s.groupPolicy", base);
		strlist_add(out, b.p);
		buf_reset(&b);
	}
	if (dm && strcmp(dm, "open") == 0) {
		buf_printf(&b, "%s.%s", base, key);
		strlist_add(out, b.p);
	}
	buf_free(&b);
}

/* Every dmPolicy/groupPolicy set to "open", as OpenClaw lists them. */
static void open_inbound(struct ctx *c, struct strlist *out)
{
	each_section(c, open_inbound_fn, out);
}

/* Every groupPolicy or dmPolicy "open" anywhere under channels, sorted: the
 * list OpenClaw's exec checks use (it looks deeper than open_inbound). */
static void open_policies_under(const cJSON *node, struct buf *path, struct strlist *out)
{
	const cJSON *m;
	size_t len = path->len;

	cJSON_ArrayForEach(m, node)
	{
		if (cJSON_IsString(m) && strcmp(m->valuestring, "open") == 0 &&
		    (strcmp(m->string, "groupPolicy") == 0 || strcmp(m->string, "dmPolicy") == 0)) {
			buf_printf(path, ".%s", m->string);
			strlist_add(out, path->p);
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

static void open_policies(struct ctx *c, struct strlist *out)
{
	struct buf path = { 0 };

	buf_puts(&path, "channels");
	if (cJSON_IsObject(get(c->root, "channels")))
		open_policies_under(get(c->root, "channels"), &path, out);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_str);
	buf_free(&path);
}

static bool list_has_wildcard(const cJSON *list)
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
static size_t list_distinct(const cJSON *list, bool *wildcard)
{
	struct strlist seen = { 0 };
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
			strlist_add(&seen, t);
		free(t);
	}
	size_t n = seen.n;
	strlist_free(&seen);
	return n;
}

static const char *dm_scope(const struct ctx *c)
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

static void check_channel_dm(struct ctx *c, const char *channel, const cJSON *s, const char *base,
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

/* ---- tool policy, as far as the exposure checks need it ---- */

/* Whether LIST names TOOL (both normalised as the policy does: trimmed, lower-cased,
 * aliases applied). */
static bool list_has_name(const cJSON *list, const char *tool)
{
	const cJSON *e;
	char want[128], have[128];

	tp_normalize(tool, want, sizeof(want));
	cJSON_ArrayForEach(e, list)
	{
		if (!cJSON_IsString(e))
			continue;
		tp_normalize(e->valuestring, have, sizeof(have));
		if (strcmp(have, want) == 0)
			return true;
	}
	return false;
}

/*
 * Whether claw-policy lets AGENT (NULL: agents.defaults, no agent's own
 * layer) use TOOL: tp_decide in the context of the agent's main session, its
 * owner asking, outside a sandbox. A config claw-policy refuses allows nothing
 * (config.invalid says why).
 */
static bool tool_allowed(const struct ctx *c, const cJSON *agent, const char *tool)
{
	struct tp_request rq = { .agent = agent ? agent_id(agent) : NULL, .owner = true };
	struct tp_verdict v;

	if (c->tp == NULL)
		return false;
	tp_decide(tp_context_of(c->tp, &rq), tool, &v);
	return v.allowed;
}

/* AGENT's (NULL: the default agent's) sandbox KEY (mode, scope, backend or
 * workspaceAccess) as claw-sandbox reads it; DEF when the config is refused. */
static const char *sandbox_setting(const struct ctx *c, const cJSON *agent, const char *key,
                                   const char *def)
{
	struct sandbox_settings s;
	const char *v = NULL;

	if (sandbox_settings_basics(c->cfg, agent ? agent_id(agent) : NULL, &s) == 0)
		v = strcmp(key, "mode") == 0      ? s.mode
		    : strcmp(key, "scope") == 0   ? s.scope
		    : strcmp(key, "backend") == 0 ? s.backend
		                                  : s.access;
	sandbox_settings_free(&s);
	return v ? v : def;
}

static void allowed_of(const struct ctx *c, const cJSON *agent, const char *const *tools, size_t n,
                       struct buf *out)
{
	for (size_t i = 0; i < n; i++)
		if (tool_allowed(c, agent, tools[i]))
			buf_printf(out, "%s%s", out->len ? ", " : "", tools[i]);
}

/* The contexts OpenClaw's exposure checks walk: agents.defaults, then each agent. */
struct tool_ctx {
	const cJSON *agent; /* NULL: agents.defaults */
	char label[160];
};

static size_t tool_contexts(const struct ctx *c, struct tool_ctx *out, size_t max)
{
	const cJSON *a;
	size_t n = 0;

	out[n].agent = NULL;
	snprintf(out[n++].label, sizeof(out->label), "agents.defaults");
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a) == NULL || n == max)
			continue;
		out[n].agent = a;
		snprintf(out[n++].label, sizeof(out->label), "agents.list.%s", agent_id(a));
	}
	return n;
}

#define MAX_CONTEXTS 256

/* OpenClaw's "risky tool exposure": exec/process outside sandbox mode all, or fs
 * tools outside it without tools.fs.workspaceOnly. */
static bool risky_contexts(const struct ctx *c, struct strlist *out)
{
	struct tool_ctx *ctxs = xcalloc(MAX_CONTEXTS, sizeof(*ctxs));
	size_t n = tool_contexts(c, ctxs, MAX_CONTEXTS);
	bool runtime_risk = false;
	struct buf rt = { 0 }, fs = { 0 }, line = { 0 };

	for (size_t i = 0; i < n; i++) {
		const char *mode = sandbox_setting(c, ctxs[i].agent, "mode", "off");
		const cJSON *wo = get(get(ctxs[i].agent, "tools"), "fs.workspaceOnly");
		if (wo == NULL)
			wo = get(c->root, "tools.fs.workspaceOnly");
		buf_reset(&rt);
		buf_reset(&fs);
		allowed_of(c, ctxs[i].agent, runtime_tools, NELEM(runtime_tools), &rt);
		allowed_of(c, ctxs[i].agent, fs_tools, NELEM(fs_tools), &fs);
		bool all = strcmp(mode, "all") == 0;
		bool rt_bad = rt.len > 0 && !all, fs_bad = fs.len > 0 && !all && !cJSON_IsTrue(wo);
		if (!rt_bad && !fs_bad)
			continue;
		runtime_risk |= rt_bad;
		buf_reset(&line);
		buf_printf(&line, "%s (sandbox=%s; runtime=[%s]; fs=[%s]; fs.workspaceOnly=%s)",
		           ctxs[i].label, mode, rt.len ? rt.p : "off", fs.len ? fs.p : "off",
		           cJSON_IsTrue(wo) ? "true" : "false");
		strlist_add(out, line.p);
	}
	buf_free(&rt);
	buf_free(&fs);
	buf_free(&line);
	free(ctxs);
	return runtime_risk;
}

static void check_exposure(struct ctx *c)
{
	struct strlist open = { 0 }, risky = { 0 }, cp = { 0 };
	struct buf d = { 0 };

	open_inbound(c, &open);
	if (open.n == 0)
		goto done;
	if (!cJSON_IsFalse(get(c->root, "tools.elevated.enabled"))) {
		buf_puts(&d, "Found inbound policy=\"open\" at:");
		detail_lines(&d, &open);
		buf_puts(&d, "\nWith tools.elevated enabled, a prompt injection in one of those "
		             "conversations can run commands on the host, outside the sandbox.");
		report_add(c, "security.exposure.open_groups_with_elevated", SEV_CRITICAL,
		           "Open group/DM policy with elevated tools enabled", d.p,
		           "Set each listed policy to \"allowlist\" (or \"pairing\" for DMs) and "
		           "tools.elevated.enabled=false.");
	}
	bool runtime = risky_contexts(c, &risky);
	if (risky.n > 0) {
		buf_reset(&d);
		buf_puts(&d, "Found inbound policy=\"open\" at:");
		detail_lines(&d, &open);
		buf_puts(&d, "\nRisky tool exposure contexts:");
		detail_lines(&d, &risky);
		buf_puts(&d, "\nA prompt injection in an open conversation can run commands or "
		             "change files in these contexts.");
		report_add(
		    c, "security.exposure.open_groups_with_runtime_or_fs",
		    runtime ? SEV_CRITICAL : SEV_WARN,
		    "Open group/DM policy with runtime/filesystem tools exposed", d.p,
		    "For open groups or DMs deny group:runtime and group:fs (or use "
		    "tools.profile=\"messaging\"), set tools.fs.workspaceOnly=true, and "
		    "agents.defaults.sandbox.mode=\"all\" (the public preset does all of this).");
	}
	struct tool_ctx *ctxs = xcalloc(MAX_CONTEXTS, sizeof(*ctxs));
	size_t n = tool_contexts(c, ctxs, MAX_CONTEXTS);
	for (size_t i = 0; i < n; i++) {
		struct buf t = { 0 }, line = { 0 };
		allowed_of(c, ctxs[i].agent, control_plane_tools, NELEM(control_plane_tools), &t);
		if (t.len > 0) {
			const char *profile = sget(get(ctxs[i].agent, "tools"), "profile");
			if (profile == NULL)
				profile = sget(c->root, "tools.profile");
			buf_printf(&line, "%s (profile=%s; controlPlane=[%s])", ctxs[i].label,
			           profile ? profile : "none", t.p);
			strlist_add(&cp, line.p);
		}
		buf_free(&t);
		buf_free(&line);
	}
	free(ctxs);
	if (cp.n > 0) {
		buf_reset(&d);
		buf_puts(&d, "Found inbound policy=\"open\" at:");
		detail_lines(&d, &open);
		buf_puts(&d, "\nControl-plane tool exposure contexts:");
		detail_lines(&d, &cp);
		buf_puts(&d, "\nA prompt injection in an open conversation can schedule jobs, "
		             "change plugins or reconfigure the gateway.");
		report_add(
		    c, "security.exposure.open_groups_with_control_plane_tools", SEV_CRITICAL,
		    "Open group/DM policy with control-plane tools exposed", d.p,
		    "Deny automations, gateway and plugins (group:automation) where conversations "
		    "are open, and tighten dmPolicy/groupPolicy to pairing or allowlist.");
	}
done:
	strlist_free(&open);
	strlist_free(&risky);
	strlist_free(&cp);
	buf_free(&d);
}

static bool has_group_targets(const cJSON *s)
{
	static const char *const keys[] = { "groups", "guilds", "channels", "rooms" };

	for (size_t i = 0; i < NELEM(keys); i++)
		if (cJSON_GetArraySize(get(s, keys[i])) > 0 && cJSON_IsObject(get(s, keys[i])))
			return true;
	return false;
}

/* A member of an account, or of its channel when the account leaves it out. */
static const cJSON *merged(const cJSON *channel, const cJSON *s, const char *key)
{
	const cJSON *v = get(s, key);
	return v ? v : (s != channel ? get(channel, key) : NULL);
}

static void multi_user_fn(struct ctx *c, const char *channel_name, const cJSON *s, const char *base,
                          void *arg)
{
	struct strlist *out = arg;
	const cJSON *channel = get(c->root, "channels");
	struct buf b = { 0 };

	channel = cJSON_GetObjectItemCaseSensitive(channel, channel_name);
	const cJSON *gp = merged(channel, s, "groupPolicy");
	const cJSON *dp = merged(channel, s, "dmPolicy");
	const cJSON *dm = merged(channel, s, "dm");
	if (cJSON_IsString(gp) && strcmp(gp->valuestring, "open") == 0)
		buf_printf(&b, "%s.groupPolicy=\"open\"", base);
	else if (cJSON_IsString(gp) && strcmp(gp->valuestring, "allowlist") == 0 &&
	         has_group_targets(s))
		buf_printf(&b, "%s.groupPolicy=\"allowlist\" with configured group targets", base);
	if (b.len) {
		strlist_add(out, b.p);
		buf_reset(&b);
	}
	if (cJSON_IsString(dp) && strcmp(dp->valuestring, "open") == 0)
		strlist_add(out, (buf_printf(&b, "%s.dmPolicy=\"open\"", base), b.p));
	buf_reset(&b);
	if (list_has_wildcard(merged(channel, s, "allowFrom")))
		strlist_add(out, (buf_printf(&b, "%s.allowFrom includes \"*\"", base), b.p));
	buf_reset(&b);
	if (list_has_wildcard(merged(channel, s, "groupAllowFrom")))
		strlist_add(out, (buf_printf(&b, "%s.groupAllowFrom includes \"*\"", base), b.p));
	buf_reset(&b);
	if (sget(dm, "policy") && strcmp(sget(dm, "policy"), "open") == 0)
		strlist_add(out, (buf_printf(&b, "%s.dm.policy=\"open\"", base), b.p));
	buf_reset(&b);
	if (list_has_wildcard(get(dm, "allowFrom")))
		strlist_add(out, (buf_printf(&b, "%s.dm.allowFrom includes \"*\"", base), b.p));
	buf_free(&b);
}

static void check_trust_model(struct ctx *c)
{
	struct strlist signals = { 0 }, risky = { 0 };
	struct buf d = { 0 };

	if (sget(c->root, "session.groupScope") &&
	    strcmp(sget(c->root, "session.groupScope"), "main") == 0)
		report_add(
		    c, "security.trust_model.group_scope_main", SEV_WARN,
		    "Group rooms share the main session",
		    "session.groupScope=\"main\" merges every group and channel room into the "
		    "agent's main session: every member of every room shares its context, and "
		    "under sandbox mode non-main those rooms run on the host.",
		    "Set session.groupScope=\"per-group\", or keep \"main\" only for rooms whose "
		    "members you trust.");
	each_section(c, multi_user_fn, &signals);
	if (signals.n == 0)
		goto done;
	bool runtime = risky_contexts(c, &risky);
	buf_puts(&d, "These settings let more than one person reach the agent:");
	detail_lines(&d, &signals);
	buf_printf(&d, "\n%s",
	           runtime ? "Runtime tools (exec, process) are reachable outside a full sandbox "
	                     "in at least one context."
	                   : "No runtime tool is reachable outside a full sandbox.");
	if (risky.n) {
		buf_puts(&d, "\nContexts with tools that reach the host:");
		detail_lines(&d, &risky);
	}
	buf_puts(&d, "\nOpenClaw's model, and claw's, is one trusted operator per installation; it "
	             "does not isolate mutually untrusted users from each other on one gateway.");
	report_add(
	    c, "security.trust_model.multi_user_heuristic", SEV_WARN,
	    "Potential multi-user setup detected (personal-assistant model warning)", d.p,
	    "For mutually untrusted users run separate installations (separate OS users or "
	    "hosts). For a shared bot use the public preset: sandbox mode all, no runtime or "
	    "filesystem tools, no network (claw-audit check --preset public).");
done:
	strlist_free(&signals);
	strlist_free(&risky);
	buf_free(&d);
}

/* ---- elevated, exec, safe bins ---- */

static void check_elevated(struct ctx *c)
{
	const cJSON *from = get(c->root, "tools.elevated.allowFrom"), *list;

	if (cJSON_IsFalse(get(c->root, "tools.elevated.enabled")))
		return;
	cJSON_ArrayForEach(list, from)
	{
		bool wild;
		size_t n = list_distinct(list, &wild);
		struct buf id = { 0 };
		if (wild) {
			buf_printf(&id, "tools.elevated.allowFrom.%s.wildcard", list->string);
			report_addf(
			    c, id.p, SEV_CRITICAL, "Elevated exec allowlist contains wildcard",
			    "Name the few senders who may leave the sandbox, or set "
			    "tools.elevated.enabled=false.",
			    "tools.elevated.allowFrom.%s includes \"*\": anyone on that channel "
			    "may "
			    "run commands on the host, outside the sandbox.",
			    list->string);
		} else if (n > 25) {
			buf_printf(&id, "tools.elevated.allowFrom.%s.large", list->string);
			report_addf(
			    c, id.p, SEV_WARN, "Elevated exec allowlist is large",
			    "Keep elevated access to the few people who need it.",
			    "tools.elevated.allowFrom.%s has %zu entries; each of them may run "
			    "commands on the host, outside the sandbox.",
			    list->string, n);
		}
		buf_free(&id);
	}
}

static const char *mode_security(const char *mode)
{
	for (size_t i = 0; i < NELEM(exec_modes); i++)
		if (strcmp(exec_modes[i].mode, mode) == 0)
			return exec_modes[i].security;
	return NULL;
}

/* OpenClaw's audit view of a scope's exec security: tools.exec.mode wins, then
 * security, then what the scope inherits ("deny" at the top). */
static const char *exec_security(const cJSON *exec, const char *inherited)
{
	const char *mode = sget(exec, "mode"), *sec = sget(exec, "security");

	if (mode != NULL && mode_security(mode) != NULL)
		return mode_security(mode);
	return sec ? sec : inherited;
}

struct exec_scope {
	char id[SESSION_ID_MAX + 8];
	const char *security, *host;
};

static size_t exec_scopes(const struct ctx *c, struct exec_scope *out, size_t max)
{
	const cJSON *gexec = get(c->root, "tools.exec"), *a;
	const char *gsec = exec_security(gexec, "deny");
	const char *ghost = sget(gexec, "host") ? sget(gexec, "host") : "auto";
	size_t n = 0;

	snprintf(out[n].id, sizeof(out->id), "%s", cfg_default_agent(c->cfg));
	out[n].security = gsec;
	out[n++].host = ghost;
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		const char *id = agent_id(a);
		const cJSON *exec = get(a, "tools.exec");
		size_t k;
		if (id == NULL)
			continue;
		for (k = 0; k < n && strcmp(out[k].id, id) != 0; k++)
			;
		if (k == n) {
			if (n == max)
				break;
			snprintf(out[n++].id, sizeof(out->id), "%s", id);
		}
		out[k].security = exec_security(exec, gsec);
		out[k].host = sget(exec, "host") ? sget(exec, "host") : ghost;
	}
	return n;
}

static void check_exec(struct ctx *c)
{
	struct exec_scope *sc = xcalloc(MAX_CONTEXTS, sizeof(*sc));
	size_t n = exec_scopes(c, sc, MAX_CONTEXTS);
	struct strlist open = { 0 }, hosts = { 0 };
	struct buf full = { 0 }, enabled = { 0 }, d = { 0 };
	const cJSON *a;

	if (sget(c->root, "tools.exec.host") &&
	    strcmp(sget(c->root, "tools.exec.host"), "sandbox") == 0 &&
	    strcmp(sandbox_setting(c, NULL, "mode", "off"), "off") == 0)
		report_add(
		    c, "tools.exec.host_sandbox_no_sandbox_defaults", SEV_WARN,
		    "Exec host is sandbox but sandbox mode is off",
		    "tools.exec.host is \"sandbox\" while agents.defaults.sandbox.mode is off: "
		    "there is no sandbox to run in, so every exec fails (closed).",
		    "Set agents.defaults.sandbox.mode=\"non-main\" or \"all\", or tools.exec.host "
		    "to \"gateway\" with approvals.");
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a) && sget(a, "tools.exec.host") &&
		    strcmp(sget(a, "tools.exec.host"), "sandbox") == 0 &&
		    strcmp(sandbox_setting(c, a, "mode", "off"), "off") == 0 && hosts.n < 5)
			strlist_add(&hosts, agent_id(a));
	}
	if (hosts.n > 0) {
		buf_puts(&d, "agents.list[].tools.exec.host is \"sandbox\" for:");
		detail_lines(&d, &hosts);
		buf_puts(&d, "\nTheir sandbox mode is off, so their exec fails (closed).");
		report_add(
		    c, "tools.exec.host_sandbox_no_sandbox_agents", SEV_WARN,
		    "Agent exec host uses sandbox while sandbox mode is off", d.p,
		    "Turn on sandbox mode for these agents (agents.list[].sandbox.mode) or set "
		    "their tools.exec.host to \"gateway\".");
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(sc[i].security, "full") == 0)
			buf_printf(&full, "%s%s", full.len ? ", " : "", sc[i].id);
		if (strcmp(sc[i].security, "deny") != 0)
			buf_printf(&enabled, "\n- %s: security=%s, host=%s", sc[i].id,
			           sc[i].security, sc[i].host);
	}
	open_policies(c, &open);
	if (full.len > 0) {
		buf_reset(&d);
		buf_printf(&d, "Every command runs without a check for: %s.", full.p);
		if (open.n > 0) {
			buf_puts(&d, " Open channel access was also found at:");
			detail_lines(&d, &open);
		}
		report_add(
		    c, "tools.exec.security_full_configured", open.n ? SEV_CRITICAL : SEV_WARN,
		    "Exec security=full is configured", d.p,
		    "Prefer tools.exec.security=\"allowlist\" with ask \"on-miss\" (the secure "
		    "preset), and keep \"full\" for a tightly scoped break-glass agent.");
	}
	if (open.n > 0 && enabled.len > 0) {
		buf_reset(&d);
		buf_puts(&d, "Open DM/group access at:");
		detail_lines(&d, &open);
		buf_printf(&d, "\nExec-enabled scopes:%s", enabled.p);
		report_add(
		    c, "security.exposure.open_channels_with_exec",
		    full.len ? SEV_CRITICAL : SEV_WARN,
		    "Open channels can reach exec-enabled agents", d.p,
		    "Tighten dmPolicy/groupPolicy to pairing or allowlist, or deny exec to agents "
		    "that shared or public channels reach.");
	}
	strlist_free(&open);
	strlist_free(&hosts);
	buf_free(&full);
	buf_free(&enabled);
	buf_free(&d);
	free(sc);
}

/*
 * OpenClaw's own audit counts an unset tools.exec.security as "deny"; at run
 * time it is "full" on the host, unless exec-approvals.json sets a floor.
 * With no floor and no sandbox for the main session, every host command runs
 * unchecked: that deserves more than the info line of the defaults check.
 */
static void check_exec_default(struct ctx *c)
{
	const cJSON *exec = get(c->root, "tools.exec");
	const char *floor = sget(c->approvals, "defaults.security");

	if (!c->cfg->exists || sget(exec, "security") || sget(exec, "mode"))
		return;
	if (floor == NULL)
		floor = sget(get(get(c->approvals, "agents"), "*"), "security");
	if (floor != NULL && strcmp(floor, "full") != 0)
		return;
	if (strcmp(sandbox_setting(c, NULL, "mode", "off"), "all") == 0)
		return;
	report_add(
	    c, "tools.exec.security_default_full", SEV_WARN,
	    "Exec security is not set: host commands run unchecked",
	    "tools.exec.security is not set and exec-approvals.json sets no floor, so OpenClaw's "
	    "default applies: \"full\" on the host, where the main session runs. Every command "
	    "it asks for runs without an allow-list or a question.",
	    "Set tools.exec.security=\"allowlist\" and tools.exec.ask=\"on-miss\" (claw-audit "
	    "check --fix --preset secure does it).");
}

static const char *risky_trusted_dir(const char *dir)
{
	char *low = str_lower(xstrdup(dir));
	const char *why = NULL;

	if (dir[0] != '/')
		why = "relative path (what it means depends on the current directory)";
	else if (strcmp(low, "/tmp") == 0 || str_has_prefix(low, "/tmp/") ||
	         strcmp(low, "/var/tmp") == 0 || str_has_prefix(low, "/var/tmp/") ||
	         strcmp(low, "/private/tmp") == 0 || str_has_prefix(low, "/private/tmp/"))
		why = "temporary directory: anyone can put a program there";
	else if (strcmp(low, "/usr/local/bin") == 0 || strcmp(low, "/opt/homebrew/bin") == 0 ||
	         strcmp(low, "/opt/local/bin") == 0 ||
	         strcmp(low, "/home/linuxbrew/.linuxbrew/bin") == 0)
		why = "package-manager bin directory (often writable without root)";
	else if (str_has_prefix(low, "/users/") || str_has_prefix(low, "/home/") ||
	         strstr(low, "/.local/bin") != NULL)
		why = "home-scoped bin directory (writable by its user)";
	free(low);
	return why;
}

struct safebin_hits {
	struct strlist interp, risky, dirs, untrusted;
};

/* A scope's safe bins as claw-approve loads them (safebins_load), judged by its own rules. */
static void scope_safe_bins(const struct ctx *c, const cJSON *gexec, const cJSON *aexec,
                            const char *label, struct safebin_hits *h)
{
	struct safebins sb;
	struct buf interp = { 0 }, line = { 0 };
	const cJSON *list = get(aexec ? aexec : gexec, "safeBinTrustedDirs"), *e;

	if (aexec != NULL && get(aexec, "safeBins") == NULL && list == NULL)
		return; /* the agent inherits: already judged with the global scope */
	if (safebins_load(&sb, c->cfg, aexec, gexec) < 0)
		return; /* a config error: config.invalid reports it */
	if (list == NULL && aexec != NULL)
		list = get(gexec, "safeBinTrustedDirs");
	cJSON_ArrayForEach(e, list)
	{
		if (!cJSON_IsString(e))
			continue;
		char *t = str_trim_dup(e->valuestring);
		const char *why = t[0] ? risky_trusted_dir(t) : NULL;
		if (why) {
			buf_reset(&line);
			buf_printf(&line, "%s.safeBinTrustedDirs: %s (%s)", label, t, why);
			strlist_add(&h->dirs, line.p);
		}
		free(t);
	}
	for (size_t i = 0; i < sb.nnames; i++) {
		const char *b = sb.names[i], *never = safebin_never_safe(b);
		struct exec_file f;
		if (risk_interpreter(b) && !safebin_has_custom_profile(&sb, b))
			buf_printf(&interp, "%s%s", interp.len ? ", " : "", b);
		if (never != NULL) {
			buf_reset(&line);
			buf_printf(&line, "%s.safeBins: %s (%s)", label, b, never);
			strlist_add(&h->risky, line.p);
		}
		if (strchr(b, '/') == NULL && exec_resolve(b, "/", getenv("PATH"), &f) == 0 &&
		    f.found && !safebin_trusted_dir(&sb, f.path)) {
			buf_reset(&line);
			buf_printf(&line, "%s.safeBins: %s resolves to %s", label, b, f.path);
			strlist_add(&h->untrusted, line.p);
		}
	}
	if (interp.len) {
		buf_reset(&line);
		buf_printf(&line, "%s.safeBins: %s", label, interp.p);
		strlist_add(&h->interp, line.p);
	}
	safebins_free(&sb);
	buf_free(&interp);
	buf_free(&line);
}

static void check_safe_bins(struct ctx *c)
{
	struct safebin_hits h = { 0 };
	const cJSON *gexec = get(c->root, "tools.exec"), *a;
	struct buf d = { 0 }, label = { 0 };

	scope_safe_bins(c, gexec, NULL, "tools.exec", &h);
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a) == NULL || get(a, "tools.exec") == NULL)
			continue;
		buf_reset(&label);
		buf_printf(&label, "agents.list.%s.tools.exec", agent_id(a));
		scope_safe_bins(c, gexec, get(a, "tools.exec"), label.p, &h);
	}
	if (h.interp.n) {
		buf_puts(&d, "These safeBins are interpreters with no profile of their own:");
		detail_lines(&d, &h.interp);
		buf_puts(&d, "\nA safe bin runs without asking; an interpreter there runs whatever "
		             "program its arguments carry.");
		report_add(
		    c, "tools.exec.safe_bins_interpreter_unprofiled", SEV_WARN,
		    "safeBins includes interpreter/runtime binaries without explicit profiles", d.p,
		    "Remove interpreters from safeBins (allow-list the scripts you need instead), "
		    "or "
		    "give each a strict tools.exec.safeBinProfiles.<bin>.");
	}
	if (h.risky.n) {
		buf_reset(&d);
		buf_puts(&d, "These safeBins do more than filter a stream:");
		detail_lines(&d, &h.risky);
		buf_puts(&d, "\nOpenClaw never treats them as safe bins; claw does the same.");
		report_add(
		    c, "tools.exec.safe_bins_broad_behavior", SEV_WARN,
		    "safeBins includes binaries with broader semantics than low-risk stream "
		    "filters",
		    d.p,
		    "Remove them from safeBins and allow-list specific uses, or leave them to "
		    "approval.");
	}
	if (h.dirs.n) {
		buf_reset(&d);
		buf_puts(&d, "These safeBinTrustedDirs can be written by more than root:");
		detail_lines(&d, &h.dirs);
		report_add(
		    c, "tools.exec.safe_bin_trusted_dirs_risky", SEV_WARN,
		    "safeBinTrustedDirs includes risky mutable directories", d.p,
		    "Keep the default trusted dirs (/bin, /usr/bin): root-owned, and not on a "
		    "user's PATH ahead of them.");
	}
	if (h.untrusted.n) {
		buf_reset(&d);
		buf_puts(&d, "These safe bins are found outside the trusted directories (/bin, "
		             "/usr/bin and safeBinTrustedDirs):");
		detail_lines(&d, &h.untrusted);
		buf_puts(&d, "\nA directory earlier on PATH shadows the system copy: whoever can "
		             "write there decides what a \"safe\" bin does.");
		report_add(
		    c, "tools.exec.safe_bins_untrusted_path", SEV_WARN,
		    "Safe bins resolve outside the trusted directories", d.p,
		    "Remove the shadowing program or that directory from PATH, or drop the bin "
		    "from safeBins.");
	}
	strlist_free(&h.interp);
	strlist_free(&h.risky);
	strlist_free(&h.dirs);
	strlist_free(&h.untrusted);
	buf_free(&d);
	buf_free(&label);
}

/* ---- the approvals file ---- */

static bool strict_inline_eval(const struct ctx *c, const char *agent)
{
	const cJSON *a;

	if (agent != NULL && strcmp(agent, "*") != 0) {
		cJSON_ArrayForEach(a, get(c->root, "agents.list"))
		{
			const cJSON *v = get(a, "tools.exec.strictInlineEval");
			if (agent_id(a) && strcmp(agent_id(a), agent) == 0 && cJSON_IsBool(v))
				return cJSON_IsTrue(v);
		}
	}
	return is_true(c->root, "tools.exec.strictInlineEval");
}

static void check_approvals(struct ctx *c)
{
	const cJSON *agents, *a, *e;
	struct strlist autos = { 0 }, interp = { 0 }, shellish = { 0 }, wild = { 0 };
	struct buf line = { 0 }, d = { 0 };
	char hit[64];

	if (c->approvals == NULL)
		return;
	if (is_true(c->approvals, "defaults.autoAllowSkills"))
		strlist_add(&autos, "defaults.autoAllowSkills");
	agents = get(c->approvals, "agents");
	cJSON_ArrayForEach(a, agents)
	{
		if (is_true(a, "autoAllowSkills")) {
			buf_reset(&line);
			buf_printf(&line, "agents.%s.autoAllowSkills", a->string);
			strlist_add(&autos, line.p);
		}
		cJSON_ArrayForEach(e, get(a, "allowlist"))
		{
			const char *pat = sget(e, "pattern");
			if (pat == NULL)
				continue;
			char *base = basename_lower(pat);
			buf_reset(&line);
			buf_printf(&line, "agents.%s.allowlist: %s", a->string, pat);
			if (strcmp(base, "*") == 0 || strstr(base, "**") || base[0] == '\0')
				strlist_add(&wild, line.p);
			else if (glob_hits_word(base, wrap_shell_names(), hit, sizeof(hit)))
				strlist_add(&shellish, line.p);
			else if ((glob_hits_word(base, risk_inline_eval_names(), hit,
			                         sizeof(hit)) ||
			          risk_inline_eval_program(base)) &&
			         !strict_inline_eval(c, a->string))
				strlist_add(&interp, line.p);
			free(base);
		}
	}
	if (autos.n) {
		buf_puts(&d, "Skill binaries are allow-listed implicitly at:");
		detail_lines(&d, &autos);
		buf_puts(&d, "\nThat widens what runs on the host beyond the entries you wrote.");
		report_add(
		    c, "tools.exec.auto_allow_skills_enabled", SEV_WARN,
		    "autoAllowSkills is enabled for exec approvals", d.p,
		    "Set autoAllowSkills to false in exec-approvals.json and allow-list what you "
		    "need by path.");
	}
	if (interp.n) {
		buf_reset(&d);
		buf_puts(&d, "Interpreter entries are allow-listed without strictInlineEval:");
		detail_lines(&d, &interp);
		buf_puts(&d, "\nWith them, `python3 -c '...'` or `node -e '...'` runs any program "
		             "without asking.");
		report_add(
		    c, "tools.exec.allowlist_interpreter_without_strict_inline_eval", SEV_WARN,
		    "Interpreter allowlist entries are missing strictInlineEval hardening", d.p,
		    "Set tools.exec.strictInlineEval=true (or per agent) when allow-listing "
		    "interpreters such as python, node, ruby, perl, php, lua or osascript.");
	}
	if (shellish.n) {
		buf_reset(&d);
		buf_puts(&d, "These allow-list entries match a shell:");
		detail_lines(&d, &shellish);
		buf_puts(&d, "\nA shell runs whatever script or standard input it is given, so the "
		             "entry allows any command.");
		report_add(
		    c, "tools.exec.allowlist_shell", SEV_WARN, "Exec allowlist matches shells", d.p,
		    "Remove the entries and allow-list the programs the scripts need, or the "
		    "scripts themselves by path.");
	}
	if (wild.n) {
		buf_reset(&d);
		buf_puts(&d, "These allow-list entries match every program in a directory tree:");
		detail_lines(&d, &wild);
		buf_puts(&d,
		         "\nShells, interpreters, sudo and rm are all in such a tree: exec runs "
		         "anything there without asking.");
		report_add(c, "tools.exec.allowlist_wildcard", SEV_CRITICAL,
		           "Exec allowlist allows every program", d.p,
		           "Replace each wildcard by the programs actually needed, by full path.");
	}
	strlist_free(&autos);
	strlist_free(&interp);
	strlist_free(&shellish);
	strlist_free(&wild);
	buf_free(&line);
	buf_free(&d);
}

static void load_approvals(struct ctx *c)
{
	char *text = NULL;
	size_t len;

	if (read_file(c->approvals_path, 16UL * 1024 * 1024, &text, &len) < 0) {
		if (errno != ENOENT)
			report_addf(
			    c, "exec_approvals.unreadable", SEV_WARN,
			    "Exec approvals file cannot be read",
			    "Fix its permissions or restore it from a backup.",
			    "%s. claw-approve then fails closed: every host command that needs the "
			    "allow-list is refused.",
			    claw_error());
		return;
	}
	c->approvals = cJSON_ParseWithLength(text, len);
	if (!cJSON_IsObject(c->approvals) || !cJSON_IsNumber(get(c->approvals, "version"))) {
		report_addf(
		    c, "exec_approvals.invalid", SEV_WARN, "Exec approvals file is not valid",
		    "Restore exec-approvals.json from a backup, or remove it and allow-list again "
		    "(claw-approve allowlist).",
		    "%s is not an OpenClaw exec approvals file (JSON with \"version\": 1). "
		    "claw-approve fails closed: every host command that needs the allow-list is "
		    "refused.",
		    c->approvals_path);
		cJSON_Delete(c->approvals);
		c->approvals = NULL;
	}
	free(text);
}

/* ---- sandbox ---- */

static bool has_docker_settings(const cJSON *docker)
{
	return cJSON_IsObject(docker) && docker->child != NULL;
}

static void check_docker_noop(struct ctx *c)
{
	struct strlist paths = { 0 };
	const cJSON *a;
	bool any_on = false;
	struct buf d = { 0 }, p = { 0 };

	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a) && strcmp(sandbox_setting(c, a, "mode", "off"), "off") != 0)
			any_on = true;
	}
	if (has_docker_settings(get(c->root, "agents.defaults.sandbox.docker")) &&
	    strcmp(sandbox_setting(c, NULL, "mode", "off"), "off") == 0 && !any_on)
		strlist_add(&paths, "agents.defaults.sandbox.docker");
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a) && has_docker_settings(get(a, "sandbox.docker")) &&
		    strcmp(sandbox_setting(c, a, "mode", "off"), "off") == 0) {
			buf_reset(&p);
			buf_printf(&p, "agents.list.%s.sandbox.docker", agent_id(a));
			strlist_add(&paths, p.p);
		}
	}
	if (paths.n) {
		buf_puts(&d, "These sandbox settings do nothing while sandbox mode is off:");
		detail_lines(&d, &paths);
		report_add(
		    c, "sandbox.docker_config_mode_off", SEV_WARN,
		    "Sandbox docker settings configured while sandbox mode is off", d.p,
		    "Turn sandboxing on where it was meant to be (agents.defaults.sandbox.mode="
		    "\"non-main\" or \"all\"), or remove the unused settings.");
	}
	strlist_free(&paths);
	buf_free(&d);
	buf_free(&p);
}

/* The bind policy claw-sandbox judges AGENT's binds by, as far as the config says it. */
static void bind_policy_of(const struct ctx *c, const cJSON *agent, struct bind_policy *bp,
                           struct sandbox_settings *s, const char *roots[2], const char *files[4])
{
	const char *id = agent ? agent_id(agent) : cfg_default_agent(c->cfg);
	bool have = sandbox_settings_load(c->cfg, id, s) == 0;

	roots[0] = have ? s->agent_workspace : NULL;
	roots[1] = have ? s->workspace_root : NULL;
	*bp = (struct bind_policy){ .allowed_roots = roots,
		                    .nroots = have ? 2 : 0,
		                    .state_dir = c->cfg->state_dir,
		                    .config_files = files,
		                    .nconfig_files = sandbox_config_files(c->cfg, files) };
}

static void bind_finding(struct ctx *c, const char *source, const char *spec,
                         const struct bind_blocked *v)
{
	char *rem =
	    xasprintf("Remove \"%s\" from %s.binds; bind project directories only.", spec, source);
	const char *how = v->covers ? "covers" : "targets";

	if (v->what == BIND_STATE)
		report_addf(
		    c, "sandbox.state_dir_bind", SEV_CRITICAL,
		    "Sandbox bind mount exposes claw's state directory", rem,
		    "%s.binds has \"%s\", which %s %s \"%s\": a sandboxed agent could edit its "
		    "own config, approve its own commands, or rewrite the decision log.",
		    source, spec, how, v->why, v->path);
	else
		report_addf(c, "sandbox.dangerous_bind_mount", SEV_CRITICAL,
		            "Dangerous bind mount in sandbox config", rem,
		            "%s.binds has \"%s\", which %s blocked path \"%s\" (%s).", source, spec,
		            how, v->path, v->why);
	free(rem);
}

/* Each bind source judged by claw-sandbox's own rule (binds_blocked). */
static void check_binds(struct ctx *c, const char *source, const cJSON *agent, const cJSON *docker)
{
	const cJSON *b;
	struct sandbox_settings s = { 0 };
	struct bind_policy bp;
	const char *roots[2], *files[4];

	bind_policy_of(c, agent, &bp, &s, roots, files);
	cJSON_ArrayForEach(b, get(docker, "binds"))
	{
		struct bind_blocked v = { 0 };
		if (!cJSON_IsString(b))
			continue;
		char *src = xstrndup(b->valuestring, strcspn(b->valuestring, ":"));
		if (src[0] != '/') {
			char *rem = xasprintf("Rewrite \"%s\" with an absolute host path (for "
			                      "example /home/user/project:/project:ro).",
			                      b->valuestring);
			report_addf(
			    c, "sandbox.bind_mount_non_absolute", SEV_WARN,
			    "Sandbox bind mount uses a non-absolute source path", rem,
			    "%s.binds has \"%s\" with source \"%s\": a relative source depends on "
			    "the directory the sandbox is started from and cannot be checked.",
			    source, b->valuestring, src);
			free(rem);
		} else if (binds_blocked(src, &bp, &v) != BIND_SAFE) {
			bind_finding(c, source, b->valuestring, &v);
		}
		free(v.path);
		free(src);
	}
	sandbox_settings_free(&s);
}

/*
 * The native backend has no bridge: any network but "none" is the host's own,
 * its loopback services included (claw-sandbox(1)). Docker users moving to
 * claw with network "bridge" must hear that.
 */
static void check_native_network(struct ctx *c, const char *source, const cJSON *agent,
                                 const char *net)
{
	struct buf rem = { 0 };

	if (strcmp(sandbox_setting(c, agent, "backend", "native"), "native") != 0 ||
	    strcmp(sandbox_setting(c, agent, "mode", "off"), "off") == 0)
		return;
	buf_printf(&rem,
	           "Set %s.network to \"none\", or use agents.defaults.sandbox.backend "
	           "\"docker\" for a bridged network.",
	           source);
	report_addf(c, "sandbox.native_host_network", SEV_WARN,
	            "Native sandbox shares the host network", rem.p,
	            "%s.network is \"%s\": the native sandbox has no bridge, so it runs on the "
	            "host's network, loopback services included.",
	            source, net);
	buf_free(&rem);
}

static void check_docker_one(struct ctx *c, const char *source, const cJSON *agent,
                             const cJSON *docker)
{
	const char *net = sget(docker, "network");
	struct buf rem = { 0 };
	bool native = strcmp(sandbox_setting(c, agent, "backend", "native"), "native") == 0;

	check_binds(c, source, agent, docker);
	if (net != NULL) {
		char *low = str_lower(str_trim_dup(net));
		bool host = strcmp(low, "host") == 0;
		bool join = str_has_prefix(low, "container:") &&
		            !is_true(docker, "dangerouslyAllowContainerNamespaceJoin");
		if (!host && !join && strcmp(low, "none") != 0)
			check_native_network(c, source, agent, net);
		if (host || join) {
			buf_printf(&rem,
			           native ? "Set %s.network to \"none\"."
			                  : "Set %s.network to \"none\" (or \"bridge\", or a "
			                    "network of your own).",
			           source);
			report_addf(
			    c, "sandbox.dangerous_network_mode", SEV_CRITICAL,
			    "Dangerous network mode in sandbox config", rem.p,
			    host ? "%s.network is \"%s\": the sandbox shares the host's network, "
			           "its local services included."
			         : "%s.network is \"%s\": the sandbox joins another container's "
			           "network namespace.",
			    source, net);
		}
		free(low);
	}
	static const char *const profiles[][3] = {
		{ "seccompProfile", "sandbox.dangerous_seccomp_profile",
		  "Seccomp unconfined in sandbox config" },
		{ "apparmorProfile", "sandbox.dangerous_apparmor_profile",
		  "AppArmor unconfined in sandbox config" },
	};
	for (size_t i = 0; i < NELEM(profiles); i++) {
		const char *v = sget(docker, profiles[i][0]);
		if (v == NULL || strcasecmp(v, "unconfined") != 0)
			continue;
		buf_reset(&rem);
		buf_printf(&rem, "Remove %s.%s, or name a profile of your own.", source,
		           profiles[i][0]);
		report_addf(
		    c, profiles[i][1], SEV_CRITICAL, profiles[i][2], rem.p,
		    "%s.%s is \"unconfined\": the sandbox runs without that layer of protection.",
		    source, profiles[i][0]);
	}
	buf_free(&rem);
}

static void check_sandbox_config(struct ctx *c)
{
	const cJSON *a;
	struct buf src = { 0 };

	check_docker_noop(c);
	if (cJSON_IsObject(get(c->root, "agents.defaults.sandbox.docker")))
		check_docker_one(c, "agents.defaults.sandbox.docker", NULL,
		                 get(c->root, "agents.defaults.sandbox.docker"));
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a) == NULL || !cJSON_IsObject(get(a, "sandbox.docker")))
			continue;
		buf_reset(&src);
		buf_printf(&src, "agents.list.%s.sandbox.docker", agent_id(a));
		check_docker_one(c, src.p, a, get(a, "sandbox.docker"));
	}
	buf_free(&src);
}

/* Whether DIR has a repository below its top: a directory of it holds a .git. */
static bool holds_repository(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	bool found = false;

	while (d && !found && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || strcmp(e->d_name, "..") == 0))
			continue;
		char *git = xasprintf("%s/.git", e->d_name);
		found = fstatat(dirfd(d), git, &st, AT_SYMLINK_NOFOLLOW) == 0;
		free(git);
	}
	if (d)
		closedir(d);
	return found;
}

/*
 * The trees each agent's sandbox shows (its workspace, the agent workspace at
 * /agent), judged by the rule claw-sandbox refuses a run by (binds.c, the rule
 * for a bind source): no credential directory of a home, no claw state dir,
 * no config file claw reads, at, under or above.
 */
static void check_workspace_one(struct ctx *c, const char *agent, const char *label)
{
	struct sandbox_settings s;
	struct buf rem = { 0 }, key = { 0 };

	if (sandbox_settings_load(c->cfg, agent, &s) < 0) {
		sandbox_settings_free(
		    &s); /* a broken sandbox config is reported where it is read */
		return;
	}
	buf_printf(&key, "agent:%s:main", s.agent);
	if (strcmp(s.mode, "off") != 0 && sandbox_trees_validate(&s, key.p) < 0) {
		buf_printf(
		    &rem,
		    "Give %s a workspace of its own (agents.*.workspace) outside every home's "
		    "credential directories and claw's state, keep config files "
		    "(OPENCLAW_CONFIG_PATH, claw.json) out of every workspace, or set "
		    "workspaceAccess to \"none\".",
		    label);
		report_addf(c, "sandbox.workspace_exposed", SEV_CRITICAL,
		            "Sandbox workspace shows credentials or claw's own state", rem.p,
		            "%s: %s", label, claw_error());
	}
	/* Persistence paths are protected at the top of each writable tree (claw-sandbox(1)):
	 * a repository deeper inside keeps its hooks and config writable. */
	const char *nested = NULL;
	if (strcmp(s.access, "rw") == 0 && holds_repository(s.agent_workspace))
		nested = s.agent_workspace;
	for (size_t i = 0; i < s.nbinds && nested == NULL; i++)
		if (!s.parsed_binds[i].read_only && holds_repository(s.parsed_binds[i].host))
			nested = s.parsed_binds[i].host;
	if (strcmp(s.mode, "off") != 0 && nested) {
		buf_reset(&rem);
		buf_printf(
		    &rem, "Bind each repository the agent works on as a tree of its own "
		          "(agents.*.sandbox.docker.binds: \"/home/you/repos/app:/repos/app:rw\"), "
		          "so its .git is read-only inside; or set core.hooksPath and check "
		          ".git/config before running git on the host in a repository a sandbox "
		          "wrote to.");
		report_addf(
		    c, "sandbox.nested_repositories", SEV_WARN,
		    "Repositories inside a writable tree keep their hooks writable", rem.p,
		    "%s: %s, read-write in the sandbox, holds repositories; persistence paths "
		    "(.git, .envrc, rc files, ...) are read-only only at the top of each writable "
		    "tree: a repository deeper inside (repos/app/.git) keeps .git/hooks and "
		    ".git/config writable, and the host's git runs them.",
		    label, nested);
	}
	buf_free(&rem);
	buf_free(&key);
	sandbox_settings_free(&s);
}

static void check_workspaces(struct ctx *c)
{
	const cJSON *a;
	const char *def = cfg_default_agent(c->cfg);

	check_workspace_one(c, def ? def : "main", "agents.defaults");
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		char label[160];
		if (agent_id(a) == NULL || (def && strcmp(agent_id(a), def) == 0))
			continue;
		snprintf(label, sizeof(label), "agents.list.%s", agent_id(a));
		check_workspace_one(c, agent_id(a), label);
	}
}

/* native.rlimitsOnly of AGENT's sandbox (over agents.defaults'). */
/* native.rlimitsOnly as claw-sandbox reads it for AGENT (NULL: the default agent). */
static bool rlimits_only(const struct ctx *c, const cJSON *agent)
{
	struct sandbox_settings s;
	bool on = sandbox_settings_load(c->cfg, agent ? agent_id(agent) : NULL, &s) == 0 &&
	          s.rlimits_only;

	sandbox_settings_free(&s);
	return on;
}

/* Contexts that accept rlimits where no cgroup can be had, and what that means here. */
static void check_rlimits_only(struct ctx *c, const struct strlist *who)
{
	struct native_spec all = { .pids_max = 1, .memory_max = 1, .cpus = 1 };
	struct native_limits l;
	struct buf d = { 0 };

	if (who->n == 0)
		return;
	limits_probe(&all, &l);
	buf_puts(&d, "native.rlimitsOnly is true for:");
	detail_lines(&d, who);
	if (strcmp(limits_assurance(&l), "rlimits-only") == 0)
		buf_printf(&d,
		           "\nOn this host no cgroup can be had (%s), so these runs have "
		           "rlimits only: docker.memory is per process (N processes may use N "
		           "times it, and shared memory is not counted) and docker.cpus is "
		           "not enforced.",
		           l.why);
	else
		buf_printf(&d,
		           "\nOn this host cgroups serve (%s); elsewhere these runs would "
		           "fall back to rlimits.",
		           limits_assurance(&l));
	report_add(c, "sandbox.native.rlimits_only", SEV_WARN,
	           "The sandbox may run with per-process rlimits instead of cgroup limits", d.p,
	           "Run claw where cgroups can be had (as root, or in a delegated cgroup: "
	           "claw-sandbox(1), LIMITS) and remove native.rlimitsOnly, so that memory and CPU "
	           "limits hold for the whole run.");
	buf_free(&d);
}

/* What the native backend needs from the kernel, for each agent that uses it. */
static void check_kernel(struct ctx *c)
{
	struct tool_ctx *ctxs = xcalloc(MAX_CONTEXTS, sizeof(*ctxs));
	size_t n = tool_contexts(c, ctxs, MAX_CONTEXTS);
	struct strlist users = { 0 }, strict = { 0 }, rlimits = { 0 };
	struct kernel_features k;
	struct buf d = { 0 }, line = { 0 };

	for (size_t i = 0; i < n; i++) {
		const char *mode = sandbox_setting(c, ctxs[i].agent, "mode", "off");
		const char *backend = sandbox_setting(c, ctxs[i].agent, "backend", "native");
		const char *ll = sandbox_setting(c, ctxs[i].agent, "native.landlock", "auto");
		if (strcmp(mode, "off") == 0 || strcmp(backend, "native") != 0)
			continue;
		buf_reset(&line);
		buf_printf(&line, "%s (sandbox mode %s, backend native)", ctxs[i].label, mode);
		strlist_add(&users, line.p);
		if (strcmp(ll, "required") == 0)
			strlist_add(&strict, ctxs[i].label);
		if (rlimits_only(c, ctxs[i].agent))
			strlist_add(&rlimits, ctxs[i].label);
	}
	free(ctxs);
	check_rlimits_only(c, &rlimits);
	if (users.n == 0)
		goto done;
	kernel_probe(&k);
	struct strlist missing = { 0 };
	if (!k.userns)
		strlist_add(&missing, k.userns_why);
	if (!k.cgroupns)
		strlist_add(&missing, "the kernel has no cgroup namespaces (CONFIG_CGROUPS)");
	if (!k.seccomp_filter)
		strlist_add(&missing, k.seccomp_why);
	if (k.landlock_abi == 0 && strict.n > 0) {
		buf_reset(&line);
		buf_printf(&line, "%s, and sandbox.native.landlock is \"required\"",
		           k.landlock_why);
		strlist_add(&missing, line.p);
	}
	if (missing.n) {
		buf_puts(&d, "The native sandbox cannot start on this kernel:");
		detail_lines(&d, &missing);
		buf_puts(&d,
		         "\nThese sessions are meant to run in it, so each of their commands is "
		         "refused (claw fails closed):");
		detail_lines(&d, &users);
		report_add(c, "sandbox.native.kernel_unsupported", SEV_CRITICAL,
		           "Kernel lacks features the native sandbox needs", d.p,
		           "Enable them (sysctl, kernel build, boot parameters), or use the docker "
		           "backend (agents.defaults.sandbox.backend=\"docker\").");
	} else if (k.landlock_abi == 0) {
		report_addf(
		    c, "sandbox.native.landlock_unavailable", SEV_INFO,
		    "Landlock is not available; the native sandbox runs without it", NULL,
		    "%s. File access inside the sandbox is limited by its own mount namespace "
		    "alone (sandbox.native.landlock is \"auto\").",
		    k.landlock_why);
	}
	strlist_free(&missing);
done:
	strlist_free(&users);
	strlist_free(&strict);
	strlist_free(&rlimits);
	buf_free(&d);
	buf_free(&line);
}

/* Host runs need a view without claw's state (sandbox/hostview.h); without it they are refused. */
static void check_hostview(struct ctx *c)
{
	struct tool_ctx *ctxs = xcalloc(MAX_CONTEXTS, sizeof(*ctxs));
	size_t n = tool_contexts(c, ctxs, MAX_CONTEXTS);
	struct strlist host = { 0 };
	char why[256];

	for (size_t i = 0; i < n; i++)
		if (strcmp(sandbox_setting(c, ctxs[i].agent, "mode", "off"), "all") != 0)
			strlist_add(&host, ctxs[i].label);
	free(ctxs);
	if (host.n > 0 && !hostview_probe(why, sizeof(why))) {
		struct buf d = { 0 };
		buf_printf(&d,
		           "%s.\nSo every command these would run on the host is refused "
		           "(claw fails closed):",
		           why);
		detail_lines(&d, &host);
		report_add(
		    c, "exec.host.view_unavailable", SEV_CRITICAL,
		    "Host runs cannot hide claw's state, so they are refused", d.p,
		    "Allow user namespaces (sysctl kernel.unprivileged_userns_clone=1, "
		    "user.max_user_namespaces) and boot with Landlock (lsm=...,landlock), or "
		    "sandbox every session (agents.defaults.sandbox.mode=\"all\").");
		buf_free(&d);
	}
	strlist_free(&host);
}

/* ---- tools, logging, flags ---- */

static void check_tools_misc(struct ctx *c)
{
	const cJSON *a;
	struct strlist over = { 0 };
	struct buf d = { 0 }, line = { 0 };

	if (sget(c->root, "tools.profile") &&
	    strcmp(sget(c->root, "tools.profile"), "minimal") == 0) {
		cJSON_ArrayForEach(a, get(c->root, "agents.list"))
		{
			const char *p = sget(a, "tools.profile");
			if (agent_id(a) && p && strcmp(p, "minimal") != 0) {
				buf_reset(&line);
				buf_printf(&line, "agents.list.%s.tools.profile=%s", agent_id(a),
				           p);
				strlist_add(&over, line.p);
			}
		}
	}
	if (over.n) {
		buf_puts(&d,
		         "tools.profile is \"minimal\", but these agents have a profile of their "
		         "own, which wins:");
		detail_lines(&d, &over);
		report_add(
		    c, "tools.profile_minimal_overridden", SEV_WARN,
		    "Global tools.profile=minimal is overridden by agent profiles", d.p,
		    "Set those agents' tools.profile to \"minimal\" (or remove it) if minimal is "
		    "meant for every agent.");
	}
	strlist_free(&over);
	buf_free(&d);
	buf_free(&line);
}

static void flag_if(struct strlist *out, const cJSON *root, const char *path, bool want)
{
	const cJSON *v = get(root, path);
	struct buf b = { 0 };

	if (cJSON_IsBool(v) && cJSON_IsTrue(v) == want) {
		buf_printf(&b, "%s=%s", path, want ? "true" : "false");
		strlist_add(out, b.p);
	}
	buf_free(&b);
}

static void check_dangerous_flags(struct ctx *c)
{
	static const char *const docker_flags[] = { "dangerouslyAllowReservedContainerTargets",
		                                    "dangerouslyAllowExternalBindSources",
		                                    "dangerouslyAllowContainerNamespaceJoin" };
	struct strlist flags = { 0 };
	struct buf p = { 0 };
	const cJSON *a, *m;
	int i = 0;

	flag_if(&flags, c->root, "gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback",
	        true);
	flag_if(&flags, c->root, "hooks.gmail.allowUnsafeExternalContent", true);
	cJSON_ArrayForEach(m, get(c->root, "hooks.mappings"))
	{
		if (is_true(m, "allowUnsafeExternalContent")) {
			buf_reset(&p);
			buf_printf(&p, "hooks.mappings[%d].allowUnsafeExternalContent=true", i);
			strlist_add(&flags, p.p);
		}
		i++;
	}
	flag_if(&flags, c->root, "tools.exec.applyPatch.workspaceOnly", false);
	if (cJSON_GetArraySize(get(c->root, "security.audit.suppressions")) > 0) {
		buf_reset(&p);
		buf_printf(&p, "security.audit.suppressions configured (%d)",
		           cJSON_GetArraySize(get(c->root, "security.audit.suppressions")));
		strlist_add(&flags, p.p);
	}
	flag_if(&flags, c->root, "hooks.allowRequestSessionKey", true);
	flag_if(&flags, c->root, "browser.ssrfPolicy.dangerouslyAllowPrivateNetwork", true);
	flag_if(&flags, c->root, "tools.fs.workspaceOnly", false);
	for (size_t k = 0; k < NELEM(docker_flags); k++) {
		buf_reset(&p);
		buf_printf(&p, "agents.defaults.sandbox.docker.%s", docker_flags[k]);
		flag_if(&flags, c->root, p.p, true);
		cJSON_ArrayForEach(a, get(c->root, "agents.list"))
		{
			if (agent_id(a) == NULL ||
			    !is_true(get(a, "sandbox.docker"), docker_flags[k]))
				continue;
			buf_reset(&p);
			buf_printf(&p, "agents.list.%s.sandbox.docker.%s=true", agent_id(a),
			           docker_flags[k]);
			strlist_add(&flags, p.p);
		}
	}
	/* One finding per flag, as OpenClaw reports them. */
	for (size_t k = 0; k < flags.n; k++)
		report_addf(
		    c, "config.insecure_or_dangerous_flags", SEV_WARN,
		    "Insecure or dangerous config flag enabled",
		    "Turn the flag off unless you are debugging, and only for as long as you are.",
		    "Detected enabled flag: %s. It turns off a protection.", flags.v[k]);
	strlist_free(&flags);
	buf_free(&p);
}

static void policy_counts_fn(struct ctx *c, const char *channel, const cJSON *s, const char *base,
                             void *arg)
{
	int *n = arg;
	const char *key, *gp = sget(s, "groupPolicy"), *dp = dm_policy(s, &key);

	(void)c;
	(void)channel;
	(void)base;
	if (gp && strcmp(gp, "open") == 0)
		n[0]++;
	else if (gp && strcmp(gp, "allowlist") == 0)
		n[1]++;
	if (dp && strcmp(dp, "open") == 0)
		n[2]++;
}

/* ---- the config files themselves ---- */

/*
 * Every problem the config check found (lib/core/schema.c, the check every
 * command runs): OpenClaw will not start on a file it refuses, and claw will
 * not run on it either (exit 2). A claw key in openclaw.json still works in
 * claw, but OpenClaw refuses the file all the same.
 */
static void check_config_files(struct ctx *c)
{
	const struct cfg_problems *p = &c->cfg->problems;

	for (size_t i = 0; i < p->n; i++) {
		const struct cfg_problem *q = &p->v[i];
		struct buf title = { 0 };
		if (q->warning) {
			buf_printf(&title, "openclaw.json holds claw's own key %s", q->path);
			report_addf(
			    c, "config.claw_key_in_openclaw_json", SEV_CRITICAL, title.p,
			    "Move it to claw.json: claw-audit check --fix moves it, keeping "
			    "comments, with a numbered backup of openclaw.json.",
			    "%s: %s", q->where, q->message);
		} else {
			buf_printf(&title, "Config is invalid at %s",
			           q->path[0] ? q->path : "the top");
			report_addf(
			    c, "config.invalid", SEV_CRITICAL, title.p,
			    "Correct the key as the detail says: every claw command refuses this "
			    "config (exit 2), as OpenClaw refuses to start on it.",
			    "%s: %s", q->where, q->message);
		}
		buf_free(&title);
	}
}

static void check_summary(struct ctx *c)
{
	int n[3] = { 0, 0, 0 };
	struct buf d = { 0 };
	struct stat st;
	const char *exec_sec = exec_security(get(c->root, "tools.exec"), NULL);
	const char *ask = sget(c->root, "tools.exec.ask");

	each_section(c, policy_counts_fn, n);
	buf_printf(&d, "groups: open=%d, allowlist=%d", n[0], n[1]);
	buf_printf(&d, "\ntools.elevated: %s",
	           cJSON_IsFalse(get(c->root, "tools.elevated.enabled")) ? "disabled" : "enabled");
	buf_printf(&d, "\nhooks.webhooks: %s",
	           is_true(c->root, "hooks.enabled") ? "enabled" : "disabled");
	buf_printf(&d, "\nhooks.internal: %s",
	           is_true(c->root, "hooks.internal.enabled") ? "enabled" : "disabled");
	buf_printf(&d, "\nbrowser control: %s",
	           cJSON_IsFalse(get(c->root, "browser.enabled")) ? "disabled" : "enabled");
	buf_printf(&d, "\nsandbox: mode=%s, scope=%s, backend=%s, workspaceAccess=%s",
	           sandbox_setting(c, NULL, "mode", "off"),
	           sandbox_setting(c, NULL, "scope", "agent"),
	           sandbox_setting(c, NULL, "backend", "native"),
	           sandbox_setting(c, NULL, "workspaceAccess", "none"));
	buf_printf(&d, "\nexec: security=%s, ask=%s", exec_sec ? exec_sec : "unset (host: full)",
	           ask ? ask : "off");
	buf_printf(&d, "\nsession.dmScope: %s", dm_scope(c));
	buf_printf(&d, "\nconfig: %s",
	           c->cfg->exists ? c->cfg->path : "none (built-in secure preset)");
	if (stat(c->log_path, &st) == 0)
		buf_printf(&d, "\ndecision log: %s (%lld bytes)", c->log_path,
		           (long long)st.st_size);
	else
		buf_printf(&d, "\ndecision log: none yet (%s)", c->log_path);
	buf_puts(&d, "\ntrust model: one trusted operator per installation; mutually untrusted "
	             "users need installations of their own");
	report_add(c, "summary.attack_surface", SEV_INFO, "Attack surface summary", d.p, NULL);
	buf_free(&d);
}

/* ---- presets ---- */

static int order_index(const struct rule *r, const char *v)
{
	for (int i = 0; i < (int)NELEM(r->order) && r->order[i]; i++)
		if (strcmp(r->order[i], v) == 0)
			return i;
	return -1;
}

static char *json_text(const cJSON *v)
{
	char *t = cJSON_PrintUnformatted(v);
	char *copy = xstrdup(t ? t : "null");

	cJSON_free(t);
	return copy;
}

/* A limit as a number: pids, or bytes for "512m"; 0 or less, or not one, is no limit. */
static long long limit_value(const cJSON *v)
{
	if (cJSON_IsNumber(v))
		return (long long)v->valuedouble;
	if (cJSON_IsString(v))
		return sandbox_parse_size(v->valuestring);
	return -1;
}

/* Whether HAVE (NULL: OpenClaw's default) is weaker than WANT for rule R. On true,
 * *FIX is the JSON to set (NULL when the rule cannot order the values). */
static bool weaker(const struct rule *r, const cJSON *have, const cJSON *want, char **fix)
{
	cJSON *def = have ? NULL : cJSON_Parse(r->def);
	const cJSON *h = have ? have : def;
	bool weak = false;

	*fix = NULL;
	switch (r->kind) {
	case RULE_ORDER: {
		int hi = cJSON_IsString(h) ? order_index(r, h->valuestring) : -1;
		int wi = cJSON_IsString(want) ? order_index(r, want->valuestring) : -1;
		if (wi >= 0 && hi < wi) {
			weak = true;
			*fix = json_text(want);
		}
		break;
	}
	case RULE_NETWORK:
		if (cJSON_IsString(want) && strcmp(want->valuestring, "none") == 0 &&
		    !(cJSON_IsString(h) && strcmp(h->valuestring, "none") == 0)) {
			weak = true;
			*fix = json_text(want);
		}
		break;
	case RULE_FALSE_TIGHT:
		if (cJSON_IsFalse(want) && !cJSON_IsFalse(h)) {
			weak = true;
			*fix = json_text(want);
		}
		break;
	case RULE_AT_MOST: {
		long long hv = limit_value(h), wv = limit_value(want);
		if (wv > 0 && (hv <= 0 || hv > wv)) {
			weak = true;
			*fix = json_text(want);
		}
		break;
	}
	case RULE_SUPERSET: {
		cJSON *u = cJSON_IsArray(h) ? cJSON_Duplicate(h, 1) : cJSON_CreateArray();
		const cJSON *e;
		cJSON_ArrayForEach(e, want)
		{
			if (cJSON_IsString(e) && !list_has_name(h, e->valuestring)) {
				weak = true;
				cJSON_AddItemToArray(u, cJSON_CreateString(e->valuestring));
			}
		}
		if (weak)
			*fix = json_text(u);
		cJSON_Delete(u);
		break;
	}
	}
	cJSON_Delete(def);
	return weak;
}

/* One unmet preset key: where to set it, what it is, what to set. */
struct gap {
	char path[160];
	char *have; /* JSON, or NULL: not set */
	char *want; /* JSON to set */
	const struct rule *rule;
};

struct gaps {
	struct gap *v;
	size_t n, cap;
};

static void gap_add(struct gaps *g, const char *path, const cJSON *have, char *want,
                    const struct rule *r)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 8;
		g->v = xrealloc(g->v, g->cap * sizeof(*g->v));
	}
	struct gap *x = &g->v[g->n++];
	snprintf(x->path, sizeof(x->path), "%s", path);
	x->have = have ? json_text(have) : NULL;
	x->want = want;
	x->rule = r;
}

static void gaps_free(struct gaps *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].have);
		free(g->v[i].want);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}

/* Where a per-agent override of KEY lives in an agents.list entry, or NULL. */
static const char *agent_suffix(const char *key)
{
	if (str_has_prefix(key, "agents.defaults."))
		return key + strlen("agents.defaults.");
	if (str_has_prefix(key, "tools.") && strcmp(key, "tools.deny") != 0)
		return key; /* agents.list[].tools.exec.security, ... */
	return NULL;
}

/*
 * KEY's value as the stages derive it when the config sets it under another
 * name: the scope the retired perSession gives (session_sandbox_scope). NULL
 * when there is none; to cJSON_Delete.
 */
static cJSON *derived(const struct config *cfg, const cJSON *root, const char *key)
{
	const cJSON *sb = get(root, "agents.defaults.sandbox");
	const char *scope;

	if (strcmp(key, "agents.defaults.sandbox.scope") != 0 || get(sb, "perSession") == NULL ||
	    session_sandbox_scope(cfg, NULL, sb, &scope) < 0)
		return NULL;
	return cJSON_CreateString(scope);
}

/* Every key of PRESET's root that ROOT (a config, CFG's tree or an edit of it) leaves
 * weaker. */
static void preset_gaps(const struct config *cfg, const cJSON *root, const cJSON *preset,
                        bool missing_only, struct gaps *g)
{
	for (size_t i = 0; i < NELEM(preset_rules); i++) {
		const struct rule *r = &preset_rules[i];
		const cJSON *want = get(preset, r->key), *have = get(root, r->key), *a;
		char *fix;
		int idx = 0;

		if (want == NULL)
			continue;
		/* A deny-all exec makes ask moot. */
		if (strcmp(r->key, "tools.exec.ask") == 0 && sget(root, "tools.exec.security") &&
		    strcmp(sget(root, "tools.exec.security"), "deny") == 0)
			continue;
		cJSON *legacy = have ? NULL : derived(cfg, root, r->key);
		if (legacy != NULL)
			have = legacy;
		if ((!missing_only || have == NULL) && weaker(r, have, want, &fix))
			gap_add(g, r->key, have, fix, r);
		const char *suffix = agent_suffix(r->key);
		cJSON_ArrayForEach(a, get(root, "agents.list"))
		{
			const cJSON *mine = suffix ? get(a, suffix) : NULL;
			char path[160];
			if (mine != NULL && !missing_only && weaker(r, mine, want, &fix)) {
				snprintf(path, sizeof(path), "agents.list[%d].%s", idx, suffix);
				gap_add(g, path, mine, fix, r);
			}
			idx++;
		}
		cJSON_Delete(legacy);
	}
}

static int parse_preset(const char *name, struct config *p)
{
	const struct preset *ps = preset_find(name);
	char *source;

	memset(p, 0, sizeof(*p));
	if (ps == NULL) {
		check_preset_valid(name);
		return -1;
	}
	source = xasprintf("preset:%s", name);
	int rc = config_load_text(p, source, ps->text);
	free(source);
	return rc;
}

int check_preset_valid(const char *name)
{
	struct buf names = { 0 };

	if (preset_find(name) != NULL)
		return 0;
	for (unsigned i = 0; i < claw_npresets; i++)
		buf_printf(&names, "%s%s", i ? ", " : "", claw_presets[i].name);
	claw_fail("no preset \"%s\" (there are: %s)", name, names.p ? names.p : "none");
	buf_free(&names);
	return -1;
}

static void check_preset(struct ctx *c, const char *name)
{
	struct config p;
	struct gaps g = { 0 };

	if (parse_preset(name, &p) < 0)
		return;
	preset_gaps(c->cfg, c->root, p.root, false, &g);
	for (size_t i = 0; i < g.n; i++) {
		struct buf id = { 0 }, title = { 0 }, d = { 0 }, rem = { 0 };
		buf_printf(&id, "preset.%s.%s", name, g.v[i].path);
		buf_printf(&title, "Config is weaker than preset \"%s\": %s", name, g.v[i].path);
		if (g.v[i].have)
			buf_printf(&d, "%s is %s", g.v[i].path, g.v[i].have);
		else
			buf_printf(&d, "%s is not set (OpenClaw's default is %s)", g.v[i].path,
			           g.v[i].rule->def);
		buf_printf(&d, "; preset \"%s\" has %s (%s).", name, g.v[i].want, g.v[i].rule->why);
		buf_printf(&rem, "Set %s=%s (claw-audit check --fix --preset %s does it).",
		           g.v[i].path, g.v[i].want, name);
		report_add(c, id.p, SEV_WARN, title.p, d.p, rem.p);
		buf_free(&id);
		buf_free(&title);
		buf_free(&d);
		buf_free(&rem);
	}
	gaps_free(&g);
	config_free(&p);
}

/* A config that leaves a key out gets OpenClaw's default: say where that is weaker than secure. */
static void check_defaults(struct ctx *c)
{
	struct config p;
	struct gaps g = { 0 };
	struct buf d = { 0 };

	if (!c->cfg->exists || parse_preset(CLAW_DEFAULT_PRESET, &p) < 0)
		return;
	preset_gaps(c->cfg, c->root, p.root, true, &g);
	if (g.n > 0) {
		buf_puts(&d,
		         "The config leaves these keys out, so OpenClaw's defaults apply, which "
		         "are weaker than the secure preset's:");
		for (size_t i = 0; i < g.n; i++)
			buf_printf(&d, "\n- %s: default %s, secure %s", g.v[i].path,
			           g.v[i].rule->def, g.v[i].want);
		report_add(c, "config.defaults_weaker_than_secure", SEV_INFO,
		           "Keys left out fall back to weaker defaults", d.p,
		           "Set them, or run claw-audit check --fix --preset secure.");
	}
	gaps_free(&g);
	config_free(&p);
	buf_free(&d);
}

/* ---- --fix ---- */

static void action_add(struct fix_result *fx, const char *path, unsigned mode, bool ok,
                       const char *skipped, const char *error)
{
	if (fx->nactions == fx->capactions) {
		fx->capactions = fx->capactions ? fx->capactions * 2 : 16;
		fx->actions = xrealloc(fx->actions, fx->capactions * sizeof(*fx->actions));
	}
	fx->actions[fx->nactions++] =
	    (struct fix_action){ xstrdup(path), mode, ok, skipped, error ? xstrdup(error) : NULL };
}

/* Removes the bits MODE does not have; never adds one. */
static void safe_chmod(struct fix_result *fx, const char *path, unsigned mode, bool dir)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			action_add(fx, path, mode, false, "missing", NULL);
		else
			action_add(fx, path, mode, false, NULL, strerror(errno));
		return;
	}
	if (S_ISLNK(st.st_mode))
		return action_add(fx, path, mode, false, "symlink", NULL);
	if (dir && !S_ISDIR(st.st_mode))
		return action_add(fx, path, mode, false, "not-a-directory", NULL);
	if (!dir && !S_ISREG(st.st_mode))
		return action_add(fx, path, mode, false, "not-a-file", NULL);
	unsigned cur = (unsigned)st.st_mode & 07777;
	if ((cur & ~mode & 0777) == 0)
		return action_add(fx, path, mode, false, "already", NULL);
	if (chmod(path, cur & mode) < 0)
		return action_add(fx, path, mode, false, NULL, strerror(errno));
	action_add(fx, path, mode, true, NULL, NULL);
}

static void chmod_dir_files(struct fix_result *fx, const char *dir, const char *suffix)
{
	char *cmd_dir = xstrdup(dir);
	DIR *d = opendir(cmd_dir);
	struct dirent *e;

	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.' || (suffix && !str_has_suffix(e->d_name, suffix)))
				continue;
			char *p = xasprintf("%s/%s", dir, e->d_name);
			struct stat st;
			if (lstat(p, &st) == 0 && S_ISREG(st.st_mode))
				safe_chmod(fx, p, 0600, false);
			free(p);
		}
		closedir(d);
	}
	free(cmd_dir);
}

static void fix_permissions(struct ctx *c, struct fix_result *fx)
{
	const char *state = c->cfg->state_dir;
	const cJSON *a;

	safe_chmod(fx, state, 0700, true);
	if (c->cfg->exists) {
		safe_chmod(fx, c->cfg->path, 0600, false);
		if (fx->backup)
			safe_chmod(fx, fx->backup, 0600, false);
	}
	safe_chmod(fx, c->approvals_path, 0600, false);
	char *p = xasprintf("%s/approvals", state);
	if (perm_of(p).dir) {
		safe_chmod(fx, p, 0700, true);
		chmod_dir_files(fx, p, NULL);
	}
	free(p);
	p = xasprintf("%s/audit", state);
	safe_chmod(fx, p, 0700, true);
	chmod_dir_files(fx, p, NULL);
	free(p);
	p = credentials_dir(c);
	safe_chmod(fx, p, 0700, true);
	chmod_dir_files(fx, p, ".json");
	free(p);
	struct strlist ids = { 0 };
	strlist_add(&ids, cfg_default_agent(c->cfg));
	cJSON_ArrayForEach(a, get(c->root, "agents.list"))
	{
		if (agent_id(a))
			strlist_add(&ids, agent_id(a));
	}
	for (size_t i = 0; i < ids.n; i++) {
		char id[SESSION_ID_MAX];
		bool dup = false;
		norm_agent_id(ids.v[i], id);
		for (size_t k = 0; k < i && !dup; k++) {
			char other[SESSION_ID_MAX];
			dup = strcmp(norm_agent_id(ids.v[k], other), id) == 0;
		}
		if (dup)
			continue;
		static const struct {
			const char *suffix;
			unsigned mode;
			bool dir;
		} agent_paths[] = {
			{ "", 0700, true },
			{ "/agent", 0700, true },
			{ "/agent/auth-profiles.json", 0600, false },
			{ "/sessions", 0700, true },
			{ "/sessions/sessions.json", 0600, false },
		};
		for (size_t k = 0; k < NELEM(agent_paths); k++) {
			char *ap = xasprintf("%s/agents/%s%s", state, id, agent_paths[k].suffix);
			struct stat st;
			if (lstat(ap, &st) == 0) /* OpenClaw's state; claw makes none of it */
				safe_chmod(fx, ap, agent_paths[k].mode, agent_paths[k].dir);
			free(ap);
		}
		char *sessions = xasprintf("%s/agents/%s/sessions", state, id);
		if (perm_of(sessions).dir)
			chmod_dir_files(fx, sessions, ".jsonl");
		free(sessions);
	}
	strlist_free(&ids);
}

struct edit {
	char *path, *value, *change;
};

struct edits {
	struct edit *v;
	size_t n, cap;
};

static void edit_add(struct edits *e, const char *path, const char *value, const char *change)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 8;
		e->v = xrealloc(e->v, e->cap * sizeof(*e->v));
	}
	e->v[e->n++] = (struct edit){ xstrdup(path), xstrdup(value), xstrdup(change) };
}

static void edits_free(struct edits *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].path);
		free(e->v[i].value);
		free(e->v[i].change);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static void group_policy_fn(struct ctx *c, const char *channel, const cJSON *s, const char *base,
                            void *arg)
{
	struct edits *e = arg;
	struct buf path = { 0 }, change = { 0 };

	(void)c;
	(void)channel;
	if (sget(s, "groupPolicy") && strcmp(sget(s, "groupPolicy"), "open") == 0) {
		buf_printf(&path, "%s.groupPolicy", base);
		buf_printf(&change, "%s=open -> allowlist", path.p);
		edit_add(e, path.p, "\"allowlist\"", change.p);
	}
	buf_free(&path);
	buf_free(&change);
}

/* The changes --fix makes to the config: OpenClaw's safe fixes, and the preset's. */
static void plan_edits(struct ctx *c, const cJSON *root, struct edits *e)
{
	const cJSON *saved = c->root;

	c->root = root;
	each_section(c, group_policy_fn, e);
	if (c->o->preset != NULL) {
		struct config p;
		struct gaps g = { 0 };
		if (parse_preset(c->o->preset, &p) == 0) {
			preset_gaps(c->cfg, root, p.root, false, &g);
			for (size_t i = 0; i < g.n; i++) {
				struct buf change = { 0 };
				buf_printf(&change, "%s=%s -> %s (preset %s)", g.v[i].path,
				           g.v[i].have ? g.v[i].have : "(unset)", g.v[i].want,
				           c->o->preset);
				edit_add(e, g.v[i].path, g.v[i].want, change.p);
				buf_free(&change);
			}
			gaps_free(&g);
			config_free(&p);
		}
	}
	c->root = saved;
}

static void fix_error(struct fix_result *fx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fix_error(struct fix_result *fx, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	strlist_add(&fx->errors, b.p);
	buf_free(&b);
}

/* The claw keys the check found in openclaw.json (its warnings). */
static size_t claw_keys_found(const struct config *cfg)
{
	size_t n = 0;

	for (size_t i = 0; i < cfg->problems.n; i++)
		n += cfg->problems.v[i].warning;
	return n;
}

/*
 * claw's keys in openclaw.json (TEXT, as NOW read it) go to claw.json, which
 * is written here, under its lock, before openclaw.json is: until that is
 * rewritten both hold them, and claw.json's values are the ones that apply.
 * A claw.json that does not parse, or is a symlink, is never rewritten.
 */
static int fix_claw_json(struct ctx *c, struct fix_result *fx, const struct config *now,
                         struct buf *text)
{
	const char *path = c->cfg->claw_path;
	struct buf claw = { 0 }, orig = { 0 };
	struct json5_doc doc = { 0 };
	struct stat st;
	char *raw = NULL;
	size_t len;
	int lock, rc = -1;
	bool existed = lstat(path, &st) == 0;

	if ((lock = lock_file(path, true)) < 0) {
		fix_error(fx, "%s", claw_error());
		return -1;
	}
	if (existed && S_ISLNK(st.st_mode)) {
		fix_error(fx, "%s is a symlink; not rewriting through it", path);
		goto out;
	}
	if (existed && read_file(path, 16UL * 1024 * 1024, &raw, &len) < 0) {
		fix_error(fx, "%s", claw_error());
		goto out;
	}
	buf_put(&claw, existed ? raw : claw_json_template,
	        existed ? len : strlen(claw_json_template));
	buf_put(&orig, claw.p, claw.len);
	if (config_parse_claw(path, claw.p, &doc) < 0) {
		fix_error(fx, "%s; not rewriting it", claw_error());
		goto out;
	}
	if (claw_keys_move(now, text, &claw) < 0) {
		fix_error(fx, "moving claw's keys to %s: %s; nothing was changed", path,
		          claw_error());
		goto out;
	}
	/* The old claw.json is kept as the next numbered backup, never over an earlier one. */
	char *bak = existed ? backup_numbered(path, orig.p, orig.len, st.st_mode & 0777) : NULL;
	if (existed && bak == NULL)
		fix_error(fx, "%s; nothing was changed", claw_error());
	else if (atomic_write(path, claw.p, claw.len, 0600) < 0)
		fix_error(fx, "%s; nothing was changed", claw_error());
	else
		rc = 0;
	if (rc == 0 && bak != NULL) {
		char *note = xasprintf("%s kept as %s", path, bak);
		strlist_add(&fx->changes, note);
		free(note);
	}
	free(bak);
out:
	json5_free(&doc);
	free(raw);
	buf_free(&claw);
	buf_free(&orig);
	unlock_file(lock);
	return rc;
}

/* Rewrites the config under its lock, from the file as it is now. */
static void fix_config(struct ctx *c, struct fix_result *fx)
{
	const char *path = c->cfg->path;
	struct config now;
	struct edits e = { 0 };
	struct buf text = { 0 };
	struct stat st;
	int lock;

	if (!c->cfg->exists) {
		if (c->o->preset)
			fix_error(fx,
			          "no config file at %s: the built-in secure preset applies; "
			          "`claw init --preset %s` writes one",
			          path, c->o->preset);
		return;
	}
	if ((lock = lock_file(path, true)) < 0) {
		fix_error(fx, "%s", claw_error());
		return;
	}
	if (lstat(path, &st) < 0) {
		fix_error(fx, "%s: %s", path, strerror(errno));
		goto out;
	}
	char *raw = NULL;
	size_t len;
	if (read_file(path, 16UL * 1024 * 1024, &raw, &len) < 0) {
		fix_error(fx, "%s", claw_error());
		goto out;
	}
	buf_put(&text, raw, len);
	free(raw);
	/* A file that does not parse, or that the config check refuses, is never overwritten. */
	if (config_load_text(&now, path, text.p) < 0) {
		fix_error(fx, "%s; not rewriting it", claw_error());
		config_free(&now);
		goto out;
	}
	plan_edits(c, now.root, &e);
	size_t moves = claw_keys_found(&now);
	if (e.n + moves == 0) {
		config_free(&now);
		goto out;
	}
	if (S_ISLNK(st.st_mode)) {
		fix_error(fx,
		          "%s is a symlink; not rewriting through it (fix its target: %zu "
		          "change%s pending)",
		          path, e.n + moves, e.n + moves == 1 ? "" : "s");
		config_free(&now);
		goto out;
	}
	struct buf orig = { 0 };
	buf_put(&orig, text.p, text.len);
	for (size_t i = 0; i < e.n; i++) {
		if (cfgedit_set(&text, e.v[i].path, e.v[i].value) < 0) {
			fix_error(fx, "%s: %s; the config was not changed", path, claw_error());
			buf_free(&orig);
			config_free(&now);
			goto out;
		}
	}
	if (moves > 0 && fix_claw_json(c, fx, &now, &text) < 0) {
		buf_free(&orig);
		config_free(&now);
		goto out;
	}
	struct strlist moved = { 0 };
	for (size_t i = 0; i < now.problems.n; i++) {
		if (!now.problems.v[i].warning)
			continue;
		char *change = xasprintf("%s -> %s", now.problems.v[i].path, c->cfg->claw_path);
		strlist_add(&moved, change);
		free(change);
	}
	config_free(&now);
	mode_t mode = st.st_mode & 0777;
	char *bak = xasprintf("%s.bak", path);
	if (atomic_write(bak, orig.p, orig.len, mode) < 0) {
		fix_error(fx, "%s; the config was not changed", claw_error());
		free(bak);
	} else if (atomic_write(path, text.p, text.len, mode) < 0) {
		fix_error(fx, "%s; the config was not changed (backup in %s)", claw_error(), bak);
		free(bak);
	} else {
		fx->config_written = true;
		fx->backup = bak;
		for (size_t i = 0; i < e.n; i++)
			strlist_add(&fx->changes, e.v[i].change);
		for (size_t i = 0; i < moved.n; i++)
			strlist_add(&fx->changes, moved.v[i]);
	}
	strlist_free(&moved);
	buf_free(&orig);
out:
	edits_free(&e);
	buf_free(&text);
	unlock_file(lock);
}

static void run_fix(struct ctx *c, struct fix_result *fx)
{
	fx->ran = true;
	fx->state_dir = xstrdup(c->cfg->state_dir);
	fx->config_path = xstrdup(c->cfg->path);
	fix_config(c, fx);
	fix_permissions(c, fx);
	fx->ok = fx->errors.n == 0;
	for (size_t i = 0; i < fx->nactions; i++)
		if (fx->actions[i].error)
			fx->ok = false;
}

/* ---- suppressions ---- */

/* Whether NEEDLE (trimmed, any case) is in HAY; an empty needle is. */
static bool includes_ci(const char *hay, const cJSON *needle)
{
	if (!cJSON_IsString(needle))
		return true;
	char *n = str_lower(str_trim_dup(needle->valuestring));
	char *h = str_lower(xstrdup(hay));
	bool hit = n[0] == '\0' || strstr(h, n) != NULL;
	free(n);
	free(h);
	return hit;
}

static const cJSON *suppression_for(const cJSON *list, const struct finding *f)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, list)
	{
		const char *id = sget(s, "checkId");
		if (id == NULL)
			continue;
		char *t = str_trim_dup(id);
		bool same = t[0] != '\0' && strcmp(t, f->check_id) == 0;
		free(t);
		if (same && includes_ci(f->title, get(s, "titleIncludes")) &&
		    includes_ci(f->detail, get(s, "detailIncludes")))
			return s;
	}
	return NULL;
}

/* OpenClaw's security.audit.suppressions: accepted risks move to
 * suppressedFindings, and an info finding says how many. */
static void apply_suppressions(struct ctx *c)
{
	const cJSON *list = get(c->root, "security.audit.suppressions");
	struct check_report *r = c->r;
	size_t kept = 0;

	if (cJSON_GetArraySize(list) == 0)
		return;
	r->nsuppressions = cJSON_GetArraySize(list);
	r->sup = xcalloc(r->n, sizeof(*r->sup));
	r->sup_reason = xcalloc(r->n, sizeof(*r->sup_reason));
	for (size_t i = 0; i < r->n; i++) {
		const cJSON *s = suppression_for(list, &r->f[i]);
		if (s == NULL) {
			r->f[kept++] = r->f[i];
			continue;
		}
		const char *why = sget(s, "reason");
		char *t = why ? str_trim_dup(why) : NULL;
		if (t != NULL && t[0] == '\0') {
			free(t);
			t = NULL;
		}
		r->sup_reason[r->nsup] = t;
		r->sup[r->nsup++] = r->f[i];
	}
	r->n = kept;
	report_addf(
	    c, "security.audit.suppressions.active", SEV_INFO,
	    "Security audit suppressions configured",
	    "Review suppressedFindings, and remove a suppression when the risk it accepted has "
	    "changed.",
	    "security.audit.suppressions has %d configured suppression(s); %zu finding(s) moved "
	    "to suppressedFindings.",
	    r->nsuppressions, r->nsup);
}

/* ---- running and rendering ---- */

static long long now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void ctx_init(struct ctx *c, struct config *cfg, const struct check_opts *o,
                     struct check_report *r)
{
	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->root = cfg->root;
	c->o = o;
	c->r = r;
	c->approvals_path = state_path(cfg, "exec-approvals.json");
	c->log_path = state_path(cfg, "audit/decisions.jsonl");
	c->tp = tp_load(cfg);
}

static void ctx_free(struct ctx *c)
{
	cJSON_Delete(c->approvals);
	free(c->approvals_path);
	free(c->log_path);
	tp_free(c->tp);
}

int check_run(struct config *cfg, const struct check_opts *o, struct check_report *r)
{
	struct ctx c;

	memset(r, 0, sizeof(*r));
	if (o->fix) {
		ctx_init(&c, cfg, o, r);
		run_fix(&c, &r->fix);
		ctx_free(&c);
		/* Check what is there now. */
		config_free(cfg);
		if (config_load_report(cfg, o->co) < 0)
			return -1;
	}
	ctx_init(&c, cfg, o, r);
	r->ts = now_ms();
	check_config_files(&c);
	if (o->only_config) {
		ctx_free(&c);
		return 0;
	}
	check_summary(&c);
	check_filesystem(&c);
	load_approvals(&c);
	check_elevated(&c);
	check_exec(&c);
	check_safe_bins(&c);
	check_approvals(&c);
	check_exec_default(&c);
	check_sandbox_config(&c);
	check_workspaces(&c);
	check_kernel(&c);
	check_hostview(&c);
	check_tools_misc(&c);
	check_dangerous_flags(&c);
	check_exposure(&c);
	check_trust_model(&c);
	each_section(&c, check_channel_dm, NULL);
	if (o->preset != NULL)
		check_preset(&c, o->preset);
	else
		check_defaults(&c);
	apply_suppressions(&c);
	ctx_free(&c);
	return 0;
}

int check_worst(const struct check_report *r)
{
	int worst = -1;

	for (size_t i = 0; i < r->n; i++)
		if ((int)r->f[i].sev > worst)
			worst = (int)r->f[i].sev;
	return worst;
}

static const char *const sev_names[] = { "info", "warn", "critical" };

/* JSON as JSON.stringify(value, null, 2) writes it. */
static void pretty(const cJSON *v, struct buf *b, int depth)
{
	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		bool obj = cJSON_IsObject(v);
		if (v->child == NULL) {
			buf_puts(b, obj ? "{}" : "[]");
			return;
		}
		buf_putc(b, obj ? '{' : '[');
		for (const cJSON *e = v->child; e; e = e->next) {
			buf_printf(b, "\n%*s", 2 * (depth + 1), "");
			if (obj) {
				buf_json_str(b, e->string);
				buf_puts(b, ": ");
			}
			pretty(e, b, depth + 1);
			if (e->next)
				buf_putc(b, ',');
		}
		buf_printf(b, "\n%*s%c", 2 * depth, "", obj ? '}' : ']');
	} else if (cJSON_IsString(v)) {
		buf_json_str(b, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		buf_printf(b, "%lld", (long long)v->valuedouble);
	} else if (cJSON_IsBool(v)) {
		buf_puts(b, cJSON_IsTrue(v) ? "true" : "false");
	} else {
		buf_puts(b, "null");
	}
}

static void summary_counts(const struct check_report *r, int n[3])
{
	n[0] = n[1] = n[2] = 0;
	for (size_t i = 0; i < r->n; i++)
		n[r->f[i].sev]++;
}

static cJSON *finding_json(const struct finding *x)
{
	cJSON *f = cJSON_CreateObject();

	cJSON_AddStringToObject(f, "checkId", x->check_id);
	cJSON_AddStringToObject(f, "severity", sev_names[x->sev]);
	cJSON_AddStringToObject(f, "title", x->title);
	cJSON_AddStringToObject(f, "detail", x->detail);
	if (x->remediation)
		cJSON_AddStringToObject(f, "remediation", x->remediation);
	return f;
}

static cJSON *report_json(const struct check_report *r)
{
	cJSON *o = cJSON_CreateObject(), *s = cJSON_CreateObject(), *fs = cJSON_CreateArray();
	int n[3];

	summary_counts(r, n);
	cJSON_AddNumberToObject(o, "ts", (double)r->ts);
	cJSON_AddNumberToObject(s, "critical", n[SEV_CRITICAL]);
	cJSON_AddNumberToObject(s, "warn", n[SEV_WARN]);
	cJSON_AddNumberToObject(s, "info", n[SEV_INFO]);
	cJSON_AddItemToObject(o, "summary", s);
	for (size_t i = 0; i < r->n; i++)
		cJSON_AddItemToArray(fs, finding_json(&r->f[i]));
	cJSON_AddItemToObject(o, "findings", fs);
	if (r->nsup > 0) {
		cJSON *sup = cJSON_CreateArray();
		for (size_t i = 0; i < r->nsup; i++) {
			cJSON *f = finding_json(&r->sup[i]), *why = cJSON_CreateObject();
			if (r->sup_reason[i])
				cJSON_AddStringToObject(why, "reason", r->sup_reason[i]);
			cJSON_AddItemToObject(f, "suppression", why);
			cJSON_AddItemToArray(sup, f);
		}
		cJSON_AddItemToObject(o, "suppressedFindings", sup);
	}
	return o;
}

static cJSON *strings_json(const struct strlist *l)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < l->n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(l->v[i]));
	return a;
}

static cJSON *fix_json(const struct fix_result *fx)
{
	cJSON *o = cJSON_CreateObject(), *acts = cJSON_CreateArray();

	cJSON_AddBoolToObject(o, "ok", fx->ok);
	cJSON_AddStringToObject(o, "stateDir", fx->state_dir);
	cJSON_AddStringToObject(o, "configPath", fx->config_path);
	cJSON_AddBoolToObject(o, "configWritten", fx->config_written);
	if (fx->backup)
		cJSON_AddStringToObject(o, "configBackup", fx->backup);
	cJSON_AddItemToObject(o, "changes", strings_json(&fx->changes));
	for (size_t i = 0; i < fx->nactions; i++) {
		const struct fix_action *a = &fx->actions[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "kind", "chmod");
		cJSON_AddStringToObject(j, "path", a->path);
		cJSON_AddNumberToObject(j, "mode", a->mode);
		cJSON_AddBoolToObject(j, "ok", a->ok);
		if (a->skipped)
			cJSON_AddStringToObject(j, "skipped", a->skipped);
		if (a->error)
			cJSON_AddStringToObject(j, "error", a->error);
		cJSON_AddItemToArray(acts, j);
	}
	cJSON_AddItemToObject(o, "actions", acts);
	cJSON_AddItemToObject(o, "errors", strings_json(&fx->errors));
	return o;
}

/* Text for a terminal: control characters other than newline are shown, not obeyed. */
static void put_text(struct buf *b, const char *s, const char *indent)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n') {
			buf_putc(b, '\n');
			buf_puts(b, indent);
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_printf(b, "\\x%02x", *p);
		} else {
			buf_putc(b, (char)*p);
		}
	}
}

/* TEXT in the colour CODE (an SGR parameter) when colour is on. */
static void paint(struct buf *b, const struct check_opts *o, const char *code, const char *text)
{
	if (o->color)
		buf_printf(b, "\033[%sm%s\033[0m", code, text);
	else
		buf_puts(b, text);
}

static void render_fix(const struct fix_result *fx, const struct check_opts *o, struct buf *b)
{
	bool any = fx->errors.n > 0 || fx->changes.n > 0;

	buf_printf(b, "Fix: claw-audit check --fix%s%s\n", o->preset ? " --preset " : "",
	           o->preset ? o->preset : "");
	for (size_t i = 0; i < fx->nactions; i++)
		any |= fx->actions[i].ok || fx->actions[i].error;
	if (!any) {
		buf_puts(b, "Fixes: no changes applied\n");
		return;
	}
	buf_putc(b, '\n');
	paint(b, o, "1", "FIX");
	buf_putc(b, '\n');
	for (size_t i = 0; i < fx->changes.n; i++) {
		buf_puts(b, "  ");
		put_text(b, fx->changes.v[i], "  ");
		buf_putc(b, '\n');
	}
	if (fx->backup)
		buf_printf(b, "  config written: %s (previous version: %s)\n", fx->config_path,
		           fx->backup);
	for (size_t i = 0; i < fx->nactions; i++) {
		const struct fix_action *a = &fx->actions[i];
		if (a->ok)
			buf_printf(b, "  chmod %03o %s\n", a->mode, a->path);
		else if (a->error)
			buf_printf(b, "  chmod %03o %s failed: %s\n", a->mode, a->path, a->error);
		else if (strcmp(a->skipped, "missing") != 0)
			buf_printf(b, "  skip chmod %03o %s (%s)\n", a->mode, a->path, a->skipped);
	}
	for (size_t i = 0; i < fx->errors.n; i++) {
		buf_puts(b, "  error: ");
		put_text(b, fx->errors.v[i], "  ");
		buf_putc(b, '\n');
	}
}

void check_render(const struct check_report *r, const struct check_opts *o, struct buf *b)
{
	static const char *const labels[] = { "INFO", "WARN", "CRITICAL" };
	static const char *const colors[] = { "2", "33", "1;31" };
	int n[3];

	if (o->json) {
		cJSON *root = report_json(r);
		if (r->fix.ran) {
			cJSON *both = cJSON_CreateObject();
			cJSON_AddItemToObject(both, "fix", fix_json(&r->fix));
			cJSON_AddItemToObject(both, "report", root);
			root = both;
		}
		pretty(root, b, 0);
		buf_putc(b, '\n');
		cJSON_Delete(root);
		return;
	}
	summary_counts(r, n);
	paint(b, o, "1", "claw security audit");
	buf_putc(b, '\n');
	if (o->color)
		buf_printf(b,
		           "Summary: \033[1;31m%d critical\033[0m · \033[33m%d warn\033[0m · "
		           "\033[2m%d info\033[0m\n",
		           n[2], n[1], n[0]);
	else
		buf_printf(b, "Summary: %d critical · %d warn · %d info\n", n[2], n[1], n[0]);
	if (r->nsuppressions > 0)
		buf_printf(b, "Suppressed: %d configured\n", r->nsuppressions);
	if (r->fix.ran)
		render_fix(&r->fix, o, b);
	for (int sev = SEV_CRITICAL; sev >= SEV_INFO; sev--) {
		if (n[sev] == 0)
			continue;
		if (o->color)
			buf_printf(b, "\n\033[%sm%s\033[0m\n", colors[sev], labels[sev]);
		else
			buf_printf(b, "\n%s\n", labels[sev]);
		for (size_t i = 0; i < r->n; i++) {
			const struct finding *f = &r->f[i];
			if ((int)f->sev != sev)
				continue;
			buf_printf(b, "%s%s%s ", o->color ? "\033[2m" : "", f->check_id,
			           o->color ? "\033[0m" : "");
			put_text(b, f->title, "");
			buf_puts(b, "\n  ");
			put_text(b, f->detail, "  ");
			buf_putc(b, '\n');
			if (f->remediation) {
				buf_puts(b, o->color ? "  \033[2mFix: " : "  Fix: ");
				put_text(b, f->remediation, "  ");
				buf_puts(b, o->color ? "\033[0m\n" : "\n");
			}
		}
	}
}

static void finding_free(struct finding *f)
{
	free(f->check_id);
	free(f->title);
	free(f->detail);
	free(f->remediation);
}

void check_report_free(struct check_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		finding_free(&r->f[i]);
	free(r->f);
	for (size_t i = 0; i < r->nsup; i++) {
		finding_free(&r->sup[i]);
		free(r->sup_reason[i]);
	}
	free(r->sup);
	free(r->sup_reason);
	for (size_t i = 0; i < r->fix.nactions; i++) {
		free(r->fix.actions[i].path);
		free(r->fix.actions[i].error);
	}
	free(r->fix.actions);
	strlist_free(&r->fix.changes);
	strlist_free(&r->fix.errors);
	free(r->fix.state_dir);
	free(r->fix.config_path);
	free(r->fix.backup);
	memset(r, 0, sizeof(*r));
}
