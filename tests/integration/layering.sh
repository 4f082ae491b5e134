#!/usr/bin/env bash
# Each library has one owner file and the layers keep apart (STYLE.md).
out=$("$AW_SRCDIR/tests/check-layering.sh" 2>&1)
if [ $? -eq 0 ]; then
	echo "ok 1 - every library is used by its owner file only; back ends never print"
else
	echo "not ok 1 - layering"
	printf '%s\n' "$out" | sed 's/^/#   /'
fi
echo "1..1"
