#!/usr/bin/env bash
# tui-bimi.sh: the wizard's BIMI step as a person uses it. At p=none
# (tests/zones/bimiwiz.test.zone, Knot) it is not offered and says what
# DMARC needs; at p=reject (good.posture.test) it is offered with the
# published record, whose logo and mark certificate are fetched from the
# local HTTPS server with the test CA (tests/lib/web_server.py,
# --ca-file) and checked before anything goes into the plan. Then, at
# the test bed's PowerDNS, a domain at p=reject gets its record: a
# certificate for another domain is an error that keeps the record out,
# without it the record is checked, reviewed, applied, read back from
# PowerDNS and undone from the journal. DNS is read from Knot
# (tests/zones/bimipub.test.zone; PowerDNS refuses the DMARC tree walk's
# question at _dmarc.test), the same zone is made at PowerDNS to apply to.
: "${AW_BIN:?}" "${AW_SRCDIR:?}" "${AW_TB_DNS:?}" "${AW_TB_PDNS_API:?}" "${AW_TB_PDNS_KEY:?}" "${AW_TB_PDNS_DNS:?}"
TM=aw-bimi-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
state=$(mktemp -d "${TMPDIR:-/tmp}/aw-tui-bimi.XXXXXX")
dom=bimipub.test
logo=bimi.posture.test        # the name the test server's certificate has
CA=$AW_SRCDIR/tests/keys/web/ca.pem
webpid=
api() { curl -sS -H "X-API-Key: $AW_TB_PDNS_KEY" "$@"; }
cleanup() {
	tm_stop
	[ -n "$webpid" ] && kill "$webpid" 2>/dev/null
	api -X DELETE "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$dom." >/dev/null 2>&1
	rm -rf "$state"
}
trap cleanup EXIT

# The HTTPS server: the good logo and the mark certificate for
# good.posture.test; its port in a file once it listens.
AW_SRCDIR=$AW_SRCDIR /usr/bin/python3 - "$state/port" <<'PY' &
import os, signal, sys
sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
from web_server import WebServer, KEYS
svg = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
       b'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" '
       b'baseProfile="tiny-ps" viewBox="0 0 100 100">'
       b'<title>Good</title><circle cx="50" cy="50" r="40" fill="#c00"/></svg>')
with open(os.path.join(KEYS, "mark-good.pem"), "rb") as f:
    pem = f.read()
h = "bimi.posture.test"
w = WebServer({(h, "/good.svg"): (200, {"Content-Type": "image/svg+xml"}, svg),
               (h, "/mark-good.pem"): (200, {"Content-Type": "application/x-pem-file"}, pem)})
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(w.port))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
signal.pause()
PY
webpid=$!
for _ in $(seq 1 200); do [ -s "$state/port" ] && break; sleep 0.05; done
[ -s "$state/port" ]; ok $? "the HTTPS server with the test CA listens"
port=$(cat "$state/port")

wizard() {   # DNS-SERVER DOMAIN [more options]
	local srv=$1 d=$2
	shift 2
	tm_start 100 32 LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    "AW_LOCALEDIR=${AW_LOCALEDIR:-$AW_BUILD/locale}" \
	    "PDNS_API_URL=$AW_TB_PDNS_API" "PDNS_API_KEY=$AW_TB_PDNS_KEY" \
	    "AW_TEST_HTTPS_PORT=$port" "CURL_CA_BUNDLE=" \
	    "XDG_STATE_HOME=$state" "XDG_CONFIG_HOME=$state/config" "AW_DATADIR=$AW_SRCDIR/data" -- \
	    "$AW_BIN" --dns-server "$srv" --dns-timeout 2 --ca-file "$CA" --no-dnssec "$@" "$d"
}
# From the overview through SPF, DKIM, DMARC, PTR/HELO and MTA-STS (left
# as it is) to BIMI.
to_bimi() {
	tm_keys Enter
	check "$1: SPF step" tm_wait "DNS lookups: " 20
	tm_keys Enter
	check "$1: DKIM step" tm_wait "Which service signs your mail?"
	tm_keys Enter
	check "$1: DMARC step" tm_wait "Aggregate reports to:"
	tm_keys Enter
	check "$1: PTR/HELO step" tm_wait "Sending IP:"
	tm_keys Enter
	check "$1: the MTA-STS step" tm_wait "_smtp._tls"
	tm_keys Enter
	check "$1: the BIMI step" tm_wait "BIMI: the brand logo"
}

# 1. p=none: not offered, and why.
wizard "$AW_TB_DNS" bimiwiz.test
check "p=none: the overview opens" tm_wait "authwizard  bimiwiz.test"
check "p=none: the checks fill in" tm_wait "v=DMARC1; p=none" 20
to_bimi "p=none"
check "p=none: BIMI is not offered" tm_wait "BIMI is not offered: it needs DMARC at enforcement."
check "p=none: it says what DMARC is" tm_wait "DMARC is at p=none for the domain"
check "p=none: and what DMARC needs" tm_wait "p=quarantine or p=reject at the organizational domain"
tm_screen | grep -qF "Logo URL"; [ $? -ne 0 ]; ok $? "p=none: no fields to fill in"
tm_type "https://x"
tm_screen | grep -qF "https://x"; [ $? -ne 0 ]; ok $? "p=none: typing goes nowhere"
tm_keys Enter
check "p=none: Enter goes on to the review" tm_wait "Review: every change" 20
tm_screen | grep -qF "_bimi"; [ $? -ne 0 ]; ok $? "p=none: no BIMI record in the review"
tm_keys q
check "p=none: q leaves" tm_wait "EXITED-0"
tm_stop

# 2. p=reject at Knot: offered, the published record in the fields, its
# files fetched and checked: nothing wrong, nothing to change.
wizard "$AW_TB_DNS" good.posture.test
check "p=reject: the overview opens" tm_wait "authwizard  good.posture.test"
check "p=reject: the checks fill in" tm_wait "v=DMARC1; p=reject" 20
to_bimi "p=reject"
check "p=reject: the logo URL field" tm_wait "Logo URL (l=, SVG):"
check "p=reject: the published logo URL is in it" tm_wait "https://$logo/good.svg"
check "p=reject: and the certificate URL" tm_wait "https://$logo/mark-good.pem"
check "p=reject: the selector defaults to default" tm_wait "Selector:"
tm_screen | grep -q "Selector: *default"; ok $? "p=reject: selector default"
tm_keys Enter
check "p=reject: the files are fetched and checked" \
    tm_wait "The checks found no error: Enter adds the record to the plan." 20
tm_screen | grep -q "^ *error:"; [ $? -ne 0 ]; ok $? "p=reject: no error found"
tm_keys Enter
check "p=reject: on to the review" tm_wait "Review: every change" 20
tm_screen | grep -qF "default._bimi"; [ $? -ne 0 ]; ok $? "p=reject: the same record is no change"
tm_keys q
check "p=reject: q leaves" tm_wait "EXITED-0"
tm_stop

# 3. PowerDNS: a domain at p=reject gets its record.
api -X DELETE "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$dom." >/dev/null 2>&1
zone_json() {   # ZONE RRSETS-JSON
	printf '{"name": "%s.", "kind": "Native", "nameservers": ["ns1.%s."], "rrsets": [%s]}' "$1" "$1" "$2"
}
rr() {   # NAME TYPE CONTENT
	printf '{"name": "%s.", "type": "%s", "ttl": 300, "changetype": "REPLACE", "records": [{"content": %s, "disabled": false}]}' "$1" "$2" "$3"
}
code=$(api -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -X POST \
    --data "$(zone_json "$dom" "$(rr "$dom" MX "\"10 mx.$dom.\""), $(rr "mx.$dom" A '"192.0.2.25"'), $(rr "$dom" TXT '"\"v=spf1 mx -all\""'), $(rr "_dmarc.$dom" TXT "\"\\\"v=DMARC1; p=reject; rua=mailto:d@$dom\\\"\"")")" \
    "$AW_TB_PDNS_API/api/v1/servers/localhost/zones")
[ "$code" = 201 ]; ok $? "the domain $dom at p=reject is at PowerDNS (HTTP $code)"

wizard "$AW_TB_DNS" "$dom" --provider powerdns
check "pdns: the overview opens" tm_wait "authwizard  $dom"
check "pdns: the checks fill in" tm_wait "v=DMARC1; p=reject" 20
to_bimi "pdns"
check "pdns: offered, the logo URL field has the cursor" tm_wait "Logo URL (l=, SVG):"
tm_type "http://$logo/good.svg"
tm_keys Enter
check "pdns: an http URL is refused beside the field" \
    tm_wait "is not an https URL with a host name"
for _ in $(seq 1 40); do tm_keys BSpace; done
tm_type "https://$logo/good.svg"
tm_keys Tab
tm_type "https://$logo/mark-good.pem"
check "pdns: the record the fields make" tm_wait "a=https://$logo/mark-good.pem"
tm_screen | grep -qF "Record:  v=BIMI1; l=https://$logo/good.svg;"; ok $? "pdns: v=BIMI1, l= then a="
tm_keys Enter
check "pdns: the certificate names another domain: an error" \
    tm_wait "The checks found errors" 20
tm_screen | grep -q "^ *error: .*$dom"; ok $? "pdns: the error names the domain"
tm_keys Enter
check "pdns: Enter does not add it" tm_wait "The checks found errors: press ! to add the record anyway"
check "pdns: and says how else" tm_wait "fix the URLs (Tab), or empty the logo URL"
tm_screen | grep -qF "BIMI: the brand logo"; ok $? "pdns: still on the BIMI step"
# Without the certificate: only a warning.
tm_keys Tab Tab
for _ in $(seq 1 60); do tm_keys BSpace; done
check "pdns: the record without a=" tm_wait "v=BIMI1; l=https://$logo/good.svg"
tm_keys Enter
check "pdns: checked again: no error" \
    tm_wait "The checks found no error: Enter adds the record to the plan." 20
tm_screen | grep -q "warning: .*no a="; ok $? "pdns: the missing certificate is a warning"
tm_keys Enter
check "pdns: the review shows PowerDNS's plan" tm_wait "The plan at PowerDNS" 20
check "pdns: it adds the BIMI record" tm_wait "+ v=BIMI1; l=https://$logo/good.svg"
tm_screen | grep -qF "TXT default._bimi.$dom"; ok $? "pdns: at default._bimi.$dom"
tm_keys Enter
check "pdns: where to apply: PowerDNS, preset" tm_wait "from \$PDNS_API_KEY"
tm_keys Enter
check "pdns: it asks before applying" tm_wait "y: apply now"
tm_keys y
check "pdns: applied, the one record" tm_wait "Done at PowerDNS: 1 applied, 0 failed." 30
held=$(api "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$dom.")
echo "$held" | grep -qF "default._bimi.$dom." && echo "$held" | grep -qF "v=BIMI1; l=https://$logo/good.svg"
ok $? "PowerDNS holds the BIMI record"
ls "$state/authwizard/$dom".*journal.json >/dev/null 2>&1; ok $? "the journal is written"
tm_keys q
check "pdns: q leaves, status 0" tm_wait "EXITED-0"
tm_stop
XDG_STATE_HOME=$state PDNS_API_URL=$AW_TB_PDNS_API PDNS_API_KEY=$AW_TB_PDNS_KEY \
    "$AW_BIN" undo "$dom" >/dev/null
ok $? "authwizard undo after the wizard's BIMI record"
api "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$dom." | grep -qF "_bimi"
[ $? -ne 0 ]; ok $? "undo: the BIMI record is gone"
tap_done
