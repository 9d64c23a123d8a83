#!/bin/sh
# make install into a temporary DESTDIR, then use what it installed: the
# program, the manual pages (rendered without a warning), the bash
# completion, and the library through pkg-config, shared and static.
# Usage: run.sh MAKE [CC [LDFLAGS]] (a sanitizer build's program needs
# its LDFLAGS)
make=${1:-make}
cc=${2:-cc}
ldflags=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
check() { # NAME COMMAND...
	name=$1
	shift
	n=$((n + 1))
	if ! "$@" > "$tmp/out" 2>&1; then
		echo "install: FAIL $name"
		sed 's/^/  /' "$tmp/out" | head -20
		fail=$((fail + 1))
	fi
}

root=$tmp/root
if ! $make --no-print-directory -s install DESTDIR="$root" PREFIX=/usr > "$tmp/make.log" 2>&1; then
	cat "$tmp/make.log"
	echo "install: make install failed"
	exit 1
fi

check "the installed program runs" sh -c "'$root/usr/bin/needlecheck' version | grep -q '^needlecheck '"

lint_man() { # PAGE: mandoc finds nothing to say; man -l renders it, warning-free
	if command -v mandoc > /dev/null; then
		mandoc -T lint -W warning "$1" || return 1
	fi
	out=$(MANWIDTH=80 man --warnings=all -l "$1" 2>&1 > /dev/null) || return 1
	[ -z "$out" ] || { echo "$out"; return 1; }
	MANWIDTH=80 man -l "$1" 2> /dev/null | grep -q 'SEE ALSO'
}
check "needlecheck(1) renders cleanly" lint_man "$root/usr/share/man/man1/needlecheck.1"
check "needlecheck-lexicon(5) renders cleanly" lint_man "$root/usr/share/man/man5/needlecheck-lexicon.5"

check "bash completes a command" sh -c "[ \"\$(cd '$tmp' && $(command -v bash) -c '. \"$root/usr/share/bash-completion/completions/needlecheck\"; COMP_WORDS=(needlecheck pl); COMP_CWORD=1; _needlecheck; echo \"\${COMPREPLY[*]}\"')\" = plan ]"
check "bash completes a format" sh -c "$(command -v bash) -c '. \"$root/usr/share/bash-completion/completions/needlecheck\"; COMP_WORDS=(needlecheck plan --format ma); COMP_CWORD=3; _needlecheck; echo \"\${COMPREPLY[*]}\"' | grep -qx markdown"

# the library: headers and flags from pkg-config, as a user's build gets them
export PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_LIBDIR="$root/usr/lib/pkgconfig"
check "pkg-config knows needlecheck" pkg-config --exists needlecheck
shared() {
	# shellcheck disable=SC2046 # the flags are words
	$cc $ldflags -o "$tmp/shared" "$here/program.c" $(pkg-config --cflags --libs needlecheck) &&
	readelf -d "$tmp/shared" | grep -q 'NEEDED.*libneedlecheck\.so\.0' &&
	LD_LIBRARY_PATH="$root/usr/lib" "$tmp/shared" | grep -qx '[0-9.]* avoid, safe from day 7'
}
check "a program built with the shared library" shared
static() {
	# shellcheck disable=SC2046
	$cc $ldflags -o "$tmp/static" "$here/program.c" $(pkg-config --cflags needlecheck) \
		"$root/usr/lib/libneedlecheck.a" $(pkg-config --static --libs-only-l needlecheck | sed 's/-lneedlecheck//') &&
	! readelf -d "$tmp/static" | grep -q 'libneedlecheck' &&
	"$tmp/static" | grep -qx '[0-9.]* avoid, safe from day 7'
}
check "a program built with the static library" static

# the OCR and HTTP libraries are opened when a photo or 'serve' needs
# them: the program, the library and what is built with it link none
unlinked() { # FILE
	! readelf -d "$1" | grep -E 'NEEDED.*(tesseract|lept|microhttpd)'
}
check "the program links no OCR or HTTP library" unlinked "$root/usr/bin/needlecheck"
check "the shared library links none" unlinked "$root/usr/lib/libneedlecheck.so.0"
check "pkg-config names none" sh -c "! pkg-config --static --libs needlecheck | grep -E 'tesseract|lept|microhttpd'"

echo "install: $n checks, $fail failed"
[ $fail -eq 0 ]
