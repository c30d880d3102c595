# shellcheck shell=bash
# Shared by the scripts that write results/LABEL/ (run-suite.sh, vm-run.sh).
# Sourced, not run.

# A label names a directory under results/: letters, digits and ._+-, not
# starting with a dot or a dash ("." and ".." would name results/ itself or
# its parent, which --force would then replace; dot files are hidden from
# gmem-compare).
gb_label_ok() {
	[[ $1 =~ ^[A-Za-z0-9_+][A-Za-z0-9._+-]*$ ]]
}

# gb_lock_results RESULTS: hold an exclusive lock on the results directory
# for as long as this shell lives (descriptor 9), or fail at once if another
# run holds it.  Two runs with one label would both report success while the
# second replaced the first's results; two suites at once on one machine
# would also disturb each other's figures.  The lock is on the directory
# itself: no lock file is left behind.
gb_lock_results() {
	mkdir -p "$1" || return 1
	exec 9<"$1" || return 1
	flock -n 9
}

# gb_clean_stale_stages RESULTS LABEL: with the results lock held, any
# staging directory of that label is left from a run that was killed
# (SIGKILL can't be trapped): remove it, and say so.
gb_clean_stale_stages() {
	local d
	for d in "$1/.$2."*; do
		[[ -d $d && ! -L $d ]] || continue
		echo "${0##*/}: removing $d, left by a run that was killed" >&2
		rm -rf -- "$d"
	done
}
