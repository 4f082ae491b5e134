"""hostcases.py: the round trip every API host's test runs against its fake
(providers_digitalocean.py, providers_desec.py, providers_hetzner.py):
plan (one merged SPF record, the other TXT at the name kept) -> apply ->
apply again (no write) -> undo (exact) -> a listing over several pages ->
429 with Retry-After and a 500 retried -> a bad token refused (not shown)
-> the token file (0600 checked) -> watch of an apply on Knot.

A host is described by a dict:
    id, fake (file name), zone, token_env, token_option ("--x-token-file"),
    base_env, base (URL the client is given), seed(fake, zone, txt, extra),
    txt(fake, zone, name) -> the TXT values at name as the host stores them,
    plain(stored) -> the value without the host's quoting,
    writes(log) -> the write requests in a fake's log,
    error_shown (text of the host's bad-token error that must be shown),
    page_param (the query parameter that moves to the next page),
    extra(tap, fake, env) (optional: the host's own cases)."""
import json
import os
import time

from fakelib import Tap, aw

OLD_TXT = ["v=spf1 include:_spf.old.example ~all", "v=spf1 ip4:192.0.2.10 -all",
           "google-site-verification=abc123"]
WATCH_ZONE = "hosts-watch.test"     # tests/zones/hosts-watch.test.zone


def want(host):
    w = ["--provider", host["id"], "--spf-include", "_spf.vendor.example",
         "--dmarc", "v=DMARC1; p=none", "--dkim-cname", "s1=s1.dkim.vendor.example"]
    # The preflight asks the test bed's Knot, never the system's resolver.
    if os.environ.get("AW_TB_DNS"):
        w += ["--dns-server", os.environ["AW_TB_DNS"]]
    return w


def log(fake):
    return fake.control("/__fake/log")["log"]


def run_all(host, fake, tmp):
    tap = Tap()
    zone = host["zone"]
    host["seed"](fake, zone, OLD_TXT, ["v%03d" % i for i in range(12)])
    env = dict(os.environ)
    env.update({host["base_env"]: host["base"], host["token_env"]: "tok-write",
                "XDG_STATE_HOME": os.path.join(tmp, "state"),
                "AW_HTTP_BACKOFF_MS": "10", "AW_HTTP_TIMEOUT_MS": "5000"})
    for k in host.get("other_envs", []):
        env.pop(k, None)
    w = want(host)
    plain = host["plain"]

    rc, out, err = aw("plan", zone, "--json", *w, env=env)
    plan = json.loads(out) if rc == 0 else {"changes": []}
    apex = [c for c in plan["changes"] if c["name"] == zone]
    spf = [v for v in (apex[0]["new"]["values"] if apex else []) if v.startswith("v=spf1")]
    tap(rc == 0 and len(spf) == 1 and "include:_spf.old.example" in spf[0] and
        "ip4:192.0.2.10" in spf[0] and "include:_spf.vendor.example" in spf[0],
        "plan: the two SPF records merged into one (%d %s %s)" % (rc, spf, err.strip()))
    tap(apex and "google-site-verification=abc123" in apex[0]["new"]["values"],
        "plan: the verification TXT stays")

    rc, out, err = aw("apply", zone, "--yes", *w, env=env)
    tap(rc == 0, "apply exits 0 (%d %s)" % (rc, err.strip()))
    apex_now = [plain(v) for v in host["txt"](fake, zone, zone)]
    tap(len([v for v in apex_now if v.startswith("v=spf1")]) == 1 and
        "google-site-verification=abc123" in apex_now,
        "one SPF record at the apex, the verification TXT kept: %s" % apex_now)
    dm = host["txt"](fake, zone, "_dmarc." + zone)
    tap(dm == [host["stored"]("v=DMARC1; p=none")],
        "the DMARC TXT written in the host's TXT form: %s" % dm)
    tap(host["cname"](fake, zone, "s1._domainkey." + zone) == host["cname_stored"],
        "the DKIM CNAME created")
    jpath = os.path.join(tmp, "state", "authwizard", zone + ".1.journal.json")
    try:
        jr = json.load(open(jpath))
    except (OSError, ValueError):
        jr = {"changes": []}
    tap(jr.get("provider") == host["id"] and jr["changes"] and
        all(c["state"] == "made" for c in jr["changes"]),
        "the journal names the host and every change made")

    fake.control("/__fake/clear")
    rc, out, err = aw("apply", zone, "--yes", *w, env=env)
    tap(rc == 0 and host["writes"](log(fake)) == [],
        "applying again sends no write (%d)" % rc)

    rc, out, err = aw("undo", zone, env=env)
    tap(rc == 0, "undo exits 0 (%d %s)" % (rc, err.strip()))
    txt = sorted(plain(v) for v in host["txt"](fake, zone, zone))
    tap(txt == sorted(OLD_TXT), "undo restores the old TXT values exactly: %s" % txt)
    tap(host["txt"](fake, zone, "_dmarc." + zone) == [] and
        host["cname"](fake, zone, "s1._domainkey." + zone) is None,
        "undo removes the records it created")

    # Paging: 12 values at one name, the fake's pages are small.
    fake.control("/__fake/clear")
    rc, out, err = aw("plan", zone, "--json", "--provider", host["id"],
                      "--txt", "many=v999", env=env)
    j = json.loads(out) if rc == 0 else {"changes": [{"old": {"values": []}}]}
    pages = [dict(e["query"]).get(host["page_param"]) for e in log(fake)
             if e["method"] == "GET" and dict(e["query"]).get(host["page_param"])]
    tap(len(j["changes"][0]["old"]["values"]) == 12 and len(set(pages)) >= 3,
        "a listing over several pages is read whole (%d values, pages %s)"
        % (len(j["changes"][0]["old"]["values"]), sorted(set(pages))))
    rc, out, err = aw("apply", zone, "--yes", "--provider", host["id"],
                      "--txt", "many=v999", env=env)
    many = sorted(plain(v) for v in host["txt"](fake, zone, "many." + zone))
    tap(rc == 0 and len(many) == 13 and "v999" in many,
        "a value added beside 12 paged values keeps them all (%d)" % len(many))

    # 429 with Retry-After: 1, then a 500: both retried.
    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": "GET", "path": host["list_path"],
                                   "status": 429, "retry_after": 1, "times": 1})
    fake.control("/__fake/fault", {"method": "GET", "path": host["list_path"],
                                   "status": 500, "times": 1, "after": 1})
    t0 = time.monotonic()
    rc, out, err = aw("plan", zone, *w, env=env)
    dt = time.monotonic() - t0
    tap(rc == 0 and dt >= 1.0,
        "429 with Retry-After: 1 and a 500 are retried, the plan succeeds (%.2fs %s)"
        % (dt, err.strip()))

    # An error the host answers to a write: its code and message shown.
    fake.control("/__fake/clear")
    fake.control("/__fake/fault", {"method": host["write_method"], "path": host["write_path"],
                                   "status": host.get("error_status", 422), "times": 1,
                                   "json": host["error_json"]})
    rc, out, err = aw("apply", zone, "--yes", "--provider", host["id"],
                      "--dmarc", "v=DMARC1; p=reject", env=env)
    tap(rc == 4 and all(s in err for s in host["error_shown"]) and "\x1b" not in err,
        "a refused write: exit 4 (nothing made), the host's code and message shown escaped (%d %s)"
        % (rc, err.strip()[-300:]))

    # A bad token: refused before anything is read, and never shown.
    fake.control("/__fake/clear")
    env_w = dict(env, **{host["token_env"]: "tok-wrong-secret"})
    rc, out, err = aw("plan", zone, *w, env=env_w)
    tap(rc == 4 and "tok-wrong-secret" not in out + err and
        all(s in err for s in host["bad_token_shown"]) and len(log(fake)) == 1,
        "a wrong token: exit 4 at the first request, the host's refusal shown: %s"
        % err.strip())
    # A read-only token: the write refused, nothing changed.
    env_r = dict(env, **{host["token_env"]: "tok-read"})
    rc, out, err = aw("apply", zone, "--yes", "--provider", host["id"],
                      "--txt", "@=read-only-try", env=env_r)
    tap(rc in (4, 5) and "read-only-try" not in " ".join(host["txt"](fake, zone, zone)),
        "a read-only token: the write is refused, nothing changed (%d %s)"
        % (rc, err.strip()[-200:]))

    # The lego name for the token works too.
    env_l = dict(env)
    del env_l[host["token_env"]]
    env_l[host["lego_env"]] = "tok-write"
    rc, out, err = aw("plan", zone, *w, env=env_l)
    tap(rc == 0, "lego's %s is taken too (%d %s)" % (host["lego_env"], rc, err.strip()))

    # Token from a file: must be 0600.
    tf = os.path.join(tmp, "token")
    with open(tf, "w") as f:
        f.write("tok-write\n")
    os.chmod(tf, 0o644)
    env_f = dict(env)
    del env_f[host["token_env"]]
    rc, out, err = aw("plan", zone, host["token_option"], tf, *w, env=env_f)
    tap(rc == 2 and "600" in err, "a token file readable by others is refused")
    os.chmod(tf, 0o600)
    rc, out, err = aw("plan", zone, host["token_option"], tf, *w, env=env_f)
    tap(rc == 0, "a 0600 token file works (%d %s)" % (rc, err.strip()))
    rc, out, err = aw("plan", zone, *w, env=env_f)
    tap(rc == 2 and host["token_env"] in err,
        "without a token: exit 2 naming %s" % host["token_env"])

    # lego's NAME_FILE for its token name: 0600 only, a trailing newline
    # taken off, the refusal naming the variable and never the token.
    lf = os.path.join(tmp, "lego-token")
    with open(lf, "w") as f:
        f.write("tok-write\n")
    os.chmod(lf, 0o640)
    env_lf = dict(env_f)
    env_lf[host["lego_env"] + "_FILE"] = lf
    rc, out, err = aw("plan", zone, *w, env=env_lf)
    tap(rc == 2 and host["lego_env"] + "_FILE" in err and "600" in err and
        "tok-write" not in out + err,
        "lego's %s_FILE readable by the group is refused (%d %s)" % (
            host["lego_env"], rc, err.strip()[:200]))
    os.chmod(lf, 0o600)
    rc, out, err = aw("plan", zone, *w, env=env_lf)
    tap(rc == 0 and "tok-write" not in out + err,
        "lego's %s_FILE (0600) is read (%d %s)" % (host["lego_env"], rc, err.strip()[:200]))

    if host.get("extra"):
        host["extra"](tap, fake, env)
    run_watch(tap, host, fake, env)
    st = fake.control("/__fake/state")
    tap(st["errors"] == [], "the fake saw no contract violation: %s" % st["errors"][:3])
    return tap.done()


def run_watch(tap, host, fake, env):
    """An apply on WATCH_ZONE, then `watch` (the last apply, from the
    journal) against Knot, which serves what the host holds afterwards."""
    dnsserver = os.environ.get("AW_TB_DNS")
    if not dnsserver:
        tap(True, "# SKIP watch: the test bed is not running")
        return
    host["seed"](fake, WATCH_ZONE, ["v=spf1 -all"], [])
    rc, out, err = aw("apply", WATCH_ZONE, "--yes", "--provider", host["id"],
                      "--txt", "@=hello=api", "--dmarc", "v=DMARC1; p=none",
                      "--dns-server", dnsserver, env=env)
    tap(rc == 0, "apply on %s exits 0 (%d %s)" % (WATCH_ZONE, rc, err.strip()))
    ns = ["--nameserver", dnsserver, "--dns-server", dnsserver, "--interval", "0.2",
          "--dns-timeout", "1", "--dns-tries", "1"]
    rc, out, err = aw("watch", WATCH_ZONE, *ns, "--timeout", "20", "--json", env=env)
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {}
    recs = doc.get("records", [])
    tap(rc == 0 and doc.get("converged") is True and
        any(r["value"] == "hello=api" for r in recs) and
        all(set(r["servers"].values()) == {"match"} for r in recs),
        "watch of the last apply: every record matches on Knot (%d %s)" % (rc, err.strip()))
