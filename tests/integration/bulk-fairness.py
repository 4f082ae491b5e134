"""A bulk `check` shares the resolver's 128 queries on the wire fairly
between its domains (checks/resolver.c): domains whose every question is
dropped, started first and each asking the ~60 common DKIM selectors
(no --selector), do not hold the answered domains' questions until their
own time out. Through tests/lib/drop_proxy.py in front of the test bed:
every question about an answered domain reaches the server before any
dropped question is asked a second time (c-ares retries it only after
its first timeout), and every answered domain comes out without a DNS
failure."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, need  # noqa: E402
from drop_proxy import DropProxy  # noqa: E402

dns = need("AW_TB_DNS")
proxy = DropProxy(dns, drop="slow")

slow = [f"slow{i}.verify.test" for i in range(4)]
answered = [f"{n}.verify.test" for n in
            ("full", "nested", "broken", "half", "late", "macro", "nodmarc",
             "noverify", "weak", "wrongdkim")]
# The dropped domains first: they start first and would take the wire.
r = subprocess.run([os.environ["AW_BIN"], "check", "--json", "--no-dnssec",
                    "--dns-server", proxy.addr(), "--dns-timeout", "2",
                    "--dns-tries", "2", "--parallel", "32", *slow, *answered],
                   capture_output=True, text=True, timeout=120)
proxy.stop = True
docs = []
for line in r.stdout.splitlines():
    try:
        docs.append(json.loads(line))
    except ValueError:
        docs.append({})
got = {d.get("domain"): d for d in docs}
ok(len(docs) == len(slow) + len(answered) and set(got) == set(slow + answered),
   "every domain has its line", r.stdout[-2000:] + r.stderr)
ok(all(got.get(d, {}).get("dns_failure") is False for d in answered),
   "the answered domains come out without a DNS failure",
   [(d, got.get(d, {}).get("dns_failure")) for d in answered])
ok(all(got.get(d, {}).get("dns_failure") is True for d in slow),
   "the dropped domains come out as DNS failures",
   [(d, got.get(d, {}).get("dns_failure")) for d in slow])

log = proxy.questions()
ndropped = sum(1 for _, dropped, _ in log if dropped)
ok(ndropped > 128,
   "the dropped domains asked more than the 128 queries a server may have on the wire (DKIM discovery)",
   ndropped)
seen, first_retry = set(), None
for i, (name, dropped, key) in enumerate(log):
    if dropped and key in seen:
        first_retry = i
        break
    seen.add(key)


def about_answered(name):
    return any(name == d or name.endswith("." + d) for d in answered)


last_answered = max((i for i, (n, _, _) in enumerate(log) if about_answered(n)),
                    default=None)
ok(first_retry is not None and last_answered is not None
   and last_answered < first_retry,
   "every question about the answered domains was asked before the first "
   "dropped question timed out and was asked again",
   f"last answered-domain question at {last_answered}, first retry at "
   f"{first_retry} of {len(log)}")
done()
