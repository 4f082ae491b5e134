#!/usr/bin/env bash
# tui-apply.sh: the whole wizard against PowerDNS, as a person uses it: the
# demo's broken domain (two SPF records, 11 lookups, no DMARC, a DKIM CNAME
# to nowhere) is created at the test bed's PowerDNS; the wizard adds a
# sender to SPF and drops one, sets DKIM CNAMEs, chooses a DMARC policy,
# shows PowerDNS's plan, applies it; the test then asks PowerDNS what it
# holds, watches the recheck converge, and undoes it from the journal.
# PowerDNS holds the reverse zone of the sending IP here, so the wizard
# writes the PTR itself (with the forward A of the HELO name) instead of
# asking the IP's owner. Also: quitting mid-flow applies nothing and
# restores the terminal.
: "${AW_BIN:?}" "${AW_SRCDIR:?}" "${AW_TB_PDNS_API:?}" "${AW_TB_PDNS_KEY:?}" "${AW_TB_PDNS_DNS:?}"
TM=aw-apply-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
state=$(mktemp -d "${TMPDIR:-/tmp}/aw-tui-apply.XXXXXX")
dom=tuiapply$$.test
dom2=tuiquit$$.test
rev=2.0.192.in-addr.arpa
api() { curl -sS -H "X-API-Key: $AW_TB_PDNS_KEY" "$@"; }
cleanup() {
	tm_stop
	for z in "$dom" "$dom2" "$rev"; do
		api -X DELETE "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$z." >/dev/null 2>&1
	done
	rm -rf "$state"
}
trap cleanup EXIT

# "NAME TYPE VALUE" lines of what PowerDNS holds (TXT unquoted), sorted.
held() {
	api "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$1." | /usr/bin/python3 -c '
import json, sys
z = json.load(sys.stdin)
out = []
for r in z.get("rrsets", []):
    if r["type"] in ("SOA", "NS"):
        continue
    for v in r["records"]:
        c = v["content"]
        if r["type"] == "TXT":
            c = "".join(p for p in c.split("\"")[1::2])
        out.append("%s %s %s" % (r["name"].rstrip("."), r["type"], c))
print("\n".join(sorted(out)))'
}

for z in "$dom" "$dom2"; do
	DEMO_DOMAIN=$z "$AW_SRCDIR/tests/demo.sh" --setup-only
	ok $? "the broken domain $z is created at PowerDNS"
done
# The reverse zone of 192.0.2.0/24 (the SPF's sending IP), empty.
api -X DELETE "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$rev." >/dev/null 2>&1
code=$(api -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -X POST \
    --data '{"name": "'"$rev"'.", "kind": "Native", "nameservers": ["ns1.'"$dom"'."]}' \
    "$AW_TB_PDNS_API/api/v1/servers/localhost/zones")
[ "$code" = 201 ]; ok $? "the reverse zone $rev is at PowerDNS (HTTP $code)"
before2=$(held "$dom2")

wizard() {   # DOMAIN [W H [LANG]]
	tm_start "${2:-100}" "${3:-30}" "LANG=${4:-C.UTF-8}" "LC_ALL=${4:-C.UTF-8}" \
	    "AW_LOCALEDIR=${AW_LOCALEDIR:-$AW_BUILD/locale}" \
	    "PDNS_API_URL=$AW_TB_PDNS_API" "PDNS_API_KEY=$AW_TB_PDNS_KEY" \
	    "XDG_STATE_HOME=$state" "XDG_CONFIG_HOME=$state/config" "AW_DATADIR=$AW_SRCDIR/data" -- \
	    "$AW_BIN" --dns-server "$AW_TB_PDNS_DNS" --dns-timeout 2 --provider powerdns "$1"
}

wizard "$dom"
check "the overview opens on the domain" tm_wait "authwizard  $dom"
check "two SPF records are found" tm_wait "2 SPF records" 20
check "the DKIM CNAME to nowhere is found" tm_wait "selector k2 points (CNAME) to a name with no key"
check "the MX row fills" tm_wait "10 mx.$dom"
tm_keys Enter
check "SPF step: the merged record" tm_wait "include:spf.mailjet.com"
check "SPF step: the lookup count" tm_wait "DNS lookups: "
tm_type "postm"
check "typing filters the senders" tm_wait "filter: postm"
tm_keys Space
check "picking Postmark adds its include" tm_wait "include:spf.mtasv.net"
tm_keys Escape
tm_type "zend"
tm_keys Space
# The SPF record being made: the lines from "Record:" to the count.
record_without() {   # TEXT: until the record no longer holds TEXT
	local end=$(( $(date +%s) + 5 ))
	while [ "$(date +%s)" -le "$end" ]; do
		tm_screen | sed -n '/Record:/,/DNS lookups/p' | grep -qF -- "$1" || return 0
		sleep 0.05
	done
	return 1
}
record_without "include:mail.zendesk.com"; ok $? "unpicking Zendesk takes its include out"
tm_keys Escape Enter
check "DKIM step" tm_wait "Which service signs your mail?"
tm_type "sendg"
tm_keys Space
check "SendGrid asks for the account part" tm_wait "Type the account part"
tm_type "4242 1"
check "the CNAMEs come from the catalog" tm_wait "s1._domainkey.$dom CNAME s1.domainkey.u4242."
tm_keys Enter
check "DMARC step" tm_wait "Aggregate reports to:"
tm_keys Down
check "Down chooses quarantine" tm_wait "v=DMARC1; p=quarantine"
tm_keys Enter
check "PTR/HELO step" tm_wait "192.0.2.10"
tm_keys Tab
tm_type "mail.$dom"
tm_keys Enter
check "the HELO name is checked: the PTR should name it" \
    tm_wait "(10.2.0.192.in-addr.arpa) to mail.$dom" 20
tm_keys Enter
check "the MTA-STS step, left as it is" tm_wait "_smtp._tls"
tm_keys Enter
check "BIMI step: not offered (DMARC not at enforcement)" tm_wait "BIMI is not offered"
tm_keys Enter
check "the review shows PowerDNS's plan" tm_wait "The plan at PowerDNS" 20
s=$(tm_screen)
echo "$s" | grep -q "replace TXT $dom"; ok $? "review: the apex TXT set is replaced"
echo "$s" | grep -q "google-site-verification=demo-123"; ok $? "review: the verification TXT stays in the set"
# Resize mid-flow: the review is drawn again at 80x24 and back.
tm resize-window -t w -x 80 -y 24
check "after a resize to 80x24 the review is redrawn" tm_wait "The plan at PowerDNS"
[ "$(tm_screen | wc -l)" -le 24 ]; ok $? "the screen fits 24 lines"
tm resize-window -t w -x 100 -y 30
check "and again at 100x30" tm_wait "The plan at PowerDNS"
tm_keys Down Down Down Down Down Down Down Down Down Down
check "scrolling shows the DMARC record to add" tm_wait "+ v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@$dom"
tm_keys Enter
check "where to apply: PowerDNS, preset" tm_wait "from \$PDNS_API_KEY"
tm_screen | grep -qF "$AW_TB_PDNS_KEY"; [ $? -ne 0 ]; ok $? "the API key is never drawn"
[ "$(held "$dom" | grep -c 'v=spf1')" -eq 2 ]; ok $? "nothing was applied before the confirmation"
tm_keys Enter
check "it asks before applying" tm_wait "y: apply now"
tm_keys y
check "apply: every record applied" tm_wait "Done at PowerDNS: 7 applied, 0 failed." 30
check "apply: the result says how to take it back" tm_wait "'authwizard undo $dom' puts them back."
s=$(tm_screen)
[ "$(echo "$s" | grep -c '^  applied ')" -eq 7 ]; ok $? "apply: a result per record"
echo "$s" | grep -q "applied *add PTR 10.2.0.192.in-addr.arpa"; ok $? "apply: the PTR was written (the host holds the reverse zone)"
echo "$s" | grep -q "request"; [ $? -ne 0 ]; ok $? "apply: so no request to the IP's owner is left"

h=$(held "$dom")
echo "$h" | sed 's/^/#   held: /'
[ "$(echo "$h" | grep -c "^$dom TXT v=spf1")" -eq 1 ]; ok $? "PowerDNS: exactly one SPF record"
spf=$(echo "$h" | grep "^$dom TXT v=spf1")
case "$spf" in *include:spf.mtasv.net*) r=0 ;; *) r=1 ;; esac; ok $r "PowerDNS: the SPF record has Postmark"
case "$spf" in *zendesk*) r=1 ;; *) r=0 ;; esac; ok $r "PowerDNS: and no longer Zendesk"
case "$spf" in *include:_spf.google.com*) case "$spf" in *ip4:192.0.2.10*) r=0 ;; *) r=1 ;; esac ;; *) r=1 ;; esac
ok $r "PowerDNS: the other terms of both records are kept"
echo "$h" | grep -qx "$dom TXT google-site-verification=demo-123"; ok $? "PowerDNS: the verification TXT is kept"
echo "$h" | grep -qx "_dmarc.$dom TXT v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@$dom"; ok $? "PowerDNS: the DMARC record"
echo "$h" | grep -q "^s1._domainkey.$dom CNAME s1.domainkey.u4242.wl1.sendgrid.net"; ok $? "PowerDNS: the DKIM CNAME s1"
echo "$h" | grep -q "^k2._domainkey.$dom"; [ $? -ne 0 ]; ok $? "PowerDNS: the CNAME to nowhere is gone"
echo "$h" | grep -qx "mail.$dom A 192.0.2.10"; ok $? "PowerDNS: the forward A of the HELO name"
held "$rev" | grep -qx "10.2.0.192.in-addr.arpa PTR mail.$dom."; ok $? "PowerDNS: the PTR names the HELO host (forward-confirmed)"
# Journals are numbered per domain (issue 20): this is the first.
[ -f "$state/authwizard/$dom.1.journal.json" ]; ok $? "the journal is written"
[ "$(stat -c %a "$state/authwizard/$dom.1.journal.json" 2>/dev/null)" = 600 ]; ok $? "the journal is 0600"

tm_keys Enter
check "recheck: the live table" tm_wait "Recheck"
check "recheck: it converges" tm_wait "Every change is published." 30
check "recheck: all of them" tm_wait "Published: 7 of 7"
tm_screen | grep -E "gone +at the resolvers +delete CNAME k2._domainkey.$dom" >/dev/null
ok $? "recheck: the deletion says gone, and where it was asked"
tm_keys q
check "q leaves: exit status 0" tm_wait "EXITED-0"
check "the report lists the applied records" tm_wait "applied      _dmarc.$dom TXT"
check "and says how to undo" tm_wait "authwizard undo $dom"
check "the deletion is reported removed, not made" \
    tm_wait "k2._domainkey.$dom CNAME: removed and read back: gone"
check "the terminal is back in cooked mode" tm_wait "icanon echo"
tm_stop

XDG_STATE_HOME=$state PDNS_API_URL=$AW_TB_PDNS_API PDNS_API_KEY=$AW_TB_PDNS_KEY \
    "$AW_BIN" undo "$dom" >/dev/null
ok $? "authwizard undo after a wizard apply"
[ "$(held "$dom" | grep -c 'v=spf1')" -eq 2 ]; ok $? "undo: the two SPF records are back"
held "$dom" | grep -q "^_dmarc"; [ $? -ne 0 ]; ok $? "undo: the DMARC record is gone again"
held "$rev" | grep -q PTR; [ $? -ne 0 ]; ok $? "undo: the PTR is gone again"

# Quit mid-flow, in German at 80x24: at the review, after PowerDNS made
# its plan.
wizard "$dom2" 80 24 de_DE.UTF-8
check "quit: the overview at 80x24" tm_wait "authwizard  $dom2"
check "quit: the checks fill in (in German)" tm_wait "2 SPF-Einträge" 20
tm_keys Enter
check "quit: SPF step" tm_wait "DNS-Abfragen: "
tm_keys Enter Enter Enter Enter
check "quit: the MTA-STS step" tm_wait "_smtp._tls"
tm_keys Enter
check "quit: the BIMI step" tm_wait "BIMI: "
tm_keys Enter
check "quit: the review, in German" tm_wait "Prüfen: jede Änderung" 20
check "quit: with PowerDNS's plan" tm_wait "(+)" 20
[ "$(tm_screen | wc -l)" -le 24 ]; ok $? "quit: the review fits 24 lines"
tm_screen | grep -F "Ziel wählen" | grep -qF "q: Ende"; ok $? "quit: the review's status line at 80x24 shows q: (not cut)"
tm_keys q
check "quit: q leaves at once, status 0" tm_wait "EXITED-0"
check "quit: it says nothing was changed (in German)" tm_wait "Es wurde nichts geändert."
check "quit: the terminal is back in cooked mode" tm_wait "icanon echo"
[ "$(held "$dom2")" = "$before2" ]; ok $? "quit: PowerDNS holds what it held"
! ls "$state/authwizard/$dom2".*journal.json > /dev/null 2>&1; ok $? "quit: no journal"
tap_done
