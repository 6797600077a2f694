/* shapes.h - the benchmark shape sets and case names, in one place: the bench
 * binary registers from them, `reluvet bench` passes the same shapes to the
 * PyTorch peer, and the report reads the names back.
 *
 * A case name has six '/'-separated fields:
 *     <op>/<impl>/<dtype>/<set>/<shape>/t<threads>
 * op: an operation of variants.def, or "step" (a full training step);
 * impl: a variant of variants.def, "tuned" (a plan, default effort), a roof
 * ("roof-gemm", "roof-copy") or a peer ("peer-onednn", "peer-torch");
 * shape: NxDxM for the layer sets, ROWSxCOLS (n x m) for the cache set.
 * Google Benchmark may append "/real_time" to a registered name. */
#ifndef RELUVET_BENCH_SHAPES_H
#define RELUVET_BENCH_SHAPES_H

#include <stddef.h>

#include "reluvet/reluvet.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rvb_set {
    RVB_SET_HARNESS = 0, /* the overfitting harness's training shapes (layer ops, step) */
    RVB_SET_MLP,         /* typical MLP hidden layers (layer ops) */
    RVB_SET_CACHE,       /* working sets straddling L1, L2, L3 and DRAM (elementwise ops) */
    RVB_SET_COUNT
} rvb_set;

typedef struct rvb_layer_shape {
    rv_shape s;       /* n, d, m */
    unsigned flags;   /* RV_PLAN_* flags of the argument blocks benchmarked */
    int quick;        /* part of the --quick subset */
} rvb_layer_shape;

const char *rvb_set_name(rvb_set set);

/* The layer shapes of set (HARNESS or MLP); *count receives their number.
 * Returns NULL (count 0) for another set. */
const rvb_layer_shape *rvb_layer_shapes(rvb_set set, size_t *count);

/* The working-set sizes, in bytes, of the elementwise cases; *count their
 * number; quick (may be NULL) receives 1 for the --quick subset. */
const size_t *rvb_cache_sizes(size_t *count, const int **quick);

/* The rows x cols shape of elementwise op at dtype dt whose working set (the
 * bytes of the cost model) is closest to ws_bytes without being empty. */
rv_shape rvb_cache_shape(rv_op op, rv_dtype dt, size_t ws_bytes);

/* The cost-model flops of one full training step at shape s: layer_fwd plus
 * layer_bwd without H and dX (the loss gradient and the update, O(n + md),
 * are not counted). */
double rvb_step_flops(rv_shape s);

/* The thread counts every threaded case runs at: 1 and the usable cores
 * (once when they are equal). Returns how many (1 or 2) written to t[]. */
int rvb_thread_counts(int t[2]);

/* Formats the case name (see above) into buf; op and impl are strings so that
 * "step" and the roofs and peers fit. Returns buf. */
char *rvb_case_name(char *buf, size_t cap, const char *op, const char *impl, rv_dtype dt,
                    rvb_set set, rv_shape s, int threads);

#ifdef __cplusplus
}
#endif
#endif
