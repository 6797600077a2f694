#!/usr/bin/env bash
# run.sh - the README's main job: set up (packages, configure, build), tune
# the harness's shapes into the wisdom file, verify every kernel against the
# reference (reluvet check), then reproduce the tempered-to-benign transition
# (reluvet overfit, standard profile: under 15 minutes on 2 cores), ending
# with the verdict table. Extra arguments go to `reluvet overfit`, e.g.
#   scripts/run.sh --profile quick
# Exit status: 0 only if every check and every verdict passed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${RELUVET_BUILD:-"$here/build"}
# shellcheck disable=SC2086
"$here/scripts/setup.sh" "$build" ${RELUVET_CMAKE_ARGS:-}
reluvet="$build/cli/reluvet"
echo "== reluvet check (every variant against the reference)"
"$reluvet" check --quiet
echo "== reluvet tune (the harness's training shapes, into the wisdom file overfit plans from)"
"$reluvet" tune
echo "== reluvet overfit"
"$reluvet" overfit --out "${RELUVET_RESULTS:-$here/results}" "$@"
