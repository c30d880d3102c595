#!/bin/bash
# Draw the plots of a comparison: PNG and SVG of every plot whose data
# gmem-compare wrote into DIR (gmem-compare --out-dir DIR).
#
# Usage: scripts/plot.sh DIR
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: plot.sh DIR}
[[ -f $dir/plot-vars.gp ]] || { echo "plot: no plot data in $dir (run gmem-compare --out-dir $dir)" >&2; exit 2; }
"$top/scripts/install-deps.sh" stats

declare -A data=([throughput]=throughput.dat [latency]=latency-create.dat [slab]=slab.dat [numa]=numa.dat)
for plot in throughput latency slab numa; do
	[[ -f $dir/${data[$plot]} ]] || { echo "plot: $plot: no data (no such case in the results)"; continue; }
	for fmt in png svg; do
		gnuplot -e "datadir='$dir'; fmt='$fmt'; out='$dir/$plot.$fmt.tmp'" \
			"$dir/plot-vars.gp" "$top/scripts/plots/common.gp" "$top/scripts/plots/$plot.gp"
		mv "$dir/$plot.$fmt.tmp" "$dir/$plot.$fmt"
	done
	echo "plot: $dir/$plot.png, $plot.svg"
done
