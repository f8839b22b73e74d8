#!/usr/bin/env bats
# Asking a person: the terminal, Telegram, webhooks, and claw-approve resolve.
# The first answer wins; with no way to ask, askFallback applies at once.

bats_require_minimum_version 1.5.0

load helper
load ask

setup() {
	common_setup
	REQ=$BATS_TEST_TMPDIR/req.jsonl
	request -- git status >"$REQ"
}

teardown() {
	stop_mock
	[ -z "${APPROVE_PID:-}" ] || kill "$APPROVE_PID" 2>/dev/null || true
	common_teardown
}

# approve_bg FILE [OPTIONS]: claw-approve on $REQ in the background, with no
# controlling terminal; records to FILE; its stderr is kept in FILE.err and
# read line by line through a fifo (wait_line), so tests wait on what it says.
approve_bg() {
	local out=$1
	shift
	mkfifo "$out.fifo"
	setsid claw-approve "$@" <"$REQ" >"$out" 2> >(tee "$out.err" >"$out.fifo") &
	APPROVE_PID=$!
	exec {ERRFD}<"$out.fifo"
}

finish_bg() {
	wait "$APPROVE_PID"
	APPROVE_PID=
	cat <&"$ERRFD" >/dev/null || true
}

# ---- no way to ask ----

@test "no terminal, no chat, no --wait: askFallback at once, nothing left behind" {
	run timeout 10 setsid claw-approve <"$REQ"
	assert_success
	assert_equal "$(jqr '[.approval.decision, .approval.via, .approval.reason] | @tsv')" \
		"deny	fallback	approval-timeout"
	assert_equal "$(jqr .approval.note)" "no terminal, no chat target and no --wait: nobody to ask"
	assert_equal "$(find "$OPENCLAW_STATE_DIR" -path '*approvals/*.json' | wc -l)" "0"
}

@test "askFallback allowlist lets an allow-listed command through unasked, never a miss" {
	write_config <<<'{ tools: { exec: { security: "allowlist", ask: "always" } } }'
	echo '{"version":1,"defaults":{"askFallback":"allowlist"}}' >"$OPENCLAW_STATE_DIR/exec-approvals.json"
	claw-approve allowlist add "$(command -v git)" >/dev/null
	run timeout 10 setsid claw-approve <"$REQ"
	assert_equal "$(jqr '[.approval.decision, .approval.reason] | @tsv')" "allow	askFallback=allowlist"
	request -- ls >"$REQ"
	run timeout 10 setsid claw-approve <"$REQ"
	assert_equal "$(jqr '[.approval.decision, .approval.reason] | @tsv')" \
		"deny	approval-timeout (allowlist-miss)"
}

# ---- claw-approve resolve ----

@test "--wait: claw-approve resolve answers, in any of OpenClaw's words" {
	local cases=(
		"allow-once allow allow-once" "once allow allow-once" "allowonce allow allow-once"
		"ALLOW allow allow-once"
		"always allow allow-always" "allow-always allow allow-always"
		"allowalways allow allow-always"
		"deny deny user-denied" "reject deny user-denied" "block deny user-denied"
	)
	for c in "${cases[@]}"; do
		set -- $c
		rm -f "$OPENCLAW_STATE_DIR/exec-approvals.json" "$BATS_TEST_TMPDIR"/out*
		approve_bg "$BATS_TEST_TMPDIR/out" --wait --no-tty
		line=$(wait_line "claw-approve resolve")
		run claw-approve resolve "$(slug_of "$line")" "$1"
		assert_success
		finish_bg
		run cat "$BATS_TEST_TMPDIR/out"
		assert_equal "$(jqr '[.approval.decision, .approval.via, .approval.reason] | @tsv')" \
			"$2	cli	$3"
		assert_equal "$(jqr .approval.by)" "cli:$(id -un)"
		assert_equal "$(jqr '.approval.waitedMs >= 0')" "true"
	done
}

@test "allow-always through resolve writes a bound entry, and the next run needs nobody" {
	approve_bg "$BATS_TEST_TMPDIR/out" --wait --no-tty
	line=$(wait_line "claw-approve resolve")
	claw-approve resolve "$(slug_of "$line")" allow-always
	finish_bg
	run jq -r '.agents.main.allowlist[0] | [.pattern, .source, (.argv | join(" "))] | @tsv' \
		"$OPENCLAW_STATE_DIR/exec-approvals.json"
	assert_output "$(command -v git)	allow-always	git status"
	run timeout 10 setsid claw-approve <"$REQ"
	assert_equal "$(jqr '[.approval.decision, .approval.via] | @tsv')" "allow	allowlist"
}

@test "pending lists the waiting request, as a table and as JSON" {
	approve_bg "$BATS_TEST_TMPDIR/out" --wait --no-tty
	line=$(wait_line "claw-approve resolve")
	slug=$(slug_of "$line")
	run claw-approve pending
	assert_success
	assert_output --regexp "$slug .* main +git status"
	run claw-approve pending --json
	assert_equal "$(jqr '.id[0:8]')" "$slug"
	assert_equal "$(jqr .command)" "git status"
	claw-approve resolve "$slug" deny
	finish_bg
	run claw-approve pending --json
	assert_output ""
}

@test "resolve: unknown and too short ids, unknown words, and answering twice are errors" {
	approve_bg "$BATS_TEST_TMPDIR/out" --wait --no-tty
	line=$(wait_line "claw-approve resolve")
	slug=$(slug_of "$line")
	run claw-approve resolve ffffffff allow-once
	assert_failure 1
	run claw-approve resolve "${slug:0:3}" allow-once
	assert_failure 1
	run claw-approve resolve "$slug" perhaps
	assert_failure 1
	run claw-approve resolve "$slug"
	assert_failure 2
	run claw-approve resolve "$slug" deny
	assert_success
	run claw-approve resolve "$slug" allow-once
	assert_failure 1
	finish_bg
	assert_equal "$(jq -r .approval.reason "$BATS_TEST_TMPDIR/out")" "user-denied"
}

@test "under ask=always only allow-once and deny are offered" {
	write_config <<<'{ tools: { exec: { security: "allowlist", ask: "always" } } }'
	approve_bg "$BATS_TEST_TMPDIR/out" --wait --no-tty
	line=$(wait_line "claw-approve resolve")
	[[ "$line" != *allow-always* ]]
	run claw-approve resolve "$(slug_of "$line")" allow-always
	assert_failure 1
	claw-approve resolve "$(slug_of "$line")" allow-once
	finish_bg
	assert_equal "$(jq -r .approval.reason "$BATS_TEST_TMPDIR/out")" "allow-once"
	[ ! -e "$OPENCLAW_STATE_DIR/exec-approvals.json" ] ||
		assert_equal "$(jq '[.agents[]?.allowlist[]?] | length' "$OPENCLAW_STATE_DIR/exec-approvals.json")" "0"
}

@test "a guard hit asks but is never made permanent, and no fallback allows it" {
	write_config <<<'{ tools: { exec: { security: "full" } } }'
	request -- cat "$OPENCLAW_STATE_DIR/exec-approvals.json" >"$REQ"
	run timeout 10 setsid claw-approve <"$REQ"
	assert_equal "$(jqr .approval.decision)" "deny"
	approve_bg "$BATS_TEST_TMPDIR/out" --wait --no-tty
	line=$(wait_line "claw-approve resolve")
	[[ "$line" != *allow-always* ]]
	claw-approve resolve "$(slug_of "$line")" allow-once
	finish_bg
	assert_equal "$(jq -r .approval.decision "$BATS_TEST_TMPDIR/out")" "allow"
}

@test "the time limit: no answer within approvals.exec.timeoutSeconds is askFallback" {
	write_config <<<'{ tools: { exec: { security: "allowlist", ask: "on-miss" } } }'
	write_claw_config <<<'{ approvals: { exec: { timeoutSeconds: 1 } } }'
	run bash -c 'timeout 20 setsid claw-approve --wait --no-tty <"$1" 2>/dev/null' _ "$REQ"
	assert_success
	assert_equal "$(jqr '[.approval.decision, .approval.via, .approval.reason] | @tsv')" \
		"deny	fallback	approval-timeout"
	assert_equal "$(find "$OPENCLAW_STATE_DIR" -path '*approvals/*.json' | wc -l)" "0"
}

@test "twenty allow-always answers at once leave twenty entries and a valid file" {
	for i in $(seq 20); do
		request -- git log -n "$i" >"$BATS_TEST_TMPDIR/req$i.jsonl"
		mkfifo "$BATS_TEST_TMPDIR/err$i"
		setsid claw-approve --wait --no-tty <"$BATS_TEST_TMPDIR/req$i.jsonl" \
			>"$BATS_TEST_TMPDIR/out$i" 2>"$BATS_TEST_TMPDIR/err$i" &
		pids[$i]=$!
		exec {fd}<"$BATS_TEST_TMPDIR/err$i"
		fds[$i]=$fd
	done
	for i in $(seq 20); do
		ERRFD=${fds[$i]}
		line=$(wait_line "claw-approve resolve")
		slugs[$i]=$(slug_of "$line")
	done
	for i in $(seq 20); do
		claw-approve resolve "${slugs[$i]}" allow-always >/dev/null &
	done
	wait "${pids[@]}"
	for i in $(seq 20); do
		assert_equal "$(jq -r .approval.reason "$BATS_TEST_TMPDIR/out$i")" "allow-always"
	done
	run jq '.agents.main.allowlist | length' "$OPENCLAW_STATE_DIR/exec-approvals.json"
	assert_output "20"
	run jq -r '[.agents.main.allowlist[].argv | join(" ")] | sort | unique | length' \
		"$OPENCLAW_STATE_DIR/exec-approvals.json"
	assert_output "20"
}

@test "two answers at once: exactly one takes effect" {
	approve_bg "$BATS_TEST_TMPDIR/out" --wait --no-tty
	line=$(wait_line "claw-approve resolve")
	slug=$(slug_of "$line")
	claw-approve resolve "$slug" deny >"$BATS_TEST_TMPDIR/r1" 2>&1 &
	p1=$!
	claw-approve resolve "$slug" allow-always >"$BATS_TEST_TMPDIR/r2" 2>&1 &
	p2=$!
	s1=0 s2=0
	wait $p1 || s1=$?
	wait $p2 || s2=$?
	finish_bg
	assert_equal "$((s1 + s2))" "1"
	reason=$(jq -r .approval.reason "$BATS_TEST_TMPDIR/out")
	if [ "$s1" = 0 ]; then
		assert_equal "$reason" "user-denied"
	else
		assert_equal "$reason" "allow-always"
	fi
}

# ---- the terminal ----

# on_tty STEP...: claw-approve on $REQ with the pty as its terminal; records to out.
on_tty() {
	run python3 "$BATS_TEST_DIRNAME/ptyrun.py" -t 10 "$@" -- \
		sh -c 'exec claw-approve <"$1" >"$2"' sh "$REQ" "$BATS_TEST_TMPDIR/out"
}

@test "the terminal: o allows once, and the prompt says what and why" {
	on_tty 'expect:[o] allow once' 'send:o'
	assert_success
	assert_output --partial "exec approval required"
	assert_output --partial "git status"
	assert_output --partial "no allow-list entry matches"
	assert_equal "$(jq -r '[.approval.decision, .approval.via, .approval.reason] | @tsv' "$BATS_TEST_TMPDIR/out")" \
		"allow	tty	allow-once"
}

@test "the terminal: a allows always, d denies, Enter is the fallback" {
	on_tty 'expect:[a] allow always' 'send:a'
	assert_equal "$(jq -r .approval.reason "$BATS_TEST_TMPDIR/out")" "allow-always"
	rm "$OPENCLAW_STATE_DIR/exec-approvals.json"
	on_tty 'expect:[d] deny' 'send:d'
	assert_equal "$(jq -r .approval.reason "$BATS_TEST_TMPDIR/out")" "user-denied"
	on_tty 'expect:[Enter]' 'send:\r'
	assert_equal "$(jq -r '[.approval.via, .approval.reason] | @tsv' "$BATS_TEST_TMPDIR/out")" \
		"fallback	approval-timeout"
}

@test "the terminal is restored after an answer and after Ctrl-C" {
	# The shell traps SIGINT (a handler, so its child keeps the default) and
	# reports the terminal mode once claw-approve is gone.
	local script='trap true INT; claw-approve <"$1" >"$2"; echo "after $?"; read x'
	run python3 "$BATS_TEST_DIRNAME/ptyrun.py" -t 10 'expect:[o] allow once' 'send:o' \
		'expect:after' 'mode:' 'send:\r' -- sh -c "$script" sh "$REQ" "$BATS_TEST_TMPDIR/out"
	assert_success
	assert_output --partial "after 0"
	assert_output --partial "MODE icanon=1 echo=1"
	run python3 "$BATS_TEST_DIRNAME/ptyrun.py" -t 10 'expect:[o] allow once' 'send:\x03' \
		'expect:after' 'mode:' 'send:\r' -- sh -c "$script" sh "$REQ" "$BATS_TEST_TMPDIR/out"
	assert_success
	assert_output --partial "MODE icanon=1 echo=1"
}

@test "--no-tty: the terminal is not asked" {
	run python3 "$BATS_TEST_DIRNAME/ptyrun.py" -t 10 -- \
		sh -c 'exec claw-approve --no-tty <"$1"' sh "$REQ"
	assert_success
	refute_output --partial "exec approval required"
	assert_output --partial '"via":"fallback"'
}

# ---- Telegram ----

@test "Telegram: a button press answers, and the prompt is edited with the outcome" {
	start_mock
	telegram_config
	approve_bg "$BATS_TEST_TMPDIR/out" --no-tty
	run ctl wait '{"method":"sendMessage","count":1,"keyboard":true}'
	assert_success
	assert_equal "$(jqr '.[0].body.chat_id | tostring')" "42"
	assert_output --partial "git status"
	ctl press '{"from":42,"button":"Allow Once"}' >/dev/null
	finish_bg
	assert_equal "$(jq -r '[.approval.decision, .approval.via, .approval.reason, .approval.by] | @tsv' "$BATS_TEST_TMPDIR/out")" \
		"allow	chat	allow-once	telegram:42"
	run ctl wait '{"method":"editMessageText","count":1}'
	assert_success
}

@test "Telegram: /approve in both word orders and with aliases" {
	start_mock
	telegram_config
	for form in '/approve %s allow-once' '/approve always %s' 'approve %s deny' '/approve@claw_test_bot %s once'; do
		rm -f "$OPENCLAW_STATE_DIR/exec-approvals.json" "$BATS_TEST_TMPDIR"/out*
		approve_bg "$BATS_TEST_TMPDIR/out" --no-tty
		run ctl wait '{"method":"sendMessage","count":1,"keyboard":true}'
		id=$(claw-approve pending --json | jq -r .id)
		text=$(printf "$form" "${id:0:8}")
		ctl text "$(jq -nc --arg t "$text" '{from:42,chat:42,text:$t}')" >/dev/null
		finish_bg
		run jq -r .approval.via "$BATS_TEST_TMPDIR/out"
		assert_output "chat"
		ctl config '{}' >/dev/null
		python3 "$BATS_TEST_DIRNAME/tgmock.py" ctl "$MOCK_PORT" reset >/dev/null 2>&1 || true
		stop_mock
		start_mock
		telegram_config
	done
}

@test "Telegram: an unauthorised sender is ignored; the approver's answer counts" {
	start_mock
	telegram_config
	approve_bg "$BATS_TEST_TMPDIR/out" --no-tty
	ctl wait '{"method":"sendMessage","count":1,"keyboard":true}' >/dev/null
	ctl press '{"from":666,"button":"Allow Once"}' >/dev/null
	ctl text '{"from":666,"chat":42,"text":"/approve allow-always"}' >/dev/null
	ctl press '{"from":42,"button":"Deny"}' >/dev/null
	finish_bg
	assert_equal "$(jq -r '[.approval.reason, .approval.by] | @tsv' "$BATS_TEST_TMPDIR/out")" \
		"user-denied	telegram:42"
	# The stranger's tries were logged, not silently dropped.
	run grep -c 'ignored an answer from 666' "$BATS_TEST_TMPDIR/out.err"
	assert [ "$output" -ge 1 ]
}

@test "Telegram: agentFilter and sessionFilter choose which requests go to chat" {
	start_mock
	# Only agent "ops": a request of agent main is not forwarded, so nobody is asked.
	telegram_config 'agents: { list: [{ id: "main", default: true }, { id: "ops" }] },'
	sed -i 's/enabled: true,/enabled: true, agentFilter: ["ops"],/' "$CONFIG"
	run timeout 20 setsid claw-approve --no-tty <"$REQ"
	assert_output --partial '"via":"fallback"'
	run ctl log
	refute_output --partial sendMessage
	# A sessionFilter that matches the key (a substring, then a regular expression).
	for filter in '"agent:main:main"' '"^agent:[a-z]+:main$"'; do
		telegram_config
		sed -i "s/enabled: true,/enabled: true, sessionFilter: [$filter],/" "$CONFIG"
		approve_bg "$BATS_TEST_TMPDIR/out" --no-tty
		ctl wait '{"method":"sendMessage","count":1,"keyboard":true}' >/dev/null
		ctl press '{"from":42,"button":"Deny"}' >/dev/null
		finish_bg
		assert_equal "$(jq -r .approval.via "$BATS_TEST_TMPDIR/out")" chat
		rm -f "$BATS_TEST_TMPDIR"/out*
		stop_mock
		start_mock
	done
	telegram_config
	sed -i 's/enabled: true,/enabled: true, sessionFilter: ["telegram:direct"],/' "$CONFIG"
	run timeout 20 setsid claw-approve --no-tty <"$REQ"
	assert_output --partial '"via":"fallback"'
}

@test "Telegram: mode session asks in the chat the request came from, in its topic" {
	start_mock
	write_config <<EOF
{
  tools: { exec: { security: "allowlist", ask: "on-miss" } },
  approvals: { exec: { enabled: true, mode: "session" } },
  channels: { telegram: { apiRoot: "http://127.0.0.1:$MOCK_PORT", allowFrom: ["42"] } },
}
EOF
	write_claw_config <<<'{ approvals: { exec: { timeoutSeconds: 10 } } }'
	# The token from the environment, as OpenClaw reads it.
	export TELEGRAM_BOT_TOKEN=$TOKEN
	request --channel telegram --chat group --peer -1001 --thread 7 --sender 42 -- git status >"$REQ"
	approve_bg "$BATS_TEST_TMPDIR/out" --no-tty
	run ctl wait '{"method":"sendMessage","count":1,"keyboard":true}'
	assert_success
	assert_equal "$(jqr '.[0].body | [(.chat_id | tostring), (.message_thread_id | tostring)] | @tsv')" "-1001	7"
	ctl press '{"from":42,"button":"Allow Once","chat":-1001}' >/dev/null
	finish_bg
	assert_equal "$(jq -r '[.approval.via, .approval.by] | @tsv' "$BATS_TEST_TMPDIR/out")" "chat	telegram:42"
}

@test "Telegram: a target's threadId is the forum topic the prompt goes to" {
	start_mock
	telegram_config
	sed -i 's/to: "42" }/to: "-1002", threadId: 9 }/' "$CONFIG"
	approve_bg "$BATS_TEST_TMPDIR/out" --no-tty
	run ctl wait '{"method":"sendMessage","count":1,"keyboard":true}'
	assert_equal "$(jqr '.[0].body | [(.chat_id | tostring), (.message_thread_id | tostring)] | @tsv')" "-1002	9"
	ctl press '{"from":42,"button":"Deny","chat":-1002}' >/dev/null
	finish_bg
	assert_equal "$(jq -r .approval.reason "$BATS_TEST_TMPDIR/out")" user-denied
}

@test "Telegram: a bad token is reported with its cause, and the fallback applies at once" {
	start_mock
	TOKEN=999:WRONG-token-never-printed telegram_config
	run timeout 20 setsid claw-approve --no-tty <"$REQ"
	assert_success
	assert_output --partial "401"
	assert_output --partial '"via":"fallback"'
	refute_output --partial "WRONG-token"
}

@test "Telegram: a server that is down, or too slow, falls back without hanging" {
	MOCK_PORT=$(python3 "$BATS_TEST_DIRNAME/tgmock.py" free-port)
	TIMEOUT=2 telegram_config
	run timeout 20 setsid claw-approve --no-tty <"$REQ"
	assert_success
	assert_output --partial '"via":"fallback"'
	start_mock
	TIMEOUT=2 telegram_config
	ctl config '{"delay":{"sendMessage":30}}' >/dev/null
	run timeout 20 setsid claw-approve --no-tty <"$REQ"
	assert_success
	assert_output --partial '"via":"fallback"'
}

@test "Telegram: at the time limit the prompt is edited to say it expired" {
	start_mock
	TIMEOUT=1 telegram_config
	run timeout 20 setsid claw-approve --no-tty <"$REQ"
	assert_equal "$(printf '%s\n' "$output" | grep '^{' | jq -r .approval.reason)" "approval-timeout"
	run ctl wait '{"method":"editMessageText","count":1}'
	assert_success
	assert_output --partial "expired"
}

@test "no secret in any output, log, record or state file" {
	start_mock
	telegram_config
	approve_bg "$BATS_TEST_TMPDIR/out" --no-tty
	ctl wait '{"method":"sendMessage","count":1,"keyboard":true}' >/dev/null
	ctl press '{"from":42,"button":"Allow Always"}' >/dev/null
	finish_bg
	claw-audit log <"$BATS_TEST_TMPDIR/out" >/dev/null
	run grep -r -D skip "SECRET-bot-token" "$OPENCLAW_STATE_DIR" "$BATS_TEST_TMPDIR"/out* \
		--exclude=openclaw.json
	assert_failure 1
}

# ---- webhooks ----

@test "a webhook gets the request as JSON, and its answer decides" {
	start_mock
	write_config <<EOF
{ tools: { exec: { security: "allowlist", ask: "on-miss" } },
  approvals: { exec: { enabled: true, mode: "targets",
  targets: [ { channel: "webhook", to: "http://127.0.0.1:$MOCK_PORT/hook/h1" } ] } } }
EOF
	write_claw_config <<<'{ approvals: { exec: { timeoutSeconds: 10 } } }'
	ctl config '{"hook":{"status":200,"body":{"decision":"allow-once"}}}' >/dev/null
	run --separate-stderr timeout 20 setsid claw-approve --no-tty <"$REQ"
	assert_success
	assert_equal "$(jqr '[.approval.decision, .approval.via, .approval.reason] | @tsv')" \
		"allow	webhook	allow-once"
	run ctl log
	assert_equal "$(jqr '[.[] | select(.path == "/hook/h1")][0].body.command')" "git status"
}

@test "Slack and Discord targets are told the request and how to answer" {
	start_mock
	write_config <<EOF
{ tools: { exec: { security: "allowlist", ask: "on-miss" } },
  approvals: { exec: { enabled: true, mode: "targets", targets: [
  { channel: "slack", to: "http://127.0.0.1:$MOCK_PORT/slack/s1" },
  { channel: "discord", to: "http://127.0.0.1:$MOCK_PORT/discord/d1" } ] } } }
EOF
	write_claw_config <<<'{ approvals: { exec: { timeoutSeconds: 10 } } }'
	approve_bg "$BATS_TEST_TMPDIR/out" --no-tty
	line=$(wait_line "claw-approve resolve")
	claw-approve resolve "$(slug_of "$line")" deny
	finish_bg
	run ctl log
	assert_output --partial "/slack/s1"
	assert_output --partial "/discord/d1"
	assert_output --partial "claw-approve resolve"
	run grep -c '"/slack/s1"' <<<"$output"
	assert [ "$output" -ge 1 ]
}

@test "claw run --wait: the pipeline waits for claw-approve resolve, then runs it" {
	REQ=$BATS_TEST_TMPDIR/pwd.jsonl
	request --cwd "$BATS_TEST_TMPDIR" -- pwd >"$REQ"
	mkfifo "$BATS_TEST_TMPDIR/err.fifo"
	setsid claw run --wait --no-tty <"$REQ" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err.fifo" &
	APPROVE_PID=$!
	exec {ERRFD}<"$BATS_TEST_TMPDIR/err.fifo"
	line=$(wait_line "claw-approve resolve")
	run claw-approve resolve "$(slug_of "$line")" allow-once
	assert_success
	finish_bg
	run jq -r '[.approval.via, .approval.reason, (.result.stdout | rtrimstr("\n"))] | @tsv' "$BATS_TEST_TMPDIR/out"
	assert_output "cli	allow-once	$BATS_TEST_TMPDIR"
}
