#!/usr/bin/env python3
"""A page as a phone shows it: headless Chromium at 390 CSS pixels wide
(DevTools device metrics: a window cannot be made that narrow), scripts
on, then a screenshot of what the first screen shows (390×844). For
`make screenshots`.

Usage: phone_shot.py PAGE.html OUT.png"""
import base64
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "serve"))
from browser import Browser, chromium  # noqa: E402


def main():
    page, out = os.path.abspath(sys.argv[1]), sys.argv[2]
    exe = chromium()
    if exe is None:
        print("phone_shot: no headless Chromium", file=sys.stderr)
        return 1
    profile = tempfile.mkdtemp(prefix="needlecheck-chromium-")
    b = Browser(exe, profile)
    try:
        b.open_page(scripts=True)
        b.load("file://" + page)
        data = b.send("Page.captureScreenshot", {"format": "png"})["data"]
        with open(out, "wb") as f:
            f.write(base64.b64decode(data))
    finally:
        b.close()
        shutil.rmtree(profile, ignore_errors=True)
    print("%s: %d bytes" % (out, os.path.getsize(out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
