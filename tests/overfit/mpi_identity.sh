#!/bin/sh
# mpi_identity.sh MPIEXEC RELUVET OUT - the MPI sweep gives the same per-run
# numbers as the single-process one, and a sweep checkpointed under MPI
# resumes without MPI, recomputing only the cells it lacks.
set -eu
mpiexec=$1 reluvet=$2 out=$3
# the JSON checks below need python3: say which package, not a riddle
. "$(dirname "$0")/../../scripts/deps.sh"
rv_need mpi_identity python3 || exit 1
rm -rf "$out"
grid="--profile quick --seeds 3 --d 1,3,100 --p 0.1,0.2"
# A grid this small may fail verdicts (exit 1); anything else is an error.
run() { "$@" || [ $? -eq 1 ]; }
run "$reluvet" overfit $grid --jobs 2 --out "$out/single" >/dev/null 2>"$out.single.log"
run "$mpiexec" -np 2 --oversubscribe "$reluvet" overfit $grid --out "$out/mpi" \
    >/dev/null 2>"$out.mpi.log"
# Resume without MPI from half of the MPI run's checkpoints.
mkdir -p "$out/resumed/cells"
ls "$out/mpi/cells" | awk 'NR % 2 == 1' | while read -r f; do
  cp "$out/mpi/cells/$f" "$out/resumed/cells/"; done
kept=$(ls "$out/resumed/cells" | wc -l)
run "$reluvet" overfit $grid --jobs 2 --out "$out/resumed" >/dev/null 2>"$out.resumed.log"
grep -q "($kept resumed)" "$out.resumed.log" ||
  { echo "resume did not reuse the $kept checkpointed cells"; exit 1; }
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
timing = {"seconds", "steps_per_s"}  # wall-clock figures differ run to run
def runs(name):
    cells = json.load(open(f"{out}/{name}/results.json"))["cells"]
    return {(c["kind"], json.dumps(c["key"], sort_keys=True), r["seed"]):
            {k: v for k, v in r.items() if k not in timing}
            for c in cells for r in c["runs"]}
single = runs("single")
for other in ("mpi", "resumed"):
    got = runs(other)
    if got.keys() != single.keys():
        sys.exit(f"{other}: different runs than the single-process sweep")
    bad = [k for k in single if got[k] != single[k]]
    if bad:
        sys.exit(f"{other}: {len(bad)} of {len(single)} runs differ, e.g. {bad[0]}")
print(f"identical: {len(single)} runs, single process = 2 MPI ranks = resumed")
PY
