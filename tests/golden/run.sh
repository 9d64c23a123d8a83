#!/bin/sh
# Golden tests: every tests/golden/cases/NAME.txt is an input, NAME.ndjson
# the output expected from it (NAME.args, if present, holds the options;
# the default is "--day 2 --format ndjson"). Adding a case is adding two
# files; `run.sh BIN --update` writes the outputs of new cases, to review.
# Every output is also parsed as JSON.
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
	"$bin" $args < "$input" > "$tmp/out" 2> "$tmp/err"
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
echo "golden: $n cases, $fail failed"
[ $fail -eq 0 ]
