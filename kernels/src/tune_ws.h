/* tune_ws.h - workspaces for the tuner: argument blocks of one problem over
 * buffers the workspace owns, in several identical sets (rotating timing
 * buffers; or reference and candidate outputs for a check).
 *
 * Inputs hold small integers in [-4, 4] scaled by 1/8, the same values in
 * every set (element i of input k depends only on k and i), so that GEMM
 * partial sums are exact where tune_check.c says they are. Matrices are
 * tight (leading dimension = width), each operand 64-byte aligned. */
#ifndef RELUVET_TUNE_WS_H
#define RELUVET_TUNE_WS_H

#include "reluvet/plan.h"

#include "reluvet/schema.h"

#define RV_WS_MAX_OPERANDS RV_MAX_OPERANDS

/* One array of an argument block, as a rows x cols matrix (vectors 1 x len). */
typedef struct rv_operand {
    const char *name;
    void *p;
    size_t rows, cols, ld;
    int output;
} rv_operand;

typedef struct rv_ws rv_ws;

/* Bytes of one set of p's buffers, or 0 when that overflows size_t. */
size_t rv_ws_set_bytes(const rv_problem *p);

/* How many rotating sets timing should use for p: enough to span 32 MiB
 * (2 to 8), at most 512 MiB in all (at least 1). */
size_t rv_ws_rotation(const rv_problem *p);

/* Allocates nsets sets for p (validated by the caller), fills the inputs and
 * poisons the outputs with NaN. RV_ERR_NOMEM or RV_ERR_OVERFLOW on failure. */
rv_status rv_ws_create(rv_ws **out, const rv_problem *p, size_t nsets, rv_error *err);

void rv_ws_destroy(rv_ws *ws);  /* NULL is a no-op */
size_t rv_ws_sets(const rv_ws *ws);

/* The argument block of set i (i < sets), for rv_run_ex and plans. */
const void *rv_ws_args(const rv_ws *ws, size_t i);

/* Writes the operands of set i (present ones only) into out, which holds
 * RV_WS_MAX_OPERANDS; returns how many. */
size_t rv_ws_operands(const rv_ws *ws, size_t i, rv_operand *out);

/* Fills every output of set i with NaN, to catch elements never written. */
void rv_ws_poison_outputs(rv_ws *ws, size_t i);

#endif
