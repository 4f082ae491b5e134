"""fakebase.py: what the Gandi, Google Cloud DNS and Azure fakes share:
the HTTP plumbing (JSON replies, the request log, contract violations,
injected faults) and a small authoritative DNS server on UDP that serves
the fake's current records, so `authwizard watch` can follow an apply made
through the fake (--nameserver 127.0.0.1:PORT). Standard library only.

Control endpoints every fake built on it has (never used by the client):
    POST /__fake/fault  {"method": "GET", "path": "regex", "status": 429,
                         "retry_after": 1, "body": "raw text",
                         "delay": seconds, "times": 1, "after": 0}
                        (skip the first `after` matches; without "body" the
                         fake's own error shape for that status is sent)
    POST /__fake/clear  faults and log emptied
    GET  /__fake/log    {"log": [...], "errors": [...]}
    GET  /__fake/dns    {"port": n}: the UDP port of the DNS server
"""
import json
import re
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


class BaseState:
    def __init__(self):
        self.lock = threading.RLock()
        self.faults = []
        self.log = []
        self.errors = []      # contract violations seen (for the tests)

    def dns_records(self, name):
        """[(rtype_number, [rdata bytes], ttl)] at name (lower case, no
        trailing dot); None when the name does not exist. Overridden."""
        return None


def txt_parts(content):
    """'"a" "b"' -> [b"a", b"b"] (RFC 1035 presentation: \\X and \\DDD);
    None when not in quotes."""
    s = content.strip()
    if not s.startswith('"'):
        return None
    parts, i = [], 0
    while i < len(s):
        if s[i] == " ":
            i += 1
            continue
        if s[i] != '"':
            return None
        i += 1
        cur = bytearray()
        while i < len(s) and s[i] != '"':
            if s[i] == "\\" and i + 1 < len(s):
                if s[i + 1:i + 4].isdigit() and len(s[i + 1:i + 4]) == 3:
                    cur.append(int(s[i + 1:i + 4]))
                    i += 4
                    continue
                i += 1
            cur += s[i].encode()
            i += 1
        if i >= len(s):
            return None
        i += 1
        parts.append(bytes(cur))
    return parts


# --- DNS ------------------------------------------------------------------

A, NS, CNAME, SOA, PTR, MX, TXT, AAAA = 1, 2, 5, 6, 12, 15, 16, 28
TYPES = {"A": A, "NS": NS, "CNAME": CNAME, "PTR": PTR, "MX": MX, "TXT": TXT,
         "AAAA": AAAA}


def enc_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()[:63]
    return out + b"\0"


def txt_rdata(strings):
    """[bytes] -> rdata, each string split at 255."""
    out = b""
    for s in strings:
        while True:
            out += bytes([min(len(s), 255)]) + s[:255]
            s = s[255:]
            if not s:
                break
    return out


def rdata(rtype, value):
    """Presentation text of one value -> rdata (TXT: quoted or not)."""
    if rtype == TXT:
        parts = txt_parts(value)
        return txt_rdata(parts if parts is not None else [value.encode()])
    if rtype in (CNAME, NS, PTR):
        return enc_name(value)
    if rtype == MX:
        pref, host = value.split(None, 1)
        return struct.pack("!H", int(pref)) + enc_name(host)
    if rtype == A:
        return socket.inet_pton(socket.AF_INET, value)
    if rtype == AAAA:
        return socket.inet_pton(socket.AF_INET6, value)
    return None


def dns_answer(state, msg):
    if len(msg) < 12:
        return None
    qid, _flags, qd = struct.unpack("!HHH", msg[:6])
    if qd < 1:
        return None
    p, labels = 12, []
    while p < len(msg) and msg[p] != 0:
        n = msg[p]
        if n & 0xC0:
            return None
        labels.append(msg[p + 1:p + 1 + n].decode("latin-1"))
        p += 1 + n
    p += 1
    if p + 4 > len(msg):
        return None
    qtype = struct.unpack("!H", msg[p:p + 2])[0]
    question = msg[12:p + 4]
    name = ".".join(labels).lower()
    with state.lock:
        sets = state.dns_records(name)
    answers = []
    for rtype, values, ttl in sets or []:
        if rtype != qtype and rtype != CNAME:
            continue
        for rd in values:
            answers.append(enc_name(name) + struct.pack("!HHIH", rtype, 1, ttl, len(rd)) + rd)
    rcode = 3 if sets is None else 0
    flags = 0x8000 | 0x0400 | (msg[2] & 0x01) << 8 | rcode    # QR AA (RD copied)
    return struct.pack("!HHHHHH", qid, flags, 1, len(answers), 0, 0) + question + b"".join(answers)


def serve_dns(state, sock):
    while True:
        msg, peer = sock.recvfrom(4096)
        try:
            out = dns_answer(state, msg)
        except Exception as e:     # a bug here must not stop the server
            print("fake dns: %r" % e, file=sys.stderr, flush=True)
            continue
        if out is not None:
            if len(out) > 1232:    # TC: the test records stay small
                out = out[:2] + bytes([out[2] | 0x02]) + out[3:12]
            sock.sendto(out, peer)


# --- HTTP -----------------------------------------------------------------

class BaseHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send_raw(self, status, body, ctype="application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status, doc, headers=None):
        self.send_raw(status, json.dumps(doc).encode() if doc is not None else b"",
                      headers=headers)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.raw_body = self.rfile.read(n) if n else b""
        return self.raw_body

    def violation(self, what):
        """A request the contract does not allow: noted for the tests,
        answered the way the host answers a bad request."""
        self.server.state.errors.append("%s %s: %s" % (self.command, self.path, what))
        return self.error_reply(400, what)

    def error_reply(self, status, message, headers=None):
        raise NotImplementedError

    def match_fault(self, path):
        st = self.server.state
        for f in st.faults:
            if f.get("method", self.command) != self.command:
                continue
            if not re.search(f.get("path", ""), path):
                continue
            if f.get("after", 0) > 0:
                f["after"] -= 1
                continue
            if f.get("times", 1) <= 0:
                continue
            f["times"] = f.get("times", 1) - 1
            return f
        return None

    def handle_any(self):
        st = self.server.state
        url = urlsplit(self.path)
        path, query = url.path, parse_qsl(url.query, keep_blank_values=True)
        raw = self.read_body()
        if path.startswith("/__fake/"):
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            with st.lock:
                return self.control_common(path, body)
        with st.lock:
            st.log.append({"method": self.command, "path": path, "query": query,
                           "body": raw.decode("utf-8", "replace") or None,
                           "headers": {k: v for k, v in self.headers.items()
                                       if k.lower() in ("if-match", "if-none-match",
                                                        "content-type")}})
            fault = self.match_fault(path)
        if fault is not None:
            if fault.get("delay"):
                time.sleep(fault["delay"])
            headers = {}
            if "retry_after" in fault:
                headers["Retry-After"] = str(fault["retry_after"])
            if "body" in fault:
                return self.send_raw(fault.get("status", 200), fault["body"].encode(),
                                     headers=headers)
            if fault.get("status"):
                return self.error_reply(fault["status"], fault.get("message", "injected"),
                                        headers)
        with st.lock:
            return self.route(path, query, raw)

    def control_common(self, path, body):
        st = self.server.state
        if path == "/__fake/fault":
            st.faults.append(body)
            return self.send_json(200, {"ok": True})
        if path == "/__fake/clear":
            st.faults.clear()
            st.log.clear()
            return self.send_json(200, {"ok": True})
        if path == "/__fake/log":
            return self.send_json(200, {"log": st.log, "errors": st.errors})
        if path == "/__fake/dns":
            return self.send_json(200, {"port": self.server.dns_port})
        return self.control(path, body)

    def control(self, path, body):
        return self.send_json(404, {"ok": False})

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


def serve(handler, state):
    """Listens on 127.0.0.1 (HTTP and UDP DNS, kernel-chosen ports), prints
    "PORT n" once listening, serves until terminated."""
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    srv.state = state
    dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dns.bind(("127.0.0.1", 0))
    srv.dns_port = dns.getsockname()[1]
    threading.Thread(target=serve_dns, args=(state, dns), daemon=True).start()
    print("PORT %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
