"""restfake.py: what the JSON-over-HTTP host fakes share (DigitalOcean,
deSEC, Hetzner): a threading server on 127.0.0.1 at a free port that prints
"PORT <n>" once listening, a request log, injected faults, the test-control
endpoints under /__fake/, and OpenAPI-to-JSON-Schema validation.

Control (never used by the client):
    POST /__fake/seed   host-specific (tokens, zones, page size cap)
    POST /__fake/fault  {"method": "GET", "path": "regex", "status": 429,
                         "retry_after": 1, "body": "raw text" | "json": {...},
                         "delay": seconds, "times": 1, "after": 0}
                        (without body/json: the host's own error body for
                         the status)
    POST /__fake/clear  faults and log emptied
    GET  /__fake/state  the host's state and the contract violations seen
    GET  /__fake/log    requests seen {method, path, query, body, auth}
"""
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import jsonschema


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


def validate_schema(spec, schema, doc, validator=jsonschema.Draft4Validator):
    """doc against schema (may hold #/components refs into spec); None or
    the message."""
    try:
        validator(dict(schema, components=spec.get("components", {}))).validate(doc)
        return None
    except jsonschema.ValidationError as e:
        return "%s at %s" % (e.message, "/".join(str(p) for p in e.absolute_path))


def check_params(spec, params, query, path_params, validator=jsonschema.Draft4Validator):
    """Query (list of pairs) and path parameters against an operation's
    parameter list (refs resolved in spec): unknown names, schema types and
    bounds. None or the message."""
    known = {}
    for p in params:
        if "$ref" in p:
            p = spec["components"]["parameters"][p["$ref"].split("/")[-1]]
        known[(p["in"], p["name"])] = p
    for k, v in query:
        p = known.get(("query", k))
        if p is None:
            return "unknown query parameter %s" % k
        err = check_value(spec, p, v, validator)
        if err:
            return "query %s: %s" % (k, err)
    for k, v in path_params.items():
        p = known.get(("path", k))
        if p is None:
            return "unknown path parameter %s" % k
        err = check_value(spec, p, v, validator)
        if err:
            return "path %s: %s" % (k, err)
    for (where, name), p in known.items():
        if p.get("required") and where == "query" and name not in dict(query):
            return "missing query parameter %s" % name
    return None


def check_value(spec, p, text, validator):
    schema = p.get("schema", {})
    t = schema.get("type")
    value = text
    if t == "integer":
        if not re.fullmatch(r"-?\d+", text):
            return "%r is not an integer" % text
        value = int(text)
    return validate_schema(spec, schema, value, validator)


class Handler(BaseHTTPRequestHandler):
    """Subclasses set server_version and implement route(method, path,
    query_list, body) and error_body(status) (the host's error shape for a
    fault), seed(doc) and state_doc()."""
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send_json(self, status, doc, headers=None):
        body = b"" if doc is None else json.dumps(doc).encode()
        self.send_response(status)
        if doc is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def send_raw(self, status, raw, headers=None):
        raw = raw.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def violation(self, what):
        """A request the contract forbids: noted for the tests, and refused
        the way the host refuses bad input."""
        self.server.state.errors.append("%s %s: %s" % (self.command, self.path, what))
        return self.refuse(what)

    def handle_any(self):
        st = self.server.state
        url = urlsplit(self.path)
        path, query = url.path, parse_qsl(url.query, keep_blank_values=True)
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = ValueError
        if path.startswith("/__fake/"):
            return self.control(path, body)
        with st.lock:
            st.log.append({"method": self.command, "path": path, "query": query,
                           "body": body if body is not ValueError else None,
                           "content_type": self.headers.get("Content-Type")})
            fault = self.match_fault(path)
        if fault is not None:
            if fault.get("delay"):
                time.sleep(fault["delay"])
            headers = {}
            if "retry_after" in fault:
                headers["Retry-After"] = str(fault["retry_after"])
            if "body" in fault:
                return self.send_raw(fault.get("status", 200), fault["body"], headers)
            if "json" in fault:
                return self.send_json(fault.get("status", 200), fault["json"], headers)
            if fault.get("status"):
                return self.send_json(fault["status"], self.error_body(fault["status"]),
                                      headers)
        if body is ValueError:
            return self.violation("the body is not JSON")
        if raw and self.headers.get("Content-Type", "").split(";")[0] != "application/json":
            return self.violation("a body without Content-Type: application/json")
        with st.lock:
            return self.route(self.command, path, query, body)

    def match_fault(self, path):
        for f in self.server.state.faults:
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
                self.seed(body)
                return self.send_json(200, {"ok": True})
            if path == "/__fake/fault":
                st.faults.append(body)
                return self.send_json(200, {"ok": True})
            if path == "/__fake/clear":
                st.faults.clear()
                st.log.clear()
                return self.send_json(200, {"ok": True})
            if path == "/__fake/state":
                return self.send_json(200, dict(self.state_doc(), errors=st.errors))
            if path == "/__fake/log":
                return self.send_json(200, {"log": st.log, "errors": st.errors})
        return self.send_json(404, {"ok": False})

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


class State:
    def __init__(self, spec):
        self.lock = threading.RLock()
        self.spec = spec
        self.tokens = {}
        self.faults = []
        self.log = []
        self.errors = []     # contract violations seen (for the tests)
        self.page_cap = None


def serve(handler_cls, state):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler_cls)
    srv.daemon_threads = True
    srv.state = state
    print("PORT %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
