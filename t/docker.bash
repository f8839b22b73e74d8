# t/docker.bash: loaded by the docker backend's tests, after helper.
# No container engine runs on the development machines: t/fakedocker.c stands in
# for docker and podman (first on PATH), records every call and keeps the
# engine's state in a fixture file. The expected calls in t/docker.bats are the
# spec of claw's compatibility with OpenClaw's containers.

setup() {
	common_setup
	AGENT_WS="$OPENCLAW_STATE_DIR/workspace"
	mkdir -p "$AGENT_WS" "$BATS_TEST_TMPDIR/bin"
	: "${CLAW_PROBES:?CLAW_PROBES must name the directory of the built probes (make test sets it)}"
	ln -s "${CLAW_PROBES%/probes}/fakedocker" "$BATS_TEST_TMPDIR/bin/docker"
	ln -s "${CLAW_PROBES%/probes}/fakedocker" "$BATS_TEST_TMPDIR/bin/podman"
	PATH="$BATS_TEST_TMPDIR/bin:$PATH"
	export FAKEDOCKER_STATE="$BATS_TEST_TMPDIR/engine.json"
	export FAKEDOCKER_LOG="$BATS_TEST_TMPDIR/calls.jsonl"
	unset DOCKER_HOST CONTAINER_HOST TERM
	engine '{"images": ["openclaw-sandbox:bookworm-slim"], "containers": {}}'
}

# engine JSON: the engine's state (t/fakedocker.c says what it may hold); the call log restarts.
engine() {
	printf '%s\n' "$1" > "$FAKEDOCKER_STATE"
	: > "$FAKEDOCKER_LOG"
}

# docker_config [SANDBOX-KEYS] [DOCKER-KEYS]: JSON5 members added to
# agents.defaults.sandbox and to its docker object; everything is sandboxed.
# The scope is "session" unless SANDBOX-KEYS says otherwise.
docker_config() {
	local scope='scope: "session",'
	case ${1:-} in *scope:*) scope= ;; esac
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", $scope backend: "docker", ${1:-}
  docker: { ${2:-} } } } } }
EOF
}

# run_request CMD [PEER] [ARGS-MEMBERS]: one exec request from a Telegram DM of PEER
# (default 42) through claw-session | claw-audit log | claw-sandbox; $output is the record,
# $stderr what claw-sandbox said. Sets NAME, KEY (scope key) and WS (workspace).
run_request() {
	jq -cn --arg c "$1" --arg p "${2:-42}" --argjson extra "{${3:-}}" \
		'{tool: "exec", origin: {channel: "telegram", chat: "direct", peer: $p},
		  args: ({command: $c} + $extra)}' > "$BATS_TEST_TMPDIR/request"
	run --separate-stderr sh -c 'claw-session < "$1" | claw-audit log | claw-sandbox ${2:-}' sh \
		"$BATS_TEST_TMPDIR/request" "${FILTER_OPTS:-}"
	NAME=$(jq -r '.sandbox.name // "openclaw-sbx-\(.session.slug)"' <<< "$output")
	KEY=$(jq -r .session.scopeKey <<< "$output")
	WS="$OPENCLAW_STATE_DIR/sandboxes/$(jq -r .session.slug <<< "$output")"
}

jqo() {
	jq -r "$@" <<< "$output"
}

# stderr_has TEXT: what claw-sandbox said on stderr (run --separate-stderr) holds TEXT.
stderr_has() {
	[[ "$stderr" == *"$1"* ]] || { printf 'stderr lacks %s:\n%s\n' "$1" "$stderr"; false; }
}

# user_of DIR: docker create's --user for a workspace: its owner, never root (nobody).
user_of() {
	local u
	u=$(stat -c %u:%g "$1")
	case $u in 0:*) echo 65534:65534 ;; *) echo "$u" ;; esac
}

# calls: the calls made, one a line, each argument plain or (when it has blanks,
# quotes or nothing) JSON-quoted. What changes from run to run is named instead:
# <ms>, <hash>, <id> and the timeout's <kill-script>.
calls() {
	jq -r 'map(sub("^openclaw.createdAtMs=[0-9]+$"; "openclaw.createdAtMs=<ms>")
	         | sub("^openclaw.configHash=[0-9a-f]{64}$"; "openclaw.configHash=<hash>")
	         | sub("^CLAW_EXEC_ID=[0-9a-f-]{36}$"; "CLAW_EXEC_ID=<id>")
	         | sub("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"; "<id>")
	         | if startswith("m=\"CLAW_EXEC_ID=$1\"") then "<kill-script>" else . end
	         | if test("^[^\\s\"'"'"'\\\\]+$") then . else tojson end) | join(" ")' "$FAKEDOCKER_LOG"
}

# expect_calls: the calls must be exactly these (standard input; a line that
# ends in " \" goes on on the next, so a long create reads flag by flag).
expect_calls() {
	local want
	want=$(sed -e ':a' -e '/ \\$/{N;s/ \\\n[[:space:]]*/ /;ba' -e '}')
	assert_equal "$(calls)" "$want"
}

# The create call of the default config (--user: the workspace's owner, or
# before it exists the owner it will get); tests edit in what their config adds.
default_create() {
	local user
	if [ -d "$WS" ]; then user=$(user_of "$WS"); else user=$(user_of "$OPENCLAW_STATE_DIR"); fi
	cat <<EOF
docker create --name $NAME \\
  --label openclaw.sandbox=1 --label openclaw.sessionKey=$KEY \\
  --label openclaw.createdAtMs=<ms> --label openclaw.mountFormatVersion=2 \\
  --label openclaw.configHash=<hash> \\
  --read-only --tmpfs /tmp --tmpfs /var/tmp --tmpfs /run --network none \\
  --user $user --env LANG=C.UTF-8 --cap-drop ALL \\
  --security-opt no-new-privileges --workdir /workspace -v $WS:/workspace:z \\
  openclaw-sandbox:bookworm-slim sleep infinity
EOF
}

# container NAME JSON: adds a container to the engine's state.
container() {
	jq --arg n "$1" --argjson c "$2" '.containers[$n] = $c' "$FAKEDOCKER_STATE" > "$FAKEDOCKER_STATE.new"
	mv "$FAKEDOCKER_STATE.new" "$FAKEDOCKER_STATE"
	: > "$FAKEDOCKER_LOG"
}

# hash_of: the config hash claw-sandbox explain gives for the session of peer 42.
hash_of() {
	claw-sandbox explain --json --session "agent:main:telegram:default:direct:${1:-42}" | jq -r .docker.configHash
}
