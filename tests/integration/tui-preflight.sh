#!/usr/bin/env bash
# tui-preflight.sh: issue 13's wizard bullets, against PowerDNS as a person meets them:
#  - an invalid report address keeps the DMARC step, the message beside
#    the field, nothing typed dropped;
#  - a "-all" record with senders added stays "-all";
#  - a review whose preflight (the engine of `plan`, over PowerDNS's plan)
#    shows an error (the SPF as it will be costs 11 lookups) does not
#    apply on y: a second question, and only "!" goes
#    on; PowerDNS holds nothing new until then;
#  - after a DNS failure no record is proposed where the wizard could not
#    read what is there, and the review says why.
: "${AW_BIN:?}" "${AW_SRCDIR:?}" "${AW_TB_PDNS_API:?}" "${AW_TB_PDNS_KEY:?}" "${AW_TB_PDNS_DNS:?}"
TM=aw-preflight-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
state=$(mktemp -d "${TMPDIR:-/tmp}/aw-tui-preflight.XXXXXX")
dom=tuipre$$.test
api() { curl -sS -H "X-API-Key: $AW_TB_PDNS_KEY" "$@"; }
silent_pid=
cleanup() {
	tm_stop
	api -X DELETE "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$dom." >/dev/null 2>&1
	[ -n "$silent_pid" ] && kill "$silent_pid" 2>/dev/null
	rm -rf "$state"
}
trap cleanup EXIT
spf_held() {
	api "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$dom." | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin).get("rrsets", []):
    if r["type"] == "TXT":
        for v in r["records"]:
            c = "".join(v["content"].split("\"")[1::2])
            if c.startswith("v=spf1"):
                print(c)'
}

code=$(api -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -X POST \
    --data '{"name": "'"$dom"'.", "kind": "Native", "nameservers": ["ns1.'"$dom"'."],
      "rrsets": [{"name": "'"$dom"'.", "type": "TXT", "ttl": 300, "changetype": "REPLACE",
        "records": [{"content": "\"v=spf1 ip4:192.0.2.10 -all\"", "disabled": false}]}]}' \
    "$AW_TB_PDNS_API/api/v1/servers/localhost/zones")
[ "$code" = 201 ]; ok $? "the zone $dom with a -all SPF record is at PowerDNS (HTTP $code)"

tm_start 100 32 LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    "AW_LOCALEDIR=${AW_LOCALEDIR:-$AW_BUILD/locale}" \
    "PDNS_API_URL=$AW_TB_PDNS_API" "PDNS_API_KEY=$AW_TB_PDNS_KEY" \
    "XDG_STATE_HOME=$state" "XDG_CONFIG_HOME=$state/config" "AW_DATADIR=$AW_SRCDIR/data" -- \
    "$AW_BIN" --dns-server "$AW_TB_PDNS_DNS" --dns-timeout 2 --provider powerdns "$dom"
check "the overview opens" tm_wait "authwizard  $dom"
check "the SPF row fills" tm_wait "ip4:192.0.2.10 -all" 20
tm_keys Enter
check "SPF step: the published record" tm_wait "Record:  v=spf1 ip4:192.0.2.10 -all"
# A sender from the catalog added to a -all record: the record stays
# -all (the merge keeps the strictest all); then it is taken out again.
tm_type sendgrid
tm_keys Space
check "a sender added: the record shows its include" tm_wait "include:sendgrid.net" 5
tm_screen | sed -n '/Record:/,/DNS lookups/p' | grep -v "DNS lookups" | tr -s ' \n' '  ' |
    grep -q -- "ip4:192.0.2.10 include:sendgrid.net -all *$"
ok $? "the record stays -all with a sender added"
tm_keys Space
tm_wait_gone "include:sendgrid.net -all" 5; ok $? "the sender taken out again"
tm_keys Escape
# Eleven hosts of one's own: eleven DNS lookups (RFC 7208 §4.6.4).
tm_keys Tab
for i in 1 2 3 4 5 6 7 8 9 10 11; do
	tm_type "a:h$i.$dom"
	tm_keys Enter
	tm_wait "a:h$i.$dom " 5 >/dev/null
done
check "the count is past the limit" tm_wait "DNS lookups: 11 of 10"
tm_screen | sed -n '/Record:/,/DNS lookups/p' | grep -v "DNS lookups" | tr -s ' \n' '  ' |
    grep -q -- "a:h11.$dom -all *$"
ok $? "the record stays -all with the terms added"
tm_keys Escape Enter
check "DKIM step" tm_wait "Which service signs your mail?"
tm_keys Enter
check "DMARC step" tm_wait "Aggregate reports to:"
tm_keys Tab
tm_type ", bad-address"
tm_keys Enter
check "an invalid report address is named beside the field" \
    tm_wait "rua: not an email address: bad-address"
tm_screen | grep -qF "Aggregate reports to:"; ok $? "Enter keeps the DMARC step"
tm_screen | grep -qF "dmarc-reports@$dom, bad-address"; ok $? "nothing typed was dropped"
for _ in $(seq 1 13); do tm_keys BSpace; done
tm_wait_gone "not an email address" 5; ok $? "the message goes once the address is fixed"
tm_keys Enter
check "PTR/HELO step" tm_wait "192.0.2.10"
tm_keys Enter
check "the MTA-STS step" tm_wait "_smtp._tls"
tm_keys Enter
check "BIMI step: not offered (DMARC not at enforcement)" tm_wait "BIMI is not offered"
tm_keys Enter
check "the review shows PowerDNS's plan" tm_wait "The plan at PowerDNS" 20
check "the review shows the preflight's finding" \
    tm_wait "would cost 11 DNS lookups" 15
tm_screen | grep -qF "error: the SPF record for $dom would cost 11 DNS"
ok $? "the preflight's finding is said with its severity"
tm_keys Enter
check "where to apply: PowerDNS" tm_wait "from \$PDNS_API_KEY"
tm_keys Enter
check "it asks before applying" tm_wait "y: apply now"
tm_keys y
check "y asks a second time, naming the errors" tm_wait "!: publish anyway"
[ "$(spf_held)" = "v=spf1 ip4:192.0.2.10 -all" ]; ok $? "nothing was applied on y"
tm_keys y
tm_wait_gone "!: publish anyway" 5; ok $? "y again goes back, it does not apply"
[ "$(spf_held)" = "v=spf1 ip4:192.0.2.10 -all" ]; ok $? "still nothing applied"
tm_keys Enter
check "asked again" tm_wait "y: apply now"
tm_keys y
check "the second question" tm_wait "!: publish anyway"
tm_keys '!'
check "! publishes anyway" tm_wait "Done at PowerDNS" 30
case "$(spf_held)" in *"a:h11.$dom -all") r=0 ;; *) r=1 ;; esac
ok $r "PowerDNS holds the record as reviewed, -all kept ($(spf_held))"
tm_keys q
tm_wait "EXITED-" 5 >/dev/null
tm_stop

# After a DNS failure: a server that never answers.
TM=aw-preflight-$$-nodns
pf="$state/port"
/usr/bin/python3 - "$pf" <<'PY' &
import os, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(120)          # holds the port, never answers
PY
silent_pid=$!
for _ in $(seq 1 100); do [ -s "$pf" ] && break; sleep 0.05; done
tm_start 100 32 LANG=C.UTF-8 LC_ALL=C.UTF-8 "XDG_STATE_HOME=$state" -- \
    "$AW_BIN" --dns-server "127.0.0.1:$(cat "$pf")" --dns-timeout 1 --dns-tries 1 wizard.test
check "no DNS: it says so" tm_wait "No answer from DNS" 15
tm_keys Enter
check "no DNS: the SPF step says the records could not be read" \
    tm_wait "could not be read" 5
tm_keys Enter Enter Enter Enter
check "no DNS: the MTA-STS step" tm_wait "_smtp._tls"
tm_keys Enter
check "no DNS: the BIMI step" tm_wait "BIMI: the brand logo"
tm_keys Enter
check "no DNS: the review says why SPF is not changed" \
    tm_wait "SPF is not changed: the TXT records at wizard.test could not be read" 10
tm_screen | grep -q "add TXT wizard.test"; [ $? -ne 0 ]; ok $? "no DNS: no SPF record is proposed at wizard.test"
tm_screen | grep -q "TXT _dmarc.wizard.test"; [ $? -ne 0 ]; ok $? "no DNS: nor a DMARC record at _dmarc.wizard.test"
tm_screen | grep -qF "DMARC is not changed: the TXT records at _dmarc.wizard.test could not be read"; ok $? "no DNS: the review says why DMARC is not changed"
tm_keys q
check "no DNS: q leaves" tm_wait "EXITED-0" 5
tap_done
