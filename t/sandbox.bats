#!/usr/bin/env bats
# claw-sandbox: the filter, workspaces and their access modes, bind
# validation, explain/list/rm/prune, and claw exec / claw run.

load helper
load sandbox

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
	run bash -c "claw-session new -- sh -c 'echo \$OPENAI_API_KEY; hostname' | claw-session | claw-audit log | claw-sandbox"
	assert_success
	assert_equal "$(jqo .session.main)" true
	assert_equal "$(jqo .sandbox.where)" host
	assert_equal "$(jqo .result.stdout)" "
$(hostname)"
}

@test "filter: other tools pass through untouched, and a denied record runs nothing" {
	sandbox_config
	run bash -c 'printf "%s\n" "{\"tool\":\"read\",\"args\":{\"path\":\"x\"}}" | claw-session | claw-audit log | claw-sandbox'
	assert_success
	assert_equal "$(jqo .result)" null
	assert_equal "$(jqo .sandbox)" null
	run bash -c "printf '%s\n' '{\"tool\":\"exec\",\"args\":{\"command\":\"touch $BATS_TEST_TMPDIR/ran\"},\"deny\":{\"by\":\"claw-policy\",\"reason\":\"no\"}}' | claw-session | claw-audit log | claw-sandbox"
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

@test "filter: the command starts with no signal blocked or caught, in pipeline and exec alike" {
	sandbox_config
	# Ignored is what the caller ignored (as across any exec), nothing more.
	ign=$(grep '^SigIgn' /proc/self/status)
	want=$(printf 'SigBlk:\t0000000000000000\n%s\nSigCgt:\t0000000000000000' "$ign")
	run bash -c "$(declare -f request); request 'exec cat /proc/self/status' | claw-session | claw-audit log | claw-sandbox"
	assert_equal "$(jq -r .result.stdout <<<"$output" | grep -E '^Sig(Blk|Ign|Cgt)')" "$want"
	run claw-sandbox exec -- cat /proc/self/status
	assert_success
	assert_equal "$(grep -E '^Sig(Blk|Ign|Cgt)' <<<"$output")" "$want"
}

# closed_fd N: claw-sandbox exec of $probe with the caller's descriptor N closed,
# stdout and stderr (those open) on the test's output.
closed_fd() {
	case $1 in
	0) claw-sandbox exec -- sh -c "$probe" 2>&1 0<&- ;;
	1) claw-sandbox exec -- sh -c "$probe" 2>&1 1>&- ;;
	2) claw-sandbox exec -- sh -c "$probe" 2>&- ;;
	esac
}

@test "exec: a descriptor 0-2 the caller closed is /dev/null for the command, never one of claw's" {
	sandbox_config
	# What the command holds at 0, 1 and 2, told on each of stdout and stderr that is open.
	probe='s="$(readlink /proc/$$/fd/0) $(readlink /proc/$$/fd/1) $(readlink /proc/$$/fd/2)"
		echo "$s"; echo "$s" >&2; exit 7'
	for n in 0 1 2; do
		run closed_fd "$n"
		# The status is the command's: init's report reached the launcher, not the command.
		assert_equal "$status" 7
		[ -n "$output" ]
		while read -r -a held; do
			assert_equal "${held[$n]}" /dev/null
		done <<<"$output"
	done
}

@test "filter: the record keeps the last 200000 bytes of the output, and says how many there were" {
	sandbox_config
	run_request 'head -c 300000 /dev/zero | tr "\\0" a; printf "END"'
	assert_equal "$(jqo .result.truncated)" true
	assert_equal "$(jqo '.result.stdout | length')" 200000
	assert_equal "$(jqo '.result.stdout[-3:]')" END
	assert_equal "$(jqo .result.stdoutBytes)" 300003
	# Cut inside a character, the text starts at the next one.
	run_request 'for i in $(seq 150000); do printf "é"; done; printf Z'
	assert_equal "$(jqo '.result.stdout | length')" 100000
	assert_equal "$(jqo '.result.stdout[-2:]')" éZ
	assert_equal "$(jqo .result.stdoutEncoding)" null
}

@test "filter: output that is not UTF-8 text (or holds a NUL) is kept in base64, byte for byte" {
	sandbox_config
	run_request "printf 'a\\377b'; printf 'x\\000y' >&2"
	assert_success
	assert_equal "$(jqo '[.result.stdoutEncoding, .result.stderrEncoding] | join(" ")')" "base64 base64"
	assert_equal "$(jqo .result.stdout | base64 -d | od -An -tx1 | tr -d ' ')" 61ff62
	assert_equal "$(jqo .result.stderr | base64 -d | od -An -tx1 | tr -d ' ')" 780079
	run_request "printf 'plain é'"
	assert_equal "$(jqo '[.result.stdout, .result.stdoutEncoding] | @json')" '["plain é",null]'
}

@test "filter: a workdir inside the workspace maps into the sandbox" {
	sandbox_config 'workspaceAccess: "rw",'
	mkdir -p "$AGENT_WS/sub"
	run_request 'pwd' "\"workdir\": \"$AGENT_WS/sub\""
	assert_equal "$(jqo .result.stdout)" /workspace/sub
	assert_equal "$(jqo .sandbox.workdir)" /workspace/sub
}

@test "filter: a backend that cannot run is a denial, never a run on the host" {
	sandbox_config 'backend: "docker",'
	write_claw_config <<<'{ agents: { defaults: { sandbox: { docker: { binary: "no-such-engine" } } } } }'
	run_request "touch $BATS_TEST_TMPDIR/ran"
	assert_success
	assert_equal "$(jqo .deny.by)" claw-sandbox
	assert_output --partial 'program \"no-such-engine\" is not on PATH'
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

# ---- workspaces ----

@test "workspaces: two scopes never see each other's files" {
	sandbox_config
	run_request "echo mine > note.txt; $OWN" '' alice
	assert_equal "$(jqo .result.stdout)" note.txt
	slug=$(jqo .session.slug)
	run_request 'ls -a /workspace; cat /workspace/note.txt' '' bob
	assert_equal "$(jqo .result.exit)" 1
	refute_output --partial mine
	run_request 'cat note.txt' '' alice
	assert_equal "$(jqo .result.stdout)" mine
	# Nobody else's: the user's own (0700), or as root with ids the sandbox's own not
	# shown through an id map, root's with the sandbox's group, sticky (1770).
	run stat -c %a "$OPENCLAW_STATE_DIR/sandboxes/$slug"
	assert_output --regexp '^(700|1770)$'
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

@test "workspaces: seeding follows no symlink, waits on no FIFO, copies nothing the user could not read" {
	sandbox_config 'workspaceAccess: "none",'
	echo "agent rules" > "$AGENT_WS/USER.md"
	echo HOST-SECRET-7730 > "$BATS_TEST_TMPDIR/secret"
	# Planted by an earlier sandbox with the workspace read-write.
	ln -s "$BATS_TEST_TMPDIR/secret" "$AGENT_WS/AGENTS.md"
	mkfifo "$AGENT_WS/SOUL.md"
	if [ "$(id -u)" = 0 ]; then
		# A hardlink to a file only root may read (the sandbox runs as nobody here).
		echo HOST-SECRET-7731 > "$BATS_TEST_TMPDIR/root-only"
		chmod 600 "$BATS_TEST_TMPDIR/root-only"
		ln "$BATS_TEST_TMPDIR/root-only" "$AGENT_WS/TOOLS.md"
	fi
	run timeout 10 claw-sandbox exec --session agent:main:cron:seed -- sh -c "cd /workspace; $OWN; cat USER.md"
	assert_success
	assert_output "USER.md
agent rules"
}

@test "workspaces: as root, a missing agent workspace is made for the sandbox's user (rw and ro)" {
	[ "$(id -u)" = 0 ] || skip "needs root"
	rmdir "$AGENT_WS"
	run claw init --preset dev
	assert_success
	run claw exec --channel telegram --peer 5 -- sh -c "echo made > made.txt && $OWN"
	assert_success
	assert_output made.txt
	assert_equal "$(stat -c '%u %a' "$AGENT_WS")" "65534 700"
	rm -rf "$AGENT_WS"
	sandbox_config 'workspaceAccess: "ro",'
	run claw-sandbox exec -- sh -c 'ls -a /agent && touch /agent/x'
	assert_failure
	assert_line .
	assert_output --partial "Read-only file system"
	refute_output --partial "Permission denied"
}

@test "workspaces: a workdir the sandbox's user cannot enter is named in the error, with the cause" {
	[ "$(id -u)" = 0 ] || skip "needs root to make a directory nobody cannot enter"
	chmod 700 "$AGENT_WS"
	sandbox_config 'workspaceAccess: "rw",'
	run claw-sandbox exec -- ls
	assert_failure 126
	assert_output "claw-sandbox: sandbox: cannot enter the working directory /workspace ($AGENT_WS on the host): Permission denied; the command runs as uid 65534, gid 65534, and the directory must be open to that user"
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

@test "workspaces: /etc/passwd and group inside name only root, the user and nobody" {
	[ "$(id -u)" = 0 ] || skip "needs root"
	# uid 1 is daemon on Debian; the host's root account (its shell) stays private.
	sandbox_config '' 'user: "1:1",'
	run claw-sandbox exec --session agent:main:cron:a -- cat /etc/passwd /etc/group
	assert_success
	assert_output "$(printf '%s\n' 'root:x:0:0:root:/root:/usr/sbin/nologin' \
		"$(id -nu 1):x:1:1::/workspace:/bin/sh" \
		'nobody:x:65534:65534:nobody:/workspace:/usr/sbin/nologin' \
		'root:x:0:' "$(getent group 1 | cut -d: -f1):x:1:" 'nogroup:x:65534:')"
	# An id the host does not name is "user".
	sandbox_config '' 'user: "4321:4321",'
	run claw-sandbox exec --session agent:main:cron:b -- grep 4321 /etc/passwd
	assert_output "user:x:4321:4321::/workspace:/bin/sh"
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

@test "binds: claw's state dir and config are refused even with dangerouslyAllowExternalBindSources" {
	ext='dangerouslyAllowExternalBindSources: true,'
	msg() { echo "Sandbox security: bind mount \"$1\" reaches claw's own state \"$2\" (its config, approvals and decision log). A sandbox never sees it; no dangerous override allows that."; }
	echo '{}' > "$OPENCLAW_STATE_DIR/exec-approvals.json"
	bind_refused "$OPENCLAW_STATE_DIR:/s" "$(msg "$OPENCLAW_STATE_DIR:/s" "$OPENCLAW_STATE_DIR")" "$ext"
	bind_refused "$OPENCLAW_STATE_DIR/exec-approvals.json:/a.json:ro" "$(msg "$OPENCLAW_STATE_DIR/exec-approvals.json:/a.json:ro" "$OPENCLAW_STATE_DIR")" "$ext"
	# Another scope's workspace lives in the state dir too.
	mkdir -p "$OPENCLAW_STATE_DIR/sandboxes/other"
	bind_refused "$OPENCLAW_STATE_DIR/sandboxes/other:/o" "$(msg "$OPENCLAW_STATE_DIR/sandboxes/other:/o" "$OPENCLAW_STATE_DIR")" "$ext"
	# A config kept elsewhere is claw's too.
	mkdir -p "$BATS_TEST_TMPDIR/etc-claw"
	export OPENCLAW_CONFIG_PATH="$BATS_TEST_TMPDIR/etc-claw/openclaw.json"
	CONFIG=$OPENCLAW_CONFIG_PATH
	bind_refused "$BATS_TEST_TMPDIR/etc-claw:/c" "$(msg "$BATS_TEST_TMPDIR/etc-claw:/c" "$OPENCLAW_CONFIG_PATH")" "$ext"
	unset OPENCLAW_CONFIG_PATH
	CONFIG="$OPENCLAW_STATE_DIR/openclaw.json"
	# The agent workspace, in the state dir by default, is still a source.
	mkdir -p "$AGENT_WS/data"
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", docker: { binds: ["$AGENT_WS/data:/data:ro"], $ext } } } } }
EOF
	run claw-sandbox exec -- ls -d /data
	assert_success
}

@test "workspaces: an agent workspace that holds the state dir is never shown" {
	ws=$BATS_TEST_TMPDIR/ws
	export OPENCLAW_STATE_DIR=$ws/state
	mkdir -p "$OPENCLAW_STATE_DIR"
	CONFIG=$OPENCLAW_STATE_DIR/openclaw.json
	write_config <<EOF
{ agents: { defaults: { workspace: "$ws", sandbox: { mode: "all", workspaceAccess: "ro" } } } }
EOF
	run claw-sandbox exec -- ls /agent
	assert_failure 126
	assert_output "claw-sandbox: Sandbox security: the agent workspace \"$ws\" reaches claw's own state \"$OPENCLAW_STATE_DIR\" (its config, approvals and decision log). A sandbox never sees it; no dangerous override allows that."
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
	# A global knob: teardown puts it back, whatever happens here.
	USERNS_RESTORE=$(cat /proc/sys/user/max_user_namespaces)
	{ echo 0 > /proc/sys/user/max_user_namespaces; } 2>/dev/null || skip "user.max_user_namespaces is not writable here"
	sandbox_config
	run claw-sandbox exec -- touch "$BATS_TEST_TMPDIR/ran"
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

@test "rm and prune leave a running sandbox's workspace alone" {
	sandbox_config
	background started claw-sandbox exec --session agent:main:cron:busy -- sh -c 'echo started; exec sleep 8981'
	run claw-sandbox rm --all
	assert_failure 1
	assert_output --regexp "^claw-sandbox: openclaw-sbx-.* is running: not removed \(its workspace $OPENCLAW_STATE_DIR/sandboxes/.* is in use\)$"
	touch -d '3 days ago' "$OPENCLAW_STATE_DIR"/sandboxes/*.json
	run claw-sandbox prune
	assert_failure 1
	assert_output --partial "is running: not removed"
	run claw-sandbox list --json
	assert_equal "$(jqo length)" 1
	kill -TERM "$BG_PID"
	wait "$BG_PID" || true
	run claw-sandbox rm --all
	assert_success
	assert_output --regexp '^removed openclaw-sbx-'
}

@test "rm follows no symlink and enters no mount point in a workspace" {
	[ "$(id -u)" = 0 ] || skip "needs root to mount"
	sandbox_config
	run claw-sandbox exec --session agent:main:cron:m -- sh -c 'mkdir mnt sub; ln -s /etc sub/etc'
	assert_success
	ws=$(ls -d "$OPENCLAW_STATE_DIR"/sandboxes/*/)
	mkdir "$BATS_TEST_TMPDIR/other"
	echo keep > "$BATS_TEST_TMPDIR/other/keep.txt"
	ln -s "$BATS_TEST_TMPDIR/other" "$ws/link"
	mount --bind "$BATS_TEST_TMPDIR/other" "$ws/mnt"
	run claw-sandbox rm --all
	umount "$ws/mnt"
	assert_failure 1
	name=$(basename "$ws")
	assert_output "claw-sandbox: openclaw-sbx-$name kept: ${ws}mnt is a mount point: not removed, nor anything under it"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/other/keep.txt")" keep
	[ -f /etc/passwd ]
	[ ! -e "$ws/link" ] && [ ! -e "$ws/sub" ]
	run claw-sandbox rm --all
	assert_success
	[ ! -e "$ws" ]
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
		[ "$(ls "$(pin_dir)/netns" | wc -l)" -ge 2 ]
		run claw-sandbox rm --all
		assert_success
		[ ! -e "$(pin_dir)" ]
	fi
}

@test "IPC namespaces: one per run, never the host's, none kept" {
	sandbox_config
	host=$(readlink /proc/self/ns/ipc)
	run claw-sandbox exec --session agent:main:cron:a -- sh -c 'readlink /proc/self/ns/ipc; ipcmk -M 4096 >/dev/null'
	a1=$output
	run claw-sandbox exec --session agent:main:cron:a -- sh -c 'readlink /proc/self/ns/ipc; ipcs -m | grep -c 4096'
	a2=${lines[0]}
	assert_equal "${lines[1]}" 0 # the last run's segment went with it
	# (The kernel may give the second namespace the first one's number, freed with it.)
	[ "$a1" != "$host" ] && [ "$a2" != "$host" ]
	[ ! -e "$(pin_dir)/ipcns" ]
}

# pins: this installation's kept base mount namespaces, as NAME INODE lines.
pins() {
	for p in "$(pin_dir)"/mntns/*; do
		[ -e "$p" ] && echo "${p##*/} $(stat -L -c %i "$p")"
	done
	return 0
}

unpin_all() {
	for p in "$(pin_dir)"/mntns/*; do
		[ -e "$p" ] || continue
		umount "$p" 2>/dev/null || true
		rm -f "$p"
	done
}

@test "mount namespaces: as root, runs start from a kept root, one per configuration, remade when /etc changes" {
	[ "$(id -u)" = 0 ] || skip "base mount namespaces are kept only as root"
	unpin_all
	etc=claw-test-$BATS_SUITE_TEST_NUMBER-$$
	echo one > "/etc/$etc"
	sandbox_config
	write_claw_config <<<"{ agents: { defaults: { sandbox: { native: { etc: [\"$etc\"] } } } } }"
	points='awk "{print \$5}" /proc/self/mountinfo | sort; grep -c " - proc " /proc/self/mountinfo'
	run claw-sandbox exec --session agent:main:cron:a -- sh -c "cat /etc/$etc; $points"
	assert_success
	based=$output
	assert_line one
	assert_line /
	assert_line /dev/shm
	refute_line --partial /run/claw
	# The sandbox's own /proc on top (under it: the base's, of an empty pid namespace).
	run claw-sandbox exec --session agent:main:cron:a -- sh -c 'ls -d /proc/[0-9]* | wc -l'
	[ "$output" -lt 10 ] # init, sh, ls, wc: not the host's processes
	first=$(pins)
	assert_equal "$(wc -l <<<"$first")" 1
	# The same configuration: the same kept root, nothing made, nothing of the other run's.
	run claw-sandbox exec --session agent:main:cron:a -- sh -c 'echo a > /tmp/a; echo a > /dev/shm/a; echo a > /a'
	assert_output --partial "/a: Read-only file system"
	run claw-sandbox exec --session agent:main:cron:a -- sh -c 'cat /tmp/a /dev/shm/a /a; echo end'
	assert_line end
	refute_line a
	assert_equal "$(pins)" "$first"
	# Persistence paths are bound inside the workspace's own tree, a .git that is there
	# or not: the same kept root still.
	git=$(ls -d "$OPENCLAW_STATE_DIR"/sandboxes/*/ | head -1).git
	[ -d "$git" ]
	run claw-sandbox exec --session agent:main:cron:a -- true
	assert_success
	assert_equal "$(pins)" "$first"
	# The host's /etc changed: a new one, showing it.
	echo two > "/etc/$etc"
	run claw-sandbox exec --session agent:main:cron:a -- cat "/etc/$etc"
	assert_output two
	assert_equal "$(pins | wc -l)" 2
	# Something else where the pin should be: the run starts from the empty base, same mounts.
	for p in "$(pin_dir)"/mntns/*; do umount "$p" && rm "$p" && touch "$p"; done
	run claw-sandbox exec --session agent:main:cron:a -- sh -c "cat /etc/$etc; $points"
	unpin_all
	rm "/etc/$etc"
	assert_success
	# (one /proc)
	assert_equal "$output" "$(sed 's/^one$/two/; $s/2/1/' <<<"$based" | uniq)"
	# A writable root is never shared: the empty base, the root built for the run.
	sandbox_config '' 'readOnlyRoot: false,'
	run claw-sandbox exec --session agent:main:cron:a -- true
	assert_success
	assert_equal "$(pins | cut -d' ' -f1)" empty
	run claw-sandbox rm --all
	assert_success
	assert_equal "$(pins)" ""
}

@test "mount namespaces: no more than 16 kept roots, the oldest unpinned first" {
	[ "$(id -u)" = 0 ] || skip "base mount namespaces are kept only as root"
	unpin_all
	for id in $(seq 2001 2018); do
		sandbox_config '' "user: \"$id:$id\","
		run claw-sandbox exec --session "agent:main:cron:u$id" -- true
		assert_success
		[ "$id" != 2001 ] || first=$(pins | cut -d' ' -f1)
	done
	assert_equal "$(pins | wc -l)" 16
	pins | grep -v "^$first " >/dev/null
	refute [ -e "$(pin_dir)/mntns/$first" ]
	unpin_all
}

@test "the command gets the launcher's CPUs, whichever CPU init was moved to while it started" {
	sandbox_config
	mine=$(grep Cpus_allowed_list /proc/self/status)
	for i in 1 2 3; do
		run claw-sandbox exec -- grep Cpus_allowed_list /proc/self/status
		assert_output "$mine"
	done
	command -v taskset >/dev/null || skip "needs taskset"
	run taskset -c 0 claw-sandbox exec -- grep Cpus_allowed_list /proc/self/status
	assert_output "$(printf 'Cpus_allowed_list:\t0')"
}

@test "without root: the sandbox is built inside, as the caller, with rlimits where accepted" {
	[ "$(id -u)" = 0 ] || skip "runs as root to become an ordinary user"
	command -v setpriv >/dev/null || skip "needs setpriv"
	# The scratch dirs are this test's own: let the ordinary user walk to them.
	let_others_walk "$BATS_TEST_TMPDIR"
	chown -R 65534:65534 "$OPENCLAW_STATE_DIR" "$HOME"
	sandbox_config '' 'pidsLimit: 16,'
	chown 65534:65534 "$CONFIG"
	run setpriv --reuid=65534 --regid=65534 --clear-groups -- \
		claw-sandbox exec -- sh -c 'id -u; grep NoNewPrivs /proc/self/status; grep processes /proc/self/limits'
	assert_success
	assert_line 65534
	assert_line --regexp '^NoNewPrivs:.1$'
	assert_line --regexp '^Max processes +16 +16 '
	# The host's device nodes, bound in, work (a nodev bind would refuse them all).
	run setpriv --reuid=65534 --regid=65534 --clear-groups -- claw-sandbox exec -- sh -c '
		echo x >/dev/null && echo null-ok
		head -c 3 /dev/zero | wc -c; head -c 4 /dev/urandom | wc -c; head -c 5 /dev/random | wc -c
		cat /dev/zero | head -c 6 | wc -c
		echo x >/dev/full || echo full-refused'
	assert_success
	assert_line null-ok
	assert_line 3
	assert_line 4
	assert_line 5
	assert_line 6
	assert_line full-refused
	refute_output --partial "Permission denied"
	# Where rlimits are accepted (native.rlimitsOnly), the memory limit is RLIMIT_DATA: a
	# hog fails, a runtime reserving address space runs. (Init has it too: under
	# AddressSanitizer, whose shadow memory counts as data, init could not start the
	# command, so an ASan build does not try.)
	ldd "$CLAW_BIN/claw-sandbox" | grep -q libasan && return 0
	native_config 'rlimitsOnly: true'; sandbox_config '' 'memory: "256m",'
	chown 65534:65534 "$CONFIG"
	run setpriv --reuid=65534 --regid=65534 --clear-groups -- claw-sandbox exec -- sh -c '
		grep "data size" /proc/self/limits
		python3 -c "import mmap; m = mmap.mmap(-1, 4 << 30, flags=mmap.MAP_PRIVATE, prot=0); print(\"reserved\"); b = bytearray(512 << 20); print(\"allocated\")"'
	assert_failure
	assert_line --regexp '^Max data size +268435456 +268435456 '
	assert_line reserved
	refute_line allocated
	assert_output --partial MemoryError
	run setpriv --reuid=65534 --regid=65534 --clear-groups -- claw-sandbox explain
	assert_line --regexp '^  assurance +rlimits-only$'
	assert_line --regexp '^  memory +268435456 bytes by rlimit-per-process$'
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

@test "claw exec and claw run take paths with spaces and quotes" {
	state="$BATS_TEST_TMPDIR/my state"
	work="$BATS_TEST_TMPDIR/it's a dir"
	mkdir -p "$state" "$work"
	run claw-approve --state-dir "$state" allowlist add /usr/bin/pwd
	assert_success
	run claw exec --state-dir "$state" --cwd "$work" -- pwd
	assert_success
	assert_output "$work"
	run claw exec --state-dir="$state" --cwd "$work" -- pwd
	assert_output "$work"
	run bash -c 'claw-session new --cwd "$1" -- pwd | claw run --state-dir "$2"' sh "$work" "$state"
	assert_success
	assert_equal "$(jqr .result.stdout)" "$work"
	# Every run was recorded in that state dir's log (its decision, start and end),
	# none in the default one.
	assert_equal "$(wc -l <"$state/audit/decisions.jsonl")" 9
	assert_equal "$(grep -c '^{"end":' "$state/audit/decisions.jsonl")" 3
	[ ! -e "$OPENCLAW_STATE_DIR/audit" ]
}

@test "claw exec: a shell is never made allow-listable in the advice; a plain program is" {
	run claw exec -- sh -c 'ls /'
	assert_failure 126
	assert_output --partial "/usr/bin/sh: a shell never runs without asking"
	assert_output --partial "a person must answer each time"
	refute_output --partial "allowlist add /usr/bin/sh"
	assert_output --partial "to allow it: claw-approve allowlist add /usr/bin/ls"
}

@test "native.pts: terminals of the sandbox's own only when asked, never the host's" {
	command -v script >/dev/null || skip "needs script(1)"
	# Not asked: no /dev/pts, /dev/ptmx or /dev/tty, so no terminal can be made.
	sandbox_config
	run claw-sandbox exec -- sh -c 'ls /dev; script -qc true /dev/null'
	refute_line ptmx
	refute_line pts
	refute_line tty
	assert_failure
	# Asked: a private devpts instance, empty but for what is made inside.
	write_claw_config <<<'{ agents: { defaults: { sandbox: { native: { pts: true } } } } }'
	run claw-sandbox exec -- sh -c 'ls /dev/pts; script -qc "tty; stty size" /dev/null'
	assert_success
	assert_line ptmx
	assert_line --regexp '^/dev/pts/[0-9]+'
	refute_line --regexp '^[0-9]+$'
	# And so as an ordinary user, with the sandbox built inside.
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null || return 0
	let_others_walk "$BATS_TEST_TMPDIR"
	chown -R 65534:65534 "$OPENCLAW_STATE_DIR" "$HOME"
	run setpriv --reuid=65534 --regid=65534 --clear-groups -- \
		claw-sandbox exec -- script -qc tty /dev/null
	assert_success
	assert_output --regexp '/dev/pts/[0-9]+'
}

@test "scope shared: one sandbox in a directory of its own, listed and removed as such" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", scope: "shared" } } } }'
	run_request 'true' '' alice
	run_request 'true' '' bob
	run claw-sandbox list --json
	assert_equal "$(jqo 'length')" 1
	assert_equal "$(jqo '.[0].path')" "$OPENCLAW_STATE_DIR/sandboxes/shared"
	[ -d "$OPENCLAW_STATE_DIR/sandboxes/shared" ]
	run claw-sandbox rm --all
	assert_success
	assert_output "removed openclaw-sbx-shared"
	run ls -A "$OPENCLAW_STATE_DIR/sandboxes"
	assert_output ""
}
