#!/usr/bin/env bash
# The watch finds each record's own zone: a TXT at w2.test and a PTR in the
# reverse zone 100.51.198.in-addr.arpa, whose nameservers are different
# Knot servers (127.0.0.2 and 127.0.0.3, one port, so that the discovered
# addresses can be asked with --nameserver-port). A third Knot on
# 127.0.0.1 plays the resolver (--dns-server) and knows both zones.
set -u
. "$AW_SRCDIR/tests/lib/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aw-watchz.XXXXXX")
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

REV=100.51.198.in-addr.arpa
fwd_zone() {
	cat <<ZONE
\$ORIGIN w2.test.
\$TTL 300
@ SOA ns1.w2.test. hostmaster.w2.test. 1 3600 600 604800 60
@ NS ns1.w2.test.
ns1 A 127.0.0.2
rev-ns A 127.0.0.3
mail A 198.51.100.7
@ TXT "hello=new"
s1._domainkey CNAME s1.dkim.vendor2.test.
ZONE
}
vendor_zone() {  # the DKIM CNAME's target, in a zone of its own
	cat <<ZONE
\$ORIGIN vendor2.test.
\$TTL 300
@ SOA ns.vendor2.test. hostmaster.vendor2.test. 1 3600 600 604800 60
@ NS ns.vendor2.test.
ns A 127.0.0.4
s1.dkim TXT "v=DKIM1; k=rsa; p=MIGf"
ZONE
}
rev_zone() {   # rev_zone SERIAL [PTR-LINE]
	cat <<ZONE
\$ORIGIN $REV.
\$TTL 300
@ SOA rev-ns.w2.test. hostmaster.w2.test. $1 3600 600 604800 60
@ NS rev-ns.w2.test.
${2:-}
ZONE
}
mkdir -p "$tmp/final" "$tmp/before"
fwd_zone > "$tmp/final/w2.test.zone"
rev_zone 2 "7 PTR mail.w2.test." > "$tmp/final/$REV.zone"
rev_zone 1 > "$tmp/before/$REV.zone"
vendor_zone > "$tmp/final/vendor2.test.zone"

# One port free on both 127.0.0.2 and 127.0.0.3 (UDP and TCP).
port=$(/usr/bin/python3 - <<'PY'
import socket
for _ in range(50):
    t = socket.socket(); t.bind(("127.0.0.2", 0)); p = t.getsockname()[1]
    socks = [t]
    try:
        for ip in ("127.0.0.2", "127.0.0.3"):
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind((ip, p)); socks.append(u)
        t3 = socket.socket(); t3.bind(("127.0.0.3", p)); socks.append(t3)
    except OSError:
        for s in socks: s.close()
        continue
    for s in socks: s.close()
    print(p); break
PY
)

knot_at() {    # knot_at DIR IP ZONEFILE...: prints the PID
	local kdir=$1 ip=$2 f name
	shift 2
	mkdir -p "$kdir/zones" "$kdir/db" "$kdir/run"
	{
		echo "server:"
		echo "    listen: $ip@$port"
		echo "    rundir: $kdir/run"
		[ "$(id -u)" -eq 0 ] && echo "    user: root:root"
		echo "database:"
		echo "    storage: $kdir/db"
		echo "template:"
		echo "  - id: default"
		echo "    storage: $kdir/zones"
		echo "    semantic-checks: off"
		echo "    zonefile-sync: -1"
		echo "    journal-content: none"
		echo "zone:"
		for f in "$@"; do
			name=$(basename "$f" .zone)
			cp "$f" "$kdir/zones/$name.zone"
			echo "  - domain: $name"
			echo "    file: $kdir/zones/$name.zone"
		done
	} > "$kdir/knot.conf"
	knotd -c "$kdir/knot.conf" >"$kdir/knotd.out" 2>&1 &
	echo $!
}
up() {         # up IP ZONE SERIAL: polls until the server serves SERIAL
	local i
	for i in $(seq 1 400); do
		kdig @"$1" -p "$port" +timeout=1 +retry=0 +short SOA "$2" 2>/dev/null |
			awk '{print $3}' | grep -qx "$3" && return 0
		sleep 0.05
	done
	return 1
}

read -r rport rpid < <("$AW_SRCDIR/tests/testbed.sh" knot "$tmp/r" \
	"$tmp/final/w2.test.zone" "$tmp/final/$REV.zone" "$tmp/final/vendor2.test.zone")
pids+=("${rpid:-}")
pid_a=$(knot_at "$tmp/a" 127.0.0.2 "$tmp/final/w2.test.zone")
pids+=("$pid_a")
pid_b=$(knot_at "$tmp/b" 127.0.0.3 "$tmp/before/$REV.zone")
pids+=("$pid_b")
ok_if "three Knot servers up (resolver, w2.test at .2, $REV at .3)" \
	eval 'test -n "${rport:-}" && up 127.0.0.2 w2.test 1 && up 127.0.0.3 $REV 1'

common=(--txt '@=hello=new' --ptr 198.51.100.7=mail.w2.test
	--dns-server "127.0.0.1:$rport" --nameserver-port "$port"
	--interval 0.2 --dns-timeout 1 --dns-tries 1)

# The PTR is not at its zone's server yet.
"$AW_BIN" watch w2.test "${common[@]}" --timeout 1.5 --json > "$tmp/1.json" 2>"$tmp/1.err"
rc=$?
ok_if "PTR not yet served by the reverse zone's server: exit 1 ($rc)" test "$rc" -eq 1
summary() {    # one line per record: TYPE zone server=state...
	/usr/bin/python3 - "$1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for r in doc["records"]:
    print(r["type"], r.get("zone"), " ".join("%s=%s" % kv for kv in sorted(r["servers"].items())))
print("NS", " ".join("%s:%s" % (n["address"], ",".join(n.get("zones", []))) for n in doc["nameservers"]))
print("NOTWATCHED", len(doc.get("not_watched", [])))
PY
}
summary "$tmp/1.json" > "$tmp/1.sum" 2>&1
sed 's/^/# /' "$tmp/1.sum"
ok_if "the TXT is asked at w2.test's server only, and matches" \
	grep -qx "TXT w2.test ns1.w2.test (127.0.0.2)=match" "$tmp/1.sum"
ok_if "the PTR is asked at the reverse zone's server only: missing" \
	grep -qx "PTR $REV rev-ns.w2.test (127.0.0.3)=missing" "$tmp/1.sum"
ok_if "--json lists each server with the zones it is asked for" \
	grep -qx "NS 127.0.0.2:$port:w2.test 127.0.0.3:$port:$REV" "$tmp/1.sum"
ok_if "nothing is left out (not_watched is empty)" grep -qx "NOTWATCHED 0" "$tmp/1.sum"

# The reverse zone's server gets the PTR: the watch converges.
cp "$tmp/final/$REV.zone" "$tmp/b/zones/$REV.zone"
knotc -c "$tmp/b/knot.conf" zone-reload "$REV" >/dev/null 2>&1
up 127.0.0.3 "$REV" 2
"$AW_BIN" watch w2.test "${common[@]}" --timeout 20 > "$tmp/2.out" 2>&1
rc=$?
ok_if "after the reverse zone's server has the PTR: exit 0 ($rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$tmp/2.out" | tail -20
ok_if "the table names the reverse zone the PTR was asked in" \
	grep -q "zone $REV, asked at" "$tmp/2.out"
ok_if "... and its server, matching" \
	grep -Eq "rev-ns.w2.test \(127.0.0.3\) +matches" "$tmp/2.out"

# --nameserver: the given server is asked for every record, as before (the
# w2.test server does not serve the reverse zone: REFUSED, unreachable).
"$AW_BIN" watch w2.test "${common[@]}" --nameserver "127.0.0.2:$port" \
	--timeout 1 --json > "$tmp/3.json" 2>"$tmp/3.err"
rc=$?
summary "$tmp/3.json" > "$tmp/3.sum" 2>&1
sed 's/^/# /' "$tmp/3.sum"
ok_if "--nameserver: every record asked there; the PTR unreachable; exit 1 ($rc)" \
	eval "test $rc -eq 1 &&
	grep -qx 'TXT None 127.0.0.2:$port=match' '$tmp/3.sum' &&
	grep -qx 'PTR None 127.0.0.2:$port=unreachable' '$tmp/3.sum'"

# A recursive resolver follows a CNAME into the target's zone, and the SOA
# it returns for the DKIM selector is vendor2.test's (whose server,
# 127.0.0.4, does not exist). The selector's zone is still w2.test: the
# CNAME is asked at w2.test's server. The resolver here: a forwarder to
# the Knot above that chases CNAMEs across zones, as recursive ones do.
/usr/bin/python3 - "$rport" > "$tmp/chase.port" 2>"$tmp/chase.err" <<'PY' &
import socket, sys
import dns.message, dns.query, dns.rdatatype, dns.rcode
up = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
while True:
    data, peer = s.recvfrom(4096)
    try:
        q = dns.message.from_wire(data)
        r = dns.query.udp(q, "127.0.0.1", port=up, timeout=2)
        name, rdtype = q.question[0].name, q.question[0].rdtype
        for _ in range(8):
            cn = [rr for rr in r.answer if rr.name == name and rr.rdtype == dns.rdatatype.CNAME]
            if not cn or rdtype == dns.rdatatype.CNAME:
                break
            name = cn[0][0].target
            if any(rr.name == name for rr in r.answer):
                continue
            r2 = dns.query.udp(dns.message.make_query(name, rdtype), "127.0.0.1", port=up, timeout=2)
            r.answer += r2.answer
            r.authority = r2.authority
            r.set_rcode(r2.rcode())
        s.sendto(r.to_wire(), peer)
    except Exception as e:
        print(e, file=sys.stderr, flush=True)
PY
pids+=("$!")
for _ in $(seq 1 200); do [ -s "$tmp/chase.port" ] && break; sleep 0.05; done
chase=$(cat "$tmp/chase.port")
kdig @127.0.0.1 -p "$chase" +timeout=2 +retry=0 SOA s1._domainkey.w2.test > "$tmp/chase.dig" 2>&1
ok_if "the chasing resolver answers the selector's SOA with vendor2.test's" \
	grep -q "^vendor2.test.*SOA" "$tmp/chase.dig"
"$AW_BIN" watch w2.test --dkim-cname s1=s1.dkim.vendor2.test --txt '@=hello=new' \
	--dns-server "127.0.0.1:$chase" --nameserver-port "$port" \
	--interval 0.2 --dns-timeout 1 --dns-tries 1 --timeout 5 --json > "$tmp/5.json" 2>"$tmp/5.err"
rc=$?
summary "$tmp/5.json" > "$tmp/5.sum" 2>&1
sed 's/^/# /' "$tmp/5.sum" "$tmp/5.err"
ok_if "a CNAME followed into another zone: the selector is asked in w2.test, exit 0 ($rc)" \
	eval "test $rc -eq 0 &&
	grep -qx 'CNAME w2.test ns1.w2.test (127.0.0.2)=match' '$tmp/5.sum'"

# A record whose zone has no reachable nameserver: exit 3, named.
"$AW_BIN" watch w2.test --txt '@=hello=new' --ptr 203.0.113.9=mail.w2.test \
	--dns-server "127.0.0.1:$rport" --nameserver-port "$port" \
	--interval 0.2 --dns-timeout 0.5 --dns-tries 1 --timeout 2 > "$tmp/4.out" 2>&1
rc=$?
ok_if "a PTR whose zone is not found: exit 3 ($rc)" test "$rc" -eq 3
ok_if "... the error names it" grep -q "9.113.0.203.in-addr.arpa" "$tmp/4.out"
tap_done
