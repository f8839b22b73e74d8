#!/usr/bin/env bats
# Finding and reading the config: OpenClaw's paths, JSON5, and errors as FILE:LINE:COL.

load helper
bats_require_minimum_version 1.5.0

# refused 'CONFIG|POSITION: MESSAGE'...: claw-session refuses each config
# (exit 2) with that message at that place.
refused() {
	for c in "$@"; do
		printf '%s' "${c%%|*}" >"$CONFIG"
		run claw-session key
		assert_failure 2
		assert_output "claw-session: $CONFIG:${c#*|}"
	done
}

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
	refused "${cases[@]}"
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
	refused "${cases[@]}"
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

@test "the shipped presets all load, with their claw.json" {
	for p in personal secure public dev; do
		[ -f "$BATS_TEST_DIRNAME/../share/claw/presets/$p.json5" ]
		run claw-session --config "$BATS_TEST_DIRNAME/../share/claw/presets/$p.json5" \
			--claw-config "$BATS_TEST_DIRNAME/../share/claw/presets/$p.claw.json5" key
		assert_success
		assert_output "agent:main:main"
	done
}

# ---- as strictly as OpenClaw: its schema, key by key ----

@test "an unknown key or a bad value: exit 2, FILE:LINE:COL, the key and the closest valid name" {
	local cases=(
		'{ tools: { exec: { securty: "full" } } }|1:20: tools.exec: unknown key "securty" (did you mean "security"?)'
		'{ tools: { exec: { security: "allowlst" } } }|1:30: tools.exec.security: "allowlst" is not one of deny, allowlist, full (did you mean "allowlist"?)'
		'{ sesion: { dmScope: "main" } }|1:3: the top level: unknown key "sesion" (did you mean "session"?)'
		'{ agents: { defaults: { sandbox: { docker: { pidsLimit: 0 } } } } }|1:57: agents.defaults.sandbox.docker.pidsLimit: 0 is too small (it must be more than 0)'
		'{ agents: { entries: { ops: { sandbox: { scope: "sessions" } } } } }|1:49: agents.entries.ops.sandbox.scope: "sessions" is not one of session, agent, shared (did you mean "session"?)'
		'{ channels: { telegram: { dmPolicey: "open" } } }|1:27: channels.telegram: unknown key "dmPolicey" (did you mean "dmPolicy"?)'
		'{ channels: { nosuchchat: {} } }|1:15: channels: unknown key "nosuchchat" (OpenClaw refuses it too; remove it)'
		'{ approvals: { exec: { targets: [ { channel: "telegram" } ] } } }|1:35: approvals.exec.targets[0]: "to" is missing'
		'{ logging: { level: "verbose" } }|1:21: logging.level: "verbose" is not one of silent, fatal, error, warn, info, debug, trace'
		'{ security: { audit: { suppressions: [ { checkId: "" } ] } } }|1:51: security.audit.suppressions[0].checkId: the value must not be empty'
		'{ $include: "./more.json5" }|1:3: the top level: unknown key "$include" (claw does not follow OpenClaw'"'"'s $include: put the included keys in this file)'
	)
	refused "${cases[@]}"
}

@test "every command refuses such a config before it reads a record" {
	write_config <<<'{ tools: { exec: { securty: "full" } } }'
	for c in claw-session claw-policy claw-approve claw-sandbox; do
		run "$c" <<<'{"tool":"exec","args":{"command":"true"}}'
		assert_failure 2
		assert_output --partial 'unknown key "securty"'
	done
	run claw exec -- touch "$BATS_TEST_TMPDIR/ran"
	assert_failure
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "several problems: the first, and how many more; claw config check lists them all" {
	write_config <<'EOF2'
{
  tools: { exec: { securty: "full" } },
  session: { dmScope: "nobody" },
  agents: { defaults: { sandbox: { mode: 3 } } },
}
EOF2
	run claw-session key
	assert_failure 2
	assert_output "claw-session: $CONFIG:2:20: tools.exec: unknown key \"securty\" (did you mean \"security\"?) (and 2 more: claw config check lists them all)"
	run claw config check
	assert_failure 1
	assert_line --index 1 "Summary: 3 critical · 0 warn · 0 info"
	assert_line "  $CONFIG:3:23: session.dmScope: \"nobody\" is not one of main, per-peer, per-channel-peer, per-account-channel-peer"
	assert_line "  $CONFIG:4:42: agents.defaults.sandbox.mode: expected a string, got a number"
	run claw config check --json
	assert_failure 1
	assert_equal "$(jqr -c '[.findings[].checkId] | unique')" '["config.invalid"]'
	assert_equal "$(jqr '.summary.critical')" 3
	run claw-audit check --fail-on critical
	assert_failure 1
	assert_output --partial "config.invalid Config is invalid at tools.exec.securty"
}

@test "sections claw does not read are OpenClaw's: only their names are checked" {
	write_config <<<'{ gateway: { anything: { at: "all" } }, models: [1, 2], session: { dmScope: "main" } }'
	run claw-session key
	assert_success
	run claw config check
	assert_success
	write_config <<<'{ gatway: {} }'
	run claw-session key
	assert_failure 2
	assert_output --partial 'unknown key "gatway" (did you mean "gateway"?)'
}

@test "OpenClaw's legacy agents.list is read as it reads it; its entries are checked as agents.entries" {
	write_config <<<'{ agents: { list: [ { id: "work", default: true, workspace: "/w", sandbox: { mode: "all" } } ] } }'
	run claw config check
	assert_success
	write_config <<<'{ agents: { list: [ { id: "work", sandbox: { mdoe: "all" } } ] } }'
	run claw-session key
	assert_failure 2
	assert_output "claw-session: $CONFIG:1:46: agents.list[0].sandbox: unknown key \"mdoe\" (did you mean \"mode\"?)"
}

# ---- claw.json: claw's own keys ----

@test "claw.json is read beside openclaw.json, at the same key paths" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all" } } } }'
	write_claw_config <<<'{ agents: { defaults: { sandbox: { native: { landlock: "off" } } } } }'
	run claw-sandbox explain --json
	assert_success
	assert_equal "$(jqr -c '.settings[] | select(.key == "native.landlock") | [.value, .from]')" '["off","agents.defaults.sandbox.native.landlock"]'
	assert_equal "$(jqr -r '.settings[] | select(.key == "mode") | .value')" all
	run claw config check
	assert_success
}

@test "a claw key in openclaw.json still works, with a warning naming it and saying OpenClaw refuses the file" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", native: { landlock: "off" } } } } }'
	run --separate-stderr claw-sandbox explain --json
	assert_success
	assert_equal "$(jqr -r '.settings[] | select(.key == "native.landlock") | .value')" off
	assert_equal "$stderr" "claw-sandbox: warning: $CONFIG:1:49: agents.defaults.sandbox.native is claw's own setting, and OpenClaw 2026.9.6 refuses a file that holds it: move it to $CLAW_CONFIG (claw-audit check --fix moves it)"
	run claw config check --json
	assert_failure 1
	assert_equal "$(jqr -r '.findings[0] | "\(.checkId) \(.severity)"')" "config.claw_key_in_openclaw_json critical"
}

@test "an OpenClaw key in claw.json is refused with the fix; so is a key nobody has" {
	write_claw_config <<<'{ session: { dmScope: "main" } }'
	run claw-session key
	assert_failure 2
	assert_output "claw-session: $CLAW_CONFIG:1:3: session is OpenClaw's setting, not claw's: move it to $CONFIG (claw reads both files, OpenClaw only that one)"
	write_claw_config <<<'{ approvals: { exec: { timeoutSecs: 5 } } }'
	run claw-session key
	assert_failure 2
	assert_output "claw-session: $CLAW_CONFIG:1:24: approvals.exec: unknown key \"timeoutSecs\" (did you mean \"timeoutSeconds\"?)"
	write_claw_config <<<'{ approvals: { exec: { timeoutSeconds: 0 } } }'
	run claw-session key
	assert_failure 2
	assert_output "claw-session: $CLAW_CONFIG:1:40: approvals.exec.timeoutSeconds: 0 is out of range (more than 0, at most 604800)"
	write_claw_config <<<'{ agents: { defaults: { sandbox: { native: { landlock: "yes" } } } } }'
	run claw-session key
	assert_failure 2
	assert_output "claw-session: $CLAW_CONFIG:1:56: agents.defaults.sandbox.native.landlock: \"yes\" is not one of auto, required, off"
}

@test "claw.json names agents by the id they have in openclaw.json, and cannot add one" {
	write_config <<<'{ agents: { list: [ { id: "main", default: true }, { id: "ops", sandbox: { mode: "all" } } ] } }'
	write_claw_config <<<'{ agents: { list: [ { id: "OPS", sandbox: { native: { landlock: "off" } } } ], entries: { main: { sandbox: { native: { pts: true } } } } } }'
	run claw-sandbox explain --json --agent ops
	assert_success
	assert_equal "$(jqr -r '.settings[] | select(.key == "native.landlock") | .value')" off
	run claw-sandbox explain --json --agent main
	assert_equal "$(jqr -r '.settings[] | select(.key == "native.pts") | .value')" true
	assert_equal "$(jqr -r '.settings[] | select(.key == "native.landlock") | .value')" auto
	write_claw_config <<<'{ agents: { list: [ { id: "ghost", sandbox: { native: { pts: true } } } ] } }'
	run claw-session key
	assert_failure 2
	assert_output --partial "$CLAW_CONFIG:1:21: agents.list[0]: openclaw.json has no agent \"ghost\""
	write_claw_config <<<'{ agents: { list: [ { sandbox: { native: { pts: true } } } ] } }'
	run claw-session key
	assert_failure 2
	assert_output --partial 'agents.list[0]: needs the "id" of the agent of openclaw.json it sets'
}

@test "precedence: claw.json's value wins over a claw key left in openclaw.json" {
	write_config <<<'{ agents: { defaults: { sandbox: { native: { landlock: "off", pts: true } } } } }'
	write_claw_config <<<'{ agents: { defaults: { sandbox: { native: { landlock: "required" } } } } }'
	run --separate-stderr claw-sandbox explain --json
	assert_equal "$(jqr -c '[.settings[] | select(.key == "native.landlock" or .key == "native.pts") | .value]')" '["required",true]'
}

@test "precedence: --claw-config, then CLAW_CONFIG_PATH, then <state>/claw.json; before or after the subcommand" {
	write_claw_config <<<'{ agents: { defaults: { sandbox: { native: { landlock: "off" } } } } }'
	echo '{ agents: { defaults: { sandbox: { native: { landlock: "required" } } } } }' > "$BATS_TEST_TMPDIR/env.json"
	echo '{ agents: { defaults: { sandbox: { native: { landlock: "auto", pts: true } } } } }' > "$BATS_TEST_TMPDIR/opt.json"
	landlock() {
		jqr -r '.settings[] | select(.key == "native.landlock") | .value'
	}
	run claw-sandbox explain --json
	assert_equal "$(landlock)" off
	CLAW_CONFIG_PATH="$BATS_TEST_TMPDIR/env.json" run claw-sandbox explain --json
	assert_equal "$(landlock)" required
	CLAW_CONFIG_PATH="$BATS_TEST_TMPDIR/env.json" run claw-sandbox --claw-config "$BATS_TEST_TMPDIR/opt.json" explain --json
	assert_equal "$(landlock)" auto
	run claw-sandbox explain --json --claw-config="$BATS_TEST_TMPDIR/opt.json"
	assert_equal "$(landlock)" auto
	run claw-session key --claw-config "$BATS_TEST_TMPDIR/nope.json"
	assert_failure 2
	assert_output "claw-session: $BATS_TEST_TMPDIR/nope.json: no such claw config file"
	run claw exec --claw-config "$BATS_TEST_TMPDIR/nope.json" -- true
	assert_failure 2
	assert_output "claw-sandbox: $BATS_TEST_TMPDIR/nope.json: no such claw config file"
	CLAW_CONFIG_PATH="$BATS_TEST_TMPDIR/nope.json" run claw-session key
	assert_failure 2
	assert_output "claw-session: $BATS_TEST_TMPDIR/nope.json: no such claw config file (\$CLAW_CONFIG_PATH names it)"
}

@test "no config at all: the secure preset's claw.json too; with openclaw.json alone, claw's defaults" {
	run claw-sandbox explain --json
	assert_equal "$(jqr -r '.settings[] | select(.key == "native.landlock") | .from')" agents.defaults.sandbox.native.landlock
	echo '{}' > "$CONFIG"
	run claw-sandbox explain --json
	assert_equal "$(jqr -r '.settings[] | select(.key == "native.landlock") | .from')" default
}

@test "a claw.json that does not parse: exit 2, FILE:LINE:COL, nothing read" {
	printf '{\n  approvals: { exec: { timeoutSeconds: 30 }\n}\n' > "$CLAW_CONFIG"
	run bash -c 'echo "{}" | claw-session'
	assert_failure 2
	assert_output "claw-session: $CLAW_CONFIG:4:1: expected ',' or '}' in object"
	printf '[1]' > "$CLAW_CONFIG"
	run claw-session key
	assert_failure 2
	assert_output "claw-session: $CLAW_CONFIG:1:1: claw.json must be an object ({ ... })"
	run claw config check
	assert_failure 2
}

# ---- claw-audit check --fix: claw's keys out of openclaw.json ----

@test "--fix moves claw's keys to claw.json, comments and all, and backs up both files" {
	cat > "$CONFIG" <<'EOF2'
// my bot
{
  approvals: {
    exec: {
      enabled: true,
      // the approvers are slow
      timeoutSeconds: 300, // five minutes
      mode: "session",
    },
  },
  agents: {
    defaults: { sandbox: { mode: "all", native: { pts: true } } },
    list: [ { id: "Work", default: true, sandbox: { native: { landlock: "off" } } } ],
  },
}
EOF2
	write_claw_config <<<'{ agents: { defaults: { sandbox: { native: { pts: false } } } } }'
	chmod 600 "$CONFIG" "$CLAW_CONFIG"
	chmod 700 "$OPENCLAW_STATE_DIR"
	cp "$CONFIG" "$BATS_TEST_TMPDIR/oc.orig"
	cp "$CLAW_CONFIG" "$BATS_TEST_TMPDIR/claw.orig"
	before=$(claw-sandbox explain --json --agent work 2>/dev/null | jq -c '[.settings[] | select(.key | startswith("native.")) | .value]')
	run claw-audit check --fix --json
	assert_success
	assert_equal "$(jqr -c '.fix.changes')" "[\"$CLAW_CONFIG kept as $CLAW_CONFIG.bak.1\",\"approvals.exec.timeoutSeconds -> $CLAW_CONFIG\",\"agents.defaults.sandbox.native -> $CLAW_CONFIG\",\"agents.list[0].sandbox.native -> $CLAW_CONFIG\"]"
	# openclaw.json keeps everything else, comments included; OpenClaw's keys stay.
	run cat "$CONFIG"
	assert_line "// my bot"
	assert_line "      enabled: true,"
	assert_line '      mode: "session",'
	refute_output --partial timeoutSeconds
	refute_output --partial native
	refute_output --partial "approvers are slow"
	# claw.json has them, with their comments; what it had already wins.
	run cat "$CLAW_CONFIG"
	assert_output --partial "the approvers are slow"
	assert_output --partial "five minutes"
	assert_output --partial "timeoutSeconds: 300"
	assert_output --partial "work: { sandbox: { native: { landlock: \"off\" } } }"
	assert_output --partial "pts: false"
	refute_output --partial "pts: true"
	cmp "$(ls "$CONFIG".bak* | head -n 1)" "$BATS_TEST_TMPDIR/oc.orig"
	cmp "$CLAW_CONFIG.bak.1" "$BATS_TEST_TMPDIR/claw.orig"
	assert_equal "$(stat -c %a "$CLAW_CONFIG")" 600
	# The same answers as before, and nothing left to move.
	run --separate-stderr claw-sandbox explain --json --agent work
	assert_equal "$stderr" ""
	assert_equal "$(jqr -c '[.settings[] | select(.key | startswith("native.")) | .value]')" "$before"
	run claw config check
	assert_success
	run claw-audit check --fix --json
	assert_equal "$(jqr -c .fix.changes)" '[]'
}

@test "--fix writes a new claw.json when there is none, owner-only" {
	printf '{\n  approvals: { exec: { applyInSandbox: true } },\n}\n' > "$CONFIG"
	chmod 600 "$CONFIG"
	run claw-audit check --fix --only config
	assert_success
	assert_equal "$(stat -c %a "$CLAW_CONFIG")" 600
	run claw config check
	assert_success
	run cat "$CLAW_CONFIG"
	assert_line --index 0 "// claw's own settings: OpenClaw refuses these keys in openclaw.json, so claw"
	assert_output --partial "applyInSandbox: true"
}

@test "--fix moves nothing from a config with an error, nor into a claw.json that does not parse" {
	write_config <<<'{ approvals: { exec: { timeoutSeconds: 30 } }, tools: { exec: { securty: "full" } } }'
	chmod 600 "$CONFIG"
	cp "$CONFIG" "$BATS_TEST_TMPDIR/orig"
	run claw-audit check --fix
	assert_failure 2
	assert_output --partial "not rewriting it"
	cmp "$CONFIG" "$BATS_TEST_TMPDIR/orig"
	[ ! -e "$CLAW_CONFIG" ]
	write_config <<<'{ approvals: { exec: { timeoutSeconds: 30 } } }'
	cp "$CONFIG" "$BATS_TEST_TMPDIR/orig"
	printf '{ broken' > "$CLAW_CONFIG"
	run claw-audit check --fix
	assert_failure 2
	cmp "$CONFIG" "$BATS_TEST_TMPDIR/orig"
	assert_equal "$(cat "$CLAW_CONFIG")" '{ broken'
}

@test "claw doctor has a config row, and fails when the config is invalid" {
	run claw doctor
	assert_success
	assert_line --regexp '^config +check +ok +openclaw.json and claw.json are valid$'
	write_config <<<'{ tools: { exec: { securty: "full" } } }'
	run claw doctor
	assert_failure 1
	assert_line --partial "invalid  1 problem(s), first $CONFIG:1:20: tools.exec: unknown key \"securty\""
	run claw doctor --json
	assert_failure 1
	assert_equal "$(jqr -r '.checks[] | select(.area == "config") | .status')" invalid
	printf '{ tools: ' >"$CONFIG"
	run claw doctor
	assert_failure 1
	assert_line --regexp "^config +check +invalid +claw-audit: $CONFIG:1:10: "
}
