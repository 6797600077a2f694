/* reluvet/wisdom_file.h - wisdom on disk (library libreluvet_wisdom).
 *
 * Why a library of its own: plans need wisdom only in memory
 * (reluvet/wisdom.h); the file brings JSON (cJSON), file locks and the
 * machine/build fingerprint. Keeping them here leaves libreluvet, and every
 * kernel, free of that dependency and of any file I/O of their own.
 *
 * The file is JSON:
 *   {"format": "reluvet-wisdom", "version": 1,
 *    "fingerprint": {"cpu_model": s, "cpu_flags": s, "usable_cores": i,
 *                    "blis_version": s, "blis_kernel_set": s,
 *                    "compiler": s, "cflags": s, "kernel_set": s},
 *    "entries": [{"op": "layer_fwd", "dtype": "f64", "n": i, "d": i, "m": i,
 *                 "flags": i, "max_threads": i, "variant": "omp",
 *                 "threads": i, "block_rows": i, "block_cols": i,
 *                 "effort": "measure", "seconds": x, "candidates": i,
 *                 "failed": i}, ...]}
 * A file is used only whole: any malformed, truncated, wrong-typed,
 * duplicated or out-of-range part, data after the document, an object
 * member that is unknown or given twice, a size above RV_WISDOM_MAX_BYTES,
 * or a fingerprint other than this process's rejects it with a message
 * naming the file and the field (the caller warns and re-tunes or
 * estimates). Ranges of an entry: n, d, m 1..2^40; flags 0..7, and only
 * those of its op; max_threads 1..RV_MAX_THREADS; threads 0..max_threads
 * (at least 1 for a threaded variant, else 0); block_rows, block_cols
 * 0..RV_MAX_BLOCK (0 unless the variant reads them); seconds a number in
 * 0..RV_WISDOM_MAX_SECONDS; candidates 1..10^6; failed 0..candidates. All
 * but seconds must be integers.
 * Nothing here prints.
 *
 * Paths: "" and a path ending in '/' are refused (RV_ERR_IO) by every
 * function below that takes one, before anything is created. */
#ifndef RELUVET_WISDOM_FILE_H
#define RELUVET_WISDOM_FILE_H

#include "reluvet/wisdom.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RV_WISDOM_MAX_BYTES ((size_t)4 << 20)
#define RV_WISDOM_LOCK_WAIT_S 10.0

/* What wisdom is only valid for: this machine and this build. */
typedef struct rv_fingerprint {
    char cpu_model[128];     /* /proc/cpuinfo "model name" */
    char cpu_flags[4096];    /* /proc/cpuinfo "flags" */
    int usable_cores;        /* rv_usable_cores() */
    char blis_version[32];
    char blis_kernel_set[32]; /* the BLIS sub-configuration the blis variant runs */
    char compiler[64];
    char cflags[1024];
    char kernel_set[64];     /* project version + hash of the library's sources */
} rv_fingerprint;

/* The fingerprint of this process (machine, cores it may use, build). */
void rv_fingerprint_current(rv_fingerprint *fp);

/* The name of the first field where a and b differ, or NULL if equal. */
const char *rv_fingerprint_diff(const rv_fingerprint *a, const rv_fingerprint *b);

/* Where wisdom lives unless told otherwise: $RELUVET_WISDOM if set and not
 * empty; else $XDG_CACHE_HOME/reluvet/wisdom.json if XDG_CACHE_HOME is an
 * absolute path; else $HOME/.cache/reluvet/wisdom.json. RV_ERR_IO when none
 * applies (no HOME) or the path does not fit in cap. */
rv_status rv_wisdom_default_path(char *buf, size_t cap, rv_error *err);

/* Serialises w with fingerprint fp: a NUL-terminated string the caller
 * frees, or NULL when out of memory. */
char *rv_wisdom_to_json(const rv_wisdom *w, const rv_fingerprint *fp);

/* Parses text (len bytes, no NUL needed) and, only if all of it is valid
 * and its fingerprint equals *expect, merges its entries into w
 * (rv_wisdom_merge). Else RV_ERR_FORMAT with the reason, w unchanged. */
rv_status rv_wisdom_from_json(rv_wisdom *w, const char *text, size_t len,
                              const rv_fingerprint *expect, rv_error *err);

/* Loads the wisdom file at path into w (as rv_wisdom_from_json, against
 * this process's fingerprint; a symlink is followed). A missing file is
 * RV_OK with nothing loaded; an unreadable one or one that is not a regular
 * file (never opened: a FIFO does not block) RV_ERR_IO; a rejected one
 * RV_ERR_FORMAT. On error w is
 * unchanged and err says why, for a warning. */
rv_status rv_wisdom_load(rv_wisdom *w, const char *path, rv_error *err);

/* Can rv_wisdom_save write path? Refuses what the save would refuse (see
 * below), takes and releases the lock (creating "<target>.lock") and reads
 * the current file; writes nothing else. RV_ERR_IO with the reason, as
 * rv_wisdom_save would give it. A check, not a promise: the save itself
 * still reports any failure. */
rv_status rv_wisdom_check_writable(const char *path, rv_error *err);

/* Writes w to path, safely with concurrent writers: under an exclusive lock
 * on "<target>.lock" (waiting up to RV_WISDOM_LOCK_WAIT_S), re-reads the
 * file and merges its entries into w (w keeps ties), then replaces it
 * atomically (reluvet/fileio.h). The target is path, or when path is a
 * symlink the file it points to (followed to the end): the target gets the
 * new content and the link stays a link. Only a regular file that was read
 * whole and rejected for its content (malformed, foreign, out of range) is
 * replaced, and *warn (if not NULL) gets the reason followed by "; replacing
 * it"; else warn->code is RV_OK. Anything else at the target is never
 * replaced nor touched: a folder, device, FIFO or socket, a file that
 * cannot be read, is over RV_WISDOM_MAX_BYTES (not one we wrote) or fails
 * to read: RV_ERR_IO "...; not replacing it" (or "cannot write PATH: Is a
 * directory"), before any lock file is made where possible. The folder
 * must exist. RV_ERR_IO / RV_ERR_NOMEM on failure. */
rv_status rv_wisdom_save(rv_wisdom *w, const char *path, rv_error *warn, rv_error *err);

#ifdef __cplusplus
}
#endif
#endif
