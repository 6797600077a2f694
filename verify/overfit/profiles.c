/* profiles.c - quick, standard and full. */
#include "profiles.h"

#include <string.h>

/* What every profile shares: the reference trainer. */
static rvo_sweep_cfg base(void)
{
    return (rvo_sweep_cfg){
        .test_n = 10000,
        .master_seed = 20230525,
        .init_w = 0.1,
        .init_v = 0.1,
        .train = {.trainer = RVO_TRAIN_GD, .lr_hinge = 0.1, .lr_logistic = 0.1,
                  .hinge_steps = 300000, .logistic_steps = 20000, .check_every = 1000,
                  .margin_rtol = 1e-3, .hinge_target = 1e-4},
    };
}

rv_status rvo_profile(const char *name, rvo_sweep_cfg *cfg, rv_error *err)
{
    rvo_sweep_cfg c = base();
    if (strcmp(name, "quick") == 0) {
        c.n = 10;
        c.n2 = 20;
        c.nd = 4;
        memcpy(c.d, (size_t[]){1, 10, 100, 300}, 4 * sizeof(size_t));
        c.np = 3;
        memcpy(c.p, (double[]){0.1, 0.2, 0.3}, 3 * sizeof(double));
        c.seeds = 8;
        c.width = 200;
    } else if (strcmp(name, "standard") == 0) {
        c.n = 20;
        c.n2 = 40;
        c.nd = 6;
        memcpy(c.d, (size_t[]){1, 3, 10, 30, 100, 1200}, 6 * sizeof(size_t));
        c.np = 3;
        memcpy(c.p, (double[]){0.1, 0.2, 0.3}, 3 * sizeof(double));
        c.seeds = 12;
        c.width = 500;
    } else if (strcmp(name, "full") == 0) {
        c.n = 20;
        c.n2 = 40;
        c.nd = 8;
        memcpy(c.d, (size_t[]){1, 2, 5, 10, 30, 100, 300, 1200}, 8 * sizeof(size_t));
        c.np = 4;
        memcpy(c.p, (double[]){0.05, 0.1, 0.2, 0.3}, 4 * sizeof(double));
        c.seeds = 40;
        c.width = 1000;
    } else {
        return rv_fail(err, RV_ERR_OPTS, "unknown profile '%s' (quick, standard, full)", name);
    }
    *cfg = c;
    return RV_OK;
}
