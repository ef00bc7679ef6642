#!/usr/bin/env bash
# Differential conformance tests: compile each program with RPY, run it, and
# compare with python3 (the shared runner ../shared/tools/difftest).
#
#   tests/difftest.sh RPY [difftest options...]
#   e.g. tests/difftest.sh ./rpy --jobs 4 --keep /tmp/dt
#
# The folders come from tests/difftest.list (one path per line, relative to
# the checkout root; "shared/..." means inside the shared folder, the sibling
# of the checkout; "#" starts a comment). RPY_CFLAGS_EXTRA and RPY_GC_STRESS
# pass through to the compiler and the programs unchanged. The exit status is
# difftest's, and its closing "N passed, N failed" is the last line printed.
set -eu

if [ $# -lt 1 ]; then
    echo "usage: $0 RPY [difftest options...]" >&2
    exit 2
fi
rpy=$1
shift

root=$(cd "$(dirname "$0")/.." && pwd)
shared="$(cd "$root/.." && pwd)/shared"
if [ ! -x "$shared/tools/difftest" ]; then
    echo "difftest.sh: the shared folder is missing: expected $shared/tools/difftest" >&2
    echo "difftest.sh: check out the spec folder 'shared' beside the checkout ($root)" >&2
    exit 1
fi

# The compiler path is taken relative to the caller's folder; we run from the
# checkout root (for --pythonpath lib and stable relative paths).
case "$rpy" in
    */*) [ -e "$rpy" ] && rpy=$(cd "$(dirname "$rpy")" && pwd)/$(basename "$rpy") ;;
esac

cd "$root"
list=tests/difftest.list
if [ ! -f "$list" ]; then
    echo "difftest.sh: missing $list" >&2
    exit 1
fi

paths=()
while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    line=$(printf '%s' "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
    [ -n "$line" ] || continue
    case "$line" in
        shared/*) line="../shared/${line#shared/}" ;;
    esac
    if [ ! -e "$line" ]; then
        echo "difftest.sh: $list names a missing path: $line" >&2
        exit 1
    fi
    paths+=("$line")
done <"$list"

if [ ${#paths[@]} -eq 0 ]; then
    echo "difftest.sh: $list names no folders" >&2
    exit 1
fi

exec "$shared/tools/difftest" --rpy "$rpy" --pythonpath lib "$@" "${paths[@]}"
