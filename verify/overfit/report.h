/* report.h - the results folder of a sweep:
 *   results.json   settings, verdicts and every run (checkpoint.h's cell JSON)
 *   report.md      verdict table, what each verdict asserts, the curve over d,
 *                  the grid table (clean error with 95% CI, noisy error
 *                  p + (1 - 2p) E, 1-NN at d = 1, interpolation, steps),
 *                  runs that did not interpolate, steps per second per shape
 *   fig/error_vs_p.png, fig/error_vs_d.png (gnuplot; skipped with a note
 *                  when gnuplot is missing or fails) and their .dat / .gp
 *                  sources.
 * Every file is written atomically. */
#ifndef RELUVET_OVERFIT_REPORT_H
#define RELUVET_OVERFIT_REPORT_H

#include "assess.h"
#include "reluvet/wisdom_file.h"

typedef struct rvo_report_meta {
    const char *profile;   /* quick, standard, full or custom */
    const char *command;   /* the command line, for reproduction */
    double alpha;          /* the tests' level */
    const char *kernels;   /* where the training plans came from (wisdom or estimate) */
    /* provenance (results.json "provenance"; each may be NULL: "unknown") */
    const char *version;   /* the project version */
    const char *commit;    /* the git commit the build was configured from */
    const rv_fingerprint *fp; /* machine and build (reluvet/wisdom_file.h) */
} rvo_report_meta;

/* results.json's schema version (docs/results-schema.md). 2: provenance,
 * config and per-cell summary added to version 1's fields. */
#define RVO_RESULTS_SCHEMA 2

/* Writes the folder dir (created if needed). figures receives one line
 * saying what became of the figures. RV_ERR_IO / RV_ERR_NOMEM. */
rv_status rvo_report_write(const char *dir, const rvo_sweep *sw,
                           const rvo_verdict v[RVO_VERDICTS], const rvo_report_meta *meta,
                           char *figures, size_t cap, rv_error *err);

/* The settings of cfg in one line (n, d grid, p grid, seeds, width, trainer,
 * steps, budgets, init), as the report and the terminal print them. */
char *rvo_settings_line(const rvo_sweep_cfg *cfg, char *buf, size_t cap);

#endif
