/* guard.c: self-protection (see guard.h). */
#include "approve/guard.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/execpath.h"
#include "core/util.h"

/* Names of claw's state, found in any word (case-insensitive, so a
 * case-insensitive file system cannot hide them). */
static const struct {
	const char *needle, *what;
} state_names[] = {
	{ "openclaw.json", "claw's config file" },
	{ "exec-approvals", "the approvals file (its socket, lock and backups too)" },
	{ ".openclaw", "the default state directory" },
	{ "decisions.jsonl", "the decision log" },
	{ "openclaw_state_dir", "the variable that moves the state directory" },
	{ "openclaw_config_path", "the variable that moves the config file" },
};

static const char suppressions[] = "security.audit.suppressions";

__attribute__((format(printf, 4, 5))) static void
raise_hit(struct guard_hit *hit, enum guard_verdict v, const char *reason, const char *fmt, ...)
{
	va_list ap;

	if (v <= hit->verdict)
		return;
	hit->verdict = v;
	hit->reason = reason;
	va_start(ap, fmt);
	vsnprintf(hit->detail, sizeof(hit->detail), fmt, ap);
	va_end(ap);
}

static void normalise(const char *in, char *out, char *real)
{
	if (path_join("/", in, out, PATH_MAX) < 0)
		snprintf(out, PATH_MAX, "%s", in);
	if (realpath(out, real) == NULL)
		real[0] = '\0';
}

void guard_init(struct guard *g, const char *state_dir, const char *config_path)
{
	char cwd[PATH_MAX], tmp[PATH_MAX];

	/* Relative settings are relative to where claw runs. */
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		strcpy(cwd, "/");
	if (path_join(cwd, state_dir, tmp, sizeof(tmp)) < 0)
		snprintf(tmp, sizeof(tmp), "%s", state_dir);
	normalise(tmp, g->state, g->state_real);
	if (path_join(cwd, config_path, tmp, sizeof(tmp)) < 0)
		snprintf(tmp, sizeof(tmp), "%s", config_path);
	normalise(tmp, g->config, g->config_real);
}

void guard_command(const struct guard *g, const char *command, bool parsed, struct guard_hit *hit)
{
	static const char *const programs[] = { "claw", "/approve" };

	if (strcasestr(command, suppressions) != NULL)
		raise_hit(hit, GUARD_ASK, "security-audit-suppression", "%s",
		          "names security.audit.suppressions");
	if (parsed)
		return;
	/* Unparsed text can hide a name behind quotes or substitutions; what can
	 * still be seen is refused to the agent here. */
	for (size_t i = 0; i < NELEM(state_names); i++)
		if (strcasestr(command, state_names[i].needle) != NULL)
			raise_hit(hit, GUARD_ASK, "self-protection", "names %s",
			          state_names[i].what);
	for (size_t i = 0; i < NELEM(programs); i++)
		if (strcasestr(command, programs[i]) != NULL)
			raise_hit(hit, GUARD_ASK, "self-protection", "names %s", programs[i]);
	if (strstr(command, g->state) != NULL ||
	    (g->state_real[0] && strstr(command, g->state_real) != NULL))
		raise_hit(hit, GUARD_ASK, "self-protection", "%s", "names claw's state directory");
}

static bool claw_name(const char *word)
{
	const char *base = strrchr(word, '/');

	base = base ? base + 1 : word;
	return strcasecmp(base, "claw") == 0 || strncasecmp(base, "claw-", 5) == 0 ||
	       strcasecmp(base, "openclaw") == 0;
}

void guard_program(const char *word, const char *path, const char *real, struct guard_hit *hit)
{
	if (strcasecmp(word, "/approve") == 0 || strncasecmp(word, "/approve@", 9) == 0)
		raise_hit(hit, GUARD_DENY, "approve", "%s", "a command may not answer an approval");
	const char *names[] = { word, path, real };
	for (size_t i = 0; i < NELEM(names); i++)
		if (names[i] != NULL && names[i][0] != '\0' && claw_name(names[i]))
			raise_hit(hit, GUARD_ASK, "self-protection", "runs %s", names[i]);
}

static bool names_state_path(const struct guard *g, const char *word, const char *const *cwds,
                             int ncwd)
{
	const char *slash = strrchr(g->state, '/');
	const char *state_base = slash ? slash + 1 : g->state;

	/* A relative word without a slash is a child of the directory it is
	 * resolved in: only the state directory's own name can reach it. */
	if (strchr(word, '/') == NULL && strcmp(word, ".") != 0 && strcmp(word, "..") != 0 &&
	    strcmp(word, state_base) != 0)
		return false;
	for (int i = 0; i < ncwd; i++) {
		char abs[PATH_MAX];
		if (path_join(cwds[i], word, abs, sizeof(abs)) < 0)
			return true; /* too long to tell: ask */
		if (path_within(abs, g->state) ||
		    (g->state_real[0] && path_within(abs, g->state_real)) ||
		    strcmp(abs, g->config) == 0 ||
		    (g->config_real[0] && strcmp(abs, g->config_real) == 0))
			return true;
	}
	return false;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/*
 * Whether a word mentions claw, openclaw or a claw-* command anywhere in it,
 * as a name of its own: interpreter code (python3 -c 'os.system("claw-approve
 * resolve ...")'), a URL, an argument to a wrapper. "clawback" and "jclaw"
 * are other names; "claw.c" is a file.
 */
static bool mentions_claw(const char *w)
{
	for (const char *p = w; (p = strcasestr(p, "claw")) != NULL; p += 4) {
		const char *start = p;
		if (start - w >= 4 && strncasecmp(start - 4, "open", 4) == 0)
			start -= 4;
		bool before = start == w || !name_char(start[-1]);
		bool after = p[4] == '-' || (!name_char(p[4]) && p[4] != '.');
		if (before && after)
			return true;
	}
	return false;
}

static void one_word(const struct guard *g, const char *w, const char *const *cwds, int ncwd,
                     struct guard_hit *hit)
{
	if (strcasestr(w, suppressions) != NULL)
		raise_hit(hit, GUARD_ASK, "security-audit-suppression", "%s",
		          "names security.audit.suppressions");
	if (strncasecmp(w, "/approve", 8) == 0 && (w[8] == '\0' || w[8] == '@' || w[8] == ' '))
		raise_hit(hit, GUARD_ASK, "self-protection", "%s", "names /approve");
	if (claw_name(w))
		raise_hit(hit, GUARD_ASK, "self-protection", "names %s", w);
	else if (mentions_claw(w))
		raise_hit(hit, GUARD_ASK, "self-protection", "%s",
		          "mentions a claw command inside an argument");
	for (size_t i = 0; i < NELEM(state_names); i++)
		if (strcasestr(w, state_names[i].needle) != NULL)
			raise_hit(hit, GUARD_ASK, "self-protection", "names %s",
			          state_names[i].what);
	/* --state-dir=DIR, KEY=PATH: the value is a path too. */
	const char *eq = strchr(w, '=');
	if (names_state_path(g, w, cwds, ncwd) || (eq && names_state_path(g, eq + 1, cwds, ncwd)))
		raise_hit(hit, GUARD_ASK, "self-protection", "%s", "names claw's state directory");
}

/* `openclaw channels login` (also through npx, pnpm, ...): OpenClaw refuses it. */
static void channel_login(char *const *argv, int argc, struct guard_hit *hit)
{
	for (int i = 0; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');
		base = base ? base + 1 : argv[i];
		if (strcasecmp(base, "openclaw") != 0)
			continue;
		for (int j = i + 1; j + 1 < argc; j++)
			if ((strcasecmp(argv[j], "channels") == 0 ||
			     strcasecmp(argv[j], "channel") == 0) &&
			    strcasecmp(argv[j + 1], "login") == 0)
				raise_hit(hit, GUARD_DENY, "channel-login", "%s",
				          "logs a chat channel in as the agent");
	}
}

void guard_words(const struct guard *g, char *const *argv, int argc, const char *const *cwds,
                 int ncwd, struct guard_hit *hit)
{
	for (int i = 0; i < argc; i++)
		one_word(g, argv[i], cwds, ncwd, hit);
	channel_login(argv, argc, hit);
}

void guard_cwd(const struct guard *g, const char *cwd, struct guard_hit *hit)
{
	if (path_within(cwd, g->state) || (g->state_real[0] && path_within(cwd, g->state_real)))
		raise_hit(hit, GUARD_ASK, "self-protection", "%s",
		          "the working directory is inside claw's state directory");
}
