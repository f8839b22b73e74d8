#!/usr/bin/env bats
# approvals.exec.trash on the host: what an approved command deletes or
# overwrites goes to the freedesktop.org trash first; what cannot asks.

load trash

# ---- claw-trash: the trash itself ----

@test "claw-trash put, list and restore: content, mode and timestamps come back" {
	printf 'one\n' >'a b%.txt'
	chmod 640 'a b%.txt'
	touch -d '2020-02-03 04:05:06' 'a b%.txt'
	mkdir -p d/e && printf 'x\n' >d/e/f && chmod 750 d && touch -d '2019-01-01' d/e/f
	before_a=$(stamp 'a b%.txt') before_f=$(stamp d/e/f) before_d=$(stat -c %a d)
	run claw-trash put 'a b%.txt' d
	assert_success
	[ ! -e 'a b%.txt' ] && [ ! -e d ]
	# The specification's layout: files/NAME and info/NAME.trashinfo, Path URL-escaped.
	run cat "$HOME_TRASH/info/a b%.txt.trashinfo"
	assert_line --index 0 '[Trash Info]'
	assert_line --index 1 "Path=$(printf %s "$PWD" | sed 's/ /%20/g')/a%20b%25.txt"
	assert_line --index 2 --regexp '^DeletionDate=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$'
	run cat "$HOME_TRASH/directorysizes"
	assert_output --regexp '^[0-9]+ [0-9]+ d$'
	run claw-trash list --json
	assert_success
	assert_equal "$(jqr -s 'map(.path) | sort | join(",")')" "$PWD/a b%.txt,$PWD/d"
	assert_equal "$(jqr -s 'map(select(.dir)) | .[0].files')" 3
	run claw-trash list
	assert_output --partial "$PWD/d/"
	run claw-trash restore 'a b%.txt' "$PWD/d"
	assert_success
	assert_equal "$(cat 'a b%.txt')" one
	assert_equal "$(stamp 'a b%.txt')" "$before_a"
	assert_equal "$(stamp d/e/f)" "$before_f"
	assert_equal "$(stat -c %a d)" "$before_d"
	run claw-trash list
	assert_output ""
	run cat "$HOME_TRASH/directorysizes"
	assert_output ""
}

@test "claw-trash restore refuses to overwrite, and --force puts what is in the way in the trash" {
	echo old >f
	claw-trash put f
	echo new >f
	run claw-trash restore f
	assert_failure 1
	assert_output --partial "exists: restore refused"
	assert_equal "$(cat f)" new
	run claw-trash restore --force f
	assert_success
	assert_equal "$(cat f)" old
	run claw-trash list --json
	assert_equal "$(jqr -s 'length')" 1
	assert_equal "$(in_trash f.2)" new
}

@test "claw-trash restore of a directory brings back every entry below it, newest of each" {
	mkdir -p p/q && echo 1 >p/q/x && echo 2 >p/y
	claw-trash put p/q/x
	echo 3 >p/q/x
	claw-trash put p/q/x p/y
	run claw-trash restore p
	assert_success
	assert_equal "$(cat p/q/x) $(cat p/y)" "3 2"
	run claw-trash list --json
	assert_equal "$(jqr -s 'length')" 1
}

@test "claw-trash empty --older-than keeps what is newer" {
	echo a >old && echo b >new
	claw-trash put old new
	sed -i 's/^DeletionDate=.*/DeletionDate=2001-01-01T00:00:00/' "$HOME_TRASH/info/old.trashinfo"
	run claw-trash empty --older-than 30d
	assert_success
	run claw-trash list --json
	assert_equal "$(jqr -s 'map(.path) | join(",")')" "$PWD/new"
	[ ! -e "$HOME_TRASH/files/old" ]
	run claw-trash empty --older-than 3x
	assert_failure 2
	run claw-trash empty
	assert_success
	run claw-trash list
	assert_output ""
}

@test "claw-trash reads what gio trash put there, and gio's layout is claw's" {
	command -v gio >/dev/null || skip "no gio"
	echo g >'gio file'
	gio trash 'gio file'
	run claw-trash list --json
	assert_equal "$(jqr .path)" "$PWD/gio file"
	run claw-trash restore 'gio file'
	assert_success
	assert_equal "$(cat 'gio file')" g
	# What claw writes, gio wrote the same way (first two lines of each info file).
	gio trash 'gio file'
	head -2 "$HOME_TRASH/info/gio file.trashinfo" >"$T/gio-info"
	claw-trash restore 'gio file'
	claw-trash put 'gio file'
	run diff "$T/gio-info" <(head -2 "$HOME_TRASH/info/gio file.trashinfo")
	assert_success
}

@test "claw-trash: usage, --help and --version" {
	run claw-trash
	assert_failure 2
	run claw-trash frob
	assert_failure 2
	run claw-trash list --force
	assert_failure 2
	run claw-trash --help
	assert_success
	assert_output --partial "usage: claw-trash list"
	run claw-trash --version
	assert_output --regexp '^claw-trash [0-9.]+$'
	run claw trash put nothing-here
	assert_failure 1
	assert_output --partial "nothing-here"
}

@test "a file on another file system goes to that file system's .Trash-UID" {
	mkdir "$T/mnt"
	run on_tmpfs "$T/mnt" mode=1777 sh -c '
		mkdir "$1/mnt/dir" && echo m >"$1/mnt/dir/f" && cd "$1/mnt/dir" &&
		claw-trash put f && ls -a "$1/mnt/.Trash-0/files" && cat "$1/mnt/.Trash-0/info/f.trashinfo" &&
		claw-trash list --json && claw-trash restore f && cat f' sh "$T"
	assert_success
	assert_line "Path=dir/f"
	assert_line --partial "\"path\":\"$T/mnt/dir/f\""
	assert_line --partial "\"trash\":\"$T/mnt/.Trash-0\""
	assert_line m
	[ ! -e "$HOME_TRASH/files/f" ]
}

@test "an administrator's sticky .Trash is used as .Trash/UID; a file system with no usable trash is refused" {
	mkdir "$T/mnt"
	run on_tmpfs "$T/mnt" mode=1777 sh -c '
		mkdir -m 1777 "$1/mnt/.Trash" && echo s >"$1/mnt/s" && claw-trash put "$1/mnt/s" &&
		cat "$1/mnt/.Trash/0/files/s"' sh "$T"
	assert_success
	assert_output s
	user_setup
	run on_tmpfs "$T/mnt" mode=755 sh -c '
		touch "$1/mnt/u" && chown '"$TEST_USER"' "$1/mnt/u" && chown -R '"$TEST_USER"' "$1/home" &&
		setpriv --reuid='"$TEST_USER"' --regid='"$TEST_USER"' --clear-groups --inh-caps=-all -- \
			env HOME="$1/home" claw-trash put "$1/mnt/u"' sh "$T"
	assert_failure 1
	assert_output --partial "no usable trash on the file system at $T/mnt"
}

# ---- host runs ----

@test "rm -rf DIR becomes a move into the trash; the log says what went where, with sizes" {
	mkdir -p build/sub && printf '12345' >build/sub/o && touch -d 2021-01-01 build/sub/o
	run_host 'rm -rf build'
	assert_equal "$STATUS" 0
	[ ! -e build ]
	assert_equal "$(last '.approval.trash.keep[0] | "\(.how) \(.path)"')" "move $PWD/build"
	assert_equal "$(last '.result.trashed[0] | "\(.path) \(.how) \(.files) \(.name)"')" \
		"$PWD/build move 3 build"
	[ "$(last '.result.trashed[0].bytes')" -ge 5 ]
	assert_equal "$(in_trash build/sub/o)" 12345
	# The decision log holds it too.
	assert_equal "$(tail -n 1 "$LOG" | jq -r '.result.trashed[0].path')" "$PWD/build"
	claw-trash restore build
	assert_equal "$(stat -c %Y build/sub/o)" "$(date -d 2021-01-01 +%s)"
}

@test "rm keeps its own behaviour: no -f needs the file, a missing one is its error, -v prints" {
	echo a >a
	run_host 'rm a'
	assert_equal "$STATUS" 0
	assert_equal "$(last .result.stderr)" ""
	assert_equal "$(in_trash a)" a
	echo b >b
	run_host 'rm -v b missing'
	assert_equal "$STATUS" 1
	assert_equal "$(last .result.stdout)" "removed 'b'"
	assert_equal "$(last .result.stderr)" "rm: cannot remove 'missing': No such file or directory"
	assert_equal "$(trashed_paths)" "$PWD/b"
	# A directory without -r: rm refuses it, and it stays where it is.
	mkdir dir && touch dir/x
	run_host 'rm dir'
	assert_equal "$STATUS" 1
	[ -e dir/x ]
	assert_equal "$(trashed_paths)" ""
}

@test "what the command leaves alone is put back where it was" {
	mkdir keep && echo k >keep/k
	run_host 'false && rm -rf keep'
	assert_equal "$STATUS" 1
	assert_equal "$(cat keep/k)" k
	assert_equal "$(trashed_paths)" ""
	run claw-trash list
	assert_output ""
}

@test "rmdir and unlink: the file unlink removes is kept; an empty directory has nothing to lose" {
	mkdir empty && echo u >u
	run_host 'rmdir empty && unlink u'
	assert_equal "$STATUS" 0
	[ ! -e empty ] && [ ! -e u ]
	assert_equal "$(trashed_paths)" "$PWD/u"
	assert_equal "$(in_trash u)" u
}

@test "cp and mv onto an existing target keep the old target; into a directory, the file replaced" {
	echo new >new && echo old >old && mkdir dir && echo inside >dir/new
	chmod 600 old && touch -d 2018-05-05 old
	before=$(stamp old)
	run_host 'cp new old'
	assert_equal "$STATUS" 0
	assert_equal "$(cat old)" new
	assert_equal "$(in_trash old)" old
	run_host 'mv new dir'
	assert_equal "$STATUS" 0
	assert_equal "$(cat dir/new)" new
	assert_equal "$(trashed_paths)" "$PWD/dir/new"
	assert_equal "$(in_trash new)" inside
	rm old
	claw-trash restore old
	assert_equal "$(stamp old)" "$before"
	assert_equal "$(cat old)" old
}

@test "a copy of a file the command did not change is dropped again" {
	echo same >same
	run_host 'cp same same'
	assert_equal "$STATUS" 1
	assert_equal "$(trashed_paths)" ""
	run claw-trash list
	assert_output ""
}

@test "truncate and dd of=FILE rewrite in place: a copy taken first keeps the old contents" {
	printf 'long contents\n' >t1 && printf 'disk image\n' >img && printf 'zz' >z
	run_host 'truncate -s 0 t1 && dd if=z of=img conv=notrunc status=none'
	assert_equal "$STATUS" 0
	assert_equal "$(in_trash t1)" "long contents"
	assert_equal "$(in_trash img)" "disk image"
	assert_equal "$(cat img)" "zzsk image"
}

@test "git clean -fdx moves the untracked files first, tracked ones stay" {
	git init -q && echo t >tracked && git add tracked && git -c user.name=t -c user.email=t@t commit -qm t
	mkdir -p junk/deep && echo j >junk/deep/j && echo u >untracked.txt && echo i >ignored.o
	echo '*.o' >.gitignore
	run_host 'git clean -fdx'
	assert_equal "$STATUS" 0
	assert_equal "$(last .result.stdout)" "$(printf 'Removing .gitignore\nRemoving f\nRemoving ignored.o\nRemoving junk/\nRemoving untracked.txt')"
	[ -e tracked ] && [ ! -e junk ] && [ ! -e untracked.txt ]
	assert_equal "$(trashed_paths | sort | tr '\n' ' ')" \
		"$PWD/.gitignore $PWD/f $PWD/ignored.o $PWD/junk $PWD/untracked.txt "
	assert_equal "$(in_trash junk/deep/j)" j
	run claw-trash restore "$PWD"
	assert_success
	assert_equal "$(cat junk/deep/j untracked.txt ignored.o)" "$(printf 'j\nu\ni')"
}

@test "git reset --hard and git checkout/restore PATH keep the changes they throw away" {
	git init -q && echo 1 >a && echo 1 >b && git add a b && git -c user.name=t -c user.email=t@t commit -qm t
	echo changed >a && echo staged >b && git add b
	run_host 'git reset --hard'
	assert_equal "$STATUS" 0
	assert_equal "$(cat a b)" "$(printf '1\n1')"
	assert_equal "$(trashed_paths | sort | tr '\n' ' ')" "$PWD/a $PWD/b "
	assert_equal "$(in_trash a)" changed
	echo again >a && echo more >b
	run_host 'git checkout -- a && git restore b'
	assert_equal "$STATUS" 0
	assert_equal "$(in_trash a.2) $(in_trash b.2)" "again more"
}

@test "not recoverable asks whatever the allow list says: shred, dd onto a device, git stash drop, a reset to another commit, find -delete, rsync --delete" {
	git init -q && echo 1 >a && git add a && git -c user.name=t -c user.email=t@t commit -qm t
	echo s >secret && mkdir src dst
	for c in 'shred secret' 'dd if=secret of=/dev/full' 'git stash drop' 'git stash clear' \
		'git reset --hard HEAD~1' 'find . -name secret -delete' 'rsync -a --delete src/ dst/'; do
		run_host "$c"
		assert_equal "$c: $(last .approval.asked)" "$c: not recoverable"
		assert_equal "$c: $STATUS" "$c: denied: approval-timeout"
	done
	assert_equal "$(cat secret)" s
	# With ask off it is refused outright, saying why.
	trash_config true off
	run_host 'shred secret'
	assert_equal "$STATUS" "denied: not recoverable (shred overwrites it beyond recovery (secret))"
}

@test "an earlier part of the command that writes where a later one deletes is not recoverable" {
	echo precious >precious
	for c in 'mv precious x; rm -rf x' 'rm -rf x | mv precious x' 'cp -r precious x && rm x'; do
		run_host "$c"
		assert_equal "$c: $(last .approval.asked)" "$c: not recoverable"
	done
	[ -e precious ]
	# After the deletion, or with a reader before it, it is kept as usual.
	mkdir x
	run_host 'ls && rm -rf x && mkdir x && cp precious x'
	assert_equal "$STATUS" 0
	assert_equal "$(trashed_paths)" "$PWD/x"
	assert_equal "$(cat x/precious)" precious
}

@test "a cd before the path: not recoverable" {
	mkdir -p sub/build
	run_host 'cd sub && rm -rf build'
	assert_equal "$(last .approval.asked)" "not recoverable"
	[ -d sub/build ]
}

@test "with the trash off nothing is kept, and nothing more is asked" {
	trash_config false
	mkdir build && echo s >secret
	run_host 'rm -rf build'
	assert_equal "$STATUS" 0
	assert_equal "$(last '.approval.trash // "none"')" none
	run claw-trash list
	assert_output ""
	run_host 'shred -n 1 secret'
	assert_equal "$STATUS" 0
}

@test "a host run on another file system keeps what it deletes in that file system's trash" {
	mkdir "$T/mnt"
	run on_tmpfs "$T/mnt" mode=1777 bash -c "$(declare -f record); T=$T"'
		mkdir "$T/mnt/w" && cd "$T/mnt/w" && mkdir out && echo o >out/o &&
		record "rm -r out" "$PWD" | claw run --no-tty | jq -r ".result.trashed[0].trash" &&
		cat "$T/mnt/.Trash-0/files/out/o"'
	assert_success
	assert_output "$(printf '%s\no' "$T/mnt/.Trash-0")"
}

@test "as an ordinary user: the user's own trash, and a tmpfs's .Trash-UID" {
	user_setup
	mkdir build && echo b >build/b && echo old >t && echo new >n
	chown -R "$TEST_USER:" "$T/wd"
	as_user bash -c "$(declare -f record); $(declare -f run_host); cd '$T/wd'; run_host 'rm -rf build && cp n t'; echo \"\$STATUS\""
	uid=$(id -u "$TEST_USER")
	assert_equal "$(cat "$HOME_TRASH/files/build/b") $(cat "$HOME_TRASH/files/t")" "b old"
	assert_equal "$(stat -c %U "$HOME_TRASH/files/build")" "$TEST_USER"
	mkdir "$T/mnt"
	run on_tmpfs "$T/mnt" mode=1777 bash -c "$(declare -f record as_user); TEST_USER=$TEST_USER OPENCLAW_STATE_DIR=$OPENCLAW_STATE_DIR HOME=$HOME"'
		mkdir "$1/mnt/w" && echo x >"$1/mnt/w/x" && chown -R $TEST_USER: "$1/mnt/w" &&
		as_user bash -c "$(declare -f record); cd $1/mnt/w && record \"rm x\" \$PWD | claw run --no-tty >/dev/null" &&
		cat "$1/mnt/.Trash-'"$uid"'/files/x" && stat -c %U "$1/mnt/.Trash-'"$uid"'"' sh "$T"
	assert_success
	assert_output "$(printf 'x\n%s' "$TEST_USER")"
}
