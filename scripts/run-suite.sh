#!/bin/bash
# Run a suite of gmem-bench cases on the running kernel and keep the results.
#
# Usage: scripts/run-suite.sh [--suite NAME|FILE] [--label LABEL] [--force | --append]
#   --suite NAME   scripts/suites/NAME.suite, or a suite file (default: default)
#   --label LABEL  results go to results/LABEL/ (default: the kernel release)
#   --force        replace an existing results/LABEL/
#   --append       add this boot's round to results/LABEL/ (made by --append
#                  in earlier boots of the same kernel, with the same suite),
#                  so that rounds interleave across reboots (A, B, A, B, ...
#                  on your own hardware) and gmem-compare takes each boot as
#                  one unit, as in the VM A/B.  Boot K's cases are
#                  CASE@bK-R.json, its env.txt, slabinfo, dmesg and summary
#                  go to boot-K/, and boots.txt lists the boots.  A second
#                  round in one boot is refused (it would not be another
#                  unit), and so is another kernel or suite (exit 2).
#
# Writes one JSON per case, summary.txt (every case's summary), env.txt,
# the kernel's config (config.txt), /proc/slabinfo before and after, and
# the kernel log lines of the run about kvm, slab or oom (dmesg.txt).
# Suite format: bench/src/suite/suite.h (case lines and matrices).
# Interrupted (SIGINT, SIGTERM): the running case stops and writes its
# result marked "interrupted", the cases done so far are kept, INTERRUPTED
# says where it stopped, and the exit code is 128 + the signal.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
suite=$gb_top/scripts/suites/default.suite
label=$(uname -r)
force=0 append=0

while (($#)); do
	case $1 in
	--suite) suite=${2:?--suite needs a file}; shift 2 ;;
	--label) label=${2:?--label needs a value}; shift 2 ;;
	--force) force=1; shift ;;
	--append) append=1; shift ;;
	-h | --help) gb_help; exit 0 ;;
	*) gb_die 2 "unknown argument '$1' (see --help)" ;;
	esac
done
[[ $suite == */* || -r $suite ]] || suite=$gb_top/scripts/suites/$suite.suite
[[ -r $suite ]] || gb_die 2 "cannot read suite $suite"
# shellcheck source=results-lib.sh
source "$gb_top/scripts/results-lib.sh"
gb_label_ok "$label" || gb_die 2 "label '$label' must be letters, digits and ._+-, not starting with . or -"
((!force || !append)) || gb_die 2 "--force replaces results, --append adds to them: one or the other"

# The kernel's side of the run: its config, slab state before and after,
# and what it logged meanwhile.  Each file says why when it can't be had.
capture_environment() {
	local dir=$1
	if [[ -r /proc/config.gz ]]; then
		zcat /proc/config.gz >"$dir/config.txt"
	elif [[ -r /boot/config-$(uname -r) ]]; then
		cp "/boot/config-$(uname -r)" "$dir/config.txt"
	else
		echo "# no /proc/config.gz (CONFIG_IKCONFIG_PROC) and no /boot/config-$(uname -r)" >"$dir/config.txt"
	fi
	cat /proc/slabinfo >"$dir/slabinfo-before.txt" 2>&1 || true
	# Kernel log timestamps are seconds since boot, like /proc/uptime.
	run_started=$(cut -d' ' -f1 /proc/uptime)
}

capture_after_run() {
	local dir=$1
	cat /proc/slabinfo >"$dir/slabinfo-after.txt" 2>&1 || true
	if log=$(dmesg 2>&1); then
		awk -v t="$run_started" '
			match($0, /^\[ *[0-9]+\.[0-9]+\]/) {
				ts = substr($0, 2, RLENGTH - 2) + 0
				if (ts >= t && tolower($0) ~ /kvm|slab|slub|oom|guest_memfd|memcg/) print
			}' <<<"$log" >"$dir/dmesg.txt"
		[[ -s $dir/dmesg.txt ]] || echo "# no kernel log lines about kvm, slab or oom during the run" >"$dir/dmesg.txt"
	else
		echo "# dmesg failed: $log" >"$dir/dmesg.txt"
	fi
}

results=${GB_RESULTS_DIR:-$gb_top/results}
out=$results/$label
gb_lock_results "$results" ||
	gb_die 2 "another run-suite.sh is writing into $results; one at a time"
if [[ -e $out && $force != 1 && $append != 1 ]]; then
	echo "run-suite: $out exists; use --force to replace it, --append to add a boot's round, or --label to pick another" >&2
	exit 2
fi
if [[ -e $out && ( -L $out || ! -d $out ) ]]; then
	echo "run-suite: $out is not a directory; not replacing it" >&2
	exit 2
fi
if ((append)) && [[ -e $out && ! -f $out/boots.txt ]]; then
	gb_die 2 "$out was not made with --append (no boots.txt); not adding to it"
fi

"$gb_top/scripts/build.sh"
bench=$gb_build/bench/gmem-bench
ncpus=$(nproc)
# Expanded (and checked) before anything runs: a typo fails now, not later.
# --fields: each case's arguments as the suite split them, separated by
# 0x1f, used below without word splitting or globbing.
expanded=$("$gb_build/bench/gmem-suite" --ncpus "$ncpus" --fields "$suite") || exit $?
rounds=1
[[ $expanded =~ ^#\ rounds\ ([0-9]+) ]] && rounds=${BASH_REMATCH[1]}
mapfile -t cases < <(grep -v '^#' <<<"$expanded")

# --append: this boot, this kernel and this suite, checked against the
# boots already there (boots.txt: "boot K BOOT_ID RELEASE SUITE-SHA1").
boot=0
if ((append)); then
	boot_id=$(cat /proc/sys/kernel/random/boot_id)
	suite_sum=$(sha1sum <<<"$expanded" | cut -c1-40)
	if [[ -f $out/boots.txt ]]; then
		while read -r _ k id release sum; do
			[[ $id != "$boot_id" ]] ||
				gb_die 2 "$out already has boot $k's round from this boot; reboot (into this kernel) before appending another"
			[[ $release == "$(uname -r)" ]] ||
				gb_die 2 "$out holds kernel $release, this is $(uname -r); one kernel per label"
			[[ $sum == "$suite_sum" ]] ||
				gb_die 2 "$out was run with another suite (or other CPUs); append the same one"
			boot=$k
		done <"$out/boots.txt"
	fi
	boot=$((boot + 1))
fi

# Results are assembled next to the final directory and moved in at the end,
# so a failed suite never leaves a half-filled results/LABEL/ (an interrupted
# one is moved in with an INTERRUPTED marker).
gb_clean_stale_stages "$results" "$label"
stage=$(mktemp -d "$results/.$label.XXXXXX")
chmod 755 "$stage"
# The running case's summary, under a name no case can have.
case_out=$stage/.case-output
# Whatever goes wrong (a full disk, a failed case), the cases done are kept
# and the message says where.
on_exit() {
	local rc=$?
	((rc == 0)) && return
	if compgen -G "$stage/*.json" >/dev/null || compgen -G "$stage/FAILED-*" >/dev/null; then
		rm -f "$case_out"
		echo "run-suite: failed (exit $rc); the results so far are in $stage" >&2
	else
		rm -rf "$stage"
	fi
}
trap on_exit EXIT

# SIGINT/SIGTERM: pass it to the running case, then keep what was done.
interrupted=""
case_pid=""
on_signal() {
	interrupted=$1
	[[ -z $case_pid ]] || kill -s "$1" "$case_pid" 2>/dev/null || true
}
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP
# The end of every kept suite, finished or interrupted: the after-run
# captures, and the staged directory moved in whole.
finish() {
	capture_after_run "$stage" || gb_die 9 "cannot write in $stage"
	rm -f "$case_out"
	if ((append)); then
		finish_append
	else
		[[ ! -e $out ]] || rm -rf -- "$out"
		mv -T -- "$stage" "$out" || exit 9
	fi
	trap - EXIT
}
# --append: the boot's files to boot-K/, its cases beside the earlier
# boots', and its line in boots.txt last (a round is in the set once it is
# listed).  A first boot moves in whole.
finish_append() {
	local f
	mkdir "$stage/boot-$boot" || exit 9
	for f in env.txt config.txt slabinfo-before.txt slabinfo-after.txt dmesg.txt summary.txt; do
		[[ ! -e $stage/$f ]] || mv -- "$stage/$f" "$stage/boot-$boot/" || exit 9
	done
	if [[ ! -e $out ]]; then
		echo "boot $boot $boot_id $(uname -r) $suite_sum" >"$stage/boots.txt" || exit 9
		mv -T -- "$stage" "$out" || exit 9
		return
	fi
	[[ ! -e $out/boot-$boot ]] || gb_die 9 "$out/boot-$boot exists but boots.txt does not list it"
	for f in "$stage"/*.json "$stage/boot-$boot"; do
		[[ ! -e $out/${f##*/} ]] || gb_die 9 "$out/${f##*/} exists; boots.txt does not match the files"
		mv -- "$f" "$out/" || exit 9
	done
	echo "boot $boot $boot_id $(uname -r) $suite_sum" >>"$out/boots.txt" || exit 9
	rm -rf -- "$stage"
}
stop_interrupted() {
	if ((append)); then
		# A round cut short is not a boot's round: nothing is appended.
		trap - EXIT
		rm -f "$case_out"
		echo "run-suite: interrupted during $1; nothing appended to ${out#"$gb_top"/}/, this boot's results so far are in $stage" >&2
		exit $((128 + $(kill -l "$interrupted")))
	fi
	echo "interrupted by SIG$interrupted during $1 ($i of $total runs started)" >"$stage/INTERRUPTED"
	[[ -s $case_out ]] && { echo "== $1 (interrupted)"; cat "$case_out"; } >>"$stage/summary.txt"
	finish
	echo "run-suite: interrupted during $1; the results so far are in ${out#"$gb_top"/}/" >&2
	exit $((128 + $(kill -l "$interrupted")))
}

{
	echo "label: $label"
	echo "suite: ${suite#"$gb_top"/}"
	echo "uname: $(uname -a)"
	echo "cmdline: $(cat /proc/cmdline)"
	echo "gmem-bench: $("$bench" --version)"
	"$bench" probe 2>&1 || true
} >"$stage/env.txt"
capture_environment "$stage"
# The suite's primary figures and controls, for gmem-compare (an appended
# boot's are the first's: the suite is the same).
roles=$(sed -n 's/^# \(primary\|control\) /\1 /p' <<<"$expanded")
[[ -z $roles ]] || ((append && boot > 1)) || echo "$roles" >"$stage/roles.txt"

# With rounds, the whole list runs N times and case NAME's JSONs are
# NAME@1.json ... NAME@N.json (gmem-compare joins them): each case's runs
# then span the session, not a few back-to-back seconds.
total=$((${#cases[@]} * rounds))
i=0
start=$(date +%s)
for ((round = 1; round <= rounds; round++)); do
	for line in "${cases[@]}"; do
		[[ -z $interrupted ]] || stop_interrupted "the gap before ${line%%:*}"
		i=$((i + 1))
		name=${line%%:*}
		IFS=$'\x1f' read -r -a argv <<<"${line#*: }"
		args=${argv[*]}
		file=$name
		((rounds == 1)) || file=$name@$round
		((!append)) || file=$name@b$boot-$round
		elapsed=$(($(date +%s) - start))
		eta=""
		((i > 1)) && eta=", ETA $((elapsed * (total - i + 1) / (i - 1)))s"
		echo "[$i/$total$eta] $file: $args"
		# In the background, so that a signal reaches this shell at once
		# (bash runs traps only between foreground commands) and is passed on.
		"$bench" "${argv[@]}" --label "$label" -j "$stage/$file.json" </dev/null >"$case_out" &
		case_pid=$!
		case_rc=0
		wait "$case_pid" || case_rc=$?
		# A trap interrupted the wait: the case is still finishing.
		while kill -0 "$case_pid" 2>/dev/null; do wait "$case_pid" || case_rc=$?; done
		[[ -z $interrupted ]] || stop_interrupted "$file"
		if ((case_rc != 0)); then
			mv -- "$case_out" "$stage/FAILED-$file.txt"
			echo "run-suite: case $file failed (exit $case_rc); its output is in $stage/FAILED-$file.txt" >&2
			exit 1
		fi
		{ echo "== $file: $args"; cat "$case_out"; echo; } >>"$stage/summary.txt" ||
			gb_die 9 "cannot write $stage/summary.txt"
	done
done

finish
echo "results in ${out#"$gb_top"/}/ ($(($(date +%s) - start)) s)"
