"""`authwizard check` agrees with `authwizard spf --ip` on the test bed:
a DNS failure below redirect= is a DNS failure of the check (exit 3), MX
hosts without addresses are void lookups in both, and the warnings of
issue 22 carry their finding codes (tests/zones/lint.test.zone)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402

dns = need("AW_TB_DNS")


def check(domain):
    r = aw("check", domain, "--dns-server", dns, "--json")
    try:
        return r, json.loads(r.stdout)
    except ValueError:
        return r, {}


def codes(section):
    return {f.get("code") for f in section.get("findings", [])}


def spf_ip(domain, ip="203.0.113.77"):
    r = aw("spf", domain, "--ip", ip, "--dns-server", dns, "--json")
    try:
        return r, json.loads(r.stdout)
    except ValueError:
        return r, {}


# RFC 7208 §2.6.6, §4.4: a redirect= target that fails to answer.
r, doc = check("redirfail.lint.test")
s = doc.get("spf", {})
ok(r.returncode == 3 and doc.get("dns_failure") is True and
   s.get("dns_failure") is True,
   "check: a failing redirect= target sets dns_failure and exits 3",
   f"{r.returncode} {json.dumps(s)[:600]}")
ok("spf.dns-failure" in codes(s), "check: ... coded spf.dns-failure", codes(s))
r2, e = spf_ip("redirfail.lint.test")
ok(r2.returncode == 3 and e.get("result") == "temperror",
   "spf --ip on the same domain: temperror, exit 3", r2.stdout)
ok(s.get("spf_unlisted_host", {}).get("result") == "temperror",
   "check: a host not listed gets temperror, as from spf --ip",
   s.get("spf_unlisted_host"))

# Three MX hosts without an address: both count three void lookups.
r, doc = check("voidmx.lint.test")
s = doc.get("spf", {})
r2, e = spf_ip("voidmx.lint.test")
ok(s.get("spf_voids") == 3 and e.get("void_lookups") == 3,
   "check and spf --ip both count 3 void lookups",
   f"check {s.get('spf_voids')}, spf {e.get('void_lookups')}")
ok(s.get("status") == "error" and "spf.void-limit" in codes(s) and
   e.get("result") == "permerror",
   "check: an error (spf.void-limit) where spf --ip says permerror",
   f"{s.get('status')} {codes(s)} {e.get('result')}")
u = s.get("spf_unlisted_host", {})
ok(u.get("result") == e.get("result") and u.get("lookups") == e.get("lookups") and
   u.get("void_lookups") == e.get("void_lookups") and u.get("reason") == e.get("reason"),
   "check's spf_unlisted_host is what spf --ip says for an unlisted host",
   f"{u} / {e}")
ok("spf.void-mx-host" in codes(s), "check: each empty MX host is a warning", codes(s))
ok(s.get("spf_lookups") == e.get("lookups") == 1,
   "check and spf --ip count the same DNS-querying terms",
   f"{s.get('spf_lookups')} {e.get('lookups')}")

# RFC 7505 §3: MX 10 . is no null MX.
r, doc = check("rootmx.lint.test")
mx = doc.get("mx", {})
ok("mx.root-not-null" in codes(mx) and mx.get("null_mx") is False and
   mx.get("status") == "error",
   "check: MX 10 . is an error of its own, not a null MX", mx)

r, doc = check("dupmx.lint.test")
mx = doc.get("mx", {})
ok("mx.duplicate-host" in codes(mx) and mx.get("status") == "warning",
   "check: the same MX host twice is a warning", mx)

r, doc = check("senderid.lint.test")
s = doc.get("spf", {})
ok({"spf.sender-id", "spf.exp-no-txt"} <= codes(s),
   "check: a Sender ID record and an exp= target without TXT are warnings",
   codes(s))
# Notes are not among --json "findings" (cli/json.c): the note's text.
ok(any('"ip4:192.0.2.2" comes after "-all"' in n for n in s.get("notes", [])),
   "check: text after all is a note", s.get("notes"))
ok(s.get("records") == ["v=spf1 ip4:192.0.2.1 -all ip4:192.0.2.2 exp=why.senderid.lint.test"],
   "check: the Sender ID record is not taken for a second SPF record",
   s.get("records"))
ok(all(f.get("code") != "uncoded" for f in s.get("findings", [])),
   "check: every SPF finding has a code", s.get("findings"))

done()
