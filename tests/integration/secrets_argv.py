#!/usr/bin/python3
"""secrets_argv.py: no secret on the command line (issue 20). The options
that took a secret as a value (--cloudflare-token, --aws-secret-access-key,
--aws-session-token, --pdns-api-key) refuse one and name the way instead;
each secret is read from a file (mode 0600) or from standard input with
"-"; while an apply runs, /proc/PID/cmdline holds no secret. Against the
Cloudflare and Route 53 fakes (tests/fakes/). TAP output."""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fakes"))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from fakelib import Fake, Tap, AW_BIN  # noqa: E402
from fault_proxy import FaultProxy  # noqa: E402

tap = Tap()
CF, R53 = "sec-cf.test", "sec-r53.test"


def run(args, env, stdin=None):
    p = subprocess.run([AW_BIN] + args, capture_output=True, text=True, env=env,
                       input=stdin if stdin is not None else "", timeout=60)
    return p.returncode, p.stdout, p.stderr


def main():
    tmp = tempfile.mkdtemp(prefix="aw-sec-")
    cf = Fake("cloudflare_fake.py")
    r53 = Fake("route53_fake.py")
    proxy = None
    try:
        cf.control("/__fake/seed", {"tokens": {"tok-sec-edit": "edit"}, "zones": [
            {"name": CF, "records": [{"type": "TXT", "name": CF, "content": '"a"', "ttl": 300}]}]})
        r53.control("/__fake/seed", {"credentials": {"AKIDSEC": {"secret": "r53-very-secret"}},
                                     "insync_after": 1, "zones": [{"name": R53, "rrsets": []}]})
        env = dict(os.environ, XDG_STATE_HOME=os.path.join(tmp, "state"), HOME=tmp,
                   CLOUDFLARE_BASE_URL=cf.base + "/client/v4",
                   AWS_ENDPOINT_URL_ROUTE_53=r53.base, AWS_ACCESS_KEY_ID="AKIDSEC",
                   AW_ROUTE53_POLL_MS="10")
        for k in ("CLOUDFLARE_API_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE",
                  "AWS_SESSION_TOKEN", "PDNS_API_KEY"):
            env.pop(k, None)

        for opt, way in (("--cloudflare-token", "--cloudflare-token-file"),
                         ("--aws-secret-access-key", "--aws-secret-access-key-file"),
                         ("--aws-session-token", "--aws-session-token-file"),
                         ("--pdns-api-key", "--pdns-api-key-file")):
            rc, out, err = run(["plan", CF, "--provider", "cloudflare", opt, "s3cr3t",
                                "--txt", "@=b"], env)
            tap(rc == 2 and way in err and "s3cr3t" not in out + err,
                "%s VALUE is refused and names %s (%d)" % (opt, way, rc))

        rc, out, err = run(["plan", CF, "--provider", "cloudflare", "--cloudflare-token-file", "-",
                            "--txt", "@=b"], env, stdin="tok-sec-edit\n")
        tap(rc == 0 and "tok-sec-edit" not in out + err,
            "--cloudflare-token-file - reads the token from standard input (%d %s)" % (rc, err.strip()))

        kf = os.path.join(tmp, "aws-secret")
        with open(kf, "w") as f:
            f.write("r53-very-secret\n")
        os.chmod(kf, 0o644)
        want = ["--provider", "route53", "--txt", "@=v1"]
        rc, out, err = run(["plan", R53, "--aws-secret-access-key-file", kf] + want, env)
        tap(rc == 2 and "600" in err, "a secret file others can read is refused (%d)" % rc)
        os.chmod(kf, 0o600)
        rc, out, err = run(["plan", R53, "--aws-secret-access-key-file", kf] + want, env)
        tap(rc == 0, "--aws-secret-access-key-file FILE (0600) works (%d %s)" % (rc, err.strip()))
        rc, out, err = run(["plan", R53, "--aws-secret-access-key-file", "-"] + want, env,
                           stdin="r53-very-secret")
        tap(rc == 0, "--aws-secret-access-key-file - works (%d %s)" % (rc, err.strip()))

        # While an apply runs: its command line holds no secret.
        proxy = FaultProxy(r53.base)
        proxy.add(method="^POST$", action="hold", times=None)
        env_p = dict(env, AWS_ENDPOINT_URL_ROUTE_53=proxy.base)
        p = subprocess.Popen([AW_BIN, "apply", R53, "--yes", "--aws-secret-access-key-file", "-"] + want,
                             env=env_p, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        p.stdin.write("r53-very-secret\n")
        p.stdin.close()
        p.stdin = None
        held = proxy.held.wait(30)
        cmdline = open("/proc/%d/cmdline" % p.pid, "rb").read() if held else b""
        environ = open("/proc/%d/environ" % p.pid, "rb").read() if held else b""
        proxy.release()
        out, err = p.communicate(timeout=60)
        tap(held and b"r53-very-secret" not in cmdline and b"r53-very-secret" not in environ,
            "while the apply runs, /proc/PID/cmdline holds no secret")
        tap(p.returncode == 0, "the apply with the secret from standard input ends well (%d %s)"
            % (p.returncode, err.strip()[-120:]))
    finally:
        if proxy is not None:
            proxy.stop()
        cf.stop()
        r53.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
