#!/usr/bin/python3
"""providers_route53.py: plan/apply/undo against the Route 53 fake
(tests/fakes/route53_fake.py: SigV4 recomputed, botocore shapes), with the
faults: Throttling, 500, a timeout, a malformed body, a batch rejected on
its second change (atomic: nothing made), wrong and missing credentials,
AWS_PROFILE from a credentials file with a session token. TAP output."""
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from fakelib import Fake, Tap, aw  # noqa: E402

ZONE = "r53.test"
OLD_TXT = ['"v=spf1 include:_spf.old.example ~all"', '"v=spf1 ip4:192.0.2.10 -all"',
           '"google-site-verification=abc123"']
WANT = ["--provider", "route53", "--spf-include", "_spf.vendor.example",
        "--dmarc", "v=DMARC1; p=none", "--dkim-cname", "s1=s1.dkim.vendor.example"]
# The preflight of plan/apply asks DNS about the includes and the CNAME
# target: the test bed's Knot, which refuses the names it does not serve
# (unknown: a warning, not a block), never the system's resolver.
if os.environ.get("AW_TB_DNS"):
    WANT += ["--dns-server", os.environ["AW_TB_DNS"]]
tap = Tap()


def rrsets(fake, private=False):
    for z in fake.control("/__fake/state")["zones"]:
        if z["name"] == ZONE + "." and z["private"] == private:
            return {(r["name"], r["type"]): r for r in z["rrsets"]}
    return {}


def main():
    tmp = tempfile.mkdtemp(prefix="aw-r53-")
    fake = Fake("route53_fake.py")
    try:
        run(fake, tmp)
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


def run(fake, tmp):
    fake.control("/__fake/seed", {
        "credentials": {"AKIDTEST": {"secret": "s3cret/with+chars"},
                        "ASIATEMP": {"secret": "tempsecret", "token": "sess-token-1"}},
        "insync_after": 2, "page_size": 2,
        "zones": [{"name": ZONE, "rrsets": [
            {"name": ZONE, "type": "A", "ttl": 300, "values": ["192.0.2.1"]},
            {"name": ZONE, "type": "MX", "ttl": 300, "values": ["10 mx." + ZONE + "."]},
            {"name": ZONE, "type": "TXT", "ttl": 300, "values": OLD_TXT},
            {"name": "a." + ZONE, "type": "TXT", "ttl": 300, "values": ['"not ours"']},
            {"name": "sel2._domainkey." + ZONE, "type": "TXT", "ttl": 300,
             "values": ['"v=DKIM1; p=MFkw"']}]},
            {"name": ZONE, "private": True, "rrsets": [
                {"name": ZONE, "type": "TXT", "ttl": 300, "values": ['"private"']}]}]})
    env = dict(os.environ)
    env.update({"AWS_ENDPOINT_URL_ROUTE_53": fake.base,
                "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "s3cret/with+chars",
                "XDG_STATE_HOME": os.path.join(tmp, "state"), "HOME": tmp,
                "AW_HTTP_BACKOFF_MS": "10", "AW_ROUTE53_POLL_MS": "10",
                "AW_HTTP_TIMEOUT_MS": "5000"})
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_SHARED_CREDENTIALS_FILE"):
        env.pop(k, None)

    rc, out, err = aw("plan", ZONE, "--json", *WANT, env=env)
    tap(rc == 0, "plan exits 0 (%d %s)" % (rc, err.strip()))
    plan = json.loads(out) if rc == 0 else {"changes": []}
    apex = [c for c in plan["changes"] if c["name"] == ZONE]
    vals = apex[0]["new"]["values"] if apex else []
    tap(len([v for v in vals if v.startswith("v=spf1")]) == 1 and
        "google-site-verification=abc123" in vals,
        "the public zone is used, listed over pages of 2: one merged SPF, verification kept")
    tap(apex and apex[0]["zone"]["id"] in [z["id"] for z in fake.control("/__fake/state")["zones"]
                                           if not z["private"]], "the public zone's id, not the private one's")

    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 0, "apply exits 0 after GetChange reached INSYNC (%d %s)" % (rc, err.strip()))
    rs = rrsets(fake)
    txt = rs.get((ZONE + ".", "TXT"), {"values": []})["values"]
    tap(len([v for v in txt if "v=spf1" in v]) == 1 and '"google-site-verification=abc123"' in txt,
        "one SPF TXT value in the set, the verification value kept")
    tap(rs.get(("s1._domainkey." + ZONE + ".", "CNAME"), {}).get("values") == ["s1.dkim.vendor.example."],
        "the CNAME is written with a trailing dot")
    tap(rrsets(fake, private=True)[(ZONE + ".", "TXT")]["values"] == ['"private"'],
        "the private zone of the same name is untouched")
    log = fake.control("/__fake/log")["log"]
    posts = [e for e in log if e["method"] == "POST"]
    tap(len(posts) == 1 and "<Action>UPSERT</Action>" in posts[0]["body"] and
        posts[0]["body"].count("<Change>") == 3, "one atomic batch of three UPSERTs")
    gets = [e for e in log if e["path"].startswith("/2013-04-01/change/")]
    tap(len(gets) >= 2, "GetChange polled until INSYNC (%d polls)" % len(gets))
    jr = json.load(open(os.path.join(tmp, "state", "authwizard", ZONE + ".1.journal.json")))
    ids = set(c.get("host_change_id") for c in jr["changes"])
    tap(len(ids) == 1 and gets and gets[-1]["path"].endswith("/" + str(ids.pop())),
        "the journal names the Route 53 change id that reached INSYNC")
    tap(all("expect" not in e["headers"] for e in log) and
        all("x-amz-date" in e["headers"] for e in log), "no Expect header; curl's own X-Amz-Date")

    fake.control("/__fake/clear")
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    log = fake.control("/__fake/log")["log"]
    tap(rc == 0 and not [e for e in log if e["method"] == "POST"], "applying again sends no change")

    rc, out, err = aw("undo", ZONE, env=env)
    rs = rrsets(fake)
    tap(rc == 0 and sorted(rs[(ZONE + ".", "TXT")]["values"]) == sorted(OLD_TXT) and
        ("_dmarc." + ZONE + ".", "TXT") not in rs, "undo restores the old set and deletes the new ones")

    # A long DKIM key: split into strings of at most 255 bytes, read back whole.
    # The "key" is not one (the preflight would stop it): --force.
    key = "v=DKIM1; k=rsa; p=" + "A" * 380 + '"\\x'
    kf = os.path.join(tmp, "dkim.txt")
    with open(kf, "w") as f:
        f.write(key + "\n")
    rc, out, err = aw("apply", ZONE, "--yes", "--force", "--provider", "route53",
                      "--dkim-key", kf, "--selector", "long", env=env)
    v = rrsets(fake).get(("long._domainkey." + ZONE + ".", "TXT"), {"values": [""]})["values"][0]
    tap(rc == 0 and v.count('" "') >= 1 and '\\"\\\\x' in v,
        "a 400-byte TXT value is split into quoted strings with \\ escapes: %s..." % v[:30])
    rc, out, err = aw("apply", ZONE, "--yes", "--force", "--provider", "route53",
                      "--dkim-key", kf, "--selector", "long", env=env)
    tap(rc == 0 and "already as wanted" in out, "the split value reads back equal (no change)")

    # A CNAME at a name that holds a TXT is refused.
    rc, out, err = aw("plan", ZONE, "--provider", "route53", "--dkim-cname", "sel2=x.example", env=env)
    tap(rc == 1 and "CNAME" in out, "a CNAME beside a TXT is refused with the reason")

    # Throttling (HTTP 400) is retried.
    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "POST", "path": "/rrset/$", "status": 400,
                                   "code": "Throttling", "message": "Rate exceeded", "times": 1})
    rc, out, err = aw("apply", ZONE, "--yes", "--provider", "route53", "--txt", "@=vendor-a=1", env=env)
    posts = [e for e in fake.control("/__fake/log")["log"] if e["method"] == "POST"]
    tap(rc == 0 and len(posts) == 2, "Throttling is retried (%d POSTs)" % len(posts))

    # 500 retried.
    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "GET", "path": "hostedzonesbyname", "status": 500,
                                   "code": "InternalFailure", "message": "oops", "times": 2})
    rc, out, err = aw("plan", ZONE, *WANT, env=env)
    tap(rc == 0, "500 twice, then an answer: the plan is made")

    # The batch is refused on its second change: nothing is made.
    before = rrsets(fake)
    fake.control("/__fake/fault", {"method": "POST", "path": "/rrset/$",
                                   "reject_change_name": "s1._domainkey." + ZONE, "times": 1})
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 4 and "InvalidChangeBatch" in err and "injected" in err,
        "a batch refused on its second change: exit 4 with Route 53's messages")
    tap(rrsets(fake) == before, "the batch is atomic: nothing was changed")
    tap("stopped midway" not in err, "no change is reported as made")

    # A timeout and a malformed body.
    fake.control("/__fake/fault", {"method": "GET", "path": "hostedzonesbyname", "delay": 3,
                                   "body": "<x/>", "times": 1})
    t0 = time.monotonic()
    rc, out, err = aw("plan", ZONE, *WANT, env=dict(env, AW_HTTP_TIMEOUT_MS="400"))
    tap(rc == 4 and "in time" in err and time.monotonic() - t0 < 3, "a timeout: exit 4, no hang")
    fake.control("/__fake/fault", {"method": "GET", "path": "/rrset$", "status": 200,
                                   "body": "<ListResourceRecordSetsResponse><Resource", "times": 1})
    rc, out, err = aw("plan", ZONE, *WANT, env=env)
    tap(rc == 4 and "malformed" in err, "a malformed body: exit 4 (%s)" % err.strip())

    # Wrong secret: the fake recomputes the signature and refuses it.
    rc, out, err = aw("plan", ZONE, *WANT, env=dict(env, AWS_SECRET_ACCESS_KEY="wrong-secret"))
    tap(rc == 4 and "SignatureDoesNotMatch" in err and "wrong-secret" not in out + err,
        "a wrong secret: SignatureDoesNotMatch, exit 4, secret not shown")
    rc, out, err = aw("plan", ZONE, *WANT, env=dict(env, AWS_ACCESS_KEY_ID="AKIDNOPE"))
    tap(rc == 4 and "InvalidClientTokenId" in err, "an unknown key: InvalidClientTokenId")

    # AWS_PROFILE from a credentials file, with a session token.
    cred = os.path.join(tmp, "credentials")
    with open(cred, "w") as f:
        f.write("[default]\naws_access_key_id = AKIDNOPE\naws_secret_access_key = x\n\n"
                "[temp]\naws_access_key_id = ASIATEMP\naws_secret_access_key = tempsecret\n"
                "aws_session_token = sess-token-1\n")
    envp = dict(env, AWS_PROFILE="temp", AWS_SHARED_CREDENTIALS_FILE=cred)
    del envp["AWS_ACCESS_KEY_ID"]
    del envp["AWS_SECRET_ACCESS_KEY"]
    fake.control("/__fake/clear")
    rc, out, err = aw("plan", ZONE, *WANT, env=envp)
    log = fake.control("/__fake/log")["log"]
    tap(rc == 0 and log and all(e["headers"].get("x-amz-security-token") == "sess-token-1" for e in log),
        "AWS_PROFILE with a session token: X-Amz-Security-Token signed and accepted")
    envd = dict(envp)
    del envd["AWS_PROFILE"]
    rc, out, err = aw("plan", ZONE, *WANT, env=envd)
    tap(rc == 4 and "InvalidClientTokenId" in err, "without AWS_PROFILE the [default] profile is used")
    envn = dict(envd, AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "none"))
    rc, out, err = aw("plan", ZONE, *WANT, env=envn)
    tap(rc == 2 and "AWS_ACCESS_KEY_ID" in err, "no credentials at all: exit 2 naming the variables")

    st = fake.control("/__fake/state")
    tap(st["errors"] == [], "the fake saw no contract violation: %s" % st["errors"][:3])


if __name__ == "__main__":
    sys.exit(main())
