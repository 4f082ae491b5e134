"""`authwizard dane` and check's "dane" section against the signed tree of
tests/lib/dnssec_bed.py: DANE-EE and DANE-TA records that are usable,
records SMTP cannot use (PKIX-EE, a short digest), TLSA without DNSSEC
and with bogus signatures."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw  # noqa: E402
import dnssec_bed  # noqa: E402
from smtp_starttls import SmtpServer, closed_port  # noqa: E402

KEYS = os.path.join(os.environ["AW_SRCDIR"], "tests", "keys")

work = tempfile.mkdtemp(prefix="aw-dane.", dir=os.environ.get("TMPDIR"))
bed = dnssec_bed.start(work, os.environ["AW_SRCDIR"])
srv = bed["server"]
digests = dnssec_bed.cert_digests(os.environ["AW_SRCDIR"])


def dane(domain, *extra):
    r = aw("dane", domain, "--dns-server", srv, "--trust-anchor", bed["anchor_ds"],
           "--json", *extra, timeout=120)
    try:
        return r, json.loads(r.stdout)
    except ValueError:
        return r, {}


def codes(d):
    return [f["code"] for f in d.get("findings", [])]


def hosts(d):
    return {h["host"]: h for h in d.get("hosts", [])}


try:
    r, d = dane("secure.test")
    h = hosts(d).get("mail.secure.test", {})
    ok(r.returncode == 0 and d.get("status") == "ok" and d.get("mx_state") == "secure"
       and h.get("dnssec") == "secure" and h.get("usable") == 1
       and h.get("tlsa") == [{"usage": 3, "selector": 1, "matching_type": 1,
                              "data": digests["ee"]}],
       "secure.test: a DANE-EE 3 1 1 record behind a secure MX: usable, exit 0",
       r.stdout[-1500:] + r.stderr)

    r, d = dane("daneta.test")
    h = hosts(d).get("mail.daneta.test", {})
    ok(r.returncode == 0 and h.get("usable") == 1 and h["tlsa"][0]["usage"] == 2,
       "daneta.test: a DANE-TA 2 0 1 record is usable", r.stdout[-1500:])

    r, d = dane("danebad.test")
    hs = hosts(d)
    ok(r.returncode == 1 and "dane.pkix-usage" in codes(d)
       and "dane.bad-digest-length" in codes(d) and "dane.no-usable-tlsa" in codes(d)
       and hs.get("mail.danebad.test", {}).get("usable") == 0
       and hs.get("mx2.danebad.test", {}).get("usable") == 0
       and hs.get("mx3.danebad.test", {}).get("usable") == 1,
       "danebad.test: PKIX-EE warned, a 31-byte SHA2-256 digest refused, none usable",
       r.stdout[-2500:])

    r, d = dane("insecure.test")
    ok(r.returncode == 1 and "dane.tlsa-insecure" in codes(d) and "dane.mx-insecure" in codes(d)
       and hosts(d).get("mx.insecure.test", {}).get("dnssec") == "insecure",
       "insecure.test: TLSA without DNSSEC is an error", r.stdout[-1500:])

    r, d = dane("mixed.test")
    hs = hosts(d)
    ok(r.returncode == 1 and "dane.tlsa-bogus" in codes(d)
       and hs.get("mx.expired.test", {}).get("dnssec") == "bogus"
       and hs.get("mail.secure.test", {}).get("usable") == 1,
       "mixed.test: each MX host judged on its own; expired signatures are bogus",
       r.stdout[-2500:])

    r, d = dane("nods.test")
    ok(r.returncode == 1 and d.get("status") == "missing"
       and "dane.no-tlsa" not in codes(d),
       "nods.test: no TLSA records: status missing, exit 1", r.stdout[-1500:])

    r = aw("dane", "danebad.test", "--dns-server", srv, "--trust-anchor",
           bed["anchor_ds"], timeout=120)
    ok(r.returncode == 1 and "TLSA 3 1 1 2222" in r.stdout and "_25._tcp.mx2.danebad.test" in r.stdout,
       "human output lists each host's TLSA records", r.stdout)

    r = aw("check", "secure.test", "--dns-server", srv, "--trust-anchor", bed["anchor_ds"],
           "--json", timeout=120)
    d = json.loads(r.stdout) if r.stdout.startswith("{") else {}
    ok((d.get("dane") or {}).get("area") == "dane"
       and (d.get("dane") or {}).get("status") == "ok",
       "check --json: the dane section", r.stdout[-1500:])

    # --smtp: a local SMTP server with STARTTLS (tests/lib/smtp_starttls.py)
    chain = os.path.join(work, "ta-chain.pem")
    with open(chain, "w") as out:
        for f in ("dane-ta-leaf.crt", "dane-ca.crt"):
            with open(os.path.join(KEYS, f)) as inp:
                out.write(inp.read())
    ee = SmtpServer(os.path.join(KEYS, "dane-mx.crt"), os.path.join(KEYS, "dane-mx.key"))
    ta = SmtpServer(chain, os.path.join(KEYS, "dane-ta-leaf.key"))
    plain = SmtpServer(os.path.join(KEYS, "dane-mx.crt"), os.path.join(KEYS, "dane-mx.key"),
                       starttls=False)
    try:
        r, d = dane("secure.test", "--smtp", "--smtp-port", str(ee.port))
        h = hosts(d).get("mail.secure.test", {})
        ok(r.returncode == 0 and h.get("smtp") == "match" and h.get("address") == "127.0.0.1"
           and d.get("status") == "ok",
           "--smtp: the certificate matches the DANE-EE 3 1 1 record", r.stdout[-1500:] + r.stderr)

        r, d = dane("daneta.test", "--smtp", "--smtp-port", str(ta.port))
        ok(r.returncode == 0 and hosts(d).get("mail.daneta.test", {}).get("smtp") == "match",
           "--smtp: a chain to the DANE-TA 2 0 1 CA matches", r.stdout[-1500:] + r.stderr)

        r, d = dane("secure.test", "--smtp", "--smtp-port", str(ta.port))
        ok(r.returncode == 1 and hosts(d).get("mail.secure.test", {}).get("smtp") == "no-match"
           and "dane.smtp-no-match" in codes(d),
           "--smtp: another certificate than the TLSA record's is an error", r.stdout[-1500:])

        r, d = dane("danebad.test", "--smtp", "--smtp-port", str(ee.port))
        hs = hosts(d)
        ok(hs.get("mx3.danebad.test", {}).get("smtp") == "no-match"
           and hs.get("mail.danebad.test", {}).get("smtp") is None,
           "--smtp: only hosts with usable records are probed; a wrong digest does not match",
           r.stdout[-2000:])

        r, d = dane("secure.test", "--smtp", "--smtp-port", str(plain.port))
        ok(r.returncode == 1 and hosts(d).get("mail.secure.test", {}).get("smtp") == "no-starttls"
           and "dane.smtp-no-starttls" in codes(d),
           "--smtp: a server without STARTTLS is an error", r.stdout[-1500:])

        r, d = dane("secure.test", "--smtp", "--smtp-port", str(closed_port()))
        ok(hosts(d).get("mail.secure.test", {}).get("smtp") == "connect-failed"
           and "dane.smtp-connect-failed" in codes(d),
           "--smtp: nothing listening: connect-failed (a warning)", r.stdout[-1500:])

        r, d = dane("secure.test")
        ok(hosts(d).get("mail.secure.test", {}).get("smtp") is None,
           "without --smtp nothing is connected to", r.stdout[-800:])
        r = aw("dane", "secure.test", "--smtp-port", "0")
        ok(r.returncode == 2 and "--smtp-port" in r.stderr, "--smtp-port 0: usage error", r.stderr)
    finally:
        for srv in (ee, ta, plain):
            srv.close()
finally:
    dnssec_bed.stop(bed)
done()
