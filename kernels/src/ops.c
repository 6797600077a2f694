/* ops.c - names, argument validation and the cost model of the operations. */
#include <stdint.h>
#include <string.h>

#include "reluvet/ops.h"

static const char *const op_names[RV_OP_COUNT] = {
#define RV_OP(ID, name, args) [RV_OP_##ID] = #name,
#include "reluvet/variants.def"
#undef RV_OP
};

const char *rv_op_name(rv_op op)
{
    return (unsigned)op < RV_OP_COUNT ? op_names[op] : NULL;
}

int rv_op_from_name(const char *name, rv_op *op)
{
    for (int i = 0; name && i < RV_OP_COUNT; i++)
        if (strcmp(name, op_names[i]) == 0) {
            *op = (rv_op)i;
            return 0;
        }
    return -1;
}

static const char *const dtype_names[RV_DTYPE_COUNT] = {"f32", "f64"};

const char *rv_dtype_name(rv_dtype dt)
{
    return (unsigned)dt < RV_DTYPE_COUNT ? dtype_names[dt] : NULL;
}

int rv_dtype_from_name(const char *name, rv_dtype *dt)
{
    for (int i = 0; name && i < RV_DTYPE_COUNT; i++)
        if (strcmp(name, dtype_names[i]) == 0) {
            *dt = (rv_dtype)i;
            return 0;
        }
    return -1;
}

size_t rv_dtype_size(rv_dtype dt)
{
    return dt == RV_F32 ? 4 : dt == RV_F64 ? 8 : 0;
}

rv_shape rv_args_shape(rv_op op, const void *args)
{
    rv_shape s = {0, 0, 0};
    switch (op) {
    case RV_OP_RELU_FWD: {
        const rv_relu_fwd_args *a = args;
        s = (rv_shape){a->rows, 1, a->cols};
        break;
    }
    case RV_OP_RELU_BWD: {
        const rv_relu_bwd_args *a = args;
        s = (rv_shape){a->rows, 1, a->cols};
        break;
    }
    case RV_OP_LAYER_FWD: {
        const rv_layer_fwd_args *a = args;
        s = (rv_shape){a->n, a->d, a->m};
        break;
    }
    case RV_OP_LAYER_BWD: {
        const rv_layer_bwd_args *a = args;
        s = (rv_shape){a->n, a->d, a->m};
        break;
    }
    default:
        break;
    }
    return s;
}

/* One operand as the validator sees it: a rows x cols matrix (a vector is
 * 1 x len) with its leading dimension, and whether it is written. */
typedef struct operand {
    const char *name;
    const void *p;
    size_t rows, cols, ld;
    int written, optional, may_alias; /* may_alias: index+1 of the operand it may equal */
} operand;

/* Bytes spanned by an operand, or 0 if that overflows size_t. */
static size_t span_bytes(const operand *o, size_t es)
{
    if (o->rows > (SIZE_MAX - o->cols) / o->ld)
        return 0;
    size_t elems = (o->rows - 1) * o->ld + o->cols;
    if (elems > SIZE_MAX / es)
        return 0;
    return elems * es;
}

static int overlaps(const operand *a, size_t na, const operand *b, size_t nb)
{
    uintptr_t pa = (uintptr_t)a->p, pb = (uintptr_t)b->p;
    return pa < pb + nb && pb < pa + na;
}

static rv_status check_operands(const operand *ops, int count, size_t es, rv_error *err)
{
    size_t span[16];
    for (int i = 0; i < count; i++) {
        const operand *o = &ops[i];
        if (!o->p) {
            if (o->optional)
                continue;
            return rv_fail(err, RV_ERR_NULL, "%s is NULL", o->name);
        }
        if (o->rows == 0 || o->cols == 0)
            return rv_fail(err, RV_ERR_SIZE, "%s has a zero extent (%zu x %zu)", o->name,
                           o->rows, o->cols);
        if (o->ld < o->cols)
            return rv_fail(err, RV_ERR_LD, "leading dimension of %s is %zu < width %zu",
                           o->name, o->ld, o->cols);
        span[i] = span_bytes(o, es);
        if (span[i] == 0)
            return rv_fail(err, RV_ERR_OVERFLOW, "%s: %zu x %zu (ld %zu) overflows size_t",
                           o->name, o->rows, o->cols, o->ld);
    }
    for (int i = 0; i < count; i++) {
        if (!ops[i].p || !ops[i].written)
            continue;
        for (int j = 0; j < count; j++) {
            if (j == i || !ops[j].p || (j < i && ops[j].written))
                continue;
            if (ops[i].may_alias == j + 1 && ops[i].p == ops[j].p && ops[i].ld == ops[j].ld)
                continue;
            if (overlaps(&ops[i], span[i], &ops[j], span[j]))
                return rv_fail(err, RV_ERR_ALIAS, "%s overlaps %s", ops[i].name, ops[j].name);
        }
    }
    return RV_OK;
}

#define MAT(nm, ptr, r, c, l, w) {nm, ptr, r, c, l, w, 0, 0}
#define VEC(nm, ptr, len, w) {nm, ptr, 1, len, len, w, 0, 0}

rv_status rv_args_validate(rv_op op, rv_dtype dt, const void *args, rv_error *err)
{
    size_t es = rv_dtype_size(dt);
    if (es == 0)
        return rv_fail(err, RV_ERR_DTYPE, "unknown dtype %d", (int)dt);
    if ((unsigned)op >= RV_OP_COUNT)
        return rv_fail(err, RV_ERR_OP, "unknown operation %d", (int)op);
    if (!args)
        return rv_fail(err, RV_ERR_NULL, "argument block is NULL");
    switch (op) {
    case RV_OP_RELU_FWD: {
        const rv_relu_fwd_args *a = args;
        operand o[] = {MAT("x", a->x, a->rows, a->cols, a->ldx, 0),
                       MAT("y", a->y, a->rows, a->cols, a->ldy, 1)};
        o[1].may_alias = 1;
        return check_operands(o, 2, es, err);
    }
    case RV_OP_RELU_BWD: {
        const rv_relu_bwd_args *a = args;
        operand o[] = {MAT("x", a->x, a->rows, a->cols, a->ldx, 0),
                       MAT("dy", a->dy, a->rows, a->cols, a->lddy, 0),
                       MAT("dx", a->dx, a->rows, a->cols, a->lddx, 1)};
        o[2].may_alias = 2;
        return check_operands(o, 3, es, err);
    }
    case RV_OP_LAYER_FWD: {
        const rv_layer_fwd_args *a = args;
        operand o[] = {MAT("X", a->X, a->n, a->d, a->ldx, 0),
                       MAT("W", a->W, a->m, a->d, a->ldw, 0),
                       VEC("b", a->b, a->m, 0),
                       VEC("v", a->v, a->m, 0),
                       MAT("Z", a->Z, a->n, a->m, a->ldz, 1),
                       MAT("H", a->H, a->n, a->m, a->ldh, 1),
                       VEC("o", a->o, a->n, 1)};
        o[2].optional = o[5].optional = 1;
        return check_operands(o, 7, es, err);
    }
    case RV_OP_LAYER_BWD: {
        const rv_layer_bwd_args *a = args;
        operand o[] = {MAT("X", a->X, a->n, a->d, a->ldx, 0),
                       MAT("W", a->W, a->m, a->d, a->ldw, 0),
                       VEC("v", a->v, a->m, 0),
                       MAT("Z", a->Z, a->n, a->m, a->ldz, 0),
                       VEC("g", a->g, a->n, 0),
                       MAT("dZ", a->dZ, a->n, a->m, a->lddz, 1),
                       VEC("dv", a->dv, a->m, 1),
                       MAT("dW", a->dW, a->m, a->d, a->lddw, 1),
                       VEC("db", a->db, a->m, 1),
                       MAT("dX", a->dX, a->n, a->d, a->lddx, 1)};
        o[8].optional = o[9].optional = 1;
        return check_operands(o, 10, es, err);
    }
    default:
        return rv_fail(err, RV_ERR_OP, "unknown operation %d", (int)op);
    }
}

double rv_op_flops(rv_op op, rv_shape s, int with_dx)
{
    double n = (double)s.n, d = (double)s.d, m = (double)s.m;
    switch (op) {
    case RV_OP_LAYER_FWD:
        return 2 * n * d * m + 3 * n * m;
    case RV_OP_LAYER_BWD:
        return 4 * n * m + 2 * n * d * m + (with_dx ? 2 * n * d * m : 0);
    default:
        return 0;
    }
}

double rv_op_bytes(rv_op op, rv_dtype dt, rv_shape s, int extra)
{
    double es = (double)rv_dtype_size(dt);
    double n = (double)s.n, d = (double)s.d, m = (double)s.m;
    switch (op) {
    case RV_OP_RELU_FWD:
        return 2 * n * m * es;
    case RV_OP_RELU_BWD:
        return 3 * n * m * es;
    case RV_OP_LAYER_FWD: /* X, W, b, v in; Z, o (and H) out */
        return es * (n * d + m * d + 2 * m + n * m + n + (extra ? n * m : 0));
    case RV_OP_LAYER_BWD: /* X, W, v, Z, g in; dZ, dv, dW, db (and dX) out */
        return es * (n * d + m * d + m + n * m + n + n * m + m + m * d + m +
                     (extra ? n * d : 0));
    default:
        return 0;
    }
}
