/* cmd_compare.c - `reluvet compare A B`: two results of `reluvet overfit`,
 * cell by cell, with two-sample tests (verify/overfit/compare.h). Exit 0
 * when no p-value is below --alpha, 1 when one is (or on a run-time
 * failure), 2 on a usage error. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "commands.h"
#include "compare.h"
#include "reluvet/fileio.h"

/* results.json files larger than this are refused (a full profile's is a
 * few MiB). */
#define MAX_RESULTS_BYTES ((size_t)256 << 20)

static void usage(FILE *f)
{
    fprintf(f,
            "usage: reluvet compare A B [--alpha X]\n"
            "  A, B: results folders of `reluvet overfit` (or their results.json).\n"
            "  Matches cells by (d, n, p, bias) and tests, per cell, whether A's and B's\n"
            "  runs come from one law: two-sample Kolmogorov-Smirnov and Mann-Whitney,\n"
            "  two-sided, on the clean test error and the normalised margin (runs that\n"
            "  interpolated) and on the number of flipped labels (all runs). Forms, seeds\n"
            "  and budgets may differ, e.g. --form reduced against --form direct.\n"
            "  --alpha X   level below which a p-value counts as a difference (default 0.01)\n"
            "exit status: 0 no p-value below alpha, 1 one is (or a run-time failure),\n"
            "2 usage error\n");
}

/* Reads A's results.json: the path itself, or path/results.json for a folder. */
static char *read_results(const char *path, size_t *len, char *name, size_t cap)
{
    struct stat st;
    int dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    if ((size_t)snprintf(name, cap, dir ? "%s/results.json" : "%s", path) >= cap) {
        fprintf(stderr, "reluvet compare: the path '%.60s...' is too long\n", path);
        return NULL;
    }
    char *text = NULL;
    rv_error err = {0};
    if (rv_read_file(name, MAX_RESULTS_BYTES, &text, len, &err) != RV_OK) {
        fprintf(stderr, "reluvet compare: %s\n", err.msg);
        return NULL;
    }
    return text;
}

static void print_p(double p)
{
    if (isnan(p))
        printf(" - |");
    else
        printf(" %.3g |", p);
}

int cmd_compare(int argc, char **argv)
{
    const char *path[2] = {NULL, NULL};
    int npath = 0;
    double alpha = 0.01;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (rv_arg_is_help(a)) {
            usage(stdout);
            return 0;
        }
        const char *val = NULL;
        if (strncmp(a, "--alpha=", 8) == 0)
            val = a + 8;
        else if (strcmp(a, "--alpha") == 0) {
            if (i + 1 >= argc)
                return rv_usage_error("compare", "--alpha needs a value");
            val = argv[++i];
        }
        if (val) {
            char why[120];
            if (rv_arg_double(val, 1e-12, 0.5, &alpha, why, sizeof why))
                return rv_usage_error("compare", "--alpha: %s", why);
            continue;
        }
        if (a[0] == '-' && a[1])
            return rv_usage_error("compare", "unknown option '%s' (see reluvet compare -h)", a);
        if (npath == 2)
            return rv_usage_error("compare", "expected two results, got a third: '%s'", a);
        path[npath++] = a;
    }
    if (npath != 2) {
        usage(stderr);
        return 2;
    }
    char name[2][PATH_MAX];
    char *text[2] = {NULL, NULL};
    size_t len[2];
    for (int k = 0; k < 2; k++)
        if (!(text[k] = read_results(path[k], &len[k], name[k], sizeof name[k]))) {
            free(text[0]);
            return 1;
        }
    rvo_cmp c;
    rv_error err = {0};
    rv_status s = rvo_compare(name[0], text[0], len[0], name[1], text[1], len[1], &c, &err);
    free(text[0]);
    free(text[1]);
    if (s != RV_OK) {
        fprintf(stderr, "reluvet compare: %s\n", err.msg);
        return 1;
    }
    printf("A: %s\nB: %s\n\n"
           "Per matching cell (d, n, p, bias): two-sample tests, two-sided, that A's and B's "
           "runs come from one law. clean_error and norm_margin over the runs that "
           "interpolated, flips over all runs; means per side (clean error: fraction of "
           "test points; norm_margin: min y N(x) / ||theta||^2).\n\n"
           "| d | n | p | bias | forms A / B | runs A / B | metric | values A / B | mean A | "
           "mean B | KS p | Mann-Whitney p |\n"
           "|---|---|---|---|---|---|---|---|---|---|---|---|\n",
           name[0], name[1]);
    size_t below = 0, tests = 0;
    for (size_t i = 0; i < c.ncells; i++) {
        const rvo_cmp_cell *x = &c.cells[i];
        for (int q = 0; q < RVO_CMP_METRICS; q++) {
            const rvo_cmp_metric *m = &x->m[q];
            printf("| %zu | %zu | %g | %s | %s / %s | %zu / %zu | %s | %zu / %zu | %.4g | %.4g |",
                   x->d, x->n, x->p, x->bias ? "yes" : "no", x->form_a, x->form_b, x->runs_a,
                   x->runs_b, rvo_cmp_metric_name(q), m->na, m->nb, m->mean_a, m->mean_b);
            print_p(m->p_ks);
            print_p(m->p_mw);
            printf("\n");
            tests += !isnan(m->p_ks) + !isnan(m->p_mw);
            below += (m->p_ks < alpha) + (m->p_mw < alpha);
        }
    }
    double lo = rvo_cmp_min_p(&c);
    printf("\n%zu matching cells (%zu only in A, %zu only in B), %zu tests; smallest p-value "
           "%.3g; %zu below alpha = %g: %s\n",
           c.ncells, c.only_a, c.only_b, tests, lo, below, alpha,
           below ? "A and B differ" : "no difference found");
    rvo_cmp_free(&c);
    return below ? 1 : 0;
}
