/* atomic_file.h - files appear whole or not at all: written to a temporary
 * name beside the target, flushed to disk, then renamed over the target. */
#ifndef RELUVET_REPORTS_ATOMIC_FILE_H
#define RELUVET_REPORTS_ATOMIC_FILE_H

#include <stddef.h>

#include "reluvet/status.h"

/* Writes len bytes of data to path atomically (tmp + fsync + rename + fsync
 * of the directory). On error nothing is left behind and err says why. */
rv_status rvr_write_atomic(const char *path, const void *data, size_t len, rv_error *err);

/* Publishes a file another program wrote at tmp as path: fsync tmp, rename
 * it over path, fsync the directory. */
rv_status rvr_commit_file(const char *tmp, const char *path, rv_error *err);

/* Creates directory path and its missing parents (mode 0777 & ~umask). */
rv_status rvr_mkdirs(const char *path, rv_error *err);

#endif
