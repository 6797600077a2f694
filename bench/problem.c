/* problem.c - buffers and argument blocks of the benchmarked problems. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "problem.h"

static rvb_problem *live;

const char *rvb_op_name(int op)
{
    return op == RVB_OP_STEP ? "step" : rv_op_name((rv_op)op);
}

/* Elements of each array p uses (0: not used); the copy roof's in bytes. */
static void layout(const rvb_problem *p, size_t len[RVB_A_COUNT])
{
    size_t n = p->s.n, d = p->s.d, m = p->s.m;
    int fwd = p->op == RV_OP_LAYER_FWD, bwd = p->op == RV_OP_LAYER_BWD;
    int step = p->op == RVB_OP_STEP;
    memset(len, 0, RVB_A_COUNT * sizeof len[0]);
    if (p->op == RV_OP_RELU_FWD || p->op == RV_OP_RELU_BWD) {
        len[RVB_A_RX] = n * m;
        if (p->op == RV_OP_RELU_FWD) {
            len[RVB_A_RY] = n * m;
        } else {
            len[RVB_A_RDY] = n * m;
            len[RVB_A_RDX] = n * m;
        }
        len[RVB_A_CSRC] = len[RVB_A_CDST] = rvb_copy_bytes(p);
        return;
    }
    len[RVB_A_X] = n * d;
    len[RVB_A_W] = m * d;
    len[RVB_A_V] = m;
    len[RVB_A_Z] = n * m;
    if (fwd || step) {
        len[RVB_A_B] = m;
        len[RVB_A_O] = n;
    }
    if (fwd && (p->flags & RV_PLAN_WITH_H))
        len[RVB_A_H] = n * m;
    if (bwd || step) {
        len[RVB_A_G] = n;
        len[RVB_A_DZ] = n * m;
        len[RVB_A_DV] = m;
        len[RVB_A_DW] = m * d;
        len[RVB_A_DB] = m;
    }
    if (bwd && (p->flags & RV_PLAN_WITH_DX))
        len[RVB_A_DX] = n * d;
    if (step)
        len[RVB_A_Y] = n;
}

static uint64_t next(uint64_t *s)
{
    /* xorshift64* */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [-scale, scale). */
static double uniform(uint64_t *s, double scale)
{
    return scale * ((double)(next(s) >> 11) * 0x1.0p-52 - 1.0);
}

static void fill(void *buf, size_t len, rv_dtype dt, uint64_t *rng, double scale, int sign)
{
    for (size_t i = 0; i < len; i++) {
        double x = uniform(rng, scale);
        if (sign)
            x = x < 0 ? -1.0 : 1.0;
        if (dt == RV_F32)
            ((float *)buf)[i] = (float)x;
        else
            ((double *)buf)[i] = x;
    }
}

static void bind_args(rvb_problem *p)
{
    void **a = p->a;
    size_t n = p->s.n, d = p->s.d, m = p->s.m;
    p->relu_fwd = (rv_relu_fwd_args){n, m, a[RVB_A_RX], m, a[RVB_A_RY], m};
    p->relu_bwd = (rv_relu_bwd_args){n, m, a[RVB_A_RX], m, a[RVB_A_RDY], m, a[RVB_A_RDX], m};
    p->layer_fwd = (rv_layer_fwd_args){.n = n, .d = d, .m = m, .X = a[RVB_A_X], .ldx = d,
                                       .W = a[RVB_A_W], .ldw = d, .b = a[RVB_A_B],
                                       .v = a[RVB_A_V], .Z = a[RVB_A_Z], .ldz = m,
                                       .H = a[RVB_A_H], .ldh = m, .o = a[RVB_A_O]};
    p->layer_bwd = (rv_layer_bwd_args){.n = n, .d = d, .m = m, .X = a[RVB_A_X], .ldx = d,
                                       .W = a[RVB_A_W], .ldw = d, .v = a[RVB_A_V],
                                       .Z = a[RVB_A_Z], .ldz = m, .g = a[RVB_A_G],
                                       .dZ = a[RVB_A_DZ], .lddz = m, .dv = a[RVB_A_DV],
                                       .dW = a[RVB_A_DW], .lddw = d, .db = a[RVB_A_DB],
                                       .dX = a[RVB_A_DX], .lddx = d};
}

static void release(rvb_problem *p)
{
    if (p->peer_free)
        p->peer_free(p->peer);
    p->peer = NULL;
    p->peer_free = NULL;
    for (int i = 0; i < RVB_A_COUNT; i++) {
        free(p->a[i]);
        p->a[i] = NULL;
    }
}

void rvb_problem_release_all(void)
{
    if (live)
        release(live);
    live = NULL;
}

rv_status rvb_problem_acquire(rvb_problem *p, rv_error *err)
{
    if (live == p)
        return RV_OK;
    rvb_problem_release_all();
    size_t len[RVB_A_COUNT], es = rv_dtype_size(p->dt);
    layout(p, len);
    uint64_t rng = 0x9E3779B97F4A7C15ULL ^ p->seed;
    /* inputs of unit norm rows, as the harness's data on the sphere */
    double xscale = p->s.d > 1 ? 1.0 / (double)p->s.d : 1.0;
    for (int i = 0; i < RVB_A_COUNT; i++) {
        if (!len[i])
            continue;
        size_t bytes = i == RVB_A_CSRC || i == RVB_A_CDST ? len[i] : len[i] * es;
        p->a[i] = aligned_alloc(64, (bytes + 63) / 64 * 64);
        if (!p->a[i]) {
            release(p);
            return rv_fail(err, RV_ERR_NOMEM, "out of memory allocating %zu bytes", bytes);
        }
        if (i == RVB_A_CSRC || i == RVB_A_CDST)
            memset(p->a[i], i == RVB_A_CSRC ? 0x3c : 0, bytes);
        else
            fill(p->a[i], len[i], p->dt, &rng, i == RVB_A_X ? xscale : 1.0, i == RVB_A_Y);
    }
    bind_args(p);
    live = p;
    return RV_OK;
}

const void *rvb_problem_args(const rvb_problem *p)
{
    switch (p->op) {
    case RV_OP_RELU_FWD:
        return &p->relu_fwd;
    case RV_OP_RELU_BWD:
        return &p->relu_bwd;
    case RV_OP_LAYER_FWD:
        return &p->layer_fwd;
    default:
        return &p->layer_bwd;
    }
}

double rvb_problem_flops(const rvb_problem *p)
{
    if (p->op == RVB_OP_STEP)
        return rvb_step_flops(p->s);
    return rv_op_flops((rv_op)p->op, p->s, (p->flags & RV_PLAN_WITH_DX) != 0);
}

double rvb_problem_bytes(const rvb_problem *p)
{
    if (p->op == RVB_OP_STEP)
        return rv_op_bytes(RV_OP_LAYER_FWD, p->dt, p->s, 0) +
               rv_op_bytes(RV_OP_LAYER_BWD, p->dt, p->s, 0);
    int extra = p->op == RV_OP_LAYER_FWD ? (p->flags & RV_PLAN_WITH_H) != 0
                                          : (p->flags & RV_PLAN_WITH_DX) != 0;
    return rv_op_bytes((rv_op)p->op, p->dt, p->s, extra);
}

size_t rvb_copy_bytes(const rvb_problem *p)
{
    return (size_t)(rvb_problem_bytes(p) / 2);
}
