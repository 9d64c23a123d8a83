#!/usr/bin/env python3
"""Compares the DOM a browser built from a needlecheck page with the JSON
output of the same run.

Usage: browser_check.py plan DOM.html PLAN.json
       browser_check.py catalogue DOM.html VERDICTS.csv
       browser_check.py products DOM.html RECORDS.ndjson
       browser_check.py photo DOM.html RECORDS.ndjson

plan: the first table holds one row per product, in order: its label, its
first safe day, then the eight days' cells. catalogue: the table holds the
products that are not safe, in order, with their verdict and name (or id);
products (text inputs): every product, with its verdict and its file's
name; photo: the same, and each photo's view inside the window with
its outlines on the photo (data-photos, set by the test's script). The
catalogue's filter box must be there and work: typing the last
product's name leaves only rows that hold it.
Both: the page must not overflow its window (data-overflow on <body>, set
by the test's script). A plan: its Today block and today's column must be
in the window as it opens, the column beside the fixed product column
(data-today-block and data-today-column, set by the script), and its
cells plain words, nothing that looks like a link (data-cells-plain);
a plan of photos has their views as a photo page has.
"""
import csv
import json
import re
import sys
from html.parser import HTMLParser

from html_check import report  # its neighbour: how errors are said

SHORT = {"recommended": "rec.", "unknown": "?"}


def shown(text):
    """text as the page shows it: control characters are '?'."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", text)


class Tables(HTMLParser):
    """Tables as lists of body rows of cell texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.in_body, self.row, self.cell = [], False, None, None
        self.overflow = self.filter = None
        self.today_block = self.today_column = self.cells_plain = None
        self.photos = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.overflow = a.get("data-overflow")
            self.filter = a.get("data-filter")
            self.today_block = a.get("data-today-block")
            self.today_column = a.get("data-today-column")
            self.cells_plain = a.get("data-cells-plain")
            self.photos = a.get("data-photos")
        elif tag == "table":
            self.tables.append([])
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "tr" and self.row is not None:
            self.tables[-1].append(self.row)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def main():
    kind, dom_path, want_path = sys.argv[1:4]
    page = Tables()
    with open(dom_path, encoding="utf-8") as f:
        page.feed(f.read())
    errors = []
    if page.overflow is None:
        errors.append("the page's script did not run")
    elif int(page.overflow) > 0:
        errors.append(f"the page is {page.overflow} px wider than the window")
    if kind == "plan":
        if page.today_block != "ok":
            errors.append(f"the Today block is not in view: {page.today_block}")
        if page.cells_plain != "ok":
            errors.append(f"grid cells look like links: {page.cells_plain}")
        if page.today_column != "ok":
            errors.append(f"today's column is not in view: {page.today_column}")
        if page.photos not in (None, "ok"):
            errors.append(f"the photos' views: {page.photos}")
        with open(want_path, encoding="utf-8") as f:
            products = json.load(f)["products"]
        want = [[shown(p["label"]),
                 f"day {p['safe_from_day']}" if p["safe_from_day"] is not None else "unknown"]
                + [SHORT.get(c, c) for c in p["days"]] for p in products]
    else:
        if kind == "photo" and page.photos != "ok":
            errors.append(f"the photos' views: {page.photos}")
        if kind in ("products", "photo"):
            with open(want_path, encoding="utf-8") as f:
                records = [json.loads(line) for line in f]
            want = [[r["verdict"], shown(r["name"] or r["source"].rsplit("/", 1)[-1])]
                    for r in records]
        else:
            with open(want_path, encoding="utf-8", newline="") as f:
                records = list(csv.DictReader(f))
            want = [[r["verdict"], shown(r["name"] or r["id"] or "—")]
                    for r in records if r["verdict"] != "safe"]
    got = page.tables[0] if page.tables else []
    if kind == "catalogue":
        got = [[row[0], row[3]] for row in got if len(row) > 3]
    elif kind in ("products", "photo"):
        got = [[row[0], row[2]] for row in got if len(row) > 2]
    if kind != "plan":
        if page.filter is None:
            errors.append("no filter box: the page's script did not add it")
        elif page.filter != "ok":
            errors.append(f"the filter box failed: {page.filter}")
    if got != want:
        errors.append(f"table rows {got!r}, expected {want!r}")
    return report(dom_path, errors)


if __name__ == "__main__":
    sys.exit(main())
