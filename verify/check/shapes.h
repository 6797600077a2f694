/* check/shapes.h - the shape corpus `reluvet check` runs: named classes of
 * (shape, layout) cases, plus random shapes from a seed.
 *
 * Shapes are (n, d, m) as in ops.h; the elementwise ops use n rows and m
 * columns and ignore d. A layout says how the argument block is laid out
 * beyond the shape. */
#ifndef RVC_SHAPES_H
#define RVC_SHAPES_H

#include <stddef.h>
#include <stdint.h>

#include "reluvet/ops.h"

enum {
    RVC_PAD = 1 << 0,      /* leading dimensions = width + RVC_PAD_EXTRA */
    RVC_NO_BIAS = 1 << 1,  /* layer ops: b (forward) and db (backward) are NULL */
    RVC_NO_OPT = 1 << 2,   /* layer ops: no H (forward), no dX (backward) */
    RVC_IN_PLACE = 1 << 3, /* relu ops: y overwrites x, dx overwrites dy */
};
#define RVC_PAD_EXTRA 5

/* The layout bits that apply to op. */
unsigned rvc_layouts(rv_op op);

/* Writes "compact" or the set bits ("pad+no-bias") into buf; returns buf. */
char *rvc_layout_name(unsigned layout, char *buf, size_t cap);

typedef struct rvc_shape_case {
    rv_shape s;
    unsigned layout;
} rvc_shape_case;

typedef struct rvc_shape_class {
    const char *name;            /* "simd" */
    unsigned ops;                /* bit 1 << op for each op it applies to */
    size_t count;
    const rvc_shape_case *cases;
} rvc_shape_class;

/* The fixed corpus: *classes points to a static array; returns its length. */
size_t rvc_shape_classes(const rvc_shape_class **classes);

/* The name of the class of random shapes, and how many it draws. */
#define RVC_RANDOM_CLASS "random"
#define RVC_RANDOM_SHAPES 8

/* Draws count cases for op from seed: each dimension log-uniform in
 * [1, 128], layout bits uniform among rvc_layouts(op). Same seed, same op:
 * same shapes. */
void rvc_random_shapes(uint64_t seed, rv_op op, rvc_shape_case *out, size_t count);

#endif
