#!/bin/sh
# Tests of the pure-Python rpy package (lib/rpy: greenlet, tasklets, thread,
# atomic, transaction, stm) under CPython.
#
# For each case NAME.py here: runs `PYTHONPATH=lib python3 NAME.py` in this
# folder and compares stdout with NAME.out, the exit status with NAME.rc
# (default 0) and, if NAME.err exists, stderr with it. The programs of
# ../shared/conformance/stackless and ../shared/conformance/stm are checked
# against conformance/*.out (one flat folder: their names differ).
# If a python with the real greenlet library is found ($REAL_GREENLET_PYTHON,
# or /usr/bin/python3 with Debian's python3-greenlet), every greenlet_*
# program is also run on the real library (through a shim package `rpy`
# whose greenlet module is greenlet's) and must give the same results.
#
# usage: tests/rpy_package/run.sh   (from anywhere; PYTHON=... to choose)
# Prints one line per check and "N passed, N failed"; exit status 1 on a
# failure.

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${RPY_SHARED:-$root/../shared}
python=${PYTHON:-python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpy_package.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

# check LABEL DIR FILE.py EXPECTED_PREFIX PYTHONPATH PYTHON
check() {
    label=$1 dir=$2 prog=$3 exp=$4 pp=$5 py=$6
    (cd "$dir" && PYTHONPATH=$pp PYTHONHASHSEED=0 timeout 120 "$py" "$prog" \
        >"$tmp/out" 2>"$tmp/err")
    rc=$?
    want_rc=0
    [ -f "$exp.rc" ] && want_rc=$(cat "$exp.rc")
    why=""
    if ! cmp -s "$tmp/out" "$exp.out"; then
        why="stdout differs"
    elif [ "$rc" != "$want_rc" ]; then
        why="exit status $rc, expected $want_rc"
    elif [ -f "$exp.err" ]; then
        sed "s#$dir/##" "$tmp/err" >"$tmp/err2"
        cmp -s "$tmp/err2" "$exp.err" || why="stderr differs"
    fi
    if [ -z "$why" ]; then
        pass=$((pass + 1))
        echo "PASS $label"
    else
        fail=$((fail + 1))
        echo "FAIL $label: $why"
        if [ "$why" = "stdout differs" ]; then
            diff "$exp.out" "$tmp/out" | head -20 | sed 's/^/    /'
        elif [ "$why" = "stderr differs" ]; then
            diff "$exp.err" "$tmp/err2" | head -20 | sed 's/^/    /'
        else
            tail -5 "$tmp/err" | sed 's/^/    /'
        fi
    fi
}

for f in "$here"/*.py; do
    n=$(basename "$f" .py)
    check "$n" "$here" "$n.py" "$here/$n" "$root/lib" "$python"
done

for sub in stackless stm; do
    if [ -d "$shared/conformance/$sub" ]; then
        for f in "$shared/conformance/$sub"/*.py; do
            n=$(basename "$f" .py)
            check "conformance/$sub/$n" "$shared/conformance/$sub" \
                "$n.py" "$here/conformance/$n" "$root/lib" "$python"
        done
    else
        echo "(no $shared/conformance/$sub: skipped)"
    fi
done

real=${REAL_GREENLET_PYTHON:-/usr/bin/python3}
if [ -x "$real" ] && "$real" -c "import greenlet" 2>/dev/null; then
    mkdir -p "$tmp/shim/rpy"
    : >"$tmp/shim/rpy/__init__.py"
    echo "from greenlet import greenlet, getcurrent, GreenletExit, error" \
        >"$tmp/shim/rpy/greenlet.py"
    for f in "$here"/greenlet_*.py; do
        n=$(basename "$f" .py)
        check "real greenlet: $n" "$here" "$n.py" "$here/$n" "$tmp/shim" "$real"
    done
    for f in "$shared"/conformance/stackless/greenlet_*.py; do
        [ -f "$f" ] || continue
        n=$(basename "$f" .py)
        check "real greenlet: conformance/stackless/$n" \
            "$shared/conformance/stackless" "$n.py" "$here/conformance/$n" \
            "$tmp/shim" "$real"
    done
else
    echo "(no python with the greenlet library: cross-check skipped)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
