#!/usr/bin/env bash
# Option parsing in our words, one message per bad option (--dns-server's
# address and port, unknown options, a missing value); the program run
# from the build tree finds its catalog and translations with no AW_*
# variable set; output that cannot be written is an error (status 6).
set -u
. "$AW_SRCDIR/tests/lib/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aw-opts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset AW_DATADIR AW_LOCALEDIR
# Nothing listens on port 1: an accepted address fails fast as DNS, not usage.
dns="--dns-timeout 0.2 --dns-tries 1"

# bad ADDRESS EXPECTED-TEXT
bad() {
	"$AW_BIN" check --dns-server "$1" $dns example.test >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	ok_if "--dns-server '$1' is a usage error" test "$rc" -eq 2
	ok_if "--dns-server '$1': one line says what is wrong ($2)" \
	    test "$(grep -c -- '--dns-server' "$tmp/err")" -eq 1 -a \
	    "$(grep -c -F -- "$2" "$tmp/err")" -eq 1
	ok_if "--dns-server '$1': not c-ares' words" \
	    bash -c "! grep -qi 'misformatted' '$tmp/err'"
}
bad 1.2.3.4:99999 "the port must be a number from 1 to 65535"
bad 1.2.3.4:0 "the port must be a number from 1 to 65535"
bad '1.2.3.4:' "the port must be a number from 1 to 65535"
bad '[::1]:70000' "the port must be a number from 1 to 65535"
bad '[::1' "no closing ']'"
bad '[::1]x' "expected ':PORT' after ']'"
bad garbage "not an IPv4 address"
bad 1.2.3.400 "not an IPv4 address"
bad '[1.2.3.4]:53' "not an IPv6 address"
bad '1.2.3.4,5.6.7.8' "one IP[:PORT] per option"

for good in 127.0.0.1:1 '[::1]:1' '::1' '[::1]'; do
	"$AW_BIN" check --dns-server "$good" $dns example.test >"$tmp/out" 2>"$tmp/err"
	rc=$?
	ok_if "--dns-server '$good' is accepted (status $rc, not 2)" test "$rc" -ne 2
	ok_if "--dns-server '$good': no complaint about it" \
	    bash -c "! grep -q -- '--dns-server' '$tmp/err'"
done

"$AW_BIN" check --bogus example.test >"$tmp/out" 2>"$tmp/err"
ok_if "an unknown option is a usage error" test $? -eq 2
ok_if "an unknown option: one message naming it, no getopt line" \
    test "$(grep -c 'bogus' "$tmp/err")" -eq 1 -a \
    "$(grep -c 'unknown option: --bogus' "$tmp/err")" -eq 1
"$AW_BIN" check example.test --dns-server >"$tmp/out" 2>"$tmp/err"
ok_if "a missing value: one message" \
    test "$(grep -c -- '--dns-server' "$tmp/err")" -eq 1 -a \
    "$(grep -c 'needs a value' "$tmp/err")" -eq 1
"$AW_BIN" --bogus >"$tmp/out" 2>"$tmp/err"
ok_if "the wizard's unknown option: one message" \
    test "$(grep -c 'bogus' "$tmp/err")" -eq 1

# The build tree's program: data/senders.json and build/locale, found alone.
(cd "$tmp" && env -u AW_DATADIR -u AW_LOCALEDIR "$AW_BIN" dkim example.test \
    --service no-such-service $dns) >"$tmp/out" 2>"$tmp/err"
ok_if "the catalog is found with no AW_DATADIR (an unknown service is named as such)" \
    grep -q 'no service "no-such-service" in the sender catalog' "$tmp/err"
if locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
	(cd "$tmp" && env -u AW_DATADIR -u AW_LOCALEDIR LANG=de_DE.UTF-8 \
	    LC_ALL=de_DE.UTF-8 "$AW_BIN" --help) >"$tmp/out" 2>&1
	ok_if "German with no AW_LOCALEDIR" grep -q '^Aufruf:' "$tmp/out"
	# The locale is set by the first message (core/i18n.h): an error
	# whose first words are the system's errno text is German too.
	LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 "$AW_BIN" check \
	    --domains-file "$tmp/none.txt" >"$tmp/out" 2>&1
	ok_if "German errno text in the first message (set lazily)" \
	    grep -q 'kann nicht gelesen werden: Datei oder Verzeichnis nicht gefunden' "$tmp/out"
else
	echo "ok $((_tap_n + 1)) - German with no AW_LOCALEDIR # SKIP no de_DE.UTF-8 locale"
	echo "ok $((_tap_n + 2)) - German errno text # SKIP no de_DE.UTF-8 locale"
	_tap_n=$((_tap_n + 2))
fi
AW_DATADIR="$tmp/none" "$AW_BIN" dkim example.test $dns >"$tmp/out" 2>&1
ok_if "a catalog that cannot be read is named with the path tried" \
    grep -q "$tmp/none/senders.json" "$tmp/out"

# Output to a full disk (/dev/full) is not success: status 6, one line
# that says so and why; a lookup that failed (3) gives way to it too.
if [ -w /dev/full ]; then
	LC_ALL=C "$AW_BIN" --version >/dev/full 2>"$tmp/err"
	rc=$?
	ok_if "--version to a full disk: status 6 (was $rc)" test "$rc" -eq 6
	ok_if "--version to a full disk: the reason said" \
	    grep -q '^authwizard: cannot write the output: No space left on device$' "$tmp/err"
	LC_ALL=C "$AW_BIN" check $dns --dns-server 127.0.0.1:1 example.test \
	    >/dev/full 2>"$tmp/err"
	rc=$?
	ok_if "check to a full disk: status 6 (was $rc)" test "$rc" -eq 6
	ok_if "check to a full disk: said once" \
	    test "$(grep -c 'cannot write the output' "$tmp/err")" -eq 1
	# --jobs: the parent relays the workers' results; why its write
	# failed is said as well
	LC_ALL=C "$AW_BIN" check $dns --dns-server 127.0.0.1:1 --jobs 2 \
	    a.example b.example c.example >/dev/full 2>"$tmp/err"
	rc=$?
	ok_if "check --jobs 2 to a full disk: status 6 (was $rc)" test "$rc" -eq 6
	ok_if "check --jobs 2 to a full disk: said once, with the reason" \
	    test "$(grep -c '^authwizard: cannot write the output: No space left on device$' "$tmp/err")" -eq 1
	LC_ALL=C "$AW_BIN" --version >"$tmp/out" 2>"$tmp/err"
	ok_if "--version to a file: status 0, nothing on standard error" \
	    test $? -eq 0 -a ! -s "$tmp/err"
else
	for t in 1 2 3 4 5 6 7; do
		echo "ok $((_tap_n + 1)) - output to /dev/full # SKIP no /dev/full"
		_tap_n=$((_tap_n + 1))
	done
fi
tap_done
