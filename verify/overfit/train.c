/* train.c - two-phase full-batch GD (hinge, then logistic) and the Adam
 * contrast. */
#include "train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const trainer_names[] = {"gd", "adam"};

const char *rvo_trainer_name(rvo_trainer t)
{
    return (unsigned)t < 2 ? trainer_names[t] : NULL;
}

int rvo_trainer_from_name(const char *name, rvo_trainer *t)
{
    for (int i = 0; name && i < 2; i++)
        if (strcmp(name, trainer_names[i]) == 0) {
            *t = (rvo_trainer)i;
            return 0;
        }
    return -1;
}

rv_status rvo_train_cfg_validate(const rvo_train_cfg *c, rv_error *err)
{
    if (!rvo_trainer_name(c->trainer))
        return rv_fail(err, RV_ERR_OPTS, "unknown trainer %d", (int)c->trainer);
    if (!(c->lr_hinge > 0 && c->lr_hinge < 1e6) || !(c->lr_logistic > 0 && c->lr_logistic < 1e6))
        return rv_fail(err, RV_ERR_OPTS, "step sizes %g, %g must be in (0, 1e6)", c->lr_hinge,
                       c->lr_logistic);
    if (c->hinge_steps < 1 || c->logistic_steps < 0 || c->check_every < 1)
        return rv_fail(err, RV_ERR_OPTS,
                       "budgets hinge=%ld logistic=%ld check=%ld: need >= 1, >= 0, >= 1",
                       c->hinge_steps, c->logistic_steps, c->check_every);
    if (!(c->hinge_target > 0 && c->hinge_target < 1e6))
        return rv_fail(err, RV_ERR_OPTS, "hinge target %g must be in (0, 1e6)", c->hinge_target);
    if (!(c->margin_rtol >= 0))
        return rv_fail(err, RV_ERR_OPTS, "margin tolerance %g must be >= 0", c->margin_rtol);
    return RV_OK;
}

double rvo_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* log(1 + exp(-z)) and its derivative's magnitude 1 / (1 + exp(z)), stable. */
static double softplus_neg(double z)
{
    return z > 0 ? log1p(exp(-z)) : -z + log1p(exp(z));
}

static double sigmoid_neg(double z)
{
    if (z > 0) {
        double e = exp(-z);
        return e / (1 + e);
    }
    return 1 / (1 + exp(z));
}

rvo_margins rvo_loss_grad(const rvo_net *net, const double *y, rvo_loss k, double target,
                          double *g)
{
    rvo_margins r = {INFINITY, 0, 0};
    double inv_n = 1.0 / (double)net->n;
    for (size_t i = 0; i < net->n; i++) {
        double z = y[i] * net->o[i];
        r.min_margin = z < r.min_margin ? z : r.min_margin;
        r.errors += z <= 0;
        if (k == RVO_LOSS_HINGE) {
            r.loss += z < target ? (target - z) * inv_n : 0;
            g[i] = z < target ? -y[i] * inv_n : 0;
        } else {
            r.loss += softplus_neg(z) * inv_n;
            g[i] = -y[i] * sigmoid_neg(z) * inv_n;
        }
    }
    return r;
}

/* The optimiser state: Adam's moments (NULL for GD) and its step count. */
typedef struct optimiser {
    rvo_trainer kind;
    double *m1, *m2;
    long t;
} optimiser;

void rvo_gd_update(rvo_net *net, double lr)
{
    size_t P = net->nparams;
    double *th = net->theta;
    const double *gr = net->grad;
    for (size_t k = 0; k < P; k++)
        th[k] -= lr * gr[k];
}

static void update(rvo_net *net, optimiser *op, double lr)
{
    size_t P = net->nparams;
    double *th = net->theta;
    const double *gr = net->grad;
    if (op->kind == RVO_TRAIN_GD) {
        rvo_gd_update(net, lr);
        return;
    }
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    op->t++;
    double c1 = 1 - pow(b1, (double)op->t), c2 = 1 - pow(b2, (double)op->t);
    for (size_t k = 0; k < P; k++) {
        op->m1[k] = b1 * op->m1[k] + (1 - b1) * gr[k];
        op->m2[k] = b2 * op->m2[k] + (1 - b2) * gr[k] * gr[k];
        th[k] -= lr * (op->m1[k] / c1) / (sqrt(op->m2[k] / c2) + eps);
    }
}

rv_status rvo_train(rvo_net *net, const rvo_data *data, const rvo_train_cfg *cfg,
                    rvo_train_result *res, rv_error *err)
{
    *res = (rvo_train_result){0};
    rv_status s = rvo_train_cfg_validate(cfg, err);
    if (s != RV_OK)
        return s;
    if (data->n != net->n || data->d != net->d || data->dc != net->dx)
        return rv_fail(err, RV_ERR_SIZE, "data n=%zu d=%zu (%zu coordinates) do not match the "
                       "net n=%zu d=%zu (%s form, %zu coordinates)", data->n, data->d, data->dc,
                       net->n, net->d, rvo_form_name(net->form), net->dx);
    s = rvo_form_check(net->form, net->n, net->d, net->m, cfg->trainer == RVO_TRAIN_GD, err);
    if (s == RV_OK)
        s = rvo_net_bind(net, data->X, err);
    if (s != RV_OK)
        return s;
    optimiser op = {.kind = cfg->trainer};
    double *g = malloc(net->n * sizeof *g);
    double *best = malloc(net->nparams * sizeof *best);
    if (op.kind == RVO_TRAIN_ADAM) {
        op.m1 = calloc(net->nparams, sizeof(double));
        op.m2 = calloc(net->nparams, sizeof(double));
    }
    if (!g || !best || (op.kind == RVO_TRAIN_ADAM && (!op.m1 || !op.m2))) {
        s = rv_fail(err, RV_ERR_NOMEM, "out of memory for the trainer");
        goto done;
    }
    double t0 = rvo_now();
    rvo_margins mg = {0};
    /* Phase 1: hinge until every margin >= the target. */
    for (;;) {
        if ((s = rvo_net_forward(net, err)) != RV_OK)
            goto done;
        mg = rvo_loss_grad(net, data->y, RVO_LOSS_HINGE, cfg->hinge_target, g);
        if (mg.min_margin >= cfg->hinge_target) {
            res->margin_reached = 1;
            break;
        }
        if (res->hinge_steps == cfg->hinge_steps)
            break;
        if ((s = rvo_net_backward(net, g, err)) != RV_OK)
            goto done;
        update(net, &op, cfg->lr_hinge);
        res->hinge_steps++;
    }
    /* Phase 2: logistic while the normalised margin improves. best keeps
     * the parameters of the best normalised margin at a check while the
     * training error is 0; they are restored at the end, so phase 2 never
     * returns a net worse than the one it was given. */
    double best_nm = -INFINITY;
    long best_step = 0;
    for (;;) {
        if ((s = rvo_net_forward(net, err)) != RV_OK)
            goto done;
        mg = rvo_loss_grad(net, data->y, RVO_LOSS_LOGISTIC, 0, g);
        if (res->logistic_steps % cfg->check_every == 0) {
            double nm = mg.errors == 0 ? mg.min_margin / rvo_net_sqnorm(net) : -INFINITY;
            if (nm > best_nm * (1 + cfg->margin_rtol) || (best_nm < 0 && nm > best_nm)) {
                best_nm = nm;
                best_step = res->logistic_steps;
                memcpy(best, net->theta, net->nparams * sizeof *best);
            } else if (best_nm > 0) {
                break; /* it stopped improving */
            }
        }
        if (res->logistic_steps == cfg->logistic_steps)
            break;
        if ((s = rvo_net_backward(net, g, err)) != RV_OK)
            goto done;
        update(net, &op, cfg->lr_logistic);
        res->logistic_steps++;
    }
    if (best_nm > 0 && res->logistic_steps != best_step) {
        memcpy(net->theta, best, net->nparams * sizeof *best);
        if ((s = rvo_net_forward(net, err)) != RV_OK)
            goto done;
        mg = rvo_loss_grad(net, data->y, RVO_LOSS_LOGISTIC, 0, g);
    }
    res->best_step = best_nm > 0 ? best_step : res->logistic_steps;
    res->seconds = rvo_now() - t0;
    long steps = res->hinge_steps + res->logistic_steps;
    res->steps_per_s = res->seconds > 0 ? (double)steps / res->seconds : 0;
    res->train_error = (double)mg.errors / (double)net->n;
    res->interpolated = mg.errors == 0;
    res->logistic_loss = mg.loss;
    res->norm_margin = mg.min_margin / rvo_net_sqnorm(net);
done:
    free(g);
    free(best);
    free(op.m1);
    free(op.m2);
    return s;
}
