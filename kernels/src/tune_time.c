/* tune_time.c - wall-clock timing over rotating buffers (see tune_time.h). */
#include "tune_time.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

double rv_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void rv_timer_init(rv_timer *t, rv_call_fn call, void *ctx, const rv_ws *ws, double batch_s)
{
    memset(t, 0, sizeof *t);
    t->call = call;
    t->ctx = ctx;
    t->ws = ws;
    t->batch_s = batch_s;
    t->reps = 1;
}

/* Runs reps calls, cycling over the sets; *per_call = seconds per call. */
static rv_status batch(rv_timer *t, long reps, double *per_call, rv_error *err)
{
    size_t nsets = rv_ws_sets(t->ws);
    double t0 = rv_now();
    for (long r = 0; r < reps; r++) {
        rv_status s = t->call(t->ctx, rv_ws_args(t->ws, t->next), err);
        if (s != RV_OK)
            return s;
        t->next = (t->next + 1) % nsets;
    }
    *per_call = (rv_now() - t0) / (double)reps;
    return RV_OK;
}

rv_status rv_timer_warm(rv_timer *t, rv_error *err)
{
    long reps = 1;
    for (;;) {
        rv_status s = batch(t, reps, &t->warm_s, err);
        if (s != RV_OK)
            return s;
        if (t->warm_s * (double)reps >= t->batch_s || reps >= RV_TIMER_MAX_REPS)
            break;
        reps *= 2;
    }
    double want = t->warm_s > 0 ? t->batch_s / t->warm_s : (double)RV_TIMER_MAX_REPS;
    t->reps = want < 1 ? 1 : want > RV_TIMER_MAX_REPS ? RV_TIMER_MAX_REPS : (long)want + 1;
    return RV_OK;
}

rv_status rv_timer_interleave(rv_timer *t, size_t k, int rounds, rv_error *err)
{
    size_t *order = malloc((k ? k : 1) * sizeof *order);
    if (!order)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory ordering %zu timers", k);
    rv_status st = RV_OK;
    for (size_t i = 0; st == RV_OK && i < k; i++) {
        st = rv_timer_warm(&t[i], err);
        order[i] = i;
    }
    uint64_t rng = 0x9E3779B97F4A7C15u; /* fixed: the same shuffles every run */
    for (int r = 0; st == RV_OK && r < rounds; r++) {
        for (size_t i = k; i > 1; i--) { /* Fisher-Yates, xorshift64 */
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            size_t j = (size_t)(rng % i), tmp = order[i - 1];
            order[i - 1] = order[j];
            order[j] = tmp;
        }
        for (size_t i = 0; st == RV_OK && i < k; i++)
            st = rv_timer_sample(&t[order[i]], err);
    }
    free(order);
    return st;
}

/* Involuntary context switches of the whole process so far. */
static long preemptions(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_nivcsw : 0;
}

rv_status rv_timer_sample(rv_timer *t, rv_error *err)
{
    if (t->count >= RV_TIMER_MAX_SAMPLES)
        return rv_fail(err, RV_ERR_OPTS, "more than %d samples requested", RV_TIMER_MAX_SAMPLES);
    double best = 0;
    for (int attempt = 0; attempt <= RV_TIMER_RETRIES; attempt++) {
        double per_call;
        long before = preemptions();
        rv_status s = batch(t, t->reps, &per_call, err);
        if (s != RV_OK)
            return s;
        if (attempt == 0 || per_call < best)
            best = per_call;
        if (preemptions() == before)
            break;
        t->disturbed++;
    }
    t->samples[t->count++] = best;
    return RV_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void rv_sort_doubles(double *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
}

double rv_quantile(const double *v, int n, double q)
{
    double pos = q * (n - 1);
    int lo = (int)pos;
    int hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}

/* Median of v[0..n) (sorted here) and, in *spread if not NULL, its
 * interquartile range over the median; 0 and 0 when n is 0. */
static double median_spread(double *v, int n, double *spread)
{
    if (spread)
        *spread = 0;
    if (n == 0)
        return 0;
    rv_sort_doubles(v, n);
    double med = rv_quantile(v, n, 0.5);
    if (spread && med > 0)
        *spread = (rv_quantile(v, n, 0.75) - rv_quantile(v, n, 0.25)) / med;
    return med;
}

double rv_timer_median(const rv_timer *t, double *spread)
{
    double v[RV_TIMER_MAX_SAMPLES];
    memcpy(v, t->samples, (size_t)t->count * sizeof v[0]);
    return median_spread(v, t->count, spread);
}

void rv_timer_paired(const rv_timer *t, size_t k, size_t ref, double *est_s, double *spread)
{
    double ref_s = rv_timer_median(&t[ref], NULL);
    for (size_t i = 0; i < k; i++) {
        double v[RV_TIMER_MAX_SAMPLES];
        int n = 0;
        for (int r = 0; r < t[i].count && r < t[ref].count; r++)
            if (t[ref].samples[r] > 0)
                v[n++] = t[i].samples[r] / t[ref].samples[r];
        est_s[i] = ref_s * median_spread(v, n, spread ? &spread[i] : NULL);
    }
}
