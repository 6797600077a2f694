/* tune_ws.c - argument blocks over owned buffers (see tune_ws.h). */
#include "tune_ws.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN 64
#define ROTATE_SPAN ((size_t)32 << 20)
#define ROTATE_CAP ((size_t)512 << 20)

/* Where an operand lives in its op's argument block. Sizes are in units of
 * the shape: 'n', 'd', 'm' or '1'. ld_off is SIZE_MAX for a vector. */
typedef struct spec {
    const char *name;
    char rows, cols;
    int output;
    unsigned need; /* RV_PLAN_* flag that must be set (WITH_H / WITH_DX), or 0 */
    unsigned drop; /* RV_PLAN_* flag that removes it (NO_BIAS), or 0 */
    size_t ptr_off, ld_off;
} spec;

#define NO_LD SIZE_MAX
#define M_(T, nm, f, r, c, out, need, drop, ldf) {nm, r, c, out, need, drop, offsetof(T, f), ldf}
#define MAT(T, nm, f, ld, r, c, out, need, drop) \
    M_(T, nm, f, r, c, out, need, drop, offsetof(T, ld))
#define VEC(T, nm, f, len, out, need, drop) M_(T, nm, f, '1', len, out, need, drop, NO_LD)

static const spec relu_fwd_specs[] = {
    MAT(rv_relu_fwd_args, "x", x, ldx, 'n', 'm', 0, 0, 0),
    MAT(rv_relu_fwd_args, "y", y, ldy, 'n', 'm', 1, 0, 0),
};
static const spec relu_bwd_specs[] = {
    MAT(rv_relu_bwd_args, "x", x, ldx, 'n', 'm', 0, 0, 0),
    MAT(rv_relu_bwd_args, "dy", dy, lddy, 'n', 'm', 0, 0, 0),
    MAT(rv_relu_bwd_args, "dx", dx, lddx, 'n', 'm', 1, 0, 0),
};
static const spec layer_fwd_specs[] = {
    MAT(rv_layer_fwd_args, "X", X, ldx, 'n', 'd', 0, 0, 0),
    MAT(rv_layer_fwd_args, "W", W, ldw, 'm', 'd', 0, 0, 0),
    VEC(rv_layer_fwd_args, "b", b, 'm', 0, 0, RV_PLAN_NO_BIAS),
    VEC(rv_layer_fwd_args, "v", v, 'm', 0, 0, 0),
    MAT(rv_layer_fwd_args, "Z", Z, ldz, 'n', 'm', 1, 0, 0),
    MAT(rv_layer_fwd_args, "H", H, ldh, 'n', 'm', 1, RV_PLAN_WITH_H, 0),
    VEC(rv_layer_fwd_args, "o", o, 'n', 1, 0, 0),
};
static const spec layer_bwd_specs[] = {
    MAT(rv_layer_bwd_args, "X", X, ldx, 'n', 'd', 0, 0, 0),
    MAT(rv_layer_bwd_args, "W", W, ldw, 'm', 'd', 0, 0, 0),
    VEC(rv_layer_bwd_args, "v", v, 'm', 0, 0, 0),
    MAT(rv_layer_bwd_args, "Z", Z, ldz, 'n', 'm', 0, 0, 0),
    VEC(rv_layer_bwd_args, "g", g, 'n', 0, 0, 0),
    MAT(rv_layer_bwd_args, "dZ", dZ, lddz, 'n', 'm', 1, 0, 0),
    VEC(rv_layer_bwd_args, "dv", dv, 'm', 1, 0, 0),
    MAT(rv_layer_bwd_args, "dW", dW, lddw, 'm', 'd', 1, 0, 0),
    VEC(rv_layer_bwd_args, "db", db, 'm', 1, 0, RV_PLAN_NO_BIAS),
    MAT(rv_layer_bwd_args, "dX", dX, lddx, 'n', 'd', 1, RV_PLAN_WITH_DX, 0),
};

static const struct {
    const spec *specs;
    size_t count;
} op_specs[RV_OP_COUNT] = {
    [RV_OP_RELU_FWD] = {relu_fwd_specs, sizeof relu_fwd_specs / sizeof(spec)},
    [RV_OP_RELU_BWD] = {relu_bwd_specs, sizeof relu_bwd_specs / sizeof(spec)},
    [RV_OP_LAYER_FWD] = {layer_fwd_specs, sizeof layer_fwd_specs / sizeof(spec)},
    [RV_OP_LAYER_BWD] = {layer_bwd_specs, sizeof layer_bwd_specs / sizeof(spec)},
};

typedef struct set {
    rv_any_args args;
    void *mem;
} set;

struct rv_ws {
    rv_problem p;
    size_t nsets;
    set sets[];
};

static size_t extent(const rv_shape *s, char unit)
{
    return unit == 'n' ? s->n : unit == 'd' ? s->d : unit == 'm' ? s->m : 1;
}

static int present(const spec *sp, unsigned flags)
{
    return (!sp->need || (flags & sp->need)) && !(flags & sp->drop);
}

/* Bytes of one operand rounded up to ALIGN, or 0 on overflow. */
static size_t operand_bytes(const spec *sp, const rv_problem *p)
{
    size_t r = extent(&p->shape, sp->rows), c = extent(&p->shape, sp->cols);
    size_t es = rv_dtype_size(p->dt);
    if (r == 0 || c == 0 || r > SIZE_MAX / c || r * c > (SIZE_MAX - ALIGN) / es)
        return 0;
    return (r * c * es + ALIGN - 1) / ALIGN * ALIGN;
}

size_t rv_ws_set_bytes(const rv_problem *p)
{
    size_t total = 0;
    for (size_t k = 0; k < op_specs[p->op].count; k++) {
        const spec *sp = &op_specs[p->op].specs[k];
        if (!present(sp, p->flags))
            continue;
        size_t b = operand_bytes(sp, p);
        if (b == 0 || total > SIZE_MAX - b)
            return 0;
        total += b;
    }
    return total;
}

size_t rv_ws_rotation(const rv_problem *p)
{
    size_t b = rv_ws_set_bytes(p);
    if (b == 0)
        return 1;
    size_t n = (ROTATE_SPAN + b - 1) / b;
    n = n < 2 ? 2 : n > 8 ? 8 : n;
    while (n > 1 && b > ROTATE_CAP / n)
        n--;
    return n;
}

/* splitmix64: a small, well-mixed hash of (operand, element). */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

static void fill_exact(void *p, size_t count, rv_dtype dt, unsigned k)
{
    for (size_t i = 0; i < count; i++) {
        double v = (double)((int)(mix(((uint64_t)k << 48) ^ i) % 9) - 4) / 8.0;
        if (dt == RV_F32)
            ((float *)p)[i] = (float)v;
        else
            ((double *)p)[i] = v;
    }
}

static void fill_nan(void *p, size_t count, rv_dtype dt)
{
    for (size_t i = 0; i < count; i++) {
        if (dt == RV_F32)
            ((float *)p)[i] = NAN;
        else
            ((double *)p)[i] = NAN;
    }
}

static void set_sizes(rv_any_args *a, const rv_problem *p)
{
    const rv_shape *s = &p->shape;
    switch (p->op) {
    case RV_OP_RELU_FWD:
        a->relu_fwd.rows = s->n;
        a->relu_fwd.cols = s->m;
        break;
    case RV_OP_RELU_BWD:
        a->relu_bwd.rows = s->n;
        a->relu_bwd.cols = s->m;
        break;
    case RV_OP_LAYER_FWD:
        a->layer_fwd.n = s->n, a->layer_fwd.d = s->d, a->layer_fwd.m = s->m;
        break;
    default:
        a->layer_bwd.n = s->n, a->layer_bwd.d = s->d, a->layer_bwd.m = s->m;
        break;
    }
}

rv_status rv_ws_create(rv_ws **out, const rv_problem *p, size_t nsets, rv_error *err)
{
    *out = NULL;
    size_t bytes = rv_ws_set_bytes(p);
    if (bytes == 0)
        return rv_fail(err, RV_ERR_OVERFLOW, "workspace for n=%zu d=%zu m=%zu overflows size_t",
                       p->shape.n, p->shape.d, p->shape.m);
    rv_ws *ws = calloc(1, sizeof *ws + nsets * sizeof(set));
    if (!ws)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for a tuning workspace");
    ws->p = *p;
    for (size_t i = 0; i < nsets; i++) {
        set *st = &ws->sets[i];
        st->mem = aligned_alloc(ALIGN, bytes);
        if (!st->mem) {
            rv_ws_destroy(ws);
            return rv_fail(err, RV_ERR_NOMEM, "out of memory: %zu bytes of tuning buffers",
                           bytes * nsets);
        }
        ws->nsets = i + 1;
        set_sizes(&st->args, p);
        char *at = st->mem;
        for (size_t k = 0; k < op_specs[p->op].count; k++) {
            const spec *sp = &op_specs[p->op].specs[k];
            if (!present(sp, p->flags))
                continue;
            size_t cols = extent(&p->shape, sp->cols);
            size_t count = extent(&p->shape, sp->rows) * cols;
            memcpy((char *)&st->args + sp->ptr_off, &at, sizeof at);
            if (sp->ld_off != NO_LD)
                memcpy((char *)&st->args + sp->ld_off, &cols, sizeof cols);
            if (sp->output)
                fill_nan(at, count, p->dt);
            else
                fill_exact(at, count, p->dt, (unsigned)k);
            at += operand_bytes(sp, p);
        }
    }
    *out = ws;
    return RV_OK;
}

void rv_ws_destroy(rv_ws *ws)
{
    if (!ws)
        return;
    for (size_t i = 0; i < ws->nsets; i++)
        free(ws->sets[i].mem);
    free(ws);
}

size_t rv_ws_sets(const rv_ws *ws)
{
    return ws->nsets;
}

const void *rv_ws_args(const rv_ws *ws, size_t i)
{
    return &ws->sets[i].args;
}

size_t rv_ws_operands(const rv_ws *ws, size_t i, rv_operand *out)
{
    const rv_problem *p = &ws->p;
    size_t count = 0;
    for (size_t k = 0; k < op_specs[p->op].count; k++) {
        const spec *sp = &op_specs[p->op].specs[k];
        if (!present(sp, p->flags))
            continue;
        rv_operand *o = &out[count++];
        memcpy(&o->p, (const char *)&ws->sets[i].args + sp->ptr_off, sizeof o->p);
        o->name = sp->name;
        o->rows = extent(&p->shape, sp->rows);
        o->cols = extent(&p->shape, sp->cols);
        o->ld = o->cols;
        o->output = sp->output;
    }
    return count;
}

void rv_ws_poison_outputs(rv_ws *ws, size_t i)
{
    rv_operand ops[RV_WS_MAX_OPERANDS];
    size_t count = rv_ws_operands(ws, i, ops);
    for (size_t k = 0; k < count; k++)
        if (ops[k].output)
            fill_nan(ops[k].p, ops[k].rows * ops[k].cols, ws->p.dt);
}
