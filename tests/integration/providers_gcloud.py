#!/usr/bin/python3
"""providers_gcloud.py: plan -> apply -> re-apply (no write) -> watch ->
undo -> watch against the Google Cloud DNS fake (tests/fakes/gcloud_fake.py:
the discovery document's methods and schemas, and the OAuth2 token
endpoint verifying the service-account JWT's RS256 signature with the test
key's public half, tests/keys/gcloud-sa-test.*). Also: a public and a
private zone of the same name paged one a page (the public one is taken),
429 + Retry-After, a 500 retried, Google's error shown escaped, a key the
token endpoint refuses, a read-only account, an expired token, lego's
variable names, the key file's mode. TAP output."""
import json
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fakes"))
from fakelib import Fake, Tap, aw  # noqa: E402

KEYS = os.path.join(HERE, "..", "keys")
ZONE = "gcloud.test"
EMAIL = "authwizard-test@aw-test-project.iam.gserviceaccount.com"
OLD = [{"name": ZONE + ".", "type": "TXT", "ttl": 300,
        "rrdatas": ["v=spf1 include:_spf.old.example ~all", '"v=spf1 ip4:192.0.2.10 -all"',
                    '"google-site-verification=abc123"']},
       {"name": "www." + ZONE + ".", "type": "A", "ttl": 300, "rrdatas": ["192.0.2.80"]}]
RECORDS = ["--spf-include", "_spf.vendor.example", "--dmarc", "v=DMARC1; p=none",
           "--dkim-cname", "s1=s1.dkim.vendor.example"]
WANT = ["--provider", "gcloud"] + RECORDS
if os.environ.get("AW_TB_DNS"):
    WANT += ["--dns-server", os.environ["AW_TB_DNS"]]
tap = Tap()


def rrsets(fake, name=None, rtype=None, zone="public-zone"):
    st = fake.control("/__fake/state")
    return [r for r in st["zones"].get(zone, [])
            if (name is None or r["name"] == name) and (rtype is None or r["type"] == rtype)]


def log(fake):
    return fake.control("/__fake/log")["log"]


def writes(fake):
    return [e for e in log(fake) if e["method"] in ("POST", "PUT", "PATCH", "DELETE")
            and e["path"] != "/token"]


def key_copy(tmp, name, mode=0o600):
    dst = os.path.join(tmp, name + ".json")
    shutil.copyfile(os.path.join(KEYS, name + ".json"), dst)
    os.chmod(dst, mode)
    return dst


def main():
    tmp = tempfile.mkdtemp(prefix="aw-gcloud-")
    fake = Fake("gcloud_fake.py")
    try:
        run(fake, tmp)
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


def run(fake, tmp):
    pub = open(os.path.join(KEYS, "gcloud-sa-test.pub.pem")).read()
    fake.control("/__fake/seed", {
        "accounts": {EMAIL: {"public_pem": pub, "perm": "edit"},
                     "reader@aw-test-project.iam.gserviceaccount.com": {"public_pem": pub,
                                                                        "perm": "read"}},
        "project": "aw-test-project", "max_results": 1,
        "zones": [{"name": "a-private-zone", "dnsName": ZONE + ".", "visibility": "private"},
                  {"name": "public-zone", "dnsName": ZONE + ".", "rrsets": OLD}]})
    keyfile = key_copy(tmp, "gcloud-sa-test")
    env = dict(os.environ)
    for k in ("GOOGLE_APPLICATION_CREDENTIALS", "GCE_SERVICE_ACCOUNT_FILE", "CLOUDSDK_CORE_PROJECT",
              "GCE_PROJECT", "GOOGLE_CLOUD_PROJECT"):
        env.pop(k, None)
    env.update({"GCLOUD_DNS_BASE_URL": fake.base + "/dns/v1",
                "GCLOUD_TOKEN_URL": fake.base + "/token",
                "GOOGLE_APPLICATION_CREDENTIALS": keyfile,
                "CLOUDSDK_CORE_PROJECT": "aw-test-project",
                "XDG_STATE_HOME": os.path.join(tmp, "state"),
                "AW_HTTP_BACKOFF_MS": "10", "AW_HTTP_TIMEOUT_MS": "5000"})
    dns = "127.0.0.1:%d" % fake.control("/__fake/dns")["port"]
    ns = ["--nameserver", dns, "--dns-server", dns, "--interval", "0.2",
          "--dns-timeout", "1", "--dns-tries", "1"]

    rc, out, err = aw("plan", ZONE, "--json", *WANT, env=env)
    plan = json.loads(out) if rc == 0 else {"changes": []}
    tap(rc == 0, "plan exits 0 (%d %s)" % (rc, err.strip()))
    apex = [c for c in plan["changes"] if c["name"] == ZONE]
    spf = [v for v in (apex[0]["new"]["values"] if apex else []) if v.startswith("v=spf1")]
    tap(len(spf) == 1 and "include:_spf.old.example" in spf[0] and "ip4:192.0.2.10" in spf[0],
        "an unquoted and a quoted SPF rrdata are read and merged into one: %s" % spf)
    tap(apex and "google-site-verification=abc123" in apex[0]["new"]["values"],
        "the verification TXT stays in the plan")
    zl = [e for e in log(fake) if e["path"].endswith("/managedZones")]
    tap(len(zl) >= 2 and any("pageToken" in dict(e["query"]) for e in zl),
        "the zones of the name are paged one a page and the public one is used (%d requests)"
        % len(zl))
    tokens = [e for e in log(fake) if e["path"] == "/token"]
    tap(len(tokens) == 1, "one token request per run; the JWT's signature verified by the fake")

    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 0, "apply exits 0 (%d %s)" % (rc, err.strip()))
    apex_now = [v for r in rrsets(fake, ZONE + ".", "TXT") for v in r["rrdatas"]]
    spf_now = [v for v in apex_now if "v=spf1" in v]
    tap(len(spf_now) == 1 and spf_now[0].startswith('"v=spf1'),
        "exactly one SPF rrdata remains, written quoted: %s" % spf_now)
    tap('"google-site-verification=abc123"' in apex_now, "the verification rrdata is kept")
    cn = rrsets(fake, "s1._domainkey." + ZONE + ".", "CNAME")
    tap(len(cn) == 1 and cn[0]["rrdatas"] == ["s1.dkim.vendor.example."],
        "the DKIM CNAME is created (absolute target)")
    dm = rrsets(fake, "_dmarc." + ZONE + ".", "TXT")
    tap(len(dm) == 1 and dm[0]["rrdatas"] == ['"v=DMARC1; p=none"'], "the DMARC TXT is created, quoted")
    tap(not rrsets(fake, zone="a-private-zone"), "the private zone of the same name is untouched")

    fake.control("/__fake/clear")
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 0 and writes(fake) == [], "applying again sends no write (%d)" % rc)

    rc, out, err = aw("watch", ZONE, *ns, "--timeout", "20", env=env)
    tap(rc == 0 and "Every nameserver serves the expected records" in out,
        "watch of the last apply: the fake's DNS serves it (%d %s)" % (rc, err.strip()))

    rc, out, err = aw("undo", ZONE, env=env)
    tap(rc == 0, "undo exits 0 (%d %s)" % (rc, err.strip()))
    txt = sorted(v.strip('"') for r in rrsets(fake, ZONE + ".", "TXT") for v in r["rrdatas"])
    tap(txt == sorted(["v=spf1 include:_spf.old.example ~all", "v=spf1 ip4:192.0.2.10 -all",
                       "google-site-verification=abc123"]), "undo restores the old TXT values: %s" % txt)
    tap(not rrsets(fake, "s1._domainkey." + ZONE + ".") and not rrsets(fake, "_dmarc." + ZONE + "."),
        "undo removes the created rrsets")
    rc, out, err = aw("watch", ZONE, *RECORDS, *ns, "--timeout", "1", env=env)
    tap(rc == 1, "after the undo, watching for the new records fails (%d)" % rc)

    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "GET", "path": "/rrsets$", "status": 429,
                                   "message": "Quota exceeded", "retry_after": 1, "times": 1})
    t0 = time.monotonic()
    rc, out, err = aw("plan", ZONE, *WANT, env=env)
    dt = time.monotonic() - t0
    tap(rc == 0 and dt >= 1.0, "429 with Retry-After: 1 is retried after a second (%.2fs)" % dt)

    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "PATCH", "path": "/rrsets/", "status": 503,
                                   "message": "backend", "times": 1})
    rc, out, err = aw("apply", ZONE, "--yes", "--provider", "gcloud", "--txt", "@=vendor-a=1",
                      env=env)
    patches = [e for e in writes(fake) if e["method"] == "PATCH"]
    tap(rc == 0 and len(patches) == 2, "a 503 is retried and the apply succeeds (%d PATCHes)"
        % len(patches))

    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "POST", "path": "/rrsets$", "status": 400,
                                   "message": "Invalid value for 'entity.change.additions[0]': "
                                   "\x1b[2Jbad", "times": 1})
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 5 and "invalid" in err and "code 400" in err and "\x1b" not in err,
        "Google's reason, code and message are shown, escaped (%d)" % rc)
    aw("undo", ZONE, env=env)

    # The token endpoint refuses a key it does not know (signature).
    env_o = dict(env, GOOGLE_APPLICATION_CREDENTIALS=key_copy(tmp, "gcloud-sa-other"))
    rc, out, err = aw("plan", ZONE, *WANT, env=env_o)
    tap(rc == 4 and "invalid_grant" in err and "Invalid JWT Signature" in err,
        "a key the account does not hold: exit 4 with Google's invalid_grant (%s)" % err.strip())

    # A read-only service account (same key, other email).
    ro = json.load(open(keyfile))
    ro["client_email"] = "reader@aw-test-project.iam.gserviceaccount.com"
    rofile = os.path.join(tmp, "reader.json")
    with open(rofile, "w") as f:
        json.dump(ro, f)
    os.chmod(rofile, 0o600)
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=dict(env, GOOGLE_APPLICATION_CREDENTIALS=rofile))
    tap(rc in (4, 5) and "403" in err and "ya29" not in out + err and "PRIVATE KEY" not in out + err,
        "a read-only account: the write refused with 403, no token or key shown (%d)" % rc)
    tap(not rrsets(fake, "_dmarc." + ZONE + "."), "nothing was changed")

    # lego's names, the project from the key file, and the key file's mode.
    env_l = dict(env)
    for k in ("GOOGLE_APPLICATION_CREDENTIALS", "CLOUDSDK_CORE_PROJECT"):
        del env_l[k]
    env_l.update({"GCE_SERVICE_ACCOUNT_FILE": keyfile, "GCE_PROJECT": "aw-test-project"})
    rc, out, err = aw("plan", ZONE, *WANT, env=env_l)
    tap(rc == 0, "lego's GCE_SERVICE_ACCOUNT_FILE and GCE_PROJECT are taken (%d %s)" % (rc, err.strip()))
    del env_l["GCE_PROJECT"]
    rc, out, err = aw("plan", ZONE, *WANT, env=env_l)
    tap(rc == 0, "without a project the key file's project_id is used (%d)" % rc)
    rc, out, err = aw("plan", ZONE, *WANT, env=dict(env_l, GCE_PROJECT="other-project"))
    tap(rc == 4 and "403" in err, "a project the account may not use: 403 (%d)" % rc)
    os.chmod(keyfile, 0o644)
    rc, out, err = aw("plan", ZONE, *WANT, env=env)
    tap(rc == 2 and "600" in err, "a key file readable by others is refused (%d %s)" % (rc, err.strip()))
    os.chmod(keyfile, 0o600)
    del env_l["GCE_SERVICE_ACCOUNT_FILE"]
    rc, out, err = aw("plan", ZONE, *WANT, env=env_l)
    tap(rc == 2 and "GOOGLE_APPLICATION_CREDENTIALS" in err, "no key file: exit 2 naming "
        "GOOGLE_APPLICATION_CREDENTIALS (%d)" % rc)

    kept = [open(os.path.join(d, f), errors="replace").read()
            for d, _, fs in os.walk(os.path.join(tmp, "state")) for f in fs]
    tap(kept and not any("PRIVATE KEY" in k or "ya29." in k for k in kept),
        "the journals hold neither the key nor a token (%d files)" % len(kept))
    st = fake.control("/__fake/log")
    tap(st["errors"] == [], "the fake saw no contract violation: %s" % st["errors"][:3])


if __name__ == "__main__":
    sys.exit(main())
