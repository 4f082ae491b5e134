#!/usr/bin/env bash
# Each library has one owner file and the layers keep apart (STYLE.md,
# issue 14). The check is also run on copies of the tree with a violation
# put in, to show that it fails on one in each direction.
out=$("$AW_SRCDIR/tests/check-layering.sh" 2>&1)
if [ $? -eq 0 ]; then
	echo "ok 1 - every library is used by its owner file only; back ends never print; tui/ and cli/ keep apart"
else
	echo "not ok 1 - layering"
	printf '%s\n' "$out" | sed 's/^/#   /'
fi

n=1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aw-layering.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# violates FILE LINE WANT WHAT: a copy of the tree with LINE added to FILE
# must fail the check with a message naming WANT.
violates() {
	local file=$1 line=$2 want=$3 what=$4 copy
	n=$((n + 1))
	copy="$tmp/$n"
	mkdir -p "$copy/tests"
	cp -R "$AW_SRCDIR/core" "$AW_SRCDIR/checks" "$AW_SRCDIR/providers" \
	    "$AW_SRCDIR/tui" "$AW_SRCDIR/cli" "$copy/"
	cp "$AW_SRCDIR/tests/check-layering.sh" "$copy/tests/"
	printf '%s\n' "$line" >> "$copy/$file"
	out=$("$copy/tests/check-layering.sh" 2>&1)
	if [ $? -ne 0 ] && printf '%s\n' "$out" | grep -qF -- "$want"; then
		echo "ok $n - the check fails when $what"
	else
		echo "not ok $n - the check does not fail when $what"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
}
violates tui/model.c '#include "cli/cli.h"' "tui/model.c (the wizard) includes a cli/ header" \
    "the wizard includes cli/"
violates cli/cmd-check.c '#include "tui/model.h"' "cli/cmd-check.c includes a tui/ header" \
    "a command includes tui/"
violates cli/cmd-wizard.c '#include "tui/tui.h"' "cli/cmd-wizard.c includes a tui/ header (only cli/main.c may)" \
    "the wizard's launcher includes the wizard's entry"
violates cli/main.c '#include "tui/model.h"' "cli/main.c includes a tui/ header other than tui/tui.h" \
    "cli/main.c includes more of the wizard than its entry"
violates cli/cmd-wizard.c 'int aw_cli_wizard_x(void) { return aw_tui_run(0, 0); }' \
    "cli/cmd-wizard.c calls aw_tui_run (only cli/main.c starts the wizard)" \
    "a file other than cli/main.c starts the wizard"
violates tui/model.c 'int tm_x(void) { return (int)aw_tui_run(0, 0); }' \
    "tui/model.c calls aw_tui_run (only cli/main.c starts the wizard)" \
    "the wizard starts itself"
violates checks/spf.c '#include "tui/tui.h"' "checks/spf.c includes a front-end header" \
    "the engine includes a front end"
violates tui/view-main.c '#include <curl/curl.h>' "tui/view-main.c includes libcurl" \
    "a library is used outside its owner file"
violates checks/bimi-media.c '#include <libxml/tree.h>' \
    "checks/bimi-media.c includes libxml2" \
    "libxml2 is included past its one owner, checks/xml.h"
violates checks/dkim-key.c '#include <openssl/evp.h>' \
    "checks/dkim-key.c includes OpenSSL" \
    "OpenSSL is included past its one owner, checks/openssl.h"
violates checks/spf.c 'static void *spf_x(void) { return dlopen("libcurl.so.4", 0); }' \
    "checks/spf.c calls dlopen (only the libraries' owners may)" \
    "a file other than a library's owner opens a library"
echo "1..$n"
