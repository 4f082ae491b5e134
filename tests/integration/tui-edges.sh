#!/usr/bin/env bash
# tui-edges.sh: the wizard at the edges a person meets: asked for the domain
# in German at 80x24, an IDN domain, quitting mid-flow with Ctrl-C (the
# terminal comes back clean, nothing applied), NO_COLOR, and no DNS at all
# (it says so within seconds and stays responsive).
: "${AW_BIN:?}" "${AW_SRCDIR:?}" "${AW_TB_DNS:?}"
TM=aw-edges-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
trap tm_stop EXIT

# 1. German, 80x24, no domain given: it asks.
tm_start 80 24 LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 "AW_LOCALEDIR=$AW_LOCALEDIR" -- \
    "$AW_BIN" --dns-server "$AW_TB_DNS"
check "de: without a domain the first screen asks for one" tm_wait "Domain:"
check "de: the status line speaks German" tm_wait "Domain eingeben   Enter: prüfen"
tm_type "wizard.test"
tm_keys Enter
check "de: the overview in German" tm_wait "Was gefunden wurde"
check "de: rows fill in German" tm_wait "kein DMARC-Eintrag"
check "de: the DKIM row in German" tm_wait "Selektor k2 verweist (CNAME)"
[ "$(tm_screen | wc -l)" -le 24 ]; ok $? "de: everything fits 80x24"
tm_keys '?'
check "de: ? opens the help" tm_wait "Jede Taste schließt diese Hilfe."
tm_keys Space
tm_wait_gone "Jede Taste schließt" 5; ok $? "de: a key closes the help"
tm_keys Enter
check "de: the SPF step" tm_wait "DNS-Abfragen: "
# The key hints fit 78 columns: the status line ends with q.
tm_screen | grep -F "Leer: wählen" | grep -qF "?: Hilfe  q: Ende"; ok $? "de: the SPF step's status line at 80x24 shows q: (not cut)"
tm_keys Enter Enter
check "de: the DMARC step explains the staged path" tm_wait "Der Weg in Stufen"
# 2. Quit mid-flow with Ctrl-C.
tm_keys C-c
check "Ctrl-C mid-flow leaves with status 0" tm_wait "EXITED-0"
check "it says nothing was changed (in German)" tm_wait "Es wurde nichts geändert."
check "the terminal is back in cooked mode" tm_wait "icanon echo"
tm_screen | grep -q "Überblick"; [ $? -ne 0 ]; ok $? "the wizard's screen is gone (alternate screen left)"
tm_stop

TM=aw-edges-$$-idn
# 3. An IDN domain typed in Unicode is checked as A-labels and shown in Unicode.
tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- \
    "$AW_BIN" --dns-server "$AW_TB_DNS" bücher.example.test
check "IDN: the title shows the Unicode name" tm_wait "authwizard  bücher.example.test"
check "IDN: its SPF record was found at the A-label name" tm_wait "v=spf1 -all"
tm_keys q
check "IDN: q leaves" tm_wait "EXITED-0"
tm_stop

TM=aw-edges-$$-color
# 4. Colour, and none with NO_COLOR.
tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color -- \
    "$AW_BIN" --dns-server "$AW_TB_DNS" wizard.test
check "colour: the overview is up" tm_wait "no DMARC record"
tm capture-pane -e -p -t w | grep -q $'\e\\[[0-9;]*3[1-6]m'; ok $? "colour: status words are coloured"
tm_keys q; tm_wait "EXITED-0" >/dev/null; tm_stop
TM=aw-edges-$$-nocolor
tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color NO_COLOR=1 -- \
    "$AW_BIN" --dns-server "$AW_TB_DNS" wizard.test
tm_wait "no DMARC record" >/dev/null
tm capture-pane -e -p -t w | grep -q $'\e\\[[0-9;]*3[0-7]m'; [ $? -ne 0 ]; ok $? "NO_COLOR: no colour at all"
tm capture-pane -e -p -t w | grep -q $'\e\\[[0-9;]*7m'; ok $? "NO_COLOR: the current row still stands out (reverse)"
tm_keys q; tm_wait "EXITED-0" >/dev/null; tm_stop

TM=aw-edges-$$-hostile
# 5. Hostile answers: escape sequences are shown as text, never sent.
tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- \
    "$AW_BIN" --dns-server "$AW_TB_DNS" hostile.test
check "hostile: the ANSI sequence in SPF is shown escaped" tm_wait 'v=spf1 \x1B[31mred\x1B[0m'
tm capture-pane -e -p -t w | grep -q $'\e\\]0;pwned'; [ $? -ne 0 ]; ok $? "hostile: no OSC sequence reached the terminal"
title=$(tm display-message -p -t w '#{pane_title}')
[ "$title" != pwned ]; ok $? "hostile: the window title was not changed (it is '$title')"
tm_keys Enter
check "hostile: the SPF step drops the invalid terms" tm_wait "were not valid SPF and were left out"
tm_screen | grep -F "Record:" | grep -q 'x1B'; [ $? -ne 0 ]; ok $? "hostile: the draft holds no control characters"
tm resize-window -t w -x 40 -y 10
check "a tiny terminal gets a message, not a crash" tm_wait "too small"
tm resize-window -t w -x 100 -y 30
check "and the wizard comes back when it grows" tm_wait "Services that send mail as hostile.test"
tm_keys q
check "hostile: q leaves" tm_wait "EXITED-0"
tm_stop

TM=aw-edges-$$-nodns
# 6. No DNS: a server that never answers.
pf="${TMPDIR:-/tmp}/aw-edges-$$.port"
rm -f "$pf"
/usr/bin/python3 - "$pf" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(120)          # holds the port, never answers
PY
silent_pid=$!
trap 'tm_stop; kill $silent_pid 2>/dev/null; rm -f "$pf"' EXIT
for _ in $(seq 1 100); do [ -s "$pf" ] && break; sleep 0.05; done
port=$(cat "$pf")
start=$(date +%s)
tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- \
    "$AW_BIN" --dns-server "127.0.0.1:$port" --dns-timeout 1 --dns-tries 1 wizard.test
check "no DNS: the overview is up at once, checking" tm_wait "Checking..." 3
tm_keys '?'
check "no DNS: the UI answers keys while the lookups wait" tm_wait "Any key closes this help." 2
tm_keys Escape
check "no DNS: it says so" tm_wait "No answer from DNS" 10
elapsed=$(( $(date +%s) - start ))
[ "$elapsed" -le 10 ]; ok $? "no DNS: said within 10 seconds (took ${elapsed}s)"
tm_keys q
check "no DNS: q leaves at once" tm_wait "EXITED-0" 3
tap_done
