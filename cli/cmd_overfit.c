/* cmd_overfit.c - `reluvet overfit`: the tempered-to-benign sweep, its
 * verdicts and its report. Exit 0 only if every verdict passed; 1 on a
 * failed verdict or a run-time failure; 2 on a usage error. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assess.h"
#include "commands.h"
#include "profiles.h"
#include "report.h"

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
        "  --n N              training points of the d-curve (and the first n at d = 1)\n"
        "  --n2 N             the larger n at d = 1 (>= 2n)\n"
        "  --d LIST           input dimensions, ascending, from 1 to d_high (e.g. 1,10,1200)\n"
        "  --p LIST           noise rates, ascending, in (0, 0.5)\n"
        "  --seeds S          runs per cell\n"
        "  --width M          hidden units\n"
        "  --test-points T    fresh test points per run (>= 10000)\n"
        "  --trainer gd|adam  gd: the reference two-phase GD; adam: a contrast\n"
        "  --lr-hinge X, --lr-logistic X   step sizes of the two phases\n"
        "  --hinge-steps N, --logistic-steps N   step budgets of the two phases\n"
        "  --init-w X, --init-v X   init scales (|w_j| = X; v_j = +-X/sqrt(m))\n"
        "  --seed N           master seed of every data, init and test stream\n"
        "  --alpha X          level of the one-sided tests (default 0.05)\n"
        "  --out DIR          results folder (default overfit-<profile>)\n"
        "  --jobs J           concurrent runs (default: usable cores)\n"
        "  --threads T        threads per run (default 1 when jobs > 1, else all)\n");
}

/* Strict parsers: the whole text must be a number in range. */
static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > (unsigned long long)SIZE_MAX / 2)
        return -1;
    *out = (size_t)v;
    return 0;
}

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    if (!s || !*s)
        return -1;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* A comma-separated list of at most RVO_MAX_GRID numbers. */
static int parse_list(const char *s, int sizes, size_t *z, double *g, size_t *count)
{
    char buf[1024];
    if (!s || strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    size_t k = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (k == RVO_MAX_GRID)
            return -1;
        if (sizes ? parse_size(tok, &z[k]) : parse_double(tok, &g[k]))
            return -1;
        k++;
    }
    if (k == 0 || s[strlen(s) - 1] == ',' || s[0] == ',')
        return -1;
    *count = k;
    return 0;
}

typedef struct progress_state {
    int tty;
    size_t last_cells;
} progress_state;

static void progress(const rvo_progress *p, void *ctx)
{
    progress_state *st = ctx;
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

/* Reports a bad option value and returns the usage exit code. */
static int bad(const char *opt, const char *what, const char *got)
{
    fprintf(stderr, "reluvet overfit: %s: expected %s, got '%s'\n", opt, what, got ? got : "");
    return 2;
}

/* Applies one option (argv[*i], its value argv[*i + 1]) to the settings.
 * Returns 0, or 2 after printing the problem. */
static int apply(int argc, char **argv, int *i, rvo_sweep_cfg *c, const char **out, int *jobs,
                 int *threads, double *alpha, int *custom)
{
    const char *opt = argv[*i];
    if (*i + 1 >= argc) {
        fprintf(stderr, "reluvet overfit: %s needs a value (see --help)\n", opt);
        return 2;
    }
    const char *val = argv[++*i];
    size_t z;
    int sizes = strcmp(opt, "--d") == 0;
    if (strcmp(opt, "--profile") == 0)
        return 0; /* read in the first pass */
    *custom = strcmp(opt, "--out") && strcmp(opt, "--jobs") && strcmp(opt, "--threads");
    if (sizes || strcmp(opt, "--p") == 0) {
        size_t zs[RVO_MAX_GRID], k;
        double gs[RVO_MAX_GRID];
        if (parse_list(val, sizes, zs, gs, &k))
            return bad(opt, sizes ? "a comma-separated list of up to 16 integers"
                                  : "a comma-separated list of up to 16 numbers", val);
        if (sizes) {
            memcpy(c->d, zs, k * sizeof *zs);
            c->nd = k;
        } else {
            memcpy(c->p, gs, k * sizeof *gs);
            c->np = k;
        }
        return 0;
    }
    struct { const char *name; size_t *z; long *l; double *g; } num[] = {
        {"--n", &c->n, NULL, NULL},
        {"--n2", &c->n2, NULL, NULL},
        {"--seeds", &c->seeds, NULL, NULL},
        {"--width", &c->width, NULL, NULL},
        {"--test-points", &c->test_n, NULL, NULL},
        {"--hinge-steps", NULL, &c->train.hinge_steps, NULL},
        {"--logistic-steps", NULL, &c->train.logistic_steps, NULL},
        {"--lr-hinge", NULL, NULL, &c->train.lr_hinge},
        {"--lr-logistic", NULL, NULL, &c->train.lr_logistic},
        {"--init-w", NULL, NULL, &c->init_w},
        {"--init-v", NULL, NULL, &c->init_v},
        {"--alpha", NULL, NULL, alpha},
    };
    for (size_t k = 0; k < sizeof num / sizeof num[0]; k++) {
        if (strcmp(opt, num[k].name) != 0)
            continue;
        if (num[k].g)
            return parse_double(val, num[k].g) ? bad(opt, "a number", val) : 0;
        if (parse_size(val, &z) || (num[k].l && z > (size_t)LONG_MAX))
            return bad(opt, "a non-negative integer", val);
        if (num[k].z)
            *num[k].z = z;
        else
            *num[k].l = (long)z;
        return 0;
    }
    if (strcmp(opt, "--seed") == 0) {
        if (parse_size(val, &z))
            return bad(opt, "a non-negative integer", val);
        c->master_seed = (uint64_t)z;
    } else if (strcmp(opt, "--trainer") == 0) {
        if (rvo_trainer_from_name(val, &c->train.trainer))
            return bad(opt, "gd or adam", val);
    } else if (strcmp(opt, "--out") == 0) {
        if (!*val)
            return bad(opt, "a folder", val);
        *out = val;
    } else if (strcmp(opt, "--jobs") == 0 || strcmp(opt, "--threads") == 0) {
        int is_jobs = opt[2] == 'j';
        if (parse_size(val, &z) || z > 1024 || (is_jobs && z == 0))
            return bad(opt, is_jobs ? "an integer in 1..1024" : "an integer in 0..1024", val);
        *(is_jobs ? jobs : threads) = (int)z;
    } else {
        fprintf(stderr, "reluvet overfit: unknown option '%s' (see --help)\n", opt);
        return 2;
    }
    return 0;
}

int cmd_overfit(int argc, char **argv)
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
    if (rvo_profile(profile, &cfg, &err) != RV_OK) {
        fprintf(stderr, "reluvet overfit: --profile: %s\n", err.msg);
        return 2;
    }
    const char *out = NULL;
    int jobs = rv_usable_cores(), threads = -1, custom = 0;
    double alpha = 0.05;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0) {
            fprintf(stderr, "reluvet overfit: unexpected argument '%s' (see --help)\n", argv[i]);
            return 2;
        }
        int changed = 0;
        if (apply(argc, argv, &i, &cfg, &out, &jobs, &threads, &alpha, &changed))
            return 2;
        custom |= changed;
    }
    if (rvo_sweep_cfg_validate(&cfg, &err) != RV_OK) {
        fprintf(stderr, "reluvet overfit: %s\n", err.msg);
        return 2;
    }
    if (!(alpha > 0 && alpha < 0.5)) {
        fprintf(stderr, "reluvet overfit: --alpha: must be in (0, 0.5), got %g\n", alpha);
        return 2;
    }
    if (threads < 0)
        threads = jobs > 1 ? 1 : 0;
    char outbuf[512], cells[600], label[64], command[2048] = "reluvet";
    if (!out) {
        snprintf(outbuf, sizeof outbuf, "overfit-%s", profile);
        out = outbuf;
    }
    snprintf(label, sizeof label, "%s%s", profile, custom ? " (with overrides)" : "");
    for (int i = 0; i < argc; i++) {
        size_t len = strlen(command);
        snprintf(command + len, sizeof command - len, " %s", argv[i]);
    }
    snprintf(cells, sizeof cells, "%s/cells", out);
    char line[1024];
    fprintf(stderr, "overfit: profile %s: %s\noverfit: %d concurrent runs x %d thread(s); "
            "results in %s\n", label, rvo_settings_line(&cfg, line, sizeof line), jobs,
            threads ? threads : rv_usable_cores(), out);

    rvo_sweep *sw = NULL;
    rv_status s = rvo_sweep_create(&sw, &cfg, &err);
    progress_state ps = {.tty = isatty(2)};
    if (s == RV_OK)
        s = rvo_sweep_run(sw, jobs, threads, cells, progress, &ps, &err);
    if (ps.tty)
        fprintf(stderr, "\n");
    rvo_verdict v[RVO_VERDICTS];
    char figures[512] = "";
    rvo_report_meta meta = {.profile = label, .command = command, .alpha = alpha};
    if (s == RV_OK)
        s = rvo_assess(sw, alpha, v, &err);
    if (s == RV_OK)
        s = rvo_report_write(out, sw, v, &meta, figures, sizeof figures, &err);
    if (s != RV_OK) {
        fprintf(stderr, "reluvet overfit: %s\n", err.msg);
        rvo_sweep_free(sw);
        return 1;
    }
    int all = 1;
    for (int i = 0; i < RVO_VERDICTS; i++) {
        printf("[%s] %s\n%s", v[i].passed ? "PASSED" : "FAILED", v[i].name, v[i].text);
        all &= v[i].passed;
    }
    printf("\n%s; report: %s/report.md\nwall time %.1f s, %d concurrent runs x %d thread(s), "
           "f64\n\n%-26s result\n", figures, out, sw->seconds, jobs,
           threads ? threads : rv_usable_cores(), "verdict");
    for (int i = 0; i < RVO_VERDICTS; i++)
        printf("%-26s %s\n", v[i].name, v[i].passed ? "PASSED" : "FAILED");
    printf("%-26s %s\n", "all", all ? "PASSED" : "FAILED");
    rvo_sweep_free(sw);
    return all ? 0 : 1;
}
