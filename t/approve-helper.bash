# t/approve-helper.bash: what the claw-approve tests share (load approve-helper).
load helper

# The commands are judged against a fixed, ordinary PATH, so the answers do
# not depend on the PATH of whoever runs the tests.
APPROVE_PATH=/usr/local/bin:/usr/bin:/bin

setup() {
	common_setup
	T=$BATS_TEST_TMPDIR
	export PATH="$CLAW_BIN:$APPROVE_PATH"
	cd "$T"
}

# A typical developer's allow list: bare names, for agent main.
DEV_NAMES="git ls cat grep find head tail wc sort uniq cut tr diff echo printf mkdir touch cp mv
make cc gcc python3 jq tar gzip date stat du df basename dirname realpath readlink sha256sum env
nl tee which id whoami uname seq expr sleep printenv comm paste tac rev od base64 md5sum cmp pwd
test true false sed awk node npm ln chmod"

# write_approvals: exec-approvals.json from standard input.
write_approvals() {
	cat >"$OPENCLAW_STATE_DIR/exec-approvals.json"
}

# dev_allowlist [DEFAULTS_JSON]: the typical allow list, with optional defaults.
dev_allowlist() {
	local defaults=${1:-'{}'}
	printf '%s\n' $DEV_NAMES | jq -R . | jq -s --argjson d "$defaults" \
		'{version: 1, defaults: $d, agents: {main: {allowlist: map({pattern: .})}}}' |
		write_approvals
}

# workdir_setup: as setup, in $T/wd (a working directory beside the state
# dir, with a file f).
workdir_setup() {
	common_setup
	T=$BATS_TEST_TMPDIR
	export PATH="$CLAW_BIN:$APPROVE_PATH"
	mkdir -p "$T/wd"
	touch "$T/wd/f"
	cd "$T/wd"
}

# The typical list and the risky programs the models know: for attempts that
# must be refused by a model, not merely for lack of an entry.
RISKY_NAMES="rm rmdir unlink shred truncate dd install ssh scp sftp less more man zip unzip
rsync perl cmake npx gawk"

# wide_allowlist [DEFAULTS_JSON]: the typical list and the risky programs.
wide_allowlist() {
	local defaults=${1:-'{}'}
	printf '%s\n' $DEV_NAMES $RISKY_NAMES | jq -R . | jq -s --argjson d "$defaults" \
		'{version: 1, defaults: $d, agents: {main: {allowlist: map({pattern: .})}}}' |
		write_approvals
}

# record COMMAND [WORKDIR]: an exec request for COMMAND.
record() {
	jq -cn --arg c "$1" --arg w "${2:-$T}" '{id: "t", tool: "exec", args: {command: $c, workdir: $w}}'
}

# approval COMMAND [WORKDIR]: the approval member claw-approve gives COMMAND.
approval() {
	record "$@" | claw-approve | jq -c .approval
}

# decision COMMAND: "allow" or "deny".
decision() {
	record "$1" | claw-approve | jq -r .approval.decision
}
