/* checkpoint.h - cells as JSON, atomic files, and resuming a sweep.
 *
 * A finished cell is written to <dir>/cell-d<d>-n<n>-p<p>-<bias|nobias>.json
 * atomically (rv_write_file_atomic: a temporary file in the same folder,
 * fsync, rename, fsync of the folder). A reader sees the old file, the new one, or none, never half
 * a file, however the writer was stopped. Each file carries the cell's
 * settings key (every setting that changes its results); a file whose key
 * differs from the current settings is an error, not silently reused.
 * The same JSON of a cell is what results.json holds (report.h).
 *
 * <p> is the noise rate as "%.4f" when that text reads back as exactly the
 * same double (0.1000 for 0.1: the names of earlier versions), otherwise
 * the shortest "%.Ng" that does (0.10001 and 0.10004 once both became
 * p0.1000, so one cell overwrote the other). Either way the text reads back
 * as p itself, so two different rates never share a file: the names are
 * unique for every grid rvo_sweep_cfg_validate accepts (d, n, bias and the
 * exact p identify a cell; its kind follows from them).
 *
 * Loading is strict, like the wisdom file: one JSON document and nothing
 * after it, no unknown or repeated fields, and every value checked against
 * what a run under these settings can produce (see rvo_checkpoint_parse).
 * A checkpoint that fails is refused, never recomputed over nor deleted:
 * the user decides what to do with it (the error names the file and field). */
#ifndef RELUVET_OVERFIT_CHECKPOINT_H
#define RELUVET_OVERFIT_CHECKPOINT_H

#include <cjson/cJSON.h>

#include "sweep.h"

/* Longest results folder path (bytes) the harness accepts: every file below
 * it (cells/<name>.json with its temporary suffix, fig/<name>, .lock and
 * their temporaries, all under 200 more bytes) must fit in PATH_MAX (4096).
 * Longer ones are refused up front instead of cut (a cut path lands in
 * another folder). */
#define RVO_OUT_MAX 3800

/* The settings key of cell c under cfg: canonical JSON text, malloc'd.
 * Doubles are written with the fewest digits that read back exactly. */
char *rvo_cell_key(const rvo_sweep_cfg *cfg, const rvo_cell *c);

/* Adds to o the run settings a cell's key holds, in the key's order, doubles
 * with the fewest digits that read back exactly: init_w, init_v, trainer,
 * lr_hinge, lr_logistic, hinge_steps, logistic_steps, hinge_target,
 * check_every, margin_rtol, dtype. results.json's config uses the same. */
void rvo_train_settings_json(cJSON *o, const rvo_sweep_cfg *cfg);

/* The cell with its key and every run (seed, streams, settings, metrics,
 * plan). NULL if out of memory. */
cJSON *rvo_cell_json(const rvo_sweep_cfg *cfg, const rvo_cell *c);

/* Writes into buf (cap bytes) the path of cell c's file under dir. Returns 0,
 * or -1 when it does not fit (nothing is ever cut). */
int rvo_checkpoint_path(char *buf, size_t cap, const char *dir, const rvo_cell *c);

/* Saves cell c (all runs done) under dir, creating dir if needed.
 * RV_ERR_IO (path too long, cannot write), RV_ERR_NOMEM. */
rv_status rvo_checkpoint_save(const char *dir, const rvo_sweep_cfg *cfg, const rvo_cell *c,
                              rv_error *err);

/* Reads the text of a checkpoint (len bytes; `name` is the file, for the
 * messages) of cell c under cfg. Accepted only if it is exactly one JSON
 * object (whitespace may follow, nothing else; no raw control bytes) with
 * the members kind, key and runs, none unknown or repeated; kind is c's,
 * the key equals rvo_cell_key's (numbers compared exactly); and runs holds
 * c->seeds runs, run i with exactly the fields rvo_cell_json writes and
 *   seed = i; data/init/test_stream = the streams of (cfg, c->d, i);
 *   flips an integer in 0..n; interpolated, margin_reached booleans;
 *   hinge_steps, logistic_steps integers within cfg's budgets, best_step
 *   in 0..logistic_steps; train_error a fraction k/n (interpolated exactly
 *   when it is 0); clean_error a fraction k/test_n, nn_error too at d = 1
 *   and null elsewhere; noisy_error = p + (1 - 2p) clean_error;
 *   logistic_loss >= 0 and norm_margin finite (or null: not finite when
 *   saved); seconds in [0, 1e9], steps_per_s = steps / seconds (0 when
 *   seconds is 0); plan a string of 1..319 printable bytes.
 * On success fills c->runs (nothing else); on failure RV_ERR_FORMAT naming
 * the file, the run and the field, and c is untouched. RV_ERR_NOMEM. */
rv_status rvo_checkpoint_parse(const char *text, size_t len, const char *name,
                               const rvo_sweep_cfg *cfg, rvo_cell *c, rv_error *err);

/* Loads cell c from dir if its file exists: *loaded = 1 and c->runs filled,
 * c->done = c->seeds, c->from_checkpoint = 1. No file: *loaded = 0, RV_OK.
 * A file that is unreadable, oversized, malformed, out of range or made
 * with other settings (rvo_checkpoint_parse): RV_ERR_IO / RV_ERR_FORMAT
 * naming the file; the file is left as it is. Files named as by earlier
 * versions for a p whose "%.4f" is not exact (the colliding names) are not
 * looked at: their cells are computed again under the new name. */
rv_status rvo_checkpoint_load(const char *dir, const rvo_sweep_cfg *cfg, rvo_cell *c,
                              int *loaded, rv_error *err);

#endif
