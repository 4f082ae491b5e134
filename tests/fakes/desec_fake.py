#!/usr/bin/python3
"""desec_fake.py: a local stand-in for deSEC's DNS API v1, written from
tests/specs/desec-api-v1.contract.md (deSEC publishes no OpenAPI; that
contract is from the docs in desec-io/desec-stack, MIT). The checks below
are that contract written as code:

- Paths end in "/"; `Authorization: Token SECRET` (401 {"detail"} for an
  unknown token, 403 for a write with a read-only one, 404 for a domain the
  account does not own).
- GET /domains/?owns_qname=Q -> [domain] or []; GET /domains/ (cursor).
- GET /domains/{d}/rrsets/?subname=&type=&cursor= : RRset lists paged by
  cursor beyond `page_cap` items (seed; deSEC's is 500): the first page is
  asked with an empty cursor=, the next ones come in the Link header
  (rel first/prev/next); a list needing pages asked without cursor -> 400
  with the first link.
- Bulk PATCH /domains/{d}/rrsets/ : a JSON array; each item needs subname
  (the apex is "", "@" is refused) and type; ttl from the domain's
  minimum_ttl to 86400 (required for a new RRset); records an array of
  strings (<= 4091); `records: []` deletes. TXT records must be quoted
  strings; names in CNAME/MX values end in a dot; no key outside the RRset
  fields; one item per subname+type. Atomic: any bad item -> 400 with an
  array of per-item errors ({} for good items), nothing changed.
- Single RRset GET/DELETE /domains/{d}/rrsets/{subname}/{type}/ (apex "@").
See restfake.py for the control endpoints and faults. Seed:
    {"tokens": {TOKEN: "write"|"read"}, "page_cap": 1,
     "zones": [{"name": ..., "minimum_ttl": 3600,
                "rrsets": [{subname, type, ttl, records}]}]}
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cloudflare_fake import txt_parts  # noqa: E402
from restfake import Handler, State, serve  # noqa: E402

BASE = "/api/v1"
SUBNAME = re.compile(r"(\*\.)?([a-z0-9_-]+\.)*[a-z0-9_-]+|\*|")
FIELDS = {"subname", "type", "ttl", "records"}


class DesecState(State):
    def __init__(self):
        super().__init__(None)
        self.zones = {}      # name -> {"name", "minimum_ttl", "rrsets": {(sub, type): rrset}}


class DesecHandler(Handler):
    server_version = "desec-fake/1"

    def error_body(self, status, message=None):
        return {"detail": message or {
            400: "Bad request.", 401: "Invalid token.",
            403: "You do not have permission to perform this action.",
            404: "Not found.",
            429: "Request was throttled. Expected available in 1 second.",
        }.get(status, "A server error occurred.")}

    def fail(self, status, message=None, headers=None):
        return self.send_json(status, self.error_body(status, message), headers)

    def refuse(self, what):
        return self.send_json(400, {"non_field_errors": [what]})

    def seed(self, body):
        st = self.server.state
        st.tokens.update(body.get("tokens", {}))
        if "page_cap" in body:
            st.page_cap = body["page_cap"]
        for z in body.get("zones", []):
            zone = {"name": z["name"], "minimum_ttl": z.get("minimum_ttl", 3600), "rrsets": {}}
            for r in z.get("rrsets", []):
                zone["rrsets"][(r["subname"], r["type"])] = self.rrset(zone, r)
            st.zones[z["name"]] = zone

    def state_doc(self):
        return {"zones": [{"name": z["name"], "rrsets": list(z["rrsets"].values())}
                          for z in self.server.state.zones.values()]}

    def rrset(self, zone, r):
        name = (r["subname"] + "." if r["subname"] else "") + zone["name"] + "."
        return {"created": "2026-12-06T10:00:00.000000Z", "domain": zone["name"],
                "subname": r["subname"], "name": name, "type": r["type"],
                "records": list(r["records"]), "ttl": r["ttl"],
                "touched": "2026-12-06T10:00:00.000000Z"}

    def paged(self, items, query, path):
        """items, or one cursor page of them with its Link header."""
        st = self.server.state
        cap = st.page_cap or 500
        q = dict(query)
        url = "http://%s%s?" % (self.headers.get("Host", "127.0.0.1"), path)
        keep = "&".join("%s=%s" % (k, v) for k, v in query if k != "cursor")
        first = url + (keep + "&" if keep else "") + "cursor="
        if len(items) <= cap and not q.get("cursor"):
            return self.send_json(200, items)
        if "cursor" not in q:
            return self.send_json(400, {"detail": "Pagination required. You can query up to "
                                        "%d items at a time ('cursor' parameter)." % cap},
                                  {"Link": '<%s>; rel="first"' % first})
        cur = q["cursor"]
        if cur and not re.fullmatch(r"c\d+", cur):
            return self.fail(400, "Invalid cursor.")
        start = int(cur[1:]) if cur else 0
        links = ['<%s>; rel="first"' % first]
        if start > 0:
            links.append('<%s%s>; rel="prev"' % (first, "c%d" % max(0, start - cap) if start - cap > 0 else ""))
        if start + cap < len(items):
            links.append('<%sc%d>; rel="next"' % (first, start + cap))
        return self.send_json(200, items[start:start + cap], {"Link": ", ".join(links)})

    def route(self, method, path, query, body):
        st = self.server.state
        auth = self.headers.get("Authorization", "")
        perm = st.tokens.get(auth[6:]) if auth.startswith("Token ") else None
        if perm is None:
            return self.fail(401)
        if not path.startswith(BASE + "/") or not path.endswith("/"):
            return self.violation("not a deSEC API path (they end in /): %s" % path)
        parts = path[len(BASE) + 1:-1].split("/")
        q = dict(query)
        if parts == ["domains"]:
            if method != "GET":
                return self.violation("domains are not created by authwizard")
            if set(q) - {"owns_qname", "cursor"}:
                return self.violation("unknown query parameter in %s" % sorted(q))
            doms = [{"created": "2026-12-06T10:00:00.000000Z", "minimum_ttl": z["minimum_ttl"],
                     "name": z["name"], "published": "2026-12-06T10:00:00.000000Z",
                     "touched": "2026-12-06T10:00:00.000000Z"} for z in st.zones.values()]
            if "owns_qname" in q:
                qn = q["owns_qname"].lower().rstrip(".")
                own = [d for d in doms if qn == d["name"] or qn.endswith("." + d["name"])]
                own.sort(key=lambda d: -len(d["name"]))
                return self.send_json(200, own[:1])
            return self.paged(doms, query, path)
        if len(parts) < 2 or parts[0] != "domains" or parts[1] not in st.zones:
            return self.fail(404)
        zone = st.zones[parts[1]]
        if len(parts) == 2:
            return self.violation("domain objects are not what authwizard asks for")
        if parts[2] != "rrsets":
            return self.fail(404)
        if method != "GET" and perm != "write":
            return self.fail(403)
        if len(parts) == 3:
            if method == "GET":
                if set(q) - {"subname", "type", "cursor"}:
                    return self.violation("unknown query parameter in %s" % sorted(q))
                items = sorted((r for r in zone["rrsets"].values()
                                if ("subname" not in q or r["subname"] == q["subname"]) and
                                ("type" not in q or r["type"] == q["type"])),
                               key=lambda r: (r["subname"], r["type"]))
                return self.paged(items, query, path)
            if method == "PATCH":
                return self.bulk_patch(zone, body)
            return self.violation("bulk %s is not what authwizard sends" % method)
        if len(parts) == 5:
            sub = "" if parts[3] in ("@", "...") else parts[3].removesuffix("...")
            key = (sub, parts[4])
            if method == "GET":
                r = zone["rrsets"].get(key)
                return self.send_json(200, r) if r else self.fail(404)
            if method == "DELETE":
                zone["rrsets"].pop(key, None)
                return self.send_json(204, None)
            return self.violation("single-RRset %s is not what authwizard sends" % method)
        return self.fail(404)

    def check_item(self, zone, item, seen):
        if not isinstance(item, dict):
            return {"non_field_errors": ["Invalid data. Expected a dictionary."]}
        extra = set(item) - FIELDS
        if extra:
            return {k: ["This field is not allowed."] for k in sorted(extra)}
        for k in ("subname", "type"):
            if k not in item:
                return {k: ["This field is required."]}
        sub, t = item["subname"], item["type"]
        if not isinstance(sub, str) or not SUBNAME.fullmatch(sub) or len(sub) > 178:
            return {"subname": ["Subname can only use (lowercase) a-z, 0-9, ., -, and _, "
                                "may start with a '*.', or just be '*'."]}
        if not isinstance(t, str) or not re.fullmatch(r"[A-Z][A-Z0-9]*", t):
            return {"type": ["Invalid type."]}
        if (sub, t) in seen:
            return {"non_field_errors": ["Same subname and type as in another item."]}
        seen.add((sub, t))
        exists = (sub, t) in zone["rrsets"]
        if "ttl" not in item and not exists and item.get("records"):
            return {"ttl": ["This field is required."]}
        if "ttl" in item:
            ttl = item["ttl"]
            if not isinstance(ttl, int) or ttl < zone["minimum_ttl"] or ttl > 86400:
                return {"ttl": ["Ensure this value is between %d and 86400." % zone["minimum_ttl"]]}
        recs = item.get("records", [])
        if not isinstance(recs, list) or len(recs) > 4091 or \
                not all(isinstance(r, str) for r in recs):
            return {"records": ["Expected a list of at most 4091 strings."]}
        for r in recs:
            if t == "TXT" and txt_parts(r) is None:
                return {"records": ["The contents of the TXT record must be enclosed in "
                                    "double quotes: %s" % r[:40]]}
            if t in ("CNAME", "MX", "NS") and not r.endswith("."):
                return {"records": ["Domain names must end in a dot: %s" % r[:40]]}
        return {}

    def bulk_patch(self, zone, body):
        if not isinstance(body, list):
            return self.violation("a bulk PATCH body must be an array")
        seen = set()
        errors = [self.check_item(zone, item, seen) for item in body]
        if any(errors):
            self.server.state.errors.append("PATCH rrsets: %s" % errors)
            return self.send_json(400, errors)
        out = []
        for item in body:
            key = (item["subname"], item["type"])
            old = zone["rrsets"].get(key)
            if "records" in item and item["records"] == []:
                zone["rrsets"].pop(key, None)
                continue
            new = dict(old or {"subname": key[0], "type": key[1], "records": []})
            new.update({k: item[k] for k in ("ttl", "records") if k in item})
            zone["rrsets"][key] = self.rrset(zone, new)
            out.append(zone["rrsets"][key])
        return self.send_json(200, out)


def main():
    return serve(DesecHandler, DesecState())


if __name__ == "__main__":
    sys.exit(main())
