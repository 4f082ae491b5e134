#!/usr/bin/python3
"""gcloud_fake.py: a local stand-in for Google Cloud DNS v1 and Google's
OAuth2 token endpoint, written from tests/specs/gcloud-dns-v1-20250102.
discovery.json and tests/specs/gcloud-oauth2-service-account-jwt.md.

- Serves on 127.0.0.1; prints "PORT <n>" once listening; serves the
  records by DNS too (fakebase.py, GET /__fake/dns).
- POST /token: grant_type must be the jwt-bearer URN; the assertion's
  header (alg RS256, typ JWT), claims (iss a known service account, aud
  https://oauth2.googleapis.com/token, a Cloud DNS scope, iat near now, exp
  at most an hour after iat) and RS256 signature (checked with the service
  account's public key, python3-cryptography) are verified; failures answer
  400 {"error": "invalid_grant", "error_description": ...} as Google does.
  A good assertion gets {access_token, expires_in, token_type}.
- /dns/v1/...: every request is matched against the discovery document's
  methods (flatPath and httpMethod), its query parameters against the
  method's parameters, its body against the method's request schema (the
  discovery schemas as JSON Schema; unknown fields refused, as Google
  does); Authorization must be "Bearer <a token this fake issued>" (401
  UNAUTHENTICATED otherwise, 403 for a read-only service account writing).
  rrset names must be absolute and in the zone; TXT rrdatas, when quoted,
  must parse with strings <= 255 bytes. Violations answer 400 and are
  listed in /__fake/log "errors".
- Keeps state; pages everything at "max_results" per page at most (seed),
  with an opaque nextPageToken.
Control: POST /__fake/seed {"accounts": {EMAIL: {"public_pem": PEM,
  "perm": "edit"|"read"}}, "project": ID, "max_results": n, "zones": [{"name",
  "dnsName", "visibility", "rrsets": [{"name", "type", "ttl", "rrdatas"}]}]};
  POST /__fake/expire (every issued token stops working); GET /__fake/state.
"""
import base64
import json
import os
import re
import secrets
import sys
import time
from urllib.parse import parse_qsl, unquote

import jsonschema
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from fakebase import TYPES, BaseHandler, BaseState, rdata, serve, txt_parts

AUD = "https://oauth2.googleapis.com/token"
GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SCOPES = {"https://www.googleapis.com/auth/ndev.clouddns.readwrite",
          "https://www.googleapis.com/auth/cloud-platform"}


def spec_path(name):
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "specs", name)


def discovery_to_jsonschema(node):
    """Discovery schemas -> JSON Schema: $ref by id, objects closed (Google
    refuses unknown fields), formats dropped."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref":
                out["$ref"] = "#/definitions/" + v
            elif k in ("format", "id", "description", "enumDescriptions", "annotations",
                       "default", "deprecated", "readOnly"):
                continue
            else:
                out[k] = discovery_to_jsonschema(v)
        if out.get("type") == "object" and "properties" in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [discovery_to_jsonschema(v) for v in node]
    return node


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


class State(BaseState):
    def __init__(self):
        super().__init__()
        with open(spec_path("gcloud-dns-v1-20250102.discovery.json")) as f:
            self.disc = json.load(f)
        self.definitions = {k: discovery_to_jsonschema(v)
                            for k, v in self.disc["schemas"].items()}
        self.methods = []
        self.collect(self.disc)
        self.accounts = {}
        self.tokens = {}          # access token -> email
        self.project = "aw-test-project"
        self.max_results = 100
        self.zones = {}           # name -> zone
        self.next_id = 1000

    def collect(self, res):
        for r in res.get("resources", {}).values():
            for mid, m in r.get("methods", {}).items():
                rx = "/" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", m["flatPath"]) + "$"
                self.methods.append((m["httpMethod"], re.compile(rx), m))
            self.collect(r)

    def dns_records(self, name):
        for z in sorted(self.zones.values(), key=lambda z: -len(z["dnsName"])):
            if z["visibility"] != "public":
                continue
            zn = z["dnsName"].rstrip(".")
            if name == zn or name.endswith("." + zn):
                sets = [(TYPES[t], [rdata(TYPES[t], v) for v in rs["rrdatas"]], rs["ttl"])
                        for (n, t), rs in z["rrsets"].items()
                        if n == name + "." and t in TYPES]
                return sets or None
        return None


class Handler(BaseHandler):
    server_version = "gcloud-fake/1"

    def error_reply(self, status, message, headers=None, reason=None):
        reasons = {400: "invalid", 401: "authError", 403: "forbidden", 404: "notFound",
                   409: "alreadyExists", 429: "rateLimitExceeded", 500: "backendError",
                   503: "backendError"}
        statuses = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                    404: "NOT_FOUND", 409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED"}
        doc = {"error": {"code": status, "message": message,
                         "errors": [{"message": message, "domain": "global",
                                     "reason": reason or reasons.get(status, "error")}],
                         "status": statuses.get(status, "INTERNAL")}}
        return self.send_json(status, doc, headers)

    def control(self, path, body):
        st = self.server.state
        if path == "/__fake/seed":
            for email, a in body.get("accounts", {}).items():
                st.accounts[email] = {"key": serialization.load_pem_public_key(
                    a["public_pem"].encode()), "perm": a.get("perm", "edit")}
            st.project = body.get("project", st.project)
            st.max_results = body.get("max_results", st.max_results)
            for z in body.get("zones", []):
                st.next_id += 1
                st.zones[z["name"]] = {
                    "name": z["name"], "dnsName": z["dnsName"], "id": str(st.next_id),
                    "visibility": z.get("visibility", "public"),
                    "rrsets": {(r["name"], r["type"]): {"ttl": r.get("ttl", 300),
                                                        "rrdatas": list(r["rrdatas"])}
                               for r in z.get("rrsets", [])}}
            return self.send_json(200, {"ok": True})
        if path == "/__fake/expire":
            st.tokens.clear()
            return self.send_json(200, {"ok": True})
        if path == "/__fake/state":
            return self.send_json(200, {"zones": {
                n: [{"name": k[0], "type": k[1], "ttl": rs["ttl"], "rrdatas": rs["rrdatas"]}
                    for k, rs in z["rrsets"].items()] for n, z in st.zones.items()},
                "errors": st.errors, "tokens_issued": len(st.tokens)})
        return self.send_json(404, {"ok": False})

    # --- OAuth2 -------------------------------------------------------------
    def token(self, raw):
        st = self.server.state

        def bad(desc, what=None):
            if what:
                st.errors.append("POST /token: " + what)
            return self.send_json(400, {"error": "invalid_grant", "error_description": desc})
        if (self.headers.get("Content-Type") or "").split(";")[0] != \
                "application/x-www-form-urlencoded":
            return self.send_json(400, {"error": "invalid_request",
                                        "error_description": "Bad Request"})
        form = dict(parse_qsl(raw.decode(), keep_blank_values=True))
        if set(form) != {"grant_type", "assertion"}:
            st.errors.append("POST /token: form fields %s" % sorted(form))
            return self.send_json(400, {"error": "invalid_request",
                                        "error_description": "Bad Request"})
        if form["grant_type"] != GRANT:
            st.errors.append("POST /token: grant_type %r" % form["grant_type"])
            return self.send_json(400, {"error": "unsupported_grant_type",
                                        "error_description": "Invalid grant_type: " + form["grant_type"]})
        parts = form["assertion"].split(".")
        if len(parts) != 3:
            return bad("Invalid JWT: Token must be a short-lived token", "not a JWT")
        try:
            hdr = json.loads(b64url_decode(parts[0]))
            claims = json.loads(b64url_decode(parts[1]))
            sig = b64url_decode(parts[2])
        except ValueError:
            return bad("Invalid JWT", "JWT segments are not base64url JSON")
        if any("=" in p for p in parts):
            return bad("Invalid JWT", "JWT segments padded")
        if hdr.get("alg") != "RS256" or hdr.get("typ") != "JWT":
            return bad("Invalid JWT header", "header %r" % hdr)
        acct = st.accounts.get(claims.get("iss"))
        if acct is None:
            return bad("Invalid JWT Signature.")
        if claims.get("aud") != AUD:
            return bad("Invalid JWT: aud", "aud %r" % claims.get("aud"))
        if not set(str(claims.get("scope", "")).split()) & SCOPES:
            return bad("Invalid OAuth scope or ID token audience provided.",
                       "scope %r" % claims.get("scope"))
        now = time.time()
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int) or not isinstance(exp, int) or abs(iat - now) > 300 \
                or exp <= iat or exp - iat > 3600:
            return bad("Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                       "reasonable timeframe. Check your iat and exp values in the JWT claim.",
                       "iat/exp %r/%r" % (iat, exp))
        try:
            acct["key"].verify(sig, (parts[0] + "." + parts[1]).encode(),
                               padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return bad("Invalid JWT Signature.")
        tok = "ya29.fake-" + secrets.token_urlsafe(24)
        st.tokens[tok] = claims["iss"]
        return self.send_json(200, {"access_token": tok, "expires_in": 3599,
                                    "token_type": "Bearer"})

    # --- Cloud DNS ----------------------------------------------------------
    def check_body(self, method, raw):
        st = self.server.state
        if "request" not in method:
            return None, ("a body where the method takes none" if raw else None)
        if (self.headers.get("Content-Type") or "").split(";")[0] != "application/json":
            return None, "a body without Content-Type: application/json"
        try:
            body = json.loads(raw)
        except ValueError:
            return None, "the body is not JSON"
        schema = {"$ref": "#/definitions/" + method["request"]["$ref"],
                  "definitions": st.definitions}
        try:
            jsonschema.validate(body, schema, cls=jsonschema.Draft7Validator)
        except jsonschema.ValidationError as e:
            return None, "%s: %s" % (method["request"]["$ref"], e.message)
        return body, None

    def check_rrset(self, zone, body, name=None, rtype=None):
        for k in ("name", "type", "ttl", "rrdatas"):
            if k not in body:
                return "ResourceRecordSet without %s" % k
        if not body["name"].endswith("."):
            return "name %r is not absolute" % body["name"]
        n = body["name"].lower()
        if n != zone["dnsName"] and not n.endswith("." + zone["dnsName"]):
            return "name %s outside zone %s" % (n, zone["dnsName"])
        if name is not None and (n != name.lower() or body["type"] != rtype):
            return "body %s/%s differs from the path %s/%s" % (n, body["type"], name, rtype)
        if not body["rrdatas"]:
            return "no rrdatas"
        if body["type"] == "TXT":
            for v in body["rrdatas"]:
                if v.startswith('"'):
                    p = txt_parts(v)
                    if p is None:
                        return "TXT rrdata does not parse: %r" % v
                    if any(len(x) > 255 for x in p):
                        return "a TXT string over 255 bytes"
        return None

    def page(self, items, q, key):
        st = self.server.state
        start = int(b64url_decode(q["pageToken"]).decode()) if q.get("pageToken") else 0
        per = min(int(q.get("maxResults", 100)), st.max_results)
        doc = {key: items[start:start + per]}
        if start + per < len(items):
            doc["nextPageToken"] = base64.urlsafe_b64encode(
                str(start + per).encode()).decode().rstrip("=")
        return doc

    def route(self, path, query, raw):
        st = self.server.state
        if path == "/token":
            if self.command != "POST":
                return self.send_json(405, {"error": "invalid_request"})
            return self.token(raw)
        match = None
        for verb, rx, m in st.methods:
            mm = rx.match(path)
            if mm and verb == self.command:
                match = (m, {k: unquote(v) for k, v in mm.groupdict().items()})
                break
        if match is None:
            st.errors.append("%s %s: no such method in the discovery document" % (self.command, path))
            return self.error_reply(404, "Not Found")
        method, params = match
        auth = self.headers.get("Authorization", "")
        email = st.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if email is None:
            return self.error_reply(401, "Request had invalid authentication credentials. "
                                    "Expected OAuth 2 access token, login cookie or other valid "
                                    "authentication credential.")
        allowed = {k for k, p in method["parameters"].items() if p["location"] == "query"}
        allowed |= {"alt", "fields", "prettyPrint", "quotaUser"}
        for k, v in query:
            if k not in allowed:
                return self.violation("unknown query parameter %s" % k)
            if k == "maxResults" and (not v.isdigit() or int(v) < 1):
                return self.violation("maxResults=%s" % v)
        q = dict(query)
        if "type" in q and "name" not in q:
            return self.violation("type given without name")
        body, err = self.check_body(method, raw)
        if err:
            return self.violation(err)
        if params["project"] != st.project:
            return self.error_reply(403, "The caller does not have permission", reason="forbidden")
        mid = method["id"]
        if mid == "dns.managedZones.list":
            zs = [z for z in sorted(st.zones.values(), key=lambda z: z["name"])
                  if "dnsName" not in q or z["dnsName"] == q["dnsName"].lower()]
            if "dnsName" in q and not q["dnsName"].endswith("."):
                return self.violation("dnsName %r is not absolute" % q["dnsName"])
            doc = self.page([{"kind": "dns#managedZone", "name": z["name"],
                              "dnsName": z["dnsName"], "id": z["id"],
                              "visibility": z["visibility"],
                              "nameServers": ["ns-cloud-a1.googledomains.com."]} for z in zs],
                            q, "managedZones")
            doc["kind"] = "dns#managedZonesListResponse"
            return self.send_json(200, doc)
        zone = st.zones.get(params["managedZone"])
        if zone is None:
            return self.error_reply(404, "The 'parameters.managedZone' resource named '%s' does "
                                    "not exist." % params["managedZone"])
        rrsets = zone["rrsets"]
        if mid == "dns.resourceRecordSets.list":
            if "name" in q and not q["name"].endswith("."):
                return self.violation("name %r is not absolute" % q["name"])
            items = [{"kind": "dns#resourceRecordSet", "name": n, "type": t, "ttl": rs["ttl"],
                      "rrdatas": rs["rrdatas"]} for (n, t), rs in sorted(rrsets.items())
                     if ("name" not in q or n == q["name"].lower())
                     and ("type" not in q or t == q["type"])]
            doc = self.page(items, q, "rrsets")
            doc["kind"] = "dns#resourceRecordSetsListResponse"
            return self.send_json(200, doc)
        key = (params.get("name", "").lower(), params.get("type"))
        if mid == "dns.resourceRecordSets.get":
            if key not in rrsets:
                return self.error_reply(404, "The 'parameters.name' resource named '%s' does not "
                                        "exist." % key[0])
            rs = rrsets[key]
            return self.send_json(200, {"kind": "dns#resourceRecordSet", "name": key[0],
                                        "type": key[1], "ttl": rs["ttl"], "rrdatas": rs["rrdatas"]})
        if st.accounts[email]["perm"] != "edit":
            return self.error_reply(403, "Forbidden", reason="forbidden")
        if mid == "dns.resourceRecordSets.create":
            err = self.check_rrset(zone, body)
            if err:
                return self.violation(err)
            key = (body["name"].lower(), body["type"])
            if key in rrsets:
                return self.error_reply(409, "The resource 'entity.change.additions[%s (%s)]' "
                                        "already exists" % key)
            rrsets[key] = {"ttl": body["ttl"], "rrdatas": body["rrdatas"]}
            return self.send_json(200, dict(body, kind="dns#resourceRecordSet"))
        if mid == "dns.resourceRecordSets.patch":
            err = self.check_rrset(zone, body, key[0], key[1])
            if err:
                return self.violation(err)
            if key not in rrsets:
                return self.error_reply(404, "The 'parameters.name' resource named '%s' does not "
                                        "exist." % key[0])
            rrsets[key] = {"ttl": body["ttl"], "rrdatas": body["rrdatas"]}
            return self.send_json(200, dict(body, kind="dns#resourceRecordSet"))
        if mid == "dns.resourceRecordSets.delete":
            if key not in rrsets:
                return self.error_reply(404, "The 'parameters.name' resource named '%s' does not "
                                        "exist." % key[0])
            del rrsets[key]
            return self.send_json(200, {})
        st.errors.append("%s %s: method %s not served by the fake" % (self.command, path, mid))
        return self.error_reply(501, "not implemented in the fake")


if __name__ == "__main__":
    sys.exit(serve(Handler, State()))
