/* tune_check.c - a candidate against the reference on exact inputs (see
 * tune_check.h for why exact equality is the right test there). */
#include "tune_check.h"

#include <stdio.h>
#include <stdlib.h>

#include "tune_ws.h"

struct rv_checker {
    rv_problem p; /* at the check shape */
    rv_run_fn run;
    rv_ws *ws;    /* set 0: the reference's outputs; set 1: the candidate's */
};

/* Is every partial sum of p's outputs exact in its dtype (header bound)? */
static int exact_at(rv_op op, rv_dtype dt, rv_shape s)
{
    double n = (double)s.n, d = (double)s.d, m = (double)s.m, bound = 0;
    if (op == RV_OP_LAYER_FWD)
        bound = 4 * m * (16 * d + 32);
    else if (op == RV_OP_LAYER_BWD)
        bound = 64 * (n > m ? n : m);
    return bound < (dt == RV_F32 ? 0x1p24 : 0x1p53);
}

static size_t reduce(size_t x)
{
    return x > 191 ? 128 + x % 64 : x;
}

rv_shape rv_check_shape(const rv_problem *p)
{
    rv_shape s = p->shape;
    if (exact_at(p->op, p->dt, s) && (double)s.n * (double)s.d * (double)s.m <= RV_CHECK_MAX_MACS)
        return s;
    return (rv_shape){reduce(s.n), reduce(s.d), reduce(s.m)};
}

rv_status rv_checker_create(rv_checker **out, const rv_problem *p, rv_run_fn run,
                            rv_error *err)
{
    *out = NULL;
    rv_checker *c = calloc(1, sizeof *c);
    if (!c)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for a checker");
    c->p = *p;
    c->p.shape = rv_check_shape(p);
    c->run = run;
    rv_status s = rv_ws_create(&c->ws, &c->p, 2, err);
    if (s == RV_OK)
        s = run(c->p.op, RV_VAR_REFERENCE, c->p.dt, NULL, rv_ws_args(c->ws, 0), err);
    if (s != RV_OK) {
        rv_checker_destroy(c);
        return s;
    }
    *out = c;
    return RV_OK;
}

static double at(const rv_operand *o, rv_dtype dt, size_t i, size_t j)
{
    size_t k = i * o->ld + j;
    return dt == RV_F32 ? (double)((const float *)o->p)[k] : ((const double *)o->p)[k];
}

int rv_checker_passes(rv_checker *chk, const rv_candidate *c, char *note, size_t cap)
{
    rv_error e = {0};
    rv_ws_poison_outputs(chk->ws, 1);
    if (chk->run(chk->p.op, c->variant, chk->p.dt, &c->opts, rv_ws_args(chk->ws, 1), &e) !=
        RV_OK) {
        snprintf(note, cap, "run failed: %s", e.msg);
        return 0;
    }
    rv_operand ref[RV_WS_MAX_OPERANDS], got[RV_WS_MAX_OPERANDS];
    size_t count = rv_ws_operands(chk->ws, 0, ref);
    rv_ws_operands(chk->ws, 1, got);
    for (size_t k = 0; k < count; k++) {
        if (!ref[k].output)
            continue;
        for (size_t i = 0; i < ref[k].rows; i++)
            for (size_t j = 0; j < ref[k].cols; j++) {
                double want = at(&ref[k], chk->p.dt, i, j), have = at(&got[k], chk->p.dt, i, j);
                if (!(have == want)) {
                    snprintf(note, cap, "%s[%zu,%zu] = %g, reference %g (checked at n=%zu d=%zu m=%zu)",
                             ref[k].name, i, j, have, want, chk->p.shape.n, chk->p.shape.d,
                             chk->p.shape.m);
                    return 0;
                }
            }
    }
    return 1;
}

void rv_checker_destroy(rv_checker *chk)
{
    if (!chk)
        return;
    rv_ws_destroy(chk->ws);
    free(chk);
}
