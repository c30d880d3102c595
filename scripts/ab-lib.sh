# shellcheck shell=bash
# The A/B's boots: in which order the variants boot, and booting them.
# Sourced by ab.sh and calibrate.sh (after kernel-lib.sh), not run.

# gb_ab_order MODE SEED ROUNDS VARIANT...: one variant per line, in boot
# order.  MODE abba: round r boots the variants in the given order when r is
# odd and reversed when even (ABBA for two, ABCCBA for three), which cancels
# a drift linear in time from every difference.  MODE random: each round a
# permutation drawn from SEED.  The generator is written out here, not
# awk's or shuf's, so that a seed gives the same order on every machine
# (mawk and gawk have different rand()).
gb_ab_order() {
	local mode=$1 seed=$2 rounds=$3 r i j t
	shift 3
	local -a v
	case $mode in abba | random) ;; *) echo "order '$mode': abba or random" >&2; return 2 ;; esac
	[[ $seed =~ ^[0-9]{1,9}$ ]] || { echo "seed '$seed': a number, at most 9 digits" >&2; return 2; }
	local x=$((10#$seed))
	for ((r = 1; r <= rounds; r++)); do
		v=("$@")
		if [[ $mode == abba ]]; then
			((r % 2)) || for ((i = 0, j = ${#v[@]} - 1; i < j; i++, j--)); do
				t=${v[i]} v[i]=${v[j]} v[j]=$t
			done
		else
			# Fisher-Yates with the C standard's example LCG (ISO C, 7.22.2).
			for ((i = ${#v[@]} - 1; i > 0; i--)); do
				x=$(((x * 1103515245 + 12345) % 2147483648))
				j=$(((x / 65536) % (i + 1)))
				t=${v[i]} v[i]=${v[j]} v[j]=$t
			done
		fi
		printf '%s\n' "${v[@]}"
	done
}

# gb_ab_collect BOOT_DIR SET_DIR K: move boot K's results (vm-run.sh's
# results/LABEL/) into the variant's set: CASE.json as CASE@bK.json and
# CASE@N.json as CASE@bK-N.json (rounds gmem-compare joins to the case; the
# boot_id in each says which boot),
# the rest (the allocator check's run too) into SET_DIR/boot-K/.  The set's vm.txt and roles.txt are the
# first boot's.
gb_ab_collect() {
	local boot=$1 set=$2 k=$3 f name round
	mkdir -p "$set/boot-$k"
	for f in "$boot"/*.json; do
		# The guest's allocator check is its own run, not a case of the suite.
		[[ -e $f && ${f##*/} != allocator-hold.json ]] || continue
		name=${f##*/}
		name=${name%.json}
		# Round N of a suite with rounds (CASE@N) becomes CASE@bK-N.
		round=""
		[[ $name != *@* ]] || round=-${name#*@}
		mv -- "$f" "$set/${name%%@*}@b$k$round.json"
	done
	[[ -f $set/vm.txt ]] || cp -- "$boot/vm.txt" "$set/vm.txt"
	[[ -f $set/roles.txt || ! -f $boot/roles.txt ]] || cp -- "$boot/roles.txt" "$set/roles.txt"
	cp -r -- "$boot/." "$set/boot-$k/"
	rm -rf -- "$boot"
}

# gb_ab_kernel_reports DMESG: what a boot's kernel reported after the
# guest's start marker (boot-time WARNs, such as topology_sane() for
# QEMU's one-CPU nodes, come before it), on one line: "kernel: quiet", or
# how many WARNING/BUG/Oops lines and the first (printable, cut short).
gb_ab_kernel_reports() {
	local lines
	[[ -f $1 ]] && grep -q "gmem-bench guest: the tests begin" "$1" || { echo "kernel: log not kept"; return 0; }
	lines=$(sed -n '/gmem-bench guest: the tests begin/,$p' "$1" |
		grep -E "WARNING:|BUG[: ]|Oops|general protection" | LC_ALL=C tr -cd '[:print:]\n' || true)
	if [[ -z $lines ]]; then
		echo "kernel: quiet"
	else
		echo "kernel: $(grep -c . <<<"$lines") WARNING/BUG/Oops line(s), the first: $(head -n 1 <<<"$lines" | cut -c1-100)"
	fi
}

# gb_ab_lock: one ab.sh or calibrate.sh at a time on this machine.  Two
# side by side put four guests on a 2-core host, and even instruction-
# counted guests then pile up RCU-freed slab until they die (README), so
# the second one stops at once (exit 4) instead.  The lock goes with the
# process and its guests.
# shellcheck disable=SC2154 # gb_cache comes from kernel-lib.sh
gb_ab_lock() {
	mkdir -p "$gb_cache"
	exec {gb_ab_lock_fd}>"$gb_cache/ab.lock"
	flock -n "$gb_ab_lock_fd" ||
		gb_die 4 "another ab.sh or calibrate.sh is running on this machine; their guests would disturb each other's figures"
}
