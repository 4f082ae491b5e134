"""`authwizard check` against records the test bed serves: exact records in
--json and in the human output, hostile answers escaped and bounded, exit
codes, IDN."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need, run  # noqa: E402

dns = need("AW_TB_DNS")
srcdir = os.environ["AW_SRCDIR"]


def zone_txt(zone, owner):
    """The joined TXT value of owner in a tests/zones file (the test's own
    reading of what it put there)."""
    text = open(os.path.join(srcdir, "tests", "zones", zone + ".zone")).read()
    for line in text.splitlines():
        if line.split()[:1] == [owner] and " TXT " in line:
            return "".join(re.findall(r'"([^"]*)"', line))
    raise KeyError(owner)


spf = zone_txt("example.test", "@")
dkim = zone_txt("example.test", "s2048._domainkey")
dmarc = zone_txt("example.test", "_dmarc")

r = aw("check", "example.test", "--dns-server", dns, "--selector", "s2048", "--json")
ok(r.returncode == 0, "check --json exits 0 when every lookup got an answer", r.stderr)
try:
    doc = json.loads(r.stdout)
except ValueError as e:
    doc = {}
    ok(False, "check --json prints one JSON document", f"{e}\n{r.stdout[:500]}")
ok(doc.get("spf", {}).get("records") == [spf],
   "the SPF record, split over two strings, is joined exactly", doc.get("spf"))
ok(doc.get("spf", {}).get("status") in ("ok", "warning"), "SPF status is ok or warning", doc.get("spf"))
dk = [s for s in doc.get("dkim", []) if s.get("key") == "s2048"]
ok(dk and dk[0].get("record") == dkim and len(dkim) > 255,
   "the 2048-bit DKIM key split over several strings is joined exactly", dk)
ok(doc.get("dmarc", {}).get("record") == dmarc, "the DMARC record is shown exactly", doc.get("dmarc"))
mx = doc.get("mx", {}).get("hosts", [])
ok([(h["preference"], h["host"]) for h in mx] == [(10, "mail.example.test"), (20, "mail2.example.test")],
   "MX hosts in preference order", mx)
ok(mx and sorted(mx[0]["addresses"]) == ["192.0.2.25", "2001:db8::25"],
   "MX host addresses (A and AAAA)", mx)
ok(doc.get("domain") == "example.test", "the domain is named", doc.get("domain"))

r = aw("check", "example.test", "--dns-server", dns, "--selector", "s2048")
ok(r.returncode == 0, "human check exits 0", r.stderr)
ok(f'"{spf}"' in r.stdout, "the human output shows the same SPF record", r.stdout)
ok(f'"{dkim}"' in r.stdout, "the human output shows the same DKIM record", r.stdout[:2000])
# (_mta-sts, _smtp._tls and default._bimi do not exist in example.test:
# not published.)
ok(not [l for l in r.stdout.splitlines() if "no such domain" in l and
        "_mta-sts." not in l and "_smtp._tls." not in l and
        "._bimi." not in l],
   "nothing is reported missing that exists", r.stdout)

# A selector that does not exist: "no such record", not a DNS failure.
r = aw("check", "example.test", "--dns-server", dns, "--selector", "nosuch", "--json")
doc = json.loads(r.stdout)
dk = doc["dkim"][0]
ok(r.returncode == 0 and dk["status"] == "missing" and
   dk["lookups"][0]["result"] == "nxdomain" and not dk["dns_failure"],
   "a missing selector is NXDOMAIN (no such record), exit 0", dk)

# Hostile answers: escape sequences and control characters never reach the
# terminal raw; a 4,000-byte record and 100 records are bounded.
r = aw("check", "hostile.test", "--dns-server", dns)
ok("\x1b" not in r.stdout and "\x07" not in r.stdout and "\r" not in r.stdout,
   "no ESC, BEL or CR byte in the human output", repr(r.stdout[:400]))
ok("\\x1B[31mred" in r.stdout, "an escape sequence is shown escaped as \\x1B", r.stdout[:400])
r = aw("check", "hostile.test", "--dns-server", dns, "--json")
doc = json.loads(r.stdout)
ok(doc["spf"]["record"].startswith("v=spf1 \x1b[31mred"),
   "--json keeps the exact text (JSON-escaped)", doc["spf"]["record"][:40])
ok("\x1b" not in r.stdout, "--json output carries no raw ESC byte")

r = aw("check", "big.hostile.test", "--dns-server", dns)
longest = max(len(line) for line in r.stdout.splitlines())
ok(r.returncode == 0 and longest < 2200 and "..." in r.stdout,
   f"a 4,000-byte TXT is cut on screen (longest line {longest})")
r = aw("check", "big.hostile.test", "--dns-server", dns, "--json")
ok(len(json.loads(r.stdout)["spf"]["record"]) == 4007, "--json has the whole 4,000-byte record")

r = aw("check", "many.hostile.test", "--dns-server", dns)
shown = len(re.findall(r'^    "v=spf1', r.stdout, re.M))
ok(shown == 20 and "and 80 more" in r.stdout, f"100 SPF records: {shown} shown and the rest counted", r.stdout[:300])
ok(re.search(r"100 SPF records", r.stdout) is not None, "100 SPF records at one name is an error", r.stdout[-800:])
r = aw("check", "many.hostile.test", "--dns-server", dns, "--json")
ok(len(json.loads(r.stdout)["spf"]["records"]) == 100, "--json lists all 100 records")

# Exit codes.
r = aw("check")
ok(r.returncode == 2 and "DOMAIN" in r.stderr, "no domain: usage error, exit 2", r.stderr)
r = aw("check", "example.test", "--no-such-option")
ok(r.returncode == 2, "unknown option: exit 2", r.stderr)
r = aw("check", "exa mple", "--dns-server", dns)
ok(r.returncode == 2 and "not a domain" in r.stderr, "a bad domain is named, exit 2", r.stderr)
r = aw("check", "example.invalid", "--dns-server", dns, "--json")
ok(r.returncode == 3 and json.loads(r.stdout)["dns_failure"] is True,
   "a refused lookup is a DNS failure, exit 3", r.stdout[:300])

# IDN: typed in Unicode, asked as A-labels, shown back in Unicode.
r = aw("check", "bücher.example.test", "--dns-server", dns, "--json")
doc = json.loads(r.stdout) if r.returncode in (0, 3) else {}
ok(doc.get("domain") == "xn--bcher-kva.example.test" and
   doc.get("domain_unicode") == "bücher.example.test" and
   doc.get("spf", {}).get("record") == "v=spf1 -all",
   "a Unicode domain is asked as A-labels and shown in Unicode", r.stdout[:300] + r.stderr)
r = aw("check", "bücher.example.test", "--dns-server", dns)
ok("bücher.example.test" in r.stdout, "the human output shows the Unicode name", r.stdout[:200])
# Many domains at once (a vendor verifying its customers): arguments and a
# file, checked concurrently, printed in the order given, JSON Lines.
import tempfile  # noqa: E402
with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
    f.write("# customers\nspf.test\n\n  dmarc.test  # trailing comment\ncrm.test\n")
    listfile = f.name
r = aw("check", "example.test", "--domains-file", listfile, "esp.test",
       "--dns-server", dns, "--parallel", "2", "--json")
lines = r.stdout.splitlines()
try:
    docs = [json.loads(line) for line in lines]
except ValueError:
    docs = []
ok(r.returncode == 0 and [d.get("domain") for d in docs] ==
   ["spf.test", "dmarc.test", "crm.test", "example.test", "esp.test"],
   "several domains: one JSON document per line, file first, in the order given",
   r.stdout[:300] + r.stderr)
ok(docs and docs[3].get("spf", {}).get("records") == [spf],
   "... each document is the same as a single check's", docs[3].get("spf") if len(docs) > 3 else None)
r = aw("check", "example.test", "crm.test", "--dns-server", dns)
ok(r.returncode == 0 and r.stdout.count("Email authentication of ") == 2 and
   r.stdout.index("example.test") < r.stdout.index("crm.test"),
   "several domains, human output: one block each, in order", r.stdout[:300])
r = run([os.environ["AW_BIN"], "check", "--domains-file", "-", "--dns-server", dns],
        input="example.test\nbad..name\n")
ok(r.returncode == 2 and "bad..name" in r.stderr and "line 2" in r.stderr and r.stdout == "",
   "a bad name in the list: exit 2 before any lookup, naming it and its line", r.stderr)
r = aw("check", "example.test", "--parallel", "0")
ok(r.returncode == 2 and "--parallel" in r.stderr, "--parallel 0: usage error", r.stderr)
r = aw("check", "--domains-file", "/nonexistent/list")
ok(r.returncode == 2 and "/nonexistent/list" in r.stderr, "a missing list file is named", r.stderr)
os.unlink(listfile)

# 500 domains all at once: thousands of queries to one server. Without a
# bound on what is on the wire, UDP answers overflow the socket buffer and
# lookups fail (exit 3); the engine queues what does not fit.
r = run([os.environ["AW_BIN"], "check", "--domains-file", "-", "--parallel", "500",
         "--selector", "s2048", "--dns-server", dns, "--dns-tries", "1", "--json"],
        input="example.test\n" * 500, timeout=120)
docs = [json.loads(line) for line in r.stdout.splitlines()] if r.returncode in (0, 3) else []
ok(r.returncode == 0 and len(docs) == 500 and not any(d["dns_failure"] for d in docs),
   "500 domains at once: every lookup answered, no DNS failure",
   f"exit {r.returncode}, {sum(d['dns_failure'] for d in docs)} failed")

done()
