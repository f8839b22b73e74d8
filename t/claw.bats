#!/usr/bin/env bats
# claw, the POSIX-sh porcelain: dispatch, help, version, doctor.

load helper

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
