/* cases.h - the benchmark cases: one problem (problem.h) run one way (a
 * variant, the tuned plan, a roof or a peer) at a thread count. */
#ifndef RELUVET_BENCH_CASES_H
#define RELUVET_BENCH_CASES_H

#include "gbench.h"
#include "problem.h"

typedef struct rvb_case {
    rvb_problem *p;
    int threads;
    rv_variant variant;   /* variant cases */
    rv_plan *plan[2];     /* tuned and step cases: made on the first run, kept */
} rvb_case;

/* Work above which the oracle (RV_VF_ORACLE) is not timed: its long-double
 * loops would take seconds per call, and it is never a contender. */
#define RVB_ORACLE_MAX_FLOPS 5e7

/* Makes the case's problem live; on failure marks the run failed and returns
 * -1 (the body then returns without entering its loop). */
int rvb_case_begin(rvb_state *st, rvb_case *c);

/* The plain counters n, d, m and nthreads of a case at shape s. */
void rvb_shape_counters(rvb_state *st, rv_shape s, int threads);

/* After the loop: the rate counter ("GB/s" for elementwise ops, "GFLOP/s"
 * for the rest, from the cost model) and plain counters n, d, m, nthreads,
 * bytes, flops (per run); label (may be NULL) says what ran. */
void rvb_case_finish(rvb_state *st, const rvb_case *c, const char *label);

/* Registers every case (the --quick subset when quick) with seed for the
 * data. Returns RV_OK or the first failure. */
rv_status rvb_register_all(int quick, unsigned seed, rv_error *err);

/* Frees the cases, plans and problems registered (after the run). */
void rvb_cases_free(void);

#ifdef RVB_HAVE_ONEDNN
/* oneDNN peers (peer_onednn.c): which problems they cover, the body, the
 * library version, and the release of the engine and stream. */
int rvb_onednn_covers(const rvb_problem *p);
void rvb_onednn_bench(rvb_state *st, void *c);
const char *rvb_onednn_version(char *buf, size_t cap);
void rvb_onednn_shutdown(void);
#endif

#endif
