#!/usr/bin/env bats
# claw-audit: the hash-chained decision log (log, verify, show, sessions).

load helper

setup() {
	common_setup
	chmod 700 "$OPENCLAW_STATE_DIR"
	LOG="$OPENCLAW_STATE_DIR/audit/decisions.jsonl"
}

# records N [PREFIX]: N small exec requests, ids PREFIX1..PREFIXN.
records() {
	awk -v n="$1" -v p="${2:-r}" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"id\":\"%s%d\",\"tool\":\"exec\",\"args\":{\"command\":\"echo %d\"}}\n", p, i, i }'
}

# logged N: log N records (quietly).
logged() {
	records "$@" | claw-audit log >/dev/null
}

# rehash LINE: recompute line LINE's hash after an edit, as a forger would.
rehash() {
	body=$(sed -n "${1}p" "$LOG" | head -c -77)
	h=$(printf '%s' "$body" | sha256sum | cut -c1-64)
	awk -v n="$1" -v l="$body,\"hash\":\"$h\"}}" 'NR == n { print l; next } { print }' "$LOG" >"$LOG.new"
	mv "$LOG.new" "$LOG"
}

# ---- log ----

@test "log passes every record on with an audit member, and the log holds exactly what it passed on" {
	printf '%s\n' '{"id":"a"}' '{"id":"b","tool":"exec"}' >"$BATS_TEST_TMPDIR/in"
	run claw-audit log <"$BATS_TEST_TMPDIR/in"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 2
	[ "$output" = "$(cat "$LOG")" ]
	assert_equal "$(jqr -s '.[0].audit.seq')" 1
	assert_equal "$(jqr -s '.[1].audit.seq')" 2
	assert_equal "$(jqr -s '.[0].audit.prev')" "0000000000000000000000000000000000000000000000000000000000000000"
	assert_equal "$(jqr -s '.[1].audit.prev == .[0].audit.hash')" true
	assert_equal "$(jqr -s '.[0] | del(.audit)' | jq -c .)" '{"id":"a"}'
}

@test "the log is 0600 in a 0700 directory, whatever the umask" {
	umask 022
	logged 1
	assert_equal "$(stat -c %a "$LOG")" 600
	assert_equal "$(stat -c %a "$OPENCLAW_STATE_DIR/audit")" 700
}

@test "each entry's hash is the SHA-256 of its line up to ,\"hash\" (sha256sum can check it)" {
	logged 3
	for n in 1 2 3; do
		want=$(sed -n "${n}p" "$LOG" | jq -r .audit.hash)
		got=$(sed -n "${n}p" "$LOG" | head -c -77 | sha256sum | cut -c1-64)
		assert_equal "$got" "$want"
	done
	assert_equal "$(sed -n 2p "$LOG" | jq -r .audit.prev)" "$(sed -n 1p "$LOG" | jq -r .audit.hash)"
	run bash -c "sed -n 1p '$LOG' | jq -r .audit.ts"
	assert_output --regexp '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$'
}

@test "denied, malformed and forged records are all logged; a forged audit member is replaced" {
	run bash -c 'printf "%s\n" "{\"id\":\"d\",\"deny\":{\"by\":\"claw-policy\",\"reason\":\"no\"}}" "not json" \
		"{\"id\":\"f\",\"audit\":{\"seq\":99,\"hash\":\"x\"},\"tool\":\"exec\"}" | claw-audit log'
	assert_failure 1
	[ "$(wc -l <"$LOG")" -eq 3 ]
	assert_equal "$(sed -n 1p "$LOG" | jq -r .deny.by)" claw-policy
	assert_equal "$(sed -n 2p "$LOG" | jq -r '.error.by + " " + .deny.by')" "claw-audit claw-audit"
	assert_equal "$(sed -n 3p "$LOG" | jq -c '[.id, .tool, .audit.seq]')" '["f","exec",3]'
	run claw-audit verify
	assert_success
}

@test "a second writer continues the chain; no subcommand means log; --log names the file" {
	logged 2
	records 2 s | claw-audit >/dev/null
	assert_equal "$(tail -n 1 "$LOG" | jq -c '[.id, .audit.seq]')" '["s2",4]'
	records 1 | claw-audit log --log "$BATS_TEST_TMPDIR/other.jsonl" --fsync always >/dev/null
	assert_equal "$(jq -r .audit.seq "$BATS_TEST_TMPDIR/other.jsonl")" 1
	records 1 | claw-audit log --fsync never >/dev/null
	run claw-audit verify
	assert_success
	assert_output --partial "intact, 5 entries"
}

@test "usage errors: --fsync, options of other subcommands, unknown subcommand" {
	run claw-audit log --fsync sometimes
	assert_failure 2
	assert_output --partial "--fsync"
	run claw-audit log --head 1:abc
	assert_failure 2
	run claw-audit verify --fsync always
	assert_failure 2
	run claw-audit frobnicate
	assert_failure 2
	run claw-audit show --decision maybe
	assert_failure 2
	run claw-audit show --since yesterday-ish
	assert_failure 2
}

@test "a symlinked log is refused, and nothing is passed on unlogged" {
	mkdir -p "$OPENCLAW_STATE_DIR/audit"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$LOG"
	run bash -c 'printf "{}\n" | claw-audit log'
	assert_failure 2
	assert_output --partial "symlink"
	[ ! -e "$BATS_TEST_TMPDIR/elsewhere" ]
	refute_output --partial '"audit"'
}

@test "a last line that is not an entry is never chained onto" {
	logged 2
	echo '{"id":"injected"}' >>"$LOG"
	run bash -c 'printf "{\"id\":\"x\"}\n" | claw-audit log'
	assert_failure 2
	assert_output --partial "not a claw-audit entry"
	refute_output --partial '"id":"x"'
	[ "$(wc -l <"$LOG")" -eq 3 ]
}

@test "a torn tail is set aside in a side file, its removal chained, and the chain goes on" {
	logged 2
	printf '{"id":"half","tool":"ex' >>"$LOG"
	run claw-audit verify
	assert_failure 1
	assert_output --partial "torn"
	run bash -c 'printf "{\"id\":\"next\"}\n" | claw-audit log 2>&1 >/dev/null'
	assert_success
	assert_output --partial "torn tail of 23 bytes"
	side=$(ls "$OPENCLAW_STATE_DIR"/audit/decisions.jsonl.torn-*)
	assert_equal "$(cat "$side")" '{"id":"half","tool":"ex'
	assert_equal "$(stat -c %a "$side")" 600
	assert_equal "$(sed -n 3p "$LOG" | jq -c '[.event, .bytes, .audit.seq]')" '["torn-tail",23,3]'
	assert_equal "$(sed -n 3p "$LOG" | jq -r .sha256)" "$(sha256sum <"$side" | cut -c1-64)"
	assert_equal "$(sed -n 4p "$LOG" | jq -c '[.id, .audit.seq]')" '["next",4]'
	run claw-audit verify
	assert_success
	assert_output --partial "intact, 4 entries"
}

@test "8 concurrent writers of 20,000 records each make one chain of 160,000 entries" {
	for w in 1 2 3 4 5 6 7 8; do
		records 20000 "w$w-" >"$BATS_TEST_TMPDIR/in.$w"
	done
	for w in 1 2 3 4 5 6 7 8; do
		claw-audit log <"$BATS_TEST_TMPDIR/in.$w" >"$BATS_TEST_TMPDIR/out.$w" &
	done
	wait
	run claw-audit verify
	assert_success
	assert_output --partial "intact, 160000 entries"
	for w in 1 2 3 4 5 6 7 8; do
		[ "$(grep -c "\"id\":\"w$w-" "$LOG")" -eq 20000 ]
		[ "$(wc -l <"$BATS_TEST_TMPDIR/out.$w")" -eq 20000 ]
	done
	# What each writer passed on is exactly what it logged.
	cat "$BATS_TEST_TMPDIR"/out.* | sort >"$BATS_TEST_TMPDIR/passed"
	sort "$LOG" | cmp - "$BATS_TEST_TMPDIR/passed"
}

@test "a writer killed with SIGKILL mid-stream leaves a log that verifies and that others extend" {
	mkfifo "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
	claw-audit log <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec 7>"$BATS_TEST_TMPDIR/in"
	exec 8<"$BATS_TEST_TMPDIR/out"
	records 5 k >&7
	# A record comes out only once it is logged: reading 5 lines is the synchronisation.
	for _ in 1 2 3 4 5; do read -r _ <&8; done
	kill -9 "$pid"
	wait "$pid" || true
	exec 7>&- 8<&-
	run claw-audit verify
	assert_success
	assert_output --partial "intact, 5 entries"
	logged 3 after
	run claw-audit verify
	assert_success
	assert_output --partial "intact, 8 entries"
}

# ---- verify ----

@test "verify: intact, with --json and the head to keep" {
	logged 3
	run claw-audit verify --json
	assert_success
	assert_equal "$(jqr '.ok, .entries, .head.seq' | tr '\n' ' ')" "true 3 3 "
	assert_equal "$(jqr .head.hash)" "$(tail -n 1 "$LOG" | jq -r .audit.hash)"
	run claw-audit verify "$LOG"
	assert_success
	assert_output --regexp "intact, 3 entries, head 3:[0-9a-f]{64}$"
}

@test "verify: an edited byte is found, with its seq" {
	logged 5
	sed -i '3s/echo 3/echo X/' "$LOG"
	run claw-audit verify --json
	assert_failure 1
	assert_equal "$(jqr '.problem.kind, .problem.seq, .entries' | tr '\n' ' ')" "edited 3 2 "
	run claw-audit verify
	assert_failure 1
	assert_output --partial "seq 3 (line 3) was edited"
}

@test "verify: an entry edited and rehashed is found by the next one's prev" {
	logged 5
	sed -i '3s/echo 3/echo Y/' "$LOG"
	rehash 3
	run claw-audit verify --json
	assert_failure 1
	assert_equal "$(jqr '.problem.kind, .problem.seq' | tr '\n' ' ')" "edited 3 "
	assert_output --partial "hash recomputed"
}

@test "verify: a deleted line is found" {
	logged 5
	sed -i '3d' "$LOG"
	run claw-audit verify --json
	assert_failure 1
	assert_equal "$(jqr '.problem.kind, .problem.seq' | tr '\n' ' ')" "deleted 3 "
	sed -i '1d' "$LOG"
	run claw-audit verify --json
	assert_failure 1
	assert_equal "$(jqr '.problem.kind, .problem.seq' | tr '\n' ' ')" "deleted 1 "
}

@test "verify: two swapped lines are found as reordered" {
	logged 5
	awk 'NR == 3 { held = $0; next } NR == 4 { print; print held; next } { print }' "$LOG" >"$LOG.new"
	mv "$LOG.new" "$LOG"
	run claw-audit verify --json
	assert_failure 1
	assert_equal "$(jqr '.problem.kind, .problem.seq' | tr '\n' ' ')" "reordered 3 "
}

@test "verify: a repeated line is found as reordered" {
	logged 3
	sed -n 2p "$LOG" >>"$LOG"
	run claw-audit verify --json
	assert_failure 1
	assert_equal "$(jqr .problem.kind)" reordered
}

@test "verify: truncation mid-line is a torn tail; at a line boundary only --head sees it" {
	logged 5
	run claw-audit verify --json
	head=$(jqr '"\(.head.seq):\(.head.hash)"')
	hash=$(jqr .head.hash)
	cp "$LOG" "$BATS_TEST_TMPDIR/full"
	truncate -s -10 "$LOG"
	run claw-audit verify --json
	assert_failure 1
	assert_equal "$(jqr '.problem.kind, .problem.seq, .entries' | tr '\n' ' ')" "torn 5 4 "
	cp "$BATS_TEST_TMPDIR/full" "$LOG"
	sed -i '$d' "$LOG"
	run claw-audit verify
	assert_success
	run claw-audit verify --head "$head" --json
	assert_failure 1
	assert_equal "$(jqr .problem.kind)" head
	run claw-audit verify --head "$hash"
	assert_failure 1
	assert_output --partial "truncated or rewritten"
	cp "$BATS_TEST_TMPDIR/full" "$LOG"
	logged 2 more
	run claw-audit verify --head "$head"
	assert_success
	run claw-audit verify --head "$hash"
	assert_success
}

@test "verify: --head must be HASH or SEQ:HASH; a missing log is an error" {
	run claw-audit verify --head nothex
	assert_failure 2
	run claw-audit verify --head "0:$(printf 'a%.0s' $(seq 64))"
	assert_failure 2
	run claw-audit verify
	assert_failure 2
	assert_output --partial "No such file"
}

@test "verify: a log that does not start at seq 1 with a zero prev is found" {
	logged 3
	sed -i '1s/"prev":"0000000000/"prev":"1111111111/' "$LOG"
	rehash 1
	run claw-audit verify --json
	assert_failure 1
	assert_equal "$(jqr '.problem.kind, .problem.seq' | tr '\n' ' ')" "edited 1 "
}

# ---- syslog ----

@test "--syslog sends a one-line summary of each record, with the facility and tag asked for" {
	sock="$BATS_TEST_TMPDIR/log.sock"
	mkfifo "$BATS_TEST_TMPDIR/ready"
	python3 - "$sock" "$BATS_TEST_TMPDIR/msgs" "$BATS_TEST_TMPDIR/ready" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
open(sys.argv[3], "w").write("ready\n")
with open(sys.argv[2], "w") as out:
    for _ in range(2):
        out.write(s.recv(65536).decode() + "\n")
PY
	listener=$!
	read -r _ <"$BATS_TEST_TMPDIR/ready"
	printf '%s\n' '{"id":"a","tool":"exec","args":{"command":"ls\u001b[2J"},"result":{"exit":0}}' \
		'{"id":"b","deny":{"by":"claw-policy","reason":"blocked"}}' |
		claw-audit log --syslog --syslog-socket "$sock" --syslog-facility local3 --syslog-tag clawtest >/dev/null
	wait "$listener"
	run cat "$BATS_TEST_TMPDIR/msgs"
	# local3 (19) * 8 + info (6) = 158; + notice (5) = 157 for a denial.
	assert_line --regexp '^<158>[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} clawtest\[[0-9]+\]: seq=1 decision=allow by=- who=operator tool=exec id=a result="exit 0" command="ls\\x1b\[2J"$'
	assert_line --regexp '^<157>.* clawtest\[[0-9]+\]: seq=2 decision=deny by=claw-policy .*reason="blocked"$'
}

@test "--syslog without a listener warns once and logs to the file all the same" {
	run bash -c "printf '{}\n{}\n' | claw-audit log --syslog --syslog-socket '$BATS_TEST_TMPDIR/none' 2>&1 >/dev/null"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | grep -c syslog)" 1
	[ "$(wc -l <"$LOG")" -eq 2 ]
	run claw-audit log --syslog-facility nowhere
	assert_failure 2
}

# ---- show and sessions ----

seed() {
	printf '%s\n' \
		'{"id":"1","agent":"main","session":{"key":"agent:main:main","agent":"main"},"tool":"exec","args":{"command":"git status"},"approval":{"decision":"allow","via":"allowlist"},"result":{"exit":0}}' \
		'{"id":"2","origin":{"channel":"telegram","chat":"direct","peer":"42","sender":"42"},"session":{"key":"agent:main:telegram:direct:42","agent":"main"},"tool":"exec","args":{"command":"rm -rf ~\u001b]0;pwned\u0007"},"deny":{"by":"claw-approve","reason":"not allow-listed"}}' \
		'{"id":"3","session":{"key":"agent:main:telegram:direct:42","agent":"main"},"tool":"browser","deny":{"by":"claw-policy","reason":"blocked"}}' \
		'{"id":"4","session":{"key":"agent:ops:main","agent":"ops"},"tool":"read","policy":{"decision":"allow","layer":"global"}}' |
		claw-audit log >/dev/null
}

@test "show: a table of who, what, decided by and result, with terminal escapes defused" {
	seed
	run claw-audit show
	assert_success
	assert_line --index 0 --regexp '^ +SEQ +TIME +DECISION +BY +RESULT +WHO +SESSION +TOOL +COMMAND$'
	assert_line --index 1 --regexp '^ +1 +[0-9T:-]+Z +allow +approval:allowlist +exit 0 +operator +agent:main:main +exec +git status$'
	assert_line --index 2 --regexp ' deny +claw-approve +not run +telegram:42 +agent:main:telegram:direct:42 +exec +rm -rf ~\\x1b\]0;pwned\\x07$'
	assert_line --index 4 --regexp ' allow +policy:global '
	refute_output --partial $'\x1b'
}

@test "show: filters by session, agent, tool, decision and time; --last; --json gives the records" {
	seed
	run claw-audit show --json --decision deny
	assert_success
	assert_equal "$(jqr -s -c 'map(.id)')" '["2","3"]'
	run claw-audit show --json --session agent:main:telegram:direct:42 --tool browser
	assert_equal "$(jqr -s -c 'map(.id)')" '["3"]'
	run claw-audit show --json --agent ops
	assert_equal "$(jqr -s -c 'map(.id)')" '["4"]'
	run claw-audit show --json --since 1h
	assert_equal "$(jqr -s 'length')" 4
	run claw-audit show --json --since 2999-01-01
	assert_output ""
	run claw-audit show --json --since @0 --last 2
	assert_equal "$(jqr -s -c 'map(.id)')" '["3","4"]'
	run claw-audit show --last 1
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 2
}

@test "sessions: every session with counts and last activity" {
	seed
	run claw-audit sessions --json
	assert_success
	assert_equal "$(jqr -c 'map(select(.session == "agent:main:telegram:direct:42"))[0] | [.agent, .records, .allowed, .denied]')" '["main",2,0,2]'
	assert_equal "$(jqr 'length')" 3
	run claw-audit sessions
	assert_line --index 0 --regexp '^SESSION +AGENT +RECORDS +ALLOWED +DENIED +LAST$'
	assert_line --regexp '^agent:ops:main +ops +1 +1 +0 +[0-9T:-]+Z$'
}

# ---- write-ahead: nothing runs that the log does not hold (claw-record(7)) ----

# decided CMD: an exec request of the operator for CMD, through claw-session and the log.
decided() {
	jq -cn --arg c "$1" '{tool: "exec", args: {command: $c}}' | claw-session | claw-audit log
}

# sandbox_runs LINE: LINE to claw-sandbox; $output is what it passed on.
sandbox_runs() {
	run bash -c 'printf "%s\n" "$1" | claw-sandbox' sh "$1"
}

@test "the log stage syncs a record before it passes it on, and logs all it is given when its reader goes" {
	records 5000 >"$BATS_TEST_TMPDIR/in"
	run bash -c 'claw-audit log <"$1" | head -n 1' sh "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_equal "$(jq -r .id <<<"$output")" r1
	run claw-audit verify
	assert_success
	assert_output --partial "intact, 5000 entries"
}

@test "claw-sandbox runs a logged decision once, between its start and end entries" {
	line=$(decided "touch $BATS_TEST_TMPDIR/ran")
	sandbox_runs "$line"
	assert_success
	assert_equal "$(jq -r '.result.exit, .audit.seq' <<<"$output" | paste -sd ' ')" "0 1"
	[ -e "$BATS_TEST_TMPDIR/ran" ]
	hash=$(jq -r .audit.hash <<<"$line")
	assert_equal "$(sed -n 2p "$LOG" | jq -c '[.start.decision, .start.hash == "'"$hash"'", .sandbox.where, .audit.seq]')" '[1,true,"host",2]'
	assert_equal "$(sed -n 3p "$LOG" | jq -c '[.end.decision, .end.hash == "'"$hash"'", .result.exit, .audit.seq]')" '[1,true,0,3]'
	# The same line again: a replay. Refused, and nothing more is logged.
	rm "$BATS_TEST_TMPDIR/ran"
	sandbox_runs "$line"
	assert_success
	assert_equal "$(jq -r .deny.by <<<"$output")" claw-sandbox
	assert_output --partial "was started already (seq 2): a decision runs once"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	[ "$(wc -l <"$LOG")" -eq 3 ]
	run claw-audit verify
	assert_success
}

@test "claw-sandbox refuses what the log does not hold: no audit member, a forged one, an edited record, another log" {
	for bad in none forged edited other; do
		line=$(decided "touch $BATS_TEST_TMPDIR/ran-$bad")
		case $bad in
		none) line=$(jq -c 'del(.audit)' <<<"$line") ;;
		forged)
			# A well-formed member with a matching hash, for a seq the log does not have.
			body=$(jq -c '.audit = null' <<<"$line" | sed 's/,"audit":null}$//')
			pre="$body,\"audit\":{\"seq\":99,\"ts\":\"2026-01-01T00:00:00.000Z\",\"prev\":\"$(printf '0%.0s' $(seq 64))\""
			line="$pre,\"hash\":\"$(printf '%s' "$pre" | sha256sum | cut -c1-64)\"}}"
			;;
		edited) line=${line/ran-edited/ran-edited; touch $BATS_TEST_TMPDIR/ran-edited} ;;
		other)
			jq -cn --arg c "touch $BATS_TEST_TMPDIR/ran-other" '{tool: "exec", args: {command: $c}}' |
				claw-session | claw-audit log --log "$BATS_TEST_TMPDIR/other.jsonl" >"$BATS_TEST_TMPDIR/l"
			line=$(cat "$BATS_TEST_TMPDIR/l")
			;;
		esac
		sandbox_runs "$line"
		assert_success
		assert_equal "$(jq -r .deny.by <<<"$output")" claw-sandbox
		assert_equal "$(jq -r .result <<<"$output")" null
		[ ! -e "$BATS_TEST_TMPDIR/ran-$bad" ]
	done
	# The log itself says nothing ran: no start, no end.
	assert_equal "$(grep -c '^{"start"' "$LOG" || true)" 0
	run claw-audit verify
	assert_success
}

@test "the same decision to two claw-sandbox at once runs once" {
	decided "sh -c 'echo x >> $BATS_TEST_TMPDIR/count'" >"$BATS_TEST_TMPDIR/l"
	claw-sandbox <"$BATS_TEST_TMPDIR/l" >"$BATS_TEST_TMPDIR/a" &
	claw-sandbox <"$BATS_TEST_TMPDIR/l" >"$BATS_TEST_TMPDIR/b" &
	wait
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/count")" 1
	assert_equal "$(cat "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b" | jq -r '.result.exit // .deny.by' | sort | paste -sd ' ')" "0 claw-sandbox"
	assert_equal "$(grep -c '^{"start"' "$LOG")" 1
}

@test "a run that never reports back: verify and show say started, no result" {
	mkfifo "$BATS_TEST_TMPDIR/started"
	line=$(decided "sh -c 'echo \$\$ > $BATS_TEST_TMPDIR/started; exec sleep 600'")
	printf '%s\n' "$line" | claw-sandbox >/dev/null 2>&1 &
	sandbox=$!
	read -r -t 30 cmd <"$BATS_TEST_TMPDIR/started"
	kill -9 "$sandbox"
	wait "$sandbox" || true
	kill "$cmd"
	seq=$(jq -r .audit.seq <<<"$line")
	run claw-audit verify
	assert_success
	assert_output --partial "started, no result: decision seq $seq"
	run claw-audit verify --json
	assert_equal "$(jqr -c '.startedNoResult | [.count, .runs[0].decision]')" "[1,$seq]"
	run claw-audit show
	assert_line --regexp "^ +$seq .* started, no result "
	# --json: the decision, then its start entry.
	run claw-audit show --json --last 1
	assert_equal "$(jqr -s -c 'map(keys_unsorted[0])')" '["tool","start"]'
}

@test "claw-sandbox exec logs its own decision, start and end; a log it cannot write runs nothing" {
	run claw-sandbox exec -- true
	assert_success
	assert_equal "$(jq -c -s 'map(keys_unsorted[0])' "$LOG")" '["id","start","end"]'
	assert_equal "$(jq -r -s '.[0].by, (.[0].args.argv | join(" ")), .[1].start.decision, .[2].end.decision, .[2].result.exit' "$LOG" | paste -sd ' ')" "claw-sandbox exec true 1 1 0"
	echo '{"foreign":true}' >>"$LOG"
	run claw-sandbox exec -- touch "$BATS_TEST_TMPDIR/ran"
	assert_failure 125
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	claw-sandbox rm --all >/dev/null
}
