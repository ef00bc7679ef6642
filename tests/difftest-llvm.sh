#!/usr/bin/env bash
# The differential suite through the LLVM backend: tests/difftest.sh with a
# compiler that is RPY given --backend=llvm.
#
#   tests/difftest-llvm.sh RPY [difftest options...]
#   e.g. tests/difftest-llvm.sh ./rpy --jobs 4 --keep /tmp/dt-llvm
#
# The shared runner calls `RPY build FILE -o OUT` and takes no compiler
# flags, so RPY is wrapped in a two-line script that adds the flag (rpy
# finds its runtime from its own executable, so the wrapper can live in a
# temporary folder). Every module is checked by the LLVM verifier on the
# way (backend_llvm/build.c): a rejected module fails its program.
set -eu

if [ $# -lt 1 ]; then
    echo "usage: $0 RPY [difftest options...]" >&2
    exit 2
fi
rpy=$1
shift
case "$rpy" in
    /*) ;;
    *) rpy=$(cd "$(dirname "$rpy")" && pwd)/$(basename "$rpy") ;;
esac
if [ ! -x "$rpy" ]; then
    echo "difftest-llvm.sh: no compiler at $rpy" >&2
    exit 1
fi

wrapdir=$(mktemp -d "${TMPDIR:-/tmp}/rpy-llvm-XXXXXX")
trap 'rm -rf "$wrapdir"' EXIT
cat >"$wrapdir/rpy" <<EOF
#!/bin/sh
cmd=\$1
shift
exec "$rpy" "\$cmd" --backend=llvm "\$@"
EOF
chmod +x "$wrapdir/rpy"

"$(dirname "$0")/difftest.sh" "$wrapdir/rpy" "$@"
