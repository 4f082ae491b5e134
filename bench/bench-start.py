#!/usr/bin/python3
"""bench-start.py: process start-up, `authwizard --version` against
/bin/true: the median wall time of many runs each (fork and exec from
this process, so both pay the same), and the difference.

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
    times = []
    for _ in range(args.n):
        t0 = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


aw = median_ms([args.bin, "--version"])
true = median_ms(["/bin/true"])
print(f"start-up, median of {args.n} runs: authwizard --version {aw:.2f} ms, "
      f"/bin/true {true:.2f} ms: {aw - true:.2f} ms above (goal <= 2 ms)")
