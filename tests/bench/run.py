"""The benchmark behind `make bench`: needlecheck on inventories shaped
like real catalogues, against the ceiling of a libcsv reader and a plain
Python script, all measured in the same run.

run.py BUILD_DIR [ROWS...]   (default rows: 100000 1000000)

The inventory's vocabulary comes from the real label datasets when they
are there ($NEEDLECHECK_DATA, else shared/data/real beside the repository
or one of its parents), else from tests/bench/vocabulary.txt (built from
them; see vocab.py). gen.c draws the lists. A best case (167 common
names, so every lookup after the first rows is a cache hit) is measured
too, and labelled so.

Environment: BENCH_RUNS (3) runs of each measure, median taken; a run
longer than 20 s is not repeated. BENCH_TIMEOUT (300) seconds before a
run is cut short and reported as not finished; a configuration cut short
is not run on larger inventories. BENCH_COMPARE=path/to/needlecheck
measures another build side by side (before and after a change).
Figures are medians; ratios compare runs made side by side, so a noisy
machine moves both. CPU seconds (all threads) are shown too: where other
work shares the CPUs they move less than wall time.
"""
import csv
import os
import shutil
import statistics
import subprocess
import sys

BUILD = sys.argv[1]
ROWS = sorted(int(r) for r in sys.argv[2:]) or [100000, 1000000]
HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "300"))
ONCE = 20.0  # seconds: a run this long is not repeated
PASTED_RUNS = 21
TOOL = os.path.join(BUILD, "bench")
CONFIGS = [  # label, arguments
    ("--jobs 1, ndjson", ["--jobs", "1", "--format", "ndjson"]),
    ("--jobs 2, ndjson", ["--jobs", "2", "--format", "ndjson"]),
    ("--jobs 1, --format csv", ["--jobs", "1", "--format", "csv"]),
]
sys.path.insert(0, HERE)


def newer(path, *sources):
    return os.path.exists(path) and all(
        os.path.getmtime(path) >= os.path.getmtime(s) for s in sources)


def vocabulary():
    """The vocabulary file, a tag for its inventories, and where it came
    from."""
    import vocab  # noqa: E402 (the same directory)
    data = vocab.find_data(None)
    if data is None:
        return (os.path.join(HERE, "vocabulary.txt"), "committed",
                "tests/bench/vocabulary.txt (the real lists are not here)")
    path = os.path.join(TOOL, "vocabulary-real.txt")
    if not newer(path, os.path.join(HERE, "vocab.py")):
        with open(path + ".tmp", "w") as out:
            subprocess.run([sys.executable, os.path.join(HERE, "vocab.py"),
                            "--data", data], stdout=out, check=True)
        os.rename(path + ".tmp", path)
    return path, "real", "the real lists in " + data


def inventory(rows, vocab_path, tag):
    """The deterministic inventory of `rows` products (made once) and its
    number of distinct pieces."""
    path = os.path.join(TOOL, f"inventory-{tag}-{rows}.csv")
    gen = os.path.join(TOOL, "gen")
    if not newer(path, gen, vocab_path) or not os.path.exists(path + ".distinct"):
        with open(path + ".tmp", "wb") as out:
            done = subprocess.run([gen, str(rows), vocab_path], stdout=out,
                                  stderr=subprocess.PIPE, text=True, check=True)
        with open(path + ".distinct", "w") as f:
            f.write(done.stderr.split()[-2] + "\n")
        os.rename(path + ".tmp", path)
    with open(path + ".distinct") as f:
        return path, int(f.read())


def run_once(argv, stdin=None):
    """(wall seconds, peak RSS MB, CPU seconds) of one run, output
    discarded, as the small C runner sees them (a child forked from this
    Python would count Python's memory in its peak); None when cut
    short."""
    done = subprocess.run([os.path.join(TOOL, "rusage"), "-t", str(TIMEOUT)] + argv,
                          capture_output=True, text=True, stdin=stdin)
    try:
        seconds, rss_kb, code, cpu = done.stdout.split()
    except ValueError:
        sys.exit(f"bench: {' '.join(argv)}: {done.stderr}")
    if code == "timeout":
        return None
    if int(code) not in (0, 1):
        sys.exit(f"bench: {' '.join(argv)} failed ({code}): {done.stderr}")
    return float(seconds), int(rss_kb) / 1024.0, float(cpu)


def measure(argv, runs=RUNS):
    """{seconds, cpu (medians), rss (max), runs} or None when cut
    short."""
    results = []
    while len(results) < runs:
        r = run_once(argv)
        if r is None:
            return None
        results.append(r)
        if r[0] > ONCE:
            break
    return {"seconds": statistics.median(r[0] for r in results),
            "cpu": statistics.median(r[2] for r in results),
            "rss": max(r[1] for r in results), "runs": len(results)}


def show(label, m, rows, parse):
    if m is None:
        print(f"  {label:<34} did not finish in {TIMEOUT} s")
        return
    ratio = f"{m['seconds'] / parse['seconds']:7.1f}x" if parse else ""
    print(f"  {label:<34} {m['seconds']:8.2f} s {m['seconds'] / rows * 1e6:8.2f} us/row "
          f"{ratio} {m['rss']:6.1f} MB peak  cpu {m['cpu']:7.2f} s  "
          f"({m['runs']} run{'s' if m['runs'] > 1 else ''})")


def pasted_list(path):
    """A list as a user pastes it: the first list of the inventory as long
    as the median of its first 2,000."""
    csv.field_size_limit(1 << 30)
    with open(path, newline="", encoding="utf-8") as f:
        cells = [row["Ingredients"] for _, row in zip(range(2000), csv.DictReader(f))]
    pieces = sorted(c.count(",") + 1 for c in cells)
    median = pieces[len(pieces) // 2]
    text = next(c for c in cells if c.count(",") + 1 == median)
    out = os.path.join(TOOL, "pasted.txt")
    with open(out, "w") as f:
        f.write(text + "\n")
    return out, median


def pasted_wall(binary, path):
    """Median wall ms of checking the pasted list, start-up included."""
    times = []
    for _ in range(PASTED_RUNS):
        with open(path) as f:
            r = run_once([binary, "--day", "3"], stdin=f)
        if r is None:
            return None
        times.append(r[0])
    return statistics.median(times) * 1000


def main():
    binaries = [("needlecheck", os.path.join(BUILD, "needlecheck"))]
    if os.environ.get("BENCH_COMPARE"):
        binaries.append(("compare", os.environ["BENCH_COMPARE"]))
    vocab_path, tag, source = vocabulary()
    print(f"needlecheck benchmark: medians of up to {RUNS} runs (one when a run "
          f"takes over {ONCE:.0f} s; Python: 1), runs cut at {TIMEOUT} s; "
          f"{os.cpu_count()} CPUs")
    print(f"vocabulary: {source}")
    if len(binaries) > 1:
        print(f"compare: {binaries[1][1]}")
    results = {}  # (binary, config, rows) -> measure
    gave_up = set()
    for rows in ROWS:
        path, distinct = inventory(rows, vocab_path, tag)
        size = os.path.getsize(path)
        print(f"\n{rows:,} rows, {size / 1e6:.0f} MB, {distinct:,} distinct "
              f"pieces ({path})")
        parse = measure([os.path.join(TOOL, "csvparse"), path])
        show("libcsv parse-only", parse, rows, parse)
        for name, binary in binaries:
            for label, args in CONFIGS:
                key = (name, label)
                full = f"{name} {label}"
                if key in gave_up:
                    print(f"  {full:<34} not run (did not finish on fewer rows)")
                    continue
                m = measure([binary, "--day", "3"] + args + [path])
                if m is None:
                    gave_up.add(key)
                results[(name, label, rows)] = m
                show(full, m, rows, parse)
        python = measure([sys.executable, os.path.join(HERE, "baseline.py"), path],
                         runs=1)
        show("Python csv + re (3 classes)", python, rows, parse)
        one = results.get(("needlecheck", CONFIGS[0][0], rows))
        if python and one:
            print(f"  Python / --jobs 1 = {python['seconds'] / one['seconds']:.2f} "
                  f"(target >= 12)")
    summary(binaries, results)
    pasted, n = pasted_list(inventory(ROWS[0], vocab_path, tag)[0])
    for name, binary in binaries:
        ms = pasted_wall(binary, pasted)
        print(f"a pasted list ({n} names), {name}, wall with start-up, median of "
              f"{PASTED_RUNS}: " + (f"{ms:.1f} ms" if ms else "did not finish")
              + " (target < 5 ms)")
    # What starting any process costs on this machine, measured the same
    # way: the part of the figure above that no program can take out.
    true = shutil.which("true")
    if true:
        print(f"  {true}, run the same way: {pasted_wall(true, pasted):.1f} ms")
    best_case(binaries)


def summary(binaries, results):
    print()
    if len(ROWS) > 1:
        small, large = ROWS[0], ROWS[-1]
        print(f"per-row time, {large:,} / {small:,} rows (target <= 1.10), "
              f"wall and CPU:")
        for name, _ in binaries:
            for label, _ in CONFIGS:
                a = results.get((name, label, small))
                b = results.get((name, label, large))
                ratio = (f"{(b['seconds'] / large) / (a['seconds'] / small):.2f}, "
                         f"{(b['cpu'] / large) / (a['cpu'] / small):.2f}"
                         if a and b else "n/a (did not finish)")
                print(f"  {name} {label:<24} {ratio}")
    for name, _ in binaries:
        peaks = [f"{r:,} rows {results[(name, CONFIGS[1][0], r)]['rss']:.1f} MB"
                 for r in ROWS if results.get((name, CONFIGS[1][0], r))]
        if peaks:
            print(f"peak RSS, {name} --jobs 2: {', '.join(peaks)} (target < 64 MB)")


def best_case(binaries):
    """The 167-name inventory: the tool at its fastest, not its speed."""
    rows = ROWS[0]
    path, distinct = inventory(rows, os.path.join(HERE, "best-case.txt"), "best")
    print(f"\nbest case, not a real catalogue: {rows:,} rows drawn from "
          f"{distinct} names (every lookup after the first rows is a cache hit)")
    parse = measure([os.path.join(TOOL, "csvparse"), path])
    show("libcsv parse-only", parse, rows, parse)
    for name, binary in binaries:
        label, args = CONFIGS[0]
        show(f"{name} {label}", measure([binary, "--day", "3"] + args + [path]),
             rows, parse)


main()
