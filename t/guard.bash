# t/guard.bash: helpers for the self-protection tests (load guard).

load sandbox

# guard_test_setup: bats setup() of the guard tests: a scratch state (guard_setup),
# and the ordinary test user when the tests run as root.
guard_test_setup() {
	common_setup
	guard_setup
	if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
		user_setup
	fi
}

# guard_setup: a state dir with a config that would run anything (security "full"),
# so that whatever is refused is refused by self-protection alone; a workdir beside
# the state dir, and a project with things named claw in it.
guard_setup() {
	T=$BATS_TEST_TMPDIR
	STATE=$OPENCLAW_STATE_DIR
	mkdir -p "$STATE/approvals" "$STATE/audit" "$STATE/workspace" "$T/work" \
		"$T/proj/projects/claw"
	echo '{ tools: { exec: { security: "full" } } }' >"$CONFIG"
	echo '{"version":1}' >"$STATE/exec-approvals.json"
	echo '{"id":"first"}' | claw-audit log >/dev/null
	printf 'claw is a toolkit\nopenclaw.json names the config\n' >"$T/proj/README"
	printf 'x\n' >"$T/proj/projects/claw/notes"
}

# verdicts SETTING [WORKDIR] < commands: one line per command,
# "GUARD<TAB>DECISION<TAB>COMMAND", each decided by claw-approve run as root or
# as the ordinary user (in_setting).
verdicts() {
	local setting=$1 workdir=${2:-$T/work}
	jq -cR --arg w "$workdir" '{id: ., tool: "exec", args: {command: ., workdir: $w}}' \
		>"$T/req.jsonl"
	in_setting "$setting" setsid claw-approve <"$T/req.jsonl" >"$T/out.jsonl" || return
	jq -r '[(.approval.guard.reason // "-"), .approval.decision, .id] | @tsv' "$T/out.jsonl"
}

# all_verdict GUARD DECISION SETTING [WORKDIR] < commands: every command gets that
# self-protection reason ("-": none) and that decision.
all_verdict() {
	local guard=$1 decision=$2
	shift 2
	run verdicts "$@"
	assert_success
	[ -n "$output" ] || fail "no verdicts"
	run grep -v "^$guard	$decision	" <<<"$output"
	[ -z "$output" ] || fail "not $guard/$decision ($1): $output"
}

# all_guarded SETTING [WORKDIR] < commands: every command is a self-protection hit.
all_guarded() {
	all_verdict self-protection deny "$@"
}

# all_pass SETTING [WORKDIR] < commands: no command is a self-protection hit; each is allowed.
all_pass() {
	all_verdict - allow "$@"
}

# settings: root always; the ordinary user when the test runs as root.
settings() {
	echo root
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && echo user
	return 0
}
