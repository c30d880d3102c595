#!/bin/bash
# Run a suite of gmem-bench cases on the running kernel and keep the results.
#
# Usage: scripts/run-suite.sh [--suite FILE] [--label LABEL] [--force]
#   --suite FILE   suite to run (default scripts/suites/default.suite)
#   --label LABEL  results go to results/LABEL/ (default: the kernel release)
#   --force        replace an existing results/LABEL/
#
# Writes one JSON per case, summary.txt (every case's summary) and env.txt.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
suite=$top/scripts/suites/default.suite
label=$(uname -r)
force=0

while (($#)); do
	case $1 in
	--suite) suite=${2:?--suite needs a file}; shift 2 ;;
	--label) label=${2:?--label needs a value}; shift 2 ;;
	--force) force=1; shift ;;
	-h | --help) sed -n '2,10p' "$0"; exit 0 ;;
	*) echo "run-suite: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
[[ -r $suite ]] || { echo "run-suite: cannot read suite $suite" >&2; exit 2; }
[[ $label =~ ^[A-Za-z0-9._+-]+$ ]] || { echo "run-suite: label '$label' must be letters, digits and ._+-" >&2; exit 2; }

out=$top/results/$label
if [[ -e $out && $force != 1 ]]; then
	echo "run-suite: $out exists; use --force to replace it or --label to pick another" >&2
	exit 2
fi

"$top/scripts/build.sh"
bench=${GB_BUILD_DIR:-$top/build}/bench/gmem-bench

# Results are assembled next to the final directory and moved in at the end,
# so an interrupted suite never leaves a half-filled results/LABEL/.
stage=$(mktemp -d "$top/results/.$label.XXXXXX")
trap 'rm -rf "$stage"' EXIT

ncpus=$(nproc)
mapfile -t cases < <(grep -v '^[[:space:]]*\(#\|$\)' "$suite")
{
	echo "label: $label"
	echo "suite: ${suite#"$top"/}"
	echo "uname: $(uname -a)"
	echo "cmdline: $(cat /proc/cmdline)"
	echo "gmem-bench: $("$bench" --version)"
	"$bench" probe 2>&1 || true
} >"$stage/env.txt"

i=0
start=$(date +%s)
for line in "${cases[@]}"; do
	i=$((i + 1))
	name=${line%%:*}
	args=${line#*:}
	name=${name//\{ncpus\}/$ncpus}
	args=${args//\{ncpus\}/$ncpus}
	elapsed=$(($(date +%s) - start))
	eta=""
	((i > 1)) && eta=", ETA $((elapsed * (${#cases[@]} - i + 1) / (i - 1)))s"
	echo "[$i/${#cases[@]}$eta] $name:$args"
	# shellcheck disable=SC2086
	if ! "$bench" $args --label "$label" -j "$stage/$name.json" >"$stage/$name.txt"; then
		echo "run-suite: case $name failed; its output is in $stage/$name.txt" >&2
		trap - EXIT
		exit 1
	fi
	{ echo "== $name:$args"; cat "$stage/$name.txt"; echo; } >>"$stage/summary.txt"
	rm "$stage/$name.txt"
done

rm -rf "$out"
mv "$stage" "$out"
trap - EXIT
echo "results in ${out#"$top"/}/ ($(($(date +%s) - start)) s)"
