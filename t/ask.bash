# t/ask.bash: helpers for the tests of asking a person (load ask).

TOKEN=123456:SECRET-bot-token-never-printed

# request [CLAW-SESSION NEW OPTIONS] -- COMMAND...: one exec request, through claw-session.
request() {
	claw-session new "$@" | claw-session
}

# start_mock: a Telegram Bot API stand-in on 127.0.0.1; sets MOCK_PORT.
start_mock() {
	coproc MOCK { exec python3 "$BATS_TEST_DIRNAME/tgmock.py" serve --token "$TOKEN"; }
	MOCK_PID_SAVED=$MOCK_PID
	local ready port
	IFS=' ' read -r -t 10 ready port <&"${MOCK[0]}"
	[ "$ready" = READY ] || { echo "the mock did not start" >&2; return 1; }
	MOCK_PORT=$port
}

stop_mock() {
	[ -z "${MOCK_PID_SAVED:-}" ] || kill "$MOCK_PID_SAVED" 2>/dev/null || true
}

# ctl ACTION [JSON]: talk to the mock; prints its JSON answer.
ctl() {
	python3 "$BATS_TEST_DIRNAME/tgmock.py" ctl "$MOCK_PORT" "$@"
}

# telegram_config [EXTRA JSON5 MEMBERS]: approvals go to chat 42, approver 42.
telegram_config() {
	write_config <<EOF
{
  tools: { exec: { security: "allowlist", ask: "on-miss" } },
  approvals: { exec: { enabled: true, mode: "targets",
                       targets: [ { channel: "telegram", to: "42" } ] } },
  channels: { telegram: { botToken: "$TOKEN", apiRoot: "http://127.0.0.1:$MOCK_PORT",
                          allowFrom: ["42"] } },
  $1
}
EOF
	write_claw_config <<<"{ approvals: { exec: { timeoutSeconds: ${TIMEOUT:-10} } } }"
}

# wait_line TEXT: the first stderr line of approve_bg's process containing
# TEXT (at most 10 s); fails if it never comes.
wait_line() {
	local line
	while IFS= read -r -t 10 line <&"$ERRFD"; do
		case $line in *"$1"*) printf '%s\n' "$line"; return 0 ;; esac
	done
	return 1
}

# slug_of LINE: the 8-character slug from "... claw-approve resolve SLUG ...".
slug_of() {
	sed -n 's/.*claw-approve resolve \([0-9a-f]\{8\}\).*/\1/p' <<<"$1"
}
