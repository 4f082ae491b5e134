#!/usr/bin/python3
"""providers_hetzner.py: plan/apply/re-apply/undo/watch through the Hetzner
Cloud DNS fake (tests/fakes/hetzner_fake.py: its checks written by hand
from Hetzner's OpenAPI, which states no licence and is not kept here), the
cases of tests/fakes/hostcases.py: RRSet lists paged at one a page, actions
polled, 429/500 retried, Hetzner's error code and message shown, bad and
read-only tokens, token file. TAP output."""
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
    "extra": actions_polled,
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
