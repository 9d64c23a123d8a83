#!/bin/sh
# The layers of src/ (README, "Layout"): a file includes headers of its
# own folder and of the folders below it, never above; the program
# (src/cli) uses the library through its public headers only; no header
# includes itself through others. Prints each include that breaks this.
#
#   base < knowledge < core < input < apps < render < cli
#
# Public headers: include/needlecheck.h serves every layer; the readers',
# the applications' and the renderers' headers serve their layer and
# those above (include/needlecheck_input.h, _apps.h, _render.h).
here=$(dirname "$0")
top=$(cd "$here/.." && pwd)
cd "$top" || exit 2
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.edges"' EXIT

rank() { # the rank of a folder (base 0 ... cli 6), or nothing
	case "$1" in
	base) echo 0 ;; knowledge) echo 1 ;; core) echo 2 ;; input) echo 3 ;;
	apps) echo 4 ;; render) echo 5 ;; cli) echo 6 ;;
	esac
}

public_rank() { # the lowest layer a public header may serve
	case "$1" in
	needlecheck.h) echo 0 ;; needlecheck_input.h) echo 3 ;;
	needlecheck_apps.h) echo 4 ;; needlecheck_render.h) echo 5 ;;
	esac
}

: > "$tmp.edges"
for f in src/*/*.[ch] include/*.h; do
	dir=$(basename "$(dirname "$f")")
	if [ "$dir" = include ]; then
		mine=$(public_rank "$(basename "$f")")
	else
		mine=$(rank "$dir")
	fi
	sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$f" | while read -r inc; do
		echo "$f $inc" >> "$tmp.edges"
		if [ "$dir" = tools ]; then
			echo "$f: includes \"$inc\": the build tools stand alone"
			continue
		fi
		if [ -z "$mine" ]; then
			echo "$f: a file outside the layers"
			continue
		fi
		case "$inc" in
		needlecheck*.h)
			theirs=$(public_rank "$inc")
			[ -f "include/$inc" ] && [ -n "$theirs" ] || {
				echo "$f: includes \"$inc\": no such public header"
				continue
			} ;;
		*/*)
			layer=${inc%%/*}
			theirs=$(rank "$layer")
			[ -n "$theirs" ] && [ -f "src/$inc" ] || {
				echo "$f: includes \"$inc\": not a header of a layer"
				continue
			}
			if [ "$dir" = cli ] && [ "$layer" != cli ]; then
				echo "$f: includes \"$inc\": the program uses the library's public headers only"
				continue
			fi
			if [ "$dir" = include ]; then
				echo "$f: includes \"$inc\": a public header includes public headers only"
				continue
			fi ;;
		*)
			echo "$f: includes \"$inc\": name its folder (\"core/match.h\") or a public header"
			continue ;;
		esac
		if [ "$theirs" -gt "$mine" ]; then
			echo "$f: includes \"$inc\", a layer above its own"
		fi
	done
done > "$tmp"

# a cycle among headers: tsort says so
sed 's|^src/||; s|^include/||' "$tmp.edges" | tsort > /dev/null 2> "$tmp.edges.err" ||
	{ echo "include cycle:"; cat "$tmp.edges.err"; } >> "$tmp"
rm -f "$tmp.edges.err"

if [ -s "$tmp" ]; then
	cat "$tmp"
	echo "layers: $(wc -l < "$tmp") problems"
	exit 1
fi
echo "layers: $(ls src/*/*.[ch] include/*.h | wc -l) files, every include points down"
