#!/usr/bin/env python3
"""needlecheck serve under load, on 127.0.0.1 only: a fixed number of
requests with ApacheBench (ab), which stops by itself. Not a test: the
figures are for a person (throughput, latency percentiles, errors, the
server's memory before and after).

Usage: bench.py path/to/needlecheck [REQUESTS] [CONCURRENCY]
Installs nothing; says so and stops without ab."""
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve import Server, has_server, here  # noqa: E402


def ab(port, path, body_file, ctype, n, c, pct_file, keep_alive=False):
    out = subprocess.run(
        ["ab", "-q"] + (["-k"] if keep_alive else []) + ["-n", str(n), "-c", str(c), "-s", "30", "-p", body_file,
         "-T", ctype, "-e", pct_file, "http://127.0.0.1:%d%s" % (port, path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900).stdout.decode()

    def field(name):
        m = re.search(r"^%s:\s+([\d.]+)" % re.escape(name), out, re.M)
        return float(m.group(1)) if m else 0.0
    with open(pct_file) as f:
        pct = {int(float(r[0])): float(r[1]) for r in csv.reader(f) if r[0][0].isdigit()}
    return {"rps": field("Requests per second"), "failed": int(field("Failed requests")),
            "non2xx": int(field("Non-2xx responses")), "complete": int(field("Complete requests")),
            "p50": pct.get(50, 0.0), "p99": pct.get(99, 0.0), "max": pct.get(100, 0.0)}


def main():
    binary = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    c = int(sys.argv[3]) if len(sys.argv) > 3 else 32
    if not has_server(binary):
        print("serve-bench: built without libmicrohttpd")
        return 1
    if shutil.which("ab") is None:
        print("serve-bench: needs ab (Debian: apt-get install apache2-utils)")
        return 1
    tmp = tempfile.mkdtemp()
    srv = Server(binary, "-q")
    try:
        pct = os.path.join(tmp, "pct.csv")
        serum = here("..", "..", "samples", "night-serum.txt")
        runs = [("a pasted list", "/v1/check?day=2", serum, "text/plain", n, False),
                ("the same, keep-alive", "/v1/check?day=2", serum, "text/plain", n, True),
                ("a 24-row inventory", "/v1/check?day=2",
                 here("..", "..", "samples", "shop-inventory.csv"), "text/csv", n // 4,
                 False)]
        ab(srv.port, runs[0][1], runs[0][2], runs[0][3], 500, c, pct)  # warm up
        print("needlecheck serve on 127.0.0.1:%d, ab -c %d, %d CPUs" %
              (srv.port, c, os.cpu_count()))
        with open("/proc/loadavg") as f:
            print("load average before: %s" % " ".join(f.read().split()[:3]))
        for name, path, body, ctype, count, keep in runs:
            before = srv.rss_kb()
            r = ab(srv.port, path, body, ctype, count, c, pct, keep)
            after = srv.rss_kb()
            print("%-20s %6d requests: %7.0f req/s, p50 %.1f ms, p99 %.1f ms, "
                  "max %.0f ms, %d failed, %d non-2xx; RSS %d -> %d KB" %
                  (name, r["complete"], r["rps"], r["p50"], r["p99"], r["max"],
                   r["failed"], r["non2xx"], before, after))
        with open("/proc/loadavg") as f:
            print("load average after: %s" % " ".join(f.read().split()[:3]))
        rc = srv.stop()
        if rc != 0:
            print("the server exited %d" % rc)
            return 1
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
