#!/bin/bash
# Integration and error-path tests of the gmem-bench binary on this kernel.
# Usage: cli_test.sh CASE   (ctest runs one process per case; see CMakeLists.txt)
# Environment: GB_BIN, GB_JSON_GET, GB_FAULT_LIB (set by CMake).
# Exit: 0 pass, 1 fail, 77 skip (with the reason on stdout).
set -uo pipefail

case_name=${1:?case name}
tmp=$(mktemp -d /tmp/gb-cli-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=test_lib.sh
source "$(dirname "$0")/test_lib.sh"
need_kvm() {
	[[ -e /dev/kvm ]] || skip "/dev/kvm is absent on this machine: no KVM, so no guest_memfd to measure"
}
jget() { "$GB_JSON_GET" "$1" "$2"; }

# run EXPECTED_RC ARGS...: run gmem-bench, keep stdout/stderr, check the code.
run() { expect_rc "$1" "$GB_BIN" "${@:2}"; }

expect_gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }' || fail "$3: got '$1', expected > $2"; }

# fake_selftest PATH: a stand-in for guest_memfd_perf_test, which prints
# what it prints (FAKE_SKIP, FAKE_EXIT, FAKE_GARBLE, FAKE_NORUN change that)
# and writes the arguments it got to PATH.args, one a line.
fake_selftest() {
	cat >"$1" <<-'EOF'
		#!/bin/bash
		printf '%s\n' "$@" >"$0.args"
		echo "Random seed: 0x6b8b4567"
		if [[ -n ${FAKE_SKIP:-} ]]; then echo "1..0 # SKIP - $FAKE_SKIP"; exit 4; fi
		echo "guest_memfd create+close: 1 thread(s) on a VM each, VM type 0, size 2097152, flags 0x0, 1 s runs, 1000 warm-up, 1 in 64 timed"
		[[ -z ${FAKE_GARBLE:-} ]] || echo "Run 1: lots of files"
		if [[ -z ${FAKE_NORUN:-} ]]; then
			echo "Run 1: 184321 files in 1.000012 s: 5425.3 ns per create+close (create 2412.0 ns, close 2520.5 ns, 2880 samples)"
			echo "Run 2: 184301 files in 1.000010 s: 5426.1 ns per create+close (create 2413.0 ns, close 2521.5 ns, 2880 samples)"
		fi
		exit "${FAKE_EXIT:-0}"
	EOF
	chmod +x "$1"
}

# Fault injection: the real binary with a shim between it and ioctl().
with_fault() { env LD_PRELOAD="$GB_FAULT_LIB" "$@"; }

case $case_name in
probe) # integration
	need_kvm
	run 0 probe -j "$tmp/p.json"
	expect_eq "$(jget "$tmp/p.json" cap_guest_memfd)" 1 "probe -j writes the capabilities"
	run 0 probe
	grep -q '"cap_guest_memfd": 1' "$tmp/out" || fail "probe output lacks cap_guest_memfd: $(cat "$tmp/out")"
	;;
gmem_churn) # integration
	need_kvm
	run 0 churn -d 0.3 -r 2 --bare-check -j "$tmp/r.json" -l test
	expect_eq "$(jget "$tmp/r.json" status)" ok "status"
	# Two runs asked, two recorded: the second is index 1, there is no third.
	expect_eq "$(jget "$tmp/r.json" runs.1.index)" 1 "the second run's index"
	jget "$tmp/r.json" runs.2 >/dev/null 2>&1 && fail "a third run recorded for -r 2"
	expect_eq "$(jget "$tmp/r.json" samples.ns_per_op | tr -cd , | wc -c)" 1 "two ns_per_op samples"
	expect_gt "$(jget "$tmp/r.json" runs.1.created)" 0 "files created in run 2"
	expect_gt "$(jget "$tmp/r.json" runs.0.bare_ns_per_op)" 0 "bare loop measured"
	expect_gt "$(jget "$tmp/r.json" metadata.timer.cost_ns)" 0 "timer cost measured"
	expect_eq "$(jget "$tmp/r.json" metadata.backend.cap_guest_memfd)" 1 "capability recorded"
	expect_gt "$(jget "$tmp/r.json" create_all_runs.count)" 0 "create latencies sampled"
	expect_gt "$(jget "$tmp/r.json" harness_overhead.segment_pairs)" 0 "segment pairs measured"
	grep -q "harness vs bare loop" "$tmp/out" || fail "summary lacks the overhead line"
	;;
gmem_churn_count) # integration
	need_kvm
	run 0 churn -n 3000 -t 2 --timing every --vm per-thread -j "$tmp/r.json"
	expect_eq "$(jget "$tmp/r.json" runs.0.created)" 6000 "2 threads x 3000"
	expect_eq "$(jget "$tmp/r.json" runs.0.create.count)" 6000 "every op timed"
	expect_eq "$(jget "$tmp/r.json" params.vm_sharing)" per-thread "VM per thread"
	;;
gmem_churn_batch) # integration
	need_kvm
	run 0 churn -n 2000 --timing batch -j "$tmp/r.json"
	expect_eq "$(jget "$tmp/r.json" runs.0.create.count)" 0 "batch timing records no latencies"
	expect_gt "$(jget "$tmp/r.json" runs.0.ns_per_op)" 0 "batch timing still gives ns/op"
	;;
gmem_hold) # integration
	need_kvm
	run 0 hold -n 15000 -t 2 -r 2 -j "$tmp/r.json"
	for r in 0 1; do
		expect_eq "$(jget "$tmp/r.json" runs.$r.peak_open)" 15000 "peak open files, run $r"
		expect_eq "$(jget "$tmp/r.json" runs.$r.closed)" 15000 "files closed, run $r"
	done
	expect_eq "$(jget "$tmp/r.json" runs.0.population | grep -o files_per_thread_from | wc -l)" 10 "10 population buckets"
	;;
gmem_hold_procs) # integration
	need_kvm
	# 30000 files: more than one process's RLIMIT_NOFILE here, so only
	# worker processes can hold them all at once.
	run 0 hold -n 30000 -t 3 --procs -j "$tmp/r.json"
	expect_eq "$(jget "$tmp/r.json" runs.0.peak_open)" 30000 "peak open files"
	expect_eq "$(jget "$tmp/r.json" runs.0.closed)" 30000 "files closed"
	expect_eq "$(jget "$tmp/r.json" metadata.workers)" processes "worker mode"
	;;
gmem_hold_populate) # integration
	need_kvm
	run 0 hold -n 300 -s 8K --populate 4K --timing every -j "$tmp/r.json"
	expect_eq "$(jget "$tmp/r.json" runs.0.populate.count)" 300 "every file populated"
	;;
placement) # integration
	ncpu=$(nproc)
	((ncpu >= 2)) || skip "one CPU: nothing to place"
	run 0 churn -b memfd -t 2 -p fill --cpus 0,1 -n 100 -j "$tmp/r.json"
	expect_eq "$(jget "$tmp/r.json" placement.threads.0.cpu)" 0 "fill: thread 0 on CPU 0"
	expect_eq "$(jget "$tmp/r.json" placement.threads.1.cpu)" 1 "fill: thread 1 on CPU 1"
	expect_eq "$(jget "$tmp/r.json" runs.0.threads.1.cpu)" 1 "per-thread result keeps its CPU"
	run 0 hold -b memfd -t 2 -n 200 --remote-close -j "$tmp/r.json"
	nodes=$(jget "$tmp/r.json" placement.nodes | tr -cd , | wc -c)
	if ((nodes == 0)); then
		grep -q "nothing is freed remotely" "$tmp/err" || fail "one node: --remote-close should warn"
	else
		[[ $(jget "$tmp/r.json" placement.threads.0.close_node) != $(jget "$tmp/r.json" placement.threads.0.node) ]] ||
			fail "--remote-close: thread 0 closes on its own node"
	fi
	;;
collectors_crosscheck) # integration
	need_kvm
	[[ $(id -u) == 0 ]] || skip "needs root: flushing slab caches, a memory cgroup and kmem tracepoints"
	[[ -d /sys/kernel/slab ]] || skip "no /sys/kernel/slab on this kernel"
	run 0 hold -n 19000 -t 2 -r 1 --collect all -j "$tmp/r.json"
	c=runs.0.collectors
	slab=$(jget "$tmp/r.json" $c.slab.caches.0.objects_per_file)
	cache=$(jget "$tmp/r.json" $c.slab.inode_cache)
	awk -v v="$slab" 'BEGIN { exit !(v > 0.98 && v < 1.02) }' || fail "$cache objects per file $slab, expected 1"
	[[ $(jget "$tmp/r.json" $c.slab.exact) == true ]] || fail "slab counts not exact"
	perf=$(jget "$tmp/r.json" "$c.perf.per_create.kmem:kmem_cache_alloc[$cache].per_op") ||
		fail "no kmem_cache_alloc count for $cache"
	awk -v p="$perf" -v s="$slab" 'BEGIN { d = p - s; exit !(p > 0.98 && p < 1.02 && d < 0.02 && d > -0.02) }' ||
		fail "kmem_cache_alloc[$cache] per create $perf disagrees with the slab delta $slab"
	memcg=$(jget "$tmp/r.json" $c.memcg.kmem_bytes_per_file)
	total=$(jget "$tmp/r.json" $c.slab.total_bytes_per_file)
	awk -v m="$memcg" -v t="$total" 'BEGIN { exit !(m > 0.5 * t && m < 3 * t) }' ||
		fail "memcg charged $memcg bytes per file against $total bytes of slab"
	[[ $(jget "$tmp/r.json" $c.slab.rcu_free_timed_out) == false ]] || fail "inodes not freed within the timeout"
	expect_gt "$(jget "$tmp/r.json" $c.slab.rcu_free_ms)" 0 "RCU free latency measured"
	[[ -z $(compgen -G "/sys/fs/cgroup/memory/gmem-bench-*") ]] || fail "memory cgroup left behind"
	echo "slab $slab, perf $perf $cache allocations per create, memcg $memcg B/file, slab $total B/file, RCU $(jget "$tmp/r.json" $c.slab.rcu_free_ms) ms"
	;;
collectors_unprivileged) # integration
	[[ $(id -u) == 0 ]] || skip "runs as root to drop to an unprivileged user"
	command -v setpriv >/dev/null || skip "setpriv (util-linux) missing"
	cp "$GB_BIN" "$tmp/gmem-bench" && chmod 755 "$tmp" "$tmp/gmem-bench"
	mkdir -m 777 "$tmp/nobody"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/gmem-bench" hold -b memfd -n 200 \
		--collect all -j "$tmp/nobody/r.json" >"$tmp/out" 2>"$tmp/err"
	expect_eq "$?" 0 "an unprivileged run still completes"
	for col in slab perf memcg; do
		a=$(jget "$tmp/nobody/r.json" metadata.collectors.$col.available)
		r=$(jget "$tmp/nobody/r.json" metadata.collectors.$col.reason)
		[[ $a == true || ($r != null && -n $r) ]] || fail "$col unavailable without a reason"
	done
	# /proc/slabinfo is root-only, and nobody may not make cgroups here.
	[[ $(jget "$tmp/nobody/r.json" metadata.collectors.slab.available) == false ]] || fail "slab should be unavailable to nobody"
	grep -q "slab: not collected: cannot read /proc/slabinfo" "$tmp/out" || fail "the summary doesn't say why slab was not collected"
	;;
numa_placement) # integration
	need_kvm
	[[ $(id -u) == 0 ]] || skip "needs root for move_pages on every page"
	run 0 hold -b memfd -n 200 -t 2 -p spread -s 64K --populate 64K -j "$tmp/r.json"
	on=$(jget "$tmp/r.json" runs.0.collectors.numa.nodes.0.move_pages.on_node)
	checked=$(jget "$tmp/r.json" runs.0.collectors.numa.nodes.0.move_pages.checked)
	expect_eq "$checked" $((200 * 16)) "every page of every file checked"
	expect_eq "$on" "$checked" "pages on the bound node"
	grep -q "placement honoured: $on of $checked pages" "$tmp/out" || fail "summary lacks the placement line"
	;;
memfd_churn) # integration
	run 0 churn -b memfd -n 2000 -t 2 -j "$tmp/r.json"
	expect_eq "$(jget "$tmp/r.json" runs.0.created)" 4000 "memfd files"
	;;
memfd_hold) # integration
	run 0 hold -b memfd -n 5000 -j "$tmp/r.json"
	expect_eq "$(jget "$tmp/r.json" runs.0.peak_open)" 5000 "memfd peak"
	;;
selftest_import) # integration
	# "gmem-bench selftest" with a stand-in for the KVM selftest: it prints
	# what guest_memfd_perf_test prints and records the arguments it got.
	# They reach it verbatim (no shell), ours are taken out wherever they
	# are, and the result is one gmem-compare reads like any case.
	fake_selftest "$tmp/kst"
	run 0 selftest --selftest "$tmp/kst" -v 1 --label 'a"b' '-l' 1 ';rm -rf $HOME' -j "$tmp/a.json"
	expect_eq "$(paste -sd'|' "$tmp/kst.args")" '-v|1|-l|1|;rm -rf $HOME' "the selftest's arguments"
	grep -q '^Run 2: ' "$tmp/out" || fail "the selftest's output is not copied to stdout"
	expect_eq "$(jget "$tmp/a.json" params.backend)" kvm-selftest "backend"
	expect_eq "$(jget "$tmp/a.json" params.workload)" churn "workload"
	expect_eq "$(jget "$tmp/a.json" params.vm_sharing)" per-thread "a VM each"
	expect_eq "$(jget "$tmp/a.json" label)" 'a"b' "label"
	expect_eq "$(jget "$tmp/a.json" samples.ns_per_op | awk -F'[][,]' '{ printf "%.1f %.1f", $2, $3 }')" \
		"5425.3 5426.1" "ns per op, one per run"
	expect_eq "$(jget "$tmp/a.json" runs.1.created)" 184301 "files of run 2"
	expect_eq "$(jget "$tmp/a.json" metadata.selftest.args.4)" ';rm -rf $HOME' "arguments recorded"
	run 0 selftest --selftest "$tmp/kst" --quiet -j "$tmp/b.json"
	[[ ! -s $tmp/out ]] || fail "--quiet printed: $(cat "$tmp/out")"
	mkdir "$tmp/A" "$tmp/B"
	cp "$tmp/a.json" "$tmp/A/kst.json"
	cp "$tmp/b.json" "$tmp/B/kst.json"
	expect_rc 0 "$GB_COMPARE" -f csv "$tmp/A" "$tmp/B"
	grep -q '^kst,ns_per_op,' "$tmp/out" || fail "gmem-compare has no selftest row: $(cat "$tmp/out")"
	;;
selftest_kst) # integration
	# The real selftest (gmem-kst, built from the KVM selftests library)
	# through gmem-bench: figures recorded, and a skip on a VM type the
	# kernel refuses is exit 6 with one line.
	kst=$(dirname "$GB_BIN")/gmem-kst
	[[ -x $kst ]] || skip "gmem-kst was not built (no kernel source: see the build log)"
	need_kvm
	run 0 selftest -v 1 -l 1 -r 2 -j "$tmp/k.json"
	expect_eq "$(jget "$tmp/k.json" samples.ns_per_op | tr -cd , | wc -c)" 1 "two runs"
	expect_gt "$(jget "$tmp/k.json" runs.0.created)" 0 "files created"
	run 6 selftest -t 31 -r 1 --quiet
	one_line_error "selftest skipped: VM type 31 is not supported"
	expect_rc 4 "$kst" -t 31 -r 1
	expect_eq "$(grep -c SKIP "$tmp/out")" 1 "the selftest's own skip line"
	;;
err_selftest) # errors
	# Every way the selftest can end, as gmem-bench's own exit codes, one
	# line each, and no result file.
	fake_selftest "$tmp/kst"
	for c in "3 Cannot open /dev/kvm: No such file or directory" \
		"5 Requirement not met: kvm_has_cap(KVM_CAP_GUEST_MEMFD)" \
		"6 KVM_CREATE_GUEST_MEMFD rejects flags 0x40000000"; do
		FAKE_SKIP=${c#* } run "${c%% *}" selftest --selftest "$tmp/kst" -j "$tmp/x.json"
		one_line_error "selftest skipped: ${c#* }"
	done
	FAKE_EXIT=254 run 1 selftest --selftest "$tmp/kst" -j "$tmp/x.json"
	one_line_error "failed (exit 254)"
	FAKE_GARBLE=1 run 11 selftest --selftest "$tmp/kst" -j "$tmp/x.json"
	one_line_error "selftest output line 3"
	FAKE_NORUN=1 run 11 selftest --selftest "$tmp/kst" -j "$tmp/x.json"
	one_line_error "reported no run"
	run 1 selftest --selftest "$tmp/nothing-here" -j "$tmp/x.json"
	one_line_error "cannot run"
	run 2 selftest --selftest "$tmp/kst" --bogus
	one_line_error "unknown option '--bogus'"
	run 2 selftest --selftest "$tmp/kst" -j
	one_line_error "-j needs a value"
	[[ ! -e $tmp/x.json ]] || fail "a failed selftest left a result"
	;;
err_no_kvm) # errors
	run 3 churn --kvm-dev "$tmp/no-such-kvm" -j "$tmp/r.json"
	one_line_error "no KVM device"
	# A run that never started still leaves a result saying why.
	expect_eq "$(jget "$tmp/r.json" status)" error "status"
	expect_eq "$(jget "$tmp/r.json" exit_code)" 3 "exit code in the JSON"
	;;
err_permission) # errors
	need_kvm
	if [[ $(id -u) == 0 ]]; then
		command -v setpriv >/dev/null || skip "setpriv (util-linux) missing: cannot drop root to test EACCES"
		cp "$GB_BIN" "$tmp/gmem-bench" && chmod 755 "$tmp" "$tmp/gmem-bench"
		[[ $(stat -c %a /dev/kvm) == 600 ]] || skip "/dev/kvm is mode $(stat -c %a /dev/kvm): an unprivileged user may open it"
		setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/gmem-bench" churn -n 10 >"$tmp/out" 2>"$tmp/err"
		rc=$?
	elif [[ -r /dev/kvm && -w /dev/kvm ]]; then
		skip "this user may open /dev/kvm and cannot drop that right"
	else
		"$GB_BIN" churn -n 10 >"$tmp/out" 2>"$tmp/err"
		rc=$?
	fi
	expect_eq "$rc" 4 "exit code for EACCES"
	one_line_error "permission denied"
	;;
err_no_gmem) # errors
	need_kvm
	GB_FAULT_NO_GMEM=1 with_fault "$GB_BIN" churn -n 10 >"$tmp/out" 2>"$tmp/err"
	expect_eq "$?" 5 "exit code without guest_memfd"
	one_line_error "no guest_memfd"
	;;
err_flags) # errors
	need_kvm
	run 6 churn --flags 0x80
	one_line_error "flags 0x80 not supported"
	;;
err_vm_type) # errors
	need_kvm
	run 6 churn --vm-type 31
	one_line_error "VM type"
	;;
err_fd_limit) # errors
	need_kvm
	# More than fs.nr_open allows (1048576 by default): no privilege helps.
	nr_open=$(cat /proc/sys/fs/nr_open)
	files=$((nr_open + 1000))
	run 7 hold -n "$files"
	one_line_error "needs $((files + 1 + 64)) file descriptors"
	;;
err_emfile) # errors
	need_kvm
	# The trial create in the probe is call 1, so 100 files get made.
	GB_FAULT_CREATE_ERRNO=24 GB_FAULT_CREATE_AFTER=101 with_fault \
		"$GB_BIN" hold -n 1000 -w 0 -j "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
	expect_eq "$?" 7 "exit code for EMFILE"
	one_line_error "EMFILE"
	expect_eq "$(jget "$tmp/r.json" status)" error "status"
	expect_eq "$(jget "$tmp/r.json" runs.0.created)" 100 "files made before EMFILE"
	expect_eq "$(jget "$tmp/r.json" runs.0.closed)" 100 "all of them closed"
	;;
err_enomem) # errors
	need_kvm
	GB_FAULT_CREATE_ERRNO=12 GB_FAULT_CREATE_AFTER=501 with_fault \
		"$GB_BIN" hold -n 2000 -t 2 -w 0 -j "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
	expect_eq "$?" 8 "exit code for ENOMEM"
	one_line_error "out of memory"
	expect_eq "$(jget "$tmp/r.json" exit_code)" 8 "exit code in the JSON"
	expect_eq "$(jget "$tmp/r.json" runs.0.created)" 500 "files made before ENOMEM"
	expect_eq "$(jget "$tmp/r.json" runs.0.closed)" 500 "all of them closed"
	grep -q "out of memory" <<<"$(jget "$tmp/r.json" error)" || fail "JSON error lacks the reason"
	;;
err_usage) # errors
	for args in "" "spin" "churn -t 0" "churn -d 1 -n 5" "hold -n -1" "churn --size 4097" "churn --bogus" \
		"churn -n 0" "churn -n 99999999999999999999" "churn --size 18446744073709551616" \
		"churn --size 99999999999T" "churn -t 99999999999" "churn -d -1" "churn -d 1e400" \
		"churn -r 0" "churn -w -5" "hold --populate 4M -s 2M" "churn -d 1e-300" "churn --cpus 1-0" \
		"churn --cpus 0," "churn -f ," "churn --collect ," "hold --populate 1" "churn -n 0x10"; do
		# shellcheck disable=SC2086
		run 2 $args
		one_line_error "error:"
	done
	;;
err_numa) # errors
	run 10 churn -b memfd --nodes 63 -n 10
	one_line_error "node"
	run 10 churn -b memfd --cpus 4095 -n 10
	one_line_error "names a CPU"
	# Ids past 2^32 are not read modulo 2^32 (libnuma would run on CPU 1).
	run 2 churn -b memfd --cpus 4294967297 -n 10
	one_line_error "invalid value '4294967297' for --cpus"
	run 2 churn -b memfd --nodes 4294967296 -n 10
	one_line_error "invalid value '4294967296' for --nodes"
	run 10 churn -b memfd --cpus 0-4095 -n 10
	one_line_error "names a CPU"
	# "010" is ten, not eight.
	run 0 churn -b memfd -n 010 -r 1 -j "$tmp/r.json"
	expect_eq "$(jget "$tmp/r.json" runs.0.created)" 10 "-n 010"
	# A bucket larger than the population is one bucket, not a crash.
	run 0 hold -b memfd -n 100 --bucket 18446744073709551600 -r 1 -j "$tmp/r.json"
	expect_eq "$(jget "$tmp/r.json" runs.0.closed)" 100 "--bucket 2^64 - 16"
	run 2 churn -b memfd --cpus 0 -t 2 -n 10
	one_line_error "threads are pinned"
	# Without --cpus more threads than CPUs is allowed (scaling past the
	# CPU count is a fair question), but said, and recorded.
	run 0 churn -b memfd -t $(($(nproc) + 1)) -n 10 -j "$tmp/r.json"
	grep -q "threads share CPUs" "$tmp/err" || fail "no warning for oversubscription: $(cat "$tmp/err")"
	expect_eq "$(jget "$tmp/r.json" placement.oversubscribed)" true "oversubscribed in the result"
	;;
err_placement_check) # errors
	# Its own arguments, and a machine it cannot check: each one line
	# with its code.  (The checks themselves run in NUMA guests:
	# vm_placement_*.)
	run 0 placement-check --help
	grep -q "farthest other node" "$tmp/out" || fail "placement-check --help: $(head -n 3 "$tmp/out")"
	run 2 placement-check -b tmpfs
	one_line_error "invalid value 'tmpfs' for --backend: expected gmem or memfd"
	run 2 placement-check extra
	one_line_error "unexpected argument 'extra'"
	nodes=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)
	if ((nodes < 2)); then
		run 10 placement-check -b memfd -j "$tmp/p.json"
		one_line_error "one NUMA node with memory"
		[[ ! -e $tmp/p.json ]] || fail "a verdict was written for a machine that was not checked"
	else
		# shmem has shared policies: every check passes, private skipped.
		run 0 placement-check -b memfd -j "$tmp/p.json"
		expect_eq "$(jget "$tmp/p.json" failed)" 0 "memfd checks failed"
	fi
	;;
err_sizes) # errors
	# Runs that cannot fit are refused before anything starts, with the figure.
	# 4096 workers x 100 buckets of latency histogram: about 23.4 GiB.
	if (($(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo) < 23 * 1024 * 1024)); then
		run 8 hold -b memfd -t 4096 --procs -n 409600 --bucket 1 -j "$tmp/r.json"
		grep -q "error: this run needs .* MiB of latency histograms" "$tmp/err" || fail "$(cat "$tmp/err")"
		expect_eq "$(jget "$tmp/r.json" status)" error "status"
	fi
	run 8 hold -b memfd --populate 2M -j "$tmp/r.json"
	one_line_error "200000 MiB for --populate"
	# perf counters count in the descriptor budget: 64 + 2 x (500 + 1 + 32)
	# (without them, 1066 would fit).
	command -v prlimit >/dev/null || skip "no prlimit"
	expect_rc 7 prlimit --nofile=1072:1072 "$GB_BIN" hold -b memfd -n 1000 -t 2 --collect all
	one_line_error "needs 1130 file descriptors"
	;;
err_output_special) # errors
	# Only a regular file (or nothing) is ever replaced, by gmem-bench -j and
	# gmem-compare -o alike.  The test's own nodes, never the system's.
	[[ $(id -u) == 0 ]] || skip "mknod needs root"
	mknod "$tmp/null" c 1 3 && mknod "$tmp/full" c 1 7 && mkfifo "$tmp/fifo" ||
		fail "cannot make the test's device nodes"
	check_kept() { # PATH TEST WHAT
		test "$2" "$1" || fail "$1 was replaced ($3)"
	}
	for prog in bench compare; do
		if [[ $prog == bench ]]; then
			out_to() { run "$1" churn -b memfd -n 100 -r 1 -q -j "$2"; }
		else
			out_to() { expect_rc "$1" "$GB_COMPARE" -o "$2" "$GB_FIXTURES/base" "$GB_FIXTURES/cache"; }
		fi
		out_to 0 "$tmp/null"
		check_kept "$tmp/null" -c "character device, $prog"
		out_to 9 "$tmp/full"
		check_kept "$tmp/full" -c "character device, $prog"
		one_line_error "No space left on device"
		cat "$tmp/fifo" >"$tmp/from-fifo" &
		out_to 0 "$tmp/fifo"
		wait
		check_kept "$tmp/fifo" -p "FIFO, $prog"
		[[ -s $tmp/from-fifo ]] || fail "nothing came through the FIFO ($prog)"
		echo OLD-CONTENT-MARKER >"$tmp/target-$prog"
		ln -s "target-$prog" "$tmp/link-$prog"
		out_to 0 "$tmp/link-$prog"
		check_kept "$tmp/link-$prog" -L "symbolic link, $prog"
		grep -q OLD-CONTENT-MARKER "$tmp/target-$prog" && fail "the link's target was not written ($prog)"
		ln -s "sub/../new-$prog" "$tmp/dangling-$prog"
		mkdir -p "$tmp/sub"
		out_to 0 "$tmp/dangling-$prog"
		check_kept "$tmp/dangling-$prog" -L "dangling symbolic link, $prog"
		[[ -s $tmp/new-$prog ]] || fail "the dangling link's target was not made ($prog)"
		# A pipe behind a link, as /dev/stdout is: the output comes through it.
		ln -s /proc/self/fd/1 "$tmp/stdout-$prog"
		out_to 0 "$tmp/stdout-$prog"
		check_kept "$tmp/stdout-$prog" -L "link to stdout, $prog"
		[[ -s $tmp/out ]] || fail "nothing written through the link to stdout ($prog)"
		mkdir "$tmp/dir-$prog"
		out_to 9 "$tmp/dir-$prog"
		one_line_error "cannot write"
		check_kept "$tmp/dir-$prog" -d "directory, $prog"
		ls "$tmp"/*.tmp.* >/dev/null 2>&1 && fail "a temporary file was left behind ($prog)"
	done
	;;
err_output) # errors
	run 9 churn -b memfd -n 100 -j "$tmp/missing/r.json"
	one_line_error "cannot"
	;;
sigint | sigterm) # integration
	need_kvm
	sig=${case_name#sig}
	sig=${sig^^}
	extra=()
	[[ $sig == TERM ]] && extra=(--procs -t 2)
	"$GB_BIN" churn -d 30 -r 3 "${extra[@]}" -j "$tmp/r.json" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	sleep 1
	kill -"$sig" "$pid"
	wait "$pid"
	rc=$?
	want=$((128 + $(kill -l "$sig")))
	expect_eq "$rc" "$want" "exit code after SIG$sig"
	expect_eq "$(jget "$tmp/r.json" status)" interrupted "status"
	expect_gt "$(jget "$tmp/r.json" runs.0.created)" 0 "partial run kept"
	expect_eq "$(jget "$tmp/r.json" runs.0.created)" "$(jget "$tmp/r.json" runs.0.closed)" "every file closed"
	compgen -G "$tmp/*.tmp.*" >/dev/null && fail "temporary result file left behind"
	pgrep -P "$pid" >/dev/null && fail "worker processes left behind"
	;;
err_sys_files) # errors
	need_kvm
	if [[ $(id -u) != 0 ]] || ! command -v unshare >/dev/null; then
		skip "needs root and unshare to hide /proc and /sys files in a mount namespace"
	fi
	# Each line: what to do to the namespace, and gmem-bench's arguments.
	hide() { unshare -m sh -c "$1 && exec $GB_BIN ${*:2} -j $tmp/r.json" >"$tmp/out" 2>"$tmp/err"; }
	echo garbage >"$tmp/garbage"
	hide "mount --bind $tmp/garbage /proc/slabinfo" hold -n 300 -r 1 --collect slab
	expect_eq "$?" 0 "a run with a corrupt /proc/slabinfo still completes"
	grep -q "slab: not collected: cannot read /proc/slabinfo: not /proc/slabinfo version 2.x" "$tmp/out" ||
		fail "corrupt /proc/slabinfo: $(grep slab "$tmp/out")"
	expect_eq "$(jget "$tmp/r.json" metadata.collectors.slab.available)" false "slab collector with a corrupt slabinfo"
	hide "mount -t tmpfs gb-empty /sys/kernel/slab" hold -n 300 -r 1 --collect slab
	expect_eq "$?" 0 "a run without /sys/kernel/slab"
	expect_eq "$(jget "$tmp/r.json" runs.0.collectors.slab.source)" /proc/slabinfo "slab counts fall back to /proc/slabinfo"
	hide "mount -t tmpfs gb-empty /sys/fs/cgroup" hold -n 300 -r 1 --collect memcg
	expect_eq "$?" 0 "a run without a cgroup file system"
	grep -q "memcg: not collected: no memory cgroup controller mounted" "$tmp/out" ||
		fail "no cgroups: $(grep memcg "$tmp/out")"
	hide "mount -t tmpfs gb-empty /sys/devices/system/node" churn -n 300
	expect_eq "$?" 10 "exit code without /sys/devices/system/node"
	one_line_error "is /sys/devices/system/node readable?"
	hide "mount --bind $tmp/garbage /proc/cpuinfo" churn -n 300
	expect_eq "$?" 0 "a run with a corrupt /proc/cpuinfo"
	expect_eq "$(jget "$tmp/r.json" metadata.cpu_model)" null "no CPU model rather than a made-up one"
	;;
hold_tiny) # integration
	# Fewer files than a thread's usual share, one each, and with worker
	# processes (every worker used to crash and the parent to wait for ever).
	for args in "-n 1" "-n 2 -t 2" "-n 3 -t 2" "-n 4 -t 4 --procs"; do
		# shellcheck disable=SC2086
		run 0 hold -b memfd $args -r 2 -j "$tmp/r.json"
		expect_eq "$(jget "$tmp/r.json" runs.1.closed)" "${args:3:1}" "hold $args: files closed"
	done
	;;
fault_worker_dies) # fault
	# A worker process dies (SIGKILL) while the others wait at the phase
	# barrier: the parent notices, kills the rest, reports exit 1 and leaves
	# nothing behind.  The parent dies: its workers die with it.  A worker
	# gets SIGTERM: the whole run is interrupted.  memfd: the same worker
	# code as gmem, and it runs without /dev/kvm.
	workers() { pgrep -P "$1" -x gmem-bench; }
	wait_workers() { # PID N: until N worker processes run
		for ((i = 0; i < 100; i++)); do
			(($(workers "$1" | wc -l) >= $2)) && return 0
			sleep 0.1
		done
		fail "worker processes of $1 did not start"
	}
	gone_within() { # PIDS...: all gone within 5 s
		for ((i = 0; i < 50; i++)); do
			kill -0 "$@" 2>/dev/null || return 0
			sleep 0.1
		done
		fail "processes $* still alive 5 s later"
	}
	"$GB_BIN" hold -b memfd -n 20000 -t 4 --procs -r 1 --at-peak "sleep 3" \
		-j "$tmp/r.json" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	wait_workers "$pid" 4
	sleep 1
	mapfile -t ws < <(workers "$pid")
	kill -9 "${ws[1]}"
	ends_within 20 "$pid" || fail "the parent still waits 20 s after a worker died"
	wait "$pid"
	expect_eq "$?" 1 "exit code after a worker was killed"
	grep -q "killed by Killed; the other workers were killed" "$tmp/err" || fail "error: $(cat "$tmp/err")"
	expect_eq "$(jget "$tmp/r.json" status)" error "status"
	gone_within "${ws[@]}"

	for args in "hold -n 20000 --at-peak sleep\ 30" "churn -d 30"; do
		eval "set -- $args"
		"$GB_BIN" "$@" -b memfd -t 2 --procs -r 1 --collect none >"$tmp/out" 2>"$tmp/err" &
		pid=$!
		wait_workers "$pid" 2
		mapfile -t ws < <(workers "$pid")
		kill -9 "$pid"
		wait "$pid" 2>/dev/null
		gone_within "${ws[@]}"
	done

	"$GB_BIN" churn -b memfd -d 30 -t 2 --procs -r 2 -j "$tmp/r.json" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	wait_workers "$pid" 2
	sleep 0.5
	kill -TERM "$(workers "$pid" | head -n 1)"
	ends_within 20 "$pid" || fail "SIGTERM to a worker did not stop the run"
	wait "$pid"
	expect_eq "$?" 143 "exit code after SIGTERM to a worker"
	expect_eq "$(jget "$tmp/r.json" status)" interrupted "status"
	expect_eq "$(jget "$tmp/r.json" runs.0.closed)" "$(jget "$tmp/r.json" runs.0.created)" "files closed"
	compgen -G "/sys/fs/cgroup/memory/gmem-bench-*" >/dev/null && fail "memory cgroup left behind"
	compgen -G "/sys/fs/cgroup/gmem-bench-*" >/dev/null && fail "memory cgroup left behind"
	;;
fault_pipe_hup) # fault
	# A reader that goes away, or a terminal that closes, costs the summary,
	# never the JSON; files closed, no memory cgroup left.
	"$GB_BIN" churn -b memfd -d 0.3 -r 1 -j "$tmp/r.json" 2>"$tmp/err" | true
	expect_eq "${PIPESTATUS[0]}" 9 "exit code when stdout is a closed pipe"
	one_line_error "the summary could not be written to stdout"
	expect_eq "$(jget "$tmp/r.json" status)" ok "JSON written before the summary"
	for wl in "churn -d 30" "hold -n 2000 --at-peak sleep\ 30"; do
		rm -f "$tmp/r.json"
		eval "set -- $wl"
		"$GB_BIN" "$@" -b memfd -r 1 -j "$tmp/r.json" >"$tmp/out" 2>"$tmp/err" &
		pid=$!
		sleep 1
		kill -HUP "$pid"
		ends_within 20 "$pid" || fail "$wl: SIGHUP did not stop the run"
		wait "$pid"
		expect_eq "$?" 129 "$wl: exit code after SIGHUP"
		expect_eq "$(jget "$tmp/r.json" status)" interrupted "$wl: status after SIGHUP"
		expect_eq "$(jget "$tmp/r.json" runs.0.closed)" "$(jget "$tmp/r.json" runs.0.created)" \
			"$wl: files closed after SIGHUP"
		compgen -G "/sys/fs/cgroup/memory/gmem-bench-$pid" >/dev/null && fail "memory cgroup left behind"
		compgen -G "/sys/fs/cgroup/gmem-bench-$pid" >/dev/null && fail "memory cgroup left behind"
	done
	;;
at_peak) # integration
	# The command runs without the benchmark's descriptors, its failure is
	# reported in words and the run is kept, and an interrupt reaches it.
	# Sleeps of a length no other process has (pgrep looks machine-wide).
	long=30.$$ short=20.$$
	run 0 hold -b memfd -n 2000 -r 1 -j "$tmp/r.json" \
		--at-peak "ls -l /proc/\$\$/fd >$tmp/fds; sleep $short &"
	grep -q memfd "$tmp/fds" && fail "the command inherited the benchmark's files: $(cat "$tmp/fds")"
	(($(wc -l <"$tmp/fds") < 8)) || fail "the command has too many descriptors: $(cat "$tmp/fds")"
	pkill -f "^sleep $short\$"
	run 1 hold -b memfd -n 2000 -r 2 -j "$tmp/r.json" --at-peak "exit 3"
	one_line_error "the --at-peak command exited with 3"
	expect_eq "$(jget "$tmp/r.json" runs.0.closed)" 2000 "the run of the failed command is kept"
	"$GB_BIN" hold -b memfd -n 2000 -r 3 -j "$tmp/r.json" --at-peak "sleep $long" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	sleep 1
	kill -INT "$pid"
	ends_within 10 "$pid" || fail "SIGINT during the command was lost"
	wait "$pid"
	expect_eq "$?" 130 "exit code after SIGINT during the command"
	expect_eq "$(jget "$tmp/r.json" status)" interrupted "status"
	# The shell dies first and gmem-bench with it; its child gets the same
	# signal but may not have run yet on a loaded machine: give it 5 s.
	for _ in $(seq 50); do
		pgrep -f "^sleep $long\$" >/dev/null || break
		sleep 0.1
	done
	pgrep -f "^sleep $long\$" >/dev/null && fail "the command was left running"
	;;
fault_nofile) # fault
	need_kvm
	# The hard limit below the request, and no privilege to raise it.
	drop=()
	[[ $(id -u) == 0 ]] && drop=(setpriv --bounding-set=-sys_resource --inh-caps=-sys_resource)
	(ulimit -n 300 && exec "${drop[@]}" "$GB_BIN" hold -n 1000 -j "$tmp/r.json") >"$tmp/out" 2>"$tmp/err"
	expect_eq "$?" 7 "exit code with RLIMIT_NOFILE 300 for 1000 files"
	one_line_error "the hard limit is 300"
	expect_eq "$(jget "$tmp/r.json" status)" error "status"
	# The way out the message offers works under the same limit.
	(ulimit -n 300 && exec "${drop[@]}" "$GB_BIN" hold -n 1000 -t 8 -p single --procs -j "$tmp/r.json") \
		>"$tmp/out" 2>"$tmp/err"
	expect_eq "$?" 0 "1000 files over 8 worker processes under RLIMIT_NOFILE 300"
	expect_eq "$(jget "$tmp/r.json" runs.0.peak_open)" 1000 "peak open files"
	;;
fault_memcg_enomem) # fault
	need_kvm
	[[ $(id -u) == 0 ]] || skip "needs root to make a memory cgroup"
	# A small memory cgroup in which a failed kernel charge is ENOMEM to the
	# caller, not an OOM kill: cgroup v1 with its OOM killer disabled (a
	# syscall's charge then fails), else an OOM-proof process (needs
	# CAP_SYS_RESOURCE).
	inode_objects() { cut -d' ' -f1 /sys/kernel/slab/inode_cache/objects; }
	[[ -r /sys/kernel/slab/inode_cache/objects ]] || skip "no /sys/kernel/slab/inode_cache/objects to check the slab with"
	if [[ -f /sys/fs/cgroup/memory/memory.oom_control ]]; then
		cg=/sys/fs/cgroup/memory/gb-test-enomem-$$
		mkdir "$cg" || skip "cannot create $cg"
		trap 'rmdir "$cg"/gmem-bench-* "$cg" 2>/dev/null; rm -rf "$tmp"' EXIT
		if ! { echo 64M >"$cg/memory.limit_in_bytes" && echo 1 >"$cg/memory.oom_control"; }; then
			skip "cannot set a limit and disable the OOM killer in $cg"
		fi
		enter="echo \$\$ >$cg/cgroup.procs"
		unlimit="echo -1 >$cg/memory.limit_in_bytes"
	elif grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
		if ! { echo -1000 >/proc/self/oom_score_adj && echo 0 >/proc/self/oom_score_adj; } 2>/dev/null; then
			skip "cgroup v2 and no CAP_SYS_RESOURCE: a failed charge would OOM-kill the run instead of failing it with ENOMEM"
		fi
		cg=/sys/fs/cgroup/gb-test-enomem-$$
		mkdir "$cg" || skip "cannot create $cg"
		trap 'rmdir "$cg"/gmem-bench-* "$cg" 2>/dev/null; rm -rf "$tmp"' EXIT
		echo 64M >"$cg/memory.max"
		enter="echo \$\$ >$cg/cgroup.procs; echo -1000 >/proc/self/oom_score_adj"
		unlimit="echo max >$cg/memory.max"
	else
		skip "no memory cgroup controller"
	fi
	before=$(inode_objects)
	# A page fault in a full cgroup does not fail like a kernel charge:
	# it waits for memory (v1 with its OOM killer off).  Should the run
	# ever wait like that, lift the limit after a minute so it ends, and
	# fail, instead of hanging until ctest's timeout and leaving stuck
	# processes and the cgroup behind.
	(
		trap 'kill $nap; exit' TERM
		sleep 60 &
		nap=$!
		wait $nap
		touch "$tmp/hung"
		sh -c "$unlimit"
	) >/dev/null 2>&1 &
	watchdog=$!
	# 300000 files need ~300 MB of kernel memory: far past 64M.
	sh -c "$enter; exec $GB_BIN hold -n 300000 -t 16 -p single --procs -w 0 -r 1 -j $tmp/r.json" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	kill "$watchdog" 2>/dev/null
	wait "$watchdog" 2>/dev/null
	[[ ! -e $tmp/hung ]] || fail "gmem-bench was stuck in the full cgroup for 60 s (a page fault waiting for memory?)"
	expect_eq "$rc" 8 "exit code of an out-of-memory hold"
	grep -q "error: out of memory (create failed) after [0-9]* gmem files were open in run 1; all were closed" \
		"$tmp/err" || fail "no clear error line: $(cat "$tmp/err")"
	created=$(jget "$tmp/r.json" runs.0.created)
	expect_gt "$created" 1000 "files made before ENOMEM"
	((created < 300000)) || fail "all 300000 files fit in 64M: the limit did not bite"
	expect_eq "$(jget "$tmp/r.json" runs.0.closed)" "$created" "every file closed"
	expect_eq "$(jget "$tmp/r.json" exit_code)" 8 "exit code in the JSON"
	# The inodes go back to the slab once RCU has freed them.
	slack=$((created / 100 > 64 ? created / 100 : 64))
	for ((i = 0; i < 50; i++)); do
		now=$(inode_objects)
		((now <= before + slack)) && break
		sleep 0.1
	done
	((now <= before + slack)) || fail "inode_cache objects $before before, $now 5 s after closing $created files"
	echo "ENOMEM after $created files in a 64M cgroup; inode_cache objects $before before, $now after"
	;;
signals_random) # fault
	need_kvm
	# Eight interruptions at random moments (setup, runs, collectors,
	# between runs) of random kinds of run.  Seeded, so a failure can be
	# replayed: GB_SIGNAL_SEED=N.
	RANDOM=${GB_SIGNAL_SEED:-$$}
	echo "seed $RANDOM"
	kinds=("churn -d 0.4 -r 4 -t 2" "churn -d 0.4 -r 4 -t 2 --procs" "hold -n 15000 -r 6 -t 2 --collect slab"
		"hold -n 15000 -r 6 -t 2 --procs --collect all")
	for ((i = 0; i < 8; i++)); do
		sig=$((RANDOM % 2 ? 2 : 15))
		args=${kinds[RANDOM % ${#kinds[@]}]}
		delay=$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", 0.01 + (r % 1500) / 1000 }')
		rm -f "$tmp/r.json"
		# shellcheck disable=SC2086
		"$GB_BIN" $args -j "$tmp/r.json" >"$tmp/out" 2>"$tmp/err" &
		pid=$!
		sleep "$delay"
		kill -s "$sig" "$pid" 2>/dev/null
		wait "$pid"
		rc=$?
		what="'$args' signal $sig after ${delay}s"
		if ((rc == 0)); then
			expect_eq "$(jget "$tmp/r.json" status)" ok "$what: finished first"
		else
			expect_eq "$rc" $((128 + sig)) "$what: exit code"
			expect_eq "$(jget "$tmp/r.json" status)" interrupted "$what: status"
		fi
		for ((r = 0; ; r++)); do
			created=$(jget "$tmp/r.json" runs.$r.created 2>/dev/null) || break
			expect_eq "$(jget "$tmp/r.json" runs.$r.closed)" "$created" "$what: run $r closed every file"
		done
		compgen -G "$tmp/*.tmp.*" >/dev/null && fail "$what: temporary result file left behind"
		pgrep -P "$pid" >/dev/null && fail "$what: worker processes left behind"
		compgen -G "/sys/fs/cgroup/memory/gmem-bench-$pid" >/dev/null && fail "$what: memory cgroup left behind"
		compgen -G "/sys/fs/cgroup/gmem-bench-$pid" >/dev/null && fail "$what: memory cgroup left behind"
		echo "ok: $what: exit $rc, status $(jget "$tmp/r.json" status)"
	done
	;;
full_disk) # fault
	if [[ $(id -u) != 0 ]] || ! command -v unshare >/dev/null; then
		skip "needs root and unshare to mount a tiny tmpfs"
	fi
	# A 12 KiB file system in a mount namespace of its own: the result
	# (with per-operation latencies, tens of KiB) cannot fit.
	mkdir "$tmp/full"
	unshare -m sh -c "mount -t tmpfs -o size=12k gb-full $tmp/full &&
		exec $GB_BIN hold -b memfd -n 3000 --timing every -r 3 -j $tmp/full/r.json" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect_eq "$rc" 9 "exit code on a full disk"
	one_line_error "No space left on device"
	# (the tmpfs went with the namespace; nothing under the final name was
	# ever there to see, so check inside one more time)
	unshare -m sh -c "mount -t tmpfs -o size=12k gb-full $tmp/full &&
		$GB_BIN hold -b memfd -n 3000 --timing every -r 3 -j $tmp/full/r.json >/dev/null 2>&1;
		ls -A $tmp/full" >"$tmp/left"
	[[ ! -s $tmp/left ]] || fail "files left on the full file system: $(cat "$tmp/left")"
	;;
valgrind) # sanitize
	need_kvm
	"$(dirname "$0")/../../scripts/install-deps.sh" check >/dev/null 2>&1 ||
		skip "valgrind is not installed and cannot be installed here"
	# Short runs through every path that allocates: threads and worker
	# processes, every collector, latency histograms, the JSON report.
	for args in "hold -n 500 -t 2 -r 2 --collect all" "churn -n 300 -t 2 --procs -r 2 --timing every"; do
		# shellcheck disable=SC2086
		valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
			--errors-for-leak-kinds=definite,indirect "$GB_BIN" $args -j "$tmp/r.json" \
			>"$tmp/out" 2>"$tmp/vg"
		rc=$?
		grep -q "ERROR SUMMARY: 0 errors" "$tmp/vg" ||
			fail "memcheck of '$args': $(grep -E 'ERROR SUMMARY|lost:|Invalid|uninitialised' "$tmp/vg" | head -n 5)"
		expect_eq "$rc" 0 "exit code of '$args' under memcheck"
		expect_eq "$(jget "$tmp/r.json" status)" ok "status of '$args'"
		echo "memcheck clean: $args ($(grep -m1 -o 'total heap usage: .*' "$tmp/vg"))"
	done
	;;
*)
	fail "unknown case"
	;;
esac
echo "PASS [$case_name]"
