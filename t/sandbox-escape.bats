#!/usr/bin/env bats
# claw-sandbox: the escape suite. One test (at least) per class of attack any
# sandbox must meet, rows 1 to 15 of claw-sandbox(1)'s THREATS table, numbered
# as the rows; each probe in t/probes tries the escape from inside and prints
# ESCAPE when it gets through.

load helper
load sandbox

# start_listener NAME: a TCP listener on the host's 127.0.0.1 ($LISTENER_PORT) and an
# abstract unix socket NAME, until the test ends. Waits on a pipe, not a clock.
start_listener() {
	mkfifo "$BATS_TEST_TMPDIR/ready"
	exec {ready}<>"$BATS_TEST_TMPDIR/ready"
	python3 - "$BATS_TEST_TMPDIR/ready" "$1" <<'PY' &
import signal, socket, sys
tcp = socket.socket(); tcp.bind(("127.0.0.1", 0)); tcp.listen(1)
ab = socket.socket(socket.AF_UNIX); ab.bind("\0" + sys.argv[2]); ab.listen(1)
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % tcp.getsockname()[1])
signal.pause()
PY
	LISTENER_PID=$!
	read -r -t 60 -u "$ready" LISTENER_PORT
	[ -n "$LISTENER_PORT" ]
}

teardown() {
	if [ -n "${LISTENER_PID:-}" ]; then
		kill "$LISTENER_PID" 2>/dev/null || true
		wait "$LISTENER_PID" 2>/dev/null || true
	fi
	common_teardown
}

@test "1 terminal injection: TIOCSTI and TIOCLINUX refused, even with high bits; the terminal is the sandbox's own" {
	sandbox_config
	probe tiocsti
	# Again with a real terminal on stdin: the case TIOCSTI is dangerous in. The
	# terminal the command has is one of its own, not the operator's.
	run script -qec "tty; claw-sandbox exec -- /probes/tiocsti" /dev/null
	assert_success
	assert_output --partial "ok TIOCSTI: Operation not permitted"
	refute_output --partial ESCAPE
	operator=$(head -1 <<<"${output//$'\r'/}")
	[[ $operator == /dev/pts/* ]]
	assert_output --partial "terminal: /dev/pts/"
	refute_output --partial "terminal: $operator"$'\r'
}

@test "2 setuid re-escalation: no_new_privs, no capabilities, not root" {
	sandbox_config
	probe nnp
}

@test "2 setuid re-escalation: a real setuid-root binary gains nothing inside" {
	[ "$(id -u)" = 0 ] || skip "needs root to make a setuid-root binary"
	command -v setpriv >/dev/null || skip "needs setpriv"
	mkdir "$BATS_TEST_TMPDIR/suid"
	cp "$CLAW_PROBES/suid" "$BATS_TEST_TMPDIR/suid/suid"
	chmod 4755 "$BATS_TEST_TMPDIR/suid/suid"
	let_others_walk "$BATS_TEST_TMPDIR/suid"
	# On the host it is setuid for real: nobody running it becomes root.
	run setpriv --reuid=65534 --regid=65534 --clear-groups -- "$BATS_TEST_TMPDIR/suid/suid"
	assert_line "uid=65534 euid=0"
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all",
  docker: { binds: ["$BATS_TEST_TMPDIR/suid:/suid:ro"], dangerouslyAllowExternalBindSources: true } } } } }
EOF
	run claw-sandbox exec -- /suid/suid
	assert_success
	assert_line "uid=65534 euid=65534"
	assert_line --regexp '^CapEff:.0000000000000000$'
}

@test "3 other processes: no ptrace or process_vm_*, host processes cannot be signalled" {
	sandbox_config
	probe ptrace $$ "$PPID"
}

@test "4 dangerous system calls: keyrings, bpf, perf, userfaultfd, mount APIs, namespaces, clone3" {
	sandbox_config
	probe syscalls
}

@test "4 the filter itself, in a process with root's capabilities and a terminal: every row refuses" {
	[ "$(id -u)" = 0 ] || skip "needs root's capabilities, which the filter must hold back"
	# Inside the sandbox these calls fail without the filter too (no capability, a new
	# session): the filter claw-sandbox installs is loaded here where they would work.
	claw-sandbox features --filter > "$BATS_TEST_TMPDIR/filter.bpf"
	run python3 "$BATS_TEST_DIRNAME/ptyrun.py" -- "$CLAW_PROBES/filter" "$BATS_TEST_TMPDIR/filter.bpf"
	assert_success
	refute_output --partial ESCAPE
	assert_line --partial "ok TIOCSTI with bits above 32 set: Operation not permitted"
	assert_line --partial "ok clone3: Function not implemented"
	assert_line --partial "ok personality(0xffffffff), the query: works"
}

@test "5 another ABI: i386 and x32 system calls kill the process" {
	sandbox_config
	probe abi
	assert_output --partial "i386 int 0x80: killed by signal 31"
}

@test "6 io_uring cannot be set up" {
	sandbox_config
	probe iouring
}

@test "7 read-only paths stay read-only: no remount, no nested user namespace" {
	sandbox_config
	probe remount
}

@test "8 network: no route out, no host loopback, no netlink/packet/vsock, no host abstract socket" {
	sandbox_config
	name="claw-probe-$$-$RANDOM"
	start_listener "$name"
	probe net "$LISTENER_PORT" "$name"
}

@test "8 network: with the host's network, the host's abstract sockets stay out of reach (Landlock scope)" {
	sandbox_config '' 'network: "bridge",'
	name="claw-probe-$$-$RANDOM"
	start_listener "$name"
	run claw-sandbox exec -- python3 -c "import socket; s = socket.socket(socket.AF_UNIX); s.connect('\\0$name'); print('connected')"
	assert_failure
	refute_output --partial connected
	assert_output --partial "Operation not permitted"
}

@test "8 network: the filter allows only AF_UNIX sockets without a network" {
	sandbox_config
	run claw-sandbox explain --seccomp
	assert_success
	assert_output --partial 'if ($a0.lo32 > 1)'
}

@test "9 host sockets: no docker.sock, no D-Bus, no SSH agent" {
	sandbox_config
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$BATS_TEST_TMPDIR/agent.sock"
	export SSH_AUTH_SOCK="$BATS_TEST_TMPDIR/agent.sock"
	export DBUS_SESSION_BUS_ADDRESS="unix:path=$BATS_TEST_TMPDIR/agent.sock"
	probe sockets "$SSH_AUTH_SOCK"
}

@test "10 persistence: .git and shell rc files of a writable workspace stay read-only" {
	sandbox_config 'workspaceAccess: "rw",'
	mkdir -p "$AGENT_WS/.git/hooks"
	echo '[core]' > "$AGENT_WS/.git/config"
	echo 'echo hi' > "$AGENT_WS/.bashrc"
	# The agent workspace belongs to the user the sandbox runs as (here nobody).
	chown -R 65534:65534 "$AGENT_WS"
	probe persist /workspace
	assert_equal "$(cat "$AGENT_WS/.git/config")" "[core]"
	assert_equal "$(cat "$AGENT_WS/.bashrc")" "echo hi"
	[ ! -e "$AGENT_WS/.git/hooks/post-checkout" ]
	[ -f "$AGENT_WS/probe-note.txt" ]
}

@test "10 persistence: names that do not exist yet cannot be made, as files, directories or links" {
	sandbox_config 'workspaceAccess: "rw",'
	echo '[submodule]' > "$AGENT_WS/.gitmodules"
	echo keep > "$BATS_TEST_TMPDIR/keep"
	chown -R 65534:65534 "$AGENT_WS"
	cmd="mkdir -p .git/hooks; echo evil > .git/hooks/post-checkout; echo evil > .bashrc;"
	cmd="$cmd echo evil > .envrc; mkdir .openclaw; echo {} > .openclaw/openclaw.json;"
	cmd="$cmd echo {} > exec-approvals.json; ln -s $BATS_TEST_TMPDIR/keep .zshrc; rm -rf .mcp.json;"
	cmd="$cmd mv .npmrc npmrc; echo ok > notes.txt"
	run bash -c "$(declare -f request); request '$cmd' | claw-session | claw-audit log | claw-sandbox"
	assert_success
	assert_equal "$(jqr .result.exit)" 0
	assert_equal "$(jqr .result.quarantined)" null
	# Refused, by a read-only mount or (ids of the sandbox's own) by ownership.
	assert_equal "$(jqr .result.stderr | grep -c 'Read-only file system\|File exists\|busy\|nonexistent\|Permission denied\|Value too large')" 10
	# Nothing of it is on the host: the placeholders went with the run.
	for name in .git .bashrc .envrc .openclaw exec-approvals.json .zshrc .mcp.json .npmrc npmrc; do
		[ ! -e "$AGENT_WS/$name" ] && [ ! -L "$AGENT_WS/$name" ]
	done
	assert_equal "$(cat "$BATS_TEST_TMPDIR/keep")" keep
	assert_equal "$(cat "$AGENT_WS/.gitmodules")" "[submodule]"
	assert_equal "$(cat "$AGENT_WS/notes.txt")" ok
	# The next run starts clean, and finds nothing to move.
	run bash -c "$(declare -f request); request 'ls -A' | claw-session | claw-audit log | claw-sandbox"
	assert_equal "$(jqr .result.quarantined)" null
}

@test "10 persistence: the state dir (config, approvals) is never in the sandbox" {
	sandbox_config 'workspaceAccess: "rw",'
	echo '{}' > "$OPENCLAW_STATE_DIR/exec-approvals.json"
	run claw-sandbox exec -- sh -c 'ls -a / /workspace/..; wc -c < /workspace/exec-approvals.json'
	assert_success
	refute_line exec-approvals.json
	refute_line openclaw.json
	refute_line sandboxes
	assert_line 0 # the workspace's own name: an empty placeholder, read-only
	run claw-sandbox exec -- cat /workspace/../exec-approvals.json
	assert_failure
}

@test "11 symlinks, hardlinks, renames: nothing of the host is reachable" {
	sandbox_config 'workspaceAccess: "rw",'
	echo secret > "$BATS_TEST_TMPDIR/host-secret"
	ln -s "$BATS_TEST_TMPDIR/host-secret" "$AGENT_WS/link"
	probe links "$BATS_TEST_TMPDIR/host-secret" /workspace/link
}

# race_config [SANDBOX-KEYS]: the agent workspace read-write at /workspace.
race_config() {
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", scope: "session", workspaceAccess: "rw", ${1:-} } } } }
EOF
	echo HOST-SECRET-5521 > "$OPENCLAW_STATE_DIR/host-marker"
	cp "$CLAW_PROBES/race" "$AGENT_WS/race"
}

# race_start A B: the attacker, a sandbox of the agent workspace that swaps its
# names A and B with renameat2(RENAME_EXCHANGE) until $AGENT_WS/stop exists.
race_start() {
	chown -R 65534:65534 "$AGENT_WS"
	background racing claw-sandbox exec --session agent:main:cron:attacker -- \
		/workspace/race /workspace/stop 100000000 "/workspace/$1" "/workspace/$2"
}

# race_victims N FILE: N sandboxes of another scope start meanwhile; none may
# ever show the host's FILE. Then the attacker is stopped. (Against the code
# that checked by path and mounted by path, on two CPUs: about 1 start in 40
# showed .git's target, 1 in 6 the bind's; N is set to catch that, in a few
# seconds.)
race_victims() {
	local escapes="" out
	for i in $(seq "$1"); do
		out=$(claw-sandbox exec --session agent:main:cron:victim -- cat "$2" 2>&1) || true
		[[ $out != *HOST-SECRET* ]] || escapes="$escapes $i"
	done
	touch "$AGENT_WS/stop"
	wait "$BG_PID" || true
	read -r -t 30 -u "$BG_OUT" line
	echo "attacker: $line; host file seen in starts:$escapes"
	[[ $line == *rounds ]]
	assert_equal "$escapes" ""
}

@test "11 rename races: .git cannot be swapped with a symlink, there or not, in any run" {
	[ "$(id -u)" = 0 ] || skip "needs root to give the workspace to nobody"
	race_config
	ln -s "$OPENCLAW_STATE_DIR" "$AGENT_WS/gitlink"
	chown -R 65534:65534 "$AGENT_WS"
	for git in missing there; do
		[ "$git" = missing ] || mkdir "$AGENT_WS/.git"
		run claw-sandbox exec --session agent:main:cron:attacker -- \
			/workspace/race /workspace/stop 1000 /workspace/.git /workspace/gitlink
		assert_failure
		# A mount point, or (ids of the sandbox's own) another id's: never swapped.
		assert_output --regexp "renameat2: (Device or resource busy|Value too large for defined data type)"
		run claw-sandbox exec --session agent:main:cron:victim -- cat /workspace/.git/host-marker
		refute_output --partial HOST-SECRET
	done
}

@test "11 rename races: a bind source swapped with a symlink after its check: no host file mounted" {
	[ "$(id -u)" = 0 ] || skip "needs root to give the workspace to nobody"
	race_config "docker: { binds: [\"$AGENT_WS/data:/data:ro\"] },"
	# The attacker swaps names of the workspace on the host: without the undo overlay,
	# which would keep its renames out of the tree until it ends (and refuses to move
	# a directory of the tree at all: EXDEV).
	native_config 'undoMaxMb: 0,'
	mkdir "$AGENT_WS/data"
	ln -s "$OPENCLAW_STATE_DIR" "$AGENT_WS/datalink"
	race_start data datalink
	race_victims 40 /data/host-marker
}

@test "11 path-prefix confusion: a bind of /srv/a does not admit /srv/ab" {
	mkdir -p "$BATS_TEST_TMPDIR/srv/a" "$BATS_TEST_TMPDIR/srv/ab"
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", workspaceRoot: "$BATS_TEST_TMPDIR/srv/a",
  docker: { binds: ["$BATS_TEST_TMPDIR/srv/ab:/data"] } } } } }
EOF
	run claw-sandbox exec -- true
	assert_failure 126
	assert_output --partial "is outside allowed roots"
}

@test "12 leaked descriptors: nothing above 2 reaches the command" {
	sandbox_config
	echo secret > "$BATS_TEST_TMPDIR/host-secret"
	exec 7< "$BATS_TEST_TMPDIR/host-secret"
	probe fds
	exec 7<&-
}

@test "13 /proc and /sys: own processes only, init's environment unreadable, no /sys" {
	sandbox_config
	export CLAW_PROBE_SECRET=hunter2-in-the-launcher-env
	probe procfs hunter2-in-the-launcher-env
}

@test "14 secrets in the environment: the host's never pass, credential names dropped" {
	sandbox_config '' 'env: { FOO: "bar", AWS_SECRET_ACCESS_KEY: "x", LD_PRELOAD: "/x.so" },'
	export OPENAI_API_KEY=sk-host GITHUB_TOKEN=ghp-host
	run claw-sandbox exec -- env
	assert_success
	assert_line FOO=bar
	assert_line HOME=/workspace
	refute_line --regexp '^(OPENAI_API_KEY|GITHUB_TOKEN|AWS_SECRET_ACCESS_KEY|LD_PRELOAD)='
	assert_line "claw-sandbox: docker.env.AWS_SECRET_ACCESS_KEY dropped: looks like a credential"
}

@test "14 secrets in a request: credential names dropped, loader variables refused" {
	sandbox_config
	run bash -c "$(declare -f request); request env '\"env\": {\"OPENAI_API_KEY\": \"k\", \"FOO\": \"1\"}' | claw-session | claw-audit log | claw-sandbox 2>/dev/null"
	assert_success
	run jq -r .result.stdout <<< "$output"
	assert_line FOO=1
	refute_output --partial OPENAI_API_KEY
	run bash -c "$(declare -f request); request env '\"env\": {\"LD_PRELOAD\": \"/tmp/x.so\"}' | claw-session | claw-audit log | claw-sandbox"
	assert_success
	assert_equal "$(jq -r .deny.reason <<< "$output")" "args.env.LD_PRELOAD may not be set: it steers the dynamic loader (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT)"
	assert_equal "$(jq -r .result <<< "$output")" null
}

@test "15 the timeout kills the whole tree, orphaned setsid sleep included" {
	sandbox_config
	run bash -c "$(declare -f request); request 'setsid sleep 8971 & setsid sleep 8972 & wait' '\"timeout\": 1' | claw-session | claw-audit log | claw-sandbox"
	assert_success
	assert_equal "$(jq -r .result.timedOut <<< "$output")" true
	assert_equal "$(jq -r .result.signal <<< "$output")" SIGKILL
	run pgrep -f 'sleep 897[12]'
	assert_failure
}

@test "15 claw-sandbox exec has a timeout: 1800 s by default, --timeout to change it" {
	sandbox_config
	run claw-sandbox exec --timeout 1 -- sleep 30
	assert_failure 124
	command -v strace >/dev/null || skip "needs strace to see the default deadline"
	# The launcher waits for the sandbox with poll(2): its timeout is the time left.
	# (LeakSanitizer cannot run under ptrace: an ASan build leaves it out here.)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		run strace -o "$BATS_TEST_TMPDIR/trace" -e trace=poll claw-sandbox exec -- true
	assert_success
	run grep -oE '^poll\(.*\], [0-9]+, -?[0-9]+\)' "$BATS_TEST_TMPDIR/trace"
	assert_success
	ms=${lines[0]##*, }
	ms=${ms%)}
	echo "the launcher's first wait: $ms ms"
	[ "$ms" -gt 1790000 ] && [ "$ms" -le 1800000 ]
}

@test "15 orphans do not outlive the command, in the sandbox and on the host" {
	sandbox_config
	run claw-sandbox exec -- sh -c 'setsid sleep 8973 & echo started'
	assert_success
	run pgrep -f 'sleep 8973'
	assert_failure
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "off" } } } }'
	run bash -c "$(declare -f request); request 'setsid sleep 8974 & echo started' | claw-session | claw-audit log | claw-sandbox"
	assert_equal "$(jq -r .sandbox.where <<< "$output")" host
	run pgrep -f 'sleep 8974'
	assert_failure
}

@test "15 the run's init is reaped before claw-sandbox exec ends: a parent that never reaps is left nothing" {
	# Init reports once everything else of the run is dead and tears its namespaces
	# down while the launcher logs the end; it must not outlive claw-sandbox as a
	# zombie, which would hold a pid of the scope's kept cgroup for good.
	sandbox_config '' 'pidsLimit: 8,'
	run python3 - "$(command -v claw-sandbox)" <<'PY'
import ctypes, os, subprocess, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans come here
for i in range(12):
    subprocess.run([sys.argv[1], "exec", "--", "sh", "-c", "setsid sleep 8979 & exit 0"],
                   check=True)
try:
    print("adopted", os.waitpid(-1, os.WNOHANG))
except ChildProcessError:
    print("nothing adopted")
PY
	assert_success
	assert_output "nothing adopted"
	run pgrep -f 'sleep 8979'
	assert_failure
}

@test "15 a fork bomb is contained by the pids limit" {
	sandbox_config '' 'pidsLimit: 32,'
	run claw-sandbox exec --timeout 20 -- sh -c 'i=0; while [ $i -lt 100 ]; do sleep 8976 & i=$((i+1)); done; echo spawned'
	assert_failure
	assert_output --partial "fork"
	run pgrep -f 'sleep 8976'
	assert_failure
}

@test "15 a memory hog is contained by the memory limit" {
	sandbox_config '' 'memory: "64m",'
	run claw-sandbox exec -- python3 -c 'b = bytearray(512 * 1024 * 1024); print("allocated")'
	assert_failure
	refute_output --partial allocated
}

@test "15 the launcher killed with SIGKILL takes the whole sandbox with it (die with parent)" {
	sandbox_config
	background started claw-sandbox exec -- sh -c 'setsid sleep 8978 & echo started; exec sleep 8979'
	pids=$(pgrep -d ' ' -f 'sleep 897[89]')
	[ -n "$pids" ]
	kill -KILL "$BG_PID"
	# Each left-over process, waited for through its pidfd (an event, not a clock).
	run python3 -c '
import os, select, sys
for pid in map(int, sys.argv[1:]):
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        continue
    if not select.select([fd], [], [], 10)[0]:
        sys.exit("%d is still running" % pid)
' $pids
	assert_success
	run pgrep -f 'sleep 897[89]'
	assert_failure
}

@test "15 with no config file at all (the secure preset), a fork bomb and a memory hog are contained" {
	[ ! -e "$CONFIG" ]
	run claw-sandbox exec -- python3 -c '
import os, time
n = 0
for i in range(1000):
    try:
        pid = os.fork()
    except OSError as e:
        print("refused:", e.strerror)
        break
    if pid == 0:
        time.sleep(8977)
        os._exit(0)
    n += 1
print(n, "forks")'
	assert_success
	assert_line "refused: Resource temporarily unavailable"
	[[ ${lines[1]} =~ ^([0-9]+)\ forks$ ]]
	[ "${BASH_REMATCH[1]}" -lt 512 ]
	run pgrep -f 'sleep.8977'
	assert_failure
	run claw-sandbox exec -- python3 -c 'b = bytearray(2 * 1024 * 1024 * 1024); print("allocated")'
	assert_failure
	refute_output --partial allocated
}

@test "15 every run gets rlimits: no core files, 1024:4096 descriptors, 1 GiB files, CPU time as the timeout" {
	sandbox_config
	run claw-sandbox exec --timeout 90 -- cat /proc/self/limits
	assert_success
	assert_line --regexp '^Max cpu time +90 +90 '
	assert_line --regexp '^Max file size +1073741824 +1073741824 '
	assert_line --regexp '^Max core file size +0 +0 '
	assert_line --regexp '^Max open files +1024 +4096 '
	assert_line --regexp '^Max processes +512 +512 '
	# docker.ulimits still wins.
	sandbox_config '' 'ulimits: { nofile: "64:128", fsize: 4096 },'
	run claw-sandbox exec -- cat /proc/self/limits
	assert_line --regexp '^Max open files +64 +128 '
	assert_line --regexp '^Max file size +4096 +4096 '
}
