/* rng.c - splitmix64, xoshiro256**, uniforms, portable normals, gamma,
 * chi-square and symmetric-beta draws. */
#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rvo_rng_seed(rvo_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
    r->spare = 0;
    r->has_spare = 0;
}

uint64_t rvo_rng_next(rvo_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rvo_rng_uniform(rvo_rng *r)
{
    return (double)(rvo_rng_next(r) >> 11) * 0x1.0p-53;
}

double rvo_log(double x)
{
    if (x < 0 || x != x)
        return NAN;
    if (x == 0)
        return -INFINITY;
    if (x == INFINITY)
        return x;
    int e;
    double f = frexp(x, &e); /* x = f 2^e, f in [0.5, 1) */
    if (f < 0.70710678118654752) { /* centre f on 1: f in [0.707, 1.414) */
        f *= 2;
        e -= 1;
    }
    /* log f = 2 atanh(t), t = (f - 1) / (f + 1), |t| < 0.1716: the odd
     * series converges by t^2 < 0.0295 a term; 12 terms reach 1e-18. */
    double t = (f - 1) / (f + 1), t2 = t * t, sum = 0;
    for (int k = 23; k >= 1; k -= 2)
        sum = sum * t2 + 1.0 / k;
    /* ln 2 split in a high part exact in 32 bits and a low part. */
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    return (double)e * ln2_hi + ((double)e * ln2_lo + 2 * t * sum);
}

double rvo_rng_normal(rvo_rng *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u, v, s;
    do {
        u = 2 * rvo_rng_uniform(r) - 1;
        v = 2 * rvo_rng_uniform(r) - 1;
        s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double f = sqrt(-2 * rvo_log(s) / s);
    r->spare = v * f;
    r->has_spare = 1;
    return u * f;
}

double rvo_rng_gamma(rvo_rng *r, double a)
{
    if (!(a >= 1 && a <= 1e13))
        return NAN;
    /* Marsaglia & Tsang (2000), ACM TOMS 26(3): d v with v = (1 + c x)^3,
     * x normal, accepted by a cheap squeeze (about 98% of draws) or the
     * exact log test. */
    double dd = a - 1.0 / 3, c = 1 / sqrt(9 * dd);
    for (;;) {
        double x, v;
        do {
            x = rvo_rng_normal(r);
            v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        double u = rvo_rng_uniform(r), x2 = x * x;
        if (u < 1 - 0.0331 * x2 * x2)
            return dd * v;
        if (u > 0 && rvo_log(u) < 0.5 * x2 + dd * (1 - v + rvo_log(v)))
            return dd * v;
    }
}

double rvo_rng_chisq(rvo_rng *r, double nu)
{
    if (!(nu >= 1 && nu <= 2e13) || nu != floor(nu))
        return NAN;
    double half = floor(nu / 2), s = 0;
    if (half >= 1)
        s = 2 * rvo_rng_gamma(r, half);
    if (nu != 2 * half) {
        double z = rvo_rng_normal(r);
        s += z * z;
    }
    return s;
}

double rvo_rng_chi(rvo_rng *r, double nu)
{
    return sqrt(rvo_rng_chisq(r, nu));
}

double rvo_rng_sym_beta_cos(rvo_rng *r, double a)
{
    if (!(a >= 1 && a <= 1e13))
        return NAN;
    double g1 = rvo_rng_gamma(r, a), g2 = rvo_rng_gamma(r, a);
    return (g1 - g2) / (g1 + g2);
}

uint64_t rvo_seed_hash(const uint64_t *words, size_t k)
{
    uint64_t x = 0x52656c7556657421u ^ (uint64_t)k; /* "ReluVet!" */
    for (size_t i = 0; i < k; i++) {
        x ^= words[i];
        x = splitmix64(&x);
    }
    return x;
}
