/* omp.c - OpenMP variant: register-tiled, vectorised (omp simd), threaded
 * over row blocks; threads and blocks come from rv_opts, never globals. */
#include "variant.h"

#define NR_s 16 /* 16 floats = 64 bytes */
#define NR_d 8

#define RV_T float
#define RV_SUF s
#include "omp.inc"

#define RV_T double
#define RV_SUF d
#include "omp.inc"

#define RV_VARIANT_NAME omp
#include "variant_table.inc"
