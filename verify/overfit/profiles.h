/* profiles.h - the named sweeps of `reluvet overfit --profile`:
 *   quick     under 2 minutes on 2 cores; runs in CI and must pass;
 *   standard  the main job, under 15 minutes on 2 cores;
 *   full      paper-scale, hours; checkpointed and resumable.
 * The reasons for the settings are rvo_design_notes. */
#ifndef RELUVET_OVERFIT_PROFILES_H
#define RELUVET_OVERFIT_PROFILES_H

#include "sweep.h"

/* Why the profiles are what they are: measured facts behind the settings,
 * as Markdown bullets (the report prints them). */
extern const char *const rvo_design_notes;

/* Fills cfg with the named profile; RV_ERR_OPTS for an unknown name. */
rv_status rvo_profile(const char *name, rvo_sweep_cfg *cfg, rv_error *err);

/* The distinct problems the training steps of the three profiles plan
 * (rvo_sweep_problems of each), the default list of `reluvet tune`: writes
 * them to out and returns how many. */
#define RVO_PROFILES 3
#define RVO_MAX_PROFILE_PROBLEMS (RVO_PROFILES * RVO_MAX_SWEEP_PROBLEMS)
size_t rvo_profiles_problems(rv_problem out[RVO_MAX_PROFILE_PROBLEMS]);

#endif
