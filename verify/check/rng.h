/* check/rng.h - a small deterministic random number generator (splitmix64).
 *
 * The same seed gives the same stream on every machine and compiler, which
 * is what lets `reluvet check --seed S` reproduce a failure. Not for
 * cryptography. rand() is never used. */
#ifndef RVC_RNG_H
#define RVC_RNG_H

#include <stdint.h>

typedef struct rvc_rng {
    uint64_t state;
} rvc_rng;

/* Starts a stream at seed (any value, 0 included). */
void rvc_rng_seed(rvc_rng *r, uint64_t seed);

/* The next 64 uniformly distributed bits of the stream. */
uint64_t rvc_rng_next(rvc_rng *r);

/* Uniform in [0, 1), with 53 random bits. */
double rvc_rng_unit(rvc_rng *r);

/* Uniform integer in [lo, hi] (requires lo <= hi; bias below 2^-40 for
 * ranges under 2^13, which is all the harness draws). */
long rvc_rng_int(rvc_rng *r, long lo, long hi);

/* A seed for an independent sub-stream: mixes tag into seed so that
 * distinct (seed, tag) pairs give unrelated streams. Chain calls to mix
 * several tags. */
uint64_t rvc_seed_mix(uint64_t seed, uint64_t tag);

#endif
