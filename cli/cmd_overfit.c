/* cmd_overfit.c - `reluvet overfit`: the tempered-to-benign sweep, its
 * verdicts and its report. Exit 0 only if every verdict passed; 1 on a
 * failed verdict or a run-time failure; 2 on a usage error. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "assess.h"
#include "checkpoint.h"
#include "commands.h"
#include "dist.h"
#include "outlock.h"
#include "profiles.h"
#include "report.h"
#include "wisdom_opt.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: reluvet overfit [--profile quick|standard|full] [options]\n"
        "  Trains 2-layer ReLU nets past interpolation on noisy labels over a grid of\n"
        "  (d, n, p, bias) x seeds and judges four verdicts (tempered at d = 1, benign in\n"
        "  high d, the transition over d, biases matter). Writes results.json, report.md\n"
        "  and figures to the output folder; finished cells are checkpointed in\n"
        "  <out>/cells and a rerun with the same settings resumes from them.\n"
        "options (each overrides the profile; standard is the default):\n"
        "  --n N              training points of the d-curve (the larger n at d = 1)\n"
        "  --n-small N        the smaller n at d = 1 of the tempered verdict (<= n/2)\n"
        "  --d LIST           input dimensions, ascending, from 1 to d_high <= 1e12\n"
        "                     (e.g. 1,10,1200 or 1,30,1e3,1e9)\n"
        "  --form F           auto (default): direct up to d = 2n, subspace up to\n"
        "                     d = n + width, reduced above; or force direct (trains W,\n"
        "                     m x d), subspace (W = W0 + A X, any d, needs gd) or\n"
        "                     reduced (exact draws in n + width coordinates, needs gd\n"
        "                     and d > n + width)\n"
        "  --p LIST           noise rates, ascending, in (0, 0.5)\n"
        "  --seeds S          runs per cell\n"
        "  --width M          hidden units\n"
        "  --test-points T    fresh test points per run (>= 10000)\n"
        "  --trainer gd|adam  gd: the reference two-phase GD; adam: a contrast\n"
        "  --lr-hinge X, --lr-logistic X   step sizes of the two phases\n"
        "  --hinge-steps N, --logistic-steps N   step budgets of the two phases\n"
        "  --hinge-target X   phase 1 ends when every margin y N(x) >= X\n"
        "  --init-w X, --init-v X   init scales (|w_j| = X; v_j = +-X/sqrt(m))\n"
        "  --seed N           master seed of every data, init and test stream\n"
        "  --alpha X          level of the one-sided tests (default 0.05)\n"
        "  --out DIR          results folder (default overfit-<profile>); one run at a\n"
        "                     time: a run finding DIR in use (DIR/.lock) refuses\n"
        "  --jobs J           concurrent runs (default: usable cores)\n"
        "  --threads T        threads per run (default 1 when jobs > 1, else all)\n"
        "  --wisdom PATH      the tuner's wisdom file (default as `reluvet tune`): each\n"
        "                     plan it holds at the runs' thread cap is used, the\n"
        "                     others are estimated; `reluvet tune` tunes these shapes\n");
}

typedef struct progress_state {
    int tty;
    size_t last_cells;
} progress_state;

static void progress(const rvo_progress *p, void *ctx)
{
    progress_state *st = ctx;
    if (rv_dist_rank() != 0)
        return;
    /* On a terminal: one line rewritten after every run; in a log: a line
     * per finished cell. */
    if (!st->tty && p->cells_done == st->last_cells && p->runs_done != p->runs_loaded)
        return;
    st->last_cells = p->cells_done;
    size_t computed = p->runs_done - p->runs_loaded;
    fprintf(stderr, "%soverfit: cells %zu/%zu (%zu resumed), runs %zu/%zu, elapsed %.0f s",
            st->tty ? "\r" : "", p->cells_done, p->cells_total, p->cells_loaded, p->runs_done,
            p->runs_total, p->elapsed);
    if (computed > 0 && p->runs_done < p->runs_total)
        fprintf(stderr, ", ~%.0f s left", p->elapsed / (double)computed *
                                              (double)(p->runs_total - p->runs_done));
    fprintf(stderr, "%s", st->tty ? "    " : "\n");
    fflush(stderr);
}

/* Applies one option (argv[*i], its value argv[*i + 1]) to the settings.
 * Ranges here only keep the types sane; the sweep's validation says what
 * a grid needs. Returns 0, or 2 after printing the problem. */
static int apply(int argc, char **argv, int *i, rvo_sweep_cfg *c, const char **out, int *jobs,
                 int *threads, const char **wisdom, double *alpha, int *custom)
{
    const char *opt = argv[*i];
    if (*i + 1 >= argc)
        return rv_usage_error("overfit", "%s needs a value (see --help)", opt);
    const char *val = argv[++*i];
    char why[200];
    long l;
    int k;
    if (strcmp(opt, "--profile") == 0)
        return 0; /* read in the first pass */
    *custom = strcmp(opt, "--out") && strcmp(opt, "--jobs") && strcmp(opt, "--threads") &&
              strcmp(opt, "--wisdom");
    if (strcmp(opt, "--d") == 0) {
        double ds[RVO_MAX_GRID]; /* doubles, so that 1e9 may be written so */
        if (rv_arg_doubles(val, 1, RVO_MAX_D, ds, RVO_MAX_GRID, &k, why, sizeof why))
            return rv_usage_error("overfit", "--d: %s", why);
        for (int q = 0; q < k; q++) {
            if (ds[q] != floor(ds[q]))
                return rv_usage_error("overfit", "--d: %g is not a whole number", ds[q]);
            c->d[q] = (size_t)ds[q];
        }
        c->nd = (size_t)k;
        return 0;
    }
    if (strcmp(opt, "--p") == 0) {
        if (rv_arg_doubles(val, 0, 1, c->p, RVO_MAX_GRID, &k, why, sizeof why))
            return rv_usage_error("overfit", "--p: %s", why);
        c->np = (size_t)k;
        return 0;
    }
    struct { const char *name; long hi; size_t *z; long *l; } ints[] = {
        {"--n", 1000000, &c->n, NULL},
        {"--n-small", 1000000, &c->n_small, NULL},
        {"--seeds", 1000000, &c->seeds, NULL},
        {"--width", 10000000, &c->width, NULL},
        {"--test-points", 100000000, &c->test_n, NULL},
        {"--hinge-steps", 1000000000000L, NULL, &c->train.hinge_steps},
        {"--logistic-steps", 1000000000000L, NULL, &c->train.logistic_steps},
    };
    for (size_t q = 0; q < sizeof ints / sizeof ints[0]; q++) {
        if (strcmp(opt, ints[q].name) != 0)
            continue;
        if (rv_arg_long(val, 0, ints[q].hi, &l, why, sizeof why))
            return rv_usage_error("overfit", "%s: %s", opt, why);
        if (ints[q].z)
            *ints[q].z = (size_t)l;
        else
            *ints[q].l = l;
        return 0;
    }
    struct { const char *name; double *g; } reals[] = {
        {"--lr-hinge", &c->train.lr_hinge},   {"--lr-logistic", &c->train.lr_logistic},
        {"--hinge-target", &c->train.hinge_target},
        {"--init-w", &c->init_w},             {"--init-v", &c->init_v},
        {"--alpha", alpha},
    };
    for (size_t q = 0; q < sizeof reals / sizeof reals[0]; q++)
        if (strcmp(opt, reals[q].name) == 0)
            return rv_arg_double(val, -1e300, 1e300, reals[q].g, why, sizeof why)
                       ? rv_usage_error("overfit", "%s: %s", opt, why)
                       : 0;
    if (strcmp(opt, "--seed") == 0) {
        if (rv_arg_long(val, 0, LONG_MAX, &l, why, sizeof why))
            return rv_usage_error("overfit", "--seed: %s", why);
        c->master_seed = (uint64_t)l;
    } else if (strcmp(opt, "--form") == 0) {
        if (rvo_form_from_name(val, &c->form))
            return rv_usage_error("overfit", "--form: expected auto, direct, subspace or "
                                  "reduced, got '%s'", val);
    } else if (strcmp(opt, "--trainer") == 0) {
        if (rvo_trainer_from_name(val, &c->train.trainer))
            return rv_usage_error("overfit", "--trainer: expected gd or adam, got '%s'", val);
    } else if (strcmp(opt, "--out") == 0) {
        if (!*val)
            return rv_usage_error("overfit", "--out: empty folder name");
        /* Every path below it must fit (checkpoint.h): refused, never cut. */
        if (strlen(val) > RVO_OUT_MAX)
            return rv_usage_error("overfit", "--out: the folder name is %zu bytes long, at most "
                                  "%d", strlen(val), RVO_OUT_MAX);
        *out = val;
    } else if (strcmp(opt, "--wisdom") == 0) {
        if (!*val)
            return rv_usage_error("overfit", "--wisdom: empty path");
        *wisdom = val;
    } else if (strcmp(opt, "--jobs") == 0 || strcmp(opt, "--threads") == 0) {
        int is_jobs = opt[2] == 'j';
        if (rv_arg_long(val, is_jobs ? 1 : 0, is_jobs ? RV_DIST_MAX_WORKERS : RV_MAX_THREADS,
                        &l, why, sizeof why))
            return rv_usage_error("overfit", "%s: %s", opt, why);
        *(is_jobs ? jobs : threads) = (int)l;
    } else {
        return rv_usage_error("overfit", "unknown option '%s' (see --help)", opt);
    }
    return 0;
}

/* How busy the workers were: what the dealer of runs (verify/dist) saw. */
static void print_workers(const rv_dist_stats *st, int mpi)
{
    double window = st->wall_s - st->tail_s;
    printf("\n%-10s %6s %10s %12s   (%s back end; idle = waiting for a run before the last "
           "deal, %.1f s; tail %.1f s excluded)\n", mpi ? "rank" : "worker", "runs", "busy s",
           "idle", rv_dist_backend(), window, st->tail_s);
    for (int w = 0; w < st->workers; w++)
        printf("%-10d %6zu %10.1f %11.2f%%\n", w, st->tasks[w], st->busy_s[w],
               window > 0 ? 100 * st->idle_s[w] / window : 0.0);
}

/* The wisdom the runs plan from (*w, owned by the caller; empty when the
 * file is missing or rejected, with a warning) and, in `kernels`, how many
 * of cfg's training plans it holds at the runs' thread cap. Returns 0, or 1
 * out of memory. */
static int load_kernels(const char *arg, const rvo_sweep_cfg *cfg, int threads, rv_wisdom **w,
                        char *kernels, size_t cap)
{
    char path[4096];
    int usable = 0;
    if (rv_cli_wisdom_path("overfit", arg, 0, path, sizeof path) != 0)
        snprintf(path, sizeof path, "(none)");
    else if (rv_cli_wisdom_load("overfit", path, "every plan is estimated", w, &usable) != 0)
        return 1;
    rv_problem p[RVO_MAX_SWEEP_PROBLEMS];
    size_t n = rvo_sweep_problems(cfg, p, 0), found = 0;
    int cap_threads = threads ? threads : rv_usable_cores();
    for (size_t i = 0; *w && i < n; i++)
        found += rv_wisdom_find(*w, &p[i], cap_threads) != NULL;
    snprintf(kernels, cap, "%zu of %zu training plans tuned (wisdom file %s, thread cap %d)%s",
             found, n, path, cap_threads,
             found < n ? "; the others estimated: `reluvet tune` tunes them" : "");
    return 0;
}

/* The sweep of cfg into folder out, which it holds locked (rank 0) from
 * before the first checkpoint is read to after the report is written. */
static int run(const rvo_sweep_cfg *cfgp, const char *label,
               const char *command, const char *out, const char *cells, int jobs, int threads,
               const char *wisdom_arg, double alpha, int ranks, int rank)
{
    rvo_sweep_cfg cfg = *cfgp;
    rv_error err = {0};
    char line[1024];
    if (rank == 0)
        fprintf(stderr, "overfit: profile %s: %s\noverfit: %d %s x %d thread(s); results in %s\n",
                label, rvo_settings_line(&cfg, line, sizeof line), ranks > 1 ? ranks : jobs,
                ranks > 1 ? "MPI ranks" : "concurrent runs", threads ? threads : rv_usable_cores(),
                out);

    rv_wisdom *wisdom = NULL;
    char kernels[4600];
    if (load_kernels(wisdom_arg, &cfg, threads, &wisdom, kernels, sizeof kernels))
        return 1;
    if (rank == 0)
        fprintf(stderr, "overfit: kernels: %s\n", kernels);
    rvo_sweep *sw = NULL;
    rv_status s = rvo_sweep_create(&sw, &cfg, &err);
    progress_state ps = {.tty = isatty(2)};
    /* One run at a time in a results folder (outlock.h): taken before any
     * checkpoint is read, by rank 0 alone (it alone reads and writes it). */
    rvo_outlock *lock = NULL;
    char note[512];
    if (s == RV_OK && rank == 0) {
        s = rvo_outlock_take(out, &lock, note, sizeof note, &err);
        if (s == RV_OK && note[0])
            fprintf(stderr, "overfit: %s/.lock: %s\n", out, note);
        if (s != RV_OK)
            rvo_sweep_stand_down(sw); /* MPI: release the other ranks */
    }
    if (s == RV_OK)
        s = rvo_sweep_run(sw, jobs, (rvo_kernel_cfg){threads, wisdom}, cells, progress, &ps,
                          &err);
    rv_wisdom_destroy(wisdom);
    if (ps.tty)
        fprintf(stderr, "\n");
    if (rv_dist_rank() != 0) { /* MPI: rank 0 judges, writes and prints */
        rvo_sweep_free(sw);
        return s == RV_OK ? 0 : 1;
    }
    rvo_verdict v[RVO_VERDICTS];
    char figures[512] = "";
    rv_fingerprint fp;
    rv_fingerprint_current(&fp);
    rvo_report_meta meta = {.profile = label, .command = command, .alpha = alpha,
                            .kernels = kernels, .version = RV_VERSION,
                            .commit = RV_GIT_COMMIT, .fp = &fp};
    if (s == RV_OK)
        s = rvo_assess(sw, alpha, v, &err);
    if (s == RV_OK)
        s = rvo_report_write(out, sw, v, &meta, figures, sizeof figures, &err);
    rvo_outlock_release(lock); /* every file of the folder is written */
    if (s != RV_OK) {
        fprintf(stderr, "reluvet overfit: %s\n", err.msg);
        rvo_sweep_free(sw);
        return 1;
    }
    int all = 1;
    for (int i = 0; i < RVO_VERDICTS; i++) {
        printf("[%s] %s\n%s", rvo_verdict_status(&v[i]), v[i].name, v[i].text);
        all &= v[i].passed;
    }
    printf("\n%s; report: %s/report.md\nwall time %.1f s, %d %s x %d thread(s), f64\n\n"
           "%-26s result\n", figures, out, sw->seconds, ranks > 1 ? ranks : jobs,
           ranks > 1 ? "MPI ranks" : "concurrent runs", threads ? threads : rv_usable_cores(),
           "verdict");
    for (int i = 0; i < RVO_VERDICTS; i++)
        printf("%-26s %s\n", v[i].name, rvo_verdict_status(&v[i]));
    printf("%-26s %s\n", "all", all ? "PASSED" : "NOT PASSED");
    print_workers(&sw->dist, ranks > 1);
    rvo_sweep_free(sw);
    return all ? 0 : 1;
}

static int overfit_main(int argc, char **argv)
{
    const char *profile = "standard";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
            profile = argv[++i];
    }
    rv_error err = {0};
    rvo_sweep_cfg cfg;
    if (rvo_profile(profile, &cfg, &err) != RV_OK)
        return rv_usage_error("overfit", "--profile: %s", err.msg);
    const char *out = NULL, *wisdom_arg = NULL;
    int jobs = rv_usable_cores(), threads = -1, custom = 0;
    double alpha = 0.05;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0)
            return rv_usage_error("overfit", "unexpected argument '%s' (see --help)", argv[i]);
        int changed = 0;
        if (apply(argc, argv, &i, &cfg, &out, &jobs, &threads, &wisdom_arg, &alpha, &changed))
            return 2;
        custom |= changed;
    }
    if (rvo_sweep_cfg_validate(&cfg, &err) != RV_OK)
        return rv_usage_error("overfit", "%s", err.msg);
    if (!(alpha > 0 && alpha < 0.5))
        return rv_usage_error("overfit", "--alpha: must be in (0, 0.5), got %g", alpha);
    int ranks = rv_dist_size(), rank = rv_dist_rank();
    if (ranks > 1) /* MPI: one run per rank, the node's cores shared by its ranks */
        jobs = 1;
    if (threads < 0 && ranks > 1) {
        int share = rv_usable_cores() / rv_dist_node_size();
        threads = share > 1 ? share : 1;
    } else if (threads < 0) {
        threads = rvo_threads_per_run(jobs);
    }
    /* Paths are checked, never cut: a cut cells path put checkpoints in a
     * sibling of the results folder. --out is at most RVO_OUT_MAX bytes. */
    char outbuf[512], cells[RVO_OUT_MAX + 16], label[64];
    if (!out) {
        if (snprintf(outbuf, sizeof outbuf, "overfit-%s", profile) >= (int)sizeof outbuf)
            return rv_usage_error("overfit", "--profile: name too long");
        out = outbuf;
    }
    snprintf(label, sizeof label, "%s%s", profile, custom ? " (with overrides)" : "");
    if (snprintf(cells, sizeof cells, "%s/cells", out) >= (int)sizeof cells)
        return rv_usage_error("overfit", "--out: the folder name is too long");
    /* The command line, for the report: as long as it is. */
    size_t clen = sizeof "reluvet";
    for (int i = 0; i < argc; i++)
        clen += strlen(argv[i]) + 1;
    char *command = malloc(clen);
    if (!command) {
        fprintf(stderr, "reluvet overfit: out of memory\n");
        return 1;
    }
    strcpy(command, "reluvet");
    for (int i = 0, used = 7; i < argc; i++)
        used += snprintf(command + used, clen - (size_t)used, " %s", argv[i]);
    int rc = run(&cfg, label, command, out, cells, jobs, threads, wisdom_arg, alpha,
                 ranks, rank);
    free(command);
    return rc;
}

int cmd_overfit(int argc, char **argv)
{
    rv_dist_init(&argc, &argv);
    int rc = overfit_main(argc, argv);
    rv_dist_finalize();
    return rc;
}
