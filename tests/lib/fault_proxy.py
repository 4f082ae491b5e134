"""fault_proxy.py: a fault-injecting HTTP proxy for the tests (stdlib only,
127.0.0.1 only). It stands in front of one upstream API (the test bed's
PowerDNS or a fake under tests/fakes/) and forwards each request as it is
(Host header too: Route 53's SigV4 covers it); rules pick requests and
break the answer the way a network or a gateway does:

  pass      forward, answer as upstream did (the default)
  timeout   forward (the host acts), then never answer; the connection is
            closed once the client gives up (or after hold_s)
  reset     forward, send the status, headers and half the body, then a
            TCP reset
  garbage   forward, then answer bytes that are not HTTP
  status    forward, then answer `status` (a 5xx) with an HTML body, as a
            gateway does after the host acted
  drop      do not forward (the host does not act); then as timeout
  hold      wait until release() (or hold_s) before forwarding, then pass
A rule: {"method": regex, "path": regex, "nth": N (the Nth matching request
is the first hit, 1-based), "times": K (hits; None: every one from nth on),
"action": ..., "status": 503, "before": fn(req), "after": fn(req)}.
`before`/`after` run in the proxy's thread around the forwarding (e.g. to
fill a disk right after the host acted). Each request is logged:
{"method", "path", "action"}.
"""
import http.client
import re
import select
import socket
import struct
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding",
       "upgrade", "te", "trailer"}


class FaultProxy:
    def __init__(self, upstream):
        u = urllib.parse.urlsplit(upstream)
        self.up_host, self.up_port = u.hostname, u.port or 80
        self.prefix = u.path.rstrip("/")
        self.rules = []
        self.log = []
        self.lock = threading.Lock()
        self.released = threading.Event()
        self.held = threading.Event()       # a request is being held
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def handle_one_request(self):
                try:
                    super().handle_one_request()
                except (ConnectionError, socket.timeout, OSError):
                    self.close_connection = True

            def _any(self):
                proxy._serve(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = "http://127.0.0.1:%d%s" % (self.port, self.prefix)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()

    def add(self, **rule):
        rule.setdefault("method", ".*")
        rule.setdefault("path", ".*")
        rule.setdefault("nth", 1)
        rule.setdefault("times", 1)
        rule["seen"] = 0
        rule["hits"] = 0
        with self.lock:
            self.rules.append(rule)
        return rule

    def clear(self):
        with self.lock:
            self.rules = []
            self.log = []
        self.released.clear()
        self.held.clear()

    def release(self):
        self.released.set()

    def writes(self):
        with self.lock:
            return [e for e in self.log if e["method"] not in ("GET", "HEAD")]

    def _match(self, method, path):
        with self.lock:
            for r in self.rules:
                if not re.search(r["method"], method) or not re.search(r["path"], path):
                    continue
                r["seen"] += 1
                if r["seen"] < r["nth"]:
                    continue
                if r["times"] is not None and r["hits"] >= r["times"]:
                    continue
                r["hits"] += 1
                return r
        return None

    def _forward(self, h, body):
        c = http.client.HTTPConnection(self.up_host, self.up_port, timeout=30)
        c.putrequest(h.command, h.path, skip_host=True, skip_accept_encoding=True)
        for k, v in h.headers.items():
            if k.lower() not in HOP:
                c.putheader(k, v)
        c.endheaders(body if body else None)
        r = c.getresponse()
        data = r.read()
        headers = [(k, v) for k, v in r.getheaders()
                   if k.lower() not in HOP and k.lower() != "content-length"]
        c.close()
        return r.status, r.reason, headers, data

    def _head(self, status, reason, headers, length):
        out = "HTTP/1.1 %d %s\r\n" % (status, reason)
        for k, v in headers:
            out += "%s: %s\r\n" % (k, v)
        out += "Content-Length: %d\r\nConnection: close\r\n\r\n" % length
        return out.encode("latin-1")

    def _silence(self, h, rule):
        """No answer: wait until the client closes (bounded)."""
        sock = h.connection
        select.select([sock], [], [], rule.get("hold_s", 30))
        h.close_connection = True

    def _serve(self, h):
        n = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(n) if n else b""
        rule = self._match(h.command, h.path)
        action = rule["action"] if rule else "pass"
        with self.lock:
            self.log.append({"method": h.command, "path": h.path, "action": action})
        h.close_connection = True
        if rule and rule.get("before"):
            rule["before"]({"method": h.command, "path": h.path})
        if action == "hold":
            self.held.set()
            self.released.wait(rule.get("hold_s", 60))
        if action == "drop":
            self._silence(h, rule)
            return
        status, reason, headers, data = self._forward(h, body)
        if rule and rule.get("after"):
            rule["after"]({"method": h.command, "path": h.path, "status": status})
        w = h.wfile
        if action == "timeout":
            self._silence(h, rule)
        elif action == "reset":
            head = self._head(status, reason, headers, len(data))
            # No body to cut (a 204): the cut falls in the headers.
            w.write(head + data[:len(data) // 2] if data else head[:len(head) // 2])
            w.flush()
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    struct.pack("ii", 1, 0))
            # Closed here, with linger 0: a reset, not the FIN that the
            # server's orderly shutdown would send first.
            h.connection.close()
        elif action == "garbage":
            w.write(b"\x00\x17\xffNOT HTTP AT ALL \x1b[2J\r\n\r\n")
            w.flush()
        elif action == "status":
            page = b"<html><body><h1>503 Service Unavailable</h1></body></html>"
            code = rule.get("status", 503)
            w.write(self._head(code, "Service Unavailable",
                               [("Content-Type", "text/html")], len(page)) + page)
            w.flush()
        else:
            w.write(self._head(status, reason, headers, len(data)) + data)
            w.flush()
