#!/bin/sh
# t/demo.sh: the main job on the built-in secure default, in a scratch state
# dir (run by `make demo`). Requests from different senders go through the
# whole pipeline with `claw run`; the decision log is verified and shown.
# Never touches ~/.openclaw.
set -eu
: "${CLAW_BIN:?}"
PATH="$CLAW_BIN:$PATH"
state=$(mktemp -d "${TMPDIR:-/tmp}/claw-demo.XXXXXX")
# Sandboxes first (as root their network namespaces are kept under
# /run/claw/<installation>), then the scratch state.
trap 'claw-sandbox rm --all >/dev/null 2>&1 || :; rm -rf "$state"' EXIT
export OPENCLAW_STATE_DIR="$state"
unset OPENCLAW_CONFIG_PATH

say() { printf '\n== %s\n' "$*"; }

say "a new installation: no config file in $state, so the built-in secure preset applies"
claw-sandbox explain | sed -n '1,12p'

say "the operator allows one command on the host (allow-list entries match resolved paths)"
claw-approve allowlist add "$(command -v ls)"

say "five requests, as an agent runtime would write them (claw-session new builds them)"
{
	# The operator, on the main session: runs on the host, if allowed.
	claw-session new -- ls -d /usr
	claw-session new -- git status
	# A stranger's Telegram DM: its own session, in a sandbox, no network.
	claw-session new --channel telegram --chat direct --peer 12345 --sender 12345 -- cat /etc/shadow
	# A Discord group: sandboxed too; the network is not there.
	claw-session new --channel discord --chat group --peer G-77 --sender 999 -- \
		curl -sS --max-time 5 http://example.com
	# The same group asks for the browser tool: the sandbox tool policy says no.
	printf '%s\n' '{"origin":{"channel":"discord","chat":"group","peer":"G-77","sender":"999"},"tool":"browser","args":{"url":"http://example.com"}}'
} >"$state/requests.jsonl"
jq -c '{origin, tool, command: .args.command}' "$state/requests.jsonl"

say "claw-session alone: each request gains its session (who asks, and is it sandboxed?)"
claw-session <"$state/requests.jsonl" | jq -c '.session | {key, main, sandboxed, slug}'

say "claw run: claw-session | claw-policy | claw-approve | claw-audit log | claw-sandbox"
claw run <"$state/requests.jsonl" >"$state/decided.jsonl"
jq -r '
	def who: if .origin == null then "operator" else "\(.origin.channel) \(.origin.chat) \(.origin.peer)" end;
	def what: if .tool == "exec" then .args.command else "tool \(.tool)" end;
	def where: if .session.sandboxed then "sandbox" else "host" end;
	def outcome:
		if .deny then "REFUSED by \(.deny.by): \(.deny.reason | split("\n")[0])"
		elif .result then "ran, exit \(.result.exit // .result.signal)" +
			(if (.result.stderr // "") != "" then " (\(.result.stderr | rtrimstr("\n") | split("\n")[-1]))" else "" end)
		else "allowed" end;
	"\(who | .[0:22] | . + " " * (22 - length)) \(what | .[0:34] | . + " " * (34 - length)) \(where | . + " " * (8 - length)) \(outcome)"
' "$state/decided.jsonl"

say "why was git status refused? claw-approve check says, segment by segment"
claw-approve check 'git status' || true

say "the decision log: hash-chained, every record, allowed or not"
claw-audit verify
claw-audit show

say "and is this setup safe? claw-audit check (OpenClaw's security audit, plus claw's)"
claw-audit check --preset secure | sed -n '1,3p'
