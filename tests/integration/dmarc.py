"""`authwizard dmarc` against the test bed: the record, the tree walk,
external report authorization (RFC 9990), obsolete tags, two records; the
builder's output is accepted by the checker's parser."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402

dns = need("AW_TB_DNS")


def dmarc(domain):
    r = aw("dmarc", domain, "--dns-server", dns, "--json")
    try:
        return r, json.loads(r.stdout)
    except ValueError:
        return r, {}


r, d = dmarc("dmarc.test")
ok(d.get("record") == "v=DMARC1; p=reject; sp=quarantine; rua=mailto:agg@crm.test,mailto:agg@esp.test"
   and d.get("policy") == "reject", "the record and its policy", r.stdout[-600:])
auth = {a["destination"]: a["authorized"] for a in d.get("report_authorization", [])}
ok(auth == {"crm.test": True, "esp.test": False},
   "RFC 9990: crm.test authorizes reports, esp.test does not", d.get("report_authorization"))
ok(any("esp.test" in w and "dropped" in w for w in d.get("warnings", [])),
   "the missing authorization is said clearly", d.get("warnings"))

r, d = dmarc("deep.sub.dmarc.test")
ok(d.get("inherited") is True and d.get("applied_name") == "_dmarc.dmarc.test" and
   d.get("policy") == "quarantine" and d.get("walk_queries") == 3,
   "tree walk: _dmarc.dmarc.test applies to deep.sub.dmarc.test with sp=quarantine", r.stdout[-900:])

r, d = dmarc("old.dmarc.test")
w = " ".join(d.get("warnings", []))
ok("pct=25" in w and "ri=" in w and "right after" in w,
   "obsolete pct/ri and p= not second are warned with the RFC 7489 difference", d.get("warnings"))

r, d = dmarc("two.dmarc.test")
ok(r.returncode == 1 and d.get("status") == "error" and len(d.get("records", [])) == 2,
   "two DMARC records: an error, exit 1", r.stdout[-600:])

r = aw("dmarc", "--build", "--policy", "quarantine", "--testing", "--np", "reject",
       "--rua", "dmarc@example.test", "--domain", "example.test", "--json")
b = json.loads(r.stdout) if r.returncode == 0 else {}
ok(b.get("record") == "v=DMARC1; p=quarantine; np=reject; t=y; rua=mailto:dmarc@example.test"
   and len(b.get("staged_path", [])) == 5 and b.get("name") == "_dmarc.example.test",
   "--build writes the record and the staged path", r.stdout)

r = aw("dmarc", "--align", "--from", "example.test", "--mail-from", "bounce.example.test",
       "--dkim-domain", "esp.test", "--json")
a = json.loads(r.stdout) if r.returncode == 0 else {}
ok(a.get("spf", {}).get("relaxed") is True and a.get("spf", {}).get("strict") is False and
   a.get("dkim", {}).get("relaxed") is False, "--align: relaxed and strict", r.stdout)
done()
