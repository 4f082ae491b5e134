#!/bin/sh
# deps.sh: the Debian packages `make bench` needs (dnsperf, pyspf and
# dnspython, Knot and kdig for the servers, perf for profiling),
# installed when missing (as root, or through sudo), as quickstart does.
pkgs="dnsperf python3-spf python3-dnspython knot knot-dnsutils linux-perf"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else
	echo "bench: missing Debian packages (not root, no sudo):$missing" >&2
	exit 1
fi
echo "bench: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
