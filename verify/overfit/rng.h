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

/* A seed from k words (k >= 1): splitmix64 chained over the tuple. Tuples
 * that differ in any word (or in length) give unrelated seeds. */
uint64_t rvo_seed_hash(const uint64_t *words, size_t k);

/* Natural logarithm of x > 0 from basic IEEE operations (relative error
 * below 4e-16 on normal numbers); returns -inf for 0, NaN for x < 0. */
double rvo_log(double x);

#endif
