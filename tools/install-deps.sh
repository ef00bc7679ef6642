#!/usr/bin/env bash
# Install (as root) or name the Debian 12 packages that RPy needs to build
# and test.
#
#   tools/install-deps.sh           report what is missing and install it
#   tools/install-deps.sh --quiet   the same, but print nothing when all is present
#
# Every probe is a shell builtin or a file test, so a run on a complete
# machine costs a few milliseconds: `make` calls this on every build.
# pypy3 (a benchmark column) and graphviz (SVG dumps) are optional: a failure
# to install them is a warning. A failed optional install is remembered in
# build/.deps-optional-failed (removed by `make clean`) so that later builds
# do not retry apt-get each time.
set -eu

quiet=0
case "${1:-}" in
    --quiet) quiet=1 ;;
    "") ;;
    -h|--help)
        sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
        exit 0 ;;
    *)
        echo "usage: $0 [--quiet]" >&2
        exit 2 ;;
esac

root_dir=$(cd "$(dirname "$0")/.." && pwd)
stamp="$root_dir/build/.deps-optional-failed"

say() { [ "$quiet" = 1 ] || printf '%s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

have_llvm() {
    # llvm-config plus the LLVM-C headers of llvm-NN-dev (or llvm-dev).
    { have llvm-config-14 || have llvm-config; } || return 1
    for h in /usr/lib/llvm-14/include/llvm-c/Core.h /usr/lib/llvm-*/include/llvm-c/Core.h \
             /usr/include/llvm-c/Core.h; do
        [ -e "$h" ] && return 0
    done
    return 1
}

have_check() {
    [ -e /usr/include/check.h ] || { have pkg-config && pkg-config --exists check; }
}

missing=""
optional_missing=""
have gcc        || missing="$missing gcc"
have make       || missing="$missing make"
have flex       || missing="$missing flex"
have bison      || missing="$missing bison"
have pkg-config || missing="$missing pkg-config"
have_check      || missing="$missing check"
have_llvm       || missing="$missing llvm-14-dev"
have python3    || missing="$missing python3"
[ -x /usr/bin/time ] || missing="$missing time"
have pypy3      || optional_missing="$optional_missing pypy3"
have dot        || optional_missing="$optional_missing graphviz"
# the real greenlet library: tests/rpy_package checks lib/rpy against it
[ -e /usr/lib/python3/dist-packages/greenlet/__init__.py ] || optional_missing="$optional_missing python3-greenlet"
missing=${missing# }
optional_missing=${optional_missing# }

if [ -z "$missing" ] && [ -z "$optional_missing" ]; then
    say "rpy: all build and test dependencies are present"
    exit 0
fi

# Only optional packages are missing and an earlier install of them failed:
# do not hit apt-get again on every build.
if [ -z "$missing" ] && [ -e "$stamp" ]; then
    say "rpy: warning: optional packages missing: $optional_missing (earlier install failed; rm $stamp to retry)"
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    if [ -n "$missing" ]; then
        echo "rpy: missing Debian packages: $missing; run as root: apt-get install $missing" >&2
        [ -z "$optional_missing" ] || \
            echo "rpy: optional packages also missing: $optional_missing (apt-get install $optional_missing)" >&2
        exit 1
    fi
    say "rpy: warning: optional packages missing: $optional_missing; as root: apt-get install $optional_missing"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt_quiet() {
    # In --quiet mode apt's chatter is shown only when it fails.
    if [ "$quiet" = 1 ]; then
        log=$(mktemp)
        if "$@" >"$log" 2>&1; then rm -f "$log"; return 0; fi
        cat "$log" >&2; rm -f "$log"; return 1
    fi
    "$@"
}

echo "rpy: installing Debian packages: $missing${missing:+ }$optional_missing" >&2
apt_quiet apt-get update || echo "rpy: warning: apt-get update failed" >&2

if [ -n "$missing" ]; then
    pkgs=$missing
    # Prefer llvm-14-dev (Debian 12); fall back to the unversioned llvm-dev.
    case " $pkgs " in
        *" llvm-14-dev "*)
            if ! apt-cache show llvm-14-dev >/dev/null 2>&1; then
                pkgs=$(printf '%s\n' "$pkgs" | sed 's/llvm-14-dev/llvm-dev/')
            fi ;;
    esac
    # shellcheck disable=SC2086  # word splitting of the package list is intended
    if ! apt_quiet apt-get install -y --no-install-recommends $pkgs; then
        echo "rpy: failed to install: $pkgs" >&2
        exit 1
    fi
fi

failed=""
for p in $optional_missing; do
    apt_quiet apt-get install -y --no-install-recommends "$p" || failed="$failed $p"
done
failed=${failed# }
if [ -n "$failed" ]; then
    echo "rpy: warning: could not install optional packages: $failed (benchmarks skip pypy3, no SVG dumps)" >&2
    mkdir -p "$(dirname "$stamp")" && : >"$stamp"
else
    rm -f "$stamp"
fi
echo "rpy: dependencies installed" >&2
exit 0
