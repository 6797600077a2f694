#!/usr/bin/env bash
# sanitize.sh - build everything with AddressSanitizer + UBSan (Debug) and
# run the test suite under them (all but the e2e sweep, minutes at -O0 under
# ASan; overfit_tiny_report runs the same code path end to end on a tiny
# grid). Any report fails the run.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build-asan"
"$here/scripts/setup.sh" "$build" -DRELUVET_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
    -DRELUVET_WERROR=ON
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" -LE e2e
