/* args.h - strict parsing of command-line values, shared by every
 * subcommand (and fuzzed: tests/fuzz/fuzz_args.c). A value is accepted only
 * if the whole string is a number within [lo, hi]; "12abc", "", "1e999",
 * "nan" and out-of-range values are rejected. On failure the functions
 * return -1 and write a one-line reason into why (cap bytes); *out is left
 * untouched. */
#ifndef RELUVET_CLI_ARGS_H
#define RELUVET_CLI_ARGS_H

#include <stddef.h>

#include "reluvet/ops.h"

/* 1 when a asks for help: "--help" or "-h", the same for every command. */
int rv_arg_is_help(const char *a);

int rv_arg_long(const char *s, long lo, long hi, long *out, char *why, size_t cap);
int rv_arg_double(const char *s, double lo, double hi, double *out, char *why, size_t cap);

/* "n,d,m" with each size in 1..max. */
int rv_arg_shape(const char *s, size_t max, rv_shape *out, char *why, size_t cap);

/* A comma-separated list of at most max_count doubles, each in [lo, hi];
 * the count goes to *count. */
int rv_arg_doubles(const char *s, double lo, double hi, double *out, int max_count,
                   int *count, char *why, size_t cap);

/* A comma-separated list of at most max_count integers in [lo, hi]. */
int rv_arg_longs(const char *s, long lo, long hi, long *out, int max_count, int *count,
                 char *why, size_t cap);

/* The most buffer bytes (rv_op_bytes, with H and dX) a problem named on
 * the command line may need: a bigger one is a usage error, not an
 * allocation that exhausts memory (or hours of compute). */
#define RV_ARG_MAX_BYTES (1024.0 * 1024 * 1024)

/* 0 if op on shape s in dt fits RV_ARG_MAX_BYTES, else -1 with
 * "'<what>' needs X GiB of buffers (limit 1 GiB)" in why. */
int rv_arg_fits(const char *what, rv_op op, rv_dtype dt, rv_shape s, char *why, size_t cap);

/* Prints "reluvet <cmd>: <message>" to stderr and returns 2 (usage error),
 * for `return rv_usage_error(...)` in a subcommand. */
int rv_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
