/* reluvet/schema.h - the operand schema of reluvet/operands.def as data:
 * for each operation, its arrays in argument-block order with their
 * extents, roles, presence rule and exact-fill grid, and the calls that
 * bind shapes and arrays into an argument block. The tuner's workspaces
 * and the check's cases are built on it, so an operation's operands are
 * written once. Pure lookups: no allocation, no errors. */
#ifndef RELUVET_SCHEMA_H
#define RELUVET_SCHEMA_H

#include <stddef.h>

#include "reluvet/ops.h"

#ifdef __cplusplus
extern "C" {
#endif

/* RV_O_<OP>_<field>: an operand's index in its op's list (and argument
 * block); RV_O_<OP>_COUNT operands in all; RV_O_<OP>_none = -1. */
#define RV_O_ENUM_(OP, f, ...) RV_O_##OP##_##f,
#define RV_OP(ID, name, args) \
    enum { RV_O_##ID##_none = -1, RV_OPERANDS_##ID(RV_O_ENUM_, RV_O_ENUM_) RV_O_##ID##_COUNT };
#include "reluvet/operands.def"
#include "reluvet/variants.def"
#undef RV_OP
#undef RV_O_ENUM_

#define RV_MAX_OPERANDS 10 /* the longest list (layer_bwd); schema.c checks it */

typedef enum rv_extent { RV_EXT_1, RV_EXT_n, RV_EXT_d, RV_EXT_m } rv_extent;
typedef enum rv_role { RV_IN, RV_OUT } rv_role;
typedef enum rv_compare {
    RV_CMP_INPUT, RV_CMP_SAME, RV_CMP_BOUND, RV_CMP_BOUND_FLIPS, RV_CMP_RELU_OF
} rv_compare;
typedef enum rv_when { RV_WHEN_ALWAYS, RV_WHEN_BIAS, RV_WHEN_H, RV_WHEN_DX } rv_when;

typedef struct rv_operand_spec {
    const char *name;          /* the field's name: "X", "dZ" */
    rv_extent rows, cols;      /* a vector has rows RV_EXT_1 */
    rv_role role;
    rv_compare compare;
    int source;                /* index of its source operand, or -1 */
    rv_when when;
    signed char exp2, deg;     /* exact-fill grid (inputs) */
    size_t ptr_off, ld_off;    /* where it lives in the block; ld_off is
                                  RV_NO_LD for a vector */
} rv_operand_spec;

#define RV_NO_LD ((size_t)-1)

/* op's operands in argument-block order, *count of them; NULL (count 0)
 * for an unknown op. The table is static: never freed. */
const rv_operand_spec *rv_schema_operands(rv_op op, size_t *count);

/* 1 when the operand is part of a block made under plan flags (RV_PLAN_*),
 * else 0 (its pointer stays NULL). */
int rv_operand_present(const rv_operand_spec *o, unsigned flags);

/* The value of extent e in shape s (1 for RV_EXT_1). */
size_t rv_extent_of(rv_extent e, rv_shape s);

/* Zeroes *a and writes op's size fields from s (rows = n, cols = m for the
 * elementwise ops). */
void rv_schema_bind_shape(rv_op op, rv_shape s, rv_any_args *a);

/* Sets operand o of block a to p with leading dimension ld (ignored for a
 * vector). */
void rv_schema_set(rv_any_args *a, const rv_operand_spec *o, void *p, size_t ld);

/* Operand o's pointer in block a. */
void *rv_schema_get(const rv_any_args *a, const rv_operand_spec *o);

#ifdef __cplusplus
}
#endif

#endif
