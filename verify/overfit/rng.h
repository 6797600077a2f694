/* rng.h - the harness's random numbers: seeded, portable, reproducible.
 *
 * Generator: xoshiro256** (Blackman & Vigna), its 256-bit state expanded from
 * a 64-bit seed with splitmix64. Uniforms take the top 53 bits. Normals use
 * Marsaglia's polar method with rvo_log, a logarithm built from IEEE-754
 * basic operations only (+ - * / and frexp/ldexp, which are exact), and sqrt,
 * which IEEE-754 also rounds exactly. So the same seed gives bit-identical
 * data on every conforming machine and libm (the build must not contract
 * a*b+c into FMAs; strict C11 mode, which the project uses, does not).
 *
 * Streams: rvo_seed_hash maps a tuple of words (a master seed, a purpose
 * tag, indices) to a seed, so every independent stream of a sweep (data of
 * a seed index, labels, network init, test set) is named, not counted. */
#ifndef RELUVET_OVERFIT_RNG_H
#define RELUVET_OVERFIT_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct rvo_rng {
    uint64_t s[4];
    double spare;     /* the polar method's second normal */
    int has_spare;
} rvo_rng;

/* Seeds r (any 64-bit value, 0 included). */
void rvo_rng_seed(rvo_rng *r, uint64_t seed);

/* The next 64 raw bits. */
uint64_t rvo_rng_next(rvo_rng *r);

/* Uniform on [0, 1), a multiple of 2^-53. */
double rvo_rng_uniform(rvo_rng *r);

/* Standard normal (portable, see above). */
double rvo_rng_normal(rvo_rng *r);

/* Gamma(a, 1), a >= 1 (Marsaglia & Tsang's squeeze on a cubed normal, with
 * rvo_log: portable like the normals). Mean a, variance a. Any a up to
 * 1e13 (the harness needs a = d/2 at d up to 1e12); a < 1 or NaN gives NaN. */
double rvo_rng_gamma(rvo_rng *r, double a);

/* Chi-square with nu degrees of freedom, nu a whole number >= 1 (a double,
 * so that nu = 1e12 is exact): 2 Gamma(nu/2) for even nu, plus a squared
 * normal for odd nu (so no Gamma of shape below 1 is ever drawn). Mean nu,
 * variance 2 nu. Anything else gives NaN. */
double rvo_rng_chisq(rvo_rng *r, double nu);

/* Chi: sqrt of rvo_rng_chisq(nu). */
double rvo_rng_chi(rvo_rng *r, double nu);

/* 2 B - 1 with B ~ Beta(a, a), a >= 1: the cosine between a fixed direction
 * and a uniform one on S^{d-1} when a = (d - 1)/2 (d >= 3). Drawn as
 * (G1 - G2) / (G1 + G2), G1, G2 ~ Gamma(a) independent. Mean 0, variance
 * 1 / (2a + 1) (= 1/d on the sphere). */
double rvo_rng_sym_beta_cos(rvo_rng *r, double a);

/* A seed from k words (k >= 1): splitmix64 chained over the tuple. Tuples
 * that differ in any word (or in length) give unrelated seeds. */
uint64_t rvo_seed_hash(const uint64_t *words, size_t k);

/* Natural logarithm of x > 0 from basic IEEE operations (relative error
 * below 4e-16 on normal numbers); returns -inf for 0, NaN for x < 0. */
double rvo_log(double x);

#endif
