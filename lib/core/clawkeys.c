/*
 * clawkeys.c: claw's own config keys, the ones OpenClaw does not have.
 *
 * They live in claw.json (<state>/claw.json, or $CLAW_CONFIG_PATH, or
 * --claw-config), at the path they would have in openclaw.json; OpenClaw
 * refuses openclaw.json if it holds one. Every command checks them through
 * schema_check(), claw-config(5) lists them, and claw-audit check --fix
 * moves one it finds in openclaw.json to claw.json.
 *
 * A new claw key is one row here (and its reader in the stage that uses it,
 * and its entry in claw-config(5)): the path (CK_AGENT: under
 * agents.defaults and each agent of agents.list[] or agents.entries), the
 * type, the bounds or choices, the default and what it means. t/schema.bats
 * then checks that the row's path is not OpenClaw's and that a wrong value
 * and a misspelt sibling are refused.
 */
#include "core/schema.h"

static const char *const landlock_modes[] = { "auto", "required", "off", NULL };
static const char *const askers[] = { "runtime", "claw", NULL };

const struct claw_key claw_keys[] = {
	/* Asking a person (claw-approve). */
	{ CK_ROOT, "approvals.exec.timeoutSeconds", CK_NUMBER, .min = 0, .max = 604800,
	  .dflt = "120",
	  .meaning = "seconds to wait for a person's answer (more than 0, at most a week); "
	             "then askFallback applies" },
	{ CK_ROOT, "approvals.exec.applyInSandbox", CK_BOOL, .dflt = "false",
	  .meaning = "judge sandboxed sessions' commands by the allow list too" },
	{ CK_ROOT, "approvals.exec.allowShellBuiltins", CK_BOOL, .dflt = "false",
	  .meaning = "honour OpenClaw's safe shell builtins without an allow-list entry" },
	{ CK_ROOT, "approvals.exec.trash", CK_BOOL, .dflt = "false",
	  .meaning = "keep what an approved command deletes or overwrites, so it can be restored" },
	{ CK_ROOT, "approvals.tools", CK_STRINGS, .dflt = "[]",
	  .meaning = "tools other than exec that wait for a person's yes before each call "
	             "(group: names and globs as in policy lists)" },
	{ CK_ROOT, "approvals.askVia", CK_ENUM, .choices = askers, .dflt = "runtime",
	  .meaning = "who asks the person when an agent runtime's call needs one: the runtime "
	             "or claw" },
	/* The sandbox (claw-sandbox), per agent. */
	{ CK_AGENT, "sandbox.docker.binary", CK_STRING, .dflt = "docker",
	  .meaning = "the container engine's program (docker, podman, or a path)" },
	{ CK_AGENT, "sandbox.native.etc", CK_STRINGS, .dflt = "[]",
	  .meaning = "more /etc entries the native sandbox exposes" },
	{ CK_AGENT, "sandbox.native.landlock", CK_ENUM, .choices = landlock_modes, .dflt = "auto",
	  .meaning = "Landlock in the native sandbox: auto, required or off" },
	{ CK_AGENT, "sandbox.native.pts", CK_BOOL, .dflt = "false",
	  .meaning = "give the native sandbox terminals of its own (a private devpts)" },
	{ CK_AGENT, "sandbox.native.rlimitsOnly", CK_BOOL, .dflt = "false",
	  .meaning =
	      "accept rlimits alone where no cgroup can hold the memory and process limits" },
};

const size_t claw_nkeys = NELEM(claw_keys);
