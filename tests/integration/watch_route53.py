#!/usr/bin/python3
"""watch_route53.py: `authwizard watch` after an apply through Route 53 (the
fake, tests/fakes/route53_fake.py) shows the change's GetChange state,
asked through the provider interface: PENDING for a few polls, then INSYNC;
the watch ends only when the records match on the nameserver (Knot,
tests/zones/r53w.test.zone) and Route 53 says INSYNC. TAP output."""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from fakelib import Fake, Tap, aw  # noqa: E402

ZONE = "r53w.test"
WANT = ["--txt", "@=hello=r53", "--dmarc", "v=DMARC1; p=none"]
tap = Tap()


def main():
    dnsserver = os.environ.get("AW_TB_DNS")
    if not dnsserver:
        print("1..0 # SKIP the test bed is not running (make check starts it)")
        return 0
    tmp = tempfile.mkdtemp(prefix="aw-r53w-")
    fake = Fake("route53_fake.py")
    try:
        run(fake, tmp, dnsserver)
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


def getchanges(fake):
    return [e for e in fake.control("/__fake/log")["log"]
            if "/2013-04-01/change/" in json.dumps(e)]


def run(fake, tmp, dnsserver):
    fake.control("/__fake/seed", {
        "credentials": {"AKIDTEST": {"secret": "s3cret"}}, "insync_after": 1,
        "zones": [{"name": ZONE, "rrsets": [
            {"name": ZONE, "type": "TXT", "ttl": 300, "values": ['"v=spf1 -all"']}]}]})
    env = dict(os.environ)
    env.update({"AWS_ENDPOINT_URL_ROUTE_53": fake.base,
                "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "s3cret",
                "XDG_STATE_HOME": os.path.join(tmp, "state"), "HOME": tmp,
                "AW_HTTP_BACKOFF_MS": "10", "AW_ROUTE53_POLL_MS": "10"})
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_SHARED_CREDENTIALS_FILE"):
        env.pop(k, None)
    ns = ["--nameserver", dnsserver, "--dns-server", dnsserver,
          "--interval", "0.2", "--dns-timeout", "1", "--dns-tries", "1"]

    rc, out, err = aw("apply", ZONE, "--yes", "--provider", "route53", *WANT, env=env)
    tap(rc == 0, "apply through the Route 53 fake exits 0 (%d %s)" % (rc, err.strip()))
    jpath = os.path.join(tmp, "state", "authwizard", ZONE + ".1.journal.json")
    try:
        journal = json.load(open(jpath))
    except (OSError, ValueError):
        journal = {"changes": []}
    ids = {c.get("host_change_id") for c in journal["changes"]} - {None}
    tap(len(ids) == 1, "the journal keeps the change id: %s" % sorted(ids))
    cid = ids.pop() if ids else "?"

    # Route 53 now takes 4 more polls to say INSYNC.
    fake.control("/__fake/seed", {"insync_after": 5})
    fake.control("/__fake/clear")
    rc, out, err = aw("watch", ZONE, *ns, "--timeout", "30", env=env)
    tap(rc == 0, "watch of the last apply: exit 0 once INSYNC (%d %s)" % (rc, err.strip()))
    pend = out.find("change %s: PENDING" % cid)
    sync = out.find("change %s: INSYNC" % cid)
    tap(pend >= 0 and sync > pend, "it shows the Route 53 change PENDING, then INSYNC")
    polls = getchanges(fake)
    tap(len(polls) >= 4, "GetChange was polled until INSYNC (%d polls)" % len(polls))
    tap(out.count("hello=r53") >= 1 and "Every nameserver serves the expected records" in out,
        "the records are watched on the nameserver too")

    # A change that never gets INSYNC: records match, the watch still fails
    # at its deadline and --json says why.
    fake.control("/__fake/seed", {"insync_after": 100000})
    rc, out, err = aw("watch", ZONE, *ns, "--timeout", "1.5", "--json", env=env)
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {}
    hc = doc.get("host_changes", [])
    tap(rc == 1 and len(hc) == 1 and hc[0]["state"] == "PENDING" and hc[0]["synced"] is False and
        hc[0].get("provider") == "route53" and hc[0].get("change_id") == cid,
        "still PENDING at the deadline: exit 1, host_changes in --json (%d %s)" % (rc, hc))
    tap(all(set(r["servers"].values()) == {"match"} for r in doc.get("records", [])) and
        doc.get("records"), "... while every record matches on the nameserver")

    # Without credentials the watch does not ask Route 53 and says so.
    env2 = dict(env)
    env2.pop("AWS_ACCESS_KEY_ID")
    env2.pop("AWS_SECRET_ACCESS_KEY")
    env2["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(tmp, "none")
    fake.control("/__fake/clear")
    rc, out, err = aw("watch", ZONE, *ns, "--timeout", "10", env=env2)
    tap(rc == 0 and "not asked for" in out and not getchanges(fake),
        "without AWS credentials: a note, no GetChange, the records decide (%d)" % rc)
    # Route 53 slower than apply's polls: the apply still succeeds (the
    # change is made), says so, and the journal keeps the id for watch.
    fake.control("/__fake/seed", {"insync_after": 100000})
    rc, out, err = aw("apply", ZONE, "--yes", "--provider", "route53",
                      "--txt", "@=slow=1", env=env)
    tap(rc == 0 and "has not said the change" in out and "PENDING" in out,
        "apply past Route 53's polls: exit 0 with a note, not 'stopped midway' (%d %s)"
        % (rc, (out + err).strip()[-200:]))
    # GetChange failing after the batch was accepted: the change is made,
    # the apply says its state is not known (not "stopped midway").
    fake.control("/__fake/seed", {"insync_after": 1})
    fake.control("/__fake/fault", {"method": "GET", "path": "/2013-04-01/change/",
                                   "status": 500, "code": "InternalFailure",
                                   "message": "try later", "times": 50})
    rc, out, err = aw("apply", ZONE, "--yes", "--provider", "route53",
                      "--txt", "@=getchange-fails=1", env=env)
    tap(rc == 0 and "not known" in out and "confirmed" in out,
        "GetChange failing after the batch: exit 0, state not known, records confirmed (%d %s)"
        % (rc, (out + err).strip()[-200:]))
    fake.control("/__fake/clear")
    st = fake.control("/__fake/log")
    tap(st.get("errors") == [], "the fake saw no contract violation: %s" % st.get("errors", [])[:3])


if __name__ == "__main__":
    sys.exit(main())
