#!/usr/bin/env python3
"""make eval-photo: the photo reader measured on label images made from
real lists.

Usage: eval.py --build DIR [--lists N] [--data DIR] [--day N]
               [--levels L,...] [--seed N] [--images DIR]
               [--compare OLD/needlecheck] [--runs N]

Draws N real ingredient lists (default 12) from the public datasets of
shared/data/real (found as `make bench` finds them; not part of the
project: nothing is copied into it; without them the script says so and
exits 0), as many of each text
verdict (avoid, caution, safe on --day) as it can, renders each as a
label at every distortion level of labels.py (into DIR/photo-eval),
reads the images back with DIR/photo/eval_photo and prints, per level:

    recall     ingredients read exactly or as the right lexicon entry, of
               those printed (exact: read exactly)
    in text    read exactly anywhere on the photo (the list finder aside)
    verdicts   the photo's verdict equals the printed list's
    unsafe     the photo says safe where the list says avoid
    s/photo    median wall and CPU seconds to read one photo, and its
               median megapixels

then the seconds to read a photo by size (wall: median, max, how many
took 1 s or more; CPU), what a person waits for (the command line on each photo of
1.8 megapixels or more, start-up included: wall and CPU seconds; with
--compare, another build run in turn with it, --runs times each) and
the cases that were unsafe or unknown. The times of one run vary by a third
on a shared machine: compare two builds only on the same images read
one after the other. --images DIR measures images
already made (a directory with a manifest.tsv).
"""
import argparse
import ast
import collections
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bench"))
import vocab  # noqa: E402  (where the data is, how its lists are read)

LANGS = ["en", "en", "fr", "de"]


def candidates(data):
    """Lists a label could print: 8-60 names, one paragraph, no damage
    from scraping."""
    out = []
    for i, text in enumerate(vocab.read_lists(data), start=1):
        text = text.strip()
        if text.startswith("['"):
            try:
                text = " ".join(ast.literal_eval(text))
            except (ValueError, SyntaxError):
                continue
        text = " ".join(text.split())
        n = text.count(",") + 1
        if (8 <= n <= 60 and "\ufffd" not in text and
                "boutique" not in text.lower() and len(text) < 1500):
            out.append(("list-%d" % i, text))
    return out


def text_verdicts(binary, day, lists):
    """The check of each list as text (one process, one list a line)."""
    p = subprocess.run([binary, "--day", str(day), "--format", "ndjson",
                        "--per-line"],
                       input="\n".join(t for _, t in lists).encode(),
                       stdout=subprocess.PIPE, check=False)
    recs = [json.loads(l) for l in p.stdout.decode().splitlines()]
    if len(recs) != len(lists):
        raise SystemExit("eval-photo: %d records for %d lists" %
                         (len(recs), len(lists)))
    return [r["verdict"] for r in recs]


def draw(args):
    pool = candidates(args.data)
    if not pool:
        return None
    rng = random.Random(args.seed)
    rng.shuffle(pool)
    pool = pool[:max(200, args.lists * 10)]
    verdicts = text_verdicts(os.path.join(args.build, "needlecheck"),
                             args.day, pool)
    by = collections.defaultdict(list)
    for item, v in zip(pool, verdicts):
        by[v].append(item)
    chosen = []
    order = ["avoid", "caution", "safe"]
    while len(chosen) < args.lists and any(by[v] for v in order):
        for v in order:
            if by[v] and len(chosen) < args.lists:
                chosen.append(by[v].pop())
    return chosen


def render(args, chosen, out):
    os.makedirs(out, exist_ok=True)
    lists = os.path.join(out, "lists.tsv")
    rng = random.Random(args.seed)
    with open(lists, "w", encoding="utf-8") as f:
        for ident, text in chosen:
            f.write("%s\t%s\t%s\n" % (ident, rng.choice(LANGS), text))
    subprocess.run([sys.executable, os.path.join(HERE, "labels.py"),
                    "render", "--out", out, "--lists", lists,
                    "--levels", args.levels, "--seed", str(args.seed)],
                   check=True)


def summarize(records, levels):
    by = collections.defaultdict(list)
    for r in records:
        by[r["level"]].append(r)
    print("%-12s %7s %7s %7s %9s %7s %6s %13s %5s" % (
        "level", "photos", "recall", "exact", "in text", "verdict",
        "unsafe", "s/photo(cpu)", "MP"))
    for level in levels:
        rs = by.get(level)
        if not rs:
            continue
        n = sum(r["truth_n"] for r in rs)
        exact = sum(r["read_exact"] for r in rs)
        entry = sum(r["read_entry"] for r in rs)
        text = sum(r["read_text"] for r in rs)
        agree = sum(r["verdict_text"] == r["verdict_photo"] for r in rs)
        unsafe = sum(r["verdict_text"] == "avoid" and
                     r["verdict_photo"] == "safe" for r in rs)
        print("%-12s %7d %6.1f%% %6.1f%% %8.1f%% %6.1f%% %6d %6.2f (%4.2f) %5.2f" % (
            level, len(rs), 100.0 * (exact + entry) / n, 100.0 * exact / n,
            100.0 * text / n, 100.0 * agree / len(rs), unsafe,
            statistics.median(r["ms"] for r in rs) / 1000,
            statistics.median(r["cpu_ms"] for r in rs) / 1000,
            statistics.median(r["mp"] for r in rs)))
    print("\nseconds to read a photo by megapixels (the target: under 1 s "
          "for 2 MP):")
    bands = [("<= 1.8", 0, 1.8), ("1.8-2.2", 1.8, 2.2), ("> 2.2", 2.2, None)]
    for name, lo, hi in bands:
        rs = [r for r in records
              if r["mp"] > lo and (hi is None or r["mp"] <= hi)]
        if rs:
            wall = [r["ms"] / 1000 for r in rs]
            cpu = [r["cpu_ms"] / 1000 for r in rs]
            print("  %-8s %3d photos, wall median %4.2f, max %4.2f, %d of "
                  "1 s or more; CPU median %4.2f, max %4.2f" % (
                      name, len(rs), statistics.median(wall), max(wall),
                      sum(w >= 1 for w in wall), statistics.median(cpu),
                      max(cpu)))
    print("\nverdicts that differ (printed list -> photo):")
    for r in records:
        if r["verdict_text"] != r["verdict_photo"]:
            flag = " UNSAFE" if (r["verdict_text"] == "avoid" and
                                r["verdict_photo"] == "safe") else ""
            print("  %s: %s -> %s%s, confidence %.0f, list %s; missed: %s%s" % (
                r["image"], r["verdict_text"], r["verdict_photo"], flag,
                r["confidence"], r["found"], r["missing"] or "-",
                "; " + r["error"] if r["error"] else ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--lists", type=int, default=12)
    ap.add_argument("--data", help="the public datasets (default: "
                    "$NEEDLECHECK_DATA, else shared/data/real beside the "
                    "repository or a parent)")
    ap.add_argument("--day", type=int, default=3)
    ap.add_argument("--levels", default="clean,rotate,perspective,blur,"
                    "noise,light,curve,moderate,hard")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--images")
    ap.add_argument("--compare", help="another build's needlecheck, run in "
                    "turn with this one on the large photos")
    ap.add_argument("--runs", type=int, default=1,
                    help="runs of the command line on each large photo")
    args = ap.parse_args()
    if args.images:
        out = args.images
    else:
        args.data = vocab.find_data(args.data)
        if args.data is None:
            print("eval-photo: the public datasets are not there; "
                  "nothing to measure")
            return
        chosen = draw(args)
        if not chosen:
            print("eval-photo: no list in %s" % args.data)
            return
        out = os.path.join(args.build, "photo-eval")
        render(args, chosen, out)
    cmd = [os.path.join(args.build, "photo", "eval_photo"),
           "--day", str(args.day)]
    p = subprocess.run(cmd + [out],
                       stdout=subprocess.PIPE, check=True)
    records = [json.loads(l) for l in p.stdout.decode().splitlines()]
    with open(os.path.join(out, "results.ndjson"), "w") as f:
        f.write(p.stdout.decode())
    print("eval-photo: %d images in %s, day %d" % (len(records), out,
                                                   args.day))
    summarize(records, args.levels.split(","))
    command_line(os.path.join(args.build, "needlecheck"), out, records,
                 args.day, args.compare, args.runs)


def command_line(binary, out, records, day, compare=None, runs=1):
    """What a person waits for: `needlecheck check PHOTO` as a process,
    start-up and loading Tesseract's languages included, on the photos
    of 1.8 megapixels or more (one after the other; with compare, that
    build too, the two in turn, runs times each, medians)."""
    big = [r for r in records if r["mp"] > 1.8]
    if not big:
        return

    def once(prog, image):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        subprocess.run([prog, "--day", str(day), os.path.join(out, image)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime +
                      after.ru_stime - before.ru_stime)

    times = []  # (mp, wall, cpu, the other build's wall or None)
    for r in big:
        mine, theirs = [], []
        for _ in range(runs):
            mine.append(once(binary, r["image"]))
            if compare:
                theirs.append(once(compare, r["image"])[0])
        times.append((r["mp"], statistics.median(m[0] for m in mine),
                      statistics.median(m[1] for m in mine),
                      statistics.median(theirs) if theirs else None))
    print("\nthe command line on a photo, start-up included (seconds%s):" %
          (", medians of %d runs" % runs if runs > 1 else ""))
    for name, lo, hi in [("1.8-2.2", 1.8, 2.2), ("> 2.2", 2.2, None)]:
        band = [t for t in times if t[0] > lo and (hi is None or t[0] <= hi)]
        if not band:
            continue
        walls = [t[1] for t in band]
        print("  %-8s %3d photos, wall median %4.2f, max %4.2f, %d of "
              "1 s or more; CPU median %4.2f" % (
                  name, len(band), statistics.median(walls), max(walls),
                  sum(w >= 1 for w in walls),
                  statistics.median(t[2] for t in band)))
        if compare:
            other = [t[3] for t in band]
            ratios = [t[1] / t[3] for t in band]
            print("  %-8s %s: wall median %4.2f, max %4.2f, %d of 1 s or "
                  "more; this / that, photo by photo: median %.2f "
                  "(%.2f-%.2f)" % ("", compare, statistics.median(other),
                                   max(other), sum(w >= 1 for w in other),
                                   statistics.median(ratios), min(ratios),
                                   max(ratios)))

if __name__ == "__main__":
    main()
