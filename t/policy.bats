#!/usr/bin/env bats
# claw-policy: OpenClaw's layered tool policy, one table per layer.
#
# Each row is   CONFIG | RECORD | TOOL | DECISION LAYER
# CONFIG is the whole openclaw.json (JSON5); RECORD the request without its
# tool ("-" for {}), sent through claw-session and then claw-policy, as the
# pipeline does. Rows marked (oc N) are case N of the OpenClaw 2026.9.6
# evaluations in the research notes: the same answer, by the same layer.

load helper

# Runs every row from standard input; reports each failing row, fails if any did.
cases() {
	local cfg rec tool want got n=0 failed=0
	while IFS='|' read -r cfg rec tool want; do
		cfg=$(trim "$cfg")
		[[ -z "$cfg" || "$cfg" == \#* ]] && continue
		rec=$(trim "$rec") tool=$(trim "$tool") want=$(trim "${want%%(*}")
		[ "$rec" = "-" ] && rec='{}'
		n=$((n + 1))
		printf '%s\n' "$cfg" >"$CONFIG"
		got=$(jq -cn --argjson r "$rec" --arg t "$tool" '$r + {tool: $t}' |
			claw-session | claw-policy |
			jq -r '"\(.policy.decision) \(.policy.layer)"' 2>&1)
		if [ "$got" != "$want" ]; then
			echo "row $n: $cfg | $rec | $tool: want '$want', got '$got'"
			failed=$((failed + 1))
		fi
	done
	echo "$n rows, $failed failed"
	[ "$failed" -eq 0 ]
}

trim() {
	local s="$1"
	s="${s#"${s%%[![:space:]]*}"}"
	printf '%s' "${s%"${s##*[![:space:]]}"}"
}

GROUP='{"origin":{"channel":"telegram","chat":"group","peer":"-100123","sender":"42"}}'
DM='{"origin":{"channel":"telegram","chat":"direct","peer":"42","sender":"42"}}'

@test "names: trimmed, case-insensitive, OpenClaw's aliases and renames" {
	cases <<'EOF'
{tools:{deny:["exec"]}}          | -  | exec        | deny global
{tools:{deny:["exec"]}}          | -  | bash        | deny global
{tools:{deny:["exec"]}}          | -  | EXEC        | deny global
{tools:{deny:["BASH"]}}          | -  | exec        | deny global (oc 13)
{tools:{allow:["Exec "]}}        | -  | exec        | allow global (oc 67)
{tools:{allow:["bash"]}}         | -  | exec        | allow global (oc 12)
{tools:{allow:["bash"]}}         | -  | process     | deny global (oc 12)
{tools:{allow:["apply-patch"]}}  | -  | apply_patch | allow global
{tools:{allow:["cron"]}}         | -  | automations | allow global (oc 16)
{tools:{deny:["cron"]}}          | -  | CRON        | deny global
{tools:{allow:["update_plan"]}}  | -  | progress_card | allow global (oc 17)
{tools:{allow:["canvas"]}}       | -  | show_widget | allow global (oc 18)
{tools:{allow:["read"]}}         | -  | shell       | deny global
{tools:{allow:["shell"]}}        | -  | shell       | allow global
{tools:{deny:["shell"]}}         | -  | exec        | allow none
{tools:{allow:["read"]}}         | -  | apply_patch | deny global (oc 10)
{tools:{allow:["write"]}}        | -  | apply_patch | allow global (oc 11)
{tools:{allow:["write"]}}        | -  | edit        | deny global (oc 11)
{}                               | -  | exec        | allow none (oc 1)
EOF
}

@test "wildcards: * alone is everything, elsewhere any run of characters" {
	cases <<'EOF'
{tools:{allow:["sessions_*"]}}           | - | sessions_list     | allow global (oc 14)
{tools:{allow:["sessions_*"]}}           | - | sessions          | deny global (oc 14)
{tools:{allow:["sessions_*"]}}           | - | session_status    | deny global (oc 14)
{tools:{allow:["*"], deny:["exec"]}}     | - | exec              | deny global (oc 15)
{tools:{allow:["*"], deny:["exec"]}}     | - | read              | allow none (oc 15)
{tools:{deny:["*"]}}                     | - | session_status    | deny global
{tools:{deny:["mcp_*"]}}                 | - | mcp_github_search | deny global
{tools:{deny:["mcp_*"]}}                 | - | exec              | allow none
{tools:{allow:["*_generate"]}}           | - | image_generate    | allow global
{tools:{allow:["*_generate"]}}           | - | view_image        | deny global
{tools:{allow:[]}}                       | - | browser           | allow none (oc 19)
{tools:{allow:["  ", ""]}}               | - | browser           | allow none
EOF
}

@test "groups: group:* names expand to their members" {
	cases <<'EOF'
{tools:{deny:["group:runtime"]}}   | - | secrets      | deny global (oc 9)
{tools:{deny:["group:runtime"]}}   | - | code_execution | deny global (oc 9)
{tools:{deny:["group:runtime"]}}   | - | read         | allow none (oc 9)
{tools:{allow:["group:fs"]}}       | - | ls           | allow global (oc 68)
{tools:{allow:["group:fs"]}}       | - | apply_patch  | allow global (oc 68)
{tools:{allow:["group:fs"]}}       | - | exec         | deny global (oc 68)
{tools:{allow:["group:openclaw"]}} | - | canvas       | deny global (oc 69)
{tools:{allow:["group:openclaw"]}} | - | exec         | deny global (oc 69)
{tools:{allow:["group:openclaw"]}} | - | web_search   | allow global (oc 69)
{tools:{deny:["group:ui"]}}        | - | show_widget  | deny global
{tools:{deny:["group:memory"]}}    | - | memory_get   | deny global
{tools:{allow:["nonexistent_tool"]}} | - | read       | deny global (oc 20)
{tools:{deny:["image"]}}           | - | view_image   | allow none (oc 70)
EOF
}

@test "profiles: tools.profile and alsoAllow, the agent's over the global" {
	cases <<'EOF'
{tools:{profile:"minimal"}}                     | - | exec           | deny profile (oc 2)
{tools:{profile:"minimal"}}                     | - | gateway        | allow profile (oc 2)
{tools:{profile:"minimal"}}                     | - | session_status | allow profile (oc 2)
{tools:{profile:"minimal", alsoAllow:["exec"]}} | - | exec           | allow profile (oc 3)
{tools:{profile:"minimal", alsoAllow:["exec"]}} | - | process        | deny profile (oc 3)
{tools:{profile:"messaging"}}                   | - | read           | deny profile (oc 4)
{tools:{profile:"messaging"}}                   | - | message        | allow profile (oc 4)
{tools:{profile:"messaging"}}                   | - | secrets        | allow profile (oc 4)
{tools:{profile:"coding"}}                      | - | browser        | deny profile (oc 5)
{tools:{profile:"coding"}}                      | - | exec           | allow profile (oc 5)
{tools:{profile:"coding"}}                      | - | message        | deny profile (oc 5)
{tools:{profile:"coding"}}                      | - | bundle-mcp     | allow profile
{tools:{profile:"coding", alsoAllow:["browser"]}} | - | browser      | allow profile (oc 23)
{tools:{profile:"full"}}                        | - | browser        | allow none
{tools:{profile:"full", deny:["*"]}}            | - | exec           | deny global (oc 66)
{tools:{alsoAllow:["exec"]}}                    | - | browser        | allow none (oc 25)
{tools:{profile:"minimal"}, agents:{list:[{id:"main", tools:{profile:"coding"}}]}} | - | exec    | allow profile (oc 35)
{tools:{profile:"minimal"}, agents:{list:[{id:"main", tools:{profile:"coding"}}]}} | - | browser | deny profile (oc 35)
{tools:{profile:"coding", alsoAllow:["browser"]}, agents:{list:[{id:"main", tools:{alsoAllow:["canvas"]}}]}} | - | browser | deny profile
EOF
}

@test "byProvider: provider/model first, then provider, keys normalised, no globs" {
	local OAI='{"model":{"provider":"openai","id":"gpt-5"}}'
	cases <<EOF
{tools:{byProvider:{openai:{deny:["exec"]}}}}           | $OAI | exec | deny global-provider (oc 26)
{tools:{byProvider:{openai:{deny:["exec"]}}}}           | {"model":{"provider":"anthropic","id":"claude"}} | exec | allow none (oc 27)
{tools:{byProvider:{openai:{deny:["exec"]}}}}           | - | exec | allow none
{tools:{byProvider:{"OpenAI/GPT-5":{deny:["exec"]}}}}   | $OAI | exec | deny global-provider (oc 28)
{tools:{byProvider:{openai:{deny:["exec"]}, "openai/gpt-5":{deny:["read"]}}}} | $OAI | exec | allow none (oc 29)
{tools:{byProvider:{openai:{deny:["exec"]}, "openai/gpt-5":{deny:["read"]}}}} | $OAI | read | deny global-provider (oc 29)
{tools:{byProvider:{anthropic:{profile:"minimal"}}}}    | {"model":{"provider":"anthropic"}} | exec    | deny provider-profile (oc 30)
{tools:{byProvider:{anthropic:{profile:"minimal"}}}}    | {"model":{"provider":"anthropic"}} | gateway | allow provider-profile (oc 30)
{tools:{byProvider:{"openai/*":{deny:["exec"]}}}}       | $OAI | exec | allow none (oc 31)
{tools:{byProvider:{OPENAI:{deny:["exec"]}}}}           | {"model":{"provider":" OpenAI "}} | exec | deny global-provider (oc 32)
{tools:{byProvider:{"openrouter/anthropic/claude":{deny:["exec"]}}}} | {"model":{"provider":"openrouter","id":"anthropic/claude"}} | exec | deny global-provider
{agents:{list:[{id:"main", tools:{byProvider:{openai:{deny:["exec"]}}}}]}} | $OAI | exec | deny agent-provider (oc 34)
{agents:{list:[{id:"main", tools:{byProvider:{openai:{deny:["exec"]}}}}]}} | $OAI | read | allow none (oc 34)
EOF
}

@test "byProvider: of two keys that differ only in case, the first applies (OpenClaw's lookup)" {
	cases <<'EOF'
{tools:{byProvider:{OpenAI:{deny:["exec"]}, openai:{allow:["exec"]}}}} | {"model":{"provider":"openai"}} | exec | deny global-provider
{tools:{byProvider:{openai:{allow:["exec"]}, OPENAI:{deny:["exec"]}}}} | {"model":{"provider":"OpenAI"}} | read | deny global-provider
{tools:{byProvider:{" openai ":{deny:["exec"]}, OpenAI:{allow:["exec"]}}}} | {"model":{"provider":"openai"}} | exec | deny global-provider
{agents:{list:[{id:"main", tools:{byProvider:{OPENAI:{deny:["exec"]}, openai:{}}}}]}} | {"model":{"provider":"openai"}} | exec | deny agent-provider
EOF
}

@test "a deny entry no core tool answers to (a plugin id, group:plugins) denies every tool that is no core tool" {
	cases <<'EOF'
{tools:{deny:["myplugin"]}}          | - | myplugin       | deny global
{tools:{deny:["myplugin"]}}          | - | myplugin_fetch | deny global
{tools:{deny:["myplugin"]}}          | - | exec           | allow none
{tools:{deny:["group:plugins"]}}     | - | any_plugin     | deny global
{tools:{deny:["my_*"]}}              | - | other_tool     | allow none
{tools:{allow:["myplugin", "read"]}} | - | myplugin_fetch | deny global
{tools:{sandbox:{tools:{deny:["telegram"]}}}, agents:{defaults:{sandbox:{mode:"all"}}}} | - | any_plugin | deny sandbox
EOF
}

@test "agent ids are compared normalised: WORK does not escape agents.list[id=work]" {
	local CFG='{agents:{list:[{id:"main", default:true}, {id:"work", tools:{deny:["exec"]}}]}}'
	cases <<EOF
$CFG | {"agent":"WORK"}       | exec | deny agent
$CFG | {"agent":" Work "}     | exec | deny agent
$CFG | {"sessionKey":"agent:WORK:main"} | exec | deny agent
$CFG | {"agent":"main"}       | exec | allow none
EOF
}

@test "agents: agents.list[].tools" {
	cases <<'EOF'
{agents:{list:[{id:"main", tools:{deny:["write"]}}]}}   | - | write | deny agent (oc 33)
{agents:{list:[{id:"main", tools:{deny:["write"]}}]}}   | - | read  | allow none (oc 33)
{agents:{list:[{id:"main"}, {id:"ops", tools:{allow:["read"]}}]}} | {"agent":"ops"}  | exec | deny agent
{agents:{list:[{id:"main"}, {id:"ops", tools:{allow:["read"]}}]}} | {"agent":"OPS"}  | read | allow agent
{agents:{list:[{id:"main"}, {id:"ops", tools:{allow:["read"]}}]}} | {"agent":"main"} | exec | allow none
{tools:{allow:["group:fs", "exec"]}, agents:{list:[{id:"main", tools:{deny:["exec"]}}]}} | - | exec | deny agent
{tools:{allow:["group:fs", "exec"]}, agents:{list:[{id:"main", tools:{deny:["exec"]}}]}} | - | read | allow global
{tools:{deny:["exec"]}, agents:{list:[{id:"main", tools:{allow:["exec"]}}]}} | - | exec | deny global
EOF
}

# OpenClaw's runtime reads these, but its schema refuses them, so OpenClaw
# does not start on a config that holds one: neither does claw.
@test "agents.defaults.tools and discord's and slack's groups are config errors, as OpenClaw's schema says" {
	for cfg in '{agents:{defaults:{tools:{deny:["exec"]}}}}' \
		'{channels:{discord:{groups:{c1:{tools:{deny:["exec"]}}}}}}' \
		'{channels:{slack:{groups:{C1:{tools:{deny:["exec"]}}}}}}'; do
		printf '%s\n' "$cfg" >"$CONFIG"
		run claw-policy <<<'{"tool":"exec"}'
		assert_failure 2
		assert_output --partial 'unknown key'
	done
}

@test "group policy: channels.<c>.groups.<id>.tools, the \"*\" group, accounts" {
	cases <<EOF
{channels:{telegram:{groups:{"-100123":{tools:{deny:["exec"]}}}}}} | $GROUP | exec | deny group (oc 38)
{channels:{telegram:{groups:{"-100123":{tools:{deny:["exec"]}}}}}} | $GROUP | read | allow none (oc 38)
{channels:{telegram:{groups:{"*":{tools:{deny:["exec"]}}}}}}       | $GROUP | exec | deny group (oc 39)
{channels:{telegram:{groups:{"-999":{tools:{deny:["read"]}}, "*":{tools:{deny:["exec"]}}}}}} | $GROUP | exec | deny group (oc 40)
{channels:{telegram:{groups:{"-999":{tools:{deny:["read"]}}, "*":{tools:{deny:["exec"]}}}}}} | $GROUP | read | allow none (oc 40)
{channels:{telegram:{groups:{"-100123":{tools:{deny:["exec"]}}}}}} | {"origin":{"channel":"telegram","chat":"group","peer":"-100123","thread":"7"}} | exec | deny group (oc 41)
{channels:{telegram:{groups:{"*":{tools:{deny:["exec"]}}}}}}       | $DM | exec | allow none (oc 54)
{channels:{telegram:{groups:{"-100123":{tools:{deny:["read"]}}}, accounts:{work:{groups:{"-100123":{tools:{deny:["exec"]}}}}}}}} | {"origin":{"channel":"telegram","account":"work","chat":"group","peer":"-100123"}} | exec | deny group (oc 53)
{channels:{telegram:{groups:{"-100123":{tools:{deny:["read"]}}}, accounts:{work:{groups:{"-100123":{tools:{deny:["exec"]}}}}}}}} | {"origin":{"channel":"telegram","account":"work","chat":"group","peer":"-100123"}} | read | allow none (oc 53)
{channels:{telegram:{groups:{"-100123":{tools:{deny:["read"]}}}, accounts:{work:{groups:{"-100123":{tools:{deny:["exec"]}}}}}}}} | $GROUP | read | deny group
{channels:{telegram:{groups:{"-100123":{tools:{allow:["read"], alsoAllow:["exec"]}}}}}} | $GROUP | exec | allow group
{channels:{telegram:{groups:{"-100123":{tools:{allow:["read"], alsoAllow:["exec"]}}}}}} | $GROUP | write | deny group
EOF
}

@test "group policy: toolsBySender, typed keys first, then tools, then \"*\"" {
	local BY='{channels:{telegram:{groups:{"-100123":{tools:{deny:["read"]}, toolsBySender:{"id:42":{deny:["exec"]}}}}}}}'
	cases <<EOF
$BY | $GROUP | exec | deny group (oc 44)
$BY | $GROUP | read | allow none (oc 44)
$BY | {"origin":{"channel":"telegram","chat":"group","peer":"-100123","sender":"43"}} | exec | allow none (oc 45)
$BY | {"origin":{"channel":"telegram","chat":"group","peer":"-100123","sender":"43"}} | read | deny group (oc 45)
{channels:{telegram:{groups:{"-100123":{toolsBySender:{"42":{deny:["exec"]}}}}}}} | $GROUP | exec | deny group (oc 47)
{channels:{telegram:{groups:{"-100123":{toolsBySender:{"channel:Telegram:42":{deny:["exec"]}}}}}}} | $GROUP | exec | deny group (oc 48)
{channels:{telegram:{groups:{"-100123":{toolsBySender:{"channel:discord:42":{deny:["exec"]}}}}}}} | $GROUP | exec | allow none
{channels:{telegram:{groups:{"-100123":{toolsBySender:{"*":{deny:["exec"]}}}}}}} | $GROUP | exec | deny group (oc 50)
{channels:{telegram:{groups:{"*":{toolsBySender:{"ID:42":{deny:["exec"]}}}}}}} | $GROUP | exec | deny group
EOF
}

@test "sender policy: tools.toolsBySender, the agent's before the global one" {
	cases <<EOF
{tools:{toolsBySender:{"id:42":{deny:["exec"]}}}} | $DM | exec | deny sender (oc 51)
{tools:{toolsBySender:{"id:42":{deny:["exec"]}}}} | {"origin":{"channel":"telegram","peer":"7","sender":"7"}} | exec | allow none
{tools:{toolsBySender:{"*":{allow:["read"]}}}}    | $DM | exec | deny sender
{tools:{toolsBySender:{"id:42":{deny:["exec"]}}}, agents:{list:[{id:"main", tools:{toolsBySender:{"id:42":{deny:["read"]}}}}]}} | $DM | exec | allow none (oc 52)
{tools:{toolsBySender:{"id:42":{deny:["exec"]}}}, agents:{list:[{id:"main", tools:{toolsBySender:{"id:42":{deny:["read"]}}}}]}} | $DM | read | deny sender (oc 52)
EOF
}

@test "sandbox: OpenClaw's default lists, and tools.sandbox.tools" {
	local NM='agents:{defaults:{sandbox:{mode:"non-main"}}}' ALL='agents:{defaults:{sandbox:{mode:"all"}}}'
	cases <<EOF
{$NM} | $GROUP | browser        | deny sandbox (oc 55)
{$NM} | $GROUP | exec           | allow sandbox (oc 55)
{$NM} | $GROUP | gateway        | deny sandbox (oc 55)
{$NM} | $GROUP | image_generate | deny sandbox (oc 55)
{$NM} | $GROUP | telegram       | deny sandbox
{$NM} | $GROUP | show_widget    | deny sandbox
{$NM} | $GROUP | view_image     | allow sandbox
{$NM} | -      | browser        | allow none (oc 56)
{$ALL, tools:{sandbox:{tools:{allow:["browser"]}}}} | - | browser    | allow sandbox (oc 57)
{$ALL, tools:{sandbox:{tools:{allow:["browser"]}}}} | - | exec       | deny sandbox (oc 57)
{$ALL, tools:{sandbox:{tools:{allow:["browser"]}}}} | - | view_image | allow sandbox (oc 57)
{$ALL, tools:{sandbox:{tools:{alsoAllow:["browser"]}}}} | - | browser | allow sandbox (oc 58)
{$ALL, tools:{sandbox:{tools:{alsoAllow:["browser"]}}}} | - | exec    | allow sandbox (oc 58)
{$ALL, tools:{sandbox:{tools:{deny:["exec"]}}}} | - | exec    | deny sandbox (oc 59)
{$ALL, tools:{sandbox:{tools:{deny:["exec"]}}}} | - | browser | deny sandbox (oc 59)
{$ALL, tools:{sandbox:{tools:{deny:[]}}}}       | - | gateway | deny sandbox
{$ALL, tools:{sandbox:{tools:{allow:[]}}}}      | - | image_generate | allow none
{$ALL, tools:{sandbox:{tools:{allow:[]}}}}      | - | browser | deny sandbox
{$ALL, tools:{sandbox:{tools:{deny:["image"]}}}} | - | view_image | deny sandbox
{agents:{defaults:{sandbox:{mode:"all"}}, list:[{id:"main", tools:{sandbox:{tools:{allow:["read"]}}}}]}} | - | read | allow sandbox (oc 60)
{agents:{defaults:{sandbox:{mode:"all"}}, list:[{id:"main", tools:{sandbox:{tools:{allow:["read"]}}}}]}} | - | exec | deny sandbox (oc 60)
{agents:{list:[{id:"main"}, {id:"pub", sandbox:{mode:"all"}}]}} | {"agent":"pub"} | browser | deny sandbox
{agents:{list:[{id:"main"}, {id:"pub", sandbox:{mode:"all"}}]}} | {"agent":"main"} | browser | allow none
EOF
}

@test "owner-only: removed for a sender who is not the owner" {
	cases <<EOF
{} | $DM | gateway     | deny owner-only (oc 61)
{} | $DM | automations | deny owner-only (oc 61)
{} | $DM | sessions    | deny owner-only (oc 61)
{} | $DM | exec        | allow none (oc 61)
{} | $DM | message     | allow none (oc 61)
{} | {"origin":{"channel":"telegram","peer":"42","owner":true}} | gateway | allow none
{} | - | nodes | allow none
EOF
}

@test "subagents: always-denied and leaf-denied sets, maxSpawnDepth" {
	local SUB='{"sessionKey":"agent:main:subagent:a"}'
	local DEEP='{"sessionKey":"agent:main:subagent:a:subagent:b:subagent:c:subagent:d:subagent:e"}'
	cases <<EOF
{} | $SUB  | gateway        | deny subagent (oc 62)
{} | $SUB  | message        | deny subagent (oc 62)
{} | $SUB  | sessions_spawn | allow none (oc 62)
{} | $SUB  | exec           | allow none (oc 62)
{} | $SUB  | sessions_send  | deny subagent
{agents:{defaults:{subagents:{maxSpawnDepth:1}}}} | $SUB | sessions_spawn | deny subagent (oc 63)
{agents:{defaults:{subagents:{maxSpawnDepth:1}}}} | $SUB | exec           | allow none (oc 63)
{} | $DEEP | sessions_spawn | deny subagent
{} | {"sessionKey":"agent:main:subagent:a:subagent:b:subagent:c:subagent:d"} | sessions_spawn | allow none
{tools:{subagents:{tools:{deny:["exec"]}}}}   | $SUB | exec | deny subagent (oc 64)
{tools:{subagents:{tools:{allow:["read"]}}}}  | $SUB | read | allow subagent (oc 65)
{tools:{subagents:{tools:{allow:["read"]}}}}  | $SUB | exec | deny subagent (oc 65)
{tools:{subagents:{tools:{allow:["gateway"]}}}} | $SUB | gateway | deny subagent
{} | {"sessionKey":"agent:main:cron:nightly"} | gateway | allow none
EOF
}

@test "the first layer that removes a tool decides, in OpenClaw's order" {
	cases <<EOF
{tools:{profile:"coding", deny:["browser"]}}                    | - | browser | deny profile
{tools:{deny:["exec"], byProvider:{openai:{deny:["exec"]}}}}    | {"model":{"provider":"openai"}} | exec | deny global
{tools:{deny:["gateway"]}, agents:{defaults:{sandbox:{mode:"all"}}}} | $DM | gateway | deny global
{agents:{defaults:{sandbox:{mode:"all"}}}}                      | $DM | gateway | deny sandbox
{channels:{telegram:{groups:{"*":{tools:{deny:["exec"]}}}}}, tools:{toolsBySender:{"*":{deny:["exec"]}}}} | $GROUP | exec | deny group
{tools:{subagents:{tools:{deny:["nodes"]}}}, agents:{defaults:{sandbox:{mode:"all"}}}} | {"sessionKey":"agent:main:subagent:x"} | nodes | deny sandbox
EOF
}

@test "agents.entries, OpenClaw's keyed roster, works as agents.list does" {
	cases <<'EOF2'
{agents:{entries:{main:{default:true}, ops:{tools:{deny:["exec"]}}}}} | {"agent":"ops"}  | exec | deny agent
{agents:{entries:{main:{default:true}, ops:{tools:{deny:["exec"]}}}}} | {"agent":"main"} | exec | allow none
{agents:{entries:{main:{default:true, tools:{profile:"minimal"}}}}}   | -                | exec | deny profile
EOF2
}
