#!/bin/sh
# Lint golden tests. cases/NAME.args holds the arguments after "lint"
# (shell words; file names are those of this directory, where the case
# runs); cases/NAME.out holds the standard output, then what went to
# standard error and the exit status. Adding a case is adding two files;
# `run.sh BIN --update` writes the expected output of new cases, to be
# reviewed. JSON output is parsed and checked against its summary, SARIF
# output against what code scanning needs (check_sarif.py).
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
start lint "$1"
update=${2:-}
cp "$here"/*.csv "$here"/*.tsv "$tmp"/
# a name GitHub's property escaping must carry: ',' ':' and '%'
cp "$here/catalogue.csv" "$tmp/shop,2024:q1 100%.csv"
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
			failed "$base: JSON output is invalid or disagrees with its summary"
		fi ;;
	*" --format sarif "*)
		if ! (cd "$tmp" && python3 "$here/check_sarif.py" out); then
			failed "$base: SARIF output is incomplete"
		fi ;;
	esac
	golden "$base" "$name.out"
done
finish "golden cases"
