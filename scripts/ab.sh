#!/bin/bash
# One command for the whole A/B: build the kernel variants, boot each K
# times on a 2-node VM in an order that cancels drift, run the same suite
# in every boot, and leave gmem-compare's report with every boot as a unit.
#
# Usage: scripts/ab.sh [options]
#   --rounds K         boots per variant (default 3; see the README for why)
#   --order O          abba (default: each round reversed, ABBA...) or random
#   --seed N           the random order's seed (default: the clock); recorded
#   --jobs J           guests at once, 1 or 2 (default 2 with --icount, whose
#                      clock counts instructions and does not see the host's
#                      load; 1 otherwise, and 2 is refused there)
#   --with-mount       also build and run the "mount" variant (0001 only)
#   --variant SPEC     the variants, in order, the first being A (repeat it;
#                      default base and cache): one of ours (base, mount,
#                      cache, mmap, policy) or NAME=PATCHES, your series on top of the
#                      source: a directory of git format-patch files (in its
#                      "series" order, else by name) or an mbox (b4 am);
#                      a patch that does not apply stops it (exit 3)
#   --expect NAME=CACHE  the slab cache variant NAME's inodes must come from
#                      (ours know theirs; yours default to none: the report
#                      says where they came from, and nothing is checked)
#   --tree PATH        your own kernel tree instead of Debian's 6.12
#   --git REPO         variants are commits of git repository REPO, each
#                      exported into the cache (your checkout, index and HEAD
#                      are not touched): --variant [NAME=]REF[:PATCHES], REF
#                      with your patches on top if given; NAME defaults to
#                      git describe's (lowercased, other characters made -)
#   --base REF         with --git: the first variant, A (same as a first
#                      --variant REF)
#   --icount           instruction-counted TCG: the default, the one calibrated
#                      accelerator (scripts/calibrate.sh) and the only one here
#                      that sees changes below about 25% (README)
#   --accel A          kvm or tcg (real-time clock) instead of --icount;
#                      auto: KVM where it really works, else TCG
#   --nodes N          NUMA nodes (default 2);  --cpus-per-node N (default 1)
#   --cpu-nodes M      nodes with CPUs (default: 1 under --icount, whose guest
#                      has one vCPU (vm-run.sh --help says why; a warning
#                      says so when --nodes comes alone), else all)
#   --distances D      NUMA distances (vm-run.sh);  --mem-per-node SIZE
#   --suite FILE       suite to run in each guest (default
#                      scripts/suites/vm-icount.suite under --icount, else
#                      scripts/suites/vm.suite, which has N-thread cases)
#   --threshold PCT    changes within +-PCT% are of no practical relevance (default 1)
#   --calibration FILE the MDE to report (default: the latest scripts/calibrate.sh
#                      result for this accelerator, results/calibration-ACCEL.txt)
#   --name NAME        report name (default ab-YYYYmmdd-HHMMSS)
#
# Results: results/NAME-VARIANT/ per variant (CASE@bK.json for boot K, the
# boot's other files in boot-K/) and results/NAME/: report.txt (the cover
# letter and each boot's allocator check), gmem-compare's table, CSV,
# Markdown and plots, and order.txt.  Exit 1 when a boot or gmem-compare
# failed, 2 on bad arguments, 4 another A/B or calibration running.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/kernel-lib.sh"
# shellcheck source=ab-lib.sh
source "$gb_top/scripts/ab-lib.sh"

variants=(base cache)
declare -A spec=([base]=base [mount]=mount [cache]=cache) expect=() seen_variant=() git_ref=()
given_variants=0 with_mount=0 git_repo="" base_ref="" raw_variants=()
build_args=() vm_args=() compare_args=() name=ab-$(date +%Y%m%d-%H%M%S)
nodes_given=0 rounds=3 order=abba seed=$(($(date +%s) % 1000000000)) jobs="" icount=1 calibration="" accel=auto
while (($#)); do
	case $1 in
	--rounds) rounds=${2:?}; shift 2 ;;
	--order) order=${2:?}; shift 2 ;;
	--seed) seed=${2:?}; shift 2 ;;
	--jobs) jobs=${2:?}; shift 2 ;;
	--with-mount) variants=(base mount cache); with_mount=1; shift ;;
	--variant) ((given_variants++)) || variants=(); raw_variants+=("${2:?}"); shift 2 ;;
	--git) git_repo=${2:?}; shift 2 ;;
	--base) base_ref=${2:?}; shift 2 ;;
	--expect)
		arg=${2:?}
		[[ $arg =~ ^([a-z0-9][a-z0-9._-]*)=([a-z0-9_.:-]+)$ ]] || gb_die 2 "--expect takes NAME=CACHE, e.g. mine=kvm_gmem_inode_cache"
		expect[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		shift 2
		;;
	--tree) build_args+=(--tree "${2:?}"); shift 2 ;;
	--accel) accel=${2:?}; icount=0; vm_args+=("$1" "$2"); shift 2 ;;
	--nodes | --cpus-per-node | --cpu-nodes | --suite | --distances | --mem-per-node)
		[[ $1 != --nodes ]] || nodes_given=1
		vm_args+=("$1" "${2:?}"); shift 2 ;;
	--icount) icount=1; shift ;;
	--threshold) compare_args+=(--threshold "${2:?}"); shift 2 ;;
	--calibration) calibration=${2:?}; shift 2 ;;
	--name) name=${2:?}; shift 2 ;;
	-h | --help) gb_help; exit 0 ;;
	*) gb_die 2 "unknown argument '$1' (see --help)" ;;
	esac
done
[[ -z $base_ref || -n $git_repo ]] || gb_die 2 "--base REF needs --git REPO"
[[ -z $git_repo || ${build_args[0]:-} != --tree ]] || gb_die 2 "--tree or --git, not both"
[[ -z $base_ref ]] || { ((given_variants++)) || variants=(); raw_variants=("$base_ref" "${raw_variants[@]}"); }
# Each --variant: one of ours or NAME=PATCHES on the source, or with --git
# [NAME=]REF[:PATCHES] (git refs have no ":", so it can only end the ref).
for arg in "${raw_variants[@]}"; do
	n=${arg%%=*}
	[[ $arg == *=* ]] || n=""
	if [[ -n $git_repo ]]; then
		rest=${arg#"$n"=}
		[[ -n $n ]] || rest=$arg
		ref=${rest%%:*}
		commit=$(gb_git_commit "$git_repo" "$ref") || exit 2
		[[ -n $n ]] || n=$(gb_git_name "$git_repo" "$commit")
		gb_user_variant_name_ok "$n" || exit 2
		git_ref[$n]=$commit
		spec[$n]=$n
		[[ $rest != *:* ]] || spec[$n]=$n=${rest#*:}
	elif [[ -n $n ]]; then
		gb_user_variant_name_ok "$n" || exit 2
		spec[$n]=$arg
	else
		n=$arg
		gb_variant_patch_files "$n" >/dev/null || gb_die 2 "unknown variant '$n' ($gb_variants, or NAME=PATCHES)"
		spec[$n]=$n
	fi
	[[ -z ${seen_variant[$n]:-} ]] || gb_die 2 "variant '$n' given twice"
	seen_variant[$n]=1
	variants+=("$n")
done
[[ -z $git_repo ]] || ((${#git_ref[@]} == ${#variants[@]})) ||
	gb_die 2 "with --git, every variant is a commit: --base REF --variant [NAME=]REF"
# shellcheck source=results-lib.sh
source "$gb_top/scripts/results-lib.sh"
gb_label_ok "$name" || gb_die 2 "name '$name' must be letters, digits and ._+-, not starting with . or -"
[[ $rounds =~ ^[1-9][0-9]?$ ]] || gb_die 2 "--rounds takes 1 to 99 boots per variant"
((rounds >= 2)) || echo "ab.sh: warning: one boot per variant: the intervals will leave out the boot-to-boot variation" >&2
((icount)) && vm_args+=(--icount)
[[ -n $jobs ]] || jobs=$((icount ? 2 : 1))
[[ $jobs == 1 || $jobs == 2 ]] || gb_die 2 "--jobs takes 1 or 2"
((jobs == 1 || icount)) || gb_die 2 "--jobs 2 needs --icount: guests running side by side slow each other's real-time clocks"
((!given_variants || !with_mount)) || gb_die 2 "--with-mount is base, mount and cache: give --variant mount instead"
((${#variants[@]} >= 2)) || gb_die 2 "an A/B needs two variants at least"
for n in "${!expect[@]}"; do
	[[ " ${variants[*]} " == *" $n "* ]] || gb_die 2 "--expect names '$n', which is not a variant"
done
boot_order=$(gb_ab_order "$order" "$seed" "$rounds" "${variants[@]}") || exit 2
[[ " ${vm_args[*]} " == *" --nodes "* ]] || vm_args+=(--nodes 2)
if ((icount)); then
	# --nodes N alone reads as CPUs on N nodes: say that this guest has
	# one, whatever the suite's N-thread or per-node cases expected.
	if ((nodes_given)) && [[ " ${vm_args[*]} " != *" --cpu-nodes "* ]]; then
		echo "ab.sh: warning: under --icount the guest has one vCPU, on node 0, and the other nodes memory only; --accel tcg gives every node CPUs" >&2
	fi
	[[ " ${vm_args[*]} " == *" --cpu-nodes "* ]] || vm_args+=(--cpu-nodes 1)
	[[ " ${vm_args[*]} " == *" --suite "* ]] || vm_args+=(--suite "$gb_top/scripts/suites/vm-icount.suite")
fi
accel_name=$accel
((icount)) && accel_name=tcg-icount
[[ -n $calibration || ! -f $gb_top/results/calibration-$accel_name.txt ]] ||
	calibration=$gb_top/results/calibration-$accel_name.txt
[[ -z $calibration ]] || compare_args+=(--calibration "$calibration")

gb_ab_lock
start=$(date +%s)
declare -A image
for v in "${variants[@]}"; do
	from=("${build_args[@]}")
	[[ -z ${git_ref[$v]:-} ]] || from=(--git "$git_repo" --ref "${git_ref[$v]}")
	image[$v]=$("$gb_top/scripts/kernel-build.sh" "${from[@]}" "${spec[$v]}" | tail -n 1)
done
built=$(date +%s)

report=$gb_top/results/$name
mkdir -p "$report"
for v in "${variants[@]}"; do
	rm -rf -- "$gb_top/results/$name-$v"
done
{
	echo "order: $order"
	echo "seed: $seed"
	echo "rounds: $rounds"
	echo "boots: $(paste -sd' ' <<<"$boot_order")"
} >"$report/order.txt"

# Boot k of variant v: results/NAME-v.bK, then collected into results/NAME-v/.
boot_one() {
	local v=$1 k=$2
	local which=(--variant "$v")
	# Yours: where the inodes came from is reported, and checked only
	# against --expect.
	[[ ${spec[$v]} != *=* && -z ${git_ref[$v]:-} ]] || which=(--expect "${expect[$v]:-none}")
	[[ -z ${expect[$v]:-} ]] || which=(--expect "${expect[$v]}")
	"$gb_top/scripts/vm-run.sh" --kernel "${image[$v]}" "${which[@]}" \
		--label "$name-$v.b$k" --force "${vm_args[@]}" >"$report/boot-$v-$k.log" 2>&1 || return 1
	gb_ab_collect "$gb_top/results/$name-$v.b$k" "$gb_top/results/$name-$v" "$k"
}

rc=0
declare -A count boot_of
mapfile -t sequence <<<"$boot_order"
pids=()
# wait_one: wait for whichever running boot ends first (one stuck until
# its timeout must not hold up the next), and say if it failed.
wait_one() {
	local done_pid="" p left=()
	wait -n -p done_pid "${pids[@]}" ||
		{ rc=1; echo "ab.sh: boot ${boot_of[$done_pid]} failed (log in ${report#"$gb_top"/}/)" >&2; }
	for p in "${pids[@]}"; do [[ $p == "$done_pid" ]] || left+=("$p"); done
	pids=("${left[@]}")
}
for ((i = 0; i < ${#sequence[@]}; i++)); do
	v=${sequence[i]}
	count[$v]=$((${count[$v]:-0} + 1))
	echo "boot $((i + 1))/${#sequence[@]}: $v (round ${count[$v]})" >&2
	boot_one "$v" "${count[$v]}" &
	pids+=($!)
	boot_of[$!]="$v round ${count[$v]}"
	((${#pids[@]} < jobs)) || wait_one
done
while ((${#pids[@]})); do wait_one; done

# What was compared, for the report and the cover letter: per variant its
# kernel release, what its tree was made from (kernel-build.sh's
# .gb-source), its commits on top of the first variant's (--git), its
# patches' subjects and how its .config differs from the first variant's
# (LOCALVERSION aside).  Every string comes from files of ours, of the
# kernel trees or of your repository, and is cut to printable ASCII.
describe_variants() {
	local v tree first="" subject p n i diffs commits
	for v in "${variants[@]}"; do
		tree=${image[$v]%/arch/x86/boot/bzImage}
		echo "$v: $(cat "$tree/include/config/kernel.release" 2>/dev/null || echo "release unknown")"
		echo "  from $(cat "$tree/.gb-source" 2>/dev/null || echo "an unknown source")"
		if [[ -n ${git_ref[$v]:-} && $v != "${variants[0]}" ]]; then
			if git -C "$git_repo" merge-base --is-ancestor "${git_ref[${variants[0]}]}" "${git_ref[$v]}"; then
				mapfile -t commits < <(git -C "$git_repo" log --reverse --abbrev=12 --format='%h %s' \
					"${git_ref[${variants[0]}]}..${git_ref[$v]}")
				n=${#commits[@]}
				((n)) || echo "  the same commit as ${variants[0]}"
				for ((i = 0; i < n && i < 50; i++)); do
					echo "  [PATCH $((i + 1))/$n] ${commits[i]#* } (${commits[i]%% *})"
				done
				((n <= 50)) || echo "  ... and $((n - 50)) more commits"
			else
				echo "  not a descendant of ${variants[0]}'s commit: no list of commits"
			fi
		fi
		if [[ ${spec[$v]} == *=* ]]; then
			mapfile -t patches < <(gb_user_patch_files "${spec[$v]#*=}")
		elif [[ -z ${git_ref[$v]:-} ]]; then
			mapfile -t patches < <(gb_variant_patch_files "$v")
		else
			patches=()
		fi
		n=${#patches[@]}
		((n)) || [[ -n ${git_ref[$v]:-} ]] || echo "  no patch"
		((!n)) || [[ -z ${git_ref[$v]:-} ]] || echo "  with patches on top:"
		for ((i = 0; i < n; i++)); do
			p=${patches[i]}
			# The subject, its folded lines joined, without "[PATCH ...]".
			subject=$(awk '/^Subject: / { s = $0; sub(/^Subject: (\[[^]]*\] )?/, "", s); on = 1; next }
				on && /^[ \t]/ { sub(/^[ \t]+/, " "); s = s $0; next }
				on { print s; exit }' "$p")
			echo "  [PATCH $((i + 1))/$n] $subject (${p#"$gb_top"/})"
		done
		if [[ -z $first ]]; then
			first=$tree
		else
			# diff and grep say 1 for "differ" and "none": not errors here.
			diffs=$(diff <(grep -v LOCALVERSION "$first/.config") \
				<(grep -v LOCALVERSION "$tree/.config") | grep '^[<>]' || true)
			echo "  .config against ${variants[0]}'s: $(grep -c . <<<"$diffs" || true) lines differ"
			[[ -z $diffs ]] || head -n 20 <<<"$diffs" | sed 's/^/    /'
		fi
	done
}
describe_variants | LC_ALL=C tr -cd '\11\12\40-\176' >"$report/variants.txt"

sets=()
for v in "${variants[@]}"; do sets+=("$gb_top/results/$name-$v"); done
{
	if "$gb_top/scripts/compare.sh" --out "$report" "${compare_args[@]}" "${sets[@]}" >/dev/null 2>"$report/compare.err"; then
		# The block to paste ends with what was compared.
		{
			echo
			echo "Kernels compared:"
			sed 's/^/  /' "$report/variants.txt"
			# As git format-patch --base and b4 end a cover letter.
			[[ -z ${git_ref[${variants[0]}]:-} ]] || printf '
base-commit: %s
' "${git_ref[${variants[0]}]}"
		} >>"$report/cover-letter.txt"
		cat "$report/cover-letter.txt"
	else
		echo "gmem-compare failed: $(tail -n 1 "$report/compare.err")"
		rc=1
	fi
	echo
	echo "Boot order ($order, seed $seed): $(paste -sd' ' <<<"$boot_order")"
	echo "Where the inodes came from, per boot (hold, the slab collector from start to peak),"
	echo "the allocator check against what the variant should use, and what the kernel"
	echo "reported once the tests began (WARNING, BUG, Oops lines in its log):"
	for v in "${variants[@]}"; do
		for d in "$gb_top/results/$name-$v"/boot-*/; do
			[[ -f $d/allocator.txt ]] || continue
			printf '  %s %s: %s; %s; %s\n' "$v" "$(basename "$d")" \
				"$(grep -m1 -o '^inodes from: [a-z0-9_.:-]*' "$d/allocator.txt" || echo "inodes from: not reported")" \
				"$(grep -m1 -o 'allocator check: [A-Z]*.*' "$d/allocator.txt" || echo "no expectation, not checked")" \
				"$(gb_ab_kernel_reports "$d/dmesg.txt")"
			# Yours without --expect have the fact alone, nothing to fail.
			grep -q "^inodes from: " "$d/allocator.txt" || rc=1
			! grep -q "allocator check: FAIL" "$d/allocator.txt" || rc=1
		done
	done
	echo
	echo "Where a file's pages land under its NUMA policy (gmem-bench placement-check in"
	echo "the first boot: task bound to its node, the file to the farthest; a finding):"
	for v in "${variants[@]}"; do
		d=$gb_top/results/$name-$v/boot-1/placement
		for b in gmem memfd; do
			printf '  %s %s: %s\n' "$v" "$b" \
				"$(grep -m1 -o -E '^placement: [0-9]+ checks, [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped|^gmem-bench placement-check: error: [[:print:]]{1,160}' "$d/$b.txt" 2>/dev/null || echo "not run")"
			if [[ -f $d/$b.txt ]]; then
				grep -E '^  FAIL ' "$d/$b.txt" | cut -c1-100 | LC_ALL=C tr -cd '[:print:]\n' | sed 's/^/      /' || true
			fi
		done
	done
} >"$report/report.txt"
cat "$report/report.txt"
echo "build $((built - start)) s, boots $(($(date +%s) - built)) s; report in ${report#"$gb_top"/}/report.txt"
exit $rc
