#!/usr/bin/env bats
# Host runs cannot see claw's state: the state dir, the config, claw.json and
# the answer channel are not in their view (sandbox/hostview.h); where the
# kernel cannot give that view, host runs are refused and claw says why.

bats_require_minimum_version 1.5.0

load helper
load guard

setup() {
	guard_test_setup
	SECRET=sEcReT-$RANDOM$RANDOM
	printf '// %s\n{ tools: { exec: { security: "full" } } }\n' "$SECRET" >"$CONFIG"
	echo "$SECRET" >"$STATE/credentials"
	# The probe names the state dir in its body, never in its command line: the
	# guard would refuse that; this is the wall behind the guard.
	cat >"$T/work/probe.sh" <<EOF
S=$STATE
echo "uid=\$(id -u)"
for f in "\$S/openclaw.json" "\$S/credentials" "\$S/exec-approvals.json" \\
	"/proc/self/root\$S/credentials" "/proc/self/cwd/../state/credentials"; do
	cat "\$f"
done
for p in /proc/[0-9]*; do
	cat "\$p/root\$S/credentials" "\$p/cwd/../state/credentials" 2>/dev/null
done
echo "listing: \$(ls -A "\$S" | tr '\n' ' ')"
ls "\$S/approvals"
echo x >"\$S/new" && echo wrote-state
echo '{"version":1,"agents":{"main":{"allowlist":[{"pattern":"/bin/sh"}]}}}' >"\$S/exec-approvals.json" && echo wrote-allowlist
mv "\$S" "\$S.away" && echo moved-state
mv "\$(dirname "\$S")" "\$(dirname "\$S").away" && echo moved-parent
claw-approve --state-dir "\$S" allowlist add /bin/sh && echo added
echo done
EOF
}

# host_exec SETTING: the probe through claw exec, as root or as the ordinary user.
host_exec() {
	run in_setting "$1" claw exec --cwd "$T/work" -- sh probe.sh
}

# unchanged: claw's files are as they were before the run.
state_sum() {
	find "$STATE" -path "$STATE/audit" -prune -o -type f -print0 | sort -z | xargs -0 sha256sum
}

@test "a host command sees no state dir, config or allow-list, by any path" {
	before=$(state_sum)
	for s in $(settings); do
		host_exec "$s"
		assert_success
		assert_line done
		refute_output --partial "$SECRET"
		assert_line "listing: workspace "
		refute_output --partial wrote-
		refute_output --partial moved-
		refute_output --partial added
		[ "$s" = root ] || assert_line "uid=$(id -u "$TEST_USER")"
		assert_equal "$(state_sum)" "$before"
	done
}

@test "a config and claw.json kept outside the state dir are covered too" {
	mkdir -p "$T/etc"
	printf '// %s\n{ tools: { exec: { security: "full" } } }\n' "$SECRET" >"$T/etc/oc.json5"
	printf '// %s\n{}\n' "$SECRET" >"$T/etc/claw.json"
	export OPENCLAW_CONFIG_PATH=$T/etc/oc.json5 CLAW_CONFIG_PATH=$T/etc/claw.json
	cat >"$T/work/probe.sh" <<EOF
cat $T/etc/oc.json5 $T/etc/claw.json /proc/self/root$T/etc/oc.json5
echo x > $T/etc/oc.json5 && echo wrote
mv $T/etc $T/etc.away && echo moved
echo done
EOF
	for s in $(settings); do
		[ "$s" = root ] || chown -R "$TEST_USER:" "$T/etc"
		host_exec "$s"
		assert_success
		assert_line done
		refute_output --partial "$SECRET"
		refute_output --partial wrote
		[ "$s" = root ] || refute_line moved
		grep -q "$SECRET" "$T/etc/oc.json5"
	done
}

@test "a config named outside the state dir that does not exist: host runs are refused" {
	# No file there means the secure preset; a command could create one. Straight to
	# claw-sandbox: the preset's allow-list would have asked first.
	mkdir "$T/etc"
	export OPENCLAW_CONFIG_PATH=$T/etc/openclaw.json
	for s in $(settings); do
		[ "$s" = root ] || chown "$TEST_USER:" "$T/etc"
		run in_setting "$s" sh -c 'claw-session new --cwd "$1" -- true | claw-session | claw-audit log | claw-sandbox' \
			sh "$T/work"
		assert_success
		assert_output --partial "cannot hide claw's config file $T/etc/openclaw.json from host runs"
		assert_output --partial "does not exist"
		refute_output --partial '"result"'
	done
}

@test "the agent's workspace inside the state dir works on the host as before" {
	for s in $(settings); do
		run in_setting "$s" claw exec --cwd "$STATE/workspace" -- sh -c 'pwd; echo kept >out; ls -A ..'
		assert_success
		assert_line "$STATE/workspace"
		assert_line workspace
		refute_line openclaw.json
		assert_equal "$(cat "$STATE/workspace/out")" kept
		rm "$STATE/workspace/out"
	done
}

@test "without user namespaces an ordinary user's host runs are refused, and claw says so" {
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null || skip "runs as root to become an ordinary user"
	without=$CLAW_PROBES/without
	run as_user "$without" userns claw exec --cwd "$T/work" -- true
	assert_failure 126
	assert_output --partial "cannot hide claw's state from the command"
	run as_user "$without" userns claw-sandbox features
	assert_line --regexp '^hostview host runs need a user namespace'
	run as_user "$without" userns claw doctor
	assert_output --regexp 'host view +missing'
	run as_user "$without" userns claw-audit check --json
	assert_output --partial exec.host.view_unavailable
}

@test "without Landlock host runs are refused, as root too, and claw says so" {
	without=$CLAW_PROBES/without
	for s in $(settings); do
		run in_setting "$s" "$without" landlock claw exec --cwd "$T/work" -- true
		assert_failure 126
		assert_output --partial "Landlock"
		run in_setting "$s" "$without" landlock claw-sandbox features
		assert_line --regexp '^hostview host runs need Landlock'
		run in_setting "$s" "$without" landlock claw-audit check
		assert_output --partial "Host runs cannot hide claw's state"
	done
}

@test "what an ordinary user's host run gives up: set-user-ID, other processes' roots" {
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null || skip "runs as root to become an ordinary user"
	sleep 300 &
	victim=$!
	run as_user claw exec --cwd "$T/work" -- sh -c "
		cat /proc/$victim/cmdline | tr '\\0' ' '; echo
		ls /proc/$victim/root/ || echo no-root
		grep -c . /proc/self/uid_map"
	kill "$victim"
	assert_success
	assert_line "sleep 300 "
	assert_line no-root
	assert_line 1
}

@test "a working directory inside the state dir does not exist for a host run, and it says why" {
	# Straight to claw-sandbox: the guard would have asked a person first.
	for s in $(settings); do
		run in_setting "$s" sh -c 'claw-session new --cwd "$1" -- pwd | claw-session | claw-audit log | claw-sandbox' \
			sh "$STATE/approvals"
		assert_success
		assert_equal "$(jqr .deny.reason)" \
			"$STATE/approvals: No such file or directory (claw's state directory is not in a host run's view)"
	done
}
