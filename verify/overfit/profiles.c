/* profiles.c - quick, standard and full, and why they are what they are
 * (rvo_design_notes, which the report prints). */
#include "profiles.h"

#include <string.h>

#include "net.h"

const char *const rvo_design_notes =
    "- Initialisation: |w_j| = 0.1, v_j = +-0.1/sqrt(m), small. In high d the bias-free nets "
    "are far from benign only from a small init: at d = 1000, n = 20 with 6 flips their clean "
    "error was 0.33 from |w_j| = 0.1, 0.19 from 0.3, 0.10 from 0.5 and 0.03 from 1 (a larger "
    "init keeps the net near its random features, whose positive mean acts as a bias).\n"
    "- Hinge target 1e-8: from a small init, GD on the hinge loss to margin 1 did not fit "
    "crowded 1-D draws (a flipped point within 0.001-0.008 of a clean neighbour) in 2 million "
    "steps at any step size, width (200-4000), momentum or step schedule tried. The net is "
    "2-homogeneous, so a small target is a short path to zero training error; at 1e-4 about "
    "1 run in 30 at n = 20 still failed, at 1e-8 none of 360 d = 1 runs of six quick sweeps "
    "did (a separate check found 1 of 48 at n = 20, p = 0.2: failures are rare, not "
    "impossible, and are reported). Phase 2 (logistic) starts from that small scale, which "
    "keeps the high-d behaviour of a small init; rescaling the phase-1 net to margin 1 first "
    "made the bias-free nets benign (error 0.007 instead of 0.34). In 1-D the logistic phase "
    "lowers the normalised margin at once and can un-fit a crowded point, so its best "
    "interpolating check is kept: there the result is essentially the phase-1 interpolator, "
    "whose clean error is close to the 1-NN rule's.\n"
    "- n = 20 for the curve over d, n_small = 10 at d = 1: n = 40 at d = 1 failed to "
    "interpolate in 2 of 24 runs even at target 1e-8. With n = 10 in high d, a draw at "
    "p = 0.2 has 5 or more flips of 10 with probability 0.033, its labels' majority is then "
    "wrong and no interpolator is benign (seen: clean error 0.46 and 0.78); at n = 20 that "
    "takes 10 flips of 20, probability 0.0026. d_high = 2000 in quick and standard: at "
    "least n^2 ln n = 1198 at n = 20, below which the high-d verdicts cannot pass (quick "
    "had 1000 while a high-d run cost d; in the reduced form 2000 costs the same).\n"
    "- Noise rates: the flips of a seed are nested in p, so one unlucky draw spoils every p "
    "above it: in one of five quick checks (master seed 1) a seed had 7 flips of 20 at "
    "p = 0.1, 8 at 0.15 (high-d clean error 0.045) and 10 at 0.2 (0.49), and the benign "
    "verdict failed; a seed with 8 or more flips of 20 has probability 0.0059 at p = 0.15 "
    "and 0.032 at p = 0.2. At small p many draws have no flip (36% at p = 0.05, n = 20), "
    "which weakens every test there: with 12 seeds the d = 1 interval at p = 0.05 reached "
    "down to 0.0047 < p/10. So quick uses p = 0.1, 0.15, 0.2 (12 seeds); standard uses "
    "p = 0.05, 0.1, 0.15 with 24 seeds and d_high = 2000 (1.7 n^2 log n), which a draw with "
    "more flips than p predicts needs.\n"
    "- Seeds: the seed-to-seed spread of the d = 1 error is 0.1-0.15 at n = 10-20; 12 seeds "
    "give 95% intervals of about +-0.06 at n = 20, and the trend in p is tested within seeds "
    "(inputs shared, flips nested in p). Width 500: the 1-D runs interpolated at 500 as at "
    "1000, for half the cost of the high-d runs.\n"
    "- Forms: d > 2n trains in the subspace form and d > n + m (m = width) draws reduced "
    "(form.h), so a high-d run costs what a run at d = n + m costs: the standard profile "
    "took 40.6 s against 347.6 s in the direct form (the previous build, run just after it "
    "on the same quiet machine), and the 1-D runs, many cheap steps, are now most of its "
    "wall time. The grids were kept, so that every cell can be held against the direct "
    "form's results (each mean fell inside the direct form's 95% interval).\n";

/* What every profile shares: the reference trainer. */
static rvo_sweep_cfg base(void)
{
    return (rvo_sweep_cfg){
        .test_n = 10000,
        .master_seed = 20230525,
        .init_w = 0.1,
        .init_v = 0.1,
        .train = {.trainer = RVO_TRAIN_GD, .lr_hinge = 0.1, .lr_logistic = 1.0,
                  .hinge_steps = 300000, .logistic_steps = 20000, .check_every = 1000,
                  .margin_rtol = 1e-3, .hinge_target = 1e-8},
    };
}

rv_status rvo_profile(const char *name, rvo_sweep_cfg *cfg, rv_error *err)
{
    rvo_sweep_cfg c = base();
    if (strcmp(name, "quick") == 0) {
        c.n = 20;
        c.n_small = 10;
        c.nd = 5;
        memcpy(c.d, (size_t[]){1, 3, 10, 30, 2000}, 5 * sizeof(size_t));
        c.np = 3;
        memcpy(c.p, (double[]){0.1, 0.15, 0.2}, 3 * sizeof(double));
        c.seeds = 12;
        c.width = 500;
        c.train.logistic_steps = 1000;
    } else if (strcmp(name, "standard") == 0) {
        c.n = 20;
        c.n_small = 10;
        c.nd = 10;
        memcpy(c.d, (size_t[]){1, 2, 3, 5, 10, 30, 100, 300, 1000, 2000}, 10 * sizeof(size_t));
        c.np = 3;
        memcpy(c.p, (double[]){0.05, 0.1, 0.15}, 3 * sizeof(double));
        c.seeds = 24;
        c.width = 500;
        c.train.logistic_steps = 2000;
    } else if (strcmp(name, "full") == 0) {
        c.n = 20;
        c.n_small = 10;
        c.nd = 11;
        memcpy(c.d, (size_t[]){1, 2, 3, 5, 10, 20, 30, 100, 300, 1000, 2000}, 11 * sizeof(size_t));
        c.np = 4;
        memcpy(c.p, (double[]){0.025, 0.05, 0.1, 0.15}, 4 * sizeof(double));
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

size_t rvo_profiles_problems(rv_problem out[RVO_MAX_PROFILE_PROBLEMS])
{
    static const char *const names[RVO_PROFILES] = {"quick", "standard", "full"};
    size_t count = 0;
    for (size_t i = 0; i < RVO_PROFILES; i++) {
        rvo_sweep_cfg cfg;
        rvo_profile(names[i], &cfg, NULL);
        count = rvo_sweep_problems(&cfg, out, count);
    }
    return count;
}
