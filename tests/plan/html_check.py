#!/usr/bin/env python3
"""Checks that a page written by needlecheck is valid, self-contained HTML.

Usage: html_check.py PAGE.html [EXPECT]

The page is parsed with html.parser. It must start with <!DOCTYPE html>,
have one html, head, title and body, a UTF-8 charset and a phone viewport;
every element must be closed in order and be one needlecheck writes (so a
name such as "<Night>" that was not escaped shows up as an unknown tag);
nothing may point outside the page (no link, img, src, href, url(),
@import, no http:// or //host): a photo is an SVG <image> whose href is
a data: URI of an image. At most one script, inline, without
attributes, that loads and sends nothing (the catalogue's filter box).
Every table row must have as many cells as the table's header row.

EXPECT, when given, holds one check a line:
    TEXT          the page's text (entities decoded) contains TEXT
    !TEXT         it does not
    #tables N     the page has N tables
    #rows I N     table I (from 0) has N body rows
    #svg N        the page has N inline SVG charts
    #today N      N elements are marked as today
Exit status 0 when every check passes, 1 otherwise (each failure printed).
"""
import re
import sys
from html.parser import HTMLParser

VOID = {"meta", "br", "rect", "image"}
ALLOWED = {"html", "head", "meta", "title", "style", "body", "main", "h1",
           "h2", "p", "section", "div", "table", "thead", "tbody", "tr", "th",
           "td", "small", "span", "strong", "ul", "li", "blockquote",
           "footer", "svg", "g", "text", "rect", "br", "script", "image",
           "ol", "mark"}
URL_ATTRS = {"src", "href", "action", "srcset", "background", "poster",
             "data", "xlink:href", "formaction", "cite", "manifest"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.errors = []
        self.stack = []
        self.counts = {}
        self.text = []
        self.style = []
        self.script = []
        self.doctype = None
        self.first = True
        self.meta_charset = False
        self.viewport = False
        self.tables = []  # per table: header cells, body rows' cells
        self.table_stack = []
        self.section = None  # "thead" or "tbody" of the innermost table
        self.cells = 0

    def error(self, msg):
        self.errors.append(f"line {self.getpos()[0]}: {msg}")

    def handle_decl(self, decl):
        if self.first:
            self.doctype = decl
        self.first = False

    def handle_starttag(self, tag, attrs):
        self.first = False
        key = "svg title" if tag == "title" and "svg" in self.stack else tag
        self.counts[key] = self.counts.get(key, 0) + 1
        if tag not in ALLOWED:
            self.error(f"unexpected element <{tag}>")
        for name, value in attrs:
            if tag == "image" and name == "href" and \
                    re.fullmatch(r"data:image/(jpeg|png|webp);base64,[A-Za-z0-9+/]*=*", value or ""):
                continue
            if name in URL_ATTRS:
                self.error(f"<{tag} {name}=…> points outside the page")
            if value and re.search(r"(https?:|//|url\()", value, re.I):
                self.error(f"<{tag} {name}={value!r}> holds an address")
        a = dict(attrs)
        if tag == "script" and attrs:
            self.error("a <script> with attributes")
        if "today" in (a.get("class") or "").split():
            self.counts["today"] = self.counts.get("today", 0) + 1
        if tag == "meta" and a.get("charset", "").lower() == "utf-8":
            self.meta_charset = True
        if tag == "meta" and a.get("name") == "viewport" and \
                "width=device-width" in a.get("content", ""):
            self.viewport = True
        if tag == "table":
            self.tables.append({"head": None, "rows": []})
            self.table_stack.append(self.tables[-1])
        elif tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr":
            self.cells = 0
        elif tag in ("td", "th") and self.table_stack:
            self.cells += int(a.get("colspan", "1"))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.error(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()
        if tag == "tr" and self.table_stack:
            t = self.table_stack[-1]
            if self.section == "thead":
                t["head"] = self.cells
            else:
                t["rows"].append(self.cells)
        elif tag == "table":
            self.table_stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.style.append(data)
        elif self.stack and self.stack[-1] == "script":
            self.script.append(data)
        elif data.strip():
            self.text.append(data)
            self.first = False


def report(path, errors):
    """Says each error about the file path; the exit status."""
    for e in errors:
        print(f"{path}: {e}")
    return 1 if errors else 0


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    page = Page()
    page.feed(raw)
    page.close()
    errors = page.errors
    if (page.doctype or "").lower() != "doctype html":
        errors.append("no <!DOCTYPE html> first")
    for tag in ("html", "head", "title", "body", "style"):
        if page.counts.get(tag, 0) != 1:
            errors.append(f"{page.counts.get(tag, 0)} <{tag}> elements, not one")
    if page.stack:
        errors.append(f"unclosed: {page.stack}")
    if not page.meta_charset:
        errors.append("no <meta charset=\"utf-8\">")
    if not page.viewport:
        errors.append("no viewport meta for phones")
    style = "".join(page.style)
    if re.search(r"(url\(|@import|https?:|//)", style, re.I):
        errors.append("the style fetches something")
    script = "".join(page.script)
    if page.counts.get("script", 0) > 1:
        errors.append(f"{page.counts['script']} scripts, not one at most")
    if re.search(r"(https?:|//|fetch|XMLHttpRequest|import|src|location|"
                 r"cookie|Storage|eval|innerHTML|\.write)", script):
        errors.append("the script loads, sends or writes markup")
    if "@media (max-width" not in style:
        errors.append("no style for narrow screens")
    for i, t in enumerate(page.tables):
        if t["head"] is None:
            errors.append(f"table {i} has no header row")
        for n in t["rows"]:
            if n != t["head"]:
                errors.append(f"table {i}: a row of {n} cells under a header of {t['head']}")
    text = " ".join(" ".join(page.text).split())
    if len(sys.argv) > 2:
        with open(sys.argv[2], encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line:
                    continue
                if line.startswith("#tables "):
                    n = int(line.split()[1])
                    if len(page.tables) != n:
                        errors.append(f"{len(page.tables)} tables, not {n}")
                elif line.startswith("#rows "):
                    i, n = map(int, line.split()[1:3])
                    got = len(page.tables[i]["rows"]) if i < len(page.tables) else None
                    if got != n:
                        errors.append(f"table {i} has {got} body rows, not {n}")
                elif line.startswith("#today "):
                    n = int(line.split()[1])
                    if page.counts.get("today", 0) != n:
                        errors.append(f"{page.counts.get('today', 0)} cells marked today, not {n}")
                elif line.startswith("#svg "):
                    n = int(line.split()[1])
                    if page.counts.get("svg", 0) != n:
                        errors.append(f"{page.counts.get('svg', 0)} SVG charts, not {n}")
                elif line.startswith("!"):
                    if line[1:] in text:
                        errors.append(f"the page says {line[1:]!r}")
                elif line not in text:
                    errors.append(f"the page does not say {line!r}")
    return report(path, errors)


if __name__ == "__main__":
    sys.exit(main())
