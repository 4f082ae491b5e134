"""`authwizard dnssec` and check's "dnssec" section against a signed tree
of its own (tests/lib/dnssec_bed.py: Knot signs a test root and zones
under it; the root's KSK is the trust anchor): secure, insecure (unsigned,
missing DS), bogus (DS matching no key, a broken signature, expired
RRSIGs), the MX hosts' and DKIM keys' states, and no usable answer."""
import json
import os
import socket
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw  # noqa: E402
import dnssec_bed  # noqa: E402

work = tempfile.mkdtemp(prefix="aw-dnssec.", dir=os.environ.get("TMPDIR"))
bed = dnssec_bed.start(work, os.environ["AW_SRCDIR"])
srv = bed["server"]


def dnssec(domain, *extra, anchor="anchor_ds"):
    args = ["dnssec", domain, "--dns-server", srv, "--json"]
    if anchor:
        args += ["--trust-anchor", bed[anchor]]
    r = aw(*args, *extra, timeout=120)
    try:
        return r, json.loads(r.stdout)
    except ValueError:
        return r, {}


def codes(d):
    return [f["code"] for f in d.get("findings", [])]


def names(d):
    return {(n["role"], n["name"]): n for n in d.get("names", [])}


try:
    r, d = dnssec("secure.test", "--selector", "sel1")
    nm = names(d)
    ok(r.returncode == 0 and d.get("state") == "secure" and d.get("reason") is None
       and d.get("signed") is True and d.get("ds") is True and d.get("status") == "ok"
       and d.get("notes") and codes(d) == [],
       "secure.test: secure, signed, DS at the root, exit 0", r.stdout[-1500:] + r.stderr)
    ok(nm.get(("mx", "secure.test"), {}).get("state") == "secure"
       and nm.get(("mx-host", "mail.secure.test"), {}).get("state") == "secure"
       and nm.get(("dkim", "sel1._domainkey.secure.test"), {}).get("state") == "secure"
       and nm.get(("dkim", "sel1._domainkey.secure.test"), {}).get("exists") is True
       and nm.get(("mta-sts", "_mta-sts.secure.test"), {}).get("state") == "secure",
       "secure.test: the MX records, MX host, DKIM key and _mta-sts are secure", d.get("names"))

    r2, d2 = dnssec("secure.test", anchor="anchor_dnskey")
    ok(r2.returncode == 0 and d2.get("state") == "secure",
       "a DNSKEY-form trust anchor works as the DS form does", r2.stdout[-600:] + r2.stderr)

    r, d = dnssec("insecure.test")
    ok(r.returncode == 0 and d.get("state") == "insecure" and d.get("reason") == "unsigned"
       and d.get("status") == "ok" and d.get("signed") is False
       and any("not signed" in n for n in d.get("notes", [])),
       "insecure.test: insecure, reason unsigned (a note), exit 0", r.stdout[-800:])

    r, d = dnssec("nods.test")
    ok(r.returncode == 0 and d.get("state") == "insecure" and d.get("reason") == "missing-ds"
       and d.get("status") == "warning" and "dnssec.missing-ds" in codes(d)
       and d.get("signed") is True and d.get("ds") is False,
       "nods.test: signed without DS at the parent: insecure, missing-ds warning", r.stdout[-800:])

    r, d = dnssec("wrongds.test")
    ok(r.returncode == 1 and d.get("state") == "bogus"
       and d.get("reason") == "no-dnskey-matches-ds" and "dnssec.bogus" in codes(d)
       and "DS" in (d.get("why") or ""),
       "wrongds.test: a DS that matches no key is bogus, exit 1", r.stdout[-800:])
    ok(codes(d).count("dnssec.name-bogus") == 0,
       "wrongds.test: names inside a bogus domain are not reported again", codes(d))

    r, d = dnssec("expired.test")
    ok(r.returncode == 1 and d.get("state") == "bogus" and d.get("reason") == "expired-signature"
       and "dnssec.expired-signature" in codes(d),
       "expired.test: RRSIGs expired in 2021: bogus, expired-signature", r.stdout[-800:])

    r, d = dnssec("badsig.test")
    nm = names(d)
    ok(r.returncode == 1 and d.get("state") == "secure"
       and nm.get(("mx", "badsig.test"), {}).get("state") == "bogus"
       and nm.get(("mx", "badsig.test"), {}).get("reason") == "bad-signature"
       and nm.get(("mx-host", "mx.badsig.test"), {}).get("state") == "bogus"
       and "dnssec.name-bogus" in codes(d),
       "badsig.test: keys valid, the MX RRset's signature broken: bogus names", r.stdout[-1500:])

    r, d = dnssec("mixed.test")
    nm = names(d)
    ok(d.get("state") == "secure"
       and nm.get(("mx-host", "mail.secure.test"), {}).get("state") == "secure"
       and nm.get(("mx-host", "mx.insecure.test"), {}).get("state") == "insecure"
       and nm.get(("mx-host", "mx.expired.test"), {}).get("state") == "bogus"
       and any("mx.insecure.test" in n for n in d.get("notes", []))
       and "dnssec.name-bogus" in codes(d)
       and r.returncode == 1,
       "mixed.test: each MX host's own state (secure, insecure, bogus)", r.stdout[-1500:])

    # The built-in root key does not sign this test root.
    r, d = dnssec("secure.test", anchor=None)
    ok(r.returncode == 0 and d.get("state") == "indeterminate"
       and d.get("reason") == "trust-anchor-failed"
       and "dnssec.trust-anchor-failed" in codes(d) and d.get("dns_failure") is False,
       "the root's own key against the test root: indeterminate (trust anchor), a warning",
       r.stdout[-800:])

    # No server at all: indeterminate, a DNS failure, bounded by the timeout.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    dead = "127.0.0.1:%d" % s.getsockname()[1]
    r = aw("dnssec", "secure.test", "--dns-server", dead, "--dns-timeout", "0.3",
           "--dns-tries", "1", "--trust-anchor", bed["anchor_ds"], "--json", timeout=60)
    d = json.loads(r.stdout) if r.stdout.startswith("{") else {}
    s.close()
    ok(r.returncode == 3 and d.get("state") == "indeterminate" and d.get("reason") == "timeout"
       and "dnssec.indeterminate" in codes(d),
       "a server that never answers: indeterminate (timeout), exit 3", r.stdout[-800:])

    # check starts the validator (root anchors) on the loop's first turn,
    # after the other areas' first questions: the dnssec section still
    # gets its answers, and a bad anchor file still stops check at once.
    r = aw("check", "secure.test", "--dns-server", srv, "--json", timeout=120)
    d = json.loads(r.stdout) if r.stdout.startswith("{") else {}
    sec = d.get("dnssec", {})
    ok(sec.get("state") == "indeterminate" and sec.get("reason") == "trust-anchor-failed"
       and d.get("dns_failure") is False and r.returncode in (0, 1),
       "check with the root's anchors (started late): the test root is not the root",
       r.stdout[-800:] + r.stderr[-400:])
    r = aw("check", "secure.test", "--dns-server", srv, "--trust-anchor",
           os.path.join(work, "none"))
    ok(r.returncode == 2 and "trust anchor" in r.stderr and r.stdout == "",
       "check with a missing trust anchor file: named, exit 2, nothing checked", r.stderr)

    r = aw("dnssec", "secure.test", "--trust-anchor", os.path.join(work, "none"))
    ok(r.returncode == 2 and "trust anchor" in r.stderr,
       "a missing trust anchor file is named, exit 2", r.stderr)
    bad = os.path.join(work, "bad.anchor")
    with open(bad, "w") as f:
        f.write("this is not a record\n")
    r = aw("dnssec", "secure.test", "--trust-anchor", bad, "--dns-server", srv)
    ok(r.returncode == 2 and "bad.anchor" in r.stderr,
       "a trust anchor file without records is refused, exit 2", r.stderr)

    r = aw("dnssec", "secure.test", "--dns-server", srv, "--trust-anchor",
           bed["anchor_ds"], timeout=120)
    ok(r.returncode == 0 and "secure" in r.stdout and "mail.secure.test" in r.stdout,
       "human output: the state and the MX host", r.stdout)

    r = aw("check", "mixed.test", "--dns-server", srv, "--trust-anchor", bed["anchor_ds"],
           "--json", timeout=120)
    d = json.loads(r.stdout) if r.stdout.startswith("{") else {}
    sec = d.get("dnssec") or {}
    ok(sec.get("area") == "dnssec" and sec.get("state") == "secure"
       and any(e.startswith("DNSSEC: ") for e in d.get("errors", []))
       and "findings" in sec,
       "check --json: the dnssec section, its errors in the whole check's", r.stdout[-1500:])
    r = aw("check", "mixed.test", "--dns-server", srv, "--no-dnssec", "--json", timeout=120)
    d = json.loads(r.stdout) if r.stdout.startswith("{") else {}
    ok(r.returncode == 0 and "dnssec" not in d and "mx" in d,
       "check --no-dnssec: no dnssec section", r.stdout[-600:])
finally:
    dnssec_bed.stop(bed)
done()
