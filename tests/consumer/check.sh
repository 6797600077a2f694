#!/usr/bin/env bash
# check.sh - build and run the outside consumer (tests/consumer) against an
# installed reluvet, both ways a user would: CMake (find_package(reluvet),
# reluvet::reluvet, reluvet::wisdom) and pkg-config (cc ... $(pkg-config
# --cflags --libs --static reluvet)). One line per way.
# Usage: check.sh [--install BUILD] PREFIX WORK
#   --install BUILD   first `cmake --install BUILD --prefix PREFIX`
#   WORK              a folder that does not exist yet (created; not removed)
# Used by scripts/install_check.sh and the ctest test install_consumer.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=""
if [ "${1:-}" = --install ]; then
  build=$2
  shift 2
fi
[ $# -eq 2 ] || { echo "usage: $0 [--install BUILD] PREFIX WORK" >&2; exit 2; }
prefix=$1 work=$2
cmake=${CMAKE:-cmake} # ctest passes its own
fail() { echo "consumer: FAILED: $*" >&2; exit 1; }
[ ! -e "$work" ] || fail "$work exists (give a new folder)"
mkdir -p "$work"
log="$work/log"

if [ -n "$build" ]; then
  "$cmake" --install "$build" --prefix "$prefix" >"$log" 2>&1 ||
    { tail -n 20 "$log" >&2; fail "cmake --install $build --prefix $prefix"; }
fi
prefix=$(cd "$prefix" && pwd)

# CMake: find_package(reluvet) from the prefix, nothing else on the path.
"$cmake" -S "$here" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  >"$log" 2>&1 || { tail -n 20 "$log" >&2; fail "configuring tests/consumer (find_package)"; }
"$cmake" --build "$work/cmake" >"$log" 2>&1 ||
  { tail -n 20 "$log" >&2; fail "building tests/consumer (find_package)"; }
"$work/cmake/consumer" >"$log" 2>&1 || { cat "$log" >&2; fail "consumer (CMake build)"; }
"$work/cmake/consumer_wisdom" >>"$log" 2>&1 ||
  { cat "$log" >&2; fail "consumer_wisdom (CMake build)"; }
echo "consumer: find_package(reluvet): built and ran consumer and consumer_wisdom"

# pkg-config: libreluvet is static, so --static brings BLIS, OpenMP, libm.
# shellcheck source=../../scripts/deps.sh
. "$here/../../scripts/deps.sh"
rv_need consumer pkg-config >&2 || exit 1
pcdir=$(find "$prefix" -name reluvet.pc -path '*/pkgconfig/*' -printf '%h\n' | head -n 1)
[ -n "$pcdir" ] || fail "no reluvet.pc under $prefix"
export PKG_CONFIG_PATH="$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
cc=${CC:-cc}
# shellcheck disable=SC2046
"$cc" -O2 -o "$work/pc_consumer" "$here/main.c" $(pkg-config --cflags --libs --static reluvet) \
  >"$log" 2>&1 || { cat "$log" >&2; fail "cc main.c \$(pkg-config --cflags --libs --static reluvet)"; }
# shellcheck disable=SC2046
"$cc" -O2 -o "$work/pc_consumer_wisdom" "$here/wisdom.c" \
  $(pkg-config --cflags --libs --static reluvet-wisdom) >"$log" 2>&1 ||
  { cat "$log" >&2; fail "cc wisdom.c \$(pkg-config --cflags --libs --static reluvet-wisdom)"; }
"$work/pc_consumer" >"$log" 2>&1 || { cat "$log" >&2; fail "consumer (pkg-config build)"; }
"$work/pc_consumer_wisdom" >>"$log" 2>&1 ||
  { cat "$log" >&2; fail "consumer_wisdom (pkg-config build)"; }
echo "consumer: pkg-config --static reluvet, reluvet-wisdom: built and ran both"
