#!/bin/sh
# The shared library a pkg-config module links (its first -l), for a
# program that opens it at run time (dlopen) instead of linking it:
# prints the C flags naming its soname (-DPREFIX_SO) and the Debian
# package that holds it (-DPREFIX_PACKAGE, for the message when it is
# missing). Each is left out when it cannot be told: the program's
# defaults then stand.
# Usage: soname.sh MODULE PREFIX
module=$1 prefix=$2
dir=$(pkg-config --variable=libdir "$module" 2>/dev/null) || exit 0
lib=$(pkg-config --libs-only-l "$module" | sed -n 's/^ *-l\([^ ]*\).*/\1/p')
so=$(objdump -p "$dir/lib$lib.so" 2>/dev/null | sed -n 's/^ *SONAME *//p')
[ -n "$so" ] || exit 0
printf "%s_SO='\"%s\"'" "$prefix" "$so"
package=$(dpkg-query -S "$(readlink -f "$dir/$so")" 2>/dev/null | sed -n '1s/[:,].*//p')
[ -z "$package" ] || printf " %s_PACKAGE='\"%s\"'" "$prefix" "$package"
echo
