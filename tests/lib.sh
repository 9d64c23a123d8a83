# What the shell tests share. A test sources it, then calls start:
#   . "$(cd "$(dirname "$0")/.." && pwd)/lib.sh"
#   start SUITE path/to/needlecheck
# and ends with `finish checks` (or cases, renderings…), whose status is
# the test's.
# shellcheck shell=sh disable=SC2034 # bin, out, err: for the test

# start SUITE BIN: messages begin with SUITE; bin is BIN by its absolute
# path, tmp a directory removed at exit, fail and n the counts. Files
# written are capped, and the width of a terminal, which would change
# the tables, is forgotten.
start() {
	suite=$1
	bin=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	ulimit -f 200000 2>/dev/null # 100 MB: a runaway writer fails, not the disk
	unset COLUMNS
	fail=0 n=0
}

# finish WHAT: "SUITE: N WHAT, F failed"; fails when one did.
finish() {
	echo "$suite: $n $1, $fail failed"
	[ "$fail" -eq 0 ]
}

# failed MESSAGE: counts a failure, saying what it was ("NAME: why").
failed() {
	echo "$suite $*"
	fail=$((fail + 1))
}

# capture COMMAND...: runs it, its output in out.txt and err.txt (in the
# current directory); sets $out, $err and $status.
capture() {
	"$@" > out.txt 2> err.txt
	status=$?
	out=$(cat out.txt)
	err=$(cat err.txt)
}

# has TEXT PART: whether TEXT contains PART.
has() { case "$1" in *"$2"*) return 0 ;; esac; return 1; }

# explain: what a failed expect shows after its condition (the last
# capture's); a test may define its own.
explain() {
	echo "  status: $status"
	echo "  stdout: $(head -c 600 out.txt)"
	echo "  stderr: $(head -c 600 err.txt)"
}

# expect NAME CONDITION: counts a check, and a failure when the condition
# (shell code, evaluated) is false.
expect() {
	n=$((n + 1))
	if ! eval "$2"; then
		failed "FAIL: $1"
		echo "  condition: $2"
		explain
	fi
}

# outcome: $tmp/all holds $tmp/out, then "--- stderr" and $tmp/err, then
# the exit status: what a golden file of a command holds.
outcome() {
	{
		cat "$tmp/out"
		echo "--- stderr"
		cat "$tmp/err"
		echo "--- exit $status"
	} > "$tmp/all"
}

# golden NAME EXPECTED: counts a case whose outcome must be the file
# EXPECTED (as same says).
golden() {
	n=$((n + 1))
	outcome
	same "$1" "$tmp/all" "$2"
}

# same NAME ACTUAL EXPECTED: ACTUAL must be the file EXPECTED. With
# $update set to --update, a missing EXPECTED is written, to be reviewed.
same() {
	if [ ! -f "$3" ] && [ "${update:-}" = --update ]; then
		cp "$2" "$3"
		echo "$suite $1: written, review it"
	fi
	if ! diff -u "$3" "$2" > "$tmp/diff" 2>&1; then
		failed "$1: output differs"
		cat "$tmp/diff"
	fi
}
