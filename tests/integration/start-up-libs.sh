#!/usr/bin/env bash
# Start-up (issue 16): the program links only what every run needs; curses,
# libcurl, libxml2, OpenSSL, libldns, libunbound, libpsl and libidn2 are
# opened by their owner files when first used (ARCHITECTURE.md). Pinned here: the binary
# records none of them as NEEDED, `--version`, `spf` and `check` map none
# they do not use (the dynamic loader's own log, LD_DEBUG=files), and a
# command that does use one maps it (so the log is read right).
set -u
. "$AW_SRCDIR/tests/lib/tap.sh"
aw=$AW_BUILD/authwizard
dns=${AW_TB_DNS:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aw-startlibs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

LAZY='libncursesw|libformw|libmenuw|libpanelw|libtinfo|libcurl|libxml2|libcrypto|libssl|libldns|libunbound|libpsl|libidn2|libunistring'

# needed_none: readelf's NEEDED entries name none of LAZY.
needed_none() {
	local n
	n=$(readelf -d "$aw" | grep NEEDED) || return 1
	if printf '%s\n' "$n" | grep -qE "$LAZY"; then
		printf '%s\n' "$n" | grep -E "$LAZY" | sed 's/^/#   /'
		return 1
	fi
}
# maps_none REGEX CMD...: CMD succeeds (exit < 2) and the dynamic loader
# opens no library matching REGEX on the way.
maps_none() {
	local re=$1 log=$tmp/ld.log
	shift
	LD_DEBUG=files "$@" >"$tmp/out" 2>"$log"
	[ $? -lt 2 ] || { sed 's/^/#   /' "$tmp/out" "$log" | tail -5; return 1; }
	grep -q 'file=' "$log" || { echo "#   no LD_DEBUG log"; return 1; }
	if grep -E 'file=' "$log" | grep -qE "file=[^ ]*($re)"; then
		grep -E 'file=' "$log" | grep -E "file=[^ ]*($re)" | sed 's/^/#   /' | head -5
		return 1
	fi
}
# maps REGEX CMD...: CMD's run opens a library matching REGEX.
maps() {
	local re=$1 log=$tmp/ld.log
	shift
	LD_DEBUG=files "$@" >"$tmp/out" 2>"$log"
	grep -E 'file=' "$log" | grep -qE "file=[^ ]*($re)"
}

ok_if "the binary records none of the libraries opened when first used as NEEDED" \
    needed_none
ok_if "--version maps none of them" maps_none "$LAZY" "$aw" --version
ok_if "--help maps none of them" maps_none "$LAZY" "$aw" --help
if [ -n "$dns" ]; then
	ok_if "spf maps none of them" maps_none "$LAZY" \
	    "$aw" spf example.test --ip 192.0.2.1 --dns-server "$dns"
	# check reads DKIM keys (libcrypto) and may validate (libunbound);
	# it never draws, fetches or publishes.
	ok_if "check maps no curses, libcurl, libxml2, libssl or libldns" \
	    maps_none 'libncursesw|libformw|libmenuw|libpanelw|libtinfo|libcurl|libxml2|libssl|libldns' \
	    "$aw" check example.test --dns-server "$dns" --selector s2048
	ok_if "check maps libcrypto when it reads a DKIM key (the log is read right)" \
	    maps 'libcrypto' "$aw" check example.test --dns-server "$dns" \
	    --selector s2048
	ok_if "check maps libpsl for DMARC's organizational domain" \
	    maps 'libpsl' "$aw" check example.test --dns-server "$dns" \
	    --selector s2048
	ok_if "an internationalised name maps libidn2" \
	    maps 'libidn2' "$aw" spf bücher.example.test --ip 192.0.2.1 \
	    --dns-server "$dns"
else
	echo "# AW_TB_DNS unset: spf and check not run"
fi
ok_if "dkim keygen maps libcrypto, not libssl" sh -c '
	LD_DEBUG=files "$1" dkim keygen --domain example.test --selector s1 \
	    --type ed25519 --out "$2/k.private" >/dev/null 2>"$2/kg.log" &&
	grep -E "file=[^ ]*libcrypto" "$2/kg.log" >/dev/null &&
	! grep -E "file=[^ ]*libssl" "$2/kg.log" >/dev/null' sh "$aw" "$tmp"
# A missing library is an error naming its Debian package: libcrypto
# hidden behind an empty file in a mount namespace of our own (needs
# root and unshare; skipped otherwise).
crypto=$(ldconfig -p 2>/dev/null | sed -n 's/.*libcrypto\.so\.3 .*=> //p' | head -1)
if [ -n "$crypto" ] && [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
	: > "$tmp/empty.so"
	ok_if "a missing libcrypto is an error naming the Debian package libssl3" sh -c '
		out=$(unshare -m sh -c "mount --bind \"\$1\" \"\$2\" &&
		    \"\$3\" dkim keygen --domain example.test --selector s1 \
		    --type ed25519 --out \"\$4\"" sh "$1/empty.so" "$2" "$3" \
		    "$1/k2.private" 2>&1)
		[ $? -ne 0 ] && printf "%s\n" "$out" |
		    grep -q "cannot load libcrypto.so.3 (install the Debian package libssl3)"' \
	    sh "$tmp" "$crypto" "$aw"
else
	echo "# not root or no unshare: the missing-library message not tested"
fi
tap_done
