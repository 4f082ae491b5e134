"""`check --jobs N` and `verify --jobs N` (cli/bulk.c): N worker processes
share a bulk run and the parent prints their results in input order. Against the test bed's
Knot: --jobs 3 gives byte for byte the output and the exit status of
--jobs 1, as text and as JSON Lines, for a mix of good domains, domains
with findings, a name that does not exist and one the server refuses (a
DNS failure: exit 3); a bad --jobs is refused like a bad --parallel; a
worker killed with SIGKILL is an error naming it, not a hang; SIGTERM to
the parent, or SIGINT to the process group (Ctrl-C), stops the run with
whole results, one summary and exit 130; a bad --trust-anchor file is
said once, by the parent, not by each worker."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, need  # noqa: E402
from drop_proxy import DropProxy  # noqa: E402

dns = need("AW_TB_DNS")
aw_bin = os.environ["AW_BIN"]

mix = ["example.test", "full.verify.test", "broken.verify.test",
       "nosuchname.verify.test", "weak.verify.test", "spf.test",
       "refused.invalid", "dmarc.test", "half.verify.test", "crm.test",
       "wrongdkim.verify.test", "esp.test", "nested.verify.test"]
with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
    f.write("".join(d + "\n" for d in mix * 2))
    listfile = f.name


def check(*extra, timeout=120):
    return subprocess.run([aw_bin, "check", "--domains-file", listfile,
                           "--dns-server", dns, "--parallel", "8", *extra],
                          capture_output=True, timeout=timeout)


for mode in ([], ["--json"]):
    name = "--json" if mode else "text"
    one = check("--jobs", "1", *mode)
    three = check("--jobs", "3", *mode)
    ok(one.returncode == 3 and len(one.stdout) > 1000,
       f"{name}: --jobs 1 checks the mix (exit 3: the refused name)",
       (one.returncode, one.stderr[-500:]))
    ok(three.stdout == one.stdout,
       f"{name}: --jobs 3 prints byte for byte what --jobs 1 prints",
       (len(one.stdout), len(three.stdout), three.stderr[-500:]))
    ok(three.returncode == one.returncode,
       f"{name}: --jobs 3 ends with --jobs 1's exit status",
       (one.returncode, three.returncode))
    if mode:
        docs = [json.loads(x) for x in three.stdout.splitlines()]
        ok([d["domain"] for d in docs] == mix * 2 and
           any(d["errors"] for d in docs) and
           [d["domain"] for d in docs if d["dns_failure"]] ==
           ["refused.invalid"] * 2,
           "--json: one document per domain in input order, with findings "
           "and the one DNS failure", [d["domain"] for d in docs])

# verify: each domain fails (exit 1) or the refused one is a DNS failure
# (exit 3, which wins); the same with workers.
for mode in ([], ["--json"]):
    name = "verify --json" if mode else "verify text"
    v = [subprocess.run([aw_bin, "verify", "--service", "google",
                         "--domains-file", listfile, "--dns-server", dns,
                         "--jobs", j, *mode], capture_output=True,
                        timeout=120) for j in ("1", "3")]
    ok(v[0].returncode == 3 and v[1].returncode == 3 and
       v[1].stdout == v[0].stdout and len(v[0].stdout) > 500,
       f"{name}: --jobs 3 prints what --jobs 1 prints, the same exit status",
       (v[0].returncode, v[1].returncode, v[1].stderr[-300:]))
v = [subprocess.run([aw_bin, "verify", "--service", "google", "--dns-server",
                     dns, "--jobs", j, *mix[:6]], capture_output=True,
                    timeout=120) for j in ("1", "2")]
ok(v[0].returncode == 1 and v[1].returncode == 1 and
   v[1].stdout == v[0].stdout,
   "verify: domains that fail, no DNS failure: exit 1 from both",
   (v[0].returncode, v[1].returncode, v[1].stderr[-300:]))

# Good domains only: exit 0 from both.
good = subprocess.run([aw_bin, "check", "--jobs", "4", "--json", "--dns-server",
                       dns, "example.test", "spf.test", "crm.test",
                       "esp.test", "dmarc.test"],
                      capture_output=True, text=True, timeout=120)
ok(good.returncode == 0 and [json.loads(x)["domain"] for x in
                             good.stdout.splitlines()] ==
   ["example.test", "spf.test", "crm.test", "esp.test", "dmarc.test"],
   "answered domains only: exit 0, in order", good.stderr[-500:])

for bad in ("0", "65", "2x", ""):
    r = subprocess.run([aw_bin, "check", "example.test", "--jobs", bad],
                       capture_output=True, text=True, timeout=30)
    ok(r.returncode == 2 and
       f"--jobs: a number from 1 to 64, not {bad}" in r.stderr and
       r.stdout == "",
       f"--jobs {bad!r}: usage error naming it", r.stderr)
r = subprocess.run([aw_bin, "check", "example.test", "crm.test", "--jobs", "2",
                    "--baseline", os.path.join(tempfile.gettempdir(),
                                               "aw-jobs-nobaseline.json")],
                   capture_output=True, text=True, timeout=30)
ok(r.returncode == 2 and "--jobs" in r.stderr and "--baseline" in r.stderr,
   "--jobs with --baseline: usage error", r.stderr)
missing = os.path.join(tempfile.gettempdir(), "aw-jobs-no-anchor.txt")
r = subprocess.run([aw_bin, "check", "example.test", "crm.test", "--jobs", "3",
                    "--dns-server", dns, "--trust-anchor", missing],
                   capture_output=True, text=True, timeout=30)
ok(r.returncode == 2 and r.stderr.count(missing) == 1 and
   len(r.stderr.strip().splitlines()) == 1 and r.stdout == "",
   "--jobs 3 with a missing --trust-anchor file: said once, exit 2",
   r.stderr)
# A later error after --parallel or --jobs keeps the usage status (it had
# become -1: exit 255).
for opt in ("--parallel", "--jobs"):
    r = subprocess.run([aw_bin, "check", "example.test", opt, "2",
                        "--dns-server", dns, "--trust-anchor", missing],
                       capture_output=True, text=True, timeout=30)
    ok(r.returncode == 2 and r.stderr.count(missing) == 1,
       f"{opt} 2 then a missing --trust-anchor file: exit 2", r.stderr)


def children(pid):
    """The process ids whose parent is pid (from /proc)."""
    out = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(p))
    return out


def slow_run(jobs, **kw):
    """A run whose domains' questions are all dropped (each takes
    seconds), with its workers found; (process, workers)."""
    proxy = DropProxy(dns, drop="slow")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("".join(f"slow{i}.verify.test\n" for i in range(6)))
    p = subprocess.Popen([aw_bin, "check", "--domains-file", f.name, "--json",
                          "--no-dnssec", "--dns-server", proxy.addr(),
                          "--dns-timeout", "5", "--dns-tries", "3",
                          "--jobs", str(jobs)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, **kw)
    deadline = time.monotonic() + 20
    kids = []
    # Bounded wait until the workers exist and have asked something.
    while time.monotonic() < deadline and p.poll() is None:
        kids = children(p.pid)
        if len(kids) == jobs and len(proxy.questions()) >= jobs:
            break
        time.sleep(0.02)
    os.unlink(f.name)
    return p, kids, proxy


p, kids, proxy = slow_run(2)
ok(len(kids) == 2, "--jobs 2: two worker processes", kids)
if kids:
    os.kill(kids[1], signal.SIGKILL)


def finish(p, proxy):
    """The run's stdout, stderr and exit status ("hang" after 30 s)."""
    try:
        out, err = p.communicate(timeout=30)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        rc = "hang"
    proxy.stop = True
    return out, err, rc


out, err, rc = finish(p, proxy)
ok(rc == 70 and "worker 2 of 2" in err and f"process {kids[1] if kids else 0}"
   in err and "signal 9" in err,
   "a worker killed: exit 70 with an error naming it, no hang", (rc, err[-500:]))


def gone(pids):
    """True when none of pids runs (ended and reaped, or a zombie)."""
    for k in pids:
        try:
            with open(f"/proc/{k}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                    return False
        except OSError:
            pass
    return True


ok(kids and gone(kids), "... and no worker is left behind", kids)

def stopped(p, kids, proxy, how):
    out, err, rc = finish(p, proxy)
    whole = all(line.startswith("{") and line.endswith("}")
                for line in out.splitlines())
    ok(rc == 130 and "interrupted" in err and
       "of 6 domains not checked" in err and whole and
       err.count("interrupted") == 1,
       f"{how}: the workers stop, one summary, whole results only, exit 130",
       (rc, err[-500:], out[-200:]))
    ok(len(kids) == 3 and gone(kids), "... and every worker has ended", kids)


# Ctrl-C on a terminal: SIGINT to the whole process group.
p, kids, proxy = slow_run(3, start_new_session=True)
os.killpg(p.pid, signal.SIGINT)
stopped(p, kids, proxy, "SIGINT to the process group (Ctrl-C)")

p, kids, proxy = slow_run(3)
os.kill(p.pid, signal.SIGTERM)
out, err, rc = finish(p, proxy)
whole = True
for line in out.splitlines():
    try:
        json.loads(line)
    except ValueError:
        whole = False
ok(rc == 130 and "interrupted" in err and "of 6 domains not checked" in err
   and whole and (out == "" or out.endswith("\n")),
   "SIGTERM to the parent: the workers stop, whole results only, exit 130",
   (rc, err[-500:], out[-200:]))
ok(len(kids) == 3 and gone(kids), "... and every worker has ended", kids)


# The reader of the output goes away (`... | head -1` with SIGPIPE
# ignored, as a service that ignores it passes on to what it runs): the
# run stops at the first write that fails (EPIPE) instead of checking the
# rest for nobody, and says why, exit 6. Here the domains after the first
# two would each take 15 s (every question dropped).
for jobs in (1, 2):
    proxy = DropProxy(dns, drop="slow")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("example.test\ncrm.test\nspf.test\ndmarc.test\n" +
                "".join(f"slow{i}.verify.test\n" for i in range(6)))
    t0 = time.monotonic()
    p = subprocess.Popen([aw_bin, "check", "--domains-file", f.name, "--json",
                          "--no-dnssec", "--dns-server", proxy.addr(),
                          "--dns-timeout", "5", "--dns-tries", "3",
                          "--parallel", "1", "--jobs", str(jobs)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True,
                         restore_signals=False)
    first = p.stdout.readline()
    p.stdout.close()
    try:
        err = p.stderr.read()
        rc = p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        rc, err = None, ""
    took = time.monotonic() - t0
    asked = [q for q in proxy.questions() if "slow" in str(q)]
    proxy.stop = True
    os.unlink(f.name)
    ok(json.loads(first)["domain"] == "example.test" and rc == 6 and
       "cannot write the output: Broken pipe" in err and took < 10 and
       (jobs > 1 or not asked),
       f"--jobs {jobs}: the output's reader gone (EPIPE): the run stops, "
       f"says why, exit 6", (rc, round(took, 1), err[-300:], asked[:3]))

os.unlink(listfile)
done()
