/* net.c - parameters, plans, forward / backward / evaluation, in the direct
 * and the subspace forms. */
#include "net.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "rng.h"

/* Evaluation chunks: at most 1024 rows and about 2^21 doubles of chunk x
 * (dc + m) workspace, at least 64 rows. */
static size_t eval_chunk(size_t test_n, size_t dc, size_t m)
{
    size_t c = ((size_t)1 << 21) / (dc + m);
    c = c < 64 ? 64 : c > 1024 ? 1024 : c;
    return test_n < c ? test_n : c;
}

static int subspace(rvo_form f)
{
    return f == RVO_FORM_SUBSPACE || f == RVO_FORM_REDUCED;
}

double rvo_net_bytes(size_t n, size_t d, size_t m, rvo_form form, size_t test_n)
{
    size_t dcs = rvo_form_coords(form, n, d, m);
    double nd = (double)n, md = (double)m, dc = (double)dcs;
    double chunk = (double)eval_chunk(test_n, dcs, m);
    double per = 2 * nd * md + nd + chunk * (dc + md + 1);
    if (!subspace(form))
        return 8 * (2 * md * (dc + 2) + per);
    /* theta, grad; W0, We; Xt; zeros */
    return 8 * (2 * md * (2 * nd + 2) + 2 * md * dc + 2 * nd * nd + nd + md + per);
}

void rvo_net_destroy(rvo_net *net)
{
    if (!net)
        return;
    rv_plan_destroy(net->fwd);
    rv_plan_destroy(net->bwd);
    rv_plan_destroy(net->gram);
    rv_plan_destroy(net->proj);
    rv_plan_destroy(net->efwd);
    rv_plan_destroy(net->etail);
    free(net->theta);
    free(net->grad);
    free(net->o);
    free(net->Z);
    free(net->dZ);
    free(net->W0);
    free(net->Xt);
    free(net->We);
    free(net->zv);
    free(net->eX);
    free(net->eZ);
    free(net->eo);
    free(net);
}

void rvo_net_training_problems(size_t n, size_t d, size_t m, int bias, rvo_form form,
                               rv_problem *out)
{
    unsigned flags = bias ? 0 : RV_PLAN_NO_BIAS;
    size_t df = subspace(form) ? 2 * n : d, db = subspace(form) ? n : d;
    out[0] = (rv_problem){RV_OP_LAYER_FWD, RV_F64, {n, df, m}, flags};
    out[1] = (rv_problem){RV_OP_LAYER_BWD, RV_F64, {n, db, m}, flags};
}

static rv_status make_plan(rv_plan **plan, const rv_problem *p, const rv_plan_opts *po,
                           rv_error *err)
{
    return rv_plan_create(plan, p->op, p->dt, p->shape, p->flags, po, err);
}

rv_status rvo_net_create(rvo_net **out, size_t n, size_t d, size_t m, int bias, rvo_form form,
                         size_t test_n, int threads, rv_wisdom *wisdom, rv_error *err)
{
    *out = NULL;
    if (n == 0 || d == 0 || m == 0 || test_n == 0)
        return rv_fail(err, RV_ERR_SIZE, "net n=%zu d=%zu m=%zu test=%zu has a zero size", n,
                       d, m, test_n);
    if (form != RVO_FORM_DIRECT && form != RVO_FORM_SUBSPACE && form != RVO_FORM_REDUCED)
        return rv_fail(err, RV_ERR_OPTS, "a net needs the direct, subspace or reduced form");
    if (form == RVO_FORM_REDUCED && (n > SIZE_MAX / 4 - m || d <= n + m))
        return rv_fail(err, RV_ERR_OPTS, "the reduced form needs d > n + m (n=%zu d=%zu m=%zu)",
                       n, d, m);
    size_t dc = rvo_form_coords(form, n, d, m), ldw = subspace(form) ? 2 * n : d;
    if (n > SIZE_MAX / 16 || m > SIZE_MAX / 8 / (dc + 2) || m > SIZE_MAX / 8 / (ldw + 2) ||
        n > SIZE_MAX / 8 / m || n > SIZE_MAX / 16 / (n + 1))
        return rv_fail(err, RV_ERR_OVERFLOW, "net n=%zu d=%zu m=%zu is too large", n, d, m);
    rvo_net *net = calloc(1, sizeof *net);
    if (!net)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for a net");
    net->n = n;
    net->d = d;
    net->m = m;
    net->bias = bias != 0;
    net->form = form;
    net->dc = dc;
    net->dx = form == RVO_FORM_REDUCED ? n : d;
    net->ldw = ldw;
    net->nparams = m * ldw + (net->bias ? m : 0) + m;
    net->test_n = test_n;
    net->chunk = eval_chunk(test_n, dc, m);
    net->theta = calloc(net->nparams, sizeof(double));
    net->grad = calloc(net->nparams, sizeof(double));
    net->o = calloc(n, sizeof(double));
    net->Z = calloc(n * m, sizeof(double));
    net->dZ = calloc(n * m, sizeof(double));
    net->eX = calloc(net->chunk * dc, sizeof(double));
    net->eZ = calloc(net->chunk * m, sizeof(double));
    net->eo = calloc(net->chunk, sizeof(double));
    int ok = net->theta && net->grad && net->o && net->Z && net->dZ && net->eX && net->eZ &&
             net->eo;
    if (ok && subspace(form)) {
        net->W0 = calloc(m * dc, sizeof(double));
        net->We = calloc(m * dc, sizeof(double));
        net->Xt = calloc(2 * n * n, sizeof(double));
        net->zv = calloc(n > m ? n : m, sizeof(double));
        ok = net->W0 && net->We && net->Xt && net->zv;
    }
    if (!ok) {
        rvo_net_destroy(net);
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for a net n=%zu d=%zu m=%zu (%s)", n,
                       d, m, rvo_form_name(form));
    }
    if (net->Xt)
        for (size_t i = 0; i < n; i++)
            net->Xt[i * 2 * n + n + i] = 1; /* the identity block */
    net->W = net->theta;
    net->b = net->bias ? net->theta + m * ldw : NULL;
    net->v = net->theta + m * ldw + (net->bias ? m : 0);
    net->dW = net->grad;
    net->db = net->bias ? net->grad + m * ldw : NULL;
    net->dv = net->grad + m * ldw + (net->bias ? m : 0);

    rv_plan_opts po = {.effort = RV_EFFORT_ESTIMATE, .max_threads = threads, .wisdom = wisdom};
    rv_problem train[RVO_NET_TRAINING_PROBLEMS];
    rvo_net_training_problems(n, d, m, net->bias, form, train);
    rv_problem eval = {RV_OP_LAYER_FWD, RV_F64, {net->chunk, dc, m}, train[0].flags};
    rv_problem tail = eval;
    tail.shape.n = test_n % net->chunk;
    rv_status s = make_plan(&net->fwd, &train[0], &po, err);
    if (s == RV_OK)
        s = make_plan(&net->bwd, &train[1], &po, err);
    if (s == RV_OK)
        s = make_plan(&net->efwd, &eval, &po, err);
    if (s == RV_OK && tail.shape.n)
        s = make_plan(&net->etail, &tail, &po, err);
    if (s == RV_OK && subspace(form)) {
        rv_problem g = {RV_OP_LAYER_FWD, RV_F64, {n, net->dx, n}, RV_PLAN_NO_BIAS};
        rv_problem p = {RV_OP_LAYER_FWD, RV_F64, {m, net->dx, n}, RV_PLAN_NO_BIAS};
        s = make_plan(&net->gram, &g, &po, err);
        if (s == RV_OK)
            s = make_plan(&net->proj, &p, &po, err);
    }
    if (s != RV_OK) {
        rvo_net_destroy(net);
        return s;
    }
    *out = net;
    return RV_OK;
}

/* Init sub-streams: W and v are drawn apart from b so that a bias-free net
 * of the same stream has exactly the biased net's W and v. */
enum { STREAM_WV = 1, STREAM_KINKS = 2 };

void rvo_net_init(rvo_net *net, double init_w, double init_v, uint64_t stream)
{
    size_t d = net->d, m = net->m, dc = net->dc;
    double *W = subspace(net->form) ? net->W0 : net->W;
    uint64_t w[2] = {stream, STREAM_WV};
    rvo_rng r;
    rvo_rng_seed(&r, rvo_seed_hash(w, 2));
    double vscale = init_v / sqrt((double)m);
    for (size_t j = 0; j < m; j++) {
        double *wj = W + j * dc;
        if (net->form == RVO_FORM_REDUCED) {
            rvo_bartlett_row(&r, wj, net->n + j, dc, d, init_w);
        } else if (d == 1) {
            wj[0] = rvo_rng_uniform(&r) < 0.5 ? -init_w : init_w;
        } else {
            double s2;
            do {
                s2 = 0;
                for (size_t k = 0; k < d; k++) {
                    wj[k] = rvo_rng_normal(&r);
                    s2 += wj[k] * wj[k];
                }
            } while (s2 == 0);
            double f = init_w / sqrt(s2);
            for (size_t k = 0; k < d; k++)
                wj[k] *= f;
        }
        net->v[j] = rvo_rng_uniform(&r) < 0.5 ? -vscale : vscale;
    }
    if (subspace(net->form)) {
        memset(net->W, 0, m * net->ldw * sizeof(double)); /* A = 0; P comes with bind */
        net->w0sq = 0;
        for (size_t k = 0; k < m * dc; k++)
            net->w0sq += net->W0[k] * net->W0[k];
    }
    if (!net->bias)
        return;
    w[1] = STREAM_KINKS;
    if (net->form == RVO_FORM_REDUCED) {
        /* w_j . u_j = init_w cos, (1 + cos)/2 ~ Beta((d-1)/2, (d-1)/2) */
        rvo_rng_seed(&r, rvo_seed_hash(w, 2));
        for (size_t j = 0; j < m; j++)
            net->b[j] = -init_w * rvo_rng_sym_beta_cos(&r, (double)(d - 1) / 2);
        return;
    }
    /* one fresh input at a time in eX (chunk x dc >= d doubles): the same
     * points as drawing all m at once */
    double *u = net->eX;
    rvo_inputs_open(&r, rvo_seed_hash(w, 2));
    for (size_t j = 0; j < m; j++) {
        rvo_inputs_draw(&r, u, 1, d);
        double z = 0;
        for (size_t k = 0; k < d; k++)
            z += W[j * dc + k] * u[k];
        net->b[j] = -z;
    }
}

rv_status rvo_net_bind(rvo_net *net, const double *X, rv_error *err)
{
    net->X = X;
    if (!subspace(net->form))
        return RV_OK;
    size_t n = net->n, m = net->m, dx = net->dx;
    /* G = X X^T into Xt's first block, P^T = W0 X^T into Wt's frozen block
     * (Z of the layer_fwd op without bias; its o lands in dZ, unused) */
    rv_layer_fwd_args g = {.n = n, .d = dx, .m = n, .X = X, .ldx = dx, .W = X, .ldw = dx,
                           .v = net->zv, .Z = net->Xt, .ldz = 2 * n, .o = net->dZ};
    rv_status s = rv_plan_execute(net->gram, &g, err);
    if (s != RV_OK)
        return s;
    rv_layer_fwd_args p = {.n = m, .d = dx, .m = n, .X = net->W0, .ldx = net->dc, .W = X,
                           .ldw = dx, .v = net->zv, .Z = net->W + n, .ldz = 2 * n,
                           .o = net->dZ};
    return rv_plan_execute(net->proj, &p, err);
}

rv_status rvo_net_forward(rvo_net *net, rv_error *err)
{
    int sub = subspace(net->form);
    rv_layer_fwd_args a = {.n = net->n, .d = sub ? 2 * net->n : net->d, .m = net->m,
                           .X = sub ? net->Xt : net->X, .ldx = sub ? 2 * net->n : net->d,
                           .W = net->W, .ldw = net->ldw, .b = net->b, .v = net->v,
                           .Z = net->Z, .ldz = net->m, .o = net->o};
    return rv_plan_execute(net->fwd, &a, err);
}

rv_status rvo_net_backward(rvo_net *net, const double *g, rv_error *err)
{
    int sub = subspace(net->form);
    /* subspace: the inputs are Xt's identity block, so dW = dZ^T */
    rv_layer_bwd_args a = {.n = net->n, .d = sub ? net->n : net->d, .m = net->m,
                           .X = sub ? net->Xt + net->n : net->X,
                           .ldx = sub ? 2 * net->n : net->d, .W = net->W, .ldw = net->ldw,
                           .v = net->v, .Z = net->Z, .ldz = net->m, .g = g, .dZ = net->dZ,
                           .lddz = net->m, .dv = net->dv, .dW = net->dW, .lddw = net->ldw,
                           .db = net->db};
    return rv_plan_execute(net->bwd, &a, err);
}

/* The first-layer weights test points meet: W (direct), or We = W0 + A X
 * made now (m n dx flops, once per evaluation: cheaper than W0 x + A (X x)
 * for every test point, and the same numbers up to rounding). */
static const double *eval_weights(rvo_net *net)
{
    if (!subspace(net->form))
        return net->W;
    size_t n = net->n, m = net->m, dc = net->dc, dx = net->dx;
    memcpy(net->We, net->W0, m * dc * sizeof(double));
    for (size_t j = 0; j < m; j++) {
        double *we = net->We + j * dc;
        const double *a = net->W + j * net->ldw;
        for (size_t i = 0; i < n; i++) {
            const double *x = net->X + i * dx;
            for (size_t k = 0; k < dx; k++)
                we[k] += a[i] * x[k];
        }
    }
    return net->We;
}

/* Outputs on the test sequence: into out (test_n values) when out is not
 * NULL, and the count of outputs <= 0 into *wrong. */
static rv_status evaluate(rvo_net *net, uint64_t test_stream, double *out, size_t *wrong,
                          rv_error *err)
{
    const double *W = eval_weights(net);
    rvo_rng r;
    rvo_inputs_open(&r, test_stream);
    *wrong = 0;
    for (size_t i0 = 0; i0 < net->test_n; i0 += net->chunk) {
        size_t rows = net->test_n - i0 < net->chunk ? net->test_n - i0 : net->chunk;
        if (net->form == RVO_FORM_REDUCED)
            rvo_inputs_draw_reduced(&r, net->eX, rows, net->dc, net->d);
        else
            rvo_inputs_draw(&r, net->eX, rows, net->d);
        rv_layer_fwd_args a = {.n = rows, .d = net->dc, .m = net->m, .X = net->eX,
                               .ldx = net->dc, .W = W, .ldw = net->dc, .b = net->b,
                               .v = net->v, .Z = net->eZ, .ldz = net->m, .o = net->eo};
        rv_status s = rv_plan_execute(rows == net->chunk ? net->efwd : net->etail, &a, err);
        if (s != RV_OK)
            return s;
        for (size_t i = 0; i < rows; i++) {
            *wrong += net->eo[i] <= 0;
            if (out)
                out[i0 + i] = net->eo[i];
        }
    }
    return RV_OK;
}

rv_status rvo_net_test_outputs(rvo_net *net, uint64_t test_stream, double *out, rv_error *err)
{
    size_t wrong;
    return evaluate(net, test_stream, out, &wrong, err);
}

rv_status rvo_net_clean_error(rvo_net *net, uint64_t test_stream, double *error,
                              rv_error *err)
{
    size_t wrong;
    rv_status s = evaluate(net, test_stream, NULL, &wrong, err);
    if (s == RV_OK)
        *error = (double)wrong / (double)net->test_n;
    return s;
}

double rvo_net_sqnorm(const rvo_net *net)
{
    size_t n = net->n, m = net->m;
    double s = 0;
    if (!subspace(net->form)) {
        for (size_t k = 0; k < net->nparams; k++)
            s += net->theta[k] * net->theta[k];
        return s;
    }
    /* ||W0 + A X||^2 = ||W0||^2 + sum_j A_j . (2 P_.j + G A_j^T) */
    s = net->w0sq;
    for (size_t j = 0; j < m; j++) {
        const double *a = net->W + j * net->ldw, *pj = a + n;
        for (size_t i = 0; i < n; i++) {
            const double *gi = net->Xt + i * 2 * n;
            double ga = 0;
            for (size_t l = 0; l < n; l++)
                ga += gi[l] * a[l];
            s += a[i] * (2 * pj[i] + ga);
        }
    }
    for (size_t k = m * net->ldw; k < net->nparams; k++)
        s += net->theta[k] * net->theta[k];
    return s;
}

char *rvo_net_describe(const rvo_net *net, char *buf, size_t cap)
{
    char f[160], b[160];
    snprintf(buf, cap, "%s; %s", rv_plan_describe(net->fwd, f, sizeof f),
             rv_plan_describe(net->bwd, b, sizeof b));
    return buf;
}
