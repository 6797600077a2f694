/* checkpoint.h - cells as JSON, atomic files, and resuming a sweep.
 *
 * A finished cell is written to <dir>/cell-d<d>-n<n>-p<p>-<bias|nobias>.json
 * atomically (rv_write_file_atomic: a temporary file in the same folder,
 * fsync, rename, fsync of the folder). A reader sees the old file, the new one, or none, never half
 * a file, however the writer was stopped. Each file carries the cell's
 * settings key (every setting that changes its results); a file whose key
 * differs from the current settings is an error, not silently reused.
 * The same JSON of a cell is what results.json holds (report.h). */
#ifndef RELUVET_OVERFIT_CHECKPOINT_H
#define RELUVET_OVERFIT_CHECKPOINT_H

#include <cjson/cJSON.h>

#include "sweep.h"

/* The settings key of cell c under cfg: canonical JSON text, malloc'd. */
char *rvo_cell_key(const rvo_sweep_cfg *cfg, const rvo_cell *c);

/* The cell with its key and every run (seed, streams, settings, metrics,
 * plan). NULL if out of memory. */
cJSON *rvo_cell_json(const rvo_sweep_cfg *cfg, const rvo_cell *c);

/* Saves cell c (all runs done) under dir, creating dir if needed. */
rv_status rvo_checkpoint_save(const char *dir, const rvo_sweep_cfg *cfg, const rvo_cell *c,
                              rv_error *err);

/* Loads cell c from dir if its file exists: *loaded = 1 and c->runs filled,
 * c->done = c->seeds, c->from_checkpoint = 1. No file: *loaded = 0, RV_OK.
 * A file that is unreadable, malformed or made with other settings:
 * RV_ERR_IO / RV_ERR_FORMAT naming the file. */
rv_status rvo_checkpoint_load(const char *dir, const rvo_sweep_cfg *cfg, rvo_cell *c,
                              int *loaded, rv_error *err);

#endif
