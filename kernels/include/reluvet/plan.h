/* reluvet/plan.h - plans in the spirit of FFTW: choose once, run many times.
 *
 * A plan fixes (operation, dtype, shape, flags) and the kernel that will run
 * it: a variant with its rv_opts. Creating a plan may search (measure);
 * executing it never does. Everything in the project that runs a kernel
 * (check, bench, the overfitting harness) goes through plans.
 *
 * Ownership: rv_plan_create allocates; the caller frees with
 * rv_plan_destroy. A plan is immutable after creation and may be executed
 * from several threads at once (each with its own buffers). */
#ifndef RELUVET_PLAN_H
#define RELUVET_PLAN_H

#include "reluvet/kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rv_effort {
    RV_EFFORT_ESTIMATE = 0,   /* no timing: built-in cost heuristics */
    RV_EFFORT_MEASURE = 1,    /* time a pruned candidate set within a budget */
    RV_EFFORT_EXHAUSTIVE = 2, /* time the full candidate grid */
} rv_effort;

/* What the argument blocks executed with the plan will contain, beyond the
 * shape: they change the work, so they are part of the plan's key. */
enum {
    RV_PLAN_WITH_H = 1 << 0,  /* layer_fwd: H is stored */
    RV_PLAN_WITH_DX = 1 << 1, /* layer_bwd: dX is computed */
    RV_PLAN_NO_BIAS = 1 << 2, /* layer ops: b / db are NULL */
};

/* One problem: what a plan is made for and what wisdom is keyed by (with
 * the thread cap). flags are RV_PLAN_* bits. */
typedef struct rv_problem {
    rv_op op;
    rv_dtype dt;
    rv_shape shape;
    unsigned flags;
} rv_problem;

struct rv_wisdom;      /* reluvet/wisdom.h */
struct rv_tune_report; /* reluvet/tune.h */

/* Zero-initialised options are valid: estimate, all cores, no wisdom. */
typedef struct rv_plan_opts {
    rv_effort effort;   /* default RV_EFFORT_ESTIMATE (zero) */
    int max_threads;    /* threads the plan may use; 0 = all usable cores */
    int force_variant;  /* 0 = choose; else 1 + the rv_variant to use (a search
                           then tunes only its parameters; wisdom is not used) */
    struct rv_wisdom *wisdom; /* NULL: none. Else an entry for (problem,
                           max_threads) of at least the requested effort is
                           used without timing, and a search's choice is added */
    double budget_s;    /* measure: seconds a search may take;
                           0 = RV_TUNE_DEFAULT_BUDGET_S (tune.h) */
    struct rv_tune_report *report; /* NULL, or receives what a search tried
                           (cleared first; count 0 when no search ran) */
} rv_plan_opts;

typedef struct rv_plan rv_plan;

/* Creates a plan for op on dtype dt at shape s with RV_PLAN_* flags.
 * popts may be NULL (estimate, all cores). With effort MEASURE or
 * EXHAUSTIVE and no usable wisdom entry, runs a search (tune.h): it
 * allocates, times, and must not be called inside an OpenMP parallel region.
 * Returns RV_OK and *out, or an error (bad op, dtype, zero size, options;
 * RV_ERR_NOMEM; RV_ERR_VARIANT when every candidate failed its check) with
 * *out set to NULL. */
rv_status rv_plan_create(rv_plan **out, rv_op op, rv_dtype dt, rv_shape s, unsigned flags,
                         const rv_plan_opts *popts, rv_error *err);

/* Runs the planned kernel on args (the op's argument block). The block must
 * match the plan's shape and flags, else RV_ERR_SIZE; it is validated as by
 * rv_run_ex and nothing is written on error. */
rv_status rv_plan_execute(const rv_plan *p, const void *args, rv_error *err);

/* Frees a plan; NULL is a no-op. */
void rv_plan_destroy(rv_plan *p);

/* What the plan is for (relu ops: shape.d = 1), and what it chose. */
rv_problem rv_plan_problem(const rv_plan *p);
rv_variant rv_plan_variant(const rv_plan *p);
rv_opts rv_plan_kernel_opts(const rv_plan *p);

/* Writes a one-line description ("layer_fwd f64 n=20 d=1 m=1000: omp
 * threads=1 block=64x256 (measure)") into buf; returns buf. Only the
 * options the variant reads are shown. The parenthesis
 * says how the choice was made: estimate, measure, exhaustive, forced, or
 * "wisdom: <effort>" when it came from wisdom. */
char *rv_plan_describe(const rv_plan *p, char *buf, size_t cap);

/* The number of cores this process may use (affinity mask), >= 1. */
int rv_usable_cores(void);

#ifdef __cplusplus
}
#endif
#endif
