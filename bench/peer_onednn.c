/* peer_onednn.c - oneDNN (C API) on the same problems and buffers, f32 only
 * (oneDNN's CPU engine has no f64): eltwise ReLU forward and backward; for
 * the layer, inner product with a ReLU post-op forward, and backward as
 * eltwise ReLU backward + inner product backward weights (+ backward data
 * when dX is computed). Plain row-major layouts (nc / oi), as ours. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oneapi/dnnl/dnnl.h>
#include <omp.h>

#include "cases.h"

static dnnl_engine_t engine;
static dnnl_stream_t stream;

enum { MAX_PRIMS = 3, MAX_ARGS = 5, MAX_MEMS = 12 };

typedef struct onednn_state {
    int nprims, nmems;
    dnnl_primitive_t prim[MAX_PRIMS];
    int nargs[MAX_PRIMS];
    dnnl_exec_arg_t args[MAX_PRIMS][MAX_ARGS];
    dnnl_memory_t mem[MAX_MEMS];
    char label[256];
} onednn_state;

int rvb_onednn_covers(const rvb_problem *p)
{
    return p->dt == RV_F32 && p->op != RVB_OP_STEP;
}

const char *rvb_onednn_version(char *buf, size_t cap)
{
    const dnnl_version_t *v = dnnl_version();
    if (v->hash && strcmp(v->hash, "N/A") != 0)
        snprintf(buf, cap, "oneDNN %d.%d.%d (%s)", v->major, v->minor, v->patch, v->hash);
    else
        snprintf(buf, cap, "oneDNN %d.%d.%d", v->major, v->minor, v->patch);
    return buf;
}

void rvb_onednn_shutdown(void)
{
    if (stream)
        dnnl_stream_destroy(stream);
    if (engine)
        dnnl_engine_destroy(engine);
    stream = NULL;
    engine = NULL;
}

static void state_free(void *u)
{
    onednn_state *s = u;
    for (int i = 0; i < s->nprims; i++)
        dnnl_primitive_destroy(s->prim[i]);
    for (int i = 0; i < s->nmems; i++)
        dnnl_memory_destroy(s->mem[i]);
    free(s);
}

/* A row-major rows x cols (or, with cols == 0, a length-rows) f32 tensor. */
static dnnl_memory_desc_t md(size_t rows, size_t cols)
{
    dnnl_memory_desc_t d;
    dnnl_dims_t dims = {(dnnl_dim_t)rows, (dnnl_dim_t)cols};
    dnnl_memory_desc_init_by_tag(&d, cols ? 2 : 1, dims, dnnl_f32, cols ? dnnl_ab : dnnl_a);
    return d;
}

/* A memory object over the problem's buffer ptr; NULL when out of slots. */
static dnnl_memory_t mem(onednn_state *s, const dnnl_memory_desc_t *d, void *ptr)
{
    dnnl_memory_t m;
    if (s->nmems == MAX_MEMS || dnnl_memory_create(&m, d, engine, ptr) != dnnl_success)
        return NULL;
    return s->mem[s->nmems++] = m;
}

/* Creates the primitive for op_desc (with attr and hint, either may be NULL),
 * bound to the nargs (argument, memory) pairs; appends its implementation's
 * name to the label. Returns 0 or -1. */
static int prim(onednn_state *s, const_dnnl_op_desc_t op_desc, const_dnnl_primitive_attr_t attr,
                const_dnnl_primitive_desc_t hint, const char *what, int nargs,
                const dnnl_exec_arg_t *args)
{
    dnnl_primitive_desc_t pd;
    if (s->nprims == MAX_PRIMS ||
        dnnl_primitive_desc_create(&pd, op_desc, attr, engine, hint) != dnnl_success)
        return -1;
    const char *impl = "?";
    dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl);
    size_t len = strlen(s->label);
    snprintf(s->label + len, sizeof s->label - len, "%s%s [%s]", len ? " + " : "", what, impl);
    dnnl_status_t st = dnnl_primitive_create(&s->prim[s->nprims], pd);
    dnnl_primitive_desc_destroy(pd);
    if (st != dnnl_success)
        return -1;
    for (int i = 0; i < nargs; i++) {
        if (!args[i].memory)
            return -1;
        s->args[s->nprims][i] = args[i];
    }
    s->nargs[s->nprims++] = nargs;
    return 0;
}

/* Forward-training primitive descriptor of op_desc: the hint a backward
 * primitive descriptor needs. */
static dnnl_primitive_desc_t hint_pd(const_dnnl_op_desc_t op_desc)
{
    dnnl_primitive_desc_t pd = NULL;
    if (dnnl_primitive_desc_create(&pd, op_desc, NULL, engine, NULL) != dnnl_success)
        return NULL;
    return pd;
}

static int relu_bwd(onednn_state *s, size_t rows, size_t cols, void *x, void *dy, void *dx)
{
    dnnl_memory_desc_t d = md(rows, cols);
    dnnl_eltwise_desc_t fd, bd;
    dnnl_eltwise_forward_desc_init(&fd, dnnl_forward_training, dnnl_eltwise_relu, &d, 0, 0);
    dnnl_eltwise_backward_desc_init(&bd, dnnl_eltwise_relu, &d, &d, 0, 0);
    dnnl_primitive_desc_t hint = hint_pd(&fd);
    if (!hint)
        return -1;
    dnnl_exec_arg_t a[] = {{DNNL_ARG_SRC, mem(s, &d, x)},
                           {DNNL_ARG_DIFF_DST, mem(s, &d, dy)},
                           {DNNL_ARG_DIFF_SRC, mem(s, &d, dx)}};
    int rc = prim(s, &bd, NULL, hint, "eltwise relu bwd", 3, a);
    dnnl_primitive_desc_destroy(hint);
    return rc;
}

static int build(onednn_state *s, rvb_problem *p)
{
    void **a = p->a;
    size_t n = p->s.n, d = p->s.d, m = p->s.m;
    dnnl_memory_desc_t x = md(n, d), w = md(m, d), b = md(m, 0), z = md(n, m);
    switch (p->op) {
    case RV_OP_RELU_FWD: {
        dnnl_eltwise_desc_t ed;
        dnnl_eltwise_forward_desc_init(&ed, dnnl_forward_inference, dnnl_eltwise_relu, &z, 0, 0);
        dnnl_exec_arg_t args[] = {{DNNL_ARG_SRC, mem(s, &z, a[RVB_A_RX])},
                                  {DNNL_ARG_DST, mem(s, &z, a[RVB_A_RY])}};
        return prim(s, &ed, NULL, NULL, "eltwise relu fwd", 2, args);
    }
    case RV_OP_RELU_BWD:
        return relu_bwd(s, n, m, a[RVB_A_RX], a[RVB_A_RDY], a[RVB_A_RDX]);
    case RV_OP_LAYER_FWD: {
        dnnl_inner_product_desc_t ipd;
        dnnl_inner_product_forward_desc_init(&ipd, dnnl_forward_inference, &x, &w, &b, &z);
        dnnl_post_ops_t po;
        dnnl_primitive_attr_t attr;
        if (dnnl_post_ops_create(&po) != dnnl_success)
            return -1;
        dnnl_post_ops_append_eltwise(po, 1, dnnl_eltwise_relu, 0, 0);
        if (dnnl_primitive_attr_create(&attr) != dnnl_success) {
            dnnl_post_ops_destroy(po);
            return -1;
        }
        dnnl_primitive_attr_set_post_ops(attr, po);
        dnnl_post_ops_destroy(po);
        dnnl_exec_arg_t args[] = {
            {DNNL_ARG_SRC, mem(s, &x, a[RVB_A_X])},
            {DNNL_ARG_WEIGHTS, mem(s, &w, a[RVB_A_W])},
            {DNNL_ARG_BIAS, mem(s, &b, a[RVB_A_B])},
            {DNNL_ARG_DST, mem(s, &z, a[RVB_A_H] ? a[RVB_A_H] : a[RVB_A_Z])}};
        int rc = prim(s, &ipd, attr, NULL, "inner product fwd + relu post-op", 4, args);
        dnnl_primitive_attr_destroy(attr);
        return rc;
    }
    default: { /* layer_bwd: dZ is the incoming gradient, masked in place */
        if (relu_bwd(s, n, m, a[RVB_A_Z], a[RVB_A_DZ], a[RVB_A_DZ]))
            return -1;
        dnnl_inner_product_desc_t fd, wd, dd;
        dnnl_inner_product_forward_desc_init(&fd, dnnl_forward_training, &x, &w, &b, &z);
        dnnl_inner_product_backward_weights_desc_init(&wd, &x, &w, &b, &z);
        dnnl_primitive_desc_t hint = hint_pd(&fd);
        if (!hint)
            return -1;
        dnnl_exec_arg_t wargs[] = {{DNNL_ARG_SRC, mem(s, &x, a[RVB_A_X])},
                                   {DNNL_ARG_DIFF_DST, mem(s, &z, a[RVB_A_DZ])},
                                   {DNNL_ARG_DIFF_WEIGHTS, mem(s, &w, a[RVB_A_DW])},
                                   {DNNL_ARG_DIFF_BIAS, mem(s, &b, a[RVB_A_DB])}};
        int rc = prim(s, &wd, NULL, hint, "inner product bwd weights", 4, wargs);
        if (rc == 0 && a[RVB_A_DX]) {
            dnnl_inner_product_backward_data_desc_init(&dd, &x, &w, &z);
            dnnl_exec_arg_t dargs[] = {{DNNL_ARG_DIFF_DST, mem(s, &z, a[RVB_A_DZ])},
                                       {DNNL_ARG_WEIGHTS, mem(s, &w, a[RVB_A_W])},
                                       {DNNL_ARG_DIFF_SRC, mem(s, &x, a[RVB_A_DX])}};
            rc = prim(s, &dd, NULL, hint, "inner product bwd data", 3, dargs);
        }
        dnnl_primitive_desc_destroy(hint);
        return rc;
    }
    }
}

/* The problem's oneDNN state, built on first use with the default (all
 * cores) OpenMP thread count, which bounds the counts it may run at. */
static onednn_state *state(rvb_problem *p)
{
    if (p->peer)
        return p->peer;
    if (!engine && dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success)
        return NULL;
    if (!stream && dnnl_stream_create(&stream, engine, dnnl_stream_default_flags) != dnnl_success)
        return NULL;
    onednn_state *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (build(s, p)) {
        state_free(s);
        return NULL;
    }
    size_t len = strlen(s->label);
    snprintf(s->label + len, sizeof s->label - len, "%s",
             p->op == RV_OP_LAYER_BWD ? " (no dv, no g v^T)" : "");
    p->peer = s;
    p->peer_free = state_free;
    return s;
}

static int run(const onednn_state *s)
{
    for (int i = 0; i < s->nprims; i++)
        if (dnnl_primitive_execute(s->prim[i], stream, s->nargs[i], s->args[i]) != dnnl_success)
            return -1;
    return dnnl_stream_wait(stream) == dnnl_success ? 0 : -1;
}

void rvb_onednn_bench(rvb_state *st, void *u)
{
    rvb_case *c = u;
    if (rvb_case_begin(st, c))
        return;
    onednn_state *s = state(c->p);
    if (!s) {
        rvb_skip_with_error(st, "oneDNN could not create the primitives for this problem");
        return;
    }
    int saved = omp_get_max_threads();
    omp_set_num_threads(c->threads);
    if (run(s) != 0) {
        omp_set_num_threads(saved);
        rvb_skip_with_error(st, "oneDNN primitive execution failed");
        return;
    }
    while (rvb_keep_running(st))
        (void)run(s);
    omp_set_num_threads(saved);
    rvb_case_finish(st, c, s->label);
}
