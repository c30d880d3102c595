#!/bin/bash
# The A/B's plumbing without booting (order, collect, args, patches) and
# with it (smoke: a short ab.sh under --icount).
# Usage: ab_test.sh CASE
set -uo pipefail

case_name=${1:?case name}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d /tmp/gb-ab-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=test_lib.sh
source "$here/test_lib.sh"
# shellcheck source=../../scripts/kernel-lib.sh
source "$top/scripts/kernel-lib.sh"
# shellcheck source=../../scripts/ab-lib.sh
source "$top/scripts/ab-lib.sh"

order() { gb_ab_order "$@" | paste -sd' '; }

case $case_name in
order)
	# ABBA: every other round reversed, for two variants and for three.
	expect_eq "$(order abba 1 3 base cache)" "base cache cache base base cache" "abba, 2 variants"
	expect_eq "$(order abba 9 2 base mount cache)" "base mount cache cache mount base" "abba, 3 variants"
	# A seed gives one order, on every machine (the generator is ours):
	# worked by hand from x = (x * 1103515245 + 12345) mod 2^31, j =
	# (x / 65536) mod (i + 1), Fisher-Yates from the last element.
	expect_eq "$(order random 7 2 a b c)" "$(order random 7 2 a b c)" "the same seed twice"
	expect_eq "$(order random 42 1 a b c d)" "a d c b" "seed 42"
	[[ $(order random 1 4 a b c) != "$(order random 2 4 a b c)" ]] || fail "seeds 1 and 2 give the same order"
	# Each round is a permutation of the variants.
	gb_ab_order random 5 6 a b c | paste -d' ' - - - | while read -r x y z; do
		expect_eq "$(printf '%s\n' "$x" "$y" "$z" | sort | paste -sd' ')" "a b c" "a round of the random order"
	done
	gb_ab_order sideways 1 1 a b 2>/dev/null && fail "an unknown order was accepted"
	gb_ab_order random 1x 1 a b 2>/dev/null && fail "a seed that is not a number was accepted"
	;;
collect)
	# A boot's results join the variant's set: cases renamed as rounds of
	# boot K, the rest kept per boot, the allocator check's run left out.
	mkdir -p "$tmp/boot1" "$tmp/boot2"
	for b in 1 2; do
		echo '{}' >"$tmp/boot$b/churn-gmem-1t.json"
		echo '{}' >"$tmp/boot$b/hold@2.json"
		echo '{}' >"$tmp/boot$b/allocator-hold.json"
		echo "host: h$b" >"$tmp/boot$b/vm.txt"
		echo "primary churn-gmem-1t ns_per_op" >"$tmp/boot$b/roles.txt"
		gb_ab_collect "$tmp/boot$b" "$tmp/set" "$b"
	done
	expect_eq "$(cd "$tmp/set" && ls -- *.json | paste -sd' ')" \
		"churn-gmem-1t@b1.json churn-gmem-1t@b2.json hold@b1-2.json hold@b2-2.json" "the set's cases"
	[[ -f $tmp/set/boot-2/allocator-hold.json ]] || fail "the allocator check's run is not kept with its boot"
	expect_eq "$(cat "$tmp/set/vm.txt")" "host: h1" "the set's vm.txt is the first boot's"
	[[ -f $tmp/set/roles.txt ]] || fail "no roles.txt in the set"
	[[ ! -e $tmp/boot1 ]] || fail "the boot's directory is left behind"
	;;
args)
	for bad in "--rounds 0" "--rounds 100" "--jobs 3" "--accel tcg --jobs 2" "--order sideways" \
		"--seed 1x" "--name .hidden" "--frobnicate"; do
		# shellcheck disable=SC2086 # the options are words
		expect_rc 2 "$top/scripts/ab.sh" $bad
		one_line_error ""
	done
	expect_rc 2 "$top/scripts/ab.sh" --accel tcg --jobs 2
	one_line_error "--jobs 2 needs --icount"
	expect_rc 2 "$top/scripts/calibrate.sh" --deltas "1;rm"
	one_line_error "--deltas takes percentages"
	expect_rc 2 "$top/scripts/calibrate.sh" --base-loops -1
	one_line_error "--base-loops takes 0 to 9999"
	expect_rc 2 "$top/scripts/calibrate.sh" --truth-rounds 0
	one_line_error "--truth-rounds takes 1 to 99"
	expect_rc 0 "$top/scripts/ab.sh" --help
	grep -q -- "--rounds K" "$tmp/out" || fail "ab.sh --help does not describe --rounds"
	;;
lock)
	# One A/B at a time: a second one stops at once, exit 4, one line.
	# The lock is held here, by this shell, until the test ends.
	export GB_CACHE_DIR=$tmp/cache
	mkdir -p "$GB_CACHE_DIR"
	exec {held}>"$GB_CACHE_DIR/ab.lock"
	flock -n "$held" || fail "the test could not take the lock itself"
	expect_rc 4 "$top/scripts/ab.sh" --rounds 2
	one_line_error "another ab.sh or calibrate.sh is running"
	expect_rc 4 "$top/scripts/calibrate.sh" --reps 1
	one_line_error "another ab.sh or calibrate.sh is running"
	[[ ! -e $GB_CACHE_DIR/trees && ! -e $GB_CACHE_DIR/src ]] || fail "a locked-out run started building"
	;;
patches)
	# Every patch under kernel-patches/ applies to Debian's 6.12 and passes
	# the tree's own scripts/checkpatch.pl --strict (any error, warning or
	# check fails): the series in order, each test-only patch on top of it,
	# and the selftests (tools/ only) on the pristine tree and on the series.
	src=$("$top/scripts/kernel-build.sh" --source-only 2>"$tmp/src.err") ||
		skip "no kernel source: $(tail -n 1 "$tmp/src.err")"
	cp -al "$src" "$tmp/tree"
	cp -al "$src" "$tmp/pristine"
	apply() { patch -d "$2" -p1 --forward --batch --fuzz=0 -s <"$1" || fail "${1##*/} does not apply to ${2##*/}"; }
	declare -A checked=()
	check() {
		local ignore=()
		# A new file warns "does MAINTAINERS need updating?" unless the
		# patch edits MAINTAINERS: instead, every file a patch adds must
		# be under a directory MAINTAINERS already lists (F:).
		if grep -q '^new file mode' "$1"; then
			ignore=(--ignore FILE_PATH_CHANGES)
			local f
			while read -r f; do
				awk -v f="$f" '/^F:\t/ { d = $2; if (d ~ /\/$/ && index(f, d) == 1) found = 1 }
					END { exit !found }' "$tmp/tree/MAINTAINERS" ||
					fail "${1##*/} adds $f, which no MAINTAINERS entry covers"
			done < <(awk '/^diff --git / { f = $4; sub(/^b\//, "", f) } /^new file mode/ { print f }' "$1")
		fi
		(cd "$tmp/tree" && ./scripts/checkpatch.pl --strict -q "${ignore[@]}" "$1") >"$tmp/cp.out" 2>&1 ||
			fail "${1##*/} is not checkpatch-clean: $(head -n 5 "$tmp/cp.out")"
		checked[$1]=1
	}
	while read -r p; do
		check "$gb_patches/$p"
		apply "$gb_patches/$p" "$tmp/tree"
	done < <(gb_series)
	n=0
	for p in "$gb_patches"/test-only/*.patch; do
		check "$p"
		patch -d "$tmp/tree" -p1 --forward --batch --fuzz=0 -s --dry-run <"$p" >/dev/null ||
			fail "${p##*/} does not apply on top of the series"
		n=$((n + 1))
	done
	((n >= 2)) || fail "expected the test-only patches (rcu_barrier, known cost), found $n"
	grep -q "gmem_test_create_loops" "$gb_patches"/test-only/9002-*.patch || fail "no calibration knob in 9002"
	n=0
	for p in "$gb_patches"/selftests/*.patch; do
		check "$p"
		! grep -E '^\+\+\+ b/' "$p" | grep -qv '^+++ b/tools/' || fail "${p##*/} touches more than tools/"
		apply "$p" "$tmp/pristine"
		patch -d "$tmp/tree" -p1 --forward --batch --fuzz=0 -s --dry-run <"$p" >/dev/null ||
			fail "${p##*/} does not apply on top of the series"
		n=$((n + 1))
	done
	((n >= 1)) || fail "expected the guest_memfd_perf_test selftest patch, found $n"
	# Nothing under kernel-patches/ escapes the check.
	while read -r p; do
		[[ -n ${checked[$p]:-} ]] || fail "${p#"$top"/} was not checked"
	done < <(find "$top/kernel-patches" -name '*.patch')
	;;
smoke)
	# A short A/B under instruction counting, two guests at once, two
	# boots a variant: the whole path from boots to the cover letter.
	[[ -r /usr/src/linux-source-6.12.tar.xz ]] || "$top/scripts/install-deps.sh" kernel >/dev/null 2>&1 ||
		skip "cannot install linux-source-6.12"
	name=ab-smoke-test-$$
	trap 'rm -rf "$tmp" "$top/results/$name" "$top/results/$name"-*' EXIT
	"$top/scripts/ab.sh" --icount --jobs 2 --rounds 2 --seed 3 \
		--suite "$top/scripts/suites/vm-ab-smoke.suite" --name "$name" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	# The machine lock (flock, so never stale): a calibration or an A/B of
	# someone's is using this machine's two guests.
	((rc != 4)) || skip "another ab.sh or calibrate.sh holds this machine: $(cat "$tmp/err")"
	((rc == 0)) || fail "ab.sh exited $rc, expected 0; stderr: $(tail -n 3 "$tmp/err")"
	r=$top/results/$name
	grep -q "^Primary figures" "$r/cover-letter.txt" || fail "no primary figures in the cover letter"
	grep -q "^Units: *2 boots per kernel" "$r/cover-letter.txt" || fail "the boots are not the units: $(grep Units "$r/cover-letter.txt")"
	grep -A1 -q "^Control:" "$r/cover-letter.txt" || fail "no control line"
	grep -q "^MDE:" "$r/cover-letter.txt" || fail "no MDE line"
	grep -q "^boots: base cache cache base$" "$r/order.txt" || fail "order.txt: $(cat "$r/order.txt")"
	expect_eq "$(grep -c 'allocator check: PASS' "$r/report.txt")" 4 "allocator checks passed"
	ls "$top/results/$name-cache"/churn-gmem-1t@b2.json >/dev/null || fail "boot 2 of cache not collected"
	# The KVM selftest's figure, beside gmem-bench's, for both kernels.
	grep -q "kst-gmem-1t" "$r/cover-letter.txt" || fail "no selftest figure in the cover letter"
	grep -A3 -q "^Kernels compared:" "$r/cover-letter.txt" || fail "the cover letter does not say what was compared"
	grep -q "^    \[PATCH 2/2\] KVM: guest_memfd: Add slab-allocated inode cache" "$r/cover-letter.txt" ||
		fail "the cover letter lacks the cache variant's patches"
	for v in base cache; do
		[[ $("$GB_JSON_GET" "$top/results/$name-$v/kst-gmem-1t@b1.json" params.backend) == kvm-selftest ]] ||
			fail "$v: no selftest result"
	done
	;;
user_patches)
	# A variant of yours: a patch written here (a comment in guest_memfd.c,
	# made against the source so it applies exactly) on top of base, A/B'd
	# against base; and a series whose second patch does not apply, which
	# stops before anything boots, with that patch's name and exit 3.
	[[ -r /usr/src/linux-source-6.12.tar.xz ]] || "$top/scripts/install-deps.sh" kernel >/dev/null 2>&1 ||
		skip "cannot install linux-source-6.12"
	src=$("$top/scripts/kernel-build.sh" --source-only 2>/dev/null) || fail "no source"
	mkdir -p "$tmp/mine" "$tmp/broken" "$tmp/a/virt/kvm" "$tmp/b/virt/kvm"
	cp "$src/virt/kvm/guest_memfd.c" "$tmp/a/virt/kvm/"
	awk 'NR == 1 { print; print "/* gmem-bench test: a comment, nothing else. */"; next } { print }' \
		"$src/virt/kvm/guest_memfd.c" >"$tmp/b/virt/kvm/guest_memfd.c"
	{
		printf 'From: gmem-bench test <test@gmem-bench.invalid>\n'
		printf 'Subject: [PATCH] KVM: guest_memfd: A comment for the A/B test\n\nNothing but a comment.\n---\n'
		# Fixed labels, no timestamps: the same patch every time, so the
		# variant's built tree is reused (its cache key is the patch).
		(cd "$tmp" && diff -u --label a/virt/kvm/guest_memfd.c --label b/virt/kvm/guest_memfd.c \
			a/virt/kvm/guest_memfd.c b/virt/kvm/guest_memfd.c)
	} >"$tmp/mine/0001-comment.patch"
	cp "$tmp/mine/0001-comment.patch" "$tmp/broken/0001-comment.patch"
	sed 's/^+\/\* gmem-bench test: a comment, nothing else. \*\/$/+\/* and another *\//; s/^ #include <linux\/backing-dev.h>$/ #include <linux\/no-such-header.h>/' \
		"$tmp/mine/0001-comment.patch" >"$tmp/broken/0002-context-not-there.patch"
	name=ab-user-test-$$
	trap 'rm -rf "$tmp" "$top/results/$name" "$top/results/$name"-*' EXIT
	"$top/scripts/ab.sh" --icount --rounds 2 --variant base --variant broken="$tmp/broken" \
		--suite "$top/scripts/suites/vm-ab-smoke.suite" --name "$name" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	((rc != 4)) || skip "another ab.sh or calibrate.sh holds this machine: $(cat "$tmp/err")"
	expect_eq "$rc" 3 "a series that does not apply"
	grep -q "0002-context-not-there.patch does not apply" "$tmp/err" || fail "no patch named: $(cat "$tmp/err")"
	grep -q "FAILED" "$tmp/err" || fail "no reason: $(cat "$tmp/err")"
	[[ ! -d $top/results/$name-broken ]] || fail "a broken series booted"
	"$top/scripts/ab.sh" --icount --jobs 2 --rounds 2 --seed 5 --variant base --variant mine="$tmp/mine" \
		--suite "$top/scripts/suites/vm-ab-smoke.suite" --name "$name" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	((rc != 4)) || skip "another ab.sh or calibrate.sh holds this machine: $(cat "$tmp/err")"
	((rc == 0)) || fail "ab.sh exited $rc; stderr: $(tail -n 3 "$tmp/err")"
	r=$top/results/$name
	grep -q "^  mine: 6.12.[0-9]*-gmem-mine$" "$r/cover-letter.txt" || fail "no release of mine: $(cat "$r/variants.txt")"
	grep -q "\[PATCH 1/1\] KVM: guest_memfd: A comment for the A/B test" "$r/cover-letter.txt" || fail "no patch subject"
	expect_eq "$(grep -c '  mine boot-[12]: inodes from: inode_cache; no expectation, not checked' "$r/report.txt")" 2 \
		"where mine's inodes came from"
	expect_eq "$(grep -c '  base boot-[12]: inodes from: inode_cache; allocator check: PASS' "$r/report.txt")" 2 \
		"base's allocator check"
	grep -q "^Primary figures" "$r/cover-letter.txt" || fail "no cover letter"
	;;
*) fail "unknown case $case_name" ;;
esac
echo "PASS [$case_name]"
