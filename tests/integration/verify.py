"""`authwizard verify --service ID` against the customer zones of
tests/zones/verify.test.zone (issue 19): each customer's verdict, missing
codes and exact zone lines; SPF by evaluation (nesting, a macro, an include
after -all that is never reached, a record broken by the addition); CSV
template variables; exit codes; Ctrl-C in the middle of a run (against a
proxy that drops the questions about slow* names) leaves whole JSON lines
and a summary; the progress meter under a pty and not without one."""
import json
import os
import pty
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402
from drop_proxy import DropProxy  # noqa: E402

dns = need("AW_TB_DNS")

# The test's own services, in a private config home.
xdg = tempfile.mkdtemp(prefix="aw-verify-")
sd = os.path.join(xdg, "authwizard", "senders.d")
os.makedirs(sd)
with open(os.path.join(sd, "acme.json"), "w") as f:
    json.dump({"services": [
        {"id": "acmemail", "name": "Acme Mail",
         "spf": [{"include": "_spf.vendor.verify.test", "lookups": 3,
                  "lighter": "_spf1.vendor.verify.test"},
                 {"include": "_spf1.vendor.verify.test", "lookups": 1}],
         "dkim": {"method": "cname",
                  "cnames": [
                      {"selector": "acme1",
                       "target": "acme1.{domain_dashed}.dkim.vendor.verify.test"},
                      {"selector": "acme2",
                       "target": "acme2.{domain_dashed}.dkim.vendor.verify.test"}],
                  "target_domains": ["dkim.vendor.verify.test"]},
         "verification": {"type": "TXT", "name": "_acme-verify",
                          "value": "acme-verify={token}"},
         "placeholders": [{"name": "token",
                           "description": "the token Acme shows"}]},
        {"id": "othermail", "name": "Other Mail",
         "spf": [{"include": "_spf.other.verify.test", "lookups": 1}],
         "dkim": {"method": "cname",
                  "cnames": [{"selector": "other1",
                              "target": "other1.{domain_dashed}.dkim.other.verify.test"}],
                  "target_domains": ["dkim.other.verify.test"]}}]}, f)
env = {"XDG_CONFIG_HOME": xdg}


def verify(*args, server=None, **kw):
    return aw("verify", "--service", "acmemail", "--dns-server",
              server or dns, *args, env=env, **kw)


def lines(r):
    out = []
    for line in r.stdout.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            out.append({"unparsed": line})
    return out


def one(domain, *extra):
    r = verify(domain, "--json", *extra)
    docs = lines(r)
    return r, (docs[0] if len(docs) == 1 else {})


def codes(doc):
    return sorted(m["code"] for m in doc.get("missing", []))


def dkim_cnames(name):
    dash = f"{name}.verify.test".replace(".", "-")
    return [f"acme{n}._domainkey.{name}.verify.test. 3600 IN CNAME "
            f"acme{n}.{dash}.dkim.vendor.verify.test." for n in (1, 2)]


# --- each customer --------------------------------------------------------
for name in ("full", "nested", "macro"):
    r, d = one(f"{name}.verify.test")
    ok(r.returncode == 0 and d.get("status") == "pass" and d.get("missing") == []
       and d.get("records") == [] and d.get("service") == "acmemail"
       and d.get("domain") == f"{name}.verify.test",
       f"{name}: set up, passes (exit 0, nothing missing, no records)", r.stdout + r.stderr)
r, d = one("macro.verify.test")
ok([n["code"] for n in d.get("notes", [])] == ["verify.spf-via-macro"],
   "macro: the include is reached only by expanding %{d}, and the note says so", d)

r, d = one("late.verify.test")
ok(r.returncode == 1 and d.get("status") == "fail"
   and codes(d) == ["verify.spf-include-missing"],
   "late: an include after -all is never reached: spf-include-missing (evaluation, not string match)", d)
ok(d.get("records") == ['late.verify.test. 3600 IN TXT "v=spf1 ip4:203.0.113.5 '
                        'include:_spf.vendor.verify.test -all"'],
   "late: the record to publish keeps the terms and adds the include before -all", d)
ok(all(m["area"] == "spf" for m in d.get("missing", [])), "late: the area is spf", d)

r, d = one("half.verify.test")
ok(d.get("status") == "fail" and codes(d) == [
    "verify.dkim-cname-missing", "verify.dkim-cname-missing",
    "verify.verification-missing"],
   "half: SPF and DMARC there, the CNAMEs and the verification record missing", d)
ok(d.get("records") == dkim_cnames("half") + [
    '_acme-verify.half.verify.test. 3600 IN TXT "acme-verify={token}"'],
   "half: the two CNAME lines and the verification line ({token} left to fill)", d)
ok("verify.dmarc-no-alignment" in [n["code"] for n in d.get("notes", [])],
   "half: a note that without DKIM only the vendor's bounce domain passes SPF, which does not align", d)

r, d = one("broken.verify.test")
ok(d.get("status") == "fail" and codes(d) == ["verify.spf-broken"],
   "broken: the include is there but the record needs 11 lookups: spf-broken", d)
ok(d.get("records") == ['broken.verify.test. 3600 IN TXT "v=spf1 include:_spf.heavy.verify.test '
                        'include:_spf1.vendor.verify.test -all"'],
   "broken: the record with the service's lighter include in place of the heavy one", d)
ok("11" in d.get("missing", [{}])[0].get("message", ""), "broken: the message names 11 lookups", d)

r, d = one("wrongdkim.verify.test")
ok(d.get("status") == "fail" and codes(d) == ["verify.dkim-cname-wrong"] * 2,
   "wrongdkim: CNAMEs to another service: dkim-cname-wrong for both", d)
ok("Other Mail" in d.get("missing", [{}])[0].get("message", ""),
   "wrongdkim: the message names the service the CNAME belongs to", d)
ok(d.get("records") == dkim_cnames("wrongdkim"), "wrongdkim: the right CNAME lines", d)

r, d = one("nodmarc.verify.test")
ok(d.get("status") == "fail" and codes(d) == ["verify.dmarc-missing"]
   and d.get("records") == ['_dmarc.nodmarc.verify.test. 3600 IN TXT "v=DMARC1; p=none"'],
   "nodmarc: dmarc-missing and the p=none record", d)

r, d = one("noverify.verify.test", "--var", "token=T0K")
ok(d.get("status") == "fail" and codes(d) == ["verify.verification-missing"]
   and d.get("records") == ['_acme-verify.noverify.verify.test. 3600 IN TXT "acme-verify=T0K"'],
   "noverify: verification-missing, the line filled from --var", d)

r, d = one("weak.verify.test")
ok(codes(d) == ["verify.dkim-key-weak"] * 2 and d.get("records") == [],
   "weak: a 512-bit key: dkim-key-weak, nothing the customer can add", d)

# --- the token: --var and CSV --------------------------------------------
r, d = one("full.verify.test", "--var", "token=wrong")
ok(codes(d) == ["verify.verification-missing"]
   and d["records"] == ['_acme-verify.full.verify.test. 3600 IN TXT "acme-verify=wrong"'],
   "a token given must match: a wrong --var token fails verification", d)
csv = os.path.join(xdg, "customers.csv")
with open(csv, "w") as f:
    f.write("domain,token\n# a comment\nfull.verify.test,tok-full\n"
            "nested.verify.test,\"tok-nested\"\nnoverify.verify.test,tok-x\n")
r = verify("--json", "--domains-file", csv, "--var", "token=wrong")
docs = lines(r)
ok([x.get("domain") for x in docs] == ["full.verify.test", "nested.verify.test",
                                       "noverify.verify.test"],
   "CSV: one JSON line per row, in order", r.stdout)
ok([x.get("status") for x in docs] == ["pass", "pass", "fail"] and r.returncode == 1,
   "CSV: each row's token column wins over --var; exit 1 when one fails", r.stdout)
ok(docs[2].get("records") == ['_acme-verify.noverify.verify.test. 3600 IN TXT "acme-verify=tok-x"'],
   "CSV: the row's token fills its record", docs[2:])
plain = os.path.join(xdg, "plain.txt")
with open(plain, "w") as f:
    f.write("full.verify.test\nnested.verify.test  # set up\n")
r = verify("--json", "--domains-file", plain)
ok(r.returncode == 0 and [x.get("status") for x in lines(r)] == ["pass", "pass"],
   "a plain domains file works too; all pass: exit 0", r.stdout + r.stderr)
bad = os.path.join(xdg, "bad.csv")
with open(bad, "w") as f:
    f.write("domain,to ken\nfull.verify.test,x\n")
r = verify("--domains-file", bad)
ok(r.returncode == 2 and "bad.csv, line 1" in r.stderr, "a bad CSV header is a usage error naming the line", r.stderr)

# --- the human output and usage -------------------------------------------
r = verify("half.verify.test")
ok(r.returncode == 1 and "FAIL" in r.stdout and dkim_cnames("half")[0] in r.stdout
   and "[verify.dkim-cname-missing]" in r.stdout,
   "human output: FAIL, the code and the zone line", r.stdout)
r = aw("verify", "--service", "nosuch", "x.test", env=env)
ok(r.returncode == 2 and "nosuch" in r.stderr, "an unknown service is a usage error", r.stderr)
r = aw("verify", "x.test", env=env)
ok(r.returncode == 2, "--service is required", r.stderr)
r = aw("verify", "--service", "acmemail", "--var", "novalue", "x.test", env=env)
ok(r.returncode == 2, "--var without '=' is a usage error", r.stderr)

# --- many at once ---------------------------------------------------------
names = ["full", "nested", "macro", "late", "half", "broken", "wrongdkim",
         "nodmarc", "noverify", "weak"]
r = verify("--json", "--parallel", "3", *[f"{n}.verify.test" for n in names])
docs = lines(r)
ok([x.get("domain") for x in docs] == [f"{n}.verify.test" for n in names]
   and r.returncode == 1,
   "ten customers at once (--parallel 3): in the order given, exit 1", r.stdout)
ok([x.get("status") for x in docs] == ["pass"] * 3 + ["fail"] * 7,
   "the verdicts are those of the single runs", [x.get("status") for x in docs])

# --- DNS failure: a server that never answers ------------------------------
silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
silent.bind(("127.0.0.1", 0))
r = verify("--json", "full.verify.test", "--dns-timeout", "0.2", "--dns-tries", "1",
           server="127.0.0.1:%d" % silent.getsockname()[1])
d = lines(r)[0] if r.stdout else {}
ok(r.returncode == 3 and d.get("status") == "dns-failure"
   and "verify.dns-failure" in codes(d),
   "no answers: status dns-failure, exit 3", r.stdout + r.stderr)
silent.close()


# --- Ctrl-C in the middle of a run ----------------------------------------
proxy = DropProxy(dns, drop="slow")


def interrupt(cmd, *args):
    """Runs cmd over two answered domains and 30 slow ones; SIGINT once
    the two lines are out. Returns (rc, stdout lines parsed, stderr)."""
    doms = ["full.verify.test", "nested.verify.test"] + \
        [f"slow{i}.verify.test" for i in range(30)]
    p = subprocess.Popen([os.environ["AW_BIN"], cmd, *args, "--json",
                          "--dns-server", proxy.addr(), "--dns-timeout", "60",
                          "--parallel", "4", *doms],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=dict(os.environ, **env))
    first = [p.stdout.readline() for _ in range(2)]   # synchronise on output
    p.send_signal(signal.SIGINT)
    try:
        rest, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        rest, err = p.communicate()
    out = b"".join(first) + rest
    parsed = []
    for line in out.decode().splitlines():
        try:
            parsed.append(json.loads(line))
        except ValueError:
            parsed.append(None)
    whole = out.endswith(b"\n") and None not in parsed and len(parsed) == 2 \
        and [x["domain"] for x in parsed] == doms[:2]
    return p.returncode, whole, out.decode(), err.decode()


# check without its DNSSEC area (libunbound asks the same lossy proxy and
# would hold the first lines back until its own retries end). Its DKIM
# discovery asks the ~60 common selectors of each slow domain, never
# answered: the resolver's fair share of the wire per domain keeps them
# from holding the answered domains' next questions (bulk-fairness.py).
for cmd, extra in (("verify", ("--service", "acmemail")),
                   ("check", ("--no-dnssec",))):
    rc, whole, out, err = interrupt(cmd, *extra)
    ok(rc == 130, f"{cmd}: SIGINT mid-run: exit 130", (rc, err))
    ok(whole, f"{cmd}: SIGINT mid-run: the lines printed are whole JSON, the two answered domains", out)
    ok("30 of 32 domains not checked" in err,
       f"{cmd}: SIGINT mid-run: the summary on stderr says how many were not checked", err)
proxy.stop = True


# --- the progress meter ---------------------------------------------------
def under_pty(*args):
    """Runs with stderr on a pty (stdout a pipe); returns (rc, stdout, what
    the terminal got)."""
    master, slave = pty.openpty()
    q = subprocess.Popen([os.environ["AW_BIN"], *args], stdout=subprocess.PIPE,
                         stderr=slave, env=dict(os.environ, **env))
    os.close(slave)
    term = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        rd, _, _ = select.select([master], [], [], 1)
        if not rd:
            if q.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        term += chunk
    outp = q.stdout.read()
    q.wait()
    os.close(master)
    return q.returncode, outp, term.decode("utf-8", "replace")


five = [f"{n}.verify.test" for n in names[:5]]
rc, outp, term = under_pty("verify", "--service", "acmemail", "--json",
                           "--dns-server", dns, *five)
ok("\r" in term and "5/5 domains" in term and "/s" in term and "left" in term
   and "2 failed" in term,
   "verify under a pty: the meter (done of total, rate, time left, failures), redrawn with \\r", term)
ok(len(outp.decode().splitlines()) == 5, "verify under a pty: stdout still holds the five lines", outp)
rc, outp, term = under_pty("check", "--json", "--dns-server", dns, *five)
ok("\r" in term and "5/5 domains" in term, "check under a pty: the meter", term)
rc, outp, term = under_pty("check", "--json", "--quiet", "--dns-server", dns, *five)
ok("domains" not in term, "check --quiet under a pty: no meter", term)
r = verify("--json", *five)
ok("domains" not in r.stderr and "\r" not in r.stderr, "stderr not a terminal: no meter", r.stderr)

done()
