#!/usr/bin/env python3
"""make photo-test (part of make check): the committed label photos of
tests/photo/fixtures (made by labels.py from lists.tsv; manifest.tsv
says what each one prints) read back by the library.

Usage: run.py BUILD_DIR

Each photo must have its list found after its header, at least 90 % of
its ingredients read (exactly or as the right lexicon entry), its last
ingredient among them (the list goes on in the next column: the reader,
which stops once the list has ended, must not stop at the column's
end), and the verdict of the printed list. Built without Tesseract and Leptonica, the
reader must say so, naming the packages; that is all it checks then.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MIN_RECALL = 0.90


def main():
    build = sys.argv[1]
    p = subprocess.run([os.path.join(build, "photo", "eval_photo"),
                        os.path.join(HERE, "fixtures")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=False)
    err = p.stderr.decode(errors="replace")
    if p.returncode != 0:
        if "needs Tesseract and Leptonica" in err and "libtesseract-dev" in err:
            print("photo: built without Tesseract and Leptonica; the "
                  "message says what to install")
            return 0
        print("photo: eval_photo failed (%d): %s" % (p.returncode, err))
        return 1
    failed = 0
    records = [json.loads(l) for l in p.stdout.decode().splitlines()]
    last = {}
    with open(os.path.join(HERE, "fixtures", "manifest.tsv"),
              encoding="utf-8") as f:
        for line in f.read().splitlines()[1:]:
            cols = line.split("\t")
            last[cols[0]] = cols[-1].rstrip(". ").split(", ")[-1]
    for r in records:
        recall = (r["read_exact"] + r["read_entry"]) / max(r["truth_n"], 1)
        problems = []
        if r["error"]:
            problems.append("not read: %s" % r["error"])
        if r["found"] != "header":
            problems.append("list found by %s, not its header" % r["found"])
        if recall < MIN_RECALL:
            problems.append("recall %.0f %% (missed %s)" %
                            (100 * recall, r["missing"]))
        if '"%s"' % last[r["image"]] in r["missing"]:
            problems.append("its last ingredient %s not read" %
                            last[r["image"]])
        if r["verdict_photo"] != r["verdict_text"]:
            problems.append("verdict %s, the printed list's is %s" %
                            (r["verdict_photo"], r["verdict_text"]))
        if problems:
            failed += 1
            print("FAIL %s: %s" % (r["image"], "; ".join(problems)))
    if len(records) < 3:
        print("photo: %d photos read, expected the 3 fixtures" % len(records))
        failed += 1
    print("photo: %d photos, %d failed" % (len(records), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
