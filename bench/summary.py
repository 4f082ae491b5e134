#!/usr/bin/python3
"""summary.py: the table of `make bench`: every "@table" line of the
benchmarks' output (figure, measured, goal, verdict; tab-separated), side
by side, then the same as a Markdown table for README, with the machine
named (nproc, the CPU model of /proc/cpuinfo).

    bench/summary.py LOG
"""
import os
import sys

rows = []
with open(sys.argv[1]) as f:
    for line in f:
        if line.startswith("@table "):
            rows.append(line[7:].rstrip("\n").split("\t"))
model = "unknown CPU"
try:
    with open("/proc/cpuinfo") as f:
        model = next(x.split(":", 1)[1].strip() for x in f
                     if x.startswith("model name"))
except (OSError, StopIteration):
    pass
load = os.getloadavg()[0]
machine = (f"{os.cpu_count()} CPUs ({model}), load average {load:.1f} "
           f"at the end")
print(f"\n== make bench: every comparison, one run, {machine}")
w = [max(len(r[i]) for r in rows) if rows else 0 for i in range(4)]
for r in rows:
    print("  ".join(c.ljust(w[i]) for i, c in enumerate(r)))
print("\nFor README (Markdown):\n")
print(f"Machine: {machine}.\n")
print("| figure | measured | goal | |")
print("|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
