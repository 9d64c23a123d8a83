#!/bin/sh
# Lint from the command line: --fix (only the wrong claim cells change,
# checked against fix/*.diff and cell by cell), usage errors, exit
# statuses, threads, write errors, the README's example; and, with the
# program built with the test hooks of --fix, --fix against what else
# happens to the file at the exact moment.
# Usage: cli.sh path/to/needlecheck path/to/needlecheck-hooks
hooks=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
start "lint cli" "$1"
cd "$tmp" || exit 2

# run ARGS...: runs "needlecheck lint ARGS"; sets $out, $err, $status
run() { capture "$bin" lint "$@"; }

# --- usage
run
expect "no file: usage error" '[ $status -eq 2 ] && has "$err" "lint wants the catalogue files"'
run -
expect "no standard input" '[ $status -eq 2 ] && has "$err" "not standard input"'
cp "$here/catalogue.csv" "$here/tabs.tsv" "$here/custom.csv" .
run --format text catalogue.csv
expect "lint has no text format" '[ $status -eq 2 ] && has "$err" "lint writes gcc, json, sarif or github"'
run --day 3 catalogue.csv
expect "no --day for lint" '[ $status -eq 2 ] && has "$err" "--day"'
run --fail-on caution catalogue.csv
expect "no --fail-on for lint" '[ $status -eq 2 ] && has "$err" "--fail-on"'
run --per-line catalogue.csv
expect "no --per-line for lint" '[ $status -eq 2 ]'
"$bin" --fix catalogue.csv > out.txt 2> err.txt
status=$? err=$(cat err.txt)
expect "--fix belongs to lint" '[ $status -eq 2 ] && has "$err" "--fix is not an option of '"'"'needlecheck check'"'"' (lint takes it)"'
"$bin" --format sarif catalogue.csv > out.txt 2> err.txt
status=$? err=$(cat err.txt)
expect "sarif belongs to lint" '[ $status -eq 2 ] && has "$err" "--format sarif belongs to"'
run --help
expect "help names lint and its options" '[ $status -eq 0 ] && has "$out" "needlecheck lint [OPTIONS] FILE..." && has "$out" "--claim-column COL" && has "$out" "--suggest"'

# --- exit statuses and trouble
printf 'sku,name,ingredients,aftercare_day\n1,Gel,"Aqua, Glycerin",0\n2,Serum,"Aqua, Retinol",7\n' > good.csv
run good.csv
expect "correct claims: exit 0, a summary" '[ $status -eq 0 ] && [ "$out" = "1 file, 2 products, 2 claims: 0 errors, 0 warnings, 0 suppressed" ]'
run missing.csv good.csv
expect "missing file: exit 2, the others linted" '[ $status -eq 2 ] && has "$err" "missing.csv: No such file or directory" && has "$out" "1 file, 2 products"'
run catalogue.csv missing.csv
expect "trouble outranks errors" '[ $status -eq 2 ] && has "$out" "error:"'
mkdir adir
run adir
expect "directory: exit 2" '[ $status -eq 2 ] && has "$err" "adir: is a directory"'
printf 'sku,name\n1,Gel\n' > noingr.csv
run noingr.csv
expect "no ingredients column: exit 2" '[ $status -eq 2 ] && has "$err" "no ingredients column"'
run -q catalogue.csv
expect "-q: nothing, exit 1" '[ $status -eq 1 ] && [ -z "$out" ]'
run --color always catalogue.csv
expect "--color always: gcc colours" 'grep -q "$(printf "\033")\[1;31merror:" out.txt'
run catalogue.csv
expect "no colour when not a terminal" '! grep -q "$(printf "\033")" out.txt'
if [ -w /dev/full ]; then
	"$bin" lint catalogue.csv > /dev/full 2> err.txt
	status=$? err=$(cat err.txt)
	expect "/dev/full: exit 2 with a message" '[ $status -eq 2 ] && has "$err" "write error"'
fi

# --- lone CRs end lines: the lint points at the claim's line
printf 'sku,name,ingredients,aftercare_day\r1,Gel,"Aqua, Glycerin",0\r2,Serum,"Aqua,\rRetinol",0\r' > mac.csv
run mac.csv
expect "CR line ends: the diagnostic's line and column" '[ $status -eq 1 ] && has "$out" "mac.csv:4:1: error: '"'"'Retinol'"'"'"'

# --- GitHub: nothing on either stream starts a workflow command of its own
evil=$(printf 'x\n::error title=Injected::boom.csv')
printf 'sku,name,ingredients,aftercare_day\n1,Gel,"Aqua, Retinol",0\n2,Torn\n' > "$evil"
run --format github x*boom.csv
expect "github: a file name cannot inject a command" '[ $status -eq 1 ] && ! grep -q "^::error title=Injected" out.txt err.txt'
expect "github: every line of stderr is a command of ours" '[ -s err.txt ] && ! grep -qv "^::\(warning\|error\)::" err.txt && has "$err" "row 2: the row has only 2 cells"'
expect "github: every diagnostic on stdout is one" '[ $(grep -c "^::" out.txt) -eq 1 ] && [ $(wc -l < out.txt) -eq 2 ]'
run --format github "$(printf 'gone\n::error::x.csv')"
expect "github: a missing file's message is one escaped command" '[ $status -eq 2 ] && [ $(wc -l < err.txt) -eq 1 ] && grep -q "^::error::needlecheck: gone%0A::error::x.csv: No such file" err.txt'
rm -f x*boom.csv

# --- --fix: only the wrong claim cells change
cp "$here/catalogue.csv" before.csv
cp "$here/tabs.tsv" before.tsv
chmod 640 catalogue.csv
run --fix catalogue.csv tabs.tsv
expect "--fix: exit 1 for what it cannot fix" '[ $status -eq 1 ] && has "$out" "2 errors, 3 warnings, 3 suppressed, 5 fixed"'
expect "--fix: notes at the claims" 'has "$out" "catalogue.csv:9:51: note: claim changed from day 0 to day 3: '"'"'CI 77491'"'"'"'
diff -u --label catalogue.csv --label catalogue.csv before.csv catalogue.csv > got.diff
expect "--fix: the diff of catalogue.csv" 'cmp -s got.diff "$here/fix/catalogue.diff" || diff "$here/fix/catalogue.diff" got.diff'
diff -u --label tabs.tsv --label tabs.tsv before.tsv tabs.tsv > got.diff
expect "--fix: the diff of tabs.tsv (BOM, tabs, CRLF kept)" 'cmp -s got.diff "$here/fix/tabs.diff" || diff "$here/fix/tabs.diff" got.diff'
# cell by cell: every cell but the claims of the rows the lint fixed is
# as it was, and those claims now hold the day the lint gave
expect "--fix: no other cell changed" 'python3 - before.csv catalogue.csv , aftercare_day,tags <<PY
import csv, sys
old, new, delim, claims = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
a = list(csv.reader(open(old, newline="", encoding="utf-8-sig"), delimiter=delim))
b = list(csv.reader(open(new, newline="", encoding="utf-8-sig"), delimiter=delim))
assert len(a) == len(b) and a[0] == b[0]
cols = [a[0].index(c) for c in claims if c in a[0]]
changed = 0
for x, y in zip(a, b):
    assert len(x) == len(y)
    for i, (p, q) in enumerate(zip(x, y)):
        if p != q:
            assert i in cols, (x, y)
            changed += 1
assert changed == 4, changed
PY'
expect "--fix: mode kept" '[ "$(stat -c %a catalogue.csv)" = 640 ]'
expect "--fix: no temporary file left" '[ -z "$(ls -A | grep needlecheck-fix)" ]'
run catalogue.csv tabs.tsv
expect "--fix: a second run finds only what it cannot fix" '[ $status -eq 1 ] && has "$out" "2 files, 16 products, 15 claims: 2 errors"'
cp "$here/catalogue.csv" target.csv
ln -s target.csv link.csv
run --fix link.csv
expect "--fix through a symbolic link rewrites its target" '[ -L link.csv ] && ! cmp -s target.csv "$here/catalogue.csv" && has "$out" "4 fixed"'
cp "$here/catalogue.csv" linked.csv
ln linked.csv hardlink.csv
run --fix linked.csv
expect "--fix refuses a file with hard links" '[ $status -eq 2 ] && has "$err" "hard links" && cmp -s linked.csv "$here/catalogue.csv"'
mkfifo fifo.csv
timeout 10 "$bin" lint --fix fifo.csv > out.txt 2> err.txt
status=$? err=$(cat err.txt)
expect "--fix refuses a FIFO at once" '[ $status -eq 2 ] && has "$err" "fifo.csv: --fix rewrites regular files only"'
cp "$here/catalogue.csv" json-fix.csv
run --fix --format json json-fix.csv
expect "--fix in JSON: fixes applied" 'python3 -c "import json; d=json.load(open(\"out.txt\"))[\"diagnostics\"]; assert sum(1 for x in d if x[\"fix\"] and x[\"fix\"][\"applied\"]) == 4"'

# --fix after a row too long to keep: its bytes were never held, and the
# claims after it are fixed at the right place
python3 - <<'PY'
with open("long.csv", "w", newline="") as f:
    f.write("sku,name,ingredients,notes,aftercare_day\n")
    f.write('1,Huge,"Aqua, Retinol","' + ("x" * 1023 + "\n") * (17 * 1024) + '",0\n')
    f.write('2,Serum,"Aqua, Retinol",ok,0\n')
PY
cp long.csv long-before.csv
run --fix --jobs 2 long.csv
expect "--fix after a 17 MB row: the next claim fixed" '[ $status -eq 0 ] && has "$out" "1 fixed" && [ "$(tail -n 1 long.csv)" = "2,Serum,\"Aqua, Retinol\",ok,7" ] && [ $(wc -c < long.csv) -eq $(wc -c < long-before.csv) ] && [ $(cmp long.csv long-before.csv | grep -o "byte [0-9]*" | grep -o "[0-9]*") -eq $(($(wc -c < long.csv) - 1)) ]'
expect "--fix after a 17 MB row: the row is said unread" 'has "$err" "long.csv:2: warning: row 1: the row is longer than 16 MB: not read"'
rm -f long.csv long-before.csv

# --- threads: one order, one result
awk 'BEGIN { print "sku,name,ingredients,aftercare_day,tags"
	for (i = 1; i <= 30000; i++) {
		a = (i % 3 == 0) ? "Retinol" : (i % 3 == 1) ? "Glycerin" : "Parfum"
		printf "%d,\"Product %d\",\"Aqua, Phenoxyethanol, %s\",%d,%s\n", i, i, a, i % 8,
			(i % 5 == 0) ? "post-procedure-safe" : "" } }' > big.csv
cp big.csv big4.csv
run --jobs 1 --format json big.csv
cp out.txt one.json
run --jobs 4 --format json big.csv
expect "--jobs 1 and 4 write the same" 'cmp -s one.json out.txt'
expect "30,000 rows: errors counted" 'python3 -c "import json; s=json.load(open(\"out.txt\"))[\"summary\"]; assert s[\"products\"]==30000 and s[\"errors\"]>0, s"'
run --jobs 1 --fix -q big.csv
run --jobs 4 --fix -q big4.csv
expect "--fix with threads: the same file" 'cmp -s big.csv big4.csv'
run big.csv
expect "after --fix no wrong claim is left" '[ $status -eq 0 ] && has "$out" "0 errors"'

# --- --fix and what else happens to the file, at the exact moment: the
# hooks program (src/cli/fix.c, NDL_FIX_HOOKS) runs $NEEDLECHECK_FIX_HOOK
# with the moment as $1 ("read": the file has been read; "rename": the
# copy is written, the last check comes next). An editor that rewrites
# the file in place or saves it by rename, and SIGINT, SIGTERM or SIGHUP,
# never lose an edit nor leave the temporary copy.

# fix HOOK: a fresh catalogue (dated in the past, so that any write shows
# in its times), then "lint --fix" with the hook; sets $status, $err
fix() {
	cp "$here/catalogue.csv" cat.csv
	touch -d '2001-01-01 00:00' cat.csv
	NEEDLECHECK_FIX_HOOK=$1 "$hooks" lint --fix -q cat.csv > out.txt 2> err.txt
	status=$?
	err=$(cat err.txt)
}

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

# signals while the copy exists: it goes, the file stays as it was; a
# signal these tests were started ignoring (SIGHUP under nohup) stays
# ignored, and the fix is made
ignored() {
	mask=$(awk '/^SigIgn:/ { print $2 }' /proc/$$/status 2>/dev/null)
	[ -n "$mask" ] && [ $(((0x$mask >> ($1 - 1)) & 1)) -eq 1 ]
}
for sig in TERM:15 INT:2 HUP:1; do
	name=${sig%:*} number=${sig#*:}
	fix "[ \"\$1\" = rename ] && kill -$name \$PPID"
	if ignored "$number"; then
		expect "SIG$name ignored from the start: still ignored, the fix made" '[ $status -eq 1 ] && ! cmp -s cat.csv "$here/catalogue.csv" && no_copy_left'
	else
		expect "SIG$name: no copy left, the file untouched" '[ $status -eq $((128 + number)) ] && cmp -s cat.csv "$here/catalogue.csv" && no_copy_left'
	fi
done

# --- the README's example is the program's own output
root=$(cd "$here/../.." && pwd)
(cd "$root" && "$bin" lint samples/catalogue.csv) > readme.txt 2>&1
expect "README shows what lint says of samples/catalogue.csv" 'python3 -c "import sys; sys.exit(open(sys.argv[2]).read() not in open(sys.argv[1]).read())" "$root/README.md" readme.txt'

finish checks
