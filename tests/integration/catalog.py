"""The sender catalog: data/senders.json holds at least 60 services, is
valid against data/senders.schema.json, every fact names its source page,
ids are unique and a lighter include costs fewer lookups than the one it
replaces; the schema rejects entries without sources (it can fail); and
`authwizard catalog [SEARCH] [--json]` lists and searches exactly what the
file says."""
import copy
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from tap import ok, done, aw  # noqa: E402

import jsonschema  # python3-jsonschema (quickstart's test packages)

src = os.environ["AW_SRCDIR"]
cat = json.load(open(os.path.join(src, "data", "senders.json")))
schema = json.load(open(os.path.join(src, "data", "senders.schema.json")))
v = jsonschema.Draft202012Validator(schema)
services = cat.get("services", [])

errs = sorted(v.iter_errors(cat), key=lambda e: list(e.path))
ok(not errs, "data/senders.json is valid against data/senders.schema.json",
   "\n".join(f"{list(e.path)}: {e.message[:200]}" for e in errs[:20]))
ok(len(services) >= 60, f"at least 60 services ({len(services)})")
ids = [s["id"] for s in services]
ok(len(ids) == len(set(ids)), "service ids are unique",
   sorted({i for i in ids if ids.count(i) > 1}))
cats = {s.get("category") for s in services}
ok({"mailbox", "esp", "marketing", "crm", "helpdesk"} <= cats,
   "mailbox hosts, ESPs, marketing, CRMs and helpdesks are all there", cats)


def unsourced(s):
    """Facts of s without a source page."""
    bad = [f"spf {x['include']}" for x in s.get("spf", []) if not x.get("source")]
    if not s.get("dkim", {}).get("source"):
        bad.append("dkim")
    if s.get("verification") and not s["verification"].get("source"):
        bad.append("verification")
    if s.get("spf_note") and not (s.get("sources") or s.get("dkim", {}).get("source")):
        bad.append("spf_note")
    return bad


missing = {s["id"]: unsourced(s) for s in services if unsourced(s)}
ok(not missing, "every fact of every service names its source", missing)
vendor = [u for s in services for u in
          [x.get("source") for x in s.get("spf", [])] +
          [s.get("dkim", {}).get("source"), (s.get("verification") or {}).get("source")] if u]
ok(all(u.startswith("https://") for u in vendor), "every source is an https URL")

bad_lighter = []
for s in services:
    by = {x["include"]: x for x in s.get("spf", [])}
    for x in s.get("spf", []):
        lt = x.get("lighter")
        if lt is None:
            continue
        if lt not in by:
            bad_lighter.append(f"{s['id']}: {lt} not listed")
        elif by[lt]["lookups"] is not None and x["lookups"] is not None and \
                by[lt]["lookups"] >= x["lookups"]:
            bad_lighter.append(f"{s['id']}: {lt} is not lighter")
ok(not bad_lighter, "each lighter include is listed and costs fewer lookups", bad_lighter)

# The schema can fail: an SPF fact without its source, an unknown field.
broken = copy.deepcopy(cat)
sp = next(s for s in broken["services"] if s["spf"])
del sp["spf"][0]["source"]
ok(any(True for _ in v.iter_errors(broken)), "the schema rejects an SPF include without a source")
broken = copy.deepcopy(cat)
broken["services"][0]["dkim"]["selctors"] = ["x"]
ok(any(True for _ in v.iter_errors(broken)), "the schema rejects a misspelt field")

# The command, against the same file.
r = aw("catalog", "--json")
got = json.loads(r.stdout) if r.returncode == 0 else []
ok(r.returncode == 0 and [s["id"] for s in got] == ids,
   "catalog --json lists every service of the file, in its order", r.stderr)
z = next((s for s in got if s["id"] == "leaddesk"), {})
zf = next(s for s in services if s["id"] == "leaddesk")
ok([(x["include"], x["lookups"], x.get("lighter")) for x in z.get("spf", [])] ==
   [(x["include"], x["lookups"], x.get("lighter")) for x in zf["spf"]] and
   z.get("category") == zf["category"],
   "a service's SPF includes, lookups, lighter variant and category as the file has them", z.get("spf"))
r = aw("catalog", "_SPF.leaddesk.COM", "--json")
ok(r.returncode == 0 and [s["id"] for s in json.loads(r.stdout)] == ["leaddesk"],
   "catalog SEARCH finds a service by its SPF include, in any case", r.stdout[:300])
r = aw("catalog", "leaddesk")
ok(r.returncode == 0 and "include:_spf.leaddesk.com (5 lookups), lighter: include:_spf5.leaddesk.com" in r.stdout
   and "https://support.leaddesk.com/" in r.stdout,
   "the text output shows lookups, the lighter include and the source", r.stdout)
r = aw("catalog", "no-such-service-xyz")
ok(r.returncode == 1 and "no-such-service-xyz" in r.stderr, "nothing matched: exit 1 and says so", r.stderr)
r = aw("catalog", "no-such-service-xyz", "--json")
ok(r.returncode == 1 and json.loads(r.stdout) == [], "nothing matched with --json: [] and exit 1")
r = aw("catalog", "a", "b")
ok(r.returncode == 2, "two SEARCH words are a usage error", r.stderr)
done()
