#!/usr/bin/python3
"""providers_rfc2136.py: --provider rfc2136 against a real Knot on loopback
(tests/testbed.sh knot with AW_TB_TSIG) and a real BIND 9 (named, keys from
tsig-keygen), each primary for a zone that takes only updates signed with
the test keys: plan -> apply -> apply again (no write)
-> undo, with a BIND key file (hmac-sha512) and with the RFC2136_*
variables (hmac-sha256); a wrong secret is refused and changes nothing; an
edit made between plan and apply is caught and nothing is lost; without
RFC2136_NAMESERVER the SOA MNAME is used (in a namespace of its own). The
servers are stopped by PID. Prints TAP lines."""
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.tsigkeyring
import dns.update

AW_BIN = os.environ.get("AW_BIN", "./authwizard")
SRC = os.environ.get("AW_SRCDIR", ".")
ZONE = "rfc2136-rt.test"
n = 0
failed = 0
secrets = []


label = ""


def tap(ok, what):
    global n, failed
    n += 1
    what = label + what
    if not ok:
        failed += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (n, what), flush=True)
    return ok


ZONEFILE = """$ORIGIN %s.
$TTL 300
@ SOA ns1 hostmaster 1 3600 600 86400 300
@ NS ns1
ns1 A 127.0.0.1
@ TXT "v=spf1 include:_spf.old.example ~all"
@ TXT "v=spf1 ip4:192.0.2.10 -all"
@ TXT "google-site-verification=" "abc123"
_dmarc TXT "v=DMARC1; p=none"
www A 192.0.2.80
""" % ZONE


def rrset(port, name, rdtype):
    """The RRset over TCP as a sorted list of tuples of character-strings
    (TXT) or text."""
    q = dns.message.make_query(name, rdtype)
    r = dns.query.tcp(q, "127.0.0.1", port=port, timeout=5)
    out = []
    for rs in r.answer:
        if rs.rdtype == dns.rdatatype.from_text(rdtype):
            for rd in rs:
                out.append(tuple(s.decode() for s in rd.strings)
                           if rdtype == "TXT" else rd.to_text())
    return sorted(out)


def serial(port):
    q = dns.message.make_query(ZONE, "SOA")
    return dns.query.tcp(q, "127.0.0.1", port=port, timeout=5).answer[0][0].serial


def aw(env, *args):
    p = subprocess.run([AW_BIN] + list(args), capture_output=True, text=True,
                       env=env, stdin=subprocess.DEVNULL, timeout=120)
    both = p.stdout + p.stderr
    for s in secrets:
        if s in both:
            tap(False, "a secret was printed by %s" % " ".join(args[:1]))
    return p.returncode, p.stdout, p.stderr


def main():
    if shutil.which("knotd") is None:
        print("1..0 # SKIP knotd not installed (apt-get install knot knot-dnsutils)")
        return 0
    tmp = tempfile.mkdtemp(prefix="aw-rfc2136-")
    k512 = base64.b64encode(os.urandom(64)).decode()
    k256 = base64.b64encode(os.urandom(32)).decode()
    secrets.extend([k512, k256])
    zf = os.path.join(tmp, ZONE + ".zone")
    with open(zf, "w") as f:
        f.write(ZONEFILE)
    env = dict(os.environ)
    env["AW_TB_TSIG"] = "aw-512 hmac-sha512 %s;aw-256 hmac-sha256 %s" % (k512, k256)
    p = subprocess.run([os.path.join(SRC, "tests", "testbed.sh"), "knot",
                        os.path.join(tmp, "knot"), zf],
                       capture_output=True, text=True, env=env, timeout=60)
    if p.returncode != 0 or not p.stdout.split():
        tap(False, "Knot with the TSIG keys starts (%s)" % p.stderr.strip())
        print("1..%d" % n)
        return 1
    port, pid = (int(x) for x in p.stdout.split()[:2])
    global label
    try:
        label = "Knot: "
        run(os.path.join(tmp, "k"), port, k512, k256)
        run_mname(tmp, k256)
    finally:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        label = "BIND: "
        run_bind(os.path.join(tmp, "b"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % n)
    return 1 if failed else 0


def run(tmp, port, k512, k256):
    os.makedirs(tmp, exist_ok=True)
    server = "127.0.0.1:%d" % port
    keyfile = os.path.join(tmp, "aw-512.key")
    # What `tsig-keygen -a hmac-sha512 aw-512` prints.
    with open(keyfile, "w") as f:
        f.write('key "aw-512" {\n\talgorithm hmac-sha512;\n\tsecret "%s";\n};\n' % k512)
    os.chmod(keyfile, 0o600)
    base = dict(os.environ)
    for k in list(base):
        if k.startswith("RFC2136_"):
            del base[k]
    base["XDG_STATE_HOME"] = os.path.join(tmp, "state")
    dnsopt = ["--dns-server", server]
    want = ["--spf-include", "_spf.vendor.example",
            "--dmarc", "v=DMARC1; p=quarantine",
            "--txt", "@=vendor-verification=xyz"]
    kf = ["--provider", "rfc2136", "--rfc2136-nameserver", server,
          "--tsig-keyfile", keyfile]
    txt0 = rrset(port, ZONE, "TXT")
    s0 = serial(port)

    # A key file others can read is refused.
    os.chmod(keyfile, 0o644)
    rc, out, err = aw(base, "plan", ZONE, *kf, *want, *dnsopt)
    tap(rc != 0 and "chmod 600" in err, "a key file others can read is refused")
    os.chmod(keyfile, 0o600)

    rc, out, err = aw(base, "plan", ZONE, *kf, *want, *dnsopt, "--json")
    ok = tap(rc == 0, "plan with the BIND key file (hmac-sha512) exits 0 (%d: %s)"
             % (rc, err.strip()[-300:]))
    plan = json.loads(out) if ok else {"changes": []}
    apex = [c for c in plan["changes"] if c["name"] == ZONE and c["type"] == "TXT"]
    newv = apex[0]["new"]["values"] if apex else []
    spf = [v for v in newv if v.startswith("v=spf1")]
    tap(len(spf) == 1 and "include:_spf.old.example" in spf[0] and
        "ip4:192.0.2.10" in spf[0] and "include:_spf.vendor.example" in spf[0],
        "two SPF records become one merged record: %s" % spf)
    tap("google-site-verification=abc123" in newv and "vendor-verification=xyz" in newv,
        "the two-string verification TXT is read as one value and kept")

    rc, out, err = aw(base, "apply", ZONE, *kf, *want, *dnsopt, "--yes")
    tap(rc == 0, "apply exits 0 (%d: %s)" % (rc, err.strip()[-300:]))
    txt1 = rrset(port, ZONE, "TXT")
    tap(("google-site-verification=", "abc123") in txt1,
        "the kept TXT is still two character-strings, byte for byte: %s" % txt1)
    tap(len([t for t in txt1 if "".join(t).startswith("v=spf1")]) == 1 and
        ("vendor-verification=xyz",) in txt1, "the server holds one SPF record and the vendor TXT")
    tap(rrset(port, "_dmarc." + ZONE, "TXT") == [("v=DMARC1; p=quarantine",)],
        "DMARC replaced at the server")
    s1 = serial(port)
    tap(s1 > s0, "the zone's serial rose (%d -> %d)" % (s0, s1))

    rc, out, err = aw(base, "apply", ZONE, *kf, *want, *dnsopt, "--yes")
    tap(rc == 0 and "no changes" in out + err and serial(port) == s1,
        "apply again changes nothing (no update sent) (%d, serial %d: %s)"
        % (rc, serial(port), (out + err).strip()[-200:]))

    rc, out, err = aw(base, "undo", ZONE, *kf, *dnsopt)
    tap(rc == 0, "undo exits 0 (%d: %s)" % (rc, err.strip()[-300:]))
    tap(rrset(port, ZONE, "TXT") == txt0,
        "undo puts back the TXT exactly, strings as they were: %s" % rrset(port, ZONE, "TXT"))
    tap(rrset(port, "_dmarc." + ZONE, "TXT") == [("v=DMARC1; p=none",)], "undo puts back DMARC")

    # The RFC2136_* variables, hmac-sha256; first with a wrong secret.
    env = dict(base)
    env.update({"RFC2136_NAMESERVER": server, "RFC2136_TSIG_KEY": "aw-256",
                "RFC2136_TSIG_SECRET": base64.b64encode(os.urandom(32)).decode(),
                "RFC2136_TSIG_ALGORITHM": "hmac-sha256"})
    secrets.append(env["RFC2136_TSIG_SECRET"])
    s2 = serial(port)
    rc, out, err = aw(env, "apply", ZONE, "--provider", "rfc2136", *want, *dnsopt, "--yes")
    tap(rc != 0 and "BADSIG" in err and "NOTAUTH" in err,
        "a wrong secret is refused with the TSIG error (%d: %s)" % (rc, err.strip()[-200:]))
    tap(serial(port) == s2 and rrset(port, ZONE, "TXT") == txt0,
        "after the refused key nothing changed at the server")

    env["RFC2136_TSIG_SECRET"] = k256
    planfile = os.path.join(tmp, "plan.json")
    rc, out, err = aw(env, "plan", ZONE, "--provider", "rfc2136", *want, *dnsopt,
                      "--out", planfile)
    tap(rc == 0, "plan with RFC2136_* (hmac-sha256) exits 0 (%d: %s)" % (rc, err.strip()[-300:]))
    # Someone else edits the apex TXT between plan and apply.
    ring = dns.tsigkeyring.from_text({"aw-256.": ("hmac-sha256", k256)})
    up = dns.update.UpdateMessage(ZONE + ".", keyring=ring, keyname="aw-256.",
                                  keyalgorithm="hmac-sha256.")
    up.add(ZONE + ".", 300, "TXT", '"edited-by-someone-else"')
    r = dns.query.tcp(up, "127.0.0.1", port=port, timeout=5)
    tap(r.rcode() == dns.rcode.NOERROR, "someone else's signed update goes in")
    txt2 = rrset(port, ZONE, "TXT")
    s3 = serial(port)
    rc, out, err = aw(env, "apply", "--provider", "rfc2136", "--plan", planfile,
                      *dnsopt, "--yes")
    tap(rc != 0 and "changed since" in err,
        "apply of the old plan is stopped: the name changed since the plan (%d: %s)"
        % (rc, err.strip()[-200:]))
    tap(rrset(port, ZONE, "TXT") == txt2 and serial(port) == s3,
        "nothing was changed and the other edit is not lost")
    rc, out, err = aw(env, "apply", ZONE, "--provider", "rfc2136", *want, *dnsopt, "--yes")
    tap(rc == 0 and ("edited-by-someone-else",) in rrset(port, ZONE, "TXT"),
        "a new plan applies and keeps the other TXT at the name")
    rc, out, err = aw(env, "undo", ZONE, "--provider", "rfc2136", *dnsopt)
    tap(rc == 0 and rrset(port, ZONE, "TXT") == txt2, "and undo puts it back as it was")


def free_port():
    import socket
    for _ in range(50):
        t = socket.socket()
        t.bind(("127.0.0.1", 0))
        port = t.getsockname()[1]
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.bind(("127.0.0.1", port))
        except OSError:
            t.close()
            u.close()
            continue
        t.close()
        u.close()
        return port
    raise RuntimeError("no free port")


def run_bind(tmp):
    """The same round trip against BIND 9 (named), its keys made by
    tsig-keygen: hmac-sha512 (its key file used as it is) and
    hmac-sha256."""
    if shutil.which("named") is None or shutil.which("tsig-keygen") is None:
        print("ok %d - %sround trip # SKIP named not installed (apt-get install bind9)"
              % (n + 1, label))
        globals()["n"] += 1
        return
    os.makedirs(tmp)
    keys = {}
    for name, alg in (("aw-512", "hmac-sha512"), ("aw-256", "hmac-sha256")):
        text = subprocess.run(["tsig-keygen", "-a", alg, name], capture_output=True,
                              text=True, check=True).stdout
        keys[name] = text
        secrets.append(text.split('secret "')[1].split('"')[0])
    port = free_port()
    zf = os.path.join(tmp, ZONE + ".zone")
    with open(zf, "w") as f:
        f.write(ZONEFILE)
    conf = os.path.join(tmp, "named.conf")
    with open(conf, "w") as f:
        f.write(keys["aw-512"] + keys["aw-256"])
        f.write('options {\n directory "%s";\n listen-on port %d { 127.0.0.1; };\n'
                ' listen-on-v6 { none; };\n pid-file "%s/named.pid";\n'
                ' recursion no;\n dnssec-validation no;\n notify no;\n'
                ' session-keyfile none;\n};\ncontrols { };\n'
                'zone "%s" {\n type primary;\n file "%s";\n'
                ' allow-update { key aw-512; key aw-256; };\n};\n'
                % (tmp, port, tmp, ZONE, zf))
    proc = subprocess.Popen(["named", "-g", "-c", conf], stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(tmp, "named.log"), "w"))
    try:
        up = False
        for _ in range(400):
            try:
                serial(port)
                up = True
                break
            except Exception:
                if proc.poll() is not None:
                    break
                time.sleep(0.05)   # polling for readiness
        if not tap(up, "named answers on 127.0.0.1:%d" % port):
            print(open(os.path.join(tmp, "named.log")).read()[-1500:], file=sys.stderr)
            return
        run(os.path.join(tmp, "run"), port,
            keys["aw-512"].split('secret "')[1].split('"')[0],
            keys["aw-256"].split('secret "')[1].split('"')[0])
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


MNAME_SCRIPT = r"""
set -u
ip link set lo up || exit 90
mount --bind "$T/resolv.conf" /etc/resolv.conf || exit 91
knotd -c "$T/knot.conf" >"$T/knotd.out" 2>&1 &
pid=$!
for i in $(seq 1 200); do
    kdig @127.0.0.1 +tcp +timeout=1 +retry=0 +short SOA "$ZONE" 2>/dev/null | grep -q hostmaster && break
    sleep 0.05   # polling for readiness
done
"$AW_BIN" apply "$ZONE" --provider rfc2136 --txt @=found-by-mname --dns-server 127.0.0.1:53 --yes >"$T/aw.out" 2>&1
echo "rc=$?" >>"$T/aw.out"
kdig @127.0.0.1 +tcp +short TXT "$ZONE" >"$T/txt.out" 2>&1
kill "$pid"
wait "$pid"
exit 0
"""


def run_mname(tmp, k256):
    """Without RFC2136_NAMESERVER the primary is the SOA MNAME (port 53):
    in a network and mount namespace of its own (root only), where Knot
    listens on 127.0.0.1:53 and /etc/resolv.conf points there."""
    if os.geteuid() != 0 or shutil.which("unshare") is None or \
            subprocess.run(["unshare", "-m", "-n", "true"]).returncode != 0:
        print("ok %d - the SOA MNAME as primary # SKIP needs root and unshare" % (n + 1))
        globals()["n"] += 1
        return
    t = os.path.join(tmp, "mname")
    os.makedirs(os.path.join(t, "db"))
    with open(os.path.join(t, ZONE + ".zone"), "w") as f:
        f.write(ZONEFILE)
    with open(os.path.join(t, "resolv.conf"), "w") as f:
        f.write("nameserver 127.0.0.1\noptions attempts:1 timeout:2\n")
    with open(os.path.join(t, "knot.conf"), "w") as f:
        f.write("server:\n    listen: 127.0.0.1@53\n    rundir: %s\n"
                "    user: root:root\ndatabase:\n    storage: %s/db\n"
                "key:\n  - id: aw-256\n    algorithm: hmac-sha256\n    secret: %s\n"
                "acl:\n  - id: up\n    key: aw-256\n    action: update\n"
                "zone:\n  - domain: %s\n    file: %s/%s.zone\n    acl: up\n"
                "    zonefile-sync: -1\n    semantic-checks: off\n"
                % (t, t, k256, ZONE, t, ZONE))
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("RFC2136_"):
            del env[k]
    env.update({"T": t, "ZONE": ZONE, "AW_BIN": os.path.abspath(AW_BIN),
                "RFC2136_TSIG_KEY": "aw-256", "RFC2136_TSIG_SECRET": k256,
                "XDG_STATE_HOME": os.path.join(t, "state")})
    p = subprocess.run(["unshare", "-m", "-n", "bash", "-c", MNAME_SCRIPT],
                       env=env, capture_output=True, text=True, timeout=120)
    out = open(os.path.join(t, "aw.out")).read() if os.path.exists(os.path.join(t, "aw.out")) else p.stderr
    txt = open(os.path.join(t, "txt.out")).read() if os.path.exists(os.path.join(t, "txt.out")) else ""
    tap(p.returncode == 0 and "rc=0" in out and '"found-by-mname"' in txt,
        "without RFC2136_NAMESERVER the update goes to the SOA MNAME's address, port 53 (%s)"
        % out.strip()[-200:])


if __name__ == "__main__":
    sys.exit(main())
