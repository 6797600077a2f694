/* tune_ws.c - argument blocks over owned buffers (see tune_ws.h), laid out
 * by the operand schema (reluvet/schema.h). */
#include "tune_ws.h"

#include "reluvet/schema.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN 64
#define ROTATE_SPAN ((size_t)32 << 20)
#define ROTATE_CAP ((size_t)512 << 20)

typedef struct set {
    rv_any_args args;
    void *mem;
} set;

struct rv_ws {
    rv_problem p;
    size_t nsets;
    set sets[];
};

/* Bytes of one operand rounded up to ALIGN, or 0 on overflow. */
static size_t operand_bytes(const rv_operand_spec *sp, const rv_problem *p)
{
    size_t r = rv_extent_of(sp->rows, p->shape), c = rv_extent_of(sp->cols, p->shape);
    size_t es = rv_dtype_size(p->dt);
    if (r == 0 || c == 0 || r > SIZE_MAX / c || r * c > (SIZE_MAX - ALIGN) / es)
        return 0;
    return (r * c * es + ALIGN - 1) / ALIGN * ALIGN;
}

size_t rv_ws_set_bytes(const rv_problem *p)
{
    size_t total = 0, count;
    const rv_operand_spec *specs = rv_schema_operands(p->op, &count);
    for (size_t k = 0; k < count; k++) {
        const rv_operand_spec *sp = &specs[k];
        if (!rv_operand_present(sp, p->flags))
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
        rv_schema_bind_shape(p->op, p->shape, &st->args);
        char *at = st->mem;
        size_t nspecs;
        const rv_operand_spec *specs = rv_schema_operands(p->op, &nspecs);
        for (size_t k = 0; k < nspecs; k++) {
            const rv_operand_spec *sp = &specs[k];
            if (!rv_operand_present(sp, p->flags))
                continue;
            size_t cols = rv_extent_of(sp->cols, p->shape);
            size_t count = rv_extent_of(sp->rows, p->shape) * cols;
            rv_schema_set(&st->args, sp, at, cols);
            if (sp->role == RV_OUT)
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
    size_t count = 0, nspecs;
    const rv_operand_spec *specs = rv_schema_operands(p->op, &nspecs);
    for (size_t k = 0; k < nspecs; k++) {
        const rv_operand_spec *sp = &specs[k];
        if (!rv_operand_present(sp, p->flags))
            continue;
        rv_operand *o = &out[count++];
        o->p = rv_schema_get(&ws->sets[i].args, sp);
        o->name = sp->name;
        o->rows = rv_extent_of(sp->rows, p->shape);
        o->cols = rv_extent_of(sp->cols, p->shape);
        o->ld = o->cols;
        o->output = sp->role == RV_OUT;
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
