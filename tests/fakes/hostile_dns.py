#!/usr/bin/env python3
"""hostile_dns.py: a DNS server that lies, for tests/integration/hostile-dns.py.

Standard library only. Listens on 127.0.0.1 (UDP and TCP, the same
kernel-chosen port), prints "PORT n" once listening and serves until it is
terminated (the test stops it by PID). Each zone NAME.test is one kind of
hostility; every name under it gets that treatment:

  ok.test       well-behaved records (the baseline: the rest is compared
                against a server that works)
  esc.test      terminal escape sequences, BEL, NUL, DEL, C1 bytes and bad
                UTF-8 in TXT data and in names (MX, CNAME targets)
  exp.test      a valid SPF record failing every address, whose exp= text
                (printed on fail) is escape sequences
  loop.test     compression pointers that loop (to themselves, through a
                label, inside rdata) or point past the message
  big.test      UDP: truncated (TC) and empty; TCP: a 64 KiB TXT record, or
                more records than anyone keeps
  wrongid.test  answers with the wrong ID or for another question
  trunc.test    TC over UDP, then over TCP: close at once, a length prefix
                longer than what follows, or TC again
  cname.test    CNAME loops (in one answer and across queries)
  deep.test     SPF includes 10,000 deep; deepr.test the same with redirect=
  garbage.test  section counts that lie, rdata past the end, odd rcodes,
                answers that are not answers (QR clear)

Anything else: NXDOMAIN with no authority (nothing ever points outside).
"""
import socket
import struct
import sys
import threading

DEPTH = 10000

# --- encoding -------------------------------------------------------------


def enc_name(name):
    """name: str or bytes, dot-separated; labels may hold any byte but '.'."""
    if isinstance(name, str):
        name = name.encode("latin-1")
    out = b""
    for label in name.rstrip(b".").split(b"."):
        if label:
            out += bytes([len(label)]) + label[:63]
    return out + b"\0"


def txt_rdata(*strings):
    out = b""
    for s in strings:
        if isinstance(s, str):
            s = s.encode("latin-1")
        while True:
            out += bytes([min(len(s), 255)]) + s[:255]
            s = s[255:]
            if not s:
                break
    return out


def rr(owner, rtype, rdata, ttl=300):
    return enc_name(owner) + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


A, NS, CNAME, SOA, PTR, MX, TXT, AAAA = 1, 2, 5, 6, 12, 15, 16, 28


def header(qid, rcode=0, an=0, ns=0, tc=False, qr=True, qd=1):
    flags = (0x8000 if qr else 0) | 0x0100 | 0x0080 | (0x0200 if tc else 0) | (rcode & 0xF)
    return struct.pack("!HHHHHH", qid, flags, qd, an, ns, 0)


def reply(q, answers=(), rcode=0, tc=False, authority=()):
    return (header(q["id"], rcode, len(answers), len(authority), tc)
            + q["question"] + b"".join(answers) + b"".join(authority))


# --- queries --------------------------------------------------------------


def parse_query(msg):
    if len(msg) < 12:
        return None
    qid, _flags, qd = struct.unpack("!HHH", msg[:6])
    if qd < 1:
        return None
    p, labels = 12, []
    while p < len(msg) and msg[p] != 0:
        n = msg[p]
        if n & 0xC0:
            return None
        labels.append(msg[p + 1:p + 1 + n])
        p += 1 + n
    p += 1
    if p + 4 > len(msg):
        return None
    qtype = struct.unpack("!H", msg[p:p + 2])[0]
    return {"id": qid, "labels": labels, "qtype": qtype,
            "name": b".".join(labels).decode("latin-1").lower(),
            "question": msg[12:p + 4]}


def zone_of(name):
    parts = name.split(".")
    if len(parts) >= 2 and parts[-1] == "test":
        return parts[-2]
    return None


def nxdomain(q):
    return reply(q, rcode=3)


def nodata(q):
    return reply(q)


# --- the zones ------------------------------------------------------------

ESC_SPF = b"v=spf1 ip4:192.0.2.1 \x1b[31mred\x1b[0m \x07 \x9b2J \x7f -all"
ESC_TXT = b"\x1b]0;pwned\x07\x1b[2J\xff\xfe bad utf-8 \xc3\x28"


def zone_ok(q):
    n, t = q["name"], q["qtype"]
    if n == "ok.test" and t == TXT:
        return reply(q, [rr(n, TXT, txt_rdata("v=spf1 ip4:192.0.2.1 -all"))])
    if n == "_dmarc.ok.test" and t == TXT:
        return reply(q, [rr(n, TXT, txt_rdata("v=DMARC1; p=reject"))])
    if n == "ok.test" and t == MX:
        return reply(q, [rr(n, MX, struct.pack("!H", 10) + enc_name("mx.ok.test"))])
    if n == "mx.ok.test" and t == A:
        return reply(q, [rr(n, A, bytes([192, 0, 2, 1]))])
    if n in ("ok.test", "mx.ok.test"):
        return nodata(q)
    return nxdomain(q)


def zone_esc(q):
    n, t = q["name"], q["qtype"]
    if n == "esc.test" and t == TXT:
        return reply(q, [rr(n, TXT, txt_rdata(ESC_SPF)),
                         rr(n, TXT, txt_rdata(ESC_TXT, b"\0nul\0"))])
    if n == "_dmarc.esc.test" and t == TXT:
        return reply(q, [rr(n, TXT, txt_rdata(
            b"v=DMARC1; p=none; rua=mailto:a@esc.test\x1b]0;x\x07,mailto:\x1b[5m@x"))])
    if n.endswith("._domainkey.esc.test") and t == TXT:
        return reply(q, [rr(n, TXT, txt_rdata(b"v=DKIM1; k=rsa; n=\x1b[2J\x07; p=\x1b[31mAAAA"))])
    if n.endswith("._domainkey.esc.test") and t == CNAME:
        return reply(q, [rr(n, CNAME, enc_name(b"\x1b[31mevil\x07.esc.test"))])
    if n == "esc.test" and t == MX:
        return reply(q, [rr(n, MX, struct.pack("!H", 10) + enc_name(b"mx\x1b[31m\x07.esc.test")),
                         rr(n, MX, struct.pack("!H", 20) + enc_name(b"m\nx\r\\.esc.test"))])
    if t == A:
        return reply(q, [rr(b".".join(q["labels"]), A, bytes([192, 0, 2, 1]))])
    if t == PTR:
        return reply(q, [rr(n, PTR, enc_name(b"\x1b[31mptr\x07.esc.test"))])
    return nodata(q)


def zone_exp(q):
    n, t = q["name"], q["qtype"]
    if n == "exp.test" and t == TXT:
        return reply(q, [rr(n, TXT, txt_rdata("v=spf1 -all exp=why.exp.test"))])
    if n == "why.exp.test" and t == TXT:
        return reply(q, [rr(n, TXT, txt_rdata(b"\x1b]0;pwned\x07go away\x1b[2J %{i} \x9b31m"))])
    # the same with a plain explanation: exp= is read at all
    if n == "a.exp.test" and t == TXT:
        return reply(q, [rr(n, TXT, txt_rdata("v=spf1 -all exp=whya.exp.test"))])
    if n == "whya.exp.test" and t == TXT:
        return reply(q, [rr(n, TXT, txt_rdata("not allowed from %{i}"))])
    return nodata(q) if n in ("exp.test", "why.exp.test", "a.exp.test", "whya.exp.test") \
        else nxdomain(q)


def zone_loop(q):
    t = q["qtype"]
    base = 12 + len(q["question"])
    if t == TXT:
        # the answer's owner is a pointer to itself
        own = struct.pack("!H", 0xC000 | base)
        return reply(q, [own + struct.pack("!HHIH", TXT, 1, 300, 2) + b"\x01x"])
    if t == MX:
        # the exchange is a pointer to itself (inside the rdata)
        at = base + 2 + 10 + 2
        rdata = struct.pack("!H", 10) + struct.pack("!H", 0xC000 | at)
        return reply(q, [struct.pack("!H", 0xC00C) + struct.pack("!HHIH", MX, 1, 300, len(rdata)) + rdata])
    if t == CNAME or t == A:
        # a label, then a pointer back to that label: a.a.a.a... forever
        own = b"\x01a" + struct.pack("!H", 0xC000 | base)
        return reply(q, [own + struct.pack("!HHIH", A, 1, 300, 4) + bytes(4)])
    # a pointer past the end of the message
    return reply(q, [struct.pack("!H", 0xC000 | 0x3FFF) + struct.pack("!HHIH", t, 1, 300, 0)])


def zone_big(q, tcp):
    n, t = q["name"], q["qtype"]
    if not tcp:
        return reply(q, tc=True)
    if n == "big.test" and t == TXT:
        # one record of 250 strings: 64,000 bytes of data, one SPF record
        strings = [b"v=spf1 " + b"a" * 248] + [b"ip4:192.0.2.1 " * 18 + b"a" * 3] * 249
        return reply(q, [rr(n, TXT, txt_rdata(*strings))])
    if n == "_dmarc.big.test" and t == TXT:
        return reply(q, [rr(n, TXT, txt_rdata("v=DMARC1; p=none; x=%d" % i)) for i in range(1000)])
    if t == MX:
        return reply(q, [rr(n, MX, struct.pack("!H", i) + enc_name("mx%d.big.test" % i)) for i in range(1200)])
    return nodata(q)


def zone_wrongid(q):
    if q["qtype"] == TXT:
        other = dict(q)
        other["id"] = q["id"] ^ 0x5A5A
        return reply(other, [rr(q["name"], TXT, txt_rdata("v=spf1 +all"))])
    # right id, another question
    other = dict(q)
    other["question"] = enc_name("elsewhere.example") + struct.pack("!HH", q["qtype"], 1)
    return reply(other, [rr("elsewhere.example", A, bytes(4))])


TRUNC_CLOSE, TRUNC_SHORT = object(), object()


def zone_trunc(q, tcp):
    if not tcp:
        return reply(q, tc=True)
    t = q["qtype"]
    if t == TXT:
        return TRUNC_SHORT
    if t == MX:
        return reply(q, tc=True)
    return TRUNC_CLOSE


def zone_cname(q):
    n, t = q["name"], q["qtype"]
    if n == "cname.test" and t == TXT:
        return reply(q, [rr(n, TXT, txt_rdata("v=spf1 include:l1.cname.test -all"))])
    if n == "cname.test":
        return nodata(q)
    if n.startswith("l1."):
        return reply(q, [rr(n, CNAME, enc_name("l2.cname.test"))])
    if n.startswith("l2."):
        return reply(q, [rr(n, CNAME, enc_name("l1.cname.test"))])
    # in one answer: n -> x -> n
    x = "x." + n
    return reply(q, [rr(n, CNAME, enc_name(x)), rr(x, CNAME, enc_name(n))])


def zone_deep(q, redirect):
    n, t = q["name"], q["qtype"]
    zone = "deepr.test" if redirect else "deep.test"
    if t != TXT:
        return nodata(q) if n == zone or n.startswith("i") else nxdomain(q)
    if n == zone:
        i = 0
    elif n.startswith("i") and n.endswith("." + zone) and n[1:-len(zone) - 1].isdigit():
        i = int(n[1:-len(zone) - 1])
    else:
        return nxdomain(q)
    nxt = "i%d.%s" % (i + 1, zone)
    text = "v=spf1 -all" if i >= DEPTH else \
        ("v=spf1 redirect=%s" % nxt if redirect else "v=spf1 include:%s -all" % nxt)
    return reply(q, [rr(n, TXT, txt_rdata(text))])


def zone_garbage(q):
    t = q["qtype"]
    if t == TXT:
        # ANCOUNT 5, nothing after the question
        return header(q["id"], an=5) + q["question"]
    if t == MX:
        # rdlength past the end
        return reply(q, [enc_name(q["name"]) + struct.pack("!HHIH", MX, 1, 300, 400) + b"\0\x0a"])
    if t == A:
        return header(q["id"], qr=False) + q["question"]
    if t == CNAME:
        return header(q["id"], rcode=15) + q["question"]
    return header(q["id"])[:7]


def answer(msg, tcp):
    q = parse_query(msg)
    if q is None:
        return None
    z = zone_of(q["name"])
    if z == "ok":
        return zone_ok(q)
    if z == "esc":
        return zone_esc(q)
    if z == "exp":
        return zone_exp(q)
    if z == "loop":
        return zone_loop(q)
    if z == "big":
        return zone_big(q, tcp)
    if z == "wrongid":
        return zone_wrongid(q)
    if z == "trunc":
        return zone_trunc(q, tcp)
    if z == "cname":
        return zone_cname(q)
    if z == "deep":
        return zone_deep(q, False)
    if z == "deepr":
        return zone_deep(q, True)
    if z == "garbage":
        return zone_garbage(q)
    return nxdomain(q)


# --- serving --------------------------------------------------------------


def serve_udp(sock):
    while True:
        msg, peer = sock.recvfrom(4096)
        try:
            out = answer(msg, False)
        except Exception as e:     # a bug here must not stop the server
            print("hostile_dns: %r" % e, file=sys.stderr, flush=True)
            continue
        if isinstance(out, bytes):
            sock.sendto(out[:65507], peer)


def recv_exact(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def serve_tcp_conn(conn):
    with conn:
        while True:
            head = recv_exact(conn, 2)
            if head is None:
                return
            msg = recv_exact(conn, struct.unpack("!H", head)[0])
            if msg is None:
                return
            try:
                out = answer(msg, True)
            except Exception as e:
                print("hostile_dns: %r" % e, file=sys.stderr, flush=True)
                return
            if out is TRUNC_CLOSE or out is None:
                return
            if out is TRUNC_SHORT:
                conn.sendall(struct.pack("!H", 500) + b"\0" * 10)
                return
            out = out[:65535]
            conn.sendall(struct.pack("!H", len(out)) + out)


def serve_tcp(sock):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve_tcp_conn, args=(conn,), daemon=True).start()


def main():
    for _ in range(50):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        port = udp.getsockname()[1]
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind(("127.0.0.1", port))
            break
        except OSError:
            udp.close()
            tcp.close()
    else:
        print("hostile_dns: no port free for both UDP and TCP", file=sys.stderr)
        return 1
    tcp.listen(64)
    threading.Thread(target=serve_tcp, args=(tcp,), daemon=True).start()
    print("PORT %d" % port, flush=True)
    serve_udp(udp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
