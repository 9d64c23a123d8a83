#!/bin/sh
# Prints the command of a headless Chromium. When there is none and we are
# root on Debian, installs the package `chromium` first. Exit 1, with the
# reason on standard error, when there is none to be had.
for name in chromium chromium-browser; do
	if command -v "$name" >/dev/null 2>&1; then
		command -v "$name"
		exit 0
	fi
done
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "no chromium; as root: apt-get install -y chromium" >&2
	exit 1
fi
echo "installing chromium" >&2
if ! { apt-get update -qq &&
       DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	       --no-install-recommends chromium >/dev/null; }; then
	echo "could not install chromium" >&2
	exit 1
fi
command -v chromium
