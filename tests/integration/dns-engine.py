"""The c-ares engine against the test bed's Knot: many queries in flight,
timeouts, direct queries, multi-string TXT."""
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, run, need  # noqa: E402

dns = need("AW_TB_DNS")
probe = os.path.join(os.environ["AW_BUILD"], "tests", "tools", "dnsprobe")

# 200 queries at once: all answered, more than one in flight at a time.
r = run([probe, "burst", dns, "example.test", "TXT", "200"])
fields = dict(kv.split("=") for kv in r.stdout.split())
ok(r.returncode == 0 and fields.get("answered") == "200",
   "200 queries sent at once are all answered", r.stdout + r.stderr)
ok(int(fields.get("max_in_flight", "0")) > 1,
   "more than one query was outstanding at a time", r.stdout)
ok(fields.get("records") == "200", "every one of them got the records", r.stdout)

# A port where a socket is bound but nothing answers: "timeout", within the
# configured timeout (500 ms x 1 try), not a hang.
hole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
hole.bind(("127.0.0.1", 0))
port = hole.getsockname()[1]
r = run([probe, "one", f"127.0.0.1:{port}", "example.test", "TXT", "500", "1"],
        timeout=30)
first = r.stdout.splitlines()[0] if r.stdout else ""
ok(first.startswith("result=timeout"), "a silent server ends as timeout", r.stdout + r.stderr)
elapsed = int(first.split("elapsed_ms=")[1]) if "elapsed_ms=" in first else 99999
ok(elapsed < 500 + 1500, f"the timeout came after {elapsed} ms (configured 500 ms, 1 try)")
hole.close()

# Direct (non-recursive) query to one server; a multi-string TXT keeps its
# strings and joins without separators.
r = run([probe, "direct", dns, "example.test", "TXT"])
ok("strings=2 v=spf1 ip4:192.0.2.0/24 include:_spf.esp.test include:spf.crm.test ~all" in r.stdout,
   "direct query: a two-string TXT record is joined without a separator", r.stdout)

# The 4000-byte TXT comes back whole (TCP fallback or EDNS), 17 strings.
r = run([probe, "one", dns, "big.hostile.test", "TXT", "2000", "2"])
ok("strings=17 v=spf1 " + "x" * 4000 in r.stdout, "a 4,000-byte TXT record arrives whole", r.stdout[:300])

# NXDOMAIN vs NODATA vs REFUSED are told apart.
r = run([probe, "one", dns, "nope.example.test", "TXT", "2000", "2"])
ok(r.stdout.startswith("result=nxdomain"), "a missing name is NXDOMAIN", r.stdout)
r = run([probe, "one", dns, "mail.example.test", "TXT", "2000", "2"])
ok(r.stdout.startswith("result=nodata"), "a name without TXT is NODATA", r.stdout)
r = run([probe, "one", dns, "example.invalid", "TXT", "2000", "2"])
ok(r.stdout.startswith("result=refused"), "a zone the server does not serve is REFUSED", r.stdout)
done()
