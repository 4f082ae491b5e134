#!/usr/bin/env bash
# tui-confirm-border.sh: issue 14's edge: the confirmation dialog at 80x24
# in Finnish, with the DNS host's credential names on the screen below it,
# is drawn within its border: every line of the dialog ends at its right
# border, nothing of it (nor of the screen below) past it; a text cut
# there ends in the cut marker. Against PowerDNS.
: "${AW_BIN:?}" "${AW_SRCDIR:?}" "${AW_TB_PDNS_API:?}" "${AW_TB_PDNS_KEY:?}" "${AW_TB_PDNS_DNS:?}"
TM=aw-confirm-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
state=$(mktemp -d "${TMPDIR:-/tmp}/aw-tui-confirm.XXXXXX")
dom=tuiconfirm$$.test
api() { curl -sS -H "X-API-Key: $AW_TB_PDNS_KEY" "$@"; }
cleanup() {
	tm_stop
	api -X DELETE "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$dom." >/dev/null 2>&1
	rm -rf "$state"
}
trap cleanup EXIT

code=$(api -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -X POST \
    --data '{"name": "'"$dom"'.", "kind": "Native", "nameservers": ["ns1.'"$dom"'."],
      "rrsets": [{"name": "'"$dom"'.", "type": "TXT", "ttl": 300, "changetype": "REPLACE",
        "records": [{"content": "\"v=spf1 ip4:192.0.2.10 -all\"", "disabled": false}]}]}' \
    "$AW_TB_PDNS_API/api/v1/servers/localhost/zones")
[ "$code" = 201 ]; ok $? "the zone $dom is at PowerDNS (HTTP $code)"

tm_start 80 24 LANG=fi_FI.UTF-8 LC_ALL=fi_FI.UTF-8 \
    "AW_LOCALEDIR=${AW_LOCALEDIR:-$AW_BUILD/locale}" \
    "PDNS_API_URL=$AW_TB_PDNS_API" "PDNS_API_KEY=$AW_TB_PDNS_KEY" \
    "XDG_STATE_HOME=$state" "XDG_CONFIG_HOME=$state/config" "AW_DATADIR=$AW_SRCDIR/data" -- \
    "$AW_BIN" --dns-server "$AW_TB_PDNS_DNS" --dns-timeout 2 --provider powerdns "$dom"
check "the overview opens" tm_wait "authwizard  $dom"
check "the SPF row fills" tm_wait "ip4:192.0.2.10 -all" 20
# On to the review: the DMARC record to add is a change.
for _ in 1 2 3 4 5 6 7 8; do
	tm_keys Enter
	tm_wait "PowerDNS" 1 >/dev/null && break
done
check "the review shows PowerDNS's plan" tm_wait "PowerDNS" 20
tm_keys Enter
check "where to apply: the hosts and PowerDNS's credentials" tm_wait "ylläpidetään?" 10
tm_screen | grep -qF "PDNS_API_"; ok $? "the credential names are on the screen below"
tm_keys Enter
check "the confirmation opens" tm_wait "k: tee nyt   n: ei nyt" 10
s=$(tm_screen)
echo "$s" | sed 's/^/#   /'
# The dialog: the rows from its top corner to its bottom corner.
top=$(echo "$s" | grep -n "┌" | tail -1 | cut -d: -f1)
bot=$(echo "$s" | grep -n "└" | tail -1 | cut -d: -f1)
[ -n "$top" ] && [ -n "$bot" ] && [ "$bot" -gt "$top" ]; ok $? "the dialog has a border ($top..$bot)"
bad=0
for r in $(seq "$top" "$bot"); do
	line=$(echo "$s" | sed -n "${r}p")
	# The right border closes every row; nothing of the screen below
	# shows beside the dialog, left or right.
	case "$line" in *[┐│┘]) ;; *[┐│┘]*) ;; *) bad=1 ;; esac
	after=$(echo "$line" | sed 's/.*[┐│┘]//')
	before=$(echo "$line" | sed 's/[┌│└].*//')
	if [ -n "$(echo "$after$before" | tr -d ' ')" ]; then
		echo "# beside the border on row $r: '$before' '$after'"
		bad=1
	fi
done
ok $bad "nothing is drawn beside the dialog's border"
echo "$s" | sed -n "${top},${bot}p" | grep -q "PI_"; [ $? -ne 0 ]; ok $? "no credential name beside the dialog"
# Its own text within: each row of the dialog is as wide as its border.
w0=$(echo "$s" | sed -n "${top}p" | sed 's/^ *//' | wc -m)
bad=0
for r in $(seq "$top" "$bot"); do
	w1=$(echo "$s" | sed -n "${r}p" | sed 's/^ *//' | wc -m)
	[ "$w1" -eq "$w0" ] || bad=1
done
ok $bad "every row of the dialog ends at its border"
tm_keys n
tm_keys q
tm_wait "EXITED-" 5 >/dev/null
tap_done
