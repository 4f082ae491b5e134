"""`authwizard spf --batch`: many evaluations over one resolver, against
the test bed's Knot serving tests/zones/spf.test.zone. Each batch result
must equal what `authwizard spf --json` says for the same line, in input
order; bad lines are reported with their number and the batch goes on."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402

dns = need("AW_TB_DNS")

CASES = [
    ("192.0.2.10", "user@ip4.spf.test", None),
    ("192.0.2.11", "user@ip4.spf.test", None),
    ("2001:db8:1::5", "user@ip6.spf.test", "mail.ip6.spf.test"),
    ("203.0.113.5", "user@include.spf.test", None),
    ("192.0.2.99", "include-none.spf.test", None),
    ("192.0.2.20", "x@redirect.spf.test", None),
    ("192.0.2.31", "x@mx.spf.test", None),
    ("192.0.2.77", "x@mx.spf.test", None),
    ("192.0.2.50", "x@exists.spf.test", None),
    ("192.0.2.60", "jdoe@macro.spf.test", None),
    ("192.0.2.2", "x@exp.spf.test", None),
    ("192.0.2.1", "x@void3.spf.test", None),
    ("192.0.2.1", "x@toomany.spf.test", None),
    ("192.0.2.1", "x@atlimit.spf.test", None),
    ("192.0.2.1", "x@multiple.spf.test", None),
    ("192.0.2.1", "<>", "softfail.spf.test"),
    ("192.0.2.1", "x@nx.spf.test", None),
]
KEYS = ("domain", "ip", "sender", "helo", "result", "explanation", "term",
        "term_domain", "reason", "lookups", "lookup_limit", "void_lookups")


def line_of(c):
    return " ".join(x for x in c if x is not None)


def single(c):
    ip, sender, helo = c
    args = ["spf", "--json", "--dns-server", dns, "--ip", ip]
    if sender == "<>":
        args += [helo, "--sender", ""]
    else:
        args += [sender.split("@")[-1], "--sender", sender]
    if helo:
        args += ["--helo", helo]
    r = aw(*args)
    return json.loads(r.stdout)


want = [single(c) for c in CASES]
# Repeated, so that answers come from the shared cache and many
# evaluations are in flight at once; blank lines and comments skipped.
lines, expect = ["# ip sender [helo]", ""], []
for rep in range(6):
    for c, w in zip(CASES, want):
        lines.append(line_of(c))
        expect.append((len(lines), w))
lines.insert(5, "not-an-ip x@ip4.spf.test")
lines.insert(9, "192.0.2.1")
lines.insert(12, "192.0.2.1 <>")
text = "\n".join(lines) + "\n"
bad = {6: "not an IP address", 10: "expected IP SENDER [HELO]",
       13: "needs a HELO name"}
# the inserted lines shift the ones after them
expect = []
n = 0
for i, l in enumerate(lines, 1):
    if i in bad or not l or l.startswith("#"):
        continue
    expect.append((i, want[n % len(CASES)]))
    n += 1

r = aw("spf", "--batch", "-", "--json", "--dns-server", dns, input=text)
out = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
ok(r.returncode == 1, "a batch with bad lines exits 1", r.returncode)
ok(len(out) == len(expect) + len(bad),
   "one JSON line per evaluated or bad line (comments and blanks skipped)",
   (len(out), len(expect) + len(bad)))
ok([o.get("line") for o in out] == sorted(o.get("line") for o in out),
   "results come out in input order", [o.get("line") for o in out][:20])
errs = {o["line"]: o.get("error", "") for o in out if "error" in o}
ok(set(errs) == set(bad) and all(bad[k] in errs[k] for k in bad),
   "bad lines are reported with their line numbers and the batch goes on",
   errs)
got = {o["line"]: o for o in out if "error" not in o}
diff = [(ln, k, got.get(ln, {}).get(k), w.get(k)) for ln, w in expect
        for k in KEYS if got.get(ln, {}).get(k) != w.get(k)]
ok(not diff, "every batch result equals `spf --json` for the same line "
   "(%d lines)" % len(expect), diff[:5])
ok(set(o["result"] for o in got.values()) >=
   {"pass", "fail", "softfail", "permerror", "none"},
   "the cases cover pass, fail, softfail, permerror and none",
   set(o["result"] for o in got.values()))

with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
    f.write("\n".join(line_of(c) for c in CASES) + "\n")
    path = f.name
r = aw("spf", "--batch", path, "--dns-server", dns)
os.unlink(path)
tl = r.stdout.splitlines()
ok(r.returncode == 0 and len(tl) == len(CASES) and
   all(t.startswith("%d: " % (i + 1)) for i, t in enumerate(tl)),
   "text: a line each, numbered, from a file; exit 0", r.stdout)
ok(all((" %s" % w["result"]) in t for t, w in zip(tl, want)),
   "text: each line names its result", list(zip(tl, want))[:3])

r = aw("spf", "--batch", "/nonexistent/lines", "--dns-server", dns)
ok(r.returncode == 6 and "/nonexistent/lines" in r.stderr,
   "an unreadable file exits 6 naming it", (r.returncode, r.stderr))
r = aw("spf", "--batch", "-", "--ip", "192.0.2.1", "--dns-server", dns,
       input="")
ok(r.returncode == 2, "--batch with --ip is a usage error", r.returncode)

done()
