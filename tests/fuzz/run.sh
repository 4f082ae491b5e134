#!/usr/bin/env bash
# run.sh: runs each libFuzzer target for a bounded time on its corpus.
#   run.sh BINDIR SECONDS RUNS NAME...
# Each target gets at most SECONDS seconds and RUNS inputs; FUZZ_JOBS
# targets (default 1) run at once. New inputs go to a scratch corpus under
# BINDIR/work/NAME (the committed corpus is only read); a crash leaves its
# input in BINDIR/artifacts/ and fails the run: minimise it, fix the code,
# and keep it in tests/fuzz/regressions/NAME/.
set -u
bindir=$1 seconds=$2 runs=$3
shift 3
jobs=${FUZZ_JOBS:-1}
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$bindir/artifacts"

run_one() {
	local name=$1 bin="$bindir/fuzz_$1" work="$bindir/work/$1" dirs=() d
	mkdir -p "$work"
	for d in "$src/corpus/$name" "$src/regressions/$name"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	# -timeout: one input taking longer is a hang (a finding too).
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	    "$bin" -max_total_time="$seconds" -runs="$runs" -timeout=10 \
	    -rss_limit_mb=2048 -max_len=70000 -print_final_stats=1 \
	    -artifact_prefix="$bindir/artifacts/$name-" \
	    "$work" "${dirs[@]}" >"$bindir/fuzz_$name.log" 2>&1
	echo $? >"$bindir/fuzz_$name.rc"
}

running=0
for name in "$@"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	echo "== fuzz_$name: up to ${seconds}s"
	run_one "$name" &
	running=$((running + 1))
done
wait

failed=()
for name in "$@"; do
	if [ "$(cat "$bindir/fuzz_$name.rc" 2>/dev/null)" != 0 ]; then
		echo "== fuzz_$name FAILED:"
		tail -n 60 "$bindir/fuzz_$name.log"
		failed+=("$name")
	else
		echo "fuzz_$name: $(grep -E '^Done' "$bindir/fuzz_$name.log" | tail -n 1)"
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: crashes in: ${failed[*]} (inputs in $bindir/artifacts/)"
	exit 1
fi
echo "fuzz: $# targets ran clean"
