#!/bin/sh
# t/demo.sh: the main job on the built-in default config, in a scratch state
# dir (run by `make demo`). Never touches ~/.openclaw.
set -eu
: "${CLAW_BIN:?}"
PATH="$CLAW_BIN:$PATH"
state=$(mktemp -d "${TMPDIR:-/tmp}/claw-demo.XXXXXX")
trap 'rm -rf "$state"' EXIT
export OPENCLAW_STATE_DIR="$state"
unset OPENCLAW_CONFIG_PATH

say() { printf '\n== %s\n' "$*"; }

say "no config file in $state: the built-in secure preset applies"
say "three requests: the local operator, a stranger's Telegram DM, a Discord group"
{
	claw-session new -- git status
	claw-session new --channel telegram --chat direct --peer 12345 --sender 12345 -- cat /etc/passwd
	claw-session new --channel discord --chat group --peer G-77 --sender 999 -- curl http://example.com
} >"$state/requests.jsonl"
cat "$state/requests.jsonl"

say "claw-session: who is asking, and is that session sandboxed?"
claw-session <"$state/requests.jsonl" | tee "$state/sessions.jsonl"

say "in short"
if command -v jq >/dev/null 2>&1; then
	jq -r '"\(.args.command | .[0:24] | . + " " * (24 - length))  session \(.session.key)  " +
		(if .session.sandboxed then "-> sandbox \(.session.slug)" else "-> host (main session)" end)' \
		"$state/sessions.jsonl"
fi

say "the same stranger under OpenClaw's default dmScope \"main\" is still judged on its own"
printf '{ session: { dmScope: "main" }, agents: { defaults: { sandbox: { mode: "non-main" } } } }\n' \
	>"$state/openclaw.json"
claw-session key --json --channel telegram --chat direct --peer 12345
