#!/usr/bin/python3
"""providers_digitalocean.py: plan/apply/re-apply/undo/watch through the
DigitalOcean fake (tests/fakes/digitalocean_fake.py, which validates each
request against the vendor's OpenAPI in tests/specs), the cases of
tests/fakes/hostcases.py: paging at 3 records a page, 429/500 retried, the
host's error id and message shown, bad and read-only tokens, token file.
TAP output."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from fakelib import Fake, aw  # noqa: E402
from hostcases import run_all  # noqa: E402


def records(fake, zone, name, rtype):
    for z in fake.control("/__fake/state")["zones"]:
        if z["name"] != zone:
            continue
        rel = "@" if name == zone else name[:-len(zone) - 1]
        return [r for r in z["records"] if r["name"] == rel and r["type"] == rtype]
    return []


def seed(fake, zone, txt, many):
    fake.control("/__fake/seed", {
        "tokens": {"tok-write": "write", "tok-read": "read"}, "page_cap": 3,
        "zones": [{"name": zone, "records":
                   [{"type": "TXT", "name": "@", "data": v, "ttl": 300} for v in txt] +
                   [{"type": "TXT", "name": "many", "data": v, "ttl": 300} for v in many] +
                   [{"type": "A", "name": "www", "data": "192.0.2.80", "ttl": 1800}]}]})


def cname(fake, zone, name):
    r = records(fake, zone, name, "CNAME")
    return r[0]["data"] if len(r) == 1 else None


def post_not_replayed(tap, fake, env):
    """A 500 to a POST is not sent again (a second POST could make a second
    record); the read-back decides what was made."""
    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "POST", "path": "/records$", "status": 500,
                                   "times": 1})
    rc, out, err = aw("apply", "do.test", "--yes", "--provider", "digitalocean",
                      "--txt", "fivehundred=x1", env=env)
    posts = [e for e in fake.control("/__fake/log")["log"] if e["method"] == "POST"]
    tap(rc != 0 and len(posts) == 1 and records(fake, "do.test", "fivehundred.do.test", "TXT") == []
        and "fivehundred" in err,
        "a 500 to a POST: not sent twice, the change reported not made (%d, %d POSTs)"
        % (rc, len(posts)))


HOST = {
    "id": "digitalocean", "fake": "digitalocean_fake.py", "zone": "do.test",
    "token_env": "DIGITALOCEAN_ACCESS_TOKEN", "lego_env": "DO_AUTH_TOKEN",
    "token_option": "--digitalocean-token-file", "base_env": "DIGITALOCEAN_BASE_URL",
    "other_envs": ["DO_AUTH_TOKEN", "DO_API_URL"],
    "seed": seed,
    "txt": lambda fake, zone, name: [r["data"] for r in records(fake, zone, name, "TXT")],
    # DigitalOcean: TXT data sent bare (providers/digitalocean.c says why).
    "plain": lambda v: v, "stored": lambda v: v,
    "cname": cname, "cname_stored": "s1.dkim.vendor.example.",
    "writes": lambda log: [e for e in log if e["method"] != "GET"],
    "page_param": "page", "list_path": "/records$",
    "write_method": "POST", "write_path": "/records$",
    "error_json": {"id": "unprocessable_entity",
                   "message": "Data needs to be \x1b[31mshorter\x1b[0m"},
    "error_shown": ["unprocessable_entity", "Data needs to be", "422"],
    "bad_token_shown": ["unauthorized", "Unable to authenticate you"],
    "extra": post_not_replayed,
}


def main():
    tmp = tempfile.mkdtemp(prefix="aw-do-")
    fake = Fake(HOST["fake"])
    HOST["base"] = fake.base
    try:
        rc = run_all(HOST, fake, tmp)
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
