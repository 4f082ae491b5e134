"""The SPF area of `authwizard check` (the lookup tree and its warnings)
and the `authwizard spf` command's usage and exit codes, against the test
bed's Knot serving tests/zones/spf.test.zone."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402

dns = need("AW_TB_DNS")


def check_spf(domain):
    r = aw("check", domain, "--dns-server", dns, "--json")
    try:
        return r, json.loads(r.stdout).get("spf", {})
    except ValueError:
        return r, {}


r, s = check_spf("toomany.spf.test")
ok(s.get("spf_lookups") == 11, "check: the tree counts 11 DNS lookups", s)
ok(len(s.get("tree", {}).get("children", [])) == 11,
   "check: the tree has the 11 includes as children", s.get("tree"))
ok(s.get("status") == "error" and
   any("Costliest: include:l1.spf.test (1)" in e for e in s.get("errors", [])),
   "check: over 10 lookups is an error naming the costliest includes",
   s.get("errors"))

r, s = check_spf("include-none.spf.test")
kids = s.get("tree", {}).get("children", [])
ok(kids and kids[0].get("state") == "none" and
   kids[0].get("via") == "include:nospf.spf.test",
   "check: an include target without SPF is a 'none' node", s.get("tree"))
ok(any("nospf.spf.test has no SPF record" in e for e in s.get("errors", [])),
   "check: ... and an error saying receivers return permerror",
   s.get("errors"))

r, s = check_spf("multiple.spf.test")
ok(len(s.get("records", [])) == 2 and
   any("2 SPF records" in e for e in s.get("errors", [])),
   "check: two SPF records are both shown and an error", s)

r, s = check_spf("pass-all.spf.test")
ok(any("+all" in w for w in s.get("warnings", [])),
   "check: +all is a warning", s.get("warnings"))

r, s = check_spf("void3.spf.test")
ok(s.get("spf_voids") == 3 and
   any("void lookups" in e for e in s.get("errors", [])),
   "check: three void lookups are counted and an error", s)

r = aw("check", "include.spf.test", "--dns-server", dns)
ok(r.returncode == 0 and "lookup tree" in r.stdout and
   "include:inc1.spf.test  [1 lookup]" in r.stdout,
   "check (human): the lookup tree is drawn with each branch's cost",
   r.stdout)

# authwizard spf: usage and exit codes
r = aw("spf", "ip4.spf.test", "--dns-server", dns)
ok(r.returncode == 2 and "--ip" in r.stderr,
   "spf without --ip is a usage error (exit 2)", r.stderr)
r = aw("spf", "ip4.spf.test", "--ip", "not-an-ip", "--dns-server", dns)
ok(r.returncode == 2, "spf --ip with a bad address exits 2", r.stderr)
r = aw("spf", "--help")
ok(r.returncode == 0 and "Exit status" in r.stdout, "spf --help documents the exit status",
   r.stdout)
r = aw("spf", "ip4.spf.test", "--ip", "192.0.2.10", "--dns-server", dns)
ok(r.returncode == 0 and ": pass" in r.stdout and "decided by: ip4:192.0.2.10" in r.stdout,
   "spf (human): pass, exit 0, and the deciding term", r.stdout)
r = aw("spf", "exp.spf.test", "--ip", "192.0.2.9", "--dns-server", dns)
ok(r.returncode == 1 and "explanation: 192.0.2.9 may not send mail for exp.spf.test" in r.stdout,
   "spf (human): fail, exit 1, with the exp= explanation", r.stdout)
# A server that refuses every query: temperror, exit 3.
r = aw("spf", "ip4.spf.test", "--ip", "192.0.2.10", "--dns-server",
       "127.0.0.1:9", "--dns-timeout", "0.5", "--dns-tries", "1", "--json")
try:
    res = json.loads(r.stdout).get("result")
except ValueError:
    res = None
ok(r.returncode == 3 and res == "temperror",
   "spf with an unreachable DNS server: temperror, exit 3",
   f"{r.returncode} {r.stdout} {r.stderr}")

done()
