#!/usr/bin/python3
"""cloudflare_fake.py: a local stand-in for Cloudflare API v4 (DNS subset),
written from tests/specs (README + cloudflare-dns-openapi.json).

- Serves under /client/v4 on 127.0.0.1, a free port; prints "PORT <n>" on
  stdout once listening (tests wait for that line, no sleeps).
- Real paths, envelopes ({success, errors, messages, result, result_info}),
  paging (page/per_page, total_pages), error shapes and codes (10000, 9109,
  81058, 1004, 7003, 10100 on 429).
- Validates what it receives: query parameters and request bodies against
  the OpenAPI subset with jsonschema (the per-type record schemas), and its
  own responses against the response schemas. TXT content must be quoted
  (Cloudflare warns otherwise; the client must quote), parts <= 255 bytes.
- Keeps state: a read after a write sees it.
- Test control under /__fake/ (never used by the client):
    POST /__fake/seed   {"tokens": {TOKEN: "edit"|"read"|"none"},
                         "zones": [{"name": ..., "records": [{type,name,content,ttl}]}]}
    POST /__fake/fault  {"method": "GET", "path": "regex", "status": 429,
                         "retry_after": 1, "code": 10100, "message": "...",
                         "body": "raw text", "delay": seconds, "times": 1,
                         "after": 0}   (skip the first `after` matches)
    GET  /__fake/state  zones with records; GET /__fake/log: requests seen
Usage: cloudflare_fake.py [--spec PATH]
"""
import argparse
import json
import os
import re
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import jsonschema

PREFIX = "/client/v4"


def find_spec(name):
    """tests/specs/NAME: the vendor's contract, kept in the repository
    (source and licence in tests/README.md)."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "specs", name)
    if not os.path.exists(path):
        raise SystemExit("spec %s not found" % path)
    return path


class State:
    def __init__(self, spec):
        self.lock = threading.Lock()
        self.spec = spec
        self.tokens = {}
        self.zones = {}      # id -> {"id","name","records": {id: rec}}
        self.faults = []
        self.log = []
        self.errors = []     # contract violations seen (for the tests)


def openapi_to_jsonschema(node):
    """OpenAPI 3.0's "nullable: true" is JSON Schema's type [T, "null"]."""
    if isinstance(node, dict):
        if node.get("nullable") is True and isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
            if "enum" in node and None not in node["enum"]:
                node["enum"] = node["enum"] + [None]
        for v in node.values():
            openapi_to_jsonschema(v)
    elif isinstance(node, list):
        for v in node:
            openapi_to_jsonschema(v)
    return node


def schema_ref(state, name):
    return {"$ref": "#/components/schemas/" + name,
            "components": state.spec["components"]}


def validate(state, name, doc):
    try:
        jsonschema.validate(doc, schema_ref(state, name),
                            cls=jsonschema.Draft4Validator)
        return None
    except jsonschema.ValidationError as e:
        return "%s: %s" % (name, e.message)


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())


def txt_parts(content):
    """Parses '"a" "b"' (returns the parts) or None when not quoted."""
    parts, i = [], 0
    s = content.strip()
    if not s.startswith('"'):
        return None
    while i < len(s):
        if s[i] == " ":
            i += 1
            continue
        if s[i] != '"':
            return None
        i += 1
        cur = bytearray()
        while i < len(s) and s[i] != '"':
            if s[i] == "\\" and i + 1 < len(s):
                i += 1
            cur += s[i].encode()
            i += 1
        if i >= len(s):
            return None
        i += 1
        parts.append(bytes(cur))
    return parts


class Handler(BaseHTTPRequestHandler):
    server_version = "cloudflare-fake/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    # --- plumbing ---
    def send_json(self, status, doc, headers=None):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def envelope(self, result, status=200, result_info=None, messages=None):
        doc = {"success": True, "errors": [], "messages": messages or [],
               "result": result}
        if result_info is not None:
            doc["result_info"] = result_info
        self.send_json(status, doc)

    def fail(self, status, code, message, headers=None):
        doc = {"success": False, "errors": [{"code": code, "message": message}],
               "messages": [], "result": None}
        err = validate(self.server.state, "pDMP6seu_api-response-common-failure", doc)
        if err:
            self.server.state.errors.append("fake's own failure: " + err)
        self.send_json(status, doc, headers)

    def body_json(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        self.raw_body = raw
        if not raw:
            return None
        return json.loads(raw)

    def violation(self, what):
        self.server.state.errors.append("%s %s: %s" % (self.command, self.path, what))
        self.fail(400, 1004, "DNS Validation Error: " + what)

    def handle_any(self):
        st = self.server.state
        url = urlsplit(self.path)
        path, query = url.path, parse_qsl(url.query, keep_blank_values=True)
        try:
            body = self.body_json()
        except ValueError:
            body = "<malformed>"
        if path.startswith("/__fake/"):
            return self.control(path, body)
        with st.lock:
            st.log.append({"method": self.command, "path": path, "query": query,
                           "body": body if body != "<malformed>" else None})
            fault = self.match_fault(path)
        if fault is not None:
            if fault.get("delay"):
                time.sleep(fault["delay"])
            if "body" in fault:
                raw = fault["body"].encode()
                self.send_response(fault.get("status", 200))
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
                return
            if fault.get("status"):
                headers = {}
                if "retry_after" in fault:
                    headers["Retry-After"] = str(fault["retry_after"])
                return self.fail(fault["status"], fault.get("code", 10100),
                                 fault.get("message", "Rate limited"), headers)
        if not path.startswith(PREFIX + "/"):
            return self.fail(404, 7003, "No route for the URI")
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return self.fail(400, 6003, "Invalid request headers")
        perm = st.tokens.get(auth[7:])
        if perm is None:
            if path == PREFIX + "/user/tokens/verify":
                return self.fail(401, 1000, "Invalid API Token")
            return self.fail(403, 10000, "Authentication error")
        if body == "<malformed>":
            return self.violation("the body is not JSON")
        return self.route(path[len(PREFIX):], dict(query), query, body, perm)

    def match_fault(self, path):
        st = self.server.state
        for f in st.faults:
            if f.get("method", self.command) != self.command:
                continue
            if not re.search(f.get("path", ""), path):
                continue
            if f.get("after", 0) > 0:
                f["after"] -= 1
                continue
            if f.get("times", 1) <= 0:
                continue
            f["times"] = f.get("times", 1) - 1
            return f
        return None

    def control(self, path, body):
        st = self.server.state
        with st.lock:
            if path == "/__fake/seed":
                st.tokens.update(body.get("tokens", {}))
                for z in body.get("zones", []):
                    zid = uuid.uuid4().hex
                    zone = {"id": zid, "name": z["name"], "records": {}}
                    for r in z.get("records", []):
                        rid = uuid.uuid4().hex
                        zone["records"][rid] = self.new_record(zone, rid, r)
                    st.zones[zid] = zone
                return self.send_json(200, {"ok": True})
            if path == "/__fake/fault":
                st.faults.append(body)
                return self.send_json(200, {"ok": True})
            if path == "/__fake/clear":
                st.faults.clear()
                st.log.clear()
                return self.send_json(200, {"ok": True})
            if path == "/__fake/state":
                return self.send_json(200, {"zones": [
                    {"name": z["name"], "records": list(z["records"].values())}
                    for z in st.zones.values()], "errors": st.errors})
            if path == "/__fake/log":
                return self.send_json(200, {"log": st.log, "errors": st.errors})
        return self.send_json(404, {"ok": False})

    def new_record(self, zone, rid, r):
        t = now()
        return {"id": rid, "type": r["type"], "name": r["name"],
                "content": r["content"], "ttl": r.get("ttl", 1),
                "proxied": bool(r.get("proxied", False)),
                "proxiable": r["type"] in ("A", "AAAA", "CNAME"),
                "locked": False, "zone_id": zone["id"], "zone_name": zone["name"],
                "created_on": t, "modified_on": t, "meta": {"auto_added": False}}

    # --- the API ---
    def check_query(self, query_list, allowed, ints):
        for k, v in query_list:
            if k not in allowed:
                return "unknown query parameter %s" % k
            if k in ints:
                lo, hi = ints[k]
                if not v.isdigit() or not (lo <= int(v) <= hi):
                    return "%s=%s outside %d..%d" % (k, v, lo, hi)
        return None

    def check_record_body(self, zone, body):
        st = self.server.state
        if not isinstance(body, dict):
            return "no JSON object body"
        t = body.get("type")
        name = {"A": "pDMP6seu_ARecord", "AAAA": "pDMP6seu_AAAARecord",
                "CNAME": "pDMP6seu_CNAMERecord", "MX": "pDMP6seu_MXRecord",
                "NS": "pDMP6seu_NSRecord", "PTR": "pDMP6seu_PTRRecord",
                "TXT": "pDMP6seu_TXTRecord"}.get(t)
        if name is None:
            return "unsupported type %r" % t
        err = validate(st, name, body)
        if err:
            return err
        ttl = body.get("ttl", 1)
        err = validate(st, "pDMP6seu_ttl", ttl)
        if err or not (ttl == 1 or 60 <= ttl <= 86400):
            return "ttl %r: 1 (automatic) or 60..86400" % ttl
        if body.get("proxied"):
            return "mail records must not be proxied"
        n = body["name"].rstrip(".").lower()
        if n != zone["name"] and not n.endswith("." + zone["name"]):
            return "name %s outside zone %s" % (n, zone["name"])
        if t == "TXT":
            parts = txt_parts(body["content"])
            if parts is None:
                return "TXT content not wrapped in double quotes: %r" % body["content"]
            if any(len(p) > 255 for p in parts):
                return "a TXT string over 255 bytes"
        return None

    def route(self, path, q, ql, body, perm):
        st = self.server.state
        m = self.command
        if path == "/user/tokens/verify" and m == "GET":
            doc = {"id": "f" * 32, "status": "active"}
            msgs = [{"code": 10000, "message": "This API Token is valid and active"}]
            return self.envelope(doc, messages=msgs)
        if path == "/zones" and m == "GET":
            err = self.check_query(ql, {"name", "status", "page", "per_page", "order",
                                        "direction", "match"},
                                   {"page": (1, 10 ** 6), "per_page": (5, 50)})
            if err:
                return self.violation(err)
            if perm == "none":
                zs = []
            else:
                zs = [z for z in st.zones.values()
                      if "name" not in q or z["name"] == q["name"].lower()]
            res = [{"id": z["id"], "name": z["name"], "status": "active",
                    "name_servers": ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"]}
                   for z in zs]
            return self.envelope(res, result_info={"page": 1, "per_page": 20,
                                                   "count": len(res),
                                                   "total_count": len(res),
                                                   "total_pages": 1})
        mm = re.fullmatch(r"/zones/([^/]+)/dns_records(?:/([^/]+))?", path)
        if not mm:
            return self.fail(404, 7003, "No route for the URI")
        zone = st.zones.get(mm.group(1))
        if zone is None:
            return self.fail(404, 7003, "Could not route to /zones/%s, perhaps your object identifier is invalid?" % mm.group(1))
        rid = mm.group(2)
        if perm == "none":
            return self.fail(403, 9109, "Unauthorized to access requested resource")
        if m == "GET" and rid is None:
            err = self.check_query(ql, {"name", "type", "content", "proxied", "match",
                                        "page", "per_page", "order", "direction"},
                                   {"page": (1, 10 ** 6), "per_page": (5, 50000)})
            if err:
                return self.violation(err)
            with st.lock:
                recs = [r for r in zone["records"].values()
                        if ("name" not in q or r["name"] == q["name"].lower())
                        and ("type" not in q or r["type"] == q["type"])]
            page, per = int(q.get("page", 1)), int(q.get("per_page", 100))
            pages = max(1, (len(recs) + per - 1) // per)
            chunk = recs[(page - 1) * per:page * per]
            doc = {"success": True, "errors": [], "messages": [], "result": chunk,
                   "result_info": {"page": page, "per_page": per, "count": len(chunk),
                                   "total_count": len(recs), "total_pages": pages}}
            err = validate(st, "pDMP6seu_dns_response_collection", doc)
            if err:
                st.errors.append("fake's own response: " + err)
            return self.send_json(200, doc)
        if m in ("POST", "PUT", "PATCH", "DELETE") and perm != "edit":
            return self.fail(403, 10000, "Authentication error")
        with st.lock:
            if m == "POST" and rid is None:
                err = self.check_record_body(zone, body)
                if err:
                    return self.violation(err)
                for r in zone["records"].values():
                    if r["name"] == body["name"].lower() and r["type"] == body["type"]:
                        if r["content"] == body["content"]:
                            return self.fail(400, 81058,
                                             "An identical record already exists.")
                        if body["type"] == "CNAME" or r["type"] == "CNAME":
                            return self.fail(400, 81053,
                                             "An A, AAAA, or CNAME record with that host already exists.")
                new = self.new_record(zone, uuid.uuid4().hex, dict(body, name=body["name"].lower()))
                zone["records"][new["id"]] = new
                return self.envelope(new)
            if rid not in zone["records"]:
                return self.fail(404, 81044, "Record does not exist.")
            if m in ("PUT", "PATCH"):
                old = zone["records"][rid]
                merged = dict(old, **body) if m == "PATCH" else body
                err = self.check_record_body(zone, {k: merged[k] for k in
                                                    ("type", "name", "content", "ttl", "proxied")
                                                    if k in merged})
                if err:
                    return self.violation(err)
                rec = self.new_record(zone, rid, dict(merged, name=merged["name"].lower()))
                rec["created_on"] = old["created_on"]
                zone["records"][rid] = rec
                return self.envelope(rec)
            if m == "DELETE":
                del zone["records"][rid]
                return self.envelope({"id": rid})
        return self.fail(405, 10000, "Method not allowed")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", default=None)
    args = ap.parse_args()
    spec_path = args.spec
    if spec_path is None:
        spec_path = find_spec("cloudflare-dns-openapi.json")
    with open(spec_path) as f:
        spec = openapi_to_jsonschema(json.load(f))
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.state = State(spec)
    print("PORT %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
