/* schema.c - the tables of reluvet/schema.h, generated from operands.def. */
#include "reluvet/schema.h"

#include <stdint.h>
#include <string.h>

#include "reluvet/plan.h"

#define RV_OP(ID, name, args) typedef args args_##ID;
#include "reluvet/variants.def"
#undef RV_OP

#define SPEC_M(OP, f, ld, r, c, role, cmp, src, when, e, g)                                 \
    {#f, RV_EXT_##r, RV_EXT_##c, RV_##role, RV_CMP_##cmp, RV_O_##OP##_##src, RV_WHEN_##when, \
     e, g, offsetof(args_##OP, f), offsetof(args_##OP, ld)},
#define SPEC_V(OP, f, len, role, cmp, src, when, e, g)                                      \
    {#f, RV_EXT_1, RV_EXT_##len, RV_##role, RV_CMP_##cmp, RV_O_##OP##_##src, RV_WHEN_##when, \
     e, g, offsetof(args_##OP, f), RV_NO_LD},
#define RV_OP(ID, name, args)                                                  \
    static const rv_operand_spec specs_##ID[] = {RV_OPERANDS_##ID(SPEC_M, SPEC_V)}; \
    _Static_assert(RV_O_##ID##_COUNT <= RV_MAX_OPERANDS, "RV_MAX_OPERANDS is too small");
#include "reluvet/variants.def"
#undef RV_OP

static const struct {
    const rv_operand_spec *specs;
    size_t count;
} tables[RV_OP_COUNT] = {
#define RV_OP(ID, name, args) [RV_OP_##ID] = {specs_##ID, RV_O_##ID##_COUNT},
#include "reluvet/variants.def"
#undef RV_OP
};

const rv_operand_spec *rv_schema_operands(rv_op op, size_t *count)
{
    if ((unsigned)op >= RV_OP_COUNT) {
        *count = 0;
        return NULL;
    }
    *count = tables[op].count;
    return tables[op].specs;
}

int rv_operand_present(const rv_operand_spec *o, unsigned flags)
{
    switch (o->when) {
    case RV_WHEN_BIAS:
        return !(flags & RV_PLAN_NO_BIAS);
    case RV_WHEN_H:
        return (flags & RV_PLAN_WITH_H) != 0;
    case RV_WHEN_DX:
        return (flags & RV_PLAN_WITH_DX) != 0;
    default:
        return 1;
    }
}

size_t rv_extent_of(rv_extent e, rv_shape s)
{
    return e == RV_EXT_n ? s.n : e == RV_EXT_d ? s.d : e == RV_EXT_m ? s.m : 1;
}

void rv_schema_bind_shape(rv_op op, rv_shape s, rv_any_args *a)
{
    memset(a, 0, sizeof *a);
    switch (op) {
#define SIZE_(field, e) b->field = s.e;
#define RV_OP(ID, name, args)        \
    case RV_OP_##ID: {               \
        args *b = &a->name;          \
        RV_SHAPE_##ID(SIZE_) break;  \
    }
#include "reluvet/variants.def"
#undef RV_OP
#undef SIZE_
    default:
        break;
    }
}

void rv_schema_set(rv_any_args *a, const rv_operand_spec *o, void *p, size_t ld)
{
    memcpy((char *)a + o->ptr_off, &p, sizeof p);
    if (o->ld_off != RV_NO_LD)
        memcpy((char *)a + o->ld_off, &ld, sizeof ld);
}

void *rv_schema_get(const rv_any_args *a, const rv_operand_spec *o)
{
    void *p;
    memcpy(&p, (const char *)a + o->ptr_off, sizeof p);
    return p;
}
