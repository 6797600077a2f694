/* minnorm.c - the exact 1-D minimum-norm interpolator: a banded LP over a
 * grid of kinks (COIN-OR CLP) with column generation over the continuous
 * kink position, and its certificates (see minnorm.h). */
#include "minnorm.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <Clp_C_Interface.h>

enum { MAX_ROUNDS = 30 };
#define PRICE_TOL 1e-9     /* a unit is priced out when price <= cost (1 + this) */
#define LP_TOL 1e-10       /* CLP's primal and dual feasibility tolerances */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct point {
    double x, y;
} point;

static int cmp_point(const void *a, const void *b)
{
    return cmp_double(&((const point *)a)->x, &((const point *)b)->x);
}

static double weight(double t)
{
    return sqrt(1 + t * t);
}

/* Index of the first of t[0..k) (ascending) that is >= x. */
static size_t lower_bound(const double *t, size_t k, double x)
{
    size_t lo = 0, hi = k;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- the LP ---- */

typedef struct triplets {
    int *row, *col;
    double *val;
    size_t n;
} triplets;

static void put(triplets *m, int row, int col, double val)
{
    m->row[m->n] = row;
    m->col[m->n] = col;
    m->val[m->n] = val;
    m->n++;
}

/* The LP over a fixed grid t[0..G) (ascending, distinct: the data points and
 * the midpoints between them), written in N's values and slopes, with
 * units added as columns by column generation. Columns: f_g = N(t_g) and
 * sigma_g, the slope right of t_g (sigma_-1: left of t_0), free; per grid
 * point the right- and left-facing units r+-, l+- (>= 0, cost
 * sqrt(1 + t^2)); the constant c+- (cost 1); then the generated units.
 * Rows: per g the kink r_g + l_g = sigma_g - sigma_g-1 and the value
 * f_g+1 = f_g + dt sigma_g (banded: 6 and 3 nonzeros); the slope at
 * -infinity, -sum l = sigma_-1, and the value at t_0, c + sum_g l_g
 * (t_g - t_0) = f_0 (two dense rows); the margins y_i f >= 1 (one nonzero
 * each), whose duals are lambda. A generated unit at t inside (t_g, t_g+1)
 * enters the value row g (-(t_g+1 - t)) and the kink row g+1 (+1); a
 * left-facing one also the two dense rows; outside the grid only what it
 * changes there. So column generation keeps the rows and re-solves from the
 * last basis (primal simplex). This form is well conditioned (no 1 / dt)
 * and banded: n = 3000 solved in 0.4 s where a form with four running-sum
 * chains took 9.6 s (primal) to 80 s (dual) at n = 1000. */
typedef struct lp {
    Clp_Simplex *clp;
    const double *t;
    size_t G, nd;
    int ncols;
    /* generated units: position, direction, the column of their + part */
    double *ut;
    signed char *udir;
    int *ucol;
    size_t nu, ucap;
} lp;

#define LP_SIGMA(L, g) ((int)((L)->G + 1 + (g))) /* g from -1 */
#define LP_CP(L) ((int)(2 * (L)->G + 1))
#define LP_UNIT(L, g, k) ((int)(2 * (L)->G + 3 + 4 * (g) + (k)))
#define LP_S_ROW(L) ((int)(2 * (L)->G - 1))
#define LP_V_ROW(L) ((int)(2 * (L)->G))
#define LP_MARGIN_ROW(L, i) ((int)(2 * (L)->G + 1 + (i)))

static rv_status lp_build(lp *L, const double *t, size_t G, const point *pts, const size_t *at,
                          size_t nd, rv_error *err)
{
    *L = (lp){.t = t, .G = G, .nd = nd};
    size_t ncols = 6 * G + 3, nrows = 2 * G + 1 + nd;
    if (ncols > (size_t)1 << 30)
        return rv_fail(err, RV_ERR_SIZE, "the min-norm LP has too many columns (%zu)", ncols);
    size_t cap = 13 * G + 8 + nd;
    triplets m = {.row = malloc(cap * sizeof(int)), .col = malloc(cap * sizeof(int)),
                  .val = malloc(cap * sizeof(double))};
    double *obj = calloc(ncols, sizeof(double)), *clb = malloc(ncols * sizeof(double));
    double *cub = malloc(ncols * sizeof(double)), *rlb = calloc(nrows, sizeof(double));
    double *rub = calloc(nrows, sizeof(double));
    int *start = calloc(ncols + 1, sizeof(int)), *index = malloc(cap * sizeof(int));
    double *value = malloc(cap * sizeof(double));
    int *fill = malloc(ncols * sizeof(int));
    rv_status s = RV_OK;
    if (!m.row || !m.col || !m.val || !obj || !clb || !cub || !rlb || !rub || !start ||
        !index || !value || !fill) {
        s = rv_fail(err, RV_ERR_NOMEM, "out of memory for the min-norm LP (%zu points)", nd);
        goto out;
    }
    for (size_t k = 0; k < ncols; k++) {
        clb[k] = k < 2 * G + 1 ? -DBL_MAX : 0;
        cub[k] = DBL_MAX;
    }
    obj[LP_CP(L)] = obj[LP_CP(L) + 1] = 1;
    for (size_t g = 0; g < G; g++) {
        double w = weight(t[g]);
        int kg = (int)g;
        for (int k = 0; k < 4; k++)
            obj[LP_UNIT(L, g, k)] = w;
        put(&m, kg, LP_UNIT(L, g, 0), 1); /* r+ - r- + l+ - l- - sigma_g + sigma_g-1 = 0 */
        put(&m, kg, LP_UNIT(L, g, 1), -1);
        put(&m, kg, LP_UNIT(L, g, 2), 1);
        put(&m, kg, LP_UNIT(L, g, 3), -1);
        put(&m, kg, LP_SIGMA(L, (int)g), -1);
        put(&m, kg, LP_SIGMA(L, (int)g - 1), 1);
        if (g + 1 < G) { /* f_g+1 - f_g - dt sigma_g = 0 */
            int vg = (int)(G + g);
            put(&m, vg, (int)g + 1, 1);
            put(&m, vg, (int)g, -1);
            put(&m, vg, LP_SIGMA(L, (int)g), -(t[g + 1] - t[g]));
        }
        put(&m, LP_S_ROW(L), LP_UNIT(L, g, 2), 1); /* sum l + sigma_-1 = 0 */
        put(&m, LP_S_ROW(L), LP_UNIT(L, g, 3), -1);
        if (g > 0) { /* c + sum l (t_g - t_0) - f_0 = 0 */
            put(&m, LP_V_ROW(L), LP_UNIT(L, g, 2), t[g] - t[0]);
            put(&m, LP_V_ROW(L), LP_UNIT(L, g, 3), -(t[g] - t[0]));
        }
    }
    put(&m, LP_S_ROW(L), LP_SIGMA(L, -1), 1);
    put(&m, LP_V_ROW(L), LP_CP(L), 1);
    put(&m, LP_V_ROW(L), LP_CP(L) + 1, -1);
    put(&m, LP_V_ROW(L), 0, -1);
    for (size_t i = 0; i < nd; i++) {
        put(&m, LP_MARGIN_ROW(L, i), (int)at[i], pts[i].y);
        rlb[LP_MARGIN_ROW(L, i)] = 1;
        rub[LP_MARGIN_ROW(L, i)] = DBL_MAX;
    }
    /* column-major (counting sort by column); no (row, column) twice: CLP
     * does not sum repeated entries */
    for (size_t k = 0; k < m.n; k++)
        start[m.col[k] + 1]++;
    for (size_t c = 0; c < ncols; c++)
        start[c + 1] += start[c];
    memcpy(fill, start, ncols * sizeof(int));
    for (size_t k = 0; k < m.n; k++) {
        int to = fill[m.col[k]]++;
        index[to] = m.row[k];
        value[to] = m.val[k];
    }
    L->clp = Clp_newModel();
    if (!L->clp) {
        s = rv_fail(err, RV_ERR_NOMEM, "out of memory for the LP solver");
        goto out;
    }
    Clp_setLogLevel(L->clp, 0);
    Clp_loadProblem(L->clp, (int)ncols, (int)nrows, start, index, value, clb, cub, obj, rlb, rub);
    Clp_setPrimalTolerance(L->clp, LP_TOL);
    Clp_setDualTolerance(L->clp, LP_TOL);
    L->ncols = (int)ncols;
out:
    free(m.row);
    free(m.col);
    free(m.val);
    free(obj);
    free(clb);
    free(cub);
    free(rlb);
    free(rub);
    free(start);
    free(index);
    free(value);
    free(fill);
    return s;
}

static void lp_free(lp *L)
{
    if (L->clp)
        Clp_deleteModel(L->clp);
    free(L->ut);
    free(L->udir);
    free(L->ucol);
    *L = (lp){0};
}

/* Adds the unit facing dir at t (not on the grid) as two columns (+ and -
 * parts). A unit that changes nothing the LP sees (right-facing beyond the
 * grid, left-facing before it) is not added. */
static rv_status lp_add_unit(lp *L, double t, int dir, rv_error *err)
{
    const double *g = L->t;
    size_t G = L->G, j = lower_bound(g, G, t); /* grid points below t: [0, j) */
    int rows[4];
    double vals[4];
    int k = 0;
    if (j > 0 && j < G) { /* inside (t_j-1, t_j): value row j-1, kink row j */
        rows[k] = (int)(G + j - 1);
        vals[k++] = -(g[j] - t);
        rows[k] = (int)j;
        vals[k++] = 1;
    }
    if (dir < 0 && j > 0) { /* left-facing, after t_0: the slope at -inf and N(t_0) */
        rows[k] = LP_S_ROW(L);
        vals[k++] = 1;
        rows[k] = LP_V_ROW(L);
        vals[k++] = t - g[0];
    }
    if (dir > 0 && j == 0) { /* right-facing before t_0: the slope at -inf and N(t_0) */
        rows[k] = LP_S_ROW(L);
        vals[k++] = -1;
        rows[k] = LP_V_ROW(L);
        vals[k++] = g[0] - t;
    }
    if (k == 0)
        return RV_OK;
    if (L->nu == L->ucap) {
        size_t cap = L->ucap ? 2 * L->ucap : 64;
        double *ut = realloc(L->ut, cap * sizeof *ut);
        if (ut)
            L->ut = ut;
        signed char *ud = realloc(L->udir, cap);
        if (ud)
            L->udir = ud;
        int *uc = realloc(L->ucol, cap * sizeof *uc);
        if (uc)
            L->ucol = uc;
        if (!ut || !ud || !uc)
            return rv_fail(err, RV_ERR_NOMEM, "out of memory adding kinks");
        L->ucap = cap;
    }
    int rows2[8], starts[3] = {0, k, 2 * k};
    double vals2[8], lo[2] = {0, 0}, hi[2] = {DBL_MAX, DBL_MAX}, w = weight(t);
    double obj[2] = {w, w};
    for (int q = 0; q < k; q++) {
        rows2[q] = rows2[k + q] = rows[q];
        vals2[q] = vals[q];
        vals2[k + q] = -vals[q];
    }
    Clp_addColumns(L->clp, 2, lo, hi, obj, starts, rows2, vals2);
    L->ut[L->nu] = t;
    L->udir[L->nu] = (signed char)dir;
    L->ucol[L->nu] = L->ncols;
    L->nu++;
    L->ncols += 2;
    return RV_OK;
}

/* Solves (dual simplex from scratch the first time, then primal from the
 * last basis) and reads lambda. */
static rv_status lp_solve(lp *L, int first, double *lambda, rv_error *err)
{
    if (first)
        Clp_dual(L->clp, 0);
    else
        Clp_primal(L->clp, 0);
    int status = Clp_status(L->clp);
    /* The problem is always feasible (a constant and a kink at each point
     * interpolate), so a status other than optimal is the solver's rounding
     * (seen: the warm primal solve calling an n = 3000 LP infeasible):
     * solve again from scratch, first by the dual simplex, then with
     * presolve. */
    if (status != 0) {
        Clp_dual(L->clp, 0);
        status = Clp_status(L->clp);
    }
    if (status != 0) {
        Clp_initialSolve(L->clp);
        status = Clp_status(L->clp);
    }
    if (status != 0)
        return rv_fail(err, RV_ERR_IO, "the LP solver (CLP) ended with status %d (%s) on %zu "
                       "points", status,
                       status == 1 ? "infeasible" : status == 2 ? "unbounded" : "stopped", L->nd);
    const double *dual = Clp_dualRowSolution(L->clp);
    for (size_t i = 0; i < L->nd; i++)
        lambda[i] = fabs(dual[LP_MARGIN_ROW(L, i)]);
    return RV_OK;
}

/* ---- pricing: the largest price / cost over every unit ---- */

/* max over t in [lo, hi] (either may be infinite) of |A - B t| / sqrt(1 + t^2),
 * its argmax into *at. f' = 0 at t = -B / A. */
static double interval_max(double A, double B, double lo, double hi, double *at)
{
    double best = -1;
    double cand[3] = {lo, hi, A != 0 ? -B / A : NAN};
    for (int k = 0; k < 3; k++) {
        double t = cand[k];
        if (!(t >= lo && t <= hi) || !isfinite(t))
            continue;
        double v = fabs(A - B * t) / weight(t);
        if (v > best) {
            best = v;
            *at = t;
        }
    }
    if ((isinf(lo) || isinf(hi)) && fabs(B) > best) { /* the limit: the constant unit */
        best = fabs(B);
        *at = NAN;
    }
    return best;
}

/* The largest price/cost ratio over every unit under lambda (data sorted),
 * the constant unit included; the interior maximisers above 1 + PRICE_TOL
 * go to add[] with their direction in dir[] (at most 2 (nd + 1)), their
 * count to *nadd. */
static double price(const point *p, const double *lambda, size_t nd, double *add,
                    signed char *dir, size_t *nadd)
{
    double A = 0, B = 0;
    *nadd = 0;
    for (size_t i = 0; i < nd; i++) {
        A += lambda[i] * p[i].y * p[i].x;
        B += lambda[i] * p[i].y;
    }
    double rho = fabs(B); /* the constant unit: cost 1 */
    /* right-facing: F(t) = sum_{x_i > t} lambda y (x_i - t) = Ar - Br t on
     * (x_k-1, x_k], the sums over i >= k; left-facing: F(t) = sum_{x_i < t}
     * lambda y (t - x_i) = Bl t - Al, the sums over i < k (|F| is the same
     * as |Al - Bl t|) */
    double Ar = A, Br = B, Al = 0, Bl = 0;
    for (size_t k = 0; k <= nd; k++) {
        double lo = k ? p[k - 1].x : -INFINITY, hi = k < nd ? p[k].x : INFINITY;
        const double AB[2][2] = {{Ar, Br}, {Al, Bl}};
        for (int side = 0; side < 2; side++) {
            double at = NAN, v = interval_max(AB[side][0], AB[side][1], lo, hi, &at);
            if (v > rho)
                rho = v;
            if (v > 1 + PRICE_TOL && isfinite(at)) {
                add[*nadd] = at;
                dir[(*nadd)++] = side == 0 ? 1 : -1;
            }
        }
        if (k < nd) {
            double ly = lambda[k] * p[k].y;
            Ar -= ly * p[k].x;
            Br -= ly;
            Al += ly * p[k].x;
            Bl += ly;
        }
    }
    return rho;
}

/* ---- the solution as a net ---- */

void rvo_minnorm_free(rvo_minnorm *m)
{
    free(m->t);
    free(m->a);
    free(m->dir);
    *m = (rvo_minnorm){0};
}

void rvo_minnorm_eval(const rvo_minnorm *m, const double *xs, size_t k, double *out)
{
    size_t K = m->nkinks;
    /* prefix sums: right-facing a and a t below index j, left-facing from j on */
    double *pr = malloc((K + 1) * 4 * sizeof(double));
    if (!pr) { /* the direct sum: slow, never wrong */
        for (size_t q = 0; q < k; q++) {
            double v = m->constant;
            for (size_t j = 0; j < K; j++)
                v += m->a[j] * fmax(0, m->dir[j] * (xs[q] - m->t[j]));
            out[q] = v;
        }
        return;
    }
    double *pa = pr, *pt = pr + K + 1, *la = pr + 2 * (K + 1), *lt = pr + 3 * (K + 1);
    pa[0] = pt[0] = 0;
    for (size_t j = 0; j < K; j++) {
        int right = m->dir[j] > 0;
        pa[j + 1] = pa[j] + (right ? m->a[j] : 0);
        pt[j + 1] = pt[j] + (right ? m->a[j] * m->t[j] : 0);
    }
    la[K] = lt[K] = 0;
    for (size_t j = K; j-- > 0;) {
        int left = m->dir[j] < 0;
        la[j] = la[j + 1] + (left ? m->a[j] : 0);
        lt[j] = lt[j + 1] + (left ? m->a[j] * m->t[j] : 0);
    }
    for (size_t q = 0; q < k; q++) {
        double x = xs[q];
        size_t j = lower_bound(m->t, K, x); /* kinks below x: [0, j) */
        out[q] = m->constant + (x * pa[j] - pt[j]) + (lt[j] - x * la[j]);
    }
    free(pr);
}

double rvo_minnorm_clean_error(const rvo_minnorm *m)
{
    /* the breakpoints inside (-1, 1), and the ends */
    size_t K = m->nkinks, k = 0;
    double *b = malloc((K + 2) * sizeof(double)), *v = malloc((K + 2) * sizeof(double));
    if (!b || !v) {
        free(b);
        free(v);
        return NAN;
    }
    b[k++] = -1;
    for (size_t j = 0; j < K; j++)
        if (m->t[j] > -1 && m->t[j] < 1 && m->t[j] > b[k - 1])
            b[k++] = m->t[j];
    b[k++] = 1;
    rvo_minnorm_eval(m, b, k, v);
    double bad = 0;
    for (size_t j = 0; j + 1 < k; j++) {
        double lo = b[j], hi = b[j + 1], f0 = v[j], f1 = v[j + 1];
        if (f0 <= 0 && f1 <= 0)
            bad += hi - lo;
        else if (f0 <= 0 || f1 <= 0) /* one sign change inside: linear */
            bad += (hi - lo) * (f0 <= 0 ? -f0 : -f1) / fabs(f1 - f0);
    }
    free(b);
    free(v);
    return bad / 2;
}

/* ---- the solver ---- */

typedef struct unit {
    double t, a;
    int dir;
} unit;

static int cmp_unit(const void *a, const void *b)
{
    const unit *u = a, *v = b;
    if (u->t != v->t)
        return (u->t > v->t) - (u->t < v->t);
    return v->dir - u->dir; /* right-facing first */
}

/* The LP's units as the net's kinks (nonzero coefficients, ascending t),
 * its cost and its exact margins at the data; scaled to margin 1 when
 * rounding left the smallest below 1. */
static rv_status make_net(const lp *L, const point *pts, rvo_minnorm *out, rv_error *err)
{
    const double *xs = Clp_primalColumnSolution(L->clp);
    size_t G = L->G, cap = 2 * G + L->nu, K = 0;
    unit *u = malloc((cap ? cap : 1) * sizeof *u);
    double *px = malloc(L->nd * sizeof(double)), *f = malloc(L->nd * sizeof(double));
    if (!u || !px || !f) {
        free(u);
        free(px);
        free(f);
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for the min-norm net");
    }
    for (size_t g = 0; g < G; g++) {
        double r = xs[LP_UNIT(L, g, 0)] - xs[LP_UNIT(L, g, 1)];
        double l = xs[LP_UNIT(L, g, 2)] - xs[LP_UNIT(L, g, 3)];
        if (r != 0)
            u[K++] = (unit){L->t[g], r, 1};
        if (l != 0)
            u[K++] = (unit){L->t[g], l, -1};
    }
    for (size_t q = 0; q < L->nu; q++) {
        double a = xs[L->ucol[q]] - xs[L->ucol[q] + 1];
        if (a != 0)
            u[K++] = (unit){L->ut[q], a, L->udir[q]};
    }
    qsort(u, K, sizeof *u, cmp_unit);
    out->t = malloc((K ? K : 1) * sizeof(double));
    out->a = malloc((K ? K : 1) * sizeof(double));
    out->dir = malloc(K ? K : 1);
    if (!out->t || !out->a || !out->dir) {
        free(u);
        free(px);
        free(f);
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for the min-norm net");
    }
    out->constant = xs[LP_CP(L)] - xs[LP_CP(L) + 1];
    double cost = fabs(out->constant);
    for (size_t j = 0; j < K; j++) {
        out->t[j] = u[j].t;
        out->a[j] = u[j].a;
        out->dir[j] = (signed char)u[j].dir;
        cost += fabs(u[j].a) * weight(u[j].t);
    }
    out->nkinks = K;
    free(u);
    for (size_t i = 0; i < L->nd; i++)
        px[i] = pts[i].x;
    rvo_minnorm_eval(out, px, L->nd, f);
    double gamma = INFINITY;
    for (size_t i = 0; i < L->nd; i++)
        gamma = fmin(gamma, pts[i].y * f[i]);
    free(px);
    free(f);
    if (!(gamma > 0))
        return rv_fail(err, RV_ERR_IO, "the LP's net does not interpolate (min margin %g): the "
                       "solver's answer is wrong", gamma);
    if (gamma < 1) { /* rounding: scale up to margin 1 (cost and margins are linear) */
        for (size_t j = 0; j < out->nkinks; j++)
            out->a[j] /= gamma;
        out->constant /= gamma;
        cost /= gamma;
        gamma = 1;
    }
    out->upper = cost;
    out->min_margin = gamma;
    return RV_OK;
}

static rv_status check_points(const double *x, const double *y, size_t n, point **out,
                              size_t *nd, rv_error *err)
{
    if (n == 0 || n > 10000000)
        return rv_fail(err, RV_ERR_SIZE, "min-norm needs 1..10^7 points (got %zu)", n);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || (y[i] != 1 && y[i] != -1))
            return rv_fail(err, RV_ERR_OPTS, "point %zu: x = %g, y = %g (need a finite x and "
                           "y = +-1)", i, x[i], y[i]);
    point *p = malloc(n * sizeof *p);
    if (!p)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for %zu points", n);
    for (size_t i = 0; i < n; i++)
        p[i] = (point){x[i], y[i]};
    qsort(p, n, sizeof *p, cmp_point);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && p[i].x == p[k - 1].x) {
            if (p[i].y != p[k - 1].y) {
                double at = p[i].x;
                free(p);
                return rv_fail(err, RV_ERR_OPTS, "two points at x = %g with labels +1 and -1: "
                               "no function interpolates them", at);
            }
            continue;
        }
        p[k++] = p[i];
    }
    *out = p;
    *nd = k;
    return RV_OK;
}

/* Whether t is within 1e-9 of a grid point or of a generated unit facing
 * dir: then a column for it exists already (and a closer one would only
 * make the LP degenerate). */
static int known(const lp *L, double t, int dir)
{
    size_t j = lower_bound(L->t, L->G, t);
    if ((j < L->G && L->t[j] - t <= 1e-9) || (j > 0 && t - L->t[j - 1] <= 1e-9))
        return 1;
    for (size_t q = 0; q < L->nu; q++)
        if (L->udir[q] == dir && fabs(L->ut[q] - t) <= 1e-9)
            return 1;
    return 0;
}

rv_status rvo_minnorm_solve(const double *x, const double *y, size_t n, rvo_minnorm *out,
                            rv_error *err)
{
    *out = (rvo_minnorm){0};
    point *p = NULL;
    size_t nd = 0;
    rv_status s = check_points(x, y, n, &p, &nd, err);
    if (s != RV_OK)
        return s;
    size_t G = 2 * nd - 1;
    double *grid = malloc(G * sizeof(double)), *add = malloc((2 * nd + 2) * sizeof(double));
    double *lambda = malloc(nd * sizeof(double));
    signed char *dir = malloc(2 * nd + 2);
    size_t *at = malloc(nd * sizeof(size_t));
    lp L = {0};
    if (!grid || !add || !lambda || !dir || !at) {
        s = rv_fail(err, RV_ERR_NOMEM, "out of memory for %zu points", nd);
        goto done;
    }
    for (size_t i = 0; i < nd; i++) { /* the data points and the midpoints */
        grid[2 * i] = p[i].x;
        at[i] = 2 * i;
    }
    for (size_t i = 1; i < nd; i++)
        grid[2 * i - 1] = (grid[2 * i - 2] + grid[2 * i]) / 2;
    if ((s = lp_build(&L, grid, G, p, at, nd, err)) != RV_OK)
        goto done;
    for (int round = 1;; round++) {
        if ((s = lp_solve(&L, round == 1, lambda, err)) != RV_OK)
            goto done;
        size_t nadd;
        double rho = price(p, lambda, nd, add, dir, &nadd), sum = 0;
        for (size_t i = 0; i < nd; i++)
            sum += lambda[i];
        out->lower = sum / fmax(1, rho);
        out->rounds = round;
        size_t added = 0;
        for (size_t q = 0; q < nadd && round < MAX_ROUNDS; q++) {
            if (known(&L, add[q], dir[q]))
                continue;
            size_t before = L.nu;
            if ((s = lp_add_unit(&L, add[q], dir[q], err)) != RV_OK)
                goto done;
            added += L.nu != before;
        }
        if (!added)
            break;
    }
    out->grid = G + L.nu;
    s = make_net(&L, p, out, err);
    if (s == RV_OK && out->lower > out->upper * (1 + 1e-9))
        s = rv_fail(err, RV_ERR_IO, "min-norm bounds cross (lower %.17g > upper %.17g): the "
                    "solver's answer is inconsistent", out->lower, out->upper);
    if (s == RV_OK) {
        if (out->lower > out->upper) /* equal up to rounding */
            out->lower = out->upper;
        out->gap = (out->upper - out->lower) / out->upper;
    }
done:
    if (s != RV_OK)
        rvo_minnorm_free(out);
    lp_free(&L);
    free(grid);
    free(add);
    free(lambda);
    free(dir);
    free(at);
    free(p);
    return s;
}
