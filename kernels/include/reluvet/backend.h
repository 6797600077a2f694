/* reluvet/backend.h - what the BLIS variant runs on, for fingerprints and
 * reports. */
#ifndef RELUVET_BACKEND_H
#define RELUVET_BACKEND_H

#include "reluvet/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The BLIS version ("0.9.0"); a static string. */
const char *rv_blis_version(void);

/* The BLIS sub-configuration whose kernels the BLIS variant uses ("skx"),
 * and the one BLIS itself would have chosen ("generic"); static strings.
 * They differ when reluvet overrides BLIS's choice (see blis_cntx.c). */
const char *rv_blis_kernel_set(void);
const char *rv_blis_default_kernel_set(void);

/* Was the kernel set the user forced honoured? RV_OK when
 * RELUVET_BLIS_ARCH is unset or empty (the automatic choice, as always), or
 * names a sub-configuration this BLIS was built with and this CPU can run
 * (rv_blis_kernel_set() is then that name). Else RV_ERR_OPTS and one line,
 * "RELUVET_BLIS_ARCH=<value>: unknown BLIS sub-configuration (usable here:
 * skx, zen3, ...)" (or "not built into this BLIS", "this CPU cannot run its
 * kernels"), and the kernels run as if the variable were unset. Decided
 * once per process, with the context; never prints.
 */
rv_status rv_blis_check(rv_error *err);

#ifdef __cplusplus
}
#endif
#endif
