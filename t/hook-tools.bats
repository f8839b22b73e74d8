#!/usr/bin/env bats
# approvals.tools: a person's yes before a tool other than exec (message,
# sessions_send, ...), "allow for this session", and the ways an agent runtime
# takes the question over: --defer (its own prompt) and --ask-fd (it asks,
# and answers through claw-approve resolve).

bats_require_minimum_version 1.5.0

load helper
load hook

setup() {
	common_setup
	# OpenClaw's defaults (no sandbox, one DM session): the gate alone decides.
	echo '{}' | write_config
	write_claw_config <<'EOF'
{ approvals: { tools: ["message", "sessions_send"] } }
EOF
}

teardown() {
	[ -z "${APPROVE_PID:-}" ] || kill "$APPROVE_PID" 2>/dev/null || true
	common_teardown
}

# tool_req TOOL ARGS [PEER]: a request from a Telegram DM (PEER, default 7), through claw-session.
tool_req() {
	jq -cn --arg tool "$1" --argjson args "$2" --arg peer "${3:-7}" \
		'{origin: {channel: "telegram", chat: "direct", peer: $peer, sender: $peer},
		  tool: $tool, args: $args}' | claw-session | claw-policy
}

# asked_bg FILE [OPTIONS]: claw-approve --ask-fd 3 on $BATS_TEST_TMPDIR/req in
# the background; records to FILE, each question read from a fifo with next_question.
asked_bg() {
	local out=$1
	shift
	mkfifo "$out.q"
	claw-approve --ask-fd 3 "$@" <"$BATS_TEST_TMPDIR/req" >"$out" 3>"$out.q" &
	APPROVE_PID=$!
	exec {QFD}<"$out.q"
}

# next_question: the next announced question, one line of JSON (at most 10 s).
next_question() {
	local line
	IFS= read -r -t 10 line <&"$QFD" && printf '%s\n' "$line"
}

finish_bg() {
	wait "$APPROVE_PID"
	APPROVE_PID=
}

@test "a tool of approvals.tools waits for a person; other tools and exec go their own way" {
	{
		tool_req message '{"action":"send","to":"telegram:1","message":"hello"}'
		tool_req read '{"path":"/etc/hosts"}'
		tool_req exec '{"command":"ls"}'
	} >"$BATS_TEST_TMPDIR/req"
	run claw-approve --defer <"$BATS_TEST_TMPDIR/req"
	assert_success
	assert_equal "$(jqr -c 'select(.tool == "message") | [.approval.decision, .approval.via, .approval.reason, .approval.tool, .deny.reason]')" \
		'["deny","runtime","deferred","message","deferred"]'
	assert_equal "$(jqr -c 'select(.tool == "read") | [.approval, .deny]')" '[null,null]'
	assert_equal "$(jqr -c 'select(.tool == "exec") | .approval.via')" 'full'
}

@test "names as OpenClaw's policy lists read them: any case, groups, globs" {
	write_claw_config <<'EOF'
{ approvals: { tools: ["group:web", " Sessions_Send ", "mcp_*"] } }
EOF
	{
		tool_req web_fetch '{"url":"https://example.com"}'
		tool_req sessions_send '{"sessionKey":"agent:main:main","message":"x"}'
		tool_req mcp_github_issue '{}'
		tool_req message '{"action":"send","message":"x"}'
	} >"$BATS_TEST_TMPDIR/req"
	run claw-approve --defer <"$BATS_TEST_TMPDIR/req"
	assert_equal "$(jqr -r '[.tool, (.approval.via // "-")] | @tsv')" \
		"$(printf 'web_fetch\truntime\nsessions_send\truntime\nmcp_github_issue\truntime\nmessage\t-')"
}

@test "approvals.tools that cannot be read stops claw-approve, naming the file and line" {
	printf '{ approvals: { tools: "message" } }\n' >"$CLAW_CONFIG"
	run claw-approve </dev/null
	assert_failure 2
	assert_output --partial "claw.json:1:"
	assert_output --partial "approvals.tools"
	printf '{ approvals: {\n  tools: ["group:chats"] } }\n' >"$CLAW_CONFIG"
	run claw-approve </dev/null
	assert_failure 2
	assert_output --partial 'claw.json:2:'
	assert_output --partial 'unknown tool group "group:chats"'
}

@test "a tool the policy refuses is never put to a person" {
	write_claw_config <<'EOF'
{ approvals: { tools: ["message"] } }
EOF
	write_config <<'EOF'
{ tools: { deny: ["message"] } }
EOF
	tool_req message '{"action":"send","message":"x"}' >"$BATS_TEST_TMPDIR/req"
	run claw-approve --ask-fd 3 3>"$BATS_TEST_TMPDIR/questions" <"$BATS_TEST_TMPDIR/req"
	assert_success
	assert_equal "$(jqr .deny.by)" claw-policy
	[ ! -s "$BATS_TEST_TMPDIR/questions" ]
}

@test "--ask-fd: the question is announced whole, and resolve answers it" {
	tool_req message '{"action":"send","to":"telegram:1","message":"line one\nline two, every word"}' \
		>"$BATS_TEST_TMPDIR/req"
	asked_bg "$BATS_TEST_TMPDIR/out"
	output=$(next_question)
	assert_equal "$(jqr -c '[.tool, .agent, .sessionKey, .decisions]')" \
		'["message","main","agent:main:main",["allow-once","allow-always","deny"]]'
	assert_equal "$(jqr -r .command)" "$(printf 'message\naction: send\nto: telegram:1\nmessage: line one\nline two, every word')"
	local id
	id=$(jqr -r .id)
	# The pending file is claw's as ever: pending lists it.
	run claw-approve pending --json
	assert_equal "$(jqr -r '[.id, .tool] | @tsv')" "$id	message"
	claw-approve resolve --by openclaw "$id" allow-once >/dev/null
	finish_bg
	assert_equal "$(jq -r .approval.via "$BATS_TEST_TMPDIR/out")" cli
}

@test "--ask-fd: allow once, deny, and each logged with who answered" {
	for answer in "allow-once allow allow-once" "deny deny user-denied"; do
		set -- $answer
		tool_req message '{"action":"send","message":"hi"}' >"$BATS_TEST_TMPDIR/req"
		rm -f "$BATS_TEST_TMPDIR"/out*
		asked_bg "$BATS_TEST_TMPDIR/out"
		id=$(next_question | jq -r .id)
		run claw-approve resolve --by openclaw "$id" "$1"
		assert_success
		finish_bg
		run cat "$BATS_TEST_TMPDIR/out"
		assert_equal "$(jqr -r '[.approval.decision, .approval.via, .approval.reason, .approval.by] | @tsv')" \
			"$2	cli	$3	openclaw"
		[ "$1" = deny ] && assert_equal "$(jqr -r .deny.reason)" user-denied
	done
}

@test "allow for this session: kept, used by that session only, listed and taken back" {
	tool_req message '{"action":"send","message":"first"}' >"$BATS_TEST_TMPDIR/req"
	asked_bg "$BATS_TEST_TMPDIR/out"
	id=$(next_question | jq -r .id)
	claw-approve resolve --by openclaw "$id" allow-always >/dev/null
	finish_bg
	assert_equal "$(jq -r .approval.reason "$BATS_TEST_TMPDIR/out")" allow-session
	# The same session again: no question.
	tool_req message '{"action":"send","message":"second"}' >"$BATS_TEST_TMPDIR/req"
	run claw-approve --defer <"$BATS_TEST_TMPDIR/req"
	assert_equal "$(jqr -r '[.approval.decision, .approval.via, .approval.reason] | @tsv')" \
		"allow	session	session-grant"
	# Another session, and another tool of the same session: asked.
	tool_req message '{"action":"send","message":"x"}' 8 >"$BATS_TEST_TMPDIR/req"
	run claw-approve --defer <"$BATS_TEST_TMPDIR/req"
	assert_equal "$(jqr -r .approval.via)" runtime
	tool_req sessions_send '{"message":"x"}' >"$BATS_TEST_TMPDIR/req"
	run claw-approve --defer <"$BATS_TEST_TMPDIR/req"
	assert_equal "$(jqr -r .approval.via)" runtime
	run claw-approve grants
	assert_output --partial "message          agent:main:telegram:default:direct:7  (by openclaw)"
	run claw-approve grants ls --json
	assert_equal "$(jqr -c '[.sessionKey, .tool, .by]')" '["agent:main:telegram:default:direct:7","message","openclaw"]'
	run claw-approve grants rm agent:main:telegram:default:direct:7 Message
	assert_success
	assert_output "removed 1 grant"
	tool_req message '{"action":"send","message":"third"}' >"$BATS_TEST_TMPDIR/req"
	run claw-approve --defer <"$BATS_TEST_TMPDIR/req"
	assert_equal "$(jqr -r .approval.via)" runtime
	run claw-approve grants rm agent:main:telegram:default:direct:7
	assert_failure 1
	[ "$(stat -c %a "$OPENCLAW_STATE_DIR/tool-grants.json")" = 600 ]
}

@test "a stranger's DM in the main session never gets the owner's grant" {
	write_claw_config <<'EOF'
{ approvals: { tools: ["message"] } }
EOF
	write_config <<'EOF'
{ session: { dmScope: "main" } }
EOF
	printf '%s\n' '{"version":1,"grants":[{"sessionKey":"agent:main:main","tool":"message","at":1,"by":"cli:op"}]}' \
		>"$OPENCLAW_STATE_DIR/tool-grants.json"
	run bash -c 'echo "{\"tool\":\"message\",\"args\":{\"message\":\"x\"}}" | claw-session | claw-approve --defer'
	assert_equal "$(jqr -r .approval.via)" session
	tool_req message '{"message":"x"}' 99 >"$BATS_TEST_TMPDIR/req"
	run claw-approve --defer <"$BATS_TEST_TMPDIR/req"
	assert_equal "$(jqr -r '[.session.key, .session.policyKey, .approval.via] | @tsv')" \
		"agent:main:main	agent:main:telegram:default:direct:99	runtime"
}

@test "a grants file claw cannot read allows nothing and is never written over" {
	printf 'not json' >"$OPENCLAW_STATE_DIR/tool-grants.json"
	tool_req message '{"message":"x"}' >"$BATS_TEST_TMPDIR/req"
	asked_bg "$BATS_TEST_TMPDIR/out"
	id=$(next_question | jq -r .id)
	claw-approve resolve "$id" allow-always >/dev/null
	finish_bg
	assert_equal "$(jq -r '[.approval.decision, .approval.reason] | @tsv' "$BATS_TEST_TMPDIR/out")" \
		"allow	allow-session"
	run jq -r .approval.note "$BATS_TEST_TMPDIR/out"
	assert_output --partial "the grant was not kept"
	assert_equal "$(cat "$OPENCLAW_STATE_DIR/tool-grants.json")" "not json"
	run claw-approve grants
	assert_failure 1
}

@test "nobody answers: the tool is refused at --timeout, whatever askFallback says" {
	write_claw_config <<'EOF'
{ approvals: { tools: ["message"], exec: { timeoutSeconds: 600 } } }
EOF
	printf '%s\n' '{"version":1,"defaults":{"askFallback":"full"}}' >"$OPENCLAW_STATE_DIR/exec-approvals.json"
	tool_req message '{"message":"x"}' >"$BATS_TEST_TMPDIR/req"
	run --separate-stderr timeout 30 claw-approve --no-tty --wait --timeout 1 <"$BATS_TEST_TMPDIR/req"
	assert_success
	assert_equal "$(jqr -r '[.approval.decision, .approval.via, .approval.reason] | @tsv')" \
		"deny	fallback	approval-timeout"
	# No way at all to ask: refused at once.
	run --separate-stderr timeout 30 claw-approve --no-tty <"$BATS_TEST_TMPDIR/req"
	assert_equal "$(jqr -r .approval.reason)" approval-timeout
}

@test "--ask-fd to a caller that has gone away: nobody can answer, refused at once" {
	tool_req message '{"message":"x"}' >"$BATS_TEST_TMPDIR/req"
	mkfifo "$BATS_TEST_TMPDIR/q"
	# The reader opens the fifo and leaves at once: the announcement meets a closed pipe.
	( exec 4<"$BATS_TEST_TMPDIR/q" ) &
	run --separate-stderr timeout 30 bash -c 'claw-approve --ask-fd 3 3>"$1" <"$2"' _ \
		"$BATS_TEST_TMPDIR/q" "$BATS_TEST_TMPDIR/req"
	assert_success
	assert_equal "$(jqr -r '[.approval.decision, .approval.reason] | @tsv')" "deny	approval-timeout"
	[[ $stderr == *"nobody can answer"* ]]
	run claw-approve pending
	assert_output ""
}

@test "--defer, --ask-fd and --timeout: usage errors" {
	run claw-approve --defer --ask-fd 3 3>/dev/null </dev/null
	assert_failure 2
	run claw-approve --ask-fd 9 </dev/null
	assert_failure 2
	assert_output --partial "--ask-fd 9: not an open file descriptor"
	run claw-approve pending --defer
	assert_failure 2
	run claw-approve pending --by x
	assert_failure 2
	run claw-approve --timeout 0 </dev/null
	assert_failure 2
}

@test "the terminal shows a tool's whole call, and a allows it for the session" {
	tool_req message '{"action":"send","message":"the whole text, every word of it"}' >"$BATS_TEST_TMPDIR/req"
	run python3 "$BATS_TEST_DIRNAME/ptyrun.py" -t 10 'expect:[a] allow for this session' 'send:a' -- \
		sh -c 'exec claw-approve <"$1" >"$2"' sh "$BATS_TEST_TMPDIR/req" "$BATS_TEST_TMPDIR/out"
	assert_success
	assert_output --partial "tool approval required"
	assert_output --partial "message: the whole text, every word of it"
	assert_equal "$(jq -r '[.approval.via, .approval.reason] | @tsv' "$BATS_TEST_TMPDIR/out")" \
		"tty	allow-session"
}

@test "--defer leaves an exec to the runtime: logged as deferred, never allowed" {
	write_config <<'EOF'
{ tools: { exec: { security: "allowlist", ask: "on-miss" } } }
EOF
	run bash -c 'claw-session new -- uname -r | claw-session | claw-approve --defer'
	assert_success
	assert_equal "$(jqr -r '[.approval.decision, .approval.via, .approval.reason, .approval.asked, .deny.reason] | @tsv')" \
		"deny	runtime	deferred	allowlist-miss	deferred"
}
