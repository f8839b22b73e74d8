#!/usr/bin/env bats
# Bound approvals bind what actually runs (lib/approve/runs.h): allow-always
# for a command stops applying when any file it runs changes, however that
# file is reached; where what runs cannot be bound, nothing is made permanent.

bats_require_minimum_version 1.5.0

load helper
load ask

setup() {
	common_setup
	T=$BATS_TEST_TMPDIR
	W=$T/work
	mkdir -p "$W/other"
	write_config <<<'{ tools: { exec: { security: "allowlist", ask: "on-miss" } } }'
	write_claw_config <<<'{ approvals: { exec: { timeoutSeconds: 10 } } }'
}

teardown() {
	[ -z "${BG:-}" ] || kill "$BG" 2>/dev/null || true
	common_teardown
}

# record COMMAND [WORKDIR]: one exec request as a record.
record() {
	jq -cn --arg c "$1" --arg w "${2:-$W}" '{tool: "exec", args: {command: $c, workdir: $w}}'
}

# always COMMAND [WORKDIR]: asks, and a person answers allow-always (claw-approve resolve).
always() {
	record "$@" >"$T/req"
	mkfifo "$T/err.fifo"
	setsid claw-approve --wait --no-tty <"$T/req" >"$T/out" 2>"$T/err.fifo" &
	BG=$!
	local slug
	exec {ERRFD}<"$T/err.fifo"
	slug=$(slug_of "$(wait_line "claw-approve resolve")")
	claw-approve resolve "$slug" allow-always >/dev/null
	wait "$BG"
	BG=
	exec {ERRFD}<&-
	rm -f "$T/err.fifo"
	jq -r .approval.reason "$T/out"
}

# decided COMMAND [WORKDIR]: the decision with nobody to ask: allow only through the list.
decided() {
	record "$@" | setsid claw-approve | jq -r .approval.decision
}

# models: the argument models are built (they find the script behind -W, -m and make).
models() {
	claw-approve models >/dev/null 2>&1 || skip "needs claw's argument models (claw-approve models)"
}

@test "sh deploy.sh: bound to the script; a changed script needs a person again" {
	echo 'echo one' >"$W/deploy.sh"
	run always "sh deploy.sh"
	assert_output allow-always
	run jq -r '.agents.main.allowlist[0].runs[0].path' "$OPENCLAW_STATE_DIR/exec-approvals.json"
	assert_output "$W/deploy.sh"
	run decided "sh deploy.sh"
	assert_output allow
	echo 'echo two' >"$W/deploy.sh"
	run decided "sh deploy.sh"
	assert_output deny
}

@test "echo CMD | sh -s deploy.sh: the script is the input; nothing binds it" {
	echo 'echo one' >"$W/deploy.sh"
	run always "echo id | sh -s deploy.sh"
	assert_output allow-always
	run jq '[.agents.main.allowlist[]? | select(.pattern | endswith("sh"))] | length' \
		"$OPENCLAW_STATE_DIR/exec-approvals.json"
	assert_output 0
	# And an entry bound to `sh deploy.sh` does not stand in for it.
	run always "sh deploy.sh"
	run decided "echo id | sh -s deploy.sh"
	assert_output deny
	run decided "echo id | sh - deploy.sh"
	assert_output deny
}

@test "cd other && sh deploy.sh: the cd moves the script; no binding applies after it" {
	echo 'echo here' >"$W/deploy.sh"
	echo 'echo there' >"$W/other/deploy.sh"
	run always "sh deploy.sh"
	run decided "sh deploy.sh"
	assert_output allow
	run decided "cd other && sh deploy.sh"
	assert_output deny
	run always "cd other && sh deploy.sh"
	run decided "cd other && sh deploy.sh"
	assert_output deny
}

@test "python3 -W ignore x.py: the script behind the option is bound" {
	models
	command -v python3 >/dev/null || skip "needs python3"
	echo 'print(1)' >"$W/x.py"
	run always "python3 -W ignore x.py"
	assert_output allow-always
	run decided "python3 -W ignore x.py"
	assert_output allow
	echo 'print(2)' >"$W/x.py"
	run decided "python3 -W ignore x.py"
	assert_output deny
}

@test "python3 -m NAME: the module the working directory would give is bound" {
	models
	command -v python3 >/dev/null || skip "needs python3"
	mkdir -p "$W/tool"
	echo 'print("init")' >"$W/tool/__init__.py"
	echo 'print("main")' >"$W/tool/__main__.py"
	run always "python3 -m tool"
	assert_output allow-always
	run jq -r '[.agents.main.allowlist[0].runs[].path] | sort | join(" ")' \
		"$OPENCLAW_STATE_DIR/exec-approvals.json"
	assert_output "$W/tool/__init__.py $W/tool/__main__.py"
	run decided "python3 -m tool"
	assert_output allow
	echo 'import os' >>"$W/tool/__main__.py"
	run decided "python3 -m tool"
	assert_output deny
}

@test "python3 -m pytest: a pytest.py planted in the working directory unbinds it" {
	models
	# The system's interpreter, whose name says its version: where its library is.
	py=$(ls /usr/bin/python3.[0-9]* 2>/dev/null | grep -E '/python3\.[0-9]+$' | head -n 1)
	[ -n "$py" ] || skip "needs a system python3.N"
	run always "$py -m json.tool"
	assert_output allow-always
	run decided "$py -m json.tool"
	assert_output allow
	mkdir -p "$W/json"
	echo 'import os; os.system("id")' >"$W/json/__init__.py"
	echo 'import os; os.system("id")' >"$W/json/tool.py"
	run decided "$py -m json.tool"
	assert_output deny
	rm -r "$W/json"
	echo 'import os; os.system("id")' >"$W/json.py"
	run decided "$py -m json.tool"
	assert_output deny
}

@test "make all: the makefile and what it includes are bound" {
	models
	command -v make >/dev/null || skip "needs make"
	printf 'include rules.mk\nall:\n\ttrue\n' >"$W/Makefile"
	printf 'X = 1\n' >"$W/rules.mk"
	run always "make all"
	assert_output allow-always
	run jq -r '[.agents.main.allowlist[0].runs[].path] | sort | join(" ")' \
		"$OPENCLAW_STATE_DIR/exec-approvals.json"
	assert_output "$W/Makefile $W/rules.mk"
	run decided "make all"
	assert_output allow
	printf 'X = $(shell id)\n' >"$W/rules.mk"
	run decided "make all"
	assert_output deny
	printf 'X = 1\n' >"$W/rules.mk"
	run decided "make all"
	assert_output allow
	printf 'all:\n\tid\n' >"$W/Makefile"
	run decided "make all"
	assert_output deny
}

@test "make with a computed include: nothing binds it, nothing is made permanent" {
	models
	command -v make >/dev/null || skip "needs make"
	printf 'include $(wildcard *.mk)\nall:\n\ttrue\n' >"$W/Makefile"
	run always "make all"
	assert_output allow-always
	[ ! -e "$OPENCLAW_STATE_DIR/exec-approvals.json" ] ||
		assert_equal "$(jq '[.agents.main.allowlist[]?] | length' \
			"$OPENCLAW_STATE_DIR/exec-approvals.json")" 0
}
