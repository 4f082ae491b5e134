#!/bin/sh
# check-po.sh: every catalog in po/ is complete for the strings the sources
# hold now: the template is made afresh with xgettext, merged into a copy of
# each catalog, and any untranslated or fuzzy message fails. Also checks
# that msgfmt accepts each catalog (formats match) and that the locales the
# tests speak exist. Prints TAP lines; exits 1 on any failure.
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aw-po.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
n=0
bad=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; bad=1; }

srcs=$(ls core/*.[ch] checks/*.[ch] providers/*.[ch] apply/*.[ch] tui/*.[ch] \
    cli/*.[ch] 2>/dev/null | sort)
# Keep these options the same as `make update-po` (Makefile.in).
if xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
    --keyword=P_:1,2 --flag=P_:1:c-format --flag=P_:2:c-format \
    --add-comments=TRANSLATORS: --package-name=authwizard \
    --msgid-bugs-address="authwizard maintainers" \
    -o "$tmp/authwizard.pot" $srcs 2>"$tmp/xgettext.err"; then
	ok "xgettext extracts the strings ($(grep -c '^msgid ' "$tmp/authwizard.pot") messages)"
else
	notok "xgettext failed: $(cat "$tmp/xgettext.err")"
	exit 1
fi
# The committed template is current (make update-po was run).
fresh=$(msgcomm --no-location --omit-header -u "$tmp/authwizard.pot" po/authwizard.pot 2>/dev/null | grep -c '^msgid ')
if [ "$fresh" -eq 0 ]; then
	ok "po/authwizard.pot holds exactly the strings of the sources"
else
	notok "po/authwizard.pot is out of date ($fresh messages differ): run make update-po"
fi
for po in po/*.po; do
	[ -f "$po" ] || continue
	l=$(basename "$po" .po)
	if msgfmt --check -o /dev/null "$po" 2>"$tmp/$l.err"; then
		ok "$l: msgfmt --check accepts the catalog"
	else
		notok "$l: msgfmt --check: $(head -3 "$tmp/$l.err")"
	fi
	msgmerge --quiet -o "$tmp/$l.po" "$po" "$tmp/authwizard.pot" 2>/dev/null
	untr=$(msgattrib --untranslated --no-obsolete "$tmp/$l.po" | grep -c '^msgid ')
	fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/$l.po" | grep -c '^msgid ')
	# msgattrib prints the header entry too when it prints anything.
	[ "$untr" -gt 0 ] && untr=$((untr - 1))
	[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
	if [ "$untr" -eq 0 ]; then
		ok "$l: every message is translated"
	else
		notok "$l: $untr messages are not translated:"
		msgattrib --untranslated --no-obsolete --no-wrap "$tmp/$l.po" |
		    grep '^msgid "[^"]' | head -20 | sed 's/^/#   /'
	fi
	if [ "$fuzzy" -eq 0 ]; then
		ok "$l: no fuzzy message"
	else
		notok "$l: $fuzzy fuzzy messages"
	fi
done
for loc in de_DE fi_FI; do
	if locale -a 2>/dev/null | grep -qi "^$loc\.utf-\?8$"; then
		ok "the locale $loc.UTF-8 exists"
	else
		notok "the locale $loc.UTF-8 is missing: sed -i 's/^# *$loc.UTF-8/$loc.UTF-8/' /etc/locale.gen && locale-gen"
	fi
done
echo "1..$n"
exit $bad
