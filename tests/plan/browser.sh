#!/bin/sh
# The HTML pages in a real browser: headless Chromium loads each page and
# dumps the DOM it built. The product names and verdicts must be in it, the
# same as the JSON output says, and on a phone-sized window the page must
# not be wider than the screen (its tables scroll inside the page).
# Usage: browser.sh path/to/needlecheck. Without Chromium (and not root to
# install it) the test says so and is skipped.
here=$(cd "$(dirname "$0")" && pwd)
if ! browser=$(sh "$here/chromium.sh"); then
	echo "browser: SKIPPED, no headless Chromium to render the pages with"
	exit 0
fi
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
start browser "$1"

# render PAGE WIDTH: the DOM of PAGE in a window WIDTH pixels wide. A copy
# of the page gets probe.html's script, which records how far it overflows
# the window and tries the filter box. Chromium makes no window narrower
# than 500 px, so the copy's page is also held to WIDTH: a 390 px phone's
# layout, measured inside a wider window.
render() {
	python3 -c 'import sys; page, probe, width, out = sys.argv[1:]
html = open(page).read().replace("</body>", open(probe).read() + "</body>")
html = html.replace("</head>", "<style>html{max-width:%spx}</style></head>" % width)
open(out, "w").write(html)' \
		"$1" "$here/probe.html" "$2" "$tmp/page.html"
	"$browser" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$(mktemp -d "$tmp/profile.XXXXXX")" \
		--window-size="$2,900" --dump-dom "file://$tmp/page.html" 2> "$tmp/chromium.err"
}

# check NAME KIND PAGE EXPECTED: renders PAGE at two widths and compares
check() {
	for width in 1200 390; do
		n=$((n + 1))
		if ! render "$3" $width > "$tmp/dom.html" || [ ! -s "$tmp/dom.html" ]; then
			failed "$1 ($width px): chromium failed: $(tail -n 3 "$tmp/chromium.err")"
		elif ! python3 "$here/browser_check.py" "$2" "$tmp/dom.html" "$4"; then
			failed "$1 ($width px): the rendered page is wrong"
		fi
	done
}

cd "$here/inputs" || exit 2
plan="--since 2026-11-20 --now 2026-11-23T10:00 night-serum.txt shelf.csv toner.txt unknown.txt"
# shellcheck disable=SC2086 # words
"$bin" plan $plan --format html > "$tmp/plan.html"
# shellcheck disable=SC2086
"$bin" plan $plan --format json > "$tmp/plan.json"
check plan plan "$tmp/plan.html" "$tmp/plan.json"

# late in the week, after an afternoon procedure: on a phone today's
# column is far to the right of the product column
plan="--since 2026-11-20T14:30 --now 2026-11-26T20:00 night-serum.txt shelf.csv toner.txt"
# shellcheck disable=SC2086 # words
"$bin" plan $plan --format html > "$tmp/plan-late.html"
# shellcheck disable=SC2086
"$bin" plan $plan --format json > "$tmp/plan-late.json"
check plan-late plan "$tmp/plan-late.html" "$tmp/plan-late.json"

"$bin" --day 3 --format html shelf.csv toner.txt > "$tmp/catalogue.html"
"$bin" --day 3 --format csv shelf.csv toner.txt > "$tmp/catalogue.csv"
check catalogue catalogue "$tmp/catalogue.html" "$tmp/catalogue.csv"

# a person's few products (text files): all listed, named by their files
"$bin" --day 3 --format html night-serum.txt toner.txt hydrating-gel.txt > "$tmp/products.html"
"$bin" --day 3 --format ndjson night-serum.txt toner.txt hydrating-gel.txt > "$tmp/products.ndjson"
check products products "$tmp/products.html" "$tmp/products.ndjson"

# a photo's view beside a text file's row (when photos can be read):
# the photo inside a phone's window, each outline on it
photo=$here/../photo/fixtures/night-serum.moderate.jpg
"$bin" --day 3 --format ndjson "$photo" toner.txt > "$tmp/photo.ndjson" 2> "$tmp/photo.err"
if [ $? -le 1 ]; then
	"$bin" --day 3 --format html "$photo" toner.txt > "$tmp/photo.html"
	check photo photo "$tmp/photo.html" "$tmp/photo.ndjson"
	# the plan's page: the photo after the Today block, as check's
	"$bin" plan --day 3 --format html "$photo" toner.txt > "$tmp/plan-photo.html"
	"$bin" plan --day 3 --format json "$photo" toner.txt > "$tmp/plan-photo.json"
	check plan-photo plan "$tmp/plan-photo.html" "$tmp/plan-photo.json"
else
	echo "browser: no photo page: $(head -c 300 "$tmp/photo.err")"
fi

finish renderings
