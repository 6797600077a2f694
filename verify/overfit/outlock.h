/* outlock.h - one run at a time in a results folder.
 *
 * Two sweeps writing one folder would leave results.json of one, report.md
 * of the other and cells/ a mix of both. So a run holds <dir>/.lock for as
 * long as it reads and writes the folder: a file holding
 *     reluvet-overfit-lock 1
 *     pid <pid>
 *     host <hostname>
 *     started <seconds since 1970> <YYYY-MM-DD HH:MM:SS> UTC
 * on which the holder keeps an exclusive flock(2). The flock, not the pid,
 * says whether the holder is alive: the kernel drops it when the process
 * ends, however it ends (SIGKILL included), and it also works for a holder
 * on another host of a shared file system, whose pid means nothing here.
 *
 * The file appears complete and locked at once: it is written and locked
 * under a temporary name, then hard-linked to .lock (link fails if .lock
 * exists), so a reader never sees a lock file without its holder. A .lock
 * whose flock is free was left by a run that died: it is taken over
 * (removed, under its flock, and made anew) if it is a reluvet lock file;
 * any other file at that name is refused and left alone. The holder
 * removes .lock when it is done, if .lock is still the file it made.
 *
 * Under MPI only rank 0 takes the lock (it alone writes the folder). */
#ifndef RELUVET_OVERFIT_OUTLOCK_H
#define RELUVET_OVERFIT_OUTLOCK_H

#include <stddef.h>

#include "reluvet/status.h"

typedef struct rvo_outlock rvo_outlock;

/* Creates folder dir if needed (as rv_make_dirs: "X exists and is not a
 * folder", "cannot create folder X: ...") and takes its lock into *out.
 * When a dead run's lock was taken over, note (cap bytes) says whose it was
 * ("took over the lock of pid P on host H, started T, which is no longer
 * running"); otherwise note is "". Errors, all RV_ERR_IO, *out = NULL:
 *   "results folder DIR is in use by pid P on host H, running since T:
 *    wait for it to finish or use another --out" (another run holds it);
 *   "DIR/.lock is not a reluvet lock file: remove it if no reluvet run uses
 *    this folder" (left as it is; a symbolic link too);
 *   "cannot create lock file DIR/.lock: <errno text>" (the folder is not
 *    writable, ...). RV_ERR_NOMEM. */
rv_status rvo_outlock_take(const char *dir, rvo_outlock **out, char *note, size_t cap,
                           rv_error *err);

/* Removes the lock file if it is still the one l made, and releases the
 * lock; frees l. NULL: nothing. */
void rvo_outlock_release(rvo_outlock *l);

#endif
