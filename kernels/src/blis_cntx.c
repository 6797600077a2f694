/* blis_cntx.c - choose BLIS's kernel set ourselves when BLIS guesses badly.
 *
 * BLIS 0.9.0 picks its sub-configuration from the CPU vendor and family. It
 * does not know AMD family 0x1A (Zen 5), falls back to 'generic' (reference
 * C micro-kernels: about 20 GFLOP/s f64 on one core where the 'skx' AVX-512
 * kernels reach about 115 here), and its BLIS_ARCH_TYPE override aborts in
 * 0.9.0. So, when BLIS's own choice is 'generic', we pick the richest
 * compiled-in sub-configuration whose instruction set the CPU supports and
 * pass its context to every call (the cntx argument of the _ex API).
 * RELUVET_BLIS_ARCH=<name> forces a sub-configuration (for comparisons);
 * an unknown or unsupported name is ignored and BLIS's choice is kept.
 *
 * bli_gks_lookup_nat_cntx is internal to BLIS (declared in bli_gks.h, not
 * exported by libblis.so), which is why libreluvet links libblis.a. Every
 * result of the BLIS variant is still checked against the reference by
 * `reluvet check`, whatever kernels run. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "blis_cntx.h"
#include "reluvet/backend.h"

cntx_t *bli_gks_lookup_nat_cntx(arch_t id);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static cntx_t *chosen;
static arch_t chosen_id, default_id;

static int supported(arch_t id)
{
    switch (id) {
    case BLIS_ARCH_SKX:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
    case BLIS_ARCH_ZEN3:
    case BLIS_ARCH_HASWELL:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case BLIS_ARCH_GENERIC:
        return 1;
    default:
        return 0;
    }
}

static void choose(void)
{
    bli_init();
    default_id = bli_arch_query_id();
    chosen_id = default_id;
    const char *forced = getenv("RELUVET_BLIS_ARCH");
    if (forced && *forced) {
        for (int id = 0; id < BLIS_NUM_ARCHS; id++)
            if (strcmp(bli_arch_string((arch_t)id), forced) == 0 && supported((arch_t)id) &&
                bli_gks_lookup_nat_cntx((arch_t)id))
                chosen_id = (arch_t)id;
    } else if (default_id == BLIS_ARCH_GENERIC) {
        static const arch_t preference[] = {BLIS_ARCH_SKX, BLIS_ARCH_ZEN3, BLIS_ARCH_HASWELL};
        for (size_t i = 0; i < sizeof preference / sizeof preference[0]; i++)
            if (supported(preference[i]) && bli_gks_lookup_nat_cntx(preference[i])) {
                chosen_id = preference[i];
                break;
            }
    }
    chosen = chosen_id == default_id ? bli_gks_query_cntx() : bli_gks_lookup_nat_cntx(chosen_id);
}

cntx_t *rv_blis_cntx(void)
{
    pthread_once(&once, choose);
    return chosen;
}

const char *rv_blis_version(void)
{
    return bli_info_get_version_str();
}

const char *rv_blis_kernel_set(void)
{
    pthread_once(&once, choose);
    return bli_arch_string(chosen_id);
}

const char *rv_blis_default_kernel_set(void)
{
    pthread_once(&once, choose);
    return bli_arch_string(default_id);
}
