# tap.sh: TAP helpers for shell integration tests (source it).
_tap_n=0
_tap_failed=0
# ok_if "what" COMMAND...: runs COMMAND; prints ok/not ok.
ok_if() {
	local what=$1
	shift
	_tap_n=$((_tap_n + 1))
	if "$@"; then
		echo "ok $_tap_n - $what"
	else
		echo "not ok $_tap_n - $what"
		_tap_failed=$((_tap_failed + 1))
	fi
}
tap_done() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
}
