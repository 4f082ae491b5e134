"""smtp_starttls.py: a small SMTP server with STARTTLS for the DANE tests
(Python stdlib only), on 127.0.0.1 at a kernel-chosen port, in a thread.

    srv = SmtpServer(certfile, keyfile, starttls=True)   # .port
    ...
    srv.close()

It greets, answers EHLO (offering STARTTLS unless starttls=False), and on
STARTTLS wraps the connection with certfile (a PEM chain: leaf first) and
keyfile; after that it answers EHLO, NOOP and QUIT. Nothing is delivered."""
import socket
import socketserver
import ssl
import threading


class _Handler(socketserver.StreamRequestHandler):
    def _reply(self, text):
        self.wfile.write(text.encode("ascii"))
        self.wfile.flush()

    def handle(self):
        srv = self.server
        self._reply("220 mx.test ESMTP authwizard test server\r\n")
        while True:
            line = self.rfile.readline(1000)
            if not line:
                return
            verb = line.strip().split(b" ")[0].upper()
            if verb == b"EHLO":
                self._reply("250-mx.test\r\n" +
                            ("250-STARTTLS\r\n" if srv.starttls else "") +
                            "250 8BITMIME\r\n")
            elif verb == b"STARTTLS" and srv.starttls:
                self._reply("220 2.0.0 go ahead\r\n")
                try:
                    tls = srv.ctx.wrap_socket(self.connection, server_side=True)
                except (ssl.SSLError, OSError):
                    return
                self._tls_session(tls)
                return
            elif verb == b"QUIT":
                self._reply("221 bye\r\n")
                return
            else:
                self._reply("250 ok\r\n")

    def _tls_session(self, tls):
        f = tls.makefile("rb")
        try:
            while True:
                line = f.readline(1000)
                if not line:
                    return
                if line.strip().upper() == b"QUIT":
                    tls.sendall(b"221 bye\r\n")
                    return
                tls.sendall(b"250 ok\r\n")
        except (ssl.SSLError, OSError):
            return


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, certfile, keyfile, starttls=True):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.starttls = starttls
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(certfile, keyfile)
        self.port = self.server_address[1]
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    def close(self):
        self.shutdown()
        self.server_close()


def closed_port():
    """A port on 127.0.0.1 that nothing listens on (bound, then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
