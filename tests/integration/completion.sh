#!/usr/bin/env bash
# doc/authwizard.bash-completion run in bash: commands, subcommands, option
# values; every option once; every option offered is one the program takes,
# and every option a command's --help names (and takes) is offered. With the
# bash-completion package loaded when it is installed, and without it.
set -u
. "$AW_SRCDIR/tests/lib/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aw-compl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
comp="$AW_SRCDIR/doc/authwizard.bash-completion"
# A file that "?all" would match as a pattern.
touch "$tmp/xall"

# complete WITH-PACKAGE LINE: the words offered for LINE (cursor at its end),
# sorted, one per line.
complete_line() {
	(cd "$tmp" && bash --norc --noprofile -c '
		[ "$1" = yes ] && . /usr/share/bash-completion/bash_completion
		. "$2"
		COMP_LINE=$3 COMP_POINT=${#3}
		read -ra COMP_WORDS <<<"$3"
		[[ $3 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_authwizard authwizard "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$1" "$comp" "$2") | sort
}
# expect WITH LINE WORD...: exactly these words are offered.
expect() {
	local with=$1 line=$2 got want
	shift 2
	got=$(complete_line "$with" "$line" | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	[ "$got" = "$want" ] || want="$want(got: $got)"
	ok_if "[$with bash-completion] '$line' offers: $want" test "$got" = "${want%(got*}"
}

modes=no
if [ -f /usr/share/bash-completion/bash_completion ]; then
	modes="yes no"
else
	echo "ok 1 - with bash-completion # SKIP the package is not installed"
	_tap_n=1
fi
for m in $modes; do
	expect $m "authwizard dkim k" keygen
	expect $m "authwizard dkim " keygen verify
	expect $m "authwizard --provider " cloudflare route53 powerdns rfc2136 digitalocean desec hetzner show
	expect $m "authwizard plan --tsig-algorithm hmac-sha5" hmac-sha512
	expect $m "authwizard plan --provider p" powerdns
	expect $m "authwizard dmarc --build --policy q" quarantine
	expect $m "authwizard plan x.test --spf-all " "-all" "~all" "?all"
	expect $m "authwizard ch" check
	expect $m "authwizard spf --b" --batch
	expect $m "authwizard help d" dane dkim dmarc dnssec
	expect $m "authwizard --v" --version
	expect $m "authwizard dkim keygen --type " rsa ed25519
	expect $m "authwizard dkim keygen --t" --ttl --type
done

# Each command: options offered once, each taken by the program, and every
# option its --help names that the program takes is offered.
taken() {   # taken CMD... OPTION: the program does not call it unknown
	! timeout 10 "$AW_BIN" "$@" </dev/null 2>&1 | grep -q "unknown option"
}
for c in "" check spf "dkim" "dkim keygen" "dkim verify" dmarc ptr dnssec dane plan apply undo watch; do
	offered=$(complete_line no "authwizard${c:+ $c} --")
	dups=$(printf '%s\n' "$offered" | uniq -d | tr '\n' ' ')
	ok_if "'${c:-wizard}': every option offered once${dups:+ (twice: $dups)}" test -z "$dups"
	bad=""
	for o in $offered; do
		[ "$o" = --version ] && continue
		# shellcheck disable=SC2086
		taken $c "$o" || bad="$bad $o"
	done
	ok_if "'${c:-wizard}': the program takes every option offered${bad:+ (not:$bad)}" test -z "$bad"
	missing=""
	# dkim's three forms share one --help: its usage lines are checked above.
	case $c in dkim*) continue ;; esac
	# shellcheck disable=SC2086
	for o in $("$AW_BIN" $c --help 2>&1 | grep -oE -- '--[a-z0-9-]+' | sort -u); do
		printf '%s\n' "$offered" | grep -qx -- "$o" && continue
		[ "$o" = --version ] && continue
		# shellcheck disable=SC2086
		taken $c "$o" && missing="$missing $o"
	done
	ok_if "'${c:-wizard}': every option of its --help is offered${missing:+ (missing:$missing)}" test -z "$missing"
done
tap_done
