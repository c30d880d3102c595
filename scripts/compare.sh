#!/bin/bash
# Compare result directories (the first is the baseline) and draw the plots:
# everything lands in results/compare-A-vs-B[-vs-C...]/ (or --out DIR), and
# the mmtests-style table and the cover-letter block are printed.
#
# Usage: scripts/compare.sh [--out DIR] [gmem-compare options] DIR DIR...
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
out="" args=() dirs=()
while (($#)); do
	case $1 in
	--out) out=${2:?--out needs a directory}; shift 2 ;;
	-h | --help) gb_help; exit 0 ;;
	--alpha | --max-cv | --latency-case | --slab-case | --threshold | --calibration) args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
	-*) args+=("$1"); shift ;;
	*) dirs+=("$1"); shift ;;
	esac
done
((${#dirs[@]} >= 2)) || gb_die 2 "need a baseline and at least one other result directory"
"$gb_top/scripts/build.sh" >/dev/null
if [[ -z $out ]]; then
	name=""
	for d in "${dirs[@]}"; do name+=${name:+-vs-}$(basename "$d"); done
	out=$gb_top/results/compare-$name
fi
mkdir -p "$out"
"$gb_build/bench/gmem-compare" --out-dir "$out" "${args[@]}" "${dirs[@]}"
"$gb_top/scripts/plot.sh" "$out"
cat "$out/compare.txt"
echo
cat "$out/cover-letter.txt"
echo
echo "compare: table, CSV, Markdown, cover letter and plots in ${out#"$gb_top"/}/"
