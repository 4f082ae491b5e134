"""`authwizard check` areas against the test bed: the SPF over-10 error
names the costliest includes and the lighter include a user catalog file
knows (RFC 7208 §4.6.4); a bad user catalog file is reported by name and
line while the rest loads; MX rules (address, alias, no address); --ip and
--helo add PTR/HELO; the --json shapes; every check command's --help."""
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw, need  # noqa: E402

dns = need("AW_TB_DNS")

# A private config home: the broken files must not reach other tests.
xdg = tempfile.mkdtemp(prefix="aw-check-areas-")
sd = os.path.join(xdg, "authwizard", "senders.d")
os.makedirs(sd)
with open(os.path.join(sd, "a-leaddesk-test.json"), "w") as f:
    f.write(json.dumps({
        "id": "leaddesk-test", "name": "LeadDesk (test bed)",
        "spf": [{"include": "_spf.leaddesk.test", "lookups": 5,
                 "lighter": "_spf5.leaddesk.test"}]}, indent=2) + "\n")
with open(os.path.join(sd, "b-broken.json"), "w") as f:
    f.write('{ "services": [\n  { "id": "broken",\n    "name": }\n] }\n')
with open(os.path.join(sd, "c-shape.json"), "w") as f:
    f.write('{\n  "services": [\n    { "id": "fine", "name": "Fine" },\n'
            '    { "id": "Not An Id", "name": "Bad" }\n  ]\n}\n')
env = {"XDG_CONFIG_HOME": xdg}


def check_json(domain, *extra, **kw):
    r = aw("check", domain, "--dns-server", dns, "--json", *extra, **kw)
    try:
        return r, json.loads(r.stdout)
    except ValueError:
        return r, {}


# --- SPF: more than 10 lookups, the lighter include from the user catalog
r, d = check_json("costly.test", env=env)
spf = d.get("spf", {})
ok(r.returncode == 0 and spf.get("status") == "error" and spf.get("spf_lookups") == 13,
   "costly.test: 13 SPF lookups is an error (RFC 7208 §4.6.4)", r.stdout[:1500])
want = ("Costliest: include:_spf.leaddesk.test (5; the sender offers the lighter "
        "include:_spf5.leaddesk.test), include:big.costly.test (3), include:spf.crm.test (2)")
ok(any(want in e for e in spf.get("errors", [])),
   "the error names the costliest includes and the catalog's lighter include", spf.get("errors"))
ok(d.get("status") == "error" and
   any(e.startswith("SPF: ") and "_spf5.leaddesk.test" in e for e in d.get("errors", [])),
   "check --json has the whole check's status and errors, by area", {k: d.get(k) for k in ("status", "errors")})
ok(re.search(r"b-broken\.json:3: ", r.stderr) is not None,
   "a user catalog file with a syntax error is reported by name and line", r.stderr)
ok(re.search(r"c-shape\.json:4: service 2", r.stderr) is not None,
   "a user catalog file with a bad service is reported by name and line", r.stderr)
ok(r.stderr.count("skipped") == 2, "only the two bad files are reported", r.stderr)

kids = {k.get("via"): k for k in (spf.get("tree") or {}).get("children", [])}
ok(kids.get("include:_spf.leaddesk.test", {}).get("lighter") == "_spf5.leaddesk.test" and
   kids.get("include:_spf.esp.test", {}).get("lighter", "x") is None,
   "the lookup tree in --json carries the lighter include of the node", kids)

r = aw("check", "costly.test", "--dns-server", dns, env=env)
ok("lighter include:_spf5.leaddesk.test" in r.stdout and r.returncode == 0 and
   "include:_spf.leaddesk.test  [5 lookups; lighter: include:_spf5.leaddesk.test]" in r.stdout,
   "the human output names the lighter include, in the error and in the tree", r.stdout[:2000])

# Without the user file the catalog knows no lighter include for the test name.
empty = tempfile.mkdtemp(prefix="aw-check-areas-empty-")
r, d = check_json("costly.test", env={"XDG_CONFIG_HOME": empty})
errs = d.get("spf", {}).get("errors", [])
ok(any("Costliest: include:_spf.leaddesk.test (5)," in e for e in errs) and
   not any("_spf5" in e for e in errs) and r.stderr == "",
   "without the catalog entry: the costliest includes, no lighter one, nothing on stderr",
   (errs, r.stderr))

# The lighter include really is lighter: evaluated, it costs one lookup.
r = aw("spf", "_spf5.leaddesk.test", "--ip", "198.51.100.70", "--dns-server", dns, "--json")
s = json.loads(r.stdout) if r.stdout.strip() else {}
r2 = aw("spf", "_spf.leaddesk.test", "--ip", "198.51.100.120", "--dns-server", dns, "--json")
s2 = json.loads(r2.stdout) if r2.stdout.strip() else {}
ok(s.get("result") == "pass" and s.get("lookups") == 0 and
   s2.get("result") == "pass" and s2.get("lookups") == 4,
   "the lighter include passes the same senders with 0 lookups instead of 4", (s2, s))

# --- MX rules
r, d = check_json("mxcases.test", env=env)
mx = d.get("mx", {})
hosts = {h["host"]: h for h in mx.get("hosts", [])}
ok(mx.get("status") == "error", "mxcases.test: MX status is error", mx)
ok(any("MX 192.0.2.90 is an address" in e for e in mx.get("errors", [])) and
   hosts.get("192.0.2.90", {}).get("address") is True and
   not any("192.0.2.90 has no address" in e for e in mx.get("errors", [])),
   "an MX naming an address is flagged once, and marked in --json", mx.get("errors"))
ok(any("alias.mxcases.test is an alias (CNAME) of good.mxcases.test" in w
       for w in mx.get("warnings", [])) and
   hosts.get("alias.mxcases.test", {}).get("cname") == "good.mxcases.test",
   "an MX naming a CNAME is flagged with the alias target", mx)
ok(any("noaddr.mxcases.test has no address" in e for e in mx.get("errors", [])),
   "an MX host without an address is an error", mx.get("errors"))
ok(hosts.get("good.mxcases.test", {}).get("addresses") == ["192.0.2.91"] and
   not any("good.mxcases.test" in e for e in mx.get("errors", [])),
   "a good MX host is not flagged", hosts.get("good.mxcases.test"))
r = aw("check", "mxcases.test", "--dns-server", dns, env=env)
ok("192.0.2.90 (an address, not a host name)" in r.stdout and
   "alias.mxcases.test (alias of good.mxcases.test)" in r.stdout,
   "the human MX lines say which host is an address or an alias", r.stdout)

# --- check --ip --helo adds PTR and HELO; the shape of every section
r, d = check_json("example.test", "--ip", "192.0.2.50", "--ip", "192.0.2.99",
                  "--helo", "out1.example.test", "--selector", "s2048", env=env)
ptrs = {p.get("key"): p for p in d.get("ptr", [])}
ok(ptrs.get("192.0.2.50", {}).get("fcrdns") is True and
   ptrs["192.0.2.50"].get("ptr") == ["out1.example.test"],
   "--ip: FCrDNS of 192.0.2.50 with its PTR names", ptrs.get("192.0.2.50"))
ok(ptrs.get("192.0.2.99", {}).get("fcrdns") is False and ptrs["192.0.2.99"].get("ptr") == [] and
   ptrs["192.0.2.99"].get("status") in ("error", "missing"),
   "--ip: a second address without PTR has its own section", ptrs.get("192.0.2.99"))
h = d.get("helo", {})
ok(h.get("matches_ptr") is True and h.get("resolves") is True and h.get("status") == "ok",
   "--helo: the HELO name matches the PTR name and resolves", h)
sections = [d.get(a) for a in ("spf", "dmarc", "mx", "helo")] + d.get("dkim", []) + d.get("ptr", [])
shape_ok = all(isinstance(s, dict) and s.get("status") in ("ok", "warning", "error", "missing")
               and isinstance(s.get("errors"), list) and isinstance(s.get("warnings"), list)
               and "record" in s for s in sections)
ok(shape_ok and len(sections) == 7, "every section has status, errors, warnings and record",
   [(s or {}).get("area") for s in sections])
ok(d.get("status") == "error" and any(e.startswith("PTR: ") for e in d.get("errors", [])),
   "the whole check's errors name the PTR area", d.get("errors"))

r, d = check_json("example.test", "--helo", "[192.0.2.50]", "--selector", "s2048", env=env)
h = d.get("helo", {})
ok(h.get("status") == "error" and h.get("fqdn") is False,
   "--helo with an address literal is an error (RFC 5321 §4.1.1.1)", h)
r, d = check_json("example.test", "--helo", "mail.example.test", "--selector", "s2048", env=env)
h = d.get("helo", {})
ok(h.get("matches_mx") is True and h.get("status") in ("ok", "warning"),
   "--helo naming an MX host of the domain matches it", h)

# --- dmarc --align exit status
r = aw("dmarc", "--align", "--from", "example.test", "--mail-from", "other.test",
       "--dkim-domain", "esp.test", "--dns-server", dns)
ok(r.returncode == 1 and "Neither identifier aligns" in r.stdout,
   "dmarc --align: neither aligns is exit 1", (r.returncode, r.stdout))

# --- --help: every option, the JSON keys and the exit status
helps = {
    "check": ["--selector", "--ip", "--helo", "--json", "--dns-server", "--dns-timeout",
              "--dns-tries", "Exit status", '"status"'],
    "spf": ["--ip", "--sender", "--helo", "--json", "--dns-server", "Exit status", "result", "lookups"],
    "dkim": ["--selector", "--service", "--domain", "--type", "--bits", "--out", "--force",
             "--ttl", "--key", "--json", "--dns-server", "Exit status", '"match"'],
    "dmarc": ["--build", "--align", "--policy", "--sp", "--np", "--adkim", "--aspf", "--testing",
              "--rua", "--ruf", "--fo", "--domain", "--from", "--mail-from", "--dkim-domain",
              "--json", "--dns-server", "Exit status"],
    "ptr": ["--helo", "--domain", "--json", "--dns-server", "Exit status", '"fcrdns"', '"ptr"'],
}
for cmd, words in helps.items():
    r = aw(cmd, "--help")
    missing = [w for w in words if w not in r.stdout]
    ok(r.returncode == 0 and not missing, f"{cmd} --help names every option and the exit status",
       missing)

shutil.rmtree(xdg, ignore_errors=True)
shutil.rmtree(empty, ignore_errors=True)
done()
