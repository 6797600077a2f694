/* tune_time.h - wall-clock timing of one callable over rotating argument
 * sets: a warm-up that also sizes the batches, then samples, each the mean
 * seconds per call of a batch long enough for the clock.
 *
 * On a shared machine another process can take a core in the middle of a
 * batch; a threaded kernel then waits at its barriers for a whole time
 * slice and the batch runs many times slower. A batch during which any
 * thread of this process was preempted (involuntary context switches,
 * getrusage) is run again, up to RV_TIMER_RETRIES times; the sample is the
 * first undisturbed batch, or the fastest when all were disturbed. */
#ifndef RELUVET_TUNE_TIME_H
#define RELUVET_TUNE_TIME_H

#include "tune_ws.h"

#define RV_TIMER_BATCH_S 1e-3   /* a sample lasts at least this long; */
#define RV_TIMER_PAIRED_BATCH_S 3e-3 /* and this long in interleaved comparisons:
                                    * per-round ratios of 2-thread kernels spread
                                    * 2-3x less than with 1 ms batches here */
#define RV_TIMER_MAX_REPS 100000
#define RV_TIMER_MAX_SAMPLES 64
#define RV_TIMER_RETRIES 3

/* One call on one argument block. */
typedef rv_status (*rv_call_fn)(void *ctx, const void *args, rv_error *err);

typedef struct rv_timer {
    rv_call_fn call;
    void *ctx;
    const rv_ws *ws;
    size_t next;      /* the set the next call uses */
    double batch_s;   /* minimum batch duration */
    long reps;        /* calls per sample, set by the warm-up */
    double warm_s;    /* seconds per call in the last warm-up batch */
    int count;
    int disturbed;    /* batches run again after a preemption */
    double samples[RV_TIMER_MAX_SAMPLES];
} rv_timer;

/* Seconds on a monotonic clock. */
double rv_now(void);

/* Prepares t to time call(ctx, args of ws) with batches of at least batch_s. */
void rv_timer_init(rv_timer *t, rv_call_fn call, void *ctx, const rv_ws *ws, double batch_s);

/* Warm-up: batches of 1, 2, 4, ... calls until one lasts batch_s (or
 * RV_TIMER_MAX_REPS); sets warm_s and reps. Stops at the first failing call. */
rv_status rv_timer_warm(rv_timer *t, rv_error *err);

/* Takes one sample (after rv_timer_warm); it is t->samples[t->count - 1].
 * Asking for more than RV_TIMER_MAX_SAMPLES is RV_ERR_OPTS. */
rv_status rv_timer_sample(rv_timer *t, rv_error *err);

/* Warms each of the k timers, then takes `rounds` samples of each,
 * interleaved: one of each per round, in an order shuffled anew each round
 * (the same shuffles every run), so that slow changes in the machine's load
 * hit all alike and no timer always follows the same one (whose traffic
 * leaves the caches in the same state: a fixed cyclic order made one
 * candidate read 10% slower than itself). RV_ERR_NOMEM, or the first
 * failing call's error. */
rv_status rv_timer_interleave(rv_timer *t, size_t k, int rounds, rv_error *err);

/* Sorts v[0..n) ascending. */
void rv_sort_doubles(double *v, int n);

/* Quantile q (0..1) of sorted v[0..n), n >= 1, interpolating linearly. */
double rv_quantile(const double *v, int n, double q);

/* Median of the samples (0 without any); *spread (if not NULL) receives the
 * interquartile range over the median. */
double rv_timer_median(const rv_timer *t, double *spread);

/* Paired estimates after rv_timer_interleave, robust to load that changes
 * between rounds: est_s[i] = the median of t[ref] x the median over rounds
 * of t[i]'s sample / t[ref]'s sample in the same round; spread[i] (if not
 * NULL) = that ratio's interquartile range over its median (0 for ref). */
void rv_timer_paired(const rv_timer *t, size_t k, size_t ref, double *est_s, double *spread);

#endif
