#!/usr/bin/env bats
# claw-sandbox: the promises around the native sandbox's walls, rows of
# claw-sandbox(1)'s THREATS table, each tested where users run it: as root, as
# an ordinary user, and as root on a host without usable cgroups. Tests are
# numbered as the rows: 10 persistence paths can never be planted, 16 the
# operator's terminal is not the sandbox's, 17 the workspace judged as a bind
# is, 18 no setuid file leaves, 19 IPC does not outlive a run and kept state is
# per installation, 20 what the host prints and records is faithful.

load helper
load sandbox

# ws_owner SETTING: the agent workspace belongs to the user the sandbox runs as there.
ws_owner() {
	mkdir -p "$AGENT_WS"
	[ "$1" = user ] || chown -R 65534:65534 "$AGENT_WS"
}

# ---- 3: no setuid or setgid file leaves the sandbox ----

# setid_in SETTING: every way to set the bits refused in a read-write workspace, and no
# file there setuid or setgid on the host afterwards.
setid_in() {
	sandbox_config 'workspaceAccess: "rw",'
	ws_owner "$1"
	run in_setting "$1" claw-sandbox exec -- /probes/setid /workspace
	assert_success
	refute_output --partial ESCAPE
	assert_line "ok chmod: Operation not permitted"
	assert_line "ok openat(O_TMPFILE): Operation not permitted"
	assert_line "ok openat2: Function not implemented"
	assert_line "ok chmod 0700 works"
	run find "$AGENT_WS" -perm /6000
	assert_success
	assert_output ""
	[ -f "$AGENT_WS/plain" ]
}

@test "18 setuid and setgid files never leave the sandbox: as root" {
	setid_in root
}

@test "18 setuid and setgid files never leave the sandbox: as an ordinary user" {
	user_setup
	setid_in user
}

@test "18 setuid and setgid files never leave the sandbox: without usable cgroups" {
	[ "$(id -u)" = 0 ] || skip "hides the cgroups in a mount namespace of its own"
	setid_in nocgroups
}

# ---- 7: what the host prints and records is faithful ----

@test "20 names with escape sequences are shown escaped by list, rm, prune and explain" {
	# A container prefix from the config and a peer from a chat, both with escapes.
	write_config <<'EOF2'
{ agents: { defaults: { sandbox: { mode: "all", scope: "session",
  docker: { containerPrefix: "sbx\u001b[2J\u009b-" } } } } }
EOF2
	run_request true '' $'7\e]0;pwned\a'
	assert_success
	name=$(jqo .sandbox.name)
	[[ $name == *$'\e[2J'* ]]
	run claw-sandbox list
	assert_success
	refute_output --partial $'\e'
	refute_output --partial $'\xc2\x9b'
	assert_output --partial 'sbx\x1b[2J\u009b-workspace-'
	assert_output --partial 'direct:7\x1b]0;pwned\x07'
	run claw-sandbox explain --session "$(claw-sandbox list --json | jq -r '.[0].scopeKey')"
	refute_output --partial $'\e'
	# rm and prune say what they removed, escaped too; --json as JSON.
	run claw-sandbox rm --all
	assert_success
	assert_output --regexp '^removed sbx\\x1b\[2J\\u009b-workspace-[0-9a-f]+$'
	run_request true '' $'7\e]0;pwned\a'
	write_config <<'EOF2'
{ agents: { defaults: { sandbox: { mode: "all", scope: "session", prune: { idleHours: 0, maxAgeDays: 1 },
  docker: { containerPrefix: "sbx\u001b[2J\u009b-" } } } } }
EOF2
	# Made in 1970, by its metadata: older than a day.
	sed -i 's/"createdAtMs":[0-9]*/"createdAtMs":1000/' "$OPENCLAW_STATE_DIR"/sandboxes/*.json
	run claw-sandbox prune
	assert_success
	assert_output --regexp '^removed sbx\\x1b\[2J\\u009b-workspace-[0-9a-f]+ \(too old\)$'
	run_request true '' 8
	name=$(jqo .sandbox.name)
	sed -i 's/"createdAtMs":[0-9]*/"createdAtMs":1000/' "$OPENCLAW_STATE_DIR"/sandboxes/*.json
	run claw-sandbox prune --json
	assert_success
	assert_equal "$(jqo .removed)" "$name"
	assert_equal "$(jqo .reason)" age
}

# unremovable_in SETTING: something in the workspace its remover may not delete.
unremovable_in() {
	local ws
	ws=$(echo "$OPENCLAW_STATE_DIR"/sandboxes/*/)
	ws=${ws%/}
	if [ "$1" = user ]; then
		# A directory of root's in the user's workspace, with a file in it.
		mkdir "$ws/roots" && touch "$ws/roots/file"
		chown -R root:root "$ws/roots"
		UNDO="rm -rf $ws/roots"
	else
		# A mount point: removal never enters one.
		mkdir "$ws/mnt" && mount -t tmpfs none "$ws/mnt"
		UNDO="umount $ws/mnt"
	fi
}

# scope_pins: what is kept of this test's sandboxes under /run/claw (as root).
scope_pins() {
	local ws
	for ws in "$OPENCLAW_STATE_DIR"/sandboxes/*/; do
		ws=${ws%/}
		find /run/claw -name "${ws##*/}" 2>/dev/null
	done | sort
}

# cannot_remove_in SETTING: rm reports the workspace it cannot remove and keeps the
# sandbox whole (metadata, listing, kept namespace); once the cause is gone it goes.
cannot_remove_in() {
	sandbox_config
	run in_setting "$1" claw-sandbox exec -- true
	assert_success
	unremovable_in "$1"
	pins_before=$(scope_pins)
	run in_setting "$1" claw-sandbox rm --all
	assert_failure 1
	assert_output --regexp 'kept: (.* is a mount point|cannot remove .*Permission denied)'
	run in_setting "$1" claw-sandbox list --json
	assert_equal "$(jqo length)" 1
	[ -f "$(jqo -r '.[0].path').json" ] || ls "$OPENCLAW_STATE_DIR"/sandboxes/*.json
	assert_equal "$(scope_pins)" "$pins_before"
	run in_setting "$1" claw-sandbox rm --all --json
	assert_failure 1
	assert_equal "$(jqo -r .kept)" "$(claw-sandbox list --json | jq -r '.[0].name')"
	[ -n "$(jqo -r .error)" ]
	$UNDO
	UNDO=
	run in_setting "$1" claw-sandbox rm --all
	assert_success
	assert_output --partial removed
	run ls "$OPENCLAW_STATE_DIR/sandboxes"
	assert_output ""
}

@test "20 a workspace claw cannot remove is reported, and the sandbox kept whole: as root" {
	[ "$(id -u)" = 0 ] || skip "mounts a tmpfs in the workspace"
	cannot_remove_in root
}

@test "20 a workspace claw cannot remove is reported, and the sandbox kept whole: as an ordinary user" {
	user_setup
	cannot_remove_in user
}

# handoff_in SETTING: run A hands its stdout pipe to run B (over a socket in the shared
# workspace), then outlives its timeout; A's record comes at A's timeout, with A's output
# only, and B's later write finds nobody reading.
handoff_in() {
	sandbox_config 'workspaceAccess: "rw",'
	# B's socket must be in the workspace A sees while both run: without the undo
	# overlay, where a run's writes reach the tree only when it ends.
	native_config 'undoMaxMb: 0,'
	ws_owner "$1"
	mkfifo "$AGENT_WS/go"
	[ "$1" = user ] || chown 65534:65534 "$AGENT_WS/go"
	background listening in_setting "$1" claw-sandbox exec --session agent:main:cron:b -- python3 -c '
import array, socket, os, sys
s = socket.socket(socket.AF_UNIX); s.bind("/workspace/s.sock"); s.listen(1)
print("listening", flush=True)
c, _ = s.accept()
msg, anc, _, _ = c.recvmsg(1, socket.CMSG_LEN(4))
fd = array.array("i", anc[0][2])[0]
open("/workspace/go").read()
try:
    os.write(fd, b"late-from-B\n")
    print("B wrote into the pipe")
except BrokenPipeError:
    print("B: nobody reads the pipe")'
	run timeout 60 bash -c "$(declare -f request through_sandbox in_setting as_user no_cgroups); TEST_USER=$TEST_USER; request 'python3 -c \"
import array, socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(\\\"/workspace/s.sock\\\")
s.sendmsg([b\\\"x\\\"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array(\\\"i\\\", [1]))])
print(\\\"from-A\\\", flush=True)
time.sleep(3600)\"' '\"timeout\": 2' | through_sandbox in_setting $1"
	assert_success
	assert_equal "$(jqo .result.timedOut)" true
	assert_equal "$(jqo .result.stdout)" from-A
	[ "$(jqo .result.ms)" -lt 30000 ]
	echo go > "$AGENT_WS/go"
	read -r -t 30 -u "$BG_OUT" line
	assert_equal "$line" "B: nobody reads the pipe"
	wait "$BG_PID"
}

@test "20 a run's output pipe handed to another run ends with the run: as root" {
	handoff_in root
}

@test "20 a run's output pipe handed to another run ends with the run: as an ordinary user" {
	user_setup
	handoff_in user
}

# ---- 4: IPC does not outlive a run; kept namespaces are per installation ----

# ipc_in SETTING: a run leaves System V IPC (a touched 64 MiB segment, a message queue, a
# semaphore set) and a POSIX message queue behind; the next run of the scope finds
# none of it, and the run's IPC namespace (its objects with it) is held by nothing.
# Landlock off: it would refuse the POSIX queue, and the namespace alone must do.
ipc_in() {
	sandbox_config 'native: { landlock: "off" },'
	run in_setting "$1" claw-sandbox exec -- /probes/ipc leave 64
	assert_success
	refute_output --partial ESCAPE
	assert_line "ok a POSIX message queue with a message"
	ns=${lines[-1]}
	[[ $ns == ipc:\[*\] ]]
	[ "$ns" != "$(readlink /proc/self/ns/ipc)" ]
	run in_setting "$1" claw-sandbox exec -- /probes/ipc find
	assert_success
	refute_output --partial ESCAPE
	# No IPC namespace left on the host holds the run's segment (key "CLAW"): the kernel
	# has freed it with the run's namespace, memory and all. (The namespace's number may
	# be another's by now: the objects are what count.)
	run bash -c '{ for p in /proc/[0-9]*; do echo "$(readlink "$p/ns/ipc") --ipc=$p/ns/ipc"; done
		grep " - nsfs " /proc/self/mountinfo | awk "\$4 ~ /^ipc:/ {print \$4, \"--ipc=\" \$5}"; } 2>/dev/null |
		sort -u -k1,1 | while read -r ns at; do nsenter "$at" ipcs -m 2>/dev/null; done |
		grep -ci 0x434c4157'
	assert_output 0
}

@test "19 System V IPC and message queues do not outlive a run: as root" {
	ipc_in root
}

@test "19 System V IPC and message queues do not outlive a run: as an ordinary user" {
	user_setup
	ipc_in user
}

@test "19 System V IPC and message queues do not outlive a run: without usable cgroups" {
	[ "$(id -u)" = 0 ] || skip "hides the cgroups in a mount namespace of its own"
	ipc_in nocgroups
}

# two_installations [SANDBOX-KEYS]: state dirs A and B (A's is this test's), both with
# scope "shared" and pidsLimit, so both keep a network namespace, cgroups and a root.
two_installations() {
	A=$OPENCLAW_STATE_DIR
	B=$BATS_TEST_TMPDIR/state-b
	mkdir -p "$B"
	local cfg="{ agents: { defaults: { sandbox: { mode: \"all\", scope: \"shared\", ${1:-}
  docker: { pidsLimit: 64, binds: [\"$CLAW_PROBES:/probes:ro\"], dangerouslyAllowExternalBindSources: true } } } } }"
	echo "$cfg" > "$A/openclaw.json"
	echo "$cfg" > "$B/openclaw.json"
}

# in_b CMD...: CMD for installation B.
in_b() {
	OPENCLAW_STATE_DIR=$B "$@"
}

@test "19 two installations on one host, both of scope shared, keep nothing in common" {
	[ "$(id -u)" = 0 ] || skip "only root keeps namespaces, cgroups and roots"
	two_installations
	run claw-sandbox exec -- sh -c 'readlink /proc/self/ns/net'
	assert_success
	net_a=$output
	run in_b claw-sandbox exec -- sh -c 'readlink /proc/self/ns/net'
	assert_success
	net_b=$output
	[ "$net_a" != "$net_b" ]
	pins_a=$(pin_dir)
	pins_b=$(in_b pin_dir)
	[ "$pins_a" != "$pins_b" ]
	[ -n "$(ls "$pins_a/netns")" ] && [ -n "$(ls "$pins_b/netns")" ]
	[ -n "$(ls "$pins_a/mntns")" ] && [ -n "$(ls "$pins_b/mntns")" ]
	# Their cgroups are their own, named after each installation.
	cg_a=$(find /sys/fs/cgroup/ -maxdepth 4 -type d -name "claw.${pins_a##*/}.*" | head -1)
	cg_b=$(find /sys/fs/cgroup/ -maxdepth 4 -type d -name "claw.${pins_b##*/}.*" | head -1)
	[ -n "$cg_a" ] && [ -n "$cg_b" ]
	# rm --all in A leaves every bit of B, which runs on in the namespace it had.
	before_b=$(find "$pins_b" | sort)
	run claw-sandbox rm --all
	assert_success
	[ ! -e "$pins_a" ]
	[ ! -e "$cg_a" ]
	assert_equal "$(find "$pins_b" | sort)" "$before_b"
	[ -d "$cg_b" ]
	[ -d "$B/sandboxes/shared" ]
	run in_b claw-sandbox exec -- sh -c 'readlink /proc/self/ns/net'
	assert_equal "$output" "$net_b"
	run in_b claw-sandbox rm --all
	assert_success
	[ ! -e "$pins_b" ]
}

# shared_root_in SETTING: two installations with one workspaceRoot; each lists, prunes
# and removes its own workspaces only.
shared_root_in() {
	two_installations "workspaceRoot: \"$BATS_TEST_TMPDIR/sandboxes\", prune: { idleHours: 0, maxAgeDays: 1 },"
	mkdir -p "$BATS_TEST_TMPDIR/sandboxes"
	[ "$1" = root ] || chown "$TEST_USER:" "$BATS_TEST_TMPDIR/sandboxes" "$B" "$B/openclaw.json"
	run in_setting "$1" claw-sandbox exec --session agent:main:cron:a -- true
	assert_success
	# B's scope of another name, in a directory of the same root.
	sed -i 's/scope: "shared"/scope: "session"/' "$B/openclaw.json"
	run in_b in_setting "$1" claw-sandbox exec --session agent:main:cron:b -- true
	assert_success
	run in_setting "$1" claw-sandbox list --json
	assert_equal "$(jqo length)" 1
	assert_equal "$(jqo '.[0].name')" openclaw-sbx-shared
	run in_b in_setting "$1" claw-sandbox list --json
	assert_equal "$(jqo length)" 1
	b_name=$(jqo '.[0].name')
	[ "$b_name" != openclaw-sbx-shared ]
	sed -i 's/"createdAtMs":[0-9]*/"createdAtMs":1000/' "$BATS_TEST_TMPDIR"/sandboxes/*.json
	run in_setting "$1" claw-sandbox prune
	assert_success
	assert_output "removed openclaw-sbx-shared (too old)"
	run in_setting "$1" claw-sandbox rm --all
	assert_success
	assert_output ""
	run in_b in_setting "$1" claw-sandbox list --json
	assert_equal "$(jqo '.[0].name')" "$b_name"
	run in_b in_setting "$1" claw-sandbox rm --all
	assert_output "removed $b_name"
}

@test "19 two installations sharing a workspaceRoot each remove their own only: as root" {
	shared_root_in root
}

@test "19 two installations sharing a workspaceRoot each remove their own only: as an ordinary user" {
	user_setup
	shared_root_in user
}

# ---- 2: the workspace is judged by the rules a bind is ----

# why: a refusal without what was judged ("bind mount \"SPEC\"", "the workspace \"PATH\"").
why() {
	sed -E 's/^claw-sandbox: Sandbox security: (bind mount|the [a-z -]+) "[^"]*" //' <<<"$1"
}

# config_in_workspace_in SETTING: a config claw reads, inside the read-write workspace or the
# read-only one, by every way of naming it, is refused; nothing runs.
config_in_workspace_in() {
	local ws=$BATS_TEST_TMPDIR/project conf access how
	mkdir -p "$ws/conf"
	if [ "$1" = root ]; then chown -R 65534:65534 "$ws"; else chown -R "$TEST_USER:" "$ws"; fi
	for access in rw ro; do
		for how in env option claw claw-option; do
			conf=$ws/conf/openclaw.json
			cat > "$conf" <<EOF
{ agents: { defaults: { workspace: "$ws", sandbox: { mode: "all", workspaceAccess: "$access" } } } }
EOF
			[ "$1" = root ] || chown "$TEST_USER:" "$conf"
			case $how in
			env) run env OPENCLAW_CONFIG_PATH="$conf" bash -c "$(declare -f in_setting as_user no_cgroups); TEST_USER=$TEST_USER; in_setting $1 claw-sandbox exec -- touch /workspace/ran" ;;
			option) run in_setting "$1" claw-sandbox --config "$conf" exec -- touch /workspace/ran ;;
			claw) cp "$conf" "$CONFIG"
				conf=$ws/claw.json # claw's own file
				echo '{}' > "$conf"
				[ "$1" = root ] || chown "$TEST_USER:" "$conf"
				run env CLAW_CONFIG_PATH="$conf" bash -c "$(declare -f in_setting as_user no_cgroups); TEST_USER=$TEST_USER; in_setting $1 claw-sandbox exec -- touch /workspace/ran" ;;
			claw-option) cp "$conf" "$CONFIG"
				conf=$ws/claw.json
				echo '{}' > "$conf"
				[ "$1" = root ] || chown "$TEST_USER:" "$conf"
				run in_setting "$1" claw-sandbox --claw-config "$conf" exec -- touch /workspace/ran ;;
			esac
			assert_failure 126
			assert_output --partial "reaches claw's own state \"$conf\""
			[ ! -e "$ws/ran" ]
		done
	done
	# Kept out of it, the config runs.
	rm "$ws/conf/openclaw.json"
	write_config <<EOF
{ agents: { defaults: { workspace: "$ws", sandbox: { mode: "all", workspaceAccess: "rw" } } } }
EOF
	run in_setting "$1" claw-sandbox exec -- touch /workspace/ran
	assert_success
	[ -e "$ws/ran" ]
}

@test "17 a config file in the workspace is refused, however it is named: as root" {
	config_in_workspace_in root
}

@test "17 a config file in the workspace is refused, however it is named: as an ordinary user" {
	user_setup
	config_in_workspace_in user
}

# exposed_in SETTING: each path, as the read-write workspace and as a bind, refused for
# the same reason: a home, a credential dir, a place inside one, a claw state dir of a
# home, what holds a home. A project beside them runs.
exposed_in() {
	local ext='dangerouslyAllowExternalBindSources: true' path ws_why bind_why
	mkdir -p "$HOME/.ssh" "$HOME/.config/gh" "$HOME/.openclaw" "$HOME/project"
	for path in "$HOME" "$HOME/.ssh" "$HOME/.config/gh" "$HOME/.openclaw" "$BATS_TEST_TMPDIR"; do
		write_config <<EOF
{ agents: { defaults: { workspace: "$path", sandbox: { mode: "all", workspaceAccess: "rw" } } } }
EOF
		run in_setting "$1" claw-sandbox exec -- true
		assert_failure 126
		assert_output --regexp "Sandbox security: the workspace \"$path\" (covers|targets|reaches)"
		ws_why=$(why "$output")
		write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", docker: { binds: ["$path:/data"], $ext } } } } }
EOF
		run in_setting "$1" claw-sandbox exec -- true
		assert_failure 126
		bind_why=$(why "$output")
		assert_equal "$ws_why" "$bind_why"
	done
	[[ $ws_why == *"covers blocked path \"$HOME/"* ]]
	write_config <<EOF
{ agents: { defaults: { workspace: "$HOME/.openclaw", sandbox: { mode: "all", workspaceAccess: "rw" } } } }
EOF
	run in_setting "$1" claw-sandbox exec -- true
	assert_output --partial "reaches a claw state directory \"$HOME/.openclaw\""
	# claw-audit check names it, by the same rule.
	run in_setting "$1" claw-audit check --json
	assert_equal "$(jqo '[.findings[] | select(.checkId == "sandbox.workspace_exposed")] | length')" 1
	assert_output --partial "reaches a claw state directory"
	write_config <<EOF
{ agents: { defaults: { workspace: "$HOME/project", sandbox: { mode: "all", workspaceAccess: "rw" } } } }
EOF
	run in_setting "$1" claw-sandbox exec -- true
	assert_success
	run in_setting "$1" claw-audit check --json
	assert_equal "$(jqo '[.findings[] | select(.checkId == "sandbox.workspace_exposed")] | length')" 0
}

@test "17 a workspace that is, holds or lies in a home's credentials or a claw state dir is refused as a bind is: as root" {
	exposed_in root
}

@test "17 a workspace that is, holds or lies in a home's credentials or a claw state dir is refused as a bind is: as an ordinary user" {
	user_setup
	exposed_in user
}

# ---- 6: the operator's terminal is not the sandbox's ----

# terminal_state: the terminal on stdin as a line: its settings (stty -g), its window, and
# whether it is exclusive (TIOCGEXCL).
terminal_state() {
	printf '%s size=%s ' "$(stty -g)" "$(stty size)"
	python3 -c 'import array, fcntl; b = array.array("i", [0]); fcntl.ioctl(0, 0x80045440, b); print("excl=%d" % b[0])'
}

# uncr: $output and $lines without the carriage returns a terminal puts before newlines.
uncr() {
	output=${output//$'\r'/}
	mapfile -t lines <<<"$output"
}

# terminal_in SETTING: from a real terminal (30x100), a command that turns echo and ^C off,
# sets TIOCEXCL and a 1x1 window, flushes typeahead and stops output leaves the
# operator's terminal as it was, with no SIGWINCH for its foreground group; it had a
# terminal of its own with the operator's window size.
terminal_in() {
	sandbox_config
	run python3 "$BATS_TEST_DIRNAME/ptyrun.py" -t 60 -s 30x100 -- bash -c "
		$(declare -f in_setting as_user no_cgroups terminal_state); TEST_USER=$TEST_USER
		trap 'echo WINCH' WINCH
		echo before \$(terminal_state)
		in_setting $1 claw-sandbox exec -- sh -c 'stty size; /probes/tty'
		echo exit \$?
		echo after \$(terminal_state)"
	uncr
	assert_success
	refute_output --partial ESCAPE
	refute_output --partial WINCH
	assert_line "30 100"
	assert_line --partial "changed; output stops now"
	assert_line "exit 0"
	before=$(grep '^before ' <<<"$output")
	after=$(grep '^after ' <<<"$output")
	[[ $before == *"size=30 100 excl=0"* ]]
	assert_equal "${after#after }" "${before#before }"
}

@test "16 the operator's terminal is not the sandbox's: as root" {
	terminal_in root
}

@test "16 the operator's terminal is not the sandbox's: as an ordinary user" {
	user_setup
	terminal_in user
}

@test "16 the operator's terminal is not the sandbox's: without usable cgroups" {
	[ "$(id -u)" = 0 ] || skip "hides the cgroups in a mount namespace of its own"
	terminal_in nocgroups
}

@test "16 ^C at the terminal reaches the sandboxed command, through its own terminal" {
	sandbox_config
	run python3 "$BATS_TEST_DIRNAME/ptyrun.py" expect:ready 'send:\x03' -- bash -c "
		claw-sandbox exec -- sh -c 'trap \"echo got SIGINT; exit 3\" INT; echo ready; while :; do read -r x; done'
		echo exit \$?"
	uncr
	assert_success
	assert_line --partial "got SIGINT"
	assert_line "exit 3"
}

# ---- 5: persistence paths can never be planted ----

# Names the host runs on its own (claw-sandbox(1), Persistence paths).
PERSIST_NAMES=".git .gitmodules .gitconfig .hg .github .bashrc .bash_profile .bash_login
.bash_logout .profile .zshrc .zshenv .zprofile .zlogin .envrc .npmrc .yarnrc.yml .yarnrc
.pre-commit-config.yaml lefthook.yml .lefthook.yml lefthook-local.yml .lefthook-local.yml
.lefthook mise.toml .mise.toml .jj .cargo .vscode .idea .cursor .zed .helix .devcontainer
.kiro .mcp.json .claude .codex .gemini .opencode opencode.json .continue .roo .amazonq
.openclaw openclaw.json exec-approvals.json claw.json"

# tree_state DIR: every entry of DIR (recursively), with its type, size and target, so that
# a run that changed nothing leaves the same text.
tree_state() {
	(cd "$1" && find . -printf '%p %y %s %l\n' | sort)
}

# plant_in SETTING: in the read-write workspace and in a read-write bind inside it (also
# seen at /workspace/data), each name, missing, a file, a directory or a symlink (into
# the workspace or out of it), cannot be planted; the trees are as they were after.
plant_in() {
	local ws=$AGENT_WS
	mkdir -p "$ws/data/.git/hooks" "$ws/.git/hooks" "$ws/realcargo"
	echo '[core]' > "$ws/.git/config"
	echo 'echo hi' > "$ws/.bashrc"
	echo 'export A=1' > "$ws/real-zshrc"
	ln -s real-zshrc "$ws/.zshrc"
	ln -s realcargo "$ws/.cargo"
	ln -s /nonexistent "$ws/.profile"
	echo '[core]' > "$ws/data/.git/config"
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", workspaceAccess: "rw",
  docker: { binds: ["$CLAW_PROBES:/probes:ro", "$ws/data:/data:rw"], dangerouslyAllowExternalBindSources: true } } } } }
EOF
	ws_owner "$1"
	before=$(tree_state "$ws")
	# shellcheck disable=SC2086
	run in_setting "$1" claw-sandbox exec -- /probes/plant /workspace /data /workspace/data \
		/workspace/realcargo -- $PERSIST_NAMES
	assert_success
	refute_output --partial ESCAPE
	assert_equal "$(tree_state "$ws")" "$before"
	# What the links lead to stayed as it was, and ordinary files are the command's.
	run in_setting "$1" claw-sandbox exec -- sh -c 'echo x >> /workspace/real-zshrc; touch /workspace/realcargo/config; echo new > /workspace/new; echo d > /data/new'
	assert_output --partial "real-zshrc: Read-only file system"
	assert_output --partial "realcargo/config': Read-only file system"
	assert_equal "$(cat "$ws/new") $(cat "$ws/data/new")" "new d"
	assert_equal "$(cat "$ws/real-zshrc")" "export A=1"
}

@test "10 persistence paths can never be planted, there or not, as files, directories or links: as root" {
	plant_in root
}

@test "10 persistence paths can never be planted, there or not, as files, directories or links: as an ordinary user" {
	user_setup
	plant_in user
}

@test "10 persistence paths can never be planted, there or not, as files, directories or links: without usable cgroups" {
	[ "$(id -u)" = 0 ] || skip "hides the cgroups in a mount namespace of its own"
	plant_in nocgroups
}

# plant_scope_in SETTING: the same in the scope's own workspace (workspaceAccess "none"),
# where, as root, the placeholders are root's in a sticky directory: no mount needed.
plant_scope_in() {
	sandbox_config
	# shellcheck disable=SC2086
	run in_setting "$1" claw-sandbox exec -- /probes/plant /workspace -- $PERSIST_NAMES
	assert_success
	refute_output --partial ESCAPE
	scope=$(ls -d "$OPENCLAW_STATE_DIR"/sandboxes/*/)
	for name in $PERSIST_NAMES; do
		[ "$(stat -c %Y "$scope/$name")" = 0 ]
	done
}

@test "10 persistence paths can never be planted in the scope's own workspace: as root" {
	plant_scope_in root
	run claw-sandbox exec -- grep -c ' /workspace' /proc/self/mountinfo
	assert_output 1
}

@test "10 persistence paths can never be planted in the scope's own workspace: as an ordinary user" {
	user_setup
	plant_scope_in user
}

# git_plant_in SETTING: a repository whose config (and the config it includes from the
# tree, under a condition or not) names hooks, a filter, an alias and an fsmonitor in the
# work tree, and whose .git/hooks leads out of .git: none of them can be planted,
# changed or moved, there or not, and the rest of the tree is the command's.
git_plant_in() {
	local ws=$AGENT_WS
	mkdir -p "$ws/.git" "$ws/.husky/_" "$ws/hooks-real"
	ln -s ../hooks-real "$ws/.git/hooks"
	printf '%s\n' '[core]' '	hooksPath = .husky/_' '[include]' '	path = ../.gitconfig.local' \
		'[filter "lfsx"]' '	clean = ./tools/clean.sh %f' '[alias]' '	x = "!sh scripts/x.sh"' \
		'[includeIf "gitdir:/nowhere/"]' '	path = ../.more.cfg' \
		'[core]' '	sshCommand = ssh -o ProxyCommand=\"./proxy.sh %h\"' \
		'[credential]' '	helper = store --file=creds/store' > "$ws/.git/config"
	printf '[core]\n\tfsmonitor = bin/fsmon\n' > "$ws/.more.cfg"
	echo 'echo stub' > "$ws/.husky/_/pre-commit"
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", workspaceAccess: "rw" } } } }'
	ws_owner "$1"
	before=$(tree_state "$ws")
	run in_setting "$1" claw-sandbox exec -- sh -c '
		cd /workspace || exit 1
		for f in .husky/_/pre-commit .husky/pre-commit .gitconfig.local tools/clean.sh \
			scripts/x.sh .more.cfg bin/fsmon hooks-real/post-checkout proxy.sh creds/store; do
			case $f in */*) mkdir -p "${f%/*}" 2>/dev/null ;; esac
			echo evil 2>/dev/null > "$f" && echo "PLANTED $f"
		done
		mv hooks-real elsewhere 2>/dev/null && echo "PLANTED by moving hooks-real"
		echo mine > free'
	assert_success
	refute_output --partial PLANTED
	assert_equal "$(cat "$ws/free")" mine
	rm "$ws/free"
	assert_equal "$(tree_state "$ws")" "$before"
}

@test "10 what a repository's git config names for git to run can never be planted: as root" {
	git_plant_in root
}

@test "10 what a repository's git config names for git to run can never be planted: as an ordinary user" {
	user_setup
	git_plant_in user
}

@test "10 what a repository's git config names for git to run can never be planted: without usable cgroups" {
	[ "$(id -u)" = 0 ] || skip "hides the cgroups in a mount namespace of its own"
	git_plant_in nocgroups
}

# nested_in SETTING: a read-write bind of a repository inside the workspace (the undo
# journal off: it would undo a rename) shows there as a mount of its own: it can be
# neither renamed nor replaced there, and what is written at one place is at the other.
nested_in() {
	local ws=$AGENT_WS
	mkdir -p "$ws/repo/.git"
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", workspaceAccess: "rw",
  docker: { binds: ["$ws/repo:/repo:rw"], dangerouslyAllowExternalBindSources: true } } } } }
EOF
	native_config 'undoMaxMb: 0,'
	ws_owner "$1"
	run in_setting "$1" claw-sandbox exec -- sh -c '
		mv /workspace/repo /workspace/old 2>/dev/null && echo RENAMED
		rm -rf /workspace/repo 2>/dev/null; [ -d /workspace/repo/.git ] || echo REPLACED
		echo x > /workspace/repo/file && cat /repo/file'
	assert_success
	refute_output --partial RENAMED
	refute_output --partial REPLACED
	assert_output x
	[ -d "$ws/repo/.git" ] && [ -f "$ws/repo/file" ] && [ ! -e "$ws/old" ]
}

@test "10 a read-write bind inside the workspace can be neither renamed nor replaced there: as root" {
	nested_in root
}

@test "10 a read-write bind inside the workspace can be neither renamed nor replaced there: as an ordinary user" {
	user_setup
	nested_in user
}

@test "10 a read-write bind inside the workspace can be neither renamed nor replaced there: without usable cgroups" {
	[ "$(id -u)" = 0 ] || skip "hides the cgroups in a mount namespace of its own"
	nested_in nocgroups
}

@test "10 a repository whose core.worktree lies below the top: its hooks there can never be planted" {
	# Relative to the gitdir, the work tree is sub/, and hooksPath is relative to it.
	mkdir -p "$AGENT_WS/.git" "$AGENT_WS/sub"
	printf '[core]\n\tworktree = ../sub\n\thooksPath = hooks\n' > "$AGENT_WS/.git/config"
	sandbox_config 'workspaceAccess: "rw",'
	ws_owner root
	run claw-sandbox exec -- sh -c 'mkdir -p /workspace/sub/hooks && echo evil > /workspace/sub/hooks/pre-commit'
	assert_output --partial "Read-only file system"
	[ ! -e "$AGENT_WS/sub/hooks" ]
}

@test "10 a linked work tree's hooks, named by its repository's shared config, can never be planted" {
	# The workspace is a work tree of a repository kept in .wt: .git names its gitdir,
	# whose commondir leads to the config every work tree shares.
	mkdir -p "$AGENT_WS/.wt/worktrees/w"
	echo 'gitdir: .wt/worktrees/w' > "$AGENT_WS/.git"
	echo '../..' > "$AGENT_WS/.wt/worktrees/w/commondir"
	printf '[core]\n\thooksPath = hooks2\n' > "$AGENT_WS/.wt/config"
	sandbox_config 'workspaceAccess: "rw",'
	ws_owner root
	run claw-sandbox exec -- sh -c 'mkdir /workspace/hooks2; echo evil > /workspace/hooks2/pre-commit'
	assert_output --partial "Read-only file system"
	[ ! -e "$AGENT_WS/hooks2/pre-commit" ]
}

@test "10 a .git file naming a gitdir in the workspace keeps that gitdir read-only" {
	mkdir -p "$AGENT_WS/.bare/hooks"
	echo 'gitdir: ./.bare' > "$AGENT_WS/.git"
	sandbox_config 'workspaceAccess: "rw",'
	ws_owner root
	run claw-sandbox exec -- sh -c 'echo evil > /workspace/.bare/hooks/post-checkout; mv /workspace/.bare /workspace/x'
	assert_output --partial "Read-only file system"
	assert_output --partial "busy"
	[ ! -e "$AGENT_WS/.bare/hooks/post-checkout" ]
}

# The scope's own workspace, which claw made, keeps its placeholders; the user's trees
# have them only while a run uses them, and the last run out removes them.
@test "10 placeholders: kept in the scope's own workspace; in the user's trees only while a run goes on" {
	# The long run waits on a FIFO the test writes from the host: without the undo
	# overlay, which gives a run FIFOs of its own.
	native_config 'undoMaxMb: 0,'
	sandbox_config
	run claw-sandbox exec -- true
	assert_success
	scope=$(ls -d "$OPENCLAW_STATE_DIR"/sandboxes/*/)
	[ "$(stat -c '%s %a %Y' "$scope/.envrc")" = "0 444 0" ]
	[ "$(stat -c '%a %Y' "$scope/.git")" = "555 0" ]
	sandbox_config 'workspaceAccess: "rw",'
	ws_owner root
	run claw-sandbox exec -- true
	assert_success
	run ls -A "$AGENT_WS"
	assert_output ""
	# A run that goes on keeps them there when another ends; it stays protected.
	mkfifo "$AGENT_WS/go" && chown 65534:65534 "$AGENT_WS/go"
	background waiting claw-sandbox exec --session agent:main:cron:long -- sh -c 'echo waiting; cat /workspace/go >/dev/null; echo evil > /workspace/.envrc || echo refused'
	run claw-sandbox exec --session agent:main:cron:short -- true
	assert_success
	[ -f "$AGENT_WS/.envrc" ] && [ ! -s "$AGENT_WS/.envrc" ]
	echo go > "$AGENT_WS/go"
	read -r -t 30 -u "$BG_OUT" line
	[[ $line =~ ^"sh: 1: cannot create /workspace/.envrc: "(Read-only\ file\ system|Permission\ denied)$ ]]
	read -r -t 30 -u "$BG_OUT" line
	assert_equal "$line" refused
	wait "$BG_PID"
	rm "$AGENT_WS/go"
	run ls -A "$AGENT_WS"
	assert_output ""
	# A launcher killed outright leaves them, harmless; the next run's end takes them.
	background waiting claw-sandbox exec -- sh -c 'echo waiting; exec sleep 8981'
	kill -KILL "$BG_PID"
	wait "$BG_PID" || true
	[ -f "$AGENT_WS/.envrc" ]
	run claw-sandbox exec -- true
	run ls -A "$AGENT_WS"
	assert_output ""
}

# special_in SETTING: a FIFO or socket at a persistence path (a shell reading .bashrc from
# a FIFO runs what is written into it) is moved aside before the run to a name no one
# could have made beforehand, and reported; 200 names made in its way change nothing.
special_in() {
	sandbox_config 'workspaceAccess: "rw",'
	mkfifo "$AGENT_WS/.bashrc"
	for i in $(seq 200); do touch "$AGENT_WS/.bashrc.claw-quarantine-$i"; done
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$AGENT_WS/.envrc"
	ws_owner "$1"
	run in_bash "request 'test -p .bashrc || echo not-a-fifo' | through_sandbox in_setting $1 2>$BATS_TEST_TMPDIR/err"
	assert_success
	grep -q "claw-sandbox: $AGENT_WS/.bashrc, a special file at a persistence path, was moved to $AGENT_WS/.bashrc.claw-quarantine-" "$BATS_TEST_TMPDIR/err"
	assert_equal "$(jqr .result.stdout)" not-a-fifo
	assert_equal "$(jqr '.result.quarantined | length')" 2
	for name in .bashrc .envrc; do
		moved=$(jqr --arg p "$AGENT_WS/$name" '.result.quarantined[] | select(.path == $p) | .movedTo')
		[[ $moved =~ ^$AGENT_WS/$name\.claw-quarantine-[0-9a-f]{16}$ ]]
		[ -p "$moved" ] || [ -S "$moved" ]
	done
	[ ! -e "$AGENT_WS/.bashrc" ] && [ ! -e "$AGENT_WS/.envrc" ]
}

@test "10 a FIFO or socket at a persistence path is moved aside, whatever names are in the way: as root" {
	special_in root
}

@test "10 a FIFO or socket at a persistence path is moved aside, whatever names are in the way: as an ordinary user" {
	user_setup
	special_in user
}

@test "10 a repository below the top of a read-write tree: the dev preset says so, claw-audit check warns" {
	grep -q "one bind of a whole repos folder leaves every" "$BATS_TEST_DIRNAME/../share/claw/presets/dev.json5"
	mkdir -p "$HOME/repos/app/.git" "$HOME/repos/lib/.git"
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all",
  docker: { binds: ["$HOME/repos:/repos:rw"], dangerouslyAllowExternalBindSources: true } } } } }
EOF
	run claw-audit check --json
	assert_equal "$(jqo '[.findings[] | select(.checkId == "sandbox.nested_repositories") | .severity] | join(" ")')" warn
	assert_output --partial "$HOME/repos, read-write in the sandbox, holds repositories"
	# One bind per repository: each .git is at the top of its tree, and read-only.
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all",
  docker: { binds: ["$HOME/repos/app:/repos/app:rw", "$HOME/repos/lib:/repos/lib:rw"], dangerouslyAllowExternalBindSources: true } } } } }
EOF
	run claw-audit check --json
	assert_equal "$(jqo '[.findings[] | select(.checkId == "sandbox.nested_repositories")] | length')" 0
	run claw-sandbox exec -- sh -c 'mkdir /repos/app/.git/hooks'
	assert_failure
	assert_output --partial "cannot create directory"
}
