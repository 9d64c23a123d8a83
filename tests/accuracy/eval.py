#!/usr/bin/env python3
"""Measure needlecheck on the real product datasets of ../shared/data/real.

Usage: eval.py BIN [--data DIR] [--day N] [--top N] [--known FILE]
               [--sample FILE] [--show DATASET:ROW ...] [--jobs N]

For each dataset it reads the product-name and ingredient columns with
Python's csv module, checks every row with `BIN --format ndjson --name NAME`
(one process per product, so each gets its own name), and prints:
rows, verdict counts, products per class (by status), why rows are
unknown, which findings decide the verdicts, the near-miss suggestions
made, and the most frequent unrecognized names (the lexicon's work list).

It also re-checks the hand-judged samples (--sample FILE, default every
tests/accuracy/sample*.tsv): dataset, row, expected warning classes.

The datasets are not part of the project (licences): nothing here copies
them; when DIR does not exist the script says so and exits 0.
"""
import argparse
import collections
import concurrent.futures
import csv
import glob
import json
import os
import subprocess
import sys

csv.field_size_limit(1 << 30)

# name column, ingredient column, optional third-party label column
DATASETS = [
    ("sephora_cosmetics_1472.csv", "Name", "Ingredients", None),
    ("lookfantastic_raw_1138.csv", "product_name", "ingredients", None),
    ("lookfantastic_clean_1138.csv", "product_name", "clean_ingreds", None),
    ("lookfantastic_retinoid_labels_64.csv", "product_name", "ingredients",
     "retinoids"),
    ("sephora2023_skincare_257.csv", "product_name", "ingredients", None),
]

# Classes whose findings warn (the others are recommended when present).
WARNING = ("avoid", "caution")


def read_dataset(path, name_col, text_col, label_col):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = []
        for i, r in enumerate(csv.DictReader(f), start=1):
            rows.append({
                "row": i,
                "name": " ".join((r.get(name_col) or "").split()),
                "text": r.get(text_col) or "",
                "label": r.get(label_col) if label_col else None,
            })
        return rows


def datasets(data, only=None):
    """(file name, name column, list column, label column, rows) of each
    dataset present in data (or only those whose name starts with only);
    says which are missing."""
    for name, ncol, tcol, lcol in DATASETS:
        if only and not name.startswith(only):
            continue
        path = os.path.join(data, name)
        if not os.path.exists(path):
            print("%s: missing, skipped" % name)
            continue
        yield name, ncol, tcol, lcol, read_dataset(path, ncol, tcol, lcol)


def check(binary, day, known, name, text):
    args = [binary, "--day", str(day), "--format", "ndjson"]
    for k in known:
        args += ["--known", k]
    if name:
        args += ["--name", name]
    p = subprocess.run(args, input=text.encode("utf-8", "surrogateescape"),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=False)
    if p.returncode > 1:
        raise SystemExit("eval: %s exited %d: %s" %
                         (binary, p.returncode, p.stderr.decode()[:300]))
    lines = p.stdout.decode("utf-8", "replace").splitlines()
    if len(lines) != 1:
        raise SystemExit("eval: expected one record, got %d" % len(lines))
    return json.loads(lines[0])


def check_all(binary, day, known, rows, jobs):
    """Results in row order; identical (name, text) pairs are run once."""
    todo = {}
    for r in rows:
        todo.setdefault((r["name"], r["text"]), None)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = {k: ex.submit(check, binary, day, known, k[0], k[1])
                for k in todo}
        for k, f in futs.items():
            todo[k] = f.result()
    return [todo[(r["name"], r["text"])] for r in rows]


def warning_classes(rec):
    """{class: worst status} over the findings that warn."""
    order = {"caution": 1, "avoid": 2}
    out = {}
    for f in rec["findings"]:
        if f["status"] in WARNING:
            if order[f["status"]] > order.get(out.get(f["class"]), 0):
                out[f["class"]] = f["status"]
    return out


def pct(n, d):
    return "%5.1f%%" % (100.0 * n / d) if d else "   - "


def report(title, rows, recs, top):
    n = len(rows)
    print("=" * 78)
    print("%s: %d rows" % (title, n))
    verdicts = collections.Counter(r["verdict"] for r in recs)
    print("verdicts:  " + "  ".join(
        "%s %d (%s)" % (v, verdicts[v], pct(verdicts[v], n).strip())
        for v in ("avoid", "caution", "safe", "unknown")))

    unknown = collections.Counter()
    for r in recs:
        if r["verdict"] == "unknown":
            e = r["error"] or "?"
            if e.startswith("only "):
                e = "only N of M names recognised"
            elif e.startswith("not an ingredient list ("):
                e = "placeholder: " + e[len("not an ingredient list ("):-1]
            unknown[e] += 1
    print("unknown rows: %d" % sum(unknown.values()))
    for e, c in unknown.most_common():
        print("  %5d  %s" % (c, e))

    per_class = collections.defaultdict(collections.Counter)
    for r in recs:
        seen = {}
        for f in r["findings"]:
            rank = {"avoid": 3, "caution": 2, "safe": 1, "recommended": 0}
            s = f["status"]
            if rank[s] > rank.get(seen.get(f["class"]), -1):
                seen[f["class"]] = s
        for c, s in seen.items():
            per_class[c][s] += 1
    print("products per class (worst status of the class in the product):")
    print("  %-17s %6s %7s %7s %6s %11s" %
          ("class", "total", "avoid", "caution", "safe", "recommended"))
    for c in sorted(per_class, key=lambda c: -sum(per_class[c].values())):
        k = per_class[c]
        print("  %-17s %6d %7d %7d %6d %11d" % (
            c, sum(k.values()), k["avoid"], k["caution"], k["safe"],
            k["recommended"]))

    deciding = collections.Counter()
    for r in recs:
        if r["verdict"] not in WARNING:
            continue
        for f in r["findings"]:
            if f["status"] == r["verdict"]:
                deciding[(r["verdict"], f["class"], f["matched"] or
                          f["ingredient"].lower())] += 1
    print("ingredients that decide avoid/caution verdicts (top %d):" % top)
    for (v, c, m), k in deciding.most_common(top):
        print("  %5d  %-7s %-16s %s" % (k, v, c, m))

    near = collections.Counter()
    for r in recs:
        for f in r["findings"]:
            if f["matched"] is None and f.get("reason"):
                near[(f["ingredient"], f["reason"])] += 1
    print("near-miss suggestions (%d distinct):" % len(near))
    for (i, why), k in near.most_common(top):
        print("  %5d  %s -> %s" % (k, i, why))

    unrec = collections.Counter()
    for r in recs:
        for u in r["unrecognized"]:
            unrec[u] += 1
    total = sum(unrec.values())
    print("unrecognized names: %d occurrences, %d distinct; top %d:" %
          (total, len(unrec), top))
    for u, k in unrec.most_common(top):
        print("  %5d  %s" % (k, u))


def retinoid_labels(rows, recs):
    """The third-party retinoid labels: is each labelled retinoid found?"""
    want = {"bakuchiol": "retinoid-like"}
    missed = []
    for r, rec in zip(rows, recs):
        if not r["label"]:
            continue
        cls = want.get(r["label"].strip().lower(), "retinoid")
        if not any(f["class"] == cls for f in rec["findings"]):
            missed.append((r["row"], r["label"]))
    print("third-party retinoid labels: %d rows, %d not found%s" % (
        len(rows), len(missed), "".join(
            "\n  row %d: %s" % m for m in missed)))


def read_sample(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 3:
                raise SystemExit("%s:%d: expected dataset, row, classes" %
                                 (path, n))
            exp = {}
            if parts[2] != "-":
                for item in parts[2].split():
                    c, _, s = item.partition(":")
                    exp[c] = s or "avoid"
            out.append((parts[0], int(parts[1]), exp,
                        parts[3] if len(parts) > 3 else ""))
    return out


def recheck_sample(path, sample, results):
    """results: dataset → (rows, recs). Prints the agreement figures."""
    exact = same_classes = n = 0
    missed_actives = []
    diffs = []
    actives = {"retinoid", "vitamin-c", "aha", "bha", "pha"}
    for ds, row, exp, note in sample:
        if ds not in results:
            continue
        rows, recs = results[ds]
        rec = recs[row - 1]
        got = warning_classes(rec)
        n += 1
        if set(got) == set(exp):
            same_classes += 1
            if got == exp:
                exact += 1
        for c in actives & (set(exp) - set(got)):
            missed_actives.append((ds, row, c))
        if got != exp:
            diffs.append((ds, row, exp, got, note))
    print("=" * 78)
    print("hand-checked sample %s: %d products" % (os.path.basename(path),
                                                    n))
    print("  exactly the right warning-class set: %d (%s)" %
          (same_classes, pct(same_classes, n).strip()))
    print("  ... and the right status for each class: %d (%s)" %
          (exact, pct(exact, n).strip()))
    print("  missed retinoid/vitamin-c/aha/bha/pha: %d" % len(missed_actives))
    for m in missed_actives:
        print("    %s row %d: %s" % m)
    for ds, row, exp, got, note in diffs:
        fmt = lambda d: " ".join("%s:%s" % kv for kv in sorted(d.items())) or "-"
        print("  %s row %d\n    expected %s\n    got      %s%s" % (
            ds, row, fmt(exp), fmt(got), "\n    note: " + note if note else ""))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--data", default=os.path.join(
        here, "..", "..", "..", "shared", "data", "real"))
    ap.add_argument("--day", type=int, default=0)
    ap.add_argument("--top", type=int, default=50)
    ap.add_argument("--known", action="append", default=[])
    ap.add_argument("--sample", action="append", default=[],
                    help="hand-judged sample (default: every sample*.tsv "
                    "next to this script)")
    ap.add_argument("--show", action="append", default=[],
                    help="DATASET:ROW: print that product and its result")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--only", help="check only this dataset")
    a = ap.parse_args()
    if not os.path.isdir(a.data):
        print("eval: %s not found: nothing to measure (the real datasets "
              "are not part of the project; make eval DATA=DIR names them)"
              % a.data)
        return 0
    binary = os.path.abspath(a.bin)

    if a.show:
        for spec in a.show:
            ds, _, row = spec.rpartition(":")
            cfg = [d for d in DATASETS if d[0].startswith(ds)]
            if not cfg:
                raise SystemExit("eval: no dataset %s" % ds)
            rows = read_dataset(os.path.join(a.data, cfg[0][0]), *cfg[0][1:])
            r = rows[int(row) - 1]
            rec = check(binary, a.day, a.known, r["name"], r["text"])
            print("%s row %s: %s\n%s\n" % (cfg[0][0], row, r["name"],
                                          r["text"]))
            for f in rec["findings"]:
                print("  %-8s %-16s %s%s" % (
                    f["status"], f["class"], f["ingredient"],
                    "  (" + f["reason"] + ")" if f.get("reason") else ""))
            print("  verdict %s%s; unrecognized: %s\n" % (
                rec["verdict"], " (" + rec["error"] + ")" if rec["error"]
                else "", "; ".join(rec["unrecognized"])))
        return 0

    print("needlecheck on the real datasets in %s, day %d%s" % (
        os.path.normpath(a.data), a.day,
        "".join(", --known " + k for k in a.known)))
    results = {}
    for name, ncol, tcol, lcol, rows in datasets(a.data, a.only):
        recs = check_all(binary, a.day, a.known, rows, a.jobs)
        results[name] = (rows, recs)
        report("%s (name: %s, list: %s)" % (name, ncol, tcol), rows, recs,
               a.top)
        if lcol:
            retinoid_labels(rows, recs)
    for path in a.sample or sorted(glob.glob(os.path.join(here,
                                                         "sample*.tsv"))):
        recheck_sample(path, read_sample(path), results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
