#!/bin/sh
# Golden tests. Adding a case is adding two files; `run.sh BIN --update`
# writes the expected output of new cases, to be reviewed.
# - cases/NAME.txt is text on standard input; NAME.ndjson the output.
# - csv/NAME.csv (or .tsv) is a file argument; NAME.out holds the output,
#   then what went to standard error and the exit status.
# NAME.args, if present, holds the options (default "--day 2 --format
# ndjson"). Every ndjson output is also parsed as JSON. RUNNER, if set,
# is put before the binary (make valgrind sets it).
here=$(dirname "$0")
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
start golden "$1"
update=${2:-}

args_of() { # the options of case $1 (its path without extension)
	if [ -f "$1.args" ]; then cat "$1.args"; else echo "--day 2 --format ndjson"; fi
}

# compare CASE ARGS ACTUAL EXPECTED: JSON check, --update, diff
compare() {
	n=$((n + 1))
	case "$2" in
	*ndjson*)
		if ! sed -n '/^--- stderr$/q;p' "$3" | python3 -c 'import json, sys
for line in sys.stdin:
    json.loads(line)'; then
			failed "$1: output is not valid JSON lines"
		fi ;;
	esac
	same "$1" "$3" "$4"
}

for input in "$here"/cases/*.txt; do
	name=${input%.txt}
	args=$(args_of "$name")
	# shellcheck disable=SC2086 # args are words
	$RUNNER "$bin" $args < "$input" > "$tmp/out" 2> "$tmp/err"
	status=$?
	if [ $status -gt 1 ]; then
		failed "$(basename "$name"): exit $status: $(cat "$tmp/err")"
		continue
	fi
	compare "$(basename "$name")" "$args" "$tmp/out" "$name.ndjson"
done

for input in "$here"/csv/*.csv "$here"/csv/*.tsv; do
	[ -f "$input" ] || continue
	name=${input%.*}
	args=$(args_of "$name")
	# shellcheck disable=SC2086 # args are words
	(cd "$(dirname "$input")" && $RUNNER "$bin" $args "$(basename "$input")") \
		> "$tmp/out" 2> "$tmp/err"
	status=$?
	outcome
	compare "$(basename "$input")" "$args" "$tmp/all" "$name.out"
done

finish cases
