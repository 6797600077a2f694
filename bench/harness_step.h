/* harness_step.h - benchmark cases of the overfitting harness's own
 * training step (verify/overfit), in the form the harness picks and in the
 * direct form, side by side (see harness_step.c). Names:
 * harness_step/<tuned|direct-form>/f64/harness/NxDxM/t<threads>. */
#ifndef RELUVET_BENCH_HARNESS_STEP_H
#define RELUVET_BENCH_HARNESS_STEP_H

#include "gbench.h"
#include "reluvet/status.h"

/* Registers the cases (the --quick subset when quick). Nets are made on a
 * case's first run. RV_ERR_NOMEM. */
rv_status rvb_register_harness_steps(int quick, rv_error *err);

/* Frees the cases' nets and data (after the run). */
void rvb_harness_steps_free(void);

#endif
