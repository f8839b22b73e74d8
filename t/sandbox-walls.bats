#!/usr/bin/env bats
# claw-sandbox: the promises around the native sandbox's walls (claw-sandbox(1),
# THREATS, the rows numbered 2-7 there: the workspace judged as a bind, setuid
# files, IPC and kept namespaces, persistence paths, the terminal, what the host
# prints), each tested where users run it: as root, as an ordinary user, and as
# root on a host without usable cgroups.

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

@test "3 setuid and setgid files never leave the sandbox: as root" {
	setid_in root
}

@test "3 setuid and setgid files never leave the sandbox: as an ordinary user" {
	user_setup
	setid_in user
}

@test "3 setuid and setgid files never leave the sandbox: without usable cgroups" {
	[ "$(id -u)" = 0 ] || skip "hides the cgroups in a mount namespace of its own"
	setid_in nocgroups
}
