# t/hook.bash: helpers for the tests of claw in front of agent runtimes (load hook).

# cc_input TOOL INPUT-JSON [EVENT]: Claude Code's PreToolUse input for one call.
cc_input() {
	jq -cn --arg tool "$1" --argjson input "$2" --arg event "${3:-PreToolUse}" \
		--arg cwd "$BATS_TEST_TMPDIR" \
		'{session_id: "cc-session-1", transcript_path: "/dev/null", cwd: $cwd,
		  hook_event_name: $event, tool_name: $tool, tool_input: $input,
		  tool_use_id: "toolu_01"}'
}

# claude TOOL INPUT-JSON [OPTIONS]: runs the hook as Claude Code would, in `run`.
claude() {
	local tool=$1 input=$2
	shift 2
	run --separate-stderr bash -c 'cc_input "$0" "$1" | claw hook claude-code "${@:2}"' \
		"$tool" "$input" "$@"
}
export -f cc_input

# decision: the permissionDecision of the last `claude` ("none" without one).
decision() {
	if [ -z "$output" ]; then
		echo none
	else
		jqr '.hookSpecificOutput.permissionDecision'
	fi
}

# last_logged FILTER: jq FILTER on the last entry of the decision log.
last_logged() {
	tail -n 1 "$OPENCLAW_STATE_DIR/audit/decisions.jsonl" | jq -r "$@"
}

# fake_bin DIR STAGE SCRIPT: a copy of claw-hook's directory in DIR, with STAGE
# replaced by a shell script (a stage that crashes, hangs or lies).
fake_bin() {
	local dir=$1 stage=$2 script=$3
	mkdir -p "$dir"
	for f in "$CLAW_BIN"/claw "$CLAW_BIN"/claw-*; do
		ln -sf "$f" "$dir/"
	done
	rm -f "$dir/claw-hook"
	cp "$CLAW_BIN/claw-hook" "$dir/claw-hook"
	rm -f "$dir/$stage"
	printf '#!/bin/sh\n%s\n' "$script" >"$dir/$stage"
	chmod +x "$dir/$stage"
}
