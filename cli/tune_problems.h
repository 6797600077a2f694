/* tune_problems.h - problem specs for `reluvet tune`, from the command line
 * or a shape-list file (and fuzzed like the other parsers):
 *   OP:DTYPE:N,D,M[:FLAG[+FLAG]]   e.g. layer_fwd:f64:20,1,500  layer_bwd:f32:64,64,64:dx
 * FLAG is h (layer_fwd stores H), dx (layer_bwd computes dX) or nobias;
 * an unknown, empty or repeated flag is an error. OP, DTYPE and N,D,M have
 * at most 31, 15 and 63 bytes: a longer field is an error naming it, never
 * cut short.
 * Extents are 1..RV_TUNE_MAX_EXTENT; a problem whose buffers would exceed
 * RV_ARG_MAX_BYTES (args.h) is rejected. A list file holds one spec per line;
 * blank lines and '#' comments are ignored. */
#ifndef RELUVET_CLI_TUNE_PROBLEMS_H
#define RELUVET_CLI_TUNE_PROBLEMS_H

#include <stddef.h>

#include "reluvet/tune.h"

#define RV_TUNE_MAX_EXTENT (1L << 20)
#define RV_TUNE_MAX_PROBLEMS 4096
#define RV_TUNE_MAX_LIST_BYTES ((size_t)1 << 20)

/* Parses one spec; 0 and *out, or -1 with a one-line reason in why. */
int rv_parse_problem(const char *s, rv_problem *out, char *why, size_t cap);

/* Parses a list (len bytes of text, NUL not required), appending to out
 * (room for cap) and counting in *count. 0, or -1 with "line N: reason". */
int rv_parse_problem_list(const char *text, size_t len, rv_problem *out, size_t cap,
                          size_t *count, char *why, size_t whycap);

#endif
