/* main.c - reluvet-bench: every (operation, variant, dtype) of variants.def,
 * the tuned dispatch, the roofs and the peers over the shape sets, through
 * Google Benchmark. `reluvet bench` runs it and writes the report.
 *
 * usage: reluvet-bench [--quick] [--seed=N] [--benchmark_* options]
 * Exit status: 0 ran, 1 could not set up, 2 bad options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cases.h"
#include "harness_step.h"

/* Google Benchmark options each mode starts from; the command line's own
 * --benchmark_* options come after them and win. */
static const char *const quick_defaults[] = {"--benchmark_min_time=0.01",
                                             "--benchmark_repetitions=1"};
static const char *const full_defaults[] = {"--benchmark_min_time=0.04",
                                            "--benchmark_repetitions=3"};
enum { N_DEFAULTS = 2 };

static void usage(FILE *f)
{
    fprintf(f, "usage: reluvet-bench [--quick] [--seed=N] [--benchmark_* options]\n"
               "  --quick     the CI subset of the shapes, 1 repetition of at least 0.01 s\n"
               "  --seed=N    seed of the benchmark data (default 1)\n"
               "  Default: every shape, 3 repetitions of at least 0.04 s (median reported).\n"
               "  Names: <op>/<impl>/<dtype>/<set>/<shape>/t<threads>; filter with\n"
               "  --benchmark_filter=REGEX, write JSON with --benchmark_out=FILE.\n");
}

static void add_context(int quick, unsigned seed)
{
    char buf[160];
    rvb_add_context("reluvet_version", RELUVET_VERSION);
    rvb_add_context("reluvet_mode", quick ? "quick" : "full");
    snprintf(buf, sizeof buf, "%u", seed);
    rvb_add_context("reluvet_seed", buf);
    snprintf(buf, sizeof buf, "%d", rv_usable_cores());
    rvb_add_context("reluvet_usable_cores", buf);
    snprintf(buf, sizeof buf, "BLIS %s (%s kernels; BLIS itself would use %s)",
             rv_blis_version(), rv_blis_kernel_set(), rv_blis_default_kernel_set());
    rvb_add_context("reluvet_blis", buf);
#ifdef RVB_HAVE_ONEDNN
    rvb_add_context("reluvet_onednn", rvb_onednn_version(buf, sizeof buf));
#else
    rvb_add_context("reluvet_onednn", "not built");
#endif
    snprintf(buf, sizeof buf, "%g", RVB_ORACLE_MAX_FLOPS);
    rvb_add_context("reluvet_oracle_max_flops", buf);
    rvb_add_context("reluvet_timing", "CPU time at 1 thread, wall-clock time at more");
}

int main(int argc, char **argv)
{
    int quick = 0;
    unsigned long seed = 1;
    /* argv for Google Benchmark: argv[0], the mode's defaults, the rest */
    char **gargv = calloc((size_t)argc + N_DEFAULTS + 1, sizeof *gargv);
    if (!gargv) {
        fprintf(stderr, "reluvet-bench: out of memory\n");
        return 1;
    }
    int gargc = 1 + N_DEFAULTS;
    gargv[0] = argv[0];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            quick = 1;
        } else if (strncmp(argv[i], "--seed=", 7) == 0) {
            char why[120];
            long v;
            if (rv_arg_long(argv[i] + 7, 0, 0xFFFFFFFFL, &v, why, sizeof why) != 0) {
                fprintf(stderr, "reluvet-bench: --seed: %s\n", why);
                free(gargv);
                return 2;
            }
            seed = (unsigned long)v;
        } else {
            if (strcmp(argv[i], "--help") == 0)
                usage(stdout);
            gargv[gargc++] = argv[i];
        }
    }
    for (int i = 0; i < N_DEFAULTS; i++)
        gargv[1 + i] = (char *)(quick ? quick_defaults[i] : full_defaults[i]);
    if (rvb_initialize(&gargc, gargv) != 0) {
        usage(stderr);
        free(gargv);
        return 2;
    }
    add_context(quick, (unsigned)seed);
    rv_error err = {0};
    int rc = 0;
    if (rvb_register_all(quick, (unsigned)seed, &err) != RV_OK ||
        rvb_register_harness_steps(quick, &err) != RV_OK) {
        fprintf(stderr, "reluvet-bench: %s\n", err.msg);
        rc = 1;
    } else if (rvb_run(NULL) == 0) {
        rc = 2; /* Google Benchmark has said that nothing matches the filter */
    }
    rvb_cases_free();
    rvb_harness_steps_free();
#ifdef RVB_HAVE_ONEDNN
    rvb_onednn_shutdown();
#endif
    rvb_shutdown();
    free(gargv);
    return rc;
}
