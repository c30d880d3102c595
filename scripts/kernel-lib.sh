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

# How many patches of the series a variant applies.
gb_variant_patches() {
	case $1 in
	base) echo 0 ;;
	mount) echo 1 ;;
	cache) echo 2 ;;
	*) return 1 ;;
	esac
}
