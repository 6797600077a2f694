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
python3 - "$out/results.json" <<'PY' || fail "results.json does not follow docs/results-schema.md"
import json, sys
r = json.load(open(sys.argv[1]))
def has(o, fields, t, where):
    for f in fields:
        assert f in o, f"{where}: no {f}"
        assert isinstance(o[f], t), f"{where}.{f}: {type(o[f]).__name__}, not {t}"
assert r["schema_version"] == 2
has(r, ["tool", "profile", "command", "settings", "kernels"], str, "top")
has(r, ["alpha", "jobs", "threads_per_run", "wall_seconds"], (int, float), "top")
has(r, ["verdicts", "cells"], list, "top")
has(r, ["provenance", "config"], dict, "top")
has(r["provenance"], ["reluvet_version", "git_commit", "kernel_set", "date_utc", "host",
                      "cpu_model", "blis_version", "blis_kernel_set", "compiler", "cflags",
                      "cjson_version"], str, "provenance")
has(r["provenance"], ["usable_cores"], int, "provenance")
assert r["provenance"]["date_utc"].endswith("Z") and r["provenance"]["kernel_set"] != "unknown"
c = r["config"]
has(c, ["n", "n_small", "seeds", "width", "test_points", "init_w", "init_v", "lr_hinge",
        "lr_logistic", "hinge_steps", "logistic_steps", "check_every", "hinge_target",
        "margin_rtol"], (int, float), "config")
has(c, ["d", "p"], list, "config")
has(c, ["master_seed", "form", "trainer", "dtype"], str, "config")
assert c["d"] == [1, 3, 100] and c["p"] == [0.1, 0.2] and c["seeds"] == 2
for v in r["verdicts"]:
    has(v, ["name", "numbers", "status"], str, "verdict")
    has(v, ["passed"], bool, "verdict")
    assert v["status"] in ("PASSED", "FAILED", "INCONCLUSIVE") and \
        v["passed"] == (v["status"] == "PASSED"), v
    if v["name"].endswith("in high d"):  # d_high = 100 < n^2 ln n = 1198
        assert v["status"] == "INCONCLUSIVE" and "n^2 ln n = 1198" in v["numbers"], v
for cell in r["cells"]:
    has(cell, ["kind"], str, "cell")
    has(cell, ["key", "summary"], dict, "cell")
    has(cell, ["runs"], list, "cell")
    has(cell["key"], ["form"], str, "key")
    s = cell["summary"]
    has(s, ["runs", "interpolated", "flips_mean"], (int, float), "summary")
    if s["interpolated"]:
        has(s, ["clean_error_mean", "clean_error_ci_lo", "clean_error_ci_hi", "ci_level",
                "noisy_error_mean"], (int, float), "summary")
        assert s["clean_error_ci_lo"] <= s["clean_error_mean"] <= s["clean_error_ci_hi"]
        errs = [x["clean_error"] for x in cell["runs"] if x["interpolated"]]
        assert abs(s["clean_error_mean"] - sum(errs) / len(errs)) < 1e-12
    for run in cell["runs"]:
        has(run, ["data_stream", "init_stream", "test_stream", "plan"], str, "run")
    if cell["key"]["d"] == 1:  # every GD net held against the exact min-norm optimum
        m = s["minnorm"]
        has(m, ["clean_error_mean", "nn_error_mean", "gd_nets_compared", "gd_nets_below_opt",
                "duality_gap_max"], (int, float), "minnorm")
        assert m["gd_nets_below_opt"] == 0 and m["duality_gap_max"] < 1e-6, m
        if m["gd_nets_compared"]:
            assert 1 - 1e-9 <= m["gd_cost_over_opt_min"] <= m["gd_cost_over_opt_max"], m
    else:
        assert "minnorm" not in s
PY
if command -v gnuplot >/dev/null; then
  ls "$out"/fig/error_vs_*.png >/dev/null 2>&1 || fail "gnuplot is here but no figure was drawn"
fi
echo "tiny_report: exit $rc, report, results and figures written"
