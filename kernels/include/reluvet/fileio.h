/* reluvet/fileio.h - whole-file reads and atomic writes, shared by every
 * module that persists something (wisdom, checkpoints, results, reports).
 * The kernels themselves never do I/O. */
#ifndef RELUVET_FILEIO_H
#define RELUVET_FILEIO_H

#include <stddef.h>

#include "reluvet/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Replaces path with len bytes of data atomically: writes a temporary file
 * in the same folder, fsyncs it, renames it over path and fsyncs the
 * folder. A reader sees the old file or the new one, never a torn one; on
 * error (RV_ERR_IO, message names the path and errno text) path is
 * untouched and the temporary file is removed. */
rv_status rv_write_file_atomic(const char *path, const void *data, size_t len, rv_error *err);

/* Reads all of path into a fresh NUL-terminated buffer (*out, owned by the
 * caller: free()), its length in *len. Files larger than max_len bytes are
 * rejected with RV_ERR_FORMAT ("too large"); unreadable ones with
 * RV_ERR_IO; out of memory with RV_ERR_NOMEM. On error *out is NULL. */
rv_status rv_read_file(const char *path, size_t max_len, char **out, size_t *len,
                       rv_error *err);

/* Creates folder path and its missing parents (like mkdir -p), mode 0755.
 * RV_ERR_IO if a component exists and is not a folder or cannot be made. */
rv_status rv_make_dirs(const char *path, rv_error *err);

#ifdef __cplusplus
}
#endif
#endif
