# t/helper.bash: loaded by every test file (load helper).
# Tests run the commands as a user would: from $CLAW_BIN (make test sets it),
# each in its own scratch state dir, never touching the real ~/.openclaw.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

: "${CLAW_BIN:?CLAW_BIN must name the directory of the built commands (make test sets it)}"
PATH="$CLAW_BIN:$PATH"
export PATH

# A fresh state dir and home for each test; no config unless the test writes one.
common_setup() {
	export HOME="$BATS_TEST_TMPDIR/home"
	export OPENCLAW_STATE_DIR="$BATS_TEST_TMPDIR/state"
	mkdir -p "$HOME" "$OPENCLAW_STATE_DIR"
	unset OPENCLAW_CONFIG_PATH CLAW_CONFIG_PATH NO_COLOR
	CONFIG="$OPENCLAW_STATE_DIR/openclaw.json"
	CLAW_CONFIG="$OPENCLAW_STATE_DIR/claw.json"
}

setup() {
	common_setup
}

# As root, claw-sandbox keeps namespaces per installation under /run/claw (claw-sandbox(1)):
# a test removes what its state dir made there, or every run of the suite would leave some.
common_teardown() {
	claw-sandbox rm --all >/dev/null 2>&1 || true
}

teardown() {
	common_teardown
}

# write_config: the config file from standard input (JSON5 welcome).
write_config() {
	cat > "$CONFIG"
}

# write_claw_config: claw.json, claw's own keys, from standard input.
write_claw_config() {
	cat > "$CLAW_CONFIG"
}

# jqr FILTER: run jq -r on $output (the last `run`'s output).
jqr() {
	printf '%s\n' "$output" | jq -r "$@"
}

# session_of JSON: the session member claw-session adds to one record.
session_of() {
	printf '%s\n' "$1" | claw-session | jq -c .session
}
