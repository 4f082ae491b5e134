"""`authwizard bimi` and check's "bimi" section against the test bed
(tests/zones/posture.test.zone) and the local HTTPS server with the test
CA (tests/lib/web_server.py): a good record, logo and mark certificate;
another selector; DMARC not at enforcement (sp=none); a logo that is no
SVG Tiny PS (script, external reference, no baseProfile) and a
certificate without the BIMI EKU; a certificate for another domain; a
logo over 32 KiB; a declination; none."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402
from web_server import WebServer, CA, KEYS  # noqa: E402

dns = need("AW_TB_DNS")
GOOD_SVG = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" '
            b'baseProfile="tiny-ps" viewBox="0 0 100 100">'
            b'<title>Good</title><circle cx="50" cy="50" r="40" fill="#c00"/></svg>')
BAD_SVG = (b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x "boom">]>\n'
           b'<svg xmlns="http://www.w3.org/2000/svg" '
           b'xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1">'
           b'<script>alert(1)</script><image xlink:href="https://evil.example/a.png"/>'
           b'<text>&x;</text></svg>')
SVG = {"Content-Type": "image/svg+xml"}
PEM = {"Content-Type": "application/x-pem-file"}


def pem(name):
    with open(os.path.join(KEYS, name), "rb") as f:
        return f.read()


H = "bimi.posture.test"
routes = {
    (H, "/good.svg"): (200, SVG, GOOD_SVG),
    (H, "/bad.svg"): (200, SVG, BAD_SVG),
    (H, "/big.svg"): (200, SVG, GOOD_SVG[:-6] + b"<g/>" * 9000 + b"</svg>"),
    (H, "/mark-good.pem"): (200, PEM, pem("mark-good.pem")),
    (H, "/mark-noeku.pem"): (200, PEM, pem("mark-noeku.pem")),
    (H, "/mark-othername.pem"): (200, PEM, pem("mark-othername.pem")),
}
web = WebServer(routes)
env = {"AW_TEST_HTTPS_PORT": str(web.port), "CURL_CA_BUNDLE": ""}


def bimi(domain, *extra, ca=True):
    args = ["bimi", domain, "--dns-server", dns, "--json"]
    if ca:
        args += ["--ca-file", CA]
    r = aw(*args, *extra, env=env)
    try:
        return r, json.loads(r.stdout)
    except ValueError:
        return r, {}


def codes(d):
    return [f["code"] for f in d.get("findings", [])]


r, d = bimi("good.posture.test")
c = d.get("certificate") or {}
ok(r.returncode == 0 and d.get("status") == "ok", "good: exit 0, status ok",
   r.stdout + r.stderr)
ok(d.get("dmarc_enforced") is True and d.get("dmarc_policy") == "reject",
   "good: DMARC p=reject is enforcement", d)
ok(d.get("svg_ok") is True, "good: the logo is SVG Tiny PS", d)
ok(c.get("bimi_eku") is True and c.get("names_domain") is True and
   c.get("chain_ok") is True and c.get("valid_now") is True and
   c.get("names") == ["good.posture.test"],
   "good: the mark certificate (EKU, name, chain to the test CA, dates)", c)
ok(str(c.get("not_after", "")).endswith("Z"), "certificate dates as UTC",
   c)

r, d = bimi("good.posture.test", ca=False)
ok("bimi.fetch-failed" in codes(d),
   "without --ca-file the test CA is not trusted: the fetch fails", codes(d))

r, d = bimi("good.posture.test", "--bimi-selector", "brand")
ok(d.get("name") == "brand._bimi.good.posture.test" and
   "bimi.cert-no-bimi-eku" in codes(d) and
   (d.get("certificate") or {}).get("bimi_eku") is False,
   "--bimi-selector brand: a certificate without the BIMI EKU", d)

r, d = bimi("weak.posture.test")
ok(d.get("dmarc_enforced") is False and "bimi.dmarc-not-enforced" in codes(d)
   and r.returncode == 1, "sp=none: DMARC not at enforcement", d)

r, d = bimi("badsvg.posture.test")
cs = codes(d)
ok(d.get("svg_ok") is False and "bimi.svg-not-tiny-ps" in cs and
   "bimi.svg-script" in cs and "bimi.svg-external" in cs and
   "bimi.svg-no-title" in cs, "a logo with script, external refs, no profile",
   cs)
ok(("evil.example", "/a.png") not in web.seen,
   "the logo's external reference was not fetched", web.seen)

r, d = bimi("othercert.posture.test")
ok("bimi.cert-wrong-domain" in codes(d) and
   (d.get("certificate") or {}).get("names") == ["other.example"],
   "a certificate naming another domain", d)

r, d = bimi("bigsvg.posture.test")
ok("bimi.fetch-failed" in codes(d) and d.get("svg_fetched") is False,
   "a logo over 32 KiB is not read", d)

r, d = bimi("declined.posture.test")
ok(d.get("declined") is True and codes(d) == [] and d.get("status") == "ok",
   "a declination record", d)
r, d = bimi("bare.posture.test")
ok(d.get("status") == "missing" and r.returncode == 1, "no record: missing", d)

r = aw("check", "good.posture.test", "--dns-server", dns, "--json",
       "--ca-file", CA, env=env)
try:
    s = json.loads(r.stdout).get("bimi") or {}
except ValueError:
    s = {}
ok(s.get("area") == "bimi" and s.get("svg_ok") is True and
   (s.get("certificate") or {}).get("chain_ok") is True,
   "check --json: the bimi section", s)
r = aw("bimi", "good.posture.test", "--dns-server", dns, "--ca-file", CA,
       env=env)
ok(r.returncode == 0 and "DMARC at enforcement: yes" in r.stdout and
   "authwizard test mark" in r.stdout, "human output", r.stdout)
r = aw("bimi", "good.posture.test", "--bimi-selector", "a.b")
ok(r.returncode == 2, "--bimi-selector with a dot is a usage error", r.stderr)
web.stop()
done()
