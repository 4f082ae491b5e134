"""`authwizard mta-sts` and check's "mta_sts" section against the test bed
(tests/zones/posture.test.zone) and a local HTTPS server with the test CA
(tests/lib/web_server.py): a good policy covering every MX (wildcard
rule of RFC 8461 §4.1), wrong content type, a redirect, a body over
64 KiB, a certificate for another name, an untrusted CA, an MX host no
pattern covers, two records, no id, no policy host address, none; the
policy host is resolved through --dns-server."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402
from web_server import WebServer, CA  # noqa: E402

dns = need("AW_TB_DNS")
PATH = "/.well-known/mta-sts.txt"
GOOD = (b"version: STSv1\r\nmode: enforce\r\nmx: mx1.good.posture.test\r\n"
        b"mx: *.mx.good.posture.test\r\nmax_age: 604800\r\n")
TEXT = {"Content-Type": "text/plain; charset=utf-8"}
routes = {
    ("mta-sts.good.posture.test", PATH): (200, TEXT, GOOD),
    ("mta-sts.ctype.posture.test", PATH): (200, {"Content-Type": "text/html"}, GOOD),
    ("mta-sts.redirect.posture.test", PATH): (
        301, {"Location": "https://mta-sts.good.posture.test" + PATH}, b""),
    ("mta-sts.big.posture.test", PATH): (200, TEXT, GOOD + b"x" * 70000),
    ("mta-sts.badcert.posture.test", PATH): (200, TEXT, GOOD),
    ("mta-sts.uncovered.posture.test", PATH): (
        200, TEXT, b"version: STSv1\nmode: enforce\nmx: *.uncovered.posture.test\n"
        b"max_age: 86400\n"),
}
web = WebServer(routes)
env = {"AW_TEST_HTTPS_PORT": str(web.port), "CURL_CA_BUNDLE": ""}


def mta_sts(domain, *extra, ca=True):
    args = ["mta-sts", domain, "--dns-server", dns, "--json"]
    if ca:
        args += ["--ca-file", CA]
    r = aw(*args, *extra, env=env)
    try:
        return r, json.loads(r.stdout)
    except ValueError:
        return r, {}


def codes(d):
    return [f["code"] for f in d.get("findings", [])]


r, d = mta_sts("good.posture.test")
ok(r.returncode == 0 and d.get("status") == "ok",
   "good: exit 0, status ok", r.stdout + r.stderr)
ok(d.get("id") == "20261206T1", "good: the record's id", d.get("id"))
p = d.get("policy") or {}
ok(p.get("version") == "STSv1" and p.get("mode") == "enforce" and
   p.get("max_age") == 604800, "good: version, mode, max_age parsed", p)
ok(p.get("mx") == ["mx1.good.posture.test", "*.mx.good.posture.test"],
   "good: mx patterns in order", p.get("mx"))
ok(d.get("mx_covered") is True and d.get("mx_uncovered") == [],
   "good: every MX covered (a.mx.good by *.mx.good)", d)
ok(("mta-sts.good.posture.test", PATH) in web.seen,
   "good: the policy was fetched from the host name's address our DNS gave",
   web.seen)

r, d = mta_sts("good.posture.test", ca=False)
ok(r.returncode == 1 and "mta_sts.policy-fetch-failed" in codes(d),
   "without --ca-file the test CA is not trusted: fetch fails", d)
r2 = aw("mta-sts", "good.posture.test", "--dns-server", dns, "--json",
        env={"AW_TEST_HTTPS_PORT": str(web.port), "CURL_CA_BUNDLE": CA})
ok(r2.returncode == 0 and '"mx_covered": true' in r2.stdout,
   "CURL_CA_BUNDLE is honoured", r2.stdout + r2.stderr)

r, d = mta_sts("ctype.posture.test")
ok("mta_sts.policy-content-type" in codes(d) and d.get("policy") is None,
   "text/html policy: mta_sts.policy-content-type, not parsed", d)
r, d = mta_sts("redirect.posture.test")
ok("mta_sts.policy-redirect" in codes(d) and
   ("mta-sts.good.posture.test", PATH) not in web.seen[-1:],
   "a redirect is reported, not followed", (codes(d), web.seen[-2:]))
r, d = mta_sts("big.posture.test")
ok("mta_sts.policy-too-large" in codes(d), "a policy over 64 KiB", codes(d))
r, d = mta_sts("badcert.posture.test")
ok(r.returncode == 1 and "mta_sts.policy-fetch-failed" in codes(d),
   "a certificate for another name: fetch fails", d)
r, d = mta_sts("uncovered.posture.test")
ok(d.get("mx_covered") is False and
   d.get("mx_uncovered") == ["deep.mx.uncovered.posture.test"] and
   "mta_sts.mx-not-covered" in codes(d) and d.get("status") == "error",
   "the wildcard covers one label only: deep.mx is uncovered (error in enforce)",
   d)
ok("mta_sts.policy-short-max-age" not in codes(d),
   "max_age of one day is not short", codes(d))
r, d = mta_sts("two.posture.test")
ok("mta_sts.multiple-records" in codes(d) and d.get("policy") is None,
   "two records: error, no policy fetched", d)
r, d = mta_sts("noid.posture.test")
ok("mta_sts.txt-no-id" in codes(d), "a record without id", codes(d))
r, d = mta_sts("nohost.posture.test")
ok("mta_sts.policy-host-no-address" in codes(d),
   "the policy host has no address", codes(d))
r, d = mta_sts("bare.posture.test")
ok(r.returncode == 1 and d.get("status") == "missing" and
   codes(d) == [] and len(d.get("notes", [])) == 1,
   "no record: missing (a note)", d)

# check --json has the section, with the same shape.
r = aw("check", "good.posture.test", "--dns-server", dns, "--json",
       "--ca-file", CA, env=env)
try:
    c = json.loads(r.stdout)
except ValueError:
    c = {}
s = c.get("mta_sts") or {}
ok(s.get("area") == "mta_sts" and s.get("mx_covered") is True and
   (s.get("policy") or {}).get("mode") == "enforce",
   "check --json: the mta_sts section", s)
t = c.get("tls_rpt") or {}
ok(t.get("status") == "ok" and len(t.get("rua", [])) == 2,
   "check --json: the tls_rpt section", t)

r = aw("mta-sts", "good.posture.test", "--dns-server", dns,
       "--ca-file", CA, env=env)
ok(r.returncode == 0 and "mode enforce, max_age 604800" in r.stdout and
   "*.mx.good.posture.test" in r.stdout, "human output shows the policy",
   r.stdout)
r = aw("mta-sts", "good.posture.test", "--ca-file", "/nonexistent/ca.pem")
ok(r.returncode == 2 and "--ca-file" in r.stderr,
   "--ca-file of a missing file is a usage error", r.stderr)
web.stop()
done()
