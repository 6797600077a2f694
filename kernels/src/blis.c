/* blis.c - BLIS variant: GEMMs by BLIS (typed API, threads per call through
 * rntm_t, kernel set from blis_cntx.c), epilogues fused in one pass. */
#include "blis_cntx.h"
#include "variant.h"

#define RV_T float
#define RV_SUF s
#define RV_BLIS_GEMM bli_sgemm_ex
#include "blis.inc"

#define RV_T double
#define RV_SUF d
#define RV_BLIS_GEMM bli_dgemm_ex
#include "blis.inc"

#define RV_VARIANT_NAME blis
#include "variant_table.inc"
