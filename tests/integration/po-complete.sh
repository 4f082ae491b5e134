#!/bin/sh
# po-complete.sh: the German and Finnish catalogs hold every string of the
# program, none fuzzy (tests/check-po.sh), and the program speaks them.
: "${AW_SRCDIR:?}" "${AW_BIN:?}"
out=$("$AW_SRCDIR/tests/check-po.sh")
rc=$?
printf '%s\n' "$out" | grep -v '^1\.\.'
n=$(printf '%s\n' "$out" | grep -c '^\(not \)\?ok ')
t() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; rc=1; fi; }
if [ "${AW_NLS:-yes}" = yes ]; then
	de=$(LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8 "$AW_BIN" --help 2>&1)
	t "LANG=de_DE.UTF-8: --help speaks German" 'printf "%s" "$de" | grep -q "Aufruf:"'
	fi=$(LC_ALL=fi_FI.UTF-8 LANG=fi_FI.UTF-8 "$AW_BIN" --help 2>&1)
	t "LANG=fi_FI.UTF-8: --help speaks Finnish" 'printf "%s" "$fi" | grep -q "Käyttö:"'
	de=$(LC_ALL=de_DE.UTF-8 "$AW_BIN" check --help 2>&1)
	t "LANG=de_DE.UTF-8: check --help speaks German" 'printf "%s" "$de" | grep -q "Rückgabewert"'
	c=$(LC_ALL=C.UTF-8 "$AW_BIN" --help 2>&1)
	t "LANG=C.UTF-8: --help stays English" 'printf "%s" "$c" | grep -q "Usage:"'
fi
echo "1..$n"
exit $rc
