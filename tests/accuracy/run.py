#!/usr/bin/env python3
"""Accuracy cases: realistic ingredient lists and what must be reported.

Usage: run.py BIN [CASE-FILE...]   (default: tests/accuracy/cases/*.txt)

A case file holds records; each starts with "case:" and has these keys
(one per line; a line starting with blanks continues the previous value):

    case: what the case is about (its name in failures)
    name: the product's name (optional; --name)
    day: the day after the procedure (default 0)
    list: the ingredient list, as printed on a label
    want: classes that must be reported: "aha" (any status), "aha:caution"
          (the worst status of the class's findings)
    not: classes that must not be reported
    verdict: the product's verdict (optional)
    reason: "CLASS ~ words": a finding of CLASS whose reason contains words
    unrecognized: the number of unrecognized names (optional)
    encoding: the bytes the list is given in (a Python codec, e.g. cp1252
          or utf-16; default utf-8)
    known: names for a --known file, separated by ";"

Lines starting with "#" are comments. Exit status 1 if a case fails.
"""
import glob
import json
import os
import resource
import subprocess
import sys
import tempfile

KEYS = ("case", "name", "day", "list", "want", "not", "verdict", "reason",
        "unrecognized", "encoding", "known")
RANK = {"recommended": 0, "safe": 1, "caution": 2, "avoid": 3}
MAX_OUTPUT = 1 << 20  # a record is a few kB; more is a runaway writer


def parse(path):
    cases, cur, last = [], None, None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line[0] in " \t":
                if cur is None or last is None:
                    raise SystemExit("%s:%d: continuation without a key" %
                                     (path, n))
                cur[last] += " " + line.strip()
                continue
            key, sep, value = line.partition(":")
            if not sep or key not in KEYS:
                raise SystemExit("%s:%d: expected one of %s" %
                                 (path, n, ", ".join(KEYS)))
            value = value.strip()
            if key == "case":
                cur = {"case": value, "file": path, "line": n}
                cases.append(cur)
            elif cur is None:
                raise SystemExit("%s:%d: '%s' before any 'case:'" %
                                 (path, n, key))
            elif key in ("reason",):
                cur.setdefault(key, []).append(value)
            else:
                if key in cur:
                    raise SystemExit("%s:%d: second '%s'" % (path, n, key))
                cur[key] = value
            last = key
    for c in cases:
        if "list" not in c or not any(k in c for k in (
                "want", "not", "verdict", "reason", "unrecognized")):
            raise SystemExit("%s:%d: a case needs a list and something to "
                             "check" % (c["file"], c["line"]))
    return cases


def limit_output():
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_OUTPUT, MAX_OUTPUT))


def run(binary, c):
    args = [binary, "--day", c.get("day", "0"), "--format", "ndjson"]
    if c.get("name"):
        args += ["--name", c["name"]]
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as known:
        if c.get("known"):
            known.write("\n".join(n.strip() for n in c["known"].split(";")))
            known.flush()
            args += ["--known", known.name]
        p = subprocess.run(args,
                           input=c["list"].encode(c.get("encoding", "utf-8")),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           preexec_fn=limit_output, check=False, timeout=30)
    if p.returncode > 1 or len(p.stdout) > MAX_OUTPUT:
        return None, "exit %d: %s" % (p.returncode, p.stderr.decode()[:300])
    lines = p.stdout.decode("utf-8").splitlines()
    if len(lines) != 1:
        return None, "expected one record, got %d" % len(lines)
    return json.loads(lines[0]), None


def problems(c, rec):
    worst = {}
    for f in rec["findings"]:
        if RANK[f["status"]] > RANK.get(worst.get(f["class"]), -1):
            worst[f["class"]] = f["status"]
    out = []
    for item in c.get("want", "").split():
        cls, _, status = item.partition(":")
        if cls not in worst:
            out.append("%s not reported" % cls)
        elif status and worst[cls] != status:
            out.append("%s is %s, not %s" % (cls, worst[cls], status))
    for cls in c.get("not", "").split():
        if cls in worst:
            out.append("%s reported (%s)" % (cls, worst[cls]))
    if "verdict" in c and rec["verdict"] != c["verdict"]:
        out.append("verdict %s, not %s%s" % (
            rec["verdict"], c["verdict"],
            " (" + rec["error"] + ")" if rec["error"] else ""))
    for r in c.get("reason", []):
        cls, sep, words = r.partition("~")
        cls, words = cls.strip(), words.strip()
        if not sep or not any(f["class"] == cls and f["reason"] and
                              words in f["reason"] for f in rec["findings"]):
            out.append("no %s finding with reason '%s'" % (cls, words))
    if "unrecognized" in c and len(rec["unrecognized"]) != int(
            c["unrecognized"]):
        out.append("unrecognized %s, not %s" % (rec["unrecognized"],
                                                 c["unrecognized"]))
    return out


def describe(rec):
    fs = ["%s:%s %s%s" % (f["class"], f["status"], f["ingredient"],
                          " (" + f["reason"] + ")" if f["reason"] else "")
          for f in rec["findings"]]
    return "verdict %s; %s" % (rec["verdict"], "; ".join(fs))


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    files = sys.argv[2:] or sorted(glob.glob(os.path.join(here, "cases",
                                                          "*.txt")))
    n = failed = 0
    for path in files:
        for c in parse(path):
            n += 1
            rec, err = run(binary, c)
            bad = [err] if err else problems(c, rec)
            if bad:
                failed += 1
                print("accuracy: FAIL %s:%d: %s" % (
                    os.path.relpath(c["file"]), c["line"], c["case"]))
                for b in bad:
                    print("  " + b)
                if rec:
                    print("  got: " + describe(rec))
    print("accuracy: %d cases, %d failed" % (n, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
