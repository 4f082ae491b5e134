#!/usr/bin/python3
"""digitalocean_fake.py: a local stand-in for DigitalOcean API v2, domains
and domain records, written from tests/specs (README's DigitalOcean section
and digitalocean-dns-v2.openapi.json, the vendor's OpenAPI, Apache-2.0).

- Real paths under /v2, bearer tokens (401 {"id": "unauthorized"} for an
  unknown one, 403 {"id": "forbidden"} for a write with a read-only one),
  error bodies {id, message, request_id} as the `error` schema says.
- Validates what it receives against the OpenAPI operation: the method and
  path, query and path parameters (names, types, per_page 1..200, the type
  enum), and request bodies against the requestBody schema (POST: the
  anyOf of per-type records; PUT: domain_record); and its own list
  responses against the response schema.
- Records keep relative names ("@" for the apex) and integer ids; the
  `name` filter takes the full name, as the spec says.
- Pages: per_page as asked, but at most `page_cap` (seed; default 200, the
  contract's maximum) so the tests page at small sizes; links.pages
  first/prev/next/last only where they make sense; meta.total.
- Keeps state: a read after a write sees it.
See restfake.py for the control endpoints and faults. Seed:
    {"tokens": {TOKEN: "write"|"read"}, "page_cap": 3,
     "zones": [{"name": ..., "records": [{type, name (relative), data, ttl}]}]}
"""
import json
import os
import re
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from restfake import (Handler, State, check_params, openapi_to_jsonschema,  # noqa: E402
                      serve, validate_schema)

SPEC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    "specs", "digitalocean-dns-v2.openapi.json")
ERRORS = {400: ("bad_request", "There was an error processing your request."),
          401: ("unauthorized", "Unable to authenticate you."),
          403: ("forbidden", "You are not authorized to perform this operation."),
          404: ("not_found", "The resource you were accessing could not be found."),
          422: ("unprocessable_entity", "The request could not be processed."),
          429: ("too_many_requests", "API Rate limit exceeded."),
          500: ("server_error", "Unexpected server-side error"),
          503: ("service_unavailable", "Service unavailable")}


class DoState(State):
    def __init__(self, spec):
        super().__init__(spec)
        self.zones = {}      # name -> {"name", "ttl", "records": {id: rec}}
        self.next_id = 3352890


class DoHandler(Handler):
    server_version = "digitalocean-fake/1"

    def error_body(self, status, message=None):
        ident, msg = ERRORS.get(status, ("error", "Error"))
        doc = {"id": ident, "message": message or msg, "request_id": str(uuid.uuid4())}
        err = validate_schema(self.server.state.spec,
                              {"$ref": "#/components/schemas/error"}, doc)
        if err:
            self.server.state.errors.append("fake's own error body: " + err)
        return doc

    def fail(self, status, message=None):
        return self.send_json(status, self.error_body(status, message))

    def refuse(self, what):
        return self.fail(422, what)

    def seed(self, body):
        st = self.server.state
        st.tokens.update(body.get("tokens", {}))
        if "page_cap" in body:
            st.page_cap = body["page_cap"]
        for z in body.get("zones", []):
            zone = {"name": z["name"], "ttl": 1800, "records": {}}
            for r in z.get("records", []):
                self.add_record(zone, r)
            st.zones[z["name"]] = zone

    def state_doc(self):
        return {"zones": [{"name": z["name"], "records": list(z["records"].values())}
                          for z in self.server.state.zones.values()]}

    def add_record(self, zone, r):
        st = self.server.state
        st.next_id += 1
        rec = {"id": st.next_id, "type": r["type"], "name": r["name"], "data": r["data"],
               "priority": r.get("priority"), "port": r.get("port"),
               "ttl": r.get("ttl") or zone["ttl"], "weight": r.get("weight"),
               "flags": r.get("flags"), "tag": r.get("tag")}
        zone["records"][rec["id"]] = rec
        return rec

    def operation(self, template, method):
        return self.server.state.spec["paths"][template][method.lower()]

    def page(self, items, query, key, base):
        """One page of items as the list responses carry them."""
        st = self.server.state
        q = dict(query)
        per = int(q.get("per_page", 20))
        if st.page_cap:
            per = min(per, st.page_cap)
        page = int(q.get("page", 1))
        last = max(1, (len(items) + per - 1) // per)
        chunk = items[(page - 1) * per:page * per]
        url = "https://api.digitalocean.com" + base + "?page=%d&per_page=" + str(per)
        pages = {}
        if page > 1:
            pages.update(first=url % 1, prev=url % (page - 1))
        if page < last:
            pages.update(next=url % (page + 1), last=url % last)
        return {key: chunk, "links": {"pages": pages} if pages else {},
                "meta": {"total": len(items)}}

    def route(self, method, path, query, body):
        st = self.server.state
        spec = st.spec
        auth = self.headers.get("Authorization", "")
        perm = st.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if perm is None:
            return self.fail(401)
        templates = [("/v2/domains", {}),
                     (r"/v2/domains/(?P<domain_name>[^/]+)", None),
                     (r"/v2/domains/(?P<domain_name>[^/]+)/records", None),
                     (r"/v2/domains/(?P<domain_name>[^/]+)/records/(?P<domain_record_id>[^/]+)",
                      None)]
        for rx, _ in templates:
            m = re.fullmatch(rx, path)
            if m:
                break
        else:
            return self.fail(404)
        template = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", rx)
        op_spec = spec["paths"][template].get(method.lower())
        if op_spec is None:
            return self.violation("%s is not an operation of %s" % (method, template))
        params = spec["paths"][template].get("parameters", []) + op_spec.get("parameters", [])
        err = check_params(spec, params, query, m.groupdict())
        if err:
            return self.violation(err)
        if method in ("POST", "PUT", "PATCH"):
            schema = op_spec["requestBody"]["content"]["application/json"]["schema"]
            err = validate_schema(spec, schema, body)
            if err:
                return self.violation("body: " + err)
        elif body is not None:
            return self.violation("a body on %s" % method)
        if method != "GET" and perm != "write":
            return self.fail(403)
        if template == "/v2/domains":
            if method != "GET":
                return self.violation("creating domains is not what authwizard does")
            doms = [{"name": z["name"], "ttl": z["ttl"], "zone_file": ""}
                    for z in st.zones.values()]
            return self.send_json(200, self.page(doms, query, "domains", path))
        zone = st.zones.get(m.group("domain_name"))
        if zone is None:
            return self.fail(404)
        if template == "/v2/domains/{domain_name}":
            if method != "GET":
                return self.violation("deleting domains is not what authwizard does")
            return self.send_json(200, {"domain": {"name": zone["name"], "ttl": zone["ttl"],
                                                   "zone_file": ""}})
        if template.endswith("/records"):
            if method == "GET":
                return self.list_records(zone, query, path)
            return self.create(zone, body)
        rid = int(m.group("domain_record_id"))
        rec = zone["records"].get(rid)
        if rec is None:
            return self.fail(404)
        if method == "GET":
            return self.send_json(200, {"domain_record": rec})
        if method == "DELETE":
            del zone["records"][rid]
            return self.send_json(204, None)
        err = self.check_record(zone, dict(rec, **body) if method == "PATCH" else body)
        if err:
            return self.violation(err)
        rec.update({k: body[k] for k in ("type", "name", "data", "ttl", "priority")
                    if k in body})
        return self.send_json(200, {"domain_record": rec})

    def check_record(self, zone, body):
        """What the contract and DigitalOcean's record docs ask beyond the
        schema: a relative name, a TTL of at least 30 seconds, the type
        unchanged; names inside the data (CNAME, MX, NS) end in a dot."""
        name = body.get("name", "")
        if name != "@" and (name.endswith(".") or name == zone["name"] or
                            name.endswith("." + zone["name"])):
            return "the record name %r is not relative to the zone" % name
        if "ttl" in body and not (isinstance(body["ttl"], int) and body["ttl"] >= 30):
            return "ttl %r below 30" % body.get("ttl")
        if body.get("type") in ("CNAME", "MX", "NS") and not body.get("data", "").endswith("."):
            return "%s data without a trailing dot" % body["type"]
        if body.get("type") == "MX" and body.get("priority") is None:
            return "MX without priority"
        return None

    def create(self, zone, body):
        err = self.check_record(zone, body)
        if err:
            return self.violation(err)
        if body["type"] == "CNAME" and any(r["name"] == body["name"]
                                           for r in zone["records"].values()):
            return self.fail(422, "CNAME records cannot share a name with other records.")
        rec = self.add_record(zone, body)
        return self.send_json(201, {"domain_record": rec})

    def list_records(self, zone, query, path):
        st = self.server.state
        q = dict(query)
        recs = list(zone["records"].values())
        if "name" in q:
            want = q["name"].lower().rstrip(".")
            recs = [r for r in recs if (zone["name"] if r["name"] == "@" else
                                        r["name"] + "." + zone["name"]) == want]
        if "type" in q:
            recs = [r for r in recs if r["type"] == q["type"]]
        doc = self.page(recs, query, "domain_records", path)
        schema = self.operation("/v2/domains/{domain_name}/records", "GET")
        schema = schema["responses"]["200"]
        if "$ref" in schema:
            schema = st.spec["components"]["responses"][schema["$ref"].split("/")[-1]]
        err = validate_schema(st.spec, schema["content"]["application/json"]["schema"], doc)
        if err:
            st.errors.append("fake's own response: " + err)
        return self.send_json(200, doc)


def main():
    with open(SPEC) as f:
        spec = openapi_to_jsonschema(json.load(f))
    return serve(DoHandler, DoState(spec))


if __name__ == "__main__":
    sys.exit(main())
