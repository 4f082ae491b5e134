"""dnssec_bed.py: a signed DNS tree of its own on loopback for the DNSSEC
and DANE tests: one Knot (tests/testbed.sh knot) serving a test root "."
and zones under "test.", the root and most zones signed by Knot itself
(automatic DNSSEC signing); the root's KSK is the trust anchor.

  secure.test     Knot-signed, DS in the root              -> secure
  mixed.test      Knot-signed, DS; MX hosts in secure, insecure and
                  expired zones                            -> secure, names vary
  insecure.test   unsigned, no DS                          -> insecure (unsigned)
  nods.test       Knot-signed, no DS in the root           -> insecure (missing DS)
  wrongds.test    Knot-signed, a DS that matches no key    -> bogus
  badsig.test     signed here (dnspython) with a broken
                  signature on its A/MX/TXT RRsets         -> bogus (names)
  expired.test    signed here with RRSIGs that expired in 2021 -> bogus
  daneta.test     Knot-signed; a DANE-TA (2 0 1) record of tests/keys/dane-ca
  danebad.test    Knot-signed; TLSA records SMTP cannot use (PKIX-EE, a
                  digest too short, one that matches nothing)
TLSA 3 1 1 records of tests/keys/dane-mx.crt are at mail.secure.test (its
address 127.0.0.1), mx.insecure.test, mx.badsig.test and mx.expired.test.

Zones for other tests can be added with extra= {name: zone text} (they
are Knot-signed and get a DS). start() returns a dict: port, server
("127.0.0.1:PORT"), anchor_ds / anchor_dnskey (files), dir, pid.
Uses dnspython (Debian python3-dnspython) and kdig/knotc."""
import datetime
import os
import subprocess
import time

import dns.dnssec
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.zone
from cryptography.hazmat.primitives.asymmetric import ec

SOA = "@ 3600 IN SOA ns.{z}. hostmaster.{z}. {serial} 3600 600 86400 300"


def _zone(name, body, serial=1):
    head = [f"$ORIGIN {name}.", "$TTL 300",
            SOA.format(z=name, serial=serial),
            f"@ NS ns.{name}.", "ns A 127.0.0.1"]
    return "\n".join(head + body) + "\n"


SECURE = ["@ MX 10 mail.secure.test.", "mail A 127.0.0.1",
          "_25._tcp.mail TLSA 3 1 1 {ee}",
          "@ TXT \"v=spf1 mx -all\"",
          "sel1._domainkey TXT \"v=DKIM1; k=rsa; p=MIIBCgKCAQEAtest\"",
          "_mta-sts TXT \"v=STSv1; id=1\""]
MIXED = ["@ MX 10 mail.secure.test.", "@ MX 20 mx.insecure.test.",
         "@ MX 30 mx.expired.test."]
INSECURE = ["@ MX 10 mx.insecure.test.", "mx A 192.0.2.26",
            "_25._tcp.mx TLSA 3 1 1 {ee}"]
DANETA = ["@ MX 10 mail.daneta.test.", "mail A 127.0.0.1",
          "_25._tcp.mail TLSA 2 0 1 {ta}"]
DANEBAD = ["@ MX 10 mail.danebad.test.", "@ MX 20 mx2.danebad.test.",
           "@ MX 30 mx3.danebad.test.", "mail A 127.0.0.1", "mx2 A 127.0.0.1",
           "mx3 A 127.0.0.1", "_25._tcp.mail TLSA 1 0 1 " + "11" * 32,
           "_25._tcp.mx2 TLSA 3 1 1 " + "22" * 31,
           "_25._tcp.mx3 TLSA 3 1 1 " + "33" * 32]
NODS = ["@ MX 10 mail.nods.test.", "mail A 192.0.2.27"]
WRONGDS = ["@ MX 10 mail.wrongds.test.", "mail A 192.0.2.28"]
PRESIGNED = ["@ MX 10 mx.{z}.", "mx A 192.0.2.29", "@ TXT \"hello\"",
             "_25._tcp.mx TLSA 3 1 1 {ee}"]


def cert_digests(srcdir):
    """SHA2-256 of the DANE-EE certificate's public key (3 1 1) and of the
    test CA's certificate (2 0 1), from tests/keys."""
    import hashlib
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    keys = os.path.join(srcdir, "tests", "keys")
    with open(os.path.join(keys, "dane-mx.crt"), "rb") as f:
        ee = x509.load_pem_x509_certificate(f.read())
    with open(os.path.join(keys, "dane-ca.crt"), "rb") as f:
        ca = x509.load_pem_x509_certificate(f.read())
    spki = ee.public_key().public_bytes(serialization.Encoding.DER,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    return {"ee": hashlib.sha256(spki).hexdigest(),
            "ta": hashlib.sha256(ca.public_bytes(serialization.Encoding.DER)).hexdigest()}


def _presign(name, expired, broken, dig):
    """A zone signed with dnspython: expired RRSIGs, or a broken one on
    every RRset but the DNSKEY. Returns (zone text, DS text)."""
    origin = dns.name.from_text(name)
    key = ec.generate_private_key(ec.SECP256R1())
    dnskey = dns.dnssec.make_dnskey(key.public_key(), "ECDSAP256SHA256",
                                    flags=257)
    text = _zone(name, [r.format(z=name, **dig) for r in PRESIGNED])

    z = dns.zone.from_text(text, origin=origin, relativize=False)
    with z.writer() as w:
        w.add(origin, 300, dnskey)
    if expired:
        inc = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
        exp = datetime.datetime(2021, 1, 1, tzinfo=datetime.timezone.utc)
    else:
        inc = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)
        exp = inc + datetime.timedelta(days=30)
    lines = []
    for (n, rds) in list(z.iterate_rdatasets()):
        rrset = dns.rrset.from_rdata_list(n, 300, list(rds))
        sig = dns.dnssec.sign(rrset, key, origin, dnskey, inception=inc,
                              expiration=exp)
        if broken and rds.rdtype != dns.rdatatype.DNSKEY:
            raw = bytearray(sig.signature)
            raw[5] ^= 0xFF
            sig = sig.replace(signature=bytes(raw))
        for rd in rds:
            lines.append(f"{n} 300 IN {dns.rdatatype.to_text(rds.rdtype)} {rd.to_text()}")
        lines.append(f"{n} 300 IN RRSIG {sig.to_text()}")
    ds = dns.dnssec.make_ds(origin, dnskey, "SHA256")
    return "\n".join(lines) + "\n", f"{name}. 300 IN DS {ds.to_text()}"


def _kdig(port, name, rtype):
    r = subprocess.run(["kdig", f"@127.0.0.1", "-p", str(port), "+timeout=2",
                        "+retry=1", "+dnssec", "+noall", "+answer", name, rtype],
                       capture_output=True, text=True, timeout=20)
    return [ln for ln in r.stdout.splitlines()
            if ln.split()[3:4] == [rtype]] if r.returncode == 0 else []


def _wait(cond, what, tries=400):
    for _ in range(tries):
        v = cond()
        if v:
            return v
        time.sleep(0.05)
    raise RuntimeError(f"dnssec_bed: {what} did not happen")


def _ksk_ds(port, name):
    keys = _wait(lambda: [ln for ln in _kdig(port, name, "DNSKEY")
                          if ln.split()[4] == "257"], f"{name} DNSKEY")
    origin = dns.name.from_text(name)
    rd = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.DNSKEY,
                             " ".join(keys[0].split()[4:]))
    return f"{name}. 300 IN DS {dns.dnssec.make_ds(origin, rd, 'SHA256').to_text()}"


def start(workdir, srcdir, extra=None):
    extra = extra or {}
    zdir = os.path.join(workdir, "src")
    os.makedirs(zdir, exist_ok=True)
    dig = cert_digests(srcdir)
    badsig, badsig_ds = _presign("badsig.test", False, True, dig)
    expired, expired_ds = _presign("expired.test", True, False, dig)
    signed = {"secure.test": SECURE, "mixed.test": MIXED, "nods.test": NODS,
              "wrongds.test": WRONGDS, "daneta.test": DANETA,
              "danebad.test": DANEBAD}
    for name, body in extra.items():
        signed[name] = body
    zones = {"insecure.test": _zone("insecure.test",
                                    [r.format(**dig) for r in INSECURE])}
    for name, body in signed.items():
        zones[name] = _zone(name, [r.format(**dig) for r in body])
    zones["badsig.test"] = badsig
    zones["expired.test"] = expired
    deleg = ["a.root A 127.0.0.1"]
    for name in zones:
        deleg += [f"{name}. NS ns.{name}.", f"ns.{name}. A 127.0.0.1"]
    static_ds = [badsig_ds, expired_ds,
                 "wrongds.test. 300 IN DS 4711 13 2 " + "AB" * 32]

    def root(serial, ds):
        return ("$ORIGIN .\n$TTL 300\n"
                f". 3600 IN SOA a.root. hostmaster.root. {serial} 3600 600 86400 300\n"
                ". NS a.root.\n" + "\n".join(deleg + ds) + "\n")

    for name, text in zones.items():
        with open(os.path.join(zdir, f"{name}.zone"), "w") as f:
            f.write(text)
    with open(os.path.join(zdir, "root.zone"), "w") as f:
        f.write(root(1, static_ds))
    kdir = os.path.join(workdir, "knot")
    files = [os.path.join(zdir, "root.zone")] + \
        [os.path.join(zdir, f"{n}.zone") for n in zones]
    env = dict(os.environ, AW_TB_SIGN=" ".join(["."] + list(signed)))
    r = subprocess.run([os.path.join(srcdir, "tests", "testbed.sh"), "knot",
                        kdir] + files, env=env, capture_output=True,
                       text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("dnssec_bed: Knot did not start: " + r.stderr)
    port, pid = r.stdout.split()[:2]
    bed = {"port": int(port), "pid": int(pid), "dir": workdir,
           "server": f"127.0.0.1:{port}"}
    try:
        # The DS of each zone Knot signed (but nods.test) into the root.
        ds = [_ksk_ds(port, n) for n in signed if n not in ("nods.test", "wrongds.test")]
        _ksk_ds(port, "wrongds.test")  # signed before it is asked
        with open(os.path.join(kdir, "zones", "root.zone"), "w") as f:
            f.write(root(100, static_ds + ds))
        subprocess.run(["knotc", "-c", os.path.join(kdir, "knot.conf"),
                        "zone-reload", "."], capture_output=True, timeout=30)
        _wait(lambda: _kdig(port, "secure.test", "DS"), "the DS in the root")
        ksk = _wait(lambda: [ln for ln in _kdig(port, ".", "DNSKEY")
                             if ln.split()[4] == "257"], "the root's DNSKEY")
        bed["anchor_dnskey"] = os.path.join(workdir, "anchor.dnskey")
        with open(bed["anchor_dnskey"], "w") as f:
            f.write(". 3600 IN DNSKEY " + " ".join(ksk[0].split()[4:]) + "\n")
        rd = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.DNSKEY,
                                 " ".join(ksk[0].split()[4:]))
        bed["anchor_ds"] = os.path.join(workdir, "anchor.ds")
        with open(bed["anchor_ds"], "w") as f:
            f.write(". 3600 IN DS " +
                    dns.dnssec.make_ds(dns.name.root, rd, "SHA256").to_text() + "\n")
    except Exception:
        stop(bed)
        raise
    return bed


def stop(bed):
    pid = bed.get("pid")
    if not pid:
        return
    try:
        os.kill(pid, 15)
    except ProcessLookupError:
        return
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
