/* profiles.h - the named sweeps of `reluvet overfit --profile`:
 *   quick     under 2 minutes on 2 cores; runs in CI and must pass;
 *   standard  the main job, under 15 minutes on 2 cores;
 *   full      paper-scale, hours; checkpointed and resumable.
 * The settings and the reasons for them are in profiles.c. */
#ifndef RELUVET_OVERFIT_PROFILES_H
#define RELUVET_OVERFIT_PROFILES_H

#include "sweep.h"

/* Fills cfg with the named profile; RV_ERR_OPTS for an unknown name. */
rv_status rvo_profile(const char *name, rvo_sweep_cfg *cfg, rv_error *err);

#endif
