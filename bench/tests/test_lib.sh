# Shared by the shell tests: sourced after case_name and tmp are set.
# Exit: 0 pass, 1 fail, 77 skip (with the reason on stdout).

fail() { echo "FAIL [$case_name]: $*"; exit 1; }
skip() { echo "SKIP [$case_name]: $*"; exit 77; }

# expect_eq GOT WANT WHAT
expect_eq() { [[ "$1" == "$2" ]] || fail "$3: got '$1', expected '$2'"; }

# expect_rc EXPECTED_RC PROGRAM ARGS...: run it, keep stdout/stderr in
# $tmp/out and $tmp/err, check the exit code.
expect_rc() {
	local want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[[ $rc == "$want" ]] || fail "$(basename "$1") ${*:2} exited $rc, expected $want; stderr: $(cat "$tmp/err")"
}

# need_vm_packages TOP: QEMU and Debian's linux-source-6.12, installed if
# they can be (the VM tests build and boot kernels), or skip saying why.
need_vm_packages() {
	local deps
	deps=$("$1/scripts/install-deps.sh" kernel 2>&1) ||
		skip "cannot install QEMU or Debian's linux-source-6.12: $(tail -n 1 <<<"$deps")"
	[[ -f /usr/src/linux-source-6.12.tar.xz ]] || skip "Debian's linux-source-6.12 is not installed"
	command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed"
}

# The error is exactly one line on stderr, containing TEXT (fixed string).
one_line_error() {
	[[ $(wc -l <"$tmp/err") == 1 ]] || fail "expected one error line, got: $(cat "$tmp/err")"
	grep -qF -- "$1" "$tmp/err" || fail "error line lacks '$1': $(cat "$tmp/err")"
}

# wait_for FILE PATTERN [SECONDS]: until a line of FILE matches the grep
# PATTERN (10 s at most); 1 if it never did.
wait_for() {
	local i
	for ((i = 0; i < ${3:-10} * 10; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# ends_within SECONDS PID: whether process PID (any, not only a child) ends in time.
ends_within() { timeout "$1" tail --pid="$2" -f /dev/null; }
