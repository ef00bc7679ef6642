#!/usr/bin/env bash
# Run Check unit-test binaries and total their results.
#
#   tools/run-unit-tests.sh build/tests/test_a build/tests/test_b ...
#
# Each binary's output is shown as it runs. Check's summary lines
# ("100%: Checks: 12, Failures: 0, Errors: 0") are summed over all binaries;
# the last line printed is "N passed, N failed" counting individual checks.
# A binary that dies by a signal, exits non-zero with no failed check, or
# prints no summary at all counts as one more failure. Exit status 1 if
# anything failed (or if no binary was given: a suite that runs nothing
# must not pass).
set -eu

export CK_FORK=yes

if [ $# -eq 0 ]; then
    echo "run-unit-tests: no unit-test binaries given" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

summary_re='^[0-9]+%: Checks: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+)'
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for bin in "$@"; do
    echo "== $bin"
    if [ ! -x "$bin" ]; then
        echo "run-unit-tests: $bin: not an executable file"
        failed=$((failed + 1))
        continue
    fi
    "$bin" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    checks=0 bad=0 seen=0
    while IFS= read -r line; do
        if [[ $line =~ $summary_re ]]; then
            seen=1
            checks=$((checks + BASH_REMATCH[1]))
            bad=$((bad + BASH_REMATCH[2] + BASH_REMATCH[3]))
        fi
    done <"$log"
    passed=$((passed + checks - bad))
    failed=$((failed + bad))
    if [ "$status" -gt 128 ]; then
        echo "run-unit-tests: $bin: killed by signal $((status - 128))"
        failed=$((failed + 1))
    elif [ "$seen" = 0 ]; then
        echo "run-unit-tests: $bin: no Check summary line (exit status $status)"
        failed=$((failed + 1))
    elif [ "$status" -ne 0 ] && [ "$bad" = 0 ]; then
        echo "run-unit-tests: $bin: exit status $status although no check failed"
        failed=$((failed + 1))
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
