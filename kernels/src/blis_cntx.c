/* blis_cntx.c - choose BLIS's kernel set ourselves when BLIS guesses badly.
 *
 * BLIS 0.9.0 picks its sub-configuration from the CPU vendor and family. It
 * does not know AMD family 0x1A (Zen 5), falls back to 'generic' (reference
 * C micro-kernels: about 20 GFLOP/s f64 on one core where the 'skx' AVX-512
 * kernels reach about 115 here), and its BLIS_ARCH_TYPE override aborts in
 * 0.9.0. So, when BLIS's own choice is 'generic', we pick the richest
 * compiled-in sub-configuration whose instruction set the CPU supports and
 * pass its context to every call (the cntx argument of the _ex API).
 * RELUVET_BLIS_ARCH=<name> forces a sub-configuration (for comparisons). A
 * name this BLIS lacks or this CPU cannot run is not silently dropped (that
 * would leave the slow generic kernels running where a user asked for fast
 * ones): the kernels run as if the variable were unset and rv_blis_check
 * says why, for the CLI to refuse to start.
 *
 * bli_gks_lookup_nat_cntx is internal to BLIS (declared in bli_gks.h, not
 * exported by libblis.so), which is why libreluvet links libblis.a. It
 * crashes on a sub-configuration that was not compiled in, so it is only
 * ever called on those of the table below. Every result of the BLIS variant
 * is still checked against the reference by `reluvet check`, whatever
 * kernels run. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blis_cntx.h"
#include "reluvet/backend.h"

cntx_t *bli_gks_lookup_nat_cntx(arch_t id);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static cntx_t *chosen;
static arch_t chosen_id, default_id;
static rv_status forced_status; /* RV_OK unless RELUVET_BLIS_ARCH was refused */
static char forced_msg[sizeof ((rv_error *)0)->msg];

/* The x86 sub-configurations this BLIS was built with (blis.h defines
 * BLIS_CONFIG_<NAME> for each), the only ids bli_gks_lookup_nat_cntx may
 * be given. */
static const arch_t compiled[] = {
#ifdef BLIS_CONFIG_SKX
    BLIS_ARCH_SKX,
#endif
#ifdef BLIS_CONFIG_KNL
    BLIS_ARCH_KNL,
#endif
#ifdef BLIS_CONFIG_ZEN3
    BLIS_ARCH_ZEN3,
#endif
#ifdef BLIS_CONFIG_ZEN2
    BLIS_ARCH_ZEN2,
#endif
#ifdef BLIS_CONFIG_ZEN
    BLIS_ARCH_ZEN,
#endif
#ifdef BLIS_CONFIG_HASWELL
    BLIS_ARCH_HASWELL,
#endif
#ifdef BLIS_CONFIG_SANDYBRIDGE
    BLIS_ARCH_SANDYBRIDGE,
#endif
#ifdef BLIS_CONFIG_PENRYN
    BLIS_ARCH_PENRYN,
#endif
#ifdef BLIS_CONFIG_EXCAVATOR
    BLIS_ARCH_EXCAVATOR,
#endif
#ifdef BLIS_CONFIG_STEAMROLLER
    BLIS_ARCH_STEAMROLLER,
#endif
#ifdef BLIS_CONFIG_PILEDRIVER
    BLIS_ARCH_PILEDRIVER,
#endif
#ifdef BLIS_CONFIG_BULLDOZER
    BLIS_ARCH_BULLDOZER,
#endif
    BLIS_ARCH_GENERIC, /* always built */
};
#define NCOMPILED (sizeof compiled / sizeof compiled[0])

static int is_compiled(arch_t id)
{
    for (size_t i = 0; i < NCOMPILED; i++)
        if (compiled[i] == id)
            return 1;
    return 0;
}

/* Can this CPU run the kernels of sub-configuration id? The instruction
 * sets each one's kernels use (conservatively: a set we do not know is
 * refused rather than risked). */
static int supported(arch_t id)
{
    switch (id) {
    case BLIS_ARCH_SKX:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
    case BLIS_ARCH_KNL:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512pf") &&
               __builtin_cpu_supports("avx512er");
    case BLIS_ARCH_ZEN3:
    case BLIS_ARCH_ZEN2:
    case BLIS_ARCH_ZEN:
    case BLIS_ARCH_HASWELL:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case BLIS_ARCH_SANDYBRIDGE:
        return __builtin_cpu_supports("avx");
    case BLIS_ARCH_PENRYN:
        return __builtin_cpu_supports("sse4.1");
    case BLIS_ARCH_EXCAVATOR:
    case BLIS_ARCH_STEAMROLLER:
    case BLIS_ARCH_PILEDRIVER:
    case BLIS_ARCH_BULLDOZER: /* their kernels use AMD's FMA4, gone since Zen */
        return __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma4");
    case BLIS_ARCH_GENERIC:
        return 1;
    default:
        return 0;
    }
}

static int usable(arch_t id)
{
    return is_compiled(id) && supported(id) && bli_gks_lookup_nat_cntx(id);
}

/* Records why RELUVET_BLIS_ARCH=forced is refused, with the names that
 * would be accepted. */
static void refuse(const char *forced, const char *why)
{
    char names[120] = "";
    size_t at = 0;
    for (size_t i = 0; i < NCOMPILED; i++)
        if (usable(compiled[i]) && at < sizeof names)
            at += (size_t)snprintf(names + at, sizeof names - at, "%s%s", at ? ", " : "",
                                   bli_arch_string(compiled[i]));
    forced_status = RV_ERR_OPTS;
    snprintf(forced_msg, sizeof forced_msg, "RELUVET_BLIS_ARCH=%.40s%s: %s (usable here: %s)",
             forced, strlen(forced) > 40 ? "..." : "", why, names);
}

/* The automatic choice: BLIS's own, unless that is 'generic'. */
static arch_t automatic(void)
{
    static const arch_t preference[] = {BLIS_ARCH_SKX, BLIS_ARCH_ZEN3, BLIS_ARCH_HASWELL};
    if (default_id != BLIS_ARCH_GENERIC)
        return default_id;
    for (size_t i = 0; i < sizeof preference / sizeof preference[0]; i++)
        if (usable(preference[i]))
            return preference[i];
    return default_id;
}

static void choose(void)
{
    bli_init();
    default_id = bli_arch_query_id();
    chosen_id = automatic();
    const char *forced = getenv("RELUVET_BLIS_ARCH");
    if (forced && *forced) {
        int id = 0;
        while (id < BLIS_NUM_ARCHS && strcmp(bli_arch_string((arch_t)id), forced) != 0)
            id++;
        if (id == BLIS_NUM_ARCHS)
            refuse(forced, "unknown BLIS sub-configuration");
        else if (!is_compiled((arch_t)id))
            refuse(forced, "not built into this BLIS");
        else if (!supported((arch_t)id))
            refuse(forced, "this CPU cannot run its kernels");
        else if (!bli_gks_lookup_nat_cntx((arch_t)id))
            refuse(forced, "BLIS has no context for it");
        else
            chosen_id = (arch_t)id;
    }
    chosen = chosen_id == default_id ? bli_gks_query_cntx() : bli_gks_lookup_nat_cntx(chosen_id);
}

cntx_t *rv_blis_cntx(void)
{
    pthread_once(&once, choose);
    return chosen;
}

rv_status rv_blis_check(rv_error *err)
{
    pthread_once(&once, choose);
    return forced_status == RV_OK ? RV_OK : rv_fail(err, forced_status, "%s", forced_msg);
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
