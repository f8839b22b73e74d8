#!/usr/bin/env bats
# claw-sandbox's docker backend, against t/fakedocker: the exact calls for a
# matrix of configs (OpenClaw's containers, argument for argument), the
# recreate rule, dry runs, timeouts, the error paths, and list/rm/prune/explain.

bats_require_minimum_version 1.5.0
load helper
load docker

# ---- the sequence ----

@test "first run: inspect, image check, create with OpenClaw's labels and flags, start, exec" {
	docker_config
	run_request 'echo out; echo err >&2; exit 3'
	assert_success
	expect_calls <<EOF
docker inspect --type container $NAME
docker image inspect openclaw-sandbox:bookworm-slim
$(default_create)
docker start $NAME
docker exec -i -w /workspace -e HOME=/workspace -e LANG=C.UTF-8 -e CLAW_EXEC_ID=<id> \\
  $NAME /bin/sh -lc "echo out; echo err >&2; exit 3"
EOF
	assert_equal "$NAME" "openclaw-sbx-$(jqo .session.slug)"
	assert_equal "$(jqo -c .sandbox)" "{\"where\":\"sandbox\",\"backend\":\"docker\",\"name\":\"$NAME\",\"workdir\":\"/workspace\",\"network\":\"none\"}"
	assert_equal "$(jqo .result.exit)" 3
	assert_equal "$(jqo .result.signal)" null
	assert_equal "$(jqo .result.stdout)" out
	assert_equal "$(jqo .result.stderr)" err
	assert_equal "$(jqo .result.timedOut)" false
	assert_equal "$(jqo .result.truncated)" false
	[ -d "$WS" ]
}

@test "later runs: the container is current and running, so only inspect and exec" {
	docker_config
	run_request 'true'
	run_request 'echo again'
	assert_success
	expect_calls <<EOF
docker inspect --type container $NAME
docker image inspect openclaw-sandbox:bookworm-slim
$(default_create)
docker start $NAME
docker exec -i -w /workspace -e HOME=/workspace -e LANG=C.UTF-8 -e CLAW_EXEC_ID=<id> $NAME /bin/sh -lc true
docker inspect --type container $NAME
docker exec -i -w /workspace -e HOME=/workspace -e LANG=C.UTF-8 -e CLAW_EXEC_ID=<id> $NAME /bin/sh -lc "echo again"
EOF
	assert_equal "$(jqo .result.stdout)" again
}



@test "setupCommand: once after create, as one argument after -lc; a failure removes the container" {
	docker_config '' 'setupCommand: "echo set up > /dev/null; exit 0",'
	run_request 'true'
	run_request 'true'
	expect_calls <<EOF
docker inspect --type container $NAME
docker image inspect openclaw-sandbox:bookworm-slim
$(default_create)
docker start $NAME
docker exec -i $NAME /bin/sh -lc "echo set up > /dev/null; exit 0"
docker exec -i -w /workspace -e HOME=/workspace -e LANG=C.UTF-8 -e CLAW_EXEC_ID=<id> $NAME /bin/sh -lc true
docker inspect --type container $NAME
docker exec -i -w /workspace -e HOME=/workspace -e LANG=C.UTF-8 -e CLAW_EXEC_ID=<id> $NAME /bin/sh -lc true
EOF
	engine '{"images": ["openclaw-sandbox:bookworm-slim"], "containers": {}}'
	docker_config '' 'setupCommand: "echo no network >&2; exit 7",'
	run_request "touch $BATS_TEST_TMPDIR/ran"
	assert_success
	assert_equal "$(jqo .deny.reason)" "docker.setupCommand failed in $NAME (exit 7): no network; the container is removed, so the next run sets it up again"
	assert_equal "$(jqo .result)" null
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	run calls
	assert_line --index 4 "docker exec -i $NAME /bin/sh -lc \"echo no network >&2; exit 7\""
	assert_line --index 5 "docker rm -f $NAME"
	assert_equal "${#lines[@]}" 6
	assert_equal "$(jq -c .containers "$FAKEDOCKER_STATE")" '{}'
}

# ---- scopes ----

@test "scope session: one container per session, each with its own workspace" {
	docker_config
	run_request 'true' alice
	alice=$NAME alice_ws=$WS
	run_request 'true' bob
	[ "$alice" != "$NAME" ] && [ "$alice_ws" != "$WS" ]
	assert_equal "$(jq -r '.containers | keys | join(" ")' "$FAKEDOCKER_STATE")" "$(printf '%s\n' "$alice" "$NAME" | sort | paste -sd ' ')"
	assert_equal "$(jq -r --arg n "$NAME" '.containers[$n].labels["openclaw.sessionKey"]' "$FAKEDOCKER_STATE")" "$KEY"
	[[ "$KEY" == agent:main:telegram:default:direct:bob:workspace:* ]]
}

@test "scope agent: the agent's sessions share one container" {
	docker_config 'scope: "agent",'
	run_request 'true' alice
	first=$NAME
	run_request 'true' bob
	assert_equal "$NAME" "$first"
	[[ "$KEY" == agent:main:workspace:* ]]
	run calls
	assert_equal "$(grep -c ' create ' <<< "$output")" 1
}

@test "scope shared: one container named shared for everyone, its own directory" {
	docker_config 'scope: "shared",'
	run_request 'true' alice
	assert_equal "$NAME" openclaw-sbx-shared
	assert_equal "$KEY" shared
	run calls
	assert_line --partial "--label openclaw.sessionKey=shared "
	assert_line --partial " -v $OPENCLAW_STATE_DIR/sandboxes/shared:/workspace:z openclaw-sandbox:bookworm-slim sleep infinity"
}

# ---- workspaceAccess and binds ----

@test "workspaceAccess none, ro, rw: the mounts and their order, then the binds as written" {
	mkdir -p "$AGENT_WS/data" "$AGENT_WS/out"
	binds="binds: [\"$AGENT_WS/data:/data:ro\", \"$AGENT_WS/out:/out\"],"
	docker_config 'workspaceAccess: "none",' "$binds"
	run_request true
	run calls
	assert_line --partial " --workdir /workspace -v $WS:/workspace:z -v $AGENT_WS/data:/data:ro -v $AGENT_WS/out:/out openclaw-sandbox:bookworm-slim sleep infinity"
	engine '{"images": ["openclaw-sandbox:bookworm-slim"], "containers": {}}'
	docker_config 'workspaceAccess: "ro",' "$binds"
	run_request true
	run calls
	assert_line --partial " --workdir /workspace -v $WS:/workspace:z -v $AGENT_WS:/agent:ro,z -v $AGENT_WS/data:/data:ro -v $AGENT_WS/out:/out openclaw-sandbox:bookworm-slim"
	engine '{"images": ["openclaw-sandbox:bookworm-slim"], "containers": {}}'
	docker_config 'workspaceAccess: "rw",' "$binds"
	run_request true
	run calls
	assert_line --partial " --user $(user_of "$AGENT_WS") "
	assert_line --partial " --workdir /workspace -v $AGENT_WS:/workspace:z -v $AGENT_WS/data:/data:ro -v $AGENT_WS/out:/out openclaw-sandbox:bookworm-slim"
	refute_line --partial "/agent"
}

@test "binds: /etc, the Docker socket and credential dirs are refused with OpenClaw's message, before any docker call" {
	mkdir -p "$HOME/.ssh"
	for bind in /etc:/etc2 /var/run/docker.sock:/var/run/docker.sock "$HOME/.ssh:/keys:ro"; do
		docker_config '' "binds: [\"$bind\"], dangerouslyAllowExternalBindSources: true,"
		run_request "touch $BATS_TEST_TMPDIR/ran"
		assert_success
		assert_equal "$(jqo .deny.by)" claw-sandbox
		[[ "$(jqo .deny.reason)" == "Sandbox security: bind mount \"$bind\" targets blocked path "*"Mounting system directories, credential paths, or Docker socket paths into sandbox containers is not allowed. Use project-specific paths instead (e.g. /home/user/myproject)." ]]
		assert_equal "$(calls)" ""
	done
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "a workdir inside the workspace maps into the container" {
	docker_config 'workspaceAccess: "rw",'
	mkdir -p "$AGENT_WS/sub"
	run_request 'true' 42 "\"workdir\": \"$AGENT_WS/sub\""
	assert_equal "$(jqo .sandbox.workdir)" /workspace/sub
	run calls
	assert_line --index 4 --regexp "^docker exec -i -w /workspace/sub -e HOME=/workspace "
}

# ---- network and profiles ----

@test "network: host refused always, container: only when joining is allowed, others passed" {
	docker_config '' 'network: "host",'
	run_request "touch $BATS_TEST_TMPDIR/ran"
	assert_output --partial 'Sandbox security: network mode \"host\" is blocked. Network \"host\" mode bypasses container network isolation. Use \"bridge\" or \"none\" instead.'
	assert_equal "$(calls)" ""
	docker_config '' 'network: "HoSt",'
	run_request true
	assert_equal "$(jqo .deny.by)" claw-sandbox
	docker_config '' 'network: "container:db",'
	run_request true
	assert_output --partial 'network mode \"container:db\"'
	assert_equal "$(calls)" ""
	docker_config '' 'network: "container:db", dangerouslyAllowContainerNamespaceJoin: true,'
	run_request true
	run calls
	assert_line --partial " --network container:db "
	engine '{"images": ["openclaw-sandbox:bookworm-slim"], "containers": {}}'
	docker_config '' 'network: "bridge",'
	run_request true
	assert_equal "$(jqo .sandbox.network)" bridge
	run calls
	assert_line --partial " --network bridge "
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "profiles: unconfined seccomp or AppArmor refused; others passed as security options" {
	docker_config '' 'seccompProfile: "unconfined",'
	run_request true
	assert_output --partial 'seccomp profile \"unconfined\"'
	docker_config '' 'apparmorProfile: "Unconfined",'
	run_request true
	assert_equal "$(jqo .deny.by)" claw-sandbox
	assert_equal "$(calls)" ""
	docker_config '' 'seccompProfile: "/etc/claw/seccomp.json", apparmorProfile: "claw-sandbox",'
	run_request true
	run calls
	assert_line --partial " --security-opt no-new-privileges --security-opt seccomp=/etc/claw/seccomp.json --security-opt apparmor=claw-sandbox --workdir "
}

# ---- every other docker key ----

@test "limits, user, dns, hosts, capDrop, tmpfs, read-only root: each flag as OpenClaw writes it" {
	docker_config '' 'readOnlyRoot: false, tmpfs: ["/tmp:size=64m,noexec", "/cache"], user: "1000:1000",
	  capDrop: ["ALL", "NET_RAW"], dns: ["1.1.1.1", " "], extraHosts: ["db:10.0.0.5"],
	  pidsLimit: 64, memory: "1g", memorySwap: 2147483648, cpus: 1.5,
	  ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 512, core: "0", stack: { hard: 8192 } },
	  env: { LANG: "C.UTF-8", TZ: "UTC" },'
	run_request true
	run calls
	assert_line --index 2 "docker create --name $NAME --label openclaw.sandbox=1 --label openclaw.sessionKey=$KEY --label openclaw.createdAtMs=<ms> --label openclaw.mountFormatVersion=2 --label openclaw.configHash=<hash> --tmpfs /tmp:size=64m,noexec --tmpfs /cache --network none --user 1000:1000 --env LANG=C.UTF-8 --env TZ=UTC --cap-drop ALL --cap-drop NET_RAW --security-opt no-new-privileges --dns 1.1.1.1 --add-host db:10.0.0.5 --pids-limit 64 --memory 1g --memory-swap 2147483648 --cpus 1.5 --ulimit nofile=1024:2048 --ulimit nproc=512 --ulimit core=0 --ulimit stack=8192 --workdir /workspace -v $WS:/workspace:z openclaw-sandbox:bookworm-slim sleep infinity"
	assert_line --index 4 "docker exec -i -w /workspace -e HOME=/workspace -e LANG=C.UTF-8 -e TZ=UTC -e CLAW_EXEC_ID=<id> $NAME /bin/sh -lc true"
}

@test "an agent's docker keys over the defaults; env and ulimits merged; binds concatenated" {
	mkdir -p "$OPENCLAW_STATE_DIR/workspace-ops/a" "$OPENCLAW_STATE_DIR/workspace-ops/b"
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", scope: "session", backend: "docker",
    docker: { memory: "1g", env: { A: "1", B: "2" }, ulimits: { nofile: 100, nproc: 10 },
              binds: ["$OPENCLAW_STATE_DIR/workspace-ops/a:/a"] } } },
  list: [ { id: "main", default: true },
          { id: "ops", sandbox: { docker: { memory: "2g", env: { B: "3" }, ulimits: { nproc: 20 },
                                            binds: ["$OPENCLAW_STATE_DIR/workspace-ops/b:/b"] } } } ] } }
EOF
	jq -cn '{tool: "exec", agent: "ops", args: {command: "true"}}' > "$BATS_TEST_TMPDIR/request"
	run sh -c 'claw-session < "$1" | claw-sandbox' sh "$BATS_TEST_TMPDIR/request"
	assert_success
	run calls
	assert_line --partial " --env A=1 --env B=3 "
	assert_line --partial " --memory 2g --ulimit nofile=100 --ulimit nproc=20 "
	assert_line --partial " -v $OPENCLAW_STATE_DIR/workspace-ops/a:/a -v $OPENCLAW_STATE_DIR/workspace-ops/b:/b openclaw-sandbox:bookworm-slim "
}

# ---- the environment ----

@test "env: credential-looking names never reach the container; loader variables are refused" {
	docker_config '' 'env: { FOO: "bar", OPENAI_API_KEY: "sk-config", GITHUB_TOKEN: "gh", LD_PRELOAD: "/x.so" },'
	export OPENAI_API_KEY=sk-host DB_PASSWORD=hunter2
	run_request 'env' 42 '"env": {"MY_VAR": "1", "A_TOKEN": "t0k", "Slack_Bot_Token": "x"}'
	assert_success
	stderr_has "docker.env.OPENAI_API_KEY dropped: looks like a credential"
	stderr_has "docker.env.LD_PRELOAD dropped"
	stderr_has "args.env.A_TOKEN dropped: it looks like a credential"
	run calls
	assert_line --index 2 --partial " --user $(user_of "$WS") --env FOO=bar --cap-drop ALL "
	assert_line --index 4 "docker exec -i -w /workspace -e HOME=/workspace -e FOO=bar -e MY_VAR=1 -e CLAW_EXEC_ID=<id> $NAME /bin/sh -lc env"
	refute_output --partial sk-
	refute_output --partial hunter2
	refute_output --partial TOKEN
	# What the command saw: only what the -e options gave it.
	run_request 'env' 42
	refute_output --partial sk-host
	refute_output --partial hunter2
	run_request 'true' 42 '"env": {"LD_PRELOAD": "/tmp/evil.so"}'
	assert_equal "$(jqo .deny.reason)" "args.env.LD_PRELOAD may not be set: it steers the dynamic loader (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT)"
}

@test "env: a request cannot set claw's own mark, and every -e carries its value" {
	docker_config
	run_request 'true' 42 '"env": {"CLAW_EXEC_ID": "forged", "EMPTY": ""}'
	assert_success
	line=$(grep '"-lc"' "$FAKEDOCKER_LOG" | tail -1)
	assert_equal "$(jq -c '[.[] | select(startswith("CLAW_EXEC_ID="))] | length' <<< "$line")" 1
	refute [ "$(jq -r '[.[] | select(startswith("CLAW_EXEC_ID="))][0]' <<< "$line")" = CLAW_EXEC_ID=forged ]
	assert_equal "$(jq '[. as $a | range(length) | select($a[.] == "-e") | $a[. + 1] | select(contains("=") | not)] | length' <<< "$line")" 0
	assert_equal "$(jq -c '[.[] | select(. == "EMPTY=")] | length' <<< "$line")" 1
}
