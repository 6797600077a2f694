#!/usr/bin/env bash
# coverage.sh - line and branch coverage of kernels/ and verify/ with lcov.
# Usage: reports/coverage.sh [build-dir]        (default: build-cov)
# Builds an instrumented tree (-DRELUVET_COVERAGE=ON) of its own, runs every
# test in it (the reluvet_check test included) except the e2e ones (a quick
# overfitting sweep at -O0 takes many minutes; scripts/test.sh runs it
# optimised), keeps the data of kernels/ and verify/,
# writes HTML under <build-dir>/reports/coverage, prints the summary, and
# exits 1 when line coverage is below RELUVET_MIN_LINE_COVERAGE percent
# (default 90).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build-cov"}
min=${RELUVET_MIN_LINE_COVERAGE:-90}
rc=(--rc lcov_branch_coverage=1)

"$here/scripts/setup.sh" "$build" -DRELUVET_COVERAGE=ON -DRELUVET_WERROR=ON
lcov "${rc[@]}" --quiet --zerocounters --directory "$build"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" -LE e2e
lcov "${rc[@]}" --quiet --capture --directory "$build" --output-file "$build/coverage-all.info"
lcov "${rc[@]}" --quiet --extract "$build/coverage-all.info" "$here/kernels/*" "$here/verify/*" \
    --output-file "$build/coverage.info"
genhtml "${rc[@]}" --quiet --output-directory "$build/reports/coverage" "$build/coverage.info"
echo "coverage of kernels/ and verify/ (HTML: $build/reports/coverage/index.html)," \
    "gate: lines >= $min%"
lcov "${rc[@]}" --summary "$build/coverage.info" --fail-under-lines "$min"
