#!/usr/bin/python3
"""providers_cloudflare.py: plan/apply/undo against the Cloudflare fake
(tests/fakes/cloudflare_fake.py, written from tests/specs), with the
fault tests: 429 + Retry-After, 500, a timeout, a malformed body, an error
on the second change, a token without permission. TAP output."""
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from fakelib import AW_BIN, Fake, Tap, aw  # noqa: E402

ZONE = "cf.test"
OLD = [{"type": "TXT", "name": ZONE, "content": "v=spf1 include:_spf.old.example ~all", "ttl": 300},
       {"type": "TXT", "name": ZONE, "content": '"v=spf1 ip4:192.0.2.10 -all"', "ttl": 300},
       {"type": "TXT", "name": ZONE, "content": "google-site-verification=abc123", "ttl": 1},
       {"type": "A", "name": "www." + ZONE, "content": "192.0.2.80", "ttl": 1}]
WANT = ["--provider", "cloudflare", "--spf-include", "_spf.vendor.example",
        "--dmarc", "v=DMARC1; p=none", "--dkim-cname", "s1=s1.dkim.vendor.example"]
# The preflight of plan/apply asks DNS about the includes and the CNAME
# target: the test bed's Knot, which refuses the names it does not serve
# (unknown: a warning, not a block), never the system's resolver.
if os.environ.get("AW_TB_DNS"):
    WANT += ["--dns-server", os.environ["AW_TB_DNS"]]
tap = Tap()


def records(fake, name=None, rtype=None):
    st = fake.control("/__fake/state")
    out = []
    for z in st["zones"]:
        for r in z["records"]:
            if (name is None or r["name"] == name) and (rtype is None or r["type"] == rtype):
                out.append(r)
    return out


def writes(fake):
    return [e for e in fake.control("/__fake/log")["log"]
            if e["method"] in ("POST", "PUT", "PATCH", "DELETE")]


def aw_tty(args, env, answer):
    """Runs authwizard on a pseudo-terminal; types answer at the prompt."""
    import pty
    import select
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(AW_BIN, [AW_BIN] + args, env)
    out, sent = b"", False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
        if not sent and b"not shown" in out:
            os.write(fd, answer)
            sent = True
    if time.monotonic() >= deadline:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def main():
    tmp = tempfile.mkdtemp(prefix="aw-cf-")
    fake = Fake("cloudflare_fake.py")
    try:
        run(fake, tmp)
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


def run(fake, tmp):
    many = [{"type": "TXT", "name": "many." + ZONE, "content": '"v%03d"' % i, "ttl": 300}
            for i in range(120)]
    fake.control("/__fake/seed", {
        "tokens": {"tok-edit": "edit", "tok-read": "read"},
        "zones": [{"name": ZONE, "records": OLD + many}]})
    env = dict(os.environ)
    env.update({"CLOUDFLARE_BASE_URL": fake.base + "/client/v4",
                "CLOUDFLARE_API_TOKEN": "tok-edit",
                "XDG_STATE_HOME": os.path.join(tmp, "state"),
                "AW_HTTP_BACKOFF_MS": "10", "AW_HTTP_TIMEOUT_MS": "5000"})
    google_before = [r for r in records(fake, ZONE, "TXT") if "google" in r["content"]]

    rc, out, err = aw("plan", ZONE, "--json", *WANT, env=env)
    plan = json.loads(out) if rc == 0 else {"changes": []}
    tap(rc == 0, "plan exits 0 (%d %s)" % (rc, err.strip()))
    apex = [c for c in plan["changes"] if c["name"] == ZONE]
    spf = [v for v in (apex[0]["new"]["values"] if apex else []) if v.startswith("v=spf1")]
    tap(len(spf) == 1 and "include:_spf.old.example" in spf[0] and "ip4:192.0.2.10" in spf[0],
        "an unquoted and a quoted SPF record are read and merged into one: %s" % spf)
    tap(apex and "google-site-verification=abc123" in apex[0]["new"]["values"],
        "the verification TXT stays in the plan")

    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 0, "apply exits 0 (%d %s)" % (rc, err.strip()))
    apex_now = records(fake, ZONE, "TXT")
    spf_now = [r for r in apex_now if "v=spf1" in r["content"]]
    tap(len(spf_now) == 1 and spf_now[0]["content"].startswith('"v=spf1'),
        "exactly one SPF record remains, written quoted")
    google_after = [r for r in apex_now if "google" in r["content"]]
    tap(google_after == google_before, "the google-site-verification record is untouched (same id, content, ttl)")
    cn = records(fake, "s1._domainkey." + ZONE, "CNAME")
    tap(len(cn) == 1 and cn[0]["proxied"] is False and cn[0]["content"] == "s1.dkim.vendor.example",
        "the DKIM CNAME is created, not proxied")
    dm = records(fake, "_dmarc." + ZONE, "TXT")
    tap(len(dm) == 1 and dm[0]["content"] == '"v=DMARC1; p=none"' and dm[0]["ttl"] == 1,
        "the DMARC TXT is created quoted with ttl 1 (automatic)")

    fake.control("/__fake/clear")
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 0 and writes(fake) == [], "applying again sends no write")

    rc, out, err = aw("undo", ZONE, env=env)
    tap(rc == 0, "undo exits 0 (%d %s)" % (rc, err.strip()))
    txt = sorted(r["content"].strip('"') for r in records(fake, ZONE, "TXT"))
    tap(txt == sorted(["v=spf1 include:_spf.old.example ~all", "v=spf1 ip4:192.0.2.10 -all",
                       "google-site-verification=abc123"]), "undo restores the old TXT values")
    tap(not records(fake, "s1._domainkey." + ZONE) and not records(fake, "_dmarc." + ZONE),
        "undo removes the created records")

    # Paging: 120 records at one name, 100 per page.
    fake.control("/__fake/clear")
    rc, out, err = aw("plan", ZONE, "--json", "--provider", "cloudflare",
                      "--txt", "many=v999", env=env)
    j = json.loads(out) if rc == 0 else {"changes": [{"old": {"values": []}}]}
    pages = [dict(e["query"]).get("page") for e in fake.control("/__fake/log")["log"]
             if e["path"].endswith("/dns_records")]
    tap(len(j["changes"][0]["old"]["values"]) == 120 and "2" in pages,
        "a listing over two pages is read whole (pages %s)" % sorted(set(pages)))

    # 429 with Retry-After: retried after the given seconds.
    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "GET", "path": "/dns_records$", "status": 429,
                                   "code": 10100, "message": "More than 1200 requests per 300 seconds",
                                   "retry_after": 1, "times": 1})
    t0 = time.monotonic()
    rc, out, err = aw("plan", ZONE, *WANT, env=env)
    dt = time.monotonic() - t0
    tap(rc == 0 and dt >= 1.0, "429 with Retry-After: 1 is retried after a second (%.2fs)" % dt)

    # 500 on the first POST: retried with backoff, the apply succeeds.
    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "POST", "path": "/dns_records$", "status": 500,
                                   "code": 10000, "message": "Internal error", "times": 1})
    rc, out, err = aw("apply", ZONE, "--yes", "--provider", "cloudflare",
                      "--txt", "@=vendor-a=1", env=env)
    posts = [e for e in writes(fake) if e["method"] == "POST"]
    tap(rc == 0 and len(posts) == 2, "a 500 is retried and the apply succeeds (%d POSTs)" % len(posts))

    # A timeout: no hang, exit 4, a message naming it.
    fake.control("/__fake/fault", {"method": "GET", "path": "/zones$", "delay": 3,
                                   "body": "{}", "times": 1})
    env_t = dict(env, AW_HTTP_TIMEOUT_MS="400")
    t0 = time.monotonic()
    rc, out, err = aw("plan", ZONE, *WANT, env=env_t)
    dt = time.monotonic() - t0
    tap(rc == 4 and "in time" in err and dt < 3, "a timeout ends with exit 4 in %.2fs: %s" % (dt, err.strip()))

    # A malformed body.
    fake.control("/__fake/fault", {"method": "GET", "path": "/zones$", "status": 200,
                                   "body": "{\"success\": tru", "times": 1})
    rc, out, err = aw("plan", ZONE, *WANT, env=env)
    tap(rc == 4 and "malformed" in err, "a malformed body: exit 4 (%s)" % err.strip())

    # An error on the second change: the first stays made, undo reverts it.
    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "POST", "path": "/dns_records$", "status": 400,
                                   "code": 1004, "message": "DNS Validation Error", "times": 1})
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env)
    tap(rc == 5, "an error on the second change: exit 5 (%d)" % rc)
    tap("1004" in err and "DNS Validation Error" in err, "Cloudflare's code and message are shown")
    tap(("update %s TXT: made" % ZONE) in err and "NOT made" in err,
        "the report says which changes were made and which were not")
    # Each apply keeps its own journal (numbered history): the third one.
    jr = json.load(open(os.path.join(tmp, "state", "authwizard", ZONE + ".3.journal.json")))
    states = sorted(c["state"] for c in jr["changes"])
    tap("made" in states and ("failed" in states or "pending" in states),
        "the journal records the states: %s" % states)
    rc, out, err = aw("undo", ZONE, env=env)
    spf_after = [r for r in records(fake, ZONE, "TXT") if "v=spf1" in r["content"]]
    tap(rc == 0 and len(spf_after) == 2, "undo reverts the change that was made")

    # A token without permission to edit.
    fake.control("/__fake/clear")
    env_r = dict(env, CLOUDFLARE_API_TOKEN="tok-read")
    rc, out, err = aw("apply", ZONE, "--yes", *WANT, env=env_r)
    tap(rc == 4 and "10000" in err and "tok-read" not in out + err,
        "a token without edit permission: exit 4, code 10000, token not shown")
    tap(not records(fake, "_dmarc." + ZONE), "nothing was changed")

    # A wrong token is caught by the verification first.
    env_w = dict(env, CLOUDFLARE_API_TOKEN="tok-wrong-secret")
    rc, out, err = aw("plan", ZONE, *WANT, env=env_w)
    log = fake.control("/__fake/log")["log"]
    tap(rc == 4 and "tok-wrong-secret" not in out + err and log[-1]["path"].endswith("/user/tokens/verify"),
        "a wrong token stops at /user/tokens/verify: %s" % err.strip())

    # Token from a file: must be 0600.
    tf = os.path.join(tmp, "token")
    with open(tf, "w") as f:
        f.write("tok-edit\n")
    os.chmod(tf, 0o644)
    env_f = dict(env)
    del env_f["CLOUDFLARE_API_TOKEN"]
    rc, out, err = aw("plan", ZONE, "--cloudflare-token-file", tf, *WANT, env=env_f)
    tap(rc == 2 and "600" in err, "a token file readable by others is refused")
    os.chmod(tf, 0o600)
    rc, out, err = aw("plan", ZONE, "--cloudflare-token-file", tf, *WANT, env=env_f)
    tap(rc == 0, "a 0600 token file works")
    # lego's names: CLOUDFLARE_DNS_API_TOKEN, and as any lego name, its
    # _FILE (0600 only; the refusal names the variable, not the token).
    rc, out, err = aw("plan", ZONE, *WANT, env=dict(env_f, CLOUDFLARE_DNS_API_TOKEN="tok-edit"))
    tap(rc == 0, "lego's CLOUDFLARE_DNS_API_TOKEN is taken (%d %s)" % (rc, err.strip()[:200]))
    os.chmod(tf, 0o644)
    env_l = dict(env_f, CLOUDFLARE_DNS_API_TOKEN_FILE=tf)
    rc, out, err = aw("plan", ZONE, *WANT, env=env_l)
    tap(rc == 2 and "CLOUDFLARE_DNS_API_TOKEN_FILE" in err and "600" in err and
        "tok-edit" not in out + err,
        "lego's CLOUDFLARE_DNS_API_TOKEN_FILE readable by others is refused (%d %s)" % (
            rc, err.strip()[:200]))
    os.chmod(tf, 0o600)
    rc, out, err = aw("plan", ZONE, *WANT, env=env_l)
    tap(rc == 0 and "tok-edit" not in out + err,
        "lego's CLOUDFLARE_DNS_API_TOKEN_FILE (0600) is read (%d %s)" % (rc, err.strip()[:200]))

    # No token at all: on a terminal it is typed in, not echoed; without
    # a terminal it is a usage error.
    rc, out = aw_tty(["plan", ZONE] + WANT, env_f, b"tok-edit\n")
    tap(rc == 0 and "Cloudflare API token (typed, not shown)" in out and
        "tok-edit" not in out and "Plan for " + ZONE in out,
        "a token typed at the prompt is used and not echoed (%d)" % rc)
    rc, out, err = aw("plan", ZONE, *WANT, env=env_f)
    tap(rc == 2 and "CLOUDFLARE_API_TOKEN" in err and "not shown" not in err,
        "without a terminal nothing is asked: exit 2 naming CLOUDFLARE_API_TOKEN")

    st = fake.control("/__fake/state")
    tap(st["errors"] == [], "the fake saw no contract violation: %s" % st["errors"][:3])


if __name__ == "__main__":
    sys.exit(main())
