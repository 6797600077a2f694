/* rng.c - splitmix64 (Steele, Lea, Flood 2014; the seeding generator of
 * xoshiro): one 64-bit add and a finaliser per draw. */
#include "check/rng.h"

static uint64_t finalise(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void rvc_rng_seed(rvc_rng *r, uint64_t seed)
{
    r->state = seed;
}

uint64_t rvc_rng_next(rvc_rng *r)
{
    r->state += 0x9e3779b97f4a7c15u;
    return finalise(r->state);
}

double rvc_rng_unit(rvc_rng *r)
{
    return (double)(rvc_rng_next(r) >> 11) * 0x1p-53;
}

long rvc_rng_int(rvc_rng *r, long lo, long hi)
{
    return lo + (long)(rvc_rng_unit(r) * (double)(hi - lo + 1));
}

uint64_t rvc_seed_mix(uint64_t seed, uint64_t tag)
{
    return finalise(seed ^ finalise(tag + 0x9e3779b97f4a7c15u));
}
