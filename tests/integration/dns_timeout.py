#!/usr/bin/python3
"""dns_timeout.py: --dns-timeout means what the help says (issue 20). c-ares
doubles the wait for each further try, and the help says so with the total:
against a server that never answers, --dns-timeout 0.2 --dns-tries 3 gives
up after 0.2 + 0.4 + 0.8 = 1.4 seconds, not 0.6 and not much more. The
silent server is a UDP socket on 127.0.0.1 that reads and drops. TAP."""
import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from fakelib import Tap, AW_BIN  # noqa: E402

tap = Tap()


def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(0.2)
    port = s.getsockname()[1]
    stop = threading.Event()
    seen = []

    def drop():
        while not stop.is_set():
            try:
                seen.append(s.recvfrom(4096)[0])
            except socket.timeout:
                pass
    t = threading.Thread(target=drop, daemon=True)
    t.start()
    try:
        help_out = subprocess.run([AW_BIN, "spf", "--help"], capture_output=True,
                                  text=True, env=dict(os.environ, LC_ALL="C")).stdout
        tap("7 seconds" in help_out and "twice as long" in help_out,
            "--help says each further try waits twice as long, with a total")
        t0 = time.monotonic()
        p = subprocess.run([AW_BIN, "spf", "silent.test", "--ip", "192.0.2.1", "--dns-server", "127.0.0.1:%d" % port,
                            "--dns-timeout", "0.2", "--dns-tries", "3"],
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, LC_ALL="C"))
        dt = time.monotonic() - t0
        tap(p.returncode == 3, "no answer: exit 3 (%d)" % p.returncode)
        tap(1.2 <= dt < 5, "0.2 s with 3 tries gives up after about 1.4 s (%.2f s)" % dt)
        tap(len(seen) >= 3, "the server saw every try (%d queries)" % len(seen))
    finally:
        stop.set()
        t.join(2)
        s.close()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
