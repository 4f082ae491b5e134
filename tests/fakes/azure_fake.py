#!/usr/bin/python3
"""azure_fake.py: a local stand-in for Azure DNS (Resource Manager,
api-version 2018-05-01) and Microsoft Entra ID's token endpoint, written
from tests/specs/azure-dns-2018-05-01.openapi.json and
tests/specs/azure-entra-client-credentials.md.

- Serves on 127.0.0.1; prints "PORT <n>" once listening; serves the
  records by DNS too (fakebase.py, GET /__fake/dns).
- POST /{tenant}/oauth2/v2.0/token (form): grant_type client_credentials,
  scope https://management.azure.com/.default, a known client_id and its
  secret; else Entra's error body ({error, error_description with its
  AADSTS code, error_codes, timestamp, trace_id, correlation_id}; 401
  invalid_client for a wrong secret, 400 for the rest).
- /subscriptions/...: every request is matched against the spec's paths
  and methods; its query (api-version=2018-05-01 required, $top, the
  $recordsetnamesuffix where declared, the $skiptoken of the fake's own
  nextLinks), its headers (If-Match / If-None-Match only where declared),
  its path enum (recordType) and its body against the RecordSet schema
  (readOnly properties refused, unknown properties refused); TXT strings
  at most 255 characters, at most 4096 characters across a TXT set.
  Authorization must be a token this fake issued (401
  InvalidAuthenticationToken otherwise; 403 AuthorizationFailed for a
  read-only principal writing). Violations answer 400 and are listed in
  /__fake/log "errors".
- ETags: every write gives the set a new etag; If-Match (etag or *) and
  If-None-Match: * are enforced with 412 PreconditionFailed.
- Keeps state; zone lists page at most "max_top" (seed) through nextLink.
Control: POST /__fake/seed {"clients": {ID: {"secret", "perm": "edit"|"read"}},
  "tenant", "subscription", "max_top", "zones": [{"rg", "name", "recordsets":
  [{"type", "name", "properties"}]}]}; POST /__fake/edit_after_get {"zone",
  "type", "name", "after": n, "add_txt": "value"}: after the (after+1)-th GET
  of that set someone else adds a TXT value (new etag); GET /__fake/state.
"""
import copy
import json
import os
import re
import secrets
import sys
import time
import uuid
from urllib.parse import parse_qsl, unquote

import jsonschema

from fakebase import TYPES, BaseHandler, BaseState, rdata, serve

API = "2018-05-01"
SCOPE = "https://management.azure.com/.default"


def spec_path(name):
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "specs", name)


def close_objects(node):
    """Swagger definitions -> JSON Schema with closed objects."""
    if isinstance(node, dict):
        out = {k: close_objects(v) for k, v in node.items() if not k.startswith("x-")}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [close_objects(v) for v in node]
    return node


def values_of(rtype, props):
    """ARM properties -> presentation values (for the DNS server)."""
    if rtype == "TXT":
        return None
    if rtype == "CNAME":
        return [props["CNAMERecord"]["cname"]] if "CNAMERecord" in props else []
    key = {"A": ("ARecords", "ipv4Address"), "AAAA": ("AAAARecords", "ipv6Address"),
           "NS": ("NSRecords", "nsdname"), "PTR": ("PTRRecords", "ptrdname")}.get(rtype)
    if key:
        return [r[key[1]] for r in props.get(key[0], [])]
    if rtype == "MX":
        return ["%d %s" % (r["preference"], r["exchange"]) for r in props.get("MXRecords", [])]
    return []


class State(BaseState):
    def __init__(self):
        super().__init__()
        with open(spec_path("azure-dns-2018-05-01.openapi.json")) as f:
            self.spec = json.load(f)
        self.definitions = close_objects(self.spec["definitions"])
        self.routes = []
        for p, ops in self.spec["paths"].items():
            rx = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", p) + "$", re.I)
            for m, op in ops.items():
                if m == "parameters":
                    continue
                params = [self.spec["parameters"][x["$ref"].split("/")[-1]] if "$ref" in x else x
                          for x in op.get("parameters", [])]
                self.routes.append((m.upper(), rx, op, params))
        # Literal segments ("recordsets", "all") before {recordType}.
        self.routes.sort(key=lambda r: r[1].pattern.count("(?P<"))
        self.clients = {}
        self.tokens = {}
        self.tenant = "aw-test-tenant"
        self.sub = "00000000-0000-0000-0000-00000000aaaa"
        self.max_top = 100
        self.zones = {}        # name -> {"rg", "name", "sets": {(TYPE, rel): set}}
        self.edits = []

    def dns_records(self, name):
        for z in sorted(self.zones.values(), key=lambda z: -len(z["name"])):
            if name == z["name"] or name.endswith("." + z["name"]):
                rel = "@" if name == z["name"] else name[:-len(z["name"]) - 1]
                out = []
                for (t, n), s in z["sets"].items():
                    if n != rel or t not in TYPES:
                        continue
                    props = s["properties"]
                    if t == "TXT":
                        rds = [b"".join(bytes([len(p)]) + p.encode() for p in r.get("value", []))
                               for r in props.get("TXTRecords", [])]
                    else:
                        rds = [rdata(TYPES[t], v) for v in values_of(t, props)]
                    out.append((TYPES[t], rds, props.get("TTL", 3600)))
                return out or None
        return None


class Handler(BaseHandler):
    server_version = "azure-fake/1"

    def error_reply(self, status, message, headers=None, code=None):
        codes = {400: "BadRequest", 401: "InvalidAuthenticationToken", 403: "AuthorizationFailed",
                 404: "NotFound", 409: "Conflict", 412: "PreconditionFailed",
                 429: "TooManyRequests", 500: "InternalServerError", 503: "ServiceUnavailable"}
        doc = {"error": {"code": code or codes.get(status, "Error"), "message": message}}
        try:
            jsonschema.validate(doc, {"$ref": "#/definitions/CloudError",
                                      "definitions": self.server.state.definitions})
        except jsonschema.ValidationError as e:
            self.server.state.errors.append("fake's own CloudError: " + e.message)
        return self.send_json(status, doc, headers)

    def control(self, path, body):
        st = self.server.state
        if path == "/__fake/seed":
            st.clients.update(body.get("clients", {}))
            st.tenant = body.get("tenant", st.tenant)
            st.sub = body.get("subscription", st.sub)
            st.max_top = body.get("max_top", st.max_top)
            for z in body.get("zones", []):
                st.zones[z["name"]] = {"rg": z.get("rg", "dns-rg"), "name": z["name"], "sets": {
                    (r["type"], r["name"]): {"properties": copy.deepcopy(r["properties"]),
                                             "etag": str(uuid.uuid4())}
                    for r in z.get("recordsets", [])}}
            return self.send_json(200, {"ok": True})
        if path == "/__fake/edit_after_get":
            st.edits.append(body)
            return self.send_json(200, {"ok": True})
        if path == "/__fake/state":
            return self.send_json(200, {"zones": {
                n: [{"type": k[0], "name": k[1], "etag": s["etag"], "properties": s["properties"]}
                    for k, s in z["sets"].items()] for n, z in st.zones.items()},
                "errors": st.errors})
        return self.send_json(404, {"ok": False})

    # --- Entra ID -----------------------------------------------------------
    def entra_error(self, status, error, code, desc):
        return self.send_json(status, {
            "error": error, "error_description": "AADSTS%d: %s" % (code, desc),
            "error_codes": [code], "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
            "trace_id": str(uuid.uuid4()), "correlation_id": str(uuid.uuid4())})

    def token(self, tenant, raw):
        st = self.server.state
        if (self.headers.get("Content-Type") or "").split(";")[0] != \
                "application/x-www-form-urlencoded":
            st.errors.append("token: Content-Type %r" % self.headers.get("Content-Type"))
            return self.entra_error(400, "invalid_request", 900144,
                                    "The request body must contain the following parameter: 'grant_type'.")
        form = parse_qsl(raw.decode(), keep_blank_values=True)
        f = dict(form)
        if len(f) != len(form) or set(f) != {"client_id", "scope", "client_secret", "grant_type"}:
            st.errors.append("token: form fields %s" % sorted(k for k, _ in form))
            return self.entra_error(400, "invalid_request", 900144, "Bad request fields.")
        if tenant != st.tenant:
            return self.entra_error(400, "invalid_request", 90002,
                                    "Tenant '%s' not found." % tenant)
        if f["grant_type"] != "client_credentials":
            st.errors.append("token: grant_type %r" % f["grant_type"])
            return self.entra_error(400, "unsupported_grant_type", 70003,
                                    "The app requested an unsupported grant type.")
        if f["scope"] != SCOPE:
            st.errors.append("token: scope %r" % f["scope"])
            return self.entra_error(400, "invalid_scope", 70011,
                                    "The provided value for the input parameter 'scope' is not valid.")
        c = st.clients.get(f["client_id"])
        if c is None:
            return self.entra_error(400, "unauthorized_client", 700016,
                                    "Application with identifier '%s' was not found in the "
                                    "directory." % f["client_id"])
        if f["client_secret"] != c["secret"]:
            return self.entra_error(401, "invalid_client", 7000215,
                                    "Invalid client secret provided. Ensure the secret being sent "
                                    "in the request is the client secret value, not the client "
                                    "secret ID.")
        tok = "eyJ0eXAiOiJKV1Qi.fake." + secrets.token_urlsafe(24)
        st.tokens[tok] = f["client_id"]
        return self.send_json(200, {"token_type": "Bearer", "expires_in": 3599,
                                    "ext_expires_in": 3599, "access_token": tok})

    # --- ARM ----------------------------------------------------------------
    def set_doc(self, zone, rtype, rel, s):
        return {"id": "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/dnszones/"
                      "%s/%s/%s" % (self.server.state.sub, zone["rg"], zone["name"], rtype, rel),
                "name": rel, "type": "Microsoft.Network/dnszones/" + rtype, "etag": s["etag"],
                "properties": dict(s["properties"], fqdn=(zone["name"] if rel == "@" else
                                                          rel + "." + zone["name"]) + ".",
                                   provisioningState="Succeeded")}

    def zone_doc(self, z):
        return {"id": "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/dnszones/%s"
                      % (self.server.state.sub, z["rg"], z["name"]),
                "name": z["name"], "type": "Microsoft.Network/dnszones", "location": "global",
                "etag": "00000000-0000-0000-0000-000000000000",
                "properties": {"maxNumberOfRecordSets": 10000, "numberOfRecordSets": len(z["sets"]),
                               "nameServers": ["ns1-01.azure-dns.com."], "zoneType": "Public"}}

    def paged(self, items, q, path):
        st = self.server.state
        top = min(int(q.get("$top", 100)), st.max_top)
        skip = int(q.get("$skiptoken", 0))
        doc = {"value": items[skip:skip + top]}
        if skip + top < len(items):
            doc["nextLink"] = "http://%s%s?api-version=%s&$top=%d&$skiptoken=%d" % (
                self.headers.get("Host"), path, API, top, skip + top)
        return doc

    def check_body(self, raw, rtype):
        st = self.server.state
        if (self.headers.get("Content-Type") or "").split(";")[0] != "application/json":
            return None, "a body without Content-Type: application/json"
        try:
            body = json.loads(raw)
        except ValueError:
            return None, "the body is not JSON"
        try:
            jsonschema.validate(body, {"$ref": "#/definitions/RecordSet",
                                       "definitions": st.definitions})
        except jsonschema.ValidationError as e:
            return None, "RecordSet: " + e.message
        for k in ("id", "name", "type"):
            if k in body:
                return None, "readOnly %s sent" % k
        props = body.get("properties", {})
        for k in ("fqdn", "provisioningState"):
            if k in props:
                return None, "readOnly properties.%s sent" % k
        keys = {"A": "ARecords", "AAAA": "AAAARecords", "MX": "MXRecords", "NS": "NSRecords",
                "PTR": "PTRRecords", "TXT": "TXTRecords", "CNAME": "CNAMERecord"}
        for k in keys.values():
            if k in props and k != keys.get(rtype):
                return None, "%s in a %s record set" % (k, rtype)
        if keys.get(rtype) not in props:
            return None, "no %s in a %s record set" % (keys.get(rtype), rtype)
        if rtype == "TXT":
            strings = [s for r in props["TXTRecords"] for s in r.get("value", [])]
            if any(len(s) > 255 for s in strings):
                return None, "a TXT string over 255 characters"
            if sum(len(s) for s in strings) > 4096:
                return None, "over 4096 characters in a TXT record set"
        if not isinstance(props.get("TTL"), int) or not 1 <= props["TTL"] <= 2147483647:
            return None, "TTL %r" % props.get("TTL")
        return body, None

    def route(self, path, query, raw):
        st = self.server.state
        m = re.fullmatch(r"/([^/]+)/oauth2/v2\.0/token", path)
        if m and self.command == "POST":
            return self.token(m.group(1), raw)
        found = None
        for verb, rx, op, params in st.routes:
            mm = rx.match(path)
            if mm and verb == self.command:
                found = (op, params, {k: unquote(v) for k, v in mm.groupdict().items()})
                break
        if found is None:
            st.errors.append("%s %s: no such operation in the spec" % (self.command, path))
            return self.error_reply(404, "No HTTP resource was found that matches the request URI.",
                                    code="InvalidResourceType")
        op, params, pp = found
        auth = self.headers.get("Authorization", "")
        client = st.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if client is None:
            return self.error_reply(401, "The access token is invalid." if auth else
                                    "The request did not have a subscription or a valid tenant level "
                                    "resource provider.",
                                    code="InvalidAuthenticationToken" if auth else
                                    "AuthenticationFailed")
        declared = {p["name"] for p in params if p["in"] == "query"}
        q = dict(query)
        for k, v in query:
            if k not in declared and k != "$skiptoken":
                return self.violation("undeclared query parameter %s" % k)
            if k == "$top" and (not v.isdigit() or int(v) < 1):
                return self.violation("$top=%s" % v)
        if q.get("api-version") != API:
            return self.violation("api-version %r, not %s" % (q.get("api-version"), API))
        hdrs = {p["name"].lower() for p in params if p["in"] == "header"}
        for h in ("if-match", "if-none-match"):
            if self.headers.get(h) is not None and h not in hdrs:
                return self.violation("header %s not declared for this operation" % h)
        for p in params:
            if p["in"] == "path" and "enum" in p and pp.get(p["name"]) not in p["enum"]:
                return self.violation("%s=%r not in %s" % (p["name"], pp.get(p["name"]), p["enum"]))
        if pp["subscriptionId"] != st.sub:
            return self.error_reply(404, "The subscription '%s' could not be found." %
                                    pp["subscriptionId"], code="SubscriptionNotFound")
        if "zoneName" not in pp:
            zs = [z for _, z in sorted(st.zones.items())
                  if "resourceGroupName" not in pp or z["rg"].lower() == pp["resourceGroupName"].lower()]
            return self.send_json(200, self.paged([self.zone_doc(z) for z in zs], q, path))
        zone = st.zones.get(pp["zoneName"].lower())
        if zone is None or zone["rg"].lower() != pp["resourceGroupName"].lower():
            return self.error_reply(404, "The resource 'Microsoft.Network/dnszones/%s' under "
                                    "resource group '%s' was not found." %
                                    (pp["zoneName"], pp["resourceGroupName"]),
                                    code="ResourceNotFound")
        if "recordType" not in pp and "relativeRecordSetName" not in pp:
            if path.endswith("/recordsets") or path.endswith("/all"):
                items = [self.set_doc(zone, t, n, s) for (t, n), s in sorted(zone["sets"].items())]
                return self.send_json(200, self.paged(items, q, path))
            return self.send_json(200, self.zone_doc(zone))
        rtype = pp["recordType"]
        if "relativeRecordSetName" not in pp:
            items = [self.set_doc(zone, t, n, s) for (t, n), s in sorted(zone["sets"].items())
                     if t == rtype]
            return self.send_json(200, self.paged(items, q, path))
        rel = pp["relativeRecordSetName"].lower()
        key = (rtype, rel)
        cur = zone["sets"].get(key)
        if self.command == "GET":
            if cur is None:
                return self.error_reply(404, "The resource record '%s' does not exist in resource "
                                        "group '%s' of subscription '%s'." % (rel, zone["rg"], st.sub),
                                        code="NotFound")
            doc = self.set_doc(zone, rtype, rel, cur)
            self.send_json(200, doc)
            self.after_get(zone, key)
            return None
        if st.clients[client].get("perm", "edit") != "edit":
            return self.error_reply(403, "The client '%s' does not have authorization to perform "
                                    "action 'Microsoft.Network/dnszones/%s/write' over scope '%s'."
                                    % (client, rtype, path), code="AuthorizationFailed")
        im, inm = self.headers.get("If-Match"), self.headers.get("If-None-Match")
        if im is not None and (cur is None or (im != "*" and im != cur["etag"])):
            return self.error_reply(412, "The Record set %s has been modified (etag mismatch)."
                                    % rel, code="PreconditionFailed")
        if inm == "*" and cur is not None:
            return self.error_reply(412, "The Record set %s exists already and so cannot be "
                                    "created again." % rel, code="PreconditionFailed")
        if self.command == "DELETE":
            if cur is None:
                return self.send_raw(204, b"")
            del zone["sets"][key]
            return self.send_raw(200, b"")
        body, err = self.check_body(raw, rtype)
        if err:
            return self.violation(err)
        new = {"properties": body["properties"], "etag": str(uuid.uuid4())}
        if self.command == "PATCH":
            if cur is None:
                return self.error_reply(404, "The resource record '%s' does not exist." % rel)
            new["properties"] = dict(cur["properties"], **body["properties"])
        zone["sets"][key] = new
        return self.send_json(200 if cur is not None else 201, self.set_doc(zone, rtype, rel, new))

    def after_get(self, zone, key):
        st = self.server.state
        for e in st.edits:
            if e["zone"] != zone["name"] or (e["type"], e["name"]) != key:
                continue
            if e.get("after", 0) > 0:
                e["after"] -= 1
                continue
            st.edits.remove(e)
            s = zone["sets"][key]
            s["properties"].setdefault("TXTRecords", []).append({"value": [e["add_txt"]]})
            s["etag"] = str(uuid.uuid4())
            return


if __name__ == "__main__":
    sys.exit(serve(Handler, State()))
