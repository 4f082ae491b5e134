"""`check --requirements`: the mailbox providers' sender rules (Gmail,
Yahoo, Outlook.com) judged from the test bed's zones: a domain set up
fully passes every rule DNS can show, one with two SPF records and no
DKIM or DMARC fails them, sending IPs without forward-confirmed reverse
DNS fail "ptr", and the rules DNS cannot show are never "pass"."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402

dns = need("AW_TB_DNS")
DNS_RULES = {"spf", "dkim", "dmarc", "alignment", "ptr", "helo"}
OUTSIDE = {"tls", "unsubscribe", "spam-rate"}


def reqs(*args):
    r = aw("check", *args, "--dns-server", dns, "--requirements", "--json")
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        doc = {}
    return r, doc.get("requirements", [])


def by(req, provider):
    return {x["rule"]: x for x in req if x["provider"] == provider}


r, req = reqs("example.test", "--selector", "s2048", "--ip", "192.0.2.50",
              "--helo", "out1.example.test")
ok(r.returncode == 0, "check --requirements exits 0 (findings do not change it)", r.stderr)
ok({x["provider"] for x in req} == {"gmail", "yahoo", "outlook"},
   "one list for Gmail, Yahoo and Outlook.com", req)
ok(all(set(x) == {"provider", "rule", "status", "message", "source"} for x in req),
   "each verdict has provider, rule, status, message and source", req[:2])
ok(all(x["source"].startswith("https://") for x in req), "every rule names its source", req)
g = by(req, "gmail")
ok(all(g.get(k, {}).get("status") == "pass" for k in DNS_RULES),
   "example.test (SPF, a 2048-bit key, DMARC, FCrDNS, HELO): every DNS rule passes for Gmail",
   {k: g.get(k) for k in DNS_RULES})
ok(all(x["status"] == "not-checked" for x in req if x["rule"] in OUTSIDE),
   "TLS, unsubscribe and spam rate are 'not-checked', never passed", req)
ok("outlook" in {x["provider"] for x in req} and "ptr" not in by(req, "outlook"),
   "Outlook.com lists only the rules it publishes (no PTR rule)", by(req, "outlook"))
ok("quarantine" in g["dmarc"]["message"], "the DMARC verdict names the policy found", g["dmarc"])

r, req = reqs("wizard.test")
y = by(req, "yahoo")
ok(y.get("spf", {}).get("status") == "fail" and "2 SPF records" in y["spf"]["message"],
   "two SPF records: the SPF rule fails and says why", y.get("spf"))
ok(y.get("dkim", {}).get("status") == "fail", "no DKIM key found: the DKIM rule fails", y.get("dkim"))
ok(y.get("dmarc", {}).get("status") == "fail", "no DMARC record: the DMARC rule fails", y.get("dmarc"))
ok(y.get("alignment", {}).get("status") == "fail",
   "neither SPF nor DKIM works: alignment is not possible", y.get("alignment"))
ok(y.get("ptr", {}).get("status") == "not-checked" and "--ip" in y["ptr"]["message"],
   "without --ip the PTR rule is not checked and says how to check it", y.get("ptr"))

r, req = reqs("example.test", "--ip", "192.0.2.62", "--helo", "ghost.example.test")
g = by(req, "gmail")
ok(g.get("ptr", {}).get("status") == "fail" and "192.0.2.62" in g["ptr"]["message"],
   "a sending IP whose PTR name does not resolve back fails the PTR rule, named", g.get("ptr"))
ok(g.get("helo", {}).get("status") == "fail", "a HELO name that does not resolve fails", g.get("helo"))

r = aw("check", "example.test", "--dns-server", dns, "--requirements")
ok(r.returncode == 0 and "Gmail" in r.stdout and "not checked" in r.stdout and
   "https://support.google.com/a/answer/81126" in r.stdout,
   "the text output lists each provider with its source", r.stdout[-1500:])
r = aw("check", "example.test", "--dns-server", dns, "--json")
ok("requirements" not in json.loads(r.stdout), "without --requirements there is no list")
done()
