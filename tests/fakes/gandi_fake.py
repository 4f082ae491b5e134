#!/usr/bin/python3
"""gandi_fake.py: a local stand-in for Gandi LiveDNS API v5, written from
tests/specs/gandi-livedns-v5.contract.md (Gandi publishes no
machine-readable schema: the JSON schemas below are that page's, written
down here).

- Serves under /v5/livedns on 127.0.0.1; prints "PORT <n>" once listening;
  serves the records by DNS too (fakebase.py, GET /__fake/dns).
- Validates every request: method and route, query parameters (names and
  ranges), Authorization "Bearer <PAT>" (401 with Gandi's error body for an
  unknown one, 403 for a read-only one on writes), Content-Type on writes,
  bodies against the rrset schemas (rrset_ttl 300..2592000, values
  printable ASCII <= 16384), rrset types from the contract's list; a TXT
  value written in quotes must be well-formed with strings <= 255 bytes.
  Violations are answered 400 and listed in /__fake/log "errors".
- Keeps state; pages the domain list at most "max_per_page" per page
  (default 100) with Total-Count / Link headers, [] past the last page.
- Errors: {"cause", "code", "message", "object"} as the contract shows.
Control: POST /__fake/seed {"tokens": {PAT: "edit"|"read"}, "max_per_page": n,
  "domains": [{"fqdn": ..., "rrsets": [{"rrset_name", "rrset_type",
  "rrset_ttl", "rrset_values"}]}]}; GET /__fake/state; see fakebase.py.
"""
import json
import re
import sys
from urllib.parse import unquote

import jsonschema

from fakebase import TYPES, BaseHandler, BaseState, rdata, serve, txt_parts

PREFIX = "/v5/livedns"
RRTYPES = ["A", "AAAA", "ALIAS", "CAA", "CDS", "CNAME", "DNAME", "DS", "HTTPS", "KEY",
           "LOC", "MX", "NAPTR", "NS", "OPENPGPKEY", "PTR", "RP", "SOA", "SPF", "SRV",
           "SSHFP", "SVCB", "TLSA", "TXT", "WKS"]
VALUE = {"type": "string", "maxLength": 16384, "pattern": "^[\\x20-\\x7E]+$"}
TTL = {"type": "integer", "minimum": 300, "maximum": 2592000}
# POST/PUT /domains/{fqdn}/records/{rrset_name}/{rrset_type}
RRSET_BODY = {"type": "object", "additionalProperties": False,
              "required": ["rrset_values"],
              "properties": {"rrset_values": {"type": "array", "minItems": 1, "items": VALUE},
                             "rrset_ttl": TTL}}
PATCH_BODY = {"type": "object", "additionalProperties": False,
              "properties": {"add_rrset_values": {"type": "array", "items": VALUE},
                             "remove_rrset_values": {"type": "array", "items": VALUE},
                             "rrset_ttl": TTL}}
# What the fake sends back: checked too.
RRSET_OUT = {"type": "object", "required": ["rrset_name", "rrset_type", "rrset_ttl",
                                            "rrset_values", "rrset_href"],
             "properties": {"rrset_name": {"type": "string"},
                            "rrset_type": {"enum": RRTYPES}, "rrset_ttl": TTL,
                            "rrset_values": {"type": "array", "items": {"type": "string"}},
                            "rrset_href": {"type": "string"}}}
ERROR_OUT = {"type": "object", "required": ["cause", "code", "message", "object"],
             "properties": {"cause": {"type": "string"}, "code": {"type": "integer"},
                            "message": {"type": "string"}, "object": {"type": "string"}}}
CAUSES = {400: ("BadRequest", "HTTPBadRequest"), 401: ("Unauthorized", "HTTPUnauthorized"),
          403: ("Forbidden", "HTTPForbidden"), 404: ("Not Found", "HTTPNotFound"),
          409: ("Conflict", "HTTPConflict"), 429: ("Too Many Requests", "HTTPTooManyRequests"),
          500: ("Internal Server Error", "HTTPInternalServerError"),
          503: ("Service Unavailable", "HTTPServiceUnavailable")}


class State(BaseState):
    def __init__(self):
        super().__init__()
        self.tokens = {}
        self.max_per_page = 100
        self.domains = {}      # fqdn -> {(name, type): {"ttl", "values"}}

    def dns_records(self, name):
        for fqdn in sorted(self.domains, key=len, reverse=True):
            if name == fqdn or name.endswith("." + fqdn):
                rel = "@" if name == fqdn else name[:-len(fqdn) - 1]
                sets = [(TYPES[t], [rdata(TYPES[t], v) for v in rs["values"]], rs["ttl"])
                        for (n, t), rs in self.domains[fqdn].items() if n == rel and t in TYPES]
                return sets or None
        return None


def check(schema, doc):
    try:
        jsonschema.validate(doc, schema, cls=jsonschema.Draft7Validator)
        return None
    except jsonschema.ValidationError as e:
        return e.message


class Handler(BaseHandler):
    server_version = "gandi-fake/1"

    def error_reply(self, status, message, headers=None):
        cause, obj = CAUSES.get(status, ("Error", "HTTPError"))
        doc = {"cause": cause, "code": status, "message": message, "object": obj}
        err = check(ERROR_OUT, doc)
        if err:
            self.server.state.errors.append("fake's own error body: " + err)
        return self.send_json(status, doc, headers)

    def control(self, path, body):
        st = self.server.state
        if path == "/__fake/seed":
            st.tokens.update(body.get("tokens", {}))
            st.max_per_page = body.get("max_per_page", st.max_per_page)
            for d in body.get("domains", []):
                recs = st.domains.setdefault(d["fqdn"], {})
                for r in d.get("rrsets", []):
                    recs[(r["rrset_name"], r["rrset_type"])] = {
                        "ttl": r.get("rrset_ttl", 10800), "values": list(r["rrset_values"])}
            return self.send_json(200, {"ok": True})
        if path == "/__fake/state":
            return self.send_json(200, {"domains": {
                fqdn: [{"rrset_name": n, "rrset_type": t, "rrset_ttl": rs["ttl"],
                        "rrset_values": rs["values"]} for (n, t), rs in recs.items()]
                for fqdn, recs in st.domains.items()}, "errors": st.errors})
        return self.send_json(404, {"ok": False})

    def rrset_doc(self, fqdn, name, rtype, rs):
        doc = {"rrset_name": name, "rrset_type": rtype, "rrset_ttl": rs["ttl"],
               "rrset_values": rs["values"],
               "rrset_href": "http://%s%s/domains/%s/records/%s/%s" % (
                   self.headers.get("Host", ""), PREFIX, fqdn, name, rtype)}
        err = check(RRSET_OUT, doc)
        if err:
            self.server.state.errors.append("fake's own rrset: " + err)
        return doc

    def check_query(self, query, allowed):
        for k, v in query:
            if k not in allowed:
                return "unknown query parameter %s" % k
            if k in ("page", "per_page") and (not v.isdigit() or int(v) < 1):
                return "%s=%s: an integer >= 1" % (k, v)
        return None

    def body_of(self, raw, schema):
        """The JSON body checked against schema, or (None, message)."""
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            return None, "POST, PUT and PATCH must carry Content-Type: application/json"
        try:
            body = json.loads(raw)
        except ValueError:
            return None, "the body is not JSON"
        err = check(schema, body)
        if err:
            return None, err
        for v in body.get("rrset_values", []) + body.get("add_rrset_values", []):
            if v.startswith('"'):
                parts = txt_parts(v)
                if parts is None:
                    return None, "a quoted value that does not parse: %r" % v
                if any(len(p) > 255 for p in parts):
                    return None, "a quoted string over 255 bytes"
        return body, None

    def route(self, path, query, raw):
        st = self.server.state
        m = self.command
        if not path.startswith(PREFIX + "/"):
            return self.error_reply(404, "The resource could not be found.")
        auth = self.headers.get("Authorization", "")
        perm = st.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if perm is None:
            return self.error_reply(401, "The server could not verify that you authorized "
                                    "to access the document you requested.")
        parts = [unquote(p) for p in path[len(PREFIX) + 1:].split("/")]
        if parts == ["domains"] and m == "GET":
            err = self.check_query(query, {"page", "per_page", "sharing_id", "sort_by"})
            if err:
                return self.violation(err)
            q = dict(query)
            page, per = int(q.get("page", 1)), min(int(q.get("per_page", 100)), st.max_per_page)
            names = sorted(st.domains)
            chunk = names[(page - 1) * per:page * per]
            base = "http://%s%s/domains" % (self.headers.get("Host", ""), PREFIX)
            doc = [{"fqdn": f, "domain_href": base + "/" + f,
                    "domain_records_href": base + "/" + f + "/records"} for f in chunk]
            headers = {"Total-Count": str(len(names)), "Filtered-Count": str(len(chunk))}
            if page * per < len(names):
                headers["Link"] = '<%s?page=%d&per_page=%d>; rel="next"' % (base, page + 1, per)
            return self.send_json(200, doc, headers)
        if len(parts) < 2 or parts[0] != "domains":
            return self.error_reply(404, "The resource could not be found.")
        fqdn = parts[1]
        recs = st.domains.get(fqdn)
        if recs is None:
            return self.error_reply(404, "The domain %s was not found." % fqdn)
        if len(parts) == 2 and m == "GET":
            return self.send_json(200, {"fqdn": fqdn, "automatic_snapshots": False})
        if len(parts) < 3 or parts[2] != "records":
            return self.error_reply(404, "The resource could not be found.")
        if len(parts) == 3 and m == "GET":
            err = self.check_query(query, {"rrset_type", "page", "per_page", "sort_by",
                                           "sharing_id"})
            if err:
                return self.violation(err)
            q = dict(query)
            items = [self.rrset_doc(fqdn, n, t, rs) for (n, t), rs in sorted(recs.items())
                     if "rrset_type" not in q or t == q["rrset_type"]]
            page, per = int(q.get("page", 1)), min(int(q.get("per_page", 100)), st.max_per_page)
            return self.send_json(200, items[(page - 1) * per:page * per],
                                  {"Total-Count": str(len(items))})
        if query and not (len(query) == 1 and query[0][0] == "sharing_id"):
            return self.violation("unknown query parameters %s" % query)
        name = parts[3] if len(parts) > 3 else None
        if not name or not re.fullmatch(r"@|[A-Za-z0-9_*]([A-Za-z0-9_.*-]*[A-Za-z0-9_])?", name):
            return self.violation("bad rrset_name %r" % name)
        if len(parts) == 4 and m == "GET":
            return self.send_json(200, [self.rrset_doc(fqdn, n, t, rs)
                                        for (n, t), rs in sorted(recs.items()) if n == name])
        if len(parts) != 5:
            return self.error_reply(404, "The resource could not be found.")
        rtype = parts[4]
        if rtype not in RRTYPES:
            return self.violation("rrset_type %r is not one of the contract's types" % rtype)
        key = (name, rtype)
        if m == "GET":
            if key not in recs:
                return self.error_reply(404, "Can't find the DNS record %s/%s" % key)
            return self.send_json(200, self.rrset_doc(fqdn, name, rtype, recs[key]))
        if m not in ("POST", "PUT", "PATCH", "DELETE"):
            return self.error_reply(405, "Method not allowed")
        if perm != "edit":
            return self.error_reply(403, "Access was denied to this resource.")
        if m == "DELETE":
            if key not in recs:
                return self.error_reply(404, "Can't find the DNS record %s/%s" % key)
            del recs[key]
            return self.send_raw(204, b"")
        body, err = self.body_of(raw, PATCH_BODY if m == "PATCH" else RRSET_BODY)
        if err:
            return self.violation(err)
        if m == "POST":
            if key in recs:
                return self.error_reply(409, "A DNS record with that name and type already exists")
            recs[key] = {"ttl": body.get("rrset_ttl", 10800), "values": body["rrset_values"]}
            return self.send_json(201, {"message": "DNS Record Created"},
                                  {"Location": "%s/domains/%s/records/%s/%s" % (PREFIX, fqdn,
                                                                               name, rtype)})
        if m == "PUT":
            recs[key] = {"ttl": body.get("rrset_ttl", recs.get(key, {}).get("ttl", 10800)),
                         "values": body["rrset_values"]}
            return self.send_json(201, {"message": "DNS Record Created"})
        if key not in recs:
            return self.error_reply(404, "Can't find the DNS record %s/%s" % key)
        rs = recs[key]
        rs["values"] = [v for v in rs["values"] if v not in body.get("remove_rrset_values", [])]
        rs["values"] += [v for v in body.get("add_rrset_values", []) if v not in rs["values"]]
        rs["ttl"] = body.get("rrset_ttl", rs["ttl"])
        if not rs["values"]:
            del recs[key]
            return self.send_json(200, {"message": "DNS Record Deleted"})
        return self.send_json(200, self.rrset_doc(fqdn, name, rtype, rs))


if __name__ == "__main__":
    sys.exit(serve(Handler, State()))
