#!/usr/bin/env bats
# claw-policy: config errors, the record contract, explain and tools.

bats_require_minimum_version 1.5.0
load helper

# policy_of JSON: the policy member claw-policy adds to one record (alone).
policy_of() {
	printf '%s\n' "$1" | claw-policy | jq -c .policy
}

# config_error CONFIG POSITION MESSAGE: exit 2, FILE:LINE:COL, nothing on stdout.
config_error() {
	printf '%s\n' "$1" >"$CONFIG"
	run --separate-stderr claw-policy <<<'{"tool":"exec"}'
	assert_failure 2
	assert_output ""
	[[ "$stderr" == *"openclaw.json:$2: $3"* ]] || {
		echo "stderr: $stderr"
		return 1
	}
}

# ---- config errors: exit 2 before reading anything ----

@test "an unknown profile is a config error" {
	config_error '{ tools: { profile: "coder" } }' 1:21 \
		'tools.profile: "coder" is not one of minimal, coding, messaging, full'
	config_error '{ agents: { list: [{ id: "a", tools: { profile: "Coding" } }] } }' 1:49 \
		'agents.list[0].tools.profile: "Coding" is not one of minimal, coding, messaging, full (did you mean "coding"?)'
	config_error '{ tools: { byProvider: { openai: { profile: "big" } } } }' 1:45 \
		'tools.byProvider.openai.profile: "big" is not one of'
}

@test "an unknown group: name is a config error, on the line it is on" {
	config_error $'{\n  tools: {\n    deny: ["exec",\n           "group:fss"],\n  },\n}' 4:12 \
		'unknown tool group "group:fss" in tools.deny'
	config_error '{ tools: { sandbox: { tools: { allow: ["group:nope"] } } } }' 1:40 \
		'unknown tool group "group:nope" in tools.sandbox.tools.allow'
}

@test "allow and alsoAllow both set in one scope is a config error, in every scope" {
	local msg='cannot set both allow and alsoAllow (merge alsoAllow into allow, or remove allow and use profile + alsoAllow)'
	config_error '{ tools: { allow: ["read"], alsoAllow: ["exec"] } }' 1:40 "tools $msg"
	config_error '{ agents: { list: [{ id: "a", tools: { allow: ["read"], alsoAllow: ["exec"] } }] } }' 1:68 \
		"agents.list[0].tools $msg"
	config_error '{ tools: { byProvider: { openai: { allow: ["read"], alsoAllow: ["exec"] } } } }' 1:64 \
		"tools.byProvider.openai $msg"
	config_error '{ tools: { sandbox: { tools: { allow: ["read"], alsoAllow: ["exec"] } } } }' 1:60 \
		"tools.sandbox.tools $msg"
	config_error '{ tools: { subagents: { tools: { allow: ["read"], alsoAllow: ["exec"] } } } }' 1:62 \
		"tools.subagents.tools $msg"
	config_error '{ tools: { toolsBySender: { "id:1": { allow: ["read"], alsoAllow: ["exec"] } } } }' 1:67 \
		"tools.toolsBySender.id:1 $msg"
}

@test "an empty allow beside alsoAllow is not a conflict (OpenClaw's schema agrees)" {
	write_config <<<'{ tools: { allow: [], alsoAllow: ["exec"] } }'
	run policy_of '{"tool":"browser"}'
	assert_success
	assert_equal "$(jqr .decision)" "allow"
}

@test "wrong types are config errors" {
	config_error '{ tools: "none" }' 1:10 'tools: expected an object, got a string'
	config_error '{ tools: { allow: "read" } }' 1:19 'tools.allow: expected a list, got a string'
	config_error '{ tools: { deny: ["exec", 1] } }' 1:27 'tools.deny[1]: expected a string, got a number'
	config_error '{ tools: { profile: 3 } }' 1:21 'tools.profile: expected a string, got a number'
	config_error '{ tools: { byProvider: [] } }' 1:24 'tools.byProvider: expected an object, got a list'
	config_error '{ tools: { byProvider: { openai: "x" } } }' 1:34 'tools.byProvider.openai: expected an object, got a string'
	config_error '{ tools: { toolsBySender: { "*": "x" } } }' 1:34 'tools.toolsBySender.*: expected an object, got a string'
	config_error '{ tools: { sandbox: { tools: [] } } }' 1:30 'tools.sandbox.tools: expected an object, got a list'
	config_error '{ agents: { defaults: { subagents: { maxSpawnDepth: "2" } } } }' 1:53 \
		'agents.defaults.subagents.maxSpawnDepth: expected a whole number, got a string'
	config_error '{ channels: { telegram: { groups: [] } } }' 1:35 'channels.telegram.groups: expected an object, got a list'
	config_error '{ channels: { telegram: { groups: { "-1": { tools: [] } } } } }' 1:52 \
		'channels.telegram.groups.-1.tools: expected an object, got a list'
}

@test "a misspelt key inside a policy object is a config error, not a silent no-op" {
	config_error '{ tools: { sandbox: { tools: { allwo: ["exec"] } } } }' 1:32 \
		'tools.sandbox.tools: unknown key "allwo" (did you mean "allow"?)'
	config_error '{ tools: { byProvider: { openai: { denny: ["exec"] } } } }' 1:36 \
		'tools.byProvider.openai: unknown key "denny" (did you mean "deny"?)'
	config_error '{ tools: { subagents: { tool: {} } } }' 1:25 \
		'tools.subagents: unknown key "tool" (did you mean "tools"?)'
}

@test "unknown tool names are warnings on stderr, once each; the stream runs" {
	write_config <<<'{ tools: { allow: ["read", "raed", "my_plugin_tool"], deny: ["raed"] }, agents: { list: [{ id: "main", tools: { deny: ["raed"] } }] } }'
	run --separate-stderr claw-policy <<<'{"tool":"read"}'
	assert_success
	assert_equal "$(grep -c 'unknown tool "raed"' <<<"$stderr")" 1
	assert_equal "$(grep -c 'unknown tool "my_plugin_tool"' <<<"$stderr")" 1
	[[ "$stderr" == *'openclaw.json:1:28: unknown tool "raed" in tools.allow'* ]]
	assert_equal "$(jqr -c .policy.decision)" "allow"
}

@test "an unknown key under tools (a typo such as alow) is a config error with its place, as OpenClaw's; its own keys are not" {
	config_error '{ tools: { alow: ["read"], profile: "coding", exec: {}, elevated: {}, sandbox: {}, web: {}, fs: {} } }' 1:12 \
		'tools: unknown key "alow" (did you mean "allow"?)'
	write_config <<<'{ tools: { allow: ["read"], exec: {}, elevated: {}, sandbox: {}, web: {}, fs: {} } }'
	run --separate-stderr claw-policy <<<'{"tool":"read"}'
	assert_success
	assert_equal "$stderr" ""
}

@test "names OpenClaw knows without a core tool do not warn: channel ids, plugin groups, globs" {
	write_config <<<'{ tools: { deny: ["telegram", "group:plugins", "mcp_*", "bundle-mcp", "cron", "update_plan", "image"] } }'
	run --separate-stderr claw-policy <<<'{"tool":"read"}'
	assert_success
	assert_equal "$stderr" ""
}

@test "an untyped toolsBySender key works as an id, with OpenClaw's deprecation warning" {
	write_config <<<'{ tools: { toolsBySender: { "@42": { deny: ["exec"] } } } }'
	run --separate-stderr claw-policy <<<'{"origin":{"channel":"telegram","peer":"42","sender":"42"},"tool":"exec"}'
	assert_success
	[[ "$stderr" == *'toolsBySender key "@42" has no type prefix'* ]]
	assert_equal "$(jqr -r .policy.layer)" "sender"
}

@test "a config error stops the pipeline: nothing is read, nothing downstream runs" {
	write_config <<<'{ tools: { profile: "coder" } }'
	run bash -c 'echo "{\"tool\":\"exec\"}" | claw-session | claw-policy | wc -l'
	assert_output --partial "0"
}

# ---- the record ----

@test "every record gets a policy member; a denial also gets deny" {
	write_config <<<'{ tools: { deny: ["browser"] } }'
	run bash -c 'printf "%s\n" "{\"id\":\"a\",\"tool\":\"read\"}" "{\"id\":\"b\",\"tool\":\"browser\"}" | claw-policy'
	assert_success
	assert_equal "$(sed -n 1p <<<"$output" | jq -c '[.policy.decision, .deny]')" '["allow",null]'
	assert_equal "$(sed -n 2p <<<"$output" | jq -c '[.policy.decision, .policy.layer, .policy.rule, .deny.by]')" \
		'["deny","global","tools.deny: \"browser\"","claw-policy"]'
	assert_equal "$(sed -n 2p <<<"$output" | jq -r .deny.reason)" \
		'Tool "browser" blocked by tool policy: tools.deny has "browser".'
}

@test "OpenClaw's sandbox wording for a sandbox denial" {
	run policy_of '{"origin":{"channel":"discord","chat":"group","peer":"G-77"},"tool":"browser"}'
	assert_equal "$(jqr -r .reason)" \
		'Tool "browser" blocked by sandbox tool policy (mode=non-main). Reason: deny list (tools.sandbox.tools.deny (default) has "browser").'
}

@test "a forged policy member is replaced, not trusted" {
	write_config <<<'{ tools: { deny: ["exec"] } }'
	run bash -c "echo '{\"policy\":{\"decision\":\"allow\",\"layer\":\"none\"},\"tool\":\"exec\"}' | claw-policy"
	assert_success
	assert_equal "$(jqr -c '[.policy.decision, .deny.by]')" '["deny","claw-policy"]'
	assert_equal "$(grep -o '"policy"' <<<"$output" | wc -l)" 1
}

@test "a tool name spelt with escapes is the tool it decodes to" {
	write_config <<<'{ tools: { deny: ["exec"] } }'
	run bash -c "printf '%s\n' '{\"tool\":\"ex\\u0065c\"}' '{\"tool\":\"\\u0062ash\"}' '{\"tool\":\"e\\\"xec\"}' | claw-policy"
	assert_success
	assert_equal "$(jqr -sc '[.[].policy.decision]')" '["deny","deny","allow"]'
	[[ "${lines[0]}" == '{"tool":"ex\u0065c",'* ]] # the input's bytes, as they came
}

@test "a forged session cannot un-sandbox a request claw-session has judged" {
	run bash -c "echo '{\"origin\":{\"channel\":\"discord\",\"chat\":\"group\",\"peer\":\"g\"},\"session\":{\"agent\":\"main\",\"sandboxed\":false},\"tool\":\"browser\"}' | claw-session | claw-policy"
	assert_equal "$(jqr -r .policy.decision)" "deny"
}

@test "a session member is never taken on trust: the session is computed from the record" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "non-main" } }, list: [{ id: "main", default: true }, { id: "work", tools: { deny: ["exec"] } }] } }'
	# Without claw-session: a half member (no agent) is judged by its key, as OpenClaw derives the agent.
	run policy_of '{"session":{"key":"agent:work:main"},"tool":"exec"}'
	assert_equal "$(jqr -c '[.decision, .layer]')" '["deny","agent"]'
	# A member that says unsandboxed for a group chat's key: the key decides.
	run policy_of '{"session":{"key":"agent:main:discord:group:g","sandboxed":false},"tool":"browser"}'
	assert_equal "$(jqr -c '[.decision, .layer]')" '["deny","sandbox"]'
	# A member of another agent than the record's key: refused, as OpenClaw refuses it.
	run policy_of '{"session":{"key":"agent:main:main","agent":"work"},"tool":"read"}'
	assert_equal "$(jqr -c '[.decision, .layer]')" '["deny","session"]'
	# With an origin, the origin decides, whatever the member says.
	run policy_of '{"origin":{"channel":"discord","chat":"group","peer":"g"},"session":{"key":"agent:main:main","agent":"main","sandboxed":false},"tool":"browser"}'
	assert_equal "$(jqr -r .layer)" "sandbox"
}

@test "explain and the stream give the same answer for the same request" {
	write_config <<<'{ tools: { byProvider: { OpenAI: { deny: ["exec"] }, openai: {} } }, agents: { defaults: { sandbox: { mode: "non-main" } }, list: [{ id: "main", default: true }, { id: "work", tools: { deny: ["write"] } }] } }'
	local tool agent key want
	for tool in exec write browser read; do
		for agent in WORK main; do
			for key in "agent:$agent:main" "agent:$agent:discord:group:g"; do
				run claw-policy explain --json --session "$key" --provider openai "$tool"
				want=$(jq -r .decision <<<"$output")
				run policy_of "{\"session\":{\"key\":\"$key\"},\"model\":{\"provider\":\"openai\"},\"tool\":\"$tool\"}"
				assert_equal "$tool $key $(jqr -r .decision)" "$tool $key $want"
			done
		done
	done
}

@test "a record that already carries deny passes byte for byte" {
	local line='{"deny":{"by":"claw-session","reason":"x"},  "tool":"browser", "n":1.50}'
	run bash -c "printf '%s\n' '$line' | claw-policy"
	assert_success
	assert_output "$line"
}

@test "unknown members and number spellings survive" {
	run bash -c "echo '{\"tool\":\"read\",\"x\":{\"y\":[1.0,2e3]},\"args\":{}}' | claw-policy"
	[[ "$output" == '{"tool":"read","x":{"y":[1.0,2e3]},"args":{},"policy":'* ]]
}

@test "a record without a tool, or with a tool that is not a string, is an error record" {
	run bash -c 'printf "%s\n" "{\"id\":\"a\"}" "{\"id\":\"b\",\"tool\":5}" "{\"id\":\"c\",\"tool\":\"  \"}" | claw-policy'
	assert_failure 1
	assert_equal "$(grep -c '"error":{"by":"claw-policy"' <<<"$output")" 3
	assert_equal "$(grep -c '"deny":{"by":"claw-policy"' <<<"$output")" 3
}

@test "wrong types in session, origin or model are error records" {
	run bash -c 'printf "%s\n" "{\"tool\":\"a\",\"session\":{\"key\":5}}" "{\"tool\":\"a\",\"origin\":{\"owner\":1}}" "{\"tool\":\"a\",\"model\":{\"provider\":7}}" | claw-policy'
	assert_failure 1
	[[ "$output" == *'member \"session.key\" must be a string'* ]]
	[[ "$output" == *'origin: member \"owner\" must be true or false'* ]]
	[[ "$output" == *'member \"model.provider\" must be a string'* ]]
}

@test "without claw-session, claw-policy computes the session itself" {
	# The secure preset: a stranger's group chat is sandboxed, the operator's main session not.
	run policy_of '{"origin":{"channel":"discord","chat":"group","peer":"g"},"tool":"browser"}'
	assert_equal "$(jqr -r .layer)" "sandbox"
	run policy_of '{"tool":"browser"}'
	assert_equal "$(jqr -r .decision)" "allow"
	write_config <<<'{ agents: { list: [{ id: "main" }] } }'
	run bash -c "echo '{\"agent\":\"nobody\",\"tool\":\"read\"}' | claw-policy"
	[[ "$(jq -r .deny.reason <<<"$output")" == *'agent "nobody" is not configured'* ]]
	assert_equal "$(jq -c '[.policy.decision, .policy.layer]' <<<"$output")" '["deny","session"]'
}

@test "a stream with more contexts than the cache holds stays right" {
	write_config <<<'{ agents: { defaults: { subagents: { maxSpawnDepth: 3 } } } }'
	run bash -c 'for i in $(seq 1 2000); do k="agent:main"; [ $((i % 6)) = 0 ] && k="agent:main:cron:j$i"; for j in $(seq 1 $((i % 6))); do k="$k:subagent:s$i"; done; echo "{\"sessionKey\":\"$k\",\"tool\":\"sessions_spawn\",\"d\":$((i % 6))}"; done | claw-session | claw-policy | jq -r "\"\(.d) \(.policy.decision)\"" | sort | uniq -c'
	assert_success
	assert_output --partial "333 0 allow"
	assert_output --partial "334 1 allow"
	assert_output --partial "334 2 allow"
	assert_output --partial "333 3 deny"
	assert_output --partial "333 5 deny"
}

# ---- explain ----

@test "explain: every layer in order, the deciding one marked, and a fix" {
	write_config <<<'{ tools: { profile: "coding" }, agents: { defaults: { sandbox: { mode: "all" } } } }'
	run claw-policy explain browser
	assert_failure 1
	assert_line --index 0 "browser: denied"
	assert_line --partial ' 1 profile           DENY  tools.profile "coding" (no entry matches)   <- decides'
	assert_line --partial ' 9 sandbox           deny  tools.sandbox.tools.deny (default): "browser"'
	assert_line --partial 'fix:      add "browser" to tools.alsoAllow, or choose a wider profile in tools.profile'
	run claw-policy explain --agent main read
	assert_success
	assert_line --index 0 "read: allowed"
}

@test "explain --json: the same, for machines" {
	write_config <<<'{ tools: { deny: ["group:runtime"] } }'
	run claw-policy explain --json bash
	assert_failure 1
	assert_equal "$(jqr -c '[.name, .group, .decision, .layer, .rule]')" \
		'["exec","group:runtime","deny","global","tools.deny: \"group:runtime\""]'
	assert_equal "$(jqr -c '[.layers[] | .layer]' | jq -r length)" 11
	assert_equal "$(jqr -r .fix)" 'remove "group:runtime" from tools.deny'
	assert_equal "$(jqr -r '.layers[2].verdict')" "deny"
}

@test "explain --session: sandbox and subagent follow from the key" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "non-main" } } } }'
	run claw-policy explain --session agent:main:subagent:x --json gateway
	assert_equal "$(jqr -c '[.request.sandboxed, .request.subagent, .layer]')" '[true,"orchestrator","sandbox"]'
	run claw-policy explain --session main --json gateway
	assert_equal "$(jqr -c '[.request.sandboxed, .decision]')" '[false,"allow"]'
	run claw-policy explain --sandboxed --json gateway
	assert_equal "$(jqr -r .layer)" "sandbox"
}

@test "explain: a chat sender is not the owner unless --owner" {
	run claw-policy explain --channel telegram --sender 42 --json nodes
	assert_equal "$(jqr -c '[.request.owner, .decision]')" '[false,"deny"]'
	run claw-policy explain --channel telegram --sender 42 --owner --json cron
	assert_equal "$(jqr -r '.layers[] | select(.layer == "owner-only") | .verdict')" "-"
}

@test "explain: group, sender and provider options reach their layers" {
	write_config <<<'{ channels: { telegram: { groups: { "*": { tools: { deny: ["exec"] } } } } }, tools: { byProvider: { openai: { deny: ["read"] } } } }'
	run claw-policy explain --channel telegram --group -1009 --json exec
	assert_equal "$(jqr -r .layer)" "group"
	run claw-policy explain --provider OpenAI --model gpt-5 --json read
	assert_equal "$(jqr -r .layer)" "global-provider"
}

@test "explain: plain text when not a terminal, NO_COLOR respected" {
	run claw-policy explain exec
	refute_output --partial $'\033['
	NO_COLOR=1 run script -qec "claw-policy explain exec" /dev/null
	refute_output --partial $'\033['
}

@test "explain: a tool that is no core tool says so" {
	run claw-policy explain mcp_search
	assert_success
	assert_line --index 2 "tool:    not a core tool of OpenClaw (a plugin's, or a typo)"
}

@test "explain: usage errors" {
	run claw-policy explain
	assert_failure 2
	assert_output --partial "TOOL is missing"
	run claw-policy explain a b
	assert_failure 2
	run claw-policy nonsense
	assert_failure 2
	run claw-policy --agent x
	assert_failure 2
	assert_output --partial "need a subcommand"
}

# ---- tools ----

@test "tools: what survives, by group" {
	write_config <<<'{ tools: { profile: "minimal" } }'
	run claw-policy tools
	assert_success
	assert_line --index 0 --partial "2 of 61 core tools (openclaw 2026.9.6)"
	assert_line --regexp '^group:sessions +session_status$'
	assert_line --regexp '^group:automation +gateway$'
	assert_line --regexp '^group:fs +\(none\)$'
	assert_line --regexp '^  browser +profile +tools.profile "minimal" \(no entry matches\)$'
}

@test "tools --json: allowed, by group, denied with layer and rule" {
	run claw-policy tools --json --channel telegram --group -100 --agent main
	assert_success
	assert_equal "$(jqr -c '.groups["group:runtime"]')" '["exec","process"]'
	assert_equal "$(jqr -r '.denied[] | select(.tool == "gateway") | .layer')" "sandbox"
	assert_equal "$(jqr -r '.allowed | length')" 16
}

# ---- catalog ----

@test "catalog: OpenClaw 2026.9.6's 61 tools, with the counts its code prints" {
	run claw-policy catalog --json
	assert_success
	assert_equal "$(jqr -r .version)" "openclaw 2026.9.6"
	assert_equal "$(jqr '.tools | length')" 61
	assert_equal "$(jqr '[.tools[] | select(.profiles | index("coding"))] | length')" 49
	assert_equal "$(jqr '[.tools[] | select(.profiles | index("messaging"))] | length')" 17
	assert_equal "$(jqr -c '[.tools[] | select(.profiles | index("minimal")) | .name]')" '["session_status","gateway"]'
	assert_equal "$(jqr '[.tools[] | select(.flags | index("owner-only"))] | length')" 14
	assert_equal "$(jqr '[.tools[] | select(.flags | index("sandbox-allow"))] | length')" 16
	assert_equal "$(jqr '[.tools[] | select(.flags | index("sandbox-deny"))] | length') $(jqr '.channelIds | length')" "7 26"
	assert_equal "$(jqr '[.tools[] | select(.flags | index("subagent-deny"))] | length')" 11
	assert_equal "$(jqr -c '[.tools[] | select(.flags | index("leaf-subagent-deny")) | .name]')" \
		'["sessions_list","sessions_history","sessions_search","sessions_spawn","subagents"]'
	assert_equal "$(jqr '[.tools[] | select(.openclawGroup)] | length')" 53
	assert_equal "$(jqr -c .aliases)" '{"bash":"exec","apply-patch":"apply_patch","cron":"automations"}'
}

@test "catalog: plain text, one tool a line" {
	run claw-policy catalog
	assert_success
	assert_line --index 0 "61 core tools of openclaw 2026.9.6"
	assert_line --regexp '^gateway +group:automation +minimal coding messaging full +owner-only sandbox-deny subagent-deny$'
}
