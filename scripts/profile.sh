#!/bin/bash
# Profile the create and close paths: run a gmem-bench workload under
# "perf record -g" and write the top kernel symbols (perf report --stdio).
#
# Usage: scripts/profile.sh [--out DIR] [-- GMEM-BENCH ARGS...]
#   default workload: churn -t 1 -d 3 -r 1 (create and close interleaved);
#   hold separates the phases: -- hold -n 50k -r 1
#   --out DIR  where profile.txt goes (default results/profile-<kernel release>)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
out=$gb_top/results/profile-$(uname -r)
args=(churn -t 1 -d 3 -r 1)
while (($#)); do
	case $1 in
	--out) out=${2:?}; shift 2 ;;
	--) shift; (($#)) && args=("$@"); break ;;
	-h | --help) gb_help; exit 0 ;;
	*) gb_die 2 "unknown argument '$1' (see --help)" ;;
	esac
done

"$gb_top/scripts/install-deps.sh" core stats perf
"$gb_top/scripts/build.sh" >/dev/null
bench=$gb_build/bench/gmem-bench
command -v perf >/dev/null || gb_die 3 "perf is not installed (Debian package linux-perf)"

mkdir -p "$out"
kptr=$(cat /proc/sys/kernel/kptr_restrict 2>/dev/null || echo unknown)
paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo unknown)
data=$(mktemp /tmp/gb-perf-XXXXXX.data)
trap 'rm -f "$data"' EXIT

# Software clock sampling works where the PMU offers no hardware events.
# (perf stat exits 0 and prints "<not supported>" when the PMU lacks it.)
event=cycles
if ! perf stat -e cycles true 2>&1 | grep -q '[0-9] *cycles'; then
	event=cpu-clock
fi
perf record -q -e "$event" -g -o "$data" -- "$bench" "${args[@]}" -q >/dev/null 2>"$out/perf-record.log" || {
	echo "profile.sh: perf record failed: $(tail -n 3 "$out/perf-record.log")" >&2
	exit 1
}
{
	echo "gmem-bench ${args[*]} on $(uname -r), sampled on $event"
	echo "kernel.kptr_restrict=$kptr kernel.perf_event_paranoid=$paranoid"
	if [[ $kptr != 0 && $(id -u) != 0 ]]; then
		echo "WARNING: kernel symbols are hidden (kptr_restrict=$kptr and not root): kernel frames show as addresses"
	fi
	echo
	echo "== top kernel symbols (self time)"
	perf report -i "$data" --stdio --no-children --sort sym 2>/dev/null |
		grep -E '^\s+[0-9.]+%.*\[k\]' | head -n 25
	echo
	echo "== call graphs of the top symbols, caller view"
	perf report -i "$data" --stdio --children --sort sym -G 2>/dev/null | head -n 120
} >"$out/profile.txt"
if ! grep -q '\[k\]' "$out/profile.txt"; then
	echo "profile.sh: no kernel symbols in the profile (hidden by kptr_restrict, or perf_event_paranoid=$paranoid forbids kernel sampling)" >&2
fi
echo "profile in ${out#"$gb_top"/}/profile.txt"
