#!/usr/bin/env bash
# tui-interrupt.sh: q while changes are being sent. The Cloudflare stand-in
# (tests/fakes/cloudflare_fake.py) holds every write for a minute; the
# wizard asks once (q), then leaves on Ctrl-C with the terminal restored,
# lists what was and was not applied (the one being sent as unknown), says
# how to undo, exits 5 (partial), and the journal marks the change that
# was under way so `authwizard undo` can revert it.
: "${AW_BIN:?}" "${AW_SRCDIR:?}" "${AW_TB_DNS:?}"
TM=aw-intr-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aw-tui-intr.XXXXXX")
fake_pid=
cleanup() {
	tm_stop
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

/usr/bin/python3 "$AW_SRCDIR/tests/fakes/cloudflare_fake.py" >"$tmp/fake.out" 2>"$tmp/fake.err" &
fake_pid=$!
port=
end=$(( $(date +%s) + 20 ))
while [ -z "$port" ] && [ "$(date +%s)" -le "$end" ]; do
	port=$(sed -n 's/^PORT \([0-9]*\)$/\1/p' "$tmp/fake.out")
	[ -z "$port" ] && sleep 0.05
done
[ -n "$port" ]; ok $? "the Cloudflare stand-in listens (port $port)"
base=http://127.0.0.1:$port
ctl() { curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data "$2" "$base/__fake/$1"; }
code=$(ctl seed '{"tokens": {"tok-edit": "edit"}, "zones": [{"name": "wizard.test", "records": [
  {"type": "TXT", "name": "wizard.test", "content": "\"v=spf1 ip4:192.0.2.10 -all\"", "ttl": 300}]}]}')
[ "$code" = 200 ]; ok $? "the stand-in holds wizard.test (HTTP $code)"
for mth in POST PUT PATCH DELETE; do
	ctl fault '{"method": "'$mth'", "path": "/dns_records", "delay": 60, "times": 10}' >/dev/null
done

tm_start 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 "CLOUDFLARE_BASE_URL=$base/client/v4" \
    CLOUDFLARE_API_TOKEN=tok-edit "XDG_STATE_HOME=$tmp/state" "AW_DATADIR=$AW_SRCDIR/data" -- \
    "$AW_BIN" --dns-server "$AW_TB_DNS" --dns-timeout 2 --provider cloudflare wizard.test
check "the overview opens" tm_wait "authwizard  wizard.test"
check "the checks fill in" tm_wait "2 SPF records" 20
tm_keys Enter
check "SPF step" tm_wait "DNS lookups: "
tm_keys Enter Enter Enter Enter
check "the MTA-STS step" tm_wait "_smtp._tls"
tm_keys Enter
check "BIMI step: not offered (DMARC not at enforcement)" tm_wait "BIMI is not offered"
tm_keys Enter
check "the review shows Cloudflare's plan" tm_wait "The plan at Cloudflare" 20
tm_keys Enter
check "where to apply: Cloudflare, token from the environment" tm_wait "from \$CLOUDFLARE_API_TOKEN"
tm_screen | grep -q tok-edit; [ $? -ne 0 ]; ok $? "the token is never drawn"
tm_keys Enter
check "it asks before applying" tm_wait "y: apply now"
tm_keys y
check "apply: a change is being sent" tm_wait "sending" 20
# "sending" is drawn when the change starts, which may be before its write
# request has gone out (a GET comes first): wait, bounded, until the
# stand-in holds the write, so that q and Ctrl-C come while it is sent.
held() {
	curl -sS "$base/__fake/log" | /usr/bin/python3 -c '
import json, sys
log = json.load(sys.stdin)["log"]
sys.exit(0 if any(e["method"] != "GET" and "/dns_records" in e["path"]
                  for e in log) else 1)'
}
end=$(( $(date +%s) + 20 ))
until held || [ "$(date +%s)" -gt "$end" ]; do sleep 0.05; done
held; ok $? "the stand-in holds the write request"
tm_keys q
check "q while sending asks once" tm_wait "Press q again to quit now"
tm_keys C-c
check "then Ctrl-C leaves: exit status 5 (partial)" tm_wait "EXITED-5" 20
check "the report lists the change under way as unknown" tm_wait "unknown (interrupted while sending)"
check "and says how to undo" tm_wait "authwizard undo wizard.test"
check "the terminal is back in cooked mode" tm_wait "icanon echo"
j=$tmp/state/authwizard/wizard.test.1.journal.json
[ -f "$j" ]; ok $? "the journal was written before the first change"
/usr/bin/python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
states = [c.get("state") for c in j.get("changes", [])]
print("# states:", states)
sys.exit(0 if "unknown" in states or "in-flight" in states else 1)' "$j"
ok $? "the journal marks the change that was being sent (unknown: undo looks at the host)"
# The second change waited for the first (one request each at Cloudflare):
# it was never sent, and the report says so, as the journal does.
tm_screen | grep -q "not applied .*_dmarc.wizard.test TXT"
ok $? "the change still waiting is reported as not applied"
said=$(tm_screen | grep -c "unknown (interrupted while sending)")
/usr/bin/python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
n = sum(c.get("state") in ("unknown", "in-flight") for c in j.get("changes", []))
print("# unknown in the journal:", n, "in the report:", sys.argv[2])
sys.exit(0 if n == int(sys.argv[2]) else 1)' "$j" "$said"
ok $? "the report calls unknown exactly what the journal does"
tap_done
