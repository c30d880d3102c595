#!/bin/bash
# Build the libFuzzer targets (clang, ASan+UBSan) into build-fuzz/ and run
# them, each for a bounded time, from its seed corpus.
#
# Usage: scripts/fuzz.sh [--time SECS] [--jobs N] [--build-only] [TARGET...]
#   TARGET        slabinfo slab_sysfs meminfo cgroup result_json suite options
#                 (default: all of them, one after another)
#   --time SECS   how long each target runs (default 60)
#   --jobs N      N processes of each target at once, sharing its scratch
#                 corpus (default 1): the tests give each target 2 for 15 s,
#                 the 30 CPU-seconds of one for 30 s in half the time
#   --build-only  build, run nothing
#
# Every run first replays bench/fuzz/corpus/TARGET and
# bench/fuzz/regressions/TARGET (inputs that once crashed it), then
# mutates.  New coverage goes to a scratch corpus under build-fuzz/, never
# into the repository.  A crash leaves its input in
# build-fuzz/artifacts/TARGET/: fix the bug, then add the input to
# bench/fuzz/regressions/TARGET/.  Exit: 0 clean, 1 a target crashed,
# 2 usage.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
build=${GB_FUZZ_BUILD_DIR:-$gb_top/build-fuzz}
all=(slabinfo slab_sysfs meminfo cgroup result_json suite options)

secs=60 jobs=1 build_only=0 targets=()
while (($#)); do
	case $1 in
	--time) secs=${2:?--time needs seconds}; shift 2 ;;
	--jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
	--build-only) build_only=1; shift ;;
	-h | --help) gb_help; exit 0 ;;
	-*) gb_die 2 "unknown option '$1'" ;;
	*)
		[[ " ${all[*]} " == *" $1 "* ]] || gb_die 2 "unknown target '$1' (${all[*]})"
		targets+=("$1")
		shift
		;;
	esac
done
[[ $secs =~ ^[1-9][0-9]*$ ]] || gb_die 2 "--time takes whole seconds"
[[ $jobs =~ ^[1-9]$ ]] || gb_die 2 "--jobs takes 1 to 9"
((${#targets[@]})) || targets=("${all[@]}")

"$gb_top/scripts/install-deps.sh" fuzz
mkdir -p "$build"
# A lock: ctest runs the targets as separate tests, possibly at once.
exec 9>"$build/.lock"
flock 9
CC=clang GB_BUILD_DIR=$build "$gb_top/scripts/build.sh" -DGB_FUZZ=ON >/dev/null
flock -u 9
((build_only)) && { echo "built the fuzz targets in $build/bench/fuzz"; exit 0; }

rc=0
for t in "${targets[@]}"; do
	scratch=$build/corpus/$t artifacts=$build/artifacts/$t
	mkdir -p "$scratch" "$artifacts" "$gb_top/bench/fuzz/regressions/$t"
	pids=() failed=0 units=0
	for ((j = 1; j <= jobs; j++)); do
		# -timeout: one input taking over 10 s is a hang, reported as such.
		"$build/bench/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
			-artifact_prefix="$artifacts/" "$scratch" "$gb_top/bench/fuzz/corpus/$t" \
			"$gb_top/bench/fuzz/regressions/$t" >"$build/fuzz-$t-$j.log" 2>&1 &
		pids+=($!)
	done
	for ((j = 1; j <= jobs; j++)); do
		log=$build/fuzz-$t-$j.log
		if wait "${pids[j - 1]}"; then
			units=$((units + $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')))
		else
			failed=1
			grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' "$log" | head -n 8 >&2
			echo "fuzz $t: FAILED (log: $log, input in $artifacts/)" >&2
		fi
	done
	if ((failed)); then
		rc=1
	else
		echo "fuzz $t: clean, $units inputs in ${secs}s ($jobs process(es))"
	fi
done
exit $rc
