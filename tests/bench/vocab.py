"""The vocabulary of `make bench`: names and counts measured on the real
product lists, and the figures the generator needs to draw lists like
them (gen.c reads it).

vocab.py [--data DIR] [--max-bytes N] [--report] > vocabulary.txt

DIR holds the public datasets (see find_data); the three label datasets
are read (the lists of Sephora 2018, LookFantastic 2020 and Sephora
2023; the cleaned LookFantastic copy and the CosIng dictionary are not
labels). With --max-bytes the file is cut to about N bytes for the
repository: every piece seen at least twice is kept and the pieces seen
once are sampled (the generator makes up new names for the rest), and
pieces that read as prose (long sentences from the scraped pages) are
left out: the committed file holds names and counts only. Without it,
nothing is left out (the bench builds it so when the data is there).

How each figure is measured (--report prints them):
- piece: the text between commas that are not inside a number ("1,2-
  Hexanediol" is one piece), trimmed; a final "." ends the list.
- case variant: a piece whose case-folded, space-collapsed form is that
  of a more frequent piece but whose bytes differ ("GLYCERIN").
- misspelling: a piece of at least six letters that is not a case
  variant and whose folded form is one or two edits (optimal string
  alignment, per word: at most one edit per four letters; the same
  figures) from a folded form at least twice as frequent ("Glycerine" for "Glycerin", "Sodium
  Hyaluronte").
- long tail: the number of distinct pieces V after n pieces, with the
  products in random order (mean of 8 orders); beyond the real lists it
  is continued as V ~ n^beta, fitted on the second half of the curve
  (Heaps' law). The generator keeps its own count on that curve by
  adding new pieces of the same kinds as the pieces seen once (case
  variants, misspellings, other names).
"""
import argparse
import collections
import csv
import math
import os
import random
import re
import sys

DATASETS = [  # file, ingredient column
    ("sephora_cosmetics_1472.csv", "Ingredients"),
    ("lookfantastic_raw_1138.csv", "ingredients"),
    ("sephora2023_skincare_257.csv", "ingredients"),
]
PROSE_WORDS = 10  # a piece with more words than this is a sentence
PROSE_BYTES = 100


def find_data(explicit):
    """$NEEDLECHECK_DATA, else shared/data/real beside the repository or
    beside one of its parents (a worktree may sit a level deeper)."""
    if explicit:
        return explicit if os.path.isdir(explicit) else None
    env = os.environ.get("NEEDLECHECK_DATA")
    if env:
        return env if os.path.isdir(env) else None
    here = os.path.dirname(os.path.abspath(__file__))
    d = os.path.dirname(os.path.dirname(here))  # the repository
    while True:
        parent = os.path.dirname(d)
        cand = os.path.join(parent, "shared", "data", "real")
        if os.path.isdir(cand):
            return cand
        if parent == d:
            return None
        d = parent


def read_lists(data):
    csv.field_size_limit(1 << 30)
    lists = []
    for name, col in DATASETS:
        with open(os.path.join(data, name), newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                lists.append(row[col] or "")
    return lists


PY_LIST = re.compile(r"^\s*\[(['\"])(.*)\1\]\s*$", re.S)


def between_names(text, i):
    """Whether the comma at i may part two names: not one between digits
    (1,2-Hexanediol)."""
    return not (0 < i < len(text) - 1 and text[i - 1].isdigit() and
                text[i + 1].isdigit())


def split(text):
    """The pieces between commas outside brackets and numbers ("Water
    (Aqua, Eau)", "1,2-Hexanediol"); where brackets never close, between
    every such comma."""
    for strict in (True, False):
        out, depth, a = [], 0, 0
        for i, c in enumerate(text):
            if c in "([{" and strict:
                depth += 1
            elif c in ")]}" and depth:
                depth -= 1
            elif c == "," and depth == 0 and between_names(text, i):
                out.append(text[a:i])
                a = i + 1
        if depth == 0:
            break
    out.append(text[a:])
    return out


def parse(text):
    """(pieces, separator, ends with '.', Python-list cell)."""
    m = PY_LIST.match(text)
    wrapped = m is not None
    if wrapped:
        q = m.group(1)
        text = m.group(2).replace(q + ", " + q, ", ")
    seps = collections.Counter(re.findall(r"[ \u00a0]*,(?!\d)[ \u00a0]*", text))
    sep = seps.most_common(1)[0][0] if seps else ", "
    pieces = [p.strip() for p in split(text)]
    pieces = [p for p in pieces if p]
    end = bool(pieces) and pieces[-1].endswith(".")
    if end:
        pieces[-1] = pieces[-1][:-1].rstrip()
        if not pieces[-1]:
            pieces.pop()
    return pieces, sep, end, wrapped


def fold(s):
    return " ".join(s.casefold().split())


def osa(a, b, limit=2):
    """Optimal-string-alignment distance, or limit+1 when above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def typo_edits(a, b):
    """Edits of misspelling b of a (folded, same word count), or 0."""
    wa, wb = a.split(" "), b.split(" ")
    if len(wa) != len(wb) or re.sub(r"\D", "", a) != re.sub(r"\D", "", b):
        return 0
    total = 0
    for x, y in zip(wa, wb):
        if x == y:
            continue
        d = osa(x, y)
        shorter = min(len(x), len(y))
        if d > 2 or (d > 1 and d * 4 > shorter) or (d == 1 and shorter < 4):
            return 0
        total += d
    return total if 0 < total <= 2 else 0


def misspellings(folds):
    """{folded form: (form it misspells, edits)} via a one-deletion index
    (two forms one or two edits apart share a form with one letter
    deleted, or one is the other with a letter deleted)."""
    index = collections.defaultdict(list)
    for f in folds:
        for i in range(len(f)):
            index[f[:i] + f[i + 1:]].append(f)
        index[f].append(f)
    out = {}
    for f, n in folds.items():
        if sum(c.isalpha() for c in f) < 6:
            continue
        cands = set(index.get(f, ()))
        for i in range(len(f)):
            cands.update(index.get(f[:i] + f[i + 1:], ()))
        best = None
        for c in cands:
            if c == f or folds[c] < 2 * n:
                continue
            d = typo_edits(c, f)
            if d and (best is None or folds[c] > folds[best[0]]):
                best = (c, d)
        if best:
            out[f] = best
    return out


def case_style(s):
    letters = [c for c in s if c.isalpha()]
    if not letters:
        return "other"
    if all(c.isupper() for c in letters):
        return "upper"
    if all(c.islower() for c in letters):
        return "lower"
    words = [w for w in s.split() if w[:1].isalpha()]
    if words and all(w[0].isupper() and w[1:] == w[1:].lower() for w in words):
        return "title"
    return "other"


def heaps(lists, orders=8):
    """The distinct pieces V after n pieces, with the products in random
    order (mean of `orders` orders), at n = N/2^k (k = 10..0); and beta
    of V = K n^beta fitted on the second half of the curve."""
    rng = random.Random(11)
    n_total = sum(len(p) for p in lists)
    marks = sorted({max(1, n_total >> k) for k in range(11)} |
                   {n_total * k // 16 for k in range(8, 17)})
    sums = [0.0] * len(marks)
    idx = list(range(len(lists)))
    for _ in range(orders):
        rng.shuffle(idx)
        seen, n, m = set(), 0, 0
        for i in idx:
            for p in lists[i]:
                n += 1
                seen.add(p)
                while m < len(marks) and n >= marks[m]:
                    sums[m] += len(seen)
                    m += 1
    curve = [(x, s / orders) for x, s in zip(marks, sums)]
    half = [(math.log(x), math.log(v)) for x, v in curve if 2 * x >= n_total]
    mx = sum(x for x, _ in half) / len(half)
    my = sum(y for _, y in half) / len(half)
    beta = sum((x - mx) * (y - my) for x, y in half) / \
        sum((x - mx) ** 2 for x, _ in half)
    return [(x, round(v)) for x, v in curve if x == n_total or
            x in {max(1, n_total >> k) for k in range(11)}], beta


def measure(texts):
    parsed = [parse(t) for t in texts]
    lists = [p[0] for p in parsed]
    counts = collections.Counter(p for ps in lists for p in ps)
    pos_sum = collections.Counter()
    for ps in lists:
        for i, p in enumerate(ps):
            pos_sum[p] += 100 * i / max(len(ps) - 1, 1)
    folds = collections.Counter()
    for p, n in counts.items():
        folds[fold(p)] += n
    top_form = {}
    for p, n in counts.items():
        f = fold(p)
        if f not in top_form or n > counts[top_form[f]]:
            top_form[f] = p
    typos = misspellings(folds)
    kind = {}
    for p in counts:
        f = fold(p)
        kind[p] = ("case" if top_form[f] != p else
                   "typo" if f in typos else "name")
    return {
        "lists": lists, "counts": counts, "kind": kind, "typos": typos,
        "position": {p: round(pos_sum[p] / counts[p]) for p in counts},
        "seps": collections.Counter(p[1] for p in parsed if len(p[0]) > 1),
        "ends": sum(p[2] for p in parsed),
        "wrapped": sum(p[3] for p in parsed),
        "dups": len(texts) - len(set(texts)),
        "lengths": collections.Counter(len(ps) for ps in lists),
        "styles": collections.Counter(case_style(p) for p in counts
                                      if kind[p] == "case"),
        "edits": collections.Counter(t[1] for t in typos.values()),
        "heaps": heaps(lists),
    }


def prose(p):
    return len(p.split()) > PROSE_WORDS or len(p.encode()) > PROSE_BYTES


def write(m, max_bytes, out):
    counts, kind = m["counts"], m["kind"]
    total = sum(counts.values())
    singles = collections.Counter(kind[p] for p, n in counts.items() if n == 1)
    head = [
        "# Vocabulary of the needlecheck benchmark (tests/bench/vocab.py made",
        "# it from the public label datasets; gen.c reads it). Names and",
        "# counts only%s. Lines:" % (
            ", cut to %d bytes: make bench-vocabulary rebuilds it" % max_bytes
            if max_bytes else ""),
        "#   %lists N  %pieces N  %dups N  %ends N  %wrapped N  (products;",
        "#     ending with '.'; in a Python-list cell ['...'])",
        "#   %length PIECES PRODUCTS     how long lists are",
        "#   %sep COUNT SEPARATOR        the separator a list uses (to the end)",
        "#   %curve N V                  V distinct pieces among N (real)",
        "#   %beta BETA                  beyond: V grows as N^BETA",
        "#   %tail KIND COUNT            the pieces seen once, by kind",
        "#   %style STYLE COUNT          how case variants are written",
        "#   %edits EDITS COUNT          how far misspellings are from the name",
        "#   COUNT<TAB>POSITION<TAB>PIECE  POSITION: where in a list it",
        "#     stands on average, 0 first .. 100 last",
        "%%lists %d" % len(m["lists"]),
        "%%pieces %d" % total,
        "%%dups %d" % m["dups"],
        "%%ends %d" % m["ends"],
        "%%wrapped %d" % m["wrapped"],
        "%%beta %.4f" % m["heaps"][1],
    ]
    head += ["%%curve %d %d" % nv for nv in m["heaps"][0]]
    head += ["%%length %d %d" % kv for kv in sorted(m["lengths"].items())]
    head += ["%%sep %d %s" % (n, s) for s, n in m["seps"].most_common()]
    head += ["%%tail %s %d" % (k, singles[k]) for k in ("case", "typo", "name")]
    head += ["%%style %s %d" % kv for kv in m["styles"].most_common()]
    head += ["%%edits %d %d" % kv for kv in sorted(m["edits"].items())]
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if max_bytes:
        rows = [(p, n) for p, n in rows if not prose(p)]
    lines = ["%d\t%d\t%s" % (n, m["position"][p], p) for p, n in rows]
    if max_bytes:
        used = sum(len(x.encode()) + 1 for x in head)
        keep = [x for (p, n), x in zip(rows, lines) if n > 1]
        once = [x for (p, n), x in zip(rows, lines) if n == 1]
        used += sum(len(x.encode()) + 1 for x in keep)
        random.Random(7).shuffle(once)
        for x in once:
            if used + len(x.encode()) + 1 > max_bytes:
                break
            keep.append(x)
            used += len(x.encode()) + 1
        order = {x: i for i, x in enumerate(lines)}
        lines = sorted(keep, key=order.get)
    out.write("\n".join(head + lines) + "\n")


def report(m):
    counts, kind = m["counts"], m["kind"]
    total = sum(counts.values())
    occ = collections.Counter()
    for p, n in counts.items():
        occ[kind[p]] += n
    types = collections.Counter(kind.values())
    once = sum(1 for n in counts.values() if n == 1)
    curve, beta = m["heaps"]
    n_last, v_last = curve[-1]
    r = sys.stderr
    print("products %d, pieces %d, distinct %d (%d case-folded), seen once %d "
          "(%.1f%% of pieces)" % (len(m["lists"]), total, len(counts),
                                 len({fold(p) for p in counts}), once,
                                 100 * once / total), file=r)
    for key, what in (("case", "case variants"), ("typo", "misspellings")):
        print("%-14s %5d distinct, %6d pieces (%.2f%% of pieces)" % (
            what, types[key], occ[key], 100 * occ[key] / total), file=r)
    print("case variants written: %s" % dict(m["styles"]), file=r)
    print("long tail: V distinct among n pieces: %s; beyond, V ~ n^%.3f "
          "(100,000 products of %.1f pieces: %d distinct)" % (
              ", ".join("%d: %d" % nv for nv in curve), beta,
              total / len(m["lists"]),
              v_last * (1e5 * total / len(m["lists"]) / n_last) ** beta),
          file=r)
    ex = sorted(m["typos"].items(), key=lambda kv: -counts.get(kv[0], 0))[:12]
    print("misspellings, e.g.: %s" % "; ".join(
        "%s (%s)" % (f, t[0]) for f, t in ex), file=r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data")
    ap.add_argument("--max-bytes", type=int, default=0)
    ap.add_argument("--report", action="store_true")
    a = ap.parse_args()
    data = find_data(a.data)
    if data is None:
        sys.exit("vocab.py: no data directory (set NEEDLECHECK_DATA)")
    m = measure(read_lists(data))
    if a.report:
        report(m)
    write(m, a.max_bytes, sys.stdout)


if __name__ == "__main__":
    main()
