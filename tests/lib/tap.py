"""tap.py: tiny TAP helpers for the integration tests (stdlib only)."""
import os
import subprocess
import sys

_n = 0
_failed = 0


def ok(cond, what, detail=None):
    """Prints one TAP line; returns cond."""
    global _n, _failed
    _n += 1
    if cond:
        print(f"ok {_n} - {what}")
    else:
        _failed += 1
        print(f"not ok {_n} - {what}")
        if detail is not None:
            for line in str(detail).splitlines()[:40]:
                print(f"#   {line}")
    sys.stdout.flush()
    return cond


def done():
    """Prints the plan and exits non-zero when something failed."""
    print(f"1..{_n}")
    sys.exit(1 if _failed else 0)


def run(args, env=None, input=None, timeout=60):
    """Runs a command; returns CompletedProcess with text stdout/stderr."""
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run(args, env=e, input=input, capture_output=True,
                          text=True, timeout=timeout)


def aw(*args, **kw):
    """Runs the authwizard binary under test."""
    return run([os.environ["AW_BIN"], *args], **kw)


def need(var):
    v = os.environ.get(var)
    if not v:
        print(f"1..0 # SKIP {var} not set (run through make check)")
        sys.exit(0)
    return v
