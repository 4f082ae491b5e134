"""pdns_api.py: one call to PowerDNS's HTTP API (the test bed's real
provider), for the integration tests that set zones up or read them back."""
import json
import urllib.request


def api_call(api, key, method, path, body=None):
    """(status, decoded JSON body or None) of METHOD api+path."""
    req = urllib.request.Request(api + path, method=method,
                                 headers={"X-API-Key": key,
                                          "Content-Type": "application/json"},
                                 data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req, timeout=10) as r:
        data = r.read()
        return r.status, (json.loads(data) if data else None)
