#!/usr/bin/env python3
"""Look for the next hole: where a real label could hide an active.

Usage: audit.py BIN [--data DIR] [--only DATASET] [--show N]

Over every list of the public datasets in DIR (../shared/data/real by
default, see eval.py; when it is missing the audit says so and exits 0):

1. Hidden actives. Every name the tool reports as unrecognised is read
   again here, independently of the C code, against the lexicon files:
   the longest known names, left to right; a name of a class with an
   avoid or caution window among them (not a false friend, "not:"), or
   the whole name within one edit (five letters or more) or two (nine or
   more) of such a name, with no ordinary name as close, or one long word
   within one edit of a one-word name. Each is a hole: the target is 0.

2. Re-punctuation. Each list is printed again as labels print it: commas
   as semicolons, pipes, bullets or lines, one comma lost between two
   names (each in turn), "and" before the last name, upper case, lower
   case, and in Windows-1252 bytes. Every product whose verdict changes
   is listed with the change, grouped by variant; each must have a
   reason (lexicon/README.md, "Re-punctuated lists", says which are
   expected). Exit status 1 if any hidden active is found.
"""
import argparse
import collections
import csv
import glob
import io
import json
import os
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.join(HERE, "..", "bench"))
import eval as ev  # noqa: E402  the datasets and how to read them
from vocab import between_names, osa as distance  # noqa: E402

LEXICON = os.path.join(HERE, "..", "..", "lexicon")
NAME_WORDS = 8
SEVERITY = {"safe": 0, "caution": 1, "unknown": 2, "avoid": 3}

# ------------------------------------------------------------ the lexicon


def words_of(s):
    """Normalised words: accents and case folded, punctuation a space."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = s.replace("\u2122", "").replace("\u00ae", "").replace("\u00a9", "")
    return re.findall(r"[^\W_]+", s)


def key_of(s):
    return "".join(words_of(s))


class Lexicon:
    """The names of the lexicon files, read here apart from the C code:
    key -> (words, class or None, canonical name, gated)."""

    def __init__(self, path):
        windows = {}
        with open(os.path.join(path, "protocol.tsv"), encoding="utf-8") as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) >= 4 and not line.startswith(("#", "class\t")):
                    windows[p[0]] = p[1] != "-" or p[2] != "-"
        self.names = {}
        self.excluded = {}   # key -> classes it is a false friend of
        for f in sorted(glob.glob(os.path.join(path, "*.txt"))):
            self._read(f, windows)
        self.by_length = collections.defaultdict(list)
        for k in self.names:
            self.by_length[len(k)].append(k)

    def _read(self, path, windows):
        cls, applies, entry, gated = None, False, [], False

        def close():
            active = windows.get(cls, False)
            for n in entry:
                k = key_of(n)
                if not k:
                    continue
                old = self.names.get(k)
                if old is None or (active and old[1] is None):
                    self.names[k] = (tuple(words_of(n)), cls if active else None,
                                     entry[0], applies or gated)

        with open(path, encoding="utf-8") as f:
            for raw in f:
                line = re.split(r"\s#\s", raw.strip(), 1)[0].strip()
                if not line or line.startswith("#"):
                    continue
                key, _, value = line.partition(":")
                value = value.strip()
                if key == "class":
                    cls = value
                    if cls in ("notlists", "products", "conjunctions",
                               "sections", "footnotes"):
                        return
                elif key == "applies":
                    applies = value != "always"
                elif key in ("entry", "known"):
                    close()
                    entry = [n.strip() for n in value.split(";")]
                    gated = False
                elif key == "alias":
                    entry += [n.strip() for n in value.split(";")]
                elif key == "rule" and re.match(
                        r"(only-in|only-first|not-in) ", value):
                    gated = True
                elif key == "not":
                    close()
                    entry = []
                    for n in value.split(";"):
                        k = key_of(n)
                        self.excluded.setdefault(k, set()).add(cls)
                        self.names.setdefault(k, (tuple(words_of(n)), None,
                                                  n.strip(), False))
            close()


def misspells(w, name_words):
    """Edits by which words w misspell a name (0: not a misspelling): on
    the keys, one from five letters, two from nine; word by word when the
    words match one for one, at most one per four letters of a word."""
    a, b = "".join(w), "".join(name_words)
    d = distance(a, b)
    if d == 0 or d > (2 if min(len(a), len(b)) >= 9 else
                      1 if min(len(a), len(b)) >= 5 else 0):
        return 0
    if abs(len(w) - len(name_words)) > 1:
        return 0
    if len(w) == len(name_words):
        for x, y in zip(w, name_words):
            short = min(len(x), len(y))
            if distance(x, y) > (0 if short < 3 else max(1, short // 4)):
                return 0
    return d


def closest(lex, w):
    """(edits, key) of the name w misspells best, an ordinary one on a
    tie; None if none."""
    whole, best = "".join(w), None
    for n in range(len(whole) - 2, len(whole) + 3):
        for k in lex.by_length.get(n, ()):
            d = misspells(w, lex.names[k][0])
            if d and (best is None or d < best[0] or (
                    d == best[0] and lex.names[k][1] is None)):
                best = (d, k)
    return best


def holds(lex, name):
    """What an unrecognised name holds, read as the spec says (README):
    [(how, words, class, canonical name)]."""
    w = words_of(name)
    whole = "".join(w)
    if not w or whole in lex.names:
        return []
    near = closest(lex, w)
    if near:
        _, cls, canon, gated = lex.names[near[1]]
        return [] if cls is None or gated else [("near", name, cls, canon)]
    out, segments, i = [], [], 0
    while i < len(w):  # the longest known names, left to right
        for j in range(min(len(w), i + NAME_WORDS), i, -1):
            if "".join(w[i:j]) in lex.names:
                segments.append((i, j))
                break
        else:
            j = i + 1
        i = j
    for i, j in segments:
        k = "".join(w[i:j])
        _, cls, canon, gated = lex.names[k]
        if cls and not gated and cls not in lex.excluded.get(k, ()):
            out.append(("holds", " ".join(w[i:j]), cls, canon))
    covered = {x for i, j in segments for x in range(i, j)}
    for x, word in enumerate(w):
        if out or x in covered or len(word) < 7 or len(w) == 1:
            continue
        near = closest(lex, [word])
        if near and near[0] == 1:
            nw, cls, canon, gated = lex.names[near[1]]
            if cls and not gated and len(nw) == 1:
                out.append(("near", word, cls, canon))
    return out

# ---------------------------------------------------------- running the tool


def check_rows(binary, rows):
    """rows: [(name, text bytes)] -> records, one CSV run for them all."""
    buf = io.BytesIO()
    buf.write(b"id,name,ingredients\r\n")
    for i, (name, text) in enumerate(rows):
        cells = [str(i).encode(), name.encode("utf-8"), text]
        buf.write(b",".join(b'"' + c.replace(b'"', b'""') + b'"'
                            for c in cells) + b"\r\n")
    p = subprocess.run([binary, "--input", "csv", "--format", "ndjson",
                        "--day", "0", "--fail-on", "avoid"],
                       input=buf.getvalue(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False)
    if p.returncode > 1:
        raise SystemExit("audit: %s exited %d: %s" %
                         (binary, p.returncode, p.stderr.decode()[:300]))
    recs = [json.loads(line) for line in p.stdout.decode().splitlines()]
    if len(recs) != len(rows):
        raise SystemExit("audit: %d rows in, %d records out" %
                         (len(rows), len(recs)))
    return recs

# --------------------------------------------------------------- variants


def commas(text):
    """Offsets of the commas between names: outside brackets, not between
    digits (1,2-Hexanediol); in a Python-list cell (['Water, Glycerin']),
    those of its items, not between them."""
    out, depth = [], 0
    start = 2 if text[:2] in ("['", '["') else 0
    for i, c in enumerate(text[start:], start):
        if start and c == "," and text[i - 1] in "'\"":
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}" and depth:
            depth -= 1
        elif c == "," and depth == 0 and between_names(text, i):
            out.append(i)
    return out


def replace_commas(text, cuts, sep):
    out, last = [], 0
    for c in cuts:
        out.append(text[last:c])
        out.append(sep)
        last = c + 1
        while last < len(text) and text[last] == " ":
            last += 1
    out.append(text[last:])
    return "".join(out)


def variants(text):
    """(variant, text bytes) for each way of printing the list again."""
    cuts = commas(text)
    if len(cuts) < 2:
        return
    utf8 = lambda s: s.encode("utf-8")  # noqa: E731
    for name, sep in (("semicolons", "; "), ("pipes", " | "),
                      ("bullets", " \u2022 "), ("lines", "\n")):
        yield name, utf8(replace_commas(text, cuts, sep))
    for k, c in enumerate(cuts):
        yield "comma %d lost" % (k + 1), utf8(text[:c] + text[c + 1:])
    last = cuts[-1]
    rest = text[last + 1:].lstrip()
    if rest and not rest.lower().startswith("and "):
        yield "and before the last", utf8(text[:last + 1] + " and " + rest)
    yield "upper case", utf8(text.upper())
    yield "lower case", utf8(text.lower())
    try:
        cp = text.encode("cp1252")
        if cp != text.encode("utf-8"):
            yield "Windows-1252", cp
    except UnicodeEncodeError:
        pass

# ----------------------------------------------------------------- report

CAUSES = {
    "held": "an active now inside a name it cannot read: held, caution",
    "unknown": "names it cannot read now outweigh the list: unknown",
    "places": "one place fewer: a position rule (1 % line, first third, "
              "first five, under 10 places) reads it otherwise",
    "unread": "the piece the names make hides the active from every "
              "reading (a heading's colon after it, a misspelling in it)",
}


def cause(rec, got):
    """Why the verdict moved, in the words of CAUSES."""
    if got["verdict"] == "unknown":
        return "unknown"
    was = {}
    for f in rec["findings"]:
        was[f["class"]] = max(was.get(f["class"], 0), SEVERITY.get(
            f["status"], 0))
    for f in got["findings"]:
        if f["matched"] is None and SEVERITY.get(f["status"], 0) < was.get(
                f["class"], 0):
            return "held"
    lost = set(was) - {f["class"] for f in got["findings"]}
    return "unread" if any(was[c] for c in lost) else "places"



def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--data", default=os.path.join(
        HERE, "..", "..", "..", "shared", "data", "real"))
    ap.add_argument("--only")
    ap.add_argument("--show", type=int, default=8,
                    help="changes shown per variant (all are counted)")
    a = ap.parse_args()
    if not os.path.isdir(a.data):
        print("audit: %s not found: nothing to audit (the real datasets are "
              "not part of the project; make audit DATA=DIR names them)" %
              os.path.normpath(a.data))
        return 0
    binary = os.path.abspath(a.bin)
    lex = Lexicon(LEXICON)
    hidden, changes, products = [], collections.defaultdict(list), 0
    seen = {}  # unrecognised name -> what it holds
    variant_lists = 0
    for name, _, _, _, rows in ev.datasets(a.data, a.only):
        products += len(rows)
        base = check_rows(binary, [(r["name"], r["text"].encode("utf-8"))
                                   for r in rows])
        for r, rec in zip(rows, base):
            for u in rec["unrecognized"]:
                if u not in seen:
                    seen[u] = holds(lex, u)
                for h in seen[u]:
                    hidden.append((name, r["row"], u) + h)
        todo, where = [], []
        for r, rec in zip(rows, base):
            for v, text in variants(r["text"]):
                todo.append((r["name"], text))
                where.append((r, rec, v))
        variant_lists += len(todo)
        for (r, rec, v), got in zip(where, check_rows(binary, todo)):
            if got["verdict"] != rec["verdict"]:
                kind = re.sub(r"comma \d+ lost", "one comma lost", v)
                changes[kind].append((name, r, rec, got, v))
    print("audit of %d products in %s" % (products, os.path.normpath(a.data)))
    print("=" * 78)
    print("1. unrecognised names that hold, or nearly are, an active's name: "
          "%d" % len(hidden))
    for ds, row, u, how, words, cls, canon in hidden:
        print("  %s row %d: '%s' %s '%s' (%s: %s)" % (
            ds, row, u, "holds" if how == "holds" else "is close to",
            words, cls, canon))
    print("=" * 78)
    total = sum(len(v) for v in changes.values())
    print("2. verdicts that change when the list is re-punctuated: %d of %d "
          "lists" % (total, variant_lists))
    for kind in sorted(changes, key=lambda k: -len(changes[k])):
        items = changes[kind]
        moves = collections.Counter("%s -> %s" % (x[2]["verdict"],
                                                   x[3]["verdict"])
                                    for x in items)
        print("  %s: %d (%s)" % (kind, len(items), ", ".join(
            "%s %d" % m for m in moves.most_common())))
        why = collections.Counter(cause(x[2], x[3]) for x in items)
        for c, k in why.most_common():
            print("    %4d  %s" % (k, CAUSES[c]))
        for ds, r, rec, got, v in items[:a.show]:
            was = {f["class"] for f in rec["findings"]
                   if f["status"] in ("avoid", "caution")}
            now = {f["class"] for f in got["findings"]
                   if f["status"] in ("avoid", "caution")}
            print("    %s row %d (%s): %s -> %s; classes %s%s%s" % (
                ds, r["row"], v, rec["verdict"], got["verdict"],
                " ".join("+" + c for c in sorted(now - was)),
                " ".join("-" + c for c in sorted(was - now)),
                "; " + got["error"] if got["error"] else ""))
    return 1 if hidden else 0


if __name__ == "__main__":
    sys.exit(main())
