#!/usr/bin/python3
"""bench-bulk.py: `authwizard check` of many domains against a real DNS
server, the way a vendor verifies its customers' domains.

Starts its own Knot (tests/testbed.sh knot) on 127.0.0.1 serving one zone
with N customer domains (each: SPF with an include, a 2048-bit DKIM key at
s1, DMARC, two MX hosts with addresses), then runs

    authwizard check --domains-file - --selector s1 --json --parallel P

for a few values of P (and with --jobs J at the largest P, J worker
processes sharing the run) and reports wall time, domains per second and the
peak RSS of the authwizard process. Every domain must come out without a
DNS failure, or the run fails. Numbers are reported, not asserted.

Against dnsperf (Debian dnsperf) on the same query mix, same run: one
untimed check of all domains through bench/dns-delay-proxy.py (no
delay) records every query it asks (name and type); dnsperf sends that
list to the same Knot (before and after authwizard's runs, the better
of the two counts), and each authwizard run is reported as queries per
second (the recorded count over its wall time) and as a fraction of
dnsperf's (issue 16's goal: >= 0.5).

The recorded mix goes to dnsperf as asked: a type the proxy logs by
number (99, SPF) as "TYPE99" (RFC 3597 form, which dnsperf parses), and a
question the proxy marks "+do" (EDNS DO bit: a validator's) as its plain
type (dnsperf sets DO for all queries or none; this zone is unsigned).

Each row is the fastest of -r runs (default 3): the machine may be shared.

    bench/bench-bulk.py [-n DOMAINS] [-p P,P,...] [-j J,J,...] [-r RUNS]
        [--bin build/authwizard]
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("-n", type=int, default=2000, help="domains (default 2000)")
ap.add_argument("-p", default="1,32,256", help="--parallel values (default 1,32,256)")
ap.add_argument("-j", default="2",
                help="--jobs values run at the largest P (default 2; 1: none)")
ap.add_argument("-r", type=int, default=3,
                help="runs of each row, the fastest reported (default 3)")
ap.add_argument("--bin", default=os.path.join(top, "build", "authwizard"))
args = ap.parse_args()
maxrss = os.path.join(os.path.dirname(os.path.abspath(args.bin)), "tests", "tools", "maxrss")
if not os.access(maxrss, os.X_OK):
    sys.exit(f"bench-bulk: {maxrss} not built (make tools)")

# A real key so the DKIM area parses and measures a 2048-bit RSA key.
with open(os.path.join(top, "tests", "zones", "example.test.zone")) as f:
    dkim = next(line for line in f if line.startswith("s2048._domainkey"))
dkim_rdata = dkim.split("TXT", 1)[1].strip()

tmp = tempfile.mkdtemp(prefix="aw-bench-")
zone = os.path.join(tmp, "bulk.test.zone")
with open(zone, "w") as z:
    z.write("$ORIGIN bulk.test.\n$TTL 300\n"
            "@ SOA ns1.bulk.test. hostmaster.bulk.test. 1 3600 600 604800 300\n"
            "@ NS ns1.bulk.test.\nns1 A 127.0.0.1\n"
            "_spf.esp TXT \"v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:100::/48 -all\"\n"
            "mx1 A 192.0.2.25\nmx1 AAAA 2001:db8::25\nmx2 A 192.0.2.26\n")
    for i in range(args.n):
        d = f"c{i}"
        z.write(f"{d} TXT \"v=spf1 mx include:_spf.esp.bulk.test ~all\"\n"
                f"{d} MX 10 mx1.bulk.test.\n{d} MX 20 mx2.bulk.test.\n"
                f"s1._domainkey.{d} TXT {dkim_rdata}\n"
                f"_dmarc.{d} TXT \"v=DMARC1; p=quarantine; rua=mailto:d@bulk.test\"\n")

# The parent zone too: DMARC's tree walk (RFC 9989 §4.10) asks
# _dmarc.test, which a server not authoritative for test. refuses.
parent = os.path.join(tmp, "test.zone")
with open(parent, "w") as z:
    z.write("$ORIGIN test.\n$TTL 300\n"
            "@ SOA ns1.bulk.test. hostmaster.bulk.test. 1 3600 600 604800 300\n"
            "@ NS ns1.bulk.test.\n")

out = subprocess.run([os.path.join(top, "tests", "testbed.sh"), "knot",
                      os.path.join(tmp, "knot"), zone, parent],
                     capture_output=True, text=True)
if out.returncode != 0:
    sys.exit("bench-bulk: Knot did not start: " + out.stderr)
port, pid = out.stdout.split()
try:
    names = "".join(f"c{i}.bulk.test\n" for i in range(args.n))
    with open(os.path.join(tmp, "names"), "w") as f:
        f.write(names)

    # The query mix: one untimed run through a proxy that logs them.
    qlog = os.path.join(tmp, "queries")
    px = subprocess.Popen([os.path.join(top, "bench", "dns-delay-proxy.py"),
                           "--upstream", f"127.0.0.1:{port}", "--delay", "0",
                           "--log", qlog], stdout=subprocess.PIPE, text=True)
    try:
        pport = int(px.stdout.readline())
        with open(os.path.join(tmp, "names")) as fin:
            subprocess.run([args.bin, "check", "--domains-file", "-",
                            "--selector", "s1", "--json", "--parallel", "64",
                            "--dns-server", f"127.0.0.1:{pport}"],
                           stdin=fin, stdout=subprocess.DEVNULL)
    finally:
        px.terminate()
        px.wait()
    with open(qlog) as f:
        mix = [x.split()[1:3] for x in f if len(x.split()) == 3]

    def dnsperf_type(t):
        t = t.removesuffix("+do")
        return f"TYPE{t}" if t.isdigit() else t

    dpin = os.path.join(tmp, "dnsperf.in")
    with open(dpin, "w") as f:
        f.write("".join(f"{n} {dnsperf_type(t)}\n" for n, t in mix))

    def dnsperf():
        if shutil.which("dnsperf") is None:
            return None
        r = subprocess.run(["dnsperf", "-s", "127.0.0.1", "-p", port,
                            "-d", dpin, "-n", "1", "-q", "256", "-t", "5"],
                           capture_output=True, text=True)
        if "invalid" in r.stdout + r.stderr:
            sys.exit("bench-bulk: dnsperf refused lines of the mix: " +
                     (r.stdout + r.stderr)[:500])
        for line in r.stdout.splitlines():
            if "Queries per second" in line:
                return float(line.split()[-1])
        return None

    perf_qps = [dnsperf()]
    print(f"{args.n} domains, 5 areas each (SPF tree, DKIM s1, DMARC, MX + "
          f"addresses), Knot on 127.0.0.1:{port}")
    print(f"{'parallel':>12} {'wall':>8} {'domains/s':>10} {'queries/s':>10} "
          f"{'peak RSS':>9} {'CPU':>7} {'CPU/domain':>10}")
    rows, cpus, rss = [], [], []
    ps = [int(x) for x in args.p.split(",")]
    runs = [(p, 1) for p in ps] + [(max(ps), int(j)) for j in args.j.split(",")
                                   if int(j) > 1]
    def one_run(p, jobs, label):
        """(wall, CPU s, peak RSS KiB) of one checked run."""
        with open(os.path.join(tmp, "names"), "w") as f:
            f.write(names)
        outp = os.path.join(tmp, "out.jsonl")
        with open(os.path.join(tmp, "names")) as fin, open(outp, "w") as fout:
            t0 = time.monotonic()
            # Started by a small C program: a child of this (large)
            # Python process would report Python's peak as its own.
            # The results go to a file, read after: this process reading
            # ~19 MB from a pipe meanwhile would take CPU from the run.
            r = subprocess.run([maxrss, args.bin, "check", "--domains-file", "-",
                                "--selector", "s1", "--json", "--parallel",
                                str(p), "--jobs", str(jobs),
                                "--dns-server", f"127.0.0.1:{port}"],
                               stdin=fin, stdout=fout, stderr=subprocess.PIPE,
                               text=True)
            wall = time.monotonic() - t0
        usage = dict(kv.split("=") for kv in r.stderr.split("\n")[-2].split())
        with open(outp) as f:
            docs = [json.loads(line) for line in f]
        bad = [d["domain"] for d in docs if d["dns_failure"]]
        if r.returncode != 0 or len(docs) != args.n or bad:
            sys.exit(f"bench-bulk: parallel {label}: exit {r.returncode}, "
                     f"{len(docs)} results, DNS failures: {bad[:5]}")
        return wall, float(usage['cpu_s']), int(usage['maxrss_kib'])

    for p, jobs in runs:
        label = f"{p}" + (f" --jobs {jobs}" if jobs > 1 else "")
        # The best of -r runs: the machine may be shared.
        wall, cpu, kib = min(one_run(p, jobs, label) for _ in range(args.r))
        usage = {"maxrss_kib": kib}
        rows.append((label, len(mix) / wall))
        cpus.append(cpu)
        rss.append(int(usage['maxrss_kib']) / 1024)
        print(f"{label:>12} {wall:>7.2f}s {args.n / wall:>10.0f} "
              f"{len(mix) / wall:>10.0f} "
              f"{int(usage['maxrss_kib']) / 1024:>5.0f} MiB {cpu:>6.2f}s "
              f"{cpu / args.n * 1000:>8.2f}ms")
    perf_qps.append(dnsperf())
    got = [q for q in perf_qps if q is not None]
    if not got:
        print("dnsperf: not installed (apt-get install dnsperf): no ratio")
    else:
        best = max(got)
        print(f"dnsperf, the same {len(mix)} queries ({len(mix) / args.n:.1f} "
              f"per domain), -q 256: {best:.0f} queries/s "
              f"(runs: {', '.join(f'{q:.0f}' for q in got)})")
        for p, qps in rows:
            print(f"ratio: parallel {p}: {qps / best:.2f} of dnsperf's "
                  f"queries/s (goal >= 0.5)")
        top_label, top_qps = max(rows, key=lambda r: r[1])
        print(f"@table bulk `check --domains-file` ({args.n} domains) vs "
              f"dnsperf, same query mix\t{top_qps / best:.2f} of dnsperf's "
              f"queries/s ({top_qps:.0f} vs {best:.0f}; --parallel "
              f"{top_label}); "
              f"{min(c for c in cpus) / args.n * 1000:.2f} ms CPU per domain"
              f"\t>= 0.5\t{'holds' if top_qps / best >= 0.5 else 'misses'}")
    print(f"@table bulk peak RSS ({args.n} domains, parallel "
          f"{args.p})\t{', '.join(f'{r:.1f}' for r in rss)} MiB\t"
          f"stays flat in N\tsee -n")
finally:
    os.kill(int(pid), signal.SIGTERM)
    shutil.rmtree(tmp, ignore_errors=True)
