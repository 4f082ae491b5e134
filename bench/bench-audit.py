#!/usr/bin/python3
"""bench-audit.py: a full `authwizard check DOMAIN` through the delay
proxy (bench/dns-delay-proxy.c, built next to --bin as
bench/dns-delay-proxy: DELAY ms each way, held to microseconds), against
the round trips it cannot avoid. (The Python proxy, bench/dns-delay-proxy.py,
adds 1-3 ms of its own per round trip: asyncio rounds each wait up to a
whole millisecond.)

Starts its own Knot (tests/testbed.sh knot, every tests/zones/*.zone) on
127.0.0.1 and two proxies in front of it: one with no delay, one with
DELAY ms each way. Runs the check RUNS times through each (alternating,
so both see the same load) and reports the medians. From the two:

    round trips waited = (median delayed - median undelayed) / (2 x DELAY)

which is the check's longest chain of dependent queries as it ran
(CPU and start-up cancel out). The goal of issue 16 is
    wall(delayed) <= CHAIN x RTT + 5 ms
with CHAIN the longest dependent chain the domain has (--chain; 3 for
example.test of tests/zones: the apex TXT, include:spf.crm.test, its
include:spf2.crm.test; MX then addresses, the DKIM CNAME then its
target and DMARC's tree walk are 2). The wall times include the
process's start-up and CPU, which on a loaded machine are most of the
undelayed figure. Each is taken by tests/tools/maxrss (next to --bin),
from just before its posix_spawn to just after its wait4: Python's
subprocess.run costs some milliseconds of its own around a child (4 ms
for /bin/true on the 2-core machine). It also counts the queries of one
check by name and type: none may be asked twice. And it prints the
floor under any check of this domain here: CHAIN round trips as one
query really takes them through the proxy (the server's and the
loopback's time included), plus a process that does nothing (/bin/true,
timed the same way). Numbers are reported, not asserted.

    bench/bench-audit.py [--domain example.test] [--delay 20] [--runs 11]
        [--chain 3] [--bin build/authwizard] [--proxy PATH]
"""
import argparse
import collections
import os
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--domain", default="example.test")
ap.add_argument("--delay", type=float, default=20.0, help="ms each way")
ap.add_argument("--runs", type=int, default=11)
ap.add_argument("--chain", type=int, default=3,
                help="longest dependent chain of the domain (round trips)")
ap.add_argument("--bin", default=os.path.join(top, "build", "authwizard"))
ap.add_argument("--proxy", help="the delay proxy (default: bench/"
                "dns-delay-proxy in --bin's directory, built by make bench)")
args = ap.parse_args()
proxy_bin = args.proxy or os.path.join(
    os.path.dirname(os.path.abspath(args.bin)), "bench", "dns-delay-proxy")
maxrss = os.path.join(os.path.dirname(os.path.abspath(args.bin)), "tests",
                      "tools", "maxrss")
if not os.access(maxrss, os.X_OK):
    sys.exit(f"bench-audit: {maxrss} not built (make tools)")
if not os.access(proxy_bin, os.X_OK):
    sys.exit(f"bench-audit: {proxy_bin} not built (make bench, or "
             f"make O=build build/bench/dns-delay-proxy)")

tmp = tempfile.mkdtemp(prefix="aw-bench-audit-")
zones = sorted(os.path.join(top, "tests", "zones", z)
               for z in os.listdir(os.path.join(top, "tests", "zones"))
               if z.endswith(".zone"))
out = subprocess.run([os.path.join(top, "tests", "testbed.sh"), "knot",
                      os.path.join(tmp, "knot")] + zones,
                     capture_output=True, text=True)
if out.returncode != 0:
    sys.exit("bench-audit: Knot did not start: " + out.stderr)
kport, kpid = out.stdout.split()
procs = []


def proxy(delay, log):
    p = subprocess.Popen([proxy_bin,
                          "--upstream", f"127.0.0.1:{kport}",
                          "--delay", str(delay), "--log", log],
                         stdout=subprocess.PIPE, text=True)
    procs.append(p)
    return int(p.stdout.readline())


def run(port, argv=None):
    argv = argv or [args.bin, "check", args.domain, "--dns-server",
                    f"127.0.0.1:{port}"]
    r = subprocess.run([maxrss] + argv, capture_output=True, text=True)
    if r.returncode not in (0, 1, 2):
        sys.exit(f"bench-audit: check exit {r.returncode}: {r.stderr[:300]}")
    usage = dict(kv.split("=", 1) for kv in r.stderr.strip().split("\n")[-1].split())
    return float(usage["wall_ms"])


def round_trip(port):
    """ms for one TXT query for the domain through the proxy at port."""
    q = struct.pack(">HHHHHH", 0x4157, 0, 1, 0, 0, 0) + b"".join(
        bytes([len(x)]) + x.encode() for x in args.domain.split(".")) + \
        b"\0" + struct.pack(">HH", 16, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(5)
        s.connect(("127.0.0.1", port))
        t0 = time.perf_counter()
        s.send(q)
        s.recv(4096)
        return (time.perf_counter() - t0) * 1000


try:
    log0, log = os.path.join(tmp, "q0"), os.path.join(tmp, "q")
    p0 = proxy(0, log0)
    pd = proxy(args.delay, log)
    fast, slow, dups, nq, bare, rtts = [], [], set(), [], [], []
    for _ in range(args.runs):
        bare.append(run(p0, ["/bin/true"]))
        rtts.append(round_trip(pd))
        fast.append(run(p0))
        open(log, "w").close()
        slow.append(run(pd))
        with open(log) as f:
            asked = collections.Counter(tuple(x.split()[1:3]) for x in f)
        nq.append(sum(asked.values()))
        dups |= {f"{n} {t} x{c}" for (n, t), c in asked.items() if c > 1}
    rtt = 2 * args.delay
    f_ms, s_ms = statistics.median(fast), statistics.median(slow)
    goal = args.chain * rtt + 5
    print(f"check {args.domain} through a {args.delay:.0f} ms-each-way proxy, "
          f"median of {args.runs} runs (Knot on 127.0.0.1:{kport})")
    print(f"  no delay {f_ms:7.1f} ms; delayed {s_ms:7.1f} ms; "
          f"round trips waited {(s_ms - f_ms) / rtt:.2f}")
    print(f"  queries per check {statistics.median(nq):.0f}; asked twice: "
          f"{', '.join(sorted(dups)) if dups else 'none'}")
    t_ms, r_ms = statistics.median(bare), statistics.median(rtts)
    floor = args.chain * r_ms + t_ms
    print(f"  floor {floor:.1f} ms: chain {args.chain} x {r_ms:.2f} ms (one "
          f"query through the proxy) + {t_ms:.1f} ms (/bin/true); the "
          f"check's own time above it {s_ms - floor:.1f} ms")
    print(f"  delayed / (chain x RTT) = {s_ms / (args.chain * rtt):.2f}; "
          f"goal {goal:.0f} ms (chain {args.chain} x RTT {rtt:.0f} ms + 5): "
          f"{'holds' if s_ms <= goal else 'misses'}")
    print(f"@table full `check` through a {args.delay:.0f} ms-each-way proxy "
          f"(chain {args.chain})\t{s_ms:.0f} ms = {s_ms / (args.chain * rtt):.2f}"
          f" x chain x RTT; {(s_ms - f_ms) / rtt:.2f} round trips waited; "
          f"asked twice: {len(dups)}; floor here {floor:.0f} ms (wire "
          f"{args.chain * r_ms:.1f} + /bin/true {t_ms:.1f})"
          f"\t<= chain x RTT + 5 ms ({goal:.0f} ms)\t"
          f"{'holds' if s_ms <= goal else 'misses'}")
finally:
    for p in procs:
        p.terminate()
        p.wait()
    os.kill(int(kpid), signal.SIGTERM)
    shutil.rmtree(tmp, ignore_errors=True)
