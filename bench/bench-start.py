#!/usr/bin/python3
"""bench-start.py: process start-up, `authwizard --version` against
/bin/true: the median wall time and CPU time (user + system, wait4) of
many runs each (fork and exec from this process, so both pay the same),
and the differences. On a loaded machine the wall times grow with the
load; the CPU times much less.

    bench/bench-start.py [-n RUNS] [--bin build/authwizard]
"""
import argparse
import os
import statistics
import subprocess
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("-n", type=int, default=200, help="runs each (default 200)")
ap.add_argument("--bin", default=os.path.join(top, "build", "authwizard"))
args = ap.parse_args()


def median_ms(argv):
    """(median wall ms, median CPU ms: user + system, from wait4)."""
    wall, cpu = [], []
    for _ in range(args.n):
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall.append((time.perf_counter() - t0) * 1000)
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            raise SystemExit(f"bench-start: {argv[0]} exit {p.returncode}")
        cpu.append((ru.ru_utime + ru.ru_stime) * 1000)
    return statistics.median(wall), statistics.median(cpu)


# Alternating halves, so both see the same load.
aw, true = [], []
for _ in range(2):
    aw.append(median_ms([args.bin, "--version"]))
    true.append(median_ms(["/bin/true"]))
aw_w, aw_c = statistics.mean(a[0] for a in aw), statistics.mean(a[1] for a in aw)
tr_w, tr_c = statistics.mean(a[0] for a in true), statistics.mean(a[1] for a in true)
print(f"start-up, median of {args.n} runs (twice, alternating): "
      f"authwizard --version {aw_w:.2f} ms wall, {aw_c:.2f} ms CPU; "
      f"/bin/true {tr_w:.2f} ms wall, {tr_c:.2f} ms CPU: "
      f"{aw_w - tr_w:.2f} ms wall above, {aw_c - tr_c:.2f} ms CPU above "
      f"(goal <= 2 ms)")
# One line for make bench's table (bench/summary.py).
print(f"@table process start (`authwizard --version`)\t{aw_w:.1f} ms wall, "
      f"{aw_c:.1f} ms CPU; /bin/true {tr_w:.1f} ms, {tr_c:.1f} ms CPU: "
      f"{aw_w - tr_w:.1f} ms wall, {aw_c - tr_c:.1f} ms CPU above\t"
      f"<= 2 ms above /bin/true\t"
      f"{'holds' if aw_w - tr_w <= 2 else 'misses'}")
