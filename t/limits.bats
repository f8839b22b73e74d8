#!/usr/bin/env bats
# Limits that are limits, where users run claw (claw-sandbox(1), LIMITS): cgroups as
# root, a v1 cgroup given to an ordinary user, a host whose v1 controllers are hidden
# (a cgroup-v2 host without usable controllers), the refusal where nothing can
# enforce a limit, and rlimits only where the config accepts them.

load helper
load sandbox

# Who runs a sandboxed command for a root-owned state dir.
NOBODY=65534

teardown() {
	common_teardown
	for d in "${CGROUPS[@]:-}"; do
		[ -n "$d" ] && [ -d "$d" ] || continue
		find "$d" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null || true
		rmdir "$d" 2>/dev/null || true
	done
}

needs_root() {
	[ "$(id -u)" = 0 ] || skip "runs as root (to become an ordinary user, or to make cgroups)"
	command -v setpriv >/dev/null || skip "needs setpriv"
}

# user: the ordinary test user (user_setup), its uid in USER_ID.
user() {
	user_setup
	USER_ID=$(id -u "$TEST_USER")
}

# as_user_in WRAPPER CMD...: CMD as the ordinary user inside WRAPPER (a command, such as
# hide_v1, that runs its arguments), its state dir and home handed over first.
as_user_in() {
	local wrapper=$1
	shift
	chown -R "$TEST_USER:" "$OPENCLAW_STATE_DIR" "$HOME"
	"$wrapper" setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --clear-groups \
		--inh-caps=-all -- "$@"
}

# Under AddressSanitizer init cannot live with RLIMIT_DATA (its shadow memory counts).
asan() {
	ldd "$CLAW_BIN/claw-sandbox" | grep -q libasan
}

# hide_v1 CMD...: CMD in a mount namespace of its own where no cgroup v1 hierarchy is
# mounted: the controllers are bound to v1 on this host, so the unified hierarchy has
# none of them, as on a v2 host whose manager delegates nothing to claw.
hide_v1() {
	unshare -m --propagation private sh -c '
		for m in $(awk "\$3 == \"cgroup\" { print \$2 }" /proc/mounts); do umount -l "$m"; done
		exec "$@"' sh "$@"
}

@test "limits: as root, memory, pids and CPU are the run's cgroups': memory of every kind counts" {
	needs_root
	sandbox_config '' 'memory: "64m", pidsLimit: 32, cpus: 0.5,'
	run claw-sandbox exec -- true
	assert_success
	# Memory a per-process rlimit would not see is counted all the same.
	for kind in private shared memfd shm; do
		run claw-sandbox exec -- /probes/memhog "$kind" 256
		refute_output "survived $kind"
		assert_failure 137
	done
	run claw-sandbox exec -- /probes/memhog shm 16
	assert_success
	assert_output "survived shm"
	# The record says what enforced each, and explain says the same.
	run through_sandbox < <(request 'true')
	assert_success
	assert_equal "$(jqr -c '.sandbox.limits | [.assurance, .pids, .memory, .cpu]')" \
		'["cgroup-v1","cgroup-v1","cgroup-v1","cgroup-v1"]'
	assert_equal "$(jqr .sandbox.limits.scratchBytes)" 67108864
	run claw-sandbox explain --json
	assert_equal "$(jqr -c '[.limits.assurance, .refused]')" '["cgroup-v1",null]'
	# The scope's kept cgroup holds the CPU quota: half a CPU.
	own=$(sed -n 's/^[0-9]*:cpu:\(.*\)/\1/p' /proc/self/cgroup)
	slug=$(ls "$OPENCLAW_STATE_DIR/sandboxes" | grep -v json | head -n 1)
	[ -n "$own" ] || skip "no v1 cpu hierarchy"
	assert_equal "$(cat "/sys/fs/cgroup/cpu${own%/}/claw.$(installation).$slug/cpu.cfs_quota_us")" 50000
}

@test "limits: an ordinary user without a cgroup is refused a memory or CPU limit, with the reason" {
	needs_root
	user
	sandbox_config '' 'memory: "256m",'
	run as_user claw-sandbox exec -- touch /workspace/ran
	assert_failure 126
	assert_output --partial "docker.memory cannot be enforced here"
	assert_output --partial "is not writable by uid $USER_ID"
	assert_output --partial "native.rlimitsOnly: true"
	[ -z "$(find "$OPENCLAW_STATE_DIR/sandboxes" -name ran)" ]
	sandbox_config '' 'cpus: 1,'
	run as_user claw-sandbox exec -- true
	assert_failure 126
	assert_output --partial "docker.cpus cannot be enforced here"
	# Through the pipeline: the record is denied, with the same reason.
	run as_user sh -c 'jq -cn "{tool: \"exec\", args: {command: \"true\"}}" | claw-session | claw-audit log | claw-sandbox'
	assert_success
	assert_equal "$(jqr .deny.by)" claw-sandbox
	assert_equal "$(jqr .result)" null
	assert_output --partial "docker.cpus cannot be enforced here"
	# A pids limit alone is enforced by RLIMIT_NPROC, which counts the whole run.
	sandbox_config '' 'pidsLimit: 20,'
	run as_user sh -c 'jq -cn "{tool: \"exec\", args: {command: \"true\"}}" | claw-session | claw-audit log | claw-sandbox'
	assert_equal "$(jqr -c '.sandbox.limits | [.assurance, .pids, .memory, .cpu]')" \
		'["rlimits","rlimit-per-run",null,null]'
	# explain and doctor say so before anything runs.
	sandbox_config '' 'memory: "256m",'
	run as_user claw-sandbox explain
	assert_line --regexp '^  assurance +none: runs are refused$'
	assert_line --partial "docker.memory cannot be enforced here"
	run as_user claw-sandbox features
	assert_line --regexp "^limits none \(.*not writable by uid $USER_ID"
	run as_user claw doctor
	assert_line --regexp '^cgroups +limits +missing +none'
}

@test "limits: native.rlimitsOnly runs with rlimits, and everything says they are rlimits" {
	needs_root
	asan && skip "init cannot live with RLIMIT_DATA under AddressSanitizer"
	user
	native_config 'rlimitsOnly: true'; sandbox_config '' 'memory: "128m", cpus: 1,'
	run as_user claw-sandbox exec -- sh -c 'grep "data size" /proc/self/limits; /probes/memhog private 256'
	assert_failure
	assert_line --regexp '^Max data size +134217728 +134217728 '
	refute_line "survived private"
	# Per process only: shared memory is not counted. This is what the assurance says.
	run as_user claw-sandbox exec -- /probes/memhog shared 256
	assert_output "survived shared"
	run as_user sh -c 'jq -cn "{tool: \"exec\", args: {command: \"true\"}}" | claw-session | claw-audit log | claw-sandbox'
	assert_equal "$(jqr -c '.sandbox.limits | [.assurance, .pids, .memory, .cpu]')" \
		'["rlimits-only","rlimit-per-run","rlimit-per-process","none"]'
	run as_user claw-sandbox explain
	assert_line --regexp '^  assurance +rlimits-only$'
	assert_line --regexp '^  CPU +1 CPUs by none$'
	assert_line --regexp "^  no cgroup +the cgroup .* is not writable by uid $USER_ID"
	# claw-audit check warns of it.
	run as_user claw-audit check --json
	assert_equal "$(jqr '[.findings[] | select(.checkId == "sandbox.native.rlimits_only") | .severity] | .[0]')" warn
	# Per agent: the default refuses, one agent accepts.
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", scope: "agent", docker: { memory: "128m",
    binds: ["$CLAW_PROBES:/probes:ro"], dangerouslyAllowExternalBindSources: true } } },
  list: [ { id: "main" }, { id: "ops" } ] } }
EOF
	write_claw_config <<EOF
{ agents: { list: [ { id: "ops", sandbox: { native: { rlimitsOnly: true } } } ] } }
EOF
		run as_user claw-sandbox exec --agent main -- true
	assert_failure 126
	run as_user claw-sandbox exec --agent ops -- true
	assert_success
	run as_user claw-sandbox explain --agent ops --json
	assert_equal "$(jqr '.settings[] | select(.key == "native.rlimitsOnly") | .from')" \
		"agents.list[1].sandbox.native.rlimitsOnly"
}

@test "limits: on a host whose controllers are not delegated (v1 hidden), root and user are refused; rlimitsOnly is reported as such" {
	needs_root
	command -v unshare >/dev/null || skip "needs unshare"
	sandbox_config '' 'memory: "256m", pidsLimit: 64,'
	run hide_v1 claw-sandbox exec -- true
	assert_failure 126
	assert_output --partial "docker.memory cannot be enforced here: the memory controller is not delegated to the cgroup"
	run hide_v1 claw-sandbox features
	assert_line --regexp '^limits none \(.*not delegated'
	# With no cgroup file system at all, the same refusal, another reason.
	run no_cgroups claw-sandbox exec -- true
	assert_failure 126
	assert_output --partial "docker.memory cannot be enforced here: no cgroup hierarchy of the memory controller is mounted"
	# As an ordinary user, in a state dir of its own.
	rm -rf "$OPENCLAW_STATE_DIR/sandboxes"
	user
	run as_user_in hide_v1 claw-sandbox exec -- true
	assert_failure 126
	assert_output --partial "the memory controller is not delegated"
	run as_user_in no_cgroups claw-sandbox exec -- true
	assert_failure 126
	asan && return 0
	native_config 'rlimitsOnly: true'; sandbox_config '' 'memory: "256m", pidsLimit: 64,'
	for wrapper in hide_v1 no_cgroups; do
		run as_user_in $wrapper \
			sh -c 'jq -cn "{tool: \"exec\", args: {command: \"true\"}}" | claw-session | claw-audit log | claw-sandbox'
		assert_equal "$(jqr .result.exit)" 0
		assert_equal "$(jqr -c '.sandbox.limits | [.assurance, .pids, .memory]')" \
			'["rlimits-only","rlimit-per-run","rlimit-per-process"]'
	done
}

@test "limits: a v1 cgroup given to an ordinary user (delegated) holds the user's runs" {
	needs_root
	user
	CGROUPS=()
	for c in memory pids cpu; do
		[ -d "/sys/fs/cgroup/$c" ] || skip "needs the v1 $c hierarchy"
		d="/sys/fs/cgroup/$c/claw-limits-test.$$"
		mkdir "$d"
		CGROUPS+=("$d")
		chown -R $USER_ID:$USER_ID "$d"
	done
	sandbox_config '' 'memory: "64m", pidsLimit: 32, cpus: 0.5,'
	# The user's shell is in the cgroups given to it; claw-sandbox starts from there.
	in_given() {
		chown -R "$TEST_USER:" "$OPENCLAW_STATE_DIR" "$HOME"
		sh -c 'for d in "$@"; do echo $$ > "$d/cgroup.procs"; done; exec setpriv \
			--reuid='$USER_ID' --regid='$USER_ID' --clear-groups -- sh -c "$0"' "$1" "${CGROUPS[@]}"
	}
	run in_given 'jq -cn "{tool: \"exec\", args: {command: \"true\"}}" | claw-session | claw-audit log | claw-sandbox'
	assert_equal "$(jqr .result.exit)" 0
	assert_equal "$(jqr -c '.sandbox.limits | [.assurance, .pids, .memory, .cpu]')" \
		'["cgroup-v1-delegated","cgroup-v1","cgroup-v1","cgroup-v1"]'
	run in_given 'claw-sandbox exec -- /probes/memhog shared 256'
	assert_failure 137
	run in_given 'claw-sandbox exec -- /probes/memhog private 16'
	assert_output "survived private"
	# The scope's cgroup is the user's, under the one given to it.
	slug=$(ls "$OPENCLAW_STATE_DIR/sandboxes" | grep -v json | head -n 1)
	assert_equal "$(stat -c %u "${CGROUPS[0]}/claw.$(installation).$slug")" $USER_ID
	assert_equal "$(cat "${CGROUPS[2]}/claw.$(installation).$slug/cpu.cfs_quota_us")" 50000
}

@test "limits: every scratch tmpfs shares one budget: the file-size limit, or docker.memory when less" {
	needs_root
	sandbox_config '' 'memory: "256m", ulimits: { fsize: 50000000 },'
	run claw-sandbox exec -- sh -c '
		head -c 30000000 /dev/zero > /tmp/a && echo tmp
		head -c 30000000 /dev/zero > /dev/shm/b || echo shm-full
		head -c 30000000 /dev/zero > /var/tmp/c || echo var-full
		df -B1 /tmp /var/tmp /run /dev/shm | awk "NR > 1 { print \$2 }" | sort -u'
	assert_line tmp
	assert_line shm-full
	assert_line var-full
	assert_line 50003968 # 50000000 in whole pages: one size, one tmpfs
	# The budget follows docker.memory where that is less; /dev itself holds no data.
	sandbox_config '' 'memory: "32m",'
	run claw-sandbox exec -- sh -c 'df -B1 /tmp /dev/shm /dev | awk "NR > 1 { print \$2 }"'
	assert_output "$(printf '33554432\n33554432\n65536')"
	# So for an ordinary user, whose root is built by init.
	asan && return 0
	user
	native_config 'rlimitsOnly: true'; sandbox_config '' 'memory: "256m", ulimits: { fsize: 50000000 },'
	run as_user claw-sandbox exec -- sh -c '
		head -c 30000000 /dev/zero > /tmp/a && echo tmp
		head -c 30000000 /dev/zero > /dev/shm/b || echo shm-full'
	assert_line tmp
	assert_line shm-full
}

@test "limits: a \"..\" in a configured container path is refused, file and line named" {
	for keys in 'tmpfs: ["/tmp/../etc"]' 'workdir: "/workspace/../etc"' \
		'binds: ["/srv:/workspace/../../x:ro"]' 'binds: ["/srv:/..:ro"]'; do
		write_config <<<"{ agents: { defaults: { sandbox: { mode: \"all\", docker: { $keys } } } } }"
		run claw-sandbox exec -- true
		assert_failure
		assert_output --regexp "openclaw.json:[0-9]+:[0-9]+: docker\.[a-z]+: \".*\" has a \"\.\.\" component"
	done
	# A name that merely starts with two dots is a name.
	sandbox_config '' 'tmpfs: ["/tmp", "/..cache"],'
	run claw-sandbox exec -- true
	assert_success
}

@test "limits: where only systemd can give a cgroup, claw-sandbox asks it for a delegated scope, once" {
	needs_root
	command -v python3 >/dev/null || skip "needs python3"
	user
	# A user manager's socket, and a systemd-run that notes how it was called and runs
	# the command as systemd-run --scope does (in its own process, environment kept).
	run_dir="$BATS_TEST_TMPDIR/run"
	mkdir -p "$run_dir/systemd" "$BATS_TEST_TMPDIR/bin"
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
		"$run_dir/systemd/private"
	cat > "$BATS_TEST_TMPDIR/bin/systemd-run" <<'EOF'
#!/bin/sh
echo "systemd-run $* scope=$CLAW_SANDBOX_SCOPE" >> "$CALLS"
while [ "$1" != -- ]; do shift; done
shift
exec "$@"
EOF
	chmod 755 "$BATS_TEST_TMPDIR/bin/systemd-run"
	chown -R $USER_ID "$run_dir"
	export CALLS="$BATS_TEST_TMPDIR/calls"
	touch "$CALLS" && chown $USER_ID "$CALLS"
	sandbox_config '' 'memory: "64m",'
	run as_user env XDG_RUNTIME_DIR="$run_dir" PATH="$BATS_TEST_TMPDIR/bin:$PATH" \
		claw-sandbox exec -- true
	# The fake gives no cgroup: the placed claw-sandbox refuses, and does not ask again.
	assert_failure 126
	assert_output --partial "docker.memory cannot be enforced here"
	run cat "$CALLS"
	assert_output --regexp "^systemd-run --user --scope --quiet --collect -p Delegate=yes --unit (claw-sandbox-[0-9]+\.scope) -- $CLAW_BIN/claw-sandbox exec -- true scope=claw-sandbox-[0-9]+\.scope$"
	# The filter too; the records go through the placed one.
	: > "$CALLS"
	run as_user env XDG_RUNTIME_DIR="$run_dir" PATH="$BATS_TEST_TMPDIR/bin:$PATH" \
		sh -c 'jq -cn "{tool: \"exec\", args: {command: \"true\"}}" | claw-session | claw-audit log | claw-sandbox'
	assert_success
	assert_output --partial "docker.memory cannot be enforced here"
	assert_equal "$(wc -l < "$CALLS")" 1
	# A systemd-run that fails (no D-Bus, a manager that refuses): on without a scope, which
	# refuses in claw's words and status, not systemd-run's.
	printf '#!/bin/sh\necho "Failed to start transient scope unit" >&2\nexit 1\n' \
		> "$BATS_TEST_TMPDIR/bin/systemd-run"
	run as_user env XDG_RUNTIME_DIR="$run_dir" PATH="$BATS_TEST_TMPDIR/bin:$PATH" \
		claw-sandbox exec -- true
	assert_failure 126
	assert_output --partial "Failed to start transient scope unit"
	assert_output --partial "docker.memory cannot be enforced here"
	# No manager: nothing is asked.
	: > "$CALLS"
	run as_user env XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR" PATH="$BATS_TEST_TMPDIR/bin:$PATH" \
		claw-sandbox exec -- true
	assert_failure 126
	run cat "$CALLS"
	assert_output ""
}

@test "limits: as root, each scope's sandbox runs as a host id of its own; what it writes stays the operator's" {
	needs_root
	sandbox_config
	# The operator (the state dir's owner, root here: nobody runs for it) holds 100 inotify
	# instances on the host; a sandbox counts its own, under its own host uid.
	background "held 100" setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups -- \
		"$CLAW_PROBES/inotify" hold 100
	run claw-sandbox exec -- /probes/inotify
	kill "$BG_PID"
	assert_output "$(cat /proc/sys/fs/inotify/max_user_instances)"
	# Inside, the operator's uid; on the host, another, per scope.
	run claw-sandbox exec -- sh -c 'id -u; cat /proc/self/uid_map; echo hi > /workspace/f'
	assert_line --index 0 $NOBODY
	host=$(awk '{ print $2 }' <<<"${lines[1]}")
	[ "$host" -ge $((0x6FFF0000)) ] && [ "$host" -le $((0x6FFFFFFF)) ]
	run claw-sandbox exec --session agent:main:other -- cat /proc/self/uid_map
	[ "$(awk '{ print $2 }' <<<"$output")" != "$host" ]
	assert_equal "$(stat -c %u:%g "$OPENCLAW_STATE_DIR"/sandboxes/*/f)" "$NOBODY:$NOBODY"
	run claw-sandbox explain --json
	assert_equal "$(jqr -c '.limits | [.hostUid, .distinctIds]')" "[$host,true]"
	# (Without root there is no idmapped mount, so an ordinary user's sandbox is that user.)
	user
	run as_user claw-sandbox explain --json
	assert_equal "$(jqr -c '.limits | [.hostUid, .distinctIds]')" "[$USER_ID,false]"
}
