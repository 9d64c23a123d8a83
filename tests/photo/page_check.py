#!/usr/bin/env python3
"""Checks the photos' views of a page of `needlecheck check --format html`
(or of `needlecheck plan --format html`, judged the same day) against
the records of the same run (--format ndjson).

Usage: page_check.py PAGE.html RECORDS.ndjson [PHOTO...]

Each record read from a photo (it has "ocr") must have its view, in the
order of the records: the photo embedded as a data: URI (the file's own
bytes when the PHOTO of that record is given and is PNG, JPEG or WebP of
at most 512 KiB; else a JPEG of at most 1600 pixels a side), over an
SVG whose viewBox holds every box; one outline per ingredient that
waits (status avoid or caution; one ingredient in several classes is
one), at its record's box, numbered in order; beside it the record's
verdict. Records of text files have no view. The views stand one after
another right after the page's opening (check: the count under the
title; plan: the Today block), before any chart or table: where a
person holding the bottle sees them first.
"""
import base64
import json
import re
import struct
import sys
from html.parser import HTMLParser


class Views(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.views = []
        self.in_h2 = False
        self.depth = 0  # inside a section.photo

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and a.get("class") == "photo":
            self.views.append({"name": "", "image": None, "viewbox": None,
                               "boxes": [], "verdict": None, "numbers": []})
            self.depth = 1
            return
        if not self.depth:
            return
        v = self.views[-1]
        if tag == "section":
            self.depth += 1
        elif tag == "h2":
            self.in_h2 = True
        elif tag == "svg":
            v["viewbox"] = [int(x) for x in a["viewbox"].split()]
        elif tag == "image":
            v["image"] = a.get("href")
        elif tag == "g" and "data-box" in a:
            v["boxes"].append([int(x) for x in a["data-box"].split(",")])
        elif tag == "span" and v["verdict"] is None and \
                (a.get("class") or "").startswith("v "):
            v["verdict"] = a["class"][2:]

    def handle_endtag(self, tag):
        if tag == "section" and self.depth:
            self.depth -= 1
        elif tag == "h2":
            self.in_h2 = False

    def handle_data(self, data):
        if self.in_h2 and self.depth:
            self.views[-1]["name"] += data


def jpeg_size(data):
    """(width, height) of a JPEG, from its SOF marker."""
    i = 2
    while i + 9 < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    return None


def waiting_boxes(record):
    """The boxes of the ingredients that wait, one an ingredient (its
    findings are at one line and column, with one box)."""
    groups = {}
    for f in record["findings"]:
        groups.setdefault((f["line"], f["column"]), []).append(f)
    return [g[0]["box"] for g in groups.values()
            if any(f["status"] in ("avoid", "caution") for f in g)
            and g[0].get("box") and g[0]["box"][2] > 0]


def placement(page):
    """What is wrong with where the views stand on the page, or None."""
    first = page.find('<section class="photo">')
    if first < 0:
        return None
    before = page[:first]
    if "<svg" in before or "<table" in before:
        return "a chart or a table comes before the photos"
    if not re.search(r'<h1>[^\n]*</h1>\n<p>[^\n]*</p>\n'
                     r'(?:<section class="now">\n.*?</section>\n)?\Z', before, re.S):
        return "the photos do not come right after the page's opening"
    run = re.match(r'(?:<section class="photo">\n.*?</section>\n)+', page[first:], re.S)
    if run.group(0).count('<section class="photo">') != page.count('<section class="photo">'):
        return "the photos are not one after another"
    return None


def main():
    page_path, records_path, photos = sys.argv[1], sys.argv[2], sys.argv[3:]
    page = Views()
    with open(page_path, encoding="utf-8") as f:
        markup = f.read()
    page.feed(markup)
    with open(records_path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    errors = []
    where_views = placement(markup)
    if where_views:
        errors.append(where_views)
    shot = [r for r in records if "ocr" in r]
    if len(page.views) != len(shot):
        errors.append(f"{len(page.views)} photo views for {len(shot)} photos")
    for i, (v, r) in enumerate(zip(page.views, shot)):
        name = r["name"] or r["source"].rsplit("/", 1)[-1]
        if r["source"] == "<stdin>" and not r["name"]:
            name = "standard input"
        where = f"view {i} ({name})"
        if v["name"] != f"On the photo: {name}":
            errors.append(f"{where}: headed {v['name']!r}")
        m = re.fullmatch(r"data:(image/(?:jpeg|png|webp));base64,([A-Za-z0-9+/]*=*)",
                         v["image"] or "")
        if not m:
            errors.append(f"{where}: no embedded image: {(v['image'] or '')[:40]!r}")
        else:
            data = base64.b64decode(m.group(2))
            original = open(photos[i], "rb").read() if i < len(photos) else None
            as_is = original is not None and len(original) <= 512 << 10 and \
                original[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb")
            if as_is and data != original:
                errors.append(f"{where}: the photo is not embedded as it is")
            if not as_is and original is not None:
                size = jpeg_size(data) if m.group(1) == "image/jpeg" else None
                if size is None or max(size) > 1600:
                    errors.append(f"{where}: not a JPEG of 1600 px at most: {size}")
        want = waiting_boxes(r)
        if v["boxes"] != want:
            errors.append(f"{where}: outlines {v['boxes']}, the record's boxes {want}")
        vb = v["viewbox"] or [0, 0, 0, 0]
        for b in v["boxes"]:
            if b[0] + b[2] > vb[2] or b[1] + b[3] > vb[3]:
                errors.append(f"{where}: box {b} outside the photo {vb}")
        if v["verdict"] != r["verdict"]:
            errors.append(f"{where}: verdict {v['verdict']}, the record's {r['verdict']}")
    for e in errors:
        print(f"{page_path}: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
