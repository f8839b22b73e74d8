#!/usr/bin/env bats
# claw-session: session keys, main-session rule, scope keys and slugs, as OpenClaw computes them.

load helper

key() {
	run claw-session key "$@"
	assert_success
}

# ---- dmScope ----

@test "dmScope main (OpenClaw's default): every DM is the agent's main session" {
	write_config <<<'{ session: { dmScope: "main" } }'
	key --channel telegram --chat direct --peer 12345
	assert_output "agent:main:main"
}

@test "dmScope per-peer: one session per sender, across channels" {
	write_config <<<'{ session: { dmScope: "per-peer" } }'
	key --channel telegram --chat direct --peer 12345
	assert_output "agent:main:direct:12345"
	key --channel discord --chat direct --peer 12345
	assert_output "agent:main:direct:12345"
}

@test "dmScope per-channel-peer: one session per sender and channel" {
	write_config <<<'{ session: { dmScope: "per-channel-peer" } }'
	key --channel Telegram --chat direct --peer 12345
	assert_output "agent:main:telegram:direct:12345"
}

@test "dmScope per-account-channel-peer: the account is part of the key, normalised" {
	write_config <<<'{ session: { dmScope: "per-account-channel-peer" } }'
	key --channel whatsapp --account Work --chat direct --peer +15551234
	assert_output "agent:main:whatsapp:work:direct:+15551234"
	key --channel whatsapp --chat direct --peer +15551234
	assert_output "agent:main:whatsapp:default:direct:+15551234"
}

@test "a DM that names no peer is its sender's; one that names no one is 'unknown', never main" {
	write_config <<<'{ session: { dmScope: "per-channel-peer" }, agents: { defaults: { sandbox: { mode: "non-main" } } } }'
	run claw-session key --json --channel signal --chat direct
	assert_equal "$(jqr -c '[.key, .sandboxed]')" '["agent:main:signal:direct:unknown",true]'
	key --channel signal --chat direct --sender U7
	assert_output "agent:main:signal:direct:u7"
	key --channel signal --chat direct --peer '  '
	assert_output "agent:main:signal:direct:unknown"
	# In a stream too: the record's sender names the DM.
	run session_of '{"origin":{"channel":"slack","chat":"direct","sender":"U1"}}'
	assert_equal "$(jq -r .key <<<"$output")" "agent:main:slack:direct:u1"
}

@test "under dmScope main a DM that names no one is judged apart and sandboxed (stricter than OpenClaw)" {
	write_config <<<'{ session: { dmScope: "main" }, agents: { defaults: { sandbox: { mode: "non-main" } } } }'
	run claw-session key --json --channel discord --chat direct
	assert_equal "$(jqr -c '[.key, .policyKey, .sandboxed]')" \
		'["agent:main:main","agent:main:discord:default:direct:unknown",true]'
	# Without a channel too: an origin is a chat, never the operator.
	run session_of '{"origin":{"chat":"direct","owner":true}}'
	assert_equal "$(jq -c '[.policyKey, .sandboxed]' <<<"$output")" '["agent:main:unknown:default:direct:unknown",true]'
}

@test "Signal group and Matrix room ids keep their case" {
	key --channel signal --chat group --peer 'AbCdEf=='
	assert_output "agent:main:signal:group:AbCdEf=="
	key --channel matrix --chat channel --peer '!RoomID:Example.org'
	assert_output "agent:main:matrix:channel:!RoomID:Example.org"
}

@test "a Telegram DM thread names its chat" {
	write_config <<<'{ session: { dmScope: "main" } }'
	key --channel telegram --chat direct --peer 777 --thread 42
	assert_output "agent:main:main:thread:777:42"
}

@test "a Telegram DM is its sender's, even in a chat many senders share" {
	write_config <<<'{ session: { dmScope: "per-channel-peer" } }'
	# A channel's direct messages: one chat (-100777), a topic per sender.
	key --channel telegram --chat direct --peer -100777 --sender 42 --thread 5
	assert_output "agent:main:telegram:direct:42:thread:-100777:5"
	key --channel telegram --chat direct --peer -100777 --sender 43 --thread 6
	assert_output "agent:main:telegram:direct:43:thread:-100777:6"
	key --channel telegram --chat direct --peer 777
	assert_output "agent:main:telegram:direct:777"
}

@test "peer ids are trimmed and lower-cased" {
	write_config <<<'{ session: { dmScope: "per-channel-peer" } }'
	key --channel slack --chat direct --peer '  U0ABC  '
	assert_output "agent:main:slack:direct:u0abc"
}

@test "no config at all: the secure preset isolates DMs per channel and peer" {
	key --channel telegram --chat direct --peer 42
	assert_output "agent:main:telegram:direct:42"
}

# ---- chat kinds ----

@test "groups and channels get their own keys whatever the dmScope" {
	write_config <<<'{ session: { dmScope: "main" } }'
	key --channel discord --chat group --peer G-77
	assert_output "agent:main:discord:group:g-77"
	key --channel slack --chat channel --peer C123
	assert_output "agent:main:slack:channel:c123"
}

@test "a group without an id is 'unknown', never the main session" {
	key --channel discord --chat group
	assert_output "agent:main:discord:group:unknown"
}

@test "'dm' is OpenClaw's alias of 'direct'" {
	key --channel telegram --chat dm --peer 7
	assert_output "agent:main:telegram:direct:7"
}

@test "chat kinds in any case and with blanks are OpenClaw's kinds" {
	key --channel discord --chat GROUP --peer G1
	assert_output "agent:main:discord:group:g1"
	key --channel discord --chat ' Channel ' --peer C1
	assert_output "agent:main:discord:channel:c1"
	write_config <<<'{ session: { dmScope: "per-peer" } }'
	run session_of '{"origin":{"channel":"discord","chat":"Direct","peer":"7"}}'
	assert_equal "$(jq -r .key <<<"$output")" "agent:main:direct:7"
	run session_of '{"origin":{"channel":"discord","chat":"DM","peer":"7"}}'
	assert_equal "$(jq -r .key <<<"$output")" "agent:main:direct:7"
}

@test "an unknown chat kind is a usage error" {
	run claw-session key --channel telegram --chat room --peer 7
	assert_failure 2
	assert_output --partial 'unknown chat kind "room"'
}

@test "groupScope main folds groups into the main session" {
	write_config <<<'{ session: { groupScope: "main" } }'
	key --channel discord --chat group --peer G-77
	assert_output "agent:main:main"
}

@test "groupScope main: a thread keeps its thread, a session of its own, sandboxed under non-main" {
	write_config <<<'{ session: { groupScope: "main" }, agents: { defaults: { sandbox: { mode: "non-main" } } } }'
	run claw-session key --json --channel discord --chat group --peer G-77 --thread T9
	assert_equal "$(jqr -c '[.key, .main, .sandboxed]')" '["agent:main:main:thread:t9",false,true]'
	run session_of '{"origin":{"channel":"slack","chat":"channel","peer":"C1","thread":"42"}}'
	assert_equal "$(jq -c '[.key, .sandboxed]' <<<"$output")" '["agent:main:main:thread:42",true]'
}

@test "session.scope global: only the bare main session is 'global', its threads hang off the agent's" {
	write_config <<<'{ session: { scope: "global" } }'
	key --channel discord --chat direct --peer 7
	assert_output "global"
	key --channel discord --chat direct --peer 7 --thread T1
	assert_output "agent:main:main:thread:t1"
}

# ---- threads, topics ----

@test "a thread is a session of its own under its parent's key" {
	key --channel discord --chat channel --peer C1 --thread T9
	assert_output "agent:main:discord:channel:c1:thread:t9"
}

@test "a Telegram forum topic is its group's :topic:" {
	key --channel telegram --chat group --peer -100123 --thread 42
	assert_output "agent:main:telegram:group:-100123:topic:42"
}

@test "a thread in a DM that collapses to main still leaves the main session" {
	write_config <<<'{ session: { dmScope: "main" } }'
	key --channel slack --chat direct --peer U1 --thread 99
	assert_output "agent:main:main:thread:99"
	run claw-session key --json --channel slack --chat direct --peer U1 --thread 99
	assert_equal "$(jqr .main)" "false"
}

# ---- identityLinks, mainKey, global ----

@test "identityLinks map a sender to one canonical peer" {
	write_config <<<'{ session: { dmScope: "per-peer", identityLinks: { alice: ["telegram:123", "Discord:ALICE#1"] } } }'
	key --channel telegram --chat direct --peer 123
	assert_output "agent:main:direct:alice"
	key --channel discord --chat direct --peer 'alice#1'
	assert_output "agent:main:direct:alice"
	key --channel telegram --chat direct --peer 999
	assert_output "agent:main:direct:999"
}

@test "identityLinks match a bare peer id too" {
	write_config <<<'{ session: { dmScope: "per-channel-peer", identityLinks: { bob: ["555"] } } }'
	key --channel signal --chat direct --peer 555
	assert_output "agent:main:signal:direct:bob"
}

@test "under dmScope main identityLinks leave the key alone but name the policy key" {
	write_config <<<'{ session: { dmScope: "main", identityLinks: { alice: ["telegram:123"] } } }'
	run claw-session key --json --channel telegram --chat direct --peer 123
	assert_success
	assert_equal "$(jqr .key)" "agent:main:main"
	assert_equal "$(jqr .policyKey)" "agent:main:telegram:default:direct:alice"
}

@test "session.mainKey renames the main session (lower-cased)" {
	write_config <<<'{ session: { mainKey: "Home" } }'
	key
	assert_output "agent:main:home"
}

@test "session.scope global: the main session is 'global'" {
	write_config <<<'{ session: { scope: "global" } }'
	run claw-session key --json
	assert_equal "$(jqr .key)" "global"
	assert_equal "$(jqr .main)" "true"
}

# ---- agents and bindings ----

@test "agent ids are normalised as OpenClaw does" {
	key --agent ' Work '
	assert_output "agent:work:main"
	key --agent 'My Agent!'
	assert_output "agent:my-agent:main"
	# What normalises to nothing is no agent at all (OpenClaw's normalizeAgentIdStrict).
	for bad in '!!!' '' '  ' '__proto__'; do
		run claw-session key --agent "$bad"
		assert_failure 1
		assert_output --partial "is not an agent id"
	done
}

@test "the default agent: the one with default:true, the only one, or main without a roster" {
	write_config <<<'{ agents: { list: [ { id: "alpha" }, { id: "beta", default: true } ] } }'
	key
	assert_output "agent:beta:main"
	write_config <<<'{ agents: { list: [ { id: "Solo" } ] } }'
	key
	assert_output "agent:solo:main"
	write_config <<<'{ agents: { entries: { a: {}, b: { default: true } } } }'
	key
	assert_output "agent:b:main"
	write_config <<<'{ agents: { ownership: "explicit", defaults: { systemAgent: { agentId: "work" } }, list: [ { id: "main", default: true }, { id: "work" } ] } }'
	key
	assert_output "agent:work:main"
}

@test "several agents and no single default: OpenClaw refuses to guess, so does claw" {
	for roster in '[ { id: "alpha" }, { id: "beta" } ]' '[ { id: "alpha", default: true }, { id: "b", default: true } ]'; do
		write_config <<<"{ agents: { list: $roster } }"
		run claw-session key
		assert_failure 1
		assert_output --partial "Multiple agents are configured"
		run bash -c 'echo "{\"origin\":{\"channel\":\"telegram\",\"chat\":\"direct\",\"peer\":\"1\"}}" | claw-session'
		assert_success
		assert_equal "$(jqr .deny.by)" "claw-session"
		assert_output --partial 'add one, e.g. {\"agentId\":\"<agent>\",\"match\":{\"channel\":\"telegram\",\"accountId\":\"default\"}}'
		key --agent alpha --channel telegram --chat direct --peer 1
	done
	write_config <<<'{ agents: { list: [] } }'
	run claw-session key
	assert_failure 1
	assert_output --partial "No agents configured"
}

@test "an agent that agents.list does not name is refused" {
	write_config <<<'{ agents: { list: [ { id: "alpha" } ] } }'
	run claw-session key --agent ghost
	assert_failure 1
	assert_output --partial 'agent "ghost" is not configured'
	run bash -c 'echo "{\"agent\":\"ghost\"}" | claw-session'
	assert_success
	assert_equal "$(jqr .deny.reason)" 'agent "ghost" is not configured (agents.list)'
	assert_equal "$(jqr .session)" "null"
}

bindings_config() {
	write_config <<'EOF'
{
  agents: { list: [ { id: "main", default: true }, { id: "family" }, { id: "work" }, { id: "ops" }, { id: "guildbot" } ] },
  session: { dmScope: "per-channel-peer" },
  bindings: [
    { agentId: "work", match: { channel: "slack", accountId: "*" } },
    { agentId: "ops", match: { channel: "telegram", accountId: "ops" } },
    { agentId: "family", match: { channel: "telegram", peer: { kind: "direct", id: "555" } } },
    { agentId: "guildbot", match: { channel: "discord", guildId: "G1" } },
    { agentId: "missing", match: { channel: "signal" } },
  ],
}
EOF
}

@test "bindings: a peer binding wins over an account binding" {
	bindings_config
	key --channel telegram --chat direct --peer 555
	assert_output "agent:family:telegram:direct:555"
}

@test "bindings: an account binding, and no accountId means the default account only" {
	bindings_config
	key --channel telegram --account ops --chat direct --peer 1
	assert_output "agent:ops:telegram:direct:1"
	key --channel slack --account other --chat direct --peer 555
	assert_output "agent:work:slack:direct:555"
	key --channel discord --account other --chat direct --peer 9
	assert_output "agent:main:discord:direct:9"
}

@test "a Telegram DM on another than the default account keeps the account in its key" {
	write_config <<<'{ session: { dmScope: "main" } }'
	key --channel telegram --account work --chat direct --peer 777
	assert_output "agent:main:telegram:work:direct:777"
	key --channel telegram --chat direct --peer 777
	assert_output "agent:main:main"
	write_config <<<'{ session: { dmScope: "main" }, channels: { telegram: { defaultAccount: "work" } } }'
	key --channel telegram --account work --chat direct --peer 777
	assert_output "agent:main:main"
}

@test "bindings: accountId * matches the whole channel" {
	bindings_config
	key --channel slack --account anything --chat channel --peer C1
	assert_output "agent:work:slack:channel:c1"
}

@test "bindings: a guild binding" {
	bindings_config
	key --channel discord --guild G1 --chat channel --peer C5
	assert_output "agent:guildbot:discord:channel:c5"
	key --channel discord --guild G2 --chat channel --peer C5
	assert_output "agent:main:discord:channel:c5"
}

@test "bindings: a binding to an agent that does not exist is refused, as OpenClaw refuses it" {
	bindings_config
	run claw-session key --channel signal --chat direct --peer 9
	assert_failure 1
	assert_output --partial 'Update the binding agentId "missing" to a configured agent.'
	write_config <<<'{ bindings: [ { agentId: "Ghost", match: { channel: "irc" } } ] }'
	key --channel irc --chat direct --peer 9
	assert_output "agent:ghost:main"
}

@test "bindings: peer ids compare exactly, kinds group and channel are one, wildcards and parents" {
	write_config <<'JSON5'
{
  agents: { list: [ { id: "main", default: true }, { id: "exact" }, { id: "any" }, { id: "parent" }, { id: "roles" }, { id: "team" } ] },
  bindings: [
    { agentId: "exact", match: { channel: "slack", peer: { kind: "group", id: "C1" } } },
    { agentId: "any", match: { channel: "slack", peer: { kind: "direct", id: "*" } } },
    { agentId: "parent", match: { channel: "discord", peer: { kind: "channel", id: "c9" } } },
    { agentId: "roles", match: { channel: "discord", guildId: "G1", roles: ["admin"] } },
    { agentId: "team", match: { channel: "msteams", teamId: "T1" } },
  ],
}
JSON5
	key --channel slack --chat channel --peer C1
	assert_output "agent:exact:slack:channel:c1"
	key --channel slack --chat channel --peer c1
	assert_output "agent:main:slack:channel:c1"
	key --channel slack --chat direct --peer U5
	assert_output "agent:any:main"
	key --channel discord --chat channel --peer thr1 --parent c9
	assert_output "agent:parent:discord:channel:thr1"
	key --channel msteams --team T1 --chat channel --peer c2
	assert_output "agent:team:msteams:channel:c2"
	run bash -c 'echo "{\"origin\":{\"channel\":\"discord\",\"guild\":\"G1\",\"roles\":[\"admin\"],\"chat\":\"channel\",\"peer\":\"c3\"}}" | claw-session'
	assert_equal "$(jqr .session.agent)" "roles"
	run bash -c 'echo "{\"origin\":{\"channel\":\"discord\",\"guild\":\"G1\",\"roles\":[\"user\"],\"chat\":\"channel\",\"peer\":\"c3\"}}" | claw-session'
	assert_equal "$(jqr .session.agent)" "main"
}

@test "bindings: a binding's own session settings override dmScope for its route" {
	write_config <<<'{ bindings: [ { agentId: "main", match: { channel: "telegram" }, session: { dmScope: "per-channel-peer" } } ] }'
	key --channel telegram --chat direct --peer 1
	assert_output "agent:main:telegram:direct:1"
	key --channel signal --chat direct --peer 1
	assert_output "agent:main:main"
}

@test "bindings: an explicit agent in the record wins over bindings" {
	bindings_config
	key --agent work --channel telegram --chat direct --peer 555
	assert_output "agent:work:telegram:direct:555"
}

# ---- sandboxed, main, scope keys, slugs ----

@test "sandbox mode off: nothing is sandboxed" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "off" } } }, session: { dmScope: "per-peer" } }'
	run claw-session key --json --channel telegram --chat direct --peer 1
	assert_equal "$(jqr .sandboxed)" "false"
	assert_equal "$(jqr .main)" "false"
}

@test "sandbox mode non-main: main runs on the host, others in a sandbox" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "non-main" } } }, session: { dmScope: "per-peer" } }'
	run claw-session key --json
	assert_equal "$(jqr '[.main, .sandboxed] | @tsv')" "true	false"
	run claw-session key --json --channel telegram --chat direct --peer 1
	assert_equal "$(jqr '[.main, .sandboxed] | @tsv')" "false	true"
}

@test "sandbox mode all: the main session too" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all" } } } }'
	run claw-session key --json
	assert_equal "$(jqr '[.main, .sandboxed] | @tsv')" "true	true"
}

@test "agents.list[].sandbox overrides agents.defaults.sandbox" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "off" } }, list: [ { id: "main", default: true }, { id: "pub", sandbox: { mode: "all" } } ] } }'
	run claw-session key --json
	assert_equal "$(jqr .sandboxed)" "false"
	run claw-session key --json --agent pub
	assert_equal "$(jqr '[.sandboxed, .mode] | @tsv')" "true	all"
}

@test "dmScope main: a stranger's DM is judged under its own key and sandboxed under non-main" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "non-main", scope: "session" } } } }'
	run claw-session key --json --channel telegram --chat direct --peer 12345
	assert_equal "$(jqr .key)" "agent:main:main"
	assert_equal "$(jqr .policyKey)" "agent:main:telegram:default:direct:12345"
	assert_equal "$(jqr '[.main, .sandboxed] | @tsv')" "false	true"
	assert_equal "$(jqr .scopeKey)" "agent:main:telegram:default:direct:12345:workspace:$(ws_hash "$OPENCLAW_STATE_DIR/workspace")"
}

@test "the policy key names the DM by its sender, and does not exempt the owner" {
	write_config <<<'{ session: { dmScope: "main" } }'
	run claw-session key --json --channel telegram --chat direct --peer 12345 --sender 777
	assert_equal "$(jqr .policyKey)" "agent:main:telegram:default:direct:777"
	run bash -c 'echo "{\"origin\":{\"channel\":\"telegram\",\"chat\":\"direct\",\"peer\":\"1\",\"owner\":true}}" | claw-session'
	assert_equal "$(jqr '[.session.main, .session.policyKey] | @tsv')" "false	agent:main:telegram:default:direct:1"
}

@test "webchat is the local UI: its DM stays the main session" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "non-main" } } } }'
	run claw-session key --json --channel webchat --chat direct --peer me
	assert_equal "$(jqr '[.key, .main, .sandboxed] | @tsv')" "agent:main:main	true	false"
}

# ws_hash DIR: the first 32 hex of sha256(DIR), as in OpenClaw's scope keys.
ws_hash() {
	printf '%s' "$1" | sha256sum | cut -c1-32
}

@test "scope keys carry the agent workspace's hash: session, agent, shared; legacy perSession is refused" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", scope: "session" } } }, session: { dmScope: "per-peer" } }'
	run claw-session key --json --channel telegram --chat direct --peer 1
	assert_equal "$(jqr .scopeKey)" "agent:main:direct:1:workspace:$(ws_hash "$OPENCLAW_STATE_DIR/workspace")"
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", scope: "agent" } } } }'
	run claw-session key --json --agent Work
	assert_equal "$(jqr .scopeKey)" "agent:work:workspace:$(ws_hash "$OPENCLAW_STATE_DIR/workspace-work")"
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", scope: "shared" } } } }'
	run claw-session key --json
	assert_equal "$(jqr '[.scopeKey, .slug] | @tsv')" "shared	shared-a4d26868"
	# OpenClaw 2026.9.6 refuses the old name (its doctor rewrites it): so does claw.
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", perSession: false } } } }'
	run claw-session key --json
	assert_failure 2
	assert_output --partial 'agents.defaults.sandbox: unknown key "perSession" (OpenClaw'"'"'s old name: use scope, "session" for true, "shared" for false)'
}

@test "agent workspaces are resolved as OpenClaw resolves them" {
	write_config <<<'{ agents: { defaults: { workspace: "~/ws", sandbox: { mode: "all", scope: "agent" } }, list: [ { id: "main", default: true }, { id: "ops" }, { id: "own", workspace: "/srv/own/../own/" } ] } }'
	run claw-session key --json --agent main
	assert_equal "$(jqr .scopeKey)" "agent:main:workspace:$(ws_hash "$HOME/ws")"
	run claw-session key --json --agent ops
	assert_equal "$(jqr .scopeKey)" "agent:ops:workspace:$(ws_hash "$HOME/ws/ops")"
	run claw-session key --json --agent own
	assert_equal "$(jqr .scopeKey)" "agent:own:workspace:$(ws_hash /srv/own)"
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", scope: "agent" } } } }'
	OPENCLAW_WORKSPACE_DIR=/opt/ws run claw-session key --json
	assert_equal "$(jqr .scopeKey)" "agent:main:workspace:$(ws_hash /opt/ws)"
	write_config <<<'{ agents: { defaults: { sandbox: { scope: "agent" } }, list: [ { id: "main", workspace: "/../..//x/./y/" } ] } }'
	run claw-session key --json
	assert_equal "$(jqr .scopeKey)" "agent:main:workspace:$(ws_hash /x/y)"
}

@test "slugs are OpenClaw's, checked against values OpenClaw 2026.9.6 printed" {
	write_config <<<'{ agents: { defaults: { workspace: "/work/research/scratch/ws", sandbox: { mode: "all", scope: "session" } } } }'
	run claw-session key --json --channel discord --chat group --peer G1
	assert_equal "$(jqr '[.scopeKey, .slug] | @tsv')" "agent:main:discord:group:g1:workspace:81c6b0ec51c45558180df6f552241f7f	workspace-dd8f74b1aec9a2b9dee60eb951abe350"
	write_config <<<'{ agents: { defaults: { workspace: "/work/research/scratch/ws", sandbox: { mode: "all", scope: "agent" } } } }'
	run claw-session key --json
	assert_equal "$(jqr '[.scopeKey, .slug] | @tsv')" "agent:main:workspace:81c6b0ec51c45558180df6f552241f7f	workspace-bbb76fe6f41ff2af8538810ce4666186"
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "all", scope: "shared" } } } }'
	run claw-session key --json
	assert_equal "$(jqr .slug)" "shared-a4d26868"
}

# ---- explicit session keys ----

@test "explicit keys: cron, subagent and hook keys are non-main and keep their agent" {
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "non-main" } }, list: [ { id: "main" }, { id: "ops" } ] } }'
	run claw-session key --json --session agent:ops:cron:nightly
	assert_equal "$(jqr '[.agent, .main, .sandboxed] | @tsv')" "ops	false	true"
	run claw-session key --json --session agent:main:subagent:abc
	assert_equal "$(jqr '[.agent, .main, .sandboxed] | @tsv')" "main	false	true"
}

@test "explicit keys: OpenClaw's main-key aliases all mean the main session" {
	write_config <<<'{ session: { mainKey: "home" }, agents: { defaults: { sandbox: { mode: "non-main" } } } }'
	for k in main home agent:main:home agent:main:main; do
		run claw-session key --json --session "$k"
		assert_equal "$(jqr '[.key, .main, .sandboxed] | @tsv')" "agent:main:home	true	false"
	done
}

@test "explicit keys: a mis-cased alias is not the main session (fails towards the sandbox)" {
	run claw-session key --json --session MAIN
	assert_equal "$(jqr '[.main, .sandboxed] | @tsv')" "false	true"
	run claw-session key --json --session AGENT:MAIN:MAIN
	assert_equal "$(jqr '[.key, .main] | @tsv')" "agent:main:main	false"
}

@test "a record's sessionKey of another agent than its agent is refused" {
	run bash -c 'echo "{\"agent\":\"main\",\"sessionKey\":\"agent:ops:cron:x\"}" | claw-session'
	assert_success
	assert_equal "$(jqr .deny.by)" "claw-session"
	assert_output --partial 'belongs to agent \"ops\"'
}

@test "with an origin, a sessionKey cannot move a stranger into the main session" {
	run bash -c 'echo "{\"origin\":{\"channel\":\"telegram\",\"chat\":\"direct\",\"peer\":\"666\"},\"sessionKey\":\"main\"}" | claw-session'
	assert_success
	assert_output --partial 'does not match the origin'
	assert_equal "$(jqr .deny.by)" "claw-session"
}

@test "a sessionKey that agrees with the origin is accepted" {
	run bash -c 'echo "{\"origin\":{\"channel\":\"telegram\",\"chat\":\"direct\",\"peer\":\"7\"},\"sessionKey\":\"agent:main:telegram:direct:7\"}" | claw-session'
	assert_equal "$(jqr .session.key)" "agent:main:telegram:direct:7"
	assert_equal "$(jqr .deny)" "null"
}

@test "control characters and empty session keys are refused" {
	run bash -c 'printf "%s\n" "{\"sessionKey\":\"  \"}" "{\"sessionKey\":\"agent:main:x\\u0007\"}" "{\"sessionKey\":\"agent:main\"}" | claw-session'
	assert_success
	assert_equal "$(jqr -s '.[0].deny.reason')" "sessionKey is empty"
	assert_equal "$(jqr -s '.[1].deny.reason')" "sessionKey contains a control character"
	assert_equal "$(jqr -s '.[2].deny.reason')" 'sessionKey "agent:main" has nothing after the agent id'
}

# ---- the filter ----

@test "the filter adds id and session, keeps every other member byte for byte" {
	run bash -c "printf '%s\n' '{\"x\":12345678901234567890,\"nested\":{\"b\":[1,2.50,\"\\u00e9\"]},\"tool\":\"exec\"}' | claw-session"
	assert_success
	assert_output --regexp '^\{"x":12345678901234567890,"nested":\{"b":\[1,2.50,"\\u00e9"\]\},"tool":"exec","id":"[0-9a-f]{12}-1","session":\{"key":"agent:main:main",'
}

@test "an id already present is kept; missing ones are unique" {
	run bash -c 'printf "%s\n" "{\"id\":\"mine\"}" "{}" "{}" | claw-session'
	assert_equal "$(jqr -s -c 'map(.id)')" "$(jqr -s -c '[.[0].id, .[1].id, .[2].id]')"
	assert_equal "$(jqr -s '.[0].id')" "mine"
	assert_equal "$(jqr -s '[.[1].id, .[2].id] | unique | length')" "2"
}

@test "a forged session member is replaced, not trusted" {
	run bash -c 'echo "{\"session\":{\"key\":\"agent:main:main\",\"main\":true,\"sandboxed\":false},\"origin\":{\"channel\":\"discord\",\"chat\":\"group\",\"peer\":\"g\"}}" | claw-session'
	assert_success
	assert_equal "$(jqr '[.session.key, .session.sandboxed] | @tsv')" "agent:main:discord:group:g	true"
	assert_equal "$(printf '%s' "$output" | grep -o '"session":{' | wc -l)" "1"
}

@test "numeric chat ids are accepted as ids" {
	run bash -c 'echo "{\"origin\":{\"channel\":\"telegram\",\"chat\":\"direct\",\"peer\":12345}}" | claw-session'
	assert_equal "$(jqr .session.key)" "agent:main:telegram:direct:12345"
}

@test "a record that already carries deny passes through untouched" {
	line='{"deny":{"by":"someone","reason":"no"},"tool":"exec"}'
	run bash -c "echo '$line' | claw-session"
	assert_success
	assert_output "$line"
}

@test "new: writes an exec request whose command round-trips through sh" {
	run claw-session new --channel telegram --chat direct --peer 7 --cwd /tmp --timeout 30 -- \
		printf '%s|' 'a b' "it's" '$HOME' '*' 'x=1'
	assert_success
	assert_equal "$(jqr .tool)" "exec"
	assert_equal "$(jqr .args.workdir)" "/tmp"
	assert_equal "$(jqr .args.timeout)" "30"
	assert_equal "$(jqr .origin.peer)" "7"
	assert_equal "$(jqr .id | grep -cE '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$')" "1"
	cmd=$(jqr .args.command)
	run sh -c "$cmd"
	assert_output 'a b|it'"'"'s|$HOME|*|x=1|'
}

@test "new -- if x: claw-session quotes a keyword as claw-approve reads it, a program word, and sh runs that program" {
	mkdir "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho ran-if "$@"\n' >"$BATS_TEST_TMPDIR/bin/if"
	chmod 755 "$BATS_TEST_TMPDIR/bin/if"
	write_config <<<'{ tools: { exec: { security: "allowlist", ask: "off" } } }'
	jq -n --arg p "$BATS_TEST_TMPDIR/bin/if" '{version: 1, agents: {main: {allowlist: [{pattern: $p}]}}}' \
		>"$OPENCLAW_STATE_DIR/exec-approvals.json"
	chmod 600 "$OPENCLAW_STATE_DIR/exec-approvals.json"
	export PATH="$BATS_TEST_TMPDIR/bin:$PATH"
	run claw-session new -- if x
	assert_success
	cmd=$(jqr .args.command)
	run bash -c 'claw-session new -- if x | claw-session | claw-approve'
	assert_success
	assert_equal "$(jqr '.approval.decision + " " + (.approval.segments[0].argv | join(" "))')" "allow if x"
	assert_equal "$(jqr .approval.segments[0].path)" "$BATS_TEST_TMPDIR/bin/if"
	run sh -c "$cmd"
	assert_output "ran-if x"
}

@test "new: the request goes through claw-session" {
	run bash -c 'claw-session new --agent main -- ls -l | claw-session'
	assert_success
	assert_equal "$(jqr .session.key)" "agent:main:main"
	assert_equal "$(jqr .args.command)" "ls -l"
}

@test "new without a command is a usage error" {
	run claw-session new --agent main
	assert_failure 2
	assert_output --partial "COMMAND is missing"
}

@test "claw-session key and new: --peer without --channel is a usage error, not an unknown channel" {
	run claw-session key --peer 5
	assert_failure 2
	assert_output --partial "--peer needs --channel"
	run claw-session new --peer 5 -- true
	assert_failure 2
}
