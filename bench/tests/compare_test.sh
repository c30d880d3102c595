#!/bin/bash
# gmem-compare, gmem-suite, the suite runner and the plot scripts, on the
# fixture result sets in fixtures/compare (base, cache: hand-made samples
# whose statistics are derived below; elsewhere: base's figures from
# another machine).
# Usage: compare_test.sh CASE.  GB_UPDATE_GOLDEN=1 rewrites the golden files.
# Environment: GB_COMPARE, GB_SUITE, GB_PNG_PROBE, GB_BIN (set by CMake).
set -uo pipefail

case_name=${1:?case name}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fix=$here/fixtures/compare
tmp=$(mktemp -d /tmp/gb-cmp-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=test_lib.sh
source "$here/test_lib.sh"

# compare EXPECTED_RC ARGS...
compare() { expect_rc "$1" "$GB_COMPARE" "${@:2}"; }

# csv_is CASE METRIC KERNEL COLUMN VALUE: one CSV field, numerically within
# 1e-5 relative (or equal as text).
csv_is() {
	local got
	got=$(awk -F, -v c="$1" -v m="$2" -v k="$3" -v col="$4" '
		NR == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; next }
		$1 == c && $2 == m && $3 == k { print $idx[col] }' "$tmp/csv")
	[[ -n $got || -z $5 ]] || fail "no $4 for $1 $2 $3"
	if [[ $5 =~ ^-?[0-9.e+-]+$ && $got =~ ^-?[0-9.e+-]+$ ]]; then
		awk -v a="$got" -v b="$5" 'BEGIN { d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b; exit !(d <= 1e-5 * s + 1e-12) }' ||
			fail "$1 $2 $3 $4: got $got, expected $5"
	else
		[[ $got == "$5" ]] || fail "$1 $2 $3 $4: got '$got', expected '$5'"
	fi
}

golden() {
	local file=$here/golden/$1
	if [[ ${GB_UPDATE_GOLDEN:-0} == 1 ]]; then
		cp "$tmp/out" "$file"
		return
	fi
	diff -u "$file" "$tmp/out" || fail "output differs from golden/$1 (GB_UPDATE_GOLDEN=1 to accept)"
}

# A copy of a fixture set to break.
copy_set() { cp -r "$fix/$1" "$tmp/$2"; }

# make_run_file FILE BOOT_ID NS...: base's churn-gmem-1t with five runs of
# these ns per op (and their ops/s), made in boot BOOT_ID.
make_run_file() {
	local f=$1 boot=$2 ns ops
	shift 2
	ns=$(IFS=,; echo "$*")
	ops=$(printf '%s\n' "$@" | awk '{ printf "%s%.17g", (NR > 1 ? "," : ""), 1e9 / $1 }')
	awk -v ns="$ns" -v ops="$ops" -v boot="$boot" '
		/^ "metadata": \{/ { print; printf "  \"boot_id\": \"%s\",\n", boot; next }
		/"ns_per_op": \[/ { print; print ns; skip = 1; next }
		/"ops_per_sec": \[/ { print; print ops; skip = 1; next }
		skip && /\]/ { skip = 0 }
		!skip' "$fix/base/churn-gmem-1t.json" >"$f"
}

case $case_name in
stats) # compare
	compare 0 -f csv "$fix/base" "$fix/cache"
	cp "$tmp/out" "$tmp/csv"
	# ns_per_op 10..14 vs 15..19: means 12 and 17, sd 1.5811388 (variance
	# 2.5), CV 0.1317616, 95% CI 12 -+ 2.7764451 * 1.5811388 / sqrt(5) =
	# [10.036757, 13.963243]; lower is better: change (1 - 17/12) =
	# -41.6667%.  Welch: t = 5, df = 8, p = 0.00105283 (t density
	# integrated numerically); Mann-Whitney: complete separation, p =
	# 2 / C(10,5) = 0.00793651, exact.
	csv_is churn-gmem-1t ns_per_op base mean 12
	csv_is churn-gmem-1t ns_per_op base stddev 1.58114
	csv_is churn-gmem-1t ns_per_op base cv 0.131762
	csv_is churn-gmem-1t ns_per_op base ci95_lo 10.0368
	csv_is churn-gmem-1t ns_per_op base ci95_hi 13.9632
	csv_is churn-gmem-1t ns_per_op base change_pct ""
	csv_is churn-gmem-1t ns_per_op cache change_pct -41.6667
	csv_is churn-gmem-1t ns_per_op cache p_welch 0.00105283
	csv_is churn-gmem-1t ns_per_op cache p_mann_whitney 0.00793651
	csv_is churn-gmem-1t ns_per_op cache mann_whitney_exact yes
	# ops/s 1000..1400 vs 1550..1950: harmonic means 5 / sum(1/x) =
	# 1183.1685 and 1738.5188, change +46.9375%; the interval of the
	# base's hmean inverts the t interval of 1/x: [1014.6893, 1418.7356].
	# Welch on 1/x: t = 4.8471566, df = 5.6396478, p = 0.00338837
	# (integrated); Mann-Whitney p = 0.00793651 again.
	csv_is churn-gmem-1t ops_per_sec base hmean 1183.17
	csv_is churn-gmem-1t ops_per_sec base ci95_lo 1014.69
	csv_is churn-gmem-1t ops_per_sec base ci95_hi 1418.74
	csv_is churn-gmem-1t ops_per_sec cache hmean 1738.52
	csv_is churn-gmem-1t ops_per_sec cache change_pct 46.9375
	csv_is churn-gmem-1t ops_per_sec cache p_welch 0.00338837
	# 1900,2000,2100 vs 1950,2050,2150 interleave: change +2.50826%,
	# Welch on 1/x p = 0.572946, Mann-Whitney U = 3 of 3x3: p = 0.7.
	csv_is churn-gmem-2t ops_per_sec cache change_pct 2.50826
	csv_is churn-gmem-2t ops_per_sec cache p_welch 0.572946
	csv_is churn-gmem-2t ops_per_sec cache p_mann_whitney 0.7
	csv_is churn-gmem-2t ops_per_sec cache significant no
	# Slab bytes/file 1056..1057 vs 784..785: change (1 - 784.5/1056.5)
	# = 25.7454%; Welch t = 666 (p ~ 1e-10); with 3 runs the exact
	# Mann-Whitney p can't go below 2 / C(6,3) = 0.1, shown, not used.
	csv_is hold-gmem-2t slab_bytes_per_file cache change_pct 25.7454
	csv_is hold-gmem-2t slab_bytes_per_file cache p_mann_whitney 0.1
	# Holm over the 4 tests (shown for reference): p sorted ~1e-10,
	# 0.00105283, 0.00338837, 0.572946 times 4, 3, 2, 1: 0.00315848,
	# 0.00677674, 0.572946.
	csv_is churn-gmem-1t ns_per_op cache p_welch_adjusted 0.00315848
	csv_is churn-gmem-1t ops_per_sec cache p_welch_adjusted 0.00677674
	csv_is churn-gmem-2t ops_per_sec cache p_welch_adjusted 0.572946
	# The verdicts come from Fieller's intervals (reference/fieller_ref.py,
	# which finds the ends by bisection): no roles.txt, so all 4 figures
	# are primary, at 1 - 0.05/4 = 98.75%, and marked only when the whole
	# interval lies beyond the 1% threshold.
	csv_is churn-gmem-1t ns_per_op cache ci_level 0.9875
	csv_is churn-gmem-1t ns_per_op cache change_ci_lo -82.1575
	csv_is churn-gmem-1t ns_per_op cache change_ci_hi -12.358
	csv_is churn-gmem-1t ops_per_sec cache change_ci_lo 13.8791
	csv_is churn-gmem-1t ops_per_sec cache change_ci_hi 85.4838
	csv_is churn-gmem-2t ops_per_sec cache change_ci_lo -14.0164
	csv_is churn-gmem-2t ops_per_sec cache change_ci_hi 22.1155
	csv_is hold-gmem-2t slab_bytes_per_file cache change_ci_lo 25.5903
	csv_is hold-gmem-2t slab_bytes_per_file cache change_ci_hi 25.9003
	csv_is churn-gmem-1t ns_per_op cache verdict changed
	csv_is churn-gmem-1t ns_per_op cache significant yes
	csv_is churn-gmem-1t ops_per_sec cache significant yes
	csv_is hold-gmem-2t slab_bytes_per_file cache significant yes
	csv_is churn-gmem-2t ops_per_sec cache verdict inconclusive
	csv_is churn-gmem-2t ops_per_sec cache significant no
	csv_is churn-gmem-1t ns_per_op cache role primary
	# One boot a set: the runs are the units.
	csv_is churn-gmem-1t ns_per_op cache unit run
	csv_is churn-gmem-1t ns_per_op cache units 5
	# A threshold wider than the slab change: no longer marked, and its
	# interval lies within it, so it is "equal".
	compare 0 -f csv --threshold 30 "$fix/base" "$fix/cache"
	cp "$tmp/out" "$tmp/csv"
	csv_is hold-gmem-2t slab_bytes_per_file cache verdict equal
	csv_is hold-gmem-2t slab_bytes_per_file cache significant no
	# Churn cases have no slab row; hold has no creates+closes/s row.
	! grep -q '^churn-gmem-1t,slab' "$tmp/csv" || fail "slab figures for a churn case"
	! grep -q '^hold-gmem-2t,ops_per_sec' "$tmp/csv" || fail "ops/s for a hold case"
	# Without the correction: raw p-values and 95% intervals.
	compare 0 -f csv --no-correction "$fix/base" "$fix/cache"
	cp "$tmp/out" "$tmp/csv"
	csv_is churn-gmem-1t ns_per_op cache p_welch_adjusted 0.00105283
	csv_is churn-gmem-1t ns_per_op cache ci_level 0.95
	csv_is churn-gmem-1t ns_per_op cache change_ci_lo -68.8635
	csv_is churn-gmem-1t ns_per_op cache change_ci_hi -20.0177
	;;
golden_table) # compare
	compare 0 "$fix/base" "$fix/cache"
	golden compare-table.txt
	grep -qE '^Amean +churn-gmem-1t +12\.000 +17\.000 +-41\.67% \[-82\.16, -12\.36\]\*( !)?$' "$tmp/out" ||
		fail "no marked ns/op line in mmtests form with its interval"
	;;
golden_cover) # compare
	compare 0 --cover-letter "$fix/base" "$fix/cache"
	golden cover-letter.txt
	awk 'length($0) > 72 { exit 1 }' "$tmp/out" || fail "a cover-letter line is longer than 72 columns"
	;;
golden_markdown) # compare
	compare 0 -f markdown "$fix/base" "$fix/cache"
	golden compare.md
	;;
warnings) # compare
	compare 0 "$fix/base" "$fix/elsewhere"
	for w in "different machine" "different CPU model" "different accelerator"; do
		grep -q "^WARNING: $w" "$tmp/out" || fail "no '$w' warning: $(cat "$tmp/out")"
	done
	grep -q "^WARNING: base comes from one boot" "$tmp/out" || fail "no warning about single-boot sets"
	# The same figures: nothing can be marked.
	grep -q "0 changed" "$tmp/out" || fail "identical figures marked: $(tail -n 3 "$tmp/out")"
	compare 0 --cover-letter --max-cv 1 "$fix/base" "$fix/elsewhere"
	grep -q "^WARNING: .*coefficient of variation above 1%" "$tmp/out" || fail "no high-CV warning"
	;;
cases) # compare
	# --cases shows fewer cases, and the correction still counts every
	# test: churn-gmem-1t's adjusted p is the same as with all cases shown.
	compare 0 -f csv "$fix/base" "$fix/cache"
	cp "$tmp/out" "$tmp/csv"
	csv_is churn-gmem-1t ns_per_op cache p_welch_adjusted 0.00315848
	compare 0 -f csv --cases churn-gmem-1t "$fix/base" "$fix/cache"
	cp "$tmp/out" "$tmp/csv"
	csv_is churn-gmem-1t ns_per_op cache p_welch_adjusted 0.00315848
	csv_is churn-gmem-1t ops_per_sec cache p_welch_adjusted 0.00677674
	expect_eq "$(cut -d, -f1 "$tmp/csv" | sort -u | tr '\n' ' ')" "case churn-gmem-1t " \
		"cases in the CSV with --cases churn-gmem-1t"
	compare 0 --cover-letter --cases 'churn-*' "$fix/base" "$fix/cache"
	grep -q ": hold-gmem-2t$" "$tmp/out" && fail "a case outside --cases is shown"
	grep -q ": churn-gmem-2t$" "$tmp/out" || fail "churn-gmem-2t matches churn-* but is not shown"
	grep -q "^Primary figures (98.75% intervals" "$tmp/out" ||
		fail "the correction no longer counts every figure compared"
	grep -q "^WARNING: 1 case(s) not shown (--cases churn-\*)" "$tmp/out" ||
		fail "no warning about the cases not shown: $(grep WARNING "$tmp/out")"
	# Several patterns; all cases shown, no warning.
	compare 0 --cases 'churn-*,hold-gmem-2t' "$fix/base" "$fix/cache"
	grep -q "not shown" "$tmp/out" && fail "a warning about hidden cases with every case shown"
	compare 2 --cases 'nothing-*' "$fix/base" "$fix/cache"
	one_line_error "--cases 'nothing-*' matches none of the cases compared"
	compare 2 --cases '' "$fix/base" "$fix/cache"
	one_line_error "invalid value '' for --cases"
	;;
rounds) # compare
	# CASE@N.json files are rounds of one case: their samples join.
	mkdir "$tmp/r1" "$tmp/r2"
	for d in r1 r2; do
		cp "$fix/base/churn-gmem-1t.json" "$tmp/$d/churn-gmem-1t@1.json"
		cp "$fix/base/churn-gmem-1t.json" "$tmp/$d/churn-gmem-1t@2.json"
	done
	compare 0 -f csv "$tmp/r1" "$tmp/r2"
	cp "$tmp/out" "$tmp/csv"
	csv_is churn-gmem-1t ns_per_op r1 runs 10
	csv_is churn-gmem-1t ns_per_op r1 mean 12
	# 10..14 twice: squared deviations 2 x (4+1+0+1+4) = 20 over 9:
	# variance 2.2222222, sd 1.4907120.
	csv_is churn-gmem-1t ns_per_op r1 stddev 1.49071
	;;
boots) # compare
	# Runs from several boots (metadata.boot_id): each boot becomes one
	# unit.  Boot k of set a has runs 100+k +0/5/9/3/7 ns, of set b
	# 110+k +....  By default a boot's value is the mean of its runs
	# (harmonic for rates): units 105.8..107.8 and 115.8..117.8; Fieller
	# (reference/fieller_ref.py), 2 primary figures, 97.5%: ns -9.3633%
	# [-12.2151, -6.59025], ops/s -8.56164% [-10.8854, -6.18279].  With
	# --per-boot best, the best run: units 101..103 and 111..113, ns
	# -9.80392% [-12.7997, -6.89488], ops/s -8.92857% [-11.3473, -6.45015].
	for set in a b; do
		mkdir "$tmp/$set"
		for k in 1 2 3; do
			if [[ $set == a ]]; then base_ns=$((100 + k)); else base_ns=$((110 + k)); fi
			make_run_file "$tmp/$set/churn-gmem-1t@b$k.json" "boot-$set-$k" \
				$((base_ns)) $((base_ns + 5)) $((base_ns + 9)) $((base_ns + 3)) $((base_ns + 7))
		done
	done
	compare 0 -f csv "$tmp/a" "$tmp/b"
	cp "$tmp/out" "$tmp/csv"
	csv_is churn-gmem-1t ns_per_op a unit boot
	csv_is churn-gmem-1t ns_per_op a units 3
	csv_is churn-gmem-1t ns_per_op a mean 106.8
	csv_is churn-gmem-1t ns_per_op b mean 116.8
	csv_is churn-gmem-1t ns_per_op b change_pct -9.3633
	csv_is churn-gmem-1t ns_per_op b change_ci_lo -12.2151
	csv_is churn-gmem-1t ns_per_op b change_ci_hi -6.59025
	csv_is churn-gmem-1t ops_per_sec b change_pct -8.56164
	csv_is churn-gmem-1t ops_per_sec b change_ci_lo -10.8854
	csv_is churn-gmem-1t ops_per_sec b change_ci_hi -6.18279
	compare 0 -f cover-letter "$tmp/a" "$tmp/b"
	grep -q "each the mean of its runs" "$tmp/out" || fail "the cover letter does not say how a boot became a unit"
	compare 0 -f csv --per-boot best "$tmp/a" "$tmp/b"
	cp "$tmp/out" "$tmp/csv"
	csv_is churn-gmem-1t ns_per_op a unit boot
	csv_is churn-gmem-1t ns_per_op a units 3
	csv_is churn-gmem-1t ns_per_op a runs 15
	csv_is churn-gmem-1t ns_per_op a mean 102
	csv_is churn-gmem-1t ns_per_op b mean 112
	csv_is churn-gmem-1t ns_per_op b change_pct -9.80392
	csv_is churn-gmem-1t ns_per_op b ci_level 0.975
	csv_is churn-gmem-1t ns_per_op b change_ci_lo -12.7997
	csv_is churn-gmem-1t ns_per_op b change_ci_hi -6.89488
	csv_is churn-gmem-1t ops_per_sec b change_ci_lo -11.3473
	csv_is churn-gmem-1t ops_per_sec b change_ci_hi -6.45015
	csv_is churn-gmem-1t ns_per_op b significant yes
	compare 0 "$tmp/a" "$tmp/b"
	grep -q "one boot" "$tmp/out" && fail "a warning about single boots with 3 boots a set"
	grep -q "3 boots per case" "$tmp/out" || fail "the legend does not count boots"
	# The boot is the boot_id, not the file: two files of one boot are one unit.
	sed -i 's/"boot-b-2"/"boot-b-1"/' "$tmp/b/churn-gmem-1t@b2.json"
	compare 0 -f csv --per-boot best "$tmp/a" "$tmp/b"
	cp "$tmp/out" "$tmp/csv"
	csv_is churn-gmem-1t ns_per_op b units 2
	csv_is churn-gmem-1t ns_per_op b mean 112
	compare 2 --per-boot median "$tmp/a" "$tmp/b"
	;;
roles) # compare
	# roles.txt (from the suite) makes churn-gmem-1t ns/op the one primary
	# figure: 95% without correction; the rest secondary, never marked.
	copy_set base ra && copy_set cache rb
	printf 'primary churn-gmem-1t ns_per_op\ncontrol churn-gmem-2t\n' >"$tmp/ra/roles.txt"
	compare 0 -f csv "$tmp/ra" "$tmp/rb"
	cp "$tmp/out" "$tmp/csv"
	csv_is churn-gmem-1t ns_per_op rb role primary
	csv_is churn-gmem-1t ns_per_op rb ci_level 0.95
	csv_is churn-gmem-1t ns_per_op rb change_ci_lo -68.8635
	csv_is churn-gmem-1t ns_per_op rb significant yes
	csv_is churn-gmem-1t ops_per_sec rb role secondary
	csv_is churn-gmem-1t ops_per_sec rb verdict changed
	csv_is churn-gmem-1t ops_per_sec rb significant no
	csv_is hold-gmem-2t slab_bytes_per_file rb significant no
	csv_is churn-gmem-2t ops_per_sec rb role "secondary control"
	compare 0 --cover-letter "$tmp/ra" "$tmp/rb"
	grep -q "^Primary figures (95% intervals" "$tmp/out" || fail "no primary section at 95%"
	grep -q "^Secondary figures" "$tmp/out" || fail "no secondary section"
	grep -A1 "^Control: " "$tmp/out" | grep -q "steady" || fail "the steady control is not reported"
	grep -q "moved" "$tmp/out" && fail "a steady control said to move"
	# A control is judged on its time per operation (here its throughput,
	# the one figure it has), not on its tail: its create p99 jumping from
	# 9983 to 13695 ns (histogram buckets) says nothing about the machine.
	sed -i 's/^ "samples": {$/ "samples": {\n  "create_p99_ns": [9983, 9983, 9983],/' "$tmp/ra/churn-gmem-2t.json"
	sed -i 's/^ "samples": {$/ "samples": {\n  "create_p99_ns": [13695, 13695, 13695],/' "$tmp/rb/churn-gmem-2t.json"
	for set in ra rb; do
		sed -i 's/^ "samples": {$/ "samples": {\n  "create_p99_ns": [5000, 5100, 5200, 5100, 5000],/' "$tmp/$set/churn-gmem-1t.json"
	done
	printf 'primary churn-gmem-1t create_p99_ns\n' >>"$tmp/ra/roles.txt"
	compare 0 --cover-letter "$tmp/ra" "$tmp/rb"
	grep -q "moved" "$tmp/out" && fail "a control's p99 made the machine move"
	printf 'primary churn-gmem-1t ns_per_op\ncontrol churn-gmem-2t\n' >"$tmp/ra/roles.txt"
	# The control moves by +28%: every format says so.
	sed -i 's/^   1950,$/   2500,/; s/^   2050,$/   2600,/; s/^   2150$/   2700/' "$tmp/rb/churn-gmem-2t.json"
	for fmt in table csv markdown cover-letter; do
		expect_rc 0 "$GB_COMPARE" -f "$fmt" "$tmp/ra" "$tmp/rb"
		grep -q "the control moved: churn-gmem-2t" "$tmp/out" "$tmp/err" ||
			fail "$fmt: no warning that the control moved"
	done
	grep -q "no conclusion can be drawn" "$tmp/out" || fail "the cover letter still concludes"
	# A roles.txt line that isn't one, and a role of a case not compared.
	printf 'primary churn-gmem-1t no_such_metric\nprimary gone-case ns_per_op\n' >>"$tmp/ra/roles.txt"
	compare 0 "$tmp/ra" "$tmp/rb"
	grep -q "roles.txt line 3 is not" "$tmp/err" || fail "no warning about a bad roles.txt line"
	grep -q "names primary figure gone-case ns_per_op, which is not compared" "$tmp/err" ||
		fail "no warning about a role of a missing case"
	;;
deterministic) # compare
	# No spread: the change is exact.  784.3 both sides is equal, not a
	# "-0.00%*"; 784.3 against 792.1 is an exact (1 - 792.1 / 784.3) =
	# -0.994518% change: within a 1% threshold, beyond 0.5%.
	mkdir "$tmp/d1" "$tmp/d2" "$tmp/d3"
	make_run_file "$tmp/d1/churn-gmem-1t.json" x 784.3 784.3 784.3 784.3 784.3
	make_run_file "$tmp/d2/churn-gmem-1t.json" y 784.3 784.3 784.3 784.3 784.3
	make_run_file "$tmp/d3/churn-gmem-1t.json" z 792.1 792.1 792.1 792.1 792.1
	compare 0 -f csv "$tmp/d1" "$tmp/d2"
	cp "$tmp/out" "$tmp/csv"
	csv_is churn-gmem-1t ns_per_op d2 change_ci_lo 0
	csv_is churn-gmem-1t ns_per_op d2 change_ci_hi 0
	csv_is churn-gmem-1t ns_per_op d2 verdict equal
	csv_is churn-gmem-1t ns_per_op d2 significant no
	compare 0 "$tmp/d1" "$tmp/d2"
	grep -q "\[exact\]=" "$tmp/out" || fail "an exact equality is not shown as such"
	compare 0 -f csv "$tmp/d1" "$tmp/d3"
	cp "$tmp/out" "$tmp/csv"
	csv_is churn-gmem-1t ns_per_op d3 change_pct -0.994518
	csv_is churn-gmem-1t ns_per_op d3 verdict equal
	compare 0 -f csv --threshold 0.5 "$tmp/d1" "$tmp/d3"
	cp "$tmp/out" "$tmp/csv"
	csv_is churn-gmem-1t ns_per_op d3 verdict changed
	csv_is churn-gmem-1t ns_per_op d3 significant yes
	;;
calibration) # compare
	# The MDE is reported only from a calibration of the same machine and
	# accelerator (the fixtures: host bench-host, accelerator none).
	cal=$tmp/cal.txt
	printf 'date: 2026-11-30T08:00:00Z\nhost: bench-host\naccelerator: none\nboots: 3\nmde_pct: 2\n' >"$cal"
	compare 0 --calibration "$cal" "$fix/base" "$fix/cache"
	grep -q "^minimum detectable effect: 2% (calibration of 2026-11-30T08:00:00Z, 3 boots" "$tmp/out" ||
		fail "no MDE from a matching calibration: $(grep -i detectable "$tmp/out")"
	compare 0 --cover-letter --calibration "$cal" "$fix/base" "$fix/cache"
	grep -q "^MDE: *2%" "$tmp/out" || fail "no MDE in the cover letter"
	sed -i 's/^host: .*/host: another-host/' "$cal"
	compare 0 --calibration "$cal" "$fix/base" "$fix/cache"
	grep -q "none for this machine and accelerator (the calibration given is of another-host" "$tmp/out" ||
		fail "a calibration of another machine is used"
	compare 0 "$fix/base" "$fix/cache"
	grep -q "none: no calibration was given" "$tmp/out" || fail "no word about the missing calibration"
	printf 'host: bench-host\naccelerator: none\nmde_pct: 2; rm -rf /\n' >"$cal"
	compare 11 --calibration "$cal" "$fix/base" "$fix/cache"
	one_line_error "mde_pct '2; rm -rf /' is not a percentage"
	compare 11 --calibration "$tmp/nothing" "$fix/base" "$fix/cache"
	one_line_error "cannot read calibration"
	;;
compare_hostile) # compare
	# Result sets as a careless or hostile colleague might send them.
	# set_samples SET CASE AWK_EXPR N: churn samples computed by AWK_EXPR of i.
	set_samples() {
		local f=$tmp/$1/$2.json vals
		vals=$(awk -v n="$4" "BEGIN { for (i = 1; i <= n; i++) printf \"%s%.17g\", (i > 1 ? \",\" : \"\"), ($3) }")
		awk -v v="$vals" '
			/"(ns_per_op|ops_per_sec)": \[/ { print; print v; skip = 1; next }
			skip && /\]/ { skip = 0 }
			!skip' "$f" >"$f.new" && mv "$f.new" "$f"
	}
	# 600 runs a side: GSL's exact binomial overflowed and aborted the program.
	copy_set base many-a && copy_set cache many-b
	rm "$tmp"/many-?/{churn-gmem-2t,hold-gmem-2t}.json
	set_samples many-a churn-gmem-1t "1000 + i % 7" 600
	set_samples many-b churn-gmem-1t "1010 + i % 5" 600
	compare 0 -f csv "$tmp/many-a" "$tmp/many-b"
	cp "$tmp/out" "$tmp/csv"
	csv_is churn-gmem-1t ns_per_op many-b runs 600
	# Magnitudes GSL's gamma function overflows on: no abort, no test.
	copy_set base huge-a && copy_set cache huge-b
	set_samples huge-a churn-gmem-1t "1e300 * i" 5
	set_samples huge-b churn-gmem-1t "1e-300 * i" 5
	compare 0 -f csv "$tmp/huge-a" "$tmp/huge-b"
	# Sample arrays of different lengths in one file are refused.
	copy_set cache uneven
	set_samples uneven churn-gmem-1t "1000 + i" 4
	sed -i '0,/"ops_per_sec": \[/s//"ops_per_sec": [ 1, 2, 3, 4, 5,/' "$tmp/uneven/churn-gmem-1t.json"
	compare 11 "$fix/base" "$tmp/uneven"
	one_line_error "one per run in each"
	# A completed result with empty samples: refused, no '(null)'.
	copy_set cache empty-samples
	sed -i 's/"ns_per_op": \[/"ns_per_op": [ ], "x": [/; s/"ops_per_sec": \[/"ops_per_sec": [ ], "y": [/' \
		"$tmp/empty-samples/churn-gmem-1t.json"
	compare 11 "$fix/base" "$tmp/empty-samples"
	grep -q "(null)" "$tmp/err" && fail "(null) in the message"
	one_line_error "one per run in each"
	# The same directory twice, under two names.
	ln -s "$fix/base" "$tmp/base-again"
	compare 2 "$fix/base" "$tmp/base-again"
	one_line_error "are the same directory"
	# Nine kernels with --out-dir: refused before a file is written.
	compare 2 --out-dir "$tmp/nine" "$fix/base" "$fix/cache" "$fix/elsewhere" "$fix/base/.." \
		"$tmp/many-a" "$tmp/many-b" "$tmp/huge-a" "$tmp/huge-b" "$tmp/uneven"
	one_line_error "at most 8 kernels"
	[[ ! -e $tmp/nine ]] || fail "--out-dir with nine kernels wrote files first"
	# A FIFO named like a result: refused at once, not waited on.
	copy_set cache fifo && mkfifo "$tmp/fifo/z.json"
	timeout 10 "$GB_COMPARE" "$fix/base" "$tmp/fifo" >"$tmp/out" 2>"$tmp/err"
	expect_eq "$?" 11 "FIFO named *.json"
	one_line_error "z.json: not a regular file"
	# One interrupted round: every round of that case is left out.
	copy_set cache rounds-b
	for r in 1 2; do
		cp "$fix/cache/churn-gmem-1t.json" "$tmp/rounds-b/churn-gmem-1t@$r.json"
	done
	rm "$tmp/rounds-b/churn-gmem-1t.json"
	sed -i 's/"status": "ok"/"status": "interrupted"/' "$tmp/rounds-b/churn-gmem-1t@2.json"
	compare 0 -f csv "$fix/base" "$tmp/rounds-b"
	grep -q "^churn-gmem-1t," "$tmp/out" && fail "a case with an interrupted round was compared"
	grep -q "case churn-gmem-1t left out, all its rounds" "$tmp/err" || fail "$(cat "$tmp/err")"
	# Warnings reach stderr with the CSV on stdout.
	compare 0 -f csv "$fix/base" "$fix/elsewhere"
	grep -q "warning: different machine" "$tmp/err" || fail "CSV: no warning on stderr: $(cat "$tmp/err")"
	# Where no Mann-Whitney test ran (one run a side), no yes/no either.
	copy_set base one-a && copy_set cache one-b
	set_samples one-a churn-gmem-1t "1000" 1
	set_samples one-b churn-gmem-1t "1100" 1
	compare 0 -f csv "$tmp/one-a" "$tmp/one-b"
	awk -F, 'NR > 1 && $16 == "" && $17 != "" { exit 1 }' "$tmp/out" ||
		fail "mann_whitney_exact filled in where no test ran: $(cat "$tmp/out")"
	# Terminal escapes, newlines and Markdown in a CPU model, and a
	# newline in a file name, reach no output as they are.
	copy_set base esc-a && copy_set cache esc-b
	for d in esc-a esc-b; do
		sed -i 's/"cpu_model": "[^"]*"/"cpu_model": "\\u001b]0;owned\\u0007\\u001b[2J x | y [click](http:\/\/z) \\n# h"/' \
			"$tmp/$d"/*.json
		mv "$tmp/$d/churn-gmem-2t.json" "$tmp/$d/churn"$'\n'"gmem-2t.json"
	done
	for fmt in table cover-letter markdown csv; do
		compare 0 -f "$fmt" "$tmp/esc-a" "$tmp/esc-b"
		grep -q $'\x1b' "$tmp/out" "$tmp/err" && fail "$fmt: an escape sequence reached the output"
		grep -q "churn?gmem-2t" "$tmp/out" || fail "$fmt: the case with a newline in its name: $(cat "$tmp/out")"
	done
	compare 0 -f markdown "$tmp/esc-a" "$tmp/esc-b"
	grep -qF '| ?\]0;owned??\[2J x \| y \[click\](http://z) ?# h |' "$tmp/out" ||
		fail "markdown: the CPU model is not escaped: $(grep owned "$tmp/out")"
	# A result file of gigabytes is refused before it is read.
	copy_set cache huge-file
	truncate -s 65M "$tmp/huge-file/zz.json"
	compare 11 "$fix/base" "$tmp/huge-file"
	one_line_error "larger than 64 MiB"
	# Large changes keep their columns apart in the cover letter.
	copy_set cache big
	set_samples big churn-gmem-1t "23551 * 100 + i" 5
	compare 0 --cover-letter "$fix/base" "$tmp/big"
	grep -Eq '[0-9]-[0-9]' "$tmp/out" && fail "columns run together: $(grep -E '[0-9]-[0-9]' "$tmp/out")"
	;;
reject) # compare
	compare 2 "$fix/base"
	one_line_error "need a baseline and at least one other"
	compare 2 --alpha 2 "$fix/base" "$fix/cache"
	one_line_error "invalid value '2' for --alpha"
	compare 2 -f pdf "$fix/base" "$fix/cache"
	one_line_error "invalid value 'pdf' for --format"
	compare 11 "$fix/base" "$tmp/missing"
	one_line_error "cannot read result directory $tmp/missing"
	mkdir "$tmp/empty"
	compare 11 "$fix/base" "$tmp/empty"
	one_line_error "no completed gmem-bench results"
	copy_set cache truncated
	head -c 300 "$fix/cache/churn-gmem-1t.json" >"$tmp/truncated/churn-gmem-1t.json"
	compare 11 "$fix/base" "$tmp/truncated"
	one_line_error "churn-gmem-1t.json: not valid JSON"
	copy_set cache corrupt
	sed -i 's/"ns_per_op": \[/"ns_per_op": ["x", /' "$tmp/corrupt/churn-gmem-1t.json"
	compare 11 "$fix/base" "$tmp/corrupt"
	one_line_error "samples.ns_per_op[0] is not a number"
	copy_set cache notours
	echo '[1, 2, 3]' >"$tmp/notours/churn-gmem-1t.json"
	compare 11 "$fix/base" "$tmp/notours"
	one_line_error "not a gmem-bench result"
	copy_set cache future
	sed -i 's|"gmem-bench/1"|"gmem-bench/2"|' "$tmp/future/hold-gmem-2t.json"
	compare 12 "$fix/base" "$tmp/future"
	one_line_error "schema 'gmem-bench/2' written by gmem-bench 0.1.0; this gmem-compare reads 'gmem-bench/1' only"
	copy_set cache otherthreads
	sed -i 's/"threads": 2/"threads": 4/' "$tmp/otherthreads/churn-gmem-2t.json"
	compare 12 "$fix/base" "$tmp/otherthreads"
	one_line_error "case churn-gmem-2t is not the same experiment"
	mkdir "$tmp/disjoint"
	cp "$fix/cache/churn-gmem-1t.json" "$tmp/disjoint/other-case.json"
	compare 12 "$fix/base" "$tmp/disjoint"
	one_line_error "no case in common"
	copy_set cache mixed
	sed -i 's/6.12.117-cache/6.13/' "$tmp/mixed/hold-gmem-2t.json"
	compare 12 "$fix/base" "$tmp/mixed"
	one_line_error "one directory is one kernel"
	# An interrupted run is left out with a warning, not compared.
	copy_set cache interrupted
	sed -i 's/"status": "ok"/"status": "interrupted"/' "$tmp/interrupted/churn-gmem-2t.json"
	compare 0 "$fix/base" "$tmp/interrupted"
	grep -q "status is 'interrupted'; case churn-gmem-2t left out" "$tmp/err" || fail "no warning for the interrupted case"
	! grep -q "^Hmean  *churn-gmem-2t" "$tmp/out" || fail "interrupted case compared"
	grep -q "case churn-gmem-2t is in base but not in every set" "$tmp/out" ||
		fail "the left-out case is not named"
	# Output that can't be written: one line, nothing left behind.
	compare 9 -o /proc/none/out.txt "$fix/base" "$fix/cache"
	one_line_error "cannot create a file next to /proc/none/out.txt"
	;;
plots) # compare
	compare 0 --out-dir "$tmp/cmp" "$fix/base" "$fix/cache"
	for f in compare.txt compare.csv compare.md cover-letter.txt throughput.dat plot-vars.txt; do
		[[ -s $tmp/cmp/$f ]] || fail "--out-dir wrote no $f"
	done
	"$top/scripts/plot.sh" "$tmp/cmp" >"$tmp/plot.log" 2>&1 || fail "plot.sh failed: $(cat "$tmp/plot.log")"
	for p in throughput latency slab numa; do
		[[ -s $tmp/cmp/$p.svg ]] || fail "no $p.svg"
		# The first two kernels' colours (scripts/plots/common.gp).
		read -r size a b < <("$GB_PNG_PROBE" "$tmp/cmp/$p.png" 0060ad dd181f | tr '\n' ' ' |
			awk '{ print $1 "x" $2, $4, $6 }')
		[[ $size == 1024x640 ]] || fail "$p.png is $size, expected 1024x640"
		((a > 200 && b > 200)) || fail "$p.png: base drawn in $a pixels, cache in $b: series missing"
		grep -q "rgb(  0,  96, 173)" "$tmp/cmp/$p.svg" || fail "$p.svg lacks the base series"
	done
	# And the probe tells: a plot with the key but no data has far fewer.
	gnuplot -e "set terminal pngcairo size 1024,640; set output '$tmp/blank.png'; set linetype 1 lc rgb '#0060ad' lw 2; set key; plot [0:1] [0:1] 1/0 title 'base'" ||
		fail "gnuplot cannot draw a blank plot"
	read -r a < <("$GB_PNG_PROBE" "$tmp/blank.png" 0060ad | awk 'NR == 2 { print $2 }')
	((a < 200)) || fail "probe finds $a series pixels in a plot without data"
	;;
plots_hostile) # compare
	# Strings from someone else's results never run as code: a CPU model and
	# host name with newlines, gnuplot calls and backquotes, a case name
	# with backquotes, and directories named with quotes.
	for set in base cache; do
		d="$tmp/it's \"$set\" \$(touch $tmp/pwned-sh)"
		mkdir -p "$d"
		for f in "$fix/$set"/*.json; do
			name=$(basename "$f")
			[[ $name == hold-gmem-2t.json ]] && name='hold-`touch pwned-case`-2t.json'
			sed -e 's|"cpu_model": "[^"]*"|"cpu_model": "x\\nsystem(\\"touch pwned-gp\\")\\n`touch pwned-bq`\\"\\r"|' \
				-e 's|"hostname": "[^"]*"|"hostname": "h\\u001b[31m`touch pwned-host`\\n!touch pwned-bang"|' \
				"$f" >"$d/$name"
		done
	done
	out="$tmp/o'ut \"\` dir"
	mkdir -p "$out"
	(cd "$tmp" && "$GB_COMPARE" --out-dir "$out" "$tmp/it's \"base\" \$(touch $tmp/pwned-sh)" \
		"$tmp/it's \"cache\" \$(touch $tmp/pwned-sh)" >"$tmp/out" 2>"$tmp/err") ||
		fail "gmem-compare on hostile labels: $(cat "$tmp/err")"
	grep -q 'touch pwned-bq' "$out/plot-vars.txt" || fail "the CPU model is not in plot-vars.txt"
	[[ $(wc -l <"$out/plot-vars.txt") == 6 ]] || fail "a label broke a line of plot-vars.txt: $(cat "$out/plot-vars.txt")"
	(cd "$tmp" && "$top/scripts/plot.sh" "$out" >"$tmp/plot.log" 2>&1) || fail "plot.sh failed: $(cat "$tmp/plot.log")"
	for p in throughput latency slab numa; do
		[[ -s $out/$p.png ]] || fail "no $p.png"
	done
	leaked=$(cd "$tmp" && ls -d pwned* 2>/dev/null)
	[[ -z $leaked ]] || fail "a label ran as a command: $leaked"
	# A plot-vars.txt made by hand to attack plot.sh is refused or inert.
	printf 'nsets 2`touch pwned-n`\nnblocks 1\n' >"$out/plot-vars.txt"
	(cd "$tmp" && "$top/scripts/plot.sh" "$out" >"$tmp/plot.log" 2>&1)
	[[ $? == 11 ]] || fail "a hostile nsets was not refused: $(cat "$tmp/plot.log")"
	[[ -z $(cd "$tmp" && ls -d pwned* 2>/dev/null) ]] || fail "plot-vars.txt ran as a command"
	;;
suite_tool) # compare
	"$GB_SUITE" --ncpus 2 "$top/scripts/suites/default.suite" >"$tmp/out" || fail "default suite does not expand"
	grep -q "^churn-gmem-2t-vm-per-thread: churn -b gmem -t 2 -p spread --vm per-thread" "$tmp/out" ||
		fail "matrix case missing: $(cat "$tmp/out")"
	printf 'matrix m\n\tthreads 0\n' >"$tmp/bad.suite"
	"$GB_SUITE" "$tmp/bad.suite" >/dev/null 2>"$tmp/err"
	[[ $? == 11 ]] || fail "bad suite: exit code"
	one_line_error "suite $tmp/bad.suite:2: threads '0'"
	"$GB_SUITE" "$tmp/none.suite" >/dev/null 2>"$tmp/err"
	[[ $? == 11 ]] || fail "missing suite: exit code"
	# A NUL byte used to end the file silently, a larger file was cut at
	# 4 MiB, a FIFO hung the reader.
	printf 'a: churn -n 1\n\0b: churn -n 2\nc: churn -n 3\n' >"$tmp/nul.suite"
	"$GB_SUITE" "$tmp/nul.suite" >/dev/null 2>"$tmp/err"
	[[ $? == 11 ]] || fail "NUL byte: exit code"
	one_line_error "nul.suite:2: NUL byte"
	{ yes '# a comment line of forty-odd characters....' | head -n 120000
		echo "a: churn -n 1"; } >"$tmp/big.suite"
	"$GB_SUITE" "$tmp/big.suite" >/dev/null 2>"$tmp/err"
	[[ $? == 11 ]] || fail "suite over 4 MiB: exit code"
	one_line_error "larger than 4 MiB"
	mkfifo "$tmp/fifo.suite"
	timeout 10 "$GB_SUITE" "$tmp/fifo.suite" >/dev/null 2>"$tmp/err"
	[[ $? == 11 ]] || fail "FIFO suite: exit code"
	one_line_error "not a regular file"
	# What people read is quoted as a shell needs it.
	printf '%s\n' "q: hold --at-peak 'cat /x >y' -l it\\'s" >"$tmp/q.suite"
	"$GB_SUITE" "$tmp/q.suite" >"$tmp/out" || fail "quoted suite"
	expect_eq "$(cat "$tmp/out")" "q: hold --at-peak 'cat /x >y' -l 'it'\\''s'" "human expansion"
	;;
runner) # compare
	printf 'rounds 2\nmatrix tiny\n\tworkload churn\n\tbackend memfd\n\tthreads 1\n\truns 1\n\targs -n 2000 --collect none\n' >"$tmp/tiny.suite"
	export GB_RESULTS_DIR=$tmp/results
	"$top/scripts/run-suite.sh" --suite "$tmp/tiny.suite" --label t1 >"$tmp/log" 2>&1 || fail "runner: $(cat "$tmp/log")"
	for f in tiny-memfd-1t@1.json tiny-memfd-1t@2.json env.txt config.txt slabinfo-before.txt slabinfo-after.txt dmesg.txt summary.txt; do
		[[ -s $tmp/results/t1/$f ]] || fail "runner wrote no $f"
	done
	grep -q "\[2/2" "$tmp/log" || fail "no progress line: $(cat "$tmp/log")"
	"$top/scripts/run-suite.sh" --suite "$tmp/tiny.suite" --label t1 >"$tmp/log" 2>&1
	[[ $? == 2 ]] || fail "overwrote an existing label"
	grep -q "exists; use --force" "$tmp/log" || fail "no reason given: $(cat "$tmp/log")"
	printf 'oops\n' >"$tmp/bad.suite"
	"$top/scripts/run-suite.sh" --suite "$tmp/bad.suite" --label t2 >"$tmp/log" 2>&1
	[[ $? == 11 ]] || fail "bad suite accepted: $(cat "$tmp/log")"
	[[ ! -e $tmp/results/t2 ]] || fail "bad suite left a results directory"
	# A suite cut short or corrupted is refused before anything runs.
	head -c -1 "$tmp/tiny.suite" >"$tmp/cut.suite"
	printf 'a: churn -n 10\n\x01\xfe\xff\n' >"$tmp/binary.suite"
	for bad in cut binary; do
		"$top/scripts/run-suite.sh" --suite "$tmp/$bad.suite" --label t3 >"$tmp/out" 2>"$tmp/err"
		[[ $? == 11 ]] || fail "$bad suite: exit code"
		grep -q "suite $tmp/$bad.suite:[0-9]*: " "$tmp/err" || fail "$bad suite: no reason: $(cat "$tmp/err")"
		[[ ! -e $tmp/results/t3 ]] || fail "$bad suite left a results directory"
	done
	# The rounds compare as one case of two runs.
	"$top/scripts/run-suite.sh" --suite "$tmp/tiny.suite" --label t2 >/dev/null 2>&1 || fail "second run"
	compare 0 -f csv "$tmp/results/t1" "$tmp/results/t2"
	cp "$tmp/out" "$tmp/csv"
	csv_is tiny-memfd-1t ns_per_op t1 runs 2
	;;
runner_append) # compare
	# --append: each invocation is a boot's round; two "boots" (the first
	# one's boot_id rewritten, as a reboot would change it) join into one
	# set that gmem-compare reads as two boots.
	printf 'rounds 2\ntiny: churn -b memfd -t 1 -n 2000 -r 1 --collect none\nprimary tiny ns_per_op\n' >"$tmp/tiny.suite"
	export GB_RESULTS_DIR=$tmp/results
	append() { "$top/scripts/run-suite.sh" --suite "$tmp/tiny.suite" --append --label "$1" >"$tmp/log" 2>"$tmp/err"; }
	reboot() {
		local id
		id=$(cat /proc/sys/kernel/random/boot_id)
		sed -i "s/$id/00000000-0000-0000-0000-00000000000$2/" "$tmp/results/$1/boots.txt" "$tmp/results/$1"/*.json
	}
	for set in a b; do
		append "$set" || fail "first boot of $set: $(cat "$tmp/err")"
		append "$set"
		[[ $? == 2 ]] || fail "a second round in one boot was appended"
		grep -q "already has boot 1's round from this boot; reboot" "$tmp/err" || fail "no reason: $(cat "$tmp/err")"
		reboot "$set" 1
		append "$set" || fail "second boot of $set: $(cat "$tmp/err")"
	done
	r=$tmp/results/a
	for f in tiny@b1-1.json tiny@b1-2.json tiny@b2-1.json tiny@b2-2.json roles.txt boot-1/env.txt boot-2/summary.txt boot-2/slabinfo-after.txt; do
		[[ -s $r/$f ]] || fail "--append wrote no $f: $(cd "$r" && find . | sort | paste -sd' ')"
	done
	expect_eq "$(awk '{ print $1, $2 }' "$r/boots.txt" | paste -sd,)" "boot 1,boot 2" "boots.txt"
	compare 0 -f csv "$tmp/results/a" "$tmp/results/b"
	cp "$tmp/out" "$tmp/csv"
	csv_is tiny ns_per_op a unit boot
	csv_is tiny ns_per_op a units 2
	csv_is tiny ns_per_op b units 2
	# Refused, with a reason: --force with it, another suite, a results
	# directory that --append did not make; nothing changes.
	"$top/scripts/run-suite.sh" --suite "$tmp/tiny.suite" --append --force --label a >"$tmp/log" 2>"$tmp/err"
	[[ $? == 2 ]] && grep -q "one or the other" "$tmp/err" || fail "--append --force: $(cat "$tmp/err")"
	reboot a 2
	sed 's/-n 2000/-n 3000/' "$tmp/tiny.suite" >"$tmp/other.suite"
	"$top/scripts/run-suite.sh" --suite "$tmp/other.suite" --append --label a >"$tmp/log" 2>"$tmp/err"
	[[ $? == 2 ]] && grep -q "another suite" "$tmp/err" || fail "another suite appended: $(cat "$tmp/err")"
	"$top/scripts/run-suite.sh" --suite "$tmp/tiny.suite" --label plain >"$tmp/log" 2>&1 || fail "plain run"
	append plain
	[[ $? == 2 ]] && grep -q "was not made with --append" "$tmp/err" || fail "appended to a plain run: $(cat "$tmp/err")"
	expect_eq "$(find "$r" -name '*.json' | wc -l)" 4 "files of set a after the refusals"
	[[ -z $(find "$tmp/results" -maxdepth 1 -name '.*' ! -name . ) ]] || fail "a stage was left behind"
	;;
runner_hostile) # compare
	# What the suite runner must survive: labels that name results/ itself,
	# two runs with one label, case names that match its own files, quoted
	# arguments, SIGHUP, a killed run's staging directory, a full disk.
	export GB_RESULTS_DIR=$tmp/results
	mkdir -p "$tmp/results/keep"
	printf 'a: churn -b memfd -n 100 -r 1 --collect none\n' >"$tmp/one.suite"
	for label in . .. .hidden -x a/b; do
		"$top/scripts/run-suite.sh" --suite "$tmp/one.suite" --label "$label" --force >"$tmp/log" 2>&1
		[[ $? == 2 ]] || fail "label '$label' accepted: $(cat "$tmp/log")"
	done
	[[ -d $tmp/results/keep ]] || fail "a bad label removed results/"
	# Case names like the runner's own files, and an --at-peak command that
	# only survives if the quoted argument is passed as one.
	printf '%s\n' 'summary: churn -b memfd -n 100 -r 1 --collect none' \
		'env: churn -b memfd -n 100 -r 1 --collect none' \
		'config: churn -b memfd -n 100 -r 1 --collect none' \
		"peak: hold -b memfd -n 100 -r 1 --collect none --at-peak 'echo \"at the peak\" >$tmp/peak.txt'" \
		>"$tmp/names.suite"
	"$top/scripts/run-suite.sh" --suite "$tmp/names.suite" --label names >"$tmp/log" 2>&1 ||
		fail "suite with reserved-looking names: $(cat "$tmp/log")"
	r=$tmp/results/names
	for f in summary.json env.json config.json peak.json; do
		[[ $("$GB_JSON_GET" "$r/$f" status) == ok ]] || fail "$f lost"
	done
	grep -q '^== summary: churn' "$r/summary.txt" || fail "summary.txt: $(head -3 "$r/summary.txt")"
	grep -q '^label: names' "$r/env.txt" || fail "env.txt was replaced"
	grep -q '^== peak: hold .* --at-peak echo "at the peak" >' "$r/summary.txt" ||
		fail "the quoted argument was split: $(grep '^== peak' "$r/summary.txt")"
	expect_eq "$(cat "$tmp/peak.txt")" "at the peak" "--at-peak output"
	expect_eq "$(stat -c %a "$r")" 755 "results directory mode"
	# Two runs at once (here with one label): the second is refused while
	# the first runs.
	printf 'slow: churn -b memfd -d 2 -r 1 --collect none\n' >"$tmp/slow.suite"
	"$top/scripts/run-suite.sh" --suite "$tmp/slow.suite" --label same >"$tmp/log1" 2>&1 &
	first=$!
	wait_for "$tmp/log1" '^\[1/1' || fail "the suite did not start: $(cat "$tmp/log1")"
	"$top/scripts/run-suite.sh" --suite "$tmp/one.suite" --label same --force >"$tmp/log" 2>&1
	[[ $? == 2 ]] || fail "a second run with the same label was not refused: $(cat "$tmp/log")"
	grep -q "another run-suite.sh is writing into" "$tmp/log" || fail "$(cat "$tmp/log")"
	compgen -G "$tmp/results/.*.lock" >/dev/null && fail "a lock file was left behind"
	wait "$first" || fail "the first run failed: $(cat "$tmp/log1")"
	[[ -f $tmp/results/same/slow.json ]] || fail "the first run's results are gone"
	# SIGHUP is an interrupt like SIGINT.
	set -m
	"$top/scripts/run-suite.sh" --suite "$tmp/slow.suite" --label hup >"$tmp/log" 2>&1 &
	pid=$!
	set +m
	wait_for "$tmp/log" '^\[1/1' || fail "the suite did not start: $(cat "$tmp/log")"
	sleep 0.5
	kill -HUP "$pid"
	wait "$pid"
	expect_eq "$?" 129 "exit code after SIGHUP"
	grep -q "SIGHUP during slow" "$tmp/results/hup/INTERRUPTED" || fail "no INTERRUPTED after SIGHUP"
	# SIGKILL can't be trapped: the next run with that label cleans up.
	"$top/scripts/run-suite.sh" --suite "$tmp/slow.suite" --label killed >"$tmp/log" 2>&1 &
	pid=$!
	wait_for "$tmp/log" '^\[1/1' || fail "the suite did not start: $(cat "$tmp/log")"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	sleep 2.5
	compgen -G "$tmp/results/.killed.??????" >/dev/null || fail "the killed run left no staging directory to test with"
	"$top/scripts/run-suite.sh" --suite "$tmp/one.suite" --label killed >"$tmp/log" 2>&1 || fail "$(cat "$tmp/log")"
	grep -q "left by a run that was killed" "$tmp/log" || fail "stale staging directory not reported: $(cat "$tmp/log")"
	compgen -G "$tmp/results/.killed.??????" >/dev/null && fail "stale staging directory not removed"
	# A disk that fills during the suite: the cases done are kept and the
	# message says where.
	if [[ $(id -u) == 0 ]] && command -v unshare >/dev/null; then
		mkdir "$tmp/small"
		printf 'a: churn -b memfd -n 100 -r 1 --collect none\nb: churn -b memfd -d 1 -r 1 --collect none\n' \
			>"$tmp/two.suite"
		GB_RESULTS_DIR=$tmp/small unshare -m bash -c '
			mount -t tmpfs -o size=1m gb-small "$1" || exit 99
			"$2" --suite "$3" --label full >"$4/log" 2>&1 &
			pid=$!
			until compgen -G "$1/.full.*/a.json" >/dev/null; do sleep 0.05; done
			dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null
			wait "$pid"
			echo "rc=$?" >>"$4/log"
			ls "$1"/.full.*/a.json >>"$4/log" 2>&1
		' _ "$tmp/small" "$top/scripts/run-suite.sh" "$tmp/two.suite" "$tmp"
		grep -q "rc=0" "$tmp/log" && fail "a full disk went unnoticed: $(cat "$tmp/log")"
		grep -q "the results so far are in" "$tmp/log" || fail "full disk: no word of the results: $(cat "$tmp/log")"
		grep -q "/a.json$" "$tmp/log" || fail "full disk: case a lost: $(cat "$tmp/log")"
	fi
	;;
runner_interrupt) # compare
	# SIGINT in the middle of a suite: the running case stops and says so,
	# the cases done are kept, nothing is left staged.
	printf 'a: churn -b memfd -d 0.3 -r 1 --collect none\nb: churn -b memfd -d 5 -r 1 --collect none\nc: churn -b memfd -d 1 --collect none\n' \
		>"$tmp/slow.suite"
	export GB_RESULTS_DIR=$tmp/results
	# Job control on: a plain & would start it with SIGINT ignored.
	set -m
	"$top/scripts/run-suite.sh" --suite "$tmp/slow.suite" --label t >"$tmp/log" 2>"$tmp/err" &
	pid=$!
	set +m
	wait_for "$tmp/log" '^\[2/3' 30 || fail "the suite did not start: $(cat "$tmp/log")"
	sleep 1
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	[[ $rc == 130 ]] || fail "exit code $rc after SIGINT, expected 130: $(cat "$tmp/err")"
	[[ $("$GB_JSON_GET" "$tmp/results/t/a.json" status) == ok ]] || fail "finished case a lost"
	[[ $("$GB_JSON_GET" "$tmp/results/t/b.json" status) == interrupted ]] || fail "case b not marked interrupted"
	[[ ! -e $tmp/results/t/c.json ]] || fail "case c ran after the interrupt"
	grep -q "SIGINT during b" "$tmp/results/t/INTERRUPTED" || fail "INTERRUPTED marker: $(cat "$tmp/results/t/INTERRUPTED")"
	for d in "$tmp/results/.t."*; do
		[[ -d $d ]] && fail "staging directory left behind: $d"
	done
	pgrep -f "gmem-bench churn -b memfd -d 5" >/dev/null && fail "case b still running"
	# gmem-compare takes it, leaving the interrupted case out and saying so.
	cp -r "$tmp/results/t" "$tmp/results/t-copy"
	compare 0 "$tmp/results/t" "$tmp/results/t-copy"
	grep -q "b.json: the run.s status is .interrupted.; case b left out" "$tmp/err" ||
		fail "gmem-compare does not mention the interrupted case: $(cat "$tmp/err")"
	;;
*)
	fail "unknown case"
	;;
esac
echo "PASS [$case_name]"
