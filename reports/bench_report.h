/* bench_report.h - the benchmark report: reads the Google Benchmark JSON of
 * reluvet-bench (and of the PyTorch peer), writes a Markdown summary with the
 * targets of issue 5 as measured ratios, and gnuplot figures of rate vs size
 * per variant with the roof drawn in. Prints nothing. */
#ifndef RELUVET_REPORTS_BENCH_REPORT_H
#define RELUVET_REPORTS_BENCH_REPORT_H

#include "reluvet/status.h"

typedef struct rvr_bench_input {
    const char *bench_json;   /* reluvet-bench's --benchmark_out (required) */
    const char *torch_json;   /* the PyTorch peer's JSON, or NULL */
    const char *torch_note;   /* when torch_json is NULL: why (shown in the report) */
    const char *out_dir;      /* bench.md and fig/ are written here (must exist) */
} rvr_bench_input;

typedef struct rvr_bench_result {
    int met, missed, unjudged;    /* target lines by verdict (unjudged: not measured, or
                                     multi-thread on a busy machine) */
    int figures;                  /* figures written */
    char figures_note[200];       /* why figures are missing; "" when none are */
    char markdown[4096];          /* path of the Markdown report */
} rvr_bench_result;

/* Writes <out_dir>/bench.md and <out_dir>/fig/<op>-<dtype>-t<threads>.{dat,gp,svg}
 * (the SVGs when gnuplot runs). Files are written atomically. Returns RV_OK,
 * or RV_ERR_IO / RV_ERR_FORMAT / RV_ERR_NOMEM with err saying why. */
rv_status rvr_bench_report(const rvr_bench_input *in, rvr_bench_result *res, rv_error *err);

/* Publishes tmp, a file another program wrote (Google Benchmark, the
 * PyTorch peer, gnuplot), as path: atomically (reluvet/fileio.h), then
 * removes tmp (also on failure). */
rv_status rvr_publish_file(const char *tmp, const char *path, rv_error *err);

#endif
