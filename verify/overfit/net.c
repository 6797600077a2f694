/* net.c - parameters, plans, forward / backward / evaluation. */
#include "net.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "rng.h"

/* Evaluation chunks: at most 1024 rows and about 2^21 doubles of chunk x
 * (d + m) workspace, at least 64 rows. */
static size_t eval_chunk(size_t test_n, size_t d, size_t m)
{
    size_t c = ((size_t)1 << 21) / (d + m);
    c = c < 64 ? 64 : c > 1024 ? 1024 : c;
    return test_n < c ? test_n : c;
}

double rvo_net_bytes(size_t n, size_t d, size_t m, size_t test_n)
{
    double nd = (double)n, dd = (double)d, md = (double)m;
    double chunk = (double)eval_chunk(test_n, d, m);
    double nparams = md * (dd + 2);
    return 8 * (2 * nparams + nd + 2 * nd * md + chunk * (dd + md + 1));
}

void rvo_net_destroy(rvo_net *net)
{
    if (!net)
        return;
    rv_plan_destroy(net->fwd);
    rv_plan_destroy(net->bwd);
    rv_plan_destroy(net->efwd);
    rv_plan_destroy(net->etail);
    free(net->theta);
    free(net->grad);
    free(net->o);
    free(net->Z);
    free(net->dZ);
    free(net->eX);
    free(net->eZ);
    free(net->eo);
    free(net);
}

void rvo_net_training_problems(size_t n, size_t d, size_t m, int bias, rv_problem *out)
{
    unsigned flags = bias ? 0 : RV_PLAN_NO_BIAS;
    out[0] = (rv_problem){RV_OP_LAYER_FWD, RV_F64, {n, d, m}, flags};
    out[1] = (rv_problem){RV_OP_LAYER_BWD, RV_F64, {n, d, m}, flags};
}

static rv_status make_plan(rv_plan **plan, const rv_problem *p, const rv_plan_opts *po,
                           rv_error *err)
{
    return rv_plan_create(plan, p->op, p->dt, p->shape, p->flags, po, err);
}

rv_status rvo_net_create(rvo_net **out, size_t n, size_t d, size_t m, int bias, size_t test_n,
                         int threads, rv_wisdom *wisdom, rv_error *err)
{
    *out = NULL;
    if (n == 0 || d == 0 || m == 0 || test_n == 0)
        return rv_fail(err, RV_ERR_SIZE, "net n=%zu d=%zu m=%zu test=%zu has a zero size", n,
                       d, m, test_n);
    if (m > SIZE_MAX / 8 / (d + 2) || n > SIZE_MAX / 8 / m)
        return rv_fail(err, RV_ERR_OVERFLOW, "net n=%zu d=%zu m=%zu is too large", n, d, m);
    rvo_net *net = calloc(1, sizeof *net);
    if (!net)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for a net");
    net->n = n;
    net->d = d;
    net->m = m;
    net->bias = bias != 0;
    net->nparams = m * d + (net->bias ? m : 0) + m;
    net->test_n = test_n;
    net->chunk = eval_chunk(test_n, d, m);
    net->theta = calloc(net->nparams, sizeof(double));
    net->grad = calloc(net->nparams, sizeof(double));
    net->o = calloc(n, sizeof(double));
    net->Z = calloc(n * m, sizeof(double));
    net->dZ = calloc(n * m, sizeof(double));
    net->eX = calloc(net->chunk * d, sizeof(double));
    net->eZ = calloc(net->chunk * m, sizeof(double));
    net->eo = calloc(net->chunk, sizeof(double));
    if (!net->theta || !net->grad || !net->o || !net->Z || !net->dZ || !net->eX || !net->eZ || !net->eo) {
        rvo_net_destroy(net);
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for a net n=%zu d=%zu m=%zu", n, d, m);
    }
    net->W = net->theta;
    net->b = net->bias ? net->theta + m * d : NULL;
    net->v = net->theta + m * d + (net->bias ? m : 0);
    net->dW = net->grad;
    net->db = net->bias ? net->grad + m * d : NULL;
    net->dv = net->grad + m * d + (net->bias ? m : 0);

    rv_plan_opts po = {.effort = RV_EFFORT_ESTIMATE, .max_threads = threads, .wisdom = wisdom};
    rv_problem train[RVO_NET_TRAINING_PROBLEMS];
    rvo_net_training_problems(n, d, m, net->bias, train);
    rv_problem eval = train[0], tail = train[0];
    eval.shape.n = net->chunk;
    tail.shape.n = test_n % net->chunk;
    rv_status s = make_plan(&net->fwd, &train[0], &po, err);
    if (s == RV_OK)
        s = make_plan(&net->bwd, &train[1], &po, err);
    if (s == RV_OK)
        s = make_plan(&net->efwd, &eval, &po, err);
    if (s == RV_OK && tail.shape.n)
        s = make_plan(&net->etail, &tail, &po, err);
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
    size_t d = net->d, m = net->m;
    uint64_t w[2] = {stream, STREAM_WV};
    rvo_rng r;
    rvo_rng_seed(&r, rvo_seed_hash(w, 2));
    double vscale = init_v / sqrt((double)m);
    for (size_t j = 0; j < m; j++) {
        double *wj = net->W + j * d;
        if (d == 1) {
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
    if (!net->bias)
        return;
    w[1] = STREAM_KINKS;
    double *u = net->grad; /* m x d scratch (grad holds >= m d doubles) */
    rvo_inputs_open(&r, rvo_seed_hash(w, 2));
    rvo_inputs_draw(&r, u, m, d);
    for (size_t j = 0; j < m; j++) {
        double z = 0;
        for (size_t k = 0; k < d; k++)
            z += net->W[j * d + k] * u[j * d + k];
        net->b[j] = -z;
    }
    memset(net->grad, 0, net->nparams * sizeof(double));
}

rv_status rvo_net_forward(rvo_net *net, const double *X, rv_error *err)
{
    rv_layer_fwd_args a = {.n = net->n, .d = net->d, .m = net->m, .X = X, .ldx = net->d,
                           .W = net->W, .ldw = net->d, .b = net->b, .v = net->v,
                           .Z = net->Z, .ldz = net->m, .o = net->o};
    return rv_plan_execute(net->fwd, &a, err);
}

rv_status rvo_net_backward(rvo_net *net, const double *X, const double *g, rv_error *err)
{
    rv_layer_bwd_args a = {.n = net->n, .d = net->d, .m = net->m, .X = X, .ldx = net->d,
                           .W = net->W, .ldw = net->d, .v = net->v, .Z = net->Z,
                           .ldz = net->m, .g = g, .dZ = net->dZ, .lddz = net->m,
                           .dv = net->dv, .dW = net->dW, .lddw = net->d, .db = net->db};
    return rv_plan_execute(net->bwd, &a, err);
}

rv_status rvo_net_clean_error(rvo_net *net, uint64_t test_stream, double *error,
                              rv_error *err)
{
    rvo_rng r;
    rvo_inputs_open(&r, test_stream);
    size_t wrong = 0;
    for (size_t i0 = 0; i0 < net->test_n; i0 += net->chunk) {
        size_t rows = net->test_n - i0 < net->chunk ? net->test_n - i0 : net->chunk;
        rvo_inputs_draw(&r, net->eX, rows, net->d);
        rv_layer_fwd_args a = {.n = rows, .d = net->d, .m = net->m, .X = net->eX, .ldx = net->d, .W = net->W,
                               .ldw = net->d, .b = net->b, .v = net->v, .Z = net->eZ,
                               .ldz = net->m, .o = net->eo};
        rv_status s = rv_plan_execute(rows == net->chunk ? net->efwd : net->etail, &a, err);
        if (s != RV_OK)
            return s;
        for (size_t i = 0; i < rows; i++)
            wrong += net->eo[i] <= 0;
    }
    *error = (double)wrong / (double)net->test_n;
    return RV_OK;
}

double rvo_net_sqnorm(const rvo_net *net)
{
    double s = 0;
    for (size_t k = 0; k < net->nparams; k++)
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
