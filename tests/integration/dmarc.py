"""`authwizard dmarc` against the test bed: the record, the RFC 9989 tree
walk (the exact names asked, seen by a logging DNS relay in front of Knot),
the organizational domain, np for names that do not exist, external report
authorization (RFC 9990), obsolete tags, several records; the builder's
output is accepted by the checker's parser; --align by the tree walk."""
import json
import os
import socket
import sys
import threading

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402

dns = need("AW_TB_DNS")


class Relay:
    """A UDP relay on 127.0.0.1 that writes down each question (type,
    name) and passes it to the test bed's Knot."""

    TYPES = {1: "A", 5: "CNAME", 16: "TXT", 28: "AAAA", 15: "MX"}

    def __init__(self, upstream):
        host, port = upstream.rsplit(":", 1)
        self.upstream = (host, int(port))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.addr = "127.0.0.1:%d" % self.sock.getsockname()[1]
        self.asked = []
        self.lock = threading.Lock()
        threading.Thread(target=self.serve, daemon=True).start()

    @staticmethod
    def question(pkt):
        labels, i = [], 12
        while i < len(pkt) and pkt[i] != 0:
            n = pkt[i]
            labels.append(pkt[i + 1:i + 1 + n].decode("ascii", "replace").lower())
            i += 1 + n
        qtype = int.from_bytes(pkt[i + 1:i + 3], "big") if i + 3 <= len(pkt) else 0
        return Relay.TYPES.get(qtype, str(qtype)), ".".join(labels)

    def serve(self):
        while True:
            pkt, client = self.sock.recvfrom(4096)
            with self.lock:
                self.asked.append(self.question(pkt))
            up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            up.settimeout(3)
            try:
                up.sendto(pkt, self.upstream)
                reply, _ = up.recvfrom(65535)
                self.sock.sendto(reply, client)
            except OSError:
                pass
            finally:
                up.close()

    def take(self):
        """The questions so far (each once, in order), and forget them."""
        with self.lock:
            seen, out = set(), []
            for q in self.asked:
                if q not in seen:
                    seen.add(q)
                    out.append(q)
            self.asked = []
        return out


def dmarc(domain, server=dns):
    r = aw("dmarc", domain, "--dns-server", server, "--json")
    try:
        return r, json.loads(r.stdout)
    except ValueError:
        return r, {}


r, d = dmarc("dmarc.test")
ok(d.get("record") == "v=DMARC1; p=reject; sp=quarantine; rua=mailto:agg@crm.test,mailto:agg@esp.test"
   and d.get("policy") == "reject", "the record and its policy", r.stdout[-600:])
auth = {a["destination"]: a["authorized"] for a in d.get("report_authorization", [])}
ok(auth == {"crm.test": True, "esp.test": False},
   "RFC 9990: crm.test authorizes reports, esp.test does not", d.get("report_authorization"))
ok(any("esp.test" in w and "dropped" in w for w in d.get("warnings", [])),
   "the missing authorization is said clearly", d.get("warnings"))
ok(d.get("org_domain") == "dmarc.test" and d.get("org_domain_how") == "fewest labels"
   and d.get("author_domain_exists") is True,
   "the organizational domain and how it was chosen", r.stdout[-900:])

# RFC 9989 §4.10: the walk goes on past the record it finds.
r, d = dmarc("deep.sub.dmarc.test")
ok(d.get("inherited") is True and d.get("applied_name") == "_dmarc.dmarc.test" and
   d.get("policy") == "quarantine" and d.get("walk_queries") == 4,
   "tree walk: _dmarc.dmarc.test applies to deep.sub.dmarc.test with sp=quarantine", r.stdout[-900:])
ok([(w["name"], w["found"]) for w in d.get("walk", [])] ==
   [("_dmarc.deep.sub.dmarc.test", "none"), ("_dmarc.sub.dmarc.test", "none"),
    ("_dmarc.dmarc.test", "one"), ("_dmarc.test", "none")],
   "--json lists every name the walk asked and what it found", d.get("walk"))

# RFC 9989 §4.10 step 4: more than 8 labels: the name, then its last 7,
# at most 8 questions, the last at the top label. Asked of a relay that
# writes down what reaches the server.
relay = Relay(dns)
deep = "a.b.c.d.e.f.g.h.i.j.k.dmarc.test"
r, d = dmarc(deep, relay.addr)
txt = [n for t, n in relay.take() if t == "TXT" and n.startswith("_dmarc.")]
want = ["_dmarc." + deep, "_dmarc.g.h.i.j.k.dmarc.test", "_dmarc.h.i.j.k.dmarc.test",
        "_dmarc.i.j.k.dmarc.test", "_dmarc.j.k.dmarc.test", "_dmarc.k.dmarc.test",
        "_dmarc.dmarc.test", "_dmarc.test"]
ok(txt == want, "a 13-label name: exactly the RFC's 8 TXT questions, ending at _dmarc.test", txt)
ok([w["name"] for w in d.get("walk", [])] == want and d.get("applied_name") == "_dmarc.dmarc.test"
   and d.get("author_domain_exists") is False and d.get("policy") == "quarantine",
   "--json reports the same walk; the name does not exist (no np: sp applies)", r.stdout[-900:])

# §4.10.1: the organizational domain's record, not the first one found.
r, d = dmarc("a.fewest.dmarc.test", relay.addr)
txt = [n for t, n in relay.take() if t == "TXT" and n.startswith("_dmarc.")]
ok(d.get("applied_name") == "_dmarc.dmarc.test" and d.get("policy") == "quarantine"
   and d.get("org_domain") == "dmarc.test" and d.get("org_domain_how") == "fewest labels",
   "fewest labels: dmarc.test's sp=quarantine applies, not fewest.dmarc.test's p=none", r.stdout[-900:])
ok(txt == ["_dmarc.a.fewest.dmarc.test", "_dmarc.fewest.dmarc.test", "_dmarc.dmarc.test", "_dmarc.test"],
   "the walk asked all four names", txt)

# §4.10.2: psd=n stops the walk there.
r, d = dmarc("x.own.dmarc.test", relay.addr)
txt = [n for t, n in relay.take() if t == "TXT" and n.startswith("_dmarc.")]
ok(d.get("org_domain") == "own.dmarc.test" and d.get("org_domain_how") == "psd=n"
   and d.get("policy") == "reject" and txt == ["_dmarc.x.own.dmarc.test", "_dmarc.own.dmarc.test"],
   "psd=n: the organizational domain, the walk stops (2 questions)", (txt, r.stdout[-600:]))

# §4.7 np: asked whether the domain exists.
r, d = dmarc("ghost.np.dmarc.test", relay.addr)
asked = relay.take()
ok(d.get("author_domain_exists") is False and d.get("policy") == "quarantine" and
   d.get("policy_existing") == "none" and d.get("policy_nonexistent") == "quarantine" and
   ("A", "ghost.np.dmarc.test") in asked,
   "NXDOMAIN author: np=quarantine applies (the check asked A)", (asked, r.stdout[-600:]))
r, d = dmarc("real.np.dmarc.test")
ok(d.get("author_domain_exists") is True and d.get("policy") == "none",
   "an existing subdomain: sp=none applies", r.stdout[-600:])

# §4.10.1: invalid sp= with a valid rua=: p=none for every name.
r, d = dmarc("badsp.dmarc.test")
ok(d.get("policy") == "none" and d.get("policy_nonexistent") == "none" and
   any(f.get("code") == "dmarc.policy-as-none" for f in d.get("findings", [])),
   "an invalid sp= with a valid rua= reads as p=none", r.stdout[-900:])

# §4.7: V = DMARC1 is a record.
r, d = dmarc("upper.dmarc.test")
ok(d.get("policy") == "reject" and d.get("applied_name") == "_dmarc.upper.dmarc.test",
   "V = DMARC1; P=Reject is a DMARC record with p=reject", r.stdout[-600:])

r, d = dmarc("old.dmarc.test")
w = " ".join(d.get("warnings", []))
ok("pct=25" in w and "ri=" in w and "right after" in w,
   "obsolete pct/ri and p= not second are warned with the RFC 7489 difference", d.get("warnings"))

# §4.10 steps 2 and 6: the two records are discarded, the walk goes on
# (this test said "no policy" before).
r, d = dmarc("two.dmarc.test")
walk = d.get("walk", [])
ok(r.returncode == 1 and d.get("status") == "error" and walk and walk[0]["found"] == "several"
   and walk[0]["dmarc_records"] == 2 and d.get("applied_name") == "_dmarc.dmarc.test"
   and d.get("policy") == "quarantine"
   and any(f.get("code") == "dmarc.multiple-records" for f in d.get("findings", [])),
   "two DMARC records: an error, discarded, dmarc.test's sp=quarantine applies", r.stdout[-900:])

r = aw("dmarc", "--build", "--policy", "quarantine", "--testing", "--np", "reject",
       "--rua", "dmarc@example.test", "--domain", "example.test", "--json")
b = json.loads(r.stdout) if r.returncode == 0 else {}
ok(b.get("record") == "v=DMARC1; p=quarantine; np=reject; t=y; rua=mailto:dmarc@example.test"
   and len(b.get("staged_path", [])) == 5 and b.get("name") == "_dmarc.example.test",
   "--build writes the record and the staged path", r.stdout)

r = aw("dmarc", "--align", "--from", "example.test", "--mail-from", "bounce.example.test",
       "--dkim-domain", "esp.test", "--json", "--dns-server", dns)
a = json.loads(r.stdout) if r.returncode == 0 else {}
ok(a.get("spf", {}).get("relaxed") is True and a.get("spf", {}).get("strict") is False and
   a.get("dkim", {}).get("relaxed") is False and a.get("from_org") == "example.test",
   "--align: relaxed and strict, organizational domain by the walk", r.stdout)

# §4.4 with §4.10.2: two registrants below a psd=y domain do not align,
# though the Public Suffix List (RFC 7489) says they do.
r = aw("dmarc", "--align", "--from", "giant.bank.dmarc.test", "--dkim-domain",
       "mega.bank.dmarc.test", "--json", "--dns-server", dns)
a = json.loads(r.stdout) if r.stdout.startswith("{") else {}
ok(r.returncode == 1 and a.get("from_org") == "giant.bank.dmarc.test" and
   a.get("from_org_how") == "psd=y" and a.get("dkim", {}).get("relaxed") is False and
   a.get("rfc7489_psl", {}).get("dkim_relaxed") is True,
   "--align: psd=y keeps giant.bank and mega.bank apart; the PSL note says otherwise", r.stdout)
r = aw("dmarc", "--align", "--from", "x.own.dmarc.test", "--dkim-domain", "dmarc.test",
       "--dns-server", dns)
ok(r.returncode == 1 and "RFC 7489" in r.stdout,
   "--align: psd=n stops the walk; the RFC 7489 note is labelled", r.stdout)
done()
