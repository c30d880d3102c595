# shellcheck shell=bash
# Shared by every script: where the tree and its builds are, how a script
# fails, and --help.  Sourced, not run.

# shellcheck disable=SC2034 # used by the scripts that source this
gb_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The build directories: GB_BUILD_DIR and GB_STATIC_BUILD_DIR move them.
# shellcheck disable=SC2034
gb_build=${GB_BUILD_DIR:-$gb_top/build}
# shellcheck disable=SC2034
gb_static_build=${GB_STATIC_BUILD_DIR:-$gb_top/build-static}

# gb_die CODE MESSAGE...: "SCRIPT: MESSAGE" on stderr, exit CODE.
gb_die() {
	local code=$1
	shift
	echo "${0##*/}: $*" >&2
	exit "$code"
}

# --help: the script's header, the comment block after its first line,
# without the comment marks.
gb_help() {
	awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"
}
