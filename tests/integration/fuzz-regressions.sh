#!/usr/bin/env bash
# fuzz-regressions.sh: every fuzz target (tests/fuzz/fuzz_NAME.c), built
# with the plain replay driver by `make check`, runs its seed corpus and
# every input that ever crashed it (tests/fuzz/regressions/NAME/). A crash,
# a sanitizer report (ASan build) or a broken property fails the target.
set -u
. "$AW_SRCDIR/tests/lib/tap.sh"

replay_ok() {
	local name=$1 bin="$AW_BUILD/tests/fuzz/replay_$1" dirs=() d out
	[ -x "$bin" ] || { echo "# $bin is missing (make check builds it)"; return 1; }
	for d in "$AW_SRCDIR/tests/fuzz/corpus/$name" \
	    "$AW_SRCDIR/tests/fuzz/regressions/$name"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	[ ${#dirs[@]} -gt 0 ] || { echo "# no corpus for $name"; return 1; }
	out=$(timeout 120 "$bin" "${dirs[@]}" 2>&1) || {
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
		return 1
	}
	# The corpus was read, not skipped.
	case $out in "replayed 0 inputs") echo "# $name: no inputs"; return 1 ;; esac
	echo "# $name: $out"
}

for src in "$AW_SRCDIR"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	ok_if "fuzz target $name replays its corpus and regressions" replay_ok "$name"
done
tap_done
