/* test_net_train.c - the net on plans: the gradient of the training losses
 * by finite differences (biased and bias-free), the bias-free init sharing
 * W and v with the biased one, the clean error, the trainer; plans from
 * wisdom, and the training problems of sweeps and profiles (the default
 * list of `reluvet tune`). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "profiles.h"
#include "train.h"

/* Mean loss of kind k at the net's current parameters on data. */
static double loss_at(rvo_net *net, const rvo_data *data, rvo_loss k, double *g)
{
    assert_int_equal(rvo_net_bind(net, data->X, NULL), RV_OK);
    assert_int_equal(rvo_net_forward(net, NULL), RV_OK);
    return rvo_loss_grad(net, data->y, k, 1.0, g).loss;
}

/* Central differences of the loss against net->grad, parameter by parameter. */
static void check_gradient(int bias, rvo_loss k)
{
    size_t n = 6, d = 3, m = 5;
    rvo_data data;
    rvo_net *net;
    assert_int_equal(rvo_data_make(&data, n, d, 0.3, 11, 0, NULL), RV_OK);
    assert_int_equal(rvo_net_create(&net, n, d, m, bias, RVO_FORM_DIRECT, 10000, 1, NULL, NULL),
                     RV_OK);
    /* a scale where the margins sit away from the hinge's corner at 1 */
    rvo_net_init(net, 1.0, 3.0, 21);
    double g[6];
    loss_at(net, &data, k, g);
    assert_int_equal(rvo_net_backward(net, g, NULL), RV_OK);
    double *analytic = malloc(net->nparams * sizeof *analytic);
    memcpy(analytic, net->grad, net->nparams * sizeof *analytic);
    double h = 1e-6;
    for (size_t q = 0; q < net->nparams; q++) {
        double keep = net->theta[q];
        net->theta[q] = keep + h;
        double up = loss_at(net, &data, k, g);
        net->theta[q] = keep - h;
        double down = loss_at(net, &data, k, g);
        net->theta[q] = keep;
        double fd = (up - down) / (2 * h);
        assert_true(fabs(fd - analytic[q]) <= 1e-6 * (1 + fabs(fd)));
    }
    free(analytic);
    rvo_net_destroy(net);
    rvo_data_free(&data);
}

static void gradient_logistic_biased(void **state)
{
    (void)state;
    check_gradient(1, RVO_LOSS_LOGISTIC);
}

static void gradient_logistic_bias_free(void **state)
{
    (void)state;
    check_gradient(0, RVO_LOSS_LOGISTIC);
}

static void gradient_hinge(void **state)
{
    (void)state;
    check_gradient(1, RVO_LOSS_HINGE);
    check_gradient(0, RVO_LOSS_HINGE);
}

static void bias_free_shares_w_and_v(void **state)
{
    (void)state;
    rvo_net *a, *b;
    assert_int_equal(rvo_net_create(&a, 4, 7, 9, 1, RVO_FORM_DIRECT, 10000, 1, NULL, NULL), RV_OK);
    assert_int_equal(rvo_net_create(&b, 4, 7, 9, 0, RVO_FORM_DIRECT, 10000, 1, NULL, NULL), RV_OK);
    rvo_net_init(a, 0.5, 0.1, 3);
    rvo_net_init(b, 0.5, 0.1, 3);
    assert_null(b->b);
    assert_int_equal(b->nparams, 9 * 7 + 9);
    assert_memory_equal(a->W, b->W, 9 * 7 * sizeof(double));
    assert_memory_equal(a->v, b->v, 9 * sizeof(double));
    for (size_t j = 0; j < 9; j++) {
        double nw = 0;
        for (size_t k = 0; k < 7; k++)
            nw += a->W[j * 7 + k] * a->W[j * 7 + k];
        assert_true(fabs(sqrt(nw) - 0.5) < 1e-12);
        assert_true(fabs(fabs(a->v[j]) - 0.1 / 3) < 1e-15);
        assert_true(fabs(a->b[j]) <= 0.5); /* -w.u with |u| = 1 */
    }
    rvo_net_destroy(a);
    rvo_net_destroy(b);
}

static void clean_error_counts_nonpositive_outputs(void **state)
{
    (void)state;
    rvo_net *net;
    assert_int_equal(rvo_net_create(&net, 2, 1, 1, 1, RVO_FORM_DIRECT, 10000, 1, NULL, NULL),
                     RV_OK);
    /* N(x) = relu(x): <= 0 exactly on [-1, 0], half of the interval */
    net->W[0] = 1;
    net->b[0] = 0;
    net->v[0] = 1;
    double e;
    assert_int_equal(rvo_net_clean_error(net, 5, &e, NULL), RV_OK);
    assert_true(fabs(e - 0.5) < 0.02);
    net->v[0] = 0; /* N = 0 everywhere: all errors */
    assert_int_equal(rvo_net_clean_error(net, 5, &e, NULL), RV_OK);
    assert_true(e == 1);
    rvo_net_destroy(net);
}

static void trainer_interpolates_high_d(void **state)
{
    (void)state;
    rvo_data data;
    rvo_net *net;
    assert_int_equal(rvo_data_make(&data, 8, 200, 0.25, 5, 0, NULL), RV_OK);
    assert_true(data.flips > 0);
    assert_int_equal(rvo_net_create(&net, 8, 200, 64, 1, RVO_FORM_DIRECT, 10000, 1, NULL, NULL),
                     RV_OK);
    rvo_net_init(net, 0.3, 0.1, 6);
    rvo_train_cfg cfg = {.trainer = RVO_TRAIN_GD, .lr_hinge = 0.1, .lr_logistic = 0.1,
                         .hinge_steps = 20000, .logistic_steps = 2000, .check_every = 500,
                         .margin_rtol = 1e-3, .hinge_target = 1};
    rvo_train_result r;
    assert_int_equal(rvo_train(net, &data, &cfg, &r, NULL), RV_OK);
    assert_true(r.interpolated && r.margin_reached);
    assert_true(r.train_error == 0 && r.norm_margin > 0);
    assert_true(r.hinge_steps > 0 && r.steps_per_s > 0);
    cfg.trainer = RVO_TRAIN_ADAM; /* the contrast runs too */
    cfg.lr_hinge = cfg.lr_logistic = 1e-3;
    rvo_net_init(net, 0.3, 0.1, 6);
    assert_int_equal(rvo_train(net, &data, &cfg, &r, NULL), RV_OK);
    assert_true(r.interpolated);
    rvo_net_destroy(net);
    rvo_data_free(&data);
}

static void trainer_rejects_bad_settings(void **state)
{
    (void)state;
    rvo_train_cfg ok = {.trainer = RVO_TRAIN_GD, .lr_hinge = 0.1, .lr_logistic = 0.1,
                        .hinge_steps = 10, .logistic_steps = 0, .check_every = 1,
                        .hinge_target = 1};
    rv_error err;
    assert_int_equal(rvo_train_cfg_validate(&ok, &err), RV_OK);
    rvo_train_cfg c = ok;
    c.lr_hinge = 0;
    assert_int_equal(rvo_train_cfg_validate(&c, &err), RV_ERR_OPTS);
    c = ok;
    c.hinge_steps = 0;
    assert_int_equal(rvo_train_cfg_validate(&c, &err), RV_ERR_OPTS);
    c = ok;
    c.trainer = (rvo_trainer)5;
    assert_int_equal(rvo_train_cfg_validate(&c, &err), RV_ERR_OPTS);
    rvo_trainer t;
    assert_int_equal(rvo_trainer_from_name("adam", &t), 0);
    assert_int_equal(t, RVO_TRAIN_ADAM);
    assert_int_equal(rvo_trainer_from_name("sgd", &t), -1);
}

/* ---- plans from wisdom, and the problems they are tuned for ---- */

/* A training shape the wisdom holds at the net's thread cap is planned as
 * the wisdom says; any other shape or cap is estimated. */
static void net_plans_from_wisdom_at_its_thread_cap(void **state)
{
    (void)state;
    rv_wisdom *w;
    assert_int_equal(rv_wisdom_create(&w, NULL), RV_OK);
    rv_problem train[RVO_NET_TRAINING_PROBLEMS];
    rvo_net_training_problems(12, 3, 40, 0, RVO_FORM_DIRECT, train);
    assert_int_equal(train[0].op, RV_OP_LAYER_FWD);
    assert_int_equal(train[1].op, RV_OP_LAYER_BWD);
    assert_int_equal(train[0].flags, RV_PLAN_NO_BIAS);
    rv_wisdom_entry e = {train[1], 1, {RV_VAR_NAIVE, {0, 0, 0}}, RV_EFFORT_MEASURE, 1e-6, 3, 0};
    assert_int_equal(rv_wisdom_put(w, &e, NULL), RV_OK);
    rvo_net *net;
    char buf[320];
    assert_int_equal(rvo_net_create(&net, 12, 3, 40, 0, RVO_FORM_DIRECT, 10000, 1, w, NULL), RV_OK);
    assert_int_equal(rv_plan_variant(net->bwd), RV_VAR_NAIVE);
    assert_non_null(strstr(rv_plan_describe(net->bwd, buf, sizeof buf), "(wisdom: measure)"));
    assert_non_null(strstr(rv_plan_describe(net->fwd, buf, sizeof buf), "(estimate)"));
    rvo_net_destroy(net);
    assert_int_equal(rvo_net_create(&net, 12, 3, 40, 0, RVO_FORM_DIRECT, 10000, 2, w, NULL), RV_OK);
    assert_non_null(strstr(rv_plan_describe(net->bwd, buf, sizeof buf), "(estimate)"));
    rvo_net_destroy(net);
    assert_int_equal(rvo_net_create(&net, 12, 3, 40, 1, RVO_FORM_DIRECT, 10000, 1, w, NULL), RV_OK);
    assert_non_null(strstr(rv_plan_describe(net->bwd, buf, sizeof buf), "(estimate)"));
    rvo_net_destroy(net);
    rv_wisdom_destroy(w);
}

static int holds(const rv_problem *list, size_t count, const rv_problem *p)
{
    size_t found = 0;
    for (size_t i = 0; i < count; i++)
        found += rv_problem_equal(&list[i], p);
    return (int)found;
}

/* Each cell's net contributes its two training problems, once. */
static void sweep_problems_are_the_cells_training_shapes_once(void **state)
{
    (void)state;
    rvo_sweep_cfg cfg;
    assert_int_equal(rvo_profile("quick", &cfg, NULL), RV_OK);
    rvo_cell cells[RVO_MAX_CELLS];
    size_t ncells = rvo_sweep_cells(&cfg, cells, RVO_MAX_CELLS);
    assert_int_equal(ncells, cfg.np * (cfg.nd + 2));
    rv_problem list[2 * RVO_MAX_SWEEP_PROBLEMS];
    size_t count = rvo_sweep_problems(&cfg, list, 0);
    /* quick: d = 1 at n_small, the d grid at n, bias-free at d_high */
    assert_int_equal(count, RVO_NET_TRAINING_PROBLEMS * (1 + cfg.nd + 1));
    for (size_t c = 0; c < ncells; c++) {
        rv_problem p[RVO_NET_TRAINING_PROBLEMS];
        rvo_net_training_problems(cells[c].n, cells[c].d, cfg.width, cells[c].bias,
                                  cells[c].form, p);
        for (size_t k = 0; k < RVO_NET_TRAINING_PROBLEMS; k++)
            assert_int_equal(holds(list, count, &p[k]), 1);
    }
    assert_int_equal(rvo_sweep_problems(&cfg, list, count), count); /* nothing new */
}

static void profiles_problems_cover_every_profile_once(void **state)
{
    (void)state;
    static rv_problem all[RVO_MAX_PROFILE_PROBLEMS], one[RVO_MAX_SWEEP_PROBLEMS];
    size_t count = rvo_profiles_problems(all);
    const char *names[] = {"quick", "standard", "full"};
    for (size_t i = 0; i < 3; i++) {
        rvo_sweep_cfg cfg;
        assert_int_equal(rvo_profile(names[i], &cfg, NULL), RV_OK);
        size_t n = rvo_sweep_problems(&cfg, one, 0);
        for (size_t k = 0; k < n; k++)
            assert_int_equal(holds(all, count, &one[k]), 1);
    }
    for (size_t k = 0; k < count; k++)
        assert_int_equal(holds(all, count, &all[k]), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gradient_logistic_biased),
        cmocka_unit_test(gradient_logistic_bias_free),
        cmocka_unit_test(gradient_hinge),
        cmocka_unit_test(bias_free_shares_w_and_v),
        cmocka_unit_test(clean_error_counts_nonpositive_outputs),
        cmocka_unit_test(trainer_interpolates_high_d),
        cmocka_unit_test(trainer_rejects_bad_settings),
        cmocka_unit_test(net_plans_from_wisdom_at_its_thread_cap),
        cmocka_unit_test(sweep_problems_are_the_cells_training_shapes_once),
        cmocka_unit_test(profiles_problems_cover_every_profile_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
