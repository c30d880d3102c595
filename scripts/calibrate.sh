#!/bin/bash
# Calibrate the A/B: boot one kernel with and without a cost of known size
# added to every guest_memfd creation, and see whether gmem-compare finds
# it.  The kernel is the "calibrate" variant: the series plus the test-only
# patch kernel-patches/6.12/test-only/9002-*, whose kvm.gmem_test_create_loops=N
# adds 2 * N instructions to a creation, which is 2 * N ns of the guest's
# clock under --icount (shift=0: one instruction per virtual ns).
#
# The guests and the suite are ab.sh's under --icount (one vCPU,
# scripts/suites/vm-icount.suite), so the A/A of every repetition is an
# A/A of the default A/B.  Each repetition boots K times with 0 (A), K
# times with 0 again (A', the A/A), and K times with each delta, interleaved (ABBA per round), and
# compares A' and every delta against A with the A/B's own statistics.  For
# each delta: detected or not, the estimated change with its interval, and
# whether the interval covers the true change.
#
# The true change is measured, not assumed.  The loops add exactly 2 * N
# instructions to a creation (the median create moves by 2 * N ns), but
# create+close per operation moves by less, and not in proportion: 2% of
# it (54 loops, 108 ns) moved it by about 99 ns, 5% (136 loops) by 272,
# in the boots of the A/B and within one boot alike.  Some of the work an
# operation causes (the RCU-deferred frees, the slab pages they recycle)
# depends on the rate of operations, which the loops slow.  So every
# repetition also boots once with the loops set at run time, case by case
# (the guest writes the parameter; the command line stays the A's): every
# condition's loops, round after round, in one boot.  The true change of a
# condition is the mean over those boots of its in-boot change against the
# base loops, with a t interval over the boots; an A/B interval "covers"
# when it meets that interval.  Coverage of the nominal 2 * N is reported
# beside it.  The minimum detectable
# effect (MDE) is the smallest delta detected in at least 90% of the
# repetitions with every interval covering the truth, while the A/A marked
# nothing; it goes to results/calibration-ACCEL.txt, which ab.sh reports.
#
# Usage: scripts/calibrate.sh [options]
#   --rounds K       boots per condition and repetition (default 3, as ab.sh)
#   --reps R         repetitions (default 10)
#   --deltas LIST    deltas in % of the measured create+close cost
#                    (default 0.5,1,2,5)
#   --base-loops N   loops of A and AA, which every delta adds to (default 8):
#                    both sides of every comparison run the loop, because
#                    boots with no loop at all (N = 0, the early return)
#                    measured 10 ns (0.18%) dearer than the loops predict
#   --truth-rounds N rounds of the in-boot truth (default 6)
#   --jobs J         guests at once, 1 or 2 (default 2)
#   --threshold PCT  as ab.sh (default 1)
#   --name NAME      results/NAME/ (default calibration-YYYYmmdd-HHMMSS)
#   --summarize NAME only recompute the comparisons and the summary of
#                    results/NAME/ from the repetitions it completed (after
#                    an interrupted run, or a change of gmem-compare)
#
# Only --icount is calibrated: under plain TCG or KVM an instruction has no
# fixed duration, so the true change of N loops is not known.
# Exit codes: 1 a boot or comparison failed, 2 bad arguments, 4 another
# A/B or calibration running.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/kernel-lib.sh"
# shellcheck source=ab-lib.sh
source "$gb_top/scripts/ab-lib.sh"

rounds=3 reps=10 deltas=0.5,1,2,5 jobs=2 threshold=1 name=calibration-$(date +%Y%m%d-%H%M%S)
base_loops=8 truth_rounds=6
summarize_only=0
while (($#)); do
	case $1 in
	--rounds) rounds=${2:?}; shift 2 ;;
	--reps) reps=${2:?}; shift 2 ;;
	--deltas) deltas=${2:?}; shift 2 ;;
	--base-loops) base_loops=${2:?}; shift 2 ;;
	--truth-rounds) truth_rounds=${2:?}; shift 2 ;;
	--jobs) jobs=${2:?}; shift 2 ;;
	--threshold) threshold=${2:?}; shift 2 ;;
	--name) name=${2:?}; shift 2 ;;
	--summarize) name=${2:?}; summarize_only=1; shift 2 ;;
	-h | --help) gb_help; exit 0 ;;
	*) gb_die 2 "unknown argument '$1' (see --help)" ;;
	esac
done
# shellcheck source=results-lib.sh
source "$gb_top/scripts/results-lib.sh"
gb_label_ok "$name" || gb_die 2 "name '$name' must be letters, digits and ._+-, not starting with . or -"
[[ $rounds =~ ^[1-9][0-9]?$ && $rounds -ge 2 ]] || gb_die 2 "--rounds takes 2 to 99"
[[ $reps =~ ^[1-9][0-9]?$ ]] || gb_die 2 "--reps takes 1 to 99"
[[ $jobs == 1 || $jobs == 2 ]] || gb_die 2 "--jobs takes 1 or 2"
[[ $deltas =~ ^[0-9]+(\.[0-9]+)?(,[0-9]+(\.[0-9]+)?)*$ ]] || gb_die 2 "--deltas takes percentages, e.g. 0.5,1,2,5"
[[ $threshold =~ ^[0-9]+(\.[0-9]+)?$ ]] || gb_die 2 "--threshold takes a percentage"
[[ $base_loops =~ ^[0-9]{1,4}$ ]] || gb_die 2 "--base-loops takes 0 to 9999"
[[ $truth_rounds =~ ^[1-9][0-9]?$ ]] || gb_die 2 "--truth-rounds takes 1 to 99"
IFS=, read -r -a delta_list <<<"$deltas"

dest=$gb_top/results/$name
compare=$gb_build/bench/gmem-compare
((summarize_only)) || gb_ab_lock
"$gb_top/scripts/build.sh" >/dev/null

# boot LABEL LOOPS SET K [SUITE]: one guest, its results collected as boot
# K of set SET.
boot() {
	local label=$1 loops=$2 set=$3 k=$4 boot_suite=${5:-$suite}
	# Every condition's command line has one length: its length alone moves
	# the figure by about 0.1% (vm-run.sh), as much as the smallest delta.
	local pad
	pad=$(printf '%*s' $((6 - ${#loops})) '' | tr ' ' x)
	"$gb_top/scripts/vm-run.sh" --kernel "$image" --variant calibrate --icount --nodes 2 \
		--cpu-nodes 1 --cpus-per-node 1 --suite "$boot_suite" \
		--append "kvm.gmem_test_create_loops=$loops gb.pad=$pad" \
		--label "$label" --force >"$dest/$label.log" 2>&1 || return 1
	gb_ab_collect "$gb_top/results/$label" "$set" "$k"
	rm -f "$dest/$label.log"
}

# compare_rep R C: repetition R's condition C against its A, as CSV.
compare_rep() {
	"$compare" -f csv --threshold "$threshold" "$dest/r$1/A" "$dest/r$1/$2" >"$dest/r$1/$2.csv" 2>/dev/null ||
		gb_die 1 "gmem-compare failed on repetition $1, $2"
}

# truth_change BASE_LOOPS LOOPS: from $truth_runs, the change of create+close (percent, as
# gmem-compare gives a time's: 1 - LOOPS / BASE) within each truth boot of
# the completed repetitions, then "MEAN LO HI" over the boots, a 95% t
# interval.  The t quantiles are a table: awk has none, and this is the one
# place the shell needs one (gmem-compare's come from GSL).
truth_change() {
	local base=$1 n=$2
	awk -v base="$base" -v n="$n" -v reps="$reps" '
		{
			split($1, p, "@b"); loops = p[1]; boot = p[2]; sub(/-.*/, "", boot)
			if (boot + 0 > reps + 0) next
			split($2, v, ",")
			for (i in v) { sum[boot, loops] += v[i]; cnt[boot, loops]++ }
			boots[boot] = 1
		}
		END {
			split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 2.228 2.201 2.179 2.160 2.145 2.131 2.120 2.110 2.101 2.093 2.086", tq, " ")
			k = 0
			for (b in boots) {
				if (!cnt[b, base] || !cnt[b, n]) continue
				x[++k] = (1 - (sum[b, n] / cnt[b, n]) / (sum[b, base] / cnt[b, base])) * 100
				s += x[k]
			}
			if (!k) { print "nan nan nan"; exit }
			m = s / k
			for (i = 1; i <= k; i++) ss += (x[i] - m) ^ 2
			if (k == 1) { printf "%.4f %.4f %.4f\n", m, m, m; exit }
			# Beyond 20 boots, the 20-boot quantile: a little wide, never narrow.
			t = tq[k - 1 <= 20 ? k - 1 : 20]
			h = t * sqrt(ss / (k - 1) / k)
			printf "%.4f %.4f %.4f\n", m, m - h, m + h
		}' <<<"$truth_runs"
}

# summarize: calibration.txt and results/calibration-tcg-icount.txt from
# the repetitions of $dest that are complete (every condition compared).
# Everything is read back from the results: the loops from each guest's
# command line, the host from vm.txt, the boots from the sets.
summarize() {
	local r c reps_done=0 n cmdline first
	local -a conditions=()
	declare -A loops=()
	for c in "$dest"/r1/*/; do
		c=${c%/}
		conditions+=("${c##*/}")
	done
	((${#conditions[@]} >= 2)) || gb_die 1 "no complete repetition in ${dest#"$gb_top"/}"
	for c in "${conditions[@]}"; do
		first=$(find "$dest/r1/$c" -maxdepth 1 -name 'churn-gmem-1t@*.json' | head -n 1)
		cmdline=$("$gb_build/bench/tests/json-get" "$first" metadata.kernel_cmdline)
		n=$(sed -n 's/.*kvm\.gmem_test_create_loops=\([0-9]*\).*/\1/p' <<<"$cmdline")
		[[ -n $n ]] || gb_die 1 "$first: no kvm.gmem_test_create_loops on its command line"
		loops[$c]=$n
	done
	# A first, then the rest by their loops.
	mapfile -t conditions < <(for c in "${conditions[@]}"; do echo "${loops[$c]} $c"; done |
		sort -k1,1n -k2,2 | awk '{ print $2 }' | grep -vx A)
	conditions=(A "${conditions[@]}")
	for ((r = 1; ; r++)); do
		for c in "${conditions[@]:1}"; do
			[[ -s $dest/r$r/$c.csv ]] || break 2
		done
		reps_done=$r
	done
	((reps_done)) || gb_die 1 "no complete repetition in ${dest#"$gb_top"/}"
	host=$(sed -n 's/^host: //p' "$dest/r1/A/vm.txt")
	rounds=$(find "$dest/r1/A" -maxdepth 1 -name 'boot-*' | wc -l)
	cost=$(sed -n 's/^create_close_ns: //p' "$dest/settings.txt")
	threshold=$(sed -n 's/^threshold_pct: //p' "$dest/settings.txt")
	reps=$reps_done
	# The measured truth of every condition (the A/A's is 0: same loops).
	declare -A truth=()
	local truth_boots=0
	[[ ! -d $dest/truth ]] || truth_boots=$(find "$dest/truth" -maxdepth 1 -name "calibrate-loops-${loops[A]}@b*.json" 2>/dev/null |
		sed 's/.*@b\([0-9]*\)-.*/\1/' | sort -u | awk -v r="$reps" '$1 <= r' | wc -l)
	# Every truth boot's runs, read once: "LOOPS@bK-R V1,V2,..." a file.
	local f truth_runs=""
	if ((truth_boots)); then
		truth_runs=$(for f in "$dest"/truth/calibrate-loops-*@b*.json; do
			echo "${f##*/calibrate-loops-} $("$gb_build/bench/tests/json-get" "$f" samples.ns_per_op | tr -d '[]')"
		done)
	fi
	for c in "${conditions[@]:1}"; do
		truth[$c]="nan nan nan"
		if [[ $c == AA ]]; then
			truth[$c]="0 0 0"
		elif ((truth_boots)); then
			truth[$c]=$(truth_change "${loops[A]}" "${loops[$c]}")
		fi
	done
	# One line per condition and repetition, then the verdict per condition.
	# The nominal change is 2 * N instructions per create+close, known to
	# within the couple of instructions around the loop (the branch that
	# skips it when N is 0, the loop's last test): an interval covers it when
	# it reaches within TOLERANCE instructions of it.  The measured truth is
	# covered when the intervals meet (within the same tolerance).
	local tolerance=2
	{
		echo "# condition rep loops nominal_pct truth_pct truth_lo truth_hi change_pct ci_lo ci_hi verdict covered covered_nominal excludes_zero control_verdict"
		for ((r = 1; r <= reps; r++)); do
			for c in "${conditions[@]:1}"; do
				awk -F, -v c="$c" -v r="$r" -v n="$((loops[$c] - loops[A]))" -v tol="$tolerance" \
					-v truth="${truth[$c]}" '
					NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
					$2 != "ns_per_op" { next }
					$1 == "churn-memfd-1t" && $3 != "A" { control = $col["verdict"] }
					$1 == "churn-gmem-1t" && $3 == "A" { a = $col["mean"] }
					$1 == "churn-gmem-1t" && $3 != "A" {
						ch = $col["change_pct"]; lo = $col["change_ci_lo"]; hi = $col["change_ci_hi"]
						v = $col["verdict"]
					}
					END {
						t = -2 * n / a * 100
						slack = tol / a * 100
						split(truth, m, " ")
						covn = (lo != "" && lo <= t + slack && t - slack <= hi) ? "yes" : "no"
						if (m[1] == "nan")
							cov = "n/a"
						else
							cov = (lo != "" && lo <= m[3] + slack && m[2] - slack <= hi) ? "yes" : "no"
						ex0 = (lo != "" && (lo > 0 || hi < 0)) ? "yes" : "no"
						printf "%s %d %d %.4f %s %s %s %s %s %s %s %s %s %s %s\n", c, r, n, t,
							m[1], m[2], m[3], ch, lo, hi, v, cov, covn, ex0, control
					}' "$dest/r$r/$c.csv"
			done
		done
	} >"$dest/calibration.txt"

	summary=$(awk '!/^#/ {
			n[$1]++; det[$1] += ($11 == "changed"); cov[$1] += ($12 == "yes"); covn[$1] += ($13 == "yes")
			na[$1] += ($12 == "n/a")
			ex0[$1] += ($14 == "yes"); ctl[$1] += ($15 == "changed")
			pct[$1] = $1 == "AA" ? 0 : substr($1, 2) + 0
			truth[$1] = $5 == "nan" ? "n/a" : sprintf("%.3f[%.3f,%.3f]", $5, $6, $7)
		}
		END {
			for (c in n)
				printf "%s %g %s %d %d %s %d %d %d\n", c, pct[c], truth[c], n[c], det[c],
					na[c] ? "n/a" : cov[c], covn[c], ex0[c], ctl[c]
		}' "$dest/calibration.txt" | sort -k2,2g)
	# Without a measured truth (a calibration from before it), coverage is
	# of the nominal change.
	local covered_field=6
	((truth_boots)) || covered_field=7
	aa_marked=$(awk '$1 == "AA" { print $5 }' <<<"$summary")
	mde=$(awk -v aa="$aa_marked" -v f="$covered_field" \
		'$1 != "AA" && aa == 0 && $5 >= 0.9 * $4 && $f == $4 { print $2; exit }' <<<"$summary")
	result=$gb_top/results/calibration-tcg-icount.txt
	tmp=$(mktemp "$result.XXXXXX")
	{
		echo "# gmem-bench calibration (scripts/calibrate.sh); details in results/$name/"
		echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "host: $host"
		echo "accelerator: tcg-icount"
		echo "boots: $rounds"
		echo "repetitions: $reps"
		echo "threshold_pct: $threshold"
		echo "create_close_ns: $cost"
		echo "truth_boots: $truth_boots"
		echo "mde_pct: ${mde:-none}"
		echo "# condition delta_pct truth_pct[95% CI] repetitions detected covered covered_nominal excludes_zero control_marked"
		echo "# (truth: the change measured within $truth_boots boots, the loops set at run time;"
		echo "# covered: the interval meets the truth's; covered_nominal: it reaches within"
		echo "# $tolerance instructions of 2 * N; excludes_zero: the interval alone, without"
		echo "# the threshold, tells the change from none)"
		while read -r line; do echo "condition: $line"; done <<<"$summary"
	} >"$tmp"
	mv -f "$tmp" "$result"
	cat "$result"
}

if ((summarize_only)); then
	[[ -d $dest ]] || gb_die 2 "no calibration in ${dest#"$gb_top"/}"
	threshold=$(sed -n 's/^threshold_pct: //p' "$dest/settings.txt")
	# Every repetition whose every condition has a CSV, compared again.
	for r_dir in "$dest"/r[0-9]*/; do
		r=${r_dir%/}
		r=${r##*/r}
		for csv in "$r_dir"*.csv; do
			[[ -f $csv ]] || continue
			c=${csv##*/}
			compare_rep "$r" "${c%.csv}"
		done
	done
	summarize
	exit 0
fi

image=$("$gb_top/scripts/kernel-build.sh" calibrate | tail -n 1)
suite=$gb_top/scripts/suites/vm-icount.suite
mkdir -p "$dest"

# A pilot boot measures the create+close cost the deltas are a share of.
echo "pilot boot: the create+close cost with the base loops" >&2
boot "$name-pilot" "$base_loops" "$dest/pilot" 1 || gb_die 1 "the pilot boot failed (log: ${dest#"$gb_top"/}/$name-pilot.log)"
cost=$(for f in "$dest"/pilot/churn-gmem-1t@b1*.json; do
	"$gb_build/bench/tests/json-get" "$f" samples.ns_per_op
	echo
done | tr -d '[]' | tr , '\n' | grep . | sort -g | head -n 1)
[[ $cost =~ ^[0-9]+(\.[0-9]+)?$ ]] || gb_die 1 "the pilot boot gave no create+close cost"
echo "create+close costs $cost ns (best run of the pilot)" >&2
printf 'create_close_ns: %s\nthreshold_pct: %s\n' "$cost" "$threshold" >"$dest/settings.txt"
declare -A loops=([A]=$base_loops [AA]=$base_loops)
conditions=(A AA)
for d in "${delta_list[@]}"; do
	loops[d$d]=$(awk -v d="$d" -v c="$cost" -v b="$base_loops" 'BEGIN { printf "%d", b + d / 100 * c / 2 + 0.5 }')
	conditions+=("d$d")
done

# The in-boot truth's suite: every condition's loops once a round (A and
# AA share theirs), set by the guest at run time (scripts/guest/init).
{
	echo "# scripts/calibrate.sh's in-boot truth: case calibrate-loops-N runs with"
	echo "# kvm.gmem_test_create_loops=N, set by the guest before it."
	echo "rounds $truth_rounds"
	for c in "${conditions[@]:1}"; do echo "${loops[$c]}"; done | sort -un |
		while read -r n; do echo "calibrate-loops-$n: churn -t 1 -d 1 -r 1"; done
} >"$dest/truth.suite"

host="" rc=0
for ((r = 1; r <= reps; r++)); do
	echo "repetition $r of $reps: ${conditions[*]}, $rounds boots each, and the in-boot truth" >&2
	mapfile -t order < <(gb_ab_order abba 1 "$rounds" "${conditions[@]}")
	declare -A k=()
	pids=()
	for c in truth "${order[@]}"; do
		if [[ $c == truth ]]; then
			boot "$name-r$r-truth" "$base_loops" "$dest/truth" "$r" "$dest/truth.suite" &
		else
			k[$c]=$((${k[$c]:-0} + 1))
			boot "$name-r$r-$c.b${k[$c]}" "${loops[$c]}" "$dest/r$r/$c" "${k[$c]}" &
		fi
		pids+=($!)
		if ((${#pids[@]} >= jobs)); then
			wait "${pids[0]}" || rc=1
			pids=("${pids[@]:1}")
		fi
	done
	for p in "${pids[@]}"; do wait "$p" || rc=1; done
	((rc == 0)) || gb_die 1 "a boot of repetition $r failed (logs in ${dest#"$gb_top"/}/)"
	[[ -n $host ]] || host=$(sed -n 's/^host: //p' "$dest/r$r/A/vm.txt")
	for c in "${conditions[@]:1}"; do compare_rep "$r" "$c"; done
done

summarize
