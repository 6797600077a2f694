#!/bin/sh
# tiny_report.sh RELUVET OUT - a sweep over a tiny grid (seconds) produces
# results.json, report.md and the figures, and its exit status is 0 exactly
# when the printed verdict table says "all PASSED". One of its 10 training
# shapes is tuned first: the runs of that shape plan from the wisdom file,
# the others are estimated, and the terminal and the report say so.
set -u
reluvet=$1 out=$2
# the JSON checks below need python3: say which package, not a riddle
. "$(dirname "$0")/../../scripts/deps.sh"
rv_need tiny_report python3 || exit 1
rm -rf "$out" "$out.wisdom.json"
fail() { echo "tiny_report: $*"; cat "$out.stderr"; exit 1; }
"$reluvet" tune --threads 1 --budget 0.01 --wisdom "$out.wisdom.json" layer_fwd:f64:20,3,500 \
    >"$out.stdout" 2>"$out.stderr" || fail "tune failed"
"$reluvet" overfit --profile quick --seeds 2 --d 1,3,100 --p 0.1,0.2 --out "$out" \
    --wisdom "$out.wisdom.json" >"$out.stdout" 2>"$out.stderr"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "exit status $rc"
kernels="kernels: 1 of 10 training plans tuned (wisdom file $out.wisdom.json, thread cap 1)"
grep -qF "overfit: $kernels; the others estimated" "$out.stderr" || fail "no '$kernels' line"
grep -qF -- "- $kernels" "$out/report.md" || fail "report.md does not say where kernels came from"
python3 - "$out/results.json" <<'PY' || fail "the runs did not plan from the wisdom as expected"
import json, sys
for cell in json.load(open(sys.argv[1]))["cells"]:
    for run in cell["runs"]:
        fwd = run["plan"].split("; ")[0]
        tuned = cell["key"]["n"] == 20 and cell["key"]["d"] == 3
        assert fwd.endswith("(wisdom: measure)") == tuned, fwd
        assert fwd.endswith("(estimate)") != tuned, fwd
PY
grep -q "^all  *PASSED" "$out.stdout" && want=0 || want=1
[ "$rc" -eq "$want" ] || fail "exit status $rc but the verdict table says otherwise"
for f in results.json report.md; do [ -s "$out/$f" ] || fail "no $f"; done
grep -q "PASSED\|FAILED" "$out/report.md" || fail "report.md has no verdicts"
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$out/results.json" ||
  fail "results.json is not JSON"
if command -v gnuplot >/dev/null; then
  ls "$out"/fig/error_vs_*.png >/dev/null 2>&1 || fail "gnuplot is here but no figure was drawn"
fi
echo "tiny_report: exit $rc, report, results and figures written"
