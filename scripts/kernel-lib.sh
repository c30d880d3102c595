# shellcheck shell=bash
# Shared by the kernel scripts: where things are cached, and how variants
# map to patches.  Sourced, not run.

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
gb_patches=$gb_top/kernel-patches/6.12
# Builds are cached outside the repository (several GiB): set GB_CACHE_DIR
# to move them.
# shellcheck disable=SC2034 # used by the scripts that source this
gb_cache=${GB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gmem-bench}

# The patches of the series, in order, one per line.
gb_series() {
	grep -v '^[[:space:]]*\(#\|$\)' "$gb_patches/series"
}

# The patch files a variant applies, in order, one path per line.  The
# test-only variants add a patch of kernel-patches/6.12/test-only/ on top
# of the series: cache-no-rcu-barrier a deliberately broken one, for the
# module-unload regression test; calibrate a cost of known size, set at
# boot (kvm.gmem_test_create_loops), for the A/B's calibration.
gb_variant_patch_files() {
	local n
	case $1 in
	base) n=0 ;;
	mount) n=1 ;;
	cache | cache-no-rcu-barrier | calibrate) n=2 ;;
	mmap) n=4 ;;
	policy) n=5 ;;
	*) return 1 ;;
	esac
	gb_series | head -n "$n" | sed "s#^#$gb_patches/#"
	case $1 in
	cache-no-rcu-barrier) ls "$gb_patches"/test-only/9001-TEST-ONLY-*rcu_barrier*.patch ;;
	calibrate) ls "$gb_patches"/test-only/9002-TEST-ONLY-*known-cost*.patch ;;
	esac
}

# gb_user_variant_name_ok NAME: a name for your own variant (it names
# trees, LOCALVERSION and results directories), not one of ours.
gb_user_variant_name_ok() {
	[[ $1 =~ ^[a-z0-9][a-z0-9._-]{0,31}$ ]] ||
		{ echo "${0##*/}: variant name '$1': 1 to 32 lowercase letters, digits, ., _ and -, not starting with . _ or -" >&2; return 2; }
	! gb_variant_patch_files "$1" >/dev/null ||
		{ echo "${0##*/}: '$1' is one of ours ($gb_variants): name yours otherwise" >&2; return 2; }
}

# gb_user_patch_files PATCHES: the patch files of your variant, in order,
# one path a line: a directory's "series" (quilt's: file names in it,
# comments and blank lines skipped) or else its *.patch sorted by name, or
# an mbox split one message a patch (git mailsplit, cached by content).
# Exit 2 with one line when there is nothing to apply.
gb_user_patch_files() {
	local src=$1 dir p files=()
	if [[ -d $src ]]; then
		dir=$(cd "$src" && pwd)
		if [[ -f $dir/series ]]; then
			while read -r p; do
				[[ $p =~ ^[A-Za-z0-9_+][A-Za-z0-9._+-]*$ && -f $dir/$p ]] ||
					{ echo "${0##*/}: $src/series names '$p', which is not a patch file in $src" >&2; return 2; }
				files+=("$dir/$p")
			done < <(grep -v '^[[:space:]]*\(#\|$\)' "$dir/series")
		else
			mapfile -t files < <(find "$dir" -maxdepth 1 -type f -name '*.patch' | sort)
		fi
	elif [[ -f $src ]]; then
		dir=$gb_cache/mbox/$(sha1sum <"$src" | cut -c1-16)
		if [[ ! -f $dir/.gb-split ]]; then
			rm -rf "$dir"
			mkdir -p "$dir"
			git mailsplit -o"$dir" "$src" >/dev/null 2>&1 ||
				{ echo "${0##*/}: $src is neither a directory of patches nor an mbox" >&2; return 2; }
			touch "$dir/.gb-split"
		fi
		mapfile -t files < <(find "$dir" -maxdepth 1 -type f -name '[0-9]*' | sort)
	else
		echo "${0##*/}: no patches at '$src' (a directory of patches, or an mbox)" >&2
		return 2
	fi
	((${#files[@]})) || { echo "${0##*/}: no patch in $src" >&2; return 2; }
	printf '%s\n' "${files[@]}"
}

# gb_git_commit REPO REF: the full hash of REF's commit in REPO, or one
# line and 2.  REF is the user's text: it reaches git as one argument after
# --end-of-options, never a shell or an option.
gb_git_commit() {
	local repo=$1 ref=$2
	git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 ||
		{ echo "${0##*/}: $repo is not a git repository" >&2; return 2; }
	git -C "$repo" rev-parse --verify --quiet --end-of-options "$ref^{commit}" ||
		{ echo "${0##*/}: '$ref' names no commit in $repo" >&2; return 2; }
}

# gb_git_name REPO COMMIT: a variant name for a commit, from git describe
# (v6.19-rc1-12-gabcdef012345 -> v6.19-rc1-12-gabcdef012345), lowercased,
# anything else than letters, digits, . _ - made a -, cut to 32.
gb_git_name() {
	local name
	name=$(git -C "$1" describe --tags --always "$2" 2>/dev/null | LC_ALL=C tr '[:upper:]' '[:lower:]' |
		LC_ALL=C tr -c 'a-z0-9._\n-' '-' | cut -c1-32)
	while [[ $name == [._-]* ]]; do name=${name:1}; done
	echo "${name:-${2:0:12}}"
}

# gb_git_source REPO COMMIT: COMMIT's tree, exported once into the cache
# with git archive, so that the repository (its checkout, index, HEAD and
# worktrees) is not touched; prints the directory.  When the cache has
# another commit's export and REPO has that commit, the new export is a
# hard-linked copy of it with only the files that differ taken from git
# archive: a kernel is 1.7 GB and about a minute to export, and two
# commits to compare share most of it (the disk too).
gb_git_source() (
	local repo=$1 commit=$2 dir=$gb_cache/src/git-$2 d tmp
	if [[ ! -f $dir/.gb-extracted ]]; then
		rm -rf "$dir"
		mkdir -p "$gb_cache/src"
		tmp=$(mktemp -d "$gb_cache/src/.export-XXXXXX")
		# (A subshell: the export half made goes on every way out.)
		trap 'rm -rf "$tmp"' EXIT
		for d in "$gb_cache"/src/git-*; do
			[[ -f $d/.gb-extracted && $d != "$dir" ]] || continue
			git -C "$repo" cat-file -e "${d##*/git-}^{commit}" 2>/dev/null || continue
			if gb_git_export_from "$repo" "$d" "$commit" "$tmp/tree"; then
				echo "exported ${commit:0:12} of $repo into $dir from ${d##*/git-}'s export and what differs" >&2
				break
			fi
			rm -rf "$tmp/tree"
		done
		if [[ ! -f $tmp/tree/.gb-extracted ]]; then
			echo "exporting ${commit:0:12} of $repo into $dir" >&2
			mkdir "$tmp/tree"
			git -C "$repo" archive --format=tar "$commit" | tar -x -C "$tmp/tree" ||
				gb_die 2 "cannot export ${commit:0:12} of $repo"
			touch "$tmp/tree/.gb-extracted"
		fi
		mv -T "$tmp/tree" "$dir"
	fi
	echo "$dir"
)

# gb_git_export_from REPO BASE COMMIT DIR: DIR (new) is BASE, the export
# of another commit, made COMMIT's: a hard-linked copy, the paths git diff
# names removed (deleted ones, and changed ones, whose links to BASE must
# not be written through), then the changed ones extracted from git
# archive.  Returns 1 (DIR half made) where the result could differ from a
# whole export: a .gitattributes changed (export-ignore, export-subst).
gb_git_export_from() {
	local repo=$1 base=$2 commit=$3 dir=$4 all=() changed=() status p f
	# One diff: each path after its status letter (D: deleted).
	status=$(git -C "$repo" diff --no-renames --no-ext-diff --name-status -z "${base##*/git-}" "$commit" |
		tr '\0' '\1') || return 1
	while IFS= read -r -d $'\1' p && IFS= read -r -d $'\1' f; do
		[[ $f != .gitattributes && $f != */.gitattributes ]] || return 1
		all+=("$f")
		[[ $p == D ]] || changed+=("$f")
	done <<<"$status"
	cp -al "$base" "$dir" || return 1
	rm -f "$dir/.gb-extracted"
	if ((${#all[@]})); then
		(cd "$dir" && printf '%s\0' "${all[@]}" | xargs -0 rm -rf --) || return 1
		# A directory emptied (its files deleted, or it became a file)
		# is not in git archive's output either.
		find "$dir" -mindepth 1 -depth -type d -empty -delete
	fi
	if ((${#changed[@]})); then
		# Several archives when the paths are many: tar -i reads past
		# each one's end.
		printf '%s\0' "${changed[@]}" |
			xargs -0 git -C "$repo" --literal-pathspecs archive --format=tar "$commit" -- |
			tar -x -i -C "$dir" || return 1
	fi
	touch "$dir/.gb-extracted"
}

# gb_patched_tree SRC WORK [PATCH...]: WORK is a hard-linked copy of SRC
# with the patches applied, made anew when SRC or a patch changed (SRC by
# its files' times, as make sees them; the
# stamp is the patches' contents, not their paths: every clone of this
# repository, CI's fresh ones too, shares the trees already built).  patch
# writes each file it changes anew, so the links to SRC break exactly where
# WORK differs.  A patch applies exactly, as git am would (no fuzz: a patch
# whose context is not there was seen to land in the wrong place with
# patch's default fuzz); one that does not: exit 3, its name and why.
gb_patched_tree() {
	local src=$1 work=$2 p out stamp
	shift 2
	stamp=$( { echo "$src"; for p in "$@"; do sha1sum <"$p"; done; } | sha1sum | cut -c1-40)
	# Made already, from the same patches, and nothing in SRC changed since
	# (your tree, edited: a file or directory newer than the copy).
	if [[ -f $work/.gb-stamp && $(cat "$work/.gb-stamp") == "$stamp" &&
		-z $(find "$src" -newer "$work/.gb-stamp" -print -quit) ]]; then
		return 0
	fi
	echo "preparing $work" >&2
	rm -rf "$work"
	mkdir -p "$(dirname "$work")"
	cp -al "$src" "$work"
	# SRC's own markers (its stamp, when SRC is itself a patched tree, as
	# for the selftests) are links to SRC's files: removed, so that the
	# stamp below is a file of WORK's own and never written through a link
	# into SRC (which made SRC look out of date and be copied anew on
	# every build).
	rm -f "$work/.gb-extracted" "$work/.gb-stamp" "$work/.gb-patches" "$work/.gb-built" "$work/.gb-new" \
		"$work/.gb-src" "$work/.gb-named" "$work/.gb-own"
	for p in "$@"; do
		if ! out=$(patch -d "$work" -p1 --forward --batch --fuzz=0 <"$p" 2>&1); then
			rm -rf "$work"
			gb_die 3 "${p##*/} does not apply to $src:
$out"
		fi
	done
	# For gb_seed_from_sibling (kernel-seed.sh): the source, and the paths
	# the patches name (one that climbs out, which patch refuses, is not
	# kept: a seeding never touches a file outside WORK).
	echo "$src" >"$work/.gb-src"
	if (($#)); then
		lsdiff --no-filename --strip=1 "$@" | while IFS= read -r p; do
			[[ /$p/ == */../* ]] || echo "$p"
		done
	fi >"$work/.gb-named" || gb_die 3 "lsdiff cannot read the patches for $work"
	touch "$work/.gb-new"
	echo "$stamp" >"$work/.gb-stamp"
}

# gb_has_guest_memfd TREE: whether a kernel source tree has guest_memfd.
gb_has_guest_memfd() {
	[[ -f $1/virt/kvm/guest_memfd.c ]] && grep -q KVM_CREATE_GUEST_MEMFD "$1/include/uapi/linux/kvm.h" 2>/dev/null
}

# Options of our config renamed since 6.12: "OLD NEW", one a line.
gb_config_renames="KVM_PRIVATE_MEM KVM_GUEST_MEMFD"
# The option that is guest_memfd, by its 6.12 name.
gb_gmem_option=KVM_PRIVATE_MEM

# gb_config_enables_guest_memfd CONFIG: whether a .config has guest_memfd,
# under its 6.12 name or a later one (gb_config_renames).
gb_config_enables_guest_memfd() {
	local name=$gb_gmem_option old new
	while read -r old new; do
		[[ $old != "$name" ]] || name+="|$new"
	done <<<"$gb_config_renames"
	grep -qE "^CONFIG_($name)=y\$" "$1"
}

# gb_adapt_fragment TREE [KEEP_CONFIG] < FRAGMENT: the fragment for this
# tree on stdout.  An option the tree's Kconfig does not define is left
# out, or set under its new name if it was renamed; each is said on
# stderr.  With KEEP_CONFIG (a machine's own .config, for --deb), what that
# config already has is kept: its numbers (NR_CPUS, NODES_SHIFT: the VM's
# are small) and whether an option we want on is built in or a module
# (ours has KVM as modules; a machine with KVM built in keeps it so).
gb_adapt_fragment() {
	local tree=$1 keep=${2:-}
	# The Kconfig symbols of the tree, then the fragment on stdin.
	awk -v renames="$gb_config_renames" -v keepfile="$keep" '
		BEGIN {
			n = split(renames, r, "\n")
			for (i = 1; i <= n; i++) { split(r[i], p, " "); renamed[p[1]] = p[2] }
			while (keepfile != "" && (getline line < keepfile) > 0)
				if (line ~ /^CONFIG_[A-Za-z0-9_]+=/) {
					o = line; sub(/^CONFIG_/, "", o); v = o; sub(/=.*/, "", o); sub(/^[^=]*=/, "", v)
					machine[o] = v
				}
		}
		FNR == NR { have[$2] = 1; next }
		/^CONFIG_[A-Za-z0-9_]+=/ || /^# CONFIG_[A-Za-z0-9_]+ is not set$/ {
			o = $0; sub(/^# /, "", o); sub(/^CONFIG_/, "", o); sub(/[= ].*/, "", o)
			v = $0; sub(/^[^=]*=?/, "", v)
			if (!(o in have)) {
				if ((o in renamed) && (renamed[o] in have)) {
					printf "CONFIG_%s is CONFIG_%s in this tree: set under that name\n", o, renamed[o] > "/dev/stderr"
					sub("CONFIG_" o, "CONFIG_" renamed[o])
					o = renamed[o]
				} else {
					printf "CONFIG_%s does not exist in this tree: left out\n", o > "/dev/stderr"
					next
				}
			}
			if ((o in machine) && (v ~ /^[0-9]+$/ || (v ~ /^[ym]$/ && machine[o] ~ /^[ym]$/)))
				next
		}
		{ print }' <(grep -rhoE '^[[:space:]]*(menu)?config [A-Za-z0-9_]+' --include='Kconfig*' "$tree") -
}

# The variants kernel-build.sh knows, for messages.
# shellcheck disable=SC2034 # used by the scripts that source this
gb_variants="base, mount, cache, mmap, policy, or the test-only cache-no-rcu-barrier and calibrate"

# gb_distance_matrix SPEC NODES: the NUMA distance matrix SPEC names, row
# by row, comma-separated (nothing for "default": QEMU's 10 and 20).  On a
# bad SPEC, the reason on stdout and 1.
gb_distance_matrix() {
	local spec=$1 n=$2 i j hops cells=() v
	case $spec in
	default) return 0 ;;
	ring)
		for ((i = 0; i < n; i++)); do
			for ((j = 0; j < n; j++)); do
				hops=$(((j - i + n) % n))
				((hops > n - hops)) && hops=$((n - hops))
				cells+=($((hops ? 10 + 5 * hops : 10)))
			done
		done ;;
	2socket)
		((n % 2 == 0)) || { echo "2socket needs an even number of nodes, not $n"; return 1; }
		for ((i = 0; i < n; i++)); do
			for ((j = 0; j < n; j++)); do
				if ((i == j)); then cells+=(10)
				elif ((i / (n / 2) == j / (n / 2))); then cells+=(12)
				else cells+=(32); fi
			done
		done ;;
	*)
		[[ $spec =~ ^[0-9]+(,[0-9]+)*$ ]] ||
			{ echo "'$spec' is not default, ring, 2socket or a comma-separated matrix"; return 1; }
		IFS=, read -r -a cells <<<"$spec"
		((${#cells[@]} == n * n)) || { echo "$n nodes need $((n * n)) distances, not ${#cells[@]}"; return 1; }
		for ((i = 0; i < n; i++)); do
			for ((j = 0; j < n; j++)); do
				v=$((10#${cells[i * n + j]}))
				if ((i == j && v != 10)); then
					echo "a node's distance to itself is 10, not $v (row $((i + 1)))"; return 1
				elif ((i != j && (v < 11 || v > 254))); then
					echo "distances between nodes are 11 to 254, not $v (row $((i + 1)))"; return 1
				fi
				cells[i * n + j]=$v
			done
		done ;;
	esac
	(IFS=,; echo "${cells[*]}")
}

# gb_check_topology FILE CPUS NODES CPUS_PER_NODE MATRIX [CPU_NODES]:
# whether the guest's own report (FILE, written by its /init) shows what
# was asked (CPUs on the first CPU_NODES nodes, default all, the others
# memory-only); if not, what differs on stdout and 1.
gb_check_topology() {
	local file=$1 cpus=$2 nodes=$3 cpn=$4 want=$5 cpu_nodes=${6:-$3} got_cpus got_nodes got row i asked
	[[ -f $file ]] || { echo "the guest wrote no topology.txt"; return 1; }
	got_cpus=$(awk '$1 == "online_cpus" { print $2 }' "$file")
	got_nodes=$(awk '$1 == "online_nodes" { print $2 }' "$file")
	if [[ $got_cpus != "$cpus" || $got_nodes != "$nodes" ]]; then
		echo "$cpus CPUs on $nodes nodes were asked, the guest has ${got_cpus:-?} CPUs on ${got_nodes:-?} nodes (is CONFIG_NR_CPUS or CONFIG_NODES_SHIFT of this kernel too small?)"
		return 1
	fi
	for ((i = 0; i < nodes; i++)); do
		row=$(awk -v n="node$i" '$1 == n && $2 == "cpus" { print $3 }' "$file")
		asked=$((i * cpn))
		((cpn == 1)) || asked+=-$(((i + 1) * cpn - 1))
		((i < cpu_nodes)) || asked=""
		[[ $row == "$asked" ]] || { echo "node $i has CPUs ${row:-none}, ${asked:-none} were asked"; return 1; }
	done
	[[ -n $want ]] || return 0
	got=$(awk '$1 == "distances" { $1 = ""; sub(/^ /, ""); gsub(/ /, ","); print }' "$file")
	[[ $got == "$want" ]] || { echo "distances $want were asked, the guest has ${got:-none}"; return 1; }
}
