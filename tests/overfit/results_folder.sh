#!/usr/bin/env bash
# results_folder.sh RELUVET OUT - the results folder of `reluvet overfit` is
# safe: a second run on a folder in use is refused (exit 1, naming the
# holder) and the first finishes alone; a run killed with SIGKILL leaves a
# stale lock that the rerun takes over, resuming to the uninterrupted
# results; close noise rates get checkpoints of their own and resume; a long
# --out keeps its checkpoints inside it (and one too long is a usage error);
# impossible checkpoint values are refused, the file left as it is; a cells
# folder where nothing can be written fails before any run.
set -u
set -m # background jobs get signals like a foreground run
r=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
cd "$out" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
small=(overfit --profile quick --d 1,3,10 --p 0.1,0.2 --seeds 2 --width 50 --hinge-steps 2000
       --logistic-steps 20 --jobs 1)
cells() { ls "$1" 2>/dev/null | grep -c '^cell-.*\.json$'; }
# ok RC: a sweep that ran (0 or 1: a grid this small may fail verdicts)
ok() { [ "$1" -eq 0 ] || [ "$1" -eq 1 ]; }
# the runs of a results.json without wall-clock figures, for comparisons
runs() {
  python3 - "$1" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1]))["cells"]:
    for r in c["runs"]:
        r.pop("seconds"); r.pop("steps_per_s")
        print(c["kind"], json.dumps(c["key"], sort_keys=True), json.dumps(r, sort_keys=True))
PY
}
wait_for() { # FILE-TEST... : up to 30 s
  for _ in $(seq 1 600); do eval "$1" && return 0; sleep 0.05; done
  return 1
}

# --- A: one run at a time ---------------------------------------------------
"$r" "${small[@]}" --seeds 150 --out A >A1.out 2>A1.err &
pid=$!
wait_for '[ -s A/.lock ]' || fail "A: no lock file while the first run works"
"$r" "${small[@]}" --width 60 --out A >A2.out 2>A2.err
rc=$?
last=$(tail -n 1 A2.err)
[ "$rc" -eq 1 ] || fail "A: second run on a folder in use: exit $rc, want 1"
printf '%s\n' "$last" | grep -Eq "^reluvet overfit: results folder A is in use by pid $pid on host [^ ]+, running since [0-9-]+ [0-9:]+ UTC: wait for it to finish or use another --out$" ||
  fail "A: refusal does not name the holder: '$last'"
wait "$pid"
ok $? || fail "A: the first run failed: $(tail -n 1 A1.err)"
[ ! -e A/.lock ] || fail "A: the lock outlived its run"
python3 - A <<'PY' || fail "A: results.json, report.md and cells disagree"
import json, glob, sys
d = sys.argv[1]
widths = {c["key"]["width"] for c in json.load(open(f"{d}/results.json"))["cells"]}
widths |= {json.load(open(f))["key"]["width"] for f in glob.glob(f"{d}/cells/*.json")}
assert widths == {50}, widths
assert "width m=50" in open(f"{d}/report.md").read()
PY

# SIGKILL mid-sweep: the lock stays behind, stale; the rerun takes it over
# and resumes to the results of an uninterrupted run.
"$r" "${small[@]}" --seeds 60 --out K >/dev/null 2>K1.err &
pid=$!
wait_for '[ "$(cells K/cells)" -ge 2 ]' || fail "K: no cell was saved"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
saved=$(cells K/cells)
[ -s K/.lock ] || fail "K: SIGKILL left no lock file (nothing to take over)"
"$r" "${small[@]}" --seeds 60 --out K >/dev/null 2>K2.err
ok $? || fail "K: the rerun failed: $(tail -n 1 K2.err)"
grep -Eq "^overfit: K/\.lock: took over the lock of pid $pid on host [^ ]+, started .* UTC, which is no longer running$" K2.err ||
  fail "K: the stale lock was not reported taken over: $(cat K2.err)"
grep -q "($saved resumed)" K2.err || fail "K: $saved cells saved, not all resumed"
[ ! -e K/.lock ] || fail "K: the lock outlived the rerun"
"$r" "${small[@]}" --seeds 60 --out K-whole >/dev/null 2>&1
cmp -s <(runs K/results.json) <(runs K-whole/results.json) ||
  fail "K: the resumed sweep differs from the uninterrupted one"

# --- B: close noise rates ---------------------------------------------------
"$r" "${small[@]}" --p 0.10001,0.10004 --out B >/dev/null 2>B1.err
ok $? || fail "B: first run: $(tail -n 1 B1.err)"
[ "$(cells B/cells)" -eq 10 ] || fail "B: $(cells B/cells) checkpoints for 10 cells"
"$r" "${small[@]}" --p 0.10001,0.10004 --out B >/dev/null 2>B2.err
ok $? || fail "B: the identical command does not resume: $(tail -n 1 B2.err)"
grep -q "(10 resumed)" B2.err || fail "B: not every cell resumed: $(tail -n 1 B2.err)"

# --- C: long --out ----------------------------------------------------------
long=$PWD/C
while [ ${#long} -lt 612 ]; do long=$long/$(printf 'y%.0s' $(seq 1 100)); done
long=${long:0:612}
"$r" "${small[@]}" --out "$long" >/dev/null 2>C.err
ok $? || fail "C: a 612-byte --out failed: $(tail -n 1 C.err)"
[ "$(cells "$long/cells")" -eq 10 ] || fail "C: $(cells "$long/cells") of 10 cells in --out/cells"
stray=$(find C -name 'cell-*.json' | grep -vc "^${long#"$PWD"/}/cells/")
[ "$stray" -eq 0 ] || fail "C: $stray checkpoints outside --out/cells"
huge=$PWD/C2
for _ in $(seq 1 20); do huge=$huge/$(printf 'z%.0s' $(seq 1 200)); done
"$r" "${small[@]}" --out "$huge" >/dev/null 2>C2.err
rc=$?
[ "$rc" -eq 2 ] && grep -Eq "^reluvet overfit: --out: the folder name is [0-9]+ bytes long, at most 3800$" C2.err &&
  [ "$(wc -l <C2.err)" -eq 1 ] && [ ! -e C2 ] ||
  fail "C: a ${#huge}-byte --out: exit $rc: $(tail -n 1 C2.err | cut -c1-200)"

# --- D: impossible checkpoint values ---------------------------------------
"$r" "${small[@]}" --out D >/dev/null 2>&1
cell=D/cells/cell-d10-n20-p0.1000-bias.json
cp "$cell" good.json
bad_ckpt() { # NAME SED-EXPRESSION REGEX
  cp good.json "$cell"
  sed -i "$2" "$cell"
  cmp -s good.json "$cell" && { fail "D $1: the edit did nothing"; return; }
  cp "$cell" edited.json
  "$r" "${small[@]}" --out D >/dev/null 2>D.err
  local rc=$?
  [ "$rc" -eq 1 ] || fail "D $1: exit $rc, want 1"
  tail -n 1 D.err | grep -Eq "^reluvet overfit: checkpoint $cell$3$" ||
    fail "D $1: '$(tail -n 1 D.err)'"
  cmp -s edited.json "$cell" || fail "D $1: the refused checkpoint was changed"
}
bad_ckpt clean-negative '0,/"clean_error":\t[^,]*/s//"clean_error":\t-3/' \
  ': run 0: clean_error = -3 is out of range \[0, 1\]'
bad_ckpt clean-huge '0,/"clean_error":\t[^,]*/s//"clean_error":\t1e308/' \
  ': run 0: clean_error = 1e\+308 is out of range \[0, 1\]'
bad_ckpt flips-negative '0,/"flips":\t[0-9]*/s//"flips":\t-5/' \
  ': run 0: flips = -5: expected an integer in 0..20'
bad_ckpt seed-fraction '0,/"seed":\t0/s//"seed":\t2.7/' \
  ': run 0: seed = 2.7: expected an integer in 0..0'
bad_ckpt trailing-garbage '$a garbage' \
  ' is malformed \(data after the JSON document at byte [0-9]+ of [0-9]+\)'
bad_ckpt second-document '$r good.json' \
  ' is malformed \(data after the JSON document at byte [0-9]+ of [0-9]+\)'
cp good.json "$cell"
"$r" "${small[@]}" --out D >/dev/null 2>D.err
grep -q "(10 resumed)" D.err || fail "D: the restored checkpoint does not load"

# --- E: a cells folder where nothing can be written -------------------------
mkdir E
ln -s /proc E/cells # a folder in which even root cannot create a file
"$r" "${small[@]}" --out E >/dev/null 2>E.err
rc=$?
[ "$rc" -eq 1 ] || fail "E: exit $rc, want 1"
tail -n 1 E.err | grep -Eq "^reluvet overfit: checkpoint folder E/cells is not writable: cannot create a file in it: .+$" ||
  fail "E: '$(tail -n 1 E.err)'"
! grep -Eq "runs [1-9][0-9]*/" E.err || fail "E: runs were computed before the check"
[ ! -e E/.lock ] || fail "E: the lock outlived the failed run"

[ "$fails" -eq 0 ] && echo "results_folder: all passed"
exit $((fails > 0))
