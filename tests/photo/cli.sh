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

run --day 3 --format ndjson "$fx/calm-gel.clean.png" plain.txt
expect "photo and text file: two records" '[ $(wc -l < out.txt) -eq 2 ]'
expect "source and ocr" 'has "$out" "{\"source\":\"$fx/calm-gel.clean.png\",\"ocr\":{\"confidence\":" && has "$out" "\"engine\":\"tesseract 5"'
expect "a finding has its box" 'head -1 out.txt | grep -q "\"box\":\[[0-9]*,[0-9]*,[1-9][0-9]*,[1-9][0-9]*\]"'
expect "the text file has no ocr" 'tail -1 out.txt | grep -qv "\"ocr\""'

run plan --day 3 "$fx/day-fluid-spf.clean.png" plain.txt
expect "plan reads a photo" '[ $status -eq 0 ] && has "$out" "day-fluid-spf.clean" && has "$out" "plain.txt"'

hostile=$(dirname "$fx")/hostile
run --day 3 --format ndjson "$hostile/blurred.jpg"
expect "a blurred photo: unknown, with the reason" '[ $status -eq 0 ] && has "$out" "\"verdict\":\"unknown\"" && has "$out" "too little confidence"'
run --day 3 --format ndjson "$hostile/soft.jpg"
expect "a soft photo: the avoid read on it stands, and the doubt is said" '[ $status -eq 1 ] && has "$out" "\"verdict\":\"avoid\"" && has "$out" "\"class\":\"retinoid\"" && has "$out" "too little confidence"'
run --day 3 --format ndjson "$hostile/cut-list.jpg"
expect "a list read up to its first comma, the rest lost to blur (Retinol among it): unknown, never safe" \
	'[ $status -eq 0 ] && has "$out" "\"verdict\":\"unknown\"" && has "$out" "the list goes on after \\\"Aqua (Water)\\\""'
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
