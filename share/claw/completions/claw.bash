# bash completion for claw and its commands (claw-session, claw-policy,
# claw-approve, claw-sandbox, claw-audit, claw-hook, claw-serve).
#
# The words come from each command's own --help, read once per shell: its
# usage lines give the subcommands, its text the options. A command that
# gains an option is completed without a change here.

declare -gA _claw_help_cache

# _claw_help CMD: CMD --help, once per shell.
_claw_help() {
	if [[ -z ${_claw_help_cache[$1]+set} ]]; then
		_claw_help_cache[$1]=$("$1" --help 2>/dev/null)
	fi
	printf '%s\n' "${_claw_help_cache[$1]}"
}

# _claw_subcommands CMD: the subcommands CMD's usage names.
_claw_subcommands() {
	local cmd=$1 name=${1##*/}
	if [[ $name == claw ]]; then
		_claw_help "$cmd" | sed -n 's/^  claw \([a-z][a-z-]*\).*/\1/p'
	else
		_claw_help "$cmd" | sed -n "s/^\(usage: \|       \)$name \([a-z][a-z-]*\).*/\2/p"
	fi | awk '!seen[$0]++'
}

# _claw_options CMD: every option CMD's --help names.
_claw_options() {
	_claw_help "$1" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

_claw() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmd=${COMP_WORDS[0]} first=1 i sub=
	COMPREPLY=()

	# claw SUB ... is claw-SUB ... for the plumbing.
	if [[ ${cmd##*/} == claw ]]; then
		for ((i = 1; i < COMP_CWORD; i++)); do
			case ${COMP_WORDS[i]} in
			--config | --claw-config | --state-dir) ((i++)) ;;
			-*) ;;
			*) sub=${COMP_WORDS[i]}; first=$((i + 1)); break ;;
			esac
		done
		if [[ -z $sub ]]; then
			if [[ $cur == -* ]]; then
				mapfile -t COMPREPLY < <(compgen -W "--config --claw-config --state-dir --help --version" -- "$cur")
			else
				mapfile -t COMPREPLY < <(compgen -W "$(_claw_subcommands "$cmd")" -- "$cur")
			fi
			return 0
		fi
		local dir=${cmd%/*}
		[[ $dir == "$cmd" ]] && dir=
		if [[ -n $dir && -x $dir/claw-$sub ]]; then
			cmd=$dir/claw-$sub
		elif command -v "claw-$sub" >/dev/null 2>&1; then
			cmd=claw-$sub
		fi
	fi

	case $prev in
	--config | --claw-config | --log | --max-record-file)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
		;;
	--state-dir | --cwd | --workdir)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return 0
		;;
	--preset)
		mapfile -t COMPREPLY < <(compgen -W "personal secure public dev" -- "$cur")
		return 0
		;;
	--fail-on)
		mapfile -t COMPREPLY < <(compgen -W "warn critical" -- "$cur")
		return 0
		;;
	--fsync)
		mapfile -t COMPREPLY < <(compgen -W "always batch never" -- "$cur")
		return 0
		;;
	esac

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_claw_options "$cmd")" -- "$cur")
		return 0
	fi
	# The first word that is not an option is the subcommand.
	local have=
	for ((i = first; i < COMP_CWORD; i++)); do
		[[ ${COMP_WORDS[i]} == -* ]] || { have=1; break; }
	done
	if [[ -z $have && ${cmd##*/} != claw ]]; then
		local subs
		subs=$(_claw_subcommands "$cmd")
		if [[ -n $subs ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$subs" -- "$cur")
			return 0
		fi
	fi
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

complete -F _claw claw claw-session claw-policy claw-approve claw-sandbox claw-audit claw-hook claw-serve
