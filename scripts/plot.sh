#!/bin/bash
# Draw the plots of a comparison: PNG and SVG of every plot whose data
# gmem-compare wrote into DIR (gmem-compare --out-dir DIR).
#
# DIR may come from someone else: nothing in it is run.  plot-vars.txt is
# read here as "key value" lines and handed to gnuplot as arguments
# (gnuplot -c), never as code; the .dat files are read by gnuplot as data.
#
# Usage: scripts/plot.sh DIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
dir=${1:?usage: plot.sh DIR}
vars=$dir/plot-vars.txt
[[ -f $vars ]] || gb_die 2 "no plot data in $dir (run gmem-compare --out-dir $dir)"
"$gb_top/scripts/install-deps.sh" stats

declare -A var=()
while IFS=' ' read -r key value; do
	case $key in
	nsets | nblocks | kernels | machine | latency_case | slab_case)
		# Control characters could not come from gmem-compare: drop them.
		var[$key]=${value//[[:cntrl:]]/?} ;;
	esac
done <"$vars"
for key in nsets nblocks; do
	[[ ${var[$key]:-} =~ ^[0-9]{1,3}$ ]] || gb_die 11 "$vars: '$key' is not a small number"
done

declare -A data=([throughput]=throughput.dat [latency]=latency-create.dat [slab]=slab.dat [numa]=numa.dat)
declare -A case_of=([throughput]="" [latency]=latency_case [slab]=slab_case [numa]=slab_case)
for plot in throughput latency slab numa; do
	[[ -f $dir/${data[$plot]} ]] || { echo "plot: $plot: no data (no such case in the results)"; continue; }
	key=${case_of[$plot]}
	for fmt in png svg; do
		gnuplot -c "$gb_top/scripts/plots/plot.gp" "$dir" "$fmt" "$plot" "${var[nsets]}" \
			"${var[nblocks]}" "${var[kernels]:-}" "${var[machine]:-}" "${key:+${var[$key]:-}}"
		mv -f -- "$dir/$plot.$fmt.tmp" "$dir/$plot.$fmt"
	done
	echo "plot: $dir/$plot.png, $plot.svg"
done
