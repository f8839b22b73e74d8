#!/usr/bin/env bats
# The presets do what they promise, checked through the commands themselves.

load helper

# A request from each kind of sender: the operator, a stranger's DM, a group,
# a subagent, a cron job.
senders() {
	claw-session new -- true
	claw-session new --channel telegram --chat direct --peer 12345 --sender 12345 -- true
	claw-session new --channel discord --chat group --peer G-1 --sender 999 -- true
	claw-session new --session agent:main:subagent:0b0e6f1c -- true
	claw-session new --session agent:main:cron:nightly -- true
}

# policy_for TOOL: each sender's request for TOOL through claw-session and
# claw-policy, one "sandboxed decision" line per sender.
policy_for() {
	senders | jq -c --arg t "$1" '.tool = $t' | claw-session | claw-policy |
		jq -r '"\(.session.sandboxed) \(.policy.decision)"'
}

audit_counts() {
	claw-audit check --json | jq -r '"\(.summary.critical) critical, \(.summary.warn) warn"'
}

@test "a fresh claw init --preset secure: no warn or critical finding" {
	claw init --preset secure >/dev/null
	run audit_counts
	assert_output "0 critical, 0 warn"
	run claw-audit check --preset secure --json
	assert_equal "$(jqr '.summary.warn + .summary.critical')" "0"
}

@test "a fresh claw init --preset public: no warn or critical finding" {
	claw init --preset public >/dev/null
	run audit_counts
	assert_output "0 critical, 0 warn"
	run claw-audit check --preset public --json
	assert_equal "$(jqr '.summary.warn + .summary.critical')" "0"
}

@test "public: every session, the operator's included, runs in a sandbox" {
	claw init --preset public >/dev/null
	run bash -c "$(declare -f senders); senders | claw-session | jq -r .session.sandboxed | sort -u"
	assert_output "true"
}

@test "public: the risky tools are denied for every session" {
	claw init --preset public >/dev/null
	for tool in exec process browser web_fetch web_search gateway nodes cron automations \
		memory_search memory_get; do
		run bash -c "$(declare -f senders policy_for); policy_for $tool | sort -u"
		assert_output "true deny"
	done
	run bash -c "$(declare -f senders policy_for); policy_for read | sort -u"
	assert_output "true allow"
}

@test "public: claw exec refuses a command outright" {
	claw init --preset public >/dev/null
	run claw exec -- true
	assert_failure 126
	assert_output --partial "claw: denied by claw-policy"
}

@test "secure (and no config at all): non-main sessions sandboxed, the operator's is not" {
	for setup in none secure; do
		[ "$setup" = none ] || claw init --preset secure --force >/dev/null
		run bash -c "$(declare -f senders); senders | claw-session | jq -r '\"\(.session.main) \(.session.sandboxed)\"'"
		assert_output $'true false\nfalse true\nfalse true\nfalse true\nfalse true'
	done
}

@test "secure: the sandbox has no network and no workspace access" {
	for setup in none secure; do
		[ "$setup" = none ] || claw init --preset secure --force >/dev/null
		run claw-sandbox explain --json --session agent:main:telegram:direct:12345
		assert_equal "$(jqr '.sandboxed')" "true"
		assert_equal "$(jqr '.settings[] | select(.key == "docker.network") | .value')" "none"
		assert_equal "$(jqr '.settings[] | select(.key == "workspaceAccess") | .value')" "none"
		assert_equal "$(jqr '.settings[] | select(.key == "scope") | .value')" "session"
	done
}

@test "secure: DMs are isolated per channel and peer" {
	for setup in none secure; do
		[ "$setup" = none ] || claw init --preset secure --force >/dev/null
		run claw-session key --channel telegram --chat direct --peer 1
		assert_output "agent:main:telegram:direct:1"
		run claw-session key --channel signal --chat direct --peer 1
		assert_output "agent:main:signal:direct:1"
	done
}

@test "secure: a stranger's sandboxed command sees neither the host's secrets nor a network" {
	run claw exec --channel telegram --chat direct --peer 666 -- sh -c 'cat /etc/shadow; ls /root; cat /proc/net/dev'
	assert_output --regexp ' lo:'
	assert_output --partial "/etc/shadow: No such file"
	assert_output --partial "'/root': No such file"
	refute_output --partial "root:"
	refute_output --regexp '(eth|ens|enp|wl)[0-9a-z]*:'
}

@test "secure: elevated is off, so an elevated request is refused" {
	claw init --preset secure >/dev/null
	run bash -c 'claw-session new --channel telegram --chat direct --peer 1 -- id | jq -c ".args.elevated = true" | claw run | jq -r .deny.reason'
	assert_success
	assert_output "elevated-not-allowed (tools.elevated.enabled is false)"
}

@test "claw-audit check --fix --preset secure brings an OpenClaw default config to the preset" {
	echo '{}' > "$CONFIG"
	chmod 600 "$CONFIG"
	chmod 700 "$OPENCLAW_STATE_DIR"
	run claw-audit check --preset secure --json
	assert [ "$(jqr .summary.warn)" -gt 0 ]
	run claw-audit check --fix --preset secure
	assert_success
	run claw-audit check --preset secure --json
	assert_equal "$(jqr '.summary.warn + .summary.critical')" "0"
	run bash -c "$(declare -f senders); senders | claw-session | jq -r .session.sandboxed | tr '\n' ' '"
	assert_output "false true true true true "
}

@test "secure (and no config at all): claw's own keys come from the preset's claw.json" {
	for setup in none secure; do
		[ "$setup" = none ] || claw init --preset secure --force >/dev/null
		run claw-sandbox explain --json
		assert_equal "$(jqr -r '.settings[] | select(.key == "native.landlock") | "\(.value) \(.from)"')" \
			"auto agents.defaults.sandbox.native.landlock"
	done
}

@test "every preset, as claw init writes it, passes the config check with nothing to move" {
	for p in personal secure public dev; do
		claw init --preset "$p" --force >/dev/null
		run claw config check --json
		assert_success
		assert_equal "$(jqr '.summary.critical + .summary.warn')" 0
	done
}
