/* reluvet/status.h - status codes and error reports of the reluvet library.
 *
 * Every entry point returns an rv_status. Where it also takes an rv_error *,
 * that report may be NULL; when it is not NULL and the call fails, it receives
 * the code and a one-line message naming the offending argument. On success
 * the report is left untouched. The library never prints. */
#ifndef RELUVET_STATUS_H
#define RELUVET_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rv_status {
    RV_OK = 0,
    RV_ERR_NULL,        /* a required pointer is NULL */
    RV_ERR_SIZE,        /* a size is zero */
    RV_ERR_LD,          /* a leading dimension is smaller than the row width */
    RV_ERR_OVERFLOW,    /* a product of sizes does not fit in size_t */
    RV_ERR_DTYPE,       /* unknown element type */
    RV_ERR_OP,          /* unknown operation */
    RV_ERR_VARIANT,     /* unknown variant */
    RV_ERR_OPTS,        /* invalid run-time options (threads, blocks) */
    RV_ERR_ALIAS,       /* outputs overlap inputs in a way the op forbids */
    RV_ERR_NOMEM,       /* allocation failed (plans, contexts; never in kernels) */
    RV_ERR_IO,          /* a file could not be read or written */
    RV_ERR_FORMAT,      /* a file is malformed, truncated or foreign */
    RV_STATUS_COUNT
} rv_status;

typedef struct rv_error {
    rv_status code;
    char msg[200];
} rv_error;

/* Short constant name of a status ("RV_ERR_LD"); never NULL. */
const char *rv_status_name(rv_status s);

/* Records code and a printf-style message in err (if err is not NULL) and
 * returns code, so that callers can write `return rv_fail(err, ...)`. */
rv_status rv_fail(rv_error *err, rv_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
#endif
