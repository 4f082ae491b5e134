#!/usr/bin/python3
"""faults.py: nothing is lost when an apply is cut short (issue 20). A
fault-injecting proxy (tests/lib/fault_proxy.py) stands in front of the real
PowerDNS API of the test bed (or one started here, the TESTBED.md recipe)
and in front of the Cloudflare and Route 53 fakes. For every host: the
change request is done by the host and then answered with a timeout, a
reset mid-body, garbage, a 503 with an HTML page; a fault on the second
write; a request the host never got. Each case asserts the apply's exit
status and report, and that the zone after `undo` equals the zone before
`apply`. Then the signal cases (SIGTERM while a change is out; a second
SIGINT leaves at once with the journal saying "in-flight"), a disk that
fills after the first change (a small tmpfs, or RLIMIT_FSIZE when no mount
is possible), two applies at once (the lock names the holder's pid) and
the numbered history (`undo --list`, undo takes the newest). TAP output."""
import glob
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fakes"))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
from fakelib import Fake, Tap, aw, AW_BIN  # noqa: E402
from fault_proxy import FaultProxy  # noqa: E402
import providers_powerdns as pdns  # noqa: E402

tap = Tap()
WRITES = "^(POST|PUT|PATCH|DELETE)$"
OLD_SPF = ["v=spf1 include:_spf.old.example ~all", "v=spf1 ip4:192.0.2.10 -all"]


def wait_for(cond, secs=20):
    """Polls cond (bounded); True once it holds."""
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.02)   # polling a condition, not synchronisation
    return cond()


class PowerDNS:
    name = "powerdns"
    zone = "faults-pdns.test"

    def __init__(self, tmp):
        self.proc = None
        self.api = os.environ.get("AW_TB_PDNS_API")
        self.key = os.environ.get("AW_TB_PDNS_KEY")
        if not self.api or not self.key or not os.environ.get("AW_TB_PDNS_DNS"):
            self.api, self.key, _, self.proc = pdns.start_own_pdns(tmp)
        base = "/api/v1/servers/localhost/zones"
        try:
            pdns.api_call(self.api, self.key, "DELETE", base + "/" + self.zone + ".")
        except urllib.error.HTTPError:
            pass
        rr = lambda n, vals: {"name": n + ".", "type": "TXT", "ttl": 300,  # noqa: E731
                              "changetype": "REPLACE",
                              "records": [{"content": '"%s"' % v, "disabled": False}
                                          for v in vals]}
        pdns.api_call(self.api, self.key, "POST", base, {
            "name": self.zone + ".", "kind": "Native", "nameservers": ["ns1." + self.zone + "."],
            "rrsets": [rr(self.zone, OLD_SPF + ["google-site-verification=abc123"]),
                       rr("_dmarc." + self.zone, ["v=DMARC1; p=none"])]})
        self.proxy = FaultProxy(self.api)
        self.env = {"PDNS_API_URL": self.proxy.base, "PDNS_API_KEY": self.key}

    def snapshot(self):
        _, z = pdns.api_call(self.api, self.key, "GET",
                             "/api/v1/servers/localhost/zones/" + self.zone + ".")
        return sorted((r["name"], r["type"], r["ttl"], tuple(sorted(x["content"] for x in r["records"])))
                      for r in z["rrsets"] if r["type"] != "SOA")

    def stop(self):
        self.proxy.stop()
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Cloudflare:
    name = "cloudflare"
    zone = "faults-cf.test"

    def __init__(self, tmp):
        self.fake = Fake("cloudflare_fake.py")
        recs = [{"type": "TXT", "name": self.zone, "content": '"%s"' % v, "ttl": 300}
                for v in OLD_SPF + ["google-site-verification=abc123"]]
        recs.append({"type": "TXT", "name": "_dmarc." + self.zone,
                     "content": '"v=DMARC1; p=none"', "ttl": 300})
        self.fake.control("/__fake/seed", {"tokens": {"tok-edit": "edit"},
                                           "zones": [{"name": self.zone, "records": recs}]})
        self.proxy = FaultProxy(self.fake.base + "/client/v4")
        self.env = {"CLOUDFLARE_BASE_URL": self.proxy.base, "CLOUDFLARE_API_TOKEN": "tok-edit"}

    def snapshot(self):
        out = []
        for z in self.fake.control("/__fake/state")["zones"]:
            for r in z["records"]:
                out.append((r["name"], r["type"], r.get("ttl"), r["content"].strip('"')))
        return sorted(out)

    def stop(self):
        self.proxy.stop()
        self.fake.stop()


class Route53:
    name = "route53"
    zone = "faults-r53.test"

    def __init__(self, tmp):
        self.fake = Fake("route53_fake.py")
        self.fake.control("/__fake/seed", {
            "credentials": {"AKIDTEST": {"secret": "s3cret"}}, "insync_after": 1,
            "zones": [{"name": self.zone, "rrsets": [
                {"name": self.zone, "type": "TXT", "ttl": 300,
                 "values": ['"%s"' % v for v in OLD_SPF + ["google-site-verification=abc123"]]},
                {"name": "_dmarc." + self.zone, "type": "TXT", "ttl": 300,
                 "values": ['"v=DMARC1; p=none"']}]}]})
        self.proxy = FaultProxy(self.fake.base)
        self.env = {"AWS_ENDPOINT_URL_ROUTE_53": self.proxy.base,
                    "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "s3cret",
                    "AW_ROUTE53_POLL_MS": "10"}

    def snapshot(self):
        out = []
        for z in self.fake.control("/__fake/state")["zones"]:
            for r in z["rrsets"]:
                out.append((r["name"], r["type"], r["ttl"], tuple(sorted(r["values"]))))
        return sorted(out)

    def stop(self):
        self.proxy.stop()
        self.fake.stop()


def want(h):
    # The test bed's DNS for the preflight: it refuses the made-up
    # vendor's name (a warning), where the open internet would say
    # NXDOMAIN (an error that stops the apply with exit 7).
    return ["--provider", h.name, "--spf-include", "_spf.vendor.example",
            "--dmarc", "v=DMARC1; p=reject",
            "--dns-server", os.environ["AW_TB_DNS"]]


def journals(state, h, kind="journal"):
    """The domain's journals of a kind, oldest first."""
    paths = glob.glob(os.path.join(state, "authwizard", h.zone + ".*.%s.json" % kind))
    return sorted(paths, key=lambda p: int(p[len(os.path.join(state, "authwizard", h.zone)) + 1:].split(".")[0]))


def newest_states(state, h):
    js = journals(state, h)
    if not js:
        return []
    return [c["state"] for c in json.load(open(js[-1]))["changes"]]


def undo_restores(h, env, before, what):
    rc, out, err = aw("undo", h.zone, env=env)
    after = h.snapshot()
    tap(rc == 0 and after == before and "restored, read back" in out,
        "%s, %s: undo exits 0, says restored, and the zone is as before (%d %s)"
        % (h.name, what, rc, err.strip()[-200:]))
    return after == before


def fault_cases(h, base_env):
    env = dict(base_env, AW_HTTP_TIMEOUT_MS="1500")
    before = h.snapshot()
    for action, what in (("timeout", "no answer after the host acted"),
                         ("reset", "a reset mid-body after the host acted"),
                         ("garbage", "a garbage reply after the host acted"),
                         ("status", "a 503 with an HTML page after the host acted")):
        h.proxy.clear()
        h.proxy.add(method=WRITES, action=action, times=None, hold_s=10)
        rc, out, err = aw("apply", h.zone, "--yes", *want(h), env=env)
        states = newest_states(env["XDG_STATE_HOME"], h)
        tap(rc == 5 and "pending" not in states[:1] and h.snapshot() != before,
            "%s, %s: exit 5, the journal does not say pending (%d %s)" % (h.name, what, rc, states))
        tap("UNKNOWN" in err or "made" in err,
            "%s, %s: the report names made/unknown changes" % (h.name, what))
        if action == "status":
            tap("server error (HTTP 503)" in err and "malformed" not in err,
                "%s: a 503 with an HTML body is a server error named with its status" % h.name)
        h.proxy.clear()
        undo_restores(h, env, before, what)

    # The host never got the request: nothing made, the read-back says so.
    h.proxy.clear()
    h.proxy.add(method=WRITES, action="drop", times=None, hold_s=10)
    rc, out, err = aw("apply", h.zone, "--yes", *want(h), env=env)
    tap(rc == 4 and "NOT made" in err and h.snapshot() == before,
        "%s: a request the host never got: exit 4, reported NOT made (%d)" % (h.name, rc))
    h.proxy.clear()
    rc, out, err = aw("undo", h.zone, env=env)
    tap(rc == 0 and "as before already" in out and h.snapshot() == before,
        "%s: undo of it changes nothing and says so (%d)" % (h.name, rc))

    # The second write fails after the host acted (Cloudflare: record by
    # record; the others send one batch, which then goes through).
    h.proxy.clear()
    h.proxy.add(method=WRITES, action="reset", nth=2, times=None)
    rc, out, err = aw("apply", h.zone, "--yes", *want(h), env=env)
    nwrites = len(h.proxy.writes())
    tap((rc == 5) if nwrites >= 2 else (rc == 0),
        "%s: a reset on the second write: exit %d after %d writes" % (h.name, rc, nwrites))
    h.proxy.clear()
    undo_restores(h, env, before, "a reset on the second write")


def run_apply_bg(h, env):
    return subprocess.Popen([AW_BIN, "apply", h.zone, "--yes"] + want(h), env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def read_until(stream, text, secs=20):
    got = ""
    deadline = time.monotonic() + secs
    while text not in got and time.monotonic() < deadline:
        r, _, _ = select.select([stream], [], [], 0.2)
        if r:
            chunk = os.read(stream.fileno(), 4096).decode(errors="replace")
            if not chunk:
                break
            got += chunk
    return got


def signal_cases(h, env):
    before = h.snapshot()
    # SIGTERM while the change is out: it settles, the outcome is printed.
    h.proxy.clear()
    h.proxy.add(method=WRITES, action="hold", times=None)
    p = run_apply_bg(h, env)
    tap(wait_for(h.proxy.held.is_set), "%s: the change request is out" % h.name)
    p.send_signal(signal.SIGTERM)
    read_until(p.stderr, "Stopping")
    h.proxy.release()
    out, err = p.communicate(timeout=60)
    states = newest_states(env["XDG_STATE_HOME"], h)
    # Route 53 and PowerDNS: one request, settled; Cloudflare: the
    # change's next request is not sent, so it may be part made.
    tap(p.returncode == 5 and "stopped by a signal" in err and states and
        states[0] in ("made", "unknown"),
        "%s: SIGTERM mid-change: exit 5, outcome printed, journal %s (%d)"
        % (h.name, states, p.returncode))
    undo_restores(h, env, before, "SIGTERM mid-change")

    # Ctrl-C twice: the second leaves at once; the journal says in flight.
    h.proxy.clear()
    h.proxy.add(method=WRITES, action="hold", times=None)
    p = run_apply_bg(h, env)
    tap(wait_for(h.proxy.held.is_set), "%s: the change request is out again" % h.name)
    p.send_signal(signal.SIGINT)
    first = read_until(p.stderr, "Stopping")
    p.send_signal(signal.SIGINT)
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
    states = newest_states(env["XDG_STATE_HOME"], h)
    tap("Stopping" in first and p.returncode == 5 and "in-flight" in states,
        "%s: a second SIGINT leaves at once (exit %s), journal %s" % (h.name, p.returncode, states))
    h.proxy.release()     # the host gets the change after all
    wait_for(lambda: h.snapshot() != before)
    h.proxy.clear()
    undo_restores(h, env, before, "two SIGINTs with the change out")


def concurrent_cases(h, env):
    before = h.snapshot()
    h.proxy.clear()
    h.proxy.add(method=WRITES, action="hold", times=None)
    p = run_apply_bg(h, env)
    tap(wait_for(h.proxy.held.is_set), "%s: a first apply is under way" % h.name)
    rc, out, err = aw("apply", h.zone, "--yes", "--provider", h.name,
                      "--txt", "@=second-apply", env=env)
    tap(rc == 6 and ("pid %d" % p.pid) in err,
        "%s: a second apply on the domain refuses and names the holder's pid (%d: %s)"
        % (h.name, rc, err.strip()[-160:]))
    rc, out, err = aw("undo", h.zone, env=env)
    tap(rc == 6 and ("pid %d" % p.pid) in err and "Plan for" not in out,
        "%s: an undo meanwhile refuses too and names the pid (%d)" % (h.name, rc))
    h.proxy.release()
    p.communicate(timeout=60)
    tap(p.returncode == 0, "%s: the first apply then ends well (%d)" % (h.name, p.returncode))
    h.proxy.clear()
    # History: a second apply keeps its own journal; undo takes the newest.
    rc, out, err = aw("apply", h.zone, "--yes", "--provider", h.name,
                      "--txt", "_dmarc=vendor-note", env=env)
    n_j = len(journals(env["XDG_STATE_HOME"], h))
    rc2, lst, _ = aw("undo", "--list", h.zone, env=env)
    tap(rc == 0 and n_j >= 2 and lst.count("not undone") >= 2,
        "%s: two applies keep two journals, listed by undo --list" % h.name)
    rc, out, err = aw("undo", h.zone, env=env)
    tap(rc == 0 and any(("vendor-note" in str(x)) for x in before) is False and
        not any("vendor-note" in str(x) for x in h.snapshot()) and h.snapshot() != before,
        "%s: undo takes back the newest apply only" % h.name)
    undo_restores(h, env, before, "the older apply")
    rc, lst, _ = aw("undo", "--list", h.zone, env=env)
    tap("not undone" not in lst and lst.count("undone") >= 2,
        "%s: both journals are listed as undone" % h.name)


def fill(path):
    """Fills the file system of path (ENOSPC ends it)."""
    try:
        with open(os.path.join(path, "filler"), "wb") as f:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
    except OSError:
        pass


def make_read_only(path):
    """A read-only bind mount over path (the open lock file stays as it is)."""
    return (subprocess.run(["mount", "--bind", path, path], capture_output=True).returncode == 0 and
            subprocess.run(["mount", "-o", "remount,bind,ro", path],
                           capture_output=True).returncode == 0)


def read_only_case(h, env, tmp):
    """The journal's directory turns read-only right after the first
    change reached the host (a read-only bind mount; needs root)."""
    before = h.snapshot()
    state = os.path.join(tmp, "rofs")
    os.makedirs(os.path.join(state, "authwizard"))
    env = dict(env, XDG_STATE_HOME=state)
    jdir = os.path.join(state, "authwizard")
    box = {"ro": False}

    def after(req):
        box["ro"] = make_read_only(jdir)
    try:
        h.proxy.clear()
        h.proxy.add(method=WRITES, action="pass", times=1, after=after)
        rc, out, err = aw("apply", h.zone, "--yes", *want(h), env=env)
        if not box["ro"]:
            tap(True, "# SKIP %s: no read-only bind mount here" % h.name)
            return
        nw = len(h.proxy.writes())
        states = newest_states(state, h)
        tap(rc == 5 and "read-only" in err and nw == 1 and states and states[0] == "in-flight",
            "%s: a read-only journal directory stops the apply before the next request, "
            "the journal still true (%d, %d writes, %s)" % (h.name, rc, nw, states))
    finally:
        if box["ro"]:
            subprocess.run(["umount", jdir])
    h.proxy.clear()
    undo_restores(h, env, before, "a read-only journal directory")


def disk_case(h, env, tmp):
    """The disk fills right after the first change reached the host."""
    before = h.snapshot()
    state = os.path.join(tmp, "smallfs")
    os.makedirs(state)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", state],
                             capture_output=True).returncode == 0
    env = dict(env, XDG_STATE_HOME=state)
    box = {}

    def after(req):
        if mounted:
            fill(state)
        else:
            resource.prlimit(box["pid"], resource.RLIMIT_FSIZE, (64, 64))
    try:
        h.proxy.clear()
        h.proxy.add(method=WRITES, action="pass", times=1, after=after)
        p = run_apply_bg(h, env)
        box["pid"] = p.pid
        out, err = p.communicate(timeout=60)
        nw = len(h.proxy.writes())
        states = newest_states(state, h)
        tap(p.returncode == 5 and ("disk is full" in err or "File too large" in err),
            "%s: a full disk (%s) stops the apply: exit 5 (%d %s)"
            % (h.name, "tmpfs" if mounted else "RLIMIT_FSIZE", p.returncode,
               " ".join(err.split())[-160:]))
        tap(nw == 1 and states and states[0] in ("in-flight", "made", "unknown"),
            "%s: no request after the disk filled (%d writes); the journal still true: %s"
            % (h.name, nw, states))
        h.proxy.clear()
        if mounted:
            os.unlink(os.path.join(state, "filler"))
        undo_restores(h, env, before, "a full disk")
    finally:
        if mounted:
            subprocess.run(["umount", state])


def main():
    tmp = tempfile.mkdtemp(prefix="aw-faults-")
    hosts = []
    try:
        for cls in (PowerDNS, Cloudflare, Route53):
            h = cls(tmp)
            hosts.append(h)
            env = dict(os.environ)
            env.update(h.env)
            env.update({"XDG_STATE_HOME": os.path.join(tmp, "state-" + h.name),
                        "HOME": tmp, "AW_HTTP_BACKOFF_MS": "10", "AW_HTTP_TIMEOUT_MS": "5000"})
            for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
                env.pop(k, None)
            fault_cases(h, env)
            signal_cases(h, env)
            concurrent_cases(h, env)
            if h.name == "cloudflare":
                disk_case(h, env, tmp)
                read_only_case(h, env, tmp)
    finally:
        for h in hosts:
            h.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
