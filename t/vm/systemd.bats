#!/usr/bin/env bats
# t/vm/systemd.bats: limits on a systemd host with the unified hierarchy (claw-sandbox(1),
# LIMITS), where users run claw: an ordinary user whose manager (user@1000.service)
# delegates pids, memory and cpu, and root. Only in the VM of t/vm/run (CLAW_VM=1): the
# development machine has no systemd as PID 1 and binds every controller to v1.

load ../helper
load ../sandbox

setup() {
	[ -n "${CLAW_VM:-}" ] || skip "runs in the VM of t/vm/run"
	common_setup
	mkdir -p "$OPENCLAW_STATE_DIR/workspace"
	user_setup
}

teardown() {
	claw-sandbox rm --all >/dev/null 2>&1 || true
}

# limits_of [WRAPPER...]: one request through claw-session and claw-sandbox; the record's
# sandbox.limits as [assurance, pids, memory, cpu], and the command's exit.
limits_of() {
	run "$@" sh -c 'jq -cn "{tool: \"exec\", args: {command: \"true\"}}" | claw-session | claw-audit log | claw-sandbox'
	assert_output --partial '"result":{"exit":0,' # (else the output shows why)
	jqr -c '.sandbox.limits | [.assurance, .pids, .memory, .cpu]'
}

@test "systemd: an ordinary user's runs are held by a scope claw-sandbox asks the user's manager for" {
	sandbox_config '' 'memory: "64m", pidsLimit: 32, cpus: 0.5,'
	# In the tests' service, not the user's: nothing of the user's to use but its manager.
	grep -q '^0::/system.slice/' /proc/self/cgroup
	assert_equal "$(limits_of as_user)" '["systemd-scope","cgroup-v2","cgroup-v2","cgroup-v2"]'
	run as_user claw-sandbox explain
	assert_line --regexp '^  assurance +systemd-scope \(exec and the filter ask systemd'
	for kind in private shared memfd shm; do
		run as_user claw-sandbox exec -- /probes/memhog "$kind" 256
		refute_output "survived $kind"
		assert_failure 137
	done
	run as_user claw-sandbox exec -- /probes/memhog shm 16
	assert_output "survived shm"
	run as_user claw-sandbox exec --timeout 20 -- sh -c 'i=0; while [ $i -lt 100 ]; do sleep 8976 & i=$((i+1)); done; echo spawned'
	assert_failure
	assert_output --partial "fork"
	run pgrep -f 'sleep 8976'
	assert_failure
}

@test "systemd: in a scope the user made with Delegate=yes, claw-sandbox uses it as it is" {
	sandbox_config '' 'memory: "64m", pidsLimit: 32,'
	as_scope() {
		as_user env XDG_RUNTIME_DIR=/run/user/1000 systemd-run --user --scope --quiet \
			-p Delegate=yes -- "$@"
	}
	# systemd-run execs claw-sandbox itself: it is alone in the scope, which it may use.
	run as_scope claw-sandbox explain --json
	assert_equal "$(jqr -c '.limits | [.assurance, .pids, .memory, .cpu]')" \
		'["cgroup-v2-delegated","cgroup-v2","cgroup-v2",null]'
	run as_scope claw-sandbox exec -- /probes/memhog shared 256
	assert_failure 137
	run as_scope claw-sandbox exec -- /probes/memhog shared 16
	assert_output "survived shared"
	# A scope it shares with another process cannot serve (only leaves hold processes), so it
	# asks for one of its own.
	run as_scope sh -c 'sleep 8977 & claw-sandbox exec -- true; echo $?; kill $!'
	assert_output 0
}

@test "systemd: without a manager to ask, a user's memory limit is refused; rlimitsOnly says rlimits" {
	sandbox_config '' 'memory: "64m",'
	run as_user env XDG_RUNTIME_DIR=/nonexistent claw-sandbox exec -- true
	# /run/user/1000 is where claw-sandbox looks without XDG_RUNTIME_DIR; with one that
	# leads nowhere there is no manager.
	assert_failure 126
	assert_output --partial "docker.memory cannot be enforced here"
	sandbox_config 'native: { rlimitsOnly: true },' 'memory: "64m",'
	run as_user env XDG_RUNTIME_DIR=/nonexistent claw-sandbox explain
	assert_line --regexp '^  assurance +rlimits-only$'
}

@test "systemd: as root, in a service's cgroup, claw-sandbox asks the system's manager for a scope" {
	sandbox_config '' 'memory: "64m", pidsLimit: 32,'
	assert_equal "$(limits_of)" '["systemd-scope","cgroup-v2","cgroup-v2",null]'
	run claw-sandbox exec -- /probes/memhog memfd 256
	assert_failure 137
	run claw-sandbox exec -- sh -c 'cat /proc/self/uid_map'
	assert_success
}
