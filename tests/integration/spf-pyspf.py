"""`authwizard spf` against the test bed's Knot (tests/zones/spf.test.zone)
compared case by case with pyspf (Debian python3-spf), the reference
implementation, whose dnspython resolver asks the same server."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402

dns_server = need("AW_TB_DNS")
host, port = dns_server.rsplit(":", 1)

try:
    import dns.resolver
    import spf
except ImportError as e:
    print(f"1..0 # SKIP pyspf or dnspython missing: {e}")
    sys.exit(0)

res = dns.resolver.Resolver(configure=False)
res.nameservers = [host]
res.port = int(port)
res.lifetime = 5
dns.resolver.default_resolver = res

HELO = "mail.example.org"

# (domain, ip, sender local-part, what the case is about)
CASES = [
    ("ip4", "192.0.2.10", "user", "ip4 exact address"),
    ("ip4", "198.51.100.77", "user", "ip4 network"),
    ("ip4", "192.0.2.11", "user", "ip4 not listed: -all"),
    ("ip6", "2001:db8:1::5", "user", "ip6 network"),
    ("ip6", "2001:db8:2::1", "user", "ip6 outside the network"),
    ("ip6", "192.0.2.10", "user", "ip6 only: an IPv4 client fails"),
    ("include", "203.0.113.5", "user", "include passes"),
    ("include", "203.0.113.200", "user", "include does not match: ~all"),
    ("include-none", "192.0.2.1", "user", "include of a name without SPF"),
    ("redirect", "192.0.2.20", "user", "redirect to a record with a"),
    ("redirect", "192.0.2.21", "user", "redirect target fails"),
    ("redirect-all", "192.0.2.20", "user", "redirect ignored next to all"),
    ("a", "192.0.2.99", "user", "a with a /24 prefix"),
    ("a", "192.0.3.1", "user", "a outside the prefix"),
    ("mx", "192.0.2.30", "user", "mx first host"),
    ("mx", "192.0.2.31", "user", "mx second host"),
    ("mx", "2001:db8:2::31", "user", "mx host over IPv6"),
    ("mx", "192.0.2.32", "user", "mx no host matches"),
    ("exists", "192.0.2.50", "user", "exists with %{i}"),
    ("exists", "192.0.2.51", "user", "exists finds nothing"),
    ("macro", "192.0.2.60", "jdoe", "exists with %{l}, %{ir}, %{d}"),
    ("macro", "192.0.2.60", "other", "macro name without an A record"),
    ("exp", "192.0.2.9", "user", "fail with exp= explanation"),
    ("void2", "192.0.2.1", "user", "two void lookups are allowed"),
    ("void3", "192.0.2.1", "user", "three void lookups: permerror"),
    ("toomany", "192.0.2.1", "user", "11 DNS-querying terms: permerror"),
    ("atlimit", "192.0.2.1", "user", "10 DNS-querying terms: evaluated"),
    ("atlimit", "192.0.2.2", "user", "10 terms, not listed: fail"),
    ("neutral", "192.0.2.1", "user", "?all"),
    ("softfail", "192.0.2.1", "user", "~all"),
    ("pass-all", "192.0.2.1", "user", "+all"),
    ("multiple", "192.0.2.1", "user", "two SPF records: permerror"),
    ("syntax", "192.0.2.1", "user", "syntax error: permerror"),
    ("nospf", "192.0.2.1", "user", "no SPF record: none"),
    ("nx", "192.0.2.1", "user", "no such name: none"),
    ("ptr", "192.0.2.50", "user", "ptr with a forward-confirmed name"),
    ("ptr", "192.0.2.25", "user", "ptr with the mail host's name"),
    ("ptr", "192.0.2.77", "user", "ptr: no PTR record for the client"),
]

RESULTS = {"none", "neutral", "pass", "fail", "softfail", "temperror",
           "permerror"}
EXIT = {"pass": 0, "temperror": 3}

for name, ip, local, what in CASES:
    domain = f"{name}.spf.test"
    sender = f"{local}@{domain}"
    r = aw("spf", domain, "--ip", ip, "--sender", sender, "--helo", HELO,
           "--dns-server", dns_server, "--json")
    try:
        got = json.loads(r.stdout)
    except ValueError:
        got = {}
    q = spf.query(i=ip, s=sender, h=HELO, timeout=5)
    want, _code, want_exp = q.check()
    label = f"{domain} from {ip} ({what}): pyspf says {want}"
    ok(got.get("result") == want,
       label, f"authwizard: {r.stdout.strip()} {r.stderr.strip()}")
    ok(got.get("result") in RESULTS and isinstance(got.get("lookups"), int)
       and r.returncode == EXIT.get(got.get("result"), 1),
       f"{domain} from {ip}: JSON has result and lookups, exit {r.returncode}",
       r.stdout)
    if name == "exp":
        ok(got.get("explanation") == want_exp,
           f"{domain}: the exp= explanation matches pyspf ({want_exp!r})",
           got.get("explanation"))

done()
