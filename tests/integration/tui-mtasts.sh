#!/usr/bin/env bash
# tui-mtasts.sh: the wizard's MTA-STS step as a person uses it, against
# PowerDNS and a local HTTPS server (tests/lib/web_server.py) with a CA
# made here for mta-sts.DOMAIN: walk to the step, choose testing (enforce
# is refused before testing is served), write the policy file (an
# existing file is not replaced without asking: n keeps it, y replaces
# it; 0644), publish _mta-sts with a fresh id and the TLS-RPT record (its
# address from the DMARC record) through PowerDNS, and the recheck sees
# the record published and the policy served as written.
: "${AW_BIN:?}" "${AW_SRCDIR:?}" "${AW_TB_PDNS_API:?}" "${AW_TB_PDNS_KEY:?}" "${AW_TB_PDNS_DNS:?}"
TM=aw-mtasts-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
state=$(mktemp -d "${TMPDIR:-/tmp}/aw-tui-mtasts.XXXXXX")
dom=tuists$$.test
web_pid=
api() { curl -sS -H "X-API-Key: $AW_TB_PDNS_KEY" "$@"; }
cleanup() {
	tm_stop
	[ -n "$web_pid" ] && kill "$web_pid" 2>/dev/null
	api -X DELETE "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$dom." >/dev/null 2>&1
	rm -rf "$state"
}
trap cleanup EXIT

# A CA of this test and a certificate for mta-sts.$dom.
(
	cd "$state" &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout ca.key -out ca.pem -days 2 -subj "/CN=aw tui-mtasts CA" &&
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout server.key -out server.csr -subj "/CN=mta-sts.$dom" &&
	printf 'subjectAltName=DNS:mta-sts.%s\n' "$dom" > san.ext &&
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
	    -out server.pem -days 2 -extfile san.ext
) >/dev/null 2>&1
ok $? "a test CA and a certificate for mta-sts.$dom"

# The web server serves the policy file the wizard writes, as it is on
# disk at each request (the user "hosts" it).
policy="$state/mta-sts.$dom.txt"
python3 - "$state" "$dom" "$policy" > "$state/web.port" 2>"$state/web.err" <<'PY' &
import os, sys, threading
sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from web_server import WebServer
state, dom, path = sys.argv[1:4]
class Routes(dict):
    def get(self, k, d=None):
        if k == ("mta-sts." + dom, "/.well-known/mta-sts.txt") and os.path.exists(path):
            with open(path, "rb") as f:
                return (200, {"Content-Type": "text/plain"}, f.read())
        return d
w = WebServer(Routes(), os.path.join(state, "server.pem"), os.path.join(state, "server.key"))
print(w.port, flush=True)
threading.Event().wait()
PY
web_pid=$!
for _ in $(seq 1 200); do [ -s "$state/web.port" ] && break; sleep 0.05; done
port=$(head -1 "$state/web.port")
[ -n "$port" ]; ok $? "the HTTPS server listens (port $port)"

rr() {   # NAME TYPE CONTENT
	printf '{"name": "%s", "type": "%s", "ttl": 300, "changetype": "REPLACE", "records": [{"content": "%s", "disabled": false}]}' "$1" "$2" "$3"
}
code=$(api -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -X POST \
    --data '{"name": "'"$dom"'.", "kind": "Native", "nameservers": ["ns1.'"$dom"'."],
      "rrsets": ['"$(rr "$dom." TXT '\"v=spf1 ip4:192.0.2.10 -all\"')"',
        '"$(rr "_dmarc.$dom." TXT "\\\"v=DMARC1; p=none; rua=mailto:dmarc@$dom\\\"")"',
        '"$(rr "$dom." MX "10 mx.$dom.")"',
        '"$(rr "mx.$dom." A 127.0.0.1)"',
        '"$(rr "mta-sts.$dom." A 127.0.0.1)"']}' \
    "$AW_TB_PDNS_API/api/v1/servers/localhost/zones")
[ "$code" = 201 ]; ok $? "the zone $dom is at PowerDNS (HTTP $code)"
held() {   # NAME: the TXT values PowerDNS holds there
	api "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$dom." |
	    python3 -c 'import json,sys; z=json.load(sys.stdin)
for r in z.get("rrsets", []):
    if r["name"] == sys.argv[1] + "." and r["type"] == "TXT":
        print("\n".join(x["content"] for x in r["records"]))' "$1"
}

# A file of the user's at the default path: never replaced unasked.
echo "mine" > "$policy"
tm_start 100 34 "PDNS_API_URL=$AW_TB_PDNS_API" "PDNS_API_KEY=$AW_TB_PDNS_KEY" \
    "XDG_STATE_HOME=$state" "XDG_CONFIG_HOME=$state/config" "AW_DATADIR=$AW_SRCDIR/data" \
    "CURL_CA_BUNDLE=$state/ca.pem" "AW_TEST_HTTPS_PORT=$port" -- \
    cd "$state" "&&" "$AW_BIN" --dns-server "$AW_TB_PDNS_DNS" --dns-timeout 2 --provider powerdns "$dom"
check "the overview opens" tm_wait "authwizard  $dom"
check "the MX row fills" tm_wait "10 mx.$dom" 20
for _ in 1 2 3 4 5 6 7; do
	tm_keys Enter
	tm_wait "MTA-STS: TLS for mail to you" 2 >/dev/null && break
done
check "Enter through the steps reaches the MTA-STS step" tm_wait "MTA-STS: TLS for mail to you"
check "what is published: no _mta-sts record" tm_wait "_mta-sts none"
check "the MX hosts the policy must cover" tm_wait "MX hosts: mx.$dom"
check "the TLS reports go where the DMARC reports go" tm_wait "TLS reports to:   dmarc@$dom"
tm_keys Down
check "Down: testing, the policy from the MX records" tm_wait "mode: testing"
s=$(tm_screen)
echo "$s" | grep -q "mx: mx.$dom"; ok $? "the policy's mx pattern is the MX host"
echo "$s" | grep -q "max_age: 604800"; ok $? "max_age a week while testing"
echo "$s" | grep -qF "https://mta-sts.$dom/.well-known/mta-sts.txt"; ok $? "it says where to serve the policy"
echo "$s" | grep -q "text/plain"; ok $? "and how (text/plain, a valid certificate)"
echo "$s" | grep -qE "_mta-sts.$dom TXT \"v=STSv1; id=[0-9]{14}\""; ok $? "the record with a fresh id (a UTC timestamp)"
echo "$s" | grep -qF "_smtp._tls.$dom TXT \"v=TLSRPTv1; rua=mailto:dmarc@$dom\""; ok $? "the TLS-RPT record"
tm_keys Down
check "enforce is refused before testing is served" tm_wait "Enforce is offered once"
tm_keys Enter
check "the file exists: asked before replacing it" tm_wait "exists. y: replace it"
tm_keys n
[ "$(cat "$policy")" = "mine" ]; ok $? "n keeps the user's file"
tm_keys Escape Enter
check "asked again" tm_wait "exists. y: replace it"
tm_keys y
check "y writes it and says where to serve it" tm_wait "Wrote mta-sts.$dom.txt"
grep -q "^mode: testing" "$policy" && grep -q "^mx: mx.$dom" "$policy"; ok $? "the file holds the policy"
[ "$(stat -c %a "$policy")" = 644 ]; ok $? "the file is 0644"
printf 'version: STSv1\r\nmode: testing\r\nmx: mx.%s\r\nmax_age: 604800\r\n' "$dom" | cmp -s - "$policy"
ok $? "the file is exactly the policy (CRLF lines)"
tm_keys Enter
check "the BIMI step: not offered at p=none" tm_wait "BIMI is not offered"
tm_keys Enter
check "the review shows PowerDNS's plan" tm_wait "The plan at PowerDNS" 20
check "the review has the _mta-sts record" tm_wait "_mta-sts.$dom"
tm_keys Enter
check "where to apply" tm_wait "from \$PDNS_API_KEY"
tm_keys Enter
check "it asks before applying" tm_wait "y: apply now"
tm_keys y
check "apply: done" tm_wait "Done at PowerDNS:" 30
sts=$(held "_mta-sts.$dom")
echo "$sts" | grep -qE '^"v=STSv1; id=[0-9]{14}"$'; ok $? "PowerDNS holds the _mta-sts record ($sts)"
held "_smtp._tls.$dom" | grep -qF "\"v=TLSRPTv1; rua=mailto:dmarc@$dom\""; ok $? "PowerDNS holds the TLS-RPT record"
tm_keys Enter
check "the recheck sees every change published" tm_wait "Every change is published" 30
check "the recheck fetches the policy: served as written" tm_wait "MTA-STS policy: served, as written" 20
tm_keys q
tm_wait "EXITED-" 5 >/dev/null
tap_done
