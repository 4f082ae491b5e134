"""`check --baseline FILE`: the first run saves each domain's records and
verdicts; a later run compares and exits 1 listing exactly what changed
for the worse (a record gone or changed, a verdict down, a key rotated to
a shorter one), 0 when nothing did; several domains in one file; a
corrupt file is refused naming the file and line. The zones live on the
test bed's PowerDNS (one zone, bl-test., holding both domains, so the
DMARC tree walk's every question has an answer) and are changed through
its API between runs."""
import base64
import json
import resource
import signal
import subprocess
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402

api = need("AW_TB_PDNS_API")
key = need("AW_TB_PDNS_KEY")
pdns = need("AW_TB_PDNS_DNS")
BASE = "/api/v1/servers/localhost/zones"


def call(method, path, body=None):
    req = urllib.request.Request(api + path, method=method,
                                 headers={"X-API-Key": key, "Content-Type": "application/json"},
                                 data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status


def dkim_key(bits):
    pem = subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                          f"rsa_keygen_bits:{bits}"], capture_output=True, check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubout", "-outform", "DER"], input=pem,
                         capture_output=True, check=True).stdout
    return "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()


def txt(value):
    # PowerDNS content: the value as 255-byte character-strings.
    parts = [value[i:i + 255] for i in range(0, len(value), 255)]
    return " ".join('"%s"' % p for p in parts)


ZONE = "bl-test"


def rrset(domain, name, rtype, values, change="REPLACE"):
    full = (name + "." if name else "") + domain + "."
    return {"name": full, "type": rtype, "ttl": 60, "changetype": change,
            "records": [{"content": v, "disabled": False} for v in values]}


def make_zone(sets):
    try:
        call("DELETE", f"{BASE}/{ZONE}.")
    except urllib.error.HTTPError:
        pass
    return call("POST", BASE, {"name": ZONE + ".", "kind": "Native",
                               "nameservers": ["ns1." + ZONE + "."], "rrsets": sets}) == 201


def patch(sets):
    return call("PATCH", f"{BASE}/{ZONE}.", {"rrsets": sets}) == 204


Z1, Z2 = "drift1." + ZONE, "drift2." + ZONE
k2048, k1024 = dkim_key(2048), dkim_key(1024)
SPF = "v=spf1 ip4:192.0.2.0/24 -all"
DMARC = "v=DMARC1; p=reject; rua=mailto:d@" + Z1
ok(make_zone([rrset(Z1, "", "TXT", [txt(SPF)]),
              rrset(Z1, "_dmarc", "TXT", [txt(DMARC)]),
              rrset(Z1, "sel._domainkey", "TXT", [txt(k2048)]),
              rrset(Z1, "", "MX", ["10 mx.%s." % Z1]),
              rrset(Z1, "mx", "A", ["192.0.2.25"]),
              rrset(Z2, "", "TXT", [txt("v=spf1 -all")]),
              rrset(Z2, "_dmarc", "TXT", [txt("v=DMARC1; p=none")])]),
   "drift1: SPF, DMARC p=reject, a 2048-bit DKIM key, MX; drift2: SPF and DMARC p=none")

tmp = tempfile.mkdtemp(prefix="aw-baseline-")
bl = os.path.join(tmp, "baseline.json")
common = ["--dns-server", pdns, "--selector", "sel", "--baseline", bl]

r = aw("check", Z1, Z2, *common, "--json")
ok(r.returncode == 0 and os.path.exists(bl), "the first run saves the baseline and exits 0", r.stderr)
saved = json.load(open(bl)) if os.path.exists(bl) else {}
ok(sorted(saved.get("domains", {})) == [Z1, Z2], "both domains are in the baseline", saved.keys())
items = {i["id"]: i for i in saved.get("domains", {}).get(Z1, {}).get("items", [])}
ok(items.get("spf", {}).get("records") == [SPF] and items.get("dkim:sel", {}).get("bits") == 2048,
   "the baseline holds the records as published and the key size", items.get("dkim:sel", {}).get("bits"))
docs = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
ok(len(docs) == 2 and all(d.get("drift") is None for d in docs),
   "a domain seen for the first time has \"drift\": null", [d.get("drift") for d in docs])

r = aw("check", Z1, Z2, *common)
ok(r.returncode == 0 and r.stdout.count("Nothing changed for the worse") == 2,
   "nothing changed: exit 0 and each domain says so", r.stdout[-800:])

# The injected changes: the key rotated to 1024 bits, DMARC gone; the
# other domain untouched.
ok(patch([rrset(Z1, "sel._domainkey", "TXT", [txt(k1024)]),
              rrset(Z1, "_dmarc", "TXT", [], "DELETE")]),
   "drift1 changed: the DKIM key rotated to 1024 bits, the DMARC record deleted")
r = aw("check", Z1, Z2, *common, "--json")
docs = {d["domain"]: d for d in (json.loads(l) for l in r.stdout.splitlines() if l.strip())}
ok(r.returncode == 1, "something changed for the worse: exit 1", (r.returncode, r.stderr))
ch = docs.get(Z1, {}).get("drift", {}).get("changes", [])
got = sorted((c["item"], c["code"]) for c in ch)
ok(("dkim:sel", "drift.key-shorter") in got and ("dkim:sel", "drift.record-changed") in got,
   "the shorter key is found: changed and shorter", got)
ok(("dmarc", "drift.record-gone") in got, "the deleted DMARC record is found as gone", got)
ok({i for i, _ in got} == {"dkim:sel", "dmarc"},
   "nothing else of drift1 is reported (SPF, MX unchanged)", got)
ok(docs.get(Z2, {}).get("drift", {}).get("changes") == [],
   "the untouched domain reports no change", docs.get(Z2, {}).get("drift"))
gone = [c for c in ch if c["code"] == "drift.record-gone"]
ok(gone and gone[0]["before"] == DMARC and gone[0]["after"] is None,
   "a change shows the record before and after", gone)

r = aw("check", Z1, *common)
ok(r.returncode == 1 and "1024 bits, was 2048" in r.stdout and "was: " + DMARC in r.stdout,
   "the text output lists the changes with the old record", r.stdout[-1200:])

r = aw("check", Z1, *common, "--baseline-update")
ok(r.returncode == 1, "--baseline-update still reports this run's changes")
r = aw("check", Z1, *common)
ok(r.returncode == 0, "after --baseline-update the new state is the baseline", r.stdout[-600:])

def small_disk():
    """In the child: files over 64 bytes fail with EFBIG (SIGXFSZ ignored)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, resource.RLIM_INFINITY))


# A save that fails (a full disk) is exit 6, said once with the file and
# the reason; the baseline on disk stays whole and no temporary is left.
good = open(bl, "rb").read()
r = subprocess.run([os.environ["AW_BIN"], "check", Z1, *common, "--baseline-update"],
                   capture_output=True, text=True, timeout=60, preexec_fn=small_disk,
                   env=dict(os.environ, LC_ALL="C"))
lines = [l for l in r.stderr.splitlines() if "--baseline" in l]
ok(r.returncode == 6 and len(lines) == 1 and bl + ":" in lines[0] and ".tmp." not in lines[0]
   and "File too large" in lines[0],
   "a baseline that cannot be saved (full disk): exit 6, one line naming the file and why",
   (r.returncode, r.stderr))
ok(open(bl, "rb").read() == good and os.listdir(tmp) == ["baseline.json"],
   "the old baseline stays whole and no temporary is left", os.listdir(tmp))
nodir = os.path.join(tmp, "baseline.json", "b.json")
r = aw("check", Z1, "--dns-server", pdns, "--baseline", nodir, env={"LC_ALL": "C"})
ok(r.returncode == 6 and nodir in r.stderr, "a baseline under a regular file: exit 6 naming it",
   (r.returncode, r.stderr))
r = aw("check", Z1, "--dns-server", pdns, "--baseline", os.path.join(tmp, "no", "b.json"),
       env={"LC_ALL": "C"})
ok(r.returncode == 6 and os.path.join(tmp, "no", "b.json") + ":" in r.stderr
   and ".tmp." not in r.stderr and "No such file" in r.stderr,
   "a baseline in a missing directory: exit 6 naming the file, not a temporary",
   (r.returncode, r.stderr))

with open(bl, "w") as f:
    f.write('{"format": 1, "domains": {\n  "x": [}\n')
r = aw("check", Z1, *common)
ok(r.returncode == 6 and bl in r.stderr and "line 2" in r.stderr,
   "a corrupt baseline is refused with exit 6, naming the file and line", r.stderr)
r = aw("check", Z1, "--dns-server", pdns, "--baseline-update")
ok(r.returncode == 2 and "--baseline" in r.stderr, "--baseline-update alone is a usage error", r.stderr)
try:
    call("DELETE", f"{BASE}/{ZONE}.")
except urllib.error.HTTPError:
    pass
done()
