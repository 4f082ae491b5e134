#!/usr/bin/python3
"""providers_powerdns.py: plan -> apply -> check -> apply again -> undo on the
real PowerDNS of the test bed (AW_TB_PDNS_API / AW_TB_PDNS_KEY / AW_TB_PDNS_DNS).
Without the test bed it starts its own PowerDNS (TESTBED.md recipe) on free
ports and stops it by PID. Prints TAP lines."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error

import dns.message
import dns.query
import dns.rdatatype

AW_BIN = os.environ.get("AW_BIN", "./authwizard")
ZONE = "pdns-rt.test"
REV = "2.0.192.in-addr.arpa"
n = 0
failed = 0


def tap(ok, what):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (n, what), flush=True)
    return ok


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_own_pdns(tmp):
    """The TESTBED.md recipe; returns (api, key, dns, pid)."""
    d = os.path.join(tmp, "pdns")
    os.makedirs(d)
    db = os.path.join(d, "pdns.sqlite3")
    schema = open("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql").read()
    subprocess.run(["sqlite3", db], input=schema, text=True, check=True)
    dport, wport = free_port(), free_port()
    with open(os.path.join(d, "pdns.conf"), "w") as f:
        f.write("\n".join([
            "launch=gsqlite3", "gsqlite3-database=" + db,
            "local-address=127.0.0.1", "local-port=%d" % dport,
            "api=yes", "api-key=own-key", "webserver=yes",
            "webserver-address=127.0.0.1", "webserver-port=%d" % wport,
            "webserver-allow-from=127.0.0.0/8", "socket-dir=" + d,
            "guardian=no", "daemon=no", "disable-syslog=yes",
            "security-poll-suffix=", ""]))
    proc = subprocess.Popen(["pdns_server", "--config-dir=" + d],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    api = "http://127.0.0.1:%d" % wport
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            api_call(api, "own-key", "GET", "/api/v1/servers/localhost")
            break
        except Exception:
            time.sleep(0.05)   # polling for readiness, not synchronisation
    return api, "own-key", "127.0.0.1:%d" % dport, proc


sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from pdns_api import api_call  # noqa: E402


def query(server, name, rdtype):
    host, port = server.rsplit(":", 1)
    q = dns.message.make_query(name, rdtype)
    return dns.query.udp(q, host, port=int(port), timeout=3)


def txt_values(server, name):
    r = query(server, name, "TXT")
    out = []
    for rrset in r.answer:
        if rrset.rdtype == dns.rdatatype.TXT:
            for rd in rrset:
                out.append(b"".join(rd.strings).decode())
    return sorted(out)


def soa_serial(server):
    r = query(server, ZONE, "SOA")
    return r.answer[0][0].serial


def aw(*args, env=None):
    p = subprocess.run([AW_BIN] + list(args), capture_output=True, text=True,
                       env=env, stdin=subprocess.DEVNULL, timeout=120)
    return p.returncode, p.stdout, p.stderr


def main():
    tmp = tempfile.mkdtemp(prefix="aw-pdns-")
    proc = None
    api = os.environ.get("AW_TB_PDNS_API")
    key = os.environ.get("AW_TB_PDNS_KEY")
    dserver = os.environ.get("AW_TB_PDNS_DNS")
    if not api or not key or not dserver:
        api, key, dserver, proc = start_own_pdns(tmp)
    try:
        run(tmp, api, key, dserver)
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
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
    old_txt = ["v=spf1 include:_spf.old.example ~all",
               "v=spf1 ip4:192.0.2.10 -all",
               "google-site-verification=abc123"]
    st, _ = api_call(api, key, "POST", base, {
        "name": ZONE + ".", "kind": "Native", "nameservers": ["ns1." + ZONE + "."],
        "rrsets": [{"name": ZONE + ".", "type": "TXT", "ttl": 300,
                    "changetype": "REPLACE",
                    "records": [{"content": '"%s"' % v, "disabled": False} for v in old_txt]},
                   {"name": "_dmarc." + ZONE + ".", "type": "TXT", "ttl": 300,
                    "changetype": "REPLACE",
                    "records": [{"content": '"v=DMARC1; p=none"', "disabled": False},
                                {"content": '"other-dmarc-note"', "disabled": False}]},
                   {"name": "s2._domainkey." + ZONE + ".", "type": "TXT", "ttl": 300,
                    "changetype": "REPLACE",
                    "records": [{"content": '"v=DKIM1; p=MFkw"', "disabled": False}]},
                   {"name": "www." + ZONE + ".", "type": "A", "ttl": 300,
                    "changetype": "REPLACE",
                    "records": [{"content": "192.0.2.80", "disabled": False}]}]})
    tap(st == 201, "test zone created through the PowerDNS API")
    try:
        api_call(api, key, "DELETE", base + "/" + REV + ".")
    except urllib.error.HTTPError:
        pass
    st, _ = api_call(api, key, "POST", base, {
        "name": REV + ".", "kind": "Native", "nameservers": ["ns1." + ZONE + "."]})
    tap(st == 201, "a reverse zone created through the PowerDNS API")

    want = ["--provider", "powerdns", "--spf-include", "_spf.vendor.example",
            "--dmarc", "v=DMARC1; p=quarantine; rua=mailto:d@" + ZONE,
            "--dkim-cname", "s1=s1.dkim.vendor.example",
            "--txt", "@=vendor-verification=xyz",
            "--a", "mail=192.0.2.25", "--ptr", "192.0.2.25=mail." + ZONE]
    # The preflight of plan/apply asks DNS about the includes and the CNAME
    # target: the test bed's Knot, which refuses the names it does not
    # serve (unknown: a warning, not a block), never the system's resolver.
    if os.environ.get("AW_TB_DNS"):
        want += ["--dns-server", os.environ["AW_TB_DNS"]]
    rc, out, err = aw("plan", ZONE, "--json", *want, env=env)
    ok = tap(rc == 0, "plan exits 0 (%d: %s)" % (rc, err.strip()))
    plan = json.loads(out) if ok else {"changes": []}
    apex = [c for c in plan["changes"] if c["name"] == ZONE and c["type"] == "TXT"]
    newv = apex[0]["new"]["values"] if apex else []
    spf = [v for v in newv if v.startswith("v=spf1")]
    tap(len(spf) == 1 and "include:_spf.old.example" in spf[0] and
        "ip4:192.0.2.10" in spf[0] and "include:_spf.vendor.example" in spf[0],
        "two SPF records become one merged record: %s" % spf)
    tap("google-site-verification=abc123" in newv and "vendor-verification=xyz" in newv,
        "the google-site-verification TXT stays and the vendor TXT is added")
    tap(any("merged" in note for note in (apex[0]["notes"] if apex else [])),
        "the plan says the SPF records were merged")
    dm = [c for c in plan["changes"] if c["name"] == "_dmarc." + ZONE]
    tap(dm and sorted(dm[0]["new"]["values"]) ==
        sorted(["other-dmarc-note", "v=DMARC1; p=quarantine; rua=mailto:d@" + ZONE]),
        "DMARC replaces only the v=DMARC1 TXT")

    rc, out, err = aw("plan", ZONE, "--provider", "powerdns",
                      "--dkim-cname", "s2=x.example", "--json", env=env)
    j = json.loads(out) if out else {"refused": []}
    tap(rc == 1 and any("CNAME" in r for r in j["refused"]),
        "a CNAME at a name holding a TXT record is refused with the reason")

    rc, out, err = aw("apply", ZONE, *want, env=env)
    tap(rc == 2 and "--yes" in err, "apply without --yes and without a terminal refuses")

    serial0 = soa_serial(dserver)
    rc, out, err = aw("apply", ZONE, "--yes", *want, env=env)
    tap(rc == 0, "apply exits 0 (%d: %s)" % (rc, err.strip()))
    jpath = os.path.join(tmp, "state", "authwizard", ZONE + ".1.journal.json")
    tap(os.path.exists(jpath) and (os.stat(jpath).st_mode & 0o777) == 0o600,
        "the journal is written with mode 0600")

    rc, out, err = aw("check", ZONE, "--dns-server", dserver, "--json", env=env)
    chk = json.loads(out) if out else {}
    spfrec = chk.get("spf", {}).get("records", [])
    tap(len(spfrec) == 1 and "include:_spf.vendor.example" in spfrec[0],
        "authwizard check through the same server sees one merged SPF record")
    tap("quarantine" in (chk.get("dmarc", {}).get("record") or ""),
        "authwizard check sees the new DMARC record")
    r = query(dserver, "s1._domainkey." + ZONE, "CNAME")
    tap(any(str(rd.target).rstrip(".") == "s1.dkim.vendor.example"
            for rrset in r.answer for rd in rrset), "the DKIM CNAME answers")
    tap("google-site-verification=abc123" in txt_values(dserver, ZONE),
        "the verification TXT still answers")
    r = query(dserver, "25." + REV, "PTR")
    tap(any(str(rd.target).rstrip(".") == "mail." + ZONE for rrset in r.answer for rd in rrset),
        "the PTR answers in the reverse zone the same host serves")
    r = query(dserver, "mail." + ZONE, "A")
    tap(any(rd.address == "192.0.2.25" for rrset in r.answer for rd in rrset),
        "the mail host's A record answers")

    serial1 = soa_serial(dserver)
    rc, out, err = aw("apply", ZONE, "--yes", *want, env=env)
    serial2 = soa_serial(dserver)
    tap(rc == 0 and "already as wanted" in out, "applying again: nothing to change")
    tap(serial1 == serial2 and serial1 != serial0,
        "the SOA serial is unchanged by the second apply (%s -> %s)" % (serial1, serial2))

    rc, out, err = aw("undo", ZONE, env=env)
    tap(rc == 0, "undo exits 0 (%d: %s)" % (rc, err.strip()))
    tap(txt_values(dserver, ZONE) == sorted(old_txt),
        "the old apex TXT records answer again")
    tap(sorted(txt_values(dserver, "_dmarc." + ZONE)) ==
        sorted(["v=DMARC1; p=none", "other-dmarc-note"]), "the old DMARC answers again")
    r = query(dserver, "s1._domainkey." + ZONE, "CNAME")
    tap(not any(rrset.rdtype == dns.rdatatype.CNAME for rrset in r.answer),
        "the DKIM CNAME is gone again")
    r = query(dserver, "25." + REV, "PTR")
    tap(not r.answer, "the PTR is gone again")
    rc, out, err = aw("undo", ZONE, env=env)
    tap(rc == 6, "a second undo finds no journal (exit 6)")

    env2 = dict(env)
    env2["PDNS_API_KEY"] = "wrong-key"
    rc, out, err = aw("plan", ZONE, *want, env=env2)
    tap(rc == 4 and "wrong-key" not in err + out,
        "a wrong API key: exit 4, the key is not shown")

    # A saved plan applied later, then applied again.
    pfile = os.path.join(tmp, "saved.plan")
    rc, out, err = aw("plan", ZONE, "--out", pfile, "--provider", "powerdns",
                      "--txt", "@=saved-plan=1", env=env)
    tap(rc == 0 and (os.stat(pfile).st_mode & 0o777) == 0o600, "plan --out saves 0600")
    saved = open(pfile, "rb").read()
    bad = os.path.join(pfile, "x.plan")
    rc, out, err = aw("plan", ZONE, "--out", bad, "--provider", "powerdns",
                      "--txt", "@=saved-plan=1", env=dict(env, LC_ALL="C"))
    tap(rc == 6 and bad in err and "Not a directory" in err and open(pfile, "rb").read() == saved,
        "plan --out FILE that cannot be written: exit 6 naming it and why (%d %s)" % (rc, err.strip()))
    rc, out, err = aw("apply", "--plan", pfile, "--yes", env=env)
    tap(rc == 0 and "saved-plan=1" in txt_values(dserver, ZONE), "apply --plan FILE")
    rc, out, err = aw("apply", "--plan", pfile, "--yes", env=env)
    tap(rc == 0 and "already as wanted" in out, "the same saved plan again changes nothing")

    # An undo whose journal cannot be marked undone (a directory in the
    # way of the rename): every name is restored, so not "stopped midway"
    # (5) but a file not written (6), naming the journal; nothing lost.
    sdir = os.path.join(tmp, "state", "authwizard")
    j2 = os.path.join(sdir, ZONE + ".2.journal.json")
    u2 = os.path.join(sdir, ZONE + ".2.undone.json")
    os.makedirs(os.path.join(u2, "in-the-way"))
    rc, out, err = aw("undo", ZONE, env=env)
    tap(rc == 6 and j2 in err and "not everything reads back" not in out and
        "saved-plan=1" not in txt_values(dserver, ZONE) and os.path.isfile(j2),
        "undo that cannot mark its journal undone: restored, exit 6 naming it (%d: %s | %s)"
        % (rc, err.strip(), out.strip()[-200:]))
    shutil.rmtree(u2)
    rc, out, err = aw("undo", ZONE, env=env)
    tap(rc == 0 and os.path.isfile(u2) and not os.path.exists(j2),
        "undo again once the way is clear marks it undone (%d: %s)" % (rc, err.strip()))


if __name__ == "__main__":
    sys.exit(main())
