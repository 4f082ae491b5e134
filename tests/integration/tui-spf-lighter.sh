#!/usr/bin/env bash
# tui-spf-lighter.sh: issue 13 on the SPF step. costly.test publishes
# "v=spf1 a mx include:_spf.leaddesk.test ... -all", 13 DNS lookups. The
# wizard counts the draft as `check` counts the published record (the
# lookup tree over the zone as it will be), names the catalog's lighter
# include as soon as the count passes 10, swaps it in on F2, and the
# record stays "-all".
: "${AW_BIN:?}" "${AW_SRCDIR:?}" "${AW_TB_DNS:?}"
TM=aw-lighter-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
xdg=$(mktemp -d)
trap 'tm_stop; rm -rf "$xdg"' EXIT
mkdir -p "$xdg/authwizard/senders.d"
cat > "$xdg/authwizard/senders.d/leaddesk-test.json" <<'JSON'
{ "id": "leaddesk-test", "name": "LeadDesk (test bed)",
  "spf": [ { "include": "_spf.leaddesk.test", "lookups": 5,
             "lighter": "_spf5.leaddesk.test" } ] }
JSON

# What `check` counts for the published record.
want=$(XDG_CONFIG_HOME="$xdg" LANG=C "$AW_BIN" check --dns-server "$AW_TB_DNS" \
    costly.test 2>/dev/null | sed -n 's/.*costs \([0-9]*\) DNS lookups.*/\1/p' | head -1)
[ "$want" = 13 ]; ok $? "check counts 13 lookups for costly.test ($want)"

tm_start 100 32 LANG=C.UTF-8 LC_ALL=C.UTF-8 "XDG_CONFIG_HOME=$xdg" -- \
    "$AW_BIN" --dns-server "$AW_TB_DNS" --dns-timeout 2 costly.test
check "the overview fills" tm_wait "no DMARC record"
tm_keys Enter
check "the SPF step opens with the published record" tm_wait "include:big.costly.test -all"
check "the wizard's count is check's count" tm_wait "DNS lookups: $want of 10"
check "the lighter include is named" \
    tm_wait "LeadDesk (test bed) offers the lighter include include:_spf5.leaddesk.test: F2 uses it"
tm_keys F2
check "F2 swaps the lighter include in" tm_wait "mx include:_spf5.leaddesk.test"
check "the count drops under the limit" tm_wait "DNS lookups: 9 of 10"
s=$(tm_screen)
echo "$s" | grep -q "_spf.leaddesk.test"; [ $? -ne 0 ]; ok $? "the heavy include is gone from the record"
echo "$s" | grep -q "include:_spf5.leaddesk.test include:_spf.esp.test"; ok $? "the lighter include takes the heavy one's place"
echo "$s" | grep -qE "include:big.costly.test -all\$|^ *-all\$|costly.test -all *\$"; ok $? "the record stays -all"
echo "$s" | grep -q "offers the lighter include"; [ $? -ne 0 ]; ok $? "the hint is gone under the limit"
tm_keys q
check "q leaves" tm_wait "EXITED-0"
tap_done
