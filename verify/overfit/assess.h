/* assess.h - from a finished sweep to the four verdicts: picks the cells
 * each verdict reads (verdicts.h) and marks runs that did not interpolate
 * as NAN so that no verdict averages them in. */
#ifndef RELUVET_OVERFIT_ASSESS_H
#define RELUVET_OVERFIT_ASSESS_H

#include "sweep.h"
#include "verdicts.h"

enum { RVO_VERDICTS = 4 };

/* The per-seed errors of a cell, NAN where the run did not interpolate;
 * err must hold c->seeds values. */
rvo_cell_errors rvo_cell_errors_of(const rvo_sweep *sw, const rvo_cell *c, double *err);

/* Fills v[0..3]: tempered, benign, transition, biases. RV_ERR_NOMEM. */
rv_status rvo_assess(const rvo_sweep *sw, double alpha, rvo_verdict v[RVO_VERDICTS],
                     rv_error *err);

#endif
