#!/usr/bin/env bats
# claw-sandbox's docker backend, against t/fakedocker.c: the exact calls for a
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
	# The native backend's result, member for member.
	assert_equal "$(jqo -c '.result | del(.ms)')" '{"exit":3,"signal":null,"timedOut":false,"stdout":"out\n","stderr":"err\n","stdoutBytes":4,"stderrBytes":4,"truncated":false}'
	[ "$(jqo .result.ms)" -ge 0 ]
	[ -d "$WS" ]
}

@test "later runs: the container is current and running, so only inspect and exec" {
	docker_config
	run_request 'true'
	: > "$FAKEDOCKER_LOG"
	run_request 'echo again'
	assert_success
	expect_calls <<EOF
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
	run sh -c 'claw-session < "$1" | claw-audit log | claw-sandbox' sh "$BATS_TEST_TMPDIR/request"
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

# ---- the config hash and OpenClaw's recreate rule ----

@test "config hash: sha256 of OpenClaw's object with sorted keys (checked against jq -S)" {
	docker_config '' 'memory: "1g", env: { TZ: "UTC", LANG: "C.UTF-8" },'
	key=agent:main:telegram:default:direct:42
	run claw-sandbox explain --json --session "$key"
	assert_success
	ws=$(jqo .workspaceDir)
	want=$(jq -cS -n --arg a "$AGENT_WS" --arg w "$ws" '{
	  agentWorkspaceDir: $a, mountFormatVersion: 2, workspaceAccess: "none", workspaceDir: $w,
	  docker: { image: "openclaw-sandbox:bookworm-slim", containerPrefix: "openclaw-sbx-",
	    workdir: "/workspace", readOnlyRoot: true, tmpfs: ["/tmp", "/var/tmp", "/run"],
	    network: "none", capDrop: ["ALL"], memory: "1g", env: { TZ: "UTC", LANG: "C.UTF-8" } } }' |
	  tr -d '\n' | sha256sum | cut -d' ' -f1)
	assert_equal "$(jqo .docker.configHash)" "$want"
	# The label the container gets is that hash; the same config gives the same hash.
	run_request true
	assert_equal "$(jq -r --arg n "$NAME" '.containers[$n].labels["openclaw.configHash"]' "$FAKEDOCKER_STATE")" "$want"
	assert_equal "$(hash_of)" "$want"
	docker_config '' 'memory: "2g", env: { TZ: "UTC", LANG: "C.UTF-8" },'
	[ "$(hash_of)" != "$want" ]
}

@test "recreate rule: a changed config within 5 minutes of use keeps the container and says how to recreate" {
	docker_config
	run_request true
	docker_config '' 'memory: "1g",'
	run_request 'echo kept'
	assert_success
	assert_equal "$(jqo .result.stdout)" kept
	assert_equal "$stderr" "claw-sandbox: Sandbox config changed for $NAME (recently used). Recreate to apply: claw-sandbox rm --container --session agent:main:telegram:default:direct:42"
	run calls
	assert_equal "$(grep -c ' create ' <<< "$output")" 1
	refute_line --partial " rm "
	# The hint does what it says: the next run makes the container anew.
	run claw-sandbox rm --container --session agent:main:telegram:default:direct:42
	assert_success
	assert_output "removed container $NAME"
	[ -d "$WS" ]
	: > "$FAKEDOCKER_LOG"
	run_request true
	run calls
	assert_line --index 0 "docker inspect --type container $NAME"
	assert_line --index 1 "docker image inspect openclaw-sandbox:bookworm-slim"
	assert_line --index 2 --partial " --memory 1g "
}

@test "recreate rule: after the 5-minute window the container is removed and created anew" {
	docker_config
	run_request true
	docker_config '' 'memory: "1g",'
	touch -d '6 minutes ago' "$OPENCLAW_STATE_DIR/sandboxes/$(jqo .session.slug).json"
	: > "$FAKEDOCKER_LOG"
	run_request 'echo fresh'
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jqo .result.stdout)" fresh
	expect_calls <<EOF
docker inspect --type container $NAME
docker rm -f $NAME
docker image inspect openclaw-sandbox:bookworm-slim
$(default_create | sed 's/ --workdir / --memory 1g --workdir /')
docker start $NAME
docker exec -i -w /workspace -e HOME=/workspace -e LANG=C.UTF-8 -e CLAW_EXEC_ID=<id> $NAME /bin/sh -lc "echo fresh"
EOF
	# Current again: the next run only execs.
	: > "$FAKEDOCKER_LOG"
	run_request true
	run calls
	assert_equal "${#lines[@]}" 2
}

@test "recreate rule: a stopped container with an old hash is recreated at once; a current one is started" {
	docker_config
	run_request true
	jq --arg n "$NAME" '.containers[$n].running = false' "$FAKEDOCKER_STATE" > "$FAKEDOCKER_STATE.new" && mv "$FAKEDOCKER_STATE.new" "$FAKEDOCKER_STATE"
	: > "$FAKEDOCKER_LOG"
	run_request true
	run calls
	assert_equal "${lines[0]}" "docker inspect --type container $NAME"
	assert_equal "${lines[1]}" "docker start $NAME"
	assert_equal "${#lines[@]}" 3
	jq --arg n "$NAME" '.containers[$n].running = false' "$FAKEDOCKER_STATE" > "$FAKEDOCKER_STATE.new" && mv "$FAKEDOCKER_STATE.new" "$FAKEDOCKER_STATE"
	docker_config '' 'cpus: 2,'
	: > "$FAKEDOCKER_LOG"
	run_request true
	run calls
	assert_equal "${lines[1]}" "docker rm -f $NAME"
	assert_line --index 3 --partial " --cpus 2 "
}

@test "recreate rule: a running container with no known last use counts as recently used (OpenClaw made it)" {
	docker_config
	run claw-sandbox explain --json --session agent:main:telegram:default:direct:42
	name=$(jqo .name) key=$(jqo .scopeKey)
	container "$name" "{\"running\": true, \"image\": \"openclaw-sandbox:bookworm-slim\",
	  \"labels\": {\"openclaw.sandbox\": \"1\", \"openclaw.sessionKey\": \"$key\", \"openclaw.configHash\": \"0000\"}}"
	run_request 'echo reused'
	assert_equal "$(jqo .result.stdout)" reused
	stderr_has "Sandbox config changed for $name (recently used)"
	run calls
	assert_equal "${#lines[@]}" 2
}

@test "recreate hint: by scope, as OpenClaw's (session, agent, shared)" {
	for scope in agent shared; do
		engine '{"images": ["openclaw-sandbox:bookworm-slim"], "containers": {}}'
		docker_config "scope: \"$scope\","
		run_request true
		docker_config "scope: \"$scope\"," 'pidsLimit: 10,'
		run_request true
		case $scope in
		agent) stderr_has "Recreate to apply: claw-sandbox rm --container --agent main" ;;
		shared) stderr_has "Recreate to apply: claw-sandbox rm --container --all" ;;
		esac
	done
}

# ---- containers that are not ours ----

@test "a container of that name that is not a sandbox, or serves another scope, is never entered" {
	docker_config
	run claw-sandbox explain --json --session agent:main:telegram:default:direct:42
	name=$(jqo .name)
	container "$name" '{"running": true, "image": "postgres:16", "labels": {}}'
	run_request "touch $BATS_TEST_TMPDIR/ran"
	assert_equal "$(jqo .deny.reason)" "container $name exists but is not an OpenClaw sandbox (it has no label openclaw.sandbox=1): remove or rename it"
	container "$name" '{"running": true, "image": "openclaw-sandbox:bookworm-slim",
	  "labels": {"openclaw.sandbox": "1", "openclaw.sessionKey": "agent:other:main"}}'
	run_request "touch $BATS_TEST_TMPDIR/ran"
	[[ "$(jqo .deny.reason)" == "container $name serves the scope \"agent:other:main\", not \"agent:main:telegram:default:direct:42:workspace:"* ]]
	run calls
	assert_equal "$output" "docker inspect --type container $name"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

# ---- errors: a denial or 125, never the host ----

@test "errors: no docker on PATH, engine unreachable, image missing, create failing; nothing runs on the host" {
	docker_config
	write_claw_config <<<'{ agents: { defaults: { sandbox: { docker: { binary: "no-such-engine" } } } } }'
	run_request "touch $BATS_TEST_TMPDIR/ran"
	assert_equal "$(jqo .deny.reason)" 'the container engine'"'"'s program "no-such-engine" is not on PATH: install Docker or Podman, or name it in agents.defaults.sandbox.docker.binary'
	run claw-sandbox exec -- touch "$BATS_TEST_TMPDIR/ran"
	assert_failure 125
	assert_output --partial 'is not on PATH'
	rm "$CLAW_CONFIG"
	docker_config
	engine '{"images": ["openclaw-sandbox:bookworm-slim"], "containers": {}, "down": true}'
	run_request "touch $BATS_TEST_TMPDIR/ran"
	assert_equal "$(jqo .deny.reason)" "cannot reach the container engine (docker inspect): Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
	run claw-sandbox exec -- touch "$BATS_TEST_TMPDIR/ran"
	assert_failure 125
	engine '{"images": [], "containers": {}}'
	run_request "touch $BATS_TEST_TMPDIR/ran"
	assert_equal "$(jqo .deny.reason)" "Sandbox image not found: openclaw-sandbox:bookworm-slim. Build or pull it first."
	run calls
	assert_equal "${#lines[@]}" 2
	engine '{"images": ["openclaw-sandbox:bookworm-slim"], "containers": {}, "fail": {"create": "Error response from daemon: no space left on device"}}'
	run_request "touch $BATS_TEST_TMPDIR/ran"
	assert_equal "$(jqo .deny.reason)" "docker create failed (exit 125): Error response from daemon: no space left on device"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "errors: once docker exec started, its status is the result (docker's own failure too)" {
	docker_config
	run_request 'exit 0'
	jq --arg n "$NAME" 'del(.containers[$n])' "$FAKEDOCKER_STATE" > "$FAKEDOCKER_STATE.new" && mv "$FAKEDOCKER_STATE.new" "$FAKEDOCKER_STATE"
	run -127 claw-sandbox exec --session agent:main:telegram:default:direct:42 -- no-such-program
	# The container was made again, then the program was not found in it: docker's 127.
	assert_failure 127
	assert_output --partial 'executable file not found'
}

# ---- dry runs ----

@test "dry run: the filter prints the calls it would make, makes none that change anything" {
	docker_config '' 'setupCommand: "apt-get update",'
	FILTER_OPTS=--dry-run run_request "touch $BATS_TEST_TMPDIR/ran"
	assert_success
	assert_equal "$(jqo -c .sandbox)" "{\"where\":\"sandbox\",\"backend\":\"docker\",\"name\":\"$NAME\",\"workdir\":\"/workspace\",\"network\":\"none\",\"dryRun\":true}"
	assert_equal "$(jqo .result)" null
	assert_equal "$(jqo .deny)" null
	# Only questions were asked of the engine; the rest is on stderr, one JSON array a call.
	expect_calls <<EOF
docker inspect --type container $NAME
docker image inspect openclaw-sandbox:bookworm-slim
EOF
	printf '%s\n' "$stderr" > "$FAKEDOCKER_LOG"
	WS="$OPENCLAW_STATE_DIR/sandboxes/$(jqo .session.slug)"
	expect_calls <<EOF
$(default_create)
docker start $NAME
docker exec -i $NAME /bin/sh -lc "apt-get update"
docker exec -i -w /workspace -e HOME=/workspace -e LANG=C.UTF-8 -e CLAW_EXEC_ID=<id> \\
  $NAME /bin/sh -lc "touch $BATS_TEST_TMPDIR/ran"
EOF
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	[ ! -e "$WS" ]
	assert_equal "$(jq -c .containers "$FAKEDOCKER_STATE")" '{}'
}

@test "dry run: with a current container only the exec would run; without an engine it assumes none" {
	docker_config
	run_request true
	: > "$FAKEDOCKER_LOG"
	FILTER_OPTS=--dry-run run_request 'echo hi'
	assert_equal "$(wc -l <<< "$stderr")" 1
	assert_equal "$(jq -r '.[1]' <<< "$stderr")" exec
	engine '{"images": [], "containers": {}, "down": true}'
	FILTER_OPTS=--dry-run run_request 'echo hi'
	assert_equal "$(jqo .sandbox.dryRun)" true
	assert_equal "$(sed -n 1p <<< "$stderr")" "claw-sandbox: dry run: cannot reach the container engine (docker inspect): Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?; assuming no container and the image present"
	assert_equal "$(sed -n '2,$p' <<< "$stderr" | jq -r '.[1]' | paste -sd ' ')" "create start exec"
	docker_config
	write_claw_config <<<'{ agents: { defaults: { sandbox: { docker: { binary: "no-such-engine" } } } } }'
	FILTER_OPTS=--dry-run run_request 'echo hi'
	stderr_has 'dry run: the container engine'"'"'s program "no-such-engine" is not on PATH'
	assert_equal "$(sed -n '2,$p' <<< "$stderr" | jq -r '.[0:2] | join(" ")' | paste -sd ,)" "no-such-engine create,no-such-engine start,no-such-engine exec"
}

@test "dry run: claw-sandbox exec prints on stdout and exits 0; host and native runs print their command" {
	docker_config
	run --separate-stderr claw-sandbox exec --dry-run -- ls -l '/a b'
	assert_success
	assert_equal "$(sed -n '$p' <<< "$output" | jq -c '.[-3:]')" '["ls","-l","/a b"]'
	assert_equal "$(sed -n '$p' <<< "$output" | jq -r '.[1]')" exec
	run calls
	refute_line --partial " create "
	write_config <<<'{ agents: { defaults: { sandbox: { mode: "non-main" } } } }'
	jq -cn '{tool: "exec", args: {command: "echo host"}}' | claw-session > "$BATS_TEST_TMPDIR/rec"
	run --separate-stderr claw-sandbox --dry-run < "$BATS_TEST_TMPDIR/rec"
	assert_equal "$(jqo -c '[.sandbox.where, .sandbox.dryRun, .result]')" '["host",true,null]'
	assert_equal "$stderr" '["/bin/sh","-c","echo host"]'
	run claw-sandbox list --dry-run
	assert_failure 2
	run claw-sandbox prune --container
	assert_failure 2
}

@test "claw-sandbox exec on a terminal: docker exec -t, and TERM passed" {
	docker_config
	run python3 "$BATS_TEST_DIRNAME/ptyrun.py" -t 10 -- env TERM=xterm-256color claw-sandbox exec -- true
	assert_success
	line=$(grep '"exec"' "$FAKEDOCKER_LOG" | grep -v '"-lc"' | tail -1)
	assert_equal "$(jq -c '.[1:4]' <<< "$line")" '["exec","-i","-t"]'
	assert_equal "$(jq -c '[.[] | select(startswith("TERM="))]' <<< "$line")" '["TERM=xterm-256color"]'
	run claw-sandbox exec -- true < /dev/null
	line=$(grep '"exec"' "$FAKEDOCKER_LOG" | tail -1)
	assert_equal "$(jq -c '.[1:4]' <<< "$line")" '["exec","-i","-w"]'
}

# ---- timeouts, output, status ----

@test "timeout: the client is killed and so is the command inside the container, by its mark" {
	docker_config
	run_request 'sleep 30' 42 '"timeout": 1'
	assert_success
	assert_equal "$(jqo .result.timedOut)" true
	assert_equal "$(jqo .result.signal)" SIGKILL
	run calls
	assert_equal "${lines[-1]}" "docker exec $NAME /bin/sh -c <kill-script> claw-sandbox-kill <id>"
	exec_line=$(sed -n '$p' "$FAKEDOCKER_LOG" | jq -c .) run_line=$(grep '"-lc"' "$FAKEDOCKER_LOG" | tail -1)
	id=$(jq -r '.[-1]' <<< "$exec_line")
	assert_equal "$(jq -r '[.[] | select(startswith("CLAW_EXEC_ID="))][0]' <<< "$run_line")" "CLAW_EXEC_ID=$id"
	# The script kills what carries the mark (however detached) and nothing else.
	script=$(jq -r '.[5]' <<< "$exec_line")
	env CLAW_EXEC_ID="$id" sleep 300 &
	marked=$!
	env -i CLAW_EXEC_ID="$id" PATH=/usr/bin:/bin sh -c 'exec sleep 301' &
	marked2=$!
	env CLAW_EXEC_ID=another sleep 302 &
	other=$!
	run sh -c "$script" claw-sandbox-kill "$id"
	assert_success
	run -137 wait "$marked"
	run -137 wait "$marked2"
	kill -0 "$other"
	kill "$other"
}

@test "output: the tail of each stream, 200000 characters at most, as the native backend keeps it" {
	docker_config
	run_request 'head -c 300000 /dev/zero | tr "\0" x; echo END; echo oops >&2; exit 4'
	assert_equal "$(jqo .result.truncated)" true
	assert_equal "$(jqo '.result.stdout | length')" 200000
	assert_equal "$(jq -c '.result.stdout[-4:]' <<< "$output")" '"END\n"'
	assert_equal "$(jqo .result.stderr)" oops
	assert_equal "$(jqo .result.exit)" 4
	# docker exec reports a signal as 128+N: exit 143, signal null (see claw-sandbox(1)).
	run_request 'kill -TERM $$'
	assert_equal "$(jqo -c '[.result.exit, .result.signal]')" '[143,null]'
}

@test "claw-sandbox exec: the argv after the name, not through a shell; the status passed through" {
	docker_config
	run claw-sandbox exec -- sh -c 'echo "$0 $HOME"; exit 5' 'a;b'
	assert_failure 5
	assert_output "a;b /workspace"
	run jq -c '.[-4:]' <<< "$(grep '"exec"' "$FAKEDOCKER_LOG" | tail -1)"
	assert_output '["sh","-c","echo \"$0 $HOME\"; exit 5","a;b"]'
	run claw-sandbox exec --timeout 1 -- sleep 30
	assert_failure 124
}

# ---- what must not be injectable ----

@test "adversarial: a command full of shell syntax is one argument after -lc" {
	docker_config
	cmd='a=1; echo "$a" `echo b` $(printf c) | cat > /dev/null && echo ok; # --privileged -v /:/host'
	run_request "$cmd"
	assert_equal "$(jqo .result.stdout)" ok
	line=$(grep '"-lc"' "$FAKEDOCKER_LOG" | tail -1)
	assert_equal "$(jq -r '.[-1]' <<< "$line")" "$cmd"
	assert_equal "$(jq -r '.[-2]' <<< "$line")" -lc
	assert_equal "$(jq -r '.[-4]' <<< "$line")" "$NAME"
	refute [ "$(jq '[.[] | select(. == "--privileged")] | length' <<< "$line")" != 0 ]
}

@test "adversarial: a container prefix or image that would read as an option is refused" {
	for prefix in '--privileged-' '-v/:/host-' 'a b' 'x;reboot-' '.hidden-'; do
		docker_config '' "containerPrefix: \"$prefix\","
		run_request true
		assert_equal "$(jqo .deny.by)" claw-sandbox
		[[ "$(jqo .deny.reason)" == "docker.containerPrefix \"$prefix\" gives the container name"*"which Docker does not allow"* ]]
	done
	for image in '--privileged' '-v' 'ubuntu latest' ''; do
		docker_config '' "image: \"$image\","
		run_request true
		assert_equal "$(jqo .deny.reason)" "docker.image \"$image\" is not an image name"
	done
	assert_equal "$(calls)" ""
	run claw-sandbox exec -- true
	assert_failure 126
}

@test "adversarial: a session key full of options stays inside its label; the name is the slug" {
	docker_config
	key='agent:main:x --privileged -v /:/host $(reboot)'
	jq -cn --arg k "$key" '{tool: "exec", sessionKey: $k, args: {command: "true"}}' > "$BATS_TEST_TMPDIR/request"
	run sh -c 'claw-session < "$1" | claw-audit log | claw-sandbox' sh "$BATS_TEST_TMPDIR/request"
	assert_success
	scope=$(jqo .session.scopeKey)
	[[ "$scope" == "agent:main:x --privileged -v /:/host \$(reboot):workspace:"* ]]
	create=$(grep '"create"' "$FAKEDOCKER_LOG")
	assert_equal "$(jq -r --arg s "openclaw.sessionKey=$scope" '[.[] | select(. == $s)] | length' <<< "$create")" 1
	assert_equal "$(jq '[.[] | select(. == "--privileged" or . == "/:/host")] | length' <<< "$create")" 0
	[[ "$(jqo .sandbox.name)" =~ ^openclaw-sbx-workspace-[0-9a-f]{32}$ ]]
}

@test "the real docker CLI, where there is one, parses every call claw makes" {
	real=$(PATH=${PATH#"$BATS_TEST_TMPDIR/bin:"} command -v docker) || skip "no docker CLI here"
	mkdir -p "$AGENT_WS/data"
	docker_config 'workspaceAccess: "ro",' "setupCommand: \"true\", binds: [\"$AGENT_WS/data:/data:ro\"], memory: \"1g\",
	  ulimits: { nofile: { soft: 1, hard: 2 } }, dns: [\"1.1.1.1\"], extraHosts: [\"a:10.0.0.1\"], pidsLimit: 5, cpus: 0.5"
	run_request 'sleep 5' 42 '"timeout": 1, "env": {"A": "b c"}'
	claw-sandbox rm --all >/dev/null
	[ "$(wc -l < "$FAKEDOCKER_LOG")" -ge 8 ]
	# Against a socket nobody listens on, a call that parses fails only to connect.
	while IFS= read -r line; do
		mapfile -t argv < <(jq -r '.[1:][]' <<< "$line" | head -c 100000)
		[ "${argv[0]}" = exec ] && [ "${argv[3]}" = -c ] && argv=(exec "${argv[1]}" /bin/sh -c : x y)
		run env DOCKER_HOST="unix://$BATS_TEST_TMPDIR/nobody.sock" "$real" "${argv[@]}"
		assert_failure
		assert_output --regexp "(Cannot connect to the Docker daemon|failed to connect to the docker API|dial unix)"
	done < "$FAKEDOCKER_LOG"
}

# ---- podman, remote engines ----

@test "podman: the same calls under its name; DOCKER_HOST and CONTAINER_HOST reach it untouched" {
	docker_config
	write_claw_config <<<'{ agents: { defaults: { sandbox: { docker: { binary: "podman" } } } } }'
	export DOCKER_HOST=tcp://10.0.0.7:2376 CONTAINER_HOST=ssh://core@10.0.0.8/run/podman/podman.sock
	export FAKEDOCKER_ENVLOG="$BATS_TEST_TMPDIR/env.jsonl"
	run_request 'env'
	assert_success
	run calls
	assert_equal "$(cut -d' ' -f1 <<< "$output" | sort -u)" podman
	assert_line --index 2 --regexp "^podman create --name $NAME --label openclaw.sandbox=1 "
	assert_equal "$(sort -u "$FAKEDOCKER_ENVLOG")" '{"DOCKER_HOST": "tcp://10.0.0.7:2376", "CONTAINER_HOST": "ssh://core@10.0.0.8/run/podman/podman.sock"}'
	run_request 'env'
	refute_output --partial 10.0.0.
}

# ---- two runs at once ----

@test "two runs of a new scope at once create one container" {
	docker_config
	# Two decisions of the same scope (one decision runs once: claw-record(7)).
	for r in a b; do
		jq -cn '{tool: "exec", origin: {channel: "telegram", chat: "direct", peer: "7"}, args: {command: "true"}}' |
			claw-session | claw-audit log > "$BATS_TEST_TMPDIR/rec.$r"
	done
	claw-sandbox < "$BATS_TEST_TMPDIR/rec.a" > "$BATS_TEST_TMPDIR/a" &
	claw-sandbox < "$BATS_TEST_TMPDIR/rec.b" > "$BATS_TEST_TMPDIR/b" &
	wait
	assert_equal "$(jq -r .result.exit "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b" | paste -sd ' ')" "0 0"
	run calls
	assert_equal "$(grep -c ' create ' <<< "$output")" 1
}

# ---- explain, list, rm, prune ----

@test "explain: the container it would create, and how the one there compares" {
	docker_config '' 'memory: "1g",'
	key=agent:main:telegram:default:direct:42
	run claw-sandbox explain --session "$key"
	assert_success
	assert_line "  engine            docker"
	assert_line "  container         not created yet"
	run claw-sandbox explain --json --session "$key"
	norm='map(sub("^openclaw.createdAtMs=[0-9]+$"; "openclaw.createdAtMs=<ms>"))'
	said=$(jq -c ".docker.create | $norm" <<< "$output")
	assert_equal "$(jqo .docker.container)" null
	run_request true
	assert_equal "$(grep '"create"' "$FAKEDOCKER_LOG" | jq -c "$norm")" "$said"
	run claw-sandbox explain --session "$key"
	assert_line "  container         running, image matches, config hash matches"
	docker_config '' 'memory: "2g",'
	run claw-sandbox explain --session "$key"
	assert_line "  container         running, image matches, config changed (claw-sandbox rm --container recreates it)"
	run claw-sandbox explain --json --session "$key"
	assert_equal "$(jqo -c '.docker.container | [.running, .imageMatch, .hashMatch]')" '[true,true,false]'
	engine '{"images": [], "containers": {}, "down": true}'
	run claw-sandbox explain --session "$key"
	assert_success
	assert_line --partial "  container         unknown: cannot reach the container engine"
}

@test "list: workspaces and containers, running, image and config compared; OpenClaw's containers too" {
	docker_config
	run_request true
	ours=$NAME
	container openclaw-sbx-agent-main-cron-x-0123abcd '{"running": false, "image": "openclaw-sandbox-common:bookworm-slim",
	  "labels": {"openclaw.sandbox": "1", "openclaw.sessionKey": "agent:main:cron:x", "openclaw.createdAtMs": "1700000000000"}}'
	container unrelated '{"running": true, "image": "postgres:16", "labels": {}}'
	run claw-sandbox list --json
	assert_success
	assert_equal "$(jqo 'length')" 2
	assert_equal "$(jqo -c --arg n "$ours" '.[] | select(.name == $n) | [.path != null, .container.running, .container.imageMatch, .container.hashMatch, .container.engine]')" '[true,true,true,true,"docker"]'
	assert_equal "$(jqo -c '.[] | select(.name == "openclaw-sbx-agent-main-cron-x-0123abcd") | [.path, .lastUsedAtMs, .createdAtMs, .agent, .container.running, .container.imageMatch, .container.hashMatch]')" '[null,null,1700000000000,"main",false,false,false]'
	run claw-sandbox list
	assert_line --regexp "^$ours +[0-9]+s ago +[0-9]+s ago +running +agent:main:telegram:default:direct:42:workspace:"
	assert_line --regexp "^openclaw-sbx-agent-main-cron-x-0123abcd +[0-9]+d ago +- +stopped,image-differs,config-changed +agent:main:cron:x$"
	engine '{"images": [], "containers": {}, "down": true}'
	run --separate-stderr claw-sandbox list --json
	assert_failure 1
	assert_equal "$(jqo -c '[.[].name, .[].container]')" "[\"$ours\",null]"
	stderr_has "cannot reach the container engine (docker ps)"
}

@test "rm: --container removes only the container (OpenClaw's recreate); without it the workspace too" {
	docker_config
	run_request true 42
	n42=$NAME ws42=$WS
	run_request true 43
	n43=$NAME ws43=$WS
	: > "$FAKEDOCKER_LOG"
	run claw-sandbox rm --container --session agent:main:telegram:default:direct:42
	assert_success
	assert_output "removed container $n42"
	[ -d "$ws42" ]
	run calls
	assert_line "docker rm -f $n42"
	run claw-sandbox rm --session agent:main:telegram:default:direct:43
	assert_output "removed $n43"
	[ ! -e "$ws43" ]
	assert_equal "$(jq -c '.containers | keys' "$FAKEDOCKER_STATE")" '[]'
	# The workspace left behind has no container: --container passes it by, rm --all takes it.
	run claw-sandbox rm --container --all
	assert_output ""
	run claw-sandbox rm --all
	assert_output "removed $n42"
	[ ! -e "$ws42" ]
	assert_equal "$(ls -A "$OPENCLAW_STATE_DIR/sandboxes")" ""
}

@test "rm and prune keep a docker sandbox's workspace when the engine cannot be asked" {
	docker_config
	run_request true
	engine '{"images": [], "containers": {}, "down": true}'
	run --separate-stderr claw-sandbox rm --all
	assert_failure 1
	stderr_has "cannot reach the container engine (docker ps)"
	stderr_has "$NAME kept: its container engine could not be asked"
	[ -d "$WS" ]
	touch -d '3 days ago' "$WS.json"
	run --separate-stderr claw-sandbox prune
	assert_failure 1
	[ -d "$WS" ]
}

@test "prune: idle sandboxes and containers older than maxAgeDays, with their workspaces" {
	docker_config
	run_request true 42
	idle=$NAME idle_ws=$WS
	run_request true 43
	fresh=$NAME
	touch -d '3 days ago' "$OPENCLAW_STATE_DIR/sandboxes/$(basename "$idle_ws").json"
	old=$(( ($(date +%s) - 8 * 86400) * 1000 ))
	container openclaw-sbx-old-0000aaaa "{\"running\": true, \"image\": \"x\",
	  \"labels\": {\"openclaw.sandbox\": \"1\", \"openclaw.sessionKey\": \"agent:main:old\", \"openclaw.createdAtMs\": \"$old\"}}"
	young=$(( ($(date +%s) - 86400) * 1000 ))
	container openclaw-sbx-young-0000bbbb "{\"running\": true, \"image\": \"x\",
	  \"labels\": {\"openclaw.sandbox\": \"1\", \"openclaw.sessionKey\": \"agent:main:young\", \"openclaw.createdAtMs\": \"$young\"}}"
	run claw-sandbox prune
	assert_success
	assert_output "removed openclaw-sbx-old-0000aaaa (too old)
removed $idle (idle)"
	[ ! -e "$idle_ws" ]
	assert_equal "$(jq -c '.containers | keys' "$FAKEDOCKER_STATE")" "[\"$fresh\",\"openclaw-sbx-young-0000bbbb\"]"
}
