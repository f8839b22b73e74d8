#!/usr/bin/env bats
# Self-protection by identity: every way of spelling a path to claw's state, as
# root and as an ordinary user, with a config that would otherwise run anything.

bats_require_minimum_version 1.5.0

load helper
load guard

setup() {
	guard_test_setup
}

@test "paths through /proc, /dev/fd, .. and the working directory lead to the state" {
	for s in $(settings); do
		all_guarded "$s" <<EOF
cat $STATE/openclaw.json
cat /proc/self/root$STATE/openclaw.json
cat /proc/thread-self/root$STATE/exec-approvals.json
cat /proc/self/cwd/../state/openclaw.json
cat /proc/self/cwd/../../$(basename "$T")/state/audit/decisions.jsonl
cat /dev/fd/../root$STATE/openclaw.json
cat ../state/openclaw.json
cat $T/work/../state/./approvals/../openclaw.json
cat $T//state///openclaw.json
ls ../state
ls ../state/approvals
tee ../state/approvals/0000.answer
touch ../state/new-file
cp x ../state/exec-approvals.json
rm -rf ../state/audit
git log --format=x ../state/exec-approvals.json
ls --directory=../state
cat /proc/$$/root$STATE/openclaw.json
EOF
	done
}

@test "cd: relative words are judged where the cd may have led" {
	for s in $(settings); do
		all_guarded "$s" <<EOF
cd .. && cat state/openclaw.json
cd $T && cd state && cat openclaw.json
cd /tmp ; cd $T ; ls state
cd ../state && ls
EOF
	done
}

@test "symlinks and hard links to the state, the config and the allow-list" {
	ln -s "$STATE" "$T/work/link"
	ln -s "$STATE/openclaw.json" "$T/work/cfg"
	ln -s "$T/work/cfg" "$T/work/cfg2"
	ln -s /proc/self/cwd "$T/work/here"
	ln "$CONFIG" "$T/hard-config"
	ln "$STATE/exec-approvals.json" "$T/hard-approvals"
	ln "$STATE/audit/decisions.jsonl" "$T/hard-log"
	for s in $(settings); do
		all_guarded "$s" <<EOF
cat link/openclaw.json
ls link
cat cfg
cat cfg2
cat here/link/openclaw.json
cat here/../state/openclaw.json
cat $T/hard-config
cp x ../hard-approvals
truncate -s 0 ../hard-log
EOF
	done
}

@test "a working directory inside the state dir, however it is named" {
	ln -s "$STATE/approvals" "$T/work/pending"
	for s in $(settings); do
		for w in "$STATE" "$STATE/approvals" "$STATE/audit/.." "$T/work/pending" \
			"$T/work/../state"; do
			all_guarded "$s" "$w" <<<"pwd"
		done
	done
}

@test "the agent's workspace inside the state dir is the agent's, not claw's" {
	echo hello >"$STATE/workspace/notes"
	for s in $(settings); do
		all_pass "$s" "$STATE/workspace" <<EOF
cat notes
ls
pwd
cp notes notes2
EOF
		all_guarded "$s" "$STATE/workspace" <<EOF
cat ../openclaw.json
ls ..
EOF
	done
}

@test "a config and claw.json kept elsewhere, and a config that does not exist yet" {
	mkdir -p "$T/etc"
	echo '{ tools: { exec: { security: "full" } } }' >"$T/etc/claw.json5"
	echo '{}' >"$T/etc/claw-own.json"
	export OPENCLAW_CONFIG_PATH=$T/etc/claw.json5 CLAW_CONFIG_PATH=$T/etc/claw-own.json
	for s in $(settings); do
		all_guarded "$s" <<EOF
cat $T/etc/claw.json5
cat ../etc/claw-own.json
sed -n 1p /proc/self/cwd/../etc/claw.json5
EOF
	done
	all_pass root <<<"cat $T/etc/other"
	# A config that does not exist (the secure preset applies): creating it would configure claw.
	unset CLAW_CONFIG_PATH
	export OPENCLAW_CONFIG_PATH=$T/etc/missing.json5
	for s in $(settings); do
		all_guarded "$s" <<EOF
touch $T/etc/missing.json5
tee ../etc/missing.json5
EOF
	done
}

@test "claw's programs by identity: a symlink, a hard link, a copy, a script that runs one" {
	cp "$CLAW_BIN/claw-approve" "$T/work/helper"
	ln -s "$CLAW_BIN/claw-approve" "$T/work/ca"
	ln "$CLAW_BIN/claw-approve" "$T/work/hard" 2>/dev/null || cp "$CLAW_BIN/claw-approve" "$T/work/hard"
	for s in $(settings); do
		all_guarded "$s" <<EOF
./helper allowlist add /bin/sh
./ca resolve abcd allow-always
./hard pending
$CLAW_BIN/claw-approve pending
env ./helper pending
cp /bin/true $CLAW_BIN/claw-approve
EOF
	done
}

@test "searching for and listing things named claw passes" {
	for s in $(settings); do
		all_pass "$s" "$T/proj" <<EOF
grep -rn claw .
grep -rn openclaw.json .
ls projects/claw
cat projects/claw/notes
echo claw
echo openclaw.json exec-approvals.json
ls -la
cat /dev/stdin
git log --format=%H
find . -name claw
EOF
	done
}

@test "a command claw cannot resolve, that may write, asks" {
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null || skip "runs as root to become an ordinary user"
	mkdir -m 700 "$T/closed"
	all_guarded user <<EOF
touch $T/closed/x
EOF
}
