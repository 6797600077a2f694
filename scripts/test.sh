#!/usr/bin/env bash
# test.sh - the README's test command: set up (packages, configure, build),
# then run every test with ctest.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${RELUVET_BUILD:-"$here/build"}
# shellcheck disable=SC2086
"$here/scripts/setup.sh" "$build" ${RELUVET_CMAKE_ARGS:-}
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
