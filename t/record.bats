#!/usr/bin/env bats
# The record stream every filter shares, exercised through claw-session.

load helper

# Each bad line: an error record naming the line, a message on stderr, exit 1,
# and the next line still processed.
bad_line() {
	local line=$1 message=$2
	run bash -c 'printf "%s\n{\"id\":\"after\"}\n" "$1" | claw-session 2>"$BATS_TEST_TMPDIR/err"' _ "$line"
	assert_failure 1
	assert_equal "$(jqr -s 'length')" "2"
	assert_equal "$(jqr -s '.[0].error.by')" "claw-session"
	assert_equal "$(jqr -s '.[0].error.line')" "1"
	assert_equal "$(jqr -s '.[0].deny.by')" "claw-session"
	assert_equal "$(jqr -s '.[0].deny.reason | startswith("invalid record: ")')" "true"
	assert_equal "$(jqr -s '.[1].id')" "after"
	assert_equal "$(jqr -s '.[1].session.key')" "agent:main:main"
	run jq -rs '.[0].error.message' <<<"$output"
	assert_output --partial "$message"
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output --partial "claw-session: line 1: $message"
}

@test "malformed JSON is an error record, and the stream goes on" {
	bad_line '{"tool": "exec",' "not valid JSON"
}

@test "a line that is not an object is an error record" {
	bad_line '["exec"]' "a record must be a JSON object"
	bad_line '"exec"' "a record must be a JSON object"
	bad_line '42' "a record must be a JSON object"
}

@test "text after the JSON value is an error record" {
	bad_line '{"a":1} {"b":2}' "text after the JSON value"
}

@test "duplicate members are refused, at any depth" {
	bad_line '{"tool":"read","tool":"exec"}' 'duplicate member "tool"'
	bad_line '{"args":{"command":"ls","command":"rm -rf /"}}' 'duplicate member "command"'
}

@test "duplicate members are found in objects of any size" {
	local wide='"m1":1' i
	for i in $(seq 2 40); do wide="$wide,\"m$i\":$i"; done
	bad_line "{$wide,\"m3\":0}" 'duplicate member "m3"'
	bad_line "{$wide,\"m39\":0}" 'duplicate member "m39"'
	bad_line "{\"args\":{$wide,\"m40\":0}}" 'duplicate member "m40"'
	bad_line '{"to\u006fl":"read","tool":"exec"}' 'duplicate member "tool"'
	run bash -c 'printf "%s\n" "{$1}" | claw-session' _ "$wide"
	assert_success
}

@test "escapes are decoded before a stage reads a member" {
	run bash -c "printf '%s\n' '{\"agent\":\"m\\u0061in\",\"origin\":{\"channel\":\"tele\\/gram\",\"peer\":\"a\\\"b\"}}' | claw-session"
	assert_success
	assert_equal "$(jqr '.session.agent')" "main"
	assert_equal "$(jqr '.session.key')" 'agent:main:tele/gram:direct:a"b'
}

@test "nesting deeper than 1000 levels is an error record" {
	local deep
	deep=$(printf '[%.0s' $(seq 1001))$(printf ']%.0s' $(seq 1001))
	bad_line "{\"a\":$deep}" "nested more than 1000 deep"
}

@test "invalid UTF-8 is an error record" {
	bad_line $'{"a":"\xc3\x28"}' "invalid UTF-8 at byte 7"
	bad_line $'{"a":"\xed\xa0\x80"}' "invalid UTF-8"
	bad_line $'{"a":"\xc0\xaf"}' "invalid UTF-8"
	bad_line $'{"a":"\xf4\x90\x80\x80"}' "invalid UTF-8"
}

@test "NUL, escaped or raw, never reaches a C string" {
	bad_line '{"args":{"command":"ls\u0000; rm -rf ~"}}' '\u0000 inside a string'
	run bash -c 'printf "{\"a\":\"x\0y\"}\n{\"id\":\"after\"}\n" | claw-session'
	assert_failure 1
	assert_output --partial "NUL byte at byte 8"
	assert_output --partial '"id":"after"'
	run bash -c 'printf "{\"a\":1}\0\n" | claw-session'
	assert_failure 1
	assert_output --partial "NUL byte at byte 8"
}

@test "raw control characters inside strings are refused; tabs between tokens are fine" {
	bad_line $'{"a":"x\ty"}' "control character at byte 8"
	bad_line $'{"a":"x\x01y"}' "control character"
	run bash -c "printf '{\"a\":\t1}\n' | claw-session"
	assert_success
}

@test "broken surrogate escapes are refused" {
	bad_line '{"a":"\ud800"}' "lone high surrogate"
	bad_line '{"a":"\udc00x"}' "lone low surrogate"
	run bash -c "printf '%s\n' '{\"a\":\"\\ud83d\\ude00\"}' | claw-session"
	assert_success
}

@test "wrong member types are error records naming the member" {
	bad_line '{"agent":7}' 'member "agent" must be a string'
	bad_line '{"origin":"telegram"}' 'member "origin" must be an object'
	bad_line '{"origin":{"channel":1}}' 'origin: member "channel" must be a string'
	bad_line '{"origin":{"peer":1.5}}' 'origin: member "peer" must be a string or a whole number'
	bad_line '{"origin":{"owner":"yes"}}' 'origin: member "owner" must be true or false'
	bad_line '{"id":["x"]}' 'member "id" must be a string'
}

@test "unknown chat kinds are error records" {
	bad_line '{"origin":{"channel":"telegram","chat":"room","peer":"1"}}' 'origin: unknown chat kind "room"'
}

@test "an error record keeps the record's id when it has one" {
	run bash -c 'echo "{\"id\":\"r9\",\"agent\":false}" | claw-session 2>/dev/null'
	assert_failure 1
	assert_equal "$(jqr .id)" "r9"
	assert_equal "$(jqr .error.line)" "1"
}

@test "over-long lines are error records; memory does not follow the line" {
	run bash -c 'python3 -c "import sys; sys.stdout.write(\"{\\\"a\\\":\\\"\" + \"x\" * 3000000 + \"\\\"}\\n{\\\"id\\\":\\\"after\\\"}\\n\")" | claw-session 2>/dev/null'
	assert_failure 1
	assert_equal "$(jqr -s 'length')" "2"
	assert_equal "$(jqr -s '.[0].error.message')" "record is longer than 1048576 bytes"
	assert_equal "$(jqr -s '.[0].error.line')" "1"
	assert_equal "$(jqr -s '.[1].id')" "after"
}

@test "--max-record sets the limit" {
	run bash -c 'printf "%s\n" "{\"a\":\"0123456789\"}" "{\"b\":1}" | claw-session --max-record 12 2>/dev/null'
	assert_failure 1
	assert_equal "$(jqr -s '.[0].error.message')" "record is longer than 12 bytes"
	assert_equal "$(jqr -s '.[1].b')" "1"
}

@test "line numbers count every line, blank ones included; blank lines are skipped" {
	run bash -c 'printf "{}\n\n   \n{\n{}\n" | claw-session 2>/dev/null'
	assert_failure 1
	assert_equal "$(jqr -s 'length')" "3"
	assert_equal "$(jqr -s '.[1].error.line')" "4"
}

@test "a last line without a newline is still a record" {
	run bash -c 'printf "{\"id\":\"a\"}\n{\"id\":\"b\"}" | claw-session'
	assert_success
	assert_equal "$(jqr -s -c 'map(.id)')" '["a","b"]'
}

@test "CRLF line ends are accepted" {
	run bash -c 'printf "{\"id\":\"a\"}\r\n" | claw-session'
	assert_success
	assert_equal "$(jqr .id)" "a"
}

@test "an empty object gains members without a stray comma" {
	run bash -c 'echo "{}" | claw-session'
	assert_success
	assert_output --regexp '^\{"id":"'
}

@test "escaped member names are recognised: a forged \\u0073ession is still replaced" {
	run bash -c "printf '%s\n' '{\"\\u0073ession\":{\"key\":\"agent:main:main\"},\"origin\":{\"channel\":\"x\",\"chat\":\"group\",\"peer\":\"g\"}}' | claw-session"
	assert_success
	assert_equal "$(jqr .session.key)" "agent:main:x:group:g"
	refute_output --partial 'u0073ession'
}

@test "output is flushed when input pauses: one record in, one record out" {
	coproc CS { claw-session; }
	local pid=$CS_PID in=${CS[1]} out=${CS[0]}
	echo '{"id":"first"}' >&"$in"
	IFS= read -r -t 10 line <&"$out"
	assert_equal "$(printf '%s' "$line" | jq -r .id)" "first"
	# The stream is still open: the record came out because input paused.
	kill -0 "$pid"
	exec {in}>&-
	wait "$pid" || true
}

@test "an empty stream is fine" {
	run claw-session </dev/null
	assert_success
	assert_output ""
}

@test "usage errors exit 2 and point to --help" {
	run claw-session --bogus
	assert_failure 2
	assert_output --partial "Try 'claw-session --help'."
	run claw-session frobnicate
	assert_failure 2
	assert_output --partial 'unknown subcommand "frobnicate"'
	run claw-session --max-record 0
	assert_failure 2
}

@test "--help and --version" {
	run claw-session --help
	assert_success
	assert_output --partial "usage: claw-session"
	run claw-session --version
	assert_success
	assert_output --regexp '^claw-session [0-9]+\.[0-9]+\.[0-9]+$'
}
