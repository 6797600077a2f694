/* stats.c - t and binomial intervals, rank correlation, two-sample tests,
 * the incomplete gamma and the Kolmogorov-Smirnov and Mann-Whitney tests. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

void rvo_mean_sd(const double *x, size_t k, double *mean, double *sd)
{
    double s = 0, ss = 0;
    for (size_t i = 0; i < k; i++)
        s += x[i];
    double m = k ? s / (double)k : 0;
    for (size_t i = 0; i < k; i++)
        ss += (x[i] - m) * (x[i] - m);
    *mean = m;
    *sd = k > 1 ? sqrt(ss / (double)(k - 1)) : 0;
}

/* Continued fraction of the incomplete beta (modified Lentz). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    d = 1 / (fabs(d) < tiny ? tiny : d);
    double h = d;
    for (int m = 1; m <= 500; m++) {
        double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
        d = 1 + num * d;
        d = 1 / (fabs(d) < tiny ? tiny : d);
        c = 1 + num / c;
        c = fabs(c) < tiny ? tiny : c;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
        d = 1 + num * d;
        d = 1 / (fabs(d) < tiny ? tiny : d);
        c = 1 + num / c;
        c = fabs(c) < tiny ? tiny : c;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-15)
            break;
    }
    return h;
}

double rvo_beta_inc(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    double bt = exp(lbt);
    if (x < (a + 1) / (a + b + 2))
        return bt * beta_cf(a, b, x) / a;
    return 1 - bt * beta_cf(b, a, 1 - x) / b;
}

double rvo_t_cdf(double t, double df)
{
    double tail = 0.5 * rvo_beta_inc(df / 2, 0.5, df / (df + t * t));
    return t > 0 ? 1 - tail : tail;
}

/* Bisection for an increasing f on [lo, hi] with f(x) = target. */
static double bisect(double (*f)(double, double, double), double a, double b, double target,
                     double lo, double hi)
{
    for (int i = 0; i < 200 && hi - lo > 1e-14 * (1 + fabs(lo)); i++) {
        double mid = 0.5 * (lo + hi);
        if (f(a, b, mid) < target)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

static double t_cdf3(double df, double unused, double t)
{
    (void)unused;
    return rvo_t_cdf(t, df);
}

double rvo_t_quantile(double q, double df)
{
    if (q <= 0)
        return -INFINITY;
    if (q >= 1)
        return INFINITY;
    if (q < 0.5)
        return -rvo_t_quantile(1 - q, df);
    double hi = 1;
    while (rvo_t_cdf(hi, df) < q && hi < 1e12)
        hi *= 2;
    return bisect(t_cdf3, df, 0, q, 0, hi);
}

rvo_interval rvo_ci_t(const double *x, size_t k, double alpha)
{
    rvo_interval r;
    double sd;
    rvo_mean_sd(x, k, &r.mean, &sd);
    if (k < 2) {
        r.lo = -INFINITY;
        r.hi = INFINITY;
        return r;
    }
    double h = rvo_t_quantile(1 - alpha / 2, (double)(k - 1)) * sd / sqrt((double)k);
    r.lo = r.mean - h;
    r.hi = r.mean + h;
    return r;
}

rvo_interval rvo_ci_binomial(double hits, double trials, double alpha)
{
    rvo_interval r = {trials > 0 ? hits / trials : 0, 0, 1};
    if (trials <= 0)
        return r;
    if (hits > 0)
        r.lo = bisect(rvo_beta_inc, hits, trials - hits + 1, alpha / 2, 0, 1);
    if (hits < trials)
        r.hi = bisect(rvo_beta_inc, hits + 1, trials - hits, 1 - alpha / 2, 0, 1);
    return r;
}

rvo_interval rvo_ci_error(const double *err, size_t k, size_t test_n, double alpha)
{
    rvo_interval t = rvo_ci_t(err, k, alpha);
    double pooled = t.mean * (double)k * (double)test_n;
    rvo_interval b = rvo_ci_binomial(round(pooled), (double)k * (double)test_n, alpha);
    rvo_interval r = {t.mean, fmin(t.lo, b.lo), fmax(t.hi, b.hi)};
    r.lo = fmax(r.lo, 0);
    r.hi = fmin(r.hi, 1);
    return r;
}

/* Average ranks (1-based) of x into r; O(k^2), k is a number of runs. */
static void ranks(const double *x, size_t k, double *r)
{
    for (size_t i = 0; i < k; i++) {
        double less = 0, equal = 0;
        for (size_t j = 0; j < k; j++) {
            less += x[j] < x[i];
            equal += x[j] == x[i];
        }
        r[i] = less + (equal + 1) / 2;
    }
}

static double pearson(const double *x, const double *y, size_t k)
{
    double mx, my, sx, sy, sxy = 0;
    rvo_mean_sd(x, k, &mx, &sx);
    rvo_mean_sd(y, k, &my, &sy);
    if (sx == 0 || sy == 0)
        return 0;
    for (size_t i = 0; i < k; i++)
        sxy += (x[i] - mx) * (y[i] - my);
    return sxy / ((double)(k - 1) * sx * sy);
}

void rvo_spearman(const double *x, const double *y, size_t k, double *rho, double *p_greater)
{
    *rho = 0;
    *p_greater = 1;
    double *rx = malloc(2 * k * sizeof *rx);
    if (!rx || k < 3) {
        free(rx);
        return;
    }
    double *ry = rx + k;
    ranks(x, k, rx);
    ranks(y, k, ry);
    double r = pearson(rx, ry, k);
    free(rx);
    if (fabs(r) > 1 - 1e-12) /* rounding of a perfect rank agreement */
        r = r > 0 ? 1 : -1;
    *rho = r;
    if (r == 0)
        return;
    if (r >= 1) {
        *p_greater = 0;
        return;
    }
    double df = (double)k - 2;
    *p_greater = 1 - rvo_t_cdf(r * sqrt(df / (1 - r * r)), df);
}

double rvo_page_trend(const double *x, size_t s, size_t k, double *mean_rho)
{
    *mean_rho = 0;
    double *r = malloc(k * sizeof *r);
    if (!r || s < 1 || k < 2) {
        free(r);
        return 1;
    }
    double L = 0, K = (double)k, S = (double)s;
    for (size_t b = 0; b < s; b++) {
        ranks(x + b * k, k, r);
        for (size_t j = 0; j < k; j++)
            L += (double)(j + 1) * r[j];
    }
    free(r);
    double mean = S * K * (K + 1) * (K + 1) / 4;
    double var = S * K * K * (K + 1) * (K * K - 1) / 144;
    /* L = mean + rho_bar * S * K (K^2 - 1) / 12 */
    *mean_rho = (L - mean) / (S * K * (K * K - 1) / 12);
    return 0.5 * erfc((L - mean) / sqrt(var) / sqrt(2.0));
}

/* One-sided p-value that a difference of means `diff` is > 0, with standard
 * error se and df degrees of freedom; se == 0 decides from the sign. */
static double p_positive(double diff, double se, double df)
{
    if (se == 0)
        return diff > 0 ? 0 : 1;
    return 1 - rvo_t_cdf(diff / se, df);
}

double rvo_welch_less(const double *a, size_t na, const double *b, size_t nb)
{
    double ma, sa, mb, sb;
    rvo_mean_sd(a, na, &ma, &sa);
    rvo_mean_sd(b, nb, &mb, &sb);
    double va = sa * sa / (double)na, vb = sb * sb / (double)nb;
    double se = sqrt(va + vb);
    double df = 1;
    if (se > 0) { /* Welch-Satterthwaite; a zero-variance side contributes 0 */
        double den = (na > 1 ? va * va / (double)(na - 1) : 0) +
                     (nb > 1 ? vb * vb / (double)(nb - 1) : 0);
        df = den > 0 ? (va + vb) * (va + vb) / den : 1;
    }
    return p_positive(mb - ma, se, df);
}

double rvo_paired_greater(const double *a, const double *b, size_t k)
{
    double *d = malloc(k * sizeof *d);
    if (!d || k < 2) {
        free(d);
        return 1;
    }
    for (size_t i = 0; i < k; i++)
        d[i] = a[i] - b[i];
    double m, s;
    rvo_mean_sd(d, k, &m, &s);
    free(d);
    return p_positive(m, s / sqrt((double)k), (double)(k - 1));
}

double rvo_gamma_inc(double a, double x)
{
    if (!(a > 0) || !(x >= 0))
        return NAN;
    if (x == 0)
        return 0;
    if (x == INFINITY)
        return 1;
    double lpre = a * log(x) - x - lgamma(a);
    if (x < a + 1) { /* series: x^a e^-x / Gamma(a+1) sum x^k / ((a+1)...(a+k)) */
        double term = 1 / a, sum = term;
        for (int k = 1; k < 100000; k++) {
            term *= x / (a + k);
            sum += term;
            if (fabs(term) < fabs(sum) * 1e-16)
                break;
        }
        return sum * exp(lpre);
    }
    /* continued fraction for Q(a, x) (modified Lentz) */
    const double tiny = 1e-300;
    double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
    for (int i = 1; i < 100000; i++) {
        double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        d = fabs(d) < tiny ? tiny : d;
        c = b + an / c;
        c = fabs(c) < tiny ? tiny : c;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-16)
            break;
    }
    return 1 - exp(lpre) * h;
}

double rvo_kolmogorov_q(double lambda)
{
    if (lambda <= 0.3)
        return 1;
    double s = 0, sign = 1;
    for (int j = 1; j <= 200; j++) {
        double t = exp(-2.0 * j * j * lambda * lambda);
        s += sign * t;
        sign = -sign;
        if (t < 1e-18)
            break;
    }
    double q = 2 * s;
    return q < 0 ? 0 : q > 1 ? 1 : q;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void rvo_sort(double *x, size_t k)
{
    qsort(x, k, sizeof *x, cmp_double);
}

/* Stephens (1970): Q((sqrt(ne) + 0.12 + 0.11 / sqrt(ne)) D). */
static double ks_p(double D, double ne)
{
    double s = sqrt(ne);
    return rvo_kolmogorov_q((s + 0.12 + 0.11 / s) * D);
}

double rvo_ks_one(double *x, size_t k, double (*cdf)(double, const void *), const void *ctx,
                  double *D)
{
    qsort(x, k, sizeof *x, cmp_double);
    double dmax = 0, K = (double)k;
    for (size_t i = 0; i < k; i++) {
        double F = cdf(x[i], ctx);
        double up = (double)(i + 1) / K - F, lo = F - (double)i / K;
        dmax = fmax(dmax, fmax(up, lo));
    }
    *D = dmax;
    return ks_p(dmax, K);
}

double rvo_ks_two(double *a, size_t na, double *b, size_t nb, double *D)
{
    qsort(a, na, sizeof *a, cmp_double);
    qsort(b, nb, sizeof *b, cmp_double);
    size_t i = 0, j = 0;
    double dmax = 0;
    while (i < na && j < nb) {
        double t = a[i] < b[j] ? a[i] : b[j];
        while (i < na && a[i] == t) /* step past every tie at t on both sides */
            i++;
        while (j < nb && b[j] == t)
            j++;
        dmax = fmax(dmax, fabs((double)i / (double)na - (double)j / (double)nb));
    }
    *D = dmax;
    return ks_p(dmax, (double)na * (double)nb / (double)(na + nb));
}

double rvo_mann_whitney(const double *a, size_t na, const double *b, size_t nb, double *auc)
{
    size_t N = na + nb;
    double *v = malloc(N * sizeof *v), *r = malloc(N * sizeof *r);
    if (!v || !r) {
        free(v);
        free(r);
        return NAN;
    }
    for (size_t i = 0; i < na; i++)
        v[i] = a[i];
    for (size_t i = 0; i < nb; i++)
        v[na + i] = b[i];
    ranks(v, N, r);
    double Ra = 0;
    for (size_t i = 0; i < na; i++)
        Ra += r[i];
    /* tie correction: sum over tie groups of t^3 - t */
    qsort(v, N, sizeof *v, cmp_double);
    double ties = 0;
    for (size_t i = 0; i < N;) {
        size_t j = i;
        while (j < N && v[j] == v[i])
            j++;
        double t = (double)(j - i);
        ties += t * t * t - t;
        i = j;
    }
    free(v);
    free(r);
    double A = (double)na, B = (double)nb, n = A + B;
    double U = Ra - A * (A + 1) / 2;
    *auc = U / (A * B);
    double var = A * B / 12 * ((n + 1) - ties / (n * (n - 1)));
    if (var <= 0)
        return 1;
    double z = (fabs(U - A * B / 2) - 0.5) / sqrt(var);
    return z <= 0 ? 1 : erfc(z / sqrt(2.0));
}
