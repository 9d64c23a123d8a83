#!/usr/bin/env python3
"""lint --fix on random catalogues: whatever the columns, delimiter, line
ends, quoting and claims, the file after --fix is the file before with
exactly the edits the JSON report lists as applied, each edit replaces a
claim (a day, or a post-procedure-safe tag) by a later day, every cell
outside the claim and tags columns is unchanged, and linting the result
again finds no wrong claim that had a fix.

Usage: fix_property.py path/to/needlecheck [CATALOGUES]"""
import csv
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile

LISTS = [
    "Aqua, Glycerin, Sodium Hyaluronate",
    "Aqua, Glycerin, Retinol, Phenoxyethanol",
    "Water, Glycolic Acid, Sodium Hydroxide",
    "Aqua (Eau), Glycérine, Rétinol",
    "Aqua, Salicylic Acid, Linalool, Limonene",
    "Aqua, Niacinamide, Panthenol",
    "Isopropyl Myristate, Aqua, Tocopherol",
    "Aqua, Ascorbic Acid, Ferulic Acid",
    "Ibuprofen 5%, Aqua, Carbomer",
    "Talc, Mica, CI 77491, Parfum",
    "No Info",
    "",
    "Aqua, Bakuchiol, Squalane",
    "Alcohol Denat., Aqua, Menthol",
]
NAMES = ["Night Serum", "Crème Nuit", "Gel, light", 'The "Best" Balm',
         "Bright\nSerum", "Toner", "Ω Oil", "Mask; clay", "A\tB", ""]
TAGS = ["post-procedure-safe", "post-procedure-safe:2", "Post-Procedure-Safe:0",
        "post-procedure-safe:9", "post-procedure-safe:x", "new", "sale", "vegan"]
CLAIMS = ["", "0", "1", "2", "3", "5", " 4 ", "7", "12", "soon", "0"]
TAG_RE = re.compile(r"(?i)^post-procedure-safe(:[0-9]+)?$")


def cell(value, delim, rng):
    """A cell as a file may write it: quoted when it must be, and
    sometimes when it need not."""
    must = any(c in value for c in (delim, '"', "\n", "\r")) or \
        value != value.strip(" \t")
    if must or rng.random() < 0.3:
        return '"' + value.replace('"', '""') + '"'
    return value


def catalogue(rng):
    delim = rng.choice([",", ";", "\t"])
    eol = rng.choice(["\n", "\r\n", "\r"])
    columns = ["sku", "name", "ingredients", "aftercare_day", "tags"]
    if rng.random() < 0.3:
        columns.append("needlecheck_allow")
    if rng.random() < 0.3:
        columns.append("notes")
    rng.shuffle(columns)
    if rng.random() < 0.2:
        columns.remove(rng.choice(["aftercare_day", "tags"]))
    rows = []
    for i in range(rng.randint(1, 30)):
        values = {
            "sku": "S-%d" % i,
            "name": rng.choice(NAMES),
            "ingredients": rng.choice(LISTS),
            "aftercare_day": rng.choice(CLAIMS),
            "tags": rng.choice([",", ";", "|", " "]).join(
                rng.sample(TAGS, rng.randint(0, 3))),
            "needlecheck_allow": rng.choice(["", "fragrance", "retinoid", "Parfum"]),
            "notes": rng.choice(["", "see p. 3", "line\nbreak", '"quoted"']),
        }
        rows.append([values[c] for c in columns])
    text = "\ufeff" if rng.random() < 0.2 else ""
    text += delim.join(columns) + eol
    for r in rows:
        text += delim.join(cell(v, delim, rng) for v in r) + eol
    if rng.random() < 0.2:
        text = text[: -len(eol)]
    return text.encode("utf-8"), delim, columns


def lint(binary, path, *args):
    p = subprocess.run([binary, "lint", "--format", "json", *args, path],
                       capture_output=True)
    assert p.returncode in (0, 1), (p.returncode, p.stderr)
    return json.loads(p.stdout)["diagnostics"]


def parse(data, delim):
    text = data.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))


def check(binary, rng, tmp):
    before, delim, columns = catalogue(rng)
    path = os.path.join(tmp, "catalogue.csv")
    with open(path, "wb") as f:
        f.write(before)
    jobs = str(rng.randint(1, 3))
    diags = lint(binary, path, "--fix", "--jobs", jobs)
    with open(path, "rb") as f:
        after = f.read()
    edits = sorted((d["fix"] for d in diags if d["fix"] and d["fix"]["applied"]),
                   key=lambda f: f["offset"])
    # the file is the old one with exactly these edits
    expected, at = b"", 0
    for e in edits:
        old = before[e["offset"]: e["offset"] + e["length"]].decode("utf-8")
        assert e["offset"] >= at, "edits overlap"
        assert old.isdigit() or TAG_RE.match(old), ("not a claim", old)
        said = int(old.split(":")[1]) if ":" in old else (0 if TAG_RE.match(old) else int(old))
        assert int(e["text"].split(":")[-1]) > said, ("not later", old, e["text"])
        expected += before[at: e["offset"]] + e["text"].encode()
        at = e["offset"] + e["length"]
    expected += before[at:]
    assert after == expected, "bytes outside the fixes changed"
    # cell by cell: only claims and tags changed
    a, b = parse(before, delim), parse(after, delim)
    assert len(a) == len(b) and a[0] == b[0]
    claims = {i for i, c in enumerate(a[0]) if c in ("aftercare_day", "tags")}
    for x, y in zip(a, b):
        assert len(x) == len(y)
        for i, (p, q) in enumerate(zip(x, y)):
            assert p == q or i in claims, (x, y)
    # and no wrong claim that had a fix is left
    again = lint(binary, path)
    assert not any(d["fix"] and d["severity"] == "error" for d in again), again
    return len(edits)


def main():
    binary = os.path.abspath(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    rng = random.Random(20261205)
    fixed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            state = rng.getstate()
            try:
                fixed += check(binary, rng, tmp)
            except AssertionError as e:
                rng.setstate(state)
                data = catalogue(rng)[0]
                print("lint --fix property: FAIL on catalogue %d: %s" % (i, e))
                print("  input: %r" % data[:600])
                return 1
    assert fixed > count, "too few fixes to mean anything: %d" % fixed
    print("lint --fix property: %d random catalogues, %d claims fixed" % (count, fixed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
