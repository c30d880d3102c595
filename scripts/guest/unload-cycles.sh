#!/bin/busybox sh
# Module-unload regression test, inside the guest (scripts/unload-test.sh
# on the host says what the two kinds of cycle are for).  ROUNDS times a
# quiet and a hot cycle: load kvm and the vendor module, create and close
# FILES guest_memfd files on every CPU, unload the vendor module (which
# runs kvm_exit() -> kvm_gmem_exit() and destroys guest_memfd's inode
# cache) and kvm.
#
# Usage: unload-cycles.sh ROUNDS FILES OUTDIR
# Writes OUTDIR/unload.txt (one line per step) and "unload ROUND-KIND RC"
# lines to OUTDIR/status.txt; the host reads the kernel's log for the
# verdict.
rounds=$1
files=$2
out=$3
log=$out/unload.txt
mods=/lib/modules/gmem-bench

if grep -qw svm /proc/cpuinfo; then
	vendor=kvm-amd vendor_name=kvm_amd
elif grep -qw vmx /proc/cpuinfo; then
	vendor=kvm-intel vendor_name=kvm_intel
else
	echo "unload: the guest CPU has neither svm nor vmx: no KVM to load" | tee -a $log
	echo "unload setup 1" >>$out/status.txt
	exit 1
fi
echo "unload: $rounds rounds of a quiet and a hot cycle, $files files on $(nproc) CPUs, $vendor" | tee -a $log
# kvm's one dependency stays loaded throughout.
if ! insmod $mods/irqbypass.ko >>$log 2>&1; then
	echo "unload: cannot load irqbypass.ko" | tee -a $log
	echo "unload setup 1" >>$out/status.txt
	exit 1
fi

# One cycle: load, run, unload; $1 is "hot" or "quiet".
cycle() {
	kind=$1
	if ! insmod $mods/kvm.ko >>$log 2>&1 || ! insmod $mods/$vendor.ko >>$log 2>&1; then
		# A cache left behind by an earlier cycle makes kvm_init() fail
		# here: the kernel log says why.
		echo "round $i: $kind: loading kvm failed" | tee -a $log
		echo "unload $i-$kind 2" >>$out/status.txt
		return 1
	fi
	rm -f /unload-peak
	tries=0
	unloaded=
	if [ $kind = hot ]; then
		# The VMM dies at the peak with every file open, as a killed
		# QEMU would: exit closes its files in one go, the last of them
		# drops the last reference to the VM and so to the module, and
		# rmmod, tried from the peak on, unloads it at once, while the
		# evicted inodes still wait for RCU to free them.  No collectors:
		# the slab collector waits for those frees on purpose.
		gmem-bench hold -n "$files" -t "$(nproc)" -p spread -w 0 -r 1 -q --collect none \
			--at-peak 'touch /unload-peak; kill -KILL $PPID' >>$log 2>&1 &
		pid=$!
		while [ ! -e /unload-peak ] && kill -0 $pid 2>/dev/null; do :; done
		until rmmod $vendor_name 2>/dev/null; do
			tries=$((tries + 1))
			if [ $tries -ge 5000 ]; then
				rmmod $vendor_name >>$log 2>&1 || unloaded=no
				break
			fi
		done
		wait $pid
		rc=$?
		# 137: killed at the peak, as planned.
		[ $rc = 137 ] && [ -e /unload-peak ] && rc=0
	else
		# Every file closed and freed long ago, and no kfree_rcu() batch
		# pending (they drain within 5 s): then kmem_cache_destroy()'s
		# own kvfree_rcu_barrier() waits for nothing, and only the
		# rcu_barrier() covers the inode that kern_unmount() itself
		# evicts, the pseudo filesystem's root.
		gmem-bench hold -n "$files" -t "$(nproc)" -p spread -w 0 -r 1 -q --collect none \
			>>$log 2>&1
		rc=$?
		# The NUMA placement check on the loaded module, where the
		# kernel has host mmap (exit 6 where not: nothing to check):
		# shared policies made and freed with WARN() compiled in, the
		# module unloaded after them.  Its verdict, for the host.
		mkdir -p $out/placement
		gmem-bench placement-check -b gmem -j $out/placement/gmem-round-$i.json \
			>$out/placement/gmem-round-$i.txt 2>&1
		echo "round $i: placement-check exit $?: $(grep -m1 '^placement: ' $out/placement/gmem-round-$i.txt)" | tee -a $log
		sleep 6
		rmmod $vendor_name >>$log 2>&1 || unloaded=no
	fi
	[ "$unloaded" = no ] && rc=3
	rmmod kvm >>$log 2>&1 || rc=3
	echo "round $i: $kind: hold $files files, unload after $tries busy tries: rc $rc" | tee -a $log
	echo "unload $i-$kind $rc" >>$out/status.txt
}

i=1
while [ $i -le "$rounds" ]; do
	cycle quiet || break
	cycle hot || break
	i=$((i + 1))
done
