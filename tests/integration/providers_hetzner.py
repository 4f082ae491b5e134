#!/usr/bin/python3
"""providers_hetzner.py: plan/apply/re-apply/undo/watch through the Hetzner
Cloud DNS fake (tests/fakes/hetzner_fake.py: its checks written by hand
from Hetzner's OpenAPI, which states no licence and is not kept here), the
cases of tests/fakes/hostcases.py: RRSet lists paged at one a page, actions
polled, 429/500 retried, Hetzner's error code and message shown, bad and
read-only tokens, token file. TAP output."""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from cloudflare_fake import txt_parts  # noqa: E402
from fakelib import Fake, aw  # noqa: E402
from hostcases import run_all  # noqa: E402


def rrset(fake, zone, name, rtype):
    rel = "@" if name == zone else name[:-len(zone) - 1]
    for z in fake.control("/__fake/state")["zones"]:
        if z["name"] == zone:
            for r in z["rrsets"]:
                if r["name"] == rel and r["type"] == rtype:
                    return [v["value"] for v in r["records"]]
    return []


def seed(fake, zone, txt, many):
    sets = [{"name": "@", "type": "TXT", "ttl": 300, "records": ['"%s"' % v for v in txt]},
            {"name": "www", "type": "A", "ttl": None, "records": ["192.0.2.80"]}]
    if many:
        # Four RRSets at one name, one a page: the TXT set is on the last.
        sets += [{"name": "many", "type": "TXT", "ttl": 300,
                  "records": ['"%s"' % v for v in many]},
                 {"name": "many", "type": "A", "ttl": 300, "records": ["192.0.2.1"]},
                 {"name": "many", "type": "AAAA", "ttl": 300, "records": ["2001:db8::1"]},
                 {"name": "many", "type": "MX", "ttl": 300, "records": ["10 mx.example."]}]
    fake.control("/__fake/seed", {
        "tokens": {"tok-write": "write", "tok-read": "read"}, "page_cap": 1,
        "action_polls": 2, "zones": [{"name": zone, "rrsets": sets}]})


def plain(stored):
    parts = txt_parts(stored)
    return b"".join(parts).decode() if parts is not None else "UNQUOTED:" + stored


def cname(fake, zone, name):
    r = rrset(fake, zone, name, "CNAME")
    return r[0] if len(r) == 1 else None


def actions_polled(tap, fake, env):
    """A change's action still running is looked at again until it says
    success; the apply ends only then."""
    fake.control("/__fake/seed", {"action_polls": 3})
    fake.control("/__fake/clear")
    rc, out, err = aw("apply", "hetzner.test", "--yes", "--provider", "hetzner",
                      "--txt", "@=polled=1", env=env)
    looks = [e for e in fake.control("/__fake/log")["log"]
             if e["path"].startswith("/v1/zones/actions/")]
    tap(rc == 0 and len(looks) == 4 and '"polled=1"' in rrset(fake, "hetzner.test",
                                                              "hetzner.test", "TXT"),
        "the set_records action is polled until success (%d looks, %d)" % (len(looks), rc))
    fake.control("/__fake/seed", {"action_polls": 1})


def rrset_ttl(fake, zone, rel, rtype):
    for z in fake.control("/__fake/state")["zones"]:
        if z["name"] == zone:
            for r in z["rrsets"]:
                if r["name"] == rel and r["type"] == rtype:
                    return r["ttl"]
    return "absent"


def ttl_changes(tap, fake, env):
    """A TTL change on an existing RRSet is sent (change_ttl: set_records
    keeps the TTL): with new values, set_records then change_ttl; a TTL
    alone, change_ttl only; applied again, nothing is written."""
    zone = "hetzner.test"
    tmpd = os.path.dirname(env["XDG_STATE_HOME"])
    rc, _, err = aw("apply", zone, "--yes", "--provider", "hetzner", "--txt", "ttl=one",
                    env=env)
    tap(rc == 0 and rrset_ttl(fake, zone, "ttl", "TXT") == 3600,
        "ttl: a new RRSet is created with the default TTL (%d %s)" % (rc, err.strip()))
    path = os.path.join(tmpd, "ttl-plan.json")
    rc, _, err = aw("plan", zone, "--provider", "hetzner", "--txt", "ttl=two", "--out", path,
                    env=env)
    plan = json.load(open(path)) if rc == 0 else {"changes": []}
    for c in plan["changes"]:
        c["new"]["ttl"] = 600
    json.dump(plan, open(path, "w"))
    fake.control("/__fake/clear")
    rc, _, err = aw("apply", "--plan", path, "--yes", env=env)
    writes = [(e["method"], e["path"].rsplit("/", 1)[-1])
              for e in fake.control("/__fake/log")["log"] if e["method"] != "GET"]
    tap(rc == 0 and rrset_ttl(fake, zone, "ttl", "TXT") == 600 and
        sorted(plain(v) for v in rrset(fake, zone, "ttl." + zone, "TXT")) == ["one", "two"],
        "ttl: values and TTL 3600->600 both changed (%d %s %s)" % (
            rc, rrset_ttl(fake, zone, "ttl", "TXT"), err.strip()))
    tap(writes == [("POST", "set_records"), ("POST", "change_ttl")],
        "ttl: set_records, then change_ttl: %s" % writes)
    # The TTL alone: the same values, 600 -> 900.
    for c in plan["changes"]:
        c["old"]["values"] = c["new"]["values"]
        c["old"]["ttl"] = 600
        c["new"]["ttl"] = 900
    json.dump(plan, open(path, "w"))
    fake.control("/__fake/clear")
    rc, _, err = aw("apply", "--plan", path, "--yes", env=env)
    writes = [(e["method"], e["path"].rsplit("/", 1)[-1])
              for e in fake.control("/__fake/log")["log"] if e["method"] != "GET"]
    tap(rc == 0 and rrset_ttl(fake, zone, "ttl", "TXT") == 900 and writes ==
        [("POST", "change_ttl")],
        "ttl: a TTL-only change is change_ttl alone (%d %s %s)" % (rc, writes, err.strip()))
    fake.control("/__fake/clear")
    rc, _, err = aw("apply", "--plan", path, "--yes", env=env)
    writes = [e for e in fake.control("/__fake/log")["log"] if e["method"] != "GET"]
    tap(rc == 0 and not writes and rrset_ttl(fake, zone, "ttl", "TXT") == 900,
        "ttl: applied again, nothing is written (%d, %d writes)" % (rc, len(writes)))


def extra(tap, fake, env):
    actions_polled(tap, fake, env)
    ttl_changes(tap, fake, env)


HOST = {
    "id": "hetzner", "fake": "hetzner_fake.py", "zone": "hetzner.test",
    "token_env": "HCLOUD_TOKEN", "lego_env": "HETZNER_API_TOKEN",
    "token_option": "--hetzner-token-file", "base_env": "HCLOUD_ENDPOINT",
    "other_envs": ["HETZNER_API_TOKEN"],
    "seed": seed,
    "txt": lambda fake, zone, name: rrset(fake, zone, name, "TXT"),
    # Hetzner: TXT as quoted strings of at most 255 characters.
    "plain": plain, "stored": lambda v: '"%s"' % v,
    "cname": cname, "cname_stored": "s1.dkim.vendor.example.",
    "writes": lambda log: [e for e in log if e["method"] != "GET"],
    "page_param": "page", "list_path": "/rrsets$",
    "write_method": "POST", "write_path": "/rrsets$",
    "error_json": {"error": {"code": "invalid_input",
                             "message": "invalid input in field 'records': \x1b[31mbad\x1b[0m",
                             "details": {"fields": [{"name": "records",
                                                     "messages": ["bad"]}]}}},
    "error_shown": ["invalid_input: invalid input in field 'records'", "422"],
    "bad_token_shown": ["unauthorized", "invalid or unknown token"],
    "extra": extra,
}


def main():
    tmp = tempfile.mkdtemp(prefix="aw-hetzner-")
    fake = Fake(HOST["fake"])
    HOST["base"] = fake.base + "/v1"
    os.environ["AW_HETZNER_POLL_MS"] = "10"
    try:
        rc = run_all(HOST, fake, tmp)
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
