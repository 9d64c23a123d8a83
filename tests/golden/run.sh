#!/bin/sh
# Golden tests. Adding a case is adding two files; `run.sh BIN --update`
# writes the expected output of new cases, to be reviewed.
# - cases/NAME.txt is text on standard input; NAME.ndjson the output.
# - csv/NAME.csv (or .tsv) is a file argument; NAME.out holds the output,
#   then what went to standard error and the exit status.
# NAME.args, if present, holds the options (default "--day 2 --format
# ndjson"). Every ndjson output is also parsed as JSON. RUNNER, if set,
# is put before the binary (make valgrind sets it).
bin=$1
update=${2:-}
dir=$(dirname "$0")/cases
tmp=$(mktemp -d)
ulimit -f 200000 2>/dev/null # 100 MB: a runaway writer fails, not the disk
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for input in "$dir"/*.txt; do
	name=${input%.txt}
	base=$(basename "$name")
	args="--day 2 --format ndjson"
	[ -f "$name.args" ] && args=$(cat "$name.args")
	# shellcheck disable=SC2086 # args are words
	$RUNNER "$bin" $args < "$input" > "$tmp/out" 2> "$tmp/err"
	status=$?
	if [ $status -gt 1 ]; then
		echo "golden $base: exit $status: $(cat "$tmp/err")"
		fail=$((fail + 1))
		continue
	fi
	if ! python3 -c 'import json, sys
for line in sys.stdin:
    json.loads(line)' < "$tmp/out"; then
		echo "golden $base: output is not valid JSON lines"
		fail=$((fail + 1))
	fi
	if [ ! -f "$name.ndjson" ] && [ "$update" = --update ]; then
		cp "$tmp/out" "$name.ndjson"
		echo "golden $base: written, review it"
	fi
	if ! diff -u "$name.ndjson" "$tmp/out" > "$tmp/diff" 2>&1; then
		echo "golden $base: output differs"
		cat "$tmp/diff"
		fail=$((fail + 1))
	fi
	n=$((n + 1))
done
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
for input in "$(dirname "$0")"/csv/*.csv "$(dirname "$0")"/csv/*.tsv; do
	[ -f "$input" ] || continue
	name=${input%.*}
	base=$(basename "$input")
	args="--day 2 --format ndjson"
	[ -f "$name.args" ] && args=$(cat "$name.args")
	# shellcheck disable=SC2086 # args are words
	(cd "$(dirname "$input")" && $RUNNER "$bin" $args "$base") > "$tmp/out" 2> "$tmp/err"
	status=$?
	case "$args" in
	*ndjson*)
		if ! python3 -c 'import json, sys
for line in sys.stdin:
    json.loads(line)' < "$tmp/out"; then
			echo "golden $base: output is not valid JSON lines"
			fail=$((fail + 1))
		fi ;;
	esac
	{ cat "$tmp/out"; echo "--- stderr"; cat "$tmp/err"; echo "--- exit $status"; } > "$tmp/all"
	if [ ! -f "$name.out" ] && [ "$update" = --update ]; then
		cp "$tmp/all" "$name.out"
		echo "golden $base: written, review it"
	fi
	if ! diff -u "$name.out" "$tmp/all" > "$tmp/diff" 2>&1; then
		echo "golden $base: output differs"
		cat "$tmp/diff"
		fail=$((fail + 1))
	fi
	n=$((n + 1))
done
echo "golden: $n cases, $fail failed"
[ $fail -eq 0 ]
