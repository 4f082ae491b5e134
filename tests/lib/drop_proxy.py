"""drop_proxy.py: a UDP DNS proxy for the tests (stdlib only, 127.0.0.1
only) in front of the test bed's server. It never forwards a question
whose name holds `drop` (that domain's server seems gone: every question
times out) and forwards the rest; it logs every question it gets, in
order of arrival, as (name, dropped, key): key is (ID, name, type), the
same for a question asked again (a retry) and for no other."""
import select
import socket
import threading


class DropProxy:
    def __init__(self, upstream, drop="slow"):
        host, port = upstream.rsplit(":", 1)
        self.up = (host, int(port))
        self.drop = drop
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind(("127.0.0.1", 0))
        self.back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.back.bind(("127.0.0.1", 0))
        self.clients = {}
        self.log = []
        self.lock = threading.Lock()
        self.stop = False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def addr(self):
        return "127.0.0.1:%d" % self.front.getsockname()[1]

    def questions(self):
        with self.lock:
            return list(self.log)

    def clear(self):
        with self.lock:
            self.log = []

    @staticmethod
    def qname(pkt):
        i, labels = 12, []
        while i < len(pkt) and pkt[i] != 0:
            n = pkt[i]
            labels.append(pkt[i + 1:i + 1 + n].decode("ascii", "replace"))
            i += 1 + n
        return ".".join(labels).lower()

    def run(self):
        while not self.stop:
            rd, _, _ = select.select([self.front, self.back], [], [], 0.1)
            if self.front in rd:
                pkt, addr = self.front.recvfrom(65535)
                name = self.qname(pkt)
                dropped = self.drop in name
                end = 12 + len(name) + (2 if name else 1)
                key = (pkt[:2], name, pkt[end:end + 2])
                with self.lock:
                    self.log.append((name, dropped, key))
                if not dropped:
                    self.clients[pkt[:2]] = addr
                    self.back.sendto(pkt, self.up)
            if self.back in rd:
                pkt, _ = self.back.recvfrom(65535)
                # Not popped: two questions in flight may share an ID.
                addr = self.clients.get(pkt[:2])
                if addr:
                    self.front.sendto(pkt, addr)
