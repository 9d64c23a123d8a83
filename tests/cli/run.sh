#!/bin/sh
# CLI tests: exit statuses, messages, stdin versus files, options.
# Usage: run.sh path/to/needlecheck
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
start cli "$1"
cd "$tmp" || exit 2

# run STDIN ARGS...: runs the binary; sets $out, $err, $status
run() {
	printf '%s' "$1" > in.txt
	shift
	capture "$bin" "$@" < in.txt
}

retinol='Aqua, Glycerin, Retinol, Phenoxyethanol'

# --- help and usage
run '' version
expect "version: the version, exit 0" '[ $status -eq 0 ] && has "$out" "needlecheck 0." && [ -z "$err" ]'
run '' help plan
expect "help plan: the usage, exit 0" '[ $status -eq 0 ] && has "$out" "Usage: needlecheck" && has "$out" "needlecheck plan"'
run '' help
expect "help: the usage, exit 0" '[ $status -eq 0 ] && has "$out" "Usage: needlecheck"'
run '' help frobnicate
expect "help of no command: exit 2, the commands named" '[ $status -eq 2 ] && [ -z "$out" ] && has "$err" "no command '"'"'frobnicate'"'"'"'
run '' --help
expect "help on stdout, exit 0" '[ $status -eq 0 ] && has "$out" "Usage: needlecheck" && [ -z "$err" ]'
expect "help shows examples" 'has "$out" "pbpaste | needlecheck --day 3"'
expect "help says it is not medical advice" 'has "$out" "not"'
run '' --version
expect "version" '[ $status -eq 0 ] && has "$out" "needlecheck 0."'
run '' --frobnicate
expect "unknown option: exit 2, stderr" '[ $status -eq 2 ] && [ -z "$out" ] && has "$err" "unknown option '"'"'--frobnicate'"'"'" && has "$err" "Try"'
run '' --day
expect "missing value" '[ $status -eq 2 ] && has "$err" "needs a value"'
run '' --day three
expect "bad day" '[ $status -eq 2 ] && has "$err" "--day wants a whole number"'
run '' --day -1
expect "negative day" '[ $status -eq 2 ]'
run '' --day 2 --hours 5
expect "two moments" '[ $status -eq 2 ] && has "$err" "only one of"'
run '' --now 2026-01-01
expect "--now alone" '[ $status -eq 2 ] && has "$err" "--now goes with --since"'
run '' --format xml
expect "bad format" '[ $status -eq 2 ] && has "$err" "unknown format"'
run '' --fail-on safe
expect "bad fail-on" '[ $status -eq 2 ]'
run '' --color sometimes
expect "bad color" '[ $status -eq 2 ]'

# --- verdicts and exit statuses
run "$retinol" --day 2 --format ndjson
expect "retinol day 2: avoid, exit 1" '[ $status -eq 1 ] && has "$out" "\"verdict\":\"avoid\",\"safe_from_day\":7"'
expect "retinol position" 'has "$out" "\"class\":\"retinoid\",\"status\":\"avoid\",\"until_day\":5,\"avoid_until_day\":5,\"caution_until_day\":7,\"line\":1,\"column\":17"'
run "$retinol" --day 5 --format ndjson
expect "retinol day 5: caution, exit 0" '[ $status -eq 0 ] && has "$out" "\"verdict\":\"caution\""'
run "$retinol" --day 5 --fail-on caution -q
expect "--fail-on caution" '[ $status -eq 1 ] && [ -z "$out" ]'
run "$retinol" --day 7 --format ndjson
expect "retinol day 7: safe" '[ $status -eq 0 ] && has "$out" "\"verdict\":\"safe\""'
run "$retinol" --day 2
expect "text report: verdict first" '[ $status -eq 1 ] && [ "$(head -n 1 out.txt)" = "AVOID on day 2 — safe from day 7" ]'
run "$retinol"
expect "no day: day 0 assumed and said" 'has "$out" "AVOID on day 0" && has "$out" "day 0, the day of the procedure, assumed"'
run 'No Info
'
expect "No Info: unknown, exit 0 by default" '[ $status -eq 0 ] && has "$out" "UNKNOWN" && ! has "$out" "SAFE"'
run 'No Info' --fail-on unknown
expect "No Info with --fail-on unknown" '[ $status -eq 1 ]'
run '' --format ndjson
expect "empty stdin: unknown" 'has "$out" "\"verdict\":\"unknown\""'

# --- days from dates
run "$retinol" --since 2026-11-20 --now 2026-11-23T10:00 --format ndjson
expect "--since/--now: day 3" 'has "$out" "\"day\":3,\"verdict\":\"avoid\""'
run "$retinol" --since 2026-11-20T09:00 --now 2026-11-25T09:00 --format ndjson
expect "--since: 120 hours is day 5" 'has "$out" "\"day\":5,\"verdict\":\"caution\""'
run "$retinol" --since 2026-11-25 --now 2026-11-20
expect "--since after --now" '[ $status -eq 2 ] && has "$err" "after the moment"'
run "$retinol" --since 2026-02-30
expect "bad date" '[ $status -eq 2 ] && has "$err" "--since wants"'
# hours between two instants: across the change from summer time
# (Europe/London, 25 Oct 2026 at 02:00) a wall-clock day is 25 hours, and
# a spring one (29 Mar 2026) 23; the POSIX rule is the same zone for a
# system without the time zone database
for zone in Europe/London GMT0BST,M3.5.0/1,M10.5.0; do
	export TZ=$zone
	run "$retinol" --since 2026-10-24T12:00 --now 2026-10-25T11:30 --format ndjson
	expect "$zone: 23.5 h on the clock across October's change is day 1" 'has "$out" "\"day\":1,"'
	run "$retinol" --since 2026-03-28T12:00 --now 2026-03-29T12:30 --format ndjson
	expect "$zone: 24.5 h on the clock across March's change is day 0" 'has "$out" "\"day\":0,"'
	run "$retinol" plan --since 2026-10-24T23:30 --now 2026-10-25T23:15
	expect "$zone: the plan's today, day 1, is still Sun 25 Oct; day 2 starts an hour earlier on the clock" 'has "$out" "Today is day 1, Sun 25 Oct; day 2 starts Mon 26 Oct at 22:30."'
	expect "$zone: the days' starts are not all 23:30" 'has "$out" "from ~23:30 on"'
	unset TZ
done
# --- the catalogue's table fits the terminal (COLUMNS)
printf 'name,ingredients\nCooling Witch Hazel Toner With A Long Name,"Aqua, Alcohol Denat., Menthol, Limonene, Linalool, Eucalyptus Globulus Leaf Oil, Retinol"\n' > wide-table.csv
fits() { # every line of out.txt but the summary's is narrower than $1
	head -n -2 out.txt | python3 -c 'import sys
sys.exit(any(len(l.rstrip("\n")) >= int(sys.argv[1]) for l in sys.stdin))' "$1"
}
for width in 72 80 100 132; do
	export COLUMNS=$width
	run '' --day 2 wide-table.csv
	expect "COLUMNS=$width: every line of the table fits" "[ \$status -eq 1 ] && fits $width"
done
export COLUMNS=200
run '' --day 2 wide-table.csv
expect "one entry per ingredient, with its classes" 'has "$out" "Menthol (fragrance, counter-irritant)"'
export COLUMNS=72
run '' --day 2 wide-table.csv
expect "what does not fit is counted" 'has "$out" " more"'
unset COLUMNS

# --- a table on standard input, without --input csv
table='sku,name,ingredients
A1,Night Cream,"Aqua, Retinol"
A2,Gel,"Aqua, Glycerin"
'
run "$table" --day 2 --format ndjson
expect "a CSV on stdin is read as CSV" '[ $status -eq 1 ] && [ $(wc -l < out.txt) -eq 2 ] && has "$out" "\"name\":\"Night Cream\"" && [ -z "$err" ]'
run "$table" plan --day 2
expect "plan: a CSV on stdin is read as CSV" 'has "$out" "Night Cream" && has "$out" "Gel  "'
run "$table" --input text --day 2 --format ndjson
expect "--input text reads the table as one product" '[ $(wc -l < out.txt) -eq 1 ]'
run 'Ingredients, Aqua, Retinol' --day 2 --format ndjson
expect "a label that starts like a header: one product, and a warning with the fix" '[ $(wc -l < out.txt) -eq 1 ] && has "$out" "\"ingredient\":\"Retinol\"" && has "$err" "<stdin>:1: warning:" && has "$err" "--input csv"'
run 'product_name,clean_ingreds
Night Cream,"['aqua', 'retinol']"
' --day 2 --format ndjson
expect "a short header such as clean_ingreds: read as CSV" '[ $(wc -l < out.txt) -eq 1 ] && has "$out" "\"name\":\"Night Cream\""'
run 'REN does not use skin unfriendly ingredients, all products are free from fragrance
Aqua, Retinol' --day 2 --format ndjson
expect "a sentence about ingredients: no table, no warning" '[ -z "$err" ]'
run 'Ingredients: Aqua, Retinol' --day 2 --format ndjson
expect "an ingredients label: no warning" '[ -z "$err" ]'

run "$retinol" --hours 119 --format ndjson
expect "--hours 119 avoid" 'has "$out" "\"day\":4,\"verdict\":\"avoid\""'

# --- files
printf '%s' "$retinol" > serum.txt
run '' --day 2 --format ndjson serum.txt
expect "file input names its source" '[ $status -eq 1 ] && has "$out" "\"source\":\"serum.txt\""'
run "$retinol" --day 2 --format ndjson -
expect "- is stdin" 'has "$out" "\"source\":\"<stdin>\""'
run '' missing.txt
expect "missing file: exit 2" '[ $status -eq 2 ] && has "$err" "missing.txt: No such file or directory"'
mkdir adir
run '' adir
expect "directory: exit 2" '[ $status -eq 2 ] && has "$err" "adir: is a directory"'
run '' --day 2 --format ndjson missing.txt serum.txt
expect "other files still checked" '[ $status -eq 2 ] && has "$out" "serum.txt"'
printf 'Water, Glycerin\n\nAqua, Retinol\n   \nNo Info\n' > lists.txt
run '' --per-line --day 2 --format ndjson lists.txt
expect "--per-line: a record per non-blank line" '[ $(wc -l < out.txt) -eq 3 ]'
expect "--per-line: rows and lines" 'has "$out" "\"row\":2,\"line\":3," && has "$out" "\"row\":3,\"line\":5,"'
printf 'Water, Glycerin\r\rAqua, Retinol\r   \rNo Info\r' > cr-lists.txt
run '' --per-line --day 2 --format ndjson cr-lists.txt
expect "--per-line: lone CR ends lines (old Mac files)" '[ $(wc -l < out.txt) -eq 3 ] && has "$out" "\"row\":2,\"line\":3," && has "$out" "\"row\":3,\"line\":5,"'
printf 'Ingredients:\rAqua,\r Glycerin,\r  Retinol\r' > cr-list.txt
run '' --day 2 --format ndjson cr-list.txt
expect "a lone CR ends a line for finding positions" 'has "$out" "\"line\":4,\"column\":3"'
run '' --per-line --format json lists.txt
expect "json is one valid array" 'python3 -c "import json,sys; a=json.load(open(\"out.txt\")); assert len(a)==3"'
run '' --format json missing.txt
expect "json with no record is []" 'python3 -c "import json; assert json.load(open(\"out.txt\"))==[]"'

# --- encodings: Windows-1252 read as such (and said), UTF-16 with a BOM
printf 'Aqua, Glycerin,\nAqua, R\351tinol, Glycerin\n' > cp1252.txt
run '' --per-line --day 2 --format ndjson cp1252.txt
expect "Windows-1252 is read as such" '[ $status -eq 1 ] && has "$out" "tinol\",\"matched\":\"retinol\""'
expect "Windows-1252 is said, with the byte" 'has "$err" "cp1252.txt:2: warning: invalid UTF-8 at byte offset 23: read as Windows-1252"'
printf 'Aqua, Gly\201cerin, Retinol' > bad.txt
run '' --day 2 bad.txt
expect "invalid UTF-8 that no encoding explains is said" 'has "$err" "bad.txt:1: warning: invalid UTF-8 at byte offset 9" && ! has "$err" "Windows"'
printf '\377\376R\000e\000t\000i\000n\000o\000l\000,\000 \000A\000q\000u\000a\000' > utf16.txt
run '' --day 2 --format ndjson utf16.txt
expect "UTF-16 with a BOM is decoded, silently" '[ $status -eq 1 ] && has "$out" "retinoid" && [ -z "$err" ]'
run '' plan --day 2 cp1252.txt
expect "plan reads Windows-1252 too" 'has "$out" "tinol" && has "$err" "read as Windows-1252"'

# --- output safety and colour
run "Water, Red\033[2J Oil, Glycerin" --color always
expect "no raw escape from the input" '! grep -q "$(printf "\033")\[2J" out.txt'
expect "--color always colours" 'grep -q "$(printf "\033")\[1;" out.txt'
run "$retinol"
expect "no colour when not a terminal" '! grep -q "$(printf "\033")" out.txt'
if [ -w /dev/full ]; then
	"$bin" --day 2 serum.txt > /dev/full 2> err.txt
	status=$?
	err=$(cat err.txt)
	expect "/dev/full: exit 2 with a message" '[ $status -eq 2 ] && has "$err" "write error"'
fi
yes "$retinol" | head -n 20000 > many.txt
"$bin" --per-line --format ndjson many.txt 2> err.txt | head -n 1 > /dev/null
expect "closed pipe: no error spam" '[ ! -s err.txt ]'

# --- no escape from the input reaches standard error
esc=$(printf '\033')
bel=$(printf '\007')
printf 'sku,\033]0;pwned\007name,notes\033[2J\n1,a,b\n' > noingr.csv
run '' noingr.csv
expect "a header cell's escapes are not printed" '[ $status -eq 2 ] && has "$err" "no ingredients column" && ! grep -q "$esc" err.txt && ! grep -q "$bel" err.txt'
printf 'name,ingredients\nA\n' > "$(printf 'bad\033[2Jname.csv')"
run '' --format ndjson bad*name.csv
expect "a file name's escapes are not printed in row warnings" 'has "$err" "warning: row 1" && ! grep -q "$esc" err.txt'
run '' "$(printf 'gone\033]0;x\007.txt')"
expect "nor in a missing file's message" '[ $status -eq 2 ] && has "$err" "No such file" && ! grep -q "$esc" err.txt && ! grep -q "$bel" err.txt'
run '' --day "$(printf '\033[2J')"
expect "nor in a usage error" '[ $status -eq 2 ] && has "$err" "--day wants" && ! grep -q "$esc" err.txt'

# --- CSV inventories
awk 'BEGIN { print "sku,name,ingredients"; for (i = 1; i <= 10000; i++) {
	a = (i % 3 == 0) ? "Retinol" : (i % 3 == 1) ? "Glycerin" : "Citric Acid";
	printf "%d,\"Product %d\",\"Aqua, Phenoxyethanol, %s\"\n", i, i, a } }' > inv.csv
run '' --day 3 --format ndjson --jobs 2 inv.csv
expect "10,000 rows give 10,000 records" '[ $(wc -l < out.txt) -eq 10000 ] && [ -z "$err" ]'
expect "records in input order" 'sed -n 9999p out.txt | grep -q "^{\"source\":\"inv.csv\",\"row\":9999,\"line\":10000,"'
"$bin" --day 3 --format ndjson --jobs 1 inv.csv > one.txt 2>&1
expect "--jobs 1 and 2 write the same" 'cmp -s one.txt out.txt'
run '' --day 3 --summary inv.csv
expect "--summary" '[ "$(head -n 1 out.txt)" = "10000 products: 3333 avoid, 3333 caution, 0 unknown, 3334 safe" ]'
run '' --day 3 inv.csv
expect "text: a table of what is not safe" 'has "$out" "VERDICT  SAFE FROM" && [ $(grep -c "^avoid" out.txt) -eq 3333 ] && has "$out" "10000 products:"'
expect "no progress line when stderr is not a terminal" '[ -z "$err" ]'
run '' --day 3 --format csv --column ingredients --id-column 1 inv.csv
expect "--format csv" '[ "$(head -n 1 out.txt)" = "row,id,name,verdict,safe_from_day,classes,ingredients,error" ] && [ $(wc -l < out.txt) -eq 10001 ]'
run '' --column 9 inv.csv
expect "--column out of range" '[ $status -eq 2 ] && has "$err" "--column 9: the file has 3 columns"'
run '' --column inci inv.csv
expect "--column unknown name lists the header" '[ $status -eq 2 ] && has "$err" "no column named '"'"'inci'"'"' (the header: sku, name, ingredients)"'
run '' --delimiter : inv.csv
expect "bad --delimiter" '[ $status -eq 2 ]'
run 'name,inci
Serum,"Aqua, Retinol"
' --input csv --day 2 --format ndjson
expect "--input csv reads stdin" '[ $status -eq 1 ] && has "$out" "\"source\":\"<stdin>\",\"row\":1,\"line\":2,\"name\":\"Serum\""'
run 'name,inci
Serum,"Aqua, Retinol"
' --input csv --format json
expect "CSV records as one JSON array" 'python3 -c "import json; assert len(json.load(open(\"out.txt\")))==1"'
# the same bytes from a file and from a pipe that delivers them in two
# pieces, the first ending inside a quoted header cell
first='"Product\n' rest='notes";ingredients;aftercare_day\nNight Serum;Aqua, Retinol;0\n'
printf "$first$rest" > quoted-header.csv
"$bin" --format ndjson quoted-header.csv > file.txt 2>&1
(printf "$first"; sleep 0.3; printf "$rest") | "$bin" --input csv --format ndjson > out.txt 2> err.txt
status=$? out=$(cat out.txt) err=$(cat err.txt)
expect "a header read in pieces: the delimiter of the whole first record" '[ $status -eq 1 ] && has "$out" "\"verdict\":\"avoid\"" && sed "s/<stdin>/quoted-header.csv/" out.txt | cmp -s - file.txt'
# lone CRs end lines ("CSV (Macintosh)"): rows and positions count them
printf 'sku,name,ingredients\r1,Gel,"Aqua,\rGlycerin"\r2,Serum,"Aqua,\rRetinol"\r' > mac.csv
run '' --day 2 --format ndjson mac.csv
expect "CR line ends: lines and columns" 'has "$out" "\"row\":2,\"line\":4," && has "$out" "\"class\":\"retinoid\",\"status\":\"avoid\",\"until_day\":5,\"avoid_until_day\":5,\"caution_until_day\":7,\"line\":5,\"column\":1"'
# --format html keeps its table in a temporary file: when that fails
# (here: a file size limit, as a full $TMPDIR would) there is no page
# at all, and the message names the temporary file and why
{ (trap '' XFSZ; ulimit -f 16; exec "$bin" --day 3 --format html inv.csv 2> err.txt)
  echo $? > status.txt; } | cat > out.txt
status=$(cat status.txt) err=$(cat err.txt)
expect "html: a temporary file that fails gives no page" '[ $status -eq 2 ] && [ ! -s out.txt ] && has "$err" "temporary file: File too large; no page written" && ! has "$err" "write error"'
TMPDIR=$tmp/none "$bin" --day 3 --format html inv.csv > out.txt 2> err.txt
status=$? err=$(cat err.txt)
expect "html: no temporary file, no page" '[ $status -eq 2 ] && [ ! -s out.txt ] && has "$err" "none: cannot make a temporary file there"'
# a big catalogue's page: every product in the counts, the first
# NDL_HTML_MAX_ROWS (1000) not safe in the table, and how to get the rest
{ echo 'name,ingredients'; i=0; while [ $i -lt 1003 ]; do echo "P$i,\"Aqua, Retinol\""; i=$((i + 1)); done; } > big.csv
run '' --day 3 --format html big.csv
expect "html: the table stops at 1000 rows, says how many more" '[ $status -eq 1 ] && [ $(grep -c "</tr>" out.txt) -eq 1001 ] && has "$out" "Not safe on day 3 (1003)" && has "$out" "The first 1000 are listed; 3 more are not safe" && has "$out" "P999<" && ! has "$out" "P1000<"'
printf 'name,ingredients\nA,"Aqua, Retinol"\n' > small.csv
run '' --day 2 --format ndjson small.csv serum.txt
expect "CSV and text files in one run" '[ $(wc -l < out.txt) -eq 2 ]'

# --- limits: a row too long to keep, an ingredients cell too long to
# read: records that say so, and the run goes on, in order and on the
# right lines, with one thread or two
python3 - <<'PY'
MB = 1 << 20
with open("long.csv", "w") as f:
    f.write("sku,name,ingredients,notes\n")
    f.write('1,Gel,"Aqua, Glycerin",ok\n')
    f.write('2,Huge,"Aqua, Retinol","' + ("x" * 1023 + "\n") * (17 * 1024) + '"\n')
    f.write('3,Serum,"Aqua, Retinol",ok\n')
    f.write('4,Big list,"' + "Aqua, " * (MB // 6 + 10) + 'Retinol",ok\n')
    f.write('5,Last,"Aqua,\nRetinol",ok\n')
with open("brackets.csv", "w") as f:
    f.write('name,ingredients\nX,"' + "(" * (40 * MB) + '"\nY,"Aqua, Retinol"\n')
PY
run '' --jobs 1 --day 2 --format ndjson long.csv
cp out.txt one.txt
expect "a 17 MB row: unknown, said, and the rows after it read" '[ $status -eq 1 ] && [ $(wc -l < out.txt) -eq 5 ] && sed -n 2p out.txt | grep -q "\"row\":2,\"line\":3,.*\"verdict\":\"unknown\".*\"error\":\"the row is longer than 16 MB: not read\"" && has "$err" "long.csv:3: warning: row 2: the row is longer than 16 MB"'
expect "the lines after it are counted" 'sed -n 3p out.txt | grep -q "\"row\":3,\"line\":17412,.*\"line\":17412,\"column\":16" && sed -n 5p out.txt | grep -q "\"row\":5,\"line\":17414,.*\"line\":17415,\"column\":1"'
expect "an ingredients cell over 1 MB: unknown, its row's other cells read" 'sed -n 4p out.txt | grep -q "\"name\":\"Big list\",.*\"verdict\":\"unknown\".*\"error\":\"the ingredients cell is longer than 1 MB: not read\""'
run '' --jobs 2 --day 2 --format ndjson long.csv
expect "the same with two threads" 'cmp -s one.txt out.txt'
peak() { python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' "$@"; }
# a row passed over is never held whole: the program's base (some 20 MB
# above what a one-name list takes: 5 MB, 17 with the OCR libraries
# linked) and little more (AddressSanitizer's shadow and quarantine
# count too)
printf 'Aqua' > tiny.txt
base=$(peak "$bin" --format ndjson tiny.txt)
small=$((base + 27)) large=$((base + 59))
[ -n "${ASAN_OPTIONS:-}" ] && small=256 large=256
mb=$(peak "$bin" --jobs 4 --format ndjson brackets.csv)
expect "a 40 MB cell of brackets: under $small MB of memory ($mb MB, base $base MB)" '[ "$mb" -lt $small ]'
mb=$(peak "$bin" --jobs 4 --format ndjson long.csv)
expect "a 17 MB row and a 1 MB list: under $large MB of memory ($mb MB, base $base MB)" '[ "$mb" -lt $large ]'
rm -f long.csv brackets.csv

# plan keeps its products until the week is written: it takes 10,000
yes 'Aqua, Glycerin' | head -n 10000 > shelf.txt
run '' plan --per-line --format json shelf.txt
expect "plan: 10,000 products" '[ $status -eq 0 ] && python3 -c "import json; assert len(json.load(open(\"out.txt\"))[\"products\"]) == 10000"'
echo 'Aqua, Retinol' >> shelf.txt
run '' plan --per-line shelf.txt
expect "plan: 10,001 products refused, nothing written" '[ $status -eq 2 ] && [ ! -s out.txt ] && has "$err" "more than 10000 products" && has "$err" "check --day N"'
awk 'BEGIN { print "name,ingredients"; for (i = 0; i <= 10000; i++) print "P" i ",\"Aqua\"" }' > shelf.csv
run '' plan shelf.csv
expect "plan: a CSV of 10,001 products refused" '[ $status -eq 2 ] && [ ! -s out.txt ] && [ $(grep -c "more than 10000" err.txt) -eq 1 ]'

# --- hostile input
printf 'Water\000\001\002\003 Retinol' > binary.txt
run '' --format ndjson binary.txt
expect "NUL bytes: unknown, binary" '[ $status -eq 0 ] && has "$out" "\"verdict\":\"unknown\"" && has "$out" "binary data"'
run '' --fail-on unknown binary.txt
expect "binary with --fail-on unknown" '[ $status -eq 1 ]'
printf 'Water, Glyc\300\257rin\377, Retinol, \355\240\200Aqua' > badutf8.txt
run '' --day 2 --format ndjson badutf8.txt
expect "invalid and overlong UTF-8: read, valid JSON" '[ $status -eq 1 ] && has "$out" "retinoid" && python3 -c "import json; json.loads(open(\"out.txt\").read())"'
awk 'BEGIN { for (i = 0; i < 2600000; i++) printf "Water, Glycerin, "; printf "Retinol\n" }' > huge.txt
run '' --format ndjson --fail-on unknown huge.txt
expect "a 50 MB one-line list: cut at 100,000, said, unknown" '[ $status -eq 1 ] && [ $(wc -l < out.txt) -eq 1 ] && has "$out" "more than 100000 ingredients" && has "$out" "\"verdict\":\"unknown\""'
awk 'BEGIN { for (i = 1; i < 100000; i++) printf "Water, "; printf "Retinol\n" }' > many-ingredients.txt
run '' --day 2 --format ndjson many-ingredients.txt
expect "100,000 ingredients: all read" '[ $status -eq 1 ] && has "$out" "\"verdict\":\"avoid\"" && has "$out" "\"error\":null"'
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "("; printf "Retinol, Water" }' > open-brackets.txt
run '' --day 2 --format ndjson open-brackets.txt
expect "100,000 unclosed brackets" '[ $status -eq 1 ] && has "$out" "retinoid"'
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "(["; printf "Water"; for (i = 0; i < 50000; i++) printf "])"; printf ", Retinol" }' > nested.txt
run '' --day 2 --format ndjson nested.txt
expect "100,000 nested brackets" '[ $status -eq 1 ] && has "$out" "retinoid"'
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "c%d,", i; print "ingredients";
	for (i = 1; i <= 100000; i++) printf "x,"; print "\"Aqua, Retinol\"" }' > wide.csv
run '' --day 2 --format ndjson wide.csv
expect "a row of 100,001 columns" '[ $status -eq 1 ] && [ $(wc -l < out.txt) -eq 1 ] && has "$out" "\"column\":200008"'
mkdir slow
printf 'class: retinoid\ntitle: Retinoids\nentry: Retinol\nexample: Retinol\nentry: A-run\npattern: ^(a+)+$\nexample: aaaa\n' > slow/retinoid.txt
run 'Water, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab, Glycerin' --lexicon slow --format ndjson
expect "catastrophic pattern: bounded and reported" '[ $status -eq 0 ] && has "$out" "gave up on" && has "$out" "\"verdict\":\"unknown\""'
printf 'class\tavoid_until_h\tcaution_until_h\tthen\nretinoid\t1e999\t168\tsafe\n' > overflow.tsv
run "$retinol" --protocol overflow.tsv
expect "protocol: overflowing hours" '[ $status -eq 2 ] && has "$err" "overflow.tsv:2:10: error: '"'"'1e999'"'"' is not a number of hours"'
printf 'class\tavoid_until_h\tcaution_until_h\tthen\nretinoid\tfive days\t168\tsafe\n' > words.tsv
run "$retinol" --protocol words.tsv
expect "protocol: hours in words" '[ $status -eq 2 ] && has "$err" "words.tsv:2:10: error:"'

# --- knowledge files
printf 'class\tavoid_until_h\tcaution_until_h\tthen\nretinoid\t-5\t168\tsafe\n' > bad.tsv
run "$retinol" --protocol bad.tsv
expect "bad protocol: file:line:col" '[ $status -eq 2 ] && has "$err" "bad.tsv:2:10: error: '"'"'-5'"'"' is not a number of hours"'
mkdir lex
printf 'class: retinoid\nentry: Retinol\nexampel: Retinol\n' > lex/retinoid.txt
run "$retinol" --lexicon lex
expect "bad lexicon: file:line:col" '[ $status -eq 2 ] && has "$err" "lex/retinoid.txt:3:1: error: unknown key '"'"'exampel'"'"'"'
printf 'class: retinoid\ntitle: Retinoids (clinic)\nentry: Retinol\nexample: Retinol\n' > lex/retinoid.txt
run "Aqua, Retinyl Palmitate, Retinol" --lexicon lex --day 2 --format ndjson
expect "a lexicon file replaces its namesake" 'has "$out" "\"ingredient\":\"Retinol\"" && ! has "$out" "\"ingredient\":\"Retinyl Palmitate\""'
# the loose words of the ingredients column are the lexicon's
printf 'name,meine_zutaten\nNacht Creme,"Aqua, Retinol"\n' > zutaten.csv
run '' check zutaten.csv --day 2 --format ndjson
expect "a header with no word of columns.txt: no ingredients column" '[ $status -eq 2 ] && has "$err" "no ingredients column"'
mkdir colslex
sed 's/^entry: Ingred\*; INCI$/entry: Ingred*; INCI; Zutat*/' "$here/../../lexicon/columns.txt" > colslex/columns.txt
run '' check zutaten.csv --lexicon colslex --day 2 --format ndjson
expect "a word of role ingredients-word names the ingredients column" '[ $status -eq 1 ] && has "$out" "\"name\":\"Nacht Creme\"" && has "$out" "\"ingredient\":\"Retinol\""'
run "$retinol" --known missing-names.txt
expect "missing --known file" '[ $status -eq 2 ] && has "$err" "missing-names.txt"'
printf 'Xyzzy Extract\n' > names.txt
run "Aqua, Xyzzy Extract, Glycerin" --known names.txt --format ndjson
expect "--known widens the vocabulary" 'has "$out" "\"unrecognized\":[]"'

# a FIFO where a knowledge file belongs is refused at once, not waited on
mkfifo fifo.tsv
mkdir fifolex
mkfifo fifolex/retinoid.txt fifolex/guidance.tsv
for args in "--protocol fifo.tsv" "--lexicon fifolex" "--known fifo.tsv" \
	"plan --protocol fifo.tsv"; do
	printf '%s' "$retinol" | timeout 10 "$bin" $args > out.txt 2> err.txt
	status=$? err=$(cat err.txt)
	expect "FIFO: $args: refused, no hang" '[ $status -eq 2 ] && has "$err" "not a regular file"'
done
rm fifolex/retinoid.txt
printf '%s' "$retinol" | timeout 10 "$bin" plan --lexicon fifolex > out.txt 2> err.txt
status=$? err=$(cat err.txt)
expect "FIFO: a guidance.tsv in --lexicon: refused, no hang" '[ $status -eq 2 ] && has "$err" "guidance.tsv: error: not a regular file"'

# --- lexicon command
run '' lexicon --test
expect "lexicon --test passes" '[ $status -eq 0 ] && has "$out" "0 failed"'
checks=$(echo "$out" | sed -n 's/^lexicon test: \([0-9]*\) checks.*/\1/p')
# the examples of label.tsv (how the list is found on a photo) count in
# it; a --lexicon directory's label.tsv is tested in place of the built-in
mkdir labellex
label=$here/../../lexicon/label.tsv
cp "$label" labellex/label.tsv
printf 'example\tIngredients: Aqua, Urea. Made in Spain.\tAqua, Urea\n' >> labellex/label.tsv
run '' lexicon --test --lexicon labellex
expect "lexicon --test: a label example more, a check more" \
	'[ $status -eq 0 ] && has "$out" "lexicon test: $((checks + 1)) checks, 0 failed"'
line=$(grep -n '^example' "$label" | head -1 | cut -d: -f1)
sed "${line}s/\t[^\t]*\$/\tAqua, Glycerin/" "$label" > labellex/label.tsv
run '' lexicon --test --lexicon labellex
expect "lexicon --test: a broken label example fails, with its file and line" \
	'[ $status -eq 1 ] && has "$out" "$checks checks, 1 failed" && has "$err" "labellex/label.tsv:$line: example: found \"" && has "$err" "expected \"Aqua, Glycerin\""'
printf 'begin\tIngredients\n' > labellex/label.tsv
run '' lexicon --test --lexicon labellex
expect "lexicon --test: a wrong line of label.tsv: exit 2, where" \
	'[ $status -eq 2 ] && has "$err" "labellex/label.tsv:1:1: error: unknown kind"'
run '' lexicon --explain 'Retinyl Palmitate (Vitamin A)'
expect "lexicon --explain" '[ $status -eq 0 ] && has "$out" "retinoid"'
run '' lexicon --list
expect "lexicon --list" '[ $status -eq 0 ] && has "$out" "uv-filter" && has "$out" "recommended"'
run '' lexicon
expect "lexicon without a question" '[ $status -eq 2 ]'
run '' lexicon --test serum.txt
expect "lexicon takes no file" '[ $status -eq 2 ]'
run '' --test
expect "--test belongs to lexicon" '[ $status -eq 2 ] && has "$err" "--test is not an option of '"'"'needlecheck check'"'"' (lexicon takes it)"'

# --- options: one table; global options may come before the command
run "$retinol" --day 3 plan
expect "options before the command: a plan" '[ $status -eq 1 ] && has "$out" "Today is day 3." && [ -z "$err" ]'
run "$retinol" --name plan
expect "an option's value is no command" '[ $status -eq 1 ] && has "$out" "plan — <stdin>" && has "$out" "AVOID on day 0"'
run "$retinol" lexicon --list --jobs 2
expect "an option the command does not take names both" '[ $status -eq 2 ] && [ ! -s out.txt ] && has "$err" "--jobs is not an option of '"'"'needlecheck lexicon'"'"' (check, plan and lint take it)"'
run "$retinol" --day 3 --fix
expect "--fix is no option of check: nothing is checked" '[ $status -eq 2 ] && [ ! -s out.txt ] && has "$err" "--fix is not an option of '"'"'needlecheck check'"'"' (lint takes it)"'

finish checks
