/* reference.c - the oracle variant. Not a contender: it is what every other
 * variant is compared with, so it stays the simplest possible loops with
 * wide accumulation. */
#include "variant.h"

#define RV_T float
#define RV_ACC double
#define RV_SUF s
#include "reference.inc"

#define RV_T double
#define RV_ACC long double
#define RV_SUF d
#include "reference.inc"

#define RV_VARIANT_NAME reference
#include "variant_table.inc"
