#!/bin/sh
# Golden tests. Adding a case is adding two files; `run.sh BIN --update`
# writes the expected output of new cases, to be reviewed.
# - cases/NAME.txt is text on standard input; NAME.ndjson the output.
# - csv/NAME.csv (or .tsv) is a file argument; NAME.out holds the output,
#   then what went to standard error and the exit status.
# NAME.args, if present, holds the options (default "--day 2 --format
# ndjson"). Every ndjson output is also parsed as JSON. RUNNER, if set,
# is put before the binary (make valgrind sets it).
unset COLUMNS # the width of a terminal would change the tables
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
update=${2:-}
here=$(dirname "$0")
tmp=$(mktemp -d)
ulimit -f 200000 2>/dev/null # 100 MB: a runaway writer fails, not the disk
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0

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
			echo "golden $1: output is not valid JSON lines"
			fail=$((fail + 1))
		fi ;;
	esac
	if [ ! -f "$4" ] && [ "$update" = --update ]; then
		cp "$3" "$4"
		echo "golden $1: written, review it"
	fi
	if ! diff -u "$4" "$3" > "$tmp/diff" 2>&1; then
		echo "golden $1: output differs"
		cat "$tmp/diff"
		fail=$((fail + 1))
	fi
}

for input in "$here"/cases/*.txt; do
	name=${input%.txt}
	args=$(args_of "$name")
	# shellcheck disable=SC2086 # args are words
	$RUNNER "$bin" $args < "$input" > "$tmp/out" 2> "$tmp/err"
	status=$?
	if [ $status -gt 1 ]; then
		echo "golden $(basename "$name"): exit $status: $(cat "$tmp/err")"
		fail=$((fail + 1))
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
	{ cat "$tmp/out"; echo "--- stderr"; cat "$tmp/err"; echo "--- exit $status"; } > "$tmp/all"
	compare "$(basename "$input")" "$args" "$tmp/all" "$name.out"
done

echo "golden: $n cases, $fail failed"
[ $fail -eq 0 ]
