/* cmd_check.c - `reluvet check`: every variant against the reference over
 * the shape corpus (verify/check). Prints one line per (operation, variant,
 * dtype, shape class), the first mismatches and a reproducer of every
 * failure, and a summary. Exit: 0 nothing failed, 1 something FAILED (or
 * the harness could not run), 2 usage. */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "check/check.h"
#include "check/shapes.h"
#include "commands.h"
#include "reluvet/reluvet.h"

static void help(void)
{
    printf(
        "usage: reluvet check [options]\n"
        "  Runs every variant of every operation (variants.def), in f32 and f64,\n"
        "  against the reference over a shape corpus (1x1, around SIMD and block\n"
        "  widths, primes, d = 1, tall, wide, ld > width, bias-free, without H/dX,\n"
        "  in place) and random shapes, in two fill modes:\n"
        "    exact   small integers times powers of two: every partial sum is exact,\n"
        "            so every variant and thread count must equal the reference;\n"
        "    random  uniform values (plus NaN, +-Inf, +-0, subnormals for ReLU):\n"
        "            GEMM-derived outputs within c K u sum|a||b| (c = 2), ReLU\n"
        "            outputs and masks identical; layer_bwd also against central\n"
        "            finite differences in double on small shapes.\n"
        "  Outputs are pre-filled with a NaN canary (unwritten elements, writes\n"
        "  into padding or guards are failures); inputs must stay unchanged.\n"
        "  One line per (operation, variant, dtype, shape class): PASSED, FAILED\n"
        "  (first mismatches with indices and a command that reproduces them) or\n"
        "  MISTRUSTED (the data left the check blind, e.g. an all-zero H).\n"
        "\n"
        "options:\n"
        "  --op NAME        check only this operation (repeatable): relu_fwd,\n"
        "                   relu_bwd, layer_fwd, layer_bwd\n"
        "  --variant NAME   check only this variant (repeatable; see reluvet list)\n"
        "  --dtype NAME     check only this dtype (repeatable): f32, f64\n"
        "  --shape N,D,M    check only this shape, in every layout of the op\n"
        "                   (elementwise ops: N rows, M columns, D ignored;\n"
        "                   its buffers must fit in 1 GiB)\n"
        "  --seed S         seed of the data and the random shapes (0..2^63-1);\n"
        "                   default: from the clock, printed first\n"
        "  --mode MODE      exact, random or both (default both)\n"
        "  --threads LIST   thread counts for threaded variants, comma-separated\n"
        "                   (default 1,2 and the usable cores when more)\n"
        "  --quiet          print only lines that did not pass, and the summary\n"
        "  --help           this text\n"
        "exit status: 0 nothing FAILED, 1 something FAILED or the check could not\n"
        "run, 2 bad usage.\n");
}

typedef struct printer {
    int quiet;
} printer;

static void print_failure(const rvc_line *l)
{
    const rvc_failure *f = &l->failure;
    char layout[64];
    rvc_layout_name(f->layout, layout, sizeof layout);
    printf("    first failing run: shape %zu,%zu,%zu, layout %s, %s mode, threads %d, "
           "tile %dx%d: %zu bad elements\n",
           f->shape.n, f->shape.d, f->shape.m, layout, rvc_mode_name(f->mode),
           f->opts.threads ? f->opts.threads : 1, f->opts.block_rows, f->opts.block_cols,
           f->tally.bad);
    for (int i = 0; i < f->tally.nreport; i++) {
        const rvc_mismatch *m = &f->tally.report[i];
        if (m->why == RVC_WHY_KERNEL)
            printf("    %s: %s: %s\n", m->what, rvc_why_name(m->why), f->error.msg);
        else if (m->why == RVC_WHY_INPUT)
            printf("    %s: %s\n", m->what, rvc_why_name(m->why));
        else if (m->why == RVC_WHY_DAMAGE)
            printf("    %s: row %ld, column %ld of the padded block %s (row -1 or past the "
                   "last row: a guard; column >= width: padding)\n",
                   m->what, m->i, m->j, rvc_why_name(m->why));
        else
            printf("    %s[%ld,%ld]: got %.9g want %.9g |diff| %.3g bound %.3g: %s\n",
                   m->what, m->i, m->j, m->got, m->want, m->got - m->want, m->bound,
                   rvc_why_name(m->why));
    }
    printf("    reproduce: reluvet check --op %s --variant %s --dtype %s --shape %zu,%zu,%zu "
           "--seed %" PRIu64 " --mode %s",
           rv_op_name(l->op), l->kernel, rv_dtype_name(l->dt), f->shape.n, f->shape.d,
           f->shape.m, l->seed, rvc_mode_name(f->mode));
    if (f->opts.threads)
        printf(" --threads %d", f->opts.threads);
    printf("\n");
}

static void print_line(void *ctx, const rvc_line *l)
{
    const printer *p = ctx;
    if (p->quiet && l->verdict == RVC_PASSED)
        return;
    printf("%-9s %-3s %-8s %-9s %-10s %zu kernel runs on %zu cases, %zu output elements "
           "compared", rv_op_name(l->op), rv_dtype_name(l->dt), l->cls, l->kernel,
           rvc_verdict_name(l->verdict), l->runs, l->cases, l->compared);
    if (l->worst_ratio > 0)
        printf(", max |err|/bound %.2g (random mode)", l->worst_ratio);
    if (l->flips)
        printf(", %zu mask flips within the bound", l->flips);
    if (l->fd_params)
        printf(", finite differences: %zu partials, max |err|/bound %.2g, %zu skipped at "
               "kinks", l->fd_params - l->fd_skipped, l->fd_worst_ratio, l->fd_skipped);
    if (l->redraws)
        printf(", %zu blind inputs redrawn", l->redraws);
    if (l->failed)
        printf(", %zu runs FAILED", l->failed);
    if (l->mistrusted)
        printf(", %zu runs MISTRUSTED (%s)", l->mistrusted, l->mistrust);
    printf("\n");
    if (l->has_failure)
        print_failure(l);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t clock_seed(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return rvc_seed_mix((uint64_t)ts.tv_sec, (uint64_t)ts.tv_nsec) >> 16;
}

/* Refuses (usage error, 1 if so) a --shape whose buffers exceed
 * RV_ARG_MAX_BYTES in any operation and dtype to be checked. */
static int shape_too_big(const rvc_config *cfg, const char *shape_arg)
{
    char why[160];
    for (int op = 0; op < RV_OP_COUNT; op++)
        for (int dt = 0; dt < RV_DTYPE_COUNT; dt++)
            if ((!cfg->ops || cfg->ops >> op & 1) && (!cfg->dtypes || cfg->dtypes >> dt & 1) &&
                rv_arg_fits(shape_arg, (rv_op)op, (rv_dtype)dt, cfg->shape, why, sizeof why)) {
                rv_usage_error("check", "--shape: %s", why);
                return 1;
            }
    return 0;
}

int cmd_check(int argc, char **argv)
{
    rvc_config cfg = {0};
    printer pr = {0};
    int has_seed = 0;
    const char *shape_arg = NULL;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *val = NULL;
        char name[32];
        const char *eq = strchr(opt, '=');
        if (strncmp(opt, "--", 2) == 0 && eq && (size_t)(eq - opt) < sizeof name) {
            memcpy(name, opt, (size_t)(eq - opt));
            name[eq - opt] = '\0';
            opt = name;
            val = eq + 1;
        }
        if (rv_arg_is_help(opt) && !val) {
            help();
            return 0;
        }
        if (strcmp(opt, "--quiet") == 0 && !val) {
            pr.quiet = 1;
            continue;
        }
        static const char *const with_value[] = {"--op", "--variant", "--dtype", "--shape",
                                                 "--seed", "--mode", "--threads"};
        int known = 0;
        for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
            known |= strcmp(opt, with_value[k]) == 0;
        if (!known)
            return rv_usage_error("check", "unknown option '%s' (see reluvet check --help)",
                                  argv[i]);
        if (!val && (val = argv[++i]) == NULL)
            return rv_usage_error("check", "%s needs a value", opt);
        char why[160];
        rv_op op;
        rv_variant v;
        rv_dtype dt;
        rvc_mode mode;
        long seed, th[RVC_MAX_THREAD_COUNTS];
        int n = 0;
        if (strcmp(opt, "--op") == 0) {
            if (rv_op_from_name(val, &op))
                return rv_usage_error("check", "unknown operation '%s'", val);
            cfg.ops |= 1u << op;
        } else if (strcmp(opt, "--variant") == 0) {
            if (rv_variant_from_name(val, &v))
                return rv_usage_error("check", "unknown variant '%s'", val);
            cfg.variants |= 1u << v;
        } else if (strcmp(opt, "--dtype") == 0) {
            if (rv_dtype_from_name(val, &dt))
                return rv_usage_error("check", "unknown dtype '%s'", val);
            cfg.dtypes |= 1u << dt;
        } else if (strcmp(opt, "--shape") == 0) {
            if (rv_arg_shape(val, 1u << 20, &cfg.shape, why, sizeof why))
                return rv_usage_error("check", "--shape: %s", why);
            cfg.has_shape = 1;
            shape_arg = val;
        } else if (strcmp(opt, "--seed") == 0) {
            if (rv_arg_long(val, 0, LONG_MAX, &seed, why, sizeof why))
                return rv_usage_error("check", "--seed: %s", why);
            cfg.seed = (uint64_t)seed;
            has_seed = 1;
        } else if (strcmp(opt, "--mode") == 0) {
            if (strcmp(val, "both") == 0)
                cfg.modes = 0;
            else if (rvc_mode_from_name(val, &mode) == 0)
                cfg.modes = 1u << mode;
            else
                return rv_usage_error("check", "--mode '%s': want exact, random or both", val);
        } else {
            if (rv_arg_longs(val, 1, RV_MAX_THREADS, th, RVC_MAX_THREAD_COUNTS, &n, why,
                             sizeof why))
                return rv_usage_error("check", "--threads: %s", why);
            cfg.nthreads = n;
            for (int k = 0; k < n; k++)
                cfg.threads[k] = (int)th[k];
        }
    }
    if (cfg.has_shape && shape_too_big(&cfg, shape_arg))
        return 2;
    if (!has_seed)
        cfg.seed = clock_seed();
    if (cfg.nthreads == 0)
        cfg.nthreads = rvc_default_threads(cfg.threads, RVC_MAX_THREAD_COUNTS);
    printf("reluvet check: seed %" PRIu64 ", modes %s, thread counts", cfg.seed,
           cfg.modes == 0 ? "exact+random" : rvc_mode_name(cfg.modes >> 1 ? RVC_RANDOM
                                                                          : RVC_EXACT));
    for (int k = 0; k < cfg.nthreads; k++)
        printf("%s%d", k ? "," : " ", cfg.threads[k]);
    printf(" (threaded variants), %d usable cores\n", rv_usable_cores());
    printf("%-9s %-3s %-8s %-9s %-10s %s\n", "operation", "dt", "class", "variant", "verdict",
           "what was checked");
    double t0 = now();
    rvc_totals tot;
    rv_error err = {0};
    rv_status s = rvc_check_variants(&cfg, print_line, &pr, &tot, &err);
    double wall = now() - t0;
    if (s != RV_OK) {
        fprintf(stderr, "reluvet check: %s: %s\n", rv_status_name(s), err.msg);
        return 1;
    }
    printf("summary: %zu lines: %zu PASSED, %zu FAILED, %zu MISTRUSTED; %zu kernel runs, "
           "%zu output elements compared; %.2f s wall (seed %" PRIu64 ")\n",
           tot.lines[RVC_PASSED] + tot.lines[RVC_FAILED] + tot.lines[RVC_MISTRUSTED],
           tot.lines[RVC_PASSED], tot.lines[RVC_FAILED], tot.lines[RVC_MISTRUSTED], tot.runs,
           tot.compared, wall, cfg.seed);
    return tot.lines[RVC_FAILED] ? 1 : 0;
}
