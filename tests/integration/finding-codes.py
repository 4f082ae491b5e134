#!/usr/bin/python3
"""finding-codes.py: finding codes are stable and documented. Every code a
check in checks/ gives (aw_findings_add, and the preflight's own) is listed
in the man page's FINDING CODES section; `check --json` gives the same codes
under LANG=C and LANG=de_DE.UTF-8 (the messages are translated, the codes
are not). Prints TAP lines."""
import json
import os
import re
import subprocess
import sys

SRC = os.environ.get("AW_SRCDIR", ".")
AW_BIN = os.environ.get("AW_BIN", "./authwizard")
n = 0
failed = 0


def tap(ok, what):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (n, what), flush=True)
    return ok


# The first string literal shaped like a code ("area.name-words") after the
# call's opening parenthesis, across lines.
CALL = re.compile(r'\b(aw_findings_add|result_addf|aw_preflight_result_add|add_drift)\s*\(([^;]*?)\)\s*;',
                  re.S)
CODE = re.compile(r'"([a-z0-9_]+\.[a-z0-9][a-z0-9.-]*)"')


def source_codes():
    codes = {}
    cdir = os.path.join(SRC, "checks")
    for fn in sorted(os.listdir(cdir)):
        if not fn.endswith(".c"):
            continue
        text = open(os.path.join(cdir, fn), encoding="utf-8").read()
        for m in CALL.finditer(text):
            c = CODE.search(m.group(2))
            if c:
                codes.setdefault(c.group(1), fn)
    # Codes a check hands to a helper of its own that calls
    # aw_findings_add: every literal shaped like a code of an area seen
    # above (mta_sts.*, tls_rpt.*, ...) in those areas' files.
    areas = {c.split(".", 1)[0] for c in codes}
    for fn in sorted(os.listdir(cdir)):
        if not fn.endswith(".c"):
            continue
        text = open(os.path.join(cdir, fn), encoding="utf-8").read()
        for c in CODE.findall(text):
            if c.split(".", 1)[0] in areas and c.split(".", 1)[0] in (
                    "mta_sts", "tls_rpt", "bimi"):
                codes.setdefault(c, fn)
    return codes


def man_codes():
    text = open(os.path.join(SRC, "doc", "authwizard.1"), encoding="utf-8").read()
    start = text.find(".SH FINDING CODES")
    end = text.find("\n.SH ", start + 1)
    sect = text[start:end if end > 0 else len(text)].replace("\\-", "-")
    return set(re.findall(r'^\.BR? ([a-z0-9_]+\.[a-z0-9.-]+)(?:\s+"[^"]*")?\s*$', sect, re.M)), start >= 0


def check_codes(lang, dns):
    env = dict(os.environ)
    env.update({"LANG": lang, "LC_ALL": lang, "LANGUAGE": ""})
    p = subprocess.run([AW_BIN, "check", "costly.test", "hostile.test", "mxcases.test",
                        "dmarc.test", "wizard.test",
                        "--dns-server", dns, "--json"], capture_output=True,
                       text=True, env=env, stdin=subprocess.DEVNULL, timeout=120)
    out = []
    msgs = []
    for line in p.stdout.splitlines():
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        for area, sec in sorted(doc.items()):
            for s in (sec if isinstance(sec, list) else [sec]):
                if isinstance(s, dict):
                    for f in s.get("findings", []):
                        out.append((doc.get("domain"), area, f["code"], f["severity"]))
                        msgs.append(f["message"])
    return out, msgs, p.returncode


def main():
    codes = source_codes()
    documented, has_section = man_codes()
    tap(has_section, "the man page has a FINDING CODES section")
    tap(len(codes) >= 40, "the checks give coded findings (%d codes)" % len(codes))
    missing = sorted(c for c in codes if c not in documented)
    tap(not missing, "every code in checks/ is listed in FINDING CODES%s" %
        (" (missing: %s)" % ", ".join("%s [%s]" % (c, codes[c]) for c in missing)
         if missing else ""))
    tap("uncoded" not in documented, "\"uncoded\" is not a code to document")

    dns = os.environ.get("AW_TB_DNS")
    if not dns:
        print("# the test bed is not running: the language check is skipped")
    else:
        c, cm, rc1 = check_codes("C", dns)
        d, dm, rc2 = check_codes("de_DE.UTF-8", dns)
        tap(rc1 == rc2 and rc1 in (0, 1, 3) and len(c) >= 5,
            "check --json answers in both languages (%d findings, exit %d/%d)" % (len(c), rc1, rc2))
        tap(c == d, "the same codes under LANG=C and LANG=de_DE.UTF-8")
        tap(cm != dm, "... while the messages are translated")
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
