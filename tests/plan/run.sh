#!/bin/sh
# Plan and HTML tests. Usage: run.sh path/to/needlecheck [--update]
# - cases/NAME.args: the options and files (files are in inputs/); the
#   output, then what went to standard error and the exit status, must be
#   NAME.out. A json output must also parse.
# - html/NAME.args: a page; html_check.py checks it is valid and
#   self-contained, and the checks of html/NAME.expect.
# `--update` writes the .out of new cases, to be reviewed.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
start plan "$1"
update=${2:-}

# run ARGS-FILE: runs the binary from inputs/ with the words of ARGS-FILE
run() {
	# shellcheck disable=SC2046 # args are words
	(cd "$here/inputs" && "$bin" $(cat "$1")) > "$tmp/out" 2> "$tmp/err"
	status=$?
}

for args in "$here"/cases/*.args; do
	name=${args%.args}
	base=$(basename "$name")
	run "$args"
	case "$(cat "$args")" in
	*"--format json"*)
		if ! python3 -c 'import json, sys; json.load(sys.stdin)' < "$tmp/out"; then
			failed "$base: output is not JSON"
		fi ;;
	plan*--format*) ;;
	plan*)
		# a terminal of 80 columns shows every line whole
		if ! python3 -c 'import re, sys
for i, line in enumerate(sys.stdin, 1):
    line = re.sub("\x1b\\[[0-9;]*m", "", line.rstrip("\n"))
    if len(line) > 79:
        sys.exit(f"line {i} is {len(line)} characters wide")' < "$tmp/out"; then
			failed "$base: wider than 80 columns"
		fi ;;
	esac
	golden "$base" "$name.out"
done

for args in "$here"/html/*.args; do
	name=${args%.args}
	base=$(basename "$name")
	run "$args"
	if [ $status -gt 1 ] || [ -s "$tmp/err" ]; then
		failed "html $base: exit $status: $(cat "$tmp/err")"
	elif ! python3 "$here/html_check.py" "$tmp/out" "$name.expect"; then
		failed "html $base: the page fails its checks"
	fi
	n=$((n + 1))
done

# colour on a terminal, unless NO_COLOR says otherwise
n=$((n + 1))
if ! python3 - "$bin" "$here/inputs/night-serum.txt" <<'PY'
import os, pty, sys

def on_terminal(extra_env):
    pid, fd = pty.fork()
    if pid == 0:
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        env.update(extra_env)
        os.execve(sys.argv[1], [sys.argv[1], "plan", "--day", "2", sys.argv[2]], env)
    out = b""
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
    os.waitpid(pid, 0)
    return out

if b"\x1b[" not in on_terminal({}):
    sys.exit("no colour on a terminal")
if b"\x1b[" in on_terminal({"NO_COLOR": "1"}):
    sys.exit("colour on a terminal with NO_COLOR=1")
PY
then
	failed "colour: fails"
fi

# every guidance line quotes the article word for word (when the article
# is at hand: it lives beside the repository, not in it)
article=$(cd "$here/../.." && pwd)/../shared/source-article.txt
if [ -f "$article" ]; then
	n=$((n + 1))
	if ! python3 - "$here/../../lexicon/guidance.tsv" "$article" <<'PY'
import sys
article = " ".join(open(sys.argv[2], encoding="utf-8").read().split())
bad = 0
for number, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    fields = line.rstrip("\n").split("\t")
    if line.startswith("#") or fields[0] == "id" or len(fields) != 7:
        continue
    if " ".join(fields[6].split()) not in article:
        print(f"guidance.tsv:{number}: the source is not the article's words")
        bad += 1
sys.exit(1 if bad else 0)
PY
	then
		fail=$((fail + 1))
	fi
else
	echo "plan: guidance quotes not checked (no $article)"
fi

finish cases
