# t/trash.bash: what the trash tests share (load trash).
load approve-helper
load sandbox # user_setup, as_user (its setup and teardown are replaced below)

setup() {
	workdir_setup
	HOME_TRASH="$HOME/.local/share/Trash"
	LOG="$OPENCLAW_STATE_DIR/audit/decisions.jsonl"
	trash_config true
	wide_allowlist
}

teardown() { common_teardown; }

# trash_config true|false [ASK]: host runs, allow list and ask on-miss (or ASK), the trash on or off.
trash_config() {
	write_config <<<"{ tools: { exec: { security: \"allowlist\", ask: \"${2:-on-miss}\" } } }"
	write_claw_config <<<"{ approvals: { exec: { trash: $1 } } }"
}

# run_host CMD: the command line CMD through the whole pipeline on the host (claw run),
# in the working directory, with nobody to ask (a question falls back to askFallback: deny).
# LAST is the record that comes out; STATUS its exit, or "denied: REASON".
run_host() {
	LAST=$(record "$1" "$PWD" | claw run --no-tty)
	STATUS=$(jq -r 'if .deny then "denied: \(.deny.reason)" else .result.exit end' <<<"$LAST")
}

# last FILTER: jq -r FILTER on the log's last entry.
last() {
	jq -r "$@" <<<"$LAST"
}

# trashed_paths: the paths the last run put in the trash, one a line.
trashed_paths() {
	last '.result.trashed // [] | .[].path'
}

# in_trash NAME [TRASH]: the content of files/NAME in the trash (the home trash by default).
in_trash() {
	cat "${2:-$HOME_TRASH}/files/$1"
}

# stamp FILE: mode, size and modification time, to compare before and after.
stamp() {
	stat -c '%a %s %Y %U' "$1"
}

# ---- another file system ----

# on_tmpfs DIR OPTIONS CMD...: CMD as root in a mount namespace of its own where a
# fresh tmpfs (mount OPTIONS) is mounted on DIR.
on_tmpfs() {
	local dir=$1 opts=$2
	shift 2
	[ "$(id -u)" = 0 ] || skip "mounts a tmpfs"
	unshare -m --propagation private sh -c 'mount -t tmpfs -o "$1" none "$2" && shift 2 && exec "$@"' \
		sh "$opts" "$dir" "$@"
}
