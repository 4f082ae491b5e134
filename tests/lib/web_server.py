"""web_server.py: a local HTTPS server for the MTA-STS and BIMI tests
(Python stdlib http.server + ssl), on 127.0.0.1 at a kernel-chosen port,
with the test CA's server certificate (tests/keys/web/, see
make-web-keys.sh). Answers by Host header and path from a table:
{(host, path): (status, {header: value}, body bytes)}; anything else 404.
Every request is written down (host, path) for the tests to check."""
import http.server
import os
import ssl
import threading

KEYS = os.path.join(os.environ.get("AW_SRCDIR", "."), "tests", "keys", "web")
CA = os.path.join(KEYS, "ca.pem")


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        self.server.seen.append((host, self.path))
        status, headers, body = self.server.routes.get(
            (host, self.path), (404, {"Content-Type": "text/plain"}, b"no\n"))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class WebServer:
    def __init__(self, routes, cert=None, key=None):
        """cert, key: PEM files of another server certificate (a test
        that makes its own CA); default the test CA's server.pem."""
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     _Handler)
        self.httpd.routes = routes
        self.httpd.seen = []
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert or os.path.join(KEYS, "server.pem"),
                            key or os.path.join(KEYS, "server.key"))
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket,
                                            server_side=True)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def seen(self):
        return self.httpd.seen

    def stop(self):
        self.httpd.shutdown()
