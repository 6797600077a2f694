/* profiles.c - quick, standard and full, and why they are what they are
 * (rvo_design_notes, which the report prints). */
#include "profiles.h"

#include <string.h>

const char *const rvo_design_notes =
    "- Initialisation: |w_j| = 0.1, v_j = +-0.1/sqrt(m), small. In high d the bias-free nets "
    "are far from benign only from a small init: at d = 1000, n = 20 with 6 flips their clean "
    "error was 0.33 from |w_j| = 0.1, 0.19 from 0.3, 0.10 from 0.5 and 0.03 from 1 (a larger "
    "init keeps the net near its random features, whose positive mean acts as a bias).\n"
    "- Hinge target 1e-4: from a small init, GD on the hinge loss to margin 1 did not fit "
    "crowded 1-D draws (a flipped point within 0.002-0.008 of a clean neighbour) in 2 million "
    "steps at any step size, width (200-4000), momentum or step schedule tried; to margin "
    "1e-4 it fits them in 20k-100k steps. Phase 2 (logistic) then starts from that small "
    "scale, which keeps the high-d behaviour of a small init (bias-free error 0.34 in the "
    "case above); rescaling the phase-1 net to margin 1 first made the bias-free nets benign "
    "(0.007). In 1-D the logistic phase lowers the normalised margin at once and can un-fit "
    "a crowded point, so its best interpolating check is kept: there the result is "
    "essentially the phase-1 interpolator.\n"
    "- n = 10 and n2 = 20 at d = 1: every 1-D run at n = 10 and 20 in the calibration sweeps "
    "(252 runs) interpolated; at n = 40, 6 of 16 did not within 500k steps. The d-curve uses "
    "the same n = 10, so d_high = 1000 is above 4 n^2 log n.\n"
    "- Noise rates up to 0.2: with n = 10, a draw at p = 0.3 has 5 or more flips of 10 with "
    "probability 0.15, its labels' majority is then wrong and no interpolator is benign; at "
    "p = 0.2 that probability is 0.033. The d = 1 error is close to the 1-NN error (about p "
    "plus the regions beyond the outermost points). At p = 0.05 and n = 10, 60% of the draws "
    "have no flip: the d = 1 error was 0.04 and, with 12 seeds, its fall to d_high was not "
    "significant (Welch p = 0.067); so quick uses p = 0.1, 0.15, 0.2 and standard adds 0.05 "
    "with 32 seeds.\n"
    "- Seeds: the seed-to-seed spread of the d = 1 error is 0.1-0.15 at n = 10-20; 12 seeds "
    "give 95% intervals of about +-0.06 at n2 = 20, and the trend in p is tested within seeds "
    "(inputs shared, flips nested in p). Width 500: the 1-D runs interpolated at 500 as at "
    "1000, for half the cost of the high-d runs, which dominate the wall time.\n";

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
        c.nd = 5;
        memcpy(c.d, (size_t[]){1, 3, 10, 30, 1000}, 5 * sizeof(size_t));
        c.np = 3;
        memcpy(c.p, (double[]){0.1, 0.15, 0.2}, 3 * sizeof(double));
        c.seeds = 12;
        c.width = 500;
        c.train.logistic_steps = 1000;
    } else if (strcmp(name, "standard") == 0) {
        c.n = 10;
        c.n2 = 20;
        c.nd = 8;
        memcpy(c.d, (size_t[]){1, 2, 3, 5, 10, 30, 100, 1000}, 8 * sizeof(size_t));
        c.np = 4;
        memcpy(c.p, (double[]){0.05, 0.1, 0.15, 0.2}, 4 * sizeof(double));
        c.seeds = 32;
        c.width = 500;
        c.train.logistic_steps = 2000;
    } else if (strcmp(name, "full") == 0) {
        c.n = 10;
        c.n2 = 20;
        c.nd = 10;
        memcpy(c.d, (size_t[]){1, 2, 3, 5, 10, 20, 30, 100, 300, 1000}, 10 * sizeof(size_t));
        c.np = 5;
        memcpy(c.p, (double[]){0.025, 0.05, 0.1, 0.15, 0.2}, 5 * sizeof(double));
        c.seeds = 100;
        c.width = 1000;
        c.train.hinge_steps = 1000000;
        c.train.logistic_steps = 20000;
    } else {
        return rv_fail(err, RV_ERR_OPTS, "unknown profile '%s' (quick, standard, full)", name);
    }
    *cfg = c;
    return RV_OK;
}
