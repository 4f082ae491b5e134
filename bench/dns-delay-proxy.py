#!/usr/bin/python3
"""dns-delay-proxy.py: a user-space DNS proxy that delays every message,
for measuring how many round trips a check waits for (this kernel has no
netem). Listens on 127.0.0.1 (UDP and TCP, one kernel-chosen port, or
--port), forwards to the server given, and holds each query and each
answer DELAY ms (so a round trip costs 2 x DELAY more). Logs every
query it forwards, one line each: "<ms since start> <name> <type>"
(the type marked "+do" when the query has the EDNS DO bit: a validating
resolver's question).

    bench/dns-delay-proxy.py --upstream 127.0.0.1:PORT [--delay 20]
        [--port 0] [--log FILE]

Prints "PORT" on standard output once it listens; stops on SIGTERM.
Loopback only.
"""
import argparse
import asyncio
import signal
import socket
import struct
import sys
import time

TYPES = {1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 43: "DS", 48: "DNSKEY", 52: "TLSA",
         16: "TXT", 28: "AAAA", 33: "SRV", 257: "CAA"}


def question(msg):
    """(name, type) of a DNS message's first question, or None."""
    try:
        pos, labels = 12, []
        while msg[pos] != 0:
            n = msg[pos]
            labels.append(msg[pos + 1:pos + 1 + n].decode("ascii", "replace"))
            pos += 1 + n
        qtype = struct.unpack("!H", msg[pos + 1:pos + 3])[0]
        name, tname = ".".join(labels).lower() or ".", TYPES.get(qtype, str(qtype))
        # A validating resolver's question (EDNS DO bit, RFC 3225) asks
        # for the signatures too: marked "+do", a question of its own.
        an, ns, ar = struct.unpack("!HHH", msg[6:12])
        rr = pos + 5
        if an == 0 and ns == 0 and ar >= 1 and msg[rr] == 0 and \
                struct.unpack("!H", msg[rr + 1:rr + 3])[0] == 41 and \
                struct.unpack("!H", msg[rr + 7:rr + 9])[0] & 0x8000:
            tname += "+do"
        return name, tname
    except (IndexError, struct.error):
        return None


class Proxy:
    def __init__(self, upstream, delay, log):
        self.upstream = upstream
        self.delay = delay / 1000.0
        self.log = log
        self.t0 = time.monotonic()
        self.loop = asyncio.get_running_loop()

    def note(self, msg):
        q = question(msg)
        if self.log is not None and q is not None:
            self.log.write(f"{(time.monotonic() - self.t0) * 1000:.1f} "
                           f"{q[0]} {q[1]}\n")
            self.log.flush()


class UpstreamUDP(asyncio.DatagramProtocol):
    """One socket to the server for every UDP query: each gets an id of
    its own (16 bits, the client's id given back in the answer)."""

    def __init__(self, proxy):
        self.proxy = proxy
        self.pending = {}           # our id -> (front, client, their id)
        self.next_id = 0

    def connection_made(self, transport):
        self.transport = transport

    def send(self, front, client, data):
        for _ in range(65536):
            self.next_id = (self.next_id + 1) & 0xffff
            if self.next_id not in self.pending:
                break
        else:
            return                  # 65,536 in flight: drop, as a network would
        qid = self.next_id
        self.pending[qid] = (front, client, data[:2])
        self.transport.sendto(struct.pack("!H", qid) + data[2:])

    def datagram_received(self, data, addr):
        if len(data) < 12:
            return
        qid = struct.unpack("!H", data[:2])[0]
        hit = self.pending.pop(qid, None)
        if hit is None:
            return
        front, client, their = hit
        self.proxy.loop.call_later(self.proxy.delay, front.sendto,
                                   their + data[2:], client)


class FrontUDP(asyncio.DatagramProtocol):
    def __init__(self, proxy, upstream):
        self.proxy, self.upstream = proxy, upstream

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        if len(data) < 12:
            return
        self.proxy.note(data)
        self.proxy.loop.call_later(self.proxy.delay, self.upstream.send,
                                   self.transport, addr, data)


async def relay(proxy, reader, writer, log):
    """Copies reader to writer, each chunk DELAY later (in order)."""
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            if log:
                # Whole messages: 2-byte length, then the message.
                buf = data
                while len(buf) >= 2:
                    n = struct.unpack("!H", buf[:2])[0]
                    proxy.note(buf[2:2 + n])
                    buf = buf[2 + n:]
            await asyncio.sleep(proxy.delay)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def front_tcp(proxy, reader, writer):
    try:
        ur, uw = await asyncio.open_connection(*proxy.upstream)
    except OSError:
        writer.close()
        return
    await asyncio.gather(relay(proxy, reader, uw, True),
                         relay(proxy, ur, writer, False))


async def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream", required=True, help="HOST:PORT")
    ap.add_argument("--delay", type=float, default=20.0,
                    help="ms each way (default 20)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log")
    args = ap.parse_args()
    host, port = args.upstream.rsplit(":", 1)
    if host not in ("127.0.0.1", "::1", "localhost"):
        sys.exit("dns-delay-proxy: the upstream must be on loopback")
    log = open(args.log, "a") if args.log else None
    proxy = Proxy((host, int(port)), args.delay, log)
    loop = asyncio.get_running_loop()
    _, upstream = await loop.create_datagram_endpoint(
        lambda: UpstreamUDP(proxy), remote_addr=proxy.upstream)
    # TCP first on a kernel-chosen port, then UDP on the same number.
    for _ in range(20):
        server = await asyncio.start_server(
            lambda r, w: front_tcp(proxy, r, w), "127.0.0.1", args.port)
        port = server.sockets[0].getsockname()[1]
        try:
            await loop.create_datagram_endpoint(
                lambda: FrontUDP(proxy, upstream), local_addr=("127.0.0.1", port),
                family=socket.AF_INET)
            break
        except OSError:
            server.close()
            if args.port:
                raise
    else:
        sys.exit("dns-delay-proxy: no free port for UDP and TCP")
    print(port, flush=True)
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    loop.add_signal_handler(signal.SIGINT, stop.set_result, None)
    await stop


if __name__ == "__main__":
    asyncio.run(main())
