/* run.c - the registry of variants (from variants.def) and rv_run_ex. */
#include <string.h>

#include "variant.h"

#define RV_VARIANT(ID, name, flags) extern const rv_variant_impl rv_##name##_impl;
#include "reluvet/variants.def"
#undef RV_VARIANT

static const struct {
    const char *name;
    unsigned flags;
    const rv_variant_impl *impl;
} variants[RV_VARIANT_COUNT] = {
#define RV_VARIANT(ID, name, flags) [RV_VAR_##ID] = {#name, flags, &rv_##name##_impl},
#include "reluvet/variants.def"
#undef RV_VARIANT
};

const char *rv_variant_name(rv_variant v)
{
    return (unsigned)v < RV_VARIANT_COUNT ? variants[v].name : NULL;
}

int rv_variant_from_name(const char *name, rv_variant *v)
{
    for (int i = 0; name && i < RV_VARIANT_COUNT; i++)
        if (strcmp(name, variants[i].name) == 0) {
            *v = (rv_variant)i;
            return 0;
        }
    return -1;
}

unsigned rv_variant_flags(rv_variant v)
{
    return (unsigned)v < RV_VARIANT_COUNT ? variants[v].flags : 0u;
}

rv_status rv_opts_validate(const rv_opts *o, rv_error *err)
{
    if (!o)
        return RV_OK;
    if (o->threads < 0 || o->threads > RV_MAX_THREADS)
        return rv_fail(err, RV_ERR_OPTS, "threads = %d: must be 0..%d", o->threads,
                       RV_MAX_THREADS);
    if (o->block_rows < 0 || o->block_rows > RV_MAX_BLOCK)
        return rv_fail(err, RV_ERR_OPTS, "block_rows = %d: must be 0..%d", o->block_rows,
                       RV_MAX_BLOCK);
    if (o->block_cols < 0 || o->block_cols > RV_MAX_BLOCK)
        return rv_fail(err, RV_ERR_OPTS, "block_cols = %d: must be 0..%d", o->block_cols,
                       RV_MAX_BLOCK);
    return RV_OK;
}

rv_status rv_run_ex(rv_op op, rv_variant v, rv_dtype dt, const rv_opts *opts,
                    const void *args, rv_error *err)
{
    if ((unsigned)v >= RV_VARIANT_COUNT)
        return rv_fail(err, RV_ERR_VARIANT, "unknown variant %d", (int)v);
    rv_status s = rv_args_validate(op, dt, args, err);
    if (s == RV_OK)
        s = rv_opts_validate(opts, err);
    if (s != RV_OK)
        return s;
    static const rv_opts defaults;
    variants[v].impl->fn[op][dt](opts ? opts : &defaults, args);
    return RV_OK;
}
