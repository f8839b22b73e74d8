#!/usr/bin/env bats
# claw-audit check: the security audit, every check triggered and not, and --fix.

load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	chmod 700 "$OPENCLAW_STATE_DIR"
	A="$OPENCLAW_STATE_DIR/exec-approvals.json"
}

# check [OPTIONS]: run check --json; the report stays in $json for the helpers below.
check() {
	run --separate-stderr claw-audit check --json "$@"
	json=$output
}

# has ID: the last check reported ID (in a plain report or in --fix's).
has() {
	jq -e --arg id "$1" 'any((.report // .).findings[]; .checkId == $id)' <<<"$json" >/dev/null
}

# sev ID: its severity, or "none".
sev() {
	jq -r --arg id "$1" '[(.report // .).findings[] | select(.checkId == $id) | .severity] | first // "none"' <<<"$json"
}

# detail ID: its detail text.
detail() {
	jq -r --arg id "$1" '[(.report // .).findings[] | select(.checkId == $id) | .detail] | first // ""' <<<"$json"
}

# serious: the check ids of warn and critical findings, one per line.
serious() {
	jq -r '(.report // .).findings[] | select(.severity != "info") | .checkId' <<<"$json"
}

# write_config: the config from standard input, private (tests that want it
# readable by others chmod it afterwards).
write_config() {
	cat >"$CONFIG"
	chmod 600 "$CONFIG"
}

expect() { # expect ID SEVERITY
	assert_equal "$(sev "$1")" "$2"
}

# ---- the report ----

@test "no config at all: the built-in secure preset has nothing to warn about" {
	check
	assert_success
	run serious
	assert_output ""
	check
	expect summary.attack_surface info
	run detail summary.attack_surface
	assert_line "config: none (built-in secure preset)"
	assert_line "sandbox: mode=non-main, scope=session, backend=native, workspaceAccess=none"
}

@test "the JSON report has OpenClaw's shape, printed as JSON.stringify(report, null, 2) prints it" {
	write_config <<<'{ tools: { exec: { security: "full" } } }'
	chmod 600 "$CONFIG"
	check
	assert_success
	assert_line --index 0 "{"
	assert_line --index 1 --regexp '^  "ts": [0-9]{13},$'
	assert_line --index 2 '  "summary": {'
	assert_equal "$(jq -c 'keys_unsorted' <<<"$output")" '["ts","summary","findings"]'
	assert_equal "$(jq '.summary.warn as $n | [.findings[] | select(.severity == "warn")] | length == $n' <<<"$output")" true
	assert_equal "$(jq '.summary.info as $n | [.findings[] | select(.severity == "info")] | length == $n' <<<"$output")" true
	assert_equal "$(jq '[.findings[] | has("checkId") and has("severity") and has("title") and has("detail")] | all' <<<"$output")" true
	assert_equal "$(jq -c '.findings[] | select(.checkId == "summary.attack_surface") | keys_unsorted' <<<"$output")" '["checkId","severity","title","detail"]'
}

@test "the text report is laid out as OpenClaw's: heading, summary, CRITICAL, WARN, INFO" {
	write_config <<<'{ tools: { exec: { security: "full" } } }'
	chmod 644 "$CONFIG"
	run claw-audit check
	assert_success
	assert_line --index 0 "claw security audit"
	assert_line --index 1 "Summary: 1 critical · 1 warn · 2 info"
	assert_line --index 2 "CRITICAL"
	assert_line --index 3 "fs.config.perms_world_readable Config file is world-readable"
	assert_line --index 4 "  $CONFIG mode=644; configs hold tokens and private settings."
	assert_line --index 5 "  Fix: chmod 600 $CONFIG (claw-audit check --fix does it)"
	assert_line --index 6 "WARN"
	assert_line --index 7 "tools.exec.security_full_configured Exec security=full is configured"
	assert_line "INFO"
	assert_line "summary.attack_surface Attack surface summary"
	[[ "$output" == *$'\n\nCRITICAL\n'*$'\n\nWARN\n'*$'\n\nINFO\n'* ]]
	refute_output --partial $'\033'
}

@test "a config that does not parse is a config error, with its position" {
	write_config <<<'{ tools: { exec: } }'
	run claw-audit check
	assert_failure 2
	assert_output --partial "openclaw.json:1:"
	run claw-audit check --preset nosuch
	assert_failure 2
	assert_output --partial "no preset \"nosuch\" (there are: "
	run claw-audit check --fail-on sometimes
	assert_failure 2
}

@test "--fail-on gives cron a non-zero exit at the level asked for" {
	write_config <<<'{ tools: { exec: { security: "full" } } }'
	chmod 600 "$CONFIG"
	run claw-audit check --fail-on critical
	assert_success
	run claw-audit check --fail-on warn
	assert_failure 1
	chmod 666 "$CONFIG"
	run claw-audit check --fail-on critical
	assert_failure 1
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "non-main" } } }, tools: { exec: { security: "allowlist" } } }'
	run claw-audit check --fail-on warn
	assert_success
}

# ---- files ----

@test "fs.state_dir: world- and group-writable, readable, symlinked, and private" {
	chmod 777 "$OPENCLAW_STATE_DIR"
	check
	expect fs.state_dir.perms_world_writable critical
	chmod 775 "$OPENCLAW_STATE_DIR"
	check
	expect fs.state_dir.perms_group_writable warn
	expect fs.state_dir.perms_world_writable none
	chmod 750 "$OPENCLAW_STATE_DIR"
	check
	expect fs.state_dir.perms_readable warn
	chmod 700 "$OPENCLAW_STATE_DIR"
	check
	run serious
	assert_output ""
	ln -s "$OPENCLAW_STATE_DIR" "$BATS_TEST_TMPDIR/link"
	OPENCLAW_STATE_DIR="$BATS_TEST_TMPDIR/link" check
	expect fs.state_dir.symlink warn
}

@test "fs.config: writable, world- and group-readable, symlinked, and private" {
	write_config <<<'{}'
	chmod 666 "$CONFIG"
	check
	expect fs.config.perms_writable critical
	chmod 644 "$CONFIG"
	check
	expect fs.config.perms_world_readable critical
	chmod 640 "$CONFIG"
	check
	expect fs.config.perms_group_readable warn
	chmod 600 "$CONFIG"
	check
	expect fs.config.perms_group_readable none
	expect fs.config.perms_world_readable none
	mv "$CONFIG" "$BATS_TEST_TMPDIR/real.json"
	chmod 644 "$BATS_TEST_TMPDIR/real.json"
	ln -s "$BATS_TEST_TMPDIR/real.json" "$CONFIG"
	check
	expect fs.config.symlink warn
	expect fs.config.perms_world_readable none
}

@test "fs.synced_dir: a state dir in a synced folder" {
	export OPENCLAW_STATE_DIR="$BATS_TEST_TMPDIR/Dropbox/state"
	mkdir -p "$OPENCLAW_STATE_DIR"
	chmod 700 "$OPENCLAW_STATE_DIR"
	check
	expect fs.synced_dir warn
	export OPENCLAW_STATE_DIR="$BATS_TEST_TMPDIR/local/state"
	mkdir -p "$OPENCLAW_STATE_DIR"
	chmod 700 "$OPENCLAW_STATE_DIR"
	check
	expect fs.synced_dir none
}

@test "the approvals file: readable, writable, symlinked, invalid, and fine" {
	echo '{"version":1}' >"$A"
	chmod 644 "$A"
	check
	expect fs.exec_approvals.perms_readable warn
	chmod 666 "$A"
	check
	expect fs.exec_approvals.perms_writable critical
	chmod 600 "$A"
	check
	run serious
	assert_output ""
	echo 'not json' >"$A"
	check
	expect exec_approvals.invalid warn
	echo '{"version":1}' >"$BATS_TEST_TMPDIR/a.json"
	chmod 600 "$BATS_TEST_TMPDIR/a.json"
	ln -sf "$BATS_TEST_TMPDIR/a.json" "$A"
	check
	expect fs.exec_approvals.symlink warn
}

@test "the decision log, the credentials dir and auth profiles must be private" {
	printf '{}\n' | claw-audit log >/dev/null
	check
	run serious
	assert_output ""
	chmod 644 "$OPENCLAW_STATE_DIR/audit/decisions.jsonl"
	check
	expect fs.audit_log.perms_readable warn
	chmod 666 "$OPENCLAW_STATE_DIR/audit/decisions.jsonl"
	check
	expect fs.audit_log.perms_writable critical
	mkdir -m 755 "$OPENCLAW_STATE_DIR/credentials"
	check
	expect fs.credentials_dir.perms_readable warn
	write_config <<<'{ agents: { list: [ { id: "Ops" } ] } }'
	chmod 600 "$CONFIG"
	mkdir -p "$OPENCLAW_STATE_DIR/agents/ops/agent"
	echo '{}' >"$OPENCLAW_STATE_DIR/agents/ops/agent/auth-profiles.json"
	chmod 664 "$OPENCLAW_STATE_DIR/agents/ops/agent/auth-profiles.json"
	check
	expect fs.auth_profiles.perms_writable critical
}

# ---- tools.elevated and tools.exec ----

@test "tools.elevated.allowFrom: a wildcard, a large list, and elevated off" {
	write_config <<<'{ tools: { elevated: { allowFrom: { telegram: ["*"], discord: ["1"] } } } }'
	check
	expect tools.elevated.allowFrom.telegram.wildcard critical
	expect tools.elevated.allowFrom.discord.large none
	big=$(seq -s, 1 26)
	write_config <<<"{ tools: { elevated: { allowFrom: { whatsapp: [$big] } } } }"
	check
	expect tools.elevated.allowFrom.whatsapp.large warn
	write_config <<<"{ tools: { elevated: { allowFrom: { whatsapp: [$(seq -s, 1 25)] } } } }"
	check
	expect tools.elevated.allowFrom.whatsapp.large none
	write_config <<<'{ tools: { elevated: { enabled: false, allowFrom: { telegram: ["*"] } } } }'
	check
	expect tools.elevated.allowFrom.telegram.wildcard none
}

@test "tools.exec.host sandbox with sandbox mode off, for the defaults and for agents" {
	write_config <<<'{ tools: { exec: { host: "sandbox" } }, agents: { list: [ { id: "a", tools: { exec: { host: "sandbox" } } } ] } }'
	check
	expect tools.exec.host_sandbox_no_sandbox_defaults warn
	expect tools.exec.host_sandbox_no_sandbox_agents warn
	write_config <<<'{ tools: { exec: { host: "sandbox" } }, agents: { defaults: { sandbox: { mode: "all" } }, list: [ { id: "a", tools: { exec: { host: "sandbox" } } } ] } }'
	check
	expect tools.exec.host_sandbox_no_sandbox_defaults none
	expect tools.exec.host_sandbox_no_sandbox_agents none
}

@test "exec security full: warn alone, critical with an open channel; open channels with exec" {
	write_config <<<'{ tools: { exec: { security: "full" } } }'
	check
	expect tools.exec.security_full_configured warn
	expect security.exposure.open_channels_with_exec none
	write_config <<<'{ tools: { exec: { mode: "full" } }, channels: { slack: { groupPolicy: "open" } } }'
	check
	expect tools.exec.security_full_configured critical
	expect security.exposure.open_channels_with_exec critical
	write_config <<<'{ tools: { exec: { security: "allowlist" } }, channels: { slack: { accounts: { work: { dmPolicy: "open" } } } } }'
	check
	expect tools.exec.security_full_configured none
	expect security.exposure.open_channels_with_exec warn
	run detail security.exposure.open_channels_with_exec
	assert_line "- channels.slack.accounts.work.dmPolicy"
	# Unset security is "deny" in OpenClaw's audit: nothing reachable.
	write_config <<<'{ channels: { slack: { groupPolicy: "open" } } }'
	check
	expect security.exposure.open_channels_with_exec none
}

@test "exec security left unset: OpenClaw's runtime default is full on the host" {
	write_config <<<'{}'
	check
	expect tools.exec.security_default_full warn
	# A floor in exec-approvals.json, sandbox mode all, or the key set: no finding.
	echo '{"version":1,"defaults":{"security":"allowlist"}}' >"$A"
	chmod 600 "$A"
	check
	expect tools.exec.security_default_full none
	echo '{"version":1,"agents":{"*":{"security":"full"}}}' >"$A"
	check
	expect tools.exec.security_default_full warn
	rm "$A"
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all" } } } }'
	check
	expect tools.exec.security_default_full none
	write_config <<<'{ tools: { exec: { mode: "ask" } } }'
	check
	expect tools.exec.security_default_full none
	rm "$CONFIG"
	check
	expect tools.exec.security_default_full none
}

@test "approvals: autoAllowSkills, interpreters without strictInlineEval, shells, wildcards" {
	echo '{"version":1,"defaults":{"autoAllowSkills":true},"agents":{"main":{"allowlist":[
		{"pattern":"/usr/bin/python3"},{"pattern":"/usr/bin/node22"},{"pattern":"/bin/bash"},
		{"pattern":"/usr/bin/*"},{"pattern":"/opt/**"},{"pattern":"/usr/bin/git"}]}}}' >"$A"
	chmod 600 "$A"
	check
	expect tools.exec.auto_allow_skills_enabled warn
	expect tools.exec.allowlist_interpreter_without_strict_inline_eval warn
	expect tools.exec.allowlist_shell warn
	expect tools.exec.allowlist_wildcard critical
	run detail tools.exec.allowlist_interpreter_without_strict_inline_eval
	assert_line "- agents.main.allowlist: /usr/bin/python3"
	assert_line "- agents.main.allowlist: /usr/bin/node22"
	run detail tools.exec.allowlist_wildcard
	assert_line "- agents.main.allowlist: /usr/bin/*"
	assert_line "- agents.main.allowlist: /opt/**"
	refute_output --partial "git"
	write_config <<<'{ tools: { exec: { strictInlineEval: true } } }'
	echo '{"version":1,"defaults":{"security":"allowlist"},"agents":{"main":{"allowlist":[{"pattern":"/usr/bin/python3"},{"pattern":"/usr/bin/git"}]}}}' >"$A"
	check
	run serious
	assert_output ""
}

@test "safe bins: interpreters without a profile, broad bins, risky trusted dirs, shadowed bins" {
	write_config <<<'{ tools: { exec: { safeBins: ["python3", "jq", "sed", "head"], safeBinTrustedDirs: ["/tmp/bins", "relbin", "/home/me/bin", "/usr/local/bin"] } } }'
	PATH="$CLAW_BIN:/usr/bin:/bin" check
	expect tools.exec.safe_bins_interpreter_unprofiled warn
	expect tools.exec.safe_bins_broad_behavior warn
	expect tools.exec.safe_bin_trusted_dirs_risky warn
	run detail tools.exec.safe_bin_trusted_dirs_risky
	assert_line --partial "/tmp/bins (temporary directory"
	assert_line --partial "relbin (relative path"
	assert_line --partial "/home/me/bin (home-scoped"
	assert_line --partial "/usr/local/bin (package-manager"
	write_config <<<'{ tools: { exec: { security: "allowlist", safeBins: ["python3", "head"], safeBinProfiles: { python3: {} } } } }'
	PATH="$CLAW_BIN:/usr/bin:/bin" check
	run serious
	assert_output ""
	mkdir "$BATS_TEST_TMPDIR/shadow"
	printf '#!/bin/sh\n' >"$BATS_TEST_TMPDIR/shadow/head"
	chmod 755 "$BATS_TEST_TMPDIR/shadow/head"
	PATH="$BATS_TEST_TMPDIR/shadow:$CLAW_BIN:/usr/bin:/bin" check
	expect tools.exec.safe_bins_untrusted_path warn
	run detail tools.exec.safe_bins_untrusted_path
	assert_line "- tools.exec.safeBins: head resolves to $BATS_TEST_TMPDIR/shadow/head"
}

@test "tools.profile minimal overridden by an agent's profile" {
	write_config <<<'{ tools: { profile: "minimal" }, agents: { list: [ { id: "a", tools: { profile: "coding" } }, { id: "b", tools: { profile: "minimal" } } ] } }'
	check
	expect tools.profile_minimal_overridden warn
	run detail tools.profile_minimal_overridden
	assert_line "- agents.list.a.tools.profile=coding"
	refute_line --partial "agents.list.b"
	write_config <<<'{ tools: { profile: "coding" }, agents: { list: [ { id: "a", tools: { profile: "full" } } ] } }'
	check
	expect tools.profile_minimal_overridden none
}

@test "insecure or dangerous flags (one finding each)" {
	write_config <<<'{ hooks: { allowRequestSessionKey: true, mappings: [ {}, { allowUnsafeExternalContent: true } ] }, tools: { fs: { workspaceOnly: false } }, agents: { defaults: { sandbox: { docker: { dangerouslyAllowExternalBindSources: true } } } } }'
	check
	assert_equal "$(jq '[.findings[] | select(.checkId == "config.insecure_or_dangerous_flags")] | length' <<<"$output")" 4
	assert_output --partial "Detected enabled flag: hooks.mappings[1].allowUnsafeExternalContent=true."
	write_config <<<'{ hooks: { allowRequestSessionKey: false } }'
	check
	expect config.insecure_or_dangerous_flags none
}

# ---- sandbox ----

@test "sandbox docker settings while sandbox mode is off" {
	write_config <<<'{ agents: { defaults: { sandbox: { docker: { image: "x" } } }, list: [ { id: "a", sandbox: { docker: { memory: "1g" } } } ] } }'
	check
	expect sandbox.docker_config_mode_off warn
	run detail sandbox.docker_config_mode_off
	assert_line "- agents.defaults.sandbox.docker"
	assert_line "- agents.list.a.sandbox.docker"
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "non-main", docker: { image: "x" } } } } }'
	check
	expect sandbox.docker_config_mode_off none
}

@test "perSession: the audit reads the scope as claw-sandbox does, and both refuse the retired key" {
	for v in true:session false:shared; do
		write_config <<<"{ agents: { defaults: { sandbox: { mode: \"all\", perSession: ${v%%:*} } } } }"
		run claw-sandbox explain --json
		assert_failure 2
		assert_output --partial 'unknown key "perSession"'
		check --preset public
		expect config.invalid critical
		run detail summary.attack_surface
		assert_line "sandbox: mode=all, scope=${v#*:}, backend=native, workspaceAccess=none"
		run has preset.public.agents.defaults.sandbox.scope
		[ "${v#*:}" = shared ] || assert_failure
		# Renamed as the schema says: claw-sandbox runs with the scope the audit read.
		write_config <<<"{ agents: { defaults: { sandbox: { mode: \"all\", scope: \"${v#*:}\" } } } }"
		run --separate-stderr claw-sandbox explain --json
		assert_success
		assert_equal "$(jq -r '.settings[] | select(.key == "scope") | .value' <<<"$output")" "${v#*:}"
		check
		run detail summary.attack_surface
		assert_line "sandbox: mode=all, scope=${v#*:}, backend=native, workspaceAccess=none"
	done
}

@test "bind mounts: relative, system paths, the whole disk, credentials, the state dir, and projects" {
	mkdir -p "$HOME/.ssh"
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", docker: { binds: [
	"rel/dir:/x", "/etc:/host-etc:ro", "/:/host", "/var:/v", "/var/run/docker.sock:/var/run/docker.sock",
	"$HOME/.ssh:/ssh:ro", "$OPENCLAW_STATE_DIR:/state", "$BATS_TEST_TMPDIR:/all" ] } } },
  list: [ { id: "ops", sandbox: { docker: { binds: [ "/proc:/p", "/srv/project:/project:rw" ] } } } ] } }
EOF
	check
	expect sandbox.bind_mount_non_absolute warn
	expect sandbox.dangerous_bind_mount critical
	expect sandbox.state_dir_bind critical
	run jq -r '.findings[] | select(.checkId == "sandbox.dangerous_bind_mount" or .checkId == "sandbox.state_dir_bind") | .detail' <<<"$output"
	assert_line --partial '"/etc:/host-etc:ro", which targets blocked path "/etc"'
	assert_line --partial '"/:/host", which covers blocked path "/"'
	assert_line --partial '"/var:/v", which covers blocked path "/var/run"'
	assert_line --partial '"/var/run/docker.sock:/var/run/docker.sock", which targets blocked path "/var/run"'
	assert_line --partial "\"$HOME/.ssh:/ssh:ro\", which targets blocked path \"$HOME/.ssh\""
	assert_line --partial "\"$OPENCLAW_STATE_DIR:/state\", which targets claw's own state"
	assert_line --partial "\"$BATS_TEST_TMPDIR:/all\", which covers"
	assert_line --partial 'agents.list.ops.sandbox.docker.binds has "/proc:/p"'
	refute_output --partial "/srv/project"
}

@test "network host or another container's namespace, seccomp and AppArmor unconfined" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", docker: { network: "HOST", seccompProfile: "Unconfined", apparmorProfile: "unconfined" } } } } }'
	check
	expect sandbox.dangerous_network_mode critical
	expect sandbox.dangerous_seccomp_profile critical
	expect sandbox.dangerous_apparmor_profile critical
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", docker: { network: "container:db" } } } } }'
	check
	expect sandbox.dangerous_network_mode critical
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", docker: { network: "container:db", dangerouslyAllowContainerNamespaceJoin: true, seccompProfile: "/etc/claw/seccomp.json", apparmorProfile: "claw" } } } } }'
	check
	expect sandbox.dangerous_network_mode none
	expect sandbox.dangerous_seccomp_profile none
	expect sandbox.dangerous_apparmor_profile none
	expect config.insecure_or_dangerous_flags warn
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", backend: "docker", docker: { network: "bridge" } } } } }'
	chmod 600 "$CONFIG"
	check
	run serious
	assert_output ""
}

@test "the native sandbox on any network but none is the host's network: warned, with the fix" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", docker: { network: "bridge" } } } } }'
	chmod 600 "$CONFIG"
	check
	expect sandbox.native_host_network warn
	expect sandbox.dangerous_network_mode none
	run detail sandbox.native_host_network
	assert_output --partial 'agents.defaults.sandbox.docker.network is "bridge": the native sandbox has no bridge'
	# An agent of its own on the native backend, the defaults on docker.
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", backend: "docker" } },
	  list: [ { id: "main", default: true }, { id: "ops", sandbox: { backend: "native", docker: { network: "mynet" } } } ] } }'
	check
	expect sandbox.native_host_network warn
	run detail sandbox.native_host_network
	assert_output --partial 'agents.list.ops.sandbox.docker.network is "mynet"'
	# Sandbox off: no sandbox runs, nothing to say about its network.
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "off", docker: { network: "bridge" } } } } }'
	check
	expect sandbox.native_host_network none
	# Host: critical, and under native the fix is "none" alone.
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", docker: { network: "host" } } } } }'
	check
	expect sandbox.dangerous_network_mode critical
	run jq -r '.findings[] | select(.checkId == "sandbox.dangerous_network_mode") | .remediation' <<<"$json"
	assert_output 'Set agents.defaults.sandbox.docker.network to "none".'
}

@test "the native sandbox's kernel features: missing user namespaces are critical where a sandbox is on" {
	command -v unshare >/dev/null && unshare -Ur true 2>/dev/null || skip "no user namespaces to test in"
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "non-main" } } } }'
	run unshare -Ur sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && claw-audit check --json'
	json=$output
	assert_success
	expect sandbox.native.kernel_unsupported critical
	assert_output --partial "user.max_user_namespaces=0"
	assert_output --partial "agents.defaults (sandbox mode non-main, backend native)"
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "off" } }, list: [ { id: "d", sandbox: { mode: "all", backend: "docker" } } ] } }'
	run unshare -Ur sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && claw-audit check --json'
	json=$output
	expect sandbox.native.kernel_unsupported none
	# Here, with user namespaces, the same non-main config has nothing to say.
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "non-main" } } } }'
	write_claw_config <<<'{ agents: { defaults: { sandbox: { native: { landlock: "required" } } } } }'
	check
	if [ "$(sev sandbox.native.kernel_unsupported)" != none ]; then
		assert_output --partial "Landlock"
	fi
}

# ---- channels, exposure and the trust model ----

@test "open groups and DMs with elevated, runtime/fs and control-plane tools" {
	write_config <<<'{ channels: { telegram: { groupPolicy: "open" } } }'
	check
	expect security.exposure.open_groups_with_elevated critical
	expect security.exposure.open_groups_with_runtime_or_fs critical
	expect security.exposure.open_groups_with_control_plane_tools critical
	run detail security.exposure.open_groups_with_runtime_or_fs
	assert_line "- agents.defaults (sandbox=off; runtime=[exec, process]; fs=[read, write, edit, apply_patch]; fs.workspaceOnly=false)"
	# fs tools alone outside a full sandbox: a warning.
	write_config <<<'{ channels: { telegram: { groupPolicy: "open" } }, tools: { deny: ["group:runtime", "group:automation"] } }'
	check
	expect security.exposure.open_groups_with_runtime_or_fs warn
	expect security.exposure.open_groups_with_control_plane_tools none
	# The public preset's answer: everything sandboxed, elevated off, files kept to the workspace.
	write_config <<<'{ channels: { telegram: { groupPolicy: "open" } }, agents: { defaults: { sandbox: { mode: "all" } } }, tools: { elevated: { enabled: false }, fs: { workspaceOnly: true }, profile: "messaging", deny: ["gateway"] } }'
	check
	expect security.exposure.open_groups_with_elevated none
	expect security.exposure.open_groups_with_runtime_or_fs none
	expect security.exposure.open_groups_with_control_plane_tools none
	write_config <<<'{ channels: { telegram: { groupPolicy: "allowlist" } } }'
	check
	expect security.exposure.open_groups_with_elevated none
}

@test "trust model: several people reach the agent; group rooms in the main session" {
	write_config <<<'{ channels: { discord: { groupPolicy: "allowlist", guilds: { "1": {} }, groupAllowFrom: ["*"] } }, session: { groupScope: "main" } }'
	check
	expect security.trust_model.multi_user_heuristic warn
	expect security.trust_model.group_scope_main warn
	run detail security.trust_model.multi_user_heuristic
	assert_line '- channels.discord.groupPolicy="allowlist" with configured group targets'
	assert_line '- channels.discord.groupAllowFrom includes "*"'
	write_config <<<'{ channels: { discord: { groupPolicy: "allowlist" } } }'
	check
	expect security.trust_model.multi_user_heuristic none
	expect security.trust_model.group_scope_main none
}

@test "channel DMs: open, inconsistent, disabled, locked, and senders sharing the main session" {
	write_config <<<'{ channels: { telegram: { dmPolicy: "open", allowFrom: ["1"] }, signal: { dmPolicy: "disabled" }, whatsapp: { allowFrom: [] } } }'
	check
	expect channels.telegram.dm.open critical
	expect channels.telegram.dm.open_invalid warn
	expect channels.signal.dm.disabled info
	expect channels.whatsapp.dm.locked info
	expect channels.dm.session_collision.telegram-default.1 warn
	assert_equal "$(jq -r '.findings[] | select(.checkId == "channels.telegram.dm.open") | .title' <<<"$output")" "Telegram DMs are open"
	write_config <<<'{ channels: { telegram: { dmPolicy: "open", allowFrom: ["*"] }, slack: { accounts: { work: { allowFrom: ["u1", "u2", "u2"] } } } } }'
	check
	expect channels.telegram.dm.open_invalid none
	expect channels.dm.session_collision.slack-work.1 warn
	assert_equal "$(jq -r '.findings[] | select(.checkId == "channels.dm.session_collision.slack-work.1") | .title' <<<"$output")" "DM principals share a session"
	run detail channels.dm.session_collision.slack-work.1
	assert_output --partial "admits 2 DM senders"
	write_config <<<'{ session: { dmScope: "per-channel-peer" }, channels: { slack: { allowFrom: ["u1", "u2"] } } }'
	check
	expect channels.dm.session_collision.slack-default.1 none
	write_config <<<'{ channels: { slack: { allowFrom: ["u1"] } } }'
	check
	expect channels.dm.session_collision.slack-default.1 none
}

@test "keys left out get OpenClaw's defaults: an info finding says where that is weaker than secure" {
	write_config <<<'{}'
	chmod 600 "$CONFIG"
	check
	expect config.defaults_weaker_than_secure info
	run detail config.defaults_weaker_than_secure
	assert_line '- agents.defaults.sandbox.mode: default "off", secure "non-main"'
	assert_line '- session.dmScope: default "main", secure "per-channel-peer"'
	assert_line '- tools.elevated.enabled: default true, secure false'
	cp "$BATS_TEST_TMPDIR/../../../share/claw/presets/secure.json5" "$CONFIG" 2>/dev/null ||
		cp "$(dirname "$BATS_TEST_FILENAME")/../share/claw/presets/secure.json5" "$CONFIG"
	chmod 600 "$CONFIG"
	check
	expect config.defaults_weaker_than_secure none
}

# ---- presets ----

@test "the presets as configs have nothing to warn about (secure, public, personal, dev)" {
	for p in secure public personal dev; do
		cp "$(dirname "$BATS_TEST_FILENAME")/../share/claw/presets/$p.json5" "$CONFIG"
		chmod 600 "$CONFIG"
		check
		assert_success
		run serious
		assert_output ""
		check --preset "$p"
		run serious
		assert_output ""
	done
}

@test "--preset lists what the config lacks, with the key to set" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", docker: { network: "bridge" } } }, list: [ { id: "x", sandbox: { mode: "off" } } ] }, tools: { exec: { security: "deny" } } }'
	chmod 600 "$CONFIG"
	check --preset secure
	expect preset.secure.agents.defaults.sandbox.mode none
	expect preset.secure.tools.exec.security none
	expect preset.secure.tools.exec.ask none
	expect preset.secure.agents.defaults.sandbox.docker.network warn
	expect preset.secure.session.dmScope warn
	expect "preset.secure.agents.list[0].sandbox.mode" warn
	run jq -r '.findings[] | select(.checkId == "preset.secure.session.dmScope") | .detail, .remediation' <<<"$output"
	assert_line 'session.dmScope is not set (OpenClaw'"'"'s default is "main"); preset "secure" has "per-channel-peer" (whether DM senders share one conversation).'
	assert_line 'Set session.dmScope="per-channel-peer" (claw-audit check --fix --preset secure does it).'
	check --preset public
	expect preset.public.tools.deny warn
	expect preset.public.agents.defaults.sandbox.docker.pidsLimit warn
	run detail preset.public.agents.defaults.sandbox.docker.memory
	assert_output 'agents.defaults.sandbox.docker.memory is not set (OpenClaw'"'"'s default is "unlimited"); preset "public" has "512m" (how much memory a sandbox may use).'
	run detail preset.public.tools.deny
	assert_output --partial '"exec","process","browser"'
}

# ---- --fix ----

@test "--fix tightens permissions, never loosens them, and reports each change" {
	write_config <<<'{}'
	chmod 777 "$OPENCLAW_STATE_DIR"
	chmod 644 "$CONFIG"
	echo '{"version":1}' >"$A"
	chmod 640 "$A"
	printf '{}\n' | claw-audit log >/dev/null
	chmod 755 "$OPENCLAW_STATE_DIR/audit"
	chmod 444 "$OPENCLAW_STATE_DIR/audit/decisions.jsonl"
	mkdir -m 500 "$OPENCLAW_STATE_DIR/credentials"
	run claw-audit check --fix
	assert_success
	assert_line "Fix: claw-audit check --fix"
	assert_line "FIX"
	assert_line "  chmod 700 $OPENCLAW_STATE_DIR"
	assert_line "  chmod 600 $CONFIG"
	assert_line "  chmod 600 $A"
	assert_line "  chmod 700 $OPENCLAW_STATE_DIR/audit"
	assert_line "  chmod 600 $OPENCLAW_STATE_DIR/audit/decisions.jsonl"
	assert_line "  skip chmod 700 $OPENCLAW_STATE_DIR/credentials (already)"
	assert_equal "$(stat -c %a "$OPENCLAW_STATE_DIR" "$CONFIG" "$A" "$OPENCLAW_STATE_DIR/audit/decisions.jsonl" "$OPENCLAW_STATE_DIR/credentials" | tr '\n' ' ')" "700 600 600 400 500 "
	run claw-audit check --fix --json
	assert_success
	assert_equal "$(jq -c '.fix | [.ok, .configWritten, (.changes | length), ([.actions[] | select(.ok)] | length)]' <<<"$output")" '[true,false,0,0]'
	assert_equal "$(jq -r '.fix.actions[0] | "\(.kind) \(.mode) \(.skipped)"' <<<"$output")" "chmod 448 already"
	run claw-audit check --fix
	assert_line "Fixes: no changes applied"
}

@test "--fix: open groups to allowlist; comments kept; a numbered backup; idempotent" {
	cat >"$CONFIG" <<'EOF'
// my bot
{
  channels: {
    telegram: {
      groupPolicy: 'open', // for the family group
      accounts: { work: { groupPolicy: "open" } },
    },
  },
  logging: { level: "info" },
}
EOF
	chmod 640 "$CONFIG"
	cp "$CONFIG" "$BATS_TEST_TMPDIR/orig"
	run claw-audit check --fix --json
	assert_success
	assert_equal "$(jq -c .fix.changes <<<"$output")" '["channels.telegram.groupPolicy=open -> allowlist","channels.telegram.accounts.work.groupPolicy=open -> allowlist"]'
	assert_equal "$(jq -r .fix.configWritten <<<"$output")" true
	assert_equal "$(jq -r .fix.configBackup <<<"$output")" "$CONFIG.bak.1"
	cmp "$CONFIG.bak.1" "$BATS_TEST_TMPDIR/orig"
	assert_equal "$(stat -c %a "$CONFIG" "$CONFIG.bak.1" | tr '\n' ' ')" "600 600 "
	run cat "$CONFIG"
	assert_line "// my bot"
	assert_line '      groupPolicy: "allowlist", // for the family group'
	assert_line '      accounts: { work: { groupPolicy: "allowlist" } },'
	assert_line '  logging: { level: "info" },'
	cp "$CONFIG" "$BATS_TEST_TMPDIR/fixed"
	run claw-audit check --fix --json
	assert_equal "$(jq -c '[.fix.configWritten, .fix.changes]' <<<"$output")" '[false,[]]'
	cmp "$CONFIG" "$BATS_TEST_TMPDIR/fixed"
}

@test "--preset: a sandbox limit is weaker when unset, 0, -1 or above the preset's, never when below" {
	for v in 0 -1 4096; do
		write_config <<<"{ agents: { defaults: { sandbox: { docker: { pidsLimit: $v } } } } }"
		chmod 600 "$CONFIG"
		check --preset secure
		expect preset.secure.agents.defaults.sandbox.docker.pidsLimit warn
	done
	for v in 0 '"2g"' '"1.5g"' 2147483648; do
		write_config <<<"{ agents: { defaults: { sandbox: { docker: { memory: $v } } } } }"
		chmod 600 "$CONFIG"
		check --preset secure
		expect preset.secure.agents.defaults.sandbox.docker.memory warn
	done
	for v in 512 100; do
		write_config <<<"{ agents: { defaults: { sandbox: { docker: { pidsLimit: $v, memory: \"${v}m\" } } }, list: [ { id: \"big\", sandbox: { docker: { pidsLimit: 99999 } } } ] } }"
		chmod 600 "$CONFIG"
		check --preset secure
		expect preset.secure.agents.defaults.sandbox.docker.pidsLimit none
		expect preset.secure.agents.defaults.sandbox.docker.memory none
		expect "preset.secure.agents.list[0].sandbox.docker.pidsLimit" warn
	done
}

@test "--fix --preset applies only what tightens, per agent too, and twice changes nothing" {
	cat >"$CONFIG" <<'EOF'
{
	agents: {
		defaults: { sandbox: { mode: "all" } },
		list: [ { id: "ops", sandbox: { mode: "off", workspaceAccess: "rw" } } ],
	},
	tools: { exec: { security: "deny" }, deny: ["canvas"] },
}
EOF
	chmod 600 "$CONFIG"
	run claw-audit check --fix --preset public --json
	assert_success
	assert_equal "$(jq -r '.fix.changes[]' <<<"$output" | sort | tr '\n' '|')" \
		'agents.defaults.sandbox.docker.memory=(unset) -> "512m" (preset public)|agents.defaults.sandbox.docker.pidsLimit=(unset) -> 256 (preset public)|agents.defaults.sandbox.scope=(unset) -> "session" (preset public)|agents.list[0].sandbox.mode="off" -> "all" (preset public)|agents.list[0].sandbox.workspaceAccess="rw" -> "none" (preset public)|session.dmScope=(unset) -> "per-channel-peer" (preset public)|tools.deny=["canvas"] -> ["canvas","exec","process","browser","web_fetch","web_search","gateway","nodes","cron","group:memory"] (preset public)|tools.elevated.enabled=(unset) -> false (preset public)|'
	run serious
	assert_output ""
	assert_equal "$(claw-audit check --json --preset public | jq '[.findings[] | select(.checkId | startswith("preset."))] | length')" 0
	# Never loosened: sandbox mode all stays all, exec deny stays deny.
	run grep -c 'mode: "all"' "$CONFIG"
	assert_output 2
	assert_equal "$(grep -c 'security: "deny"' "$CONFIG")" 1
	cp "$CONFIG" "$BATS_TEST_TMPDIR/once"
	run claw-audit check --fix --preset public --json
	assert_equal "$(jq -c '[.fix.configWritten, .fix.changes]' <<<"$output")" '[false,[]]'
	cmp "$CONFIG" "$BATS_TEST_TMPDIR/once"
	# secure is looser than public here: it changes nothing (exec deny makes ask moot).
	run claw-audit check --fix --preset secure --json
	assert_equal "$(jq -c '[.fix.configWritten, .fix.changes]' <<<"$output")" '[false,[]]'
	cmp "$CONFIG" "$BATS_TEST_TMPDIR/once"
}

@test "--fix keeps a strict JSON config strict JSON" {
	printf '{\n  "channels": {\n    "slack": {\n      "groupPolicy": "open"\n    }\n  },\n  "tools": {}\n}\n' >"$CONFIG"
	chmod 600 "$CONFIG"
	run claw-audit check --fix --preset secure
	assert_success
	jq -e . "$CONFIG" >/dev/null
	assert_equal "$(jq -c '[.channels.slack.groupPolicy, .tools.exec.security, .session.dmScope, .agents.defaults.sandbox.mode]' "$CONFIG")" '["allowlist","allowlist","per-channel-peer","non-main"]'
	run claw-audit check --fix --preset secure --json
	assert_equal "$(jq -c .fix.changes <<<"$output")" '[]'
}

@test "--fix never rewrites a symlinked config or a missing one, and a broken one is never read" {
	printf '{ channels: { slack: { groupPolicy: "open" } } }\n' >"$BATS_TEST_TMPDIR/real.json5"
	chmod 600 "$BATS_TEST_TMPDIR/real.json5"
	ln -s "$BATS_TEST_TMPDIR/real.json5" "$CONFIG"
	run claw-audit check --fix
	assert_failure 2
	assert_output --partial "is a symlink; not rewriting through it"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/real.json5")" '{ channels: { slack: { groupPolicy: "open" } } }'
	rm "$CONFIG"
	run claw-audit check --fix --preset public
	assert_failure 2
	assert_output --partial "claw init --preset public"
	[ ! -e "$CONFIG" ]
	printf '{ channels: { slack: { groupPolicy: "open" } }\n' >"$CONFIG"
	cp "$CONFIG" "$BATS_TEST_TMPDIR/broken"
	run claw-audit check --fix
	assert_failure 2
	cmp "$CONFIG" "$BATS_TEST_TMPDIR/broken"
	[ ! -e "$CONFIG.bak.1" ]
}

@test "security.audit.suppressions move accepted risks aside, as OpenClaw does" {
	write_config <<<'{ tools: { exec: { security: "full" } },
		security: { audit: { suppressions: [
			{ checkId: "fs.config.perms_group_readable", reason: "debugging this week" },
			{ checkId: "tools.exec.security_full_configured", detailIncludes: "NOT THERE" } ] } } }'
	chmod 640 "$CONFIG"
	check
	expect fs.config.perms_group_readable none
	expect tools.exec.security_full_configured warn
	expect security.audit.suppressions.active info
	assert_equal "$(jq -c '.suppressedFindings | map([.checkId, .suppression.reason])' <<<"$json")" '[["fs.config.perms_group_readable","debugging this week"]]'
	assert_equal "$(jq '.summary.warn' <<<"$json")" "$(jq '[.findings[] | select(.severity == "warn")] | length' <<<"$json")"
	run claw-audit check
	assert_line --index 2 "Suppressed: 2 configured"
	write_config <<<'{ tools: { exec: { security: "allowlist" } }, security: { audit: { suppressions: [ { checkId: "fs.config.perms_group_readable", titleIncludes: "group-readable" } ] } } }'
	chmod 640 "$CONFIG"
	run claw-audit check --fail-on warn
	assert_failure 1 # the suppressions flag itself is a warning
	assert_output --partial "security.audit.suppressions configured (1)"
	refute_line --partial "fs.config.perms_group_readable"
}
