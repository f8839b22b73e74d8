#!/usr/bin/env bats
# The schema tables, key by key: OpenClaw's (generated from its own schema by
# share/claw/schema-gen) and claw's own (lib/core/clawkeys.c).

load helper

UNIT="${CLAW_PROBES:?}/../unit"

@test "every key of both tables: accepted when right, an unknown sibling and a wrong value refused at their place" {
	run "$UNIT/schema-keys"
	assert_success
	assert_output --regexp ' 0 failures$'
	# The whole table was walked, not a corner of it.
	keys=${output%% keys:*}
	assert [ "$keys" -gt 4000 ]
}

@test "claw's keys are none of OpenClaw's, and each is documented in claw-config(5)" {
	run "$UNIT/schema-keys" -v
	assert_success
	for k in $(grep '^claw: ' <<<"$output" | sed 's/^claw: //; s/^agents\.\(defaults\|list\[0\]\|entries\.a\)\.//' | sort -u); do
		grep -qF "*$k*" "$BATS_TEST_DIRNAME/../man/claw-config.5.scd" || {
			echo "claw-config(5) does not list $k"
			return 1
		}
	done
}

@test "the schema's patterns match as JavaScript's RegExp (Unicode mode) matches them" {
	run "$UNIT/jsregex-cases"
	assert_success
	assert_output --regexp ' 0 failures$'
}

@test "string formats are checked as OpenClaw's channel validator checks them" {
	printf '{ channels: { telegram: { apiRoot: "http://exa mple.com" } } }' >"$CONFIG"
	run claw-session key
	assert_failure 2
	assert_output "claw-session: $CONFIG:1:36: channels.telegram.apiRoot: the value \"http://exa mple.com\" is not a URI"
	for uri in 'http://127.0.0.1:8081' 'x-y.z+w:rest' 'a:'; do
		printf '{ channels: { telegram: { apiRoot: "%s" } } }' "$uri" >"$CONFIG"
		run claw-session key
		assert_success
	done
}
