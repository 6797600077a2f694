#!/usr/bin/env bash
# interrupt.sh - `reluvet tune` killed midway (SIGTERM, then SIGKILL) leaves
# a valid wisdom file holding what it finished, and a second run resumes
# from it instead of tuning those problems again.
# Usage: interrupt.sh <path to reluvet>
set -euo pipefail
reluvet=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export RELUVET_WISDOM="$tmp/wisdom.json"
problems=()
for m in 11 12 13 14 15 16 17 18 19 20 21 22; do
  problems+=("layer_fwd:f64:40,7,$m")
done

for sig in TERM KILL; do
  rm -f "$RELUVET_WISDOM"
  "$reluvet" tune --threads 1 --budget 0.05 "${problems[@]}" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  # wait until at least one problem has been saved, then interrupt
  for _ in $(seq 1 600); do
    [ -s "$RELUVET_WISDOM" ] && break
    sleep 0.05
  done
  kill -"$sig" "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  "$reluvet" tune --show >"$tmp/show" || { echo "FAIL ($sig): wisdom unusable"; cat "$tmp/show"; exit 1; }
  saved=$(grep -c '^layer_fwd' "$tmp/show" || true)
  [ "$saved" -ge 1 ] || { echo "FAIL ($sig): nothing saved"; exit 1; }
  [ "$saved" -lt ${#problems[@]} ] || { echo "FAIL ($sig): the run was not interrupted"; exit 1; }
  "$reluvet" tune --threads 1 --budget 0.05 "${problems[@]}" >"$tmp/out2" 2>"$tmp/err2"
  resumed=$(grep -c 'from wisdom' "$tmp/err2" || true)
  [ "$resumed" -ge "$saved" ] || {
    echo "FAIL ($sig): $saved saved but only $resumed reused"; exit 1; }
  echo "$sig: $saved problem(s) saved before the kill, $resumed reused on the rerun"
done
