#!/usr/bin/python3
"""providers_gandi.py: plan -> apply -> re-apply (no write) -> watch ->
undo -> watch against the Gandi LiveDNS fake (tests/fakes/gandi_fake.py,
written from tests/specs/gandi-livedns-v5.contract.md; it serves its records
by DNS for the watch), with the domain list paged two at a time, 429 +
Retry-After, a 500 retried, Gandi's error shown escaped, a bad and a
read-only token, lego's variable name, the 0600 token file. TAP output."""
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from fakelib import Fake, Tap, aw  # noqa: E402

ZONE = "gandi.test"
OLD = [{"rrset_name": "@", "rrset_type": "TXT", "rrset_ttl": 300,
        "rrset_values": ["v=spf1 include:_spf.old.example ~all", '"v=spf1 ip4:192.0.2.10 -all"',
                         '"google-site-verification=abc123"']},
       {"rrset_name": "www", "rrset_type": "A", "rrset_ttl": 1800, "rrset_values": ["192.0.2.80"]}]
RECORDS = ["--spf-include", "_spf.vendor.example", "--dmarc", "v=DMARC1; p=none",
           "--dkim-cname", "s1=s1.dkim.vendor.example"]
WANT = ["--provider", "gandi"] + RECORDS
if os.environ.get("AW_TB_DNS"):
    WANT += ["--dns-server", os.environ["AW_TB_DNS"]]
tap = Tap()


def rrsets(fake, name=None, rtype=None):
    st = fake.control("/__fake/state")
    return [r for r in st["domains"].get(ZONE, [])
            if (name is None or r["rrset_name"] == name) and (rtype is None or r["rrset_type"] == rtype)]


def writes(fake):
    return [e for e in fake.control("/__fake/log")["log"]
            if e["method"] in ("POST", "PUT", "PATCH", "DELETE")]


def main():
    tmp = tempfile.mkdtemp(prefix="aw-gandi-")
    fake = Fake("gandi_fake.py")
    try:
        run(fake, tmp)
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


def run(fake, tmp):
    # Five domains, two a page: the zone is found on the third page.
    fake.control("/__fake/seed", {
        "tokens": {"pat-edit": "edit", "pat-read": "read"}, "max_per_page": 2,
        "domains": [{"fqdn": "a-other.test"}, {"fqdn": "b-other.test"}, {"fqdn": "c-other.test"},
                    {"fqdn": ZONE, "rrsets": OLD}, {"fqdn": "zz.gandi.test"}]})
    env = dict(os.environ)
    for k in ("GANDI_PAT", "GANDI_PERSONAL_ACCESS_TOKEN", "GANDIV5_PERSONAL_ACCESS_TOKEN"):
        env.pop(k, None)
    env.update({"GANDI_BASE_URL": fake.base + "/v5/livedns", "GANDI_PAT": "pat-edit",
                "XDG_STATE_HOME": os.path.join(tmp, "state"),
                "AW_HTTP_BACKOFF_MS": "10", "AW_HTTP_TIMEOUT_MS": "5000"})
    dns = "127.0.0.1:%d" % fake.control("/__fake/dns")["port"]
    ns = ["--nameserver", dns, "--dns-server", dns, "--interval", "0.2",
          "--dns-timeout", "1", "--dns-tries", "1"]
    google_before = [v for r in rrsets(fake, "@", "TXT") for v in r["rrset_values"] if "google" in v]

    rc, out, err = aw("plan", ZONE, "--json", *WANT, env=env)
    plan = json.loads(out) if rc == 0 else {"changes": []}
    tap(rc == 0, "plan exits 0 (%d %s)" % (rc, err.strip()))
    apex = [c for c in plan["changes"] if c["name"] == ZONE]
    spf = [v for v in (apex[0]["new"]["values"] if apex else []) if v.startswith("v=spf1")]
    tap(len(spf) == 1 and "include:_spf.old.example" in spf[0] and "ip4:192.0.2.10" in spf[0],
        "an unquoted and a quoted SPF value are read and merged into one: %s" % spf)
    tap(apex and "google-site-verification=abc123" in apex[0]["new"]["values"],
        "the verification TXT stays in the plan")
    pages = [dict(e["query"]).get("page") for e in fake.control("/__fake/log")["log"]
             if e["path"].endswith("/livedns/domains")]
    tap({"1", "2", "3"} <= set(pages),
        "the domain list is read page by page at 2 a page (pages %s)" % sorted(set(pages) - {None}))

    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 0, "apply exits 0 (%d %s)" % (rc, err.strip()))
    apex_now = [v for r in rrsets(fake, "@", "TXT") for v in r["rrset_values"]]
    spf_now = [v for v in apex_now if "v=spf1" in v]
    tap(len(spf_now) == 1 and spf_now[0].startswith('"v=spf1'),
        "exactly one SPF value remains, written quoted: %s" % spf_now)
    tap([v for v in apex_now if "google" in v] == google_before,
        "the google-site-verification value is kept as it was")
    cn = rrsets(fake, "s1._domainkey", "CNAME")
    tap(len(cn) == 1 and cn[0]["rrset_values"] == ["s1.dkim.vendor.example."],
        "the DKIM CNAME is created (absolute target)")
    dm = rrsets(fake, "_dmarc", "TXT")
    tap(len(dm) == 1 and dm[0]["rrset_values"] == ['"v=DMARC1; p=none"'],
        "the DMARC TXT is created, quoted")
    tap(rrsets(fake, "www", "A")[0]["rrset_values"] == ["192.0.2.80"], "other records untouched")

    fake.control("/__fake/clear")
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 0 and writes(fake) == [], "applying again sends no write (%d)" % rc)

    rc, out, err = aw("watch", ZONE, *ns, "--timeout", "20", env=env)
    tap(rc == 0 and "Every nameserver serves the expected records" in out,
        "watch of the last apply: the fake's DNS serves it (%d %s)" % (rc, err.strip()))

    rc, out, err = aw("undo", ZONE, env=env)
    tap(rc == 0, "undo exits 0 (%d %s)" % (rc, err.strip()))
    txt = sorted(v.strip('"') for r in rrsets(fake, "@", "TXT") for v in r["rrset_values"])
    tap(txt == sorted(["v=spf1 include:_spf.old.example ~all", "v=spf1 ip4:192.0.2.10 -all",
                       "google-site-verification=abc123"]), "undo restores the old TXT values: %s" % txt)
    tap(not rrsets(fake, "s1._domainkey") and not rrsets(fake, "_dmarc"),
        "undo removes the created rrsets")
    rc, out, err = aw("watch", ZONE, *RECORDS, *ns, "--timeout", "1", env=env)
    tap(rc == 1, "after the undo, watching for the new records fails (%d)" % rc)

    # 429 with Retry-After: retried after the given seconds.
    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "GET", "path": "/records/", "status": 429,
                                   "message": "Too many requests", "retry_after": 1, "times": 1})
    t0 = time.monotonic()
    rc, out, err = aw("plan", ZONE, *WANT, env=env)
    dt = time.monotonic() - t0
    tap(rc == 0 and dt >= 1.0, "429 with Retry-After: 1 is retried after a second (%.2fs)" % dt)

    # 500 on the PUT: retried with backoff, the apply succeeds.
    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "PUT", "path": "/records/", "status": 500,
                                   "message": "oops", "times": 1})
    rc, out, err = aw("apply", ZONE, "--yes", "--provider", "gandi", "--txt", "@=vendor-a=1",
                      env=env)
    puts = [e for e in writes(fake) if e["method"] == "PUT"]
    tap(rc == 0 and len(puts) == 2, "a 500 is retried and the apply succeeds (%d PUTs)" % len(puts))

    # Gandi's error: code and message shown, escaped.
    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "POST", "path": "/records/", "status": 400,
                                   "message": "rrset_values: bad \x1b[31mvalue", "times": 1})
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 5 and "BadRequest" in err and "code 400" in err and "bad" in err and
        "\x1b" not in err, "Gandi's cause, code and message are shown, escaped (%d %s)"
        % (rc, err.strip().splitlines()[-1:] if err.strip() else ""))
    rc, out, err = aw("undo", ZONE, env=env)
    tap(rc == 0, "undo after the failed apply (%d %s)" % (rc, err.strip()))

    # A read-only token: the write is refused, nothing changes.
    fake.control("/__fake/clear")
    env_r = dict(env, GANDI_PAT="pat-read")
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env_r)
    tap(rc in (4, 5) and "403" in err and "pat-read" not in out + err,
        "a read-only token: the write is refused with 403, token not shown (%d)" % rc)
    tap(not rrsets(fake, "_dmarc"), "nothing was changed")

    # A wrong token stops at the first request with Gandi's 401.
    env_w = dict(env, GANDI_PAT="pat-wrong-secret")
    rc, out, err = aw("plan", ZONE, *WANT, env=env_w)
    tap(rc == 4 and "Unauthorized" in err and "pat-wrong-secret" not in out + err,
        "a wrong token: exit 4 with Gandi's 401 (%s)" % err.strip())

    # lego's variable name, and the token file (0600 only).
    env_l = dict(env)
    del env_l["GANDI_PAT"]
    env_l["GANDIV5_PERSONAL_ACCESS_TOKEN"] = "pat-edit"
    rc, out, err = aw("plan", ZONE, *WANT, env=env_l)
    tap(rc == 0, "lego's GANDIV5_PERSONAL_ACCESS_TOKEN is taken (%d %s)" % (rc, err.strip()))
    del env_l["GANDIV5_PERSONAL_ACCESS_TOKEN"]
    tf = os.path.join(tmp, "pat")
    with open(tf, "w") as f:
        f.write("pat-edit\n")
    os.chmod(tf, 0o644)
    rc, out, err = aw("plan", ZONE, "--gandi-token-file", tf, *WANT, env=env_l)
    tap(rc == 2 and "600" in err, "a token file readable by others is refused")
    os.chmod(tf, 0o600)
    rc, out, err = aw("plan", ZONE, "--gandi-token-file", tf, *WANT, env=env_l)
    tap(rc == 0, "a 0600 token file works")
    rc, out, err = aw("plan", ZONE, *WANT, env=env_l)
    tap(rc == 2 and "GANDI_PAT" in err, "no token: exit 2 naming GANDI_PAT (%d)" % rc)

    kept = [open(os.path.join(d, f), errors="replace").read()
            for d, _, fs in os.walk(os.path.join(tmp, "state")) for f in fs]
    tap(kept and not any("pat-edit" in k for k in kept),
        "the journals do not hold the token (%d files)" % len(kept))
    log = fake.control("/__fake/log")
    tap(log["errors"] == [], "the fake saw no contract violation: %s" % log["errors"][:3])


if __name__ == "__main__":
    sys.exit(main())
