"""The benchmark behind `make bench`: needlecheck on a synthetic inventory
against the ceiling of a libcsv reader and a plain Python script, all
measured in the same run. Figures are medians; ratios compare runs made
side by side, so a noisy machine moves both.

run.py BUILD_DIR [ROWS...]   (default rows: 100000 1000000)
"""
import os
import statistics
import subprocess
import sys
import time

BUILD = sys.argv[1]
ROWS = [int(r) for r in sys.argv[2:]] or [100000, 1000000]
HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = 3


def inventory(rows):
    """The deterministic inventory of `rows` products (made once)."""
    path = os.path.join(BUILD, "bench", f"inventory-{rows}.csv")
    if not os.path.exists(path):
        with open(path + ".tmp", "wb") as out:
            subprocess.run([os.path.join(BUILD, "bench", "gen"), str(rows),
                            os.path.join(HERE, "vocabulary.txt")],
                           stdout=out, check=True)
        os.rename(path + ".tmp", path)
    return path


def measure(argv):
    """Wall seconds and peak RSS (MB) of one run, output discarded, as the
    small C runner sees them (a child forked from this Python would count
    Python's memory in its peak)."""
    runner = os.path.join(BUILD, "bench", "rusage")
    done = subprocess.run([runner] + argv, capture_output=True, text=True)
    try:
        seconds, rss_kb, code = done.stdout.split()
    except ValueError:
        sys.exit(f"bench: {' '.join(argv)}: {done.stderr}")
    if int(code) not in (0, 1):
        sys.exit(f"bench: {' '.join(argv)} failed ({code}): {done.stderr}")
    return float(seconds), int(rss_kb) / 1024.0


def median_of(argv, runs=RUNS):
    results = [measure(argv) for _ in range(runs)]
    return (statistics.median(r[0] for r in results),
            max(r[1] for r in results))


def row(name, seconds, rss, size, rows):
    mb = size / 1e6
    print(f"  {name:<34} {seconds:8.2f} s {mb / seconds:8.1f} MB/s "
          f"{rows / seconds:11,.0f} rows/s {rss:7.1f} MB peak")


def main():
    needlecheck = os.path.join(BUILD, "needlecheck")
    csvparse = os.path.join(BUILD, "bench", "csvparse")
    print(f"needlecheck benchmark: {RUNS} runs each (Python: 1), medians; "
          f"{os.cpu_count()} CPUs")
    rss = {}
    for rows in ROWS:
        path = inventory(rows)
        size = os.path.getsize(path)
        print(f"\n{rows:,} rows, {size / 1e6:.0f} MB ({path})")
        check = [needlecheck, "--day", "3", "--format", "ndjson"]
        one, rss1 = median_of(check + ["--jobs", "1", path])
        two, rss2 = median_of(check + ["--jobs", "2", path])
        parse, rssp = median_of([csvparse, path])
        row("needlecheck --jobs 1", one, rss1, size, rows)
        row("needlecheck --jobs 2", two, rss2, size, rows)
        row("libcsv parse only", parse, rssp, size, rows)
        python = None
        if rows <= 1000000:
            python, rsspy = median_of(
                ["python3", os.path.join(HERE, "baseline.py"), path], runs=1)
            row("Python csv + re (3 classes)", python, rsspy, size, rows)
        print(f"  ratios: jobs 1 / parse-only = {one / parse:.2f} (target 1.5), "
              f"jobs 2 / parse-only = {two / parse:.2f} (target < 1)")
        if python:
            print(f"          Python / jobs 1 = {python / one:.1f}x, "
                  f"Python / jobs 2 = {python / two:.1f}x (target 12)")
        rss[rows] = (rss1, rss2)
    if len(rss) > 1:
        small, large = min(rss), max(rss)
        print(f"\npeak RSS {small:,} vs {large:,} rows: jobs 1 "
              f"{rss[small][0]:.1f} vs {rss[large][0]:.1f} MB, jobs 2 "
              f"{rss[small][1]:.1f} vs {rss[large][1]:.1f} MB (target < 64, "
              f"within 10%)")


main()
