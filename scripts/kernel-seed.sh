# shellcheck shell=bash
# Sourced by kernel-build.sh (after kernel-lib.sh), not run.
#
# A new variant tree starts from the build of a tree already built (its
# sibling): the sibling's generated files are copied in with their times,
# the files in which the two trees differ are made newer than all of them,
# and make rebuilds what depends on those, as in any incremental build.
# cache on mount is then guest_memfd.o and a link, not 1249 objects; a
# commit exported from git is built on a Debian tree of the same contents.
#
# What "differ" means is content, not time: the patches' files (each
# tree's .gb-named), files made a tree's own by an earlier seeding
# (.gb-own), and, between trees of two sources, every path whose content
# differs between the sources (gb_source_changes).  A .config that differs
# in a few options is kconfig's business: the sibling's kconfig output is
# copied, the new tree's .config is newer, and syncconfig marks exactly
# the changed options, so make rebuilds what reads them.

# At most this many options apart: KVM built in against KVM as modules
# is 6 (KVM, KVM_AMD, KVM_INTEL, KVM_X86, HAVE_KVM_IRQ_BYPASS,
# IRQ_BYPASS_MANAGER); a distribution's config against tinyconfig is
# thousands, and no sibling.
gb_seed_max_options=32

# gb_config_changes A B: the options (names without CONFIG_) two .config
# files set differently, one a line.
gb_config_changes() {
	local lines
	lines=$(diff <(grep -E '^(CONFIG_|# CONFIG_)' "$1" | LC_ALL=C sort) \
		<(grep -E '^(CONFIG_|# CONFIG_)' "$2" | LC_ALL=C sort) || true)
	sed -n 's/^[<>] \(# \)\{0,1\}CONFIG_\([A-Za-z0-9_]*\).*/\2/p' <<<"$lines" | LC_ALL=C sort -u
}

# gb_seed_cost SIBLING PATHS OPTIONS: how many of SIBLING's objects make
# would build again (kbuild's .cmd files that name a changed path as a
# source or dependency, or a changed option): what the sibling is chosen
# by.  KVM=m against KVM=y is 640 objects, 0001's magic.h 319.
gb_seed_cost() {
	local sib=$1 pat
	pat=$({
		sed -n 's|^\./\(.*\)|  \1 \\\n:= \1|p' <<<"$2"
		sed -n 's|^\(.\{1,\}\)$|include/config/\1)|p' <<<"$3"
	})
	[[ -n $pat ]] || { echo 0; return 0; }
	{ grep -rlF --include='*.cmd' -e "$pat" -- "$sib" || (($? == 1)); } | wc -l
}

# gb_source_manifest DIR: "DIGEST  ./PATH" for every file and symlink of
# a pristine source (its .gb-* markers left out), sorted; 1 if a name has
# a newline or backslash (md5sum would escape it: such a source is not
# compared, and its trees build without a sibling of another source).
gb_source_manifest() {
	local dir=$1
	[[ -z $(cd "$dir" && find . \( -name $'*\n*' -o -name '*\\*' -o -lname $'*\n*' \) -print -quit) ]] || return 1
	(
		cd "$dir" || exit 1
		find . -name '.gb-*' -prune -o -type f -print0 | xargs -0 -r md5sum
		find . -name '.gb-*' -prune -o -type l -printf 'symlink:%l  %p\n'
	) | LC_ALL=C sort
}

# gb_source_changes A B_MANIFEST: the paths (./PATH, one a line) whose
# content differs between pristine source A and the source whose manifest
# is B_MANIFEST (computed once by the caller, for every A), or that only
# one has; 1 if they cannot be compared.
gb_source_changes() {
	local a
	a=$(gb_source_manifest "$1") || return 1
	LC_ALL=C comm -3 <(echo "$a") <(echo "$2") | sed 's/^\t//; s/^[^ ]*  //' | LC_ALL=C sort -u
}

# gb_seed_same S W PATH: whether PATH is the same in trees S and W (both
# absent, the same file contents, or symlinks to the same place).
gb_seed_same() {
	local s=$1/$3 w=$2/$3
	if [[ -L $s || -L $w ]]; then
		[[ -L $s && -L $w && $(readlink "$s") == "$(readlink "$w")" ]]
	elif [[ -e $s || -e $w ]]; then
		[[ -f $s && -f $w ]] && cmp -s "$s" "$w"
	fi
}

# gb_seed_paths TREE: the paths (./PATH) that are sources of TREE's own:
# what its patches name, and what a seeding made its own.
gb_seed_paths() {
	local f
	for f in "$1/.gb-named" "$1/.gb-own"; do
		[[ ! -f $f ]] || sed 's|^|./|' "$f"
	done
}

# gb_seed_changes S W [SOURCE_CHANGES]: the paths in which trees S and W
# differ: of the two trees' own paths and the sources' changes, those not
# the same (gb_seed_same).
gb_seed_changes() {
	local s=$1 w=$2 f
	{ gb_seed_paths "$s"; gb_seed_paths "$w"; [[ -z ${3:-} ]] || echo "$3"; } | LC_ALL=C sort -u |
		while IFS= read -r f; do
			[[ -z $f ]] || gb_seed_same "$s" "$w" "$f" || echo "$f"
		done
}

# gb_seed_from_sibling WORK: before WORK's first build (a tree
# gb_patched_tree has just made, .gb-new, and configured), the build of
# the built tree of which make would build the fewest objects again
# (gb_seed_cost; then the fewest paths and options changed).  Trees of WORK's own source are looked at first; only
# when none is built, trees of another source the cache made (Debian's, a
# git export; never your --tree, which may hold anything), whose sources
# are compared file by file.  Prints the sibling's path, or nothing.
gb_seed_from_sibling() {
	local work=$1 sib best="" best_changes="" best_key="" changes options key n src_w src_s t0 f manifest_w=""
	local -A source_changes=()
	[[ -f $work/.gb-new ]] || return 0
	rm -f "$work/.gb-new"
	[[ -f $work/.gb-src && -f $work/.gb-named ]] || return 0
	src_w=$(cat "$work/.gb-src")
	local -a candidates=()
	for sib in "${work%/*}"/*; do
		[[ $sib == "$work" ]] || candidates+=("$sib")
	done
	if ! gb_seed_has_built "${candidates[@]}" && [[ ${work%/*} == */debian-* || ${work%/*} == */git-* ]]; then
		candidates=()
		for sib in "${work%/*/*}"/debian-*/* "${work%/*/*}"/git-*/*; do
			[[ ${sib%/*} == "${work%/*}" ]] || candidates+=("$sib")
		done
	fi
	for sib in "${candidates[@]}"; do
		[[ -f $sib/.gb-built && -f $sib/.gb-src && -f $sib/.gb-named && -f $sib/.config ]] || continue
		options=$(gb_config_changes "$sib/.config" "$work/.config")
		(($(grep -c . <<<"$options" || true) <= gb_seed_max_options)) || continue
		src_s=$(cat "$sib/.gb-src")
		if [[ $src_s != "$src_w" && -z ${source_changes[$src_s]+set} ]]; then
			# WORK's source is read once, whatever the number of others.
			[[ -n $manifest_w ]] || manifest_w=$(gb_source_manifest "$src_w") || manifest_w=unusable
			[[ -d $src_s && $manifest_w != unusable ]] &&
				source_changes[$src_s]=$(gb_source_changes "$src_s" "$manifest_w") ||
				source_changes[$src_s]=unusable
		fi
		[[ ${source_changes[$src_s]:-} != unusable ]] || continue
		changes=$(gb_seed_changes "$sib" "$work" "${source_changes[$src_s]:-}")
		n=$(gb_seed_cost "$sib" "$changes" "$options")
		key=$(printf '%09d %09d' "$n" "$(printf '%s\n%s\n' "$changes" "$options" | grep -c .)")
		[[ -n $best && ! $key < $best_key ]] && continue
		best=$sib best_changes=$changes best_key=$key
	done
	[[ -n $best ]] || return 0
	gb_seed_copy "$best" "$work"
	src_s=$(cat "$best/.gb-src")
	if [[ $src_s != "$src_w" ]]; then
		# Another source: its files, whatever their times, must be no
		# newer than the sibling's build.  WORK's source is pristine and
		# its contents never change, so setting its files' times back
		# (to the oldest of the sibling's source) makes no tree of it
		# rebuild what it should not.
		t0=$(cd "$src_s" && find . -name '.gb-*' -prune -o -type f -printf '%T@\n' |
			awk 'NR == 1 || $1 < m { m = $1 } END { printf "%d", m }')
		(cd "$src_w" && find . -name '.gb-*' -prune -o \( -type f -o -type l \) -newermt "@$t0" -print0) |
			(cd "$src_w" && xargs -0 -r touch -h -m -d "@$t0") ||
			gb_die 5 "cannot set the times of $src_w"
	fi
	# The paths in which the two differ: WORK's own, newer than all the
	# sibling's build.  One that is a link to the source is copied first,
	# and so never written through.
	while IFS= read -r f; do
		[[ -n $f && -f $work/$f && ! -L $work/$f ]] || continue
		if [[ $(stat -c %h "$work/$f") != 1 ]]; then
			cp -p -- "$work/$f" "$work/$f.gb-own" && mv -f -- "$work/$f.gb-own" "$work/$f" ||
				gb_die 5 "cannot make $work/$f a file of its own"
			echo "${f#./}" >>"$work/.gb-own"
		fi
		touch -- "$work/$f"
	done <<<"$best_changes"
	# The others that are its own (patched as the sibling's are) take the
	# sibling's time where theirs is later.
	while IFS= read -r f; do
		[[ -f $work/$f && -f $best/$f && ! -L $work/$f && $work/$f -nt $best/$f ]] || continue
		grep -qxF -- "$f" <<<"$best_changes" || touch -r "$best/$f" -- "$work/$f"
	done < <(gb_seed_paths "$best"; gb_seed_paths "$work")
	# A different .config: newer than the sibling's kconfig output, so make
	# runs syncconfig, which marks the options that changed.
	cmp -s "$best/.config" "$work/.config" || touch "$work/.config"
	echo "$best"
}

# gb_seed_has_built TREE...: whether one of the trees is built.
gb_seed_has_built() {
	local t
	for t in "$@"; do
		[[ ! -f $t/.gb-built ]] || return 0
	done
	return 1
}

# gb_seed_copy SIBLING WORK: the files SIBLING's build and config made
# (one link: not a link to its source, not its own source paths, not its
# .config) copied into WORK with their times to the nanosecond (POSIX
# tar: GNU's format keeps whole seconds, which made objects older than
# sources of the same second), over WORK's own kconfig output; then
# objtool's absolute paths made WORK's.
gb_seed_copy() {
	local best=$1 work=$2 f from to
	local -A own=()
	while IFS= read -r f; do
		own[$f]=1
	done < <(gb_seed_paths "$best"; gb_seed_paths "$work"; printf '%s\n' ./.config ./.config.old)
	(cd "$best" && find . \( -path './.gb-*' -o -path ./gb-build.log -o -path ./gb-kst -o -path ./gb-deb -o -path ./debian \) -prune -o \
		\( -type f -o -type l \) -links 1 -print0) |
		while IFS= read -r -d '' f; do
			[[ -z ${own[$f]:-} ]] || continue
			[[ ! -e $work/$f && ! -L $work/$f ]] || [[ $(stat -c %h "$work/$f") == 1 ]] || continue
			printf '%s\0' "$f"
		done | (cd "$best" && tar -c --format=posix --null -T -) | tar -x --overwrite -C "$work" ||
		gb_die 5 "cannot copy ${best##*/}'s build into $work"
	# objtool and its library are built with absolute paths (tools/
	# builds): their recorded commands and dependencies are made WORK's,
	# or make builds objtool again and every object that objtool checked
	# after it.
	[[ -d $work/tools ]] || return 0
	from=$(printf '%s/' "$best" | sed 's/[][\.*^$#]/\\&/g')
	to=$(printf '%s/' "$work" | sed 's/[\&#]/\\&/g')
	{ grep -rlZF --include='*.cmd' --include='*.d' -- "$best/" "$work/tools" || (($? == 1)); } |
		xargs -0 -r sed -i "s#$from#$to#g" || gb_die 5 "cannot relocate tools/ in $work"
}
