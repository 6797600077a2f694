/* kernel.c - library variants as kernels under test. */
#include "check/kernel.h"

/* One constant per variant, for the ctx pointer of its kernel. */
static const rv_variant variant_ids[RV_VARIANT_COUNT] = {
#define RV_VARIANT(ID, name, flags) RV_VAR_##ID,
#include "reluvet/variants.def"
#undef RV_VARIANT
};

static rv_status run_variant(const void *ctx, rv_op op, rv_dtype dt, const rv_opts *opts,
                             const void *args, rv_error *err)
{
    return rv_run_ex(op, *(const rv_variant *)ctx, dt, opts, args, err);
}

rvc_kernel rvc_variant_kernel(rv_variant v)
{
    return (rvc_kernel){.name = rv_variant_name(v), .flags = rv_variant_flags(v),
                        .run = run_variant, .ctx = &variant_ids[v]};
}

int rvc_oracle(rv_variant *v)
{
    for (int i = 0; i < RV_VARIANT_COUNT; i++)
        if (rv_variant_flags((rv_variant)i) & RV_VF_ORACLE) {
            *v = (rv_variant)i;
            return 0;
        }
    return -1;
}
