#!/usr/bin/python3
"""preflight_powerdns.py: nothing that breaks mail gets published. On the
real PowerDNS of the test bed, a zone whose SPF costs 6 DNS lookups gets a
sender whose include costs 5 (the LeadDesk case, tests/zones/leaddesk.test
served by Knot): plan shows the preflight error and the lighter include,
apply refuses with exit 7 and the SOA serial unchanged, --force publishes,
--spf-replace to the lighter include publishes one record under 10 lookups
with the verification TXT untouched. Needs AW_TB_DNS (Knot, includes) and
AW_TB_PDNS_* (tests/testbed.sh). Prints TAP lines."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error

import dns.message
import dns.query
import dns.rdatatype

AW_BIN = os.environ.get("AW_BIN", "./authwizard")
ZONE = "pf-rt.test"
SPF6 = "v=spf1 include:spf.crm.test include:big.costly.test include:_spf.esp.test -all"
VERIFY = "google-site-verification=pf123"
n = 0
failed = 0


def tap(ok, what):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (n, what), flush=True)
    return ok


sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from pdns_api import api_call  # noqa: E402


def query(server, name, rdtype):
    host, port = server.rsplit(":", 1)
    return dns.query.udp(dns.message.make_query(name, rdtype), host,
                         port=int(port), timeout=3)


def txt_values(server, name):
    out = []
    for rrset in query(server, name, "TXT").answer:
        if rrset.rdtype == dns.rdatatype.TXT:
            for rd in rrset:
                out.append(b"".join(rd.strings).decode())
    return sorted(out)


def soa_serial(server):
    return query(server, ZONE, "SOA").answer[0][0].serial


def make_zone(api, key):
    base = "/api/v1/servers/localhost/zones"
    try:
        api_call(api, key, "DELETE", base + "/" + ZONE + ".")
    except urllib.error.HTTPError:
        pass
    st, _ = api_call(api, key, "POST", base, {
        "name": ZONE + ".", "kind": "Native", "nameservers": ["ns1." + ZONE + "."],
        "rrsets": [{"name": ZONE + ".", "type": "TXT", "ttl": 300,
                    "changetype": "REPLACE",
                    "records": [{"content": '"%s"' % v, "disabled": False}
                                for v in (SPF6, VERIFY)]}]})
    return st == 201


def main():
    knot = os.environ.get("AW_TB_DNS")
    api = os.environ.get("AW_TB_PDNS_API")
    key = os.environ.get("AW_TB_PDNS_KEY")
    pdns = os.environ.get("AW_TB_PDNS_DNS")
    if not (knot and api and key and pdns):
        print("1..0 # SKIP the test bed is not running (tests/testbed.sh)")
        return 0
    tmp = tempfile.mkdtemp(prefix="aw-preflight-")
    try:
        run(tmp, knot, api, key, pdns)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % n)
    return 1 if failed else 0


def run(tmp, knot, api, key, pdns):
    # The catalog learns the test bed's LeadDesk pair from a user file,
    # as it learns _spf.leaddesk.com -> _spf5.leaddesk.com from senders.json.
    xdg = os.path.join(tmp, "config")
    sd = os.path.join(xdg, "authwizard", "senders.d")
    os.makedirs(sd)
    with open(os.path.join(sd, "leaddesk-test.json"), "w") as f:
        json.dump({"id": "leaddesk-test", "name": "LeadDesk (test bed)",
                   "spf": [{"include": "_spf.leaddesk.test", "lookups": 5,
                            "lighter": "_spf5.leaddesk.test"}]}, f)
    env = dict(os.environ)
    env.update({"PDNS_API_URL": api, "PDNS_API_KEY": key,
                "XDG_CONFIG_HOME": xdg,
                "XDG_STATE_HOME": os.path.join(tmp, "state")})

    def aw(*args):
        p = subprocess.run([AW_BIN] + list(args), capture_output=True,
                           text=True, env=env, stdin=subprocess.DEVNULL,
                           timeout=120)
        return p.returncode, p.stdout, p.stderr

    want = ["--provider", "powerdns", "--dns-server", knot,
            "--spf-include", "_spf.leaddesk.test"]
    tap(make_zone(api, key), "a zone whose SPF costs 6 lookups, with a verification TXT")

    rc, out, err = aw("plan", ZONE, "--json", *want)
    plan = json.loads(out) if out.strip() else {}
    pf = plan.get("preflight", [])
    lim = [x for x in pf if x.get("code") == "spf.lookup-limit"]
    tap(rc == 0 and lim and lim[0]["severity"] == "error" and
        lim[0]["name"] == ZONE and lim[0]["rfc"] == "RFC 7208 §4.6.4" and
        "11" in lim[0]["message"],
        "plan --json: preflight error spf.lookup-limit for 11 lookups (%s)" % lim)
    light = [x for x in pf if x.get("code") == "spf.fix-lighter-include"]
    tap(light and "_spf5.leaddesk.test" in light[0]["message"] and
        "_spf5.leaddesk.test" in lim[0]["message"] if lim else False,
        "the finding names the sender's lighter include _spf5.leaddesk.test")
    tap(all(set(x) == {"code", "severity", "name", "message", "rfc"} for x in pf),
        "each preflight finding has code, severity, name, message, rfc")

    rc, out, err = aw("plan", ZONE, *want)
    tap(rc == 0 and "Preflight" in out and "spf.lookup-limit" in out and
        out.index("Preflight") > out.index("+ \"v=spf1"),
        "plan prints the preflight below the diff")

    serial0 = soa_serial(pdns)
    rc, out, err = aw("apply", ZONE, "--yes", *want)
    tap(rc == 7, "apply of the 6+5-lookup merge exits 7 (%d)" % rc)
    tap("nothing was sent" in err and "--force" in err and
        "_spf5.leaddesk.test" in err,
        "the refusal names the problem, the fix and --force")
    tap(soa_serial(pdns) == serial0 and txt_values(pdns, ZONE) == sorted([SPF6, VERIFY]),
        "nothing reached PowerDNS: SOA serial %s unchanged, records as before" % serial0)
    tap(not os.path.exists(os.path.join(tmp, "state", "authwizard", ZONE + ".journal.json")),
        "no journal was written for the refused apply")

    rc, out, err = aw("apply", ZONE, "--yes", "--force", *want)
    spf = [v for v in txt_values(pdns, ZONE) if v.startswith("v=spf1")]
    tap(rc == 0 and len(spf) == 1 and "include:_spf.leaddesk.test" in spf[0] and
        "--force" in err,
        "--force publishes it anyway, with a warning (%d)" % rc)
    tap(soa_serial(pdns) != serial0, "the SOA serial moved with the forced apply")

    # The fix: the lighter include swapped in for the heavy one.
    tap(make_zone(api, key), "the zone back to 6 lookups")
    fix = ["--spf-replace", "include:_spf.leaddesk.test=include:_spf5.leaddesk.test"]
    rc, out, err = aw("plan", ZONE, "--json", *want, *fix)
    plan = json.loads(out) if out.strip() else {}
    tap(rc == 0 and len(plan.get("changes", [])) == 1 and
        not [x for x in plan.get("preflight", []) if x["severity"] == "error"],
        "with the lighter include the preflight finds no error (%s)" % plan.get("preflight"))
    rc, out, err = aw("apply", ZONE, "--yes", *want, *fix)
    spf = [v for v in txt_values(pdns, ZONE) if v.startswith("v=spf1")]
    tap(rc == 0 and spf == [SPF6.replace(" -all", " include:_spf5.leaddesk.test -all")],
        "--spf-replace publishes one SPF record with the lighter include (%d: %s %s)"
        % (rc, spf, err.strip()))
    tap(VERIFY in txt_values(pdns, ZONE), "the verification TXT is untouched")
    rc, out, err = aw("plan", ZONE, "--provider", "powerdns", "--dns-server", knot,
                      "--spf-all", "~all")
    tap(rc == 0 and "spf.weaken-all" in out, "-all to ~all is a preflight warning with weaken in its code")
    rc, out, err = aw("apply", ZONE, "--yes", "--provider", "powerdns", "--dns-server", knot,
                      "--spf-remove", "include:nothere.test")
    tap(rc == 2 and "nothere.test" in err,
        "--spf-remove of a term not in the record is refused, naming it (%d)" % rc)


if __name__ == "__main__":
    sys.exit(main())
