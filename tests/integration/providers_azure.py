#!/usr/bin/python3
"""providers_azure.py: plan -> apply -> re-apply (no write) -> watch ->
undo -> watch against the Azure DNS fake (tests/fakes/azure_fake.py: the
Swagger paths, parameters and RecordSet schema of api-version 2018-05-01,
the Entra client-credentials token endpoint, ETags with If-Match /
If-None-Match and 412). Also: the subscription's zones paged two a page
(the resource group found from the zone's id), a concurrent edit between
the read and the write caught (412) with nothing lost, 429 + Retry-After,
a 500 retried, Azure's error shown escaped, a wrong secret, a read-only
principal. TAP output."""
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from fakelib import Fake, Tap, aw  # noqa: E402

ZONE = "azure.test"
SUB = "11111111-2222-3333-4444-555555555555"
OLD = [{"type": "TXT", "name": "@", "properties": {"TTL": 300, "TXTRecords": [
            {"value": ["v=spf1 include:_spf.old.example ~all"]},
            {"value": ["v=spf1 ip4:192.0.2.10 ", "-all"]},
            {"value": ["google-site-verification=abc123"]}]}},
       {"type": "A", "name": "www", "properties": {"TTL": 300, "ARecords": [
            {"ipv4Address": "192.0.2.80"}]}}]
RECORDS = ["--spf-include", "_spf.vendor.example", "--dmarc", "v=DMARC1; p=none",
           "--dkim-cname", "s1=s1.dkim.vendor.example"]
WANT = ["--provider", "azure"] + RECORDS
if os.environ.get("AW_TB_DNS"):
    WANT += ["--dns-server", os.environ["AW_TB_DNS"]]
tap = Tap()


def sets(fake, name=None, rtype=None):
    st = fake.control("/__fake/state")
    return [r for r in st["zones"].get(ZONE, [])
            if (name is None or r["name"] == name) and (rtype is None or r["type"] == rtype)]


def txt(fake, name):
    return ["".join(r["value"]) for s in sets(fake, name, "TXT")
            for r in s["properties"]["TXTRecords"]]


def log(fake):
    return fake.control("/__fake/log")["log"]


def writes(fake):
    return [e for e in log(fake) if e["method"] in ("POST", "PUT", "PATCH", "DELETE")
            and "/oauth2/" not in e["path"]]


def main():
    tmp = tempfile.mkdtemp(prefix="aw-azure-")
    fake = Fake("azure_fake.py")
    try:
        run(fake, tmp)
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


def run(fake, tmp):
    fake.control("/__fake/seed", {
        "clients": {"app-edit": {"secret": "s3cret+/=&value", "perm": "edit"},
                    "app-read": {"secret": "r34d", "perm": "read"}},
        "tenant": "aw-tenant", "subscription": SUB, "max_top": 2,
        "zones": [{"rg": "other-rg", "name": "a-other.test"}, {"rg": "other-rg", "name": "b-other.test"},
                  {"rg": "other-rg", "name": "c-other.test"},
                  {"rg": "dns-rg", "name": ZONE, "recordsets": OLD},
                  {"rg": "other-rg", "name": "zz.azure.test"}]})
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("AZURE_"):
            del env[k]
    env.update({"AZURE_BASE_URL": fake.base, "AZURE_AUTHORITY_HOST": fake.base,
                "AZURE_TENANT_ID": "aw-tenant", "AZURE_CLIENT_ID": "app-edit",
                "AZURE_CLIENT_SECRET": "s3cret+/=&value", "AZURE_SUBSCRIPTION_ID": SUB,
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
        "two SPF records (one in two strings) are read and merged into one: %s" % spf)
    tap(apex and "google-site-verification=abc123" in apex[0]["new"]["values"],
        "the verification TXT stays in the plan")
    zl = [e for e in log(fake) if e["path"].lower().endswith("/dnszones")]
    tap(len(zl) >= 3 and any("$skiptoken" in dict(e["query"]) for e in zl),
        "the subscription's zones are read page by page through nextLink (%d pages)" % len(zl))
    tap(all(e["path"].startswith("/subscriptions/%s/resourceGroups/dns-rg/" % SUB)
            for e in log(fake) if "/TXT/" in e["path"]),
        "the resource group comes from the zone's id")

    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 0, "apply exits 0 (%d %s)" % (rc, err.strip()))
    apex_now = txt(fake, "@")
    spf_now = [v for v in apex_now if "v=spf1" in v]
    tap(len(spf_now) == 1, "exactly one SPF record remains: %s" % spf_now)
    tap("google-site-verification=abc123" in apex_now, "the verification record is kept")
    cn = sets(fake, "s1._domainkey", "CNAME")
    tap(len(cn) == 1 and cn[0]["properties"]["CNAMERecord"]["cname"] == "s1.dkim.vendor.example",
        "the DKIM CNAME is created")
    tap(txt(fake, "_dmarc") == ["v=DMARC1; p=none"], "the DMARC TXT is created")
    w = writes(fake)
    tap(w and all(e["headers"].get("If-Match") or e["headers"].get("If-None-Match") == "*"
                  for e in w),
        "every write is conditional: If-Match with the ETag read, If-None-Match: * to create")

    fake.control("/__fake/clear")
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 0 and writes(fake) == [], "applying again sends no write (%d)" % rc)

    rc, out, err = aw("watch", ZONE, *ns, "--timeout", "20", env=env)
    tap(rc == 0 and "Every nameserver serves the expected records" in out,
        "watch of the last apply: the fake's DNS serves it (%d %s)" % (rc, err.strip()))

    rc, out, err = aw("undo", ZONE, env=env)
    tap(rc == 0, "undo exits 0 (%d %s)" % (rc, err.strip()))
    tap(sorted(txt(fake, "@")) == sorted(["v=spf1 include:_spf.old.example ~all",
                                          "v=spf1 ip4:192.0.2.10 -all",
                                          "google-site-verification=abc123"]),
        "undo restores the old TXT values: %s" % txt(fake, "@"))
    tap(not sets(fake, "s1._domainkey") and not sets(fake, "_dmarc"), "undo removes the created sets")
    rc, out, err = aw("watch", ZONE, *RECORDS, *ns, "--timeout", "1", env=env)
    tap(rc == 1, "after the undo, watching for the new records fails (%d)" % rc)

    # A concurrent edit between the read and the write: 412, nothing lost.
    fake.control("/__fake/clear")
    fake.control("/__fake/edit_after_get", {"zone": ZONE, "type": "TXT", "name": "@", "after": 1,
                                            "add_txt": "someone-else=1"})
    rc, out, err = aw("apply", ZONE, "--yes", "--provider", "azure", "--txt", "@=vendor-a=1",
                      env=env)
    now = txt(fake, "@")
    tap(rc != 0 and "changed by someone else" in err and "412" in err,
        "a concurrent edit is caught: the write is refused with 412 (%d %s)"
        % (rc, err.strip().splitlines()[:1]))
    tap("someone-else=1" in now and "vendor-a=1" not in now and len(now) == 4,
        "nothing is lost: their value is there, ours was not written over it: %s" % now)
    fake.control("/__fake/clear")
    rc, out, err = aw("apply", ZONE, "--yes", "--provider", "azure", "--txt", "@=vendor-a=1",
                      env=env)
    tap(rc == 0 and "someone-else=1" in txt(fake, "@") and "vendor-a=1" in txt(fake, "@"),
        "applied again, both values are there (%d %s)" % (rc, err.strip()))

    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "GET", "path": "/recordsets$", "status": 429,
                                   "message": "Too many requests", "retry_after": 1, "times": 1})
    t0 = time.monotonic()
    rc, out, err = aw("plan", ZONE, *WANT, env=env)
    dt = time.monotonic() - t0
    tap(rc == 0 and dt >= 1.0 and len([e for e in log(fake) if e["path"].endswith("/recordsets")]) >= 2,
        "429 with Retry-After: 1 is retried after a second (%d %.2fs %s)" % (rc, dt, err.strip()))

    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "PUT", "path": "/TXT/", "status": 500,
                                   "message": "oops", "times": 1})
    rc, out, err = aw("apply", ZONE, "--yes", "--provider", "azure", "--txt", "@=vendor-b=1",
                      env=env)
    puts = [e for e in writes(fake) if e["method"] == "PUT"]
    tap(rc == 0 and len(puts) == 2, "a 500 is retried and the apply succeeds (%d PUTs)" % len(puts))

    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "PUT", "path": "/CNAME/", "status": 400,
                                   "message": "The record \x1b[2Jset is invalid", "times": 1})
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 5 and "BadRequest" in err and "code 400" in err and "\x1b" not in err,
        "Azure's code and message are shown, escaped (%d)" % rc)
    aw("undo", ZONE, env=env)

    env_w = dict(env, AZURE_CLIENT_SECRET="wrong-secret-value")
    rc, out, err = aw("plan", ZONE, *WANT, env=env_w)
    tap(rc == 4 and "invalid_client" in err and "AADSTS7000215" in err and
        "wrong-secret-value" not in out + err,
        "a wrong client secret: exit 4 with Entra's error, the secret not shown (%s)" % err.strip())

    env_r = dict(env, AZURE_CLIENT_ID="app-read", AZURE_CLIENT_SECRET="r34d")
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env_r)
    tap(rc in (4, 5) and "AuthorizationFailed" in err and "403" in err,
        "a read-only principal: the write refused with 403 AuthorizationFailed (%d)" % rc)
    tap(not sets(fake, "_dmarc"), "nothing was changed")

    env_g = dict(env, AZURE_RESOURCE_GROUP="dns-rg")
    fake.control("/__fake/clear")
    rc, out, err = aw("plan", ZONE, *WANT, env=env_g)
    tap(rc == 0 and any("/resourceGroups/dns-rg/providers/Microsoft.Network/dnsZones" in e["path"]
                        for e in log(fake)),
        "AZURE_RESOURCE_GROUP lists that group's zones (%d %s)" % (rc, err.strip()))

    sf = os.path.join(tmp, "secret")
    with open(sf, "w") as f:
        f.write("s3cret+/=&value\n")
    os.chmod(sf, 0o644)
    env_f = dict(env)
    del env_f["AZURE_CLIENT_SECRET"]
    rc, out, err = aw("plan", ZONE, "--azure-client-secret-file", sf, *WANT, env=env_f)
    tap(rc == 2 and "600" in err, "a secret file readable by others is refused")
    os.chmod(sf, 0o600)
    rc, out, err = aw("plan", ZONE, "--azure-client-secret-file", sf, *WANT, env=env_f)
    tap(rc == 0, "a 0600 secret file works (%d %s)" % (rc, err.strip()))
    rc, out, err = aw("plan", ZONE, *WANT, env=env_f)
    tap(rc == 2 and "AZURE_CLIENT_SECRET" in err, "no secret: exit 2 naming AZURE_CLIENT_SECRET (%d)" % rc)

    state = os.path.join(tmp, "state")
    kept = [open(os.path.join(d, f), errors="replace").read()
            for d, _, fs in os.walk(state) for f in fs]
    tap(kept and not any("s3cret" in k or "eyJ0eXAi" in k for k in kept),
        "the journals hold neither the client secret nor a token (%d files)" % len(kept))

    st = fake.control("/__fake/log")
    tap(st["errors"] == [], "the fake saw no contract violation: %s" % st["errors"][:3])


if __name__ == "__main__":
    sys.exit(main())
