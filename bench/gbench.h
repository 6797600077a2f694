/* gbench.h - a thin C interface to Google Benchmark (1.7.x).
 *
 * Benchmarks are C functions `void fn(rvb_state *st, void *user)` registered
 * with a name and a user pointer (owned by the caller, alive until the run
 * ends). The body is the usual loop:
 *
 *     static void bm(rvb_state *st, void *user) {
 *         setup(user);
 *         while (rvb_keep_running(st))
 *             work(user);
 *         rvb_counter(st, "GB/s", bytes_per_iteration * 1e-9, RVB_RATE_PER_ITER);
 *     }
 *     rvb_register("relu/f32", bm, &case, &(rvb_opts){.threads = 2});
 *
 * Code under test that runs more than one thread (OpenMP, BLIS) must say so
 * in rvb_opts.threads: such benchmarks are timed in real (wall-clock) time,
 * since Google Benchmark otherwise divides rates by the CPU time of the
 * calling thread alone. Rate counters divide by the same time the benchmark
 * reports (real, manual or CPU).
 *
 * The one C++ file of the project (gbench.cc) implements this header. */
#ifndef RELUVET_GBENCH_H
#define RELUVET_GBENCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rvb_state rvb_state;   /* one running benchmark (benchmark::State) */
typedef void (*rvb_fn)(rvb_state *st, void *user);

typedef enum rvb_unit { RVB_NS = 0, RVB_US, RVB_MS, RVB_S } rvb_unit;

/* Per-benchmark settings; zero-initialised means: single-threaded code under
 * test (CPU time), automatic time, nanoseconds, the command line's minimum
 * time and repetitions. */
typedef struct rvb_opts {
    int threads;       /* threads the code under test runs; > 1 selects real time */
    int real_time;     /* time in wall-clock time even when threads <= 1 */
    int manual_time;   /* the body reports each iteration's time (rvb_set_iteration_time) */
    int unit;          /* an rvb_unit: the unit of the reported times */
    double min_time;   /* > 0: seconds to run at least, overriding --benchmark_min_time */
    int64_t iterations; /* > 0: exactly this many iterations (then min_time must be 0) */
    int repetitions;   /* > 0: overrides --benchmark_repetitions */
} rvb_opts;

/* Counter flags (combine with |). A plain counter (0) is reported as set. */
enum {
    RVB_RATE = 1 << 0,           /* divided by the benchmark's time */
    RVB_PER_ITER = 1 << 1,       /* multiplied by the iteration count */
    RVB_AVG_ITER = 1 << 2,       /* divided by the iteration count */
    RVB_INVERT = 1 << 3,         /* 1 / value, after the above */
    RVB_RATE_PER_ITER = RVB_RATE | RVB_PER_ITER, /* value per iteration -> per second */
};

/* Process-wide setup: consumes Google Benchmark's --benchmark_* options from
 * argv (argc is updated). Returns 0, or -1 when argv holds options neither
 * side knows (Google Benchmark then lists them on stderr). Call once, before
 * registering. */
int rvb_initialize(int *argc, char **argv);

/* Adds a key/value pair to the "context" of the JSON output. */
void rvb_add_context(const char *key, const char *value);

/* Registers fn(st, user) under name (copied). opts may be NULL (defaults).
 * Returns 0, or -1 when name or fn is NULL or opts are invalid. */
int rvb_register(const char *name, rvb_fn fn, void *user, const rvb_opts *opts);

/* Runs the registered benchmarks that match filter (a regular expression;
 * NULL or "" = the --benchmark_filter option). Returns how many matched. */
size_t rvb_run(const char *filter);

/* Forgets every registration (their user data stays the caller's). */
void rvb_clear(void);

/* Releases what rvb_initialize set up. */
void rvb_shutdown(void);

/* --- inside a benchmark body --- */

/* Loop condition: true while another iteration is wanted. */
int rvb_keep_running(rvb_state *st);
/* The same for a body that runs `batch` iterations per call. */
int rvb_keep_running_batch(rvb_state *st, int64_t batch);
/* Iterations run so far (the total after the loop). */
int64_t rvb_iterations(const rvb_state *st);

/* Stop and restart the clock around untimed work inside the loop. */
void rvb_pause(rvb_state *st);
void rvb_resume(rvb_state *st);

/* With manual_time: the time of the current iteration, in seconds. */
void rvb_set_iteration_time(rvb_state *st, double seconds);

/* Sets counter name to value with RVB_* flags (typically after the loop). */
void rvb_counter(rvb_state *st, const char *name, double value, unsigned flags);
/* Google Benchmark's own bytes_per_second / items_per_second. */
void rvb_set_bytes_processed(rvb_state *st, int64_t bytes);
void rvb_set_items_processed(rvb_state *st, int64_t items);
void rvb_set_label(rvb_state *st, const char *label);

/* Marks this run failed with msg; the loop then ends (or is not entered)
 * and the result is reported with error_occurred. */
void rvb_skip_with_error(rvb_state *st, const char *msg);
int rvb_error_occurred(const rvb_state *st);

/* Keeps the compiler from discarding stores to memory the timed code wrote. */
void rvb_clobber_memory(void);

#ifdef __cplusplus
}
#endif
#endif
