/* shapes.c - the shape corpus. Widths sit around the SIMD widths (8 f64 /
 * 16 f32 lanes of a 64-byte vector, half of that for 32-byte ones) and the
 * block widths of the tiled variants (64, 128), on primes, and at the
 * degenerate ends (1 x 1, d = 1, one row, one column). */
#include "check/shapes.h"

#include <stdio.h>
#include <string.h>

#include "check/rng.h"

#define ALL ((1u << RV_OP_COUNT) - 1)
#define LAYER ((1u << RV_OP_LAYER_FWD) | (1u << RV_OP_LAYER_BWD))
#define RELU ((1u << RV_OP_RELU_FWD) | (1u << RV_OP_RELU_BWD))
#define C(n, d, m, layout) {{n, d, m}, layout}
#define COUNT(a) (sizeof(a) / sizeof(a)[0])

unsigned rvc_layouts(rv_op op)
{
    if (op == RV_OP_LAYER_FWD || op == RV_OP_LAYER_BWD)
        return RVC_PAD | RVC_NO_BIAS | RVC_NO_OPT;
    return RVC_PAD | RVC_IN_PLACE;
}

char *rvc_layout_name(unsigned layout, char *buf, size_t cap)
{
    static const char *const names[] = {"pad", "no-bias", "no-H/dX", "in-place"};
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned b = 0; b < COUNT(names); b++)
        if (layout & (1u << b))
            len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s%s",
                                    len ? "+" : "", names[b]);
    if (len == 0)
        snprintf(buf, cap, "compact");
    return buf;
}

static const rvc_shape_case one[] = {C(1, 1, 1, 0)};

static const rvc_shape_case simd[] = {
    C(7, 7, 7, 0), C(8, 8, 8, 0), C(9, 9, 9, 0), C(15, 15, 15, 0), C(16, 16, 16, 0),
    C(17, 17, 17, 0), C(31, 31, 31, 0), C(32, 32, 32, 0), C(33, 33, 33, 0),
    C(5, 7, 3, 0), C(5, 8, 3, 0), C(5, 9, 3, 0), C(5, 15, 3, 0), C(5, 16, 3, 0),
    C(5, 17, 3, 0), C(5, 31, 3, 0), C(5, 32, 3, 0), C(5, 33, 3, 0),
    C(3, 5, 7, 0), C(3, 5, 8, 0), C(3, 5, 9, 0), C(3, 5, 15, 0), C(3, 5, 16, 0),
    C(3, 5, 17, 0), C(3, 5, 31, 0), C(3, 5, 32, 0), C(3, 5, 33, 0),
};

static const rvc_shape_case block[] = {
    C(63, 17, 63, 0), C(64, 17, 64, 0), C(65, 17, 65, 0),
    C(127, 9, 127, 0), C(128, 9, 128, 0), C(129, 9, 129, 0),
    C(5, 127, 3, 0), C(5, 128, 3, 0), C(5, 129, 3, 0), C(3, 257, 2, 0),
    C(65, 65, 65, 0), C(129, 129, 129, 0),
};

static const rvc_shape_case prime[] = {
    C(2, 3, 5, 0), C(13, 29, 37, 0), C(97, 5, 53, 0), C(101, 7, 11, 0), C(11, 131, 13, 0),
};

static const rvc_shape_case d_one[] = {C(16, 1, 16, 0), C(37, 1, 129, 0), C(1, 1, 64, 0),
                                       C(64, 1, 1, 0)};

static const rvc_shape_case tall[] = {C(1031, 4, 1, 0), C(513, 16, 3, 0), C(200, 2, 17, 0)};

static const rvc_shape_case wide[] = {C(1, 4, 1031, 0), C(3, 16, 513, 0), C(2, 1, 300, 0),
                                      C(4, 515, 4, 0)};

static const rvc_shape_case padded[] = {C(1, 1, 1, RVC_PAD), C(7, 9, 15, RVC_PAD),
                                        C(16, 16, 16, RVC_PAD), C(33, 17, 65, RVC_PAD),
                                        C(5, 129, 3, RVC_PAD)};

static const rvc_shape_case no_bias[] = {C(1, 1, 1, RVC_NO_BIAS), C(7, 9, 15, RVC_NO_BIAS),
                                         C(32, 32, 32, RVC_NO_BIAS),
                                         C(17, 5, 33, RVC_NO_BIAS | RVC_PAD)};

static const rvc_shape_case no_opt[] = {C(1, 1, 1, RVC_NO_OPT), C(7, 9, 15, RVC_NO_OPT),
                                        C(32, 32, 32, RVC_NO_OPT),
                                        C(17, 5, 33, RVC_NO_OPT | RVC_NO_BIAS | RVC_PAD)};

static const rvc_shape_case in_place[] = {C(1, 1, 1, RVC_IN_PLACE), C(7, 1, 15, RVC_IN_PLACE),
                                          C(32, 1, 32, RVC_IN_PLACE),
                                          C(17, 1, 33, RVC_IN_PLACE | RVC_PAD)};

static const rvc_shape_class classes[] = {
    {"1x1", ALL, COUNT(one), one},
    {"simd", ALL, COUNT(simd), simd},
    {"block", ALL, COUNT(block), block},
    {"prime", ALL, COUNT(prime), prime},
    {"d=1", LAYER, COUNT(d_one), d_one},
    {"tall", ALL, COUNT(tall), tall},
    {"wide", ALL, COUNT(wide), wide},
    {"ld>width", ALL, COUNT(padded), padded},
    {"no-bias", LAYER, COUNT(no_bias), no_bias},
    {"no-H/dX", LAYER, COUNT(no_opt), no_opt},
    {"in-place", RELU, COUNT(in_place), in_place},
};

size_t rvc_shape_classes(const rvc_shape_class **out)
{
    *out = classes;
    return COUNT(classes);
}

static size_t log_uniform(rvc_rng *r)
{
    long e = rvc_rng_int(r, 0, 7);
    return (size_t)rvc_rng_int(r, 1, 1L << e);
}

void rvc_random_shapes(uint64_t seed, rv_op op, rvc_shape_case *out, size_t count)
{
    rvc_rng r;
    rvc_rng_seed(&r, rvc_seed_mix(seed, (uint64_t)op));
    for (size_t k = 0; k < count; k++) {
        out[k].s.n = log_uniform(&r);
        out[k].s.d = log_uniform(&r);
        out[k].s.m = log_uniform(&r);
        out[k].layout = (unsigned)rvc_rng_next(&r) & rvc_layouts(op);
    }
}
