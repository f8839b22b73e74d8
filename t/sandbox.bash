# t/sandbox.bash: loaded by the sandbox tests, after helper.
# Everything runs sandboxed (mode "all"); the probes are bound read-only at /probes.

: "${CLAW_PROBES:?CLAW_PROBES must name the directory of the built probes (make test sets it)}"

setup() {
	common_setup
	AGENT_WS="$OPENCLAW_STATE_DIR/workspace"
	mkdir -p "$AGENT_WS"
}

# As root, claw-sandbox keeps each scope's network namespace under /run/claw/<installation>;
# a test removes what it made, so nothing of it stays on the host.
teardown() {
	if [ -n "${USERNS_RESTORE:-}" ]; then
		echo "$USERNS_RESTORE" > /proc/sys/user/max_user_namespaces
	fi
	# What a test set up on the host and undoes at its end, if it did not get there.
	[ -z "${UNDO:-}" ] || $UNDO 2>/dev/null || true
	common_teardown
}

# sandbox_config [SANDBOX-KEYS] [DOCKER-KEYS]: JSON5 members added to
# agents.defaults.sandbox and to its docker object.
sandbox_config() {
	write_config <<EOF2
{ agents: { defaults: { sandbox: { mode: "all", scope: "session", ${1:-}
  docker: { binds: ["$CLAW_PROBES:/probes:ro"], dangerouslyAllowExternalBindSources: true, ${2:-} } } } } }
EOF2
}

# native_config MEMBERS: claw.json's agents.defaults.sandbox.native (claw's own keys).
native_config() {
	write_claw_config <<EOF2
{ agents: { defaults: { sandbox: { native: { $1 } } } } }
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
	rm -f "$BATS_TEST_TMPDIR/background"
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

# run_request CMD [ARGS-MEMBERS] [PEER]: one request through claw-session | claw-sandbox.
run_request() {
	run bash -c "$(declare -f request); request $(printf '%q ' "$@") | claw-session | claw-audit log | claw-sandbox"
}

# OWN: a command, for inside a sandbox, that lists the current directory but for the
# placeholders of persistence paths (empty, read-only, dated 1970: claw-sandbox(1)).
OWN='find . -mindepth 1 -maxdepth 1 -newermt @1 -printf "%f\n" | sort'

# jqo FILTER: jq -r on $output.
jqo() {
	jq -r "$@" <<< "$output"
}

# installation: this test's installation (its state dir's identity), as cgroup names carry it.
installation() {
	claw-sandbox explain --json | jq -r .installation
}

# pin_dir: where, as root, this test's installation keeps namespaces between runs.
pin_dir() {
	claw-sandbox explain --json | jq -r .pinDir
}

# through_sandbox [RUNNER...]: records from stdin through claw-session, the log and claw-sandbox,
# the log and claw-sandbox run by RUNNER when given (in_setting user).
through_sandbox() {
	claw-session | "$@" claw-audit log | "$@" claw-sandbox
}

# in_bash CMD: CMD in bash -c with the request and setting helpers, for a pipeline to run.
in_bash() {
	bash -c "$(declare -f request through_sandbox in_setting as_user no_cgroups); TEST_USER=$TEST_USER; $1"
}

# ---- settings users have: root, an ordinary user, a host without usable cgroups ----

# The ordinary user the tests run claw as: made on first use, never removed.
TEST_USER=clawtest

# user_setup: the ordinary test user exists, can walk to this test's scratch dirs, and
# owns its state dir and home (what an operator without root has).
user_setup() {
	[ "$(id -u)" = 0 ] || skip "runs as root to become an ordinary user"
	command -v setpriv >/dev/null || skip "needs setpriv"
	if ! id -u "$TEST_USER" >/dev/null 2>&1; then
		# Another test run may make it at the same moment: what counts is that it exists.
		useradd --system --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin "$TEST_USER" 2>/dev/null || id -u "$TEST_USER" >/dev/null
	fi
	let_others_walk "$BATS_TEST_TMPDIR"
}

# as_user CMD...: CMD as the ordinary user, with no capability and no group of root's;
# the state dir and home (and what the test wrote there) become the user's first, but
# for what is in the sandboxes' own workspaces (their runs made it, as whoever they ran).
as_user() {
	find "$OPENCLAW_STATE_DIR" "$HOME" -path "$OPENCLAW_STATE_DIR/sandboxes/*/*" -prune \
		-o -exec chown -h "$TEST_USER:" {} +
	setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --clear-groups --inh-caps=-all -- "$@"
}

# no_cgroups CMD...: CMD as root on a host where no cgroup can be used: in a mount
# namespace of its own with the cgroup hierarchies hidden under an empty tmpfs.
no_cgroups() {
	unshare -m --propagation private sh -c 'mount -t tmpfs none /sys/fs/cgroup && exec "$@"' sh "$@"
}

# in_setting SETTING CMD...: CMD as root, as the ordinary user, or as root without cgroups.
in_setting() {
	local setting=$1
	shift
	case $setting in
	root) "$@" ;;
	user) as_user "$@" ;;
	nocgroups) no_cgroups "$@" ;;
	*) echo "in_setting: unknown setting $setting" >&2; return 2 ;;
	esac
}

