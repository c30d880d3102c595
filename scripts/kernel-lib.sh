# shellcheck shell=bash
# Shared by the kernel scripts: where things are cached, and how variants
# map to patches.  Sourced, not run.

gb_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gb_patches=$gb_top/kernel-patches/6.12
# Builds are cached outside the repository (several GiB): set GB_CACHE_DIR
# to move them.
# shellcheck disable=SC2034 # used by the scripts that source this
gb_cache=${GB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gmem-bench}

gb_die() {
	local code=$1
	shift
	echo "${0##*/}: $*" >&2
	exit "$code"
}

# The patches of the series, in order, one per line.
gb_series() {
	grep -v '^[[:space:]]*\(#\|$\)' "$gb_patches/series"
}

# The patch files a variant applies, in order, one path per line.  The
# test-only variant adds a deliberately broken patch (kernel-patches/6.12/
# test-only/) on top of the series, for the module-unload regression test.
gb_variant_patch_files() {
	local n
	case $1 in
	base) n=0 ;;
	mount) n=1 ;;
	cache | cache-no-rcu-barrier) n=2 ;;
	*) return 1 ;;
	esac
	gb_series | head -n "$n" | sed "s#^#$gb_patches/#"
	if [[ $1 == cache-no-rcu-barrier ]]; then
		ls "$gb_patches"/test-only/9001-TEST-ONLY-*rcu_barrier*.patch
	fi
}

# The variants kernel-build.sh knows, for messages.
# shellcheck disable=SC2034 # used by the scripts that source this
gb_variants="base, mount, cache or cache-no-rcu-barrier (test only)"
