#!/usr/bin/env bash
# tui-demo.sh: `make demo` (tests/demo.sh) starts its own test bed, creates
# the broken sample domain at PowerDNS and opens the wizard on it, which
# sees every problem; the defaults of each step are applied to PowerDNS
# and the recheck converges; quitting stops the test bed.
: "${AW_BIN:?}" "${AW_SRCDIR:?}"
TM=aw-demo-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/aw-demo-test.XXXXXX")
trap 'tm_stop; AW_TESTBED_DIR=$dir/tb "$AW_SRCDIR/tests/testbed.sh" stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 "AW_TESTBED_DIR=$dir/tb" "AW_BIN=$AW_BIN" \
    "XDG_STATE_HOME=$dir/user-state" "HOME=$dir/home" -- \
    "$AW_SRCDIR/tests/demo.sh"
check "demo: the wizard opens on demo.test" tm_wait "authwizard  demo.test" 60
check "demo: two SPF records" tm_wait "2 SPF records" 20
check "demo: no DMARC" tm_wait "no DMARC record"
check "demo: the DKIM CNAME to nowhere" tm_wait "selector k2 points (CNAME) to a name with no key"
tm_keys Enter
check "demo: the SPF step counts the lookups" tm_wait "DNS lookups: "
pids=$(cat $(find "$dir/tb" -name '*.pid') 2>/dev/null)
[ -n "$pids" ]; ok $? "demo: the test bed runs (PIDs $(echo $pids))"
# The vendors' includes are served by the demo's own test bed: the lookup
# tree is counted for real (Google 4, Microsoft 2, one each for the rest).
check "demo: the includes resolve offline (12 lookups counted)" tm_wait "DNS lookups: 12 of 10" 20
# Fix, apply, recheck: the SPF records merged without Mailchimp and Zendesk
# (10 lookups), the alias to nowhere removed, DMARC p=none with reports,
# the HELO name whose forward record confirms the sending IP's PTR.
tm_keys Down Down Down Down Down Down Down Space Down Down Space
check "demo: two senders dropped, 10 lookups" tm_wait "DNS lookups: 10 of 10"
tm_keys Enter Enter Enter Tab
tm_type mail.demo.test
tm_keys Enter
check "demo: the HELO name is checked" tm_wait "HELO mail.demo.test resolves to"
tm_keys Enter
check "demo: the MTA-STS step, left as it is" tm_wait "_smtp._tls"
tm_keys Enter
check "demo: the BIMI step is not offered at p=none" tm_wait "BIMI is not offered"
tm_keys Enter
check "demo: the review shows PowerDNS's plan" tm_wait "The plan at PowerDNS" 20
tm_keys Enter
check "demo: PowerDNS is ready (credentials from the environment)" tm_wait "from \$PDNS_API_KEY"
tm_keys Enter
check "demo: it asks before applying" tm_wait "y: apply now"
tm_keys y
check "demo: applied at PowerDNS" tm_wait "Done at PowerDNS: 4 applied, 0 failed." 30
tm_keys Enter
check "demo: the recheck converges" tm_wait "Every change is published." 30
tm_keys Escape
check "demo: the fresh overview is checked" tm_wait "Verification TXT    ok" 30
for area in "SPF     " "DKIM    " "DMARC   " "PTR/HELO" "MX      "; do
	check "demo: ends with $area ok" tm_wait "$area            ok" 20
done
# The journal and any key went to the demo's own directory, not the user's.
[ ! -e "$dir/user-state/authwizard" ] && [ ! -e "$dir/home/.local/state/authwizard" ]
ok $? "demo: nothing written to the user's state directory"
tm_keys q
check "demo: the wizard exits cleanly" tm_wait "EXITED-0" 20
check "demo: it lists what PowerDNS holds" tm_wait "demo.test. TXT"
check "demo: PowerDNS now holds the DMARC record" tm_wait "_dmarc.demo.test. TXT \"v=DMARC1; p=none"
alive=0
for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
[ "$alive" -eq 0 ]; ok $? "demo: the test bed was stopped"
tap_done
