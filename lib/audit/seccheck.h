/* seccheck.h: the security audit of a config and its state directory (claw-audit check). */
#ifndef CLAW_SECCHECK_H
#define CLAW_SECCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/opts.h"
#include "core/strvec.h"
#include "core/util.h"

enum sev { SEV_INFO, SEV_WARN, SEV_CRITICAL };

/* One finding, in OpenClaw's shape. */
struct finding {
	char *check_id;
	enum sev sev;
	char *title;
	char *detail;
	char *remediation; /* NULL when there is nothing to do */
};

/* One permission change --fix made or considered (OpenClaw's chmod action). */
struct fix_action {
	char *path;
	unsigned mode;       /* the mode asked for; only bits are ever removed */
	bool ok;             /* changed */
	const char *skipped; /* already, missing, symlink, not-a-directory, not-a-file */
	char *error;
};

struct fix_result {
	bool ran, ok;
	char *state_dir, *config_path;
	bool config_written;
	char *backup; /* the numbered backup written (FILE.bak.N), or NULL */
	struct strvec changes, errors;
	struct fix_action *actions;
	size_t nactions, capactions;
};

struct check_report {
	long long ts; /* milliseconds since the epoch */
	struct finding *f;
	size_t n, cap;
	/* Findings that security.audit.suppressions moved aside, and why. */
	struct finding *sup;
	char **sup_reason; /* NULL entries: no reason given */
	size_t nsup;
	int nsuppressions; /* suppressions configured */
	struct fix_result fix;
};

struct check_opts {
	const struct common_opts *co; /* to load the config again after --fix */
	const char *preset;           /* --preset NAME, or NULL */
	bool fix, json, color;
	bool only_config; /* --only config: the config files' own problems, nothing else */
};

/* 0 when NAME is a built-in preset, else -1 with claw_error() naming them. */
int check_preset_valid(const char *name);

/*
 * Runs every check on CFG (with --fix: applies the safe fixes first, then
 * loads CFG again and checks the result). Returns 0, or -1 with claw_error()
 * when the config cannot be loaded again.
 */
int check_run(struct config *cfg, const struct check_opts *o, struct check_report *r);
/* The report as OpenClaw lays it out (text), or its JSON. */
void check_render(const struct check_report *r, const struct check_opts *o, struct buf *out);
/* The highest severity found, or -1 when there is no finding. */
int check_worst(const struct check_report *r);
void check_report_free(struct check_report *r);

#endif
