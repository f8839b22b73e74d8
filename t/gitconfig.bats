#!/usr/bin/env bats
# lib/core/gitconfig.c, which claw-sandbox uses to find what a repository's
# config names for git to run (claw-sandbox(1), Persistence paths), against
# git itself: for each file, the variables git lists are the ones claw reads.

load helper

UNIT="${CLAW_PROBES:?}/../unit"

# same_as_git: the file "$BATS_TEST_TMPDIR/config", read by both.
same_as_git() {
	local f=$BATS_TEST_TMPDIR/config
	want=$(git config --file "$f" --list) || fail "git refuses the file"
	run "$UNIT/gitconfig-list" "$f"
	assert_success
	assert_output "$want"
}

setup() {
	command -v git >/dev/null || skip "git is not installed"
}

@test "gitconfig: sections, subsections, keys in any case, bare keys and comments" {
	printf '%s\n' '# comment' '; another' '[Core]' '	HooksPath = .husky/_' '	bare' \
		'[filter "LFS"]' '	clean = git-lfs clean -- %f' '[includeIf "gitdir:~/w/"]' \
		'	path = ../x.cfg' '[a-b.C-d] k = v' > "$BATS_TEST_TMPDIR/config"
	same_as_git
}

@test "gitconfig: quotes, escapes, inline comments, continued lines, CR LF" {
	printf '%s\n' '[alias]' '	x = "!sh -c \"echo a;b\" #no" # yes' '	y = a\' '  b' \
		'	z = "  spaced  "   trailing   ' '	t = a\tb\\c' '	e =' '[core]' \
		'	pager = less ; comment' > "$BATS_TEST_TMPDIR/config"
	printf '[crlf]\r\n\tk = v\r\n' >> "$BATS_TEST_TMPDIR/config"
	same_as_git
}

@test "gitconfig: subsections with quotes and backslashes, the old dotted syntax" {
	printf '%s\n' '[remote "a \"q\" b\\c"]' '	url = u' '[Section.SubSection]' '	k = v' \
		'[s "x"]k=1' > "$BATS_TEST_TMPDIR/config"
	same_as_git
}
