#!/usr/bin/env bats
# claw-approve's argument models (lib/approve/model*.c): every row refuses
# its risky options in every spelling, wrappers and runners are known by
# what they are, destructive segments are reported, and claw-approve(1)'s
# list is the tables'.

load approve-helper

setup() {
	workdir_setup
}

# star_allowlist: every program that resolves is on the list: only the
# models, the wrappers' and runners' tables and self-protection refuse.
star_allowlist() {
	write_approvals <<<'{"version": 1, "defaults": {"askFallback": "deny"},
		"agents": {"main": {"allowlist": [{"pattern": "*"}]}}}'
}

# check_decision COMMAND: "allow" or "deny", as claw-approve check answers for $T/wd.
check_decision() {
	claw-approve check --json --cwd "$T/wd" "$1" | jq -r '.decision'
}

@test "generated: every risky option of every row, short, clustered, long, abbreviated, and -- before every risky operand, is never allowed" {
	star_allowlist
	write_config <<<'{tools: {exec: {security: "allowlist", ask: "on-miss", strictInlineEval: true}}}'
	# Programs a row knows that this machine lacks: empty stand-ins at the end
	# of PATH, so the row (not a missing file) is what refuses.
	mkdir "$T/stand-ins"
	for p in $(claw-approve models --json | jq -r .program | sort -u); do
		command -v "$p" >/dev/null || printf '#!/bin/sh\n' >"$T/stand-ins/$p"
	done
	chmod +x "$T"/stand-ins/* 2>/dev/null || true
	claw-approve models --json | python3 "$BATS_TEST_DIRNAME/approve/models-gen.py" "$T/wd" \
		>"$T/in.jsonl"
	n=$(wc -l <"$T/in.jsonl")
	[ "$n" -ge 800 ] || fail "only $n generated commands"
	PATH="$PATH:$T/stand-ins" claw-approve <"$T/in.jsonl" >"$T/out.jsonl"
	[ "$(wc -l <"$T/out.jsonl")" -eq "$n" ]
	# Refused, and by what the first segment does (not for want of a program).
	run jq -r 'select(.approval.decision != "deny" or .deny == null
		or ((.approval.segments[0].need // "any") == "any")) | .id' "$T/out.jsonl"
	assert_output ""
}

@test "generated: the same spellings of harmless options are allowed (the rows are not refusing everything)" {
	star_allowlist
	for c in 'sort -u f' 'sort -ru f' 'sort --uniq f' 'git log --oneline -5' 'git log --onel'  \
		'git commit -qm x' 'git diff --stat=80' 'tar -tvf x.tar' 'tar tvf x.tar' 'grep -rin x .' \
		'grep --ignore-c x f' 'sed -ne p f' 'sed --quiet -- p f' 'make -sj4' 'date -ud yesterday' \
		'git -C . -c color.ui=never status' 'git --no-pager -P log'; do
		run check_decision "$c"
		[ "$output" = allow ] || fail "refused: $c"
	done
}

@test "claw-approve(1)'s list of models is the tables' (make man-models writes it)" {
	claw-approve models --scdoc >"$T/gen"
	awk '/^; models: generated/ { on = 1; next } /^; models: end/ { on = 0 } on' \
		"$BATS_TEST_DIRNAME/../man/claw-approve.1.scd" >"$T/page"
	run diff -u "$T/page" "$T/gen"
	assert_success
}

@test "claw-approve models prints a program's rows; a program without one exits 1" {
	run claw-approve models sed
	assert_success
	assert_output --partial "sed (also gsed)"
	assert_output --partial "-f, --file VALUE: sed -f reads its script"
	run claw-approve models --json git
	assert_success
	run jq -rs 'map(.sub) | index("commit") != null' <<<"$output"
	assert_output true
	run claw-approve models ls
	assert_failure 1
	assert_output --partial 'no model for "ls"'
}

@test "a wrapper is unwrapped only when it is the system's own file: ./nice, ./NICE, /any/dir/env are unknown programs" {
	dev_allowlist
	command -v nice >/dev/null && command -v env >/dev/null || skip "no nice or env"
	cp "$(command -v nice)" "$T/wd/nice"
	cp "$(command -v nice)" "$T/wd/NICE"
	mkdir "$T/any"
	cp "$(command -v env)" "$T/any/env"
	for c in './nice id' './NICE ls' "$T/any/env ls" './nice -n 5 ls'; do
		run check_decision "$c"
		assert_output deny
	done
	run claw-approve check --cwd "$T/wd" './nice id'
	assert_output --partial "$T/wd/nice: not allowed: no allow-list entry matches"
	run check_decision 'nice -n 5 ls'
	assert_output allow
	run check_decision 'env ls'
	assert_output allow
	# A link to the system's file is that file.
	ln -s "$(command -v nice)" "$T/wd/n"
	run claw-approve check --json --cwd "$T/wd" './n ls'
	run jq -r '.segments[0].wrappers[0]' <<<"$output"
	assert_output nice
}

@test "stdbuf and flock are not seen through (stdbuf works by LD_PRELOAD)" {
	dev_allowlist
	for c in 'stdbuf -oL ls' 'stdbuf -i0 -o0 ls' 'flock /tmp/l ls' 'flock -c ls /tmp/l'; do
		run check_decision "$c"
		assert_output deny
	done
	run claw-approve check --json --cwd "$T/wd" 'stdbuf -oL ls'
	run jq -r '.segments[0].why' <<<"$output"
	assert_output --partial LD_PRELOAD
}

@test "runners, shells and editors ask under a * allow list, by any of their names and through symlink chains" {
	star_allowlist
	for c in prlimit capsh logsave start-stop-daemon setpriv unshare nsenter chroot su sudo \
		flock watch script busybox xargs; do
		command -v "$c" >/dev/null || continue
		run check_decision "$c ls"
		[ "$output" = deny ] || fail "$c ran under *"
	done
	run check_decision 'cmake -E env X=1 ls'
	assert_output deny
	# /usr/bin/editor -> /etc/alternatives/editor -> vim.basic, rebuilt in the scratch dir
	mkdir -p "$T/bin" "$T/alternatives"
	printf '#!/bin/sh\n' >"$T/bin/vim.basic"
	chmod +x "$T/bin/vim.basic"
	ln -s "$T/bin/vim.basic" "$T/alternatives/editor"
	ln -s "$T/alternatives/editor" "$T/bin/editor"
	ln -s "$T/alternatives/editor" "$T/bin/notes"
	ln -s "$(command -v bash)" "$T/bin/ls"
	for c in "$T/bin/editor f" "$T/bin/notes f" "$T/bin/vim.basic f" "$T/bin/ls -c id"; do
		run check_decision "$c"
		[ "$output" = deny ] || fail "allowed: $c"
	done
	run claw-approve check --cwd "$T/wd" "$T/bin/notes f"
	assert_output --partial "an editor runs shell commands"
}

@test "git by another name is git: a git-config link is git config, git-SUB is the subcommand" {
	star_allowlist
	mkdir "$T/bin"
	ln -s "$(command -v git)" "$T/bin/git-config"
	ln -s "$(command -v git)" "$T/bin/g"
	run check_decision "$T/bin/git-config alias.x '!sh'"
	assert_output deny
	run check_decision "$T/bin/git-config --get user.name"
	assert_output allow
	run check_decision "$T/bin/g -c core.pager=sh log"
	assert_output deny
	run check_decision "$T/bin/g status"
	assert_output allow
}

@test "strictInlineEval asks under security=full, as OpenClaw does, and no fallback allows it" {
	write_config <<<'{tools: {exec: {security: "full", strictInlineEval: true}}}'
	write_approvals <<<'{"version": 1, "defaults": {"askFallback": "full"}}'
	for c in 'python3 -c 1' 'python3 -m timeit 1' 'python3 /dev/stdin' "perl '-Mstrict' x.pl" \
		'node --import=data:text/javascript,1 x.js' 'echo 1 | python3'; do
		run claw-approve check --json --cwd "$T/wd" "$c"
		assert_failure 1
		run jq -r '"\(.decision) \(.asked) \(.reason)"' <<<"$output"
		assert_output "deny strict-inline-eval approval-timeout (strict-inline-eval)"
	done
	run check_decision 'python3 x.py'
	assert_output allow
	write_config <<<'{tools: {exec: {security: "full"}}}'
	run check_decision 'python3 -c 1'
	assert_output allow
}

@test "check shows what each segment deletes or replaces, and whether a trash could keep it" {
	wide_allowlist
	mkdir -p "$T/wd/build" "$T/wd/d"
	touch "$T/wd/g" "$T/wd/d/f"
	run claw-approve check --cwd "$T/wd" 'rm -rf build && cp f g && mv f d && shred -u g'
	assert_output --partial "deletes build and all below it (rm -r removes it and all below it; a trash could keep it)"
	assert_output --partial "replaces g (cp writes over it; a trash could keep it)"
	assert_output --partial "replaces d (a file of the same name in this directory is replaced"
	assert_output --partial "deletes g (shred overwrites it beyond recovery; not recoverable)"
	run claw-approve check --json --cwd "$T/wd" 'rm -rf build; cp f new; dd if=f of=/dev/null'
	run jq -c '[.segments[] | .destroys]' <<<"$output"
	assert_output '[[{"path":"build","use":"delete","recover":"trash","tree":true}],null,null]'
	run claw-approve check --json --cwd "$T/wd" 'git clean -fdx; git reset --hard; git stash drop'
	run jq -c '[.segments[] | .destroys[0] | [.path, .use, .recover]]' <<<"$output"
	assert_output '[[".","delete","trash"],[".","overwrite","trash"],["refs/stash","delete","never"]]'
	# The filter's approval member carries it too.
	record 'rm -r build' "$T/wd" | claw-approve | jq -c '.approval.segments[0].destroys' >"$T/m"
	run cat "$T/m"
	assert_output '[{"path":"build","use":"delete","recover":"trash","tree":true}]'
}

@test "writes follow the kernel: a symlink out of the working directory, .. through a link, a dangling link" {
	wide_allowlist
	ln -s /var/lib "$T/wd/link"
	ln -s /etc "$T/wd/etc"
	ln -s "$T/nowhere/x" "$T/wd/dangling"
	mkdir "$T/wd/sub"
	ln -s /etc/ssl "$T/wd/sub/ssl"
	for c in 'cp f link/x' 'cp f etc/claw-x' 'cp f dangling' 'cp f sub/ssl/../claw-x' \
		'sed -i s/a/b/ etc/hosts' 'rm -rf link/' 'tee etc/claw-x'; do
		run check_decision "$c"
		[ "$output" = deny ] || fail "allowed: $c"
	done
	run check_decision 'cp f sub/x'
	assert_output allow
	# Below /tmp new files only: nothing there is removed or replaced.
	run check_decision "cp f $T/new"
	assert_output allow
	touch "$T/old"
	for c in "cp f $T/old" "rm $T/old" "sed -i s/a/b/ $T/old" "tee $T/old"; do
		run check_decision "$c"
		[ "$output" = deny ] || fail "allowed: $c"
	done
}

@test "a file with other hard links is never written through (its other names may be anywhere)" {
	wide_allowlist
	ln /etc/hostname "$T/wd/hl" 2>/dev/null || skip "no hard link to /etc/hostname here"
	for c in 'tee hl' 'cp f hl' 'dd if=f of=hl' 'sed -i s/a/b/ hl'; do
		run check_decision "$c"
		[ "$output" = deny ] || fail "allowed: $c"
	done
	run check_decision 'rm hl'
	assert_output allow
}

@test "after a cd, a path a model writes is relative to an unknown directory and asks" {
	wide_allowlist
	write_config <<<'{tools: {exec: {security: "allowlist", ask: "on-miss"}}}'
	write_claw_config <<<'{approvals: {exec: {allowShellBuiltins: true}}}'
	run check_decision 'cp f g'
	assert_output allow
	run check_decision 'cd /etc && cp /tmp/x hosts'
	assert_output deny
}

@test "denial reasons are right: a \$ before a quote or a blank is literal, a real expansion says so" {
	dev_allowlist
	run check_decision 'grep -E "x$" f'
	assert_output allow
	run check_decision 'echo costs $ 5'
	assert_output allow
	run claw-approve check --cwd "$T/wd" 'echo "$HOME"'
	assert_output --partial "parameter expansion '\$' at byte 7"
	refute_output --partial locale
	run claw-approve check --cwd "$T/wd" 'echo $"x"'
	assert_output --partial "locale quoting"
}
