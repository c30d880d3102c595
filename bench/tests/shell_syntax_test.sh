#!/bin/bash
# Every shell script parses.  A test script with a syntax error inside one
# case of its 'case' statement skips that case and exits 0, so it would
# pass without testing anything: this catches that before it can.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bad=0
n=0
for f in "$top"/scripts/*.sh "$top"/bench/tests/*.sh "$top"/.ci/run; do
	n=$((n + 1))
	bash -n "$f" || { echo "FAIL: $f does not parse"; bad=1; }
done
# The guest's scripts run under busybox sh: POSIX sh syntax.
for f in "$top"/scripts/guest/*; do
	n=$((n + 1))
	sh -n "$f" || { echo "FAIL: $f does not parse"; bad=1; }
done
echo "$n scripts parsed"
exit "$bad"
