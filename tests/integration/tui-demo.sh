#!/usr/bin/env bash
# tui-demo.sh: `make demo` (tests/demo.sh) starts its own test bed, creates
# the broken sample domain at PowerDNS and opens the wizard on it, which
# sees every problem; quitting stops the test bed.
: "${AW_BIN:?}" "${AW_SRCDIR:?}"
TM=aw-demo-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/aw-demo-test.XXXXXX")
trap 'tm_stop; AW_TESTBED_DIR=$dir/tb "$AW_SRCDIR/tests/testbed.sh" stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 "AW_TESTBED_DIR=$dir/tb" "AW_BIN=$AW_BIN" -- \
    "$AW_SRCDIR/tests/demo.sh"
check "demo: the wizard opens on demo.test" tm_wait "authwizard  demo.test" 60
check "demo: two SPF records" tm_wait "2 SPF records" 20
check "demo: no DMARC" tm_wait "no DMARC record"
check "demo: the DKIM CNAME to nowhere" tm_wait "selector k2 points (CNAME) to a name with no key"
tm_keys Enter
check "demo: the SPF step counts the lookups" tm_wait "DNS lookups: "
n=$(tm_screen | sed -n 's/.*DNS lookups: \([0-9]*\) of 10.*/\1/p' | head -1)
[ "${n:-0}" -gt 10 ]; ok $? "demo: more than 10 lookups ($n)"
pids=$(cat $(find "$dir/tb" -name '*.pid') 2>/dev/null)
[ -n "$pids" ]; ok $? "demo: the test bed runs (PIDs $(echo $pids))"
tm_keys q
check "demo: the wizard exits cleanly" tm_wait "EXITED-0" 20
check "demo: it lists what PowerDNS holds" tm_wait "demo.test. TXT"
alive=0
for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
[ "$alive" -eq 0 ]; ok $? "demo: the test bed was stopped"
tap_done
