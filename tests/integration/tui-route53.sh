#!/usr/bin/env bash
# tui-route53.sh: the wizard applies to Route 53 (the fake,
# tests/fakes/route53_fake.py) and its recheck screen shows the change's
# GetChange state on a line above the table, asked through the provider
# on the wizard's loop: PENDING for a few polls, then INSYNC. "Every
# change is published" waits for INSYNC although the record already
# matches on the nameserver: the test bed's PowerDNS plays Route 53's
# servers (the test puts the record there once the fake took it). TAP
# output.
: "${AW_BIN:?}" "${AW_SRCDIR:?}"
if [ -z "${AW_TB_PDNS_API:-}" ]; then
	echo "1..0 # SKIP the test bed is not running (make check starts it)"
	exit 0
fi
TM=aw-r53-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
dom=tuir53$$.test
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aw-tui-r53.XXXXXX")
fake_pid=
api() { curl -sS -H "X-API-Key: $AW_TB_PDNS_KEY" "$@"; }
cleanup() {
	tm_stop
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null
	api -X DELETE "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$dom." >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

# The fake prints "PORT n" once listening.
/usr/bin/python3 "$AW_SRCDIR/tests/fakes/route53_fake.py" >"$tmp/fake.out" 2>"$tmp/fake.err" &
fake_pid=$!
port=
for _ in $(seq 400); do
	port=$(sed -n 's/^PORT //p' "$tmp/fake.out")
	[ -n "$port" ] && break
	kill -0 "$fake_pid" 2>/dev/null || break
	sleep 0.05
done
[ -n "$port" ]; ok $? "the Route 53 fake listens (port $port)"
base=http://127.0.0.1:$port
control() {   # PATH [JSON]
	if [ $# -gt 1 ]; then
		curl -sS -H 'Content-Type: application/json' --data "$2" "$base$1"
	else
		curl -sS "$base$1"
	fi
}
# The GetChange requests the fake saw since the last clear.
getchanges() {
	control /__fake/log | /usr/bin/python3 -c '
import json, sys
print(sum(1 for e in json.load(sys.stdin)["log"] if "/2013-04-01/change/" in json.dumps(e)))'
}

spf="v=spf1 ip4:192.0.2.25 -all"
dmarc="v=DMARC1; p=none; rua=mailto:dmarc-reports@$dom"
# Route 53 and its servers (PowerDNS here) hold the same zone: SPF and
# MX, no DMARC record.
control /__fake/seed '{"credentials": {"AKIDTEST": {"secret": "s3cret"}}, "insync_after": 1,
  "zones": [{"name": "'"$dom"'", "rrsets": [
    {"name": "'"$dom"'", "type": "TXT", "ttl": 300, "values": ["\"'"$spf"'\""]},
    {"name": "'"$dom"'", "type": "MX", "ttl": 300, "values": ["10 mx.'"$dom"'"]},
    {"name": "mx.'"$dom"'", "type": "A", "ttl": 300, "values": ["192.0.2.25"]}]}]}' >/dev/null
ok $? "the fake holds $dom"
api -X DELETE "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$dom." >/dev/null 2>&1
code=$(api -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -X POST --data '{
  "name": "'"$dom"'.", "kind": "Native", "nameservers": ["ns1.'"$dom"'."],
  "rrsets": [
    {"name": "'"$dom"'.", "type": "TXT", "ttl": 300, "changetype": "REPLACE",
     "records": [{"content": "\"'"$spf"'\"", "disabled": false}]},
    {"name": "'"$dom"'.", "type": "MX", "ttl": 300, "changetype": "REPLACE",
     "records": [{"content": "10 mx.'"$dom"'.", "disabled": false}]},
    {"name": "mx.'"$dom"'.", "type": "A", "ttl": 300, "changetype": "REPLACE",
     "records": [{"content": "192.0.2.25", "disabled": false}]}]}' \
    "$AW_TB_PDNS_API/api/v1/servers/localhost/zones")
[ "$code" = 201 ]; ok $? "PowerDNS serves $dom as Route 53's servers would (HTTP $code)"

tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    "AW_LOCALEDIR=${AW_LOCALEDIR:-$AW_BUILD/locale}" \
    "AWS_ENDPOINT_URL_ROUTE_53=$base" AWS_ACCESS_KEY_ID=AKIDTEST AWS_SECRET_ACCESS_KEY=s3cret \
    AWS_SESSION_TOKEN= AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null \
    AW_HTTP_BACKOFF_MS=10 AW_ROUTE53_POLL_MS=10 "HOME=$tmp" \
    "XDG_STATE_HOME=$tmp/state" "XDG_CONFIG_HOME=$tmp/config" "AW_DATADIR=$AW_SRCDIR/data" -- \
    "$AW_BIN" --dns-server "$AW_TB_PDNS_DNS" --dns-timeout 2 --provider route53 "$dom"
check "the overview opens on the domain" tm_wait "authwizard  $dom"
check "the checks fill in" tm_wait "10 mx.$dom" 20
# SPF, DKIM, DMARC (p=none), PTR/HELO: as they are.
tm_keys Enter
check "SPF step" tm_wait "Record:  $spf"
tm_keys Enter
check "DKIM step" tm_wait "Which service signs your mail?"
tm_keys Enter
check "DMARC step: p=none with reports to the domain" tm_wait "Record:  $dmarc"
tm_keys Enter
check "PTR/HELO step" tm_wait "Sending IP:"
tm_keys Enter
check "the MTA-STS step" tm_wait "_smtp._tls"
tm_keys Enter
check "BIMI step: not offered (DMARC not at enforcement)" tm_wait "BIMI is not offered"
tm_keys Enter
check "the review shows Route 53's plan" tm_wait "The plan at Amazon Route 53" 20
check "it adds the DMARC record" tm_wait "+ $dmarc"
tm_keys Enter
check "where to apply: Route 53, preset" tm_wait "AWS_ACCESS_KEY_ID"
tm_screen | grep -qF s3cret; [ $? -ne 0 ]; ok $? "the secret key is never drawn"
tm_keys Enter
check "it asks before applying" tm_wait "y: apply now"
tm_keys y
check "apply: done at Route 53" tm_wait "1 applied, 0 failed." 30
state=$(control /__fake/state)
echo "$state" | grep -qF "$dmarc"; ok $? "the fake holds the DMARC record"

# Route 53 now takes 4 more GetChange polls to say INSYNC; its servers
# (PowerDNS) serve the record already.
control /__fake/seed '{"insync_after": 5}' >/dev/null
control /__fake/clear >/dev/null
code=$(api -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -X PATCH --data '{
  "rrsets": [{"name": "_dmarc.'"$dom"'.", "type": "TXT", "ttl": 300, "changetype": "REPLACE",
     "records": [{"content": "\"'"$dmarc"'\"", "disabled": false}]}]}' \
    "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$dom.")
[ "$code" = 204 ]; ok $? "PowerDNS serves the DMARC record too (HTTP $code)"

tm_keys Enter
check "recheck: the live table" tm_wait "Recheck"
check "recheck: Route 53 says PENDING" tm_wait ": PENDING" 20
check "recheck: the record matches on the nameserver" tm_wait "Published: 1 of 1" 20
s=$(tm_screen)
echo "$s" | grep -Eq "^  Route 53 change [^ ]+: PENDING +not on every server of the DNS host yet"
ok $? "recheck: a line above the table says Route 53's change is still PENDING"
echo "$s" | grep -qF "Every change is published"; [ $? -ne 0 ]; ok $? "recheck: while PENDING, not every change counts as published"
pend=$(echo "$s" | grep -n "change .*: PENDING" | cut -d: -f1)
tab=$(echo "$s" | grep -n "add TXT _dmarc.$dom" | cut -d: -f1)
[ -n "$pend" ] && [ -n "$tab" ] && [ "$pend" -lt "$tab" ]; ok $? "recheck: the state line is above the table ($pend < $tab)"
check "recheck: then Route 53 says INSYNC" tm_wait ": INSYNC" 30
check "recheck: and only then every change is published" tm_wait "Every change is published." 30
s=$(tm_screen)
echo "$s" | grep -Eq "^  Route 53 change [^ ]+: INSYNC +every server of the DNS host has it"
ok $? "recheck: the line says every Route 53 server has it"
n=$(getchanges)
[ "$n" -ge 4 ]; ok $? "GetChange was polled until INSYNC ($n polls)"
tm_keys q
check "q leaves: exit status 0" tm_wait "EXITED-0"
check "the terminal is back in cooked mode" tm_wait "icanon echo"
tap_done
