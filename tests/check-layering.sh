#!/bin/sh
# check-layering.sh: each library has one owner, and the layers keep apart
# (STYLE.md). Prints one line per violation; exits 1 if any.
cd "$(dirname "$0")/.." || exit 2
bad=0
# owner_only HEADER-REGEX ALLOWED-FILES-REGEX WHAT
owner_only() {
	hits=$(grep -lE "#include[[:space:]]*<($1)" core/*.[ch] checks/*.[ch] \
	    providers/*.[ch] tui/*.[ch] cli/*.[ch] 2>/dev/null | grep -vE "^($2)$")
	for f in $hits; do
		echo "layering: $f includes $3 (only $2 may)"
		bad=1
	done
}
owner_only 'ares\.h' 'checks/resolver\.c' 'c-ares'
owner_only 'curl/' 'core/http\.c' 'libcurl'
owner_only 'idn2\.h' 'core/str\.c' 'libidn2'
owner_only 'libpsl\.h' 'checks/orgdomain\.c' 'libpsl'
owner_only 'libxml/' 'checks/xml\.h' 'libxml2'
owner_only 'openssl/' 'checks/openssl\.h' 'OpenSSL'
owner_only 'ldns/' 'providers/rfc2136\.[ch]' 'libldns'
owner_only 'unbound\.h' 'checks/dnssec\.c' 'libunbound'
owner_only '(n?curses|form|menu|panel)\.h' 'tui/curses\.h' 'curses'
owner_only 'jansson\.h' 'providers/.*|cli/.*|checks/catalog\.c|checks/dnshost\.c|checks/drift\.[ch]|tui/.*' 'jansson'
# Start-up (issue 16): the libraries opened when first used are opened
# only by their owners, through core/lib.c's aw_lib_open (curses, three
# libraries at once, by tui/view-curses.c); anyone else calling dlopen or
# aw_lib_open would load them behind the owners' backs.
for f in $(grep -lE '\baw_lib_open[[:space:]]*\(' core/*.[ch] checks/*.[ch] \
    providers/*.[ch] tui/*.[ch] cli/*.[ch] 2>/dev/null |
    grep -vE '^(core/lib\.[ch]|core/http\.c|core/str\.c|checks/orgdomain\.c|checks/xml\.c|checks/openssl\.c|checks/dnssec\.c|providers/rfc2136-ldns\.h)$'); do
	echo "layering: $f calls aw_lib_open (only the libraries' owners may)"
	bad=1
done
for f in $(grep -lE '\bdlopen[[:space:]]*\(' core/*.[ch] checks/*.[ch] \
    providers/*.[ch] tui/*.[ch] cli/*.[ch] 2>/dev/null |
    grep -vE '^(core/lib\.c|tui/view-curses\.c)$'); do
	echo "layering: $f calls dlopen (only the libraries' owners may)"
	bad=1
done
# The libraries never print, never draw, never exit.
for f in core/*.c checks/*.c providers/*.c; do
	[ -f "$f" ] || continue
	if grep -nE '\b(printf|puts|fprintf|fputs|exit|abort)[[:space:]]*\(' "$f" |
	    grep -vE 'snprintf|vsnprintf|asprintf|vasprintf|fprintf\((f|out|fp|file),' >/dev/null; then
		echo "layering: $f prints or exits (libraries return data)"
		bad=1
	fi
done
# Back ends never include front ends.
for f in core/*.[ch] checks/*.[ch] providers/*.[ch]; do
	[ -f "$f" ] || continue
	if grep -qE '#include[[:space:]]*"(tui|cli)/' "$f"; then
		echo "layering: $f includes a front-end header"
		bad=1
	fi
done
# The front ends keep apart (issue 14), in both directions: the wizard
# includes nothing of the command line; the command line includes the
# wizard only in cli/main.c, and only its entry (tui/tui.h); and only
# cli/main.c starts it (aw_tui_run), on the run context its launcher
# (cli/cmd-wizard.c) prepared.
for f in tui/*.[ch]; do
	[ -f "$f" ] || continue
	if grep -qE '#include[[:space:]]*"cli/' "$f"; then
		echo "layering: $f (the wizard) includes a cli/ header"
		bad=1
	fi
done
for f in cli/*.[ch]; do
	[ -f "$f" ] || continue
	if [ "$f" = cli/main.c ]; then
		if grep -E '#include[[:space:]]*"tui/' "$f" |
		    grep -vqE '#include[[:space:]]*"tui/tui\.h"'; then
			echo "layering: $f includes a tui/ header other than tui/tui.h"
			bad=1
		fi
		continue
	fi
	if grep -qE '#include[[:space:]]*"tui/' "$f"; then
		echo "layering: $f includes a tui/ header (only cli/main.c may)"
		bad=1
	fi
done
for f in core/*.[ch] checks/*.[ch] providers/*.[ch] tui/*.[ch] cli/*.[ch]; do
	[ -f "$f" ] || continue
	[ "$f" = cli/main.c ] && continue
	# The definition (tui/main.c) and the declaration (tui/tui.h) are
	# not calls.
	if grep -nE '\baw_tui_run[[:space:]]*\(' "$f" |
	    grep -vqE '^[0-9]+:(aw_tui_run\(|enum aw_tui_outcome aw_tui_run\()'; then
		echo "layering: $f calls aw_tui_run (only cli/main.c starts the wizard)"
		bad=1
	fi
done
exit $bad
