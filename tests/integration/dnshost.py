"""The DNS host found from NS (issue 17): a Knot of its own serves one
zone per host (tests/zones/dnshosts/<host>.hosts.test.zone), each
delegated to that host's name servers by the NS records of its apex;
`check --json` names each host ("dns_host": id, name, provider — null
unless this build has that API path), a zone at two hosts is "mixed", one
at no known host is null, and the text output has the line. Prints TAP."""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw  # noqa: E402

SRC = os.environ["AW_SRCDIR"]
# host id -> provider id when authwizard has the API path; the six new
# hosts' providers may not be in this build yet: then null (checked below
# against `--help`, which lists every --provider).
WANT = {
    "cloudflare": ("Cloudflare", "cloudflare"),
    "route53": ("Amazon Route 53", "route53"),
    "digitalocean": ("DigitalOcean", "digitalocean"),
    "hetzner": ("Hetzner", "hetzner"),
    "gandi": ("Gandi", "gandi"),
    "azure": ("Azure DNS", "azure"),
    "gcloud": ("Google Cloud DNS", "gcloud"),
    "namecheap": ("Namecheap", None),
    "ionos": ("IONOS", None),
    "desec": ("deSEC", "desec"),
    "ovh": ("OVHcloud", None),
}

if shutil.which("knotd") is None:
    print("1..0 # SKIP knotd not installed (apt-get install knot knot-dnsutils)")
    sys.exit(0)

tmp = tempfile.mkdtemp(prefix="aw-dnshost-")
zones = sorted(glob.glob(os.path.join(SRC, "tests", "zones", "dnshosts", "*.zone")))
p = subprocess.run([os.path.join(SRC, "tests", "testbed.sh"), "knot",
                    os.path.join(tmp, "knot")] + zones,
                   capture_output=True, text=True, timeout=60)
if p.returncode != 0 or not p.stdout.split():
    ok(False, "Knot with the host zones starts", p.stderr)
    done()
port, pid = (int(x) for x in p.stdout.split()[:2])
dns = "127.0.0.1:%d" % port

# Which API paths this build has: the provider names the plan --help lists.
plan_help = aw("plan", "--help").stdout


def built(provider):
    return provider is not None and ("--provider" in plan_help and
                                     provider in aw("plan", "--help").stdout)


try:
    for host, (name, provider) in WANT.items():
        zone = "%s.hosts.test" % host
        r = aw("check", zone, "--dns-server", dns, "--json")
        try:
            d = json.loads(r.stdout)
        except ValueError:
            d = {}
        h = d.get("dns_host") or {}
        ok(h.get("id") == host and h.get("name") == name,
           "check --json names %s as the DNS host of %s" % (name, zone),
           r.stdout[-600:] + r.stderr)
        want_p = provider if built(provider) else None
        ok(h.get("provider") == want_p and h.get("zone") == zone and
           len(h.get("ns", [])) >= 2,
           "%s: provider %s, the zone and its NS set" % (zone, want_p), h)

    r = aw("check", "mixed.hosts.test", "--dns-server", dns, "--json")
    h = json.loads(r.stdout or "{}").get("dns_host")
    ok(isinstance(h, dict) and h.get("id") == "mixed" and h.get("provider") is None,
       "a zone whose NS belong to two hosts is \"mixed\"", r.stdout[-400:])

    r = aw("check", "unknown.hosts.test", "--dns-server", dns, "--json")
    d = json.loads(r.stdout or "{}")
    ok("dns_host" in d and d["dns_host"] is None,
       "a zone at no known host: dns_host is null", r.stdout[-400:])

    r = aw("check", "namecheap.hosts.test", "--dns-server", dns)
    ok("DNS host: Namecheap (from its name servers; no API path here" in r.stdout,
       "the text output names the host and says it has no API path", r.stdout[:600])
    r = aw("check", "cloudflare.hosts.test", "--dns-server", dns)
    ok("DNS host: Cloudflare (from its name servers; authwizard can publish there: "
       "--provider cloudflare)" in r.stdout,
       "the text output names the host and its --provider", r.stdout[:600])
    r = aw("check", "desec.hosts.test", "--dns-server", dns)
    ok("DNS host: deSEC (from its name servers; authwizard can publish there: "
       "--provider desec)" in r.stdout,
       "deSEC's name servers name deSEC and its --provider", r.stdout[:600])
    r = aw("check", "ovh.hosts.test", "--dns-server", dns)
    ok("DNS host: OVHcloud (from its name servers; no API path here" in r.stdout,
       "OVHcloud's name servers name OVHcloud, with no API path", r.stdout[:600])
    r = aw("check", "unknown.hosts.test", "--dns-server", dns)
    ok("DNS host: not recognised from the name servers" in r.stdout,
       "the text output says when the host is not recognised", r.stdout[:600])

    # Several domains (JSON Lines): a bulk run does not look the hosts up
    # (an SOA walk and an NS query more per domain); one domain does.
    r = aw("check", "route53.hosts.test", "ionos.hosts.test", "--dns-server", dns, "--json")
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    ok(len(lines) == 2 and all("dns_host" not in x for x in lines),
       "check of two domains leaves the DNS host out (bulk runs)", r.stdout[-400:])
finally:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    shutil.rmtree(tmp, ignore_errors=True)
done()
