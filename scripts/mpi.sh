#!/usr/bin/env bash
# mpi.sh - the MPI build (-DRELUVET_MPI=ON, Open MPI from Debian) and its
# tests: task dealing on 2 ranks, and the overfitting sweep under MPI giving
# the same per-run numbers as the single-process run. Usage: scripts/mpi.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build-mpi"
RELUVET_DEP_GROUPS="base optional mpi" "$here/scripts/setup.sh" "$build" \
    -DRELUVET_MPI=ON ${RELUVET_CMAKE_ARGS:-}
ctest --test-dir "$build" --output-on-failure -L mpi
