/* naive.c - plain loops in working precision: the baseline every tuned
 * choice is measured against. */
#include "variant.h"

#define RV_T float
#define RV_SUF s
#include "naive.inc"

#define RV_T double
#define RV_SUF d
#include "naive.inc"

#define RV_VARIANT_NAME naive
#include "variant_table.inc"
