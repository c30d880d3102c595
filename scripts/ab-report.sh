#!/bin/bash
# Side-by-side report of an A/B run: per case, the mean of every run's
# ns per create+close in each variant, its standard deviation, and the
# change against the first variant; then each guest's allocator check.
# Usage: scripts/ab-report.sh NAME VARIANT...   (reads results/NAME-VARIANT/)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/kernel-lib.sh"

name=${1:?usage: ab-report.sh NAME VARIANT...}
shift
(($# >= 2)) || gb_die 2 "need at least two variants"
get=${GB_BUILD_DIR:-$gb_top/build}/bench/tests/json-get
[[ -x $get ]] || "$gb_top/scripts/build.sh" >/dev/null

dirs=()
for v in "$@"; do
	d=$gb_top/results/$name-$v
	[[ -f $d/vm.txt ]] || gb_die 3 "no results for $v in ${d#"$gb_top"/}"
	dirs+=("$d")
done

echo "gmem-bench A/B: $name"
grep -E '^(accelerator|topology|host):' "${dirs[0]}/vm.txt"
for i in "${!dirs[@]}"; do
	printf '%-8s %s\n' "$(basename "${dirs[$i]}" | sed "s/^$name-//"):" "$(grep -m1 '^uname:' "${dirs[$i]}/env.txt" | awk '{print $4}')"
done
echo
echo "ns per create+close (mean of runs, +- stddev; change vs $1)"
printf '%-24s' case
for v in "$@"; do printf ' %22s' "$v"; done
echo
for json in "${dirs[0]}"/*.json; do
	case=$(basename "$json" .json)
	printf '%-24s' "$case"
	base=""
	for d in "${dirs[@]}"; do
		f=$d/$case.json
		if [[ ! -f $f ]]; then printf ' %22s' "-"; continue; fi
		mean=$("$get" "$f" stats.ns_per_op.mean)
		sd=$("$get" "$f" stats.ns_per_op.stddev)
		if [[ -z $base ]]; then
			base=$mean
			printf ' %12.1f +- %6.1f' "$mean" "$sd"
		else
			printf ' %10.1f %+9.2f%%' "$mean" "$(awk -v a="$mean" -v b="$base" 'BEGIN { print (a / b - 1) * 100 }')"
		fi
	done
	echo
done
# memfd is the control: the series doesn't touch shmem, so its change is
# how far the machine alone moved the figures between the guests.
control=${dirs[0]}/churn-memfd-1t.json
if [[ -f $control && -f ${dirs[1]}/churn-memfd-1t.json ]]; then
	a=$("$get" "$control" stats.ns_per_op.mean)
	b=$("$get" "${dirs[1]}/churn-memfd-1t.json" stats.ns_per_op.mean)
	noise=$(awk -v a="$a" -v b="$b" 'BEGIN { d = (b / a - 1) * 100; print d < 0 ? -d : d }')
	echo
	printf 'control: churn-memfd-1t (shmem, untouched by the series) moved %.1f%%:\n' "$noise"
	if awk -v n="$noise" 'BEGIN { exit !(n > 3) }'; then
		echo "  WARNING: the machine itself moved the figures; gmem differences of that size"
		echo "  mean nothing.  Rerun with --icount (instruction-counted time) or on a quiet host."
	else
		echo "  the machine was steady between the guests."
	fi
fi
echo
echo "allocator check (hold, 20000 files, /proc/slabinfo before and at the peak):"
fail=0
for i in "${!dirs[@]}"; do
	echo "[$(basename "${dirs[$i]}" | sed "s/^$name-//")]"
	sed 's/^/  /' "${dirs[$i]}/allocator.txt"
	grep -q "allocator check: PASS" "${dirs[$i]}/allocator.txt" || fail=1
done
echo
# Significance, and the block for the cover letter; the full table, CSV,
# Markdown and plots go next to the report (scripts/compare.sh).
compare_dir=$gb_top/results/$name-compare
echo "gmem-compare (table, CSV, Markdown, plots in ${compare_dir#"$gb_top"/}/):"
if "$gb_top/scripts/compare.sh" --out "$compare_dir" "${dirs[@]}" >/dev/null 2>&1; then
	cat "$compare_dir/cover-letter.txt"
else
	echo "  gmem-compare failed: $("${GB_BUILD_DIR:-$gb_top/build}/bench/gmem-compare" "${dirs[@]}" 2>&1 >/dev/null | tail -n 1)"
	fail=1
fi
exit $fail
