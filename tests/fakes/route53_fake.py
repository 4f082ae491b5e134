#!/usr/bin/python3
"""route53_fake.py: a local stand-in for Amazon Route 53 (REST-XML, API
2013-04-01: ListHostedZonesByName, ListResourceRecordSets,
ChangeResourceRecordSets, GetChange), written from tests/specs
(README + route53-2013-04-01-subset.botocore.json).

- 127.0.0.1, a free port; prints "PORT <n>" once listening.
- Recomputes the SigV4 signature (AWS4-HMAC-SHA256, us-east-1/route53) of
  every request with the secret of the access key and rejects a wrong one
  (403 SignatureDoesNotMatch), an unknown key (403 InvalidClientTokenId), a
  missing or unsigned X-Amz-Security-Token for session credentials.
- Validates requests against the botocore model: query parameters by the
  input shape, the ChangeResourceRecordSets XML (namespace, shape,
  required members, enums, ranges, lengths) with botocore's ParamValidator.
- Route 53 semantics: zone order listing with IsTruncated / NextRecordName
  / NextRecordType, start keys (not filters), public + private zones of one
  name, atomic batches (CREATE/DELETE/UPSERT; DELETE must match exactly),
  TXT values as quoted strings <= 255 bytes with \\ escapes, CNAME beside
  other data refused, GetChange PENDING then INSYNC.
- Errors: ErrorResponse/Error/{Type,Code,Message} + RequestId;
  InvalidChangeBatch/Messages/Message.
- Test control under /__fake/ (unsigned):
    POST /__fake/seed {"credentials": {AKID: {"secret": S, "token": T?}},
                       "zones": [{"name", "private": bool,
                                  "rrsets": [{"name","type","ttl","values"}]}],
                       "insync_after": n, "page_size": n}
    POST /__fake/fault {"method","path" (regex),"status","code","message",
                        "times","after","delay","body",
                        "reject_change_name": NAME (an InvalidChangeBatch
                        naming that change)}
    GET /__fake/state, GET /__fake/log, POST /__fake/clear
"""
import hashlib
import hmac
import json
import os
import re
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote, urlsplit
from xml.sax.saxutils import escape

from botocore.model import ServiceModel
from botocore.validate import ParamValidator

NS = "https://route53.amazonaws.com/doc/2013-04-01/"
REGION, SERVICE = "us-east-1", "route53"


def find_spec(name):
    """tests/specs/NAME: the vendor's contract, kept in the repository
    (source and licence in tests/README.md)."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "specs", name)
    if not os.path.exists(path):
        raise SystemExit("spec %s not found" % path)
    return path


def zone_key(name):
    """Route 53's order: labels reversed."""
    return tuple(reversed(name.rstrip(".").lower().split(".")))


def norm(name):
    return name.rstrip(".").lower() + "."


def txt_strings(value):
    """'"a" "b"' -> [b"a", b"b"], None when malformed."""
    out, i, s = [], 0, value
    while i < len(s):
        if s[i] == " ":
            i += 1
            continue
        if s[i] != '"':
            return None
        i += 1
        cur = bytearray()
        while i < len(s) and s[i] != '"':
            if s[i] == "\\":
                if re.match(r"[0-7]{3}", s[i + 1:i + 4]):
                    cur.append(int(s[i + 1:i + 4], 8))
                    i += 4
                    continue
                i += 1
                if i >= len(s):
                    return None
            cur += s[i].encode()
            i += 1
        if i >= len(s):
            return None
        i += 1
        out.append(bytes(cur))
    return out


class State:
    def __init__(self, model):
        self.lock = threading.Lock()
        self.model = model
        self.creds = {}
        self.zones = {}
        self.changes = {}
        self.faults = []
        self.log = []
        self.errors = []
        self.insync_after = 1
        self.page_size = None


def sign_key(secret, date):
    k = hmac.new(("AWS4" + secret).encode(), date.encode(), hashlib.sha256).digest()
    for part in (REGION, SERVICE, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return k


def uri_encode(s):
    return quote(s, safe="-_.~")


class Handler(BaseHTTPRequestHandler):
    server_version = "route53-fake/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send_xml(self, status, body, headers=None):
        data = ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, code, message, etype="Sender"):
        self.send_xml(status, '<ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code>'
                      '<Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>'
                      % (NS, etype, code, escape(message), uuid.uuid4()))

    def violation(self, what):
        self.server.state.errors.append("%s %s: %s" % (self.command, self.path, what))
        self.error(400, "InvalidInput", what)

    # --- SigV4 ---
    def check_signature(self, body):
        st = self.server.state
        auth = self.headers.get("Authorization", "")
        m = re.fullmatch(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request,"
                         r" ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})", auth)
        if not m:
            return ("IncompleteSignature", "Authorization header malformed")
        akid, date, region, service, signed, sig = m.groups()
        cred = st.creds.get(akid)
        if cred is None:
            return ("InvalidClientTokenId", "The security token included in the request is invalid.")
        if region != REGION or service != SERVICE:
            return ("SignatureDoesNotMatch", "Credential should be scoped to a valid region/service")
        amzdate = self.headers.get("X-Amz-Date", "")
        if not amzdate.startswith(date):
            return ("IncompleteSignature", "X-Amz-Date missing or not matching the scope")
        names = signed.split(";")
        if "host" not in names or "x-amz-date" not in names:
            return ("SignatureDoesNotMatch", "host and x-amz-date must be signed")
        if cred.get("token"):
            if self.headers.get("X-Amz-Security-Token") != cred["token"]:
                return ("InvalidClientTokenId", "The security token included in the request is invalid.")
            if "x-amz-security-token" not in names:
                return ("SignatureDoesNotMatch", "X-Amz-Security-Token is not signed")
        url = urlsplit(self.path)
        pairs = []
        for part in url.query.split("&") if url.query else []:
            k, _, v = part.partition("=")
            pairs.append((uri_encode(unquote(k)), uri_encode(unquote(v))))
        cquery = "&".join("%s=%s" % kv for kv in sorted(pairs))
        cheaders = ""
        for h in names:
            vals = self.headers.get_all(h) or []
            cheaders += "%s:%s\n" % (h, ",".join(" ".join(v.split()) for v in vals))
        creq = "\n".join([self.command, url.path or "/", cquery, cheaders, signed,
                          hashlib.sha256(body).hexdigest()])
        sts = "\n".join(["AWS4-HMAC-SHA256", amzdate,
                         "%s/%s/%s/aws4_request" % (date, REGION, SERVICE),
                         hashlib.sha256(creq.encode()).hexdigest()])
        want = hmac.new(sign_key(cred["secret"], date), sts.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, sig):
            return ("SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided.")
        return None

    # --- plumbing ---
    def handle_any(self):
        st = self.server.state
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        url = urlsplit(self.path)
        if url.path.startswith("/__fake/"):
            return self.control(url.path, json.loads(body) if body else None)
        with st.lock:
            st.log.append({"method": self.command, "path": url.path, "query": url.query,
                           "headers": {k.lower(): v for k, v in self.headers.items()
                                       if k.lower() != "authorization"},
                           "body": body.decode(errors="replace")})
            fault = self.match_fault(url.path)
        if any(v == "" for v in self.headers.values()):
            return self.violation("an empty header was sent")
        bad = self.check_signature(body)
        if bad:
            return self.error(403, bad[0], bad[1])
        if fault is not None and "reject_change_name" not in fault:
            if fault.get("delay"):
                time.sleep(fault["delay"])
            if "body" in fault:
                data = fault["body"].encode()
                self.send_response(fault.get("status", 200))
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            return self.error(fault.get("status", 400), fault.get("code", "Throttling"),
                              fault.get("message", "Rate exceeded"))
        try:
            return self.route(url.path, url.query, body, fault)
        except Exception as e:   # a bug in the fake must show in the test
            st.errors.append("fake crashed: %r" % e)
            return self.error(500, "InternalFailure", "fake: %r" % e, "Receiver")

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

    def control(self, path, doc):
        st = self.server.state
        with st.lock:
            if path == "/__fake/seed":
                st.creds.update(doc.get("credentials", {}))
                st.insync_after = doc.get("insync_after", st.insync_after)
                st.page_size = doc.get("page_size", st.page_size)
                for z in doc.get("zones", []):
                    zid = "Z" + uuid.uuid4().hex[:12].upper()
                    rrsets = {}
                    for r in z.get("rrsets", []):
                        rrsets[(norm(r["name"]), r["type"])] = {"ttl": r["ttl"],
                                                               "values": list(r["values"])}
                    st.zones[zid] = {"name": norm(z["name"]), "private": z.get("private", False),
                                     "rrsets": rrsets}
                return self.send_json({"ok": True})
            if path == "/__fake/fault":
                st.faults.append(doc)
                return self.send_json({"ok": True})
            if path == "/__fake/clear":
                st.faults.clear()
                st.log.clear()
                return self.send_json({"ok": True})
            if path == "/__fake/state":
                return self.send_json({"zones": [
                    {"id": zid, "name": z["name"], "private": z["private"],
                     "rrsets": [{"name": k[0], "type": k[1], "ttl": v["ttl"], "values": v["values"]}
                                for k, v in sorted(z["rrsets"].items(),
                                                   key=lambda kv: (zone_key(kv[0][0]), kv[0][1]))]}
                    for zid, z in st.zones.items()], "errors": st.errors})
            if path == "/__fake/log":
                return self.send_json({"log": st.log, "errors": st.errors})
        return self.send_json({"ok": False})

    def send_json(self, doc):
        data = json.dumps(doc).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    # --- validation by the botocore model ---
    def query_params(self, op, query):
        """Checks the query against the operation's input shape; a dict by
        member name, or an error string."""
        st = self.server.state
        shape = st.model.operation_model(op).input_shape
        by_loc = {m.serialization.get("name"): (name, m) for name, m in shape.members.items()
                  if m.serialization.get("location") == "querystring"}
        params, seen = {}, []
        for part in query.split("&") if query else []:
            k, eq, v = part.partition("=")
            if not eq:
                return "query parameter %s without a value" % k
            if k not in by_loc:
                return "unknown query parameter %s" % k
            seen.append(k)
            params[by_loc[k][0]] = unquote(v)
        if seen != sorted(seen):
            return "query parameters not sorted: %s" % seen
        for part in query.split("&") if query else []:
            for hexpair in re.findall(r"%([0-9A-Fa-f]{2})", part):
                if hexpair != hexpair.upper():
                    return "lower-case percent-encoding in %s" % part
        return params

    def xml_to_params(self, elem, shape):
        if shape.type_name == "structure":
            out = {}
            for child in elem:
                tag = child.tag.split("}")[-1]
                if not child.tag.startswith("{%s}" % NS):
                    raise ValueError("element %s outside the Route 53 namespace" % tag)
                member = next((n for n, m in shape.members.items()
                               if m.serialization.get("name", n) == tag), None)
                if member is None:
                    raise ValueError("unknown element %s in %s" % (tag, shape.name))
                out[member] = self.xml_to_params(child, shape.members[member])
            return out
        if shape.type_name == "list":
            mname = shape.member.serialization.get("name", "member")
            items = []
            for child in elem:
                if child.tag.split("}")[-1] != mname:
                    raise ValueError("list %s holds %s" % (shape.name, child.tag))
                items.append(self.xml_to_params(child, shape.member))
            return items
        text = elem.text or ""
        if shape.type_name in ("long", "integer"):
            return int(text)
        if shape.type_name == "boolean":
            return text == "true"
        return text

    # --- the API ---
    def route(self, path, query, body, fault):
        st = self.server.state
        m = self.command
        if path == "/2013-04-01/hostedzonesbyname" and m == "GET":
            p = self.query_params("ListHostedZonesByName", query)
            if isinstance(p, str):
                return self.violation(p)
            maxitems = int(p.get("MaxItems", "100"))
            start = zone_key(p["DNSName"]) if "DNSName" in p else ()
            with st.lock:
                zs = sorted(st.zones.items(), key=lambda kv: (zone_key(kv[1]["name"]), kv[0]))
                zs = [kv for kv in zs if zone_key(kv[1]["name"]) >= start]
            page, more = zs[:maxitems], len(zs) > maxitems
            xml = "".join("<HostedZone><Id>/hostedzone/%s</Id><Name>%s</Name><CallerReference>x</CallerReference>"
                          "<Config><PrivateZone>%s</PrivateZone></Config><ResourceRecordSetCount>%d"
                          "</ResourceRecordSetCount></HostedZone>"
                          % (zid, z["name"], "true" if z["private"] else "false", len(z["rrsets"]))
                          for zid, z in page)
            extra = ""
            if more:
                extra = "<NextDNSName>%s</NextDNSName><NextHostedZoneId>%s</NextHostedZoneId>" % (
                    zs[maxitems][1]["name"], zs[maxitems][0])
            dn = "<DNSName>%s</DNSName>" % escape(p["DNSName"]) if "DNSName" in p else ""
            return self.send_xml(200, '<ListHostedZonesByNameResponse xmlns="%s"><HostedZones>%s</HostedZones>'
                                 '%s<IsTruncated>%s</IsTruncated>%s<MaxItems>%d</MaxItems>'
                                 '</ListHostedZonesByNameResponse>'
                                 % (NS, xml, dn, "true" if more else "false", extra, maxitems))
        mm = re.fullmatch(r"/2013-04-01/hostedzone/([^/]+)/rrset(/?)", path)
        if mm:
            zid = mm.group(1)
            zone = st.zones.get(zid)
            if zone is None:
                return self.error(404, "NoSuchHostedZone", "No hosted zone found with ID: %s" % zid)
            if m == "GET" and mm.group(2) == "":
                return self.list_rrsets(zone, query)
            if m == "POST" and mm.group(2) == "/":
                return self.change_rrsets(zone, body, fault)
        mm = re.fullmatch(r"/2013-04-01/change/([^/]+)", path)
        if mm and m == "GET":
            with st.lock:
                ch = st.changes.get(mm.group(1))
                if ch is None:
                    return self.error(404, "NoSuchChange", "A change with the specified change ID does not exist.")
                ch["polls"] += 1
                status = "INSYNC" if ch["polls"] >= st.insync_after else "PENDING"
            return self.send_xml(200, '<GetChangeResponse xmlns="%s"><ChangeInfo><Id>/change/%s</Id>'
                                 '<Status>%s</Status><SubmittedAt>%s</SubmittedAt></ChangeInfo>'
                                 '</GetChangeResponse>' % (NS, mm.group(1), status, ch["at"]))
        return self.error(404, "UnknownOperationException", "no such operation")

    def list_rrsets(self, zone, query):
        st = self.server.state
        p = self.query_params("ListResourceRecordSets", query)
        if isinstance(p, str):
            return self.violation(p)
        if "StartRecordType" in p and "StartRecordName" not in p:
            return self.error(400, "InvalidInput", "type given without name")
        maxitems = int(p.get("MaxItems", "300"))
        if st.page_size:
            maxitems = min(maxitems, st.page_size)
        with st.lock:
            items = sorted(zone["rrsets"].items(), key=lambda kv: (zone_key(kv[0][0]), kv[0][1]))
        if "StartRecordName" in p:
            sk = (zone_key(p["StartRecordName"]), p.get("StartRecordType", ""))
            items = [kv for kv in items if (zone_key(kv[0][0]), kv[0][1]) >= sk]
        page, more = items[:maxitems], len(items) > maxitems
        out = ""
        for (name, rtype), v in page:
            rr = "".join("<ResourceRecord><Value>%s</Value></ResourceRecord>" % escape(x)
                         for x in v["values"])
            out += ("<ResourceRecordSet><Name>%s</Name><Type>%s</Type><TTL>%d</TTL>"
                    "<ResourceRecords>%s</ResourceRecords></ResourceRecordSet>"
                    % (escape(name.replace("*", "\\052")), rtype, v["ttl"], rr))
        nxt = ""
        if more:
            nxt = "<NextRecordName>%s</NextRecordName><NextRecordType>%s</NextRecordType>" % (
                escape(items[maxitems][0][0]), items[maxitems][0][1])
        return self.send_xml(200, '<ListResourceRecordSetsResponse xmlns="%s"><ResourceRecordSets>%s'
                             '</ResourceRecordSets><IsTruncated>%s</IsTruncated>%s<MaxItems>%d</MaxItems>'
                             '</ListResourceRecordSetsResponse>'
                             % (NS, out, "true" if more else "false", nxt, maxitems))

    def change_rrsets(self, zone, body, fault):
        st = self.server.state
        op = st.model.operation_model("ChangeResourceRecordSets")
        try:
            root = ET.fromstring(body)
        except ET.ParseError as e:
            return self.violation("malformed XML: %s" % e)
        if root.tag != "{%s}ChangeResourceRecordSetsRequest" % NS:
            return self.violation("root element %s" % root.tag)
        try:
            params = self.xml_to_params(root, op.input_shape)
        except ValueError as e:
            return self.violation(str(e))
        params["HostedZoneId"] = "x"
        report = ParamValidator().validate(params, op.input_shape)
        if report.has_errors():
            return self.violation(report.generate_report())
        if len(body.decode()) > 32000:
            return self.violation("a request over 32,000 characters")
        problems = []
        with st.lock:
            new = {k: dict(v, values=list(v["values"])) for k, v in zone["rrsets"].items()}
            for ch in params["ChangeBatch"]["Changes"]:
                rs = ch["ResourceRecordSet"]
                key = (norm(rs["Name"]), rs["Type"])
                vals = [r["Value"] for r in rs.get("ResourceRecords", [])]
                if not key[0].endswith(zone["name"]) or not (key[0] == zone["name"] or
                                                             key[0].endswith("." + zone["name"])):
                    problems.append("RRSet with DNS name %s is not permitted in zone %s" % (key[0], zone["name"]))
                    continue
                if fault is not None and norm(fault["reject_change_name"]) == key[0]:
                    problems.append("Invalid Resource Record: 'FATAL problem: injected for %s'" % key[0])
                    continue
                if rs["Type"] == "TXT":
                    for v in vals:
                        parts = txt_strings(v)
                        if parts is None:
                            problems.append("Invalid Resource Record: 'FATAL problem: InvalidCharacterString"
                                            " (Value should be enclosed in quotation marks) encountered with '%s''" % v)
                        elif any(len(x) > 255 for x in parts):
                            problems.append("Invalid Resource Record: 'FATAL problem: CharacterStringTooLong"
                                            " (Value is too long) encountered with '%s''" % v[:40])
                action = ch["Action"]
                if action == "DELETE":
                    cur = new.get(key)
                    if cur is None or cur["ttl"] != rs.get("TTL") or sorted(cur["values"]) != sorted(vals):
                        problems.append("Tried to delete resource record set [name='%s', type='%s'] but the "
                                        "values provided do not match the current values" % key)
                        continue
                    del new[key]
                    continue
                if action == "CREATE" and key in new:
                    problems.append("Tried to create resource record set [name='%s', type='%s'] but it "
                                    "already exists" % key)
                    continue
                others = [k for k in new if k[0] == key[0] and k != key]
                if (rs["Type"] == "CNAME" and others) or any(k[1] == "CNAME" for k in others):
                    problems.append("RRSet of type %s with DNS name %s is not permitted because a "
                                    "conflicting RRSet of type CNAME exists or would exist" % (rs["Type"], key[0]))
                    continue
                new[key] = {"ttl": rs["TTL"], "values": vals}
            if problems:
                msgs = "".join("<Message>%s</Message>" % escape(p) for p in problems)
                return self.send_xml(400, '<InvalidChangeBatch xmlns="%s"><Messages>%s</Messages>'
                                     '<RequestId>%s</RequestId></InvalidChangeBatch>' % (NS, msgs, uuid.uuid4()))
            zone["rrsets"] = new
            cid = "C" + uuid.uuid4().hex[:12].upper()
            at = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
            st.changes[cid] = {"polls": 0, "at": at}
        return self.send_xml(200, '<ChangeResourceRecordSetsResponse xmlns="%s"><ChangeInfo><Id>/change/%s</Id>'
                             '<Status>PENDING</Status><SubmittedAt>%s</SubmittedAt><Comment>x</Comment>'
                             '</ChangeInfo></ChangeResourceRecordSetsResponse>' % (NS, cid, at))

    do_GET = do_POST = handle_any


def main():
    spec = None
    if len(sys.argv) > 2 and sys.argv[1] == "--spec":
        spec = sys.argv[2]
    with open(spec or find_spec("route53-2013-04-01-subset.botocore.json")) as f:
        model = json.load(f)
    model.pop("_source", None)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.state = State(ServiceModel(model, "route53"))
    print("PORT %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
