"""Starting and talking to `needlecheck serve` from the tests and the
benchmark: a server on a free loopback port, its log, plain requests."""
import http.client
import os
import re
import signal
import socket
import subprocess
import threading
import time


class Server:
    """`needlecheck serve` on 127.0.0.1 and a port the system picks; its
    standard error is kept line by line in self.log."""

    def __init__(self, binary, *args):
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", "127.0.0.1:0", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        self.log = []
        self.port = None
        first = self.proc.stderr.readline().decode("utf-8", "replace")
        self.log.append(first)
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        if m is None:
            rest = self.proc.stderr.read().decode("utf-8", "replace")
            self.proc.wait(5)
            raise RuntimeError("server did not start: " + first + rest)
        self.port = int(m.group(1))
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stderr:
            self.log.append(line.decode("utf-8", "replace"))

    def request(self, method, path, body=None, headers=None, timeout=20):
        """(status, headers, body bytes) of one request."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            c.close()

    def post(self, path, body, ctype, **kw):
        if isinstance(body, str):
            body = body.encode("utf-8")
        return self.request("POST", path, body, {"Content-Type": ctype}, **kw)

    def post_big(self, path, ctype, body, chunked=False):
        """Status of a POST whose body the server may refuse before it is
        all sent (the status line, read whatever happened to the rest)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=20)
        head = "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\n" % (path, ctype)
        head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else \
            "Content-Length: %d\r\n\r\n" % len(body)
        try:
            s.sendall(head.encode())
            step = 1 << 16
            for i in range(0, len(body), step):
                part = body[i:i + step]
                s.sendall(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
            if chunked:
                s.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        got = read_all(s, until=b"\r\n")
        s.close()
        parts = got.split(b" ", 2)
        return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0

    def raw(self, data, wait=5.0):
        """Sends bytes as they are; returns what comes back until the
        server closes the connection (or wait seconds pass)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=wait)
        try:
            s.sendall(data)
            return read_all(s)
        except (BrokenPipeError, ConnectionResetError):
            return b""
        finally:
            s.close()

    def rss_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self, sig=signal.SIGTERM, wait=15):
        """Signals the server; returns its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(wait)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.reader.join(2)
        return rc


def read_all(s, until=None):
    """What comes from socket s until it is closed (or times out), or
    until the bytes until come."""
    got = b""
    try:
        while until is None or until not in got:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return got


def cli(binary, args, data):
    """The command line's standard output for data on standard input."""
    return cli_run(binary, args, data)[0]


def cli_run(binary, args, data):
    """(standard output, exit status) of the command line for data on
    standard input."""
    p = subprocess.run([binary, *args], input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, timeout=60)
    return p.stdout, p.returncode


def has_server(binary):
    """False when the program was built without libmicrohttpd."""
    p = subprocess.run([binary, "serve", "--listen", "nowhere"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return b"built without libmicrohttpd" not in p.stderr


def here(*parts):
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), *parts)
