#!/bin/sh
# tiny_report.sh RELUVET OUT - a sweep over a tiny grid (seconds) produces
# results.json, report.md and the figures, and its exit status is 0 exactly
# when the printed verdict table says "all PASSED".
set -u
reluvet=$1 out=$2
rm -rf "$out"
"$reluvet" overfit --profile quick --seeds 2 --d 1,3,100 --p 0.1,0.2 --out "$out" \
    >"$out.stdout" 2>"$out.stderr"
rc=$?
fail() { echo "tiny_report: $*"; cat "$out.stderr"; exit 1; }
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "exit status $rc"
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
