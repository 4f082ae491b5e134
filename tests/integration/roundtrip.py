#!/usr/bin/python3
"""roundtrip.py: the CLI round trip of issue 5 on the PowerDNS test bed:
plan -> apply -> watch (the last apply, from the journal; exit 0) -> undo ->
watch for the new values fails (non-zero). The watch asks the PowerDNS
server directly (--nameserver AW_TB_PDNS_DNS). Then apply --ptr into a
reverse zone and watch it with discovery (the PTR asked at the reverse
zone's servers). Prints TAP lines."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error

AW_BIN = os.environ.get("AW_BIN", "./authwizard")
ZONE = "pdns-watch.test"
REV = "113.0.203.in-addr.arpa"
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


def aw(*args, env=None):
    p = subprocess.run([AW_BIN] + list(args), capture_output=True, text=True,
                       env=env, stdin=subprocess.DEVNULL, timeout=120)
    return p.returncode, p.stdout, p.stderr


def load(out):
    try:
        return json.loads(out)
    except ValueError:
        return {}


def states(doc):
    """{(type, name, expect, value): set of server states}"""
    out = {}
    for r in doc.get("records", []):
        out[(r["type"], r["name"], r["expect"], r["value"])] = set(r["servers"].values())
    return out


def main():
    api = os.environ.get("AW_TB_PDNS_API")
    key = os.environ.get("AW_TB_PDNS_KEY")
    dserver = os.environ.get("AW_TB_PDNS_DNS")
    if not api or not key or not dserver:
        print("1..0 # SKIP the PowerDNS test bed is not running (make check starts it)")
        return 0
    tmp = tempfile.mkdtemp(prefix="aw-roundtrip-")
    try:
        run(tmp, api, key, dserver)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % n)
    return 1 if failed else 0


def run(tmp, api, key, dserver):
    env = dict(os.environ)
    env.update({"PDNS_API_URL": api, "PDNS_API_KEY": key,
                "XDG_STATE_HOME": os.path.join(tmp, "state")})
    base = "/api/v1/servers/localhost/zones"
    try:
        api_call(api, key, "DELETE", base + "/" + ZONE + ".")
    except urllib.error.HTTPError:
        pass
    old_txt = ["v=spf1 include:_spf.old.example ~all", "v=spf1 ip4:192.0.2.10 -all",
               "google-site-verification=abc123"]
    st, _ = api_call(api, key, "POST", base, {
        "name": ZONE + ".", "kind": "Native", "nameservers": ["ns1." + ZONE + "."],
        "rrsets": [{"name": ZONE + ".", "type": "TXT", "ttl": 300, "changetype": "REPLACE",
                    "records": [{"content": '"%s"' % v, "disabled": False} for v in old_txt]},
                   {"name": "_dmarc." + ZONE + ".", "type": "TXT", "ttl": 300,
                    "changetype": "REPLACE",
                    "records": [{"content": '"v=DMARC1; p=none"', "disabled": False}]}]})
    tap(st == 201, "test zone created through the PowerDNS API")

    want = ["--provider", "powerdns", "--spf-include", "_spf.vendor.example",
            "--dmarc", "v=DMARC1; p=quarantine",
            "--dkim-cname", "s1=s1.dkim.vendor.example",
            "--txt", "@=vendor-verification=xyz"]
    records = [a for a in want[2:]]          # the same record options, for watch
    # The preflight of apply asks DNS about the includes and the CNAME
    # target: the test bed's Knot, which refuses the names it does not
    # serve (unknown: a warning, not a block), never the system's resolver.
    if os.environ.get("AW_TB_DNS"):
        want += ["--dns-server", os.environ["AW_TB_DNS"]]
    ns = ["--nameserver", dserver, "--dns-server", dserver]
    fast = ["--interval", "0.2", "--dns-timeout", "1", "--dns-tries", "1"]

    rc, out, err = aw("plan", ZONE, "--json", *want, env=env)
    plan = load(out)
    apex = [c for c in plan.get("changes", []) if c["name"] == ZONE]
    spf = [v for v in (apex[0]["new"]["values"] if apex else []) if v.startswith("v=spf1")]
    tap(rc == 0 and len(spf) == 1 and "google-site-verification=abc123" in apex[0]["new"]["values"],
        "plan: one merged SPF record, the verification TXT kept (%d %s)" % (rc, err.strip()))

    # Before the apply: the watch for the new values does not converge.
    rc, out, err = aw("watch", ZONE, *records, *ns, *fast, "--timeout", "1", "--json", env=env)
    tap(rc == 1, "watch before the apply: not there yet, exit 1 (%d %s)" % (rc, err.strip()))

    rc, out, err = aw("apply", ZONE, "--yes", *want, env=env)
    tap(rc == 0, "apply exits 0 (%d %s)" % (rc, err.strip()))

    # watch with no record options: the last apply, from the journal.
    rc, out, err = aw("watch", ZONE, *ns, *fast, "--timeout", "20", "--json", env=env)
    doc = load(out)
    st = states(doc)
    tap(rc == 0 and doc.get("converged") is True,
        "watch of the last apply (journal) on the PowerDNS server: exit 0 (%d %s)" % (rc, err.strip()))
    present = [k for k in st if k[2] == "present"]
    absent = [k for k in st if k[2] == "absent"]
    tap(any(k[0] == "TXT" and k[1] == ZONE and k[3].startswith("v=spf1 ") and
            "include:_spf.vendor.example" in k[3] for k in present) and
        ("CNAME", "s1._domainkey." + ZONE, "present", "s1.dkim.vendor.example") in st and
        ("TXT", "_dmarc." + ZONE, "present", "v=DMARC1; p=quarantine") in st and
        ("TXT", ZONE, "present", "vendor-verification=xyz") in st,
        "it watches each value the apply put in: %s" % sorted(k[1] + " " + k[3] for k in present))
    tap(("TXT", ZONE, "absent", "v=spf1 ip4:192.0.2.10 -all") in st and
        ("TXT", ZONE, "absent", "v=spf1 include:_spf.old.example ~all") in st and
        ("TXT", "_dmarc." + ZONE, "absent", "v=DMARC1; p=none") in st,
        "... and each value it took out must be gone: %s" % sorted(k[1] + " " + k[3] for k in absent))
    tap(not any(k[3] == "google-site-verification=abc123" for k in st),
        "the untouched verification TXT is not part of the watch")
    tap(all(s == {"match"} for s in st.values()) and
        [x["name"] for x in doc.get("nameservers", [])] == [dserver],
        "every record matches on the --nameserver given, and only there")

    # The same with the record options, in text form.
    rc, out, err = aw("watch", ZONE, *records, *ns, *fast, "--timeout", "20", env=env)
    tap(rc == 0 and "Every nameserver serves the expected records" in out,
        "watch with plan's record options: exit 0 (%d)" % rc)

    rc, out, err = aw("undo", ZONE, env=env)
    tap(rc == 0, "undo exits 0 (%d %s)" % (rc, err.strip()))

    rc, out, err = aw("watch", ZONE, *records, *ns, *fast, "--timeout", "2", "--json", env=env)
    doc = load(out)
    st = states(doc)
    tap(rc == 1 and doc.get("converged") is False,
        "after undo, the watch for the new values fails: exit 1 (%d %s)" % (rc, err.strip()))
    dm = [r for r in doc.get("records", []) if r["name"] == "_dmarc." + ZONE]
    tap(dm and set(dm[0]["servers"].values()) == {"missing"} and
        ("CNAME", "s1._domainkey." + ZONE, "present", "s1.dkim.vendor.example") in st and
        st[("CNAME", "s1._domainkey." + ZONE, "present", "s1.dkim.vendor.example")] == {"missing"},
        "the server shows the new DMARC and the DKIM CNAME missing")
    tap(dm and isinstance(dm[0].get("cache_ttl"), int) and 0 < dm[0]["cache_ttl"] <= 300,
        "the resolvers' TTL left on the old DMARC answer is shown (%s s)" %
        (dm[0].get("cache_ttl") if dm else None))

    # Without record options after the undo: the old values must be back.
    rc, out, err = aw("watch", ZONE, *ns, *fast, "--timeout", "20", "--json", env=env)
    doc = load(out)
    st = states(doc)
    tap(rc == 0 and ("TXT", "_dmarc." + ZONE, "present", "v=DMARC1; p=none") in st and
        ("TXT", "_dmarc." + ZONE, "absent", "v=DMARC1; p=quarantine") in st and
        ("CNAME", "s1._domainkey." + ZONE, "absent", "s1.dkim.vendor.example") in st and
        ("TXT", ZONE, "present", "v=spf1 ip4:192.0.2.10 -all") in st,
        "after undo, watch without records follows the undo: old values back, new ones gone (%d %s)"
        % (rc, err.strip()))

    # Nothing applied at all for a domain: exit 6.
    rc, out, err = aw("watch", "never-applied.test", *ns, *fast, "--timeout", "2", env=env)
    tap(rc == 6 and "journal" in err, "no apply to watch: exit 6 (%d)" % rc)

    watch_reverse_zone(api, key, base, dserver, env, fast)

    for z in (ZONE, REV):
        try:
            api_call(api, key, "DELETE", base + "/" + z + ".")
        except urllib.error.HTTPError:
            pass


def watch_reverse_zone(api, key, base, dserver, env, fast):
    """apply --ptr writes a PTR into a reverse zone; the watch of that
    apply (journal, no --nameserver) finds the reverse zone and its
    nameservers through the resolver and asks them for the PTR."""
    port = dserver.rsplit(":", 1)[1]
    try:
        api_call(api, key, "DELETE", base + "/" + REV + ".")
    except urllib.error.HTTPError:
        pass
    st, _ = api_call(api, key, "POST", base, {
        "name": REV + ".", "kind": "Native", "nameservers": ["ns1." + ZONE + "."]})
    st2, _ = api_call(api, key, "PATCH", base + "/" + ZONE + ".", {"rrsets": [
        {"name": "ns1." + ZONE + ".", "type": "A", "ttl": 300, "changetype": "REPLACE",
         "records": [{"content": "127.0.0.1", "disabled": False}]}]})
    tap(st == 201 and st2 == 204,
        "a reverse zone %s and the nameserver's address (%s %s)" % (REV, st, st2))
    want = ["--provider", "powerdns", "--a", "mail=203.0.113.25",
            "--ptr", "203.0.113.25=mail." + ZONE]
    rc, out, err = aw("apply", ZONE, "--yes", *want, env=env)
    tap(rc == 0, "apply --a --ptr exits 0 (%d %s)" % (rc, err.strip()))
    disc = ["--dns-server", dserver, "--nameserver-port", port]
    rc, out, err = aw("watch", ZONE, *disc, *fast, "--timeout", "20", "--json", env=env)
    doc = load(out)
    recs = {(r["type"], r["name"]): r for r in doc.get("records", [])}
    ptr = recs.get(("PTR", "25.113.0.203.in-addr.arpa"), {})
    addr = recs.get(("A", "mail." + ZONE), {})
    label = "ns1.%s (127.0.0.1)" % ZONE
    tap(rc == 0 and doc.get("converged") is True and doc.get("not_watched") == [],
        "watch of the apply with discovery: the PTR is watched too, exit 0 (%d %s)"
        % (rc, err.strip()))
    tap(ptr.get("zone") == REV and ptr.get("servers") == {label: "match"} and
        ptr.get("value") == "mail." + ZONE,
        "the PTR is asked in its reverse zone at that zone's nameserver: %s" % ptr)
    tap(addr.get("zone") == ZONE and addr.get("servers") == {label: "match"},
        "the A record is asked in %s: %s" % (ZONE, addr))
    ns = [x for x in doc.get("nameservers", []) if x.get("name") == label]
    tap(len(doc.get("nameservers", [])) == 1 and ns and
        sorted(ns[0].get("zones", [])) == sorted([ZONE, REV]) and
        ns[0].get("address") == "127.0.0.1:" + port,
        "one server, asked for both zones at --nameserver-port: %s" % doc.get("nameservers"))
    rc, out, err = aw("watch", ZONE, *disc, *fast, "--timeout", "20", env=env)
    tap(rc == 0 and ("zone " + REV + ", asked at:") in out,
        "the table says which zone and servers the PTR was asked at (%d)" % rc)


if __name__ == "__main__":
    sys.exit(main())
