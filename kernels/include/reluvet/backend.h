/* reluvet/backend.h - what the BLIS variant runs on, for fingerprints and
 * reports. */
#ifndef RELUVET_BACKEND_H
#define RELUVET_BACKEND_H

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

#ifdef __cplusplus
}
#endif
#endif
