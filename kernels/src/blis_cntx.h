/* blis_cntx.h - the BLIS context (kernel set) the BLIS variant passes to
 * every call, and whether RELUVET_BLIS_ARCH was honoured. */
#ifndef RELUVET_BLIS_CNTX_H
#define RELUVET_BLIS_CNTX_H

#include <blis.h>

#include "reluvet/status.h"

/* The native context of the best BLIS sub-configuration for this CPU;
 * chosen once (thread-safe), never NULL. */
cntx_t *rv_blis_cntx(void);


#endif
