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
	# What a boot's kernel reported once the tests began: a WARN before
	# the start marker is not counted, one after it is, a log without
	# the marker is said to be missing.
	printf '%s\n' "WARNING: CPU: 0 PID: 1 at topology_sane" "gmem-bench guest: the tests begin" "ok" >"$tmp/quiet"
	expect_eq "$(gb_ab_kernel_reports "$tmp/quiet")" "kernel: quiet" "a quiet boot"
	printf '%s\n' "gmem-bench guest: the tests begin" "WARNING: CPU: 1 PID: 9 at mm/slab.c:1 x" "BUG: x" >"$tmp/warned"
	expect_eq "$(gb_ab_kernel_reports "$tmp/warned")" \
		"kernel: 2 WARNING/BUG/Oops line(s), the first: WARNING: CPU: 1 PID: 9 at mm/slab.c:1 x" "a boot that warned"
	expect_eq "$(gb_ab_kernel_reports "$tmp/none")" "kernel: log not kept" "no log"
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
	# --git: refs resolved, and named, before anything is built.
	git -C "$tmp" init -q repo && git -C "$tmp/repo" -c user.name=t -c user.email=t@t.invalid \
		commit -q --allow-empty -m one && git -C "$tmp/repo" tag V1.0_RC1 || fail "no test repository"
	expect_rc 2 "$top/scripts/ab.sh" --base HEAD
	one_line_error "--base REF needs --git REPO"
	expect_rc 2 "$top/scripts/ab.sh" --git "$tmp/repo" --base HEAD --variant 'no-such-ref;rm -rf /'
	one_line_error "'no-such-ref;rm -rf /' names no commit in $tmp/repo"
	expect_rc 2 "$top/scripts/ab.sh" --git "$tmp/repo" --base --end-of-options --variant HEAD
	one_line_error "'--end-of-options' names no commit"
	expect_rc 2 "$top/scripts/ab.sh" --git "$tmp" --base HEAD --variant HEAD
	one_line_error "$tmp is not a git repository"
	# Both named after git describe (v1.0_rc1): the same name twice.
	expect_rc 2 "$top/scripts/ab.sh" --git "$tmp/repo" --base V1.0_RC1 --variant HEAD
	one_line_error "variant 'v1.0_rc1' given twice"
	expect_rc 2 "$top/scripts/ab.sh" --git "$tmp/repo" --base HEAD --variant cache
	one_line_error "'cache' names no commit"
	expect_rc 2 "$top/scripts/ab.sh" --git "$tmp/repo" --variant a=HEAD --variant B=HEAD
	one_line_error "variant name 'B'"
	expect_rc 2 "$top/scripts/ab.sh" --git "$tmp/repo"
	one_line_error "with --git, every variant is a commit"
	expect_rc 2 "$top/scripts/ab.sh" --git "$tmp/repo" --with-mount
	one_line_error "with --git, every variant is a commit"
	expect_rc 2 "$top/scripts/ab.sh" --git "$tmp/repo" --tree /usr/src --variant a=HEAD --variant b=HEAD
	one_line_error "--tree or --git, not both"
	;;
git_export)
	# A commit's export made from another's (hard links, and git archive
	# of what differs) is the commit's whole export, file for file: every
	# kind of change (deleted, added, modified, mode, symlink, a directory
	# become a file, names with spaces and glob characters), and the
	# other export is not written through its links.
	g=(git -C "$tmp/repo" -c user.name=t -c user.email=t@t.invalid)
	mkdir -p "$tmp/repo/dir" "$tmp/repo/sub/deep"
	echo a >"$tmp/repo/a.txt"; echo x >"$tmp/repo/dir/x"; echo y >"$tmp/repo/dir/y"
	echo s >"$tmp/repo/sp ace"; echo e >"$tmp/repo/exec.sh"; echo f >"$tmp/repo/sub/deep/f"
	echo same >"$tmp/repo/same"; ln -s a.txt "$tmp/repo/link"
	"${g[@]}" init -q && "${g[@]}" add -A && "${g[@]}" commit -q -m A || fail "no test repository"
	a=$("${g[@]}" rev-parse HEAD)
	rm -r "$tmp/repo/dir" "$tmp/repo/link"
	echo now-a-file >"$tmp/repo/dir"; echo a2 >"$tmp/repo/a.txt"; chmod +x "$tmp/repo/exec.sh"
	ln -s "sp ace" "$tmp/repo/link"; echo n >"$tmp/repo/new[1]*.txt"; git -C "$tmp/repo" mv sub/deep/f sub/g
	echo "sp ace 2" >"$tmp/repo/sp ace"
	"${g[@]}" add -A && "${g[@]}" commit -q -m B || fail "no second commit"
	b=$("${g[@]}" rev-parse HEAD)
	listing() { (cd "$1" && find . ! -name .gb-extracted -printf '%y %m %p -> %l\n' | LC_ALL=C sort); }
	gb_cache=$tmp/c1
	gb_git_source "$tmp/repo" "$a" >/dev/null 2>&1 || fail "cannot export A"
	from=$(gb_git_source "$tmp/repo" "$b" 2>"$tmp/err") || fail "cannot export B from A: $(cat "$tmp/err")"
	grep -q "from ${a}" "$tmp/err" || fail "B was not made from A's export: $(cat "$tmp/err")"
	gb_cache=$tmp/c2
	whole=$(gb_git_source "$tmp/repo" "$b" 2>"$tmp/err") || fail "cannot export B"
	grep -q "from" "$tmp/err" && fail "an empty cache made B from something: $(cat "$tmp/err")"
	expect_eq "$(listing "$from")" "$(listing "$whole")" "B's files, kinds, modes and links"
	diff -r "$from" "$whole" >"$tmp/diff" || fail "B's contents differ: $(head -n 3 "$tmp/diff")"
	expect_eq "$(stat -c %h "$from/same")" 2 "an unchanged file linked to A's"
	expect_eq "$(stat -c %h "$from/a.txt")" 1 "a changed file not linked"
	expect_eq "$(cat "$tmp/c1/src/git-$a/a.txt")" a "A's export after B's"
	[[ -d $tmp/c1/src/git-$a/dir && ! -e $tmp/c1/src/git-$a/sub/g ]] || fail "A's export was changed"
	[[ -z $(find "$tmp/c1/src" -maxdepth 1 -name '.export-*') ]] || fail "a temporary export was left"
	# A changed .gitattributes (export-ignore, export-subst) could change
	# files outside the diff: a whole export.
	echo "same export-ignore" >"$tmp/repo/.gitattributes"
	"${g[@]}" add -A && "${g[@]}" commit -q -m C || fail "no third commit"
	c=$("${g[@]}" rev-parse HEAD)
	gb_cache=$tmp/c1
	dir=$(gb_git_source "$tmp/repo" "$c" 2>"$tmp/err") || fail "cannot export C"
	grep -q "from" "$tmp/err" && fail "C was made from another export: $(cat "$tmp/err")"
	[[ ! -e $dir/same ]] || fail "export-ignore not honoured"
	;;
config)
	# Any tree from 6.12 on: the benchmark's options a tree does not have
	# are named and left out, renamed ones set under their new name, and a
	# tree without guest_memfd is refused before anything is copied.
	[[ -r /usr/src/linux-source-6.12.tar.xz ]] || "$top/scripts/install-deps.sh" kernel >/dev/null 2>&1 ||
		skip "cannot install linux-source-6.12"
	src=$("$top/scripts/kernel-build.sh" --source-only 2>/dev/null) || fail "no source"
	printf 'CONFIG_KVM=y\nCONFIG_GB_NO_SUCH_OPTION=y\n# CONFIG_SLUB_TINY is not set\n' |
		gb_adapt_fragment "$src" >"$tmp/frag" 2>"$tmp/notes"
	expect_eq "$(paste -sd'|' "$tmp/frag")" "CONFIG_KVM=y|# CONFIG_SLUB_TINY is not set" "the fragment for 6.12"
	expect_eq "$(cat "$tmp/notes")" "CONFIG_GB_NO_SUCH_OPTION does not exist in this tree: left out" "what was left out"
	# A machine's config keeps its numbers, and whether an option we want
	# on is built in or a module; an option it lacks or has off is ours.
	printf 'CONFIG_NR_CPUS=8192\nCONFIG_KVM=m\nCONFIG_KVM_AMD=y\nCONFIG_BUG=n\n' >"$tmp/machine"
	printf 'CONFIG_NR_CPUS=64\nCONFIG_KVM=y\nCONFIG_KVM_AMD=m\nCONFIG_KVM_INTEL=m\nCONFIG_BUG=y\nCONFIG_KVM_SW_PROTECTED_VM=y\n' |
		gb_adapt_fragment "$src" "$tmp/machine" >"$tmp/frag"
	expect_eq "$(paste -sd'|' "$tmp/frag")" "CONFIG_KVM_INTEL=m|CONFIG_BUG=y|CONFIG_KVM_SW_PROTECTED_VM=y" \
		"a machine's NR_CPUS, module and built-in kept"
	# 6.18's name for guest_memfd's option, in a copy of 6.12 whose Kconfig
	# says so (sed writes new files: the hard links to the source break).
	tree=$tmp/renamed
	cp -al "$src" "$tree"
	grep -rlw --include='Kconfig*' KVM_PRIVATE_MEM "$tree" | xargs sed -i 's/\bKVM_PRIVATE_MEM\b/KVM_GUEST_MEMFD/g'
	cmp -s "$src/virt/kvm/Kconfig" "$tree/virt/kvm/Kconfig" && fail "the source's Kconfig was changed"
	srcid=tree-$(echo "$tree" | sha1sum | cut -c1-12)
	trap 'rm -rf "$tmp" "$gb_cache/trees/$srcid"' EXIT
	"$top/scripts/kernel-build.sh" --tree "$tree" --config-only base >"$tmp/out" 2>"$tmp/err" ||
		fail "a renamed option stopped the build: $(tail -n 3 "$tmp/err")"
	grep -qx "CONFIG_KVM_PRIVATE_MEM is CONFIG_KVM_GUEST_MEMFD in this tree: set under that name" "$tmp/err" ||
		fail "the rename was not said: $(cat "$tmp/err")"
	grep -qx "CONFIG_KVM_GUEST_MEMFD=y" "$(cat "$tmp/out")" || fail "guest_memfd not enabled under its new name"
	grep -q "CONFIG_KVM_PRIVATE_MEM" "$(cat "$tmp/out")" && fail "the old name is still in the .config"
	# A built tree (the build takes its .gb-new) whose config is to change
	# is made anew, and configured: here a --deb tree whose machine config
	# changed.
	cp "$(cat "$tmp/out")" "$tmp/machine.config"
	"$top/scripts/kernel-build.sh" --tree "$tree" --deb --config "$tmp/machine.config" --config-only base \
		>"$tmp/out" 2>"$tmp/err" || fail "--deb --config-only: $(tail -n 3 "$tmp/err")"
	rm "$gb_cache/trees/$srcid/base-deb/.gb-new"
	echo "CONFIG_GB_TEST_MACHINE=y" >>"$tmp/machine.config"
	"$top/scripts/kernel-build.sh" --tree "$tree" --deb --config "$tmp/machine.config" --config-only base \
		>"$tmp/out" 2>"$tmp/err" || fail "a changed config was not made: $(tail -n 3 "$tmp/err")"
	grep -qx "the config of base-deb changed: its tree is made anew" "$tmp/err" ||
		fail "the tree was not made anew: $(cat "$tmp/err")"
	grep -qx "CONFIG_KVM_GUEST_MEMFD=y" "$(cat "$tmp/out")" || fail "the new config lacks guest_memfd"
	# Without guest_memfd: exit 6, one line, nothing copied.
	rm "$tree/virt/kvm/guest_memfd.c"
	expect_rc 6 "$top/scripts/kernel-build.sh" --tree "$tree" --config-only base
	one_line_error "has no guest_memfd"
	# A config that cannot enable it (its option under a name we don't
	# know, so that ours is left out): exit 4.
	cp "$src/virt/kvm/guest_memfd.c" "$tree/virt/kvm/"
	grep -rlw --include='Kconfig*' KVM_GUEST_MEMFD "$tree" | xargs sed -i 's/\bKVM_GUEST_MEMFD\b/GB_TEST_GMEM/g'
	expect_rc 4 "$top/scripts/kernel-build.sh" --tree "$tree" --config-only base
	grep -q "preparing" "$tmp/err" || fail "the edited tree was not copied anew: $(cat "$tmp/err")"
	tail -n 1 "$tmp/err" | grep -q "base config does not enable guest_memfd" ||
		fail "no reason: $(cat "$tmp/err")"
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
	# CONFIG_BUG is on: the kernels would show a WARN during the suite.
	expect_eq "$(grep -c '; kernel: quiet$' "$r/report.txt")" 4 "boots whose kernel stayed quiet"
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
locks)
	# kernel-build.sh side by side (ctest -j): a second one waits, saying
	# so, for the source lock and for its tree's, and goes on once they
	# are let go.  A tree of the test's own that kernel-build.sh takes for
	# a kernel source with guest_memfd (its configuration then fails:
	# the locks come before).
	cache=$tmp/cache fake=$tmp/fake
	mkdir -p "$cache" "$fake/virt/kvm" "$fake/include/uapi/linux"
	echo "# not a kernel" >"$fake/Makefile"
	: >"$fake/virt/kvm/guest_memfd.c"
	echo "#define KVM_CREATE_GUEST_MEMFD 1" >"$fake/include/uapi/linux/kvm.h"
	build() { GB_CACHE_DIR=$cache "$top/scripts/kernel-build.sh" --tree "$fake" "$@"; }
	# waits_for LOCKFILE MESSAGE ARGS...: kernel-build.sh ARGS waits while
	# the test holds LOCKFILE, says MESSAGE, and ends once it is let go.
	waits_for() {
		local file=$1 message=$2 fd pid i
		shift 2
		mkdir -p "$(dirname "$file")"
		exec {fd}>"$file"
		flock "$fd"
		# (Without the test's descriptor: a child holding it would hold
		# the lock it waits for.)
		build "$@" >"$tmp/out" 2>"$tmp/err" {fd}>&- &
		pid=$!
		for ((i = 0; i < 100; i++)); do
			grep -q "waiting for $message" "$tmp/err" && break
			sleep 0.1
		done
		grep -q "waiting for $message" "$tmp/err" || fail "no wait for $message: $(cat "$tmp/err")"
		kill -0 "$pid" 2>/dev/null || fail "kernel-build.sh did not wait for $message"
		exec {fd}>&-
		wait "$pid"
	}
	waits_for "$cache/.source.lock" "another script preparing a kernel source" --source-only
	expect_eq "$?" 0 "--source-only once the source lock is free"
	expect_eq "$(cat "$tmp/out")" "$fake" "the source"
	srcid=tree-$(echo "$fake" | sha1sum | cut -c1-12)
	waits_for "$cache/trees/$srcid/base.lock" "another build of $srcid/base" --config-only base
	[[ -f $cache/trees/$srcid/base/.gb-stamp ]] || fail "the tree was not made once its lock was free: $(cat "$tmp/err")"
	;;
seed)
	# A tree built on a sibling's build (kernel-seed.sh) rebuilds exactly
	# what differs, by content: a patch of its own, and between two
	# sources a file whose times say nothing (a copy newer than the
	# sibling's build, unchanged; a changed file older than it).
	command -v lsdiff >/dev/null || skip "lsdiff (patchutils) is not installed"
	command -v make >/dev/null && command -v gcc >/dev/null || skip "make or gcc is not installed"
	# shellcheck source=../../scripts/kernel-seed.sh
	source "$top/scripts/kernel-seed.sh"
	# The cost of a sibling: its objects whose kbuild .cmd names a changed
	# path or option, and no other (h.hh is not h.h, KVM_AMD not KVM).
	mkdir -p "$tmp/cost/d"
	printf '%s\n' 'source_d/a.o := d/a.c' '' 'deps_d/a.o := \' '    $(wildcard include/config/KVM) \' \
		'  include/h.h \' '' >"$tmp/cost/d/.a.o.cmd"
	printf '%s\n' 'source_d/b.o := d/b.c' '' 'deps_d/b.o := \' '    $(wildcard include/config/KVM_AMD) \' \
		'  include/h.hh \' '' >"$tmp/cost/d/.b.o.cmd"
	expect_eq "$(gb_seed_cost "$tmp/cost" "./d/a.c" "")" 1 "cost of a source"
	expect_eq "$(gb_seed_cost "$tmp/cost" "./include/h.h" "")" 1 "cost of a header"
	expect_eq "$(gb_seed_cost "$tmp/cost" "" "KVM")" 1 "cost of an option"
	expect_eq "$(gb_seed_cost "$tmp/cost" "$(printf '%s\n' ./d/b.c ./d/a.c)" "KVM_AMD")" 2 "cost of three"
	expect_eq "$(gb_seed_cost "$tmp/cost" "" "")" 0 "cost of nothing"
	expect_eq "$(gb_config_changes <(printf '%s\n' CONFIG_A=y CONFIG_B=y '# CONFIG_C is not set') \
		<(printf '%s\n' CONFIG_A=y CONFIG_B=m CONFIG_C=y CONFIG_D=1) | paste -sd' ')" "B C D" "options changed"
	src=$tmp/src-a trees=$tmp/trees
	mkdir -p "$src"
	printf '%s\n' 'prog: a.o b.o c.o' '	@echo linked; $(CC) -o $@ a.o b.o c.o' \
		'%.o: %.c' '	@echo compiled $@; $(CC) -MMD -c -o $@ $<' '-include a.d b.d c.d' >"$src/Makefile"
	echo 'int c(void) { return 3; }' >"$src/c.c"
	echo '#define A 1' >"$src/h.h"
	printf '%s\n' '#include "h.h"' 'int a(void) { return A; }' >"$src/a.c"
	printf '%s\n' '#include <stdio.h>' 'int a(void);' 'int main(void) { printf("%d %d\n", a(), 10); return 0; }' >"$src/b.c"
	built() { # TREE: make it, print what it compiled, mark it built
		make -C "$1" 2>&1 | sed -n 's/^compiled //p' | sort | paste -sd' '
		touch "$1/.gb-built"
	}
	tree() { # SRC NAME [PATCH]: a tree as kernel-build.sh makes it, configured
		gb_patched_tree "$1" "$trees/$2" "${@:3}" 2>/dev/null || fail "gb_patched_tree $2"
		echo "CONFIG_X=${CONFIG_X:-y}" >"$trees/$2/.config"
	}
	tree "$src" debian-t/s
	expect_eq "$(built "$trees/debian-t/s")" "a.o b.o c.o" "the first tree"
	sleep 1
	sed 's/10)/20)/' "$src/b.c" >"$tmp/b.c"
	(cd "$tmp" && diff -u "$src/b.c" b.c | sed "1s|.*|--- a/b.c|; 2s|.*|+++ b/b.c|") >"$tmp/b.patch"
	tree "$src" debian-t/w "$tmp/b.patch"
	expect_eq "$(gb_seed_from_sibling "$trees/debian-t/w")" "$trees/debian-t/s" "w's sibling"
	expect_eq "$(built "$trees/debian-t/w")" "b.o" "w on s: its patch"
	expect_eq "$("$trees/debian-t/w/prog")" "1 20" "w's program"
	expect_eq "$("$trees/debian-t/s/prog")" "1 10" "s's program, after w"
	# Another .config: x's own, made newer than the sibling's output
	# (kconfig's syncconfig then runs), even if it was written before.
	CONFIG_X=n tree "$src" debian-t/x
	touch -d @946684800 "$trees/debian-t/x/.config"
	expect_eq "$(gb_seed_from_sibling "$trees/debian-t/x")" "$trees/debian-t/s" "x's sibling"
	expect_eq "$(cat "$trees/debian-t/x/.config")" "CONFIG_X=n" "x's .config"
	[[ $trees/debian-t/x/.config -nt $trees/debian-t/x/a.o ]] || fail "x's .config is not newer than the build"
	# Another source: a copy made after s's build (every file newer than
	# it: c.o must not be compiled) in which h.h changed, and b.c, changed
	# but older than s's build.
	sleep 1
	cp -r "$src" "$tmp/src-b"
	echo '#define A 2' >"$tmp/src-b/h.h"
	echo '/* changed, and old */' >>"$tmp/src-b/b.c"
	touch -d @946684800 "$tmp/src-b/b.c"
	tree "$tmp/src-b" git-b/g
	expect_eq "$(gb_seed_from_sibling "$trees/git-b/g")" "$trees/debian-t/s" "g's sibling (the fewest changes)"
	expect_eq "$(built "$trees/git-b/g")" "a.o b.o" "g on s: the two changed files"
	expect_eq "$("$trees/git-b/g/prog")" "2 10" "g's program"
	expect_eq "$(sort "$trees/git-b/g/.gb-own" | paste -sd' ')" "b.c h.h" "g's own files"
	[[ $(stat -c %h "$tmp/src-b/h.h") == 1 && $(cat "$tmp/src-b/h.h") == "#define A 2" ]] ||
		fail "the source was written through g's links"
	# A tree of src-b with nothing changed: built on g, nothing compiled.
	tree "$tmp/src-b" git-b/h
	expect_eq "$(gb_seed_from_sibling "$trees/git-b/h")" "$trees/git-b/g" "h's sibling"
	expect_eq "$(built "$trees/git-b/h")" "" "h on g"
	# Nothing built with a near .config: no sibling.
	rm -f "$trees"/*/*/.gb-built
	tree "$src" debian-t/n
	expect_eq "$(gb_seed_from_sibling "$trees/debian-t/n")" "" "a sibling that is not built"
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
	# (--nodes 3 under --icount: the guest's one vCPU is said.)
	"$top/scripts/ab.sh" --icount --rounds 2 --nodes 3 --variant base --variant broken="$tmp/broken" \
		--suite "$top/scripts/suites/vm-ab-smoke.suite" --name "$name" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	((rc != 4)) || skip "another ab.sh or calibrate.sh holds this machine: $(cat "$tmp/err")"
	expect_eq "$rc" 3 "a series that does not apply"
	grep -q "under --icount the guest has one vCPU, on node 0" "$tmp/err" || fail "--nodes 3 under --icount not warned"
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
qemu)
	# The command line QEMU gets, without booting: KVM where asked (what
	# this machine's paravirtual KVM cannot run, so the rest of that path
	# is untested here), TCG otherwise, icount on TCG only.
	touch "$tmp/bzImage"
	qemu_line() { "$top/scripts/vm-run.sh" --kernel "$tmp/bzImage" --print-qemu "$@" 2>"$tmp/err" | paste -sd' '; }
	line=$(qemu_line --accel kvm --nodes 2)
	[[ $line == "qemu-system-x86_64 -accel kvm -cpu host -smp 2 "* ]] || fail "--accel kvm: $line"
	[[ $line == *" -numa node,nodeid=1,cpus=1-1,memdev=mem1 "* ]] || fail "no node 1: $line"
	[[ $line == *"gb.cpus=2 gb.nodes=2"* ]] || fail "the guest is not told its shape: $line"
	grep -qw -E 'vmx|svm' /proc/cpuinfo || grep -q "neither vmx nor svm" "$tmp/err" ||
		fail "no warning for a CPU without vmx or svm: $(cat "$tmp/err")"
	line=$(qemu_line --accel tcg)
	[[ $line == "qemu-system-x86_64 -accel tcg -cpu max "* ]] || fail "--accel tcg: $line"
	line=$(qemu_line --icount --cpu-nodes 1)
	[[ $line == "qemu-system-x86_64 -accel tcg -cpu max -icount shift=0,sleep=off -smp 1 "* ]] || fail "--icount: $line"
	# auto: KVM only where the probe boots a kernel under it; without a
	# usable /dev/kvm, TCG.
	line=$(qemu_line)
	[[ -r /dev/kvm ]] || [[ $line == "qemu-system-x86_64 -accel tcg "* ]] || fail "auto without /dev/kvm: $line"
	expect_rc 2 "$top/scripts/vm-run.sh" --kernel "$tmp/bzImage" --print-qemu --icount --accel kvm
	one_line_error "--icount needs TCG"
	;;
deb)
	# An installable kernel for your own hardware: the package's name and
	# version name the variant, and the config it installs has the
	# benchmark's options.  Built from the benchmark's own config, not a
	# distribution's (thousands of modules: hours here).
	[[ -r /usr/src/linux-source-6.12.tar.xz ]] || "$top/scripts/install-deps.sh" kernel >/dev/null 2>&1 ||
		skip "cannot install linux-source-6.12"
	expect_rc 2 "$top/scripts/kernel-build.sh" --deb --config "$tmp/none" cache
	one_line_error "no config at $tmp/none"
	expect_rc 2 "$top/scripts/kernel-build.sh" --config /dev/null cache
	one_line_error "--config goes with --deb"
	echo "not a config" >"$tmp/junk"
	expect_rc 2 "$top/scripts/kernel-build.sh" --deb --config "$tmp/junk" cache
	one_line_error "is not a kernel .config"
	config=$("$top/scripts/kernel-build.sh" --config-only cache 2>"$tmp/err") || fail "no config: $(cat "$tmp/err")"
	cp "$config" "$tmp/machine.config"
	start=$(date +%s)
	deb=$("$top/scripts/kernel-build.sh" --deb --config "$tmp/machine.config" cache 2>"$tmp/err") ||
		fail "kernel-build.sh --deb failed: $(tail -n 5 "$tmp/err")"
	echo "built the .deb in $(($(date +%s) - start)) s" >&2
	[[ $deb == *.deb && -f $deb ]] || fail "no package at '$deb'"
	package=$(dpkg-deb -f "$deb" Package) version=$(dpkg-deb -f "$deb" Version)
	[[ $package =~ ^linux-image-6\.12\.[0-9]+-gmem-cache$ ]] || fail "package name '$package'"
	[[ $version =~ ^6\.12\.[0-9]+\+gmem\.cache-1$ ]] || fail "package version '$version'"
	release=${package#linux-image-}
	dpkg-deb -c "$deb" >"$tmp/contents" || fail "dpkg-deb cannot list $deb"
	grep -q "/boot/vmlinuz-$release\$" "$tmp/contents" || fail "no /boot/vmlinuz-$release in the package"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./boot/config-$release" >"$tmp/installed.config" ||
		fail "no /boot/config-$release in the package"
	while read -r line; do
		grep -qxF -- "$line" "$tmp/installed.config" || fail "the installed config lacks $line"
	done < <(grep '^CONFIG_.*=' "$gb_patches/bench.config")
	grep -q "^CONFIG_KVM_PRIVATE_MEM=y" "$tmp/installed.config" || fail "guest_memfd not enabled"
	;;
git_refs)
	# Your git refs: a repository made from Debian's 6.12 source with our
	# series as two commits (made once, kept in the cache), A/B'd by its
	# tags.  The facts must be the default A/B's (inodes from inode_cache
	# on the base commit, kvm_gmem_inode_cache on the series), the commits
	# named in the report, and the repository's checkout left as it was.
	need_vm_packages "$top"
	src=$("$top/scripts/kernel-build.sh" --source-only 2>/dev/null) || fail "no source"
	repo=$gb_cache/test-git/linux-6.12
	stamp=$(cat "$src/Makefile" "$gb_patches"/000[12]-*.patch | sha1sum | cut -c1-40)
	if [[ $(cat "$repo/.git/gb-test-stamp" 2>/dev/null) != "$stamp" ]]; then
		echo "making $repo (once)" >&2
		rm -rf "$repo"
		mkdir -p "${repo%/*}"
		# Hard links: git replaces a file it writes (git am here) and
		# never writes through one.  Linking changes the files' ctime,
		# which the index must then not trust.  Uncompressed objects
		# (1.7 GB, not 0.6) and no automatic gc: a commit of the kernel
		# otherwise starts a detached gc that packs it for some 380
		# CPU-seconds, beside the other tests and after this one ended.
		cp -al "$src" "$repo" || fail "cannot copy $src"
		rm -f "$repo/.gb-extracted"
		git=(git -C "$repo" -c user.name="gmem-bench test" -c user.email=test@gmem-bench.invalid)
		# -f: Debian's .gitignore ignores every top-level file.
		"${git[@]}" init -q && "${git[@]}" config gc.auto 0 && "${git[@]}" config core.trustctime false &&
			"${git[@]}" config core.compression 0 && "${git[@]}" add -f -A . &&
			"${git[@]}" commit -q -m "Linux 6.12 as Debian's linux-source-6.12 has it" &&
			"${git[@]}" tag gb-base && "${git[@]}" am -q "$gb_patches"/000[12]-*.patch &&
			"${git[@]}" tag gb-cache || { rm -rf "$repo"; fail "cannot make the test repository"; }
		echo "$stamp" >"$repo/.git/gb-test-stamp"
	fi
	head_before=$(git -C "$repo" rev-parse HEAD)
	base_commit=$(git -C "$repo" rev-parse gb-base)
	name=ab-git-test-$$
	trap 'rm -rf "$tmp" "$top/results/$name" "$top/results/$name"-*' EXIT
	"$top/scripts/ab.sh" --icount --jobs 2 --rounds 2 --seed 3 --git "$repo" --base gb-base \
		--variant gb-cache --expect gb-base=inode_cache --expect gb-cache=kvm_gmem_inode_cache \
		--suite "$top/scripts/suites/vm-ab-smoke.suite" --name "$name" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	((rc != 4)) || skip "another ab.sh or calibrate.sh holds this machine: $(cat "$tmp/err")"
	((rc == 0)) || fail "ab.sh exited $rc; stderr: $(tail -n 3 "$tmp/err")"
	r=$top/results/$name
	expect_eq "$(grep -c '  gb-base boot-[12]: inodes from: inode_cache; allocator check: PASS' "$r/report.txt")" 2 \
		"where gb-base's inodes came from"
	expect_eq "$(grep -c '  gb-cache boot-[12]: inodes from: kvm_gmem_inode_cache; allocator check: PASS' "$r/report.txt")" 2 \
		"where gb-cache's inodes came from"
	grep -qxF "    from commit gb-base (${base_commit:0:12}) of $repo" "$r/cover-letter.txt" ||
		fail "gb-base's commit is not named: $(cat "$r/variants.txt")"
	grep -qx "    \[PATCH 1/2\] KVM: guest_memfd: Allocate inodes from a guest_memfd pseudo filesystem ([0-9a-f]*)" \
		"$r/cover-letter.txt" || fail "no first commit of gb-cache: $(cat "$r/variants.txt")"
	grep -qx "    \[PATCH 2/2\] KVM: guest_memfd: Add slab-allocated inode cache ([0-9a-f]*)" "$r/cover-letter.txt" ||
		fail "no second commit of gb-cache"
	expect_eq "$(tail -n 1 "$r/cover-letter.txt")" "base-commit: $base_commit" "the cover letter's last line"
	expect_eq "$(git -C "$repo" rev-parse HEAD)" "$head_before" "the repository's HEAD"
	[[ -z $(git -C "$repo" status --porcelain) ]] || fail "the repository's checkout changed"
	;;
*) fail "unknown case $case_name" ;;
esac
echo "PASS [$case_name]"
