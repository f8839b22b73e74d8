/* check-fs.c: claw-audit check, the permissions of the state dir, the config and the credentials.
 */
#include "audit/seccheck-int.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "audit/auditlog.h"
#include "session/session.h"

/* Path fragments of folders that sync to other machines (OpenClaw's fs.synced_dir). */
static const char *const synced_markers[] = { "icloud", "dropbox", "google drive", "googledrive",
	                                      "onedrive" };

struct perm perm_of(const char *path)
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

char *credentials_dir(const struct ctx *c)
{
	const char *env = getenv("OPENCLAW_OAUTH_DIR");

	if (env != NULL && env[0] == '/')
		return xstrdup(env);
	return xasprintf("%s/credentials", c->cfg->state_dir);
}

void check_filesystem(struct ctx *c)
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

/*
 * The decision log is written before anything runs: a log that takes no
 * entry (read-only, not a regular file, or its last line not an entry) means
 * nothing runs at all. Judged by the appender's own checks (alog_probe).
 */
void check_audit_log(struct ctx *c)
{
	if (alog_probe(c->log_path) == 0)
		return;
	report_addf(c, "audit_log.not_accepting", SEV_CRITICAL,
	            "Decision log does not accept entries",
	            "claw-audit verify names the line that is not an entry; move the log aside "
	            "(a new one starts at seq 1) or make it writable again.",
	            "%s. Every decision is logged before it runs, so nothing runs until the log "
	            "takes entries again (claw exec exits 125).",
	            claw_error());
}
