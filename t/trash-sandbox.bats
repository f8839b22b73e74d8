#!/usr/bin/env bats
# A sandboxed run's changes to a writable workspace or bind can be undone:
# the run writes into an overlay, claw-sandbox merges it at the end and keeps
# what it replaced in the run's journal; claw undo SEQ puts it back.

load helper
load sandbox

setup() {
	common_setup
	AGENT_WS="$OPENCLAW_STATE_DIR/workspace"
	mkdir -p "$AGENT_WS"
	LOG="$OPENCLAW_STATE_DIR/audit/decisions.jsonl"
	sandbox_config 'workspaceAccess: "rw",'
	seed "$AGENT_WS"
}

# seed DIR: files, a tree, modes and old timestamps, owned by the sandbox's user.
seed() {
	mkdir -p "$1/tree/deep"
	printf 'keep me\n' >"$1/a.txt"
	printf 'old b\n' >"$1/b.txt"
	printf 'deep\n' >"$1/tree/deep/f"
	printf '#!/bin/sh\n' >"$1/run.sh"
	chmod 750 "$1/run.sh"
	chmod 640 "$1/a.txt"
	touch -d '2020-01-02 03:04:05' "$1/a.txt" "$1/b.txt" "$1/tree/deep/f" "$1/run.sh"
	owned "$1"
}

# owned DIR: DIR belongs to the sandbox's user (as root, nobody; else the caller).
owned() {
	if [ "$(id -u)" = 0 ]; then chown -R 65534:65534 "$1"; fi
}

# snap DIR: every path under DIR with its kind, mode, size, mtime (files) and content hash.
snap() {
	(cd "$1" && find . -mindepth 1 -newermt @1 \( -type d -printf '%p d %m\n' \) -o \
		\( -type f -printf '%p f %m %s %T@ ' -exec sh -c 'sha256sum < "$1" | cut -c1-16' sh {} \; \) -o \
		\( -type l -printf '%p l %l\n' \) | sort)
}

# journals: the runs' journals (not the trees' reused layers, nor overlayfs's scratch).
journals() {
	ls "$OPENCLAW_STATE_DIR/journal" 2>/dev/null | grep -v -x -e layers -e garbage || true
}

# run_sb CMD: CMD through the whole pipeline, in the sandbox's /workspace; LAST the record,
# SEQ its decision's seq in the log (what claw undo takes).
run_sb() {
	LAST=$(jq -cn --arg c "$1" '{tool: "exec", args: {command: $c, workdir: "/workspace"}}' |
		claw run)
	SEQ=$(last .audit.seq)
}

last() {
	jq -r "$@" <<<"$LAST"
}

@test "claw undo after a run that deleted, overwrote and created files: the workspace as it was" {
	before=$(snap "$AGENT_WS")
	run_sb 'rm a.txt; echo new > b.txt; echo c > c.txt; rm -r tree; mkdir tree; echo n > tree/n; chmod 700 run.sh'
	assert_equal "$(last .result.exit)" 0
	[ ! -e "$AGENT_WS/a.txt" ] && [ -e "$AGENT_WS/c.txt" ]
	assert_equal "$(cat "$AGENT_WS/b.txt")" new
	# The log says what was journaled, with sizes.
	assert_equal "$(last '.result.journal.changes | map("\(.change) \(.path | sub(".*/workspace/"; ""))") | sort | join(",")')" \
		"created c.txt,deleted a.txt,replaced b.txt,replaced run.sh,replaced tree"
	assert_equal "$(last '.result.journal.changes[] | select(.path | endswith("a.txt")) | .bytes')" 8
	# ... in the run's end entry, written after the merge.
	assert_equal "$(jq -c "select(.end.decision == $SEQ) | .result.journal" "$LOG")" \
		"$(last -c .result.journal)"
	run claw-audit show
	assert_line --regexp "^ +$SEQ .* exit 0 undo "
	run claw undo "$SEQ"
	assert_success
	assert_equal "$(snap "$AGENT_WS")" "$before"
	run claw-audit show
	refute_output --partial "undo "
	run claw undo "$SEQ"
	assert_failure 2
	assert_output --partial "undone already"
}

@test "undo is refused where a later run changed the same files; --force undoes it anyway" {
	run_sb 'echo first > b.txt'
	first=$SEQ
	run_sb 'echo second > b.txt; echo other > other.txt'
	run claw undo "$first"
	assert_failure 1
	assert_output --partial "$AGENT_WS/b.txt: changed again by the later run"
	assert_output --partial "--force"
	assert_equal "$(cat "$AGENT_WS/b.txt")" second
	# Someone else's edit after the run counts too.
	run_sb 'echo third > c.txt'
	echo mine >"$AGENT_WS/c.txt"
	run claw undo "$SEQ"
	assert_failure 1
	assert_output --partial "$AGENT_WS/c.txt: changed since the run"
	run claw undo --force "$first"
	assert_success
	assert_equal "$(cat "$AGENT_WS/b.txt")" "old b"
	# What was in the way is kept in the first run's journal, not lost.
	run grep -rl second "$OPENCLAW_STATE_DIR/journal"
	assert_success
}

@test "a run that changes nothing keeps no journal" {
	run_sb 'cat a.txt > /dev/null; ls'
	assert_equal "$(last .result.exit)" 0
	assert_equal "$(last '.result.journal // "none"')" none
	run journals
	assert_output ""
	run claw undo "$SEQ"
	assert_failure 2
	assert_output --partial "no sandboxed run of seq $SEQ kept a journal"
}

@test "every destructive command in the sandbox can be undone" {
	command -v git >/dev/null || skip "no git"
	(cd "$AGENT_WS" && export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory \
		GIT_CONFIG_VALUE_0='*' && git init -q . && git add a.txt b.txt &&
		git -c user.name=t -c user.email=t@t commit -qm t && echo changed >a.txt &&
		echo u >untracked && owned "$AGENT_WS")
	cmds=('rm -rf tree' 'rmdir tree/deep || true' 'unlink b.txt' 'shred -u b.txt' 'truncate -s 0 a.txt'
		'find . -name f -delete' 'git clean -fdx || true' 'git reset --hard || true'
		'git checkout -- a.txt || true' 'git restore a.txt || true' 'git stash drop || true'
		'git stash clear || true' 'mv a.txt b.txt' 'cp run.sh b.txt' 'dd if=run.sh of=a.txt status=none'
		'mkdir -p src && echo s > src/s && rsync -a --delete src/ tree/ || true')
	for c in "${cmds[@]}"; do
		before=$(snap "$AGENT_WS")
		run_sb "$c"
		run claw undo "$SEQ"
		[ "$status" -eq 0 ] || [[ "$output" == *"no sandboxed run"* ]] || fail "$c: $output"
		assert_equal "$c: $(snap "$AGENT_WS")" "$c: $before"
	done
}

@test "a persistence path the run writes at the top never reaches the workspace, nor the journal" {
	# Root's placeholders are out of the user's reach in the overlay as they are where the
	# tree is shown as it is: by ownership (through the sandbox's id map) or a mount.
	run_sb 'echo evil > .bashrc; rm -f .bashrc; mv .npmrc npmrc; rm -rf .git; mkdir -p .vscode && echo x > .vscode/tasks.json; echo ok > fine.txt'
	assert_equal "$(last .result.stderr | grep -c 'busy\|Value too large')" 3
	[ ! -s "$AGENT_WS/.bashrc" ] && [ ! -e "$AGENT_WS/.vscode/tasks.json" ] && [ ! -e "$AGENT_WS/npmrc" ]
	assert_equal "$(cat "$AGENT_WS/fine.txt")" ok
	assert_equal "$(last '[.result.journal.changes[] | .path | sub(".*/"; "")] | join(",")')" \
		"fine.txt"
}

@test "a read-write bind is journaled too" {
	mkdir -p "$BATS_TEST_TMPDIR/data"
	seed "$BATS_TEST_TMPDIR/data"
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", scope: "session", workspaceAccess: "rw",
  docker: { binds: ["$BATS_TEST_TMPDIR/data:/data:rw"], dangerouslyAllowExternalBindSources: true } } } } }
EOF
	before=$(snap "$BATS_TEST_TMPDIR/data")
	run_sb 'rm /data/a.txt; echo x > /data/b.txt'
	assert_equal "$(last .result.exit)" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/data/b.txt")" x
	run claw undo "$SEQ"
	assert_success
	assert_equal "$(snap "$BATS_TEST_TMPDIR/data")" "$before"
}

@test "the workspace bound again read-write is one overlay, seen at both places, undone once" {
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", scope: "session", workspaceAccess: "rw",
  docker: { binds: ["$AGENT_WS:/repos:rw"], dangerouslyAllowExternalBindSources: true } } } } }
EOF
	before=$(snap "$AGENT_WS")
	run_sb 'echo x > /repos/new; cat /workspace/new; rm /workspace/a.txt; ls /repos'
	assert_equal "$(last .result.exit)" 0
	assert_equal "$(last .result.stdout | head -1)" x
	last .result.stdout | grep -q -x new && ! last .result.stdout | grep -q a.txt
	[ -e "$AGENT_WS/new" ] && [ ! -e "$AGENT_WS/a.txt" ]
	run claw undo "$SEQ"
	assert_success
	assert_equal "$(snap "$AGENT_WS")" "$before"
}

@test "a read-write bind inside the workspace is that part of its overlay: one tree at both places, undone once" {
	write_config <<EOF
{ agents: { defaults: { sandbox: { mode: "all", scope: "session", workspaceAccess: "rw",
  docker: { binds: ["$AGENT_WS/tree:/mnt/tree:rw"], dangerouslyAllowExternalBindSources: true } } } } }
EOF
	before=$(snap "$AGENT_WS")
	run_sb 'rm /mnt/tree/deep/f && echo n > /mnt/tree/n && ls /workspace/tree/deep && cat /workspace/tree/n && echo y > /workspace/tree/m && cat /mnt/tree/m'
	assert_equal "$(last .result.exit)" 0
	# What the run wrote at one place it saw at the other.
	assert_equal "$(last .result.stdout)" "$(printf 'n\ny')"
	[ ! -e "$AGENT_WS/tree/deep/f" ] && [ -e "$AGENT_WS/tree/n" ] && [ -e "$AGENT_WS/tree/m" ]
	assert_equal "$(last '.result.journal.changes | length')" 3
	run claw undo "$SEQ"
	assert_success
	assert_equal "$(snap "$AGENT_WS")" "$before"
}

@test "as root the overlay's id map is kept with the installation's namespaces: reused, gone with rm --all" {
	[ "$(id -u)" = 0 ] || skip "only root runs the sandbox as ids of its own"
	run_sb 'echo x > one.txt'
	assert_equal "$(last .result.exit)" 0
	ws=$(ls -d "$OPENCLAW_STATE_DIR"/sandboxes/*/)
	ws=${ws%/}
	netns=$(find /run/claw -path '*/netns/*' -name "${ws##*/}")
	pins=${netns%/netns/*}/userns
	[ "$(ls "$pins" | wc -l)" = 2 ]
	before=$(stat -c %i "$pins"/*)
	run_sb 'echo y > two.txt'
	assert_equal "$(last .result.exit)" 0
	assert_equal "$(stat -c %i "$pins"/*)" "$before"
	run claw-sandbox rm --all
	assert_success
	[ ! -e "$pins" ]
}

@test "the journal's budget: the oldest runs go first, and then cannot be undone" {
	native_config 'undoMaxMb: 0.01,'
	head -c 6000 /dev/zero >"$AGENT_WS/big1" && head -c 6000 /dev/zero >"$AGENT_WS/big2"
	owned "$AGENT_WS"
	run_sb 'rm big1'
	first=$SEQ
	run claw undo list
	assert_line --regexp "^ +$first "
	run_sb 'rm big2'
	run claw undo list
	refute_line --regexp "^ +$first "
	assert_line --regexp "^ +$SEQ "
	run claw undo "$first"
	assert_failure 2
	assert_output --partial "no journal"
}

@test "the journal's age limit: a run older than undoMaxAgeDays goes at the next run" {
	native_config 'undoMaxAgeDays: 1,'
	run_sb 'rm a.txt'
	old=$(journals)
	# As if it ran in 2001 (the id starts with its time in milliseconds).
	mv "$OPENCLAW_STATE_DIR/journal/$old" "$OPENCLAW_STATE_DIR/journal/0978307200000-${old#*-}"
	run_sb 'rm b.txt'
	run journals
	refute_output --partial 0978307200000
	assert_equal "$(echo "$output" | wc -l)" 1
}

@test "undoMaxMb 0: no overlay, no journal, the run writes the workspace itself" {
	native_config 'undoMaxMb: 0,'
	run_sb 'rm a.txt'
	assert_equal "$(last '.result.journal // "none"')" none
	[ ! -e "$AGENT_WS/a.txt" ]
	[ ! -e "$OPENCLAW_STATE_DIR/journal" ]
}

@test "as an ordinary user: the run is journaled and undone the same way" {
	user_setup
	before=$(snap "$AGENT_WS")
	# A run first that writes nothing: the next reuses its layers, and clears overlayfs's
	# scratch (mode 0, made by the kernel) as the user.
	LAST=$(as_user bash -c "cd '$BATS_TEST_TMPDIR' && jq -cn '{tool: \"exec\", args: {command: \"cat a.txt\", workdir: \"/workspace\"}}' | claw run")
	assert_equal "$(last .result.stdout)" "keep me"
	LAST=$(as_user bash -c "cd '$BATS_TEST_TMPDIR' && jq -cn '{tool: \"exec\", args: {command: \"rm a.txt; echo u > b.txt; echo n > n.txt\", workdir: \"/workspace\"}}' | claw run")
	assert_equal "$(last .result.exit)" 0
	[ ! -e "$AGENT_WS/a.txt" ]
	seq=$(last .audit.seq)
	assert_equal "$(stat -c %U "$OPENCLAW_STATE_DIR/journal")" "$TEST_USER"
	run as_user claw undo "$seq"
	assert_success
	chown -R 65534:65534 "$AGENT_WS" 2>/dev/null || true
	assert_equal "$(snap "$AGENT_WS" | sed 's/ [0-9]*\.[0-9]* / T /')" "$(echo "$before" | sed 's/ [0-9]*\.[0-9]* / T /')"
}

@test "claw undo: usage" {
	run claw undo
	assert_failure 2
	run claw undo abc
	assert_failure 2
	run claw undo --json 3
	assert_failure 2
	run claw-undo --help
	assert_success
	assert_output --partial "usage: claw-undo"
	run claw undo list
	assert_success
	assert_output --regexp '^ +SEQ +STARTED +JOURNAL$'
}

@test "claw-sandbox exec: its run is on the log with its journal, listed and undone by its seq" {
	before=$(snap "$AGENT_WS")
	run claw-sandbox exec -- sh -c 'echo changed >/workspace/b.txt; rm /workspace/a.txt'
	assert_success
	seq=$(jq -r 'select(.end and .result.journal) | .end.decision' "$LOG")
	[ -n "$seq" ]
	run claw undo list
	assert_line --regexp "^ +$seq "
	run claw undo "$seq"
	assert_success
	assert_equal "$(snap "$AGENT_WS")" "$before"
}
