"""`authwizard ptr` and `check --ip --helo` against the test bed's reverse
zone: FCrDNS pass, PTR missing, PTR not resolving back, generic names."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402

dns = need("AW_TB_DNS")


def ptr(ip, *extra):
    r = aw("ptr", ip, "--dns-server", dns, "--domain", "example.test", "--json", *extra)
    try:
        return r, json.loads(r.stdout)
    except ValueError:
        return r, {}


r, d = ptr("192.0.2.50")
ok(r.returncode == 0 and d.get("fcrdns") is True and d.get("ptr") == ["out1.example.test"]
   and d.get("status") == "ok" and d.get("errors") == [],
   "FCrDNS pass: 192.0.2.50 -> out1.example.test -> 192.0.2.50", r.stdout[-800:])

r, d = ptr("2001:db8::50")
ok(d.get("fcrdns") is True and d.get("ptr") == ["out1.example.test"],
   "FCrDNS pass over IPv6 (ip6.arpa)", r.stdout[-600:])

r, d = ptr("192.0.2.99")
ok(r.returncode == 1 and d.get("fcrdns") is False and d.get("ptr") == [] and
   d.get("status") in ("error", "missing") and any("no PTR record" in e for e in d.get("errors", [])),
   "PTR missing: an error, fcrdns false, exit 1", r.stdout[-800:])

r, d = ptr("192.0.2.60")
ok(d.get("fcrdns") is False and d.get("ptr") == ["out2.example.test"] and
   any("other addresses" in e for e in d.get("errors", [])),
   "PTR that resolves to another address is not forward-confirmed", r.stdout[-800:])

r, d = ptr("192.0.2.62")
ok(d.get("fcrdns") is False and any("does not resolve" in e for e in d.get("errors", [])),
   "PTR name that does not resolve at all", r.stdout[-800:])

r, d = ptr("192.0.2.70")
ok(d.get("fcrdns") is True and d.get("status") == "warning" and
   any("digits" in w for w in d.get("warnings", [])),
   "generic-looking name (the address's digits) is flagged with the reason", r.stdout[-800:])

r, d = ptr("192.0.2.71")
ok(any("dynamic" in w for w in d.get("warnings", [])),
   "generic-looking name (\"dynamic\") is flagged with the reason", r.stdout[-800:])

r, d = ptr("192.0.2.50", "--helo", "out1.example.test")
h = d.get("helo_check") or {}
ok(h.get("matches_ptr") is True and h.get("resolves") is True and h.get("status") == "ok",
   "HELO equal to the PTR name and resolving is ok", r.stdout[-800:])

r, d = ptr("192.0.2.50", "--helo", "localhost")
h = d.get("helo_check") or {}
ok(h.get("status") == "error" and r.returncode == 1, "HELO localhost is an error", r.stdout[-800:])

r = aw("check", "example.test", "--dns-server", dns, "--ip", "192.0.2.99",
       "--helo", "mail.example.test", "--json")
doc = json.loads(r.stdout) if r.stdout.strip() else {}
p = doc.get("ptr", [{}])[0]
ok(p.get("fcrdns") is False and doc.get("helo", {}).get("matches_mx") is True,
   "check --ip --helo routes to the ptr and helo areas", r.stdout[-600:])

r = aw("ptr", "not-an-ip")
ok(r.returncode == 2, "ptr with a bad address is a usage error", r.stderr)
done()
