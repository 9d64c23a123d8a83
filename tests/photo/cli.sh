#!/bin/sh
# The command line on photos: check and plan read a photo of a label (by
# content, or with --input image), mixed with text files; the record
# says what read it and where each finding is; bad photos get a message
# and exit 2. Without the OCR libraries: the message naming them. ABSENT,
# the program built to find no OCR library at run time: it says what to
# install, and what needs none is read as ever.
# Usage: cli.sh path/to/needlecheck [ABSENT]
absent=${2:+$(cd "$(dirname "$2")" && pwd)/$(basename "$2")}
fx=$(cd "$(dirname "$0")" && pwd)/fixtures
# shellcheck source=tests/lib.sh
. "$fx/../../lib.sh"
start "photo cli" "$1"
cd "$tmp" || exit 2

run() { capture "$bin" "$@"; }

printf 'Aqua, Glycerin, Panthenol' > plain.txt
printf 'Aqua, Glycerin, Retinol\n' > list.jpg   # text, whatever its name
head -c 3000 "$fx/night-serum.moderate.jpg" > cut.jpg
head -c 20000 "$fx/calm-gel.clean.png" > cut.png
# a byte of the image data changed: the PNG is whole, its data damaged
cp "$fx/calm-gel.clean.png" flip.png
printf '\377' | dd of=flip.png bs=1 seek=30000 conv=notrunc 2>/dev/null
cmp -s flip.png "$fx/calm-gel.clean.png" &&
	printf '\000' | dd of=flip.png bs=1 seek=30000 conv=notrunc 2>/dev/null

run --day 3 "$fx/night-serum.moderate.jpg"
if has "$err" "needs Tesseract and Leptonica"; then
	expect "no OCR: the message names the packages" '[ $status -eq 2 ] && has "$err" "libtesseract-dev"'
	finish "checks (built without OCR)"
	exit
fi
expect "a photo: avoid (retinol), exit 1" '[ $status -eq 1 ] && has "$out" "AVOID on day 3" && has "$out" "Retinol"'
expect "text output shows the list as read" 'has "$out" "Read from the photo (tesseract" && has "$out" "Sodium Hyaluronate" && has "$out" "Skipped:"'
expect "the directions are not the list" '! has "$out" "  Directions"'
expect "the list ends as printed, with no comma added" 'grep -q "Limonene\$" out.txt'
cp out.txt text.txt
run --day 3 --format ndjson "$fx/night-serum.moderate.jpg"
# each finding of the text, where the record's box says, not its column
places=$(python3 -c 'import json, sys
for f in json.load(sys.stdin)["findings"]:
    if f["status"] in ("avoid", "caution"):
        x, y, w, h = f["box"]
        print("  %s .* at %d,%d on the photo (%d\u00d7%d px)$" % (f["ingredient"], x, y, w, h))' < out.txt)
expect "text: each finding at its box on the photo" \
	'[ -n "$places" ] && echo "$places" | while read -r re; do grep -q -- "$re" text.txt || exit 1; done && ! grep -q "column" text.txt'

# two engines reading the blocks side by side read what one reads
run --day 3 --format ndjson --jobs 1 "$fx/night-serum.moderate.jpg" "$fx/day-fluid-spf.clean.png"
cp out.txt one.txt
run --day 3 --format ndjson --jobs 2 "$fx/night-serum.moderate.jpg" "$fx/day-fluid-spf.clean.png"
expect "--jobs 2 (two engines) reads each photo as --jobs 1 does" '[ $status -eq 1 ] && [ $(wc -l < out.txt) -eq 2 ] && cmp -s one.txt out.txt'

run --day 3 --format ndjson "$fx/calm-gel.clean.png" plain.txt
expect "photo and text file: two records" '[ $(wc -l < out.txt) -eq 2 ]'
expect "source and ocr" 'has "$out" "{\"source\":\"$fx/calm-gel.clean.png\",\"ocr\":{\"confidence\":" && has "$out" "\"engine\":\"tesseract 5"'
expect "a finding has its box" 'head -1 out.txt | grep -q "\"box\":\[[0-9]*,[0-9]*,[1-9][0-9]*,[1-9][0-9]*\]"'
expect "the text file has no ocr" 'tail -1 out.txt | grep -qv "\"ocr\""'

# the page: each photo's view (the photo, its outlines at the records'
# boxes, the verdict), the text file's row as ever; a valid page
html_check=$(dirname "$(dirname "$fx")")/plan/html_check.py
page_check=$(dirname "$fx")/page_check.py
views() { # PAGE RECORDS PHOTO...: page_check.py's verdict, said on failure
	python3 "$page_check" "$@" > check.txt 2>&1 && python3 "$html_check" "$1" >> check.txt 2>&1
}
run --day 3 --format ndjson "$fx/night-serum.moderate.jpg" plain.txt "$fx/calm-gel.clean.png"
cp out.txt records.ndjson
run --day 3 --format html "$fx/night-serum.moderate.jpg" plain.txt "$fx/calm-gel.clean.png"
cp out.txt page.html
expect "html: photos and a text file, a view per photo, the photo as it is" \
	'[ $status -eq 1 ] && views page.html records.ndjson "$fx/night-serum.moderate.jpg" "$fx/calm-gel.clean.png" || { cat check.txt; false; }'
expect "html: the text file is a row of the table" 'has "$out" "<td>plain.txt</td>"'
expect "html: the outlines and the list say the same" \
	'has "$out" "<title>1. Retinol: avoid</title>" && has "$out" "<li><strong>Retinol</strong> <small>(retinoid)</small>: avoid on days 3–4"'
expect "html: what was read is shown" 'has "$out" "Read from the photo (" && has "$out" "Sodium Hyaluronate"'
run --day 3 --format html --name '<b>Night & "Day"</b>' "$fx/night-serum.moderate.jpg"
expect "html: the name is escaped" \
	'has "$out" "On the photo: &lt;b&gt;Night &amp; &quot;Day&quot;&lt;/b&gt;</h2>" && ! has "$out" "<b>Night"'
run --day 3 --format html plain.txt
expect "html: no photo, no view" '[ $status -eq 0 ] && ! has "$out" "class=\"photo\"" && ! has "$out" "data:image"'
if command -v convert > /dev/null 2>&1; then
	# a TIFF (no browser shows one) and a photo turned by its EXIF tag
	# are shown as a JPEG made from them, upright, like the boxes
	convert "$fx/calm-gel.clean.png" calm.tiff
	convert "$fx/night-serum.moderate.jpg" -rotate -90 stored.jpg
	python3 -c 'import sys  # an EXIF tag: orientation 6, turn it clockwise
exif = b"Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0"
d = open(sys.argv[1], "rb").read()
sys.stdout.buffer.write(d[:2] + b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif + d[2:])' \
		stored.jpg > turned.jpg
	for photo in calm.tiff turned.jpg; do
		run --day 3 --format ndjson "$photo"
		cp out.txt records.ndjson
		run --day 3 --format html "$photo"
		cp out.txt page.html
		expect "html: $photo shown as a JPEG" \
			'views page.html records.ndjson "$photo" && has "$out" "shown in gray" || { cat check.txt; false; }'
	done
	expect "html: the turned photo upright" 'has "$out" "<svg viewBox=\"0 0 1298 836\""'
fi

run plan --day 3 "$fx/day-fluid-spf.clean.png" plain.txt
expect "plan reads a photo" '[ $status -eq 0 ] && has "$out" "day-fluid-spf.clean" && has "$out" "plain.txt"'
# plan's page: the same view of each photo as check's, judged today
run --day 3 --format ndjson "$fx/night-serum.moderate.jpg" "$fx/calm-gel.clean.png"
cp out.txt records.ndjson
run plan --day 3 --format html "$fx/night-serum.moderate.jpg" plain.txt "$fx/calm-gel.clean.png"
cp out.txt page.html
expect "plan html: a view per photo, as check's page has" \
	'[ $status -eq 1 ] && views page.html records.ndjson "$fx/night-serum.moderate.jpg" "$fx/calm-gel.clean.png" || { cat check.txt; false; }'
expect "plan html: the views right after the Today block" \
	'python3 -c "import re, sys; p = open(sys.argv[1]).read(); sys.exit(not re.search(r\"<section class=.now.>.*?</section>\\n<section class=.photo.>\", p, re.S))" page.html'
run plan --day 3 --format html plain.txt
expect "plan html: no photo, no view" '[ $status -eq 0 ] && ! has "$out" "class=\"photo\"" && ! has "$out" "data:image"'

# --lexicon DIR's label.tsv finds the list on a photo, as DIR's other
# files serve the check: here a header the built-in words do not know
own=$(dirname "$fx")/own-header/sastav.png
mkdir words
{ cat "$fx/../../../lexicon/label.tsv"; printf 'start\tSastav\n'; } > words/label.tsv
run --day 3 "$own"
expect "an unknown header: the product's name read into the list" 'grep -q "^  Retinol Alternative Serum\$" out.txt'
run --day 3 --lexicon words "$own"
expect "--lexicon DIR's label.tsv: its header opens the list, the name skipped" \
	'[ $status -eq 0 ] && grep -q "^  Aqua, Glycerin, Panthenol, Bakuchiol, Allantoin\$" out.txt && ! has "$out" "Retinol Alternative"'
run --day 3 --lexicon words --format html "$own"
expect "--lexicon DIR's label.tsv: the page's list as read too" \
	'has "$out" "<p class=\"ocr\">Aqua, Glycerin" && ! has "$out" "Retinol Alternative"'
printf 'start\tSastav\nbegin\tZutaten\n' > words/label.tsv
run --day 3 --lexicon words plain.txt
expect "a bad label.tsv in --lexicon: exit 2, its file and line, nothing checked" \
	'[ $status -eq 2 ] && [ "$err" = "needlecheck: words/label.tsv:2:1: error: unknown kind \"begin\" (start, part, not, end, line, prose or example)" ] && [ -z "$out" ]'
rm words/label.tsv
if mkfifo words/label.tsv 2> /dev/null; then
	capture timeout 10 "$bin" lexicon --test --lexicon words
	expect "a FIFO for label.tsv: refused, no hang" '[ $status -eq 2 ] && has "$err" "words/label.tsv: error: not a regular file"'
fi

hostile=$(dirname "$fx")/hostile
run --day 3 --format ndjson "$hostile/blurred.jpg"
expect "a blurred photo: the retinol read in its other column stands, with the doubt" \
	'[ $status -eq 1 ] && has "$out" "\"verdict\":\"avoid\"" && has "$out" "\"class\":\"retinoid\"" && has "$out" "too little confidence"'
run --day 3 --format ndjson "$hostile/soft.jpg"
expect "a soft photo: the avoid read on it stands, and the doubt is said" '[ $status -eq 1 ] && has "$out" "\"verdict\":\"avoid\"" && has "$out" "\"class\":\"retinoid\"" && has "$out" "too little confidence"'
run --day 3 --format ndjson "$hostile/cut-list.jpg"
expect "a list whose first line alone is sharp, the rest blurred (Retinol among it): unknown, the retinol in doubt" \
	'[ $status -eq 0 ] && has "$out" "\"verdict\":\"unknown\"" && has "$out" "\"class\":\"retinoid\",\"status\":\"caution\""'
# lost-list.jpg: cut-list.jpg with the list after its first line, and
# the top of the next column, painted over (ImageMagick: -fill
# 'gray(236)' -draw "polygon 160,512 670,458 690,700 170,760" -draw
# "polygon 655,175 1065,140 1070,255 660,290"): a comma, then no more of
# the list, the next text a section of the other column
run --day 3 --format ndjson "$hostile/lost-list.jpg"
expect "a list that ends on a comma, the section after it not under it: unknown, never safe" \
	'[ $status -eq 0 ] && has "$out" "\"verdict\":\"unknown\"" && has "$out" "the list goes on after \\\"Glycerin\\\""'
mkdir -p nodata
capture env TESSDATA_PREFIX="$tmp/nodata" "$bin" --day 3 "$fx/calm-gel.clean.png" "$fx/calm-gel.clean.png" plain.txt
expect "no language data: exit 2, each photo says so, only the text file has a verdict" \
	'[ $status -eq 2 ] && [ $(grep -c "calm-gel.clean.png: Tesseract cannot load the language data eng+fra+deu (apt-get install" err.txt) -eq 2 ] && [ $(grep -c " on day 3 — " out.txt) -eq 1 ] && has "$out" "plain.txt"'
run --day 3 list.jpg
expect "a text file named .jpg is read as text" '[ $status -eq 1 ] && has "$out" "AVOID" && ! has "$out" "Read from the photo"'
run --day 3 --input image list.jpg
expect "--input image on text: exit 2" '[ $status -eq 2 ] && has "$err" "this is text, not a photo"'
run --day 3 cut.jpg
expect "a JPEG cut short: exit 2, our message alone (not libjpeg's)" \
	'[ $status -eq 2 ] && [ "$err" = "needlecheck: cut.jpg: the JPEG data is cut short or damaged" ]'
run --day 3 cut.png
expect "a PNG cut short: exit 2, our message alone (not libpng's)" \
	'[ $status -eq 2 ] && [ "$err" = "needlecheck: cut.png: the PNG data is cut short or damaged" ]'
run --day 3 flip.png plain.txt
expect "a PNG damaged inside: exit 2, our message alone, the next file read" \
	'[ $status -eq 2 ] && [ "$err" = "needlecheck: flip.png: the PNG data is cut short or damaged" ] && has "$out" "plain.txt"'
run --day 3 --input image < "$fx/calm-gel.clean.png"
expect "a photo on standard input" '[ $status -eq 0 ] && has "$out" "Read from the photo"'
run --day 3 --format html --input image < "$fx/calm-gel.clean.png"
expect "html: a photo on standard input" '[ $status -eq 0 ] && has "$out" "On the photo: standard input</h2>" && has "$out" "data:image/png;base64,"'

# the program has Tesseract skip its legacy engine's table of look-alike
# characters (src/cli/lstm_only.c): it reads each photo as the library,
# which builds the table, reads it (eval_photo): the same words, so the
# same confidence to a tenth
expect "the program exports the function it skips" \
	'nm -D --defined-only "$bin" | grep -q "UnicharAmbigs13LoadUniversal"'
"$(dirname "$bin")/photo/eval_photo" --text "$fx" > lib.txt 2>&1
for p in night-serum.moderate.jpg calm-gel.clean.png day-fluid-spf.clean.png; do
	conf=$(sed -n "s/^== $p .*, confidence \\([0-9.]*\\)\$/\\1/p" lib.txt)
	run --day 3 --format ndjson "$fx/$p"
	expect "$p: read by the program as by the library (confidence $conf)" \
		'[ -n "$conf" ] && has "$out" "\"ocr\":{\"confidence\":$conf,"'
done

if [ -n "$absent" ]; then
	with=$bin bin=$absent
	run --day 3 "$fx/night-serum.moderate.jpg" plain.txt
	expect "no OCR library at run time: exit 2, what to install, which library" \
		'[ $status -eq 2 ] && has "$err" "needs Tesseract and Leptonica (apt-get install " && has "$err" ".so.absent"'
	expect "no OCR library at run time: the text file is still checked" 'has "$out" "plain.txt"'
	run --day 3 plain.txt
	expect "no OCR library, no photo: as ever" '[ $status -eq 0 ] && [ -z "$err" ] && has "$out" "SAFE on day 3"'
	bin=$with
fi

finish checks
