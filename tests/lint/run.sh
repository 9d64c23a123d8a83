#!/bin/sh
# Lint golden tests. cases/NAME.args holds the arguments after "lint"
# (shell words; file names are those of this directory, where the case
# runs); cases/NAME.out holds the standard output, then what went to
# standard error and the exit status. Adding a case is adding two files;
# `run.sh BIN --update` writes the expected output of new cases, to be
# reviewed. JSON output is parsed and checked against its summary, SARIF
# output against what code scanning needs (check_sarif.py).
unset COLUMNS # the width of a terminal would change the tables
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
ulimit -f 200000 2>/dev/null # 100 MB: a runaway writer fails, not the disk
trap 'rm -rf "$tmp"' EXIT
cp "$here"/*.csv "$here"/*.tsv "$tmp"/
# a name GitHub's property escaping must carry: ',' ':' and '%'
cp "$here/catalogue.csv" "$tmp/shop,2024:q1 100%.csv"
fail=0 n=0
for case in "$here"/cases/*.args; do
	name=${case%.args}
	base=$(basename "$name")
	args=$(cat "$case")
	eval "set -- $args"
	(cd "$tmp" && NO_COLOR= "$bin" lint "$@") > "$tmp/out" 2> "$tmp/err"
	status=$?
	case " $args " in
	*" --format json "*)
		if ! python3 -c 'import json, sys
doc = json.load(open(sys.argv[1]))
d, s = doc["diagnostics"], doc["summary"]
live = [x for x in d if x["suppressed_by"] is None]
for sev, key in (("error", "errors"), ("warning", "warnings")):
    assert sum(x["severity"] == sev for x in live) == s[key], key
assert sum(x["suppressed_by"] is not None for x in d) == s["suppressed"]' "$tmp/out"; then
			echo "lint $base: JSON output is invalid or disagrees with its summary"
			fail=$((fail + 1))
		fi ;;
	*" --format sarif "*)
		if ! (cd "$tmp" && python3 "$here/check_sarif.py" out); then
			echo "lint $base: SARIF output is incomplete"
			fail=$((fail + 1))
		fi ;;
	esac
	{ cat "$tmp/out"; echo "--- stderr"; cat "$tmp/err"; echo "--- exit $status"; } > "$tmp/all"
	if [ ! -f "$name.out" ] && [ "$update" = --update ]; then
		cp "$tmp/all" "$name.out"
		echo "lint $base: written, review it"
	fi
	if ! diff -u "$name.out" "$tmp/all" > "$tmp/diff" 2>&1; then
		echo "lint $base: output differs"
		cat "$tmp/diff"
		fail=$((fail + 1))
	fi
	n=$((n + 1))
done
echo "lint golden: $n cases, $fail failed"
[ $fail -eq 0 ]
