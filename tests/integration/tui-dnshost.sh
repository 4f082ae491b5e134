#!/usr/bin/env bash
# tui-dnshost.sh: the wizard preselects the DNS host found from the zone's
# NS (issue 17) on the host-choice screen. For every host of
# data/dnshosts.json with an API path, a zone delegated to its name servers
# (tests/zones/dnshosts/<id>.hosts.test.zone) preselects that host's
# provider, with its credential variable (one wizard start per host); the
# Cloudflare run also shows every host of the provider table is offered
# (RFC 2136 with its fields). One at Namecheap (no API path here)
# preselects "show the records", which shows them the way Namecheap's form
# wants them (name relative to the zone, TXT unquoted) plus the zone-file
# lines, and the recheck still watches for them. A Knot of its own serves
# tests/zones/dnshosts/. TAP output.
: "${AW_BIN:?}" "${AW_SRCDIR:?}"
if ! command -v knotd >/dev/null; then
	echo "1..0 # SKIP knotd not installed (apt-get install knot knot-dnsutils)"
	exit 0
fi
TM=aw-dnshost-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aw-tui-dnshost.XXXXXX")
knot_pid=
cleanup() {
	tm_stop
	[ -n "$knot_pid" ] && kill "$knot_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# The menu title and a credential variable of each provider (the host-choice
# screen names them); a host of the table with an API path and no line here
# fails below, so the test follows the table.
declare -A title=(
	[cloudflare]="Cloudflare|CLOUDFLARE_API_TOKEN"
	[route53]="Amazon Route 53|AWS_ACCESS_KEY_ID"
	[digitalocean]="DigitalOcean|DIGITALOCEAN_ACCESS_TOKEN"
	[hetzner]="Hetzner (Cloud API)|HCLOUD_TOKEN"
	[gandi]="Gandi LiveDNS|GANDI_PAT"
	[gcloud]="Google Cloud DNS|GOOGLE_APPLICATION_CREDENTIALS"
	[azure]="Azure DNS|AZURE_CLIENT_SECRET"
	[desec]="deSEC|DESEC_TOKEN"
)
# id<TAB>name<TAB>provider of every host with an API path, from the table.
hosts=$(python3 -c '
import json, sys
for h in json.load(open(sys.argv[1]))["hosts"]:
    if h.get("provider"):
        print("%s\t%s\t%s" % (h["id"], h["name"], h["provider"]))
' "$AW_SRCDIR/data/dnshosts.json")
[ "$(echo "$hosts" | grep -c .)" -ge 8 ]; ok $? "the host table has the API hosts ($(echo "$hosts" | grep -c .))"

read -r port knot_pid < <("$AW_SRCDIR/tests/testbed.sh" knot "$tmp/knot" \
    "$AW_SRCDIR"/tests/zones/dnshosts/*.hosts.test.zone)
[ -n "${port:-}" ]; ok $? "Knot serves the host zones (port ${port:-none})"

wizard() {   # DOMAIN
	tm_start 130 44 LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    "AW_LOCALEDIR=${AW_LOCALEDIR:-$AW_BUILD/locale}" \
	    CLOUDFLARE_API_TOKEN= CF_API_TOKEN= DESEC_TOKEN= HCLOUD_TOKEN= \
	    HETZNER_API_TOKEN= DIGITALOCEAN_ACCESS_TOKEN= DO_AUTH_TOKEN= \
	    GANDI_PAT= GANDIV5_PERSONAL_ACCESS_TOKEN= AZURE_CLIENT_SECRET= \
	    GOOGLE_APPLICATION_CREDENTIALS= AWS_ACCESS_KEY_ID= \
	    AWS_SECRET_ACCESS_KEY= "HOME=$tmp" \
	    "XDG_STATE_HOME=$tmp/state" "XDG_CONFIG_HOME=$tmp/config" \
	    "AW_DATADIR=$AW_SRCDIR/data" -- \
	    "$AW_BIN" --dns-server "127.0.0.1:$port" --dns-timeout 2 "$1"
}
# Overview -> SPF -> DKIM -> DMARC -> PTR/HELO -> review -> where.
to_target() {   # DOMAIN
	check "$1: the overview opens" tm_wait "authwizard  $1"
	check "$1: the checks fill in" tm_wait "v=spf1 -all" 20
	tm_keys Enter
	check "$1: SPF step" tm_wait "Record:  v=spf1"
	tm_keys Enter
	check "$1: DKIM step" tm_wait "Which service signs your mail?"
	tm_keys Enter
	check "$1: DMARC step" tm_wait "Record:  v=DMARC1; p=none"
	tm_keys Enter
	check "$1: PTR/HELO step" tm_wait "Sending IP:"
	tm_keys Enter
	check "$1: the MTA-STS step" tm_wait "_smtp._tls"
	tm_keys Enter
	check "$1: BIMI step, not offered at p=none" tm_wait "BIMI is not offered"
	tm_keys Enter
	check "$1: the review adds the DMARC record" tm_wait "+ v=DMARC1; p=none" 20
	tm_keys Enter
	check "$1: where to apply" tm_wait "Where is the zone hosted?"
}

# --- Every host with an API path: a zone at its name servers preselects
# it. Cloudflare's run also walks to the RFC 2136 host (every provider of
# the table is offered, with its settings).
while IFS=$'\t' read -r id name provider; do
	row=${title[$provider]:-}
	[ -n "$row" ]; ok $? "$id: the test knows provider $provider's menu title"
	[ -f "$AW_SRCDIR/tests/zones/dnshosts/$id.hosts.test.zone" ]
	ok $? "$id: a test zone is delegated to its name servers"
	[ -n "$row" ] || continue
	wizard "$id.hosts.test"
	to_target "$id.hosts.test"
	check "$id: the screen names the host found from NS ($name)" \
	    tm_wait "Its name servers are $name's: preselected below."
	tm_screen | sed -E 's/^ +//; s/ +$//' | grep -qxF "> ${row%%|*}"
	ok $? "$id: ${row%%|*} is the current choice"
	check "$id: its credential field is shown (${row#*|})" tm_wait "${row#*|}"
	tm_screen | grep -Eq '^ *> Show the records'; [ $? -ne 0 ]
	ok $? "$id: show is not the current choice"
	if [ "$provider" = cloudflare ]; then
		tm_keys Down Down Down
		check "the RFC 2136 host is offered" tm_wait "RFC 2136 name server"
		tm_screen | grep -Eq '^ *> RFC 2136'; ok $? "Down moves to it"
		check "with its settings from its option table" tm_wait "TSIG key name"
		check "its secret's variable is named" tm_wait "RFC2136_TSIG_SECRET"
	fi
	tm_keys q
	tm_wait "EXITED-" 10 || tm_keys y
	check "$id: the wizard ends" tm_wait "EXITED-" 10
	tm_stop
done <<<"$hosts"

# --- Namecheap (no API path): show the records, in Namecheap's form.
wizard namecheap.hosts.test
to_target namecheap.hosts.test
check "namecheap: the screen names the host found from NS" \
    tm_wait "Its name servers are Namecheap's: preselected below."
tm_screen | grep -Eq '^ *> Show the records'; ok $? "namecheap: show the records is the current choice"
check "namecheap: it says the form's way is used" \
    tm_wait "The records are shown the way Namecheap's form wants them"
tm_keys Enter
check "namecheap: the records in Namecheap's form" tm_wait "In Namecheap's form (name, type, value):"
dmarc="v=DMARC1; p=none; rua=mailto:dmarc-reports@namecheap.hosts.test"
s=$(tm_screen)
echo "$s" | grep -Eq "^  _dmarc +TXT +$dmarc\$"
ok $? "namecheap: _dmarc relative to the zone, the TXT unquoted"
# (wrapped at the window's width: its start)
echo "$s" | grep -qF '_dmarc.namecheap.hosts.test. 3600 IN TXT "v=DMARC1; p=none;'
ok $? "namecheap: and the zone-file line to copy"
form=$(echo "$s" | grep -n "In Namecheap's form" | cut -d: -f1)
zone=$(echo "$s" | grep -n "zone-file lines" | cut -d: -f1)
[ -n "$form" ] && [ -n "$zone" ] && [ "$form" -lt "$zone" ]; ok $? "namecheap: the form's lines come first ($form < $zone)"
tm_keys Enter
check "namecheap: the recheck watches for the records" tm_wait "of 1 servers" 20
check "namecheap: not published yet" tm_wait "not yet"
tm_keys q
check "namecheap: q leaves, exit status 0" tm_wait "EXITED-0"
tap_done
