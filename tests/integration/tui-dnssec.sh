#!/usr/bin/env bash
# tui-dnssec.sh: the overview's DNSSEC line, as a person sees it, over a
# signed tree of its own (tests/lib/dnssec_bed.py: Knot signs a test root
# and zones under it; its KSK is given with --trust-anchor): wizkey.test
# (a zone of its own, its DKIM key at a selector the wizard looks at) is
# secure (zone, MX, MX hosts, DKIM key, _mta-sts), insecure.test is
# insecure (unsigned), badsig.test's answers are bogus; with --no-dnssec
# there is no line. The rows come first: the line follows when
# validation is done.
: "${AW_BIN:?}" "${AW_SRCDIR:?}"
TM=aw-dnssec-$$
. "$AW_SRCDIR/tests/lib/tmux.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/aw-tui-dnssec.XXXXXX")
bedpid=
cleanup() {
	tm_stop
	[ -n "$bedpid" ] && kill "$bedpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# The signed tree: its Knot outlives this Python (killed by its PID above).
AW_SRCDIR=$AW_SRCDIR /usr/bin/python3 - "$work" <<'PY' > "$work/bed"
import os, sys
sys.path.insert(0, os.path.join(os.environ["AW_SRCDIR"], "tests", "lib"))
import dnssec_bed
# wizkey.test: like secure.test, its DKIM key at a selector the wizard
# looks at (default).
key = ["@ MX 10 mail.secure.test.", "@ TXT \"v=spf1 mx -all\"",
       # a 1024-bit RSA public key (its private half was not kept)
       "default._domainkey TXT \"v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQD1tQuM8V6hP7Q3aqHJtr9qQ/i2m1z60DtuN8Q6+7MrLUoLBoXKmFjmbXxoQxxDKP/E3ykaSOUTPStjELHkPNjKHgYiNgyfbAMV2tZ1E2kAS1NtoltubrjybAAwLM4ZSj/OCvQ+PuLHdJ+ocg0gDdZfgIUGk4PJLdg0N5i5KpWCqQIDAQAB\"",
       "_mta-sts TXT \"v=STSv1; id=1\""]
bed = dnssec_bed.start(os.path.join(sys.argv[1], "tree"), os.environ["AW_SRCDIR"],
                       extra={"wizkey.test": key})
print(bed["pid"], bed["server"], bed["anchor_ds"])
PY
ok $? "the signed test tree is up"
read -r bedpid srv anchor < "$work/bed"

wizard() {   # DOMAIN [options]
	local d=$1
	shift
	tm_start 110 32 LANG=C.UTF-8 LC_ALL=C.UTF-8 "XDG_STATE_HOME=$work" \
	    "XDG_CONFIG_HOME=$work/config" "AW_DATADIR=$AW_SRCDIR/data" -- \
	    "$AW_BIN" --dns-server "$srv" --dns-timeout 2 "$@" "$d"
}
dnssec_line() { tm_screen | grep -E '^ +DNSSEC +'; }

wizard wizkey.test --trust-anchor "$anchor"
check "secure: the overview opens" tm_wait "authwizard  wizkey.test"
check "secure: the rows fill in" tm_wait "v=spf1 mx -all" 20
check "secure: the DNSSEC line" tm_wait "zone secure" 60
l=$(dnssec_line)
echo "# $l"
case "$l" in *"MX secure"*) r=0 ;; *) r=1 ;; esac; ok $r "secure: the MX set is secure"
case "$l" in *"MX hosts secure"*) r=0 ;; *) r=1 ;; esac; ok $r "secure: the MX host is secure"
case "$l" in *"DKIM secure"*) r=0 ;; *) r=1 ;; esac; ok $r "secure: the DKIM key found (default) is secure"
case "$l" in *"_mta-sts secure"*) r=0 ;; *) r=1 ;; esac; ok $r "secure: _mta-sts is secure"
case "$l" in *insecure*|*bogus*) r=1 ;; *) r=0 ;; esac; ok $r "secure: nothing insecure or bogus"
tm_keys q
check "secure: q leaves" tm_wait "EXITED-0"
tm_stop

wizard insecure.test --trust-anchor "$anchor"
check "insecure: the overview opens" tm_wait "authwizard  insecure.test"
check "insecure: the DNSSEC line" tm_wait "zone insecure" 60
l=$(dnssec_line)
echo "# $l"
case "$l" in *"zone insecure (unsigned)"*) r=0 ;; *) r=1 ;; esac; ok $r "insecure: the zone is unsigned"
case "$l" in *"MX insecure"*) r=0 ;; *) r=1 ;; esac; ok $r "insecure: so is its MX set"
case "$l" in *"zone secure"*) r=1 ;; *) r=0 ;; esac; ok $r "insecure: not called secure"
tm_keys q
check "insecure: q leaves" tm_wait "EXITED-0"
tm_stop

wizard badsig.test --trust-anchor "$anchor"
check "bogus: the overview opens" tm_wait "authwizard  badsig.test"
check "bogus: the DNSSEC line" tm_wait " bogus" 60
l=$(dnssec_line)
echo "# $l"
case "$l" in *"MX bogus"*) r=0 ;; *) r=1 ;; esac; ok $r "bogus: the MX set's broken signature is bogus"
tm_keys q
check "bogus: q leaves" tm_wait "EXITED-0"
tm_stop

# With --no-dnssec: no line at all.
wizard secure.test --no-dnssec
check "--no-dnssec: the rows fill in" tm_wait "v=spf1 mx -all" 20
check "--no-dnssec: the check is done" tm_wait "Enter on a row sets that area up" 20
dnssec_line >/dev/null; [ $? -ne 0 ]; ok $? "--no-dnssec: no DNSSEC line"
tm_keys q
check "--no-dnssec: q leaves" tm_wait "EXITED-0"
tm_stop
tap_done
