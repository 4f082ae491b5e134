#!/usr/bin/python3
"""po-work.py: fill the German and Finnish catalogs batch by batch (stdlib only).

  po/po-work.py todo [N]          list the messages still untranslated or fuzzy in
                                  de.po or fi.po (first N), numbered, in PO-escaped form,
                                  with flags, comments and, for fuzzy ones, the old
                                  msgid and the current (fuzzy) translations
  po/po-work.py apply FILE...     put translations from FILE into de.po and fi.po
  po/po-work.py stats             counts per catalog

FILE format (one block per message, blocks separated by a blank line; strings are
written exactly as inside PO quotes, i.e. with \\n, \\t, \\" escapes, on one line):

  id: <msgid, escaped, as printed by `todo`>
  pl: <msgid_plural>            (only for plural messages)
  de: <German>                  (de0:/de1: for plural forms)
  fi: <Finnish>                 (fi0:/fi1: for plural forms)

Lines starting with '#' are ignored. Applying a message clears its fuzzy flag
and the "#|" previous-msgid lines. Afterwards run `msgfmt --check` (the Makefile
does that when it builds the .mo files) and `make check TESTS=po`.
Typical round after new strings appear in the sources:
  make update-po && po/po-work.py todo > /tmp/todo.txt
  (write /tmp/batch.txt) && po/po-work.py apply /tmp/batch.txt && make check TESTS=po
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LANGS = ("de", "fi")


def parse(path):
    """Return (entries, text) where each entry is a dict with the raw lines."""
    with open(path, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    entries = []
    for blk in blocks:
        lines = [l for l in blk.split("\n") if l != ""]
        if not lines:
            continue
        e = {"comments": [], "fields": [], "raw": lines, "obsolete": False}
        cur = None
        for l in lines:
            if l.startswith("#~"):
                e["obsolete"] = True
                e["comments"].append(l)
                continue
            if l.startswith("#"):
                e["comments"].append(l)
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', l)
            if m:
                cur = [m.group(1), m.group(2)]
                e["fields"].append(cur)
            elif l.startswith('"') and cur is not None:
                cur[1] += l[1:-1]
            else:
                raise SystemExit("%s: cannot parse line: %s" % (path, l))
        e["f"] = {k: v for k, v in e["fields"]}
        entries.append(e)
    return entries


def key(e):
    return (e["f"].get("msgctxt"), e["f"].get("msgid"))


def flags(e):
    fl = []
    for c in e["comments"]:
        if c.startswith("#,"):
            fl += [x.strip() for x in c[2:].split(",")]
    return fl


def needs_work(e):
    if e["obsolete"] or e["f"].get("msgid", None) in (None, ""):
        return False
    if "fuzzy" in flags(e):
        return True
    strs = [v for k, v in e["fields"] if k.startswith("msgstr")]
    return any(s == "" for s in strs)


def write(path, entries):
    out = []
    for e in entries:
        lines = []
        for c in e["comments"]:
            lines.append(c)
        for k, v in e["fields"]:
            lines.append('%s "%s"' % (k, v))
        out.append("\n".join(lines))
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n\n".join(out) + "\n")
    os.replace(path + ".tmp", path)
    # Re-wrap the way the gettext tools do, so diffs stay small.
    if shutil.which("msgcat"):
        subprocess.run(["msgcat", "-o", path, path], check=True)


def load_all():
    return {l: parse(os.path.join(HERE, l + ".po")) for l in LANGS}


def cmd_todo(limit=None):
    cats = load_all()
    byk = {l: {key(e): e for e in cats[l]} for l in LANGS}
    seen = set()
    n = 0
    for e in cats["de"] + cats["fi"]:
        k = key(e)
        if k in seen or not any(needs_work(byk[l].get(k, e)) for l in LANGS if k in byk[l]):
            continue
        if e["obsolete"] or not e["f"].get("msgid"):
            continue
        seen.add(k)
        n += 1
        if limit and n > limit:
            break
        print("# %d %s" % (n, " ".join(c for c in e["comments"] if c.startswith("#:") or c.startswith("#.") or c.startswith("#,"))))
        for c in e["comments"]:
            if c.startswith("#|"):
                print("# old " + c[2:].strip())
        if k[0] is not None:
            print("ctx: " + k[0])
        print("id: " + k[1])
        if "msgid_plural" in e["f"]:
            print("pl: " + e["f"]["msgid_plural"])
        for l in LANGS:
            le = byk[l].get(k)
            if le and "fuzzy" in flags(le):
                for kk, v in le["fields"]:
                    if kk.startswith("msgstr"):
                        print("# fuzzy %s%s: %s" % (l, kk[6:], v))
        print()
    print("# %d messages to do" % len(seen) if not limit else "# (first %d)" % min(limit, len(seen)), file=sys.stderr)


def parse_batch(path):
    items = []
    cur = None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            l = raw.rstrip("\n")
            if l.startswith("#"):
                continue
            if not l.strip():
                cur = None
                continue
            m = re.match(r"^(ctx|id|pl|de|fi|de0|de1|fi0|fi1): ?(.*)$", l)
            if not m:
                raise SystemExit("%s: bad line: %s" % (path, l))
            tag, val = m.group(1), m.group(2)
            if tag in ("id", "ctx") and (cur is None or tag in cur):
                cur = {}
                items.append(cur)
            cur[tag] = val
    return items


FMT = re.compile(r"%(?:(\d+)\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?(hh|h|ll|l|j|z|t|L)?([diouxXeEfFgGaAcspn%])")


def directives(s):
    """The argument types in argument order (%n$ reorders)."""
    out = []
    for m in FMT.finditer(s):
        if m.group(3) == "%":
            continue
        out.append((int(m.group(1)) if m.group(1) else len(out) + 1,
                    (m.group(2) or "") + m.group(3)))
    return [t for _, t in sorted(out)]


def cmd_apply(paths):
    cats = load_all()
    byk = {l: {key(e): e for e in cats[l]} for l in LANGS}
    done = {l: 0 for l in LANGS}
    bad = 0
    for p in paths:
        for it in parse_batch(p):
            k = (it.get("ctx"), it.get("id"))
            for l in LANGS:
                e = byk[l].get(k)
                if e is None:
                    print("not in %s.po: %s" % (l, k[1]), file=sys.stderr)
                    bad += 1
                    break
                plural = "msgid_plural" in e["f"]
                if plural:
                    vals = [it.get(l + "0"), it.get(l + "1")]
                else:
                    vals = [it.get(l)]
                if any(v is None for v in vals):
                    continue
                # formats: same directives (order may differ only with %n$)
                want = directives(k[1])
                for v in vals:
                    if directives(v) != want and not plural:
                        print("%s: format mismatch: %s -> %s" % (l, k[1], v), file=sys.stderr)
                        bad += 1
                i = 0
                for f in e["fields"]:
                    if f[0].startswith("msgstr"):
                        f[1] = vals[min(i, len(vals) - 1)]
                        i += 1
                newc = []
                for c in e["comments"]:
                    if c.startswith("#|"):
                        continue
                    if c.startswith("#,"):
                        fl = [x.strip() for x in c[2:].split(",") if x.strip() != "fuzzy"]
                        if not fl:
                            continue
                        c = "#, " + ", ".join(fl)
                    newc.append(c)
                e["comments"] = newc
                done[l] += 1
    for l in LANGS:
        write(os.path.join(HERE, l + ".po"), cats[l])
    print("applied: " + ", ".join("%s %d" % (l, done[l]) for l in LANGS))
    if bad:
        print("%d problems" % bad, file=sys.stderr)
        sys.exit(1)


def cmd_stats():
    cats = load_all()
    for l in LANGS:
        t = fz = u = 0
        for e in cats[l]:
            if e["obsolete"] or not e["f"].get("msgid"):
                continue
            if "fuzzy" in flags(e):
                fz += 1
            elif needs_work(e):
                u += 1
            else:
                t += 1
        print("%s: %d translated, %d fuzzy, %d untranslated" % (l, t, fz, u))


if __name__ == "__main__":
    a = sys.argv[1:]
    if not a:
        print(__doc__)
    elif a[0] == "todo":
        cmd_todo(int(a[1]) if len(a) > 1 else None)
    elif a[0] == "apply":
        cmd_apply(a[1:])
    elif a[0] == "stats":
        cmd_stats()
    else:
        print(__doc__)
        sys.exit(2)
