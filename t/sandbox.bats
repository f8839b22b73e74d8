#!/usr/bin/env bats
# claw-sandbox: the filter, workspaces and their access modes, bind
# validation, explain/list/rm/prune, and claw exec / claw run.

load helper
load sandbox

# run_request CMD [ARGS-MEMBERS] [PEER]: one request through claw-session | claw-sandbox.
run_request() {
	run bash -c "$(declare -f request); request $(printf '%q ' "$@") | claw-session | claw-sandbox"
}

jqo() {
	jq -r "$@" <<< "$output"
}

# ---- the filter ----

@test "filter: a sandboxed session's command runs in the sandbox, with result and sandbox members" {
	sandbox_config
	run_request 'echo out; echo err >&2; exit 3'
	assert_success
	assert_equal "$(jqo .sandbox.where)" sandbox
	assert_equal "$(jqo .sandbox.backend)" native
	assert_equal "$(jqo .sandbox.network)" none
	assert_equal "$(jqo .sandbox.workdir)" /workspace
	assert_equal "$(jqo .sandbox.name)" "openclaw-sbx-$(jqo .session.slug)"
	assert_equal "$(jqo .result.exit)" 3
	assert_equal "$(jqo .result.signal)" null
	assert_equal "$(jqo .result.stdout)" out
	assert_equal "$(jqo .result.stderr)" err
	assert_equal "$(jqo .result.timedOut)" false
	assert_equal "$(jqo .result.truncated)" false
	[ "$(jqo .result.ms)" -ge 0 ]
}

@test "filter: the main session runs on the host under mode non-main, with the same clean env" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "non-main" } } } }'
	export OPENAI_API_KEY=sk-host
	run bash -c "claw-session new -- sh -c 'echo \$OPENAI_API_KEY; hostname' | claw-session | claw-sandbox"
	assert_success
	assert_equal "$(jqo .session.main)" true
	assert_equal "$(jqo .sandbox.where)" host
	assert_equal "$(jqo .result.stdout)" "
$(hostname)"
}

@test "filter: other tools pass through untouched, and a denied record runs nothing" {
	sandbox_config
	run bash -c 'printf "%s\n" "{\"tool\":\"read\",\"args\":{\"path\":\"x\"}}" | claw-session | claw-sandbox'
	assert_success
	assert_equal "$(jqo .result)" null
	assert_equal "$(jqo .sandbox)" null
	run bash -c "printf '%s\n' '{\"tool\":\"exec\",\"args\":{\"command\":\"touch $BATS_TEST_TMPDIR/ran\"},\"deny\":{\"by\":\"claw-policy\",\"reason\":\"no\"}}' | claw-session | claw-sandbox"
	assert_success
	assert_equal "$(jqo .deny.by)" claw-policy
	assert_equal "$(jqo .result)" null
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "filter: without claw-session's member nothing runs (fail closed)" {
	sandbox_config
	run bash -c "printf '%s\n' '{\"tool\":\"exec\",\"args\":{\"command\":\"touch $BATS_TEST_TMPDIR/ran\"}}' | claw-sandbox"
	assert_failure 1
	assert_equal "$(jq -r .deny.by <<< "${lines[-1]}")" claw-sandbox
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "filter: elevated runs on the host only when claw-approve granted it" {
	sandbox_config
	run_request 'hostname' '"elevated": true'
	assert_equal "$(jqo .sandbox.where)" sandbox
	assert_equal "$(jqo .result.stdout)" sandbox
}

@test "filter: a signal and a timeout are reported as such" {
	sandbox_config
	run_request 'kill -TERM $$'
	assert_equal "$(jqo .result.exit)" null
	assert_equal "$(jqo .result.signal)" SIGTERM
	run_request 'exec sleep 60' '"timeout": 0.3'
	assert_equal "$(jqo .result.timedOut)" true
	assert_equal "$(jqo .result.signal)" SIGKILL
}

@test "filter: output is capped at 200000 characters, keeping the tail" {
	sandbox_config
	run_request 'head -c 300000 /dev/zero | tr "\\0" a; printf "END"'
	assert_equal "$(jqo .result.truncated)" true
	assert_equal "$(jqo '.result.stdout | length')" 200000
	assert_equal "$(jqo '.result.stdout[-3:]')" END
}

@test "filter: invalid UTF-8 in the output becomes U+FFFD, the record stays valid JSON" {
	sandbox_config
	run_request "printf 'a\\377b'"
	assert_success
	assert_equal "$(jqo .result.stdout)" "a�b"
}

@test "filter: a workdir inside the workspace maps into the sandbox" {
	sandbox_config 'workspaceAccess: "rw",'
	mkdir -p "$AGENT_WS/sub"
	run_request 'pwd' "\"workdir\": \"$AGENT_WS/sub\""
	assert_equal "$(jqo .result.stdout)" /workspace/sub
	assert_equal "$(jqo .sandbox.workdir)" /workspace/sub
}

@test "filter: a backend that cannot run is a denial, never a run on the host" {
	sandbox_config 'backend: "docker",' 'binary: "no-such-engine",'
	run_request "touch $BATS_TEST_TMPDIR/ran"
	assert_success
	assert_equal "$(jqo .deny.by)" claw-sandbox
	assert_output --partial 'program \"no-such-engine\" is not on PATH'
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

# ---- workspaces ----

@test "workspaces: two scopes never see each other's files" {
	sandbox_config
	run_request 'echo mine > note.txt; ls' '' alice
	assert_equal "$(jqo .result.stdout)" note.txt
	slug=$(jqo .session.slug)
	run_request 'ls -a /workspace; cat /workspace/note.txt' '' bob
	assert_equal "$(jqo .result.exit)" 1
	refute_output --partial mine
	run_request 'cat note.txt' '' alice
	assert_equal "$(jqo .result.stdout)" mine
	assert_equal "$(stat -c %a "$OPENCLAW_STATE_DIR/sandboxes/$slug")" 700
}

@test "workspaces: none shows the scope's own workspace and no agent files beyond the seed" {
	sandbox_config 'workspaceAccess: "none",'
	echo "agent rules" > "$AGENT_WS/AGENTS.md"
	echo "private" > "$AGENT_WS/diary.txt"
	run claw-sandbox exec --session agent:main:cron:job1 -- sh -c 'ls /workspace; ls /agent'
	assert_failure
	assert_line AGENTS.md
	refute_line diary.txt
	assert_output --partial "cannot access '/agent'"
	# Seeded once, never overwritten.
	echo "changed" > "$AGENT_WS/AGENTS.md"
	run claw-sandbox exec --session agent:main:cron:job1 -- cat /workspace/AGENTS.md
	assert_output "agent rules"
}

@test "workspaces: ro shows the agent workspace read-only at /agent" {
	sandbox_config 'workspaceAccess: "ro",'
	echo "private" > "$AGENT_WS/diary.txt"
	run claw-sandbox exec -- sh -c 'cat /agent/diary.txt; echo x > /agent/new; echo y > /workspace/ok && echo wrote'
	assert_line private
	assert_output --partial "Read-only file system"
	assert_line wrote
	[ ! -e "$AGENT_WS/new" ]
}

@test "workspaces: rw shows the agent workspace read-write at /workspace" {
	sandbox_config 'workspaceAccess: "rw",'
	chown 65534:65534 "$AGENT_WS"
	run claw-sandbox exec -- sh -c 'echo made > /workspace/made.txt; ls /agent'
	assert_output --partial "cannot access '/agent'"
	assert_equal "$(cat "$AGENT_WS/made.txt")" made
}

@test "workspaces: invoked as root, the command runs as docker.user, never as root" {
	[ "$(id -u)" = 0 ] || skip "needs root"
	sandbox_config '' 'user: "1234:2345",'
	run claw-sandbox exec --session agent:main:cron:a -- id -u
	assert_output 1234
	sandbox_config '' 'user: "0",'
	run claw-sandbox exec --session agent:main:cron:b -- id -u
	assert_output 65534
}

@test "workspaces: a custom workdir, tmpfs list and read-only root" {
	sandbox_config '' 'workdir: "/work", tmpfs: ["/tmp", "/cache:size=1m"],'
	run claw-sandbox exec -- sh -c 'pwd; echo a > /cache/x && echo cached; echo b > /var/tmp/x || echo no-var-tmp; echo c > /etc/x || echo ro-root'
	assert_line /work
	assert_line cached
	assert_line no-var-tmp
	assert_line ro-root
}

@test "workspaces: configured binds appear read-only or read-write as written" {
	mkdir -p "$AGENT_WS/data" "$AGENT_WS/out"
	echo hello > "$AGENT_WS/data/in.txt"
	chown 65534:65534 "$AGENT_WS/out"
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all",
  docker: { binds: ["$AGENT_WS/data:/data:ro", "$AGENT_WS/out:/out:rw"] } } } } }
EOF
	run claw-sandbox exec -- sh -c 'cat /data/in.txt; echo x > /data/no || echo data-ro; echo y > /out/yes && echo out-rw'
	assert_line hello
	assert_line data-ro
	assert_line out-rw
	assert_equal "$(cat "$AGENT_WS/out/yes")" y
}

# ---- bind and network validation: OpenClaw's rules and messages ----

bind_refused() { # bind_refused BIND MESSAGE [EXTRA-DOCKER-KEYS]
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", docker: { binds: ["$1"], ${3:-} } } } } }
EOF
	run claw-sandbox exec -- true
	assert_failure 126
	assert_output "claw-sandbox: $2"
}

@test "binds: system paths, credential dirs and the Docker socket are refused" {
	bind_refused "/etc:/etc2" 'Sandbox security: bind mount "/etc:/etc2" targets blocked path "/etc". Mounting system directories, credential paths, or Docker socket paths into sandbox containers is not allowed. Use project-specific paths instead (e.g. /home/user/myproject).'
	bind_refused "/var/run/docker.sock:/var/run/docker.sock" 'Sandbox security: bind mount "/var/run/docker.sock:/var/run/docker.sock" targets blocked path "/var/run". Mounting system directories, credential paths, or Docker socket paths into sandbox containers is not allowed. Use project-specific paths instead (e.g. /home/user/myproject).'
	bind_refused "/var:/v" 'Sandbox security: bind mount "/var:/v" covers blocked path "/var/run". Mounting system directories, credential paths, or Docker socket paths into sandbox containers is not allowed. Use project-specific paths instead (e.g. /home/user/myproject).'
	bind_refused "/:/host" 'Sandbox security: bind mount "/:/host" covers blocked path "/". Mounting system directories, credential paths, or Docker socket paths into sandbox containers is not allowed. Use project-specific paths instead (e.g. /home/user/myproject).'
	mkdir -p "$HOME/.ssh"
	bind_refused "$HOME/.ssh:/keys:ro" "Sandbox security: bind mount \"$HOME/.ssh:/keys:ro\" targets blocked path \"$HOME/.ssh\". Mounting system directories, credential paths, or Docker socket paths into sandbox containers is not allowed. Use project-specific paths instead (e.g. /home/user/myproject)."
}

@test "binds: relative sources, reserved targets and outside sources are refused" {
	bind_refused "data:/data" 'Sandbox security: bind mount "data:/data" uses a non-absolute source path "data". Only absolute POSIX paths are supported for sandbox binds.'
	mkdir -p "$AGENT_WS/x"
	bind_refused "$AGENT_WS/x:/workspace/x" "Sandbox security: bind mount \"$AGENT_WS/x:/workspace/x\" targets reserved container path \"/workspace\" (resolved target: \"/workspace/x\"). This can shadow OpenClaw sandbox mounts. Use a dangerous override only when you fully trust this runtime."
	mkdir -p "$BATS_TEST_TMPDIR/elsewhere"
	# The allowed roots: the scope's workspace and the agent's.
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all" } } } }'
	ws=$(claw-sandbox explain --json | jq -r .workspaceDir)
	bind_refused "$BATS_TEST_TMPDIR/elsewhere:/e" "Sandbox security: bind mount \"$BATS_TEST_TMPDIR/elsewhere:/e\" source \"$BATS_TEST_TMPDIR/elsewhere\" is outside allowed roots ($ws, $AGENT_WS). Use a dangerous override only when you fully trust this runtime."
}

@test "binds: a symlink is judged by where it leads, a missing leaf by its parent" {
	ln -s /etc "$AGENT_WS/etc-link"
	bind_refused "$AGENT_WS/etc-link:/x" "Sandbox security: bind mount \"$AGENT_WS/etc-link:/x\" targets blocked path \"/etc\". Mounting system directories, credential paths, or Docker socket paths into sandbox containers is not allowed. Use project-specific paths instead (e.g. /home/user/myproject)." 'dangerouslyAllowExternalBindSources: true,'
	bind_refused "$AGENT_WS/etc-link/missing/leaf:/x" "Sandbox security: bind mount \"$AGENT_WS/etc-link/missing/leaf:/x\" targets blocked path \"/etc\". Mounting system directories, credential paths, or Docker socket paths into sandbox containers is not allowed. Use project-specific paths instead (e.g. /home/user/myproject)." 'dangerouslyAllowExternalBindSources: true,'
	bind_refused "$AGENT_WS/../../../../../../etc/ssl:/x" "Sandbox security: bind mount \"$AGENT_WS/../../../../../../etc/ssl:/x\" targets blocked path \"/etc\". Mounting system directories, credential paths, or Docker socket paths into sandbox containers is not allowed. Use project-specific paths instead (e.g. /home/user/myproject)."
}

@test "network: host is refused with OpenClaw's message; others mean the host network" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", docker: { network: "host" } } } } }'
	run claw-sandbox exec -- true
	assert_failure 2
	assert_output --partial 'Sandbox security: network mode "host" is blocked. Network "host" mode bypasses container network isolation. Use "bridge" or "none" instead.'
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", docker: { network: "bridge" } } } } }'
	run claw-sandbox exec -- cat /proc/net/dev
	assert_success
	[ "$(grep -c ':' <<< "$output")" -ge 1 ]
	run claw-sandbox explain --json
	assert_equal "$(jqo '.settings[] | select(.key == "docker.network") | .value')" bridge
}

@test "fail closed: no user namespaces is an error naming the knob, never a run on the host" {
	[ "$(id -u)" = 0 ] || skip "needs root to change user.max_user_namespaces"
	old=$(cat /proc/sys/user/max_user_namespaces)
	{ echo 0 > /proc/sys/user/max_user_namespaces; } 2>/dev/null || skip "user.max_user_namespaces is not writable here"
	sandbox_config
	run claw-sandbox exec -- touch "$BATS_TEST_TMPDIR/ran"
	echo "$old" > /proc/sys/user/max_user_namespaces
	assert_failure 125
	assert_output --partial "user.max_user_namespaces"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

# ---- explain, list, rm, prune ----

@test "explain: effective settings and where each came from" {
	write_config <<'EOF'
{ agents: { defaults: { sandbox: { mode: "all", scope: "agent", docker: { memory: "1g" } } },
  list: [ { id: "main" }, { id: "ops", sandbox: { workspaceAccess: "ro", docker: { pidsLimit: 50 } } } ] } }
EOF
	run claw-sandbox explain --agent ops --json
	assert_success
	assert_equal "$(jqo .agent)" ops
	[[ "$(jqo .scopeKey)" == agent:ops:workspace:* ]]
	assert_equal "$(jqo '.settings[] | select(.key == "workspaceAccess") | .from')" "agents.list[1].sandbox.workspaceAccess"
	assert_equal "$(jqo '.settings[] | select(.key == "docker.memory") | .from')" "agents.defaults.sandbox.docker.memory"
	assert_equal "$(jqo '.settings[] | select(.key == "docker.pidsLimit") | .value')" 50
	assert_equal "$(jqo '.settings[] | select(.key == "docker.workdir") | .from')" default
	run claw-sandbox explain --agent ops
	assert_success
	assert_output --partial "scope key:   agent:ops:workspace:"
}

@test "list, rm and prune work on the workspaces on disk" {
	sandbox_config
	run_request 'true' '' alice
	alice=$(jqo .sandbox.name)
	run_request 'true' '' bob
	run claw-sandbox list --json
	assert_success
	assert_equal "$(jqo 'length')" 2
	assert_equal "$(jqo '[.[].scopeKey | sub(":workspace:.*"; "")] | sort | join(",")')" "agent:main:telegram:default:direct:alice,agent:main:telegram:default:direct:bob"
	run claw-sandbox rm --session agent:main:telegram:default:direct:alice
	assert_success
	assert_output "removed $alice"
	run claw-sandbox list --json
	assert_equal "$(jqo 'length')" 1
	# prune: idle for longer than idleHours.
	touch -d '3 days ago' "$OPENCLAW_STATE_DIR"/sandboxes/*.json
	run claw-sandbox prune
	assert_success
	assert_output --partial "(idle)"
	run claw-sandbox list --json
	assert_equal "$(jqo 'length')" 0
	run claw-sandbox rm
	assert_failure 2
}

# ---- claw exec and claw run ----

@test "claw exec: output and status passed through; a sandboxed session runs in the sandbox" {
	sandbox_config
	run claw exec --channel telegram --peer 7 -- sh -c 'hostname; exit 5'
	assert_failure 5
	assert_output sandbox
}

@test "claw exec: a denial prints the reason and exits 126" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", docker: { binds: ["/etc:/x"] } } } } }'
	run claw exec --channel telegram --peer 7 -- touch "$BATS_TEST_TMPDIR/ran"
	assert_failure 126
	assert_output --partial 'claw: denied by claw-sandbox: Sandbox security: bind mount "/etc:/x" targets blocked path "/etc"'
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "claw run: records through the whole pipeline" {
	sandbox_config
	run bash -c "$(declare -f request); { request 'echo one' '' a; request 'echo two' '' b; } | claw run"
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_equal "$(jq -r .result.stdout <<< "${lines[0]}")" one
	assert_equal "$(jq -r .result.stdout <<< "${lines[1]}")" two
}

@test "network namespaces: one per scope, never the host's; as root kept between a scope's runs" {
	sandbox_config
	host=$(readlink /proc/self/ns/net)
	run_request 'readlink /proc/self/ns/net' '' alice
	a1=$(jqo .result.stdout)
	run_request 'readlink /proc/self/ns/net' '' alice
	a2=$(jqo .result.stdout)
	run_request 'readlink /proc/self/ns/net' '' bob
	b1=$(jqo .result.stdout)
	[ -n "$a1" ] && [ "$a1" != "$host" ] && [ "$b1" != "$host" ] && [ "$a1" != "$b1" ]
	if [ "$(id -u)" = 0 ]; then
		assert_equal "$a2" "$a1"
		[ "$(ls /run/claw/netns | wc -l)" -ge 2 ]
		run claw-sandbox rm --all
		assert_success
		for slug in $(ls "$OPENCLAW_STATE_DIR/sandboxes"); do
			[ ! -e "/run/claw/netns/$slug" ]
		done
	fi
}

@test "without root: the sandbox is built inside, as the caller, with rlimits for limits" {
	[ "$(id -u)" = 0 ] || skip "runs as root to become an ordinary user"
	command -v setpriv >/dev/null || skip "needs setpriv"
	# The scratch dirs are this test's own: let the ordinary user walk to them.
	d=$BATS_TEST_TMPDIR
	while [ "$d" != / ] && [ "$d" != /tmp ]; do chmod o+x "$d"; d=${d%/*}; done
	chown -R 65534:65534 "$OPENCLAW_STATE_DIR" "$HOME"
	sandbox_config '' 'pidsLimit: 16,'
	chown 65534:65534 "$CONFIG"
	run setpriv --reuid=65534 --regid=65534 --clear-groups -- \
		claw-sandbox exec -- sh -c 'id -u; grep NoNewPrivs /proc/self/status; grep processes /proc/self/limits'
	assert_success
	assert_line 65534
	assert_line --regexp '^NoNewPrivs:.1$'
	assert_line --regexp '^Max processes +16 +16 '
	run setpriv --reuid=65534 --regid=65534 --clear-groups -- claw-sandbox explain
	assert_output --partial "rlimits (not root"
}

@test "claw exec says in claw's words what was refused and how to allow it" {
	run claw exec -- ls -la
	assert_failure 126
	assert_output --partial "claw: denied by claw-approve: approval-timeout"
	assert_output --partial "nobody could be asked, so askFallback=deny applied"
	assert_output --partial "to allow it: claw-approve allowlist add $(command -v ls)"
	run claw-approve allowlist add "$(command -v ls)"
	assert_success
	run claw exec -- ls -d /
	assert_success
	assert_output "/"
}
