#!/usr/bin/env bash
# The propagation watch against two real authoritative servers (Knot) for
# one zone, one updated later than the other; and a server that never
# answers.
set -u
. "$AW_SRCDIR/tests/lib/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aw-watch.XXXXXX")
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

zone() {   # zone SERIAL VALUE
	cat <<ZONE
\$ORIGIN w.test.
\$TTL 300
@ SOA ns1.w.test. hostmaster.w.test. $1 3600 600 604800 60
@ NS ns1.w.test.
ns1 A 127.0.0.1
@ TXT "v=spf1 -all"
@ TXT "$2"
ZONE
}
mkdir -p "$tmp/new" "$tmp/old"
zone 1 "hello=old" > "$tmp/old/w.test.zone"
zone 2 "hello=new" > "$tmp/new/w.test.zone"
read -r port_a pid_a < <("$AW_SRCDIR/tests/testbed.sh" knot "$tmp/a" "$tmp/new/w.test.zone")
pids+=("$pid_a")
read -r port_b pid_b < <("$AW_SRCDIR/tests/testbed.sh" knot "$tmp/b" "$tmp/old/w.test.zone")
pids+=("$pid_b")
ok_if "two authoritative servers started" test -n "${port_a:-}" -a -n "${port_b:-}"

"$AW_BIN" watch w.test --nameserver "127.0.0.1:$port_a" --nameserver "127.0.0.1:$port_b" \
	--txt '@=hello=new' --interval 0.2 --timeout 120 > "$tmp/watch.out" 2>&1 &
watch_pid=$!
pids+=("$watch_pid")

# Wait (polling, bounded) for a round where A has the new value and B not.
seen=0
for _ in $(seq 1 600); do
	if grep -q "127.0.0.1:$port_a  *matches" "$tmp/watch.out" &&
	   grep -q "127.0.0.1:$port_b  *missing" "$tmp/watch.out"; then
		seen=1; break
	fi
	kill -0 "$watch_pid" 2>/dev/null || break
	sleep 0.05
done
ok_if "the watch shows the state per server: A matches, B not yet" test "$seen" -eq 1
kill -0 "$watch_pid" 2>/dev/null
ok_if "the watch keeps going while B lags" test $? -eq 0

# B catches up.
cp "$tmp/new/w.test.zone" "$tmp/b/zones/w.test.zone"
knotc -c "$tmp/b/knot.conf" zone-reload w.test >/dev/null 2>&1
for _ in $(seq 1 1200); do
	kill -0 "$watch_pid" 2>/dev/null || break
	sleep 0.05
done
wait "$watch_pid"
rc=$?
ok_if "the watch converges when the second server catches up (exit 0)" test "$rc" -eq 0
ok_if "its last table shows both servers matching" \
	grep -q "Every nameserver serves the expected records" "$tmp/watch.out"
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$tmp/watch.out" | tail -20

# A server that does not answer: unreachable, and the watch ends at its
# deadline with a non-zero exit.
/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
import signal
signal.pause()
' > "$tmp/hole.port" 2>/dev/null < /dev/null &
pids+=("$!")
for _ in $(seq 1 200); do [ -s "$tmp/hole.port" ] && break; sleep 0.05; done
hole=$(cat "$tmp/hole.port")
start=$(date +%s)
"$AW_BIN" watch w.test --nameserver "127.0.0.1:$port_a" --nameserver "127.0.0.1:$hole" \
	--txt '@=hello=new' --interval 0.5 --timeout 3 --dns-timeout 0.5 --dns-tries 1 \
	--json > "$tmp/hole.json" 2>&1
rc=$?
elapsed=$(( $(date +%s) - start ))
ok_if "a silent server makes the watch end non-zero at its deadline" test "$rc" -eq 1
ok_if "... within bounds (${elapsed}s for a 3 s deadline)" test "$elapsed" -le 15
read -r hole_state a_state converged < <(/usr/bin/python3 - "$tmp/hole.json" "$hole" "$port_a" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
st = doc["records"][0]["servers"]
print(st.get("127.0.0.1:" + sys.argv[2]), st.get("127.0.0.1:" + sys.argv[3]),
      str(doc["converged"]).lower())
PY
)
ok_if "the silent server shows as unreachable in --json" test "${hole_state:-}" = unreachable
ok_if "the answering server matches; not converged" test "${a_state:-}/${converged:-}" = match/false
# --spf-remove and --spf-replace are watched too: the term out of the one
# SPF record (A serves "v=spf1 -all"), the new term in.
"$AW_BIN" watch w.test --nameserver "127.0.0.1:$port_a" \
	--spf-remove include:gone.w.test --interval 0.2 --timeout 30 \
	--json > "$tmp/rm.json" 2>&1
rc=$?
read -r rm_expect rm_state < <(/usr/bin/python3 - "$tmp/rm.json" "$port_a" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1]))["records"]
    print(r[0]["expect"] if len(r) == 1 else len(r), r[0]["servers"].get("127.0.0.1:" + sys.argv[2]))
except Exception as e:
    print("bad", e)
PY
)
ok_if "--spf-remove of a term the record lacks converges (exit $rc, $rm_expect $rm_state)" \
	test "$rc/${rm_expect:-}/${rm_state:-}" = "0/no-spf-term/match"
"$AW_BIN" watch w.test --nameserver "127.0.0.1:$port_a" \
	--spf-replace='-all=~all' --interval 0.2 --timeout 1 --json > "$tmp/rep.json" 2>&1
rc=$?
read -r rep < <(/usr/bin/python3 - "$tmp/rep.json" "$port_a" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1]))["records"]
    print(",".join("%s:%s:%s" % (x["expect"], x["value"], x["servers"].get("127.0.0.1:" + sys.argv[2])) for x in r))
except Exception as e:
    print("bad", e)
PY
)
ok_if "--spf-replace -all=~all waits for ~all in and -all out (exit $rc: $rep)" \
	test "$rc/${rep:-}" = "1/spf-term:~all:missing,no-spf-term:-all:old"
tap_done
