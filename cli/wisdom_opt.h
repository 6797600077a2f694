/* wisdom_opt.h - the wisdom file as the subcommands that use it (tune,
 * overfit) find and load it. Both print their own "reluvet CMD: ..." lines. */
#ifndef RELUVET_CLI_WISDOM_OPT_H
#define RELUVET_CLI_WISDOM_OPT_H

#include <stddef.h>

#include "reluvet/wisdom.h"

/* Writes to path (cap bytes) `given` (the --wisdom value, checked not empty
 * by the caller), or when it is NULL the default
 * (rv_wisdom_default_path: $RELUVET_WISDOM, XDG, ~/.cache), creating the
 * default's folder when make_dir (for a command that saves). Returns 0, or
 * 1 after printing why. */
int rv_cli_wisdom_path(const char *cmd, const char *given, int make_dir, char *path,
                       size_t cap);

/* Creates *w (owned by the caller) holding the file at path; a missing file
 * gives an empty wisdom. A rejected file (foreign fingerprint, truncated,
 * malformed, unreadable) is a warning ending in `consequence`, *w is empty
 * and *usable = 0. Returns 0, or 1 out of memory. */
int rv_cli_wisdom_load(const char *cmd, const char *path, const char *consequence,
                       rv_wisdom **w, int *usable);

#endif
