"""check and spf --ip against a DNS server that lies (tests/fakes/hostile_dns.py):
escape sequences in TXT and names, compression loops, a 64 KiB TXT over TCP,
wrong IDs, truncation games, CNAME loops, 10,000-deep include and redirect
chains, lying section counts. For every run: no crash (the exit status is
one the command documents), done within the tool's own DNS timeouts, no raw
control bytes on the terminal, valid UTF-8 and JSON, and DNS failures named
in words."""
import json
import os
import select
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done  # noqa: E402

AW_BIN = os.environ["AW_BIN"]
SERVER = os.path.join(os.environ["AW_SRCDIR"], "tests", "fakes", "hostile_dns.py")
# --dns-timeout 1 --dns-tries 1: every lookup ends within a second; a run
# asks in a few rounds. Past this many seconds something did not stop.
BOUND_S = 20
# Exit statuses each command documents (authwizard(1), --help).
EXITS = {"check": {0, 3}, "spf": {0, 1, 3}}


def start_server():
    proc = subprocess.Popen([sys.executable, SERVER], stdout=subprocess.PIPE)
    # Wait for "PORT n", bounded: the server prints it once it listens.
    ready, _, _ = select.select([proc.stdout], [], [], 30)
    line = proc.stdout.readline().decode() if ready else ""
    if not line.startswith("PORT "):
        proc.kill()
        proc.wait()
        print("1..0 # SKIP the hostile DNS server did not start: %r" % line)
        sys.exit(1)
    return proc, int(line.split()[1])


def control_bytes(data):
    """Raw C0 (but newline and tab), DEL, and C1 (as UTF-8) in output."""
    bad = [b for b in data if (b < 0x20 and b not in (0x0A, 0x09)) or b == 0x7F]
    text = data.decode("utf-8", "replace")
    bad += [ord(c) for c in text if 0x80 <= ord(c) <= 0x9F]
    return bad


def aw(port, *args):
    cmd = [AW_BIN, *args, "--dns-server", "127.0.0.1:%d" % port,
           "--dns-timeout", "1", "--dns-tries", "1"]
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=120)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc, out, err = None, e.stdout or b"", e.stderr or b""
    return rc, out, err, time.monotonic() - t0


def valid_utf8(data):
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def json_docs(out):
    """The JSON documents of out (one pretty-printed, or JSON Lines)."""
    dec, docs, i = json.JSONDecoder(), [], 0
    try:
        text = out.decode("utf-8")
        while True:
            while i < len(text) and text[i].isspace():
                i += 1
            if i == len(text):
                return docs
            doc, i = dec.raw_decode(text, i)
            docs.append(doc)
    except ValueError:
        return None


def run_case(port, domain, cmd, extra=(), want_json=False):
    """Runs one command; the checks every run must pass. Returns (rc, text, docs)."""
    args = [cmd, domain, *extra] + (["--json"] if want_json else [])
    rc, out, err, secs = aw(port, *args)
    what = "%s %s%s" % (" ".join(args[:2] + list(extra)), "--json " if want_json else "", "")
    detail = "exit %s after %.1f s\nstdout: %r\nstderr: %r" % (rc, secs, out[:1500], err[:1500])
    ok(rc in EXITS[cmd], "%s: exit status %s is one %s documents" % (what.strip(), rc, cmd), detail)
    ok(secs < BOUND_S, "%s: done in %.1f s (DNS timeout 1 s x 1 try)" % (what.strip(), secs), detail)
    bad = control_bytes(out) + control_bytes(err)
    ok(not bad and valid_utf8(out) and valid_utf8(err),
       "%s: no raw control bytes, valid UTF-8" % what.strip(),
       "control bytes: %r\n%s" % (sorted(set(bad))[:20], detail))
    docs = None
    if want_json:
        docs = json_docs(out)
        ok(bool(docs), "%s: the output is JSON" % what.strip(), detail)
    return rc, (out + err).decode("utf-8", "replace"), docs


def main():
    proc, port = start_server()
    try:
        cases(port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    done()


def cases(port):
    ip = ["--ip", "192.0.2.1"]

    # The baseline: the server answers what a good server would.
    rc, text, _ = run_case(port, "ok.test", "check")
    ok(rc == 0 and "v=DMARC1; p=reject" in text, "ok.test: a well-behaved zone checks clean of DNS failures", text)
    rc, text, docs = run_case(port, "ok.test", "spf", ip, want_json=True)
    ok(rc == 0 and docs and docs[0].get("result") == "pass", "ok.test: spf --ip passes", text)

    # Escape sequences, BEL, NUL, DEL, C1 and bad UTF-8 in TXT and names.
    rc, text, _ = run_case(port, "esc.test", "check", ["--selector", "s1"])
    ok(rc == 0 and "\\x1B[31m" in text, "esc.test: the ESC of the SPF record is shown escaped", text)
    # c-ares gives names in presentation form ("mx\027..."): escaped
    # once for the terminal, never "\\027" (issue 20).
    ok("mx\\027[31m\\007.esc.test" in text and "\\\\027" not in text,
       "esc.test: an MX name's control bytes are shown escaped once (\\027, not \\\\027)", text)
    rc, text, docs = run_case(port, "esc.test", "check", ["--selector", "s1"], want_json=True)
    ok(rc == 0 and docs and "\\x1B" in json.dumps(docs), "esc.test --json: ESC escaped in the JSON strings", text)
    rc, text, _ = run_case(port, "esc.test", "spf", ip)
    ok(rc == 1 and "permerror" in text and "7-bit ASCII" in text,
       "esc.test: spf --ip is permerror naming the byte that is not ASCII", text)

    # The explanation of a fail (exp=, RFC 7208 §6.2) is the publisher's text.
    rc, text, docs = run_case(port, "exp.test", "spf", ip)
    # Control bytes are not macro-literals (RFC 7208 §7.1): a syntax error
    # in the explanation string, so it is as if no exp= were given.
    ok(rc == 1 and "fail" in text and "explanation:" in text and "go away" not in text,
       "exp.test: spf --ip fails; an exp= text of escape sequences gives way to the default", text)
    rc, text, docs = run_case(port, "a.exp.test", "spf", ip)
    ok(rc == 1 and "not allowed from 192.0.2.1" in text,
       "a.exp.test: a plain exp= text is shown, its macro expanded", text)
    rc, text, docs = run_case(port, "exp.test", "spf", ip, want_json=True)
    ok(rc == 1 and docs and docs[0].get("result") == "fail", "exp.test: spf --ip --json is fail", text)

    # Compression loops: a malformed answer, said so.
    rc, text, _ = run_case(port, "loop.test", "check")
    ok(rc == 3 and "DNS failure: malformed answer" in text, "loop.test: compression loops are a malformed answer (exit 3)", text)
    run_case(port, "loop.test", "check", want_json=True)
    rc, text, _ = run_case(port, "loop.test", "spf", ip)
    ok(rc == 3 and "temperror" in text and "malformed answer" in text, "loop.test: spf --ip is temperror, malformed answer", text)

    # 64 KiB of TXT over TCP after a truncated UDP answer; more records than kept.
    rc, text, _ = run_case(port, "big.test", "check")
    ok(rc in (0, 3) and "too long (63750 bytes)" in text,
       "big.test: the 64 KiB TXT came over TCP and is judged too long", text[:3000])
    # Hundreds of MX hosts, one finding each: the human output shows a
    # bounded number and counts the rest (all of them are in --json).
    shown = text.count("has no address (A or AAAA)")
    ok("more like these (all of them in --json)" in text and 0 < shown <= 40,
       "big.test: the findings shown are bounded (%d MX findings shown)" % shown, text[-2000:])
    rc, text, docs = run_case(port, "big.test", "check", want_json=True)
    nf = sum(1 for d in docs for e in d.get("errors", []) if "has no address" in e)
    ok(nf > 40, "big.test --json: every finding is there (%d MX findings)" % nf, text[:2000])
    rc, text, docs = run_case(port, "big.test", "spf", ip, want_json=True)
    ok(rc == 1 and docs and docs[0].get("result") == "permerror", "big.test: spf --ip is permerror", text[:3000])

    # Wrong IDs and answers to another question: ignored, then a timeout.
    rc, text, _ = run_case(port, "wrongid.test", "check")
    ok(rc == 3 and "no answer in time (timeout)" in text and "+all" not in text,
       "wrongid.test: answers with a wrong ID or question are not taken (timeout, exit 3)", text)
    rc, text, docs = run_case(port, "wrongid.test", "spf", ip, want_json=True)
    ok(rc == 3 and docs and docs[0].get("result") == "temperror", "wrongid.test: spf --ip is temperror, not the forged pass", text)

    # Truncation games: TC over UDP, then TCP closed, cut short, or TC again.
    rc, text, _ = run_case(port, "trunc.test", "check")
    ok(rc == 3 and "DNS failure:" in text, "trunc.test: truncation games end as a named DNS failure (exit 3)", text)
    run_case(port, "trunc.test", "check", want_json=True)
    rc, text, _ = run_case(port, "trunc.test", "spf", ip)
    ok(rc == 3 and "temperror" in text, "trunc.test: spf --ip is temperror", text)

    # CNAME loops within one answer and across queries.
    rc, text, _ = run_case(port, "cname.test", "check", ["--selector", "s1"])
    ok(rc in (0, 3) and "DKIM" in text, "cname.test: CNAME loops end (DKIM, DMARC, SPF include)", text)
    run_case(port, "cname.test", "check", ["--selector", "s1"], want_json=True)
    rc, text, _ = run_case(port, "cname.test", "spf", ip)
    ok(rc == 1 and "permerror" in text, "cname.test: spf --ip through a CNAME loop is permerror", text)

    # 10,000-deep include and redirect chains: cut at 10 lookups.
    for zone, term in (("deep.test", "include:"), ("deepr.test", "redirect=")):
        rc, text, _ = run_case(port, zone, "check")
        ok(rc == 0 and "receivers return permerror past 10" in text,
           "%s: check stops the %s chain past 10 lookups" % (zone, term), text)
        rc, text, docs = run_case(port, zone, "spf", ip, want_json=True)
        ok(rc == 1 and docs and docs[0].get("result") == "permerror" and docs[0].get("lookups", 99) <= 11,
           "%s: spf --ip is permerror after at most 11 lookups, not 10,000" % zone, text)

    # Lying counts, rdata past the end, rcode 15, QR clear, short header.
    rc, text, _ = run_case(port, "garbage.test", "check")
    ok(rc == 3 and "DNS failure:" in text, "garbage.test: lying answers are a named DNS failure (exit 3)", text)
    run_case(port, "garbage.test", "check", want_json=True)
    rc, text, _ = run_case(port, "garbage.test", "spf", ip)
    ok(rc == 3 and "temperror" in text, "garbage.test: spf --ip is temperror", text)


if __name__ == "__main__":
    main()
