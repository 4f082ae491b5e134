#!/usr/bin/env bash
# demo.sh (`make demo`): the whole flow without any account or network.
# Starts the local test bed (Knot + PowerDNS on loopback), creates the
# domain demo.test through the PowerDNS API with records wrong in the
# usual ways, and opens the wizard on it with the PowerDNS provider ready:
#   - two SPF records, 11 DNS lookups between them
#   - no DMARC record
#   - a DKIM selector (k2) that is a CNAME to a name with no key
#   - a sending IP (in SPF) without reverse DNS
# The test bed stops when the wizard exits.
# Env: AW_BIN (default build/authwizard), DEMO_DOMAIN (default demo.test).
# `demo.sh --setup-only` only creates the domain at the PowerDNS of a test
# bed already running (AW_TB_PDNS_API, AW_TB_PDNS_KEY set): the tmux tests
# use it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${AW_BIN:-$top/build/authwizard}
domain=${DEMO_DOMAIN:-demo.test}
setup_only=0
[ "${1:-}" = --setup-only ] && setup_only=1

if [ "$setup_only" = 0 ]; then
	[ -x "$bin" ] || { echo "demo: build first (make)" >&2; exit 1; }
	# Everything the demo writes (the test bed, the journal, a generated
	# DKIM key, settings) stays in one temporary directory, removed at
	# the end: never the user's own ~/.local/state or ~/.config.
	demo_dir=$(mktemp -d "${TMPDIR:-/tmp}/aw-demo.XXXXXX")
	export AW_TESTBED_DIR="${AW_TESTBED_DIR:-$demo_dir/testbed}"
	export XDG_STATE_HOME="$demo_dir/state" XDG_CONFIG_HOME="$demo_dir/config" \
	    XDG_CACHE_HOME="$demo_dir/cache" XDG_DATA_HOME="$demo_dir/data"
	echo "Starting the local DNS test bed (Knot and PowerDNS on 127.0.0.1)..."
	if ! env_out=$("$top/tests/testbed.sh" start); then
		echo "demo: the test bed did not start:" >&2
		printf '%s\n' "$env_out" >&2
		exit 1
	fi
	eval "$env_out"
	stop() { "$top/tests/testbed.sh" stop >/dev/null 2>&1; rm -rf "$demo_dir"; }
	trap stop EXIT
	trap 'exit 130' INT TERM
fi
: "${AW_TB_PDNS_API:?}" "${AW_TB_PDNS_KEY:?}"

api() {
	curl -sS -o /dev/null -w '%{http_code}' -H "X-API-Key: $AW_TB_PDNS_KEY" \
	    -H 'Content-Type: application/json' "$@"
}
txt() { printf '{"content": "\\"%s\\"", "disabled": false}' "$1"; }
rrset() {   # name type "content-json,..."
	printf '{"name": "%s", "type": "%s", "ttl": 300, "changetype": "REPLACE", "records": [%s]}' "$1" "$2" "$3"
}
d="$domain."
# Google Workspace signs with a key at google._domainkey (a real 2048-bit
# key of the test bed's).
dkim_key=$(sed -n 's/^s2048\._domainkey TXT //p' "$top/tests/zones/example.test.zone" | tr -d '" ')
dkim_key=${dkim_key/k=rsa;/k=rsa; }
dkim_key=${dkim_key/DKIM1;/DKIM1; }
zone=$(cat <<JSON
{"name": "$d", "kind": "Native", "nameservers": ["ns1.$d"], "rrsets": [
 $(rrset "ns1.$d" A '{"content": "127.0.0.1", "disabled": false}'),
 $(rrset "$d" A '{"content": "192.0.2.80", "disabled": false}'),
 $(rrset "$d" MX '{"content": "10 mx.'"$d"'", "disabled": false}'),
 $(rrset "mx.$d" A '{"content": "192.0.2.25", "disabled": false}'),
 $(rrset "$d" TXT "$(txt 'v=spf1 a mx include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net ~all'),
   $(txt 'v=spf1 ip4:192.0.2.10 include:servers.mcsv.net include:mail.zendesk.com include:spf.mailjet.com -all'),
   $(txt 'google-site-verification=demo-123')"),
 $(rrset "google._domainkey.$d" TXT "$(txt "$dkim_key")"),
 $(rrset "k2._domainkey.$d" CNAME '{"content": "dkim.gone.'"$d"'", "disabled": false}')
]}
JSON
)
api -X DELETE "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$d" >/dev/null
code=$(api -X POST --data "$zone" "$AW_TB_PDNS_API/api/v1/servers/localhost/zones")
if [ "$code" != 201 ]; then
	echo "demo: PowerDNS did not create $domain (HTTP $code)" >&2
	exit 1
fi
[ "$setup_only" = 1 ] && exit 0
# The parent zone, empty, so the DMARC tree walk (RFC 9989 §4.10) ends
# in NXDOMAIN at _dmarc.test instead of a refusal. Only in the demo's own
# test bed.
parent=${domain#*.}
api -X POST --data '{"name": "'"$parent"'.", "kind": "Native", "nameservers": ["ns1.'"$d"'"]}' \
    "$AW_TB_PDNS_API/api/v1/servers/localhost/zones" >/dev/null
# The senders' SPF includes and the sending IP's reverse zone, as their
# owners would serve them (tests/zones/demo), so that every lookup of the
# demo is answered offline.
for f in "$top"/tests/zones/demo/*.zone; do
	z=$(basename "$f" .zone)
	body=$(/usr/bin/python3 -c 'import json,sys
print(json.dumps({"name": sys.argv[1] + ".", "kind": "Native", "zone": open(sys.argv[2]).read()}))' "$z" "$f")
	code=$(api -X POST --data "$body" "$AW_TB_PDNS_API/api/v1/servers/localhost/zones")
	[ "$code" = 201 ] || { echo "demo: PowerDNS did not create $z (HTTP $code)" >&2; exit 1; }
done
echo "Created $domain at PowerDNS ($AW_TB_PDNS_API), served on $AW_TB_PDNS_DNS."
echo "Opening the wizard; q quits (and stops the test bed)."
PDNS_API_URL=$AW_TB_PDNS_API PDNS_API_KEY=$AW_TB_PDNS_KEY \
    "$bin" --dns-server "$AW_TB_PDNS_DNS" --provider powerdns "$domain"
rc=$?
echo "The records PowerDNS holds for $domain now:"
curl -sS -H "X-API-Key: $AW_TB_PDNS_KEY" \
    "$AW_TB_PDNS_API/api/v1/servers/localhost/zones/$d" |
    /usr/bin/python3 -c 'import json,sys
z=json.load(sys.stdin)
for r in sorted(z.get("rrsets",[]), key=lambda r:(r["name"],r["type"])):
    if r["type"] in ("SOA","NS"): continue
    for v in r["records"]: print("  %s %s %s" % (r["name"], r["type"], v["content"]))' 2>/dev/null
exit $rc
