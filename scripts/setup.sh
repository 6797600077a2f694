#!/usr/bin/env bash
# setup.sh - install what reluvet needs (Debian 12 packages) if missing, then
# configure and build. Usage: scripts/setup.sh [build-dir] [extra cmake args...]
# Needs root (or sudo) only when a package is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
[ $# -gt 0 ] && shift

packages=(build-essential cmake libblis-dev libcjson-dev libcmocka-dev
          libbenchmark-dev lcov gnuplot-nox)
# Tools only some builds need (clang for fuzzing, Open MPI): the scripts that
# need them name them here.
# shellcheck disable=SC2206
packages+=(${RELUVET_EXTRA_PACKAGES:-})
# Optional: the oneDNN peer of the benchmarks (skipped by the build if absent).
optional=(libdnnl-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
missing_optional=()
for p in "${optional[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing_optional+=("$p")
done
if [ $((${#missing[@]} + ${#missing_optional[@]})) -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if [ ${#missing_optional[@]} -gt 0 ]; then
    echo "setup: installing optional ${missing_optional[*]}"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing_optional[@]}" \
      >/dev/null || echo "setup: ${missing_optional[*]} not installed: its peer is skipped"
  fi
fi

cmake -S "$here" -B "$build" "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
