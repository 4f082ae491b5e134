#!/usr/bin/env bash
# testbed.sh: the local DNS test bed, on loopback only.
#   testbed.sh start   starts Knot (every tests/zones/<zone>.zone) and
#                      PowerDNS with its HTTP API; waits until both answer;
#                      prints `export` lines for:
#                        AW_TB_DNS        127.0.0.1:PORT  (Knot)
#                        AW_TB_PDNS_DNS   127.0.0.1:PORT  (PowerDNS DNS)
#                        AW_TB_PDNS_API   http://127.0.0.1:PORT (PowerDNS API)
#                        AW_TB_PDNS_KEY   the API key
#                        AW_TESTBED_DIR   where its files and PID files are
#   testbed.sh stop    stops both by PID and removes the directory
#   testbed.sh knot DIR ZONEFILE...   (for tests that need a server of
#                      their own) starts one more Knot in DIR serving the
#                      given zone files; prints "PORT PID". With
#                      AW_TB_TSIG="NAME ALGORITHM BASE64[;NAME ALG BASE64...]"
#                      each zone takes dynamic updates (RFC 2136) signed
#                      with those keys only. With AW_TB_SIGN="ZONE..."
#                      Knot signs those zones itself (automatic DNSSEC
#                      signing, its default policy); a file root.zone is
#                      the root zone ".".
# AW_TESTBED_DIR (default tests/tmp/testbed) holds everything.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
dir=${AW_TESTBED_DIR:-$top/tests/tmp/testbed}

die() { echo "testbed: $*" >&2; exit 1; }

# A free TCP+UDP port on 127.0.0.1 (the kernel picks; we check both).
free_port() {
	/usr/bin/python3 - <<'PY'
import socket
for _ in range(50):
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.bind(("127.0.0.1", 0))
    port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", port))
    except OSError:
        t.close(); u.close(); continue
    t.close(); u.close()
    print(port)
    break
PY
}

# Waits (polling, bounded) until `kdig` gets an answer from 127.0.0.1:$1 for
# SOA of zone $2, or the process $3 has died.
wait_dns() {
	local port=$1 zone=$2 pid=$3 i
	for i in $(seq 1 400); do
		# An SOA answer ends in its five numbers; kdig's own errors
		# and usage text do not.
		if out=$(kdig @127.0.0.1 -p "$port" +timeout=1 +retry=0 +short SOA "$zone" 2>/dev/null) &&
		    printf '%s\n' "$out" | grep -qE '[0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+$'; then
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

start_knot() {
	local kdir=$1; shift
	local port zones=() f name conf
	mkdir -p "$kdir/zones" "$kdir/db" "$kdir/run"
	port=$(free_port) || die "no free port"
	conf=$kdir/knot.conf
	{
		echo "server:"
		echo "    listen: 127.0.0.1@$port"
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
		if [ -n "${AW_TB_TSIG:-}" ]; then
			local tkeys=() tname talg tsecret k
			echo "key:"
			IFS=';' read -ra tkeys <<<"$AW_TB_TSIG"
			for k in "${tkeys[@]}"; do
				read -r tname talg tsecret <<<"$k"
				echo "  - id: $tname"
				echo "    algorithm: $talg"
				echo "    secret: $tsecret"
			done
			echo "acl:"
			echo "  - id: tsig-update"
			echo "    key: [$(for k in "${tkeys[@]}"; do read -r tname _ <<<"$k"; printf '%s, ' "$tname"; done | sed 's/, $//')]"
			echo "    action: update"
		fi
		echo "zone:"
		for f in "$@"; do
			name=$(basename "$f" .zone)
			cp "$f" "$kdir/zones/$name.zone"
			local apex=$name
			[ "$name" = root ] && apex=.
			echo "  - domain: $apex"
			echo "    file: $kdir/zones/$name.zone"
			[ -n "${AW_TB_TSIG:-}" ] && echo "    acl: tsig-update"
			case " ${AW_TB_SIGN:-} " in
			*" $apex "*) echo "    dnssec-signing: on" ;;
			esac
			zones+=("$apex")
		done
		echo "log:"
		echo "  - target: $kdir/knot.log"
		echo "    any: warning"
	} > "$conf"
	knotd -c "$conf" >"$kdir/knotd.out" 2>&1 &
	local pid=$!
	echo "$pid" > "$kdir/knot.pid"
	if ! wait_dns "$port" "${zones[0]}" "$pid"; then
		cat "$kdir/knotd.out" "$kdir/knot.log" >&2 2>/dev/null
		kill "$pid" 2>/dev/null
		die "Knot did not answer on 127.0.0.1:$port"
	fi
	echo "$port $pid"
}

start_pdns() {
	local pdir=$1 dns_port api_port key pid i
	mkdir -p "$pdir"
	dns_port=$(free_port) || die "no free port"
	api_port=$(free_port) || die "no free port"
	key=testbed-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
	sqlite3 "$pdir/pdns.sqlite3" < /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql ||
		die "cannot create the PowerDNS database"
	cat > "$pdir/pdns.conf" <<CONF
launch=gsqlite3
gsqlite3-database=$pdir/pdns.sqlite3
local-address=127.0.0.1
local-port=$dns_port
api=yes
api-key=$key
webserver=yes
webserver-address=127.0.0.1
webserver-port=$api_port
webserver-allow-from=127.0.0.0/8
socket-dir=$pdir
guardian=no
daemon=no
disable-syslog=yes
security-poll-suffix=
loglevel=3
CONF
	pdns_server --config-dir="$pdir" >"$pdir/pdns.out" 2>&1 &
	pid=$!
	echo "$pid" > "$pdir/pdns.pid"
	for i in $(seq 1 400); do
		if curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $key" \
		    "http://127.0.0.1:$api_port/api/v1/servers/localhost" 2>/dev/null | grep -q 200; then
			echo "$dns_port $api_port $key"
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	cat "$pdir/pdns.out" >&2
	kill "$pid" 2>/dev/null
	die "PowerDNS did not answer on 127.0.0.1:$api_port"
}

stop_pid_file() {
	local f=$1 pid i
	[ -f "$f" ] || return 0
	pid=$(cat "$f")
	if kill "$pid" 2>/dev/null; then
		for i in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		kill -9 "$pid" 2>/dev/null
	fi
	rm -f "$f"
}

case ${1:-} in
start)
	command -v knotd >/dev/null || die "knotd not found: apt-get install knot knot-dnsutils"
	command -v pdns_server >/dev/null || die "pdns_server not found: apt-get install pdns-server pdns-backend-sqlite3"
	if [ -f "$dir/knot/knot.pid" ] || [ -f "$dir/pdns/pdns.pid" ]; then
		"$0" stop
	fi
	mkdir -p "$dir"
	read -r kport _ < <(start_knot "$dir/knot" "$top"/tests/zones/*.zone) || exit 1
	[ -n "${kport:-}" ] || { "$0" stop; exit 1; }
	read -r pdns_dns pdns_api pdns_key < <(start_pdns "$dir/pdns") || true
	if [ -z "${pdns_key:-}" ]; then
		"$0" stop
		die "PowerDNS did not start"
	fi
	{
		echo "export AW_TESTBED_DIR='$dir'"
		echo "export AW_TB_DNS=127.0.0.1:$kport"
		echo "export AW_TB_PDNS_DNS=127.0.0.1:$pdns_dns"
		echo "export AW_TB_PDNS_API=http://127.0.0.1:$pdns_api"
		echo "export AW_TB_PDNS_KEY=$pdns_key"
	} | tee "$dir/env"
	;;
stop)
	stop_pid_file "$dir/knot/knot.pid"
	stop_pid_file "$dir/pdns/pdns.pid"
	rm -rf "$dir"
	;;
knot)
	[ $# -ge 3 ] || die "usage: testbed.sh knot DIR ZONEFILE..."
	kdir=$2
	shift 2
	start_knot "$kdir" "$@"
	;;
*)
	echo "usage: $0 start|stop|knot DIR ZONEFILE..." >&2
	exit 2
	;;
esac
