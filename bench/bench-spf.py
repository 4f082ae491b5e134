#!/usr/bin/python3
"""bench-spf.py: SPF evaluations per second, `authwizard spf --batch`
against pyspf (Debian python3-spf) in one Python process, over the same
lines and the same Knot (tests/testbed.sh knot serving
tests/zones/spf.test.zone on 127.0.0.1).

authwizard is timed as a whole process (start-up included); pyspf only
in its evaluation loop. Every authwizard result must equal pyspf's, or
the run fails. Prints the times and the ratio; numbers are reported, not
asserted.

    bench/bench-spf.py [-n LINES] [--bin build/authwizard]
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("-n", type=int, default=2000, help="lines (default 2000)")
ap.add_argument("--bin", default=os.path.join(top, "build", "authwizard"))
args = ap.parse_args()

try:
    import dns.resolver
    import spf
except ImportError as e:
    sys.exit(f"bench-spf: {e}: apt-get install python3-spf python3-dnspython")

# (sender, ip): the cases of tests/integration/spf-pyspf.py that both
# agree on, each with a few client addresses.
CASES = [
    ("user@ip4.spf.test", "192.0.2.10"), ("user@ip4.spf.test", "192.0.2.11"),
    ("user@ip6.spf.test", "2001:db8:1::5"),
    ("user@include.spf.test", "203.0.113.5"),
    ("user@include.spf.test", "203.0.113.200"),
    ("user@include-none.spf.test", "192.0.2.1"),
    ("user@redirect.spf.test", "192.0.2.20"),
    ("user@redirect.spf.test", "192.0.2.21"),
    ("user@a.spf.test", "192.0.2.99"), ("user@mx.spf.test", "192.0.2.31"),
    ("user@mx.spf.test", "192.0.2.32"),
    ("user@exists.spf.test", "192.0.2.50"),
    ("jdoe@macro.spf.test", "192.0.2.60"),
    ("user@void2.spf.test", "192.0.2.1"),
    ("user@void3.spf.test", "192.0.2.1"),
    ("user@toomany.spf.test", "192.0.2.1"),
    ("user@atlimit.spf.test", "192.0.2.2"),
    ("user@softfail.spf.test", "192.0.2.1"),
    ("user@multiple.spf.test", "192.0.2.1"),
    ("user@nospf.spf.test", "192.0.2.1"),
]
HELO = "mail.example.org"

tmp = tempfile.mkdtemp(prefix="aw-bench-spf-")
out = subprocess.run([os.path.join(top, "tests", "testbed.sh"), "knot",
                      os.path.join(tmp, "knot"),
                      os.path.join(top, "tests", "zones", "spf.test.zone")],
                     capture_output=True, text=True)
if out.returncode != 0:
    sys.exit("bench-spf: Knot did not start: " + out.stderr)
port, pid = out.stdout.split()
try:
    lines = [CASES[i % len(CASES)] for i in range(args.n)]
    text = "".join(f"{ip} {s} {HELO}\n" for s, ip in lines)

    t0 = time.monotonic()
    r = subprocess.run([args.bin, "spf", "--batch", "-", "--json",
                        "--dns-server", f"127.0.0.1:{port}"],
                       input=text, capture_output=True, text=True)
    aw_s = time.monotonic() - t0
    docs = [json.loads(x) for x in r.stdout.splitlines()]
    if r.returncode != 0 or len(docs) != args.n:
        sys.exit(f"bench-spf: authwizard exit {r.returncode}, "
                 f"{len(docs)} results: {r.stderr[:300]}")

    res = dns.resolver.Resolver(configure=False)
    res.nameservers = ["127.0.0.1"]
    res.port = int(port)
    res.lifetime = 5
    dns.resolver.default_resolver = res
    t0 = time.monotonic()
    py = [spf.check2(i=ip, s=s, h=HELO)[0] for s, ip in lines]
    py_s = time.monotonic() - t0

    differ = [(lines[k], d["result"], py[k]) for k, d in enumerate(docs)
              if d["result"] != py[k]]
    if differ:
        sys.exit(f"bench-spf: results differ from pyspf: {differ[:5]}")
    print(f"{args.n} SPF evaluations ({len(CASES)} cases), "
          f"Knot on 127.0.0.1:{port}")
    print(f"{'':<34} {'time':>8} {'per eval':>9} {'evals/s':>8}")
    for name, s in (("authwizard spf --batch (process)", aw_s),
                    ("pyspf in-process (loop only)", py_s)):
        print(f"{name:<34} {s:>7.2f}s {s / args.n * 1e6:>7.0f}us "
              f"{args.n / s:>8.0f}")
    print(f"ratio: authwizard is {py_s / aw_s:.1f}x pyspf's speed "
          f"(goal >= 10x)")
    print(f"@table SPF per evaluation vs pyspf in one Python process\t"
          f"{py_s / aw_s:.1f}x faster ({aw_s / args.n * 1e6:.0f} us vs "
          f"{py_s / args.n * 1e6:.0f} us)\t>= 10x faster\t"
          f"{'holds' if py_s / aw_s >= 10 else 'misses'}")
finally:
    os.kill(int(pid), signal.SIGTERM)
    shutil.rmtree(tmp, ignore_errors=True)
