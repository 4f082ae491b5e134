"""Keys made by `authwizard dkim keygen` (RSA and Ed25519), published in a
zone created through the test bed's PowerDNS API, sign a message with dkimpy
and verify with dkimpy's verifier reading the key from that server;
`authwizard dkim verify` agrees, and says mismatch for another key."""
import base64
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402

import dkim  # noqa: E402
import dns.message  # noqa: E402
import dns.query  # noqa: E402
import dns.rdatatype  # noqa: E402

api = need("AW_TB_PDNS_API")
key = need("AW_TB_PDNS_KEY")
pdns = need("AW_TB_PDNS_DNS")
host, port = pdns.rsplit(":", 1)
port = int(port)
tmp = tempfile.mkdtemp(prefix="aw-dkimpy-")
zone = "dkimpy%d.test" % random.randrange(10**6, 10**7)


def api_call(method, path, body=None):
    req = urllib.request.Request(api + "/api/v1/servers/localhost" + path,
                                 method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"X-API-Key": key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.read()


def txt(name):
    """The joined TXT value at name from the PowerDNS server, or None."""
    q = dns.message.make_query(name, dns.rdatatype.TXT)
    try:
        r = dns.query.udp(q, host, port=port, timeout=2)
        if r.flags & dns.flags.TC:
            r = dns.query.tcp(q, host, port=port, timeout=2)
    except Exception:
        return None
    for rrset in r.answer:
        if rrset.rdtype == dns.rdatatype.TXT:
            return b"".join(list(rrset.items)[0].strings)
    return None


def dnsfunc(name, timeout=5):
    if isinstance(name, bytes):
        name = name.decode()
    return txt(name)


keys = {}
for kind, sel, extra in (("rsa", "aw-rsa", []), ("ed25519", "aw-ed", ["--type", "ed25519"]),
                         ("rsa-other", "aw-other", [])):
    path = os.path.join(tmp, sel + ".pem")
    r = aw("dkim", "keygen", "--domain", zone, "--selector", sel, "--out", path,
           "--json", *extra)
    doc = json.loads(r.stdout) if r.returncode == 0 else {}
    keys[kind] = (sel, path, doc)
    if kind != "rsa-other":
        ok(r.returncode == 0 and os.stat(path).st_mode & 0o777 == 0o600,
           f"keygen {kind}: the private key file is written with mode 0600", r.stderr)
        ok(all(len(s) <= 255 for s in doc.get("strings", [])) and
           "".join(doc.get("strings", [])) == doc.get("record"),
           f"keygen {kind}: the record split into <=255-byte strings joins back", doc)
        ok("PRIVATE KEY" not in r.stdout, f"keygen {kind}: the private key is not printed")

r = aw("dkim", "keygen", "--domain", zone, "--selector", "aw-rsa",
       "--out", keys["rsa"][1])
ok(r.returncode == 6 and "exists" in r.stderr, "keygen never overwrites without --force", r.stderr)


def small_disk():
    """In the child: files over 64 bytes fail with EFBIG (SIGXFSZ ignored)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, resource.RLIM_INFINITY))


old_key = open(keys["rsa"][1], "rb").read()
r = subprocess.run([os.environ["AW_BIN"], "dkim", "keygen", "--domain", zone, "--selector", "aw-rsa",
                    "--out", keys["rsa"][1], "--force"], capture_output=True, text=True,
                   timeout=60, preexec_fn=small_disk, env=dict(os.environ, LC_ALL="C"))
ok(r.returncode == 6 and keys["rsa"][1] in r.stderr and "File too large" in r.stderr and
   open(keys["rsa"][1], "rb").read() == old_key and
   sorted(os.listdir(tmp)) == sorted(os.path.basename(k[1]) for k in keys.values()),
   "keygen --force on a full disk: exit 6 naming the file, the old key kept, no temporary",
   (r.returncode, r.stderr, os.listdir(tmp)))

rrsets = []
for kind in ("rsa", "ed25519"):
    sel, path, doc = keys[kind]
    content = " ".join('"%s"' % s for s in doc["strings"])
    rrsets.append({"name": f"{sel}._domainkey.{zone}.", "type": "TXT", "ttl": 60,
                   "changetype": "REPLACE", "records": [{"content": content, "disabled": False}]})
status, _ = api_call("POST", "/zones", {"name": zone + ".", "kind": "Native",
                                         "nameservers": ["ns1.example.test."],
                                         "rrsets": rrsets})
ok(status == 201, "the zone is created through the PowerDNS API", status)
deadline = time.time() + 20
while time.time() < deadline and txt(f"aw-ed._domainkey.{zone}") is None:
    time.sleep(0.1)   # polling for the record to be served
ok(txt(f"aw-rsa._domainkey.{zone}") == keys["rsa"][2]["record"].encode(),
   "PowerDNS serves the RSA key record exactly")

message = (b"From: Alice <alice@" + zone.encode() + b">\r\nTo: bob@example.test\r\n"
           b"Subject: authwizard dkimpy test\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
           b"Message-ID: <t1@" + zone.encode() + b">\r\n\r\nHello.\r\n")

for kind, alg in (("rsa", b"rsa-sha256"), ("ed25519", b"ed25519-sha256")):
    sel, path, doc = keys[kind]
    pem = open(path, "rb").read()
    if kind == "ed25519":
        # dkimpy wants the raw 32-byte seed in base64; PKCS#8 ends with it.
        der = base64.b64decode(b"".join(l for l in pem.splitlines() if not l.startswith(b"-----")))
        priv = base64.b64encode(der[-32:])
    else:
        priv = pem
    try:
        sig = dkim.sign(message, sel.encode(), zone.encode(), priv,
                        signature_algorithm=alg,
                        include_headers=[b"from", b"to", b"subject", b"date"])
        good = dkim.verify(sig + message, dnsfunc=dnsfunc)
        err = ""
    except Exception as e:  # report, not crash
        good, err = False, repr(e)
    ok(good, f"dkimpy signs with the {kind} key and verifies it from the DNS server", err)
    tampered = (sig + message).replace(b"Hello.", b"Hullo.") if good else b""
    ok(good and not dkim.verify(tampered, dnsfunc=dnsfunc),
       f"dkimpy rejects a tampered message ({kind}): the test can fail")

    r = aw("dkim", "verify", "--domain", zone, "--selector", sel, "--key", path,
           "--dns-server", pdns, "--json")
    vdoc = json.loads(r.stdout) if r.stdout.strip() else {}
    ok(r.returncode == 0 and vdoc.get("match") is True and vdoc.get("status") in ("ok", "warning"),
       f"authwizard dkim verify agrees: {kind} key matches", r.stdout[-600:] + r.stderr)
    r = aw("dkim", "verify", "--domain", zone, "--selector", sel, "--key",
           keys["rsa-other"][1], "--dns-server", pdns)
    ok(r.returncode == 1 and "mismatch" in r.stdout,
       f"authwizard dkim verify says mismatch for another key ({kind} published)", r.stdout[-400:])
    r = aw("dkim", zone, "--selector", sel, "--dns-server", pdns, "--json")
    cdoc = json.loads(r.stdout) if r.stdout.strip() else {}
    ok(cdoc.get("record") == doc["record"] and cdoc.get("errors") == [] and
       cdoc.get("public_key", {}).get("usable") is True,
       f"authwizard dkim checks the {kind} key as valid", r.stdout[-600:])

try:
    api_call("DELETE", f"/zones/{zone}.")
except Exception:
    pass
for f in os.listdir(tmp):
    os.unlink(os.path.join(tmp, f))
os.rmdir(tmp)
done()
