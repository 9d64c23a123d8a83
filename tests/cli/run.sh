#!/bin/sh
# CLI tests: exit statuses, messages, stdin versus files, options.
# Usage: run.sh path/to/needlecheck
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
ulimit -f 200000 2>/dev/null # 100 MB: a runaway writer fails, not the disk
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
fail=0 n=0

# run STDIN ARGS...: runs the binary; sets $out, $err, $status
run() {
	input=$1
	shift
	printf '%s' "$input" > in.txt
	"$bin" "$@" < in.txt > out.txt 2> err.txt
	status=$?
	out=$(cat out.txt)
	err=$(cat err.txt)
}

# expect NAME CONDITION: counts a failed condition
expect() {
	n=$((n + 1))
	if ! eval "$2"; then
		fail=$((fail + 1))
		echo "cli: FAIL $1"
		echo "  condition: $2"
		echo "  status: $status"
		echo "  stdout: $(head -c 600 out.txt)"
		echo "  stderr: $(head -c 600 err.txt)"
	fi
}

has() { case "$1" in *"$2"*) return 0 ;; esac; return 1; }

retinol='Aqua, Glycerin, Retinol, Phenoxyethanol'

# --- help and usage
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
expect "retinol position" 'has "$out" "\"class\":\"retinoid\",\"status\":\"avoid\",\"until_day\":5,\"line\":1,\"column\":17"'
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
printf 'name,ingredients\nA,"Aqua, Retinol"\n' > small.csv
run '' --day 2 --format ndjson small.csv serum.txt
expect "CSV and text files in one run" '[ $(wc -l < out.txt) -eq 2 ]'

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
run "$retinol" --known missing-names.txt
expect "missing --known file" '[ $status -eq 2 ] && has "$err" "missing-names.txt"'
printf 'Xyzzy Extract\n' > names.txt
run "Aqua, Xyzzy Extract, Glycerin" --known names.txt --format ndjson
expect "--known widens the vocabulary" 'has "$out" "\"unrecognized\":[]"'

# --- lexicon command
run '' lexicon --test
expect "lexicon --test passes" '[ $status -eq 0 ] && has "$out" "0 failed"'
run '' lexicon --explain 'Retinyl Palmitate (Vitamin A)'
expect "lexicon --explain" '[ $status -eq 0 ] && has "$out" "retinoid"'
run '' lexicon --list
expect "lexicon --list" '[ $status -eq 0 ] && has "$out" "uv-filter" && has "$out" "recommended"'
run '' lexicon
expect "lexicon without a question" '[ $status -eq 2 ]'
run '' lexicon --test serum.txt
expect "lexicon takes no file" '[ $status -eq 2 ]'
run '' --test
expect "--test belongs to lexicon" '[ $status -eq 2 ]'

echo "cli: $n checks, $fail failed"
[ $fail -eq 0 ]
