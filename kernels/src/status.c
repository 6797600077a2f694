#include "reluvet/status.h"

#include <stdarg.h>
#include <stdio.h>

const char *rv_status_name(rv_status s)
{
    static const char *const names[RV_STATUS_COUNT] = {
        [RV_OK] = "RV_OK",
        [RV_ERR_NULL] = "RV_ERR_NULL",
        [RV_ERR_SIZE] = "RV_ERR_SIZE",
        [RV_ERR_LD] = "RV_ERR_LD",
        [RV_ERR_OVERFLOW] = "RV_ERR_OVERFLOW",
        [RV_ERR_DTYPE] = "RV_ERR_DTYPE",
        [RV_ERR_OP] = "RV_ERR_OP",
        [RV_ERR_VARIANT] = "RV_ERR_VARIANT",
        [RV_ERR_OPTS] = "RV_ERR_OPTS",
        [RV_ERR_ALIAS] = "RV_ERR_ALIAS",
        [RV_ERR_NOMEM] = "RV_ERR_NOMEM",
        [RV_ERR_IO] = "RV_ERR_IO",
        [RV_ERR_FORMAT] = "RV_ERR_FORMAT",
    };
    if ((unsigned)s >= RV_STATUS_COUNT)
        return "RV_ERR_UNKNOWN";
    return names[s];
}

rv_status rv_fail(rv_error *err, rv_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}
