#!/usr/bin/python3
"""hetzner_fake.py: a local stand-in for Hetzner DNS in the Hetzner Cloud
API (/v1 zones, RRSets and their actions).

The contract is Hetzner's published OpenAPI 3.1 document (the DNS subset of
docs.hetzner.cloud/cloud.spec.json, as of 2026-07-08). It states no
licence, so it is NOT kept in this repository: the checks below were
written by hand from it (operations, parameters, body fields, types and
bounds, enums, error codes and bodies, pagination), not generated from a
copy:

- Bearer token: unknown -> 401 unauthorized; a read-only token writing ->
  401 token_readonly. Errors are {"error": {code, message, details}}.
- GET /zones?name=&mode=&label_selector=&sort=&page=&per_page= ;
  GET /zones/{id_or_name} (id or name).
- GET /zones/{z}/rrsets?name=&type=&label_selector=&sort=&page=&per_page= :
  page from 1, per_page 1..50 (default 25), also capped at `page_cap`
  (seed) so the tests page at small sizes; meta.pagination {page, per_page,
  previous_page, next_page, last_page, total_entries}.
- POST /zones/{z}/rrsets {name, type, ttl?, records, labels?} (no other
  key): name lower case, not ending in a dot or the zone name ("@" apex);
  type in the enum; ttl null or 60..2147483647; records 1.. distinct
  {value, comment?}. 409 uniqueness_error when the RRSet exists. 201
  {rrset, action}.
- POST .../rrsets/{name}/{type}/actions/set_records {records} (1..50,
  distinct) -> 201 {action} (the TTL stays); POST .../actions/change_ttl
  {ttl} (null or 60..2147483647; Hetzner's full cloud.spec.json and its
  hcloud-go ZoneRRSetChangeTTLRequest) -> 201 {action}; DELETE
  .../rrsets/{name}/{type} -> 201 {action}; 404 not_found for an RRSet
  that is not there.
- Actions are asynchronous: answered "running", then GET
  /zones/actions/{id} says "success" after `action_polls` looks (seed).
- TXT values: "one or many quoted strings of 255 characters" (Hetzner's
  hcloud CLI); CNAME/MX/NS targets end in a dot.
See restfake.py for the control endpoints and faults. Seed:
    {"tokens": {TOKEN: "write"|"read"}, "page_cap": 3, "action_polls": 1,
     "zones": [{"name": ..., "rrsets": [{name, type, ttl, records: [values]}]}]}
"""
import os
import re
import sys
import time
from urllib.parse import unquote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cloudflare_fake import txt_parts  # noqa: E402
from restfake import Handler, State, serve  # noqa: E402

TYPES = {"A", "AAAA", "CAA", "CNAME", "DS", "HINFO", "HTTPS", "MX", "NS", "PTR", "RP",
         "SOA", "SRV", "SVCB", "TLSA", "TXT"}
MESSAGES = {400: ("json_error", "Invalid JSON input in your request."),
            401: ("unauthorized", "Request was made with an invalid or unknown token."),
            403: ("forbidden", "Insufficient permissions for this request."),
            404: ("not_found", "Entity not found."),
            409: ("uniqueness_error", "One or more of the objects fields must be unique."),
            422: ("invalid_input", "invalid input"),
            429: ("rate_limit_exceeded", "Error when sending too many requests."),
            500: ("server_error", "Error within the API backend."),
            503: ("unavailable", "A service backing this API is currently unavailable.")}
LIST_PARAMS = {"name", "type", "label_selector", "sort", "page", "per_page"}
ZONE_PARAMS = {"name", "mode", "label_selector", "sort", "page", "per_page"}


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class HzState(State):
    def __init__(self):
        super().__init__(None)
        self.zones = {}      # id -> {"id", "name", "ttl", "rrsets": {(name, type): rrset}}
        self.actions = {}    # id -> {"action": ..., "left": polls}
        self.next_id = 4711
        self.action_polls = 1


class HzHandler(Handler):
    server_version = "hetzner-fake/1"

    def error_body(self, status, code=None, message=None, details=None):
        c, m = MESSAGES.get(status, ("server_error", "Error"))
        return {"error": {"code": code or c, "message": message or m, "details": details}}

    def fail(self, status, code=None, message=None, details=None):
        return self.send_json(status, self.error_body(status, code, message, details))

    def refuse(self, what):
        return self.fail(422, "invalid_input", what,
                         {"fields": [{"name": "request", "messages": [what]}]})

    def seed(self, body):
        st = self.server.state
        st.tokens.update(body.get("tokens", {}))
        st.page_cap = body.get("page_cap", st.page_cap)
        st.action_polls = body.get("action_polls", st.action_polls)
        for z in body.get("zones", []):
            st.next_id += 1
            zone = {"id": st.next_id, "name": z["name"], "ttl": 3600, "rrsets": {}}
            for r in z.get("rrsets", []):
                zone["rrsets"][(r["name"], r["type"])] = self.rrset(zone, r["name"], r["type"],
                                                                   r.get("ttl"), r["records"])
            st.zones[zone["id"]] = zone

    def state_doc(self):
        return {"zones": [{"name": z["name"], "rrsets": list(z["rrsets"].values())}
                          for z in self.server.state.zones.values()]}

    def rrset(self, zone, name, rtype, ttl, values):
        return {"id": "%s/%s" % (name, rtype), "name": name, "type": rtype, "ttl": ttl,
                "labels": {}, "protection": {"change": False},
                "records": [{"value": v} for v in values], "zone": zone["id"]}

    def action(self, command, zone):
        st = self.server.state
        st.next_id += 1
        a = {"id": st.next_id, "command": command, "status": "running", "progress": 0,
             "started": now(), "finished": None,
             "resources": [{"id": zone["id"], "type": "zone"}], "error": None}
        st.actions[a["id"]] = {"action": a, "left": st.action_polls}
        return dict(a)

    def check_int(self, q, key, lo, hi):
        if key in q and (not re.fullmatch(r"\d+", q[key]) or not lo <= int(q[key]) <= hi):
            return "%s=%s outside %d..%d" % (key, q[key], lo, hi)
        return None

    def page(self, items, q, key):
        st = self.server.state
        per = int(q.get("per_page", 25))
        if st.page_cap:
            per = min(per, st.page_cap)
        page = int(q.get("page", 1))
        last = max(1, (len(items) + per - 1) // per)
        return {key: items[(page - 1) * per:page * per], "meta": {"pagination": {
            "page": page, "per_page": per, "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < last else None, "last_page": last,
            "total_entries": len(items)}}}

    def check_records(self, rtype, records):
        if not isinstance(records, list) or not 1 <= len(records) <= 50:
            return "records: 1 to 50 items"
        values = []
        for r in records:
            if not isinstance(r, dict) or set(r) - {"value", "comment"} or \
                    not isinstance(r.get("value"), str):
                return "records: items are {value, comment?}"
            values.append(r["value"])
            if rtype == "TXT":
                parts = txt_parts(r["value"])
                if parts is None or any(len(p) > 255 for p in parts):
                    return "TXT value not quoted strings of at most 255 characters: %r" % r["value"][:40]
            if rtype in ("CNAME", "MX", "NS") and not r["value"].endswith("."):
                return "%s value without a trailing dot" % rtype
        if len(set(values)) != len(values):
            return "records: values must be distinct"
        return None

    def check_name(self, zone, name):
        if not isinstance(name, str) or name != name.lower() or name.endswith(".") or \
                name == zone["name"] or name.endswith("." + zone["name"]) or not name:
            return "name %r: lower case, relative, no trailing dot ('@' for the apex)" % name
        return None

    def route(self, method, path, query, body):
        st = self.server.state
        auth = self.headers.get("Authorization", "")
        perm = st.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if perm is None:
            return self.fail(401)
        if method != "GET" and perm != "write":
            return self.fail(401, "token_readonly",
                             "The token is only allowed to perform GET requests.")
        q = dict(query)
        if len(q) != len(query) and not all(k in ("type", "sort") for k, _ in query):
            return self.violation("a repeated query parameter")
        if not path.startswith("/v1/"):
            return self.fail(404)
        parts = [unquote(p) for p in path[4:].split("/")]
        if parts == ["zones"] and method == "GET":
            err = (self.check_int(q, "page", 1, 10 ** 9) or
                   self.check_int(q, "per_page", 1, 50) or
                   next(("unknown query parameter %s" % k for k in q if k not in ZONE_PARAMS), None))
            if err:
                return self.violation(err)
            zs = [{"id": z["id"], "name": z["name"], "mode": "primary", "ttl": z["ttl"],
                   "labels": {}, "created": now(), "status": "ok",
                   "record_count": len(z["rrsets"]), "protection": {"delete": False},
                   "primary_nameservers": [], "registrar": "other",
                   "authoritative_nameservers": {
                       "assigned": ["hydrogen.ns.hetzner.com.", "oxygen.ns.hetzner.com.",
                                    "helium.ns.hetzner.de."],
                       "delegated": [], "delegation_last_check": None}}
                  for z in st.zones.values() if "name" not in q or z["name"] == q["name"]]
            return self.send_json(200, self.page(zs, q, "zones"))
        if parts[:2] == ["zones", "actions"] and len(parts) == 3 and method == "GET":
            if not re.fullmatch(r"\d+", parts[2]):
                return self.violation("action id %r is not an integer" % parts[2])
            a = st.actions.get(int(parts[2]))
            if a is None:
                return self.fail(404)
            if a["left"] > 0:
                a["left"] -= 1
            else:
                a["action"].update(status="success", progress=100, finished=now())
            return self.send_json(200, {"action": a["action"]})
        if len(parts) < 3 or parts[0] != "zones" or parts[2] != "rrsets":
            return self.fail(404)
        zone = next((z for z in st.zones.values()
                     if str(z["id"]) == parts[1] or z["name"] == parts[1]), None)
        if zone is None:
            return self.fail(404)
        if len(parts) == 3:
            if method == "GET":
                return self.list_rrsets(zone, q, query)
            if method == "POST":
                return self.create(zone, body)
            return self.fail(405, "method_not_allowed", "The request method is not allowed")
        if len(parts) not in (5, 7):
            return self.fail(404)
        name, rtype = parts[3], parts[4]
        if rtype not in TYPES:
            return self.violation("rr_type %r not in the enum" % rtype)
        key = (name, rtype)
        rs = zone["rrsets"].get(key)
        if len(parts) == 7 and parts[5:] == ["actions", "change_ttl"] and method == "POST":
            if not isinstance(body, dict) or set(body) != {"ttl"}:
                return self.violation("change_ttl takes {ttl} only")
            ttl = body["ttl"]
            if ttl is not None and (not isinstance(ttl, int) or isinstance(ttl, bool) or
                                    not 60 <= ttl <= 2147483647):
                return self.violation("ttl %r outside 60..2147483647" % (ttl,))
            if rs is None:
                return self.fail(404)
            rs["ttl"] = ttl
            return self.send_json(201, {"action": self.action("change_rrset_ttl", zone)})
        if len(parts) == 7:
            if parts[5] != "actions" or parts[6] != "set_records" or method != "POST":
                return self.violation("only set_records and change_ttl are what authwizard sends: %s" % path)
            if not isinstance(body, dict) or set(body) != {"records"}:
                return self.violation("set_records takes {records} only")
            err = self.check_records(rtype, body["records"])
            if err:
                return self.violation(err)
            if rs is None:
                return self.fail(404)
            rs["records"] = [{"value": r["value"]} for r in body["records"]]
            return self.send_json(201, {"action": self.action("set_rrset_records", zone)})
        if method == "GET":
            return self.send_json(200, {"rrset": rs}) if rs else self.fail(404)
        if method == "DELETE":
            if body is not None:
                return self.violation("a body on DELETE")
            if rs is None:
                return self.fail(404)
            del zone["rrsets"][key]
            return self.send_json(201, {"action": self.action("delete_rrset", zone)})
        return self.fail(405, "method_not_allowed", "The request method is not allowed")

    def list_rrsets(self, zone, q, query):
        err = (self.check_int(q, "page", 1, 10 ** 9) or
               self.check_int(q, "per_page", 1, 50) or
               next(("unknown query parameter %s" % k for k, _ in query if k not in LIST_PARAMS),
                    None))
        types = [v for k, v in query if k == "type"]
        if not err and any(t not in TYPES for t in types):
            err = "type %s not in the enum" % types
        if err:
            return self.violation(err)
        items = sorted((r for r in zone["rrsets"].values()
                        if ("name" not in q or r["name"] == q["name"]) and
                        (not types or r["type"] in types)),
                       key=lambda r: r["id"])
        return self.send_json(200, self.page(items, q, "rrsets"))

    def create(self, zone, body):
        if not isinstance(body, dict):
            return self.violation("the body is not an object")
        extra = set(body) - {"name", "type", "ttl", "records", "labels"}
        missing = {"name", "type", "records"} - set(body)
        if extra or missing:
            return self.violation("fields: unknown %s, missing %s" % (sorted(extra), sorted(missing)))
        err = self.check_name(zone, body["name"])
        if not err and body["type"] not in TYPES:
            err = "type %r not in the enum" % body["type"]
        ttl = body.get("ttl")
        if not err and ttl is not None and (not isinstance(ttl, int) or
                                            not 60 <= ttl <= 2147483647):
            err = "ttl %r outside 60..2147483647" % ttl
        err = err or self.check_records(body["type"], body["records"])
        if err:
            return self.violation(err)
        key = (body["name"], body["type"])
        if key in zone["rrsets"]:
            return self.fail(409)
        zone["rrsets"][key] = self.rrset(zone, body["name"], body["type"], ttl,
                                         [r["value"] for r in body["records"]])
        return self.send_json(201, {"rrset": zone["rrsets"][key],
                                    "action": self.action("create_rrset", zone)})


def main():
    return serve(HzHandler, HzState())


if __name__ == "__main__":
    sys.exit(main())
