#!/usr/bin/python3
"""providers_desec.py: plan/apply/re-apply/undo/watch through the deSEC fake
(tests/fakes/desec_fake.py, which checks each request against
tests/specs/desec-api-v1.contract.md), the cases of tests/fakes/hostcases.py:
RRset lists paged by cursor (Link header) at one item a page, 429/500
retried, deSEC's field and message shown, bad and read-only tokens, token
file. TAP output."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from cloudflare_fake import txt_parts  # noqa: E402
from fakelib import Fake, aw  # noqa: E402
from hostcases import run_all  # noqa: E402


def rrset(fake, zone, name, rtype):
    sub = "" if name == zone else name[:-len(zone) - 1]
    for z in fake.control("/__fake/state")["zones"]:
        if z["name"] == zone:
            for r in z["rrsets"]:
                if r["subname"] == sub and r["type"] == rtype:
                    return r["records"]
    return []


def seed(fake, zone, txt, many):
    sets = [{"subname": "", "type": "TXT", "ttl": 3600, "records": ['"%s"' % v for v in txt]},
            {"subname": "www", "type": "A", "ttl": 3600, "records": ["192.0.2.80"]}]
    if many:
        # Four RRsets at one name, one a page: the TXT set is on the last.
        sets += [{"subname": "many", "type": "TXT", "ttl": 3600,
                  "records": ['"%s"' % v for v in many]},
                 {"subname": "many", "type": "A", "ttl": 3600, "records": ["192.0.2.1"]},
                 {"subname": "many", "type": "AAAA", "ttl": 3600, "records": ["2001:db8::1"]},
                 {"subname": "many", "type": "MX", "ttl": 3600, "records": ["10 mx.example."]}]
    fake.control("/__fake/seed", {
        "tokens": {"tok-write": "write", "tok-read": "read"}, "page_cap": 1,
        "zones": [{"name": zone, "minimum_ttl": 3600, "rrsets": sets}]})


def plain(stored):
    parts = txt_parts(stored)
    return b"".join(parts).decode() if parts is not None else "UNQUOTED:" + stored


def cname(fake, zone, name):
    r = rrset(fake, zone, name, "CNAME")
    return r[0] if len(r) == 1 else None


def one_bulk_request(tap, fake, env):
    """Every change of an apply in one bulk PATCH (deSEC makes it all or
    nothing), and a refused item leaves every RRset as it was."""
    fake.control("/__fake/clear")
    args = ["apply", "desec.test", "--yes", "--provider", "desec",
            "--dmarc", "v=DMARC1; p=none", "--txt", "@=bulk=1", "--txt", "x=bulk=2"]
    rc, out, err = aw(*args, env=env)
    writes = [e for e in fake.control("/__fake/log")["log"] if e["method"] != "GET"]
    tap(rc == 0 and len(writes) == 1 and writes[0]["method"] == "PATCH" and
        len(writes[0]["body"]) == 3,
        "three changes go in one bulk PATCH (%d, %s)" % (rc, [e["method"] for e in writes]))


HOST = {
    "id": "desec", "fake": "desec_fake.py", "zone": "desec.test",
    "token_env": "DESEC_TOKEN", "lego_env": "DESEC_TOKEN",
    "token_option": "--desec-token-file", "base_env": "DESEC_BASE_URL",
    "seed": seed,
    "txt": lambda fake, zone, name: rrset(fake, zone, name, "TXT"),
    # deSEC: every TXT value in double quotes.
    "plain": plain, "stored": lambda v: '"%s"' % v,
    "cname": cname, "cname_stored": "s1.dkim.vendor.example.",
    "writes": lambda log: [e for e in log if e["method"] != "GET"],
    "page_param": "cursor", "list_path": "/rrsets/$",
    "write_method": "PATCH", "write_path": "/rrsets/$", "error_status": 400,
    "error_json": [{"records": ["Record content malformed: \x1b[31mbad\x1b[0m"]}],
    "error_shown": ["records: Record content malformed", "400"],
    "bad_token_shown": ["Invalid token"],
    "extra": one_bulk_request,
}


def main():
    tmp = tempfile.mkdtemp(prefix="aw-desec-")
    fake = Fake(HOST["fake"])
    HOST["base"] = fake.base + "/api/v1/"
    try:
        rc = run_all(HOST, fake, tmp)
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
