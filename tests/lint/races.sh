#!/bin/sh
# lint --fix against what else happens to the file, at the exact moment:
# the program built with the test hooks of --fix (src/fix.c) runs
# $NEEDLECHECK_FIX_HOOK with the moment as $1 ("read": the file has been
# read; "rename": the copy is written, the last check comes next). An
# editor that rewrites the file in place or saves it by rename, and
# SIGINT or SIGTERM, never lose an edit nor leave the temporary copy.
# Usage: races.sh path/to/needlecheck-hooks
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
ulimit -f 200000 2>/dev/null
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
fail=0 n=0

# fix HOOK: a fresh catalogue (dated in the past, so that any write shows
# in its times), then "lint --fix" with the hook; sets $status, $err
fix() {
	cp "$here/catalogue.csv" cat.csv
	touch -d '2001-01-01 00:00' cat.csv
	NEEDLECHECK_FIX_HOOK=$1 "$bin" lint --fix -q cat.csv > out.txt 2> err.txt
	status=$?
	err=$(cat err.txt)
}

expect() {
	n=$((n + 1))
	if ! eval "$2"; then
		fail=$((fail + 1))
		echo "lint races: FAIL $1"
		echo "  condition: $2"
		echo "  status: $status"
		echo "  stderr: $(head -c 600 err.txt)"
	fi
}

has() { case "$1" in *"$2"*) return 0 ;; esac; return 1; }
no_copy_left() { [ -z "$(ls -A | grep needlecheck-fix)" ]; }

# the editor's version: the catalogue with one more row (longer)
cp "$here/catalogue.csv" edited.csv
echo 'Z-99,Late Row,"Aqua, Glycerin",0,,' >> edited.csv

# no interference: the claims are fixed (the hooks change nothing)
fix 'true'
expect "a quiet run is fixed" '[ $status -eq 1 ] && ! cmp -s cat.csv "$here/catalogue.csv" && no_copy_left'

# rewritten in place, 8 bytes longer, once --fix has read it
fix '[ "$1" = read ] && cat edited.csv > cat.csv'
expect "rewritten in place after reading: refused, the edit kept" '[ $status -eq 2 ] && has "$err" "changed while it was being checked" && cmp -s cat.csv edited.csv && no_copy_left'

# rewritten in place, same size, while the copy was made
fix '[ "$1" = rename ] && printf X | dd of=cat.csv bs=1 seek=40 conv=notrunc 2>/dev/null'
expect "rewritten in place during the copy (same size): refused" '[ $status -eq 2 ] && has "$err" "changed while it was being checked" && [ "$(dd if=cat.csv bs=1 skip=40 count=1 2>/dev/null)" = X ] && no_copy_left'

# saved by rename (as editors do) while the copy was made
fix '[ "$1" = rename ] && cp edited.csv new.csv && mv new.csv cat.csv'
expect "saved by rename during the copy: refused, the save kept" '[ $status -eq 2 ] && has "$err" "changed while it was being checked" && cmp -s cat.csv edited.csv && no_copy_left'

# signals while the copy exists: it goes, the file stays as it was
fix '[ "$1" = rename ] && kill -TERM $PPID'
expect "SIGTERM: no copy left, the file untouched" '[ $status -eq 143 ] && cmp -s cat.csv "$here/catalogue.csv" && no_copy_left'
fix '[ "$1" = rename ] && kill -INT $PPID'
expect "SIGINT: no copy left, the file untouched" '[ $status -eq 130 ] && cmp -s cat.csv "$here/catalogue.csv" && no_copy_left'
fix '[ "$1" = rename ] && kill -HUP $PPID'
expect "SIGHUP: no copy left, the file untouched" '[ $status -eq 129 ] && cmp -s cat.csv "$here/catalogue.csv" && no_copy_left'

echo "lint races: $n checks, $fail failed"
[ $fail -eq 0 ]
