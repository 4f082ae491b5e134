"""bench/dns-delay-proxy.c (built as $AW_BUILD/bench/dns-delay-proxy by
`make bench`; skipped when absent) in front of the test bed's Knot: a UDP
and a TCP query are answered, each no sooner than DELAY each way;
malformed datagrams are dropped without harm; SIGTERM stops it with its
log complete, one "<ms> <name> <type>" line per query ("+do" for the
EDNS DO bit), as bench/bench-audit.py counts them."""
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, need  # noqa: E402

dns = need("AW_TB_DNS")
proxy = os.path.join(os.environ["AW_BUILD"], "bench", "dns-delay-proxy")
if not os.access(proxy, os.X_OK):
    print(f"ok 1 - dns-delay-proxy # SKIP {proxy} not built (make bench)")
    done()

DELAY = 30.0


def query(qid, name, qtype, do=False):
    q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 1 if do else 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack("!HH", qtype, 1)
    if do:      # OPT (RFC 6891), DO bit (RFC 3225)
        q += b"\0" + struct.pack("!HHBBHH", 41, 1232, 0, 0, 0x8000, 0)
    return q


def answered(a, qid):
    """The answer is for qid, NOERROR, with at least one answer record."""
    if len(a) < 12:
        return False
    rid, flags, _, an = struct.unpack("!HHHH", a[:8])
    return rid == qid and flags & 0x8000 and flags & 0xf == 0 and an >= 1


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            break
        buf += chunk
    return buf


tmp = tempfile.mkdtemp(prefix="aw-bench-proxy-")
log = os.path.join(tmp, "log")
p = subprocess.Popen([proxy, "--upstream", dns, "--delay", str(DELAY),
                      "--log", log], stdout=subprocess.PIPE, text=True)
try:
    ready = select.select([p.stdout], [], [], 10)[0]
    port = int(p.stdout.readline()) if ready else 0
    ok(port > 0, "the proxy prints its port")
    ok(subprocess.run([proxy, "--upstream", "192.0.2.1:53"],
                      capture_output=True, timeout=10).returncode != 0,
       "an upstream off loopback is refused")

    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(5)
    u.connect(("127.0.0.1", port))
    t0 = time.monotonic()
    u.send(query(0x1234, "example.test", 16))
    a = u.recv(65535)
    ms = (time.monotonic() - t0) * 1000
    ok(answered(a, 0x1234), "a UDP query is answered, with its own id")
    ok(ms >= 2 * DELAY, f"held {DELAY:.0f} ms each way ({ms:.1f} ms)")
    u.send(query(0x2345, "example.test", 16, do=True))
    ok(answered(u.recv(65535), 0x2345), "a query with the DO bit is answered")

    for junk in (b"\1\2\3", b"\0" * 12, query(7, "example.test", 1)[:13] + b"\x3f",
                 b"\xff" * 600, bytes(range(256)) * 4):
        u.send(junk)
    u.send(query(0x3456, "Example.TEST", 1))
    # Knot may answer some junk itself (FORMERR): those answers come
    # back too, each with the junk's id.
    got = []
    while len(got) < 8 and not (got and answered(got[-1], 0x3456)):
        got.append(u.recv(65535))
    ok(answered(got[-1], 0x3456),
       "after malformed datagrams the next query is answered",
       [g[:4].hex() for g in got])

    t = socket.create_connection(("127.0.0.1", port), timeout=5)
    q = query(0x4567, "example.test", 15)
    t0 = time.monotonic()
    t.sendall(struct.pack("!H", len(q)) + q)
    n = struct.unpack("!H", recv_exact(t, 2))[0]
    a = recv_exact(t, n)
    ms = (time.monotonic() - t0) * 1000
    ok(answered(a, 0x4567), "a TCP query is answered")
    ok(ms >= 2 * DELAY, f"TCP held {DELAY:.0f} ms each way ({ms:.1f} ms)")
    t.close()

    p.send_signal(signal.SIGTERM)
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        rc = None
    ok(rc == 0, "SIGTERM stops it", rc)
    with open(log) as f:
        lines = f.read().splitlines()
    ok(all(re.fullmatch(r"\d+\.\d \S+ \S+", x) for x in lines),
       "every log line is '<ms> <name> <type>'", "\n".join(lines))
    ok([x.split()[1:] for x in lines] ==
       [["example.test", "TXT"], ["example.test", "TXT+do"],
        ["example.test", "A"], ["example.test", "MX"]],
       "the log holds each query once, lowercased, malformed ones left out",
       "\n".join(lines))
finally:
    if p.poll() is None:
        p.kill()
        p.wait()
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)
done()
