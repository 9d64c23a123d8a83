#!/usr/bin/env python3
"""needlecheck serve: the API's records are the command line's, byte for
byte; bad requests get the right 4xx and never take the server down;
what a request says is escaped wherever it is shown; the server stops
cleanly on SIGTERM.

Usage: test_serve.py path/to/needlecheck [ABSENT]
Skipped, saying so, when the program was built without libmicrohttpd.
ABSENT: the program built to find no libmicrohttpd at run time, which
must say what to install."""
import glob
import json
import os
import random
import re
import subprocess
import socket
import struct
import sys
import threading
import time
import urllib.parse
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve import Server, cli, cli_run, has_server, here, read_all  # noqa: E402

TOP = here("..", "..")
failures = []
checks = 0


def expect(name, cond, detail=""):
    global checks
    checks += 1
    if not cond:
        failures.append(name)
        print("serve: FAIL %s %s" % (name, detail))


def inputs(pattern):
    return sorted(glob.glob(os.path.join(TOP, pattern)))


def read(path):
    with open(path, "rb") as f:
        return f.read()


# the moments asked for, as the query and as the command line's options
MOMENTS = [
    ("", []),
    ("day=2", ["--day", "2"]),
    ("day=6", ["--day", "6"]),
    ("hours=30.5", ["--hours", "30.5"]),
    ("since=2026-11-20T08:00&now=2026-11-24T20:00",
     ["--since", "2026-11-20T08:00", "--now", "2026-11-24T20:00"]),
]


def same_as_cli(srv, binary):
    """Each input once, at one of the moments in turn (the command line
    starts in some 70 ms: every pair would take too long for make check)."""
    texts = inputs("tests/golden/cases/*.txt") + inputs("samples/*.txt") + \
        inputs("tests/plan/inputs/*.txt")
    csvs = inputs("tests/golden/csv/*.csv") + inputs("samples/*.csv") + \
        inputs("tests/plan/inputs/*.csv")
    expect("inputs found", len(texts) > 10 and len(csvs) > 5)
    for k, path in enumerate(texts):
        data = read(path)
        name = os.path.basename(path)
        query, args = MOMENTS[k % len(MOMENTS)]
        st, hd, body = srv.post("/v1/check?" + query, data, "text/plain")
        want = cli(binary, args + ["--format", "ndjson"], data)
        expect("check %s ?%s" % (name, query), st == 200 and body == want,
               "status %d\n  got  %r\n  want %r" % (st, body[:300], want[:300]))
        expect("check %s type" % name, hd.get("Content-Type") == "application/json")
        if name.startswith("lists") or k % 7 == 0:
            st, hd, body = srv.post("/v1/check?per_line=1&day=3", data, "text/plain")
            want = cli(binary, ["--per-line", "--day", "3", "--format", "ndjson"], data)
            expect("check %s per_line" % name, st == 200 and body == want)
            expect("check %s per_line type" % name,
                   hd.get("Content-Type") == "application/x-ndjson")
        if k % 5 == 0:
            st, _, body = srv.post("/v1/check?name=SPF%2030%20Foundation&day=1",
                                   data, "text/plain")
            want = cli(binary, ["--name", "SPF 30 Foundation", "--day", "1",
                                "--format", "ndjson"], data)
            expect("check %s name" % name, st == 200 and body == want)
        if k % 5 == 1:
            st, _, body = srv.post("/v1/plan?since=2026-11-20&now=2026-11-23T10:00",
                                   data, "text/plain")
            want = cli(binary, ["plan", "--since", "2026-11-20", "--now",
                                "2026-11-23T10:00", "--format", "json"], data)
            expect("plan %s" % name, st == 200 and body == want,
                   "status %d %r" % (st, body[:200]))
    for k, path in enumerate(csvs):
        data = read(path)
        name = os.path.basename(path)
        query, args = MOMENTS[k % 3]
        st, hd, body = srv.post("/v1/check?" + query, data, "text/csv")
        want, rc = cli_run(binary, args + ["--input", "csv", "--format", "ndjson"], data)
        # an input the reader refuses (no ingredients column): the
        # command line says why and exits 2, the server answers 422
        expect("check %s ?%s" % (name, query),
               (st == 200 and body == want) or (st == 422 and rc == 2),
               "status %d\n  got  %r\n  want %r" % (st, body[:300], want[:300]))
        if k % 3 == 0 or name == "shelf.csv":
            st, _, body = srv.post("/v1/plan?day=2", data, "text/csv")
            want, rc = cli_run(binary, ["plan", "--day", "2", "--input", "csv",
                                        "--format", "json"], data)
            expect("plan %s" % name, (st == 200 and body == want) or
                   (st == 422 and rc == 2), "status %d %r" % (st, body[:200]))


PHOTO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".tif": "image/tiff",
               ".webp": "image/webp"}


def png_header(width, height):
    """A PNG whose header declares width x height pixels, and no more."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + \
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


PNG_HEADER = png_header(10000, 10000)  # 100 megapixels


def multipart(fields, boundary="----needlecheck7MA4YWxkTrZu0gW"):
    """(body, Content-Type) of a form: fields are (name, value) or
    (name, filename, bytes), as a browser sends them."""
    out = b""
    for f in fields:
        out += b"--" + boundary.encode() + b"\r\n"
        if len(f) == 3:
            out += b'Content-Disposition: form-data; name="%s"; filename="%s"\r\n' \
                   b"Content-Type: application/octet-stream\r\n\r\n" % \
                   (f[0].encode(), f[1].encode()) + f[2] + b"\r\n"
        else:
            out += b'Content-Disposition: form-data; name="%s"\r\n\r\n' % \
                   f[0].encode() + f[1].encode() + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return out, "multipart/form-data; boundary=" + boundary


def photos(srv, binary):
    """A photo of a label, posted as itself: the record and the plan the
    command line gives for the same photo on standard input; on the
    page, with the form, a product of its own. Photos the reader refuses
    (too many pixels, not a photo): 422 and why."""
    paths = [p for p in inputs("tests/photo/fixtures/*")
             if os.path.splitext(p)[1] in PHOTO_TYPES]
    expect("photo fixtures found", len(paths) >= 2)
    _, rc = cli_run(binary, ["--day", "1"], read(paths[0]))
    if rc == 2:
        print("serve: photos SKIPPED, built without OCR")
        return
    for k, path in enumerate(paths):
        data = read(path)
        name = os.path.basename(path)
        ctype = PHOTO_TYPES[os.path.splitext(path)[1]]
        query, args = MOMENTS[(k + 1) % len(MOMENTS)]
        st, hd, body = srv.post("/v1/check?" + query, data, ctype)
        want = cli(binary, args + ["--format", "ndjson"], data)
        expect("photo %s ?%s" % (name, query), st == 200 and body == want and
               b'"ocr":{"confidence"' in body,
               "status %d\n  got  %r\n  want %r" % (st, body[:300], want[:300]))
        expect("photo %s type" % name, hd.get("Content-Type") == "application/json")
        st, _, body = srv.post("/v1/plan?since=2026-11-20&now=2026-11-23T10:00",
                               data, ctype)
        want = cli(binary, ["plan", "--since", "2026-11-20", "--now",
                            "2026-11-23T10:00", "--format", "json"], data)
        expect("photo plan %s" % name, st == 200 and body == want,
               "status %d %r" % (st, body[:200]))
    data = read(paths[0])
    ctype = PHOTO_TYPES[os.path.splitext(paths[0])[1]]
    st, _, body = srv.post("/v1/check?day=2&name=Calm%20%3Cgel%3E", data, ctype)
    want = cli(binary, ["--day", "2", "--name", "Calm <gel>", "--format", "ndjson"], data)
    expect("photo with a name", st == 200 and body == want)

    # the page: a pasted list and a photo, as the browser sends them
    form, ftype = multipart([("list", "Aqua, Retinol"), ("date", "2026-11-20"),
                             ("time", "08:00"), ("now", "2026-11-23T10:00"),
                             ("photo", "calm <gel>.png", data)])
    st, _, body = srv.post("/check", form, ftype)
    p = body.decode("utf-8")
    expect("page with a photo", st == 200 and p.count('<section class="product"') == 2 and
           "Today is day 3 after your procedure." in p and
           "calm &lt;gel&gt;.png: " in p, "status %d" % st)
    expect("page: what was read on the photo", '<p class="ocr">Aqua' in p and
           "Disodium EDTA</p>" in p and re.search(r"Read from the photo \(\d+ % sure "
                                                  r"of the list; tesseract", p) and
           "Left out: " in p)
    # a label printed with markup in its list: what was read is text
    form, ftype = multipart([("photo", "markup.png", read(here("markup-label.png")))])
    st, _, body = srv.post("/check", form, ftype)
    p = body.decode("utf-8")
    ocr = p[p.find('<p class="ocr">'):]
    ocr = ocr[:ocr.find("</p>")]
    expect("page: markup read on a photo is text", st == 200 and
           "&lt;b&gt;Panthenol&lt;/b&gt;" in ocr and "Niacinamide &amp; Allantoin" in ocr
           and "<b>" not in ocr, ocr)
    # a soft photo: the words read unsure are marked, and counted
    form, ftype = multipart([("photo", "soft.jpg", read(here("..", "photo", "hostile",
                                                               "soft.jpg")))])
    st, _, body = srv.post("/check", form, ftype)
    p = body.decode("utf-8")
    marks = re.findall(r'<mark title="read (\d+) % sure">[^<]+</mark>', p)
    said = re.search(r"(\d+) words? read unsure \(under 60 %\) marked", p)
    expect("page: the words read unsure marked", st == 200 and marks and
           all(int(m) < 60 for m in marks) and said and int(said.group(1)) == len(marks),
           "%r %r" % (marks, said))
    expect("page: a soft photo, its confidence", "% sure of the list, 80 % needed;" in p)
    # no file chosen: the browser sends an empty part, the list alone counts
    form, ftype = multipart([("list", "Aqua, Retinol"), ("photo", "", b"")])
    st, _, body = srv.post("/check", form, ftype)
    expect("page, no file chosen", st == 200 and
           body.count(b'<section class="product"') == 1,
           "status %d" % st)

    # what the reader refuses, before decoding a pixel
    st, _, body = srv.post("/v1/check", PNG_HEADER, "image/png")
    expect("422 100-megapixel photo", st == 422 and b"megapixels" in body,
           "status %d %r" % (st, body[:200]))
    form, ftype = multipart([("photo", "huge.png", PNG_HEADER)])
    st, _, body = srv.post("/check", form, ftype)
    expect("page: 422 100-megapixel photo", st == 422 and b"megapixels" in body and
           b"<form" in body, "status %d" % st)
    st, _, body = srv.post("/v1/check", b"Aqua, Retinol", "image/jpeg")
    expect("422 text sent as a photo", st == 422 and b"not a photo" in body,
           "status %d %r" % (st, body[:200]))
    st, _, body = srv.post("/v1/plan", data[:3000], ctype)
    expect("422 a photo cut short", st == 422, "status %d %r" % (st, body[:200]))
    st, _, _ = srv.request("GET", "/healthz")
    expect("still up after photos", st == 200)


def bad_forms(srv):
    """multipart/form-data not well formed: 400, and the page says why."""
    good, ftype = multipart([("list", "Aqua, Retinol")])
    bnd = ftype.split("=", 1)[1].encode()
    cases = [
        ("no boundary", good, "multipart/form-data"),
        ("another boundary", good, "multipart/form-data; boundary=other"),
        ("boundary too long", good, "multipart/form-data; boundary=" + "b" * 71),
        ("cut short", good[:len(good) // 2], ftype),
        ("no closing boundary", good[:-(len(bnd) + 6)], ftype),
        ("no Content-Disposition", b"--" + bnd + b"\r\nX-A: b\r\n\r\nAqua\r\n--" +
         bnd + b"--\r\n", ftype),
        ("no headers", b"--" + bnd + b"\r\n\r\nAqua\r\n--" + bnd + b"--\r\n", ftype),
        ("no name", good.replace(b'; name="list"', b""), ftype),
        ("not form-data", good.replace(b"form-data;", b"attachment;"), ftype),
        ("quote not closed", good.replace(b'name="list"', b'name="list'), ftype),
        ("header line without a name", good.replace(b"Content-Disposition",
                                                    b"Content-Disposition: x\r\n: y\r\nA", 1), ftype),
        ("headers without an end", b"--" + bnd + b"\r\nContent-Disposition: "
         b"form-data; name=list\r\n" + b"X: y\r\n" * 2000, ftype),
        ("too many parts", multipart([("x", "y")] * 40)[0], ftype),
    ]
    for name, body, ctype in cases:
        st, _, got = srv.post("/check", body, ctype)
        p = got.decode("utf-8", "replace")
        expect("400 form %s" % name, st == 400 and "did not arrive whole" in p and
               "<form" in p, "status %d %r" % (st, p[:300]))
    # well formed: quoted boundary, a preamble, unquoted names, an epilogue
    body = (b"a preamble\r\n--" + bnd + b"\r\nContent-Disposition: form-data; "
            b"name=list\r\n\r\nAqua, Retinol\r\n--" + bnd + b"--\r\nepilogue")
    st, _, got = srv.post("/check", body, 'multipart/form-data; boundary="%s"' %
                          bnd.decode())
    expect("form: quoted boundary, preamble", st == 200 and
           b'data-verdict="avoid"' in got, "status %d %r" % (st, got[:200]))
    st, _, got = srv.post("/check", b"--x--", "multipart/form-data; boundary=x")
    expect("form with no part", st == 400 and b"Paste" in got, "status %d" % st)
    # 16 MiB is the most a photo or a form with one may have
    big = PNG_HEADER + b"\0" * (17 << 20)
    expect("413 17 MiB photo", srv.post_big("/v1/check", "image/png", big) == 413)
    expect("413 17 MiB photo chunked",
           srv.post_big("/v1/check", "image/png", big, chunked=True) == 413)
    expect("413 17 MiB form", srv.post_big("/check", ftype, big) == 413)
    st, _, _ = srv.request("GET", "/healthz")
    expect("still up after bad forms", st == 200)


def endpoints(srv):
    st, hd, body = srv.request("GET", "/healthz")
    expect("healthz", st == 200 and json.loads(body)["status"] == "ok")
    st, hd, body = srv.request("GET", "/v1/lexicon")
    lex = json.loads(body)
    ids = [c["id"] for c in lex["classes"]]
    retinoid = lex["classes"][ids.index("retinoid")] if "retinoid" in ids else {}
    expect("lexicon classes", st == 200 and len(ids) >= 21 and "soothing" in ids)
    expect("lexicon windows", retinoid.get("avoid_until_hour") == 120 and
           retinoid.get("caution_until_hour") == 168 and
           retinoid.get("safe_from_day") == 7)
    st, hd, body = srv.request("HEAD", "/healthz")
    expect("HEAD", st == 200 and body == b"")
    st, hd, body = srv.request("GET", "/")
    expect("page", st == 200 and b"<form" in body and
           hd.get("Content-Type", "").startswith("text/html"))
    expect("page: no script, nothing fetched",
           b"<script" not in body and b"src=" not in body and b"http" not in body)
    expect("page: a policy", "default-src 'none'" in hd.get("Content-Security-Policy", ""))


def slow_inventory(size):
    """A CSV of made-up names, all different: the slowest kind to check."""
    rnd = random.Random(1)
    syll = ["ra", "ti", "nol", "gly", "ce", "rin", "pa", "xyl", "ox", "ide",
            "eth", "hex", "mo", "lac", "tic", "sal"]

    def word(n):
        return "".join(rnd.choice(syll) for _ in range(n))
    rows, n = ["sku,ingredients"], 0
    while n < size - 400:
        row = '%d,"%s"' % (len(rows), ", ".join(
            word(4).capitalize() + " " + word(3) for _ in range(12)))
        rows.append(row)
        n += len(row) + 1
    return ("\n".join(rows) + "\n").encode()


def page(srv):
    """The form's answer: a product per block, why, the safe day, the
    names not recognised, the list given back as it was."""
    def answer(fields):
        st, hd, body = srv.post("/check", urllib.parse.urlencode(fields),
                                "application/x-www-form-urlencoded")
        return st, body.decode("utf-8")
    lists = "Aqua, Glycerin, Retinol\r\n\r\n  \r\nAqua, Xyzzy Extract, Panthenol\r\n"
    st, p = answer({"list": lists, "date": "2026-11-20", "time": "08:00",
                    "now": "2026-11-23T10:00"})
    expect("page answer", st == 200 and p.count('<section class="product"') == 2,
           "status %d" % st)
    expect("page: day", "Today is day 3 after your procedure." in p)
    # the plan's Today block, first: the day, what to use, what waits
    # and from when, the guidance of the day (from the lexicon's)
    today = p[p.find('<section class="now">'):]
    today = today[:today.find("</section>")]
    expect("page: the Today block before the products",
           0 < p.find('<section class="now">') < p.find('<section class="product"'))
    expect("page: Today's day", "<h2>Today: day 3, Mon 23 Nov</h2>" in today, today)
    expect("page: Today, use", "<strong>Use today:</strong> Product 2</p>" in today, today)
    expect("page: Today, not yet", "<strong>Not yet:</strong> Product 1 (from day 7, "
           "Fri 27 Nov at 08:00)</p>" in today, today)
    expect("page: Today, besides products",
           re.search(r"<strong>Besides products:</strong> Avoid: [^<]+\.</p>", today), today)
    expect("page: verdicts", 'data-verdict="avoid"' in p and 'data-verdict="safe"' in p)
    expect("page: why", "<b>Retinol</b> (retinoid): avoid on days 0–4, caution "
           "on days 5–6, safe from day 7 (Friday 27 November)" in p)
    expect("page: not recognised", "Not recognised" in p and "Xyzzy Extract" in p)
    expect("page: the list as it was",
           ">Aqua, Glycerin, Retinol\n\n  \nAqua, Xyzzy Extract, Panthenol\n</textarea>" in p)
    expect("page: the date in the address",
           'action="/check?date=2026-11-20&amp;time=08%3A00"' in p and
           'href="/?date=2026-11-20&amp;time=08%3A00"' in p)
    st, p = answer({"list": "Aqua, Retinol"})
    expect("page: no date, day 0", st == 200 and "day 0" in p and
           'data-verdict="avoid"' in p)
    expect("page: no date, Today says day 0 is assumed",
           "<h2>Today: day 0 assumed" in p and
           "<strong>Not yet:</strong> Product 1 (from day 7)" in p)
    st, p = srv.request("GET", "/?date=2026-11-20&time=08:00")[0:3:2]
    expect("page: form filled from the address", st == 200 and
           b'value="2026-11-20"' in p and b'value="08:00"' in p)
    for fields, why in [({"list": "Aqua", "date": "2026-02-30"}, "calendar"),
                        ({"list": "Aqua", "date": "2026-11-20", "time": "25:00"}, "calendar"),
                        ({"list": "Aqua", "date": "2026-11-20", "now": "2026-11-19"}, "future"),
                        ({"list": " \r\n\r\n", "date": "2026-11-20"}, "Paste"),
                        ({"date": "2026-11-20"}, "Paste")]:
        st, p = answer(fields)
        expect("page: refused %r" % fields, st == 400 and why in p and "<form" in p,
               "status %d" % st)
    st, p = answer({"list": "Aqua\n\n" * 1001})
    expect("page: too many products", st == 413 and "Too many" in p)


def bad_requests(srv):
    def status(method, path, body=None, ctype=None):
        headers = {"Content-Type": ctype} if ctype else {}
        return srv.request(method, path, body, headers)[0]

    expect("404", status("GET", "/nothing") == 404)
    st, hd, _ = srv.request("GET", "/v1/check")
    expect("405", st == 405 and hd.get("Allow") == "POST")
    expect("405 page", status("PUT", "/") == 405)
    expect("415 none", status("POST", "/v1/check", b"Aqua") == 415)
    expect("415 json", status("POST", "/v1/check", b"{}", "application/json") == 415)
    expect("415 form to API", status("POST", "/v1/check", b"a=b",
                                     "application/x-www-form-urlencoded") == 415)
    expect("415 multipart to API", status("POST", "/v1/check", b"--x--",
                                          "multipart/form-data; boundary=x") == 415)
    expect("415 photo to form", status("POST", "/check", PNG_HEADER, "image/png") == 415)
    expect("415 text to form", status("POST", "/check", b"Aqua", "text/plain") == 415)
    expect("charset ok", status("POST", "/v1/check", b"Aqua",
                                "text/plain; charset=utf-8") == 200)
    for q in ["day=x", "day=-1", "day=2&since=2026-11-20", "since=2026-13-01",
              "since=2026-11-20&now=junk", "now=2026-11-20", "hours=nan",
              "since=2030-01-01&now=2026-01-01", "bogus=1", "day=1&day=2"]:
        st, hd, body = srv.post("/v1/check?" + q, b"Aqua", "text/plain")
        expect("400 ?%s" % q, st == 400 and "error" in json.loads(body),
               "status %d" % st)
    st, _, body = srv.post("/v1/check", b"sku,title\n1,Serum\n", "text/csv")
    expect("422 no ingredients column", st == 422 and b"column" in body,
           "status %d %r" % (st, body))
    # 10 MB: refused from its length, and when it comes in chunks
    big = b"Aqua, " * (10 * 1024 * 1024 // 6)
    st = srv.post_big("/v1/check", "text/plain", big)
    expect("413 10 MB list", st == 413, "status %d" % st)
    st = srv.post_big("/v1/check", "text/plain", big, chunked=True)
    expect("413 10 MB chunked", st == 413, "status %d" % st)
    st = srv.post_big("/v1/check", "text/csv", b"sku,ingredients\n" + big)
    expect("413 10 MB inventory", st == 413, "status %d" % st)
    st = srv.post_big("/check", "application/x-www-form-urlencoded", b"list=" + big)
    expect("413 10 MB form", st == 413, "status %d" % st)
    # a list of the largest size allowed is answered
    st, _, body = srv.post("/v1/check", (b"Aqua, Retinol, " * 69000)[:1 << 20],
                           "text/plain", timeout=30)
    expect("1 MiB list", st == 200 and b'"verdict"' in body, "status %d" % st)
    # a plan of too many products
    st, _, _ = srv.post("/v1/plan?per_line=1", b"Aqua\n" * 1500, "text/plain")
    expect("413 plan of 1500", st == 413, "status %d" % st)

    # an inventory of names no lexicon knows, each looked for in full:
    # past the timeout (2 s here) the check stops and says so
    st, hd, body = srv.post("/v1/check", slow_inventory(8 << 20), "text/csv", timeout=60)
    expect("503 check past the timeout", st == 503 and hd.get("Retry-After") == "1",
           "status %d %r" % (st, body[:100]))

    # what the HTTP layer refuses
    got = srv.raw(b"GARBAGE\r\n\r\n")
    expect("malformed request line", got == b"" or got.startswith(b"HTTP/1.1 400"),
           repr(got[:40]))
    got = srv.raw(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n")
    expect("headers too large", got.startswith(b"HTTP/1.1 431"), repr(got[:40]))
    got = srv.raw(b"GET /" + b"a" * 40000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    expect("URI too long", got.startswith(b"HTTP/1.1 414"), repr(got[:40]))
    got = srv.raw(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\nzz\r\nAqua\r\n0\r\n\r\n")
    expect("malformed chunk", got.startswith(b"HTTP/1.1 400"), repr(got[:40]))
    # a body cut short: the server waits, then closes; nothing is answered
    t0 = time.time()
    got = srv.raw(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                  b"Content-Length: 100\r\n\r\nAqua, Retin", wait=10)
    expect("truncated body closed", got == b"" and time.time() - t0 < 6,
           "%r after %.1f s" % (got[:40], time.time() - t0))
    # slow headers (slowloris): closed after the idle timeout
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    t0 = time.time()
    s.sendall(b"GET / HTTP/1.1\r\n")
    try:
        closed = s.recv(100) == b""
    except (socket.timeout, ConnectionResetError):
        closed = False
    s.close()
    expect("slow headers closed", closed and time.time() - t0 < 6,
           "after %.1f s" % (time.time() - t0))
    # a body that trickles for longer than the timeout: 408
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=15)
    s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
              b"Content-Length: 40\r\n\r\n")
    got = b""
    try:
        for i in range(40):
            s.sendall(b"a")
            time.sleep(0.07)
        got = read_all(s)
    except (ConnectionResetError, BrokenPipeError):
        pass
    s.close()
    expect("408 trickled body", got.startswith(b"HTTP/1.1 408"), repr(got[:60]))
    st, _, _ = srv.request("GET", "/healthz")
    expect("still up after bad requests", st == 200)


def connections(srv):
    """Past 64 open connections a new one is told at once to come back
    (503, Retry-After) and closed, while the first 64 are served; once
    others close, a new one is served again."""
    held = [socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            for _ in range(70)]
    time.sleep(0.3)
    t0 = time.time()
    got = srv.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", wait=5)
    head = got.split(b"\r\n\r\n")[0].lower()
    expect("past 64 connections: 503 at once", got.startswith(b"HTTP/1.1 503") and
           b"retry-after: 1" in head and b"connection: close" in head and
           time.time() - t0 < 2, repr(got[:200]))
    # one of the first 64 is still served
    held[0].sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    first = read_all(held[0])
    expect("the first 64 still served", first.startswith(b"HTTP/1.1 200"),
           repr(first[:40]))
    for s in held:
        s.close()
    time.sleep(0.3)
    st, _, _ = srv.request("GET", "/healthz")
    expect("served again when the others close", st == 200, "status %d" % st)
    log = "".join(srv.log)
    expect("log: the 503", '"GET /healthz" 503' in log)


HOSTILE = ["<script>alert(1)</script>", "Red\x1b[2J\x07 Oil", "Serum\u202eliO\u202c",
           "Cr\u00e8me \"quoted\" & 'single'", "\u2066Aqua\u2069", "nul\x00byte",
           "</textarea><b>x</b>", "\ud7ff\ue000"]


def hostile(srv, binary):
    """Names and lists that try to break out of JSON, HTML or the log."""
    for h in HOSTILE:
        if "\x00" in h:
            continue  # not in a URL
        q = urllib.parse.quote(h)
        st, _, body = srv.post("/v1/check?day=1&name=" + q, b"Aqua, Retinol",
                               "text/plain")
        want = cli(binary, ["--day", "1", "--name", h, "--format", "ndjson"],
                   b"Aqua, Retinol")
        expect("hostile name %r" % h, st == 200 and body == want)
        expect("hostile name %r raw" % h, b"\x1b" not in body and
               "\u202e".encode() not in body)
    for h in HOSTILE:
        data = ("Aqua, " + h + ", Retinol\n\n" + h).encode("utf-8", "surrogatepass")
        form = urllib.parse.urlencode({"list": data, "date": h[:10], "time": h[:5]})
        st, _, body = srv.post("/check", form, "application/x-www-form-urlencoded")
        expect("hostile form %r answered" % h, st in (200, 400), "status %d" % st)
        page = body.decode("utf-8", "replace")
        for bad in ["<script", "</textarea><b>", "\x1b", "\u202e", "\u2066", "\x00", "\x07"]:
            expect("hostile form %r: no raw %r" % (h, bad), bad not in page)
        q = urllib.parse.urlencode({"date": h, "time": h})
        st, _, body = srv.request("GET", "/?" + q)
        page = body.decode("utf-8", "replace")
        expect("hostile link %r" % h, st == 200 and "<script" not in page and
               "\u202e" not in page and "</textarea><b>" not in page)
    # a raw escape in the request line reaches the log as '?'
    srv.raw(b"GET /\x1b[2J\xe2\x80\xae HTTP/1.1\r\nHost: x\r\n\r\n", wait=2)
    srv.raw(b'GET /?a="b" HTTP/1.1\r\nHost: x\r\n\r\n', wait=2)
    time.sleep(0.2)
    log = "".join(srv.log)
    expect("log escaped", "\x1b" not in log and "\u202e" not in log)
    expect("log: a quote cannot end the request line", '"b"' not in log)


def concurrent(srv, binary):
    """Many requests at once, on the server's threads: each answer is its
    own list's."""
    lists = [read(p) for p in inputs("tests/golden/cases/*.txt")[:12]]
    want = [cli(binary, ["--day", "3", "--format", "ndjson"], d) for d in lists]
    bad = []

    def worker(k):
        for i in range(30):
            j = (k + i) % len(lists)
            st, _, body = srv.post("/v1/check?day=3", lists[j], "text/plain")
            if st != 200 or body != want[j]:
                bad.append((k, i, st))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expect("240 concurrent requests", not bad, str(bad[:5]))


def stop(srv):
    # a request under way when the signal comes is still answered
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
              b"Content-Length: 13\r\nConnection: close\r\n\r\nAqua, ")
    time.sleep(0.2)
    srv.proc.send_signal(15)
    time.sleep(0.3)
    s.sendall(b"Retinol")
    got = read_all(s)
    s.close()
    expect("request under way answered", got.startswith(b"HTTP/1.1 200") and
           b'"verdict":"avoid"' in got, repr(got[:60]))
    rc = srv.stop()
    expect("SIGTERM: exit 0", rc == 0, "exit %d" % rc)
    log = "".join(srv.log)
    expect("log: one line per request", '"POST /v1/check?day=3" 200' in log)
    expect("log: stopping said", "stopping" in log)
    try:
        socket.create_connection(("127.0.0.1", srv.port), timeout=2).close()
        gone = False
    except OSError:
        gone = True
    expect("port closed after stop", gone)


def server_since(binary):
    """serve --since: a clinic's server set for one procedure. Requests
    that name no moment have it; those that do keep theirs; the page says
    it and comes filled with it."""
    srv = Server(binary, "--since", "2026-11-20T08:00")
    try:
        data = b"Aqua, Glycerin, Retinol"
        st, _, body = srv.post("/v1/check?now=2026-11-23T10:00", data, "text/plain")
        want = cli(binary, ["--since", "2026-11-20T08:00", "--now", "2026-11-23T10:00",
                            "--format", "ndjson"], data)
        expect("--since: the server's moment", st == 200 and body == want and
               b'"day":3' in body, "status %d %r" % (st, body[:200]))
        st, _, body = srv.post("/v1/check", data, "text/plain")
        want = cli(binary, ["--since", "2026-11-20T08:00", "--format", "ndjson"], data)
        expect("--since: now, the server's clock", st == 200 and body == want)
        st, _, body = srv.post("/v1/plan?now=2026-11-24T10:00", data, "text/plain")
        want = cli(binary, ["plan", "--since", "2026-11-20T08:00", "--now",
                            "2026-11-24T10:00", "--format", "json"], data)
        expect("--since: the plan", st == 200 and body == want)
        for q, args in [("day=1", ["--day", "1"]), ("hours=30", ["--hours", "30"]),
                        ("since=2026-11-22&now=2026-11-23", ["--since", "2026-11-22",
                                                            "--now", "2026-11-23"])]:
            st, _, body = srv.post("/v1/check?" + q, data, "text/plain")
            want = cli(binary, args + ["--format", "ndjson"], data)
            expect("--since: the request's own ?%s" % q, st == 200 and body == want)
        st, _, body = srv.request("GET", "/")
        p = body.decode()
        expect("--since: said on the page", st == 200 and
               "set for a procedure on 2026-11-20 at 08:00" in p and
               'value="2026-11-20"' in p and 'value="08:00"' in p)
        st, _, body = srv.request("GET", "/?date=2026-11-21")
        expect("--since: the address's date first", b'value="2026-11-21"' in body)
        form, ftype = multipart([("list", "Aqua, Retinol"), ("date", ""),
                                 ("now", "2026-11-23T10:00")])
        st, _, body = srv.post("/check", form, ftype)
        expect("--since: the form without a date", st == 200 and
               b"Today is day 3 after your procedure." in body, "status %d" % st)
    finally:
        srv.stop()


def command_line(srv, binary):
    """What serve refuses before it listens: exit 2 and why."""
    def run(*args):
        p = subprocess.run([binary, *args], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
        return p.returncode, p.stderr.decode("utf-8", "replace")
    for args, why in [(["serve", "list.txt"], "takes no file"),
                      (["serve", "--day", "3"], "--day is not an option of 'needlecheck serve'"),
                      (["serve", "--format", "json"], "--format is not an option of 'needlecheck serve'"),
                      (["serve", "--listen", "127.0.0.1:99999"], "--listen wants"),
                      (["serve", "--listen", "no.such.host.invalid:80"], "--listen wants"),
                      (["serve", "--timeout", "0"], "--timeout wants"),
                      (["serve", "--since", "2026-02-30"], "--since wants"),
                      (["serve", "--since", "2999-01-01"], "is after the moment"),
                      (["serve", "--now", "2026-01-01"], "--now is not an option"),
                      (["--listen", "127.0.0.1:0", "x.txt"], "(serve takes it)"),
                      (["serve", "--listen", "127.0.0.1:%d" % srv.port], "cannot listen")]:
        rc, err = run(*args)
        expect("serve %s" % " ".join(args), rc == 2 and why in err, "exit %d: %s" % (rc, err))


def library_absent(binary):
    """libmicrohttpd missing at run time: exit 2 at once, what to install."""
    p = subprocess.run([binary, "serve", "--listen", "127.0.0.1:0"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=20)
    err = p.stderr.decode("utf-8", "replace")
    expect("no libmicrohttpd at run time: exit 2, what to install",
           p.returncode == 2 and "libmicrohttpd.so.absent" in err and
           "apt-get install libmicrohttpd" in err, "exit %d: %s" % (p.returncode, err))


def main():
    binary = os.path.abspath(sys.argv[1])
    if not has_server(binary):
        print("serve: SKIPPED, built without libmicrohttpd "
              "(apt-get install libmicrohttpd-dev, then make)")
        return 0
    if len(sys.argv) > 2:
        library_absent(os.path.abspath(sys.argv[2]))
    srv = Server(binary, "--timeout", "2")
    try:
        endpoints(srv)
        command_line(srv, binary)
        page(srv)
        same_as_cli(srv, binary)
        photos(srv, binary)
        bad_forms(srv)
        bad_requests(srv)
        connections(srv)
        hostile(srv, binary)
        concurrent(srv, binary)
        server_since(binary)
        stop(srv)
    finally:
        srv.stop()
    print("serve: %d checks, %d failed" % (checks, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
