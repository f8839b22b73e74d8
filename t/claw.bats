#!/usr/bin/env bats
# claw, the POSIX-sh porcelain: dispatch, help, version, doctor.

load helper
bats_require_minimum_version 1.5.0

@test "claw help and claw --help print the usage" {
	run claw help
	assert_success
	assert_output --partial "usage: claw COMMAND"
	run claw --help
	assert_success
	assert_output --partial "claw session"
}

@test "claw version" {
	run claw version
	assert_success
	assert_output --regexp '^claw [0-9]+\.[0-9]+\.[0-9]+$'
	[ "$(claw --version)" = "$output" ]
}

@test "claw with no arguments is a usage error" {
	run claw
	assert_failure 2
	assert_output --partial "usage: claw"
}

@test "claw SUB runs claw-SUB with its arguments" {
	run claw session key --channel telegram --chat direct --peer 5
	assert_success
	assert_output "agent:main:telegram:direct:5"
	run bash -c 'echo "{\"id\":\"x\"}" | claw session'
	assert_success
	assert_equal "$(jqr .session.key)" "agent:main:main"
}

@test "claw passes the exit status of the command through" {
	run claw session --bogus
	assert_failure 2
	assert_output --partial "claw-session: unrecognized option"
}

@test "claw finds claw-SUB next to itself before PATH" {
	mkdir -p "$BATS_TEST_TMPDIR/bin" "$BATS_TEST_TMPDIR/decoy"
	cp "$CLAW_BIN/claw" "$BATS_TEST_TMPDIR/bin/claw"
	printf '#!/bin/sh\necho next-to-claw "$@"\n' > "$BATS_TEST_TMPDIR/bin/claw-hello"
	printf '#!/bin/sh\necho decoy\n' > "$BATS_TEST_TMPDIR/decoy/claw-hello"
	chmod +x "$BATS_TEST_TMPDIR/bin/claw-hello" "$BATS_TEST_TMPDIR/decoy/claw-hello"
	run env PATH="$BATS_TEST_TMPDIR/decoy:$PATH" "$BATS_TEST_TMPDIR/bin/claw" hello a b
	assert_success
	assert_output "next-to-claw a b"
	rm "$BATS_TEST_TMPDIR/bin/claw-hello"
	run env PATH="$BATS_TEST_TMPDIR/decoy:/usr/bin:/bin" "$BATS_TEST_TMPDIR/bin/claw" hello
	assert_output "decoy"
}

@test "claw refuses unknown and malformed command names" {
	run claw frobnicate
	assert_failure 2
	assert_output --partial "no such command: frobnicate"
	run claw '../../bin/sh'
	assert_failure 2
	assert_output --partial "no such command"
	run claw --frob
	assert_failure 2
}

@test "claw doctor: a plain table when not a terminal" {
	run claw doctor
	assert_success
	assert_output --partial "what this machine offers claw"
	assert_output --regexp 'commands +claw-session +ok'
	assert_output --regexp 'kernel +user namespaces'
	assert_output --regexp 'kernel +seccomp'
	assert_output --regexp 'kernel +landlock'
	assert_output --regexp 'cgroups +v1'
	assert_output --regexp 'cgroups +v2'
	assert_output --regexp 'peers +bwrap'
	assert_output --regexp 'peers +docker'
	assert_output --regexp 'peers +podman'
	assert_output --regexp 'libraries +libcjson'
	refute_output --partial $'\033['
}

@test "claw doctor --json is valid JSON with every check" {
	run claw doctor --json
	assert_success
	assert_equal "$(jqr '.checks | map(.area) | unique | join(",")')" "cgroups,commands,config,kernel,libraries,peers"
	assert_equal "$(jqr '[.checks[] | select(.name == "claw-session")][0].status')" "ok"
	assert_equal "$(jqr '[.checks[] | select(.status | IN("ok", "missing", "invalid", "info") | not)] | length')" "0"
}

@test "claw doctor reports the libraries the commands link" {
	run claw doctor --json
	assert_equal "$(jqr '[.checks[] | select(.area == "libraries" and .status == "ok") | .name] | index("libcjson") != null')" "true"
	assert_equal "$(jqr '[.checks[] | select(.name == "libcurl")][0].status')" "ok"
	assert_equal "$(jqr '[.checks[] | select(.name == "libcrypto")][0].detail')" "SHA-256 linked into the commands"
}

@test "claw doctor's kernel rows agree with claw-sandbox features" {
	run claw-sandbox features --json
	assert_success
	abi=$(jqr .landlock)
	[[ "$abi" =~ ^[0-9]+$ ]]
	assert_equal "$(jqr '[has("userns"), has("seccomp"), has("cgroupns")] | all')" "true"
	run claw doctor --json
	landlock=$(jqr '.checks[] | select(.name == "landlock") | .status + " " + .detail')
	if [ "$abi" -gt 0 ]; then
		assert_equal "$landlock" "ok ABI $abi"
	else
		assert_equal "${landlock%% *}" "missing"
	fi
}

# ---- claw exec and claw run: their contracts (claw(1)) ----

LOG_REL=audit/decisions.jsonl

# allow PROGRAM...: each on the allow-list, so the operator's host runs pass.
allow() {
	for p in "$@"; do claw-approve allowlist add "$(command -v "$p")" >/dev/null; done
}

# exec_ok ARGS...: claw exec ARGS with stdout and stderr apart.
exec_ok() {
	run --separate-stderr claw exec "$@"
}

@test "claw exec exits as env(1): the command's status, 126 refused, 127 not found, 124 timed out" {
	# A stranger's session runs in the sandbox: approvals do not apply there.
	exec_ok --channel telegram --peer 42 -- sh -c 'exit 5'
	assert_failure 5
	exec_ok --channel telegram --peer 42 --timeout 1 -- sleep 30
	assert_failure 124
	exec_ok -- true
	assert_failure 126
	assert_equal "$(grep -c 'denied by claw-approve' <<<"$stderr")" 1
	run -127 --separate-stderr claw exec -- no-such-program-here arg
	assert_equal "$stderr" "claw: no-such-program-here: not found"
	claw-sandbox rm --all >/dev/null
}

@test "claw exec: usage and config errors exit 2, each said once, naming file:line:col" {
	exec_ok --frobnicate -- true
	assert_failure 2
	exec_ok
	assert_failure 2
	printf '{\n  session: { dmScope: "main", },\n  tools: { deny: [ },\n}\n' >"$CONFIG"
	exec_ok -- true
	assert_failure 2
	assert_equal "$(wc -l <<<"$stderr")" 1
	[[ "$stderr" == *"$CONFIG:3:"* ]]
	run --separate-stderr claw run <<<'{"tool":"exec","args":{"command":"true"}}'
	assert_failure 2
	assert_equal "$(wc -l <<<"$stderr")" 1
	assert_output ""
	rm "$CONFIG"
	# A --config that names no file is an error everywhere, never the built-in preset.
	exec_ok --config "$BATS_TEST_TMPDIR/none.json" -- true
	assert_failure 2
	assert_equal "$stderr" "claw-sandbox: $BATS_TEST_TMPDIR/none.json: no such config file"
	run --separate-stderr claw run --config "$BATS_TEST_TMPDIR/none.json" </dev/null
	assert_failure 2
	run claw session --config "$BATS_TEST_TMPDIR/none.json" key
	assert_failure 2
	[ ! -e "$OPENCLAW_STATE_DIR/$LOG_REL" ]
}

@test "claw run exits 0 for a processed stream, 1 when some lines were not records" {
	allow true
	run --separate-stderr claw run <<<'{"tool":"exec","args":{"command":"true"}}'
	assert_success
	assert_equal "$(jq -r .result.exit <<<"$output")" 0
	run --separate-stderr claw run < <(printf '%s\n' '{"tool":"exec","args":{"command":"true"}}' 'not json' '{"tool":"exec","args":{"command":"false"}}')
	assert_failure 1
	assert_equal "$(wc -l <<<"$output")" 3
	assert_equal "$(sed -n 2p <<<"$output" | jq -r .error.by)" claw-session
	# Said once, by the stage that found it.
	assert_equal "$stderr" "claw-session: line 2: not valid JSON (at byte 1)"
	run claw run --frobnicate
	assert_failure 2
}

@test "options come before the subcommand as after it" {
	allow pwd
	state="$BATS_TEST_TMPDIR/other state"
	mkdir -p "$state"
	claw-approve --state-dir "$state" allowlist add /usr/bin/pwd >/dev/null
	run claw --state-dir "$state" exec --cwd / -- pwd
	assert_success
	assert_output /
	run claw --state-dir="$state" --no-tty exec -- pwd
	assert_success
	run claw --state-dir "$state" audit verify
	assert_success
	assert_output --partial "intact, 6 entries"
	run bash -c 'echo "{\"tool\":\"exec\",\"args\":{\"command\":\"pwd\"}}" | claw --state-dir "$1" run' sh "$state"
	assert_success
	[ ! -e "$OPENCLAW_STATE_DIR/$LOG_REL" ]
	run claw --config "$BATS_TEST_TMPDIR/none" exec -- pwd
	assert_failure 2
}

@test "claw exec passes 1 MiB of random bytes through unchanged, and NUL bytes too" {
	allow cat printf
	head -c 1048576 /dev/urandom >"$BATS_TEST_TMPDIR/random"
	claw exec -- cat "$BATS_TEST_TMPDIR/random" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	cmp "$BATS_TEST_TMPDIR/random" "$BATS_TEST_TMPDIR/out"
	[ ! -s "$BATS_TEST_TMPDIR/err" ]
	claw exec -- cat "$BATS_TEST_TMPDIR/random" 2>"$BATS_TEST_TMPDIR/out" 1>/dev/null >&2
	cmp "$BATS_TEST_TMPDIR/random" "$BATS_TEST_TMPDIR/out"
	claw exec -- printf 'a\0b\0' >"$BATS_TEST_TMPDIR/nul"
	assert_equal "$(od -An -tx1 "$BATS_TEST_TMPDIR/nul" | tr -d ' ')" 61006200
	# The record keeps the tail, in base64 since it is not text, and the sizes.
	run claw-audit show --json --last 1
	assert_equal "$(tail -n 1 <<<"$output" | jq -r '.result | "\(.stdoutEncoding) \(.stdoutBytes) \(.truncated)"')" "base64 4 false"
	assert_equal "$(tail -n 1 <<<"$output" | jq -r .result.stdout | base64 -d | od -An -tx1 | tr -d ' ')" 61006200
}

@test "claw exec streams: output comes as the command writes it, 50 MB of it, and the record says it was cut" {
	allow cat head
	mkfifo "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
	# cat waits for the test, which waits for cat's first line: only a stream
	# gets past that.
	claw exec -- cat "$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec 8<"$BATS_TEST_TMPDIR/out" 7>"$BATS_TEST_TMPDIR/in"
	echo first >&7
	read -r -t 30 -u 8 line
	assert_equal "$line" first
	echo second >&7
	exec 7>&-
	read -r -t 30 -u 8 line
	assert_equal "$line" second
	wait "$pid"
	exec 8<&-
	run bash -c 'claw exec -- head -c 50000000 /dev/zero | wc -c'
	assert_success
	assert_output 50000000
	run claw-audit show --json --last 1
	assert_equal "$(tail -n 1 <<<"$output" | jq -c '.result | [.stdoutBytes, .truncated, (.stdout | @base64d | length)]')" '[50000000,true,200000]'
}

@test "claw exec -c sends a whole command line through the same analysis" {
	allow printf wc
	run claw exec -c 'printf a | wc -c'
	assert_success
	assert_output 1
	run claw-audit show --json --last 1
	assert_equal "$(head -n 1 <<<"$output" | jq -r .args.command)" "printf a | wc -c"
	assert_equal "$(head -n 1 <<<"$output" | jq -c '[.approval.segments[].argv[0]]')" '["printf","wc"]'
	run claw exec -c 'printf a | wc -c && cat /etc/hostname'
	assert_failure 126
	run claw exec -c 'printf a' extra
	assert_failure 2
	run claw exec -c ''
	assert_failure 2
}

@test "a decision log that cannot be written: nothing runs, exit 125 with the reason, said once" {
	allow touch
	mkdir -p "$OPENCLAW_STATE_DIR/audit"
	# A line of another program at its end: nothing is chained onto it.
	echo '{"not":"an entry"}' >"$OPENCLAW_STATE_DIR/$LOG_REL"
	run --separate-stderr claw exec -- touch "$BATS_TEST_TMPDIR/ran"
	assert_failure 125
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	assert_equal "$(wc -l <<<"$stderr")" 1
	[[ "$stderr" == "claw-audit: "*"its last line is not a claw-audit entry"* ]]
	run claw-audit check --json
	assert_equal "$(jq -r '.findings[] | select(.checkId == "audit_log.not_accepting") | .severity' <<<"$output")" critical
	# A read-only state directory (as root too: a read-only mount).
	rm -r "$OPENCLAW_STATE_DIR/audit"
	run --separate-stderr unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" &&
		exec claw exec -- touch "$2"' sh "$OPENCLAW_STATE_DIR" "$BATS_TEST_TMPDIR/ran"
	assert_failure 125
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	assert_equal "$(wc -l <<<"$stderr")" 1
	[[ "$stderr" == *"Read-only file system"* ]]
	run unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" &&
		exec claw-audit check --json' sh "$OPENCLAW_STATE_DIR"
	assert_equal "$(jq -r '.findings[] | select(.checkId == "audit_log.not_accepting") | .detail' <<<"$output" | grep -c 'Read-only')" 1
}

# requests N DIR: N exec requests, each making the file DIR/N when it runs.
requests() {
	for i in $(seq "$1"); do
		printf '{"id":"r%d","tool":"exec","args":{"command":"touch %s/%d"}}\n' "$i" "$2" "$i"
	done
}

# every_run_logged DIR: each file a command made has its decision and start on the log.
every_run_logged() {
	local log="$OPENCLAW_STATE_DIR/$LOG_REL" f ran=0
	for f in "$1"/*; do
		[ -e "$f" ] || continue
		ran=$((ran + 1))
		n=${f##*/}
		seq=$(jq -r --arg id "r$n" 'select(.id == $id and .tool == "exec") | .audit.seq' "$log")
		[ -n "$seq" ] || { echo "r$n ran without its decision on the log" >&2; return 1; }
		grep -q "^{\"start\":{\"decision\":$seq," "$log" ||
			{ echo "r$n ran without a start entry" >&2; return 1; }
	done
	echo "$ran"
}

@test "a reader that closes early: every command that ran is on the log, and what did not run is said" {
	allow touch
	mkdir "$BATS_TEST_TMPDIR/made"
	requests 300 "$BATS_TEST_TMPDIR/made" >"$BATS_TEST_TMPDIR/in"
	run bash -c 'claw run <"$1" | head -n 1' sh "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_equal "$(jq -r .id <<<"$output")" r1
	run every_run_logged "$BATS_TEST_TMPDIR/made"
	assert_success
	[ "$output" -ge 1 ] && [ "$output" -lt 300 ]
	ran=$output
	log="$OPENCLAW_STATE_DIR/$LOG_REL"
	# All 300 decisions are logged, each run has its end, the others were refused.
	assert_equal "$(grep -c '"id":"r[0-9]*","tool":"exec"' "$log")" 300
	assert_equal "$(grep -c '^{"end":' "$log")" 300
	assert_equal "$(grep '^{"end":' "$log" | grep -c '"reason":"not run: the reader of the results has gone"')" "$((300 - ran))"
	run claw-audit verify
	assert_success
	refute_output --partial "started, no result"
}

# stage_pid RUNNER NAME: the pid of claw-sandbox pipeline RUNNER's stage NAME.
stage_pid() {
	pgrep -P "$1" -x "$2"
}

@test "kill -9 of each stage mid-stream: no command runs without its decision on the log" {
	allow touch
	for stage in claw-session claw-policy claw-approve claw-audit claw-sandbox; do
		rm -rf "$OPENCLAW_STATE_DIR/audit" "$BATS_TEST_TMPDIR/made" "$BATS_TEST_TMPDIR"/fifo.*
		mkdir "$BATS_TEST_TMPDIR/made"
		mkfifo "$BATS_TEST_TMPDIR/fifo.in" "$BATS_TEST_TMPDIR/fifo.out"
		claw run <"$BATS_TEST_TMPDIR/fifo.in" >"$BATS_TEST_TMPDIR/fifo.out" 2>/dev/null &
		runner=$!
		exec 7>"$BATS_TEST_TMPDIR/fifo.in" 8<"$BATS_TEST_TMPDIR/fifo.out"
		requests 20 "$BATS_TEST_TMPDIR/made" >&7
		read -r -t 30 -u 8 first # the stream moves: the first request has run
		if [ "$stage" = claw-sandbox ]; then pid=$runner; else pid=$(stage_pid "$runner" "$stage"); fi
		[ -n "$pid" ]
		kill -9 "$pid"
		requests 20 "$BATS_TEST_TMPDIR/made" | sed 's/"r/"s/' >&7 2>/dev/null || true
		exec 7>&-
		cat <&8 >/dev/null
		exec 8<&-
		wait "$runner" || true
		run every_run_logged "$BATS_TEST_TMPDIR/made"
		assert_success
		# The chain holds (or ends in a torn tail that verify names); a run cut
		# short is said: started, no result.
		run claw-audit verify
		if [ "$status" -ne 0 ]; then assert_output --partial "torn tail"; fi
	done
}

@test "Ctrl-C at the approval prompt: the refusal is on the log, nothing runs, exit 130" {
	run python3 "$BATS_TEST_DIRNAME/ptyrun.py" -t 60 'expect:[o] allow once' 'send:\x03' 'expect:after' -- \
		sh -c 'trap true INT; claw exec -- touch "$1"; echo "after $?"' sh "$BATS_TEST_TMPDIR/ran"
	assert_success
	assert_output --partial "after 130"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	run claw-audit show --json
	assert_equal "$(jq -r '[.approval.via, .approval.reason, .approval.by, .deny.by] | @tsv' <<<"$output")" \
		"signal	interrupted	SIGINT	claw-approve"
	run claw-audit verify
	assert_success
	assert_output --partial "intact, 1 entries"
}

@test "SIGTERM to claw run alone ends the whole pipeline; what was decided is logged" {
	allow touch
	mkdir "$BATS_TEST_TMPDIR/made"
	mkfifo "$BATS_TEST_TMPDIR/fifo.in" "$BATS_TEST_TMPDIR/fifo.out"
	claw run <"$BATS_TEST_TMPDIR/fifo.in" >"$BATS_TEST_TMPDIR/fifo.out" &
	runner=$!
	exec 7>"$BATS_TEST_TMPDIR/fifo.in" 8<"$BATS_TEST_TMPDIR/fifo.out"
	requests 3 "$BATS_TEST_TMPDIR/made" >&7
	for _ in 1 2 3; do read -r -t 30 -u 8 _; done
	# The input stays open: only the signal can end it.
	kill -TERM "$runner"
	status=0
	wait "$runner" || status=$?
	exec 7>&- 8<&-
	assert_equal "$status" 143
	run every_run_logged "$BATS_TEST_TMPDIR/made"
	assert_success
	assert_output 3
	run claw-audit verify
	assert_success
	assert_output --partial "intact, 9 entries"
}
