#!/usr/bin/env python3
"""The server's page in headless Chromium, with scripts turned off as a
phone's reader might: it opens /?date=…&time=… (the form comes filled
from the address), types a list into the form, taps Check, and reads the
answer page: the Today block, the verdict, why, the day the product
becomes safe; then picks a photo of a label in the form's file input and
sends it. Hostile names must arrive as text, never as markup.

It drives Chromium over the DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages ended by NUL on fds 3 and 4), so
it needs nothing but Python and the browser.

Usage: browser.py path/to/needlecheck [--screenshot FILE.png]
Skipped, saying so, without Chromium or libmicrohttpd."""
import base64
import datetime
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve import Server, has_server, here  # noqa: E402

WIDTH = 390  # a phone's page, in CSS pixels


class Browser:
    def __init__(self, exe, profile):
        r_cmd, w_cmd = os.pipe()   # we write commands, it reads fd 3
        r_evt, w_evt = os.pipe()   # it writes fd 4, we read

        def fds():
            # by way of fds above 4, whatever numbers the pipes have
            a = fcntl.fcntl(r_cmd, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(w_evt, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)
        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--hide-scrollbars",
             "--user-data-dir=" + profile, "--remote-debugging-pipe",
             "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(r_cmd)
        os.close(w_evt)
        self.out = os.fdopen(w_cmd, "wb")
        self.inp = os.fdopen(r_evt, "rb")
        self.pending = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _message(self, deadline):
        while b"\0" not in self.pending:
            if time.time() > deadline:
                raise TimeoutError("no answer from the browser")
            chunk = os.read(self.inp.fileno(), 65536)
            if not chunk:
                raise EOFError("the browser went away")
            self.pending += chunk
        msg, self.pending = self.pending.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=True, timeout=20):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        self.out.write(json.dumps(msg).encode() + b"\0")
        self.out.flush()
        deadline = time.time() + timeout
        while True:
            m = self._message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, timeout=20):
        deadline = time.time() + timeout
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == method:
                    del self.events[i]
                    return m
            self.events.append(self._message(deadline))

    def open_page(self, scripts=False):
        target = self.send("Target.createTarget", {"url": "about:blank"},
                           session=False)["targetId"]
        self.session = self.send("Target.attachToTarget",
                                 {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": WIDTH, "height": 844, "deviceScaleFactor": 2,
                   "mobile": True})
        self.send("Emulation.setScriptExecutionDisabled", {"value": not scripts})

    def load(self, url):
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def node(self, selector):
        root = self.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        return self.send("DOM.querySelector",
                         {"nodeId": root, "selector": selector})["nodeId"]

    def html(self):
        root = self.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        return self.send("DOM.getOuterHTML", {"nodeId": root})["outerHTML"]

    def outer(self, selector):
        """The first element the selector finds, as HTML ("" when none)."""
        nid = self.node(selector)
        return self.send("DOM.getOuterHTML", {"nodeId": nid})["outerHTML"] if nid else ""

    def top(self, selector):
        """Where the element starts down the page, in CSS pixels."""
        quad = self.send("DOM.getBoxModel", {"nodeId": self.node(selector)})["model"]["border"]
        return min(quad[1::2])

    def type_into(self, selector, text):
        self.send("DOM.focus", {"nodeId": self.node(selector)})
        self.send("Input.insertText", {"text": text})

    def choose_file(self, selector, path):
        """A file picked in a file input, as from the phone's camera."""
        self.send("DOM.setFileInputFiles",
                  {"nodeId": self.node(selector), "files": [path]})

    def tap(self, selector):
        """A click in the middle of the element, as a finger would."""
        nid = self.node(selector)
        self.send("DOM.scrollIntoViewIfNeeded", {"nodeId": nid})
        quad = self.send("DOM.getBoxModel", {"nodeId": nid})["model"]["content"]
        x = sum(quad[0::2]) / 4
        y = sum(quad[1::2]) / 4
        self.events.clear()
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent",
                      {"type": kind, "x": x, "y": y, "button": "left",
                       "clickCount": 1})
        self.wait_event("Page.loadEventFired")

    def page_width(self):
        m = self.send("Page.getLayoutMetrics")
        return m["cssContentSize"]["width"]

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot",
                         {"format": "png", "captureBeyondViewport": True})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def chromium():
    p = subprocess.run(["sh", here("..", "plan", "chromium.sh")],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return p.stdout.decode().strip() if p.returncode == 0 else None


def main():
    binary = os.path.abspath(sys.argv[1])
    shot = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--screenshot" else None
    if not has_server(binary):
        print("serve browser: SKIPPED, built without libmicrohttpd")
        return 0
    exe = chromium()
    if exe is None:
        print("serve browser: SKIPPED, no headless Chromium")
        return 0
    failures = []
    checks = [0]

    def expect(name, cond, detail=""):
        checks[0] += 1
        if not cond:
            failures.append(name)
            print("serve browser: FAIL %s %s" % (name, detail))

    # the procedure two days ago (on the server's clock): day 1 or 2,
    # when a retinoid is avoided and the hydrating serum is safe
    when = datetime.datetime.now() - datetime.timedelta(hours=44)
    date, clock = when.strftime("%Y-%m-%d"), when.strftime("%H:%M")
    lists = ("Aqua, Glycerin, Retinol, <script>alert(1)</script>, "
             "Red\u202eliO\u202c Extract\n\n"
             "Aqua, Sodium Hyaluronate, Glycerin, Panthenol")
    srv = Server(binary)
    profile = tempfile.mkdtemp(prefix="needlecheck-chromium-")
    b = None
    try:
        b = Browser(exe, profile)
        b.open_page()
        b.load("http://127.0.0.1:%d/?date=%s&time=%s" % (srv.port, date, clock))
        page = b.html()
        expect("form filled from the address",
               'value="%s"' % date in page and 'value="%s"' % clock in page)
        expect("page fits %d px" % WIDTH, b.page_width() <= WIDTH,
               "%s px" % b.page_width())
        b.type_into("#list", lists)
        b.tap("button[type=submit]")
        page = b.html()
        verdicts = [page.count('data-verdict="avoid"'), page.count('data-verdict="safe"')]
        expect("two products, avoid and safe", verdicts == [1, 1], str(verdicts))
        expect("why: the retinoid", "<b>Retinol</b> (retinoid): avoid on days 0–4, caution on days 5–6, safe from day 7 (" in page)
        expect("the day it becomes safe", "Safe from day 7 (" in page)
        expect("today's day", "Today is day " in page)
        # the plan's Today block, above the products: the serum today,
        # the retinol product from day 7, the guidance of the day
        today = b.outer("section.now")
        expect("the Today block", "<h2>Today: day " in today and
               "<strong>Use today:</strong> Product 2</p>" in today and
               "<strong>Not yet:</strong> Product 1 (from day 7, " in today and
               "<strong>Besides products:</strong> Avoid: " in today, today)
        expect("the Today block first", b.top("section.now") < b.top("section.product"))
        expect("the date stays in the address",
               'action="/check?date=%s&amp;time=%s"' % (date, clock.replace(":", "%3A")) in page)
        expect("no script element", b.node("script") == 0)
        expect("hostile name as text", "&lt;script&gt;alert(1)&lt;/script&gt;" in page)
        expect("no bidi control", "\u202e" not in page)
        expect("answer fits %d px" % WIDTH, b.page_width() <= WIDTH,
               "%s px" % b.page_width())
        if shot:
            b.screenshot(shot)
            print("%s: %d bytes" % (shot, os.path.getsize(shot)))
        # a photo of the label, picked in the form and sent with it
        photo = os.path.realpath(here("..", "photo", "fixtures", "calm-gel.clean.png"))
        b.load("http://127.0.0.1:%d/?date=%s&time=%s" % (srv.port, date, clock))
        page = b.html()
        expect("a file input for the camera", 'type="file"' in page and
               'accept="image/*"' in page and 'capture="environment"' in page)
        b.choose_file("#photo", photo)
        b.tap("button[type=submit]")
        page = b.html()
        if "needs Tesseract" not in page:
            expect("the photo's product", page.count('<section class="product"') == 1 and
                   'data-verdict="safe"' in page and "Safe today" in page,
                   "".join(srv.log[-2:]))
            expect("what was read on the photo", "Read from the photo (" in
                   b.outer("section.product .read") and b.node(".ocr") != 0)
            expect("photo answer fits %d px" % WIDTH, b.page_width() <= WIDTH,
                   "%s px" % b.page_width())
    except (RuntimeError, TimeoutError, EOFError, KeyError) as e:
        expect("browser session", False, str(e))
    finally:
        if b:
            b.close()
        srv.stop()
        shutil.rmtree(profile, ignore_errors=True)
    print("serve browser: %d checks, %d failed" % (checks[0], len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
