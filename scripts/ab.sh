#!/bin/bash
# One command for the whole A/B: build the kernel variants, run the same
# suite in each on a 2-node VM, and leave a report.
#
# Usage: scripts/ab.sh [options]
#   --with-mount       also build and run the "mount" variant (0001 only)
#   --tree PATH        your own kernel tree instead of Debian's 6.12
#   --accel A          auto (default), kvm or tcg;  --icount  instruction-counted TCG
#   --nodes N          NUMA nodes (default 2);  --cpus-per-node N (default 1)
#   --distances D      NUMA distances (vm-run.sh);  --mem-per-node SIZE
#   --suite FILE       suite to run in each guest (default scripts/suites/vm.suite)
#   --name NAME        report name (default ab-YYYYmmdd-HHMMSS)
#
# Results: results/NAME-VARIANT/ per variant and results/NAME/report.txt.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/kernel-lib.sh"

variants=(base cache)
build_args=() vm_args=() name=ab-$(date +%Y%m%d-%H%M%S)
while (($#)); do
	case $1 in
	--with-mount) variants=(base mount cache); shift ;;
	--tree) build_args+=(--tree "${2:?}"); shift 2 ;;
	--accel | --nodes | --cpus-per-node | --suite | --distances | --mem-per-node) vm_args+=("$1" "${2:?}"); shift 2 ;;
	--icount) vm_args+=(--icount); shift ;;
	--name) name=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,15p' "$0"; exit 0 ;;
	*) gb_die 2 "unknown argument '$1' (see --help)" ;;
	esac
done
# shellcheck source=results-lib.sh
source "$gb_top/scripts/results-lib.sh"
gb_label_ok "$name" || gb_die 2 "name '$name' must be letters, digits and ._+-, not starting with . or -"
[[ " ${vm_args[*]} " == *" --nodes "* ]] || vm_args+=(--nodes 2)

start=$(date +%s)
declare -A image
for v in "${variants[@]}"; do
	image[$v]=$("$gb_top/scripts/kernel-build.sh" "${build_args[@]}" "$v" | tail -n 1)
done
built=$(date +%s)

rc=0
for v in "${variants[@]}"; do
	"$gb_top/scripts/vm-run.sh" --kernel "${image[$v]}" --variant "$v" \
		--label "$name-$v" --force "${vm_args[@]}" || rc=1
done

report=$gb_top/results/$name
mkdir -p "$report"
"$gb_top/scripts/ab-report.sh" "$name" "${variants[@]}" >"$report/report.txt" || rc=1
cat "$report/report.txt"
echo "build $((built - start)) s, runs $(($(date +%s) - built)) s; report in ${report#"$gb_top"/}/report.txt"
exit $rc
