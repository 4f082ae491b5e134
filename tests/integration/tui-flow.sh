#!/usr/bin/env bash
# tui-flow.sh: the wizard on the test bed as a person uses it: the overview
# fills from live DNS, then SPF (filter, unpick a sender, lookup count),
# DKIM (a CNAME from the catalog with the account typed), DMARC policy,
# review, and the records shown as zone-file lines; a resize on the way.
: "${AW_BIN:?}" "${AW_SRCDIR:?}" "${AW_TB_DNS:?}"
TM=aw-flow-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
trap tm_stop EXIT

tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- \
    "$AW_BIN" --dns-server "$AW_TB_DNS" --dns-timeout 2 wizard.test
check "the overview opens on the domain" tm_wait "authwizard  wizard.test"
check "the SPF row fills: two SPF records are an error" tm_wait "2 SPF records"
check "the DMARC row says missing" tm_wait "no DMARC record"
check "the DKIM row finds the CNAME to nowhere" tm_wait "selector k2 points (CNAME) to a name with no key"
check "the MX row lists the host" tm_wait "10 mx.wizard.test"
check "the verification TXT row counts the record" tm_wait "1 verification record"
check "the PTR row checks the SPF's sending IP" tm_wait "192.0.2.10: no forward-confirmed PTR"
check "the status line says what the keys do" tm_wait "Enter: set it up"
# Issue 19: the mailbox providers' sender rules, judged once the check
# finished; two SPF records and no DMARC fail them.
check "the overview sums up the sender rules" tm_wait "Gmail/Yahoo/Outlook.com sender rules: 0 of 4 DNS rules pass (failing: spf"
check "and names where each rule is listed" tm_wait "authwizard check --requirements lists each rule with its source."
s=$(tm_screen)
echo "$s" | grep -E '^> SPF +error' >/dev/null; ok $? "the SPF row is the current one and says error"

lookups() { tm_screen | sed -n 's/.*DNS lookups: \([0-9]*\) of 10.*/\1/p' | head -1; }
tm_keys Enter
check "Enter opens the SPF step with the merged record" tm_wait "include:spf.mailjet.com"
check "the lookup count is shown" tm_wait "DNS lookups: "
# The count is the lookup tree's over the zone as it will be, as `check`
# counts: a, mx and six includes (the test bed serves no vendor records).
check "the count settles on the lookup tree's" tm_wait "DNS lookups: 8 of 10"
n1=$(lookups)
tm_wait_gone "RFC 7208 §4.6.4" 5; ok $? "within the limit, no lookup-limit warning"
tm_type "zend"
check "typing filters the sender list" tm_wait "filter: zend"
tm_keys Space
check "unpicking Zendesk lowers the count" tm_wait "DNS lookups: $((n1 - 1)) of 10"
tm_keys Escape Tab
tm_type "198.51.100.7"
tm_keys Enter
check "an own IP is added as ip4:" tm_wait "ip4:198.51.100.7"
tm_keys Escape

# Resize mid-flow: smaller, then back; the screen is drawn again.
tm resize-window -t w -x 80 -y 24
check "after a resize to 80x24 the step is redrawn" tm_wait "DNS lookups: $((n1 - 1)) of 10"
[ "$(tm_screen | wc -l)" -le 24 ] && tm_screen | tail -1 | grep -q "Space: pick"
ok $? "the status line is on the last of 24 lines"
tm resize-window -t w -x 100 -y 30
check "and again at 100x30" tm_wait "Services that send mail as wizard.test"
# Go on only once the wizard has redrawn at the new size: its status line
# is then the 30th line.
redrawn=1
for _ in $(seq 1 200); do
	if [ "$(tm_screen | sed -n 30p | grep -c 'Space: pick')" -eq 1 ]; then redrawn=0; break; fi
	sleep 0.05
done
ok $redrawn "the status line moves to the 30th line"

tm_keys Enter
check "Enter goes on to DKIM" tm_wait "Which service signs your mail?"
tm_type "sendg"
check "typing filters the services" tm_wait "filter: sendg"
tm_keys Space
check "choosing SendGrid asks for the account part" tm_wait "Type the account part"
tm_type "1234 1"
check "the CNAMEs come from the catalog with the account filled in" \
    tm_wait "s1._domainkey.wizard.test CNAME s1.domainkey.u1234."
tm_keys Enter
check "DMARC step" tm_wait "Aggregate reports to:"
tm_keys Down
check "Down chooses quarantine" tm_wait "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@wizard.test"
tm_keys Enter
check "PTR/HELO step lists the sending IP" tm_wait "192.0.2.10"
check "and shows the request for the IP owner" tm_wait "please set the reverse DNS (PTR) record of our IP address 192.0.2.10"
tm_keys Enter
check "the MTA-STS step, left as it is" tm_wait "_smtp._tls"
tm_keys Enter
check "BIMI step: not offered (DMARC not at enforcement)" tm_wait "BIMI is not offered"
tm_keys Enter
check "the review shows the whole diff" tm_wait "changes to the zone of wizard.test. Nothing is applied yet."
s=$(tm_screen)
echo "$s" | grep -q "replace TXT wizard.test"; ok $? "review: the two SPF records are replaced by one"
echo "$s" | grep -q "add CNAME s1._domainkey.wizard.test"; ok $? "review: the DKIM CNAME is added"
echo "$s" | grep -q "delete CNAME k2._domainkey.wizard.test"; ok $? "review: the CNAME to nowhere goes"
# The preflight's findings are above the diff: its end is scrolled to.
tm_keys Down Down Down Down Down Down
check "review: the DMARC record is added" tm_wait "+ v=DMARC1; p=quarantine"
tm_keys Enter
check "where to apply" tm_wait "Where is the zone hosted?"
tm_keys Enter
check "show the records: zone-file lines" \
    tm_wait '_dmarc.wizard.test. 3600 IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@wizard.test"'
check "the CNAME as a zone-file line" \
    tm_wait "s1._domainkey.wizard.test. 3600 IN CNAME s1.domainkey.u1234."
tm_keys '?'
check "? opens the help here too" tm_wait "Any key closes this help."
tm_keys Escape
tm_wait_gone "Any key closes this help." 5; ok $? "any key closes it"
tm_keys Enter
check "Enter after the records: the recheck watches the server" tm_wait "of 1 servers"
check "nothing was published, so: not yet" tm_wait "not yet"
check "the deleted alias is still there" tm_wait "Published: 0 of"
tm_keys q
check "q leaves: exit status 0" tm_wait "EXITED-0"
check "nothing was applied and it says so" tm_wait "Nothing was changed."
check "the terminal is back in cooked mode (icanon, echo)" tm_wait "icanon echo"
tap_done
