#!/usr/bin/python3
"""bench-wizard.py: the wizard's first paint and its memory, as a person
starts it: `authwizard DOMAIN` on a pseudo-terminal (100x30, TERM=xterm)
against its own Knot (tests/testbed.sh knot, every tests/zones/*.zone)
on 127.0.0.1.

  first paint  from fork to the first output that shows the domain's
               name (the overview's title line drawn);
  overview     from fork to the overview's MX row (the last area to
               fill: its host names come from a second round of
               answers);
  peak RSS     VmHWM of the wizard once the overview is whole.

Medians of RUNS starts. Each run ends the wizard with SIGTERM (the same
as a closed terminal). Goals (issue 16): first paint < 50 ms, RSS
< 16 MiB.

    bench/bench-wizard.py [--runs 11] [--domain example.test]
        [--bin build/authwizard]
"""
import argparse
import os
import pty
import select
import signal
import statistics
import struct
import fcntl
import subprocess
import sys
import tempfile
import termios
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--runs", type=int, default=11)
ap.add_argument("--domain", default="example.test")
ap.add_argument("--row", default="mail.example.test",
                help="text of the overview's last row to fill")
ap.add_argument("--bin", default=os.path.join(top, "build", "authwizard"))
args = ap.parse_args()

tmp = tempfile.mkdtemp(prefix="aw-bench-wizard.")
zones = sorted(os.path.join(top, "tests", "zones", z)
               for z in os.listdir(os.path.join(top, "tests", "zones"))
               if z.endswith(".zone"))
out = subprocess.run([os.path.join(top, "tests", "testbed.sh"), "knot",
                      os.path.join(tmp, "knot"), *zones],
                     capture_output=True, text=True, check=True).stdout.split()
kport, kpid = out[0], int(out[1])


def vmhwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def one_run():
    """(first paint ms, overview ms, peak RSS KiB) of one start."""
    env = dict(os.environ, TERM="xterm", LANG="C.UTF-8", LC_ALL="C.UTF-8",
               XDG_STATE_HOME=os.path.join(tmp, "state"),
               XDG_CONFIG_HOME=os.path.join(tmp, "config"),
               AW_DATADIR=os.path.join(top, "data"))
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        os.execve(args.bin, [args.bin, "--dns-server", f"127.0.0.1:{kport}",
                             "--dns-timeout", "2", args.domain], env)
    seen, first, whole, rss = b"", None, None, 0
    deadline = time.monotonic() + 30
    try:
        while whole is None and time.monotonic() < deadline:
            r, _, _ = select.select([fd], [], [], 1.0)
            if not r:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen = (seen + chunk)[-262144:]
            now = (time.perf_counter() - t0) * 1000
            if first is None and args.domain.encode() in seen:
                first = now
            if first is not None and args.row.encode() in seen:
                whole = now
                rss = vmhwm_kib(pid)
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)
    if first is None or whole is None:
        sys.exit("bench-wizard: the wizard did not show "
                 f"{args.domain!r} and {args.row!r} within 30 s")
    return first, whole, rss


try:
    runs = [one_run() for _ in range(args.runs)]
finally:
    os.kill(kpid, signal.SIGTERM)
paint = statistics.median(r[0] for r in runs)
whole = statistics.median(r[1] for r in runs)
rss = statistics.median(r[2] for r in runs) / 1024
verdict = "holds" if paint < 50 and rss < 16 else "misses"
print(f"wizard {args.domain}, median of {args.runs} starts (Knot on "
      f"127.0.0.1:{kport}): first paint {paint:.1f} ms, overview whole "
      f"{whole:.1f} ms, peak RSS {rss:.1f} MiB (goal < 50 ms, < 16 MiB)")
print(f"@table wizard first paint / peak RSS\t{paint:.0f} ms (overview whole "
      f"{whole:.0f} ms) / {rss:.1f} MiB\t< 50 ms / < 16 MiB\t{verdict}")
