# bash completion for needlecheck: commands, options, their values, files.
_needlecheck()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands="check plan lint lexicon help version"
	local options="--day --hours --since --now --per-line --name --format
		--summary --fail-on --color --quiet --input --column --name-column
		--id-column --no-header --delimiter --jobs --lexicon --protocol
		--known --claim-column --fix --suggest --list --explain --test
		--help --version"
	case $prev in
	--format)
		COMPREPLY=($(compgen -W "text json ndjson csv html markdown gcc sarif github" -- "$cur"))
		return ;;
	--fail-on)
		COMPREPLY=($(compgen -W "caution unknown avoid" -- "$cur")); return ;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	--input)
		COMPREPLY=($(compgen -W "text csv" -- "$cur")); return ;;
	--delimiter)
		COMPREPLY=($(compgen -W ", ; | tab" -- "$cur")); return ;;
	--lexicon)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--protocol|--known)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--day|--hours|--since|--now|--name|--column|--name-column|--id-column|--jobs|--explain|--claim-column)
		return ;;
	help)
		COMPREPLY=($(compgen -W "check plan lint lexicon" -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$options" -- "$cur"))
	elif [[ $COMP_CWORD -eq 1 ]]; then
		COMPREPLY=($(compgen -W "$commands" -- "$cur") $(compgen -f -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -o filenames -F _needlecheck needlecheck
