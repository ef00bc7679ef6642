#!/bin/sh
# Whole tracebacks, not only their last line: for each NAME.py here, the
# stderr of the compiled program must equal python3's (PYTHONPATH=lib),
# once CPython 3.11's caret lines (^^^ and ~~~) are left out, as RPy does
# not print them, and file names are cut to their last component (CPython
# makes the main script's path absolute; RPy prints it as given).
#
# usage: tests/tracebacks/run.sh RPY
rpy=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpy_tb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
cd "$here" || exit 1
for prog in *.py; do
    name=${prog%.py}
    PYTHONPATH=$root/lib timeout 60 python3 "$prog" >/dev/null 2>"$tmp/$name.py.err"
    grep -v '^ *[~^]*$' "$tmp/$name.py.err" | sed 's|File ".*/|File "|' >"$tmp/$name.want"
    if ! timeout 120 "$rpy" build "$prog" -o "$tmp/$name" >"$tmp/$name.build" 2>&1; then
        echo "FAIL $name: build failed"; sed 's/^/    /' "$tmp/$name.build" | head -5
        fail=$((fail + 1)); continue
    fi
    timeout 60 "$tmp/$name" >/dev/null 2>"$tmp/$name.got.raw"
    sed 's|File ".*/|File "|' "$tmp/$name.got.raw" >"$tmp/$name.got"
    if diff -u "$tmp/$name.want" "$tmp/$name.got" >"$tmp/$name.diff"; then
        echo "PASS $name"; pass=$((pass + 1))
    else
        echo "FAIL $name"; sed 's/^/    /' "$tmp/$name.diff" | head -20; fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
