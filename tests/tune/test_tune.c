/* test_tune.c - the search: candidates from the variant flags, the check
 * before timing (an injected wrong kernel is never chosen), the
 * deterministic choice rule, plan options and in-memory wisdom. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reluvet/reluvet.h"
#include "reluvet/wisdom.h"
#include "tune_check.h"
#include "tune_internal.h"
#include "tune_time.h"

static const rv_problem small_fwd = {RV_OP_LAYER_FWD, RV_F64, {13, 7, 21}, 0};

/* ---- the choice rule ---- */

static rv_cand_result timed(rv_variant v, int threads, double s)
{
    rv_cand_result r = {0};
    r.cand = (rv_candidate){v, {threads, 0, 0}};
    r.status = RV_CAND_TIMED;
    r.median_s = s;
    r.spread = 0;
    return r;
}

static void choice_prefers_fewer_threads_within_noise(void **state)
{
    (void)state;
    rv_cand_result r[3] = {timed(RV_VAR_NAIVE, 2, 1.00), timed(RV_VAR_NAIVE, 1, 1.005),
                           timed(RV_VAR_NAIVE, 1, 1.5)};
    size_t rank[3] = {0, 1, 2};
    assert_int_equal(rv_tune_choose(r, rank, 3), 1);
    r[1].median_s = 1.2; /* outside the noise: the fastest wins */
    assert_int_equal(rv_tune_choose(r, rank, 3), 0);
}

/* Each candidate is judged against the fastest with its own spread,
 * clamped to [RV_TUNE_NOISE_MIN, RV_TUNE_NOISE_MAX]. */
static void choice_tolerance_is_each_candidates_clamped_spread(void **state)
{
    (void)state;
    double gap = (RV_TUNE_NOISE_MIN + RV_TUNE_NOISE_MAX) / 2;
    rv_cand_result r[2] = {timed(RV_VAR_NAIVE, 2, 1.0), timed(RV_VAR_NAIVE, 1, 1.0 + gap)};
    size_t rank[2] = {0, 1};
    assert_int_equal(rv_tune_choose(r, rank, 2), 0); /* spread 0: tolerance is the minimum */
    r[1].spread = RV_TUNE_NOISE_MAX;
    assert_int_equal(rv_tune_choose(r, rank, 2), 1);
    r[0].spread = 1.0; /* the fastest's own spread does not widen the others' */
    r[1].spread = 0;
    assert_int_equal(rv_tune_choose(r, rank, 2), 0);
    r[1].spread = 1.0; /* clamped to the maximum */
    r[1].median_s = 1.0 + 2 * RV_TUNE_NOISE_MAX;
    assert_int_equal(rv_tune_choose(r, rank, 2), 0);
}

static void choice_prefers_earlier_variant_then_grid_position(void **state)
{
    (void)state;
    rv_variant late = (rv_variant)(RV_VARIANT_COUNT - 1);
    rv_cand_result r[3] = {timed(late, 1, 1.0), timed(RV_VAR_NAIVE, 1, 1.001),
                           timed(RV_VAR_NAIVE, 1, 1.002)};
    size_t rank[3] = {0, 9, 4};
    /* naive is earlier in variants.def than the last variant (if another exists) */
    size_t want = late == RV_VAR_NAIVE ? 0 : 2;
    assert_int_equal(rv_tune_choose(r, rank, 3), want);
    /* the same inputs give the same answer in any order */
    rv_cand_result s[3] = {r[2], r[0], r[1]};
    size_t srank[3] = {4, 0, 9};
    assert_true(rv_candidate_equal(&s[rv_tune_choose(s, srank, 3)].cand,
                                   &r[want].cand));
}

static void choice_ignores_failed_and_pruned(void **state)
{
    (void)state;
    rv_cand_result r[3] = {timed(RV_VAR_NAIVE, 1, 0.1), timed(RV_VAR_NAIVE, 1, 0.2),
                           timed(RV_VAR_NAIVE, 1, 0.3)};
    r[0].status = RV_CAND_FAILED;
    r[1].status = RV_CAND_PRUNED;
    size_t rank[3] = {0, 1, 2};
    assert_int_equal(rv_tune_choose(r, rank, 3), 2);
    r[2].status = RV_CAND_FAILED;
    assert_int_equal(rv_tune_choose(r, rank, 3), 3); /* none */
}

/* ---- paired timing ---- */

/* A load that changes between rounds cancels from the per-round ratios. */
static void paired_estimates_cancel_load_between_rounds(void **state)
{
    (void)state;
    static const double load[7] = {1, 1, 4, 4, 4, 9, 1};
    rv_timer t[2];
    memset(t, 0, sizeof t);
    for (int r = 0; r < 7; r++) {
        t[0].samples[r] = 2e-3 * load[r];
        t[1].samples[r] = 2e-3 * load[r] * (r == 5 ? 0.5 : 1.25); /* one odd round */
    }
    t[0].count = t[1].count = 7;
    double est[2], spread[2];
    rv_timer_paired(t, 2, 0, est, spread);
    double ref = rv_timer_median(&t[0], NULL);
    assert_true(fabs(est[0] - ref) <= 1e-15);
    assert_true(fabs(est[1] - 1.25 * ref) <= 1e-15);
    assert_true(spread[0] == 0);
    assert_true(spread[1] == 0); /* the quartiles ignore the odd round */
    rv_timer_paired(t, 2, 1, est, NULL);
    assert_true(fabs(est[0] / est[1] - 1 / 1.25) <= 1e-12);
}

/* Every timer gets one sample per round, and the order changes between
 * rounds: no timer always runs right after the same one. */
typedef struct call_log {
    int id;
    const rv_timer *t;
    int *seq, *last_disturbed;
    size_t *len;
} call_log;

/* Logs the timer's id once per batch that counts: a batch run again after
 * a preemption (tune_time.h: disturbed goes up first) is not logged. */
static rv_status log_call(void *ctx, const void *args, rv_error *err)
{
    const call_log *c = ctx;
    (void)args;
    (void)err;
    if (*c->len && c->seq[*c->len - 1] == c->id && *c->last_disturbed != c->t->disturbed) {
        *c->last_disturbed = c->t->disturbed;
        return RV_OK;
    }
    *c->last_disturbed = c->t->disturbed;
    c->seq[(*c->len)++] = c->id;
    return RV_OK;
}

static void interleave_shuffles_the_order_each_round(void **state)
{
    (void)state;
    enum { K = 4, ROUNDS = 12 };
    rv_ws *ws = NULL;
    assert_int_equal(rv_ws_create(&ws, &small_fwd, 1, NULL), RV_OK);
    static int seq[K * (ROUNDS + 1)];
    int last_disturbed = 0;
    size_t len = 0;
    call_log logs[K];
    rv_timer t[K];
    for (int i = 0; i < K; i++) {
        logs[i] = (call_log){i, &t[i], seq, &last_disturbed, &len};
        rv_timer_init(&t[i], log_call, &logs[i], ws, 0); /* batches of one call */
    }
    assert_int_equal(rv_timer_interleave(t, K, ROUNDS, NULL), RV_OK);
    assert_int_equal(len, K * (ROUNDS + 1)); /* a warm-up call each, then the rounds */
    int follows[K][K] = {{0}};
    for (int r = 0; r < ROUNDS; r++) {
        int seen[K] = {0};
        for (int i = 0; i < K; i++) {
            int id = seq[K + r * K + i];
            seen[id]++;
            if (i > 0) /* within the round */
                follows[seq[K + r * K + i - 1]][id]++;
        }
        for (int i = 0; i < K; i++)
            assert_int_equal(seen[i], 1);
        assert_int_equal(t[0].count, ROUNDS);
    }
    for (int i = 0; i < K; i++) { /* each follows at least two others (a cycle: one) */
        int preds = 0;
        for (int p = 0; p < K; p++)
            preds += p != i && follows[p][i] > 0;
        assert_true(preds >= 2);
    }
    rv_ws_destroy(ws);
}

/* ---- the grid ---- */

static void grid_follows_variant_flags(void **state)
{
    (void)state;
    const int *rows, *cols;
    size_t nr = rv_tune_block_rows(&rows), nc = rv_tune_block_cols(&cols);
    assert_int_equal(rows[0], 0);
    assert_int_equal(cols[0], 0);
    for (int threads = 1; threads <= 3; threads++) {
        size_t want = 0;
        for (int v = 0; v < RV_VARIANT_COUNT; v++) {
            unsigned f = rv_variant_flags((rv_variant)v);
            if (f & RV_VF_ORACLE)
                continue;
            want += ((f & RV_VF_THREADS) ? (size_t)threads : 1) * ((f & RV_VF_BLOCKS) ? nr * nc : 1);
        }
        rv_candidate grid[1024];
        size_t n = rv_tune_grid(-1, threads, grid, 1024);
        assert_int_equal(n, want);
        for (size_t i = 0; i < n; i++) {
            unsigned f = rv_variant_flags(grid[i].variant);
            assert_false(f & RV_VF_ORACLE);
            if (!(f & RV_VF_THREADS))
                assert_int_equal(grid[i].opts.threads, 0);
            else
                assert_in_range(grid[i].opts.threads, 1, threads);
            if (!(f & RV_VF_BLOCKS))
                assert_true(grid[i].opts.block_rows == 0 && grid[i].opts.block_cols == 0);
        }
    }
    assert_int_equal(rv_tune_grid(RV_VAR_REFERENCE, 2, NULL, 0), 0); /* the oracle: none */
}

/* ---- checks ---- */

static void check_shape_reduces_only_when_needed(void **state)
{
    (void)state;
    rv_problem p = small_fwd;
    rv_shape s = rv_check_shape(&p);
    assert_true(s.n == 13 && s.d == 7 && s.m == 21);
    p.shape = (rv_shape){4096, 4096, 4096};
    s = rv_check_shape(&p);
    assert_true(s.n == 128 && s.d == 128 && s.m == 128);
    p.shape = (rv_shape){1000, 1000, 1000}; /* 1000 mod 64 = 40 */
    s = rv_check_shape(&p);
    assert_true(s.n == 168 && s.d == 168 && s.m == 168);
    p = (rv_problem){RV_OP_LAYER_FWD, RV_F32, {16, 4096, 512}, 0}; /* cheap but not exact in f32 */
    s = rv_check_shape(&p);
    assert_true(s.d == 128 && s.m == 128 && s.n == 16);
    p.dt = RV_F64; /* exact in f64, and cheap: as is */
    s = rv_check_shape(&p);
    assert_true(s.d == 4096 && s.m == 512);
}

/* A stand-in runner: the naive variant skips all work (so it would be the
 * fastest) or writes one wrong element; everything else runs normally. */
static int sabotage; /* 0: skip, 1: one wrong output element */

static rv_status wrong_naive(rv_op op, rv_variant v, rv_dtype dt, const rv_opts *opts,
                             const void *args, rv_error *err)
{
    if (v != RV_VAR_NAIVE)
        return rv_run_ex(op, v, dt, opts, args, err);
    if (sabotage == 0)
        return RV_OK;
    rv_status s = rv_run_ex(op, v, dt, opts, args, err);
    const rv_layer_fwd_args *a = args;
    ((double *)a->o)[a->n - 1] += 0.5;
    return s;
}

static void failing_candidate_is_reported_and_never_chosen(void **state)
{
    (void)state;
    for (sabotage = 0; sabotage < 2; sabotage++) {
        for (int effort = RV_EFFORT_MEASURE; effort <= RV_EFFORT_EXHAUSTIVE; effort++) {
            rv_tune_job job = {.problem = small_fwd, .effort = (rv_effort)effort,
                               .max_threads = 2, .only_variant = -1,
                               .seed = {RV_VAR_NAIVE, {0, 0, 0}}, .budget_s = 1,
                               .run = wrong_naive};
            rv_tune_report rep = {0};
            rv_error err = {0};
            rv_status s = rv_tune_search(&job, &rep, &err);
            if (RV_VARIANT_COUNT == 2) { /* only naive contends: nothing passes */
                assert_int_equal(s, RV_ERR_VARIANT);
                continue;
            }
            assert_int_equal(s, RV_OK);
            int seen = 0;
            for (size_t i = 0; i < rep.count; i++)
                if (rep.results[i].cand.variant == RV_VAR_NAIVE) {
                    seen = 1;
                    assert_int_equal(rep.results[i].status, RV_CAND_FAILED);
                    assert_non_null(strstr(rep.results[i].note, sabotage ? "o[" : "Z["));
                }
            assert_true(seen);
            assert_int_not_equal(rep.results[rep.chosen].cand.variant, RV_VAR_NAIVE);
            assert_int_equal(rep.results[rep.chosen].status, RV_CAND_TIMED);
            rv_tune_report_clear(&rep);
        }
    }
}

static rv_status all_wrong(rv_op op, rv_variant v, rv_dtype dt, const rv_opts *opts,
                           const void *args, rv_error *err)
{
    if (v == RV_VAR_REFERENCE)
        return rv_run_ex(op, v, dt, opts, args, err);
    return RV_OK; /* writes nothing: every output stays NaN */
}

static void every_candidate_failing_is_an_error(void **state)
{
    (void)state;
    rv_tune_job job = {.problem = small_fwd, .effort = RV_EFFORT_MEASURE, .max_threads = 1,
                       .only_variant = -1, .seed = {RV_VAR_NAIVE, {0, 0, 0}}, .budget_s = 1,
                       .run = all_wrong};
    rv_tune_report rep = {0};
    rv_error err = {0};
    assert_int_equal(rv_tune_search(&job, &rep, &err), RV_ERR_VARIANT);
    assert_non_null(strstr(err.msg, "failed its check"));
    assert_int_equal(rep.count, 0);
    assert_null(rep.results);
}

/* ---- plans ---- */

static void measure_and_exhaustive_plans(void **state)
{
    (void)state;
    rv_tune_report rep = {0};
    rv_plan_opts po = {.effort = RV_EFFORT_EXHAUSTIVE, .max_threads = 2, .report = &rep};
    rv_plan *p = NULL;
    rv_error err = {0};
    const rv_problem *q = &small_fwd;
    assert_int_equal(rv_plan_create(&p, q->op, q->dt, q->shape, 0, &po, &err), RV_OK);
    assert_int_equal(rep.count, rv_tune_grid(-1, 2, NULL, 0));
    assert_int_equal(rep.results[rep.chosen].cand.variant, rv_plan_variant(p));
    char line[300];
    assert_non_null(strstr(rv_plan_describe(p, line, sizeof line), "(exhaustive)"));
    rv_plan_destroy(p);

    po.effort = RV_EFFORT_MEASURE;
    assert_int_equal(rv_plan_create(&p, q->op, q->dt, q->shape, 0, &po, &err), RV_OK);
    assert_true(rep.count >= 1 && rep.count <= rv_tune_grid(-1, 2, NULL, 0));
    assert_int_equal(rep.results[rep.chosen].status, RV_CAND_TIMED);
    rv_plan_destroy(p);

    po.force_variant = 1 + RV_VAR_NAIVE; /* tune one variant only */
    assert_int_equal(rv_plan_create(&p, q->op, q->dt, q->shape, 0, &po, &err), RV_OK);
    assert_int_equal(rv_plan_variant(p), RV_VAR_NAIVE);
    assert_int_equal(rep.count, 1);
    rv_plan_destroy(p);
    rv_tune_report_clear(&rep);
}

static void plan_options_are_checked(void **state)
{
    (void)state;
    rv_plan *p = NULL;
    rv_plan_opts po = {.effort = RV_EFFORT_MEASURE, .budget_s = -1};
    assert_int_equal(rv_plan_create(&p, RV_OP_LAYER_FWD, RV_F64, (rv_shape){4, 4, 4}, 0, &po,
                                    NULL), RV_ERR_OPTS);
    po = (rv_plan_opts){.effort = (rv_effort)7};
    assert_int_equal(rv_plan_create(&p, RV_OP_LAYER_FWD, RV_F64, (rv_shape){4, 4, 4}, 0, &po,
                                    NULL), RV_ERR_OPTS);
    po = (rv_plan_opts){.effort = RV_EFFORT_MEASURE};
    assert_int_equal(rv_plan_create(&p, RV_OP_RELU_FWD, RV_F64, (rv_shape){4, 0, 4},
                                    RV_PLAN_WITH_DX, &po, NULL), RV_ERR_OPTS);
    assert_null(p);
}

/* ---- wisdom in memory ---- */

static rv_wisdom_entry entry(size_t n)
{
    rv_wisdom_entry e = {{RV_OP_LAYER_FWD, RV_F64, {n, 3, 5}, 0}, 2,
                         {RV_VAR_NAIVE, {0, 0, 0}}, RV_EFFORT_MEASURE, 1e-6, 3, 0};
    return e;
}

static void wisdom_entries_and_plans(void **state)
{
    (void)state;
    rv_wisdom *w = NULL;
    assert_int_equal(rv_wisdom_create(&w, NULL), RV_OK);
    rv_wisdom_entry e = entry(4);
    assert_int_equal(rv_wisdom_put(w, &e, NULL), RV_OK);
    assert_int_equal(rv_wisdom_put(w, &e, NULL), RV_OK); /* same key: replaced */
    assert_int_equal(rv_wisdom_count(w), 1);

    rv_wisdom_entry bad = e;
    bad.choice.variant = RV_VAR_REFERENCE; /* the oracle never contends */
    assert_int_equal(rv_wisdom_put(w, &bad, NULL), RV_ERR_VARIANT);
    bad = e;
    bad.choice.opts.threads = 3; /* naive reads no threads */
    assert_int_equal(rv_wisdom_put(w, &bad, NULL), RV_ERR_OPTS);
    bad = e;
    bad.effort = RV_EFFORT_ESTIMATE;
    assert_int_equal(rv_wisdom_put(w, &bad, NULL), RV_ERR_OPTS);

    /* a plan finds it without timing, whatever the requested effort <= measure */
    rv_plan *p = NULL;
    rv_tune_report rep = {0};
    rv_plan_opts po = {.effort = RV_EFFORT_MEASURE, .max_threads = 2, .wisdom = w,
                       .report = &rep};
    assert_int_equal(rv_plan_create(&p, RV_OP_LAYER_FWD, RV_F64, (rv_shape){4, 3, 5}, 0, &po,
                                    NULL), RV_OK);
    assert_int_equal(rep.count, 0);
    char line[300];
    assert_non_null(strstr(rv_plan_describe(p, line, sizeof line), "(wisdom: measure)"));
    rv_plan_destroy(p);
    /* another thread cap is another key: searched, then remembered */
    po.max_threads = 1;
    assert_int_equal(rv_plan_create(&p, RV_OP_LAYER_FWD, RV_F64, (rv_shape){4, 3, 5}, 0, &po,
                                    NULL), RV_OK);
    assert_true(rep.count > 0);
    assert_int_equal(rv_wisdom_count(w), 2);
    rv_plan_destroy(p);
    /* exhaustive is not satisfied by a measure entry */
    po.effort = RV_EFFORT_EXHAUSTIVE;
    assert_int_equal(rv_plan_create(&p, RV_OP_LAYER_FWD, RV_F64, (rv_shape){4, 3, 5}, 0, &po,
                                    NULL), RV_OK);
    assert_int_equal(rep.count, rv_tune_grid(-1, 1, NULL, 0));
    assert_int_equal(rv_wisdom_find(w, &e.problem, 1)->effort, RV_EFFORT_EXHAUSTIVE);
    rv_plan_destroy(p);
    rv_tune_report_clear(&rep);

    /* merge: higher effort wins, the destination on ties */
    rv_wisdom *src = NULL;
    assert_int_equal(rv_wisdom_create(&src, NULL), RV_OK);
    rv_wisdom_entry other = entry(4);
    other.seconds = 9;
    rv_wisdom_entry fresh = entry(8);
    assert_int_equal(rv_wisdom_put(src, &other, NULL), RV_OK);
    assert_int_equal(rv_wisdom_put(src, &fresh, NULL), RV_OK);
    assert_int_equal(rv_wisdom_merge(w, src, NULL), RV_OK);
    assert_int_equal(rv_wisdom_count(w), 3);
    assert_true(rv_wisdom_find(w, &e.problem, 2)->seconds == 1e-6);
    rv_wisdom_forget(w, &e.problem, 2);
    assert_null(rv_wisdom_find(w, &e.problem, 2));
    assert_int_equal(rv_wisdom_count(w), 2);
    rv_wisdom_destroy(src);
    rv_wisdom_destroy(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(choice_prefers_fewer_threads_within_noise),
        cmocka_unit_test(choice_tolerance_is_each_candidates_clamped_spread),
        cmocka_unit_test(choice_prefers_earlier_variant_then_grid_position),
        cmocka_unit_test(choice_ignores_failed_and_pruned),
        cmocka_unit_test(paired_estimates_cancel_load_between_rounds),
        cmocka_unit_test(interleave_shuffles_the_order_each_round),
        cmocka_unit_test(grid_follows_variant_flags),
        cmocka_unit_test(check_shape_reduces_only_when_needed),
        cmocka_unit_test(failing_candidate_is_reported_and_never_chosen),
        cmocka_unit_test(every_candidate_failing_is_an_error),
        cmocka_unit_test(measure_and_exhaustive_plans),
        cmocka_unit_test(plan_options_are_checked),
        cmocka_unit_test(wisdom_entries_and_plans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
