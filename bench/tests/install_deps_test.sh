#!/bin/bash
# scripts/install-deps.sh against stand-ins for dpkg-query, apt-get and id
# (first on PATH): what it installs, that it says so on stderr only (its
# callers print paths on stdout: kernel-build.sh's .deb came out as
# "install-deps: installing ..." on a fresh machine), that a second run
# does nothing, and its errors.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
case_name=install_deps
tmp=$(mktemp -d /tmp/gb-deps-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=test_lib.sh
source "$top/bench/tests/test_lib.sh"

mkdir -p "$tmp/bin"
# dpkg-query: the packages listed in $tmp/installed are installed.
cat >"$tmp/bin/dpkg-query" <<EOF
#!/bin/bash
grep -qxF -- "\${!#}" "$tmp/installed" && printf 'ii ' || printf 'un '
EOF
# apt-get: logs its arguments; "install" installs the packages given.
cat >"$tmp/bin/apt-get" <<EOF
#!/bin/bash
echo "apt-get \$*" >>"$tmp/apt.log"
echo "apt-get talks on stdout"
[[ \$1 != install ]] || for p; do [[ \$p == -* || \$p == install ]] || echo "\$p" >>"$tmp/installed"; done
EOF
printf '#!/bin/bash\necho "${GB_TEST_UID:-0}"\n' >"$tmp/bin/id"
chmod +x "$tmp/bin/"*
: >"$tmp/installed"
deps() { PATH=$tmp/bin:$PATH "$top/scripts/install-deps.sh" "$@"; }

echo build-essential >"$tmp/installed"
expect_rc 0 deps core
expect_eq "$(cat "$tmp/out")" "" "stdout while installing"
grep -qx "install-deps: installing cmake pkg-config git libnuma-dev libjansson-dev" "$tmp/err" ||
	fail "what is installed is not said on stderr: $(cat "$tmp/err")"
grep -q "^apt-get install .* cmake pkg-config git libnuma-dev libjansson-dev$" "$tmp/apt.log" ||
	fail "apt-get not asked for the missing packages: $(cat "$tmp/apt.log")"
grep -q "build-essential" "$tmp/apt.log" && fail "an installed package was installed again"

# Everything there: nothing run, nothing said.
rm "$tmp/apt.log"
expect_rc 0 deps core
expect_eq "$(cat "$tmp/out")$(cat "$tmp/err")" "" "output of a run with nothing to do"
[[ ! -e $tmp/apt.log ]] || fail "apt-get run with nothing missing"

expect_rc 2 deps nosuchgroup
one_line_error "unknown group 'nosuchgroup'"
GB_TEST_UID=1000 expect_rc 3 deps stats
one_line_error "missing packages: libgsl-dev gnuplot-nox libpng-dev; run as root"
echo "PASS [$case_name]"
