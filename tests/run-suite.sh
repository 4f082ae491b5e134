#!/usr/bin/env bash
# run-suite.sh: runs the whole test suite; its last line is
# "N passed, N failed, N skipped" and its status is 0 only when none failed.
#   unit tests:        $AW_BUILD/tests/test_*       (cmocka; each test counted)
#   integration tests: tests/integration/*.sh|*.py  (TAP lines "ok N - ..." /
#                      "not ok N - ..."; each line counted, "ok N - ... # SKIP"
#                      as skipped; a skipped group "1..0 # SKIP why" counts as
#                      one skipped; exit status != 0 without a "not ok" line
#                      counts as one failure)
# Everything it reads is in the repository (tests/conformance, tests/specs).
# The test bed (tests/testbed.sh) is started once for the integration tests
# and stopped by PID on every exit path.
# Usage: run-suite.sh [--unit-only] [NAME-PATTERN...]
set -u
: "${AW_BUILD:?AW_BUILD must name the build directory}"
: "${AW_SRCDIR:?AW_SRCDIR must name the source directory}"
export AW_BUILD AW_SRCDIR
export AW_BIN="$AW_BUILD/authwizard"
# The program finds its catalog and translations in the build tree by itself
# (core/datadir.c): no AW_DATADIR or AW_LOCALEDIR.
unset AW_DATADIR AW_LOCALEDIR
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset LANGUAGE
# Never reach outside: no proxies, no user configuration.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
export XDG_CONFIG_HOME XDG_STATE_HOME
tmp_root="$AW_SRCDIR/tests/tmp"
mkdir -p "$tmp_root"
run_dir=$(mktemp -d "$tmp_root/run.XXXXXX")
XDG_CONFIG_HOME="$run_dir/config"
XDG_STATE_HOME="$run_dir/state"
export AW_TESTBED_DIR="$run_dir/testbed"

unit_only=0
patterns=()
for a in "$@"; do
	case $a in
	--unit-only) unit_only=1 ;;
	*) patterns+=("$a") ;;
	esac
done

selected() {
	[ ${#patterns[@]} -eq 0 ] && return 0
	local p
	for p in "${patterns[@]}"; do
		case $1 in *"$p"*) return 0 ;; esac
	done
	return 1
}

passed=0
failed=0
skipped=0
failed_names=()

cleanup() {
	if [ -n "${tb_started:-}" ]; then
		"$AW_SRCDIR/tests/testbed.sh" stop >/dev/null 2>&1
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

run_unit() {
	local bin=$1 name out rc p f
	name=$(basename "$bin")
	out=$(cd "$run_dir" && timeout 300 "$bin" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed "s/^/[$name] /"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	s=$(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	skipped=$((skipped + s))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failed_names+=("$name")
}

run_script() {
	local script=$1 name out rc p f
	name=$(basename "$script")
	case $script in
	*.py) out=$(cd "$run_dir" && timeout 900 /usr/bin/python3 "$script" 2>&1) ;;
	*) out=$(cd "$run_dir" && timeout 900 bash "$script" 2>&1) ;;
	esac
	rc=$?
	printf '%s\n' "$out" | sed "s/^/[$name] /"
	p=$(printf '%s\n' "$out" | grep '^ok ' | grep -vic '# *skip')
	s=$(printf '%s\n' "$out" | grep '^ok ' | grep -ic '# *skip')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	printf '%s\n' "$out" | grep -qi '^1\.\.0 *# *skip' && s=$((s + 1))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "[$name] exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	skipped=$((skipped + s))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failed_names+=("$name")
}

if [ "${AW_HAVE_CMOCKA:-yes}" != yes ]; then
	echo "cmocka is missing: install the Debian package libcmocka-dev" >&2
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

for bin in "$AW_BUILD"/tests/test_*; do
	[ -x "$bin" ] || continue
	selected "$(basename "$bin")" || continue
	run_unit "$bin"
done

if [ "$unit_only" -eq 0 ]; then
	scripts=()
	for s in "$AW_SRCDIR"/tests/integration/*.sh "$AW_SRCDIR"/tests/integration/*.py; do
		[ -f "$s" ] || continue
		selected "$(basename "$s")" || continue
		scripts+=("$s")
	done
	if [ ${#scripts[@]} -gt 0 ]; then
		if env_out=$("$AW_SRCDIR/tests/testbed.sh" start); then
			tb_started=1
			eval "$env_out"
			for s in "${scripts[@]}"; do
				run_script "$s"
			done
		else
			echo "the test bed did not start:" >&2
			printf '%s\n' "$env_out" >&2
			failed=$((failed + ${#scripts[@]}))
			failed_names+=("testbed")
		fi
	fi
fi

if [ ${#failed_names[@]} -gt 0 ]; then
	echo "failed: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
