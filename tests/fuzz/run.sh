#!/usr/bin/env bash
# run.sh: runs each libFuzzer target for a bounded time on its corpus.
#   run.sh BINDIR SECONDS RUNS NAME...
# Each target gets at most SECONDS seconds and RUNS inputs. New inputs go
# to a scratch corpus under BINDIR/work/NAME (the committed corpus is only
# read); a crash leaves its input in BINDIR/artifacts/ and fails the run:
# minimise it, fix the code, and keep it in tests/fuzz/regressions/NAME/.
set -u
bindir=$1 seconds=$2 runs=$3
shift 3
src=$(cd "$(dirname "$0")" && pwd)
failed=()
mkdir -p "$bindir/artifacts"
for name in "$@"; do
	bin="$bindir/fuzz_$name"
	work="$bindir/work/$name"
	mkdir -p "$work"
	dirs=()
	for d in "$src/corpus/$name" "$src/regressions/$name"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	echo "== fuzz_$name: ${seconds}s"
	# -timeout: one input taking longer is a hang (a finding too).
	if ! ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	    "$bin" -max_total_time="$seconds" -runs="$runs" -timeout=10 \
	    -rss_limit_mb=2048 -max_len=70000 -print_final_stats=1 \
	    -artifact_prefix="$bindir/artifacts/$name-" \
	    "$work" "${dirs[@]}" 2>"$bindir/fuzz_$name.log"; then
		tail -n 60 "$bindir/fuzz_$name.log"
		failed+=("$name")
	else
		grep -E '^(stat::number_of_executed_units|Done)' \
		    "$bindir/fuzz_$name.log" | tail -n 2
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: crashes in: ${failed[*]} (inputs in $bindir/artifacts/)"
	exit 1
fi
echo "fuzz: ${#@} targets ran clean"
