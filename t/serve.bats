#!/usr/bin/env bats
# claw serve: claw run as a service. Requests are independent (one that waits
# for a person never delays another), responses carry their request's id,
# and the config is reloaded on change or SIGHUP, a broken one reported once
# with the old one kept.

bats_require_minimum_version 1.5.0

load helper

setup() {
	common_setup
	echo '{}' | write_config
	# message waits for a person (claw run asks with --wait: resolve answers it).
	write_claw_config <<'EOF'
{ approvals: { tools: ["message"] } }
EOF
}

teardown() {
	[ -z "${SERVE_PID:-}" ] || kill -9 "$SERVE_PID" 2>/dev/null || true
	common_teardown
}

# serve_start [OPTIONS]: claw serve in the background; write requests with
# `send`, read responses with `response`; its stderr in $ERR, and line by
# line for `waiting`.
serve_start() {
	mkfifo "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/errq"
	ERR="$BATS_TEST_TMPDIR/err"
	${SERVE:-claw serve} "$@" <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" \
		2> >(tee "$ERR" >"$BATS_TEST_TMPDIR/errq") &
	SERVE_PID=$!
	exec {IN}>"$BATS_TEST_TMPDIR/in" {OUT}<"$BATS_TEST_TMPDIR/out" \
		{ERRFD}<"$BATS_TEST_TMPDIR/errq"
}

# send ID TOOL ARGS: one request.
send() {
	jq -cn --arg id "$1" --arg tool "$2" --argjson args "$3" \
		'{id: $id, tool: $tool, args: $args}' >&"$IN"
}

# response: the next response (at most 30 s), in $output.
response() {
	local line
	IFS= read -r -t 30 line <&"$OUT" || { echo "no response in 30 s" >&2; return 1; }
	output=$line
}

# ready: a request answered, so that claw serve and its first worker have
# read the config before a test changes it.
ready() {
	send r0 read '{"path":"/etc/hosts"}'
	response
	assert_equal "$(jqr -r .id)" r0
}

# serve_end: end of input; claw serve's exit status in $status.
serve_end() {
	exec {IN}>&-
	status=0
	wait "$SERVE_PID" || status=$?
	SERVE_PID=
}

# wait_err TEXT: claw serve's next stderr line holding TEXT (at most 30 s).
wait_err() {
	local line
	while IFS= read -r -t 30 line <&"$ERRFD"; do
		[[ $line != *"$1"* ]] || return 0
	done
	echo "no \"$1\" on claw serve's stderr" >&2
	return 1
}

# waiting: the slug of the next approval that waits for a person (at most 30 s).
waiting() {
	local line
	while IFS= read -r -t 30 line <&"$ERRFD"; do
		case $line in
		*"claw-approve resolve "*)
			sed -n 's/.*claw-approve resolve \([0-9a-f]\{8\}\).*/\1/p' <<<"$line"
			return 0
			;;
		esac
	done
	return 1
}

# descendant PID NAME: the pid of a process named NAME under PID.
descendant() {
	local pid=$1 name=$2 kids
	kids=$(ps -o pid= --ppid "$pid" | tr -d ' ')
	for k in $kids; do
		if [ "$(cat "/proc/$k/comm" 2>/dev/null)" = "$name" ]; then
			echo "$k"
			return 0
		fi
		descendant "$k" "$name" && return 0
	done
	return 1
}

@test "a request waiting for a person never delays the next; each response carries its id" {
	serve_start
	send m1 message '{"action":"send","to":"telegram:1","message":"hello"}'
	send r1 read '{"path":"/etc/hosts"}'
	send r2 read '{"path":"/etc/passwd"}'
	# r1 and r2 are answered while m1 still waits.
	response
	assert_equal "$(jqr -r .id)" r1
	assert_equal "$(jqr -r '.deny // "none"')" none
	response
	assert_equal "$(jqr -r .id)" r2
	id=$(waiting)
	claw-approve resolve "$id" allow-once >/dev/null
	response
	assert_equal "$(jqr -r '[.id, .approval.decision, .approval.via] | @tsv')" "m1	allow	cli"
	serve_end
	assert_equal "$status" 0
	# Each was logged, m1 last.
	assert_equal "$(jq -r .id "$OPENCLAW_STATE_DIR/audit/decisions.jsonl" | tr '\n' ' ')" "r1 r2 m1 "
}

@test "at end of input, requests in flight are answered before claw serve exits" {
	serve_start
	send m1 message '{"action":"send","to":"telegram:1","message":"bye"}'
	id=$(waiting)
	exec {IN}>&-
	claw-approve resolve "$id" deny >/dev/null
	response
	assert_equal "$(jqr -r '[.id, .approval.decision] | @tsv')" "m1	deny"
	serve_end
	assert_equal "$status" 0
}

@test "--workers caps the requests in flight; the next waits its turn, it is not refused" {
	serve_start --workers 1
	send m1 message '{"action":"send","to":"telegram:1","message":"one"}'
	id=$(waiting)
	send r1 read '{"path":"/etc/hosts"}'
	claw-approve resolve "$id" allow-once >/dev/null
	response
	assert_equal "$(jqr -r .id)" m1
	response
	assert_equal "$(jqr -r '[.id, (.deny // "none")] | @tsv')" "r1	none"
	serve_end
}

@test "a config change applies to the next request" {
	serve_start
	send r1 read '{"path":"/etc/hosts"}'
	response
	assert_equal "$(jqr -r '.deny // "none"')" none
	echo '{"tools":{"deny":["read"]}}' | write_config
	send r2 read '{"path":"/etc/hosts"}'
	response
	assert_equal "$(jqr -r '[.id, .deny.by] | @tsv')" "r2	claw-policy"
	# claw.json too: message no longer waits.
	echo '{}' | write_claw_config
	send m1 message '{"action":"send","to":"telegram:1","message":"hello"}'
	response
	assert_equal "$(jqr -r '[.id, (.approval // "none")] | @tsv')" "m1	none"
	serve_end
	assert_equal "$(grep -c 'config reloaded' "$ERR")" 2
}

@test "a config that no longer reads is reported once, and the old one is kept" {
	serve_start
	ready
	echo '{"tools":{"deny":["read"]}}' | write_config
	send r1 read '{"path":"/etc/hosts"}'
	response
	assert_equal "$(jqr -r .deny.by)" claw-policy
	printf '{"tools": {"deny": ["read"]\n' | write_config
	for i in 2 3 4; do
		send "r$i" read '{"path":"/etc/hosts"}'
		response
		assert_equal "$(jqr -r '[.id, .deny.by] | @tsv')" "r$i	claw-policy"
	done
	assert_equal "$(grep -c 'openclaw.json:' "$ERR")" 1
	grep -q 'the config loaded before is kept' "$ERR"
	# Fixed: read again, and applied.
	echo '{}' | write_config
	send r5 read '{"path":"/etc/hosts"}'
	response
	assert_equal "$(jqr -r '[.id, (.deny // "none")] | @tsv')" "r5	none"
	serve_end
	assert_equal "$status" 0
}

@test "a config that does not read at the start: exit 2, naming the file" {
	printf '{"tools": \n' | write_config
	run --separate-stderr claw serve </dev/null
	assert_equal "$status" 2
	[[ $stderr == *openclaw.json:* ]]
}

@test "SIGHUP reads the config again, whatever its files' stamps say" {
	echo '{"tools":{"deny":["exec"]}}' | write_config
	touch -r "$CONFIG" "$BATS_TEST_TMPDIR/stamp"
	serve_start
	ready
	# The same size, the same mtime: only SIGHUP tells.
	echo '{"tools":{"deny":["read"]}}' | write_config
	touch -r "$BATS_TEST_TMPDIR/stamp" "$CONFIG"
	kill -HUP "$SERVE_PID"
	send r1 read '{"path":"/etc/hosts"}'
	response
	assert_equal "$(jqr -r '[.id, .deny.by] | @tsv')" "r1	claw-policy"
	serve_end
	assert_equal "$(grep -c 'config reloaded' "$ERR")" 1
}

@test "a stage killed under a request refuses that request; the next is served" {
	serve_start
	send m1 message '{"action":"send","to":"telegram:1","message":"hello"}'
	waiting >/dev/null
	approve=$(descendant "$SERVE_PID" claw-approve)
	kill -9 "$approve"
	response
	assert_equal "$(jqr -r '[.id, .deny.by] | @tsv')" "m1	claw-serve"
	[[ $(jqr -r .deny.reason) == "claw ended before it answered"* ]]
	send r1 read '{"path":"/etc/hosts"}'
	response
	assert_equal "$(jqr -r '[.id, (.deny // "none")] | @tsv')" "r1	none"
	serve_end
	assert_equal "$status" 0
}

@test "SIGTERM: what waits is refused and taken down, nothing is left running" {
	serve_start
	send m1 message '{"action":"send","to":"telegram:1","message":"hello"}'
	waiting >/dev/null
	kill -TERM "$SERVE_PID"
	response
	# Refused: by claw-approve (the question taken down, logged) or, when the
	# worker's stages end first, by claw serve.
	assert_equal "$(jqr -r '[.id, .deny != null] | @tsv')" "m1	true"
	serve_end
	assert_equal "$status" 143
	run claw-approve pending
	assert_output ""
}

@test "lines that are not requests are refused, each with what was wrong; exit 1" {
	run --separate-stderr claw serve <<'EOF'
{"id":"r1","tool":"read","args":{"path":"/etc/hosts"}}
not json
{"tool":"read"}

EOF
	assert_equal "$status" 1
	assert_equal "$(printf '%s\n' "$output" | jq -r '[.id // "-", (.deny.reason // "ok")] | @tsv' | sort)" \
		"$(printf '%s\n' '-	invalid request (line 2): not a JSON object' \
			'-	invalid request (line 3): no "id" (a string): its response could not be told apart' \
			'r1	ok')"
	[[ $stderr == *"standard input:2: not a JSON object"* ]]
}

@test "an id in flight already is refused, so that each response names one request" {
	serve_start
	send m1 message '{"action":"send","to":"telegram:1","message":"one"}'
	id=$(waiting)
	send m1 read '{"path":"/etc/hosts"}'
	response
	assert_equal "$(jqr -r '[.id, .tool, .deny.by] | @tsv')" "m1	read	claw-serve"
	claw-approve resolve "$id" deny >/dev/null
	response
	assert_equal "$(jqr -r '[.id, .tool, .approval.decision] | @tsv')" "m1	message	deny"
	serve_end
	assert_equal "$status" 1
}

@test "--decide decides and logs, and runs nothing" {
	run --separate-stderr claw serve --decide <<EOF
{"id":"e1","tool":"exec","args":{"command":"touch $BATS_TEST_TMPDIR/ran"}}
{"id":"r1","tool":"read","args":{"path":"/etc/hosts"}}
EOF
	assert_success
	assert_equal "$(printf '%s\n' "$output" | jq -r 'select(.id == "r1") | .verdict.decision')" allow
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	assert_equal "$(wc -l <"$OPENCLAW_STATE_DIR/audit/decisions.jsonl")" 2
}

@test "usage: --help, --version, bad options" {
	run claw-serve --help
	assert_success
	[[ $output == *"claw run as a service"* ]]
	run claw-serve --version
	assert_success
	run --separate-stderr claw-serve --workers 0
	assert_equal "$status" 2
	run --separate-stderr claw-serve extra
	assert_equal "$status" 2
}

@test "the systemd user units are what systemd reads" {
	command -v systemd-analyze >/dev/null || skip "no systemd-analyze"
	local dir="$BATS_TEST_TMPDIR/units" share="$BATS_TEST_DIRNAME/../share/claw/systemd"
	mkdir -p "$dir"
	cp "$share/claw-serve.socket" "$dir/"
	sed "s|@BINDIR@|$CLAW_BIN|g" "$share/claw-serve@.service" >"$dir/claw-serve@.service"
	grep -qx "ExecStart=$CLAW_BIN/claw-serve" "$dir/claw-serve@.service"
	grep -qx 'Accept=yes' "$dir/claw-serve.socket"
	grep -qx 'StandardInput=socket' "$dir/claw-serve@.service"
	run systemd-analyze verify --man=no "$dir/claw-serve.socket"
	assert_success
	assert_output ""
}

# complete WORD...: bash's completion of the last WORD, one a line.
complete_words() {
	bash -c 'source "$0"; COMP_WORDS=("${@}"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1));
		_claw; printf "%s\n" "${COMPREPLY[@]}"' \
		"$BATS_TEST_DIRNAME/../share/claw/completions/claw.bash" "$@"
}

@test "bash completion: subcommands and options, from each command's own --help" {
	export PATH="$CLAW_BIN:$PATH"
	run complete_words claw se
	assert_output "$(printf '%s\n' session serve)"
	run complete_words claw-serve --w
	assert_output --workers
	run complete_words claw approve re
	assert_output resolve
	run complete_words claw --state-dir DIR hook cl
	assert_output claude-code
	run complete_words claw-audit check --fail-on c
	assert_output critical
	mkdir -p "$BATS_TEST_TMPDIR/somedir"
	run complete_words claw serve --state-dir "$BATS_TEST_TMPDIR/somed"
	assert_output "$BATS_TEST_TMPDIR/somedir"
}

@test "zsh completion: the file zsh loads is valid zsh" {
	command -v zsh >/dev/null || skip "no zsh"
	run zsh -n "$BATS_TEST_DIRNAME/../share/claw/completions/_claw"
	assert_success
}

# fake_stage STAGE SCRIPT: claw's commands in $BATS_TEST_TMPDIR/bin, with
# STAGE replaced by a shell script.
fake_stage() {
	local bin="$BATS_TEST_TMPDIR/bin"
	mkdir -p "$bin"
	for f in "$CLAW_BIN"/claw "$CLAW_BIN"/claw-*; do
		ln -sf "$f" "$bin/"
	done
	# Each finds the next beside itself: copies, so that the fake stage is found.
	for f in claw-serve claw-sandbox; do
		rm -f "$bin/$f"
		cp "$CLAW_BIN/$f" "$bin/$f"
	done
	rm -f "$bin/$1"
	printf '#!/bin/sh\n%s\n' "$2" >"$bin/$1"
	chmod +x "$bin/$1"
}

@test "a worker that answers with another request's id is ended, and its request refused" {
	fake_stage claw-policy 'exec jq -c --unbuffered ".id = \"other\""'
	run --separate-stderr "$BATS_TEST_TMPDIR/bin/claw-serve" <<'JSON'
{"id":"r1","tool":"read","args":{"path":"/etc/hosts"}}
JSON
	assert_success
	assert_equal "$(jqr -r '[.id, .deny.by] | @tsv')" "r1	claw-serve"
	[[ $(jqr -r .deny.reason) == "claw answered with a record that is not this request's"* ]]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
}

# serve_asking: claw serve --decide --ask-fd 3 in the background, its questions on $Q.
serve_asking() {
	mkfifo "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/q"
	claw serve --decide --ask-fd 3 <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" \
		3>"$BATS_TEST_TMPDIR/q" 2>"$BATS_TEST_TMPDIR/err" &
	SERVE_PID=$!
	exec {IN}>"$BATS_TEST_TMPDIR/in" {OUT}<"$BATS_TEST_TMPDIR/out" {Q}<"$BATS_TEST_TMPDIR/q"
}

@test "--decide --ask-fd: each question names its request, resolve answers it, others go on" {
	serve_asking
	send m1 message '{"action":"send","to":"telegram:1","message":"hello"}'
	IFS= read -r -t 30 question <&"$Q"
	assert_equal "$(jq -r '[.request, .pending.tool] | @tsv' <<<"$question")" "m1	message"
	send r1 read '{"path":"/etc/hosts"}'
	response
	assert_equal "$(jqr -r '[.id, .verdict.decision] | @tsv')" "r1	allow"
	claw-approve resolve --by openclaw "$(jq -r .pending.id <<<"$question")" allow-once >/dev/null
	response
	assert_equal "$(jqr -r '[.id, .verdict.decision, .approval.by] | @tsv')" "m1	allow	openclaw"
	serve_end
	assert_equal "$status" 0
	run --separate-stderr claw serve --ask-fd 3 3>/dev/null </dev/null
	assert_equal "$status" 2
	[[ $stderr == *"--ask-fd goes with --decide"* ]]
}

@test "--ask-fd to a caller that has gone: the question's request is refused, never left waiting" {
	serve_asking
	exec {Q}<&-
	send m1 message '{"action":"send","to":"telegram:1","message":"hello"}'
	response
	# Refused: by claw (the question taken down) or by claw serve (the worker ended).
	assert_equal "$(jqr -r '[.id, (.verdict.decision == "deny" or .deny != null)] | @tsv')" "m1	true"
	serve_end
	grep -q "request m1 cannot be answered" "$BATS_TEST_TMPDIR/err"
	run claw-approve pending
	assert_output ""
}

@test "a second SIGTERM does not wait for a worker that ignores the first" {
	# A worker that takes its request, says so, and ignores SIGTERM.
	fake_stage claw "trap '' TERM; read -r line; echo 'worker: taken' >&2
exec sleep 300 # serve-test-$BATS_TEST_NUMBER"
	SERVE="$BATS_TEST_TMPDIR/bin/claw-serve" serve_start
	send r1 read '{"path":"/etc/hosts"}'
	wait_err "worker: taken"
	kill -TERM "$SERVE_PID"
	wait_err "stopping (Terminated): 1 request in flight"
	kill -TERM "$SERVE_PID"
	response
	assert_equal "$(jqr -r '[.id, .deny.by, .deny.reason] | @tsv')" \
		"r1	claw-serve	claw ended before it answered (Killed)"
	serve_end
	assert_equal "$status" 143
	run pgrep -f "serve-test-$BATS_TEST_NUMBER"
	assert_failure
}
