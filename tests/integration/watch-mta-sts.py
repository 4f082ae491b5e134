#!/usr/bin/python3
"""watch-mta-sts.py: `watch` notes what a change does to the MTA-STS id
(RFC 8461 §3.1: senders fetch the policy again only when it changes), on
the PowerDNS test bed: an _mta-sts record given to apply as plain TXT
replaces the one there (one record, RFC 8461 §3.1), and the watch of that
apply (its journal) says the id changes from the old to the new one, in
text and in --json "mta_sts_ids"; a change that keeps the id is noted as
such. Prints TAP lines."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, need  # noqa: E402
import pdns_api  # noqa: E402

AW_BIN = os.environ.get("AW_BIN", "./authwizard")
ZONE = "watch-sts.test"
api = need("AW_TB_PDNS_API")
key = need("AW_TB_PDNS_KEY")
dserver = need("AW_TB_PDNS_DNS")
BASE = "/api/v1/servers/localhost/zones"


def api_call(method, path, body=None):
    return pdns_api.api_call(api, key, method, path, body)


def aw(*args):
    p = subprocess.run([AW_BIN] + list(args), capture_output=True, text=True,
                       env=env, stdin=subprocess.DEVNULL, timeout=120)
    return p.returncode, p.stdout, p.stderr


def sts_values():
    _, z = api_call("GET", BASE + "/" + ZONE + ".")
    for rr in z.get("rrsets", []):
        if rr["name"] == "_mta-sts." + ZONE + "." and rr["type"] == "TXT":
            return sorted(r["content"] for r in rr["records"])
    return []


tmp = tempfile.mkdtemp(prefix="aw-watch-sts-")
env = dict(os.environ)
env.update({"PDNS_API_URL": api, "PDNS_API_KEY": key,
            "XDG_STATE_HOME": os.path.join(tmp, "state")})
try:
    try:
        api_call("DELETE", BASE + "/" + ZONE + ".")
    except urllib.error.HTTPError:
        pass
    st, _ = api_call("POST", BASE, {
        "name": ZONE + ".", "kind": "Native", "nameservers": ["ns1." + ZONE + "."],
        "rrsets": [{"name": "_mta-sts." + ZONE + ".", "type": "TXT", "ttl": 300,
                    "changetype": "REPLACE",
                    "records": [{"content": '"v=STSv1; id=20260101000000"',
                                 "disabled": False}]}]})
    ok(st == 201, "test zone with an _mta-sts record created at PowerDNS")
    fast = ["--nameserver", dserver, "--dns-server", dserver, "--interval", "0.2",
            "--dns-timeout", "1", "--dns-tries", "1", "--timeout", "20"]

    rc, out, err = aw("apply", ZONE, "--yes", "--provider", "powerdns",
                      "--dns-server", dserver,
                      "--txt", "_mta-sts=v=STSv1; id=20261206120000")
    ok(rc == 0, "apply of a new _mta-sts record exits 0", (rc, err))
    ok(sts_values() == ['"v=STSv1; id=20261206120000"'],
       "the new record replaced the old one: one MTA-STS record", sts_values())

    rc, out, err = aw("watch", ZONE, *fast)
    ok(rc == 0 and "changes from 20260101000000 to 20261206120000" in out,
       "watch (the journal) notes the id change, old to new", (rc, out, err))
    rc, out, err = aw("watch", ZONE, *fast, "--json")
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {}
    ok(doc.get("mta_sts_ids") == [{"name": "_mta-sts." + ZONE, "change": "changed",
                                   "old_id": "20260101000000",
                                   "new_id": "20261206120000"}],
       "watch --json: mta_sts_ids names the change", doc.get("mta_sts_ids"))

    # The record changes but keeps its id: senders keep the cached policy.
    rc, out, err = aw("apply", ZONE, "--yes", "--provider", "powerdns",
                      "--dns-server", dserver,
                      "--txt", "_mta-sts=v=STSv1; id=20261206120000; ext=1")
    ok(rc == 0, "apply of the same id with another field exits 0", (rc, err))
    rc, out, err = aw("watch", ZONE, *fast)
    ok(rc == 0 and "stays 20261206120000" in out,
       "watch notes that the id stays (the policy is not fetched again)",
       (rc, out, err))
finally:
    try:
        api_call("DELETE", BASE + "/" + ZONE + ".")
    except Exception:
        pass
    shutil.rmtree(tmp, ignore_errors=True)
done()
