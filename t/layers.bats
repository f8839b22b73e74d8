#!/usr/bin/env bats
# t/layers (make layers): the include rules of lib/ hold on this tree, and a
# breach of either rule is found and named.

load helper

LAYERS="$BATS_TEST_DIRNAME/layers"

# tree FILE:INCLUDE...: a scratch lib/ where FILE includes INCLUDE.
tree() {
	root="$BATS_TEST_TMPDIR/tree"
	rm -rf "$root"
	for pair in "$@"; do
		mkdir -p "$root/lib/$(dirname "${pair%%:*}")"
		printf '#include "%s"\n' "${pair#*:}" >>"$root/lib/${pair%%:*}"
	done
}

@test "this tree keeps the layering rules" {
	run "$LAYERS"
	assert_success
	assert_output ""
}

@test "a lower stage including a higher one is named, with the order" {
	tree core/a.c:core/a.h core/a.h:session/b.h session/b.h:core/util.h
	run "$LAYERS" "$root"
	assert_failure
	assert_output --partial "lib/core/a.h: includes session/b.h: core is a lower stage than session"
}

@test "a cycle is named, through a third module and a .c file too" {
	tree ask/ask.c:ask/tty.h ask/tty.h:ask/x.h ask/x.c:ask/ask.h ask/ask.h:core/util.h
	run "$LAYERS" "$root"
	assert_failure
	assert_output --partial "include cycle: "
	assert_output --partial "ask/ask -> ask/tty -> ask/x -> ask/ask"
}

@test "an internal header FOO-int.h is FOO's own, and a header outside the stage folders is refused" {
	tree policy/p.c:policy/p-int.h policy/p-int.h:policy/p.h policy/p.h:core/util.h
	run "$LAYERS" "$root"
	assert_success
	tree audit/a.c:util.h
	run "$LAYERS" "$root"
	assert_failure
	assert_output --partial 'lib/audit/a.c: includes "util.h": name a header as FOLDER/NAME.h'
}
