# t/sandbox.bash: loaded by the sandbox tests, after helper.
# Everything runs sandboxed (mode "all"); the probes are bound read-only at /probes.

: "${CLAW_PROBES:?CLAW_PROBES must name the directory of the built probes (make test sets it)}"

setup() {
	common_setup
	AGENT_WS="$OPENCLAW_STATE_DIR/workspace"
	mkdir -p "$AGENT_WS"
}

# As root, claw-sandbox keeps each scope's network namespace under /run/claw/netns;
# a test removes what it made, so nothing of it stays on the host.
teardown() {
	if [ -n "${USERNS_RESTORE:-}" ]; then
		echo "$USERNS_RESTORE" > /proc/sys/user/max_user_namespaces
	fi
	claw-sandbox rm --all >/dev/null 2>&1 || true
}

# sandbox_config [SANDBOX-KEYS] [DOCKER-KEYS]: JSON5 members added to
# agents.defaults.sandbox and to its docker object.
sandbox_config() {
	write_config <<EOF2
{ agents: { defaults: { sandbox: { mode: "all", scope: "session", ${1:-}
  docker: { binds: ["$CLAW_PROBES:/probes:ro"], dangerouslyAllowExternalBindSources: true, ${2:-} } } } } }
EOF2
}

# let_others_walk DIR: every directory from DIR up to / (or /tmp) searchable by
# others, so an ordinary user reaches this test's scratch files.
let_others_walk() {
	local d=$1
	while [ "$d" != / ] && [ "$d" != /tmp ]; do chmod o+x "$d"; d=${d%/*}; done
}

# background FIRST-LINE CMD...: CMD in the background, its output on a pipe;
# returns once its first line is FIRST-LINE (an event, not a clock). BG_PID is
# its pid, BG_OUT the pipe's fd for what it says later.
background() {
	local want=$1 line
	shift
	mkfifo "$BATS_TEST_TMPDIR/background"
	exec {BG_OUT}<>"$BATS_TEST_TMPDIR/background"
	"$@" >&"$BG_OUT" 2>&1 3>&- &
	BG_PID=$!
	read -r -t 30 -u "$BG_OUT" line
	assert_equal "$line" "$want"
}

# probe NAME [ARG...]: runs an escape probe in the sandbox; it must hold.
probe() {
	run claw-sandbox exec -- "/probes/$@"
	assert_success
	refute_output --partial ESCAPE
}

# request CMD [ARGS-JSON-MEMBERS] [ORIGIN-PEER]: an exec request through claw-session,
# as an agent runtime sends it, from a DM of peer $3 (default 42).
request() {
	jq -cn --arg c "$1" --arg p "${3:-42}" --argjson extra "{${2:-}}" \
		'{tool: "exec", origin: {channel: "telegram", chat: "direct", peer: $p},
		  args: ({command: $c} + $extra)}'
}

# through_sandbox: records from stdin through claw-session and claw-sandbox.
through_sandbox() {
	claw-session | claw-audit log | claw-sandbox
}
