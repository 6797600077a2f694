/* main.c - the README's API example, as a program outside reluvet: a plan
 * for the fused layer forward (20 x 1 x 1000, f64), executed, then the
 * expert entry with one named variant. On exactly representable data every
 * variant must give the reference bit for bit, so the outputs are compared
 * with ==: against a 2 x 2 x 3 net computed by hand, and against plain loops
 * on the README's shape. Exit status 0 when all agree. */
#include <stdio.h>
#include <string.h>

#include <reluvet/reluvet.h>

static int failures;

static void expect(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "consumer: FAILED: %s\n", what);
        failures++;
    }
}

/* N(x) = sum_j v_j relu(w_j . x + b_j) on 2 inputs, 3 units, by hand:
 *   Z = [[1, 1, -0.5], [3, -2, 4.5]], o = [1 + 2, 3 - 4.5] = [3, -1.5]. */
static void tiny_by_hand(void)
{
    const double X[2 * 2] = {1, 2, 3, -1};
    const double W[3 * 2] = {1, 0, 0, 1, 1, -1};
    const double b[3] = {0, -1, 0.5}, v[3] = {1, 2, -1};
    const double Zref[2 * 3] = {1, 1, -0.5, 3, -2, 4.5}, oref[2] = {3, -1.5};
    double Z[2 * 3], H[2 * 3], o[2];
    rv_layer_fwd_args a = {.n = 2, .d = 2, .m = 3, .X = X, .ldx = 2, .W = W, .ldw = 2,
                           .b = b, .v = v, .Z = Z, .ldz = 3, .H = H, .ldh = 3, .o = o};
    rv_error err;
    for (int var = 0; var < RV_VARIANT_COUNT; var++) {
        memset(o, 0xff, sizeof o); /* NaN */
        if (rv_run_ex(RV_OP_LAYER_FWD, (rv_variant)var, RV_F64, NULL, &a, &err) != RV_OK) {
            fprintf(stderr, "consumer: variant %d: %s\n", var, err.msg);
            failures++;
            continue;
        }
        expect(memcmp(Z, Zref, sizeof Z) == 0, "tiny net: Z differs from the hand-computed one");
        for (int i = 0; i < 6; i++)
            expect(H[i] == (Zref[i] > 0 ? Zref[i] : 0), "tiny net: H != relu(Z)");
        expect(o[0] == oref[0] && o[1] == oref[1], "tiny net: o != [3, -1.5]");
    }
}

int main(void)
{
    tiny_by_hand();

    /* The README's example; the data: small integers times powers of two,
     * so every partial sum is exact. */
    static double X[20 * 1], W[1000 * 1], b[1000], v[1000], Z[20 * 1000], o[20];
    for (int i = 0; i < 20; i++)
        X[i] = i - 9.5;
    for (int j = 0; j < 1000; j++) {
        W[j] = (j % 7 - 3) * 0.5;
        b[j] = (j % 5 - 2) * 0.25;
        v[j] = (j % 3 - 1) * 0.125;
    }
    rv_layer_fwd_args fwd = {.n = 20, .d = 1, .m = 1000, .X = X, .ldx = 1, .W = W, .ldw = 1,
                             .b = b, .v = v, .Z = Z, .ldz = 1000, .o = o}; /* H = NULL */
    rv_plan *plan;
    rv_error err;
    if (rv_plan_create(&plan, RV_OP_LAYER_FWD, RV_F64, (rv_shape){20, 1, 1000}, 0,
                       &(rv_plan_opts){.effort = RV_EFFORT_MEASURE}, &err) != RV_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    if (rv_plan_execute(plan, &fwd, &err) != RV_OK) { /* as often as needed */
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    rv_plan_destroy(plan);

    double oref[20];
    for (int i = 0; i < 20; i++) {
        oref[i] = 0;
        for (int j = 0; j < 1000; j++) {
            double z = X[i] * W[j] + b[j];
            expect(Z[i * 1000 + j] == z, "plan: Z != X W^T + b");
            oref[i] += (z > 0 ? z : 0) * v[j];
        }
        expect(o[i] == oref[i], "plan: o != relu(Z) v");
    }

    /* Expert entry: one named variant with explicit options. */
    memset(o, 0, sizeof o);
    if (rv_run_ex(RV_OP_LAYER_FWD, RV_VAR_OMP, RV_F64, &(rv_opts){.threads = 2}, &fwd, &err) !=
        RV_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    for (int i = 0; i < 20; i++)
        expect(o[i] == oref[i], "omp, 2 threads: o != relu(Z) v");

    /* Bad input is a status with a message, not a crash. */
    fwd.ldz = 10;
    expect(rv_run_ex(RV_OP_LAYER_FWD, RV_VAR_OMP, RV_F64, NULL, &fwd, &err) != RV_OK &&
               err.msg[0] != '\0',
           "ldz < m was accepted");

    if (failures)
        return 1;
    printf("consumer: layer forward agrees with the reference (o[0] = %g, o[19] = %g)\n", o[0],
           o[19]);
    return 0;
}
