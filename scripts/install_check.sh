#!/usr/bin/env bash
# install_check.sh - reluvet installs like a library: a fresh build with
# -DBUILD_TESTING=OFF (neither cmocka nor Google Benchmark required), installed
# into a temporary prefix, used from outside (tests/consumer: find_package and
# pkg-config), no path of the source or build tree in anything installed, and
# the installed CLI running its benchmark from another folder, also after the
# whole prefix has moved. One line per phase, then the total time.
# Usage: scripts/install_check.sh [extra cmake args...]
# Everything goes into one mktemp folder, removed at the end (kept, and named,
# when RELUVET_KEEP=1). Needs the packages of scripts/setup.sh, and pkg-config.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=deps.sh
. "$here/scripts/deps.sh"
start=$SECONDS
fail() { echo "install_check: FAILED: $*" >&2; exit 1; }
phase() { echo "install_check: $* ($((SECONDS - start)) s)"; }

rv_need install_check cmake cc strings pkg-config >&2 || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/reluvet-install-check.XXXXXX")
cleanup() {
  if [ "${RELUVET_KEEP:-0}" = 1 ]; then
    echo "install_check: kept $tmp"
  else
    rm -rf -- "$tmp"
  fi
}
trap cleanup EXIT
build=$tmp/build prefix=$tmp/prefix log=$tmp/log
# The last lines of the log of a failed step, then the failure.
step_failed() { tail -n 25 "$log" >&2; fail "$*"; }

cmake -S "$here" -B "$build" -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=Release "$@" >"$log" 2>&1 ||
  step_failed "configuring $here with -DBUILD_TESTING=OFF"
phase "configured a fresh build with -DBUILD_TESTING=OFF"

# Configuring with cmocka and Google Benchmark hidden must work too.
cmake -S "$here" -B "$tmp/build-bare" -DBUILD_TESTING=OFF -DCMAKE_DISABLE_FIND_PACKAGE_cmocka=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON "$@" >"$log" 2>&1 ||
  step_failed "configuring without cmocka and Google Benchmark"
grep -q "reluvet-bench is not built" "$log" ||
  step_failed "configuring without Google Benchmark did not say that reluvet-bench is not built"
phase "configured without cmocka and Google Benchmark"

cmake --build "$build" -j"${RELUVET_JOBS:-$(nproc)}" >"$log" 2>&1 || step_failed "building"
phase "built"

cmake --install "$build" --prefix "$prefix" >"$log" 2>&1 || step_failed "cmake --install"
have_bench=0
[ -x "$build/bench/reluvet-bench" ] && have_bench=1
expected="bin/reluvet lib/libreluvet.a lib/libreluvet_wisdom.a include/reluvet/reluvet.h
  include/reluvet/variants.def lib/cmake/reluvet/reluvetConfig.cmake
  lib/cmake/reluvet/reluvetConfigVersion.cmake lib/pkgconfig/reluvet.pc
  share/doc/reluvet/LICENSE"
[ "$have_bench" = 1 ] &&
  expected="$expected libexec/reluvet/reluvet-bench share/reluvet/peers/torch_step.py"
for f in $expected; do
  [ -e "$prefix/$f" ] || fail "cmake --install did not install $f"
done
phase "installed $(find "$prefix" -type f | wc -l) files into a temporary prefix"

bash "$here/tests/consumer/check.sh" "$prefix" "$tmp/consumer" | sed 's/^/install_check: /' ||
  fail "the consumer (tests/consumer) against the installed prefix"
phase "consumer built and ran both ways"

# No path of this source tree or of the build in anything installed.
n=$(strings "$prefix/bin/reluvet" | grep -c -F -e "$here" -e "$build" || true)
[ "$n" -eq 0 ] || fail "bin/reluvet names the source or build tree $n times"
leaks=$(grep -rlF -e "$here" -e "$build" "$prefix" || true)
[ -z "$leaks" ] || fail "installed files name the source or build tree: $leaks"
phase "no installed file names $here or the build tree"

# The installed CLI runs its helpers from another folder, then from a moved
# prefix (one benchmark case: the whole --quick set takes about a minute).
filter='^relu_fwd/[a-z-]+/f32/cache/64x256/t1'
bench_from() { # bench_from PREFIX OUT
  mkdir -p "$tmp/elsewhere"
  (cd "$tmp/elsewhere" && "$1/bin/reluvet" bench --quick --no-torch --filter "$filter" \
    --out "$2") >"$log" 2>&1 || step_failed "$1/bin/reluvet bench"
  if [ ! -s "$2/bench.json" ] || [ ! -s "$2/bench.md" ]; then
    fail "$1/bin/reluvet bench wrote no report"
  fi
}
if [ "$have_bench" = 1 ]; then
  bench_from "$prefix" "$tmp/bench1"
  phase "installed reluvet bench ran from another folder"
else
  phase "reluvet-bench not built (no Google Benchmark): bench runs skipped"
fi
mv "$prefix" "$tmp/moved"
if [ "$have_bench" = 1 ]; then
  bench_from "$tmp/moved" "$tmp/bench2"
fi
bash "$here/tests/consumer/check.sh" "$tmp/moved" "$tmp/consumer-moved" >"$log" 2>&1 ||
  step_failed "the consumer against the moved prefix"
phase "moved prefix: reluvet bench and the consumer still work"

echo "install_check: passed in $((SECONDS - start)) s"
