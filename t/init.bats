#!/usr/bin/env bats
# claw init: a config and an approvals file from a preset, never clobbering.

load helper

mode_of() {
	stat -c %a "$1"
}

@test "claw init writes the secure preset by default, owner-only" {
	rmdir "$OPENCLAW_STATE_DIR"
	run claw init
	assert_success
	assert_output --partial "wrote $CONFIG (preset secure)"
	assert_equal "$(mode_of "$OPENCLAW_STATE_DIR")" "700"
	assert_equal "$(mode_of "$CONFIG")" "600"
	assert_equal "$(mode_of "$OPENCLAW_STATE_DIR/exec-approvals.json")" "600"
	run claw-session key --channel telegram --chat direct --peer 1
	assert_output "agent:main:telegram:direct:1"
	run jq -r '.version, .defaults.askFallback' "$OPENCLAW_STATE_DIR/exec-approvals.json"
	assert_output $'1\ndeny'
	grep -q 'sandbox' "$CONFIG"
	grep -q '^// claw preset "secure"' "$CONFIG"
}

@test "claw init tightens an existing state dir to 0700" {
	chmod 755 "$OPENCLAW_STATE_DIR"
	run claw init --preset personal
	assert_success
	assert_equal "$(mode_of "$OPENCLAW_STATE_DIR")" "700"
}

@test "claw init refuses to overwrite, and writes nothing at all then" {
	echo '{ session: { dmScope: "main" } }' > "$CONFIG"
	run claw init
	assert_failure 1
	assert_output --partial "$CONFIG exists; nothing written"
	[ ! -e "$OPENCLAW_STATE_DIR/exec-approvals.json" ]
	assert_equal "$(cat "$CONFIG")" '{ session: { dmScope: "main" } }'
	echo '{"version":1}' > "$OPENCLAW_STATE_DIR/exec-approvals.json"
	rm "$CONFIG"
	run claw init
	assert_failure 1
	[ ! -e "$CONFIG" ]
}

@test "claw init --force replaces both files and keeps backups with their modes" {
	echo '{ session: { dmScope: "main" } }' > "$CONFIG"
	chmod 640 "$CONFIG"
	echo '{"version":1,"agents":{}}' > "$OPENCLAW_STATE_DIR/exec-approvals.json"
	run claw init --preset public --force
	assert_success
	assert_line "kept $CONFIG.bak.1"
	assert_equal "$(cat "$CONFIG.bak.1")" '{ session: { dmScope: "main" } }'
	assert_equal "$(mode_of "$CONFIG.bak.1")" "640"
	assert_equal "$(cat "$OPENCLAW_STATE_DIR/exec-approvals.json.bak.1")" '{"version":1,"agents":{}}'
	assert_equal "$(mode_of "$CONFIG")" "600"
	run jq -r .defaults.security "$OPENCLAW_STATE_DIR/exec-approvals.json"
	assert_output "deny"
}

@test "claw init --force twice, or then claw-audit check --fix, never loses the original" {
	echo '{ session: { dmScope: "main" } } // mine' > "$CONFIG"
	cp "$CONFIG" "$BATS_TEST_TMPDIR/orig"
	run claw init --preset personal --force
	assert_success
	cp "$CONFIG" "$BATS_TEST_TMPDIR/personal"
	run claw init --preset secure --force
	assert_success
	assert_line "kept $CONFIG.bak.2"
	cmp "$CONFIG.bak.1" "$BATS_TEST_TMPDIR/orig"
	cmp "$CONFIG.bak.2" "$BATS_TEST_TMPDIR/personal"
	# A gap or a stray name never makes a backup replace another.
	echo stray > "$CONFIG.bak.7"
	echo stray > "$CONFIG.bak.x"
	run claw-audit check --fix --preset public
	assert_success
	[ -e "$CONFIG.bak.8" ]
	cmp "$CONFIG.bak.1" "$BATS_TEST_TMPDIR/orig"
	assert_equal "$(cat "$CONFIG.bak.7")" stray
	run claw-audit check --fix --preset public --json
	assert_equal "$(jq -r .fix.configWritten <<<"$output")" false
	[ ! -e "$CONFIG.bak.9" ]
}

@test "claw-audit backup: the next free number, the file's mode, and an error for a missing file" {
	echo one > "$BATS_TEST_TMPDIR/f"
	chmod 640 "$BATS_TEST_TMPDIR/f"
	run claw-audit backup "$BATS_TEST_TMPDIR/f"
	assert_success
	assert_output "$BATS_TEST_TMPDIR/f.bak.1"
	echo two > "$BATS_TEST_TMPDIR/f"
	run claw audit backup -- "$BATS_TEST_TMPDIR/f"
	assert_output "$BATS_TEST_TMPDIR/f.bak.2"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/f.bak.1") $(cat "$BATS_TEST_TMPDIR/f.bak.2")" "one two"
	assert_equal "$(mode_of "$BATS_TEST_TMPDIR/f.bak.2")" 640
	[ -z "$(ls "$BATS_TEST_TMPDIR" | grep tmp)" ]
	run claw-audit backup "$BATS_TEST_TMPDIR/none"
	assert_failure 2
	assert_output --partial "No such file"
	run claw-audit backup
	assert_failure 2
}

@test "every preset can be written and loads" {
	for p in personal secure public dev; do
		run claw init --preset "$p" --force
		assert_success
		run claw-session key
		assert_success
		run jq -e .version "$OPENCLAW_STATE_DIR/exec-approvals.json"
		assert_success
	done
}

@test "claw init --config and --state-dir choose where" {
	run claw init --state-dir "$BATS_TEST_TMPDIR/s2" --config "$BATS_TEST_TMPDIR/conf/c.json5"
	assert_success
	[ -f "$BATS_TEST_TMPDIR/conf/c.json5" ]
	[ -f "$BATS_TEST_TMPDIR/s2/exec-approvals.json" ]
	[ ! -e "$CONFIG" ]
}

@test "claw init rejects unknown presets and options" {
	run claw init --preset lax
	assert_failure 2
	assert_output --partial 'no preset "lax"'
	run claw init --preset ../secure
	assert_failure 2
	run claw init --bogus
	assert_failure 2
	[ ! -e "$CONFIG" ]
}

@test "claw init --preset dev --repos DIR: the workspace and a /repos bind, checked before writing" {
	repos="$BATS_TEST_TMPDIR/my \"repos\""
	mkdir -p "$repos"
	echo hello >"$repos/README"
	run claw init --preset dev --repos "$repos"
	assert_success
	run claw-sandbox explain --json
	assert_equal "$(jqr '.agentWorkspaceDir')" "$repos"
	run claw exec --channel telegram --peer 5 -- cat /repos/README /workspace/README
	assert_success
	assert_output $'hello\nhello'
	# Refused, and nothing written: a system path, a missing one, the wrong preset.
	rm "$CONFIG" "$CLAW_CONFIG" "$OPENCLAW_STATE_DIR/exec-approvals.json"
	run claw init --preset dev --repos /etc
	assert_failure 2
	assert_output --partial 'targets blocked path "/etc"'
	assert_output --partial "nothing written"
	[ ! -e "$CONFIG" ]
	run claw init --preset dev --repos "$BATS_TEST_TMPDIR/none"
	assert_failure 2
	run claw init --preset secure --repos "$repos"
	assert_failure 2
	assert_output --partial "--repos is for the dev preset"
	[ ! -e "$CONFIG" ]
	run claw init --preset dev
	assert_success
	assert_output --partial "no repositories are bound"
}

@test "claw init writes claw's own keys to claw.json, owner-only; openclaw.json holds only OpenClaw's" {
	for p in personal secure public dev; do
		run claw init --preset "$p" --force
		assert_success
		assert_output --partial "wrote $CLAW_CONFIG (preset $p)"
		assert_equal "$(mode_of "$CLAW_CONFIG")" "600"
		grep -q "^// claw preset \"$p\"" "$CLAW_CONFIG"
		run claw config check
		assert_success
		refute_output --partial "claw's own"
		run grep -c 'timeoutSeconds' "$CONFIG"
		assert_output 0
	done
}

@test "claw init refuses an existing claw.json, and --force keeps a backup of it" {
	echo '{ approvals: { exec: { timeoutSeconds: 9 } } }' > "$CLAW_CONFIG"
	run claw init
	assert_failure 1
	assert_output --partial "$CLAW_CONFIG exists; nothing written"
	[ ! -e "$CONFIG" ]
	run claw init --force
	assert_success
	assert_equal "$(cat "$CLAW_CONFIG.bak.1")" '{ approvals: { exec: { timeoutSeconds: 9 } } }'
}

@test "claw init --claw-config and CLAW_CONFIG_PATH choose where claw.json goes" {
	run claw init --claw-config "$BATS_TEST_TMPDIR/conf/claw.json5"
	assert_success
	[ -f "$BATS_TEST_TMPDIR/conf/claw.json5" ]
	[ ! -e "$CLAW_CONFIG" ]
	rm "$CONFIG" "$OPENCLAW_STATE_DIR/exec-approvals.json"
	CLAW_CONFIG_PATH="$BATS_TEST_TMPDIR/env.json5" run claw init
	assert_success
	[ -f "$BATS_TEST_TMPDIR/env.json5" ]
	[ ! -e "$CLAW_CONFIG" ]
}
