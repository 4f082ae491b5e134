#!/usr/bin/env bash
# tui-rough.sh: issue 14's rough edges, as a new user meets them: the
# review scrolled past its end keeps its last lines (never back to the
# top) and says what is above and below; "?" opens the help from a text
# field; SendGrid's two values in one field say how they are separated;
# the German DKIM list at 80x24 says it has more entries than lines; the
# Finnish DMARC labels keep a space before their fields; cut names end
# with a marker;
# a domain that does not exist is called NXDOMAIN; the spinner is
# never drawn as "\\".
: "${AW_BIN:?}" "${AW_SRCDIR:?}" "${AW_TB_DNS:?}"
TM=aw-rough-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
state=$(mktemp -d "${TMPDIR:-/tmp}/aw-tui-rough.XXXXXX")
silent_pid=
trap 'tm_stop; [ -n "$silent_pid" ] && kill "$silent_pid" 2>/dev/null; rm -rf "$state"' EXIT

# 1. The review at 80x16: more lines than fit.
tm_start 80 16 LANG=C.UTF-8 LC_ALL=C.UTF-8 "XDG_STATE_HOME=$state" -- \
    "$AW_BIN" --dns-server "$AW_TB_DNS" --dns-timeout 2 wizard.test
check "the overview fills" tm_wait "no DMARC record" 20
tm_keys Enter
check "SPF step" tm_wait "DNS lookups: "
tm_keys Enter
check "DKIM step" tm_wait "Which service signs your mail?"
tm_keys Enter
check "DMARC step" tm_wait "Aggregate reports to:"
# 2. ? in a text field opens the help; the field keeps its text.
tm_keys Tab
tm_type "?"
check "? in the report address field opens the help" tm_wait "Any key closes this help."
tm_keys Escape
tm_wait_gone "Any key closes this help." 5; ok $? "a key closes it"
tm_screen | grep -F "dmarc-reports@wizard.test" | grep -qF "?"; [ $? -ne 0 ]; ok $? "the ? was not typed into the field"
tm_keys Escape Enter
check "PTR/HELO step" tm_wait "192.0.2.10"
tm_keys Enter
check "the MTA-STS step" tm_wait "_smtp._tls"
tm_keys Enter
check "BIMI step: not offered (DMARC not at enforcement)" tm_wait "BIMI is not offered"
tm_keys Enter
check "the review" tm_wait "changes to the zone of wizard.test"
check "it says there is more below" tm_wait "more lines (Down: scroll)"
for _ in $(seq 1 80); do tm_keys Down; done
check "scrolled to the end it says what is above" tm_wait "more lines (Up: scroll)"
tm_wait_gone "(Down: scroll)" 5; ok $? "and nothing is left below"
s=$(tm_screen)
n=$(echo "$s" | grep -cE '^ +[-+#!] |^  (add|replace|delete|request) ')
[ "$n" -ge 1 ]; ok $? "scrolled past the end, the last lines stay in view ($n diff lines shown)"
tm_keys Down Down Down
tm_screen | grep -qF "(Up: scroll)"; ok $? "more Down keys do not snap back to the top"
tm_keys q
tm_wait "EXITED-" 5 >/dev/null
tm_stop

# 2b. SendGrid's two values in one field: it says how to separate them,
# and an old error goes once the input is valid.
TM=aw-rough-$$-sg
tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 "XDG_STATE_HOME=$state" -- \
    "$AW_BIN" --dns-server "$AW_TB_DNS" --dns-timeout 2 wizard.test
check "SendGrid: the overview fills" tm_wait "no DMARC record" 20
tm_keys Down Enter
check "SendGrid: the DKIM step" tm_wait "Which service signs your mail?"
tm_type "sendg"
tm_keys Space
check "SendGrid: the field says how its two values are separated" \
    tm_wait "2 values: separate them with spaces or commas"
tm_type "42!"
tm_keys Enter
check "SendGrid: a bad account part is said" tm_wait "type the account part (letters"
tm_keys BSpace
tm_wait_gone "type the account part (letters" 5; ok $? "SendGrid: the old error goes with the next edit"
tm_type " 7"
check "SendGrid: both values are used" tm_wait "s1._domainkey.wizard.test CNAME s1.domainkey.u42.wl7."
tm_keys q
tm_wait "EXITED-" 5 >/dev/null
tm_stop

# 2c. The German DKIM list at 80x24 has more services than lines: it
# says so.
TM=aw-rough-$$-de
tm_start 80 24 LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 \
    "AW_LOCALEDIR=${AW_LOCALEDIR:-$AW_BUILD/locale}" "XDG_STATE_HOME=$state" -- \
    "$AW_BIN" --dns-server "$AW_TB_DNS" --dns-timeout 2 wizard.test
check "de: the overview fills" tm_wait "kein DMARC-Eintrag" 20
tm_keys Down Enter
check "de: the DKIM list says there are more entries than lines" \
    tm_wait "weitere (tippen zum Filtern)"
tm_keys q
tm_wait "EXITED-" 5 >/dev/null
tm_stop

# 2d. Finnish at 80x24: the DMARC labels are longer than in English; the
# field starts after a space. The SPF list cuts a long name with a marker.
TM=aw-rough-$$-fi
tm_start 80 24 LANG=fi_FI.UTF-8 LC_ALL=fi_FI.UTF-8 \
    "AW_LOCALEDIR=${AW_LOCALEDIR:-$AW_BUILD/locale}" "XDG_STATE_HOME=$state" -- \
    "$AW_BIN" --dns-server "$AW_TB_DNS" --dns-timeout 2 wizard.test
check "fi: the overview" tm_wait "authwizard  wizard.test" 20
tm_keys Enter
tm_type "transac"
check "fi: the SPF list filtered" tm_wait "Mailchimp Transactional"
tm_screen | grep -qE "Mailchimp Transactional \(M?.*…"; ok $? "fi: a name cut to fit ends with a marker"
tm_keys Escape Enter Enter
check "fi: the DMARC step" tm_wait "Koosteraportit osoitteeseen:"
tm_screen | grep -E "Koosteraportit osoitteeseen: +dmarc-reports@wizard.test" >/dev/null
ok $? "fi: a space between the label and the address"
tm_keys q
tm_wait "EXITED-" 5 >/dev/null
tm_stop

# 3. A domain that does not exist is called that.
TM=aw-rough-$$-nx
tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 "XDG_STATE_HOME=$state" -- \
    "$AW_BIN" --dns-server "$AW_TB_DNS" --dns-timeout 2 nosuch.wizard.test
check "NXDOMAIN: the SPF row names it" tm_wait "no such domain (NXDOMAIN)" 20
tm_keys q
tm_wait "EXITED-" 5 >/dev/null
tm_stop

# 4. The spinner while the checks wait on a silent server.
TM=aw-rough-$$-spin
pf="$state/port"
/usr/bin/python3 - "$pf" <<'PY' &
import os, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(60)           # holds the port, never answers
PY
silent_pid=$!
for _ in $(seq 1 100); do [ -s "$pf" ] && break; sleep 0.05; done
tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 "XDG_STATE_HOME=$state" -- \
    "$AW_BIN" --dns-server "127.0.0.1:$(cat "$pf")" --dns-timeout 3 --dns-tries 1 wizard.test
check "the checks are running" tm_wait "checking" 5
bad=0
for _ in $(seq 1 20); do
	tm_screen | grep -qF '\\' && bad=1
	tm_screen | grep -q "checking" || break
	sleep 0.1      # sampling the spinner's frames, not waiting for one
done
[ "$bad" -eq 0 ]; ok $? "the spinner is never drawn as a doubled backslash"
tm_keys q
check "q leaves" tm_wait "EXITED-0" 5
tap_done
