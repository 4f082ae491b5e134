#!/usr/bin/env bash
# --help of plan, apply, undo and watch: exit 0, and every option the
# command accepts is described (the command accepts each one it lists).
set -u
. "$AW_SRCDIR/tests/lib/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aw-help.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Secrets are read from files (issue 20), never taken as values.
hosts="--cloudflare-token-file --cloudflare-base-url
--aws-access-key-id --aws-secret-access-key-file --aws-session-token-file --aws-profile
--route53-endpoint --pdns-api-url --pdns-api-key-file --pdns-server-id
--rfc2136-nameserver --tsig-key --tsig-secret-file --tsig-algorithm --tsig-keyfile"
hosts="$hosts --digitalocean-token-file --digitalocean-base-url --desec-token-file --desec-base-url
--hetzner-token-file --hetzner-endpoint
--gandi-token-file --gandi-base-url
--gcloud-credentials-file --gcloud-project --gcloud-base-url --gcloud-token-url
--azure-tenant-id --azure-client-id --azure-client-secret-file --azure-subscription-id --azure-resource-group --azure-base-url --azure-authority-host"
records="--spf-include --spf-ip4 --spf-ip6 --spf-all --dkim-cname --dkim-key
--selector --dmarc --txt --a --aaaa --ptr"
dns="--dns-server --dns-timeout --dns-tries"
declare -A opts=(
	[plan]="--provider $records --spf-replace --spf-remove $hosts $dns --json --out --help"
	[apply]="--provider $records --spf-replace --spf-remove $hosts $dns --json --plan --yes --force --help"
	[undo]="--provider $hosts $dns --json --force --list --help"
	[watch]="$records --absent-txt $hosts $dns --nameserver --nameserver-port --timeout --interval --json --help"
)
for cmd in plan apply undo watch; do
	"$AW_BIN" "$cmd" --help > "$tmp/$cmd.txt" 2>&1
	ok_if "$cmd --help exits 0" test $? -eq 0
	missing=""
	for o in ${opts[$cmd]}; do
		grep -qE -- "(^|[ ,])$o([ ,=]|\$)" "$tmp/$cmd.txt" || missing="$missing $o"
	done
	ok_if "$cmd --help describes every option it takes${missing:+ (missing:$missing)}" test -z "$missing"
	ok_if "$cmd --help gives the exit status" grep -q "Exit status" "$tmp/$cmd.txt"
	# Every --option the help lists (outside 'other command' quotes) is
	# one the command takes.
	unknown=""
	for o in $(sed "s/'[^']*'//g" "$tmp/$cmd.txt" | grep -oE -- "--[a-z][a-z0-9-]+" | sort -u); do
		case " $(echo ${opts[$cmd]}) " in *" $o "*) ;; *) unknown="$unknown $o" ;; esac
		"$AW_BIN" "$cmd" "$o" x x.test < /dev/null 2>&1 | grep -qE "unrecognized option|unknown option" &&
			unknown="$unknown $o(rejected)"
	done
	ok_if "$cmd --help lists no option the command does not take${unknown:+ (unknown:$unknown)}" test -z "$unknown"
done
# Every --help fits an 80-column terminal, in English, German and Finnish
# (columns are characters, not bytes).
for loc in C.UTF-8 de_DE.UTF-8 fi_FI.UTF-8; do
	wide=""
	for cmd in "" check spf dkim dmarc ptr plan apply undo watch; do
		n=$(LC_ALL=$loc LANG=$loc "$AW_BIN" $cmd --help 2>&1 |
			/usr/bin/python3 -c 'import sys; print(sum(len(l) > 80 for l in sys.stdin.buffer.read().decode().splitlines()))')
		[ "${n:-1}" -eq 0 ] || wide="$wide ${cmd:-main}:$n"
	done
	ok_if "$loc: every --help line fits 80 columns${wide:+ (too wide:$wide)}" test -z "$wide"
done
tap_done
