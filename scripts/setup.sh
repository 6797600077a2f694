#!/usr/bin/env bash
# setup.sh - install what reluvet needs (Debian 12 packages, listed once in
# scripts/deps.sh) if missing, then configure and build.
# Usage: scripts/setup.sh [build-dir] [extra cmake args...]
# RELUVET_DEP_GROUPS (default "base optional") picks the groups of deps.sh
# to install: scripts/fuzz.sh and scripts/mpi.sh add theirs. Needs root (or
# sudo) only when a package is missing. One line per phase; apt's output
# goes to a log that is named when it fails.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
[ $# -gt 0 ] && shift
# shellcheck source=deps.sh
. "$here/scripts/deps.sh"

groups=${RELUVET_DEP_GROUPS:-base optional}
missing=() missing_optional=()
for g in $groups; do
  for p in $(rv_packages "$g"); do
    dpkg -s "$p" >/dev/null 2>&1 && continue
    if [ "$g" = optional ]; then missing_optional+=("$p"); else missing+=("$p"); fi
  done
done
if [ $((${#missing[@]} + ${#missing_optional[@]})) -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  log=$(mktemp /tmp/reluvet-setup-apt.XXXXXX.log)
  apt() { DEBIAN_FRONTEND=noninteractive $sudo apt-get -y -o Dpkg::Use-Pty=0 "$@" >>"$log" 2>&1; }
  echo "setup: apt-get update (log: $log)"
  apt update || { echo "setup: apt-get update failed, see $log" >&2; exit 1; }
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]} (a first install takes a few minutes)"
    apt install "${missing[@]}" ||
      { echo "setup: installing ${missing[*]} failed, see $log" >&2; tail -n 5 "$log" >&2; exit 1; }
  fi
  if [ ${#missing_optional[@]} -gt 0 ]; then
    echo "setup: installing optional ${missing_optional[*]}"
    apt install "${missing_optional[@]}" ||
      echo "setup: ${missing_optional[*]} not installed (see $log): its part is skipped"
  fi
  echo "setup: packages installed"
  rm -f "$log"
fi

echo "setup: configuring $build"
cmake -S "$here" -B "$build" "$@" >/dev/null
echo "setup: building (cmake --build, $(nproc) jobs)"
cmake --build "$build" -j"$(nproc)"
