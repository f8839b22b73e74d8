#!/usr/bin/env bats
# Finding and reading the config: OpenClaw's paths, JSON5, and errors as FILE:LINE:COL.

load helper

# The session key claw-session computes for a telegram DM from peer 1: tells
# which dmScope the loaded config has.
dm_key() {
	run claw-session "$@" key --channel telegram --chat direct --peer 1
}

@test "no config file: the embedded secure preset" {
	dm_key
	assert_success
	assert_output "agent:main:telegram:direct:1"
}

@test "the config is read from <state>/openclaw.json" {
	write_config <<<'{ session: { dmScope: "per-peer" } }'
	dm_key
	assert_output "agent:main:direct:1"
}

@test "OPENCLAW_STATE_DIR and --state-dir choose the state dir" {
	mkdir -p "$BATS_TEST_TMPDIR/other"
	echo '{ session: { dmScope: "main" } }' > "$BATS_TEST_TMPDIR/other/openclaw.json"
	OPENCLAW_STATE_DIR="$BATS_TEST_TMPDIR/other" dm_key
	assert_output "agent:main:main"
	dm_key --state-dir "$BATS_TEST_TMPDIR/other"
	assert_output "agent:main:main"
}

@test "OPENCLAW_CONFIG_PATH and --config choose the file; --config wins" {
	echo '{ session: { dmScope: "main" } }' > "$BATS_TEST_TMPDIR/a.json"
	echo '{ session: { dmScope: "per-peer" } }' > "$BATS_TEST_TMPDIR/b.json"
	OPENCLAW_CONFIG_PATH="$BATS_TEST_TMPDIR/a.json" dm_key
	assert_output "agent:main:main"
	OPENCLAW_CONFIG_PATH="$BATS_TEST_TMPDIR/a.json" dm_key --config "$BATS_TEST_TMPDIR/b.json"
	assert_output "agent:main:direct:1"
}

@test "~ in OPENCLAW_STATE_DIR means the home directory" {
	mkdir -p "$HOME/oc"
	echo '{ session: { dmScope: "main" } }' > "$HOME/oc/openclaw.json"
	OPENCLAW_STATE_DIR='~/oc' dm_key
	assert_output "agent:main:main"
}

@test "without any setting the state dir is ~/.openclaw" {
	unset OPENCLAW_STATE_DIR
	mkdir -p "$HOME/.openclaw"
	echo '{ session: { dmScope: "main" } }' > "$HOME/.openclaw/openclaw.json"
	dm_key
	assert_output "agent:main:main"
}

@test "--config and --state-dir work after the subcommand too" {
	echo '{ session: { dmScope: "main" } }' > "$BATS_TEST_TMPDIR/a.json"
	run claw-session key --config "$BATS_TEST_TMPDIR/a.json" --channel telegram --chat direct --peer 1
	assert_output "agent:main:main"
	run claw-session key --channel telegram --chat direct --peer 1 --config="$BATS_TEST_TMPDIR/a.json"
	assert_output "agent:main:main"
}

@test "a --config that names a missing file is an error, not the preset" {
	run claw-session --config "$BATS_TEST_TMPDIR/nope.json" </dev/null
	assert_failure 2
	assert_output "claw-session: $BATS_TEST_TMPDIR/nope.json: no such config file"
}

@test "JSON5: comments, trailing commas, unquoted keys, single quotes, numbers" {
	write_config <<'EOF'
// OpenClaw writes JSON5
{
  /* block
     comment */
  session: {
    'dmScope': 'per-peer',   // single quotes
    "mainKey": "ma\
in",
  },
  agents: { defaults: { sandbox: { mode: 'all', prune: { idleHours: 0x18, maxAgeDays: +7. } } } },
  // A section claw does not read: only its name is checked.
  ui: { $weird_key: [1, 2, 3,], x: .5e1, y: Infinity, z: -NaN },
}
EOF
	dm_key
	assert_success
	assert_output "agent:main:direct:1"
}

@test "JSON5 syntax errors: FILE:LINE:COL, exit 2, nothing read" {
	write_config <<'EOF'
{
  session: {
    dmScope: "per-peer"
    mainKey: "x",
  },
}
EOF
	run bash -c 'echo "{}" | claw-session'
	assert_failure 2
	assert_output "claw-session: $CONFIG:4:5: expected ',' or '}' in object"
}

@test "JSON5 errors: each kind has its message and position" {
	local cases=(
		$'{ a: 01 }|1:7: numbers cannot have leading zeros'
		$'{ a: "x\n" }|1:8: line break inside a string (escape it)'
		$'{ a: 1, a: 2 }|1:9: duplicate member "a"'
		$'{ a: "\\u0000" }|1:13: NUL character in string'
		$'{ a: \'unterminated }|1:21: unterminated string'
		$'/* never closed|1:16: unterminated /* comment'
		$'{ a: tru }|1:6: unexpected character, expected a value'
		$'{ a: 1 } x|1:10: unexpected text after the end of the document'
		$'[1, 2]|1:1: the config must be an object ({ ... })'
		$'|1:1: unexpected end of input, expected a value'
		$'{ "\\ud800": 1 }|1:10: high surrogate without its low half in \\u escape'
	)
	for c in "${cases[@]}"; do
		printf '%s' "${c%%|*}" > "$CONFIG"
		run claw-session key
		assert_failure 2
		assert_output "claw-session: $CONFIG:${c#*|}"
	done
}

@test "deep nesting is an error, not a crash" {
	python3 -c 'print("{a:" + "[" * 5000 + "]" * 5000 + "}")' > "$CONFIG"
	run claw-session key
	assert_failure 2
	assert_output --partial "nested too deeply"
}

@test "positions count characters, not bytes" {
	printf '{ ui: { "é€": 1 }, session: { dmScope: "bogus" } }' > "$CONFIG"
	run claw-session key
	assert_failure 2
	assert_output --partial "$CONFIG:1:40: session.dmScope: \"bogus\" is not one of"
}

@test "config value errors: FILE:LINE:COL before any record is read" {
	write_config <<'EOF'
{
  session: {
    dmScope: "per-sender",
  },
}
EOF
	run bash -c 'echo "{}" | claw-session'
	assert_failure 2
	assert_output "claw-session: $CONFIG:3:14: session.dmScope: \"per-sender\" is not one of main, per-peer, per-channel-peer, per-account-channel-peer"
}

@test "config type errors name the key" {
	local cases=(
		'{ session: 3 }|1:12: session: expected an object, got a number'
		'{ session: { mainKey: 5 } }|1:23: session.mainKey: expected a string, got a number'
		'{ session: { identityLinks: { a: "x" } } }|1:34: session.identityLinks.a: expected a list, got a string'
		'{ session: { groupScope: "all" } }|1:26: session.groupScope: "all" is not one of main, per-group'
		'{ agents: { defaults: { sandbox: { mode: "some" } } } }|1:42: agents.defaults.sandbox.mode: "some" is not one of off, non-main, all'
		'{ agents: { list: [ { id: "a", sandbox: { mode: "al" } } ] } }|1:49: agents.list[0].sandbox.mode: "al" is not one of off, non-main, all (did you mean "all"?)'
		'{ agents: { list: [ { id: 1 } ] } }|1:27: agents.list[0].id: expected a string, got a number'
		'{ agents: { list: [ { name: "x" } ] } }|1:21: agents.list entry without an id'
		'{ agents: { entries: { Work: {} } } }|1:24: agents.entries: the key "Work" does not match /^[a-z0-9_][a-z0-9_-]{0,63}$/'
		'{ bindings: [ { agentId: "a", match: { channel: "telegram", peer: { kind: "room", id: "1" } } } ] }|1:75: bindings[0].match.peer.kind: "room" is not one of direct, group, channel'
		'{ channels: { telegram: { allowFrom: [ true ] } } }|1:40: channels.telegram.allowFrom[0]: expected a string or a number, got true'
		'{ tools: { exec: { timeoutSeconds: -1 } } }|1:36: tools.exec.timeoutSeconds: -1 is too small (it must be more than 0)'
		'{ tools: { exec: { timeoutSeconds: 1.5 } } }|1:36: tools.exec.timeoutSeconds: expected a whole number, got 1.5'
	)
	for c in "${cases[@]}"; do
		printf '%s' "${c%%|*}" > "$CONFIG"
		run claw-session key
		assert_failure 2
		assert_output "claw-session: $CONFIG:${c#*|}"
	done
}

@test "a config that is a directory, unreadable or binary is an error" {
	mkdir "$CONFIG"
	run claw-session key
	assert_failure 2
	assert_output --partial "$CONFIG"
	rmdir "$CONFIG"
	printf '{ a: 1 \0 }' > "$CONFIG"
	run claw-session key
	assert_failure 2
	assert_output "claw-session: $CONFIG:1:8: NUL byte in file"
}

@test "the shipped presets all load" {
	for p in personal secure public dev; do
		[ -f "$BATS_TEST_DIRNAME/../share/claw/presets/$p.json5" ]
		run claw-session --config "$BATS_TEST_DIRNAME/../share/claw/presets/$p.json5" key
		assert_success
	done
}
