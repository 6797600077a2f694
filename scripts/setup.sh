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
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cmake -S "$here" -B "$build" "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
