/* test_bench_report.c - the benchmark report on synthetic results: which
 * record stands for a case, the ratios, and the verdict of every target. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bench_report.h"
#include "reluvet/fileio.h"

static char dir[] = "/tmp/test_bench_report_XXXXXX";
static char bench_json[256], torch_json[256];

/* %s: the load average as the run started */
static const char *const bench_text =
    "{\"context\": {\"load_avg\": [%s, 0.5, 0.5], \"date\": \"today\","
    " \"host_name\": \"box\", \"num_cpus\": 2,"
    " \"mhz_per_cpu\": 2600, \"library_build_type\": \"debug\", \"reluvet_mode\": \"quick\","
    " \"reluvet_usable_cores\": \"2\", \"reluvet_seed\": \"1\","
    " \"caches\": [{\"type\": \"Data\", \"level\": 1, \"size\": 49152},"
    "  {\"type\": \"Instruction\", \"level\": 1, \"size\": 32768},"
    "  {\"type\": \"Unified\", \"level\": 2, \"size\": 1048576},"
    "  {\"type\": \"Unified\", \"level\": 3, \"size\": 33554432}]},"
    " \"benchmarks\": ["
    /* elementwise, DRAM: 0.95 of the roof, 0.91 of oneDNN */
    "{\"name\": \"relu_fwd/tuned/f32/cache/65536x256/t1\", \"run_type\": \"iteration\","
    " \"GB/s\": 40, \"bytes\": 134217728, \"label\": \"relu_fwd f32: naive threads=1 (estimate)\"},"
    "{\"name\": \"relu_fwd/roof-copy/f32/cache/65536x256/t1\", \"GB/s\": 42, \"bytes\": 134217728},"
    "{\"name\": \"relu_fwd/peer-onednn/f32/cache/65536x256/t1\", \"GB/s\": 44,"
    " \"bytes\": 134217728},"
    /* elementwise, L2: 0.5 of the roof, faster than oneDNN */
    "{\"name\": \"relu_fwd/tuned/f32/cache/64x256/t1\", \"GB/s\": 100, \"bytes\": 131072},"
    "{\"name\": \"relu_fwd/roof-copy/f32/cache/64x256/t1\", \"GB/s\": 200, \"bytes\": 131072},"
    "{\"name\": \"relu_fwd/peer-onednn/f32/cache/64x256/t1\", \"GB/s\": 90, \"bytes\": 131072},"
    "{\"name\": \"relu_fwd/naive/f32/cache/64x256/t1\", \"GB/s\": 170, \"bytes\": 131072},"
    /* two threads, on a busy machine */
    "{\"name\": \"relu_fwd/tuned/f32/cache/65536x256/t2/real_time\", \"GB/s\": 1,"
    " \"bytes\": 134217728},"
    "{\"name\": \"relu_fwd/roof-copy/f32/cache/65536x256/t2/real_time\", \"GB/s\": 30,"
    " \"bytes\": 134217728},"
    /* layer: a repetition, then the median that must win over it */
    "{\"name\": \"layer_fwd/tuned/f64/harness/20x1000x500/t1\", \"run_name\":"
    " \"layer_fwd/tuned/f64/harness/20x1000x500/t1\", \"run_type\": \"iteration\","
    " \"GFLOP/s\": 1, \"d\": 1000, \"flops\": 2e7, \"label\": \"layer_fwd f64: blis (estimate)\"},"
    "{\"name\": \"layer_fwd/tuned/f64/harness/20x1000x500/t1_median\", \"run_name\":"
    " \"layer_fwd/tuned/f64/harness/20x1000x500/t1\", \"run_type\": \"aggregate\","
    " \"aggregate_name\": \"median\", \"GFLOP/s\": 17, \"d\": 1000, \"flops\": 2e7},"
    "{\"name\": \"layer_fwd/tuned/f64/harness/20x1000x500/t1_cv\", \"run_name\":"
    " \"layer_fwd/tuned/f64/harness/20x1000x500/t1\", \"run_type\": \"aggregate\","
    " \"aggregate_name\": \"cv\", \"GFLOP/s\": NaN, \"d\": -Infinity, \"flops\": 1.5e-07,"
    " \"label\": \"NaN \\\" inf\"},"
    "{\"name\": \"layer_fwd/tuned/f64/harness/20x1000x500/t1_mean\", \"run_name\":"
    " \"layer_fwd/tuned/f64/harness/20x1000x500/t1\", \"run_type\": \"aggregate\","
    " \"aggregate_name\": \"mean\", \"GFLOP/s\": 99, \"d\": 1000, \"flops\": 2e7},"
    "{\"name\": \"layer_fwd/roof-gemm/f64/harness/20x1000x500/t1\", \"GFLOP/s\": 19,"
    " \"d\": 1000, \"flops\": 2e7},"
    "{\"name\": \"layer_fwd/naive/f64/harness/20x1000x500/t1\", \"error_occurred\": true,"
    " \"error_message\": \"boom\"},"
    /* the training step */
    "{\"name\": \"step/tuned/f64/harness/20x1x1000/t1\", \"GFLOP/s\": 4, \"d\": 1,"
    " \"flops\": 2.2e5,"
    " \"label\": \"layer_fwd f64: naive (estimate); layer_bwd f64: omp (estimate)\"},"
    /* the harness's step: its form 37.5x the direct form at d = 2000 (judged),
     * 5x at d = 1000 (below the target's d: not judged) */
    "{\"name\": \"harness_step/tuned/f64/harness/20x2000x500/t1\", \"GFLOP/s\": 2250,"
    " \"d\": 2000, \"flops\": 8e7, \"label\": \"reduced form; layer_fwd f64: blis (estimate)\"},"
    "{\"name\": \"harness_step/direct-form/f64/harness/20x2000x500/t1\", \"GFLOP/s\": 60,"
    " \"d\": 2000, \"flops\": 8e7},"
    "{\"name\": \"harness_step/tuned/f64/harness/20x1000x500/t1\", \"GFLOP/s\": 300,"
    " \"d\": 1000, \"flops\": 4e7},"
    "{\"name\": \"harness_step/direct-form/f64/harness/20x1000x500/t1\", \"GFLOP/s\": 60,"
    " \"d\": 1000, \"flops\": 4e7},"
    /* not ours: ignored */
    "{\"name\": \"BM_foreign\", \"real_time\": 1}"
    "]}";

static const char *const torch_text =
    "{\"context\": {\"reluvet_peer\": \"PyTorch 9.9\"}, \"benchmarks\": ["
    "{\"name\": \"step/peer-torch/f64/harness/20x1x1000/t1\", \"GFLOP/s\": 1, \"d\": 1,"
    " \"flops\": 2.2e5}]}";

static void put(const char *path, const char *text)
{
    assert_int_equal(rv_write_file_atomic(path, text, strlen(text), NULL), RV_OK);
}

/* Writes bench_json with the load average load. */
static void put_bench(const char *load)
{
    static char text[1 << 14];
    assert_true(snprintf(text, sizeof text, bench_text, load) < (int)sizeof text);
    put(bench_json, text);
}

/* The contents of path (valid until the next call). */
static const char *slurp(const char *path)
{
    static char *text;
    size_t len;
    free(text);
    assert_int_equal(rv_read_file(path, 1 << 20, &text, &len, NULL), RV_OK);
    return text;
}

/* The target row of the report for op/dtype/threads starting with text. */
static const char *row(const char *md, const char *text, const char *op_dtype_threads)
{
    char want[256];
    snprintf(want, sizeof want, "| %s | %s |", text, op_dtype_threads);
    const char *r = strstr(md, want);
    if (!r)
        fail_msg("no target row '%s'", want);
    return r;
}

static int row_says(const char *r, const char *what)
{
    const char *end = strchr(r, '\n');
    const char *hit = strstr(r, what);
    return hit && hit < end;
}

static void verdicts_and_cells(void **state)
{
    (void)state;
    put_bench("1.0");
    rvr_bench_input in = {.bench_json = bench_json, .torch_json = torch_json, .out_dir = dir};
    rvr_bench_result res;
    rv_error err = {0};
    assert_int_equal(rvr_bench_report(&in, &res, &err), RV_OK);
    assert_int_equal(res.met, 3);    /* DRAM t1, GEMM roof, harness step */
    assert_int_equal(res.missed, 3); /* L2 t1, oneDNN t1, step d = 1 */
    /* busy t2 DRAM, no L2 shape at t2, no oneDNN layer, no large-d step */
    assert_int_equal(res.unjudged, 4);
    const char *md = slurp(res.markdown);
    const char *hs = "the harness's step in its own form >= 20x its direct form at d >= 2000";
    assert_true(row_says(row(md, hs, "harness_step | f64 | 1"),
                         "| 1 | 37.50 (harness 20x2000x500) | 20.00 | met |"));

    const char *dram = "elementwise ReLU at DRAM sizes >= 0.9x the copy roof";
    assert_true(row_says(row(md, dram, "relu_fwd | f32 | 1"), "| 0.95 (65536x256, 128 MiB DRAM)"));
    assert_true(row_says(row(md, dram, "relu_fwd | f32 | 1"), "| met |"));
    assert_true(row_says(row(md, dram, "relu_fwd | f32 | 2"), "unreliable: machine busy"));
    const char *l2 = "elementwise ReLU at L2 sizes >= 0.8x the copy roof";
    assert_true(row_says(row(md, l2, "relu_fwd | f32 | 1"), "**MISSED** (1 of 1 shapes below)"));
    assert_true(row_says(row(md, l2, "relu_fwd | f32 | 1"), "| best variant: naive 0.85 |"));
    const char *dnn = "elementwise ReLU not slower than oneDNN eltwise at any size";
    assert_true(row_says(row(md, dnn, "relu_fwd | f32 | 1"), "| 0.91 (65536x256"));
    assert_true(row_says(row(md, dnn, "relu_fwd | f32 | 1"), "(1 of 2 shapes below)"));
    assert_true(row_says(row(md, dnn, "relu_fwd | f32 | 1"),
                         "the roof-copy itself is 0.95x the peer there"));
    const char *gemm =
        "fused layer (tuned) on large-d shapes (d >= 256) >= 0.85x the BLIS GEMM roof";
    assert_true(row_says(row(md, gemm, "layer_fwd | f64 | 1"), "| 0.89 (harness 20x1000x500)"));
    assert_true(row_says(row(md, "fused layer (tuned) not slower than oneDNN on every harness "
                                 "shape", "layer_fwd | -"),
                         "not measured: oneDNN peer not built"));
    const char *d1 = "training step >= 20x faster than PyTorch on d = 1 harness shapes";
    assert_true(row_says(row(md, d1, "step | f64 | 1"), "| 4.00 (harness 20x1x1000)"));
    assert_true(row_says(row(md, d1, "step | f64 | 1"), "**MISSED**"));

    /* cells: the median, its ratio to the roof, the error, the plan's choice */
    assert_non_null(strstr(md, "| 17 (R 0.89) |"));
    assert_non_null(strstr(md, "| error: boom |"));
    assert_non_null(strstr(md, "| 100 (R 0.50, D 1.11) |"));
    assert_non_null(strstr(md, "| 4 (T 4.00) |"));
    assert_non_null(strstr(md, "naive (estimate) / omp (estimate) |"));
    assert_non_null(strstr(md, "PyTorch 9.9"));
    assert_non_null(strstr(md, "**Warning: the machine was not idle**"));
    assert_null(strstr(md, "BM_foreign"));

    /* figure data: one block per implementation, sorted by size */
    char dat[512];
    snprintf(dat, sizeof dat, "%s/fig/relu_fwd-f32-t1.dat", dir);
    const char *d = slurp(dat);
    assert_non_null(strstr(d, "# tuned\n131072 100\n1.34218e+08 40\n"));
    assert_non_null(strstr(d, "# roof-copy\n"));
    /* each implementation keeps its colour in every figure */
    snprintf(dat, sizeof dat, "%s/fig/relu_fwd-f32-t1.gp", dir);
    const char *gp = slurp(dat);
    assert_non_null(strstr(gp, "lc rgb '#000000' title 'tuned'"));
    assert_non_null(strstr(gp, "lc rgb '#e69f00' title 'naive'"));
    assert_true(res.figures > 0 || res.figures_note[0]);
}

static void without_peers(void **state)
{
    (void)state;
    put_bench("0.1");
    rvr_bench_input in = {.bench_json = bench_json, .torch_note = "torch missing here",
                          .out_dir = dir};
    rvr_bench_result res;
    assert_int_equal(rvr_bench_report(&in, &res, NULL), RV_OK);
    const char *md = slurp(res.markdown);
    assert_non_null(strstr(md, "not measured: torch missing here"));
    assert_null(strstr(md, "Warning: the machine was not idle"));
    /* idle machine: the two-thread DRAM line is judged */
    assert_true(row_says(row(md, "elementwise ReLU at DRAM sizes >= 0.9x the copy roof",
                             "relu_fwd | f32 | 2"),
                         "**MISSED**"));
}

static void bad_inputs(void **state)
{
    (void)state;
    char path[300];
    rv_error err = {0};
    rvr_bench_result res;
    rvr_bench_input in = {.bench_json = "/nonexistent/bench.json", .out_dir = dir};
    assert_int_equal(rvr_bench_report(&in, &res, &err), RV_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/bench.json"));

    snprintf(path, sizeof path, "%s/bad.json", dir);
    put(path, "{\"benchmarks\": [");
    in.bench_json = path;
    assert_int_equal(rvr_bench_report(&in, &res, &err), RV_ERR_FORMAT);

    put(path, "{\"benchmarks\": [{\"name\": \"BM_other\"}]}");
    assert_int_equal(rvr_bench_report(&in, &res, &err), RV_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "no reluvet benchmark results"));

    /* a field too long for its buffer, or a control character: not ours */
    put(path, "{\"benchmarks\": [{\"name\": \"relu_fwd/naive/f32/cache/"
              "8x256xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/t1\", \"GB/s\": 1},"
              "{\"name\": \"relu_fwd/na\\tive/f32/cache/8x256/t1\", \"GB/s\": 1}]}");
    assert_int_equal(rvr_bench_report(&in, &res, &err), RV_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "no reluvet benchmark results"));

    in.out_dir = NULL;
    assert_int_equal(rvr_bench_report(&in, &res, &err), RV_ERR_NULL);
}

/* Names read from bench.json that try to break out of gnuplot's strings
 * (a quote, a newline, a backquote, a macro) stay data: the figure is
 * drawn when gnuplot is here and no command ran either way. The out
 * folder's own name is hostile too. */
static void hostile_names_run_nothing(void **state)
{
    (void)state;
    char out[400], path[500], pwned[500];
    snprintf(out, sizeof out, "%s/o'ut `touch PWNED` @x", dir);
    assert_int_equal(mkdir(out, 0755), 0);
    snprintf(path, sizeof path, "%s/hostile.json", dir);
    put(path, "{\"context\": {}, \"benchmarks\": ["
              "{\"name\": \"relu_fwd/a';system('touch PWNED');'/f32/cache/8x256/t1\","
              " \"GB/s\": 3, \"bytes\": 16384},"
              "{\"name\": \"relu_fwd/b'\\nsystem('touch PWNED')\\n'/f32/cache/8x256/t1\","
              " \"GB/s\": 4, \"bytes\": 16384},"
              "{\"name\": \"relu_fwd/`touch PWNED`@x/f32/cache/8x256/t1\","
              " \"GB/s\": 5, \"bytes\": 16384}]}");
    char here[4096];
    assert_non_null(getcwd(here, sizeof here));
    assert_int_equal(chdir(out), 0); /* where a relative touch would land */
    rvr_bench_input in = {.bench_json = path, .out_dir = out};
    rvr_bench_result res;
    rv_error err = {0};
    assert_int_equal(rvr_bench_report(&in, &res, &err), RV_OK);
    assert_int_equal(chdir(here), 0);
    const char *where[] = {"%s/PWNED", "%s/fig/PWNED"};
    for (int k = 0; k < 2; k++) {
        snprintf(pwned, sizeof pwned, where[k], out);
        assert_int_equal(access(pwned, F_OK), -1);
    }
    if (!strstr(res.figures_note, "could not be run"))
        assert_int_equal(res.figures, 1); /* gnuplot here: it drew the hostile titles */
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    snprintf(bench_json, sizeof bench_json, "%s/bench.json", dir);
    snprintf(torch_json, sizeof torch_json, "%s/torch.json", dir);
    if (rv_write_file_atomic(torch_json, torch_text, strlen(torch_text), NULL) != RV_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(verdicts_and_cells),
        cmocka_unit_test(without_peers),
        cmocka_unit_test(bad_inputs),
        cmocka_unit_test(hostile_names_run_nothing),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (!failed) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            return 1;
    }
    return failed;
}
