"""fakelib.py: shared by the provider integration tests: start a fake (it
prints "PORT n" once listening), talk to its /__fake/ control endpoints,
run authwizard, print TAP."""
import json
import os
import subprocess
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
AW_BIN = os.environ.get("AW_BIN", "./authwizard")


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def __call__(self, ok, what):
        self.n += 1
        if not ok:
            self.failed += 1
        print(("ok %d - %s" if ok else "not ok %d - %s") % (self.n, what), flush=True)
        return ok

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


class Fake:
    """Starts tests/fakes/NAME; stops it by PID."""

    def __init__(self, name, *args):
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, name)] + list(args),
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()     # blocks until listening
        if not line.startswith("PORT "):
            self.proc.kill()
            raise RuntimeError("fake %s did not start: %r" % (name, line))
        self.port = int(line.split()[1])
        self.base = "http://127.0.0.1:%d" % self.port

    def control(self, path, doc=None):
        data = json.dumps(doc).encode() if doc is not None else None
        req = urllib.request.Request(self.base + path, data=data,
                                     method="POST" if data is not None else "GET")
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read() or b"null")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def aw(*args, env=None, timeout=120):
    p = subprocess.run([AW_BIN] + list(args), capture_output=True, text=True,
                       env=env, stdin=subprocess.DEVNULL, timeout=timeout)
    return p.returncode, p.stdout, p.stderr
