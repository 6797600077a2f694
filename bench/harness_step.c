/* harness_step.c - the overfitting harness's own training step, timed in
 * the form the harness picks for the shape (impl "tuned": rvo_form_choose
 * with GD, so subspace or reduced for d > 2n) and in the direct form (impl
 * "direct-form"), on the same data and init: rvo_net_forward, the logistic
 * loss gradient (rvo_loss_grad), rvo_net_backward and the GD update
 * (rvo_gd_update), exactly the loop of rvo_train's phase 2. f64, as the
 * harness trains.
 *
 * Both impls report the same work, the direct step's flops (layer_fwd +
 * layer_bwd at n x d x m, rvb_step_flops), as "GFLOP/s": a rate ratio
 * between them is then the ratio of their step times. */
#include <stdio.h>
#include <stdlib.h>

#include "cases.h"
#include "harness_step.h"
#include "shapes.h"
#include "train.h"

typedef struct step_case {
    rv_shape s;
    rvo_form form;
    int threads;
    rvo_net *net;      /* made on the first run, kept until rvb_harness_steps_free */
    rvo_data data;
    double *g;
} step_case;

static step_case *steps;
static size_t nsteps;

/* The harness's step shapes: d > 2n, where the forms differ; 20 x 2000 x
 * 500 is the standard profile's largest cell. */
static const struct {
    rv_shape s;
    int quick;
} shapes[] = {
    {{20, 100, 1000}, 0}, {{20, 1000, 500}, 0}, {{20, 2000, 500}, 1}, {{100, 1000, 1000}, 0},
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

static rv_status setup(step_case *c, rv_error *err)
{
    if (c->net)
        return RV_OK;
    size_t n = c->s.n, d = c->s.d, m = c->s.m;
    rv_status s = rvo_data_make(&c->data, n, d, 0.1, 1, c->form == RVO_FORM_REDUCED, err);
    if (s != RV_OK)
        return s;
    c->g = malloc(n * sizeof *c->g);
    if (!c->g)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for a harness step");
    s = rvo_net_create(&c->net, n, d, m, 1, c->form, 10000, c->threads, NULL, err);
    if (s != RV_OK)
        return s;
    rvo_net_init(c->net, 0.1, 0.1, 2);
    return rvo_net_bind(c->net, c->data.X, err);
}

static rv_status one_step(step_case *c, rv_error *err)
{
    rv_status s = rvo_net_forward(c->net, err);
    if (s != RV_OK)
        return s;
    rvo_loss_grad(c->net, c->data.y, RVO_LOSS_LOGISTIC, 0, c->g);
    if ((s = rvo_net_backward(c->net, c->g, err)) == RV_OK)
        rvo_gd_update(c->net, 1e-3); /* small: the net stays where it started */
    return s;
}

static void bm_harness_step(rvb_state *st, void *u)
{
    step_case *c = u;
    rv_error err = {0};
    if (setup(c, &err) != RV_OK || one_step(c, &err) != RV_OK) {
        rvb_skip_with_error(st, err.msg);
        return;
    }
    while (rvb_keep_running(st))
        (void)one_step(c, NULL);
    double flops = rvb_step_flops(c->s);
    rvb_counter(st, "GFLOP/s", flops * 1e-9, RVB_RATE_PER_ITER);
    rvb_shape_counters(st, c->s, c->threads);
    rvb_counter(st, "flops", flops, 0);
    char plans[320], label[400];
    rvo_net_describe(c->net, plans, sizeof plans);
    snprintf(label, sizeof label, "%s form; %s", rvo_form_name(c->form), plans);
    rvb_set_label(st, label);
}

rv_status rvb_register_harness_steps(int quick, rv_error *err)
{
    int t[2], nt = rvb_thread_counts(t);
    steps = calloc(NSHAPES * 2 * (size_t)nt, sizeof *steps);
    if (!steps)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory registering the harness steps");
    for (size_t i = 0; i < NSHAPES; i++) {
        if (quick && !shapes[i].quick)
            continue;
        rv_shape s = shapes[i].s;
        for (int k = 0; k < nt; k++)
            for (int direct = 0; direct < 2; direct++) {
                step_case *c = &steps[nsteps++];
                c->s = s;
                c->threads = t[k];
                c->form = direct ? RVO_FORM_DIRECT
                                 : rvo_form_choose(RVO_FORM_AUTO, s.n, s.d, s.m, 1);
                char name[200];
                rvb_case_name(name, sizeof name, "harness_step", direct ? "direct-form" : "tuned",
                              RV_F64, RVB_SET_HARNESS, s, t[k]);
                rvb_opts o = {.threads = t[k], .unit = RVB_US};
                if (rvb_register(name, bm_harness_step, c, &o) != 0)
                    return rv_fail(err, RV_ERR_NOMEM, "could not register %s", name);
            }
    }
    return RV_OK;
}

void rvb_harness_steps_free(void)
{
    for (size_t i = 0; i < nsteps; i++) {
        rvo_net_destroy(steps[i].net);
        rvo_data_free(&steps[i].data);
        free(steps[i].g);
    }
    free(steps);
    steps = NULL;
    nsteps = 0;
}
