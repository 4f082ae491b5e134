#!/usr/bin/env bash
# tui-dnshost.sh: the wizard preselects the DNS host found from the zone's
# NS (issue 17) on the host-choice screen: a zone delegated to
# Cloudflare's name servers preselects Cloudflare (and one at deSEC's, deSEC);
# one at Namecheap (no API
# path here) preselects "show the records", which shows them the way
# Namecheap's form wants them (name relative to the zone, TXT unquoted)
# plus the zone-file lines, and the recheck still watches for them. A
# Knot of its own serves tests/zones/dnshosts/. TAP output.
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

read -r port knot_pid < <("$AW_SRCDIR/tests/testbed.sh" knot "$tmp/knot" \
    "$AW_SRCDIR"/tests/zones/dnshosts/namecheap.hosts.test.zone \
    "$AW_SRCDIR"/tests/zones/dnshosts/cloudflare.hosts.test.zone \
    "$AW_SRCDIR"/tests/zones/dnshosts/desec.hosts.test.zone)
[ -n "${port:-}" ]; ok $? "Knot serves the host zones (port ${port:-none})"

wizard() {   # DOMAIN
	tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    "AW_LOCALEDIR=${AW_LOCALEDIR:-$AW_SRCDIR/build/locale}" \
	    CLOUDFLARE_API_TOKEN= CF_API_TOKEN= DESEC_TOKEN= "HOME=$tmp" \
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

# --- Cloudflare's name servers: Cloudflare is preselected.
wizard cloudflare.hosts.test
to_target cloudflare.hosts.test
check "cloudflare: the screen names the host found from NS" \
    tm_wait "Its name servers are Cloudflare's: preselected below."
tm_screen | grep -Eq '^ *> Cloudflare'; ok $? "cloudflare: Cloudflare is the current choice"
check "cloudflare: its credential field is shown" tm_wait "CLOUDFLARE_API_TOKEN"
tm_screen | grep -Eq '^ *> Show the records'; [ $? -ne 0 ]; ok $? "cloudflare: show is not the current choice"
# Every host of the provider table is offered: RFC 2136 with its fields.
tm_keys Down Down Down
check "the RFC 2136 host is offered" tm_wait "RFC 2136 name server"
tm_screen | grep -Eq '^ *> RFC 2136'; ok $? "Down moves to it"
check "with its settings from its option table" tm_wait "TSIG key name"
check "its secret's variable is named" tm_wait "RFC2136_TSIG_SECRET"
tm_keys q
tm_wait "EXITED-" 10 || tm_keys y
check "cloudflare: the wizard ends" tm_wait "EXITED-" 10
tm_stop

# --- deSEC's name servers: deSEC (an API host added with the table) is
# preselected, with its token's variable.
wizard desec.hosts.test
to_target desec.hosts.test
check "desec: the screen names the host found from NS" \
    tm_wait "Its name servers are deSEC's: preselected below."
tm_screen | grep -Eq '^ *> deSEC'; ok $? "desec: deSEC is the current choice"
check "desec: its credential field is shown" tm_wait "DESEC_TOKEN"
tm_keys q
tm_wait "EXITED-" 10 || tm_keys y
check "desec: the wizard ends" tm_wait "EXITED-" 10
tm_stop

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
