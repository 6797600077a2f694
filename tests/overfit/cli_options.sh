#!/usr/bin/env bash
# cli_options.sh RELUVET - every bad option of `reluvet overfit` is refused
# with exit code 2, one line on stderr and nothing run (no results folder).
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # expected-rc args...
  local want=$1; shift
  "$bin" overfit --out "$tmp/out" "$@" >"$tmp/o" 2>"$tmp/e"
  local rc=$? lines
  lines=$(wc -l <"$tmp/e")
  if [ "$rc" -ne "$want" ] || { [ "$want" -eq 2 ] && [ "$lines" -ne 1 ]; } ||
     [ -e "$tmp/out" ]; then
    echo "FAIL: overfit $* -> rc $rc (want $want), $lines stderr line(s):"; cat "$tmp/e"
    fail=1
  fi
}
check 2 --profile nope
check 2 --seeds x
check 2 --seeds 1
check 2 --n 1
check 2 --n 10 --n-small 6
check 2 --d 2,10,100
check 2 --d 1,10
check 2 --d 1,100,10
check 2 --d 1,,10
check 2 --p 0.3,0.1
check 2 --p 0.6,0.7
check 2 --p 0
check 2 --width 0
check 2 --width 1000000 --d 1,10,100000
check 2 --test-points 100
check 2 --trainer sgd
check 2 --lr-hinge 0
check 2 --lr-logistic nan
check 2 --hinge-steps -5
check 2 --hinge-target 0
check 2 --init-w 0
check 2 --alpha 0.7
check 2 --jobs 0
check 2 --threads 5000
check 2 --seed -1
check 2 --wisdom ""
check 2 --out ""
grep -qx "reluvet overfit: --out: empty folder name" "$tmp/e" || { echo "FAIL: --out '': $(cat "$tmp/e")"; fail=1; }
# a results folder whose files' paths could not fit (checkpoint.h: RVO_OUT_MAX)
check 2 --out "$tmp/out/$(printf 'x%.0s' $(seq 1 3800))"
grep -qx "reluvet overfit: --out: the folder name is [0-9]* bytes long, at most 3800" "$tmp/e" ||
  { echo "FAIL: long --out: $(cat "$tmp/e")"; fail=1; }
check 2 --form bogus
check 2 --form reduced --d 1,10,100000         # d = 1 cannot be drawn reduced
check 2 --form subspace --trainer adam         # Adam leaves the span of the inputs
check 2 --form direct --d 1,10,1e10            # W0 alone would take 37 TiB
check 2 --d 1,10,1e13                          # above 10^12
check 2 --d 1,10,100.5
check 2 --width
check 2 --bogus 1
check 2 stray
check 0 --help
# another command's exit status: expect RC COMMAND args...
expect() {
  local want=$1; shift
  "$bin" "$@" >"$tmp/o" 2>"$tmp/e"
  local rc=$?
  [ "$rc" -eq "$want" ] || { echo "FAIL: $* -> rc $rc (want $want)"; cat "$tmp/e"; fail=1; }
}
# reluvet compare: usage errors are 2; missing or foreign results are 1
cmp() { local want=$1; shift; expect "$want" compare "$@"; }
printf '{"cells": []}' >"$tmp/empty.json"
printf '{"verdicts": []}' >"$tmp/foreign.json"
cmp 2
cmp 2 "$tmp/empty.json"
cmp 2 "$tmp/empty.json" "$tmp/empty.json" "$tmp/empty.json"
cmp 2 "$tmp/empty.json" "$tmp/empty.json" --alpha 2
cmp 2 "$tmp/empty.json" "$tmp/empty.json" --bogus
cmp 1 "$tmp/none" "$tmp/empty.json"
cmp 1 "$tmp/empty.json" "$tmp/foreign.json"
grep -q "no 'cells' array" "$tmp/e" || { echo "FAIL: foreign results: $(cat "$tmp/e")"; fail=1; }
cmp 0 "$tmp/empty.json" "$tmp/empty.json" --alpha=0.05
cmp 0 --help
# reluvet minnorm: usage errors are 2, before any run
mn() { local want=$1; shift; expect "$want" minnorm "$@"; }
mn 2 --n 100
mn 1 --n 2,3 --p 0.1,0.2 --seeds 2 --test-points 1000   # the verdict cannot pass at this size
mn 2 --n 300,100
mn 2 --n 1,100
mn 2 --p 0.1,0.6
mn 2 --seeds 1
mn 2 --test-points 10
mn 2 --alpha 0.7
mn 2 --bogus 1
mn 2 stray
mn 2 --seeds
mn 0 --help
[ "$fail" -eq 0 ] && echo "all option checks passed"
exit "$fail"
