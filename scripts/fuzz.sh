#!/usr/bin/env bash
# fuzz.sh - build the libFuzzer targets with clang (+ ASan/UBSan) and run
# each for a while. Usage: scripts/fuzz.sh [seconds-per-target] (default 15).
# New inputs found go to build-fuzz/corpus/<name>; the seed corpora under
# tests/fuzz/corpus are only read. Longer runs: scripts/fuzz.sh 600.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-15}
build="$here/build-fuzz"
RELUVET_DEP_GROUPS="base optional fuzz" "$here/scripts/setup.sh" "$build" \
    -DCMAKE_C_COMPILER=clang -DRELUVET_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
for src in "$here"/tests/fuzz/fuzz_*.c; do
  name=$(basename "$src" .c); name=${name#fuzz_}
  mkdir -p "$build/corpus/$name"
  echo "fuzz: $name for ${secs}s"
  "$build/tests/fuzz/fuzz_$name" -max_total_time="$secs" -max_len=4096 \
      -print_final_stats=1 "$build/corpus/$name" "$here/tests/fuzz/corpus/$name" 2>&1 |
    grep -E "^(stat::number_of_executed_units|stat::new_units_added)|ERROR|SUMMARY" || true
  # libFuzzer exits non-zero on a crash; pipefail would hide it behind grep.
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: $name FAILED"; exit 1; }
done
echo "fuzz: all targets clean"
